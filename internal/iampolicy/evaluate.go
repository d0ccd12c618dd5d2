package iampolicy

import (
	"fmt"
	"slices"
	"strings"
)

// Request is what a policy decides on.
type Request struct {
	Action   string // execute-api:Invoke
	Resource string // the resource's ARN
	// Caller is the ARN of who signed the request, as API Gateway reports
	// it ($context.identity.userArn): a user, an assumed-role session
	// (arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION), an account root.
	Caller string
	// Account is the caller's account; default the account of Caller.
	Account string
	// ResourceAccount owns the resource; default the account of Resource.
	ResourceAccount string
	// Context holds the request's condition keys by name (any case). The
	// keys aws:PrincipalArn, aws:PrincipalAccount and aws:username default
	// to what Caller says (see PrincipalArn); the others are missing unless
	// given.
	Context map[string][]string
	// Anonymous is a caller that did not sign the request (a method with
	// AuthorizationType NONE): Caller and Account are ignored, no identity
	// policy applies, only resource policy statements whose Principal is
	// "*" (or {"AWS": "*"}), or a NotPrincipal, name it, and the keys about
	// a principal (aws:PrincipalArn, aws:PrincipalAccount,
	// aws:PrincipalOrgID, aws:userid, aws:username) are missing, so that
	// negated operators on them hold, as IAM does for a key missing from
	// the request context.
	Anonymous bool
}

// Match is a statement that decided.
type Match struct {
	Policy string
	Kind   Kind
	Index  int
	Sid    string
	Effect Effect
}

// String reads as: resource policy "Api" statement 0 (Sid DenyOutsideOrg).
func (m Match) String() string {
	s := fmt.Sprintf("%s %q statement %d", m.Kind, m.Policy, m.Index)
	if m.Sid != "" {
		s += " (Sid " + m.Sid + ")"
	}
	return s
}

// Decision is the outcome of Evaluate.
type Decision struct {
	Allowed bool
	// ExplicitDeny is true when a Deny statement matched (it wins over any
	// Allow); false for an allow or an implicit deny.
	ExplicitDeny bool
	// By are the statements that decided: the Deny that matched; for an
	// allow, the Allow of each policy that allowed (both, across
	// accounts); none for an implicit deny.
	By []Match
	// Reason says why, in one line.
	Reason string
}

func (d Decision) String() string { return d.Reason }

// Evaluate decides req against the caller's identity policies and the
// resource's policy (nil when it has none) with IAM's logic:
//   - an explicit Deny in any policy wins;
//   - within one account, an Allow in an identity policy, or an Allow of the
//     resource policy that names the caller (or "*"), suffices; a resource
//     policy Allow that names only the caller's account delegates to the
//     account's identity policies, so one of those must allow too;
//   - across accounts, both an identity policy and the resource policy must
//     allow;
//   - the caller's account root is allowed in its own account unless
//     denied;
//   - anything else is an implicit deny.
func Evaluate(req Request, identity []*Policy, resource *Policy) Decision {
	if req.Anonymous {
		return evaluateAnonymous(req, resource)
	}
	ctx := requestContext(req)
	account := req.Account
	if account == "" {
		account = arnAccount(req.Caller)
	}
	resourceAccount := req.ResourceAccount
	if resourceAccount == "" {
		resourceAccount = arnAccount(req.Resource)
	}
	// aws:PrincipalArn, as the request gives it (a role's ARN with its
	// path) or as requestContext derived it from the caller's ARN.
	c := caller{arn: req.Caller, account: account}
	if v := ctx["aws:principalarn"]; len(v) > 0 {
		c.principalArn = v[0]
	}

	var idAllow, resAllow, resAccountAllow *Match
	for _, p := range identity {
		for _, s := range p.Statements {
			if !s.applies(req, ctx) {
				continue
			}
			m := s.match(p)
			if s.Effect == Deny {
				return deny(m)
			}
			if idAllow == nil {
				idAllow = &m
			}
		}
	}
	if resource != nil {
		for _, s := range resource.Statements {
			matched, direct := s.Principal.matches(c)
			if !matched || !s.applies(req, ctx) {
				continue
			}
			m := s.match(resource)
			if s.Effect == Deny {
				return deny(m)
			}
			switch {
			case direct && resAllow == nil:
				resAllow = &m
			case !direct && resAccountAllow == nil:
				resAccountAllow = &m
			}
		}
	}
	root := isRoot(req.Caller)
	if account == resourceAccount {
		switch {
		case idAllow != nil && resAllow != nil:
			return allow("allowed by "+idAllow.String()+" and "+resAllow.String(), *idAllow, *resAllow)
		case idAllow != nil:
			return allow("allowed by "+idAllow.String(), *idAllow)
		case resAllow != nil:
			return allow("allowed by "+resAllow.String(), *resAllow)
		case root:
			return Decision{Allowed: true, Reason: "allowed: the account root is allowed in its own account unless denied"}
		case resAccountAllow != nil:
			return Decision{Reason: fmt.Sprintf("implicit deny: %s allows the account %s, which leaves the decision to its identity policies, and none allows the request", resAccountAllow, account)}
		}
		return Decision{Reason: "implicit deny: no statement allows the request"}
	}
	if resAllow == nil {
		resAllow = resAccountAllow
	}
	var missing []string
	if idAllow == nil && !root {
		// The account root needs no identity policy: it may do anything
		// in its own account, and so grant itself nothing less.
		missing = append(missing, "no identity policy allows it")
	}
	if resAllow == nil {
		missing = append(missing, "the resource policy does not allow it")
	}
	if len(missing) > 0 {
		return Decision{Reason: fmt.Sprintf("implicit deny: a cross-account call (caller account %s, resource account %s) needs both an identity policy and the resource policy to allow it; %s", account, resourceAccount, strings.Join(missing, ", and "))}
	}
	if idAllow == nil {
		return allow("allowed across accounts for the account root of "+account+" by "+resAllow.String(), *resAllow)
	}
	return allow("allowed across accounts by "+idAllow.String()+" and "+resAllow.String(), *idAllow, *resAllow)
}

