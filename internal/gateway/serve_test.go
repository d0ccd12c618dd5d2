package gateway

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
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
