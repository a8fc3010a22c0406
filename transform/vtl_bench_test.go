package transform

import (
	"context"
	"testing"

	"github.com/gatewaykit/gateway/transform/vtl"
)

// The peer figures for these benchmarks come from Apache Velocity 1.7 on
// the same case: ../shared/tools/vtl-oracle/vtl-oracle --bench N
// transform/testdata/bench/petstore-100.json (see BENCH_NOTES.txt).

func benchCase(b *testing.B) *Case {
	b.Helper()
	c, err := ReadCase("testdata/bench/petstore-100.json")
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// BenchmarkParse parses the PetStore list transform.
func BenchmarkParse(b *testing.B) {
	c := benchCase(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := vtl.Parse("template", c.Template); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRender renders a template parsed once: #foreach over 100 items
// read with $input.path (the payload is parsed on each render, as in API
// Gateway and in the Velocity peer).
func BenchmarkRender(b *testing.B) {
	c := benchCase(b)
	t, err := vtl.Parse("template", c.Template)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	out, err := t.RenderString(ctx, c.Request().Vars(), vtl.RenderOptions{})
	if err != nil || out != c.Expected {
		b.Fatalf("output differs from Velocity's: %v", err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(out)))
	for b.Loop() {
		if _, err := t.RenderString(ctx, c.Request().Vars(), vtl.RenderOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseRender parses and renders on every iteration.
func BenchmarkParseRender(b *testing.B) {
	c := benchCase(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Render(ctx, vtl.RenderOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
