-- Shared by the API benchmark scripts: bearer token from the environment and a JSON summary
-- (p50/p95/p99 in ms, req/s, non-2xx count) printed on one line for bench_api.py to parse.
local token = os.getenv("BENCH_TOKEN") or ""
wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["Content-Type"] = "application/json"

function done(summary, latency, requests)
  local secs = summary.duration / 1e6
  local bad = summary.errors.status + summary.errors.connect + summary.errors.read
            + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "rps": %.1f, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, "errors": %d}\n',
    summary.requests, summary.requests / secs, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, bad))
end
