package throttle

import (
	"context"
	"time"
)

// Store keeps token buckets and quota counters. Implementations decide
// atomically: concurrent calls on one key behave as if made one after the
// other. The memory store (NewMemoryStore) serves one process; the Redis
// store (package redisstore) lets any number of gateway instances share
// limits. throttletest.RunStore checks an implementation.
//
// Times are passed in, never read from a clock, so that tests run on
// simulated time. A Store's own expiry of idle state is relative to the
// times it is given.
type Store interface {
	// AllowN takes n tokens at now from the bucket called key, which
	// follows limit l (see Limit.Decide). A rejected request takes nothing.
	AllowN(ctx context.Context, key string, l Limit, now time.Time, n int) (Result, error)
	// Consume adds req.N to the counter req.Key unless that would take it
	// past req.Max, in which case nothing changes. See QuotaRequest.
	Consume(ctx context.Context, req QuotaRequest) (QuotaResult, error)
	// Counts returns the current values of the named counters at now, 0
	// for missing or expired ones, in order.
	Counts(ctx context.Context, now time.Time, keys ...string) ([]int64, error)
}

// QuotaRequest asks a Store to count requests against a quota.
type QuotaRequest struct {
	// Key names the quota counter, one per period (the period's start is
	// part of the key, so a new period starts at 0).
	Key string
	// Max is the most the counter may reach.
	Max int64
	// N is how many requests to count; usually 1. Plans gives a request
	// back with -1 (same keys and expiries), which always fits.
	N int64
	// Now is the time of the request.
	Now time.Time
	// Expires is when the counter may be forgotten: the end of its period.
	Expires time.Time
	// UsageKey, when not empty, names a second counter that grows by N
	// whenever the quota admits the request (the per-day usage record);
	// it expires at UsageExpires. On Redis Cluster it must hash to Key's
	// slot (share its hash tag), as the keys Plans makes do.
	UsageKey     string
	UsageExpires time.Time
}

// QuotaResult is the outcome of Consume.
type QuotaResult struct {
	// Allowed reports whether the counter had room for N.
	Allowed bool
	// Used is the counter's value after the call.
	Used int64
}
