package cache

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"net/http"
)

// An entry is stored as: version byte, status (uint16), header count
// (uint16), then per header name and value as uint32-length-prefixed
// strings, then the body. Encrypted entries are AES-GCM sealed with a
// random nonce in front.

const entryVersion = 1

var errCorrupt = errors.New("cache: corrupt entry")

func encodeEntry(status int, h http.Header, body []byte) []byte {
	n := 5 + len(body)
	pairs := 0
	for k, vs := range h {
		for _, v := range vs {
			n += 8 + len(k) + len(v)
			pairs++
		}
	}
	b := make([]byte, 0, n)
	b = append(b, entryVersion)
	b = binary.BigEndian.AppendUint16(b, uint16(status))
	b = binary.BigEndian.AppendUint16(b, uint16(pairs))
	for k, vs := range h {
		for _, v := range vs {
			b = binary.BigEndian.AppendUint32(b, uint32(len(k)))
			b = append(b, k...)
			b = binary.BigEndian.AppendUint32(b, uint32(len(v)))
			b = append(b, v...)
		}
	}
	return append(b, body...)
}

// writeEntry replays an encoded entry to w. Header names and values are
// cut from one string and their slices from one array, so a hit costs a
// fixed few allocations whatever the number of headers.
func writeEntry(w http.ResponseWriter, r *http.Request, b []byte) error {
	if len(b) < 5 || b[0] != entryVersion {
		return errCorrupt
	}
	status := int(binary.BigEndian.Uint16(b[1:]))
	pairs := int(binary.BigEndian.Uint16(b[3:]))
	if status < 100 || status > 999 {
		return errCorrupt
	}
	// Find where the headers end.
	end := 5
	for range 2 * pairs {
		if len(b)-end < 4 {
			return errCorrupt
		}
		n := int(binary.BigEndian.Uint32(b[end:]))
		if len(b)-end-4 < n {
			return errCorrupt
		}
		end += 4 + n
	}
	region := string(b[5:end])
	values := make([]string, pairs)
	h := w.Header()
	off := 0
	next := func() string {
		n := int(binary.BigEndian.Uint32([]byte(region[off : off+4])))
		s := region[off+4 : off+4+n]
		off += 4 + n
		return s
	}
	// The cached headers replace what outer layers may have set under the
	// same names (values of one name are consecutive in the encoding).
	for i := 0; i < pairs; {
		k := next()
		values[i] = next()
		j := i + 1
		for j < pairs {
			save := off
			if next() != k {
				off = save
				break
			}
			values[j] = next()
			j++
		}
		h[k] = values[i:j:j]
		i = j
	}
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(b[end:])
	}
	return nil
}

func seal(aead cipher.AEAD, plain []byte, key string) []byte {
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plain)+aead.Overhead())
	_, _ = rand.Read(nonce)
	return aead.Seal(nonce, nonce, plain, []byte(key))
}

func open(aead cipher.AEAD, sealed []byte, key string) ([]byte, error) {
	ns := aead.NonceSize()
	if len(sealed) < ns {
		return nil, errCorrupt
	}
	// The key is authenticated data: an entry copied under another key
	// does not open.
	return aead.Open(nil, sealed[:ns], sealed[ns:], []byte(key))
}

func newAEAD(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}
