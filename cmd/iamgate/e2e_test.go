package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/iamgate/iamgate/internal/apimodel"
	"github.com/iamgate/iamgate/internal/echo"
	"github.com/iamgate/iamgate/internal/gateway"
	"github.com/iamgate/iamgate/internal/sigv4"
)

// golden is the synthesized template of the app's default stack.
const golden = "../../stacks/testdata/IamGate.template.json"

var alice = gateway.Credential{
	AccessKeyID: "AKIDALICEEXAMPLE", SecretAccessKey: "alice-secret-key",
	Identity: gateway.Identity{AccountID: "111122223333", UserArn: "arn:aws:iam::111122223333:user/alice",
		Caller: "AIDAALICE", User: "AIDAALICE", PrincipalOrgID: "o-exampleorg"},
}

// recorder is the backend: it answers as iamgate echo does, and remembers
// what it received. A path ending in /missing answers 404.
type recorder struct {
	mu   sync.Mutex
	reqs []received
}

type received struct {
	method, path string
	header       http.Header
	body         []byte
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rec.mu.Lock()
	rec.reqs = append(rec.reqs, received{r.Method, r.URL.Path, r.Header.Clone(), body})
	rec.mu.Unlock()
	if strings.HasSuffix(r.URL.Path, "/missing") {
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(404)
		_, _ = io.WriteString(w, `{"title":"no such order"}`)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	echo.Handler().ServeHTTP(w, r)
}

func (rec *recorder) count() int { rec.mu.Lock(); defer rec.mu.Unlock(); return len(rec.reqs) }
func (rec *recorder) last() received {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return rec.reqs[len(rec.reqs)-1]
}

// localStack starts the echo backend and the local gateway on the golden
// template, both on 127.0.0.1.
func localStack(t *testing.T) (*recorder, string) {
	t.Helper()
	apis, err := apimodel.Load(golden, apimodel.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	backend := httptest.NewServer(rec)
	t.Cleanup(backend.Close)
	bu, _ := url.Parse(backend.URL)
	g, err := gateway.New(gateway.Config{API: apis[0], Region: "us-east-1", Credentials: []gateway.Credential{alice}, Backend: bu})
	if err != nil {
		t.Fatal(err)
	}
	gw := httptest.NewServer(g)
	t.Cleanup(gw.Close)
	return rec, gw.URL
}

func callAs(creds gateway.Credential, o *callOptions) *callOptions {
	o.credentials = aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: creds.AccessKeyID, SecretAccessKey: creds.SecretAccessKey}, nil
	})
	if o.region == "" {
		o.region = "us-east-1"
	}
	return o
}

