package transform_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/integration"
	"github.com/gatewaykit/gateway/transform"
)

// A REST API's HTTP proxy route that passes the stage's tenant and the
// client's query parameter on to the backend as headers.
func ExampleNewProxyParameters() {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "%s tenant=%s user=%s", r.URL.Path, r.Header.Get("X-Tenant"), r.Header.Get("X-User"))
	}))
	defer backend.Close()
	proxy, err := integration.NewHTTP(integration.HTTPConfig{URI: backend.URL + "/{proxy}"})
	if err != nil {
		panic(err)
	}
	params, err := transform.NewProxyParameters(map[string]string{
		"integration.request.path.proxy":      "method.request.path.proxy",
		"integration.request.header.X-Tenant": "stageVariables.tenant",
		"integration.request.header.X-User":   "method.request.querystring.user",
	}, 0)
	if err != nil {
		panic(err)
	}
	api := gateway.New("shop", gateway.Config{Profile: gateway.RESTAPI})
	if err := api.Handle("ANY /{proxy+}", proxy, params.RouteOption()); err != nil {
		panic(err)
	}
	prod, err := api.Deploy("prod", gateway.StageVariables{"tenant": "acme"})
	if err != nil {
		panic(err)
	}
	// The client's own X-Tenant does not reach the backend.
	req := httptest.NewRequest("GET", "/orders/7?user=ada", nil)
	req.Header.Set("X-Tenant", "someone-else")
	rec := httptest.NewRecorder()
	prod.ServeHTTP(rec, req)
	b, _ := io.ReadAll(rec.Body)
	fmt.Println(rec.Code, string(b))
	// Output: 200 /orders/7 tenant=acme user=ada
}
