package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"sort"
	"strings"

	"github.com/iamgate/iamgate/internal/apigw"
)

// The signature of a request, step by step, as aws-sdk-go-v2's signer
// builds it: canonical headers -> canonical request -> string to sign ->
// signature. compute runs the chain; each step is a function of its own.

// canonicalization is one way of writing a request's canonical request:
// API Gateway's (serverForm), or one of the usual mistakes of a client,
// which ExplainRequest tries.
type canonicalization struct {
	uri, query, payload string
	untrimmed           bool // header values as sent, not trimmed
	host                string
}

// serverForm is how API Gateway writes the canonical request of m: the path
// normalized and encoded once more, the query sorted and encoded, the
// payload hash of the body received, the Host as received.
func serverForm(m *message) canonicalization {
	return canonicalization{uri: canonicalURI(m.path), query: canonicalQuery(m.query), payload: hashHex(m.body), host: m.host}
}

// The payload line is always the SHA-256 of the body API Gateway received,
// whatever a (signed) X-Amz-Content-Sha256 header says: execute-api is not
// S3, and reads that header as just another header. A request replayed with
// another body, or signed with UNSIGNED-PAYLOAD, is then a signature
// mismatch, answered as one (InvalidSignatureException, "The request
// signature we calculated does not match ...", the canonical string showing
// the body's hash): API Gateway has no answer of its own, like S3's
// XAmzContentSHA256Mismatch, for a header that disagrees with the body (none
// is recorded in public threads; aws-sdk-java-v2 #5581 reports that API
// Gateway refuses requests its new signer signs with UNSIGNED-PAYLOAD). A
// header that disagrees with the body while the signature covers the body's
// real hash is accepted, as it is by a server that does not read the
// header; ExplainRequest reports it.

// steps is the computation of one request's signature.
type steps struct {
	canonicalRequest, stringToSign string
	// signature is the one computed with the secret.
	signature string
	// missingHeaders are signed headers the request does not carry.
	missingHeaders []string
}

// compute works out the canonical request, string to sign and signature of
// m, written as c says, for what auth says was signed, with key, the
// signing key of the secret for auth's scope (signingKey).
func compute(m *message, auth *Authorization, c canonicalization, key *macKey) steps {
	headers, missing := canonicalHeaders(auth.SignedHeaders, c.host, m.header, !c.untrimmed)
	creq := canonicalRequest(m.method, c.uri, c.query, headers, auth.SignedHeaders, c.payload)
	sts := stringToSign(auth.RequestDate, auth, creq)
	return steps{
		canonicalRequest: creq,
		stringToSign:     sts,
		signature:        key.hex(sts),
		missingHeaders:   missing,
	}
}

// signatureMatches compares a computed signature with the one provided, in
// constant time.
func signatureMatches(computed, provided string) bool {
	return hmac.Equal([]byte(computed), []byte(provided))
}

// uriEncode percent-encodes every byte of s but the unreserved characters
// of RFC 3986 (and "/" when keepSlash), with upper-case hex digits.
func uriEncode(s string, keepSlash bool) string {
	i := 0
	for i < len(s) && (isUnreserved(s[i]) || keepSlash && s[i] == '/') {
		i++
	}
	if i == len(s) {
		return s // nothing to encode, the usual case
	}
	const hexDigits = "0123456789ABCDEF"
	b := make([]byte, i, len(s)+16)
	copy(b, s[:i])
	for ; i < len(s); i++ {
		c := s[i]
		if isUnreserved(c) || keepSlash && c == '/' {
			b = append(b, c)
		} else {
			b = append(b, '%', hexDigits[c>>4], hexDigits[c&15])
		}
	}
	return string(b)
}

func isUnreserved(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~'
}

// canonicalURI is the path part of the canonical request for every service
// but S3, as execute-api computes it: the request's escaped path normalized
// (apigw.NormalizePath), then escaped once more (each "%XX" of the wire path
// becomes "%25XX").
func canonicalURI(escapedPath string) string {
	return uriEncode(apigw.NormalizePath(escapedPath), true)
}