// A GET signed by iamgate call's code path reaches the backend as a POST
// carrying the caller's identity in the envelope and in headers, without the
// caller's signature; the backend's answer comes back.
func TestEndToEndSignedGet(t *testing.T) {
	rec, base := localStack(t)
	var stdout, stderr bytes.Buffer
	err := call(context.Background(), callAs(alice, &callOptions{
		target:  base + "/prod/orders/42?status=open&limit=5",
		headers: []string{"X-Correlation-Id: corr-1", "X-Iamgate-User-Arn: arn:aws:iam::999999999999:root"},
	}), &stdout, &stderr)
	if err != nil {
		t.Fatalf("call: %v\n%s", err, stderr.String())
	}
	if rec.count() != 1 {
		t.Fatalf("backend got %d requests", rec.count())
	}
	got := rec.last()
	if got.method != "POST" || got.path != "/anything/orders/42" {
		t.Errorf("backend got %s %s, want POST /anything/orders/42", got.method, got.path)
	}
	for h, want := range map[string]string{
		"X-Iamgate-User-Arn": alice.Identity.UserArn, "X-Iamgate-Account-Id": alice.Identity.AccountID,
		"X-Iamgate-Caller": alice.Identity.Caller, "X-Iamgate-User": alice.Identity.User,
		"X-Iamgate-Principal-Org-Id": alice.Identity.PrincipalOrgID, "X-Iamgate-Access-Key": "", // envelope only: not a mapping source
		"X-Iamgate-Source-Ip": "127.0.0.1", "X-Request-Correlation-Id": "corr-1", "Content-Type": "application/json",
	} {
		if v := got.header.Get(h); v != want {
			t.Errorf("backend header %s = %q, want %q", h, v, want)
		}
	}
	if got.header.Get("Authorization") != "" || bytes.Contains(got.body, []byte("AWS4-HMAC-SHA256")) || bytes.Contains(got.body, []byte("Signature=")) {
		t.Errorf("the caller's signature reached the backend: %v\n%s", got.header, got.body)
	}
	var env struct {
		Identity map[string]any            `json:"identity"`
		Request  map[string]any            `json:"request"`
		Params   map[string]map[string]any `json:"params"`
		Body     any                       `json:"body"`
	}
	if err := json.Unmarshal(got.body, &env); err != nil {
		t.Fatalf("envelope: %v\n%s", err, got.body)
	}
	for k, want := range map[string]any{"userArn": alice.Identity.UserArn, "accountId": alice.Identity.AccountID, "caller": alice.Identity.Caller,
		"user": alice.Identity.User, "principalOrgId": alice.Identity.PrincipalOrgID, "accessKey": alice.AccessKeyID, "sourceIp": "127.0.0.1",
		"apiKey": nil, "cognitoIdentityId": nil} {
		if env.Identity[k] != want {
			t.Errorf("envelope identity.%s = %v, want %v", k, env.Identity[k], want)
		}
	}
	// A GET has no body: $input.body reads it as {} and the envelope's body is {}, as API
	// Gateway builds it (recorded against AWS: LocalStack's test_apigateway_common.py::test_input_body_formatting).
	if env.Request["httpMethod"] != "GET" || env.Request["resourcePath"] != "/orders/{orderId}" || env.Request["path"] != "/prod/orders/42" ||
		env.Params["path"]["orderId"] != "42" || env.Params["querystring"]["status"] != "open" || !isEmptyObject(env.Body) {
		t.Errorf("envelope = %+v", env)
	}
	// The client's forged identity header is only a client header.
	if env.Params["header"]["X-Iamgate-User-Arn"] != "arn:aws:iam::999999999999:root" || env.Identity["userArn"] != alice.Identity.UserArn {
		t.Errorf("forged header handling: %v", env.Params["header"])
	}
	if !strings.HasPrefix(stdout.String(), "HTTP/1.1 200 OK\n") || !strings.Contains(stdout.String(), `"method": "POST"`) {
		t.Errorf("call printed:\n%s", stdout.String())
	}
}

func TestEndToEndBackendStatusPassesThrough(t *testing.T) {
	rec, base := localStack(t)
	var stdout, stderr bytes.Buffer
	err := call(context.Background(), callAs(alice, &callOptions{target: base + "/prod/orders/missing"}), &stdout, &stderr)
	if err == nil || err.Error() != "404 Not Found" {
		t.Errorf("call error = %v, want 404 Not Found", err)
	}
	if stdout.String() != "HTTP/1.1 404 Not Found\n{\n  \"title\": \"no such order\"\n}\n" || rec.count() != 1 {
		t.Errorf("call printed %q (backend calls %d)", stdout.String(), rec.count())
	}
}

