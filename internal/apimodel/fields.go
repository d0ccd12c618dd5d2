package apimodel

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
)

// Typed reads of a resource's properties. A property of the wrong JSON type
// ("AuthorizationType": 5, "RequestParameters": "x") is skipped, as the
// model cannot represent it, and reported in API.Unsupported, so that
// `routes` shows a "not read:" line instead of reading it as absent or as
// its printed form.

// jsonKind names the JSON type of a decoded value.
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case float64:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

func (r *reader) wrongType(owner, key string, v any, want string) {
	if fn := intrinsicName(v); fn != "" {
		// A value built at deploy (a list of Fn::Split, say): the digest
		// makes the note change with it, so that a review sees a change
		// it cannot read (another user pool behind an authorizer).
		r.unsupported("%s: %s is %s (%s, digest %s), not %s; skipped", owner, key, jsonKind(v), fn, digest(v), want)
		return
	}
	r.unsupported("%s: %s is %s, not %s; skipped", owner, key, jsonKind(v), want)
}

// strProp reads a string property: a string, or an intrinsic (str
// resolves it); numbers are accepted where CloudFormation reads them as
// strings (numberOK, e.g. a StatusCode of 200). Absent or null is "".
func (r *reader) strProp(owner string, props map[string]any, key string, numberOK bool) string {
	v := props[key]
	switch v.(type) {
	case nil:
		return ""
	case string, map[string]any:
		return r.str(v)
	case float64:
		if numberOK {
			return r.str(v)
		}
	}
	r.wrongType(owner, key, v, "a string")
	return ""
}

// objProp reads an object property; absent or null is nil.
func (r *reader) objProp(owner string, props map[string]any, key string) map[string]any {
	v := props[key]
	if v == nil {
		return nil
	}
	if fn := intrinsicName(v); fn != "" {
		// A whole object chosen at deploy (a Fn::If between two): neither
		// is read, and the note changes with either.
		what := []any{v}
		if c := asList(asMap(v)["Fn::If"]); len(c) == 3 {
			what = append(what, r.conditionDef(r.str(c[0]))) // the digest changes with the condition too
		}
		r.unsupported("%s: %s is chosen at deploy by %s (digest %s); not read", owner, key, fn, digest(what))
		return nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		r.wrongType(owner, key, v, "an object")
	}
	return m
}

// listProp reads a list property; absent or null is nil.
func (r *reader) listProp(owner string, props map[string]any, key string) []any {
	v := props[key]
	if v == nil {
		return nil
	}
	l, ok := v.([]any)
	if !ok {
		r.wrongType(owner, key, v, "a list")
	}
	return l
}

// strMapProp reads an object of strings (RequestTemplates, mappings);
// an entry of another type is skipped and reported.
func (r *reader) strMapProp(owner string, props map[string]any, key string) map[string]string {
	out := map[string]string{}
	m := r.objProp(owner, props, key)
	for _, k := range slices.Sorted(maps.Keys(m)) {
		switch x := m[k].(type) {
		case string, map[string]any:
			out[k] = r.str(x)
		default:
			r.wrongType(owner, fmt.Sprintf("%s[%q]", key, k), x, "a string")
		}
	}
	return out
}

// boolMapProp reads an object of booleans (a method's RequestParameters);
// "true" and "false" are read as CloudFormation reads them, anything else
// is skipped and reported.
func (r *reader) boolMapProp(owner string, props map[string]any, key string) map[string]bool {
	out := map[string]bool{}
	m := r.objProp(owner, props, key)
	for _, k := range slices.Sorted(maps.Keys(m)) {
		switch x := m[k].(type) {
		case bool:
			out[k] = x
		case string:
			if b, err := strconv.ParseBool(x); err == nil && (x == "true" || x == "false") {
				out[k] = b
				continue
			}
			r.wrongType(owner, fmt.Sprintf("%s[%q]", key, k), x, "a boolean")
		default:
			r.wrongType(owner, fmt.Sprintf("%s[%q]", key, k), x, "a boolean")
		}
	}
	return out
}

// intProp reads a number property (a numeric string too); ok is false when
// it is absent or skipped.
func (r *reader) intProp(owner string, props map[string]any, key string) (int, bool) {
	switch v := props[key].(type) {
	case nil:
		return 0, false
	case float64:
		return int(v), true
	case string:
		if n, err := strconv.Atoi(v); err == nil {
			return n, true
		}
		r.wrongType(owner, key, v, "a number")
	default:
		r.wrongType(owner, key, v, "a number")
	}
	return 0, false
}
