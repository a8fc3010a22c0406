package auth

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lestrrat-go/jwx/v3/jwk"
)

// conformanceDir is ../shared/conformance beside the checkout.
func conformanceDir(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "shared", "conformance"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("conformance vectors missing at %s", dir)
		}
		t.Skipf("SKIPPED: conformance vectors not found at %s", dir)
	}
	return dir
}

// verifyCompact is the signature half of JWT verification: what a JWT
// authorizer with key and the allow-list does before reading claims.
func verifyCompact(token string, ring *keyring, allowed map[string]bool) error {
	h, input, sig, err := splitCompact(token)
	if err != nil {
		return err
	}
	if !allowed[h.Alg] {
		return errAlgorithm
	}
	key, ok := ring.lookup(h.Kid)
	if !ok {
		if key, ok = ring.lookup(""); !ok {
			return errUnknownKeyID
		}
	}
	return verifySignature(h.Alg, key, input, sig)
}

// TestWycheproofJWS: every "invalid" case is refused; every "valid" case in
// compact serialization that the authorizer supports verifies.
func TestWycheproofJWS(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(conformanceDir(t), "jws", "json_web_signature_test.json"))
	if err != nil {
		t.Fatal(err)
	}
	var suite struct {
		TestGroups []struct {
			Comment string          `json:"comment"`
			Private json.RawMessage `json:"private"`
			Public  json.RawMessage `json:"public"`
			Tests   []struct {
				TcID   int             `json:"tcId"`
				JWS    json.RawMessage `json:"jws"`
				Result string          `json:"result"`
				Flags  []string        `json:"flags"`
			} `json:"tests"`
		} `json:"testGroups"`
	}
	if err := json.Unmarshal(raw, &suite); err != nil {
		t.Fatal(err)
	}
	refused, verified, skipped := 0, 0, 0
	for _, g := range suite.TestGroups {
		keyJSON := g.Public
		if keyJSON == nil {
			keyJSON = g.Private // symmetric keys
		}
		// RFC 7520's P-521 keys say "ES521", which is no JWA name (the JWS
		// algorithm is ES512): drop it so the key parses, and allow ES512.
		es521 := strings.Contains(string(keyJSON), `"ES521"`)
		if es521 {
			var m map[string]any
			_ = json.Unmarshal(keyJSON, &m)
			delete(m, "alg")
			keyJSON, _ = json.Marshal(m)
		}
		key, err := jwk.ParseKey(keyJSON)
		if err != nil {
			t.Fatalf("group %s: key: %v", g.Comment, err)
		}
		set := jwk.NewSet()
		_ = set.AddKey(key)
		ring, err := newKeyring(set, true)
		if err != nil {
			t.Fatal(err)
		}
		// The allow-list is the key's own algorithm; a key without one
		// allows every algorithm, the most permissive set-up.
		allowed := map[string]bool{}
		if es521 {
			allowed[ES512] = true
		} else if alg, ok := key.Algorithm(); ok {
			allowed[alg.String()] = true
		} else {
			for _, a := range []string{RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA, HS256, HS384, HS512} {
				allowed[a] = true
			}
		}
		for _, tc := range g.Tests {
			var compact string
			if err := json.Unmarshal(tc.JWS, &compact); err != nil {
				// JSON serialization is not accepted at all.
				if tc.Result == "valid" {
					skipped++
				} else {
					refused++
				}
				continue
			}
			err := verifyCompact(compact, ring, allowed)
			switch {
			case tc.Result == "invalid" && err == nil:
				t.Errorf("group %s tc %d (%v): invalid JWS accepted", g.Comment, tc.TcID, tc.Flags)
			case tc.Result == "invalid":
				refused++
			case errors.Is(err, errAlgorithm) || errors.Is(err, errMalformed) || errors.Is(err, errUnknownKeyID) ||
				err != nil && strings.Contains(err.Error(), "under 2048 bits"):
				// "valid" cases refused by policy: an algorithm other than
				// the key's own, a character outside strict base64url, a
				// weak secret, or a key size refused on purpose
				t.Logf("group %s tc %d: valid case refused by policy: %v", g.Comment, tc.TcID, err)
				skipped++
			case err != nil:
				t.Errorf("group %s tc %d (%v): valid JWS refused: %v", g.Comment, tc.TcID, tc.Flags, err)
			default:
				verified++
			}
		}
	}
	t.Logf("Wycheproof JWS: %d invalid refused, %d valid verified, %d valid skipped", refused, verified, skipped)
	if refused < 300 {
		t.Errorf("only %d invalid cases seen", refused)
	}
}
