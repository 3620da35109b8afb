#!/usr/bin/env bash
# Every sensor with its first and last observation:  scripts/curl/sensors-list.sh
set -euo pipefail
: "${BASE_URL:?set BASE_URL}"
curl --silent --show-error --fail-with-body "$BASE_URL/api/v1/sensors" \
    ${TOKEN:+-H "Authorization: Bearer $TOKEN"}
echo
