package identityapi

import (
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
)

// Each refusal of Cors gives exactly the message a user sees at synth.
func TestPlanCorsErrors(t *testing.T) {
	ok := jsii.String("https://backend.example.com")
	origins := func(o ...string) *CorsOptions { return &CorsOptions{AllowOrigins: jsii.Strings(o...)} }
	tests := []struct {
		name  string
		cors  *CorsOptions
		route *Route
		want  string
	}{
		{"no origins", &CorsOptions{}, nil,
			`Cors.AllowOrigins: required; list the origins that may call from a browser, e.g. "https://app.example.com", or "*" for any`},
		{"empty origins", origins(), nil,
			`Cors.AllowOrigins: required; list the origins that may call from a browser, e.g. "https://app.example.com", or "*" for any`},
		{"path", origins("https://app.example.com/"), nil,
			`Cors.AllowOrigins[0]: "https://app.example.com/" is not an origin: it has more than scheme, host and port; write scheme://host[:port] (http or https, no path, no trailing "/"), or "*" alone`},
		{"no scheme", origins("app.example.com"), nil,
			`Cors.AllowOrigins[0]: "app.example.com" is not an origin; write scheme://host[:port] (http or https, no path, no trailing "/"), or "*" alone`},
		{"scheme", origins("ftp://app.example.com"), nil,
			`Cors.AllowOrigins[0]: "ftp://app.example.com" has scheme "ftp"; write scheme://host[:port] (http or https, no path, no trailing "/"), or "*" alone`},
		{"empty origin", origins("https://a.example.com", ""), nil,
			`Cors.AllowOrigins[1]: "" is empty; write scheme://host[:port] (http or https, no path, no trailing "/"), or "*" alone`},
		{"upper case", origins("https://App.example.com"), nil,
			`Cors.AllowOrigins[0]: "https://App.example.com" has upper-case letters; browsers send the origin in lower case, and it is compared exactly`},
		{"quote", origins("https://a.example.com'"), nil,
			`Cors.AllowOrigins[0]: "https://a.example.com'" contains a single quote, which no origin has and which would end the quoted value API Gateway answers it in; write scheme://host[:port] (http or https, no path, no trailing "/"), or "*" alone`},
		{"wildcard host", origins("https://*.example.com"), nil,
			`Cors.AllowOrigins[0]: "https://*.example.com" has a wildcard host; a browser sends its one exact origin, never a pattern, so it would match no request: list each origin, or "*" alone for any origin`},
		{"host characters", origins("https://a.example.com&x"), nil,
			`Cors.AllowOrigins[0]: "https://a.example.com&x" has the host "a.example.com&x", which is not one a browser sends (letters, digits, '-', '_' and '.', punycode for other letters, or an [IPv6] address); write scheme://host[:port] (http or https, no path, no trailing "/"), or "*" alone`},
		{"port out of range", origins("https://a.example.com:99999"), nil,
			`Cors.AllowOrigins[0]: "https://a.example.com:99999" has the port "99999"; a port is a number from 1 to 65535; write scheme://host[:port] (http or https, no path, no trailing "/"), or "*" alone`},
		{"default port", origins("https://a.example.com:443"), nil,
			`Cors.AllowOrigins[0]: "https://a.example.com:443" names its scheme's default port, which a browser leaves out of the origin it sends (https://a.example.com), so it would match no request; write it without the port`},
		{"twice", origins("https://a.example.com", "https://a.example.com"), nil,
			`Cors.AllowOrigins[1]: "https://a.example.com" is listed twice`},
		{"star and others", origins("*", "https://a.example.com"), nil,
			`Cors.AllowOrigins: "*" allows every origin, so it must be the only one; remove it or the others`},
		{"empty headers", &CorsOptions{AllowOrigins: jsii.Strings("*"), AllowHeaders: &[]*string{}}, nil,
			`Cors.AllowHeaders: the list is empty; leave it nil for Authorization, Content-Type, X-Amz-Date, X-Amz-Security-Token, X-Amz-Content-Sha256, X-Amz-User-Agent, or list the headers browsers may send`},
		{"bad header", &CorsOptions{AllowOrigins: jsii.Strings("*"), AllowHeaders: jsii.Strings("Authorization", "X Bad")}, nil,
			`Cors.AllowHeaders[1]: "X Bad" is not a header name`},
		{"quoted header", &CorsOptions{AllowOrigins: jsii.Strings("*"), AllowHeaders: jsii.Strings("Authorization", "X-It's")}, nil,
			`Cors.AllowHeaders[1]: "X-It's" contains a single quote, which would end the quoted value API Gateway answers it in; name headers without '`},
		{"empty methods", &CorsOptions{AllowOrigins: jsii.Strings("*"), AllowMethods: &[]*string{}}, nil,
			`Cors.AllowMethods: the list is empty; leave it nil for the methods of each resource's routes`},
		{"bad method", &CorsOptions{AllowOrigins: jsii.Strings("*"), AllowMethods: jsii.Strings("GET", "ANY")}, nil,
			`Cors.AllowMethods[1]: "ANY" is not a method a preflight can ask for; use GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS`},
		{"max age", &CorsOptions{AllowOrigins: jsii.Strings("*"), MaxAge: awscdk.Duration_Millis(jsii.Number(1500))}, nil,
			`Cors.MaxAge: 1.5 s is not a whole number of seconds; Access-Control-Max-Age counts seconds`},
		{"options route", origins("https://a.example.com"), &Route{Method: jsii.String("OPTIONS"), Path: jsii.String("/a"), IdentityEnvelope: jsii.Bool(false)},
			`Routes[1] "OPTIONS /a": Cors answers the OPTIONS preflight of every resource with routes, and a resource has one OPTIONS method; remove this route, or Cors to answer OPTIONS yourself`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			routes := []*Route{get("/a")}
			if tt.route != nil {
				routes = append(routes, tt.route)
			}
			_, probs := plan(&IdentityApiProps{BackendUrl: ok, Cors: tt.cors, Routes: &routes})
			if len(probs.errs) != 1 || probs.errs[0] != tt.want {
				t.Errorf("errors:\n got %q\nwant %q", probs.errs, tt.want)
			}
		})
	}
}

