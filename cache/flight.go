package cache

import (
	"context"
	"net/http"
)

// A flight is one integration call for a key that concurrent misses wait
// on, so that a burst of misses costs the backend one call.
type flight struct {
	done  chan struct{}
	entry []byte // the encoded response, nil when it was not stored
}

// fill calls the integration for a miss: the first request for key does,
// others wait for it and are served its response if it was cacheable, or
// call the integration themselves if it was not (so one caller's failure
// or private answer is never handed to another).
func (c *Cache) fill(w http.ResponseWriter, r *http.Request, rs *routeSettings, key string, next http.Handler, refresh bool) {
	c.mu.Lock()
	if f, ok := c.flights[key]; ok && !refresh {
		c.mu.Unlock()
		select {
		case <-f.done:
		case <-r.Context().Done():
			return
		}
		if f.entry != nil && writeEntry(w, r, f.entry) == nil {
			c.hits.Add(1)
			setStatus(r, "HIT")
			return
		}
		c.misses.Add(1)
		next.ServeHTTP(w, r)
		return
	}
	c.misses.Add(1)
	f := &flight{done: make(chan struct{})}
	leader := !refresh
	if leader {
		c.flights[key] = f
	}
	c.mu.Unlock()
	released := false
	release := func() { // waiters go as soon as the answer is known
		if released {
			return
		}
		released = true
		if leader {
			c.mu.Lock()
			delete(c.flights, key)
			c.mu.Unlock()
		}
		close(f.done)
	}
	defer release()

	rec := &recorder{ResponseWriter: w, limit: c.maxEntry, before: w.Header().Clone()}
	next.ServeHTTP(rec, r)
	if !rec.cacheable() {
		return
	}
	entry := encodeEntry(rec.status, rec.stored, rec.body)
	f.entry = entry
	release()
	stored := entry
	if rs.Encrypted {
		stored = seal(c.aead, entry, key)
	}
	// The store write must not depend on the client staying: a fresh
	// context, bounded.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), storeTimeout)
	defer cancel()
	if err := c.store.Set(ctx, key, stored, rs.ttl); err != nil {
		c.storeError("set", err)
	}
}