// principalKeys are the condition keys about the principal, missing for
// an anonymous caller.
var principalKeys = []string{"aws:principalarn", "aws:principalaccount", "aws:principalorgid", "aws:userid", "aws:username"}

// evaluateAnonymous decides the request of an anonymous caller: only the
// resource policy can allow it, with a statement whose Principal is "*";
// any Deny that applies to it wins.
func evaluateAnonymous(req Request, resource *Policy) Decision {
	ctx := make(map[string][]string, len(req.Context))
	for k, v := range req.Context {
		ctx[strings.ToLower(k)] = v
	}
	for _, k := range principalKeys {
		delete(ctx, k)
	}
	var resAllow *Match
	if resource != nil {
		for _, s := range resource.Statements {
			if !s.Principal.matchesAnonymous() || !s.applies(req, ctx) {
				continue
			}
			m := s.match(resource)
			if s.Effect == Deny {
				return deny(m)
			}
			if resAllow == nil {
				resAllow = &m
			}
		}
	}
	if resAllow != nil {
		return allow("allowed for an anonymous caller by "+resAllow.String(), *resAllow)
	}
	if resource == nil {
		return Decision{Reason: "implicit deny: an anonymous caller needs a resource policy that allows it, and there is none"}
	}
	return Decision{Reason: `implicit deny: no statement of the resource policy with Principal "*" allows the anonymous caller`}
}

// matchesAnonymous says whether the principals name an anonymous caller:
// "*" does; a NotPrincipal does unless it is "*" (an anonymous caller has
// no ARN or account that it could list).
func (p *Principals) matchesAnonymous() bool {
	if p == nil {
		return false
	}
	if p.Not {
		return !p.Any
	}
	return p.Any
}

func deny(m Match) Decision {
	return Decision{ExplicitDeny: true, By: []Match{m}, Reason: "explicit deny by " + m.String()}
}

func allow(reason string, by ...Match) Decision {
	return Decision{Allowed: true, By: by, Reason: reason}
}

func (s *Statement) match(p *Policy) Match {
	return Match{Policy: p.Name, Kind: p.Kind, Index: s.Index, Sid: s.Sid, Effect: s.Effect}
}

// applies says whether the statement's action, resource and conditions
// match the request (its principal aside).
func (s *Statement) applies(req Request, ctx map[string][]string) bool {
	if !s.Action.matches(req.Action, true) || !s.Resource.matches(req.Resource, false) {
		return false
	}
	for _, c := range s.Conditions {
		if !c.holds(ctx[c.key]) {
			return false
		}
	}
	return true
}

func (p Patterns) matches(v string, fold bool) bool {
	for _, pat := range p.Values {
		if glob(pat, v, fold) {
			return !p.Not
		}
	}
	return p.Not
}

type caller struct{ arn, principalArn, account string }

