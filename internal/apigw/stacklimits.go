package apigw

import "fmt"

// CheckStackTemplate checks a synthesized CloudFormation template against
// CloudFormation's limits: its size as uploaded (MaxStackTemplateBytes) and
// its resource count (MaxStackResources). Each problem is one line that names
// the limit and the way out. atLeast says templateBytes is a lower bound
// (an estimate made before the template is written); indented, that the
// template is (or may be) written with indentation, which the way out then
// names first.
func CheckStackTemplate(templateBytes, resources int, atLeast, indented bool) []string {
	var out []string
	if templateBytes > MaxStackTemplateBytes {
		is := "is"
		if atLeast {
			is = "is at least"
		}
		way := "lower the construct's RoutesPerStack (the routes past it go to nested stacks), pass fewer status codes (PassedStatusCodes), or turn the identity envelope off on routes that do not need it"
		if indented {
			way = "set the stack's SuppressTemplateIndentation (or the context @aws-cdk/core:suppressTemplateIndentation=true; about 20% smaller), " + way
		}
		out = append(out, fmt.Sprintf("the template %s %d bytes, over CloudFormation's limit of %d bytes per template: %s",
			is, templateBytes, MaxStackTemplateBytes, way))
	}
	if resources > MaxStackResources {
		out = append(out, fmt.Sprintf("the stack has %d resources, over CloudFormation's limit of %d per stack: "+
			"lower the construct's RoutesPerStack (the routes past it go to nested stacks) or move other resources out of the stack (each route is one AWS::ApiGateway::Method, each path segment one AWS::ApiGateway::Resource of the API's stack)", resources, MaxStackResources))
	}
	return out
}
