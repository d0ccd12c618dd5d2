package vtl

import (
	"errors"
	"strings"
	"testing"
)

func renderAPIGW(t *testing.T, tmpl string, req *Request) string {
	t.Helper()
	tm, err := Parse("t", tmpl)
	if err != nil {
		t.Fatal(err)
	}
	res, err := RenderRequest(tm, req, APIGatewayOptions())
	if err != nil {
		t.Fatalf("render %q: %v", tmpl, err)
	}
	return res.Output
}

// $input, $util, $context and $stageVariables as the API Gateway developer
// guide documents them (our own cases, written after its examples).
func TestAPIGatewayVariables(t *testing.T) {
	req := &Request{
		Body:   `{"name": "Ann \"A\"", "items": [{"id": 1, "type": "dog", "price": 249.99}, {"id": 2, "type": "cat", "price": 124.5}], "nested": {"id": 9}}`,
		Path:   map[string]string{"petId": "7"},
		Query:  map[string]string{"petId": "from-query", "q": "a b"},
		Header: map[string]string{"X-Trace": "t1", "Content-Type": "application/json"},
		Context: map[string]any{
			"httpMethod": "GET", "stage": "prod", "requestId": "r-1",
			"identity": map[string]any{"userArn": "arn:aws:iam::123456789012:user/alice", "sourceIp": "203.0.113.9"},
		},
		StageVariables: map[string]string{"env": "test"},
	}
	tests := []struct{ tmpl, want string }{
		{`$input.body`, req.Body},
		{`$input.json('$.name')`, `"Ann \"A\""`},
		{`$input.json('$.items[0]')`, `{"id":1,"type":"dog","price":249.99}`},
		{`$input.json('$.items[*].id')`, `[1,2]`},
		{`$input.json('$..id')`, `[1,2,9]`},
		{`$input.json("$['nested']")`, `{"id":9}`},
		{`$input.json('$.missing')`, `null`},
		{`$input.json('$')`, `{"name":"Ann \"A\"","items":[{"id":1,"type":"dog","price":249.99},{"id":2,"type":"cat","price":124.5}],"nested":{"id":9}}`},
		{`$input.path('$.items').size()`, `2`},
		{`$input.path('$.items[1].type')`, `cat`},
		{`$input.path('$.nested.id')`, `9`},
		{`#set($root = $input.path('$'))$root.name.length()`, `7`},
		{`$input.params('petId')`, `7`},
		{`$input.params('q')`, `a b`},
		{`$input.params('x-trace')`, `t1`},
		{`[$input.params('nope')]`, `[]`},
		{`$input.params().path.petId $input.params().querystring.q $input.params().header.get('X-Trace')`, `7 a b t1`},
		{`#foreach($type in $input.params().keySet())$type #end`, `path querystring header `},
		{`$context.httpMethod $context.stage $context.identity.userArn $context.identity.sourceIp [$context.identity.caller]`,
			`GET prod arn:aws:iam::123456789012:user/alice 203.0.113.9 []`},
		{`$stageVariables.env [$stageVariables.nope]`, `test []`},
		{`$util.escapeJavaScript("it's ""q"" \ / é 😀 ` + "\x01\n" + `")`, `it\'s \"q\" \\ \/ \u00E9 \uD83D\uDE00 \u0001\n`},
		{`$util.escapeJavaScript("it's").replaceAll("\\'","'")`, `it's`},
		{`#set($o = $util.parseJson('{"a": [1, {"b": true}]}'))$o.a[1].b $o.a.size()`, `true 2`},
		{`$util.urlEncode("a b&c=d/é*~")`, `a+b%26c%3Dd%2F%C3%A9*%7E`},
		{`$util.urlDecode("a+b%26c%3Dd%2F%C3%A9")`, `a b&c=d/é`},
		{`$util.base64Encode("hello, world")`, `aGVsbG8sIHdvcmxk`},
		{`$util.base64Decode("aGVsbG8sIHdvcmxk")`, `hello, world`},
		// The developer guide's kind of output template: a list rebuilt from the body.
		{`#set($inputRoot = $input.path('$'))[
#foreach($elem in $inputRoot.items)
  {"description": "Item $elem.id is a $elem.type.", "askingPrice": $elem.price}#if($foreach.hasNext),#end

#end
]`, `[
  {"description": "Item 1 is a dog.", "askingPrice": 249.99},
  {"description": "Item 2 is a cat.", "askingPrice": 124.5}
]`},
	}
	for _, tt := range tests {
		if got := renderAPIGW(t, tt.tmpl, req); got != tt.want {
			t.Errorf("%s\n got %q\nwant %q", tt.tmpl, got, tt.want)
		}
	}
}

