package gateway

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/iamgate/iamgate/internal/apigw"
	"github.com/iamgate/iamgate/internal/apimodel"
)

// templateAPI is one POST method with a request template, calling backend.
func templateAPI(backend, tmpl string, timeoutMillis int) *apimodel.API {
	return &apimodel.API{LogicalID: "Api", StageName: "dev", Methods: []*apimodel.Method{
		{LogicalID: "Env", HTTPMethod: "POST", Path: "/env", Authorization: "NONE",
			Integration: &apimodel.Integration{Type: "HTTP", HTTPMethod: "POST", URI: backend + "/env", TimeoutMillis: timeoutMillis,
				RequestTemplates: map[string]string{"application/json": tmpl},
				Responses:        []apimodel.IntegrationResponse{{StatusCode: "200"}}}},
	}}
}

// A backend answer over 10 MB fails the integration: API Gateway answers
// 500 "Internal server error" ("backend payload size exceeding 10 MB",
// AWS knowledge center article api-gateway-5xx-error), never a 200 with
// the first 10,485,760 bytes. An answer of exactly 10 MB goes through.
func TestIntegrationResponseOverPayloadLimit(t *testing.T) {
	size := maxIntegrationResponseBytes + 1
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := size
		if r.URL.Path == "/old/exact" {
			n = maxIntegrationResponseBytes
		}
		_, _ = io.WriteString(w, `"`+strings.Repeat("y", n-2)+`"`)
	}))
	defer backend.Close()
	g, err := New(Config{API: testAPI(backend.URL)})
	if err != nil {
		t.Fatal(err)
	}
	w := do(g, "GET", "/dev/legacy/big", "", nil)
	if w.Code != 500 || w.Body.String() != `{"message": "Internal server error"}` || w.Header().Get("x-amzn-ErrorType") != "InternalServerErrorException" {
		t.Errorf("over the limit: %d %q %.80s", w.Code, w.Header().Get("x-amzn-ErrorType"), w.Body)
	}
	if w := do(g, "GET", "/dev/legacy/exact", "", nil); w.Code != 200 || w.Body.Len() != maxIntegrationResponseBytes {
		t.Errorf("at the limit: %d, %d bytes", w.Code, w.Body.Len())
	}
}

// The integration timeout covers the whole answer: a backend that sends
// its status and headers and then stalls the body gets 504 "Endpoint
// request timed out" (the INTEGRATION_TIMEOUT gateway response, 504, in
// the developer guide's supported-gateway-response-types), not a 502.
func TestBackendStallsBodyPastTimeout(t *testing.T) {
	release := make(chan struct{})
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(200)
		_, _ = io.WriteString(w, `{"partial":`)
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer backend.Close()
	defer close(release)
	g, err := New(Config{API: testAPI(backend.URL)}) // /slow has a 50 ms timeout
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	w := do(g, "GET", "/dev/slow", "", nil)
	if w.Code != 504 || w.Body.String() != `{"message":"Endpoint request timed out"}` {
		t.Errorf("stalled body: %d %s", w.Code, w.Body)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("answered after %v", d)
	}
}

// Invalid UTF-8 in a JSON body: the template reads the body as Java's
// UTF-8 decoder makes it, each malformed byte a U+FFFD, so the backend
// receives valid UTF-8 JSON (the envelope of the identity template, here
// its $input.json and $input.body).
func TestInvalidUTF8InJSONBody(t *testing.T) {
	var got []byte
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, _ = io.ReadAll(r.Body)
		_, _ = io.WriteString(w, "{}")
	}))
	defer backend.Close()
	g, err := New(Config{API: templateAPI(backend.URL, `{"body": $input.json('$'), "raw": "$util.escapeJavaScript($input.body)"}`, 29000)})
	if err != nil {
		t.Fatal(err)
	}
	w := do(g, "POST", "/dev/env", "{\"name\": \"a\xffb\xc3\"}", nil)
	if w.Code != 200 {
		t.Fatalf("status %d %s", w.Code, w.Body)
	}
	if !utf8.Valid(got) || !json.Valid(got) {
		t.Fatalf("the backend received %q: not valid UTF-8 JSON", got)
	}
	// One U+FFFD per maximal subpart, as Java's decoder replaces them: a
	// truncated three-byte sequence is one, each stray byte is one.
	for in, want := range map[string]string{"\xe2\x82x": "\uFFFDx", "\xff\xfe": "\uFFFD\uFFFD", "\xed\xa0\x80": "\uFFFD\uFFFD\uFFFD", "\xf0\x9f\x98": "\uFFFD", "ok\xc3": "ok\uFFFD"} {
		if got := decodeUTF8([]byte(in)); got != want {
			t.Errorf("decodeUTF8(%q) = %q, want %q", in, got, want)
		}
	}
	var env struct {
		Body struct{ Name string }
	}
	if err := json.Unmarshal(got, &env); err != nil || env.Body.Name != "a\uFFFDb\uFFFD" {
		t.Errorf("body.name = %q (%v), want a\uFFFDb\uFFFD", env.Body.Name, err)
	}
}

