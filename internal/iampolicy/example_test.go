package iampolicy_test

import (
	"fmt"

	"github.com/iamgate/iamgate/internal/iampolicy"
)

// A role granted one route, and a REST API whose resource policy denies
// callers outside the organization.
func ExampleEvaluate() {
	grant, err := iampolicy.Parse(iampolicy.Identity, "ReaderPolicy", []byte(`{
		"Version": "2012-10-17",
		"Statement": [{"Effect": "Allow", "Action": "execute-api:Invoke",
			"Resource": "arn:aws:execute-api:us-east-1:111122223333:abc123/prod/GET/orders/*"}]}`))
	if err != nil {
		panic(err)
	}
	resource, err := iampolicy.Parse(iampolicy.Resource, "Api", []byte(`{
		"Version": "2012-10-17",
		"Statement": [{"Sid": "DenyOutsideOrg", "Effect": "Deny", "Principal": "*",
			"Action": "execute-api:Invoke", "Resource": "arn:aws:execute-api:us-east-1:111122223333:abc123/*",
			"Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}]}`))
	if err != nil {
		panic(err)
	}
	for _, c := range []struct{ path, org string }{
		{"GET/orders/42", "o-a1b2c3d4e5"},
		{"POST/orders", "o-a1b2c3d4e5"},
		{"GET/orders/42", ""},
	} {
		req := iampolicy.Request{
			Action:   "execute-api:Invoke",
			Resource: "arn:aws:execute-api:us-east-1:111122223333:abc123/prod/" + c.path,
			Caller:   "arn:aws:sts::111122223333:assumed-role/Reader/session",
		}
		if c.org != "" {
			req.Context = map[string][]string{"aws:PrincipalOrgID": {c.org}}
		}
		d := iampolicy.Evaluate(req, []*iampolicy.Policy{grant}, resource)
		fmt.Printf("%s %v: %s\n", c.path, d.Allowed, d.Reason)
	}
	// Output:
	// GET/orders/42 true: allowed by identity policy "ReaderPolicy" statement 0
	// POST/orders false: implicit deny: no statement allows the request
	// GET/orders/42 false: explicit deny by resource policy "Api" statement 0 (Sid DenyOutsideOrg)
}

// What iamgate cannot evaluate is refused when the policy is read, never
// evaluated as if it held or failed.
func ExampleParse() {
	_, err := iampolicy.Parse(iampolicy.Identity, "TaggedReaders", []byte(`{
		"Version": "2012-10-17",
		"Statement": {"Sid": "ByTag", "Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "*",
			"Condition": {"StringEquals": {"aws:PrincipalTag/team": "orders"}}}}`))
	fmt.Println(err)
	// Output: TaggedReaders: Statement[0] (Sid ByTag): Condition StringEquals aws:PrincipalTag/team: unknown condition key (iamgate evaluates aws:PrincipalAccount, aws:PrincipalArn, aws:PrincipalOrgID, aws:SecureTransport, aws:SourceIp, aws:SourceVpce, aws:VpcSourceIp, aws:userid, aws:username)
}
