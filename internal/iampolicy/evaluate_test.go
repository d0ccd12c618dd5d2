package iampolicy

import (
	"fmt"
	"strings"
	"testing"
)

const (
	apiAccount   = "111122223333"
	otherAccount = "444455556666"
	orders       = "arn:aws:execute-api:us-east-1:111122223333:abc123/prod/GET/orders/42"
	alice        = "arn:aws:iam::111122223333:user/alice"
	reader       = "arn:aws:sts::111122223333:assumed-role/Reader/session-1"
	partner      = "arn:aws:sts::444455556666:assumed-role/Partner/s"
)

func mustParse(t *testing.T, kind Kind, name, doc string) *Policy {
	t.Helper()
	p, err := Parse(kind, name, []byte(doc))
	if err != nil {
		t.Fatalf("Parse %s: %v", name, err)
	}
	return p
}

// stmt is a policy of one statement.
func stmt(body string) string {
	return `{"Version":"2012-10-17","Statement":{` + body + `}}`
}

func invoke(caller string, ctx map[string][]string) Request {
	return Request{Action: "execute-api:Invoke", Resource: orders, Caller: caller, Context: ctx}
}

type evalCase struct {
	name     string
	identity []string // policy documents
	resource string   // "" for none
	req      Request
	// want is "allow", "deny" (explicit) or "implicit"; by lists the
	// deciding statements as "policy#index".
	want string
	by   []string
}

func runEval(t *testing.T, cases []evalCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var ids []*Policy
			for i, doc := range c.identity {
				ids = append(ids, mustParse(t, Identity, fmt.Sprintf("id%d", i), doc))
			}
			var res *Policy
			if c.resource != "" {
				res = mustParse(t, Resource, "res", c.resource)
			}
			d := Evaluate(c.req, ids, res)
			got := "implicit"
			switch {
			case d.Allowed:
				got = "allow"
			case d.ExplicitDeny:
				got = "deny"
			}
			if got != c.want {
				t.Fatalf("got %s, want %s (%s)", got, c.want, d.Reason)
			}
			var by []string
			for _, m := range d.By {
				by = append(by, fmt.Sprintf("%s#%d", m.Policy, m.Index))
			}
			if c.by != nil && strings.Join(by, ",") != strings.Join(c.by, ",") {
				t.Errorf("decided by %v, want %v (%s)", by, c.by, d.Reason)
			}
		})
	}
}

const (
	allowOrders   = `"Effect":"Allow","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:111122223333:abc123/prod/GET/orders/*"`
	denyOrders    = `"Effect":"Deny","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:111122223333:abc123/*"`
	allowElse     = `"Effect":"Allow","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:111122223333:abc123/prod/POST/orders"`
	resAllowAny   = `"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:111122223333:abc123/*"`
	resDenyAny    = `"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:111122223333:abc123/*"`
	resAllowOther = `"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:111122223333:abc123/prod/DELETE/*"`
)

// TestCrossAccountTable is the table of the API Gateway developer guide
// ("How API Gateway resource policies affect authorization workflow"),
// IAM authorization: identity policy Allow / neither / Deny × resource
// policy Allow / neither / Deny, in the API's account and across accounts.
func TestCrossAccountTable(t *testing.T) {
	identity := map[string]string{"allow": stmt(allowOrders), "neither": stmt(allowElse), "deny": stmt(denyOrders)}
	resource := map[string]string{"allow": stmt(resAllowAny), "neither": stmt(resAllowOther), "deny": stmt(resDenyAny)}
	want := map[string]string{ // identity/resource/account -> outcome
		"allow/allow/same": "allow", "allow/neither/same": "allow", "allow/deny/same": "deny",
		"neither/allow/same": "allow", "neither/neither/same": "implicit", "neither/deny/same": "deny",
		"deny/allow/same": "deny", "deny/neither/same": "deny", "deny/deny/same": "deny",
		"allow/allow/cross": "allow", "allow/neither/cross": "implicit", "allow/deny/cross": "deny",
		"neither/allow/cross": "implicit", "neither/neither/cross": "implicit", "neither/deny/cross": "deny",
		"deny/allow/cross": "deny", "deny/neither/cross": "deny", "deny/deny/cross": "deny",
	}
	var cases []evalCase
	for _, acct := range []string{"same", "cross"} {
		for _, id := range []string{"allow", "neither", "deny"} {
			for _, res := range []string{"allow", "neither", "deny"} {
				caller := reader
				if acct == "cross" {
					caller = partner
				}
				cases = append(cases, evalCase{
					name:     id + "/" + res + "/" + acct,
					identity: []string{identity[id]}, resource: resource[res],
					req: invoke(caller, nil), want: want[id+"/"+res+"/"+acct],
				})
			}
		}
	}
	runEval(t, cases)
}

