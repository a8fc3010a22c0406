package cors_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gatewaykit/gateway/cors"
)

func mustNew(t *testing.T, cfg cors.Config) *cors.CORS {
	t.Helper()
	c, err := cors.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func preflight(target, origin string) *http.Request {
	r := httptest.NewRequest(http.MethodOptions, target, nil)
	if origin != "" {
		r.Header.Set("Origin", origin)
	}
	r.Header.Set("Access-Control-Request-Method", "PUT")
	r.Header.Set("Access-Control-Request-Headers", "authorization, content-type")
	return r
}

// corsHeaders returns the response's Access-Control-* headers and Vary.
func corsHeaders(h http.Header) map[string]string {
	out := map[string]string{}
	for k, v := range h {
		if strings.HasPrefix(k, "Access-Control-") || k == "Vary" {
			out[k] = strings.Join(v, "|")
		}
	}
	return out
}

func equal(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

var config = cors.Config{
	AllowOrigins:     []string{"https://app.example.com", "http://localhost:3000"},
	AllowMethods:     []string{"GET", "PUT", "DELETE"},
	AllowHeaders:     []string{"Authorization", "Content-Type"},
	ExposeHeaders:    []string{"X-Request-Id", "Date"},
	MaxAge:           300,
	AllowCredentials: true,
}

func TestPreflight(t *testing.T) {
	c := mustNew(t, config)
	called := false
	h := c.Middleware(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { called = true }))
	for _, tc := range []struct {
		name, origin string
		want         map[string]string
	}{
		{"allowed", "https://app.example.com", map[string]string{
			"Access-Control-Allow-Origin":      "https://app.example.com",
			"Access-Control-Allow-Methods":     "GET,PUT,DELETE",
			"Access-Control-Allow-Headers":     "Authorization,Content-Type",
			"Access-Control-Max-Age":           "300",
			"Access-Control-Allow-Credentials": "true",
			"Vary":                             "Origin",
		}},
		{"allowed, other case", "HTTPS://App.Example.com", map[string]string{
			"Access-Control-Allow-Origin":      "HTTPS://App.Example.com",
			"Access-Control-Allow-Methods":     "GET,PUT,DELETE",
			"Access-Control-Allow-Headers":     "Authorization,Content-Type",
			"Access-Control-Max-Age":           "300",
			"Access-Control-Allow-Credentials": "true",
			"Vary":                             "Origin",
		}},
		{"foreign origin", "https://evil.example.com", map[string]string{"Vary": "Origin"}},
		{"suffix of an allowed origin", "https://app.example.com.evil.net", map[string]string{"Vary": "Origin"}},
		{"other port", "http://localhost:3001", map[string]string{"Vary": "Origin"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			called = false
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, preflight("/pets", tc.origin))
			if rec.Code != http.StatusNoContent || rec.Body.Len() != 0 {
				t.Fatalf("status %d body %q, want 204 and no body", rec.Code, rec.Body.String())
			}
			if called {
				t.Fatal("the handler was called for a preflight")
			}
			if got := corsHeaders(rec.Header()); !equal(got, tc.want) {
				t.Fatalf("headers %v, want %v", got, tc.want)
			}
		})
	}
}

func TestPreflightStatusSetting(t *testing.T) {
	cfg := config
	cfg.PreflightStatus = http.StatusOK
	rec := httptest.NewRecorder()
	mustNew(t, cfg).Middleware(http.NotFoundHandler()).ServeHTTP(rec, preflight("/", "https://app.example.com"))
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Length") != "0" {
		t.Fatalf("status %d, Content-Length %q; want 200 and 0", rec.Code, rec.Header().Get("Content-Length"))
	}
}

// TestActualRequest: the configured headers replace whatever CORS headers
// the handler set, in any case; a foreign or missing origin gets none.
func TestActualRequest(t *testing.T) {
	c := mustNew(t, config)
	h := c.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		w.Header()["access-control-allow-methods"] = []string{"*"}
		w.Header().Set("Access-Control-Allow-Credentials", "true")
		w.Header().Set("X-Request-Id", "r1")
		_, _ = w.Write([]byte("ok"))
	}))
	for _, tc := range []struct {
		origin string
		want   map[string]string
	}{
		{"https://app.example.com", map[string]string{
			"Access-Control-Allow-Origin":      "https://app.example.com",
			"Access-Control-Expose-Headers":    "X-Request-Id,Date",
			"Access-Control-Allow-Credentials": "true",
			"Vary":                             "Origin",
		}},
		{"https://evil.example.com", map[string]string{"Vary": "Origin"}},
		{"", map[string]string{"Vary": "Origin"}},
	} {
		r := httptest.NewRequest(http.MethodGet, "/pets", nil)
		if tc.origin != "" {
			r.Header.Set("Origin", tc.origin)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if rec.Code != 200 || rec.Body.String() != "ok" || rec.Header().Get("X-Request-Id") != "r1" {
			t.Fatalf("origin %q: response %d %q changed", tc.origin, rec.Code, rec.Body.String())
		}
		if got := corsHeaders(rec.Header()); !equal(got, tc.want) {
			t.Fatalf("origin %q: headers %v, want %v", tc.origin, got, tc.want)
		}
	}
}

