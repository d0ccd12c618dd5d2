package gateway

import (
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/iamgate/iamgate/internal/apimodel"
)

// An integration URI split once fills as the URI itself, written out with
// the request's path parameters: greedy and plain parameters, values with
// slashes and spaces, a parameter the request lacks, an origin known at
// deploy only.
func TestURITemplateFill(t *testing.T) {
	path := map[string]string{"orderId": "4 2", "proxy": "a/b c/d", "empty": ""}
	tests := []struct {
		uri     string
		backend bool
		want    string
	}{
		{"https://api.example.com/orders", true, "https://api.example.com/orders"},
		{"https://api.example.com/orders/{orderId}", true, "https://api.example.com/orders/4%202"},
		{"https://api.example.com/{proxy+}", true, "https://api.example.com/a/b%20c/d"},
		{"https://api.example.com/{missing}/x/{orderId}{empty}", true, "https://api.example.com/{missing}/x/4%202"},
		{"${BackendUrl}/orders/{orderId}", true, "http://unresolved.invalid/orders/4%202"},
		{"${BackendUrl}/orders/{orderId}", false, "${BackendUrl}/orders/4%202"},
		{"https://${Host}.example.com/x", true, "http://unresolved.invalid/x"},
		{"{orderId}", true, "4%202"},
		{"", true, ""},
	}
	for _, tt := range tests {
		if got := compileURI(tt.uri, tt.backend).fill(path); got != tt.want {
			t.Errorf("compileURI(%q, %v).fill = %q, want %q", tt.uri, tt.backend, got, tt.want)
		}
	}
}

// The gateway's own client sends through its transport directly (send),
// and reports a failed call as http.Client does.
func TestSendReportsErrorsAsTheClient(t *testing.T) {
	apis, err := apimodel.Load("../../stacks/testdata/IamGate.template.json", apimodel.Options{})
	if err != nil {
		t.Fatal(err)
	}
	g, err := New(Config{API: apis[0]})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	for _, target := range []string{"http://" + addr + "/x?a=1", "http://u:secret@" + addr + "/x"} {
		req, _ := http.NewRequest("POST", target, strings.NewReader("{}"))
		_, got := g.send(req)
		req, _ = http.NewRequest("POST", target, strings.NewReader("{}"))
		_, want := g.cfg.Client.Do(req)
		if got == nil || want == nil || got.Error() != want.Error() {
			t.Errorf("send: %v, want %v", got, want)
		}
	}
}

// A proxy integration's URI may carry a query of its own, with {parameters}:
// the request's parameters of the same names come after the URI's, as AWS
// sends them (LocalStack's AWS-validated
// test_http_proxy_integration_request_data_mappings: testQs=bar,foo and
// testVar=foobar,bar).
func TestBackendURLAddsToTheURIsQuery(t *testing.T) {
	g := &Gateway{}
	got, err := g.backendURL(compileURI("http://echo.example/?testVar={pathVar}&testQs={qsVar}", false),
		map[string]string{"pathVar": "foobar", "qsVar": "bar"},
		map[string][]string{"testQs": {"foo"}, "testVar": {"bar"}, "testQueryString": {"foo"}}, nil)
	if want := "http://echo.example/?testQs=bar&testQs=foo&testQueryString=foo&testVar=foobar&testVar=bar"; err != nil || got != want {
		t.Errorf("backendURL = %q, %v; want %q", got, err, want)
	}
}

// A template's requestOverride of a query parameter replaces the URI's and
// the request's values of that name.
func TestBackendURLOverride(t *testing.T) {
	g := &Gateway{}
	got, err := g.backendURL(compileURI("http://echo.example/items?page=1&keep=k", false), nil,
		map[string][]string{"page": {"3"}}, map[string]string{"page": "2"})
	if want := "http://echo.example/items?keep=k&page=2"; err != nil || got != want {
		t.Errorf("backendURL = %q, %v; want %q", got, err, want)
	}
}
