#!/usr/bin/env bash
# Push one reading as Pub/Sub would (wrapped envelope, base64 data) and print the HTTP status:
#   PUSH_TOKEN=... scripts/curl/sensors-push.sh 100013 2.72 [2022-11-08T04:00:04] [message-id]
# 204 stored (or stored before), 202 + reason when the message is poison (try DWELL=oops).
set -euo pipefail
: "${BASE_URL:?set BASE_URL}" "${PUSH_TOKEN:?set PUSH_TOKEN (PUBSUB_VERIFICATION_TOKEN of the server)}"
sensor=${1:-100013} dwell=${2:-2.72} time=${3:-$(date -u +%Y-%m-%dT%H:%M:%S)}
message_id=${4:-curl-$sensor-$time}

data=$(printf '{"serial": "000100000100", "application": 11, "Time": "%s", "Type": "xkgw", "device": "TestDevice", "v0": %s, "v18": %s}' \
    "$time" "$sensor" "$dwell" | base64 | tr -d '\n')
body=$(printf '{"message": {"data": "%s", "messageId": "%s", "publishTime": "%s"}, "subscription": "projects/local/subscriptions/curl"}' \
    "$data" "$message_id" "$(date -u +%Y-%m-%dT%H:%M:%SZ)")
curl --silent --show-error --output /dev/stderr --write-out '%{http_code}\n' \
    -X POST "$BASE_URL/api/v1/sensors/pubsub?token=$PUSH_TOKEN" \
    -H 'Content-Type: application/json' --data "$body"
