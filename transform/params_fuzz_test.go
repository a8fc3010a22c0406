package transform_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gatewaykit/gateway/transform"
)

// FuzzParameterMapping feeds arbitrary keys and sources to the parameter
// mapping parser and evaluates whatever it accepts: no panic, an accepted
// mapping maps a request, and as a proxy integration's mapping it hands
// the request on with its body whole and no line break in a header.
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
		p, err := transform.NewProxyParameters(map[string]string{key: source}, 0)
		if err != nil {
			return
		}
		var seen *http.Request
		var seenBody string
		h := p.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			seen, seenBody = r, string(b)
		}))
		r = caseRequest("POST", "/pets/7?q=1&q=2", "application/json", body)
		h.ServeHTTP(httptest.NewRecorder(), r)
		if seen == nil || seenBody != body {
			t.Fatalf("%q = %q: the integration got %q of %q", key, source, seenBody, body)
		}
		for k, vs := range seen.Header {
			for _, v := range vs {
				if strings.ContainsAny(k+v, "\r\n") {
					t.Fatalf("%q = %q: header %q: %q", key, source, k, v)
				}
			}
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
		} else if !errors.Is(err, transform.ErrInvalidJSON) {
			t.Fatalf("%q: %v is neither a SchemaError nor ErrInvalidJSON (it would answer 500)", body, err)
		}
	})
}
