package sigv4

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// Known answer: the "get-vanilla" case of AWS's Signature Version 4 test
// suite (example credentials and date from AWS's documentation).
func TestKnownAnswerGetVanilla(t *testing.T) {
	const secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
	h := http.Header{"X-Amz-Date": {"20150830T123600Z"}}
	canonHeaders, missing := canonicalHeaders([]string{"host", "x-amz-date"}, "example.amazonaws.com", h, true)
	if len(missing) > 0 {
		t.Fatal(missing)
	}
	creq := canonicalRequest("GET", canonicalURI("/"), canonicalQuery(""), canonHeaders, []string{"host", "x-amz-date"}, hashHex(nil))
	wantCreq := "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	if creq != wantCreq {
		t.Fatalf("canonical request:\n%s\nwant:\n%s", creq, wantCreq)
	}
	sts := stringToSign("20150830T123600Z", &Authorization{Date: "20150830", Region: "us-east-1", Service: "service", Terminator: "aws4_request"}, creq)
	wantSts := "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63"
	if sts != wantSts {
		t.Fatalf("string to sign:\n%s\nwant:\n%s", sts, wantSts)
	}
	if got := signature(signingKey(secret, "20150830", "us-east-1", "service"), sts); got != "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31" {
		t.Errorf("signature = %s", got)
	}
}

func TestCanonicalQueryAndURI(t *testing.T) {
	if got := canonicalQuery("b=2&a=z&a=y&c=a%20b&d=~x&X-Amz-Signature=abc&e=a+b"); got != "a=y&a=z&b=2&c=a%20b&d=~x&e=a%20b" {
		t.Errorf("CanonicalQuery = %q", got)
	}
	if got := canonicalURI("/prod/a%20b/c"); got != "/prod/a%2520b/c" {
		t.Errorf("CanonicalURI = %q", got)
	}
}

var (
	alice   = Credentials{AccessKeyID: "AKIDALICE", SecretAccessKey: "alice-secret"}
	now     = time.Date(2026, 11, 26, 14, 34, 15, 0, time.UTC)
	checker = &Verifier{Region: "us-east-1", Service: "execute-api", Lookup: func(id string) (Credentials, bool) {
		return alice, id == alice.AccessKeyID
	}}
)

// signed returns a request signed by aws-sdk-go-v2 as a server receives it.
func signed(t *testing.T, method, target, body string, creds Credentials, region string, at time.Time) *http.Request {
	t.Helper()
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	out, _ := http.NewRequest(method, "https://abc123.execute-api.us-east-1.amazonaws.com"+strings.TrimPrefix(target, "http://example.com"), bytes.NewReader([]byte(body)))
	out.Header = r.Header.Clone()
	err := Sign(context.Background(), out, []byte(body), aws.Credentials{AccessKeyID: creds.AccessKeyID, SecretAccessKey: creds.SecretAccessKey, SessionToken: creds.SessionToken},
		"execute-api", region, at)
	if err != nil {
		t.Fatal(err)
	}
	r.Header = out.Header.Clone()
	r.Host = out.URL.Host
	return r
}

