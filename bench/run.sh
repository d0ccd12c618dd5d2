#!/usr/bin/env bash
# Measures the local gateway against a plain httputil.ReverseProxy in front of
# the same echo backend, with the same connection pool and the same client
# (BenchmarkLocalGateway and BenchmarkReverseProxy in
# internal/gateway/bench_test.go), and prints both throughputs, their p50 and
# p99 latencies, and the ratio. Target: the gateway keeps at least 0.8 of the
# proxy's throughput.
#
# The machine may be shared, and its load moves within seconds: the run is
# ROUNDS short pairs, the two benchmarks back to back (in alternating order),
# and the figures are the medians over the pairs (the ratio is the median of
# the pairs' ratios). Each round also runs BenchmarkIntegrationFloor: the
# same exchange with the backend as the gateway's (its POST and envelope,
# recorded once) and none of the gateway's own work, so its ratio to the
# proxy is the most the gateway's could be; the gap between the two is the
# pipeline's cost. Each benchmark also reports the CPU time of its whole
# process per request (client, servers and backend): the proxy's over the
# gateway's is the ratio the throughputs would have on an idle machine with
# the CPU as the bottleneck, and moves less with the machine's load. The
# pipeline cost is the gateway's CPU per request over the floor's: what the
# pipeline adds to the same exchange with the backend.
#
#   bench/run.sh                     3 pairs, 3 s per benchmark
#   ROUNDS=5 BENCHTIME=5s bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-3}
bin=$(mktemp -d)/gateway.test
trap 'rm -rf "$(dirname "$bin")"' EXIT
go test -c -o "$bin" ./internal/gateway/
one() { (cd internal/gateway && "$bin" -test.run '^$' -test.bench "^Benchmark$1\$" -test.benchtime "${BENCHTIME:-3s}") | grep "^Benchmark$1"; }
out=""
for ((r = 1; r <= rounds; r++)); do
  if ((r % 2)); then pair="$(one LocalGateway)"$'\n'"$(one ReverseProxy)"$'\n'"$(one IntegrationFloor)"
  else pair="$(one IntegrationFloor)"$'\n'"$(one ReverseProxy)"$'\n'"$(one LocalGateway)"; fi
  echo "$pair" | sed "s/^/round $r: /"
  out+="$pair"$'\n'
done
echo "$out" | awk '
  function metric(unit,   i) { for (i = 1; i < NF; i++) if ($(i+1) == unit) return $i; return "" }
  function median(a, n,   i, j, t) {
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
    return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
  }
  /^BenchmarkLocalGateway/ { ng++; g[ng] = metric("req/s"); g50[ng] = metric("p50-µs"); g99[ng] = metric("p99-µs"); gc[ng] = metric("cpu-µs/req") }
  /^BenchmarkIntegrationFloor/ { nf++; f[nf] = metric("req/s"); fc[nf] = metric("cpu-µs/req") }
  /^BenchmarkReverseProxy/ { np++; p[np] = metric("req/s"); p50[np] = metric("p50-µs"); p99[np] = metric("p99-µs"); pc[np] = metric("cpu-µs/req") }
  END {
    if (ng == 0 || ng != np || nf != np) { print "bench: no figures" > "/dev/stderr"; exit 1 }
    lo = 1e9; hi = 0
    clo = 1e9; chi = 0
    for (i = 1; i <= ng; i++) {
      q[i] = g[i] / p[i]; if (q[i] < lo) lo = q[i]; if (q[i] > hi) hi = q[i]
      fq[i] = f[i] / p[i]
      if (gc[i] > 0) { c[i] = pc[i] / gc[i]; if (c[i] < clo) clo = c[i]; if (c[i] > chi) chi = c[i] }
      if (fc[i] > 0) { k[++nk] = gc[i] / fc[i]; if (nk == 1 || k[nk] < klo) klo = k[nk]; if (k[nk] > khi) khi = k[nk] }
    }
    printf "local gateway %6.0f req/s  p50 %6.0f µs  p99 %6.0f µs  %4.0f cpu-µs/req\n", median(g, ng), median(g50, ng), median(g99, ng), median(gc, ng)
    printf "reverse proxy %6.0f req/s  p50 %6.0f µs  p99 %6.0f µs  %4.0f cpu-µs/req\n", median(p, np), median(p50, np), median(p99, np), median(pc, np)
    printf "ratio %.2f (%.2f-%.2f over %d pairs; target 0.80)\n", median(q, ng), lo, hi, ng
    printf "floor ratio %.2f: the same exchange with the backend and no pipeline (%.0f cpu-µs/req), the most the gateway'"'"'s ratio could be\n", median(fq, nf), median(fc, nf)
    if (chi > 0) printf "cpu ratio %.2f (%.2f-%.2f): the proxy'"'"'s CPU per request over the gateway'"'"'s\n", median(c, ng), clo, chi
    if (nk > 0) printf "pipeline cost %.2fx (%.2f-%.2f): the gateway'"'"'s CPU per request over the floor'"'"'s\n", median(k, nk), klo, khi
  }'
