package apigw

import (
	"regexp"
	"slices"
	"strings"
)

// Endpoint types of a REST API.
const (
	EndpointRegional = "REGIONAL"
	EndpointPrivate  = "PRIVATE"
	EndpointEdge     = "EDGE"
)

// IsEndpointType reports whether t (upper case) is a REST API endpoint type.
func IsEndpointType(t string) bool {
	return slices.Contains([]string{EndpointRegional, EndpointPrivate, EndpointEdge}, t)
}

// TimeoutQuotaName is the Service Quotas name of the integration timeout
// quota that a Regional or private REST API raises to go past 29 s.
const TimeoutQuotaName = "Maximum integration timeout in milliseconds"

// QuotaTimeoutAllowed reports whether an API of the endpoint type may use a
// timeout that CheckTimeout classifies TimeoutNeedsQuota: Regional and
// private REST APIs may after a quota increase (since June 2024),
// edge-optimized ones never.
func QuotaTimeoutAllowed(endpointType string) bool { return endpointType != EndpointEdge }

// Condition keys of a REST API resource policy that restrict its callers.
const (
	// KeyPrincipalOrgID is the caller's AWS Organization; present only when
	// the caller's account is in one, and only with IAM authorization.
	KeyPrincipalOrgID = "aws:PrincipalOrgID"
	// KeyPrincipalAccount is the caller's account.
	KeyPrincipalAccount = "aws:PrincipalAccount"
	// KeySourceVpce is the VPC endpoint a request came through; present on
	// private APIs only.
	KeySourceVpce = "aws:SourceVpce"
)

// InvokeAnyMethod is the short-form resource of a resource policy that API
// Gateway expands, on save, to every method of every stage of the API
// (arn:PARTITION:execute-api:REGION:ACCOUNT:API_ID/*). A resource policy
// cannot name its own API's id without a circular reference, so the short
// form is the one to write.
const InvokeAnyMethod = "execute-api:/*"

var (
	orgIDRe     = regexp.MustCompile(`^o-[a-z0-9]{10,32}$`)
	accountIDRe = regexp.MustCompile(`^[0-9]{12}$`)
	vpceIDRe    = regexp.MustCompile(`^vpce-[0-9a-f]{8,17}$`)
	nlbArnRe    = regexp.MustCompile(`^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:[0-9]{12}:loadbalancer/net/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}$`)
	albTargetRe = regexp.MustCompile(`^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:[0-9]{12}:(loadbalancer/app/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}|listener/app/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}/[0-9a-f]{16})$`)
	vpcLinkIDRe = regexp.MustCompile(`^[a-z0-9]{1,32}$`)
	// webACLArnRe: WAFv2 names are 1 to 128 of \w and -, ids are UUIDs.
	webACLArnRe = regexp.MustCompile(`^arn:aws[a-z-]*:wafv2:([a-z0-9-]+):[0-9]{12}:regional/webacl/[A-Za-z0-9_-]{1,128}/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
)

// ValidOrgID reports whether s is an AWS Organizations id (o-...).
func ValidOrgID(s string) bool { return orgIDRe.MatchString(s) }

// ValidAccountID reports whether s is a 12-digit AWS account id.
func ValidAccountID(s string) bool { return accountIDRe.MatchString(s) }

// ValidVpcEndpointID reports whether s is a VPC endpoint id (vpce-...).
func ValidVpcEndpointID(s string) bool { return vpceIDRe.MatchString(s) }

// ValidVpcLinkID reports whether s can be the id of a VPC link (v1 or v2):
// lower-case letters and digits.
func ValidVpcLinkID(s string) bool { return vpcLinkIDRe.MatchString(s) }

// IsNlbArn reports whether s is the ARN of a Network Load Balancer, the only
// target a REST API VPC link (AWS::ApiGateway::VpcLink) accepts.
func IsNlbArn(s string) bool { return nlbArnRe.MatchString(s) }

// IsAlbIntegrationTarget reports whether s is the ARN of an Application Load
// Balancer or of one of its listeners, what a method's
// Integration.IntegrationTarget names when it reaches an ALB through a VPC
// link v2.
func IsAlbIntegrationTarget(s string) bool { return albTargetRe.MatchString(s) }

// WebACLRegion is the region of the ARN of a WAFv2 web ACL of REGIONAL
// scope, which must be its stage's, and whether s is one: the only kind a
// REST API stage can be associated with
// (arn:aws:wafv2:REGION:ACCOUNT:regional/webacl/NAME/ID); a CLOUDFRONT one
// is global/webacl/..., a WAF Classic one arn:aws:waf-regional:....
func WebACLRegion(s string) (string, bool) {
	m := webACLArnRe.FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	return m[1], true
}

// PrivateNeedsVpcEndpoints reports whether an API of the endpoint type with
// n allowed VPC endpoints lacks the resource policy API Gateway requires: a
// PRIVATE API without one fails to deploy, and without a VPC endpoint
// condition nothing can reach it.
func PrivateNeedsVpcEndpoints(endpointType string, n int) bool {
	return endpointType == EndpointPrivate && n == 0
}

// SourceVpceOnlyOnPrivate reports whether allowing n VPC endpoints on an
// API of the endpoint type would lock every caller out: aws:SourceVpce is
// present only on requests to a PRIVATE API, so a Deny on its absence
// refuses every request to a Regional or edge-optimized one.
func SourceVpceOnlyOnPrivate(endpointType string, n int) bool {
	return endpointType != EndpointPrivate && n > 0
}

// ARNPathCovers reports whether an execute-api ARN path with wildcards
// (ARNPath of a resource path, "/orders/*") matches requests to another
// resource path ("/orders/{id}/items"), as IAM matches ARNs: "*" stands for
// any run of characters, "/" included, so "/orders/*" covers every path
// below /orders, however deep.
func ARNPathCovers(pattern, resourcePath string) bool {
	sample := pathParam.ReplaceAllString(resourcePath, "x")
	re := "^" + strings.ReplaceAll(regexp.QuoteMeta(pattern), `\*`, ".*") + "$"
	return regexp.MustCompile(re).MatchString(sample)
}
