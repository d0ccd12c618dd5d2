package vtl

import (
	"errors"
	"unsafe"
)

// A rendering's life: its state, taken from what the template's previous
// rendering left, the walk of the template, and its release.

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
