package gateway

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/iamgate/iamgate/internal/apimodel"
	"github.com/iamgate/iamgate/internal/sigv4"
)

// testdata/grantinvoke.template.json is a real synth (regenerate it with
//
//	go test ./constructs/identityapi -run TestPolicyFixture -update-policy-fixture
//
// from the repository's root): GET /orders/{orderId}, POST /orders and
// GET /whoami; a role Reader granted GET /orders/{orderId} with the
// construct's GrantInvoke (ReaderDefaultPolicy151F3818); and a resource
// policy that denies callers outside the organization o-a1b2c3d4e5 and
// allows the account 444455556666 to call GET /orders/*.
const (
	fixtureTemplate = "testdata/grantinvoke.template.json"
	readerPolicy    = "ReaderDefaultPolicy151F3818"
	org             = "o-a1b2c3d4e5"
)

func loadFixture(t *testing.T) *apimodel.API {
	t.Helper()
	apis, err := apimodel.Load(fixtureTemplate, apimodel.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return apis[0]
}

func cred(key, arn, orgID string, policies ...string) Credential {
	c := Credential{AccessKeyID: key, SecretAccessKey: "secret-" + key,
		Identity: Identity{AccountID: strings.Split(arn, ":")[4], UserArn: arn, Caller: "AROAEXAMPLE:" + key, User: "AROAEXAMPLE:" + key, PrincipalOrgID: orgID}}
	if policies != nil {
		c.Policies = []json.RawMessage{}
		for _, p := range policies {
			c.Policies = append(c.Policies, json.RawMessage(p))
		}
	}
	return c
}

// policyGateway serves the fixture with creds, in front of a backend that
// counts its calls.
func policyGateway(t *testing.T, creds ...Credential) (*Gateway, *atomic.Int32) {
	t.Helper()
	var calls atomic.Int32
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"ok":true}`))
	}))
	t.Cleanup(backend.Close)
	bu, _ := url.Parse(backend.URL)
	g, err := New(Config{API: loadFixture(t), Credentials: creds, Backend: bu})
	if err != nil {
		t.Fatal(err)
	}
	return g, &calls
}

// signed sends a request signed with c's keys.
func signed(t *testing.T, g *Gateway, c Credential, method, path, body string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	r.Host = "localhost"
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	sum := sha256.Sum256([]byte(body))
	if err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey},
		r, hex.EncodeToString(sum[:]), "execute-api", "us-east-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	g.ServeHTTP(w, r)
	return w
}

func TestPolicyGrantInvokeEndToEnd(t *testing.T) {
	api := loadFixture(t)
	var inline json.RawMessage
	for _, p := range api.IdentityPolicies {
		if p.LogicalID == readerPolicy {
			inline, _ = json.Marshal(p.Document)
		}
	}
	if inline == nil {
		t.Fatalf("the fixture has no %s", readerPolicy)
	}
	const readerArn = "arn:aws:sts::123456789012:assumed-role/Reader/s"
	allowAll := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:*:*:*"}}`
	var (
		// The reader's policy by name, and the same document inline as
		// apimodel reads it from the template (${ApiF70053CD} for the API).
		reader       = cred("AKIAREADER", readerArn, org, `"`+readerPolicy+`"`)
		readerInline = cred("AKIAREADER2", readerArn, org, string(inline))
		outsider     = cred("AKIAOUTSIDER", "arn:aws:iam::123456789012:user/outsider", "", allowAll)
		partner      = cred("AKIAPARTNER", "arn:aws:sts::444455556666:assumed-role/Partner/p", org, allowAll)
		partnerBare  = cred("AKIAPARTNER2", "arn:aws:sts::444455556666:assumed-role/Partner/p", org, []string{}...)
		legacy       = cred("AKIALEGACY", "arn:aws:iam::123456789012:user/legacy", org)
		legacyOut    = cred("AKIALEGACYOUT", "arn:aws:iam::123456789012:user/legacy-outsider", "")
	)
	g, calls := policyGateway(t, reader, readerInline, outsider, partner, partnerBare, legacy, legacyOut)
	arn := func(rest string) string {
		return "arn:aws:execute-api:us-east-1:123456789012:" + g.APIID() + "/prod/" + rest
	}
	denied := func(user, rest, suffix string) string {
		return `{"Message":"User: ` + user + ` is not authorized to perform: execute-api:Invoke on resource: ` + arn(rest) + suffix + `"}`
	}
	for _, c := range []struct {
		name         string
		cred         Credential
		method, path string
		status       int
		body         string // "" for the backend's answer
	}{
		{"the granted route", reader, "GET", "/prod/orders/42", 200, ""},
		{"the granted route, policy inline", readerInline, "GET", "/prod/orders/42", 200, ""},
		{"another route", reader, "POST", "/prod/orders", 403, denied(readerArn, "POST/orders", "")},
		{"another route, policy inline", readerInline, "GET", "/prod/whoami", 403, denied(readerArn, "GET/whoami", "")},
		{"outside the organization: the resource policy's Deny", outsider, "GET", "/prod/orders/42", 403,
			denied("arn:aws:iam::123456789012:user/outsider", "GET/orders/42", " with an explicit deny")},
		{"cross-account: both allow", partner, "GET", "/prod/orders/7", 200, ""},
		{"cross-account: the resource policy does not allow", partner, "POST", "/prod/orders", 403,
			denied("arn:aws:sts::444455556666:assumed-role/Partner/p", "POST/orders", "")},
		{"cross-account: no identity policy allows", partnerBare, "GET", "/prod/orders/7", 403,
			denied("arn:aws:sts::444455556666:assumed-role/Partner/p", "GET/orders/7", "")},
		{"an entry without policies is allowed once signed, as before", legacy, "POST", "/prod/orders", 200, ""},
		// No identity policy overrides a resource policy's explicit Deny: an
		// entry without policies is refused by it, as the caller is on AWS
		// (before, it was allowed past the organization restriction).
		{"an entry without policies outside the organization: the resource policy's Deny", legacyOut, "POST", "/prod/orders", 403,
			denied("arn:aws:iam::123456789012:user/legacy-outsider", "POST/orders", " with an explicit deny")},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := calls.Load()
			body := ""
			if c.method == "POST" {
				body = `{"item":"x"}`
			}
			w := signed(t, g, c.cred, c.method, c.path, body)
			if w.Code != c.status {
				t.Fatalf("status %d, want %d: %s", w.Code, c.status, w.Body)
			}
			called := calls.Load() > before
			if c.body == "" {
				if !called {
					t.Error("the backend was not called")
				}
				return
			}
			if called {
				t.Error("the backend was called for a refused request")
			}
			if w.Body.String() != c.body {
				t.Errorf("body\n got %s\nwant %s", w.Body, c.body)
			}
			if got := w.Header().Get("x-amzn-ErrorType"); got != "AccessDeniedException" {
				t.Errorf("x-amzn-ErrorType %q", got)
			}
		})
	}
}

