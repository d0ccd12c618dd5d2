package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
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
// encoded once more, the query sorted and encoded, the payload hash from
// X-Amz-Content-Sha256 or else the body's, the Host as received.
func serverForm(m *message) canonicalization {
	return canonicalization{uri: canonicalURI(m.path), query: canonicalQuery(m.query), payload: payloadHash(m), host: m.host}
}

// payloadHash is the payload line of m's canonical request.
func payloadHash(m *message) string {
	if h := m.header.Get("X-Amz-Content-Sha256"); h != "" {
		return h
	}
	return hashHex(m.body)
}

// steps is the computation of one request's signature.
type steps struct {
	canonicalRequest, stringToSign string
	// signature is the one computed with the secret.
	signature string
	// missingHeaders are signed headers the request does not carry.
	missingHeaders []string
}

// compute works out the canonical request, string to sign and signature of
// m, written as c says, for what auth says was signed, with secret.
func compute(m *message, auth *Authorization, c canonicalization, secret string) steps {
	headers, missing := canonicalHeaders(auth.SignedHeaders, c.host, m.header, !c.untrimmed)
	creq := canonicalRequest(m.method, c.uri, c.query, headers, auth.SignedHeaders, c.payload)
	sts := stringToSign(auth.RequestDate, auth.Scope(), creq)
	return steps{
		canonicalRequest: creq,
		stringToSign:     sts,
		signature:        signature(signingKey(secret, auth.Date, auth.Region, auth.Service), sts),
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
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isUnreserved(c) || keepSlash && c == '/' {
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

// canonicalURI is the path part of the canonical request for every service
// but S3: the request's escaped path, escaped once more.
func canonicalURI(escapedPath string) string {
	if escapedPath == "" {
		return "/"
	}
	return uriEncode(escapedPath, true)
}

// canonicalQuery is the query part of the canonical request: each name and
// value URI-encoded, sorted by name then value, without X-Amz-Signature.
func canonicalQuery(rawQuery string) string {
	q, _ := url.ParseQuery(rawQuery)
	type kv struct{ k, v string }
	var params []kv
	for k, vs := range q {
		if k == "X-Amz-Signature" {
			continue
		}
		for _, v := range vs {
			params = append(params, kv{uriEncode(k, false), uriEncode(v, false)})
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

// canonicalHeaders writes the signed headers as the canonical request
// lists them: lower-case names, values trimmed with inner runs of spaces
// collapsed (trim false keeps them as sent, which is how a client that
// forgets to trim signs them), several values joined by ",". The host
// header's value is host. It returns the names the request lacks.
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

// canonicalRequest joins the parts of the canonical request.
func canonicalRequest(method, uri, query, canonicalHeaders string, signedHeaders []string, payloadHash string) string {
	return strings.Join([]string{method, uri, query, canonicalHeaders, strings.Join(signedHeaders, ";"), payloadHash}, "\n")
}

// stringToSign is what the signature signs; amzDate is the request's date
// in ISO 8601 basic format.
func stringToSign(amzDate, scope, canonicalRequest string) string {
	return algorithm + "\n" + amzDate + "\n" + scope + "\n" + hashHex([]byte(canonicalRequest))
}

// hashHex is the hex SHA-256 of b (the payload hash, for one).
func hashHex(b []byte) string {
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

// signature is the hex HMAC of the string to sign.
func signature(key []byte, stringToSign string) string {
	return hex.EncodeToString(hmacSHA256(key, stringToSign))
}
