package identityapi

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/iamgate/iamgate/internal/apigw"
)

// connect returns the VPC link every integration goes through: the one
// given, one created to the NLB, or the VPC link v2 by its id; nil for the
// internet.
func (c *IdentityApi) connect(props *IdentityApiProps) awsapigateway.IVpcLink {
	switch c.plan.connection.kind {
	case connVpcLink:
		return props.VpcLink
	case connNlb:
		return awsapigateway.NewVpcLink(c.Construct, jsii.String("VpcLink"), &awsapigateway.VpcLinkProps{
			Description: jsii.String("iamgate: private integration of " + *c.Node().Path()),
			Targets:     &[]awselasticloadbalancingv2.INetworkLoadBalancer{props.NetworkLoadBalancer},
		})
	case connVpcLinkV2:
		// A VPC link v2 is used by its id, as ConnectionId; the ALB it
		// reaches is each method's Integration.IntegrationTarget, set by an
		// L1 override that the deployment's hash does not see: add it, so
		// that another target redeploys the stage.
		c.api.LatestDeployment().AddToLogicalId(map[string]any{"integrationTarget": c.plan.connection.target})
		return awsapigateway.VpcLink_FromVpcLinkId(c.Construct, jsii.String("VpcLinkV2"), jsii.String(c.plan.connection.v2ID))
	}
	return nil
}

// resourcePolicy is the REST API's resource policy for the caller
// restrictions, or nil when there are none: an Allow of execute-api:Invoke
// on every method, and a Deny unless the caller matches (organization or
// account in one statement, VPC endpoint in another, so that both must
// hold when both are given). The resource is the short form API Gateway
// expands on save; the policy cannot name its own API's id.
func resourcePolicy(a accessPlan) awsiam.PolicyDocument {
	if !a.restricted() {
		return nil
	}
	invoke := func(effect awsiam.Effect, sid string, conditions map[string]any) awsiam.PolicyStatement {
		props := &awsiam.PolicyStatementProps{
			Sid:        jsii.String(sid),
			Effect:     effect,
			Principals: &[]awsiam.IPrincipal{awsiam.NewStarPrincipal()},
			Actions:    jsii.Strings("execute-api:Invoke"),
			Resources:  jsii.Strings(apigw.InvokeAnyMethod),
		}
		if conditions != nil {
			props.Conditions = &conditions
		}
		return awsiam.NewPolicyStatement(props)
	}
	statements := []awsiam.PolicyStatement{invoke(awsiam.Effect_ALLOW, "AllowInvoke", nil)}
	who := map[string]any{}
	if len(a.orgIDs) > 0 {
		who[apigw.KeyPrincipalOrgID] = a.orgIDs
	}
	if len(a.accountIDs) > 0 {
		who[apigw.KeyPrincipalAccount] = a.accountIDs
	}
	if len(who) > 0 {
		// StringNotEquals is true when the key is absent too (a caller
		// outside any organization), so such callers are denied.
		deny := invoke(awsiam.Effect_DENY, "DenyOtherPrincipals", map[string]any{"StringNotEquals": who})
		if a.exemptPreflights {
			// A CORS preflight is unsigned: it has no principal, so the
			// Deny would refuse it. Only the MOCK preflights answer
			// OPTIONS (Cors refuses OPTIONS routes).
			deny = awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Sid: jsii.String("DenyOtherPrincipals"), Effect: awsiam.Effect_DENY,
				Principals:   &[]awsiam.IPrincipal{awsiam.NewStarPrincipal()},
				Actions:      jsii.Strings("execute-api:Invoke"),
				NotResources: jsii.Strings(corsPreflightResource),
				Conditions:   &map[string]any{"StringNotEquals": who},
			})
		}
		statements = append(statements, deny)
	}
	if len(a.vpceIDs) > 0 {
		statements = append(statements, invoke(awsiam.Effect_DENY, "DenyOtherVpcEndpoints",
			map[string]any{"StringNotEquals": map[string]any{apigw.KeySourceVpce: a.vpceIDs}}))
	}
	return awsiam.NewPolicyDocument(&awsiam.PolicyDocumentProps{Statements: &statements})
}