// The decision is recorded in the Exchange, with the statement that made
// it; test-invoke's path (SkipAuth) evaluates the caller's entry too.
func TestPolicyDecisionInExchange(t *testing.T) {
	reader := cred("AKIAREADER", "arn:aws:sts::123456789012:assumed-role/Reader/s", org, `"`+readerPolicy+`"`)
	g, _ := policyGateway(t, reader)
	for _, c := range []struct {
		method, path, want string
		allowed            bool
	}{
		{"GET", "/prod/orders/42", `allowed by identity policy "ReaderDefaultPolicy151F3818" statement 0`, true},
		{"POST", "/prod/orders", "implicit deny: no statement allows the request", false},
	} {
		x := g.Invoke(context.Background(), httptest.NewRequest(c.method, c.path, strings.NewReader(`{}`)),
			InvokeOptions{SkipAuth: true, Identity: &reader.Identity, AccessKeyID: reader.AccessKeyID, NoCall: true})
		if x.Policy == nil {
			t.Fatalf("%s %s: no policy decision", c.method, c.path)
		}
		if x.Policy.Allowed != c.allowed || x.Policy.Reason != c.want {
			t.Errorf("%s %s: %v %s", c.method, c.path, x.Policy.Allowed, x.Policy.Reason)
		}
		if !c.allowed && (x.Error == nil || x.Error.Type != "AccessDeniedException") {
			t.Errorf("%s %s: error %v", c.method, c.path, x.Error)
		}
	}
	// With the organization missing, the resource policy's Deny decides.
	noOrg := reader.Identity
	noOrg.PrincipalOrgID = ""
	x := g.Invoke(context.Background(), httptest.NewRequest("GET", "/prod/orders/42", nil),
		InvokeOptions{SkipAuth: true, Identity: &noOrg, AccessKeyID: reader.AccessKeyID, NoCall: true})
	if x.Policy == nil || len(x.Policy.By) != 1 || x.Policy.By[0].Sid != "DenyOutsideOrg" || !x.Policy.ExplicitDeny {
		t.Errorf("no organization: %+v", x.Policy)
	}
}