// An empty body reads as {} in $input.body and $input.json('$'), recorded
// against AWS: LocalStack's
// tests/aws/services/apigateway/test_apigateway_common.py::test_input_body_formatting
// (snapshot "response-raw-body", "response-str-body-input", "response-url-encode":
// "empty-body").
func TestEmptyBody(t *testing.T) {
	req := &Request{}
	for tmpl, want := range map[string]string{
		`$input.json('$')`:                                `{}`,
		`[$input.path('$.a')]`:                            `[]`,
		`[$input.body]`:                                   `[{}]`,
		`#set($result = $input.body)$result`:              `{}`,
		`Action=SendMessage&MessageBody=$input.body`:      `Action=SendMessage&MessageBody={}`,
		`#set($result = $input.body.testAccess)[$result]`: `[]`,
		`EncodedBody=$util.urlEncode($input.body)&EncodedBodyAccess=$util.urlEncode($input.body.testAccess)`: `EncodedBody=%7B%7D&EncodedBodyAccess=`,
		`$input.params().header`:   `{}`,
		`[$context.identity.user]`: `[]`,
	} {
		if got := renderAPIGW(t, tmpl, req); got != want {
			t.Errorf("%s = %q, want %q", tmpl, got, want)
		}
	}
}

func TestInvalidJSONBodyIsAnError(t *testing.T) {
	tm, _ := Parse("t", "x $input.json('$.a')")
	_, err := RenderRequest(tm, &Request{Body: `{"a": `}, APIGatewayOptions())
	var ee *ExecError
	if !errors.As(err, &ee) || !strings.Contains(err.Error(), "t:1:9:") || !strings.Contains(err.Error(), "invalid JSON") {
		t.Errorf("error = %v", err)
	}
}

func TestRequestOverride(t *testing.T) {
	tm, _ := Parse("t", `#set($context.requestOverride.header.X-Extra = "1")#set($context.requestOverride.querystring.page = 2)ok`)
	res, err := RenderRequest(tm, &Request{}, APIGatewayOptions())
	if err != nil {
		t.Fatal(err)
	}
	if res.Output != "ok" || res.Overrides["header"]["X-Extra"] != "1" || res.Overrides["querystring"]["page"] != "2" {
		t.Errorf("result = %+v", res)
	}
}

func TestJSONPathErrors(t *testing.T) {
	for _, p := range []string{"a.b", "$.", "$[x]", "$.a[", "$!"} {
		if _, err := JSONPath(NewMap(), p); err == nil {
			t.Errorf("JSONPath(%q) succeeded", p)
		}
	}
}

func TestUtilErrors(t *testing.T) {
	for _, tmpl := range []string{`$util.urlDecode("%zz")`, `$util.base64Decode("***")`, `$util.parseJson("{")`, `#set($s = "a")$s.replaceAll("(", "x")`} {
		tm, err := Parse("t", tmpl)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := RenderRequest(tm, &Request{}, APIGatewayOptions()); err == nil {
			t.Errorf("%s rendered without error", tmpl)
		}
	}
}

// $input.path as recorded against AWS: LocalStack's
// tests/aws/services/apigateway/test_apigateway_common.py::test_input_path_template_formatting
// and its .snapshot.json (recorded 2025-06-18). A JSON array prints as
// compact JSON, also inside a map; a map prints as Java's {k=v}; a path that
// finds nothing (or null) prints as nothing and equals both $null and "".
func TestInputPathAsRecordedAgainstAWS(t *testing.T) {
	const (
		path       = `#set($result = $input.path("$.json"))$result`
		nested     = `#set($result = $input.path("$.json"))$result.nested`
		list       = `#set($result = $input.path("$.json"))$result[0]`
		toString   = `#set($result = $input.path("$.json"))$result.toString()`
		invalid    = `#set($result = $input.path("$.nonExisting")){"body": $result, "nested": $result.nested, "isNull": #if( $result == $null )"true"#else"false"#end, "isEmptyString": #if( $result == "" )"true"#else"false"#end}`
		nestedList = `#set($result = $input.path("$.json.listValue")){"body": $result, "nested": $result.nested, "isNull": #if( $result == $null )"true"#else"false"#end, "isEmptyString": #if( $result == "" )"true"#else"false"#end}`
	)
	// The recording posts the body under "json" (requests' json=...); the
	// template reads $.json of API Gateway's view of it, which LocalStack's
	// echo server wraps; here the body is given wrapped.
	tests := []struct{ snapshot, tmpl, body, want string }{
		{"dict-response", path, `{"json": {"foo": "bar"}}`, `{foo=bar}`},
		{"json-list", path, `{"json": [{"foo": "bar"}]}`, `[{"foo":"bar"}]`},
		{"nested-dict", nested, `{"json": {"nested": {"foo": "bar"}}}`, `{foo=bar}`},
		{"nested-list", nested, `{"json": {"nested": [{"foo": "bar"}]}}`, `[{"foo":"bar"}]`},
		{"dict-in-list", list, `{"json": [{"foo": "bar"}]}`, `{foo=bar}`},
		{"list-with-nested-list", list, `{"json": [[{"foo": "bar"}]]}`, `[{"foo":"bar"}]`},
		{"dict-with-nested-list", path, `{"json": {"foo": [{"nested": "bar"}]}}`, `{foo=[{"nested":"bar"}]}`},
		{"bigger-dict", path, `{"json": {"bigger": "dict", "to": "test", "with": "separators"}}`, `{bigger=dict, to=test, with=separators}`},
		{"to-string", toString, `{"json": {"foo": "bar"}}`, `{foo=bar}`},
		{"list-to-string", toString, `{"json": {"list": [{"foo": "bar"}]}}`, `{list=[{"foo":"bar"}]}`},
		{"empty-body", invalid, ``, `{"body": , "nested": , "isNull": "true", "isEmptyString": "true"}`},
		{"nested-empty-list", nestedList, `{"json": {"listValue": []}}`, `{"body": [], "nested": , "isNull": "false", "isEmptyString": "false"}`},
		{"nested-null-list", nestedList, `{"json": {"listValue": null}}`, `{"body": , "nested": , "isNull": "true", "isEmptyString": "true"}`},
	}
	for _, tt := range tests {
		if got := renderAPIGW(t, tt.tmpl, &Request{Body: tt.body}); got != tt.want {
			t.Errorf("%s: %s with body %s\n got %s\nwant %s", tt.snapshot, tt.tmpl, tt.body, got, tt.want)
		}
	}
}

