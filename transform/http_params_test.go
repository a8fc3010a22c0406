package transform_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/gatewaytest"
	"github.com/gatewaykit/gateway/integration"
	"github.com/gatewaykit/gateway/transform"
)

// seenRequest echoes what the integration received.
var seenRequest = integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Backend-Version", "7")
	w.Header().Set("X-Internal", "secret")
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(map[string]any{"path": r.URL.Path, "query": r.URL.RawQuery, "tenant": r.Header.Get("X-Tenant"),
		"auth": r.Header.Get("X-Auth"), "user": r.Header.Get("X-User"), "drop": r.Header.Get("X-Drop"), "multi": r.Header.Values("X-Multi")})
})

// TestHTTPParameters: an HTTP API's request and response parameter
// mappings, with every source kind, concatenation, and a status override.
func TestHTTPParameters(t *testing.T) {
	m, err := transform.NewHTTPParameters(transform.HTTPParameterConfig{
		Request: map[string]string{
			"overwrite:path":             "/v2/items/$request.path.id",
			"append:querystring.stage":   "$context.stage",
			"overwrite:querystring.page": "${request.querystring.p}0",
			"remove:querystring.p":       "''",
			"overwrite:header.X-Tenant":  "$stageVariables.tenant",
			"overwrite:header.X-Auth":    "Bearer ${request.header.token}",
			"append:header.X-User":       "$request.body.user.name",
			"remove:header.X-Drop":       "''",
			"append:header.X-Multi":      "static",
			"overwrite:header.X-Missing": "$request.header.nope",
		},
		Response: map[int]map[string]string{201: {
			"overwrite:statuscode":       "200",
			"overwrite:header.X-Version": "v$response.header.X-Backend-Version",
			"remove:header.X-Internal":   "''",
			"append:header.X-Request-Id": "$context.requestId",
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	api := gateway.New("items")
	if err := api.Handle("POST /items/{id}", seenRequest, m.RouteOption()); err != nil {
		t.Fatal(err)
	}
	stage, err := api.Deploy("prod", gateway.StageVariables{"tenant": "acme"})
	if err != nil {
		t.Fatal(err)
	}
	res := gatewaytest.Call(stage, "POST", "/items/42?p=3", gatewaytest.JSON(map[string]any{"user": map[string]string{"name": "alice"}}),
		gatewaytest.Header("token", "t0k"), gatewaytest.Header("X-Drop", "x"), gatewaytest.Header("X-Multi", "sent"))
	var got map[string]any
	if err := res.JSON(&got); err != nil {
		t.Fatal(err, res.Text())
	}
	if res.Code != 200 || got["path"] != "/v2/items/42" || got["query"] != "page=30&stage=prod" || got["tenant"] != "acme" ||
		got["auth"] != "Bearer t0k" || got["user"] != "alice" || got["drop"] != "" || strings.Join(toStrings(got["multi"]), ",") != "sent,static" {
		t.Errorf("%d %v", res.Code, got)
	}
	if res.Header().Get("X-Version") != "v7" || res.Header().Get("X-Internal") != "" || res.Header().Get("X-Request-Id") != res.RequestID() {
		t.Errorf("response headers %v", res.Header())
	}
	if _, ok := res.Header()["X-Missing"]; ok {
		t.Error("a mapping of an absent source set a header")
	}
}

func toStrings(v any) []string {
	var out []string
	list, _ := v.([]any)
	for _, x := range list {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}

func TestNewHTTPParametersRefuses(t *testing.T) {
	for name, cfg := range map[string]transform.HTTPParameterConfig{
		"reserved header":          {Request: map[string]string{"overwrite:header.Authorization": "x"}},
		"reserved prefix":          {Request: map[string]string{"append:header.x-amz-date": "x"}},
		"unknown action":           {Request: map[string]string{"replace:header.x": "x"}},
		"append to path":           {Request: map[string]string{"append:path": "x"}},
		"unknown reference":        {Request: map[string]string{"overwrite:header.x": "$request.cookie.a"}},
		"response ref on request":  {Request: map[string]string{"overwrite:header.x": "$response.header.a"}},
		"response body on request": {Request: map[string]string{"overwrite:header.x": "$response.body.a"}},
		"response body descent":    {Response: map[int]map[string]string{200: {"overwrite:header.x": "$response.body..a"}}},
		"response body filter":     {Response: map[int]map[string]string{200: {"overwrite:header.x": "$response.body.a[?(@.b)]"}}},
		"response body, no path":   {Response: map[int]map[string]string{200: {"overwrite:header.x": "$response.body"}}},
		"response status":          {Response: map[int]map[string]string{200: {"overwrite:header.x": "$response.statuscode"}}},
		"recursive descent":        {Request: map[string]string{"overwrite:header.x": "$request.body..a"}},
		"unclosed":                 {Request: map[string]string{"overwrite:header.x": "${request.header.a"}},
		"status out of range":      {Response: map[int]map[string]string{700: {"overwrite:statuscode": "200"}}},
		"querystring on response":  {Response: map[int]map[string]string{200: {"overwrite:querystring.a": "1"}}},
		"request ref on response":  {Response: map[int]map[string]string{200: {"overwrite:header.x": "$request.header.a"}}},
		"header name with space":   {Request: map[string]string{"overwrite:header.Authorization ": "x"}},
		"header name with CRLF":    {Request: map[string]string{"overwrite:header.a\r\nB": "x"}},
	} {
		if _, err := transform.NewHTTPParameters(cfg); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// FuzzHTTPParameterValue: any mapping value, on the request or the
// response, is refused or evaluates without a panic, and the answer's
// body passes through whole.
func FuzzHTTPParameterValue(f *testing.F) {
	for _, s := range []string{"$request.header.a", "Bearer ${request.header.t}", "$request.body.a.b[0]", "${context.requestId}-$stageVariables.x", "$", "${", "$$",
		"$response.body.a.b[0]", "${response.body.a}-$response.header.X-B"} {
		f.Add(s)
	}
	const answer = `{"a":{"b":[1]}}`
	f.Fuzz(func(t *testing.T, v string) {
		req := transform.HTTPParameterConfig{Request: map[string]string{"overwrite:header.X-V": v}}
		resp := transform.HTTPParameterConfig{Response: map[int]map[string]string{200: {"overwrite:header.X-V": v}}}
		for _, cfg := range []transform.HTTPParameterConfig{req, resp} {
			m, err := transform.NewHTTPParameters(cfg)
			if err != nil {
				continue
			}
			h := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("X-B", "b")
				_, _ = w.Write([]byte(answer))
			}))
			res := gatewaytest.Do(h, gatewaytest.NewRequest("POST", "/x?a=1", gatewaytest.JSON(map[string]any{"a": map[string]any{"b": []int{1}}}), gatewaytest.Header("a", "1")))
			if res.Text() != answer {
				t.Fatalf("%q: the answer came out as %q", v, res.Text())
			}
		}
	})
}

// TestHTTPParametersOverwritePathProxy: overwrite:path replaces the path
// the HTTP proxy sends, and a traversal in it is refused.
func TestHTTPParametersOverwritePathProxy(t *testing.T) {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(r.URL.RawPath + "|" + r.URL.Path + "?" + r.URL.RawQuery))
	}))
	defer backend.Close()
	proxy, err := integration.NewHTTP(integration.HTTPConfig{URI: backend.URL + "/base/{id}"})
	if err != nil {
		t.Fatal(err)
	}
	m, err := transform.NewHTTPParameters(transform.HTTPParameterConfig{Request: map[string]string{"overwrite:path": "/v2/${request.header.section}/$request.path.id"}})
	if err != nil {
		t.Fatal(err)
	}
	api := gateway.New("p")
	if err := api.Handle("GET /items/{id}", proxy, m.RouteOption()); err != nil {
		t.Fatal(err)
	}
	stage, err := api.Deploy("prod", nil)
	if err != nil {
		t.Fatal(err)
	}
	if res := gatewaytest.Call(stage, "GET", "/items/7?q=1", gatewaytest.Header("section", "toys")); res.Code != 200 || res.Text() != "|/v2/toys/7?q=1" {
		t.Fatalf("%d %q", res.Code, res.Text())
	}
	if res := gatewaytest.Call(stage, "GET", "/items/7", gatewaytest.Header("section", "..")); res.Code != 400 {
		t.Fatalf("a dot segment in the mapped path: %d %q", res.Code, res.Text())
	}
}

