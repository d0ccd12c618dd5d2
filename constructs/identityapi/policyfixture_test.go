package identityapi_test

import (
	"flag"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/iamgate/iamgate/constructs/identityapi"
)

var updatePolicyFixture = flag.Bool("update-policy-fixture", false, "rewrite the local gateway's IAM policy fixture, "+policyFixture)

// policyFixture is the template the local gateway's IAM policy tests read.
const policyFixture = "../../internal/gateway/testdata/grantinvoke.template.json"

// TestPolicyFixture synthesizes the stack the local gateway's IAM policy
// tests run: a reader role granted one route with GrantInvoke, and a
// resource policy (set with the RestApi escape hatch, as users do) that
// denies callers outside an organization and allows a partner account to
// read orders. The fixture must be what the construct synthesizes today, so
// that the gateway's tests prove grants as they deploy; refresh it with:
//
//	go test ./constructs/identityapi -run TestPolicyFixture -update-policy-fixture
func TestPolicyFixture(t *testing.T) {
	app := newApp(nil)
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

	got := assertions.Template_FromStack(stack, nil).ToJSON()
	checkGolden(t, policyFixture, got, *updatePolicyFixture, "go test ./constructs/identityapi -run TestPolicyFixture -update-policy-fixture")
}