// Policies are parsed by New: what iamgate cannot evaluate stops it with
// one line, and only when a credentials entry asks for policies.
func TestPoliciesParsedAtNew(t *testing.T) {
	badOp := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2026-01-01T00:00:00Z"}}}}`
	api := loadFixture(t)
	for _, c := range []struct {
		name  string
		creds []Credential
		want  string
	}{
		{"unknown operator", []Credential{cred("AKIAA", "arn:aws:iam::123456789012:user/a", "", badOp)},
			`credentials[0] (AKIAA): policies[0]: Statement[0]: Condition DateGreaterThan aws:CurrentTime: IAM's condition operator "DateGreaterThan" is not evaluated by iamgate (it evaluates ArnEquals, ArnLike, ArnNotEquals, ArnNotLike, Bool, IpAddress, NotIpAddress, Null, StringEquals, StringEqualsIgnoreCase, StringLike, StringNotEquals, StringNotEqualsIgnoreCase, StringNotLike)`},
		{"unknown template policy", []Credential{cred("AKIAA", "arn:aws:iam::123456789012:user/a", "", `"WriterPolicy"`)},
			`credentials[0] (AKIAA): policies[0]: "WriterPolicy" names no IAM policy of the template (those naming execute-api: ReaderDefaultPolicy151F3818)`},
		{"not a policy", []Credential{cred("AKIAA", "arn:aws:iam::123456789012:user/a", "", `{"Statement":[]}`), cred("AKIAB", "arn:aws:iam::123456789012:user/b", "", `7`)},
			`credentials[1] (AKIAB): policies[0]: a policy document is a JSON object`},
	} {
		_, err := New(Config{API: api, Credentials: c.creds})
		if err == nil || err.Error() != c.want {
			t.Errorf("%s:\n got %v\nwant %s", c.name, err, c.want)
		}
	}

	// A resource policy iamgate cannot evaluate stops New only when policies
	// are asked for.
	api.Policy = map[string]any{"Version": "2012-10-17", "Statement": map[string]any{"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke",
		"Resource": "execute-api:/*", "Condition": map[string]any{"StringNotEquals": map[string]any{"aws:PrincipalTag/team": "a"}}}}
	if _, err := New(Config{API: api, Credentials: []Credential{cred("AKIAA", "arn:aws:iam::123456789012:user/a", "")}}); err != nil {
		t.Errorf("without policies: %v", err)
	}
	_, err := New(Config{API: api, Credentials: []Credential{cred("AKIAA", "arn:aws:iam::123456789012:user/a", "", []string{}...)}})
	want := `resource policy ApiF70053CD: Statement[0]: Condition StringNotEquals aws:PrincipalTag/team: unknown condition key (iamgate evaluates aws:PrincipalAccount, aws:PrincipalArn, aws:PrincipalOrgID, aws:SecureTransport, aws:SourceIp, aws:SourceVpce, aws:VpcSourceIp, aws:userid, aws:username)`
	if err == nil || err.Error() != want {
		t.Errorf("resource policy:\n got %v\nwant %s", err, want)
	}
}

