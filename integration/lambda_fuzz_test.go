package integration

import (
	"net/http/httptest"
	"testing"

	"github.com/gatewaykit/gateway"
)

// FuzzLambdaResponse feeds arbitrary function answers to both readers:
// they must never panic, and what they accept must be a valid answer.
func FuzzLambdaResponse(f *testing.F) {
	for _, s := range []string{
		`{"statusCode":200}`, `{"statusCode":"201","headers":{"a":true}}`, `"x"`, `[1]`, `null`,
		`{"statusCode":200,"multiValueHeaders":{"a":["1",2]},"cookies":["c=1"],"isBase64Encoded":true,"body":"aGk="}`,
		`{"headers":{"bad name":"x","ok":"a\r\nb"}}`, `Task timed out after 1.00 seconds`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		for _, v1 := range []bool{true, false} {
			pr, err := readResponse(&lambdaResult{payload: payload}, v1)
			if err != nil {
				continue
			}
			if pr.status < 200 || pr.status > 599 {
				t.Fatalf("accepted status %d", pr.status)
			}
			rec := httptest.NewRecorder()
			for _, p := range []gateway.Profile{gateway.HTTPAPI, gateway.RESTAPI} {
				_ = writeResponse(rec, httptest.NewRequest("GET", "/", nil), &gateway.RequestContext{Profile: p}, pr, []string{"*/*"})
			}
			for k, vs := range rec.Header() {
				for _, v := range vs {
					for i := 0; i < len(v); i++ {
						if v[i] == '\r' || v[i] == '\n' {
							t.Fatalf("header %s carries a line break: %q", k, v)
						}
					}
				}
			}
		}
	})
}

func TestCookieLineBreaksDropped(t *testing.T) {
	pr, err := readResponse(&lambdaResult{payload: []byte(`{"statusCode":200,"cookies":["a=1\r\nX-Evil: 1"]}`)}, false)
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	if err := writeResponse(rec, httptest.NewRequest("GET", "/", nil), &gateway.RequestContext{}, pr, nil); err != nil {
		t.Fatal(err)
	}
	if got := rec.Header().Values("Set-Cookie"); len(got) != 1 || got[0] != "a=1X-Evil: 1" {
		t.Errorf("Set-Cookie %q", got)
	}
}
