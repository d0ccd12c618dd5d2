package vtl

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unsafe"
)

// Values a template works with, as Velocity's Java objects appear to it:
//
//	nil        null
//	string     java.lang.String
//	int64      Integer / Long
//	*big.Int   BigInteger: Velocity 1.7 promotes a Long that overflows
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

// Map is a mutable map that keeps insertion order: keys and vals in that
// order, and an index of the keys once there are more than
// mapIndexThreshold of them (a small map is searched in order, which saves
// building a Go map for each request's parameters). An item of keys is
// never written over (Put appends, Remove and Clear make new arrays), so
// that keySet's values can point into it.
type Map struct {
	keys []string
	vals []any
	idx  map[string]int
	// blank is whether the map prints as nothing, as the maps API Gateway
	// puts in $context do (see blankContextMaps).
	blank bool
}

// mapIndexThreshold is the size from which a Map indexes its keys.
const mapIndexThreshold = 32

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

// find returns the position of k, -1 when it is not a key.
func (m *Map) find(k string) int {
	if m.idx != nil {
		if i, ok := m.idx[k]; ok {
			return i
		}
		return -1
	}
	n := len(k)
	if n == 0 {
		for i, key := range m.keys {
			if key == "" {
				return i
			}
		}
		return -1
	}
	// The last byte first: keys of one length often differ only at the end
	// (X-Header-01, X-Header-02).
	last := k[n-1]
	for i, key := range m.keys {
		if len(key) == n && key[n-1] == last && key == k {
			return i
		}
	}
	return -1
}

// Get returns the value for k, or nil.
func (m *Map) Get(k string) any {
	if i := m.find(k); i >= 0 {
		return m.vals[i]
	}
	return nil
}

// Has reports whether k is a key.
func (m *Map) Has(k string) bool { return m.find(k) >= 0 }

// Put sets k to v and returns the previous value.
func (m *Map) Put(k string, v any) any {
	if i := m.find(k); i >= 0 {
		old := m.vals[i]
		m.vals[i] = v
		return old
	}
	m.keys = append(m.keys, k)
	m.vals = append(m.vals, v)
	if m.idx != nil {
		m.idx[k] = len(m.keys) - 1
	} else if len(m.keys) > mapIndexThreshold {
		m.reindex()
	}
	return nil
}

// Remove deletes k and returns its value, nil when it was not a key.
func (m *Map) Remove(k string) any {
	i := m.find(k)
	if i < 0 {
		return nil
	}
	old := m.vals[i]
	// New arrays: a keySet or values list taken before may share the old ones.
	m.keys = append(m.keys[:i:i], m.keys[i+1:]...)
	m.vals = append(m.vals[:i:i], m.vals[i+1:]...)
	if m.idx != nil {
		m.reindex()
	}
	return old
}

// Clear removes every entry.
func (m *Map) Clear() { m.keys, m.vals, m.idx = nil, nil, nil }

// reindex builds the index of the keys, or drops it for a small map.
func (m *Map) reindex() {
	if len(m.keys) <= mapIndexThreshold {
		m.idx = nil
		return
	}
	m.idx = make(map[string]int, len(m.keys))
	for i, k := range m.keys {
		m.idx[k] = i
	}
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
		m := &Map{keys: sortedKeys(v), vals: make([]any, len(v))}
		for i, k := range m.keys {
			m.vals[i] = FromGo(v[k])
		}
		m.reindex()
		return m
	case map[string]string:
		m := &Map{keys: sortedKeys(v)}
		strs := make([]string, len(m.keys))
		for i, k := range m.keys {
			strs[i] = v[k]
		}
		m.vals = boxOwned(make([]any, len(strs)), strs)
		m.reindex()
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

// toString renders a value as Java's toString() would. A value whose text
// would pass maxStringBytes, or that nests deeper than maxValueDepth, stops
// the rendering with a limit error (a *limitPanic that Render recovers).
func toString(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case nil:
		return "null"
	case int64:
		return strconv.FormatInt(v, 10)
	case bool:
		return strconv.FormatBool(v)
	case float64:
		return javaDouble(v)
	}
	out, ok := toStringLimit(v, maxStringBytes)
	if !ok {
		panic(&limitPanic{fmt.Sprintf("a value's text longer than %d bytes or nested deeper than %d levels", maxStringBytes, maxValueDepth)})
	}
	return out
}

// Hard bounds of toString and equal, whatever the options: the options'
// MaxValueBytes is checked before them where a template builds text.
const (
	maxStringBytes = 256 << 20
	maxValueDepth  = 1000
)

// limitPanic carries a limit reached deep inside value code (toString,
// equal, ToJSON) out to Render, which reports it as an ExecError.
type limitPanic struct{ msg string }

// toStringLimit is toString, or ok false once the text passes limit bytes or
// the value nests deeper than maxValueDepth.
func toStringLimit(v any, limit int) (string, bool) {
	w := &textWriter{boundedBuilder{limit: limit}}
	w.value(v, 0)
	if w.over {
		return "", false
	}
	return w.b.String(), true
}

