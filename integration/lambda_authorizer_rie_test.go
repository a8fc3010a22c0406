package integration_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/auth"
	"github.com/gatewaykit/gateway/integration"
	"github.com/gatewaykit/gateway/internal/lambdatest"
)

// TestRemoteCustomAuthorizerRIE runs a TOKEN authorizer built with
// lambda.Start under the real Runtime Interface Emulator, reached through
// the Lambda integration's Invoke API client.
func TestRemoteCustomAuthorizerRIE(t *testing.T) {
	lambdatest.RIEPath(t)
	bin := lambdatest.Build(t, "./testdata/lambda/authfn")
	rie := lambdatest.StartRIE(t, bin, lambdatest.Options{FunctionName: "authorizer"})

	remote, err := integration.LambdaInvoke(integration.LambdaInvokeConfig{
		FunctionName: "function", Endpoint: rie.Endpoint, Region: "us-east-1", Credentials: staticCreds, EmulatorErrors: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	authorizer, err := auth.NewCustom(auth.CustomConfig{Authorize: auth.InvokeHandler(remote.Invoke), DisableCache: true})
	if err != nil {
		t.Fatal(err)
	}
	api := gateway.New("t", gateway.Config{Profile: gateway.RESTAPI})
	var principal string
	if err := api.Handle("GET /secret", integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		principal = gateway.RequestContextFrom(r.Context()).Authorizer.PrincipalID
	}), authorizer.Route()); err != nil {
		t.Fatal(err)
	}
	if _, err := api.Deploy("prod", nil); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api)
	defer srv.Close()
	for token, want := range map[string]int{"allow": 200, "deny": 403, "stranger": 401} {
		resp, body := do(t, "GET", srv.URL+"/prod/secret", "", map[string]string{"Authorization": token})
		if resp.StatusCode != want {
			t.Errorf("token %q: %d %s, want %d\nemulator log:\n%s", token, resp.StatusCode, body, want, rie.Log())
		}
	}
	if principal != "remote-user" {
		t.Errorf("principal %q", principal)
	}
}