// matches says whether the principals name the caller, and whether they
// name it directly (its ARN, its role, "*") rather than through its
// account.
func (p *Principals) matches(c caller) (matched, direct bool) {
	if p == nil {
		return false, false
	}
	if p.Not {
		return !p.exempts(c), true
	}
	matched, direct = p.Any, p.Any
	for _, a := range p.AWS {
		switch {
		case isAccountPrincipal(a, c.account):
			matched = true
		case a == c.arn || a == c.principalArn || sameRole(a, c.principalArn):
			matched, direct = true, true
		}
	}
	return matched, direct
}

// exempts says whether a NotPrincipal leaves the caller out. IAM checks the
// caller's whole chain, the account first, then the role, then the
// assumed-role session, and leaves it out only when it lists every one
// ("NotPrincipal" in the IAM JSON policy reference: an account listed
// beside a user exempts that user, not the account's other principals; a
// role listed without its account does not exempt the role's sessions).
// "*" leaves everyone out.
func (p *Principals) exempts(c caller) bool {
	if p.Any {
		return true
	}
	listed := func(f func(a string) bool) bool { return slices.ContainsFunc(p.AWS, f) }
	if !listed(func(a string) bool { return isAccountPrincipal(a, c.account) }) {
		return false
	}
	switch {
	case isRoot(c.arn):
		return true // the account is its whole chain
	case c.principalArn != c.arn: // an assumed-role session
		return listed(func(a string) bool { return a == c.principalArn || sameRole(a, c.principalArn) }) &&
			listed(func(a string) bool { return a == c.arn })
	}
	return listed(func(a string) bool { return a == c.arn })
}

// isAccountPrincipal says whether a principal entry names the account: its
// id, or its root ARN.
func isAccountPrincipal(a, account string) bool {
	return a == account || a == "arn:"+arnPartition(a)+":iam::"+account+":root"
}

// sameRole says whether a role ARN of a policy (which may hold a path,
// arn:aws:iam::A:role/path/NAME) is the role of a session's principal ARN
// (arn:aws:iam::A:role/NAME: a session's ARN does not carry the path).
func sameRole(policyArn, principalArn string) bool {
	pr, ok1 := strings.CutPrefix(arnResource(policyArn), "role/")
	cr, ok2 := strings.CutPrefix(arnResource(principalArn), "role/")
	return ok1 && ok2 && arnAccount(policyArn) == arnAccount(principalArn) &&
		pr[strings.LastIndexByte(pr, '/')+1:] == cr
}

// PrincipalArn is aws:PrincipalArn for a caller ARN: the role's ARN for an
// assumed-role session, the caller's ARN otherwise.
func PrincipalArn(callerArn string) string {
	res := arnResource(callerArn)
	if rest, ok := strings.CutPrefix(res, "assumed-role/"); ok && strings.HasPrefix(callerArn, "arn:") {
		role, _, _ := strings.Cut(rest, "/")
		return "arn:" + arnPartition(callerArn) + ":iam::" + arnAccount(callerArn) + ":role/" + role
	}
	return callerArn
}

// UserName is aws:username for a caller ARN: the name of an IAM user, ""
// for any other principal (which has no such key).
func UserName(callerArn string) string {
	res := arnResource(callerArn)
	if strings.HasPrefix(res, "user/") && strings.Contains(callerArn, ":iam::") {
		return res[strings.LastIndexByte(res, '/')+1:]
	}
	return ""
}

func isRoot(arn string) bool { return strings.HasPrefix(arn, "arn:") && arnResource(arn) == "root" }

func arnPart(arn string, i int) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 {
		return ""
	}
	return parts[i]
}

func arnPartition(arn string) string { return arnPart(arn, 1) }
func arnAccount(arn string) string   { return arnPart(arn, 4) }
func arnResource(arn string) string  { return arnPart(arn, 5) }

// requestContext is req.Context by lower-case key, with the keys that
// Caller implies.
func requestContext(req Request) map[string][]string {
	ctx := make(map[string][]string, len(req.Context)+3)
	for k, v := range req.Context {
		ctx[strings.ToLower(k)] = v
	}
	def := func(key, v string) {
		if _, ok := ctx[key]; !ok && v != "" {
			ctx[key] = []string{v}
		}
	}
	def("aws:principalarn", PrincipalArn(req.Caller))
	account := req.Account
	if account == "" {
		account = arnAccount(req.Caller)
	}
	def("aws:principalaccount", account)
	def("aws:username", UserName(req.Caller))
	return ctx
}
