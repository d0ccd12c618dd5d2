package templates

import "strings"

// Compact returns a Velocity template without its comment lines: every line
// that starts with "##" at column 0 is removed with its line break. Velocity
// 1.7 reads "##" up to and including the line break as a comment that
// renders nothing, so the compact template renders the same bytes as src.
//
// Nothing else is touched: indentation and blank lines outside comments are
// template text that Velocity prints, and a "##" after other text on a line
// is left alone (the text before it is printed).
func Compact(src string) string {
	var b strings.Builder
	b.Grow(len(src))
	for line := range strings.SplitAfterSeq(src, "\n") {
		if strings.HasPrefix(line, "##") {
			continue
		}
		b.WriteString(line)
	}
	return b.String()
}
