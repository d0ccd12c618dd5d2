package stacks

import (
	"reflect"
	"testing"
)

func TestReadConfigCors(t *testing.T) {
	age := 3600.0
	for _, v := range []any{
		map[string]any{"allowOrigins": []any{"https://app.example.com"}, "allowHeaders": []any{"Authorization"}, "allowMethods": []any{"GET"}, "maxAge": 3600.0},
		`{"allowOrigins":["https://app.example.com"],"allowHeaders":["Authorization"],"allowMethods":["GET"],"maxAge":3600}`, // as -c gives it
	} {
		cfg, err := ReadConfig(getter(map[string]any{KeyCors: v}))
		if err != nil {
			t.Fatal(err)
		}
		want := &CorsConfig{AllowOrigins: []string{"https://app.example.com"}, AllowHeaders: []string{"Authorization"}, AllowMethods: []string{"GET"}, MaxAge: &age}
		if !reflect.DeepEqual(cfg.Cors, want) {
			t.Errorf("Cors = %+v, want %+v", cfg.Cors, want)
		}
	}
	for v, want := range map[any]string{
		`{"origins":["*"]}`: `context "iamgate:cors": json: unknown field "origins"; expected ` + corsForm,
		`{}`:                `context "iamgate:cors": allowOrigins is missing or empty; expected ` + corsForm,
		`["*"]`:             `context "iamgate:cors": json: cannot unmarshal array into Go value of type stacks.CorsConfig; expected ` + corsForm,
	} {
		if _, err := ReadConfig(getter(map[string]any{KeyCors: v})); err == nil || err.Error() != want {
			t.Errorf("ReadConfig(%v) error = %v, want %q", v, err, want)
		}
	}
}
