// Package sigv4 verifies AWS Signature Version 4 requests the way Amazon
// API Gateway does for AWS_IAM methods, and signs them with aws-sdk-go-v2's
// signer. Nothing here reads the clock or the environment: time,
// credentials and region are arguments.
//
// There is one verification path. extract (extract.go) reads what a request
// says was signed; compute (canonical.go) works out its canonical request,
// string to sign and signature, each step a function of its own, so that
// tests and a debugger can show it; a Verifier derives each signing key
// once per secret and scope (keys.go). Verifier.Verify runs the path once;
// ExplainRequest runs the same path, then again under the usual mistakes of
// a client to name the one that explains a mismatch.
package sigv4

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/iamgate/iamgate/internal/apigw"
)

// algorithm is the only signing algorithm API Gateway accepts here.
const algorithm = "AWS4-HMAC-SHA256"

// terminator ends every SigV4 credential scope.
const terminator = "aws4_request"

// TimeFormat is the format of X-Amz-Date.
const TimeFormat = "20060102T150405Z"

// maxSkew is how far a request's date may be from the gateway's clock.
const maxSkew = 5 * time.Minute

// Credentials are an access key and its secret, with a session token for
// temporary credentials.
type Credentials struct {
	AccessKeyID, SecretAccessKey, SessionToken string
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
func (e *Error) Body() []byte { return apigw.ErrorBody(e.Type, e.Message) }

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

// errMismatch is the answer to a signature that does not match, with the
// canonical request and string to sign the gateway computed.
func errMismatch(st steps) *Error {
	return errInvalid("The request signature we calculated does not match the signature you provided. " +
		"Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\n" +
		"The Canonical String for this request should have been\n'" + st.canonicalRequest + "'\n\n" +
		"The String-to-Sign should have been\n'" + st.stringToSign + "'\n")
}

// Verifier checks requests as API Gateway checks an AWS_IAM method.
type Verifier struct {
	// Region and Service the credential scope must name.
	Region, Service string
	// Lookup returns the credentials of an access key id.
	Lookup func(accessKeyID string) (Credentials, bool)

	keys signingKeys // derived once per secret and scope
}

// Verify checks the signature of r (whose body has been read into body) at
// time now. It returns what the request says was signed, or the answer API
// Gateway would give.
func (v *Verifier) Verify(r *http.Request, body []byte, now time.Time) (*Authorization, *Error) {
	m := httpMessage(r, body)
	auth, err := extract(m)
	if err != nil {
		return nil, err
	}
	if err := checkScope(auth, v.Region, v.Service); err != nil {
		return nil, err
	}
	if err := checkTime(auth, now); err != nil {
		return nil, err
	}
	creds, ok := v.Lookup(auth.AccessKeyID)
	if !ok || auth.SessionToken != creds.SessionToken {
		return nil, errUnrecognized()
	}
	st := compute(m, auth, serverForm(m), v.keys.get(creds.SecretAccessKey, auth.Date, auth.Region, auth.Service))
	if !signatureMatches(st.signature, auth.Signature) {
		return nil, errMismatch(st)
	}
	return auth, nil
}

// maxExpires is the longest X-Amz-Expires SigV4 allows: a week, the life of
// a signing key.
const maxExpires = 604800

// checkScope checks what can be checked before the signature and whatever
// the time: the algorithm, the credential scope (service, region,
// terminator, and its date against the request's), that Host is signed,
// and a presigned request's X-Amz-Expires.
//
// The texts of API Gateway's answers not in the notes' table come from
// public reports of AWS's SigV4 services where there are some: "'Host' must
// be a 'SignedHeader' in the AWS Authorization." (answered by API
// Gateway-fronted APIs and Amazon Location; its x-amzn-ErrorType is
// unconfirmed). The others are *unconfirmed* for API Gateway: the scope date
// and terminator texts are those of AWS's other SigV4 (Coral) services, the
// X-Amz-Expires ones S3's.
func checkScope(auth *Authorization, region, service string) *Error {
	if auth.Algorithm != algorithm {
		return errIncomplete(fmt.Sprintf("Unsupported AWS 'algorithm': '%s'", auth.Algorithm))
	}
	if auth.Service != service {
		return errInvalid(fmt.Sprintf("Credential should be scoped to correct service: '%s'. ", service))
	}
	if auth.Region != region {
		return errInvalid(fmt.Sprintf("Credential should be scoped to a valid region, not '%s'. ", auth.Region))
	}
	if auth.Terminator != terminator {
		// Unconfirmed text.
		return errInvalid(fmt.Sprintf("Credential should be scoped with a valid terminator: '%s', not '%s'.", terminator, auth.Terminator))
	}
	t, err := parseDate(auth.RequestDate)
	if err != nil {
		return errIncomplete(fmt.Sprintf("Date must be in ISO-8601 'basic format'. Got '%s'. See http://en.wikipedia.org/wiki/ISO_8601", auth.RequestDate))
	}
	var buf [len("20060102")]byte
	if day := t.UTC().AppendFormat(buf[:0], "20060102"); auth.Date != string(day) {
		// Unconfirmed text.
		return errInvalid(fmt.Sprintf("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '%s' != '%s', from '%s'.",
			auth.Date, string(day), auth.RequestDate))
	}
	if !slices.Contains(auth.SignedHeaders, "host") {
		return errIncomplete("'Host' must be a 'SignedHeader' in the AWS Authorization.")
	}
	if auth.Presigned && auth.Expires != "" {
		// Unconfirmed texts (S3's).
		n, err := strconv.Atoi(auth.Expires)
		switch {
		case err != nil:
			return errIncomplete(fmt.Sprintf("X-Amz-Expires should be a number, not '%s'.", auth.Expires))
		case n < 1:
			return errIncomplete("X-Amz-Expires must be non-negative and at least 1 second.")
		case n > maxExpires:
			return errIncomplete(fmt.Sprintf("X-Amz-Expires must be less than a week (in seconds) that is %d.", maxExpires))
		}
	}
	return nil
}

// checkTime checks the request's date against now: API Gateway refuses a
// request dated more than 5 minutes from its clock, either way, and a
// presigned request once X-Amz-Date + X-Amz-Expires has passed.
//
// The 5 minutes hold for a presigned request too, whatever its
// X-Amz-Expires: an API Gateway presigned URL was answered "Signature
// expired: ... (... - 5 min.)" after 5 minutes with a longer X-Amz-Expires
// (a public question of 2021, "How to increase expiration time in AWS
// signature v4 pre-signed links for API Gateway from default 5 min?"), so
// the shorter of the two limits applies. The answer to a presigned request
// past its X-Amz-Expires is *unconfirmed* for API Gateway: it is S3's text,
// "Request has expired", with API Gateway's error type for an expired
// signature.
func checkTime(auth *Authorization, now time.Time) *Error {
	t, err := parseDate(auth.RequestDate)
	if err != nil {
		return errIncomplete(fmt.Sprintf("Date must be in ISO-8601 'basic format'. Got '%s'. See http://en.wikipedia.org/wiki/ISO_8601", auth.RequestDate))
	}
	now = now.UTC()
	if t.After(now.Add(maxSkew)) {
		return errInvalid(fmt.Sprintf("Signature not yet current: %s is still later than %s (%s + 5 min.)",
			t.Format(TimeFormat), now.Add(maxSkew).Format(TimeFormat), now.Format(TimeFormat)))
	}
	if auth.Presigned && auth.Expires != "" {
		if n, err := strconv.Atoi(auth.Expires); err == nil && now.After(t.Add(time.Duration(n)*time.Second)) {
			return errExpired()
		}
	}
	if t.Before(now.Add(-maxSkew)) {
		return errInvalid(fmt.Sprintf("Signature expired: %s is now earlier than %s (%s - 5 min.)",
			t.Format(TimeFormat), now.Add(-maxSkew).Format(TimeFormat), now.Format(TimeFormat)))
	}
	return nil
}

// errExpired is the answer to a presigned request past its X-Amz-Expires
// (unconfirmed; see checkTime).
func errExpired() *Error { return errInvalid("Request has expired") }

func parseDate(s string) (time.Time, error) {
	if t, ok := parseBasic(s); ok {
		return t, nil
	}
	if t, err := time.Parse(TimeFormat, s); err == nil {
		return t, nil
	}
	return time.Parse(http.TimeFormat, s)
}

// parseBasic reads s in TimeFormat, as time.Parse(TimeFormat, s) does when
// s is a valid date in it; it returns false for anything else, which
// time.Parse then reads or refuses. It is what a signed request's
// X-Amz-Date goes through, twice a request, without time.Parse's layout
// scanning.
func parseBasic(s string) (time.Time, bool) {
	if len(s) != len(TimeFormat) || s[8] != 'T' || s[15] != 'Z' {
		return time.Time{}, false
	}
	num := func(i, j int) int {
		n := 0
		for ; i < j; i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return -1
			}
			n = n*10 + int(c-'0')
		}
		return n
	}
	year, month, day := num(0, 4), num(4, 6), num(6, 8)
	hour, minute, sec := num(9, 11), num(11, 13), num(13, 15)
	if year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || sec < 0 || sec > 59 {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, 0, time.UTC)
	if t.Day() != day { // past the end of its month: time.Date moved it on
		return time.Time{}, false
	}
	return t, true
}

