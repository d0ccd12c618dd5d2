package sigv4

import (
	"fmt"
	"maps"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"
)

// signedText writes a raw request signed by hand, with the canonical parts
// given: a test can sign with one usual mistake and check that Explain names
// it.
type mistake struct {
	uri, query, payload, host string
	signed                    []string
}

func signedText(method, path, query string, header map[string]string, body string, m mistake) string {
	h := http.Header{}
	for k, v := range header {
		h.Set(k, v)
	}
	host := header["Host"]
	if m.host != "" {
		host = m.host
	}
	signed := m.signed
	if signed == nil {
		for k := range header {
			signed = append(signed, strings.ToLower(k))
		}
		sort.Strings(signed)
	}
	uri := canonicalURI(path)
	if m.uri != "" {
		uri = m.uri
	}
	q := canonicalQuery(query)
	if m.query != "" {
		q = m.query
	}
	payload := hashHex([]byte(body))
	if m.payload != "" {
		payload = m.payload
	}
	hdrs, _ := canonicalHeaders(signed, host, h, true)
	if m.signed == nil && strings.Contains(header["X-Raw"], "  ") {
		hdrs = strings.Replace(hdrs, "x-raw:"+strings.Join(strings.Fields(header["X-Raw"]), " "), "x-raw:"+header["X-Raw"], 1)
	}
	date := header["X-Amz-Date"]
	day, term := date[:8], "aws4_request"
	if header["X-Scope-Date"] != "" {
		day = header["X-Scope-Date"]
	}
	if header["X-Scope-Term"] != "" {
		term = header["X-Scope-Term"]
	}
	scope := day + "/us-east-1/execute-api/" + term
	sts := stringToSign(date, &Authorization{Date: day, Region: "us-east-1", Service: "execute-api", Terminator: term}, canonicalRequest(method, uri, q, hdrs, signed, payload))
	sig := signature(signingKey("secret", scope[:8], "us-east-1", "execute-api"), sts)
	var b strings.Builder
	target := path
	if query != "" {
		target += "?" + query
	}
	fmt.Fprintf(&b, "%s %s HTTP/1.1\n", method, target)
	keys := make([]string, 0, len(header))
	for k := range header {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "%s: %s\n", k, header[k])
	}
	fmt.Fprintf(&b, "Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/%s, SignedHeaders=%s, Signature=%s\n\n%s", scope, strings.Join(signed, ";"), sig, body)
	return b.String()
}

// merged returns base with extra's headers added or replaced.
func merged(base, extra map[string]string) map[string]string {
	out := maps.Clone(base)
	maps.Copy(out, extra)
	return out
}

