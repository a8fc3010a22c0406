package gateway_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/integration"
)

func get(h http.Handler, target string) string {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", target, nil))
	b, _ := io.ReadAll(rec.Body)
	return fmt.Sprintf("%d %s", rec.Code, b)
}

// An API with a mock route, deployed to a stage and served.
func ExampleNew() {
	api := gateway.New("pets") // an HTTP API with AWS's defaults
	if err := api.Handle("GET /health", integration.Mock(200, `{"status":"ok"}`)); err != nil {
		panic(err)
	}
	prod, err := api.Deploy("prod", nil)
	if err != nil {
		panic(err)
	}
	fmt.Println(get(prod, "/health"))
	fmt.Println(get(prod, "/nothing-here"))
	// Output:
	// 200 {"status":"ok"}
	// 404 {"message":"Not Found"}
}

// Routes follow API Gateway's precedence: a literal segment beats a
// parameter, which beats a greedy parameter; $default catches the rest.
func ExampleAPI_Handle() {
	api := gateway.New("pets")
	route := func(w http.ResponseWriter, r *http.Request) {
		rc := gateway.RequestContextFrom(r.Context())
		fmt.Fprintf(w, "%s %v", rc.RouteKey, rc.PathParameters.Map())
	}
	for _, key := range []string{"GET /pets/dog/1", "GET /pets/dog/{id}", "GET /pets/{proxy+}", "ANY /{proxy+}", "$default"} {
		if err := api.Handle(key, integration.HandlerFunc(route)); err != nil {
			panic(err)
		}
	}
	err := api.Handle("GET /pets/dog/{dogId}", integration.HandlerFunc(route))
	fmt.Println("conflict:", err)

	prod, _ := api.Deploy("prod", nil)
	fmt.Println(get(prod, "/pets/dog/1"))
	fmt.Println(get(prod, "/pets/dog/2"))
	fmt.Println(get(prod, "/pets/cat/1"))
	fmt.Println(get(prod, "/test/5"))
	fmt.Println(get(prod, "/"))
	// Output:
	// conflict: route key "GET /pets/dog/{dogId}" conflicts with another route: parameter {dogId} at the same position as {id}
	// 200 GET /pets/dog/1 map[]
	// 200 GET /pets/dog/{id} map[id:2]
	// 200 GET /pets/{proxy+} map[proxy:cat/1]
	// 200 ANY /{proxy+} map[proxy:test/5]
	// 200 $default map[]
}

// Deploy snapshots the API: later changes serve only after the next
// deployment, and a stage can be rolled back to any earlier one.
func ExampleAPI_Deploy() {
	api := gateway.New("pets", gateway.Config{Profile: gateway.RESTAPI})
	_ = api.Handle("GET /v", integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, gateway.RequestContextFrom(r.Context()).StageVariables["color"])
	}))
	prod, _ := api.Deploy("prod", gateway.StageVariables{"color": "blue"})
	first := prod.Deployment()

	_ = api.Handle("GET /new", integration.Mock(200, "new"))
	fmt.Println(get(api, "/prod/new")) // not deployed yet
	_, _ = api.Deploy("prod", nil)
	fmt.Println(get(api, "/prod/new"))
	fmt.Println(get(api, "/prod/v"))

	_ = prod.SetDeployment(first) // roll back
	fmt.Println(get(api, "/prod/new"))
	// Output:
	// 403 {"message":"Missing Authentication Token"}
	// 200 new
	// 200 blue
	// 403 {"message":"Missing Authentication Token"}
}

// A custom domain maps base paths to API stages.
func ExampleDomain() {
	orders := gateway.New("orders")
	_ = orders.Handle("GET /{id}", integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := gateway.RequestContextFrom(r.Context())
		id, _ := rc.PathParameters.Get("id")
		fmt.Fprintf(w, "order %s via %q", id, rc.BasePathMatched)
	}))
	stage, _ := orders.Deploy("prod", nil)

	d := gateway.NewDomain("api.example.com")
	if err := d.Map("orders/v1", stage); err != nil {
		panic(err)
	}
	fmt.Println(get(d, "/orders/v1/42"))
	fmt.Println(get(d, "/other"))
	// Output:
	// 200 order 42 via "orders/v1"
	// 403 {"message":"Forbidden"}
}

// Any step can reject a request with a gateway response; the API's
// customisations apply.
func ExampleWriteError() {
	api := gateway.New("pets", gateway.Config{Responses: map[gateway.ResponseType]gateway.GatewayResponse{
		gateway.ResponseUnauthorized: {Template: `{"error":"$context.error.responseType","message":$context.error.messageString}`},
	}})
	requireToken := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Authorization") == "" {
				gateway.WriteError(w, r, gateway.ResponseUnauthorized)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
	_ = api.Handle("GET /pets", integration.Mock(200, `[]`), gateway.WithMiddleware(gateway.PhaseAuthorize, requireToken))
	prod, _ := api.Deploy("prod", nil)
	fmt.Println(get(prod, "/pets"))
	// Output:
	// 401 {"error":"UNAUTHORIZED","message":"Unauthorized"}
}
