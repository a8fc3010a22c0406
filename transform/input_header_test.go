package transform

import (
	"context"
	"testing"

	"github.com/gatewaykit/gateway/transform/vtl"
)

// TestParamsHeaderCaseInsensitive: Go canonicalises header names
// (X-Api-Key), templates name them as clients send them (x-api-key).
func TestParamsHeaderCaseInsensitive(t *testing.T) {
	tmpl, err := NewMappingTemplate("t", `$input.params('x-api-key')|$input.params('X-Api-Key')|$input.params('x-trace')|$input.params('missing')`)
	if err != nil {
		t.Fatal(err)
	}
	req := &Request{Params: Params{
		Header:          []Param{{"X-Api-Key", "k1"}, {"x-trace", "exact"}, {"X-Trace", "canonical"}},
		FoldHeaderNames: true,
	}}
	out, err := tmpl.Render(context.Background(), req, vtl.RenderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if want := "k1|k1|exact|"; out != want {
		t.Errorf("got %q, want %q", out, want)
	}
}

// Without FoldHeaderNames, names match exactly, as Velocity and the case
// files do.
func TestParamsHeaderExactByDefault(t *testing.T) {
	tmpl, _ := NewMappingTemplate("t", `[$input.params('accept')]`)
	out, err := tmpl.Render(context.Background(), &Request{Params: Params{Header: []Param{{"Accept", "a/b"}}}}, vtl.RenderOptions{})
	if err != nil || out != "[]" {
		t.Errorf("got %q, %v", out, err)
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
	tmpl, err := NewMappingTemplate("t", src)
	if err != nil {
		t.Fatal(err)
	}
	req := &Request{Params: Params{
		Header:          []Param{{"X-Api-Key", "k1"}, {"x-trace", "exact"}, {"X-Trace", "canonical"}},
		FoldHeaderNames: true,
	}}
	out, err := tmpl.Render(context.Background(), req, vtl.RenderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if want := "k1|k1|true|k1|exact||k1|3|k2|k2|2|false|[x-trace, X-Trace]"; out != want {
		t.Errorf("got  %q\nwant %q", out, want)
	}
	// Without the setting the map is a plain one.
	req.Params.FoldHeaderNames = false
	out, err = tmpl.Render(context.Background(), req, vtl.RenderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if want := "||false|none|exact|||4|k1||4|true|[X-Api-Key, x-trace, X-Trace, x-api-key]"; out != want {
		t.Errorf("got  %q\nwant %q", out, want)
	}
}
