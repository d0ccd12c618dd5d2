package vtl

import (
	"encoding/base64"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// Mapping templates of LocalStack's AWS-validated tests
// (github.com/localstack/localstack, tests/aws/services/apigateway/*.py and
// tests/aws/files/*.vm, each test marked @markers.aws.validated) and what
// their .snapshot.json recorded of AWS's answer. Each case names its
// recording (file::test[parameters], snapshot key). A template whose output
// went to an AWS service (Kinesis, SQS, EventBridge, Step Functions) is
// checked for what the service then showed, not for its exact text.
//
// The recordings of test_input_path_template_formatting are
// TestInputPathAsRecordedAgainstAWS's (apigw_test.go), those of
// test_integration_mock_with_vtl_map_assignation's request template
// TestRequestOverrideAssignmentAsRecorded's.

// recordedCase is one rendering: tmpl for req gives want (when check is
// nil) or output that check accepts.
type recordedCase struct {
	recording string
	tmpl      string
	req       *Request
	want      string
	check     func(t *testing.T, out string, res *Result)
}

func renderRecorded(t *testing.T, tmpl string, req *Request, opts Options) *Result {
	t.Helper()
	tm, err := Parse("t", tmpl)
	if err != nil {
		t.Fatal(err)
	}
	res, err := RenderRequest(tm, req, opts)
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	return res
}

// jsonOf parses out as JSON, failing the test when it is not: the service
// behind the integration accepted it.
func jsonOf(t *testing.T, out string) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("output is not JSON (%v):\n%s", err, out)
	}
	return v
}

func b64(t *testing.T, s any) string {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(s.(string))
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return string(b)
}

const kinesisPutRecords = `{
    "StreamName": "s",
    "Records": [
        #set( $numRecords = $input.path('$.records').size() )
        #if($numRecords > 0)
            #set( $maxIndex = $numRecords - 1 )
            #foreach( $idx in [0..$maxIndex] )
                #set( $elem = $input.path("$.records[${idx}]") )
                #set( $elemJsonB64 = $util.base64Encode($elem.data) )
                {
                    "Data": "$elemJsonB64",
                    "PartitionKey": #if( $foo.bar.stuff != '')"$elem.partitionKey"#else"$elemJsonB64.length()"#end
                }#if($foreach.hasNext),#end
            #end
        #end
    ]
}`

// The template of test_sqs_amz_json_protocol (its Python f-string and
// textwrap.dedent applied).
const sqsContextTemplate = `
{
    "QueueUrl": "q",
    "MessageBody": "{\"context\": {#foreach( $key in $context.keySet() )\"$key\": \"$context.get($key)\"#if($foreach.hasNext),#end#end},\"identity\": {#foreach( $key in $context.identity.keySet() )\"$key\": \"$context.identity.get($key)\"#if($foreach.hasNext),#end#end},\"requestOverride\": {#foreach( $key in $context.requestOverride.keySet() )\"$key\": \"$context.requestOverride.get($key)\"#if($foreach.hasNext),#end#end},\"responseOverride\": {#foreach( $key in $context.responseOverride.keySet() )\"$key\": \"$context.responseOverride.get($key)\"#if($foreach.hasNext),#end#end},\"authorizer_keys\": {#foreach( $key in $context.authorizer.keySet() )\"$key\": \"$util.escapeJavaScript($context.authorizer.get($key))\"#if($foreach.hasNext),#end#end}}"}
`

// The request template of tests/aws/files/request-template.vm.
const lambdaRequestTemplateVM = `#set($allParams = $input.params())
#set($jsonBody = $input.json('$'))
#set($path = $allParams.get('path'))
#set($querystring = $allParams.get('querystring'))
#set($header = $allParams.get('header'))
#set($stage = $context.stage)
{
"apiContext": {
"apiId": "$context.apiId",
"method": "$context.httpMethod",
"sourceIp": "$context.identity.sourceIp",
"userAgent": "$context.identity.userAgent",
"path": "$context.path",
"protocol": "$context.protocol",
"requestId": "$context.requestId",
"stage": "$stage"
},
"path": {
"parameterMap": {
#foreach($paramName in $path.keySet())
"$paramName": "$util.escapeJavaScript($path.get($paramName))"#if($foreach.hasNext),#end
#end
}
},
"querystring": {
"parameterMap":{
#foreach($paramName in $querystring.keySet())
"$paramName": "$util.escapeJavaScript($querystring.get($paramName))"#if($foreach.hasNext),#end
#end
}
},
"header": {
"parameterMap": {
#foreach($paramName in $header.keySet())
"$paramName": "$util.escapeJavaScript($header.get($paramName))"#if($foreach.hasNext),#end
#end
}
},
"body": $jsonBody
}
`

