package auth

import (
	"context"
	"errors"
	"net/http"
	"slices"

	"github.com/gatewaykit/gateway"
)

type tokenKey struct{}

// TokenFrom returns the verified token of a request that passed a JWT
// authorizer, inside a gateway stage or not.
func TokenFrom(ctx context.Context) *Token {
	t, _ := ctx.Value(tokenKey{}).(*Token)
	return t
}

// Route returns the route option that protects a route with this
// authorizer, requiring at least one of scopes when any are given (AWS's
// authorizationScopes).
func (a *JWT) Route(scopes ...string) gateway.RouteOption {
	return gateway.WithMiddleware(gateway.PhaseAuthorize, a.Middleware(scopes...))
}

// Middleware returns the authorizer as middleware around any handler.
// Requests without a valid token get 401 {"message":"Unauthorized"} with a
// WWW-Authenticate header describing the problem, as AWS answers; a valid
// token without one of the required scopes gets 403
// {"message":"Forbidden"} (401 in CognitoUserPool mode, which also checks
// the kind of token here: see JWTConfig.CognitoUserPool). Inside a gateway stage the claims and scopes
// land in RequestContext.Authorizer; everywhere, TokenFrom returns them.
func (a *JWT) Middleware(scopes ...string) func(http.Handler) http.Handler {
	required := slices.Clone(scopes)
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			t, err := a.Verify(r.Context(), a.source.token(r))
			if err != nil {
				desc := "the token is invalid"
				var te *tokenError
				if errors.As(err, &te) {
					desc = te.desc
				}
				gateway.WriteError(w, r, &gateway.Error{
					Type:   gateway.ResponseUnauthorized,
					Header: http.Header{"Www-Authenticate": {`Bearer scope="" error="invalid_token" error_description="` + desc + `"`}},
					Err:    err,
				})
				return
			}
			if a.cfg.CognitoUserPool && !cognitoTokenFits(t, required) {
				gateway.WriteError(w, r, &gateway.Error{
					Type:   gateway.ResponseUnauthorized,
					Header: http.Header{"Www-Authenticate": {`Bearer scope="` + joinScopes(required) + `" error="invalid_token" error_description="the token is not of the kind or scope the method takes"`}},
					Err:    errors.New("auth: a Cognito token of the wrong kind or without the scope"),
				})
				return
			}
			if len(required) > 0 && !slices.ContainsFunc(required, func(s string) bool { return slices.Contains(t.Scopes, s) }) {
				gateway.WriteError(w, r, &gateway.Error{
					Type:    gateway.ResponseAccessDenied,
					Message: "Forbidden",
					Header:  http.Header{"Www-Authenticate": {`Bearer scope="` + joinScopes(required) + `" error="insufficient_scope" error_description="the token does not have the required scope"`}},
				})
				return
			}
			if rc := gateway.RequestContextFrom(r.Context()); rc != nil {
				rc.Authorizer = &gateway.AuthorizerOutput{PrincipalID: t.Subject, Claims: t.Claims, Scopes: t.Scopes}
			}
			next.ServeHTTP(w, gateway.WithValue(r, tokenKey{}, t))
		})
	}
}

// cognitoTokenFits reports whether a user pool's token suits a method
// with the required scopes: an ID token when there are none, else an
// access token holding one of them.
func cognitoTokenFits(t *Token, required []string) bool {
	use, _ := t.Claims["token_use"].(string)
	if len(required) == 0 {
		return use == "id"
	}
	return use == "access" && slices.ContainsFunc(required, func(s string) bool { return slices.Contains(t.Scopes, s) })
}

func joinScopes(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += " "
		}
		out += x
	}
	return out
}
