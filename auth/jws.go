package auth

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"math/big"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"
)

// Algorithms a JWTConfig may allow. "none" is never accepted.
const (
	RS256 = "RS256"
	RS384 = "RS384"
	RS512 = "RS512"
	PS256 = "PS256"
	PS384 = "PS384"
	PS512 = "PS512"
	ES256 = "ES256"
	ES384 = "ES384"
	ES512 = "ES512"
	EdDSA = "EdDSA"
	HS256 = "HS256"
	HS384 = "HS384"
	HS512 = "HS512"
)

var (
	errMalformed    = errors.New("malformed token")
	errAlgorithm    = errors.New("algorithm not allowed")
	errKeyMismatch  = errors.New("key does not fit the algorithm")
	errSignature    = errors.New("signature does not verify")
	errUnknownKeyID = errors.New("no key for the token's kid")
)

// jwsHeader is the part of a JWS protected header the verifier reads.
type jwsHeader struct {
	Alg, Kid string
}

// splitCompact cuts a compact JWS into its three parts and decodes the
// header; it accepts nothing but three strict base64url parts.
func splitCompact(token string) (h jwsHeader, signingInput string, sig []byte, err error) {
	h, signingInput, _, sig, err = splitCompactInto(token, nil, nil, nil)
	return h, signingInput, sig, err
}

// splitCompactInto is splitCompact that also returns the decoded payload,
// decoding the payload and signature into payloadBuf and sigBuf when they
// fit, so that a caller's stack buffers serve ordinary tokens without
// allocating. Headers are read through hc when it is not nil.
func splitCompactInto(token string, hc *headerCache, payloadBuf, sigBuf []byte) (h jwsHeader, signingInput string, payload, sig []byte, err error) {
	first := strings.IndexByte(token, '.')
	last := strings.LastIndexByte(token, '.')
	if first <= 0 || first == last || strings.IndexByte(token[first+1:last], '.') >= 0 {
		return h, "", nil, nil, errMalformed
	}
	if h, err = hc.header(token[:first]); err != nil {
		return h, "", nil, nil, err
	}
	if payload, err = decodeInto(payloadBuf, token[first+1:last]); err != nil {
		return h, "", nil, nil, errMalformed
	}
	if sig, err = decodeInto(sigBuf, token[last+1:]); err != nil {
		return h, "", nil, nil, errMalformed
	}
	return h, token[:last], payload, sig, nil
}

// headerCache remembers the last header that parsed. One issuer signs its
// tokens with a few keys and so a few distinct headers; a header is a pure
// function of its encoded text, so a repeat is answered by comparing the
// text instead of decoding and parsing it again. The zero value is ready.
type headerCache struct {
	last atomic.Pointer[cachedHeader]
}

type cachedHeader struct {
	encoded string
	h       jwsHeader
}

// header decodes and parses an encoded protected header. c may be nil.
func (c *headerCache) header(encoded string) (jwsHeader, error) {
	if c != nil {
		if e := c.last.Load(); e != nil && e.encoded == encoded {
			return e.h, nil
		}
	}
	var buf [256]byte
	raw, err := decodeInto(buf[:], encoded)
	if err != nil {
		return jwsHeader{}, errMalformed
	}
	h, err := parseHeader(raw)
	if err == nil && c != nil {
		c.last.Store(&cachedHeader{encoded: strings.Clone(encoded), h: h})
	}
	return h, err
}

// decodeInto decodes strict base64url src into buf when it fits, else into
// a new slice.
func decodeInto(buf []byte, src string) ([]byte, error) {
	if n := b64.DecodedLen(len(src)); n > len(buf) {
		buf = make([]byte, n)
	}
	n, err := b64.Decode(buf, []byte(src))
	return buf[:n], err
}

// parseHeader reads a JWS protected header: a strict JSON object whose alg
// is a string and whose kid, if present, is a string or null. crit names
// extensions the verifier must understand; it understands none, so any
// crit header (b64=false among them) is refused. Keys carried in the token
// itself (jwk, jku, x5u, x5c) are never trusted. It builds no map: the
// header is read on every uncached verification.
func parseHeader(b []byte) (jwsHeader, error) {
	var h jwsHeader
	hasAlg := false
	p := newJSONParser(string(b))
	if err := p.openObject(); err != nil {
		return h, errMalformed
	}
	for first := true; ; first = false {
		key, more, err := p.member(first)
		if err != nil {
			return h, errMalformed
		}
		if !more {
			break
		}
		switch key {
		case "alg":
			p.space()
			if p.i >= len(p.s) || p.s[p.i] != '"' {
				return h, errMalformed
			}
			v, err := p.key() // a string value reads like a key
			if err != nil {
				return h, errMalformed
			}
			h.Alg, hasAlg = v, true
		case "kid":
			v, err := p.value(1)
			if err != nil {
				return h, errMalformed
			}
			s, ok := v.(string)
			if !ok && v != nil {
				return h, errMalformed
			}
			h.Kid = s
		case "crit", "b64", "jwk", "jku", "x5u", "x5c":
			return h, fmt.Errorf("%w: unsupported header %q", errMalformed, key)
		default:
			if err := p.skip(1); err != nil {
				return h, errMalformed
			}
		}
	}
	if err := p.end(); err != nil || !hasAlg {
		return h, errMalformed
	}
	return h, nil
}

