package apimodel

import (
	"strings"
	"testing"
)

func TestLint(t *testing.T) {
	apis, err := Load(golden, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if p := apis[0].Lint(); len(p) != 0 {
		t.Errorf("the golden template has problems: %q", p)
	}
	a := &API{Methods: []*Method{
		{LogicalID: "P", HTTPMethod: "GET", Path: "/p", Authorization: "AWS_IAM", RequestParameters: map[string]bool{"method.request.header.Authorization": false, "method.request.querystring.X-Amz-Signature": false},
			Integration: &Integration{Type: "HTTP_PROXY", RequestTemplates: map[string]string{"application/json": "{}"},
				RequestParameters: map[string]string{
					"integration.request.header.X-A":            "method.request.header.X-Undeclared",
					"integration.request.header.X-Auth":         "method.request.header.Authorization",
					"integration.request.header.X-S":            "prod",
					"integration.request.header.X-Ok":           "'prod'",
					"integration.request.header.content-length": "'5'",
					"integration.request.header.Via":            "'proxy'",
					"integration.request.querystring.sig":       "method.request.querystring.X-Amz-Signature",
				}}},
		{LogicalID: "G", HTTPMethod: "GET", Path: "/g", Authorization: "NONE",
			Integration: &Integration{Type: "HTTP", HTTPMethod: "GET", RequestTemplates: map[string]string{"application/json": "{}"}}},
		{LogicalID: "N", HTTPMethod: "DELETE", Path: "/n", Authorization: "AWS_IAM"},
	}}
	got := strings.Join(a.Lint(), "\n")
	for _, want := range []string{
		"GET /p (P): request templates on an HTTP_PROXY integration are ignored by API Gateway",
		"GET /p (P): integration.request.header.X-A maps from method.request.header.X-Undeclared, which the method does not declare",
		"GET /p (P): integration.request.header.X-Auth maps the Authorization header, which API Gateway consumes on an AWS_IAM method",
		"GET /p (P): integration.request.header.X-S: prod is not a mapping source; static values must be in single quotes ('prod')",
		"GET /g (G): a request template builds a body, but the integration method GET sends none",
		"GET /p (P): integration.request.header.content-length: API Gateway answers 500 Internal server error to every request that maps the content-length header",
		"GET /p (P): integration.request.header.Via: API Gateway does not send a mapped Via header to the backend",
		"GET /p (P): integration.request.querystring.sig maps method.request.querystring.X-Amz-Signature, which carries the caller's credentials",
		`DELETE /n (N): the method has no Integration; API Gateway refuses to deploy the API ("No integration defined for method")`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("Lint lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "X-Ok") {
		t.Errorf("a quoted static value was reported:\n%s", got)
	}
}

// template-without-body: a request template on an integration that sends
// no body is reported, unless the template sets $context.requestOverride
// (headers, query strings, path of the integration request), which API
// Gateway applies whatever the method: the developer guide's example
// overrides a header on the pet store's GET integration this way.
func TestLintTemplateWithoutBody(t *testing.T) {
	for _, tt := range []struct {
		name, typ, method, template string
		want                        bool
	}{
		{"body on GET", "HTTP", "GET", `{"id": "$util.escapeJavaScript($input.params('id'))"}`, true},
		{"body on HEAD", "AWS", "HEAD", `{}`, true},
		{"body on POST", "HTTP", "POST", `{}`, false},
		{"MOCK", "MOCK", "GET", `{"statusCode": 200}`, false},
		{"header override on GET", "HTTP", "GET", "#set($context.requestOverride.header.X-Tenant = $input.params('tenant'))\n", false},
		{"query override, bracket form", "HTTP", "GET", `#set( $context.requestOverride.querystring['filter[0]'] = "x" )`, false},
		{"braced reference", "HTTP", "GET", `#set(${context.requestOverride.path.id} = "1")`, false},
		{"query override with put()", "HTTP", "GET", `$context.requestOverride.querystring.put("limit", "10")`, false},
		{"override only read", "HTTP", "GET", `{"h": "$context.requestOverride.header.X"}`, true},
	} {
		a := &API{Methods: []*Method{{LogicalID: "M", HTTPMethod: "GET", Path: "/m", Authorization: "NONE",
			Integration: &Integration{Type: tt.typ, HTTPMethod: tt.method, RequestTemplates: map[string]string{"application/json": tt.template}}}}}
		got := false
		for _, p := range a.Problems() {
			got = got || p.Rule == "template-without-body"
		}
		if got != tt.want {
			t.Errorf("%s: template-without-body reported %v, want %v", tt.name, got, tt.want)
		}
	}
}

// Each rule's message says how to fix what it names.
func TestLintMessagesSayHowToFix(t *testing.T) {
	a := &API{Methods: []*Method{{LogicalID: "P", HTTPMethod: "POST", Path: "/p", Authorization: "AWS_IAM",
		RequestParameters: map[string]bool{"method.request.header.Authorization": false},
		Integration: &Integration{Type: "HTTP", HTTPMethod: "POST", RequestParameters: map[string]string{
			"integration.request.header.X-A":    "method.request.header.X-Undeclared",
			"integration.request.header.X-Auth": "method.request.header.Authorization",
		}}}}}
	fixes := map[string]string{
		"undeclared-parameter": "declare method.request.header.X-Undeclared in the method's RequestParameters",
		"authorization-header": "remove the mapping",
	}
	seen := map[string]bool{}
	for _, p := range a.Problems() {
		seen[p.Rule] = true
		if want, ok := fixes[p.Rule]; ok && !strings.Contains(p.Message, want) {
			t.Errorf("%s: %q does not say %q", p.Rule, p.Message, want)
		}
	}
	for rule := range fixes {
		if !seen[rule] {
			t.Errorf("%s not reported", rule)
		}
	}
}
