package integration_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/integration"
)

// An aws-lambda-go handler, written for AWS, served in-process behind an
// HTTP API route: it gets the payload 2.0 event AWS would send.
func ExampleLambda() {
	getOrder := func(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		return events.APIGatewayV2HTTPResponse{
			StatusCode: 200,
			Headers:    map[string]string{"Content-Type": "application/json"},
			Cookies:    []string{"seen=1"},
			Body:       fmt.Sprintf(`{"id":%q,"route":%q,"stage":%q}`, ev.PathParameters["id"], ev.RouteKey, ev.RequestContext.Stage),
		}, nil
	}
	fn, err := integration.Lambda(getOrder)
	if err != nil {
		panic(err)
	}
	api := gateway.New("orders")
	if err := api.Handle("GET /orders/{id}", fn); err != nil {
		panic(err)
	}
	prod, err := api.Deploy("prod", nil)
	if err != nil {
		panic(err)
	}

	rec := httptest.NewRecorder()
	prod.ServeHTTP(rec, httptest.NewRequest("GET", "/orders/42", nil))
	fmt.Println(rec.Code, rec.Header().Get("Set-Cookie"))
	fmt.Println(rec.Body.String())
	// Output:
	// 200 seen=1
	// {"id":"42","route":"GET /orders/{id}","stage":"prod"}
}

// On a REST API the same kind of handler gets payload format 1.0, and a
// function error becomes REST's 502 answer.
func ExampleNewLambda() {
	fn, err := integration.NewLambda(integration.LambdaConfig{
		Handler: func(ev events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
			if ev.QueryStringParameters["fail"] != "" {
				return events.APIGatewayProxyResponse{}, fmt.Errorf("asked to fail")
			}
			return events.APIGatewayProxyResponse{StatusCode: 200, Body: ev.Resource + " " + ev.Path}, nil
		},
		Logger: discard,
	})
	if err != nil {
		panic(err)
	}
	api := gateway.New("legacy", gateway.Config{Profile: gateway.RESTAPI})
	if err := api.Handle("ANY /{proxy+}", fn); err != nil {
		panic(err)
	}
	if _, err := api.Deploy("prod", nil); err != nil {
		panic(err)
	}
	for _, target := range []string{"/prod/a/b", "/prod/a?fail=1"} {
		rec := httptest.NewRecorder()
		api.ServeHTTP(rec, httptest.NewRequest("GET", target, nil))
		fmt.Println(rec.Code, strings.TrimSpace(rec.Body.String()))
	}
	// Output:
	// 200 /{proxy+} /a/b
	// 502 {"message": "Internal server error"}
}