// The response template of tests/aws/files/response-template.vm.
const lambdaResponseTemplateVM = `#set($inputRoot = $input.path('$'))
$input.json("$")
#if($inputRoot.toString().contains("customerror"))
    #set($context.responseOverride.status = 400)
#else
    #set($context.responseOverride.status = 202)
#end
`

// apigwContext is a $context as the gateway gives it, with the keys AWS's
// $context showed in test_sqs_amz_json_protocol.
func apigwContext() map[string]any {
	identity := map[string]any{}
	for _, k := range []string{"cognitoIdentityPoolId", "accountId", "cognitoIdentityId", "caller", "principalOrgId", "accessKey",
		"cognitoAuthenticationType", "cognitoAuthenticationProvider", "userArn", "user"} {
		identity[k] = ""
	}
	identity["sourceIp"], identity["userAgent"] = "203.0.113.9", "python/requests/tests"
	return map[string]any{
		"resourceId": "r1", "resourcePath": "/sqs", "httpMethod": "POST", "extendedRequestId": "e1", "requestTime": "t",
		"path": "/testing/sqs", "accountId": "111111111111", "protocol": "HTTP/1.1", "stage": "testing", "domainPrefix": "api1",
		"requestTimeEpoch": int64(1700000000000), "requestId": "req-1", "identity": identity, "domainName": "d",
		"deploymentId": "dep1", "apiId": "api1",
	}
}

