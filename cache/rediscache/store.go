// Package rediscache is a cache.Store in Redis, so that several gateway
// instances share one response cache: a standalone Redis, a primary with
// replicas, or a Redis Cluster (pass a *redis.ClusterClient; a stage flush
// then scans every master).
//
//	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
//	c, err := cache.New(cache.Config{Store: rediscache.New(rdb, rediscache.Options{})})
package rediscache

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gatewaykit/gateway/cache"
)

// Options configure a Store.
type Options struct {
	// Prefix is put in front of every key, to share a Redis database with
	// other data. Empty means none.
	Prefix string
	// ScanCount is the COUNT hint used when flushing a stage. Zero means
	// 1000.
	ScanCount int64
}

// Store keeps cache entries in Redis with their TTL (SET ... PX).
type Store struct {
	rdb       redis.UniversalClient
	prefix    string
	scanCount int64
}

var _ cache.Store = (*Store)(nil)

// New returns a Store on rdb. The client's own timeouts bound every call.
func New(rdb redis.UniversalClient, opts Options) *Store {
	s := &Store{rdb: rdb, prefix: opts.Prefix, scanCount: opts.ScanCount}
	if s.scanCount == 0 {
		s.scanCount = 1000
	}
	return s
}

// key is the Redis key of a cache key: the prefix and the key with '{',
// '}' and '%' percent-encoded. Cache keys hold route templates
// (/pets/{id}) and client values, and on a Redis Cluster a {...} would be
// a hash tag, putting every entry of every such route on one shard (and
// letting a client pick the shard). The encoding keeps distinct keys
// distinct and leaves a prefix a prefix.
func (s *Store) key(k string) string {
	if !strings.ContainsAny(k, "{}%") {
		return s.prefix + k
	}
	return s.prefix + keyEscaper.Replace(k)
}

var keyEscaper = strings.NewReplacer("%", "%25", "{", "%7B", "}", "%7D")

// Get returns the value under key.
func (s *Store) Get(ctx context.Context, key string) ([]byte, bool, error) {
	v, err := s.rdb.Get(ctx, s.key(key)).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("rediscache: get: %w", err)
	}
	return v, true, nil
}

// Set stores value under key for ttl.
func (s *Store) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	if ttl <= 0 {
		return nil
	}
	if err := s.rdb.Set(ctx, s.key(key), value, ttl).Err(); err != nil {
		return fmt.Errorf("rediscache: set: %w", err)
	}
	return nil
}

// Delete removes key.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := s.rdb.Del(ctx, s.key(key)).Err(); err != nil {
		return fmt.Errorf("rediscache: delete: %w", err)
	}
	return nil
}

// DeletePrefix removes every key starting with prefix, scanning in batches
// so a large cache does not block Redis.
func (s *Store) DeletePrefix(ctx context.Context, prefix string) error {
	pattern := globEscape(s.key(prefix)) + "*"
	if cc, ok := s.rdb.(*redis.ClusterClient); ok {
		// Each shard holds its own keys: scan every master, and unlink
		// key by key, since one command may not span hash slots.
		return cc.ForEachMaster(ctx, func(ctx context.Context, node *redis.Client) error {
			return s.deleteMatching(ctx, node, pattern, true)
		})
	}
	return s.deleteMatching(ctx, s.rdb, pattern, false)
}

// deleteMatching scans one server for pattern and unlinks what it finds.
func (s *Store) deleteMatching(ctx context.Context, rdb redis.Cmdable, pattern string, perKey bool) error {
	var cursor uint64
	for {
		keys, next, err := rdb.Scan(ctx, cursor, pattern, s.scanCount).Result()
		if err != nil {
			return fmt.Errorf("rediscache: scan: %w", err)
		}
		if len(keys) > 0 {
			if perKey {
				_, err = rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
					for _, k := range keys {
						p.Unlink(ctx, k)
					}
					return nil
				})
			} else {
				err = rdb.Unlink(ctx, keys...).Err()
			}
			if err != nil {
				return fmt.Errorf("rediscache: unlink: %w", err)
			}
		}
		if next == 0 {
			return nil
		}
		cursor = next
	}
}

// globEscape escapes the characters SCAN MATCH treats specially.
func globEscape(s string) string {
	if !strings.ContainsAny(s, `*?[]\`) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`*?[]\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
