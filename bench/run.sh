#!/usr/bin/env bash
# Measures the local gateway against a plain httputil.ReverseProxy in front of
# the same echo backend, with the same connection pool and the same client, in
# one run, and prints both throughputs, their p50 and p99 latencies, and the
# ratio (target: the gateway keeps at least 0.8 of the proxy's throughput).
# The machine may be shared: compare ratios within one run, over several runs.
#
#   bench/run.sh            5 s per benchmark
#   BENCHTIME=10s bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(go test -run '^$' -bench 'LocalGateway|ReverseProxy' -benchtime "${BENCHTIME:-5s}" ./internal/gateway/)
echo "$out"
echo "$out" | awk '
  function metric(unit,   i) { for (i = 1; i < NF; i++) if ($(i+1) == unit) return $i; return "" }
  /^BenchmarkLocalGateway/ { g = metric("req/s"); g50 = metric("p50-µs"); g99 = metric("p99-µs") }
  /^BenchmarkReverseProxy/ { p = metric("req/s"); p50 = metric("p50-µs"); p99 = metric("p99-µs") }
  END {
    if (g == "" || p == "") { print "bench: no figures" > "/dev/stderr"; exit 1 }
    printf "local gateway %6.0f req/s  p50 %6.0f µs  p99 %6.0f µs\n", g, g50, g99
    printf "reverse proxy %6.0f req/s  p50 %6.0f µs  p99 %6.0f µs\n", p, p50, p99
    printf "ratio %.2f (target 0.80)\n", g / p
  }'
