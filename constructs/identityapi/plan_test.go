package identityapi

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscertificatemanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53"
	"github.com/aws/jsii-runtime-go"
)

func get(path string) *Route { return &Route{Method: jsii.String("GET"), Path: jsii.String(path)} }

func with(r *Route, f func(*Route)) *Route { f(r); return r }

func hdr(from, to string) *[]*Mapping {
	m := &Mapping{From: jsii.String(from)}
	if to != "" {
		m.To = jsii.String(to)
	}
	return &[]*Mapping{m}
}

// Each misconfiguration gives exactly the message a user sees at synth.
func TestPlanErrors(t *testing.T) {
	ok := jsii.String("https://backend.example.com")
	tests := []struct {
		name  string
		props *IdentityApiProps
		want  string
	}{
		{"backend required", &IdentityApiProps{},
			`BackendUrl: required; give the absolute http(s) URL of the backend, e.g. "https://api.example.com"`},
		{"backend relative", &IdentityApiProps{BackendUrl: jsii.String("/orders")},
			`BackendUrl: "/orders" is not an absolute URL; write it with scheme and host, e.g. "https://api.example.com"`},
		{"backend scheme", &IdentityApiProps{BackendUrl: jsii.String("ftp://files.example.com")},
			`BackendUrl: "ftp://files.example.com" has scheme "ftp"; an HTTP integration needs http or https`},
		{"backend unparsable", &IdentityApiProps{BackendUrl: jsii.String("https://exa mple.com:x")},
			`BackendUrl: "https://exa mple.com:x" cannot be parsed: parse "https://exa mple.com:x": invalid port ":x" after host`},
		{"backend query", &IdentityApiProps{BackendUrl: jsii.String("https://a.example.com/?k=v")},
			`BackendUrl: "https://a.example.com/?k=v" carries a query string or fragment; map query strings per route with QueryStrings`},
		{"backend bare query", &IdentityApiProps{BackendUrl: jsii.String("https://x.example.com/a?")},
			`BackendUrl: "https://x.example.com/a?" carries a query string or fragment; map query strings per route with QueryStrings`},
		{"backend bare fragment", &IdentityApiProps{BackendUrl: jsii.String("https://x.example.com/a#")},
			`BackendUrl: "https://x.example.com/a#" carries a query string or fragment; map query strings per route with QueryStrings`},
		{"backend space", &IdentityApiProps{BackendUrl: jsii.String("https://x.example.com/a b")},
			`BackendUrl: "https://x.example.com/a b" has a space, which a URI cannot carry; percent-encode it (%20)`},
		{"backend token space", &IdentityApiProps{BackendUrl: jsii.String(*awscdk.Fn_ImportValue(jsii.String("orders-url")) + "/a b")},
			`BackendUrl: "${Token[TOKEN.*]}/a b" has a space, which a URI cannot carry; percent-encode it (%20)`},
		{"backend port", &IdentityApiProps{BackendUrl: jsii.String("https://x.example.com:99999")},
			`BackendUrl: "https://x.example.com:99999" has the port "99999"; a port is a number from 1 to 65535, or leave it out for the scheme's (443, 80)`},
		{"backend port zero", &IdentityApiProps{BackendUrl: jsii.String("https://x.example.com:0/v1")},
			`BackendUrl: "https://x.example.com:0/v1" has the port "0"; a port is a number from 1 to 65535, or leave it out for the scheme's (443, 80)`},
		{"backend port empty", &IdentityApiProps{BackendUrl: jsii.String("https://x.example.com:/v1")},
			`BackendUrl: "https://x.example.com:/v1" has the port ""; a port is a number from 1 to 65535, or leave it out for the scheme's (443, 80)`},
		{"api timeout fraction", &IdentityApiProps{BackendUrl: ok, Timeout: awscdk.Duration_Millis(jsii.Number(50.5))},
			`Timeout: 50.5 ms is not a whole number of milliseconds; API Gateway's integration timeout counts whole milliseconds (e.g. awscdk.Duration_Millis(jsii.Number(51)))`},
		{"throttling rate negative", &IdentityApiProps{BackendUrl: ok, ThrottlingRateLimit: jsii.Number(-1)},
			`ThrottlingRateLimit: -1 is not a rate; give the stage's steady-state requests per second, 0 or more (default 100)`},
		{"throttling burst negative", &IdentityApiProps{BackendUrl: ok, ThrottlingBurstLimit: jsii.Number(-5)},
			`ThrottlingBurstLimit: -5 is not a whole number of requests, 0 or more; give the stage's burst (default 200)`},
		{"throttling burst fraction", &IdentityApiProps{BackendUrl: ok, ThrottlingBurstLimit: jsii.Number(2.5)},
			`ThrottlingBurstLimit: 2.5 is not a whole number of requests, 0 or more; give the stage's burst (default 200)`},
		{"rest api name empty", &IdentityApiProps{BackendUrl: ok, RestApiName: jsii.String("")},
			`RestApiName: empty; give the REST API's name, or leave RestApiName nil for the construct's id`},
		{"web acl not wafv2", &IdentityApiProps{BackendUrl: ok, WebAclArn: jsii.String("arn:aws:waf-regional:eu-west-1:111122223333:webacl/" + aclID)},
			`WebAclArn: "arn:aws:waf-regional:eu-west-1:111122223333:webacl/` + aclID + `" is not the ARN of a WAFv2 web ACL of REGIONAL scope (arn:aws:wafv2:REGION:ACCOUNT:regional/webacl/NAME/ID); a stage takes a regional web ACL (not a CLOUDFRONT one, global/webacl, nor WAF Classic); leave WebAclArn nil for none`},
		{"web acl global", &IdentityApiProps{BackendUrl: ok, WebAclArn: jsii.String("arn:aws:wafv2:us-east-1:111122223333:global/webacl/acl/" + aclID)},
			`WebAclArn: "arn:aws:wafv2:us-east-1:111122223333:global/webacl/acl/` + aclID + `" is not the ARN of a WAFv2 web ACL of REGIONAL scope (arn:aws:wafv2:REGION:ACCOUNT:regional/webacl/NAME/ID); a stage takes a regional web ACL (not a CLOUDFRONT one, global/webacl, nor WAF Classic); leave WebAclArn nil for none`},
		{"web acl empty", &IdentityApiProps{BackendUrl: ok, WebAclArn: jsii.String("")},
			`WebAclArn: "" is not the ARN of a WAFv2 web ACL of REGIONAL scope (arn:aws:wafv2:REGION:ACCOUNT:regional/webacl/NAME/ID); a stage takes a regional web ACL (not a CLOUDFRONT one, global/webacl, nor WAF Classic); leave WebAclArn nil for none`},
		{"stage name", &IdentityApiProps{BackendUrl: ok, StageName: jsii.String("prod stage")},
			`StageName: "prod stage" is not a valid stage name; use 1 to 128 letters, digits, '-' or '_'`},
		// The CDK failed the synth on these, naming no field
		// (KeyMustResolveToString; ID components may not include
		// unresolved tokens).
		{"header prefix token", &IdentityApiProps{BackendUrl: ok, HeaderPrefix: awscdk.Fn_ImportValue(jsii.String("prefix"))},
			`HeaderPrefix: "${Token[TOKEN.*]}" is a token; the identity headers' names are keys of each method's RequestParameters (integration.request.header.NAME), which CloudFormation takes as literal strings only: give a literal prefix (e.g. "X-Iamgate-")`},
		{"domain base path token", &IdentityApiProps{BackendUrl: ok, Domain: &DomainProps{Name: jsii.String("api.example.com"), CertificateArn: jsii.String(certArn), BasePath: awscdk.Fn_ImportValue(jsii.String("base"))}},
			`Domain.BasePath: "${Token[TOKEN.*]}" is a token; the base path decides at synth which mapping is made (one segment: AWS::ApiGateway::BasePathMapping, several: AWS::ApiGatewayV2::ApiMapping) and is part of its construct id: give a literal base path, or "" for the root`},
		// A nil entry was dropped, and the entries after it named by
		// the wrong index.
		// The CDK failed the synth on it before the construct's
		// validation reported anything (KeyMustResolveToString).
		{"response header token", &IdentityApiProps{BackendUrl: ok, ResponseHeaders: &[]*string{awscdk.Fn_ImportValue(jsii.String("header"))}},
			`ResponseHeaders[0]: "${Token[TOKEN.*]}" is a token; a header name is a key of the method and integration responses' ResponseParameters (method.response.header.NAME), which CloudFormation takes as literal strings only: give a literal name`},
		// Refused as bad names, showing the token's text.
		{"route method token", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{{Method: awscdk.Fn_ImportValue(jsii.String("m")), Path: jsii.String("/a")}}},
			`Routes[0]: Method "${Token[TOKEN.*]}" is a token; a route's method, path and backend method are decided at synth (they make the API's resources, methods and construct ids): give literal ones`},
		{"route path token", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{get("/" + *awscdk.Fn_ImportValue(jsii.String("p")))}},
			`Routes[0]: Path "/${Token[TOKEN.*]}" is a token; a route's method, path and backend method are decided at synth (they make the API's resources, methods and construct ids): give literal ones`},
		{"mapping from token", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{with(get("/a"), func(r *Route) { r.Headers = hdr(*awscdk.Fn_ImportValue(jsii.String("h")), "") })}},
			`Routes[0] "GET /a": Headers[0]: a token in From or To; parameter names are keys of the method's RequestParameters, which CloudFormation takes as literal strings only: give literal names`},
		// Accepted, and dropped by API Gateway at invoke time (the
		// post-synth check's header-mapping-dropped found it, when
		// registered).
		{"static header via", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{with(get("/a"), func(r *Route) { r.StaticHeaders = &map[string]*string{"Via": jsii.String("iamgate")} })}},
			`Routes[0] "GET /a": StaticHeaders["Via"]: Via is a header API Gateway does not send to the backend when a mapping sets it; map to another name`},
		{"mapping to via", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{with(get("/a"), func(r *Route) { r.Headers = hdr("X-Proxy", "via") })}},
			`Routes[0] "GET /a": Headers[0].To: via is a header API Gateway does not send to the backend when a mapping sets it; map to another name`},
		{"response header nil", &IdentityApiProps{BackendUrl: ok, ResponseHeaders: &[]*string{nil, jsii.String("X-Total-Count")}},
			`ResponseHeaders[0]: nil; name a backend response header, or remove the entry`},
		{"header prefix", &IdentityApiProps{BackendUrl: ok, HeaderPrefix: jsii.String("X-Caller")},
			`HeaderPrefix: "X-Caller" is not a header name prefix; use letters, digits and '-', ending with '-' (e.g. "X-Iamgate-")`},
		{"header prefix reserved", &IdentityApiProps{BackendUrl: ok, HeaderPrefix: jsii.String("X-Amzn-Caller-")},
			`HeaderPrefix: "X-Amzn-Caller-" starts with X-Amzn-, which API Gateway reserves; choose another prefix`},
		{"api timeout edge", &IdentityApiProps{BackendUrl: ok, EndpointType: awsapigateway.EndpointType_EDGE, Timeout: awscdk.Duration_Seconds(jsii.Number(30))},
			`Timeout: 30000 ms is above 29 s, the most an EDGE (edge-optimized) API allows; use at most 29 s, or EndpointType REGIONAL or PRIVATE with a raised quota`},
		{"api timeout short", &IdentityApiProps{BackendUrl: ok, Timeout: awscdk.Duration_Millis(jsii.Number(20))},
			`Timeout: 20 ms is below API Gateway's minimum integration timeout of 50 ms`},
		{"routes per stack zero", &IdentityApiProps{BackendUrl: ok, RoutesPerStack: jsii.Number(0)},
			`RoutesPerStack: 0 is not a whole number from 1 to 1000; give how many routes each stack holds (default 50)`},
		{"routes per stack fraction", &IdentityApiProps{BackendUrl: ok, RoutesPerStack: jsii.Number(2.5)},
			`RoutesPerStack: 2.5 is not a whole number from 1 to 1000; give how many routes each stack holds (default 50)`},
		{"backend token query", &IdentityApiProps{BackendUrl: jsii.String(*awscdk.Fn_ImportValue(jsii.String("orders-url")) + "/v1?k=v")},
			`BackendUrl: "${Token[TOKEN.*]}/v1?k=v" carries a query string or fragment; map query strings per route with QueryStrings`},
		{"backend token scheme", &IdentityApiProps{BackendUrl: jsii.String("ftp://" + *awscdk.Fn_ImportValue(jsii.String("host")))},
			`BackendUrl: "ftp://${Token[TOKEN.*]}" has scheme "ftp"; an HTTP integration needs http or https`},
		{"endpoint type", &IdentityApiProps{BackendUrl: ok, EndpointType: "PUBLIC"},
			`EndpointType: "PUBLIC" is not a REST API endpoint type; use REGIONAL (the default), PRIVATE or EDGE`},
		{"private without vpce", &IdentityApiProps{BackendUrl: ok, EndpointType: awsapigateway.EndpointType_PRIVATE},
			`AllowedVpcEndpointIds: required with EndpointType PRIVATE: API Gateway refuses to deploy a private API without a resource policy, and only the VPC endpoints it allows can reach it; list them ("vpce-...")`},
		{"vpce on regional", &IdentityApiProps{BackendUrl: ok, AllowedVpcEndpointIds: jsii.Strings("vpce-0123456789abcdef0")},
			`AllowedVpcEndpointIds: aws:SourceVpce is present only on requests to a PRIVATE API, so on a REGIONAL API the policy would refuse every caller; set EndpointType to PRIVATE or remove AllowedVpcEndpointIds`},
		{"org id", &IdentityApiProps{BackendUrl: ok, AllowedPrincipalOrgIds: jsii.Strings("o-abcdefghij", "org-1")},
			`AllowedPrincipalOrgIds[1]: "org-1" is not an AWS Organizations id (o- and 10 to 32 lower-case letters or digits)`},
		{"account id", &IdentityApiProps{BackendUrl: ok, AllowedAccountIds: jsii.Strings("1234")},
			`AllowedAccountIds[0]: "1234" is not an AWS account id (12 digits)`},
		{"account ids empty", &IdentityApiProps{BackendUrl: ok, AllowedAccountIds: &[]*string{}},
			`AllowedAccountIds: the list is empty; give at least one id, or leave it nil for no restriction`},
		{"two links", &IdentityApiProps{BackendUrl: ok, VpcLink: awsapigateway.VpcLink_FromVpcLinkId(awscdk.NewStack(nil, nil, nil), jsii.String("L"), jsii.String("abc123")),
			VpcLinkV2Id: jsii.String("a1b2c3"), IntegrationTarget: jsii.String(albArn)},
			`VpcLink and VpcLinkV2Id: give one way to reach the backend; they are different VPC links`},
		{"v2 without target", &IdentityApiProps{BackendUrl: ok, VpcLinkV2Id: jsii.String("a1b2c3")},
			`VpcLinkV2Id: given without IntegrationTarget; a VPC link v2 integration names its ALB or listener: give its ARN in IntegrationTarget`},
		{"target without v2", &IdentityApiProps{BackendUrl: ok, IntegrationTarget: jsii.String(albArn)},
			`IntegrationTarget: given without VpcLinkV2Id; it names the ALB a VPC link v2 reaches: give the link's id in VpcLinkV2Id`},
		{"target not alb", &IdentityApiProps{BackendUrl: ok, VpcLinkV2Id: jsii.String("a1b2c3"), IntegrationTarget: jsii.String(nlbArn)},
			`IntegrationTarget: "` + nlbArn + `" is not the ARN of an Application Load Balancer or of its listener (arn:aws:elasticloadbalancing:REGION:ACCOUNT:loadbalancer/app/NAME/ID or listener/app/NAME/ID/ID)`},
		{"v2 id", &IdentityApiProps{BackendUrl: ok, VpcLinkV2Id: jsii.String("Link 1"), IntegrationTarget: jsii.String(albArn)},
			`VpcLinkV2Id: "Link 1" is not a VPC link id (lower-case letters and digits, e.g. "a1b2c3")`},
		{"nlb not nlb", &IdentityApiProps{BackendUrl: ok, NetworkLoadBalancer: awselasticloadbalancingv2.NetworkLoadBalancer_FromNetworkLoadBalancerAttributes(
			awscdk.NewStack(nil, nil, nil), jsii.String("Nlb"), &awselasticloadbalancingv2.NetworkLoadBalancerAttributes{LoadBalancerArn: jsii.String(albArn)})},
			`NetworkLoadBalancer: "` + albArn + `" is not the ARN of a Network Load Balancer (arn:aws:elasticloadbalancing:REGION:ACCOUNT:loadbalancer/net/NAME/ID); a REST API VPC link targets NLBs only; reach an ALB with VpcLinkV2Id and IntegrationTarget`},
		{"identity headers on NONE", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{with(get("/a"), func(r *Route) {
			r.Authorization = AuthorizationNone
			r.IdentityHeaders = jsii.Bool(true)
		})}},
			`Routes[0] "GET /a": IdentityHeaders is true on an AuthorizationNone route: there is no verified caller, so the headers would carry empty values a backend could take for an identity; leave IdentityHeaders unset (off on NONE routes) or make the route IAM`},
		{"empty routes", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{}},
			`Routes: the list is empty; give at least one route, or leave Routes nil for GET /{proxy+}`},
		{"method", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{{Method: jsii.String("FETCH"), Path: jsii.String("/a")}}},
			`Routes[0] "FETCH /a": Method "FETCH" is not an HTTP method API Gateway accepts; use GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS or ANY`},
		{"path required", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{{Method: jsii.String("GET")}}},
			`Routes[0] "GET ": Path is required, e.g. "/orders/{orderId}"`},
		{"path slash", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{get("orders")}},
			`Routes[0] "GET orders": Path "orders" must start with "/"`},
		{"path empty segment", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{get("/orders/")}},
			`Routes[0] "GET /orders/": Path "/orders/" has an empty segment; remove the doubled or trailing "/"`},
		{"path bad segment", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{get("/orders/{id")}},
			`Routes[0] "GET /orders/{id": Path "/orders/{id": segment "{id" is neither a name (letters, digits, . _ -) nor a {parameter}`},
		{"greedy not last", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{get("/{proxy+}/x")}},
			`Routes[0] "GET /{proxy+}/x": Path "/{proxy+}/x": the greedy parameter {proxy+} must be the last segment`},
		{"param twice", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{get("/a/{id}/b/{id}")}},
			`Routes[0] "GET /a/{id}/b/{id}": Path "/a/{id}/b/{id}" declares {id} twice`},
		{"duplicate route", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{get("/a"), {Method: jsii.String("get"), Path: jsii.String("/a")}}},
			`Routes[1] "GET /a": duplicate of Routes[0]; each method and path may appear once`},
		{"sibling params", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{get("/orders/{id}"), get("/orders/{orderId}/items")}},
			`Routes[1] "GET /orders/{orderId}/items": {id} and {orderId} are both path parameters under "/orders"; API Gateway allows one, so use the same name in every route`},
		{"authorization", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{with(get("/a"), func(r *Route) { r.Authorization = "COGNITO_USER_POOLS" })}},
			`Routes[0] "GET /a": Authorization "COGNITO_USER_POOLS" is not supported by IdentityApi; use identityapi.AuthorizationIam (the default) or identityapi.AuthorizationNone`},
		{"envelope on GET backend", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{with(get("/a"), func(r *Route) { r.BackendMethod = jsii.String("GET") })}},
			`Routes[0] "GET /a": BackendMethod GET cannot carry the identity envelope: API Gateway sends no body with GET; leave BackendMethod unset (GET is converted to POST) or set IdentityEnvelope to false`},
		{"backend method", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{with(get("/a"), func(r *Route) { r.BackendMethod = jsii.String("ANY") })}},
			`Routes[0] "GET /a": BackendMethod "ANY" is not an HTTP method; use GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS`},
		{"backend path param", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{with(get("/a/{id}"), func(r *Route) { r.BackendPath = jsii.String("/b/{key}") })}},
			`Routes[0] "GET /a/{id}": BackendPath "/b/{key}" uses {key}, which Path does not declare; path parameters: {id}`},
		{"backend path slash", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{with(get("/a"), func(r *Route) { r.BackendPath = jsii.String("b") })}},
			`Routes[0] "GET /a": BackendPath "b" must start with "/"`},
		{"authorization header", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{with(get("/a"), func(r *Route) { r.Headers = hdr("authorization", "X-Auth") })}},
			`Routes[0] "GET /a": Headers[0] maps the Authorization header, which API Gateway consumes to verify SigV4 and never forwards on an AWS_IAM method; the backend gets the verified caller from the X-Iamgate-* identity headers and the envelope's "identity"`},
		{"denied destination", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{with(get("/a"), func(r *Route) { r.Headers = hdr("X-Host", "Host") })}},
			`Routes[0] "GET /a": Headers[0].To: Host is a header API Gateway does not let a mapping set (or keeps for itself); map to another name`},
		{"amzn destination", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{with(get("/a"), func(r *Route) { r.Headers = hdr("X-Amzn-Foo", "") })}},
			`Routes[0] "GET /a": Headers[0].To: X-Amzn-Foo is a header API Gateway does not let a mapping set (or keeps for itself); map to another name`},
		{"identity destination", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{with(get("/a"), func(r *Route) { r.Headers = hdr("X-Iamgate-User-Arn", "") })}},
			`Routes[0] "GET /a": Headers[0].To: X-Iamgate-User-Arn is under the identity header prefix "X-Iamgate-"; only the gateway sets those, from the verified caller; map to another name`},
		{"identity destination any case", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{with(get("/a"), func(r *Route) { r.Headers = hdr("X-Who", "x-iamgate-whatever") })}},
			`Routes[0] "GET /a": Headers[0].To: x-iamgate-whatever is under the identity header prefix "X-Iamgate-"; only the gateway sets those, from the verified caller; map to another name`},
		{"bad name", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{with(get("/a"), func(r *Route) { r.QueryStrings = hdr("a b", "") })}},
			`Routes[0] "GET /a": QueryStrings[0].From: "a b" is not a valid parameter name; API Gateway accepts letters, digits and . _ $ -`},
		{"from required", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{with(get("/a"), func(r *Route) { r.Headers = &[]*Mapping{{To: jsii.String("X")}} })}},
			`Routes[0] "GET /a": Headers[0].From is required`},
		{"duplicate destination", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{with(get("/a"), func(r *Route) {
			r.Headers = &[]*Mapping{{From: jsii.String("X-A"), To: jsii.String("X-Out")}, {From: jsii.String("X-B"), To: jsii.String("x-out")}}
		})}},
			`Routes[0] "GET /a": Headers[1] maps to integration.request.header.x-out, which Headers[0] already sets; each backend parameter may have one source`},
		{"content type on envelope", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{with(get("/a"), func(r *Route) { r.Headers = hdr("Content-Type", "") })}},
			`Routes[0] "GET /a": Headers[0] maps to integration.request.header.Content-Type, which the identity envelope already sets; each backend parameter may have one source`},
		{"static quoted", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{with(get("/a"), func(r *Route) { r.StaticHeaders = &map[string]*string{"X-Env": jsii.String("'prod'")} })}},
			`Routes[0] "GET /a": StaticHeaders["X-Env"]: value "'prod'" contains a single quote; write the value without quotes (the construct quotes it) and without '`},
		{"static denied", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{with(get("/a"), func(r *Route) { r.StaticHeaders = &map[string]*string{"Transfer-Encoding": jsii.String("chunked")} })}},
			`Routes[0] "GET /a": StaticHeaders["Transfer-Encoding"]: Transfer-Encoding is a header API Gateway does not let a mapping set (or keeps for itself); map to another name`},
		{"static newline", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{with(get("/a"), func(r *Route) { r.StaticHeaders = &map[string]*string{"X-Env": jsii.String("prod\nX-Admin: 1")} })}},
			`Routes[0] "GET /a": StaticHeaders["X-Env"]: value "prod\nX-Admin: 1" contains the control character U+000A, which no header value may carry; write it on one line, without control characters`},
		{"backend path query", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{with(get("/a"), func(r *Route) { r.BackendPath = jsii.String("/a?x=1") })}},
			`Routes[0] "GET /a": BackendPath "/a?x=1" carries a query string; put query strings in QueryStrings mappings (or RawRequestParameters integration.request.querystring.NAME for a static value)`},
		{"backend path fragment", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{with(get("/a"), func(r *Route) { r.BackendPath = jsii.String("/a#x") })}},
			`Routes[0] "GET /a": BackendPath "/a#x" carries a fragment, which is never sent to a server; remove the "#" and what follows`},
		{"backend path space", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{with(get("/a/{id}"), func(r *Route) { r.BackendPath = jsii.String("/a b/{id}") })}},
			`Routes[0] "GET /a/{id}": BackendPath "/a b/{id}" has a space, which a URI cannot carry; percent-encode it (%20)`},
		{"backend path bad escape", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{with(get("/a"), func(r *Route) { r.BackendPath = jsii.String("/100%") })}},
			`Routes[0] "GET /a": BackendPath "/100%" has a "%" that does not start a %XX escape; write "%25" for a literal "%"`},
		{"backend path lone brace", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{with(get("/a/{id}"), func(r *Route) { r.BackendPath = jsii.String("/a/{id") })}},
			`Routes[0] "GET /a/{id}": BackendPath "/a/{id" has the character "{", which a URI cannot carry; percent-encode it (%7B)`},
		{"security token header", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{with(get("/a"), func(r *Route) { r.Headers = hdr("x-amz-security-token", "X-Token") })}},
			`Routes[0] "GET /a": Headers[0] maps the x-amz-security-token header, which carries the caller's credentials (the session token of temporary credentials): the backend could replay them as the caller; API Gateway verifies them on an AWS_IAM method, and the backend gets the verified caller from the X-Iamgate-* identity headers and the envelope's "identity"`},
		{"signature query string", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{with(get("/a"), func(r *Route) { r.QueryStrings = hdr("X-Amz-Signature", "sig") })}},
			`Routes[0] "GET /a": QueryStrings[0] maps the X-Amz-Signature query parameter, which carries the caller's credentials (a presigned request's signature, credential or session token): the backend could replay them as the caller; API Gateway verifies them on an AWS_IAM method, and the backend gets the verified caller from the X-Iamgate-* identity headers and the envelope's "identity"`},
		{"credential query string", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{with(get("/a"), func(r *Route) { r.QueryStrings = hdr("x-amz-credential", "") })}},
			`Routes[0] "GET /a": QueryStrings[0] maps the x-amz-credential query parameter, which carries the caller's credentials (a presigned request's signature, credential or session token): the backend could replay them as the caller; API Gateway verifies them on an AWS_IAM method, and the backend gets the verified caller from the X-Iamgate-* identity headers and the envelope's "identity"`},
		{"security token query string", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{with(get("/a"), func(r *Route) { r.QueryStrings = hdr("X-AMZ-SECURITY-TOKEN", "t") })}},
			`Routes[0] "GET /a": QueryStrings[0] maps the X-AMZ-SECURITY-TOKEN query parameter, which carries the caller's credentials (a presigned request's signature, credential or session token): the backend could replay them as the caller; API Gateway verifies them on an AWS_IAM method, and the backend gets the verified caller from the X-Iamgate-* identity headers and the envelope's "identity"`},
		{"raw security token", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{with(get("/a"), func(r *Route) {
			r.RawMethodParameters = &map[string]*bool{"method.request.multivaluequerystring.X-Amz-Security-Token": jsii.Bool(false)}
			r.RawRequestParameters = &map[string]*string{"integration.request.querystring.t": jsii.String("method.request.multivaluequerystring.X-Amz-Security-Token")}
		})}},
			`Routes[0] "GET /a": RawRequestParameters["integration.request.querystring.t"] maps method.request.multivaluequerystring.X-Amz-Security-Token, which carries the caller's credentials: the backend could replay them as the caller; API Gateway verifies them on an AWS_IAM method, and the backend gets the verified caller from the identity headers and the envelope's "identity"`},
		{"proxy with envelope", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{with(get("/a"), func(r *Route) { r.Proxy = jsii.Bool(true) })}},
			`Routes[0] "GET /a": Proxy is true but IdentityEnvelope is on: API Gateway ignores request templates on an HTTP_PROXY integration, so the envelope would never be built; set IdentityEnvelope to false or Proxy to false (identity reaches the backend on non-proxy routes only)`},
		{"proxy method change", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{with(get("/a"), func(r *Route) {
			r.Proxy = jsii.Bool(true)
			r.IdentityEnvelope = jsii.Bool(false)
			r.BackendMethod = jsii.String("POST")
		})}},
			`Routes[0] "GET /a": BackendMethod POST differs from Method GET on a Proxy route; an HTTP_PROXY integration passes the client's request through, so leave BackendMethod unset or set Proxy to false`},
		{"raw undeclared", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{with(get("/a"), func(r *Route) {
			r.RawRequestParameters = &map[string]*string{"integration.request.header.X-Tenant": jsii.String("method.request.header.X-Tenant")}
		})}},
			`Routes[0] "GET /a": RawRequestParameters["integration.request.header.X-Tenant"]: method.request.header.X-Tenant is not declared by the method, and API Gateway refuses the deploy ("Invalid mapping expression specified"); declare it in RawMethodParameters, or use Headers/QueryStrings, which declare their sources`},
		{"raw unquoted static", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{with(get("/a"), func(r *Route) {
			r.RawRequestParameters = &map[string]*string{"integration.request.header.X-Env": jsii.String("prod")}
		})}},
			`Routes[0] "GET /a": RawRequestParameters["integration.request.header.X-Env"]: prod is not a mapping source; static values must be in single quotes ('prod'), other sources start with method.request., context. or stageVariables.`},
		{"raw half quoted", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{with(get("/a"), func(r *Route) {
			r.RawRequestParameters = &map[string]*string{"integration.request.header.X-Env": jsii.String("'prod")}
		})}},
			`Routes[0] "GET /a": RawRequestParameters["integration.request.header.X-Env"]: static value 'prod must be one value in single quotes, e.g. 'application/json'`},
		{"raw bad destination", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{with(get("/a"), func(r *Route) {
			r.RawRequestParameters = &map[string]*string{"integration.request.headers.X-Env": jsii.String("'prod'")}
		})}},
			`Routes[0] "GET /a": RawRequestParameters["integration.request.headers.X-Env"]: not a mapping destination; write integration.request.{header|querystring|path}.NAME with NAME of letters, digits and . _ $ -`},
		{"raw unknown context", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{with(get("/a"), func(r *Route) {
			r.RawRequestParameters = &map[string]*string{"integration.request.header.X-Who": jsii.String("context.identity.arn")}
		})}},
			`Routes[0] "GET /a": RawRequestParameters["integration.request.header.X-Who"]: context.identity.arn is not a context variable API Gateway offers to parameter mappings (see the $context reference for REST APIs)`},
		{"raw stage variable", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{with(get("/a"), func(r *Route) {
			r.RawRequestParameters = &map[string]*string{"integration.request.header.X-Env": jsii.String("stageVariables.env-name")}
		})}},
			`Routes[0] "GET /a": RawRequestParameters["integration.request.header.X-Env"]: stageVariables.env-name is not a valid stage variable; names are letters, digits and _`},
		{"raw authorization", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{with(get("/a"), func(r *Route) {
			r.RawMethodParameters = &map[string]*bool{"method.request.header.Authorization": jsii.Bool(false)}
			r.RawRequestParameters = &map[string]*string{"integration.request.header.X-Auth": jsii.String("method.request.header.Authorization")}
		})}},
			`Routes[0] "GET /a": RawRequestParameters["integration.request.header.X-Auth"] maps the Authorization header, which API Gateway consumes to verify SigV4 and never forwards on an AWS_IAM method; the backend gets the verified caller from the identity headers and the envelope's "identity"`},
		{"raw identity header", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{with(get("/a"), func(r *Route) {
			r.RawRequestParameters = &map[string]*string{"integration.request.header.X-Iamgate-Caller": jsii.String("'admin'")}
		})}},
			`Routes[0] "GET /a": RawRequestParameters["integration.request.header.X-Iamgate-Caller"]: X-Iamgate-Caller is under the identity header prefix "X-Iamgate-"; only the gateway sets those, from the verified caller; map to another name`},
		{"raw method param", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{with(get("/a"), func(r *Route) {
			r.RawMethodParameters = &map[string]*bool{"method.request.cookie.session": jsii.Bool(false)}
		})}},
			`Routes[0] "GET /a": RawMethodParameters["method.request.cookie.session"]: not a method request parameter; write method.request.{path|querystring|multivaluequerystring|header|multivalueheader}.NAME`},
		{"domain on private", &IdentityApiProps{BackendUrl: ok, EndpointType: awsapigateway.EndpointType_PRIVATE, AllowedVpcEndpointIds: jsii.Strings("vpce-0123456789abcdef0"),
			Domain: &DomainProps{Name: jsii.String("api.example.com"), CertificateArn: jsii.String(certArn)}},
			`Domain: a PRIVATE API cannot have a public custom domain (AWS::ApiGateway::DomainName): it is reachable only through its VPC endpoints; remove Domain or use EndpointType REGIONAL (a private custom domain, AWS::ApiGateway::DomainNameV2 with an access association, is not built by IdentityApi)`},
		{"domain name required", &IdentityApiProps{BackendUrl: ok, Domain: &DomainProps{CertificateArn: jsii.String(certArn)}},
			`Domain.Name: required; give the host name clients call, e.g. "api.example.com"`},
		{"domain name upper case", &IdentityApiProps{BackendUrl: ok, Domain: &DomainProps{Name: jsii.String("Api.example.com"), CertificateArn: jsii.String(certArn)}},
			`Domain.Name: "Api.example.com" has upper-case letters; API Gateway takes custom domain names in lower case`},
		{"domain name wildcard", &IdentityApiProps{BackendUrl: ok, Domain: &DomainProps{Name: jsii.String("*.example.com"), CertificateArn: jsii.String(certArn)}},
			`Domain.Name: "*.example.com" is a wildcard name; give the one host name clients call`},
		{"domain name url", &IdentityApiProps{BackendUrl: ok, Domain: &DomainProps{Name: jsii.String("https://api.example.com"), CertificateArn: jsii.String(certArn)}},
			`Domain.Name: "https://api.example.com" is not a host name; give the name only, without scheme, port or path`},
		{"domain name one label", &IdentityApiProps{BackendUrl: ok, Domain: &DomainProps{Name: jsii.String("api"), CertificateArn: jsii.String(certArn)}},
			`Domain.Name: "api" is not a fully qualified name; give one like "api.example.com"`},
		{"domain name label", &IdentityApiProps{BackendUrl: ok, Domain: &DomainProps{Name: jsii.String("api_v1.example.com"), CertificateArn: jsii.String(certArn)}},
			`Domain.Name: "api_v1.example.com" has the label "api_v1"; labels are 1 to 63 lower-case letters, digits or '-', not starting or ending with '-'`},
		{"domain name final dot", &IdentityApiProps{BackendUrl: ok, Domain: &DomainProps{Name: jsii.String("api.example.com."), CertificateArn: jsii.String(certArn)}},
			`Domain.Name: "api.example.com." ends with "."; write it without the final dot`},
		{"domain certificate required", &IdentityApiProps{BackendUrl: ok, Domain: &DomainProps{Name: jsii.String("api.example.com")}},
			`Domain.CertificateArn: required (or Domain.Certificate); give the ARN of an ACM certificate for the domain, in the API's region`},
		{"domain two certificates", &IdentityApiProps{BackendUrl: ok, Domain: &DomainProps{Name: jsii.String("api.example.com"), CertificateArn: jsii.String(certArn),
			Certificate: awscertificatemanager.Certificate_FromCertificateArn(awscdk.NewStack(nil, nil, nil), jsii.String("C"), jsii.String(certArn))}},
			`Domain: Certificate and CertificateArn are both given; give one`},
		{"domain certificate arn", &IdentityApiProps{BackendUrl: ok, Domain: &DomainProps{Name: jsii.String("api.example.com"), CertificateArn: jsii.String("arn:aws:iam::111122223333:server-certificate/api")}},
			`Domain.CertificateArn: "arn:aws:iam::111122223333:server-certificate/api" is not an ACM certificate ARN (arn:aws:acm:REGION:ACCOUNT:certificate/ID); a REGIONAL custom domain takes a certificate of ACM in the API's region`},
		{"domain certificate object arn", &IdentityApiProps{BackendUrl: ok, Domain: &DomainProps{Name: jsii.String("api.example.com"),
			Certificate: awscertificatemanager.Certificate_FromCertificateArn(awscdk.NewStack(nil, nil, nil), jsii.String("C"), jsii.String("arn:aws:acm:eu-west-1:111122223333:api"))}},
			`Domain.Certificate: "arn:aws:acm:eu-west-1:111122223333:api" is not an ACM certificate ARN (arn:aws:acm:REGION:ACCOUNT:certificate/ID); a REGIONAL custom domain takes a certificate of ACM in the API's region`},
		{"domain base path slash", &IdentityApiProps{BackendUrl: ok, Domain: &DomainProps{Name: jsii.String("api.example.com"), CertificateArn: jsii.String(certArn), BasePath: jsii.String("/v1")}},
			`Domain.BasePath: "/v1" starts or ends with "/"; write it without ("v1", "orders/v1"), or "" for the root`},
		{"domain base path characters", &IdentityApiProps{BackendUrl: ok, Domain: &DomainProps{Name: jsii.String("api.example.com"), CertificateArn: jsii.String(certArn), BasePath: jsii.String("v1/{id}")}},
			`Domain.BasePath: "v1/{id}" has the segment "{id}"; a base path holds letters, digits and $-_.+!*'() separated by "/"`},
		{"domain base path empty segment", &IdentityApiProps{BackendUrl: ok, Domain: &DomainProps{Name: jsii.String("api.example.com"), CertificateArn: jsii.String(certArn), BasePath: jsii.String("a//b")}},
			`Domain.BasePath: "a//b" has an empty segment ("//")`},
		{"domain outside zone", &IdentityApiProps{BackendUrl: ok, Domain: &DomainProps{Name: jsii.String("api.example.com"), CertificateArn: jsii.String(certArn),
			HostedZone: awsroute53.HostedZone_FromHostedZoneAttributes(awscdk.NewStack(nil, nil, nil), jsii.String("Z"), &awsroute53.HostedZoneAttributes{
				HostedZoneId: jsii.String("Z0123456789ABCDEFGHIJ"), ZoneName: jsii.String("example.org")})}},
			`Domain.HostedZone: "api.example.com" is not in the hosted zone "example.org"; give the zone that holds the name, or no HostedZone and create the DNS record yourself`},
		{"route timeout", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{with(get("/a"), func(r *Route) { r.Timeout = awscdk.Duration_Millis(jsii.Number(10)) })}},
			`Routes[0] "GET /a": Timeout 10 ms is below API Gateway's minimum integration timeout of 50 ms`},
		{"route timeout fraction", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{with(get("/a"), func(r *Route) { r.Timeout = awscdk.Duration_Seconds(jsii.Number(1.0005)) })}},
			`Routes[0] "GET /a": Timeout 1000.5 ms is not a whole number of milliseconds; API Gateway's integration timeout counts whole milliseconds (e.g. awscdk.Duration_Millis(jsii.Number(1001)))`},
		{"route timeout edge", &IdentityApiProps{BackendUrl: ok, EndpointType: awsapigateway.EndpointType_EDGE, Routes: &[]*Route{with(get("/a"), func(r *Route) { r.Timeout = awscdk.Duration_Seconds(jsii.Number(40)) })}},
			`Routes[0] "GET /a": Timeout 40000 ms is above 29 s, the most an EDGE (edge-optimized) API allows; use at most 29 s, or EndpointType REGIONAL or PRIVATE with a raised quota`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, probs := plan(tt.props)
			if len(probs.errs) == 1 && strings.Contains(tt.want, "${Token[TOKEN.*]}") {
				// a token's number depends on the order the tests make them
				probs.errs[0] = tokenNumber.ReplaceAllString(probs.errs[0], "${Token[TOKEN.*]}")
			}
			if len(probs.errs) != 1 || probs.errs[0] != tt.want {
				t.Errorf("errors:\n got %q\nwant [%q]", probs.errs, tt.want)
			}
		})
	}
}

