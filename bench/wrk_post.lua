-- wrk script for the intake benchmarks: POST a JSON body with optional headers, a unique
-- Idempotency-Key per request, and a JSON summary of latency percentiles at the end.
-- Environment: WRK_BODY (JSON; "{unit}" is replaced by a number in [WRK_UNIT_LO, WRK_UNIT_HI]),
-- WRK_AUTH (Authorization header value), WRK_COOKIE, WRK_CSRF (X-CSRFToken), WRK_REFERER,
-- WRK_CONTENT_TYPE (default application/json), WRK_RUN (a prefix for the keys).
local counter = 0
thread_id = 0  -- a global: setup() sets it in each thread
local threads = {}
local body = os.getenv("WRK_BODY") or "{}"
local lo = tonumber(os.getenv("WRK_UNIT_LO") or "0")
local hi = tonumber(os.getenv("WRK_UNIT_HI") or "0")
local run = os.getenv("WRK_RUN") or tostring(os.time())

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() + thread_id * 7919)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = os.getenv("WRK_CONTENT_TYPE") or "application/json"
  if os.getenv("WRK_AUTH") then wrk.headers["Authorization"] = os.getenv("WRK_AUTH") end
  if os.getenv("WRK_COOKIE") then wrk.headers["Cookie"] = os.getenv("WRK_COOKIE") end
  if os.getenv("WRK_CSRF") then wrk.headers["X-CSRFToken"] = os.getenv("WRK_CSRF") end
  if os.getenv("WRK_REFERER") then wrk.headers["Referer"] = os.getenv("WRK_REFERER") end
end

function request()
  counter = counter + 1
  local b = body
  if hi > 0 then b = string.gsub(body, "{unit}", tostring(math.random(lo, hi))) end
  wrk.headers["Idempotency-Key"] = run .. "-" .. thread_id .. "-" .. counter
  return wrk.format(nil, nil, nil, b)
end

function done(summary, latency, requests)
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "non2xx": %d, "errors": %d, ' ..
    '"p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f}\n',
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000))
end
