package identityapi

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awswafv2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
)

// The reasons the construct gives cdk-nag for the findings it acknowledges.
// Each one is a design choice of IdentityApi; every other finding is met
// with a real setting.
const (
	// CognitoReason acknowledges AwsSolutions-COG4 on AWS_IAM methods.
	CognitoReason = "IdentityApi authorizes callers with AWS_IAM (SigV4): the callers are AWS principals, " +
		"verified by API Gateway and forwarded to the backend as $context.identity; a Cognito user pool " +
		"authorizer would authenticate end users instead, which is not what this API is for."
	// NoWebAclReason acknowledges AwsSolutions-APIG3 when no WebAclArn is given.
	NoWebAclReason = "No WebAclArn was given: every method requires a valid SigV4 signature, so anonymous " +
		"traffic is refused before any integration runs; give IdentityApiProps.WebAclArn to add AWS WAF " +
		"rate and content rules in front of the stage."
	// LogGroupsReason acknowledges AwsSolutions-IAM5 on the CloudWatch role.
	LogGroupsReason = "The API Gateway CloudWatch role is one per account and region, shared by every REST " +
		"API there; API Gateway creates execution log groups named API-Gateway-Execution-Logs_<api>/<stage> " +
		"for each of them, so the role's log actions are scoped to the log groups of this account and region, " +
		"not to a fixed list."
)

// cloudWatchLogActions are the CloudWatch Logs actions API Gateway uses to
// write execution and access logs (those of the AWS managed policy
// AmazonAPIGatewayPushToCloudWatchLogs).
var cloudWatchLogActions = []string{
	"logs:CreateLogGroup",
	"logs:CreateLogStream",
	"logs:DescribeLogGroups",
	"logs:DescribeLogStreams",
	"logs:PutLogEvents",
	"logs:GetLogEvents",
	"logs:FilterLogEvents",
}

// CloudWatchSingletonId is the id, directly under the stack, of the
// construct that holds the account's API Gateway CloudWatch role and its
// AWS::ApiGateway::Account: one per stack, shared by every IdentityApi of
// the stack with CloudWatchRole on.
const CloudWatchSingletonId = "IamGateCloudWatch"

// useCloudWatchRole finds the stack's CloudWatch role and Account, making
// them on first use, and sets the role before the stage enables logging.
func (c *IdentityApi) useCloudWatchRole() {
	stack := awscdk.Stack_Of(c.Construct)
	var holder constructs.Construct
	if found := stack.Node().TryFindChild(jsii.String(CloudWatchSingletonId)); found != nil {
		holder = found.(constructs.Construct)
	} else {
		holder = newCloudWatchSingleton(stack)
	}
	c.role = holder.Node().FindChild(jsii.String("Role")).(awsiam.Role)
	account := holder.Node().FindChild(jsii.String("Account"))
	// The stage enables logging, which API Gateway refuses until the
	// account has a CloudWatch role.
	c.api.DeploymentStage().Node().AddDependency(account)
}

// newCloudWatchSingleton makes the account's API Gateway CloudWatch role with
// an inline policy, and the AWS::ApiGateway::Account that sets it.
func newCloudWatchSingleton(stack awscdk.Stack) constructs.Construct {
	holder := constructs.NewConstruct(stack, jsii.String(CloudWatchSingletonId))
	logGroups := stack.FormatArn(&awscdk.ArnComponents{
		Service:      jsii.String("logs"),
		Resource:     jsii.String("log-group"),
		ResourceName: jsii.String("*"),
		ArnFormat:    awscdk.ArnFormat_COLON_RESOURCE_NAME,
	})
	role := awsiam.NewRole(holder, jsii.String("Role"), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("apigateway.amazonaws.com"), nil),
		Description: jsii.String("Lets API Gateway write the execution and access logs of the REST APIs of this account and region"),
		InlinePolicies: &map[string]awsiam.PolicyDocument{
			"PushToCloudWatchLogs": awsiam.NewPolicyDocument(&awsiam.PolicyDocumentProps{
				Statements: &[]awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
					Actions:   jsii.Strings(cloudWatchLogActions...),
					Resources: &[]*string{logGroups},
				})},
			}),
		},
	})
	role.ApplyRemovalPolicy(awscdk.RemovalPolicy_RETAIN)
	acknowledge(role, "AwsSolutions-IAM5", LogGroupsReason,
		"Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:*")

	account := awsapigateway.NewCfnAccount(holder, jsii.String("Account"), &awsapigateway.CfnAccountProps{
		CloudWatchRoleArn: role.RoleArn(),
	})
	account.ApplyRemovalPolicy(awscdk.RemovalPolicy_RETAIN, nil)
	return holder
}

// addWebAcl associates the stage with a WAF web ACL, or acknowledges
// that there is none.
func (c *IdentityApi) addWebAcl(webAclArn *string) {
	stage := c.api.DeploymentStage()
	if webAclArn == nil {
		acknowledge(stage, "AwsSolutions-APIG3", NoWebAclReason)
		return
	}
	awswafv2.NewCfnWebACLAssociation(c.Construct, jsii.String("WebAcl"), &awswafv2.CfnWebACLAssociationProps{
		ResourceArn: stage.StageArn(),
		WebAclArn:   webAclArn,
	})
	if r := c.plan.webAclRegion; r != "" {
		// An environment-agnostic stack learns its region at deploy: the
		// rule refuses the stack, before anything is created, where WAF
		// would fail on the association mid-deploy.
		regionRule(c.Construct, "WebAclRegion", r, fmt.Sprintf("iamgate: WebAclArn is a web ACL of %s; a stage can only be associated with a regional web ACL of the region the stack deploys to: deploy to %s or give a web ACL of this region", r, r))
	}
}

// regionRule adds a template rule that refuses the deploy, before anything
// is created, unless the stack deploys to region: for a resource that must
// be in the stack's region, when the stack learns its region at deploy.
func regionRule(scope constructs.Construct, id, region, description string) {
	awscdk.NewCfnRule(scope, jsii.String(id), &awscdk.CfnRuleProps{
		Assertions: &[]*awscdk.CfnRuleAssertion{{
			Assert:            awscdk.Fn_ConditionEquals(awscdk.Aws_REGION(), jsii.String(region)),
			AssertDescription: jsii.String(description),
		}},
	})
}

// acknowledge records a cdk-nag suppression with its reason on a construct
// and its children. appliesTo narrows it to the named findings of the rule.
func acknowledge(scope constructs.IConstruct, rule, reason string, appliesTo ...string) {
	s := &cdknag.NagPackSuppression{Id: jsii.String(rule), Reason: jsii.String(reason)}
	if len(appliesTo) > 0 {
		list := make([]any, len(appliesTo))
		for i, a := range appliesTo {
			list[i] = a
		}
		s.AppliesTo = &list
	}
	cdknag.NagSuppressions_AddResourceSuppressions(scope, &[]*cdknag.NagPackSuppression{s}, jsii.Bool(true))
}
