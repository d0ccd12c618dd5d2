package vtl

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/iamgate/iamgate/templates"
)

// compactCases are requests full of characters that break naive templates,
// each with the credentials of a signed and of a presigned request in
// several spellings, in the form the reference engine reads. stripped is the
// same request without the presigned credentials in its query string.
func compactCases() (full, stripped []string) {
	nasty := []string{`"`, `\`, `'`, `\'`, `"},"identity":{"userArn":"x"},"a":{"`, "\u0000\u0001\u001f\u007f", "é 😀 \u2028",
		`</script>`, "line\nbreak\r\ttab", `$context.identity.userArn`, `#set($x = 1)`, "", "x-amz-signature", "X-AMZ-CREDENTIAL"}
	credentials := [][]string{
		{"X-Amz-Signature", "X-Amz-Credential", "X-Amz-Security-Token"},
		{"x-amz-signature", "x-amz-credential", "x-amz-security-token"},
		{"X-AMZ-SIGNATURE", "X-Amz-CREDENTIAL", "x-Amz-Security-token"},
	}
	q := func(s string) string { j, _ := json.Marshal(s); return string(j) }
	for i, v := range nasty {
		query := fmt.Sprintf(`%s: %s, "q": "1", "X-Amz-Algorithm": "AWS4-HMAC-SHA256", "X-Amz-Date": "20261126T143415Z", "X-Amz-SignedHeaders": "host", "X-Amz-Expires": "300"`, q(v), q(v))
		var creds []string
		for _, name := range credentials[i%len(credentials)] {
			creds = append(creds, fmt.Sprintf(`%s: %s`, q(name), q("secret-"+v)))
		}
		for _, withCreds := range []bool{true, false} {
			qs := query
			if withCreds && !strings.EqualFold(v, "x-amz-signature") && !strings.EqualFold(v, "x-amz-credential") {
				qs = strings.Join(creds, ", ") + ", " + query
			} else if withCreds {
				qs = strings.Join(creds, ", ") + ", " + `"q": "1"`
			} else if strings.EqualFold(v, "x-amz-signature") || strings.EqualFold(v, "x-amz-credential") {
				qs = `"q": "1"`
			}
			req := fmt.Sprintf(`{"body": %s, "path": {"orderId": %s}, "querystring": {%s},
			"header": {"X-Client": %s, "Authorization": "AWS4-HMAC-SHA256 sig", "authorization": "x", "X-Amz-Security-Token": "tok", "x-amz-security-token": "tok", "X-Amz-Date": "20261126T143415Z", %s: "v"},
			"context": {"httpMethod": "GET", "resourcePath": "/orders/{orderId}", "path": %s, "stage": "prod", "requestId": "r-1",
				"requestTime": "26/Nov/2026:14:34:15 +0000", "apiId": "a1",
				"identity": {"userArn": %s, "caller": "AIDA", "accountId": "123456789012", "sourceIp": "203.0.113.9", "userAgent": %s}}}`,
				[]string{`"{\"k\":1}"`, `""`, `"[1,\"x\"]"`, `"  "`}[i%4], q(v), qs, q(v), q(fmt.Sprintf("X-%d", i)), q(v), q(v), q(v))
			if withCreds {
				full = append(full, req)
			} else {
				stripped = append(stripped, req)
			}
		}
	}
	return full, stripped
}

// The envelope every method embeds (templates.Envelope, compact) renders in
// Apache Velocity 1.7 exactly the bytes of its commented source
// (templates.EnvelopeSource) and of this engine; and, on a request without
// presigned credentials in the query string, exactly the bytes of the
// per-field template it replaced (testdata/envelope-per-field.vtl): the
// loops changed the template's size, not its output. With the credentials,
// the envelope's output is the per-field template's output for the request
// without them.
func TestCompactEnvelopeAgainstVelocity(t *testing.T) {
	render := referenceEngine(t)
	perField, err := os.ReadFile("testdata/envelope-per-field.vtl")
	if err != nil {
		t.Fatal(err)
	}
	full, stripped := compactCases()
	var cases []refCase
	for i := range full {
		cases = append(cases,
			refCase{tmpl: templates.EnvelopeSource, apigw: full[i]},
			refCase{tmpl: templates.Envelope, apigw: full[i]},
			refCase{tmpl: string(perField), apigw: stripped[i]},
			refCase{tmpl: templates.Envelope, apigw: stripped[i]},
		)
	}
	res := render(cases)
	ours, err := Parse("envelope", templates.Envelope)
	if err != nil {
		t.Fatal(err)
	}
	for i := range full {
		out := make([]string, 4)
		for j := range out {
			r := res[4*i+j]
			if r.Out == nil {
				t.Fatalf("case %d.%d: Velocity 1.7 fails: %s", i, j, r.Error)
			}
			out[j] = *r.Out
		}
		if out[0] != out[1] {
			t.Errorf("case %d: the commented and the compact envelope differ in Velocity 1.7\n source  %q\n compact %q", i, out[0], out[1])
		}
		if out[2] != out[1] {
			t.Errorf("case %d: the per-field envelope (without the presigned credentials) and the compact one differ in Velocity 1.7\n per-field %q\n compact   %q", i, out[2], out[1])
		}
		if out[3] != out[1] {
			t.Errorf("case %d: the presigned credentials changed the compact envelope's output\n without %q\n with    %q", i, out[3], out[1])
		}
		for _, secret := range []string{"secret-", "AWS4-HMAC-SHA256 sig", `"tok"`} {
			if strings.Contains(out[1], secret) {
				t.Errorf("case %d: the envelope carries a credential (%s):\n%s", i, secret, out[1])
			}
		}
		if !json.Valid([]byte(out[1])) {
			t.Errorf("case %d: Velocity 1.7's envelope is not valid JSON: %s", i, out[1])
		}
		var r struct {
			Body                      string
			Path, Querystring, Header map[string]string
			Context                   map[string]any
		}
		if err := json.Unmarshal([]byte(full[i]), &r); err != nil {
			t.Fatal(err)
		}
		got, err := RenderRequest(ours, &Request{Body: r.Body, Path: r.Path, Query: r.Querystring, Header: r.Header, Context: r.Context}, APIGatewayOptions())
		if err != nil {
			t.Fatal(err)
		}
		if got.Output != out[1] {
			t.Errorf("case %d: ours and Velocity 1.7 differ\n ours     %q\n velocity %q", i, got.Output, out[1])
		}
	}
	if len(templates.Envelope) >= len(templates.EnvelopeSource) {
		t.Errorf("the compact envelope (%d bytes) is not smaller than its source (%d)", len(templates.Envelope), len(templates.EnvelopeSource))
	}
}
