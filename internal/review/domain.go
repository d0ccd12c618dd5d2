package review

import (
	"fmt"
	"strings"

	"github.com/iamgate/iamgate/internal/apigw"
	"github.com/iamgate/iamgate/internal/apimodel"
)

// The custom domain rules. A mapping serves a stage on a domain with the
// domain's own TLS security policy and mutual TLS: a new public mapping is
// a new way in that the API's other endpoints' controls do not cover, a
// mapping moved to another stage serves that stage's ARNs (which policies
// written for the first do not name) and settings; a domain's TLS policy
// lowered, its truststore removed or replaced, and the default execute-api
// endpoint enabled again (which bypasses every domain's controls) weaken
// who may connect.

// ScopeDomain is the scope of a custom domain finding.
const ScopeDomain = "domain"

func (d *differ) domain(rule, change, where, old, new, format string, args ...any) {
	d.add(Finding{Rule: rule, Scope: ScopeDomain, Path: where, Change: change, Old: old, New: new, Message: fmt.Sprintf(format, args...)})
}

func stageDesc(s string) string {
	if s == "" {
		return "every stage, named after the base path"
	}
	return "stage " + s
}

func domainSummary(m apimodel.DomainMapping) string {
	if !m.InTemplate {
		return "a domain that is not a resource of the template: its endpoint, TLS policy and mutual TLS are not read"
	}
	mtls := "no mutual TLS"
	if m.TruststoreURI != "" {
		mtls = "mutual TLS " + m.Truststore()
	}
	return fmt.Sprintf("%s, %s, %s", m.Endpoint, orNotSet(m.SecurityPolicy), mtls)
}

func orNotSet(s string) string {
	if s == "" {
		return "(not set)"
	}
	return s
}