func TestEvaluationLogic(t *testing.T) {
	runEval(t, []evalCase{
		{name: "no policy at all is an implicit deny", req: invoke(alice, nil), want: "implicit"},
		{name: "an Allow of the identity policy", identity: []string{stmt(allowOrders)}, req: invoke(alice, nil), want: "allow", by: []string{"id0#0"}},
		{name: "explicit Deny wins over an Allow of the same policy",
			identity: []string{`{"Version":"2012-10-17","Statement":[{` + allowOrders + `},{` + denyOrders + `}]}`},
			req:      invoke(alice, nil), want: "deny", by: []string{"id0#1"}},
		{name: "explicit Deny of another identity policy wins",
			identity: []string{stmt(allowOrders), stmt(denyOrders)}, req: invoke(alice, nil), want: "deny", by: []string{"id1#0"}},
		{name: "explicit Deny of the resource policy wins over the identity Allow",
			identity: []string{stmt(allowOrders)}, resource: stmt(resDenyAny), req: invoke(alice, nil), want: "deny", by: []string{"res#0"}},
		{name: "both allow in one account: both reported",
			identity: []string{stmt(allowOrders)}, resource: stmt(resAllowAny), req: invoke(alice, nil), want: "allow", by: []string{"id0#0", "res#0"}},
		{name: "an Allow for another action does not allow",
			identity: []string{stmt(`"Effect":"Allow","Action":"execute-api:ManageConnections","Resource":"*"`)}, req: invoke(alice, nil), want: "implicit"},
		{name: "actions match without case", identity: []string{stmt(`"Effect":"Allow","Action":"Execute-API:invoke","Resource":"*"`)}, req: invoke(alice, nil), want: "allow"},
		{name: "action wildcard *", identity: []string{stmt(`"Effect":"Allow","Action":"execute-api:*","Resource":"*"`)}, req: invoke(alice, nil), want: "allow"},
		{name: "action wildcard ?", identity: []string{stmt(`"Effect":"Allow","Action":"execute-api:Invok?","Resource":"*"`)}, req: invoke(alice, nil), want: "allow"},
		{name: "action list", identity: []string{stmt(`"Effect":"Allow","Action":["s3:GetObject","execute-api:Invoke"],"Resource":"*"`)}, req: invoke(alice, nil), want: "allow"},
		{name: "NotAction that does not name the action allows", identity: []string{stmt(`"Effect":"Allow","NotAction":"s3:*","Resource":"*"`)}, req: invoke(alice, nil), want: "allow"},
		{name: "NotAction that names the action does not", identity: []string{stmt(`"Effect":"Allow","NotAction":"execute-api:*","Resource":"*"`)}, req: invoke(alice, nil), want: "implicit"},
		{name: "resource wildcard * spans path segments",
			identity: []string{stmt(`"Effect":"Allow","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:*:111122223333:abc123/*"`)}, req: invoke(alice, nil), want: "allow"},
		{name: "resource wildcard ? is one character",
			identity: []string{stmt(`"Effect":"Allow","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:111122223333:abc123/prod/GET/orders/4?"`)}, req: invoke(alice, nil), want: "allow"},
		{name: "resource wildcard ? is not two",
			identity: []string{stmt(`"Effect":"Allow","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:111122223333:abc123/prod/GET/orders/?"`)}, req: invoke(alice, nil), want: "implicit"},
		{name: "resources match with case",
			identity: []string{stmt(`"Effect":"Allow","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:111122223333:abc123/prod/get/orders/*"`)}, req: invoke(alice, nil), want: "implicit"},
		{name: "another verb's ARN does not match",
			identity: []string{stmt(allowElse)}, req: invoke(alice, nil), want: "implicit"},
		{name: "NotResource that does not name the resource allows",
			identity: []string{stmt(`"Effect":"Allow","Action":"execute-api:Invoke","NotResource":"arn:aws:execute-api:*:*:abc123/prod/POST/*"`)}, req: invoke(alice, nil), want: "allow"},
		{name: "Deny with NotResource denies what it does not name",
			identity: []string{stmt(allowOrders), stmt(`"Effect":"Deny","Action":"execute-api:Invoke","NotResource":"arn:aws:execute-api:*:*:abc123/prod/POST/*"`)}, req: invoke(alice, nil), want: "deny"},
		{name: "the account root is allowed in its own account",
			req: invoke("arn:aws:iam::111122223333:root", nil), want: "allow"},
		{name: "the account root is denied explicitly",
			resource: stmt(resDenyAny), req: invoke("arn:aws:iam::111122223333:root", nil), want: "deny"},
	})
}

