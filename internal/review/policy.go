package review

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/iamgate/iamgate/internal/apimodel"
)

// The policy rules compare what statements allow or deny, not how they are
// written: a new statement is split into atoms (one principal, one action,
// one resource, its conditions), and an Allow atom is a widening when no
// old Allow statement covers it; an old Deny atom is lost when no new Deny
// covers it. A pattern covers another when it matches every string the
// other matches (execute-api:* covers execute-api:Invoke, .../prod/*
// covers .../prod/GET/orders); a statement with fewer conditions covers
// one with more. The comparison errs on the side of reporting: what it
// cannot prove covered (NotAction against Action, two wildcards that may
// overlap) is reported.

// dim is one dimension of a statement: Action or NotAction, Resource or
// NotResource, Principal or NotPrincipal.
type dim struct {
	present bool // absent: the Principal of an identity policy
	not     bool
	vals    []string
}

// statement is a policy statement, normalized.
type statement struct {
	index     int
	sid       string
	effect    string
	principal dim
	action    dim
	resource  dim
	cond      map[string]map[string][]string // operator -> key -> values
}

// atom is a statement narrowed to one value of each positive dimension.
type atom struct {
	stmt                        *statement
	principal, action, resource dim
}

func statements(doc map[string]any) []*statement {
	if doc == nil {
		return nil
	}
	raw := doc["Statement"]
	if m, ok := raw.(map[string]any); ok {
		raw = []any{m}
	}
	list, _ := raw.([]any)
	var out []*statement
	for i, x := range list {
		m, _ := x.(map[string]any)
		if m == nil {
			continue
		}
		s := &statement{index: i, sid: str(m["Sid"]), effect: str(m["Effect"]), cond: conditions(m["Condition"])}
		s.principal = principalDim(m)
		s.action = stringDim(m, "Action", "NotAction")
		s.resource = stringDim(m, "Resource", "NotResource")
		out = append(out, s)
	}
	return out
}

