package sigv4

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/iamgate/iamgate/internal/apigw"
)

// message is a request as the verification reads it, whether a server
// received it (Verify) or it was written out as text (ExplainRequest).
type message struct {
	method string
	path   string // escaped, as sent
	query  string // raw, as sent
	host   string
	// header lacks Host (see host) and has Content-Length when the body is
	// not empty.
	header http.Header
	body   []byte
}

// httpMessage is r, whose body has been read into body, as a message.
func httpMessage(r *http.Request, body []byte) *message {
	return &message{method: r.Method, path: r.URL.EscapedPath(), query: r.URL.RawQuery, host: r.Host,
		header: headerWithLength(r.Header, body), body: body}
}

// message is r as a message.
func (r *RawRequest) message() *message {
	header := r.Header.Clone()
	header.Del("Host")
	return &message{method: r.Method, path: r.Path, query: r.RawQuery, host: r.Header.Get("Host"),
		header: headerWithLength(header, r.Body), body: r.Body}
}

// headerWithLength adds Content-Length, which Go's server keeps out of
// Header when it has read it into ContentLength (and a request written out
// by hand often leaves out).
func headerWithLength(h http.Header, body []byte) http.Header {
	if h.Get("Content-Length") != "" || len(body) == 0 {
		return h
	}
	h = h.Clone()
	h.Set("Content-Length", strconv.Itoa(len(body)))
	return h
}

// Authorization is what a request says was signed, from its Authorization
// header or its presigned query.
type Authorization struct {
	Algorithm     string
	AccessKeyID   string
	Date          string // yyyymmdd of the credential scope
	Region        string
	Service       string
	Terminator    string // aws4_request
	SignedHeaders []string
	Signature     string
	Presigned     bool
	// RequestDate is the request's date as the string to sign writes it:
	// X-Amz-Date as sent, or else the Date header in ISO 8601 basic format
	// (TimeFormat); a Date that cannot be read is kept as sent.
	RequestDate string
	// SessionToken is X-Amz-Security-Token, from the header or, presigned,
	// the query.
	SessionToken string
	// Raw is the Authorization header as sent (empty when presigned).
	Raw string
	// Expires is X-Amz-Expires of a presigned request as sent, in seconds
	// ("" when absent).
	Expires string
}

// Scope is the credential scope: date/region/service/aws4_request.
func (a *Authorization) Scope() string {
	var b strings.Builder
	a.writeScope(&b)
	return b.String()
}

// writeScope writes the credential scope to b (Scope).
func (a *Authorization) writeScope(b *strings.Builder) {
	b.Grow(len(a.Date) + len(a.Region) + len(a.Service) + len(a.Terminator) + 3)
	b.WriteString(a.Date)
	b.WriteByte('/')
	b.WriteString(a.Region)
	b.WriteByte('/')
	b.WriteString(a.Service)
	b.WriteByte('/')
	b.WriteString(a.Terminator)
}

// extract reads what m says was signed: from its Authorization header, or
// from the X-Amz-* parameters of its query when it is presigned. An
// unsigned request gets ErrMissingToken, a malformed signature the answer
// API Gateway gives for it.
func extract(m *message) (*Authorization, *Error) {
	if h := m.header.Get("Authorization"); h != "" {
		date := m.header.Get("X-Amz-Date")
		if date == "" {
			date = isoDate(m.header.Get("Date"))
		}
		a, err := parseAuthorization(h, date != "")
		if err != nil {
			return nil, err
		}
		a.RequestDate, a.SessionToken = date, m.header.Get("X-Amz-Security-Token")
		return a, nil
	}
	q := apigw.ParseQuery(m.query)
	if q.Get("X-Amz-Signature") != "" || q.Get("X-Amz-Credential") != "" {
		a, err := parsePresigned(q)
		if err != nil {
			return nil, err
		}
		a.RequestDate, a.SessionToken = q.Get("X-Amz-Date"), q.Get("X-Amz-Security-Token")
		return a, nil
	}
	return nil, ErrMissingToken()
}

// isoDate is a Date header's date in ISO 8601 basic format, which is how
// SigV4 signs it; a date that cannot be read stays as it is, for the
// verification to refuse.
func isoDate(date string) string {
	if t, err := parseDate(date); err == nil {
		return t.UTC().Format(TimeFormat)
	}
	return date
}

