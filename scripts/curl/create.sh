#!/usr/bin/env bash
# Create a number (v1 schema):  scripts/curl/create.sh "+55 84 91234-4321" 0.03 3.40 'U$'
# Prints the new number on stdout and its Location header on stderr.
set -euo pipefail
: "${BASE_URL:?set BASE_URL}" "${TOKEN:?set TOKEN (scripts/curl/token.sh)}"
value=${1:-+55 84 91234-4321} monthly=${2:-0.03} setup=${3:-3.40} currency=${4:-U\$}

body=$(printf '{"value": "%s", "monthyPrice": "%s", "setupPrice": "%s", "currency": "%s"}' \
    "$value" "$monthly" "$setup" "$currency")
headers=$(mktemp)
trap 'rm -f "$headers"' EXIT
curl --silent --show-error --fail-with-body -X POST "$BASE_URL/api/v1/numbers" \
    -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' --data "$body" \
    --dump-header "$headers"
echo
grep -i '^location:' "$headers" | tr -d '\r' >&2 || true
