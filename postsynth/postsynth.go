// Package postsynth checks synthesized CloudFormation templates for the
// REST API mistakes that escape hatches write around the IdentityApi
// construct's own validation: property overrides through
// Node().DefaultChild(), raw CloudFormation, or REST APIs built without the
// construct. It finds request templates on a proxy integration (ignored by
// API Gateway), a body template on a GET/HEAD/OPTIONS integration (no body is
// sent), mappings from undeclared method.request.* parameters (API Gateway
// refuses the deploy), mappings of the Authorization header on an AWS_IAM
// method (consumed, never forwarded), templates over CloudFormation's
// limits (1,000,000 bytes, 500 resources; the construct estimates one API
// at a time), sources that are not mapping
// expressions, and mappings to headers API Gateway does not send as mapped
// (Content-Length and Transfer-Encoding fail every request; Connection,
// Expect, Proxy-Authenticate, TE and Via are dropped), and mappings from the
// caller's credentials on an AWS_IAM method; with the same rules as the
// construct and `iamgate routes`.
//
// It checks AWS::ApiGateway::Method resources: the routes of a REST API
// defined by an OpenAPI definition (a SpecRestApi: the RestApi's Body or
// BodyS3Location) are in the definition, which it does not read, so such
// an API passes with no problem found; `iamgate routes` says so.
//
// In a CDK app, register it as a policy validation plugin, so that a
// problem fails `cdk synth` with CDK's validation report:
//
//	app := awscdk.NewApp(nil)
//	awscdk.Validations_Of(app).AddPlugins(postsynth.NewPlugin())
//
// A problem that is intended is acknowledged on the construct it concerns
// (the route's Method) by its rule under the plugin's name:
//
//	awscdk.Validations_Of(method).Acknowledge(&awscdk.Acknowledgment{
//		Id: jsii.String("iamgate::proxy-template"), Reason: jsii.String("...")})
//
// Outside the app, [Check] reads a cloud assembly directory (cdk.out).
package postsynth

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/iamgate/iamgate/internal/apigw"
	"github.com/iamgate/iamgate/internal/apimodel"
)

// Problem is one problem of a synthesized template.
type Problem struct {
	// TemplatePath is the template file the problem is written in: for a
	// method of a nested stack, the nested stack's template.
	TemplatePath string
	// Stack is the stack template's artifact: its file name without
	// .template.json (the parent's, for a method of a nested stack).
	Stack string
	// NestedStack is the logical id, in Stack's template, of the nested
	// stack a method is written in (S, or S/T for a nested stack's nested
	// stack T); "" for a method of Stack's template.
	NestedStack string
	// API is the logical id of the RestApi.
	API string
	// Method, Path and LogicalID name the AWS::ApiGateway::Method; LogicalID
	// is its id in TemplatePath.
	Method, Path, LogicalID string
	// Rule names the check (see Rules).
	Rule string
	// Location is the property path in the method (Integration/RequestTemplates).
	Location string
	// Message says what is wrong and how to fix it.
	Message string
}

// String writes the problem as "Stack: METHOD /path (LogicalId): message"
// ("(NestedStack/LogicalId)" for a method of a nested stack),
// or "Stack: message" for one of the whole template (template-limit).
func (p Problem) String() string {
	if p.LogicalID == "" {
		return fmt.Sprintf("%s: %s", p.Stack, p.Message)
	}
	id := p.LogicalID
	if p.NestedStack != "" {
		id = p.NestedStack + "/" + id
	}
	return fmt.Sprintf("%s: %s %s (%s): %s", p.Stack, p.Method, p.Path, id, p.Message)
}

// templateLimit is the rule of CloudFormation's limits on a template.
const templateLimit = "template-limit"

// Rules are the names of the checks.
func Rules() []string { return append(apimodel.Rules(), templateLimit) }

// CheckTemplates checks template files: each one and its nested stacks'
// against CloudFormation's limits (template-limit: 1,000,000 bytes, 500
// resources, as written, where the construct could only estimate them, one
// API at a time), and their REST APIs. A template without a REST API has no
// other problem; one that cannot be read is an error.
func CheckTemplates(paths ...string) ([]Problem, error) {
	return checkTemplates(paths, map[string]bool{})
}

