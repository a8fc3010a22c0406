package gatewaytest

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/gatewaykit/gateway/auth"
)

// Claims are a token's claims.
type Claims map[string]any

// Issuer is an OpenID Connect issuer for tests: an httptest server on
// loopback serving the discovery document and a JWKS, and a signer of
// RS256 tokens with its current key. It is safe for concurrent use.
type Issuer struct {
	// URL is the issuer (the iss claim), the server's base URL.
	URL string
	// Audience goes into tokens without an aud claim, and into JWTConfig
	// when it is given none. NewIssuer sets "test".
	Audience string

	srv  *httptest.Server
	mu   sync.Mutex
	keys []issuerKey // the current key last
	n    int
}

type issuerKey struct {
	kid string
	key *rsa.PrivateKey
}

// NewIssuer starts an issuer with one key; it stops when the test ends.
func NewIssuer(t testing.TB) *Issuer {
	t.Helper()
	i, err := StartIssuer()
	if err != nil {
		t.Fatalf("gatewaytest: %v", err)
	}
	t.Cleanup(i.Close)
	return i
}

// StartIssuer starts an issuer with one key, outside a test; Close stops
// it.
func StartIssuer() (*Issuer, error) {
	i := &Issuer{Audience: "test"}
	if err := i.addKey(); err != nil {
		return nil, err
	}
	i.srv = httptest.NewServer(http.HandlerFunc(i.serve))
	i.URL = i.srv.URL
	return i, nil
}

// Close stops the issuer's server.
func (i *Issuer) Close() { i.srv.Close() }

func (i *Issuer) addKey() error {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return fmt.Errorf("generating an RSA key: %w", err)
	}
	i.mu.Lock()
	defer i.mu.Unlock()
	i.n++
	i.keys = append(i.keys, issuerKey{kid: fmt.Sprintf("key-%d", i.n), key: key})
	return nil
}

// Rotate makes a new key the signing key. The JWKS keeps serving the old
// ones until Retire, as an issuer does while tokens signed with them live.
func (i *Issuer) Rotate() error { return i.addKey() }

// Retire stops serving every key but the signing key.
func (i *Issuer) Retire() {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.keys = i.keys[len(i.keys)-1:]
}

// KeyID returns the signing key's kid.
func (i *Issuer) KeyID() string {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.keys[len(i.keys)-1].kid
}

// JWTConfig returns an authorizer configuration trusting this issuer for
// audience (the Issuer's Audience when none is given), with the keys found
// by OIDC discovery as AWS finds them. Unknown key ids are refetched at
// once, so Rotate takes effect without waiting.
func (i *Issuer) JWTConfig(audience ...string) auth.JWTConfig {
	if len(audience) == 0 {
		audience = []string{i.Audience}
	}
	return auth.JWTConfig{Issuer: i.URL, Audience: audience, MinRefetchInterval: time.Nanosecond}
}

// Token signs claims with the current key (RS256, with its kid). Claims
// the token lacks are filled in: iss (the issuer), aud (Audience), sub
// ("user-1"), iat (now) and exp (in an hour); a claim set to nil is left
// out instead.
func (i *Issuer) Token(claims Claims) string {
	now := time.Now()
	full := Claims{"iss": i.URL, "aud": i.Audience, "sub": "user-1", "iat": now.Unix(), "exp": now.Add(time.Hour).Unix()}
	for k, v := range claims {
		if v == nil {
			delete(full, k)
		} else {
			full[k] = v
		}
	}
	i.mu.Lock()
	k := i.keys[len(i.keys)-1]
	i.mu.Unlock()
	header, _ := json.Marshal(map[string]string{"alg": "RS256", "typ": "JWT", "kid": k.kid})
	payload, err := json.Marshal(full)
	if err != nil {
		panic("gatewaytest: claims do not encode as JSON: " + err.Error())
	}
	enc := base64.RawURLEncoding
	input := enc.EncodeToString(header) + "." + enc.EncodeToString(payload)
	digest := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(rand.Reader, k.key, crypto.SHA256, digest[:])
	if err != nil {
		panic("gatewaytest: signing: " + err.Error())
	}
	return input + "." + enc.EncodeToString(sig)
}

func (i *Issuer) serve(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	switch r.URL.Path {
	case "/.well-known/openid-configuration":
		_ = json.NewEncoder(w).Encode(map[string]any{
			"issuer":                                i.URL,
			"jwks_uri":                              i.URL + "/jwks.json",
			"id_token_signing_alg_values_supported": []string{"RS256"},
		})
	case "/jwks.json":
		i.mu.Lock()
		keys := make([]map[string]string, 0, len(i.keys))
		for _, k := range i.keys {
			pub := k.key.PublicKey
			keys = append(keys, map[string]string{
				"kty": "RSA", "use": "sig", "alg": "RS256", "kid": k.kid,
				"n": base64.RawURLEncoding.EncodeToString(pub.N.Bytes()),
				"e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
			})
		}
		i.mu.Unlock()
		_ = json.NewEncoder(w).Encode(map[string]any{"keys": keys})
	default:
		http.NotFound(w, r)
	}
}
