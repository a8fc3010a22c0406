package gateway

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/go-chi/chi/v5"
)

// Routing benchmarks: our router beside net/http.ServeMux (Go 1.22
// patterns) and chi, with the same routes in each. Results and the command
// that produced them are in BENCHMARKS.md.

// benchRouteCounts are the route table sizes benchmarked.
var benchRouteCounts = []int{10, 1000, 10000}

// benchRoutes returns n route keys, alternately "GET /svc{i}/items/{id}"
// and "GET /svc{i}/status", and a static and a param path that hit the last
// service registered.
func benchRoutes(n int) (keys []string, static, param string) {
	last := 0
	for i := 0; len(keys) < n; i++ {
		keys = append(keys, fmt.Sprintf("GET /svc%d/items/{id}", i))
		if len(keys) < n {
			keys = append(keys, fmt.Sprintf("GET /svc%d/status", i))
			last = i
		}
	}
	return keys, fmt.Sprintf("/svc%d/status", last), fmt.Sprintf("/svc%d/items/42", last)
}

// discardWriter is a ResponseWriter that throws the response away and
// reuses its header map, so that the writer costs next to nothing.
type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *discardWriter) WriteHeader(int)             {}

var nopHandler = http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})

// benchRouters are the three routers under test with the same routes.
type benchRouters struct {
	stage  *Stage
	match  *router
	mux    *http.ServeMux
	chi    *chi.Mux
	static string
	param  string
}

func newBenchRouters(b *testing.B, n int) *benchRouters {
	b.Helper()
	keys, static, param := benchRoutes(n)
	a := New("bench")
	mux := http.NewServeMux()
	cm := chi.NewRouter()
	for _, k := range keys {
		if err := a.Handle(k, nopHandler); err != nil {
			b.Fatal(err)
		}
		mux.Handle(k, nopHandler) // "GET /svc1/items/{id}" is a ServeMux pattern too
		cm.Get(k[len("GET "):], nopHandler)
	}
	s, err := a.Deploy("$default", nil)
	if err != nil {
		b.Fatal(err)
	}
	br := &benchRouters{stage: s, match: newTestRouter(b, keys...), mux: mux, chi: cm, static: static, param: param}
	// Each router must really route both lookups.
	for _, path := range []string{static, param} {
		for name, h := range map[string]http.Handler{"gateway": s, "servemux": mux, "chi": cm} {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
			if w.Code != http.StatusOK {
				b.Fatalf("%s: GET %s: status %d", name, path, w.Code)
			}
		}
		var ps Params
		if br.match.match("GET", path, &ps) == nil {
			b.Fatalf("router: GET %s: no match", path)
		}
	}
	return br
}

// BenchmarkRouteServeHTTP measures a whole request through each router to a
// handler that does nothing. For the gateway that is Stage.ServeHTTP with
// everything a deployed stage does per request, not only the match.
func BenchmarkRouteServeHTTP(b *testing.B) {
	for _, n := range benchRouteCounts {
		br := newBenchRouters(b, n)
		for _, lookup := range []struct{ name, path string }{{"static", br.static}, {"param", br.param}} {
			for _, peer := range []struct {
				name string
				h    http.Handler
			}{{"gateway", br.stage}, {"servemux", br.mux}, {"chi", br.chi}} {
				b.Run(fmt.Sprintf("routes=%d/%s/%s", n, lookup.name, peer.name), func(b *testing.B) {
					b.ReportAllocs()
					r := httptest.NewRequest("GET", lookup.path, nil)
					w := &discardWriter{h: make(http.Header)}
					for b.Loop() {
						peer.h.ServeHTTP(w, r)
					}
				})
			}
		}
	}
}

// BenchmarkRouteMatch measures route lookup alone: our router.match with a
// pre-sized params slice (as the stage has), ServeMux.Handler and chi's
// Mux.Find with a reused routing context.
func BenchmarkRouteMatch(b *testing.B) {
	for _, n := range benchRouteCounts {
		br := newBenchRouters(b, n)
		for _, lookup := range []struct{ name, path string }{{"static", br.static}, {"param", br.param}} {
			b.Run(fmt.Sprintf("routes=%d/%s/gateway", n, lookup.name), func(b *testing.B) {
				b.ReportAllocs()
				ps := make(Params, 0, 6)
				for b.Loop() {
					ps = ps[:0]
					if br.match.match("GET", lookup.path, &ps) == nil {
						b.Fatal("no match")
					}
				}
			})
			b.Run(fmt.Sprintf("routes=%d/%s/servemux", n, lookup.name), func(b *testing.B) {
				b.ReportAllocs()
				r := httptest.NewRequest("GET", lookup.path, nil)
				for b.Loop() {
					if _, pattern := br.mux.Handler(r); pattern == "" {
						b.Fatal("no match")
					}
				}
			})
			b.Run(fmt.Sprintf("routes=%d/%s/chi", n, lookup.name), func(b *testing.B) {
				b.ReportAllocs()
				rctx := chi.NewRouteContext()
				for b.Loop() {
					rctx.Reset()
					if br.chi.Find(rctx, "GET", lookup.path) == "" {
						b.Fatal("no match")
					}
				}
			})
		}
	}
}
