package identityapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/iamgate/iamgate/internal/apigw"
	"github.com/iamgate/iamgate/templates"
)

// stackLimits checks, at synth, the stack the API is in and its nested
// stacks of routes (RoutesPerStack) against CloudFormation's limits
// (apigw.CheckStackTemplate): each one's resource count, exactly, and its
// template size, estimated from what the API's methods and resources hold,
// written without indentation. The estimate leaves out the stack's other
// resources, outputs and the indentation, so it is a lower bound: a stack
// it refuses cannot deploy. Each IdentityApi of a stack estimates its own
// methods only (two APIs are not added up, and both report a resource count
// past the limit). The iamgate app checks the written templates themselves
// after synth (main.go), and the CDK warns past 80% of the limit.
type stackLimits struct{ c *IdentityApi }

func (v *stackLimits) Validate() *[]*string {
	stacks := []awscdk.Stack{awscdk.Stack_Of(v.c.Construct)}
	for _, n := range v.c.nested {
		stacks = append(stacks, n)
	}
	resources := make([]int, len(stacks))
	index := map[string]int{}
	for i, s := range stacks {
		index[*s.Node().Path()] = i
	}
	for _, node := range *stacks[0].Node().FindAll(constructs.ConstructOrder_PREORDER) {
		if *awscdk.CfnResource_IsCfnResource(node) {
			if i, ok := index[*awscdk.Stack_Of(node).Node().Path()]; ok {
				resources[i]++
			}
		}
	}
	out := []*string{}
	for i := range stacks {
		// The estimate is of the template without indentation: one it
		// refuses does not fit with SuppressTemplateIndentation either, so
		// that is not offered as a way out (indented false). An indented
		// template past the limit whose estimate is not is left to the
		// CDK's warning and the post-synth check, which read the written
		// template.
		for _, p := range apigw.CheckStackTemplate(v.c.estimateBytes(i), resources[i], true, false) {
			if i > 0 {
				p = fmt.Sprintf("nested stack Routes%d: %s", i, p)
			}
			out = append(out, jsii.String(p))
		}
	}
	return &out
}

// apiResourceBytes is what one AWS::ApiGateway::Resource takes in a template
// without indentation (logical id, type, ParentId, PathPart, RestApiId),
// besides its path part.
const apiResourceBytes = 150

// methodOverheadBytes is what one AWS::ApiGateway::Method takes besides the
// properties estimateBytes writes: its logical id, type, and the references
// to its API, resource and validator.
const methodOverheadBytes = 200

// stageOverheadBytes is what the API's AWS::ApiGateway::Stage takes besides
// its access log format: its logical id, type, method settings, and the
// references to its API, deployment and log group.
const stageOverheadBytes = 300

// estimateBytes is a lower bound of the template bytes that stack k (0: the
// API's own, n: the nested stack Routes<n>) holds of the API's methods and
// resources: their properties as the construct builds them, written as JSON
// without indentation. The API's resources, its stage and the deployment,
// whose DependsOn names every resource and method of the API's stack, are in
// its own stack; each resource a nested stack imports is a parameter of the
// nested stack, passed by the AWS::CloudFormation::Stack of the API's.
func (c *IdentityApi) estimateBytes(k int) int {
	n := 0
	paths := map[string]bool{}
	for i, r := range c.routes {
		p := r.plan
		if k == 0 {
			n += resourceBytes(p.path, paths)
		}
		if c.plan.stackOf(i) == k {
			n += methodBytes(p, c.statusCodes, c.responseHeaders, c.plan.cors)
			if k == 0 {
				n += dependsOnBytes(p.path + p.method)
			}
		}
	}
	for _, pf := range c.plan.preflights() {
		if c.plan.stackOf(pf.first) == k {
			n += preflightBytes(c.plan.cors, pf)
			if k == 0 {
				n += dependsOnBytes(pf.path + "OPTIONS")
			}
		}
	}
	for key := range c.plan.importIDs {
		stack, path, _ := strings.Cut(key, " ")
		switch {
		case k == 0:
			// "referenceto<id>Ref":{"Ref":"<logical id>"}, in the
			// AWS::CloudFormation::Stack's Parameters
			n += 2*alphanumerics(path) + 30
		case stack == strconv.Itoa(k):
			// "referenceto<id>Ref":{"Type":"String"}, in its Parameters
			n += alphanumerics(path) + 30
		}
	}
	if k == 0 {
		n += encodedBytes(AccessLogFormat(), 0) + stageOverheadBytes
	}
	return n
}

// alphanumerics counts the letters and digits of s, which a logical id
// derived from a construct path holding s keeps.
func alphanumerics(s string) int {
	n := 0
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			n++
		}
	}
	return n
}

// dependsOnBytes is the least a resource of the API's stack whose construct
// path holds s takes in the deployment's DependsOn: its logical id (the
// letters and digits of the path, and 8 hex digits of its hash), quoted,
// and a comma.
func dependsOnBytes(s string) int { return alphanumerics(s) + 8 + 3 }

