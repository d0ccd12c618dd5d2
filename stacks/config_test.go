package stacks

import (
	"reflect"
	"testing"
)

func getter(m map[string]any) ContextGetter { return func(k string) any { return m[k] } }

func TestReadConfigDefaults(t *testing.T) {
	cfg, err := ReadConfig(getter(nil))
	if err != nil {
		t.Fatal(err)
	}
	want := &Config{StackName: "IamGate", BackendURL: "https://httpbin.org/anything", Nag: true}
	if !reflect.DeepEqual(cfg, want) {
		t.Errorf("ReadConfig(empty) = %+v, want %+v", cfg, want)
	}
}

func TestReadConfigNag(t *testing.T) {
	for v, want := range map[any]bool{"false": false, false: false, "TRUE": true, true: true} {
		cfg, err := ReadConfig(getter(map[string]any{KeyNag: v}))
		if err != nil || cfg.Nag != want {
			t.Errorf("iamgate:nag=%v: Nag = %v, %v; want %v", v, cfg.Nag, err, want)
		}
	}
}

func TestReadConfigRoutes(t *testing.T) {
	fromJSONFile := []any{map[string]any{"method": "GET", "path": "/a", "headers": []any{map[string]any{"from": "X-A", "required": true}}}}
	fromFlag := `[{"method":"GET","path":"/a","headers":[{"from":"X-A","required":true}]}]`
	want := []RouteConfig{{Method: "GET", Path: "/a", Headers: []MappingConfig{{From: "X-A", Required: true}}}}
	for name, v := range map[string]any{"cdk.json": fromJSONFile, "-c": fromFlag} {
		cfg, err := ReadConfig(getter(map[string]any{KeyRoutes: v}))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(cfg.Routes, want) {
			t.Errorf("%s: routes = %+v, want %+v", name, cfg.Routes, want)
		}
	}
}

func TestReadConfigErrors(t *testing.T) {
	tests := []struct {
		ctx  map[string]any
		want string
	}{
		{map[string]any{KeyBackendURL: 42.0}, `context "iamgate:backendUrl": 42 is a float64; expected a string`},
		{map[string]any{KeyStageName: " "}, `context "iamgate:stageName": empty; remove the key for the default or give a value`},
		{map[string]any{KeyRoutes: "[{"}, `context "iamgate:routes": the string "[{" is not valid JSON`},
		{map[string]any{KeyRoutes: `{"method":"GET"}`},
			`context "iamgate:routes": json: cannot unmarshal object into Go value of type []stacks.RouteConfig; expected a JSON list of routes like [{"method":"GET","path":"/orders"}]`},
		{map[string]any{KeyRoutes: `[{"method":"GET","pth":"/a"}]`},
			`context "iamgate:routes": json: unknown field "pth"; expected a JSON list of routes like [{"method":"GET","path":"/orders"}]`},
		{map[string]any{KeyNag: "no"}, `context "iamgate:nag": no; expected true or false`},
		{map[string]any{KeyRoutes: `null`}, `context "iamgate:routes": null; expected a JSON list of routes like [{"method":"GET","path":"/orders"}]`},
	}
	for _, tt := range tests {
		_, err := ReadConfig(getter(tt.ctx))
		if err == nil || err.Error() != tt.want {
			t.Errorf("ReadConfig(%v) error = %v, want %q", tt.ctx, err, tt.want)
		}
	}
}
