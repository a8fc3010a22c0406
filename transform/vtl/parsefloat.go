package vtl

import (
	"math"
	"math/big"
	"strconv"
	"sync"
)

// ParseFloat reads s as strconv.ParseFloat(s, 64) does, with the same
// result and errors, but reads a decimal whose value is a subnormal
// double (below 2.2250738585072014e-308) about ten times faster.
// strconv.ParseFloat takes its slow path for every such number, some
// 15 µs each, so a payload of numbers like 4.9e-324 would cost a render
// a hundred times more than one of ordinary numbers of the same length.
// Payload numbers and Double.parseDouble arguments are read with it.
func ParseFloat(s string) (float64, error) {
	if f, ok := parseSubnormal(s); ok {
		return f, nil
	}
	return strconv.ParseFloat(s, 64)
}

// maxSubnormalDigits bounds the significant digits parseSubnormal takes
// on; a longer text is long enough that strconv's time on it is in
// proportion.
const maxSubnormalDigits = 40

// parseSubnormal reads s when it is a plain decimal ([+-]digits[.digits]
// [(e|E)[+-]digits]) of at most maxSubnormalDigits significant digits
// whose value rounds to a subnormal double, computing the nearest
// multiple of 2^-1074 exactly with integers; ok is false for anything
// else, which strconv reads.
func parseSubnormal(s string) (f float64, ok bool) {
	i, neg := 0, false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	var mant uint64   // the significant digits (leading zeros dropped)
	var digits []byte // they, when more than 19
	nd, dp, sawDigit, sawDot := 0, 0, false, false
	start := i
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			sawDigit = true
			if c == '0' && nd == 0 {
				if sawDot {
					dp--
				}
				continue
			}
			if nd == maxSubnormalDigits {
				return 0, false
			}
			if nd < 19 {
				mant = mant*10 + uint64(c-'0')
			} else {
				if digits == nil {
					digits = make([]byte, 0, maxSubnormalDigits)
					digits = strconv.AppendUint(digits, mant, 10)
				}
				digits = append(digits, c)
			}
			nd++
			if !sawDot {
				dp++
			}
		case c == '.' && !sawDot:
			sawDot = true
		default:
			goto exponent
		}
	}
exponent:
	if !sawDigit || i == start {
		return 0, false
	}
	exp := 0
	if i < len(s) {
		if s[i] != 'e' && s[i] != 'E' {
			return 0, false
		}
		i++
		eneg := false
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			eneg = s[i] == '-'
			i++
		}
		if i == len(s) {
			return 0, false
		}
		for ; i < len(s); i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			if exp >= 100000 {
				return 0, false // far outside the window, however it is written: strconv's
			}
			exp = exp*10 + int(c-'0')
		}
		if eneg {
			exp = -exp
		}
	}
	if nd == 0 {
		return 0, false // zero: strconv is quick
	}
	// The value is 0.d1d2...dnd × 10^(dp+exp), between 10^(dp+exp-1) and
	// 10^(dp+exp). Subnormals lie between 4.9e-324 and 2.2e-308, and a
	// value below 2.4e-324 rounds to zero; strconv is slow down to about
	// 1e-345 and quick below.
	if dp < -100000 {
		return 0, false // leading zeros past any exponent the window allows
	}
	e10 := dp + exp
	if e10 > -307 || e10 < -345 {
		return 0, false
	}
	// value × 2^1074 = D × 10^q × 2^1074 = D × 2^(1074+q) / 5^-q, with D
	// the digits as an integer and q = e10 - nd (< 0 here).
	q := e10 - nd
	var num big.Int
	if digits != nil {
		num.SetString(string(digits), 10)
	} else {
		num.SetUint64(mant)
	}
	num.Lsh(&num, uint(1074+q))
	den := &pow5s()[-q-minPow5] // shared: only read
	var quo, rem big.Int
	quo.QuoRem(&num, den, &rem)
	// Round to nearest, ties to even.
	rem.Lsh(&rem, 1)
	if c := rem.Cmp(den); c > 0 || c == 0 && quo.Bit(0) == 1 {
		quo.Add(&quo, big.NewInt(1))
	}
	if !quo.IsUint64() || quo.Uint64() > 1<<52 {
		return 0, false // a normal double (2^52 × 2^-1074 is the least)
	}
	f = math.Float64frombits(quo.Uint64())
	if neg {
		f = -f
	}
	return f, true
}

// The powers of five parseSubnormal divides by: 5^k for k from minPow5
// (a one-digit value near 10^-307) to maxPow5 (maxSubnormalDigits digits
// near 10^-345).
const (
	minPow5 = 307
	maxPow5 = 345 + maxSubnormalDigits
)

var pow5s = sync.OnceValue(func() []big.Int {
	p := make([]big.Int, maxPow5-minPow5+1)
	p[0].Exp(big.NewInt(5), big.NewInt(minPow5), nil)
	for i := 1; i < len(p); i++ {
		p[i].Mul(&p[i-1], big.NewInt(5))
	}
	return p
})