var tokenNumber = regexp.MustCompile(`\$\{Token\[TOKEN\.[0-9]+\]\}`)

const (
	nlbArn  = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/net/orders/0123456789abcdef"
	albArn  = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/orders/0123456789abcdef/fedcba9876543210"
	certArn = "arn:aws:acm:eu-west-1:111122223333:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789"
	aclID   = "a1b2c3d4-5678-90ab-cdef-0123456789ab"
)

// The certificate of a REGIONAL domain is in the stack's region when both
// are known; an EDGE API gets a REGIONAL domain and a warning; the URL
// ends with the base path and "/".
func TestPlanDomain(t *testing.T) {
	domain := func(arn, basePath string) *DomainProps {
		return &DomainProps{Name: jsii.String("api.example.com"), CertificateArn: jsii.String(arn), BasePath: jsii.String(basePath)}
	}
	props := &IdentityApiProps{BackendUrl: jsii.String("https://b.example.com"), Domain: domain(certArn, "")}
	for region, want := range map[string][]string{
		"eu-west-1": nil, "": nil, // unknown at synth: API Gateway checks at deploy
		"eu-central-1": {`Domain.CertificateArn: the certificate is in eu-west-1 but the stack deploys to eu-central-1; a REGIONAL custom domain needs an ACM certificate in the API's own region`},
	} {
		_, probs := planFor(props, region)
		if fmt.Sprint(probs.errs) != fmt.Sprint(want) {
			t.Errorf("region %q: errors %q, want %q", region, probs.errs, want)
		}
	}
	east := &IdentityApiProps{BackendUrl: jsii.String("https://b.example.com"), Domain: domain(strings.Replace(certArn, "eu-west-1", "us-east-1", 1), "v1")}
	_, probs := planFor(east, "eu-west-1")
	want := `Domain.CertificateArn: the certificate is in us-east-1 but the stack deploys to eu-west-1; a REGIONAL custom domain needs an ACM certificate in the API's own region (us-east-1 certificates are for edge-optimized domains, which IdentityApi does not build)`
	if len(probs.errs) != 1 || probs.errs[0] != want {
		t.Errorf("errors %q, want [%q]", probs.errs, want)
	}

	edge := &IdentityApiProps{BackendUrl: jsii.String("https://b.example.com"), EndpointType: awsapigateway.EndpointType_EDGE, Domain: domain(certArn, "orders/v1")}
	p, probs := planFor(edge, "eu-west-1")
	want = `Domain: the API is EDGE but its custom domain "api.example.com" is REGIONAL (REST APIs allow the mapping): clients reach the API's region directly, not through CloudFront, and the certificate must be in the API's region, not us-east-1; for an edge-optimized domain, build an awsapigateway.DomainName with EndpointType EDGE yourself`
	if len(probs.errs) != 0 || len(probs.warnings) != 1 || probs.warnings[0] != want {
		t.Errorf("EDGE: errors %q warnings %q, want [%q]", probs.errs, probs.warnings, want)
	}
	if p.domain == nil || p.domain.url() != "https://api.example.com/orders/v1/" {
		t.Errorf("EDGE: domain plan %+v", p.domain)
	}
	p, _ = plan(props)
	if p.domain.url() != "https://api.example.com/" {
		t.Errorf("root URL %q", p.domain.url())
	}
	// A token name or ARN is not checked at synth.
	tok := &IdentityApiProps{BackendUrl: jsii.String("https://b.example.com"), Domain: &DomainProps{
		Name: awscdk.Fn_ImportValue(jsii.String("domain")), CertificateArn: awscdk.Fn_ImportValue(jsii.String("cert"))}}
	if _, probs := planFor(tok, "eu-west-1"); len(probs.errs)+len(probs.warnings) != 0 {
		t.Errorf("tokens: %q %q", probs.errs, probs.warnings)
	}
}