// TestAnyOrigin: "*" answers "*" without Vary.
func TestAnyOrigin(t *testing.T) {
	c := mustNew(t, cors.Config{AllowOrigins: []string{"*"}, AllowMethods: []string{"*"}, AllowHeaders: []string{"*"}})
	rec := httptest.NewRecorder()
	c.Middleware(http.NotFoundHandler()).ServeHTTP(rec, preflight("/", "https://anyone.example"))
	want := map[string]string{"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "*", "Access-Control-Allow-Headers": "*"}
	if got := corsHeaders(rec.Header()); !equal(got, want) {
		t.Fatalf("headers %v, want %v", got, want)
	}
}

// TestSchemeWildcard: "https://*" allows any https origin and nothing
// that is not an origin.
func TestSchemeWildcard(t *testing.T) {
	c := mustNew(t, cors.Config{AllowOrigins: []string{"https://*"}})
	h := c.Middleware(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	for origin, allowed := range map[string]bool{
		"https://a.example.com":          true,
		"https://a.example.com:8443":     true,
		"http://a.example.com":           false,
		"https://":                       false,
		"https://a.example.com/path":     false,
		"https://a.example.com, https:b": false,
		"https://user@a.example.com":     false,
	} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("Origin", origin)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if got := rec.Header().Get("Access-Control-Allow-Origin"); (got == origin) != allowed || !allowed && got != "" {
			t.Errorf("origin %q: Access-Control-Allow-Origin %q, allowed %v", origin, got, allowed)
		}
	}
}

func TestNewRefuses(t *testing.T) {
	for name, cfg := range map[string]cors.Config{
		"any origin with credentials":       {AllowOrigins: []string{"*"}, AllowCredentials: true},
		"any https origin with credentials": {AllowOrigins: []string{"https://a.example.com", "https://*"}, AllowCredentials: true},
		"origin with a path":                {AllowOrigins: []string{"https://a.example.com/app"}},
		"no scheme":                         {AllowOrigins: []string{"a.example.com"}},
		"header injection":                  {AllowOrigins: []string{"https://a.example.com\r\nX-Evil: 1"}},
		"list entry with a comma":           {AllowHeaders: []string{"a,b"}},
		"list entry with CRLF":              {ExposeHeaders: []string{"a\r\nSet-Cookie: x=1"}},
		"negative max age":                  {MaxAge: -1},
		"non-2xx preflight status":          {PreflightStatus: 302},
	} {
		if _, err := cors.New(cfg); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestZeroConfig: nothing is allowed, and the handler's CORS headers are
// still dropped; Vary says the answer depends on Origin, once.
func TestZeroConfig(t *testing.T) {
	c := mustNew(t, cors.Config{})
	h := c.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		w.Header().Set("Vary", "Accept-Encoding, origin")
	}))
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header.Set("Origin", "https://a.example.com")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	if got := corsHeaders(rec.Header()); len(got) != 1 || got["Vary"] != "Accept-Encoding, origin" {
		t.Fatalf("headers %v, want only the handler's Vary", got)
	}
}

// FuzzOrigin: any origin and configuration entry either fails New or
// gives an Allow-Origin that is empty, "*", or the origin itself, an
// origin without CR, LF or comma.
func FuzzOrigin(f *testing.F) {
	f.Add("https://*", "https://a.example.com")
	f.Add("https://a.example.com", "HTTPS://A.EXAMPLE.COM")
	f.Add("*", "null")
	f.Add("http://*", "http://a\r\nb")
	f.Fuzz(func(t *testing.T, allowed, origin string) {
		c, err := cors.New(cors.Config{AllowOrigins: []string{allowed}})
		if err != nil {
			return
		}
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header["Origin"] = []string{origin}
		rec := httptest.NewRecorder()
		c.Middleware(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})).ServeHTTP(rec, r)
		got := rec.Header().Get("Access-Control-Allow-Origin")
		switch {
		case got == "", got == "*" && allowed == "*":
		case got == origin && !strings.ContainsAny(origin, "\r\n,"):
		default:
			t.Fatalf("allowed %q, origin %q: Access-Control-Allow-Origin %q", allowed, origin, got)
		}
	})
}
