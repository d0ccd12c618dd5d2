// Package echo is a small HTTP backend that answers every request with what
// it received, as JSON: what `iamgate echo` serves, so that a local gateway
// has a backend to talk to.
package echo

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
)

// Received is the answer: the request as the backend saw it.
type Received struct {
	Method  string              `json:"method"`
	Path    string              `json:"path"`
	Query   map[string][]string `json:"query"`
	Headers map[string]string   `json:"headers"`
	// JSON is the body when it is JSON; Body is the raw body otherwise.
	JSON json.RawMessage `json:"json,omitempty"`
	Body *string         `json:"body,omitempty"`
}

// Handler answers 200 with the Received JSON (compact). A request header
// X-Echo-Status asks for another status code (to test error mappings).
func Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 10<<20))
		rec := Received{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Headers: make(map[string]string, len(r.Header)+1)}
		for k := range r.Header {
			rec.Headers[k] = r.Header.Get(k)
		}
		if r.Host != "" {
			rec.Headers["Host"] = r.Host
		}
		status := http.StatusOK
		if s, err := strconv.Atoi(r.Header.Get("X-Echo-Status")); err == nil && s >= 200 && s <= 599 {
			status = s
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write(encode(rec, body))
	})
}

// encode writes rec with body as its JSON (compacted) when body is JSON,
// else as its Body, in one line: what json.Marshal writes (it sorts the
// maps' keys), with the body scanned once (json.Marshal of a RawMessage
// would validate and compact it again).
func encode(rec Received, body []byte) []byte {
	var compact bytes.Buffer
	isJSON := false
	if len(body) > 0 {
		compact.Grow(len(body))
		isJSON = json.Compact(&compact, body) == nil
		if !isJSON {
			raw := string(body)
			rec.Body = &raw
		}
	}
	// Compact: iamgate call indents JSON answers for people.
	out, _ := json.Marshal(rec)
	if isJSON {
		// "json" is the field after "headers" and Body is nil: it closes the object.
		out = append(append(append(out[:len(out)-1], `,"json":`...), compact.Bytes()...), '}')
	}
	return append(out, '\n')
}