// A literal WebAclArn of another region than the stack's known one fails
// the synth; an unknown region leaves the check to a template rule; a token
// ARN is not checked.
func TestPlanWebAclRegion(t *testing.T) {
	east := "arn:aws:wafv2:us-east-1:111122223333:regional/webacl/name/" + aclID
	props := &IdentityApiProps{BackendUrl: jsii.String("https://b.example.com"), WebAclArn: jsii.String(east)}
	want := `WebAclArn: the web ACL is in us-east-1 but the stack deploys to eu-west-1; a stage can only be associated with a regional web ACL of its own region: give the ARN of a web ACL in eu-west-1 (create one there if needed), or deploy the stack to us-east-1`
	p, probs := planFor(props, "eu-west-1")
	if len(probs.errs) != 1 || probs.errs[0] != want {
		t.Errorf("eu-west-1: errors %q, want [%q]", probs.errs, want)
	}
	if p.webAclRegion != "" {
		t.Errorf("eu-west-1: rule region %q, want none", p.webAclRegion)
	}
	for region, rule := range map[string]string{"us-east-1": "", "": "us-east-1"} {
		p, probs := planFor(props, region)
		if len(probs.errs)+len(probs.warnings) != 0 || p.webAclRegion != rule {
			t.Errorf("region %q: errors %q warnings %q, rule region %q, want none and %q", region, probs.errs, probs.warnings, p.webAclRegion, rule)
		}
	}
	tok := &IdentityApiProps{BackendUrl: jsii.String("https://b.example.com"), WebAclArn: awscdk.Fn_ImportValue(jsii.String("acl"))}
	if p, probs := planFor(tok, "eu-west-1"); len(probs.errs)+len(probs.warnings) != 0 || p.webAclRegion != "" {
		t.Errorf("token: errors %q warnings %q, rule region %q", probs.errs, probs.warnings, p.webAclRegion)
	}
}

