package apigw

import (
	"strings"
	"testing"
)

func TestCheckStackTemplate(t *testing.T) {
	if got := CheckStackTemplate(MaxStackTemplateBytes, MaxStackResources, false, true); got != nil {
		t.Errorf("at the limits: %q", got)
	}
	got := CheckStackTemplate(MaxStackTemplateBytes+1, MaxStackResources+1, false, true)
	want := []string{
		"the template is 1000001 bytes, over CloudFormation's limit of 1000000 bytes per template: set the stack's SuppressTemplateIndentation (or the context @aws-cdk/core:suppressTemplateIndentation=true; about 20% smaller), lower the construct's RoutesPerStack (the routes past it go to nested stacks), pass fewer status codes (PassedStatusCodes), or turn the identity envelope off on routes that do not need it",
		"the stack has 501 resources, over CloudFormation's limit of 500 per stack: lower the construct's RoutesPerStack (the routes past it go to nested stacks) or move other resources out of the stack (each route is one AWS::ApiGateway::Method, each path segment one AWS::ApiGateway::Resource of the API's stack)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	want = []string{"the template is at least 1000001 bytes, over CloudFormation's limit of 1000000 bytes per template: lower the construct's RoutesPerStack (the routes past it go to nested stacks), pass fewer status codes (PassedStatusCodes), or turn the identity envelope off on routes that do not need it"}
	if got := CheckStackTemplate(MaxStackTemplateBytes+1, 0, true, false); strings.Join(got, "\n") != want[0] {
		t.Errorf("estimate of a template without indentation: %q\nwant %q", got, want)
	}
}
