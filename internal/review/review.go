// Package review compares two synthesized REST API templates, as read by
// internal/apimodel, for a security review: per route what was added,
// removed or changed, with the changes that weaken who may call or what the
// backend can trust marked as security-relevant.
//
// The security-relevant rules: authorization weakened (from AWS_IAM, or to
// NONE) or a new route without AWS_IAM; the authorizer of a
// COGNITO_USER_POOLS or CUSTOM route changed, or its OAuth scopes widened
// (auth.go); a request template of a route with a verified caller changed
// to anything but iamgate's envelope; an identity header mapping removed,
// or fed from a source that is not the verified caller; the identity
// envelope removed, reading fewer identity fields, or bypassed by a looser
// passthrough behaviour; an integration turned HTTP_PROXY or AWS_PROXY; the
// backend's scheme and host, or its connection (VPC link), changed; a
// private API made regional or edge-optimized; the
// resource policy loosened (a Deny removed or narrowed, an Allow added or
// widened); an Allow on execute-api added or widened, or a Deny removed, in
// an IAM policy of the template; a stage newly served on a public custom
// domain, a domain mapping moved to another stage, a domain's TLS policy
// lowered or its mutual TLS removed, the default endpoint enabled again
// (domain.go). Wildcards are compared as patterns: a pattern that matches
// more is a widening.
package review

import (
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/iamgate/iamgate/internal/apigw"
	"github.com/iamgate/iamgate/internal/apimodel"
)

// Level says how much a finding matters to a reviewer.
type Level int

// The levels, from the least to the most important.
const (
	// Cosmetic: descriptions, logical ids (a deployment's hash changes
	// with any method); nothing a caller or the backend sees.
	Cosmetic Level = iota
	// Change: a change of behaviour that does not weaken security.
	Change
	// Security: a change that weakens who may call or what the backend
	// can trust.
	Security
)

func (l Level) String() string {
	switch l {
	case Cosmetic:
		return "cosmetic"
	case Change:
		return "change"
	case Security:
		return "security"
	}
	return fmt.Sprintf("Level(%d)", int(l))
}

// MarshalText writes the level's name.
func (l Level) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// The scopes of a finding.
const (
	ScopeAPI            = "api"
	ScopeRoute          = "route"
	ScopeResourcePolicy = "resource-policy"
	ScopeIdentityPolicy = "identity-policy"
)

// A Finding is one difference between the two templates.
type Finding struct {
	Level Level `json:"level"`
	// Rule is a stable name for the kind of difference, e.g.
	// authorization-weakened; RuleLevels lists them.
	Rule string `json:"rule"`
	// API is the logical id of the REST API (the new one's when both);
	// "" for an IAM policy, which belongs to the template.
	API string `json:"api,omitempty"`
	// Scope is api, domain, route, resource-policy or identity-policy.
	Scope string `json:"scope"`
	// Method and Path name the route of a route finding; Path alone the
	// domain (and base path) of a domain finding.
	Method string `json:"method,omitempty"`
	Path   string `json:"path,omitempty"`
	// Policy names the IAM policy of an identity-policy finding: the
	// logical id of the resource that holds it, and its name.
	Policy string `json:"policy,omitempty"`
	// Change is added, removed or changed.
	Change string `json:"change"`
	// Old and New are the values compared, when there are values.
	Old string `json:"old,omitempty"`
	New string `json:"new,omitempty"`
	// Message says what changed, for a reviewer.
	Message string `json:"message"`
}

// String writes the finding as "WHERE: MESSAGE".
func (f Finding) String() string { return f.Where() + ": " + f.Message }

// Where names what the finding is about: "GET /orders", "resource policy",
// "IAM policy ReaderPolicy (ReaderPolicyDefault)" or "API ApiF70053CD".
func (f Finding) Where() string {
	switch f.Scope {
	case ScopeRoute:
		return f.Method + " " + f.Path
	case ScopeResourcePolicy:
		return "resource policy"
	case ScopeIdentityPolicy:
		return "IAM policy " + f.Policy
	case ScopeDomain:
		return "domain " + f.Path
	}
	return "API " + f.API
}

