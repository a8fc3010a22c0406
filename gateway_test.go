package gateway_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"path"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/integration"
)

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

func mustHandle(t testing.TB, api *gateway.API, key string, h http.Handler, opts ...gateway.RouteOption) {
	t.Helper()
	if err := api.Handle(key, h, opts...); err != nil {
		t.Fatalf("Handle(%q): %v", key, err)
	}
}

func mustDeploy(t testing.TB, api *gateway.API, stage string, vars gateway.StageVariables) *gateway.Stage {
	t.Helper()
	s, err := api.Deploy(stage, vars)
	if err != nil {
		t.Fatalf("Deploy(%q): %v", stage, err)
	}
	return s
}

func serve(h http.Handler, method, target string, body io.Reader) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, target, body))
	return rec
}

func jsonBody(t testing.TB, rec *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		t.Fatalf("body %q is not JSON: %v", rec.Body.String(), err)
	}
	return m
}

// echo answers with the RequestContext fields tests look at.
var echo = integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	rc := gateway.RequestContextFrom(r.Context())
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"routeKey":     rc.RouteKey,
		"resourcePath": rc.ResourcePath,
		"stage":        rc.Stage,
		"path":         rc.Path,
		"urlPath":      r.URL.Path,
		"params":       rc.PathParameters.Map(),
		"vars":         rc.StageVariables,
		"basePath":     rc.BasePathMatched,
		"apiName":      rc.API().Name(),
	})
})

