package integration_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/integration"
	"github.com/gatewaykit/gateway/transform"
)

// seen is what the test backend received.
type seen struct {
	Method, Path, RawPath, Query, Host string
	Header                             http.Header
	Body                               string
}

func newBackend(t *testing.T) (*httptest.Server, *atomic.Int64, chan seen) {
	t.Helper()
	calls := new(atomic.Int64)
	got := make(chan seen, 100)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		b, _ := io.ReadAll(r.Body)
		got <- seen{r.Method, r.URL.Path, r.URL.RawPath, r.URL.RawQuery, r.Host, r.Header.Clone(), string(b)}
		w.Header().Set("X-Backend", "yes")
		w.Header().Set("Connection", "X-Hop")
		w.Header().Set("X-Hop", "should-not-pass")
		w.WriteHeader(201)
		_, _ = w.Write([]byte("from backend"))
	}))
	t.Cleanup(srv.Close)
	return srv, calls, got
}

func deploy(t *testing.T, profile gateway.Profile, vars gateway.StageVariables, routes map[string]http.Handler) *httptest.Server {
	t.Helper()
	api := gateway.New("t", gateway.Config{Profile: profile})
	for k, h := range routes {
		if err := api.Handle(k, h); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := api.Deploy("prod", vars); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	return srv
}

func mustHTTP(t *testing.T, cfg integration.HTTPConfig) *integration.HTTPProxy {
	t.Helper()
	p, err := integration.NewHTTP(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// rawGet sends a request line exactly as given, so paths like /a/../b
// reach the gateway unnormalised.
func rawGet(t *testing.T, srv *httptest.Server, path string) (int, string) {
	t.Helper()
	return rawRequest(t, srv, "GET "+path+" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
}

// rawRequest sends raw as the whole request, headers as written, and
// returns the answer's status and body.
func rawRequest(t *testing.T, srv *httptest.Server, raw string) (int, string) {
	t.Helper()
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_, _ = io.WriteString(conn, raw)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestHTTPProxyForwards(t *testing.T) {
	backend, _, got := newBackend(t)
	gw := deploy(t, gateway.HTTPAPI, gateway.StageVariables{"ver": "v2"}, map[string]http.Handler{
		"ANY /legacy/{proxy+}": mustHTTP(t, integration.HTTPConfig{URI: backend.URL + "/base/${stageVariables.ver}/{proxy}?fixed=1"}),
		"GET /pets/{id}/toys":  mustHTTP(t, integration.HTTPConfig{URI: backend.URL + "/animals/{id}/toys"}),
		"POST /convert":        mustHTTP(t, integration.HTTPConfig{URI: backend.URL + "/c", Method: "PUT"}),
	})

	req, _ := http.NewRequest("POST", gw.URL+"/prod/legacy/a/b%20c?x=1&x=2", strings.NewReader("payload"))
	req.Header.Set("Connection", "X-Secret-Hop")
	req.Header.Set("X-Secret-Hop", "1")
	req.Header.Set("Proxy-Authorization", "Basic Zm9vOmJhcg==")
	req.Header.Set("X-Forwarded-For", "198.51.100.1")
	req.Header.Set("X-Custom", "kept")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 201 || string(body) != "from backend" || resp.Header.Get("X-Backend") != "yes" {
		t.Fatalf("client got %d %q %v", resp.StatusCode, body, resp.Header)
	}
	if resp.Header.Get("X-Hop") != "" {
		t.Error("hop-by-hop response header passed to the client")
	}
	s := <-got
	if s.Method != "POST" || s.Path != "/base/v2/a/b c" || s.Query != "fixed=1&x=1&x=2" || s.Body != "payload" {
		t.Errorf("backend saw %+v", s)
	}
	if s.Header.Get("X-Secret-Hop") != "" || s.Header.Get("Proxy-Authorization") != "" {
		t.Errorf("hop-by-hop request headers passed: %v", s.Header)
	}
	if s.Header.Get("X-Custom") != "kept" || s.Header.Get("X-Forwarded-For") != "198.51.100.1, 127.0.0.1" || s.Header.Get("X-Forwarded-Proto") != "http" || s.Header.Get("X-Forwarded-Port") == "" {
		t.Errorf("forwarding headers: %v", s.Header)
	}
	if !strings.HasPrefix(s.Host, "127.0.0.1:") {
		t.Errorf("Host toward backend = %q", s.Host)
	}

	if code, _ := rawGet(t, gw, "/prod/pets/7/toys"); code != 201 {
		t.Errorf("param route: %d", code)
	}
	if s := <-got; s.Path != "/animals/7/toys" {
		t.Errorf("param substitution: %+v", s)
	}
	resp, err = http.Post(gw.URL+"/prod/convert", "text/plain", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if s := <-got; s.Method != "PUT" {
		t.Errorf("method override: %s", s.Method)
	}
}

func TestHTTPProxyDefaultRouteGetsFullPath(t *testing.T) {
	backend, _, got := newBackend(t)
	api := gateway.New("t")
	if err := api.Handle("$default", mustHTTP(t, integration.HTTPConfig{URI: backend.URL + "/root"})); err != nil {
		t.Fatal(err)
	}
	s, _ := api.Deploy("$default", nil)
	srv := httptest.NewServer(s)
	defer srv.Close()
	if code, _ := rawGet(t, srv, "/store/checkout?step=2"); code != 201 {
		t.Fatalf("status %d", code)
	}
	if s := <-got; s.Path != "/root/store/checkout" || s.Query != "step=2" {
		t.Errorf("backend saw %+v", s)
	}
	// Refused before the proxy: a dot segment matches no route (404).
	if code, _ := rawGet(t, srv, "/store/../../etc/passwd"); code != 404 {
		t.Errorf("traversal through $default: %d", code)
	}
}

func TestHTTPProxyRefusesPathTraversal(t *testing.T) {
	backend, calls, _ := newBackend(t)
	gw := deploy(t, gateway.RESTAPI, nil, map[string]http.Handler{
		"ANY /files/{proxy+}": mustHTTP(t, integration.HTTPConfig{URI: backend.URL + "/public/{proxy}"}),
		"GET /doc/{name}":     mustHTTP(t, integration.HTTPConfig{URI: backend.URL + "/public/docs/{name}"}),
	})
	for _, path := range []string{
		"/prod/files/../secret",
		"/prod/files/a/../../secret",
		"/prod/files/%2e%2e/secret",
		"/prod/files/a/%2E%2E/%2e%2E/secret",
		"/prod/files/..%2Fsecret",
		"/prod/files/a%2F..%2F..%2Fsecret",
		"/prod/files/a%5C..%5Csecret",
		"/prod/files/./x",
		"/prod/doc/..",
		"/prod/doc/%2e%2e",
		"/prod/doc/a%2Fb",
		"/prod/files/a%00b",
	} {
		// A dot segment (once decoded) matches no route (403 on REST);
		// what gets past the router to the proxy, it refuses with 400.
		code, body := rawGet(t, gw, path)
		if code != 400 && code != 403 {
			t.Errorf("%s: %d %s, want 400 or 403", path, code, body)
		}
	}
	if n := calls.Load(); n != 0 {
		t.Errorf("backend called %d times by traversal attempts", n)
	}
	if code, _ := rawGet(t, gw, "/prod/files/ok/..ok/file.txt"); code != 201 {
		t.Errorf("a name merely containing dots was refused: %d", code)
	}

	allow := deploy(t, gateway.RESTAPI, nil, map[string]http.Handler{
		"ANY /files/{proxy+}": mustHTTP(t, integration.HTTPConfig{URI: backend.URL + "/public/{proxy}", AllowEncodedSlashes: true}),
	})
	if code, _ := rawGet(t, allow, "/prod/files/a%2Fb"); code != 201 {
		t.Errorf("AllowEncodedSlashes: %d", code)
	}
	if code, _ := rawGet(t, allow, "/prod/files/%2e%2e/x"); code != 400 && code != 403 {
		t.Errorf("AllowEncodedSlashes still refuses dot segments: %d", code)
	}
}

func TestHTTPProxyBackendFaults(t *testing.T) {
	down, _ := net.Listen("tcp", "127.0.0.1:0")
	downURL := "http://" + down.Addr().String()
	down.Close() // nothing listens there now

	garbage, _ := net.Listen("tcp", "127.0.0.1:0")
	defer garbage.Close()
	go func() {
		for {
			c, err := garbage.Accept()
			if err != nil {
				return
			}
			_, _ = io.WriteString(c, "this is not HTTP\r\n\r\n")
			c.Close()
		}
	}()

	release := make(chan struct{})
	defer close(release)
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()

	tests := []struct {
		name    string
		profile gateway.Profile
		cfg     integration.HTTPConfig
		status  int
		message string
	}{
		{"down REST", gateway.RESTAPI, integration.HTTPConfig{URI: downURL}, 502, "Internal server error"},
		{"down HTTP", gateway.HTTPAPI, integration.HTTPConfig{URI: downURL}, 502, "Bad Gateway"},
		{"garbage", gateway.RESTAPI, integration.HTTPConfig{URI: "http://" + garbage.Addr().String()}, 502, "Internal server error"},
		{"slow REST", gateway.RESTAPI, integration.HTTPConfig{URI: slow.URL, Timeout: 100 * time.Millisecond}, 504, "Endpoint request timed out"},
		{"slow HTTP", gateway.HTTPAPI, integration.HTTPConfig{URI: slow.URL, Timeout: 100 * time.Millisecond}, 503, "Service Unavailable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gw := deploy(t, tt.profile, nil, map[string]http.Handler{"GET /x": mustHTTP(t, tt.cfg)})
			resp, err := http.Get(gw.URL + "/prod/x")
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var m map[string]any
			_ = json.NewDecoder(resp.Body).Decode(&m)
			if resp.StatusCode != tt.status || m["message"] != tt.message {
				t.Errorf("got %d %v, want %d %q", resp.StatusCode, m, tt.status, tt.message)
			}
		})
	}

	// The route's integration timeout applies when the integration sets none.
	api := gateway.New("t", gateway.Config{Profile: gateway.RESTAPI})
	_ = api.Handle("GET /x", mustHTTP(t, integration.HTTPConfig{URI: slow.URL}), gateway.WithTimeout(80*time.Millisecond))
	s, _ := api.Deploy("prod", nil)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
	if rec.Code != 504 {
		t.Errorf("route timeout: %d %s", rec.Code, rec.Body)
	}
}

func TestHTTPProxyBodyTooLarge(t *testing.T) {
	backend, _, _ := newBackend(t)
	gw := deploy(t, gateway.HTTPAPI, nil, map[string]http.Handler{"POST /up": mustHTTP(t, integration.HTTPConfig{URI: backend.URL})})
	// 11 MB, chunked (no Content-Length): the limit trips while streaming.
	pr, pw := io.Pipe()
	go func() {
		chunk := make([]byte, 1<<20)
		for range 11 {
			if _, err := pw.Write(chunk); err != nil {
				return
			}
		}
		pw.Close()
	}()
	req, _ := http.NewRequest("POST", gw.URL+"/prod/up", pr)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 413 {
		b, _ := io.ReadAll(resp.Body)
		t.Errorf("11MB chunked upload: %d %s", resp.StatusCode, b)
	}
}

func TestHTTPProxyStreams(t *testing.T) {
	gotFirstLine := make(chan string, 1)
	release := make(chan struct{})
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "POST" { // upload: the first line arrives while the client still sends
			line, _ := bufio.NewReader(r.Body).ReadString('\n')
			gotFirstLine <- line
			_, _ = io.Copy(io.Discard, r.Body)
			return
		}
		_, _ = w.Write([]byte("one\n")) // download: the first chunk leaves before the rest exists
		w.(http.Flusher).Flush()
		<-release
		_, _ = w.Write([]byte("two\n"))
	}))
	defer backend.Close()
	gw := deploy(t, gateway.HTTPAPI, nil, map[string]http.Handler{"ANY /s": mustHTTP(t, integration.HTTPConfig{URI: backend.URL})})

	pr, pw := io.Pipe()
	req, _ := http.NewRequest("POST", gw.URL+"/prod/s", pr)
	done := make(chan error, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	_, _ = io.WriteString(pw, "first\n")
	if line := <-gotFirstLine; line != "first\n" {
		t.Errorf("backend got %q before the upload finished", line)
	}
	_, _ = io.WriteString(pw, "rest")
	pw.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}

	resp, err := http.Get(gw.URL + "/prod/s")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	r := bufio.NewReader(resp.Body)
	if line, err := r.ReadString('\n'); err != nil || line != "one\n" {
		t.Fatalf("first chunk %q, %v: the response did not stream", line, err)
	}
	close(release)
	if rest, _ := io.ReadAll(r); string(rest) != "two\n" {
		t.Errorf("rest %q", rest)
	}
}

func TestHTTPProxyReusesConnections(t *testing.T) {
	var conns atomic.Int64
	backend := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("ok")) }))
	backend.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	backend.Start()
	defer backend.Close()
	gw := deploy(t, gateway.HTTPAPI, nil, map[string]http.Handler{"GET /x": mustHTTP(t, integration.HTTPConfig{URI: backend.URL})})
	for range 50 {
		resp, err := http.Get(gw.URL + "/prod/x")
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	if n := conns.Load(); n > 2 {
		t.Errorf("50 sequential requests opened %d backend connections", n)
	}
}