// Report is the result of Diff.
type Report struct {
	// Findings, the security-relevant first, then changes, then cosmetic
	// ones; within a level by API, scope and route.
	Findings []Finding
	// NotRead is what the reader could not model in the new template
	// (apimodel's Unsupported), which the review cannot see either.
	NotRead []string
}

// Count returns the number of findings at a level.
func (r *Report) Count(l Level) int {
	n := 0
	for _, f := range r.Findings {
		if f.Level == l {
			n++
		}
	}
	return n
}

// RuleLevels maps each rule to its level.
var ruleLevels = map[string]Level{
	"route-added-without-iam":       Security,
	"authorization-weakened":        Security,
	"authorizer-changed":            Security,
	"integration-credentials":       Security,
	"backend-tls-unverified":        Security,
	"backend-tls":                   Change,
	"unread-changed":                Change,
	"stage-variable-backend":        Security,
	"authorization-scopes-widened":  Security,
	"authorization-scopes":          Change,
	"identity-header-removed":       Security,
	"identity-header-source":        Security,
	"envelope-removed":              Security,
	"envelope-identity-dropped":     Security,
	"passthrough-loosened":          Security,
	"integration-proxy":             Security,
	"request-template-unreviewed":   Security,
	"stage-added":                   Security,
	"credential-forwarded":          Security,
	"backend-host":                  Security,
	"backend-connection":            Security,
	"resource-policy-deny-removed":  Security,
	"resource-policy-allow-widened": Security,
	"identity-policy-grant-widened": Security,
	"identity-policy-deny-removed":  Security,
	"endpoint-public":               Security,
	"not-read":                      Security,
	"domain-mapping-added":          Security,
	"domain-mapping-stage":          Security,
	"domain-tls-lowered":            Security,
	"domain-mtls-removed":           Security,
	"domain-left-template":          Security,
	"execute-api-endpoint-enabled":  Security,
	"domain-mapping-added-private":  Change,
	"domain-mapping-removed":        Change,
	"domain-tls":                    Change,
	"domain-mtls":                   Change,
	"domain-endpoint":               Change,
	"execute-api-endpoint":          Change,
	"stage-settings":                Change,
	"endpoint":                      Change,
	"api-added":                     Change,
	"api-removed":                   Change,
	"api-replaced":                  Change,
	"api-name":                      Change,
	"stage":                         Change,
	"route-added":                   Change,
	"route-added-preflight":         Change,
	"route-removed":                 Change,
	"authorization":                 Change,
	"integration-type":              Change,
	"backend-method":                Change,
	"backend-path":                  Change,
	"mapping":                       Change,
	"identity-header-added":         Change,
	"request-template":              Change,
	"passthrough":                   Change,
	"timeout":                       Change,
	"method-parameters":             Change,
	"validation":                    Change,
	"api-key":                       Change,
	"responses":                     Change,
	"gateway-response":              Change,
	"resource-policy-changed":       Change,
	"identity-policy-changed":       Change,
	"description":                   Cosmetic,
	"deployment":                    Cosmetic,
	"logical-id":                    Cosmetic,
}

// RuleLevels returns every rule with its level, for documentation and
// tests.
func RuleLevels() map[string]Level {
	out := make(map[string]Level, len(ruleLevels))
	for k, v := range ruleLevels {
		out[k] = v
	}
	return out
}

// differ collects the findings of one comparison.
type differ struct {
	out []Finding
	api string
	// identityDests are the integration.request.* destinations that some
	// method of either template maps from an identity source, by
	// identityKey: the headers the backend reads the caller from.
	identityDests map[string]string
}

func (d *differ) add(f Finding) {
	lvl, ok := ruleLevels[f.Rule]
	if !ok {
		panic("review: unknown rule " + f.Rule)
	}
	f.Level, f.API = lvl, d.api
	d.out = append(d.out, f)
}

func (d *differ) route(m *apimodel.Method, rule, change, old, new, format string, args ...any) {
	d.add(Finding{Rule: rule, Scope: ScopeRoute, Method: m.HTTPMethod, Path: m.Path, Change: change, Old: old, New: new, Message: fmt.Sprintf(format, args...)})
}

