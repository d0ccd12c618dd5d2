package gateway

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"sync/atomic"
	"testing"
)

// An HTTP_PROXY integration request carries the caller's address last in
// X-Forwarded-For, after what the client wrote there
// (apigw.ProxyForwardedFor): a client cannot make a backend that trusts the
// last hop see an address of its choosing, as it could when its header
// passed as sent. A non-proxy HTTP integration sends no X-Forwarded-For,
// the client's included (only mapped headers reach its backend).
func TestProxyForwardedFor(t *testing.T) {
	var got atomic.Value
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Store(r.Header.Values("X-Forwarded-For"))
		_, _ = w.Write([]byte(`{}`))
	}))
	defer backend.Close()
	g, err := New(Config{API: testAPI(backend.URL)})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, target string
		client       []string // the client's X-Forwarded-For lines
		want         []string // what the backend gets
	}{
		{"proxy, none from the client", "/dev/legacy/a", nil, []string{"192.0.2.1"}},
		{"proxy, a forged one", "/dev/legacy/a", []string{"203.0.113.9"}, []string{"203.0.113.9, 192.0.2.1"}},
		{"proxy, two lines and an empty one", "/dev/legacy/a", []string{"198.51.100.7, 203.0.113.9", "", "10.0.0.1"},
			[]string{"198.51.100.7, 203.0.113.9, 10.0.0.1, 192.0.2.1"}},
		{"HTTP, a forged one", "/dev/items?q=1", []string{"203.0.113.9"}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got.Store([]string(nil))
			r := httptest.NewRequest("GET", tt.target, nil) // from 192.0.2.1:1234
			r.Header.Set("X-Tenant", "t")
			r.Header["X-Forwarded-For"] = tt.client
			w := httptest.NewRecorder()
			g.ServeHTTP(w, r)
			if w.Code != 200 {
				t.Fatalf("status %d: %s", w.Code, w.Body)
			}
			if g := got.Load().([]string); !slices.Equal(g, tt.want) {
				t.Errorf("the backend got X-Forwarded-For %q, want %q", g, tt.want)
			}
		})
	}
}

// An HTTP_PROXY integration passes the client's headers to the backend but
// not the ones of the client's connection to the gateway
// (apigw.ProxyDropsClientHeader): a client's Proxy-Authorization, say, never
// reaches a backend.
func TestProxyDropsHopHeaders(t *testing.T) {
	var got atomic.Value
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Store(r.Header.Clone())
		_, _ = w.Write([]byte(`{}`))
	}))
	defer backend.Close()
	g, err := New(Config{API: testAPI(backend.URL)})
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("GET", "/dev/legacy/a", nil)
	r.Header.Set("X-Tenant", "t")
	r.Header.Set("X-Correlation-Id", "c1")
	for _, h := range []string{"Keep-Alive", "Proxy-Connection", "Proxy-Authorization", "Proxy-Authenticate", "Upgrade", "Trailer"} {
		r.Header.Set(h, "from-client")
	}
	w := httptest.NewRecorder()
	g.ServeHTTP(w, r)
	if w.Code != 200 {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	h := got.Load().(http.Header)
	for _, name := range []string{"Keep-Alive", "Proxy-Connection", "Proxy-Authorization", "Proxy-Authenticate", "Upgrade", "Trailer"} {
		if v := h.Values(name); v != nil {
			t.Errorf("the backend got %s: %q", name, v)
		}
	}
	if v := h.Get("X-Correlation-Id"); v != "c1" {
		t.Errorf("the backend got X-Correlation-Id %q, want the client's c1", v)
	}
}