// The short form of resource policies is expanded to the local API's ARN,
// and the template's Ref to the API reads as the local id.
func TestResourcePolicyArns(t *testing.T) {
	reader := cred("AKIAREADER", "arn:aws:sts::123456789012:assumed-role/Reader/s", org, `"`+readerPolicy+`"`)
	g, _ := policyGateway(t, reader)
	prefix := "arn:aws:execute-api:us-east-1:123456789012:" + g.APIID() + "/"
	if got := g.policies.resource.Statements[0].Resource.Values[0]; got != prefix+"*" {
		t.Errorf("short form expanded to %s", got)
	}
	if got := g.policies.identity["AKIAREADER"][0].Statements[0].Resource.Values[0]; got != prefix+"prod/GET/orders/*" {
		t.Errorf("the reader's resource is %s", got)
	}
	if got := g.cfg.API.Policy["Statement"].([]any)[0].(map[string]any)["Resource"]; got != "execute-api:/*" {
		t.Errorf("the API's model was modified: %v", got)
	}
}

// LoadCaller keeps an entry's policies, from a credentials file or from
// one identity object; an entry without them has none (nil).
func TestLoadCallerPolicies(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string { return writeFile(t, dir, name, content) }
	for _, c := range []struct{ file, want string }{
		{write("creds.json", `{"credentials": [{"accessKeyId": "A1", "identity": {"userArn": "arn:first"}, "policies": ["ReaderPolicy", {"Version": "2012-10-17"}]}]}`), `["ReaderPolicy",{"Version": "2012-10-17"}]`},
		{write("one.json", `{"userArn": "arn:aws:iam::1:user/a", "policies": []}`), `[]`},
		{write("none.json", `{"userArn": "arn:aws:iam::1:user/a"}`), `null`},
	} {
		caller, err := LoadCaller(c.file)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := json.Marshal(caller.Policies)
		var want bytes.Buffer
		_ = json.Compact(&want, []byte(c.want))
		if string(got) != want.String() {
			t.Errorf("%s: policies %s, want %s", c.file, got, want.String())
		}
	}
	if c, err := LoadCaller(""); err != nil || c.Policies != nil || c.AccessKeyID != DemoCredential().AccessKeyID {
		t.Errorf("the demo caller: %+v, %v", c, err)
	}
}

// A caller for test-invoke whose policy is the template's GrantInvoke
// policy, named by its logical id.
func ExampleLoadCaller() {
	f, _ := os.CreateTemp("", "reader-*.json")
	defer os.Remove(f.Name())
	_, _ = f.WriteString(`{"credentials": [{"accessKeyId": "AKIAREADER", "identity": {"accountId": "123456789012",
		"userArn": "arn:aws:sts::123456789012:assumed-role/Reader/s", "principalOrgId": "o-a1b2c3d4e5"},
		"policies": ["ReaderDefaultPolicy151F3818"]}]}`)
	f.Close()
	caller, err := LoadCaller(f.Name())
	if err != nil {
		panic(err)
	}
	apis, err := apimodel.Load(fixtureTemplate, apimodel.Options{})
	if err != nil {
		panic(err)
	}
	g, err := New(Config{API: apis[0], Credentials: []Credential{*caller}})
	if err != nil {
		panic(err)
	}
	for _, target := range []string{"/prod/orders/42", "/prod/whoami"} {
		x := g.Invoke(context.Background(), httptest.NewRequest("GET", target, nil),
			InvokeOptions{SkipAuth: true, Identity: &caller.Identity, AccessKeyID: caller.AccessKeyID, NoCall: true})
		fmt.Println(target, x.Policy.Allowed, x.Policy.Reason)
	}
	// Output:
	// /prod/orders/42 true allowed by identity policy "ReaderDefaultPolicy151F3818" statement 0
	// /prod/whoami false implicit deny: no statement allows the request
}