func TestExplainNamesTheMistake(t *testing.T) {
	base := map[string]string{"Host": "abc123.execute-api.us-east-1.amazonaws.com", "X-Amz-Date": "20261126T143415Z"}
	with := func(extra map[string]string) map[string]string { return merged(base, extra) }
	at := time.Date(2026, 11, 26, 14, 34, 15, 0, time.UTC)
	tests := []struct {
		name       string
		text       string
		secret     string
		opts       ExplainOptions
		matches    bool
		wantSubstr string
	}{
		{"good", signedText("GET", "/prod/orders", "a=1", base, "", mistake{}), "secret", ExplainOptions{At: at}, true, ""},
		{"empty body signed", signedText("POST", "/prod/orders", "", base, `{"a":1}`, mistake{payload: hashHex(nil)}), "secret", ExplainOptions{}, false,
			"the signature is right for an empty body"},
		{"unsigned payload", signedText("POST", "/prod/orders", "", base, `{"a":1}`, mistake{payload: "UNSIGNED-PAYLOAD"}), "secret", ExplainOptions{}, false,
			"the client signed with UNSIGNED-PAYLOAD"},
		{"path encoded once", signedText("GET", "/prod/a%20b", "", base, "", mistake{uri: "/prod/a%20b"}), "secret", ExplainOptions{}, false,
			"the client encoded the path once (as S3 does)"},
		{"path not normalized", signedText("GET", "/prod/./orders//x", "", base, "", mistake{uri: "/prod/./orders//x"}), "secret", ExplainOptions{}, false,
			"the client did not normalize the path (as for S3)"},
		{"path normalized as the SDKs do", signedText("GET", "/prod/orders/x/..", "", base, "", mistake{uri: "/prod/orders"}), "secret", ExplainOptions{}, false,
			"the client normalized the path as the AWS SDKs do, dropping the slash a final . or .. leaves; execute-api keeps it (RFC 3986): send the normalized path (/prod/orders/) instead"},
		{"query as written", signedText("GET", "/prod/orders", "b=2&a=1", base, "", mistake{query: "b=2&a=1"}), "secret", ExplainOptions{}, false,
			"the client signed the query string as written"},
		{"plus for spaces", signedText("GET", "/prod/orders", "q=a%20b", base, "", mistake{query: "q=a+b"}), "secret", ExplainOptions{}, false,
			"the client encoded spaces in the query as '+'"},
		{"untrimmed header", signedText("GET", "/prod/orders", "", with(map[string]string{"X-Raw": "a   b"}), "", mistake{}), "secret", ExplainOptions{}, false,
			"the client did not trim header values"},
		{"host port", signedText("GET", "/prod/orders", "", with(map[string]string{"Host": "127.0.0.1:8080"}), "", mistake{host: "127.0.0.1"}), "secret", ExplainOptions{}, false,
			"the client signed the Host without its port"},
		{"wrong secret", signedText("GET", "/prod/orders", "", base, "", mistake{}), "other", ExplainOptions{}, false,
			"no usual mistake explains the difference: check that the secret key is the one of access key AKIDEXAMPLE"},
		{"missing signed header", signedText("GET", "/prod/orders", "", base, "", mistake{signed: []string{"host", "x-amz-date", "x-gone"}}), "secret", ExplainOptions{}, true,
			"the header x-gone is listed as signed but the request does not carry it"},
		{"host not signed", signedText("GET", "/prod/orders", "", base, "", mistake{signed: []string{"x-amz-date"}}), "secret", ExplainOptions{}, true,
			"Host is not among the signed headers"},
		{"region", signedText("GET", "/prod/orders", "", base, "", mistake{}), "secret", ExplainOptions{Region: "eu-west-1"}, true,
			"the credential scope names region us-east-1, but the API is in eu-west-1"},
		{"service", signedText("GET", "/prod/orders", "", base, "", mistake{}), "secret", ExplainOptions{Service: "apigateway"}, true,
			"the credential scope names service execute-api, but the request is for apigateway"},
		{"date and scope", signedText("GET", "/prod/orders", "", with(map[string]string{"X-Scope-Date": "20261125"}), "", mistake{}), "secret", ExplainOptions{}, true,
			"the request's date 20261126T143415Z and the credential scope's date 20261125 disagree"},
		{"skew", signedText("GET", "/prod/orders", "", base, "", mistake{}), "secret", ExplainOptions{At: at.Add(20 * time.Minute)}, true,
			"clock skew: the request was signed at 20261126T143415Z, 20m0s from 20261126T145415Z"},
		// The signature covers the body received; only the header is off.
		{"content hash header", signedText("POST", "/prod/orders", "", with(map[string]string{"X-Amz-Content-Sha256": hashHex([]byte("other"))}), `{"a":1}`, mistake{}),
			"secret", ExplainOptions{}, true, "X-Amz-Content-Sha256 is " + hashHex([]byte("other"))},
		{"content hash header signed", signedText("POST", "/prod/orders", "", with(map[string]string{"X-Amz-Content-Sha256": hashHex([]byte("other"))}), `{"a":1}`, mistake{payload: hashHex([]byte("other"))}),
			"secret", ExplainOptions{}, false, "the signature is right for the payload hash X-Amz-Content-Sha256 gives, " + hashHex([]byte("other"))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := ParseRawRequest([]byte(tt.text))
			if err != nil {
				t.Fatal(err)
			}
			ex, err := ExplainRequest(req, tt.secret, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if ex.SignatureMatches != tt.matches {
				t.Errorf("SignatureMatches = %v, want %v; problems %q", ex.SignatureMatches, tt.matches, ex.Problems)
			}
			found := tt.wantSubstr == "" && len(ex.Problems) == 0
			for _, p := range ex.Problems {
				if tt.wantSubstr != "" && strings.Contains(p, tt.wantSubstr) {
					found = true
				}
			}
			if !found {
				t.Errorf("problems %q, want one containing %q", ex.Problems, tt.wantSubstr)
			}
		})
	}
}