// TestHTTPParametersEmptyOverwrite: an overwrite whose source is absent
// removes the client's own value rather than letting it through.
func TestHTTPParametersEmptyOverwrite(t *testing.T) {
	m, err := transform.NewHTTPParameters(transform.HTTPParameterConfig{Request: map[string]string{
		"overwrite:header.X-User":      "$context.authorizer.claims.sub",
		"overwrite:querystring.tenant": "$request.header.x-tenant",
		"append:header.X-Extra":        "$request.header.nope",
	}})
	if err != nil {
		t.Fatal(err)
	}
	var user, tenant string
	var extra []string
	h := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, tenant, extra = r.Header.Get("X-User"), r.URL.Query().Get("tenant"), r.Header.Values("X-Extra")
	}))
	gatewaytest.Do(h, gatewaytest.NewRequest("GET", "/x?tenant=other", gatewaytest.Header("X-User", "admin")))
	if user != "" || tenant != "" || len(extra) != 0 {
		t.Fatalf("client values reached the integration: user %q tenant %q extra %q", user, tenant, extra)
	}
}

// TestHTTPParametersPathSlashes: reference values are escaped once in a
// mapped path, a '/' or %2F in one is refused (never a separator), and a
// reference ends at '/'.
func TestHTTPParametersPathSlashes(t *testing.T) {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(r.URL.EscapedPath())) }))
	defer backend.Close()
	proxy, err := integration.NewHTTP(integration.HTTPConfig{URI: backend.URL})
	if err != nil {
		t.Fatal(err)
	}
	m, err := transform.NewHTTPParameters(transform.HTTPParameterConfig{Request: map[string]string{"overwrite:path": "/users/$request.path.id/profile"}})
	if err != nil {
		t.Fatal(err)
	}
	api := gateway.New("p")
	if err := api.Handle("GET /u/{id}", proxy, m.RouteOption()); err != nil {
		t.Fatal(err)
	}
	stage, err := api.Deploy("prod", nil)
	if err != nil {
		t.Fatal(err)
	}
	if res := gatewaytest.Call(stage, "GET", "/u/123"); res.Code != 200 || res.Text() != "/users/123/profile" {
		t.Fatalf("%d %q", res.Code, res.Text())
	}
	// Values are escaped once; an encoded slash in one is refused by the
	// proxy's guard, never sent as a separator.
	for target, want := range map[string]string{"/u/a%20b": "/users/a%20b/profile", "/u/caf%C3%A9": "/users/caf%C3%A9/profile"} {
		if res := gatewaytest.Call(stage, "GET", target); res.Code != 200 || res.Text() != want {
			t.Errorf("%s: %d %q, want %q", target, res.Code, res.Text(), want)
		}
	}
	if res := gatewaytest.Call(stage, "GET", "/u/123%2Fadmin"); res.Code != 400 {
		t.Fatalf("an encoded slash in the value: %d %q, want 400", res.Code, res.Text())
	}
}

