package identityapi

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"

	"github.com/iamgate/iamgate/internal/apigw"
)

// The plan of what reaches the backend (a VPC link or the internet) and of
// who may call (endpoint type, resource policy). Every rule comes from
// internal/apigw; this file turns props into a plan and rules into messages.

// connectionKind is how API Gateway reaches the backend.
type connectionKind int

const (
	connInternet connectionKind = iota
	// connVpcLink: an existing REST API VPC link (IdentityApiProps.VpcLink).
	connVpcLink
	// connNlb: a VPC link the construct creates to an NLB.
	connNlb
	// connVpcLinkV2: a VPC link v2 to an ALB, with IntegrationTarget.
	connVpcLinkV2
)

type connectionPlan struct {
	kind connectionKind
	// v2ID and target are VpcLinkV2Id and IntegrationTarget.
	v2ID, target string
}

// accessPlan is the resource policy's content: the ids each Deny compares
// with (tokens included, as given).
type accessPlan struct {
	orgIDs, accountIDs, vpceIDs []string
	// exemptPreflights leaves the OPTIONS methods (Cors's preflights,
	// unsigned) out of the principals' Deny: it would refuse them all.
	exemptPreflights bool
}

// restricted reports whether the API gets a resource policy.
func (a accessPlan) restricted() bool {
	return len(a.orgIDs)+len(a.accountIDs)+len(a.vpceIDs) > 0
}

// CloudFormation tokens as they appear in Go strings ("${Token[TOKEN.45]}",
// lists as "#{Token[...]}"); their value is known only at deploy.
var tokenRe = regexp.MustCompile(`[$#]\{Token\[[^\]]*\]\}`)

// isToken reports whether s holds a CDK token anywhere.
func isToken(s string) bool {
	return tokenRe.MatchString(s) || *awscdk.Token_IsUnresolved(&s)
}

// startsWithToken reports whether the URL's scheme is unknown at synth: s
// starts with a token (it may be a token as a whole).
func startsWithToken(s string) bool {
	loc := tokenRe.FindStringIndex(s)
	return loc != nil && loc[0] == 0
}

// literalParts is s without its tokens.
func literalParts(s string) string { return tokenRe.ReplaceAllString(s, "") }

// withoutTokens replaces each token with a name that parses as a host or a
// path segment, so that the literal parts of a URL can be checked.
func withoutTokens(s string) string { return tokenRe.ReplaceAllString(s, "token.invalid") }

func checkEndpointType(t awsapigateway.EndpointType, probs *problems) string {
	s := strings.ToUpper(string(t))
	if s == "" {
		return apigw.EndpointRegional
	}
	if !apigw.IsEndpointType(s) {
		probs.errorf("EndpointType: %q is not a REST API endpoint type; use REGIONAL (the default), PRIVATE or EDGE", string(t))
		return apigw.EndpointRegional
	}
	return s
}

// checkTimeout classifies an integration timeout with apigw's rules for the
// endpoint type: label names the field ("Timeout:", or `Routes[0] "GET /a":
// Timeout`).
func checkTimeout(label string, d awscdk.Duration, endpointType string, probs *problems) (float64, bool) {
	if *d.IsUnresolved() {
		// A number from a CfnParameter, say: known at deploy only, where
		// API Gateway checks it. The CDK converts a token from no other
		// unit, and would throw on it mid-construction, naming no field.
		ms, ok := tokenMillis(d)
		if !ok {
			probs.errorf("%s: a token can only be given in milliseconds (the CDK cannot convert it from another unit): write awscdk.Duration_Millis(token)", strings.TrimSuffix(label, ":"))
		}
		return ms, ok
	}
	ms := millis(d)
	verdict := apigw.CheckTimeout(ms)
	if verdict == apigw.TimeoutOutOfRange {
		probs.errorf("%s %v ms is below API Gateway's minimum integration timeout of 50 ms", label, ms)
		return 0, false
	}
	if ms != math.Trunc(ms) {
		// The CDK would throw "50.5 must be a whole number of millis.",
		// naming no field.
		probs.errorf("%s %v ms is not a whole number of milliseconds; API Gateway's integration timeout counts whole milliseconds (e.g. awscdk.Duration_Millis(jsii.Number(%v)))", label, ms, math.Round(ms))
		return 0, false
	}
	switch verdict {
	case apigw.TimeoutNeedsQuota:
		if !apigw.QuotaTimeoutAllowed(endpointType) {
			probs.errorf("%s %v ms is above 29 s, the most an EDGE (edge-optimized) API allows; use at most 29 s, or EndpointType REGIONAL or PRIVATE with a raised quota", label, ms)
			return 0, false
		}
		probs.warnf("%s %v ms is above API Gateway's default 29 s: a %s API may use it only once the Service Quotas quota %q of API Gateway is raised for this account and region, or the deploy fails",
			label, ms, endpointType, apigw.TimeoutQuotaName)
	}
	return ms, true
}

// tokenMillis is a token Duration in milliseconds, the token number itself;
// false when it is of another unit.
func tokenMillis(d awscdk.Duration) (ms float64, ok bool) {
	defer func() {
		if recover() != nil {
			ms, ok = 0, false
		}
	}()
	return millis(d), true
}

