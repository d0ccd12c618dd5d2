package review

// Custom domains: a base path mapping (AWS::ApiGateway::BasePathMapping,
// BasePathMappingV2, or AWS::ApiGatewayV2::ApiMapping for a multi-level
// path) serves a stage of the API on a domain of its own, with the
// domain's TLS security policy and mutual TLS (AWS::ApiGateway::DomainName,
// DomainNameV2, AWS::ApiGatewayV2::DomainName). The API Gateway developer
// guide: a custom domain can require other security than the default
// endpoint (mutual TLS, TLS 1.2), and clients reach the API only through
// it once DisableExecuteApiEndpoint is set (rest-api-mutual-tls,
// rest-api-disable-default-endpoint); a TLS_1_0 policy accepts TLS 1.0
// (apigateway-custom-domain-tls-version); a mapping without a Stage lets
// callers name any stage after the base path (CreateBasePathMapping).

const (
	domainID  = "ApiDomainA1B2C3D4"
	mappingID = "ApiDomainMapApi0E5F6A7B"
)

// addDomain adds the custom domain api.example.com as the construct
// builds it: REGIONAL, TLS 1.2, mapped at base path v1 to the prod stage;
// mtls adds a mutual TLS truststore.
func (m tmpl) addDomain(mtls bool) {
	props := map[string]any{"DomainName": "api.example.com", "SecurityPolicy": "TLS_1_2",
		"EndpointConfiguration":  map[string]any{"Types": []any{"REGIONAL"}},
		"RegionalCertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"}
	if mtls {
		props["MutualTlsAuthentication"] = map[string]any{"TruststoreUri": "s3://trust-bucket/ca.pem", "TruststoreVersion": "v1"}
	}
	m.resources()[domainID] = map[string]any{"Type": "AWS::ApiGateway::DomainName", "Properties": props}
	m.resources()[mappingID] = map[string]any{"Type": "AWS::ApiGateway::BasePathMapping", "Properties": map[string]any{
		"BasePath": "v1", "DomainName": map[string]any{"Ref": domainID},
		"RestApiId": map[string]any{"Ref": restAPI}, "Stage": map[string]any{"Ref": stage}}}
}

// addDevStage adds a second stage, dev.
func (m tmpl) addDevStage() {
	dev := map[string]any{}
	for k, v := range m.props(stage) {
		dev[k] = v
	}
	dev["StageName"] = "dev"
	m.resources()["ApiStageDev"] = map[string]any{"Type": "AWS::ApiGateway::Stage", "Properties": dev}
}

