package auth

import (
	"crypto/sha256"
	"fmt"
	"testing"
	"time"
)

func TestReplayCacheBookkeeping(t *testing.T) {
	start := time.Unix(1_800_000_000, 0)
	c := newReplayCache(4, 3, start)
	sig := func(i int) string { return fmt.Sprintf("%064x", i) }
	// Three of key a, expiring one second apart; one of key b.
	for i := range 3 {
		if got := c.check("a", sig(i), start.Add(time.Duration(10+i)*time.Second), start); got != replayNew {
			t.Fatalf("a%d: %v", i, got)
		}
	}
	if got := c.check("a", sig(3), start.Add(20*time.Second), start); got != replayFull {
		t.Errorf("a's fourth: %v, want full (share of 3)", got)
	}
	if got := c.check("b", sig(4), start.Add(20*time.Second), start); got != replayNew {
		t.Errorf("b's first: %v", got)
	}
	if got := c.check("c", sig(5), start.Add(20*time.Second), start); got != replayFull {
		t.Errorf("c with the cache full: %v", got)
	}
	if got := c.check("b", sig(0), start.Add(20*time.Second), start); got != replaySeen {
		t.Errorf("a's signature sent again: %v", got)
	}
	// Second by second: at 11 s the first (expiring at 10 s) is gone.
	for s := 1; s <= 11; s++ {
		c.check("z", "probe", start, start.Add(time.Duration(s)*time.Second)) // sweeps; the probe's own entry expired
	}
	if c.counts["a"] != 2 || len(c.seen) != 3 {
		t.Errorf("after 11 s: counts %v, %d held", c.counts, len(c.seen))
	}
	if got := c.check("a", sig(0), start.Add(30*time.Second), start.Add(11*time.Second)); got != replayNew {
		t.Errorf("a's expired signature again: %v", got)
	}
	// A long idle: everything expired goes at once.
	c.check("z", "probe2", start, start.Add(time.Hour))
	if len(c.seen) != 0 || len(c.counts) != 0 || len(c.expiry) != 0 {
		t.Errorf("after an hour: %d held, counts %v, %d buckets", len(c.seen), c.counts, len(c.expiry))
	}
}

// After the clock steps back, a signature that still passes the clock
// check is recorded (and refused the second time), not waved through as
// one past its window.
func TestReplayCacheClockStepsBack(t *testing.T) {
	skew := 5 * time.Minute
	t0 := time.Unix(1_700_000_000, 0)
	c := newReplayCache(1000, 100, t0)
	c.check("AK", "00", t0.Add(skew), t0)
	now := t0.Add(-30 * time.Second)
	expires := now.Add(10 * time.Second) // signed skew-10s ago by now's clock
	if v := c.check("AK", "aa", expires, now); v != replayNew {
		t.Fatalf("first: %v", v)
	}
	if v := c.check("AK", "aa", expires, now); v != replaySeen {
		t.Errorf("replayed after the clock stepped back: %v", v)
	}
	// Its bucket is swept once the clock passes it again.
	c.check("AK", "probe", t0.Add(time.Hour), t0.Add(20*time.Second))
	if _, held := c.seen[sha256.Sum256([]byte("aa"))]; held {
		t.Error("an expired signature is still held")
	}
}
