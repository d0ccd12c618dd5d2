package templates

import (
	"regexp"
	"strings"
	"testing"

	"github.com/iamgate/iamgate/internal/apigw"
)

// The envelope template is written by hand; these tests keep it in step with
// the field lists that the construct and the gateway read.
func TestEnvelopeCarriesEveryIdentityField(t *testing.T) {
	for _, f := range IdentityFields() {
		want := `#set($v = "$!context.` + f.Source + `")` + "\n    \"" + f.Name() + `": `
		if !strings.Contains(Envelope, want) {
			t.Errorf("envelope.vtl does not write %q from $context.%s; want a line pair like\n%s", f.Name(), f.Source, want)
		}
	}
}

func TestEnvelopeCarriesEveryRequestField(t *testing.T) {
	for _, name := range RequestFields() {
		want := `#set($v = "$!context.` + name + `")` + "\n    \"" + name + `": `
		if !strings.Contains(Envelope, want) {
			t.Errorf("envelope.vtl does not write request field %q", name)
		}
	}
}

// Every value written into a JSON string goes through the escaping idiom;
// a bare $v, $key or $input.params() inside quotes would let a client end the
// string and add keys.
func TestEnvelopeEscapesEveryInterpolatedString(t *testing.T) {
	const escaped = `"$util.escapeJavaScript($v).replaceAll("\\'","'")"`
	for i, line := range strings.Split(Envelope, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "#") { // comments and directives
			continue
		}
		rest := strings.ReplaceAll(line, escaped, "")
		rest = strings.ReplaceAll(rest, `"$util.escapeJavaScript($key).replaceAll("\\'","'")"`, "")
		rest = strings.ReplaceAll(rest, `"$type"`, "") // one of the three fixed names of the #foreach list
		if m := regexp.MustCompile(`"[^"]*\$[^"]*"`).FindString(rest); m != "" {
			t.Errorf("envelope.vtl:%d: %s interpolates a value without the escaping idiom", i+1, m)
		}
	}
	if n := strings.Count(Envelope, escaped); n != len(IdentityFields())+len(RequestFields())+1 {
		t.Errorf("escaped value count = %d, want one per identity field, request field and parameter value (%d)",
			n, len(IdentityFields())+len(RequestFields())+1)
	}
}

// The caller's credentials never reach the backend through the envelope.
func TestEnvelopeLeavesOutCredentials(t *testing.T) {
	for _, h := range []string{`$key.equalsIgnoreCase("authorization")`, `$key.equalsIgnoreCase("x-amz-security-token")`} {
		if !strings.Contains(Envelope, h) {
			t.Errorf("envelope.vtl does not leave out the header tested by %s", h)
		}
	}
}

func TestHeaderFields(t *testing.T) {
	var got []string
	for _, f := range HeaderFields() {
		got = append(got, f.Header(DefaultHeaderPrefix)+"="+f.MappingSource())
	}
	want := []string{
		"X-Iamgate-User-Arn=context.identity.userArn",
		"X-Iamgate-Caller=context.identity.caller",
		"X-Iamgate-User=context.identity.user",
		"X-Iamgate-Account-Id=context.identity.accountId",
		"X-Iamgate-Source-Ip=context.identity.sourceIp",
		"X-Iamgate-Principal-Org-Id=context.identity.principalOrgId",
		"X-Iamgate-Request-Id=context.requestId",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("HeaderFields:\n got %q\nwant %q", got, want)
	}
}

// Every header the construct maps reads a context variable API Gateway
// offers to parameter mappings: one it refuses fails the whole deploy.
func TestHeaderFieldsAreMappingSources(t *testing.T) {
	for _, f := range HeaderFields() {
		if s, err := apigw.ParseSource(f.MappingSource()); err != nil || s.Kind != apigw.Context {
			t.Errorf("%s: %v", f.Header(DefaultHeaderPrefix), err)
		}
	}
}

func TestEnvelopeUnderTemplateLimit(t *testing.T) {
	if len(Envelope) == 0 || len(Envelope) > 300*1024 {
		t.Fatalf("envelope.vtl is %d bytes; want 1 to 300 KB", len(Envelope))
	}
}
