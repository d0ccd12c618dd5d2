package vtl

import (
	"sync/atomic"
	"unsafe"
)

// A rendering makes its lists, maps and $foreach scopes from slabs of its
// own: one allocation for many values, where a template such as the
// envelope builds dozens of small literal lists per request. A value taken
// from a slab behaves as any other (a list's items have their own capacity,
// so that an add never writes over a neighbour's); the slab lives as long as
// one of its values does, or, once a rendering none of whose values can be
// reached is released, serves the template's next rendering (reset).

// slabMax is the number of values of the largest slab; the first slab of a
// rendering holds slabMin, or what the template's previous rendering took
// (up to hintMax), and each next one twice as many as the previous.
const (
	slabMin = 8
	slabMax = 256
	hintMax = 1024
)

// slab hands out values of one type from a pool it grows.
type slab[T any] struct {
	free []T
	// last is the pool free was cut from, which reset hands out again.
	last []T
	next int // size of the next pool
	// used counts the values handed out; hint is the count of the previous
	// rendering of the template, the size of the first pool.
	used, hint int
}

// grow makes a new pool for at least n values.
func (p *slab[T]) grow(n int) {
	size := min(max(2*p.next, slabMin, n), slabMax)
	if p.next == 0 && p.hint > size {
		size = min(p.hint, hintMax)
	}
	p.next = size
	p.last = make([]T, max(size, n))
	p.free = p.last
}

// reset readies the slab for another rendering once every value it handed
// out is dead: the last pool, cleared, is handed out again, or one of the
// size the rendering used (up to hintMax) when it needed more than one.
func (p *slab[T]) reset() {
	if p.used > len(p.last) {
		p.last = make([]T, min(p.used, hintMax))
	} else {
		clear(p.last[:len(p.last)-len(p.free)])
	}
	p.free, p.next, p.used = p.last, len(p.last), 0
}

func (p *slab[T]) get() *T {
	if len(p.free) == 0 {
		p.grow(1)
	}
	p.used++
	v := &p.free[0]
	p.free = p.free[1:]
	return v
}

// take returns n zero values with a capacity of n.
func (p *slab[T]) take(n int) []T {
	if n > len(p.free) {
		if n > slabMax/4 {
			return make([]T, n)
		}
		p.grow(n)
	}
	p.used += n
	out := p.free[:n:n]
	p.free = p.free[n:]
	return out
}

// arena is a rendering's slabs.
type arena struct {
	lists  slab[List]
	maps   slab[Map]
	scopes slab[foreachScope]
	items  slab[any]
	strs   slab[string]
	// bytes holds the text of strings the rendering made (up to len); the
	// rest of its capacity is where the next one is written. big is the
	// same for long texts.
	bytes, big []byte
}

// textSlab is the size of the largest slab of text; the first holds
// textSlab/16 bytes, each next one twice as many. A longer text (over
// textSlab/4) goes to a slab of its own, big, as large as it needs (up to
// maxKeptOutput a released rendering keeps it for the next one).
const textSlab = 4096

// text returns an empty buffer to append a string of about n bytes to,
// then handed to keep.
func (a *arena) text(n int) []byte {
	if n > textSlab/4 {
		if cap(a.big)-len(a.big) < n {
			a.big = make([]byte, 0, max(n, 2*cap(a.big)))
		}
		return a.big[len(a.big):len(a.big)]
	}
	if cap(a.bytes)-len(a.bytes) < n {
		a.bytes = make([]byte, 0, min(max(2*cap(a.bytes), textSlab/16, 2*n), textSlab))
	}
	return a.bytes[len(a.bytes):len(a.bytes)]
}

// keep returns the text of a buffer from text as a string. A buffer
// written within a slab's free space takes that space; the slab's
// strings are never written over (until the rendering is released).
func (a *arena) keep(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	for _, slab := range [2]*[]byte{&a.bytes, &a.big} {
		if free := (*slab)[len(*slab):cap(*slab)]; len(free) >= len(b) && unsafe.SliceData(free) == unsafe.SliceData(b) {
			*slab = (*slab)[:len(*slab)+len(b)]
			break
		}
	}
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// box returns str as a template value: the any points at a string header
// of the slab, where converting str to any would allocate one of its own.
func (a *arena) box(str string) any {
	if str == "" {
		return ""
	}
	p := a.strs.get()
	*p = str
	var v any
	(*eface)(unsafe.Pointer(&v)).set(stringType, unsafe.Pointer(p))
	return v
}

// reset readies the arena for another rendering once every value it
// handed out is dead (see Template.render).
func (a *arena) reset() {
	a.lists.reset()
	a.maps.reset()
	a.scopes.reset()
	a.items.reset()
	a.strs.reset()
	a.bytes = a.bytes[:0]
	a.big = a.big[:0]
	if cap(a.big) > maxKeptOutput {
		a.big = nil
	}
}

// slabHints are the counts of a template's previous rendering, by slab.
type slabHints [5]atomic.Int32

// start sizes the first pools from the hints.
func (a *arena) start(h *slabHints) {
	a.lists.hint, a.maps.hint, a.scopes.hint = int(h[0].Load()), int(h[1].Load()), int(h[2].Load())
	a.items.hint, a.strs.hint = int(h[3].Load()), int(h[4].Load())
}

// done records the counts of the rendering in the hints.
func (a *arena) done(h *slabHints) {
	for i, n := range [5]int{a.lists.used, a.maps.used, a.scopes.used, a.items.used, a.strs.used} {
		h[i].Store(int32(min(n, hintMax)))
	}
}

// newList returns an empty list with room for n items (Items has length n).
func (a *arena) newList(n int) *List {
	l := a.lists.get()
	if n > 0 {
		l.Items = a.items.take(n)
	}
	return l
}
