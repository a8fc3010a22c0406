// Package websocket brings API Gateway's WebSocket APIs to any Go program:
// routes chosen by a route selection expression ($connect, $disconnect,
// $default and custom keys), integrations that are aws-lambda-go handlers
// (in-process or through the Lambda Invoke API) or plain Go functions,
// authorizers on $connect (any func(http.Handler) http.Handler, such as
// the auth package's), route responses, AWS's error frames and limits, and
// the @connections management API, over github.com/coder/websocket.
//
//	api := websocket.MustNew("chat", websocket.Config{}) // $request.body.action
//	join, _ := websocket.Lambda(joinHandler)             // an aws-lambda-go handler
//	api.Handle("join", join, websocket.WithRouteResponse())
//	api.Handle("$connect", nil, websocket.WithAuthorizer(jwt.Middleware()))
//	prod, _ := api.Deploy("prod", nil)
//	defer prod.Close()
//	http.Handle("/prod", prod)                                        // wss://host/prod
//	http.Handle("/prod/@connections/", iam.Middleware(prod.ConnectionsHandler()))
//	prod.PostToConnection(ctx, connectionID, []byte(`{"hello":"world"}`))
package websocket
