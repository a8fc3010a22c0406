package integration

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gatewaykit/gateway"
)

// respCase is one function answer and what the client must get.
type respCase struct {
	name    string
	payload string
	status  int               // 0: malformed
	headers map[string]string // expected, comma-joined values
	body    string
	cookies []string
}

// TestLambdaResponseV1 covers API Gateway's format 1.0 rules (REST,
// observed against AWS by LocalStack's validated snapshots).
func TestLambdaResponseV1(t *testing.T) {
	for _, tc := range []respCase{
		{"status only", `{"statusCode":200}`, 200, map[string]string{"Content-Type": "application/json"}, "", nil},
		{"booleans and numbers stringified", `{"statusCode":200,"headers":{"test-header":"value","header-bool":true,"n":1.5}}`, 200,
			map[string]string{"Test-Header": "value", "Header-Bool": "true", "N": "1.5"}, "", nil},
		{"null headers", `{"statusCode":200,"headers":null,"multiValueHeaders":null,"body":null}`, 200, nil, "", nil},
		{"no statusCode means 200", `{"headers":{"a":"b"},"body":"x"}`, 200, map[string]string{"A": "b"}, "x", nil},
		{"string statusCode", `{"statusCode":"201","body":"made"}`, 201, nil, "made", nil},
		{"non-numeric string statusCode", `{"statusCode":"test"}`, 0, nil, "", nil},
		{"fractional statusCode", `{"statusCode":200.5}`, 0, nil, "", nil},
		{"statusCode out of range", `{"statusCode":99}`, 0, nil, "", nil},
		{"unknown key", `{"statusCode":200,"wrongValue":1}`, 0, nil, "", nil},
		{"cookies key is unknown in 1.0", `{"statusCode":200,"cookies":["a=1"]}`, 0, nil, "", nil},
		{"bare string", `"justAString"`, 0, nil, "", nil},
		{"array", `[1]`, 0, nil, "", nil},
		{"null", `null`, 0, nil, "", nil},
		{"not JSON", `Task timed out`, 0, nil, "", nil},
		{"multiValueHeaders not a list", `{"statusCode":200,"multiValueHeaders":{"a":"b"}}`, 0, nil, "", nil},
		{"header value an object", `{"statusCode":200,"headers":{"a":{}}}`, 0, nil, "", nil},
		{"body not a string", `{"statusCode":200,"body":{"a":1}}`, 0, nil, "", nil},
		{"isBase64Encoded not a bool", `{"statusCode":200,"isBase64Encoded":"yes"}`, 0, nil, "", nil},
		{"multiValueHeaders", `{"statusCode":200,"multiValueHeaders":{"test-multi":["v1","v2"]}}`, 200, map[string]string{"Test-Multi": "v1,v2"}, "", nil},
		{"multiValueHeaders first, then headers", `{"statusCode":200,"headers":{"test-multi":"solo"},"multiValueHeaders":{"tesT-Multi":["multi"]}}`, 200,
			map[string]string{"Test-Multi": "multi,solo"}, "", nil},
		{"same pair in both maps kept once", `{"statusCode":200,"headers":{"a":"1"},"multiValueHeaders":{"a":["1","2"]}}`, 200,
			map[string]string{"A": "1,2"}, "", nil},
		{"own content type kept", `{"statusCode":404,"headers":{"content-type":"text/html"},"body":"<p>"}`, 404, map[string]string{"Content-Type": "text/html"}, "<p>", nil},
		{"204 sends no body", `{"statusCode":204,"body":"ignored"}`, 204, map[string]string{"Content-Length": ""}, "", nil},
		{"base64 without binary types is sent as text", `{"statusCode":200,"body":"aGk=","isBase64Encoded":true}`, 200, nil, "aGk=", nil},
	} {
		t.Run(tc.name, func(t *testing.T) { checkResponse(t, tc, true, gateway.RESTAPI) })
	}
}

