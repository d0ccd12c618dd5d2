package sigv4

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/iamgate/iamgate/internal/apigw"
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
// header), a blank line, and the body. A UTF-8 byte order mark before the
// request line is skipped.
func ParseRawRequest(text []byte) (*RawRequest, error) {
	// A UTF-8 byte order mark, which editors on Windows write, is not part
	// of the request line.
	text = bytes.TrimPrefix(text, []byte("\ufeff"))
	text = bytes.ReplaceAll(text, []byte("\r\n"), []byte("\n"))
	head, body, _ := bytes.Cut(text, []byte("\n\n"))
	lines := strings.Split(string(head), "\n")
	if strings.TrimSpace(lines[0]) == "" {
		return nil, &lineError{1, "the request is empty; expected a request line such as \"GET /prod/orders HTTP/1.1\""}
	}
	parts := strings.Fields(lines[0])
	if n := len(parts); n > 3 && strings.HasPrefix(parts[n-1], "HTTP/") {
		// A target written with raw spaces, as AWS's SigV4 test suite
		// writes some (get-space-*): keep it as written.
		line := strings.TrimSpace(lines[0])
		target := strings.TrimSpace(line[len(parts[0]) : len(line)-len(parts[n-1])])
		parts = []string{parts[0], target, parts[n-1]}
	}
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
	// Refusal is the answer API Gateway gives the request, from the checks
	// Verify runs (nil when it accepts it): the credential scope, Host
	// signed, X-Amz-Expires, then the signature; the time only when
	// ExplainOptions.CheckTime says so. The access key and session token
	// are not looked up.
	Refusal *Error
	// Problems names what is wrong or likely wrong: the causes found by
	// trying the usual mistakes, and clock skew.
	Problems []string
}

// RefusedError is ExplainRequest's error for a request API Gateway refuses
// before there is a signature to compute (unsigned, or an Authorization
// header or presigned query it cannot read): Answer is API Gateway's.
type RefusedError struct {
	Answer *Error
	msg    string
}

func (e *RefusedError) Error() string { return e.msg }

// ExplainOptions are what the request is checked against.
type ExplainOptions struct {
	// Region and Service expected in the credential scope; "" takes the
	// scope's.
	Region, Service string
	// At is the time to check the request's date against; zero skips the
	// skew and expiry checks.
	At time.Time
	// CheckTime makes a date too far from At, or a presigned request
	// expired at At, a refusal (Refusal), as it is in Verify; otherwise it
	// is only reported among the problems, since a request written to a
	// file is usually explained after it was sent.
	CheckTime bool
}

