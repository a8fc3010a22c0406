package integration_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/integration"
	"github.com/gatewaykit/gateway/transform"
)

// A handler written for http.ServeMux, wrapped with Handler, reads the
// route's parameters with r.PathValue, decoded as
// RequestContext.PathParameters are (per profile); a handler given bare
// does not get them.
func TestHandlerPathValues(t *testing.T) {
	for _, tt := range []struct {
		cfg      gateway.Config
		wrap     bool
		id, rest string
	}{
		{gateway.Config{}, true, "a+b", "x/y z"},
		{gateway.Config{Profile: gateway.RESTAPI}, true, "a%2Bb", "x/y%20z"},
		{gateway.Config{}, false, "", ""},
	} {
		var id, rest string
		var h http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id, rest = r.PathValue("id"), r.PathValue("proxy")
		})
		if tt.wrap {
			h = integration.Handler(h)
		}
		stage := deployOne(t, tt.cfg, "GET /x/{id}/{proxy+}", h)
		rec := httptest.NewRecorder()
		stage.ServeHTTP(rec, httptest.NewRequest("GET", "/x/a%2Bb/x/y%20z", nil))
		if rec.Code != 200 || id != tt.id || rest != tt.rest {
			t.Errorf("%+v wrapped %v: status %d, id %q proxy %q, want %q %q", tt.cfg, tt.wrap, rec.Code, id, rest, tt.id, tt.rest)
		}
	}
}

// The caller's request keeps its own path values: a ServeMux in front of
// the stage with a wildcard of the same name, and a value a middleware
// set, are as they were after the wrapped handler ran.
func TestHandlerPathValuesLeaveTheCallerAlone(t *testing.T) {
	var seen string
	stage := deployOne(t, gateway.Config{Profile: gateway.RESTAPI}, "GET /x/{id}", integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = r.PathValue("id")
	}))
	var after, extra string
	mux := http.NewServeMux()
	mux.HandleFunc("GET /x/{id}", func(w http.ResponseWriter, r *http.Request) {
		r.SetPathValue("proxy", "mine")
		stage.ServeHTTP(w, r)
		after, extra = r.PathValue("id"), r.PathValue("proxy")
	})
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest("GET", "/x/a%2Bb", nil))
	if rec.Code != 200 || seen != "a%2Bb" {
		t.Errorf("handler: status %d, id %q", rec.Code, seen)
	}
	if after != "a+b" || extra != "mine" {
		t.Errorf("the caller's request now has id %q, proxy %q; want a+b, mine", after, extra)
	}
}

// Behind a mapping the handler sees the integration request's path
// values, even under a name the route also has, and no others.
func TestHandlerPathValuesBehindAMapping(t *testing.T) {
	m := transform.MustNewMapping(transform.MappingConfig{RequestParameters: map[string]string{
		"integration.request.path.id": "method.request.header.X-Id",
	}})
	var id, other string
	api := gateway.New("t", gateway.Config{Profile: gateway.RESTAPI})
	if err := api.Handle("GET /pets/{id}/{other}", integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, other = r.PathValue("id"), r.PathValue("other")
	}), gateway.WithMiddleware(gateway.PhaseMapping, m.Middleware)); err != nil {
		t.Fatal(err)
	}
	stage, err := api.Deploy("prod", nil)
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("GET", "/pets/7/8", nil)
	req.Header.Set("X-Id", "mapped")
	rec := httptest.NewRecorder()
	stage.ServeHTTP(rec, req)
	if rec.Code != 200 || id != "mapped" || other != "" {
		t.Errorf("status %d, id %q, other %q; want mapped and nothing", rec.Code, id, other)
	}
}

func deployOne(t *testing.T, cfg gateway.Config, key string, h http.Handler) *gateway.Stage {
	t.Helper()
	api := gateway.New("t", cfg)
	if err := api.Handle(key, h); err != nil {
		t.Fatal(err)
	}
	stage, err := api.Deploy("prod", nil)
	if err != nil {
		t.Fatal(err)
	}
	return stage
}
