package echo

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The answer is json.Marshal of Received: the body as JSON (compacted)
// when it is JSON, as Body otherwise, in one line.
func TestHandlerAnswers(t *testing.T) {
	for _, body := range []string{
		"",
		`{"a": [1, 2, {"b": "c d"}],` + "\n" + ` "e": "\u00e9\"x"}`,
		`  "just a string"  `,
		`not json {`,
		`{"a": 1} trailing`,
		"[1,\t2]",
	} {
		r := httptest.NewRequest("POST", "/orders/1?x=1&x=2", strings.NewReader(body))
		r.Header.Set("X-B", "2")
		r.Header.Set("X-A", "1")
		w := httptest.NewRecorder()
		Handler().ServeHTTP(w, r)

		want := Received{Method: "POST", Path: "/orders/1", Query: map[string][]string{"x": {"1", "2"}},
			Headers: map[string]string{"X-A": "1", "X-B": "2", "Host": "example.com"}}
		if json.Valid([]byte(body)) {
			want.JSON = json.RawMessage(body)
		} else if body != "" {
			want.Body = &body
		}
		raw, err := json.Marshal(want)
		if err != nil {
			t.Fatal(err)
		}
		if got := w.Body.String(); got != string(raw)+"\n" {
			t.Errorf("body %q:\n got %s\nwant %s", body, got, raw)
		}
		if w.Code != 200 || w.Header().Get("Content-Type") != "application/json" {
			t.Errorf("body %q: %d %v", body, w.Code, w.Header())
		}
	}
}

// X-Echo-Status asks for a status code.
func TestHandlerStatus(t *testing.T) {
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("X-Echo-Status", "503")
	w := httptest.NewRecorder()
	Handler().ServeHTTP(w, r)
	if w.Code != http.StatusServiceUnavailable {
		t.Errorf("status %d, want 503", w.Code)
	}
}
