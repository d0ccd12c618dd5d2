package apigw

import (
	"regexp"
	"strings"
)

// Rules of an API Gateway custom domain name (AWS::ApiGateway::DomainName)
// and of its base path mappings.

var (
	// domainLabelRe is one DNS label as API Gateway accepts it in a custom
	// domain name: lower-case letters, digits and '-', not at either end.
	domainLabelRe = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
	// certificateArnRe is an ACM certificate ARN; group 1 is its region.
	certificateArnRe = regexp.MustCompile(`^arn:aws[a-z-]*:acm:([a-z0-9-]+):[0-9]{12}:certificate/[A-Za-z0-9-]+$`)
	// basePathSegmentRe is one segment of a base path: the characters API
	// Gateway allows ($-_.+!*'() besides letters and digits).
	basePathSegmentRe = regexp.MustCompile(`^[A-Za-z0-9$_.+!*'()-]+$`)
	// hostedZoneIDRe is a Route 53 hosted zone id (Z...), without the
	// "/hostedzone/" prefix some APIs print.
	hostedZoneIDRe = regexp.MustCompile(`^Z[A-Z0-9]{1,31}$`)
)

// MaxDomainNameLength is the longest DNS name (without the final dot).
const MaxDomainNameLength = 253

// DomainNameProblem returns why name is not a custom domain name API Gateway
// accepts for one host, or "" when it is: at least two labels, lower case,
// no wildcard, no trailing dot, at most 253 characters.
func DomainNameProblem(name string) string {
	switch {
	case strings.HasPrefix(name, "*."):
		return "is a wildcard name; give the one host name clients call"
	case strings.HasSuffix(name, "."):
		return "ends with \".\"; write it without the final dot"
	case strings.ContainsAny(name, "/:"):
		return "is not a host name; give the name only, without scheme, port or path"
	case strings.ToLower(name) != name:
		return "has upper-case letters; API Gateway takes custom domain names in lower case"
	case len(name) > MaxDomainNameLength:
		return "is longer than 253 characters"
	}
	labels := strings.Split(name, ".")
	if len(labels) < 2 {
		return "is not a fully qualified name; give one like \"api.example.com\""
	}
	for _, l := range labels {
		if !domainLabelRe.MatchString(l) {
			return "has the label \"" + l + "\"; labels are 1 to 63 lower-case letters, digits or '-', not starting or ending with '-'"
		}
	}
	return ""
}

// CertificateRegion returns the region of an ACM certificate ARN and
// whether arn is one.
func CertificateRegion(arn string) (string, bool) {
	m := certificateArnRe.FindStringSubmatch(arn)
	if m == nil {
		return "", false
	}
	return m[1], true
}

// BasePathProblem returns why path is not a base path API Gateway accepts,
// or "" when it is. "" (the root) is valid; segments are separated by '/'
// (more than one makes a multi-level mapping) and hold letters, digits and
// $-_.+!*'().
func BasePathProblem(path string) string {
	if path == "" {
		return ""
	}
	if strings.HasPrefix(path, "/") || strings.HasSuffix(path, "/") {
		return "starts or ends with \"/\"; write it without (\"v1\", \"orders/v1\"), or \"\" for the root"
	}
	for _, seg := range strings.Split(path, "/") {
		if seg == "" {
			return "has an empty segment (\"//\")"
		}
		if !basePathSegmentRe.MatchString(seg) {
			return "has the segment \"" + seg + "\"; a base path holds letters, digits and $-_.+!*'() separated by \"/\""
		}
	}
	return ""
}

// MultiLevelBasePath reports whether path has more than one segment, which
// API Gateway maps with an API mapping (AWS::ApiGatewayV2::ApiMapping)
// rather than a base path mapping.
func MultiLevelBasePath(path string) bool { return strings.Contains(path, "/") }

// ValidHostedZoneID reports whether s is a Route 53 hosted zone id.
func ValidHostedZoneID(s string) bool { return hostedZoneIDRe.MatchString(s) }

// DomainInZone reports whether name is zone or a name under it.
func DomainInZone(name, zone string) bool {
	zone = strings.TrimSuffix(strings.ToLower(zone), ".")
	name = strings.ToLower(name)
	return name == zone || strings.HasSuffix(name, "."+zone)
}

// MinTLSVersion returns the lowest TLS version a custom domain's
// SecurityPolicy accepts, as 10 (TLS 1.0), 12 or 13, and whether the
// policy is one this package knows. TLS_1_0 accepts TLS 1.0 to 1.3,
// TLS_1_2 rejects TLS 1.0 (the developer guide's
// apigateway-custom-domain-tls-version); the enhanced policies are named
// SecurityPolicy_TLS13_1_3_... (TLS 1.3 only) and SecurityPolicy_TLS13_1_2_...
// or SecurityPolicy_TLS12_... (TLS 1.2 and up). No policy ("") and an
// unknown one are taken as 10: the review must not assume more than TLS 1.0.
func MinTLSVersion(policy string) (int, bool) {
	switch {
	case policy == "TLS_1_0":
		return 10, true
	case policy == "TLS_1_2":
		return 12, true
	case strings.HasPrefix(policy, "SecurityPolicy_TLS13_1_3"):
		return 13, true
	case strings.HasPrefix(policy, "SecurityPolicy_TLS13_1_2"), strings.HasPrefix(policy, "SecurityPolicy_TLS12"):
		return 12, true
	}
	return 10, false
}
