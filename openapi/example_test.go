package openapi_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/openapi"
)

// A REST API exported from API Gateway (here a mock with a mapping
// template) imports and serves.
func ExampleImport() {
	doc := `
openapi: 3.0.1
info: {title: health, version: "1"}
paths:
  /health:
    get:
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates:
          application/json: '{"statusCode": 200}'
        responses:
          default:
            statusCode: "200"
            responseTemplates:
              application/json: '{"status": "ok", "stage": "$context.stage"}'
`
	im, err := openapi.Import(context.Background(), []byte(doc), openapi.ImportConfig{Profile: gateway.RESTAPI})
	if err != nil {
		panic(err)
	}
	defer im.Close()
	stage, err := im.API.Deploy("prod", nil)
	if err != nil {
		panic(err)
	}
	rec := httptest.NewRecorder()
	stage.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/health", nil))
	fmt.Println(rec.Code, rec.Body.String())
	// Output: 200 {"status": "ok", "stage": "prod"}
}
