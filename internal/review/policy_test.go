package review

import "testing"

func TestGlobCovers(t *testing.T) {
	for _, tt := range []struct {
		p, q string
		want bool
	}{
		{"*", "anything", true},
		{"*", "a*b", true},
		{"execute-api:*", "execute-api:invoke", true},
		{"execute-api:invoke", "execute-api:*", false},
		{"arn:x/prod/*", "arn:x/prod/GET/orders/*", true},
		{"arn:x/prod/GET/*", "arn:x/prod/*", false},
		{"arn:x/prod/*/orders", "arn:x/prod/GET/orders", true},
		{"arn:x/prod/?ET/*", "arn:x/prod/GET/orders", true},
		{"arn:x/prod/?ET/*", "arn:x/prod/*/orders", false},
		{"a?c", "a?c", true},
		{"abc", "a?c", false},
		{"*b*", "a*b*c", true},
		{"a*", "*a", false},
	} {
		if got := globCovers(tt.p, tt.q); got != tt.want {
			t.Errorf("globCovers(%q, %q) = %v, want %v", tt.p, tt.q, got, tt.want)
		}
	}
}

func TestPrincipalCovers(t *testing.T) {
	for _, tt := range []struct {
		p, q string
		want bool
	}{
		{"*", "AWS:arn:aws:iam::111122223333:role/r", true},
		{"AWS:*", "AWS:arn:aws:iam::111122223333:role/r", true},
		{"AWS:*", "Service:lambda.amazonaws.com", false},
		{"AWS:arn:aws:iam::111122223333:root", "AWS:arn:aws:iam::111122223333:role/r", true},
		{"AWS:arn:aws:iam::111122223333:root", "AWS:arn:aws:iam::444455556666:role/r", false},
		{"AWS:arn:aws:iam::111122223333:role/r", "AWS:arn:aws:iam::111122223333:root", false},
	} {
		if got := principalCovers(tt.p, tt.q); got != tt.want {
			t.Errorf("principalCovers(%q, %q) = %v, want %v", tt.p, tt.q, got, tt.want)
		}
	}
}

// Statement coverage: NotAction and NotResource, conditions.
func TestStatementCovers(t *testing.T) {
	stmt := func(m map[string]any) *statement {
		return statements(map[string]any{"Statement": m})[0]
	}
	for _, tt := range []struct {
		name     string
		old, new map[string]any
		covered  bool
	}{
		{"same", map[string]any{"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "*"},
			map[string]any{"Effect": "Allow", "Action": "execute-api:invoke", "Resource": "*"}, true},
		{"action case", map[string]any{"Effect": "Allow", "Action": "Execute-Api:*", "Resource": "*"},
			map[string]any{"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "*"}, true},
		{"other effect", map[string]any{"Effect": "Deny", "Action": "*", "Resource": "*"},
			map[string]any{"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "*"}, false},
		{"NotAction excludes less", map[string]any{"Effect": "Allow", "NotAction": []any{"execute-api:*", "s3:*"}, "Resource": "*"},
			map[string]any{"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"}, false},
		{"NotAction excludes more", map[string]any{"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"},
			map[string]any{"Effect": "Allow", "NotAction": []any{"execute-api:*", "s3:*"}, "Resource": "*"}, true},
		{"Action inside NotAction's complement", map[string]any{"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"},
			map[string]any{"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "*"}, true},
		{"NotResource against Resource", map[string]any{"Effect": "Allow", "Action": "*", "Resource": "arn:x/prod/*"},
			map[string]any{"Effect": "Allow", "Action": "*", "NotResource": "arn:x/test/*"}, false},
		{"condition dropped", map[string]any{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": map[string]any{"StringEquals": map[string]any{"aws:PrincipalOrgID": "o-1"}}},
			map[string]any{"Effect": "Allow", "Action": "*", "Resource": "*"}, false},
		{"condition added", map[string]any{"Effect": "Allow", "Action": "*", "Resource": "*"},
			map[string]any{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": map[string]any{"StringEquals": map[string]any{"aws:PrincipalOrgID": "o-1"}}}, true},
		{"more alternatives", map[string]any{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": map[string]any{"StringEquals": map[string]any{"aws:PrincipalOrgID": "o-1"}}},
			map[string]any{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": map[string]any{"StringEquals": map[string]any{"aws:PrincipalOrgID": []any{"o-1", "o-2"}}}}, false},
		{"fewer alternatives", map[string]any{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": map[string]any{"StringEquals": map[string]any{"aws:PrincipalOrgID": []any{"o-1", "o-2"}}}},
			map[string]any{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": map[string]any{"StringEquals": map[string]any{"aws:PrincipalOrgID": "o-1"}}}, true},
		{"fewer exclusions", map[string]any{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": map[string]any{"NotIpAddress": map[string]any{"aws:SourceIp": []any{"10.0.0.0/8", "192.0.2.0/24"}}}},
			map[string]any{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": map[string]any{"NotIpAddress": map[string]any{"aws:SourceIp": "10.0.0.0/8"}}}, false},
	} {
		n := stmt(tt.new)
		covered := true
		for _, a := range n.atoms() {
			covered = covered && stmt(tt.old).covers(a)
		}
		if covered != tt.covered {
			t.Errorf("%s: covered = %v, want %v", tt.name, covered, tt.covered)
		}
	}
}
