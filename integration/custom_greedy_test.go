package integration_test

import (
	"net/http"
	"testing"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/integration"
	"github.com/gatewaykit/gateway/transform"
)

// Only the greedy path parameter, mapped from the route's {proxy+}, keeps
// its slashes: a header-mapped {tenant} is one segment even when the
// client sends the same text as its greedy path.
func TestCustomHTTPOnlyGreedySourceKeepsSlashes(t *testing.T) {
	backend, _, got := newBackend(t)
	h, err := integration.NewCustomHTTP(integration.CustomHTTPConfig{
		URI: backend.URL + "/tenants/{tenant}/public/{p}",
		Mapping: transform.MappingConfig{RequestParameters: map[string]string{
			"integration.request.path.tenant": "method.request.header.X-Tenant",
			"integration.request.path.p":      "method.request.path.proxy",
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	gw := deploy(t, gateway.RESTAPI, nil, map[string]http.Handler{"GET /f/{proxy+}": h})
	rawRequest(t, gw, "GET /prod/f/victim/admin HTTP/1.1\r\nHost: x\r\nX-Tenant: victim/admin\r\nConnection: close\r\n\r\n")
	s := <-got
	if s.Path != "/tenants/victim/admin/public/victim/admin" || s.RawPath != "/tenants/victim%2Fadmin/public/victim/admin" {
		t.Errorf("backend path %q (raw %q): want {tenant} as one segment, {p} as the greedy path", s.Path, s.RawPath)
	}
}