// ExplainRequest verifies a request's signature with secret the way Verify
// does, shows each step, and when the signature does not match, computes it
// again under the usual mistakes of a client to name the cause.
func ExplainRequest(r *RawRequest, secret string, opts ExplainOptions) (*Explanation, error) {
	m := r.message()
	auth, aerr := extract(m)
	if aerr != nil {
		if aerr.Type == ErrMissingToken().Type {
			return nil, &RefusedError{aerr, "the request is not signed: it has neither an Authorization header nor X-Amz-Signature in its query (API Gateway answers 403 Missing Authentication Token)"}
		}
		return nil, &RefusedError{aerr, aerr.Type + ": " + aerr.Message}
	}
	base := serverForm(m)
	key := newMACKey(signingKey(secret, auth.Date, auth.Region, auth.Service))
	st := compute(m, auth, base, key)
	ex := &Explanation{Auth: auth, AmzDate: auth.RequestDate, CanonicalRequest: st.canonicalRequest, StringToSign: st.stringToSign,
		Signature: st.signature, ProvidedSignature: auth.Signature, SignatureMatches: signatureMatches(st.signature, auth.Signature)}

	// The verdict, from Verify's own checks.
	region, service := opts.Region, opts.Service
	if region == "" {
		region = auth.Region
	}
	if service == "" {
		service = auth.Service
	}
	ex.Refusal = checkScope(auth, region, service)
	if ex.Refusal == nil && opts.CheckTime && !opts.At.IsZero() {
		ex.Refusal = checkTime(auth, opts.At)
	}
	if ex.Refusal == nil && !ex.SignatureMatches {
		ex.Refusal = errMismatch(st)
	}

	// Problems that hold whatever the signature.
	for _, h := range st.missingHeaders {
		ex.Problems = append(ex.Problems, fmt.Sprintf("the header %s is listed as signed but the request does not carry it (it was dropped or renamed on the way, or the client listed it by mistake)", h))
	}
	if !slices.Contains(auth.SignedHeaders, "host") {
		ex.Problems = append(ex.Problems, "Host is not among the signed headers; SigV4 requires it to be signed (API Gateway answers \"'Host' must be a 'SignedHeader' in the AWS Authorization.\")")
	}
	if opts.Region != "" && auth.Region != opts.Region {
		ex.Problems = append(ex.Problems, fmt.Sprintf("the credential scope names region %s, but the API is in %s: sign for %s (API Gateway answers \"Credential should be scoped to a valid region\")", auth.Region, opts.Region, opts.Region))
	}
	if opts.Service != "" && auth.Service != opts.Service {
		ex.Problems = append(ex.Problems, fmt.Sprintf("the credential scope names service %s, but the request is for %s: sign for service %s", auth.Service, opts.Service, opts.Service))
	}
	if auth.Terminator != terminator {
		ex.Problems = append(ex.Problems, fmt.Sprintf("the credential scope ends in %q; it must end in %s", auth.Terminator, terminator))
	}
	t, terr := parseDate(auth.RequestDate)
	if terr != nil {
		ex.Problems = append(ex.Problems, fmt.Sprintf("the request's date %q is not in the form 20060102T150405Z", ex.AmzDate))
	} else if day := t.UTC().Format("20060102"); day != auth.Date {
		ex.Problems = append(ex.Problems, fmt.Sprintf("the request's date %s and the credential scope's date %s disagree: both must be the same UTC day", ex.AmzDate, auth.Date))
	}
	if auth.Presigned && auth.Expires != "" {
		if n, err := strconv.Atoi(auth.Expires); err != nil || n < 1 || n > maxExpires {
			ex.Problems = append(ex.Problems, fmt.Sprintf("X-Amz-Expires is %q; it must be a number of seconds from 1 to %d", auth.Expires, maxExpires))
		}
	}
	bodyHash := hashHex(m.body)
	if h := m.header.Get("X-Amz-Content-Sha256"); h != "" && h != bodyHash {
		ex.Problems = append(ex.Problems, fmt.Sprintf("X-Amz-Content-Sha256 is %s, but the body's SHA-256 is %s: API Gateway signs the body it received, so the body changed after signing (or was replayed with another body), or the hash was computed over other bytes", h, bodyHash))
	}
	if terr == nil && !opts.At.IsZero() {
		if e := checkTime(auth, opts.At); e != nil {
			at := opts.At.UTC()
			if e.Message == errExpired().Message {
				n, _ := strconv.Atoi(auth.Expires)
				ex.Problems = append(ex.Problems, fmt.Sprintf("the presigned request expired: signed at %s for %ds, it was good until %s, before %s (API Gateway answers %q)",
					t.Format(TimeFormat), n, t.Add(time.Duration(n)*time.Second).UTC().Format(TimeFormat), at.Format(TimeFormat), e.Message))
			} else {
				ex.Problems = append(ex.Problems, fmt.Sprintf("clock skew: the request was signed at %s, %s from %s; API Gateway refuses requests more than 5 minutes off, presigned ones too (\"Signature expired\" or \"Signature not yet current\")",
					t.Format(TimeFormat), at.Sub(t).Round(time.Second).Abs(), at.Format(TimeFormat)))
			}
		}
	}
	if ex.SignatureMatches {
		return ex, nil
	}

	// Try the usual mistakes, one at a time.
	for _, mk := range usualMistakes(m, base) {
		if mk.c == base {
			continue
		}
		if signatureMatches(compute(m, auth, mk.c, key).signature, auth.Signature) {
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
	mistakes := []usualMistake{
		{with(func(c *canonicalization) { c.payload = hashHex(nil) }), "the signature is right for an empty body: the client signed before it set the body, or the body was added or changed on the way"},
		{with(func(c *canonicalization) { c.payload = "UNSIGNED-PAYLOAD" }), "the client signed with UNSIGNED-PAYLOAD (as for S3); API Gateway always signs the SHA-256 of the body it received, so an unsigned payload is refused"},
	}
	if h := m.header.Get("X-Amz-Content-Sha256"); h != "" {
		mistakes = append(mistakes, usualMistake{with(func(c *canonicalization) { c.payload = h }),
			"the signature is right for the payload hash X-Amz-Content-Sha256 gives, " + h + ", but API Gateway signs the SHA-256 of the body it received, " + base.payload +
				": the body changed after signing, or the request was replayed with another body"})
	}
	return append(mistakes,
		usualMistake{with(func(c *canonicalization) { c.uri = apigw.NormalizePath(m.path) }), "the client encoded the path once (as S3 does); for execute-api the canonical path is the request path encoded once more"},
		usualMistake{with(func(c *canonicalization) { c.uri = uriEncode(m.path, true) }), "the client did not normalize the path (as for S3): execute-api removes . and .. segments and collapses repeated slashes before it signs it"},
		usualMistake{with(func(c *canonicalization) { c.uri = m.path }), "the client signed the path as sent, neither normalized nor encoded again (as for S3); for execute-api the canonical path is the request path normalized and encoded once more"},
		usualMistake{with(func(c *canonicalization) { c.uri = uriEncode(sdkNormalizePath(m.path), true) }), "the client normalized the path as the AWS SDKs do, dropping the slash a final . or .. leaves; execute-api keeps it (RFC 3986): " +
			"send the normalized path (" + apigw.NormalizePath(m.path) + ") instead"},
		usualMistake{with(func(c *canonicalization) { c.query = m.query }), "the client signed the query string as written: SigV4 needs its parameters sorted by name and URI-encoded"},
		usualMistake{with(func(c *canonicalization) { c.query = strings.ReplaceAll(base.query, "%20", "+") }), "the client encoded spaces in the query as '+'; SigV4 needs %20"},
		usualMistake{with(func(c *canonicalization) { c.untrimmed = true }), "the client did not trim header values or collapse their inner spaces"},
		usualMistake{with(func(c *canonicalization) { c.host = stripPort(base.host) }), "the client signed the Host without its port"},
	)
}

// sdkNormalizePath is how botocore, aws-sdk-js-v3 and aws-c-auth normalize
// a path before signing: empty and "." segments dropped, ".." pops one, and
// a trailing slash only when the path ends in "/". It differs from
// apigw.NormalizePath (RFC 3986) only for a path ending in "/." or "/..".
func sdkNormalizePath(p string) string {
	var out []string
	for _, s := range strings.Split(p, "/") {
		switch s {
		case "", ".":
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		default:
			out = append(out, s)
		}
	}
	n := "/" + strings.Join(out, "/")
	if len(out) > 0 && strings.HasSuffix(p, "/") {
		n += "/"
	}
	return n
}

func stripPort(host string) string {
	if i := strings.LastIndexByte(host, ':'); i > 0 && !strings.Contains(host[i:], "]") {
		return host[:i]
	}
	return host
}
