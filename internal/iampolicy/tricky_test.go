package iampolicy

import "testing"

// TestTrickyCases are cases users write, and ones that trip them up, each
// checked against IAM's documents (the policy elements reference: Resource
// wildcards, NotAction; the condition operators reference: StringEquals vs
// StringLike, Null, Bool and IfExists on a missing key, negated operators
// on a missing key, IpAddress with IPv6 blocks; the policy evaluation
// logic: a resource policy Allow naming a role, across accounts and in one
// account) and API Gateway's (the method ARN, whose root ends in "/", and
// whose path holds the request's actual values, never {proxy+}).
func TestTrickyCases(t *testing.T) {
	root := "arn:aws:execute-api:us-east-1:111122223333:abc123/prod/GET/"
	ordersNoSlash := "arn:aws:execute-api:us-east-1:111122223333:abc123/prod/GET/orders"
	r := func(caller, res string, ctx map[string][]string) Request {
		return Request{Action: "execute-api:Invoke", Resource: res, Caller: caller, Context: ctx}
	}
	allowRes := func(res string) []string {
		return []string{stmt(`"Effect":"Allow","Action":"execute-api:Invoke","Resource":"` + res + `"`)}
	}
	cond := func(c string) []string {
		return []string{stmt(`"Effect":"Allow","Action":"execute-api:Invoke","Resource":"*","Condition":` + c)}
	}
	runEval(t, []evalCase{
		{name: "*/GET/orders/* vs /orders", identity: allowRes("arn:aws:execute-api:us-east-1:111122223333:abc123/*/GET/orders/*"), req: r(alice, ordersNoSlash, nil), want: "implicit"},
		{name: "*/GET/orders/* vs /orders/42", identity: allowRes("arn:aws:execute-api:us-east-1:111122223333:abc123/*/GET/orders/*"), req: invoke(alice, nil), want: "allow"},
		{name: "*/*/* vs root", identity: allowRes("arn:aws:execute-api:us-east-1:111122223333:abc123/*/*/*"), req: r(alice, root, nil), want: "allow"},
		{name: "GET without / vs root", identity: allowRes("arn:aws:execute-api:us-east-1:111122223333:abc123/prod/GET"), req: r(alice, root, nil), want: "implicit"},
		{name: "GET/ vs root", identity: allowRes("arn:aws:execute-api:us-east-1:111122223333:abc123/prod/GET/"), req: r(alice, root, nil), want: "allow"},
		{name: "GET/ vs orders", identity: allowRes("arn:aws:execute-api:us-east-1:111122223333:abc123/prod/GET/"), req: invoke(alice, nil), want: "implicit"},
		{name: "{proxy+} literal", identity: allowRes("arn:aws:execute-api:us-east-1:111122223333:abc123/prod/GET/{proxy+}"), req: invoke(alice, nil), want: "implicit"},
		{name: "Deny NotAction Invoke does not deny Invoke", identity: []string{stmt(allowOrders), stmt(`"Effect":"Deny","NotAction":"execute-api:Invoke","Resource":"*"`)}, req: invoke(alice, nil), want: "allow"},
		{name: "StringEquals literal *", identity: cond(`{"StringEquals":{"aws:PrincipalOrgID":"o-*"}}`), req: invoke(alice, map[string][]string{"aws:PrincipalOrgID": {"o-a1b2c3d4e5"}}), want: "implicit"},
		{name: "StringLike *", identity: cond(`{"StringLike":{"aws:PrincipalOrgID":"o-*"}}`), req: invoke(alice, map[string][]string{"aws:PrincipalOrgID": {"o-a1b2c3d4e5"}}), want: "allow"},
		{name: "Null false present", identity: cond(`{"Null":{"aws:PrincipalOrgID":"false"}}`), req: invoke(alice, map[string][]string{"aws:PrincipalOrgID": {"o-a1b2c3d4e5"}}), want: "allow"},
		{name: "Null false missing", identity: cond(`{"Null":{"aws:PrincipalOrgID":"false"}}`), req: invoke(alice, nil), want: "implicit"},
		{name: "Bool missing", identity: cond(`{"Bool":{"aws:SecureTransport":"true"}}`), req: invoke(alice, nil), want: "implicit"},
		{name: "BoolIfExists missing", identity: cond(`{"BoolIfExists":{"aws:SecureTransport":"true"}}`), req: invoke(alice, nil), want: "allow"},
		{name: "NotIpAddress missing holds", identity: cond(`{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`), req: invoke(alice, nil), want: "allow"},
		{name: "IPv6 outside", identity: cond(`{"IpAddress":{"aws:SourceIp":"2001:DB8:1234:5678::/64"}}`), req: invoke(alice, map[string][]string{"aws:SourceIp": {"2001:db8:1234:5679::1"}}), want: "implicit"},
		{name: "IPv6 inside upper", identity: cond(`{"IpAddress":{"aws:SourceIp":"2001:DB8:1234:5678::/64"}}`), req: invoke(alice, map[string][]string{"aws:SourceIp": {"2001:db8:1234:5678::1"}}), want: "allow"},
		{name: "IPv4 cidr vs ipv6", identity: cond(`{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}`), req: invoke(alice, map[string][]string{"aws:SourceIp": {"2001:db8::1"}}), want: "implicit"},
		{name: "ArnEquals session ARN no match role", identity: cond(`{"ArnEquals":{"aws:PrincipalArn":"` + reader + `"}}`), req: invoke(reader, nil), want: "implicit"},
		{name: "StringEqualsIgnoreCase negated", identity: cond(`{"StringNotEqualsIgnoreCase":{"aws:PrincipalOrgID":"O-A1B2C3D4E5"}}`), req: invoke(alice, map[string][]string{"aws:PrincipalOrgID": {"o-a1b2c3d4e5"}}), want: "implicit"},
		{name: "cross account role principal + identity", identity: []string{stmt(allowOrders)}, resource: stmt(`"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/Partner"},"Action":"execute-api:Invoke","Resource":"*"`), req: invoke(partner, nil), want: "allow"},
		{name: "cross account role principal no identity", resource: stmt(`"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/Partner"},"Action":"execute-api:Invoke","Resource":"*"`), req: invoke(partner, nil), want: "implicit"},
		{name: "same account session principal alone", resource: stmt(`"Effect":"Allow","Principal":{"AWS":"` + reader + `"},"Action":"execute-api:Invoke","Resource":"*"`), req: invoke(reader, nil), want: "allow"},
		{name: "other session of role", resource: stmt(`"Effect":"Allow","Principal":{"AWS":"arn:aws:sts::111122223333:assumed-role/Reader/other"},"Action":"execute-api:Invoke","Resource":"*"`), req: invoke(reader, nil), want: "implicit"},
	})
}
