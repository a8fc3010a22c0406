package throttle

import (
	"context"
	"fmt"
	"hash/maphash"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// MemoryConfig configures a MemoryStore. The zero value is usable.
type MemoryConfig struct {
	// Shards is the number of independently locked parts of the store, a
	// power of two. 0 means 256.
	Shards int
	// MaxKeys bounds how many buckets and counters the store keeps. When a
	// shard is full, buckets that have refilled completely (idle ones, whose
	// loss changes no answer) and expired counters are evicted first; if
	// none is idle, an eighth of the shard is dropped, buckets first (their
	// keys start again with full buckets), then usage records. Live quota
	// counters are never dropped, as that would give a key its quota
	// again: a shard holding only those grows past its share. 0 means
	// 1,048,576.
	MaxKeys int
}

// MemoryStore is the in-process Store: sharded maps of buckets. A decision
// on an existing bucket takes a shard's read lock and one compare-and-swap,
// with no allocation; there is no global lock. Memory is bounded by
// MaxKeys, and idle buckets are evicted when room is needed (or by Sweep),
// so there is no background goroutine.
//
// A MemoryStore is safe for concurrent use. Create one with NewMemoryStore.
type MemoryStore struct {
	seed     maphash.Seed
	mask     uint64
	perShard int
	shards   []memShard
}

type memShard struct {
	mu       sync.RWMutex
	buckets  map[string]*memBucket
	counters map[string]*memCounter
	_        [24]byte // 24+8+8+24 = 64 bytes: neighbouring shards on separate cache lines
}

type memBucket struct{ tat atomic.Int64 }

type memCounter struct {
	n       int64
	expires int64 // unix micros
	quota   bool  // a quota counter, never dropped while live (not a usage record)
}

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore(cfg MemoryConfig) (*MemoryStore, error) {
	if cfg.Shards == 0 {
		cfg.Shards = 256
	}
	if cfg.Shards < 0 || cfg.Shards&(cfg.Shards-1) != 0 {
		return nil, fmt.Errorf("throttle: %d shards: want a power of two", cfg.Shards)
	}
	if cfg.MaxKeys == 0 {
		cfg.MaxKeys = 1 << 20
	}
	if cfg.MaxKeys < 0 {
		return nil, fmt.Errorf("throttle: MaxKeys %d is negative", cfg.MaxKeys)
	}
	m := &MemoryStore{
		seed:     maphash.MakeSeed(),
		mask:     uint64(cfg.Shards - 1),
		perShard: max(1, cfg.MaxKeys/cfg.Shards),
		shards:   make([]memShard, cfg.Shards),
	}
	for i := range m.shards {
		m.shards[i].buckets = make(map[string]*memBucket)
		m.shards[i].counters = make(map[string]*memCounter)
	}
	return m, nil
}

func (m *MemoryStore) shard(key string) *memShard {
	return &m.shards[maphash.String(m.seed, key)&m.mask]
}

// AllowN implements Store. It never fails.
func (m *MemoryStore) AllowN(_ context.Context, key string, l Limit, now time.Time, n int) (Result, error) {
	return m.allow(key, l, Micros(now), n), nil
}

// Allow is AllowN for one token without a context, for callers that use a
// MemoryStore directly.
func (m *MemoryStore) Allow(key string, l Limit, now time.Time) bool {
	return m.allow(key, l, Micros(now), 1).Allowed
}

func (m *MemoryStore) allow(key string, l Limit, now int64, n int) Result {
	s := m.shard(key)
	s.mu.RLock()
	b := s.buckets[key]
	if b != nil {
		r := b.take(l, now, n)
		s.mu.RUnlock()
		return r
	}
	s.mu.RUnlock()

	s.mu.Lock()
	defer s.mu.Unlock()
	if b = s.buckets[key]; b == nil {
		if len(s.buckets)+len(s.counters) >= m.perShard {
			s.evict(now)
		}
		b = new(memBucket)
		s.buckets[strings.Clone(key)] = b
	}
	return b.take(l, now, n)
}

func (b *memBucket) take(l Limit, now int64, n int) Result {
	for {
		tat := b.tat.Load()
		next, r := l.Decide(tat, now, n)
		if next == tat || b.tat.CompareAndSwap(tat, next) {
			return r
		}
	}
}

// evict makes room in a full shard; the caller holds the write lock.
func (s *memShard) evict(now int64) {
	freed := 0
	for k, b := range s.buckets {
		if b.tat.Load() <= now {
			delete(s.buckets, k)
			freed++
		}
	}
	for k, c := range s.counters {
		if c.expires <= now {
			delete(s.counters, k)
			freed++
		}
	}
	if freed > 0 {
		return
	}
	drop := max(1, (len(s.buckets)+len(s.counters))/8)
	for k := range s.buckets {
		if drop == 0 {
			return
		}
		delete(s.buckets, k)
		drop--
	}
	for k, c := range s.counters {
		if drop == 0 {
			return
		}
		if !c.quota {
			delete(s.counters, k)
			drop--
		}
	}
}

// Sweep evicts idle buckets and expired counters as of now, and returns how
// many it removed. Calling it is optional: a full shard sweeps itself.
func (m *MemoryStore) Sweep(now time.Time) int {
	us := Micros(now)
	removed := 0
	for i := range m.shards {
		s := &m.shards[i]
		s.mu.Lock()
		for k, b := range s.buckets {
			if b.tat.Load() <= us {
				delete(s.buckets, k)
				removed++
			}
		}
		for k, c := range s.counters {
			if c.expires <= us {
				delete(s.counters, k)
				removed++
			}
		}
		s.mu.Unlock()
	}
	return removed
}

// Len returns how many buckets and counters the store holds.
func (m *MemoryStore) Len() int {
	n := 0
	for i := range m.shards {
		s := &m.shards[i]
		s.mu.RLock()
		n += len(s.buckets) + len(s.counters)
		s.mu.RUnlock()
	}
	return n
}

// Consume implements Store. It never fails.
func (m *MemoryStore) Consume(_ context.Context, req QuotaRequest) (QuotaResult, error) {
	now := Micros(req.Now)
	s := m.shard(req.Key)
	s.mu.Lock()
	c := s.counter(req.Key, now, Micros(req.Expires), m.perShard)
	c.quota = req.Max != math.MaxInt64 // Plans counts usage alone with no maximum
	if c.n+req.N > req.Max {
		used := c.n
		s.mu.Unlock()
		return QuotaResult{Used: used}, nil
	}
	c.n += req.N
	used := c.n
	s.mu.Unlock()
	if req.UsageKey != "" {
		u := m.shard(req.UsageKey)
		u.mu.Lock()
		u.counter(req.UsageKey, now, Micros(req.UsageExpires), m.perShard).n += req.N
		u.mu.Unlock()
	}
	return QuotaResult{Allowed: true, Used: used}, nil
}

// counter returns the live counter key, creating it; the caller holds the
// write lock.
func (s *memShard) counter(key string, now, expires int64, limit int) *memCounter {
	c := s.counters[key]
	if c != nil && c.expires <= now {
		c.n = 0
		c.expires = expires
	}
	if c == nil {
		if len(s.buckets)+len(s.counters) >= limit {
			s.evict(now)
		}
		c = &memCounter{expires: expires}
		s.counters[strings.Clone(key)] = c
	}
	return c
}

// Counts implements Store. It never fails.
func (m *MemoryStore) Counts(_ context.Context, now time.Time, keys ...string) ([]int64, error) {
	us := Micros(now)
	out := make([]int64, len(keys))
	for i, k := range keys {
		s := m.shard(k)
		s.mu.RLock()
		if c := s.counters[k]; c != nil && c.expires > us {
			out[i] = c.n
		}
		s.mu.RUnlock()
	}
	return out, nil
}