// A request body within the 10 MB limit whose envelope is over it: the
// integration request is over API Gateway's payload limit, which answers
// 413 "Request Too Long" (as recorded for an integration request over
// Lambda's limit, koki-develop/lgtm-generator#10), never the 500 of the
// engine's own output limit. A body whose envelope stays within the limit
// goes through.
func TestEnvelopeOverPayloadLimit(t *testing.T) {
	var n int
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		n = len(b)
		_, _ = io.WriteString(w, "{}")
	}))
	defer backend.Close()
	g, err := New(Config{API: templateAPI(backend.URL, `{"body": $input.json('$'), "raw": "$util.escapeJavaScript($input.body)"}`, 29000)})
	if err != nil {
		t.Fatal(err)
	}
	// 10 MB of JSON string full of characters that escaping doubles.
	big := `"` + strings.Repeat(`\"`, (maxRequestBytes-2)/2) + `"`
	w := do(g, "POST", "/dev/env", big, nil)
	if w.Code != 413 || w.Body.String() != `{"message":"Request Too Long"}` || w.Header().Get("x-amzn-ErrorType") != "BadRequestException" {
		t.Errorf("10 MB body: %d %q %.200s", w.Code, w.Header().Get("x-amzn-ErrorType"), w.Body)
	}
	// A template that runs into the engine's output bound is over the
	// payload limit too.
	g, err = New(Config{API: templateAPI(backend.URL, `#foreach($i in [1..1000])$input.body#end`, 29000)})
	if err != nil {
		t.Fatal(err)
	}
	if w := do(g, "POST", "/dev/env", `"`+strings.Repeat("x", apigw.MaxRenderedRequestBytes/1000)+`"`, nil); w.Code != 413 {
		t.Errorf("output bound: %d %.200s", w.Code, w.Body)
	}
	// 2 MB escaped to about 4 MB fits.
	g, err = New(Config{API: templateAPI(backend.URL, `{"body": $input.json('$'), "raw": "$util.escapeJavaScript($input.body)"}`, 29000)})
	if err != nil {
		t.Fatal(err)
	}
	if w := do(g, "POST", "/dev/env", `"`+strings.Repeat(`\"`, 1<<20)+`"`, nil); w.Code != 200 || n < 4<<20 {
		t.Errorf("2 MB body: %d, backend got %d bytes", w.Code, n)
	}
}

// Request line and header values over API Gateway's 10240 bytes ("Total
// combined size of request line and header values", the REST API quotas
// table) answer a JSON error before routing; at the limit they pass.
func TestRequestLineAndHeadersOverLimit(t *testing.T) {
	g := newTestGateway(t)
	r := httptest.NewRequest("GET", "/dev/legacy/h", nil)
	base := apigw.RequestLineAndHeaderBytes(r.Method, r.RequestURI, r.Proto, r.Host, r.Header)
	r.Header.Set("X-Big", strings.Repeat("a", apigw.MaxRequestLineAndHeaderBytes-base))
	w := httptest.NewRecorder()
	g.ServeHTTP(w, r)
	if w.Code != 200 {
		t.Errorf("at the limit: %d %s", w.Code, w.Body)
	}
	r.Header.Set("X-Big", strings.Repeat("a", apigw.MaxRequestLineAndHeaderBytes-base+1))
	w = httptest.NewRecorder()
	g.ServeHTTP(w, r)
	if w.Code != 413 || w.Body.String() != `{"message":"HTTP header is larger than 10240 bytes."}` || w.Header().Get("Content-Type") != "application/json" {
		t.Errorf("over the limit: %d %s", w.Code, w.Body)
	}
	// The request line counts: a long query.
	w = do(g, "GET", "/dev/legacy/h?q="+strings.Repeat("b", apigw.MaxRequestLineAndHeaderBytes), "", nil)
	if w.Code != 413 {
		t.Errorf("long request line: %d %s", w.Code, w.Body)
	}
}

