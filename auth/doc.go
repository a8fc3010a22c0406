// Package auth holds gatewaykit's authorizers. Each is middleware that
// works inside a gateway stage (attached with Route) and alone around any
// http.Handler, and rejects through gateway.WriteError with AWS's answers.
//
// The JWT authorizer is API Gateway's HTTP API JWT authorizer: issuer,
// audience (or client_id), exp/nbf/iat, an explicit algorithm allow-list
// (never "none", never HMAC with a public key), keys from a static set, a
// JWKS URL or OIDC discovery with background refresh and bounded refetch
// on unknown key ids, and a bounded cache of verified tokens.
//
//	jwt, err := auth.NewJWT(ctx, auth.JWTConfig{
//		Issuer:   "https://issuer.example.com",
//		Audience: []string{"orders"},
//	})
//	if err != nil { ... }
//	defer jwt.Close()
//	api.Handle("GET /orders/{id}", orders, jwt.Route("orders:read"))
package auth
