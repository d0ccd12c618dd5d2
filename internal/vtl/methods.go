package vtl

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// call invokes a Java method on a value. ok is false when the value has no
// such method (Velocity then treats the reference as having no value); err
// is what the method threw.
func (s *state) call(v any, name string, args []any) (any, bool, error) {
	switch sv := v.(type) {
	case string:
		return s.stringMethod(v, sv, name, args)
	case *Map:
		return s.mapMethod(sv, name, args)
	case *List:
		return listMethod(sv, name, args)
	case *Entry:
		switch {
		case name == "getKey" && len(args) == 0:
			return sv.Key, true, nil
		case name == "getValue" && len(args) == 0:
			return sv.Value, true, nil
		}
	case Object:
		return sv.Call(s, name, args)
	case int64, float64, *big.Int:
		if out, ok, err := numberMethod(v, name, args); ok {
			return out, true, err
		}
	}
	if v != nil && name == "toString" && len(args) == 0 {
		return toString(v), true, nil
	}
	if v != nil && name == "equals" && len(args) == 1 {
		return javaEquals(v, args[0]), true, nil
	}
	return nil, false, nil
}

var errIndex = errors.New("index out of range")

// units returns s as UTF-16 code units, which Java's string methods count.
func units(s string) []uint16 { return utf16.Encode([]rune(s)) }

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// javaLen is String.length().
func javaLen(s string) int {
	if isASCII(s) {
		return len(s)
	}
	return len(units(s))
}

// javaSub is String.substring(from, to) on UTF-16 units.
func javaSub(s string, from, to int) (string, error) {
	if isASCII(s) {
		if from < 0 || to > len(s) || from > to {
			return "", errIndex
		}
		return s[from:to], nil
	}
	u := units(s)
	if from < 0 || to > len(u) || from > to {
		return "", errIndex
	}
	return string(utf16.Decode(u[from:to])), nil
}

// javaIndex converts a byte index of s into a UTF-16 index.
func javaIndex(s string, byteIdx int) int {
	if byteIdx < 0 {
		return -1
	}
	return javaLen(s[:byteIdx])
}

// byteIndex converts a UTF-16 index into a byte index of s.
func byteIndex(s string, unitIdx int) int {
	if isASCII(s) {
		return min(max(unitIdx, 0), len(s))
	}
	n := 0
	for i, r := range s {
		if n >= unitIdx {
			return i
		}
		n++
		if r > 0xFFFF {
			n++
		}
	}
	return len(s)
}

// charStart is the byte offset in s of the character that holds UTF-16
// unit unitIdx: the start of its surrogate pair when unitIdx is the pair's
// second unit (byteIndex gives the end then); len(s) past the end.
func charStart(s string, unitIdx int) int {
	n := 0
	for i, r := range s {
		w := 1
		if r > 0xFFFF {
			w = 2
		}
		if unitIdx < n+w {
			return i
		}
		n += w
	}
	return len(s)
}

func strArg(args []any, i int) (string, bool) {
	if i >= len(args) || args[i] == nil {
		return "", false
	}
	return toString(args[i]), true
}

