package review

// Values the reader cannot resolve without a deployed stack: a Fn::If on a
// template Condition, a Ref to a template Parameter (its value is the
// deploy's, the Default only a default), a resource created only under a
// Condition, a method of an API the template does not hold, a resource
// type the reader does not model. None may read as unchanged or as safe:
// what is new in NEW's "not read" list is a SECURITY finding (not-read).

// ifProd is Fn::If on the condition IsProd.
func ifProd(yes, no any) map[string]any { return map[string]any{"Fn::If": []any{"IsProd", yes, no}} }

func (m tmpl) setCondition(def any) {
	m["Conditions"] = map[string]any{"IsProd": def}
}

func equals(a, b any) map[string]any { return map[string]any{"Fn::Equals": []any{a, b}} }

var intrinsicDiffTests = []diffTest{
	{
		// The same Fn::If in both; only the condition changed.
		name: "authorization behind Fn::If, condition changed",
		base: func(m tmpl) {
			m.setCondition(equals("prod", "prod"))
			m.props(getWhoami)["AuthorizationType"] = ifProd("AWS_IAM", "NONE")
		},
		change: func(m tmpl) { m.setCondition(equals("prod", "dev")) },
		want: []string{
			`security not-read API ApiF70053CD: new in what the reader cannot read: Fn::If on condition IsProd ({"Fn::Equals":["prod","dev"]}) is decided at deploy; both branches read: [AWS_IAM|NONE]; review it in the template`,
		},
		exit: 1,
	},
	{
		name: "authorization turned into a Fn::If",
		base: func(m tmpl) { m.setCondition(equals("prod", "prod")) },
		change: func(m tmpl) {
			m.props(getWhoami)["AuthorizationType"] = ifProd("AWS_IAM", "NONE")
		},
		want: []string{
			`security not-read API ApiF70053CD: new in what the reader cannot read: Fn::If on condition IsProd ({"Fn::Equals":["prod","prod"]}) is decided at deploy; both branches read: [AWS_IAM|NONE]; review it in the template`,
			"security authorization-weakened GET /whoami: authorization weakened: AWS_IAM -> ${Fn::If:IsProd:[AWS_IAM|NONE]}",
		},
		exit: 1,
	},
	{
		// A policy behind an intrinsic must not read as no policy.
		name: "resource policy behind Fn::If",
		base: func(m tmpl) { m.setCondition(equals("prod", "prod")) },
		change: func(m tmpl) {
			m.props(restAPI)["Policy"] = ifProd(resourcePolicy(false, "*"), map[string]any{"Ref": "AWS::NoValue"})
		},
		want: []string{
			`security not-read API ApiF70053CD: new in what the reader cannot read: RestApi ApiF70053CD: Policy is not a policy document the reader can resolve (Fn::If, digest d405a47f5b8688a1); read as no policy; review it in the template`,
		},
		exit: 1,
	},
	{
		name: "authorization from a parameter whose default changed",
		base: func(m tmpl) {
			m["Parameters"].(map[string]any)["AuthType"] = map[string]any{"Type": "String", "Default": "AWS_IAM"}
			m.props(getWhoami)["AuthorizationType"] = map[string]any{"Ref": "AuthType"}
		},
		change: func(m tmpl) {
			m["Parameters"].(map[string]any)["AuthType"] = map[string]any{"Type": "String", "Default": "NONE"}
		},
		want: []string{
			`security not-read API ApiF70053CD: new in what the reader cannot read: parameter AuthType ({"Default":"NONE","Type":"String"}) is given at deploy; read as ${AuthType}; review it in the template`,
		},
		exit: 1,
	},
	{
		// The Deny is still in the template, but created only when a
		// condition holds.
		name: "IAM Deny made conditional",
		base: func(m tmpl) {
			m.setCondition(equals("prod", "prod"))
			p := readerPolicy("execute-api:Invoke", invokeArn("*"))
			doc := p["Properties"].(map[string]any)["PolicyDocument"].(map[string]any)
			doc["Statement"] = append(doc["Statement"].([]any), map[string]any{"Sid": "NoWrites", "Effect": "Deny", "Action": "execute-api:Invoke", "Resource": invokeArn("POST/*")})
			m.resources()["ReaderPolicy"] = p
		},
		change: func(m tmpl) {
			m.resources()["ReaderPolicy"].(map[string]any)["Condition"] = "IsProd"
		},
		want: []string{
			`security not-read API ApiF70053CD: new in what the reader cannot read: ReaderPolicy (AWS::IAM::Policy) exists only when condition IsProd ({"Fn::Equals":["prod","prod"]}) holds, which is decided at deploy; read as if it did; review it in the template`,
		},
		exit: 1,
	},
	{
		// A method of an API the template does not hold is no route of
		// the golden API, but it must not vanish.
		name: "method on an imported API",
		change: func(m tmpl) {
			m.addDeleteOrders("NONE", "HTTP", nil, nil)
			m.props("ApiordersDELETE")["RestApiId"] = map[string]any{"Fn::ImportValue": "OtherApiId"}
		},
		want: []string{
			"security not-read API ApiF70053CD: new in what the reader cannot read: AWS::ApiGateway::Method ApiordersDELETE belongs to no REST API of the template (RestApiId ${Fn::ImportValue:OtherApiId}); not read; review it in the template",
		},
		exit: 1,
	},
	{
		name: "a resource type the reader does not model",
		change: func(m tmpl) {
			m.resources()["Key"] = map[string]any{"Type": "AWS::ApiGateway::ApiKey", "Properties": map[string]any{"Name": "a"}}
		},
		want: []string{
			"security not-read API ApiF70053CD: new in what the reader cannot read: Key is an AWS::ApiGateway::ApiKey, which the reader does not model (properties digest 2fb06507c6643b53); review it in the template",
		},
		exit: 1,
	},
}
