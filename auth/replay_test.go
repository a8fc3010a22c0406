package auth

import (
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
