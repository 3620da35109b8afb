-- wrk script for the sensors push endpoint: every request is a new Pub/Sub message (messageId
-- "b<thread>-<n>"), every DUPLICATE_EVERY-th one a redelivery of the message before it. The
-- payloads (base64 JSON of realistic readings) come from bench/out/sensors_payloads.lua.
local payloads = dofile(os.getenv("SENSORS_PAYLOADS"))
local token = os.getenv("PUSH_TOKEN")
local duplicate_every = tonumber(os.getenv("DUPLICATE_EVERY") or "20")
local threads = {}

setup = function(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

init = function(args)
  generated, duplicates, acked, refused, redelivered = 0, 0, 0, 0, false
end

request = function()
  local n = generated
  if duplicate_every > 0 and generated > 0 and generated % duplicate_every == 0 and not redelivered then
    n, redelivered = generated - 1, true
    duplicates = duplicates + 1
  else
    generated, redelivered = generated + 1, false
    n = generated - 1
  end
  local data = payloads[(n % #payloads) + 1]
  local body = string.format(
    '{"message":{"data":"%s","messageId":"b%d-%d","publishTime":"2026-01-01T00:00:00Z"},' ..
    '"subscription":"projects/bench/subscriptions/push"}', data, id, n)
  return wrk.format("POST", "/api/v1/sensors/pubsub?token=" .. token,
    {["Content-Type"] = "application/json"}, body)
end

response = function(status, headers, body)
  if status == 204 or status == 202 then acked = acked + 1 else refused = refused + 1 end
end

done = function(summary, latency, requests)
  local generated_total, duplicates_total, acked_total, refused_total = 0, 0, 0, 0
  local ids = {}
  for _, thread in ipairs(threads) do
    generated_total = generated_total + thread:get("generated")
    duplicates_total = duplicates_total + thread:get("duplicates")
    acked_total = acked_total + thread:get("acked")
    refused_total = refused_total + thread:get("refused")
    table.insert(ids, string.format("%d:%d", thread:get("id"), thread:get("generated")))
  end
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.1f rps=%.1f p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f " ..
    "generated=%d duplicates=%d acknowledged=%d refused=%d socket_errors=%d ids=%s\n",
    summary.requests, seconds, summary.requests / seconds, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, generated_total,
    duplicates_total, acked_total, refused_total, e.connect + e.read + e.write + e.timeout,
    table.concat(ids, ",")))
end
