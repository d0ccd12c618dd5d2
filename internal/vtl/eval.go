package vtl

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// Template is a parsed template. It is immutable and safe to render from
// many goroutines at once (what changes are caches and sizes for the next
// rendering: compiled regexes, buffer and slab sizes, the pool of released
// rendering states, all safe for concurrent use).
type Template struct {
	name   string
	src    string // for the line and column of an error
	root   *ListNode
	macros map[string]*MacroNode
	// slots names the template's variables by slot.
	slots []string
	// regexps caches compiled Java regular expressions by source.
	regexps sync.Map
	// overrides is whether the template mentions $context.requestOverride
	// or responseOverride, which RenderRequest then provides.
	overrides bool
	// outSize is the length of the last output, what the next rendering's
	// buffer starts with.
	outSize atomic.Int64
	// slabs sizes the next rendering's slabs.
	slabs slabHints
	// pool keeps the states of finished renderings for the next ones.
	pool sync.Pool
}

// References reports whether the template names the variable $name (a
// RenderRequest reference such as context, or one it sets), anywhere in it.
func (t *Template) References(name string) bool { return slices.Contains(t.slots, name) }

// Parse parses a template. name is used in error messages.
func Parse(name, src string) (*Template, error) {
	t, err := parseWalked(name, src)
	if err != nil {
		return nil, err
	}
	compileTemplate(t.root, t.macros)
	return t, nil
}

// parseWalked is Parse without the compiler: the walk renders the template.
func parseWalked(name, src string) (*Template, error) {
	root, macros, syms, err := parseTemplate(name, src)
	if err != nil {
		return nil, err
	}
	return &Template{name: name, src: src, root: root, macros: macros, slots: syms.names,
		overrides: strings.Contains(src, "Override")}, nil
}

// Name returns the template's name.
func (t *Template) Name() string { return t.name }

// Root returns the parsed template.
func (t *Template) Root() *ListNode { return t.root }

// Limits of one rendering; a zero field takes its default.
type Options struct {
	// UndefinedAsEmpty renders a reference that has no value as nothing, as
	// API Gateway does. Without it, a reference with no value is written out
	// as in the template ("$foo"), as Apache Velocity does by default.
	UndefinedAsEmpty bool
	// NullEqualsEmpty has == and != find null (a reference with no value)
	// and the empty string equal, as API Gateway does (recorded against
	// AWS: LocalStack's test_apigateway_kinesis.py::test_apigateway_to_kinesis
	// [PutRecords], where #if($foo.bar.stuff != '') is false); Velocity 1.7
	// finds them different.
	NullEqualsEmpty bool
	// MaxLoopIterations bounds each #foreach (API Gateway allows 1000).
	MaxLoopIterations int
	// MaxOutputBytes bounds the rendered output.
	MaxOutputBytes int
	// MaxSteps bounds the number of nodes evaluated, so that nested loops
	// cannot run for long.
	MaxSteps int
	// MaxDepth bounds the nesting of macro calls and #define expansions.
	MaxDepth int
	// MaxValueBytes bounds the memory of the values one rendering builds:
	// the bytes of the strings it makes (concatenation, interpolation,
	// string methods, $util, $input.json) plus 16 bytes for each item it
	// adds to a list or map, counted over the whole rendering.
	MaxValueBytes int
	// KeepContext has RenderRequest return $context as the template left
	// it (Result.Context): API Gateway renders an integration's request
	// and response templates on one $context, so that what the request
	// template sets there (responseOverride, requestOverride, its own keys)
	// the response template reads.
	KeepContext bool
}

// Default limits.
const (
	DefaultMaxLoopIterations = 1000
	DefaultMaxOutputBytes    = 10 << 20
	DefaultMaxSteps          = 1_000_000
	DefaultMaxDepth          = 64
	DefaultMaxValueBytes     = 128 << 20
)

// itemBytes is what one list or map item counts against MaxValueBytes.
const itemBytes = 16

func (o Options) withDefaults() Options {
	if o.MaxLoopIterations <= 0 {
		o.MaxLoopIterations = DefaultMaxLoopIterations
	}
	if o.MaxOutputBytes <= 0 {
		o.MaxOutputBytes = DefaultMaxOutputBytes
	}
	if o.MaxSteps <= 0 {
		o.MaxSteps = DefaultMaxSteps
	}
	if o.MaxDepth <= 0 {
		o.MaxDepth = DefaultMaxDepth
	}
	if o.MaxValueBytes <= 0 {
		o.MaxValueBytes = DefaultMaxValueBytes
	}
	return o
}

