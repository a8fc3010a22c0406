package rediscache_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gatewaykit/gateway/cache"
	"github.com/gatewaykit/gateway/cache/rediscache"
	"github.com/gatewaykit/gateway/internal/redistest"
)

var benchBody = []byte(`[{"id":1,"type":"dog","price":249.99},{"id":2,"type":"cat","price":124.99},{"id":3,"type":"fish","price":0.99}]`)

// BenchmarkHitWholeRequest: a bare handler, a memory-store hit and a
// Redis-store hit (real redis-server on loopback) for the same response,
// each a whole request (new request and recorder), in one run.
func BenchmarkHitWholeRequest(b *testing.B) {
	srv := redistest.Start(b)
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(benchBody)
	})
	wrap := func(store cache.Store) http.Handler {
		c, err := cache.New(cache.Config{Store: store})
		if err != nil {
			b.Fatal(err)
		}
		mw, err := c.Middleware(cache.Settings{Key: []string{"method.request.querystring.type"}})
		if err != nil {
			b.Fatal(err)
		}
		return mw(bare)
	}
	mem, _ := cache.NewMemoryStore(64<<20, nil)
	for _, tc := range []struct {
		name string
		h    http.Handler
	}{
		{"bare", bare},
		{"memory-hit", wrap(mem)},
		{"redis-hit", wrap(rediscache.New(client(b, srv.Addr), rediscache.Options{}))},
	} {
		b.Run(tc.name, func(b *testing.B) {
			tc.h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/pets?type=dog", nil))
			b.ReportAllocs()
			for b.Loop() {
				tc.h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/pets?type=dog", nil))
			}
		})
	}
}
