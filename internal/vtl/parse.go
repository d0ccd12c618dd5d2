package vtl

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"unicode/utf8"
)

// ParseError is a template that cannot be parsed. Its message has the form
// "name:line:col: message".
type ParseError struct {
	Name string
	Pos  Pos // byte offset in the template
	// Line and Col are Pos as a 1-based line and column (in runes).
	Line, Col int
	Msg       string
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.Name, e.Line, e.Col, e.Msg)
}

// maxParseDepth bounds the nesting of blocks and expressions.
const maxParseDepth = 200

// parser reads a template: text, references and directives, with Velocity
// 1.7's rules for where a "$" or "#" starts something and which whitespace a
// directive swallows. It panics with *ParseError internally; Parse recovers.
type parser struct {
	name string
	text string // the whole template, for line and column in errors
	src  string // what this parser reads: text, or the content of a string
	off  int    // byte offset in src of the next unread byte
	// A parser of a string's content (outer is not nil) places src in the
	// template: src[0] is at offset origin of outer's src, and quotes lists
	// the offsets in src of the quotes that are written doubled there.
	outer  *parser
	origin int
	quotes []int
	macros map[string]bool
	depth  int
	// nullOK is whether the expression being read is a method call's
	// argument, the only place where Velocity 1.7's grammar takes null.
	nullOK bool
	syms   *symbols
	// termAt is the offset in src where the block terminator parseList
	// last returned (#end, #else, #elseif) starts.
	termAt int
}

// symbols numbers the variable names of a template: each name is a slot of
// the rendering state, so that a reference is an index, not a map lookup.
type symbols struct {
	slot  map[string]int
	names []string
}

// The slots of the variables #foreach sets.
const (
	slotForeach = iota
	slotVelocityCount
)

func newSymbols() *symbols {
	s := &symbols{slot: map[string]int{}}
	s.of("foreach")
	s.of("velocityCount")
	return s
}

func (s *symbols) of(name string) int {
	if i, ok := s.slot[name]; ok {
		return i
	}
	s.slot[name] = len(s.names)
	s.names = append(s.names, name)
	return len(s.names) - 1
}

// directives are the names after "#" that start a directive.
var directives = map[string]bool{
	"set": true, "if": true, "elseif": true, "else": true, "end": true, "foreach": true,
	"break": true, "stop": true, "define": true, "macro": true, "evaluate": true, "literal": true,
}

func parseTemplate(name, src string) (list *ListNode, macros map[string]*MacroNode, syms *symbols, err error) {
	return parseWith(name, src, newSymbols(), nil)
}

// parseWith parses src with the variables of syms (which it extends) and
// the names of known macros, as #evaluate parses its text.
func parseWith(name, src string, syms *symbols, known map[string]*MacroNode) (list *ListNode, macros map[string]*MacroNode, _ *symbols, err error) {
	p := &parser{name: name, text: src, src: src, macros: map[string]bool{}, syms: syms}
	for k := range known {
		p.macros[k] = true
	}
	defer p.recover(&err)
	list, term := p.parseList()
	if term != "" {
		p.errorfAt(p.pos(p.off-len(term)-1), "unexpected #%s", term)
	}
	macros = map[string]*MacroNode{}
	collectMacros(list, macros)
	return list, macros, p.syms, nil
}

func collectMacros(n Node, into map[string]*MacroNode) {
	switch n := n.(type) {
	case *ListNode:
		for _, c := range n.Nodes {
			collectMacros(c, into)
		}
	case *MacroNode:
		into[n.Name] = n
	case *IfNode:
		for _, l := range n.Lists {
			collectMacros(l, into)
		}
		if n.Else != nil {
			collectMacros(n.Else, into)
		}
	case *ForeachNode:
		collectMacros(n.Body, into)
	case *DefineNode:
		collectMacros(n.Body, into)
	case *MacroCallNode:
		if n.Body != nil {
			collectMacros(n.Body, into)
		}
	}
}