func TestPrincipals(t *testing.T) {
	res := func(principal string) string {
		return stmt(`"Effect":"Allow","Principal":` + principal + `,"Action":"execute-api:Invoke","Resource":"` + orders + `"`)
	}
	runEval(t, []evalCase{
		{name: "the caller's user ARN", resource: res(`{"AWS":"` + alice + `"}`), req: invoke(alice, nil), want: "allow", by: []string{"res#0"}},
		{name: "another user's ARN", resource: res(`{"AWS":"arn:aws:iam::111122223333:user/bob"}`), req: invoke(alice, nil), want: "implicit"},
		{name: "the role of an assumed-role session", resource: res(`{"AWS":"arn:aws:iam::111122223333:role/Reader"}`), req: invoke(reader, nil), want: "allow"},
		{name: "the role with a path", resource: res(`{"AWS":"arn:aws:iam::111122223333:role/team/Reader"}`), req: invoke(reader, nil), want: "allow"},
		{name: "the session ARN itself", resource: res(`{"AWS":"` + reader + `"}`), req: invoke(reader, nil), want: "allow"},
		{name: "AWS * names everyone", resource: res(`{"AWS":"*"}`), req: invoke(alice, nil), want: "allow"},
		{name: "the account (id) delegates to identity policies in the same account", resource: res(`{"AWS":"111122223333"}`), req: invoke(alice, nil), want: "implicit"},
		{name: "the account (root ARN) delegates to identity policies in the same account", resource: res(`{"AWS":"arn:aws:iam::111122223333:root"}`), req: invoke(alice, nil), want: "implicit"},
		{name: "the account plus an identity Allow in the same account", identity: []string{stmt(allowOrders)}, resource: res(`{"AWS":"111122223333"}`), req: invoke(alice, nil), want: "allow"},
		{name: "the other account plus an identity Allow across accounts", identity: []string{stmt(allowOrders)},
			resource: res(`{"AWS":"arn:aws:iam::444455556666:root"}`), req: invoke(partner, nil), want: "allow", by: []string{"id0#0", "res#0"}},
		{name: "a third account's principal does not allow across accounts", identity: []string{stmt(allowOrders)},
			resource: res(`{"AWS":"777788889999"}`), req: invoke(partner, nil), want: "implicit"},
		{name: "a service principal is no caller", resource: res(`{"Service":"apigateway.amazonaws.com"}`), req: invoke(alice, nil), want: "implicit"},
		{name: "NotPrincipal that does not name the caller", resource: `{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:user/bob"},"Action":"*","Resource":"*"}}`,
			identity: []string{stmt(allowOrders)}, req: invoke(alice, nil), want: "deny"},
		// NotPrincipal exempts a caller whose whole chain it lists: the
		// account, then the user, or the role and the session (IAM's
		// NotPrincipal reference).
		{name: "NotPrincipal that names the caller and its account", resource: notPrincipal(alice, "arn:aws:iam::111122223333:root"),
			identity: []string{stmt(allowOrders)}, req: invoke(alice, nil), want: "allow"},
		{name: "NotPrincipal that names the caller without its account", resource: notPrincipal(alice),
			identity: []string{stmt(allowOrders)}, req: invoke(alice, nil), want: "deny"},
		{name: "NotPrincipal that names another user and the account", resource: notPrincipal("arn:aws:iam::111122223333:user/bob", "111122223333"),
			identity: []string{stmt(allowOrders)}, req: invoke(alice, nil), want: "deny"},
		{name: "NotPrincipal that names a session's role and account, not the session", resource: notPrincipal("arn:aws:iam::111122223333:role/Reader", "111122223333"),
			identity: []string{stmt(allowOrders)}, req: invoke(reader, nil), want: "deny"},
		{name: "NotPrincipal that names a session, its role and its account", resource: notPrincipal(reader, "arn:aws:iam::111122223333:role/team/Reader", "111122223333"),
			identity: []string{stmt(allowOrders)}, req: invoke(reader, nil), want: "allow"},
		{name: "NotPrincipal that names the account exempts its root", resource: notPrincipal("111122223333"),
			req: invoke("arn:aws:iam::111122223333:root", nil), want: "allow"},
		// A session's ARN has no path: the request gives its role's ARN.
		{name: "a Deny on the role's path, with the role's ARN given", resource: `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/team/*"}}}}`,
			identity: []string{stmt(allowOrders)}, req: invoke(reader, map[string][]string{"aws:PrincipalArn": {"arn:aws:iam::111122223333:role/team/Reader"}}), want: "deny"},
		{name: "an Allow of the role with its path, with the role's ARN given", resource: res(`{"AWS":"arn:aws:iam::111122223333:role/team/Reader"}`),
			req: invoke(reader, map[string][]string{"aws:PrincipalArn": {"arn:aws:iam::111122223333:role/team/Reader"}}), want: "allow"},
		{name: "NotPrincipal * exempts everyone", resource: `{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotPrincipal":"*","Action":"*","Resource":"*"}}`,
			identity: []string{stmt(allowOrders)}, req: invoke(alice, nil), want: "allow"},
		// The account root has every permission in its own account: across
		// accounts the resource policy's Allow is what it needs.
		{name: "another account's root allowed by the resource policy", resource: res(`{"AWS":"444455556666"}`),
			req: invoke("arn:aws:iam::444455556666:root", nil), want: "allow"},
		{name: "another account's user allowed by the resource policy alone", resource: res(`{"AWS":"444455556666"}`),
			req: invoke(partner, nil), want: "implicit"},
		{name: "a Deny naming the account denies its users", resource: `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":{"AWS":"444455556666"},"Action":"*","Resource":"*"}}`,
			identity: []string{stmt(allowOrders)}, req: invoke(partner, nil), want: "deny"},
	})
}