// ExecError is an error while rendering: a limit reached or a method that
// failed. Its message has the form "name:line:col: message".
type ExecError struct {
	Name string
	Pos  Pos // byte offset in the template
	// Line and Col are Pos as a 1-based line and column (in runes).
	Line, Col int
	Msg       string
	Err       error
}

func (e *ExecError) Error() string {
	msg := e.Msg
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.Name, e.Line, e.Col, msg)
}

func (e *ExecError) Unwrap() error { return e.Err }

// ErrLimit is wrapped by every ExecError that reports a limit.
var ErrLimit = errors.New("limit exceeded")

// ErrOutputLimit is wrapped by the ExecError of a render whose output
// passed Options.MaxOutputBytes; it is also ErrLimit.
var ErrOutputLimit error = &limitError{}

// limitError is a particular limit: errors.Is finds both it and ErrLimit,
// and it prints as ErrLimit does.
type limitError struct{}

func (*limitError) Error() string        { return ErrLimit.Error() }
func (*limitError) Is(target error) bool { return target == ErrLimit }

// control flow of #break and #stop
var (
	errBreak = errors.New("#break")
	errStop  = errors.New("#stop")
)

// scopedBreak is #break($foreach...): it leaves the loop of that scope.
type scopedBreak struct{ scope *foreachScope }

func (*scopedBreak) Error() string { return "#break($foreach)" }

// frame is a macro call in progress. Velocity 1.7 passes arguments by name:
// a parameter bound to a reference, string, list, map or range is that
// expression, evaluated again in the caller's context each time the macro
// reads it; one bound to another literal is its value. A #set of the
// parameter inside the macro binds it to the value (and sets the caller's
// variable of that name too, as Velocity's ProxyVMContext does).
type frame struct {
	slots []int
	vals  []any
	exprs []Expr // nil where the parameter holds vals[i]
}

// state is one rendering.
type state struct {
	arena
	t    *Template
	opts Options
	out  *outBuf
	// main is the output of the rendering, out outside strings and #define.
	main  outBuf
	vars  []any // by slot; nil is "no value"
	steps int
	depth int
	// built is what the rendering's values have taken of MaxValueBytes;
	// pos is the node being evaluated, for a limit found deep in value code.
	built int
	pos   Pos
	args  []any // the argument stack of method calls
	// argBuf is the first storage of args.
	argBuf [8]any
	// frames are the macro calls in progress, innermost last.
	frames []*frame
	// src and macros are those of the template being rendered; #evaluate
	// renders text of its own, and adds the macros it defines.
	src    string
	macros map[string]*MacroNode
	// input is the top-level references, for the names only an #evaluate's
	// text uses; req is RenderRequest's (input is then &req).
	input topLevel
	req   requestVars
	lits  map[string]literal // literal forms of regexes, by source
	// keyOrders are the sorted keys of maps the state converted (see
	// keysOf); keyOrderNext is the next one replaced.
	keyOrders    [][]string
	keyOrderNext int
	// lit is the literal form of the regex argument of the method being
	// called, when the parser worked it out (a literal pattern).
	lit *literal
}

// block is the value of a #define, or the body of a block macro call
// ($bodyContent): rendered when referenced. As Velocity 1.7's
// Block.Reference, a block rendered within itself more than max times deep
// has no value (and prints as written): max is 2 for #define
// (directive.define.max.depth) and 20 for a body (velocimacro.max.depth).
type block struct {
	body       *ListNode
	depth, max int
}

const (
	defineMaxDepth = 2
	bodyMaxDepth   = 20
	// macroMaxDepth is Velocity 1.7's velocimacro.max.depth: a call nested
	// in 20 others fails.
	macroMaxDepth = 20
)

func (s *state) errorf(pos Pos, err error, format string, args ...any) error {
	line, col := lineCol(s.src, pos)
	return &ExecError{Name: s.t.name, Pos: pos, Line: line, Col: col, Msg: fmt.Sprintf(format, args...), Err: err}
}

// step counts the evaluation of the node at pos against MaxSteps. It writes
// no pointer into the state: a pointer write costs a GC write barrier.
func (s *state) step(pos Pos) error {
	s.steps++
	s.pos = pos
	if s.steps > s.opts.MaxSteps {
		return s.stepLimit(pos)
	}
	return nil
}

// stepLimit is step's error, out of line so that step inlines.
//
//go:noinline
func (s *state) stepLimit(pos Pos) error {
	return s.errorf(pos, ErrLimit, "more than %d evaluation steps", s.opts.MaxSteps)
}

