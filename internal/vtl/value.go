package vtl

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Values a template works with, as Velocity's Java objects appear to it:
//
//	nil        null
//	string     java.lang.String
//	int64      Integer / Long
//	float64    Double
//	bool       Boolean
//	*List      java.util.List (mutable: add)
//	*Map       java.util.LinkedHashMap with string keys (mutable: put)
//	*Entry     Map.Entry, from entrySet()
//	Object     anything with methods of its own ($input, $util, $foreach)

// List is a mutable list.
type List struct {
	Items []any
	// json is whether the list prints as compact JSON, as the arrays that
	// $input.path returns do in API Gateway (recorded against AWS:
	// LocalStack's test_apigateway_common.py::test_input_path_template_formatting,
	// "json-list", "dict-with-nested-list"), rather than as Java's [a, b].
	json bool
}

// Map is a mutable map that keeps insertion order.
type Map struct {
	keys []string
	m    map[string]any
}

// Entry is one key/value pair of a Map.
type Entry struct {
	Key   string
	Value any
}

// Object is a value with methods and properties of its own.
type Object interface {
	// Call invokes a method; ok is false when there is no such method.
	Call(s *state, name string, args []any) (v any, ok bool, err error)
}

// NewMap returns an empty map; its storage is made on the first Put.
func NewMap() *Map { return &Map{} }

// Get returns the value for k, or nil.
func (m *Map) Get(k string) any { return m.m[k] }

// Has reports whether k is a key.
func (m *Map) Has(k string) bool { _, ok := m.m[k]; return ok }

// Put sets k to v and returns the previous value.
func (m *Map) Put(k string, v any) any {
	old, ok := m.m[k]
	if !ok {
		if m.m == nil {
			m.m = map[string]any{}
		}
		m.keys = append(m.keys, k)
	}
	m.m[k] = v
	return old
}

// Keys returns the keys in insertion order.
func (m *Map) Keys() []string { return m.keys }

// Len returns the number of entries.
func (m *Map) Len() int { return len(m.keys) }

// FromGo converts plain Go data (as encoding/json produces it, plus
// map[string]string, []string and ints) into template values.
func FromGo(v any) any {
	switch v := v.(type) {
	case nil, string, bool, int64, float64, *List, *Map, *Entry, Object:
		return v
	case int:
		return int64(v)
	case int32:
		return int64(v)
	case float32:
		return float64(v)
	case json.Number:
		if n, err := v.Int64(); err == nil {
			return n
		}
		f, _ := v.Float64()
		return f
	case map[string]any:
		m := &Map{m: make(map[string]any, len(v)), keys: sortedKeys(v)}
		for _, k := range m.keys {
			m.m[k] = FromGo(v[k])
		}
		return m
	case map[string]string:
		m := &Map{m: make(map[string]any, len(v)), keys: sortedKeys(v)}
		for _, k := range m.keys {
			m.m[k] = v[k]
		}
		return m
	case []any:
		l := &List{Items: make([]any, len(v))}
		for i, x := range v {
			l.Items[i] = FromGo(x)
		}
		return l
	case []string:
		l := &List{Items: make([]any, len(v))}
		for i, x := range v {
			l.Items[i] = x
		}
		return l
	}
	return fmt.Sprint(v)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// toString renders a value as Java's toString() would.
func toString(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case string:
		return v
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return javaDouble(v)
	case bool:
		return strconv.FormatBool(v)
	case *List:
		if v.json {
			return ToJSON(v)
		}
		var b strings.Builder
		b.WriteByte('[')
		for i, x := range v.Items {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(toString(x))
		}
		b.WriteByte(']')
		return b.String()
	case *Map:
		var b strings.Builder
		b.WriteByte('{')
		for i, k := range v.keys {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(k)
			b.WriteByte('=')
			b.WriteString(toString(v.m[k]))
		}
		b.WriteByte('}')
		return b.String()
	case *Entry:
		return v.Key + "=" + toString(v.Value)
	case fmt.Stringer:
		return v.String()
	}
	return fmt.Sprint(v)
}

