package apimodel

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Transforms. A template that declares a Transform (the SAM transform
// AWS::Serverless-2016-10-31, AWS::LanguageExtensions, a macro), or holds a
// Fn::Transform, is rewritten by CloudFormation before it is deployed: what
// the reader reads is the template as written, not what is deployed. A SAM
// template's REST APIs are AWS::Serverless::Api resources and the implicit
// API of its functions' Api events, which the transform turns into the
// AWS::ApiGateway::* resources the reader models: before the transform
// there is nothing to read, and "no REST API" would be wrong.

// samTransform is the SAM transform's name.
const samTransform = "AWS::Serverless-2016-10-31"

// transformNames are the template's Transform, a name or a list of them.
func transformNames(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			} else {
				out = append(out, canonicalJSON(x))
			}
		}
		return out
	case nil:
		return nil
	}
	return []string{canonicalJSON(v)}
}

// serverlessAPIs names what makes REST APIs in a SAM template before the
// transform: AWS::Serverless::Api resources, and functions with Api events
// (the implicit ServerlessRestApi, or the API each event names).
func serverlessAPIs(t template) []string {
	var out []string
	for _, id := range slices.Sorted(maps.Keys(t.Resources)) {
		res := t.Resources[id]
		switch res.Type {
		case "AWS::Serverless::Api":
			out = append(out, "AWS::Serverless::Api "+id)
		case "AWS::Serverless::Function":
			events := asMap(res.Properties["Events"])
			for _, e := range slices.Sorted(maps.Keys(events)) {
				if asMap(events[e])["Type"] == "Api" {
					out = append(out, fmt.Sprintf("the Api event %s of AWS::Serverless::Function %s", e, id))
				}
			}
		}
	}
	return out
}

// transformNotes are the notes of a template rewritten at deploy, and the
// error when it has REST APIs only after the transform.
func transformNotes(t template, hasRestAPI bool) ([]string, error) {
	names := transformNames(t.Transform)
	sam := serverlessAPIs(t)
	if !hasRestAPI && (len(sam) > 0 || slices.Contains(names, samTransform)) {
		what := "no AWS::ApiGateway::RestApi"
		if len(sam) > 0 {
			what = "REST APIs made by the transform: " + strings.Join(sam, ", ")
		}
		return nil, fmt.Errorf("the template uses the SAM transform (%s), which CloudFormation applies at deploy; before it, the template has %s, which the reader does not read (it reads AWS::ApiGateway::* resources): "+
			"review the transformed template (of a deployed stack: aws cloudformation get-template --template-stage Processed)", samTransform, what)
	}
	var notes []string
	if len(names) > 0 {
		notes = append(notes, fmt.Sprintf("the template declares Transform %s: CloudFormation rewrites it at deploy, and what is read is the template before that", strings.Join(names, ", ")))
	}
	for _, s := range sam {
		notes = append(notes, s+" makes a REST API at deploy (the SAM transform); it is not read")
	}
	for _, id := range slices.Sorted(maps.Keys(t.Resources)) {
		// The digest of the Fn::Transform (its macro's Parameters: an
		// AWS::Include's Location) makes the note change with it, as what
		// it includes is not in the template.
		if name, x, ok := findTransform(t.Resources[id].Properties); ok {
			notes = append(notes, fmt.Sprintf("%s: a Fn::Transform (%s, digest %s) rewrites its properties at deploy; read as written", id, name, digest(x)))
		}
	}
	return notes, nil
}

// findTransform finds a Fn::Transform in v: the macro it names, and its
// value.
func findTransform(v any) (string, any, bool) {
	switch v := v.(type) {
	case map[string]any:
		if x, ok := v["Fn::Transform"]; ok {
			name := asMap(x)["Name"]
			if s, ok := name.(string); ok {
				return s, x, true
			}
			return canonicalJSON(name), x, true
		}
		for _, k := range slices.Sorted(maps.Keys(v)) {
			if n, x, ok := findTransform(v[k]); ok {
				return n, x, true
			}
		}
	case []any:
		for _, x := range v {
			if n, y, ok := findTransform(x); ok {
				return n, y, true
			}
		}
	}
	return "", nil, false
}

// yamlLike reports whether raw reads as a YAML template: not JSON, with a
// top-level Resources: key.
func yamlLike(raw []byte) bool {
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 || trimmed[0] == '{' || trimmed[0] == '[' {
		return false
	}
	for _, line := range bytes.Split(raw, []byte("\n")) {
		if bytes.HasPrefix(line, []byte("Resources:")) {
			return true
		}
	}
	return false
}

// foreignMethods is the error for a template without a REST API that has
// methods of one: a stack that adds routes to a REST API of another stack
// (imported by id). Its routes are not "none": the reader cannot read them
// without their API, and says so rather than reading the template as one
// without a REST API (which iamgate diff compares as no routes).
func foreignMethods(t template) error {
	var ids []string
	apis := map[string]bool{}
	for _, id := range slices.Sorted(maps.Keys(t.Resources)) {
		res := t.Resources[id]
		if res.Type == "AWS::ApiGateway::Method" {
			ids = append(ids, id)
			apis[canonicalJSON(res.Properties["RestApiId"])] = true
		}
	}
	if len(ids) == 0 {
		return nil
	}
	return fmt.Errorf("the template has %d AWS::ApiGateway::Method resources (%s) but no AWS::ApiGateway::RestApi: they belong to a REST API of another stack (RestApiId %s), "+
		"which the reader does not read with them; read the template that defines the API", len(ids), strings.Join(ids, ", "), strings.Join(slices.Sorted(maps.Keys(apis)), ", "))
}
