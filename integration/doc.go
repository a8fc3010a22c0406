// Package integration provides the backends a gatewaykit route sends
// requests to: Lambda proxy integrations (aws-lambda-go handlers in-process,
// or functions called through the Lambda Invoke API), an HTTP proxy (API
// Gateway's HTTP_PROXY integration), a mock (MOCK), any http.Handler, and
// the non-proxy (custom) HTTP, Lambda and mock integrations whose requests
// and responses go through VTL mapping templates (NewCustomHTTP,
// NewCustomLambda, NewCustomMock). Every integration is an http.Handler that
// reads the request's gateway.RequestContext, so it also works outside a
// gateway, and rejects through gateway.WriteError.
//
//	api := gateway.New("shop")
//	legacy, err := integration.HTTP("http://legacy.internal:8080/{proxy}")
//	if err != nil { ... }
//	api.Handle("ANY /legacy/{proxy+}", legacy)
//	api.Handle("GET /health", integration.Mock(200, `{"status":"ok"}`))
//	api.Handle("GET /orders/{id}", integration.Handler(ordersHandler))
//	getPet, err := integration.Lambda(getPetHandler) // an aws-lambda-go handler
//	if err != nil { ... }
//	api.Handle("GET /pets/{id}", getPet)
package integration
