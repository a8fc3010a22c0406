package integration_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/integration"
	"github.com/gatewaykit/gateway/internal/lambdatest"
)

// fnSeen mirrors what testdata/lambda/fn reports.
type fnSeen struct {
	Version     string            `json:"version"`
	Method      string            `json:"method"`
	Path        string            `json:"path"`
	Query       map[string]string `json:"query"`
	Body        string            `json:"body"`
	Base64      bool              `json:"base64"`
	Cookies     []string          `json:"cookies"`
	StageVars   map[string]string `json:"stageVariables"`
	RequestID   string            `json:"gatewayRequestId"`
	AwsRequest  string            `json:"awsRequestId"`
	FunctionARN string            `json:"functionArn"`
	HasDeadline bool              `json:"hasDeadline"`
}

var staticCreds = aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
	return aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret", Source: "test"}, nil
})

// rieAPI deploys an API of profile p whose routes call the emulator at
// endpoint through the Invoke API; the function name and qualifier come
// from stage variables, as AWS allows.
func rieAPI(t *testing.T, p gateway.Profile, endpoint string, timeout time.Duration) *httptest.Server {
	t.Helper()
	inv, err := integration.LambdaInvoke(integration.LambdaInvokeConfig{
		FunctionName:   "${stageVariables.fn}",
		Qualifier:      "${stageVariables.alias}",
		Endpoint:       endpoint,
		Region:         "us-east-1",
		Credentials:    staticCreds,
		EmulatorErrors: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	api := gateway.New("rie", gateway.Config{Profile: p})
	var opts []gateway.RouteOption
	if timeout > 0 {
		opts = append(opts, gateway.WithTimeout(timeout))
	}
	if err := api.Handle("ANY /{proxy+}", inv, opts...); err != nil {
		t.Fatal(err)
	}
	if _, err := api.Deploy("prod", gateway.StageVariables{"fn": "function", "alias": "live"}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	return srv
}

func do(t *testing.T, method, url, body string, hdr map[string]string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestLambdaInvokeRIE(t *testing.T) {
	lambdatest.RIEPath(t) // skip (or fail under CI=true) before building
	bin := lambdatest.Build(t, "./testdata/lambda/fn")
	rie := lambdatest.StartRIE(t, bin, lambdatest.Options{FunctionName: "orders"})

	t.Run("HTTP API 2.0 round trip", func(t *testing.T) {
		srv := rieAPI(t, gateway.HTTPAPI, rie.Endpoint, 0)
		resp, body := do(t, "POST", srv.URL+"/prod/orders/7?x=1&x=2", `{"n":1}`,
			map[string]string{"Content-Type": "application/json", "Cookie": "s=1; t=2"})
		if resp.StatusCode != 201 {
			t.Fatalf("status %d, body %s", resp.StatusCode, body)
		}
		if got := resp.Header.Values("Set-Cookie"); strings.Join(got, "|") != "a=1; Path=/|b=2" {
			t.Errorf("Set-Cookie %q", got)
		}
		if resp.Header.Get("X-Fn") != "yes" {
			t.Errorf("X-Fn header missing: %v", resp.Header)
		}
		var s fnSeen
		if err := json.Unmarshal([]byte(body), &s); err != nil {
			t.Fatalf("%v: %s", err, body)
		}
		if s.Version != "2.0" || s.Method != "POST" || s.Path != "/prod/orders/7" || s.Query["x"] != "1,2" ||
			s.Body != `{"n":1}` || s.Base64 || strings.Join(s.Cookies, "|") != "s=1|t=2" || s.StageVars["alias"] != "live" {
			t.Errorf("event as seen by the function: %+v", s)
		}
		if s.RequestID != resp.Header.Get("Apigw-Requestid") || s.RequestID == "" {
			t.Errorf("requestId %q, header %q", s.RequestID, resp.Header.Get("Apigw-Requestid"))
		}
		if s.AwsRequest == "" || !strings.HasSuffix(s.FunctionARN, ":function:orders") || !s.HasDeadline {
			t.Errorf("lambda context: %+v", s)
		}
	})

	t.Run("REST 1.0 round trip", func(t *testing.T) {
		srv := rieAPI(t, gateway.RESTAPI, rie.Endpoint, 0)
		resp, body := do(t, "GET", srv.URL+"/prod/items/a%2Bb?q=x+y", "", nil)
		if resp.StatusCode != 201 {
			t.Fatalf("status %d, body %s", resp.StatusCode, body)
		}
		if got := resp.Header.Values("X-Multi"); strings.Join(got, ",") != "one,two" {
			t.Errorf("X-Multi %q", got)
		}
		if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("Content-Type %q, want the 1.0 default application/json", ct)
		}
		var s fnSeen
		if err := json.Unmarshal([]byte(body), &s); err != nil {
			t.Fatalf("%v: %s", err, body)
		}
		if s.Version != "1.0" || s.Method != "GET" || s.Path != "/items/a%2Bb" || s.Query["q"] != "x y" || s.Body != "" {
			t.Errorf("event as seen by the function: %+v", s)
		}
	})

	t.Run("bare string inferred on 2.0", func(t *testing.T) {
		srv := rieAPI(t, gateway.HTTPAPI, rie.Endpoint, 0)
		resp, body := do(t, "GET", srv.URL+"/prod/bare", "", nil)
		if resp.StatusCode != 200 || body != "just a string" || resp.Header.Get("Content-Type") != "application/json" {
			t.Errorf("got %d %q %v", resp.StatusCode, body, resp.Header)
		}
	})

	for _, tc := range []struct {
		name    string
		profile gateway.Profile
		path    string
		status  int
		body    string
	}{
		{"function error HTTP API", gateway.HTTPAPI, "/prod/error", 500, `{"message":"Internal Server Error"}`},
		{"function error REST", gateway.RESTAPI, "/prod/error", 502, `{"message": "Internal server error"}`},
		{"panic REST", gateway.RESTAPI, "/prod/panic", 502, `{"message": "Internal server error"}`},
		{"panic HTTP API", gateway.HTTPAPI, "/prod/panic", 500, `{"message":"Internal Server Error"}`},
		{"malformed 1.0 (bare string) REST", gateway.RESTAPI, "/prod/bare", 502, `{"message": "Internal server error"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := rieAPI(t, tc.profile, rie.Endpoint, 0)
			resp, body := do(t, "GET", srv.URL+tc.path, "", nil)
			if resp.StatusCode != tc.status || body != tc.body {
				t.Errorf("got %d %s, want %d %s", resp.StatusCode, body, tc.status, tc.body)
			}
		})
	}

	t.Run("function missing is a configuration error", func(t *testing.T) {
		inv, err := integration.LambdaInvoke(integration.LambdaInvokeConfig{
			FunctionName: "${stageVariables.missing}", Endpoint: rie.Endpoint, Credentials: staticCreds,
		})
		if err != nil {
			t.Fatal(err)
		}
		api := gateway.New("cfg", gateway.Config{Profile: gateway.RESTAPI})
		if err := api.Handle("GET /x", inv); err != nil {
			t.Fatal(err)
		}
		if _, err := api.Deploy("prod", nil); err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(api)
		defer srv.Close()
		resp, body := do(t, "GET", srv.URL+"/prod/x", "", nil)
		if resp.StatusCode != 500 || body != `{"message": "Internal server error"}` {
			t.Errorf("got %d %s", resp.StatusCode, body)
		}
	})
}

// TestLambdaInvokeRIETimeouts runs on an emulator of its own: after a
// gateway timeout the emulator is still busy with the invocation.
func TestLambdaInvokeRIETimeouts(t *testing.T) {
	lambdatest.RIEPath(t) // skip (or fail under CI=true) before building
	bin := lambdatest.Build(t, "./testdata/lambda/fn")
	rie := lambdatest.StartRIE(t, bin, lambdatest.Options{FunctionTimeout: 2 * time.Second})

	// The statuses tell the two timeouts apart without timing anything: on
	// REST a function error is 502 while the integration timeout is 504; on
	// an HTTP API a function error is 500 while the integration timeout is
	// 503.
	t.Run("function timeout is a function error", func(t *testing.T) {
		srv := rieAPI(t, gateway.RESTAPI, rie.Endpoint, 0)
		resp, body := do(t, "GET", srv.URL+"/prod/sleep", "", nil)
		if resp.StatusCode != 502 || body != `{"message": "Internal server error"}` {
			t.Errorf("got %d %s", resp.StatusCode, body)
		}
	})

	t.Run("integration timeout", func(t *testing.T) {
		srv := rieAPI(t, gateway.HTTPAPI, rie.Endpoint, 200*time.Millisecond)
		resp, body := do(t, "GET", srv.URL+"/prod/sleep", "", nil)
		if resp.StatusCode != 503 || body != `{"message":"Service Unavailable"}` {
			t.Errorf("got %d %s", resp.StatusCode, body)
		}
	})
}
