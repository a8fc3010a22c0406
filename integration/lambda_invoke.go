package integration

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awslambda "github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/gatewaykit/gateway"
)

// LambdaInvokeAPI is the part of the AWS SDK's Lambda client that
// LambdaInvoke uses; *lambda.Client (github.com/aws/aws-sdk-go-v2/service/lambda)
// implements it.
type LambdaInvokeAPI interface {
	Invoke(ctx context.Context, in *awslambda.InvokeInput, optFns ...func(*awslambda.Options)) (*awslambda.InvokeOutput, error)
}

// LambdaInvokeConfig configures a Lambda proxy integration that calls a
// function through the Lambda Invoke API (AWS Lambda itself, the Lambda
// Runtime Interface Emulator, SAM's start-lambda, LocalStack). Only
// FunctionName is required, and credentials unless Client is set.
type LambdaInvokeConfig struct {
	// FunctionName is the function's name, ARN or partial ARN. It may
	// contain ${stageVariables.name}, substituted per request from the
	// stage's variables as AWS does (an unset variable is a configuration
	// error, 500).
	FunctionName string
	// Qualifier is a version or alias; it may also contain
	// ${stageVariables.name}. Empty means none ($LATEST).
	Qualifier string
	// Client makes the calls. Nil means a client of this integration's own,
	// built from AWS with Region, Endpoint and Credentials applied; SigV4
	// signed, with retries off (API Gateway does not retry).
	Client LambdaInvokeAPI
	// AWS is the base SDK configuration for the built client, typically
	// from config.LoadDefaultConfig. Nil means an empty one.
	AWS *aws.Config
	// Region overrides the region; empty keeps AWS's, or "us-east-1" when
	// that is empty too.
	Region string
	// Endpoint overrides the service endpoint, such as
	// "http://127.0.0.1:9001" for the Runtime Interface Emulator. Empty
	// keeps the SDK's resolution.
	Endpoint string
	// Credentials sign the calls, overriding AWS's. There is no implicit
	// credential lookup: with neither set (and no Client) NewLambdaInvoke
	// fails. Emulators accept any static credentials.
	Credentials aws.CredentialsProvider
	// EmulatorErrors treats an answer shaped as a Lambda error
	// ({"errorMessage":...,"errorType":...}) or the text "Task timed out
	// after ..." as a function error. The Runtime Interface Emulator does not
	// set X-Amz-Function-Error, which AWS Lambda sets for every function
	// error; without this, on payload format 2.0 such an answer would be
	// read as a successful 200 response.
	EmulatorErrors bool
	// PayloadFormat, BinaryMediaTypes and Logger are as in LambdaConfig.
	PayloadFormat    string
	BinaryMediaTypes []string
	Logger           *slog.Logger
}

// invoker calls a function through the Invoke API.
type invoker struct {
	client    LambdaInvokeAPI
	name      []namePart
	qualifier []namePart
	emulator  bool
}

type namePart struct {
	stageVar bool
	text     string
}

// LambdaInvoke returns a Lambda proxy integration that calls the function
// through the Lambda Invoke API (InvocationType RequestResponse), as API
// Gateway does. A FunctionError in the answer is a function error; a 4xx
// from the Lambda service (function missing, access denied, ...) is a
// configuration error, 500 on both profiles; a 5xx or a failed connection
// is answered like a function error.
func LambdaInvoke(cfg LambdaInvokeConfig) (*LambdaIntegration, error) {
	if err := checkPayloadFormat(cfg.PayloadFormat); err != nil {
		return nil, fmt.Errorf("lambda invoke integration: %w", err)
	}
	if cfg.FunctionName == "" {
		return nil, errors.New("lambda invoke integration: no function name")
	}
	name, err := parseNameTemplate(cfg.FunctionName)
	if err != nil {
		return nil, fmt.Errorf("lambda invoke integration: function name %q: %w", cfg.FunctionName, err)
	}
	qual, err := parseNameTemplate(cfg.Qualifier)
	if err != nil {
		return nil, fmt.Errorf("lambda invoke integration: qualifier %q: %w", cfg.Qualifier, err)
	}
	client := cfg.Client
	if client == nil {
		if client, err = NewLambdaClient(cfg); err != nil {
			return nil, err
		}
	}
	return &LambdaIntegration{
		format:      cfg.PayloadFormat,
		binaryTypes: append([]string(nil), cfg.BinaryMediaTypes...),
		log:         loggerOr(cfg.Logger),
		remote:      true,
		inv:         &invoker{client: client, name: name, qualifier: qual, emulator: cfg.EmulatorErrors},
	}, nil
}

// NewLambdaClient builds the Invoke API client LambdaInvoke builds when
// cfg.Client is nil, from cfg's AWS, Region, Endpoint and Credentials (the
// other fields are not read): SigV4 signed, with retries off (API Gateway
// does not retry). Integrations that call functions in the same region
// through the same endpoint can share one such client, and with it one
// pool of connections, through LambdaInvokeConfig.Client.
func NewLambdaClient(cfg LambdaInvokeConfig) (*awslambda.Client, error) {
	var base aws.Config
	if cfg.AWS != nil {
		base = cfg.AWS.Copy()
	}
	if cfg.Credentials != nil {
		base.Credentials = cfg.Credentials
	}
	if base.Credentials == nil {
		return nil, errors.New("lambda invoke integration: no credentials (set Credentials, AWS or Client)")
	}
	if cfg.Region != "" {
		base.Region = cfg.Region
	}
	if base.Region == "" {
		base.Region = "us-east-1"
	}
	return awslambda.NewFromConfig(base, func(o *awslambda.Options) {
		if cfg.Endpoint != "" {
			o.BaseEndpoint = aws.String(cfg.Endpoint)
		}
		o.Retryer = aws.NopRetryer{}
		o.RetryMaxAttempts = 1
	}), nil
}

