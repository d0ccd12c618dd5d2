package vtl

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf16"
	"unsafe"

	"github.com/iamgate/iamgate/internal/jsontext"
)

// Request is what API Gateway knows of a request when it renders a mapping
// template: $input, $context and $stageVariables are made from it.
type Request struct {
	// Body is the raw request body ($input.body).
	Body string
	// Path, Query and Header are the request parameters ($input.params()).
	Path, Query, Header map[string]string
	// Context is $context: httpMethod, path, stage, requestId, identity
	// (a map of the caller's fields), ... Plain Go values, as encoding/json
	// would produce them.
	Context map[string]any
	// StageVariables is $stageVariables.
	StageVariables map[string]string
	// Vars are more top-level references (plain Go values), for checking
	// generic templates; they do not replace input, util, context or
	// stageVariables.
	Vars map[string]any
}

// Result is a rendered mapping template and what the template asked of the
// gateway through $context.requestOverride.
type Result struct {
	Output string
	// Context is $context after the template, as plain Go values, with
	// Options.KeepContext (nil otherwise): a Request's Context for the next
	// template of the same request.
	Context map[string]any
	// Overrides maps "header", "querystring" and "path" to the parameters the
	// template set in $context.requestOverride.
	Overrides map[string]map[string]string
	// ResponseOverride is what a response template set in
	// $context.responseOverride.
	ResponseOverride ResponseOverride
}

// OutputBytes is Output as bytes without a copy (the rendered request body
// is a few KB per request): the caller must not modify them.
func (r *Result) OutputBytes() []byte {
	return unsafe.Slice(unsafe.StringData(r.Output), len(r.Output))
}

// ResponseOverride is $context.responseOverride after a template: the
// headers (header.NAME) and the status it set, 0 when none.
type ResponseOverride struct {
	Header map[string]string
	Status int
}

// APIGatewayOptions are the options under which API Gateway renders: a
// reference with no value prints as nothing and equals "".
func APIGatewayOptions() Options { return Options{UndefinedAsEmpty: true, NullEqualsEmpty: true} }

// RenderRequest renders t as API Gateway renders a mapping template for req.
func RenderRequest(t *Template, req *Request, opts Options) (*Result, error) {
	s := t.newState(opts)
	shared := false
	var cm *Map
	if req.Context != nil {
		cm = s.fromGo(req.Context, &shared).(*Map)
	} else {
		cm = s.maps.get()
	}
	var override *Map
	if t.overrides {
		// A requestOverride in the context (the request template's, kept
		// for the response template) stays; else each rendering starts one.
		var ok bool
		if override, ok = cm.Get("requestOverride").(*Map); !ok {
			override = NewMap()
			for _, k := range []string{"header", "querystring", "path"} {
				override.Put(k, NewMap())
			}
			cm.Put("requestOverride", override)
		}
		if !cm.Has("responseOverride") {
			ro := NewMap()
			ro.Put("header", NewMap())
			cm.Put("responseOverride", ro)
		}
	}
	blankContextMaps(cm, req.Context)
	vars := &s.req
	vars.input.req, vars.context = req, cm
	if req.StageVariables == nil {
		vars.stage = s.maps.get()
	} else {
		vars.stage = s.stringMap(req.StageVariables)
	}
	for k, v := range req.Vars {
		if !reserved(k) {
			if vars.extra == nil {
				vars.extra = make(map[string]any, len(req.Vars))
			}
			vars.extra[k] = s.fromGo(v, &shared)
		}
	}
	out, err := s.run(vars)
	if err != nil {
		return nil, err
	}
	if !shared {
		out = strings.Clone(out) // the state's buffer goes to the next rendering
	}
	// The overrides are copies too: the text of the slabs goes with it.
	res := &Result{Output: out, Overrides: map[string]map[string]string{}}
	if ro, ok := cm.Get("responseOverride").(*Map); ok && t.overrides {
		if h, ok := ro.Get("header").(*Map); ok && h.Len() > 0 {
			res.ResponseOverride.Header = map[string]string{}
			for _, name := range h.Keys() {
				res.ResponseOverride.Header[strings.Clone(name)] = strings.Clone(toString(h.Get(name)))
			}
		}
		if n, err := strconv.Atoi(toString(ro.Get("status"))); err == nil && n >= 100 && n <= 599 {
			res.ResponseOverride.Status = n
		}
	}
	if override != nil {
		for _, k := range override.Keys() {
			m, ok := override.Get(k).(*Map)
			if !ok || m.Len() == 0 {
				continue
			}
			res.Overrides[k] = map[string]string{}
			for _, name := range m.Keys() {
				res.Overrides[k][strings.Clone(name)] = strings.Clone(toString(m.Get(name)))
			}
		}
	}
	if opts.KeepContext {
		res.Context, _ = toGo(cm, 0).(map[string]any)
	}
	if !shared {
		s.release()
	}
	return res, nil
}

