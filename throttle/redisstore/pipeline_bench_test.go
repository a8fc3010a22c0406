package redisstore

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gatewaykit/gateway/internal/redistest"
	"github.com/gatewaykit/gateway/throttle"
)

// BenchmarkRedisDecisionPipelined runs the decision script 32 at a time in
// one pipeline, to show the throughput a batching caller could reach; the
// Store itself decides one request per round trip. ns/op is per decision.
//
//	go test -run '^$' -bench 'RedisDecisionPipelined' -benchmem -count 3 -cpu 2 ./throttle/redisstore/
func BenchmarkRedisDecisionPipelined(b *testing.B) {
	srv := redistest.Start(b)
	c := redis.NewClient(&redis.Options{Addr: srv.Addr, PoolSize: 16})
	b.Cleanup(func() { c.Close() })
	ctx := context.Background()
	keys := make([]string, 1000)
	for i := range keys {
		keys[i] = fmt.Sprintf("client-%04d", i)
	}
	l := throttle.Limit{Rate: 1e5, Burst: 1e5}
	if err := allowScript.Load(ctx, c).Err(); err != nil {
		b.Fatal(err)
	}
	const batch = 32
	b.ReportAllocs()
	b.SetParallelism(8)
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for {
			n := 0
			pipe := c.Pipeline()
			for n < batch && pb.Next() {
				allowScript.EvalSha(ctx, pipe, []string{keys[i]}, throttle.Micros(time.Now()), l.Interval(), l.Burst, 1, graceMillis)
				i = (i + 1) % len(keys)
				n++
			}
			if n == 0 {
				return
			}
			if _, err := pipe.Exec(ctx); err != nil {
				b.Error(err)
				return
			}
			if n < batch {
				return
			}
		}
	})
}