func (d *differ) apiLevel(rule, change, old, new, format string, args ...any) {
	d.add(Finding{Rule: rule, Scope: ScopeAPI, Change: change, Old: old, New: new, Message: fmt.Sprintf(format, args...)})
}

// Diff compares the REST APIs of two templates. APIs are matched by logical
// id; when one API of each side is left unmatched, the two are compared as
// one that was replaced. Either list may be empty (a template without a
// REST API).
func Diff(old, new []*apimodel.API) *Report {
	d := &differ{identityDests: map[string]string{}}
	for _, a := range append(append([]*apimodel.API{}, old...), new...) {
		for _, m := range a.Methods {
			if m.Integration == nil {
				continue
			}
			for dest, src := range m.Integration.RequestParameters {
				if isIdentitySource(src) {
					d.identityDests[identityKey(dest)] = src
				}
			}
		}
	}
	oldBy := map[string]*apimodel.API{}
	for _, a := range old {
		oldBy[a.LogicalID] = a
	}
	var addedAPIs []*apimodel.API
	matched := map[string]bool{}
	for _, a := range new {
		if o := oldBy[a.LogicalID]; o != nil {
			matched[a.LogicalID] = true
			d.api = a.LogicalID
			d.apis(o, a, true)
			continue
		}
		addedAPIs = append(addedAPIs, a)
	}
	var removedAPIs []*apimodel.API
	for _, a := range old {
		if !matched[a.LogicalID] {
			removedAPIs = append(removedAPIs, a)
		}
	}
	if len(addedAPIs) == 1 && len(removedAPIs) == 1 {
		o, a := removedAPIs[0], addedAPIs[0]
		d.api = a.LogicalID
		d.apiLevel("api-replaced", "changed", o.LogicalID, a.LogicalID, "REST API %s replaced by %s: a new API id and invoke URL", o.LogicalID, a.LogicalID)
		d.apis(o, a, true)
		addedAPIs, removedAPIs = nil, nil
	}
	for _, a := range addedAPIs {
		d.api = a.LogicalID
		d.apiLevel("api-added", "added", "", a.LogicalID, "REST API %s added", a.LogicalID)
		d.apis(&apimodel.API{LogicalID: a.LogicalID}, a, false)
	}
	for _, o := range removedAPIs {
		d.api = o.LogicalID
		d.apiLevel("api-removed", "removed", o.LogicalID, "", "REST API %s removed", o.LogicalID)
		// Its resource policy goes with it: compared with itself, nothing is lost.
		d.apis(o, &apimodel.API{LogicalID: o.LogicalID, Policy: o.Policy, PolicyUnread: o.PolicyUnread}, false)
	}
	// The IAM policies are the template's, the same for each of its APIs.
	d.api = ""
	d.identityPolicies(templatePolicies(old), templatePolicies(new))
	// What the reader cannot read in NEW, once each; what was not read in
	// OLD either is listed, what is new may hide any weakening.
	oldNotRead := map[string]bool{}
	for _, a := range old {
		for _, u := range a.Unsupported {
			oldNotRead[u] = true
		}
	}
	var notRead []string
	seenNote := map[string]bool{}
	for _, a := range new {
		for _, u := range a.Unsupported {
			if seenNote[u] {
				continue
			}
			seenNote[u] = true
			notRead = append(notRead, u)
			if !oldNotRead[u] {
				d.api = a.LogicalID
				d.apiLevel("not-read", "added", "", u, "new in what the reader cannot read: %s; review it in the template", u)
			}
		}
	}
	r := &Report{Findings: d.out, NotRead: notRead}
	scopeOrder := map[string]int{ScopeAPI: 0, ScopeDomain: 1, ScopeResourcePolicy: 2, ScopeIdentityPolicy: 3, ScopeRoute: 4}
	sort.SliceStable(r.Findings, func(i, j int) bool {
		a, b := r.Findings[i], r.Findings[j]
		if a.Level != b.Level {
			return a.Level > b.Level
		}
		if a.API != b.API {
			return a.API < b.API
		}
		if a.Scope != b.Scope {
			return scopeOrder[a.Scope] < scopeOrder[b.Scope]
		}
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Policy != b.Policy {
			return a.Policy < b.Policy
		}
		return a.Method < b.Method
	})
	return r
}

