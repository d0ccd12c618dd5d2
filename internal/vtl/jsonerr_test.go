package vtl

import (
	"errors"
	"strings"
	"testing"
)

// The JSON-parse failures of $input.json, $input.path and $util.parseJson
// wrap ErrInvalidJSON, with their texts unchanged; other failures do not.
func TestErrInvalidJSON(t *testing.T) {
	deep := strings.Repeat("[", maxJSONDepth+2) + strings.Repeat("]", maxJSONDepth+2)
	tests := []struct {
		tmpl, body string
		want       string // the whole error text
		isJSON     bool
	}{
		{`$input.json('$')`, `{"n": `, `t:1:7: json(): method failed: the body is not valid JSON: invalid JSON at offset 6: unexpected end of input`, true},
		{`$input.json('$')`, deep, `t:1:7: json(): method failed: the body is not valid JSON: nested too deeply`, true},
		{`$input.json('$.n')`, `{"n": `, `t:1:7: json(): method failed: invalid JSON: EOF`, true},
		{`$input.path('$.n')`, `{"n": 1} x`, `t:1:7: path(): method failed: invalid JSON: data after the value`, true},
		{`$util.parseJson("{")`, ``, `t:1:6: parseJson(): method failed: invalid JSON: EOF`, true},
		{`$util.urlDecode("%zz")`, ``, `t:1:6: urlDecode(): method failed: illegal hex characters in escape (%) pattern "%zz"`, false},
	}
	for _, tt := range tests {
		tm, err := Parse("t", tt.tmpl)
		if err != nil {
			t.Fatal(err)
		}
		_, err = RenderRequest(tm, &Request{Body: tt.body}, APIGatewayOptions())
		if err == nil {
			t.Errorf("%s on %.20q: no error", tt.tmpl, tt.body)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("%s on %.20q:\n got %s\nwant %s", tt.tmpl, tt.body, err, tt.want)
		}
		if errors.Is(err, ErrInvalidJSON) != tt.isJSON {
			t.Errorf("%s on %.20q: errors.Is(err, ErrInvalidJSON) = %v, want %v", tt.tmpl, tt.body, !tt.isJSON, tt.isJSON)
		}
		// JSONErrorText is the text after the template's position and
		// method: what is wrong with the JSON.
		text, ok := JSONErrorText(err)
		if _, want, _ := strings.Cut(tt.want, "method failed: "); ok != tt.isJSON || ok && text != want {
			t.Errorf("%s on %.20q: JSONErrorText = %q, %v; want %q, %v", tt.tmpl, tt.body, text, ok, want, tt.isJSON)
		}
	}
	if _, err := ParseJSON(`nul`); !errors.Is(err, ErrInvalidJSON) {
		t.Errorf("ParseJSON: %v does not wrap ErrInvalidJSON", err)
	}
}
