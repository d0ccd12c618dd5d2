package templates

import (
	"regexp"
	"strings"
	"testing"

	"github.com/iamgate/iamgate/internal/apigw"
)

// The envelope template is written by hand; these tests keep it in step with
// the field lists that the construct and the gateway read. Each field is one
// [name, value] pair of the list the envelope's loop writes.
func TestEnvelopeCarriesEveryIdentityField(t *testing.T) {
	for _, f := range IdentityFields() {
		want := `["` + f.Name() + `", $context.` + f.Source + `]`
		if !strings.Contains(Envelope, want) {
			t.Errorf("envelope.vtl does not write %q from $context.%s; want a pair like\n%s", f.Name(), f.Source, want)
		}
	}
}

func TestEnvelopeCarriesEveryRequestField(t *testing.T) {
	for _, name := range RequestFields() {
		want := `["` + name + `", $context.` + name + `]`
		if !strings.Contains(Envelope, want) {
			t.Errorf("envelope.vtl does not write request field %q", name)
		}
	}
}

// fieldPair is a line of the envelope's field list: the name, and the
// context variable whose value the loop then escapes.
var fieldPair = regexp.MustCompile(`^\s*\["[A-Za-z]+", \$context\.[A-Za-z.]+\],?$`)

// Every value written into a JSON string goes through the escaping idiom;
// a bare $v, $key or $input.params() inside quotes would let a client end the
// string and add keys.
func TestEnvelopeEscapesEveryInterpolatedString(t *testing.T) {
	const escaped = `"$util.escapeJavaScript($v).replaceAll("\\'","'")"`
	pairs := 0
	for i, line := range strings.Split(Envelope, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "#") { // comments and directives
			continue
		}
		if fieldPair.MatchString(line) { // an argument of the #set of the field list
			pairs++
			continue
		}
		rest := strings.ReplaceAll(line, escaped, "")
		rest = strings.ReplaceAll(rest, `"$util.escapeJavaScript($key).replaceAll("\\'","'")"`, "")
		// The fixed names of the #foreach lists: the sections, the fields, the parameter types.
		for _, name := range []string{`"$type"`, `"$section.get(0)"`, `"$f.get(0)"`} {
			rest = strings.ReplaceAll(rest, name, "")
		}
		if m := regexp.MustCompile(`"[^"]*\$[^"]*"`).FindString(rest); m != "" {
			t.Errorf("envelope.vtl:%d: %s interpolates a value without the escaping idiom", i+1, m)
		}
	}
	if pairs != len(IdentityFields())+len(RequestFields()) {
		t.Errorf("field pairs = %d, want one per identity field and request field (%d)", pairs, len(IdentityFields())+len(RequestFields()))
	}
	// One idiom writes every field value, one every parameter value.
	if n := strings.Count(Envelope, escaped); n != 2 {
		t.Errorf("escaped value count = %d, want 2 (the field loop and the parameter loop)", n)
	}
}

// The caller's credentials never reach the backend through the envelope:
// params.header and params.querystring leave out the names of internal/apigw,
// compared in any case.
func TestEnvelopeLeavesOutCredentials(t *testing.T) {
	list := func(names []string) string {
		var q []string
		for _, n := range names {
			q = append(q, `"`+strings.ToLower(n)+`"`)
		}
		return "[" + strings.Join(q, ", ") + "]"
	}
	for _, want := range []string{
		`["header", ` + list(apigw.CredentialHeaders()) + `]`,
		`["querystring", ` + list(apigw.CredentialQueryParameters()) + `]`,
		`#foreach($name in $p.get(1))#if($key.equalsIgnoreCase($name))#set($drop = true)#end#end`,
	} {
		if !strings.Contains(Envelope, want) {
			t.Errorf("envelope.vtl lacks %s", want)
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