// The condition keys come from the request and the caller's identity.
func TestPolicyConditionKeys(t *testing.T) {
	allowIf := func(cond string) string {
		return `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"*","Condition":` + cond + `}}`
	}
	for _, c := range []struct {
		cond         string
		vpce         string // the caller's VPC endpoint, "" for none
		principalArn string // the credential's, "" for none
		allowed      bool
	}{
		{`{"IpAddress":{"aws:SourceIp":"192.0.2.0/24"}}`, "", "", true}, // httptest's client address is 192.0.2.1
		{`{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`, "", "", false},
		// Through a VPC endpoint, the address is aws:VpcSourceIp and
		// aws:SourceIp is missing.
		{`{"IpAddress":{"aws:SourceIp":"192.0.2.0/24"}}`, "vpce-0123", "", false},
		{`{"IpAddress":{"aws:VpcSourceIp":"192.0.2.0/24"}}`, "vpce-0123", "", true},
		{`{"IpAddress":{"aws:VpcSourceIp":"192.0.2.0/24"}}`, "", "", false},
		{`{"StringEquals":{"aws:userid":"AROAEXAMPLE:AKIAK"}}`, "", "", true},
		{`{"StringEquals":{"aws:PrincipalAccount":"123456789012"}}`, "", "", true},
		{`{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::123456789012:role/Reader"}}`, "", "", true},
		{`{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}`, "", "", true},
		{`{"StringEquals":{"aws:SourceVpce":"vpce-0123"}}`, "vpce-0123", "", true},
		{`{"StringEquals":{"aws:SourceVpce":"vpce-0123"}}`, "", "", false},
		{`{"Null":{"aws:username":"true"}}`, "", "", true}, // a role session has none
		{`{"Bool":{"aws:SecureTransport":"true"}}`, "", "", true},
		// The credential's principalArn, a role's ARN with its path.
		{`{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::123456789012:role/team/Reader"}}`, "", "arn:aws:iam::123456789012:role/team/Reader", true},
		{`{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::123456789012:role/team/Reader"}}`, "", "", false},
	} {
		c0 := cred("AKIAK", "arn:aws:sts::123456789012:assumed-role/Reader/s", org, allowIf(c.cond))
		c0.Identity.VpceID, c0.PrincipalArn = c.vpce, c.principalArn
		g, _ := policyGateway(t, c0)
		x := g.Invoke(context.Background(), httptest.NewRequest("GET", "/prod/whoami", nil),
			InvokeOptions{SkipAuth: true, Identity: &c0.Identity, AccessKeyID: c0.AccessKeyID, NoCall: true})
		if x.Policy == nil || x.Policy.Allowed != c.allowed {
			t.Errorf("%s: %+v", c.cond, x.Policy)
		}
	}
}

