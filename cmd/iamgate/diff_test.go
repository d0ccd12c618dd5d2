package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// changedGolden writes the golden template, changed by edit, to a file.
func changedGolden(t *testing.T, edit func(res map[string]any)) string {
	t.Helper()
	raw, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	var tmpl map[string]any
	if err := json.Unmarshal(raw, &tmpl); err != nil {
		t.Fatal(err)
	}
	edit(tmpl["Resources"].(map[string]any))
	out, _ := json.Marshal(tmpl)
	p := filepath.Join(t.TempDir(), "new.template.json")
	if err := os.WriteFile(p, out, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func props(res map[string]any, id string) map[string]any {
	return res[id].(map[string]any)["Properties"].(map[string]any)
}

// The exit code and the lines of iamgate diff, for one change of the
// golden template each (internal/review's tests hold every rule).
func TestDiffCommand(t *testing.T) {
	notAJSON := filepath.Join(t.TempDir(), "broken.json")
	os.WriteFile(notAJSON, []byte("{"), 0o644)
	noAPI := filepath.Join(t.TempDir(), "bucket.template.json")
	os.WriteFile(noAPI, []byte(`{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}`), 0o644)
	emptyDir := t.TempDir()
	twoStacks := t.TempDir()
	os.WriteFile(filepath.Join(twoStacks, "Shop.template.json"), []byte(`{"Resources": {}}`), 0o644)
	os.WriteFile(filepath.Join(twoStacks, "Billing.template.json"), []byte(`{"Resources": {}}`), 0o644)
	for _, tt := range []struct {
		name     string
		old, new string
		stack    string
		code     int
		stdout   []string // lines, in order
		stderr   string
	}{
		{name: "same", old: golden, new: golden, code: 0,
			stdout: []string{"no differences in the REST APIs, their resource policies or the IAM policies on execute-api"}},
		{name: "authorization NONE", old: golden,
			new: changedGolden(t, func(r map[string]any) {
				props(r, "ApiwhoamiGETF55E0622")["AuthorizationType"] = "NONE"
				props(r, "ApiordersGET54B35769")["Integration"].(map[string]any)["TimeoutInMillis"] = 1000.0
			}),
			code: 1,
			stdout: []string{
				"SECURITY  GET /whoami  authorization-weakened  authorization weakened: AWS_IAM -> NONE",
				"change    GET /orders  timeout                 integration timeout 29000 -> 1000 ms",
				"1 security-relevant, 1 other, 0 cosmetic",
			},
			stderr: "iamgate diff: 1 security-relevant change(s) from "},
		{name: "cosmetic only", old: golden,
			new:  changedGolden(t, func(r map[string]any) { props(r, "ApiF70053CD")["Description"] = "orders" }),
			code: 0,
			stdout: []string{
				"cosmetic  API ApiF70053CD  description  description changed",
				"0 security-relevant, 0 other, 1 cosmetic",
			}},
		{name: "API added", old: noAPI, new: golden, code: 0,
			stdout: []string{
				"change  API ApiF70053CD        api-added    REST API ApiF70053CD added",
				"change  GET /orders            route-added  new route (AWS_IAM, HTTP POST https://httpbin.org/anything/orders)",
			}},
		{name: "a cloud assembly directory", old: golden, new: filepath.Dir(golden), code: 0,
			stdout: []string{"no differences in the REST APIs, their resource policies or the IAM policies on execute-api"}},
		{name: "a directory without a template", old: golden, new: emptyDir, code: 2,
			stderr: "iamgate diff: " + emptyDir + " has 0 *.template.json; give the template file, or --stack\n"},
		// As routes and local say it: the stacks to choose from.
		{name: "a directory of two stacks", old: golden, new: twoStacks, code: 2,
			stderr: "iamgate diff: " + twoStacks + " has 2 *.template.json; choose one with --stack (Billing, Shop), or give the template file\n"},
		{name: "a stack of a cloud assembly directory", old: golden, new: filepath.Dir(golden), stack: "IamGate", code: 0,
			stdout: []string{"no differences in the REST APIs, their resource policies or the IAM policies on execute-api"}},
		{name: "a stack not in the directory", old: filepath.Dir(golden), new: golden, stack: "Nope", code: 2,
			stderr: "iamgate diff: no template for stack \"Nope\" in " + filepath.Dir(golden) + "; its stacks: IamGate\n"},
		{name: "missing", old: "/nonexistent.json", new: golden, code: 2,
			stderr: "iamgate diff: open /nonexistent.json: no such file or directory\n"},
		{name: "not JSON", old: golden, new: notAJSON, code: 2,
			stderr: "iamgate diff: " + notAJSON + ": not a JSON CloudFormation template: unexpected end of JSON input\n"},
		{name: "no API on either side", old: noAPI, new: noAPI, code: 2,
			stderr: "iamgate diff: neither template has an AWS::ApiGateway::RestApi\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			args := []string{"diff", tt.old, tt.new}
			if tt.stack != "" {
				args = append(args, "--stack", tt.stack)
			}
			code, stdout, stderr := runCLI(args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr %q", code, tt.code, stderr)
			}
			lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
			for i, want := range tt.stdout {
				if i >= len(lines) || strings.TrimRight(lines[i], " ") != want {
					t.Errorf("stdout:\n%s\nwant line %d: %q", stdout, i+1, want)
					break
				}
			}
			if !strings.HasPrefix(stderr, tt.stderr) || (tt.stderr == "" && stderr != "") || strings.Count(stderr, "\n") > 1 {
				t.Errorf("stderr %q, want one line starting %q", stderr, tt.stderr)
			}
		})
	}
}

// The --json output: its keys, and one finding in full.
func TestDiffJSON(t *testing.T) {
	newT := changedGolden(t, func(r map[string]any) {
		props(r, "ApiwhoamiGETF55E0622")["Integration"].(map[string]any)["Type"] = "HTTP_PROXY"
	})
	code, stdout, _ := runCLI("diff", "--json", golden, newT)
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal([]byte(stdout), &keys); err != nil {
		t.Fatal(err)
	}
	var got []string
	for k := range keys {
		got = append(got, k)
	}
	if strings.Join(sorted(got), ",") != "findings,new,notRead,old,summary" {
		t.Errorf("keys %v", got)
	}
	var out struct {
		Old, New string
		Summary  map[string]int
		Findings []map[string]any
		NotRead  []string
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(stdout)))
	if err := dec.Decode(&out); err != nil {
		t.Fatal(err)
	}
	if out.Old != golden || out.New != newT || !reflect.DeepEqual(out.Summary, map[string]int{"security": 1, "change": 0, "cosmetic": 0}) || out.NotRead == nil {
		t.Errorf("old %q new %q summary %v notRead %v", out.Old, out.New, out.Summary, out.NotRead)
	}
	want := map[string]any{"level": "security", "rule": "integration-proxy", "api": "ApiF70053CD", "scope": "route", "method": "GET", "path": "/whoami",
		"change": "changed", "old": "HTTP", "new": "HTTP_PROXY",
		"message": "integration turned HTTP_PROXY: client headers pass to the backend and request templates are ignored"}
	if len(out.Findings) != 1 || !reflect.DeepEqual(out.Findings[0], want) {
		t.Errorf("findings %v\nwant [%v]", out.Findings, want)
	}
	// No change: empty lists, not null.
	_, stdout, _ = runCLI("diff", "--json", golden, golden)
	if !strings.Contains(stdout, `"findings": []`) || !strings.Contains(stdout, `"notRead": []`) {
		t.Errorf("no change:\n%s", stdout)
	}
}

