package integration_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/integration"
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
		api := gateway.New("t", tt.cfg)
		if err := api.Handle("GET /x/{id}/{proxy+}", h); err != nil {
			t.Fatal(err)
		}
		stage, err := api.Deploy("prod", nil)
		if err != nil {
			t.Fatal(err)
		}
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", "/x/a%2Bb/x/y%20z", nil)
		stage.ServeHTTP(rec, req)
		if rec.Code != 200 || id != tt.id || rest != tt.rest {
			t.Errorf("%+v wrapped %v: status %d, id %q proxy %q, want %q %q", tt.cfg, tt.wrap, rec.Code, id, rest, tt.id, tt.rest)
		}
		if req.PathValue("id") != "" {
			t.Error("the caller's request was given path values")
		}
	}
}