// encodedBytes is the length of v as JSON.stringify writes it without
// indentation, or fallback when v cannot be encoded.
func encodedBytes(v any, fallback int) int {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // as JSON.stringify writes
	if err := enc.Encode(v); err != nil {
		return fallback
	}
	return b.Len()
}

// preflightBytes is what the OPTIONS method of a CORS preflight takes in a
// template without indentation, at least: its MOCK integration answering
// the CORS headers (with several origins, the first one; the template that
// picks among them is left out) and its cdk-nag acknowledgements.
func preflightBytes(cors *corsPlan, pf preflight) int {
	params := map[string]string{
		"method.response.header.Access-Control-Allow-Headers": "'" + strings.Join(cors.headers, ",") + "'",
		"method.response.header.Access-Control-Allow-Origin":  "'" + cors.origins[0] + "'",
		"method.response.header.Access-Control-Allow-Methods": "'" + strings.Join(pf.methods, ",") + "'",
		"method.response.header.Access-Control-Max-Age":       "'" + strconv.Itoa(cors.maxAge) + "'",
	}
	declared := map[string]bool{}
	for k := range params {
		declared[k] = true
	}
	ack := func(id string) map[string]string { return map[string]string{"reason": CorsPreflightReason, "id": id} }
	method := map[string]any{
		"AuthorizationType": "NONE", "HttpMethod": "OPTIONS",
		"Integration": map[string]any{"Type": "MOCK", "IntegrationResponses": []any{
			map[string]any{"ResponseParameters": params, "StatusCode": "204"}}},
		"MethodResponses": []any{map[string]any{"ResponseParameters": declared, "StatusCode": "204"}},
		"Metadata": map[string]any{"cdk_nag": map[string]any{"rules_to_suppress": []any{
			ack("AwsSolutions-APIG4"), ack("AwsSolutions-COG4")}}},
	}
	return encodedBytes(method, 0) + methodOverheadBytes
}

// methodBytes is what the AWS::ApiGateway::Method of p takes in a template
// without indentation, at least, with the CORS headers of cors (nil
// without Cors) on its answers.
func methodBytes(p *routePlan, statusCodes []int, responseHeaders []string, cors *corsPlan) int {
	integration := map[string]any{
		"IntegrationHttpMethod": p.backendMethod, "Type": "HTTP", "Uri": p.backendURI,
		"TimeoutInMillis": p.timeoutMs, "RequestParameters": p.integrationParams,
	}
	method := map[string]any{"AuthorizationType": string(p.authorization), "HttpMethod": p.method,
		"RequestParameters": p.methodParams, "Integration": integration}
	if !p.proxy {
		integration["PassthroughBehavior"] = "WHEN_NO_TEMPLATES"
		if p.envelope {
			integration["RequestTemplates"] = map[string]string{templates.EnvelopeContentType: templates.Envelope}
		}
		var corsKeys map[string]string // the method responses' CORS headers
		if cors != nil {
			corsKeys = cors.answerParams(nil)
		}
		var ir, mr []any
		for _, rule := range responseRules(statusCodes) {
			params := map[string]string{}
			for _, h := range responseHeaderList(rule.status, responseHeaders) {
				params["method.response.header."+h] = "integration.response.header." + h
			}
			if cors != nil {
				for k, v := range cors.answerParams(slices.Collect(maps.Keys(params))) {
					params[k] = v
				}
			}
			ir = append(ir, map[string]any{"ResponseParameters": params, "SelectionPattern": rule.pattern, "StatusCode": strconv.Itoa(rule.status)})
		}
		for _, code := range statusCodes {
			params := map[string]bool{}
			for _, h := range responseHeaderList(code, responseHeaders) {
				params["method.response.header."+h] = true
			}
			for k := range corsKeys {
				params[k] = true
			}
			mr = append(mr, map[string]any{"ResponseParameters": params, "StatusCode": strconv.Itoa(code)})
		}
		integration["IntegrationResponses"] = ir
		method["MethodResponses"] = mr
	}
	if p.authorization == AuthorizationIam {
		method["Metadata"] = map[string]any{"cdk_nag": map[string]any{"rules_to_suppress": []any{
			map[string]string{"reason": CognitoReason, "id": "AwsSolutions-COG4"}}}}
	}
	return encodedBytes(method, 0) + methodOverheadBytes
}

// resourceBytes is what the AWS::ApiGateway::Resources of path take that
// paths (the paths counted so far, updated) does not hold yet, with their
// entries in the deployment's DependsOn.
func resourceBytes(path string, paths map[string]bool) int {
	n := 0
	for full := ""; ; {
		rest := path[len(full):]
		if rest == "" || rest == "/" {
			break
		}
		next := len(rest)
		for i := 1; i < len(rest); i++ {
			if rest[i] == '/' {
				next = i
				break
			}
		}
		full += rest[:next]
		if !paths[full] {
			paths[full] = true
			n += apiResourceBytes + len(rest[:next]) + dependsOnBytes(full)
		}
	}
	return n
}
