package gateway_test

import (
	"net/http"
	"testing"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/integration"
)

func TestDomainBasePathMappings(t *testing.T) {
	stageFor := func(name string) *gateway.Stage {
		api := gateway.New(name)
		mustHandle(t, api, "ANY /{proxy+}", echo)
		mustHandle(t, api, "GET /", echo)
		return mustDeploy(t, api, "prod", nil)
	}
	api1, api2, api3, api4 := stageFor("API1"), stageFor("API2"), stageFor("API3"), stageFor("API4")
	d := gateway.NewDomain("api.example.com")
	for base, s := range map[string]*gateway.Stage{"": api1, "orders/v1/items": api2, "orders/v2/items": api3, "orders/v2/items/categories": api4} {
		if err := d.Map(base, s); err != nil {
			t.Fatal(err)
		}
	}
	// AWS's documented selection table, plus segment boundaries.
	tests := []struct {
		path, api, urlPath, basePath string
	}{
		{"/orders/v1/items", "API2", "/", "orders/v1/items"},
		{"/orders/v1/items/123", "API2", "/123", "orders/v1/items"},
		{"/orders/v2/items/categories/5", "API4", "/5", "orders/v2/items/categories"},
		{"/orders/v2/items/5", "API3", "/5", "orders/v2/items"},
		{"/customers", "API1", "/customers", ""},
		{"/orders/v1/itemsX", "API1", "/orders/v1/itemsX", ""},
	}
	for _, tt := range tests {
		rec := serve(d, "GET", tt.path, nil)
		if rec.Code != 200 {
			t.Errorf("%s: %d %s", tt.path, rec.Code, rec.Body)
			continue
		}
		rc := jsonBody(t, rec)
		if rc["apiName"] != tt.api || rc["urlPath"] != tt.urlPath || rc["basePath"] != tt.basePath {
			t.Errorf("%s: %v", tt.path, rc)
		}
		if got := rec.Header().Get("Apigw-Requestid"); got == "" {
			t.Errorf("%s: no request id", tt.path)
		}
	}
	if err := d.Map("orders/v1/items", api3); err == nil {
		t.Error("mapped a base path twice")
	}
	for _, bad := range []string{"a b", "a?b", "a//b", string(make([]byte, 301))} {
		if err := d.Map(bad, api1); err == nil {
			t.Errorf("accepted base path %q", bad)
		}
	}
}

func TestDomainSelectsTheMappedAPI(t *testing.T) {
	mk := func(body string) *gateway.Stage {
		api := gateway.New(body)
		mustHandle(t, api, "ANY /{proxy+}", integration.Mock(200, body))
		return mustDeploy(t, api, "prod", nil)
	}
	d := gateway.NewDomain("Shop.Example.com")
	_ = d.Map("v1", mk("one"))
	_ = d.Map("v2", mk("two"))
	if rec := serve(d, "GET", "/v1/x", nil); rec.Body.String() != "one" {
		t.Errorf("v1: %s", rec.Body)
	}
	if rec := serve(d, "GET", "/v2/x", nil); rec.Body.String() != "two" {
		t.Errorf("v2: %s", rec.Body)
	}
	if rec := serve(d, "GET", "/v3/x", nil); rec.Code != 403 {
		t.Errorf("unmapped with no empty base path: %d", rec.Code)
	}
	d.Unmap("v2")
	if rec := serve(d, "GET", "/v2/x", nil); rec.Code != 403 {
		t.Errorf("after Unmap: %d", rec.Code)
	}

	other := gateway.NewDomain("admin.example.com")
	_ = other.Map("", mk("admin"))
	var mux gateway.DomainMux
	if err := mux.Add(d); err != nil {
		t.Fatal(err)
	}
	if err := mux.Add(other); err != nil {
		t.Fatal(err)
	}
	if err := mux.Add(gateway.NewDomain("admin.example.com")); err == nil {
		t.Error("added a domain twice")
	}
	for host, want := range map[string]string{"shop.example.com": "one", "SHOP.example.com:8443": "one", "admin.example.com": "admin"} {
		req := newReq("GET", "http://"+host+"/v1/x")
		rec := serveReq(&mux, req)
		if rec.Body.String() != want {
			t.Errorf("host %s: %d %s", host, rec.Code, rec.Body)
		}
	}
	if rec := serveReq(&mux, newReq("GET", "http://unknown.example.com/v1/x")); rec.Code != 403 {
		t.Errorf("unknown host: %d", rec.Code)
	}
	mux.Fallback = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(299) })
	if rec := serveReq(&mux, newReq("GET", "http://unknown.example.com/v1/x")); rec.Code != 299 {
		t.Errorf("fallback: %d", rec.Code)
	}
}