// room is what is left of MaxValueBytes.
func (s *state) room() int { return s.opts.MaxValueBytes - s.built }

// charge counts n bytes of built values against MaxValueBytes.
func (s *state) charge(pos Pos, n int) error {
	if n > s.room() {
		return s.valueLimit(pos)
	}
	s.built += n
	return nil
}

func (s *state) valueLimit(pos Pos) error {
	return s.errorf(pos, ErrLimit, "values built larger than %d bytes", s.opts.MaxValueBytes)
}

// str is toString(v) within what is left of max bytes.
func (s *state) str(pos Pos, v any, max int) (string, error) {
	switch v := v.(type) {
	case string:
		return v, nil
	case int64, float64, bool, nil:
		return toString(v), nil
	}
	out, ok := toStringLimit(v, max)
	if !ok {
		return "", s.errorf(pos, ErrLimit, "a value's text longer than %d bytes or nested deeper than %d levels", max, maxValueDepth)
	}
	return out, nil
}

func (s *state) write(pos Pos, str string) error {
	if len(s.out.b)+len(str) > s.opts.MaxOutputBytes {
		return s.outputLimit(pos)
	}
	s.out.b = append(s.out.b, str...)
	return nil
}

// outputLimit is write's error, out of line so that write inlines.
//
//go:noinline
func (s *state) outputLimit(pos Pos) error {
	return s.errorf(pos, ErrOutputLimit, "output larger than %d bytes", s.opts.MaxOutputBytes)
}

func (s *state) walkList(l *ListNode) error {
	if l.run != nil {
		return l.run(s) // compiled at parse time (compile.go)
	}
	for _, n := range l.Nodes {
		if err := s.walk(n); err != nil {
			return err
		}
	}
	return nil
}

func (s *state) walk(n Node) error {
	// Each case counts its step first, with its own Pos: the same count
	// as step(n.Position()) before the switch, without the dynamic call.
	switch n := n.(type) {
	case *TextNode:
		if err := s.step(n.Pos); err != nil {
			return err
		}
		if len(s.out.b)+len(n.Text) > s.opts.MaxOutputBytes {
			return s.outputLimit(n.Pos)
		}
		s.out.b = append(s.out.b, n.Text...) // write, inlined
		return nil
	case *RefNode:
		if err := s.step(n.Pos); err != nil {
			return err
		}
		return s.printRef(n)
	case *SetNode:
		if err := s.step(n.Pos); err != nil {
			return err
		}
		return s.set(n)
	case *IfNode:
		if err := s.step(n.Pos); err != nil {
			return err
		}
		for i, c := range n.Conds {
			ok, err := s.cond(c)
			if err != nil {
				return err
			}
			if ok {
				return s.walkList(n.Lists[i])
			}
		}
		if n.Else != nil {
			return s.walkList(n.Else)
		}
		return nil
	case *ForeachNode:
		if err := s.step(n.Pos); err != nil {
			return err
		}
		return s.foreach(n)
	}
	if err := s.step(n.Position()); err != nil {
		return err
	}
	return s.walkOther(n)
}

// walkOther is walk of the nodes other than text, references, #set, #if
// and #foreach, once their step is counted.
func (s *state) walkOther(n Node) error {
	switch n := n.(type) {
	case *BreakNode:
		if n.Scope == nil {
			return errBreak
		}
		v, err := s.eval(n.Scope)
		if err != nil {
			return err
		}
		if scope, ok := v.(*foreachScope); ok {
			return &scopedBreak{scope}
		}
		return s.errorf(n.Pos, nil, "#break: %s is not a valid scope (only $foreach scopes are)", n.Scope)
	case *StopNode:
		return errStop
	case *DefineNode:
		s.put(n.Slot, &block{body: n.Body, max: defineMaxDepth})
		return nil
	case *EvaluateNode:
		return s.evaluate(n)
	case *LiteralBlockNode:
		return s.write(n.Pos, n.Text)
	case *MacroNode:
		return nil // collected at parse time
	case *MacroCallNode:
		return s.callMacro(n)
	}
	return s.errorf(n.Position(), nil, "unexpected node %T", n)
}

func (s *state) printRef(r *RefNode) error {
	v, err := s.evalRef(r)
	if err != nil {
		return err
	}
	return s.print(r, v)
}