// requestOverrideAssignment is the request template of that recording.
const requestOverrideAssignment = `
#set($paramName = "foo")
#set($context.requestOverride.querystring[$paramName] = "bar")
#set($paramPutName = "putfoo")
$context.requestOverride.querystring.put($paramPutName, "putBar")
#set($context["requestOverride"].querystring["nestedfoo"] = "nestedFoo")
{
  "statusCode": 200
}
`

// The ways of setting $context.requestOverride that AWS honours, recorded
// against AWS: LocalStack's
// tests/aws/services/apigateway/test_apigateway_integrations.py::test_integration_mock_with_vtl_map_assignation
// (its .snapshot.json: value "bar", value2 "putBar", value3 "nestedFoo"):
// #set with an index, put(), and #set through $context["requestOverride"].
func TestRequestOverrideAssignmentAsRecorded(t *testing.T) {
	tm, err := Parse("t", requestOverrideAssignment)
	if err != nil {
		t.Fatal(err)
	}
	res, err := RenderRequest(tm, &Request{}, APIGatewayOptions())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"foo": "bar", "putfoo": "putBar", "nestedfoo": "nestedFoo"}
	got := res.Overrides["querystring"]
	if len(got) != len(want) || got["foo"] != "bar" || got["putfoo"] != "putBar" || got["nestedfoo"] != "nestedFoo" {
		t.Errorf("querystring overrides = %v, want %v", got, want)
	}
	if out := strings.TrimSpace(res.Output); out != "{\n  \"statusCode\": 200\n}" {
		t.Errorf("output = %q", out)
	}
}

// With KeepContext, the $context a request template leaves is the next
// template's: its responseOverride, its requestOverride and its own keys,
// as AWS renders a MOCK's request and response templates (LocalStack's
// AWS-validated test_integration_mock_with_response_override_in_request_template
// and test_integration_mock_with_request_overrides_in_response_template).
func TestKeepContext(t *testing.T) {
	req, _ := Parse("req", `#set($context.responseOverride.status = 444)#set($context.responseOverride.header.foo = "bar")`+
		`#set($context.requestOverride.path.x = "path one")#set($context.custom = "is also passed around")#set($context.m = {"k": [1, "two"]}){"statusCode": 200}`)
	opts := APIGatewayOptions()
	opts.KeepContext = true
	r1, err := RenderRequest(req, &Request{Context: map[string]any{"stage": "prod"}}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if r1.ResponseOverride.Status != 444 || r1.ResponseOverride.Header["foo"] != "bar" || r1.Overrides["path"]["x"] != "path one" {
		t.Fatalf("request template: %+v %+v", r1.ResponseOverride, r1.Overrides)
	}
	resp, _ := Parse("resp", `$context.responseOverride.status $context.responseOverride.header.foo $context.requestOverride.path.x $context.custom $context.m.k.get(1) $context.stage`)
	r2, err := RenderRequest(resp, &Request{Context: r1.Context}, APIGatewayOptions())
	if err != nil {
		t.Fatal(err)
	}
	if want := "444 bar path one is also passed around two prod"; r2.Output != want {
		t.Errorf("response template: %q, want %q", r2.Output, want)
	}
	if r2.ResponseOverride.Status != 444 || r2.ResponseOverride.Header["foo"] != "bar" {
		t.Errorf("the response template's overrides: %+v", r2.ResponseOverride)
	}
	if r, _ := RenderRequest(req, &Request{}, APIGatewayOptions()); r.Context != nil {
		t.Error("Context without KeepContext")
	}
}