// The resources imported into a nested stack keep the id they always had
// (the path with "-" for "/"); of two paths with the same id in one stack,
// the later one gets a suffix from its path's hash.
func TestPlanImportIDs(t *testing.T) {
	ids := func(perStack float64, paths ...string) map[string]string {
		t.Helper()
		var routes []*Route
		for _, path := range paths {
			method := "GET"
			if m, rest, ok := strings.Cut(path, " "); ok { // "POST /orders"
				method, path = m, rest
			}
			routes = append(routes, &Route{Method: jsii.String(method), Path: jsii.String(path)})
		}
		p, probs := plan(&IdentityApiProps{BackendUrl: jsii.String("https://b.example.com"), Routes: &routes, RoutesPerStack: jsii.Number(perStack)})
		if len(probs.errs) != 0 {
			t.Fatalf("%v: errors %q", paths, probs.errs)
		}
		return p.importIDs
	}
	for _, c := range []struct {
		perStack float64
		paths    []string
		want     map[string]string
	}{
		// no collision: the ids of before
		{2, []string{"/whoami", "/orders", "POST /orders", "/orders/{orderId}", "DELETE /orders/{orderId}", "/"},
			map[string]string{"1 /orders": "orders", "1 /orders/{orderId}": "orders-{orderId}", "2 /orders/{orderId}": "orders-{orderId}", "2 /": "Root"}},
		{2, []string{"/x", "/y", "/a-b", "/a/b"},
			map[string]string{"1 /a-b": "a-b", "1 /a/b": "a-b-662b7b62"}},
		// the first one keeps its id, whichever it is
		{2, []string{"/x", "/y", "/a/b", "/a-b"},
			map[string]string{"1 /a/b": "a-b", "1 /a-b": "a-b-590bb8f6"}},
		// in different stacks, no collision
		{1, []string{"/x", "/a-b", "/a/b"},
			map[string]string{"1 /a-b": "a-b", "2 /a/b": "a-b"}},
		{2, []string{"/x", "/y", "/", "/Root"},
			map[string]string{"1 /": "Root", "1 /Root": "Root-f85d8b3b"}},
		// the suffixed id is taken too
		{3, []string{"/x", "/y", "/z", "/a-b", "/a-b-662b7b62", "/a/b"},
			map[string]string{"1 /a-b": "a-b", "1 /a-b-662b7b62": "a-b-662b7b62", "1 /a/b": "a-b-662b7b62-2"}},
	} {
		if got := ids(c.perStack, c.paths...); fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%v per stack %v: ids\n got %v\nwant %v", c.paths, c.perStack, got, c.want)
		}
	}
}