// TestLambdaResponseV2 covers format 2.0: inference and the explicit form.
func TestLambdaResponseV2(t *testing.T) {
	for _, tc := range []respCase{
		{"bare string", `"Hello from Lambda!"`, 200, map[string]string{"Content-Type": "application/json"}, "Hello from Lambda!", nil},
		{"object without statusCode", `{"message":"Hello from Lambda!"}`, 200, map[string]string{"Content-Type": "application/json"}, `{"message":"Hello from Lambda!"}`, nil},
		{"object with body but no statusCode is still inferred", `{"body":"x","headers":{"a":"b"}}`, 200, map[string]string{"Content-Type": "application/json", "A": ""}, `{"body":"x","headers":{"a":"b"}}`, nil},
		{"number", `42`, 200, nil, "42", nil},
		{"array", `[1,2]`, 200, nil, "[1,2]", nil},
		{"not JSON", `Task timed out`, 0, nil, "", nil},
		{"explicit", `{"statusCode":201,"headers":{"x-a":"1"},"body":"made","cookies":["a=1; Path=/","b=2"]}`, 201,
			map[string]string{"X-A": "1", "Content-Type": "text/plain; charset=utf-8"}, "made", []string{"a=1; Path=/", "b=2"}},
		{"explicit: multiValueHeaders ignored", `{"statusCode":200,"multiValueHeaders":{"x-m":["1","2"],"content-type":["text/html"]},"headers":{"x-m":"3"}}`, 200,
			map[string]string{"X-M": "3", "Content-Type": "text/plain; charset=utf-8"}, "", nil},
		{"explicit: own Content-Type kept", `{"statusCode":200,"headers":{"content-type":"text/html"},"body":"<p>"}`, 200,
			map[string]string{"Content-Type": "text/html"}, "<p>", nil},
		{"explicit: multiValueHeaders not even checked", `{"statusCode":200,"multiValueHeaders":{"a":"not a list"}}`, 200, nil, "", nil},
		{"unknown keys ignored", `{"statusCode":200,"extra":true,"body":"ok"}`, 200, nil, "ok", nil},
		{"base64 always decoded", `{"statusCode":200,"body":"aGk=","isBase64Encoded":true}`, 200, nil, "hi", nil},
		{"bad base64", `{"statusCode":200,"body":"!!","isBase64Encoded":true}`, 0, nil, "", nil},
		{"bad statusCode", `{"statusCode":"abc"}`, 0, nil, "", nil},
		{"cookies not strings", `{"statusCode":200,"cookies":[1]}`, 0, nil, "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) { checkResponse(t, tc, false, gateway.HTTPAPI) })
	}
}

func checkResponse(t *testing.T, tc respCase, v1 bool, p gateway.Profile) {
	t.Helper()
	pr, err := readResponse(&lambdaResult{payload: []byte(tc.payload)}, v1)
	rec := httptest.NewRecorder()
	if err == nil {
		err = writeResponse(rec, httptest.NewRequest("GET", "/", nil), &gateway.RequestContext{Profile: p}, pr, nil)
	}
	if tc.status == 0 {
		if err == nil {
			t.Fatalf("accepted as %d %q, want malformed", rec.Code, rec.Body.String())
		}
		return
	}
	if err != nil {
		t.Fatalf("malformed: %v", err)
	}
	if rec.Code != tc.status || rec.Body.String() != tc.body {
		t.Errorf("got %d %q, want %d %q", rec.Code, rec.Body.String(), tc.status, tc.body)
	}
	for k, want := range tc.headers {
		if got := strings.Join(rec.Header().Values(k), ","); got != want {
			t.Errorf("header %s = %q, want %q", k, got, want)
		}
	}
	if got := rec.Header().Values("Set-Cookie"); strings.Join(got, "|") != strings.Join(tc.cookies, "|") {
		t.Errorf("Set-Cookie %q, want %q", got, tc.cookies)
	}
}

// TestTypedResponseMatchesJSON checks that the typed fast path reads a
// response exactly as the JSON that aws-lambda-go would send for it.
func TestTypedResponseMatchesJSON(t *testing.T) {
	v1s := []events.APIGatewayProxyResponse{
		{StatusCode: 200},
		{StatusCode: 0},
		{StatusCode: 201, Headers: map[string]string{"a": "1", "b": "x"}, MultiValueHeaders: map[string][]string{"a": {"1", "2"}}, Body: "b"},
		{StatusCode: 200, Body: "aGk=", IsBase64Encoded: true},
	}
	v2s := []events.APIGatewayV2HTTPResponse{
		{StatusCode: 200, Cookies: []string{"a=1"}},
		{StatusCode: 0, Body: "x"},
		{StatusCode: 302, Headers: map[string]string{"Location": "/x"}, Body: "aGk=", IsBase64Encoded: true},
	}
	type pair struct {
		typed *lambdaResult
		json  []byte
	}
	var pairs []pair
	for i := range v1s {
		b, _ := json.Marshal(v1s[i])
		pairs = append(pairs, pair{&lambdaResult{v1: &v1s[i]}, b})
	}
	for i := range v2s {
		b, _ := json.Marshal(v2s[i])
		pairs = append(pairs, pair{&lambdaResult{v2: &v2s[i]}, b})
	}
	for _, p := range pairs {
		for _, v1 := range []bool{true, false} {
			a, errA := readResponse(p.typed, v1)
			b, errB := readResponse(&lambdaResult{payload: p.json}, v1)
			if (errA == nil) != (errB == nil) {
				t.Errorf("%s v1=%v: typed err %v, JSON err %v", p.json, v1, errA, errB)
				continue
			}
			if errA != nil {
				continue
			}
			if a.status != b.status || a.body != b.body || a.base64 != b.base64 || !reflect.DeepEqual(a.cookies, b.cookies) || !sameHeader(a.header, b.header) {
				t.Errorf("%s v1=%v: typed %+v, JSON %+v", p.json, v1, a, b)
			}
		}
	}
}

func sameHeader(a, b http.Header) bool {
	if len(a) != len(b) {
		return false
	}
	for k, vs := range a {
		x, y := append([]string(nil), vs...), append([]string(nil), b[k]...)
		if strings.Join(sortStrings(x), ",") != strings.Join(sortStrings(y), ",") {
			return false
		}
	}
	return true
}

func sortStrings(s []string) []string {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s
}

// TestTypedHandlersSkipJSON checks which shapes get the no-JSON path.
func TestTypedHandlersSkipJSON(t *testing.T) {
	for _, tc := range []struct {
		name   string
		h      any
		v1, v2 bool
	}{
		{"v1 canonical", func(context.Context, events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
			return events.APIGatewayProxyResponse{}, nil
		}, true, false},
		{"v2 canonical", func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
			return events.APIGatewayV2HTTPResponse{}, nil
		}, false, true},
		{"v1 pointers, no ctx", func(*events.APIGatewayProxyRequest) (*events.APIGatewayProxyResponse, error) { return nil, nil }, true, false},
		{"v2 event, v1 response", func(events.APIGatewayV2HTTPRequest) (events.APIGatewayProxyResponse, error) {
			return events.APIGatewayProxyResponse{}, nil
		}, false, true},
		{"v2 event, error only", func(events.APIGatewayV2HTTPRequest) error { return nil }, false, true},
		{"map response", func(events.APIGatewayV2HTTPRequest) (map[string]string, error) { return nil, nil }, false, false},
		{"raw JSON", func(json.RawMessage) (json.RawMessage, error) { return nil, nil }, false, false},
	} {
		fn, err := adaptHandler(tc.h)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if (fn.v1 != nil) != tc.v1 || (fn.v2 != nil) != tc.v2 || fn.bytes == nil {
			t.Errorf("%s: v1 %v v2 %v bytes %v", tc.name, fn.v1 != nil, fn.v2 != nil, fn.bytes != nil)
		}
	}
}
