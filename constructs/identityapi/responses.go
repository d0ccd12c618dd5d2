package identityapi

import (
	"fmt"
	"net/textproto"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/jsii-runtime-go"

	"github.com/iamgate/iamgate/internal/apigw"
)

// passedStatusCodes are the backend status codes that reach the client
// unchanged. Another 4xx answers 400, another 5xx answers 500, and anything
// else (other 2xx, 1xx, 304 and the other 3xx) answers 200 through the
// default response.
var passedStatusCodes = []int{200, 201, 202, 204, 301, 302, 303, 307, 308, 400, 401, 403, 404, 409, 422, 429, 500, 502, 503, 504}

// PassedStatusCodes returns the backend status codes that reach the client
// unchanged; see the package documentation.
func PassedStatusCodes() []int { return append([]int(nil), passedStatusCodes...) }

// The backend response headers that reach the client, and on which status
// codes. Each header on each status costs a mapping in the integration
// response and a declaration in the method response (about 125 bytes of
// template per method), so a header is passed where it means something:
//
//   - Content-Type on every status (the body passes as it is);
//   - Location on 201, 202 and the redirects (3xx);
//   - ETag on 200, 201 and 204 (what conditional requests and writes use);
//   - Cache-Control on 200 and the redirects (what caches store; the
//     answers to writes are not stored);
//   - Retry-After on 429 and 503.
//
// IdentityApiProps.ResponseHeaders adds headers passed on every status.
func responseHeadersFor(status int) []string {
	h := []string{"Content-Type"}
	switch {
	case status == 201 || status == 202 || status/100 == 3:
		h = append(h, "Location")
	}
	if status == 200 || status == 201 || status == 204 {
		h = append(h, "ETag")
	}
	if status == 200 || status/100 == 3 {
		h = append(h, "Cache-Control")
	}
	if status == 429 || status == 503 {
		h = append(h, "Retry-After")
	}
	return h
}

// DefaultResponseHeaders returns every header some status code passes
// without configuration: Content-Type, Location, ETag, Cache-Control and
// Retry-After (responseHeadersFor says on which codes).
func DefaultResponseHeaders() []string {
	return []string{"Content-Type", "Location", "ETag", "Cache-Control", "Retry-After"}
}

// responseRule is one integration response: the backend status codes it
// selects (a regex; "" for the default) and the status the client gets.
type responseRule struct {
	pattern string
	status  int
}

// responseRules lists the integration responses of every method for the
// passed codes (which hold 200, 400 and 500). No two patterns match the
// same status code, so API Gateway's choice never depends on their order.
// The 400 and 500 responses also select the 4xx and 5xx codes that are not
// passed (one integration response each instead of two).
func responseRules(codes []int) []responseRule {
	var rules []responseRule
	for _, c := range codes {
		switch c {
		case 200:
			continue // the default response answers 200
		case 400, 500:
			others := slices.DeleteFunc(slices.Clone(codes), func(x int) bool { return x == c })
			rules = append(rules, responseRule{otherCodesPattern(c/100, others), c})
		default:
			rules = append(rules, responseRule{strconv.Itoa(c), c})
		}
	}
	return append(rules, responseRule{"", 200})
}

// responseHeaderList merges the headers passed on a status with the
// configured ones, once each (in any case), in order.
func responseHeaderList(status int, extra []string) []string {
	var out []string
	for _, h := range append(responseHeadersFor(status), extra...) {
		if !slices.ContainsFunc(out, func(o string) bool { return strings.EqualFold(o, h) }) {
			out = append(out, h)
		}
	}
	return out
}

// statusCodes returns the codes a method passes: IdentityApiProps'
// PassedStatusCodes (or passedStatusCodes), with 200, 400 and 500, which
// the default response and the 4xx and 5xx catch-alls answer, sorted and
// once each.
func statusCodes(p *[]*float64) []int {
	if p == nil {
		return slices.Clone(passedStatusCodes)
	}
	out := []int{200, 400, 500}
	for _, c := range *p {
		if c != nil && !slices.Contains(out, int(*c)) {
			out = append(out, int(*c))
		}
	}
	slices.Sort(out)
	return out
}

// checkStatusCodes validates IdentityApiProps.PassedStatusCodes: each a
// status code from 100 to 599, a whole number, given once.
func checkStatusCodes(p *[]*float64) []string {
	if p == nil {
		return nil
	}
	var errs []string
	seen := map[float64]bool{}
	for i, c := range *p {
		field := fmt.Sprintf("PassedStatusCodes[%d]", i)
		switch {
		case c == nil || *c != float64(int(*c)) || *c < 100 || *c > 599:
			v := "nil"
			if c != nil {
				v = strconv.FormatFloat(*c, 'g', -1, 64)
			}
			errs = append(errs, fmt.Sprintf("%s: %s is not an HTTP status code (100 to 599)", field, v))
		case seen[*c]:
			errs = append(errs, fmt.Sprintf("%s: %v is listed twice", field, *c))
		}
		if c != nil {
			seen[*c] = true
		}
	}
	return errs
}

