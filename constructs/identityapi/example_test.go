package identityapi_test

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/iamgate/iamgate/constructs/identityapi"
)

// An IAM-protected API in front of an existing backend, imported into
// another module's stack: GET routes reach the backend as POSTs carrying the
// identity envelope, and a role is allowed to call one route only.
func ExampleNewIdentityApi() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Orders"), nil)

	api := identityapi.NewIdentityApi(stack, jsii.String("Api"), &identityapi.IdentityApiProps{
		BackendUrl: jsii.String("https://orders.internal.example.com"),
		Routes: &[]*identityapi.Route{
			{
				Method: jsii.String("GET"),
				Path:   jsii.String("/orders/{orderId}"),
				Headers: &[]*identityapi.Mapping{
					{From: jsii.String("X-Correlation-Id")},
				},
			},
			{Method: jsii.String("POST"), Path: jsii.String("/orders")},
			{
				Method:           jsii.String("GET"),
				Path:             jsii.String("/health"),
				Authorization:    identityapi.AuthorizationNone, // opting out is explicit
				IdentityEnvelope: jsii.Bool(false),
			},
		},
	})

	reader := awsiam.NewRole(stack, jsii.String("Reader"), &awsiam.RoleProps{
		AssumedBy: awsiam.NewAccountRootPrincipal(),
	})
	api.Route("GET", "/orders/{orderId}").GrantInvoke(reader)

	for _, r := range api.Routes() {
		fmt.Println(r, "->", r.BackendMethod(), r.BackendUri())
	}
	// Output:
	// GET /orders/{orderId} -> POST https://orders.internal.example.com/orders/{orderId}
	// POST /orders -> POST https://orders.internal.example.com/orders
	// GET /health -> GET https://orders.internal.example.com/health
}

// An API in front of an internal Network Load Balancer through a VPC link,
// callable only by principals of one AWS Organization: every integration
// goes through the link, and the REST API gets a resource policy.
func ExampleIdentityApiProps_privateBackend() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Private"), nil)

	api := identityapi.NewIdentityApi(stack, jsii.String("Api"), &identityapi.IdentityApiProps{
		// The host API Gateway sends to over the link (Host header, TLS name).
		BackendUrl: jsii.String("https://orders.internal.example.com"),
		// A link made elsewhere; NetworkLoadBalancer makes one instead.
		VpcLink:                awsapigateway.VpcLink_FromVpcLinkId(stack, jsii.String("Link"), jsii.String("a1b2c3")),
		AllowedPrincipalOrgIds: jsii.Strings("o-abcdefghij"),
		Routes: &[]*identityapi.Route{
			{Method: jsii.String("GET"), Path: jsii.String("/orders/{orderId}")},
		},
	})
	fmt.Println(api.VpcLink() != nil, api.Route("GET", "/orders/{orderId}").BackendUri())
	// Output:
	// true https://orders.internal.example.com/orders/{orderId}
}
