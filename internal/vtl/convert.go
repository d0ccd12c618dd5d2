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
		m.keys = sortInto(s.strs.take(len(v)), v)
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
	m.keys = sortInto(s.strs.take(len(v)), v)
	strs := s.strs.take(len(v))
	for i, k := range m.keys {
		strs[i] = v[k]
	}
	m.vals = boxOwned(s.items.take(len(v)), strs)
	m.reindex()
	return m
}

// sortInto sets keys (as long as m) to the keys of m, sorted, and returns it.
func sortInto[V any](keys []string, m map[string]V) []string {
	keys = keys[:0]
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
