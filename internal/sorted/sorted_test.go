package sorted

import (
	"slices"
	"testing"
)

func TestKeys(t *testing.T) {
	if got := Keys(map[string]int{"b": 1, "a": 2, "c": 3}); !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Fatalf("Keys = %q", got)
	}
	if got := Keys(map[string][]string(nil)); len(got) != 0 {
		t.Fatalf("Keys(nil) = %q", got)
	}
	m := map[string]bool{"a": true, "b": true, "c": true, "d": true, "e": true}
	if n := testing.AllocsPerRun(10, func() { _ = Keys(m) }); n != 1 {
		t.Fatalf("%v allocations, want 1", n)
	}
}
