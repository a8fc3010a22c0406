package gateway

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzGatewayResponseTemplate renders arbitrary gateway response templates
// and header sources: never a panic, and the message always lands where
// $context.error.messageString stands.
func FuzzGatewayResponseTemplate(f *testing.F) {
	for _, s := range []string{
		tmplCompact, `{"a":"$context.requestId","b":$context.error.messageString}`, `$`, `${`, `$context.`, `${context.error.message}`,
		`$stageVariables.x.`, `$$$`, `{"x":"$context.authorizer.claims.sub"}`,
	} {
		f.Add(s, "method.request.header.X")
	}
	f.Fuzz(func(t *testing.T, tmpl, src string) {
		rc := &RequestContext{RequestID: "id", StageVariables: StageVariables{"x": "1"}, Authorizer: &AuthorizerOutput{Claims: map[string]any{"sub": "u"}}}
		out := renderResponseTemplate(tmpl, "msg", &Error{Type: ResponseThrottled}, ResponseThrottled, rc)
		if standsAlone(tmpl, "$context.error.messageString") && !strings.Contains(string(out), `"msg"`) {
			t.Errorf("template %q rendered %q without the message", tmpl, out)
		}
		r := httptest.NewRequest("GET", "/?q=1", nil)
		r.Header.Set("X", "v\r\nInjected: 1")
		v, _ := responseParameter(src, r, rc)
		if s := sanitizeHeaderValue(v); strings.ContainsAny(s, "\r\n\x00") {
			t.Errorf("sanitized value %q still has a line break", s)
		}
	})
}

// standsAlone reports whether ref occurs in s not followed by a character
// that would make it a longer reference, and with no "${" before it.
func standsAlone(s, ref string) bool {
	i := strings.Index(s, ref)
	if i < 0 || strings.Contains(s[:i], "$") {
		return false
	}
	rest := s[i+len(ref):]
	if rest == "" {
		return true
	}
	c := rest[0]
	ident := c == '_' || c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
	if c == '.' {
		ident = len(rest) > 1 && (rest[1] == '.' || rest[1] == '_' || rest[1] == '-' || rest[1] >= '0' && rest[1] <= '9' || rest[1] >= 'a' && rest[1] <= 'z' || rest[1] >= 'A' && rest[1] <= 'Z')
	}
	return !ident
}