func TestPlanCorsDefaultsAndWarning(t *testing.T) {
	p, probs := plan(&IdentityApiProps{BackendUrl: jsii.String("https://b.example.com"),
		Cors: &CorsOptions{AllowOrigins: jsii.Strings("http://localhost:3000")}})
	if len(probs.errs)+len(probs.warnings) > 0 || p.cors == nil {
		t.Fatalf("problems %q %q", probs.errs, probs.warnings)
	}
	if strings.Join(p.cors.headers, ",") != "Authorization,Content-Type,X-Amz-Date,X-Amz-Security-Token,X-Amz-Content-Sha256,X-Amz-User-Agent" ||
		p.cors.maxAge != DefaultCorsMaxAgeSeconds || p.cors.methods != nil || p.cors.several() {
		t.Errorf("defaults: %+v", p.cors)
	}
	_, probs = plan(&IdentityApiProps{BackendUrl: jsii.String("https://b.example.com"),
		Cors: &CorsOptions{AllowOrigins: jsii.Strings("*"), AllowHeaders: jsii.Strings("authorization", "Content-Type")}})
	want := `Cors.AllowHeaders: leaves out X-Amz-Date, X-Amz-Security-Token, X-Amz-Content-Sha256, which a browser signing with SigV4 sends ("*" does not cover Authorization); its preflight then fails`
	if len(probs.errs) > 0 || len(probs.warnings) != 1 || probs.warnings[0] != want {
		t.Errorf("warnings %q, errors %q; want %q", probs.warnings, probs.errs, want)
	}
	// "*" covers every header but Authorization.
	_, probs = plan(&IdentityApiProps{BackendUrl: jsii.String("https://b.example.com"),
		Cors: &CorsOptions{AllowOrigins: jsii.Strings("*"), AllowHeaders: jsii.Strings("*")}})
	want = `Cors.AllowHeaders: leaves out Authorization, which a browser signing with SigV4 sends ("*" does not cover Authorization); its preflight then fails`
	if len(probs.warnings) != 1 || probs.warnings[0] != want {
		t.Errorf("warnings %q; want %q", probs.warnings, want)
	}
	if _, probs = plan(&IdentityApiProps{BackendUrl: jsii.String("https://b.example.com"),
		Cors: &CorsOptions{AllowOrigins: jsii.Strings("*"), AllowHeaders: jsii.Strings("*", "Authorization")}}); len(probs.warnings) > 0 {
		t.Errorf("warnings %q for * and Authorization", probs.warnings)
	}
	if got := preflightMethods([]string{"GET", "POST", "GET"}); strings.Join(got, ",") != "GET,POST,OPTIONS" {
		t.Errorf("preflightMethods = %v", got)
	}
}

// An origin from an SSM parameter or an import is taken as it is (it is
// known at deploy only), alone or beside literal ones; it was refused as
// "not an origin".
func TestPlanCorsTokenOrigin(t *testing.T) {
	tok := awscdk.Fn_ImportValue(jsii.String("app-origin"))
	for _, origins := range [][]*string{{tok}, {jsii.String("https://a.example.com"), tok}} {
		p, probs := plan(&IdentityApiProps{BackendUrl: jsii.String("https://b.example.com"),
			Cors: &CorsOptions{AllowOrigins: &origins}})
		if len(probs.errs)+len(probs.warnings) > 0 || p.cors == nil {
			t.Fatalf("%d origins: problems %q %q", len(origins), probs.errs, probs.warnings)
		}
		if got := p.cors.origins[len(origins)-1]; got != *tok {
			t.Errorf("origins %q, want the token last", p.cors.origins)
		}
	}
	// So is a header name (it was refused: "is not a header name").
	extra := awscdk.Fn_ImportValue(jsii.String("app-headers"))
	headers := append(DefaultCorsAllowHeaders(), *extra)
	p, probs := plan(&IdentityApiProps{BackendUrl: jsii.String("https://b.example.com"),
		Cors: &CorsOptions{AllowOrigins: jsii.Strings("https://a.example.com"), AllowHeaders: jsii.Strings(headers...)}})
	if len(probs.errs)+len(probs.warnings) > 0 || p.cors == nil || !slices.Equal(p.cors.headers, headers) {
		t.Fatalf("token header: problems %q %q, plan %+v", probs.errs, probs.warnings, p.cors)
	}
}

// Access-Control-Expose-Headers names each header as the client gets it:
// API Gateway renames some mapped response headers (Date reaches the
// client as x-amzn-Remapped-Date) and drops others (Transfer-Encoding);
// the safelisted ones need no exposing.
func TestExposedHeadersAsTheClientGetsThem(t *testing.T) {
	got := exposedHeaders([]string{"method.response.header.ETag", "method.response.header.Date",
		"method.response.header.Transfer-Encoding", "method.response.header.Content-Type", "method.response.header.Retry-After"})
	want := []string{"ETag", "Retry-After", "X-Amzn-Remapped-Date", "x-amzn-RequestId"}
	if !slices.Equal(got, want) {
		t.Errorf("exposedHeaders = %q, want %q", got, want)
	}
}
