// Package jsontext checks and compacts JSON text in one pass, without an
// allocation when the text is compact already (the usual request body): what
// encoding/json's Valid and Compact do in two, for the engine's
// $input.json('$') and for the echo backend.
package jsontext

import (
	"errors"
	"fmt"
	"strings"
	"unsafe"
)

// ErrDepth is the error of a text nested deeper than Compact's maxDepth.
var ErrDepth = errors.New("nested too deeply")

// Compact checks that s is one JSON value and returns it without
// insignificant whitespace, as encoding/json's Compact writes it. The
// result is s itself when s is compact already; else it is written into
// buf when buf has room for s (buf must then not be changed while the
// result is in use), or into a new buffer.
//
// maxDepth bounds the nesting: the top value is at depth 0, the members
// and items of a container at depth d are at d+1, and a value deeper than
// maxDepth is an error (ErrDepth). An error other than ErrDepth says where
// the text stops being JSON: "invalid JSON at offset N: ...".
func Compact(buf []byte, s string, maxDepth int) (string, error) {
	c := &scanner{s: s, buf: buf, maxDepth: maxDepth}
	c.space()
	if err := c.value(0); err != nil {
		return "", err
	}
	c.space()
	if c.i != len(s) {
		return "", c.errorf("data after the JSON value")
	}
	if c.out == nil {
		return s, nil
	}
	c.out = append(c.out, s[c.run:]...)
	return unsafe.String(unsafe.SliceData(c.out), len(c.out)), nil // out is not changed again
}

type scanner struct {
	s string
	i int
	// out is the compact text up to run, once whitespace was seen outside
	// strings (nil before).
	out []byte
	run int
	// buf is where out starts, when it has room for s.
	buf      []byte
	maxDepth int
}

func (c *scanner) errorf(format string, args ...any) error {
	return fmt.Errorf("invalid JSON at offset %d: %s", c.i, fmt.Sprintf(format, args...))
}

// space skips whitespace.
func (c *scanner) space() {
	if c.i < len(c.s) && c.s[c.i] > ' ' {
		return // no whitespace (all of JSON's is <= ' '): the usual case
	}
	c.skipSpace()
}

func (c *scanner) skipSpace() {
	start, i := c.i, c.i
	for i < len(c.s) && (c.s[i] == ' ' || c.s[i] == '\t' || c.s[i] == '\n' || c.s[i] == '\r') {
		i++
	}
	c.i = i
	if i > start {
		if c.out == nil {
			if cap(c.buf) >= len(c.s) {
				c.out = c.buf[:0]
			} else {
				c.out = make([]byte, 0, len(c.s))
			}
		}
		c.out = append(c.out, c.s[c.run:start]...)
		c.run = c.i
	}
}

func (c *scanner) value(depth int) error {
	if depth > c.maxDepth {
		return ErrDepth
	}
	if c.i >= len(c.s) {
		return c.errorf("unexpected end of input")
	}
	switch ch := c.s[c.i]; {
	case ch == '{':
		c.i++
		c.space()
		if c.i < len(c.s) && c.s[c.i] == '}' {
			c.i++
			return nil
		}
		for {
			c.space()
			if c.i >= len(c.s) || c.s[c.i] != '"' {
				return c.errorf("expected a string key")
			}
			if err := c.str(); err != nil {
				return err
			}
			c.space()
			if c.i >= len(c.s) || c.s[c.i] != ':' {
				return c.errorf("expected ':'")
			}
			c.i++
			c.space()
			if err := c.member(depth); err != nil {
				return err
			}
			c.space()
			if c.i >= len(c.s) {
				return c.errorf("unexpected end of input in object")
			}
			if c.s[c.i] == '}' {
				c.i++
				return nil
			}
			if c.s[c.i] != ',' {
				return c.errorf("expected ',' or '}'")
			}
			c.i++
		}
	case ch == '[':
		c.i++
		c.space()
		if c.i < len(c.s) && c.s[c.i] == ']' {
			c.i++
			return nil
		}
		for {
			c.space()
			if err := c.member(depth); err != nil {
				return err
			}
			c.space()
			if c.i >= len(c.s) {
				return c.errorf("unexpected end of input in array")
			}
			if c.s[c.i] == ']' {
				c.i++
				return nil
			}
			if c.s[c.i] != ',' {
				return c.errorf("expected ',' or ']'")
			}
			c.i++
		}
	case ch == '"':
		return c.str()
	case ch == '-' || ch >= '0' && ch <= '9':
		return c.number()
	case strings.HasPrefix(c.s[c.i:], "true"):
		c.i += 4
	case strings.HasPrefix(c.s[c.i:], "false"):
		c.i += 5
	case strings.HasPrefix(c.s[c.i:], "null"):
		c.i += 4
	default:
		return c.errorf("unexpected character %q", ch)
	}
	return nil
}

// plainJSON says which bytes stand for themselves in a JSON string.
var plainJSON = func() (t [256]bool) {
	for c := range t {
		t[c] = c >= 0x20 && c != '"' && c != '\\'
	}
	return t
}()

func (c *scanner) str() error {
	// The index is a local while the plain bytes go by (most of a text):
	// c.i is written when the string ends or fails.
	s, i := c.s, c.i+1 // after the opening quote
	for i < len(s) {
		ch := s[i]
		if plainJSON[ch] {
			i++
			continue
		}
		c.i = i
		switch {
		case ch == '"':
			c.i++
			return nil
		case ch == '\\':
			if i+1 >= len(s) {
				return c.errorf("unexpected end of input in string")
			}
			switch s[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(s) {
					return c.errorf("short \\u escape")
				}
				for _, h := range s[i+2 : i+6] {
					if !(h >= '0' && h <= '9' || h >= 'a' && h <= 'f' || h >= 'A' && h <= 'F') {
						return c.errorf("bad \\u escape")
					}
				}
				i += 6
			default:
				return c.errorf("bad escape \\%c", s[i+1])
			}
		case ch < 0x20:
			return c.errorf("control character in string")
		default:
			i++
		}
	}
	c.i = i
	return c.errorf("unexpected end of input in string")
}

func (c *scanner) number() error {
	start := c.i
	if c.s[c.i] == '-' {
		c.i++
	}
	digits := func() int {
		n := 0
		for c.i < len(c.s) && c.s[c.i] >= '0' && c.s[c.i] <= '9' {
			c.i++
			n++
		}
		return n
	}
	if c.i < len(c.s) && c.s[c.i] == '0' {
		c.i++
	} else if digits() == 0 {
		return c.errorf("bad number %q", c.s[start:c.i])
	}
	if c.i < len(c.s) && c.s[c.i] == '.' {
		c.i++
		if digits() == 0 {
			return c.errorf("bad number %q", c.s[start:c.i])
		}
	}
	if c.i < len(c.s) && (c.s[c.i] == 'e' || c.s[c.i] == 'E') {
		c.i++
		if c.i < len(c.s) && (c.s[c.i] == '+' || c.s[c.i] == '-') {
			c.i++
		}
		if digits() == 0 {
			return c.errorf("bad number %q", c.s[start:c.i])
		}
	}
	return nil
}

// member scans a member or item of a container at depth: a string here, as
// value would scan it within maxDepth, saves value's call.
func (c *scanner) member(depth int) error {
	if c.i < len(c.s) && c.s[c.i] == '"' && depth+1 <= c.maxDepth {
		return c.str()
	}
	return c.value(depth + 1)
}
