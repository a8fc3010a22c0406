package gateway

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// TestByteSetsMatchTheRules checks each character set and length bound
// against the same rule written as a regular expression, over random
// strings near the bounds made of allowed and refused characters.
func TestByteSetsMatchTheRules(t *testing.T) {
	rules := []struct {
		set      *byteSet
		min, max int
		re       *regexp.Regexp
	}{
		{stageVarNameChars, 1, 64, regexp.MustCompile(`^[A-Za-z0-9_]{1,64}$`)},
		{stageVarValueChars, 1, 512, regexp.MustCompile(`^[A-Za-z0-9\-._~:/?#&=,]{1,512}$`)},
		{stageNameChars, 1, 128, regexp.MustCompile(`^[A-Za-z0-9_\-]{1,128}$`)},
		{basePathChars, 0, 300, regexp.MustCompile(`^[A-Za-z0-9$\-_.+!*'()/]{0,300}$`)},
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, r := range rules {
		var allowed []byte
		for c := 0; c < 256; c++ {
			if r.re.MatchString(strings.Repeat(string(rune(c)), max(r.min, 1))) && c < 128 {
				allowed = append(allowed, byte(c))
			}
		}
		for c := 0; c < 256; c++ {
			if r.set.has(byte(c)) != (c < 128 && r.re.MatchString(string(rune(c)))) {
				t.Errorf("%s: byte %q: set says %v", r.re, byte(c), r.set.has(byte(c)))
			}
		}
		for range 3000 {
			n := r.max - 3 + rng.IntN(7)
			if rng.IntN(4) == 0 {
				n = rng.IntN(4)
			}
			b := make([]byte, n)
			for i := range b {
				b[i] = allowed[rng.IntN(len(allowed))]
			}
			if n > 0 && rng.IntN(3) == 0 {
				b[rng.IntN(n)] = byte(rng.IntN(256))
			}
			s := string(b)
			if got, want := r.set.spans(s, r.min, r.max), r.re.MatchString(s); got != want {
				t.Fatalf("%s: %q (%d bytes): set says %v, regexp %v", r.re, s, len(s), got, want)
			}
		}
	}
}