var b64 = base64.RawURLEncoding.Strict()

// verifySignature checks sig over input with key for alg, refusing any key
// whose type does not fit the algorithm (so an RSA public key can never be
// used as an HMAC secret).
func verifySignature(alg string, key any, input string, sig []byte) error {
	switch alg {
	case RS256, RS384, RS512, PS256, PS384, PS512:
		pub, ok := key.(*rsa.PublicKey)
		if !ok {
			return errKeyMismatch
		}
		if pub.N.BitLen() < 2048 {
			return fmt.Errorf("%w: RSA key under 2048 bits", errKeyMismatch)
		}
		h, digest := hashFor(alg[2:], input)
		var err error
		if alg[0] == 'R' {
			err = rsa.VerifyPKCS1v15(pub, h, digest, sig)
		} else {
			err = rsa.VerifyPSS(pub, h, digest, sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash, Hash: h})
		}
		if err != nil {
			return errSignature
		}
		return nil
	case ES256, ES384, ES512:
		pub, ok := key.(*ecdsa.PublicKey)
		if !ok {
			return errKeyMismatch
		}
		want := 256
		switch alg {
		case ES384:
			want = 384
		case ES512:
			want = 521
		}
		if pub.Curve.Params().BitSize != want {
			return fmt.Errorf("%w: curve does not fit %s", errKeyMismatch, alg)
		}
		size := (want + 7) / 8
		if len(sig) != 2*size {
			return errSignature
		}
		_, digest := hashFor(alg[2:], input)
		r, s := new(big.Int).SetBytes(sig[:size]), new(big.Int).SetBytes(sig[size:])
		if !ecdsa.Verify(pub, digest, r, s) {
			return errSignature
		}
		return nil
	case EdDSA:
		pub, ok := key.(ed25519.PublicKey)
		if !ok {
			return errKeyMismatch
		}
		if !ed25519.Verify(pub, []byte(input), sig) {
			return errSignature
		}
		return nil
	case HS256, HS384, HS512:
		k, ok := key.(*hmacKey)
		if !ok {
			return errKeyMismatch
		}
		if len(k.secret) < 32 {
			return fmt.Errorf("%w: HMAC secret under 256 bits", errKeyMismatch)
		}
		if !k.verify(alg, input, sig) {
			return errSignature
		}
		return nil
	}
	return errAlgorithm
}

func hashFor(bits, input string) (crypto.Hash, []byte) {
	switch bits {
	case "384":
		d := sha512.Sum384([]byte(input))
		return crypto.SHA384, d[:]
	case "512":
		d := sha512.Sum512([]byte(input))
		return crypto.SHA512, d[:]
	}
	d := sha256.Sum256([]byte(input))
	return crypto.SHA256, d[:]
}

// hmacKey is an HMAC secret with pooled keyed states, one pool per hash:
// keying an HMAC costs two hash blocks and four allocations, which would
// otherwise be paid on every verification.
type hmacKey struct {
	secret []byte
	pools  [3]sync.Pool // of *hmacState: HS256, HS384, HS512
}

type hmacState struct {
	mac hash.Hash
	sum [sha512.Size]byte
}

func newHMACKey(secret []byte) *hmacKey {
	k := &hmacKey{secret: secret}
	for i, h := range []func() hash.Hash{sha256.New, sha512.New384, sha512.New} {
		k.pools[i].New = func() any { return &hmacState{mac: hmac.New(h, k.secret)} }
	}
	return k
}

// verify reports whether sig is the alg HMAC of input.
func (k *hmacKey) verify(alg, input string, sig []byte) bool {
	i := 0
	switch alg {
	case HS384:
		i = 1
	case HS512:
		i = 2
	}
	st := k.pools[i].Get().(*hmacState)
	defer k.pools[i].Put(st)
	st.mac.Reset()
	// The hash only reads its input: a view of the string's bytes spares
	// copying the signing input, the largest part of the token.
	st.mac.Write(unsafe.Slice(unsafe.StringData(input), len(input)))
	return hmac.Equal(st.mac.Sum(st.sum[:0]), sig)
}
