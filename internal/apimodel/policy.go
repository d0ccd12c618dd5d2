package apimodel

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
)

// IdentityPolicy is an IAM policy document of the template that names
// execute-api: an AWS::IAM::Policy or AWS::IAM::ManagedPolicy, or an inline
// policy of an AWS::IAM::Role, User or Group. Grants such as GrantInvoke
// write these.
type IdentityPolicy struct {
	// LogicalID is the resource that holds the document.
	LogicalID string
	// Name is the PolicyName (ManagedPolicyName), "" when there is none.
	Name string
	// Document is the policy document with its intrinsics resolved to
	// strings as far as the template allows (see resolve).
	Document map[string]any
}

// resolve returns v with every intrinsic function (a map with one key,
// Ref or Fn::*) resolved to a string by str, walking maps and lists, so
// that a policy document reads as plain JSON.
func (r *reader) resolve(v any) any {
	switch v := v.(type) {
	case map[string]any:
		if len(v) == 1 {
			for k := range v {
				if k == "Ref" || strings.HasPrefix(k, "Fn::") {
					return r.str(v)
				}
			}
		}
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[k] = r.resolve(x)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = r.resolve(x)
		}
		return out
	}
	return v
}

// document resolves a policy document, which a template may also hold as
// a JSON string.
// A document behind an intrinsic function (a Fn::If on a Condition, a
// Ref to a Parameter) is noted with a digest of its text, so that a review
// sees it change, and read as no document. owner names the property.
func (r *reader) document(owner string, v any) map[string]any {
	if s, ok := v.(string); ok {
		var m map[string]any
		if json.Unmarshal([]byte(s), &m) == nil {
			return m
		}
		r.unsupported("%s is a string that is not a JSON policy document; read as no policy", owner)
		return nil
	}
	// A document written as a string built by Fn::Join or Fn::Sub (to put
	// the account or region in an ARN) is read as the string it builds, as
	// a literal one is (CloudFormation evaluates no function inside a
	// string); what str cannot resolve in it is noted by str.
	if fn := intrinsicName(v); fn == "Fn::Join" || fn == "Fn::Sub" {
		var m map[string]any
		var s string
		notes := r.collect(func() { s = r.str(v) })
		if json.Unmarshal([]byte(s), &m) == nil {
			for _, n := range notes {
				r.unsupported("%s", n)
			}
			return m
		}
	}
	if fn := intrinsicName(v); fn != "" {
		r.unsupported("%s is not a policy document the reader can resolve (%s, digest %s); read as no policy", owner, fn, digest(v))
		return nil
	}
	m, ok := r.resolve(v).(map[string]any)
	if !ok {
		r.unsupported("%s is %s, not a policy document; read as no policy", owner, jsonKind(v))
	}
	return m
}

// identityPolicies reads the template's IAM policies that mention
// execute-api or may grant it with a wildcard Action (mayGrantExecuteAPI),
// in logical id order, and the notes of what it could not read of them.
// Those of a policy that cannot concern execute-api (an S3 grant on a
// bucket given at deploy) are left out: it is not part of a review. A
// policy's notes are kept when it is kept, when its document could not be
// read at all, or when its Effect or Action is decided at deploy; those of
// a managed policy ARN that cannot be read to the end, always.
func (r *reader) identityPolicies() ([]IdentityPolicy, []string) {
	var out []IdentityPolicy
	var notes []string
	add := func(id string, name, doc any) {
		var d map[string]any
		kept := false
		found := r.collect(func() {
			if d = r.document(id+" PolicyDocument", doc); d == nil {
				return
			}
			if raw, _ := json.Marshal(d); mayGrantExecuteAPI(d, string(raw)) {
				out = append(out, IdentityPolicy{LogicalID: id, Name: r.str(name), Document: d})
				kept = true
			}
		})
		if kept || d == nil || grantDecidedAtDeploy(doc) {
			notes = append(notes, found...)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(r.t.Resources)) {
		res := r.t.Resources[id]
		switch res.Type {
		case "AWS::IAM::Policy":
			add(id, res.Properties["PolicyName"], res.Properties["PolicyDocument"])
		case "AWS::IAM::ManagedPolicy":
			add(id, res.Properties["ManagedPolicyName"], res.Properties["PolicyDocument"])
		case "AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group":
			for _, p := range asList(res.Properties["Policies"]) {
				pm := asMap(p)
				add(id, pm["PolicyName"], pm["PolicyDocument"])
			}
			for _, v := range asList(res.Properties["ManagedPolicyArns"]) {
				var arn string
				// An ARN the reader cannot read to the end (given at
				// deploy, or by an intrinsic it does not resolve) may
				// name a policy that grants execute-api: its notes are
				// kept. Another resource of the template (a Ref or
				// GetAtt of it) leaves none: that policy is read where
				// it is defined.
				notes = append(notes, r.collect(func() { arn = r.str(v) })...)
				if name, doc, ok := awsManagedInvokePolicy(arn); ok {
					add(id, name, doc)
				}
			}
		}
	}
	return out, notes
}

// grantDecidedAtDeploy reports whether a policy document, as the template
// writes it, has a Statement, or a statement's Effect, Action or NotAction,
// that an intrinsic function decides at deploy (a Ref to a Parameter, a
// Fn::If, a Fn::Split): it may then grant execute-api.
func grantDecidedAtDeploy(raw any) bool {
	for _, st := range statements(asMap(raw)) {
		sm, ok := st.(map[string]any)
		if !ok || intrinsicName(st) != "" {
			return true // the statement itself, or one that is no object
		}
		for _, k := range []string{"Effect", "Action", "NotAction"} {
			if hasIntrinsic(sm[k]) {
				return true
			}
		}
	}
	return false
}

// hasIntrinsic reports whether v holds an intrinsic function anywhere.
func hasIntrinsic(v any) bool {
	switch v := v.(type) {
	case map[string]any:
		if intrinsicName(v) != "" {
			return true
		}
		for _, x := range v {
			if hasIntrinsic(x) {
				return true
			}
		}
	case []any:
		for _, x := range v {
			if hasIntrinsic(x) {
				return true
			}
		}
	}
	return false
}

// awsManagedInvokePolicy is the document of an AWS managed policy that
// grants execute-api, when arn (in any partition, as the CDK writes it with
// ${AWS::Partition}) names one: AmazonAPIGatewayInvokeFullAccess, which
// allows execute-api:Invoke and execute-api:ManageConnections on every API
// of every account. A customer managed policy attached by ARN is not in
// the template, and is not read.
func awsManagedInvokePolicy(arn string) (name string, doc map[string]any, ok bool) {
	const invokeFull = "AmazonAPIGatewayInvokeFullAccess"
	if !strings.HasSuffix(arn, ":iam::aws:policy/"+invokeFull) {
		return "", nil, false
	}
	return invokeFull, map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
		"Effect": "Allow", "Action": []any{"execute-api:Invoke", "execute-api:ManageConnections"}, "Resource": "arn:aws:execute-api:*:*:*",
	}}}, true
}