func (p *parser) recover(errp *error) {
	if e := recover(); e != nil {
		if _, ok := e.(runtime.Error); ok {
			panic(e)
		}
		pe, ok := e.(*ParseError)
		if !ok {
			panic(e)
		}
		*errp = pe
	}
}

// pos converts an offset in p.src into a position in the template.
func (p *parser) pos(off int) Pos {
	off = min(off, len(p.src))
	if p.outer == nil {
		return Pos(off)
	}
	doubled, _ := slices.BinarySearch(p.quotes, off) // quotes before off
	return p.outer.pos(p.origin + off + doubled)
}

// at prints pos as line:col, for messages that name a second position.
func (p *parser) at(pos Pos) string {
	line, col := lineCol(p.text, pos)
	return fmt.Sprintf("%d:%d", line, col)
}

func (p *parser) errorfAt(pos Pos, format string, args ...any) {
	line, col := lineCol(p.text, pos)
	panic(&ParseError{Name: p.name, Pos: pos, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)})
}

func (p *parser) errorf(format string, args ...any) { p.errorfAt(p.pos(p.off), format, args...) }

func (p *parser) peek() byte {
	if p.off < len(p.src) {
		return p.src[p.off]
	}
	return 0
}

func (p *parser) enter() {
	p.depth++
	if p.depth > maxParseDepth {
		p.errorf("nesting deeper than %d", maxParseDepth)
	}
}

func (p *parser) leave() { p.depth-- }

