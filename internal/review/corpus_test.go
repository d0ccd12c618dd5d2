package review

// Templates iamgate did not make (testdata/corpus), each weakened the way a
// change could weaken it, with what a review must say. handwritten is a
// hand-written API with AWS_IAM, COGNITO_USER_POOLS and CUSTOM (TOKEN)
// routes, an API key, a body validator with a model, a MOCK, an HTTP_PROXY
// on {proxy+}, a Lambda proxy and a method without an integration;
// specrestapi a RestApi defined by an OpenAPI Body (a CDK SpecRestApi);
// cdk-lambdarestapi a LambdaRestApi's shape.

const (
	handwritten = "handwritten.template.json"
	specRestAPI = "specrestapi.template.json"
	// lambdaRestAPI is shaped as aws-cdk-lib's LambdaRestApi synthesizes
	// (written for this corpus): ANY / and ANY /{proxy+} (AWS_IAM here),
	// AWS_PROXY to a function by Fn::Join, the CloudWatch role and account,
	// a hashed deployment, a grant by Fn::Join.
	lambdaRestAPI = "cdk-lambdarestapi.template.json"
)

var corpusDiffTests = []diffTest{
	{
		name: "another user pool behind a COGNITO_USER_POOLS route", file: handwritten,
		change: func(m tmpl) {
			m.props("UserPoolAuth")["ProviderARNs"] = []any{"arn:aws:cognito-idp:us-east-1:999999999999:userpool/us-east-1_OTHER"}
		},
		want: []string{"security authorizer-changed POST /orders: COGNITO_USER_POOLS authorizer changed (it decides who may call): " +
			"user pools arn:aws:cognito-idp:us-east-1:111122223333:userpool/us-east-1_AAAAAAAAA -> arn:aws:cognito-idp:us-east-1:999999999999:userpool/us-east-1_OTHER"},
		exit: 1,
	},
	{
		// A list built at deploy is not read: the note of it changes with
		// it, where both sides read the same "skipped" note and the pools
		// as none, and the review said nothing.
		name: "another imported user pool list behind a COGNITO_USER_POOLS route", file: handwritten,
		base: func(m tmpl) {
			m.props("UserPoolAuth")["ProviderARNs"] = map[string]any{"Fn::Split": []any{",", map[string]any{"Fn::ImportValue": "pools-a"}}}
		},
		change: func(m tmpl) {
			m.props("UserPoolAuth")["ProviderARNs"] = map[string]any{"Fn::Split": []any{",", map[string]any{"Fn::ImportValue": "pools-b"}}}
		},
		want: []string{"security not-read API Api: new in what the reader cannot read: Authorizer UserPoolAuth: ProviderARNs is an object (Fn::Split, digest abe8c924ca439813), not a list; skipped; review it in the template"},
		exit: 1,
	},
	{
		// What an AWS::Include brings is in S3, not in the template: its
		// note changes with the include (its Location), where the same
		// note on both sides read as no change.
		name: "an authorizer included from another S3 object", file: handwritten,
		base: func(m tmpl) {
			m.resources()["UserPoolAuth"].(map[string]any)["Properties"] = map[string]any{"Fn::Transform": map[string]any{"Name": "AWS::Include", "Parameters": map[string]any{"Location": "s3://a/auth.yaml"}}}
		},
		change: func(m tmpl) {
			m.resources()["UserPoolAuth"].(map[string]any)["Properties"] = map[string]any{"Fn::Transform": map[string]any{"Name": "AWS::Include", "Parameters": map[string]any{"Location": "s3://b/auth.yaml"}}}
		},
		want: []string{"security not-read API Api: new in what the reader cannot read: UserPoolAuth: a Fn::Transform (AWS::Include, digest 0bc571de8e2f9d28) rewrites its properties at deploy; read as written; review it in the template"},
		exit: 1,
	},
	{
		// A property under a read one that the review does not compare:
		// a private API's VPC endpoints.
		name: "VPC endpoints changed", file: handwritten,
		change: func(m tmpl) {
			m.props("Api")["EndpointConfiguration"] = map[string]any{"Types": []any{"REGIONAL"}, "VpcEndpointIds": []any{"vpce-0123456789abcdef0"}}
		},
		want: []string{`change unread-changed API Api: properties the review does not compare changed (read them in the template): EndpointConfiguration.VpcEndpointIds ["vpce-0123456789abcdef0"] added`},
	},
	{
		name: "another function behind a TOKEN authorizer", file: handwritten,
		change: func(m tmpl) {
			m.props("TokenAuth")["AuthorizerUri"] = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:111122223333:function:allow-all/invocations"
			m.props("TokenAuth")["IdentityValidationExpression"] = ".*"
		},
		want: []string{"security authorizer-changed GET /reports: CUSTOM authorizer changed (it decides who may call): " +
			"function arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:111122223333:function:check-token/invocations -> " +
			"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:111122223333:function:allow-all/invocations; validation expression (none) -> .*"},
		exit: 1,
	},
	{
		name: "a method pointed at another authorizer", file: handwritten,
		change: func(m tmpl) {
			p := m.props("ReportsGet")
			p["AuthorizerId"] = map[string]any{"Ref": "OtherAuth"}
			m.resources()["OtherAuth"] = map[string]any{"Type": "AWS::ApiGateway::Authorizer", "Properties": map[string]any{
				"RestApiId": map[string]any{"Ref": "Api"}, "Name": "other", "Type": "TOKEN", "IdentitySource": "method.request.header.X-Token",
				"AuthorizerUri": m.props("TokenAuth")["AuthorizerUri"], "AuthorizerResultTtlInSeconds": 3600}}
		},
		want: []string{"security authorizer-changed GET /reports: CUSTOM authorizer changed (it decides who may call): " +
			"authorizer TokenAuth -> OtherAuth; cache TTL (none) -> 3600"},
		exit: 1,
	},
	{
		name: "an authorizer referred to by Fn::GetAtt reads as the same one", file: handwritten,
		change: func(m tmpl) {
			m.props("OrdersPost")["AuthorizerId"] = map[string]any{"Fn::GetAtt": []any{"UserPoolAuth", "AuthorizerId"}}
		},
		exit: 0,
	},
	{
		name: "OAuth scopes removed", file: handwritten,
		change: func(m tmpl) { delete(m.props("OrdersPost"), "AuthorizationScopes") },
		want: []string{"security authorization-scopes-widened POST /orders: authorization scopes orders/write removed: " +
			"any token the authorizer accepts may call, not only one with these scopes"},
		exit: 1,
	},
	{
		name: "an OAuth scope added", file: handwritten,
		change: func(m tmpl) { m.props("OrdersPost")["AuthorizationScopes"] = []any{"orders/write", "orders/read"} },
		want: []string{"security authorization-scopes-widened POST /orders: authorization scopes orders/write -> orders/read,orders/write: " +
			"a token with orders/read, and none of the old scopes, may now call"},
		exit: 1,
	},
	{
		name: "the request validator removed", file: handwritten,
		change: func(m tmpl) { delete(m.props("OrdersPost"), "RequestValidatorId") },
		want:   []string{"change validation POST /orders: request body validation true -> false"},
	},
	{
		name: "the validator stops validating the body", file: handwritten,
		change: func(m tmpl) { m.props("Validator")["ValidateRequestBody"] = "false" },
		want:   []string{"change validation POST /orders: request body validation true -> false"},
	},
	{
		name: "the request model removed", file: handwritten,
		change: func(m tmpl) { delete(m.props("OrdersPost"), "RequestModels") },
		want:   []string{"change validation POST /orders: request models application/json=${OrderModel} -> (none)"},
	},
	{
		name: "an unescaped client value spliced into a COGNITO route's template", file: handwritten,
		change: func(m tmpl) {
			m.integration("OrdersPost")["RequestTemplates"] = map[string]any{
				"application/json": `{"sub": "$context.authorizer.claims.sub", "note": "$input.params('note')", "body": $input.json('$')}`}
		},
		want: []string{"security request-template-unreviewed POST /orders: request template for application/json changed (124 -> 100 bytes) and not iamgate's envelope: " +
			"review what it builds from client values, which the backend may read as the caller"},
		exit: 1,
	},
	{
		name: "a model's schema loosened", file: handwritten,
		change: func(m tmpl) { m.props("OrderModel")["Schema"] = map[string]any{"type": "object"} },
		want: []string{"security not-read API Api: new in what the reader cannot read: OrderModel is an AWS::ApiGateway::Model, whose schema the review does not compare " +
			"(properties digest 95f2dbe475b91ec3); review it in the template"},
		exit: 1,
	},
	{
		name: "a route of an OpenAPI Body made unauthenticated", file: specRestAPI,
		change: func(m tmpl) {
			get := m.props("SpecApi")["Body"].(map[string]any)["paths"].(map[string]any)["/orders"].(map[string]any)["get"].(map[string]any)
			delete(get, "security")
		},
		want: []string{"security not-read API SpecApi: new in what the reader cannot read: RestApi SpecApi is defined by an OpenAPI Body (digest 114e90044eb8e506): " +
			"its routes, their authorization and integrations are not read (only AWS::ApiGateway::Method resources are); review it in the template"},
		exit: 1,
	},
	{
		name: "a method that names its API by Fn::GetAtt RestApiId made NONE", file: handwritten,
		change: func(m tmpl) {
			m.props("FnPost")["RestApiId"] = map[string]any{"Fn::GetAtt": []any{"Api", "RestApiId"}}
			m.props("FnPost")["AuthorizationType"] = "NONE"
		},
		want: []string{"security authorization-weakened POST /fn: authorization weakened: AWS_IAM -> NONE"},
		exit: 1,
	},
	{
		name: "a method on a resource named by Fn::GetAtt ResourceId is the same route", file: handwritten,
		change: func(m tmpl) {
			m.props("FnDelete")["ResourceId"] = map[string]any{"Fn::GetAtt": []any{"Lambda", "ResourceId"}}
		},
	},
	{
		name: "Allow * in a resource policy built by Fn::Join", file: handwritten,
		change: func(m tmpl) {
			m.props("Api")["Policy"] = map[string]any{"Fn::Join": []any{"", []any{
				`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:`,
				map[string]any{"Ref": "AWS::Region"}, `:*:*"}]}`}}}
		},
		want: []string{"security resource-policy-allow-widened resource policy: Allow widened (statement 1): now allows execute-api:Invoke on arn:aws:execute-api:us-east-1:*:* for *"},
		exit: 1,
	},
	{
		name: "a stage variable that names the backend host changed", file: handwritten,
		base: func(m tmpl) {
			m.props("Prod")["Variables"] = map[string]any{"backend": "orders.internal.example.com", "color": "blue"}
			m.integration("OrdersPost")["Uri"] = "https://${stageVariables.backend}/orders"
		},
		change: func(m tmpl) {
			m.props("Prod")["Variables"] = map[string]any{"backend": "orders.example.net", "color": "green"}
		},
		want: []string{
			"security stage-variable-backend API Api: stage prod: variable backend orders.internal.example.com -> orders.example.net, which POST /orders read: the backend (or authorizer) they call changes",
			"change stage-settings API Api: stage prod: variable color blue -> green",
		},
		exit: 1,
	},
	{
		name: "the backend's certificate no longer verified", file: handwritten,
		change: func(m tmpl) {
			m.integration("OrdersPost")["TlsConfig"] = map[string]any{"InsecureSkipVerification": true}
		},
		want: []string{"security backend-tls-unverified POST /orders: TlsConfig.InsecureSkipVerification turned on: the backend's certificate is no longer verified, so whoever answers on the way may act as the backend"},
		exit: 1,
	},
	{
		name: "an AWS integration called with the caller's credentials", file: handwritten,
		change: func(m tmpl) { m.integration("FnPost")["Credentials"] = "arn:aws:iam::*:user/*" },
		want:   []string{"security integration-credentials POST /fn: integration credentials (none) -> arn:aws:iam::*:user/*: API Gateway calls the backend with the caller's own credentials"},
		exit:   1,
	},
	{
		name: "a VPC link v2 pointed at another load balancer", file: handwritten,
		base: func(m tmpl) {
			in := m.integration("OrdersPost")
			in["ConnectionType"], in["ConnectionId"] = "VPC_LINK", "vl2abc"
			in["IntegrationTarget"] = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/orders/0123456789abcdef"
		},
		change: func(m tmpl) {
			m.integration("OrdersPost")["IntegrationTarget"] = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/admin/fedcba9876543210"
		},
		want: []string{"security backend-connection POST /orders: backend connection VPC_LINK vl2abc to arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/orders/0123456789abcdef -> " +
			"VPC_LINK vl2abc to arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/admin/fedcba9876543210"},
		exit: 1,
	},
	{
		name: "properties the review does not compare", file: handwritten,
		change: func(m tmpl) {
			m.props("Api")["ApiKeySourceType"] = "AUTHORIZER"
			m.props("Prod")["CanarySetting"] = map[string]any{"PercentTraffic": 50}
			m.props("Deployment")["StageDescription"] = map[string]any{"Variables": map[string]any{"backend": "x.example.net"}}
			m.integration("OrdersPost")["ContentHandling"] = "CONVERT_TO_BINARY"
			m.integration("OrdersPost")["IntegrationResponses"].([]any)[0].(map[string]any)["ContentHandling"] = "CONVERT_TO_TEXT"
		},
		want: []string{
			`change unread-changed API Api: properties the review does not compare changed (read them in the template): ApiKeySourceType "AUTHORIZER" added; ` +
				`Deployment[0].StageDescription {"Variables":{"backend":"x.example.net"}} added; Stage prod.CanarySetting {"PercentTraffic":50} added`,
			`change unread-changed POST /orders: properties the review does not compare changed (read them in the template): Integration.ContentHandling "CONVERT_TO_BINARY" added; ` +
				`Integration.IntegrationResponses[0].ContentHandling "CONVERT_TO_TEXT" added`,
		},
	},
	{
		// The policy is there, unread: not "resource policy removed".
		name: "a resource policy put behind Fn::If", file: handwritten,
		change: func(m tmpl) {
			m["Conditions"] = map[string]any{"Open": map[string]any{"Fn::Equals": []any{map[string]any{"Ref": "AWS::Region"}, "us-east-1"}}}
			m.props("Api")["Policy"] = map[string]any{"Fn::If": []any{"Open", map[string]any{"Version": "2012-10-17", "Statement": []any{}}, map[string]any{"Ref": "AWS::NoValue"}}}
		},
		want: []string{
			"security not-read API Api: new in what the reader cannot read: RestApi Api: Policy is not a policy document the reader can resolve (Fn::If, digest 3ef6faeccd58f7b5); read as no policy; review it in the template",
			"change resource-policy-changed resource policy: resource policy not read (see its not-read line), compared as none: read it in the template",
		},
		exit: 1,
	},
	{
		name: "a LambdaRestApi's greedy route made NONE and pointed at another function", file: lambdaRestAPI,
		change: func(m tmpl) {
			p := m.props("ApiproxyANY7F13F09C")
			p["AuthorizationType"] = "NONE"
			uri := p["Integration"].(map[string]any)["Uri"].(map[string]any)["Fn::Join"].([]any)[1].([]any)
			uri[5] = map[string]any{"Fn::GetAtt": []any{"Admin1234ABCD", "Arn"}}
		},
		want: []string{
			"security authorization-weakened ANY /{proxy+}: authorization weakened: AWS_IAM -> NONE",
			"security backend-host ANY /{proxy+}: backend arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${Handler886CB40B.Arn}/invocations -> " +
				"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${Admin1234ABCD.Arn}/invocations",
		},
		exit: 1,
	},
	{
		name: "a LambdaRestApi's grant widened to every stage and method", file: lambdaRestAPI,
		change: func(m tmpl) {
			res := m.props("Invoker")["PolicyDocument"].(map[string]any)["Statement"].([]any)[0].(map[string]any)["Resource"].(map[string]any)["Fn::Join"].([]any)[1].([]any)
			res[8], res[9], res[10] = "/*", "/*", "/*"
		},
		want: []string{"security identity-policy-grant-widened IAM policy Invoker (InvokerDefault): Allow widened (statement 1): now allows execute-api:Invoke on " +
			"arn:aws:execute-api:us-east-1:123456789012:${ApiF70053CD}/*/*/*"},
		exit: 1,
	},
	{
		// aws-cdk-lib writes a grant's stage as the Stage's Ref, which is
		// its name: the same ARN as the name written out.
		name: "a grant's stage written as its name instead of the Stage's Ref", file: lambdaRestAPI,
		change: func(m tmpl) {
			res := m.props("Invoker")["PolicyDocument"].(map[string]any)["Statement"].([]any)[0].(map[string]any)["Resource"].(map[string]any)["Fn::Join"].([]any)[1].([]any)
			res[9] = "prod"
		},
	},
	{
		// Not read as a method without an integration, nor silently.
		name: "an integration chosen at deploy by Fn::If", file: handwritten,
		change: func(m tmpl) {
			m["Conditions"] = map[string]any{"Open": map[string]any{"Fn::Equals": []any{map[string]any{"Ref": "AWS::Region"}, "us-east-1"}}}
			p := m.props("FnPost")
			p["Integration"] = map[string]any{"Fn::If": []any{"Open", map[string]any{"Type": "HTTP_PROXY", "Uri": "https://example.net/"}, p["Integration"]}}
		},
		want: []string{
			"security not-read API Api: new in what the reader cannot read: Method FnPost: Integration is chosen at deploy by Fn::If (digest be086d9d43949b93); not read; review it in the template",
			"security backend-host POST /fn: backend arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:orders-fn/invocations -> (none)",
			"change integration-type POST /fn: integration type AWS_PROXY -> ${Fn::If}",
			"change backend-method POST /fn: backend method POST -> (none)",
		},
		exit: 1,
	},
	{
		// Gaining an authorizer is not its change.
		name: "a NONE route given a Cognito authorizer", file: handwritten,
		change: func(m tmpl) {
			p := m.props("HealthGet")
			p["AuthorizationType"], p["AuthorizerId"] = "COGNITO_USER_POOLS", map[string]any{"Ref": "UserPoolAuth"}
			p["AuthorizationScopes"] = []any{"health/read"}
		},
		want: []string{"change authorization GET /health: authorization NONE -> COGNITO_USER_POOLS"},
	},
	{
		name: "a VPC link pointed at another network load balancer", file: handwritten,
		base: func(m tmpl) {
			m.resources()["Link"] = map[string]any{"Type": "AWS::ApiGateway::VpcLink", "Properties": map[string]any{"Name": "orders",
				"TargetArns": []any{"arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/orders/0123456789abcdef"}}}
			in := m.integration("OrdersPost")
			in["ConnectionType"], in["ConnectionId"] = "VPC_LINK", map[string]any{"Ref": "Link"}
		},
		change: func(m tmpl) {
			m.props("Link")["TargetArns"] = []any{"arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/admin/fedcba9876543210"}
		},
		want: []string{"security backend-connection POST /orders: backend connection " +
			"VPC_LINK ${Link} (load balancers arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/orders/0123456789abcdef) -> " +
			"VPC_LINK ${Link} (load balancers arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/admin/fedcba9876543210)"},
		exit: 1,
	},
	// The weakenings the review knew before, on templates it did not make.
	{
		name: "COGNITO_USER_POOLS to NONE", file: handwritten,
		change: func(m tmpl) { m.props("OrdersPost")["AuthorizationType"] = "NONE" },
		want:   []string{"security authorization-weakened POST /orders: authorization weakened: COGNITO_USER_POOLS -> NONE"},
		exit:   1,
	},
	{
		name: "Allow * in a resource policy written as a JSON string", file: handwritten,
		change: func(m tmpl) {
			m.props("Api")["Policy"] = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"}]}`
		},
		want: []string{"security resource-policy-allow-widened resource policy: Allow widened (statement 1): now allows execute-api:Invoke on execute-api:/* for *"},
		exit: 1,
	},
}