func TestUnmatchedRouteByProfile(t *testing.T) {
	tests := []struct {
		profile    gateway.Profile
		status     int
		message    string
		idHeader   string
		idPattern  string
		errorType  string
		extendedID bool
	}{
		{gateway.HTTPAPI, 404, "Not Found", "Apigw-Requestid", `^[A-Za-z0-9+/]{15}=$`, "", false},
		{gateway.RESTAPI, 403, "Missing Authentication Token", "X-Amzn-Requestid", `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, "MissingAuthenticationTokenException", true},
	}
	for _, tt := range tests {
		t.Run(tt.profile.String(), func(t *testing.T) {
			api := gateway.New("t", gateway.Config{Profile: tt.profile})
			mustHandle(t, api, "GET /pets", integration.Mock(200, `[]`))
			s := mustDeploy(t, api, "prod", nil)
			for _, target := range []string{"/nope", "/pets/1"} {
				rec := serve(s, "GET", target, nil)
				if rec.Code != tt.status || jsonBody(t, rec)["message"] != tt.message {
					t.Errorf("GET %s = %d %s, want %d %q", target, rec.Code, rec.Body, tt.status, tt.message)
				}
				if id := rec.Header().Get(tt.idHeader); !regexp.MustCompile(tt.idPattern).MatchString(id) {
					t.Errorf("%s = %q, want match %s", tt.idHeader, id, tt.idPattern)
				}
				if got := rec.Header().Get("X-Amzn-Errortype"); got != tt.errorType {
					t.Errorf("x-amzn-ErrorType = %q, want %q", got, tt.errorType)
				}
				if got := rec.Header().Get("X-Amz-Apigw-Id") != ""; got != tt.extendedID {
					t.Errorf("x-amz-apigw-id present = %v, want %v", got, tt.extendedID)
				}
			}
			// method mismatch on an existing path is "no route" too
			if rec := serve(s, "POST", "/pets", nil); rec.Code != tt.status {
				t.Errorf("POST /pets = %d, want %d", rec.Code, tt.status)
			}
		})
	}
}

func TestRequestIDsAreUnique(t *testing.T) {
	api := gateway.New("t")
	mustHandle(t, api, "GET /", integration.Mock(200, ""))
	s := mustDeploy(t, api, "$default", nil)
	seen := map[string]bool{}
	for range 2000 {
		id := serve(s, "GET", "/", nil).Header().Get("Apigw-Requestid")
		if seen[id] {
			t.Fatalf("request id %q repeated", id)
		}
		seen[id] = true
	}
}

func TestRESTAcceptsClientRequestIDOnlyIfUUID(t *testing.T) {
	api := gateway.New("t", gateway.Config{Profile: gateway.RESTAPI})
	mustHandle(t, api, "GET /", integration.Mock(200, ""))
	s := mustDeploy(t, api, "prod", nil)
	for _, tc := range []struct {
		sent string
		keep bool
	}{{"6f1c4e1e-2a3b-4c5d-8e9f-0a1b2c3d4e5f", true}, {"not-a-uuid", false}, {"x\r\nSet-Cookie: a=b", false}} {
		req := httptest.NewRequest("GET", "/", nil)
		req.Header.Set("X-Amzn-Requestid", tc.sent)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		got := rec.Header().Get("X-Amzn-Requestid")
		if (got == tc.sent) != tc.keep {
			t.Errorf("sent %q, got %q, keep=%v", tc.sent, got, tc.keep)
		}
	}
}

func TestRequestContext(t *testing.T) {
	now := time.Date(2026, 3, 12, 19, 3, 58, 123e6, time.UTC)
	api := gateway.New("pets", gateway.Config{ID: "a1b2c3d4e5", AccountID: "111122223333"}, gateway.WithClock(fixedClock{now}))
	var got *gateway.RequestContext
	mustHandle(t, api, "GET /pets/{id}/toys/{toy}", integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = gateway.RequestContextFrom(r.Context())
	}))
	s := mustDeploy(t, api, "prod", gateway.StageVariables{"env": "prod"})
	req := httptest.NewRequest("GET", "http://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com:443/prod/pets/7/toys/ball%2Bred?x=1", nil)
	req.RemoteAddr = "192.0.2.10:5555"
	req.Header.Set("User-Agent", "curl/8")
	rec := httptest.NewRecorder()
	api.ServeHTTP(rec, req)
	if rec.Code != 200 || got == nil {
		t.Fatalf("status %d, context %v", rec.Code, got)
	}
	checks := map[string]string{
		"requestId":          rec.Header().Get("Apigw-Requestid"),
		"extendedRequestId":  rec.Header().Get("Apigw-Requestid"),
		"apiId":              "a1b2c3d4e5",
		"accountId":          "111122223333",
		"stage":              "prod",
		"deploymentId":       s.Deployment().ID(),
		"routeKey":           "GET /pets/{id}/toys/{toy}",
		"resourcePath":       "/pets/{id}/toys/{toy}",
		"httpMethod":         "GET",
		"path":               "/prod/pets/7/toys/ball%2Bred", // as sent, as AWS keeps it [obs]
		"protocol":           "HTTP/1.1",
		"domainName":         "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com",
		"domainPrefix":       "a1b2c3d4e5",
		"requestTime":        "12/Mar/2026:19:03:58 +0000",
		"requestTimeEpoch":   "1773342238123",
		"identity.sourceIp":  "192.0.2.10",
		"identity.userAgent": "curl/8",
		"status":             "200",
	}
	for name, want := range checks {
		if v, _ := got.Value(name); v != want {
			t.Errorf("$context.%s = %q, want %q", name, v, want)
		}
	}
	if v, _ := got.PathParameters.Get("toy"); v != "ball+red" {
		t.Errorf("path parameter toy = %q, want decoded ball+red (HTTP API decodes)", v)
	}
	if got.StageVariables["env"] != "prod" {
		t.Errorf("stage variables = %v", got.StageVariables)
	}
	if gateway.RequestContextFrom(req.Context()) != nil {
		t.Error("the caller's request was modified")
	}
}

func TestPathDecodingSetting(t *testing.T) {
	tests := []struct {
		cfg  gateway.Config
		want string
	}{
		{gateway.Config{}, "a+b/c"},
		{gateway.Config{Profile: gateway.RESTAPI}, "a%2Bb%2Fc"},
		{gateway.Config{Profile: gateway.RESTAPI, PathDecoding: gateway.PathDecodingDecode}, "a+b/c"},
		{gateway.Config{PathDecoding: gateway.PathDecodingRaw}, "a%2Bb%2Fc"},
	}
	for _, tt := range tests {
		api := gateway.New("t", tt.cfg)
		var got string
		mustHandle(t, api, "GET /x/{id}", integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			got, _ = gateway.RequestContextFrom(r.Context()).PathParameters.Get("id")
		}))
		s := mustDeploy(t, api, "prod", nil)
		if rec := serve(s, "GET", "/x/a%2Bb%2Fc", nil); rec.Code != 200 || got != tt.want {
			t.Errorf("%+v: status %d, id = %q, want %q", tt.cfg, rec.Code, got, tt.want)
		}
	}
}

func TestTrustedProxies(t *testing.T) {
	lb := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("2001:db8::/32")}
	tests := []struct {
		name    string
		trusted []netip.Prefix
		peer    string
		xff     []string
		want    string
	}{
		{"no trust ignores header", nil, "203.0.113.5:1", []string{"1.2.3.4"}, "203.0.113.5"},
		{"untrusted peer ignored", lb, "203.0.113.5:1", []string{"1.2.3.4"}, "203.0.113.5"},
		{"trusted peer", lb, "10.1.1.1:1", []string{"198.51.100.7"}, "198.51.100.7"},
		{"spoofed left entries skipped", lb, "10.1.1.1:1", []string{"6.6.6.6, 198.51.100.7"}, "198.51.100.7"},
		{"chain of trusted proxies", lb, "10.1.1.1:1", []string{"198.51.100.7, 10.2.2.2"}, "198.51.100.7"},
		{"multiple header lines", lb, "10.1.1.1:1", []string{"6.6.6.6", "198.51.100.7"}, "198.51.100.7"},
		{"ipv6", lb, "[2001:db8::1]:1", []string{"2001:db8:ffff::9, 2606:4700::1"}, "2606:4700::1"},
		{"garbage stops", lb, "10.1.1.1:1", []string{"198.51.100.7, not-an-ip"}, "10.1.1.1"},
		{"all trusted", lb, "10.1.1.1:1", []string{"10.3.3.3"}, "10.3.3.3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := gateway.New("t", gateway.Config{TrustedProxies: tt.trusted})
			var got string
			mustHandle(t, api, "GET /", integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				got = gateway.RequestContextFrom(r.Context()).Identity.SourceIP
			}))
			s := mustDeploy(t, api, "$default", nil)
			req := httptest.NewRequest("GET", "/", nil)
			req.RemoteAddr = tt.peer
			for _, v := range tt.xff {
				req.Header.Add("X-Forwarded-For", v)
			}
			s.ServeHTTP(httptest.NewRecorder(), req)
			if got != tt.want {
				t.Errorf("sourceIp = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestExecuteAPIStages(t *testing.T) {
	api := gateway.New("t")
	mustHandle(t, api, "GET /pets/{id}", echo)
	mustDeploy(t, api, "prod", gateway.StageVariables{"v": "1"})
	mustDeploy(t, api, "dev", gateway.StageVariables{"v": "2"})

	for _, tc := range []struct {
		target, stage, urlPath, path string
	}{
		{"/prod/pets/1", "prod", "/pets/1", "/prod/pets/1"},
		{"/dev/pets/1", "dev", "/pets/1", "/dev/pets/1"},
		{"//prod/pets/1", "prod", "/pets/1", "/prod/pets/1"}, // AWS reports /stage/... [obs]
	} {
		rec := serve(api, "GET", tc.target, nil)
		if rec.Code != 200 {
			t.Fatalf("GET %s = %d %s", tc.target, rec.Code, rec.Body)
		}
		b := jsonBody(t, rec)
		if b["stage"] != tc.stage || b["urlPath"] != tc.urlPath || b["path"] != tc.path {
			t.Errorf("GET %s: %v", tc.target, b)
		}
	}
	if rec := serve(api, "GET", "/staging/pets/1", nil); rec.Code != 404 {
		t.Errorf("unknown stage = %d, want 404", rec.Code)
	}
	if rec := serve(api, "GET", "/pets/1", nil); rec.Code != 404 {
		t.Errorf("no $default stage = %d, want 404", rec.Code)
	}
	mustDeploy(t, api, "$default", nil)
	rec := serve(api, "GET", "/pets/1", nil)
	if rec.Code != 200 || jsonBody(t, rec)["stage"] != "$default" {
		t.Errorf("$default stage: %d %s", rec.Code, rec.Body)
	}
	if rec := serve(api, "GET", "/$default/pets/1", nil); rec.Code != 404 {
		t.Errorf("$default is not addressable by name: %d", rec.Code)
	}

	rest := gateway.New("r", gateway.Config{Profile: gateway.RESTAPI})
	mustHandle(t, rest, "GET /pets/{id}", echo)
	if _, err := rest.Deploy("$default", nil); err == nil {
		t.Error("REST API accepted a $default stage")
	}
	mustDeploy(t, rest, "prod", nil)
	if rec := serve(rest, "GET", "/pets/1", nil); rec.Code != 403 {
		t.Errorf("REST without stage segment = %d, want 403", rec.Code)
	}
}

func TestStageVariablesValidation(t *testing.T) {
	api := gateway.New("t")
	mustHandle(t, api, "GET /", integration.Mock(200, ""))
	for _, vars := range []gateway.StageVariables{
		{"bad-name": "x"}, {"": "x"}, {"ok": ""}, {"ok": "has space"}, {"ok": strings.Repeat("a", 513)}, {strings.Repeat("n", 65): "x"},
	} {
		if _, err := api.Deploy("prod", vars); err == nil {
			t.Errorf("Deploy accepted %v", vars)
		}
	}
	s, err := api.Deploy("prod", gateway.StageVariables{"url": "https://backend.example.com:8443/v1?x=1&y=2", "alias": "live"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetVariables(gateway.StageVariables{"x": "a b"}); err == nil {
		t.Error("SetVariables accepted a space")
	}
	for _, name := range []string{"", "has space", "a/b", strings.Repeat("s", 129)} {
		if _, err := api.Deploy(name, nil); err == nil {
			t.Errorf("Deploy accepted stage name %q", name)
		}
	}
}

// TestRedeployUnderLoad redeploys and rolls back a stage in a loop while
// clients hammer it: every request must succeed and see one whole
// deployment, never a mix or a missing route.
func TestRedeployUnderLoad(t *testing.T) {
	api := gateway.New("t")
	version := func(v string) http.Handler { return integration.Mock(200, v) }
	mustHandle(t, api, "GET /a", version("v1"))
	mustHandle(t, api, "GET /b", version("v1"))
	stage := mustDeploy(t, api, "prod", nil)
	first := stage.Deployment()

	// A second deployment with one more route: /c exists in it only.
	mustHandle(t, api, "GET /c", version("v2"))
	d2, err := api.CreateDeployment("adds /c")
	if err != nil {
		t.Fatal(err)
	}

	srv := httptest.NewServer(api)
	defer srv.Close()
	stop := make(chan struct{})
	var failures, requests atomic.Int64
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				for _, p := range []string{"/prod/a", "/prod/b", "/prod/c"} {
					requests.Add(1)
					resp, err := srv.Client().Get(srv.URL + p)
					if err != nil {
						failures.Add(1)
						continue
					}
					b, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					ok := resp.StatusCode == 200 && string(b) == "v1"
					if p == "/prod/c" { // either deployment: v2, or not there yet
						ok = resp.StatusCode == 200 && string(b) == "v2" || resp.StatusCode == 404
					}
					if !ok {
						failures.Add(1)
					}
				}
			}
		}()
	}
	for i := 0; requests.Load() < 3000 || i < 300; i++ {
		if i%3 == 0 {
			if _, err := api.Deploy("prod", nil); err != nil { // a fresh compile
				t.Error(err)
			}
		}
		if err := stage.SetDeployment(first); err != nil { // roll back
			t.Error(err)
		}
		if err := stage.SetDeployment(d2); err != nil {
			t.Error(err)
		}
	}
	close(stop)
	wg.Wait()
	if n := failures.Load(); n != 0 {
		t.Fatalf("%d requests failed during redeploys", n)
	}
}

func TestRedeployChangesRoutesAtomically(t *testing.T) {
	api := gateway.New("t")
	mustHandle(t, api, "GET /old", integration.Mock(200, "old"))
	stage := mustDeploy(t, api, "prod", nil)
	v1 := stage.Deployment()
	mustHandle(t, api, "GET /new", integration.Mock(200, "new"))
	if rec := serve(stage, "GET", "/new", nil); rec.Code != 404 {
		t.Errorf("undeployed route served: %d", rec.Code)
	}
	mustDeploy(t, api, "prod", nil)
	if rec := serve(stage, "GET", "/new", nil); rec.Code != 200 || rec.Body.String() != "new" {
		t.Errorf("after redeploy: %d %q", rec.Code, rec.Body)
	}
	if err := stage.SetDeployment(v1); err != nil {
		t.Fatal(err)
	}
	if rec := serve(stage, "GET", "/new", nil); rec.Code != 404 {
		t.Errorf("after rollback /new = %d, want 404", rec.Code)
	}
	if got := len(api.Deployments()); got != 2 {
		t.Errorf("deployments = %d, want 2", got)
	}
	other := gateway.New("other")
	mustHandle(t, other, "GET /x", integration.Mock(200, ""))
	od, _ := other.CreateDeployment("")
	if err := stage.SetDeployment(od); err == nil {
		t.Error("stage accepted another API's deployment")
	}
}

func TestIntegrationTimeout(t *testing.T) {
	tests := []struct {
		profile gateway.Profile
		stage   string
		status  int
		message string
	}{
		{gateway.RESTAPI, "/prod", 504, "Endpoint request timed out"},
		{gateway.HTTPAPI, "/prod", 503, "Service Unavailable"},
	}
	for _, tt := range tests {
		t.Run(tt.profile.String(), func(t *testing.T) {
			release := make(chan struct{})
			finished := make(chan struct{})
			api := gateway.New("t", gateway.Config{Profile: tt.profile})
			mustHandle(t, api, "GET /slow", integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				defer close(finished)
				<-release // ignores its context, as badly written handlers do
				w.Header().Set("X-Late", "1")
				_, err := w.Write([]byte("late"))
				if err == nil {
					t.Error("a write after the timeout succeeded")
				}
			}), gateway.WithTimeout(50*time.Millisecond))
			mustDeploy(t, api, "prod", nil)
			srv := httptest.NewServer(api)
			defer srv.Close()
			// The client gets the answer at the deadline, while the
			// integration is still stuck.
			resp, err := http.Get(srv.URL + tt.stage + "/slow")
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			close(release)
			<-finished
			var m map[string]any
			_ = json.Unmarshal(b, &m)
			if resp.StatusCode != tt.status || m["message"] != tt.message {
				t.Errorf("got %d %s, want %d %q", resp.StatusCode, b, tt.status, tt.message)
			}
			if resp.Header.Get("X-Late") != "" {
				t.Error("late header leaked into the response")
			}
		})
	}
}

func TestTimeoutValidation(t *testing.T) {
	api := gateway.New("t")
	if err := api.Handle("GET /", integration.Mock(200, ""), gateway.WithTimeout(10*time.Millisecond)); err == nil {
		t.Error("accepted a 10ms route timeout")
	}
	bad := gateway.New("t", gateway.Config{IntegrationTimeout: time.Millisecond})
	mustHandle(t, bad, "GET /", integration.Mock(200, ""))
	if _, err := bad.Deploy("prod", nil); err == nil {
		t.Error("deployed with a 1ms integration timeout")
	}
}

func TestPanicRecovery(t *testing.T) {
	for _, profile := range []gateway.Profile{gateway.HTTPAPI, gateway.RESTAPI} {
		t.Run(profile.String(), func(t *testing.T) {
			var logs bytes.Buffer
			logger := slog.New(slog.NewJSONHandler(&logs, nil))
			api := gateway.New("t", gateway.Config{Profile: profile}, gateway.WithLogger(logger))
			mustHandle(t, api, "GET /boom", integration.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("kaboom") }))
			mustHandle(t, api, "GET /mw", integration.Mock(200, "ok"), gateway.WithMiddleware(gateway.PhaseAuthorize, func(http.Handler) http.Handler {
				return http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("middleware kaboom") })
			}))
			mustHandle(t, api, "GET /ok", integration.Mock(200, "ok"))
			s := mustDeploy(t, api, "prod", nil)
			srv := httptest.NewServer(s)
			defer srv.Close()
			want := map[gateway.Profile]string{gateway.HTTPAPI: "Internal Server Error", gateway.RESTAPI: "Internal server error"}[profile]
			for _, p := range []string{"/boom", "/mw"} {
				resp, err := http.Get(srv.URL + p)
				if err != nil {
					t.Fatal(err)
				}
				var m map[string]any
				_ = json.NewDecoder(resp.Body).Decode(&m)
				resp.Body.Close()
				if resp.StatusCode != 500 || m["message"] != want {
					t.Errorf("%s: %d %v", p, resp.StatusCode, m)
				}
				id := resp.Header.Get("Apigw-Requestid") + resp.Header.Get("X-Amzn-Requestid")
				if !strings.Contains(logs.String(), id) || !strings.Contains(logs.String(), "kaboom") {
					t.Errorf("panic not logged with request id %s: %s", id, logs.String())
				}
			}
			resp, err := http.Get(srv.URL + "/ok")
			if err != nil || resp.StatusCode != 200 {
				t.Fatalf("server stopped serving after a panic: %v", err)
			}
			resp.Body.Close()
		})
	}
}

func TestRequestTooLarge(t *testing.T) {
	var read atomic.Int64
	api := gateway.New("t", gateway.Config{MaxRequestBytes: 1 << 20})
	mustHandle(t, api, "POST /upload", integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, err := io.Copy(io.Discard, r.Body)
		read.Add(n)
		if err != nil {
			gateway.WriteError(w, r, err)
			return
		}
		w.WriteHeader(200)
	}))
	s := mustDeploy(t, api, "prod", nil)

	// Declared too large: refused before the integration runs.
	body := &countingReader{r: bytes.NewReader(make([]byte, 2<<20))}
	req := httptest.NewRequest("POST", "/upload", body)
	req.ContentLength = 2 << 20
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != 413 || body.n != 0 || read.Load() != 0 {
		t.Errorf("declared 2MB: %d %s, gateway read %d bytes, integration %d", rec.Code, rec.Body, body.n, read.Load())
	}

	// Chunked too large: the integration's read fails and the answer is 413.
	req = httptest.NewRequest("POST", "/upload", io.MultiReader(bytes.NewReader(make([]byte, 2<<20))))
	req.ContentLength = -1
	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != 413 || read.Load() > 1<<20 {
		t.Errorf("chunked 2MB: %d %s, integration read %d", rec.Code, rec.Body, read.Load())
	}

	// Within the limit: fine.
	rec = serve(s, "POST", "/upload", bytes.NewReader(make([]byte, 1000)))
	if rec.Code != 200 {
		t.Errorf("1000 bytes: %d", rec.Code)
	}
}

func TestDefaultMaxRequestBytesIs10MB(t *testing.T) {
	api := gateway.New("t")
	called := false
	mustHandle(t, api, "POST /", integration.HandlerFunc(func(http.ResponseWriter, *http.Request) { called = true }))
	s := mustDeploy(t, api, "prod", nil)
	srv := httptest.NewServer(s)
	defer srv.Close()
	body := &countingReader{r: bytes.NewReader(make([]byte, 11<<20))}
	req, _ := http.NewRequest("POST", srv.URL+"/", body)
	req.ContentLength = 11 << 20
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 413 || called {
		t.Errorf("11MB: %d, integration called %v", resp.StatusCode, called)
	}
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func TestMiddlewarePhaseOrder(t *testing.T) {
	var order []string
	mark := func(name string) gateway.Middleware {
		return func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				order = append(order, name)
				next.ServeHTTP(w, r)
			})
		}
	}
	api := gateway.New("t")
	api.Use(gateway.PhaseCache, mark("api-cache"))
	api.Use(gateway.PhaseObserve, mark("api-observe"))
	mustHandle(t, api, "GET /", integration.HandlerFunc(func(http.ResponseWriter, *http.Request) { order = append(order, "integration") }),
		gateway.WithMiddleware(gateway.PhaseThrottle, mark("route-throttle")),
		gateway.WithMiddleware(gateway.PhaseAuthorize, mark("route-auth")),
		gateway.WithMiddleware(gateway.PhaseCache, mark("route-cache")))
	s := mustDeploy(t, api, "prod", nil)
	serve(s, "GET", "/", nil)
	want := "api-observe route-auth route-throttle api-cache route-cache integration"
	if got := strings.Join(order, " "); got != want {
		t.Errorf("order = %s, want %s", got, want)
	}
}

func TestRejectionStopsBeforeIntegration(t *testing.T) {
	called := false
	deny := func(http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			gateway.WriteError(w, r, gateway.ResponseThrottled)
		})
	}
	for _, p := range []gateway.Profile{gateway.HTTPAPI, gateway.RESTAPI} {
		api := gateway.New("t", gateway.Config{Profile: p})
		mustHandle(t, api, "GET /", integration.HandlerFunc(func(http.ResponseWriter, *http.Request) { called = true }),
			gateway.WithMiddleware(gateway.PhaseThrottle, deny))
		s := mustDeploy(t, api, "prod", nil)
		rec := serve(s, "GET", "/", nil)
		if rec.Code != 429 || jsonBody(t, rec)["message"] != "Too Many Requests" || called {
			t.Errorf("%v: %d %s called=%v", p, rec.Code, rec.Body, called)
		}
	}
}

func TestHandlerSeesPathWithoutStage(t *testing.T) {
	api := gateway.New("t")
	mustHandle(t, api, "ANY /files/{proxy+}", echo)
	mustDeploy(t, api, "v1", nil)
	rec := serve(api, "GET", "/v1/files/a/b%20c.txt?x=1", nil)
	b := jsonBody(t, rec)
	if b["urlPath"] != "/files/a/b c.txt" || b["resourcePath"] != "/files/{proxy+}" {
		t.Errorf("got %v", b)
	}
	if p := b["params"].(map[string]any)["proxy"]; p != "a/b c.txt" {
		t.Errorf("proxy = %v", p)
	}
}

func TestDefaultRoute(t *testing.T) {
	api := gateway.New("t")
	mustHandle(t, api, "GET /pets", integration.Mock(200, "pets"))
	mustHandle(t, api, "$default", echo)
	s := mustDeploy(t, api, "prod", nil)
	rec := serve(s, "DELETE", "/store/checkout", nil)
	b := jsonBody(t, rec)
	if b["routeKey"] != "$default" || b["urlPath"] != "/store/checkout" {
		t.Errorf("got %v", b)
	}
	if rec := serve(s, "GET", "/pets", nil); rec.Body.String() != "pets" {
		t.Errorf("specific route lost to $default: %s", rec.Body)
	}
	rest := gateway.New("r", gateway.Config{Profile: gateway.RESTAPI})
	if err := rest.Handle("$default", echo); err == nil {
		t.Error("REST API accepted a $default route")
	}
}

func TestStreamingThroughStage(t *testing.T) {
	api := gateway.New("t")
	first := make(chan struct{})
	mustHandle(t, api, "GET /stream", integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("one\n"))
		if err := http.NewResponseController(w).Flush(); err != nil {
			t.Errorf("flush through the gateway: %v", err)
		}
		<-first
		_, _ = w.Write([]byte("two\n"))
	}))
	s := mustDeploy(t, api, "prod", nil)
	srv := httptest.NewServer(s)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/stream")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	buf := make([]byte, 4)
	if _, err := io.ReadFull(resp.Body, buf); err != nil || string(buf) != "one\n" {
		t.Fatalf("first chunk %q before the handler finished: %v", buf, err)
	}
	close(first)
	rest, _ := io.ReadAll(resp.Body)
	if string(rest) != "two\n" {
		t.Errorf("rest %q", rest)
	}
}

func newReq(method, target string) *http.Request { return httptest.NewRequest(method, target, nil) }

func serveReq(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec
}

// The REST Lambda-proxy table of the reference: repeated slashes after the
// stage do not reach the greedy parameter.
func TestDoubleSlashAfterStage(t *testing.T) {
	api := gateway.New("t", gateway.Config{Profile: gateway.RESTAPI})
	mustHandle(t, api, "ANY /{proxy+}", echo)
	mustDeploy(t, api, "stage", nil)
	for target, want := range map[string]string{
		"/stage//proxy-value":              "proxy-value",
		"/stage/proxy-value//double-slash": "proxy-value//double-slash",
		"//stage/proxy-value":              "proxy-value",
		"/stage/proxy-value/":              "proxy-value",
	} {
		rec := serve(api, "GET", target, nil)
		if got := jsonBody(t, rec)["params"].(map[string]any)["proxy"]; got != want {
			t.Errorf("%s: proxy = %v, want %q", target, got, want)
		}
	}
}

// TestDotSegmentsMatchNoRoute: a path with a dot segment, sent as is,
// percent-encoded or made by an encoded slash, matches no route, so a
// public catch-all cannot serve what an integration that cleans its path
// would read as a protected route.
func TestDotSegmentsMatchNoRoute(t *testing.T) {
	api := gateway.New("t", gateway.Config{Profile: gateway.RESTAPI})
	deny := gateway.WithMiddleware(gateway.PhaseAuthorize, func(http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { gateway.WriteError(w, r, gateway.ResponseAccessDenied) })
	})
	mustHandle(t, api, "GET /admin", integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "admin") }), deny)
	mustHandle(t, api, "ANY /{proxy+}", integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "public "+path.Clean(r.URL.Path))
	}))
	mustDeploy(t, api, "prod", nil)
	for _, target := range []string{"/prod/./admin", "/prod/x/../admin", "/prod/x/%2e%2e/admin", "/prod/x/..%2Fadmin", "/prod/x/%2E/admin"} {
		rec := serve(api, "GET", target, nil)
		if rec.Code != 403 || strings.Contains(rec.Body.String(), "public") {
			t.Errorf("%s: %d %s", target, rec.Code, rec.Body)
		}
	}
	if rec := serve(api, "GET", "/prod/files/a.b/..c/x", nil); rec.Code != 200 || rec.Body.String() != "public /files/a.b/..c/x" {
		t.Errorf("dots inside names: %d %s", rec.Code, rec.Body)
	}
}