// blankContextMaps has the maps of $context that API Gateway provides
// print as nothing, as AWS prints them (recorded against AWS: LocalStack's
// test_apigateway_sqs.py::test_sqs_amz_json_protocol, where
// $context.get($key) printed "" for identity, requestOverride and
// responseOverride, and so did $context.requestOverride.get($key) and
// $context.responseOverride.get($key)): identity, requestOverride and
// responseOverride, and the maps in the two overrides. Their entries read
// as before; a map of the caller's (a *Map in ctx) is left as it is.
func blankContextMaps(cm *Map, ctx map[string]any) {
	for _, k := range [...]string{"identity", "requestOverride", "responseOverride"} {
		m, ok := cm.Get(k).(*Map)
		if !ok {
			continue
		}
		src := ctx[k]
		if _, callers := src.(*Map); callers {
			continue
		}
		m.blank = true
		if k == "identity" {
			continue
		}
		srcMap, _ := src.(map[string]any)
		for i, v := range m.vals {
			if n, ok := v.(*Map); ok {
				if _, callers := srcMap[m.keys[i]].(*Map); !callers {
					n.blank = true
				}
			}
		}
	}
}

// requestVars are RenderRequest's top-level references: $input, $util,
// $context, $stageVariables, and the request's Vars of other names.
type requestVars struct {
	input          input
	context, stage *Map
	extra          map[string]any
}

// reserved reports whether name is one of the references RenderRequest
// provides, which the request's Vars do not replace.
func reserved(name string) bool {
	switch name {
	case "input", "util", "context", "stageVariables":
		return true
	}
	return false
}

func (r *requestVars) lookup(name string) any {
	switch name {
	case "input":
		return &r.input
	case "util":
		return util{}
	case "context":
		return r.context
	case "stageVariables":
		return r.stage
	}
	return r.extra[name]
}

// input is $input.
type input struct {
	req    *Request
	parsed bool
	root   any
	perr   error
}

func (in *input) body() (any, error) {
	if !in.parsed {
		in.parsed = true
		if isJSONBlank(in.req.Body) {
			in.root = NewMap() // API Gateway treats an empty body as {}
		} else {
			in.root, in.perr = parseJSON(in.req.Body, true)
		}
	}
	return in.root, in.perr
}

func (in *input) Call(s *state, name string, args []any) (any, bool, error) {
	switch {
	case (name == "getBody" || name == "body") && len(args) == 0:
		if in.req.Body == "" {
			// An empty body reads as {} (recorded against AWS: LocalStack's
			// test_apigateway_common.py::test_input_body_formatting).
			return "{}", true, nil
		}
		return s.box(in.req.Body), true, nil
	case name == "params" && len(args) == 0:
		m := s.maps.get()
		m.keys = append(s.strs.take(3)[:0], "path", "querystring", "header")
		m.vals = append(s.items.take(3)[:0], s.stringMap(in.req.Path), s.stringMap(in.req.Query), s.stringMap(in.req.Header))
		return m, true, nil
	case name == "params" && len(args) == 1:
		k := toString(args[0])
		for _, m := range []map[string]string{in.req.Path, in.req.Query} {
			if v, ok := m[k]; ok {
				return v, true, nil
			}
		}
		if v, ok := in.req.Header[k]; ok {
			return v, true, nil
		}
		for h, v := range in.req.Header {
			if strings.EqualFold(h, k) {
				return v, true, nil
			}
		}
		return "", true, nil
	case (name == "json" || name == "path") && len(args) == 1:
		path := toString(args[0])
		if name == "json" && strings.TrimSpace(path) == "$" {
			// The whole body, as compact JSON, without building it.
			if isJSONBlank(in.req.Body) {
				return "{}", true, nil
			}
			out, err := jsontext.Compact(s.text(len(in.req.Body)), in.req.Body, maxJSONDepth)
			if err != nil {
				return nil, true, invalidJSON(fmt.Errorf("the body is not valid JSON: %v", err))
			}
			// Takes the slab's space when the text was written there.
			return s.box(s.keep(unsafe.Slice(unsafe.StringData(out), len(out)))), true, nil
		}
		root, err := in.body()
		if err != nil {
			return nil, true, err
		}
		v, err := JSONPath(root, path)
		if err != nil {
			return nil, true, err
		}
		if name == "path" {
			if l, ok := v.(*List); ok {
				l.json = true // a wildcard's list of matches
			}
			if v == nil {
				return nothing, true, nil
			}
			return v, true, nil
		}
		return ToJSON(v), true, nil
	}
	return nil, false, nil
}

