package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// test-invoke (and local, through the same printNotRead) says what the
// reader could not model before it answers: a SpecRestApi (OpenAPI Body)
// has no methods the reader knows, and its 403 "Missing Authentication
// Token" for every path must not read as the API's own answer.
func TestTestInvokeSaysWhatWasNotRead(t *testing.T) {
	for _, tt := range []struct {
		template, path, want string
	}{
		{"../../internal/review/testdata/corpus/specrestapi.template.json", "/orders",
			"not read: RestApi SpecApi is defined by an OpenAPI Body (digest da9e7083cd0b370f): its routes, their authorization and integrations are not read"},
	} {
		_, out, stderr := runCLI("test-invoke", "--template", tt.template, tt.path)
		if !strings.Contains(stderr, tt.want) {
			t.Errorf("%s %s: stderr lacks %q\n%s%s", tt.template, tt.path, tt.want, stderr, out)
		}
	}
}

// routes shows what lets a caller in beside the authorization type: the
// authorizer (and, below the table, its pools or function), the OAuth
// scopes and a required API key, where the AUTH column read only
// COGNITO_USER_POOLS or CUSTOM.
func TestRoutesShowAuthorizers(t *testing.T) {
	const handwritten = "../../internal/review/testdata/corpus/handwritten.template.json"
	code, out, stderr := runCLI("routes", "--template", handwritten)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"POST    /orders           COGNITO_USER_POOLS(UserPoolAuth) scopes orders/write  HTTP",
		"GET     /reports          CUSTOM(TokenAuth) +API key                            HTTP",
		"\nauthorizer: TokenAuth TOKEN, function arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:111122223333:function:check-token/invocations, identity source method.request.header.X-Token\n",
		"\nauthorizer: UserPoolAuth COGNITO_USER_POOLS, user pools arn:aws:cognito-idp:us-east-1:111122223333:userpool/us-east-1_AAAAAAAAA, identity source method.request.header.Authorization\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("routes lacks %q:\n%s", want, out)
		}
	}
	_, out, _ = runCLI("routes", "--json", "--template", handwritten)
	for _, want := range []string{`"authorizer": "UserPoolAuth"`, `"authorizationScopes": [`, `"apiKeyRequired": true`, `"validation": "body"`} {
		if !strings.Contains(out, want) {
			t.Errorf("routes --json lacks %s", want)
		}
	}
}

// The IDENTITY column names the envelope whatever notation its template
// reads the caller with (${context.identity.userArn} too), and a template
// that hands an authorizer's claims to the backend.
func TestRoutesIdentityInTemplates(t *testing.T) {
	for _, tt := range []struct {
		template, want string
	}{
		{`{"who": "${context.identity.userArn}"}`, "envelope"},
		{`{"who": "$!{context.identity.caller}"}`, "envelope"},
		{`{"sub": "$context.authorizer.claims.sub"}`, "envelope:authorizer"},
		{`{"body": $input.json('$')}`, ""},
		// A comment reads nothing (apimodel.CallerReads, as the review reads it).
		{"## not $context.identity.userArn\n#* nor $context.authorizer *#{}", ""},
	} {
		tmpl := changedGolden(t, func(r map[string]any) {
			in := props(r, "ApiwhoamiGETF55E0622")["Integration"].(map[string]any)
			in["RequestTemplates"] = map[string]any{"application/json": tt.template}
			in["RequestParameters"] = map[string]any{}
		})
		_, out, _ := runCLI("routes", "--json", "--template", tmpl)
		var apis []struct {
			Routes []routeRow `json:"routes"`
		}
		if err := json.Unmarshal([]byte(out), &apis); err != nil {
			t.Fatal(err)
		}
		for _, r := range apis[0].Routes {
			if r.Path == "/whoami" && strings.Join(r.Identity, ",") != tt.want {
				t.Errorf("%s: identity %q, want %q", tt.template, r.Identity, tt.want)
			}
		}
	}
}

// The header names every stage the routes are served on, and says when
// there is none, where it named the first stage only (or "-").
func TestRoutesNamesEveryStage(t *testing.T) {
	raw, err := os.ReadFile("../../internal/review/testdata/corpus/handwritten.template.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		edit func(res map[string]any)
		want string
	}{
		{func(res map[string]any) {}, "API Api, stage prod\n"},
		{func(res map[string]any) { props(res, "Deployment")["StageName"] = "beta" }, "API Api, stages beta, prod\n"},
		{func(res map[string]any) { delete(res, "Prod"); delete(res, "UsagePlan") }, "API Api, no stage (nothing is served until a stage or a Deployment's StageName is added)\n"},
	} {
		var tpl map[string]any
		if err := json.Unmarshal(raw, &tpl); err != nil {
			t.Fatal(err)
		}
		tt.edit(tpl["Resources"].(map[string]any))
		out, _ := json.Marshal(tpl)
		p := filepath.Join(t.TempDir(), "t.template.json")
		if err := os.WriteFile(p, out, 0o600); err != nil {
			t.Fatal(err)
		}
		if _, got, stderr := runCLI("routes", "--template", p); !strings.HasPrefix(got, tt.want) {
			t.Errorf("routes starts %q, want %q%s", strings.SplitN(got, "\n", 2)[0], tt.want, stderr)
		}
	}
}
