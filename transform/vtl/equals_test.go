package vtl

import "testing"

// TestSelfContainingCollections: a map or list that holds itself is
// compared as Java compares it where Java answers (equals stops at the
// same object; the outputs below are Velocity's), and where Java's stack
// overflows (the hashCode of a map that is its own key, equals between
// two such maps) the render still finishes: each comparison is bounded
// instead of recursing until the goroutine's stack is gone.
func TestSelfContainingCollections(t *testing.T) {
	answered := []struct{ src, want string }{
		{`#set($a = {})#set($x = $a.put("s", $a))$a.equals($a) $a.containsValue($a) $a.get("s").size()`, `true true 1`},
		{`#set($l = [1])#set($x = $l.add($l))$l.equals($l) $l.contains($l) $l.indexOf($l)`, `true true 1`},
	}
	for _, c := range answered {
		got, err := render(t, c.src, nil, RenderOptions{})
		if err != nil || got != c.want {
			t.Errorf("%s\n got %q, %v\nwant %q", c.src, got, err, c.want)
		}
	}
	overflowing := []string{
		`#set($m = {"a": 1})#set($x = $m.put($m, "self"))$m.containsKey($m) $m.get($m) #set($x = $m.remove($m))$m.size()`,
		`#set($a = {})#set($x = $a.put("s", $a))#set($b = {})#set($x = $b.put("s", $b))$a.equals($b) $b.containsValue($a)`,
		`#set($a = [])#set($x = $a.add($a))#set($b = [])#set($x = $b.add($b))$a.equals($b) $a.contains($b)`,
	}
	for _, src := range overflowing {
		if _, err := render(t, src, nil, RenderOptions{}); err != nil {
			t.Logf("%s: %v", src, err) // an error is an answer too; running out of stack is not
		}
	}
}
