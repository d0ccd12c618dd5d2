package vtl

import (
	"errors"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Expressions, lowest precedence first.

func (p *parser) parseExpr() Expr {
	p.enter()
	defer p.leave()
	return p.parseBinary(0)
}

// word reports whether the input continues with the operator op (symbolic,
// or a word not followed by more letters), skipping space first.
func (p *parser) word(ops ...string) string {
	p.skipSpace()
	for _, op := range ops {
		if !strings.HasPrefix(p.src[p.off:], op) {
			continue
		}
		end := p.off + len(op)
		if isIdentByte(op[0], true) && end < len(p.src) && isIdentByte(p.src[end], false) {
			continue
		}
		// "=" of "==" only, "<" not "<=", "!" not "!=".
		if (op == "<" || op == ">" || op == "!") && end < len(p.src) && p.src[end] == '=' {
			continue
		}
		p.off = end
		return op
	}
	return ""
}

var canonical = map[string]string{
	"or": "||", "and": "&&", "eq": "==", "ne": "!=", "lt": "<", "gt": ">", "le": "<=", "ge": ">=", "not": "!",
}

func canon(op string) string {
	if c, ok := canonical[op]; ok {
		return c
	}
	return op
}

// levels lists the binary operators by precedence, lowest first.
var levels = [][]string{
	{"||", "or"},
	{"&&", "and"},
	{"==", "!=", "eq", "ne"},
	{"<=", ">=", "<", ">", "le", "ge", "lt", "gt"},
	{"+", "-"},
	{"*", "/", "%"},
}

// parseBinary reads the left-associative operators of levels[level] and up.
func (p *parser) parseBinary(level int) Expr {
	if level == len(levels) {
		return p.parseUnary()
	}
	x := p.parseBinary(level + 1)
	for {
		pos := p.pos(p.off)
		op := p.word(levels[level]...)
		if op == "" {
			return x
		}
		x = &BinaryNode{Pos: pos, Op: canon(op), X: x, Y: p.parseBinary(level + 1)}
	}
}

func (p *parser) parseUnary() Expr {
	pos := p.pos(p.off)
	if op := p.word("!", "not"); op != "" {
		p.enter()
		defer p.leave()
		return &UnaryNode{Pos: pos, Op: "!", X: p.parseUnary()}
	}
	return p.parsePrimary()
}

func (p *parser) parsePrimary() Expr {
	p.skipSpace()
	pos := p.pos(p.off)
	if p.off >= len(p.src) {
		p.errorf("unexpected end of input in expression")
	}
	c := p.src[p.off]
	switch {
	case c == '(':
		p.off++
		x := p.parseExpr()
		p.expect(")", "parenthesized expression")
		return x
	case c == '$':
		ref := p.tryRef()
		if ref == nil {
			p.errorf("unexpected \"$\" in expression")
		}
		p.off += len(ref.Src)
		return ref
	case c == '"' || c == '\'':
		return p.parseString()
	case c == '-' || c >= '0' && c <= '9':
		return p.parseNumber()
	case c == '[':
		return p.parseListOrRange()
	case c == '{':
		return p.parseMap()
	}
	for _, w := range []struct {
		s string
		v any
	}{{"true", true}, {"false", false}, {"null", nil}} {
		if strings.HasPrefix(p.src[p.off:], w.s) && (p.off+len(w.s) == len(p.src) || !isIdentByte(p.src[p.off+len(w.s)], false)) {
			if w.v == nil && !p.nullOK {
				p.errorf(`unexpected null in expression (Velocity 1.7 takes null as a method's argument only); to test for no value, compare with a reference that has none ($null) or write #if(!$x) or #if("$!x" == "")`)
			}
			p.off += len(w.s)
			return &LiteralNode{Pos: pos, Value: w.v, Src: w.s}
		}
	}
	r, _ := utf8.DecodeRuneInString(p.src[p.off:])
	p.errorf("unexpected %s in expression", quote(string(r)))
	return nil
}

func (p *parser) parseNumber() Expr {
	start := p.off
	pos := p.pos(p.off)
	if p.peek() == '-' {
		p.off++
	}
	digits := p.off
	for p.off < len(p.src) && p.src[p.off] >= '0' && p.src[p.off] <= '9' {
		p.off++
	}
	if p.off == digits {
		p.errorfAt(pos, "unexpected \"-\" in expression (Velocity has no unary minus; write 0 - x)")
	}
	isFloat := false
	if p.peek() == '.' && p.off+1 < len(p.src) && p.src[p.off+1] >= '0' && p.src[p.off+1] <= '9' {
		isFloat = true
		p.off++
		for p.off < len(p.src) && p.src[p.off] >= '0' && p.src[p.off] <= '9' {
			p.off++
		}
	}
	if p.off < len(p.src) && (p.src[p.off] == 'e' || p.src[p.off] == 'E') {
		j := p.off + 1
		if j < len(p.src) && (p.src[j] == '+' || p.src[j] == '-') {
			j++
		}
		if j < len(p.src) && p.src[j] >= '0' && p.src[j] <= '9' {
			isFloat = true
			p.off = j
			for p.off < len(p.src) && p.src[p.off] >= '0' && p.src[p.off] <= '9' {
				p.off++
			}
		}
	}
	src := p.src[start:p.off]
	if isFloat {
		f, err := strconv.ParseFloat(src, 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) { // too large is Infinity, as Double.valueOf reads it
			p.errorfAt(pos, "bad number %s", src)
		}
		return &LiteralNode{Pos: pos, Value: f, Src: src}
	}
	n, err := strconv.ParseInt(src, 10, 64)
	if err != nil {
		// Velocity 1.7 reads an integer too large for a Long as a BigInteger.
		b, ok := new(big.Int).SetString(src, 10)
		if !ok || len(src) > 4000 {
			p.errorfAt(pos, "integer %s out of range", src)
		}
		return &LiteralNode{Pos: pos, Value: b, Src: src}
	}
	return &LiteralNode{Pos: pos, Value: n, Src: src}
}

// parseString reads '...' (no interpolation) or "..." (a template). A quote
// is written doubled inside the string.
func (p *parser) parseString() Expr {
	pos := p.pos(p.off)
	start := p.off
	q := p.src[p.off]
	p.off++
	var b strings.Builder
	var quotes []int // offsets in b of the quotes written doubled
	for {
		if p.off >= len(p.src) {
			p.errorfAt(pos, "unclosed string (started at %s)", p.at(pos))
		}
		c := p.src[p.off]
		p.off++
		if c == q {
			if p.peek() == q {
				quotes = append(quotes, b.Len())
				b.WriteByte(q)
				p.off++
				continue
			}
			break
		}
		b.WriteByte(c)
	}
	src := p.src[start:p.off]
	s := b.String()
	interpolate := q == '"' && strings.ContainsAny(s, "$#")
	if q == '"' && strings.Contains(s, `\u`) {
		// Velocity 1.7 turns \uXXXX into its character in a double-quoted
		// string (ASTStringLiteral.unescape), before the string is read as
		// a template; whether it is one was decided on the text as written.
		var ok bool
		if s, ok = unescapeUnicode(s); !ok {
			p.errorfAt(pos, "invalid \\u escape in string (started at %s)", p.at(pos))
		}
	}
	if !interpolate {
		return &LiteralNode{Pos: pos, Value: s, Src: src}
	}
	sub := &parser{name: p.name, text: p.text, src: s, outer: p, origin: start + 1, quotes: quotes,
		macros: p.macros, depth: p.depth, syms: p.syms}
	body, term := sub.parseList()
	if term != "" {
		sub.errorf("unexpected #%s in string", term)
	}
	return &InterpNode{Pos: pos, Body: body, Src: src}
}

func (p *parser) parseListOrRange() Expr {
	pos := p.pos(p.off)
	p.off++
	p.skipSpace()
	if p.peek() == ']' {
		p.off++
		return &ListLit{Pos: pos}
	}
	first := p.parseExpr()
	p.skipSpace()
	if strings.HasPrefix(p.src[p.off:], "..") {
		p.off += 2
		to := p.parseExpr()
		p.expect("]", "range")
		return &RangeLit{Pos: pos, From: first, To: to}
	}
	items := []Expr{first}
	for {
		p.skipSpace()
		switch p.peek() {
		case ']':
			p.off++
			return &ListLit{Pos: pos, Items: items}
		case ',':
			p.off++
			items = append(items, p.parseExpr())
		default:
			p.errorf("expected , or ] in list (started at %s)", p.at(pos))
		}
	}
}

func (p *parser) parseMap() Expr {
	pos := p.pos(p.off)
	p.off++
	m := &MapLit{Pos: pos}
	for {
		p.skipSpace()
		if p.peek() == '}' {
			p.off++
			return m
		}
		if len(m.Keys) > 0 {
			p.expect(",", "map")
		}
		m.Keys = append(m.Keys, p.parseExpr())
		p.expect(":", "map")
		m.Values = append(m.Values, p.parseExpr())
	}
}

// unescapeUnicode replaces each \uXXXX of s by the UTF-16 unit it names,
// as Velocity 1.7's ASTStringLiteral.unescape; ok is false for a \u not
// followed by four hex digits.
func unescapeUnicode(s string) (string, bool) {
	var units []uint16
	var b strings.Builder
	flush := func() {
		if len(units) > 0 {
			b.WriteString(string(utf16.Decode(units)))
			units = units[:0]
		}
	}
	for i := 0; i < len(s); {
		if strings.HasPrefix(s[i:], `\u`) {
			if i+6 > len(s) {
				return "", false
			}
			n, err := strconv.ParseUint(s[i+2:i+6], 16, 16)
			if err != nil {
				return "", false
			}
			units = append(units, uint16(n))
			i += 6
			continue
		}
		flush()
		b.WriteByte(s[i])
		i++
	}
	flush()
	return b.String(), true
}
