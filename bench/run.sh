#!/usr/bin/env bash
# Measures the local gateway against a plain httputil.ReverseProxy in front of
# the same echo backend, in one run, and prints both throughputs and the
# ratio (target: the gateway keeps at least half of the proxy's throughput).
#
#   bench/run.sh            5 s per benchmark
#   BENCHTIME=10s bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(go test -run '^$' -bench 'LocalGateway|ReverseProxy' -benchtime "${BENCHTIME:-5s}" ./internal/gateway/)
echo "$out"
echo "$out" | awk '
  /^BenchmarkLocalGateway/ { for (i = 1; i <= NF; i++) if ($(i+1) == "req/s") g = $i }
  /^BenchmarkReverseProxy/ { for (i = 1; i <= NF; i++) if ($(i+1) == "req/s") p = $i }
  END {
    if (g == "" || p == "") { print "bench: no figures" > "/dev/stderr"; exit 1 }
    printf "local gateway %.0f req/s, reverse proxy %.0f req/s, ratio %.2f\n", g, p, g / p
  }'
