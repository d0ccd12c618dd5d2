package sigv4

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// The "get-vanilla" case of AWS's first Signature Version 4 test suite
// (2011), which dates its requests with a Date header and no X-Amz-Date:
// the string to sign carries the date in ISO 8601 basic format,
// 20110909T233600Z, not as the header writes it. Signature and strings are
// the suite's.
const (
	dateSuiteRequest = "GET / HTTP/1.1\n" +
		"Date: Mon, 09 Sep 2011 23:36:00 GMT\n" +
		"Host: host.foo.com\n" +
		"Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20110909/us-east-1/host/aws4_request, SignedHeaders=date;host, Signature=b27ccfbfa7df52a200ff74193ca6e32d4b48b8856fab7ebf1c595d0670a7e470\n\n"
	dateSuiteCanonical = "GET\n/\n\ndate:Mon, 09 Sep 2011 23:36:00 GMT\nhost:host.foo.com\n\ndate;host\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	dateSuiteSTS       = "AWS4-HMAC-SHA256\n20110909T233600Z\n20110909/us-east-1/host/aws4_request\n366b91fb121d72a00f46bbe8d395f53a102b06dfb7e79636515208ed3fa606b1"
)

// A request dated by its Date header verifies in Verify (what iamgate local
// runs) and in ExplainRequest (what iamgate sig explain runs) alike.
func TestDateHeaderVerifiesAndExplains(t *testing.T) {
	at := time.Date(2011, 9, 9, 23, 36, 0, 0, time.UTC)
	raw, err := ParseRawRequest([]byte(dateSuiteRequest))
	if err != nil {
		t.Fatal(err)
	}
	ex, err := ExplainRequest(raw, suiteSecret, ExplainOptions{Region: "us-east-1", Service: "host", At: at})
	if err != nil {
		t.Fatal(err)
	}
	if !ex.SignatureMatches || len(ex.Problems) > 0 {
		t.Errorf("Explain: matches %v, problems %q", ex.SignatureMatches, ex.Problems)
	}
	if ex.CanonicalRequest != dateSuiteCanonical {
		t.Errorf("Explain canonical request:\n%s\nwant:\n%s", ex.CanonicalRequest, dateSuiteCanonical)
	}
	if ex.StringToSign != dateSuiteSTS {
		t.Errorf("Explain string to sign:\n%s\nwant:\n%s", ex.StringToSign, dateSuiteSTS)
	}

	r := httptest.NewRequest("GET", "http://host.foo.com/", nil)
	for k, vs := range raw.Header {
		if k != "Host" {
			r.Header[k] = vs
		}
	}
	v := &Verifier{Region: "us-east-1", Service: "host", Lookup: func(id string) (Credentials, bool) {
		return Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: suiteSecret}, id == "AKIDEXAMPLE"
	}}
	auth, verr := v.Verify(r, nil, at)
	if verr != nil {
		t.Fatalf("Verify: %v", verr)
	}
	if auth.AccessKeyID != "AKIDEXAMPLE" {
		t.Errorf("Verify: access key %q", auth.AccessKeyID)
	}
}

// Verify and ExplainRequest run one computation: for the same request and
// a secret that does not sign it, Verify's answer shows the canonical
// request and string to sign that ExplainRequest shows.
func TestVerifyAndExplainAgree(t *testing.T) {
	requests := map[string]string{
		"Date header": dateSuiteRequest,
		"X-Amz-Date, query and body": "POST /prod/a%20b?b=2&a=1 HTTP/1.1\n" +
			"Host: host.foo.com\nX-Amz-Date: 20110909T233600Z\nContent-Type: application/json\nContent-Length: 8\n" +
			"Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20110909/us-east-1/host/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-date, Signature=00\n\n" +
			`{"a": 1}`,
		"presigned": "GET /?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20110909%2Fus-east-1%2Fhost%2Faws4_request&X-Amz-Date=20110909T233600Z&X-Amz-SignedHeaders=host&X-Amz-Signature=00 HTTP/1.1\n" +
			"Host: host.foo.com\n\n",
	}
	at := time.Date(2011, 9, 9, 23, 36, 0, 0, time.UTC)
	v := &Verifier{Region: "us-east-1", Service: "host", Lookup: func(id string) (Credentials, bool) {
		return Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "other"}, true
	}}
	for name, text := range requests {
		t.Run(name, func(t *testing.T) {
			raw, err := ParseRawRequest([]byte(text))
			if err != nil {
				t.Fatal(err)
			}
			ex, err := ExplainRequest(raw, "other", ExplainOptions{})
			if err != nil {
				t.Fatal(err)
			}
			r, err := http.ReadRequest(bufio.NewReader(strings.NewReader(strings.ReplaceAll(text, "\n", "\r\n"))))
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(r.Body)
			_, verr := v.Verify(r, body, at)
			if want := errMismatch(steps{canonicalRequest: ex.CanonicalRequest, stringToSign: ex.StringToSign}); verr == nil || *verr != *want {
				t.Errorf("Verify = %v\nwant %v", verr, want)
			}
		})
	}
}

// parseBasic reads what time.Parse reads in TimeFormat, to the same time,
// and leaves the rest to it: month ends, leap years, out-of-range fields,
// signs and other non-digits, lengths.
func TestParseBasicAsTimeParse(t *testing.T) {
	cases := []string{"20261203T091500Z", "00000101T000000Z", "99991231T235959Z", "20240229T120000Z", "20230229T120000Z",
		"21000229T000000Z", "20000229T000000Z", "20260431T000000Z", "20260430T000000Z", "20261301T000000Z", "20260001T000000Z",
		"20260100T000000Z", "20260101T240000Z", "20260101T006000Z", "20260101T000060Z", "20260101 000000Z", "20260101T000000z",
		"2026010T1000000Z", "+0260101T000000Z", "2026-101T000000Z", "20260101T00000\x00Z", "", "20260101T000000", "20260101T000000ZZ",
		"\uff12026010T000000Z", "Mon, 09 Sep 2011 23:36:00 GMT"}
	// Every day of a leap and a common year, and each field at and past its ends.
	for _, y := range []int{2024, 2026} {
		for d := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() == y; d = d.AddDate(0, 0, 1) {
			cases = append(cases, d.Format(TimeFormat), d.Format("20060102")+"T235959Z", fmt.Sprintf("%d%02d32T000000Z", y, d.Month()))
		}
	}
	for _, s := range cases {
		want, werr := time.Parse(TimeFormat, s)
		got, ok := parseBasic(s)
		switch {
		case ok && (werr != nil || !got.Equal(want) || got.Location() != want.Location()):
			t.Errorf("parseBasic(%q) = %v, time.Parse gives %v, %v", s, got, want, werr)
		case !ok && werr == nil:
			t.Errorf("parseBasic(%q) declines a date time.Parse reads (%v)", s, want)
		}
	}
}