// boundedBuilder builds a string of at most limit bytes from values nested
// at most maxValueDepth deep; past either, over is set and nothing more is
// written. textWriter and jsonWriter print values through it.
type boundedBuilder struct {
	b     strings.Builder
	limit int
	over  bool
}

func (w *boundedBuilder) str(s string) {
	if w.over || w.b.Len()+len(s) > w.limit {
		w.over = true
		return
	}
	w.b.WriteString(s)
}

// stop reports whether a value at depth must not be written: the limit was
// passed, or the value is nested too deeply (which sets over).
func (w *boundedBuilder) stop(depth int) bool {
	if !w.over && depth > maxValueDepth {
		w.over = true
	}
	return w.over
}

type textWriter struct{ boundedBuilder }

func (w *textWriter) value(v any, depth int) {
	if w.stop(depth) {
		return
	}
	switch v := v.(type) {
	case nil:
		w.str("null")
	case string:
		w.str(v)
	case int64:
		w.str(strconv.FormatInt(v, 10))
	case *big.Int:
		w.str(v.String())
	case float64:
		w.str(javaDouble(v))
	case bool:
		w.str(strconv.FormatBool(v))
	case *List:
		if v.json {
			j := &jsonWriter{boundedBuilder{limit: w.limit - w.b.Len()}}
			j.value(v, depth)
			if j.over {
				w.over = true
				return
			}
			w.str(j.b.String())
			return
		}
		w.str("[")
		for i, x := range v.Items {
			if i > 0 {
				w.str(", ")
			}
			if x == any(v) {
				w.str("(this Collection)") // as Java's AbstractCollection.toString
				continue
			}
			w.value(x, depth+1)
		}
		w.str("]")
	case *Map:
		if v.blank {
			return
		}
		w.str("{")
		for i, k := range v.keys {
			if i > 0 {
				w.str(", ")
			}
			w.str(k)
			w.str("=")
			if x := v.vals[i]; x == any(v) {
				w.str("(this Map)") // as Java's AbstractMap.toString
			} else {
				w.value(x, depth+1)
			}
		}
		w.str("}")
	case *Entry:
		w.str(v.Key)
		w.str("=")
		w.value(v.Value, depth+1)
	case fmt.Stringer:
		w.str(v.String())
	default:
		w.str(fmt.Sprint(v))
	}
}

// javaDouble formats a float64 as Java's Double.toString: the shortest
// digits that read back as the same double (Go's strconv), in Java's
// notation. Java's own digits before JDK 19 are not always the shortest (a
// known difference, see doc.go).
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
	case int64, float64, *big.Int:
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
	case *big.Int:
		f, _ := new(big.Float).SetInt(v).Float64()
		return f
	}
	return 0
}

// toBig reads an integer (int64 or *big.Int) as a big.Int.
func toBig(v any) (*big.Int, bool) {
	switch v := v.(type) {
	case int64:
		return big.NewInt(v), true
	case *big.Int:
		return v, true
	}
	return nil, false
}

// normBig is the result of a BigInteger operation: it stays a BigInteger,
// as in Java, even when it would fit a Long (a list index, for one, must be
// an Integer).
func normBig(b *big.Int) any { return b }

// equal is Velocity's ==: numbers by value, same kinds by equality, other
// pairs by their toString().
func equal(a, b any) bool { return equalDepth(a, b, 0) }

func equalDepth(a, b any, depth int) bool {
	if depth > maxValueDepth {
		panic(&limitPanic{fmt.Sprintf("values nested deeper than %d levels", maxValueDepth)})
	}
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
		c, _ := compare(a, b)
		return c == 0
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
	case *List, *Map:
		// Two lists or two maps: Velocity calls Java's equals, which compares
		// the items with their own equals (so [1] != [1.0], ["1"] != [1]).
		_, bl := b.(*List)
		_, bm := b.(*Map)
		if bl || bm {
			return javaEqualsDepth(a, b, depth)
		}
	}
	return toString(a) == toString(b)
}

// javaEquals is Java's Object.equals on template values: a number equals
// only a number of its own class and value (Integer 1 is not Double 1.0, a
// Double NaN equals NaN and 0.0 is not -0.0, as Double.equals has it);
// lists and maps compare item by item with equals; anything else by
// identity. List.contains, indexOf and remove use it, and .equals().
func javaEquals(a, b any) bool { return javaEqualsDepth(a, b, 0) }