// javaDouble formats a float64 as Java's Double.toString.
func javaDouble(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		if math.Signbit(f) {
			return "-0.0"
		}
		return "0.0"
	}
	abs := math.Abs(f)
	if abs >= 1e-3 && abs < 1e7 {
		s := strconv.FormatFloat(f, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(f, 'E', -1, 64) // 1.5E+07
	mant, exp, _ := strings.Cut(s, "E")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	exp = strings.TrimPrefix(exp, "+")
	if strings.HasPrefix(exp, "-") {
		exp = "-" + strings.TrimLeft(exp[1:], "0")
	} else {
		exp = strings.TrimLeft(exp, "0")
	}
	return mant + "E" + exp
}

// truthy is Velocity 1.7's #if test: null and false are false, anything
// else is true (an empty string too).
func truthy(v any) bool {
	switch v := v.(type) {
	case nil, *absent:
		return false
	case bool:
		return v
	}
	return true
}

func isNumber(v any) bool {
	switch v.(type) {
	case int64, float64:
		return true
	}
	return false
}

func toFloat(v any) float64 {
	switch v := v.(type) {
	case int64:
		return float64(v)
	case float64:
		return v
	}
	return 0
}

// equal is Velocity's ==: numbers by value, same kinds by equality, other
// pairs by their toString().
func equal(a, b any) bool {
	if _, ok := a.(*absent); ok {
		return b == nil || b == "" || b == a
	}
	if _, ok := b.(*absent); ok {
		return a == nil || a == ""
	}
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	if isNumber(a) && isNumber(b) {
		if x, ok := a.(int64); ok {
			if y, ok := b.(int64); ok {
				return x == y
			}
		}
		return toFloat(a) == toFloat(b)
	}
	switch x := a.(type) {
	case string:
		if y, ok := b.(string); ok {
			return x == y
		}
	case bool:
		if y, ok := b.(bool); ok {
			return x == y
		}
	case *List:
		if y, ok := b.(*List); ok {
			if len(x.Items) != len(y.Items) {
				return false
			}
			for i := range x.Items {
				if !equal(x.Items[i], y.Items[i]) {
					return false
				}
			}
			return true
		}
	case *Map:
		if y, ok := b.(*Map); ok {
			if x.Len() != y.Len() {
				return false
			}
			for _, k := range x.keys {
				if !y.Has(k) || !equal(x.m[k], y.m[k]) {
					return false
				}
			}
			return true
		}
	}
	return toString(a) == toString(b)
}

// arith applies + - * / % to two values; ok is false when Velocity would
// log an error and yield null (non-numbers, division by zero).
func arith(op string, a, b any) (any, bool) {
	if op == "+" {
		_, as := a.(string)
		_, bs := b.(string)
		if (as || bs) && a != nil && b != nil {
			return toString(a) + toString(b), true
		}
	}
	if !isNumber(a) || !isNumber(b) {
		return nil, false
	}
	x, xi := a.(int64)
	y, yi := b.(int64)
	if xi && yi {
		switch op {
		case "+":
			return x + y, true
		case "-":
			return x - y, true
		case "*":
			return x * y, true
		case "/":
			if y == 0 {
				return nil, false
			}
			return x / y, true
		case "%":
			if y == 0 {
				return nil, false
			}
			return x % y, true
		}
	}
	f, g := toFloat(a), toFloat(b)
	switch op {
	case "+":
		return f + g, true
	case "-":
		return f - g, true
	case "*":
		return f * g, true
	case "/":
		if g == 0 {
			return nil, false
		}
		return f / g, true
	case "%":
		if g == 0 {
			return nil, false
		}
		return math.Mod(f, g), true
	}
	return nil, false
}

// compare orders two numbers; ok is false for anything else.
func compare(a, b any) (int, bool) {
	if !isNumber(a) || !isNumber(b) {
		return 0, false
	}
	if x, ok := a.(int64); ok {
		if y, ok := b.(int64); ok {
			switch {
			case x < y:
				return -1, true
			case x > y:
				return 1, true
			}
			return 0, true
		}
	}
	f, g := toFloat(a), toFloat(b)
	switch {
	case f < g:
		return -1, true
	case f > g:
		return 1, true
	}
	return 0, true
}

// toInt reads an integer argument.
func toInt(v any) (int, bool) {
	switch v := v.(type) {
	case int64:
		return int(v), true
	case float64:
		return int(v), v == math.Trunc(v)
	}
	return 0, false
}
