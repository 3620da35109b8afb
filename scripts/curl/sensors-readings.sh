#!/usr/bin/env bash
# A sensor's series; the second argument is the query string:
#   scripts/curl/sensors-readings.sh 100013 'from=2022-11-08&to=2022-11-09&bucket=10m&agg=p95'
#   scripts/curl/sensors-readings.sh 100013 'points=100'      scripts/curl/sensors-readings.sh 100013 'format=csv'
set -euo pipefail
: "${BASE_URL:?set BASE_URL}"
sensor=${1:?give a sensor id} query=${2:-}
curl --silent --show-error --fail-with-body --get "$BASE_URL/api/v1/sensors/$sensor/readings?$query" \
    ${TOKEN:+-H "Authorization: Bearer $TOKEN"}
echo
