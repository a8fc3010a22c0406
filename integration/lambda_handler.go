package integration

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"runtime/debug"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/internal/lambdafn"
)

// inprocess is a handler adapted once, when the integration is built.
type inprocess struct {
	// typed fast paths: the event value goes straight to the function
	v1 func(context.Context, *events.APIGatewayProxyRequest) (*lambdaResult, error)
	v2 func(context.Context, *events.APIGatewayV2HTTPRequest) (*lambdaResult, error)
	// JSON in, JSON out, as under the Lambda runtime
	bytes lambda.Handler
}

var (
	ctxType   = reflect.TypeFor[context.Context]()
	v1ReqType = reflect.TypeFor[events.APIGatewayProxyRequest]()
	v2ReqType = reflect.TypeFor[events.APIGatewayV2HTTPRequest]()
	v1ResType = reflect.TypeFor[events.APIGatewayProxyResponse]()
	v2ResType = reflect.TypeFor[events.APIGatewayV2HTTPResponse]()
)

// adaptHandler checks h against lambda.Start's rules and prepares the
// ways to call it.
func adaptHandler(h any) (*inprocess, error) {
	if h == nil {
		return nil, errors.New("nil handler")
	}
	if lh, ok := h.(lambda.Handler); ok {
		return &inprocess{bytes: lh}, nil
	}
	t := reflect.TypeOf(h)
	if t.Kind() != reflect.Func {
		return nil, fmt.Errorf("handler kind %s is not func", t.Kind())
	}
	if err := lambdafn.CheckSignature(t); err != nil {
		return nil, err
	}
	fn := &inprocess{bytes: lambda.NewHandler(h)}
	// The common signatures are called without reflection.
	switch f := h.(type) {
	case func(context.Context, events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error):
		fn.v1 = func(ctx context.Context, ev *events.APIGatewayProxyRequest) (*lambdaResult, error) {
			res, err := f(ctx, *ev)
			if err != nil {
				return nil, err
			}
			return &lambdaResult{v1: &res}, nil
		}
		return fn, nil
	case func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error):
		fn.v2 = func(ctx context.Context, ev *events.APIGatewayV2HTTPRequest) (*lambdaResult, error) {
			res, err := f(ctx, *ev)
			if err != nil {
				return nil, err
			}
			return &lambdaResult{v2: &res}, nil
		}
		return fn, nil
	}
	// Other shapes with a typed event and a typed (or no) response are
	// called through reflection, still without JSON.
	in := t.NumIn()
	if in == 0 || (in == 1 && t.In(0) == ctxType) {
		return fn, nil
	}
	evType := t.In(in - 1)
	base := evType
	if base.Kind() == reflect.Pointer {
		base = base.Elem()
	}
	if base != v1ReqType && base != v2ReqType {
		return fn, nil
	}
	if t.NumOut() == 2 {
		out := t.Out(0)
		if out.Kind() == reflect.Pointer {
			out = out.Elem()
		}
		if out != v1ResType && out != v2ResType {
			return fn, nil
		}
	}
	fv := reflect.ValueOf(h)
	call := func(ctx context.Context, ev reflect.Value) (*lambdaResult, error) {
		args := make([]reflect.Value, 0, 2)
		if in == 2 {
			args = append(args, reflect.ValueOf(ctx))
		}
		if evType.Kind() != reflect.Pointer {
			ev = ev.Elem()
		}
		args = append(args, ev)
		outs := fv.Call(args)
		if n := len(outs); n > 0 {
			if err, _ := outs[n-1].Interface().(error); err != nil {
				return nil, err
			}
		}
		if len(outs) < 2 {
			return &lambdaResult{payload: []byte("null")}, nil
		}
		switch v := outs[0].Interface().(type) {
		case events.APIGatewayProxyResponse:
			return &lambdaResult{v1: &v}, nil
		case *events.APIGatewayProxyResponse:
			if v != nil {
				return &lambdaResult{v1: v}, nil
			}
		case events.APIGatewayV2HTTPResponse:
			return &lambdaResult{v2: &v}, nil
		case *events.APIGatewayV2HTTPResponse:
			if v != nil {
				return &lambdaResult{v2: v}, nil
			}
		}
		return &lambdaResult{payload: []byte("null")}, nil
	}
	if base == v1ReqType {
		fn.v1 = func(ctx context.Context, ev *events.APIGatewayProxyRequest) (*lambdaResult, error) {
			return call(ctx, reflect.ValueOf(ev))
		}
	} else {
		fn.v2 = func(ctx context.Context, ev *events.APIGatewayV2HTTPRequest) (*lambdaResult, error) {
			return call(ctx, reflect.ValueOf(ev))
		}
	}
	return fn, nil
}

// callInProcess runs the handler like the Lambda runtime does: with a
// lambdacontext.LambdaContext and the deadline in its context, panics
// recovered as function errors.
func (l *LambdaIntegration) callInProcess(parent context.Context, rc *gateway.RequestContext, src *eventSource, v1 bool) (res *lambdaResult, err error) {
	lc := &lambdacontext.LambdaContext{
		AwsRequestID:       gateway.NewUUID(),
		InvokedFunctionArn: l.functionARN(rc),
	}
	ctx := lambdacontext.NewContext(parent, lc)
	if l.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, l.timeout)
		defer cancel()
	}
	defer func() {
		if p := recover(); p != nil {
			res, err = nil, &functionError{Type: lambdafn.TypeName(p), Message: fmt.Sprint(p), stack: debug.Stack()}
		}
		if err == nil && l.timeout > 0 && ctx.Err() == context.DeadlineExceeded && parent.Err() == nil {
			res, err = nil, &functionError{Type: "Sandbox.Timedout", Message: fmt.Sprintf("Task timed out after %.2f seconds", l.timeout.Seconds())}
		}
	}()
	fn := l.fn
	switch {
	case v1 && fn.v1 != nil:
		ev, _ := buildV1(src)
		res, err = fn.v1(ctx, &ev)
	case !v1 && fn.v2 != nil:
		ev := buildV2(src)
		res, err = fn.v2(ctx, &ev)
	default:
		var out []byte
		out, err = fn.bytes.Invoke(ctx, eventJSON(src, v1))
		res = &lambdaResult{payload: out}
	}
	if err != nil {
		return nil, asFunctionError(err)
	}
	return res, nil
}

// eventJSON is the event as API Gateway serialises it.
func eventJSON(src *eventSource, v1 bool) []byte {
	buf := make([]byte, 0, 2048+len(src.body)*4/3)
	if v1 {
		ev, x := buildV1(src)
		return appendV1JSON(buf, &ev, x)
	}
	ev := buildV2(src)
	return appendV2JSON(buf, &ev, src.hasBody)
}

func asFunctionError(err error) *functionError {
	var fe *functionError
	if errors.As(err, &fe) {
		return fe
	}
	return &functionError{Type: lambdafn.TypeName(err), Message: err.Error()}
}

// functionARN is the InvokedFunctionArn an in-process handler sees. The
// last one built is kept, since an integration usually serves one API.
func (l *LambdaIntegration) functionARN(rc *gateway.RequestContext) string {
	api := rc.API()
	if c := l.arn.Load(); c != nil && c.api == api && c.account == rc.AccountID {
		return c.arn
	}
	region := "us-east-1"
	if api != nil {
		region = api.Config().Region
	}
	c := &arnCache{api: api, account: rc.AccountID, arn: "arn:aws:lambda:" + region + ":" + rc.AccountID + ":function:" + l.funcName}
	l.arn.Store(c)
	return c.arn
}

type arnCache struct {
	api     *gateway.API
	account string
	arn     string
}
