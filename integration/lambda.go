package integration

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/internal/hostport"
)

// Payload format versions of Lambda proxy integrations.
const (
	PayloadFormat10 = "1.0"
	PayloadFormat20 = "2.0"
)

// LambdaConfig configures an in-process Lambda proxy integration. Only
// Handler is required.
type LambdaConfig struct {
	// Handler is the function, in any shape aws-lambda-go's lambda.Start
	// accepts: a func taking (context.Context, TIn), (TIn), (ctx) or
	// nothing and returning (TOut, error), error or nothing, or a
	// lambda.Handler. A handler taking events.APIGatewayProxyRequest
	// (format 1.0) or events.APIGatewayV2HTTPRequest (2.0) and returning
	// the matching response type is called with the event value directly,
	// without JSON; every other shape gets the JSON API Gateway would send
	// and is answered in JSON, exactly as under the Lambda runtime.
	Handler any
	// PayloadFormat is "1.0" or "2.0". Empty follows the API's profile, as
	// AWS does: 1.0 on REST APIs (the only format they have), 2.0 on HTTP
	// APIs.
	PayloadFormat string
	// BinaryMediaTypes (REST APIs) are the media types whose request bodies
	// are sent base64-encoded, and for which a base64 response body is
	// decoded when the request's first Accept type matches. "type/*" and
	// "*/*" are allowed. HTTP APIs ignore it: they encode every non-text
	// request body and always decode base64 responses. Bodies that are not
	// valid UTF-8 are always encoded.
	BinaryMediaTypes []string
	// FunctionName names the function in the InvokedFunctionArn of the
	// handler's lambdacontext. Empty means "function".
	FunctionName string
	// Timeout is the function's own timeout, as configured on AWS Lambda:
	// the handler's context expires then, and a function still running at
	// that point has failed ("Task timed out"). Zero means the function
	// has no timeout of its own; its context still carries the route's
	// integration deadline, after which the gateway answers for it.
	Timeout time.Duration
	// Logger receives function errors and malformed responses, with the
	// request id. Nil means slog.Default().
	Logger *slog.Logger
}

// LambdaIntegration is API Gateway's Lambda proxy integration (AWS_PROXY).
// It turns the request into the event API Gateway sends (payload format
// 1.0 or 2.0, field for field), runs the function, in-process (Lambda,
// NewLambda) or through the Lambda Invoke API (LambdaInvoke), and reads the
// function's answer as API Gateway reads it.
//
// Failures get the profile's answer: a function error, a panic or a
// malformed response is 502 {"message": "Internal server error"} on REST
// APIs and 500 {"message":"Internal Server Error"} on HTTP APIs; the
// function not answering in time is the integration timeout (REST 504,
// HTTP API 503). Each failure is logged with the request id.
//
// A LambdaIntegration is safe for concurrent use.
type LambdaIntegration struct {
	format      string
	binaryTypes []string
	log         *slog.Logger
	remote      bool

	// in-process
	fn       *inprocess
	timeout  time.Duration
	funcName string
	arn      atomic.Pointer[arnCache]

	// Invoke API
	inv *invoker
}

// Lambda returns an in-process Lambda proxy integration for handler (see
// LambdaConfig.Handler), with the payload format of the API's profile.
func Lambda(handler any) (*LambdaIntegration, error) {
	return NewLambda(LambdaConfig{Handler: handler})
}

// NewLambda returns an in-process Lambda proxy integration configured by
// cfg. A handler lambda.Start would refuse is refused here.
func NewLambda(cfg LambdaConfig) (*LambdaIntegration, error) {
	if err := checkPayloadFormat(cfg.PayloadFormat); err != nil {
		return nil, fmt.Errorf("lambda integration: %w", err)
	}
	if cfg.Timeout < 0 {
		return nil, fmt.Errorf("lambda integration: negative timeout %v", cfg.Timeout)
	}
	fn, err := adaptHandler(cfg.Handler)
	if err != nil {
		return nil, fmt.Errorf("lambda integration: %w", err)
	}
	name := cfg.FunctionName
	if name == "" {
		name = "function"
	}
	return &LambdaIntegration{
		format:      cfg.PayloadFormat,
		binaryTypes: append([]string(nil), cfg.BinaryMediaTypes...),
		log:         loggerOr(cfg.Logger),
		fn:          fn,
		timeout:     cfg.Timeout,
		funcName:    name,
	}, nil
}

func checkPayloadFormat(f string) error {
	switch f {
	case "", PayloadFormat10, PayloadFormat20:
		return nil
	}
	return fmt.Errorf("payload format %q: want \"1.0\" or \"2.0\"", f)
}

func loggerOr(l *slog.Logger) *slog.Logger {
	if l == nil {
		return slog.Default()
	}
	return l
}

// HandlesTimeout reports that the integration answers its own timeouts
// (gateway.TimeoutAware): calls through the Invoke API are bound to the
// request's deadline, and an in-process handler that has not returned by
// the deadline is answered for at once (it runs on a goroutine of its own
// for that), the request then waiting for it to return.
func (l *LambdaIntegration) HandlesTimeout() bool { return true }

// v1 reports whether the request gets payload format 1.0.
func (l *LambdaIntegration) v1(rc *gateway.RequestContext) bool {
	switch l.format {
	case PayloadFormat10:
		return true
	case PayloadFormat20:
		return false
	}
	return rc.Profile == gateway.RESTAPI
}

// functionError is a failed invocation: the function returned an error,
// panicked or timed out.
type functionError struct {
	Type    string
	Message string
	stack   []byte
}

func (e *functionError) Error() string {
	return "lambda function error: " + e.Type + ": " + e.Message
}

