package sigv4

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/iamgate/iamgate/internal/apigw"
)

// What execute-api checks (the project's API Gateway notes, "SigV4 as API
// Gateway (execute-api, a non-S3 service) checks it"), each case through
// both Verify (iamgate local) and ExplainRequest (iamgate sig explain):
// Verify's answer, the refusal Explain reports (the same one), and the
// cause Explain names. Recordings behind the answers:
//   - the tokenization: API Gateway's answers to "Bearer <token>" in public
//     threads (apickli/apickli#112, cowinapi/developer.cowin#129: "'token'
//     not a valid key=value pair (missing equal-sign) in Authorization
//     header: 'Bearer token'.");
//   - Host unsigned: "'Host' must be a 'SignedHeader' in the AWS
//     Authorization." (NetSPI/AWSSigner#3, babbel/okhttp-aws-signer#10);
//   - UNSIGNED-PAYLOAD refused by API Gateway (aws-sdk-java-v2#5581);
//   - presigned requests still expire after 5 minutes whatever a longer
//     X-Amz-Expires says (the 2021 question "How to increase expiration
//     time in AWS signature v4 pre-signed links for API Gateway from
//     default 5 min?", answered "Signature expired: ... - 5 min.").
// The texts for the scope's date and terminator, X-Amz-Expires out of
// range and a presigned request past it are unconfirmed (see checkScope
// and checkTime).

