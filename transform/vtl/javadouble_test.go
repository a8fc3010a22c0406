package vtl

import (
	"bufio"
	"compress/gzip"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
)

// eachTableLine calls f with each line of the gzipped table at path.
func eachTableLine(t *testing.T, path string, f func(line string)) {
	t.Helper()
	file, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	zr, err := gzip.NewReader(file)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		f(sc.Text())
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
}

// TestJavaFormatTable checks String.format's %f, %e, %g and %a (at a
// precision p from 0 to 11, and at the default) against Java 17's Formatter on the
// doubles of testdata/javadouble/format.txt.gz (made by FormatGen.java
// there): Formatter rounds FloatingDecimal's digits half up, so 2.5 is
// "3e+00" and 1e23 "99999999999999990000000.000000".
func TestJavaFormatTable(t *testing.T) {
	lines, failed := 0, 0
	eachTableLine(t, "testdata/javadouble/format.txt.gz", func(line string) {
		fs := strings.Split(line, "\t")
		if len(fs) != 10 {
			t.Fatalf("line %d: bad line %q", lines+1, line)
		}
		u, err1 := strconv.ParseUint(fs[0], 16, 64)
		p, err2 := strconv.Atoi(fs[1])
		if err1 != nil || err2 != nil {
			t.Fatalf("line %d: bad line %q", lines+1, line)
		}
		lines++
		x := math.Float64frombits(u)
		for i, c := range []struct {
			conv byte
			prec int
		}{{'f', p}, {'e', p}, {'f', -1}, {'E', -1}, {'g', p}, {'G', -1}, {'a', p}, {'A', -1}} {
			got, err := formatOne(c.conv, "", c.prec, x)
			if want := fs[2+i]; err != nil || got != want {
				if failed++; failed <= 20 {
					t.Errorf("%s (%v) %%.%d%c: got %q (%v), Java %q", fs[0], x, c.prec, c.conv, got, err, want)
				}
			}
		}
	})
	if failed > 0 || lines < 8000 {
		t.Errorf("%d of %d lines differ from Java", failed, lines)
	}
}

// TestJavaDoubleTable checks FormatDouble, and FloatingDecimal's port
// without the fast path, against Java 17's Double.toString on the doubles
// of testdata/javadouble (made by Gen.java there): edge cases, random bit
// patterns, price-like numbers and doubles whose Java form is not the
// shortest decimal.
func TestJavaDoubleTable(t *testing.T) {
	lines, notShortest, failed := 0, 0, 0
	eachTableLine(t, "testdata/javadouble/doubles.txt.gz", func(line string) {
		hex, want, ok := strings.Cut(line, "\t")
		u, err := strconv.ParseUint(hex, 16, 64)
		if !ok || err != nil {
			t.Fatalf("line %d: bad line %q", lines+1, line)
		}
		lines++
		x := math.Float64frombits(u)
		var buf [32]byte
		got, port := FormatDouble(x), string(appendJavaDouble(buf[:0], x))
		if got != want || port != want {
			if failed++; failed <= 20 {
				t.Errorf("%s (%v): FormatDouble %q, port %q, Java %q", hex, x, got, port, want)
			}
		}
		if !math.IsNaN(x) && !math.IsInf(x, 0) && want != shortestJavaForm(x) {
			notShortest++
		}
	})
	if failed > 0 {
		t.Errorf("%d of %d doubles print differently from Java", failed, lines)
	}
	if lines < 100000 || notShortest < 2000 {
		t.Errorf("the table has %d doubles, %d not printed as the shortest decimal", lines, notShortest)
	}
}

