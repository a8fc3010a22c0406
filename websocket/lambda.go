package websocket

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"reflect"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/internal/lambdafn"
)

// LambdaIntegration is a Lambda proxy integration (AWS_PROXY) for a
// WebSocket route: each event becomes the
// events.APIGatewayWebsocketProxyRequest API Gateway sends, and the
// function's events.APIGatewayProxyResponse is read as API Gateway reads
// it (statusCode and headers on $connect; body, base64-decoded when
// isBase64Encoded, as the message for a route response).
//
// A function error or panic is an integration failure; a function that
// returns nothing (null) has answered 200 with no body.
//
// A LambdaIntegration is safe for concurrent use.
type LambdaIntegration struct {
	typed    func(context.Context, events.APIGatewayWebsocketProxyRequest) (events.APIGatewayProxyResponse, error)
	bytes    lambda.Handler
	funcName string
}

// LambdaConfig configures a Lambda integration. Only Handler is required.
type LambdaConfig struct {
	// Handler is the function: any handler aws-lambda-go's lambda.Start
	// accepts, or any value with the lambda.Handler method
	// Invoke(ctx, payload []byte) ([]byte, error), such as
	// integration.LambdaInvoke's integration, which calls a remote function
	// through the Lambda Invoke API (an error with an ErrorType() string
	// method, such as its integration.InvokeError, is a function error of
	// that type; other errors take their Go type's name, as under the
	// Lambda runtime). A
	// func(context.Context, events.APIGatewayWebsocketProxyRequest)
	// (events.APIGatewayProxyResponse, error) is called with the event
	// directly; every other shape gets the event's JSON, as under the
	// Lambda runtime.
	Handler any
	// FunctionName names the function in the InvokedFunctionArn of an
	// in-process handler's lambdacontext. Empty means "function".
	FunctionName string
}

// Lambda returns a Lambda proxy integration for handler (see
// LambdaConfig.Handler).
func Lambda(handler any) (*LambdaIntegration, error) {
	return NewLambda(LambdaConfig{Handler: handler})
}

// NewLambda returns a Lambda proxy integration configured by cfg. A
// handler lambda.Start would refuse is refused here.
func NewLambda(cfg LambdaConfig) (*LambdaIntegration, error) {
	l := &LambdaIntegration{funcName: cfg.FunctionName}
	if l.funcName == "" {
		l.funcName = "function"
	}
	switch h := cfg.Handler.(type) {
	case nil:
		return nil, errors.New("websocket lambda integration: nil handler")
	case func(context.Context, events.APIGatewayWebsocketProxyRequest) (events.APIGatewayProxyResponse, error):
		l.typed = h
		return l, nil
	case lambda.Handler:
		l.bytes = h
		return l, nil
	}
	t := reflect.TypeOf(cfg.Handler)
	if t.Kind() != reflect.Func {
		return nil, fmt.Errorf("websocket lambda integration: handler kind %s is not func", t.Kind())
	}
	if err := lambdafn.CheckSignature(t); err != nil {
		return nil, fmt.Errorf("websocket lambda integration: %w", err)
	}
	l.bytes = lambda.NewHandler(cfg.Handler)
	return l, nil
}

// FunctionError is a failed Lambda invocation: the function returned an
// error or panicked.
type FunctionError struct {
	// Type is the errorType the Lambda runtime reports.
	Type string
	// Message is the errorMessage.
	Message string
}

// Error returns the error's type and message.
func (e *FunctionError) Error() string {
	return "lambda function error: " + e.Type + ": " + e.Message
}

// Invoke runs the function for one event.
func (l *LambdaIntegration) Invoke(ctx context.Context, req *Request) (res *Response, err error) {
	ev := Event(req)
	lc := &lambdacontext.LambdaContext{AwsRequestID: gateway.NewUUID(), InvokedFunctionArn: l.arn(ctx, req.Context)}
	ctx = lambdacontext.NewContext(ctx, lc)
	defer func() {
		if p := recover(); p != nil {
			res, err = nil, &FunctionError{Type: lambdafn.TypeName(p), Message: fmt.Sprint(p)}
		}
	}()
	if l.typed != nil {
		out, err := l.typed(ctx, ev)
		if err != nil {
			return nil, &FunctionError{Type: lambdafn.TypeName(err), Message: err.Error()}
		}
		return fromProxyResponse(&out)
	}
	payload, err := json.Marshal(&ev)
	if err != nil {
		return nil, fmt.Errorf("websocket lambda integration: encode event: %w", err)
	}
	out, err := l.bytes.Invoke(ctx, payload)
	if err != nil {
		var fe *FunctionError
		if errors.As(err, &fe) {
			return nil, fe
		}
		// A remote function's error keeps the errorType it reported.
		var typed interface {
			error
			ErrorType() string
		}
		if errors.As(err, &typed) {
			return nil, &FunctionError{Type: typed.ErrorType(), Message: typed.Error()}
		}
		return nil, &FunctionError{Type: lambdafn.TypeName(err), Message: err.Error()}
	}
	return parseProxyResponse(out)
}

