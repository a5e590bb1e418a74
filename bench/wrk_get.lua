-- wrk script for GET benchmarks: optional Authorization/Cookie headers, JSON latency summary.
function init(args)
  if os.getenv("WRK_AUTH") then wrk.headers["Authorization"] = os.getenv("WRK_AUTH") end
  if os.getenv("WRK_COOKIE") then wrk.headers["Cookie"] = os.getenv("WRK_COOKIE") end
  if os.getenv("WRK_XHR") then wrk.headers["X-Requested-With"] = "XMLHttpRequest" end
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
