package vtl

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
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
	}
	if v != nil && name == "toString" && len(args) == 0 {
		return toString(v), true, nil
	}
	if v != nil && name == "equals" && len(args) == 1 {
		return equal(v, args[0]), true, nil
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
			return strings.ToLower(str), true, nil
		case "toUpperCase":
			return strings.ToUpper(str), true, nil
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
			return has0 && strings.EqualFold(str, a0), true, nil
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
			return javaSplit(re, str), true, nil
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
	goRepl, err := javaReplacement(repl)
	if err != nil {
		return nil, true, err
	}
	if all {
		return re.ReplaceAllString(str, goRepl), true, nil
	}
	done := false
	return re.ReplaceAllStringFunc(str, func(m string) string {
		if done {
			return m
		}
		done = true
		return re.ReplaceAllString(m, goRepl)
	}), true, nil
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

// javaReplacement converts a Java replacement string into Go's syntax.
func javaReplacement(r string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(r); i++ {
		switch c := r[i]; c {
		case '\\':
			if i+1 >= len(r) {
				return "", fmt.Errorf("character to be escaped is missing")
			}
			i++
			if r[i] == '$' {
				b.WriteString("$$")
			} else {
				b.WriteByte(r[i])
			}
		case '$':
			j := i + 1
			for j < len(r) && r[j] >= '0' && r[j] <= '9' {
				j++
			}
			if j == i+1 {
				return "", fmt.Errorf("illegal group reference")
			}
			b.WriteString("${" + r[i+1:j] + "}")
			i = j - 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
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

// javaSplit is String.split: trailing empty strings are removed.
func javaSplit(re *regexp.Regexp, s string) *List {
	parts := re.Split(s, -1)
	if len(parts) > 0 && parts[0] == "" && s != "" {
		// Java drops a leading empty string only for a zero-width match at 0.
		if loc := re.FindStringIndex(s); loc != nil && loc[0] == 0 && loc[1] == 0 {
			parts = parts[1:]
		}
	}
	for len(parts) > 0 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	if len(parts) == 0 && s == "" {
		parts = []string{""}
	}
	l := &List{Items: make([]any, len(parts))}
	for i, p := range parts {
		l.Items[i] = p
	}
	return l
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
				if equal(v, args[0]) {
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
			return equal(m, args[0]), true, nil
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
				if equal(x, args[0]) {
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
			return equal(l, args[0]), true, nil
		case "lastIndexOf":
			for i := len(l.Items) - 1; i >= 0; i-- {
				if equal(l.Items[i], args[0]) {
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
				if equal(x, args[0]) {
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