func TestParseRawRequestErrors(t *testing.T) {
	for text, want := range map[string]string{
		"":                                "line 1: the request is empty",
		"GET\n\n":                         `line 1: "GET" is not a request line`,
		"GET orders HTTP/1.1\n\n":         `line 1: the request target "orders" does not start with "/"`,
		"GET / HTTP/1.1\nHost x\n\n":      `line 2: "Host x" is not a header; expected "Name: value"`,
		"GET / HTTP/1.1\n folded\n\n":     "line 2: a continuation line before any header",
		"GET / HTTP/1.1\nA: 1\nB : 2\n\n": `line 3: "B : 2" is not a header`,
	} {
		_, err := ParseRawRequest([]byte(text))
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("ParseRawRequest(%q) error = %v, want %q", text, err, want)
		}
	}
	// A UTF-8 byte order mark before the request line is skipped.
	if r, err := ParseRawRequest([]byte("\ufeffGET /a HTTP/1.1\nHost: h\n\n")); err != nil || r.Method != "GET" {
		t.Errorf("with a BOM: %+v, %v", r, err)
	}
	// A target with raw spaces, as AWS's suite writes get-space-*.
	if r, err := ParseRawRequest([]byte("GET /example space/ HTTP/1.1\nHost: h\n\n")); err != nil || r.Path != "/example space/" || r.Proto != "HTTP/1.1" {
		t.Errorf("raw space: %+v, %v", r, err)
	}
	// The body is kept byte for byte, CRLFs included (they were signed),
	// whatever line ends the head has.
	for _, text := range []string{"POST /a HTTP/1.1\r\nHost: h\r\n\r\na\r\nb\r\n", "POST /a HTTP/1.1\nHost: h\n\na\r\nb\r\n", "POST /a HTTP/1.1\r\nHost: h\r\n\na\r\nb\r\n"} {
		if r, err := ParseRawRequest([]byte(text)); err != nil || string(r.Body) != "a\r\nb\r\n" || r.Header.Get("Host") != "h" {
			t.Errorf("ParseRawRequest(%q): body %q, host %q, %v; want the body as written", text, r.Body, r.Header.Get("Host"), err)
		}
	}
	r, err := ParseRawRequest([]byte("POST /a?b=c HTTP/1.1\r\nX-Long: one\r\n  two\r\nHost:h\r\n\r\nbody\n"))
	if err != nil || r.Header.Get("X-Long") != "one two" || r.Header.Get("Host") != "h" || string(r.Body) != "body\n" || r.Path != "/a" || r.RawQuery != "b=c" {
		t.Errorf("parsed %+v, %v", r, err)
	}
}

// upperSig writes the signature of a signed request text in upper case.
func upperSig(text string) string {
	i, j := strings.LastIndex(text, "Signature=")+len("Signature="), strings.LastIndex(text, "\n\n")
	return text[:i] + strings.ToUpper(text[i:j]) + text[j:]
}

