package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awslambda "github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/auth"
	"github.com/gatewaykit/gateway/integration"
	"github.com/gatewaykit/gateway/observe"
	"github.com/gatewaykit/gateway/openapi"
)

type options struct {
	addr, stage, endpoint, region, function string
	rest, emulator, failOnWarnings, log     bool
	vars                                    gateway.StageVariables
	// clients holds one Invoke API client per region, shared by every
	// integration and authorizer calling functions there.
	clients map[string]*awslambda.Client
}

type varsFlag gateway.StageVariables

func (v varsFlag) String() string { return "" }

func (v varsFlag) Set(s string) error {
	name, value, ok := strings.Cut(s, "=")
	if !ok || name == "" {
		return fmt.Errorf("want name=value, got %q", s)
	}
	v[name] = value
	return nil
}

// run serves until ctx is done. ready, when not nil, receives the address
// once the listener is open.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, ready chan<- string) int {
	o := options{vars: gateway.StageVariables{}, clients: map[string]*awslambda.Client{}}
	fs := flag.NewFlagSet("gateway", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8080", "address to listen on")
	fs.StringVar(&o.stage, "stage", "prod", "stage name ($context.stage)")
	fs.BoolVar(&o.rest, "rest", false, "import as a REST API (ImportRestApi); the default is an HTTP API")
	fs.StringVar(&o.endpoint, "lambda-endpoint", "", "Lambda Invoke endpoint (emulator, SAM, LocalStack); empty means AWS Lambda")
	fs.StringVar(&o.region, "region", "", "AWS region of the Lambda functions; empty means the one in their ARN, else us-east-1")
	fs.StringVar(&o.function, "function", "", "invoke every Lambda function under this name (the Runtime Interface Emulator serves one, named function)")
	fs.BoolVar(&o.emulator, "emulator", false, "the endpoint is the Runtime Interface Emulator: read its error answers as function errors")
	fs.BoolVar(&o.failOnWarnings, "fail-on-warnings", false, "refuse a definition with anything the import does not support")
	fs.BoolVar(&o.log, "access-log", false, "print an access log line per request")
	fs.Var(varsFlag(o.vars), "var", "a stage variable, name=value (repeatable)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: gateway [flags] DEFINITION.(json|yaml)")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	doc, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(stderr, "gateway:", err)
		return 1
	}
	if err := serve(ctx, o, doc, stdout, stderr, ready); err != nil {
		fmt.Fprintln(stderr, "gateway:", err)
		return 1
	}
	return 0
}

func serve(ctx context.Context, o options, doc []byte, stdout, stderr io.Writer, ready chan<- string) error {
	cfg := openapi.ImportConfig{FailOnWarnings: o.failOnWarnings}
	if o.rest {
		cfg.Profile = gateway.RESTAPI
	}
	cfg.LambdaProxy = func(target openapi.LambdaTarget) (http.Handler, error) {
		return o.lambda(target.FunctionARN, target.PayloadFormatVersion, target.BinaryMediaTypes)
	}
	cfg.LambdaFunc = func(uri string) (integration.LambdaFunc, error) {
		li, err := o.lambda(openapi.FunctionARN(uri), "", nil)
		if err != nil {
			return nil, err
		}
		return li.Invoke, nil
	}
	cfg.Authorizer = func(target openapi.AuthorizerTarget) (auth.AuthorizeFunc, error) {
		li, err := o.lambda(target.FunctionARN, "", nil)
		if err != nil {
			return nil, err
		}
		if target.PayloadFormatVersion == "2.0" {
			return auth.InvokeHandlerV2(li.Invoke, target.SimpleResponses), nil
		}
		return auth.InvokeHandler(li.Invoke), nil
	}
	if o.log {
		format := observe.FormatHTTPCLF
		if o.rest {
			format = observe.FormatCLF
		}
		l, err := observe.NewAccessLog(observe.AccessLogConfig{Format: format, Writer: stdout})
		if err != nil {
			return err
		}
		cfg.Options = append(cfg.Options, gateway.WithObserver(l))
	}
	im, err := openapi.Import(ctx, doc, cfg)
	if err != nil {
		return err
	}
	defer im.Close()
	for _, w := range im.Warnings {
		fmt.Fprintln(stderr, "gateway: warning:", w)
	}
	stage, err := im.API.Deploy(o.stage, o.vars)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: stage, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stderr, "gateway: serving %s (%s API, stage %s) on http://%s\n", im.API.Name(), profileName(o.rest), o.stage, ln.Addr())
	if ready != nil {
		ready <- ln.Addr().String()
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func profileName(rest bool) string {
	if rest {
		return "REST"
	}
	return "HTTP"
}

// lambda builds an Invoke API integration for the function arn.
func (o options) lambda(arn, payloadFormat string, binaryTypes []string) (*integration.LambdaIntegration, error) {
	name := arn
	if o.function != "" {
		name = o.function
	}
	region := o.region
	if region == "" {
		if parts := strings.Split(arn, ":"); len(parts) > 3 && parts[0] == "arn" {
			region = parts[3]
		}
	}
	client, err := o.client(region)
	if err != nil {
		return nil, err
	}
	return integration.LambdaInvoke(integration.LambdaInvokeConfig{
		FunctionName:     name,
		Client:           client,
		EmulatorErrors:   o.emulator,
		PayloadFormat:    payloadFormat,
		BinaryMediaTypes: binaryTypes,
	})
}

// client returns the Invoke API client for region, built on first use.
func (o options) client(region string) (*awslambda.Client, error) {
	if region == "" {
		region = "us-east-1" // as NewLambdaClient defaults it: one client for both
	}
	if c, ok := o.clients[region]; ok {
		return c, nil
	}
	cfg := integration.LambdaInvokeConfig{Endpoint: o.endpoint, Region: region}
	if o.endpoint != "" {
		cfg.Credentials = aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "local", SecretAccessKey: "local", Source: "gateway"}, nil
		})
	} else {
		cfg.Credentials = aws.CredentialsProviderFunc(envCredentials)
	}
	c, err := integration.NewLambdaClient(cfg)
	if err != nil {
		return nil, err
	}
	o.clients[region] = c
	return c, nil
}

// envCredentials reads the standard AWS environment variables.
func envCredentials(context.Context) (aws.Credentials, error) {
	id, secret := os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY")
	if id == "" || secret == "" {
		return aws.Credentials{}, errors.New("no -lambda-endpoint and no AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY for AWS Lambda")
	}
	return aws.Credentials{AccessKeyID: id, SecretAccessKey: secret, SessionToken: os.Getenv("AWS_SESSION_TOKEN"), Source: "environment"}, nil
}
