package gateway

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/iamgate/iamgate/internal/apimodel"
)

// corsFixture is synthesized by the construct's tests (the Browser API: CORS
// for one origin; the Alb API: for two, through a VPC link v2). Refresh it
// with:
//
//	go test ./constructs/identityapi -run TestCorsFixture -update-cors-fixture
const corsFixture = "testdata/cors.template.json"

// corsGateway serves the fixture's API whose logical id starts with prefix,
// in front of a backend that counts its calls and answers with an
// Access-Control-Allow-Origin of its own.
func corsGateway(t *testing.T, prefix string) (*Gateway, Credential, *atomic.Int32) {
	t.Helper()
	apis, err := apimodel.Load(corsFixture, apimodel.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var api *apimodel.API
	for _, a := range apis {
		if strings.HasPrefix(a.LogicalID, prefix) {
			api = a
		}
	}
	if api == nil {
		t.Fatalf("no API %s* in %s", prefix, corsFixture)
	}
	var calls atomic.Int32
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Access-Control-Allow-Origin", "http://localhost:3000")
		_, _ = w.Write([]byte(`{"ok":true}`))
	}))
	t.Cleanup(backend.Close)
	bu, _ := url.Parse(backend.URL)
	c := cred("AKIACORS", "arn:aws:iam::123456789012:user/browser", "")
	g, err := New(Config{API: api, Credentials: []Credential{c}, Backend: bu})
	if err != nil {
		t.Fatal(err)
	}
	if u := g.Unsupported(); len(u) > 0 {
		t.Fatalf("unsupported: %v", u)
	}
	return g, c, &calls
}

// A browser's preflight: OPTIONS with Origin and Access-Control-Request-*,
// no signature.
func preflight(g *Gateway, path, origin string) *httptest.ResponseRecorder {
	return do(g, "OPTIONS", path, "", map[string]string{
		"Origin": origin, "Access-Control-Request-Method": "POST",
		"Access-Control-Request-Headers": "authorization,content-type,x-amz-date,x-amz-content-sha256",
	})
}

func wantHeaders(t *testing.T, what string, w *httptest.ResponseRecorder, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if got := w.Header().Get(k); got != v {
			t.Errorf("%s: %s = %q, want %q", what, k, got, v)
		}
	}
}

// One origin: the MOCK answers the unsigned preflight with 204 and the CORS
// headers, without calling the backend; a signed call's answer carries the
// origin.
func TestCorsPreflightOneOrigin(t *testing.T) {
	g, c, calls := corsGateway(t, "Browser")
	w := preflight(g, "/prod/items", "https://app.example.com")
	if w.Code != 204 {
		t.Fatalf("preflight: %d %s", w.Code, w.Body)
	}
	wantHeaders(t, "preflight", w, map[string]string{
		"Access-Control-Allow-Origin":  "https://app.example.com",
		"Access-Control-Allow-Methods": "GET,POST,OPTIONS",
		"Access-Control-Allow-Headers": "Authorization,Content-Type,X-Amz-Date,X-Amz-Security-Token,X-Amz-Content-Sha256,X-Amz-User-Agent",
		"Access-Control-Max-Age":       "600",
		"Vary":                         "Origin",
	})
	if w := preflight(g, "/prod/items/42", "https://app.example.com"); w.Code != 204 || w.Header().Get("Access-Control-Allow-Methods") != "GET,OPTIONS" {
		t.Errorf("preflight of /items/42: %d %v", w.Code, w.Header())
	}
	if n := calls.Load(); n != 0 {
		t.Errorf("the preflights called the backend %d times", n)
	}
	w = signed(t, g, c, "POST", "/prod/items", `{"name":"a"}`)
	if w.Code != 200 || w.Body.String() != `{"ok":true}` {
		t.Fatalf("signed POST: %d %s", w.Code, w.Body)
	}
	wantHeaders(t, "signed POST", w, map[string]string{"Access-Control-Allow-Origin": "https://app.example.com", "Content-Type": "application/json"})
	// The other methods stay AWS_IAM; API Gateway's own 403 carries the
	// origin (the DEFAULT_4XX gateway response), so a browser can read it.
	w = do(g, "POST", "/prod/items", `{}`, map[string]string{"Origin": "https://app.example.com"})
	if w.Code != 403 || w.Header().Get("Access-Control-Allow-Origin") != "https://app.example.com" {
		t.Errorf("unsigned POST: %d %v, want 403 with Access-Control-Allow-Origin", w.Code, w.Header())
	}
}

