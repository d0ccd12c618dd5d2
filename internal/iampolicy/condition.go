package iampolicy

import (
	"encoding/json"
	"fmt"
	"maps"
	"net"
	"slices"
	"strings"
)

// Condition is one operator, key and values of a statement's Condition:
// {"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}} is one.
type Condition struct {
	Operator string // as written: "ForAnyValue:StringLikeIfExists"
	Key      string // as written: "aws:PrincipalOrgID"
	Values   []string

	op       *operator
	set      string // "", "ForAnyValue", "ForAllValues"
	ifExists bool
	key      string // lower case
	nets     []*net.IPNet
}

// valueType is what a condition key holds and an operator compares.
type valueType int

const (
	typeString valueType = iota
	typeArn
	typeIP
	typeBool
	typeAny // Null takes any key
)

func (t valueType) String() string {
	return [...]string{"strings", "ARNs", "IP addresses", "booleans", "anything"}[t]
}

type operator struct {
	typ     valueType
	negated bool // StringNotEquals, ArnNotLike, NotIpAddress, ...
	// match says whether a request value matches one policy value (for a
	// negated operator: the positive match, which the operator negates).
	match func(c *Condition, i int, policy, request string) bool
}

var operators = map[string]*operator{
	"StringEquals":              {typ: typeString, match: func(_ *Condition, _ int, p, r string) bool { return p == r }},
	"StringNotEquals":           {typ: typeString, negated: true, match: func(_ *Condition, _ int, p, r string) bool { return p == r }},
	"StringEqualsIgnoreCase":    {typ: typeString, match: func(_ *Condition, _ int, p, r string) bool { return strings.EqualFold(p, r) }},
	"StringNotEqualsIgnoreCase": {typ: typeString, negated: true, match: func(_ *Condition, _ int, p, r string) bool { return strings.EqualFold(p, r) }},
	"StringLike":                {typ: typeString, match: func(_ *Condition, _ int, p, r string) bool { return glob(p, r, false) }},
	"StringNotLike":             {typ: typeString, negated: true, match: func(_ *Condition, _ int, p, r string) bool { return glob(p, r, false) }},
	// ArnEquals and ArnLike are one operator in IAM, as are their negations.
	"ArnEquals":    {typ: typeArn, match: func(_ *Condition, _ int, p, r string) bool { return arnLike(p, r) }},
	"ArnLike":      {typ: typeArn, match: func(_ *Condition, _ int, p, r string) bool { return arnLike(p, r) }},
	"ArnNotEquals": {typ: typeArn, negated: true, match: func(_ *Condition, _ int, p, r string) bool { return arnLike(p, r) }},
	"ArnNotLike":   {typ: typeArn, negated: true, match: func(_ *Condition, _ int, p, r string) bool { return arnLike(p, r) }},
	"IpAddress":    {typ: typeIP, match: ipMatch},
	"NotIpAddress": {typ: typeIP, negated: true, match: ipMatch},
	"Bool":         {typ: typeBool, match: func(_ *Condition, _ int, p, r string) bool { return strings.EqualFold(p, r) }},
	"Null":         {typ: typeAny},
}

// unevaluated are IAM's condition operators ("Condition operators", IAM
// JSON policy reference: the numeric, date and binary ones) that iamgate
// does not evaluate: Parse refuses them as it refuses an unknown operator,
// but names them as IAM's, so that a user does not look for a typo.
var unevaluated = map[string]bool{
	"NumericEquals": true, "NumericNotEquals": true, "NumericLessThan": true, "NumericLessThanEquals": true,
	"NumericGreaterThan": true, "NumericGreaterThanEquals": true,
	"DateEquals": true, "DateNotEquals": true, "DateLessThan": true, "DateLessThanEquals": true,
	"DateGreaterThan": true, "DateGreaterThanEquals": true,
	"BinaryEquals": true,
}

// keys are the condition keys iamgate knows, by lower-case name (IAM's key
// names are case-insensitive), with the canonical name and what they hold.
var keys = map[string]struct {
	name string
	typ  valueType
}{
	"aws:principalorgid":   {"aws:PrincipalOrgID", typeString},
	"aws:principalaccount": {"aws:PrincipalAccount", typeString},
	"aws:principalarn":     {"aws:PrincipalArn", typeArn},
	"aws:sourceip":         {"aws:SourceIp", typeIP},
	"aws:sourcevpce":       {"aws:SourceVpce", typeString},
	"aws:vpcsourceip":      {"aws:VpcSourceIp", typeIP},
	"aws:userid":           {"aws:userid", typeString},
	"aws:username":         {"aws:username", typeString},
	"aws:securetransport":  {"aws:SecureTransport", typeBool},
}

// KnownKeys lists the condition keys Parse accepts, in their canonical
// spelling.
func KnownKeys() []string {
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		out = append(out, k.name)
	}
	sortStrings(out)
	return out
}

func parseConditions(v any, version string) ([]*Condition, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("Condition is not an object")
	}
	var out []*Condition
	for _, opName := range slices.Sorted(maps.Keys(m)) {
		km, ok := m[opName].(map[string]any)
		if !ok {
			return nil, fmt.Errorf("Condition %s is not an object of keys", opName)
		}
		for _, key := range slices.Sorted(maps.Keys(km)) {
			c, err := parseCondition(opName, key, km[key], version)
			if err != nil {
				return nil, fmt.Errorf("Condition %s %s: %v", opName, key, err)
			}
			out = append(out, c)
		}
	}
	return out, nil
}

