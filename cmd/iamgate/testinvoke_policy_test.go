package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The gateway's fixture for IAM policies: GrantInvoke on GET
// /orders/{orderId} for the role Reader, and a resource policy denying
// callers outside the organization o-a1b2c3d4e5 (see
// internal/gateway/policy_test.go).
const policyFixture = "../../internal/gateway/testdata/grantinvoke.template.json"

// test-invoke evaluates the --identity caller's policies and names the
// statement that decided, in the log and in --json.
func TestTestInvokePolicies(t *testing.T) {
	dir := t.TempDir()
	identity := filepath.Join(dir, "reader.json")
	if err := os.WriteFile(identity, []byte(`{"credentials": [{"accessKeyId": "AKIAREADER", "identity": {"accountId": "123456789012",
		"userArn": "arn:aws:sts::123456789012:assumed-role/Reader/s", "principalOrgId": "o-a1b2c3d4e5"},
		"policies": ["ReaderDefaultPolicy151F3818"]}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCLI("test-invoke", "--template", policyFixture, "--identity", identity, "/orders/42")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(out, "\nIAM policy evaluation of execute-api:Invoke on arn:aws:execute-api:us-east-1:123456789012:") ||
		!strings.Contains(out, `/prod/GET/orders/42: allowed by identity policy "ReaderDefaultPolicy151F3818" statement 0`+"\n") {
		t.Errorf("log:\n%s", out)
	}

	code, out, stderr = runCLI("test-invoke", "--template", policyFixture, "--identity", identity, "--json", "-X", "POST", "-d", `{}`, "/orders")
	if code != 1 || !strings.HasPrefix(stderr, "iamgate test-invoke: API Gateway would answer 403 AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/Reader/s is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:123456789012:") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got struct {
		Policy *struct {
			Resource     string `json:"resource"`
			Allowed      bool   `json:"allowed"`
			ExplicitDeny bool   `json:"explicitDeny"`
			Reason       string `json:"reason"`
			DecidedBy    []any  `json:"decidedBy"`
		} `json:"policy"`
		IntegrationRequest any `json:"integrationRequest"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if p := got.Policy; p == nil || p.Allowed || p.ExplicitDeny || !strings.HasSuffix(p.Resource, "/prod/POST/orders") ||
		!strings.HasPrefix(p.Reason, "implicit deny: no statement allows") || len(p.DecidedBy) != 0 || got.IntegrationRequest != nil {
		t.Errorf("--json: %s", out)
	}

	// Outside the organization, the resource policy's Deny decides.
	outsider := filepath.Join(dir, "outsider.json")
	_ = os.WriteFile(outsider, []byte(`{"accountId": "123456789012", "userArn": "arn:aws:iam::123456789012:user/outsider",
		"policies": [{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "*"}}]}`), 0o600)
	code, out, stderr = runCLI("test-invoke", "--template", policyFixture, "--identity", outsider, "--json", "/orders/42")
	if code != 1 || !strings.HasSuffix(strings.TrimSpace(stderr), " with an explicit deny") ||
		!strings.Contains(out, `"sid": "DenyOutsideOrg"`) || !strings.Contains(out, `"kind": "resource policy"`) {
		t.Errorf("outsider: exit %d, %s\n%s", code, stderr, out)
	}

	// A policy iamgate cannot evaluate: one line, exit 1.
	bad := filepath.Join(dir, "bad.json")
	_ = os.WriteFile(bad, []byte(`{"userArn": "arn:aws:iam::123456789012:user/a", "policies": [{"Version": "2012-10-17",
		"Statement": {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "*", "Condition": {"StringEquals": {"aws:RequestTag/x": "y"}}}}]}`), 0o600)
	code, _, stderr = runCLI("test-invoke", "--template", policyFixture, "--identity", bad, "/orders/42")
	if code != 1 || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "credentials[0] (arn:aws:iam::123456789012:user/a): policies[0]: Statement[0]: Condition StringEquals aws:RequestTag/x: unknown condition key") {
		t.Errorf("bad policy: exit %d, %q", code, stderr)
	}
}
