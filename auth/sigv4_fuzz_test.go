package auth

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// FuzzParseAuthorization: no panic on any Authorization header, and a
// header that parses has all three parts.
func FuzzParseAuthorization(f *testing.F) {
	for _, s := range []string{
		"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
		"AWS4-HMAC-SHA256 Credential=a/b/c/d/aws4_request,SignedHeaders=host,Signature=x", "Bearer x", "AWS4-HMAC-SHA256 ", "AWS4-HMAC-SHA256 Credential=,,,=",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		a, err := parseAuthorization(h)
		if err != nil {
			return
		}
		if a.accessKey == "" || len(a.signedHeaders) == 0 || a.signature == "" {
			t.Errorf("%q parsed incompletely: %+v", h, a)
		}
	})
}

// FuzzSigV4Verify: arbitrary method, path, query and headers never panic
// the verifier and never verify without the secret.
func FuzzSigV4Verify(f *testing.F) {
	f.Add("GET", "/a/b", "x=1&y", "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=00", "20150830T123600Z")
	f.Add("POST", "/%zz", "X-Amz-Signature=1&X-Amz-Algorithm=AWS4-HMAC-SHA256", "", "")
	f.Fuzz(func(t *testing.T, method, path, query, authz, date string) {
		now, _ := time.Parse(amzDateFormat, "20150830T123600Z")
		v, _ := NewSigV4(SigV4Config{Credentials: StaticCredentials{"AKID": {SecretAccessKey: "s"}}, Now: func() time.Time { return now }})
		r := &http.Request{Method: method, URL: &url.URL{Path: path, RawQuery: query}, Header: http.Header{}, Host: "h"}
		if authz != "" {
			r.Header.Set("Authorization", authz)
		}
		if date != "" {
			r.Header.Set("X-Amz-Date", date)
		}
		if _, _, err := v.Verify(r); err == nil {
			t.Errorf("verified without a valid signature: %q %q %q %q", method, path, query, authz)
		}
		_ = canonicalQuery(query, true, strings.Contains(query, "Token"))
		_ = canonicalURI(path, true, true)
	})
}
