// Package lambdafn holds what the Lambda integrations of HTTP and
// WebSocket APIs share: lambda.Start's rules for handler signatures, how
// API Gateway renders authorizer output into Lambda events, and which
// headers of a function's answer it keeps.
package lambdafn

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/internal/hostport"
)

var (
	ctxType = reflect.TypeFor[context.Context]()
	errType = reflect.TypeFor[error]()
)

// CheckSignature applies lambda.Start's rules to a func type.
func CheckSignature(t reflect.Type) error {
	switch n := t.NumIn(); {
	case n > 2:
		return fmt.Errorf("handlers may not take more than two arguments, but handler takes %d", n)
	case n == 2:
		a := t.In(0)
		if a.Kind() != reflect.Interface || !ctxType.Implements(a) || !a.Implements(ctxType) {
			return fmt.Errorf("handler takes two arguments, but the first is not Context. got %s", a.Kind())
		}
	case n == 1:
		a := t.In(0)
		if a.Kind() == reflect.Interface && a.NumMethod() > 0 && (!ctxType.Implements(a) || !a.Implements(ctxType)) {
			return fmt.Errorf("handler takes an interface, but it is not context.Context: %q", a.Name())
		}
	}
	switch n := t.NumOut(); {
	case n > 2:
		return errors.New("handler may not return more than two values")
	case n == 2:
		if !t.Out(1).Implements(errType) {
			return errors.New("handler returns two values, but the second does not implement error")
		}
	case n == 1:
		if !t.Out(0).Implements(errType) {
			return errors.New("handler returns a single value, but it does not implement error")
		}
	}
	return nil
}

// StringClaims renders claims as API Gateway does: every value a string,
// numbers in plain notation, arrays as "[a b c]".
func StringClaims(claims map[string]any) map[string]string {
	m := make(map[string]string, len(claims))
	for k, v := range claims {
		m[k] = ClaimString(v)
	}
	return m
}

// ClaimString renders one claim or authorizer context value.
func ClaimString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(x), 'f', -1, 32)
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case []string:
		return "[" + strings.Join(x, " ") + "]"
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = ClaimString(e)
		}
		return "[" + strings.Join(parts, " ") + "]"
	case interface{ String() string }:
		return x.String()
	}
	// Any other type (int32, uint64, []int, structs, ...): its JSON text,
	// or fmt's rendering when it has none.
	if b, err := json.Marshal(v); err == nil {
		return string(b)
	}
	return fmt.Sprint(v)
}

// FlatAuthorizer is requestContext.authorizer as REST and WebSocket events
// carry it: JWT or Cognito claims as {"claims": ..., "scopes": ...}, else a
// Lambda authorizer's principalId and context flattened with values
// stringified, with integrationLatency. Nil without an authorizer.
func FlatAuthorizer(a *gateway.AuthorizerOutput) map[string]any {
	if a == nil {
		return nil
	}
	if a.Claims != nil {
		var scopes any
		if a.Scopes != nil {
			scopes = a.Scopes
		}
		return map[string]any{"claims": StringClaims(a.Claims), "scopes": scopes}
	}
	m := make(map[string]any, len(a.Context)+2)
	for k, v := range a.Context {
		m[k] = ClaimString(v)
	}
	if a.PrincipalID != "" {
		m["principalId"] = a.PrincipalID
	}
	m["integrationLatency"] = a.Latency.Milliseconds()
	return m
}

// Identity is requestContext.identity of REST (1.0) and WebSocket events.
func Identity(id *gateway.Identity) events.APIGatewayRequestIdentity {
	return events.APIGatewayRequestIdentity{
		CognitoIdentityPoolID:         id.CognitoIdentityPoolID,
		AccountID:                     id.AccountID,
		CognitoIdentityID:             id.CognitoIdentityID,
		Caller:                        id.Caller,
		APIKey:                        id.APIKey,
		APIKeyID:                      id.APIKeyID,
		AccessKey:                     id.AccessKey,
		SourceIP:                      id.SourceIP,
		CognitoAuthenticationType:     id.CognitoAuthenticationType,
		CognitoAuthenticationProvider: id.CognitoAuthenticationProvider,
		UserArn:                       id.UserARN,
		UserAgent:                     id.UserAgent,
		User:                          id.User,
	}
}

// TypeName is the errorType the Lambda runtime reports for a value.
func TypeName(v any) string {
	t := reflect.TypeOf(v)
	if t == nil {
		return "nil"
	}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Name()
}

// AddHeader adds a response header from a function's proxy answer. Names that are not
// valid tokens and hop-by-hop headers are dropped, and CR/LF removed from
// values. With dedupe a value already present under the name (from
// multiValueHeaders) is not added again, as API Gateway keeps only one copy
// of a pair found in both maps.
func AddHeader(h http.Header, name, value string, dedupe bool) {
	if !validHeaderName(name) {
		return
	}
	key := http.CanonicalHeaderKey(name)
	switch key {
	case "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Te", "Trailer", "Proxy-Connection":
		return // hop-by-hop: the gateway's connection, not the function's
	}
	value = strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' || r == 0 {
			return -1
		}
		return r
	}, value)
	if dedupe {
		for _, v := range h[key] {
			if v == value {
				return
			}
		}
	}
	h[key] = append(h[key], value)
}

func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

// ForwardedHeaders returns the X-Forwarded-* values API Gateway adds: the
// client's X-Forwarded-For with the TCP peer appended, the port the
// request came in on and its scheme.
func ForwardedHeaders(r *http.Request) (xff, port, proto string) {
	peer := hostport.Host(r.RemoteAddr)
	xff = peer
	if prior := r.Header.Values("X-Forwarded-For"); len(prior) > 0 {
		xff = strings.Join(prior, ", ") + ", " + peer
	}
	proto, port = "http", "80"
	if r.TLS != nil {
		proto, port = "https", "443"
	}
	if a, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr); ok {
		if _, p, err := net.SplitHostPort(a.String()); err == nil {
			port = p
		}
	} else if _, p, err := net.SplitHostPort(r.Host); err == nil {
		port = p
	}
	return xff, port, proto
}
