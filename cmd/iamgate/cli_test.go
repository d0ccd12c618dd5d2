package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iamgate/iamgate/internal/apimodel"
)

func runCLI(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestUsageAndErrors(t *testing.T) {
	for _, tt := range []struct {
		args   []string
		code   int
		stderr string
	}{
		{nil, 2, "usage: iamgate COMMAND [flags]\n"},
		{[]string{"nope"}, 2, "iamgate: unknown command \"nope\"; run iamgate help\n"},
		{[]string{"call"}, 2, "usage: iamgate call "},
		{[]string{"call", "--bogus", "x"}, 2, "flag provided but not defined: -bogus"},
		{[]string{"routes", "--template", "/nonexistent.json"}, 1, "iamgate routes: open /nonexistent.json: no such file or directory\n"},
		{[]string{"call", "ftp://x"}, 1, "iamgate call: \"ftp://x\" is not an http(s) URL\n"},
		{[]string{"call", "--stack", "IamGate", "--outputs", "/nonexistent.json", "/orders"}, 1, "iamgate call: --stack IamGate: open /nonexistent.json: no such file or directory (write it with make deploy, or cdk deploy --outputs-file /nonexistent.json)\n"},
		{[]string{"local", "--template", golden, "--backend", "::"}, 1, "iamgate local: --backend \"::\" is not a URL\n"},
	} {
		code, _, stderr := runCLI(tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.stderr) {
			t.Errorf("iamgate %v: exit %d, stderr %q; want %d, %q", tt.args, code, stderr, tt.code, tt.stderr)
		}
	}
}

func TestRoutesTable(t *testing.T) {
	code, out, stderr := runCLI("routes", "--template", golden)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 6 || lines[0] != "API ApiF70053CD, stage prod" || !strings.HasPrefix(lines[1], "METHOD  PATH") {
		t.Fatalf("routes:\n%s", out)
	}
	row := strings.Fields(lines[4]) // GET /orders/{orderId}
	want := []string{"GET", "/orders/{orderId}", "AWS_IAM", "HTTP", "POST", "https://httpbin.org/anything/orders/{orderId}", "template",
		"accountId,caller,principalOrgId,sourceIp,user,userArn,envelope"}
	if strings.Join(row[:len(want)], " ") != strings.Join(want, " ") || !strings.Contains(lines[4], "path.orderId <- path.orderId") {
		t.Errorf("row: %q", lines[4])
	}
}

func TestRoutesJSON(t *testing.T) {
	code, out, _ := runCLI("routes", "--json", "--template", golden)
	var apis []struct {
		API    string     `json:"api"`
		Routes []routeRow `json:"routes"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &apis) != nil || len(apis) != 1 || len(apis[0].Routes) != 4 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	r := apis[0].Routes[0]
	if r.Method != "GET" || r.Path != "/orders" || r.BackendMethod != "POST" || !r.BodyTemplate || len(r.Identity) != 7 { // six identity headers and the envelope
		t.Errorf("route = %+v", r)
	}
}

func TestRoutesSaysWhatItCannotRead(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "t.json")
	_ = os.WriteFile(p, []byte(`{"Resources": {"A": {"Type": "AWS::ApiGateway::RestApi", "Properties": {"Body": {}}}}}`), 0o644)
	code, out, _ := runCLI("routes", "--template", p)
	if code != 0 || !strings.Contains(out, "not read: RestApi A is defined by an OpenAPI Body") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	_ = os.WriteFile(p, []byte(`{"Resources": {}}`), 0o644)
	code, _, stderr := runCLI("routes", "--template", p)
	if code != 1 || !strings.Contains(stderr, "the template has no AWS::ApiGateway::RestApi") {
		t.Errorf("exit %d: %s", code, stderr)
	}
}

func TestCallStackURL(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "cdk-outputs.json")
	_ = os.WriteFile(p, []byte(`{"IamGate": {"ApiUrl": "https://abc123.execute-api.eu-west-1.amazonaws.com/prod/"}}`), 0o644)
	o := &callOptions{stack: "IamGate", outputs: p, target: "/orders/1"}
	u, err := o.url()
	if err != nil || u != "https://abc123.execute-api.eu-west-1.amazonaws.com/prod/orders/1" {
		t.Errorf("url = %q, %v", u, err)
	}
	o.stack = "Other"
	if _, err := o.url(); err == nil || !strings.Contains(err.Error(), `has no ApiUrl output for stack "Other"`) {
		t.Errorf("err = %v", err)
	}
	_, region, err := callAs(alice, &callOptions{}).signing(context.Background(), "abc123.execute-api.eu-west-1.amazonaws.com")
	if err != nil || region != "us-east-1" { // callAs sets --region us-east-1, which wins
		t.Errorf("region = %q, %v", region, err)
	}
	o2 := callAs(alice, &callOptions{})
	o2.region = ""
	if _, region, _ := o2.signing(context.Background(), "abc123.execute-api.eu-west-1.amazonaws.com"); region != "eu-west-1" {
		t.Errorf("region from host = %q", region)
	}
}

// The template's pseudo parameters resolve in the region asked for, so that
// the grants iamgate local reads name the region it verifies for.
func TestTemplateSourceRegion(t *testing.T) {
	tmpl, stack := "../../internal/gateway/testdata/grantinvoke.template.json", ""
	api, err := templateSource{template: &tmpl, stack: &stack}.loadOne("test", apimodel.Options{Region: "eu-west-1"})
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(api.IdentityPolicies)
	if len(api.IdentityPolicies) == 0 || !strings.Contains(string(raw), ":execute-api:eu-west-1:") || strings.Contains(string(raw), "us-east-1") {
		t.Errorf("identity policies: %s", raw)
	}
}