// Sign signs r (whose body is body) for service in region at time now with
// aws-sdk-go-v2's SigV4 signer, adding X-Amz-Date, X-Amz-Security-Token (for
// temporary credentials) and Authorization.
//
// aws-sdk-go-v2's signer does not normalize the path (dot segments,
// repeated slashes) as execute-api does before it verifies, so a path that
// normalization changes is signed in its normalized form; r is sent as it
// is. Nor does it read a query as execute-api does: it drops a pair with a
// ";" or an invalid %XX (url.ParseQuery), which the server signs. Such a
// query is written again in r, each pair encoded (apigw.ParseQuery), so
// that what is signed is what is sent.
func Sign(ctx context.Context, r *http.Request, body []byte, creds aws.Credentials, service, region string, now time.Time) error {
	if _, err := url.ParseQuery(r.URL.RawQuery); err != nil {
		r.URL.RawQuery = apigw.ParseQuery(r.URL.RawQuery).Encode()
	}
	target := r
	if p := r.URL.EscapedPath(); apigw.NormalizePath(p) != p {
		u := *r.URL
		u.RawPath = apigw.NormalizePath(p)
		var err error
		if u.Path, err = url.PathUnescape(u.RawPath); err != nil {
			return err
		}
		target = r.Clone(ctx)
		target.URL = &u
	}
	if err := v4.NewSigner().SignHTTP(ctx, creds, target, hashHex(body), service, region, now); err != nil {
		return err
	}
	if target != r {
		r.Header = target.Header
	}
	return nil
}