// Several origins: the preflight echoes a listed Origin (aws-cdk-lib's
// response template, through $context.responseOverride), else answers the
// first origin, which the browser refuses; a call's answer carries the
// backend's Access-Control-Allow-Origin and Vary: Origin.
func TestCorsPreflightSeveralOrigins(t *testing.T) {
	g, c, calls := corsGateway(t, "Alb")
	for origin, want := range map[string]string{
		"http://localhost:3000":    "http://localhost:3000",
		"https://app.example.com":  "https://app.example.com",
		"https://evil.example.com": "https://app.example.com",
	} {
		w := preflight(g, "/prod/orders", origin)
		if w.Code != 204 {
			t.Fatalf("preflight from %s: %d %s", origin, w.Code, w.Body)
		}
		wantHeaders(t, "preflight from "+origin, w, map[string]string{
			"Access-Control-Allow-Origin":  want,
			"Access-Control-Allow-Methods": "POST,OPTIONS",
			"Access-Control-Max-Age":       "3600",
			"Vary":                         "Origin",
		})
	}
	if n := calls.Load(); n != 0 {
		t.Errorf("the preflights called the backend %d times", n)
	}
	w := signed(t, g, c, "POST", "/prod/orders", `{}`)
	if w.Code != 200 {
		t.Fatalf("signed POST: %d %s", w.Code, w.Body)
	}
	wantHeaders(t, "signed POST", w, map[string]string{"Access-Control-Allow-Origin": "http://localhost:3000", "Vary": "Origin"})
	if w := do(g, "POST", "/prod/orders", `{}`, nil); w.Code != 403 || w.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("unsigned POST: %d %v, want 403 without CORS headers (several origins)", w.Code, w.Header())
	}
}

// A MOCK integration answers the status its request template names, through
// the integration response that status selects; test-invoke's NoCall still
// gets the answer, since nothing is called.
func TestMockIntegration(t *testing.T) {
	api := &apimodel.API{LogicalID: "Api", StageName: "p", Methods: []*apimodel.Method{{LogicalID: "M", HTTPMethod: "GET", Path: "/m", Authorization: "NONE",
		Integration: &apimodel.Integration{Type: "MOCK", PassthroughBehavior: "WHEN_NO_MATCH",
			RequestTemplates: map[string]string{"application/json": `{"statusCode": #if($input.params('fail') == "yes")503#{else}200#end}`},
			Responses: []apimodel.IntegrationResponse{
				{SelectionPattern: "5\\d\\d", StatusCode: "503", ResponseParameters: map[string]string{"method.response.header.Retry-After": "'120'"},
					ResponseTemplates: map[string]string{"application/json": `{"message": "down for $input.params('who')"}`}},
				{StatusCode: "200", ResponseTemplates: map[string]string{"application/json": `{"ok": true}#set($context.responseOverride.header.X-Mock = "yes")`}},
			}}}}}
	g, err := New(Config{API: api})
	if err != nil {
		t.Fatal(err)
	}
	w := do(g, "GET", "/p/m", "", nil)
	if w.Code != 200 || w.Body.String() != `{"ok": true}` || w.Header().Get("X-Mock") != "yes" {
		t.Errorf("GET /m: %d %q %v", w.Code, w.Body, w.Header())
	}
	w = do(g, "GET", "/p/m?fail=yes&who=ops", "", nil)
	if w.Code != 503 || w.Body.String() != `{"message": "down for ops"}` || w.Header().Get("Retry-After") != "120" {
		t.Errorf("GET /m?fail=yes: %d %q %v", w.Code, w.Body, w.Header())
	}
	x := g.Invoke(t.Context(), httptest.NewRequest("GET", "/p/m", nil), InvokeOptions{NoCall: true})
	if x.Status != 200 || x.IntegrationStatus != 200 || x.BackendURL != "" {
		t.Errorf("Invoke with NoCall: status %d, integration %d, backend %q", x.Status, x.IntegrationStatus, x.BackendURL)
	}
}

// corsSafelisted are the response headers a page reads without
// Access-Control-Expose-Headers (the Fetch standard's CORS-safelisted
// response-header names).
var corsSafelisted = []string{"Cache-Control", "Content-Language", "Content-Length", "Content-Type", "Expires", "Last-Modified", "Pragma"}