// apis compares two versions of one API; both is false when one of them is
// an empty stand-in for an API added or removed.
func (d *differ) apis(o, a *apimodel.API, both bool) {
	if both && o.Name != a.Name {
		d.apiLevel("api-name", "changed", o.Name, a.Name, "name %q -> %q", o.Name, a.Name)
	}
	switch {
	case !both:
	case len(o.Stages) == 1 && len(a.Stages) == 1:
		if o.StageName != a.StageName {
			d.apiLevel("stage", "changed", o.StageName, a.StageName, "stage %s -> %s: the invoke URL and the execute-api ARNs change", o.StageName, a.StageName)
		}
	default:
		for _, s := range a.Stages {
			if !contains(o.Stages, s) {
				d.apiLevel("stage-added", "added", "", s, "the API is also served on a new stage %s: a resource policy or IAM grant written for another stage's ARNs (.../STAGE/...) does not cover it", s)
			}
		}
		for _, s := range o.Stages {
			if !contains(a.Stages, s) {
				d.apiLevel("stage", "removed", s, "", "stage %s removed: its invoke URL and execute-api ARNs are gone", s)
			}
		}
	}
	if both {
		ot, nt := strings.Join(o.EndpointTypes, ","), strings.Join(a.EndpointTypes, ",")
		switch {
		case ot == nt:
		case contains(o.EndpointTypes, "PRIVATE") && !contains(a.EndpointTypes, "PRIVATE"):
			d.apiLevel("endpoint-public", "changed", ot, nt, "endpoint %s -> %s: the API is no longer private to VPC endpoints, it is reachable from the internet", ot, nt)
		default:
			d.apiLevel("endpoint", "changed", ot, nt, "endpoint %s -> %s", ot, nt)
		}
		if o.Description != a.Description {
			d.apiLevel("description", "changed", o.Description, a.Description, "description changed")
		}
		d.deployments(o.Deployments, a.Deployments)
		d.stageSettings(o, a)
		d.stageVariables(o, a)
		d.unreadAPI(o, a)
	}
	d.resourcePolicy(o, a)
	d.domains(o, a)
	d.gatewayResponses(o.GatewayResponses, a.GatewayResponses)

	oldBy := map[string]*apimodel.Method{}
	for _, m := range o.Methods {
		oldBy[m.HTTPMethod+" "+m.Path] = m
	}
	seen := map[string]bool{}
	for _, m := range a.Methods {
		key := m.HTTPMethod + " " + m.Path
		seen[key] = true
		if om := oldBy[key]; om != nil {
			d.method(om, m)
			continue
		}
		switch {
		case m.Authorization != "AWS_IAM" && m.HTTPMethod == "OPTIONS" && m.Integration != nil && m.Integration.Type == "MOCK":
			// A CORS preflight: the gateway answers it, no backend is
			// reached. Another method answered by a MOCK without IAM is
			// still route-added-without-iam: it may answer anything.
			d.route(m, "route-added-preflight", "added", "", m.Authorization, "new OPTIONS route with authorization %s answered by a MOCK integration (a CORS preflight): no backend is called", m.Authorization)
		case m.Authorization != "AWS_IAM":
			d.route(m, "route-added-without-iam", "added", "", m.Authorization, "new route with authorization %s: callers are not verified by IAM", m.Authorization)
		case m.Integration != nil && isProxy(m.Integration.Type):
			d.route(m, "integration-proxy", "added", "", m.Integration.Type, "new route with an %s integration (%s): client headers pass to the backend, X-Iamgate-* among them, and request templates are ignored",
				m.Integration.Type, integrationSummary(m.Integration))
		default:
			d.route(m, "route-added", "added", "", m.Authorization, "new route (%s, %s)", m.Authorization, integrationSummary(m.Integration))
		}
		d.newMappings(nil, m)
	}
	for _, om := range o.Methods {
		if !seen[om.HTTPMethod+" "+om.Path] {
			d.route(om, "route-removed", "removed", om.Authorization, "", "route removed")
		}
	}
}

