package echo

import (
	"bytes"
	"encoding/json"
	"io"
	"math/rand"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// want is the answer as encoding/json writes it: Received with the maps
// sorted, without HTML escaping, the body as json.Compact writes it.
func want(t testing.TB, r *http.Request, body string) string {
	t.Helper()
	rec := Received{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Headers: map[string]string{}}
	for k := range r.Header {
		rec.Headers[k] = r.Header.Get(k)
	}
	if r.Host != "" {
		rec.Headers["Host"] = r.Host
	}
	if json.Valid([]byte(body)) {
		rec.JSON = json.RawMessage(body)
	} else if body != "" {
		rec.Body = &body
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(rec); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

func serve(r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	Handler().ServeHTTP(w, r)
	return w
}

// The answer is encoding/json's for Received: the body as JSON (compacted)
// when it is JSON, as Body otherwise, in one line.
func TestHandlerAnswers(t *testing.T) {
	for _, body := range []string{
		"",
		`{"a": [1, 2, {"b": "c d"}],` + "\n" + ` "e": "\u00e9\"x"}`,
		`  "just a string"  `,
		`not json {`,
		`{"a": 1} trailing`,
		"[1,\t2]",
		`{"html": "<a href='x'>&amp;</a>", "ls": "` + "\u2028" + `"}`,
		"raw \xff\xfe bytes\x00\b\f\u2029 <&>",
	} {
		r := httptest.NewRequest("POST", "/orders/1?x=1&x=2&y=%3C%26%3E", strings.NewReader(body))
		r.Header.Set("X-B", "2")
		r.Header.Set("X-A", "1 <b> & \"q\"")
		w := serve(r)
		if got, want := w.Body.String(), want(t, r, body); got != want {
			t.Errorf("body %q:\n got %s\nwant %s", body, got, want)
		}
		if w.Code != 200 || w.Header().Get("Content-Type") != "application/json" || w.Header().Get("Content-Length") != itoa(w.Body.Len()) {
			t.Errorf("body %q: %d %v", body, w.Code, w.Header())
		}
	}
}

// On random requests, the hand-written encoder writes what encoding/json
// writes: every byte of a header value, a query and a path.
func TestHandlerAgreesWithEncodingJSON(t *testing.T) {
	rnd := rand.New(rand.NewSource(1))
	alphabet := []string{"a", "Z", "0", " ", "\"", "\\", "/", "<", ">", "&", "\t", "\n", "\x01", "\x7f", "é", "\u2028", "\u2029", "\xff", "\xe2\x80", "😀", "{", "}", "[", "]", ":", ",", "1", "true"}
	word := func(n int) string {
		var b strings.Builder
		for i := rnd.Intn(n); i > 0; i-- {
			b.WriteString(alphabet[rnd.Intn(len(alphabet))])
		}
		return b.String()
	}
	for i := 0; i < 3000; i++ {
		body := word(10)
		r := httptest.NewRequest("PUT", "/p", strings.NewReader(body))
		r.URL.Path = "/" + word(6)
		q := r.URL.Query()
		for j := rnd.Intn(4); j > 0; j-- {
			q.Add(word(4), word(6))
		}
		r.URL.RawQuery = q.Encode()
		for j := rnd.Intn(5); j > 0; j-- {
			r.Header[word(5)] = []string{word(8), word(3)} // names as a client may send them, canonical or not
		}
		if rnd.Intn(4) == 0 {
			r.Host = ""
		}
		if got, want := serve(r).Body.String(), want(t, r, body); got != want {
			t.Fatalf("request %d:\n got %s\nwant %s", i, got, want)
		}
	}
}

// X-Echo-Status asks for a status code.
func TestHandlerStatus(t *testing.T) {
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("X-Echo-Status", "503")
	if w := serve(r); w.Code != http.StatusServiceUnavailable {
		t.Errorf("status %d, want 503", w.Code)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// The answer to the local gateway's integration request of
// BenchmarkLocalGateway: a POST with the ~3 KB envelope and 20 headers.
func BenchmarkHandler(b *testing.B) {
	env := `{"context":{"requestId":"c0ffee","identity":{"userArn":"arn:aws:iam::123456789012:user/alice","sourceIp":"127.0.0.1"}},` +
		`"headers":{` + strings.Repeat(`"X-Header-Name":"some value of a header",`, 60) + `"Last":"x"},"body":"` + strings.Repeat("abcdefgh", 64) + `"}`
	env = strings.ReplaceAll(env, `,"`, ",\n    \"") // indented, as the envelope template writes it
	r := httptest.NewRequest("POST", "/orders/42?status=open", nil)
	for _, h := range []string{"Accept", "Content-Type", "User-Agent", "X-Amzn-Apigateway-Api-Id", "X-Amzn-Trace-Id", "X-Iamgate-Caller", "X-Iamgate-User",
		"X-Iamgate-User-Arn", "X-Iamgate-Account-Id", "X-Iamgate-Source-Ip", "X-Request-Correlation-Id", "Accept-Encoding"} {
		r.Header.Set(h, "value of "+h)
	}
	h := Handler()
	b.ReportAllocs()
	b.SetBytes(int64(len(env)))
	for i := 0; i < b.N; i++ {
		r.Body = ioNopCloser(env)
		r.ContentLength = int64(len(env))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
	}
}

func ioNopCloser(s string) io.ReadCloser { return io.NopCloser(strings.NewReader(s)) }
