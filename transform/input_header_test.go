package transform

import (
	"context"
	"testing"

	"github.com/gatewaykit/gateway/transform/vtl"
)

// renderWithHeaders renders src with three headers, two of them one name
// in two cases, folding header names or not.
func renderWithHeaders(t *testing.T, src string, fold bool) string {
	t.Helper()
	tmpl, err := NewMappingTemplate("t", src)
	if err != nil {
		t.Fatal(err)
	}
	req := &Request{Params: Params{
		Header:          []Param{{"X-Api-Key", "k1"}, {"x-trace", "exact"}, {"X-Trace", "canonical"}},
		FoldHeaderNames: fold,
	}}
	out, err := tmpl.Render(context.Background(), req, vtl.RenderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Go canonicalises header names (X-Api-Key), templates name them as
// clients send them (x-api-key): with FoldHeaderNames, $input.params(name)
// finds them in any case, an exact name first. Without it names match
// exactly, as Velocity and the case files do.
func TestParamsHeaderCaseInsensitive(t *testing.T) {
	src := `$input.params('x-api-key')|$input.params('X-Api-Key')|$input.params('x-trace')|$input.params('missing')`
	if got, want := renderWithHeaders(t, src, true), "k1|k1|exact|"; got != want {
		t.Errorf("folded: got %q, want %q", got, want)
	}
	if got, want := renderWithHeaders(t, src, false), "|k1|exact|"; got != want {
		t.Errorf("exact: got %q, want %q", got, want)
	}
}

// The header map of $input.params() folds case too, for every way a
// template reads or changes it, while an exact name still wins.
func TestParamsHeaderMapCaseInsensitive(t *testing.T) {
	src := `#set($h = $input.params().header)` +
		`$h.get('x-api-key')|$h['X-API-KEY']|$h.containsKey('x-api-key')|$h.getOrDefault('x-api-key', 'none')|` +
		`$h.get('x-trace')|$h.get('x-other')|` +
		`#set($old = $h.put('x-api-key', 'k2'))$old|$h.size()|$h.get('X-Api-Key')|` +
		`#set($gone = $h.remove('X-API-KEY'))$gone|$h.size()|$h.containsKey('x-api-key')|$h.keySet()`
	if got, want := renderWithHeaders(t, src, true), "k1|k1|true|k1|exact||k1|3|k2|k2|2|false|[x-trace, X-Trace]"; got != want {
		t.Errorf("folded: got  %q\nwant %q", got, want)
	}
	// Without the setting the map is a plain one.
	if got, want := renderWithHeaders(t, src, false), "||false|none|exact|||4|k1||4|true|[X-Api-Key, x-trace, X-Trace, x-api-key]"; got != want {
		t.Errorf("exact: got  %q\nwant %q", got, want)
	}
}