// canonicalQuery is the query part of the canonical request: each name and
// value URI-encoded, sorted by name then value, without X-Amz-Signature.
func canonicalQuery(rawQuery string) string {
	if rawQuery == "" {
		return ""
	}
	q := apigw.ParseQuery(rawQuery)
	type kv struct{ k, v string }
	params := make([]kv, 0, len(q))
	n := 0
	for k, vs := range q {
		if k == "X-Amz-Signature" {
			continue
		}
		for _, v := range vs {
			p := kv{uriEncode(k, false), uriEncode(v, false)}
			params = append(params, p)
			n += len(p.k) + len(p.v) + 2
		}
	}
	sort.Slice(params, func(i, j int) bool {
		if params[i].k != params[j].k {
			return params[i].k < params[j].k
		}
		return params[i].v < params[j].v
	})
	var b strings.Builder
	b.Grow(n)
	for i, p := range params {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.k)
		b.WriteByte('=')
		b.WriteString(p.v)
	}
	return b.String()
}

// canonicalHeaders writes the signed headers as the canonical request
// lists them: lower-case names, values trimmed with inner runs of spaces
// collapsed (trim false keeps them as sent, which is how a client that
// forgets to trim signs them), several values joined by ",". The host
// header's value is host. It returns the names the request lacks.
func canonicalHeaders(signed []string, host string, header http.Header, trim bool) (canonical string, missing []string) {
	var b strings.Builder
	b.Grow(256)
	for _, name := range signed {
		var values []string
		if name == "host" {
			if host != "" {
				values = []string{host}
			}
		} else {
			values = headerValues(header, name)
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
			if trim && !isTrimmed(v) {
				v = strings.Join(strings.Fields(v), " ")
			}
			b.WriteString(v)
		}
		b.WriteByte('\n')
	}
	return b.String(), missing
}

// headerValues is header.Values(name), without allocating the canonical
// form of the name for the usual signed header name: lower-case letters,
// digits and dashes, whose canonical form (textproto.CanonicalMIMEHeaderKey)
// is each letter after a dash, and the first, in upper case.
func headerValues(header http.Header, name string) []string {
	var buf [64]byte
	if len(name) == 0 || len(name) > len(buf) {
		return header.Values(name)
	}
	k := buf[:len(name)]
	upper := true
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case 'a' <= c && c <= 'z':
			if upper {
				c -= 'a' - 'A'
			}
		case '0' <= c && c <= '9', c == '-':
		default:
			return header.Values(name)
		}
		k[i] = c
		upper = c == '-'
	}
	return header[string(k)] // the conversion in a map index does not allocate
}

// isTrimmed reports whether a header value is as canonicalHeaders trims it:
// printable ASCII, no space at either end, no two spaces in a row.
func isTrimmed(v string) bool {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == ' ' {
			if i == 0 || i == len(v)-1 || v[i+1] == ' ' {
				return false
			}
			continue
		}
		if c < 0x21 || c > 0x7e {
			return false
		}
	}
	return true
}

// canonicalRequest joins the parts of the canonical request.
func canonicalRequest(method, uri, query, canonicalHeaders string, signedHeaders []string, payloadHash string) string {
	var b strings.Builder
	b.Grow(len(method) + len(uri) + len(query) + len(canonicalHeaders) + 16*len(signedHeaders) + len(payloadHash) + 5)
	for _, s := range []string{method, uri, query, canonicalHeaders} {
		b.WriteString(s)
		b.WriteByte('\n')
	}
	for i, h := range signedHeaders {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(h)
	}
	b.WriteByte('\n')
	b.WriteString(payloadHash)
	return b.String()
}

// stringToSign is what the signature signs; amzDate is the request's date
// in ISO 8601 basic format, and the credential scope auth's.
func stringToSign(amzDate string, auth *Authorization, canonicalRequest string) string {
	h := sha256.Sum256([]byte(canonicalRequest))
	var b strings.Builder
	b.Grow(len(algorithm) + len(amzDate) + len(auth.Date) + len(auth.Region) + len(auth.Service) + len(auth.Terminator) + 6 + 2*len(h))
	b.WriteString(algorithm)
	b.WriteByte('\n')
	b.WriteString(amzDate)
	b.WriteByte('\n')
	auth.writeScope(&b)
	b.WriteByte('\n')
	var x [2 * sha256.Size]byte
	hex.Encode(x[:], h[:])
	b.Write(x[:])
	return b.String()
}

// emptyHash is the hex SHA-256 of no bytes: the payload hash of a request
// without a body.
const emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// hashHex is the hex SHA-256 of b (the payload hash, for one).
func hashHex(b []byte) string {
	if len(b) == 0 {
		return emptyHash
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

// signingKey derives the key for a date (yyyymmdd), region and service.
func signingKey(secret, date, region, service string) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), date)
	k = hmacSHA256(k, region)
	k = hmacSHA256(k, service)
	return hmacSHA256(k, "aws4_request")
}
