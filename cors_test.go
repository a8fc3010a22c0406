package gateway_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/cors"
	"github.com/gatewaykit/gateway/integration"
)

func corsAPI(t *testing.T, cfg cors.Config) (*gateway.API, *int) {
	t.Helper()
	api := gateway.New("shop", gateway.Config{CORS: &cfg})
	calls := new(int)
	h := integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		*calls++
		w.Header().Set("Access-Control-Allow-Origin", "https://backend-says.example")
		w.Header().Set("X-Backend", "1")
		_, _ = w.Write([]byte(r.Method))
	})
	mustHandle(t, api, "GET /pets", h)
	mustHandle(t, api, "ANY /files/{proxy+}", h)
	mustHandle(t, api, "OPTIONS /custom", h)
	return api, calls
}

var shopCORS = cors.Config{
	AllowOrigins:  []string{"https://app.example.com"},
	AllowMethods:  []string{"GET", "POST"},
	AllowHeaders:  []string{"Authorization"},
	ExposeHeaders: []string{"X-Backend"},
	MaxAge:        60,
}

func preflightReq(target string) *http.Request {
	r := httptest.NewRequest(http.MethodOptions, target, nil)
	r.Header.Set("Origin", "https://app.example.com")
	r.Header.Set("Access-Control-Request-Method", "GET")
	return r
}

// TestCORSPreflightAnsweredByGateway: preflights to explicit routes, to an
// ANY route and to no route at all are answered by the gateway, without
// calling the integration, with the request id header AWS sends.
func TestCORSPreflightAnsweredByGateway(t *testing.T) {
	api, calls := corsAPI(t, shopCORS)
	s := mustDeploy(t, api, "prod", nil)
	for _, target := range []string{"/pets", "/files/a/b", "/nowhere"} {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, preflightReq(target))
		h := rec.Header()
		if rec.Code != http.StatusNoContent || rec.Body.Len() != 0 {
			t.Fatalf("%s: %d %q, want 204 without body", target, rec.Code, rec.Body.String())
		}
		if h.Get("Access-Control-Allow-Origin") != "https://app.example.com" || h.Get("Access-Control-Allow-Methods") != "GET,POST" ||
			h.Get("Access-Control-Allow-Headers") != "Authorization" || h.Get("Access-Control-Max-Age") != "60" {
			t.Fatalf("%s: CORS headers %v", target, h)
		}
		if h.Get("Apigw-Requestid") == "" {
			t.Fatalf("%s: no apigw-requestid header: %v", target, h)
		}
	}
	if *calls != 0 {
		t.Fatalf("the integration was called %d times for preflights", *calls)
	}
}

// TestCORSPreflightToOptionsRoute: an explicit OPTIONS route takes the
// preflight; its response gets the preflight headers, not its own.
func TestCORSPreflightToOptionsRoute(t *testing.T) {
	api, calls := corsAPI(t, shopCORS)
	s := mustDeploy(t, api, "prod", nil)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, preflightReq("/custom"))
	if *calls != 1 || rec.Body.String() != "OPTIONS" {
		t.Fatalf("calls %d, body %q: the OPTIONS route did not run", *calls, rec.Body.String())
	}
	if got := rec.Header().Get("Access-Control-Allow-Origin"); got != "https://app.example.com" || rec.Header().Get("Access-Control-Allow-Methods") != "GET,POST" {
		t.Fatalf("CORS headers %v", rec.Header())
	}
}

