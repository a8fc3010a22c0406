package integration

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzEscapePathValue: whatever the value, an accepted one escapes into
// path text that decodes, holds no '/' unless greedy, and has no dot
// segment or NUL once decoded; an escape already in the value is kept.
func FuzzEscapePathValue(f *testing.F) {
	for _, s := range []string{"a/b%20c", "..", "a%2F..%2Fb", "a%5C..", "100%", "x y?#", "%zz", "a\x00b", ".%2e"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, v string, greedy bool) {
		out, err := escapePathValue(v, greedy)
		if err != nil {
			return
		}
		dec, derr := url.PathUnescape(out)
		if derr != nil {
			t.Fatalf("%q -> %q does not decode: %v", v, out, derr)
		}
		if !greedy && strings.Contains(out, "/") {
			t.Fatalf("%q -> %q: a slash in one segment", v, out)
		}
		for _, piece := range strings.FieldsFunc(dec, func(r rune) bool { return r == '/' || r == '\\' }) {
			if piece == "." || piece == ".." {
				t.Fatalf("%q -> %q: dot segment", v, out)
			}
		}
		if strings.ContainsRune(dec, 0) || strings.ContainsAny(out, "?# ") {
			t.Fatalf("%q -> %q", v, out)
		}
	})
}

func TestEscapePathValue(t *testing.T) {
	for _, c := range []struct {
		v      string
		greedy bool
		want   string
	}{
		{"a/b%20c", true, "a/b%20c"}, {"a/b", false, "a%2Fb"}, {"b c", false, "b%20c"}, {"100%", false, "100%25"}, {"a%2Fb", false, "a%2Fb"},
	} {
		if got, err := escapePathValue(c.v, c.greedy); err != nil || got != c.want {
			t.Errorf("%q greedy %v: %q %v, want %q", c.v, c.greedy, got, err, c.want)
		}
	}
	for _, v := range []string{"..", "a/../b", "a%2F..%2Fb", "a%5C..%5Cb", "%2e%2E", "a\x00"} {
		if got, err := escapePathValue(v, true); err == nil {
			t.Errorf("%q accepted as %q", v, got)
		}
	}
}