// checkResponseHeaders validates IdentityApiProps.ResponseHeaders: each a
// header name API Gateway accepts in a method.response.header.NAME
// parameter, given once; a name API Gateway drops or renames on the way
// to the client (apigw.ClientResponseHeader) is a warning. valid are the
// names that pass, which the methods
// are built with (a token would fail the synth before the errors are
// reported).
func checkResponseHeaders(names *[]*string) (valid, errs, warnings []string) {
	if names == nil {
		return nil, nil, nil
	}
	seen := map[string]bool{}
	for i, p := range *names {
		field := fmt.Sprintf("ResponseHeaders[%d]", i)
		if p == nil {
			errs = append(errs, fmt.Sprintf("%s: nil; name a backend response header, or remove the entry", field))
			continue
		}
		n := *p
		switch {
		case isToken(n):
			// The CDK would fail the synth on it (KeyMustResolveToString),
			// naming no field.
			errs = append(errs, fmt.Sprintf("%s: %q is a token; a header name is a key of the method and integration responses' ResponseParameters (method.response.header.NAME), which CloudFormation takes as literal strings only: give a literal name", field, n))
		case !apigw.ValidParamName(n):
			errs = append(errs, fmt.Sprintf("%s: %q is not a header name API Gateway accepts (letters, digits and . _ $ -)", field, n))
		case seen[strings.ToLower(n)]:
			errs = append(errs, fmt.Sprintf("%s: %q is listed twice", field, n))
		default:
			valid = append(valid, n)
			// Mapped, it still does not reach the client as named.
			switch client, sent := apigw.ClientResponseHeader(n); {
			case !sent:
				warnings = append(warnings, fmt.Sprintf("%s: API Gateway drops a mapped %s header: the client never gets it; leave it out", field, n))
			case client != textproto.CanonicalMIMEHeaderKey(n):
				warnings = append(warnings, fmt.Sprintf("%s: API Gateway does not pass a mapped %s header as it is: the client gets it as %s; leave it out, or have the backend answer it under another name", field, n, client))
			}
		}
		seen[strings.ToLower(n)] = true
	}
	return valid, errs, warnings
}

// otherCodesPattern is a regex that matches exactly the three-digit codes of
// the class (4 for 4xx) that are not in listed, e.g. "4([13-9]\d|0[25-8])".
func otherCodesPattern(class int, listed []int) string {
	var full []int
	var partial []string
	for tens := 0; tens < 10; tens++ {
		var units []int
		for u := 0; u < 10; u++ {
			if !slices.Contains(listed, class*100+tens*10+u) {
				units = append(units, u)
			}
		}
		switch len(units) {
		case 0:
		case 10:
			full = append(full, tens)
		default:
			partial = append(partial, fmt.Sprintf("%d%s", tens, digitClass(units)))
		}
	}
	var alts []string
	if len(full) > 0 {
		alts = append(alts, digitClass(full)+`\d`)
	}
	alts = append(alts, partial...)
	switch len(alts) {
	case 0:
		return ""
	case 1:
		return fmt.Sprintf("%d%s", class, alts[0])
	}
	return fmt.Sprintf("%d(%s)", class, strings.Join(alts, "|"))
}

// digitClass writes sorted digits as a regex: "5", "[25-8]", or `\d`.
func digitClass(d []int) string {
	if len(d) == 10 {
		return `\d`
	}
	if len(d) == 1 {
		return strconv.Itoa(d[0])
	}
	var b strings.Builder
	b.WriteByte('[')
	for i := 0; i < len(d); {
		j := i
		for j+1 < len(d) && d[j+1] == d[j]+1 {
			j++
		}
		switch {
		case j-i >= 2:
			fmt.Fprintf(&b, "%d-%d", d[i], d[j])
		case j-i == 1:
			fmt.Fprintf(&b, "%d%d", d[i], d[j])
		default:
			fmt.Fprintf(&b, "%d", d[i])
		}
		i = j + 1
	}
	b.WriteByte(']')
	return b.String()
}

// passThroughResponses returns the integration responses and method
// responses that hand the backend's status, body and headers to the client
// (responseRules, responseHeaderList).
func passThroughResponses(codes []int, extra []string) (*[]*awsapigateway.IntegrationResponse, *[]*awsapigateway.MethodResponse) {
	var intResponses []*awsapigateway.IntegrationResponse
	for _, rule := range responseRules(codes) {
		params := map[string]*string{}
		for _, h := range responseHeaderList(rule.status, extra) {
			params["method.response.header."+h] = jsii.String("integration.response.header." + h)
		}
		ir := &awsapigateway.IntegrationResponse{
			StatusCode:         jsii.String(strconv.Itoa(rule.status)),
			ResponseParameters: &params,
		}
		if rule.pattern != "" {
			ir.SelectionPattern = jsii.String(rule.pattern)
		}
		intResponses = append(intResponses, ir)
	}
	var methodResponses []*awsapigateway.MethodResponse
	for _, code := range codes {
		params := map[string]*bool{}
		for _, h := range responseHeaderList(code, extra) {
			params["method.response.header."+h] = jsii.Bool(true)
		}
		methodResponses = append(methodResponses, &awsapigateway.MethodResponse{
			StatusCode:         jsii.String(strconv.Itoa(code)),
			ResponseParameters: &params,
		})
	}
	return &intResponses, &methodResponses
}
