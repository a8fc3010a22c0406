// Package gateway brings Amazon API Gateway's control plane into any Go
// program as net/http building blocks: APIs with routes, immutable
// deployments, stages, custom domains, the per-request $context
// (RequestContext) and AWS's gateway responses. Integrations live in the
// integration package; every feature is an http.Handler or a
// func(http.Handler) http.Handler, so each also works alone.
//
//	api := gateway.New("orders") // HTTP API profile by default
//	api.Handle("GET /health", integration.Mock(200, `{"status":"ok"}`))
//	api.Handle("GET /orders/{id}", integration.Handler(ordersHandler))
//	legacy, _ := integration.HTTP("http://legacy:8080/{proxy}")
//	api.Handle("ANY /legacy/{proxy+}", legacy)
//	prod, _ := api.Deploy("prod", gateway.StageVariables{"alias": "live"})
//	http.ListenAndServe(":8080", prod) // a Stage is an http.Handler
//
// A request flows through the route's steps in AWS's order (see Phase),
// each able to reject it through WriteError, then to the integration under
// the integration timeout. Unmatched requests, oversized bodies, timeouts
// and panics get the profile's AWS answer.
package gateway
