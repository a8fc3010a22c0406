package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/internal/query"
)

// TokenHandler runs an aws-lambda-go TOKEN authorizer handler unchanged.
func TokenHandler(h func(context.Context, events.APIGatewayCustomAuthorizerRequest) (events.APIGatewayCustomAuthorizerResponse, error)) AuthorizeFunc {
	return func(ctx context.Context, req *AuthorizerRequest) (*AuthorizerResponse, error) {
		out, err := h(ctx, events.APIGatewayCustomAuthorizerRequest{Type: "TOKEN", AuthorizationToken: req.AuthorizationToken, MethodArn: req.MethodArn})
		if err != nil {
			return nil, err
		}
		return fromLambdaResponse(out), nil
	}
}

// RequestHandler runs an aws-lambda-go REQUEST authorizer handler unchanged.
func RequestHandler(h func(context.Context, events.APIGatewayCustomAuthorizerRequestTypeRequest) (events.APIGatewayCustomAuthorizerResponse, error)) AuthorizeFunc {
	return func(ctx context.Context, req *AuthorizerRequest) (*AuthorizerResponse, error) {
		out, err := h(ctx, requestEvent(req))
		if err != nil {
			return nil, err
		}
		return fromLambdaResponse(out), nil
	}
}

// SimpleHandler runs an aws-lambda-go HTTP API authorizer (payload 2.0)
// with simple responses ({"isAuthorized": bool, "context": {...}}).
func SimpleHandler(h func(context.Context, events.APIGatewayV2CustomAuthorizerV2Request) (events.APIGatewayV2CustomAuthorizerSimpleResponse, error)) AuthorizeFunc {
	return func(ctx context.Context, req *AuthorizerRequest) (*AuthorizerResponse, error) {
		out, err := h(ctx, v2Event(req))
		if err != nil {
			return nil, err
		}
		ok := out.IsAuthorized
		return &AuthorizerResponse{IsAuthorized: &ok, Context: out.Context}, nil
	}
}

// v2Event is the payload 2.0 event of an HTTP API Lambda authorizer.
func v2Event(req *AuthorizerRequest) events.APIGatewayV2CustomAuthorizerV2Request {
	r := req.Request
	ev := events.APIGatewayV2CustomAuthorizerV2Request{
		Version: "2.0", Type: "REQUEST", RouteArn: req.MethodArn, IdentitySource: req.IdentitySource,
		RawPath: r.URL.EscapedPath(), RawQueryString: r.URL.RawQuery, Headers: joinedHeaders(r.Header),
		QueryStringParameters: joinedQuery(r),
	}
	if rc := gateway.RequestContextFrom(r.Context()); rc != nil {
		ev.RouteKey = rc.RouteKey
		ev.PathParameters = rc.PathParameters.Map()
		ev.StageVariables = rc.StageVariables
		ev.RequestContext.AccountID, ev.RequestContext.APIID, ev.RequestContext.Stage = rc.AccountID, rc.APIID, rc.Stage
		ev.RequestContext.RequestID, ev.RequestContext.DomainName = rc.RequestID, rc.DomainName
		ev.RequestContext.HTTP.Method, ev.RequestContext.HTTP.Path = rc.HTTPMethod, rc.Path
		ev.RequestContext.HTTP.SourceIP, ev.RequestContext.HTTP.UserAgent = rc.Identity.SourceIP, rc.Identity.UserAgent
		ev.RequestContext.HTTP.Protocol = rc.Protocol
	}
	return ev
}

// InvokeHandlerV2 is InvokeHandler for an HTTP API authorizer with payload
// format 2.0: the event is aws-lambda-go's
// APIGatewayV2CustomAuthorizerV2Request; with simple responses the answer
// is {"isAuthorized": bool, "context": {...}}, otherwise an IAM policy
// response (isAuthorized is then not looked at: an answer without a
// policy is refused, as the authorizer was not configured for simple
// ones).
func InvokeHandlerV2(invoke func(ctx context.Context, payload []byte) ([]byte, error), simpleResponses bool) AuthorizeFunc {
	return func(ctx context.Context, req *AuthorizerRequest) (*AuthorizerResponse, error) {
		payload, err := json.Marshal(v2Event(req))
		if err != nil {
			return nil, err
		}
		out, err := invoke(ctx, payload)
		if err != nil {
			return nil, err
		}
		return parseInvokeAnswer(out, simpleResponses)
	}
}

