#!/usr/bin/env bash
# The poison messages the push endpoint kept (admin token):  scripts/curl/sensors-quarantine.sh ['after_id=0&limit=100']
set -euo pipefail
: "${BASE_URL:?set BASE_URL}" "${TOKEN:?set TOKEN of an admin (scripts/curl/token.sh)}"
query=${1:-limit=100}
curl --silent --show-error --fail-with-body --get "$BASE_URL/api/v1/sensors/quarantine?$query" \
    -H "Authorization: Bearer $TOKEN"
echo
