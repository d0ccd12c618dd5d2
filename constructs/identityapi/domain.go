package identityapi

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscertificatemanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53targets"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/iamgate/iamgate/internal/apigw"
)

// DomainProps is the custom domain of an IdentityApi (IdentityApiProps.Domain).
//
// The domain is REGIONAL: API Gateway serves it in the API's region with the
// ACM certificate given, which must be in that region and cover Name. The
// API keeps its execute-api URL as well; IAM authorization applies on both,
// and the execute-api ARNs of grants and resource policies name the API, not
// the domain.
type DomainProps struct {
	// Name is the host name clients call, e.g. "api.example.com": lower
	// case, fully qualified, no wildcard, no final dot. A token is not
	// checked at synth. A name is one custom domain per account and
	// region: a second IdentityApi of the stack with the same Name fails
	// the synth; map it on the first one's DomainName() instead
	// (awsapigateway.NewBasePathMapping, another BasePath).
	//
	// Required.
	Name *string

	// Certificate is the ACM certificate for Name, in the API's region.
	// Give Certificate or CertificateArn, not both.
	//
	// Default: none; CertificateArn is then required.
	Certificate awscertificatemanager.ICertificate

	// CertificateArn is the ARN of the ACM certificate for Name
	// (arn:aws:acm:REGION:ACCOUNT:certificate/ID). Its region must be the
	// API's: when both are known at synth (the stack has an explicit env
	// and the ARN is a literal), another region fails the synth; when the
	// stack is environment-agnostic, a template rule (Rules section,
	// Fn::Equals of AWS::Region and the ARN's region) refuses the deploy
	// before anything is created; a token ARN is checked by API Gateway at
	// deploy. The same checks apply to a literal ARN of Certificate.
	//
	// Default: none; Certificate is then required.
	CertificateArn *string

	// BasePath is the path under Name that maps to the stage: "v1" serves
	// the API at https://NAME/v1/..., "" at the root. Segments hold letters,
	// digits and $-_.+!*'(); with more than one ("orders/v1") the mapping
	// is an AWS::ApiGatewayV2::ApiMapping (multi-level base path) instead of
	// an AWS::ApiGateway::BasePathMapping. A token is refused: which of the
	// two is made is decided at synth.
	//
	// Default: "" (the root of the domain).
	BasePath *string

	// HostedZone is the Route 53 public hosted zone that holds Name; the
	// construct then creates an A record aliasing Name to the domain's
	// regional host name. The zone's name must be Name or a parent of it.
	//
	// Default: none (create the DNS record yourself: an alias or CNAME to
	// DomainName().DomainNameAliasDomainName()).
	HostedZone awsroute53.IHostedZone
}

// domainPlan is the validated custom domain.
type domainPlan struct {
	name, basePath string
	// certificateArn is CertificateArn, or "" when Certificate is given.
	certificateArn string
	certificate    awscertificatemanager.ICertificate
	zone           awsroute53.IHostedZone
	// checkRegion is the certificate's region when the ARN is a literal
	// and the stack's region is unknown at synth: a template rule then
	// compares it with AWS::Region before the deploy creates anything.
	checkRegion string
}

// url is the domain's URL of the stage, ending with "/".
func (d *domainPlan) url() string {
	u := "https://" + d.name + "/"
	if d.basePath != "" {
		u += d.basePath + "/"
	}
	return u
}

