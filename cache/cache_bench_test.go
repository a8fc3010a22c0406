package cache_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gatewaykit/gateway/cache"
)

// discard is a ResponseWriter that keeps nothing but a reused header map,
// so the writer does not dominate what is measured.
type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(p []byte) (int, error) { return len(p), nil }
func (d *discard) WriteHeader(int)             {}

var benchBody = []byte(`[{"id":1,"type":"dog","price":249.99},{"id":2,"type":"cat","price":124.99},{"id":3,"type":"fish","price":0.99}]`)

// BenchmarkCacheHit compares a cache hit (memory store) with the bare
// handler that produces the same response, in the same run.
func BenchmarkCacheHit(b *testing.B) {
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(benchBody)
	})
	c, err := cache.New(cache.Config{})
	if err != nil {
		b.Fatal(err)
	}
	mw, err := c.Middleware(cache.Settings{Key: []string{"method.request.querystring.type"}})
	if err != nil {
		b.Fatal(err)
	}
	cached := mw(bare)
	req, _ := http.NewRequest("GET", "http://x/pets?type=dog", nil)
	for _, tc := range []struct {
		name string
		h    http.Handler
	}{{"bare", bare}, {"memory-hit", cached}} {
		b.Run(tc.name, func(b *testing.B) {
			w := &discard{h: make(http.Header)}
			tc.h.ServeHTTP(w, req) // fill
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				tc.h.ServeHTTP(w, req)
			}
		})
	}
}

// BenchmarkCacheHitWholeRequest measures the same as BenchmarkCacheHit with
// what a whole request costs around it: a new request and recorder each
// time.
func BenchmarkCacheHitWholeRequest(b *testing.B) {
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(benchBody)
	})
	c, err := cache.New(cache.Config{})
	if err != nil {
		b.Fatal(err)
	}
	mw, err := c.Middleware(cache.Settings{Key: []string{"method.request.querystring.type"}})
	if err != nil {
		b.Fatal(err)
	}
	cached := mw(bare)
	for _, tc := range []struct {
		name string
		h    http.Handler
	}{{"bare", bare}, {"memory-hit", cached}} {
		b.Run(tc.name, func(b *testing.B) {
			tc.h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/pets?type=dog", nil))
			b.ReportAllocs()
			for b.Loop() {
				tc.h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/pets?type=dog", nil))
			}
		})
	}
}
