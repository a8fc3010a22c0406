package auth

import (
	"crypto/sha256"
	"encoding/hex"
	"sync"
	"time"
)

// replayCache remembers the header signatures seen until they can no
// longer pass the clock check (their X-Amz-Date plus the skew), so that
// none is accepted twice. It never forgets a signature that could still
// be replayed; when full it refuses new ones instead. Each access key may
// hold only part of it, so that one caller filling its share does not
// shut the others out.
type replayCache struct {
	mu     sync.Mutex
	total  int // the most signatures held
	perKey int // the most signatures one access key holds
	seen   map[[32]byte]struct{}
	counts map[string]int          // live signatures per access key
	expiry map[int64][]replayEntry // by the Unix second after which they expire
	swept  int64                   // seconds before this one have been swept
}

type replayEntry struct {
	sig       [32]byte
	accessKey string
}

// replayVerdict is what the cache says of a signature.
type replayVerdict int

const (
	replayNew  replayVerdict = iota // recorded now
	replaySeen                      // already used
	replayFull                      // the cache, or the caller's share, is full
)

func newReplayCache(total, perKey int, now time.Time) *replayCache {
	return &replayCache{total: total, perKey: perKey, seen: map[[32]byte]struct{}{},
		counts: map[string]int{}, expiry: map[int64][]replayEntry{}, swept: now.Unix()}
}

// check records signature (of accessKey, valid until expires) unless it
// was seen or there is no room, in one step: two copies arriving
// together cannot both pass.
func (c *replayCache) check(accessKey, signature string, expires, now time.Time) replayVerdict {
	var sig [32]byte
	if b, err := hex.DecodeString(signature); err == nil && len(b) == len(sig) {
		copy(sig[:], b)
	} else {
		sig = sha256.Sum256([]byte(signature))
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sweep(now)
	if _, ok := c.seen[sig]; ok {
		return replaySeen
	}
	e := expires.Unix()
	if e < now.Unix() {
		return replayNew // already past its window: it cannot come back
	}
	if e < c.swept {
		c.swept = e // the clock stepped back: sweep its bucket again
	}
	if len(c.seen) >= c.total || c.counts[accessKey] >= c.perKey {
		return replayFull
	}
	c.seen[sig] = struct{}{}
	c.counts[accessKey]++
	c.expiry[e] = append(c.expiry[e], replayEntry{sig, accessKey})
	return replayNew
}

// sweep forgets the signatures whose time has passed.
func (c *replayCache) sweep(now time.Time) {
	n := now.Unix()
	if n-c.swept > int64(len(c.expiry)) {
		// Long idle: visiting the buckets is shorter than every second.
		for e, entries := range c.expiry {
			if e < n {
				c.forget(e, entries)
			}
		}
		c.swept = n
		return
	}
	for ; c.swept < n; c.swept++ {
		if entries, ok := c.expiry[c.swept]; ok {
			c.forget(c.swept, entries)
		}
	}
}

func (c *replayCache) forget(e int64, entries []replayEntry) {
	for _, x := range entries {
		delete(c.seen, x.sig)
		if c.counts[x.accessKey]--; c.counts[x.accessKey] <= 0 {
			delete(c.counts, x.accessKey)
		}
	}
	delete(c.expiry, e)
}