func TestHTTPProxyConfigErrors(t *testing.T) {
	for _, uri := range []string{"", "ftp://x/y", "/relative", "http://", "http://x/${stageVariables.}", "http://x/${foo}", "http://x/{", "http://x/${stageVariables.a", "http://x/{}", "http://{host}/a", "http://{sub}.example.com/a", "http://user{x}@example.com/"} {
		if _, err := integration.HTTP(uri); err == nil {
			t.Errorf("HTTP(%q) accepted", uri)
		}
	}
	if _, err := integration.NewHTTP(integration.HTTPConfig{URI: "http://x", Timeout: time.Millisecond}); err == nil {
		t.Error("accepted a 1ms timeout")
	}
	backend, calls, _ := newBackend(t)
	gw := deploy(t, gateway.RESTAPI, gateway.StageVariables{"other": "x"}, map[string]http.Handler{
		"GET /a": mustHTTP(t, integration.HTTPConfig{URI: backend.URL + "/${stageVariables.missing}"}),
		"GET /b": mustHTTP(t, integration.HTTPConfig{URI: backend.URL + "/{notcaptured}"}),
	})
	for _, p := range []string{"/prod/a", "/prod/b"} {
		if code, body := rawGet(t, gw, p); code != 500 || !strings.Contains(body, "Internal server error") {
			t.Errorf("%s: %d %s", p, code, body)
		}
	}
	if calls.Load() != 0 {
		t.Error("backend called despite configuration errors")
	}
}

