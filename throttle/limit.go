package throttle

import (
	"fmt"
	"math"
	"time"
)

// Inf is the rate of a Limit that never throttles (math.Inf(1) works
// too).
const Inf = math.MaxFloat64

// AWS's account-level defaults: 10,000 requests per second with a burst of
// 5,000, shared by every API of an account and region.
const (
	DefaultAccountRate  = 10000
	DefaultAccountBurst = 5000
)

// MaxRate is the highest finite rate a Limit can express: buckets count time
// in microseconds (so that the Redis store's Lua numbers stay exact), and one
// token per microsecond is the finest step. Higher finite rates behave as
// MaxRate; use Inf for no limit.
//
// A token's refill time is likewise a whole number of microseconds (see
// Interval), so a rate takes effect as 1,000,000 / round(1,000,000 / rate)
// per second: exactly for rates that divide a million (10,000, 2,500,
// 0.5, ...), within 0.1 % up to 1,000 per second and 1 % up to 10,000,
// and off by up to several percent for uneven rates above that (150,000
// acts as 142,857).
const MaxRate = 1e6

// Limit is a token bucket as API Gateway describes its throttles: the bucket
// holds at most Burst tokens and refills at Rate tokens per second; each
// request takes one token, and a request that finds no token is throttled.
//
// A new bucket starts full. Rates below one per second are allowed (Rate 0.5
// admits one request every two seconds once the burst is spent). A Burst of
// 0, or a Rate of 0, throttles every request, as an AWS throttle set to 0
// does. Rate Inf never throttles, whatever the Burst.
//
// The JSON names are those of a usage plan's throttle settings.
type Limit struct {
	// Rate is the steady-state rate in requests per second.
	Rate float64 `json:"rateLimit"`
	// Burst is the bucket's capacity: how many requests may arrive at once.
	Burst int `json:"burstLimit"`
}

// DefaultAccountLimit returns AWS's default account throttle, 10,000
// requests per second with a burst of 5,000.
func DefaultAccountLimit() Limit { return Limit{Rate: DefaultAccountRate, Burst: DefaultAccountBurst} }

// Validate reports a negative or NaN rate, a negative burst, or a bucket too
// deep to represent (Burst / Rate beyond about 290,000 years).
func (l Limit) Validate() error {
	switch {
	case math.IsNaN(l.Rate) || l.Rate < 0:
		return fmt.Errorf("throttle: rate %v must be 0 or more", l.Rate)
	case l.Burst < 0:
		return fmt.Errorf("throttle: burst %d must be 0 or more", l.Burst)
	case l.Rate > 0 && !l.Unlimited() && float64(l.Burst)*1e6/l.Rate > 1<<53:
		return fmt.Errorf("throttle: burst %d at rate %v is too deep", l.Burst, l.Rate)
	}
	return nil
}

// Unlimited reports whether the limit never throttles: Rate is Inf (or
// +Inf).
func (l Limit) Unlimited() bool { return l.Rate == Inf || math.IsInf(l.Rate, 1) }

// String formats the limit as "rate/s burst N".
func (l Limit) String() string {
	if l.Unlimited() {
		return "unlimited"
	}
	return fmt.Sprintf("%g/s burst %d", l.Rate, l.Burst)
}

// Interval returns the time one token takes to refill, in whole
// microseconds (at least 1). It is 0 for a limit that admits nothing and
// for Inf.
func (l Limit) Interval() int64 {
	if l.Rate <= 0 || l.Unlimited() || l.Burst <= 0 {
		return 0
	}
	iv := math.Round(1e6 / l.Rate)
	if iv < 1 {
		return 1
	}
	return int64(iv)
}

// Result is the outcome of one throttling decision.
type Result struct {
	// Allowed reports whether the request may proceed.
	Allowed bool
	// Remaining is how many tokens the bucket holds after the decision.
	Remaining int
	// RetryAfter is, for a throttled request, how long until the bucket
	// holds enough tokens; negative when it never will (a zero limit, or a
	// request for more tokens than the burst). It is 0 when Allowed.
	RetryAfter time.Duration
}

// Micros converts t to the microseconds since the Unix epoch that buckets
// count in.
func Micros(t time.Time) int64 { return t.UnixMicro() }

// Decide applies a request for n tokens, at now (microseconds since the
// epoch), to a bucket in state tat under limit l, and returns the bucket's
// next state and the result. It is the whole algorithm, with no locks, I/O
// or clock: stores wrap it (the Redis store runs the same steps in Lua).
//
// The state is GCRA's theoretical arrival time: the instant, in
// microseconds, at which the bucket would be full again. The zero state is a
// full bucket, so a store needs no initialisation; a state at or before now
// is also a full bucket, so such buckets can be forgotten without changing
// any answer. A rejected request leaves the state unchanged.
func (l Limit) Decide(tat, now int64, n int) (next int64, r Result) {
	if l.Unlimited() {
		return tat, Result{Allowed: true, Remaining: l.Burst}
	}
	iv := l.Interval()
	if iv == 0 || n > l.Burst {
		return tat, Result{RetryAfter: -1}
	}
	if n <= 0 {
		n = 0
	}
	tau := int64(l.Burst) * iv
	base := max(tat, now)
	newTat := base + int64(n)*iv
	diff := newTat - now
	if diff > tau {
		return tat, Result{Remaining: int((tau - (base - now)) / iv), RetryAfter: time.Duration(diff-tau) * time.Microsecond}
	}
	return newTat, Result{Allowed: true, Remaining: int((tau - diff) / iv)}
}
