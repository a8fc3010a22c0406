package transform

import (
	"encoding/base64"
	"fmt"
	"strings"
)

// ContentHandling converts a payload between binary and text, as an
// integration's (request) or integration response's contentHandling does.
type ContentHandling string

// The conversions of API Gateway.
const (
	// ConvertToText base64-encodes a binary payload.
	ConvertToText ContentHandling = "CONVERT_TO_TEXT"
	// ConvertToBinary base64-decodes a text payload; a payload that is not
	// base64 is an API configuration error (500), as on AWS.
	ConvertToBinary ContentHandling = "CONVERT_TO_BINARY"
)

func checkContentHandling(c ContentHandling) error {
	switch c {
	case "", ConvertToText, ConvertToBinary:
		return nil
	}
	return fmt.Errorf("contentHandling %q: want CONVERT_TO_TEXT or CONVERT_TO_BINARY", c)
}

// binaryTypes are an API's binaryMediaTypes.
type binaryTypes []string

// matches reports whether the media type of a Content-Type or Accept entry
// is one of the types: exactly, by type/*, or */*.
func (b binaryTypes) matches(contentType string) bool {
	if len(b) == 0 || contentType == "" {
		return false
	}
	return b.matchesType(mediaType(contentType))
}

// matchesType is matches for a media type already parsed (mediaType).
func (b binaryTypes) matchesType(mt string) bool {
	major, _, _ := strings.Cut(mt, "/")
	for _, t := range b {
		if t == mt || t == "*/*" || strings.HasSuffix(t, "/*") && strings.TrimSuffix(t, "/*") == major {
			return true
		}
	}
	return false
}

// newBinaryTypes lower-cases and trims a configuration's types once.
func newBinaryTypes(types []string) binaryTypes {
	b := make(binaryTypes, len(types))
	for i, t := range types {
		b[i] = strings.ToLower(strings.TrimSpace(t))
	}
	return b
}

// requestConversion says what the request's contentHandling does, by AWS's
// table: a binary body (its Content-Type is a binary media type) is
// base64-encoded by CONVERT_TO_TEXT before any template reads it; a text
// body is base64-decoded by CONVERT_TO_BINARY on its way to the backend.
func requestConversion(binary bool, c ContentHandling) (encode, decode bool) {
	return binary && c == ConvertToText, !binary && c == ConvertToBinary
}

// responseConversion says what an integration response's contentHandling
// does, by AWS's table. binary is the integration's payload (its
// Content-Type a binary media type), binaryAccept the client's first
// Accept type, typesSet whether the API has binary media types at all.
// Without contentHandling a text payload asked for as binary is decoded
// and a binary payload asked for as text is encoded.
func responseConversion(binary, binaryAccept, typesSet bool, c ContentHandling) (encode, decode bool) {
	switch c {
	case ConvertToBinary:
		return false, !binary
	case ConvertToText:
		return binary && typesSet, false
	}
	if !typesSet {
		return false, false
	}
	return binary && !binaryAccept, !binary && binaryAccept
}

func encodeBase64(b []byte) []byte {
	out := make([]byte, base64.StdEncoding.EncodedLen(len(b)))
	base64.StdEncoding.Encode(out, b)
	return out
}

func decodeBase64(b []byte) ([]byte, error) {
	out := make([]byte, base64.StdEncoding.DecodedLen(len(b)))
	n, err := base64.StdEncoding.Decode(out, b)
	if err != nil {
		return nil, fmt.Errorf("converting the payload to binary: it is not base64: %w", err)
	}
	return out[:n], nil
}