// readable is what a page at origin reads of a non-credentialed CORS
// answer, as a browser decides it (the Fetch standard's CORS check and
// CORS-filtered response): nil when the CORS check fails, else the header
// names the page sees (canonical).
func readable(w *httptest.ResponseRecorder, origin string) []string {
	if a := w.Header().Get("Access-Control-Allow-Origin"); a != "*" && a != origin {
		return nil
	}
	exposed := map[string]bool{}
	for _, v := range w.Header().Values("Access-Control-Expose-Headers") {
		for _, n := range strings.Split(v, ",") {
			exposed[http.CanonicalHeaderKey(strings.TrimSpace(n))] = true
		}
	}
	var out []string
	for k := range w.Header() {
		if slices.Contains(corsSafelisted, k) || exposed[k] || exposed["*"] {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// A browser at the one allowed origin reads, on every answer (the route's
// and the gateway's own), the headers it needs: what the route maps for it
// (ETag, Location, Retry-After), the request id, and on the gateway's own
// errors their type. Without Access-Control-Expose-Headers the page sees
// only the safelisted ones.
func TestCorsBrowserReadsHeaders(t *testing.T) {
	apis, err := apimodel.Load(corsFixture, apimodel.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var api *apimodel.API
	for _, a := range apis {
		if strings.HasPrefix(a.LogicalID, "Browser") {
			api = a
		}
	}
	// The backend answers the status the path ends in, with the headers
	// the routes map.
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		status := 200
		if n, err := strconv.Atoi(path.Base(r.URL.Path)); err == nil && n >= 200 {
			status = n
		}
		if path.Base(r.URL.Path) == "slow" {
			time.Sleep(300 * time.Millisecond)
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Location", "/items/7")
		w.Header().Set("Retry-After", "7")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(`{}`))
	}))
	t.Cleanup(backend.Close)
	for _, m := range api.Methods {
		if m.Integration != nil && m.Path == "/items/{id}" {
			m.Integration.TimeoutMillis = 100
		}
	}
	bu, _ := url.Parse(backend.URL)
	c := cred("AKIACORS", "arn:aws:iam::123456789012:user/browser", "")
	g, err := New(Config{API: api, Credentials: []Credential{c}, Backend: bu})
	if err != nil {
		t.Fatal(err)
	}
	const origin = "https://app.example.com"
	tests := []struct {
		name   string
		call   func() *httptest.ResponseRecorder
		status int
		want   []string // besides Content-Type and, with a body, Content-Length
	}{
		{"GET, read ETag", func() *httptest.ResponseRecorder { return signed(t, g, c, "GET", "/prod/items", "") },
			200, []string{"Etag", "X-Amzn-Requestid"}},
		{"POST 201, read Location", func() *httptest.ResponseRecorder { return signed(t, g, c, "GET", "/prod/items/201", "") },
			201, []string{"Etag", "Location", "X-Amzn-Requestid"}},
		{"backend 429, read Retry-After", func() *httptest.ResponseRecorder { return signed(t, g, c, "GET", "/prod/items/429", "") },
			429, []string{"Retry-After", "X-Amzn-Requestid"}},
		{"backend 503, read Retry-After", func() *httptest.ResponseRecorder { return signed(t, g, c, "GET", "/prod/items/503", "") },
			503, []string{"Retry-After", "X-Amzn-Requestid"}},
		{"unsigned: 403 MissingAuthenticationToken", func() *httptest.ResponseRecorder {
			return do(g, "GET", "/prod/items", "", map[string]string{"Origin": origin})
		}, 403, []string{"X-Amzn-Errortype", "X-Amzn-Requestid"}},
		{"no such route: 403", func() *httptest.ResponseRecorder { return signed(t, g, c, "GET", "/prod/nothing", "") },
			403, []string{"X-Amzn-Errortype", "X-Amzn-Requestid"}},
		{"bad signature: 403", func() *httptest.ResponseRecorder {
			bad := c
			bad.SecretAccessKey = "wrong"
			return signed(t, g, bad, "GET", "/prod/items", "")
		}, 403, []string{"X-Amzn-Errortype", "X-Amzn-Requestid"}},
		{"integration timeout: 504", func() *httptest.ResponseRecorder { return signed(t, g, c, "GET", "/prod/items/slow", "") },
			504, []string{"X-Amzn-Errortype", "X-Amzn-Requestid"}},
		{"body over 10 MB: 413", func() *httptest.ResponseRecorder {
			return signed(t, g, c, "POST", "/prod/items", `{"a":"`+strings.Repeat("x", 10<<20)+`"}`)
		}, 413, []string{"X-Amzn-Errortype", "X-Amzn-Requestid"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := tt.call()
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.status, w.Body)
			}
			want := append([]string{"Content-Length", "Content-Type"}, tt.want...)
			slices.Sort(want)
			if got := readable(w, origin); !slices.Equal(got, want) {
				t.Errorf("the page reads %v, want %v (answer's headers: %v)", got, want, w.Header())
			}
		})
	}
}