// stringMethod calls a java.lang.String method on str; boxed is str as the
// template holds it, returned as it is when a method leaves the string
// unchanged, which saves boxing it again.
func (s *state) stringMethod(boxed any, str, name string, args []any) (any, bool, error) {
	a0, has0 := strArg(args, 0)
	a1, has1 := strArg(args, 1)
	switch len(args) {
	case 0:
		switch name {
		case "length":
			return int64(javaLen(str)), true, nil
		case "isEmpty", "getEmpty":
			return str == "", true, nil
		case "toLowerCase":
			return javaLower(str), true, nil
		case "toUpperCase":
			return javaUpper(str), true, nil
		case "trim":
			return javaTrim(str), true, nil
		case "toString", "intern":
			return boxed, true, nil
		case "getBytes":
			l := &List{}
			for i := 0; i < len(str); i++ {
				l.Items = append(l.Items, int64(int8(str[i])))
			}
			return l, true, nil
		}
	case 1:
		switch name {
		case "contains":
			return has0 && strings.Contains(str, a0), has0, nil
		case "startsWith":
			return has0 && strings.HasPrefix(str, a0), has0, nil
		case "endsWith":
			return has0 && strings.HasSuffix(str, a0), has0, nil
		case "equals":
			x, isStr := args[0].(string)
			return isStr && x == str, true, nil
		case "equalsIgnoreCase":
			return equalsIgnoreCase(str, args[0])
		case "indexOf":
			if !has0 {
				return nil, false, nil
			}
			return int64(javaIndex(str, strings.Index(str, a0))), true, nil
		case "lastIndexOf":
			if !has0 {
				return nil, false, nil
			}
			return int64(javaIndex(str, strings.LastIndex(str, a0))), true, nil
		case "substring":
			from, ok := toInt(args[0])
			if !ok {
				return nil, false, nil
			}
			out, err := javaSub(str, from, javaLen(str))
			return out, true, err
		case "charAt":
			i, ok := toInt(args[0])
			if !ok {
				return nil, false, nil
			}
			out, err := javaSub(str, i, i+1)
			return out, true, err
		case "concat":
			return str + a0, has0, nil
		case "split":
			if !has0 {
				return nil, false, nil
			}
			re, err := s.regexp(a0, false)
			if err != nil {
				return nil, true, err
			}
			return javaSplit(re, str, 0), true, nil
		case "compareTo", "compareToIgnoreCase":
			x, isStr := args[0].(string)
			if !isStr {
				// compareTo(Object), the bridge method, throws (a
				// ClassCastException, or a NullPointerException for null);
				// compareToIgnoreCase(String) takes no other object.
				if name == "compareTo" || args[0] == nil {
					return nil, true, errCompareTo(args[0])
				}
				return nil, false, nil
			}
			if name == "compareTo" {
				return int64(javaCompare(str, x)), true, nil
			}
			return int64(javaCompareIgnoreCase(str, x)), true, nil
		case "matches":
			if !has0 {
				return nil, false, nil
			}
			re, err := s.regexp(a0, true)
			if err != nil {
				return nil, true, err
			}
			return re.MatchString(str), true, nil
		}
	case 2:
		switch name {
		case "substring":
			from, ok1 := toInt(args[0])
			to, ok2 := toInt(args[1])
			if !ok1 || !ok2 {
				return nil, false, nil
			}
			out, err := javaSub(str, from, to)
			return out, true, err
		case "indexOf":
			from, ok := toInt(args[1])
			if !has0 || !ok {
				return nil, false, nil
			}
			b := byteIndex(str, from)
			i := strings.Index(str[b:], a0)
			if i < 0 {
				return int64(-1), true, nil
			}
			return int64(javaIndex(str, b+i)), true, nil
		case "lastIndexOf":
			from, ok := toInt(args[1])
			if !has0 || !ok {
				return nil, false, nil
			}
			if from < 0 {
				return int64(-1), true, nil
			}
			if a0 == "" {
				return int64(min(from, javaLen(str))), true, nil
			}
			// A match may start at from at the latest: at the start of
			// the character unit from is in (no needle starts inside a
			// surrogate pair).
			end := min(charStart(str, from)+len(a0), len(str))
			return int64(javaIndex(str, strings.LastIndex(str[:end], a0))), true, nil
		case "startsWith":
			off, ok := toInt(args[1])
			if !has0 || !ok {
				return nil, false, nil
			}
			if off < 0 || off > javaLen(str) {
				return false, true, nil
			}
			if i := charStart(str, off); javaIndex(str, i) != off {
				return a0 == "", true, nil // off is inside a surrogate pair
			}
			return strings.HasPrefix(str[byteIndex(str, off):], a0), true, nil
		case "split":
			limit, ok := toInt(args[1])
			if !has0 || !ok {
				return nil, false, nil
			}
			re, err := s.regexp(a0, false)
			if err != nil {
				return nil, true, err
			}
			return javaSplit(re, str, limit), true, nil
		case "replace":
			if !has0 || !has1 {
				return nil, false, nil
			}
			return strings.ReplaceAll(str, a0, a1), true, nil
		case "replaceAll", "replaceFirst":
			if !has0 || !has1 {
				return nil, false, nil
			}
			return s.replace(boxed, str, a0, a1, name == "replaceAll")
		}
	}
	return nil, false, nil
}