func str(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	if v == nil {
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func strs(v any) []string {
	switch v := v.(type) {
	case nil:
		return nil
	case []any:
		var out []string
		for _, x := range v {
			out = append(out, str(x))
		}
		return out
	}
	return []string{str(v)}
}

func stringDim(m map[string]any, pos, neg string) dim {
	d := dim{}
	switch {
	case m[pos] != nil:
		d.present, d.vals = true, strs(m[pos])
	case m[neg] != nil:
		d.present, d.not, d.vals = true, true, strs(m[neg])
	}
	sort.Strings(d.vals)
	return d
}

var accountID = regexp.MustCompile(`^\d{12}$`)

// principalDim normalizes Principal (or NotPrincipal) to "*" or
// "TYPE:value", a bare account id to its root ARN.
func principalDim(m map[string]any) dim {
	raw, not := m["Principal"], false
	if raw == nil {
		raw, not = m["NotPrincipal"], true
	}
	if raw == nil {
		return dim{}
	}
	d := dim{present: true, not: not}
	if s, ok := raw.(string); ok {
		d.vals = []string{s} // "*"
		return d
	}
	pm, _ := raw.(map[string]any)
	for typ, v := range pm {
		for _, p := range strs(v) {
			if typ == "AWS" && accountID.MatchString(p) {
				p = "arn:aws:iam::" + p + ":root"
			}
			d.vals = append(d.vals, typ+":"+p)
		}
	}
	sort.Strings(d.vals)
	return d
}

func conditions(v any) map[string]map[string][]string {
	out := map[string]map[string][]string{}
	cm, _ := v.(map[string]any)
	for op, keys := range cm {
		km, _ := keys.(map[string]any)
		out[op] = map[string][]string{}
		for k, vals := range km {
			vs := strs(vals)
			sort.Strings(vs)
			out[op][strings.ToLower(k)] = vs
		}
	}
	return out
}

// atoms splits a statement on its positive dimensions.
func (s *statement) atoms() []atom {
	split := func(d dim) []dim {
		if !d.present || d.not {
			return []dim{d}
		}
		var out []dim
		for _, v := range d.vals {
			out = append(out, dim{present: true, vals: []string{v}})
		}
		return out
	}
	var out []atom
	for _, p := range split(s.principal) {
		for _, a := range split(s.action) {
			for _, r := range split(s.resource) {
				out = append(out, atom{stmt: s, principal: p, action: a, resource: r})
			}
		}
	}
	return out
}

// executeAPIActions are the actions of execute-api, lower-cased.
var executeAPIActions = []string{"execute-api:invoke", "execute-api:managementconnections", "execute-api:invalidatecache"}

// concernsExecuteAPI reports whether an atom's action may be one of
// execute-api's.
func (a atom) concernsExecuteAPI() bool {
	for _, act := range executeAPIActions {
		matched := false
		for _, p := range a.action.vals {
			if globMatch(strings.ToLower(p), act) {
				matched = true
			}
		}
		if matched != a.action.not {
			return true
		}
	}
	return false
}

// covers reports whether statement s allows (or denies) everything atom a
// does.
func (s *statement) covers(a atom) bool {
	return s.effect == a.stmt.effect &&
		dimCovers(s.principal, a.principal, principalCovers) &&
		dimCovers(s.action, a.action, actionCovers) &&
		dimCovers(s.resource, a.resource, globCovers) &&
		condCovers(s.cond, a.stmt.cond)
}

// dimCovers reports whether dimension big matches everything small does.
func dimCovers(big, small dim, covers func(p, q string) bool) bool {
	anyCovers := func(ps []string, q string) bool {
		for _, p := range ps {
			if covers(p, q) {
				return true
			}
		}
		return false
	}
	switch {
	case !big.present:
		return true
	case !small.present:
		return false
	case !big.not && !small.not:
		for _, q := range small.vals {
			if !anyCovers(big.vals, q) {
				return false
			}
		}
		return true
	case big.not && small.not:
		// small excludes at least what big excludes.
		for _, p := range big.vals {
			if !anyCovers(small.vals, p) {
				return false
			}
		}
		return true
	case big.not && !small.not:
		// every value of small is outside big's exclusions.
		for _, q := range small.vals {
			for _, p := range big.vals {
				if mayOverlap(p, q, covers) {
					return false
				}
			}
		}
		return true
	}
	return false
}

// condCovers reports whether the conditions big holds in every case small
// does: each condition of big is in small, with no more values for a
// positive operator (values are alternatives) and no fewer for a negated
// one.
func condCovers(big, small map[string]map[string][]string) bool {
	for op, keys := range big {
		for k, bv := range keys {
			sv, ok := small[op][k]
			if !ok {
				return false
			}
			negated := strings.Contains(op, "Not") && !strings.HasPrefix(op, "Null")
			switch {
			case strings.HasPrefix(op, "Bool") || strings.HasPrefix(op, "Null"):
				if strings.Join(bv, ",") != strings.Join(sv, ",") {
					return false
				}
			case negated:
				if !subset(bv, sv) {
					return false
				}
			default:
				if !subset(sv, bv) {
					return false
				}
			}
		}
	}
	return true
}

func subset(a, b []string) bool {
	for _, x := range a {
		if !contains(b, x) {
			return false
		}
	}
	return true
}

func principalCovers(p, q string) bool {
	if p == "*" || p == q || (p == "AWS:*" && strings.HasPrefix(q, "AWS:")) {
		return true
	}
	// An account's root covers the principals of that account.
	if acct, ok := strings.CutSuffix(p, ":root"); ok && strings.HasPrefix(p, "AWS:arn:") {
		acct = acct[strings.LastIndex(acct, ":")+1:]
		parts := strings.Split(strings.TrimPrefix(q, "AWS:"), ":")
		return strings.HasPrefix(q, "AWS:arn:") && len(parts) > 4 && parts[4] == acct
	}
	return false
}

// actionCovers is globCovers for actions, whose names IAM compares
// without case.
func actionCovers(p, q string) bool { return globCovers(strings.ToLower(p), strings.ToLower(q)) }

// globCovers reports whether pattern p matches every string pattern q
// matches (* any sequence, ? one character). p's * matches any run of q's
// characters and wildcards, p's ? one character or ?, a literal only
// itself.
func globCovers(p, q string) bool {
	memo := map[[2]int]bool{}
	var rec func(i, j int) bool
	rec = func(i, j int) bool {
		if v, ok := memo[[2]int{i, j}]; ok {
			return v
		}
		var r bool
		switch {
		case i == len(p):
			r = j == len(q)
		case p[i] == '*':
			r = rec(i+1, j) || (j < len(q) && rec(i, j+1))
		case j == len(q):
			r = false
		case p[i] == '?':
			r = q[j] != '*' && rec(i+1, j+1)
		default:
			r = p[i] == q[j] && q[j] != '*' && q[j] != '?' && rec(i+1, j+1)
		}
		memo[[2]int{i, j}] = r
		return r
	}
	return rec(0, 0)
}

// globMatch matches a string against a pattern.
func globMatch(p, s string) bool {
	return globCovers(p, strings.NewReplacer("*", "\x00", "?", "\x00").Replace(s))
}

// mayOverlap reports whether two patterns may match a common string;
// true unless one is a literal the other does not match.
func mayOverlap(p, q string, covers func(p, q string) bool) bool {
	switch {
	case !strings.ContainsAny(q, "*?"):
		return covers(p, q)
	case !strings.ContainsAny(p, "*?"):
		return covers(q, p)
	}
	return true
}

// String writes an atom for a message: "execute-api:invoke on ARN for
// AWS:*".
func (a atom) String() string {
	s := dimString("", a.action) + " on " + dimString("", a.resource)
	if a.principal.present {
		s += " for " + dimString("", a.principal)
	}
	if c := condString(a.stmt.cond); c != "" {
		s += " if " + c
	}
	return s
}

func dimString(_ string, d dim) string {
	v := strings.Join(d.vals, ", ")
	if len(d.vals) > 1 {
		v = "[" + v + "]"
	}
	if d.not {
		return "everything but " + v
	}
	return v
}

func condString(c map[string]map[string][]string) string {
	var out []string
	for op, keys := range c {
		for k, v := range keys {
			out = append(out, fmt.Sprintf("%s %s %s", op, k, strings.Join(v, "|")))
		}
	}
	sort.Strings(out)
	return strings.Join(out, " and ")
}

// summary writes a statement for Old and New.
func (s *statement) summary() string {
	out := s.effect + " " + dimString("", s.action) + " on " + dimString("", s.resource)
	if s.principal.present {
		out += " for " + dimString("", s.principal)
	}
	if c := condString(s.cond); c != "" {
		out += " if " + c
	}
	return out
}

func (s *statement) name() string {
	if s.sid != "" {
		return "statement " + s.sid
	}
	return fmt.Sprintf("statement %d", s.index+1)
}

// counterpart is the old statement a new one replaces: the one with its
// Sid, else the one at its index with its effect.
func counterpart(old []*statement, s *statement) *statement {
	for _, o := range old {
		if s.sid != "" && o.sid == s.sid {
			return o
		}
	}
	for _, o := range old {
		if s.sid == "" && o.sid == "" && o.index == s.index && o.effect == s.effect {
			return o
		}
	}
	return nil
}

// policyFinding is what the policy comparison reports, before its scope is
// known.
type policyFinding struct {
	rule, change, old, new, msg string
}

// comparePolicies compares two policy documents. relevant filters the
// atoms (the execute-api ones of an identity policy). It returns the
// widened Allows and the lost Denies.
func comparePolicies(oldDoc, newDoc map[string]any, relevant func(atom) bool, allowRule, denyRule string) []policyFinding {
	oldS, newS := statements(oldDoc), statements(newDoc)
	var out []policyFinding
	for _, s := range newS {
		if s.effect != "Allow" {
			continue
		}
		var wider []string
		for _, a := range s.atoms() {
			if !relevant(a) {
				continue
			}
			covered := false
			for _, o := range oldS {
				if o.covers(a) {
					covered = true
					break
				}
			}
			if !covered {
				wider = append(wider, a.String())
			}
		}
		if len(wider) == 0 {
			continue
		}
		f := policyFinding{rule: allowRule, change: "added", new: s.summary()}
		what := "added"
		if o := counterpart(oldS, s); o != nil {
			f.change, f.old, what = "changed", o.summary(), "widened"
		}
		f.msg = fmt.Sprintf("Allow %s (%s): now allows %s", what, s.name(), strings.Join(wider, "; "))
		out = append(out, f)
	}
	for _, o := range oldS {
		if o.effect != "Deny" {
			continue
		}
		var lost []string
		for _, a := range o.atoms() {
			if !relevant(a) {
				continue
			}
			kept := false
			for _, s := range newS {
				if s.covers(a) {
					kept = true
					break
				}
			}
			if !kept {
				lost = append(lost, a.String())
			}
		}
		if len(lost) == 0 {
			continue
		}
		f := policyFinding{rule: denyRule, change: "removed", old: o.summary()}
		what := "removed"
		for _, s := range newS {
			if s.effect == "Deny" && ((o.sid != "" && s.sid == o.sid) || (o.sid == "" && s.index == o.index)) {
				f.change, f.new, what = "changed", s.summary(), "narrowed"
			}
		}
		f.msg = fmt.Sprintf("Deny %s (%s): no longer denies %s", what, o.name(), strings.Join(lost, "; "))
		out = append(out, f)
	}
	return out
}

func canonical(v any) string {
	b, _ := json.Marshal(v) // maps are written in key order
	return string(b)
}

// resourcePolicy compares the RestApi's resource policies. One the reader
// could not read is compared as none (an Allow then reads as removed, a
// Deny as lost), but not said to be added or removed: it is there, unread.
func (d *differ) resourcePolicy(oa, na *apimodel.API) {
	o, n := oa.Policy, na.Policy
	all := func(atom) bool { return true }
	fs := comparePolicies(o, n, all, "resource-policy-allow-widened", "resource-policy-deny-removed")
	for _, f := range fs {
		d.add(Finding{Rule: f.rule, Scope: ScopeResourcePolicy, Change: f.change, Old: f.old, New: f.new, Message: f.msg})
	}
	if len(fs) == 0 && canonical(o) != canonical(n) {
		change, msg := "changed", "resource policy changed; nothing it allows is new, nothing it denied is lost"
		switch {
		case n == nil && na.PolicyUnread:
			msg = "resource policy not read (see its not-read line), compared as none: read it in the template"
		case o == nil && oa.PolicyUnread:
			msg = "resource policy read now, where the old one was not; it allows nothing new of what was read"
		case o == nil:
			change, msg = "added", "resource policy added; it allows nothing new"
		case n == nil:
			change, msg = "removed", "resource policy removed; it allowed nothing and denied nothing that is now lost"
		}
		d.add(Finding{Rule: "resource-policy-changed", Scope: ScopeResourcePolicy, Change: change, Message: msg})
	}
}

// identityPolicies compares the template's IAM policies on execute-api,
// each with the one of the same resource and name.
func (d *differ) identityPolicies(o, n []apimodel.IdentityPolicy) {
	key := func(p apimodel.IdentityPolicy) string {
		if p.Name == "" || p.Name == p.LogicalID {
			return p.LogicalID
		}
		return p.LogicalID + " (" + p.Name + ")"
	}
	oldBy := map[string]apimodel.IdentityPolicy{}
	for _, p := range o {
		oldBy[key(p)] = p
	}
	seen := map[string]bool{}
	relevant := func(a atom) bool { return a.concernsExecuteAPI() }
	for _, p := range n {
		k := key(p)
		seen[k] = true
		op, existed := oldBy[k]
		fs := comparePolicies(op.Document, p.Document, relevant, "identity-policy-grant-widened", "identity-policy-deny-removed")
		for _, f := range fs {
			if !existed {
				f.msg = "new policy: " + f.msg
			}
			d.add(Finding{Rule: f.rule, Scope: ScopeIdentityPolicy, Policy: k, Change: f.change, Old: f.old, New: f.new, Message: f.msg})
		}
		if len(fs) == 0 && canonical(op.Document) != canonical(p.Document) {
			change, msg := "changed", "policy changed; it grants nothing new on execute-api and loses no Deny"
			if !existed {
				change, msg = "added", "policy added; it grants nothing on execute-api"
			}
			d.add(Finding{Rule: "identity-policy-changed", Scope: ScopeIdentityPolicy, Policy: k, Change: change, Message: msg})
		}
	}
	for _, p := range o {
		if k := key(p); !seen[k] {
			fs := comparePolicies(p.Document, nil, relevant, "identity-policy-grant-widened", "identity-policy-deny-removed")
			for _, f := range fs {
				d.add(Finding{Rule: f.rule, Scope: ScopeIdentityPolicy, Policy: k, Change: "removed", Old: f.old, Message: "policy removed: " + f.msg})
			}
			if len(fs) == 0 {
				d.add(Finding{Rule: "identity-policy-changed", Scope: ScopeIdentityPolicy, Policy: k, Change: "removed", Message: "policy removed: its grants on execute-api are gone"})
			}
		}
	}
}
