package vtl_test

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/iamgate/iamgate/internal/vtl"
)

// A rendering leaves its state to the template's next one (its slabs, its
// output buffer): what it returned, and what it put in values the caller
// shares with it, must not change when the next renderings reuse them.
func TestRecycledRenderingsKeepTheirResults(t *testing.T) {
	tmpl, err := vtl.Parse("recycle", `#set($e = $util.escapeJavaScript($input.params('h')))
#set($context.requestOverride.header.X = $e)
#set($context.responseOverride.header.Y = $e)
$e#foreach($i in [1, 2])[$i "$e"]#end
$input.json('$')`)
	if err != nil {
		t.Fatal(err)
	}
	render := func(i int) (*vtl.Result, string) {
		h := fmt.Sprintf(`"v%d/é'`, i)
		res, err := vtl.RenderRequest(tmpl, &vtl.Request{Header: map[string]string{"h": h}, Body: fmt.Sprintf(` { "n" : %d } `, i)}, vtl.APIGatewayOptions())
		if err != nil {
			t.Fatal(err)
		}
		return res, fmt.Sprint(res.Output, res.Overrides, res.ResponseOverride)
	}
	var results []*vtl.Result
	var want []string
	for i := range 20 {
		res, text := render(i)
		results = append(results, res)
		want = append(want, strings.Clone(text))
	}
	if !strings.Contains(want[3], `\"v3\/\u00E9\'`) || !strings.Contains(want[3], `{"n":3}`) {
		t.Fatalf("unexpected rendering: %s", want[3])
	}
	for i, res := range results {
		if got := fmt.Sprint(res.Output, res.Overrides, res.ResponseOverride); got != want[i] {
			t.Errorf("rendering %d changed after the next ones:\n got %s\nwant %s", i, got, want[i])
		}
	}
}

func TestRecycledRenderingsLeaveSharedValuesAlone(t *testing.T) {
	tmpl, err := vtl.Parse("shared", `#set($x = $l.add($util.escapeJavaScript($input.params('h'))))#set($x = $l.add("$input.params('h')!"))$l`)
	if err != nil {
		t.Fatal(err)
	}
	l := vtl.FromGo([]string{"a"}).(*vtl.List)
	var want []string
	for i := range 10 {
		h := fmt.Sprintf(`"h%d`, i)
		if _, err := vtl.RenderRequest(tmpl, &vtl.Request{Header: map[string]string{"h": h}, Vars: map[string]any{"l": l}}, vtl.APIGatewayOptions()); err != nil {
			t.Fatal(err)
		}
		want = append(want, `\`+h, h+"!")
	}
	for i, item := range l.Items[1:] {
		if item != want[i] {
			t.Errorf("item %d of the caller's list: got %q, want %q", i+1, item, want[i])
		}
	}
}

// The state keeps the sorted keys of the maps it converted for the next
// renderings (maps of the same keys need no sorting): maps of as many keys,
// other keys, must still come out in their own order.
func TestRecycledRenderingsSortEachMapsKeys(t *testing.T) {
	tmpl, err := vtl.Parse("keys", `$input.params().header.keySet() $context.keySet() $stageVariables`)
	if err != nil {
		t.Fatal(err)
	}
	sets := [][]string{{"b", "a", "c"}, {"a", "b", "c"}, {"a", "b", "d"}, {"z", "y", "x"}, {"a", "b"}, {"c", "b", "a"}, {"b", "a"}}
	for round := range 3 {
		for _, set := range sets {
			h, ctx := map[string]string{}, map[string]any{}
			for _, k := range set {
				h[k], ctx[k] = "v", k
			}
			res, err := vtl.RenderRequest(tmpl, &vtl.Request{Header: h, Context: ctx, StageVariables: h}, vtl.APIGatewayOptions())
			if err != nil {
				t.Fatal(err)
			}
			sorted := append([]string(nil), set...)
			slices.Sort(sorted)
			list := "[" + strings.Join(sorted, ", ") + "]"
			vals := "{" + strings.Join(sorted, "=v, ") + "=v}"
			if want := list + " " + list + " " + vals; res.Output != want {
				t.Errorf("round %d, keys %v: got %q, want %q", round, set, res.Output, want)
			}
		}
	}
}

// Renderings released to the template's pool and taken from it by other
// goroutines give each request its own output (run with -race too).
func TestConcurrentRecycledRenderings(t *testing.T) {
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				who := fmt.Sprintf("user-%d'%d", g, i)
				req := envelopeRequest(callerIdentity("arn:aws:iam::123456789012:"+who),
					map[string]string{"orderId": who}, map[string]string{"q": who},
					map[string]string{"X-Who": who, "Authorization": "x"}, `{"who": `+mustJSON(who)+`}`)
				res, err := vtl.RenderRequest(envelope, req, vtl.APIGatewayOptions())
				if err != nil {
					t.Error(err)
					return
				}
				if n := strings.Count(res.Output, who); n != 5 {
					t.Errorf("%q appears %d times, not 5:\n%s", who, n, res.Output)
					return
				}
				checkEnvelope(t, req)
			}
		}()
	}
	wg.Wait()
}
