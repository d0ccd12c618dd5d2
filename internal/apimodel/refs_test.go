package apimodel

import "testing"

// Values as the reader resolves them in templates iamgate did not make.
func TestResolveValues(t *testing.T) {
	r := &reader{t: template{Resources: map[string]resource{
		"Api":  {Type: "AWS::ApiGateway::RestApi"},
		"Prod": {Type: "AWS::ApiGateway::Stage", Properties: map[string]any{"StageName": "prod"}},
	}}, opts: Options{}.withDefaults(), cur: &API{}}
	for _, tt := range []struct {
		name string
		v    any
		want string
	}{
		// An IAM policy variable in a Fn::Sub is escaped as ${!aws:username}.
		{"Fn::Sub literal", map[string]any{"Fn::Sub": "arn:aws:execute-api:${AWS::Region}:*:${Api}/*/GET/users/${!aws:username}"},
			"arn:aws:execute-api:us-east-1:*:${Api}/*/GET/users/${aws:username}"},
		{"Ref of a Stage", map[string]any{"Fn::Join": []any{"/", []any{map[string]any{"Ref": "Api"}, map[string]any{"Ref": "Prod"}, "GET"}}}, "${Api}/prod/GET"},
		{"Fn::Sub of a Stage", map[string]any{"Fn::Sub": "${Api}/${Prod}/*"}, "${Api}/prod/*"},
	} {
		if got := r.str(tt.v); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
	for _, tt := range []struct {
		v    any
		attr string
		want string
	}{
		{map[string]any{"Ref": "Api"}, "RestApiId", "Api"},
		{map[string]any{"Fn::GetAtt": []any{"Api", "RestApiId"}}, "RestApiId", "Api"},
		{map[string]any{"Fn::GetAtt": "Api.RestApiId"}, "RestApiId", "Api"},
		{map[string]any{"Fn::GetAtt": []any{"Api", "RootResourceId"}}, "RestApiId", ""},
		{"abc123", "RestApiId", ""},
	} {
		if got := refOrGetAtt(tt.v, tt.attr); got != tt.want {
			t.Errorf("refOrGetAtt(%v, %s) = %q, want %q", tt.v, tt.attr, got, tt.want)
		}
	}
}
