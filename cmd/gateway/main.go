// Command gateway serves an API Gateway API from its OpenAPI definition
// (an export of an HTTP or REST API, OpenAPI 3 or Swagger 2.0, JSON or
// YAML), off AWS:
//
//	gateway api.yaml                                  # HTTP API on 127.0.0.1:8080
//	gateway -rest -stage prod api.yaml                # a REST API
//	gateway -lambda-endpoint http://127.0.0.1:9001 -emulator -function function api.yaml
//
// Lambda integrations and Lambda authorizers call their functions through
// the Lambda Invoke API: at -lambda-endpoint (the Runtime Interface
// Emulator, SAM's start-lambda, LocalStack) with any credentials, or at AWS
// Lambda with the credentials in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY
// and AWS_SESSION_TOKEN. What the import does not support is printed as a
// warning (or refused with -fail-on-warnings). The stage is served at the
// root of -addr; -access-log prints an access log line per request.
//
// Exit status: 0 after a clean shutdown (SIGINT, SIGTERM), 1 when the
// definition cannot be served, 2 for bad usage.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr, nil))
}
