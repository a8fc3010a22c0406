package transform_test

import (
	"strings"
	"testing"

	"github.com/gatewaykit/gateway/transform"
)

// FuzzParameterMapping feeds arbitrary keys and sources to the parameter
// mapping parser and evaluates whatever it accepts: no panic, and an
// accepted mapping maps a request.
func FuzzParameterMapping(f *testing.F) {
	for _, s := range [][2]string{
		{"integration.request.header.x", "method.request.querystring.q"},
		{"integration.request.querystring.q", "method.request.body.a[0].b"},
		{"integration.request.path.id", "'lit'"},
		{"integration.request.multivalueheader.h", "method.request.multivalueheader.Accept"},
		{"integration.request.header.c", "context.identity.sourceIp"},
		{"integration.request.header.s", "stageVariables.env"},
		{"integration.request.header.b", "method.request.body..x[?(@.y > 1)]"},
	} {
		f.Add(s[0], s[1], `{"a":[{"b":1}],"x":{"y":2}}`)
	}
	f.Fuzz(func(t *testing.T, key, source, body string) {
		m, err := transform.NewMapping(transform.MappingConfig{RequestParameters: map[string]string{key: source}})
		if err != nil {
			return
		}
		r := caseRequest("POST", "/pets/7?q=1&q=2", "application/json", body)
		r.Header.Set("Accept", "text/plain")
		if _, err := m.MapRequest(r); err != nil {
			t.Fatalf("%q = %q: %v", key, source, err)
		}
	})
}

// FuzzModelsValidate validates arbitrary bodies against a model with most
// draft 4 keywords: no panic, and every failure is a *SchemaError or
// ErrInvalidJSON with a message in brackets.
func FuzzModelsValidate(f *testing.F) {
	m := petModels(f)
	f.Add(`{"name":"Rex","type":"dog"}`)
	f.Add(`{"name":1,"owner":{"id":-1},"tags":[1,2,3],"x":null}`)
	f.Add(`[1, "a", {"b": []}]`)
	f.Add(`{"price": 1e400}`)
	f.Fuzz(func(t *testing.T, body string) {
		err := m.Validate("Pet", []byte(body))
		if err == nil {
			return
		}
		if se, ok := err.(*transform.SchemaError); ok {
			if s := se.Error(); !strings.HasPrefix(s, "[") || !strings.HasSuffix(s, "]") || len(se.Messages) == 0 {
				t.Fatalf("%q: message %q", body, s)
			}
		}
	})
}
