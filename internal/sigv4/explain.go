package sigv4

import (
	"bytes"
	"fmt"
	"net/http"
	"path"
	"slices"
	"strings"
	"time"
)

// RawRequest is an HTTP/1.1 request read from text, kept as written: the
// path and query exactly as in the request line.
type RawRequest struct {
	Method, Target, Proto string
	// Path and RawQuery split Target at its first "?".
	Path, RawQuery string
	Header         http.Header
	Body           []byte
}

// lineError is text that is not a request; Line is 1-based.
type lineError struct {
	Line int
	Msg  string
}

func (e *lineError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// ParseRawRequest reads a request: the request line, headers as "Name:value"
// or "Name: value" (a line starting with a blank continues the previous
// header), a blank line, and the body.
func ParseRawRequest(text []byte) (*RawRequest, error) {
	text = bytes.ReplaceAll(text, []byte("\r\n"), []byte("\n"))
	head, body, _ := bytes.Cut(text, []byte("\n\n"))
	lines := strings.Split(string(head), "\n")
	if strings.TrimSpace(lines[0]) == "" {
		return nil, &lineError{1, "the request is empty; expected a request line such as \"GET /prod/orders HTTP/1.1\""}
	}
	parts := strings.Fields(lines[0])
	if len(parts) < 2 || len(parts) > 3 {
		return nil, &lineError{1, fmt.Sprintf("%q is not a request line; expected \"METHOD /path HTTP/1.1\"", lines[0])}
	}
	r := &RawRequest{Method: parts[0], Target: parts[1], Proto: "HTTP/1.1", Header: http.Header{}, Body: body}
	if len(parts) == 3 {
		r.Proto = parts[2]
	}
	if !strings.HasPrefix(r.Target, "/") {
		return nil, &lineError{1, fmt.Sprintf("the request target %q does not start with \"/\"", r.Target)}
	}
	r.Path, r.RawQuery, _ = strings.Cut(r.Target, "?")
	last := ""
	for i, l := range lines[1:] {
		n := i + 2
		if l == "" {
			continue
		}
		if l[0] == ' ' || l[0] == '\t' {
			if last == "" {
				return nil, &lineError{n, "a continuation line before any header"}
			}
			vs := r.Header[last]
			vs[len(vs)-1] += " " + strings.TrimSpace(l)
			continue
		}
		name, value, ok := strings.Cut(l, ":")
		if !ok || strings.TrimSpace(name) == "" || strings.ContainsAny(name, " \t") {
			return nil, &lineError{n, fmt.Sprintf("%q is not a header; expected \"Name: value\"", l)}
		}
		last = http.CanonicalHeaderKey(name)
		r.Header[last] = append(r.Header[last], strings.TrimLeft(value, " \t"))
	}
	return r, nil
}

// Explanation is what ExplainRequest found.
type Explanation struct {
	Auth              *Authorization
	AmzDate           string // the request's date as signed (Auth.RequestDate)
	CanonicalRequest  string
	StringToSign      string
	Signature         string // computed with the secret given
	ProvidedSignature string
	SignatureMatches  bool
	// Problems names what is wrong or likely wrong: the causes found by
	// trying the usual mistakes, and clock skew (which never changes the
	// verdict).
	Problems []string
}

// ExplainOptions are what the request is checked against.
type ExplainOptions struct {
	// Region and Service expected in the credential scope; "" takes the
	// scope's.
	Region, Service string
	// At is the time to check the request's date against; zero skips the
	// skew check.
	At time.Time
}

// ExplainRequest verifies a request's signature with secret the way Verify
// does, shows each step, and when the signature does not match, computes it
// again under the usual mistakes of a client to name the cause.
func ExplainRequest(r *RawRequest, secret string, opts ExplainOptions) (*Explanation, error) {
	m := r.message()
	auth, aerr := extract(m)
	if aerr != nil {
		if aerr.Type == ErrMissingToken().Type {
			return nil, fmt.Errorf("the request is not signed: it has neither an Authorization header nor X-Amz-Signature in its query (API Gateway answers 403 Missing Authentication Token)")
		}
		return nil, fmt.Errorf("%s: %s", aerr.Type, aerr.Message)
	}
	base := serverForm(m)
	st := compute(m, auth, base, secret)
	ex := &Explanation{Auth: auth, AmzDate: auth.RequestDate, CanonicalRequest: st.canonicalRequest, StringToSign: st.stringToSign,
		Signature: st.signature, ProvidedSignature: auth.Signature, SignatureMatches: signatureMatches(st.signature, auth.Signature)}

	// Problems that hold whatever the verdict.
	for _, h := range st.missingHeaders {
		ex.Problems = append(ex.Problems, fmt.Sprintf("the header %s is listed as signed but the request does not carry it (it was dropped or renamed on the way, or the client listed it by mistake)", h))
	}
	if !slices.Contains(auth.SignedHeaders, "host") {
		ex.Problems = append(ex.Problems, "Host is not among the signed headers; SigV4 requires it to be signed")
	}
	if opts.Region != "" && auth.Region != opts.Region {
		ex.Problems = append(ex.Problems, fmt.Sprintf("the credential scope names region %s, but the API is in %s: sign for %s (API Gateway answers \"Credential should be scoped to a valid region\")", auth.Region, opts.Region, opts.Region))
	}
	if opts.Service != "" && auth.Service != opts.Service {
		ex.Problems = append(ex.Problems, fmt.Sprintf("the credential scope names service %s, but the request is for %s: sign for service %s", auth.Service, opts.Service, opts.Service))
	}
	if len(ex.AmzDate) >= 8 && ex.AmzDate[:8] != auth.Date {
		ex.Problems = append(ex.Problems, fmt.Sprintf("the request's date %s and the credential scope's date %s disagree: both must be the same UTC day", ex.AmzDate, auth.Date))
	}
	bodyHash := hashHex(m.body)
	if h := m.header.Get("X-Amz-Content-Sha256"); h != "" && h != bodyHash && h != "UNSIGNED-PAYLOAD" {
		ex.Problems = append(ex.Problems, fmt.Sprintf("X-Amz-Content-Sha256 is %s, but the body's SHA-256 is %s: the body changed after signing, or the hash was computed over other bytes", h, bodyHash))
	}
	if t, err := time.Parse(TimeFormat, ex.AmzDate); err == nil && !opts.At.IsZero() {
		at := opts.At.UTC()
		if d := at.Sub(t); d > maxSkew || d < -maxSkew {
			ex.Problems = append(ex.Problems, fmt.Sprintf("clock skew: the request was signed at %s, %s from %s; API Gateway refuses requests more than 5 minutes off (\"Signature expired\" or \"Signature not yet current\")",
				t.Format(TimeFormat), d.Round(time.Second).Abs(), at.Format(TimeFormat)))
		}
	} else if err != nil {
		ex.Problems = append(ex.Problems, fmt.Sprintf("the request's date %q is not in the form 20060102T150405Z", ex.AmzDate))
	}
	if ex.SignatureMatches {
		return ex, nil
	}

	// Try the usual mistakes, one at a time.
	for _, mk := range usualMistakes(m, base) {
		if mk.c == base {
			continue
		}
		if signatureMatches(compute(m, auth, mk.c, secret).signature, auth.Signature) {
			ex.Problems = append(ex.Problems, mk.why)
			return ex, nil
		}
	}
	if len(st.missingHeaders) == 0 {
		ex.Problems = append(ex.Problems, "no usual mistake explains the difference: check that the secret key is the one of access key "+
			auth.AccessKeyID+", and that no signed header or the body changed between signing and sending")
	}
	return ex, nil
}

// A usualMistake is a canonicalization a client may have signed by mistake,
// and what to tell when the signature is right for it.
type usualMistake struct {
	c   canonicalization
	why string
}

// usualMistakes are the usual mistakes of a client signing m, each a change to
// base, the canonicalization of API Gateway.
func usualMistakes(m *message, base canonicalization) []usualMistake {
	with := func(change func(*canonicalization)) canonicalization {
		c := base
		change(&c)
		return c
	}
	bodyHash := hashHex(m.body)
	return []usualMistake{
		{with(func(c *canonicalization) { c.payload = hashHex(nil) }), "the signature is right for an empty body: the client signed before it set the body, or the body was added or changed on the way"},
		{with(func(c *canonicalization) { c.payload = "UNSIGNED-PAYLOAD" }), "the client signed with UNSIGNED-PAYLOAD (as for S3); for API Gateway the payload hash is the SHA-256 of the body"},
		{with(func(c *canonicalization) { c.payload = bodyHash }), "the signature is right for the body's real SHA-256: the X-Amz-Content-Sha256 header does not match what was signed"},
		{with(func(c *canonicalization) { c.uri = m.path }), "the client encoded the path once (as S3 does); for execute-api the canonical path is the request path encoded once more"},
		{with(func(c *canonicalization) { c.uri = canonicalURI(normalizePath(m.path)) }), "the client normalized the path (removed ., .. or doubled slashes) before signing, but sent it unnormalized"},
		{with(func(c *canonicalization) { c.query = m.query }), "the client signed the query string as written: SigV4 needs its parameters sorted by name and URI-encoded"},
		{with(func(c *canonicalization) { c.query = strings.ReplaceAll(base.query, "%20", "+") }), "the client encoded spaces in the query as '+'; SigV4 needs %20"},
		{with(func(c *canonicalization) { c.untrimmed = true }), "the client did not trim header values or collapse their inner spaces"},
		{with(func(c *canonicalization) { c.host = stripPort(base.host) }), "the client signed the Host without its port"},
	}
}

func normalizePath(p string) string {
	clean := path.Clean(p)
	if strings.HasSuffix(p, "/") && clean != "/" {
		clean += "/"
	}
	return clean
}

func stripPort(host string) string {
	if i := strings.LastIndexByte(host, ':'); i > 0 && !strings.Contains(host[i:], "]") {
		return host[:i]
	}
	return host
}