func TestHTTPProxyStageVariableHost(t *testing.T) {
	backend, _, got := newBackend(t)
	host := strings.TrimPrefix(backend.URL, "http://")
	gw := deploy(t, gateway.HTTPAPI, gateway.StageVariables{"backend": host}, map[string]http.Handler{
		"GET /x": mustHTTP(t, integration.HTTPConfig{URI: "http://${stageVariables.backend}/y"}),
	})
	if code, _ := rawGet(t, gw, "/prod/x"); code != 201 {
		t.Fatalf("status %d", code)
	}
	if s := <-got; s.Path != "/y" {
		t.Errorf("backend saw %+v", s)
	}
}

func TestMock(t *testing.T) {
	api := gateway.New("t")
	_ = api.Handle("GET /m", integration.Mock(202, `{"ok":true}`).WithHeader("X-Mock", "1"))
	_ = api.Handle("GET /empty", integration.Mock(0, ""))
	_ = api.Handle("GET /bad", integration.Mock(42, "x"))
	_ = api.Handle("HEAD /m", integration.Mock(200, "body"))
	s, _ := api.Deploy("prod", nil)
	for _, tc := range []struct {
		method, path string
		status       int
		body, ct     string
	}{
		{"GET", "/m", 202, `{"ok":true}`, "application/json"},
		{"GET", "/empty", 200, "", ""},
		{"GET", "/bad", 500, `{"message":"Internal Server Error"}`, "application/json"},
		{"HEAD", "/m", 200, "", ""},
	} {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(tc.method, tc.path, nil))
		if rec.Code != tc.status || rec.Body.String() != tc.body || (tc.ct != "" && rec.Header().Get("Content-Type") != tc.ct) {
			t.Errorf("%s %s: %d %q %v", tc.method, tc.path, rec.Code, rec.Body, rec.Header())
		}
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", "/m", nil))
	if rec.Header().Get("X-Mock") != "1" {
		t.Error("mock header missing")
	}
}