func parseCondition(opName, key string, v any, version string) (*Condition, error) {
	c := &Condition{Operator: opName, Key: key}
	base := opName
	if set, rest, ok := strings.Cut(base, ":"); ok {
		if set != "ForAnyValue" && set != "ForAllValues" {
			return nil, fmt.Errorf("unknown set operator %q (ForAnyValue, ForAllValues)", set)
		}
		c.set, base = set, rest
	}
	if b, ok := strings.CutSuffix(base, "IfExists"); ok && b != "Null" {
		c.ifExists, base = true, b
	}
	c.op = operators[base]
	if c.op == nil {
		if unevaluated[base] {
			return nil, fmt.Errorf("IAM's condition operator %q is not evaluated by iamgate (it evaluates %s)", opName, strings.Join(operatorNames(), ", "))
		}
		return nil, fmt.Errorf("unknown condition operator %q (iamgate evaluates %s)", opName, strings.Join(operatorNames(), ", "))
	}
	if c.set != "" && c.op.typ != typeString && c.op.typ != typeArn {
		return nil, fmt.Errorf("%s applies to string and ARN operators, not %s", c.set, base)
	}
	k, ok := keys[strings.ToLower(key)]
	if !ok {
		return nil, fmt.Errorf("unknown condition key (iamgate evaluates %s)", strings.Join(KnownKeys(), ", "))
	}
	c.key = strings.ToLower(key)
	switch {
	case c.op.typ == typeAny, c.op.typ == k.typ, c.op.typ == typeString && k.typ == typeArn:
	default:
		return nil, fmt.Errorf("%s holds %s, which %s does not compare", k.name, k.typ, base)
	}
	values, err := conditionValues(v)
	if err != nil {
		return nil, err
	}
	c.Values = values
	for _, s := range values {
		if version == "2012-10-17" {
			if err := noVariables(s); err != nil {
				return nil, err
			}
		}
		switch c.op.typ {
		case typeBool, typeAny:
			if !strings.EqualFold(s, "true") && !strings.EqualFold(s, "false") {
				return nil, fmt.Errorf("%q is neither true nor false", s)
			}
		case typeIP:
			n, err := parseNet(s)
			if err != nil {
				return nil, err
			}
			c.nets = append(c.nets, n)
		}
	}
	return c, nil
}

func operatorNames() []string {
	out := make([]string, 0, len(operators))
	for n := range operators {
		out = append(out, n)
	}
	sortStrings(out)
	return out
}

// conditionValues reads a condition's value: a string, a number or a
// boolean, or a list of them.
func conditionValues(v any) ([]string, error) {
	one := func(x any) (string, error) {
		switch x := x.(type) {
		case string:
			return x, nil
		case bool:
			return fmt.Sprint(x), nil
		case json.Number:
			return x.String(), nil
		case float64:
			return fmt.Sprint(x), nil
		}
		return "", fmt.Errorf("value %v is not a string, a number or a boolean", x)
	}
	if list, ok := v.([]any); ok {
		if len(list) == 0 {
			return nil, fmt.Errorf("an empty list of values")
		}
		out := make([]string, len(list))
		for i, x := range list {
			s, err := one(x)
			if err != nil {
				return nil, err
			}
			out[i] = s
		}
		return out, nil
	}
	s, err := one(v)
	if err != nil {
		return nil, err
	}
	return []string{s}, nil
}

func parseNet(s string) (*net.IPNet, error) {
	if !strings.Contains(s, "/") {
		ip := net.ParseIP(s)
		if ip == nil {
			return nil, fmt.Errorf("%q is not an IP address or CIDR block", s)
		}
		bits := 128
		if ip.To4() != nil {
			ip, bits = ip.To4(), 32
		}
		return &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)}, nil
	}
	_, n, err := net.ParseCIDR(s)
	if err != nil {
		return nil, fmt.Errorf("%q is not an IP address or CIDR block", s)
	}
	return n, nil
}

func ipMatch(c *Condition, i int, _, request string) bool {
	ip := net.ParseIP(request)
	return ip != nil && c.nets[i].Contains(ip)
}

// holds evaluates the condition on the request's values of its key (nil
// when the request has no such key), as IAM does:
//   - a missing key fails the condition, but for negated operators, which
//     hold, and ...IfExists, which holds;
//   - several policy values are ORed (NORed for a negated operator);
//   - ForAnyValue holds when at least one request value matches (not when
//     the key is missing), ForAllValues when every one does (also when the
//     key is missing);
//   - Null:true holds when the key is missing, Null:false when present.
func (c *Condition) holds(values []string) bool {
	if c.op.typ == typeAny { // Null
		for _, v := range c.Values {
			if strings.EqualFold(v, "true") == (len(values) == 0) {
				return true
			}
		}
		return false
	}
	if len(values) == 0 {
		switch {
		case c.ifExists:
			return true
		case c.set == "ForAllValues":
			return true
		case c.set == "ForAnyValue":
			return false
		}
		return c.op.negated
	}
	one := func(v string) bool {
		for i, p := range c.Values {
			if c.op.match(c, i, p, v) {
				return !c.op.negated
			}
		}
		return c.op.negated
	}
	switch c.set {
	case "ForAllValues":
		for _, v := range values {
			if !one(v) {
				return false
			}
		}
		return true
	case "ForAnyValue":
		for _, v := range values {
			if one(v) {
				return true
			}
		}
		return false
	}
	// A single-valued key: its one value. (A request with several values
	// for a single-valued key does not happen; all must pass.)
	for _, v := range values {
		if !one(v) {
			return false
		}
	}
	return true
}

// String prints the condition as in a policy: StringNotEquals
// aws:PrincipalOrgID ["o-a1b2c3d4e5"].
func (c *Condition) String() string {
	raw, _ := json.Marshal(c.Values)
	return c.Operator + " " + c.Key + " " + string(raw)
}