func templatePolicies(apis []*apimodel.API) []apimodel.IdentityPolicy {
	if len(apis) == 0 {
		return nil
	}
	return apis[0].IdentityPolicies
}

func integrationSummary(in *apimodel.Integration) string {
	if in == nil {
		return "no integration"
	}
	s := in.Type
	if in.URI != "" {
		s += " " + strings.TrimSpace(in.HTTPMethod+" "+in.URI)
	}
	return s
}

func (d *differ) deployments(o, a []apimodel.Deployment) {
	ids := func(ds []apimodel.Deployment) (string, string) {
		var id, desc []string
		for _, x := range ds {
			id = append(id, x.LogicalID)
			desc = append(desc, x.Description)
		}
		return strings.Join(id, ","), strings.Join(desc, "\n")
	}
	oid, odesc := ids(o)
	aid, adesc := ids(a)
	if oid != aid {
		d.apiLevel("deployment", "changed", oid, aid, "deployment logical id %s -> %s (the CDK hashes the API's methods into it)", oid, aid)
	}
	if odesc != adesc {
		d.apiLevel("description", "changed", odesc, adesc, "deployment description changed")
	}
}

// method compares two versions of one route.
func (d *differ) method(o, m *apimodel.Method) {
	if o.LogicalID != m.LogicalID {
		d.route(m, "logical-id", "changed", o.LogicalID, m.LogicalID, "logical id %s -> %s", o.LogicalID, m.LogicalID)
	}
	switch {
	case o.Authorization == m.Authorization:
	case o.Authorization == "AWS_IAM" || m.Authorization == "NONE":
		d.route(m, "authorization-weakened", "changed", o.Authorization, m.Authorization, "authorization weakened: %s -> %s", o.Authorization, m.Authorization)
	default:
		d.route(m, "authorization", "changed", o.Authorization, m.Authorization, "authorization %s -> %s", o.Authorization, m.Authorization)
	}
	if s := paramsSummary(o.RequestParameters); s != paramsSummary(m.RequestParameters) {
		n := paramsSummary(m.RequestParameters)
		d.route(m, "method-parameters", "changed", s, n, "declared request parameters: %s", paramsDelta(o.RequestParameters, m.RequestParameters))
	}
	if o.APIKeyRequired != m.APIKeyRequired {
		d.route(m, "api-key", "changed", fmt.Sprint(o.APIKeyRequired), fmt.Sprint(m.APIKeyRequired), "API key required %v -> %v (a usage plan's key identifies a client; it is not authorization)", o.APIKeyRequired, m.APIKeyRequired)
	}
	d.authorizer(o, m)
	d.validation(o, m)
	d.unreadMethod(o, m)
	if methodResponses(o) != methodResponses(m) {
		d.route(m, "responses", "changed", "", "", "method responses changed: %s", methodResponsesDelta(o.MethodResponses, m.MethodResponses))
	}
	d.integration(o, m)
}