func TestHandlerWrapsAnyHandler(t *testing.T) {
	api := gateway.New("t")
	_ = api.Handle("ANY /v1/{proxy+}", integration.Handler(http.StripPrefix("/v1", http.FileServerFS(testFS))))
	_, _ = api.Deploy("prod", nil)
	rec := httptest.NewRecorder()
	api.ServeHTTP(rec, httptest.NewRequest("GET", "/prod/v1/hello.txt", nil))
	if rec.Code != 200 || !bytes.Equal(rec.Body.Bytes(), []byte("hello\n")) {
		t.Errorf("file server behind the gateway: %d %q", rec.Code, rec.Body)
	}
}

// Review findings: encoded slashes, when allowed, still cannot smuggle dot
// segments, and a path parameter used in the URI's query string is data.
func TestHTTPProxyEncodedDotsAndQueryParams(t *testing.T) {
	backend, calls, got := newBackend(t)
	allow := deploy(t, gateway.RESTAPI, nil, map[string]http.Handler{
		"ANY /files/{proxy+}": mustHTTP(t, integration.HTTPConfig{URI: backend.URL + "/public/{proxy}", AllowEncodedSlashes: true}),
		"GET /items/{id}":     mustHTTP(t, integration.HTTPConfig{URI: backend.URL + "/x?id={id}&fixed=1"}),
	})
	for _, path := range []string{"/prod/files/a%2F..%2F..%2Fsecret", "/prod/files/..%5Csecret", "/prod/files/a%5C.%5C..%5Cb"} {
		// 403: no route matches a dot segment; 400: the proxy refuses.
		if code, body := rawGet(t, allow, path); code != 400 && code != 403 {
			t.Errorf("%s: %d %s, want 400 or 403", path, code, body)
		}
	}
	if calls.Load() != 0 {
		t.Fatalf("backend reached %d times", calls.Load())
	}
	if code, _ := rawGet(t, allow, "/prod/items/a&admin=true"); code != 201 {
		t.Fatalf("status %d", code)
	}
	if s := <-got; s.Query != "id=a%26admin%3Dtrue&fixed=1" {
		t.Errorf("backend query %q: the parameter value added parameters", s.Query)
	}
}

