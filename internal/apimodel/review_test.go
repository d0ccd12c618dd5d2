package apimodel

import (
	"errors"
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