// Requests API Gateway refuses are refused with its status, error type and
// message, and nothing reaches the backend.
func TestEndToEndRefusals(t *testing.T) {
	rec, base := localStack(t)
	tamper := func(t *testing.T) *http.Response {
		req, _ := http.NewRequest("POST", base+"/prod/orders", strings.NewReader(`{"amount": 1}`))
		req.Header.Set("Content-Type", "application/json")
		creds := aws.Credentials{AccessKeyID: alice.AccessKeyID, SecretAccessKey: alice.SecretAccessKey}
		if err := sigv4.Sign(context.Background(), req, []byte(`{"amount": 1}`), creds, "execute-api", "us-east-1", time.Now()); err != nil {
			t.Fatal(err)
		}
		req.Body = io.NopCloser(strings.NewReader(`{"amount": 9}`)) // same length, another body
		req.GetBody = nil
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	viaCall := func(o *callOptions) func(t *testing.T) *http.Response {
		return func(t *testing.T) *http.Response {
			var stdout, stderr bytes.Buffer
			o.client = &http.Client{Transport: &keepResponse{}}
			_ = call(context.Background(), o, &stdout, &stderr)
			return o.client.Transport.(*keepResponse).resp
		}
	}
	tests := []struct {
		name    string
		send    func(t *testing.T) *http.Response
		status  int
		errType string
		message string
	}{
		{"unsigned", func(t *testing.T) *http.Response {
			resp, err := http.Get(base + "/prod/orders/42")
			if err != nil {
				t.Fatal(err)
			}
			return resp
		}, 403, "MissingAuthenticationTokenException", `{"message":"Missing Authentication Token"}`},
		{"no such route", viaCall(callAs(alice, &callOptions{target: base + "/prod/nope"})), 403, "MissingAuthenticationTokenException", `{"message":"Missing Authentication Token"}`},
		{"wrong secret", viaCall(callAs(gateway.Credential{AccessKeyID: alice.AccessKeyID, SecretAccessKey: "wrong"}, &callOptions{target: base + "/prod/orders/42"})),
			403, "InvalidSignatureException", `{"message":"The request signature we calculated does not match the signature you provided.`},
		{"tampered body", tamper, 403, "InvalidSignatureException", `{"message":"The request signature we calculated does not match`},
		{"expired", viaCall(callAs(alice, &callOptions{target: base + "/prod/orders/42", now: func() time.Time { return time.Now().Add(-6 * time.Minute) }})),
			403, "InvalidSignatureException", `{"message":"Signature expired: `},
		{"wrong region", viaCall(callAs(alice, &callOptions{target: base + "/prod/orders/42", region: "eu-west-1"})),
			403, "InvalidSignatureException", `{"message":"Credential should be scoped to a valid region, not 'eu-west-1'. "}`},
		{"unknown key", viaCall(callAs(gateway.Credential{AccessKeyID: "AKIDMALLORY", SecretAccessKey: "x"}, &callOptions{target: base + "/prod/orders/42"})),
			403, "UnrecognizedClientException", `{"message":"The security token included in the request is invalid."}`},
		{"text body to an envelope route", viaCall(callAs(alice, &callOptions{target: base + "/prod/orders", data: "hi", headers: []string{"Content-Type: text/plain"}})),
			415, "UnsupportedMediaTypeException", `{"message":"Unsupported Media Type"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := rec.count()
			resp := tt.send(t)
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.status || resp.Header.Get("x-amzn-ErrorType") != tt.errType || !strings.HasPrefix(string(body), tt.message) {
				t.Errorf("got %d %q %s\nwant %d %q %s", resp.StatusCode, resp.Header.Get("x-amzn-ErrorType"), body, tt.status, tt.errType, tt.message)
			}
			if rec.count() != before {
				t.Errorf("the backend was called")
			}
		})
	}
}

// keepResponse is a transport that remembers the response, with its body.
type keepResponse struct{ resp *http.Response }

func (k *keepResponse) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	copyResp := *resp
	copyResp.Body = io.NopCloser(bytes.NewReader(body))
	k.resp = &copyResp
	return resp, nil
}

// call -v prints the signed request's headers but neither the session token
// nor the signature (issue 13: it printed the token); the request sent still
// carries both.
func TestCallVerboseRedactsCredentials(t *testing.T) {
	var sent http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sent = r.Header.Clone()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{}`))
	}))
	t.Cleanup(srv.Close)
	const token = "IQoJb3JpZ2luX2VjEXAMPLEsessionTOKEN/with+slash=="
	o := &callOptions{target: srv.URL + "/prod/orders", region: "us-east-1", verbose: true,
		credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "ASIAEXAMPLE", SecretAccessKey: "secret", SessionToken: token}, nil
		})}
	var stdout, stderr bytes.Buffer
	if err := call(context.Background(), o, &stdout, &stderr); err != nil {
		t.Fatalf("call: %v\n%s", err, stderr.String())
	}
	sig := strings.TrimPrefix(regexp.MustCompile(`Signature=[0-9a-f]{64}`).FindString(sent.Get("Authorization")), "Signature=")
	if sent.Get("X-Amz-Security-Token") != token || sig == "" {
		t.Fatalf("the request sent lacks the token or the signature: %v", sent)
	}
	out := stderr.String()
	if strings.Contains(out, token) || strings.Contains(out, sig) {
		t.Errorf("-v prints a credential:\n%s", out)
	}
	for _, want := range []string{
		"> X-Amz-Security-Token: <redacted, " + strconv.Itoa(len(token)) + " bytes>\n",
		"> Authorization: AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/", "Signature=<redacted, 64 bytes>\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("-v output lacks %q:\n%s", want, out)
		}
	}
}