// planConnection validates the VPC link props: at most one way to the
// backend, and the literal ids and ARNs in the form API Gateway accepts.
func planConnection(props *IdentityApiProps, probs *problems) connectionPlan {
	var given []string
	c := connectionPlan{}
	if props.VpcLink != nil {
		given = append(given, "VpcLink")
		c.kind = connVpcLink
	}
	if props.NetworkLoadBalancer != nil {
		given = append(given, "NetworkLoadBalancer")
		c.kind = connNlb
		if arn := props.NetworkLoadBalancer.LoadBalancerArn(); arn != nil && !isToken(*arn) && !apigw.IsNlbArn(*arn) {
			probs.errorf("NetworkLoadBalancer: %q is not the ARN of a Network Load Balancer (arn:aws:elasticloadbalancing:REGION:ACCOUNT:loadbalancer/net/NAME/ID); a REST API VPC link targets NLBs only; reach an ALB with VpcLinkV2Id and IntegrationTarget", *arn)
		}
	}
	if props.VpcLinkV2Id != nil {
		given = append(given, "VpcLinkV2Id")
		c.kind = connVpcLinkV2
		c.v2ID = *props.VpcLinkV2Id
		if !isToken(c.v2ID) && !apigw.ValidVpcLinkID(c.v2ID) {
			probs.errorf("VpcLinkV2Id: %q is not a VPC link id (lower-case letters and digits, e.g. \"a1b2c3\")", c.v2ID)
		}
		if props.IntegrationTarget == nil {
			probs.errorf("VpcLinkV2Id: given without IntegrationTarget; a VPC link v2 integration names its ALB or listener: give its ARN in IntegrationTarget")
		}
	}
	if props.IntegrationTarget != nil {
		c.target = *props.IntegrationTarget
		switch {
		case props.VpcLinkV2Id == nil:
			probs.errorf("IntegrationTarget: given without VpcLinkV2Id; it names the ALB a VPC link v2 reaches: give the link's id in VpcLinkV2Id")
		case !isToken(c.target) && !apigw.IsAlbIntegrationTarget(c.target):
			probs.errorf("IntegrationTarget: %q is not the ARN of an Application Load Balancer or of its listener (arn:aws:elasticloadbalancing:REGION:ACCOUNT:loadbalancer/app/NAME/ID or listener/app/NAME/ID/ID)", c.target)
		}
	}
	if len(given) > 1 {
		probs.errorf("%s: give one way to reach the backend; they are different VPC links", strings.Join(given, " and "))
	}
	return c
}

// planAccess validates the caller restrictions against the endpoint type.
func planAccess(props *IdentityApiProps, endpointType string, probs *problems) accessPlan {
	ids := func(field string, list *[]*string, valid func(string) bool, what string) []string {
		if list == nil {
			return nil
		}
		if len(*list) == 0 {
			probs.errorf("%s: the list is empty; give at least one id, or leave it nil for no restriction", field)
		}
		var out []string
		for i, v := range *list {
			switch {
			case v == nil || *v == "":
				probs.errorf("%s[%d]: empty; give %s", field, i, what)
			case !isToken(*v) && !valid(*v):
				probs.errorf("%s[%d]: %q is not %s", field, i, *v, what)
			default:
				out = append(out, *v)
			}
		}
		return out
	}
	a := accessPlan{
		orgIDs:     ids("AllowedPrincipalOrgIds", props.AllowedPrincipalOrgIds, apigw.ValidOrgID, "an AWS Organizations id (o- and 10 to 32 lower-case letters or digits)"),
		accountIDs: ids("AllowedAccountIds", props.AllowedAccountIds, apigw.ValidAccountID, "an AWS account id (12 digits)"),
		vpceIDs:    ids("AllowedVpcEndpointIds", props.AllowedVpcEndpointIds, apigw.ValidVpcEndpointID, "a VPC endpoint id (vpce- and 8 to 17 hex digits)"),
	}
	n := 0
	if props.AllowedVpcEndpointIds != nil {
		n = len(*props.AllowedVpcEndpointIds)
	}
	switch {
	case apigw.PrivateNeedsVpcEndpoints(endpointType, n):
		probs.errorf("AllowedVpcEndpointIds: required with EndpointType PRIVATE: API Gateway refuses to deploy a private API without a resource policy, and only the VPC endpoints it allows can reach it; list them (\"vpce-...\")")
	case apigw.SourceVpceOnlyOnPrivate(endpointType, n):
		probs.errorf("AllowedVpcEndpointIds: aws:SourceVpce is present only on requests to a PRIVATE API, so on a %s API the policy would refuse every caller; set EndpointType to PRIVATE or remove AllowedVpcEndpointIds", endpointType)
	}
	return a
}

// describeRoutes lists route names for messages.
func describeRoutes(routes []*routePlan) string {
	if len(routes) == 0 {
		return "none"
	}
	names := make([]string, len(routes))
	for i, r := range routes {
		names[i] = r.name
	}
	return strings.Join(names, ", ")
}

// routeNotFound is Route's panic message.
func (p *apiPlan) routeNotFound(apiPath, method, path string) string {
	name := strings.ToUpper(method) + " " + path
	if errs, ok := p.invalid[name]; ok {
		return fmt.Sprintf("identityapi: %s: Route(%q, %q): the route is not built, its props are invalid: %s",
			apiPath, method, path, strings.Join(errs, "; "))
	}
	return fmt.Sprintf("identityapi: %s: Route(%q, %q): no such route; the routes are: %s",
		apiPath, method, path, describeRoutes(p.routes))
}

// grantOutsideAccounts is the warning for a grant to a principal of the
// account (a token when unknown at synth) that the restriction's Deny
// refuses, or "": with AllowedAccountIds only, an account left out of them.
func (a accessPlan) grantOutsideAccounts(account string) string {
	if len(a.accountIDs) == 0 || len(a.orgIDs) > 0 || isToken(account) || slices.Contains(a.accountIDs, account) {
		return ""
	}
	return fmt.Sprintf("GrantInvoke: the grantee is in account %s, which AllowedAccountIds (%s) leaves out: the resource policy's Deny refuses it whatever the grant says; add the account, or grant a principal of an allowed one",
		account, strings.Join(a.accountIDs, ", "))
}