// The proxy never opens a tunnel: an Upgrade request reaches the backend
// without Upgrade or Connection, so a backend that would switch protocols
// (h2c, WebSocket) answers it as a plain request and nothing further can
// be sent past the gateway's routes on that connection.
func TestHTTPProxyNoUpgradeTunnel(t *testing.T) {
	upgrades := make(chan string, 4)
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		upgrades <- r.Header.Get("Upgrade")
		if r.Header.Get("Upgrade") != "" {
			conn, rw, err := http.NewResponseController(w).Hijack()
			if err != nil {
				return
			}
			defer conn.Close()
			_, _ = rw.WriteString("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n")
			_ = rw.Flush()
			line, _ := rw.ReadString('\n') // a smuggled request, if the tunnel opened
			_, _ = rw.WriteString("ECHO " + line)
			_ = rw.Flush()
			return
		}
		_, _ = io.WriteString(w, "plain")
	}))
	defer backend.Close()
	gw := deploy(t, gateway.RESTAPI, nil, map[string]http.Handler{
		"GET /public/{proxy+}": mustHTTP(t, integration.HTTPConfig{URI: backend.URL + "/public/{proxy}"}),
	})
	// Not rawRequest: a switched connection would leave its body open.
	conn, err := net.Dial("tcp", gw.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_, _ = io.WriteString(conn, "GET /prod/public/x HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode == http.StatusSwitchingProtocols {
		t.Fatal("the gateway switched protocols: a tunnel to the backend is open")
	}
	if up := <-upgrades; up != "" {
		t.Errorf("the backend saw Upgrade %q", up)
	}
}

// X-Forwarded-Port is the port the request came in on, not one the
// client's Host header claims.
func TestHTTPProxyForwardedPortIsTheListeners(t *testing.T) {
	backend, _, got := newBackend(t)
	gw := deploy(t, gateway.RESTAPI, nil, map[string]http.Handler{
		"GET /x": mustHTTP(t, integration.HTTPConfig{URI: backend.URL + "/x"}),
	})
	rawRequest(t, gw, "GET /prod/x HTTP/1.1\r\nHost: x:6666\r\nConnection: close\r\n\r\n")
	_, port, _ := net.SplitHostPort(gw.Listener.Addr().String())
	if s := <-got; s.Header.Get("X-Forwarded-Port") != port {
		t.Errorf("X-Forwarded-Port %q, want the listener's %s", s.Header.Get("X-Forwarded-Port"), port)
	}
}

