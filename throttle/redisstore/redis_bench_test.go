package redisstore_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"

	"github.com/gatewaykit/gateway/internal/redistest"
	"github.com/gatewaykit/gateway/throttle"
	"github.com/gatewaykit/gateway/throttle/redisstore"
)

// Redis decisions, ours beside go-redis/redis_rate (also one GCRA Lua
// script per decision) on the same redis-server, parallel, 1,000 keys:
//
//	go test -run '^$' -bench 'RedisDecision' -benchmem -count 5 -cpu 2 ./throttle/redisstore/
func BenchmarkRedisDecision(b *testing.B) {
	srv := redistest.Start(b)
	c := redis.NewClient(&redis.Options{Addr: srv.Addr, PoolSize: 16})
	b.Cleanup(func() { c.Close() })
	ctx := context.Background()
	keys := make([]string, 1000)
	for i := range keys {
		keys[i] = fmt.Sprintf("client-%04d", i)
	}
	l := throttle.Limit{Rate: 1e5, Burst: 1e5}

	b.Run("Ours", func(b *testing.B) {
		s, _ := redisstore.New(c)
		b.ReportAllocs()
		b.SetParallelism(8) // round trips wait on the network, not the CPU
		b.RunParallel(func(pb *testing.PB) {
			i := rand.IntN(len(keys))
			for pb.Next() {
				if _, err := s.AllowN(ctx, keys[i], l, time.Now(), 1); err != nil {
					b.Error(err)
					return
				}
				i = (i + 1) % len(keys)
			}
		})
	})

	b.Run("RedisRate", func(b *testing.B) {
		lim := redis_rate.NewLimiter(c)
		rl := redis_rate.Limit{Rate: 100000, Burst: 100000, Period: time.Second}
		b.ReportAllocs()
		b.SetParallelism(8)
		b.RunParallel(func(pb *testing.PB) {
			i := rand.IntN(len(keys))
			for pb.Next() {
				if _, err := lim.Allow(ctx, keys[i], rl); err != nil {
					b.Error(err)
					return
				}
				i = (i + 1) % len(keys)
			}
		})
	})
}
