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

func TestEmptyBody(t *testing.T) {
	req := &Request{}
	for tmpl, want := range map[string]string{
		`$input.json('$')`:         `{}`,
		`[$input.path('$.a')]`:     `[]`,
		`[$input.body]`:            `[]`,
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
