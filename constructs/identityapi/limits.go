package identityapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"

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
	// The stack's own SuppressTemplateIndentation cannot be read back; the
	// context key can.
	indented := true
	if s, ok := stacks[0].Node().TryGetContext(jsii.String("@aws-cdk/core:suppressTemplateIndentation")).(bool); ok && s {
		indented = false
	}
	out := []*string{}
	for i := range stacks {
		for _, p := range apigw.CheckStackTemplate(v.c.estimateBytes(i), resources[i], true, indented) {
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
// properties estimateBytes writes: its logical id, type, the references to
// its API, resource and validator, and its entry in the deployment's
// DependsOn.
const methodOverheadBytes = 200

// estimateBytes is a lower bound of the template bytes that stack k (0: the
// API's own, n: the nested stack Routes<n>) holds of the API's methods and
// resources: their properties as the construct builds them, written as JSON
// without indentation. The API's resources are in its own stack.
func (c *IdentityApi) estimateBytes(k int) int {
	n := 0
	paths := map[string]bool{}
	for i, r := range c.routes {
		p := r.plan
		if k == 0 {
			n += resourceBytes(p.path, paths)
		}
		if c.plan.stackOf(i) == k {
			n += methodBytes(p, c.statusCodes, c.responseHeaders)
		}
	}
	return n
}

// methodBytes is what the AWS::ApiGateway::Method of p takes in a template
// without indentation, at least.
func methodBytes(p *routePlan, statusCodes []int, responseHeaders []string) int {
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
		var ir, mr []any
		for _, rule := range responseRules(statusCodes) {
			params := map[string]string{}
			for _, h := range responseHeaderList(rule.status, responseHeaders) {
				params["method.response.header."+h] = "integration.response.header." + h
			}
			ir = append(ir, map[string]any{"ResponseParameters": params, "SelectionPattern": rule.pattern, "StatusCode": strconv.Itoa(rule.status)})
		}
		for _, code := range statusCodes {
			params := map[string]bool{}
			for _, h := range responseHeaderList(code, responseHeaders) {
				params["method.response.header."+h] = true
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
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // as JSON.stringify writes
	if err := enc.Encode(method); err != nil {
		return methodOverheadBytes
	}
	return b.Len() + methodOverheadBytes
}

// resourceBytes is what the AWS::ApiGateway::Resources of path take that
// paths (the paths counted so far, updated) does not hold yet.
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
			n += apiResourceBytes + len(rest[:next])
		}
	}
	return n
}