// parseAuthorization reads an Authorization header. hasDate tells whether
// the request carries X-Amz-Date or Date, which API Gateway requires with
// it. The error is the answer API Gateway gives for a malformed header.
//
// API Gateway splits the header into tokens on commas and on whitespace
// before it checks anything else: the first token is the algorithm, and the
// first of the others without "=" is refused as it is (the seed's own
// "Signature=hex encoded signature" gives "'encoded' not a valid key=value
// pair ..."; so does "Bearer token" with 'token', as public reports of
// API Gateway show).
func parseAuthorization(h string, hasDate bool) (*Authorization, *Error) {
	a := &Authorization{Raw: h}
	var buf [8]string // room for the usual four tokens, and more
	tokens := authorizationTokens(buf[:0], h)
	if len(tokens) > 0 {
		a.Algorithm, tokens = tokens[0], tokens[1:]
	}
	for _, tok := range tokens {
		if !strings.Contains(tok, "=") {
			return nil, errIncomplete(fmt.Sprintf("'%s' not a valid key=value pair (missing equal-sign) in Authorization header: '%s'.", tok, h))
		}
	}
	var hasCredential, hasSignature, hasSignedHeaders bool
	for _, tok := range tokens {
		k, v, _ := strings.Cut(tok, "=")
		switch k {
		case "Credential":
			hasCredential = true
			if err := a.parseCredential(v); err != nil {
				return nil, err
			}
		case "SignedHeaders":
			hasSignedHeaders = true
			a.SignedHeaders = strings.Split(v, ";")
		case "Signature":
			hasSignature = true
			a.Signature = v
		}
	}
	var missing []string
	// A part present but empty is not missing: "SignedHeaders=, Signature="
	// is answered "'Host' must be a 'SignedHeader' ..." (NetSPI/AWSSigner#3).
	for _, p := range [...]struct {
		seen bool
		name string
	}{{hasCredential, "Credential"}, {hasSignature, "Signature"}, {hasSignedHeaders, "SignedHeaders"}} {
		if !p.seen {
			missing = append(missing, "Authorization header requires '"+p.name+"' parameter.")
		}
	}
	if !hasDate {
		missing = append(missing, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
	}
	if len(missing) > 0 {
		return nil, errIncomplete(strings.Join(missing, " ") + " Authorization=" + h)
	}
	return a, nil
}

// authorizationTokens splits an Authorization header as API Gateway does:
// on commas and whitespace, empty tokens dropped. It appends the tokens to
// dst.
func authorizationTokens(dst []string, h string) []string {
	tokens := dst
	start := -1
	for i := 0; i < len(h); i++ {
		c := h[i]
		if c >= utf8.RuneSelf {
			// Not ASCII: unicode.IsSpace has more spaces than tokenSep.
			return strings.FieldsFunc(h, func(r rune) bool { return r == ',' || unicode.IsSpace(r) })
		}
		if tokenSep[c] {
			if start >= 0 {
				tokens = append(tokens, h[start:i])
				start = -1
			}
		} else if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		tokens = append(tokens, h[start:])
	}
	return tokens
}

// tokenSep is the ASCII bytes an Authorization header splits on: a comma,
// and what unicode.IsSpace counts as space.
var tokenSep = [utf8.RuneSelf]bool{',': true, ' ': true, '\t': true, '\n': true, '\v': true, '\f': true, '\r': true}

// parsePresigned reads the X-Amz-* query parameters of a presigned request.
func parsePresigned(q url.Values) (*Authorization, *Error) {
	a := &Authorization{Presigned: true, Algorithm: q.Get("X-Amz-Algorithm"), Signature: q.Get("X-Amz-Signature"), Expires: q.Get("X-Amz-Expires")}
	if err := a.parseCredential(q.Get("X-Amz-Credential")); err != nil {
		return nil, err
	}
	if sh := q.Get("X-Amz-SignedHeaders"); sh != "" {
		a.SignedHeaders = strings.Split(sh, ";")
	}
	var missing []string
	for _, k := range []string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-SignedHeaders", "X-Amz-Date"} {
		if q.Get(k) == "" {
			missing = append(missing, fmt.Sprintf("AWS query-string parameters must include '%s'.", k))
		}
	}
	if len(missing) > 0 {
		return nil, errIncomplete(strings.Join(missing, " ") + " Re-examine the query-string parameters.")
	}
	return a, nil
}

// parseCredential reads a credential, keyid/date/region/service/term, into
// a.
func (a *Authorization) parseCredential(cred string) *Error {
	// strings.Split(cred, "/") without its slice: the five parts, and
	// whether there are exactly five.
	var parts [5]string
	n, rest := 0, cred
	for ; n < len(parts)-1; n++ {
		before, after, found := strings.Cut(rest, "/")
		if !found {
			break
		}
		parts[n], rest = before, after
	}
	parts[n] = rest
	if n != len(parts)-1 || strings.Contains(rest, "/") {
		return errIncomplete(fmt.Sprintf("Credential should have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '%s'", cred))
	}
	a.AccessKeyID, a.Date, a.Region, a.Service, a.Terminator = parts[0], parts[1], parts[2], parts[3], parts[4]
	return nil
}
