#!/usr/bin/env bash
# Measures the envelope render (templates/envelope.vtl, 20 headers, a 1 KB
# JSON body) of internal/vtl against Apache Velocity 1.7 on a warm JVM, in
# the same run and on the same request (BenchmarkEnvelope and
# BenchmarkEnvelopeVelocity), three times, and prints for each run both
# ns/op, our allocs/op and the ratio velocity/ours, then the median and the
# spread (min-max) of each (target: ratio >= 5, allocs <= 60).
#
#   bench/envelope.sh                  3 runs, 10 s JVM warm-up, 5 s measured
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
runs=()
for i in $(seq "${RUNS:-3}"); do
  out=$(cd internal/vtl && "$bin/vtl.test" -test.run '^$' -test.bench '^BenchmarkEnvelope(Velocity)?$' -test.benchmem -test.benchtime "${BENCHTIME:-2s}")
  if grep -q -- '--- SKIP: BenchmarkEnvelopeVelocity' <<<"$out"; then
    echo "$out" | grep -A2 -- '--- SKIP'
    echo "envelope bench: skipped, no Velocity 1.7 reference on this machine"
    exit 0
  fi
  run=$(awk '
    $1 ~ /^BenchmarkEnvelope-/ { for (i = 2; i <= NF; i++) { if ($(i+1) == "ns/op") ours = $i; if ($(i+1) == "allocs/op") allocs = $i } }
    $1 ~ /^BenchmarkEnvelopeVelocity-/ { for (i = 2; i <= NF; i++) if ($(i+1) == "ns/op") vel = $i }
    END {
      if (ours == "" || vel == "") { print "envelope bench: no figures" > "/dev/stderr"; exit 1 }
      printf "%.0f %s %.0f %.2f\n", ours, allocs, vel, vel / ours
    }' <<<"$out")
  read -r ours allocs vel ratio <<<"$run"
  printf "run %d: ours %s ns/op %s allocs/op, velocity 1.7 %s ns/op, ratio velocity/ours %s\n" "$i" "$ours" "$allocs" "$vel" "$ratio"
  runs+=("$run")
done
printf '%s\n' "${runs[@]}" | awk '
  { for (c = 1; c <= 4; c++) v[c, NR] = $c }
  function stats(c,   i, j, t, a, n) {
    n = NR
    for (i = 1; i <= n; i++) a[i] = v[c, i]
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return sprintf("%g (%g-%g)", (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2, a[1], a[n])
  }
  END {
    printf "envelope, median (min-max) of %d runs: ours %s ns/op, %s allocs/op; velocity 1.7 %s ns/op; ratio velocity/ours %s\n",
      NR, stats(1), stats(2), stats(3), stats(4)
  }'
