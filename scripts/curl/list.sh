#!/usr/bin/env bash
# List numbers; the argument is the query string:  scripts/curl/list.sh 'per_page=5&currency=U$'
# Prints the X-Total-Count and Link headers on stderr and the JSON array on stdout.
set -euo pipefail
: "${BASE_URL:?set BASE_URL}"
query=${1:-per_page=10}

headers=$(mktemp)
trap 'rm -f "$headers"' EXIT
curl --silent --show-error --fail-with-body --get "$BASE_URL/api/v1/numbers?$query" \
    ${TOKEN:+-H "Authorization: Bearer $TOKEN"} --dump-header "$headers"
echo
grep -iE '^(x-total-count|link):' "$headers" >&2 || true
