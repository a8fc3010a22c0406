package auth_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/jwtauth/v5"
	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/gatewaykit/gateway/auth"
)

// floorVerify is the bare standard-library signature check of a compact
// JWS: the least any verifier must do.
func floorVerify(alg string, key any, token string) bool {
	last := strings.LastIndexByte(token, '.')
	sig, err := base64.RawURLEncoding.DecodeString(token[last+1:])
	if err != nil {
		return false
	}
	digest := sha256.Sum256([]byte(token[:last]))
	switch alg {
	case "RS256":
		return rsa.VerifyPKCS1v15(key.(*rsa.PublicKey), crypto.SHA256, digest[:], sig) == nil
	case "ES256":
		return len(sig) == 64 && ecdsa.Verify(key.(*ecdsa.PublicKey), digest[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:]))
	case "HS256":
		m := hmac.New(sha256.New, key.([]byte))
		m.Write([]byte(token[:last]))
		return hmac.Equal(m.Sum(nil), sig)
	}
	return false
}

// BenchmarkJWTVerify: the stdlib floor, our verifier uncached and cached,
// and go-chi/jwtauth (jwx/v2) on the same tokens, for HS256, RS256, ES256.
func BenchmarkJWTVerify(b *testing.B) {
	now := time.Now()
	secret := []byte("0123456789abcdef0123456789abcdef")
	cases := []struct {
		alg       string
		sign, pub any
	}{
		{"HS256", secret, secret},
		{"RS256", rsaKey1, &rsaKey1.PublicKey},
		{"ES256", ecKey, &ecKey.PublicKey},
	}
	for _, c := range cases {
		token := sign(c.alg, c.sign, map[string]any{"kid": "k1"}, claims(now, nil))
		set := jwk.NewSet()
		k, _ := jwk.Import(c.pub)
		_ = k.Set(jwk.KeyIDKey, "k1")
		_ = set.AddKey(k)
		newVerifier := func(cacheSize int) *auth.JWT {
			a, err := auth.NewJWT(context.Background(), auth.JWTConfig{Issuer: issuer, Audience: []string{"orders"}, Algorithms: []string{c.alg}, KeySet: set, CacheSize: cacheSize})
			if err != nil {
				b.Fatal(err)
			}
			return a
		}
		uncached, cached := newVerifier(-1), newVerifier(0)
		ja := jwtauth.New(c.alg, nil, c.pub)
		ctx := context.Background()

		b.Run(c.alg+"/stdlib-floor", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if !floorVerify(c.alg, c.pub, token) {
					b.Fatal("floor refused")
				}
			}
		})
		b.Run(c.alg+"/gatewaykit-uncached", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := uncached.Verify(ctx, token); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(c.alg+"/gatewaykit-cached", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := cached.Verify(ctx, token); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(c.alg+"/jwtauth", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := jwtauth.VerifyToken(ja, token); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
