package apimodel

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestReviewFields(t *testing.T) {
	apis, err := Load(golden, Options{})
	if err != nil {
		t.Fatal(err)
	}
	a := apis[0]
	if strings.Join(a.EndpointTypes, ",") != "REGIONAL" {
		t.Errorf("endpoint types %v", a.EndpointTypes)
	}
	if len(a.Deployments) != 1 || a.Deployments[0].LogicalID != "ApiDeploymentB17BE62Dc670b549bd2bdf0278f6b96affe85bc5" || a.Description == "" {
		t.Errorf("description %q, deployments %+v", a.Description, a.Deployments)
	}
	if in := a.Methods[0].Integration; in.ConnectionType != "INTERNET" || in.ConnectionID != "" {
		t.Errorf("connection %q %q", in.ConnectionType, in.ConnectionID)
	}
	raw := []byte(`{"Resources": {"A": {"Type": "AWS::ApiGateway::RestApi"}, "M": {"Type": "AWS::ApiGateway::Method", "Properties": {
		"RestApiId": {"Ref": "A"}, "ResourceId": {"Fn::GetAtt": ["A", "RootResourceId"]}, "HttpMethod": "GET",
		"Integration": {"Type": "HTTP", "ConnectionType": "VPC_LINK", "ConnectionId": {"Ref": "Link"}}}},
		"P": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyName": "admin", "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}}},
		"Q": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyName": "s3", "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}}}}}`)
	apis, err = Parse(raw, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if in := apis[0].Methods[0].Integration; in.ConnectionType != "VPC_LINK" || in.ConnectionID != "${Link}" {
		t.Errorf("connection %q %q", in.ConnectionType, in.ConnectionID)
	}
	if p := apis[0].IdentityPolicies; len(p) != 1 || p[0].Name != "admin" {
		t.Errorf("identity policies %+v; want the Action * one only", p)
	}
	if _, err := Parse([]byte(`{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}`), Options{}); !errors.Is(err, ErrNoRestAPI) {
		t.Errorf("err = %v, want ErrNoRestAPI", err)
	}
}

// What cannot be read of the template's IAM policies: a note of every API
// when the policy may concern execute-api, none when it cannot (it is not
// part of a review), and never a crash, with or without a REST API.
func TestIdentityPolicyNotes(t *testing.T) {
	const api = `"A": {"Type": "AWS::ApiGateway::RestApi", "Properties": {}}, "B": {"Type": "AWS::ApiGateway::RestApi", "Properties": {}}`
	policy := func(stmt string) string {
		return `"P": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyName": "p", "PolicyDocument": {"Statement": [` + stmt + `]}}}`
	}
	const param = `"Parameters": {"X": {"Type": "String"}}`
	const note = `parameter X ({"Type":"String"}) is given at deploy; read as ${X}`
	for _, tt := range []struct {
		name      string
		resources string
		want      string // the note every API has, "" for none
		noAPI     bool
	}{
		{"execute-api grant on a parameter", policy(`{"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": {"Ref": "X"}}`), note, false},
		{"S3 grant on a parameter", policy(`{"Effect": "Allow", "Action": "s3:GetObject", "Resource": {"Ref": "X"}}`), "", false},
		{"action given at deploy", policy(`{"Effect": "Allow", "Action": {"Ref": "X"}, "Resource": "*"}`), note, false},
		{"document given at deploy", `"P": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyName": "p", "PolicyDocument": {"Ref": "X"}}}`,
			`P PolicyDocument is not a policy document the reader can resolve (Ref, digest 1ce00db501c50fbe); read as no policy`, false},
		{"statement given at deploy", `"P": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyName": "p", "PolicyDocument": {"Statement": {"Ref": "X"}}}}`, note, false},
		{"one statement of the list given at deploy", `"P": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyName": "p", "PolicyDocument": {"Statement": [{"Ref": "X"}]}}}`, note, false},
		{"action split at deploy", policy(`{"Effect": "Allow", "Action": {"Fn::Split": [",", {"Ref": "X"}]}, "Resource": "*"}`), "a value the model cannot resolve: map[Fn::Split:[, map[Ref:X]]]", false},
		{"managed policy ARN given at deploy", `"R": {"Type": "AWS::IAM::Role", "Properties": {"ManagedPolicyArns": [{"Ref": "X"}]}}`, note, false},
		{"managed policy ARN chosen by an intrinsic the reader does not resolve", `"R": {"Type": "AWS::IAM::Role", "Properties": {"ManagedPolicyArns": [{"Fn::FindInMap": ["M", "prod", "arn"]}]}}`,
			"a value the model cannot resolve: map[Fn::FindInMap:[M prod arn]]", false},
		{"managed policy ARN of the stack's own policy", `"M": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": {"Statement": []}}}, "R": {"Type": "AWS::IAM::Role", "Properties": {"ManagedPolicyArns": [{"Ref": "M"}]}}`, "", false},
		{"no REST API, a managed policy ARN given at deploy", `"R": {"Type": "AWS::IAM::Role", "Properties": {"ManagedPolicyArns": [{"Ref": "X"}]}}`, "", true},
		{"no REST API, a document given at deploy", `"P": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyName": "p", "PolicyDocument": {"Ref": "X"}}}`, "", true},
	} {
		resources := tt.resources
		if !tt.noAPI {
			resources = api + ", " + resources
		}
		apis, err := Parse([]byte(`{`+param+`, "Resources": {`+resources+`}}`), Options{})
		if tt.noAPI {
			if !errors.Is(err, ErrNoRestAPI) {
				t.Errorf("%s: err = %v, want ErrNoRestAPI", tt.name, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		for _, a := range apis {
			has := slices.Contains(a.Unsupported, tt.want)
			if tt.want == "" && len(a.Unsupported) > 0 || tt.want != "" && !has {
				t.Errorf("%s: API %s notes %q, want %q", tt.name, a.LogicalID, a.Unsupported, tt.want)
			}
		}
	}
}
