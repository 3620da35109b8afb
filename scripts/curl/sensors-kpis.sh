#!/usr/bin/env bash
# Dwell-time KPIs per sensor and overall, with the change against the previous period:
#   scripts/curl/sensors-kpis.sh 'from=2022-11-08&to=2022-11-09'     (add &sensor_id=100013)
set -euo pipefail
: "${BASE_URL:?set BASE_URL}"
query=${1:-}
curl --silent --show-error --fail-with-body --get "$BASE_URL/api/v1/sensors/kpis?$query" \
    ${TOKEN:+-H "Authorization: Bearer $TOKEN"}
echo