// A custom (non-proxy) HTTP integration's URI parameters stay in their
// place: a value in the query is data ('&' adds no parameter), a greedy
// value keeps its slashes as separators, and a value with a dot segment
// (however it arrived) never reaches the backend.
func TestCustomHTTPURIParameters(t *testing.T) {
	backend, calls, got := newBackend(t)
	h, err := integration.NewCustomHTTP(integration.CustomHTTPConfig{
		URI: backend.URL + "/public/{p}?id={id}&fixed=1",
		Mapping: transform.MappingConfig{RequestParameters: map[string]string{
			"integration.request.path.p":  "method.request.path.proxy",
			"integration.request.path.id": "method.request.querystring.id",
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	gw := deploy(t, gateway.RESTAPI, nil, map[string]http.Handler{"GET /f/{proxy+}": h})
	if code, body := rawGet(t, gw, "/prod/f/a/b%20c?id=x%26admin%3Dtrue"); code != 200 { // the default integration response
		t.Fatalf("%d %s", code, body)
	}
	if s := <-got; s.Path != "/public/a/b c" || s.Query != "id=x%26admin%3Dtrue&fixed=1" {
		t.Errorf("backend saw path %q query %q", s.Path, s.Query)
	}
	for _, path := range []string{"/prod/f/a/..%2F..%2Fsecret?id=1", "/prod/f/a%2F..%2Fsecret?id=1", "/prod/f/a%5C..%5Csecret?id=1"} {
		if code, body := rawGet(t, gw, path); code < 400 {
			t.Errorf("%s: %d %s", path, code, body)
		}
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("backend called %d times", n)
	}
}

func TestHTTPProxyResponseBound(t *testing.T) {
	const bound = 1024
	chunk := strings.Repeat("x", bound/2)
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/declared": // a Content-Length over the bound
			w.Header().Set("Content-Length", "2048")
			_, _ = io.WriteString(w, chunk+chunk+chunk+chunk)
		case "/huge": // over the default bound, declared up front
			w.Header().Set("Content-Length", fmt.Sprint(gateway.DefaultMaxRequestBytes+1))
			_, _ = io.CopyN(w, zeros{}, gateway.DefaultMaxRequestBytes+1)
		case "/streamed", "/exact": // no length up front: chunked
			n := 4
			if r.URL.Path == "/exact" {
				n = 2
			}
			for range n {
				_, _ = io.WriteString(w, chunk)
				w.(http.Flusher).Flush()
			}
		}
	}))
	defer backend.Close()
	bounded := mustHTTP(t, integration.HTTPConfig{URI: backend.URL + "/{p}", MaxResponseBytes: bound})
	gw := deploy(t, gateway.RESTAPI, nil, map[string]http.Handler{
		"ANY /b/{p}": bounded,
		"GET /d/{p}": mustHTTP(t, integration.HTTPConfig{URI: backend.URL + "/{p}"}),
		"GET /u/{p}": mustHTTP(t, integration.HTTPConfig{URI: backend.URL + "/{p}", MaxResponseBytes: -1}),
	})
	get := func(path string) (int, string, error) {
		t.Helper()
		resp, err := http.Get(gw.URL + "/prod" + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), err
	}

	// Declared over the bound: refused before anything reaches the client.
	for _, path := range []string{"/b/declared", "/d/huge"} {
		if code, body, err := get(path); code != 502 || body != `{"message": "Internal server error"}` || err != nil {
			t.Errorf("%s: %d, %d bytes (%.40q), %v; want the 502 answer", path, code, len(body), body, err)
		}
	}
	// Streamed past the bound: cut there, and the answer is seen to break
	// off rather than end.
	code, body, err := get("/b/streamed")
	if code != 200 || err == nil || len(body) > bound {
		t.Errorf("streamed past the bound: %d, %d bytes, error %v; want a 200 cut off within %d bytes", code, len(body), err, bound)
	}
	// Up to the bound, and without one, the body passes whole.
	if code, body, err := get("/b/exact"); code != 200 || len(body) != bound || err != nil {
		t.Errorf("exactly the bound: %d, %d bytes, %v", code, len(body), err)
	}
	if code, body, err := get("/u/streamed"); code != 200 || len(body) != 2*bound || err != nil {
		t.Errorf("unbounded: %d, %d bytes, %v", code, len(body), err)
	}
	if code, body, err := get("/u/declared"); code != 200 || len(body) != 2*bound || err != nil {
		t.Errorf("unbounded, declared: %d, %d bytes, %v", code, len(body), err)
	}
	// A HEAD answer declares the length of a body it does not carry.
	resp, err := http.Head(gw.URL + "/prod/b/declared")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.ContentLength != 2048 {
		t.Errorf("HEAD: %d, Content-Length %d; want 200 and the backend's 2048", resp.StatusCode, resp.ContentLength)
	}
}

// zeros reads as an endless run of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
