// Command partner-api serves a partner API metered like an API Gateway REST
// API: three usage plans (free, basic, pro) with throttles and quotas, one
// API key per plan (printed at start), a stage-wide throttle, and an
// operator endpoint that reports usage.
//
//	go run ./examples/partner-api
//	go run ./examples/partner-api -redis 127.0.0.1:6379   # share limits between instances
package main

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/throttle"
	"github.com/gatewaykit/gateway/throttle/redisstore"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8081", "address to serve the API on")
	redisAddr := flag.String("redis", "", "Redis address for shared limits, keys and plans (empty: in memory)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *addr, *redisAddr, os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// planSpecs are the partner tiers.
var planSpecs = []throttle.UsagePlan{
	{ID: "free", Name: "Free", Throttle: &throttle.Limit{Rate: 1, Burst: 2},
		Quota: &throttle.Quota{Limit: 100, Period: throttle.Day}},
	{ID: "basic", Name: "Basic", Throttle: &throttle.Limit{Rate: 10, Burst: 20},
		Quota: &throttle.Quota{Limit: 10_000, Period: throttle.Week}},
	{ID: "pro", Name: "Pro", Throttle: &throttle.Limit{Rate: 100, Burst: 200},
		Quota: &throttle.Quota{Limit: 1_000_000, Period: throttle.Month},
		// Pro keys may search at most 5 requests a second.
		APIStages: []throttle.APIStage{{Stage: "v1", Throttle: map[string]throttle.Limit{"/search/GET": {Rate: 5, Burst: 5}}}}},
}

// partnerAPI is the example's gateway: the API, its stage, the plans and
// one API key value per plan.
type partnerAPI struct {
	api   *gateway.API
	stage *gateway.Stage
	plans *throttle.Plans
	keys  map[string]string // plan id -> key value
}

// build declares the API, the plans and the keys. Plans without API stages
// cover every stage; the pro plan names stage v1 for its per-route limit.
func build(ctx context.Context, cfg throttle.PlansConfig, clock gateway.Clock) (*partnerAPI, error) {
	cfg.Clock = clock
	plans, err := throttle.NewPlans(cfg)
	if err != nil {
		return nil, err
	}
	stageLimits, err := throttle.New(throttle.Config{Store: cfg.Store, Stage: &throttle.Limit{Rate: 500, Burst: 1000}, Clock: clock})
	if err != nil {
		return nil, err
	}
	p := &partnerAPI{plans: plans, keys: map[string]string{}}
	for _, spec := range planSpecs {
		plan, err := plans.CreatePlan(ctx, spec)
		if err != nil {
			return nil, err
		}
		key, value, err := plans.CreateKey(ctx, plan.Name+" partner")
		if err != nil {
			return nil, err
		}
		if err := plans.AddKey(ctx, plan.ID, key.ID); err != nil {
			return nil, err
		}
		p.keys[plan.ID] = value
	}

	opts := []gateway.Option{gateway.Config{Profile: gateway.RESTAPI}}
	if clock != nil {
		opts = append(opts, gateway.WithClock(clock))
	}
	p.api = gateway.New("partner-api", opts...)
	p.api.Use(gateway.PhaseThrottle, stageLimits.Middleware)
	keyRequired := plans.APIKeyRequired()
	data := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := gateway.RequestContextFrom(r.Context())
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{
			"route": rc.RouteKey, "apiKeyId": rc.Identity.APIKeyID, "usagePlanId": rc.UsagePlanID,
		})
	})
	for _, route := range []string{"GET /items", "GET /search"} {
		if err := p.api.Handle(route, data, keyRequired); err != nil {
			return nil, err
		}
	}
	if err := p.api.Handle("GET /status", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"status":"ok"}`)
	})); err != nil {
		return nil, err
	}
	if p.stage, err = p.api.Deploy("v1", nil); err != nil {
		return nil, err
	}
	return p, nil
}

// run serves until ctx is done.
func run(ctx context.Context, addr, redisAddr string, out io.Writer) error {
	var cfg throttle.PlansConfig
	if redisAddr != "" {
		client := redis.NewClient(&redis.Options{Addr: redisAddr, MaxRetries: -1}) // a retried script would count twice
		defer client.Close()
		store, err := redisstore.New(client)
		if err != nil {
			return err
		}
		reg, err := redisstore.NewRegistry(client, "partner-api:")
		if err != nil {
			return err
		}
		cfg.Store, cfg.Registry = store, reg
	}
	p, err := build(ctx, cfg, nil)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	// The usage API shows every plan's keys and traffic: operators only,
	// with a token printed below (a real deployment would put its own
	// authentication, or a listener of its own, in front of it).
	adminToken := rand.Text()
	mux.Handle("/admin/", adminOnly(adminToken, http.StripPrefix("/admin", p.plans.UsageHandler())))
	mux.Handle("/", p.api)

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	base := "http://" + ln.Addr().String()
	fmt.Fprintf(out, "partner-api serving stage v1 on %s\n\nAPI keys:\n", base)
	for _, spec := range planSpecs {
		fmt.Fprintf(out, "  %-6s %s\n", spec.ID, p.keys[spec.ID])
	}
	today := time.Now().UTC().Format(time.DateOnly)
	fmt.Fprintf(out, "\ntry:\n  curl -i -H 'x-api-key: %s' %s/v1/items\n", p.keys["free"], base)
	fmt.Fprintf(out, "  curl -i %s/v1/items            # no key: 403 {\"message\":\"Forbidden\"}\n", base)
	fmt.Fprintf(out, "  curl -H 'Authorization: Bearer %s' '%s/admin/usageplans/free/usage?startDate=%s&endDate=%s'\n", adminToken, base, today, today)
	fmt.Fprintf(out, "\nCtrl-C stops it.\n")

	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
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

// adminOnly lets through the requests that carry token as a Bearer token
// and answers the others 403.
func adminOnly(token string, next http.Handler) http.Handler {
	want := []byte("Bearer " + token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), want) != 1 {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusForbidden)
			_, _ = io.WriteString(w, `{"message":"Forbidden"}`)
			return
		}
		next.ServeHTTP(w, r)
	})
}