// Response mappings read the integration's JSON answer with
// $response.body.JSONPATH: the header and status are mapped before any of
// the body is sent, and the body itself passes through unchanged, however
// large and whatever its form.
func TestHTTPParametersResponseBody(t *testing.T) {
	m, err := transform.NewHTTPParameters(transform.HTTPParameterConfig{Response: map[int]map[string]string{
		200: {
			"overwrite:statuscode":     "$response.body.status",
			"overwrite:header.X-Id":    "id-${response.body.item.id}",
			"append:header.X-Item":     "$response.body.item",
			"append:header.X-Tags":     "$response.body.item.tags[1]",
			"append:header.X-Absent":   "$response.body.nope",
			"overwrite:header.X-Ctype": "$response.header.Content-Type",
		},
		202: {"overwrite:header.X-Seen": "${response.body.id}"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	var body string
	var code int
	api := gateway.New("items")
	answer := integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if code != 0 {
			w.WriteHeader(code)
		}
		// Written in small pieces, as a streaming integration would.
		for s := body; s != ""; {
			n := min(len(s), 4096)
			_, _ = w.Write([]byte(s[:n]))
			s = s[n:]
		}
	})
	if err := api.Handle("GET /items", answer, m.RouteOption()); err != nil {
		t.Fatal(err)
	}
	stage, err := api.Deploy("prod", nil)
	if err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("x", 300<<10)
	for _, tt := range []struct {
		name, body         string
		code, wantCode     int
		wantID, wantItem   string
		wantTags, wantSeen string
	}{
		{name: "json", body: `{"status":"201","item":{"id":7,"tags":["a","b"]}}`, wantCode: 201,
			wantID: "id-7", wantItem: `{"id":7,"tags":["a","b"]}`, wantTags: "b"},
		{name: "no status in the body", body: `{"item":{"id":"x"}}`, wantCode: 200, wantID: "id-x", wantItem: `{"id":"x"}`},
		{name: "not json", body: "plain text", wantCode: 200, wantID: "id-"},
		{name: "empty", body: "", wantCode: 200, wantID: "id-"},
		{name: "another status's mapping", body: `{"id":3}`, code: 202, wantCode: 202, wantSeen: "3"},
		{name: "large, JSON past 100 KB", body: `{"item":{"id":1},"pad":"` + big + `"}`, wantCode: 200, wantID: "id-"},
		{name: "large, mapped from the first 100 KB", body: `{"item":{"id":1}}` + big, wantCode: 200, wantID: "id-1", wantItem: `{"id":1}`},
	} {
		body, code = tt.body, tt.code
		res := gatewaytest.Call(stage, "GET", "/items")
		h := res.Header()
		wantCtype := "application/json" // $response.header beside $response.body, in the 200 mapping
		if tt.code != 0 {
			wantCtype = ""
		}
		if res.Code != tt.wantCode || res.Text() != tt.body || h.Get("X-Id") != tt.wantID || h.Get("X-Item") != tt.wantItem ||
			h.Get("X-Tags") != tt.wantTags || h.Get("X-Seen") != tt.wantSeen || h.Get("X-Ctype") != wantCtype {
			t.Errorf("%s: %d, %d bytes (want %d), headers %v", tt.name, res.Code, len(res.Text()), len(tt.body), h)
		}
		if _, ok := h["X-Absent"]; ok {
			t.Errorf("%s: a path that selects nothing set a header", tt.name)
		}
	}
}

// An integration that fails after writing part of its answer leaves
// nothing half-sent when the mapping holds the answer: the client gets
// the gateway's error.
func TestHTTPParametersResponseBodyHeldOnFailure(t *testing.T) {
	m, err := transform.NewHTTPParameters(transform.HTTPParameterConfig{Response: map[int]map[string]string{
		200: {"overwrite:header.X-Id": "$response.body.id"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	api := gateway.New("items", gateway.WithLogger(slog.New(slog.DiscardHandler))) // the panic is logged
	failing := integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"id":`))
		panic("backend gone")
	})
	if err := api.Handle("GET /items", failing, m.RouteOption()); err != nil {
		t.Fatal(err)
	}
	stage, err := api.Deploy("prod", nil)
	if err != nil {
		t.Fatal(err)
	}
	res := gatewaytest.Call(stage, "GET", "/items")
	if res.Code != http.StatusInternalServerError || strings.Contains(res.Text(), `{"id":`) || res.Header().Get("X-Id") != "" {
		t.Errorf("%d %q %v", res.Code, res.Text(), res.Header())
	}
}

// An integration that flushes ends the hold: the mapping reads what came
// before the flush, and the rest streams after it. The gateway's own
// timeout answer, written while the integration is stuck, is not held
// back until the integration returns.
func TestHTTPParametersResponseBodyFlush(t *testing.T) {
	m, err := transform.NewHTTPParameters(transform.HTTPParameterConfig{Response: map[int]map[string]string{
		200: {"overwrite:header.X-Id": "$response.body.id", "overwrite:statuscode": "201"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	unblock := make(chan struct{})
	api := gateway.New("items")
	streaming := integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"id":"a"}`))
		_ = http.NewResponseController(w).Flush()
		_, _ = w.Write([]byte(` and more`))
	})
	big := strings.Repeat("y", 1<<20)
	oneWrite := integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"id":"b"}` + big)) // one Write far past the 100 KB held
	})
	stuck := integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-unblock })
	late := integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Trailer", "X-Sum")
		_, _ = w.Write([]byte(`{"id":"c"}`))
		// Too late for the header, as on any answer: only the trailer goes.
		w.Header().Set("X-Late", "1")
		w.Header().Set("Content-Length", "999")
		w.Header().Set("X-Sum", "42")
	})
	for key, h := range map[string]http.Handler{"GET /stream": streaming, "GET /big": oneWrite, "GET /late": late} {
		if err := api.Handle(key, h, m.RouteOption()); err != nil {
			t.Fatal(err)
		}
	}
	if err := api.Handle("GET /slow", stuck, m.RouteOption(), gateway.WithTimeout(100*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	stage, err := api.Deploy("prod", nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(stage)
	defer srv.Close()
	defer close(unblock)

	for path, want := range map[string]struct{ id, body, sum string }{
		"/stream": {"a", `{"id":"a"} and more`, ""},
		"/big":    {"b", `{"id":"b"}` + big, ""},
		"/late":   {"c", `{"id":"c"}`, "42"},
	} {
		res, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil || res.StatusCode != 201 || res.Header.Get("X-Id") != want.id || string(b) != want.body ||
			res.Header.Get("X-Late") != "" || res.Trailer.Get("X-Sum") != want.sum {
			t.Errorf("%s: %d, %v, header %v, trailer %v, %d bytes (want %d)", path, res.StatusCode, err, res.Header, res.Trailer, len(b), len(want.body))
		}
	}

	got := make(chan *http.Response, 1)
	go func() {
		res, err := http.Get(srv.URL + "/slow")
		if err != nil {
			t.Error(err)
			got <- nil
			return
		}
		got <- res
	}()
	select {
	case res := <-got:
		if res != nil {
			if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("X-Id") != "" {
				t.Errorf("timeout: %d, X-Id %q", res.StatusCode, res.Header.Get("X-Id"))
			}
			res.Body.Close()
		}
	case <-time.After(30 * time.Second): // a hang guard, not a measurement
		t.Fatal("the timeout answer waited for the stuck integration")
	}
}

// A client cannot undo a mapped header through the HTTP proxy: naming it
// in Connection does not drop it, and control characters in a mapped
// value are dropped rather than refused by the transport.
func TestHTTPParametersHeadersReachTheProxy(t *testing.T) {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(r.Header.Get("X-Tenant") + "|" + r.Header.Get("X-T")))
	}))
	defer backend.Close()
	proxy, err := integration.NewHTTP(integration.HTTPConfig{URI: backend.URL})
	if err != nil {
		t.Fatal(err)
	}
	m, err := transform.NewHTTPParameters(transform.HTTPParameterConfig{Request: map[string]string{
		"overwrite:header.X-Tenant": "$stageVariables.tenant",
		"overwrite:header.X-T":      "$request.querystring.t",
	}})
	if err != nil {
		t.Fatal(err)
	}
	api := gateway.New("items")
	if err := api.Handle("GET /x", proxy, m.RouteOption()); err != nil {
		t.Fatal(err)
	}
	stage, err := api.Deploy("prod", gateway.StageVariables{"tenant": "acme"})
	if err != nil {
		t.Fatal(err)
	}
	res := gatewaytest.Call(stage, "GET", "/x?t=a%01b%7Fc", gatewaytest.Header("Connection", "X-Tenant, keep-alive"))
	if res.Code != 200 || res.Text() != "acme|abc" {
		t.Errorf("%d %q", res.Code, res.Text())
	}
}
