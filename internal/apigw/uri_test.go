package apigw

import (
	"math"
	"net/url"
	"strings"
	"testing"
)

func TestURIPathProblem(t *testing.T) {
	for p, want := range map[string]string{
		"/a/b-c_d.e~f":         "",
		"/a/%20b/$&'()*+,;=:@": "",
		"/a b":                 `has a space, which a URI cannot carry; percent-encode it (%20)`,
		"/a\nb":                `has the control character U+000A, which a URI cannot carry; percent-encode it (%0A)`,
		"/a<b":                 `has the character "<", which a URI cannot carry; percent-encode it (%3C)`,
		"/é":                   `has the character "é", which a URI cannot carry; percent-encode it (%C3%A9)`,
		"/a%zz":                `has a "%" that does not start a %XX escape; write "%25" for a literal "%"`,
		"/a%2":                 `has a "%" that does not start a %XX escape; write "%25" for a literal "%"`,
	} {
		if got := URIPathProblem(p); got != want {
			t.Errorf("URIPathProblem(%q) = %q, want %q", p, got, want)
		}
	}
}

func TestValidPort(t *testing.T) {
	for port, want := range map[string]bool{"1": true, "443": true, "65535": true, "0": false, "65536": false, "99999": false, "": false, "+80": false, "8x": false} {
		if got := ValidPort(port); got != want {
			t.Errorf("ValidPort(%q) = %v, want %v", port, got, want)
		}
	}
}

func TestValidURLPort(t *testing.T) {
	for raw, want := range map[string]bool{"https://a.example.com": true, "https://a.example.com:8443": true,
		"https://a.example.com:": false, "https://a.example.com:0": false, "https://a.example.com:99999": false} {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		if got := ValidURLPort(u); got != want {
			t.Errorf("ValidURLPort(%s) = %v, want %v", raw, got, want)
		}
	}
}

func TestHeaderValueControlChar(t *testing.T) {
	for v, want := range map[string]rune{"a b\tc": 0, "a\nb": '\n', "a\rb": '\r', "\x00": 0, "x\x7f": 0x7f} {
		got, bad := HeaderValueControlChar(v)
		if bad != (want != 0 || v == "\x00") || got != want {
			t.Errorf("HeaderValueControlChar(%q) = %q, %v", v, got, bad)
		}
	}
}

func TestThrottling(t *testing.T) {
	for v, want := range map[float64][2]bool{ // rate, burst
		0: {true, true}, 100: {true, true}, 2.5: {true, false}, -1: {false, false},
		math.NaN(): {false, false}, math.Inf(1): {false, false}, 3e9: {true, false},
	} {
		if got := [2]bool{ValidThrottlingRate(v), ValidThrottlingBurst(v)}; got != want {
			t.Errorf("%v: rate, burst = %v, want %v", v, got, want)
		}
	}
}

func TestWebACLRegion(t *testing.T) {
	for arn, want := range map[string]bool{
		"arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/my-acl_1/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111": false, // upper case
		"arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/my-acl_1/a1b2c3d4-5678-90ab-cdef-0123456789ab": true,
		"arn:aws-cn:wafv2:cn-north-1:111122223333:regional/webacl/acl/a1b2c3d4-5678-90ab-cdef-0123456789ab":  true,
		"arn:aws:wafv2:us-east-1:111122223333:global/webacl/acl/a1b2c3d4-5678-90ab-cdef-0123456789ab":        false,
		"arn:aws:waf-regional:eu-west-1:111122223333:webacl/a1b2c3d4-5678-90ab-cdef-0123456789ab":            false,
		"arn:aws:wafv2:eu-west-1:111122223333:regional/ipset/acl/a1b2c3d4-5678-90ab-cdef-0123456789ab":       false,
		"": false,
	} {
		region, got := WebACLRegion(arn)
		if got != want {
			t.Errorf("WebACLRegion(%q) is a web ACL: %v, want %v", arn, got, want)
		}
		if got && region != arnPart(arn, 3) {
			t.Errorf("WebACLRegion(%q) = %q", arn, region)
		}
	}
}

func TestSourceIsCredential(t *testing.T) {
	for expr, want := range map[string]bool{
		"method.request.header.authorization":                       true,
		"method.request.header.X-Amz-Security-Token":                true,
		"method.request.multivalueheader.x-amz-security-token":      true,
		"method.request.header.X-Amz-Date":                          false,
		"method.request.header.X-Amz-Signature":                     false,
		"method.request.querystring.X-Amz-Signature":                true,
		"method.request.querystring.x-amz-credential":               true,
		"method.request.multivaluequerystring.X-AMZ-SECURITY-TOKEN": true,
		"method.request.querystring.X-Amz-Date":                     false,
		"method.request.querystring.Authorization":                  false,
		"method.request.path.X-Amz-Signature":                       false,
		"context.identity.accessKey":                                false,
	} {
		s, err := ParseSource(expr)
		if err != nil && expr != "context.identity.accessKey" {
			t.Fatalf("%s: %v", expr, err)
		}
		if got := s.IsCredential(); got != want {
			t.Errorf("%s: IsCredential = %v, want %v", expr, got, want)
		}
	}
}

func arnPart(arn string, i int) string { return strings.SplitN(arn, ":", 6)[i] }
