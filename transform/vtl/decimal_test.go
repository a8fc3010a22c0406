package vtl

import "testing"

func TestDecimalString(t *testing.T) {
	tests := map[string]string{
		"1.4186613525849614e+134": "1.4186613525849614E+134",
		"-408272385051376.06":     "-408272385051376.06",
		"0.0002216550761852485":   "0.0002216550761852485",
		"0.00000012345678901234":  "1.2345678901234E-7",
		"1.0000000000000000e+400": "1.0000000000000000E+400",
		"12345678901234567.8":     "12345678901234567.8",
		"2.500000000000000000":    "2.500000000000000000",
		"1e3":                     "1E+3",
		"-0.5":                    "-0.5",
	}
	for in, want := range tests {
		d, ok := ParseDecimal(in)
		if !ok {
			t.Errorf("ParseDecimal(%q) failed", in)
			continue
		}
		if got := d.String(); got != want {
			t.Errorf("ParseDecimal(%q).String() = %q, want %q", in, got, want)
		}
	}
	for _, bad := range []string{"", "1.2.3", "e5", "1e", "abc", "1e99999999"} {
		if _, ok := ParseDecimal(bad); ok {
			t.Errorf("ParseDecimal(%q) succeeded", bad)
		}
	}
}

func TestDecimalArithmetic(t *testing.T) {
	a, _ := ParseDecimal("0.30000000000000004")
	b, _ := ParseDecimal("12345678901.23456789")
	tests := []struct {
		op   tokKind
		x, y any
		want string
	}{
		{tkPlus, a, b, "12345678901.53456789000000004"},
		{tkMultiply, a, int32(3), "0.90000000000000012"},
		{tkDivide, b, int32(7), "1763668414.46208113"},
		{tkMinus, a, int32(1), "-0.69999999999999996"},
		{tkPlus, a, 0.5, "0.80000000000000004"},
	}
	for _, tt := range tests {
		got, ok := arith(tt.op, tt.x, tt.y)
		if !ok || ToString(got) != tt.want {
			t.Errorf("arith(%v, %v, %v) = %v, want %s", tt.op, tt.x, tt.y, got, tt.want)
		}
	}
}

// TestCompareDecimalsByExponent checks the adjusted-exponent shortcut of
// compareDecimals against comparing the values brought to one scale.
func TestCompareDecimalsByExponent(t *testing.T) {
	texts := []string{"0", "-0.0", "1", "-1", "10", "9.99", "1.0000000000000000001e-9000", "-1.0000000000000000001e-9000", "1e9000", "-1e9000",
		"123.456", "123.4560", "0.000123", "1.23e-4", "9223372036854775807", "-9223372036854775808", "-9223372036854775809", "99999999999999999999e-5", "1e15", "0.1e16"}
	for _, at := range texts {
		for _, bt := range texts {
			a, okA := ParseDecimal(at)
			b, okB := ParseDecimal(bt)
			if !okA || !okB {
				t.Fatalf("ParseDecimal(%q), ParseDecimal(%q): %v %v", at, bt, okA, okB)
			}
			x, y, _ := align(a, b)
			if got, want := compareDecimals(a, b), x.Cmp(y); got != want {
				t.Errorf("compareDecimals(%s, %s) = %d, want %d", at, bt, got, want)
			}
		}
	}
}
