package iampolicy

import "testing"

// An anonymous caller (a method with AuthorizationType NONE) is decided by
// the resource policy alone: only Principal "*" names it, conditions on
// the request apply, and the keys about a principal are missing.
func TestAnonymous(t *testing.T) {
	anon := func(ctx map[string][]string) Request {
		return Request{Action: "execute-api:Invoke", Resource: orders, Anonymous: true, Context: ctx}
	}
	fromIP := func(ip string) map[string][]string { return map[string][]string{"aws:SourceIp": {ip}} }
	allowRange := `"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`
	denyOutsideOrg := `"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}`
	denyUnlessVpce := `"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"*","Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-0123"}}`
	two := func(a, b string) string { return `{"Version":"2012-10-17","Statement":[{` + a + `},{` + b + `}]}` }
	runEval(t, []evalCase{
		{name: "Principal * allows", resource: stmt(resAllowAny), req: anon(nil), want: "allow", by: []string{"res#0"}},
		{name: `{"AWS":"*"} allows`, resource: stmt(`"Effect":"Allow","Principal":{"AWS":"*"},"Action":"execute-api:Invoke","Resource":"*"`), req: anon(nil), want: "allow"},
		{name: "no resource policy: implicit deny", req: anon(nil), want: "implicit"},
		{name: "identity policies never apply", identity: []string{stmt(allowOrders)}, req: anon(nil), want: "implicit"},
		{name: "a statement naming an account does not name it", resource: stmt(`"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"execute-api:Invoke","Resource":"*"`), req: anon(nil), want: "implicit"},
		{name: "a statement naming a role does not name it", resource: stmt(`"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/Reader"},"Action":"execute-api:Invoke","Resource":"*"`), req: anon(nil), want: "implicit"},
		{name: "a Deny naming an account does not apply", resource: two(resAllowAny, `"Effect":"Deny","Principal":{"AWS":"111122223333"},"Action":"execute-api:Invoke","Resource":"*"`), req: anon(nil), want: "allow"},
		{name: "NotPrincipal names it", resource: stmt(`"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:role/Reader"},"Action":"execute-api:Invoke","Resource":"*"`), req: anon(nil), want: "deny"},
		{name: "explicit Deny wins", resource: two(resAllowAny, resDenyAny), req: anon(nil), want: "deny", by: []string{"res#1"}},
		{name: "another resource: implicit deny", resource: stmt(resAllowOther), req: anon(nil), want: "implicit"},
		{name: "source IP in range", resource: stmt(allowRange), req: anon(fromIP("203.0.113.9")), want: "allow"},
		{name: "source IP out of range", resource: stmt(allowRange), req: anon(fromIP("198.51.100.1")), want: "implicit"},
		{name: "source IP missing", resource: stmt(allowRange), req: anon(nil), want: "implicit"},
		{name: "Deny unless org: the org is missing, so StringNotEquals holds", resource: two(resAllowAny, denyOutsideOrg), req: anon(nil), want: "deny", by: []string{"res#1"}},
		{name: "Deny unless org: principal keys in Context are ignored", resource: two(resAllowAny, denyOutsideOrg),
			req: anon(map[string][]string{"aws:PrincipalOrgID": {"o-a1b2c3d4e5"}}), want: "deny"},
		{name: "Deny unless VPC endpoint: from it", resource: two(resAllowAny, denyUnlessVpce), req: anon(map[string][]string{"aws:SourceVpce": {"vpce-0123"}}), want: "allow"},
		{name: "Deny unless VPC endpoint: not from it", resource: two(resAllowAny, denyUnlessVpce), req: anon(nil), want: "deny"},
		{name: "Null on a principal key holds", resource: stmt(`"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"*","Condition":{"Null":{"aws:PrincipalArn":"true","aws:userid":"true","aws:username":"true","aws:PrincipalAccount":"true"}}`), req: anon(nil), want: "allow"},
		{name: "Caller is ignored", resource: stmt(`"Effect":"Allow","Principal":{"AWS":"` + alice + `"},"Action":"execute-api:Invoke","Resource":"*"`),
			req: Request{Action: "execute-api:Invoke", Resource: orders, Caller: alice, Anonymous: true}, want: "implicit"},
	})
}
