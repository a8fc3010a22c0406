package integration

import (
	"strings"
	"testing"
)

// FuzzURITemplate parses arbitrary integration URIs: never a panic, and a
// template that parses puts every byte of it somewhere.
func FuzzURITemplate(f *testing.F) {
	for _, s := range []string{"http://x/{proxy}", "https://${stageVariables.host}/a/{id}?q=${stageVariables.q}", "{", "${", "${stageVariables.}", "http://x/{}", "}{"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		parts, err := parseURITemplate(s)
		if err != nil {
			return
		}
		var b strings.Builder
		for _, p := range parts {
			switch p.kind {
			case partLiteral:
				b.WriteString(p.text)
			case partParam:
				if p.text == "" {
					t.Fatalf("%q: empty parameter name", s)
				}
			case partStageVar:
				if p.text == "" {
					t.Fatalf("%q: empty stage variable name", s)
				}
			}
		}
		if len(parts) == 1 && parts[0].kind == partLiteral && b.String() != s {
			t.Errorf("%q: literal round trip gave %q", s, b.String())
		}
	})
}

// FuzzCheckPathValue: whatever the value, an accepted one never holds a dot
// segment or (when not allowed) an encoded slash after decoding.
func FuzzCheckPathValue(f *testing.F) {
	for _, s := range []string{"a/b", "..", "%2e%2e", "a%2Fb", "a/./b", "%00", "ok..name"} {
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, raw string, greedy bool) {
		if checkPathValue(raw, greedy, false) != nil {
			return
		}
		for _, seg := range strings.Split(raw, "/") {
			if seg == "." || seg == ".." || strings.EqualFold(seg, "%2e%2e") || strings.EqualFold(seg, "%2e") {
				t.Errorf("accepted %q", raw)
			}
			if strings.Contains(strings.ToLower(seg), "%2f") || strings.Contains(strings.ToLower(seg), "%5c") {
				t.Errorf("accepted encoded slash in %q", raw)
			}
		}
		if !greedy && strings.Contains(raw, "/") {
			t.Errorf("accepted / in a single-segment value %q", raw)
		}
	})
}