// print writes v, the value of the reference r.
func (s *state) print(r *RefNode, v any) error {
	if r.Escapes > 0 {
		if v == nil {
			// Velocity 1.7's ASTReference: an escaped reference with no value
			// writes half its backslashes, one more and itself as written
			// (\\\$x gives \\$x); an unescaped one writes its backslashes and
			// then prints as any reference with no value (\\$!x gives \\).
			if r.Escapes%2 == 1 {
				return s.write(r.Pos, strings.Repeat(`\`, r.Escapes/2+1)+s.nullText(r))
			}
			if err := s.write(r.Pos, strings.Repeat(`\`, r.Escapes)); err != nil {
				return err
			}
			if r.Quiet || s.opts.UndefinedAsEmpty {
				return nil
			}
			return s.write(r.Pos, s.nullText(r))
		}
		if err := s.write(r.Pos, strings.Repeat(`\`, r.Escapes/2)); err != nil {
			return err
		}
		if r.Escapes%2 == 1 {
			return s.write(r.Pos, r.Src)
		}
	}
	if v == nil {
		if r.Quiet || s.opts.UndefinedAsEmpty {
			return nil
		}
		return s.write(r.Pos, s.nullText(r))
	}
	if text, ok := v.(string); ok {
		if len(s.out.b)+len(text) > s.opts.MaxOutputBytes {
			return s.outputLimit(r.Pos)
		}
		s.out.b = append(s.out.b, text...) // write, inlined
		return nil
	}
	text, err := s.str(r.Pos, v, s.opts.MaxOutputBytes-s.out.Len())
	if err != nil {
		return err
	}
	return s.write(r.Pos, text)
}

// evalRef returns the value of a reference, nil when it has none.
func (s *state) evalRef(r *RefNode) (v any, err error) {
	if len(s.frames) == 0 {
		v = s.vars[r.Slot] // get, inlined
	} else if v, err = s.getFramed(r.Slot); err != nil {
		return nil, err
	}
	if _, isBlock := v.(*block); isBlock {
		if v, err = s.resolve(v); err != nil {
			return nil, err
		}
	}
	for i := range r.Chain {
		if v == nil {
			return nil, nil
		}
		if a := &r.Chain[i]; !a.Call && a.Index == nil && isMap(v) {
			v = v.(*Map).Get(a.Name) // property's first case, inlined
		} else if v, err = s.access(v, a); err != nil {
			return nil, err
		}
		if _, isBlock := v.(*block); isBlock {
			if v, err = s.resolve(v); err != nil {
				return nil, err
			}
		}
	}
	return v, nil
}

func isMap(v any) bool { _, ok := v.(*Map); return ok }

// resolve renders a #define block into its text.
func (s *state) resolve(v any) (any, error) {
	b, ok := v.(*block)
	if !ok {
		return v, nil
	}
	if b.depth >= b.max {
		return nil, nil
	}
	if s.depth >= s.opts.MaxDepth {
		return nil, s.errorf(b.body.Pos, ErrLimit, "#define and macro nesting deeper than %d", s.opts.MaxDepth)
	}
	s.depth++
	b.depth++
	defer func() { s.depth--; b.depth-- }()
	saved := s.out
	var buf outBuf
	s.out = &buf
	err := s.walkList(b.body)
	s.out = saved
	if err != nil && !errors.Is(err, errBreak) {
		return nil, err
	}
	return buf.String(), nil
}

// get reads a variable: a parameter of a macro call in progress, else the
// template's variable.
func (s *state) get(slot int) (any, error) {
	if len(s.frames) == 0 {
		return s.vars[slot], nil
	}
	return s.getFramed(slot)
}

// getFramed is get within a macro call.
func (s *state) getFramed(slot int) (any, error) {
	for i := len(s.frames) - 1; i >= 0; i-- {
		f := s.frames[i]
		for j, sl := range f.slots {
			if sl != slot {
				continue
			}
			if f.exprs == nil || f.exprs[j] == nil {
				return f.vals[j], nil
			}
			// The argument, evaluated in the caller's context: the frames
			// below this one (capped, so that calls made meanwhile do not
			// overwrite this one).
			saved := s.frames
			s.frames = s.frames[:i:i]
			v, err := s.eval(f.exprs[j])
			s.frames = saved
			return v, err
		}
	}
	return s.vars[slot], nil
}

// put sets a variable, in every macro call in progress that has it as a
// parameter and in the template.
func (s *state) put(slot int, v any) {
	for _, f := range s.frames {
		for j, sl := range f.slots {
			if sl == slot {
				f.vals[j] = v
				if f.exprs != nil {
					f.exprs[j] = nil
				}
			}
		}
	}
	s.vars[slot] = v
}

// nullText is what a reference with no value prints: as written, or, for a
// macro parameter, the argument as the caller wrote it (Velocity 1.7's
// ".literal.$name" entry of the macro context).
func (s *state) nullText(r *RefNode) string {
	if len(r.Chain) == 0 && !r.Braced && !r.Quiet {
		for i := len(s.frames) - 1; i >= 0; i-- {
			f := s.frames[i]
			for j, sl := range f.slots {
				if sl == r.Slot {
					if f.exprs != nil && f.exprs[j] != nil {
						if ref, ok := f.exprs[j].(*RefNode); ok {
							saved := s.frames
							s.frames = s.frames[:i:i]
							t := s.nullText(ref)
							s.frames = saved
							return t
						}
						return f.exprs[j].String()
					}
					return r.Src
				}
			}
		}
	}
	return r.Src
}

// evaluate is #evaluate: the argument's text parsed and rendered here, with
// the template's variables and macros.
func (s *state) evaluate(n *EvaluateNode) error {
	v, err := s.eval(n.Arg)
	if err != nil || v == nil {
		return err
	}
	if s.depth >= s.opts.MaxDepth {
		return s.errorf(n.Pos, ErrLimit, "#evaluate and macro nesting deeper than %d", s.opts.MaxDepth)
	}
	syms := &symbols{slot: make(map[string]int, len(s.vars)), names: append([]string(nil), s.t.slots...)}
	for i, name := range syms.names {
		syms.slot[name] = i
	}
	text := toString(v)
	root, defined, syms, err := parseWith(s.t.name, text, syms, s.macros)
	if err != nil {
		return s.errorf(n.Pos, err, "#evaluate")
	}
	for len(s.vars) < len(syms.names) {
		s.vars = append(s.vars, s.input.lookup(syms.names[len(s.vars)]))
	}
	if len(defined) > 0 {
		// Macros defined by the text are the template's from now on.
		all := make(map[string]*MacroNode, len(s.macros)+len(defined))
		for k, m := range defined {
			all[k] = m
		}
		for k, m := range s.macros {
			all[k] = m
		}
		s.macros = all
	}
	savedSrc := s.src
	s.src = text
	s.depth++
	err = s.walkList(root)
	s.depth--
	s.src = savedSrc
	if errors.Is(err, errBreak) || errors.Is(err, errStop) {
		return nil // Velocity 1.7's #evaluate ends at its #break and #stop
	}
	if err != nil {
		var ee *ExecError
		if errors.As(err, &ee) && ee.Name == s.t.name && !strings.HasPrefix(ee.Msg, "#evaluate") {
			// Say where the #evaluate is; the position in its text is the error's.
			return s.errorf(n.Pos, err, "#evaluate")
		}
	}
	return err
}

func (s *state) set(n *SetNode) error {
	v, err := s.eval(n.Value)
	if err != nil {
		return err
	}
	if v == nil {
		return nil // Velocity 1.7 leaves the reference as it was
	}
	return s.assign(n, v)
}

// assign is #set's assignment of v, the value of n.Value (not nil).
func (s *state) assign(n *SetNode, v any) (err error) {
	if _, isBlock := v.(*block); isBlock {
		if v, err = s.resolve(v); err != nil {
			return err
		}
	}
	r := n.Ref
	if len(r.Chain) == 0 {
		s.put(r.Slot, v)
		return nil
	}
	base := &RefNode{Name: r.Name, Slot: r.Slot, Chain: r.Chain[:len(r.Chain)-1]}
	target, err := s.evalRef(base)
	if err != nil || target == nil {
		return err
	}
	last := r.Chain[len(r.Chain)-1]
	switch t := target.(type) {
	case *Map:
		key := last.Name
		if last.Index != nil {
			k, err := s.eval(last.Index)
			if err != nil {
				return err
			}
			key = toString(k)
		}
		if !last.Call {
			t.Put(key, v)
		}
	case *List:
		if last.Index != nil {
			k, err := s.eval(last.Index)
			if err != nil {
				return err
			}
			i, ok := listIndex(t, k)
			if !ok {
				return nil
			}
			if i < 0 || i >= len(t.Items) {
				return s.errorf(last.Pos, fmt.Errorf("index %s out of bounds for length %d", toString(k), len(t.Items)), "#set: index failed")
			}
			t.Items[i] = v
		}
	}
	return nil
}
