package gateway

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"

	"github.com/iamgate/iamgate/internal/apimodel"
)

// An API split over nested stacks (the construct's RoutesPerStack; the
// fixture is written by constructs/identityapi TestRoutesPerStack) is served
// whole: a route of the second nested stack is authorized, mapped and
// called like a route of the API's own stack, and a preflight of the first
// nested stack is answered by its MOCK.
func TestNestedStackRoutes(t *testing.T) {
	apis, err := apimodel.Load("../apimodel/testdata/nested/Nested.template.json", apimodel.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var got []string
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.Method+" "+r.URL.Path+" "+r.Header.Get("X-Iamgate-User-Arn"))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{}`))
	}))
	defer backend.Close()
	bu, _ := url.Parse(backend.URL)
	c := cred("AKIANESTED", "arn:aws:iam::123456789012:user/alice", "")
	g, err := New(Config{API: apis[0], Credentials: []Credential{c}, Backend: bu})
	if err != nil {
		t.Fatal(err)
	}
	if u := g.Unsupported(); len(u) > 0 {
		t.Fatalf("unsupported: %v", u)
	}
	if w := signed(t, g, c, "DELETE", "/prod/orders/7", ""); w.Code != 200 {
		t.Errorf("DELETE /orders/7 (Routes2): %d %s", w.Code, w.Body)
	}
	if w := signed(t, g, c, "GET", "/prod/whoami", ""); w.Code != 200 {
		t.Errorf("GET /whoami (the API's stack): %d %s", w.Code, w.Body)
	}
	want := []string{"DELETE /orders/7 arn:aws:iam::123456789012:user/alice", "POST /whoami arn:aws:iam::123456789012:user/alice"}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("the backend got %q, want %q", got, want)
	}
	if w := do(g, "DELETE", "/prod/orders/7", "", nil); w.Code != 403 {
		t.Errorf("unsigned DELETE on a nested route: %d, want 403", w.Code)
	}
	w := preflight(g, "/prod/orders/7", "https://app.example.com")
	if w.Code != 204 || w.Header().Get("Access-Control-Allow-Origin") != "https://app.example.com" {
		t.Errorf("preflight of a nested stack's OPTIONS: %d %v", w.Code, w.Header())
	}
}
