package gateway_test

import (
	"fmt"
	"net/http"
	"regexp"
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
		{"//orders/v1/items/123", "API2", "/123", "orders/v1/items"}, // as AWS serves //stage/x [obs]
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
	// A path that names another mapping once decoded or once its slashes
	// collapse is not served by the mapping its raw form reaches.
	for _, path := range []string{"/orders/v2//items/categories/5", "/%6Frders/v1/items/1", "/orders/v1%2Fitems/1", "/orders/v2/items%2Fcategories/5"} {
		rec := serve(d, "GET", path, nil)
		if rec.Code != 403 {
			t.Errorf("%s: %d %s", path, rec.Code, rec.Body)
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
	if err := mux.Add(gateway.NewDomain("Admin.Example.com.")); err == nil {
		t.Error("added a domain twice, the second time in its absolute form")
	}
	for host, want := range map[string]string{
		"shop.example.com": "one", "SHOP.example.com:8443": "one", "admin.example.com": "admin",
		"shop.example.com.": "one", "shop.example.com.:8443": "one", // the absolute form of the same name
	} {
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

// The 403 for a path no mapping covers carries a fresh request id in the
// headers of the domain's APIs' profile, as every other gateway answer
// does: apigw-requestid when all mappings are HTTP APIs, REST's
// x-amzn-RequestId (and x-amz-apigw-id) otherwise and for unknown hosts.
func TestDomainUnmappedAnswerCarriesARequestID(t *testing.T) {
	const (
		shortID = `^[A-Za-z0-9+/]{15}=$`
		uuid    = `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`
	)
	domain := func(profiles ...gateway.Profile) *gateway.Domain {
		d := gateway.NewDomain("api.example.com")
		for i, p := range profiles {
			api := gateway.New("t", gateway.Config{Profile: p})
			mustHandle(t, api, "ANY /{proxy+}", integration.Mock(200, "ok"))
			if err := d.Map(fmt.Sprintf("v%d", i+1), mustDeploy(t, api, "prod", nil)); err != nil {
				t.Fatal(err)
			}
		}
		return d
	}
	var mux gateway.DomainMux
	tests := []struct {
		name     string
		h        http.Handler
		idHeader string
		pattern  string
		extended bool // x-amz-apigw-id too
	}{
		{"HTTP APIs only", domain(gateway.HTTPAPI, gateway.HTTPAPI), "Apigw-Requestid", shortID, false},
		{"a REST API", domain(gateway.HTTPAPI, gateway.RESTAPI), "X-Amzn-Requestid", uuid, true},
		{"no mappings", domain(), "X-Amzn-Requestid", uuid, true},
		{"unknown host", &mux, "X-Amzn-Requestid", uuid, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ids []string
			for range 2 {
				rec := serve(tt.h, "GET", "/v3/x", nil)
				if rec.Code != 403 || rec.Body.String() != `{"message":"Forbidden"}` || rec.Header().Get("Content-Type") != "application/json" {
					t.Fatalf("got %d %q %v", rec.Code, rec.Body, rec.Header())
				}
				id := rec.Header().Get(tt.idHeader)
				if !regexp.MustCompile(tt.pattern).MatchString(id) {
					t.Errorf("%s = %q, want match %s", tt.idHeader, id, tt.pattern)
				}
				ids = append(ids, id)
				if got := rec.Header().Get("X-Amz-Apigw-Id"); (got != "") != tt.extended || tt.extended && !regexp.MustCompile(shortID).MatchString(got) {
					t.Errorf("x-amz-apigw-id = %q, want one: %v", got, tt.extended)
				}
				for _, other := range []string{"Apigw-Requestid", "X-Amzn-Requestid"} {
					if other != tt.idHeader && rec.Header().Get(other) != "" {
						t.Errorf("%s set too: %v", other, rec.Header())
					}
				}
			}
			if ids[0] == ids[1] {
				t.Errorf("two requests, one id: %s", ids[0])
			}
		})
	}
	// As on a REST API, a client's UUID request id is kept, anything else
	// replaced.
	const clientID = "0b7f6f8e-5c6a-4d1e-9a2b-3c4d5e6f7a8b"
	for sent, keep := range map[string]bool{clientID: true, "not-a-uuid": false} {
		req := newReq("GET", "/v3/x")
		req.Header.Set("X-Amzn-Requestid", sent)
		got := serveReq(domain(gateway.RESTAPI), req).Header().Get("X-Amzn-Requestid")
		if (got == sent) != keep || !regexp.MustCompile(uuid).MatchString(got) {
			t.Errorf("client sent %q: request id %q", sent, got)
		}
	}
}