func javaEqualsDepth(a, b any, depth int) bool {
	if depth > maxValueDepth {
		panic(&limitPanic{fmt.Sprintf("values nested deeper than %d levels", maxValueDepth)})
	}
	switch x := a.(type) {
	case nil, *absent:
		return b == nil || b == any(nothing)
	case string:
		y, ok := b.(string)
		return ok && x == y
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case int64:
		y, ok := b.(int64)
		return ok && x == y
	case float64:
		y, ok := b.(float64)
		return ok && math.Float64bits(x) == math.Float64bits(y) || ok && math.IsNaN(x) && math.IsNaN(y)
	case *big.Int:
		y, ok := b.(*big.Int)
		return ok && x.Cmp(y) == 0
	case *List:
		y, ok := b.(*List)
		if !ok || len(x.Items) != len(y.Items) {
			return false
		}
		if x == y {
			return true
		}
		for i := range x.Items {
			if !javaEqualsDepth(x.Items[i], y.Items[i], depth+1) {
				return false
			}
		}
		return true
	case *Map:
		y, ok := b.(*Map)
		if !ok || x.Len() != y.Len() {
			return false
		}
		if x == y {
			return true
		}
		for i, k := range x.keys {
			if j := y.find(k); j < 0 || !javaEqualsDepth(x.vals[i], y.vals[j], depth+1) {
				return false
			}
		}
		return true
	case *Entry:
		y, ok := b.(*Entry)
		return ok && x.Key == y.Key && javaEqualsDepth(x.Value, y.Value, depth+1)
	}
	if reflect.TypeOf(a).Comparable() && reflect.TypeOf(a) == reflect.TypeOf(b) {
		return a == b
	}
	return false
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
		// Velocity 1.7's MathUtils: a Long that overflows becomes a BigInteger.
		switch op {
		case "+":
			if r := x + y; (r^x)&(r^y) >= 0 {
				return r, true
			}
			return normBig(new(big.Int).Add(big.NewInt(x), big.NewInt(y))), true
		case "-":
			if r := x - y; (r^x)&(r^^y) >= 0 {
				return r, true
			}
			return normBig(new(big.Int).Sub(big.NewInt(x), big.NewInt(y))), true
		case "*":
			// The same test as MathUtils.multiply (which lets MinInt64 * -1 wrap).
			if r := x * y; y == 0 || r/y == x {
				return r, true
			}
			return normBig(new(big.Int).Mul(big.NewInt(x), big.NewInt(y))), true
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
	if bx, ok := toBig(a); ok {
		if by, ok := toBig(b); ok {
			switch op {
			case "+":
				return normBig(new(big.Int).Add(bx, by)), true
			case "-":
				return normBig(new(big.Int).Sub(bx, by)), true
			case "*":
				return normBig(new(big.Int).Mul(bx, by)), true
			case "/":
				if by.Sign() == 0 {
					return nil, false
				}
				return normBig(new(big.Int).Quo(bx, by)), true
			case "%":
				if by.Sign() <= 0 {
					return nil, false // BigInteger.mod throws
				}
				return normBig(new(big.Int).Mod(bx, by)), true
			}
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
	if bx, ok := toBig(a); ok {
		if by, ok := toBig(b); ok {
			return bx.Cmp(by), true
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

// toInt reads an int argument of a Java method, an index too: an Integer,
// as Velocity 1.7 passes no Long or Double where an int is expected (the
// call then finds no method). A Long is an int64 out of the int range here.
func toInt(v any) (int, bool) {
	if i, ok := v.(int64); ok && i == int64(int32(i)) {
		return int(i), true
	}
	return 0, false
}

// intValue is Number.intValue() of an Integer, Long, BigInteger or Double:
// the low 32 bits of longValue, but a Double toward zero saturated to the
// int range (NaN as 0). A range takes it of its ends.
func intValue(v any) (int64, bool) {
	if x, ok := v.(float64); ok {
		return javaDoubleToLong(x, true), true
	}
	l, ok := longValue(v)
	return int64(int32(l)), ok
}

// longValue is Number.longValue(): the low 64 bits of an Integer, Long or
// BigInteger, a Double toward zero saturated to the long range.
func longValue(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case *big.Int:
		return int64(new(big.Int).And(x, new(big.Int).SetUint64(math.MaxUint64)).Uint64()), true
	case float64:
		return javaDoubleToLong(x, false), true
	}
	return 0, false
}

// boxOwned sets dst[i] to ss[i] as template values, with no allocation
// where a conversion of each string to any would make one each: the values
// point into ss itself, which nothing may change after. dst must be as long
// as ss; it is returned.
func boxOwned(dst []any, ss []string) []any {
	for i := range ss {
		(*eface)(unsafe.Pointer(&dst[i])).set(stringType, unsafe.Pointer(&ss[i]))
	}
	return dst
}

// eface is the layout of an any: a type word and a pointer to the value.
type eface struct{ typ, data unsafe.Pointer }

func (e *eface) set(typ, data unsafe.Pointer) { e.typ, e.data = typ, data }

// stringType is the type word of a string in an any.
var stringType = func() unsafe.Pointer {
	var v any = ""
	return (*eface)(unsafe.Pointer(&v)).typ
}()
