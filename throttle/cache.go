package throttle

import (
	"context"
	"errors"
	"sync"
	"time"
)

// maxCachedKeys bounds the key cache; a full cache is emptied.
const maxCachedKeys = 1 << 16

// keyCache remembers resolved keys (PlansConfig.CacheTTL).
type keyCache struct {
	ttl     time.Duration
	mu      sync.RWMutex
	entries map[string]cachedKey
	gen     uint64 // bumped by clear: a lookup that started before a change does not cache its result
}

type cachedKey struct {
	key     APIKey
	plans   []UsagePlan
	expires time.Time
}

func newKeyCache(ttl time.Duration) *keyCache {
	return &keyCache{ttl: ttl, entries: make(map[string]cachedKey)}
}

func (c *keyCache) get(hash string) (cachedKey, bool) {
	c.mu.RLock()
	e, ok := c.entries[hash]
	c.mu.RUnlock()
	return e, ok
}

// generation returns the current generation, to pass to put.
func (c *keyCache) generation() uint64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.gen
}

// put stores e unless the cache was cleared since gen was read: the entry
// may predate the change that cleared it.
func (c *keyCache) put(hash string, e cachedKey, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return
	}
	if len(c.entries) >= maxCachedKeys {
		clear(c.entries)
	}
	c.entries[hash] = e
}

func (c *keyCache) clear() {
	c.mu.Lock()
	clear(c.entries)
	c.gen++
	c.mu.Unlock()
}

// invalidate empties the cache after a change made through these Plans.
func (p *Plans) invalidate() {
	if p.cache != nil {
		p.cache.clear()
	}
}

// lookup resolves a key hash to the key and its existing plans, through the
// cache when there is one.
func (p *Plans) lookup(ctx context.Context, hash string) (APIKey, []UsagePlan, error) {
	var stale *cachedKey
	var gen uint64
	if p.cache != nil {
		gen = p.cache.generation()
		if e, ok := p.cache.get(hash); ok {
			if p.clock.Now().Before(e.expires) {
				return e.key, e.plans, nil
			}
			stale = &e
		}
	}
	key, plans, err := p.resolve(ctx, hash)
	if err != nil {
		if stale != nil && p.policy == FailOpen && !errors.Is(err, ErrNotFound) {
			p.stats.storeError(p.log, "throttle: registry failed; using a cached key", "err", err)
			return stale.key, stale.plans, nil
		}
		return APIKey{}, nil, err
	}
	if p.cache != nil {
		p.cache.put(hash, cachedKey{key: key, plans: plans, expires: p.clock.Now().Add(p.cache.ttl)}, gen)
	}
	return key, plans, nil
}

func (p *Plans) resolve(ctx context.Context, hash string) (APIKey, []UsagePlan, error) {
	key, err := p.reg.KeyByHash(ctx, hash)
	if err != nil {
		return APIKey{}, nil, err
	}
	plans := make([]UsagePlan, 0, len(key.UsagePlanIDs))
	for _, id := range key.UsagePlanIDs {
		pl, err := p.reg.Plan(ctx, id)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return APIKey{}, nil, err
		}
		plans = append(plans, pl)
	}
	return key, plans, nil
}
