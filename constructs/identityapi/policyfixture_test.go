package identityapi_test

import (
	"encoding/json"
	"flag"
	"os"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/iamgate/iamgate/constructs/identityapi"
)

var policyFixture = flag.String("policy-fixture", "", "write the template of the IAM policy evaluation fixture to `FILE` (internal/gateway/testdata/grantinvoke.template.json)")

// TestWritePolicyFixture synthesizes the stack the local gateway's IAM
// policy tests run: a reader role granted one route with GrantInvoke, and a
// resource policy (set with the RestApi escape hatch, as users do) that
// denies callers outside an organization and allows a partner account to
// read orders. It runs only with -policy-fixture:
//
//	go test ./constructs/identityapi -run TestWritePolicyFixture -policy-fixture ../../internal/gateway/testdata/grantinvoke.template.json
func TestWritePolicyFixture(t *testing.T) {
	if *policyFixture == "" {
		t.Skip("run with -policy-fixture FILE to write the fixture")
	}
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("PolicyFixture"), nil)
	api := identityapi.NewIdentityApi(stack, jsii.String("Api"), &identityapi.IdentityApiProps{
		BackendUrl: jsii.String("https://orders.internal.example.com"),
		Routes: &[]*identityapi.Route{
			{Method: jsii.String("GET"), Path: jsii.String("/orders/{orderId}")},
			{Method: jsii.String("POST"), Path: jsii.String("/orders")},
			{Method: jsii.String("GET"), Path: jsii.String("/whoami")},
		},
	})
	reader := awsiam.NewRole(stack, jsii.String("Reader"), &awsiam.RoleProps{
		AssumedBy: awsiam.NewAccountRootPrincipal(),
	})
	api.Route("GET", "/orders/{orderId}").GrantInvoke(reader)

	cfn := api.RestApi().Node().DefaultChild().(awscdk.CfnResource)
	cfn.AddPropertyOverride(jsii.String("Policy"), map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{
			map[string]any{
				"Sid": "DenyOutsideOrg", "Effect": "Deny", "Principal": "*",
				"Action": "execute-api:Invoke", "Resource": "execute-api:/*",
				"Condition": map[string]any{"StringNotEquals": map[string]any{"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
			},
			map[string]any{
				"Sid": "AllowPartnerReads", "Effect": "Allow",
				"Principal": map[string]any{"AWS": "arn:aws:iam::444455556666:root"},
				"Action":    "execute-api:Invoke", "Resource": "execute-api:/prod/GET/orders/*",
			},
		},
	})

	raw, err := json.MarshalIndent(assertions.Template_FromStack(stack, nil).ToJSON(), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(*policyFixture, append(raw, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
}
