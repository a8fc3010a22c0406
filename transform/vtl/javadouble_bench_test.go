package vtl

import "testing"

// BenchmarkFormatDouble times Double.toString printing of a price (the
// fast path), an arithmetic result, a large number, a tiny one and one
// next to the smallest normal double (the largest big integers);
// portPrice prints the price without the fast path.
func BenchmarkFormatDouble(b *testing.B) {
	for _, bc := range []struct {
		name string
		f    float64
	}{
		{"price", 162.59},
		{"sum", 0.30000000000000004}, // 0.1 + 0.2
		{"large", 1e23},
		{"tiny", 1.234e-5},
		{"extreme", 2.2250738585072014e-308},
		{"subnormal", 4.9e-324},
		{"subnormal2", 1.5e-320},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var buf [32]byte
			b.ReportAllocs()
			for b.Loop() {
				appendDouble(buf[:0], bc.f)
			}
		})
	}
	b.Run("portPrice", func(b *testing.B) {
		var buf [32]byte
		b.ReportAllocs()
		for b.Loop() {
			appendJavaDouble(buf[:0], 162.59)
		}
	})
}
