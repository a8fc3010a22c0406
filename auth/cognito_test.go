package auth_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/auth"
	"github.com/gatewaykit/gateway/integration"
)

func TestCognitoIssuer(t *testing.T) {
	for arn, want := range map[string]string{
		"arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbC123":             "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123",
		"arn:aws-us-gov:cognito-idp:us-gov-west-1:123456789012:userpool/us-gov-west-1_Ab1": "https://cognito-idp.us-gov-west-1.amazonaws.com/us-gov-west-1_Ab1",
		"arn:aws-cn:cognito-idp:cn-north-1:123456789012:userpool/cn-north-1_Ab1":           "https://cognito-idp.cn-north-1.amazonaws.com.cn/cn-north-1_Ab1",
	} {
		if got, err := auth.CognitoIssuer(arn); err != nil || got != want {
			t.Errorf("CognitoIssuer(%q) = %q, %v; want %q", arn, got, err, want)
		}
	}
	for _, arn := range []string{
		"",
		"arn:foo:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbC123",
		"arn:aws:cognito-idp:eu-west-1::userpool/eu-west-1_AbC123",
		"arn:aws:cognito-idp:eu-west-1:12345678901x:userpool/eu-west-1_AbC123",
		"arn:aws:cognito-idp:eu-west-1:123456789012:userpool/",
		"arn:aws:cognito-idp:eu-west-1:123456789012:userpool/${stageVariables.pool}",
		"arn:aws:cognito-idp:eu-west-1:123456789012:userpool/us-east-1_AbC123", // another region's pool
		"arn:aws:cognito-identity:eu-west-1:123456789012:identitypool/eu-west-1:1234",
		"arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_a/../x",
		"arn:aws:cognito-idp:EU/x:123456789012:userpool/EU/x_a",
		"arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbC:extra",
	} {
		if iss, err := auth.CognitoIssuer(arn); err == nil {
			t.Errorf("CognitoIssuer(%q) = %q", arn, iss)
		}
	}
}

// cognitoPool returns a user pool authorizer (closed with the test) for
// tokens signed by rsaKey1 as k1, its issuer, and the time it believes.
func cognitoPool(t *testing.T) (*auth.JWT, string, time.Time) {
	t.Helper()
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
	t.Cleanup(func() { a.Close() })
	return a, iss, now
}

// A user pool authorizer takes ID tokens of any app client on a method
// without scopes, access tokens holding a scope on a method with scopes,
// and answers 401 to every other token.
func TestCognitoUserPoolTokens(t *testing.T) {
	a, iss, now := cognitoPool(t)
	open, _ := protected(t, a)
	scoped, seen := protected(t, a, "orders/read")

	token := func(extra map[string]any) string {
		c := claims(now, map[string]any{"iss": iss, "scope": nil})
		for k, v := range extra {
			c[k] = v
		}
		return sign("RS256", rsaKey1, map[string]any{"kid": "k1"}, c)
	}
	idToken := token(map[string]any{"token_use": "id", "aud": "any-app-client", "email": "a@example.com"})
	accessToken := token(map[string]any{"token_use": "access", "aud": nil, "client_id": "another-client", "scope": "orders/read openid"})
	otherScope := token(map[string]any{"token_use": "access", "client_id": "c", "scope": "orders/write"})
	scopedID := token(map[string]any{"token_use": "id", "aud": "c", "scope": "orders/read"}) // an ID token never serves a scoped method
	noUse := token(nil)
	foreign := sign("RS256", rsaKey1, map[string]any{"kid": "k1"}, claims(now, map[string]any{"token_use": "id"})) // another issuer

	for _, c := range []struct {
		name  string
		stage http.Handler
		token string
		want  int
	}{
		{"ID token, no scopes", open, idToken, 200},
		{"ID token after Bearer", open, "Bearer " + idToken, 200},
		{"access token, no scopes", open, accessToken, 401},
		{"no token_use, no scopes", open, noUse, 401},
		{"another issuer", open, foreign, 401},
		{"access token with the scope", scoped, accessToken, 200},
		{"access token without it", scoped, otherScope, 401},
		{"ID token on a scoped method", scoped, idToken, 401},
		{"ID token with the scope claim", scoped, scopedID, 401},
	} {
		rec := call(c.stage, "Authorization", c.token)
		if rec.Code != c.want {
			t.Errorf("%s: %d %s, want %d", c.name, rec.Code, rec.Body, c.want)
			continue
		}
		if c.want == 401 && rec.Body.String() != `{"message":"Unauthorized"}` {
			t.Errorf("%s: body %s", c.name, rec.Body)
		}
	}
	if out := seen.Load(); out == nil || out.Claims["client_id"] != "another-client" || len(out.Scopes) != 2 {
		t.Errorf("authorizer output %+v", out)
	}

	// Audience, when set, still limits the app clients.
	b, err := auth.NewJWT(context.Background(), auth.JWTConfig{Issuer: iss, CognitoUserPool: true, Audience: []string{"web"},
		KeySet: keySet(t, map[string]any{"k1": &rsaKey1.PublicKey}), Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	limited, _ := protected(t, b)
	if rec := call(limited, "Authorization", idToken); rec.Code != 401 {
		t.Errorf("another app client with Audience set: %d", rec.Code)
	}
	if rec := call(limited, "Authorization", token(map[string]any{"token_use": "id", "aud": "web"})); rec.Code != 200 {
		t.Errorf("the listed app client: %d %s", rec.Code, rec.Body)
	}
}

// A repeated Authorization header whose values differ is refused: the
// REST Lambda proxy event carries the last value, so verifying the first
// would hand the function an unverified token (an unsigned one claiming
// another user) next to the verified caller's claims.
func TestJWTRepeatedIdentityHeaderRefused(t *testing.T) {
	a, iss, now := cognitoPool(t)
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
