package vtl

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// sameParse requires ParseFloat to give what strconv.ParseFloat gives:
// the same bits and the same error.
func sameParse(t *testing.T, s string) {
	t.Helper()
	want, werr := strconv.ParseFloat(s, 64)
	got, gerr := ParseFloat(s)
	if math.Float64bits(got) != math.Float64bits(want) || (werr == nil) != (gerr == nil) || werr != nil && werr.Error() != gerr.Error() {
		t.Fatalf("ParseFloat(%q) = %v, %v; strconv gives %v, %v", s, got, gerr, want, werr)
	}
}

func TestParseFloatSubnormals(t *testing.T) {
	for _, s := range []string{
		"4.9e-324", "-4.9e-324", "5e-324", "2e-324", "2.4703282292062327e-324", "2.4703282292062328e-324", "2.47032822920623272e-324",
		"1.5e-320", "2.2250738585072011e-308", "2.2250738585072012e-308", "2.2250738585072014e-308", "2.225073858507201e-308",
		"0.0000000000000000000000000000000000000000000000001e-300", "000.00123e-320", "1E-310", "1e-307", "9.99e-308",
		"1e-323", "1e-330", "1e-345", "9e-346", "+3e-315", "-0.0e-320", "0e-320", "1.e-320", ".5e-320", "1e-320.5", "1e-", "1e-3x",
		"1234567890123456789012345678901234567890e-350", "12345678901234567890123456789012345678901e-350", "1_0e-320", "0x1p-1070", "inf", "",
		"4.9406564584124654e-324", "7.4109846876186982e-324", // halfway points rounded by their last digits
		"0." + strings.Repeat("0", 100320) + "1e1000000", "1e-99999999999", "1" + strings.Repeat("0", 400) + "e-720", // capped exponents
	} {
		sameParse(t, s)
	}
	// Every subnormal, printed with its shortest digits and with 17,
	// and halfway between it and the next.
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		bits := rng.Uint64N(1<<52 + 1)
		f := math.Float64frombits(bits)
		sameParse(t, strconv.FormatFloat(f, 'g', -1, 64))
		sameParse(t, strconv.FormatFloat(f, 'e', 16, 64))
		next := math.Float64frombits(bits + 1)
		mid := strings.TrimRight(strconv.FormatFloat((f+next)/2, 'e', 30, 64), "0")
		sameParse(t, mid)
		sameParse(t, fmt.Sprintf("%d%se-%d", rng.IntN(1000), strings.Repeat("7", rng.IntN(30)), 300+rng.IntN(60)))
	}
}

func FuzzParseFloat(f *testing.F) {
	for _, s := range []string{"4.9e-324", "2.2250738585072011e-308", "1e-345", "162.59", "-0.001e-310", "1e-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sameParse(t, s)
	})
}

func BenchmarkParseFloat(b *testing.B) {
	for _, s := range []string{"4.9e-324", "2.2250738585072011e-308", "162.59"} {
		b.Run(s, func(b *testing.B) {
			b.Run("ParseFloat", func(b *testing.B) {
				for b.Loop() {
					ParseFloat(s)
				}
			})
			b.Run("strconv", func(b *testing.B) {
				for b.Loop() {
					strconv.ParseFloat(s, 64)
				}
			})
		})
	}
}
