-- wrk script: POSTs a JSON body read from a file, with extra headers, optionally paced, and
-- prints a JSON summary (with p99.9) on its last line.
--   wrk ... -s post.lua URL -- BODY_FILE HEADERS_FILE [DELAY_MS] [vary]
-- HEADERS_FILE holds "Name: value" lines. DELAY_MS > 0 paces each connection (wrk has no rate
-- option): a connection waits that long before each request. "vary" makes every request's body
-- unique: each "@SEQ@" in the body becomes a number drawn once per wrk run, the thread's number
-- and a counter (the cache benchmark's misses: unique across runs too, so a run never meets the
-- answers an earlier run stored).
local delay_ms = 0
local vary = false
local sequence = 0
local threads = 0
math.randomseed(os.time())
local run_number = math.random(1, 2000000000)

function setup(thread)
  thread:set("run_number", run_number)
  thread:set("thread_number", threads)
  threads = threads + 1
end

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
  vary = args[4] == "vary"
  if not vary then
    request = nil -- without a request function wrk sends the same prepared request each time
  end
end

function request()
  sequence = sequence + 1
  local unique = tostring(run_number or 0) .. "-" .. tostring(thread_number or 0) .. "-"
    .. tostring(sequence)
  return wrk.format(nil, nil, nil, (wrk.body:gsub("@SEQ@", unique)))
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