func paramsSummary(p map[string]bool) string {
	var out []string
	for k, req := range p {
		if req {
			k += " (required)"
		}
		out = append(out, k)
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

// paramsDelta writes what changed between two sets of declared
// parameters: "+added (required), -removed".
func paramsDelta(o, n map[string]bool) string {
	var out []string
	for _, k := range sortedKeys(boolKeys(o), boolKeys(n)) {
		ov, oldOK := o[k]
		nv, newOK := n[k]
		req := func(b bool) string {
			if b {
				return " (required)"
			}
			return ""
		}
		switch {
		case !oldOK:
			out = append(out, "+"+k+req(nv))
		case !newOK:
			out = append(out, "-"+k)
		case ov != nv:
			out = append(out, fmt.Sprintf("%s required %v -> %v", k, ov, nv))
		}
	}
	return strings.Join(out, ", ")
}

func boolKeys(m map[string]bool) map[string]string {
	out := make(map[string]string, len(m))
	for k := range m {
		out[k] = ""
	}
	return out
}

func methodResponses(m *apimodel.Method) string { return fmt.Sprint(m.MethodResponses) }

func isProxy(t string) bool { return t == "HTTP_PROXY" || t == "AWS_PROXY" }

// integration compares the integrations of two versions of one route.
func (d *differ) integration(om, m *apimodel.Method) {
	o, n := om.Integration, m.Integration
	if o == nil {
		o = &apimodel.Integration{}
	}
	if n == nil {
		n = &apimodel.Integration{}
	}
	switch {
	case o.Type == n.Type:
	case isProxy(n.Type) && !isProxy(o.Type):
		d.route(m, "integration-proxy", "changed", o.Type, n.Type, "integration turned %s: client headers pass to the backend and request templates are ignored", n.Type)
	default:
		d.route(m, "integration-type", "changed", o.Type, n.Type, "integration type %s -> %s", o.Type, n.Type)
	}
	if oc, nc := connection(o), connection(n); oc != nc {
		d.route(m, "backend-connection", "changed", oc, nc, "backend connection %s -> %s", oc, nc)
	}
	ob, op := backend(o.URI)
	nb, np := backend(n.URI)
	if ob != nb {
		d.route(m, "backend-host", "changed", ob, nb, "backend %s -> %s", orNone(ob), orNone(nb))
	} else if op != np {
		d.route(m, "backend-path", "changed", o.URI, n.URI, "backend path %s -> %s", orNone(op), orNone(np))
	}
	if o.HTTPMethod != n.HTTPMethod {
		d.route(m, "backend-method", "changed", o.HTTPMethod, n.HTTPMethod, "backend method %s -> %s", orNone(o.HTTPMethod), orNone(n.HTTPMethod))
	}
	if o.TimeoutMillis != n.TimeoutMillis {
		d.route(m, "timeout", "changed", fmt.Sprint(o.TimeoutMillis), fmt.Sprint(n.TimeoutMillis), "integration timeout %d -> %d ms", o.TimeoutMillis, n.TimeoutMillis)
	}
	if fmt.Sprint(o.Responses) != fmt.Sprint(n.Responses) {
		d.route(m, "responses", "changed", "", "", "integration responses changed (%d -> %d): %s", len(o.Responses), len(n.Responses), integrationResponsesDelta(o.Responses, n.Responses))
	}
	d.integrationTrust(o, n, m)
	d.envelope(o, m)
	d.newMappings(o, m)
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func connection(in *apimodel.Integration) string {
	s := orNone(in.ConnectionType)
	if in.ConnectionID != "" {
		s += " " + in.ConnectionID
	}
	if len(in.VpcLinkTargets) > 0 {
		s += " (load balancers " + strings.Join(in.VpcLinkTargets, ",") + ")"
	}
	if in.IntegrationTarget != "" {
		s += " to " + in.IntegrationTarget
	}
	return s
}

// backend splits an integration URI into what identifies the backend
// (scheme and host of an http(s) URI; an AWS service URI whole, up to its
// action or path) and the rest.
func backend(uri string) (host, path string) {
	if u, err := url.Parse(uri); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		rest := u.EscapedPath()
		if u.RawQuery != "" {
			rest += "?" + u.RawQuery
		}
		return u.Scheme + "://" + u.Host, rest
	}
	return uri, ""
}

// isIdentitySource reports whether a mapping source is the verified caller:
// a context.identity.* or context.authorizer.* variable API Gateway offers
// to mappings.
func isIdentitySource(src string) bool {
	s, err := apigw.ParseSource(src)
	return err == nil && s.Kind == apigw.Context && (strings.HasPrefix(s.Name, "identity.") || strings.HasPrefix(s.Name, "authorizer.")) &&
		!apigw.IsClientSuppliedContext(s.Name)
}

// isCredentialSource reports whether a mapping source reads the caller's
// credentials (apigw.Source.IsCredential).
func isCredentialSource(src string) bool {
	s, err := apigw.ParseSource(src)
	return err == nil && s.IsCredential()
}

// identityKey is a destination as identityDests holds it: a header's name
// in lower case, since the backend gets one header of a name in any case
// (two mappings that differ in case set the same header).
func identityKey(dest string) string {
	if d, err := apigw.ParseDestination(dest); err == nil && d.In == apigw.DestHeader {
		d.Name = strings.ToLower(d.Name)
		return d.String()
	}
	return dest
}

// describeSource says what a mapping source reads, for a message.
func describeSource(src string) string {
	s, err := apigw.ParseSource(src)
	if err != nil {
		return "an invalid source " + src
	}
	if s.Kind == apigw.MethodRequest || s.Kind == apigw.Body || s.Kind == apigw.BodyPath {
		return "the client's " + s.Kind.String() + " " + src
	}
	return s.Kind.String() + " " + src
}

// newMappings compares the request parameter mappings of two versions of a
// route (o is nil for a new route).
func (d *differ) newMappings(o *apimodel.Integration, m *apimodel.Method) {
	oldParams, newParams := params(o), params(m.Integration)
	for _, dest := range sortedKeys(oldParams, newParams) {
		os, oldOK := oldParams[dest]
		ns, newOK := newParams[dest]
		short := strings.TrimPrefix(dest, "integration.request.")
		switch {
		case oldOK && newOK && os == ns:
		case !newOK && renamed(newParams, dest, os), !oldOK && renamed(oldParams, dest, ns):
			// The same mapping under a name in another case: the backend
			// gets the same header.
		case newOK && isCredentialSource(ns):
			d.route(m, "credential-forwarded", mappingChange(oldOK), os, ns, "mapping %s <- %s: the caller's credentials reach the backend, which could replay them as the caller", short, ns)
		case oldOK && isIdentitySource(os) && !newOK:
			d.route(m, "identity-header-removed", "removed", os, "", "identity mapping %s removed (was %s)", short, os)
		case oldOK && isIdentitySource(os):
			d.route(m, "identity-header-source", "changed", os, ns, "identity mapping %s now reads %s (was %s)", short, describeSource(ns), os)
		case newOK && !isIdentitySource(ns) && d.identityDests[identityKey(dest)] != "":
			// A header that is an identity header elsewhere, or in this
			// route under another case of its name.
			was := "not mapped"
			if oldOK {
				was = os
			}
			d.route(m, "identity-header-source", mappingChange(oldOK), os, ns, "%s, an identity header (%s elsewhere), now reads %s (was %s)", short, d.identityDests[identityKey(dest)], describeSource(ns), was)
		case newOK && isIdentitySource(ns):
			if o != nil { // a new route's mappings are part of "new route"
				d.route(m, "identity-header-added", mappingChange(oldOK), os, ns, "identity mapping %s <- %s", short, ns)
			}
		case !newOK:
			d.route(m, "mapping", "removed", os, "", "mapping %s <- %s removed", short, os)
		case !oldOK:
			if o != nil { // a new route's other mappings are part of "new route"
				d.route(m, "mapping", "added", "", ns, "mapping %s <- %s added", short, ns)
			}
		default:
			d.route(m, "mapping", "changed", os, ns, "mapping %s <- %s (was %s)", short, ns, os)
		}
	}
}

// params are an integration's request parameter mappings (none for nil).
func params(in *apimodel.Integration) map[string]string {
	if in == nil {
		return map[string]string{}
	}
	return in.RequestParameters
}

// renamed reports whether the other version maps, from src, a destination
// that differs from dest only in the case of a header's name, and not dest
// itself: a rename, no change for the backend.
func renamed(other map[string]string, dest, src string) bool {
	for d, s := range other {
		if d != dest && s == src && identityKey(d) == identityKey(dest) {
			return true
		}
	}
	return false
}

func mappingChange(existed bool) string {
	if existed {
		return "changed"
	}
	return "added"
}

func sortedKeys[V any](ms ...map[string]V) []string {
	set := map[string]bool{}
	for _, m := range ms {
		for k := range m {
			set[k] = true
		}
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
