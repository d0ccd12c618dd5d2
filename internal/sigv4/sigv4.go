// Package sigv4 verifies AWS Signature Version 4 requests the way Amazon
// API Gateway does for AWS_IAM methods, and signs them with aws-sdk-go-v2's
// signer. Each step of the signature (canonical request, string to sign,
// signing key, signature) is a function of its own, so that tests and a
// debugger can show it. Nothing here reads the clock or the environment:
// time, credentials and region are arguments.
package sigv4

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// Algorithm is the only signing algorithm API Gateway accepts here.
const Algorithm = "AWS4-HMAC-SHA256"

// TimeFormat is the format of X-Amz-Date.
const TimeFormat = "20060102T150405Z"

// MaxSkew is how far a request's date may be from the gateway's clock.
const MaxSkew = 5 * time.Minute

// Credentials are an access key and its secret, with a session token for
// temporary credentials.
type Credentials struct {
	AccessKeyID, SecretAccessKey, SessionToken string
}

// Authorization is the signature information of a request, from its
// Authorization header or its presigned query.
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
	// Raw is the Authorization header as sent (empty when presigned).
	Raw string
}

// Scope is the credential scope: date/region/service/aws4_request.
func (a *Authorization) Scope() string {
	return a.Date + "/" + a.Region + "/" + a.Service + "/" + a.Terminator
}

// Error is how API Gateway answers a request it refuses: a status, an
// x-amzn-ErrorType and a JSON body.
type Error struct {
	Status int
	Type   string
	// Message is the body's "message" ("Message" for AccessDenied).
	Message string
}

func (e *Error) Error() string { return e.Type + ": " + e.Message }

// Body is the JSON body API Gateway sends with the error.
func (e *Error) Body() []byte {
	key := "message"
	if e.Type == "AccessDeniedException" {
		key = "Message"
	}
	var b strings.Builder
	b.WriteString(`{"` + key + `":`)
	b.WriteString(jsonString(e.Message))
	b.WriteString("}")
	return []byte(b.String())
}

// Write answers w with the error.
func (e *Error) Write(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("x-amzn-ErrorType", e.Type)
	w.WriteHeader(e.Status)
	_, _ = w.Write(e.Body())
}