// notPrincipal is a resource policy that denies everything to everyone but
// the principals listed in its NotPrincipal.
func notPrincipal(principals ...string) string {
	return `{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotPrincipal":{"AWS":["` + strings.Join(principals, `","`) + `"]},"Action":"*","Resource":"*"}}`
}

func TestConditions(t *testing.T) {
	org := map[string][]string{"aws:PrincipalOrgID": {"o-a1b2c3d4e5"}}
	otherOrg := map[string][]string{"aws:PrincipalOrgID": {"o-zzzzzzzzzz"}}
	cond := func(c string) []string {
		return []string{stmt(`"Effect":"Allow","Action":"execute-api:Invoke","Resource":"*","Condition":` + c)}
	}
	denyOutsideOrg := `{"Version":"2012-10-17","Statement":[{"Sid":"DenyOutsideOrg","Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"*",
		"Condition":{"StringNotEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}]}`
	ip := func(addr string) map[string][]string { return map[string][]string{"aws:SourceIp": {addr}} }
	runEval(t, []evalCase{
		{name: "StringEquals holds", identity: cond(`{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}`), req: invoke(alice, org), want: "allow"},
		{name: "StringEquals fails", identity: cond(`{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}`), req: invoke(alice, otherOrg), want: "implicit"},
		{name: "StringEquals on a missing key fails", identity: cond(`{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}`), req: invoke(alice, nil), want: "implicit"},
		{name: "StringEquals is case-sensitive", identity: cond(`{"StringEquals":{"aws:PrincipalOrgID":"O-A1B2C3D4E5"}}`), req: invoke(alice, org), want: "implicit"},
		{name: "key names are case-insensitive", identity: cond(`{"StringEquals":{"AWS:PRINCIPALORGID":"o-a1b2c3d4e5"}}`), req: invoke(alice, org), want: "allow"},
		{name: "several values are ORed", identity: cond(`{"StringEquals":{"aws:PrincipalOrgID":["o-zzzzzzzzzz","o-a1b2c3d4e5"]}}`), req: invoke(alice, org), want: "allow"},
		{name: "StringEqualsIgnoreCase", identity: cond(`{"StringEqualsIgnoreCase":{"aws:PrincipalOrgID":"O-A1B2C3D4E5"}}`), req: invoke(alice, org), want: "allow"},
		{name: "Deny unless the organization: a member passes", identity: []string{stmt(allowOrders)}, resource: denyOutsideOrg, req: invoke(alice, org), want: "allow"},
		{name: "Deny unless the organization: another organization is denied", identity: []string{stmt(allowOrders)}, resource: denyOutsideOrg, req: invoke(alice, otherOrg), want: "deny", by: []string{"res#0"}},
		{name: "Deny unless the organization: no organization is denied (negated operator on a missing key holds)", identity: []string{stmt(allowOrders)}, resource: denyOutsideOrg, req: invoke(alice, nil), want: "deny"},
		{name: "negated values are NORed", identity: cond(`{"StringNotEquals":{"aws:PrincipalOrgID":["o-zzzzzzzzzz","o-a1b2c3d4e5"]}}`), req: invoke(alice, org), want: "implicit"},
		{name: "StringNotEquals holds for another value", identity: cond(`{"StringNotEquals":{"aws:PrincipalOrgID":"o-zzzzzzzzzz"}}`), req: invoke(alice, org), want: "allow"},
		{name: "StringLike with * and ?", identity: cond(`{"StringLike":{"aws:userid":"AROA?EXAMPLE:*"}}`), req: invoke(reader, map[string][]string{"aws:userid": {"AROAXEXAMPLE:session-1"}}), want: "allow"},
		{name: "StringLike fails", identity: cond(`{"StringLike":{"aws:userid":"AIDA*"}}`), req: invoke(reader, map[string][]string{"aws:userid": {"AROAXEXAMPLE:session-1"}}), want: "implicit"},
		{name: "StringNotLike", identity: cond(`{"StringNotLike":{"aws:userid":"AIDA*"}}`), req: invoke(reader, map[string][]string{"aws:userid": {"AROAXEXAMPLE:session-1"}}), want: "allow"},
		{name: "aws:username of a user", identity: cond(`{"StringEquals":{"aws:username":"alice"}}`), req: invoke(alice, nil), want: "allow"},
		{name: "a role session has no aws:username", identity: cond(`{"StringEquals":{"aws:username":"Reader"}}`), req: invoke(reader, nil), want: "implicit"},
		{name: "aws:PrincipalAccount from the caller", identity: cond(`{"StringEquals":{"aws:PrincipalAccount":"111122223333"}}`), req: invoke(alice, nil), want: "allow"},
		{name: "ArnLike on aws:PrincipalArn of a session (the role)", identity: cond(`{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/Read*"}}`), req: invoke(reader, nil), want: "allow"},
		{name: "ArnLike matches each part: * does not cross a colon", identity: cond(`{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*"}}`), req: invoke(reader, nil), want: "implicit"},
		{name: "ArnLike with a wildcard account", identity: cond(`{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/Reader"}}`), req: invoke(reader, nil), want: "allow"},
		{name: "ArnNotLike", identity: cond(`{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:user/*"}}`), req: invoke(reader, nil), want: "allow"},
		{name: "ArnNotLike fails", identity: cond(`{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/*"}}`), req: invoke(reader, nil), want: "implicit"},
		{name: "StringLike on an ARN key", identity: cond(`{"StringLike":{"aws:PrincipalArn":"*:role/Reader"}}`), req: invoke(reader, nil), want: "allow"},
		{name: "IpAddress in a CIDR block", identity: cond(`{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`), req: invoke(alice, ip("203.0.113.7")), want: "allow"},
		{name: "IpAddress outside", identity: cond(`{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`), req: invoke(alice, ip("198.51.100.7")), want: "implicit"},
		{name: "IpAddress single address", identity: cond(`{"IpAddress":{"aws:SourceIp":"127.0.0.1"}}`), req: invoke(alice, ip("127.0.0.1")), want: "allow"},
		{name: "IpAddress IPv6", identity: cond(`{"IpAddress":{"aws:SourceIp":"2001:db8::/32"}}`), req: invoke(alice, ip("2001:db8::1")), want: "allow"},
		{name: "NotIpAddress", identity: cond(`{"NotIpAddress":{"aws:SourceIp":["203.0.113.0/24","10.0.0.0/8"]}}`), req: invoke(alice, ip("198.51.100.7")), want: "allow"},
		{name: "NotIpAddress fails inside any block", identity: cond(`{"NotIpAddress":{"aws:SourceIp":["203.0.113.0/24","10.0.0.0/8"]}}`), req: invoke(alice, ip("10.1.2.3")), want: "implicit"},
		{name: "Bool", identity: cond(`{"Bool":{"aws:SecureTransport":"true"}}`), req: invoke(alice, map[string][]string{"aws:SecureTransport": {"true"}}), want: "allow"},
		{name: "Bool with a JSON boolean", identity: cond(`{"Bool":{"aws:SecureTransport":false}}`), req: invoke(alice, map[string][]string{"aws:SecureTransport": {"true"}}), want: "implicit"},
		{name: "IfExists on a missing key holds", identity: cond(`{"StringEqualsIfExists":{"aws:SourceVpce":"vpce-1a2b3c4d"}}`), req: invoke(alice, nil), want: "allow"},
		{name: "IfExists on a present key compares", identity: cond(`{"StringEqualsIfExists":{"aws:SourceVpce":"vpce-1a2b3c4d"}}`), req: invoke(alice, map[string][]string{"aws:SourceVpce": {"vpce-99999999"}}), want: "implicit"},
		{name: "IpAddressIfExists on a missing key holds", identity: cond(`{"IpAddressIfExists":{"aws:SourceIp":"10.0.0.0/8"}}`), req: invoke(alice, nil), want: "allow"},
		{name: "ForAnyValue on a missing key fails", identity: cond(`{"ForAnyValue:StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}`), req: invoke(alice, nil), want: "implicit"},
		{name: "ForAnyValue with one value matching", identity: cond(`{"ForAnyValue:StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}`), req: invoke(alice, org), want: "allow"},
		{name: "ForAllValues on a missing key holds", identity: cond(`{"ForAllValues:StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}`), req: invoke(alice, nil), want: "allow"},
		{name: "ForAllValues with a value outside fails", identity: cond(`{"ForAllValues:StringLike":{"aws:PrincipalOrgID":"o-a*"}}`), req: invoke(alice, otherOrg), want: "implicit"},
		{name: "ForAnyValue:StringNotEquals", identity: cond(`{"ForAnyValue:StringNotEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}`), req: invoke(alice, otherOrg), want: "allow"},
		{name: "keys of one operator are ANDed", identity: cond(`{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5","aws:PrincipalAccount":"999999999999"}}`), req: invoke(alice, org), want: "implicit"},
		{name: "operators are ANDed", identity: cond(`{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"},"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`), req: invoke(alice, map[string][]string{"aws:PrincipalOrgID": {"o-a1b2c3d4e5"}, "aws:SourceIp": {"10.0.0.1"}}), want: "allow"},
		{name: "operators are ANDed: one fails", identity: cond(`{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"},"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`), req: invoke(alice, map[string][]string{"aws:PrincipalOrgID": {"o-a1b2c3d4e5"}, "aws:SourceIp": {"192.0.2.1"}}), want: "implicit"},
		{name: "Null true on a missing key", identity: cond(`{"Null":{"aws:PrincipalOrgID":"true"}}`), req: invoke(alice, nil), want: "allow"},
		{name: "Null true on a present key", identity: cond(`{"Null":{"aws:PrincipalOrgID":"true"}}`), req: invoke(alice, org), want: "implicit"},
	})
}

