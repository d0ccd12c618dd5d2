package gateway

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/iamgate/iamgate/internal/apimodel"
)

// The gateway answers with the length of its whole body (as API Gateway
// does), not in chunks; a HEAD answer has none of its own.
func TestServeSendsContentLength(t *testing.T) {
	srv := httptest.NewServer(newTestGateway(t))
	defer srv.Close()
	big := `{"n": "` + strings.Repeat("x", 5000) + `"}`
	for _, tt := range []struct{ method, path, body string }{
		{"POST", "/dev/tpl", big},    // a response template, over the server's buffer
		{"GET", "/dev/legacy/a", ""}, // a proxy integration
		{"GET", "/dev/nowhere", ""},  // the gateway's own answer
	} {
		req, _ := http.NewRequest(tt.method, srv.URL+tt.path, strings.NewReader(tt.body))
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.ContentLength != int64(len(body)) || len(resp.TransferEncoding) > 0 {
			t.Errorf("%s %s: Content-Length %d, Transfer-Encoding %v, for a body of %d bytes", tt.method, tt.path, resp.ContentLength, resp.TransferEncoding, len(body))
		}
	}
	req := httptest.NewRequest("HEAD", "/dev/legacy/a", nil)
	w := httptest.NewRecorder()
	newTestGateway(t).ServeHTTP(w, req)
	if cl := w.Header().Get("Content-Length"); cl == "0" {
		t.Errorf("HEAD answered with Content-Length %s", cl)
	}
}

// The buffers of backend answers are used again by later requests
// (Gateway.answers): under concurrent requests whose answers differ in
// length, each client gets its own answer, whole.
func TestServeConcurrentAnswersStayApart(t *testing.T) {
	srv := httptest.NewServer(newTestGateway(t))
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 8}}
	errs := make(chan error, 8)
	for w := 0; w < 8; w++ {
		go func() {
			for i := 0; i < 150; i++ {
				token := fmt.Sprintf("w%di%d%s", w, i, strings.Repeat("z", (w*37+i*11)%300))
				resp, err := client.Get(srv.URL + "/dev/legacy/x?t=" + token)
				if err != nil {
					errs <- err
					return
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if want := `{"path":"/old/x","query":"t=` + token + `","body":null}`; string(body) != want {
					errs <- fmt.Errorf("request %d of client %d: got %s, want %s", i, w, body, want)
					return
				}
			}
			errs <- nil
		}()
	}
	for w := 0; w < 8; w++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

// The maps of one request's pipeline are emptied before the next uses them
// (Gateway.scratches): a caller's identity and headers do not reach the
// backend of the next request, which has none.
func TestServeKeepsNothingOfTheLastRequest(t *testing.T) {
	var got []string
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.Header.Get("X-Who")+"|"+r.Header.Get("X-Stage"))
	}))
	defer backend.Close()
	api := testAPI(backend.URL)
	signedRoute := *api.Methods[0] // the proxy route, behind AWS_IAM
	signedRoute.LogicalID, signedRoute.Path, signedRoute.Authorization = "Signed", "/signed/{proxy+}", "AWS_IAM"
	api.Methods = append(api.Methods, &signedRoute)
	cred := DemoCredential()
	g, err := New(Config{API: api, Credentials: []Credential{cred}})
	if err != nil {
		t.Fatal(err)
	}
	if w := signed(t, g, cred, "GET", "/dev/signed/a", ""); w.Code != 200 {
		t.Fatalf("signed request: %d %s", w.Code, w.Body)
	}
	if w := do(g, "GET", "/dev/legacy/a", "", nil); w.Code != 200 {
		t.Fatalf("anonymous request: %d %s", w.Code, w.Body)
	}
	want := []string{cred.Identity.UserArn + "|dev", "|dev"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("the backend got X-Who|X-Stage %q, want %q", got, want)
	}
}

// The templates' view of the client's header and query string is made once
// a request, for its request and response templates alike, and never
// carried to the next request (ServeHTTP reuses the maps): a request
// without X-Tag and q reads them as empty, the one after it reads its own.
func TestServeTemplatesSeeOnlyTheirRequest(t *testing.T) {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	defer backend.Close()
	api := &apimodel.API{LogicalID: "Api", StageName: "dev", Methods: []*apimodel.Method{
		{LogicalID: "Tag", HTTPMethod: "GET", Path: "/tag", Authorization: "NONE",
			Integration: &apimodel.Integration{Type: "HTTP", HTTPMethod: "POST", URI: backend.URL + "/tag", TimeoutMillis: 29000,
				RequestTemplates: map[string]string{"application/json": `{"tag": "$input.params('X-Tag')", "q": "$input.params('q')"}`},
				Responses: []apimodel.IntegrationResponse{{StatusCode: "200", ResponseTemplates: map[string]string{
					"application/json": `{"backend": $input.json('$'), "tag": "$input.params().header.get('X-Tag')", "q": "$input.params().querystring.get('q')"}`}}}}},
	}}
	g, err := New(Config{API: api})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ target, tag, want string }{
		{"/dev/tag?q=1", "a", `{"backend": {"tag":"a","q":"1"}, "tag": "a", "q": "1"}`},
		{"/dev/tag", "", `{"backend": {"tag":"","q":""}, "tag": "", "q": ""}`},
		{"/dev/tag?q=2", "b", `{"backend": {"tag":"b","q":"2"}, "tag": "b", "q": "2"}`},
	} {
		var h map[string]string
		if c.tag != "" {
			h = map[string]string{"X-Tag": c.tag}
		}
		if w := do(g, "GET", c.target, "", h); w.Code != 200 || w.Body.String() != c.want {
			t.Errorf("GET %s (X-Tag %q): %d %s, want %s", c.target, c.tag, w.Code, w.Body, c.want)
		}
	}
}