// replace is String.replaceAll / replaceFirst with Java regex and
// replacement syntax ($1 groups, \ escapes).
func (s *state) replace(boxed any, str, pattern, repl string, all bool) (any, bool, error) {
	// Fast path: a pattern that is a plain string (the common
	// replaceAll("\\'", "'") among them) needs no regexp.
	var lit literal
	ok := false
	if s.lit != nil {
		lit, ok = *s.lit, true
	} else {
		lit, ok = s.lits[pattern]
	}
	if !ok {
		if s.lits == nil {
			s.lits = map[string]literal{}
		}
		lit.text, lit.ok = literalPattern(pattern)
		s.lits[pattern] = lit
	}
	if lit.ok && !strings.ContainsAny(repl, `$\`) {
		if !strings.Contains(str, lit.text) {
			return boxed, true, nil
		}
		lit := lit.text
		if all {
			return s.box(strings.ReplaceAll(str, lit, repl)), true, nil
		}
		return s.box(strings.Replace(str, lit, repl, 1)), true, nil
	}
	re, err := s.regexp(pattern, false)
	if err != nil {
		return nil, true, err
	}
	n := -1
	if !all {
		n = 1
	}
	matches := re.FindAllStringSubmatchIndex(str, n)
	if matches == nil {
		return boxed, true, nil
	}
	var b []byte
	last := 0
	for _, m := range matches {
		b = append(b, str[last:m[0]]...)
		if b, err = appendReplacement(b, repl, re, str, m); err != nil {
			return nil, true, err
		}
		last = m[1]
	}
	return string(append(b, str[last:]...)), true, nil
}

// appendReplacement appends repl for the match m of re in str as Java's
// Matcher.appendReplacement reads it: \x is x; $n is group n, taking more
// digits while they name a group ($10 with one group is group 1 and "0");
// ${name} is a named group; a group that did not take part adds nothing.
// What Java throws is an error: only a match reads repl, so a bad
// replacement of a pattern that does not match is no error, as in Java.
func appendReplacement(b []byte, repl string, re *regexp.Regexp, str string, m []int) ([]byte, error) {
	for i := 0; i < len(repl); i++ {
		c := repl[i]
		switch c {
		case '\\':
			i++
			if i == len(repl) {
				return nil, errors.New("character to be escaped is missing")
			}
			_, size := utf8.DecodeRuneInString(repl[i:])
			b = append(b, repl[i:i+size]...)
			i += size - 1
			continue
		case '$':
		default:
			b = append(b, c)
			continue
		}
		i++
		if i == len(repl) {
			return nil, errors.New("illegal group reference: group index is missing")
		}
		group := 0
		if repl[i] == '{' {
			j := i + 1
			for j < len(repl) && isASCIIAlnum(repl[j]) {
				j++
			}
			if j == i+1 {
				return nil, errors.New("named capturing group has 0 length name")
			}
			if j == len(repl) || repl[j] != '}' {
				return nil, errors.New("named capturing group is missing trailing '}'")
			}
			name := repl[i+1 : j]
			if group = re.SubexpIndex(name); group < 0 {
				return nil, fmt.Errorf("no group with name {%s}", name)
			}
			i = j
		} else {
			if repl[i] < '0' || repl[i] > '9' {
				return nil, errors.New("illegal group reference")
			}
			group = int(repl[i] - '0')
			for i+1 < len(repl) && repl[i+1] >= '0' && repl[i+1] <= '9' {
				next := group*10 + int(repl[i+1]-'0')
				if next > re.NumSubexp() {
					break
				}
				group = next
				i++
			}
			if group > re.NumSubexp() {
				return nil, fmt.Errorf("no group %d", group)
			}
		}
		if m[2*group] >= 0 {
			b = append(b, str[m[2*group]:m[2*group+1]]...)
		}
	}
	return b, nil
}

func isASCIIAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// literal is the plain text a regex matches, when it is one.
type literal struct {
	text string
	ok   bool
}

// literalPattern reports the text a regex matches when it has no
// metacharacters (after removing escapes of punctuation).
func literalPattern(p string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '\\':
			if i+1 >= len(p) {
				return "", false
			}
			n := p[i+1]
			if n >= 'a' && n <= 'z' || n >= 'A' && n <= 'Z' || n >= '0' && n <= '9' {
				return "", false // \d, \n, \1, ... are not literal here
			}
			b.WriteByte(n)
			i++
		case strings.IndexByte(`.[]{}()*+?^$|`, c) >= 0:
			return "", false
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), true
}

// regexp compiles a Java regular expression (as far as Go's RE2 syntax
// covers it), cached on the template. whole anchors it, as String.matches.
func (s *state) regexp(pattern string, whole bool) (*regexp.Regexp, error) {
	key := pattern
	if whole {
		key = "\x00" + pattern
	}
	if re, ok := s.t.regexps.Load(key); ok {
		return re.(*regexp.Regexp), nil
	}
	src := pattern
	if whole {
		src = `^(?:` + pattern + `)$`
	}
	// Copies: the pattern may be text of the rendering's slabs, which a
	// later rendering writes over (release).
	re, err := regexp.Compile(strings.Clone(src))
	if err != nil {
		return nil, fmt.Errorf("regular expression %q: %w", pattern, err)
	}
	s.t.regexps.Store(strings.Clone(key), re)
	return re, nil
}

// javaSplit is String.split(regex, limit), Java's Pattern.split step for
// step: at most limit parts when limit is positive, the last one the rest
// of s; trailing empty strings removed when limit is 0; a zero-width match
// at 0 makes no leading empty string; one at the end makes a trailing one.
func javaSplit(re *regexp.Regexp, s string, limit int) *List {
	var parts []string
	index := 0
	for _, m := range re.FindAllStringIndex(s, -1) {
		if limit > 0 && len(parts) >= limit-1 {
			if len(parts) == limit-1 {
				parts = append(parts, s[index:])
				index = m[1]
			}
			break
		}
		if index == 0 && m[0] == 0 && m[1] == 0 {
			continue
		}
		parts = append(parts, s[index:m[0]])
		index = m[1]
	}
	if index == 0 {
		return &List{Items: []any{s}} // no match (or only an empty one at 0)
	}
	if limit <= 0 || len(parts) < limit {
		parts = append(parts, s[index:])
	}
	for limit == 0 && len(parts) > 0 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	l := &List{Items: make([]any, len(parts))}
	for i, p := range parts {
		l.Items[i] = p
	}
	return l
}

// javaCompare is String.compareTo: the first differing UTF-16 units, else
// the lengths.
func javaCompare(a, b string) int {
	if isASCII(a) && isASCII(b) {
		for i := 0; i < len(a) && i < len(b); i++ {
			if a[i] != b[i] {
				return int(a[i]) - int(b[i])
			}
		}
		return len(a) - len(b)
	}
	return compareUnits(units(a), units(b))
}

// javaCompareIgnoreCase is String.compareToIgnoreCase as JDK 17 has it:
// UTF-16 units compared after toUpperCase and then toLowerCase of each,
// where both strings hold a surrogate pair at the same place the two
// characters it encodes instead (JDK 16 and later); the difference of the
// first two that differ, or of the lengths.
func javaCompareIgnoreCase(a, b string) int {
	fold := func(r rune) rune { return unicode.ToLower(unicode.ToUpper(r)) }
	x, y := units(a), units(b)
	for i := 0; i < len(x) && i < len(y); i++ {
		cx, cy := rune(x[i]), rune(y[i])
		if i+1 < len(x) && i+1 < len(y) && utf16.IsSurrogate(cx) && utf16.IsSurrogate(cy) {
			if px, py := utf16.DecodeRune(cx, rune(x[i+1])), utf16.DecodeRune(cy, rune(y[i+1])); px != utf8.RuneError && py != utf8.RuneError {
				if fx, fy := fold(px), fold(py); fx != fy {
					return int(fx) - int(fy)
				}
				i++
				continue
			}
		}
		if !utf16.IsSurrogate(cx) {
			cx = fold(cx)
		}
		if !utf16.IsSurrogate(cy) {
			cy = fold(cy)
		}
		if cx != cy {
			return int(cx) - int(cy)
		}
	}
	return len(x) - len(y)
}

// compareUnits compares UTF-16 units as String.compareTo does.
func compareUnits(a, b []uint16) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return int(a[i]) - int(b[i])
		}
	}
	return len(a) - len(b)
}

// numberMethod calls a java.lang.Number method on an Integer, Long,
// BigInteger or Double: the conversions and compareTo, which takes a number
// of its own class only (Velocity finds no method for 1.compareTo(1.5)).
func numberMethod(v any, name string, args []any) (any, bool, error) {
	if len(args) == 1 {
		if name != "compareTo" {
			return nil, false, nil
		}
		if reflect.TypeOf(v) != reflect.TypeOf(args[0]) {
			return nil, true, errCompareTo(args[0]) // compareTo(Object) throws
		}
		if x, ok := v.(float64); ok {
			return int64(javaDoubleCompare(x, args[0].(float64))), true, nil
		}
		c, _ := compare(v, args[0])
		return int64(c), true, nil
	}
	out, ok := numberValue(v, name, args)
	return out, ok, nil
}

// errCompareTo is what compareTo(Object) throws for an object of another
// class than its own, or null.
func errCompareTo(arg any) error {
	if arg == nil {
		return errors.New("compareTo(null)")
	}
	return fmt.Errorf("compareTo() of another class (%T)", arg)
}

// numberValue is the conversions of Number.
func numberValue(v any, name string, args []any) (any, bool) {
	if len(args) != 0 {
		return nil, false
	}
	switch name {
	case "intValue":
		return intValue(v)
	case "longValue":
		return longValue(v)
	case "shortValue":
		i, _ := intValue(v)
		return int64(int16(i)), true
	case "byteValue":
		i, _ := intValue(v)
		return int64(int8(i)), true
	case "doubleValue":
		return toFloat(v), true
	}
	return nil, false
}

// javaDoubleToLong is Java's (long) or (int) cast of a double: toward
// zero, NaN as 0, saturating at the bounds of the type.
func javaDoubleToLong(f float64, toInt32 bool) int64 {
	lo, hi := float64(math.MinInt64), float64(math.MaxInt64)
	if toInt32 {
		lo, hi = math.MinInt32, math.MaxInt32
	}
	switch {
	case math.IsNaN(f):
		return 0
	case f <= lo:
		return int64(lo)
	case f >= hi:
		if toInt32 {
			return math.MaxInt32
		}
		return math.MaxInt64
	}
	return int64(f)
}

// javaDoubleCompare is Double.compareTo: -0.0 below 0.0, NaN above all.
func javaDoubleCompare(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	x, y := math.Float64bits(a), math.Float64bits(b)
	if math.IsNaN(a) {
		x = 0x7ff8000000000000
	}
	if math.IsNaN(b) {
		y = 0x7ff8000000000000
	}
	switch {
	case int64(x) < int64(y):
		return -1
	case int64(x) > int64(y):
		return 1
	}
	return 0
}

func (s *state) mapMethod(m *Map, name string, args []any) (any, bool, error) {
	switch len(args) {
	case 0:
		switch name {
		case "size":
			return int64(m.Len()), true, nil
		case "isEmpty":
			return m.Len() == 0, true, nil
		case "keySet":
			l := s.newList(len(m.keys))
			boxOwned(l.Items, m.keys) // a Map never writes over its keys
			return l, true, nil
		case "values":
			return &List{Items: append(make([]any, 0, len(m.vals)), m.vals...)}, true, nil
		case "entrySet":
			l := &List{Items: make([]any, len(m.keys))}
			entries := make([]Entry, len(m.keys))
			for i, k := range m.keys {
				entries[i] = Entry{Key: k, Value: m.vals[i]}
				l.Items[i] = &entries[i]
			}
			return l, true, nil
		case "toString":
			return toString(m), true, nil
		case "clear":
			m.Clear()
			return nil, true, nil
		}
	case 1:
		k := toString(args[0])
		switch name {
		case "get":
			return m.Get(k), true, nil
		case "containsKey":
			return m.Has(k), true, nil
		case "containsValue":
			for _, v := range m.vals {
				if javaEquals(v, args[0]) {
					return true, true, nil
				}
			}
			return false, true, nil
		case "remove":
			return m.Remove(k), true, nil
		case "putAll":
			if o, ok := args[0].(*Map); ok {
				keys, vals := o.keys, o.vals // o may be m
				for i, key := range keys {
					m.Put(key, vals[i])
				}
				return nil, true, nil
			}
		case "equals":
			return javaEquals(m, args[0]), true, nil
		}
	case 2:
		if name == "put" {
			return m.Put(toString(args[0]), args[1]), true, nil
		}
	}
	return nil, false, nil
}

func listMethod(l *List, name string, args []any) (any, bool, error) {
	switch len(args) {
	case 0:
		switch name {
		case "size":
			return int64(len(l.Items)), true, nil
		case "isEmpty":
			return len(l.Items) == 0, true, nil
		case "toString":
			return toString(l), true, nil
		case "clear":
			l.Items = nil
			return nil, true, nil
		}
	case 1:
		switch name {
		case "get":
			i, ok := toInt(args[0])
			if !ok {
				return nil, false, nil
			}
			if i < 0 || i >= len(l.Items) {
				return nil, true, fmt.Errorf("index %d out of bounds for length %d", i, len(l.Items))
			}
			return l.Items[i], true, nil
		case "contains", "indexOf":
			for i, x := range l.Items {
				if javaEquals(x, args[0]) {
					if name == "contains" {
						return true, true, nil
					}
					return int64(i), true, nil
				}
			}
			if name == "contains" {
				return false, true, nil
			}
			return int64(-1), true, nil
		case "add":
			l.Items = append(l.Items, args[0])
			return true, true, nil
		case "addAll":
			if o, ok := args[0].(*List); ok {
				l.Items = append(l.Items, o.Items...)
				return true, true, nil
			}
		case "equals":
			return javaEquals(l, args[0]), true, nil
		case "lastIndexOf":
			for i := len(l.Items) - 1; i >= 0; i-- {
				if javaEquals(l.Items[i], args[0]) {
					return int64(i), true, nil
				}
			}
			return int64(-1), true, nil
		case "remove":
			// remove(int) removes at an index; remove(Object) the first equal item.
			if i, isInt := args[0].(int64); isInt {
				if i < 0 || int(i) >= len(l.Items) {
					return nil, true, fmt.Errorf("index %d out of bounds for length %d", i, len(l.Items))
				}
				old := l.Items[i]
				l.Items = append(l.Items[:i:i], l.Items[i+1:]...)
				return old, true, nil
			}
			for i, x := range l.Items {
				if javaEquals(x, args[0]) {
					l.Items = append(l.Items[:i:i], l.Items[i+1:]...)
					return true, true, nil
				}
			}
			return false, true, nil
		}
	case 2:
		switch name {
		case "subList":
			from, ok1 := toInt(args[0])
			to, ok2 := toInt(args[1])
			if !ok1 || !ok2 {
				return nil, false, nil
			}
			if from < 0 || to > len(l.Items) || from > to {
				return nil, true, fmt.Errorf("subList(%d, %d) out of bounds for length %d", from, to, len(l.Items))
			}
			// A copy: Java's view would see later changes of the list; templates
			// rarely change a list after taking a part of it.
			return &List{Items: append([]any(nil), l.Items[from:to]...)}, true, nil
		case "set", "add":
			i, ok := toInt(args[0])
			if !ok || i < 0 || i > len(l.Items) || name == "set" && i == len(l.Items) {
				return nil, true, fmt.Errorf("index %v out of bounds for length %d", args[0], len(l.Items))
			}
			if name == "set" {
				old := l.Items[i]
				l.Items[i] = args[1]
				return old, true, nil
			}
			l.Items = append(l.Items[:i], append([]any{args[1]}, l.Items[i:]...)...)
			return nil, true, nil
		}
	}
	return nil, false, nil
}

// javaTrim is Java's String.trim: the characters up to U+0020 (spaces and
// control characters) removed from both ends.
func javaTrim(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
}
