package vtl

import (
	"context"
	"strings"
	"sync"
	"testing"
)

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

// A JavaRegexp is shared by the goroutines of a gateway: one whose
// anchors need the backtracking matcher on some texts (here '$' before a
// final line break) is matched concurrently on such texts and others;
// the race detector sees any write.
func TestJavaRegexpConcurrent(t *testing.T) {
	re, err := CompileJavaRegexp(`[\s\S]*failed$[\s\S]*`)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 200 {
				text, want := "it failed", true
				switch (i + j) % 3 {
				case 1:
					text = "it failed\n" // Java's $ also matches before a final line break, RE2's not
				case 2:
					text, want = "it failed twice", false
				}
				if ok, err := re.MatchString(context.Background(), text); ok != want || err != nil {
					t.Errorf("%q: %v %v, want %v", text, ok, err, want)
					return
				}
			}
		}()
	}
	wg.Wait()
	if _, err := CompileJavaRegexp("a**"); err == nil || !strings.Contains(err.Error(), "dangling meta character") {
		t.Errorf("a**: %v", err)
	}
}

// CompileJavaRegexpPrefix matches as Matcher.lookingAt does: from the
// start of the text, not necessarily to its end; Java's anchors keep
// their meaning ('$' before a final line break).
func TestJavaRegexpPrefix(t *testing.T) {
	for _, tt := range []struct {
		pattern, text string
		want          bool
	}{
		{`4\d\d`, "404 Not Found", true},
		{`Not found`, "Error: Not found", false},
		{`(?!x).`, "abc", true},
		{`(?!a).`, "abc", false},
		{`a$`, "a\n", true},
		{`a$`, "ab", false},
		{`(a)\1`, "aab", true},
		{``, "anything", true},
	} {
		re, err := CompileJavaRegexpPrefix(tt.pattern)
		if err != nil {
			t.Fatalf("%q: %v", tt.pattern, err)
		}
		if got, err := re.MatchString(context.Background(), tt.text); got != tt.want || err != nil {
			t.Errorf("%q on %q: %v %v, want %v", tt.pattern, tt.text, got, err, tt.want)
		}
	}
}
