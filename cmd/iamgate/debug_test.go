package main

import (
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/iamgate/iamgate/internal/echo"
	"github.com/iamgate/iamgate/templates"
)

func write(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// The seed's situation: a request signed by hand, refused with 403.
func TestSigExplain(t *testing.T) {
	good, _ := os.ReadFile("../../internal/sigv4/testdata/suite/get-vanilla-query-order-key-case/header-signed-request.txt")
	secret := "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
	okFile := write(t, "good.txt", string(good))
	code, out, stderr := runCLI("sig", "explain", "--secret-key", secret, "--at", "20150830T123600Z", okFile)
	if code != 0 || !strings.Contains(out, "Verdict: the signature matches") || !strings.Contains(out, "Canonical request:\n  GET\n  /\n  Param1=value1&Param2=value2") {
		t.Errorf("exit %d, stderr %q:\n%s", code, stderr, out)
	}

	// The same request with the query signed unsorted: 1, and the cause.
	bad := strings.Replace(string(good), "Signature=b97d918c", "Signature=00000000", 1)
	code, out, _ = runCLI("sig", "explain", "--secret-key", secret, "--at", "20150830T123600Z", "--json", write(t, "bad.txt", bad))
	var ex map[string]any
	if err := json.Unmarshal([]byte(out), &ex); err != nil {
		t.Fatalf("--json: %v\n%s", err, out)
	}
	for _, k := range []string{"canonicalRequest", "stringToSign", "signature", "providedSignature", "signatureMatches", "problems"} {
		if _, ok := ex[k]; !ok {
			t.Errorf("--json lacks %q", k)
		}
	}
	if code != 1 || ex["signatureMatches"] != false || !strings.HasPrefix(ex["providedSignature"].(string), "00000000") {
		t.Errorf("exit %d, %v", code, ex)
	}

	// Skew at the time --at gives is API Gateway's refusal: 1; against now
	// (no --at) it is only reported.
	code, out, _ = runCLI("sig", "explain", "--secret-key", secret, "--at", "2026-11-26T14:34:15Z", "--json", okFile)
	if code != 1 || !strings.Contains(out, "clock skew") || !strings.Contains(out, `"signatureMatches": true`) ||
		!strings.Contains(out, `"message": "Signature expired: 20150830T123600Z is now earlier than 20261126T142915Z (20261126T143415Z - 5 min.)"`) {
		t.Errorf("exit %d:\n%s", code, out)
	}
	code, out, _ = runCLI("sig", "explain", "--secret-key", secret, "--json", okFile)
	if code != 0 || !strings.Contains(out, "clock skew") || !strings.Contains(out, `"refusal": null`) {
		t.Errorf("exit %d:\n%s", code, out)
	}

	// A file saved with a UTF-8 byte order mark reads as without.
	code, out, stderr = runCLI("sig", "explain", "--secret-key", secret, "--at", "20150830T123600Z", write(t, "bom.txt", "\ufeff"+string(good)))
	if code != 0 || !strings.Contains(out, "Verdict: the signature matches") {
		t.Errorf("BOM: exit %d, stderr %q:\n%s", code, stderr, out)
	}

	// Unreadable input: 2, naming the line.
	code, _, stderr = runCLI("sig", "explain", "--secret-key", "x", write(t, "junk.txt", "GET / HTTP/1.1\nHost example\n\n"))
	if code != 2 || stderr != "iamgate sig: the request cannot be read: line 2: \"Host example\" is not a header; expected \"Name: value\"\n" {
		t.Errorf("exit %d: %q", code, stderr)
	}
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	code, _, stderr = runCLI("sig", "explain", okFile)
	if code != 2 || !strings.Contains(stderr, "no secret key") {
		t.Errorf("exit %d: %q", code, stderr)
	}
}

// render, through the command: API Gateway's variables, every template in
// templates/, byte for byte output, and template errors.
func TestRender(t *testing.T) {
	input := write(t, "in.json", `{
		"body": "{\"name\": \"Ann\", \"items\": [1, 2]}",
		"params": {"path": {"id": "7"}, "querystring": {"q": "a b"}, "header": {"X-T": "t", "Authorization": "AWS4-HMAC-SHA256 secret-sig"}},
		"context": {"httpMethod": "GET", "stage": "prod", "identity": {"userArn": "arn:aws:iam::1:user/u", "accountId": "1"}},
		"stageVariables": {"env": "dev"},
		"vars": {"n": 3, "list": ["a", "b"]}}`)
	tests := []struct{ tmpl, want string }{
		{`$input.json('$.items')`, `[1,2]`},
		{`$input.path('$.name')|$input.params('id')|$input.params('q')|$input.params('X-T')`, `Ann|7|a b|t`},
		{`$util.escapeJavaScript("it's ""x"" / \ é")`, `it\'s \"x\" \/ \\ \u00E9`},
		{`#set($o = $util.parseJson($input.body))$o.items.size()`, `2`},
		{`$context.identity.userArn $stageVariables.env $n $list[1] [$nothing]`, `arn:aws:iam::1:user/u dev 3 b []`},
		{"no newline added", "no newline added"},
	}
	for _, tt := range tests {
		code, out, stderr := runCLI("render", write(t, "t.vtl", tt.tmpl), "--input", input)
		if code != 0 || out != tt.want {
			t.Errorf("render %q: exit %d %q\n got %q\nwant %q", tt.tmpl, code, stderr, out, tt.want)
		}
	}
	// Every template of templates/ renders to JSON with the identity, and
	// without the caller's signature.
	files, _ := filepath.Glob("../../templates/*.vtl")
	if len(files) == 0 {
		t.Fatal("no templates found")
	}
	for _, f := range files {
		code, out, _ := runCLI("render", f, "--input", input)
		var env map[string]map[string]any
		if code != 0 || json.Unmarshal([]byte(out), &env) != nil || env["identity"]["userArn"] != "arn:aws:iam::1:user/u" || strings.Contains(out, "secret-sig") {
			t.Errorf("%s: exit %d\n%s", f, code, out)
		}
	}
	var code int
	var out string
	if !strings.Contains(templates.Envelope, "$context.identity") {
		t.Fatal("templates.Envelope is not the envelope")
	}
	// Plain Velocity: undefined references print as written.
	code, out, _ = runCLI("render", "--velocity", write(t, "v.vtl", `$n $nothing $!nothing $input.body`), "--input", input)
	if code != 0 || out != `3 $nothing  $input.body` {
		t.Errorf("--velocity: exit %d %q", code, out)
	}
	// A template error: 2, file:line:column: message.
	bad := write(t, "bad.vtl", "ok\n#if(true)x")
	code, _, stderr := runCLI("render", bad)
	if code != 2 || stderr != "iamgate render: "+bad+":2:1: unclosed #if (started at 2:1)\n" {
		t.Errorf("exit %d %q", code, stderr)
	}
}

// test-invoke on the golden template: a GET shows the POST it becomes,
// the identity headers of the given caller, no Authorization, the envelope,
// and the header mappings applied; with --call, the method response.
func TestTestInvoke(t *testing.T) {
	identity := write(t, "id.json", `{"accountId": "444455556666", "userArn": "arn:aws:iam::444455556666:role/reader", "caller": "AROAREADER:s", "user": "AROAREADER:s"}`)
	code, out, stderr := runCLI("test-invoke", "--template", golden, "--identity", identity, "--json",
		"-H", "X-Correlation-Id: c-9", "-H", "Authorization: AWS4-HMAC-SHA256 Credential=x", "/orders/42?status=open")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var res struct {
		IntegrationRequest struct {
			Method, URI, Body string
			Headers           map[string]string
		} `json:"integrationRequest"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	ir := res.IntegrationRequest
	if ir.Method != "POST" || ir.URI != "https://httpbin.org/anything/orders/42" {
		t.Errorf("integration request %s %s", ir.Method, ir.URI)
	}
	for k, want := range map[string]string{"X-Iamgate-User-Arn": "arn:aws:iam::444455556666:role/reader", "X-Iamgate-Account-Id": "444455556666",
		"X-Request-Correlation-Id": "c-9", "Content-Type": "application/json"} {
		if ir.Headers[k] != want {
			t.Errorf("header %s = %q, want %q", k, ir.Headers[k], want)
		}
	}
	if _, has := ir.Headers["Authorization"]; has || strings.Contains(ir.Body, "Credential=x") {
		t.Errorf("the Authorization header reached the integration request")
	}
	var env map[string]map[string]any
	if json.Unmarshal([]byte(ir.Body), &env) != nil || env["identity"]["userArn"] != "arn:aws:iam::444455556666:role/reader" || env["params"]["querystring"].(map[string]any)["status"] != "open" {
		t.Errorf("envelope: %s", ir.Body)
	}

	backend := httptest.NewServer(echo.Handler())
	defer backend.Close()
	code, out, stderr = runCLI("test-invoke", "--template", golden, "--call", "--backend", backend.URL, "--json", "-X", "POST", "-d", `{"amount": 5}`, "/orders")
	var called struct {
		MethodResponse struct {
			Status  int
			Headers map[string]string
			Body    string
		} `json:"methodResponse"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &called) != nil || called.MethodResponse.Status != 200 ||
		!strings.Contains(called.MethodResponse.Body, `"amount":5`) || called.MethodResponse.Headers["Content-Type"] != "application/json" {
		t.Errorf("exit %d %s:\n%s", code, stderr, out)
	}
	// The text log names each step.
	code, out, _ = runCLI("test-invoke", "--template", golden, "/whoami")
	for _, want := range []string{"Resource: /whoami, method GET", "Authorization: AWS_IAM (signature not checked; caller arn:aws:iam::123456789012:user/local-developer",
		"Endpoint request URI: POST https://httpbin.org/anything/whoami", "Endpoint request body after transformations (template for application/json):"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("test-invoke log lacks %q:\n%s", want, out)
		}
	}
	code, out, stderr = runCLI("test-invoke", "--template", golden, "/nothing")
	if code != 1 || !strings.Contains(stderr, "API Gateway would answer 403 MissingAuthenticationTokenException: Missing Authentication Token") {
		t.Errorf("exit %d %q %s", code, stderr, out)
	}
}

