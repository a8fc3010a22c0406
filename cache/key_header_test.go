package cache_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/cache"
	"github.com/gatewaykit/gateway/integration"
	"github.com/gatewaykit/gateway/transform"
)

// echoCachedHeader deploys a route cached on method.request.header.name
// whose integration answers the value a parameter mapping passes it from
// that same header.
func echoCachedHeader(t *testing.T, name string) *gateway.Stage {
	t.Helper()
	c := newCache(t, cache.Config{})
	route, err := c.Route(cache.Settings{Key: []string{"method.request.header." + name}})
	if err != nil {
		t.Fatal(err)
	}
	pp, err := transform.NewProxyParameters(map[string]string{
		"integration.request.header.X-Echo": "method.request.header." + name,
	}, 0)
	if err != nil {
		t.Fatal(err)
	}
	api := gateway.New("t")
	h := integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "echo=%s", r.Header.Get("X-Echo"))
	})
	if err := api.Handle("GET /p", h, route, pp.RouteOption()); err != nil {
		t.Fatal(err)
	}
	s, err := api.Deploy("prod", nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// A repeated header is keyed by its last value, the one parameter
// mappings (and the Lambda proxy event) pass: keyed by the first, a
// request with X-Lang: en and X-Lang: evil would fill the entry for "en"
// with the answer for "evil".
func TestCacheKeyRepeatedHeaderIsTheMappedValue(t *testing.T) {
	s := echoCachedHeader(t, "X-Lang")
	// Attacker.
	req := httptest.NewRequest("GET", "/p", nil)
	req.Header["X-Lang"] = []string{"en", "evil"}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	// Victim.
	v := do(s, "GET", "/p", "X-Lang", "en")
	if v.Body.String() != "echo=en" {
		t.Errorf("victim with X-Lang: en got %q (poisoned)", v.Body)
	}
}

// A cache keyed on method.request.header.Host keys on the request's host
// (Go moves Host out of r.Header), as mappings see it: one host's answer
// must not serve another.
func TestCacheKeyHostHeader(t *testing.T) {
	s := echoCachedHeader(t, "Host")
	for _, host := range []string{"a.example.com", "b.example.com"} {
		req := httptest.NewRequest("GET", "http://"+host+"/p", nil)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if want := "echo=" + host; rec.Body.String() != want {
			t.Errorf("host %s got %q, want %q", host, rec.Body, want)
		}
	}
}
