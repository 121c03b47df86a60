-- One request shape, many callers: every request takes the next line of
-- BENCH_REQUESTS (round robin). A line is tab-separated fields: "Name: value"
-- headers, and optionally one "body=..." field. BENCH_METHOD and BENCH_PATH
-- give the rest; BENCH_SPREAD_IP=1 adds a distinct X-Forwarded-For per request
-- (login limits are per IP; the bench server trusts the proxy header).
-- done() prints one JSON line that bench/wrk.ts parses.

local lines = {}
local index = 0
local counter = 0
local method = os.getenv("BENCH_METHOD") or "GET"
local path = os.getenv("BENCH_PATH") or "/"
local spread_ip = os.getenv("BENCH_SPREAD_IP") == "1"
local requests = {}

local function split(text, separator)
  local parts = {}
  for part in string.gmatch(text, "([^" .. separator .. "]+)") do table.insert(parts, part) end
  return parts
end

function init(args)
  local file = os.getenv("BENCH_REQUESTS")
  if file and #file > 0 then
    for line in io.lines(file) do
      if #line > 0 then
        local headers, body = {}, nil
        for _, field in ipairs(split(line, "\t")) do
          if string.sub(field, 1, 5) == "body=" then
            body = string.sub(field, 6)
          else
            local name, value = string.match(field, "^([^:]+):%s*(.*)$")
            if name then headers[name] = value end
          end
        end
        table.insert(lines, { headers = headers, body = body })
      end
    end
  end
  if #lines == 0 then table.insert(lines, { headers = {}, body = nil }) end
  -- Threads start at different offsets so they do not move in lockstep.
  index = math.random(#lines) - 1
end

function request()
  index = index % #lines + 1
  local entry = lines[index]
  if spread_ip then
    counter = counter + 1
    entry.headers["X-Forwarded-For"] = string.format("10.%d.%d.%d", math.random(250), math.floor(counter / 250) % 250 + 1, counter % 250 + 1)
  end
  return wrk.format(method, path, entry.headers, entry.body)
end

function done(summary, latency, requests)
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"bytes":%d,"connect_errors":%d,"read_errors":%d,"write_errors":%d,"status_errors":%d,"timeouts":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f}\n',
    summary.requests, summary.duration, summary.bytes, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean))
end
