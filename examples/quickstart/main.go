// Command quickstart serves a small API on 127.0.0.1:8080 with gatewaykit's
// in-memory defaults: a mock health route, an HTTP proxy route to a backend
// it starts itself, and a route served by a plain http.Handler.
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync/atomic"
	"time"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/cache"
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

// run serves until ctx is done.
func run(ctx context.Context, addr string, out *os.File) error {
	backend, err := startBackend()
	if err != nil {
		return err
	}
	defer backend.Close()

	api, err := buildAPI("http://" + backend.Addr().String())
	if err != nil {
		return err
	}
	if _, err := api.Deploy("$default", gateway.StageVariables{"greeting": "hello"}); err != nil {
		return err
	}

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: api, ReadHeaderTimeout: 10 * time.Second}
	base := "http://" + ln.Addr().String()
	fmt.Fprintf(out, "gatewaykit quickstart: API %q serving on %s\n\ntry:\n", api.Name(), base)
	fmt.Fprintf(out, "  curl -i %s/health\n", base)
	fmt.Fprintf(out, "  curl -i %s/orders/42\n", base)
	fmt.Fprintf(out, "  curl -i %s/legacy/inventory/7?verbose=1\n", base)
	fmt.Fprintf(out, "  curl -i %s/report         # twice: the second answer comes from the cache (same call number)\n", base)
	fmt.Fprintf(out, "  curl -i %s/nowhere        # no route: 404 {\"message\":\"Not Found\"}\n", base)
	fmt.Fprintf(out, "\nCtrl-C stops it.\n")

	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	if err := srv.Serve(ln); err != http.ErrServerClosed {
		return err
	}
	return nil
}

// buildAPI declares the quickstart's routes.
func buildAPI(backendURL string) (*gateway.API, error) {
	api := gateway.New("quickstart")

	if err := api.Handle("GET /health", integration.Mock(200, `{"status":"ok"}`)); err != nil {
		return nil, err
	}

	legacy, err := integration.HTTP(backendURL + "/{proxy}")
	if err != nil {
		return nil, err
	}
	if err := api.Handle("ANY /legacy/{proxy+}", legacy); err != nil {
		return nil, err
	}

	orders := integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := gateway.RequestContextFrom(r.Context())
		id, _ := rc.PathParameters.Get("id")
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{
			"orderId":   id,
			"requestId": rc.RequestID,
			"routeKey":  rc.RouteKey,
			"greeting":  rc.StageVariables["greeting"],
			"sourceIp":  rc.Identity.SourceIP,
		})
	})
	if err := api.Handle("GET /orders/{id}", orders); err != nil {
		return nil, err
	}

	// A slow report, cached for 30 s: the second call is answered from the
	// cache without reaching the handler.
	stageCache, err := cache.New(cache.Config{CapacityBytes: 16 << 20})
	if err != nil {
		return nil, err
	}
	cached, err := stageCache.Route(cache.Settings{TTL: 30 * time.Second})
	if err != nil {
		return nil, err
	}
	var reports atomic.Int64
	report := integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"call":        reports.Add(1),
			"generatedAt": time.Now().UTC().Format(time.RFC3339Nano),
		})
	})
	if err := api.Handle("GET /report", report, cached); err != nil {
		return nil, err
	}
	return api, nil
}

// startBackend starts the "legacy" service the proxy route forwards to.
func startBackend() (net.Listener, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"backend":         "legacy",
			"path":            r.URL.Path,
			"query":           r.URL.RawQuery,
			"x-forwarded-for": r.Header.Get("X-Forwarded-For"),
		})
	})
	go func() { _ = http.Serve(ln, mux) }()
	return ln, nil
}
