#!/usr/bin/env bash
# Delete a number, sending the ETag it reads first as If-Match:  scripts/curl/delete.sh 42
set -euo pipefail
: "${BASE_URL:?set BASE_URL}" "${TOKEN:?set TOKEN (scripts/curl/token.sh)}"
id=${1:?usage: delete.sh ID}

etag=$(curl --silent --show-error --fail --head "$BASE_URL/api/v1/numbers/$id" \
    | sed -n 's/^[Ee][Tt][Aa][Gg]: *\(.*\)\r$/\1/p')
curl --silent --show-error --fail-with-body -X DELETE "$BASE_URL/api/v1/numbers/$id" \
    -H "Authorization: Bearer $TOKEN" -H "If-Match: $etag" --write-out '%{http_code}\n'
