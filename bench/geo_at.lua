-- wrk script: GET /api/v1/postal-codes/at at a random point inside the postal codes, jittered so
-- that no two requests share a URL: every answer is a miss of the response cache (uncached geo).
-- The points come from the file in GEO_POINTS (one "lon lat" a line); reports like
-- numbers_report.lua.
local points = {}
for line in io.lines(os.getenv("GEO_POINTS")) do
  local lon, lat = line:match("^(%S+) (%S+)$")
  table.insert(points, {tonumber(lon), tonumber(lat)})
end
local threads = {}

setup = function(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

init = function(args) math.randomseed(id * 104729) end

request = function()
  local point = points[math.random(#points)]
  return wrk.format("GET", string.format("/api/v1/postal-codes/at?lon=%.7f&lat=%.7f&geometry=false",
    point[1] + (math.random() - 0.5) * 1e-4, point[2] + (math.random() - 0.5) * 1e-4))
end

dofile(os.getenv("REPORTER") or "bench/numbers_report.lua")
