package gatewaytest_test

import (
	"context"
	"fmt"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/auth"
	"github.com/gatewaykit/gateway/gatewaytest"
	"github.com/gatewaykit/gateway/integration"
)

// A test of a JWT-protected route, in-process: the issuer is served on
// loopback and found by OIDC discovery, as AWS finds a real one.
func Example() {
	iss, err := gatewaytest.StartIssuer() // in a test: gatewaytest.NewIssuer(t)
	if err != nil {
		panic(err)
	}
	defer iss.Close()
	jwt, err := auth.NewJWT(context.Background(), iss.JWTConfig())
	if err != nil {
		panic(err)
	}
	defer jwt.Close()

	api := gateway.New("orders")
	if err := api.Handle("GET /orders/{id}", integration.Mock(200, `{"id":"7"}`), jwt.Route("orders:read")); err != nil {
		panic(err)
	}
	stage, err := api.Deploy("test", nil)
	if err != nil {
		panic(err)
	}

	res := gatewaytest.Call(stage, "GET", "/orders/7")
	fmt.Println(res.Code, res.Message())
	res = gatewaytest.Call(stage, "GET", "/orders/7", gatewaytest.Bearer(iss.Token(gatewaytest.Claims{"scope": "orders:read"})))
	fmt.Println(res.Code, res.Text())
	// Output:
	// 401 Unauthorized
	// 200 {"id":"7"}
}