func jsonString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if r < 0x20 {
				fmt.Fprintf(&b, `\u%04x`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

// The errors of API Gateway's IAM authorization (see the project's API
// Gateway notes for their exact texts).

// ErrMissingToken is API Gateway's answer to an unsigned request, and to a
// request for a route that does not exist.
func ErrMissingToken() *Error {
	return &Error{403, "MissingAuthenticationTokenException", "Missing Authentication Token"}
}

func errIncomplete(msg string) *Error {
	return &Error{403, "IncompleteSignatureException", msg}
}

func errInvalid(msg string) *Error { return &Error{403, "InvalidSignatureException", msg} }

func errUnrecognized() *Error {
	return &Error{403, "UnrecognizedClientException", "The security token included in the request is invalid."}
}

// ParseAuthorization reads an Authorization header. hasDate tells whether
// the request carries X-Amz-Date or Date, which API Gateway requires with
// it. The error is the answer API Gateway gives for a malformed header.
func ParseAuthorization(h string, hasDate bool) (*Authorization, *Error) {
	a := &Authorization{Raw: h}
	rest := strings.TrimSpace(h)
	if alg, after, ok := strings.Cut(rest, " "); ok {
		a.Algorithm, rest = alg, after
	} else {
		a.Algorithm, rest = rest, ""
	}
	for _, tok := range strings.Split(rest, ",") {
		tok = strings.TrimSpace(tok)
		if tok == "" {
			continue
		}
		k, v, ok := strings.Cut(tok, "=")
		if !ok {
			return nil, errIncomplete(fmt.Sprintf("'%s' not a valid key=value pair (missing equal-sign) in Authorization header: '%s'.", tok, h))
		}
		switch k {
		case "Credential":
			parts := strings.Split(v, "/")
			if len(parts) != 5 {
				return nil, errIncomplete(fmt.Sprintf("Credential should have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '%s'", v))
			}
			a.AccessKeyID, a.Date, a.Region, a.Service, a.Terminator = parts[0], parts[1], parts[2], parts[3], parts[4]
		case "SignedHeaders":
			a.SignedHeaders = strings.Split(v, ";")
		case "Signature":
			a.Signature = v
		}
	}
	var missing []string
	if a.AccessKeyID == "" && a.Date == "" {
		missing = append(missing, "Authorization header requires 'Credential' parameter.")
	}
	if a.Signature == "" {
		missing = append(missing, "Authorization header requires 'Signature' parameter.")
	}
	if a.SignedHeaders == nil {
		missing = append(missing, "Authorization header requires 'SignedHeaders' parameter.")
	}
	if !hasDate {
		missing = append(missing, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
	}
	if len(missing) > 0 {
		return nil, errIncomplete(strings.Join(missing, " ") + " Authorization=" + h)
	}
	return a, nil
}

// parsePresigned reads the X-Amz-* query parameters of a presigned request.
func parsePresigned(q url.Values) (*Authorization, *Error) {
	a := &Authorization{Presigned: true, Algorithm: q.Get("X-Amz-Algorithm"), Signature: q.Get("X-Amz-Signature")}
	cred := q.Get("X-Amz-Credential")
	parts := strings.Split(cred, "/")
	if len(parts) != 5 {
		return nil, errIncomplete(fmt.Sprintf("Credential should have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '%s'", cred))
	}
	a.AccessKeyID, a.Date, a.Region, a.Service, a.Terminator = parts[0], parts[1], parts[2], parts[3], parts[4]
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

// CanonicalURI is the path part of the canonical request for every service
// but S3: the request's escaped path, escaped once more.
func CanonicalURI(escapedPath string) string {
	if escapedPath == "" {
		return "/"
	}
	var b strings.Builder
	for i := 0; i < len(escapedPath); i++ {
		c := escapedPath[i]
		if isUnreserved(c) || c == '/' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func isUnreserved(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~'
}

// CanonicalQuery is the query part of the canonical request: each name and
// value URI-encoded, sorted by name then value, without X-Amz-Signature.
func CanonicalQuery(rawQuery string) string {
	q, _ := url.ParseQuery(rawQuery)
	type kv struct{ k, v string }
	var params []kv
	for k, vs := range q {
		if k == "X-Amz-Signature" {
			continue
		}
		for _, v := range vs {
			params = append(params, kv{uriEncode(k), uriEncode(v)})
		}
	}
	sort.Slice(params, func(i, j int) bool {
		if params[i].k != params[j].k {
			return params[i].k < params[j].k
		}
		return params[i].v < params[j].v
	})
	parts := make([]string, len(params))
	for i, p := range params {
		parts[i] = p.k + "=" + p.v
	}
	return strings.Join(parts, "&")
}

func uriEncode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if isUnreserved(s[i]) {
			b.WriteByte(s[i])
		} else {
			fmt.Fprintf(&b, "%%%02X", s[i])
		}
	}
	return b.String()
}

// CanonicalHeaders writes the signed headers as the canonical request
// lists them: lower-case names, values trimmed with inner runs of spaces
// collapsed, several values joined by ",". It returns the names the request
// lacks.
func CanonicalHeaders(signed []string, host string, header http.Header) (canonical string, missing []string) {
	return canonicalHeaders(signed, host, header, true)
}

// canonicalHeaders is CanonicalHeaders; trim false keeps values as sent,
// which is how a client that forgets to trim signs them.
func canonicalHeaders(signed []string, host string, header http.Header, trim bool) (canonical string, missing []string) {
	var b strings.Builder
	for _, name := range signed {
		var values []string
		if name == "host" {
			if host != "" {
				values = []string{host}
			}
		} else {
			values = header.Values(name)
		}
		if values == nil {
			missing = append(missing, name)
		}
		b.WriteString(name)
		b.WriteByte(':')
		for i, v := range values {
			if i > 0 {
				b.WriteByte(',')
			}
			if trim {
				v = strings.Join(strings.Fields(v), " ")
			}
			b.WriteString(v)
		}
		b.WriteByte('\n')
	}
	return b.String(), missing
}

// CanonicalRequest joins the parts of the canonical request.
func CanonicalRequest(method, uri, query, canonicalHeaders string, signedHeaders []string, payloadHash string) string {
	return strings.Join([]string{method, uri, query, canonicalHeaders, strings.Join(signedHeaders, ";"), payloadHash}, "\n")
}

// StringToSign is what the signature signs.
func StringToSign(amzDate, scope, canonicalRequest string) string {
	return Algorithm + "\n" + amzDate + "\n" + scope + "\n" + HashHex([]byte(canonicalRequest))
}

// HashHex is the hex SHA-256 of b (the payload hash, for one).
func HashHex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

// SigningKey derives the key for a date (yyyymmdd), region and service.
func SigningKey(secret, date, region, service string) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), date)
	k = hmacSHA256(k, region)
	k = hmacSHA256(k, service)
	return hmacSHA256(k, "aws4_request")
}

// Signature is the hex HMAC of the string to sign.
func Signature(key []byte, stringToSign string) string {
	return hex.EncodeToString(hmacSHA256(key, stringToSign))
}

// Steps is the verification of one request, step by step.
type Steps struct {
	Auth             *Authorization
	AmzDate          string
	CanonicalRequest string
	StringToSign     string
	// Signature is the signature computed with the secret.
	Signature string
	// MissingHeaders are signed headers the request does not carry.
	MissingHeaders []string
}

// Compute works out the canonical request, string to sign and signature of
// a request with the given secret. body is the request body.
func Compute(r *http.Request, body []byte, auth *Authorization, amzDate, secret string) *Steps {
	st := &Steps{Auth: auth, AmzDate: amzDate}
	headers, missing := CanonicalHeaders(auth.SignedHeaders, r.Host, headerWithLength(r, body))
	st.MissingHeaders = missing
	payload := HashHex(body)
	if h := r.Header.Get("X-Amz-Content-Sha256"); h != "" {
		payload = h
	}
	st.CanonicalRequest = CanonicalRequest(r.Method, CanonicalURI(r.URL.EscapedPath()), CanonicalQuery(r.URL.RawQuery),
		headers, auth.SignedHeaders, payload)
	st.StringToSign = StringToSign(amzDate, auth.Scope(), st.CanonicalRequest)
	st.Signature = Signature(SigningKey(secret, auth.Date, auth.Region, auth.Service), st.StringToSign)
	return st
}

// headerWithLength adds Content-Length, which Go's server keeps out of
// Header when it has read it into ContentLength.
func headerWithLength(r *http.Request, body []byte) http.Header {
	if r.Header.Get("Content-Length") != "" || len(body) == 0 {
		return r.Header
	}
	h := r.Header.Clone()
	h.Set("Content-Length", strconv.Itoa(len(body)))
	return h
}

// Verifier checks requests as API Gateway checks an AWS_IAM method.
type Verifier struct {
	// Region and Service the credential scope must name.
	Region, Service string
	// Lookup returns the credentials of an access key id.
	Lookup func(accessKeyID string) (Credentials, bool)
}

// Verify checks the signature of r (whose body has been read into body) at
// time now. It returns the request's signature information, or the answer
// API Gateway would give.
func (v *Verifier) Verify(r *http.Request, body []byte, now time.Time) (*Authorization, *Error) {
	var auth *Authorization
	var perr *Error
	amzDate := r.Header.Get("X-Amz-Date")
	q := r.URL.Query()
	switch {
	case r.Header.Get("Authorization") != "":
		if amzDate == "" {
			// SigV4 signs the Date header's date in ISO 8601 basic format.
			amzDate = r.Header.Get("Date")
			if t, err := parseDate(amzDate); err == nil {
				amzDate = t.UTC().Format(TimeFormat)
			}
		}
		auth, perr = ParseAuthorization(r.Header.Get("Authorization"), amzDate != "")
	case q.Get("X-Amz-Signature") != "" || q.Get("X-Amz-Credential") != "":
		amzDate = q.Get("X-Amz-Date")
		auth, perr = parsePresigned(q)
	default:
		return nil, ErrMissingToken()
	}
	if perr != nil {
		return nil, perr
	}
	if auth.Algorithm != Algorithm {
		return nil, errIncomplete(fmt.Sprintf("Unsupported AWS 'algorithm': '%s'", auth.Algorithm))
	}
	if auth.Service != v.Service {
		return nil, errInvalid(fmt.Sprintf("Credential should be scoped to correct service: '%s'. ", v.Service))
	}
	if auth.Region != v.Region {
		return nil, errInvalid(fmt.Sprintf("Credential should be scoped to a valid region, not '%s'. ", auth.Region))
	}
	t, err := parseDate(amzDate)
	if err != nil {
		return nil, errIncomplete(fmt.Sprintf("Date must be in ISO-8601 'basic format'. Got '%s'. See http://en.wikipedia.org/wiki/ISO_8601", amzDate))
	}
	now = now.UTC()
	if t.Before(now.Add(-MaxSkew)) {
		return nil, errInvalid(fmt.Sprintf("Signature expired: %s is now earlier than %s (%s - 5 min.)",
			t.Format(TimeFormat), now.Add(-MaxSkew).Format(TimeFormat), now.Format(TimeFormat)))
	}
	if t.After(now.Add(MaxSkew)) {
		return nil, errInvalid(fmt.Sprintf("Signature not yet current: %s is still later than %s (%s + 5 min.)",
			t.Format(TimeFormat), now.Add(MaxSkew).Format(TimeFormat), now.Format(TimeFormat)))
	}
	creds, ok := v.Lookup(auth.AccessKeyID)
	if !ok {
		return nil, errUnrecognized()
	}
	token := r.Header.Get("X-Amz-Security-Token")
	if auth.Presigned {
		token = q.Get("X-Amz-Security-Token")
	}
	if token != creds.SessionToken {
		return nil, errUnrecognized()
	}
	st := Compute(r, body, auth, amzDate, creds.SecretAccessKey)
	if !hmac.Equal([]byte(st.Signature), []byte(auth.Signature)) {
		return nil, errInvalid("The request signature we calculated does not match the signature you provided. " +
			"Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\n" +
			"The Canonical String for this request should have been\n'" + st.CanonicalRequest + "'\n\n" +
			"The String-to-Sign should have been\n'" + st.StringToSign + "'\n")
	}
	return auth, nil
}

func parseDate(s string) (time.Time, error) {
	if t, err := time.Parse(TimeFormat, s); err == nil {
		return t, nil
	}
	return time.Parse(http.TimeFormat, s)
}

// Sign signs r (whose body is body) for service in region at time now with
// aws-sdk-go-v2's SigV4 signer, adding X-Amz-Date, X-Amz-Security-Token (for
// temporary credentials) and Authorization.
func Sign(ctx context.Context, r *http.Request, body []byte, creds aws.Credentials, service, region string, now time.Time) error {
	return v4.NewSigner().SignHTTP(ctx, creds, r, HashHex(body), service, region, now)
}
