#!/usr/bin/env bash
# Log in and print an access token:  export TOKEN=$(USERNAME=editor PASSWORD=... scripts/curl/token.sh)
set -euo pipefail
: "${BASE_URL:?set BASE_URL, e.g. http://127.0.0.1:8000}"
: "${USERNAME:?set USERNAME}" "${PASSWORD:?set PASSWORD}"

body=$(printf '{"username": "%s", "password": "%s"}' "$USERNAME" "$PASSWORD")
response=$(curl --silent --show-error --fail-with-body -X POST "$BASE_URL/api/v1/auth/token" \
    -H 'Content-Type: application/json' --data "$body")
printf '%s\n' "$response" | sed -n 's/.*"access_token": *"\([^"]*\)".*/\1/p'
