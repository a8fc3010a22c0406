package cache

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/golang-lru/v2/simplelru"
)

// Store keeps encoded cache entries. Implementations must be safe for
// concurrent use; values passed to Set and returned by Get are never
// modified afterwards by the cache.
type Store interface {
	// Get returns the value stored under key and whether there was one.
	Get(ctx context.Context, key string) ([]byte, bool, error)
	// Set stores value under key for ttl.
	Set(ctx context.Context, key string, value []byte, ttl time.Duration) error
	// Delete removes key.
	Delete(ctx context.Context, key string) error
	// DeletePrefix removes every key that starts with prefix (a stage flush).
	DeletePrefix(ctx context.Context, prefix string) error
}

// Clock tells the time; tests pass a fake one.
type Clock interface{ Now() time.Time }

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

// MemoryStore is an in-memory Store bounded by the bytes it holds (keys
// plus values); when full it evicts the least recently used entries.
// Expired entries are dropped when read or evicted.
type MemoryStore struct {
	capacity int64
	clock    Clock

	mu    sync.Mutex
	lru   *simplelru.LRU[string, memEntry]
	bytes int64
}

type memEntry struct {
	value   []byte
	expires time.Time
}

// NewMemoryStore returns a store holding at most capacityBytes. A nil clock
// means the system clock.
func NewMemoryStore(capacityBytes int64, clock Clock) (*MemoryStore, error) {
	if capacityBytes <= 0 {
		return nil, errors.New("cache: memory store capacity must be positive")
	}
	if clock == nil {
		clock = systemClock{}
	}
	s := &MemoryStore{capacity: capacityBytes, clock: clock}
	lru, err := simplelru.NewLRU[string, memEntry](1<<62, func(k string, e memEntry) {
		s.bytes -= int64(len(k) + len(e.value))
	})
	if err != nil {
		return nil, err
	}
	s.lru = lru
	return s, nil
}

// Get returns the live value under key.
func (s *MemoryStore) Get(_ context.Context, key string) ([]byte, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.lru.Get(key)
	if !ok {
		return nil, false, nil
	}
	if !s.clock.Now().Before(e.expires) {
		s.lru.Remove(key)
		return nil, false, nil
	}
	return e.value, true, nil
}

// Set stores value under key for ttl, evicting least recently used
// entries to stay within capacity. A value larger than the whole capacity
// is not stored.
func (s *MemoryStore) Set(_ context.Context, key string, value []byte, ttl time.Duration) error {
	size := int64(len(key) + len(value))
	if size > s.capacity || ttl <= 0 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lru.Remove(key)
	for s.bytes+size > s.capacity {
		if _, _, ok := s.lru.RemoveOldest(); !ok {
			break
		}
	}
	s.lru.Add(key, memEntry{value: value, expires: s.clock.Now().Add(ttl)})
	s.bytes += size
	return nil
}

// Delete removes key.
func (s *MemoryStore) Delete(_ context.Context, key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lru.Remove(key)
	return nil
}

// DeletePrefix removes every key starting with prefix.
func (s *MemoryStore) DeletePrefix(_ context.Context, prefix string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range s.lru.Keys() {
		if strings.HasPrefix(k, prefix) {
			s.lru.Remove(k)
		}
	}
	return nil
}

// Len returns the number of entries held (expired ones included until
// they are read or evicted).
func (s *MemoryStore) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lru.Len()
}

// Bytes returns the bytes held.
func (s *MemoryStore) Bytes() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.bytes
}
