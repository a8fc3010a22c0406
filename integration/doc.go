// Package integration provides the backends a gatewaykit route sends
// requests to: an HTTP proxy (API Gateway's HTTP_PROXY integration), a mock
// (MOCK) and any http.Handler. Every integration is an http.Handler that
// reads the request's gateway.RequestContext, so it also works outside a
// gateway, and rejects through gateway.WriteError.
//
//	api := gateway.New("shop")
//	legacy, err := integration.HTTP("http://legacy.internal:8080/{proxy}")
//	if err != nil { ... }
//	api.Handle("ANY /legacy/{proxy+}", legacy)
//	api.Handle("GET /health", integration.Mock(200, `{"status":"ok"}`))
//	api.Handle("GET /orders/{id}", integration.Handler(ordersHandler))
package integration
