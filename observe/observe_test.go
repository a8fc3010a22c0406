package observe_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/cors"
	"github.com/gatewaykit/gateway/integration"
	"github.com/gatewaykit/gateway/observe"
)

// lines collects log lines.
type lines struct{ bytes.Buffer }

func (l *lines) all() []string {
	return strings.Split(strings.TrimSuffix(l.String(), "\n"), "\n")
}

func newAPI(t *testing.T, profile gateway.Profile, obs ...gateway.Observer) *gateway.Stage {
	t.Helper()
	cfg := gateway.Config{Profile: profile, ID: "a1b2c3d4e5"}
	if profile == gateway.HTTPAPI {
		cfg.CORS = &cors.Config{AllowOrigins: []string{"https://app.example.com"}}
	}
	api := gateway.New("shop", cfg, gateway.WithObserver(obs...), gateway.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	deny := gateway.WithMiddleware(gateway.PhaseAuthorize, func(http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { gateway.WriteError(w, r, gateway.ResponseUnauthorized) })
	})
	hit := gateway.WithMiddleware(gateway.PhaseCache, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			gateway.RequestContextFrom(r.Context()).CacheStatus = "HIT"
			next.ServeHTTP(w, r)
		})
	})
	for key, h := range map[string][]any{
		"GET /pets/{id}": {integration.Mock(200, `{"id":1}`), hit},
		"GET /private":   {integration.Mock(200, `{}`), deny},
		"GET /boom":      {integration.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") })},
	} {
		var opts []gateway.RouteOption
		for _, o := range h[1:] {
			opts = append(opts, o.(gateway.RouteOption))
		}
		if err := api.Handle(key, h[0].(http.Handler), opts...); err != nil {
			t.Fatal(err)
		}
	}
	s, err := api.Deploy("prod", nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func do(h http.Handler, method, target string, header map[string]string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		r.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec
}

// TestAccessLogEveryAnswer: a JSON access log gets one valid JSON line per
// request, whoever answered it, with the status sent and the request id
// of the response header.
func TestAccessLogEveryAnswer(t *testing.T) {
	var out lines
	format := `{"requestId":"$context.requestId","routeKey":"$context.routeKey","status":"$context.status","length":"$context.responseLength","ua":"$context.identity.userAgent","err":"$context.error.responseType","latency":"$context.responseLatency"}`
	l, err := observe.NewAccessLog(observe.AccessLogConfig{Format: format, Writer: &out})
	if err != nil {
		t.Fatal(err)
	}
	s := newAPI(t, gateway.HTTPAPI, l)
	type want struct{ status, route, errType string }
	var ids []string
	var wants []want
	for _, c := range []struct {
		method, target string
		header         map[string]string
		want
	}{
		{"GET", "/pets/7", nil, want{"200", "GET /pets/{id}", "-"}},
		{"GET", "/nowhere", nil, want{"404", "-", "RESOURCE_NOT_FOUND"}},
		{"GET", "/private", nil, want{"401", "GET /private", "UNAUTHORIZED"}},
		{"GET", "/boom", nil, want{"500", "GET /boom", "DEFAULT_5XX"}},
		{"OPTIONS", "/pets/7", map[string]string{"Origin": "https://app.example.com", "Access-Control-Request-Method": "GET"}, want{"204", "-", "-"}},
		{"GET", "/pets/8", map[string]string{"User-Agent": "evil\"}\n{\"forged\":\"line\\"}, want{"200", "GET /pets/{id}", "-"}},
	} {
		rec := do(s, c.method, c.target, c.header)
		ids = append(ids, rec.Header().Get("Apigw-Requestid"))
		wants = append(wants, c.want)
	}
	got := out.all()
	if len(got) != len(wants) {
		t.Fatalf("%d lines, want %d:\n%s", len(got), len(wants), out.String())
	}
	for i, line := range got {
		var m map[string]string
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("line %d is not JSON (%v): %s", i, err, line)
		}
		w := wants[i]
		if m["requestId"] != ids[i] || m["status"] != w.status || m["routeKey"] != w.route || m["err"] != w.errType || m["latency"] == "-" {
			t.Errorf("line %d: %v, want id %s, %+v", i, m, ids[i], w)
		}
	}
	var last map[string]string
	_ = json.Unmarshal([]byte(got[len(got)-1]), &last)
	if last["ua"] != "evil\"}\n{\"forged\":\"line\\" {
		t.Errorf("user agent logged as %q", last["ua"])
	}
}

// TestAccessLogCLFInjection: a control character in a value cannot start
// a line of its own in a text format.
func TestAccessLogCLFInjection(t *testing.T) {
	var out lines
	l, err := observe.NewAccessLog(observe.AccessLogConfig{Format: `$context.identity.userAgent $context.status`, Writer: &out, Missing: "?"})
	if err != nil {
		t.Fatal(err)
	}
	rc := &gateway.RequestContext{Status: 200}
	rc.Identity.UserAgent = "a\r\nb\tc\x01d\xffe"
	l.ObserveRequest(rc)
	rc.Identity.UserAgent = ""
	l.ObserveRequest(rc)
	rc.Identity.UserAgent = "x\u2028y\u2029z\u0085w\u00e9" // Unicode line breaks too; é stays
	l.ObserveRequest(rc)
	if got, want := out.String(), "a\\r\\nb\\tc\\u0001d\ufffde 200\n? 200\nx\\u2028y\\u2029z\\u0085w\u00e9 200\n"; got != want {
		t.Fatalf("log %q, want %q", got, want)
	}
}

// TestAccessLogPresets: the console formats render every variable they
// name (none is left as text) for both profiles.
func TestAccessLogPresets(t *testing.T) {
	for name, f := range map[string]string{
		"CLF": observe.FormatCLF, "JSON": observe.FormatJSON, "XML": observe.FormatXML, "CSV": observe.FormatCSV,
		"HTTP CLF": observe.FormatHTTPCLF, "HTTP JSON": observe.FormatHTTPJSON, "HTTP XML": observe.FormatHTTPXML, "HTTP CSV": observe.FormatHTTPCSV,
	} {
		var out lines
		l, err := observe.NewAccessLog(observe.AccessLogConfig{Format: f, Writer: &out})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		profile := gateway.RESTAPI
		if strings.HasPrefix(name, "HTTP") {
			profile = gateway.HTTPAPI
		}
		s := newAPI(t, profile, l)
		rec := do(s, "GET", "/pets/7", nil)
		line := out.String()
		if strings.Contains(line, "$context") || !strings.Contains(line, "200") || strings.Count(line, "\n") != 1 {
			t.Errorf("%s: %q", name, line)
		}
		id := rec.Header().Get("X-Amzn-Requestid") + rec.Header().Get("Apigw-Requestid")
		if !strings.Contains(line, id) {
			t.Errorf("%s: line %q lacks the request id %s", name, line, id)
		}
		if name == "JSON" || name == "HTTP JSON" {
			var m map[string]any
			if err := json.Unmarshal([]byte(line), &m); err != nil {
				t.Errorf("%s: not JSON: %v", name, err)
			}
		}
	}
}

func TestNewAccessLogRefuses(t *testing.T) {
	for name, f := range map[string]string{
		"no variable":    "just text",
		"empty name":     "$context. and more",
		"over the limit": strings.Repeat("$context.requestId ", 200),
	} {
		if _, err := observe.NewAccessLog(observe.AccessLogConfig{Format: f}); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestAccessLogMiddleware: around a plain handler, outside any stage.
func TestAccessLogMiddleware(t *testing.T) {
	var out lines
	l, err := observe.NewAccessLog(observe.AccessLogConfig{Format: `$context.httpMethod $context.resourcePath $context.status $context.responseLength $context.identity.sourceIp`, Writer: &out})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /pets/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write([]byte("hello"))
	})
	h := l.Middleware(mux)
	do(h, "GET", "/pets/7", nil)
	if got := out.String(); got != "GET /pets/{id} 201 5 192.0.2.1\n" {
		t.Fatalf("line %q", got)
	}
}

// TestMetrics: series per API, stage and route with the statuses and
// cache verdicts counted, for both profiles, and the Prometheus output.
func TestMetrics(t *testing.T) {
	httpMetrics, restMetrics := observe.NewMetrics(), observe.NewMetrics()
	hs := newAPI(t, gateway.HTTPAPI, httpMetrics)
	rs := newAPI(t, gateway.RESTAPI, restMetrics)
	for _, s := range []*gateway.Stage{hs, rs} {
		for _, target := range []string{"/pets/1", "/pets/2", "/private", "/boom", "/nowhere"} {
			do(s, "GET", target, nil)
		}
	}
	check := func(m *observe.Metrics, api, petsRoute string) {
		t.Helper()
		byRoute := map[string]observe.Series{}
		for _, s := range m.Snapshot() {
			if s.API != api || s.Stage != "prod" {
				t.Errorf("series %+v: want API %q, stage prod", s.Dimensions, api)
			}
			byRoute[s.Route] = s
		}
		pets := byRoute[petsRoute]
		if pets.Count != 2 || pets.CacheHits != 2 || pets.Errors4XX != 0 || pets.Latency.Count != 2 || pets.IntegrationLatency.Count != 2 {
			t.Errorf("%s: %+v", petsRoute, pets)
		}
		if s := byRoute[""]; s.Count != 1 || s.Errors4XX != 1 {
			t.Errorf("unmatched: %+v", s)
		}
		var fives uint64
		for _, s := range byRoute {
			fives += s.Errors5XX
		}
		if fives != 1 {
			t.Errorf("5XX errors %d, want 1", fives)
		}
	}
	check(httpMetrics, "a1b2c3d4e5", "GET /pets/{id}")
	check(restMetrics, "shop", "GET /pets/{id}")

	rec := do(httpMetrics, "GET", "/metrics", nil)
	body := rec.Body.String()
	for _, want := range []string{
		"# TYPE apigateway_count_total counter",
		`apigateway_count_total{api="a1b2c3d4e5",stage="prod",route="GET /pets/{id}"} 2`,
		`apigateway_cache_hit_count_total{api="a1b2c3d4e5",stage="prod",route="GET /pets/{id}"} 2`,
		`apigateway_4xx_error_total{api="a1b2c3d4e5",stage="prod",route=""} 1`,
		`apigateway_latency_seconds_count{api="a1b2c3d4e5",stage="prod",route="GET /pets/{id}"} 2`,
		`apigateway_latency_seconds_bucket{api="a1b2c3d4e5",stage="prod",route="GET /pets/{id}",le="+Inf"} 2`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q:\n%s", want, body)
		}
	}
}