func (l *LambdaIntegration) arn(ctx context.Context, rc *gateway.RequestContext) string {
	region, account := "us-east-1", "123456789012"
	if s := StageFrom(ctx); s != nil {
		region = s.api.cfg.Region
	}
	if rc != nil && rc.AccountID != "" {
		account = rc.AccountID
	}
	return "arn:aws:lambda:" + region + ":" + account + ":function:" + l.funcName
}

// parseProxyResponse reads a function's JSON answer.
func parseProxyResponse(out []byte) (*Response, error) {
	s := strings.TrimSpace(string(out))
	if s == "" || s == "null" {
		return &Response{StatusCode: http.StatusOK}, nil
	}
	var pr events.APIGatewayProxyResponse
	if err := json.Unmarshal(out, &pr); err != nil {
		return nil, fmt.Errorf("websocket lambda integration: malformed proxy response: %w", err)
	}
	return fromProxyResponse(&pr)
}

func fromProxyResponse(pr *events.APIGatewayProxyResponse) (*Response, error) {
	res := &Response{StatusCode: pr.StatusCode}
	if len(pr.Headers) > 0 || len(pr.MultiValueHeaders) > 0 {
		res.Header = make(http.Header, len(pr.Headers)+len(pr.MultiValueHeaders))
		for k, vs := range pr.MultiValueHeaders {
			for _, v := range vs {
				lambdafn.AddHeader(res.Header, k, v, false)
			}
		}
		for k, v := range pr.Headers {
			lambdafn.AddHeader(res.Header, k, v, true)
		}
	}
	if pr.IsBase64Encoded {
		b, err := base64.StdEncoding.DecodeString(pr.Body)
		if err != nil {
			return nil, fmt.Errorf("websocket lambda integration: body is not base64: %w", err)
		}
		res.Body, res.Binary = b, true
	} else if pr.Body != "" {
		res.Body = []byte(pr.Body)
	}
	return res, nil
}

// Event returns the Lambda proxy event API Gateway sends for req:
// headers, multiValueHeaders and the query on $connect, headers on
// $disconnect, the body on messages (base64-encoded, with isBase64Encoded,
// for binary frames), and the requestContext with routeKey, eventType,
// messageId, connectionId, connectedAt, requestId, extendedRequestId,
// requestTime, requestTimeEpoch, messageDirection "IN", stage, domainName,
// apiId, identity and, when $connect had one, authorizer.
func Event(req *Request) events.APIGatewayWebsocketProxyRequest {
	rc := req.Context
	if rc == nil {
		rc = &gateway.RequestContext{}
	}
	ev := events.APIGatewayWebsocketProxyRequest{
		RequestContext: events.APIGatewayWebsocketProxyRequestContext{
			RouteKey:          req.RouteKey,
			EventType:         string(req.EventType),
			ExtendedRequestID: rc.ExtendedRequestID,
			RequestTime:       rc.RequestTimeString(),
			MessageDirection:  "IN",
			Stage:             rc.Stage,
			ConnectedAt:       req.ConnectedAt.UnixMilli(),
			RequestTimeEpoch:  rc.RequestTimeEpoch(),
			Identity:          lambdafn.Identity(&rc.Identity),
			RequestID:         rc.RequestID,
			DomainName:        rc.DomainName,
			ConnectionID:      req.ConnectionID,
			APIID:             rc.APIID,
		},
	}
	if a := lambdafn.FlatAuthorizer(rc.Authorizer); a != nil {
		ev.RequestContext.Authorizer = a
	}
	if len(rc.StageVariables) > 0 {
		ev.StageVariables = maps.Clone(map[string]string(rc.StageVariables))
	}
	switch req.EventType {
	case EventMessage:
		ev.RequestContext.MessageID = req.MessageID
		if req.Binary {
			ev.Body, ev.IsBase64Encoded = base64.StdEncoding.EncodeToString(req.Body), true
		} else {
			ev.Body = string(req.Body)
		}
	case EventConnect:
		ev.Headers, ev.MultiValueHeaders = headers(req.Header, rc.DomainName)
		if len(req.Query) > 0 {
			ev.QueryStringParameters = make(map[string]string, len(req.Query))
			ev.MultiValueQueryStringParameters = make(map[string][]string, len(req.Query))
			for k, vs := range req.Query {
				ev.QueryStringParameters[k] = vs[len(vs)-1]
				ev.MultiValueQueryStringParameters[k] = append([]string(nil), vs...)
			}
		}
	case EventDisconnect:
		ev.Headers, ev.MultiValueHeaders = headers(req.Header, "")
		ev.RequestContext.DisconnectStatusCode = int64(req.DisconnectStatusCode)
		reason := req.DisconnectReason
		ev.RequestContext.DisconnectReason = &reason
	}
	return ev
}

// headers renders a header as the event's single- and multi-value maps
// (the last value wins in the first), adding Host when it is missing.
func headers(h http.Header, host string) (map[string]string, map[string][]string) {
	single := make(map[string]string, len(h)+1)
	multi := make(map[string][]string, len(h)+1)
	for k, vs := range h {
		if len(vs) == 0 {
			continue
		}
		single[k] = vs[len(vs)-1]
		multi[k] = append([]string(nil), vs...)
	}
	if _, ok := single["Host"]; !ok && host != "" {
		single["Host"] = host
		multi["Host"] = []string{host}
	}
	return single, multi
}
