package stacks

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/iamgate/iamgate/constructs/identityapi"
)

// Output keys of the stack, as they appear in cdk-outputs.json.
const (
	OutputApiUrl              = "ApiUrl"
	OutputApiId               = "ApiId"
	OutputExecuteApiArnPrefix = "ExecuteApiArnPrefix"
	// OutputDomainUrl is https://NAME/BASEPATH/ of the custom domain, present
	// only when iamgate:domain is set.
	OutputDomainUrl = "DomainUrl"
)

// IamGateStack is the app's deployable stack: one IdentityApi configured from
// context, and its outputs.
type IamGateStack struct {
	awscdk.Stack
	// Api is the stack's IdentityApi.
	Api *identityapi.IdentityApi
}

// NewIamGateStack builds the stack from cfg.
func NewIamGateStack(scope constructs.Construct, cfg *Config, props *awscdk.StackProps) *IamGateStack {
	stack := awscdk.NewStack(scope, jsii.String(cfg.StackName), props)
	api := identityapi.NewIdentityApi(stack, jsii.String("Api"), cfg.Props(stack))

	awscdk.NewCfnOutput(stack, jsii.String(OutputApiUrl), &awscdk.CfnOutputProps{
		Value:       api.Url(),
		Description: jsii.String("Invoke URL of the stage; iamgate call --stack reads it"),
	})
	awscdk.NewCfnOutput(stack, jsii.String(OutputApiId), &awscdk.CfnOutputProps{
		Value:       api.RestApiId(),
		Description: jsii.String("Id of the REST API"),
	})
	awscdk.NewCfnOutput(stack, jsii.String(OutputExecuteApiArnPrefix), &awscdk.CfnOutputProps{
		Value:       api.ExecuteApiArnPrefix(),
		Description: jsii.String("Prefix of the execute-api:Invoke ARNs of the stage, for IAM policies"),
	})
	if u := api.DomainUrl(); u != nil {
		awscdk.NewCfnOutput(stack, jsii.String(OutputDomainUrl), &awscdk.CfnOutputProps{
			Value:       u,
			Description: jsii.String("URL of the stage on the custom domain; iamgate call --stack prefers it to ApiUrl"),
		})
	}
	return &IamGateStack{Stack: stack, Api: api}
}

// Props turns the configuration into the construct's props; scope holds
// what the VPC link configuration refers to (an imported NLB or link).
func (cfg *Config) Props(scope constructs.Construct) *identityapi.IdentityApiProps {
	props := &identityapi.IdentityApiProps{
		BackendUrl:             jsii.String(cfg.BackendURL),
		StageName:              optString(cfg.StageName),
		HeaderPrefix:           optString(cfg.HeaderPrefix),
		EndpointType:           awsapigateway.EndpointType(cfg.EndpointType),
		AllowedPrincipalOrgIds: stringList(cfg.AllowedPrincipalOrgIds),
		AllowedAccountIds:      stringList(cfg.AllowedAccountIds),
		AllowedVpcEndpointIds:  stringList(cfg.AllowedVpcEndpointIds),
		Cors:                   cfg.Cors.props(),
	}
	if l := cfg.VpcLink; l != nil {
		switch {
		case l.NlbArn != "":
			props.NetworkLoadBalancer = awselasticloadbalancingv2.NetworkLoadBalancer_FromNetworkLoadBalancerAttributes(scope, jsii.String("Nlb"),
				&awselasticloadbalancingv2.NetworkLoadBalancerAttributes{LoadBalancerArn: jsii.String(l.NlbArn)})
		case l.VpcLinkId != "":
			props.VpcLink = awsapigateway.VpcLink_FromVpcLinkId(scope, jsii.String("VpcLink"), jsii.String(l.VpcLinkId))
		default:
			props.VpcLinkV2Id = jsii.String(l.VpcLinkV2Id)
			props.IntegrationTarget = jsii.String(l.AlbArn)
		}
	}
	if d := cfg.Domain; d != nil {
		props.Domain = &identityapi.DomainProps{
			Name:           jsii.String(d.Name),
			CertificateArn: jsii.String(d.CertificateArn),
			BasePath:       optString(d.BasePath),
		}
		if d.HostedZoneId != "" {
			props.Domain.HostedZone = awsroute53.HostedZone_FromHostedZoneAttributes(scope, jsii.String("HostedZone"), &awsroute53.HostedZoneAttributes{
				HostedZoneId: jsii.String(d.HostedZoneId), ZoneName: jsii.String(d.HostedZoneName),
			})
		}
	}
	if cfg.ResponseHeaders != nil {
		props.ResponseHeaders = jsii.Strings(cfg.ResponseHeaders...)
	}
	if cfg.PassedStatusCodes != nil {
		codes := make([]*float64, len(cfg.PassedStatusCodes))
		for i := range cfg.PassedStatusCodes {
			codes[i] = jsii.Number(cfg.PassedStatusCodes[i])
		}
		props.PassedStatusCodes = &codes
	}
	props.RoutesPerStack = cfg.RoutesPerStack
	if cfg.Routes != nil {
		routes := make([]*identityapi.Route, 0, len(cfg.Routes))
		for _, rc := range cfg.Routes {
			routes = append(routes, rc.route())
		}
		props.Routes = &routes
	}
	return props
}

func (rc RouteConfig) route() *identityapi.Route {
	r := &identityapi.Route{
		Method:               jsii.String(rc.Method),
		Path:                 jsii.String(rc.Path),
		Authorization:        awsapigateway.AuthorizationType(rc.Authorization),
		BackendMethod:        optString(rc.BackendMethod),
		BackendPath:          optString(rc.BackendPath),
		IdentityHeaders:      rc.IdentityHeaders,
		IdentityEnvelope:     rc.IdentityEnvelope,
		Headers:              mappings(rc.Headers),
		QueryStrings:         mappings(rc.QueryStrings),
		StaticHeaders:        pointers(rc.StaticHeaders),
		Proxy:                rc.Proxy,
		RawRequestParameters: pointers(rc.RawRequestParameters),
		RawMethodParameters:  pointers(rc.RawMethodParameters),
	}
	if rc.TimeoutMillis != nil {
		r.Timeout = awscdk.Duration_Millis(rc.TimeoutMillis)
	}
	return r
}

func mappings(ms []MappingConfig) *[]*identityapi.Mapping {
	if ms == nil {
		return nil
	}
	out := make([]*identityapi.Mapping, 0, len(ms))
	for _, m := range ms {
		out = append(out, &identityapi.Mapping{From: jsii.String(m.From), To: optString(m.To), Required: jsii.Bool(m.Required)})
	}
	return &out
}

// pointers turns a map of values into the map of pointers the construct's
// props take; nil stays nil.
func pointers[V any](m map[string]V) *map[string]*V {
	if m == nil {
		return nil
	}
	out := make(map[string]*V, len(m))
	for k, v := range m {
		out[k] = &v
	}
	return &out
}

func stringList(list []string) *[]*string {
	if list == nil {
		return nil
	}
	return jsii.Strings(list...)
}

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