// A proxy route with identity headers asked for is refused; without them it
// is a warning, since the client's own headers pass.
func TestPlanProxyIdentity(t *testing.T) {
	r := with(get("/p"), func(r *Route) {
		r.Proxy = jsii.Bool(true)
		r.IdentityEnvelope = jsii.Bool(false)
		r.IdentityHeaders = jsii.Bool(true)
	})
	_, probs := plan(&IdentityApiProps{BackendUrl: jsii.String("https://b.example.com"), Routes: &[]*Route{r}})
	want := `Routes[0] "GET /p": IdentityHeaders is true on a Proxy route: an HTTP_PROXY integration passes the client's own headers through, and nothing proves API Gateway replaces a client's copy of an identity header, so a client could forge one; set Proxy to false to forward the identity, or leave IdentityHeaders unset`
	if len(probs.errs) != 1 || probs.errs[0] != want {
		t.Errorf("errors = %q, want [%q]", probs.errs, want)
	}
}

// Above 29 s is a warning naming the quota on REGIONAL and PRIVATE APIs.
func TestPlanLongTimeoutIsAWarning(t *testing.T) {
	for _, et := range []awsapigateway.EndpointType{"", awsapigateway.EndpointType_PRIVATE} {
		p, probs := plan(&IdentityApiProps{BackendUrl: jsii.String("https://b.example.com"), EndpointType: et,
			AllowedVpcEndpointIds: map[bool]*[]*string{true: jsii.Strings("vpce-0123456789abcdef0")}[et != ""],
			Timeout:               awscdk.Duration_Seconds(jsii.Number(40))})
		name := map[bool]string{true: "PRIVATE", false: "REGIONAL"}[et != ""]
		want := `Timeout: 40000 ms is above API Gateway's default 29 s: a ` + name + ` API may use it only once the Service Quotas quota "Maximum integration timeout in milliseconds" of API Gateway is raised for this account and region, or the deploy fails`
		if len(probs.errs) != 0 || len(probs.warnings) != 1 || probs.warnings[0] != want {
			t.Errorf("%s: errors %q warnings %q, want [%q]", name, probs.errs, probs.warnings, want)
		}
		if p.routes[0].timeoutMs != 40000 {
			t.Errorf("%s: timeout %v", name, p.routes[0].timeoutMs)
		}
	}
}

