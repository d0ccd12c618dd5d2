package vtl_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/iamgate/iamgate/internal/vtl"
	"github.com/iamgate/iamgate/templates"
)

// The identity of the fuzz and table cases: every field the envelope
// carries has a value, except the ones a SigV4 caller does not have.
func callerIdentity(userArn string) map[string]any {
	return map[string]any{
		"userArn": userArn, "caller": "AIDAEXAMPLE:session", "user": "AIDAEXAMPLE", "accountId": "123456789012",
		"accessKey": "ASIAEXAMPLE", "sourceIp": "203.0.113.9", "principalOrgId": "o-abc123", "userAgent": "aws-sdk-go-v2",
	}
}

func envelopeRequest(identity map[string]any, path, query, header map[string]string, body string) *vtl.Request {
	return &vtl.Request{
		Body: body, Path: path, Query: query, Header: header,
		Context: map[string]any{
			"httpMethod": "GET", "resourcePath": "/orders/{orderId}", "path": "/prod/orders/1", "stage": "prod",
			"requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef", "requestTime": "26/Nov/2026:14:34:15 +0000", "apiId": "a1b2c3",
			"identity": identity,
		},
	}
}

var envelope = func() *vtl.Template {
	t, err := vtl.Parse("templates/envelope.vtl", templates.Envelope)
	if err != nil {
		panic(err)
	}
	return t
}()

// checkEnvelope renders the envelope for req and checks it is valid JSON
// with exactly the given identity and request, the given parameters, and the
// given body: no client value created or changed a key.
func checkEnvelope(t *testing.T, req *vtl.Request) {
	t.Helper()
	res, err := vtl.RenderRequest(envelope, req, vtl.APIGatewayOptions())
	// The template tests the body with Java's String.trim(), which removes
	// every character up to U+0020.
	body := strings.TrimFunc(req.Body, func(r rune) bool { return r <= ' ' })
	if err != nil {
		if body != "" && !json.Valid([]byte(req.Body)) {
			return // API Gateway refuses a body that is not JSON; nothing is sent
		}
		t.Fatalf("render: %v", err)
	}
	var got map[string]any
	if err := decodeJSON(res.Output, &got); err != nil {
		t.Fatalf("the envelope is not valid JSON: %v\n%s", err, res.Output)
	}
	if len(got) != 4 {
		t.Fatalf("top-level keys: %v", keys(got))
	}
	identity := req.Context["identity"].(map[string]any)
	wantIdentity := map[string]any{}
	for _, f := range templates.IdentityFields() {
		v, _ := identity[f.Name()].(string)
		if v == "" {
			wantIdentity[f.Name()] = nil
		} else {
			wantIdentity[f.Name()] = v
		}
	}
	if !reflect.DeepEqual(got["identity"], wantIdentity) {
		t.Fatalf("identity:\n got %v\nwant %v", got["identity"], wantIdentity)
	}
	wantRequest := map[string]any{}
	for _, name := range templates.RequestFields() {
		wantRequest[name] = req.Context[name]
	}
	if !reflect.DeepEqual(got["request"], wantRequest) {
		t.Fatalf("request:\n got %v\nwant %v", got["request"], wantRequest)
	}
	headers := anyMap(req.Header)
	for k := range headers {
		if strings.EqualFold(k, "Authorization") || strings.EqualFold(k, "X-Amz-Security-Token") {
			delete(headers, k) // the caller's credentials stay out of the envelope
		}
	}
	wantParams := map[string]any{"path": anyMap(req.Path), "querystring": anyMap(req.Query), "header": headers}
	if !reflect.DeepEqual(got["params"], wantParams) {
		t.Fatalf("params:\n got %v\nwant %v", got["params"], wantParams)
	}
	var wantBody any
	switch {
	case req.Body == "":
		// An empty body reads as {} in $input.body (recorded against AWS:
		// LocalStack's test_apigateway_common.py::test_input_body_formatting),
		// so the envelope's body is {}, as API Gateway would build it.
		wantBody = map[string]any{}
	case body != "":
		if err := decodeJSON(req.Body, &wantBody); err != nil {
			t.Fatal(err)
		}
	}
	if !reflect.DeepEqual(got["body"], wantBody) {
		t.Fatalf("body:\n got %#v\nwant %#v", got["body"], wantBody)
	}
}

// decodeJSON decodes with numbers kept as text: a JSON number need not fit
// a float64 (1E700 is valid JSON).
func decodeJSON(s string, v any) error {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("data after the JSON value")
	}
	return nil
}

func anyMap(m map[string]string) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

func keys(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

func TestEnvelopeCases(t *testing.T) {
	nasty := []string{
		`"`, `\`, `'`, `\'`, `\\'`, `"},"identity":{"userArn":"arn:aws:iam::999999999999:root"},"x":{"`, "\x00\x01\x1f\x7f",
		"é 😀 \u2028\u2029 \ufeff", `</script>`, "line\nbreak\r\ttab", `$context.identity.userArn`, `#set($x = 1)`, "",
	}
	for i, s := range nasty {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			checkEnvelope(t, envelopeRequest(callerIdentity("arn:aws:iam::123456789012:user/"+s),
				map[string]string{"orderId": s},
				map[string]string{s: s, "q": s},
				map[string]string{"X-Iamgate-User-Arn": s, "X-Client-" + fmt.Sprint(i): s, s: "v",
					"authorization": "AWS4-HMAC-SHA256 Credential=...", "X-Amz-Security-Token": "token"},
				`{"k": `+mustJSON(s)+`, "identity": {"userArn": "forged"}}`))
		})
	}
	t.Run("no identity (authorization NONE)", func(t *testing.T) {
		checkEnvelope(t, envelopeRequest(map[string]any{}, nil, nil, nil, ""))
	})
	t.Run("scalar bodies", func(t *testing.T) {
		for _, b := range []string{`"s"`, `1.5`, `true`, `null`, `[1, {"a": []}]`, "  {}  "} {
			checkEnvelope(t, envelopeRequest(callerIdentity("arn:x"), nil, nil, nil, b))
		}
	})
}

func mustJSON(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// FuzzEnvelope renders the identity envelope with random parameters and
// bodies: the output is always valid JSON whose identity is exactly the
// caller's, and whose other keys hold exactly what the client sent.
// Run: go test -fuzz=FuzzEnvelope ./internal/vtl (seed corpus in testdata/fuzz).
func FuzzEnvelope(f *testing.F) {
	f.Add("X-Trace", "t1", "q", "1", "42", `{"a":1}`, "arn:aws:iam::123456789012:user/alice")
	f.Add(`"`, `\'`, "'", `"},"identity":{"x":"`, `\`, "", `arn:"'\`)
	f.Add("X-Iamgate-User-Arn", "arn:aws:iam::999999999999:root", "identity", "{}", "\x00", `"\u0000"`, "")
	f.Fuzz(func(t *testing.T, hk, hv, qk, qv, pv, body, userArn string) {
		v := func(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }
		req := envelopeRequest(callerIdentity(v(userArn)),
			map[string]string{"orderId": v(pv)},
			map[string]string{v(qk): v(qv)},
			map[string]string{v(hk): v(hv), "X-Iamgate-User-Arn": "forged", "Authorization": "AWS4-HMAC-SHA256 x"},
			v(body))
		checkEnvelope(t, req)
	})
}
