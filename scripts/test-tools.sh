#!/usr/bin/env bash
# Tools the test suite runs for real besides the databases: nginx (nginx.conf is started and
# probed by tests/unit/test_deploy_files.py). Installs what is missing on Debian as root.
set -euo pipefail
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "test-tools: installing nginx-light" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends nginx-light >&2 \
        || { apt-get update -qq >&2 && apt-get install -y -qq --no-install-recommends nginx-light >&2; }
else
    echo "test-tools: nginx is missing; install it (Debian: apt-get install nginx-light)" >&2
    exit 1
fi
