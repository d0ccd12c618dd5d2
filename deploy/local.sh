#!/usr/bin/env bash
# make deploy-local: deploys the app's stack (cdk.json's configuration) with the pinned CDK CLI to
# moto_server (a local mock of the AWS APIs) on a free loopback port, writes
# cdk-outputs.json, and prints the API URL and the REST API's resource tree as
# the mock holds them. Nothing leaves this machine.
#
#   deploy/local.sh              start moto, deploy, print, stop moto
#   MOTO_PORT=5055 KEEP_MOTO=1   use that port and leave moto running (pid in $OUT/moto.pid)
#   OUTPUTS=file OUT=dir         where the outputs file and the cloud assembly go
#                                (default cdk-outputs.json and cdk.out)
#   deploy/local.sh -c KEY=VALUE ...   more arguments for cdk synth (another
#                                configuration, e.g. -c 'iamgate:vpcLink={"nlbArn":"..."}')
#
# The app is synthesized once, into $OUT, while moto starts; bootstrap and
# deploy read that cloud assembly (with cdk.json's app, `cdk bootstrap` would
# synthesize the app as well, only to find no environment in it).
#
# moto keeps the REST API, resources, methods (authorization type) and their
# integrations (type, method, URI) and the stack outputs; it drops request
# parameters, templates and responses, and serves no execute-api endpoint:
# `iamgate local` is for that.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "deploy-local: $*" >&2; exit 1; }

command -v moto_server >/dev/null || fail "moto_server is not installed (it comes with the Python package moto[server]); see the README's prerequisites"
command -v cfn-lint >/dev/null || fail "cfn-lint is not installed; see the README's prerequisites"
CDK=node_modules/.bin/cdk
[ -x "$CDK" ] || fail "the pinned CDK CLI is missing: run npm ci (make does it)"

export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 CDK_DISABLE_VERSION_CHECK=1 CDK_DISABLE_CLI_TELEMETRY=true
# Dummy credentials for the mock; AWS_PROFILE would point at a real account.
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_DEFAULT_PROFILE
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing
export AWS_REGION=${AWS_REGION:-us-east-1} AWS_DEFAULT_REGION=${AWS_REGION:-us-east-1}
ACCOUNT=123456789012 # moto's default account

port=${MOTO_PORT:-}
if [ -z "$port" ]; then
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
fi
# moto reads the bootstrap template URL path-style only for a localhost host.
export AWS_ENDPOINT_URL="http://localhost:$port"

outputs=${OUTPUTS:-cdk-outputs.json}
out=${OUT:-cdk.out}
mkdir -p "$out"
log=$out/moto.log
moto_server -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
moto_pid=$!
echo "$moto_pid" > "$out/moto.pid"
t0=$(date +%s)
"$CDK" synth --quiet --output "$out" "$@" >"$out/synth.log" 2>&1 &
synth_pid=$!
stop_moto() {
  kill "$synth_pid" 2>/dev/null || true
  if [ -z "${KEEP_MOTO:-}" ]; then
    kill "$moto_pid" 2>/dev/null || true
    wait "$moto_pid" 2>/dev/null || true
    rm -f "$out/moto.pid"
  fi
}
trap stop_moto EXIT

for _ in $(seq 1 150); do
  curl -sf "http://127.0.0.1:$port/moto-api/" >/dev/null 2>&1 && break
  kill -0 "$moto_pid" 2>/dev/null || fail "moto_server exited; see $log"
  sleep 0.1
done
curl -sf "http://127.0.0.1:$port/moto-api/" >/dev/null || fail "moto_server did not answer on port $port; see $log"
echo "deploy-local: moto_server on 127.0.0.1:$port (pid $moto_pid)"

wait "$synth_pid" || { cat "$out/synth.log" >&2; fail "cdk synth failed; see $out/synth.log"; }
t1=$(date +%s)
# The app's one stack, as synthesized: iamgate:stackName may name it.
stack=$(python3 -c '
import json, sys
m = json.load(open(sys.argv[1] + "/manifest.json"))
s = [k for k, v in m["artifacts"].items() if v["type"] == "aws:cloudformation:stack"]
print(s[0] if len(s) == 1 else "")' "$out")
[ -n "$stack" ] || fail "the cloud assembly in $out does not hold exactly one stack"
"$CDK" bootstrap "aws://$ACCOUNT/$AWS_REGION" --app "$out" >"$out/bootstrap.log" 2>&1 ||
  { cat "$out/bootstrap.log" >&2; fail "cdk bootstrap failed; see $out/bootstrap.log"; }
t2=$(date +%s)
# The default change-set deploy fails on moto (it creates the Deployment
# before the Methods); a direct deploy creates them in dependency order.
"$CDK" deploy "$stack" --app "$out" --method=direct --require-approval never --outputs-file "$outputs" \
  >"$out/deploy.log" 2>&1 || { cat "$out/deploy.log" >&2; fail "cdk deploy failed; see $out/deploy.log"; }
t3=$(date +%s)
echo "deploy-local: synth $((t1 - t0)) s (moto started meanwhile), bootstrap $((t2 - t1)) s, deploy $((t3 - t2)) s"

python3 - "$outputs" "$stack" <<'PY'
import json, sys
out = json.load(open(sys.argv[1]))[sys.argv[2]]
# moto resolves the stage's Ref as "None", so the URL shows /None/ for /prod/.
print("ApiUrl:", out["ApiUrl"])
print("ApiId:", out["ApiId"])
print("ExecuteApiArnPrefix:", out["ExecuteApiArnPrefix"])
PY
api_id=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]]["ApiId"])' "$outputs" "$stack")
echo "resources of $api_id, as the mock holds them:"
aws --endpoint-url "$AWS_ENDPOINT_URL" apigateway get-resources --rest-api-id "$api_id" --output json |
  python3 -c '
import json, sys
for r in sorted(json.load(sys.stdin)["items"], key=lambda r: r["path"]):
    methods = r.get("resourceMethods") or {}
    print("  %-24s %s" % (r["path"], " ".join(sorted(methods))))
'
