package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// On a NONE method, test-invoke shows the resource policy's decision for
// an anonymous caller when some credentials entry carries policies.
func TestTestInvokeAnonymous(t *testing.T) {
	dir := t.TempDir()
	raw, err := os.ReadFile(policyFixture)
	if err != nil {
		t.Fatal(err)
	}
	var tpl map[string]any
	if err := json.Unmarshal(raw, &tpl); err != nil {
		t.Fatal(err)
	}
	tpl["Resources"].(map[string]any)["ApiwhoamiGETF55E0622"].(map[string]any)["Properties"].(map[string]any)["AuthorizationType"] = "NONE"
	raw, _ = json.Marshal(tpl)
	template := filepath.Join(dir, "none.template.json")
	identity := filepath.Join(dir, "reader.json")
	legacy := filepath.Join(dir, "legacy.json")
	for name, content := range map[string][]byte{template: raw,
		identity: []byte(`{"accountId": "123456789012", "userArn": "arn:aws:sts::123456789012:assumed-role/Reader/s", "principalOrgId": "o-a1b2c3d4e5", "policies": ["ReaderDefaultPolicy151F3818"]}`),
		legacy:   []byte(`{"accountId": "123456789012", "userArn": "arn:aws:iam::123456789012:user/legacy"}`)} {
		if err := os.WriteFile(name, content, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	code, out, stderr := runCLI("test-invoke", "--template", template, "--identity", identity, "/whoami")
	if code != 1 || !strings.Contains(stderr, "403 AccessDeniedException: User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:123456789012:") ||
		!strings.HasSuffix(strings.TrimSpace(stderr), "/prod/GET/whoami with an explicit deny") {
		t.Fatalf("exit %d: %s\n%s", code, stderr, out)
	}
	if !strings.Contains(out, "\nAuthorization: NONE\n") || !strings.Contains(out, `/prod/GET/whoami: explicit deny by resource policy "ApiF70053CD" statement 0 (Sid DenyOutsideOrg)`+"\n") {
		t.Errorf("log:\n%s", out)
	}
	// Without policies in the credentials, the resource policy's explicit
	// Deny still refuses the anonymous caller, as on AWS.
	code, out, stderr = runCLI("test-invoke", "--template", template, "--identity", legacy, "/whoami")
	if code != 1 || !strings.Contains(out, `explicit deny by resource policy "ApiF70053CD" statement 0 (Sid DenyOutsideOrg)`) {
		t.Errorf("no policies: exit %d: %s\n%s", code, stderr, out)
	}
}