func TestParseErrors(t *testing.T) {
	for _, c := range []struct {
		kind Kind
		doc  string
		want string
	}{
		{Identity, stmt(`"Effect":"Allow","Action":"execute-api:Invoke","Resource":"*","Condition":{"StringStartsWith":{"aws:userid":"A"}}`),
			`p: Statement[0]: Condition StringStartsWith aws:userid: unknown condition operator "StringStartsWith" (iamgate evaluates ArnEquals, ArnLike, ArnNotEquals, ArnNotLike, Bool, IpAddress, NotIpAddress, Null, StringEquals, StringEqualsIgnoreCase, StringLike, StringNotEquals, StringNotEqualsIgnoreCase, StringNotLike)`},
		// IAM's own operators that iamgate does not evaluate are named as such,
		// not as unknown (a user would look for a typo).
		{Identity, stmt(`"Effect":"Allow","Action":"execute-api:Invoke","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}`),
			`p: Statement[0]: Condition DateGreaterThan aws:CurrentTime: IAM's condition operator "DateGreaterThan" is not evaluated by iamgate (it evaluates ArnEquals, ArnLike, ArnNotEquals, ArnNotLike, Bool, IpAddress, NotIpAddress, Null, StringEquals, StringEqualsIgnoreCase, StringLike, StringNotEquals, StringNotEqualsIgnoreCase, StringNotLike)`},
		{Identity, stmt(`"Effect":"Allow","Action":"execute-api:Invoke","Resource":"*","Condition":{"ForAnyValue:NumericLessThanIfExists":{"aws:MultiFactorAuthAge":"3600"}}`),
			`p: Statement[0]: Condition ForAnyValue:NumericLessThanIfExists aws:MultiFactorAuthAge: IAM's condition operator "ForAnyValue:NumericLessThanIfExists" is not evaluated by iamgate (it evaluates ArnEquals, ArnLike, ArnNotEquals, ArnNotLike, Bool, IpAddress, NotIpAddress, Null, StringEquals, StringEqualsIgnoreCase, StringLike, StringNotEquals, StringNotEqualsIgnoreCase, StringNotLike)`},
		{Identity, stmt(`"Sid":"Tags","Effect":"Allow","Action":"execute-api:Invoke","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"a"}}`),
			`p: Statement[0] (Sid Tags): Condition StringEquals aws:PrincipalTag/team: unknown condition key (iamgate evaluates aws:PrincipalAccount, aws:PrincipalArn, aws:PrincipalOrgID, aws:SecureTransport, aws:SourceIp, aws:SourceVpce, aws:VpcSourceIp, aws:userid, aws:username)`},
		{Identity, stmt(`"Effect":"Allow","Action":"execute-api:Invoke","Resource":"*","Condition":{"ForSomeValues:StringEquals":{"aws:userid":"A"}}`),
			`p: Statement[0]: Condition ForSomeValues:StringEquals aws:userid: unknown set operator "ForSomeValues" (ForAnyValue, ForAllValues)`},
		{Identity, stmt(`"Effect":"Allow","Action":"execute-api:Invoke","Resource":"*","Condition":{"ForAnyValue:IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`),
			`p: Statement[0]: Condition ForAnyValue:IpAddress aws:SourceIp: ForAnyValue applies to string and ARN operators, not IpAddress`},
		{Identity, stmt(`"Effect":"Allow","Action":"execute-api:Invoke","Resource":"*","Condition":{"IpAddress":{"aws:userid":"10.0.0.0/8"}}`),
			`p: Statement[0]: Condition IpAddress aws:userid: aws:userid holds strings, which IpAddress does not compare`},
		{Identity, stmt(`"Effect":"Allow","Action":"execute-api:Invoke","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.300/8"}}`),
			`p: Statement[0]: Condition IpAddress aws:SourceIp: "10.0.0.300/8" is not an IP address or CIDR block`},
		{Identity, stmt(`"Effect":"Allow","Action":"execute-api:Invoke","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"yes"}}`),
			`p: Statement[0]: Condition Bool aws:SecureTransport: "yes" is neither true nor false`},
		{Identity, stmt(`"Effect":"Allow","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:1:${aws:username}/*"`),
			`p: Statement[0]: "arn:aws:execute-api:us-east-1:1:${aws:username}/*": policy variable ${aws:username} is not supported (an unresolved template reference reads this way too)`},
		{Identity, stmt(`"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"*"`),
			`p: Statement[0]: an identity policy names no Principal (the principal is who it is attached to)`},
		{Resource, stmt(`"Effect":"Allow","Action":"execute-api:Invoke","Resource":"*"`),
			`p: Statement[0]: a resource policy statement needs a Principal or NotPrincipal`},
		{Resource, stmt(`"Effect":"Allow","NotPrincipal":{"AWS":"111122223333"},"Action":"execute-api:Invoke","Resource":"*"`),
			`p: Statement[0]: NotPrincipal with "Effect": "Allow", which IAM does not support (NotPrincipal goes with Deny); name who is allowed in Principal`},
		{Resource, stmt(`"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::*:root"},"Action":"execute-api:Invoke","Resource":"*"`),
			`p: Statement[0]: Principal: AWS "arn:aws:iam::*:root": a principal takes no wildcard but "*" alone (use a condition on aws:PrincipalArn)`},
		{Identity, stmt(`"Effect":"allow","Action":"execute-api:Invoke","Resource":"*"`), `p: Statement[0]: Effect is allow, not Allow or Deny`},
		{Identity, stmt(`"Effect":"Allow","Action":"execute-api:Invoke","NotAction":"s3:*","Resource":"*"`), `p: Statement[0]: both Action and NotAction`},
		{Identity, stmt(`"Effect":"Allow","Action":"execute-api:Invoke"`), `p: Statement[0]: no Resource or NotResource`},
		{Identity, stmt(`"Effect":"Allow","Actions":"execute-api:Invoke","Resource":"*"`), `p: Statement[0]: unknown statement element "Actions"`},
		{Identity, stmt(`"Effect":"Allow","Action":"Invoke","Resource":"*"`), `p: Statement[0]: action "Invoke" is not service:action`},
		{Identity, `{"Version":"2020-01-01","Statement":[]}`, `p: Version 2020-01-01: IAM knows 2012-10-17 and 2008-10-17`},
		{Identity, `{"Statement":"x"}`, `p: Statement is an object or a list of objects`},
		{Resource, stmt(`"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"`), `p: Statement[0]: resource "execute-api:/*" is not an ARN`},
		{Identity, `[1]`, `p: a policy document is a JSON object`},
	} {
		_, err := Parse(c.kind, "p", []byte(c.doc))
		if err == nil || err.Error() != c.want {
			t.Errorf("Parse(%s)\n got %v\nwant %s", c.doc, err, c.want)
		}
	}
}