// verifyText runs Verify on a request written as text, as a server receives
// it, knowing AKIDEXAMPLE's secret.
func verifyText(t *testing.T, text, secret string, at time.Time) (*Authorization, *Error) {
	t.Helper()
	raw, err := ParseRawRequest([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest(raw.Method, raw.Target, bytes.NewReader(raw.Body))
	r.Host = raw.Header.Get("Host")
	for k, vs := range raw.Header {
		if k != "Host" {
			r.Header[k] = vs
		}
	}
	body, _ := io.ReadAll(r.Body)
	v := &Verifier{Region: "us-east-1", Service: "execute-api", Lookup: func(id string) (Credentials, bool) {
		return Credentials{AccessKeyID: id, SecretAccessKey: secret}, id == "AKIDEXAMPLE"
	}}
	return v.Verify(r, body, at)
}

// presignedText presigns a request with aws-sdk-go-v2's signer (X-Amz-Expires
// as given, none when ""), written as text.
func presignedText(t *testing.T, target, expires string, at time.Time) string {
	t.Helper()
	u, _ := url.Parse("https://abc123.execute-api.us-east-1.amazonaws.com" + target)
	if expires != "" {
		q := u.Query()
		q.Set("X-Amz-Expires", expires)
		u.RawQuery = q.Encode()
	}
	r, _ := http.NewRequest("GET", u.String(), nil)
	signedURL, _, err := v4.NewSigner().PresignHTTP(context.Background(), aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret"},
		r, hashHex(nil), "execute-api", "us-east-1", at)
	if err != nil {
		t.Fatal(err)
	}
	su, _ := url.Parse(signedURL)
	return "GET " + su.RequestURI() + " HTTP/1.1\nHost: " + su.Host + "\n\n"
}

func TestExecuteAPIChecks(t *testing.T) {
	at := time.Date(2026, 11, 26, 14, 34, 15, 0, time.UTC)
	base := map[string]string{"Host": "abc123.execute-api.us-east-1.amazonaws.com", "X-Amz-Date": "20261126T143415Z"}
	with := func(extra map[string]string) map[string]string { return merged(base, extra) }
	const body, other = `{"a":1}`, `{"a":2}`
	replayed := strings.Replace(signedText("POST", "/prod/orders", "", with(map[string]string{"X-Amz-Content-Sha256": hashHex([]byte(body))}), body,
		mistake{payload: hashHex([]byte(body))}), body, other, 1)
	tests := []struct {
		name     string
		text     string
		at       time.Time
		wantType string // "" when accepted
		wantMsg  string // prefix of the answer's message
		cause    string // prefix of a problem Explain names
	}{
		// 1. The canonical URI is the path normalized, then encoded again.
		{"dot segments and slashes normalized", signedText("GET", "/prod//a/./b/../c%20d", "", base, "", mistake{uri: "/prod/a/c%2520d"}), at, "", "", ""},
		{"normalized path keeps a final dot segment's slash", signedText("GET", "/prod/a/b/..", "", base, "", mistake{uri: "/prod/a/"}), at, "", "", ""},
		{"unnormalized signature refused", signedText("GET", "/prod//a/./b", "", base, "", mistake{uri: "/prod//a/./b"}), at,
			"InvalidSignatureException", "The request signature we calculated does not match", "the client did not normalize the path (as for S3)"},
		// 2. The payload line is the SHA-256 of the body received.
		{"replayed with another body", replayed, at,
			"InvalidSignatureException", "The request signature we calculated does not match", "the signature is right for the payload hash X-Amz-Content-Sha256 gives"},
		{"UNSIGNED-PAYLOAD", signedText("POST", "/prod/orders", "", with(map[string]string{"X-Amz-Content-Sha256": "UNSIGNED-PAYLOAD"}), body, mistake{payload: "UNSIGNED-PAYLOAD"}), at,
			"InvalidSignatureException", "The request signature we calculated does not match", "the client signed with UNSIGNED-PAYLOAD"},
		{"content hash of the body", signedText("POST", "/prod/orders", "", with(map[string]string{"X-Amz-Content-Sha256": hashHex([]byte(body))}), body, mistake{}), at, "", "", ""},
		// 3. Host signed, the scope's date and terminator, X-Amz-Expires.
		{"Host not signed", signedText("GET", "/prod/orders", "", base, "", mistake{signed: []string{"x-amz-date"}}), at,
			"IncompleteSignatureException", "'Host' must be a 'SignedHeader' in the AWS Authorization.", "Host is not among the signed headers"},
		{"signed headers and signature empty", "GET /prod/orders HTTP/1.1\nHost: abc123.execute-api.us-east-1.amazonaws.com\nX-Amz-Date: 20261126T143415Z\n" +
			"Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/us-east-1/execute-api/aws4_request, SignedHeaders=, Signature=\n\n", at,
			"IncompleteSignatureException", "'Host' must be a 'SignedHeader' in the AWS Authorization.", "Host is not among the signed headers"},
		{"scope date not the request's", signedText("GET", "/prod/orders", "", with(map[string]string{"X-Scope-Date": "20261125"}), "", mistake{}), at,
			"InvalidSignatureException", "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20261125' != '20261126', from '20261126T143415Z'.",
			"the request's date 20261126T143415Z and the credential scope's date 20261125 disagree"},
		{"terminator", signedText("GET", "/prod/orders", "", with(map[string]string{"X-Scope-Term": "aws5_request"}), "", mistake{}), at,
			"InvalidSignatureException", "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'.", `the credential scope ends in "aws5_request"`},
		{"presigned within X-Amz-Expires", presignedText(t, "/prod/orders?a=1&a=0", "60", at), at.Add(time.Minute), "", "", ""},
		{"presigned past X-Amz-Expires", presignedText(t, "/prod/orders", "60", at), at.Add(61 * time.Second),
			"InvalidSignatureException", "Request has expired", "the presigned request expired: signed at 20261126T143415Z for 60s, it was good until 20261126T143515Z"},
		{"presigned past 5 minutes", presignedText(t, "/prod/orders", "3600", at), at.Add(6 * time.Minute),
			"InvalidSignatureException", "Signature expired: 20261126T143415Z is now earlier than 20261126T143515Z (20261126T144015Z - 5 min.)", "clock skew"},
		{"X-Amz-Expires 0", presignedText(t, "/prod/orders", "0", at), at,
			"IncompleteSignatureException", "X-Amz-Expires must be non-negative", `X-Amz-Expires is "0"`},
		{"X-Amz-Expires over a week", presignedText(t, "/prod/orders", "604801", at), at,
			"IncompleteSignatureException", "X-Amz-Expires must be less than a week (in seconds) that is 604800.", `X-Amz-Expires is "604801"`},
		{"X-Amz-Expires a week", presignedText(t, "/prod/orders", "604800", at), at, "", "", ""},
		// 4. The Authorization header tokenized on commas and whitespace.
		{"seed's placeholder signature", "GET /prod/orders HTTP/1.1\nHost: abc123.execute-api.us-east-1.amazonaws.com\nX-Amz-Date: 20261126T143415Z\n" +
			"Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=hex encoded signature\n\n", at,
			"IncompleteSignatureException", "'encoded' not a valid key=value pair (missing equal-sign) in Authorization header: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=hex encoded signature'.", ""},
		{"tokens before anything else", "GET /prod/orders HTTP/1.1\nHost: h\n\nAuthorization: Bearer token\n\n", at, "", "", ""},
		{"whitespace alone separates", signedText("GET", "/prod/orders", "", base, "", mistake{}), at, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := tt.text
			if tt.name == "tokens before anything else" {
				// Bearer tokens on an IAM method: 'token' is refused
				// before the missing parts and the missing date.
				text = "GET /prod/orders HTTP/1.1\nHost: h\nAuthorization: Bearer token\n\n"
				tt.wantType, tt.wantMsg = "IncompleteSignatureException", "'token' not a valid key=value pair (missing equal-sign) in Authorization header: 'Bearer token'."
			}
			if tt.name == "whitespace alone separates" {
				text = strings.Replace(text, ", SignedHeaders=", " SignedHeaders=", 1)
			}
			_, verr := verifyText(t, text, "secret", tt.at)
			if tt.wantType == "" {
				if verr != nil {
					t.Fatalf("Verify: %v", verr)
				}
			} else if verr == nil || verr.Type != tt.wantType || !strings.HasPrefix(verr.Message, tt.wantMsg) {
				t.Fatalf("Verify = %v, want %s: %s", verr, tt.wantType, tt.wantMsg)
			}

			req, err := ParseRawRequest([]byte(text))
			if err != nil {
				t.Fatal(err)
			}
			ex, err := ExplainRequest(req, "secret", ExplainOptions{Region: "us-east-1", Service: "execute-api", At: tt.at, CheckTime: true})
			if tt.wantType == "IncompleteSignatureException" && strings.Contains(tt.wantMsg, "key=value") {
				// extract refuses it: Explain stops with Verify's answer.
				if err == nil || err.Error() != tt.wantType+": "+tt.wantMsg {
					t.Errorf("ExplainRequest error = %v, want %s: %s", err, tt.wantType, tt.wantMsg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if (ex.Refusal == nil) != (verr == nil) || ex.Refusal != nil && *ex.Refusal != *verr {
				t.Errorf("Explain's refusal %v, Verify's %v", ex.Refusal, verr)
			}
			if tt.cause != "" && !hasPrefixed(ex.Problems, tt.cause) {
				t.Errorf("problems %q, want one starting %q", ex.Problems, tt.cause)
			}
			if tt.wantType == "" && len(ex.Problems) > 0 {
				t.Errorf("accepted, yet problems %q", ex.Problems)
			}
		})
	}
}

func hasPrefixed(list []string, prefix string) bool {
	for _, s := range list {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}

// apigw.NormalizePath follows RFC 3986 section 5.2.4 after collapsing slashes;
// sdkNormalizePath is the SDKs' form (botocore's remove_dot_segments,
// aws-sdk-js-v3's normalizePath, aws-c-auth's s_append_normalized_path).
func TestNormalizePath(t *testing.T) {
	for _, tt := range []struct{ in, rfc, sdk string }{
		{"", "/", "/"},
		{"/", "/", "/"},
		{"//", "/", "/"},
		{"//example//", "/example/", "/example/"},
		{"/example/..", "/", "/"},
		{"/example1/example2/../..", "/", "/"},
		{"/./", "/", "/"},
		{"/./example", "/example", "/example"},
		{"/a/b/..", "/a/", "/a"},
		{"/a/b/.", "/a/b/", "/a/b"},
		{"/a/b/../", "/a/", "/a/"},
		{"/../../a", "/a", "/a"},
		{"/a//../b", "/b", "/b"},
		{"/a/%2E%2E/b", "/a/%2E%2E/b", "/a/%2E%2E/b"},
		{"/a/.b/..c/", "/a/.b/..c/", "/a/.b/..c/"},
	} {
		if got := apigw.NormalizePath(tt.in); got != tt.rfc {
			t.Errorf("apigw.NormalizePath(%q) = %q, want %q", tt.in, got, tt.rfc)
		}
		if got := sdkNormalizePath(tt.in); got != tt.sdk {
			t.Errorf("sdkNormalizePath(%q) = %q, want %q", tt.in, got, tt.sdk)
		}
	}
	if got := canonicalURI("/prod//a%20b/./c"); got != "/prod/a%2520b/c" {
		t.Errorf("canonicalURI = %q", got)
	}
}