func TestRecordedTemplates(t *testing.T) {
	tests := []recordedCase{
		// test_apigateway_kinesis.py: the template's output went to Kinesis, whose records the snapshot shows.
		{
			recording: "test_apigateway_kinesis.py::test_apigateway_to_kinesis[PutRecords] kinesis_records",
			tmpl:      kinesisPutRecords,
			req:       &Request{Body: `{"records": [{"data": "{\"foo\": \"bar1\"}"}, {"data": "{\"foo\": \"bar2\"}"}, {"data": "{\"foo\": \"bar3\"}"}]}`},
			check: func(t *testing.T, out string, _ *Result) {
				recs := jsonOf(t, out)["Records"].([]any)
				if len(recs) != 3 {
					t.Fatalf("%d records:\n%s", len(recs), out)
				}
				for i, r := range recs {
					r := r.(map[string]any)
					// An undefined $foo.bar.stuff != '' is false: the
					// partition key is the length of the base64 data.
					if data, pk := b64(t, r["Data"]), r["PartitionKey"]; data != `{"foo": "bar`+string(rune('1'+i))+`"}` || pk != "20" {
						t.Errorf("record %d: data %q, partition key %q; want partition key \"20\"", i, data, pk)
					}
				}
			},
		},
		{
			recording: "test_apigateway_kinesis.py::test_apigateway_to_kinesis[PutRecord] kinesis_records",
			tmpl:      "\n{\n    \"StreamName\": \"s\",\n    \"Data\": \"$util.base64Encode($input.body)\",\n    \"PartitionKey\": \"test\"\n}",
			req:       &Request{Body: `{"kinesis": "snapshot"}`},
			check: func(t *testing.T, out string, _ *Result) {
				v := jsonOf(t, out)
				if data := b64(t, v["Data"]); data != `{"kinesis": "snapshot"}` || v["PartitionKey"] != "test" {
					t.Errorf("data %q, partition key %v", data, v["PartitionKey"])
				}
			},
		},
		// test_apigateway_sqs.py
		{
			recording: "test_apigateway_sqs.py::test_sqs_amz_json_protocol sqs-messages",
			tmpl:      sqsContextTemplate,
			req:       &Request{Context: apigwContext()},
			check: func(t *testing.T, out string, _ *Result) {
				var body map[string]any
				if err := json.Unmarshal([]byte(jsonOf(t, out)["MessageBody"].(string)), &body); err != nil {
					t.Fatalf("MessageBody is not JSON: %v\n%s", err, out)
				}
				ctx := body["context"].(map[string]any)
				// The maps of $context print as nothing.
				for _, k := range []string{"identity", "requestOverride", "responseOverride"} {
					if v, ok := ctx[k]; !ok || v != "" {
						t.Errorf("context %s = %#v, want \"\"", k, v)
					}
				}
				if ctx["stage"] != "testing" || ctx["requestTimeEpoch"] != "1700000000000" || ctx["path"] != "/testing/sqs" {
					t.Errorf("context = %v", ctx)
				}
				if id := body["identity"].(map[string]any); len(id) != 12 || id["userAgent"] != "python/requests/tests" || id["caller"] != "" {
					t.Errorf("identity = %v", id)
				}
				want := map[string]any{
					"requestOverride":  map[string]any{"path": "", "header": "", "querystring": ""},
					"responseOverride": map[string]any{"header": ""},
					"authorizer_keys":  map[string]any{},
				}
				for k, w := range want {
					if !reflect.DeepEqual(body[k], w) {
						t.Errorf("%s = %#v, want %#v", k, body[k], w)
					}
				}
			},
		},
		{
			recording: "test_apigateway_sqs.py::test_sqs_request_and_response_xml_templates_integration sqs-json-response",
			tmpl: `
            #set($responseBody = $input.path('$.SendMessageResponse'))
            #set($requestId = $input.path('$.SendMessageResponse.ResponseMetadata.RequestId'))
            #set($messageId = $responseBody.SendMessageResult.MessageId)
            {
            "requestId": "$requestId",
            "messageId": "$messageId"
            }
            `,
			req: &Request{Body: `{"SendMessageResponse":{"ResponseMetadata":{"RequestId":"rid-1"},"SendMessageResult":{"MD5OfMessageAttributes":null,"MD5OfMessageBody":"m","MessageId":"mid-1","SequenceNumber":null}}}`},
			check: func(t *testing.T, out string, _ *Result) {
				if v := jsonOf(t, out); v["requestId"] != "rid-1" || v["messageId"] != "mid-1" {
					t.Errorf("got %v", v)
				}
			},
		},
		{
			recording: "test_apigateway_sqs.py::test_sqs_aws_integration_with_message_attribute[MessageAttribute] sqs-message-body, sqs-message-attributes",
			tmpl:      "Action=SendMessage&MessageBody=$input.body&MessageAttribute.1.Name=user-agent&MessageAttribute.1.Value.DataType=String&MessageAttribute.1.Value.StringValue=$input.params('HeaderFoo')",
			req:       &Request{Body: `{"foo": "bar"}`, Header: map[string]string{"HeaderFoo": "BAR-Header", "Content-Type": "application/json"}},
			want:      `Action=SendMessage&MessageBody={"foo": "bar"}&MessageAttribute.1.Name=user-agent&MessageAttribute.1.Value.DataType=String&MessageAttribute.1.Value.StringValue=BAR-Header`,
		},
		{
			recording: "test_apigateway_sqs.py::test_sqs_aws_integration sqs-messages (without payload: Body {})",
			tmpl:      "Action=SendMessage&MessageBody=$input.body",
			req:       &Request{},
			want:      "Action=SendMessage&MessageBody={}",
		},
		// test_apigateway_eventbridge.py: EventBridge took the entry.
		{
			recording: "test_apigateway_eventbridge.py::test_apigateway_to_eventbridge eventbridge-put-events-response",
			tmpl: `
              #set($context.requestOverride.header.X-Amz-Target = "AWSEvents.PutEvents")
              #set($context.requestOverride.header.Content-Type = "application/x-amz-json-1.1")
              #set($inputRoot = $input.path('$'))
              {
                "Entries": [
                  #foreach($elem in $inputRoot.items)
                  {
                    "Detail": "$util.escapeJavaScript($elem.Detail).replaceAll("\'","'")",
                    "DetailType": "$elem.DetailType",
                    "Source":"$elem.Source"
                  }#if($foreach.hasNext),#end
                  #end
                ]
              }
            `,
			req: &Request{Body: `{"items": [{"Detail": "{\"data\":\"Order is created\"}", "DetailType": "Test", "Source": "order"}]}`},
			check: func(t *testing.T, out string, res *Result) {
				e := jsonOf(t, out)["Entries"].([]any)
				if len(e) != 1 {
					t.Fatalf("entries: %v", e)
				}
				if m := e[0].(map[string]any); m["Detail"] != `{"data":"Order is created"}` || m["DetailType"] != "Test" || m["Source"] != "order" {
					t.Errorf("entry %v", m)
				}
				if h := res.Overrides["header"]; h["X-Amz-Target"] != "AWSEvents.PutEvents" || h["Content-Type"] != "application/x-amz-json-1.1" {
					t.Errorf("header overrides %v", h)
				}
			},
		},
		// test_apigateway_stepfunctions.py: Step Functions started the execution.
		{
			recording: "test_apigateway_stepfunctions.py::TestApigatewayStepfunctions::test_apigateway_with_step_function_integration[StartExecution] start_execution_response",
			tmpl:      "\n{\n\"input\": \"$util.escapeJavaScript($input.json('$'))\",\n\"stateMachineArn\": \"arn\"\n}\n",
			req:       &Request{Body: `{"test": "test-value"}`},
			check: func(t *testing.T, out string, _ *Result) {
				if in := jsonOf(t, out)["input"]; in != `{"test":"test-value"}` {
					t.Errorf("input %q", in)
				}
			},
		},
		// tests/aws/services/stepfunctions/v2/services/test_apigetway_task_service.py: the Lambda echoed the request template's output.
		{
			recording: "stepfunctions/v2/services/test_apigetway_task_service.py::TestTaskApiGateway::test_invoke_with_query_parameters (ResponseBody)",
			tmpl:      "\n{\n    \"body\": $input.json('$'),\n    \"queryStringParameters\": \"$input.params().querystring\"\n}\n",
			req:       &Request{Body: `{"message":["Hello","World!"]}`, Query: map[string]string{"param1": "Hello", "param2": "World"}},
			check: func(t *testing.T, out string, _ *Result) {
				v := jsonOf(t, out)
				if v["queryStringParameters"] != "{param1=Hello, param2=World}" || !reflect.DeepEqual(v["body"], map[string]any{"message": []any{"Hello", "World!"}}) {
					t.Errorf("got %v", v)
				}
			},
		},
		// test_apigateway_lambda.py
		{
			recording: "test_apigateway_lambda.py::test_lambda_aws_integration_with_request_template lambda-aws-integration-1",
			tmpl:      `{"param1": "$input.params('param1')"}`,
			req:       &Request{Query: map[string]string{"param1": "foobar"}},
			want:      `{"param1": "foobar"}`,
		},
		{
			recording: "test_apigateway_lambda.py::test_lambda_aws_integration_with_request_template lambda-aws-integration-2",
			tmpl:      `{"param1": "$input.params('param1')"}`,
			req:       &Request{Query: map[string]string{"param1": "foobar", "Signature": "1"}},
			want:      `{"param1": "foobar"}`,
		},
		{
			recording: "test_apigateway_lambda.py::test_lambda_aws_integration_response_with_mapping_templates (request-template.vm)",
			tmpl:      lambdaRequestTemplateVM,
			req: &Request{Body: `{"httpStatus": "200"}`, Header: map[string]string{"Content-Type": "application/json"},
				Context: map[string]any{"stage": "api", "httpMethod": "POST", "identity": map[string]any{"sourceIp": "203.0.113.9"}}},
			check: func(t *testing.T, out string, _ *Result) {
				v := jsonOf(t, out)
				if !reflect.DeepEqual(v["body"], map[string]any{"httpStatus": "200"}) || v["apiContext"].(map[string]any)["stage"] != "api" {
					t.Errorf("got %v", v)
				}
			},
		},
		{
			recording: "test_apigateway_lambda.py::test_lambda_aws_integration_response_with_mapping_templates response-template-202",
			tmpl:      lambdaResponseTemplateVM,
			req:       &Request{Body: `{"statusCode": 200, "body": "noerror"}`},
			check: func(t *testing.T, out string, res *Result) {
				if v := jsonOf(t, out); v["body"] != "noerror" || res.ResponseOverride.Status != 202 {
					t.Errorf("got %v, status %d", v, res.ResponseOverride.Status)
				}
			},
		},
		{
			recording: "test_apigateway_lambda.py::test_lambda_aws_integration_response_with_mapping_templates response-template-400",
			tmpl:      lambdaResponseTemplateVM,
			req:       &Request{Body: `{"statusCode": 200, "body": "customerror"}`},
			check: func(t *testing.T, out string, res *Result) {
				if v := jsonOf(t, out); v["body"] != "customerror" || res.ResponseOverride.Status != 400 {
					t.Errorf("got %v, status %d", v, res.ResponseOverride.Status)
				}
			},
		},
		{
			recording: "test_apigateway_lambda.py::test_lambda_selection_patterns",
			tmpl:      `{"statusCode": "$input.params('statusCode')"}`,
			req:       &Request{Path: map[string]string{"statusCode": "400"}},
			want:      `{"statusCode": "400"}`,
		},
		// test_apigateway_dynamodb.py: DynamoDB found the item.
		{
			recording: "test_apigateway_dynamodb.py::test_rest_api_to_dynamodb_integration[Query] result-test 3",
			tmpl:      `{"TableName": "t", "KeyConditionExpression": "id = :id", "ExpressionAttributeValues": {":id": {"S": "$input.params('id')"}}}`,
			req:       &Request{Query: map[string]string{"id": "test 3"}},
			want:      `{"TableName": "t", "KeyConditionExpression": "id = :id", "ExpressionAttributeValues": {":id": {"S": "test 3"}}}`,
		},
		// test_apigateway_basic.py
		{
			recording: "test_apigateway_basic.py::TestIntegrations::test_mock_integration_response[*] mock-response",
			tmpl:      `{"statusCode": 200, "id": $input.params().path.id}`,
			req:       &Request{Path: map[string]string{"id": "42"}, Header: map[string]string{"Content-Type": "application/json"}},
			want:      `{"statusCode": 200, "id": 42}`,
		},
		{
			recording: "test_apigateway_basic.py::TestAPIGateway::test_apigw_stage_variables[dev]",
			tmpl:      `{ "version": "$stageVariables.version" }`,
			req:       &Request{StageVariables: map[string]string{"lambdaFunction": "f", "version": "1.0"}},
			want:      `{ "version": "1.0" }`,
		},
		{
			recording: "test_apigateway_basic.py::TestAPIGateway::test_apigw_stage_variables[local]",
			tmpl:      `{ "version": "$stageVariables.version" }`,
			req:       &Request{},
			want:      `{ "version": "" }`,
		},
		// test_apigateway_canary.py
		{
			recording: "test_apigateway_canary.py::TestCanaryDeployments::test_invoking_canary_deployment response-deployment-1",
			tmpl:      `{"statusCode": 200, "message": "default deployment", "variable": "$stageVariables.testVar", "nonExistingDefault": "$stageVariables.noStageVar", "nonOverridden": "$stageVariables.defaultVar"}`,
			req:       &Request{StageVariables: map[string]string{"testVar": "default", "defaultVar": "default"}},
			want:      `{"statusCode": 200, "message": "default deployment", "variable": "default", "nonExistingDefault": "", "nonOverridden": "default"}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.recording, func(t *testing.T) {
			res := renderRecorded(t, tt.tmpl, tt.req, APIGatewayOptions())
			if tt.check != nil {
				tt.check(t, res.Output, res)
			} else if res.Output != tt.want {
				t.Errorf("%s\n got %q\nwant %q", tt.tmpl, res.Output, tt.want)
			}
		})
	}
}

// test_apigateway_common.py::TestApiGatewayCommon::test_input_body_formatting:
// a request template's output goes to a Lambda that returns it as its
// body, which the response template renders; the snapshot is the
// response. Each route is rendered here as that chain.
func TestRecordedInputBodyFormatting(t *testing.T) {
	const (
		rawBody     = "#set($result = $input.body)$result"
		bodyInStr   = "Action=SendMessage&MessageBody=$input.body"
		attrAccess  = "#set($result = $input.body.testAccess)$result"
		urlEncodeIt = "EncodedBody=$util.urlEncode($input.body)&EncodedBodyAccess=$util.urlEncode($input.body.testAccess)"
	)
	bodies := []struct{ name, body string }{
		{"empty-body", ""},
		{"json-body", `{"some": "value"}`},
		{"str-body", "some raw data"},
	}
	routes := []struct {
		snapshot, req, resp string
		want                [3]string
	}{
		{"response-raw-body", rawBody, rawBody, [3]string{`{}`, `{"some": "value"}`, `some raw data`}},
		{"response-str-body-input", bodyInStr, rawBody, [3]string{
			`Action=SendMessage&MessageBody={}`, `Action=SendMessage&MessageBody={"some": "value"}`, `Action=SendMessage&MessageBody=some raw data`}},
		{"response-str-body-output", rawBody, bodyInStr, [3]string{
			`Action=SendMessage&MessageBody={}`, `Action=SendMessage&MessageBody={"some": "value"}`, `Action=SendMessage&MessageBody=some raw data`}},
		{"response-str-body-all", bodyInStr, bodyInStr, [3]string{
			`Action=SendMessage&MessageBody=Action=SendMessage&MessageBody={}`,
			`Action=SendMessage&MessageBody=Action=SendMessage&MessageBody={"some": "value"}`,
			`Action=SendMessage&MessageBody=Action=SendMessage&MessageBody=some raw data`}},
		{"response-body-attr-access", attrAccess, rawBody, [3]string{`{}`, `{}`, `{}`}},
		{"response-url-encode", urlEncodeIt, rawBody, [3]string{
			`EncodedBody=%7B%7D&EncodedBodyAccess=`, `EncodedBody=%7B%22some%22%3A+%22value%22%7D&EncodedBodyAccess=`, `EncodedBody=some+raw+data&EncodedBodyAccess=`}},
	}
	for _, r := range routes {
		for i, b := range bodies {
			sent := renderRecorded(t, r.req, &Request{Body: b.body}, APIGatewayOptions()).Output
			got := renderRecorded(t, r.resp, &Request{Body: sent}, APIGatewayOptions()).Output
			if got != r.want[i] {
				t.Errorf("test_input_body_formatting %s %s: got %q, want %q", r.snapshot, b.name, got, r.want[i])
			}
		}
	}
}

// Request and response templates of one MOCK integration, the response
// template seeing the $context the request template left (KeepContext).
func TestRecordedMockTemplatePairs(t *testing.T) {
	const (
		overridesReq  = "#set($body = $util.base64Decode($input.params('testPath')))\n#set($context.requestOverride.path.body = $body)\n{\n  \"statusCode\": 200\n}\n"
		overridesResp = `
#set($body = $util.parseJson($context.requestOverride.path.body))
#set($inputBody = $body.message)
#if($inputBody == "path1")
{
   "response": "path was path one"
}
#elseif($inputBody == "path2")
{
   "response": "path was path two"
}
#else
{
  "response": "this is the else clause"
}
#end
`
		statusReq = `
#set($context.responseOverride.status = 444)
#set($context.responseOverride.header.foo = "bar")
#set($context.responseOverride.custom = "is also passed around")
{
  "statusCode": 200
}
`
		statusResp = `
#set($statusOverride = $context.responseOverride.status)
#set($fooHeader = $context.responseOverride.header.foo)
#set($custom = $context.responseOverride.custom)
{
    "statusOverride": "$statusOverride",
    "fooHeader": "$fooHeader",
    "custom": "$custom"
}
`
		mapReq  = requestOverrideAssignment
		mapResp = `
#set($value = $context.requestOverride.querystring["foo"])
#set($value2 = $context.requestOverride.querystring["putfoo"])
#set($value3 = $context.requestOverride.querystring["nestedfoo"])
{
    "value": "$value",
    "value2": "$value2",
    "value3": "$value3"
}
`
	)
	path := func(msg string) map[string]string {
		return map[string]string{"testPath": base64.StdEncoding.EncodeToString([]byte(`{"message": "` + msg + `"}`))}
	}
	tests := []struct {
		recording, req, resp string
		path                 map[string]string
		want                 map[string]any
		status               int
	}{
		{"test_apigateway_integrations.py::test_integration_mock_with_request_overrides_in_response_template invoke-path1",
			overridesReq, overridesResp, path("path1"), map[string]any{"response": "path was path one"}, 0},
		{"test_apigateway_integrations.py::test_integration_mock_with_request_overrides_in_response_template invoke-path2",
			overridesReq, overridesResp, path("path2"), map[string]any{"response": "path was path two"}, 0},
		{"test_apigateway_integrations.py::test_integration_mock_with_request_overrides_in_response_template invoke-path-else",
			overridesReq, overridesResp, path("whatever"), map[string]any{"response": "this is the else clause"}, 0},
		{"test_apigateway_integrations.py::test_integration_mock_with_response_override_in_request_template[True] response",
			statusReq, statusResp, nil, map[string]any{"statusOverride": "444", "fooHeader": "bar", "custom": "is also passed around"}, 444},
		{"test_apigateway_integrations.py::test_integration_mock_with_vtl_map_assignation response",
			mapReq, mapResp, nil, map[string]any{"value": "bar", "value2": "putBar", "value3": "nestedFoo"}, 0},
	}
	keep := APIGatewayOptions()
	keep.KeepContext = true
	for _, tt := range tests {
		r1 := renderRecorded(t, tt.req, &Request{Path: tt.path, Context: map[string]any{"stage": "dev"}}, keep)
		if strings.TrimSpace(r1.Output) != "{\n  \"statusCode\": 200\n}" {
			t.Errorf("%s: request template gave %q", tt.recording, r1.Output)
		}
		r2 := renderRecorded(t, tt.resp, &Request{Context: r1.Context}, APIGatewayOptions())
		if got := jsonOf(t, r2.Output); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.recording, got, tt.want)
		}
		if r2.ResponseOverride.Status != tt.status {
			t.Errorf("%s: status %d, want %d", tt.recording, r2.ResponseOverride.Status, tt.status)
		}
	}
}

// Under API Gateway a reference with no value equals "" (and not under
// Velocity 1.7: conformance case "null is not the empty string"), recorded
// against AWS: test_apigateway_kinesis.py::test_apigateway_to_kinesis[PutRecords]
// (kinesis_records: the partition keys are "20", the template's comparison of
// an undefined $foo.bar.stuff with the empty string
// having been false).
func TestNullEqualsEmptyAsRecorded(t *testing.T) {
	const tmpl = `#if($foo.bar.stuff != '')a#end#if($foo == "")b#end#if("" != $foo)c#end#if($foo == $null)d#end#if("x" != $foo)e#end#if($foo != 0)f#end`
	if got := renderRecorded(t, tmpl, &Request{}, APIGatewayOptions()).Output; got != "bdef" {
		t.Errorf("got %q, want %q", got, "bdef")
	}
}

// The maps API Gateway puts in $context print as nothing, their entries
// reading as before, recorded against AWS:
// test_apigateway_sqs.py::test_sqs_amz_json_protocol (sqs-messages: "identity",
// "requestOverride", "responseOverride" and the override maps printed as "").
// A map the template makes, or a *Map of the caller's, prints as a map.
func TestContextMapsPrintAsNothingAsRecorded(t *testing.T) {
	const tmpl = `[$context.identity][$context.get("identity")][$context.identity.sourceIp][$context.identity.keySet()]` +
		`[$context.requestOverride][$context.requestOverride.header][$context.responseOverride.get("header")]` +
		`#set($context.m = {"k": 1})[$context.m][$context.other]`
	want := "[][][1.2.3.4][[sourceIp]][][][][{k=1}][{x=y}]"
	other := NewMap()
	other.Put("x", "y")
	req := &Request{Context: map[string]any{"identity": map[string]any{"sourceIp": "1.2.3.4"}, "other": other}}
	if got := renderRecorded(t, tmpl, req, APIGatewayOptions()).Output; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	// Also in the response template, on the $context the request template left.
	keep := APIGatewayOptions()
	keep.KeepContext = true
	r1 := renderRecorded(t, `#set($context.requestOverride.header.h = "v")`, req, keep)
	r2 := renderRecorded(t, `[$context.identity][$context.requestOverride.header][$context.requestOverride.header.h]`, &Request{Context: r1.Context}, APIGatewayOptions())
	if want := "[][][v]"; r2.Output != want {
		t.Errorf("response template: got %q, want %q", r2.Output, want)
	}
}