// Requests signed by botocore, a signer iamgate does not share code with,
// pass the local gateway end to end, signed in the header and presigned,
// with a body and a repeated query key (internal/sigv4's real-signer tests
// have the full matrix, normalized paths included); a presigned request's
// X-Amz-Signature and X-Amz-Credential do not reach the backend. Skipped
// without python3 and botocore, except in CI.
func TestEndToEndBotocoreSigned(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err == nil {
		err = exec.Command(py, "-c", "import botocore").Run()
	}
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("python3 with botocore is missing in CI: %v", err)
		}
		t.Skipf("python3 with botocore is not available (%v); skipping", err)
	}
	rec, base := localStack(t)
	const script = `
import json, sys
import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
out = []
for c in json.load(sys.stdin):
    req = AWSRequest(method=c["method"], url=c["url"], data=c["body"].encode() or None, headers={"Content-Type": "application/json"})
    creds = Credentials(c["key"], c["secret"])
    if c["presign"]:
        botocore.auth.SigV4QueryAuth(creds, "execute-api", "us-east-1", expires=60).add_auth(req)
    else:
        botocore.auth.SigV4Auth(creds, "execute-api", "us-east-1").add_auth(req)
    out.append({"url": req.url, "headers": dict(req.headers.items())})
json.dump(out, sys.stdout)
`
	type signCase struct {
		Name    string `json:"-"`
		Method  string `json:"method"`
		URL     string `json:"url"`
		Body    string `json:"body"`
		Presign bool   `json:"presign"`
		Key     string `json:"key"`
		Secret  string `json:"secret"`
	}
	cases := []signCase{
		{Name: "GET, header", Method: "GET", URL: base + "/prod/orders/42?status=open&tag=b&tag=a"},
		{Name: "GET, presigned", Method: "GET", URL: base + "/prod/orders/42?status=open", Presign: true},
		{Name: "POST, body", Method: "POST", URL: base + "/prod/orders", Body: `{"item":"caf\u00e9"}`},
	}
	for i := range cases {
		cases[i].Key, cases[i].Secret = alice.AccessKeyID, alice.SecretAccessKey
	}
	in, _ := json.Marshal(cases)
	cmd := exec.Command(py, "-c", script)
	cmd.Stdin = bytes.NewReader(in)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("botocore: %v", err)
	}
	var signed []struct {
		URL     string            `json:"url"`
		Headers map[string]string `json:"headers"`
	}
	if err := json.Unmarshal(out, &signed); err != nil || len(signed) != len(cases) {
		t.Fatalf("botocore answered %s (%v)", out, err)
	}
	for i, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			req, _ := http.NewRequest(c.Method, signed[i].URL, strings.NewReader(c.Body))
			for k, v := range signed[i].Headers {
				req.Header.Set(k, v)
			}
			before := rec.count()
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || rec.count() != before+1 {
				t.Errorf("%s %s: %d %s (backend called %d times)", c.Method, signed[i].URL, resp.StatusCode, body, rec.count()-before)
			}
			// A presigned request's credentials stay at the gateway, as
			// its Authorization header does (the API Gateway notes).
			if got := rec.last().body; bytes.Contains(got, []byte("X-Amz-Signature")) || bytes.Contains(got, []byte("X-Amz-Credential")) {
				t.Errorf("the presigned credentials reached the backend:\n%s", got)
			}
		})
	}
}

func isEmptyObject(v any) bool {
	m, ok := v.(map[string]any)
	return ok && len(m) == 0
}
