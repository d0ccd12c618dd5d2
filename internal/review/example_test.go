package review_test

import (
	"fmt"
	"strings"

	"github.com/iamgate/iamgate/internal/apimodel"
	"github.com/iamgate/iamgate/internal/review"
)

// Diff compares the APIs of two templates; here a route that loses its IAM
// authorization and the header that carried the caller.
func ExampleDiff() {
	const tmpl = `{"Resources": {
		"Api": {"Type": "AWS::ApiGateway::RestApi", "Properties": {"Name": "orders"}},
		"Get": {"Type": "AWS::ApiGateway::Method", "Properties": {
			"RestApiId": {"Ref": "Api"}, "ResourceId": {"Fn::GetAtt": ["Api", "RootResourceId"]},
			"HttpMethod": "GET", "AuthorizationType": "AWS_IAM",
			"Integration": {"Type": "HTTP", "IntegrationHttpMethod": "GET", "Uri": "https://orders.example.com/",
				"RequestParameters": {"integration.request.header.X-Caller": "context.identity.userArn"}}}}}}`
	old, _ := apimodel.Parse([]byte(tmpl), apimodel.Options{})
	changed := strings.NewReplacer(`"AWS_IAM"`, `"NONE"`, `"context.identity.userArn"`, `"method.request.header.X-Caller"`).Replace(tmpl)
	new, _ := apimodel.Parse([]byte(changed), apimodel.Options{})

	r := review.Diff(old, new)
	for _, f := range r.Findings {
		fmt.Println(f.Level, f.Rule, f)
	}
	// Output:
	// security authorization-weakened GET /: authorization weakened: AWS_IAM -> NONE
	// security identity-header-source GET /: identity mapping header.X-Caller now reads the client's method request parameter method.request.header.X-Caller (was context.identity.userArn)
}