// parseList reads nodes until the end of input or a block directive that
// ends the current block: it returns "end", "else" or "elseif" ("" at the
// end of input). The terminator has been consumed; for elseif, the reader
// stands before its "(".
func (p *parser) parseList() (*ListNode, string) {
	p.enter()
	defer p.leave()
	list := &ListNode{Pos: p.pos(p.off)}
	var text strings.Builder
	textStart := p.off
	flush := func() {
		if text.Len() > 0 {
			list.Nodes = append(list.Nodes, &TextNode{Pos: p.pos(textStart), Text: text.String()})
			text.Reset()
		}
		textStart = p.off
	}
	for p.off < len(p.src) {
		c := p.src[p.off]
		switch c {
		case '\\':
			n := 0
			for p.off+n < len(p.src) && p.src[p.off+n] == '\\' {
				n++
			}
			after := p.off + n
			if after < len(p.src) && p.src[after] == '$' {
				save := p.off
				p.off = after
				if ref := p.tryRef(); ref != nil {
					ref.Escapes = n
					p.off = save
					flush()
					p.off = after + len(ref.Src)
					list.Nodes = append(list.Nodes, ref)
					textStart = p.off
					continue
				}
				p.off = save
			}
			if after < len(p.src) && p.src[after] == '#' {
				if name, end := p.directiveName(after); name != "" && !(n%2 == 0 && p.bareSet(name, end)) {
					// \#if is the text "#if"; \\#if is "\" and a directive,
					// but \\#set keeps both backslashes (Velocity 1.7 lexes
					// #set apart).
					if name == "set" && n%2 == 0 {
						text.WriteString(strings.Repeat(`\`, n))
					} else {
						text.WriteString(strings.Repeat(`\`, n/2))
					}
					p.off = after
					if n%2 == 1 {
						text.WriteString(p.src[after:end])
						p.off = end
					}
					continue
				}
			}
			text.WriteString(p.src[p.off:after])
			p.off = after
		case '$':
			if ref := p.tryRef(); ref != nil {
				flush()
				p.off += len(ref.Src)
				list.Nodes = append(list.Nodes, ref)
				textStart = p.off
				continue
			}
			// A "$" that starts no reference is text, except right before a
			// directive (or blanks and a #set), where Velocity 1.7 drops it.
			if p.lonelyBeforeDirective(p.off, true) {
				flush()
			} else {
				text.WriteByte('$')
			}
			p.off++
			textStart = p.off
		case '#':
			if strings.HasPrefix(p.src[p.off:], "##") {
				flush()
				if i := strings.IndexByte(p.src[p.off:], '\n'); i >= 0 {
					p.off += i + 1
				} else {
					p.off = len(p.src)
				}
				textStart = p.off
				continue
			}
			if strings.HasPrefix(p.src[p.off:], "#*") {
				flush()
				start := p.pos(p.off)
				i := strings.Index(p.src[p.off+2:], "*#")
				if i < 0 {
					p.errorfAt(start, "unclosed comment (started at %s)", p.at(start))
				}
				p.off += 2 + i + 2
				textStart = p.off
				continue
			}
			if strings.HasPrefix(p.src[p.off:], "#[[") {
				start := p.pos(p.off)
				i := strings.Index(p.src[p.off+3:], "]]#")
				if i < 0 {
					p.errorfAt(start, "unclosed #[[ (started at %s)", p.at(start))
				}
				text.WriteString(p.src[p.off+3 : p.off+3+i])
				p.off += 3 + i + 3
				continue
			}
			name, end := p.directiveName(p.off)
			if p.bareSet(name, end) {
				name = ""
			}
			if name == "" {
				if p.lonelyBeforeDirective(p.off, false) {
					flush()
				} else {
					text.WriteByte('#')
				}
				p.off++
				textStart = p.off
				continue
			}
			if name == "set" && text.Len() > 0 && strings.Trim(text.String(), " \t") == "" {
				// Velocity 1.7 lexes blanks that start a run of text together
				// with a following #set, and drops them.
				text.Reset()
			}
			flush()
			start := p.off
			p.off = end
			switch name {
			case "end", "else", "elseif":
				p.termAt = start
				if name != "elseif" {
					p.swallowLineEnd()
				}
				return list, name
			}
			list.Nodes = append(list.Nodes, p.parseDirective(name, start))
			textStart = p.off
		default:
			text.WriteByte(c)
			p.off++
		}
	}
	flush()
	return list, ""
}

// bareSet reports whether a "#set" ending at end has no "(": Velocity 1.7
// reads it as text (its SET_DIRECTIVE token is "#set", blanks and "("),
// though "\#set" is still the escaped directive.
func (p *parser) bareSet(name string, end int) bool {
	if name != "set" {
		return false
	}
	k := p.skipBlanks(end)
	return k >= len(p.src) || p.src[k] != '('
}

// lonelyBeforeDirective reports whether the "$" or "#" at off, which starts
// nothing, is one that Velocity 1.7 drops: before blanks and a #set, or (a
// "$") right before a directive.
func (p *parser) lonelyBeforeDirective(off int, dollar bool) bool {
	if name, _ := p.directiveName(off + 1); dollar && name != "" {
		return true
	}
	if j := p.skipBlanks(off + 1); j > off+1 {
		name, _ := p.directiveName(j)
		return name == "set"
	}
	return false
}

// directiveName reports the directive or macro named at off ("#name" or
// "#{name}") and the offset after it; "" when there is none.
func (p *parser) directiveName(off int) (string, int) {
	if off >= len(p.src) || p.src[off] != '#' {
		return "", off
	}
	i := off + 1
	block := i < len(p.src) && p.src[i] == '@' // #@name(...) ... #end
	if block {
		i++
	}
	braced := !block && i < len(p.src) && p.src[i] == '{'
	if braced {
		i++
	}
	j := i
	for j < len(p.src) && isIdentByte(p.src[j], j == i) && p.src[j] != '-' {
		j++
	}
	name := p.src[i:j]
	if braced {
		if j >= len(p.src) || p.src[j] != '}' {
			return "", off
		}
		j++
	}
	if name == "" {
		return "", off
	}
	if block {
		if j < len(p.src) && p.src[j] == '(' {
			return "@" + name, j
		}
		return "", off
	}
	if directives[name] {
		// "#end" must not run into more letters: "#endless" is text.
		return name, j
	}
	// "#elseif" etc. are matched above; a longer word starting with a
	// directive name is text, and so is an unknown name unless it is a
	// macro defined earlier, or a name right before "(": Velocity 1.7 reads
	// that as a call of a macro that may be defined later in the template.
	if p.macros[name] || j < len(p.src) && p.src[j] == '(' {
		return name, j
	}
	return "", off
}

func isIdentByte(c byte, first bool) bool {
	if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' {
		return true
	}
	if first {
		return false
	}
	return c >= '0' && c <= '9' || c == '_' || c == '-'
}

func (p *parser) skipBlanks(off int) int {
	for off < len(p.src) && (p.src[off] == ' ' || p.src[off] == '\t') {
		off++
	}
	return off
}

// swallowLineEnd consumes blanks and one line end after a directive, when
// nothing else follows on the line (Velocity 1.7's rule).
func (p *parser) swallowLineEnd() {
	j := p.skipBlanks(p.off)
	switch {
	case strings.HasPrefix(p.src[j:], "\r\n"):
		p.off = j + 2
	case j < len(p.src) && (p.src[j] == '\n' || p.src[j] == '\r'):
		p.off = j + 1
	}
}

// tryRef parses a reference at p.off without consuming it; nil when the
// "$" does not start one.
func (p *parser) tryRef() *RefNode {
	start := p.off
	i := start + 1
	ref := &RefNode{Pos: p.pos(start)}
	if i < len(p.src) && p.src[i] == '!' {
		ref.Quiet = true
		i++
	}
	if i < len(p.src) && p.src[i] == '{' {
		ref.Braced = true
		i++
	}
	j := i
	for j < len(p.src) && isIdentByte(p.src[j], j == i) {
		j++
	}
	if j == i {
		return nil
	}
	ref.Name = p.src[i:j]
	ref.Slot = p.syms.of(ref.Name)
	save := p.off
	p.off = j
	ref.Chain = p.parseChain()
	if ref.Braced {
		if p.peek() != '}' {
			// Velocity 1.7 refuses "${name" without its "}".
			p.errorfAt(ref.Pos, "unclosed ${ (started at %s); expected }", p.at(ref.Pos))
		}
		p.off++
	}
	ref.Src = p.src[start:p.off]
	p.off = save
	return ref
}

// parseChain reads .name, .name(args) and [index] after a reference name.
// A "." not followed by a letter ends the reference.
func (p *parser) parseChain() []Access {
	var chain []Access
	for p.off < len(p.src) {
		switch p.src[p.off] {
		case '.':
			i := p.off + 1
			j := i
			for j < len(p.src) && isIdentByte(p.src[j], j == i) {
				j++
			}
			if j == i {
				return chain
			}
			name := p.src[i:j]
			capName := strings.ToUpper(name[:1]) + name[1:]
			a := Access{Pos: p.pos(p.off), Name: name, getter: "get" + capName, isser: "is" + capName}
			p.off = j
			if p.peek() == '(' {
				p.off++
				a.Call = true
				a.grows, a.makesList = methodGrowth(name), methodListMaking(name)
				a.Args = p.parseArgs(')')
				a.fast = fastMethodOf(name, len(a.Args))
				a.consts, a.lastPos = constArgs(a.Args)
				if (name == "replaceAll" || name == "replaceFirst") && len(a.Args) == 2 {
					if l, ok := a.Args[0].(*LiteralNode); ok {
						if pattern, ok := l.Value.(string); ok {
							text, isLit := literalPattern(pattern)
							a.lit = &literal{text, isLit}
						}
					}
					if l, ok := a.Args[1].(*LiteralNode); ok {
						if repl, ok := l.Value.(string); ok && !strings.ContainsAny(repl, `$\`) {
							a.plainRepl = true
						}
					}
				}
			}
			chain = append(chain, a)
		case '[':
			save := p.off
			pos := p.pos(p.off)
			p.off++
			p.skipSpace()
			if p.peek() == ']' { // "$a[]" is text after the reference
				p.off = save
				return chain
			}
			idx := p.parseExpr()
			p.skipSpace()
			if p.peek() != ']' {
				p.errorf("expected ] after index")
			}
			p.off++
			chain = append(chain, Access{Pos: pos, Index: idx})
		default:
			return chain
		}
	}
	return chain
}

// parseArgs reads expressions separated by commas (or blanks, in macro
// calls) up to the closing byte, which it consumes.
func (p *parser) parseArgs(close byte) []Expr {
	var args []Expr
	start := p.pos(p.off - 1)
	defer func(saved bool) { p.nullOK = saved }(p.nullOK)
	p.nullOK = true
	for {
		p.skipSpace()
		if p.off >= len(p.src) {
			p.errorfAt(start, "unclosed argument list (started at %s)", p.at(start))
		}
		if p.peek() == close {
			p.off++
			return args
		}
		if len(args) > 0 && p.peek() == ',' {
			p.off++
			p.skipSpace()
		}
		args = append(args, p.parseExpr())
	}
}

// parseMacroArgs reads a macro call's arguments up to its ")": expressions
// and, as Velocity 1.7's parser allows, bare words (which only a call of no
// macro may have: it prints as written). word is the first bare word.
func (p *parser) parseMacroArgs() (args []Expr, word string) {
	start := p.pos(p.off - 1)
	for {
		p.skipSpace()
		if p.off >= len(p.src) {
			p.errorfAt(start, "unclosed argument list (started at %s)", p.at(start))
		}
		if p.peek() == ')' {
			p.off++
			return args, word
		}
		if len(args) > 0 && p.peek() == ',' {
			p.off++
			p.skipSpace()
		}
		if i := p.off; i < len(p.src) && isIdentByte(p.src[i], true) {
			j := i
			for j < len(p.src) && isIdentByte(p.src[j], j == i) {
				j++
			}
			if w := p.src[i:j]; w != "true" && w != "false" {
				if word == "" {
					word = w
				}
				p.off = j
				args = append(args, &LiteralNode{Pos: p.pos(i), Src: w})
				continue
			}
		}
		args = append(args, p.parseExpr())
	}
}

func (p *parser) skipSpace() {
	for p.off < len(p.src) {
		switch p.src[p.off] {
		case ' ', '\t', '\n', '\r':
			p.off++
		default:
			return
		}
	}
}

func (p *parser) expect(s, context string) {
	p.skipSpace()
	if !strings.HasPrefix(p.src[p.off:], s) {
		got := "end of input"
		if p.off < len(p.src) {
			r, _ := utf8.DecodeRuneInString(p.src[p.off:])
			got = quote(string(r))
		}
		p.errorf("unexpected %s in %s; expected %q", got, context, s)
	}
	p.off += len(s)
}

// parseDirective parses the directive named name, whose "#name" started at
// start and has been consumed.
func (p *parser) parseDirective(name string, start int) Node {
	pos := p.pos(start)
	switch name {
	case "set":
		p.expect("(", "#set")
		p.skipSpace()
		if p.peek() != '$' {
			p.errorf("#set needs a reference on the left, e.g. #set($x = 1)")
		}
		ref := p.tryRef()
		if ref == nil {
			p.errorf("#set needs a reference on the left, e.g. #set($x = 1)")
		}
		p.off += len(ref.Src)
		p.expect("=", "#set")
		val := p.parseExpr()
		p.expect(")", "#set")
		p.swallowLineEnd()
		return &SetNode{Pos: pos, Ref: ref, Value: val}
	case "if":
		n := &IfNode{Pos: pos}
		for {
			p.expect("(", "#if")
			n.Conds = append(n.Conds, p.parseExpr())
			p.expect(")", "#if")
			p.swallowLineEnd()
			body, term := p.parseList()
			n.Lists = append(n.Lists, body)
			switch term {
			case "":
				p.errorfAt(pos, "unclosed #if (started at %s)", p.at(pos))
			case "elseif":
				continue
			case "else":
				els, term := p.parseList()
				if term != "end" {
					p.errorfAt(pos, "unclosed #if (started at %s)", p.at(pos))
				}
				n.Else = els
			}
			return n
		}
	case "foreach":
		p.expect("(", "#foreach")
		p.expect("$", "#foreach")
		braced := p.peek() == '{' // #foreach(${item} in ...)
		if braced {
			p.off++
		}
		v := p.ident("#foreach")
		if braced {
			p.expect("}", "#foreach")
		}
		p.skipSpace()
		if !strings.HasPrefix(p.src[p.off:], "in") {
			p.errorf("expected \"in\" in #foreach")
		}
		p.off += 2
		iter := p.parseExpr()
		p.expect(")", "#foreach")
		p.swallowLineEnd()
		body, term := p.parseList()
		if term != "end" {
			p.errorfAt(pos, "unclosed #foreach (started at %s)", p.at(pos))
		}
		return &ForeachNode{Pos: pos, Var: v, VarSlot: p.syms.of(v), Iter: iter, Body: body}
	case "break":
		n := &BreakNode{Pos: pos}
		if j := p.skipBlanks(p.off); j < len(p.src) && p.src[j] == '(' {
			p.off = j + 1
			n.Scope = p.parseExpr()
			p.expect(")", "#break")
		}
		p.swallowLineEnd()
		return n
	case "evaluate":
		p.expect("(", "#evaluate")
		arg := p.parseExpr()
		p.expect(")", "#evaluate")
		p.swallowLineEnd()
		return &EvaluateNode{Pos: pos, Arg: arg}
	case "literal":
		p.expect("(", "#literal")
		p.expect(")", "#literal")
		p.swallowLineEnd()
		from := p.off
		if _, term := p.parseList(); term != "end" {
			p.errorfAt(pos, "unclosed #literal (started at %s)", p.at(pos))
		}
		return &LiteralBlockNode{Pos: pos, Text: p.src[from:p.termAt]}
	case "stop":
		p.swallowLineEnd()
		return &StopNode{Pos: pos}
	case "define":
		p.expect("(", "#define")
		p.expect("$", "#define")
		v := p.ident("#define")
		p.expect(")", "#define")
		p.swallowLineEnd()
		body, term := p.parseList()
		if term != "end" {
			p.errorfAt(pos, "unclosed #define (started at %s)", p.at(pos))
		}
		return &DefineNode{Pos: pos, Name: v, Slot: p.syms.of(v), Body: body}
	case "macro":
		p.expect("(", "#macro")
		p.skipSpace()
		m := &MacroNode{Pos: pos, Name: p.ident("#macro")}
		for {
			p.skipSpace()
			if p.peek() == ',' {
				p.off++
				continue
			}
			if p.peek() == ')' {
				p.off++
				break
			}
			p.expect("$", "#macro")
			param := p.ident("#macro")
			m.Params = append(m.Params, param)
			m.ParamSlots = append(m.ParamSlots, p.syms.of(param))
		}
		p.swallowLineEnd()
		p.macros[m.Name] = true
		body, term := p.parseList()
		if term != "end" {
			p.errorfAt(pos, "unclosed #macro (started at %s)", p.at(pos))
		}
		m.Body = body
		return m
	}
	// A macro call.
	call := &MacroCallNode{Pos: pos, Name: strings.TrimPrefix(name, "@")}
	j := p.skipBlanks(p.off)
	if j < len(p.src) && p.src[j] == '(' {
		p.off = j + 1
		call.Args, call.Word = p.parseMacroArgs()
		call.Src = p.src[start:p.off]
		p.swallowLineEnd()
	} else {
		call.Src = p.src[start:p.off]
	}
	if strings.HasPrefix(name, "@") {
		body, term := p.parseList()
		if term != "end" {
			p.errorfAt(pos, "unclosed #@%s (started at %s)", call.Name, p.at(pos))
		}
		call.Body = body
		call.BodySlot = p.syms.of("bodyContent")
		call.Src = p.src[start:p.off] // the whole call, body and #end included
	}
	return call
}

func (p *parser) ident(context string) string {
	i := p.off
	j := i
	for j < len(p.src) && isIdentByte(p.src[j], j == i) {
		j++
	}
	if j == i {
		p.errorf("expected a name in %s", context)
	}
	p.off = j
	return p.src[i:j]
}
