package apimodel

import (
	"maps"
	"slices"
	"strings"
)

// Custom domains. A mapping serves a stage of a REST API on a custom
// domain name, under a base path: AWS::ApiGateway::BasePathMapping (the
// domain by name), AWS::ApiGateway::BasePathMappingV2 (a private domain,
// by ARN) or AWS::ApiGatewayV2::ApiMapping (a multi-level base path). The
// domain is AWS::ApiGateway::DomainName, DomainNameV2 (private) or
// AWS::ApiGatewayV2::DomainName, with its endpoint type, TLS security
// policy and mutual TLS truststore, or a domain made elsewhere, known by
// name only.

// DomainMapping is one mapping of the API's stage on a custom domain.
type DomainMapping struct {
	// LogicalID is the mapping's, Type its resource type.
	LogicalID, Type string
	// Domain is the domain name; BasePath the path under it ("" the root).
	Domain, BasePath string
	// Stage is the stage served; "" when the mapping names none: callers
	// then name any stage after the base path.
	Stage string
	// InTemplate is true when the domain is a resource of the template;
	// the fields below are read from it (otherwise they are unknown).
	InTemplate bool
	// DomainLogicalID is the domain resource's logical id.
	DomainLogicalID string
	// Endpoint is the domain's endpoint type: REGIONAL, EDGE or PRIVATE.
	Endpoint string
	// SecurityPolicy is the domain's TLS policy, "" when not set.
	SecurityPolicy string
	// TruststoreURI and TruststoreVersion are its mutual TLS truststore,
	// "" without mutual TLS.
	TruststoreURI, TruststoreVersion string
}

// Truststore is the mutual TLS truststore as a reviewer reads it: its URI,
// and its version when one is pinned; "" without mutual TLS.
func (d DomainMapping) Truststore() string {
	if d.TruststoreVersion == "" {
		return d.TruststoreURI
	}
	return d.TruststoreURI + " (version " + d.TruststoreVersion + ")"
}

// Key names a mapping by what clients call: domain and base path.
func (d DomainMapping) Key() string { return d.Domain + "/" + d.BasePath }

// URL is the mapping's base URL.
func (d DomainMapping) URL() string { return "https://" + d.Key() }

// isMapping reports whether a resource type maps an API on a domain, and
// the property that names the API.
func isMapping(typ string) (apiProp string, ok bool) {
	switch typ {
	case "AWS::ApiGateway::BasePathMapping", "AWS::ApiGateway::BasePathMappingV2", "AWS::ApiGatewayV2::ApiMapping":
		return apiProperty[typ], true
	}
	return "", false
}

func isDomain(typ string) bool {
	return typ == "AWS::ApiGateway::DomainName" || typ == "AWS::ApiGateway::DomainNameV2" || typ == "AWS::ApiGatewayV2::DomainName"
}

// domains reads the mappings of the API id, sorted by Key.
func (r *reader) domains(a *API) {
	for _, id := range slices.Sorted(maps.Keys(r.t.Resources)) {
		res := r.t.Resources[id]
		apiProp, ok := isMapping(res.Type)
		if !ok || !r.refersTo(res.Properties[apiProp], a.LogicalID) {
			continue
		}
		p := res.Properties
		d := DomainMapping{LogicalID: id, Type: res.Type}
		owner := res.Type + " " + id
		if res.Type == "AWS::ApiGatewayV2::ApiMapping" {
			d.BasePath = r.strProp(owner, p, "ApiMappingKey", false)
		} else {
			d.BasePath = r.strProp(owner, p, "BasePath", false)
		}
		if d.BasePath == "(none)" {
			d.BasePath = ""
		}
		d.Stage = r.stageName(p["Stage"])
		if d.Stage == "(none)" {
			d.Stage = ""
		}
		domainProp := "DomainName"
		if res.Type == "AWS::ApiGateway::BasePathMappingV2" {
			domainProp = "DomainNameArn"
		}
		if did := r.domainRef(p[domainProp]); did != "" {
			r.readDomain(&d, did)
		} else {
			d.Domain = r.strProp(owner, p, domainProp, false)
			if domainProp == "DomainNameArn" {
				r.unsupported("%s: its domain %s is not a resource of the template; read by ARN", owner, d.Domain)
			}
		}
		a.Domains = append(a.Domains, d)
	}
	slices.SortStableFunc(a.Domains, func(x, y DomainMapping) int { return strings.Compare(x.Key(), y.Key()) })
}

// domainRef is the logical id of the domain resource v refers to (Ref, or
// Fn::GetAtt of its DomainNameArn or DomainName), "" when it is none.
func (r *reader) domainRef(v any) string {
	m := asMap(v)
	id, _ := m["Ref"].(string)
	if ga := asList(m["Fn::GetAtt"]); len(ga) == 2 {
		id, _ = ga[0].(string)
	}
	if res, ok := r.t.Resources[id]; ok && isDomain(res.Type) {
		return id
	}
	return ""
}

func (r *reader) readDomain(d *DomainMapping, id string) {
	res := r.t.Resources[id]
	p := res.Properties
	owner := res.Type + " " + id
	d.InTemplate, d.DomainLogicalID = true, id
	d.Domain = r.strProp(owner, p, "DomainName", false)
	d.SecurityPolicy = r.strProp(owner, p, "SecurityPolicy", false)
	if res.Type == "AWS::ApiGatewayV2::DomainName" {
		conf := asList(p["DomainNameConfigurations"])
		if len(conf) > 1 {
			r.unsupported("%s: %d DomainNameConfigurations; the first is read", owner, len(conf))
		}
		if len(conf) > 0 {
			c := asMap(conf[0])
			d.Endpoint = r.strProp(owner, c, "EndpointType", false)
			d.SecurityPolicy = r.strProp(owner, c, "SecurityPolicy", false)
		}
	} else {
		for _, t := range asList(asMap(p["EndpointConfiguration"])["Types"]) {
			d.Endpoint = r.str(t)
		}
	}
	if d.Endpoint == "" {
		d.Endpoint = "EDGE" // API Gateway's default for a custom domain
		if res.Type == "AWS::ApiGateway::DomainNameV2" {
			d.Endpoint = "PRIVATE"
		}
	}
	d.Endpoint = strings.ToUpper(d.Endpoint)
	if res.Type == "AWS::ApiGateway::DomainNameV2" && p["Policy"] != nil {
		// Who may call through a private custom domain: its own resource
		// policy, which is not evaluated here. Noted with a digest, so that
		// a review sees it change.
		r.unsupported("%s: its resource policy is not read (digest %s)", owner, digest(p["Policy"]))
	}
	if mt := r.objProp(owner, p, "MutualTlsAuthentication"); mt != nil {
		d.TruststoreURI = r.strProp(owner, mt, "TruststoreUri", false)
		d.TruststoreVersion = r.strProp(owner, mt, "TruststoreVersion", false)
	}
}

// stageName resolves a Stage property: a Ref to a Stage resource is its
// StageName.
func (r *reader) stageName(v any) string {
	if ref, ok := asMap(v)["Ref"].(string); ok {
		if res, ok := r.t.Resources[ref]; ok && res.Type == "AWS::ApiGateway::Stage" {
			return r.str(res.Properties["StageName"])
		}
	}
	return r.str(v)
}