// Dot segments and empty segments are resolved before the gateway routes:
// the path a caller's policy is evaluated on, the route and the backend's
// URL are the one the signature covers, normalized. A caller allowed only
// /a/* reaching /admin through "/a/../admin", or through a greedy
// parameter whose escaped slashes decode to "x/../../admin", is refused as
// on /admin itself, and the backend is not called.
func TestPolicyOnNormalizedPath(t *testing.T) {
	var calls atomic.Int32
	var backendPath atomic.Value
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		backendPath.Store(r.URL.EscapedPath())
		_, _ = w.Write([]byte(`{}`))
	}))
	defer backend.Close()
	api := &apimodel.API{LogicalID: "Api", StageName: "dev", Methods: []*apimodel.Method{
		{LogicalID: "Area", HTTPMethod: "ANY", Path: "/a/{proxy+}", Authorization: "AWS_IAM",
			RequestParameters: map[string]bool{"method.request.path.proxy": true},
			Integration: &apimodel.Integration{Type: "HTTP_PROXY", HTTPMethod: "ANY", URI: backend.URL + "/a/{proxy}", TimeoutMillis: 29000,
				RequestParameters: map[string]string{"integration.request.path.proxy": "method.request.path.proxy"}}},
		{LogicalID: "Admin", HTTPMethod: "GET", Path: "/admin", Authorization: "AWS_IAM",
			Integration: &apimodel.Integration{Type: "HTTP_PROXY", HTTPMethod: "GET", URI: backend.URL + "/admin", TimeoutMillis: 29000}},
	}}
	c := cred("AKIDAREA", "arn:aws:iam::"+localAccountID+":user/area", "",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:*:*:*/dev/*/a/*"}]}`)
	g, err := New(Config{API: api, Credentials: []Credential{c}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		target  string
		status  int
		backend string // the path the backend got, "" when not called
	}{
		{"/dev/a/x", 200, "/a/x"},
		{"/dev//a//x/./y", 200, "/a/x/y"},
		{"/dev/admin", 403, ""},
		{"/dev/a/../admin", 403, ""},
		{"/dev/a/x/../../admin", 403, ""},
		{"/dev/a/x%2F..%2F..%2Fadmin", 403, ""},
		{"/dev/a/x/%2E%2E/%2E%2E/admin", 403, ""},
	} {
		calls.Store(0)
		backendPath.Store("")
		r := httptest.NewRequest("GET", tt.target, nil)
		if err := sigv4.Sign(context.Background(), r, nil, aws.Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey},
			"execute-api", "us-east-1", time.Now()); err != nil {
			t.Fatal(err)
		}
		w := httptest.NewRecorder()
		g.ServeHTTP(w, r)
		if w.Code != tt.status || tt.status == 403 && w.Header().Get("X-Amzn-Errortype") != "AccessDeniedException" {
			t.Errorf("%s: %d %s %s, want %d", tt.target, w.Code, w.Header().Get("X-Amzn-Errortype"), w.Body, tt.status)
		}
		if got := backendPath.Load().(string); got != tt.backend || (tt.backend == "") != (calls.Load() == 0) {
			t.Errorf("%s: the backend got %q (%d calls), want %q", tt.target, got, calls.Load(), tt.backend)
		}
	}
}

// A final "/" routes a request to the same method (/whoami/ to GET
// /whoami), so it must not change what the policies decide: whether API
// Gateway's ARN for it ends in "/" is not recorded, and the request is
// allowed only when both ARNs are (apigw.UnslashedPath). An explicit Deny
// of GET /whoami is not bypassed by /whoami/ (before, the Deny did not
// match .../GET/whoami/ and the backend was called), nor is a Deny of one
// order by /orders/42/; an Allow of the slashed ARN alone does not open it.
func TestPolicyTrailingSlashIsNoBypass(t *testing.T) {
	const (
		allowAll = `{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:*:*:*"}`
		denyWho  = `{"Effect":"Deny","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:*:*:*/prod/GET/whoami"}`
		deny42   = `{"Effect":"Deny","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:*:*:*/prod/GET/orders/42"}`
		slashed  = `{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:*:*:*/prod/GET/whoami/"}`
	)
	policy := func(statements ...string) string {
		return `{"Version":"2012-10-17","Statement":[` + strings.Join(statements, ",") + `]}`
	}
	denier := cred("AKIADENIED", "arn:aws:iam::123456789012:user/denied", org, policy(allowAll, denyWho, deny42))
	slasher := cred("AKIASLASHED", "arn:aws:iam::123456789012:user/slashed", org, policy(slashed))
	open := cred("AKIAOPEN", "arn:aws:iam::123456789012:user/open", org, policy(allowAll))
	g, calls := policyGateway(t, denier, slasher, open)
	arn := "arn:aws:execute-api:us-east-1:123456789012:" + g.APIID() + "/prod/GET/"
	for _, tt := range []struct {
		name string
		c    Credential
		path string
		want string // the refusal's resource and suffix, "" when allowed
	}{
		{"denied", denier, "/prod/whoami", arn + "whoami with an explicit deny"},
		{"denied, with a final slash", denier, "/prod/whoami/", arn + "whoami with an explicit deny"},
		{"denied order, with a final slash", denier, "/prod/orders/42/", arn + "orders/42 with an explicit deny"},
		{"another order, with a final slash", denier, "/prod/orders/7/", ""},
		{"allowed with a final slash only", slasher, "/prod/whoami/", arn + "whoami"},
		{"allowed without a final slash only", slasher, "/prod/whoami", arn + "whoami"},
		{"allowed both ways", open, "/prod/whoami/", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := calls.Load()
			w := signed(t, g, tt.c, "GET", tt.path, "")
			called := calls.Load() > before
			if tt.want == "" {
				if w.Code != 200 || !called {
					t.Errorf("status %d, backend called %v: %s", w.Code, called, w.Body)
				}
				return
			}
			want := `{"Message":"User: ` + tt.c.Identity.UserArn + ` is not authorized to perform: execute-api:Invoke on resource: ` + tt.want + `"}`
			if w.Code != 403 || w.Body.String() != want || called {
				t.Errorf("status %d, backend called %v\n got %s\nwant %s", w.Code, called, w.Body, want)
			}
		})
	}

	// An entry without policies is refused by explicit Denies only: one of
	// the ARN without the slash refuses it even when the slashed ARN is
	// implicitly denied (a caller of another account, which the resource
	// policy does not allow).
	api := loadFixture(t)
	api.Policy = map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{"Effect": "Deny", "Principal": "*",
		"Action": "execute-api:Invoke", "Resource": "execute-api:/prod/GET/whoami"}}}
	other := cred("AKIAOTHER", "arn:aws:iam::999988887777:user/other", org)
	g, err := New(Config{API: api, Credentials: []Credential{other}, Backend: mustURL(t, "http://127.0.0.1:9")})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"Message":"User: arn:aws:iam::999988887777:user/other is not authorized to perform: execute-api:Invoke on resource: ` + arn + `whoami with an explicit deny"}`
	if w := signed(t, g, other, "GET", "/prod/whoami/", ""); w.Code != 403 || w.Body.String() != want {
		t.Errorf("without policies, another account, /prod/whoami/: %d %s\nwant %s", w.Code, w.Body, want)
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// The API's account (Config.Account) is the one of the execute-api ARNs
// policies are evaluated on and of $context.accountId: a grant a stack
// synthesized for an environment writes names its account.
func TestPolicyOnTheAPIsAccount(t *testing.T) {
	const account = "111122223333"
	api := testAPI("http://127.0.0.1:9")
	api.Methods[1].Authorization = "AWS_IAM" // GET /items
	c := cred("AKIDACC", "arn:aws:iam::"+account+":user/a", "",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:`+account+`:*/dev/GET/items"}]}`)
	for _, tt := range []struct {
		account string
		allowed bool
	}{{account, true}, {"", false}} {
		g, err := New(Config{API: api, Credentials: []Credential{c}, Account: tt.account})
		if err != nil {
			t.Fatal(err)
		}
		r := httptest.NewRequest("GET", "/dev/items?q=1", nil)
		r.Header.Set("X-Tenant", "t")
		x := g.Invoke(context.Background(), r, InvokeOptions{SkipAuth: true, Identity: &c.Identity, AccessKeyID: c.AccessKeyID, NoCall: true})
		if x.Policy == nil || x.Policy.Allowed != tt.allowed {
			t.Errorf("Account %q: %+v", tt.account, x.Policy)
		}
		if want := tt.account; want != "" && x.Context["accountId"] != want {
			t.Errorf("$context.accountId = %v, want %s", x.Context["accountId"], want)
		}
	}
}