// shortestJavaForm is Double.toString's layout of the shortest decimal
// that reads back as x (the output of Java 19 and later, but for its
// two-digit minimum).
func shortestJavaForm(x float64) string {
	if a := math.Abs(x); a >= 1e-3 && a < 1e7 || x == 0 {
		s := strconv.FormatFloat(x, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	mant, exp, _ := strings.Cut(strconv.FormatFloat(x, 'E', -1, 64), "E")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	e, _ := strconv.Atoi(exp)
	return mant + "E" + strconv.Itoa(e)
}

// TestShortDecimalFastPath checks the fast path for numbers with up to
// four decimals against FloatingDecimal's port: every m/10^k below 100 with
// k <= 4, and random ones up to 1e7.
func TestShortDecimalFastPath(t *testing.T) {
	n, failed := 0, 0
	check := func(x float64) {
		var fast, port [32]byte
		got, ok := appendShortDecimal(fast[:0], x)
		if !ok {
			return
		}
		n++
		if want := appendJavaDouble(port[:0], x); string(got) != string(want) {
			if failed++; failed <= 20 {
				t.Errorf("%v: fast path %q, port %q", x, got, want)
			}
		}
	}
	pow10 := [...]float64{1, 10, 100, 1000, 10000}
	for k, p := range pow10 {
		for m := int64(1); m < 100*int64(p); m++ {
			if x := float64(m) / p; x >= 1e-3 && (k == 0 || m%10 != 0) {
				check(x)
			}
		}
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	for range 500_000 {
		p := pow10[rnd.IntN(len(pow10))]
		x := float64(rnd.Int64N(int64(1e7*p))) / p
		if x >= 1e-3 {
			check(x)
			check(-x)
		}
	}
	if failed > 0 {
		t.Errorf("%d of %d short decimals differ", failed, n)
	}
}

// TestFormatDoubleJavaForms checks forms of Java 17 that are not the
// shortest decimal, and the values that are not numbers.
func TestFormatDoubleJavaForms(t *testing.T) {
	a, b := 0.1, 0.2
	tests := []struct {
		f    float64
		want string
	}{
		{1e23, "9.999999999999999E22"}, {2e23, "1.9999999999999998E23"}, {5e-324, "4.9E-324"},
		{2.82879384806159e17, "2.82879384806159008E17"}, {1.9400994884341945e25, "1.9400994884341944E25"},
		{8.41e21, "8.409999999999999E21"}, {math.MaxFloat64, "1.7976931348623157E308"},
		{math.Copysign(0, -1), "-0.0"}, {-1e23, "-9.999999999999999E22"}, {a + b, "0.30000000000000004"},
		{162.59, "162.59"}, {math.NaN(), "NaN"}, {math.Inf(1), "Infinity"}, {math.Inf(-1), "-Infinity"},
	}
	for _, tc := range tests {
		f, want := tc.f, tc.want
		if got := FormatDouble(f); got != want {
			t.Errorf("FormatDouble(%v) = %q, want %q", f, got, want)
		}
	}
}

// FuzzFormatDouble checks that every double prints, as the port of
// FloatingDecimal prints it, and reads back as itself (as Java's output
// does).
func FuzzFormatDouble(f *testing.F) {
	for _, u := range []uint64{0, 1, 0x000FFFFFFFFFFFFF, 0x0010000000000000, 0x44B52D02C7E14AF6, 0x7FEFFFFFFFFFFFFF, 0x4064523D70A3D70A} {
		f.Add(u)
	}
	f.Fuzz(func(t *testing.T, u uint64) {
		x := math.Float64frombits(u)
		var buf [32]byte
		s, port := FormatDouble(x), appendJavaDouble(buf[:0], x)
		if s != string(port) {
			t.Fatalf("%#x: FormatDouble %q, port %q", u, s, port)
		}
		if math.IsNaN(x) {
			return
		}
		if y, err := strconv.ParseFloat(s, 64); err != nil || math.Float64bits(y) != u {
			t.Fatalf("%#x: %q reads back as %v, %v", u, s, y, err)
		}
	})
}

// formatFloat prints as Java 17's Float.toString; the texts were printed
// by Java for the same bits (3,000 random floats, subnormals included,
// also agreed when the port was written).
func TestFormatFloat(t *testing.T) {
	for _, tt := range []struct {
		bits uint32
		want string
	}{
		{0x3dcccccd, "0.1"}, {0x3fc00000, "1.5"}, {0x40400000, "3.0"}, {0x4ceb79a3, "1.23456792E8"}, {0x60ad78ec, "1.0E20"},
		{0x7f7fffff, "3.4028235E38"}, {0x1, "1.4E-45"}, {0x800000, "1.17549435E-38"}, {0x7fffff, "1.1754942E-38"},
		{0x3a83126f, "0.001"}, {0x38d1b717, "1.0E-4"}, {0x4b18967f, "9999999.0"}, {0x4b189680, "1.0E7"}, {0x42c80000, "100.0"},
		{0x3f8ccccd, "1.1"}, {0x3e4ccccd, "0.2"}, {0x3e99999a, "0.3"}, {0x3f555555, "0.8333333"}, {0x3eaaaaab, "0.33333334"},
		{0x4b800000, "1.6777216E7"}, {0x4c000001, "3.3554436E7"}, {0x40490fdb, "3.1415927"}, {0x402df854, "2.7182817"},
		{0x3c23ad19, "0.00999"}, {0x3727c5ac, "1.0E-5"}, {0x5, "7.0E-45"}, {0x400000, "5.877472E-39"}, {0x1e693409, "1.2345678E-20"},
		{0x66ff0c2e, "6.0221406E23"}, {0x80000000, "-0.0"}, {0x42055555, "33.333332"}, {0x4f800000, "4.2949673E9"},
		{0x5f000000, "9.223372E18"}, {0x7fc00000, "NaN"}, {0x7f800000, "Infinity"}, {0xff800000, "-Infinity"},
	} {
		if got := formatFloat(math.Float32frombits(tt.bits)); got != tt.want {
			t.Errorf("%#x: got %q, want %q", tt.bits, got, tt.want)
		}
	}
}

// FuzzFormatFloat requires Float.toString's text of any float to read
// back as the same float (Java's does for every float), and to be no
// longer than a float's text can be.
func FuzzFormatFloat(f *testing.F) {
	for _, u := range []uint32{0, 1, 0x7fffff, 0x800000, 0x3dcccccd, 0x4ceb79a3, 0x7f7fffff, 0x80000001} {
		f.Add(u)
	}
	f.Fuzz(func(t *testing.T, u uint32) {
		x := math.Float32frombits(u)
		s := formatFloat(x)
		if x != x {
			if s != "NaN" {
				t.Fatalf("%#x: %q", u, s)
			}
			return
		}
		if y, err := strconv.ParseFloat(s, 32); err != nil || math.Float32bits(float32(y)) != u {
			t.Fatalf("%#x: %q reads back as %v, %v", u, s, y, err)
		}
		if len(s) > len("-1.17549435E-38") {
			t.Fatalf("%#x: %q is longer than a float's text", u, s)
		}
	})
}
