-- wrk script: POSTs a JSON body read from a file, with extra headers, optionally paced, and
-- prints a JSON summary (with p99.9) on its last line.
--   wrk ... -s post.lua URL -- BODY_FILE HEADERS_FILE [DELAY_MS]
-- HEADERS_FILE holds "Name: value" lines. DELAY_MS > 0 paces each connection (wrk has no rate
-- option): a connection waits that long before each request.
local delay_ms = 0

function init(args)
  local f = assert(io.open(args[1], "rb"))
  wrk.body = f:read("*a")
  f:close()
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  local h = assert(io.open(args[2], "r"))
  for line in h:lines() do
    local name, value = line:match("^([^:]+):%s*(.*)$")
    if name then wrk.headers[name] = value end
  end
  h:close()
  delay_ms = tonumber(args[3] or "0") or 0
  if delay_ms <= 0 then
    delay = nil -- without a delay function wrk sends back to back (no timer per request)
  end
end

function delay()
  return delay_ms
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\n{"requests":%d,"durationUs":%d,"bytes":%d,"connectErrors":%d,"readErrors":%d,'
      .. '"writeErrors":%d,"timeouts":%d,"non2xx":%d,'
      .. '"p50":%d,"p90":%d,"p99":%d,"p999":%d,"max":%d,"mean":%.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.timeout,
    e.status, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), latency.max, latency.mean))
end