// serviceError is a failure of the Lambda service or of the way to it.
type serviceError struct {
	status int // the Lambda service's HTTP status; 0 when it never answered
	err    error
}

func (e *serviceError) Error() string {
	if e.status == 0 {
		return "lambda invoke: " + e.err.Error()
	}
	return fmt.Sprintf("lambda invoke: status %d: %v", e.status, e.err)
}

func (e *serviceError) Unwrap() error { return e.err }

// ServeHTTP runs the function for the request.
func (l *LambdaIntegration) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rc := gateway.RequestContextFrom(r.Context())
	standalone := rc == nil
	if standalone {
		rc = standaloneContext(r)
	}
	var body []byte
	if r.Body != nil && r.Body != http.NoBody {
		in := r.Body
		if standalone {
			// No stage bounded the body: bound it as one would (10 MB,
			// API Gateway's payload limit).
			in = http.MaxBytesReader(w, r.Body, gateway.DefaultMaxRequestBytes)
		}
		b, err := io.ReadAll(in)
		if err != nil {
			var tooLarge *http.MaxBytesError
			switch {
			case r.Context().Err() != nil:
				return // the client went away
			case errors.As(err, &tooLarge):
				gateway.WriteError(w, r, gateway.ResponseRequestTooLarge)
			default:
				gateway.WriteError(w, r, gateway.Errorf(gateway.ResponseBadRequestBody, "", err))
			}
			return
		}
		body = b
	}
	src := newEventSource(r, rc, body, len(body) > 0, l.binaryTypes)
	v1 := l.v1(rc)
	var res *lambdaResult
	var err error
	if l.remote {
		res, err = l.inv.call(r.Context(), rc, src, v1)
	} else if _, ok := r.Context().Deadline(); !ok {
		res, err = l.callInProcess(r.Context(), rc, src, v1)
	} else {
		done := make(chan struct{})
		go func() {
			defer close(done)
			res, err = l.callInProcess(r.Context(), rc, src, v1)
		}()
		select {
		case <-done:
		case <-r.Context().Done():
			l.fail(w, r, rc, r.Context().Err())
			_ = http.NewResponseController(w).Flush()
			<-done // nothing of the request outlives it
			return
		}
	}
	if ctxErr := r.Context().Err(); ctxErr != nil {
		// The gateway gave up at the deadline (or the client left): what
		// the function answers afterwards reaches nobody.
		if err == nil {
			err = ctxErr
		}
		l.fail(w, r, rc, err)
		return
	}
	if err == nil {
		var pr *proxyResponse
		if pr, err = readResponse(res, v1); err == nil {
			err = writeResponse(w, r, rc, pr, l.binaryTypes)
		}
	}
	if err != nil {
		l.fail(w, r, rc, err)
	}
}

// fail answers a failed invocation with the profile's gateway response and
// logs it.
func (l *LambdaIntegration) fail(w http.ResponseWriter, r *http.Request, rc *gateway.RequestContext, err error) {
	ctxErr := r.Context().Err()
	if ctxErr == context.Canceled {
		return // the client went away: nobody to answer
	}
	var t gateway.ResponseType
	var se *serviceError
	var ce *configError
	switch {
	case ctxErr == context.DeadlineExceeded:
		t = gateway.ResponseIntegrationTimeout
	case errors.As(err, &ce), errors.As(err, &se) && se.status >= 400 && se.status < 500:
		// The gateway cannot call the function (no such function, access
		// denied, a stage variable unset, ...).
		t = gateway.ResponseAPIConfigurationError
	case rc.Profile == gateway.RESTAPI:
		t = gateway.ResponseIntegrationFailure
	default:
		t = gateway.ResponseDefault5XX
	}
	attrs := []any{"requestId", rc.RequestID, "routeKey", rc.RouteKey, "response", string(t), "error", err.Error()}
	var fe *functionError
	if errors.As(err, &fe) && fe.stack != nil {
		attrs = append(attrs, "stack", string(fe.stack))
	}
	l.log.Error("integration: lambda invocation failed", attrs...)
	gateway.WriteError(w, r, gateway.Errorf(t, "", err))
}

// standaloneContext is the RequestContext of a request that did not come
// through a gateway stage: an HTTP API's $default route.
func standaloneContext(r *http.Request) *gateway.RequestContext {
	rc := &gateway.RequestContext{
		RequestID:    gateway.NewUUID(),
		AccountID:    "123456789012",
		Stage:        "$default",
		RouteKey:     gateway.DefaultRouteKey,
		ResourcePath: "/" + gateway.DefaultRouteKey,
		HTTPMethod:   r.Method,
		Path:         r.URL.Path,
		Protocol:     r.Proto,
		RequestTime:  time.Now(),
		Profile:      gateway.HTTPAPI,
	}
	rc.ExtendedRequestID = rc.RequestID
	rc.DomainName = hostport.Host(r.Host)
	rc.DomainPrefix, _, _ = strings.Cut(rc.DomainName, ".")
	rc.Identity.SourceIP = hostport.Host(r.RemoteAddr)
	rc.Identity.UserAgent = r.Header.Get("User-Agent")
	return rc
}

// errorPayload is the JSON of a Lambda function error.
type errorPayload struct {
	ErrorMessage string `json:"errorMessage"`
	ErrorType    string `json:"errorType"`
}

func parseErrorPayload(p []byte) *functionError {
	var ep errorPayload
	if err := json.Unmarshal(p, &ep); err != nil {
		return &functionError{Type: "Unknown", Message: string(p)}
	}
	return &functionError{Type: ep.ErrorType, Message: ep.ErrorMessage}
}
