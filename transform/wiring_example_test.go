package transform_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"strings"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/integration"
	"github.com/gatewaykit/gateway/transform"
)

// A REST API route with a non-proxy Lambda integration: a request
// template shapes the function's payload, and the function's errorMessage
// selects the integration response that answers 404.
func ExampleNewMapping() {
	getPet := func(_ context.Context, payload []byte) ([]byte, error) {
		if strings.Contains(string(payload), `"id": "0"`) {
			notFound := "Not found: " // Lambda errors read like this one
			return nil, errors.New(notFound + string(payload))
		}
		return []byte(`{"pet": {"name": "Rex", "type": "dog"}}`), nil
	}
	mapping := transform.MappingConfig{
		RequestTemplates: map[string]string{
			"application/json": `{"id": "$input.params('id')", "stage": "$context.stage"}`,
		},
		Responses: []transform.IntegrationResponse{
			{StatusCode: 200, ResponseTemplates: map[string]string{
				"application/json": `#set($p = $input.path('$.pet')){"name": "$p.name"}`,
			}},
			{SelectionPattern: "Not found.*", StatusCode: 404,
				ResponseParameters: map[string]string{"method.response.header.X-Error": "'not-found'"},
				ResponseTemplates: map[string]string{
					"application/json": `{"message": "$util.escapeJavaScript($input.path('$.errorMessage'))"}`,
				}},
		},
	}
	// transform.NewMapping(mapping) checks the same configuration alone.
	h, err := integration.NewCustomLambda(getPet, mapping)
	if err != nil {
		panic(err)
	}
	api := gateway.New("pets", gateway.Config{Profile: gateway.RESTAPI})
	if err := api.Handle("GET /pets/{id}", h); err != nil {
		panic(err)
	}
	prod, err := api.Deploy("prod", nil)
	if err != nil {
		panic(err)
	}
	for _, target := range []string{"/pets/7", "/pets/0"} {
		rec := httptest.NewRecorder()
		prod.ServeHTTP(rec, httptest.NewRequest("GET", target, nil))
		b, _ := io.ReadAll(rec.Body)
		fmt.Println(rec.Code, rec.Header().Get("X-Error"), string(b))
	}
	// Output:
	// 200  {"name": "Rex"}
	// 404 not-found {"message": "Not found: {\"id\": \"0\", \"stage\": \"prod\"}"}
}
