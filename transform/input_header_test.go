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
