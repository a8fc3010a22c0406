// Command serverless serves Lambda handlers written for AWS with
// github.com/aws/aws-lambda-go, unchanged and in-process, behind an HTTP
// API: the same functions that run on AWS Lambda with lambda.Start get the
// same API Gateway events here, with no Lambda, no Docker and no SAM.
//
//	go run ./examples/serverless
//	curl -i -X PUT -d '{"name":"Rex"}' http://127.0.0.1:8080/pets/7
//	curl -i http://127.0.0.1:8080/pets/7
package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/integration"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to serve the API on")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *addr, os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// pets is the functions' "database"; on AWS it would be DynamoDB.
type pets struct {
	mu   sync.Mutex
	byID map[string]string
}

// getPet is an ordinary aws-lambda-go handler for an HTTP API route.
func (p *pets) getPet(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	id := ev.PathParameters["id"]
	p.mu.Lock()
	name, ok := p.byID[id]
	p.mu.Unlock()
	if !ok {
		return jsonResponse(404, map[string]string{"error": "no pet " + id})
	}
	lc, _ := lambdacontext.FromContext(ctx)
	return jsonResponse(200, map[string]string{"id": id, "name": name, "awsRequestId": lc.AwsRequestID})
}

// putPet stores a pet; a body that is not JSON is the caller's error.
func (p *pets) putPet(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	body := []byte(ev.Body)
	if ev.IsBase64Encoded {
		// HTTP APIs base64-encode every body that is not text, including
		// one sent without a Content-Type (curl -d sends a form type).
		var err error
		if body, err = base64.StdEncoding.DecodeString(ev.Body); err != nil {
			return events.APIGatewayV2HTTPResponse{}, err
		}
	}
	var in struct {
		Name string `json:"name"`
	}
	if err := json.Unmarshal(body, &in); err != nil || in.Name == "" {
		return jsonResponse(400, map[string]string{"error": `want {"name": "..."}`})
	}
	p.mu.Lock()
	p.byID[ev.PathParameters["id"]] = in.Name
	p.mu.Unlock()
	return jsonResponse(201, map[string]string{"id": ev.PathParameters["id"], "name": in.Name})
}

// crash fails the way a buggy function does: the gateway answers 500.
func crash(ctx context.Context) error { return errors.New("something broke") }

func jsonResponse(status int, v any) (events.APIGatewayV2HTTPResponse, error) {
	b, err := json.Marshal(v)
	return events.APIGatewayV2HTTPResponse{
		StatusCode: status,
		Headers:    map[string]string{"Content-Type": "application/json"},
		Body:       string(b),
	}, err
}

// buildAPI wires the handlers to routes of an HTTP API.
func buildAPI(logOut io.Writer) (*gateway.API, error) {
	store := &pets{byID: map[string]string{"1": "Fido"}}
	api := gateway.New("pets")
	routes := []struct {
		key string
		fn  any
	}{
		{"GET /pets/{id}", store.getPet},
		{"PUT /pets/{id}", store.putPet},
		{"GET /crash", crash},
	}
	for _, r := range routes {
		fn, err := integration.NewLambda(integration.LambdaConfig{
			Handler:      r.fn,
			FunctionName: "pets",
			Timeout:      3 * time.Second, // AWS Lambda's default
			Logger:       newLogger(logOut),
		})
		if err != nil {
			return nil, err
		}
		if err := api.Handle(r.key, fn); err != nil {
			return nil, err
		}
	}
	return api, nil
}

// run serves until ctx is done.
func run(ctx context.Context, addr string, out io.Writer) error {
	api, err := buildAPI(out)
	if err != nil {
		return err
	}
	if _, err := api.Deploy("$default", nil); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: api, ReadHeaderTimeout: 10 * time.Second}
	base := "http://" + ln.Addr().String()
	fmt.Fprintf(out, "gatewaykit serverless: aws-lambda-go handlers serving on %s\n\ntry:\n", base)
	fmt.Fprintf(out, "  curl -i %s/pets/1\n", base)
	fmt.Fprintf(out, "  curl -i -X PUT -d '{\"name\":\"Rex\"}' %s/pets/7\n", base)
	fmt.Fprintf(out, "  curl -i %s/crash\n", base)

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
