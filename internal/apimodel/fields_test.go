package apimodel

import (
	"strings"
	"testing"
)

// A property of the wrong JSON type is skipped and reported, one line
// each, where before it was read as absent or as its printed form
// ("AuthorizationType": 5 read as "5", "RequestParameters": "x" as none).
func TestWrongTypedFieldsAreReported(t *testing.T) {
	apis, err := Parse([]byte(`{"Resources": {
		"A": {"Type": "AWS::ApiGateway::RestApi", "Properties": {}},
		"M": {"Type": "AWS::ApiGateway::Method", "Properties": {"RestApiId": {"Ref": "A"}, "HttpMethod": "GET",
			"ResourceId": {"Fn::GetAtt": ["A", "RootResourceId"]},
			"AuthorizationType": 5, "RequestParameters": "x",
			"MethodResponses": [{"StatusCode": 200, "ResponseParameters": {"method.response.header.A": "yes"}}, "bad"],
			"Integration": {"Type": ["HTTP"], "Uri": "https://x", "IntegrationHttpMethod": true,
				"RequestParameters": {"integration.request.header.X": 5, "integration.request.header.Y": "'ok'"},
				"RequestTemplates": "t", "TimeoutInMillis": "soon",
				"IntegrationResponses": [{"StatusCode": "200", "ResponseTemplates": {"application/json": null}}, 7]}}},
		"N": {"Type": "AWS::ApiGateway::Method", "Properties": {"RestApiId": {"Ref": "A"}, "HttpMethod": "POST",
			"ResourceId": {"Fn::GetAtt": ["A", "RootResourceId"]}, "AuthorizationType": "AWS_IAM",
			"RequestParameters": {"method.request.header.H": "true"}, "Integration": "HTTP"}}}}`), Options{})
	if err != nil {
		t.Fatal(err)
	}
	a := apis[0]
	want := []string{
		"Method M: AuthorizationType is a number, not a string; skipped",
		"Method M: RequestParameters is a string, not an object; skipped",
		`Method M MethodResponses[0]: ResponseParameters["method.response.header.A"] is a string, not a boolean; skipped`,
		"Method M: MethodResponses[1] is a string, not an object; skipped",
		"Method M Integration: Type is a list, not a string; skipped",
		"Method M Integration: IntegrationHttpMethod is a boolean, not a string; skipped",
		`Method M Integration: RequestParameters["integration.request.header.X"] is a number, not a string; skipped`,
		"Method M Integration: RequestTemplates is a string, not an object; skipped",
		"Method M Integration: TimeoutInMillis is a string, not a number; skipped",
		`Method M Integration IntegrationResponses[0]: ResponseTemplates["application/json"] is null, not a string; skipped`,
		"Method M Integration: IntegrationResponses[1] is a number, not an object; skipped",
		"Method N: Integration is a string, not an object; skipped",
	}
	if got := strings.Join(a.Unsupported, "\n"); got != strings.Join(want, "\n") {
		t.Errorf("Unsupported:\n%s\nwant\n%s", got, strings.Join(want, "\n"))
	}
	m := a.Methods[0]
	if m.Authorization != "NONE" || len(m.RequestParameters) != 0 || m.MethodResponses[0].StatusCode != "200" ||
		m.Integration.Type != "" || m.Integration.TimeoutMillis != 29000 || m.Integration.RequestParameters["integration.request.header.Y"] != "'ok'" {
		t.Errorf("method M = %+v %+v", m, m.Integration)
	}
	if n := a.Methods[1]; !n.RequestParameters["method.request.header.H"] || n.Integration != nil {
		t.Errorf("method N = %+v", n)
	}
}