// The credentials file refuses, with one line naming the entry, what would
// otherwise pass silently: a duplicate access key (the last one won), an
// empty or null list (no one could call), an identity without accountId or
// userArn ($context.identity would be empty).
func TestLoadCredentialsRefuses(t *testing.T) {
	dir := t.TempDir()
	entry := func(key, identity string) string {
		return `{"accessKeyId": "` + key + `", "secretAccessKey": "s", "identity": ` + identity + `}`
	}
	full := `{"accountId": "123456789012", "userArn": "arn:aws:iam::123456789012:user/a"}`
	tests := []struct{ content, want string }{
		{`{"credentials": [` + entry("AK1", full) + `, ` + entry("AK1", full) + `]}`, "credentials[1]: accessKeyId AK1 is already credentials[0]'s; each entry needs its own"},
		{`{"credentials": []}`, `"credentials" is empty: give at least one entry (or no --credentials for the demo credential)`},
		{`{"credentials": null}`, `"credentials" is empty: give at least one entry (or no --credentials for the demo credential)`},
		{`{}`, `"credentials" is empty: give at least one entry (or no --credentials for the demo credential)`},
		{`{"credentials": [` + entry("AK1", `{}`) + `]}`, "credentials[0] (AK1): identity needs accountId and userArn"},
		{`{"credentials": [` + entry("AK1", full) + `, {"accessKeyId": "AK2", "secretAccessKey": "s"}]}`, "credentials[1] (AK2): identity needs accountId and userArn"},
		{`{"credentials": [` + entry("AK1", `{"accountId": "123456789012"}`) + `]}`, "credentials[0] (AK1): identity needs userArn"},
		{`{"credentials": [` + entry("AK1", `null`) + `]}`, "credentials[0] (AK1): identity needs accountId and userArn"},
	}
	for i, tt := range tests {
		p := filepath.Join(dir, "c.json")
		if err := os.WriteFile(p, []byte(tt.content), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := LoadCredentials(p)
		if err == nil || err.Error() != p+": "+tt.want || strings.Contains(err.Error(), "\n") {
			t.Errorf("%d %s:\n got %v\nwant %s", i, tt.content, err, tt.want)
		}
	}
	p := filepath.Join(dir, "ok.json")
	_ = os.WriteFile(p, []byte(`{"credentials": [`+entry("AK1", full)+`]}`), 0o600)
	if c, err := LoadCredentials(p); err != nil || len(c) != 1 {
		t.Errorf("a good file: %v %v", c, err)
	}
	if _, err := New(Config{API: testAPI("http://127.0.0.1:1"), Credentials: []Credential{DemoCredential(), DemoCredential()}}); err == nil ||
		err.Error() != "gateway: credentials[1]: accessKeyId AKIAIAMGATELOCALDEMO is given twice" {
		t.Errorf("New with a duplicate: %v", err)
	}
}

// A client that closes its side of the connection once it has sent the
// request (as nc -N and some load balancers do) still gets the backend's
// answer: net/http ends the request's context when it reads the end of the
// stream, and the gateway's backend call does not depend on it. A call cut
// short by the integration timeout is a 504, as before.
func TestClientHalfCloseGetsTheAnswer(t *testing.T) {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(100 * time.Millisecond) // long enough for the server to see the client's end
		_, _ = io.WriteString(w, `{"ok":true}`)
	}))
	defer backend.Close()
	g, err := New(Config{API: testAPI(backend.URL)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(g)
	defer srv.Close()
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, "GET /dev/legacy/h HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	if err := conn.(*net.TCPConn).CloseWrite(); err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || string(body) != `{"ok":true}` {
		t.Errorf("half-closed client: %d %s, want the backend's 200", resp.StatusCode, body)
	}
}
