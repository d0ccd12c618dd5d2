// Package iampolicy parses IAM policy documents and evaluates a request
// against them with IAM's logic, for the part of IAM that decides an
// execute-api:Invoke call: identity-based policies (the caller's) and one
// resource-based policy (the REST API's).
//
// What it evaluates: Effect, Action/NotAction and Resource/NotResource with
// the * and ? wildcards, Principal/NotPrincipal in resource policies, and
// Condition with the operators StringEquals, StringNotEquals,
// StringEqualsIgnoreCase, StringNotEqualsIgnoreCase, StringLike,
// StringNotLike, ArnEquals, ArnNotEquals, ArnLike, ArnNotLike, IpAddress,
// NotIpAddress, Bool and Null, each (but Null) with ...IfExists, and the
// string and ARN operators with ForAnyValue: and ForAllValues:, on the keys
// aws:PrincipalOrgID, aws:PrincipalAccount, aws:PrincipalArn, aws:SourceIp,
// aws:SourceVpce, aws:userid, aws:username and aws:SecureTransport.
//
// What it refuses: anything else. An operator, a key, a policy element or a
// policy variable it does not know is an error of Parse, never a condition
// that silently holds or fails.
//
// It is a leaf package: it imports nothing of iamgate's.
package iampolicy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Kind is where a policy is attached, which decides whether its statements
// name principals.
type Kind int

const (
	// Identity policies are attached to a user, role or group: their
	// statements have no Principal.
	Identity Kind = iota
	// Resource policies are attached to the resource (a REST API): every
	// statement names its Principal or NotPrincipal.
	Resource
)

func (k Kind) String() string {
	if k == Resource {
		return "resource policy"
	}
	return "identity policy"
}

// Effect is a statement's Effect.
type Effect string

const (
	Allow Effect = "Allow"
	Deny  Effect = "Deny"
)

// Policy is a parsed policy document.
type Policy struct {
	// Name identifies the policy in decisions (a file, a logical id).
	Name       string
	Kind       Kind
	Statements []*Statement
}

// Statement is one statement of a policy.
type Statement struct {
	Index  int // its position in the policy's Statement list, from 0
	Sid    string
	Effect Effect
	// Action holds the Action patterns, or the NotAction ones when
	// Action.Not.
	Action   Patterns
	Resource Patterns
	// Principal is nil in identity policies.
	Principal  *Principals
	Conditions []*Condition
}

// Patterns are the values of Action/NotAction or Resource/NotResource.
type Patterns struct {
	Values []string
	Not    bool // NotAction, NotResource
}

// Principals are the values of Principal/NotPrincipal.
type Principals struct {
	Any bool // "*" or {"AWS": "*"}
	// AWS are the AWS principals: account ids, account (root) ARNs, user,
	// role and assumed-role ARNs.
	AWS []string
	// Other are the Service, Federated and CanonicalUser principals, as
	// "Service:apigateway.amazonaws.com": they never sign an execute-api
	// request with a user's credentials, so they match no caller.
	Other []string
	Not   bool // NotPrincipal
}

// Parse reads a policy document of kind. name names it in errors and in
// decisions.
func Parse(kind Kind, name string, doc []byte) (*Policy, error) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var raw any
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("%s: not a JSON policy document: %v", name, err)
	}
	m, ok := raw.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: a policy document is a JSON object", name)
	}
	p := &Policy{Name: name, Kind: kind}
	version := "2008-10-17" // IAM's default when Version is absent
	for _, k := range slices.Sorted(maps.Keys(m)) {
		switch k {
		case "Version":
			v, _ := m[k].(string)
			if v != "2012-10-17" && v != "2008-10-17" {
				return nil, fmt.Errorf("%s: Version %v: IAM knows 2012-10-17 and 2008-10-17", name, m[k])
			}
			version = v
		case "Id":
		case "Statement":
		default:
			return nil, fmt.Errorf("%s: unknown policy element %q", name, k)
		}
	}
	var list []any
	switch s := m["Statement"].(type) {
	case map[string]any:
		list = []any{s}
	case []any:
		list = s
	case nil:
		return nil, fmt.Errorf("%s: no Statement", name)
	default:
		return nil, fmt.Errorf("%s: Statement is an object or a list of objects", name)
	}
	for i, raw := range list {
		sm, ok := raw.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s: Statement[%d] is not an object", name, i)
		}
		s, err := parseStatement(kind, version, i, sm)
		if err != nil {
			where := fmt.Sprintf("Statement[%d]", i)
			if s != nil && s.Sid != "" {
				where += fmt.Sprintf(" (Sid %s)", s.Sid)
			}
			return nil, fmt.Errorf("%s: %s: %v", name, where, err)
		}
		p.Statements = append(p.Statements, s)
	}
	return p, nil
}

