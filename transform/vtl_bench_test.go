package transform

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/valyala/fastjson"

	"github.com/gatewaykit/gateway/transform/vtl"
)

// The peer figures for these benchmarks come from Apache Velocity 1.7 on
// the same case: ../shared/tools/vtl-oracle/vtl-oracle --bench N
// transform/testdata/bench/petstore-100.json (see BENCH_NOTES.txt).

func benchCase(b *testing.B) *Case {
	return benchCaseFile(b, "testdata/bench/petstore-100.json")
}

func benchCaseFile(b *testing.B, name string) *Case {
	b.Helper()
	c, err := ReadCase(name)
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
	benchRender(b, benchCase(b))
}

// BenchmarkRenderOneField renders a template that reads two fields of one
// item of the same payload: the payload is checked whole on each render,
// but only the objects on the path are built.
func BenchmarkRenderOneField(b *testing.B) {
	benchRender(b, benchCaseFile(b, "testdata/bench/petstore-one-field.json"))
}

// BenchmarkRenderPassthrough renders {"body": $input.json('$')}: the
// payload written back whole.
func BenchmarkRenderPassthrough(b *testing.B) {
	benchRender(b, benchCaseFile(b, "testdata/bench/petstore-passthrough.json"))
}

func benchRender(b *testing.B, c *Case) {
	t, err := vtl.Parse("template", c.Template)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	// One request, as the peer's loop shares one case: each render still
	// gets its own variables ($input parses the payload afresh).
	req := c.Request()
	out, err := t.RenderString(ctx, req.Vars(), vtl.RenderOptions{})
	if err != nil || out != c.Expected {
		b.Fatalf("output %q differs from Velocity's %q: %v", out, c.Expected, err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(c.Body)))
	for b.Loop() {
		if _, err := t.RenderString(ctx, req.Vars(), vtl.RenderOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseJSON parses the 7.8 KB payload alone, building the
// top-level list (its objects are built on first use).
func BenchmarkParseJSON(b *testing.B) {
	body := benchCase(b).Body
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := ParseJSON(body); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseJSONPeers reads the same payload with the standard
// library's json.Valid (a check alone, nothing recorded) and with
// valyala/fastjson (a parser that reuses its memory between documents):
// how long reading the payload takes without SIMD, beside
// BenchmarkParseJSON.
func BenchmarkParseJSONPeers(b *testing.B) {
	body := benchCase(b).Body
	b.Run("encoding-json-Valid", func(b *testing.B) {
		raw := []byte(body)
		b.ReportAllocs()
		b.SetBytes(int64(len(raw)))
		for b.Loop() {
			if !json.Valid(raw) {
				b.Fatal("payload not valid")
			}
		}
	})
	b.Run("fastjson", func(b *testing.B) {
		var p fastjson.Parser
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			v, err := p.Parse(body)
			if err != nil {
				b.Fatal(err)
			}
			if n := len(v.GetArray()); n != 100 {
				b.Fatalf("%d items, want 100", n)
			}
		}
	})
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