var domainDiffTests = []diffTest{
	{
		name:   "new public custom domain",
		change: func(m tmpl) { m.addDomain(false) },
		want:   []string{"security domain-mapping-added domain api.example.com/v1: stage prod is now also served at https://api.example.com/v1 (REGIONAL, TLS_1_2, no mutual TLS): a new public way in, with this domain's TLS policy and mutual TLS, not those of the API's other endpoints"},
		exit:   1,
	},
	{
		name: "new mapping of a domain made elsewhere",
		change: func(m tmpl) {
			m.resources()[mappingID] = map[string]any{"Type": "AWS::ApiGateway::BasePathMapping", "Properties": map[string]any{
				"DomainName": "partner.example.org", "RestApiId": map[string]any{"Ref": restAPI}, "Stage": "prod"}}
		},
		want: []string{"security domain-mapping-added domain partner.example.org/: stage prod is now also served at https://partner.example.org/ (a domain that is not a resource of the template: its endpoint, TLS policy and mutual TLS are not read): a new public way in, with this domain's TLS policy and mutual TLS, not those of the API's other endpoints"},
		exit: 1,
	},
	{
		name: "mapping to another stage",
		base: func(m tmpl) { m.addDevStage(); m.addDomain(false) },
		change: func(m tmpl) {
			m.props(mappingID)["Stage"] = map[string]any{"Ref": "ApiStageDev"}
		},
		want: []string{"security domain-mapping-stage domain api.example.com/v1: https://api.example.com/v1 now serves stage dev (was stage prod): a resource policy or IAM grant written for one stage's ARNs (.../STAGE/...) does not cover the other, and its settings are the other stage's"},
		exit: 1,
	},
	{
		name: "mapping without a stage",
		base: func(m tmpl) { m.addDomain(false) },
		change: func(m tmpl) {
			delete(m.props(mappingID), "Stage")
		},
		want: []string{"security domain-mapping-stage domain api.example.com/v1: https://api.example.com/v1 now serves every stage, named after the base path (was stage prod): a resource policy or IAM grant written for one stage's ARNs (.../STAGE/...) does not cover the other, and its settings are the other stage's"},
		exit: 1,
	},
	{
		name: "mapping from every stage to one",
		base: func(m tmpl) { m.addDomain(false); delete(m.props(mappingID), "Stage") },
		change: func(m tmpl) {
			m.props(mappingID)["Stage"] = map[string]any{"Ref": stage}
		},
		want: []string{"security domain-mapping-stage domain api.example.com/v1: https://api.example.com/v1 now serves stage prod (was every stage, named after the base path): a resource policy or IAM grant written for one stage's ARNs (.../STAGE/...) does not cover the other, and its settings are the other stage's"},
		exit: 1,
	},
	{
		// The domain resource goes, the mapping names it by name: its
		// mutual TLS is then set where no review of this template sees it.
		name: "domain leaves the template",
		base: func(m tmpl) { m.addDomain(true) },
		change: func(m tmpl) {
			delete(m.resources(), domainID)
			m.props(mappingID)["DomainName"] = "api.example.com"
		},
		want: []string{"security domain-left-template domain api.example.com: the domain is no longer a resource of the template (it was REGIONAL, TLS_1_2, mutual TLS s3://trust-bucket/ca.pem (version v1)): its TLS policy and mutual TLS are now set elsewhere and not read"},
		exit: 1,
	},
	{
		name:   "domain's security policy lowered to TLS 1.0",
		base:   func(m tmpl) { m.addDomain(false) },
		change: func(m tmpl) { m.props(domainID)["SecurityPolicy"] = "TLS_1_0" },
		want:   []string{"security domain-tls-lowered domain api.example.com: security policy TLS_1_2 -> TLS_1_0: clients may connect with TLS 1.0"},
		exit:   1,
	},
	{
		name:   "domain's security policy removed",
		base:   func(m tmpl) { m.addDomain(false) },
		change: func(m tmpl) { delete(m.props(domainID), "SecurityPolicy") },
		want:   []string{"security domain-tls-lowered domain api.example.com: security policy TLS_1_2 -> (not set): clients may connect with TLS 1.0"},
		exit:   1,
	},
	{
		name:   "domain's mutual TLS removed",
		base:   func(m tmpl) { m.addDomain(true) },
		change: func(m tmpl) { delete(m.props(domainID), "MutualTlsAuthentication") },
		want:   []string{"security domain-mtls-removed domain api.example.com: mutual TLS removed (the truststore was s3://trust-bucket/ca.pem (version v1)): clients no longer present a certificate"},
		exit:   1,
	},
	{
		name: "domain's truststore replaced",
		base: func(m tmpl) { m.addDomain(true) },
		change: func(m tmpl) {
			m.props(domainID)["MutualTlsAuthentication"] = map[string]any{"TruststoreUri": "s3://other-bucket/ca.pem"}
		},
		want: []string{"security domain-mtls-removed domain api.example.com: mutual TLS truststore s3://trust-bucket/ca.pem (version v1) -> s3://other-bucket/ca.pem: the domain trusts whatever certificate authorities the new object holds"},
		exit: 1,
	},
	{
		name: "domain's truststore version",
		base: func(m tmpl) { m.addDomain(true) },
		change: func(m tmpl) {
			m.props(domainID)["MutualTlsAuthentication"].(map[string]any)["TruststoreVersion"] = "v2"
		},
		want: []string{"change domain-mtls domain api.example.com: mutual TLS truststore s3://trust-bucket/ca.pem (version v1) -> s3://trust-bucket/ca.pem (version v2)"},
		exit: 0,
	},
	{
		name:   "mapping removed",
		base:   func(m tmpl) { m.addDomain(false) },
		change: func(m tmpl) { delete(m.resources(), mappingID) },
		want:   []string{"change domain-mapping-removed domain api.example.com/v1: https://api.example.com/v1 no longer serves stage prod"},
		exit:   0,
	},
	{
		// The default endpoint bypasses the domain's mutual TLS and TLS
		// policy (rest-api-mutual-tls).
		name: "default execute-api endpoint enabled again",
		base: func(m tmpl) {
			m.addDomain(true)
			m.props(restAPI)["DisableExecuteApiEndpoint"] = true
		},
		change: func(m tmpl) { delete(m.props(restAPI), "DisableExecuteApiEndpoint") },
		want:   []string{"security execute-api-endpoint-enabled API ApiF70053CD: the default execute-api endpoint is enabled again: clients can call the API without its custom domains' mutual TLS and TLS policy"},
		exit:   1,
	},
	{
		name: "multi-level API mapping added",
		base: func(m tmpl) { m.addDomain(false) },
		change: func(m tmpl) {
			m.resources()["ApiMappingV2"] = map[string]any{"Type": "AWS::ApiGatewayV2::ApiMapping", "Properties": map[string]any{
				"ApiMappingKey": "v2/orders", "DomainName": map[string]any{"Ref": domainID},
				"ApiId": map[string]any{"Ref": restAPI}, "Stage": map[string]any{"Ref": stage}}}
		},
		want: []string{"security domain-mapping-added domain api.example.com/v2/orders: stage prod is now also served at https://api.example.com/v2/orders (REGIONAL, TLS_1_2, no mutual TLS): a new public way in, with this domain's TLS policy and mutual TLS, not those of the API's other endpoints"},
		exit: 1,
	},
	{
		// A private custom domain (DomainNameV2) is reached through VPC
		// endpoints, with its own resource policy.
		name: "private custom domain mapping added",
		change: func(m tmpl) {
			m.resources()["PrivDomain"] = map[string]any{"Type": "AWS::ApiGateway::DomainNameV2", "Properties": map[string]any{
				"DomainName": "private.example.com", "SecurityPolicy": "TLS_1_2",
				"EndpointConfiguration": map[string]any{"Types": []any{"PRIVATE"}}}}
			m.resources()["PrivMapping"] = map[string]any{"Type": "AWS::ApiGateway::BasePathMappingV2", "Properties": map[string]any{
				"DomainNameArn": map[string]any{"Fn::GetAtt": []any{"PrivDomain", "DomainNameArn"}},
				"RestApiId":     map[string]any{"Ref": restAPI}, "Stage": "prod"}}
		},
		want: []string{"change domain-mapping-added-private domain private.example.com/: stage prod is now also served at https://private.example.com/ (PRIVATE, TLS_1_2, no mutual TLS), a private custom domain reached through VPC endpoints"},
		exit: 0,
	},
	{
		// Who may call through a private custom domain is its own resource
		// policy (DomainNameV2's Policy), which the reader does not
		// evaluate: a change of it is a new note, so SECURITY.
		name: "private custom domain's policy changed",
		base: func(m tmpl) {
			m.resources()["PrivDomain"] = map[string]any{"Type": "AWS::ApiGateway::DomainNameV2", "Properties": map[string]any{
				"DomainName": "private.example.com", "SecurityPolicy": "TLS_1_2",
				"EndpointConfiguration": map[string]any{"Types": []any{"PRIVATE"}},
				"Policy": map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
					"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*",
					"Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceVpce": "vpce-0123456789abcdef0"}}}}}}}
			m.resources()["PrivMapping"] = map[string]any{"Type": "AWS::ApiGateway::BasePathMappingV2", "Properties": map[string]any{
				"DomainNameArn": map[string]any{"Fn::GetAtt": []any{"PrivDomain", "DomainNameArn"}},
				"RestApiId":     map[string]any{"Ref": restAPI}, "Stage": "prod"}}
		},
		change: func(m tmpl) {
			st := m.props("PrivDomain")["Policy"].(map[string]any)["Statement"].([]any)[0].(map[string]any)
			delete(st, "Condition")
		},
		want: []string{"security not-read API ApiF70053CD: new in what the reader cannot read: AWS::ApiGateway::DomainNameV2 PrivDomain: its resource policy is not read (digest 9d39820d1c6851b1); review it in the template"},
		exit: 1,
	},
}

// A stage's logging, tracing and throttling: changes, each named (they
// weaken what is recorded, not who may call).
var stageSettingsTests = []diffTest{
	{
		name:   "stage access logging removed",
		change: func(m tmpl) { delete(m.props(stage), "AccessLogSetting") },
		want:   []string{"change stage-settings API ApiF70053CD: stage prod: access logging removed (was arn:aws:logs:us-east-1:123456789012:log-group:${ApiAccessLog713001CC}): callers' requests are no longer recorded"},
		exit:   0,
	},
	{
		name: "stage logging and throttling weakened",
		change: func(m tmpl) {
			ms := m.props(stage)["MethodSettings"].([]any)[0].(map[string]any)
			ms["LoggingLevel"] = "OFF"
			ms["ThrottlingRateLimit"] = 10000.0
		},
		want: []string{"change stage-settings API ApiF70053CD: stage prod: method settings * /*: DataTraceEnabled=false, LoggingLevel=ERROR, MetricsEnabled=true, ThrottlingBurstLimit=200, ThrottlingRateLimit=100 -> * /*: DataTraceEnabled=false, LoggingLevel=OFF, MetricsEnabled=true, ThrottlingBurstLimit=200, ThrottlingRateLimit=10000"},
		exit: 0,
	},
}
