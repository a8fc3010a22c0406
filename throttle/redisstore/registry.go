package redisstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/redis/go-redis/v9"

	"github.com/gatewaykit/gateway/throttle"
)

// Registry is a throttle.Registry in Redis: API keys and usage plans as JSON
// strings, with a hash index for O(1) lookup by key value. Keys created
// through one gateway instance authorise on every instance sharing the
// Redis. It is safe for concurrent use.
type Registry struct {
	client redis.UniversalClient
	prefix string
}

// NewRegistry returns a Registry using client whose Redis keys start with
// prefix ("" means "gk:reg:", or "{gk:reg}:" on a Redis Cluster). Its
// scripts touch several keys, so on a Cluster (a *redis.ClusterClient)
// the prefix must hold a hash tag ({...}), which puts them in one slot;
// NewRegistry refuses one without.
func NewRegistry(client redis.UniversalClient, prefix string) (*Registry, error) {
	if client == nil {
		return nil, errors.New("redisstore: nil client")
	}
	_, cluster := client.(*redis.ClusterClient)
	switch {
	case prefix == "" && cluster:
		prefix = "{gk:reg}:"
	case prefix == "":
		prefix = "gk:reg:"
	case cluster && !hasHashTag(prefix):
		return nil, fmt.Errorf("redisstore: registry prefix %q has no hash tag ({...}): on a Redis Cluster its scripts would span slots", prefix)
	}
	return &Registry{client: client, prefix: prefix}, nil
}

// hasHashTag reports whether a key prefix holds a Redis Cluster hash tag:
// a '{' followed, later, by a '}' with something between them.
func hasHashTag(prefix string) bool {
	i := strings.IndexByte(prefix, '{')
	if i < 0 {
		return false
	}
	j := strings.IndexByte(prefix[i+1:], '}')
	return j > 0
}

func (g *Registry) keyKey(id string) string  { return g.prefix + "key:" + id }
func (g *Registry) hashKey(h string) string  { return g.prefix + "hash:" + h }
func (g *Registry) planKey(id string) string { return g.prefix + "plan:" + id }
func (g *Registry) keysSet() string          { return g.prefix + "keys" }
func (g *Registry) plansSet() string         { return g.prefix + "plans" }
func wrap(op string, err error) error        { return fmt.Errorf("redisstore: %s: %w", op, err) }

// putKeyScript stores a key and moves its hash index entry atomically.
// KEYS: key:id, hash:new, keys set. ARGV: json, id, hash prefix, new hash,
// and, for SwapKey, the lastUpdatedDate the stored key must still have
// ("" for PutKey).
var putKeyScript = redis.NewScript(`
local old = redis.call('GET', KEYS[1])
if ARGV[5] ~= '' then
  if not old or cjson.decode(old).lastUpdatedDate ~= ARGV[5] then return -1 end
end
local owner = redis.call('GET', KEYS[2])
if owner and owner ~= ARGV[2] then return 0 end
if old then
  local oh = cjson.decode(old).hash
  if oh ~= ARGV[4] then redis.call('DEL', ARGV[3] .. oh) end
end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('SET', KEYS[2], ARGV[2])
redis.call('SADD', KEYS[3], ARGV[2])
return 1
`)

// PutKey implements throttle.Registry.
func (g *Registry) PutKey(ctx context.Context, k throttle.APIKey) error {
	return g.putKey(ctx, k, "")
}

// SwapKey implements throttle.KeySwapper: the key is written only if the
// stored one still has old's lastUpdatedDate, in the same script.
func (g *Registry) SwapKey(ctx context.Context, old, k throttle.APIKey) error {
	if old.ID != k.ID {
		return fmt.Errorf("redisstore: swap key %s for %s", old.ID, k.ID)
	}
	stamp, err := json.Marshal(old.LastUpdatedDate)
	if err != nil {
		return err
	}
	return g.putKey(ctx, k, strings.Trim(string(stamp), `"`))
}

func (g *Registry) putKey(ctx context.Context, k throttle.APIKey, ifUpdated string) error {
	b, err := json.Marshal(k)
	if err != nil {
		return err
	}
	ok, err := putKeyScript.Run(ctx, g.client, []string{g.keyKey(k.ID), g.hashKey(k.Hash), g.keysSet()},
		b, k.ID, g.prefix+"hash:", k.Hash, ifUpdated).Int()
	if err != nil {
		return wrap("put key", err)
	}
	switch ok {
	case 0:
		return throttle.ErrConflict
	case -1:
		return throttle.ErrKeyChanged
	}
	return nil
}

