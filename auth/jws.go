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
	h, signingInput, _, sig, err = splitCompactPayload(token)
	return h, signingInput, sig, err
}

// splitCompactPayload is splitCompact that also returns the decoded payload.
func splitCompactPayload(token string) (h jwsHeader, signingInput string, payload, sig []byte, err error) {
	first := strings.IndexByte(token, '.')
	last := strings.LastIndexByte(token, '.')
	if first <= 0 || first == last || strings.IndexByte(token[first+1:last], '.') >= 0 {
		return h, "", nil, nil, errMalformed
	}
	rawHeader, err := b64.DecodeString(token[:first])
	if err != nil {
		return h, "", nil, nil, errMalformed
	}
	fields, err := parseObject(rawHeader)
	if err != nil {
		return h, "", nil, nil, errMalformed
	}
	alg, ok1 := fields["alg"].(string)
	kid, ok2 := fields["kid"].(string)
	if !ok1 || fields["kid"] != nil && !ok2 {
		return h, "", nil, nil, errMalformed
	}
	h = jwsHeader{Alg: alg, Kid: kid}
	if payload, err = b64.DecodeString(token[first+1 : last]); err != nil {
		return h, "", nil, nil, errMalformed
	}
	sig, err = b64.DecodeString(token[last+1:])
	if err != nil {
		return h, "", nil, nil, errMalformed
	}
	// crit names extensions the verifier must understand; it understands
	// none, so any crit header (b64=false among them) is refused. Keys
	// carried in the token itself (jwk, jku, x5u, x5c) are never trusted.
	for _, k := range []string{"crit", "b64", "jwk", "jku", "x5u", "x5c"} {
		if _, present := fields[k]; present {
			return h, "", nil, nil, fmt.Errorf("%w: unsupported header %q", errMalformed, k)
		}
	}
	return h, token[:last], payload, sig, nil
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
		want := map[string]int{ES256: 256, ES384: 384, ES512: 521}[alg]
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
		secret, ok := key.([]byte)
		if !ok {
			return errKeyMismatch
		}
		if len(secret) < 32 {
			return fmt.Errorf("%w: HMAC secret under 256 bits", errKeyMismatch)
		}
		var mac hash.Hash
		switch alg {
		case HS256:
			mac = hmac.New(sha256.New, secret)
		case HS384:
			mac = hmac.New(sha512.New384, secret)
		default:
			mac = hmac.New(sha512.New, secret)
		}
		mac.Write([]byte(input))
		if !hmac.Equal(mac.Sum(nil), sig) {
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