// checkTemplates is CheckTemplates, with the files already checked against
// the limits in sized (a nested stack's template may also be given).
func checkTemplates(paths []string, sized map[string]bool) ([]Problem, error) {
	var out []Problem
	for _, p := range paths {
		nested, _ := apimodel.NestedTemplates(p)
		for _, f := range append([]string{p}, nested...) {
			if !sized[f] {
				sized[f] = true
				out = append(out, limitProblems(f)...)
			}
		}
		apis, err := apimodel.Load(p, apimodel.Options{})
		if errors.Is(err, apimodel.ErrNoRestAPI) {
			continue
		}
		if err != nil {
			return out, err
		}
		stack := strings.TrimSuffix(filepath.Base(p), ".template.json")
		for _, a := range apis {
			for _, pr := range a.Problems() {
				// A method of a nested stack is reported where it is
				// written, as CDK's report looks its construct up.
				file, id, nestedStack := p, pr.Method.LogicalID, ""
				if o := pr.Method.Origin; o.File != "" {
					file, id, nestedStack = o.File, o.LogicalID, strings.TrimSuffix(pr.Method.LogicalID, "/"+o.LogicalID)
				}
				out = append(out, Problem{TemplatePath: file, Stack: stack, NestedStack: nestedStack, API: a.LogicalID,
					Method: pr.Method.HTTPMethod, Path: pr.Method.Path, LogicalID: id,
					Rule: pr.Rule, Location: pr.Location, Message: pr.Message})
			}
		}
	}
	return out, nil
}

// limitProblems checks one template file against CloudFormation's limits
// on its size and resource count; a file that cannot be read as a template
// has none here (CheckTemplates reports it).
func limitProblems(path string) []Problem {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var t struct{ Resources map[string]json.RawMessage }
	if json.Unmarshal(raw, &t) != nil {
		return nil
	}
	var out []Problem
	for _, msg := range apigw.CheckStackTemplate(len(raw), len(t.Resources), false, bytes.Contains(raw, []byte("\n "))) {
		out = append(out, Problem{TemplatePath: path, Stack: strings.TrimSuffix(filepath.Base(path), ".template.json"), Rule: templateLimit, Message: msg})
	}
	return out
}

// Check checks every stack template of a cloud assembly directory (cdk.out,
// or the Directory() of an awscdk.CloudAssembly), nested assemblies (Stages)
// and nested stacks included, as its manifest.json lists them.
func Check(dir string) ([]Problem, error) {
	paths, err := templates(dir)
	if err != nil {
		return nil, err
	}
	return CheckTemplates(paths...)
}

// templates lists the templates of an assembly directory.
func templates(dir string) ([]string, error) {
	artifacts, err := apimodel.ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	set := map[string]bool{}
	for _, a := range artifacts {
		switch a.Type {
		case "aws:cloudformation:stack":
			set[filepath.Join(dir, a.TemplateFile)] = true
		case "cdk:cloud-assembly":
			nested, err := templates(filepath.Join(dir, a.DirectoryName))
			if err != nil {
				return nil, err
			}
			for _, p := range nested {
				set[p] = true
			}
		}
	}
	// Nested stacks are assets of their parent, not artifacts. apimodel.Load
	// reads those its parent names as part of the parent (a method there
	// belongs to the parent's API); any other is checked on its own.
	inlined := map[string]bool{}
	for p := range set {
		nested, _ := apimodel.NestedTemplates(p)
		for _, n := range nested {
			inlined[n] = true
		}
	}
	nestedStacks, _ := filepath.Glob(filepath.Join(dir, "*.nested.template.json"))
	for _, p := range nestedStacks {
		if !inlined[p] {
			set[p] = true
		}
	}
	out := make([]string, 0, len(set))
	for p := range set {
		out = append(out, p)
	}
	sort.Strings(out)
	return out, nil
}