// util is $util.
type util struct{}

func (util) Call(st *state, name string, args []any) (any, bool, error) {
	if len(args) != 1 {
		return nil, false, nil
	}
	if args[0] == nil {
		return nil, true, nil
	}
	s := toString(args[0])
	switch name {
	case "escapeJavaScript":
		if needsEscapeJavaScript(s) {
			// Written into the rendering's text slab.
			return st.box(st.keep(appendEscapeJavaScript(st.text(len(s)+16), s))), true, nil
		}
		if _, isStr := args[0].(string); isStr {
			return args[0], true, nil // unchanged: keep the value already boxed
		}
		return s, true, nil
	case "parseJson":
		v, err := ParseJSON(s)
		return v, true, err
	case "urlEncode":
		return URLEncode(s), true, nil
	case "urlDecode":
		v, err := URLDecode(s)
		return v, true, err
	case "base64Encode":
		return base64.StdEncoding.EncodeToString([]byte(s)), true, nil
	case "base64Decode":
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return nil, true, fmt.Errorf("invalid base64: %w", err)
		}
		return string(b), true, nil
	}
	return nil, false, nil
}

// needsEscapeJavaScript reports whether $util.escapeJavaScript changes s.
func needsEscapeJavaScript(s string) bool {
	for i := 0; i < len(s); i++ {
		if escapesJS[s[i]] {
			return true
		}
	}
	return false
}

// escapesJS says which bytes $util.escapeJavaScript changes.
var escapesJS = func() (t [256]bool) {
	for c := range t {
		t[c] = c < 0x20 || c >= 0x7f || c == '\'' || c == '"' || c == '\\' || c == '/'
	}
	return t
}()

// appendEscapeJavaScript appends $util.escapeJavaScript(s) to b, as Apache
// Commons Lang 2's StringEscapeUtils.escapeJavaScript: quotes, backslash and
// "/" escaped with a backslash, control characters as \b \t \n \f \r or
// \u00XX, and every character above 0x7f as \uXXXX of its UTF-16 code units.
func appendEscapeJavaScript(b []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	unit := func(u uint16) {
		b = append(b, '\\', 'u', hex[u>>12&0xf], hex[u>>8&0xf], hex[u>>4&0xf], hex[u&0xf])
	}
	for _, r := range s {
		switch {
		case r > 0xFFFF:
			r1, r2 := utf16.EncodeRune(r)
			unit(uint16(r1))
			unit(uint16(r2))
		case r > 0x7f:
			unit(uint16(r))
		case r < 0x20:
			switch r {
			case '\b':
				b = append(b, '\\', 'b')
			case '\n':
				b = append(b, '\\', 'n')
			case '\t':
				b = append(b, '\\', 't')
			case '\f':
				b = append(b, '\\', 'f')
			case '\r':
				b = append(b, '\\', 'r')
			default:
				unit(uint16(r))
			}
		case r == '\'' || r == '"' || r == '\\' || r == '/':
			b = append(b, '\\', byte(r))
		default:
			b = append(b, byte(r))
		}
	}
	return b
}

// URLEncode is $util.urlEncode, as java.net.URLEncoder with UTF-8.
func URLEncode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '.', c == '-', c == '*', c == '_':
			b.WriteByte(c)
		case c == ' ':
			b.WriteByte('+')
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// URLDecode is $util.urlDecode, as java.net.URLDecoder with UTF-8.
func URLDecode(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '+':
			b.WriteByte(' ')
		case '%':
			if i+2 >= len(s) {
				return "", errors.New("incomplete trailing escape (%) pattern")
			}
			n, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
			if err != nil {
				return "", fmt.Errorf("illegal hex characters in escape (%%) pattern %q", s[i:i+3])
			}
			b.WriteByte(byte(n))
			i += 2
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}

// ErrInvalidJSON is wrapped by the error of $input.json, $input.path and
// $util.parseJson when the text they read is not JSON, so that a caller
// can tell a client's bad body from a broken template with errors.Is.
var ErrInvalidJSON = errors.New("invalid JSON")

// JSONErrorText is the text of the JSON-parse failure err wraps (see
// ErrInvalidJSON): what is wrong with the text that was read, without the
// template's name, the position in it and the method that read it, which
// err's own text starts with. ok is false when err wraps none.
func JSONErrorText(err error) (text string, ok bool) {
	var je *jsonError
	if !errors.As(err, &je) {
		return "", false
	}
	return je.error.Error(), true
}

