package vtl

import (
	"fmt"
	"strings"
	"testing"
)

// bigBlock is one block of a generated template: chained method calls,
// #set, #if/#else, #foreach, a comment and an interpolated string. k makes
// each block's text and output differ.
func bigBlock(b *strings.Builder, k int) {
	fmt.Fprintf(b, "#set($s = \"item-%d\")\n", k)
	b.WriteString("#if($s.toUpperCase().startsWith(\"ITEM-\") && $s.length() > 0)")
	b.WriteString("$s.replace(\"item\", \"x\").toUpperCase().concat(\";\").trim()")
	b.WriteString("#else no#end\n")
	b.WriteString("#foreach($j in [1..2])$j.toString().concat(\",\")#end\n")
	fmt.Fprintf(b, "## comment %d\n", k)
	fmt.Fprintf(b, "#set($ok = $m.put(\"k%d\", \"${s}:$s.length()\"))$m.get(\"k%d\").substring(0, 4)|\n", k, k)
}

// bigBlockOutput is what bigBlock(k) renders.
func bigBlockOutput(b *strings.Builder, k int) {
	fmt.Fprintf(b, "X-%d;1,2,item|\n", k)
}

// bigTemplate returns a generated template of at least size bytes and what
// it renders.
func bigTemplate(size int) (tmpl, out string) {
	var t, o strings.Builder
	t.WriteString("#set($m = {})\n")
	for k := 0; t.Len() < size; k++ {
		bigBlock(&t, k)
		bigBlockOutput(&o, k)
	}
	return t.String(), o.String()
}

// Parsing is linear in the size of the template: the time per byte is the
// same at each size.
func BenchmarkParse(b *testing.B) {
	for _, size := range []int{10 << 10, 100 << 10, 300 << 10} {
		src, _ := bigTemplate(size)
		b.Run(fmt.Sprintf("%dKB", size>>10), func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				if _, err := Parse("big", src); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// A generated template of about 280 KB parses and renders, and an error at
// its end has the right line and column.
func TestParseBigTemplate(t *testing.T) {
	src, want := bigTemplate(280 << 10)
	tm, err := Parse("big", src)
	if err != nil {
		t.Fatal(err)
	}
	got, err := tm.Render(nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		i := 0
		for i < len(got) && i < len(want) && got[i] == want[i] {
			i++
		}
		t.Fatalf("output differs at byte %d of %d (want %d bytes): got %.40q, want %.40q", i, len(got), len(want), got[i:], want[i:])
	}

	lines := strings.Count(src, "\n")
	bad := src + "ab\n  é#if(true)x"
	_, err = Parse("big", bad)
	wantErr := fmt.Sprintf("big:%d:4: unclosed #if (started at %d:4)", lines+2, lines+2)
	if err == nil || err.Error() != wantErr {
		t.Errorf("error = %v, want %q", err, wantErr)
	}
}
