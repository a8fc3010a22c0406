package transform_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/integration"
	"github.com/gatewaykit/gateway/transform"
)

// A REST API method with a request validator: required parameters and a
// draft 4 model for JSON bodies. Failing requests get AWS's 400 answers;
// a customised gateway response shows $context.error.validationErrorString.
func ExampleNewValidator() {
	models, err := transform.NewModels(transform.Model{Name: "Pet", Schema: `{
		"type": "object",
		"required": ["name"],
		"properties": {"name": {"type": "string"}, "price": {"type": "number", "minimum": 25}}
	}`})
	if err != nil {
		panic(err)
	}
	v, err := transform.NewValidator(transform.ValidationConfig{
		Body:              true,
		Parameters:        true,
		RequestParameters: map[string]bool{"method.request.querystring.store": true, "method.request.header.x-client": true},
		RequestModels:     map[string]string{"application/json": "Pet"},
		Models:            models,
	})
	if err != nil {
		panic(err)
	}
	api := gateway.New("pets", gateway.Config{
		Profile: gateway.RESTAPI,
		Responses: map[gateway.ResponseType]gateway.GatewayResponse{
			gateway.ResponseBadRequestBody: {Template: `{"message": $context.error.messageString, "detail": "$context.error.validationErrorString"}`},
		},
	})
	created := integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(201) })
	if err := api.Handle("POST /pets", created, v.RouteOption()); err != nil {
		panic(err)
	}
	prod, err := api.Deploy("prod", nil)
	if err != nil {
		panic(err)
	}
	post := func(target, body string) {
		r := httptest.NewRequest("POST", target, strings.NewReader(body))
		r.Header.Set("X-Client", "example")
		rec := httptest.NewRecorder()
		prod.ServeHTTP(rec, r)
		b, _ := io.ReadAll(rec.Body)
		fmt.Println(strings.TrimSpace(fmt.Sprint(rec.Code, " ", string(b))))
	}
	post("/pets?store=1", `{"name": "Rex", "price": 30}`)
	post("/pets", `{"name": "Rex"}`)
	post("/pets?store=1", `{"price": 10}`)
	post("/pets?store=1", `{"name": "Rex", "price": 10}`)
	// Output:
	// 201
	// 400 {"message":"Missing required request parameters: [store]"}
	// 400 {"message": "Invalid request body", "detail": "[object has missing required properties (["name"])]"}
	// 400 {"message": "Invalid request body", "detail": "[numeric instance is lower than the required minimum (minimum: 25, found: 10)]"}
}
