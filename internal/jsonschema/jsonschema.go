// Package jsonschema validates JSON values against JSON Schema draft 4, the
// schema language of API Gateway's models (a REST API's request models,
// which a request validator checks bodies with). It covers the draft's
// validation keywords; "format" is not checked (the draft makes it
// optional). A $ref is a JSON pointer into the same schema ("#",
// "#/definitions/x") or, through a Resolver, another schema (API Gateway's
// https://apigateway.amazonaws.com/restapis/ID/models/NAME).
//
// It is a leaf package: it imports nothing of iamgate's.
package jsonschema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Schema is a compiled schema: its document, and the documents and
// patterns it refers to, checked once.
type Schema struct {
	root     any
	resolver Resolver
	docs     map[string]any            // referenced documents, by $ref
	patterns map[string]*regexp.Regexp // by source
}

// Resolver returns the schema document a $ref that is not a pointer into
// the same document names, or false.
type Resolver func(ref string) (any, bool)

// Compile checks a schema document (decoded JSON: map[string]any, ...)
// and what it refers to: every $ref must resolve and every pattern
// compile.
func Compile(doc any, resolve Resolver) (*Schema, error) {
	s := &Schema{root: doc, resolver: resolve, docs: map[string]any{}, patterns: map[string]*regexp.Regexp{}}
	if err := s.check(doc, doc, map[string]bool{}); err != nil {
		return nil, err
	}
	return s, nil
}

// check walks a document, resolving its $refs and compiling its patterns.
func (s *Schema) check(node, doc any, seen map[string]bool) error {
	switch n := node.(type) {
	case []any:
		for _, x := range n {
			if err := s.check(x, doc, seen); err != nil {
				return err
			}
		}
	case map[string]any:
		if ref, ok := n["$ref"].(string); ok {
			if !strings.HasPrefix(ref, "#") && !seen[ref] {
				seen[ref] = true
				target, ok := s.document(ref)
				if !ok {
					return fmt.Errorf("$ref %q: no such schema", ref)
				}
				if err := s.check(target, target, seen); err != nil {
					return fmt.Errorf("$ref %q: %w", ref, err)
				}
			} else if strings.HasPrefix(ref, "#") {
				if _, ok := pointer(doc, ref[1:]); !ok {
					return fmt.Errorf("$ref %q: no such place in the schema", ref)
				}
			}
		}
		if p, ok := n["pattern"].(string); ok {
			if err := s.compilePattern(p); err != nil {
				return err
			}
		}
		if pp, ok := n["patternProperties"].(map[string]any); ok {
			for p := range pp {
				if err := s.compilePattern(p); err != nil {
					return err
				}
			}
		}
		for k, v := range n {
			if k == "enum" || k == "required" {
				continue
			}
			if err := s.check(v, doc, seen); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *Schema) compilePattern(p string) error {
	if _, ok := s.patterns[p]; ok {
		return nil
	}
	re, err := regexp.Compile(p)
	if err != nil {
		return fmt.Errorf("pattern %q: %v", p, err)
	}
	s.patterns[p] = re
	return nil
}

// document is the document a $ref outside the schema names, "#..." after
// it pointing into it.
func (s *Schema) document(ref string) (any, bool) {
	if d, ok := s.docs[ref]; ok {
		return d, true
	}
	base, frag, _ := strings.Cut(ref, "#")
	if s.resolver == nil {
		return nil, false
	}
	d, ok := s.resolver(base)
	if !ok {
		return nil, false
	}
	if frag != "" {
		if d, ok = pointer(d, frag); !ok {
			return nil, false
		}
	}
	s.docs[ref] = d
	return d, true
}

// pointer follows a JSON pointer (RFC 6901) from doc.
func pointer(doc any, p string) (any, bool) {
	if p == "" {
		return doc, true
	}
	cur := doc
	for _, tok := range strings.Split(strings.TrimPrefix(p, "/"), "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch c := cur.(type) {
		case map[string]any:
			v, ok := c[tok]
			if !ok {
				return nil, false
			}
			cur = v
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(c) {
				return nil, false
			}
			cur = c[i]
		default:
			return nil, false
		}
	}
	return cur, true
}

// Decode decodes JSON text as Validate reads it: numbers kept exact
// (json.Number). It fails on anything but one JSON value.
func Decode(text []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(text))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	if d.More() {
		return nil, fmt.Errorf("more than one JSON value")
	}
	return v, nil
}

// Validate reports whether v (decoded by Decode) is valid against s, and
// the first reason it is not.
func (s *Schema) Validate(v any) error {
	return s.validate(s.root, s.root, v, "$", 0)
}

