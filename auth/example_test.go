package auth_test

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/auth"
	"github.com/gatewaykit/gateway/gatewaytest"
)

// A JWT authorizer on a route that requires a scope: a token with it
// passes, a token without it is 403, no token is 401.
func ExampleNewJWT() {
	iss, err := gatewaytest.StartIssuer() // an OIDC issuer on loopback
	if err != nil {
		fmt.Println(err)
		return
	}
	defer iss.Close()
	jwt, err := auth.NewJWT(context.Background(), iss.JWTConfig()) // its issuer and audience
	if err != nil {
		fmt.Println(err)
		return
	}
	defer jwt.Close()

	api := gateway.New("orders")
	_ = api.Handle("GET /orders/{id}", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, _ := gateway.RequestContextFrom(r.Context()).PathParameters.Get("id")
		fmt.Fprintf(w, "order %s for %s", id, auth.TokenFrom(r.Context()).Subject)
	}), jwt.Route("orders:read"))
	stage, _ := api.Deploy("prod", nil)

	for _, opts := range [][]gatewaytest.Option{
		{gatewaytest.Bearer(iss.Token(gatewaytest.Claims{"sub": "alice", "scope": "orders:read"}))},
		{gatewaytest.Bearer(iss.Token(gatewaytest.Claims{"sub": "bob", "scope": "profile"}))},
		nil,
	} {
		res := gatewaytest.Call(stage, "GET", "/orders/7", opts...)
		fmt.Println(res.Code, res.Text())
	}
	// Output:
	// 200 order 7 for alice
	// 403 {"message":"Forbidden"}
	// 401 {"message":"Unauthorized"}
}

// The issuer of a Cognito user pool's tokens, for a JWT authorizer in
// CognitoUserPool mode (a REST API's COGNITO_USER_POOLS authorizer).
func ExampleCognitoIssuer() {
	iss, err := auth.CognitoIssuer("arn:aws:cognito-idp:eu-west-1:111122223333:userpool/eu-west-1_Example1")
	fmt.Println(iss, err)
	// Output:
	// https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example1 <nil>
}

// A TOKEN custom authorizer, as a Go function: it allows one token with
// an IAM policy and names the principal, which the integration reads from
// the request context.
func ExampleNewCustom() {
	allow, err := auth.ParsePolicy([]byte(`{"Version": "2012-10-17", "Statement": [
		{"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "arn:aws:execute-api:*:*:*/prod/GET/orders/*"}]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	authorizer, err := auth.NewCustom(auth.CustomConfig{
		Authorize: func(ctx context.Context, req *auth.AuthorizerRequest) (*auth.AuthorizerResponse, error) {
			if req.AuthorizationToken != "let-me-in" {
				return nil, auth.ErrUnauthorized
			}
			return &auth.AuthorizerResponse{PrincipalID: "alice", Policy: allow}, nil
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	api := gateway.New("orders", gateway.Config{Profile: gateway.RESTAPI})
	_ = api.Handle("GET /orders/{id}", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "order for ", gateway.RequestContextFrom(r.Context()).Authorizer.PrincipalID)
	}), authorizer.Route())
	stage, _ := api.Deploy("prod", nil)

	for _, token := range []string{"let-me-in", "guess"} {
		res := gatewaytest.Call(stage, "GET", "/orders/7", gatewaytest.Header("Authorization", token))
		fmt.Println(res.Code, res.Text())
	}
	// Output:
	// 200 order for alice
	// 401 {"message":"Unauthorized"}
}

// A SigV4 (AWS_IAM) authorizer verifying a request signed by the AWS SDK's
// own signer; the verified caller fills $context.identity.
func ExampleNewSigV4() {
	iam, err := auth.NewSigV4(auth.SigV4Config{
		Region: "eu-west-1",
		Credentials: auth.StaticCredentials{
			"AKIDEXAMPLE": {SecretAccessKey: "secret", UserARN: "arn:aws:iam::111122223333:user/alice"},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	api := gateway.New("orders")
	_ = api.Handle("GET /orders/{id}", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "order for ", gateway.RequestContextFrom(r.Context()).Identity.UserARN)
	}), iam.Route())
	stage, _ := api.Deploy("prod", nil)

	req, _ := http.NewRequest("GET", "http://example.com/orders/7", nil) // the host gatewaytest.Call sends
	const emptyBodyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	creds := aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret"}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, emptyBodyHash, "execute-api", "eu-west-1", time.Now()); err != nil {
		fmt.Println(err)
		return
	}
	signed := gatewaytest.Call(stage, "GET", "/orders/7", gatewaytest.Header("Authorization", req.Header.Get("Authorization")),
		gatewaytest.Header("X-Amz-Date", req.Header.Get("X-Amz-Date")))
	fmt.Println(signed.Code, signed.Text())
	unsigned := gatewaytest.Call(stage, "GET", "/orders/7")
	fmt.Println(unsigned.Code, unsigned.Text())
	// Output:
	// 200 order for arn:aws:iam::111122223333:user/alice
	// 403 {"message":"Forbidden"}
}

// A REST API's Cognito user-pool authorizer: ID tokens on methods without
// scopes, access tokens holding a scope on methods with them. (Here a test
// issuer signs the tokens and serves the keys in the pool's place.)
func ExampleJWTConfig_cognitoUserPool() {
	keys, err := gatewaytest.StartIssuer()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer keys.Close()
	pool, _ := auth.CognitoIssuer("arn:aws:cognito-idp:eu-west-1:111122223333:userpool/eu-west-1_Example1")
	cognito, err := auth.NewJWT(context.Background(), auth.JWTConfig{Issuer: pool, CognitoUserPool: true, JWKSURL: keys.URL + "/jwks.json"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer cognito.Close()

	api := gateway.New("pets", gateway.Config{Profile: gateway.RESTAPI})
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") })
	_ = api.Handle("GET /me", ok, cognito.Route())
	_ = api.Handle("GET /orders", ok, cognito.Route("orders/read"))
	stage, _ := api.Deploy("prod", nil)

	idToken := keys.Token(gatewaytest.Claims{"iss": pool, "aud": "app-client", "token_use": "id"})
	accessToken := keys.Token(gatewaytest.Claims{"iss": pool, "aud": nil, "client_id": "app-client", "token_use": "access", "scope": "orders/read"})
	for _, c := range []struct{ path, token string }{
		{"/me", idToken}, {"/me", accessToken}, {"/orders", accessToken}, {"/orders", idToken},
	} {
		res := gatewaytest.Call(stage, "GET", c.path, gatewaytest.Header("Authorization", c.token))
		fmt.Println(c.path, res.Code)
	}
	// Output:
	// /me 200
	// /me 401
	// /orders 200
	// /orders 401
}