// planDomain validates the custom domain against the endpoint type and the
// stack's region ("" when unknown at synth); nil when there is none or it is
// invalid.
func planDomain(props *DomainProps, endpointType, region string, probs *problems) *domainPlan {
	if props == nil {
		return nil
	}
	nerr := len(probs.errs)
	d := &domainPlan{name: str(props.Name, ""), basePath: str(props.BasePath, ""),
		certificate: props.Certificate, certificateArn: str(props.CertificateArn, ""), zone: props.HostedZone}
	if endpointType == apigw.EndpointPrivate {
		probs.errorf("Domain: a PRIVATE API cannot have a public custom domain (AWS::ApiGateway::DomainName): it is reachable only through its VPC endpoints; remove Domain or use EndpointType REGIONAL (a private custom domain, AWS::ApiGateway::DomainNameV2 with an access association, is not built by IdentityApi)")
		return nil
	}
	switch {
	case d.name == "":
		probs.errorf("Domain.Name: required; give the host name clients call, e.g. \"api.example.com\"")
	case !isToken(d.name):
		if why := apigw.DomainNameProblem(d.name); why != "" {
			probs.errorf("Domain.Name: %q %s", d.name, why)
		}
	}

	arnField, arn := "Domain.CertificateArn", d.certificateArn
	switch {
	case props.Certificate != nil && props.CertificateArn != nil:
		probs.errorf("Domain: Certificate and CertificateArn are both given; give one")
	case props.Certificate == nil && props.CertificateArn == nil:
		probs.errorf("Domain.CertificateArn: required (or Domain.Certificate); give the ARN of an ACM certificate for the domain, in the API's region")
	case props.Certificate != nil:
		arnField, arn = "Domain.Certificate", ""
		if ref := props.Certificate.CertificateRef(); ref != nil && ref.CertificateArn != nil {
			arn = *ref.CertificateArn
		}
	}
	if arn != "" && !isToken(arn) {
		certRegion, ok := apigw.CertificateRegion(arn)
		switch {
		case !ok:
			probs.errorf("%s: %q is not an ACM certificate ARN (arn:aws:acm:REGION:ACCOUNT:certificate/ID); a REGIONAL custom domain takes a certificate of ACM in the API's region", arnField, arn)
		case region == "" || isToken(region):
			d.checkRegion = certRegion
		case certRegion != region:
			hint := ""
			if certRegion == "us-east-1" {
				hint = " (us-east-1 certificates are for edge-optimized domains, which IdentityApi does not build)"
			}
			probs.errorf("%s: the certificate is in %s but the stack deploys to %s; a REGIONAL custom domain needs an ACM certificate in the API's own region%s", arnField, certRegion, region, hint)
		}
	}
	if isToken(d.basePath) {
		// The CDK would fail the synth on it (ID components may not
		// include unresolved tokens), naming no field.
		probs.errorf("Domain.BasePath: %q is a token; the base path decides at synth which mapping is made (one segment: AWS::ApiGateway::BasePathMapping, several: AWS::ApiGatewayV2::ApiMapping) and is part of its construct id: give a literal base path, or \"\" for the root", d.basePath)
	} else if why := apigw.BasePathProblem(d.basePath); why != "" {
		probs.errorf("Domain.BasePath: %q %s", d.basePath, why)
	}
	if z := props.HostedZone; z != nil && d.name != "" && !isToken(d.name) {
		if zn := zoneName(z); zn != "" && !isToken(zn) && !apigw.DomainInZone(d.name, zn) {
			probs.errorf("Domain.HostedZone: %q is not in the hosted zone %q; give the zone that holds the name, or no HostedZone and create the DNS record yourself", d.name, zn)
		}
	}
	if len(probs.errs) > nerr {
		return nil
	}
	if endpointType == apigw.EndpointEdge {
		probs.warnf("Domain: the API is EDGE but its custom domain %q is REGIONAL (REST APIs allow the mapping): clients reach the API's region directly, not through CloudFront, and the certificate must be in the API's region, not us-east-1; for an edge-optimized domain, build an awsapigateway.DomainName with EndpointType EDGE yourself", d.name)
	}
	return d
}

// zoneName is the hosted zone's name, or "" when reading it fails (a zone
// imported by id alone has none).
func zoneName(z awsroute53.IHostedZone) (name string) {
	defer func() {
		if recover() != nil {
			name = ""
		}
	}()
	if n := z.ZoneName(); n != nil {
		return *n
	}
	return ""
}

