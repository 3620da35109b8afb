#!/usr/bin/env bash
# Change fields of a number (PATCH, v1 schema), sending the ETag it reads first as If-Match:
#   scripts/curl/update.sh 42 '{"monthyPrice": "0.05"}'
set -euo pipefail
: "${BASE_URL:?set BASE_URL}" "${TOKEN:?set TOKEN (scripts/curl/token.sh)}"
id=${1:?usage: update.sh ID JSON} changes=${2:?usage: update.sh ID JSON}

etag=$(curl --silent --show-error --fail --head "$BASE_URL/api/v1/numbers/$id" \
    | sed -n 's/^[Ee][Tt][Aa][Gg]: *\(.*\)\r$/\1/p')
curl --silent --show-error --fail-with-body -X PATCH "$BASE_URL/api/v1/numbers/$id" \
    -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -H "If-Match: $etag" --data "$changes"
echo
