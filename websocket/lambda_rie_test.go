package websocket_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/integration"
	"github.com/gatewaykit/gateway/internal/lambdatest"
	"github.com/gatewaykit/gateway/websocket"
)

// TestRemoteLambdaRIE runs a WebSocket API whose routes call a real
// aws-lambda-go function under the Lambda Runtime Interface Emulator,
// through integration.LambdaInvoke's Invoke API client (the function name
// comes from a stage variable).
func TestRemoteLambdaRIE(t *testing.T) {
	bin := lambdatest.Build(t, "./testdata/lambda/wsfn")
	rie := lambdatest.StartRIE(t, bin, lambdatest.Options{})
	remote, err := integration.LambdaInvoke(integration.LambdaInvokeConfig{
		FunctionName: "${stageVariables.fn}",
		Endpoint:     rie.Endpoint,
		Region:       "us-east-1",
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret", Source: "test"}, nil
		}),
		EmulatorErrors: true,
	})
	must(t, err)
	fn, err := websocket.Lambda(remote) // a lambda.Handler: JSON in, JSON out
	must(t, err)

	api := websocket.MustNew("remote", websocket.Config{})
	must(t, api.Handle("$connect", fn))
	must(t, api.Handle("$default", fn, websocket.WithRouteResponse()))
	stage, err := api.Deploy("prod", gateway.StageVariables{"fn": "function"})
	must(t, err)
	srv := newServer(t, stage, stage)
	url := "ws" + srv.URL[len("http"):]

	if status, body := dialStatus(t, url+"?deny=1", nil); status != 403 || body != `{"message":"denied by function"}` {
		t.Errorf("denied connect: %d %s", status, body)
	}
	c := dial(t, url, nil)
	send(t, c, "hello remote")
	var got struct {
		EventType, RouteKey, Body, Stage string
		ConnectionID                     string `json:"connectionId"`
		MessageID                        string `json:"messageId"`
		StageVars                        map[string]string
	}
	must(t, json.Unmarshal([]byte(read(t, c)), &got))
	if got.EventType != "MESSAGE" || got.RouteKey != "$default" || got.Body != "hello remote" || got.Stage != "prod" ||
		!idPattern.MatchString(got.ConnectionID) || !idPattern.MatchString(got.MessageID) || got.StageVars["fn"] != "function" {
		t.Errorf("function saw %+v", got)
	}
	send(t, c, "fail")
	if f := readObject(t, c); f["message"] != "Internal server error" || f["connectionId"] != got.ConnectionID {
		t.Errorf("failure frame %v", f)
	}

	// Called directly, the integration reports the function's own
	// errorType and errorMessage, not the Go type of the error that
	// carried them across.
	ctx := gateway.NewContext(context.Background(), &gateway.RequestContext{StageVariables: gateway.StageVariables{"fn": "function"}})
	_, err = fn.Invoke(ctx, &websocket.Request{EventType: websocket.EventMessage, RouteKey: "$default", Body: []byte("fail")})
	var fe *websocket.FunctionError
	if !errors.As(err, &fe) || fe.Type != "purposeError" || fe.Message != "function failed on purpose" {
		t.Errorf("function error %#v (%v)", fe, err)
	}
}
