package apimodel

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The golden template of the app's default stack.
const golden = "../../stacks/testdata/IamGate.template.json"

func TestLoadGolden(t *testing.T) {
	apis, err := Load(golden, Options{Region: "eu-west-1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(apis) != 1 {
		t.Fatalf("%d APIs", len(apis))
	}
	a := apis[0]
	if a.StageName != "prod" || a.Name != "Api" || len(a.Unsupported) != 0 {
		t.Errorf("api = %q %q %v", a.StageName, a.Name, a.Unsupported)
	}
	var got []string
	for _, m := range a.Methods {
		got = append(got, fmt.Sprintf("%s %s %s %s %s %s validate=%v", m.HTTPMethod, m.Path, m.Authorization,
			m.Integration.Type, m.Integration.HTTPMethod, m.Integration.URI, m.ValidateParameters))
	}
	want := []string{
		"GET /orders AWS_IAM HTTP POST https://httpbin.org/anything/orders validate=true",
		"POST /orders AWS_IAM HTTP POST https://httpbin.org/anything/orders validate=true",
		"GET /orders/{orderId} AWS_IAM HTTP POST https://httpbin.org/anything/orders/{orderId} validate=true",
		"GET /whoami AWS_IAM HTTP POST https://httpbin.org/anything/whoami validate=true",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("methods:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	m := a.Methods[2]
	if m.Integration.RequestParameters["integration.request.path.orderId"] != "method.request.path.orderId" ||
		!m.RequestParameters["method.request.path.orderId"] || m.Integration.RequestTemplates["application/json"] == "" ||
		m.Integration.PassthroughBehavior != "NEVER" || m.Integration.TimeoutMillis != 29000 || len(m.Integration.Responses) != 20 { // 19 passed codes but 200, and the default
		t.Errorf("GET /orders/{orderId} = %+v", m.Integration)
	}
}

func TestRoute(t *testing.T) {
	a := &API{Methods: []*Method{
		{HTTPMethod: "GET", Path: "/orders"},
		{HTTPMethod: "GET", Path: "/orders/{id}"},
		{HTTPMethod: "ANY", Path: "/orders/{id}"},
		{HTTPMethod: "GET", Path: "/orders/special"},
		{HTTPMethod: "GET", Path: "/{proxy+}"},
		{HTTPMethod: "POST", Path: "/"},
	}}
	for _, tt := range []struct{ method, path, want string }{
		{"GET", "/orders", "GET /orders map[]"},
		{"GET", "/orders/42", "GET /orders/{id} map[id:42]"},
		{"DELETE", "/orders/42", "ANY /orders/{id} map[id:42]"},
		{"GET", "/orders/special", "GET /orders/special map[]"},
		{"GET", "/a/b/c", "GET /{proxy+} map[proxy:a/b/c]"},
		{"POST", "/", "POST / map[]"},
		{"POST", "/orders", "<nil>"},
	} {
		m, params := a.Route(tt.method, tt.path)
		got := "<nil>"
		if m != nil {
			got = fmt.Sprintf("%s %s %v", m.HTTPMethod, m.Path, params)
		}
		if got != tt.want {
			t.Errorf("Route(%s %s) = %s, want %s", tt.method, tt.path, got, tt.want)
		}
	}
}

func TestParseErrorsAndUnsupported(t *testing.T) {
	if _, err := Parse([]byte("not json"), Options{}); err == nil || !strings.Contains(err.Error(), "not a JSON CloudFormation template") {
		t.Errorf("err = %v", err)
	}
	if _, err := Parse([]byte(`{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}`), Options{}); err == nil || !strings.Contains(err.Error(), "no AWS::ApiGateway::RestApi") {
		t.Errorf("err = %v", err)
	}
	apis, err := Parse([]byte(`{"Resources": {
		"A": {"Type": "AWS::ApiGateway::RestApi", "Properties": {"Name": {"Fn::Sub": "api-${AWS::Region}"}, "Body": {}}},
		"M": {"Type": "AWS::ApiGateway::Method", "Properties": {"RestApiId": {"Ref": "A"}, "HttpMethod": "get",
			"ResourceId": {"Fn::GetAtt": ["A", "RootResourceId"]},
			"Integration": {"Type": "AWS_PROXY", "Uri": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":x:", {"Fn::GetAtt": ["Fn", "Arn"]}]]}}}}}}`), Options{Region: "eu-west-1"})
	if err != nil {
		t.Fatal(err)
	}
	a := apis[0]
	if a.Name != "api-eu-west-1" || a.Methods[0].Path != "/" || a.Methods[0].HTTPMethod != "GET" || a.Methods[0].Authorization != "NONE" ||
		a.Methods[0].Integration.URI != "arn:aws:x:${Fn.Arn}" || len(a.Unsupported) != 1 || !strings.Contains(a.Unsupported[0], "OpenAPI Body") {
		t.Errorf("api = %+v %+v %+v", a, a.Methods[0], a.Methods[0].Integration)
	}
}

// A private integration (VPC_LINK) keeps its connection type, and a URI
// from another stack's export or an SSM parameter reads as placeholders.
func TestVpcLinkAndTokenURIs(t *testing.T) {
	apis, err := Parse([]byte(`{"Resources": {
		"A": {"Type": "AWS::ApiGateway::RestApi", "Properties": {}},
		"M": {"Type": "AWS::ApiGateway::Method", "Properties": {"RestApiId": {"Ref": "A"}, "HttpMethod": "GET",
			"ResourceId": {"Fn::GetAtt": ["A", "RootResourceId"]},
			"Integration": {"Type": "HTTP", "ConnectionType": "VPC_LINK", "ConnectionId": {"Ref": "Link"},
				"Uri": {"Fn::Join": ["", [{"Fn::ImportValue": "orders-url"}, "/a"]]}}}},
		"N": {"Type": "AWS::ApiGateway::Method", "Properties": {"RestApiId": {"Ref": "A"}, "HttpMethod": "POST",
			"ResourceId": {"Fn::GetAtt": ["A", "RootResourceId"]},
			"Integration": {"Type": "HTTP", "Uri": {"Fn::Join": ["", ["https://", {"Ref": "SsmParameterValueordershost"}, "/v1/a"]]}}}}}}`), Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, m := range apis[0].Methods {
		got[m.HTTPMethod] = m.Integration.ConnectionType + " " + m.Integration.URI
	}
	want := map[string]string{"GET": "VPC_LINK ${Fn::ImportValue:orders-url}/a", "POST": "INTERNET https://${SsmParameterValueordershost}/v1/a"}
	if fmt.Sprint(got) != fmt.Sprint(want) || len(apis[0].Unsupported) != 0 {
		t.Errorf("integrations = %v (unsupported %v), want %v", got, apis[0].Unsupported, want)
	}
}

// The resource policy and the IAM policies that name execute-api are read
// with their intrinsics resolved; other policies are left out.
func TestPolicies(t *testing.T) {
	tmpl := `{"Resources": {
	  "Api": {"Type": "AWS::ApiGateway::RestApi", "Properties": {"Name": "a", "Policy": {"Version": "2012-10-17", "Statement": [
	    {"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*",
	     "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": ["o-abc"]}}}]}}},
	  "Reader": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyName": "ReaderPolicy", "PolicyDocument": {"Statement": [
	    {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":execute-api:", {"Ref": "AWS::Region"}, ":", {"Ref": "AWS::AccountId"}, ":", {"Ref": "Api"}, "/prod/GET/orders"]]}}]}}},
	  "Other": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyName": "S3", "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}}},
	  "Role": {"Type": "AWS::IAM::Role", "Properties": {"Policies": [{"PolicyName": "inline", "PolicyDocument": "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"execute-api:*\", \"Resource\": \"*\"}]}"}]}}
	}}`
	apis, err := Parse([]byte(tmpl), Options{Region: "eu-west-1", AccountID: "111122223333"})
	if err != nil {
		t.Fatal(err)
	}
	a := apis[0]
	st := a.Policy["Statement"].([]any)[0].(map[string]any)
	if st["Effect"] != "Deny" || st["Resource"] != "execute-api:/*" {
		t.Errorf("resource policy = %v", a.Policy)
	}
	if len(a.IdentityPolicies) != 2 {
		t.Fatalf("identity policies = %+v", a.IdentityPolicies)
	}
	p := a.IdentityPolicies[0]
	res := p.Document["Statement"].([]any)[0].(map[string]any)["Resource"]
	if p.LogicalID != "Reader" || p.Name != "ReaderPolicy" || res != "arn:aws:execute-api:eu-west-1:111122223333:${Api}/prod/GET/orders" {
		t.Errorf("policy = %+v, resource %v", p, res)
	}
	if r := a.IdentityPolicies[1]; r.LogicalID != "Role" || r.Name != "inline" || r.Document["Statement"] == nil {
		t.Errorf("inline policy = %+v", r)
	}
	// A document built as a string by Fn::Join reads as the JSON text it
	// builds, as a literal string does: an object of one key "Ref" in that
	// text is text, not a function to resolve (it made the reader panic).
	joined, err := Parse([]byte(`{"Resources": {"Api": {"Type": "AWS::ApiGateway::RestApi", "Properties": {"Name": "a",
	  "Policy": {"Fn::Join": ["", ["{\"Ref\": \"", {"Ref": "AWS::Region"}, "\"}"]]}}}}}`), Options{Region: "eu-west-1"})
	if err != nil {
		t.Fatal(err)
	}
	if got := joined[0].Policy["Ref"]; got != "eu-west-1" {
		t.Errorf("policy built by Fn::Join = %v", joined[0].Policy)
	}
	golden, err := Load(golden, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if golden[0].Policy != nil {
		t.Errorf("the default stack has a resource policy: %v", golden[0].Policy)
	}
}

// A template of a cloud assembly has its stack's account, when the stack
// was synthesized for an environment.
func TestStackAccount(t *testing.T) {
	dir := t.TempDir()
	manifest := `{"artifacts": {
		"Env": {"type": "aws:cloudformation:stack", "environment": "aws://111122223333/eu-west-1", "properties": {"templateFile": "Env.template.json"}},
		"Agnostic": {"type": "aws:cloudformation:stack", "environment": "aws://unknown-account/unknown-region", "properties": {"templateFile": "Agnostic.template.json"}}}}`
	if err := os.WriteFile(filepath.Join(dir, "manifest.json"), []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	for file, want := range map[string]string{"Env.template.json": "111122223333", "Agnostic.template.json": "", "Other.template.json": ""} {
		if got := StackAccount(filepath.Join(dir, file)); got != want {
			t.Errorf("StackAccount(%s) = %q, want %q", file, got, want)
		}
	}
	if got := StackAccount(golden); got != "" {
		t.Errorf("a template outside an assembly: %q", got)
	}
}

// A template parameter is noted once however many methods read it (the
// backend URL from an SSM parameter is in every method's URI).
func TestParameterNotedOnce(t *testing.T) {
	method := func(id, verb string) string {
		return `"` + id + `": {"Type": "AWS::ApiGateway::Method", "Properties": {"RestApiId": {"Ref": "A"}, "HttpMethod": "` + verb + `",
			"ResourceId": {"Fn::GetAtt": ["A", "RootResourceId"]},
			"Integration": {"Type": "HTTP", "Uri": {"Fn::Join": ["", [{"Ref": "BackendUrl"}, "/a"]]}}}}`
	}
	for _, tt := range []struct {
		name    string
		methods []string
	}{
		{"one method", []string{method("M", "GET")}},
		{"three methods", []string{method("M", "GET"), method("N", "POST"), method("O", "PUT")}},
	} {
		apis, err := Parse([]byte(`{"Parameters": {"BackendUrl": {"Type": "String"}}, "Resources": {
			"A": {"Type": "AWS::ApiGateway::RestApi", "Properties": {}}, `+strings.Join(tt.methods, ", ")+`}}`), Options{})
		if err != nil {
			t.Fatal(err)
		}
		want := []string{`parameter BackendUrl ({"Type":"String"}) is given at deploy; read as ${BackendUrl}`}
		if got := apis[0].Unsupported; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: unsupported %q, want %q", tt.name, got, want)
		}
	}
}
