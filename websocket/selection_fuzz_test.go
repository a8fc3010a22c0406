package websocket_test

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gatewaykit/gateway/websocket"
)

// FuzzSelectionExpression parses and evaluates arbitrary expressions on
// arbitrary messages: no panics, String round-trips, non-JSON is reported,
// a literal expression yields itself, and a single-name path over a
// one-key object with a string value yields that value.
func FuzzSelectionExpression(f *testing.F) {
	for _, s := range [][2]string{
		{"$request.body.action", `{"action":"join"}`},
		{"${request.body.service}/${request.body.action}", `{"service":"chat","action":"join"}`},
		{`\$default`, `x`},
		{"$request.body.items[0]['k']", `{"items":[{"k":[1,{"a":null}]}]}`},
		{"$request.body", `{"a":[1,2,{"b":true}]}`},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, expr, msg string) {
		e, err := websocket.ParseSelectionExpression(expr)
		if err != nil {
			return
		}
		if e.String() != expr {
			t.Fatalf("String() = %q, want %q", e.String(), expr)
		}
		key, isJSON := e.Evaluate([]byte(msg))
		if isJSON != json.Valid([]byte(msg)) {
			t.Fatalf("isJSON = %v for %q", isJSON, msg)
		}
		if !isJSON && key != "" {
			t.Fatalf("non-JSON message selected %q", key)
		}
		if isJSON && !strings.Contains(expr, "$") && key != expr {
			t.Fatalf("literal %q evaluated to %q", expr, key)
		}
		// A plain name: {"name":"value"} selects value.
		if name, ok := strings.CutPrefix(expr, "$request.body."); ok && !strings.ContainsAny(name, ".[") && utf8.ValidString(name) && utf8.ValidString(msg) {
			doc, _ := json.Marshal(map[string]string{name: msg})
			if got, _ := e.Evaluate(doc); got != msg {
				t.Fatalf("%q on %s = %q, want %q", expr, doc, got, msg)
			}
		}
	})
}
