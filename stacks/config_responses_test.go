package stacks

import (
	"reflect"
	"testing"
)

func TestReadConfigResponseHeaders(t *testing.T) {
	want := []string{"X-Total-Count", "Link"}
	for name, v := range map[string]any{"cdk.json": []any{"X-Total-Count", "Link"}, "-c": `["X-Total-Count","Link"]`} {
		cfg, err := ReadConfig(getter(map[string]any{KeyResponseHeaders: v}))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(cfg.ResponseHeaders, want) {
			t.Errorf("%s: ResponseHeaders = %q, want %q", name, cfg.ResponseHeaders, want)
		}
		if got := cfg.Props(nil).ResponseHeaders; got == nil || len(*got) != 2 || *(*got)[1] != "Link" {
			t.Errorf("%s: props ResponseHeaders = %v", name, got)
		}
	}
	// -c also takes a comma-separated list (readStrings, as for the other lists).
	if cfg, err := ReadConfig(getter(map[string]any{KeyResponseHeaders: "ETag, X-Total-Count"})); err != nil ||
		!reflect.DeepEqual(cfg.ResponseHeaders, []string{"ETag", "X-Total-Count"}) {
		t.Errorf("comma list: %v, %v", cfg, err)
	}
	msg := `context "iamgate:responseHeaders": json: cannot unmarshal object into Go value of type []string; expected a JSON list of strings like ["id1", "id2"]`
	if _, err := ReadConfig(getter(map[string]any{KeyResponseHeaders: map[string]any{"a": 1}})); err == nil || err.Error() != msg {
		t.Errorf("error %v, want %s", err, msg)
	}
}

func TestReadConfigPassedStatusCodes(t *testing.T) {
	for name, v := range map[string]any{"cdk.json": []any{200.0, 404.0}, "-c": `[200,404]`} {
		cfg, err := ReadConfig(getter(map[string]any{KeyPassedStatusCodes: v}))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(cfg.PassedStatusCodes, []float64{200, 404}) {
			t.Errorf("%s: PassedStatusCodes = %v", name, cfg.PassedStatusCodes)
		}
		if got := cfg.Props(nil).PassedStatusCodes; got == nil || len(*got) != 2 || *(*got)[1] != 404 {
			t.Errorf("%s: props PassedStatusCodes = %v", name, got)
		}
	}
	want := `context "iamgate:passedStatusCodes": ["200"]; expected a JSON list of status codes like [200,201,404]`
	if _, err := ReadConfig(getter(map[string]any{KeyPassedStatusCodes: `["200"]`})); err == nil || err.Error() != want {
		t.Errorf("error %v, want %s", err, want)
	}
}
