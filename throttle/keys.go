package throttle

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"time"
)

// HashKey returns the hex SHA-256 of an API key value, as stored.
func HashKey(value string) string {
	sum := sha256.Sum256([]byte(value))
	return hex.EncodeToString(sum[:])
}

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

func randomString(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails (crypto/rand panics instead)
	for i := range b {
		b[i] = alnum[int(b[i])%len(alnum)] // 256 % 62 bias is irrelevant at 40 chars
	}
	return string(b)
}

// validKeyValue checks AWS's rule: 20 to 128 alphanumeric characters.
func validKeyValue(v string) error {
	if len(v) < 20 || len(v) > 128 {
		return fmt.Errorf("throttle: API key value has %d characters, want 20 to 128", len(v))
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return errors.New("throttle: API key value must be alphanumeric")
		}
	}
	return nil
}

// CreateKey creates an enabled API key with a random 40-character value and
// returns the key and its value. The value is shown only here: only its hash
// is stored.
func (p *Plans) CreateKey(ctx context.Context, name string) (APIKey, string, error) {
	value := randomString(40)
	k, err := p.ImportKey(ctx, name, value)
	return k, value, err
}

// ImportKey creates an enabled API key with a value of the caller's choice
// (20 to 128 alphanumeric characters, unique).
func (p *Plans) ImportKey(ctx context.Context, name, value string) (APIKey, error) {
	if err := validKeyValue(value); err != nil {
		return APIKey{}, err
	}
	now := p.clock.Now().UTC()
	k := APIKey{ID: randomString(10), Name: name, Enabled: true, CreatedDate: now, LastUpdatedDate: now, Hash: HashKey(value)}
	if err := p.reg.PutKey(ctx, k); err != nil {
		return APIKey{}, err
	}
	return k, nil
}

func (p *Plans) updateKey(ctx context.Context, id string, f func(*APIKey)) (APIKey, error) {
	var k APIKey
	err := p.changeKey(ctx, id, func(key *APIKey) error {
		f(key)
		k = *key
		return nil
	})
	return k, err
}

// changeKey reads the key with id, lets f change it (an error from f
// stops), and writes it back: with a KeySwapper only if the key is still
// as read, reading it again when another change (on another instance,
// say) came first; the changes of these Plans are serialised.
func (p *Plans) changeKey(ctx context.Context, id string, f func(*APIKey) error) error {
	p.admin.Lock()
	defer p.admin.Unlock()
	defer p.invalidate()
	swapper, _ := p.reg.(KeySwapper)
	for attempt := 0; ; attempt++ {
		old, err := p.reg.Key(ctx, id)
		if err != nil {
			return err
		}
		k := old
		k.UsagePlanIDs = slices.Clone(old.UsagePlanIDs)
		if err := f(&k); err != nil {
			return err
		}
		k.LastUpdatedDate = p.clock.Now().UTC()
		if !k.LastUpdatedDate.After(old.LastUpdatedDate) {
			k.LastUpdatedDate = old.LastUpdatedDate.Add(time.Microsecond) // a new stamp, even on a test clock
		}
		if swapper == nil {
			return p.reg.PutKey(ctx, k)
		}
		err = swapper.SwapKey(ctx, old, k)
		if !errors.Is(err, ErrKeyChanged) || attempt == 4 {
			return err
		}
	}
}

// EnableKey enables the key with id.
func (p *Plans) EnableKey(ctx context.Context, id string) error {
	_, err := p.updateKey(ctx, id, func(k *APIKey) { k.Enabled = true })
	return err
}

// DisableKey disables the key with id: its requests answer 403 until it is
// enabled again.
func (p *Plans) DisableKey(ctx context.Context, id string) error {
	_, err := p.updateKey(ctx, id, func(k *APIKey) { k.Enabled = false })
	return err
}

// RotateKey gives the key with id a new random value and returns it. The
// old value stops working at once; id, plans and usage stay.
func (p *Plans) RotateKey(ctx context.Context, id string) (string, error) {
	value := randomString(40)
	_, err := p.updateKey(ctx, id, func(k *APIKey) { k.Hash = HashKey(value) })
	if err != nil {
		return "", err
	}
	return value, nil
}

// DeleteKey deletes the key with id.
func (p *Plans) DeleteKey(ctx context.Context, id string) error {
	p.admin.Lock()
	defer p.admin.Unlock()
	defer p.invalidate()
	return p.reg.DeleteKey(ctx, id)
}

// Key returns the key with id (without its value, which is not stored).
func (p *Plans) Key(ctx context.Context, id string) (APIKey, error) { return p.reg.Key(ctx, id) }
