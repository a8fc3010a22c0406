package auth_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gatewaykit/gateway/auth"
)

// A repeated query-string identity source: the function judges the last
// value (the event's queryStringParameters), and the result must not be
// cached for another: ?token=X&token=good is allowed, ?token=X alone
// must still be judged, and refused.
func TestCustomRepeatedIdentityQuery(t *testing.T) {
	var judged []string
	allow := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["execute-api:Invoke"],"Resource":["*"]}]}`
	authorizer, err := auth.NewCustom(auth.CustomConfig{Type: auth.RequestType, IdentitySources: []string{"method.request.querystring.token"},
		Authorize: auth.RequestHandler(func(ctx context.Context, ev events.APIGatewayCustomAuthorizerRequestTypeRequest) (events.APIGatewayCustomAuthorizerResponse, error) {
			judged = append(judged, ev.QueryStringParameters["token"])
			if ev.QueryStringParameters["token"] != "good" {
				return events.APIGatewayCustomAuthorizerResponse{}, errors.New("Unauthorized")
			}
			var doc events.APIGatewayCustomAuthorizerPolicy
			_ = json.Unmarshal([]byte(allow), &doc)
			return events.APIGatewayCustomAuthorizerResponse{PrincipalID: "u", PolicyDocument: doc}, nil
		})})
	if err != nil {
		t.Fatal(err)
	}
	h := authorizer.Middleware(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	call := func(target string) int {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", target, nil))
		return w.Code
	}
	if code := call("/x?token=X&token=good"); code != 200 {
		t.Fatalf("X then good: %d", code)
	}
	if code := call("/x?token=X"); code != 401 {
		t.Errorf("?token=X alone after X-then-good was allowed: %d (judged %q)", code, judged)
	}
}
