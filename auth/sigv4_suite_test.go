package auth

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

type suiteContext struct {
	Credentials struct {
		AccessKeyID     string `json:"access_key_id"`
		SecretAccessKey string `json:"secret_access_key"`
		Token           string `json:"token"`
	} `json:"credentials"`
	Normalize bool   `json:"normalize"`
	Region    string `json:"region"`
	Service   string `json:"service"`
	Timestamp string `json:"timestamp"`
	// OmitSessionToken: the signer added the token after signing.
	OmitSessionToken bool `json:"omit_session_token"`
}

// parseSuiteRequest reads the suite's request format: a request line with
// the path as raw text, "Name:value" headers (indented lines continue the
// previous value), a blank line, the body.
func parseSuiteRequest(t *testing.T, raw string) *http.Request {
	t.Helper()
	br := bufio.NewReader(strings.NewReader(raw))
	line, _ := br.ReadString('\n')
	line = strings.TrimRight(line, "\r\n")
	first, last := strings.IndexByte(line, ' '), strings.LastIndexByte(line, ' ')
	method, target := line[:first], line[first+1:last]
	path, query, _ := strings.Cut(target, "?")
	r := &http.Request{Method: method, URL: &url.URL{Path: path, RawQuery: query}, Header: http.Header{}, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1}
	var lastName string
	for {
		l, err := br.ReadString('\n')
		l = strings.TrimRight(l, "\r\n")
		if l == "" {
			break
		}
		if l[0] == ' ' || l[0] == '\t' {
			vs := r.Header[lastName]
			vs[len(vs)-1] += " " + strings.TrimSpace(l)
			continue
		}
		name, value, _ := strings.Cut(l, ":")
		if strings.EqualFold(name, "host") {
			r.Host = value
			lastName = ""
			continue
		}
		lastName = http.CanonicalHeaderKey(name)
		r.Header.Add(name, value)
		if err != nil {
			break
		}
	}
	body, _ := io.ReadAll(br)
	r.Body = io.NopCloser(strings.NewReader(string(body)))
	r.ContentLength = int64(len(body))
	return r
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestSigV4Suite runs the AWS SigV4 signing test suite: every signed
// request (header and presigned forms) verifies with the case's clock and
// credentials, our canonical request and string to sign equal the suite's,
// and any change to a signed part is refused.
func TestSigV4Suite(t *testing.T) {
	dir := filepath.Join(conformanceDir(t), "sigv4")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	cases := 0
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		cases++
		name := e.Name()
		t.Run(name, func(t *testing.T) {
			var sc suiteContext
			if err := json.Unmarshal([]byte(readFile(t, filepath.Join(dir, name, "context.json"))), &sc); err != nil {
				t.Fatal(err)
			}
			now, err := time.Parse(time.RFC3339, sc.Timestamp)
			if err != nil {
				t.Fatal(err)
			}
			newVerifier := func() *SigV4 {
				v, err := NewSigV4(SigV4Config{
					Credentials:      StaticCredentials{sc.Credentials.AccessKeyID: {SecretAccessKey: sc.Credentials.SecretAccessKey, SessionToken: sc.Credentials.Token}},
					Region:           sc.Region,
					Service:          sc.Service,
					SingleEncodePath: true,
					NormalizePath:    sc.Normalize,
					Now:              func() time.Time { return now },
				})
				if err != nil {
					t.Fatal(err)
				}
				return v
			}
			for _, form := range []string{"header", "query"} {
				signed := readFile(t, filepath.Join(dir, name, form+"-signed-request.txt"))
				if _, _, err := newVerifier().Verify(parseSuiteRequest(t, signed)); err != nil {
					t.Fatalf("%s form refused: %v", form, err)
				}
				// Reproduce the intermediate artifacts.
				r := parseSuiteRequest(t, signed)
				var a sigv4Auth
				if form == "header" {
					a, _ = parseAuthorization(r.Header.Get("Authorization"))
					a.amzDate = r.Header.Get("X-Amz-Date")
				} else {
					a, _ = parsePresigned(r)
				}
				headers, _ := canonicalHeaders(r, a.signedHeaders)
				body, _ := io.ReadAll(r.Body)
				canonical := r.Method + "\n" + canonicalURI(r.URL.EscapedPath(), true, sc.Normalize) + "\n" + canonicalQuery(r.URL.RawQuery, form == "query", form == "query" && sc.OmitSessionToken) + "\n" + headers + "\n" + strings.Join(a.signedHeaders, ";") + "\n" + hexSHA256(body)
				if want := readFile(t, filepath.Join(dir, name, form+"-canonical-request.txt")); canonical != want {
					t.Errorf("%s canonical request:\n%s\nwant:\n%s", form, canonical, want)
				}
				scope := a.date + "/" + a.region + "/" + a.service + "/aws4_request"
				if want := readFile(t, filepath.Join(dir, name, form+"-string-to-sign.txt")); stringToSign(a.amzDate, scope, canonical) != want {
					t.Errorf("%s string to sign differs", form)
				}

				// Each change to a signed part is refused.
				mutations := map[string]func(*http.Request){
					"method": func(r *http.Request) {
						if r.Method == "GET" {
							r.Method = "POST"
						} else {
							r.Method = "GET"
						}
					},
					"path":  func(r *http.Request) { r.URL.Path += "x" },
					"query": func(r *http.Request) { r.URL.RawQuery += "&injected=1" },
					"bad escape": func(r *http.Request) {
						if r.URL.RawQuery == "" {
							r.URL.RawQuery = "a=%zz"
						} else {
							r.URL.RawQuery += "&a=%zz"
						}
					},
					"host":   func(r *http.Request) { r.Host = "evil.amazonaws.com" },
					"body":   func(r *http.Request) { r.Body = io.NopCloser(strings.NewReader("tampered")); r.ContentLength = 8 },
					"secret": nil,
				}
				if form == "header" { // only a presigned URL's own signature is left out
					mutations["unsigned X-Amz-Signature"] = func(r *http.Request) {
						if r.URL.RawQuery != "" {
							r.URL.RawQuery += "&"
						}
						r.URL.RawQuery += "X-Amz-Signature=smuggled"
					}
				}
				for _, h := range a.signedHeaders {
					if h == "host" || h == "x-amz-date" || h == "content-length" {
						continue
					}
					mutations["header "+h] = func(r *http.Request) { r.Header.Set(h, r.Header.Get(h)+"x") }
				}
				for what, mutate := range mutations {
					r := parseSuiteRequest(t, signed)
					v := newVerifier()
					if mutate == nil { // the wrong secret
						v.cfg.Credentials = StaticCredentials{sc.Credentials.AccessKeyID: {SecretAccessKey: "wrong", SessionToken: sc.Credentials.Token}}
					} else {
						mutate(r)
					}
					if _, _, err := v.Verify(r); err == nil {
						t.Errorf("%s form: request with a changed %s verified", form, what)
					}
				}
				// Outside the clock window.
				v := newVerifier()
				v.cfg.Now = func() time.Time { return now.Add(2 * time.Hour) }
				if _, _, err := v.Verify(parseSuiteRequest(t, signed)); err == nil {
					t.Errorf("%s form verified two hours later", form)
				}
			}
		})
	}
	if cases != 38 {
		t.Errorf("ran %d cases, want the suite's 38", cases)
	}
}

func TestSigV4ReplayRefused(t *testing.T) {
	dir := filepath.Join(conformanceDir(t), "sigv4", "get-vanilla")
	signed := readFile(t, filepath.Join(dir, "header-signed-request.txt"))
	now, _ := time.Parse(time.RFC3339, "2015-08-30T12:36:00Z")
	v, _ := NewSigV4(SigV4Config{Credentials: StaticCredentials{"AKIDEXAMPLE": {SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}}, Service: "service", SingleEncodePath: true, NormalizePath: true, Now: func() time.Time { return now }})
	if _, _, err := v.Verify(parseSuiteRequest(t, signed)); err != nil {
		t.Fatal(err)
	}
	_, _, err := v.Verify(parseSuiteRequest(t, signed))
	if err == nil || !strings.Contains(err.Error(), "already been used") {
		t.Errorf("replayed request: %v", err)
	}
	var ge interface{ Unwrap() error }
	_ = errors.As(err, &ge)
}
