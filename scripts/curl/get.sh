#!/usr/bin/env bash
# Read one number; prints its ETag on stderr:  scripts/curl/get.sh 42
set -euo pipefail
: "${BASE_URL:?set BASE_URL}"
id=${1:?usage: get.sh ID}

headers=$(mktemp)
trap 'rm -f "$headers"' EXIT
curl --silent --show-error --fail-with-body "$BASE_URL/api/v1/numbers/$id" \
    ${TOKEN:+-H "Authorization: Bearer $TOKEN"} --dump-header "$headers"
echo
grep -i '^etag:' "$headers" >&2
