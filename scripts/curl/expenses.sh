#!/usr/bin/env bash
# The expenses API from the shell. Reads BASE_URL (and TOKEN for writes: scripts/curl/token.sh).
#   scripts/curl/expenses.sh list 'amount[gte]=1400&member_name=Sam'   (headers on stderr)
#   scripts/curl/expenses.sh aggregates 'by=departments&metrics=sum,count,share'
#   scripts/curl/expenses.sh csv 'member=Sam'                            (text/csv)
#   scripts/curl/expenses.sh get 42                                      (ETag on stderr)
#   scripts/curl/expenses.sh create '{"department_id": 1, ..., "amount": "12.34", "date": "2021-05-01"}'
#   scripts/curl/expenses.sh update 42 '{"amount": "13.00"}'             (reads the ETag first)
#   scripts/curl/expenses.sh delete 42                                   (prints the status)
#   scripts/curl/expenses.sh import file.csv [dry_run]
#   scripts/curl/expenses.sh graphql '{ aggregates(by: ["department"]) }'
set -euo pipefail
: "${BASE_URL:?set BASE_URL, e.g. http://127.0.0.1:8000}"
API="$BASE_URL/api/v1/expenses"
command=${1:?usage: expenses.sh list|aggregates|csv|get|create|update|delete|import|graphql ...}
shift
auth=(${TOKEN:+-H "Authorization: Bearer $TOKEN"})
curl_json() { curl --globoff --silent --show-error --fail-with-body "${auth[@]}" "$@"; echo; }
need_token() { : "${TOKEN:?set TOKEN (scripts/curl/token.sh)}"; }
etag_of() {
    curl --globoff --silent --show-error --fail --output /dev/null --dump-header - "$API/$1" \
        | sed -n 's/^[Ee][Tt][Aa][Gg]: *\(.*\)\r$/\1/p'
}

case "$command" in
list | aggregates)
    headers=$(mktemp)
    trap 'rm -f "$headers"' EXIT
    path=$([ "$command" = aggregates ] && echo "$API/aggregates" || echo "$API")
    curl_json --get "$path?${1:-}" --dump-header "$headers"
    grep -iE '^(x-total-count|link):' "$headers" >&2 || true
    ;;
csv) curl --globoff --silent --show-error --fail-with-body -H 'Accept: text/csv' "$API?${1:-}" ;;
get)
    headers=$(mktemp)
    trap 'rm -f "$headers"' EXIT
    curl_json "$API/${1:?id}" --dump-header "$headers"
    grep -i '^etag:' "$headers" >&2 || true
    ;;
create)
    need_token
    curl_json -X POST "$API" -H 'Content-Type: application/json' --data "${1:?JSON body}"
    ;;
update)
    need_token
    curl_json -X PATCH "$API/${1:?id}" -H 'Content-Type: application/json' \
        -H "If-Match: $(etag_of "$1")" --data "${2:?JSON changes}"
    ;;
delete)
    need_token
    curl --globoff --silent --show-error --fail-with-body "${auth[@]}" -X DELETE "$API/${1:?id}" \
        -H "If-Match: $(etag_of "$1")" --output /dev/null --write-out '%{http_code}\n'
    ;;
import)
    need_token
    query=$([ "${2:-}" = dry_run ] && echo '?dry_run=true' || echo '')
    curl_json -X POST "$API/import$query" -F "file=@${1:?CSV file}"
    ;;
graphql)
    body=$(printf '{"query": %s}' "$(printf '%s' "${1:?query}" | sed 's/\\/\\\\/g; s/"/\\"/g; s/^/"/; s/$/"/')")
    curl_json -X POST "$BASE_URL/graphql" -H 'Content-Type: application/json' --data "$body"
    ;;
*)
    echo "unknown command $command" >&2
    exit 2
    ;;
esac
