package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// The canonical request of Signature Version 4:
//
//	METHOD \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n \n SignedHeaders \n PayloadHash

// uriEncode is SigV4's URI encoding: everything but A-Z a-z 0-9 - . _ ~ is
// percent-encoded with upper-case hex; slashes too unless keepSlash.
func uriEncode(s string, keepSlash bool) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' || c == '/' && keepSlash {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte("0123456789ABCDEF"[c>>4])
		b.WriteByte("0123456789ABCDEF"[c&15])
	}
	return b.String()
}

// requestPath is the path as the client sent it (escaped, with the stage or
// base path, before the gateway stripped anything).
func requestPath(r *http.Request) string {
	if uri := r.RequestURI; uri != "" && uri != "*" {
		if i := strings.IndexByte(uri, '?'); i >= 0 {
			uri = uri[:i]
		}
		if strings.HasPrefix(uri, "http://") || strings.HasPrefix(uri, "https://") {
			if u, err := url.Parse(uri); err == nil {
				return u.EscapedPath()
			}
		}
		return uri
	}
	return r.URL.EscapedPath()
}

// canonicalURI: execute-api (and the AWS SDKs) encode the escaped path once
// more ("double encoding"); singleEncode encodes the decoded path instead,
// as the generic SigV4 test suite does. normalize removes dot segments and
// repeated slashes first.
func canonicalURI(escapedPath string, singleEncode, normalize bool) string {
	p := escapedPath
	if singleEncode {
		if dec, err := url.PathUnescape(p); err == nil {
			p = dec
		}
	}
	if normalize {
		p = normalizePath(p)
	}
	if p == "" {
		p = "/"
	}
	return uriEncode(p, true)
}

// normalizePath removes "." and ".." segments and empty segments, keeping a
// trailing slash.
func normalizePath(p string) string {
	trailing := strings.HasSuffix(p, "/") || strings.HasSuffix(p, "/.") || strings.HasSuffix(p, "/..")
	var out []string
	for _, seg := range strings.Split(p, "/") {
		switch seg {
		case "", ".":
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		default:
			out = append(out, seg)
		}
	}
	s := "/" + strings.Join(out, "/")
	if trailing && s != "/" {
		s += "/"
	}
	return s
}

// canonicalQuery sorts the decoded parameters by encoded name, then value.
// For presigned requests it leaves out X-Amz-Signature (the signature
// itself) and, when omitToken, X-Amz-Security-Token (for signers that add it
// after signing). A parameter with an invalid escape is kept byte for byte
// under a name no valid parameter can have, so it never canonicalises like
// a different request.
func canonicalQuery(rawQuery string, presigned, omitToken bool) string {
	if rawQuery == "" {
		return ""
	}
	type kv struct{ k, v string }
	var pairs []kv
	for part := range strings.SplitSeq(rawQuery, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		dk, err1 := url.QueryUnescape(k)
		dv, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil {
			pairs = append(pairs, kv{"%" + part, ""}) // "%" never starts an encoded name
			continue
		}
		if presigned && (dk == "X-Amz-Signature" || omitToken && dk == "X-Amz-Security-Token") {
			continue
		}
		pairs = append(pairs, kv{uriEncode(dk, false), uriEncode(dv, false)})
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].k != pairs[j].k {
			return pairs[i].k < pairs[j].k
		}
		return pairs[i].v < pairs[j].v
	})
	var b strings.Builder
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.k)
		b.WriteByte('=')
		b.WriteString(p.v)
	}
	return b.String()
}

// canonicalHeaderValue trims a value and collapses runs of spaces.
func canonicalHeaderValue(v string) string {
	return strings.Join(strings.Fields(v), " ")
}

// canonicalHeaders renders the signed headers; ok is false when one of them
// is missing from the request.
func canonicalHeaders(r *http.Request, signed []string) (string, bool) {
	var b strings.Builder
	for _, name := range signed {
		var values []string
		switch name {
		case "host":
			values = []string{r.Host}
		case "content-length":
			values = r.Header.Values("Content-Length")
			if len(values) == 0 && r.ContentLength >= 0 {
				values = []string{strconv.FormatInt(r.ContentLength, 10)}
			}
		default:
			values = r.Header.Values(name)
		}
		if len(values) == 0 {
			return "", false
		}
		b.WriteString(name)
		b.WriteByte(':')
		for i, v := range values {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(canonicalHeaderValue(v))
		}
		b.WriteByte('\n')
	}
	return b.String(), true
}

func hexSHA256(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

// signingKey derives the SigV4 key for a date, region and service.
func signingKey(secret, date, region, service string) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), date)
	k = hmacSHA256(k, region)
	k = hmacSHA256(k, service)
	return hmacSHA256(k, "aws4_request")
}

func stringToSign(amzDate, scope, canonicalRequest string) string {
	return "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + hexSHA256([]byte(canonicalRequest))
}
