// Package redisstore keeps throttle buckets, quota counters, API keys and
// usage plans in Redis, so that any number of gateway instances share limits
// and quotas exactly and a key created through one instance works on all.
//
// Every decision is one round trip running one Lua script, so it is atomic
// however many instances decide at once. The scripts run the same GCRA steps
// as throttle.Limit.Decide, in integer microseconds, so a Store passes the
// same conformance suite (throttletest.RunStore) as the memory store.
//
// Times come from the gateway instances, not from Redis: keep their clocks
// synchronised (NTP). A single Redis, a primary with replicas, or a Redis
// Cluster (pass a *redis.ClusterClient; see New for its options) all
// work: a rate decision touches one key, and the quota and usage counters
// of one plan and key share a hash tag, so they spread over the shards by
// key. The Registry's scripts
// touch several keys, so on a Cluster give NewRegistry a prefix with a hash
// tag, such as "{plans}:".
//
// What happens when Redis is down is the middleware's FailurePolicy; the
// client reconnects by itself, so decisions recover when Redis returns.
package redisstore

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gatewaykit/gateway/throttle"
)

// Store is a throttle.Store in Redis. It is safe for concurrent use; it does
// not own the client (closing the client is the caller's business).
type Store struct {
	client redis.UniversalClient
}

// New returns a Store using client, which must not retry commands: a
// script whose reply was lost to a timeout may have run, and running it
// again would take a token or count a request twice. New refuses a
// *redis.Client or *redis.Ring whose MaxRetries is not -1, and a
// *redis.ClusterClient whose MaxRetries or MaxRedirects is not -1 (the
// cluster client also resends a timed-out command through its redirect
// loop). Without redirects, a command sent to a shard that no longer owns
// its key fails once (the middleware's FailurePolicy answers) while the
// client reloads the cluster's layout for the next one. Other
// UniversalClient implementations are taken as they are.
func New(client redis.UniversalClient) (*Store, error) {
	if client == nil {
		return nil, errors.New("redisstore: nil client")
	}
	retries, redirects := 0, 0
	switch c := client.(type) {
	case *redis.Client:
		retries = c.Options().MaxRetries
	case *redis.Ring:
		retries = c.Options().MaxRetries
	case *redis.ClusterClient:
		retries, redirects = c.Options().MaxRetries, c.Options().MaxRedirects
	}
	if retries > 0 {
		return nil, fmt.Errorf("redisstore: the client retries commands (MaxRetries %d): a retried script counts a request twice; set MaxRetries: -1", retries)
	}
	if redirects > 0 {
		return nil, fmt.Errorf("redisstore: the cluster client resends commands (MaxRedirects %d): a resent script counts a request twice; set MaxRedirects: -1", redirects)
	}
	return &Store{client: client}, nil
}

// graceMillis is how long Redis keeps a key after the state it holds stops
// mattering (a bucket that has refilled, a counter past its period). Keys
// expire by Redis's clock while decisions use the callers' times; the grace
// keeps a caller whose clock lags (or a test on simulated time) from seeing
// state vanish early. It costs memory for idle keys, never correctness: a
// full bucket and a missing one answer alike, and counters carry their own
// expiry.
const graceMillis = 60_000

// allowScript is throttle.Limit.Decide in Lua. State: the bucket's
// theoretical arrival time in microseconds, kept until a grace period after
// the bucket is full again (a missing key is a full bucket).
var allowScript = redis.NewScript(`
local now = tonumber(ARGV[1])
local iv = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local n = tonumber(ARGV[4])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
local tau = burst * iv
local base = tat
if now > base then base = now end
local newtat = base + n * iv
local diff = newtat - now
if diff > tau then
  local rem = (tau - (base - now)) / iv
  if rem < 0 then rem = math.ceil(rem) else rem = math.floor(rem) end -- toward zero, as Go's division
  return {0, rem, diff - tau}
end
redis.call('SET', KEYS[1], string.format('%d', newtat), 'PX', math.floor(diff / 1000) + tonumber(ARGV[5]))
return {1, math.floor((tau - diff) / iv), 0}
`)