// TestObserveAborted: a request cut off mid-answer (an integration that
// passes its deadline after starting to answer) is still logged and
// counted, marked Aborted, and the client's connection is still cut.
func TestObserveAborted(t *testing.T) {
	type seen struct {
		route   string
		status  int
		aborted bool
	}
	observed := make(chan seen, 1)
	m := observe.NewMetrics()
	obs := gateway.ObserverFunc(func(rc *gateway.RequestContext) { observed <- seen{rc.RouteKey, rc.Status, rc.Aborted} })
	api := gateway.New("shop", gateway.WithObserver(m, obs), gateway.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	release := make(chan struct{})
	if err := api.Handle("GET /slow", integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(200)
		_, _ = w.Write([]byte("part"))
		http.NewResponseController(w).Flush()
		<-release
	}), gateway.WithTimeout(50*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	s, err := api.Deploy("prod", nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/slow")
	if err == nil {
		_, err = io.ReadAll(resp.Body) // returns once the gateway cuts the connection
		resp.Body.Close()
	}
	close(release)
	if err == nil {
		t.Fatal("the cut-off answer read as complete")
	}
	select {
	case got := <-observed:
		if got != (seen{"GET /slow", 200, true}) {
			t.Fatalf("observed %+v", got)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the aborted request was never observed")
	}
	if snap := m.Snapshot(); len(snap) != 1 || snap[0].Count != 1 {
		t.Fatalf("metrics %+v", snap)
	}
}

// TestMetricsRoutesFromTheAPI: methods a client makes up do not make
// series: an ANY route counts under its key.
func TestMetricsRoutesFromTheAPI(t *testing.T) {
	m := observe.NewMetrics()
	api := gateway.New("shop", gateway.Config{Profile: gateway.RESTAPI}, gateway.WithObserver(m))
	if err := api.Handle("ANY /pets", integration.Mock(200, "{}")); err != nil {
		t.Fatal(err)
	}
	s, err := api.Deploy("prod", nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 50 {
		do(s, fmt.Sprintf("M%d", i), "/pets", nil)
	}
	if snap := m.Snapshot(); len(snap) != 1 || snap[0].Route != "ANY /pets" || snap[0].Count != 50 {
		t.Fatalf("series %+v", snap)
	}
}

// TestMetricsMiddlewarePattern: around a ServeMux the route is the pattern
// the request matched.
func TestMetricsMiddlewarePattern(t *testing.T) {
	m := observe.NewMetrics()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /pets/{id}", func(http.ResponseWriter, *http.Request) {})
	do(m.Middleware(mux), "GET", "/pets/1", nil)
	do(m.Middleware(mux), "GET", "/pets/2", nil)
	if snap := m.Snapshot(); len(snap) != 1 || snap[0].Route != "GET /pets/{id}" || snap[0].Count != 2 {
		t.Fatalf("series %+v", snap)
	}
}

// A handler that panics around the middlewares is logged, counted and
// traced as the 5XX, aborted request it is, not as the 200 nothing was
// written for; the panic goes on to the server.
func TestMiddlewareRecordsAPanic(t *testing.T) {
	var out lines
	l, err := observe.NewAccessLog(observe.AccessLogConfig{Format: `$context.status`, Writer: &out})
	if err != nil {
		t.Fatal(err)
	}
	m := observe.NewMetrics()
	h := l.Middleware(m.Middleware(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") })))
	func() {
		defer func() {
			if p := recover(); p != "boom" {
				t.Errorf("the panic did not go on: %v", p)
			}
		}()
		do(h, "GET", "/x", nil)
	}()
	if got := out.String(); got != "500\n" {
		t.Errorf("log %q", got)
	}
	var fives uint64
	for _, s := range m.Snapshot() {
		fives += s.Errors5XX
	}
	if fives != 1 {
		t.Errorf("5XX count %d", fives)
	}
}
