package gateway

import (
	"encoding/json"
	"fmt"
	"net"
	"sort"
	"strings"

	"github.com/iamgate/iamgate/internal/apigw"
	"github.com/iamgate/iamgate/internal/iampolicy"
)

// The policy stage: after the signature of an AWS_IAM method is verified,
// execute-api:Invoke on the method's ARN is evaluated against the caller's
// IAM policies (its credentials entry's "policies") and the REST API's
// resource policy, with IAM's logic (internal/iampolicy). It runs in full
// for callers whose entry carries policies: for the others, a verified
// signature is enough, as before, unless the resource policy denies them
// explicitly (no identity policy overrides that Deny in IAM, so it refuses
// them as it refuses the caller on AWS). The anonymous callers of NONE
// methods are evaluated against the resource policy too
// (authorizeAnonymous): in full when some entry carries policies, for its
// explicit Denies otherwise.

// localAccountID is the default account of the local gateway's API
// (Config.Account): $context.accountId, the account of its execute-api ARNs,
// and apimodel's default AWS::AccountId.
const localAccountID = "123456789012"

// invokeAction is the action API Gateway authorizes.
const invokeAction = "execute-api:Invoke"

// policies are the parsed policies of a gateway.
type policies struct {
	// identity holds the policies of the credentials entries that carry
	// any, by access key id; an entry with "policies": [] is here with
	// none (only the resource policy may allow it).
	identity map[string][]*iampolicy.Policy
	resource *iampolicy.Policy // the RestApi's Policy, nil when none
	// unread is why the RestApi's Policy is not evaluated (resource nil),
	// when it has one that iamgate cannot evaluate and no entry has
	// policies; nil otherwise.
	unread error
}

// compilePolicies parses the credentials' policies and the API's resource
// policy: once, at New. Its error is one line; a resource policy iamgate
// cannot evaluate is one only when some entry has policies.
func (g *Gateway) compilePolicies() error {
	g.policies.identity = map[string][]*iampolicy.Policy{}
	for i, c := range g.cfg.Credentials {
		if c.Policies == nil {
			continue
		}
		who := c.AccessKeyID
		if who == "" {
			who = c.Identity.UserArn
		}
		list := make([]*iampolicy.Policy, 0, len(c.Policies))
		for j, raw := range c.Policies {
			p, err := g.identityPolicy(j, raw)
			if err != nil {
				return fmt.Errorf("credentials[%d] (%s): %v", i, who, err)
			}
			list = append(list, p)
		}
		g.policies.identity[c.AccessKeyID] = list
	}
	if g.cfg.API.Policy == nil {
		return nil
	}
	raw, err := json.Marshal(expandShortArns(copyJSON(g.cfg.API.Policy), g.arnPrefix()))
	if err != nil {
		return err
	}
	p, err := iampolicy.Parse(iampolicy.Resource, g.cfg.API.LogicalID, g.localIDs(raw))
	if err != nil {
		if len(g.policies.identity) == 0 {
			// Policies are not asked for: the callers are refused by the
			// resource policy's explicit Denies only (authorizePolicy,
			// authorizeAnonymous), and one iamgate cannot evaluate does
			// not stop the gateway; ResourcePolicyUnread says so.
			g.policies.unread = err
			return nil
		}
		return fmt.Errorf("resource policy %v", err)
	}
	g.policies.resource = p
	return nil
}

// ResourcePolicyUnread is why the API's resource policy is not evaluated,
// when it has one: iamgate cannot evaluate it, and no credentials entry
// has policies (with one, New fails instead). Its Denies then refuse no
// one locally, where they would on AWS. nil when the policy is evaluated,
// or when there is none.
func (g *Gateway) ResourcePolicyUnread() error { return g.policies.unread }

// identityPolicy parses the j-th policy of a credentials entry: a policy
// document, or a string naming one of the template's IAM policies that
// name execute-api (API.IdentityPolicies) by logical id or PolicyName.
func (g *Gateway) identityPolicy(j int, raw json.RawMessage) (*iampolicy.Policy, error) {
	name := fmt.Sprintf("policies[%d]", j)
	var ref string
	if json.Unmarshal(raw, &ref) == nil {
		var known []string
		for _, ip := range g.cfg.API.IdentityPolicies {
			if ip.LogicalID == ref || (ip.Name != "" && ip.Name == ref) {
				doc, err := json.Marshal(ip.Document)
				if err != nil {
					return nil, err
				}
				return iampolicy.Parse(iampolicy.Identity, ip.LogicalID, g.localIDs(doc))
			}
			known = append(known, ip.LogicalID)
		}
		sort.Strings(known)
		if len(known) == 0 {
			return nil, fmt.Errorf("%s: %q: the template has no IAM policy that names execute-api", name, ref)
		}
		return nil, fmt.Errorf("%s: %q names no IAM policy of the template (those naming execute-api: %s)", name, ref, strings.Join(known, ", "))
	}
	return iampolicy.Parse(iampolicy.Identity, name, g.localIDs(raw))
}