// addDomain builds the planned custom domain: the DomainName with its
// mapping to the stage (aws-cdk-lib's RestApi.AddDomainName), and the alias
// record when a hosted zone is given.
func (c *IdentityApi) addDomain(d *domainPlan) {
	cert := d.certificate
	if cert == nil {
		cert = awscertificatemanager.Certificate_FromCertificateArn(c.Construct, jsii.String("DomainCertificate"), jsii.String(d.certificateArn))
	}
	options := &awsapigateway.DomainNameOptions{
		DomainName:     jsii.String(d.name),
		Certificate:    cert,
		EndpointType:   awsapigateway.EndpointType_REGIONAL,
		SecurityPolicy: awsapigateway.SecurityPolicy_TLS_1_2,
	}
	if d.basePath != "" {
		options.BasePath = jsii.String(d.basePath)
	}
	c.domain = c.api.AddDomainName(jsii.String("Domain"), options)
	if !isToken(d.name) {
		c.Node().AddValidation(&domainConflict{c: c})
	}
	if d.checkRegion != "" {
		// An environment-agnostic stack learns its region at deploy: the
		// rule refuses the stack, before anything is created, where API
		// Gateway would fail on the DomainName mid-deploy.
		regionRule(c.Construct, "DomainCertificateRegion", d.checkRegion, fmt.Sprintf("iamgate: the custom domain %s has an ACM certificate of %s; a REGIONAL custom domain needs one of the region the stack deploys to: deploy to %s or give a certificate of this region",
			d.name, d.checkRegion, d.checkRegion))
	}
	if d.zone != nil {
		c.domainRecord = awsroute53.NewARecord(c.Construct, jsii.String("DomainAlias"), &awsroute53.ARecordProps{
			Zone:       d.zone,
			RecordName: jsii.String(d.name),
			Target:     awsroute53.RecordTarget_FromAlias(awsroute53targets.NewApiGatewayDomain(c.domain)),
			Comment:    jsii.String(fmt.Sprintf("iamgate: custom domain of %s", *c.Node().Path())),
		})
	}
}

// domainConflict refuses a custom domain whose name an earlier
// AWS::ApiGateway::DomainName of the stack has already (another
// IdentityApi's Domain, or one built directly): a domain name is one per
// account and region, and the second fails the deploy. The earlier one
// is left alone, so that the message is said once, by the later API.
type domainConflict struct{ c *IdentityApi }

func (v *domainConflict) Validate() *[]*string {
	mine := v.c.domain.Node().DefaultChild()
	name := v.c.plan.domain.name
	minePath := *mine.Node().Path()
	for _, node := range *awscdk.Stack_Of(v.c.Construct).Node().FindAll(constructs.ConstructOrder_PREORDER) {
		// The type first: it is known on the Go side, where a path is a
		// call into jsii, for each of the stack's constructs otherwise.
		other, ok := node.(awsapigateway.CfnDomainName)
		if !ok {
			continue
		}
		if *node.Node().Path() == minePath {
			break
		}
		if other.DomainName() == nil || *other.DomainName() != name {
			continue
		}
		return jsii.Strings(fmt.Sprintf("Domain.Name: %q is already the custom domain of %s in this stack; a domain name is one per account and region, and a second AWS::ApiGateway::DomainName of it fails the deploy: leave Domain out here and map this API on that domain under another base path (awsapigateway.NewBasePathMapping with its DomainName, this RestApi() and Stage())",
			name, *node.Node().Path()))
	}
	return &[]*string{}
}

// DomainName returns the custom domain (escape hatch: add mappings, read
// DomainNameAliasDomainName for a DNS record made elsewhere), or nil when
// IdentityApiProps.Domain is unset.
func (c *IdentityApi) DomainName() awsapigateway.DomainName { return c.domain }

// DomainAliasRecord returns the Route 53 alias record of the custom domain,
// or nil when there is no domain or no DomainProps.HostedZone.
func (c *IdentityApi) DomainAliasRecord() awsroute53.ARecord { return c.domainRecord }

// DomainUrl returns https://NAME/BASEPATH/ (https://NAME/ for the root) of
// the custom domain, or nil when there is none. Url stays the execute-api
// URL of the stage.
func (c *IdentityApi) DomainUrl() *string {
	if c.plan.domain == nil {
		return nil
	}
	return jsii.String(c.plan.domain.url())
}

// stackRegion is the region of the stack of scope, or "" when the stack is
// environment-agnostic.
func stackRegion(c *IdentityApi) string {
	r := awscdk.Stack_Of(c.Construct).Region()
	if r == nil || *awscdk.Token_IsUnresolved(r) {
		return ""
	}
	return *r
}