// A backend URL that is a token as a whole, or a literal around one, plans
// the URI as a string with the token in it (an Fn::Join at synth).
func TestPlanTokenBackend(t *testing.T) {
	whole := *awscdk.Fn_ImportValue(jsii.String("orders-url"))
	inner := "https://" + *awscdk.Fn_ImportValue(jsii.String("orders-host")) + "/v1/"
	for _, u := range []string{whole, inner} {
		p, probs := plan(&IdentityApiProps{BackendUrl: jsii.String(u), Routes: &[]*Route{get("/a")}})
		if len(probs.errs)+len(probs.warnings) != 0 {
			t.Errorf("%s: %q %q", u, probs.errs, probs.warnings)
			continue
		}
		if want := strings.TrimSuffix(u, "/") + "/a"; p.routes[0].backendURI != want {
			t.Errorf("URI = %q, want %q", p.routes[0].backendURI, want)
		}
	}
	_, probs := plan(&IdentityApiProps{BackendUrl: jsii.String("http://" + *awscdk.Fn_ImportValue(jsii.String("h")))})
	if len(probs.warnings) != 1 || !strings.Contains(probs.warnings[0], "is plain http") {
		t.Errorf("warnings = %q, want the plain http one", probs.warnings)
	}
	// A token in BackendPath is part of the URI; its text's braces are no
	// path parameter (it was refused: "uses {Token[TOKEN.229]}, which
	// Path does not declare").
	version := *awscdk.Fn_ImportValue(jsii.String("orders-version"))
	p, probs := plan(&IdentityApiProps{BackendUrl: jsii.String("https://b.example.com"), Routes: &[]*Route{
		with(get("/a/{id}"), func(r *Route) { r.BackendPath = jsii.String("/" + version + "/a/{id}") })}})
	if len(probs.errs)+len(probs.warnings) != 0 {
		t.Fatalf("token BackendPath: %q %q", probs.errs, probs.warnings)
	}
	if want := "https://b.example.com/" + version + "/a/{id}"; p.routes[0].backendURI != want || p.routes[0].integrationParams["integration.request.path.id"] != "method.request.path.id" {
		t.Errorf("URI = %q, want %q, with {id} mapped: %v", p.routes[0].backendURI, want, p.routes[0].integrationParams)
	}
}