// maxDepth bounds the $refs followed: a schema that refers to itself
// without consuming the value would not end.
const maxDepth = 64

func (s *Schema) validate(schema, doc, v any, at string, depth int) error {
	if depth > maxDepth {
		return fmt.Errorf("%s: schema references nest deeper than %d", at, maxDepth)
	}
	sc, ok := schema.(map[string]any)
	if !ok {
		return nil // a schema that is not an object constrains nothing
	}
	if ref, ok := sc["$ref"].(string); ok {
		// Draft 4: a $ref replaces the rest of its object.
		if strings.HasPrefix(ref, "#") {
			target, _ := pointer(doc, ref[1:])
			return s.validate(target, doc, v, at, depth+1)
		}
		target, _ := s.document(ref)
		return s.validate(target, target, v, at, depth+1)
	}
	if t, ok := sc["type"]; ok && !hasType(t, v) {
		return fmt.Errorf("%s: %s is not of type %s", at, kind(v), typeText(t))
	}
	if e, ok := sc["enum"].([]any); ok {
		found := false
		for _, x := range e {
			if equal(x, v) {
				found = true
				break
			}
		}
		if !found {
			return fmt.Errorf("%s: not one of the enum's values", at)
		}
	}
	for _, key := range []string{"allOf", "anyOf", "oneOf"} {
		list, ok := sc[key].([]any)
		if !ok {
			continue
		}
		n := 0
		var first error
		for _, sub := range list {
			if err := s.validate(sub, doc, v, at, depth+1); err == nil {
				n++
			} else if first == nil {
				first = err
			}
		}
		switch {
		case key == "allOf" && n != len(list):
			return first
		case key == "anyOf" && n == 0:
			return fmt.Errorf("%s: valid against none of anyOf", at)
		case key == "oneOf" && n != 1:
			return fmt.Errorf("%s: valid against %d of oneOf, not exactly one", at, n)
		}
	}
	if not, ok := sc["not"]; ok && s.validate(not, doc, v, at, depth+1) == nil {
		return fmt.Errorf("%s: valid against the schema of not", at)
	}
	switch x := v.(type) {
	case string:
		return s.validateString(sc, x, at)
	case json.Number:
		return validateNumber(sc, x, at)
	case []any:
		return s.validateArray(sc, doc, x, at, depth)
	case map[string]any:
		return s.validateObject(sc, doc, x, at, depth)
	}
	return nil
}

func (s *Schema) validateString(sc map[string]any, x, at string) error {
	n := utf8.RuneCountInString(x)
	if m, ok := number(sc["maxLength"]); ok && float64(n) > m {
		return fmt.Errorf("%s: longer than %v", at, m)
	}
	if m, ok := number(sc["minLength"]); ok && float64(n) < m {
		return fmt.Errorf("%s: shorter than %v", at, m)
	}
	if p, ok := sc["pattern"].(string); ok && !s.patterns[p].MatchString(x) {
		return fmt.Errorf("%s: does not match %q", at, p)
	}
	return nil
}

func validateNumber(sc map[string]any, x json.Number, at string) error {
	f, _ := x.Float64()
	if m, ok := number(sc["maximum"]); ok {
		if f > m || (sc["exclusiveMaximum"] == true && f == m) {
			return fmt.Errorf("%s: %s is over the maximum %v", at, x, m)
		}
	}
	if m, ok := number(sc["minimum"]); ok {
		if f < m || (sc["exclusiveMinimum"] == true && f == m) {
			return fmt.Errorf("%s: %s is under the minimum %v", at, x, m)
		}
	}
	if m, ok := sc["multipleOf"].(json.Number); ok {
		a, aok := new(big.Rat).SetString(x.String())
		b, bok := new(big.Rat).SetString(m.String())
		if aok && bok && b.Sign() != 0 && !new(big.Rat).Quo(a, b).IsInt() {
			return fmt.Errorf("%s: %s is not a multiple of %s", at, x, m)
		}
	}
	return nil
}