// Every caller of a PRIVATE API comes through a VPC endpoint: an anonymous
// one (a NONE route, a CORS preflight) is evaluated as coming through the
// API's first, so the usual private-API resource policy (a Deny unless
// aws:SourceVpce is one of the API's endpoints) lets it in, as on AWS.
func TestPrivateAPIAnonymousCallers(t *testing.T) {
	api := testAPI("http://127.0.0.1:9")
	api.EndpointTypes, api.VpcEndpointIDs = []string{"PRIVATE"}, []string{"vpce-0123456789abcdef0"}
	api.Policy = map[string]any{"Version": "2012-10-17", "Statement": []any{
		map[string]any{"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*"},
		map[string]any{"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*",
			"Condition": map[string]any{"StringNotEquals": map[string]any{"aws:SourceVpce": "vpce-0123456789abcdef0"}}},
	}}
	c := cred("AKIDPRIV", "arn:aws:iam::"+localAccountID+":user/p", "", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"*"}]}`)
	for _, private := range []bool{true, false} {
		a := *api
		if !private {
			a.EndpointTypes = []string{"REGIONAL"}
		}
		g, err := New(Config{API: &a, Credentials: []Credential{c}})
		if err != nil {
			t.Fatal(err)
		}
		x := g.Invoke(context.Background(), httptest.NewRequest("POST", "/dev/tpl", strings.NewReader(`{"n":1}`)), InvokeOptions{NoCall: true})
		if denied := x.Error != nil && x.Error.Type == "AccessDeniedException"; denied == private {
			t.Errorf("private %v: anonymous caller %+v %+v", private, x.Error, x.Policy)
		}
		// Templates see the VPC endpoint the policy was evaluated with (the
		// REGIONAL caller is refused before $context is made).
		if private {
			if got, _ := x.Context["identity"].(map[string]any)["vpceId"].(string); got != "vpce-0123456789abcdef0" {
				t.Errorf("$context.identity.vpceId = %q", got)
			}
		}
	}
}
