package vtl

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"
)

// Template is a parsed template. It is immutable and safe to render from
// many goroutines at once.
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

// Parse parses a template. name is used in error messages.
func Parse(name, src string) (*Template, error) {
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

// Render renders the template with vars as its top-level references. The
// values must be template values (see FromGo); the template's #set does not
// change vars itself. Rendering never panics on template input.
func (t *Template) Render(vars map[string]any, opts Options) (out string, err error) {
	return t.newState(opts).run(mapVars(vars))
}

// newState returns the state of a new rendering of t: one a previous
// rendering left (release), or a new one.
func (t *Template) newState(opts Options) *state {
	s, _ := t.pool.Get().(*state)
	if s == nil {
		s = &state{}
	}
	if want := max(2048, int(min(t.outSize.Load(), 1<<20))); cap(s.main.b) < want {
		s.main.b = make([]byte, 0, want)
	}
	s.t, s.opts, s.out = t, opts.withDefaults(), &s.main
	s.src, s.macros = t.src, t.macros
	s.args = s.argBuf[:0]
	s.start(&t.slabs)
	return s
}

// run renders s.t with vars as its top-level references. The output is
// the state's buffer: it must be copied before release.
func (s *state) run(vars topLevel) (out string, err error) {
	t := s.t
	s.input = vars
	if cap(s.vars) < len(t.slots) {
		s.vars = make([]any, len(t.slots))
	}
	s.vars = s.vars[:len(t.slots)]
	for i, name := range t.slots {
		s.vars[i] = vars.lookup(name)
	}
	defer func() {
		if e := recover(); e != nil {
			lp, ok := e.(*limitPanic)
			if !ok {
				panic(e)
			}
			out, err = "", s.errorf(s.pos, ErrLimit, "%s", lp.msg)
		}
	}()
	err = s.walkList(t.root)
	var sb *scopedBreak
	if errors.Is(err, errStop) || errors.Is(err, errBreak) || errors.As(err, &sb) {
		err = nil
	}
	if err != nil {
		return "", err
	}
	t.outSize.Store(int64(len(s.main.b)))
	s.done(&t.slabs)
	return s.main.String(), nil
}

// release leaves a finished rendering's state, slabs and output buffer to
// the template's next rendering. Only a rendering none of whose values can
// be reached any more may be released: one whose top-level values were its
// own (no *List, *Map, *Entry or Object of the caller's, which it could
// have changed), that succeeded (an error may hold a value), and whose
// output and results were copied out.
func (s *state) release() {
	t := s.t
	s.reset()
	clear(s.vars[:cap(s.vars)])
	clear(s.argBuf[:])
	clear(s.frames[:cap(s.frames)])
	s.frames = s.frames[:0]
	s.t, s.input, s.macros, s.src, s.lits, s.lit = nil, nil, nil, "", nil, nil
	s.req = requestVars{}
	s.steps, s.depth, s.built, s.pos = 0, 0, 0, 0
	s.main.b = s.main.b[:0]
	if cap(s.main.b) > maxKeptOutput {
		s.main.b = nil
	}
	t.pool.Put(s)
}

// maxKeptOutput is the largest output buffer a recycled state keeps.
const maxKeptOutput = 64 << 10

// topLevel is a rendering's top-level references by name.
type topLevel interface{ lookup(name string) any }

// mapVars are Render's top-level references.
type mapVars map[string]any

func (m mapVars) lookup(name string) any { return m[name] }

// outBuf is where a rendering writes its output.
type outBuf struct{ b []byte }

func (o *outBuf) Len() int               { return len(o.b) }
func (o *outBuf) WriteString(str string) { o.b = append(o.b, str...) }

// String returns the text written; the buffer must not be written again.
func (o *outBuf) String() string { return unsafe.String(unsafe.SliceData(o.b), len(o.b)) }

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

// cond evaluates an #if condition.
func (s *state) cond(e Expr) (bool, error) { return s.truth(e) }

// truth is Velocity 1.7's boolean value of an expression, which is not
// always the truthiness of its value: a literal string, number, list, map
// or range, and an arithmetic expression, are false; a reference is false
// only when null or false.
func (s *state) truth(e Expr) (bool, error) {
	switch e := e.(type) {
	case *LiteralNode:
		b, _ := e.Value.(bool)
		return b, nil
	case *InterpNode, *ListLit, *MapLit, *RangeLit:
		return false, nil
	case *RefNode:
		v, err := s.evalRef(e)
		return truthy(v), err
	case *UnaryNode:
		b, err := s.truth(e.X)
		return !b, err
	case *BinaryNode:
		switch e.Op {
		case "&&":
			x, err := s.truth(e.X)
			if err != nil || !x {
				return false, err
			}
			return s.truth(e.Y)
		case "||":
			x, err := s.truth(e.X)
			if err != nil || x {
				return x, err
			}
			return s.truth(e.Y)
		case "+", "-", "*", "/", "%":
			_, err := s.eval(e)
			return false, err
		}
		v, err := s.eval(e)
		return truthy(v), err
	}
	v, err := s.eval(e)
	return truthy(v), err
}

func (s *state) printRef(r *RefNode) error {
	v, err := s.evalRef(r)
	if err != nil {
		return err
	}
	if r.Escapes > 0 {
		if v == nil {
			return s.write(r.Pos, strings.Repeat(`\`, r.Escapes)+r.Src)
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
		return s.write(r.Pos, text)
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
		if v, err = s.access(v, &r.Chain[i]); err != nil {
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
	if len(r.Chain) == 0 && !r.Braced && r.Escapes == 0 {
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

// literalOf is an operand as written, for an operand with no value (a
// macro parameter too: the parameter's name, not the caller's argument).
func (s *state) literalOf(e Expr) string { return e.String() }

// eval evaluates an expression. Velocity's runtime errors (wrong operand
// types, division by zero) give null; failing methods and limits give an
// error.
func (s *state) eval(e Expr) (any, error) {
	// References and literals count their step with their own Pos: the
	// same count as step(e.Position()) first, without the dynamic call.
	switch e := e.(type) {
	case *RefNode:
		if err := s.step(e.Pos); err != nil {
			return nil, err
		}
		return s.evalRef(e)
	case *LiteralNode:
		if err := s.step(e.Pos); err != nil {
			return nil, err
		}
		return e.Value, nil
	}
	if err := s.step(e.Position()); err != nil {
		return nil, err
	}
	switch e := e.(type) {
	case *InterpNode:
		if len(e.Body.Nodes) == 1 {
			// "$x" and "$!x": the reference's string, without a buffer.
			if r, ok := e.Body.Nodes[0].(*RefNode); ok && r.Escapes == 0 {
				v, err := s.evalRef(r)
				if err != nil {
					return nil, err
				}
				switch v.(type) {
				case nil:
					if r.Quiet || s.opts.UndefinedAsEmpty {
						return "", nil
					}
					return s.nullText(r), nil
				case string:
					return v, nil
				}
				text, err := s.str(e.Pos, v, s.room())
				if err != nil {
					return nil, err
				}
				return s.box(text), s.charge(e.Pos, len(text))
			}
		}
		saved := s.out
		var buf outBuf
		s.out = &buf
		err := s.walkList(e.Body)
		s.out = saved
		if err != nil {
			// #break and #stop in a string stop the template, as in Velocity 1.7.
			return nil, err
		}
		return s.box(buf.String()), s.charge(e.Pos, buf.Len())
	case *ListLit:
		if err := s.charge(e.Pos, len(e.Items)*itemBytes); err != nil {
			return nil, err
		}
		l := s.newList(len(e.Items))
		for i, x := range e.Items {
			v, err := s.eval(x)
			if err != nil {
				return nil, err
			}
			l.Items[i] = v
		}
		return l, nil
	case *RangeLit:
		from, err := s.eval(e.From)
		if err != nil {
			return nil, err
		}
		to, err := s.eval(e.To)
		if err != nil {
			return nil, err
		}
		a, ok1 := toInt(from)
		b, ok2 := toInt(to)
		if !ok1 || !ok2 {
			return nil, nil
		}
		n := b - a
		if n < 0 {
			n = -n
		}
		if n >= s.opts.MaxLoopIterations*10 {
			return nil, s.errorf(e.Pos, ErrLimit, "range [%d..%d] is too long", a, b)
		}
		if err := s.charge(e.Pos, (n+1)*itemBytes); err != nil {
			return nil, err
		}
		l := &List{Items: make([]any, 0, n+1)}
		for i := a; ; {
			l.Items = append(l.Items, int64(i))
			if i == b {
				break
			}
			if a < b {
				i++
			} else {
				i--
			}
		}
		return l, nil
	case *MapLit:
		if err := s.charge(e.Pos, len(e.Keys)*itemBytes); err != nil {
			return nil, err
		}
		m := s.maps.get()
		for i := range e.Keys {
			k, err := s.eval(e.Keys[i])
			if err != nil {
				return nil, err
			}
			v, err := s.eval(e.Values[i])
			if err != nil {
				return nil, err
			}
			m.Put(toString(k), v)
		}
		return m, nil
	case *UnaryNode:
		b, err := s.truth(e.X)
		return !b, err
	case *BinaryNode:
		if e.Op == "&&" || e.Op == "||" {
			return s.truth(e)
		}
		x, err := s.eval(e.X)
		if err != nil {
			return nil, err
		}
		y, err := s.eval(e.Y)
		if err != nil {
			return nil, err
		}
		switch e.Op {
		case "==":
			return equal(x, y), nil
		case "!=":
			return !equal(x, y), nil
		case "<", ">", "<=", ">=":
			c, ok := compare(x, y)
			if !ok {
				return false, nil
			}
			switch e.Op {
			case "<":
				return c < 0, nil
			case ">":
				return c > 0, nil
			case "<=":
				return c <= 0, nil
			}
			return c >= 0, nil
		}
		if e.Op == "+" && (x == nil) != (y == nil) {
			// Velocity 1.7's ASTAddNode: a string plus a reference with no
			// value is the string and the reference as written.
			if _, ok := x.(string); ok {
				return x.(string) + s.literalOf(e.Y), nil
			}
			if _, ok := y.(string); ok {
				return s.literalOf(e.X) + y.(string), nil
			}
		}
		if e.Op == "+" {
			_, xs := x.(string)
			_, ys := y.(string)
			if (xs || ys) && x != nil && y != nil {
				// Concatenation: both texts within what is left of MaxValueBytes.
				a, err := s.str(e.Pos, x, s.room())
				if err != nil {
					return nil, err
				}
				b, err := s.str(e.Pos, y, s.room()-len(a))
				if err != nil {
					return nil, err
				}
				if err := s.charge(e.Pos, len(a)+len(b)); err != nil {
					return nil, err
				}
				return a + b, nil
			}
		}
		v, _ := arith(e.Op, x, y)
		return v, nil
	}
	return nil, s.errorf(e.Position(), nil, "unexpected expression %T", e)
}