func parseStatement(kind Kind, version string, i int, m map[string]any) (*Statement, error) {
	s := &Statement{Index: i}
	if sid, ok := m["Sid"]; ok {
		str, ok := sid.(string)
		if !ok {
			return nil, fmt.Errorf("Sid is not a string")
		}
		s.Sid = str
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		switch k {
		case "Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal", "Condition":
		default:
			return s, fmt.Errorf("unknown statement element %q", k)
		}
	}
	switch e := m["Effect"]; e {
	case "Allow", "Deny":
		s.Effect = Effect(e.(string))
	default:
		return s, fmt.Errorf("Effect is %v, not Allow or Deny", e)
	}
	var err error
	if s.Action, err = patterns(m, "Action", "NotAction"); err != nil {
		return s, err
	}
	for _, a := range s.Action.Values {
		if a != "*" && !strings.Contains(a, ":") {
			return s, fmt.Errorf("action %q is not service:action", a)
		}
	}
	if s.Resource, err = patterns(m, "Resource", "NotResource"); err != nil {
		return s, err
	}
	for _, r := range s.Resource.Values {
		if r != "*" && !strings.HasPrefix(r, "arn:") {
			// API Gateway expands its short form execute-api:/STAGE/VERB/PATH
			// when it saves a resource policy; the caller does it here (a
			// pattern that is no ARN would never match, and a Deny would
			// silently not apply).
			return s, fmt.Errorf("resource %q is not an ARN", r)
		}
		if version == "2012-10-17" {
			if err := noVariables(r); err != nil {
				return s, err
			}
		}
	}
	_, hasP := m["Principal"]
	_, hasNP := m["NotPrincipal"]
	switch {
	case kind == Identity && (hasP || hasNP):
		return s, fmt.Errorf("an identity policy names no Principal (the principal is who it is attached to)")
	case kind == Resource && hasP && hasNP:
		return s, fmt.Errorf("both Principal and NotPrincipal")
	case kind == Resource && !hasP && !hasNP:
		return s, fmt.Errorf("a resource policy statement needs a Principal or NotPrincipal")
	case hasNP && s.Effect == Allow:
		// IAM JSON policy reference, NotPrincipal: "NotPrincipal must be
		// used with Deny. Using it with Allow is not supported."
		return s, fmt.Errorf(`NotPrincipal with "Effect": "Allow", which IAM does not support (NotPrincipal goes with Deny); name who is allowed in Principal`)
	case kind == Resource:
		key := "Principal"
		if hasNP {
			key = "NotPrincipal"
		}
		if s.Principal, err = principals(m[key]); err != nil {
			return s, fmt.Errorf("%s: %v", key, err)
		}
		s.Principal.Not = hasNP
	}
	if c, ok := m["Condition"]; ok {
		if s.Conditions, err = parseConditions(c, version); err != nil {
			return s, err
		}
	}
	return s, nil
}

// patterns reads exactly one of the elements key and notKey.
func patterns(m map[string]any, key, notKey string) (Patterns, error) {
	v, has := m[key]
	nv, hasNot := m[notKey]
	switch {
	case has && hasNot:
		return Patterns{}, fmt.Errorf("both %s and %s", key, notKey)
	case !has && !hasNot:
		return Patterns{}, fmt.Errorf("no %s or %s", key, notKey)
	case hasNot:
		v, key = nv, notKey
	}
	values, err := strings1(v)
	if err != nil {
		return Patterns{}, fmt.Errorf("%s: %v", key, err)
	}
	return Patterns{Values: values, Not: hasNot}, nil
}

// strings1 reads a string or a non-empty list of strings.
func strings1(v any) ([]string, error) {
	switch v := v.(type) {
	case string:
		return []string{v}, nil
	case []any:
		if len(v) == 0 {
			return nil, fmt.Errorf("an empty list")
		}
		out := make([]string, len(v))
		for i, x := range v {
			s, ok := x.(string)
			if !ok {
				return nil, fmt.Errorf("%v is not a string", x)
			}
			out[i] = s
		}
		return out, nil
	}
	return nil, fmt.Errorf("%v is neither a string nor a list of strings", v)
}

func principals(v any) (*Principals, error) {
	p := &Principals{}
	if v == "*" {
		p.Any = true
		return p, nil
	}
	m, ok := v.(map[string]any)
	if !ok || len(m) == 0 {
		return nil, fmt.Errorf(`"*" or an object of AWS, Service, Federated or CanonicalUser`)
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		values, err := strings1(m[k])
		if err != nil {
			return nil, fmt.Errorf("%s: %v", k, err)
		}
		switch k {
		case "AWS":
			for _, a := range values {
				switch {
				case a == "*":
					p.Any = true
				case isAccountID(a) || strings.HasPrefix(a, "arn:"):
					if strings.ContainsAny(a, "*?") {
						return nil, fmt.Errorf("AWS %q: a principal takes no wildcard but \"*\" alone (use a condition on aws:PrincipalArn)", a)
					}
					p.AWS = append(p.AWS, a)
				default:
					return nil, fmt.Errorf("AWS %q is neither an account id, an ARN nor \"*\"", a)
				}
			}
		case "Service", "Federated", "CanonicalUser":
			for _, a := range values {
				p.Other = append(p.Other, k+":"+a)
			}
		default:
			return nil, fmt.Errorf("unknown principal type %q", k)
		}
	}
	return p, nil
}

// noVariables refuses policy variables (${aws:username}), which iamgate
// does not substitute: a resource or value holding one would never match as
// IAM matches it.
func noVariables(s string) error {
	if i := strings.Index(s, "${"); i >= 0 {
		end := strings.IndexByte(s[i:], '}')
		v := s[i:]
		if end >= 0 {
			v = s[i : i+end+1]
		}
		return fmt.Errorf("%q: policy variable %s is not supported (an unresolved template reference reads this way too)", s, v)
	}
	return nil
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
