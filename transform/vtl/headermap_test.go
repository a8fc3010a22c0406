package vtl

import (
	"context"
	"fmt"
	"testing"
)

// A header map finds a name in any case when no entry holds it exactly,
// small (keys scanned) or large (keys indexed), by property, index and
// method alike; a map from NewMap does not.
func TestHeaderMapFoldsCase(t *testing.T) {
	for _, n := range []int{2, 3 * smallMap} {
		t.Run(fmt.Sprint(n, " headers"), func(t *testing.T) {
			headers := func(yield func(string, string) bool) {
				if !yield("Content-Type", "text/plain") || !yield("x-trace", "exact") || !yield("X-Trace", "canonical") {
					return
				}
				for i := range n {
					if !yield(fmt.Sprintf("X-Extra-%d", i), "e") {
						return
					}
				}
			}
			plain := NewMap()
			for k, v := range headers {
				plain.Put(k, v)
			}
			tmpl, err := Parse("t", `$h.content-type|$h['CONTENT-TYPE']|$h.get('content-type')|$h.containsKey('x-extra-1')|$h.get('x-trace')|$h.get('X-TRACE')|$h.get('X-Missing')`)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				m    *Map
				want string
			}{
				{NewHeaderMap(headers), "text/plain|text/plain|text/plain|true|exact|exact|"},
				{plain, "|||false|exact||"},
			} {
				got, err := tmpl.RenderString(context.Background(), map[string]any{"h": c.m}, RenderOptions{})
				if err != nil {
					t.Fatal(err)
				}
				if got != c.want {
					t.Errorf("got  %q\nwant %q", got, c.want)
				}
			}
		})
	}
}