// invalidJSON marks err as a JSON-parse failure; its text is unchanged.
func invalidJSON(err error) error { return &jsonError{err} }

type jsonError struct{ error }

func (e *jsonError) Unwrap() []error { return []error{ErrInvalidJSON, e.error} }

// ParseJSON parses JSON text into template values, keeping the order of
// object keys: objects become *Map, arrays *List, integers int64, other
// numbers float64. Its errors wrap ErrInvalidJSON.
func ParseJSON(s string) (any, error) { return parseJSON(s, false) }

// parseJSON is ParseJSON; with jsonLists, the arrays become lists that
// print as JSON, as those of $input.path do.
func parseJSON(s string, jsonLists bool) (any, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	v, err := decodeValue(dec, 0, jsonLists)
	if err != nil {
		return nil, invalidJSON(fmt.Errorf("invalid JSON: %w", err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, invalidJSON(errors.New("invalid JSON: data after the value"))
	}
	return v, nil
}

const maxJSONDepth = 512

func decodeValue(dec *json.Decoder, depth int, jsonLists bool) (any, error) {
	if depth > maxJSONDepth {
		return nil, errors.New("nested too deeply")
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			m := NewMap()
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				v, err := decodeValue(dec, depth+1, jsonLists)
				if err != nil {
					return nil, err
				}
				m.Put(kt.(string), v)
			}
			_, err := dec.Token()
			return m, err
		case '[':
			l := &List{json: jsonLists}
			for dec.More() {
				v, err := decodeValue(dec, depth+1, jsonLists)
				if err != nil {
					return nil, err
				}
				l.Items = append(l.Items, v)
			}
			_, err := dec.Token()
			return l, err
		}
		return nil, fmt.Errorf("unexpected %v", t)
	case json.Number:
		return FromGo(t), nil
	}
	return tok, nil // string, bool, nil
}

// ToJSON writes a template value as compact JSON (object keys in order).
// Values ParseJSON makes always convert; one a template made that nests
// deeper than 1000 levels or whose JSON passes 256 MB stops the rendering
// with a limit error.
func ToJSON(v any) string {
	w := &jsonWriter{boundedBuilder{limit: maxStringBytes}}
	w.value(v, 0)
	if w.over {
		panic(&limitPanic{fmt.Sprintf("a value's JSON longer than %d bytes or nested deeper than %d levels", maxStringBytes, maxValueDepth)})
	}
	return w.b.String()
}

type jsonWriter struct{ boundedBuilder }

func (w *jsonWriter) value(v any, depth int) {
	if w.stop(depth) {
		return
	}
	switch v := v.(type) {
	case nil, *absent:
		w.str("null")
	case string:
		var b strings.Builder
		writeJSONString(&b, v)
		w.str(b.String())
	case bool:
		w.str(strconv.FormatBool(v))
	case int64:
		w.str(strconv.FormatInt(v, 10))
	case *big.Int:
		w.str(v.String())
	case float64:
		w.str(strconv.FormatFloat(v, 'g', -1, 64))
	case *List:
		w.str("[")
		for i, x := range v.Items {
			if i > 0 {
				w.str(",")
			}
			w.value(x, depth+1)
		}
		w.str("]")
	case *Map:
		w.str("{")
		for i, k := range v.keys {
			if i > 0 {
				w.str(",")
			}
			var b strings.Builder
			writeJSONString(&b, k)
			w.str(b.String())
			w.str(":")
			w.value(v.vals[i], depth+1)
		}
		w.str("}")
	default:
		var b strings.Builder
		writeJSONString(&b, toString(v))
		w.str(b.String())
	}
}

func writeJSONString(b *strings.Builder, s string) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	b.Write(bytes.TrimRight(buf.Bytes(), "\n"))
}