// AllowN implements throttle.Store.
func (s *Store) AllowN(ctx context.Context, key string, l throttle.Limit, now time.Time, n int) (throttle.Result, error) {
	if n < 0 {
		n = 0
	}
	iv := l.Interval()
	if l.Unlimited() || iv == 0 || n > l.Burst {
		_, r := l.Decide(0, throttle.Micros(now), n) // stateless answers
		return r, nil
	}
	v, err := allowScript.Run(ctx, s.client, []string{key}, throttle.Micros(now), iv, l.Burst, n, graceMillis).Int64Slice()
	if err != nil {
		return throttle.Result{}, fmt.Errorf("redisstore: allow %s: %w", key, err)
	}
	if len(v) != 3 {
		return throttle.Result{}, fmt.Errorf("redisstore: allow %s: unexpected reply %v", key, v)
	}
	return throttle.Result{Allowed: v[0] == 1, Remaining: int(v[1]), RetryAfter: time.Duration(v[2]) * time.Microsecond}, nil
}

// consumeScript counts against a quota counter (a hash of n and its expiry
// e in microseconds) and, when admitted, a usage counter.
var consumeScript = redis.NewScript(`
local max = tonumber(ARGV[1])
local n = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local function live(k)
  local v = redis.call('HMGET', k, 'n', 'e')
  if v[1] and v[2] and tonumber(v[2]) > now then return tonumber(v[1]), v[2] end
  return 0, nil
end
local function add(k, by, exp)
  local c, e = live(k)
  if not e then e = exp end
  c = c + by
  redis.call('HSET', k, 'n', string.format('%d', c), 'e', e)
  local ttl = math.floor((tonumber(e) - now) / 1000)
  if ttl < 0 then ttl = 0 end
  redis.call('PEXPIRE', k, ttl + tonumber(ARGV[6]))
  return c
end
local c = live(KEYS[1])
if c + n > max then return {0, c} end
c = add(KEYS[1], n, ARGV[4])
if KEYS[2] then add(KEYS[2], n, ARGV[5]) end
return {1, c}
`)

// Consume implements throttle.Store.
func (s *Store) Consume(ctx context.Context, req throttle.QuotaRequest) (throttle.QuotaResult, error) {
	keys := []string{req.Key}
	if req.UsageKey != "" {
		keys = append(keys, req.UsageKey)
	}
	v, err := consumeScript.Run(ctx, s.client, keys, strconv.FormatInt(req.Max, 10), req.N,
		throttle.Micros(req.Now), throttle.Micros(req.Expires), throttle.Micros(req.UsageExpires), graceMillis).Int64Slice()
	if err != nil {
		return throttle.QuotaResult{}, fmt.Errorf("redisstore: consume %s: %w", req.Key, err)
	}
	if len(v) != 2 {
		return throttle.QuotaResult{}, fmt.Errorf("redisstore: consume %s: unexpected reply %v", req.Key, v)
	}
	return throttle.QuotaResult{Allowed: v[0] == 1, Used: v[1]}, nil
}

var countsScript = redis.NewScript(`
local now = tonumber(ARGV[1])
local out = {}
for i, k in ipairs(KEYS) do
  local v = redis.call('HMGET', k, 'n', 'e')
  if v[1] and v[2] and tonumber(v[2]) > now then out[i] = tonumber(v[1]) else out[i] = 0 end
end
return out
`)

// Counts implements throttle.Store.
func (s *Store) Counts(ctx context.Context, now time.Time, keys ...string) ([]int64, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	v, err := countsScript.Run(ctx, s.client, keys, throttle.Micros(now)).Int64Slice()
	if err != nil {
		return nil, fmt.Errorf("redisstore: counts: %w", err)
	}
	if len(v) != len(keys) {
		return nil, fmt.Errorf("redisstore: counts: %d replies for %d keys", len(v), len(keys))
	}
	return v, nil
}