func TestPlanTooManyResources(t *testing.T) {
	var routes []*Route
	for i := 0; i < 150; i++ { // 150 routes of two resources each, plus one: 301
		routes = append(routes, get(fmt.Sprintf("/r%d/items", i)))
	}
	routes = append(routes, get("/last"))
	_, probs := plan(&IdentityApiProps{BackendUrl: jsii.String("https://b.example.com"), Routes: &routes})
	want := "Routes: 301 resources is more than API Gateway's 300 resources per REST API; merge routes under {proxy+} or split the API"
	if len(probs.errs) != 1 || probs.errs[0] != want {
		t.Errorf("errors = %q, want [%q]", probs.errs, want)
	}
	_, probs = plan(&IdentityApiProps{BackendUrl: jsii.String("https://b.example.com"), Routes: &[]*Route{get("/a")}})
	if len(probs.errs) != 0 {
		t.Errorf("errors for one route = %q", probs.errs)
	}
}

func TestPlanHTTPBackendIsAWarning(t *testing.T) {
	p, probs := plan(&IdentityApiProps{BackendUrl: jsii.String("http://backend.internal")})
	if len(probs.errs) != 0 {
		t.Fatalf("errors = %q", probs.errs)
	}
	want := `BackendUrl: "http://backend.internal" is plain http: the caller's identity travels unencrypted from API Gateway to the backend; prefer https`
	if len(probs.warnings) != 1 || probs.warnings[0] != want {
		t.Errorf("warnings = %q, want [%q]", probs.warnings, want)
	}
	if len(p.routes) != 1 || p.routes[0].name != "GET /{proxy+}" || p.routes[0].backendURI != "http://backend.internal/{proxy}" {
		t.Errorf("default route = %+v", p.routes[0])
	}
}

// A valid configuration reports nothing and plans what the docs promise.
func TestPlanDefaults(t *testing.T) {
	p, probs := plan(&IdentityApiProps{BackendUrl: jsii.String("https://b.example.com/"), Routes: &[]*Route{
		get("/a"),
		{Method: jsii.String("ANY"), Path: jsii.String("/b")},
		{Method: jsii.String("PUT"), Path: jsii.String("/c")},
		with(get("/d"), func(r *Route) { r.IdentityEnvelope = jsii.Bool(false) }),
		with(get("/e"), func(r *Route) { r.Authorization = AuthorizationNone; r.Headers = hdr("Authorization", "X-Client-Auth") }),
		with(get("/f"), func(r *Route) { r.Proxy = jsii.Bool(true); r.IdentityEnvelope = jsii.Bool(false) }),
		with(get("/g"), func(r *Route) {
			r.RawMethodParameters = &map[string]*bool{"method.request.multivaluequerystring.tag": jsii.Bool(true)}
			r.RawRequestParameters = &map[string]*string{
				"integration.request.querystring.tags": jsii.String("method.request.multivaluequerystring.tag"),
				"integration.request.header.X-Stage":   jsii.String("context.stage"),
				"integration.request.header.X-Env":     jsii.String("stageVariables.env"),
				"integration.request.header.X-Static":  jsii.String("'a b'"),
				"integration.request.header.X-Body":    jsii.String("method.request.body.customer.id"),
			}
		}),
	}})
	proxyWarning := `Routes[5] "GET /f": Proxy route: the client's headers reach the backend as sent, including any named X-Iamgate-*; the backend must not read identity from this route's requests (no identity headers are mapped on Proxy routes)`
	if len(probs.errs) != 0 || len(probs.warnings) != 1 || probs.warnings[0] != proxyWarning {
		t.Fatalf("problems: %q %q", probs.errs, probs.warnings)
	}
	var got []string
	for _, r := range p.routes {
		got = append(got, r.name+" -> "+r.backendMethod+" "+r.backendURI+" "+string(r.authorization))
	}
	want := []string{
		"GET /a -> POST https://b.example.com/a IAM",
		"ANY /b -> POST https://b.example.com/b IAM",
		"PUT /c -> PUT https://b.example.com/c IAM",
		"GET /d -> GET https://b.example.com/d IAM",
		"GET /e -> POST https://b.example.com/e NONE",
		"GET /f -> GET https://b.example.com/f IAM",
		"GET /g -> POST https://b.example.com/g IAM",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("plan:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if p.stageName != "prod" || p.headerPrefix != "X-Iamgate-" || p.timeoutMs != 29000 {
		t.Errorf("defaults: stage %q prefix %q timeout %v", p.stageName, p.headerPrefix, p.timeoutMs)
	}
}

func TestOtherCodesPattern(t *testing.T) {
	for _, tt := range []struct {
		class  int
		listed []int
		want   string
	}{
		{4, []int{400, 401, 403, 404, 409, 422, 429}, `4([13-9]\d|0[25-8]|2[013-8])`},
		{5, []int{500, 502, 503, 504}, `5([1-9]\d|0[15-9])`},
		{3, nil, `3\d\d`},
		{2, []int{200}, `2([1-9]\d|0[1-9])`},
	} {
		if got := otherCodesPattern(tt.class, tt.listed); got != tt.want {
			t.Errorf("otherCodesPattern(%d, %v) = %q, want %q", tt.class, tt.listed, got, tt.want)
		}
	}
}

// What the refusals of TestPlanErrors and TestPlanCorsErrors must still
// accept: tokens, escapes, an unsigned route's own headers, zero throttling.
func TestPlanAcceptsNearMisses(t *testing.T) {
	ok := jsii.String("https://backend.example.com")
	tests := []struct {
		name  string
		props *IdentityApiProps
	}{
		{"backend without path", &IdentityApiProps{BackendUrl: ok}},
		{"backend port and escape", &IdentityApiProps{BackendUrl: jsii.String("https://x.example.com:8443/a%20b/$v;1")}},
		{"backend token and path", &IdentityApiProps{BackendUrl: jsii.String("https://" + *awscdk.Fn_ImportValue(jsii.String("host")) + ":8443/v1")}},
		{"backend path escape and params", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{with(get("/a/{id}/{rest+}"), func(r *Route) {
			r.BackendPath = jsii.String("/v1/a%20b/{id}/~x@y:z/{rest+}")
		})}}},
		{"whole timeouts", &IdentityApiProps{BackendUrl: ok, Timeout: awscdk.Duration_Seconds(jsii.Number(1.5)), Routes: &[]*Route{with(get("/a"), func(r *Route) {
			r.Timeout = awscdk.Duration_Millis(jsii.Number(50))
		})}}},
		{"zero throttling", &IdentityApiProps{BackendUrl: ok, ThrottlingRateLimit: jsii.Number(0.5), ThrottlingBurstLimit: jsii.Number(0)}},
		{"web acl", &IdentityApiProps{BackendUrl: ok, WebAclArn: jsii.String("arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/orders_acl-1/" + aclID)}},
		{"web acl token", &IdentityApiProps{BackendUrl: ok, WebAclArn: awscdk.Fn_ImportValue(jsii.String("acl"))}},
		{"rest api name", &IdentityApiProps{BackendUrl: ok, RestApiName: jsii.String("orders")}},
		{"static tab", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{with(get("/a"), func(r *Route) { r.StaticHeaders = &map[string]*string{"X-Env": jsii.String("a\tb")} })}}},
		{"credentials on a NONE route", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{with(get("/a"), func(r *Route) {
			r.Authorization = AuthorizationNone
			r.Headers = hdr("X-Amz-Security-Token", "X-Token")
			r.QueryStrings = hdr("X-Amz-Signature", "")
		})}}},
		{"signing parameters", &IdentityApiProps{BackendUrl: ok, Routes: &[]*Route{with(get("/a"), func(r *Route) {
			r.Headers = hdr("X-Amz-Date", "X-Signed-At")
			r.QueryStrings = hdr("X-Amz-Expires", "")
		})}}},
		{"origins", &IdentityApiProps{BackendUrl: ok, Cors: &CorsOptions{AllowOrigins: jsii.Strings("https://a_b.example.com:8443", "http://[::1]:3000", "https://xn--bcher-kva.example"),
			AllowHeaders: jsii.Strings("Authorization", "X-Amz-Date", "X-Amz-Security-Token", "X-Amz-Content-Sha256", "X-Custom~1")}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, probs := plan(tt.props); len(probs.errs) != 0 {
				t.Errorf("errors: %q", probs.errs)
			}
		})
	}
	p, _ := plan(&IdentityApiProps{BackendUrl: ok, ThrottlingRateLimit: jsii.Number(0.5), ThrottlingBurstLimit: jsii.Number(0)})
	if p.throttlingRate != 0.5 || p.throttlingBurst != 0 {
		t.Errorf("throttling %v, %v, want 0.5, 0", p.throttlingRate, p.throttlingBurst)
	}
	p, _ = plan(&IdentityApiProps{BackendUrl: ok, ThrottlingRateLimit: jsii.Number(-1), ThrottlingBurstLimit: jsii.Number(1.5)})
	if p.throttlingRate != DefaultThrottlingRateLimit || p.throttlingBurst != DefaultThrottlingBurstLimit {
		t.Errorf("refused throttling planned as %v, %v, want the defaults", p.throttlingRate, p.throttlingBurst)
	}
}

