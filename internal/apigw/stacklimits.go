package apigw

import "fmt"

// CheckStackTemplate checks a synthesized CloudFormation template against
// CloudFormation's limits: its size as uploaded (MaxStackTemplateBytes) and
// its resource count (MaxStackResources). Each problem is one line that names
// the limit and the way out. atLeast says templateBytes is a lower bound
// (an estimate made before the template is written).
func CheckStackTemplate(templateBytes, resources int, atLeast bool) []string {
	var out []string
	if templateBytes > MaxStackTemplateBytes {
		is := "is"
		if atLeast {
			is = "is at least"
		}
		out = append(out, fmt.Sprintf("the template %s %d bytes, over CloudFormation's limit of %d bytes per template: "+
			"set the stack's SuppressTemplateIndentation (or the context @aws-cdk/core:suppressTemplateIndentation=true; about 20%% smaller), "+
			"turn the identity envelope off on routes that do not need it, or split the routes over two stacks", is, templateBytes, MaxStackTemplateBytes))
	}
	if resources > MaxStackResources {
		out = append(out, fmt.Sprintf("the stack has %d resources, over CloudFormation's limit of %d per stack: "+
			"split the routes over two stacks (each route is one AWS::ApiGateway::Method, each path segment one AWS::ApiGateway::Resource)", resources, MaxStackResources))
	}
	return out
}
