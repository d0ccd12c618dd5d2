package gateway

import (
	"net/http"
	"regexp"
	"strconv"

	"github.com/iamgate/iamgate/internal/apigw"
	"github.com/iamgate/iamgate/internal/vtl"
)

// A MOCK integration (a CORS preflight, say) calls no backend: API Gateway
// renders the request template, whose statusCode is the integration's
// status, then answers through the integration response that status
// selects, with its response parameters (static values) and response
// template, as for any non-proxy integration (response.go).

func isMock(x *Exchange) bool { return x.Route.Integration.Type == "MOCK" }

// mockStatus finds the statusCode of a rendered MOCK request template. API
// Gateway accepts it unquoted ("{ statusCode: 200 }", as aws-cdk-lib's
// MockIntegration writes it) as well as in JSON.
var mockStatus = regexp.MustCompile(`"?statusCode"?\s*:\s*"?([0-9]{3})\b`)

// mock is the integration of a MOCK method: the request template, if any,
// sets the integration status (200 without one); the integration answers
// no header and no body.
func (g *Gateway) mock(x *Exchange) *Error {
	x.IntegrationStatus, x.IntegrationHeader, x.IntegrationBody = 200, http.Header{}, nil
	t, ct, ok := g.requestTemplate(x)
	if !ok {
		t, ok = g.templates[templateKey{x.Route.LogicalID, "application/json"}]
	}
	if !ok {
		return nil
	}
	x.TemplateUsed = ct
	opts := vtl.APIGatewayOptions()
	opts.KeepContext = g.keepsContext[x.Route]
	res, err := vtl.RenderRequest(t, g.templateRequest(x, decodeUTF8(x.Body)), opts)
	if err != nil {
		x.because("mock request template: %v", err)
		return errInternal()
	}
	x.keepTemplateContext(res)
	x.BackendBody = []byte(res.Output)
	if m := mockStatus.FindStringSubmatch(res.Output); m != nil {
		x.IntegrationStatus, _ = strconv.Atoi(m[1])
	}
	return nil
}

// templateRequest is what a template sees of the request: $input.body is
// body, $input.params() the method request's parameters without the
// caller's credentials, in any case: the signature and session token
// headers (apigw.IsCredentialHeader, the names the envelope leaves out);
// the query string's were left out of x.Query (clientQuery). Nothing the
// backend receives can be replayed as the caller. The headers API Gateway
// keeps from templates are missing too (apigw.HiddenFromTemplates), and
// Host, which net/http keeps apart, is there.
func (g *Gateway) templateRequest(x *Exchange, body string) *vtl.Request {
	sc := x.scratchMaps()
	if !sc.params { // the client's request does not change: filled once
		for k, vs := range x.Header {
			if len(vs) > 0 && !apigw.IsCredentialHeader(k) && !apigw.HiddenFromTemplates(k) {
				sc.header[k] = vs[len(vs)-1]
			}
		}
		if x.in.Host != "" { // net/http keeps it out of the header map
			sc.header["Host"] = x.in.Host
		}
		for k, vs := range x.Query {
			if len(vs) > 0 {
				sc.query[k] = vs[len(vs)-1]
			}
		}
		sc.params = true
	}
	// No stage variables: the local stage has none ($stageVariables is
	// then an empty map).
	return &vtl.Request{Body: body, Path: x.PathParams, Query: sc.query, Header: sc.header, Context: x.Context}
}