// domains compares the custom domain mappings of two versions of an API,
// and the default endpoint.
func (d *differ) domains(o, a *apimodel.API) {
	if o.DisableExecuteAPIEndpoint && !a.DisableExecuteAPIEndpoint {
		d.apiLevel("execute-api-endpoint-enabled", "changed", "disabled", "enabled", "the default execute-api endpoint is enabled again: clients can call the API without its custom domains' mutual TLS and TLS policy")
	} else if !o.DisableExecuteAPIEndpoint && a.DisableExecuteAPIEndpoint {
		d.apiLevel("execute-api-endpoint", "changed", "enabled", "disabled", "the default execute-api endpoint is disabled: clients reach the API through its custom domains only")
	}
	oldBy := map[string]apimodel.DomainMapping{}
	for _, m := range o.Domains {
		oldBy[m.Key()] = m
	}
	newBy := map[string]apimodel.DomainMapping{}
	for _, m := range a.Domains {
		newBy[m.Key()] = m
	}
	// The domains' settings, once per domain name.
	oldDomain, newDomain := map[string]apimodel.DomainMapping{}, map[string]apimodel.DomainMapping{}
	for _, m := range o.Domains {
		oldDomain[m.Domain] = m
	}
	for _, m := range a.Domains {
		newDomain[m.Domain] = m
	}
	for _, m := range a.Domains {
		om, ok := oldBy[m.Key()]
		switch {
		case !ok && m.Endpoint == "PRIVATE":
			d.domain("domain-mapping-added-private", "added", m.Key(), "", m.Stage, "%s is now also served at %s (%s), a private custom domain reached through VPC endpoints", stageDesc(m.Stage), m.URL(), domainSummary(m))
		case !ok:
			d.domain("domain-mapping-added", "added", m.Key(), "", m.Stage, "%s is now also served at %s (%s): a new public way in, with this domain's TLS policy and mutual TLS, not those of the API's other endpoints", stageDesc(m.Stage), m.URL(), domainSummary(m))
		case om.Stage != m.Stage:
			d.domain("domain-mapping-stage", "changed", m.Key(), om.Stage, m.Stage, "%s now serves %s (was %s): a resource policy or IAM grant written for one stage's ARNs (.../STAGE/...) does not cover the other, and its settings are the other stage's", m.URL(), stageDesc(m.Stage), stageDesc(om.Stage))
		}
	}
	for _, om := range o.Domains {
		if _, ok := newBy[om.Key()]; !ok {
			d.domain("domain-mapping-removed", "removed", om.Key(), om.Stage, "", "%s no longer serves %s", om.URL(), stageDesc(om.Stage))
		}
	}
	for _, name := range sortedKeys(newDomain) {
		m := newDomain[name]
		om, ok := oldDomain[name]
		if ok && om.InTemplate && !m.InTemplate {
			// Its TLS policy and mutual TLS are now made elsewhere, where
			// no review of this template sees them.
			d.domain("domain-left-template", "changed", name, domainSummary(om), "", "the domain is no longer a resource of the template (it was %s): its TLS policy and mutual TLS are now set elsewhere and not read", domainSummary(om))
		}
		if !ok || !m.InTemplate || !om.InTemplate {
			continue // a new domain is described with its mapping
		}
		ov, _ := apigw.MinTLSVersion(om.SecurityPolicy)
		nv, _ := apigw.MinTLSVersion(m.SecurityPolicy)
		switch {
		case om.SecurityPolicy == m.SecurityPolicy:
		case nv < ov:
			d.domain("domain-tls-lowered", "changed", name, om.SecurityPolicy, m.SecurityPolicy, "security policy %s -> %s: clients may connect with TLS 1.%d", orNotSet(om.SecurityPolicy), orNotSet(m.SecurityPolicy), nv%10)
		default:
			d.domain("domain-tls", "changed", name, om.SecurityPolicy, m.SecurityPolicy, "security policy %s -> %s", orNotSet(om.SecurityPolicy), orNotSet(m.SecurityPolicy))
		}
		switch {
		case om.TruststoreURI == m.TruststoreURI && om.TruststoreVersion == m.TruststoreVersion:
		case om.TruststoreURI != "" && m.TruststoreURI == "":
			d.domain("domain-mtls-removed", "removed", name, om.Truststore(), "", "mutual TLS removed (the truststore was %s): clients no longer present a certificate", om.Truststore())
		case om.TruststoreURI != "" && om.TruststoreURI != m.TruststoreURI:
			d.domain("domain-mtls-removed", "changed", name, om.Truststore(), m.Truststore(), "mutual TLS truststore %s -> %s: the domain trusts whatever certificate authorities the new object holds", om.Truststore(), m.Truststore())
		default:
			d.domain("domain-mtls", mappingChange(om.TruststoreURI != ""), name, om.Truststore(), m.Truststore(), "mutual TLS truststore %s -> %s", orNone(om.Truststore()), m.Truststore())
		}
		if om.Endpoint != m.Endpoint {
			d.domain("domain-endpoint", "changed", name, om.Endpoint, m.Endpoint, "endpoint %s -> %s", om.Endpoint, m.Endpoint)
		}
	}
}

// stageSettings compares the logging, tracing and throttling of the stages
// in both versions: a change (it weakens what is recorded or how much a
// caller may send, not who may call), each named.
func (d *differ) stageSettings(o, a *apimodel.API) {
	for _, name := range sortedKeys(a.StageSettings) {
		os, ok := o.StageSettings[name]
		if !ok {
			continue
		}
		ns := a.StageSettings[name]
		if os.AccessLogDestination != ns.AccessLogDestination {
			msg := fmt.Sprintf("stage %s: access log destination %s -> %s", name, orNone(os.AccessLogDestination), orNone(ns.AccessLogDestination))
			if ns.AccessLogDestination == "" {
				msg = fmt.Sprintf("stage %s: access logging removed (was %s): callers' requests are no longer recorded", name, os.AccessLogDestination)
			}
			d.apiLevel("stage-settings", "changed", os.AccessLogDestination, ns.AccessLogDestination, "%s", msg)
		}
		if ov, nv := strings.Join(os.MethodSettings, "; "), strings.Join(ns.MethodSettings, "; "); ov != nv {
			d.apiLevel("stage-settings", "changed", ov, nv, "stage %s: method settings %s -> %s", name, orNone(ov), orNone(nv))
		}
		if os.TracingEnabled != ns.TracingEnabled {
			d.apiLevel("stage-settings", "changed", fmt.Sprint(os.TracingEnabled), fmt.Sprint(ns.TracingEnabled), "stage %s: X-Ray tracing %v -> %v", name, os.TracingEnabled, ns.TracingEnabled)
		}
	}
}