func decode[T any](s string, err error, op string) (T, error) {
	var v T
	if errors.Is(err, redis.Nil) {
		return v, throttle.ErrNotFound
	}
	if err != nil {
		return v, wrap(op, err)
	}
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return v, wrap(op, err)
	}
	return v, nil
}

// Key implements throttle.Registry.
func (g *Registry) Key(ctx context.Context, id string) (throttle.APIKey, error) {
	s, err := g.client.Get(ctx, g.keyKey(id)).Result()
	return decode[throttle.APIKey](s, err, "key")
}

var keyByHashScript = redis.NewScript(`
local id = redis.call('GET', KEYS[1])
if not id then return false end
return redis.call('GET', ARGV[1] .. id)
`)

// KeyByHash implements throttle.Registry in one round trip.
func (g *Registry) KeyByHash(ctx context.Context, hash string) (throttle.APIKey, error) {
	s, err := keyByHashScript.Run(ctx, g.client, []string{g.hashKey(hash)}, g.prefix+"key:").Text()
	return decode[throttle.APIKey](s, err, "key by hash")
}

// Keys implements throttle.Registry.
func (g *Registry) Keys(ctx context.Context) ([]throttle.APIKey, error) {
	return list[throttle.APIKey](ctx, g, g.keysSet(), g.keyKey)
}

func list[T any](ctx context.Context, g *Registry, set string, name func(string) string) ([]T, error) {
	ids, err := g.client.SMembers(ctx, set).Result()
	if err != nil {
		return nil, wrap("list", err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = name(id)
	}
	vals, err := g.client.MGet(ctx, names...).Result()
	if err != nil {
		return nil, wrap("list", err)
	}
	out := make([]T, 0, len(vals))
	for _, v := range vals {
		s, ok := v.(string)
		if !ok {
			continue // deleted meanwhile
		}
		var x T
		if err := json.Unmarshal([]byte(s), &x); err != nil {
			return nil, wrap("list", err)
		}
		out = append(out, x)
	}
	return out, nil
}

var deleteKeyScript = redis.NewScript(`
local old = redis.call('GET', KEYS[1])
if not old then return 0 end
redis.call('DEL', KEYS[1], ARGV[1] .. cjson.decode(old).hash)
redis.call('SREM', KEYS[2], ARGV[2])
return 1
`)

// DeleteKey implements throttle.Registry.
func (g *Registry) DeleteKey(ctx context.Context, id string) error {
	ok, err := deleteKeyScript.Run(ctx, g.client, []string{g.keyKey(id), g.keysSet()}, g.prefix+"hash:", id).Int()
	if err != nil {
		return wrap("delete key", err)
	}
	if ok == 0 {
		return throttle.ErrNotFound
	}
	return nil
}

// PutPlan implements throttle.Registry.
func (g *Registry) PutPlan(ctx context.Context, p throttle.UsagePlan) error {
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	_, err = g.client.TxPipelined(ctx, func(pipe redis.Pipeliner) error {
		pipe.Set(ctx, g.planKey(p.ID), b, 0)
		pipe.SAdd(ctx, g.plansSet(), p.ID)
		return nil
	})
	if err != nil {
		return wrap("put plan", err)
	}
	return nil
}

// Plan implements throttle.Registry.
func (g *Registry) Plan(ctx context.Context, id string) (throttle.UsagePlan, error) {
	s, err := g.client.Get(ctx, g.planKey(id)).Result()
	return decode[throttle.UsagePlan](s, err, "plan")
}

// Plans implements throttle.Registry.
func (g *Registry) Plans(ctx context.Context) ([]throttle.UsagePlan, error) {
	return list[throttle.UsagePlan](ctx, g, g.plansSet(), g.planKey)
}

// DeletePlan implements throttle.Registry.
func (g *Registry) DeletePlan(ctx context.Context, id string) error {
	var del *redis.IntCmd
	_, err := g.client.TxPipelined(ctx, func(pipe redis.Pipeliner) error {
		del = pipe.Del(ctx, g.planKey(id))
		pipe.SRem(ctx, g.plansSet(), id)
		return nil
	})
	if err != nil {
		return wrap("delete plan", err)
	}
	if del.Val() == 0 {
		return throttle.ErrNotFound
	}
	return nil
}
