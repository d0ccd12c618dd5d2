package sigv4

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
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

// splitHead splits a raw request at the blank line that ends its head,
// written with CRLF or LF, whichever comes first.
func splitHead(text []byte) (head, body []byte) {
	crlf, lf := bytes.Index(text, []byte("\r\n\r\n")), bytes.Index(text, []byte("\n\n"))
	switch {
	case crlf >= 0 && (lf < 0 || crlf < lf):
		return text[:crlf], text[crlf+4:]
	case lf >= 0:
		// "\r\n\n": a CRLF line, then a bare LF one.
		return bytes.TrimSuffix(text[:lf], []byte("\r")), text[lf+2:]
	}
	return text, nil
}

// ParseRawRequest reads a request: the request line, headers as "Name:value"
// or "Name: value" (a line starting with a blank continues the previous
// header), a blank line, and the body. A UTF-8 byte order mark before the
// request line is skipped. Lines of the head may end in CRLF or LF; the
// body is kept byte for byte (its CRLFs are what was signed).
func ParseRawRequest(text []byte) (*RawRequest, error) {
	// A UTF-8 byte order mark, which editors on Windows write, is not part
	// of the request line.
	text = bytes.TrimPrefix(text, []byte("\ufeff"))
	head, body := splitHead(text)
	head = bytes.ReplaceAll(head, []byte("\r\n"), []byte("\n"))
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
	var notLower []string
	for _, h := range auth.SignedHeaders {
		if h != strings.ToLower(h) {
			notLower = append(notLower, h)
		}
	}
	for _, h := range st.missingHeaders {
		if slices.Contains(notLower, h) {
			continue // named below: it is there, under its lower-case name
		}
		ex.Problems = append(ex.Problems, fmt.Sprintf("the header %s is listed as signed but the request does not carry it (it was dropped or renamed on the way, or the client listed it by mistake)", h))
	}
	signedList := strings.Join(auth.SignedHeaders, ";")
	switch {
	case len(notLower) > 0:
		lowered := make([]string, len(auth.SignedHeaders))
		for i, h := range auth.SignedHeaders {
			lowered[i] = strings.ToLower(h)
		}
		hostNote := ""
		if slices.ContainsFunc(notLower, func(h string) bool { return strings.EqualFold(h, "host") }) {
			hostNote = "; iamgate reads a name as written, so Host is not found signed"
		}
		ex.Problems = append(ex.Problems, fmt.Sprintf("SignedHeaders names %s in upper case: SigV4 lists header names in lower case, sorted (%s), and writes them so in the canonical headers%s",
			signedList, strings.Join(slices.Sorted(slices.Values(lowered)), ";"), hostNote))
	case !slices.Contains(auth.SignedHeaders, "host"):
		ex.Problems = append(ex.Problems, "Host is not among the signed headers; SigV4 requires it to be signed (API Gateway answers \"'Host' must be a 'SignedHeader' in the AWS Authorization.\")")
	case !slices.IsSorted(auth.SignedHeaders):
		ex.Problems = append(ex.Problems, fmt.Sprintf("SignedHeaders %s is not sorted: SigV4 lists the signed headers sorted by name (%s), in that order in the canonical headers too (iamgate verifies them in the order given; whether API Gateway does is unconfirmed)",
			signedList, strings.Join(slices.Sorted(slices.Values(auth.SignedHeaders)), ";")))
	}
	if auth.Raw != "" && (m.header.Get("X-Amz-Signature") != "" || strings.Contains(m.query, "X-Amz-Signature=") || strings.Contains(m.query, "X-Amz-Credential=")) {
		ex.Problems = append(ex.Problems, "the request carries both an Authorization header and a presigned query (X-Amz-Signature or X-Amz-Credential): iamgate verifies the header, with the query's X-Amz-* parameters as part of the signed query; send one or the other")
	}
	if strings.HasPrefix(auth.AccessKeyID, "ASIA") && auth.SessionToken == "" {
		ex.Problems = append(ex.Problems, fmt.Sprintf("the access key %s is a temporary one (ASIA...) but the request carries no X-Amz-Security-Token: send the session token that came with it (and sign it), or the credentials are refused (iamgate local answers 403 UnrecognizedClientException \"The security token included in the request is invalid.\")", auth.AccessKeyID))
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
	dateForm := false // X-Amz-Date in a form no signer writes, which explains a mismatch
	if terr != nil {
		ex.Problems = append(ex.Problems, fmt.Sprintf("the request's date %q is not in the form 20060102T150405Z", ex.AmzDate))
	} else if day := t.UTC().Format("20060102"); day != auth.Date {
		ex.Problems = append(ex.Problems, fmt.Sprintf("the request's date %s and the credential scope's date %s disagree: both must be the same UTC day", ex.AmzDate, auth.Date))
	} else if _, basic := parseBasic(auth.RequestDate); !basic {
		// X-Amz-Date in another form that parseDate reads (the Date
		// header's form): the string to sign has it as sent, which no
		// signer writes.
		dateForm = true
		ex.Problems = append(ex.Problems, fmt.Sprintf("X-Amz-Date %q is not in ISO 8601 basic format: write it as %s (UTC), the form the string to sign has", auth.RequestDate, t.UTC().Format(TimeFormat)))
	}
	if auth.Presigned && auth.Expires != "" {
		if n, err := strconv.Atoi(auth.Expires); err != nil || n < 1 || n > maxExpires {
			ex.Problems = append(ex.Problems, fmt.Sprintf("X-Amz-Expires is %q; it must be a number of seconds from 1 to %d", auth.Expires, maxExpires))
		}
	}
	// A payload hash header that disagrees with the body is told when no
	// usual mistake says more (the one that signs that hash does).
	bodyHash := hashHex(m.body)
	var hashNote string
	if h := m.header.Get("X-Amz-Content-Sha256"); h != "" && !strings.EqualFold(h, bodyHash) && isLowerHex64(strings.ToLower(h)) {
		hashNote = fmt.Sprintf("X-Amz-Content-Sha256 is %s, but the body's SHA-256 is %s: API Gateway signs the body it received, so the body changed after signing (or was replayed with another body), or the hash was computed over other bytes", h, bodyHash)
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
		if hashNote != "" {
			ex.Problems = append(ex.Problems, hashNote)
		}
		return ex, nil
	}

	// The signature's own form: SigV4 writes it in lower-case hex. One in
	// upper case is compared in lower case below, for a second mistake.
	provided := auth.Signature
	switch lower := strings.ToLower(provided); {
	case lower == st.signature:
		ex.Problems = append(ex.Problems, "the signature is right but "+upperCaseSignature)
		return ex, nil
	case lower != provided && isLowerHex64(lower):
		ex.Problems = append(ex.Problems, "the signature is "+upperCaseSignature)
		provided = lower
	case !isLowerHex64(provided):
		hint := ""
		switch {
		case len(provided) == 44 && strings.HasSuffix(provided, "="):
			hint = " (this one looks like Base64: encode the HMAC's 32 bytes in hex instead)"
		case len(provided) > 64 && isLowerHex64(provided[:64]):
			hint = " (it has more after its 64 digits: a stray character was added to the header)"
		}
		ex.Problems = append(ex.Problems, fmt.Sprintf("the Signature %q is not 64 lower-case hex digits: SigV4 writes the HMAC-SHA256 of the string to sign in lower-case hex%s", provided, hint))
		return ex, nil
	}

	// Try the usual mistakes, one at a time.
	for _, mk := range usualMistakes(m, base) {
		if mk.c == base {
			continue
		}
		if signatureMatches(compute(m, auth, mk.c, key).signature, provided) {
			ex.Problems = append(ex.Problems, mk.why)
			return ex, nil
		}
	}
	if hashNote != "" {
		ex.Problems = append(ex.Problems, hashNote)
	}
	// Only when the mismatch is API Gateway's answer: a request it refuses
	// before it compares signatures has its cause named above.
	if len(st.missingHeaders) == 0 && len(notLower) == 0 && !dateForm && ex.Refusal != nil && ex.Refusal.Message == errMismatch(st).Message {
		ex.Problems = append(ex.Problems, "no usual mistake explains the difference: check that the secret key is the one of access key "+
			auth.AccessKeyID+", and that no signed header or the body changed between signing and sending")
	}
	return ex, nil
}

// upperCaseSignature is the Problem of a signature written in upper-case
// hex (Java's %02X), after "the signature is".
const upperCaseSignature = "written in upper-case hex: SigV4 writes it in lower-case hex (Java: String.format(\"%02x\", b) for each byte, not %02X)"

// isLowerHex64 reports whether s is 64 lower-case hex digits, as a SigV4
// signature and a SHA-256 are written.
func isLowerHex64(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
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
	// A body changed on the way as bodies usually are: a final newline
	// added or lost, JSON written again with other spacing.
	if b := bytes.TrimRight(m.body, "\r\n"); len(b) < len(m.body) {
		mistakes = append(mistakes, usualMistake{with(func(c *canonicalization) { c.payload = hashHex(b) }),
			"the signature is right for the body without its final newline: the newline was added after signing (a body read from a file that ends in one, or a client that appends one): sign the bytes sent"})
	}
	if len(m.body) > 0 {
		mistakes = append(mistakes, usualMistake{with(func(c *canonicalization) { c.payload = hashHex(append(slices.Clip(m.body), '\n')) }),
			"the signature is right for the body with a final newline the request does not carry: the newline was dropped after signing: sign the bytes sent"})
	}
	var compact bytes.Buffer
	if json.Valid(m.body) && json.Compact(&compact, m.body) == nil && !bytes.Equal(compact.Bytes(), m.body) {
		mistakes = append(mistakes, usualMistake{with(func(c *canonicalization) { c.payload = hashHex(compact.Bytes()) }),
			"the signature is right for the same JSON written compactly: the body was serialized again (pretty-printed, or with other spacing) after it was signed: serialize the body once, and sign and send those bytes"})
	}
	if h := m.header.Get("X-Amz-Content-Sha256"); h != "" {
		mistakes = append(mistakes, usualMistake{with(func(c *canonicalization) { c.payload = h }),
			"the signature is right for the payload hash X-Amz-Content-Sha256 gives, " + h + ", but API Gateway signs the SHA-256 of the body it received, " + base.payload +
				": the body changed after signing, or the request was replayed with another body"})
	}
	encodedOnce := "the client encoded the path once (as S3 does); for execute-api the canonical path is the request path encoded once more"
	if strings.Contains(m.path, "%25") {
		encodedOnce += ", or the path was encoded once more after signing (it has %25): send it as it was signed, encoded once"
	}
	mistakes = append(mistakes,
		usualMistake{with(func(c *canonicalization) { c.uri = apigw.NormalizePath(m.path) }), encodedOnce},
		usualMistake{with(func(c *canonicalization) { c.uri = uriEncode(m.path, true) }), "the client did not normalize the path (as for S3): execute-api removes . and .. segments and collapses repeated slashes before it signs it"},
		usualMistake{with(func(c *canonicalization) { c.uri = m.path }), "the client signed the path as sent, neither normalized nor encoded again (as for S3); for execute-api the canonical path is the request path normalized and encoded once more"},
	)
	if p, err := url.PathUnescape(apigw.NormalizePath(m.path)); err == nil && p != apigw.NormalizePath(m.path) {
		mistakes = append(mistakes, usualMistake{with(func(c *canonicalization) { c.uri = p }),
			"the client signed the path decoded (" + p + "), without encoding it: the canonical path is the path sent, normalized, with each byte but A-Z a-z 0-9 - _ . ~ / encoded once more (" + base.uri + ")"})
	}
	mistakes = append(mistakes,
		usualMistake{with(func(c *canonicalization) { c.uri = uriEncode(sdkNormalizePath(m.path), true) }), "the client normalized the path as the AWS SDKs do, dropping the slash a final . or .. leaves; execute-api keeps it (RFC 3986): " +
			"send the normalized path (" + apigw.NormalizePath(m.path) + ") instead"},
		usualMistake{with(func(c *canonicalization) { c.query = m.query }), queryAsWritten(m.query, base.query)},
		usualMistake{with(func(c *canonicalization) { c.query = strings.ReplaceAll(base.query, "%20", "+") }), "the client encoded spaces in the query as '+'; SigV4 needs %20"},
		usualMistake{with(func(c *canonicalization) { c.untrimmed = true }), "the client did not trim header values or collapse their inner spaces"},
		usualMistake{with(func(c *canonicalization) { c.host = stripPort(base.host) }), "the client signed the Host without its port"},
	)
	if stripPort(base.host) == base.host {
		for _, port := range []string{":443", ":80"} {
			mistakes = append(mistakes, usualMistake{with(func(c *canonicalization) { c.host = base.host + port }),
				"the client signed the Host with the port " + port + ", which the Host sent does not carry (HTTP clients leave out a default port): sign the Host as sent, " + base.host})
		}
	}
	return mistakes
}

// queryAsWritten tells what differs between a query signed as written, raw,
// and the canonical query SigV4 signs, canonical.
func queryAsWritten(raw, canonical string) string {
	const generic = "the client signed the query string as written: SigV4 needs its parameters sorted by name and URI-encoded"
	var needs []string
	var pairs []string
	for _, p := range strings.Split(raw, "&") {
		if p != "" {
			pairs = append(pairs, canonicalQuery(p))
		}
	}
	unsorted := !slices.IsSorted(pairs)
	if unsorted {
		needs = append(needs, "its parameters sorted by name")
	}
	if strings.Contains(raw, "+") {
		needs = append(needs, "a space as %20, not '+'")
	}
	lowerHex, java := false, false
	var raws, unreserved []string
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c == '%' && i+2 < len(raw):
			x := raw[i+1 : i+3]
			if x != strings.ToUpper(x) {
				lowerHex = true
			}
			if v, err := url.PathUnescape("%" + x); err == nil && len(v) == 1 && isUnreserved(v[0]) {
				if e := fmt.Sprintf("'%s' as it is, not %%%s", v, x); !slices.Contains(unreserved, e) {
					unreserved = append(unreserved, e)
				}
				java = java || v == "~"
			}
			i += 2
		case isUnreserved(c) || c == '%' || c == '&' || c == '=' || c == '+':
		default:
			if !slices.Contains(raws, string(c)) {
				raws = append(raws, string(c))
			}
			java = java || c == '*'
		}
	}
	if len(raws) > 0 {
		var e []string
		for _, r := range raws {
			e = append(e, fmt.Sprintf("'%s' as %%%02X", r, r[0]))
		}
		needs = append(needs, strings.Join(e, ", "))
	}
	needs = append(needs, unreserved...)
	if java {
		needs[len(needs)-1] += " (Java's URLEncoder writes them so)"
	}
	if lowerHex {
		needs = append(needs, "upper-case hex digits in %XX (%C3, not %c3)")
	}
	if len(needs) == 0 || unsorted && len(needs) == 1 {
		return generic
	}
	return "the client signed the query string as written: SigV4 needs " + strings.Join(needs, ", ") + " (it signs " + canonical + ")"
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
