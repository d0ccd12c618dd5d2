package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
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
		{[]string{"call", "ftp://x"}, 1, "iamgate call: \"ftp://x\" is not an http(s) URL; give one such as https://API_ID.execute-api.REGION.amazonaws.com/STAGE/PATH\n"},
		{[]string{"call", "/whoami"}, 1, "iamgate call: \"/whoami\" is a path, not a URL: give the whole URL, e.g. http://127.0.0.1:8080/prod/whoami for iamgate local, or --stack NAME to join it to a deployed stack's ApiUrl\n"},
		{[]string{"call", "--stack", "IamGate", "--outputs", "/nonexistent.json", "/orders"}, 1, "iamgate call: --stack IamGate: open /nonexistent.json: no such file or directory (write it with make deploy, or cdk deploy --outputs-file /nonexistent.json)\n"},
		{[]string{"call", "http://127.0.0.1:8080/prod/orders/%zz"}, 1, "iamgate call: \"http://127.0.0.1:8080/prod/orders/%zz\" is not a URL: invalid URL escape \"%zz\" (a % in the URL is written %25)\n"},
		{[]string{"local", "--template", golden, "--backend", "::"}, 1, "iamgate local: --backend \"::\" is not an http(s) URL; give one such as http://127.0.0.1:9001\n"},
		{[]string{"local", "--template", golden, "--backend", "ftp://x"}, 1, "iamgate local: --backend \"ftp://x\" is not an http(s) URL; give one such as http://127.0.0.1:9001\n"},
		{[]string{"local", "--template", golden, "--region", ""}, 1, "iamgate local: --region is empty; give the region clients sign for, e.g. us-east-1\n"},
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
	if _, err := o.url(); err == nil || !strings.HasSuffix(err.Error(), `has no ApiUrl output for stack "Other"; its stacks with one: IamGate`) {
		t.Errorf("err = %v", err)
	}
	// A stack of the user's own, with the construct but not the app's
	// outputs: the message says how to declare the one --stack reads.
	_ = os.WriteFile(p, []byte(`{"Shop": {"ApiEndpoint4F160690": "https://abc123.execute-api.eu-west-1.amazonaws.com/prod/"}}`), 0o644)
	o.stack = "Shop"
	if _, err := o.url(); err == nil || err.Error() != p+`: stack "Shop" has no ApiUrl output (its outputs: ApiEndpoint4F160690): give the URL itself, or declare one in the stack: awscdk.NewCfnOutput(stack, jsii.String("ApiUrl"), &awscdk.CfnOutputProps{Value: api.Url()})` {
		t.Errorf("err = %v", err)
	}
	o.stack = "Other"
	if _, err := o.url(); err == nil || err.Error() != p+` has no stack "Other", and no stack with an ApiUrl output (make deploy writes the app's; a stack of your own declares it: awscdk.NewCfnOutput(stack, jsii.String("ApiUrl"), &awscdk.CfnOutputProps{Value: api.Url()}))` {
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

// With a DomainUrl output (a custom domain), --stack calls the domain and
// signs for the region of ApiUrl's execute-api host.
func TestCallStackDomainURL(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "cdk-outputs.json")
	_ = os.WriteFile(p, []byte(`{"IamGate": {"ApiUrl": "https://abc123.execute-api.eu-west-1.amazonaws.com/prod/", "DomainUrl": "https://api.example.com/v1/"}}`), 0o644)
	o := callAs(alice, &callOptions{stack: "IamGate", outputs: p, target: "/orders/1"})
	o.region = ""
	u, err := o.url()
	if err != nil || u != "https://api.example.com/v1/orders/1" {
		t.Fatalf("url = %q, %v", u, err)
	}
	if o.regionHost != "abc123.execute-api.eu-west-1.amazonaws.com" {
		t.Errorf("regionHost = %q", o.regionHost)
	}
	var got *http.Request
	o.client = &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		got = r
		return &http.Response{StatusCode: 200, Status: "200 OK", Proto: "HTTP/1.1", Header: http.Header{}, Body: io.NopCloser(strings.NewReader(""))}, nil
	})}
	var stdout, stderr bytes.Buffer
	if err := call(context.Background(), o, &stdout, &stderr); err != nil {
		t.Fatalf("call: %v %s", err, stderr.String())
	}
	if got.URL.String() != "https://api.example.com/v1/orders/1" || !strings.Contains(got.Header.Get("Authorization"), "/eu-west-1/execute-api/aws4_request") {
		t.Errorf("sent %s with Authorization %q", got.URL, got.Header.Get("Authorization"))
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

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

// A cloud assembly whose API is split over nested stacks (RoutesPerStack):
// routes lists every route, the nested ones included, and diff of the
// directory against itself reads the stack's template, not a nested one.
func TestRoutesAndDiffOfNestedStacks(t *testing.T) {
	const dir = "../../internal/apimodel/testdata/nested"
	code, out, stderr := runCLI("routes", "--template", dir+"/Nested.template.json")
	if code != 0 {
		t.Fatalf("routes: exit %d: %s", code, stderr)
	}
	for _, want := range []string{"DELETE   /orders/{orderId}", "POST     /orders ", "GET      /whoami"} {
		if !strings.Contains(out, want) {
			t.Errorf("routes lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "\n"); n != 2+8 {
		t.Errorf("routes: %d lines, want the header and 8 methods:\n%s", n, out)
	}
	if code, out, stderr := runCLI("diff", dir, dir); code != 0 {
		t.Errorf("diff of the assembly against itself: exit %d\n%s%s", code, out, stderr)
	}
}

// A server whose --listen address is taken says so in one line, with what
// to do.
func TestListenAddressInUse(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	addr := l.Addr().String()
	for _, args := range [][]string{{"echo", "--listen", addr}, {"local", "--template", golden, "--listen", addr}} {
		code, _, stderr := runCLI(args...)
		want := "iamgate " + args[0] + ": " + addr + " is in use, by another server or an earlier run; stop it or choose another address with --listen\n"
		if code != 1 || stderr != want {
			t.Errorf("iamgate %v: exit %d, stderr %q; want 1, %q", args, code, stderr, want)
		}
	}
}

func TestAccountFlag(t *testing.T) {
	code, _, stderr := runCLI("local", "--template", golden, "--account", "1234")
	if code != 1 || stderr != "iamgate local: --account \"1234\" is not an AWS account id (12 digits)\n" {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = runCLI("test-invoke", "--template", golden, "--account", "x", "/orders/1")
	if code != 2 || stderr != "iamgate test-invoke: --account \"x\" is not an AWS account id (12 digits)\n" {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// A profile that no shared file holds is named, with how to create it, by
// call and sig explain alike.
func TestMissingProfile(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_CONFIG_FILE", empty)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", empty)
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE"} {
		t.Setenv(k, "")
	}
	msg := `AWS profile "nope" is in neither the shared config nor the credentials file (~/.aws/config, ~/.aws/credentials, or AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE): create it with aws configure --profile nope (aws configure sso for SSO), or name another` + "\n"
	for _, tt := range []struct {
		name    string
		profile string // AWS_PROFILE
		args    []string
		code    int
	}{
		{"call --profile", "", []string{"call", "--profile", "nope", "http://127.0.0.1:1/prod/whoami"}, 1},
		{"call AWS_PROFILE", "nope", []string{"call", "http://127.0.0.1:1/prod/whoami"}, 1},
		{"sig explain --profile", "", []string{"sig", "explain", "--profile", "nope", "../../examples/403-request.txt"}, 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("AWS_PROFILE", tt.profile)
			code, _, stderr := runCLI(tt.args...)
			if want := "iamgate " + tt.args[0] + ": " + msg; code != tt.code || stderr != want {
				t.Errorf("exit %d, stderr %q; want %d, %q", code, stderr, tt.code, want)
			}
		})
	}
}
