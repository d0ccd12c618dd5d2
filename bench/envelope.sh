#!/usr/bin/env bash
# Measures the envelope render (templates/envelope.vtl, 20 headers, a 1 KB
# JSON body) of internal/vtl against Apache Velocity 1.7 on a warm JVM, in
# the same run and on the same request (BenchmarkEnvelope and
# BenchmarkEnvelopeVelocity, which checks that both render the same JSON).
# Each side is timed in 10 windows: the mean of all, and the best window,
# which on a shared machine is the least disturbed one. Three runs; each
# prints both ns/op (best and mean), our allocs/op and the ratios
# velocity/ours; then the median and spread (min-max) over the runs
# (target: ratio >= 5, allocs <= 60).
#
#   bench/envelope.sh                  3 runs; JVM: 10 s warm-up, 5 s measured
#   RUNS=5 VTL_BENCH_WARMUP=20 bench/envelope.sh
#
# Without a JDK or Debian's velocity package (apt-get install velocity
# default-jdk-headless) it says so and exits 0.
set -euo pipefail
cd "$(dirname "$0")/.."
export VTL_BENCH_WARMUP="${VTL_BENCH_WARMUP:-10}" VTL_BENCH_MEASURE="${VTL_BENCH_MEASURE:-5}"
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
go test -c -o "$bin/vtl.test" ./internal/vtl/
bench() { (cd internal/vtl && "$bin/vtl.test" -test.run '^$' -test.benchmem "$@"); }
runs=()
for i in $(seq "${RUNS:-3}"); do
  # -test.v: a skipped benchmark says so only in verbose mode.
  vel=$(bench -test.bench '^BenchmarkEnvelopeVelocity$' -test.v)
  if grep -q -- '--- SKIP: BenchmarkEnvelopeVelocity' <<<"$vel"; then
    grep -B1 -- '--- SKIP' <<<"$vel" | head -1 | sed 's/^ *//'
    echo "envelope bench: skipped, no Velocity 1.7 reference on this machine"
    exit 0
  fi
  ours=$(bench -test.bench '^BenchmarkEnvelope$' -test.count 10 -test.benchtime "${BENCHTIME:-500ms}")
  run=$(awk '
    function field(unit,   i) { for (i = 2; i < NF; i++) if ($(i+1) == unit) return $i; return "" }
    $1 ~ /^BenchmarkEnvelope-/ { n++; t = field("ns/op"); sum += t; if (best == "" || t < best) best = t; allocs = field("allocs/op") }
    $1 ~ /^BenchmarkEnvelopeVelocity-/ { vmean = field("ns/op"); vbest = field("best-ns/op") }
    END {
      if (n == 0 || vmean == "") { print "envelope bench: no figures" > "/dev/stderr"; exit 1 }
      printf "%.0f %.0f %s %.0f %.0f %.2f %.2f\n", best, sum / n, allocs, vbest, vmean, vbest / best, vmean / (sum / n)
    }' <<<"$vel"$'\n'"$ours")
  read -r best mean allocs vbest vmean rbest rmean <<<"$run"
  printf "run %d: ours %s ns/op best, %s mean, %s allocs/op; velocity 1.7 %s ns/op best, %s mean; ratio velocity/ours %s best, %s mean\n" \
    "$i" "$best" "$mean" "$allocs" "$vbest" "$vmean" "$rbest" "$rmean"
  runs+=("$run")
done
printf '%s\n' "${runs[@]}" | awk '
  { for (c = 1; c <= 7; c++) v[c, NR] = $c }
  function stats(c,   i, j, t, a, n) {
    n = NR
    for (i = 1; i <= n; i++) a[i] = v[c, i] + 0
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return sprintf("%g (%g-%g)", (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2, a[1], a[n])
  }
  END {
    printf "envelope, median (min-max) of %d runs:\n", NR
    printf "  ours         %s ns/op best, %s ns/op mean, %s allocs/op\n", stats(1), stats(2), stats(3)
    printf "  velocity 1.7 %s ns/op best, %s ns/op mean\n", stats(4), stats(5)
    printf "  ratio velocity/ours %s best, %s mean (target >= 5)\n", stats(6), stats(7)
  }'
