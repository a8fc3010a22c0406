package auth

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwk"
)

// maxJWKSBytes is API Gateway's limit on a JWKS response.
const maxJWKSBytes = 150_000

// keyring is one immutable snapshot of verification keys.
type keyring struct {
	byKID map[string]any
	only  any // the key when the set holds exactly one, for tokens without kid
}

func (k *keyring) lookup(kid string) (any, bool) {
	if k == nil {
		return nil, false
	}
	if kid == "" {
		return k.only, k.only != nil
	}
	v, ok := k.byKID[kid]
	return v, ok
}

// newKeyring exports a JWK set to standard-library keys. Private keys
// contribute their public half; symmetric keys are kept only when
// allowSymmetric (static sets configured for HMAC), never from a URL.
func newKeyring(set jwk.Set, allowSymmetric bool) (*keyring, error) {
	k := &keyring{byKID: map[string]any{}}
	n := 0
	var last any
	for i := range set.Len() {
		key, _ := set.Key(i)
		if !forSignatures(key) {
			continue // a key marked for encryption never verifies a signature
		}
		var raw any
		if err := jwk.Export(key, &raw); err != nil {
			continue // unsupported key types are skipped, as a JWKS client should
		}
		switch x := raw.(type) {
		case *rsa.PrivateKey:
			raw = &x.PublicKey
		case *ecdsa.PrivateKey:
			raw = &x.PublicKey
		case ed25519.PrivateKey:
			raw = x.Public().(ed25519.PublicKey)
		case *rsa.PublicKey, *ecdsa.PublicKey, ed25519.PublicKey:
		case []byte:
			if !allowSymmetric || weakSecret(x) {
				continue
			}
			raw = newHMACKey(x)
		default:
			continue
		}
		if kid, ok := key.KeyID(); ok && kid != "" {
			if _, dup := k.byKID[kid]; dup {
				return nil, fmt.Errorf("duplicate kid %q", kid)
			}
			k.byKID[kid] = raw
		}
		n++
		last = raw
	}
	if n == 1 {
		k.only = last
	}
	return k, nil
}

// jwksSource keeps the keys of a JWKS URL fresh: a background refresh on
// an interval, and a refetch when a token names an unknown kid, at most
// once per minRefetch however many tokens ask (no refetch storm).
type jwksSource struct {
	url          string // the JWKS URL, or "" until discovered
	discoveryURL string
	client       *http.Client
	minRefetch   time.Duration
	log          *slog.Logger
	now          func() time.Time

	ring atomic.Pointer[keyring]

	mu       sync.Mutex
	lastMiss time.Time // the last refetch caused by an unknown kid
	inflight chan struct{}

	stop chan struct{}
	done chan struct{}
}

// lookup returns the key for kid, refetching once (bounded) if it is
// unknown.
func (s *jwksSource) lookup(ctx context.Context, kid string) (any, error) {
	if k, ok := s.ring.Load().lookup(kid); ok {
		return k, nil
	}
	if err := s.refetch(ctx, false); err != nil {
		return nil, err
	}
	if k, ok := s.ring.Load().lookup(kid); ok {
		return k, nil
	}
	return nil, errUnknownKeyID
}

// refetch fetches the keys. Without force (an unknown kid asks) it fetches
// only if the last such fetch is older than minRefetch, so a flood of
// tokens with made-up kids costs one fetch per window. Concurrent callers
// share one fetch.
func (s *jwksSource) refetch(ctx context.Context, force bool) error {
	s.mu.Lock()
	if ch := s.inflight; ch != nil {
		s.mu.Unlock()
		select {
		case <-ch:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if !force {
		if !s.lastMiss.IsZero() && s.now().Sub(s.lastMiss) < s.minRefetch {
			s.mu.Unlock()
			return nil
		}
		s.lastMiss = s.now()
	}
	ch := make(chan struct{})
	s.inflight = ch
	s.mu.Unlock()

	// The fetch serves every waiter: it must not end because the client
	// that happened to start it went away.
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	err := s.fetch(fctx)
	s.mu.Lock()
	s.inflight = nil
	s.mu.Unlock()
	close(ch)
	if err != nil {
		s.log.Error("auth: fetching JWKS failed; keeping the keys we have", "err", err)
	}
	return nil
}

func (s *jwksSource) fetch(ctx context.Context) error {
	if s.url == "" {
		var doc struct {
			JWKSURI string `json:"jwks_uri"`
		}
		if err := s.getJSON(ctx, s.discoveryURL, &doc); err != nil {
			return fmt.Errorf("OIDC discovery: %w", err)
		}
		if !strings.HasPrefix(doc.JWKSURI, "https://") && !strings.HasPrefix(doc.JWKSURI, "http://") {
			return fmt.Errorf("OIDC discovery: jwks_uri %q is not a URL", doc.JWKSURI)
		}
		s.url = doc.JWKSURI
	}
	body, err := s.get(ctx, s.url)
	if err != nil {
		return err
	}
	set, err := jwk.Parse(body, jwk.WithIgnoreParseError(true))
	if err != nil {
		return fmt.Errorf("parse JWKS: %w", err)
	}
	ring, err := newKeyring(set, false)
	if err != nil {
		return fmt.Errorf("JWKS: %w", err)
	}
	s.ring.Store(ring)
	return nil
}

func (s *jwksSource) get(ctx context.Context, url string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: status %d", url, resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxJWKSBytes+1))
	if err != nil {
		return nil, err
	}
	if len(body) > maxJWKSBytes {
		return nil, fmt.Errorf("GET %s: response over %d bytes", url, maxJWKSBytes)
	}
	return body, nil
}

func (s *jwksSource) getJSON(ctx context.Context, url string, v any) error {
	body, err := s.get(ctx, url)
	if err != nil {
		return err
	}
	return json.Unmarshal(body, v)
}

// run refreshes the keys every interval until close.
func (s *jwksSource) run(interval time.Duration) {
	defer close(s.done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			_ = s.refetch(ctx, true)
			cancel()
		}
	}
}

func (s *jwksSource) close() {
	select {
	case <-s.stop:
	default:
		close(s.stop)
	}
	<-s.done
}

var errNoKeys = errors.New("no verification keys")

// forSignatures reports whether a JWK may verify signatures: its use, if
// any, is "sig" and its key_ops, if any, include "verify".
func forSignatures(key jwk.Key) bool {
	if use, ok := key.KeyUsage(); ok && use != "" && use != "sig" {
		return false
	}
	if ops, ok := key.KeyOps(); ok && len(ops) > 0 {
		for _, op := range ops {
			if op == jwk.KeyOpVerify {
				return true
			}
		}
		return false
	}
	return true
}

// weakSecret reports an HMAC secret that is no secret: empty, or one byte
// repeated (such as all zeros).
func weakSecret(b []byte) bool {
	for _, c := range b {
		if c != b[0] {
			return false
		}
	}
	return true
}