// localIDs replaces ${RestApiLogicalId}, the template's Ref to the REST
// API as apimodel reads it, with the local gateway's API id.
func (g *Gateway) localIDs(doc []byte) []byte {
	return []byte(strings.ReplaceAll(string(doc), "${"+g.cfg.API.LogicalID+"}", g.apiID))
}

// arnPrefix is arn:aws:execute-api:REGION:ACCOUNT:API_ID/, what API
// Gateway puts in front of the short form execute-api:/STAGE/VERB/PATH of
// resource policies when it saves one.
func (g *Gateway) arnPrefix() string {
	arn := apigw.ExecuteAPIArn{Region: g.cfg.Region, Account: g.cfg.Account, APIID: g.apiID}.String()
	return arn[:strings.Index(arn, "/")+1]
}

// expandShortArns expands the short form of Resource and NotResource in
// the statements of a resource policy document.
func expandShortArns(doc any, prefix string) any {
	m, _ := doc.(map[string]any)
	if m == nil {
		return doc
	}
	expand := func(s map[string]any) {
		for _, k := range []string{"Resource", "NotResource"} {
			switch v := s[k].(type) {
			case string:
				s[k] = expandShort(v, prefix)
			case []any:
				for i, x := range v {
					if str, ok := x.(string); ok {
						v[i] = expandShort(str, prefix)
					}
				}
			}
		}
	}
	switch st := m["Statement"].(type) {
	case map[string]any:
		expand(st)
	case []any:
		for _, s := range st {
			if sm, ok := s.(map[string]any); ok {
				expand(sm)
			}
		}
	}
	return m
}

func expandShort(s, prefix string) string {
	if rest, ok := strings.CutPrefix(s, "execute-api:/"); ok {
		return prefix + rest
	}
	return s
}

// copyJSON returns a deep copy of a JSON value, so that the API's model is
// never modified.
func copyJSON(v any) any {
	raw, _ := json.Marshal(v)
	var out any
	_ = json.Unmarshal(raw, &out)
	return out
}

// methodArn is the execute-api ARN of the request: the stage, the verb the
// client sent and the resource path with its actual values. A path whose
// final "/" routing ignores has a second ARN, without it (alias), which
// the policies must allow too (apigw.UnslashedPath); alias is "" for
// another path.
func (g *Gateway) methodArn(x *Exchange) (arn, alias string) {
	path := strings.TrimPrefix(x.Path, "/"+g.cfg.API.StageName)
	a := apigw.ExecuteAPIArn{Region: g.cfg.Region, Account: g.cfg.Account, APIID: g.apiID,
		Stage: g.cfg.API.StageName, Method: x.Method, Path: path}
	arn = a.String()
	if p, ok := apigw.UnslashedPath(path); ok {
		a.Path = p
		alias = a.String()
	}
	return arn, alias
}

// evaluate evaluates req on the request's ARN and, when it has one, on its
// alias (methodArn), and records the decision in x: the stronger refusal
// (an explicit Deny over an implicit one, the request's ARN's first), else
// the request's allowance.
func (g *Gateway) evaluate(x *Exchange, req iampolicy.Request, identity []*iampolicy.Policy) iampolicy.Decision {
	arn, alias := g.methodArn(x)
	req.Resource = arn
	d := iampolicy.Evaluate(req, identity, g.policies.resource)
	if alias != "" && !d.ExplicitDeny {
		req.Resource = alias
		if da := iampolicy.Evaluate(req, identity, g.policies.resource); da.ExplicitDeny || d.Allowed && !da.Allowed {
			arn, d = alias, da
		}
	}
	x.Policy = &PolicyDecision{Resource: arn, Decision: d}
	return d
}

// authorizePolicy evaluates execute-api:Invoke for the caller of accessKey
// when its entry has policies, and records the decision in x.
//
// An entry without policies may call every method once signed, but not
// past an explicit Deny of the API's resource policy, which no identity
// policy overrides in IAM (an organization or address restriction, say):
// such a Deny refuses it as it refuses the caller on AWS.
func (g *Gateway) authorizePolicy(x *Exchange, accessKey string) *Error {
	ids, asked := g.policies.identity[accessKey]
	if x.Identity == nil || !asked && g.policies.resource == nil {
		return nil // nothing to evaluate: no condition keys to build
	}
	req := iampolicy.Request{
		Action: invokeAction, Caller: x.Identity.UserArn, Account: x.Identity.AccountID,
		Context: g.principalKeys(x, accessKey),
	}
	if !asked {
		return g.authorizeExplicitDeny(x, req, x.Identity.UserArn)
	}
	d := g.evaluate(x, req, ids)
	if d.Allowed {
		return nil
	}
	return errAccessDenied(x.Identity.UserArn, x.Policy.Resource, d.ExplicitDeny)
}

