#!/usr/bin/env bash
# Tools the test suite runs for real besides the databases, installed when missing (Debian, root):
#   nginx     nginx.conf is checked with `nginx -t` and started by tests/unit/test_deploy_files.py
#   chromium  renders /docs headless in tests/e2e/test_docs_render.py
#   gdal-bin  ogrinfo/ogr2ogr read /ogc with the OAPIF driver in tests/e2e/test_geo_gdal.py
set -euo pipefail

missing=()
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
command -v chromium >/dev/null || missing+=(chromium)
command -v ogr2ogr >/dev/null || missing+=(gdal-bin)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "test-tools: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 || {
        apt-get update -qq >&2
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
    }
else
    echo "test-tools: missing ${missing[*]}; install them (Debian: apt-get install ${missing[*]})" >&2
    exit 1
fi