// InvokeHandler runs an authorizer reached through a raw JSON invoker, such
// as a remote Lambda function: the event is the TOKEN or REQUEST event
// aws-lambda-go defines; the answer is parsed as AWS parses it (policy
// Action and Resource as a string or a list; a simple response with a
// boolean isAuthorized).
func InvokeHandler(invoke func(ctx context.Context, payload []byte) ([]byte, error)) AuthorizeFunc {
	return func(ctx context.Context, req *AuthorizerRequest) (*AuthorizerResponse, error) {
		var ev any = events.APIGatewayCustomAuthorizerRequest{Type: "TOKEN", AuthorizationToken: req.AuthorizationToken, MethodArn: req.MethodArn}
		if req.Type == "REQUEST" {
			ev = requestEvent(req)
		}
		payload, err := json.Marshal(ev)
		if err != nil {
			return nil, err
		}
		out, err := invoke(ctx, payload)
		if err != nil {
			return nil, err
		}
		return parseInvokeAnswer(out, true)
	}
}

// parseInvokeAnswer reads a Lambda authorizer's answer: a simple response
// when simple is set and the answer has isAuthorized, else an IAM policy
// response.
func parseInvokeAnswer(out []byte, simple bool) (*AuthorizerResponse, error) {
	var raw struct {
		PrincipalID        string          `json:"principalId"`
		PolicyDocument     json.RawMessage `json:"policyDocument"`
		Context            map[string]any  `json:"context"`
		UsageIdentifierKey string          `json:"usageIdentifierKey"`
		IsAuthorized       json.RawMessage `json:"isAuthorized"`
	}
	if err := json.Unmarshal(out, &raw); err != nil {
		return nil, fmt.Errorf("authorizer response: %w", err)
	}
	resp := &AuthorizerResponse{PrincipalID: raw.PrincipalID, Context: raw.Context, UsageIdentifierKey: raw.UsageIdentifierKey}
	if raw.IsAuthorized != nil && simple {
		var b bool
		if err := json.Unmarshal(raw.IsAuthorized, &b); err != nil {
			return nil, errors.New("authorizer response: isAuthorized must be a boolean") // "false" as a string never grants
		}
		resp.IsAuthorized = &b
		return resp, nil
	}
	var err error
	if resp.Policy, err = ParsePolicy(raw.PolicyDocument); err != nil {
		return nil, fmt.Errorf("authorizer response: %w", err)
	}
	return resp, nil
}

func fromLambdaResponse(out events.APIGatewayCustomAuthorizerResponse) *AuthorizerResponse {
	p := &Policy{Version: out.PolicyDocument.Version}
	for _, s := range out.PolicyDocument.Statement {
		p.Statement = append(p.Statement, Statement{Effect: s.Effect, Action: s.Action, Resource: s.Resource})
	}
	return &AuthorizerResponse{PrincipalID: out.PrincipalID, Policy: p, Context: out.Context, UsageIdentifierKey: out.UsageIdentifierKey}
}

func requestEvent(req *AuthorizerRequest) events.APIGatewayCustomAuthorizerRequestTypeRequest {
	r := req.Request
	ev := events.APIGatewayCustomAuthorizerRequestTypeRequest{
		Type: "REQUEST", MethodArn: req.MethodArn, Path: r.URL.Path, HTTPMethod: r.Method,
		Headers: map[string]string{}, MultiValueHeaders: map[string][]string{},
		QueryStringParameters: map[string]string{}, MultiValueQueryStringParameters: map[string][]string{},
	}
	for k, vs := range r.Header {
		ev.Headers[k] = vs[len(vs)-1]
		ev.MultiValueHeaders[k] = vs
	}
	for k, vs := range query.Values(r.URL.RawQuery) {
		ev.QueryStringParameters[k] = vs[len(vs)-1]
		ev.MultiValueQueryStringParameters[k] = vs
	}
	if rc := gateway.RequestContextFrom(r.Context()); rc != nil {
		ev.Resource = rc.ResourcePath
		ev.PathParameters = rc.PathParameters.Map()
		ev.StageVariables = rc.StageVariables
		ev.RequestContext.Path, ev.RequestContext.AccountID, ev.RequestContext.Stage = rc.Path, rc.AccountID, rc.Stage
		ev.RequestContext.RequestID, ev.RequestContext.ResourcePath, ev.RequestContext.HTTPMethod = rc.RequestID, rc.ResourcePath, rc.HTTPMethod
		ev.RequestContext.APIID = rc.APIID
		ev.RequestContext.Identity.SourceIP, ev.RequestContext.Identity.APIKey = rc.Identity.SourceIP, rc.Identity.APIKey
	}
	return ev
}

func joinedHeaders(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for k, vs := range h {
		out[strings.ToLower(k)] = strings.Join(vs, ",")
	}
	return out
}

func joinedQuery(r *http.Request) map[string]string {
	q := query.Values(r.URL.RawQuery)
	if len(q) == 0 {
		return nil
	}
	out := make(map[string]string, len(q))
	for k, vs := range q {
		out[k] = strings.Join(vs, ",")
	}
	return out
}