// Where API Gateway refuses a request whose signature matches, sig explain
// says so and exits 1 (the checks of the API Gateway notes' SigV4 section).
func TestSigExplainRefusals(t *testing.T) {
	const secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
	for _, tt := range []struct{ name, file, at, verdict, problem string }{
		{"not normalized", "get-slashes-unnormalized/header-signed-request.txt", "20150830T123600Z",
			"Verdict: the signature does NOT match (API Gateway answers 403 InvalidSignatureException)", "Problem: the client did not normalize the path (as for S3)"},
		{"normalized", "get-slashes-normalized/header-signed-request.txt", "20150830T123600Z", "Verdict: the signature matches\n", ""},
		{"presigned, expired", "get-slashes-normalized/query-signed-request.txt", "20150830T124200Z",
			"Verdict: the signature matches, but API Gateway refuses the request: 403 InvalidSignatureException: Signature expired", "Problem: clock skew"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, out, stderr := runCLI("sig", "explain", "--secret-key", secret, "--at", tt.at, "../../internal/sigv4/testdata/suite/"+tt.file)
			want := 1
			if tt.problem == "" {
				want = 0
			}
			if code != want || !strings.Contains(out, tt.verdict) || !strings.Contains(out, tt.problem) {
				t.Errorf("exit %d (want %d), stderr %q:\n%s", code, want, stderr, out)
			}
		})
	}
	// Host not signed: the signature matches, API Gateway refuses.
	host := "GET / HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z\n" +
		"Authorization:AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=x-amz-date, Signature=%s\n\n"
	code, out, _ := runCLI("sig", "explain", "--secret-key", secret, write(t, "host.txt", strings.Replace(host, "%s", "00", 1)))
	sig := regexp.MustCompile(`Signature computed: ([0-9a-f]{64})`).FindStringSubmatch(out)
	if code != 1 || sig == nil {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	code, out, _ = runCLI("sig", "explain", "--secret-key", secret, write(t, "host.txt", strings.Replace(host, "%s", sig[1], 1)))
	if code != 1 || !strings.Contains(out, "Verdict: the signature matches, but API Gateway refuses the request: 403 IncompleteSignatureException: 'Host' must be a 'SignedHeader' in the AWS Authorization.") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	// The seed's placeholder signature: API Gateway's tokenization answer.
	seed := "GET / HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z\n" +
		"Authorization:AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=hex encoded signature\n\n"
	code, out, stderr := runCLI("sig", "explain", "--secret-key", secret, write(t, "seed.txt", seed))
	if code != 1 || !strings.Contains(stderr, "IncompleteSignatureException: 'encoded' not a valid key=value pair (missing equal-sign) in Authorization header: 'AWS4-HMAC-SHA256 Credential=") ||
		!strings.HasPrefix(out, "Verdict: API Gateway refuses the request: 403 IncompleteSignatureException: 'encoded' not a valid key=value pair") {
		t.Errorf("exit %d: %q\n%s", code, stderr, out)
	}
	code, out, _ = runCLI("sig", "explain", "--secret-key", secret, "--json", write(t, "unsigned.txt", "GET / HTTP/1.1\nHost: h\n\n"))
	if code != 1 || !strings.Contains(out, `"type": "MissingAuthenticationTokenException"`) {
		t.Errorf("unsigned: exit %d\n%s", code, out)
	}
}