func TestParseForms(t *testing.T) {
	// A statement as an object and as a list, strings and lists, and a 2008
	// policy, where ${...} is literal.
	p := mustParse(t, Identity, "p", `{"Statement":{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"arn:${x}"}}`)
	if len(p.Statements) != 1 || p.Statements[0].Resource.Values[0] != "arn:${x}" {
		t.Errorf("got %+v", p.Statements[0])
	}
	p = mustParse(t, Resource, "p", `{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Deny","Principal":{"AWS":["111122223333","arn:aws:iam::444455556666:root"]},"NotAction":["s3:*"],"NotResource":"arn:aws:s3:::x"}]}`)
	s := p.Statements[0]
	if s.Sid != "A" || s.Effect != Deny || !s.Action.Not || !s.Resource.Not || len(s.Principal.AWS) != 2 {
		t.Errorf("got %+v %+v", s, s.Principal)
	}
}

func TestDecisionReasons(t *testing.T) {
	res := mustParse(t, Resource, "Api", `{"Version":"2012-10-17","Statement":[{"Sid":"DenyOutsideOrg","Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}]}`)
	id := mustParse(t, Identity, "ReaderPolicy", stmt(allowOrders))
	for _, c := range []struct {
		req  Request
		want string
	}{
		{invoke(alice, nil), `explicit deny by resource policy "Api" statement 0 (Sid DenyOutsideOrg)`},
		{invoke(alice, map[string][]string{"aws:PrincipalOrgID": {"o-a1b2c3d4e5"}}), `allowed by identity policy "ReaderPolicy" statement 0`},
		{invoke(partner, map[string][]string{"aws:PrincipalOrgID": {"o-a1b2c3d4e5"}}), `implicit deny: a cross-account call (caller account 444455556666, resource account 111122223333) needs both an identity policy and the resource policy to allow it; the resource policy does not allow it`},
		{Request{Action: "execute-api:Invoke", Resource: "arn:aws:execute-api:us-east-1:111122223333:abc123/prod/POST/orders", Caller: alice, Context: map[string][]string{"aws:PrincipalOrgID": {"o-a1b2c3d4e5"}}},
			`implicit deny: no statement allows the request`},
	} {
		if got := Evaluate(c.req, []*Policy{id}, res).Reason; got != c.want {
			t.Errorf("got  %s\nwant %s", got, c.want)
		}
	}
}

func TestGlob(t *testing.T) {
	for _, c := range []struct {
		p, s string
		want bool
	}{
		{"*", "", true}, {"*", "abc", true}, {"a*c", "abbbc", true}, {"a*c", "abbb", false},
		{"a?c", "abc", true}, {"a?c", "ac", false}, {"*b*", "abc", true}, {"**", "x", true},
		{"a*b*c", "aXbYbZc", true}, {"a*b*c", "aXbYbZ", false}, {"", "", true}, {"", "a", false},
	} {
		if got := glob(c.p, c.s, false); got != c.want {
			t.Errorf("glob(%q, %q) = %v", c.p, c.s, got)
		}
	}
}
