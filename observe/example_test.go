package observe_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/integration"
	"github.com/gatewaykit/gateway/observe"
)

// An access log and metrics on every stage of an API: the log sees the
// gateway's own answers (here a 404) as well as the routes'.
func Example() {
	accessLog, err := observe.NewAccessLog(observe.AccessLogConfig{
		Format: `$context.httpMethod $context.path $context.routeKey $context.status $context.responseLength`,
		Writer: os.Stdout,
	})
	if err != nil {
		panic(err)
	}
	metrics := observe.NewMetrics()
	api := gateway.New("pets", gateway.WithObserver(accessLog, metrics))
	if err := api.Handle("GET /pets/{id}", integration.Mock(200, `{"id":7}`)); err != nil {
		panic(err)
	}
	stage, err := api.Deploy("prod", nil)
	if err != nil {
		panic(err)
	}
	for _, path := range []string{"/pets/7", "/cats"} {
		stage.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, path, nil))
	}
	for _, s := range metrics.Snapshot() {
		fmt.Printf("route %q: Count %d, 4XXError %d\n", s.Route, s.Count, s.Errors4XX)
	}
	// Output:
	// GET /pets/7 GET /pets/{id} 200 8
	// GET /cats - 404 23
	// route "": Count 1, 4XXError 1
	// route "GET /pets/{id}": Count 1, 4XXError 0
}