// The README's example of a 403 explained stays true.
func TestReadmeExample403(t *testing.T) {
	code, out, _ := runCLI("sig", "explain", "--secret-key", "iamgate-local-demo-secret-not-for-aws", "--at", "20261126T143415Z", "../../examples/403-request.txt")
	if code != 1 || !strings.Contains(out, "Problem: the client signed the query string as written: SigV4 needs its parameters sorted by name and URI-encoded") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

// The README's least-privilege example, kept true: the reader may read an
// order and is refused /whoami with API Gateway's answer.
func TestReadmeReaderExample(t *testing.T) {
	reader := "../../examples/reader-credentials.json"
	code, out, stderr := runCLI("test-invoke", "--template", golden, "--identity", reader, "/orders/42")
	if code != 0 || !strings.Contains(out, `allowed by identity policy "policies[0]" statement 0`) {
		t.Errorf("/orders/42: exit %d, stderr %q:\n%s", code, stderr, out)
	}
	code, _, stderr = runCLI("test-invoke", "--template", golden, "--identity", reader, "/whoami")
	want := "403 AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/Reader/dev is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:"
	if code != 1 || !strings.Contains(stderr, want) || !strings.HasSuffix(strings.TrimSpace(stderr), "/prod/GET/whoami") {
		t.Errorf("/whoami: exit %d, stderr %q", code, stderr)
	}
}

// test-invoke takes a path as a URL's: a space is sent as %20. A path or
// method no request line can carry exits 2 with one line, not a panic.
func TestTestInvokeBadRequestLine(t *testing.T) {
	code, out, stderr := runCLI("test-invoke", "--template", golden, "--json", "/orders/a b")
	if code != 0 || !strings.Contains(out, `"/prod/orders/a b"`) || !strings.Contains(out, "/anything/orders/a%20b") {
		t.Errorf("a path with a space: exit %d %s %s", code, stderr, out)
	}
	for _, tt := range []struct{ args []string }{
		{[]string{"/orders/%zz"}},
		{[]string{"/orders/a\x7fb"}},
		{[]string{"-X", "GE T", "/orders/1"}},
	} {
		code, _, stderr := runCLI(append([]string{"test-invoke", "--template", golden}, tt.args...)...)
		if code != 2 || !strings.HasPrefix(stderr, "iamgate test-invoke: ") || strings.Count(stderr, "\n") != 1 || strings.Contains(stderr, "goroutine") {
			t.Errorf("%q: exit %d, stderr %q", tt.args, code, stderr)
		}
	}
}

// test-invoke --call names what the 500 hides: the backend's error.
func TestTestInvokeShowsCause(t *testing.T) {
	code, out, stderr := runCLI("test-invoke", "--template", golden, "--call", "--backend", "http://127.0.0.1:1", "/orders/1")
	if code != 1 || !strings.Contains(out, "because: backend: Post \"http://127.0.0.1:1/anything/orders/1\": ") ||
		!strings.HasSuffix(stderr, "connection refused)\n") {
		t.Errorf("exit %d\nstdout %s\nstderr %s", code, out, stderr)
	}
}
