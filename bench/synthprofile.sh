#!/usr/bin/env bash
# Where the app's synth spends the time that the one-method app's does not
# (the 1.2x target of bench/synth.sh): runs each app once without the CDK CLI
# (CDK_OUTDIR, the context of cdk.json), with the jsii kernel's Node.js
# process under --cpu-prof, and prints for each the Node.js CPU time split
# into what the work is for:
#   cfn-validate  CDK's built-in CloudFormation validation (the
#                 @aws-cdk/core:validateAgainstDefaultRules flag of cdk.json):
#                 its engine loads a rule per resource type of the templates
#   cdk-nag       the AwsSolutions aspect, with the modules its rules load
#                 (a rule on, say, QuickSight loads aws-cdk-lib's QuickSight
#                 module to test `instanceof`, whatever the stack holds)
#   modules       other aws-cdk-lib modules loaded (what the app's constructs use)
#   rest          building the constructs, resolving and writing the templates
# beside each app's wall time (its Go process and the kernel's). The figures
# are of one run each; run it twice to see the spread.
#
#   bench/synthprofile.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/app" .
go build -o "$tmp/onemethod" ./bench/onemethod
cat >"$tmp/node" <<'EOF'
#!/bin/sh
exec node --cpu-prof --cpu-prof-dir="$PROFDIR" "$@"
EOF
chmod +x "$tmp/node"
context=$(python3 -c 'import json; print(json.dumps(json.load(open("cdk.json"))["context"]))')
for b in app onemethod; do
  mkdir -p "$tmp/prof-$b"
  start=$(date +%s.%N)
  PROFDIR="$tmp/prof-$b" JSII_NODE="$tmp/node" CDK_OUTDIR="$tmp/out-$b" CDK_CONTEXT_JSON="$context" "$tmp/$b" >"$tmp/log-$b" 2>&1 ||
    { cat "$tmp/log-$b" >&2; exit 1; }
  end=$(date +%s.%N)
  echo "$start $end" >"$tmp/wall-$b"
done
python3 - "$tmp" <<'PY'
import collections, glob, json, os, re, sys
tmp = sys.argv[1]
def profile(app):
    # The kernel's process is the larger profile (the other is its launcher).
    path = max(glob.glob(os.path.join(tmp, "prof-" + app, "*.cpuprofile")), key=os.path.getsize)
    p = json.load(open(path))
    nodes = {n["id"]: n for n in p["nodes"]}
    parent = {c: n["id"] for n in p["nodes"] for c in n.get("children", [])}
    cats = collections.Counter()
    for sample, dt in zip(p["samples"], p["timeDeltas"]):
        frames, x = [], sample
        while x is not None:
            cf = nodes[x]["callFrame"]
            frames.append(cf["url"] + " " + cf["functionName"])
            x = parent.get(x)
        stack = "\n".join(frames)
        if "/cdk-nag/" in stack:
            cats["cdk-nag"] += dt
        elif "cloudformation-validate" in stack:
            cats["cfn-validate"] += dt
        elif "Module._load" in stack:
            cats["modules"] += dt
        else:
            cats["rest"] += dt
    start, end = map(float, open(os.path.join(tmp, "wall-" + app)).read().split())
    return cats, end - start
rows = {app: profile(app) for app in ("app", "onemethod")}
names = ["cfn-validate", "cdk-nag", "modules", "rest"]
print("%-10s %7s %7s" % ("", "app", "one") + "  %7s" % "extra" + "   (seconds)")
print("%-10s %7.2f %7.2f  %+7.2f" % ("wall", rows["app"][1], rows["onemethod"][1], rows["app"][1] - rows["onemethod"][1]))
for n in names + ["node cpu"]:
    a = sum(rows["app"][0].values()) if n == "node cpu" else rows["app"][0][n]
    o = sum(rows["onemethod"][0].values()) if n == "node cpu" else rows["onemethod"][0][n]
    print("%-10s %7.2f %7.2f  %+7.2f" % (n, a / 1e6, o / 1e6, (a - o) / 1e6))
PY