func (s *Schema) validateArray(sc map[string]any, doc any, x []any, at string, depth int) error {
	if m, ok := number(sc["maxItems"]); ok && float64(len(x)) > m {
		return fmt.Errorf("%s: more than %v items", at, m)
	}
	if m, ok := number(sc["minItems"]); ok && float64(len(x)) < m {
		return fmt.Errorf("%s: fewer than %v items", at, m)
	}
	if sc["uniqueItems"] == true {
		for i := range x {
			for j := i + 1; j < len(x); j++ {
				if equal(x[i], x[j]) {
					return fmt.Errorf("%s: items %d and %d are equal", at, i, j)
				}
			}
		}
	}
	switch items := sc["items"].(type) {
	case map[string]any:
		for i, it := range x {
			if err := s.validate(items, doc, it, fmt.Sprintf("%s[%d]", at, i), depth+1); err != nil {
				return err
			}
		}
	case []any:
		for i, it := range x {
			sub, extra := any(nil), false
			if i < len(items) {
				sub = items[i]
			} else {
				sub, extra = sc["additionalItems"], true
			}
			if extra && sub == false {
				return fmt.Errorf("%s: more than %d items", at, len(items))
			}
			if err := s.validate(sub, doc, it, fmt.Sprintf("%s[%d]", at, i), depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *Schema) validateObject(sc map[string]any, doc any, x map[string]any, at string, depth int) error {
	if m, ok := number(sc["maxProperties"]); ok && float64(len(x)) > m {
		return fmt.Errorf("%s: more than %v properties", at, m)
	}
	if m, ok := number(sc["minProperties"]); ok && float64(len(x)) < m {
		return fmt.Errorf("%s: fewer than %v properties", at, m)
	}
	if req, ok := sc["required"].([]any); ok {
		for _, r := range req {
			if name, ok := r.(string); ok {
				if _, has := x[name]; !has {
					return fmt.Errorf("%s: the required property %q is missing", at, name)
				}
			}
		}
	}
	props, _ := sc["properties"].(map[string]any)
	patterns, _ := sc["patternProperties"].(map[string]any)
	for k, val := range x {
		where := at + "." + k
		matched := false
		if sub, ok := props[k]; ok {
			matched = true
			if err := s.validate(sub, doc, val, where, depth+1); err != nil {
				return err
			}
		}
		for p, sub := range patterns {
			if s.patterns[p].MatchString(k) {
				matched = true
				if err := s.validate(sub, doc, val, where, depth+1); err != nil {
					return err
				}
			}
		}
		if matched {
			continue
		}
		switch ap := sc["additionalProperties"].(type) {
		case bool:
			if !ap {
				return fmt.Errorf("%s: the property %q is not allowed", at, k)
			}
		case map[string]any:
			if err := s.validate(ap, doc, val, where, depth+1); err != nil {
				return err
			}
		}
	}
	if deps, ok := sc["dependencies"].(map[string]any); ok {
		for k, dep := range deps {
			if _, has := x[k]; !has {
				continue
			}
			switch d := dep.(type) {
			case []any:
				for _, r := range d {
					if name, ok := r.(string); ok {
						if _, has := x[name]; !has {
							return fmt.Errorf("%s: %q requires the property %q", at, k, name)
						}
					}
				}
			case map[string]any:
				if err := s.validate(d, doc, x, at, depth+1); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// hasType reports whether v is of the type (a name or a list of names).
func hasType(t, v any) bool {
	switch t := t.(type) {
	case string:
		return isType(t, v)
	case []any:
		for _, x := range t {
			if name, ok := x.(string); ok && isType(name, v) {
				return true
			}
		}
		return false
	}
	return true
}

func isType(name string, v any) bool {
	switch name {
	case "null":
		return v == nil
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "string":
		_, ok := v.(string)
		return ok
	case "number":
		_, ok := v.(json.Number)
		return ok
	case "integer":
		n, ok := v.(json.Number)
		if !ok {
			return false
		}
		r, ok := new(big.Rat).SetString(n.String())
		return ok && r.IsInt()
	case "array":
		_, ok := v.([]any)
		return ok
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "any": // draft 3's, still met
		return true
	}
	return false
}

func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

func typeText(t any) string {
	b, _ := json.Marshal(t)
	return string(b)
}

// number reads a schema's numeric keyword.
func number(v any) (float64, bool) {
	switch n := v.(type) {
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	case float64:
		return n, true
	}
	return 0, false
}

// equal is JSON equality: numbers by value, objects by their members.
func equal(a, b any) bool {
	switch x := a.(type) {
	case json.Number, float64:
		fa, aok := number(x)
		fb, bok := number(b)
		if aok && bok && !math.IsNaN(fa) {
			ra, _ := new(big.Rat).SetString(numText(x))
			rb, _ := new(big.Rat).SetString(numText(b))
			if ra != nil && rb != nil {
				return ra.Cmp(rb) == 0
			}
			return fa == fb
		}
		return false
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !equal(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !equal(v, w) {
				return false
			}
		}
		return true
	}
	return a == b
}

func numText(v any) string {
	switch n := v.(type) {
	case json.Number:
		return n.String()
	case float64:
		return strconv.FormatFloat(n, 'g', -1, 64)
	}
	return ""
}
