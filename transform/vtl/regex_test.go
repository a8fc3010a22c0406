package vtl

import "testing"

// String.matches anchors a pattern without wrapping its text: one whose
// groups do not balance is still refused, and a (?x) comment running to
// the end of the pattern does not swallow the anchor.
func TestMatchesUnbalanced(t *testing.T) {
	for _, p := range []string{`b)|(?:a`, `(a`, `(?x)\d+ # digits`} {
		_, err := render(t, `$s.matches($p)`, map[string]any{"s": "42", "p": p}, RenderOptions{})
		if (err == nil) != (p == `(?x)\d+ # digits`) {
			t.Errorf("%q: %v", p, err)
		}
	}
}