// principalKeys are the condition keys of a signed request by the caller
// of accessKey.
func (g *Gateway) principalKeys(x *Exchange, accessKey string) map[string][]string {
	keys := g.conditionKeys(x)
	if pa := g.creds[accessKey].PrincipalArn; pa != "" {
		keys["aws:PrincipalArn"] = []string{pa}
	}
	return keys
}

// authorizeExplicitDeny is the policy stage when no policies are asked
// for (an entry without them, or an anonymous caller when no entry has
// any): it refuses the request when the resource policy denies it
// explicitly, which nothing overrides in IAM, and records that decision;
// else it lets the request go on, as it did before policies were
// evaluated, without one. An explicit Deny does not depend on the caller's
// own policies, so none are given. Its callers have checked that the API
// has a resource policy.
func (g *Gateway) authorizeExplicitDeny(x *Exchange, req iampolicy.Request, user string) *Error {
	d := g.evaluate(x, req, nil)
	if d.ExplicitDeny {
		return errAccessDenied(user, x.Policy.Resource, true)
	}
	x.Policy = nil
	return nil
}

// authorizeAnonymous evaluates execute-api:Invoke on a NONE method for an
// anonymous caller, as API Gateway does with a REST API's resource
// policy, when the API has one. When policies are evaluated (some
// credentials entry carries them, the opt-in of compilePolicies), only its
// statements with Principal "*" can allow; otherwise only its explicit
// Denies refuse (authorizeExplicitDeny). The keys about a principal are
// missing (iampolicy.Request.Anonymous).
func (g *Gateway) authorizeAnonymous(x *Exchange) *Error {
	if g.policies.resource == nil {
		return nil
	}
	req := iampolicy.Request{Action: invokeAction, Anonymous: true, Context: g.conditionKeys(x)}
	if len(g.policies.identity) == 0 {
		return g.authorizeExplicitDeny(x, req, anonymousUser)
	}
	d := g.evaluate(x, req, nil)
	if d.Allowed {
		return nil
	}
	return errAccessDenied(anonymousUser, x.Policy.Resource, d.ExplicitDeny)
}

// anonymousUser is how API Gateway names an unsigned caller in its
// AccessDeniedException message.
const anonymousUser = "anonymous"

// PolicyDecision is the outcome of the policy stage for a request.
type PolicyDecision struct {
	Resource string // the method's execute-api ARN
	iampolicy.Decision
}

// errAccessDenied is API Gateway's answer when no policy allows the call,
// or one denies it.
func errAccessDenied(userArn, resource string, explicit bool) *Error {
	msg := "User: " + userArn + " is not authorized to perform: " + invokeAction + " on resource: " + resource
	if explicit {
		msg += " with an explicit deny"
	}
	return answer(403, "AccessDeniedException", msg)
}

// conditionKeys are the request's condition keys that the local gateway
// knows. aws:PrincipalArn, aws:PrincipalAccount and aws:username follow
// from the caller (iampolicy derives them); aws:SourceVpce is the
// identity's vpceId, missing otherwise (no VPC endpoint runs locally), and
// with it the address is aws:VpcSourceIp, not aws:SourceIp;
// aws:SecureTransport is true, as API Gateway answers HTTPS only. For an
// anonymous caller (x.Identity nil) only aws:SourceIp and
// aws:SecureTransport are present, and on a PRIVATE API aws:SourceVpce
// (Gateway.privateVpce) and aws:VpcSourceIp in place of aws:SourceIp.
func (g *Gateway) conditionKeys(x *Exchange) map[string][]string {
	ctx := map[string][]string{"aws:SecureTransport": {"true"}}
	id := x.Identity
	if id == nil { // an anonymous caller: nothing about a principal
		id = &Identity{}
	}
	if id.VpceID == "" && g.privateVpce != "" {
		// Every caller of a PRIVATE API comes through a VPC endpoint: one
		// that names none (an anonymous one, a CORS preflight) through the
		// API's first.
		c := *id
		c.VpceID = g.privateVpce
		id = &c
	}
	if id.PrincipalOrgID != "" {
		ctx["aws:PrincipalOrgID"] = []string{id.PrincipalOrgID}
	}
	if id.VpceID != "" {
		ctx["aws:SourceVpce"] = []string{id.VpceID}
	}
	userID := id.User
	if userID == "" {
		userID = id.Caller
	}
	if userID != "" {
		ctx["aws:userid"] = []string{userID}
	}
	ip := sourceIP(x.in)
	switch {
	case net.ParseIP(ip) == nil:
	case id.VpceID != "":
		// Through a VPC endpoint the caller's address is a private one of
		// its VPC: IAM has it as aws:VpcSourceIp, and aws:SourceIp is
		// missing, so an IpAddress condition on it does not hold ("Condition
		// operators", IAM JSON policy reference).
		ctx["aws:VpcSourceIp"] = []string{ip}
	default:
		ctx["aws:SourceIp"] = []string{ip}
	}
	return ctx
}