// parseNameTemplate splits s at ${stageVariables.name} references.
func parseNameTemplate(s string) ([]namePart, error) {
	var parts []namePart
	for s != "" {
		i := strings.Index(s, "${")
		if i < 0 {
			parts = append(parts, namePart{text: s})
			break
		}
		if i > 0 {
			parts = append(parts, namePart{text: s[:i]})
		}
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			return nil, errors.New("unterminated ${")
		}
		v, ok := strings.CutPrefix(s[i+2:i+end], "stageVariables.")
		if !ok || v == "" {
			return nil, fmt.Errorf("unsupported variable %q (want ${stageVariables.name})", s[i:i+end+1])
		}
		parts = append(parts, namePart{stageVar: true, text: v})
		s = s[i+end+1:]
	}
	return parts, nil
}

func expandName(parts []namePart, rc *gateway.RequestContext) (string, error) {
	if len(parts) == 1 && !parts[0].stageVar {
		return parts[0].text, nil
	}
	var b strings.Builder
	for _, p := range parts {
		if !p.stageVar {
			b.WriteString(p.text)
			continue
		}
		var v string
		if rc != nil {
			v = rc.StageVariables[p.text]
		}
		if v == "" {
			return "", fmt.Errorf("stage variable %q is not set", p.text)
		}
		b.WriteString(v)
	}
	return b.String(), nil
}

// configError is a setting that cannot work for this request.
type configError struct{ err error }

func (e *configError) Error() string { return "configuration: " + e.err.Error() }
func (e *configError) Unwrap() error { return e.err }

func (iv *invoker) call(ctx context.Context, rc *gateway.RequestContext, src *eventSource, v1 bool) (*lambdaResult, error) {
	return iv.callRaw(ctx, rc, eventJSON(src, v1))
}

// Invoke sends payload, as it is, to the remote function and returns its
// answer. A function error comes back as an *InvokeError, whose text is
// the function's errorMessage, so that the same Invoke API client can run
// a custom authorizer (auth.InvokeHandler(remote.Invoke)), where an
// "Unauthorized" error means 401. Only LambdaInvoke integrations invoke.
func (l *LambdaIntegration) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	if !l.remote {
		return nil, errors.New("lambda integration: Invoke needs a LambdaInvoke integration")
	}
	res, err := l.inv.callRaw(ctx, gateway.RequestContextFrom(ctx), payload)
	if err != nil {
		var fe *functionError
		if errors.As(err, &fe) {
			return nil, &InvokeError{Type: fe.Type, Message: fe.Message}
		}
		return nil, err
	}
	return res.payload, nil
}

// InvokeError is a function error returned by LambdaIntegration.Invoke:
// the errorType and errorMessage the function reported. Other errors from
// Invoke are failures to reach the function or of the Lambda service.
type InvokeError struct {
	Type    string
	Message string
}

// Error returns the function's errorMessage alone.
func (e *InvokeError) Error() string { return e.Message }

// ErrorType returns Type, for callers that recognise function errors by
// this method rather than by importing this package (such as the
// websocket package's Lambda integration).
func (e *InvokeError) ErrorType() string { return e.Type }

func (iv *invoker) callRaw(ctx context.Context, rc *gateway.RequestContext, payload []byte) (*lambdaResult, error) {
	name, err := expandName(iv.name, rc)
	if err != nil {
		return nil, &configError{err}
	}
	in := &awslambda.InvokeInput{
		FunctionName:   aws.String(name),
		InvocationType: types.InvocationTypeRequestResponse,
		Payload:        payload,
	}
	if len(iv.qualifier) > 0 {
		q, err := expandName(iv.qualifier, rc)
		if err != nil {
			return nil, &configError{err}
		}
		in.Qualifier = aws.String(q)
	}
	out, err := iv.client.Invoke(ctx, in)
	if err != nil {
		var sc interface{ HTTPStatusCode() int }
		if errors.As(err, &sc) {
			// A 5xx includes the emulator's answer to a panicking function
			// (502 with the error object), answered as a function error is.
			return nil, &serviceError{status: sc.HTTPStatusCode(), err: err}
		}
		return nil, &serviceError{err: err}
	}
	if out.FunctionError != nil {
		fe := parseErrorPayload(out.Payload)
		if fe.Type == "" {
			fe.Type = *out.FunctionError
		}
		return nil, fe
	}
	if iv.emulator {
		if fe := emulatorError(out.Payload); fe != nil {
			return nil, fe
		}
	}
	return &lambdaResult{payload: out.Payload}, nil
}

// emulatorError recognises a function error in an emulator's answer: an
// object with errorMessage and errorType and nothing but stackTrace
// besides, or the emulator's timeout text.
func emulatorError(p []byte) *functionError {
	p = bytes.TrimSpace(p)
	if bytes.HasPrefix(p, []byte("Task timed out after ")) {
		return &functionError{Type: "Sandbox.Timedout", Message: string(p)}
	}
	if len(p) == 0 || p[0] != '{' {
		return nil
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(p, &m) != nil {
		return nil
	}
	if _, ok := m["errorMessage"]; !ok {
		return nil
	}
	for k := range m {
		switch k {
		case "errorMessage", "errorType", "stackTrace":
		default:
			return nil
		}
	}
	return parseErrorPayload(p)
}
