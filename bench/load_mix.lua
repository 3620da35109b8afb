-- wrk script for bench/load_mix.sh: a weighted mix of reads and writes over the four contexts.
-- Every request carries X-Request-ID "mix.<class>.<thread>.<n>"; nginx writes it in its access
-- log, where bench/load_mix.py reads the per-class latencies and statuses. The data (ids, points,
-- tiles, tokens, Pub/Sub payloads) comes from the file in LOAD_MIX_DATA (load_mix.py data).
local data = dofile(os.getenv("LOAD_MIX_DATA"))
local threads = {}
run = tonumber(os.getenv("LOAD_MIX_RUN") or "1")

-- The mix, in weights out of 100 (bench/load_mix.py MIX, through the data file).
MIX = data.mix

-- Think time: with LOAD_MIX_THINK_MS=T, each client (connection) waits between 0.5 T and 1.5 T
-- (uniformly, as locust's `between`) after an answer before its next request, as people and
-- dashboards do; unset or 0, it sends the next request at once (a closed loop at saturation).
local think_ms = tonumber(os.getenv("LOAD_MIX_THINK_MS") or "0")
if think_ms > 0 then
  delay = function() return math.floor(think_ms * (0.5 + math.random())) end
end

local function pick(list) return list[math.random(#list)] end

local function send(class, method, path, headers, body)
  sent = sent + 1
  headers = headers or {}
  headers["X-Request-ID"] = string.format("mix.%s.%d.%d", class, id, sent)
  headers["Accept-Encoding"] = "gzip"  -- as browsers and HTTP libraries send it
  return wrk.format(method, path, headers, body)
end

local function as_editor(class, method, path, body, extra)
  local headers = {["Authorization"] = "Bearer " .. data.token,
                   ["Content-Type"] = "application/json"}
  for k, v in pairs(extra or {}) do headers[k] = v end
  return send(class, method, path, headers, body)
end

local build = {}

build["geo.choropleth"] = function(c) return send(c, "GET", "/api/v1/postal-codes") end
build["geo.turnover"] = function(c)
  return send(c, "GET", "/api/v1/turnover?group_by=" .. pick({"month,gender", "age,gender", "postal_code"}))
end
build["geo.at"] = function(c)
  local point = pick(data.points)
  return send(c, "GET", string.format("/api/v1/postal-codes/at?lon=%.6f&lat=%.6f&geometry=false",
    point[1] + (math.random() - 0.5) * 1e-4, point[2] + (math.random() - 0.5) * 1e-4))
end
build["geo.tile"] = function(c) return send(c, "GET", "/api/v1/tiles/postal-codes/" .. pick(data.tiles) .. ".mvt") end

build["numbers.list"] = function(c)
  return send(c, "GET", string.format("/api/v1/numbers?per_page=50&page=%d", math.random(data.number_pages)))
end
build["numbers.get"] = function(c) return send(c, "GET", "/api/v1/numbers/" .. pick(data.numbers)) end
build["numbers.create"] = function(c)
  created = created + 1
  -- Unique per run (LOAD_MIX_RUN: the warm-up is 1, the measured run 2), thread and request.
  local body = string.format('{"value": "+55 21 9%d%d%02d-%04d", "monthyPrice": "0.03", ' ..
    '"setupPrice": "3.40", "currency": "U$"}', run, id, math.floor(created / 10000) % 100, created % 10000)
  return as_editor(c, "POST", "/api/v1/numbers", body)
end
build["numbers.update"] = function(c)
  -- A number this thread created and is not updating already: each is changed by one request
  -- at a time, with the ETag of its last answer, as one client editing it would.
  local number = table.remove(idle)
  if not number then return build["numbers.create"]("numbers.create") end
  local body = string.format('{"monthyPrice": "0.%02d"}', math.random(1, 99))
  return as_editor(c, "PATCH", "/api/v1/numbers/" .. number[1], body, {["If-Match"] = number[2]})
end

build["expenses.list"] = function(c)
  return send(c, "GET", pick({
    "/api/v1/expenses?sort=-date&limit=50",
    "/api/v1/expenses?amount[gte]=100&sort=-amount&limit=20",
    "/api/v1/expenses?department_id=" .. pick(data.departments) .. "&sort=-date&limit=50",
  }))
end
build["expenses.aggregate"] = function(c)
  return send(c, "GET", "/api/v1/expenses/aggregates?by=" .. pick({"department", "month", "project"}) ..
    "&metrics=sum,count,share")
end
build["expenses.create"] = function(c)
  local body = string.format('{"department_id": %d, "project_id": %d, "member_id": %d, ' ..
    '"amount": "%d.%02d", "date": "2021-%02d-%02d", "description": "load mix"}',
    pick(data.departments), pick(data.projects), pick(data.members), math.random(1, 900),
    math.random(0, 99), math.random(1, 12), math.random(1, 28))
  return as_editor(c, "POST", "/api/v1/expenses", body)
end

build["sensors.readings"] = function(c)
  return send(c, "GET", string.format("/api/v1/sensors/%d/readings?from=%s&to=%s&points=%d",
    pick(data.sensors), data.sensor_start, data.sensor_end, pick({100, 500})))
end
build["sensors.kpis"] = function(c)
  return send(c, "GET", string.format("/api/v1/sensors/kpis?from=%s&to=%s", data.kpi_start, data.kpi_end))
end
build["sensors.push"] = function(c)
  pushed = pushed + 1
  local body = string.format(
    '{"message":{"data":"%s","messageId":"mix-%d-%d-%d","publishTime":"2026-01-01T00:00:00Z"},' ..
    '"subscription":"projects/bench/subscriptions/push"}', data.payloads[(pushed % #data.payloads) + 1], run, id, pushed)
  return send(c, "POST", "/api/v1/sensors/pubsub?token=" .. data.push_token,
    {["Content-Type"] = "application/json"}, body)
end

setup = function(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

init = function(args)
  sent, created, pushed, statuses, idle, mine = 0, 0, 0, {}, {}, {}
  math.randomseed(id * 7919)
  total_weight = 0
  for _, entry in ipairs(MIX) do total_weight = total_weight + entry[1] end
end

request = function()
  local roll, class = math.random(total_weight), nil
  for _, entry in ipairs(MIX) do
    roll = roll - entry[1]
    if roll <= 0 then class = entry[2]; break end
  end
  return build[class](class)
end

response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  -- A number created or updated by this thread: idle again, with the ETag it now has. (A 200
  -- with a number's ETag may also answer numbers.get, on a seeded number another thread may be
  -- editing too: only the numbers this thread created count.)
  local etag = headers["ETag"] or headers["Etag"] or headers["etag"]
  local number = etag and etag:match('^"pn%-(%d+)%-v%d+"$')
  if number and status == 201 then mine[number] = true end
  if number and mine[number] and (status == 200 or status == 201) then
    table.insert(idle, {number, etag})
  end
end

done = function(summary, latency, requests)
  local by_status = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      by_status[status] = (by_status[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(by_status) do table.insert(parts, string.format("%d:%d", status, count)) end
  table.sort(parts)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d seconds=%.1f rps=%.1f p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f max_ms=%.1f " ..
    "connect_errors=%d read_errors=%d write_errors=%d timeouts=%d non_2xx=%d statuses=%s\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, e.connect, e.read, e.write, e.timeout, e.status, table.concat(parts, ",")))
end
