package gatewaytest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/auth"
	"github.com/gatewaykit/gateway/gatewaytest"
	"github.com/gatewaykit/gateway/integration"
)

var whoami = integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	rc := gateway.RequestContextFrom(r.Context())
	body, _ := io.ReadAll(r.Body)
	out := map[string]any{"body": string(body), "sourceIp": rc.Identity.SourceIP, "userArn": rc.Identity.UserARN}
	if rc.Authorizer != nil {
		out["sub"] = rc.Authorizer.Claims["sub"]
	}
	_ = json.NewEncoder(w).Encode(out)
})

// TestIssuer: tokens from the test issuer pass a JWT authorizer found by
// OIDC discovery; scopes are enforced; a rotated key verifies at once and
// a retired one no longer does.
func TestIssuer(t *testing.T) {
	iss := gatewaytest.NewIssuer(t)
	jwt, err := auth.NewJWT(context.Background(), iss.JWTConfig())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = jwt.Close() })
	api := gateway.New("orders")
	if err := api.Handle("GET /orders/{id}", whoami, jwt.Route("orders:read")); err != nil {
		t.Fatal(err)
	}
	stage, err := api.Deploy("test", nil)
	if err != nil {
		t.Fatal(err)
	}
	call := func(token string) gatewaytest.Response {
		return gatewaytest.Call(stage, "GET", "/orders/7", gatewaytest.Bearer(token))
	}

	old := iss.Token(gatewaytest.Claims{"scope": "orders:read", "sub": "alice"})
	res := call(old)
	var body map[string]any
	if res.Code != 200 || res.JSON(&body) != nil || body["sub"] != "alice" {
		t.Fatalf("valid token: %d %s", res.Code, res.Text())
	}
	if res := call(iss.Token(gatewaytest.Claims{"scope": "profile"})); res.Code != 403 || res.Message() != "Forbidden" {
		t.Fatalf("missing scope: %d %q", res.Code, res.Message())
	}
	if res := call(iss.Token(gatewaytest.Claims{"scope": "orders:read", "aud": "someone-else"})); res.Code != 401 {
		t.Fatalf("foreign audience: %d", res.Code)
	}
	if res := gatewaytest.Call(stage, "GET", "/orders/7"); res.Code != 401 || res.Message() != "Unauthorized" || res.RequestID() == "" {
		t.Fatalf("no token: %d %q, request id %q", res.Code, res.Message(), res.RequestID())
	}

	if err := iss.Rotate(); err != nil {
		t.Fatal(err)
	}
	if res := call(iss.Token(gatewaytest.Claims{"scope": "orders:read"})); res.Code != 200 {
		t.Fatalf("token from the rotated key (%s): %d %s", iss.KeyID(), res.Code, res.Text())
	}
	iss.Retire()
	// The old token is cached as verified until its exp; a new authorizer
	// has no cache and must refuse the retired key.
	fresh, err := auth.NewJWT(context.Background(), iss.JWTConfig())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = fresh.Close() })
	if _, err := fresh.Verify(context.Background(), old); err == nil {
		t.Fatal("a token signed with a retired key verified")
	}
}

// TestSigV4: a request signed by the SDK's signer through gatewaytest
// passes the SigV4 authorizer, with its body; a wrong secret does not.
func TestSigV4(t *testing.T) {
	creds := auth.Credentials{SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", UserARN: "arn:aws:iam::123456789012:user/alice"}
	sig, err := auth.NewSigV4(auth.SigV4Config{Credentials: auth.StaticCredentials{"AKIDEXAMPLE": creds}, Region: "eu-west-1"})
	if err != nil {
		t.Fatal(err)
	}
	api := gateway.New("orders")
	if err := api.Handle("POST /orders", whoami, sig.Route()); err != nil {
		t.Fatal(err)
	}
	stage, err := api.Deploy("test", nil)
	if err != nil {
		t.Fatal(err)
	}
	res := gatewaytest.Call(stage, "POST", "/orders", gatewaytest.JSON(map[string]int{"qty": 2}), gatewaytest.RemoteAddr("203.0.113.9:4000"),
		gatewaytest.SigV4("AKIDEXAMPLE", creds, "eu-west-1"))
	var body map[string]any
	if res.Code != 200 || res.JSON(&body) != nil || body["body"] != `{"qty":2}` || body["userArn"] != creds.UserARN || body["sourceIp"] != "203.0.113.9" {
		t.Fatalf("signed request: %d %s", res.Code, res.Text())
	}
	wrong := creds
	wrong.SecretAccessKey = "not-the-secret"
	if res := gatewaytest.Call(stage, "POST", "/orders", gatewaytest.SigV4("AKIDEXAMPLE", wrong, "eu-west-1")); res.Code != 403 {
		t.Fatalf("wrong secret: %d %s", res.Code, res.Text())
	}
}

// Header("Host", ...) sets the Host the gateway reads: a custom domain
// serves the call.
func TestHeaderHost(t *testing.T) {
	api := gateway.New("shop")
	if err := api.Handle("GET /x", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(gateway.RequestContextFrom(r.Context()).DomainName))
	})); err != nil {
		t.Fatal(err)
	}
	stage, err := api.Deploy("prod", nil)
	if err != nil {
		t.Fatal(err)
	}
	d := gateway.NewDomain("shop.example.com")
	if err := d.Map("", stage); err != nil {
		t.Fatal(err)
	}
	var mux gateway.DomainMux
	if err := mux.Add(d); err != nil {
		t.Fatal(err)
	}
	if res := gatewaytest.Call(&mux, "GET", "/x", gatewaytest.Header("Host", "shop.example.com")); res.Code != 200 || res.Text() != "shop.example.com" {
		t.Errorf("%d %q", res.Code, res.Text())
	}
}
