package integration_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/integration"
	"github.com/gatewaykit/gateway/transform"
)

// A panicking non-proxy Lambda function answers through the integration
// responses, like any function error, instead of aborting the connection.
func TestCustomLambdaPanic(t *testing.T) {
	h, err := integration.NewCustomLambda(func(context.Context, []byte) ([]byte, error) { panic("boom") }, transform.MappingConfig{
		Responses: []transform.IntegrationResponse{{}, {SelectionPattern: "boom", StatusCode: 500}},
	})
	if err != nil {
		t.Fatal(err)
	}
	api := gateway.New("t", gateway.Config{Profile: gateway.RESTAPI})
	if err := api.Handle("POST /x", h); err != nil {
		t.Fatal(err)
	}
	s, _ := api.Deploy("prod", nil)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("POST", "/x", strings.NewReader("{}")))
	if rec.Code != 500 || !strings.Contains(rec.Body.String(), "boom") {
		t.Errorf("got %d %s", rec.Code, rec.Body)
	}
}

// Authorizer context values of any Go type reach Lambda events without
// crashing the process, and the event's maps are the handler's own.
func TestLambdaEventOddContextTypes(t *testing.T) {
	for _, profile := range []gateway.Profile{gateway.RESTAPI, gateway.HTTPAPI} {
		for _, typed := range []bool{true, false} {
			var handler any = func(ctx context.Context, ev map[string]any) (map[string]any, error) {
				return map[string]any{"statusCode": 200, "body": "ok"}, nil
			}
			if typed && profile == gateway.RESTAPI {
				handler = func(ctx context.Context, ev events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
					ev.StageVariables["mutated"] = "yes" // legal on AWS: the event is the handler's
					return events.APIGatewayProxyResponse{StatusCode: 200, Body: ev.RequestContext.Authorizer["n"].(string)}, nil
				}
			} else if typed {
				handler = func(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
					ev.StageVariables["mutated"] = "yes"
					ev.RequestContext.Authorizer.Lambda["added"] = 1
					return events.APIGatewayV2HTTPResponse{StatusCode: 200, Body: "ok"}, nil
				}
			}
			fn, err := integration.Lambda(handler)
			if err != nil {
				t.Fatal(err)
			}
			shared := map[string]any{"n": int32(5), "u": uint64(7), "list": []int{1, 2}, "obj": struct{ A int }{1}}
			setAuth := gateway.WithMiddleware(gateway.PhaseAuthorize, func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					gateway.RequestContextFrom(r.Context()).Authorizer = &gateway.AuthorizerOutput{PrincipalID: "p", Context: shared}
					next.ServeHTTP(w, r)
				})
			})
			api := gateway.New("t", gateway.Config{Profile: profile})
			if err := api.Handle("GET /x", fn, setAuth); err != nil {
				t.Fatal(err)
			}
			stage, _ := api.Deploy("prod", gateway.StageVariables{"env": "prod"})
			rec := httptest.NewRecorder()
			stage.ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
			if rec.Code != 200 {
				t.Errorf("%v typed=%v: %d %s", profile, typed, rec.Code, rec.Body)
			}
			if _, changed := stage.Variables()["mutated"]; changed {
				t.Errorf("%v typed=%v: the handler changed the stage's variables", profile, typed)
			}
			if _, changed := shared["added"]; changed {
				t.Errorf("%v typed=%v: the handler changed the authorizer's shared context", profile, typed)
			}
		}
	}
}
