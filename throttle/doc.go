// Package throttle is API Gateway's throttling, API keys and usage plans as
// net/http middleware, in memory or shared through Redis (package
// redisstore).
//
// It has three layers. Limit.Decide is the pure token-bucket (GCRA) math,
// with no locks, clock or I/O. A Store (MemoryStore, redisstore.Store) keeps
// buckets and quota counters and decides atomically; throttletest.RunStore
// checks any implementation. Throttler (stage, route and account limits)
// and Plans (API keys, usage plan throttles and quotas) are middleware over
// a Store, rejecting through gateway.WriteError with AWS's answers: 429
// {"message":"Too Many Requests"}, 429 {"message":"Limit Exceeded"} and 403
// {"message":"Forbidden"}.
//
// In a gateway API the steps run in AWS's order:
//
//	plans, _ := throttle.NewPlans(throttle.PlansConfig{})
//	limits, _ := throttle.New(throttle.Config{Stage: &throttle.Limit{Rate: 100, Burst: 200}})
//	api.Use(gateway.PhaseThrottle, limits.Middleware)
//	api.Handle("GET /orders", orders, plans.APIKeyRequired())
//
//	plan, _ := plans.CreatePlan(ctx, throttle.UsagePlan{Name: "basic",
//		Throttle: &throttle.Limit{Rate: 10, Burst: 20},
//		Quota:    &throttle.Quota{Limit: 10000, Period: throttle.Month}})
//	key, value, _ := plans.CreateKey(ctx, "partner") // value goes to the partner
//	_ = plans.AddKey(ctx, plan.ID, key.ID)
//
// Both also work alone around any handler:
//
//	http.Handle("/v1/", plans.Middleware(limits.Middleware(myHandler)))
//
// Every time-dependent piece takes a gateway.Clock, so tests run on
// simulated time (throttletest.Clock) without sleeping.
package throttle