func sorted(s []string) []string {
	out := append([]string{}, s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

// routes shows the custom domains that serve the API and a disabled
// default endpoint; diff marks a new public mapping.
func TestRoutesAndDiffShowCustomDomains(t *testing.T) {
	withDomain := changedGolden(t, func(r map[string]any) {
		r["Domain"] = map[string]any{"Type": "AWS::ApiGateway::DomainName", "Properties": map[string]any{
			"DomainName": "api.example.com", "SecurityPolicy": "TLS_1_0",
			"EndpointConfiguration":   map[string]any{"Types": []any{"REGIONAL"}},
			"MutualTlsAuthentication": map[string]any{"TruststoreUri": "s3://trust/ca.pem", "TruststoreVersion": "3"}}}
		r["Mapping"] = map[string]any{"Type": "AWS::ApiGateway::BasePathMapping", "Properties": map[string]any{
			"DomainName": map[string]any{"Ref": "Domain"}, "BasePath": "v1",
			"RestApiId": map[string]any{"Ref": "ApiF70053CD"}, "Stage": map[string]any{"Ref": "ApiDeploymentStageprod3EB9684E"}}}
		props(r, "ApiF70053CD")["DisableExecuteApiEndpoint"] = true
	})
	_, out, _ := runCLI("routes", "--template", withDomain)
	for _, want := range []string{
		"default endpoint: disabled (DisableExecuteApiEndpoint): clients reach the API through its custom domains only\n",
		"domain: https://api.example.com/v1 -> stage prod (REGIONAL, TLS_1_0, mutual TLS s3://trust/ca.pem (version 3))\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("routes:\n%s\nwant %q", out, want)
		}
	}
	code, out, _ := runCLI("diff", golden, withDomain)
	if code != 1 || !strings.Contains(out, "SECURITY  domain api.example.com/v1  domain-mapping-added") {
		t.Errorf("diff: exit %d\n%s", code, out)
	}
}

// A change the reader cannot read is not "no differences": new, it is
// SECURITY; in both templates, it is named and the summary says so.
func TestDiffNotRead(t *testing.T) {
	edit := func(def string) func(r map[string]any) {
		return func(r map[string]any) {
			props(r, "ApiwhoamiGETF55E0622")["AuthorizationType"] = map[string]any{"Fn::If": []any{"C", "AWS_IAM", "NONE"}}
			r["Extra"] = map[string]any{"Type": "AWS::ApiGateway::UsagePlan", "Properties": map[string]any{}}
		}
	}
	both := changedGolden(t, edit("a"))
	code, out, _ := runCLI("diff", both, both)
	if code != 0 || !strings.Contains(out, "no differences in what was read; 2 thing(s) not read in either template (above) may hide some") ||
		!strings.Contains(out, "not read: Extra is an AWS::ApiGateway::UsagePlan, which the reader does not model") {
		t.Errorf("same unread template: exit %d\n%s", code, out)
	}
	code, out, _ = runCLI("diff", golden, both)
	if code != 1 || !strings.Contains(out, "SECURITY  API ApiF70053CD  not-read") {
		t.Errorf("new unread values: exit %d\n%s", code, out)
	}
}

// A SAM template's REST APIs exist only after the transform: diff cannot
// read them, and says so with exit 2, where it read the template as one
// without a REST API (every route "removed", a change, exit 0).
func TestDiffSAMTemplate(t *testing.T) {
	const sam = "../../internal/apimodel/testdata/corpus/sam.template.json"
	for _, args := range [][]string{{"diff", golden, sam}, {"diff", sam, golden}} {
		code, out, stderr := runCLI(args...)
		if code != 2 || !strings.Contains(stderr, "uses the SAM transform") || strings.Contains(out, "route-removed") {
			t.Errorf("%v: exit %d\n%s%s", args, code, out, stderr)
		}
	}
}
