package vtl

import "slices"

// A rendering's conversion of the request (RenderRequest) into template
// values: FromGo's values, made from the rendering's slabs.

// fromGo is FromGo(v) with the lists, maps and boxed strings taken from the
// rendering's slabs. *shared is set when v holds a value FromGo passes on
// as it is (a *List, *Map, *Entry or Object of the caller's), which the
// rendering may then change: the rendering is not released (see release).
func (s *state) fromGo(v any, shared *bool) any {
	switch v := v.(type) {
	case nil, string, bool, int64, float64:
		return v
	case *List, *Map, *Entry, Object:
		*shared = true
		return v
	case map[string]any:
		m := s.maps.get()
		m.keys = keysOf(s, v)
		m.vals = s.items.take(len(v))
		for i, k := range m.keys {
			m.vals[i] = s.fromGo(v[k], shared)
		}
		m.reindex()
		return m
	case map[string]string:
		return s.stringMap(v)
	case []any:
		l := s.newList(len(v))
		for i, x := range v {
			l.Items[i] = s.fromGo(x, shared)
		}
		return l
	case []string:
		l := s.newList(len(v))
		boxOwned(l.Items, append(s.strs.take(len(v))[:0], v...))
		return l
	}
	return FromGo(v) // a number, or text: a new value
}

// stringMap is FromGo of a map[string]string, from the slabs.
func (s *state) stringMap(v map[string]string) *Map {
	m := s.maps.get()
	m.keys = keysOf(s, v)
	strs := s.strs.take(len(v))
	for i, k := range m.keys {
		strs[i] = v[k]
	}
	m.vals = boxOwned(s.items.take(len(v)), strs)
	m.reindex()
	return m
}

// keyOrders is the number of sorted key lists a state keeps.
const keyOrders = 8

// keysOf returns the keys of m, sorted, in a slice with a capacity of
// len(m) that nothing writes over (a Map's Put appends to a copy). The
// state keeps the last lists it sorted, over renderings: the maps of a
// request (its context, identity, headers) usually have the same keys as
// the previous request's, and finding that m has all the keys of a list as
// long as m costs less than sorting them.
func keysOf[V any](s *state, m map[string]V) []string {
	n := len(m)
	if n == 0 {
		return s.strs.take(0)
	}
next:
	for _, keys := range s.keyOrders {
		if len(keys) != n {
			continue
		}
		for _, k := range keys {
			if _, ok := m[k]; !ok {
				continue next
			}
		}
		return keys
	}
	keys := make([]string, 0, n)
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if len(s.keyOrders) < keyOrders {
		s.keyOrders = append(s.keyOrders, keys)
	} else {
		s.keyOrders[s.keyOrderNext%keyOrders] = keys
		s.keyOrderNext++
	}
	return keys
}
