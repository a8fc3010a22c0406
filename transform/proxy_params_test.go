package transform_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/gatewaytest"
	"github.com/gatewaykit/gateway/integration"
	"github.com/gatewaykit/gateway/transform"
)

// A REST API's HTTP proxy integration with requestParameters: the backend
// gets the client's request with the mapped headers and query string
// parameters in place of the client's, and a mapped name whose source has
// no value carries nothing, whatever the client sent under it.
func TestProxyParameters(t *testing.T) {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := new(strings.Builder)
		_, _ = io.Copy(body, r.Body)
		_ = json.NewEncoder(w).Encode(map[string]any{
			"path": r.URL.Path, "query": r.URL.Query(), "body": body.String(),
			"user": r.Header.Get("X-User"), "static": r.Header.Values("X-Static"), "tenant": r.Header.Get("X-Tenant"),
			"request": r.Header.Get("X-Request"), "multi": r.Header.Values("X-Multi"), "keep": r.Header.Get("X-Keep"),
			"token": r.Header.Get("X-Token"), "client": r.Header.Get("X-Client"), "ctl": r.Header.Get("X-Ctl"),
		})
	}))
	defer backend.Close()
	proxy, err := integration.NewHTTP(integration.HTTPConfig{URI: backend.URL + "/v1/{proxy}"})
	if err != nil {
		t.Fatal(err)
	}
	params, err := transform.NewProxyParameters(map[string]string{
		"integration.request.path.proxy":                 "method.request.path.proxy",
		"integration.request.header.X-User":              "method.request.body.user.name",
		"integration.request.header.X-Static":            "'static'",
		"integration.request.header.X-Tenant":            "stageVariables.tenant",
		"integration.request.header.X-Request":           "context.requestId",
		"integration.request.multivalueheader.X-Multi":   "method.request.multivalueheader.X-In",
		"integration.request.header.X-Keep":              "method.request.header.X-Absent",
		"integration.request.header.X-Token":             "method.request.querystring.token",
		"integration.request.header.X-Ctl":               "method.request.querystring.ctl",
		"integration.request.querystring.gone":           "method.request.header.X-Absent",
		"integration.request.querystring.page":           "method.request.querystring.p",
		"integration.request.multivaluequerystring.tags": "method.request.multivaluequerystring.t",
	}, 0)
	if err != nil {
		t.Fatal(err)
	}
	api := gateway.New("items", gateway.Config{Profile: gateway.RESTAPI})
	if err := api.Handle("ANY /{proxy+}", proxy, params.RouteOption()); err != nil {
		t.Fatal(err)
	}
	stage, err := api.Deploy("prod", gateway.StageVariables{"tenant": "acme"})
	if err != nil {
		t.Fatal(err)
	}
	res := gatewaytest.Call(stage, "POST", "/items/7?p=2&page=9&t=a&t=b&token=x%0D%0AInjected:%20yes&other=1&gone=client&ctl=a%01b%7Fc%09d",
		gatewaytest.JSON(map[string]any{"user": map[string]string{"name": "alice"}}),
		gatewaytest.Header("X-Static", "from-client"), gatewaytest.Header("X-Keep", "kept"),
		func(r *http.Request) { r.Header["X-In"] = []string{"1", "2"} }, gatewaytest.Header("Connection", "X-Tenant, X-Static"), gatewaytest.Header("X-Client", "c"))
	var got struct {
		Path, Body, User, Tenant, Request, Keep, Token, Client, Ctl string
		Query                                                       map[string][]string
		Static, Multi                                               []string
	}
	if err := res.JSON(&got); err != nil {
		t.Fatal(err, res.Text())
	}
	q := got.Query
	if res.Code != 200 || got.Path != "/v1/items/7" || got.User != "alice" || strings.Join(got.Static, ",") != "static" ||
		got.Tenant != "acme" || got.Request != res.RequestID() || strings.Join(got.Multi, ",") != "1,2" || got.Keep != "" ||
		got.Client != "c" || !strings.Contains(got.Body, `"alice"`) || got.Ctl != "abc\td" ||
		strings.Join(q["page"], ",") != "2" || strings.Join(q["tags"], ",") != "a,b" || strings.Join(q["other"], ",") != "1" || q["gone"] != nil {
		t.Errorf("%d %+v", res.Code, got)
	}
	if strings.ContainsAny(got.Token, "\r\n") || got.Token != "xInjected: yes" {
		t.Errorf("a mapped header carried a line break: %q", got.Token)
	}
}

// Only a path parameter's own mapping is taken (the proxy fills it in);
// anything else a proxy cannot map is refused.
func TestNewProxyParametersRefuses(t *testing.T) {
	for name, m := range map[string]map[string]string{
		"path from another source": {"integration.request.path.id": "method.request.querystring.id"},
		"path renamed":             {"integration.request.path.id": "method.request.path.other"},
		"unknown location":         {"integration.request.cookie.a": "'x'"},
		"response source":          {"integration.request.header.a": "integration.response.header.b"},
		"bad key":                  {"method.response.header.a": "'x'"},
		"bad JSONPath":             {"integration.request.header.a": "method.request.body.a[?"},
		"Host":                     {"integration.request.header.Host": "'evil'"},
		"Content-Length":           {"integration.request.header.content-length": "'1'"},
		"Transfer-Encoding":        {"integration.request.header.Transfer-Encoding": "'chunked'"},
		"Connection":               {"integration.request.header.Connection": "'X-A'"},
		"X-Forwarded-For":          {"integration.request.header.X-Forwarded-For": "'1.2.3.4'"},
	} {
		if _, err := transform.NewProxyParameters(m, 0); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// A body source reads the body within the bound; past it the client gets
// AWS's 413, and the integration is not called.
func TestProxyParametersBodyBound(t *testing.T) {
	params, err := transform.NewProxyParameters(map[string]string{"integration.request.header.X-A": "method.request.body.a"}, 16)
	if err != nil {
		t.Fatal(err)
	}
	called := false
	h := params.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		called = true
		b, _ := io.ReadAll(r.Body)
		_, _ = w.Write([]byte(r.Header.Get("X-A") + "|" + string(b)))
	}))
	if res := gatewaytest.Do(h, gatewaytest.NewRequest("POST", "/x", gatewaytest.Body("application/json", []byte(`{"a":"1"}`)))); res.Text() != `1|{"a":"1"}` {
		t.Errorf("within the bound: %d %q", res.Code, res.Text())
	}
	called = false
	res := gatewaytest.Do(h, gatewaytest.NewRequest("POST", "/x", gatewaytest.Body("application/json", []byte(`{"a":"`+strings.Repeat("x", 64)+`"}`))))
	if res.Code != http.StatusRequestEntityTooLarge || called {
		t.Errorf("past the bound: %d %q, integration called: %v", res.Code, res.Text(), called)
	}
}
