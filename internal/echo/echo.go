// Package echo is a small HTTP backend that answers every request with what
// it received, as JSON: what `iamgate echo` serves, so that a local gateway
// has a backend to talk to.
package echo

import (
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"unicode/utf8"
	"unsafe"

	"github.com/iamgate/iamgate/internal/apigw"
	"github.com/iamgate/iamgate/internal/jsontext"
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

// maxBody is the most of a request body the backend reads.
const maxBody = 10 << 20

// maxDepth is how deep a body may nest to be shown as JSON: as deep as
// encoding/json reads.
const maxDepth = 10000

// Handler answers 200 with the Received JSON in one line: what an
// encoding/json Encoder that does not escape HTML writes for it (map keys
// sorted), the body compacted as json.Compact writes it when it is JSON.
// Headers has each header's first value, and Host. A request header
// X-Echo-Status asks for another status code (to test error mappings).
func Handler() http.Handler {
	// Buffers for bodies and for answers (which are larger), kept between
	// requests.
	var bodies, answers sync.Pool
	get := func(p *sync.Pool) *[]byte {
		if bp, _ := p.Get().(*[]byte); bp != nil {
			return bp
		}
		return new([]byte)
	}
	put := func(p *sync.Pool, bp *[]byte, b []byte) {
		if cap(b) <= maxKept {
			*bp = b[:0]
			p.Put(bp)
		}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		in, out := get(&bodies), get(&answers)
		body := readBody(r, (*in)[:0])
		status := http.StatusOK
		if s, err := strconv.Atoi(r.Header.Get("X-Echo-Status")); err == nil && s >= 200 && s <= 599 {
			status = s
		}
		answer := encode((*out)[:0], r, body)
		put(&bodies, in, body)
		h := w.Header()
		h["Content-Type"] = []string{"application/json"}
		h["Content-Length"] = []string{strconv.Itoa(len(answer))}
		w.WriteHeader(status)
		_, _ = w.Write(answer) // not kept by the writer (io.Writer)
		put(&answers, out, answer)
	})
}

// maxKept is the largest buffer the handler keeps for the next request.
const maxKept = 1 << 20

// readBody reads up to maxBody bytes of r's body into buf, grown once to
// its announced length.
func readBody(r *http.Request, buf []byte) []byte {
	b := bytes.NewBuffer(buf)
	if n := r.ContentLength; n > 0 && n <= maxBody {
		b.Grow(int(n) + bytes.MinRead) // ReadFrom wants MinRead free to see the end
	}
	_, _ = b.ReadFrom(io.LimitReader(r.Body, maxBody))
	return b.Bytes()
}

// encode appends the answer for r and its body to out, written by hand rather than
// by encoding/json (which would sort the maps through reflection, and scan
// the body twice), and tested against it.
func encode(out []byte, r *http.Request, body []byte) []byte {
	query := apigw.ParseQuery(r.URL.RawQuery)
	out = slices.Grow(out, 256+len(r.URL.RawQuery)+64*len(r.Header)+len(body))
	out = append(out, `{"method":`...)
	out = appendString(out, r.Method)
	out = append(out, `,"path":`...)
	out = appendString(out, r.URL.Path)
	out = append(out, `,"query":{`...)
	for i, k := range slices.Sorted(maps.Keys(query)) {
		if i > 0 {
			out = append(out, ',')
		}
		out = appendString(out, k)
		out = append(out, ':')
		vs := query[k]
		if vs == nil {
			out = append(out, "null"...)
			continue
		}
		out = append(out, '[')
		for j, v := range vs {
			if j > 0 {
				out = append(out, ',')
			}
			out = appendString(out, v)
		}
		out = append(out, ']')
	}
	out = append(out, `},"headers":{`...)
	names := make([]string, 0, len(r.Header)+1)
	for k := range r.Header {
		names = append(names, k)
	}
	if _, ok := r.Header["Host"]; !ok && r.Host != "" {
		names = append(names, "Host")
	}
	slices.Sort(names)
	for i, k := range names {
		if i > 0 {
			out = append(out, ',')
		}
		out = appendString(out, k)
		out = append(out, ':')
		v := r.Header.Get(k)
		if k == "Host" && r.Host != "" {
			v = r.Host
		}
		out = appendString(out, v)
	}
	out = append(out, '}')
	if len(body) > 0 {
		out = append(out, `,"json":`...)
		if len(body)+2 > cap(out)-len(out) {
			out = slices.Grow(out, len(body)+2)
		}
		// The compact text is written after out's end, when the body has
		// whitespace; else it is the body itself.
		spare := out[len(out):]
		// The body is not changed while Compact reads it, nor after: the
		// string need not be a copy.
		if compact, err := jsontext.Compact(spare, unsafe.String(unsafe.SliceData(body), len(body)), maxDepth); err == nil {
			if len(compact) > 0 && unsafe.StringData(compact) == unsafe.SliceData(spare) {
				out = out[:len(out)+len(compact)]
			} else {
				out = append(out, compact...)
			}
		} else {
			out = append(out[:len(out)-len(`,"json":`)], `,"body":`...)
			out = appendString(out, string(body))
		}
	}
	return append(out, "}\n"...)
}

// appendString appends s as a JSON string, escaped as encoding/json
// escapes it without HTML escaping: ", \ and control characters, U+2028
// and U+2029, and invalid UTF-8 as U+FFFD.
func appendString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '"', '\\':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, `\b`...)
			case '\f':
				dst = append(dst, `\f`...)
			case '\n':
				dst = append(dst, `\n`...)
			case '\r':
				dst = append(dst, `\r`...)
			case '\t':
				dst = append(dst, `\t`...)
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case c == utf8.RuneError && size == 1:
			dst = append(append(dst, s[start:i]...), `\ufffd`...)
		case c == '\u2028' || c == '\u2029':
			dst = append(append(dst, s[start:i]...), '\\', 'u', '2', '0', '2', hex[c&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	return append(append(dst, s[start:]...), '"')
}
