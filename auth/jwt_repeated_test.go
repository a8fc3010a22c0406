package auth_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/auth"
	"github.com/gatewaykit/gateway/integration"
)

// A repeated Authorization header whose values differ is refused: the
// REST Lambda proxy event carries the last value, so verifying the first
// would hand the function an unverified token (an unsigned one claiming
// another user) next to the verified caller's claims.
func TestJWTRepeatedIdentityHeaderRefused(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	iss, err := auth.CognitoIssuer("arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Pool1")
	if err != nil {
		t.Fatal(err)
	}
	a, err := auth.NewJWT(context.Background(), auth.JWTConfig{Issuer: iss, CognitoUserPool: true,
		IdentitySource: "method.request.header.Authorization",
		KeySet:         keySet(t, map[string]any{"k1": &rsaKey1.PublicKey}), Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	valid := sign("RS256", rsaKey1, map[string]any{"kid": "k1"}, func() map[string]any {
		c := claims(now, map[string]any{"iss": iss, "scope": nil, "token_use": "id", "aud": "app", "sub": "attacker"})
		return c
	}())
	forged := "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ2aWN0aW0ifQ." // {"alg":"none"}.{"sub":"victim"}
	var got events.APIGatewayProxyRequest
	fn, err := integration.Lambda(func(ctx context.Context, ev events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
		got = ev
		return events.APIGatewayProxyResponse{StatusCode: 200}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	api := gateway.New("t", gateway.Config{Profile: gateway.RESTAPI})
	if err := api.Handle("GET /orders", fn, a.Route()); err != nil {
		t.Fatal(err)
	}
	st, err := api.Deploy("prod", nil)
	if err != nil {
		t.Fatal(err)
	}
	call := func(values ...string) int {
		req := httptest.NewRequest("GET", "/orders", nil)
		req.Header["Authorization"] = values
		rec := httptest.NewRecorder()
		st.ServeHTTP(rec, req)
		return rec.Code
	}
	for i, vs := range [][]string{{valid, forged}, {forged, valid}, {valid, "Bearer " + valid + "x"}} {
		got = events.APIGatewayProxyRequest{}
		if code := call(vs...); code != 401 || got.Headers != nil {
			t.Errorf("pair %d: %d, function reached: %v", i, code, got.Headers != nil)
		}
	}
	if code := call(valid, valid); code != 200 || got.Headers["Authorization"] != valid {
		t.Errorf("the same token twice: %d, event %q", code, got.Headers["Authorization"])
	}
	if code := call("Bearer " + valid); code != 200 {
		t.Errorf("one bearer token: %d", code)
	}
}
