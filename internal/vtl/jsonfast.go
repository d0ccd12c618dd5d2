package vtl

import (
	"errors"
	"fmt"
	"strings"
	"unsafe"
)

// compactJSON validates JSON text and returns it without insignificant
// whitespace, as encoding/json's Compact does, but without an allocation
// when the text is compact already (the usual request body).
func compactJSON(s string) (string, error) {
	c := &jsonScanner{s: s}
	c.space()
	if err := c.value(0); err != nil {
		return "", err
	}
	c.space()
	if c.i != len(s) {
		return "", c.errorf("data after the JSON value")
	}
	if !c.spaced {
		return s, nil
	}
	// Second pass: copy the runs between whitespace outside strings.
	b := make([]byte, 0, len(s))
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			// Skip the string (valid: the first pass checked it).
			for i++; s[i] != '"'; i++ {
				if s[i] == '\\' {
					i++
				}
			}
		case ' ', '\t', '\n', '\r':
			b = append(b, s[start:i]...)
			start = i + 1
		}
	}
	b = append(b, s[start:]...)
	return unsafe.String(unsafe.SliceData(b), len(b)), nil // b is not changed again
}

type jsonScanner struct {
	s      string
	i      int
	spaced bool // whitespace was seen outside strings
}

var errJSONDepth = errors.New("nested too deeply")

func (c *jsonScanner) errorf(format string, args ...any) error {
	return fmt.Errorf("invalid JSON at offset %d: %s", c.i, fmt.Sprintf(format, args...))
}

func (c *jsonScanner) space() {
	for c.i < len(c.s) {
		switch c.s[c.i] {
		case ' ', '\t', '\n', '\r':
			c.spaced = true
			c.i++
		default:
			return
		}
	}
}

func (c *jsonScanner) value(depth int) error {
	if depth > maxJSONDepth {
		return errJSONDepth
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
			if err := c.value(depth + 1); err != nil {
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
			if err := c.value(depth + 1); err != nil {
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

func (c *jsonScanner) str() error {
	c.i++ // opening quote
	for c.i < len(c.s) {
		ch := c.s[c.i]
		if ch >= 0x20 && ch != '"' && ch != '\\' {
			c.i++
			continue
		}
		switch {
		case ch == '"':
			c.i++
			return nil
		case ch == '\\':
			if c.i+1 >= len(c.s) {
				return c.errorf("unexpected end of input in string")
			}
			switch c.s[c.i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				c.i += 2
			case 'u':
				if c.i+6 > len(c.s) {
					return c.errorf("short \\u escape")
				}
				for _, h := range c.s[c.i+2 : c.i+6] {
					if !(h >= '0' && h <= '9' || h >= 'a' && h <= 'f' || h >= 'A' && h <= 'F') {
						return c.errorf("bad \\u escape")
					}
				}
				c.i += 6
			default:
				return c.errorf("bad escape \\%c", c.s[c.i+1])
			}
		case ch < 0x20:
			return c.errorf("control character in string")
		default:
			c.i++
		}
	}
	return c.errorf("unexpected end of input in string")
}

func (c *jsonScanner) number() error {
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
