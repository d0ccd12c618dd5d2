package vtl_test

import (
	"fmt"

	"github.com/iamgate/iamgate/internal/vtl"
)

// A template is parsed once and rendered for many requests: Parse does all
// the per-template work, and a *Template is safe for concurrent renders.
func ExampleRenderRequest() {
	t, err := vtl.Parse("greeting", `{"user": "$util.escapeJavaScript($input.params('name'))", "path": "$context.resourcePath"}`)
	if err != nil {
		panic(err)
	}
	for _, name := range []string{"alice", `bob "the builder"`} {
		res, err := vtl.RenderRequest(t, &vtl.Request{
			Query:   map[string]string{"name": name},
			Context: map[string]any{"resourcePath": "/hello"},
		}, vtl.APIGatewayOptions())
		if err != nil {
			panic(err)
		}
		fmt.Println(res.Output)
	}
	// Output:
	// {"user": "alice", "path": "/hello"}
	// {"user": "bob \"the builder\"", "path": "/hello"}
}

// Render renders a template with plain variables (see FromGo).
func ExampleTemplate_Render() {
	t, err := vtl.Parse("list", `#foreach($x in $items)$x.toUpperCase()#if($foreach.hasNext), #end#end`)
	if err != nil {
		panic(err)
	}
	out, err := t.Render(map[string]any{"items": vtl.FromGo([]string{"a", "b"})}, vtl.Options{})
	if err != nil {
		panic(err)
	}
	fmt.Println(out)
	// Output: A, B
}
