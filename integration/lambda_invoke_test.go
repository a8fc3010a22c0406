package integration_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/integration"
)

// fakeLambda is a stand-in for the Lambda service's Invoke operation that
// records the calls and answers as told.
type fakeLambda struct {
	mu     sync.Mutex
	calls  []*http.Request
	bodies []string
	status int
	header http.Header
	body   string
}

func (f *fakeLambda) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.calls = append(f.calls, r.Clone(r.Context()))
	f.bodies = append(f.bodies, string(b))
	status, header, body := f.status, f.header, f.body
	f.mu.Unlock()
	for k, vs := range header {
		w.Header()[k] = vs
	}
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

func TestLambdaInvokeAPI(t *testing.T) {
	for _, tc := range []struct {
		name    string
		profile gateway.Profile
		status  int
		header  http.Header
		body    string
		want    int
		wantB   string
	}{
		{"success 2.0", gateway.HTTPAPI, 200, nil, `{"statusCode":201,"body":"made","cookies":["c=1"]}`, 201, "made"},
		{"success 1.0", gateway.RESTAPI, 200, nil, `{"statusCode":200,"body":"ok"}`, 200, "ok"},
		{"FunctionError REST", gateway.RESTAPI, 200, http.Header{"X-Amz-Function-Error": {"Unhandled"}},
			`{"errorMessage":"boom","errorType":"Error"}`, 502, `{"message": "Internal server error"}`},
		{"FunctionError HTTP API", gateway.HTTPAPI, 200, http.Header{"X-Amz-Function-Error": {"Unhandled"}},
			`{"errorMessage":"boom","errorType":"Error"}`, 500, `{"message":"Internal Server Error"}`},
		{"function missing (404) REST", gateway.RESTAPI, 404, http.Header{"X-Amzn-Errortype": {"ResourceNotFoundException"}},
			`{"Type":"User","message":"Function not found"}`, 500, `{"message": "Internal server error"}`},
		{"access denied (403) HTTP API", gateway.HTTPAPI, 403, http.Header{"X-Amzn-Errortype": {"AccessDeniedException"}},
			`{"message":"denied"}`, 500, `{"message":"Internal Server Error"}`},
		{"service error (500) REST", gateway.RESTAPI, 500, http.Header{"X-Amzn-Errortype": {"ServiceException"}},
			`{"message":"oops"}`, 502, `{"message": "Internal server error"}`},
		{"throttled (429) REST", gateway.RESTAPI, 429, http.Header{"X-Amzn-Errortype": {"TooManyRequestsException"}},
			`{"message":"Rate exceeded"}`, 500, `{"message": "Internal server error"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := &fakeLambda{status: tc.status, header: tc.header, body: tc.body}
			svc := httptest.NewServer(fake)
			defer svc.Close()
			var logs bytes.Buffer
			inv, err := integration.LambdaInvoke(integration.LambdaInvokeConfig{
				FunctionName: "arn:aws:lambda:eu-west-1:111122223333:function:${stageVariables.fn}",
				Qualifier:    "${stageVariables.alias}",
				Endpoint:     svc.URL,
				Region:       "eu-west-1",
				Credentials:  staticCreds,
				Logger:       slog.New(slog.NewTextHandler(&logs, nil)),
			})
			if err != nil {
				t.Fatal(err)
			}
			api := gateway.New("inv", gateway.Config{Profile: tc.profile})
			if err := api.Handle("ANY /{proxy+}", inv); err != nil {
				t.Fatal(err)
			}
			if _, err := api.Deploy("prod", gateway.StageVariables{"fn": "orders", "alias": "live"}); err != nil {
				t.Fatal(err)
			}
			rec := serve(api, "POST", "/prod/a?x=1", `{"n":1}`, http.Header{"Content-Type": {"application/json"}})
			if rec.Code != tc.want || rec.Body.String() != tc.wantB {
				t.Errorf("got %d %q, want %d %q", rec.Code, rec.Body.String(), tc.want, tc.wantB)
			}
			if len(fake.calls) != 1 {
				t.Fatalf("%d calls to the Lambda service, want exactly 1 (no retries)", len(fake.calls))
			}
			call := fake.calls[0]
			if call.Method != "POST" || call.URL.EscapedPath() != "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aeu-west-1%3A111122223333%3Afunction%3Aorders/invocations" ||
				call.URL.Query().Get("Qualifier") != "live" {
				t.Errorf("call %s %s", call.Method, call.URL)
			}
			auth := call.Header.Get("Authorization")
			if !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") || !strings.Contains(auth, "/eu-west-1/lambda/aws4_request") ||
				call.Header.Get("X-Amz-Date") == "" {
				t.Errorf("not SigV4-signed for lambda in eu-west-1: %q", auth)
			}
			if call.Header.Get("X-Amz-Invocation-Type") != "RequestResponse" {
				t.Errorf("invocation type %q", call.Header.Get("X-Amz-Invocation-Type"))
			}
			if !strings.Contains(fake.bodies[0], `"body":"{\"n\":1}"`) {
				t.Errorf("payload %s", fake.bodies[0])
			}
			if tc.want >= 500 {
				id := rec.Header().Get("Apigw-Requestid") + rec.Header().Get("X-Amzn-Requestid")
				if !strings.Contains(logs.String(), id) {
					t.Errorf("not logged with request id %s: %s", id, logs.String())
				}
			}
		})
	}
}

func TestLambdaInvokeConfig(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  integration.LambdaInvokeConfig
	}{
		{"no function", integration.LambdaInvokeConfig{Credentials: staticCreds}},
		{"no credentials", integration.LambdaInvokeConfig{FunctionName: "f"}},
		{"bad variable", integration.LambdaInvokeConfig{FunctionName: "${context.x}", Credentials: staticCreds}},
		{"unterminated variable", integration.LambdaInvokeConfig{FunctionName: "f", Qualifier: "${stageVariables.a", Credentials: staticCreds}},
		{"bad format", integration.LambdaInvokeConfig{FunctionName: "f", Credentials: staticCreds, PayloadFormat: "2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := integration.LambdaInvoke(tc.cfg); err == nil {
				t.Error("accepted")
			}
		})
	}
	base := aws.Config{Region: "ap-south-1", Credentials: staticCreds}
	if _, err := integration.LambdaInvoke(integration.LambdaInvokeConfig{FunctionName: "f", AWS: &base}); err != nil {
		t.Errorf("credentials from AWS refused: %v", err)
	}
}

// TestLambdaInvokeUnsetStageVariable: a function name naming a stage
// variable the stage lacks is a configuration error, and nothing is called.
func TestLambdaInvokeUnsetStageVariable(t *testing.T) {
	fake := &fakeLambda{status: 200, body: `{"statusCode":200}`}
	svc := httptest.NewServer(fake)
	defer svc.Close()
	inv, err := integration.LambdaInvoke(integration.LambdaInvokeConfig{
		FunctionName: "fn-${stageVariables.env}", Endpoint: svc.URL, Credentials: staticCreds, Logger: discard,
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		vars   gateway.StageVariables
		status int
		calls  int
	}{{nil, 500, 0}, {gateway.StageVariables{"env": "dev"}, 200, 1}} {
		api := gateway.New("inv", gateway.Config{Profile: gateway.RESTAPI})
		if err := api.Handle("GET /x", inv); err != nil {
			t.Fatal(err)
		}
		if _, err := api.Deploy("prod", tc.vars); err != nil {
			t.Fatal(err)
		}
		before := len(fake.calls)
		rec := serve(api, "GET", "/prod/x", "", nil)
		if rec.Code != tc.status || len(fake.calls)-before != tc.calls {
			t.Errorf("vars %v: got %d %s with %d calls", tc.vars, rec.Code, rec.Body.String(), len(fake.calls)-before)
		}
		if tc.calls == 1 && !strings.HasSuffix(fake.calls[len(fake.calls)-1].URL.Path, "/functions/fn-dev/invocations") {
			t.Errorf("called %s", fake.calls[len(fake.calls)-1].URL.Path)
		}
	}
}
