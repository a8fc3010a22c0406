package integration_test

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"testing"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/integration"
)

// BenchmarkHTTPProxy compares a request through a gateway stage with the
// HTTP proxy integration against the same request through a bare
// httputil.ReverseProxy with the same transport settings, both to one
// loopback backend in the same run.
func BenchmarkHTTPProxy(b *testing.B) {
	body := []byte(`{"id":7,"name":"Rex"}`)
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	defer backend.Close()
	target, _ := url.Parse(backend.URL)

	transport := func() *http.Transport {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = 256
		return t
	}
	peer := &httputil.ReverseProxy{
		Rewrite:   func(pr *httputil.ProxyRequest) { pr.SetURL(target); pr.SetXForwarded() },
		Transport: transport(),
	}
	proxy, err := integration.NewHTTP(integration.HTTPConfig{URI: backend.URL + "/pets/{id}", Transport: transport()})
	if err != nil {
		b.Fatal(err)
	}
	api := gateway.New("bench")
	if err := api.Handle("GET /pets/{id}", proxy); err != nil {
		b.Fatal(err)
	}
	stage, err := api.Deploy("prod", nil)
	if err != nil {
		b.Fatal(err)
	}

	for _, c := range []struct {
		name string
		h    http.Handler
	}{{"gateway", stage}, {"reverseproxy", peer}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					rec := httptest.NewRecorder()
					c.h.ServeHTTP(rec, httptest.NewRequest("GET", "/pets/7", nil))
					if rec.Code != 200 {
						b.Errorf("status %d", rec.Code)
						return
					}
				}
			})
		})
	}
}