func TestVerify(t *testing.T) {
	body := `{"a": 1}`
	tests := []struct {
		name     string
		req      func() *http.Request
		body     string
		wantType string
		wantMsg  string
	}{
		{"good", func() *http.Request { return signed(t, "POST", "/prod/orders?b=2&a=1", body, alice, "us-east-1", now) }, body, "", ""},
		{"good with space in path", func() *http.Request { return signed(t, "GET", "/prod/a%20b", "", alice, "us-east-1", now) }, "", "", ""},
		{"unsigned", func() *http.Request { return httptest.NewRequest("GET", "/prod/orders", nil) }, "",
			"MissingAuthenticationTokenException", "Missing Authentication Token"},
		{"tampered body", func() *http.Request { return signed(t, "POST", "/prod/orders", body, alice, "us-east-1", now) }, `{"a": 2}`,
			"InvalidSignatureException", "The request signature we calculated does not match the signature you provided."},
		{"wrong secret", func() *http.Request {
			return signed(t, "GET", "/prod/orders", "", Credentials{AccessKeyID: "AKIDALICE", SecretAccessKey: "wrong"}, "us-east-1", now)
		}, "", "InvalidSignatureException", "The request signature we calculated does not match"},
		{"unknown key", func() *http.Request {
			return signed(t, "GET", "/prod/orders", "", Credentials{AccessKeyID: "AKIDBOB", SecretAccessKey: "x"}, "us-east-1", now)
		}, "", "UnrecognizedClientException", "The security token included in the request is invalid."},
		{"expired", func() *http.Request {
			return signed(t, "GET", "/prod/orders", "", alice, "us-east-1", now.Add(-6*time.Minute))
		}, "",
			"InvalidSignatureException", "Signature expired: 20261126T142815Z is now earlier than 20261126T142915Z (20261126T143415Z - 5 min.)"},
		{"future", func() *http.Request {
			return signed(t, "GET", "/prod/orders", "", alice, "us-east-1", now.Add(6*time.Minute))
		}, "",
			"InvalidSignatureException", "Signature not yet current: 20261126T144015Z is still later than 20261126T143915Z (20261126T143415Z + 5 min.)"},
		{"wrong region", func() *http.Request { return signed(t, "GET", "/prod/orders", "", alice, "eu-west-1", now) }, "",
			"InvalidSignatureException", "Credential should be scoped to a valid region, not 'eu-west-1'. "},
		{"incomplete", func() *http.Request {
			r := httptest.NewRequest("GET", "/prod/orders", nil)
			r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDALICE/20261126/us-east-1/execute-api/aws4_request")
			return r
		}, "", "IncompleteSignatureException", "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256 Credential=AKIDALICE/20261126/us-east-1/execute-api/aws4_request"},
		{"not key=value", func() *http.Request {
			r := httptest.NewRequest("GET", "/prod/orders", nil)
			r.Header.Set("Authorization", "AWS4-HMAC-SHA256 garbage")
			r.Header.Set("X-Amz-Date", "20261126T143415Z")
			return r
		}, "", "IncompleteSignatureException", "'garbage' not a valid key=value pair (missing equal-sign) in Authorization header: 'AWS4-HMAC-SHA256 garbage'."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := checker.Verify(tt.req(), []byte(tt.body), now)
			if tt.wantType == "" {
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}
				return
			}
			if err == nil || err.Type != tt.wantType || !strings.HasPrefix(err.Message, tt.wantMsg) || err.Status != 403 {
				t.Fatalf("Verify error = %+v, want %s %q", err, tt.wantType, tt.wantMsg)
			}
		})
	}
}

func TestErrorBody(t *testing.T) {
	e := &Error{403, "InvalidSignatureException", "line\n'quote' \"dq\""}
	if got := string(e.Body()); got != `{"message":"line\n'quote' \"dq\""}` {
		t.Errorf("Body = %s", got)
	}
	if m := ErrMissingToken(); m.Status != 403 || m.Type != "MissingAuthenticationTokenException" || string(m.Body()) != `{"message":"Missing Authentication Token"}` {
		t.Errorf("ErrMissingToken() = %+v %s", m, m.Body())
	}
}

// Sign signs a path execute-api normalizes in its normalized form, which
// aws-sdk-go-v2's signer alone does not: the request, sent as it is,
// verifies.
func TestSignNormalizesThePath(t *testing.T) {
	for _, target := range []string{"/prod//orders/./42", "/prod/a/b/../c%20d", "/prod/x/.."} {
		r := signed(t, "GET", target, "", alice, "us-east-1", now)
		if got := r.URL.EscapedPath(); got != target {
			t.Errorf("the request's path became %q, want %q", got, target)
		}
		if _, err := checker.Verify(r, nil, now); err != nil {
			t.Errorf("%s: Verify: %v", target, err)
		}
	}
}

// signature is the hex HMAC of a string to sign with a signing key, as
// Verify computes it (a macKey).
func signature(key []byte, stringToSign string) string {
	return newMACKey(key).hex(stringToSign)
}

// A ";" is part of a query value for execute-api, and Verify signs the pair:
// canonicalQuery keeps it. aws-sdk-go-v2's signer would drop the pair
// (url.ParseQuery), so Sign writes such a query again, encoded, and the
// request it sends verifies, with the same parameters.
func TestQueryWithSemicolon(t *testing.T) {
	if got := canonicalQuery("q=a;b&r=1"); got != "q=a%3Bb&r=1" {
		t.Errorf("canonicalQuery = %q", got)
	}
	r, _ := http.NewRequest("GET", "https://abc123.execute-api.us-east-1.amazonaws.com/prod/orders?q=a;b&r=1", nil)
	if err := Sign(context.Background(), r, nil, aws.Credentials{AccessKeyID: alice.AccessKeyID, SecretAccessKey: alice.SecretAccessKey}, "execute-api", "us-east-1", now); err != nil {
		t.Fatal(err)
	}
	if r.URL.RawQuery != "q=a%3Bb&r=1" {
		t.Errorf("the query sent is %q", r.URL.RawQuery)
	}
	in := httptest.NewRequest("GET", "http://example.com/prod/orders?"+r.URL.RawQuery, nil)
	in.Header, in.Host = r.Header, r.URL.Host
	if _, err := checker.Verify(in, nil, now); err != nil {
		t.Errorf("Verify: %v", err)
	}
}
