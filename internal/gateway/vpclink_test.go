package gateway

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/iamgate/iamgate/internal/apimodel"
)

// A private integration (VPC_LINK) goes to the local backend as an HTTP one
// does, and so does a URI whose origin is a deploy-time value (an export, an
// SSM parameter) that apimodel leaves as a placeholder.
func TestVpcLinkAndUnresolvedOriginsGoToTheBackend(t *testing.T) {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, r.Method+" "+r.URL.Path)
	}))
	t.Cleanup(backend.Close)
	method := func(id, path, uri string) *apimodel.Method {
		return &apimodel.Method{LogicalID: id, HTTPMethod: "GET", Path: path, Authorization: "NONE",
			Integration: &apimodel.Integration{Type: "HTTP_PROXY", HTTPMethod: "GET", URI: uri, ConnectionType: "VPC_LINK", TimeoutMillis: 29000}}
	}
	api := &apimodel.API{LogicalID: "Api", StageName: "prod", Methods: []*apimodel.Method{
		method("Literal", "/a", "http://orders.internal.example.com/v1/a"),
		method("Import", "/b", "${Fn::ImportValue:orders-url}/b"),
		method("Ssm", "/c", "https://${SsmParameterValueordershost}/v1/c"),
	}}
	u, _ := url.Parse(backend.URL + "/base")
	g, err := New(Config{API: api, Backend: u})
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{"/a": "GET /base/v1/a", "/b": "GET /base/b", "/c": "GET /base/v1/c"} {
		w := do(g, "GET", "/prod"+path, "", nil)
		if w.Code != 200 || w.Body.String() != want {
			t.Errorf("GET %s: %d %q, want 200 %q", path, w.Code, w.Body.String(), want)
		}
	}
}