// TestCORSDefaultRouteWithAuthorizer: $default catches preflights, and its
// authorizer refuses them, as AWS documents; AnswerAllPreflights answers
// them before routing instead.
func TestCORSDefaultRouteWithAuthorizer(t *testing.T) {
	deny := gateway.WithMiddleware(gateway.PhaseAuthorize, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			gateway.WriteError(w, r, gateway.ResponseUnauthorized)
		})
	})
	for _, answerAll := range []bool{false, true} {
		cfg := shopCORS
		cfg.AnswerAllPreflights = answerAll
		api := gateway.New("shop", gateway.Config{CORS: &cfg})
		mustHandle(t, api, "$default", echo, deny)
		s := mustDeploy(t, api, "prod", nil)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, preflightReq("/anything"))
		want := http.StatusUnauthorized
		if answerAll {
			want = http.StatusNoContent
		}
		if rec.Code != want {
			t.Fatalf("AnswerAllPreflights %v: status %d, want %d", answerAll, rec.Code, want)
		}
		// Either way the answer carries the CORS headers, so the browser
		// sees the 401 rather than an opaque CORS failure.
		if rec.Header().Get("Access-Control-Allow-Origin") != "https://app.example.com" {
			t.Fatalf("AnswerAllPreflights %v: headers %v", answerAll, rec.Header())
		}
	}
}

// TestCORSActualRequests: the integration's CORS headers are replaced by
// the configured ones; gateway error responses get them too; a foreign
// origin gets none.
func TestCORSActualRequests(t *testing.T) {
	api, _ := corsAPI(t, shopCORS)
	s := mustDeploy(t, api, "prod", nil)
	for _, tc := range []struct {
		target, origin string
		status         int
		allow          string
	}{
		{"/pets", "https://app.example.com", 200, "https://app.example.com"},
		{"/pets", "https://evil.example.com", 200, ""},
		{"/pets", "", 200, ""},
		{"/nowhere", "https://app.example.com", 404, "https://app.example.com"},
	} {
		r := httptest.NewRequest(http.MethodGet, tc.target, nil)
		if tc.origin != "" {
			r.Header.Set("Origin", tc.origin)
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, r)
		if rec.Code != tc.status {
			t.Fatalf("%s from %q: status %d, want %d", tc.target, tc.origin, rec.Code, tc.status)
		}
		if got := rec.Header().Get("Access-Control-Allow-Origin"); got != tc.allow {
			t.Fatalf("%s from %q: Access-Control-Allow-Origin %q, want %q", tc.target, tc.origin, got, tc.allow)
		}
		wantExpose := ""
		if tc.allow != "" {
			wantExpose = "X-Backend"
		}
		if got := rec.Header().Get("Access-Control-Expose-Headers"); got != wantExpose {
			t.Fatalf("%s from %q: Access-Control-Expose-Headers %q", tc.target, tc.origin, got)
		}
	}
}

// TestCORSPanicAnswerCarriesHeaders: the 500 for a panicking integration
// carries the CORS headers too.
func TestCORSPanicAnswerCarriesHeaders(t *testing.T) {
	cfg := shopCORS
	api := gateway.New("shop", gateway.Config{CORS: &cfg}, gateway.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	mustHandle(t, api, "GET /boom", integration.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	s := mustDeploy(t, api, "prod", nil)
	r := httptest.NewRequest(http.MethodGet, "/boom", nil)
	r.Header.Set("Origin", "https://app.example.com")
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, r)
	if rec.Code != 500 || rec.Header().Get("Access-Control-Allow-Origin") != "https://app.example.com" {
		t.Fatalf("status %d headers %v", rec.Code, rec.Header())
	}
}

// TestCORSDeployRefuses: a REST API has no CORS configuration, and an
// invalid one fails Deploy with the reason.
func TestCORSDeployRefuses(t *testing.T) {
	for name, cfg := range map[string]gateway.Config{
		"REST":             {Profile: gateway.RESTAPI, CORS: &cors.Config{AllowOrigins: []string{"*"}}},
		"credentials + *":  {CORS: &cors.Config{AllowOrigins: []string{"*"}, AllowCredentials: true}},
		"origin with path": {CORS: &cors.Config{AllowOrigins: []string{"https://a.example.com/x"}}},
	} {
		api := gateway.New("shop", cfg)
		mustHandle(t, api, "GET /pets", echo)
		if _, err := api.Deploy("prod", nil); err == nil {
			t.Errorf("%s: Deploy accepted the CORS configuration", name)
		}
	}
}