// A payload hash header that is the body's SHA-256 in upper case is the
// body's hash: nothing changed the body.
func TestExplainContentHashInUpperCase(t *testing.T) {
	header := map[string]string{"Host": "abc123.execute-api.us-east-1.amazonaws.com", "X-Amz-Date": "20261126T143415Z",
		"X-Amz-Content-Sha256": strings.ToUpper(hashHex([]byte(`{"a":1}`)))}
	req, err := ParseRawRequest([]byte(signedText("POST", "/prod/orders", "", header, `{"a":1}`, mistake{})))
	if err != nil {
		t.Fatal(err)
	}
	ex, err := ExplainRequest(req, "secret", ExplainOptions{Region: "us-east-1", Service: "execute-api"})
	if err != nil {
		t.Fatal(err)
	}
	if !ex.SignatureMatches || len(ex.Problems) > 0 {
		t.Errorf("matches %v, problems %q; want a match and none", ex.SignatureMatches, ex.Problems)
	}
}

// Requests broken the way real clients break them (signed by botocore, the
// npm aws4 package or a hand-written Java signer, then changed as a proxy,
// an HTTP library or a mistake changes them): ExplainRequest names the
// mistake in one Problem line, and says nothing misleading beside it.
func TestExplainRealClientMistakes(t *testing.T) {
	const host = "abc123.execute-api.us-east-1.amazonaws.com"
	base := map[string]string{"Host": host, "X-Amz-Date": "20261126T143415Z"}
	with := func(extra map[string]string) map[string]string { return merged(base, extra) }
	good := signedText("GET", "/prod/orders", "", base, "", mistake{})
	sig := good[strings.LastIndex(good, "Signature=")+len("Signature=") : strings.LastIndex(good, "\n\n")]
	replace := func(text, old, new string) string { return strings.Replace(text, old, new, 1) }
	tests := []struct {
		name    string
		text    string
		want    string // a Problem contains it
		notWant string // no Problem contains it
	}{
		// API Gateway refuses before it compares signatures: no "no usual
		// mistake" line beside the cause.
		{"X-Amz-Date extended", replace(good, "X-Amz-Date: 20261126T143415Z", "X-Amz-Date: 2026-11-26T14:34:15Z"),
			"is not in the form 20060102T150405Z", "no usual mistake"},
		{"scope date changed", replace(good, "AKIDEXAMPLE/20261126/", "AKIDEXAMPLE/20261125/"),
			"the credential scope's date 20261125 disagree", "no usual mistake"},
		{"X-Amz-Date RFC 1123", replace(good, "X-Amz-Date: 20261126T143415Z", "X-Amz-Date: Thu, 26 Nov 2026 14:34:15 GMT"),
			"X-Amz-Date \"Thu, 26 Nov 2026 14:34:15 GMT\" is not in ISO 8601 basic format", "no usual mistake"},
		// The signature's own form.
		{"upper-case hex signature", replace(good, sig, strings.ToUpper(sig)),
			"the signature is right but written in upper-case hex", "no usual mistake"},
		// Upper-case hex and a second mistake: both named.
		{"upper-case hex beside another mistake", upperSig(signedText("GET", "/prod/orders", "", base, "", mistake{host: host + ":443"})),
			"the signature is written in upper-case hex", "no usual mistake"},
		{"another mistake beside upper-case hex", upperSig(signedText("GET", "/prod/orders", "", base, "", mistake{host: host + ":443"})),
			"the client signed the Host with the port :443", "no usual mistake"},
		{"Base64 signature", replace(good, sig, "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA="),
			"is not 64 lower-case hex digits", "no usual mistake"},
		// Host and signed headers.
		{"Host signed with :443", signedText("GET", "/prod/orders", "", base, "", mistake{host: host + ":443"}),
			"the client signed the Host with the port :443", ""},
		{"signed headers upper-case", signedText("GET", "/prod/orders", "", base, "", mistake{signed: []string{"Host", "X-Amz-Date"}}),
			"SignedHeaders names Host;X-Amz-Date in upper case", "is listed as signed but the request does not carry it"},
		// Lower-cased, then sorted; Host is found when it is in lower case.
		{"signed headers partly upper-case", signedText("GET", "/prod/orders", "", base, "", mistake{signed: []string{"host", "X-Amz-Date"}}),
			"SignedHeaders names host;X-Amz-Date in upper case: SigV4 lists header names in lower case, sorted (host;x-amz-date), and writes them so in the canonical headers", "Host is not found signed"},
		{"signed headers unsorted", signedText("GET", "/prod/orders", "", base, "", mistake{signed: []string{"x-amz-date", "host"}}),
			"SignedHeaders x-amz-date;host is not sorted", ""},
		// The path.
		{"path not encoded", signedText("GET", "/prod/a%20b", "", base, "", mistake{uri: "/prod/a b"}),
			"the client signed the path decoded", "no usual mistake"},
		{"path encoded again after signing", signedText("GET", "/prod/a%2520b", "", base, "", mistake{uri: "/prod/a%2520b"}),
			"or the path was encoded once more after signing (it has %25)", ""},
		// The query.
		{"query with +", signedText("GET", "/prod/orders", "q=a+b", base, "", mistake{query: "q=a+b"}),
			"the client signed the query string as written: SigV4 needs a space as %20, not '+' (it signs q=a%20b)", ""},
		{"query lower-case hex", signedText("GET", "/prod/orders", "q=%c3%a9", base, "", mistake{query: "q=%c3%a9"}),
			"upper-case hex digits in %XX", "sorted by name"},
		{"Java URLEncoder query", signedText("GET", "/prod/orders", "q=a*b%7Ec+d", base, "", mistake{query: "q=a*b%7Ec+d"}),
			"'*' as %2A, '~' as it is, not %7E (Java's URLEncoder writes them so)", ""},
		// The body.
		{"body with a newline added", signedText("POST", "/prod/orders", "", base, "{\"a\":1}\n", mistake{payload: hashHex([]byte(`{"a":1}`))}),
			"the signature is right for the body without its final newline", "no usual mistake"},
		{"JSON body re-serialized", signedText("POST", "/prod/orders", "", base, `{"a": 1, "b": [1, 2]}`, mistake{payload: hashHex([]byte(`{"a":1,"b":[1,2]}`))}),
			"the signature is right for the same JSON written compactly", "no usual mistake"},
		{"UNSIGNED-PAYLOAD header", signedText("POST", "/prod/orders", "", with(map[string]string{"X-Amz-Content-Sha256": "UNSIGNED-PAYLOAD"}), `{"a":1}`, mistake{payload: "UNSIGNED-PAYLOAD"}),
			"the client signed with UNSIGNED-PAYLOAD", "the body changed after signing"},
		{"content hash header signed", signedText("POST", "/prod/orders", "", with(map[string]string{"X-Amz-Content-Sha256": hashHex([]byte("other"))}), `{"a":1}`, mistake{payload: hashHex([]byte("other"))}),
			"the signature is right for the payload hash X-Amz-Content-Sha256 gives", "X-Amz-Content-Sha256 is " + hashHex([]byte("other"))},
		// Credentials.
		{"temporary key without token", replace(good, "Credential=AKIDEXAMPLE/", "Credential=ASIAEXAMPLE/"),
			"is a temporary one (ASIA...) but the request carries no X-Amz-Security-Token", ""},
		{"presigned and Authorization", replace(good, "GET /prod/orders HTTP/1.1", "GET /prod/orders?X-Amz-Signature=abc HTTP/1.1"),
			"carries both an Authorization header and a presigned query", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := ParseRawRequest([]byte(tt.text))
			if err != nil {
				t.Fatal(err)
			}
			ex, err := ExplainRequest(req, "secret", ExplainOptions{Region: "us-east-1", Service: "execute-api"})
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, p := range ex.Problems {
				found = found || strings.Contains(p, tt.want)
				if tt.notWant != "" && strings.Contains(p, tt.notWant) {
					t.Errorf("misleading problem %q", p)
				}
			}
			if !found {
				t.Errorf("problems %q, want one containing %q", ex.Problems, tt.want)
			}
		})
	}
}
