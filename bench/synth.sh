#!/usr/bin/env bash
# Measures the app's synth against the smallest CDK Go app with one REST API
# method (bench/onemethod), in the same run: both binaries are built first,
# then `cdk synth` (the CLI pinned in package.json) runs each in turn,
# alternating, ROUNDS times (default 3). Prints each side's median and
# spread, and the median and spread of the rounds' ratios (a round's two
# synths run back to back, so the ratio of a round is less disturbed by a
# busy machine than the ratio of the medians). Target: the app within 1.2x.
#
#   bench/synth.sh
#   ROUNDS=5 bench/synth.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 CDK_DISABLE_VERSION_CHECK=1 CDK_DISABLE_CLI_TELEMETRY=true
CDK=node_modules/.bin/cdk
[ -x "$CDK" ] || { echo "synth bench: the pinned CDK CLI is missing: run npm ci (make does it)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/app" .
go build -o "$tmp/onemethod" ./bench/onemethod
# seconds of one cdk synth of $1 (the app is run from the repository, for cdk.json's context)
time_synth() {
  local start end
  start=$(date +%s.%N)
  "$CDK" synth --quiet --app "$1" -o "$tmp/out-$2" >"$tmp/log-$2" 2>&1 || { cat "$tmp/log-$2" >&2; exit 1; }
  end=$(date +%s.%N)
  python3 -c "print(round($end - $start, 2))"
}
app=() one=()
for i in $(seq "${ROUNDS:-3}"); do
  if (( i % 2 )); then
    app+=("$(time_synth "$tmp/app" app)"); one+=("$(time_synth "$tmp/onemethod" one)")
  else
    one+=("$(time_synth "$tmp/onemethod" one)"); app+=("$(time_synth "$tmp/app" app)")
  fi
  echo "round $i: app ${app[-1]} s, one method ${one[-1]} s"
done
printf '%s\n' "${app[@]}" >"$tmp/app.txt"
printf '%s\n' "${one[@]}" >"$tmp/one.txt"
python3 - "$tmp/app.txt" "$tmp/one.txt" <<'PY'
import statistics, sys
app = [float(x) for x in open(sys.argv[1])]
one = [float(x) for x in open(sys.argv[2])]
ma, mo = statistics.median(app), statistics.median(one)
ratios = [a / o for a, o in zip(app, one)]
print(f"synth: app {ma:.2f} s ({min(app):.2f}-{max(app):.2f}), one-method app {mo:.2f} s ({min(one):.2f}-{max(one):.2f}), "
      f"ratio {statistics.median(ratios):.2f} ({min(ratios):.2f}-{max(ratios):.2f}) (target <= 1.2)")
PY
