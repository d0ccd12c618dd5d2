// Package consumer is a user's CDK app that puts its services behind
// iamgate's IdentityApi: an orders API in front of an internal NLB defined in
// the same stack (through a VPC link, the backend URL from an SSM
// parameter), a partner API whose backend URL another stack exports, and,
// in a stack of its own, a catalog API of 120 routes (more than one
// template holds: the construct puts the routes past RoutesPerStack into
// nested stacks) behind another internal NLB.
package consumer

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsssm"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/iamgate/iamgate/constructs/identityapi"
)

// Services is the app's stacks.
type Services struct {
	Network, Apis, Catalog awscdk.Stack
	Orders                 *identityapi.IdentityApi
	Partner                *identityapi.IdentityApi
	CatalogApi             *identityapi.IdentityApi
}

// NewServices builds the network stack (a VPC, an internal NLB, an export)
// and the API stack with two IdentityApis.
func NewServices(scope constructs.Construct) *Services {
	env := &awscdk.Environment{Account: jsii.String("111122223333"), Region: jsii.String("eu-west-1")}
	network := awscdk.NewStack(scope, jsii.String("Network"), &awscdk.StackProps{Env: env})
	vpc := awsec2.NewVpc(network, jsii.String("Vpc"), &awsec2.VpcProps{MaxAzs: jsii.Number(2), NatGateways: jsii.Number(0)})
	awscdk.NewCfnOutput(network, jsii.String("PartnerUrl"), &awscdk.CfnOutputProps{
		Value:      jsii.String("https://partner.example.com/v2"),
		ExportName: jsii.String("partner-backend-url"),
	})

	apis := awscdk.NewStack(scope, jsii.String("Apis"), &awscdk.StackProps{Env: env})
	nlb := awselasticloadbalancingv2.NewNetworkLoadBalancer(apis, jsii.String("OrdersNlb"), &awselasticloadbalancingv2.NetworkLoadBalancerProps{
		Vpc: vpc, InternetFacing: jsii.Bool(false),
	})
	orders := identityapi.NewIdentityApi(apis, jsii.String("Orders"), &identityapi.IdentityApiProps{
		// The scheme and host API Gateway sends to, kept in SSM.
		BackendUrl:             awsssm.StringParameter_ValueForStringParameter(apis, jsii.String("/orders/backend-url"), nil),
		NetworkLoadBalancer:    nlb,
		AllowedPrincipalOrgIds: jsii.Strings("o-abcdefghij"),
		Routes: &[]*identityapi.Route{
			{Method: jsii.String("GET"), Path: jsii.String("/orders/{orderId}")},
			{Method: jsii.String("POST"), Path: jsii.String("/orders")},
		},
	})
	partner := identityapi.NewIdentityApi(apis, jsii.String("Partner"), &identityapi.IdentityApiProps{
		BackendUrl: awscdk.Fn_ImportValue(jsii.String("partner-backend-url")),
		Routes:     &[]*identityapi.Route{{Method: jsii.String("GET"), Path: jsii.String("/quotes/{id}")}},
	})
	apis.AddDependency(network, jsii.String("the partner URL is the network stack's export"))

	catalog := awscdk.NewStack(scope, jsii.String("Catalog"), &awscdk.StackProps{Env: env})
	catalogNlb := awselasticloadbalancingv2.NewNetworkLoadBalancer(catalog, jsii.String("CatalogNlb"), &awselasticloadbalancingv2.NetworkLoadBalancerProps{
		Vpc: vpc, InternetFacing: jsii.Bool(false),
	})
	var routes []*identityapi.Route
	for i := 0; i < 60; i++ {
		path := fmt.Sprintf("/categories/c%02d/{itemId}", i)
		routes = append(routes,
			&identityapi.Route{Method: jsii.String("GET"), Path: jsii.String(path)},
			&identityapi.Route{Method: jsii.String("POST"), Path: jsii.String(path)})
	}
	catalogApi := identityapi.NewIdentityApi(catalog, jsii.String("Catalog"), &identityapi.IdentityApiProps{
		BackendUrl:          awsssm.StringParameter_ValueForStringParameter(catalog, jsii.String("/catalog/backend-url"), nil),
		NetworkLoadBalancer: catalogNlb,
		Routes:              &routes,
	})
	return &Services{Network: network, Apis: apis, Orders: orders, Partner: partner, Catalog: catalog, CatalogApi: catalogApi}
}
