package review

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/iamgate/iamgate/internal/apimodel"
	"github.com/iamgate/iamgate/templates"
)

// The golden template of the app's default stack: GET /orders, POST
// /orders, GET /orders/{orderId} and GET /whoami, all AWS_IAM, HTTP
// integrations with the identity headers and the envelope.
const golden = "../../stacks/testdata/IamGate.template.json"

// The logical ids of the golden template.
const (
	restAPI    = "ApiF70053CD"
	getOrders  = "ApiordersGET54B35769"
	postOrders = "ApiordersPOSTC4B92180"
	getOrder   = "ApiordersorderIdGET7323BC5C"
	getWhoami  = "ApiwhoamiGETF55E0622"
	deployment = "ApiDeploymentB17BE62Dc670b549bd2bdf0278f6b96affe85bc5"
	stage      = "ApiDeploymentStageprod3EB9684E"
	ordersRes  = "Apiorders33D48F48"
)

// tmpl is a template as JSON values, for a test to change.
type tmpl map[string]any

// loadTemplate reads a template of testdata/corpus, the golden one for "".
func loadTemplate(t *testing.T, file string) tmpl {
	t.Helper()
	path := golden
	if file != "" {
		path = "testdata/corpus/" + file
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m tmpl
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func (m tmpl) resources() map[string]any { return m["Resources"].(map[string]any) }

// props returns the Properties of a resource.
func (m tmpl) props(id string) map[string]any {
	return m.resources()[id].(map[string]any)["Properties"].(map[string]any)
}

// integration returns the Integration of a method.
func (m tmpl) integration(id string) map[string]any {
	return m.props(id)["Integration"].(map[string]any)
}

func (m tmpl) params(id string) map[string]any {
	return m.integration(id)["RequestParameters"].(map[string]any)
}

// addDeleteOrders adds DELETE /orders, with authorization auth and an
// integration of type typ to https://httpbin.org/anything/orders with the
// mappings params, the method declaring the parameters declared (either
// may be nil).
func (m tmpl) addDeleteOrders(auth, typ string, params, declared map[string]any) {
	in := map[string]any{"Type": typ, "IntegrationHttpMethod": "DELETE", "Uri": "https://httpbin.org/anything/orders"}
	if params != nil {
		in["RequestParameters"] = params
	}
	props := map[string]any{"HttpMethod": "DELETE", "AuthorizationType": auth, "ResourceId": map[string]any{"Ref": ordersRes},
		"RestApiId": map[string]any{"Ref": restAPI}, "Integration": in}
	if declared != nil {
		props["RequestParameters"] = declared
	}
	m.resources()["ApiordersDELETE"] = map[string]any{"Type": "AWS::ApiGateway::Method", "Properties": props}
}

func (m tmpl) parse(t *testing.T) []*apimodel.API {
	t.Helper()
	raw, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	apis, err := apimodel.Parse(raw, apimodel.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return apis
}

// policyDoc is a policy with statements.
func policyDoc(stmts ...map[string]any) map[string]any {
	list := make([]any, len(stmts))
	for i, s := range stmts {
		list[i] = s
	}
	return map[string]any{"Version": "2012-10-17", "Statement": list}
}

// invokeArn is the execute-api ARN of the golden API's stage, with path.
func invokeArn(path string) any {
	return map[string]any{"Fn::Join": []any{"", []any{
		"arn:", map[string]any{"Ref": "AWS::Partition"}, ":execute-api:", map[string]any{"Ref": "AWS::Region"}, ":",
		map[string]any{"Ref": "AWS::AccountId"}, ":", map[string]any{"Ref": restAPI}, "/prod/" + path}}}
}

// readerPolicy is what GrantInvoke on GET /orders/{orderId} writes.
func readerPolicy(action any, resource any) map[string]any {
	return map[string]any{"Type": "AWS::IAM::Policy", "Properties": map[string]any{
		"PolicyName": "ReaderDefaultPolicy",
		"Roles":      []any{map[string]any{"Ref": "Reader"}},
		"PolicyDocument": policyDoc(map[string]any{
			"Effect": "Allow", "Action": action, "Resource": resource}),
	}}
}

// resourcePolicy denies callers outside a network and allows the account.
func resourcePolicy(deny bool, allowPath string) map[string]any {
	var stmts []map[string]any
	if deny {
		stmts = append(stmts, map[string]any{"Sid": "OnlyFromOffice", "Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke",
			"Resource": "execute-api:/*", "Condition": map[string]any{"NotIpAddress": map[string]any{"aws:SourceIp": "203.0.113.0/24"}}})
	}
	stmts = append(stmts, map[string]any{"Sid": "Account", "Effect": "Allow", "Principal": map[string]any{"AWS": "111122223333"},
		"Action": "execute-api:Invoke", "Resource": "execute-api:/" + allowPath})
	return policyDoc(stmts...)
}

// A diff test changes the golden template one way (after an optional
// change to both sides), and expects exactly its findings, cosmetic ones
// aside unless cosmetic is set, and the exit code of iamgate diff.
// diffTest is a case of TestDiff: a change to the golden template and the
// findings it gives.
type diffTest struct {
	name string
	// file is the template both sides start from: the golden template
	// when "", else a file of testdata/corpus (corpus_test.go).
	file     string
	base     func(tmpl) // applied to both templates
	change   func(tmpl) // applied to the new one
	want     []string   // "level rule where: message"
	cosmetic bool       // compare the cosmetic findings too
	exit     int
}

// allDiffTests are the cases of TestDiff, from every file that has some.
func allDiffTests() []diffTest {
	return slices.Concat(diffTests, domainDiffTests, intrinsicDiffTests, stageSettingsTests, corpusDiffTests)
}

var diffTests = []diffTest{
	{name: "no change", change: func(tmpl) {}, cosmetic: true, exit: 0},
	{
		name:   "authorization to NONE",
		change: func(m tmpl) { m.props(getWhoami)["AuthorizationType"] = "NONE" },
		want:   []string{"security authorization-weakened GET /whoami: authorization weakened: AWS_IAM -> NONE"},
		exit:   1,
	},
	{
		name:   "authorization to a custom authorizer",
		change: func(m tmpl) { m.props(getWhoami)["AuthorizationType"] = "CUSTOM" },
		want:   []string{"security authorization-weakened GET /whoami: authorization weakened: AWS_IAM -> CUSTOM"},
		exit:   1,
	},
	{
		name: "new route without IAM",
		change: func(m tmpl) {
			m.addDeleteOrders("NONE", "HTTP", nil, nil)
		},
		want: []string{"security route-added-without-iam DELETE /orders: new route with authorization NONE: callers are not verified by IAM"},
		exit: 1,
	},
	{
		name: "new CORS preflight",
		change: func(m tmpl) {
			m.resources()["ApiordersOPTIONS"] = map[string]any{"Type": "AWS::ApiGateway::Method", "Properties": map[string]any{
				"HttpMethod": "OPTIONS", "AuthorizationType": "NONE", "ResourceId": map[string]any{"Ref": ordersRes},
				"RestApiId":   map[string]any{"Ref": restAPI},
				"Integration": map[string]any{"Type": "MOCK", "RequestTemplates": map[string]any{"application/json": "{ statusCode: 200 }"}}}}
		},
		want: []string{"change route-added-preflight OPTIONS /orders: new OPTIONS route with authorization NONE answered by a MOCK integration (a CORS preflight): no backend is called"},
		exit: 0,
	},
	{
		name: "new IAM route",
		change: func(m tmpl) {
			m.addDeleteOrders("AWS_IAM", "HTTP", map[string]any{"integration.request.header.X-Iamgate-User-Arn": "context.identity.userArn"}, nil)
		},
		want: []string{
			"change route-added DELETE /orders: new route (AWS_IAM, HTTP DELETE https://httpbin.org/anything/orders)",
		},
		exit: 0,
	},
	{
		name: "new route that feeds an identity header from the client",
		change: func(m tmpl) {
			m.addDeleteOrders("AWS_IAM", "HTTP", map[string]any{"integration.request.header.X-Iamgate-User-Arn": "method.request.header.X-User"}, map[string]any{"method.request.header.X-User": false})
		},
		want: []string{
			"security identity-header-source DELETE /orders: header.X-Iamgate-User-Arn, an identity header (context.identity.userArn elsewhere), now reads the client's method request parameter method.request.header.X-User (was not mapped)",
			"change route-added DELETE /orders: new route (AWS_IAM, HTTP DELETE https://httpbin.org/anything/orders)",
		},
		exit: 1,
	},
	{
		name:   "route removed",
		change: func(m tmpl) { delete(m.resources(), postOrders) },
		want:   []string{"change route-removed POST /orders: route removed"},
		exit:   0,
	},
	{
		name:   "identity header removed",
		change: func(m tmpl) { delete(m.params(getOrders), "integration.request.header.X-Iamgate-User-Arn") },
		want:   []string{"security identity-header-removed GET /orders: identity mapping header.X-Iamgate-User-Arn removed (was context.identity.userArn)"},
		exit:   1,
	},
	{
		name: "identity header fed from a client header",
		change: func(m tmpl) {
			m.params(getOrders)["integration.request.header.X-Iamgate-User-Arn"] = "method.request.header.X-User"
			m.props(getOrders)["RequestParameters"].(map[string]any)["method.request.header.X-User"] = false
		},
		want: []string{
			"security identity-header-source GET /orders: identity mapping header.X-Iamgate-User-Arn now reads the client's method request parameter method.request.header.X-User (was context.identity.userArn)",
			"change method-parameters GET /orders: declared request parameters: +method.request.header.X-User",
		},
		exit: 1,
	},
	{
		// The backend gets one header of a name in any case: the added
		// mapping sets the identity header from the client's.
		name: "identity header fed from a client header in another case",
		change: func(m tmpl) {
			m.params(getOrders)["integration.request.header.x-iamgate-user-arn"] = "method.request.header.X-User"
			m.props(getOrders)["RequestParameters"].(map[string]any)["method.request.header.X-User"] = false
		},
		want: []string{
			"security identity-header-source GET /orders: header.x-iamgate-user-arn, an identity header (context.identity.userArn elsewhere), now reads the client's method request parameter method.request.header.X-User (was not mapped)",
			"change method-parameters GET /orders: declared request parameters: +method.request.header.X-User",
		},
		exit: 1,
	},
	{
		name: "identity header fed from another identity field",
		change: func(m tmpl) {
			m.params(getOrders)["integration.request.header.X-Iamgate-User-Arn"] = "context.identity.caller"
		},
		want: []string{"security identity-header-source GET /orders: identity mapping header.X-Iamgate-User-Arn now reads context variable context.identity.caller (was context.identity.userArn)"},
		exit: 1,
	},
	{
		name: "other mapping changed",
		change: func(m tmpl) {
			m.params(getOrder)["integration.request.header.X-Request-Correlation-Id"] = "context.requestId"
		},
		want: []string{"change mapping GET /orders/{orderId}: mapping header.X-Request-Correlation-Id <- context.requestId (was method.request.header.X-Correlation-Id)"},
		exit: 0,
	},
	{
		name:   "envelope removed",
		change: func(m tmpl) { delete(m.integration(postOrders), "RequestTemplates") },
		want: []string{
			"security envelope-removed POST /orders: the identity envelope is gone: no request template reads $context.identity (it read accessKey, accountId, apiKey, apiKeyId, caller, cognitoAuthenticationProvider, cognitoAuthenticationType, cognitoIdentityId, cognitoIdentityPoolId, principalOrgId, sourceIp, user, userAgent, userArn, vpcId, vpceId)",
			"change request-template POST /orders: request template for application/json removed",
		},
		exit: 1,
	},
	{
		name: "envelope's userArn from a client header",
		change: func(m tmpl) {
			rt := m.integration(postOrders)["RequestTemplates"].(map[string]any)
			rt["application/json"] = strings.Replace(rt["application/json"].(string), "$context.identity.userArn", "$input.params('X-User')", 1)
		},
		want: []string{
			"security envelope-identity-dropped POST /orders: the request template no longer reads $context.identity.userArn",
			"security request-template-unreviewed POST /orders: request template for application/json changed (" + envelopeSize + ") and not iamgate's envelope: review what it builds from client values, which the backend may read as the caller",
		},
		exit: 1,
	},
	{
		// Every identity field is still named, but two trade places: only
		// the envelope's own text is known to be safe.
		name: "envelope fields swapped",
		change: func(m tmpl) {
			rt := m.integration(postOrders)["RequestTemplates"].(map[string]any)
			t := strings.Replace(rt["application/json"].(string), "$context.identity.userArn", "$context.identity.SWAP", 1)
			t = strings.Replace(t, "$context.identity.userAgent", "$context.identity.userArn", 1)
			rt["application/json"] = strings.Replace(t, "$context.identity.SWAP", "$context.identity.userAgent", 1)
		},
		want: []string{
			"security request-template-unreviewed POST /orders: request template for application/json changed (" + envelopeSize0 + ") and not iamgate's envelope: review what it builds from client values, which the backend may read as the caller",
		},
		exit: 1,
	},
	{
		name: "raw template for another content type",
		change: func(m tmpl) {
			m.integration(postOrders)["RequestTemplates"].(map[string]any)["text/plain"] = "$input.body"
		},
		want: []string{
			"security request-template-unreviewed POST /orders: request template for text/plain added (11 bytes) and not iamgate's envelope: review what it builds from client values, which the backend may read as the caller",
		},
		exit: 1,
	},
	{
		name: "new proxy route",
		change: func(m tmpl) {
			m.addDeleteOrders("AWS_IAM", "HTTP_PROXY", nil, nil)
		},
		want: []string{
			"security integration-proxy DELETE /orders: new route with an HTTP_PROXY integration (HTTP_PROXY DELETE https://httpbin.org/anything/orders): client headers pass to the backend, X-Iamgate-* among them, and request templates are ignored",
		},
		exit: 1,
	},
	{
		// $context.identity.userAgent is the client's User-Agent header:
		// not an identity the gateway verified.
		name: "new route that feeds an identity header from the client's User-Agent",
		change: func(m tmpl) {
			m.addDeleteOrders("AWS_IAM", "HTTP", map[string]any{"integration.request.header.X-Iamgate-User-Arn": "context.identity.userAgent"}, nil)
		},
		want: []string{
			"security identity-header-source DELETE /orders: header.X-Iamgate-User-Arn, an identity header (context.identity.userArn elsewhere), now reads context variable context.identity.userAgent (was not mapped)",
			"change route-added DELETE /orders: new route (AWS_IAM, HTTP DELETE https://httpbin.org/anything/orders)",
		},
		exit: 1,
	},
	{
		name: "session token mapped to the backend",
		change: func(m tmpl) {
			m.params(getOrders)["integration.request.header.X-Token"] = "method.request.header.x-amz-security-token"
			m.props(getOrders)["RequestParameters"].(map[string]any)["method.request.header.x-amz-security-token"] = false
		},
		want: []string{
			"security credential-forwarded GET /orders: mapping header.X-Token <- method.request.header.x-amz-security-token: the caller's credentials reach the backend, which could replay them as the caller",
			"change method-parameters GET /orders: declared request parameters: +method.request.header.x-amz-security-token",
		},
		exit: 1,
	},
	{
		// Whichever spelling sorts first: which one API Gateway applies is
		// not recorded.
		name: "identity header fed from a client header in upper case",
		change: func(m tmpl) {
			m.params(getOrders)["integration.request.header.X-IAMGATE-USER-ARN"] = "method.request.header.X-User"
			m.props(getOrders)["RequestParameters"].(map[string]any)["method.request.header.X-User"] = false
		},
		want: []string{
			"security identity-header-source GET /orders: header.X-IAMGATE-USER-ARN, an identity header (context.identity.userArn elsewhere), now reads the client's method request parameter method.request.header.X-User (was not mapped)",
			"change method-parameters GET /orders: declared request parameters: +method.request.header.X-User",
		},
		exit: 1,
	},
	{
		name: "identity header renamed in case only",
		change: func(m tmpl) {
			p := m.params(getOrders)
			p["integration.request.header.x-iamgate-user-arn"] = p["integration.request.header.X-Iamgate-User-Arn"]
			delete(p, "integration.request.header.X-Iamgate-User-Arn")
		},
		want: nil,
		exit: 0,
	},
	{
		name:   "passthrough loosened",
		change: func(m tmpl) { m.integration(postOrders)["PassthroughBehavior"] = "WHEN_NO_MATCH" },
		want:   []string{"security passthrough-loosened POST /orders: passthrough NEVER -> WHEN_NO_MATCH: a request in another content type reaches the backend as the client sent it, in place of the identity envelope"},
		exit:   1,
	},
	{
		name:   "integration turned HTTP_PROXY",
		change: func(m tmpl) { m.integration(getWhoami)["Type"] = "HTTP_PROXY" },
		want:   []string{"security integration-proxy GET /whoami: integration turned HTTP_PROXY: client headers pass to the backend and request templates are ignored"},
		exit:   1,
	},
	{
		name:   "backend host changed",
		change: func(m tmpl) { m.integration(getWhoami)["Uri"] = "https://collector.example.net/anything/whoami" },
		want:   []string{"security backend-host GET /whoami: backend https://httpbin.org -> https://collector.example.net"},
		exit:   1,
	},
	{
		name:   "backend to plain HTTP",
		change: func(m tmpl) { m.integration(getWhoami)["Uri"] = "http://httpbin.org/anything/whoami" },
		want:   []string{"security backend-host GET /whoami: backend https://httpbin.org -> http://httpbin.org"},
		exit:   1,
	},
	{
		name:   "backend path changed",
		change: func(m tmpl) { m.integration(getWhoami)["Uri"] = "https://httpbin.org/anything/me" },
		want:   []string{"change backend-path GET /whoami: backend path /anything/whoami -> /anything/me"},
		exit:   0,
	},
	{
		name: "backend behind a VPC link",
		change: func(m tmpl) {
			m.integration(getWhoami)["ConnectionType"] = "VPC_LINK"
			m.integration(getWhoami)["ConnectionId"] = map[string]any{"Ref": "Link"}
		},
		want: []string{"security backend-connection GET /whoami: backend connection INTERNET -> VPC_LINK ${Link}"},
		exit: 1,
	},
	{
		name: "private API made regional",
		base: func(m tmpl) {
			m.props(restAPI)["EndpointConfiguration"] = map[string]any{"Types": []any{"PRIVATE"}}
		},
		change: func(m tmpl) {
			m.props(restAPI)["EndpointConfiguration"] = map[string]any{"Types": []any{"REGIONAL"}}
		},
		want: []string{"security endpoint-public API ApiF70053CD: endpoint PRIVATE -> REGIONAL: the API is no longer private to VPC endpoints, it is reachable from the internet"},
		exit: 1,
	},
	{
		name:   "timeout",
		change: func(m tmpl) { m.integration(getWhoami)["TimeoutInMillis"] = 5000.0 },
		want:   []string{"change timeout GET /whoami: integration timeout 29000 -> 5000 ms"},
		exit:   0,
	},
	{
		name: "resource policy: Deny removed",
		base: func(m tmpl) { m.props(restAPI)["Policy"] = resourcePolicy(true, "prod/GET/*") },
		change: func(m tmpl) {
			m.props(restAPI)["Policy"] = resourcePolicy(false, "prod/GET/*")
		},
		want: []string{"security resource-policy-deny-removed resource policy: Deny removed (statement OnlyFromOffice): no longer denies execute-api:Invoke on execute-api:/* for * if NotIpAddress aws:sourceip 203.0.113.0/24"},
		exit: 1,
	},
	{
		name: "resource policy: Allow widened",
		base: func(m tmpl) { m.props(restAPI)["Policy"] = resourcePolicy(true, "prod/GET/*") },
		change: func(m tmpl) {
			m.props(restAPI)["Policy"] = resourcePolicy(true, "*")
		},
		want: []string{"security resource-policy-allow-widened resource policy: Allow widened (statement Account): now allows execute-api:Invoke on execute-api:/* for AWS:arn:aws:iam::111122223333:root"},
		exit: 1,
	},
	{
		name: "resource policy: Allow to everyone",
		base: func(m tmpl) { m.props(restAPI)["Policy"] = resourcePolicy(true, "prod/GET/*") },
		change: func(m tmpl) {
			p := resourcePolicy(true, "prod/GET/*")
			p["Statement"].([]any)[1].(map[string]any)["Principal"] = map[string]any{"AWS": "*"}
			m.props(restAPI)["Policy"] = p
		},
		want: []string{"security resource-policy-allow-widened resource policy: Allow widened (statement Account): now allows execute-api:Invoke on execute-api:/prod/GET/* for AWS:*"},
		exit: 1,
	},
	{
		name: "resource policy: Allow narrowed",
		base: func(m tmpl) { m.props(restAPI)["Policy"] = resourcePolicy(true, "prod/*") },
		change: func(m tmpl) {
			m.props(restAPI)["Policy"] = resourcePolicy(true, "prod/GET/orders")
		},
		want: []string{"change resource-policy-changed resource policy: resource policy changed; nothing it allows is new, nothing it denied is lost"},
		exit: 0,
	},
	{
		name:   "resource policy added with an Allow",
		change: func(m tmpl) { m.props(restAPI)["Policy"] = resourcePolicy(false, "*") },
		want:   []string{"security resource-policy-allow-widened resource policy: Allow added (statement Account): now allows execute-api:Invoke on execute-api:/* for AWS:arn:aws:iam::111122223333:root"},
		exit:   1,
	},
	{
		name: "IAM grant widened to the stage",
		base: func(m tmpl) {
			m.resources()["ReaderPolicy"] = readerPolicy("execute-api:Invoke", invokeArn("GET/orders/*"))
		},
		change: func(m tmpl) {
			m.resources()["ReaderPolicy"] = readerPolicy("execute-api:Invoke", invokeArn("*"))
		},
		want: []string{"security identity-policy-grant-widened IAM policy ReaderPolicy (ReaderDefaultPolicy): Allow widened (statement 1): now allows execute-api:Invoke on arn:aws:execute-api:us-east-1:123456789012:${ApiF70053CD}/prod/*"},
		exit: 1,
	},
	{
		name: "IAM grant widened to every execute-api action",
		base: func(m tmpl) {
			m.resources()["ReaderPolicy"] = readerPolicy("execute-api:Invoke", invokeArn("GET/orders/*"))
		},
		change: func(m tmpl) {
			m.resources()["ReaderPolicy"] = readerPolicy("execute-api:*", invokeArn("GET/orders/*"))
		},
		want: []string{"security identity-policy-grant-widened IAM policy ReaderPolicy (ReaderDefaultPolicy): Allow widened (statement 1): now allows execute-api:* on arn:aws:execute-api:us-east-1:123456789012:${ApiF70053CD}/prod/GET/orders/*"},
		exit: 1,
	},
	{
		name: "IAM grant widened to Action * on Resource *",
		base: func(m tmpl) {
			m.resources()["ReaderPolicy"] = readerPolicy("execute-api:Invoke", invokeArn("GET/orders/*"))
		},
		change: func(m tmpl) {
			m.resources()["ReaderPolicy"] = readerPolicy("*", "*")
		},
		want: []string{"security identity-policy-grant-widened IAM policy ReaderPolicy (ReaderDefaultPolicy): Allow widened (statement 1): now allows * on *"},
		exit: 1,
	},
	{
		name: "IAM grant on one more route",
		base: func(m tmpl) {
			m.resources()["ReaderPolicy"] = readerPolicy("execute-api:Invoke", invokeArn("GET/orders/*"))
		},
		change: func(m tmpl) {
			m.resources()["ReaderPolicy"] = readerPolicy("execute-api:Invoke", []any{invokeArn("GET/orders/*"), invokeArn("POST/orders")})
		},
		want: []string{"security identity-policy-grant-widened IAM policy ReaderPolicy (ReaderDefaultPolicy): Allow widened (statement 1): now allows execute-api:Invoke on arn:aws:execute-api:us-east-1:123456789012:${ApiF70053CD}/prod/POST/orders"},
		exit: 1,
	},
	{
		name: "new IAM grant",
		change: func(m tmpl) {
			m.resources()["ReaderPolicy"] = readerPolicy("execute-api:Invoke", invokeArn("GET/orders/*"))
		},
		want: []string{"security identity-policy-grant-widened IAM policy ReaderPolicy (ReaderDefaultPolicy): new policy: Allow added (statement 1): now allows execute-api:Invoke on arn:aws:execute-api:us-east-1:123456789012:${ApiF70053CD}/prod/GET/orders/*"},
		exit: 1,
	},
	{
		// The AWS managed policy's grant is not in the template: the
		// reader knows what it allows.
		name: "AWS managed policy AmazonAPIGatewayInvokeFullAccess attached",
		change: func(m tmpl) {
			m.props("IamGateCloudWatchRole0DADF0D1")["ManagedPolicyArns"] = []any{map[string]any{"Fn::Join": []any{"", []any{
				"arn:", map[string]any{"Ref": "AWS::Partition"}, ":iam::aws:policy/AmazonAPIGatewayInvokeFullAccess"}}}}
		},
		want: []string{"security identity-policy-grant-widened IAM policy IamGateCloudWatchRole0DADF0D1 (AmazonAPIGatewayInvokeFullAccess): new policy: Allow added (statement 1): now allows execute-api:Invoke on arn:aws:execute-api:*:*:*"},
		exit: 1,
	},
	{
		// Sorted before prod: the stage the local tools serve changes too.
		name: "second stage",
		change: func(m tmpl) {
			st := m.props(stage)
			dev := map[string]any{}
			for k, v := range st {
				dev[k] = v
			}
			dev["StageName"] = "dev"
			m.resources()["ApiDeploymentStageAdev"] = map[string]any{"Type": "AWS::ApiGateway::Stage", "Properties": dev}
		},
		want: []string{"security stage-added API ApiF70053CD: the API is also served on a new stage dev: a resource policy or IAM grant written for another stage's ARNs (.../STAGE/...) does not cover it"},
		exit: 1,
	},
	{
		name:   "API key required",
		change: func(m tmpl) { m.props(getOrders)["ApiKeyRequired"] = true },
		want:   []string{"change api-key GET /orders: API key required false -> true (a usage plan's key identifies a client; it is not authorization)"},
		exit:   0,
	},
	{
		// A Deployment's StageName creates a stage too.
		name:   "second stage through the Deployment",
		change: func(m tmpl) { m.props(deployment)["StageName"] = "beta" },
		want:   []string{"security stage-added API ApiF70053CD: the API is also served on a new stage beta: a resource policy or IAM grant written for another stage's ARNs (.../STAGE/...) does not cover it"},
		exit:   1,
	},
	{
		name: "IAM Deny removed",
		base: func(m tmpl) {
			p := readerPolicy("execute-api:Invoke", invokeArn("*"))
			doc := p["Properties"].(map[string]any)["PolicyDocument"].(map[string]any)
			doc["Statement"] = append(doc["Statement"].([]any), map[string]any{"Sid": "NoWrites", "Effect": "Deny", "Action": "execute-api:Invoke", "Resource": invokeArn("POST/*")})
			m.resources()["ReaderPolicy"] = p
		},
		change: func(m tmpl) {
			m.resources()["ReaderPolicy"] = readerPolicy("execute-api:Invoke", invokeArn("*"))
		},
		want: []string{"security identity-policy-deny-removed IAM policy ReaderPolicy (ReaderDefaultPolicy): Deny removed (statement NoWrites): no longer denies execute-api:Invoke on arn:aws:execute-api:us-east-1:123456789012:${ApiF70053CD}/prod/POST/*"},
		exit: 1,
	},
	{
		name: "IAM grant narrowed",
		base: func(m tmpl) { m.resources()["ReaderPolicy"] = readerPolicy("execute-api:Invoke", invokeArn("GET/*")) },
		change: func(m tmpl) {
			m.resources()["ReaderPolicy"] = readerPolicy("execute-api:Invoke", invokeArn("GET/orders/*"))
		},
		want: []string{"change identity-policy-changed IAM policy ReaderPolicy (ReaderDefaultPolicy): policy changed; it grants nothing new on execute-api and loses no Deny"},
		exit: 0,
	},
	// A responses change says what changed, and on which responses: it
	// said "integration responses changed (20 -> 20)" only.
	{
		name: "responses: a header passed on every status, one status changed, one removed",
		change: func(m tmpl) {
			in := m.integration(getWhoami)
			var kept []any
			for _, r := range in["IntegrationResponses"].([]any) {
				r := r.(map[string]any)
				switch r["StatusCode"] {
				case "409":
					continue
				case "422":
					r["StatusCode"] = "400"
				}
				params, _ := r["ResponseParameters"].(map[string]any)
				if params == nil {
					params = map[string]any{}
					r["ResponseParameters"] = params
				}
				params["method.response.header.X-Total-Count"] = "integration.response.header.X-Total-Count"
				kept = append(kept, r)
			}
			in["IntegrationResponses"] = kept
			for _, r := range m.props(getWhoami)["MethodResponses"].([]any) {
				r := r.(map[string]any)
				if r["StatusCode"] == "200" {
					r["ResponseParameters"].(map[string]any)["method.response.header.X-Total-Count"] = false
				}
			}
		},
		want: []string{
			"change responses GET /whoami: method responses changed: method.response.header.X-Total-Count declared (on 200)",
			"change responses GET /whoami: integration responses changed (20 -> 19): parameter method.response.header.X-Total-Count <- integration.response.header.X-Total-Count added (on every response); " +
				"status 422 -> 400 (on 400 for 422); response removed (on 409)",
		},
		exit: 0,
	},
	// API Gateway's own answers (gateway responses) were not compared at
	// all: a CORS origin widened on every 4xx, or an ACCESS_DENIED answered
	// 200, read "no differences".
	{
		name: "gateway responses added, changed and removed",
		base: func(m tmpl) {
			res := m.resources()
			res["ApiCors4xx"] = gatewayResponse("DEFAULT_4XX", "", map[string]any{"gatewayresponse.header.Access-Control-Allow-Origin": "'https://app.example.com'"}, nil)
			res["ApiThrottled"] = gatewayResponse("THROTTLED", "429", nil, nil)
		},
		change: func(m tmpl) {
			res := m.resources()
			res["ApiCors4xx"] = gatewayResponse("DEFAULT_4XX", "", map[string]any{"gatewayresponse.header.Access-Control-Allow-Origin": "'*'"}, map[string]any{"application/json": `{"message":$context.error.messageString}`})
			delete(res, "ApiThrottled")
			res["ApiDenied"] = gatewayResponse("ACCESS_DENIED", "200", nil, map[string]any{"application/json": `{"ok":true}`})
		},
		want: []string{
			"change gateway-response API ApiF70053CD: gateway response ACCESS_DENIED added: API Gateway's own ACCESS_DENIED answers get status 200, a template for application/json",
			"change gateway-response API ApiF70053CD: gateway response DEFAULT_4XX: header.Access-Control-Allow-Origin 'https://app.example.com' -> '*'; template for application/json changed",
			"change gateway-response API ApiF70053CD: gateway response THROTTLED removed: API Gateway's own THROTTLED answers are its defaults again",
		},
		exit: 0,
	},
	{
		name: "cosmetic: descriptions and the deployment's hash",
		change: func(m tmpl) {
			m.props(restAPI)["Description"] = "orders API"
			res := m.resources()
			res["ApiDeployment0123abcd"] = res[deployment]
			delete(res, deployment)
			m.props(stage)["DeploymentId"] = map[string]any{"Ref": "ApiDeployment0123abcd"}
		},
		want: []string{
			"cosmetic description API ApiF70053CD: description changed",
			"cosmetic deployment API ApiF70053CD: deployment logical id " + deployment + " -> ApiDeployment0123abcd (the CDK hashes the API's methods into it)",
		},
		cosmetic: true,
		exit:     0,
	},
}

// envelopeSize0 is the size of the envelope template, which a change that
// keeps its size leaves as it is.
var envelopeSize0 = func() string {
	n := len(templates.Envelope)
	return fmt.Sprintf("%d -> %d bytes", n, n)
}()

// envelopeSize is the change of size of the envelope template when
// $context.identity.userArn (its field list holds the references) becomes
// $input.params('X-User').
var envelopeSize = func() string {
	n := len(templates.Envelope)
	return fmt.Sprintf("%d -> %d bytes", n, n-2)
}()

func TestDiff(t *testing.T) {
	for _, tt := range allDiffTests() {
		t.Run(tt.name, func(t *testing.T) {
			old, new := loadTemplate(t, tt.file), loadTemplate(t, tt.file)
			if tt.base != nil {
				tt.base(old)
				tt.base(new)
			}
			tt.change(new)
			r := Diff(old.parse(t), new.parse(t))
			var got []string
			for _, f := range r.Findings {
				if f.Level == Cosmetic && !tt.cosmetic {
					continue
				}
				got = append(got, f.Level.String()+" "+f.Rule+" "+f.String())
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if exit := min(r.Count(Security), 1); exit != tt.exit {
				t.Errorf("exit %d, want %d", exit, tt.exit)
			}
		})
	}
}

// APIs are matched by logical id; one API left on each side is a
// replacement, compared route by route; others are added or removed.
func TestDiffMatchesAPIs(t *testing.T) {
	api := func(id string, auth string) *apimodel.API {
		return &apimodel.API{LogicalID: id, StageName: "prod", Methods: []*apimodel.Method{
			{LogicalID: id + "M", HTTPMethod: "GET", Path: "/x", Authorization: auth, Integration: &apimodel.Integration{Type: "MOCK"}}},
			Unsupported: []string{"RestApi " + id + " is defined by an OpenAPI Body"}}
	}
	lines := func(r *Report) string {
		var out []string
		for _, f := range r.Findings {
			out = append(out, f.Level.String()+" "+f.Rule+" "+f.API+" "+f.String())
		}
		return strings.Join(out, "\n")
	}
	r := Diff([]*apimodel.API{api("A", "AWS_IAM")}, []*apimodel.API{api("B", "NONE")})
	// The security finding sorts first.
	want := `security not-read B API B: new in what the reader cannot read: RestApi B is defined by an OpenAPI Body; review it in the template
security authorization-weakened B GET /x: authorization weakened: AWS_IAM -> NONE
change api-replaced B API B: REST API A replaced by B: a new API id and invoke URL
cosmetic logical-id B GET /x: logical id AM -> BM`
	if got := lines(r); got != want {
		t.Errorf("replaced:\n%s\nwant:\n%s", got, want)
	}
	if len(r.NotRead) != 1 || r.NotRead[0] != "RestApi B is defined by an OpenAPI Body" {
		t.Errorf("not read: %q", r.NotRead)
	}
	withDeny := api("C", "AWS_IAM")
	withDeny.Policy = map[string]any{"Statement": map[string]any{"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"}}
	r = Diff([]*apimodel.API{api("A", "AWS_IAM"), withDeny}, []*apimodel.API{api("A", "AWS_IAM"), api("D", "NONE"), api("E", "AWS_IAM")})
	want = `security not-read D API D: new in what the reader cannot read: RestApi D is defined by an OpenAPI Body; review it in the template
security route-added-without-iam D GET /x: new route with authorization NONE: callers are not verified by IAM
security not-read E API E: new in what the reader cannot read: RestApi E is defined by an OpenAPI Body; review it in the template
change api-removed C API C: REST API C removed
change route-removed C GET /x: route removed
change api-added D API D: REST API D added
change api-added E API E: REST API E added
change route-added E GET /x: new route (AWS_IAM, MOCK)`
	if got := lines(r); got != want {
		t.Errorf("added and removed:\n%s\nwant:\n%s", got, want)
	}
}

// Every security-relevant rule has a case of its own in diffTests.
func TestEverySecurityRuleIsTested(t *testing.T) {
	tested := map[string]bool{}
	for _, tt := range allDiffTests() {
		for _, w := range tt.want {
			if f := strings.Fields(w); f[0] == "security" {
				tested[f[1]] = true
			}
		}
	}
	for rule, lvl := range RuleLevels() {
		if lvl == Security && !tested[rule] {
			t.Errorf("no diff test expects %s", rule)
		}
	}
}

// gatewayResponse is an AWS::ApiGateway::GatewayResponse of the golden
// template's API.
func gatewayResponse(typ, status string, params, templates map[string]any) map[string]any {
	p := map[string]any{"ResponseType": typ, "RestApiId": map[string]any{"Ref": restAPI}}
	if status != "" {
		p["StatusCode"] = status
	}
	if params != nil {
		p["ResponseParameters"] = params
	}
	if templates != nil {
		p["ResponseTemplates"] = templates
	}
	return map[string]any{"Type": "AWS::ApiGateway::GatewayResponse", "Properties": p}
}
