package ids

import (
	"regexp"
	"testing"
)

func TestShapes(t *testing.T) {
	short := regexp.MustCompile(`^[A-Za-z0-9]{15}=$`)
	lower := regexp.MustCompile(`^[a-z0-9]{10}$`)
	seen := map[string]bool{}
	for range 1000 {
		s := Short()
		if !short.MatchString(s) || seen[s] {
			t.Fatalf("Short() = %q (repeated: %v)", s, seen[s])
		}
		seen[s] = true
		if l := Lower(10); !lower.MatchString(l) {
			t.Fatalf("Lower(10) = %q", l)
		}
	}
}