// An organization or account restriction refuses unsigned callers, so its
// NONE routes answer 403 to everyone: a warning names each.
func TestPlanOpenRouteUnderRestrictionIsAWarning(t *testing.T) {
	routes := &[]*Route{get("/orders"), with(get("/health"), func(r *Route) { r.Authorization = AuthorizationNone })}
	for _, tt := range []struct {
		props *IdentityApiProps
		warn  bool
	}{
		{&IdentityApiProps{AllowedPrincipalOrgIds: jsii.Strings("o-a1b2c3d4e5")}, true},
		{&IdentityApiProps{AllowedAccountIds: jsii.Strings("111122223333")}, true},
		{&IdentityApiProps{}, false},
	} {
		tt.props.BackendUrl, tt.props.Routes = jsii.String("https://b.example.com"), routes
		_, probs := plan(tt.props)
		want := []string{`Routes[1] "GET /health": authorization NONE, but AllowedPrincipalOrgIds or AllowedAccountIds deny every caller outside them, and an unsigned caller is in none: the route answers 403 AccessDeniedException to everyone; make it an IAM route, or drop the restriction`}
		if !tt.warn {
			want = nil
		}
		if len(probs.errs) != 0 || strings.Join(probs.warnings, "\n") != strings.Join(want, "\n") {
			t.Errorf("%+v: errors %q warnings %q", tt.props.AllowedPrincipalOrgIds, probs.errs, probs.warnings)
		}
	}
}

// A grant to a principal whose account AllowedAccountIds leaves out is
// refused by the resource policy's Deny: a warning, when the account is
// known at synth and no organization is allowed (it may be in one).
func TestPlanGrantOutsideAccounts(t *testing.T) {
	accounts := accessPlan{accountIDs: []string{"111122223333"}}
	for _, tt := range []struct {
		a       accessPlan
		account string
		warn    bool
	}{
		{accounts, "999988887777", true},
		{accounts, "111122223333", false},
		{accounts, "${Token[AWS.AccountId.8]}", false},
		{accessPlan{accountIDs: []string{"111122223333"}, orgIDs: []string{"o-a1b2c3d4e5"}}, "999988887777", false},
		{accessPlan{}, "999988887777", false},
	} {
		got := tt.a.grantOutsideAccounts(tt.account)
		want := ""
		if tt.warn {
			want = "GrantInvoke: the grantee is in account 999988887777, which AllowedAccountIds (111122223333) leaves out: the resource policy's Deny refuses it whatever the grant says; add the account, or grant a principal of an allowed one"
		}
		if got != want {
			t.Errorf("%+v %s: %q, want %q", tt.a, tt.account, got, want)
		}
	}
}

// Numbers from a CfnParameter (tokens) in the throttling and timeout props
// pass to API Gateway, which checks them at deploy; they were refused with
// the token's encoding as the value ("ThrottlingRateLimit:
// -1.888154589708776e+289 is not a rate"). A token timeout in another unit
// than milliseconds, which the CDK cannot convert, is refused by name.
func TestPlanNumberTokens(t *testing.T) {
	stack := awscdk.NewStack(nil, nil, nil)
	number := func(id string) *float64 {
		return awscdk.NewCfnParameter(stack, jsii.String(id), &awscdk.CfnParameterProps{Type: jsii.String("Number")}).ValueAsNumber()
	}
	rate, burst, timeout := number("Rate"), number("Burst"), number("Timeout")
	p, probs := plan(&IdentityApiProps{BackendUrl: jsii.String("https://b.example.com"),
		ThrottlingRateLimit: rate, ThrottlingBurstLimit: burst, Timeout: awscdk.Duration_Millis(timeout)})
	if len(probs.errs)+len(probs.warnings) > 0 {
		t.Fatalf("problems %q %q", probs.errs, probs.warnings)
	}
	if p.throttlingRate != *rate || p.throttlingBurst != *burst || p.timeoutMs != *timeout || p.routes[0].timeoutMs != *timeout {
		t.Errorf("plan %v %v %v, want the tokens", p.throttlingRate, p.throttlingBurst, p.timeoutMs)
	}
	_, probs = plan(&IdentityApiProps{BackendUrl: jsii.String("https://b.example.com"),
		Routes: &[]*Route{with(get("/a"), func(r *Route) { r.Timeout = awscdk.Duration_Seconds(number("Seconds")) })}})
	want := `Routes[0] "GET /a": Timeout: a token can only be given in milliseconds (the CDK cannot convert it from another unit): write awscdk.Duration_Millis(token)`
	if len(probs.errs) != 1 || probs.errs[0] != want {
		t.Errorf("errors %q, want [%q]", probs.errs, want)
	}
}

// A ResponseHeaders name that API Gateway renames or drops on the way to
// the client (LocalStack's AWS-recorded header remapping test, in
// apigw.ClientResponseHeader) is a warning: a backend's WWW-Authenticate
// reaches the client as X-Amzn-Remapped-WWW-Authenticate, which passed
// silently. Other names pass without one.
func TestPlanResponseHeadersRenamed(t *testing.T) {
	p, probs := plan(&IdentityApiProps{BackendUrl: jsii.String("https://b.example.com"),
		ResponseHeaders: jsii.Strings("X-Total-Count", "WWW-Authenticate", "transfer-encoding")})
	want := []string{
		`ResponseHeaders[1]: API Gateway does not pass a mapped WWW-Authenticate header as it is: the client gets it as X-Amzn-Remapped-Www-Authenticate; leave it out, or have the backend answer it under another name`,
		`ResponseHeaders[2]: API Gateway drops a mapped transfer-encoding header: the client never gets it; leave it out`,
	}
	if len(probs.errs) != 0 || strings.Join(probs.warnings, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors %q\nwarnings %q\nwant %q", probs.errs, probs.warnings, want)
	}
	if strings.Join(p.responseHeaders, ",") != "X-Total-Count,WWW-Authenticate,transfer-encoding" {
		t.Errorf("responseHeaders %q", p.responseHeaders)
	}
}
