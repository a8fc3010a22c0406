package throttle

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"
)

// ErrNotFound is returned by a Registry for an unknown key or plan.
var ErrNotFound = errors.New("throttle: not found")

// ErrConflict is returned when a value must be unique and is not (an
// imported API key value already in use, a key put in two plans of the same
// stage).
var ErrConflict = errors.New("throttle: conflict")

// ErrKeyChanged is returned by KeySwapper.SwapKey when the stored key is
// not the one the caller read: changed or deleted meanwhile.
var ErrKeyChanged = errors.New("throttle: the key changed meanwhile")

// KeySwapper is implemented by registries that can replace a key only if
// it is still as the caller read it, so that Plans on several gateway
// instances cannot undo one another's changes (a rotation, a deletion,
// a plan joined). MemoryRegistry and the Redis registry implement it;
// with a registry that does not, Plans write keys with PutKey.
type KeySwapper interface {
	// SwapKey replaces the key old (as read: its ID and LastUpdatedDate
	// are compared) with k, as PutKey would; it returns ErrKeyChanged
	// when the stored key differs from old or is gone.
	SwapKey(ctx context.Context, old, k APIKey) error
}

// APIKey is an API key as API Gateway keeps it. The key's value is never
// stored: only its SHA-256 hash, so a leaked registry reveals no keys (and,
// unlike AWS's GetApiKey with includeValue, the value cannot be read back).
type APIKey struct {
	// ID is the key's id ($context.identity.apiKeyId).
	ID string `json:"id"`
	// Name is a label for operators.
	Name string `json:"name,omitempty"`
	// Enabled keys authorise requests; disabled ones answer 403.
	Enabled bool `json:"enabled"`
	// CreatedDate is when the key was created, and LastUpdatedDate when it
	// last changed (rotated, enabled or disabled).
	CreatedDate     time.Time `json:"createdDate"`
	LastUpdatedDate time.Time `json:"lastUpdatedDate"`
	// Hash is the hex SHA-256 of the key's value.
	Hash string `json:"hash"`
	// UsagePlanIDs are the plans the key belongs to.
	UsagePlanIDs []string `json:"usagePlanIds,omitempty"`
}

// Registry stores API keys and usage plans. The memory registry
// (NewMemoryRegistry) serves one process; redisstore.Registry shares keys
// and plans between gateway instances, so a key created through one works
// on all. Methods return ErrNotFound for unknown ids.
type Registry interface {
	// PutKey creates or replaces the key with k.ID and indexes it by
	// k.Hash (dropping the index entry of a replaced hash). It returns
	// ErrConflict when another key has the same hash.
	PutKey(ctx context.Context, k APIKey) error
	// Key returns the key with id.
	Key(ctx context.Context, id string) (APIKey, error)
	// KeyByHash returns the key whose value hashes to hash, in O(1).
	KeyByHash(ctx context.Context, hash string) (APIKey, error)
	// Keys returns every key, in no particular order.
	Keys(ctx context.Context) ([]APIKey, error)
	// DeleteKey removes the key with id and its hash index entry.
	DeleteKey(ctx context.Context, id string) error
	// PutPlan creates or replaces the plan with p.ID.
	PutPlan(ctx context.Context, p UsagePlan) error
	// Plan returns the plan with id.
	Plan(ctx context.Context, id string) (UsagePlan, error)
	// Plans returns every plan, in no particular order.
	Plans(ctx context.Context) ([]UsagePlan, error)
	// DeletePlan removes the plan with id.
	DeletePlan(ctx context.Context, id string) error
}

// MemoryRegistry is the in-process Registry. It is safe for concurrent use.
type MemoryRegistry struct {
	mu     sync.RWMutex
	keys   map[string]APIKey
	byHash map[string]string
	plans  map[string]UsagePlan
}

// NewMemoryRegistry returns an empty MemoryRegistry.
func NewMemoryRegistry() *MemoryRegistry {
	return &MemoryRegistry{keys: map[string]APIKey{}, byHash: map[string]string{}, plans: map[string]UsagePlan{}}
}

// PutKey implements Registry.
func (m *MemoryRegistry) PutKey(_ context.Context, k APIKey) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.putKeyLocked(k)
}

// SwapKey implements KeySwapper.
func (m *MemoryRegistry) SwapKey(_ context.Context, old, k APIKey) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if cur, ok := m.keys[old.ID]; !ok || !cur.LastUpdatedDate.Equal(old.LastUpdatedDate) {
		return ErrKeyChanged
	}
	return m.putKeyLocked(k)
}

func (m *MemoryRegistry) putKeyLocked(k APIKey) error {
	if id, ok := m.byHash[k.Hash]; ok && id != k.ID {
		return ErrConflict
	}
	if old, ok := m.keys[k.ID]; ok && old.Hash != k.Hash {
		delete(m.byHash, old.Hash)
	}
	k.UsagePlanIDs = slices.Clone(k.UsagePlanIDs)
	m.keys[k.ID] = k
	m.byHash[k.Hash] = k.ID
	return nil
}

// Key implements Registry.
func (m *MemoryRegistry) Key(_ context.Context, id string) (APIKey, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	k, ok := m.keys[id]
	if !ok {
		return APIKey{}, ErrNotFound
	}
	return k, nil
}

// KeyByHash implements Registry.
func (m *MemoryRegistry) KeyByHash(_ context.Context, hash string) (APIKey, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	k, ok := m.keys[m.byHash[hash]]
	if !ok {
		return APIKey{}, ErrNotFound
	}
	return k, nil
}

// Keys implements Registry.
func (m *MemoryRegistry) Keys(_ context.Context) ([]APIKey, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make([]APIKey, 0, len(m.keys))
	for _, k := range m.keys {
		out = append(out, k)
	}
	return out, nil
}

// DeleteKey implements Registry.
func (m *MemoryRegistry) DeleteKey(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k, ok := m.keys[id]
	if !ok {
		return ErrNotFound
	}
	delete(m.keys, id)
	delete(m.byHash, k.Hash)
	return nil
}

// PutPlan implements Registry.
func (m *MemoryRegistry) PutPlan(_ context.Context, p UsagePlan) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.plans[p.ID] = p.clone()
	return nil
}

// Plan implements Registry.
func (m *MemoryRegistry) Plan(_ context.Context, id string) (UsagePlan, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	p, ok := m.plans[id]
	if !ok {
		return UsagePlan{}, ErrNotFound
	}
	return p, nil
}

// Plans implements Registry.
func (m *MemoryRegistry) Plans(_ context.Context) ([]UsagePlan, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make([]UsagePlan, 0, len(m.plans))
	for _, p := range m.plans {
		out = append(out, p)
	}
	return out, nil
}

// DeletePlan implements Registry.
func (m *MemoryRegistry) DeletePlan(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.plans[id]; !ok {
		return ErrNotFound
	}
	delete(m.plans, id)
	return nil
}