// JSONPath evaluates the JSONPath subset API Gateway templates use on a
// template value: $, .name, ['name'], [n], [*], .*, ..name. A path with a
// wildcard or a deep scan gives a list of the matches; any other gives the
// one value, or nil.
func JSONPath(root any, path string) (any, error) {
	path = strings.TrimSpace(path)
	if !strings.HasPrefix(path, "$") {
		return nil, fmt.Errorf("JSONPath %q must start with $", path)
	}
	cur := []any{root}
	multi := false
	i := 1
	for i < len(path) {
		switch {
		case strings.HasPrefix(path[i:], ".."):
			multi = true
			i += 2
			name, n := pathName(path[i:])
			if name == "" && !strings.HasPrefix(path[i:], "*") {
				return nil, fmt.Errorf("JSONPath %q: expected a name after ..", path)
			}
			if name == "" {
				n = 1
				name = "*"
			}
			i += n
			var next []any
			for _, c := range cur {
				deepScan(c, name, &next)
			}
			cur = next
		case path[i] == '.':
			i++
			if strings.HasPrefix(path[i:], "*") {
				multi = true
				i++
				cur = children(cur)
				continue
			}
			name, n := pathName(path[i:])
			if name == "" {
				return nil, fmt.Errorf("JSONPath %q: expected a name at offset %d", path, i)
			}
			i += n
			cur = field(cur, name)
		case path[i] == '[':
			j := strings.IndexByte(path[i:], ']')
			if j < 0 {
				return nil, fmt.Errorf("JSONPath %q: unclosed [", path)
			}
			sel := strings.TrimSpace(path[i+1 : i+j])
			i += j + 1
			switch {
			case sel == "*":
				multi = true
				cur = children(cur)
			case len(sel) >= 2 && (sel[0] == '\'' && sel[len(sel)-1] == '\'' || sel[0] == '"' && sel[len(sel)-1] == '"'):
				cur = field(cur, sel[1:len(sel)-1])
			default:
				n, err := strconv.Atoi(sel)
				if err != nil {
					return nil, fmt.Errorf("JSONPath %q: unsupported selector [%s]", path, sel)
				}
				var next []any
				for _, c := range cur {
					if l, ok := c.(*List); ok {
						if n < 0 {
							n += len(l.Items)
						}
						if n >= 0 && n < len(l.Items) {
							next = append(next, l.Items[n])
						}
					}
				}
				cur = next
			}
		default:
			return nil, fmt.Errorf("JSONPath %q: unexpected %q at offset %d", path, path[i], i)
		}
	}
	if multi {
		return &List{Items: cur}, nil
	}
	if len(cur) == 0 {
		return nil, nil
	}
	return cur[0], nil
}

func pathName(s string) (string, int) {
	n := 0
	for n < len(s) && s[n] != '.' && s[n] != '[' {
		n++
	}
	if n == 1 && s[0] == '*' {
		return "", 0
	}
	return s[:n], n
}

func field(cur []any, name string) []any {
	var next []any
	for _, c := range cur {
		if m, ok := c.(*Map); ok && m.Has(name) {
			next = append(next, m.Get(name))
		}
	}
	return next
}

func children(cur []any) []any {
	var next []any
	for _, c := range cur {
		switch c := c.(type) {
		case *Map:
			next = append(next, c.vals...)
		case *List:
			next = append(next, c.Items...)
		}
	}
	return next
}

func deepScan(v any, name string, into *[]any) {
	switch v := v.(type) {
	case *Map:
		for i, k := range v.keys {
			if name == "*" || k == name {
				*into = append(*into, v.vals[i])
			}
		}
		for _, x := range v.vals {
			deepScan(x, name, into)
		}
	case *List:
		if name == "*" {
			*into = append(*into, v.Items...)
		}
		for _, x := range v.Items {
			deepScan(x, name, into)
		}
	}
}

// isJSONBlank reports whether s holds nothing but JSON whitespace: an empty
// body, which API Gateway treats as {}.
func isJSONBlank(s string) bool { return strings.Trim(s, " \t\r\n") == "" }

// absent is what $input.path gives when the path finds nothing or null. As
// recorded against AWS (LocalStack's
// test_apigateway_common.py::test_input_path_template_formatting,
// "empty-body" and "nested-null-list"), it prints as nothing and equals both
// $null and "", which no Velocity 1.7 value does; #if finds it false.
type absent struct{}

var nothing = &absent{}

func (*absent) String() string { return "" }

// toGo is the plain Go form of a template value, as a Request's Context
// holds it: maps, lists, strings (copied: a rendering's text goes to the
// next one), numbers and booleans; what has no plain form (a $util, a
// macro's block) is left out. Deeper than maxJSONDepth it stops.
func toGo(v any, depth int) any {
	if depth > maxJSONDepth {
		return nil
	}
	switch v := v.(type) {
	case string:
		return strings.Clone(v)
	case bool, int64, float64:
		return v
	case *Map:
		m := make(map[string]any, v.Len())
		for _, k := range v.Keys() {
			if x := toGo(v.Get(k), depth+1); x != nil {
				m[strings.Clone(k)] = x
			}
		}
		return m
	case *List:
		l := make([]any, 0, len(v.Items))
		for _, x := range v.Items {
			l = append(l, toGo(x, depth+1))
		}
		return l
	}
	return nil
}
