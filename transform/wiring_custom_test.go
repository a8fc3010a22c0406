package transform_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/integration"
	"github.com/gatewaykit/gateway/transform"
)

func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec
}

func TestCustomHTTPIntegration(t *testing.T) {
	reqTmpl, reqWant := wiringCase(t, "request-basic")
	listTmpl, listWant := wiringCase(t, "response-list")
	type seen struct {
		method, path, query, body, contentType, header, clientHeader string
	}
	got := make(chan seen, 1)
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- seen{r.Method, r.URL.EscapedPath(), r.URL.RawQuery, string(b), r.Header.Get("Content-Type"), r.Header.Get("X-Q"), r.Header.Get("X-Client")}
		w.Header().Set("X-Backend-Id", "b-9")
		switch r.URL.Query().Get("status") {
		case "404":
			w.WriteHeader(404)
			_, _ = io.WriteString(w, `{"message":"no pet"}`)
		default:
			_, _ = io.WriteString(w, `{"items":[{"name":"Rex"},{"name":"Tom"}]}`)
		}
	}))
	defer backend.Close()

	h, err := integration.NewCustomHTTP(integration.CustomHTTPConfig{
		URI:    backend.URL + "/${stageVariables.env}/pets/{petId}?fixed=1",
		Method: "POST",
		Mapping: transform.MappingConfig{
			RequestTemplates: map[string]string{"application/json": reqTmpl},
			RequestParameters: map[string]string{
				"integration.request.path.petId":         "method.request.path.id",
				"integration.request.header.X-Q":         "method.request.querystring.q",
				"integration.request.querystring.status": "method.request.querystring.status",
			},
			Responses: []transform.IntegrationResponse{
				{StatusCode: 200, ResponseTemplates: map[string]string{"application/json": listTmpl},
					ResponseParameters: map[string]string{"method.response.header.X-Id": "integration.response.header.X-Backend-Id"}},
				{SelectionPattern: `4\d\d`, StatusCode: 404, ResponseTemplates: map[string]string{"application/json": `{"error": $input.json('$.message')}`}},
			},
		},
	})
	if err != nil {
		t.Fatal(err)
	}

	r := caseRequest("GET", "/pets/7?q=dogs", "application/json", `{"a": [1, 2], "s": "x"}`)
	r.Header.Set("X-Client", "not forwarded")
	rec := serve(h, r)
	if rec.Code != 200 || rec.Body.String() != listWant || rec.Header().Get("X-Id") != "b-9" {
		t.Errorf("got %d %s %v\nwant 200 %s", rec.Code, rec.Body, rec.Header(), listWant)
	}
	s := <-got
	want := seen{"POST", "/prod/pets/7", "fixed=1", reqWant, "application/json", "dogs", ""}
	if s != want {
		t.Errorf("backend saw\n%+v\nwant\n%+v", s, want)
	}

	rec = serve(h, caseRequest("GET", "/pets/7?q=dogs&status=404", "", ""))
	<-got
	if rec.Code != 404 || rec.Body.String() != `{"error": "no pet"}` {
		t.Errorf("404: got %d %s", rec.Code, rec.Body)
	}

	// A mapped path value cannot step outside the URI's path.
	rec = serve(h, caseRequest("GET", "/pets/x", "", "", gateway.Param{Name: "id", Value: ".."}))
	if rec.Code != 400 {
		t.Errorf("dot segment: got %d %s", rec.Code, rec.Body)
	}
	select {
	case s := <-got:
		t.Errorf("the backend was called with %+v", s)
	default:
	}
	// A value with a slash stays one path segment.
	rec = serve(h, caseRequest("GET", "/pets/x", "", "", gateway.Param{Name: "id", Value: "a/b"}))
	if s := <-got; s.path != "/prod/pets/a%2Fb" || rec.Code != 200 {
		t.Errorf("slash: backend path %q, status %d", s.path, rec.Code)
	}
}

func TestCustomHTTPUnreachable(t *testing.T) {
	backend := httptest.NewServer(http.NotFoundHandler())
	url := backend.URL
	backend.Close()
	h, err := integration.NewCustomHTTP(integration.CustomHTTPConfig{URI: url + "/x"})
	if err != nil {
		t.Fatal(err)
	}
	st := restAPI(t, "GET /x", h)
	rec := serve(st, httptest.NewRequest("GET", "/x", nil))
	if rec.Code != 502 {
		t.Errorf("got %d %s", rec.Code, rec.Body)
	}
}

func TestNewCustomHTTPErrors(t *testing.T) {
	for _, cfg := range []integration.CustomHTTPConfig{
		{URI: "ftp://x/y"},
		{URI: "/relative"},
		{URI: "http://x/{unterminated"},
		{URI: "http://x/", Timeout: 1},
		{URI: "http://x/", Mapping: transform.MappingConfig{PassthroughBehavior: "x"}},
	} {
		if _, err := integration.NewCustomHTTP(cfg); err == nil {
			t.Errorf("%+v: want an error", cfg)
		}
	}
}

func TestCustomLambdaIntegration(t *testing.T) {
	reqTmpl, reqWant := wiringCase(t, "lambda-request")
	errTmpl, errWant := wiringCase(t, "lambda-error")
	var payloads []string
	fn := func(_ context.Context, payload []byte) ([]byte, error) {
		payloads = append(payloads, string(payload))
		switch {
		case strings.Contains(string(payload), `"petId": 7`):
			msg := "Not found: pet 7" // as the function reports it
			return nil, errors.New(msg)
		case strings.Contains(string(payload), `"petId": 8`):
			return nil, errors.New("boom")
		}
		return []byte(`{"id":1}`), nil
	}
	h, err := integration.NewCustomLambda(fn, transform.MappingConfig{
		RequestTemplates: map[string]string{"application/json": reqTmpl},
		Responses: []transform.IntegrationResponse{
			{StatusCode: 200},
			{SelectionPattern: "Not found.*", StatusCode: 404, ResponseTemplates: map[string]string{"application/json": errTmpl}},
			// "200" would match a status code, never an errorMessage.
			{SelectionPattern: "200", StatusCode: 500},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	body := `{"name":"Rex \"the dog\""}`
	rec := serve(h, caseRequest("POST", "/pets/7", "application/json", body))
	if rec.Code != 404 || rec.Body.String() != errWant {
		t.Errorf("error: got %d %s\nwant 404 %s", rec.Code, rec.Body, errWant)
	}
	if len(payloads) != 1 || payloads[0] != reqWant {
		t.Errorf("payload %q, want %q", payloads, reqWant)
	}
	rec = serve(h, caseRequest("POST", "/pets/8", "application/json", body, gateway.Param{Name: "id", Value: "8"}))
	if rec.Code != 200 || rec.Body.String() != `{"errorMessage":"boom","errorType":"errorString"}` {
		t.Errorf("unmatched error: got %d %s", rec.Code, rec.Body)
	}
	rec = serve(h, caseRequest("POST", "/pets/9", "application/json", body, gateway.Param{Name: "id", Value: "9"}))
	if rec.Code != 200 || rec.Body.String() != `{"id":1}` {
		t.Errorf("success: got %d %s", rec.Code, rec.Body)
	}
	if _, err := integration.NewCustomLambda(nil, transform.MappingConfig{}); err == nil {
		t.Error("nil function: want an error")
	}
}

// The REST API CORS pattern: OPTIONS answered by a mock whose request
// template picks the integration response, which sets the CORS headers.
func TestCustomMockCORS(t *testing.T) {
	failTmpl, failWant := wiringCase(t, "mock-request")
	if failWant != `{"statusCode": 500}` {
		t.Fatalf("oracle output %q", failWant)
	}
	respTmpl, respWant := wiringCase(t, "mock-response")
	cors, err := integration.NewCustomMock(transform.MappingConfig{
		RequestTemplates: map[string]string{"application/json": `{"statusCode": 200}`},
		Responses: []transform.IntegrationResponse{{
			StatusCode: 200,
			ResponseParameters: map[string]string{
				"method.response.header.Access-Control-Allow-Origin":  "'*'",
				"method.response.header.Access-Control-Allow-Methods": "'GET,OPTIONS'",
				"method.response.header.Access-Control-Allow-Headers": "'Content-Type,X-Amz-Date,Authorization,X-Api-Key'",
			},
			ResponseTemplates: map[string]string{"application/json": ""},
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	ping, err := integration.NewCustomMock(transform.MappingConfig{
		RequestTemplates: map[string]string{"application/json": failTmpl},
		Responses: []transform.IntegrationResponse{
			{StatusCode: 200, ResponseTemplates: map[string]string{"application/json": respTmpl}},
			{SelectionPattern: `5\d\d`, StatusCode: 503, ResponseTemplates: map[string]string{"application/json": `{"message": "down"}`}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	noStatus, err := integration.NewCustomMock(transform.MappingConfig{})
	if err != nil {
		t.Fatal(err)
	}
	api := gateway.New("t", gateway.Config{Profile: gateway.RESTAPI})
	for key, h := range map[string]http.Handler{"OPTIONS /pets": cors, "GET /ping": ping, "GET /nostatus": noStatus} {
		if err := api.Handle(key, h); err != nil {
			t.Fatal(err)
		}
	}
	st, err := api.Deploy("test", nil)
	if err != nil {
		t.Fatal(err)
	}
	rec := serve(st, httptest.NewRequest("OPTIONS", "/pets", nil))
	if rec.Code != 200 || rec.Body.Len() != 0 || rec.Header().Get("Access-Control-Allow-Origin") != "*" ||
		rec.Header().Get("Access-Control-Allow-Methods") != "GET,OPTIONS" {
		t.Errorf("preflight: got %d %q %v", rec.Code, rec.Body, rec.Header())
	}
	rec = serve(st, httptest.NewRequest("GET", "/ping?fail=yes", nil))
	if rec.Code != 503 || rec.Body.String() != `{"message": "down"}` {
		t.Errorf("fail: got %d %s", rec.Code, rec.Body)
	}
	rec = serve(st, httptest.NewRequest("GET", "/ping", nil))
	// The oracle rendered this response template with $context.stage
	// "test", the stage deployed here.
	if rec.Code != 200 || rec.Body.String() != respWant {
		t.Errorf("ok: got %d %s, want %s", rec.Code, rec.Body, respWant)
	}
	rec = serve(st, httptest.NewRequest("GET", "/nostatus", nil))
	if rec.Code != 500 {
		t.Errorf("no statusCode: got %d %s", rec.Code, rec.Body)
	}
}

func TestCustomHTTPTimeout(t *testing.T) {
	release := make(chan struct{})
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer backend.Close()
	defer close(release)
	h, err := integration.NewCustomHTTP(integration.CustomHTTPConfig{URI: backend.URL})
	if err != nil {
		t.Fatal(err)
	}
	st := restAPI(t, "GET /slow", h, gateway.WithTimeout(50*time.Millisecond))
	rec := serve(st, httptest.NewRequest("GET", "/slow", nil))
	if rec.Code != 504 || rec.Body.String() != `{"message": "Endpoint request timed out"}` {
		t.Errorf("got %d %s", rec.Code, rec.Body)
	}
}

// A Lambda function that outlives the integration timeout: the gateway
// answers 504 and the integration's late answer is dropped.
func TestCustomLambdaTimeout(t *testing.T) {
	h, err := integration.NewCustomLambda(func(ctx context.Context, _ []byte) ([]byte, error) {
		<-ctx.Done()
		return nil, errors.New("too late")
	}, transform.MappingConfig{})
	if err != nil {
		t.Fatal(err)
	}
	st := restAPI(t, "GET /slow", h, gateway.WithTimeout(50*time.Millisecond))
	for range 3 {
		rec := serve(st, httptest.NewRequest("GET", "/slow", nil))
		if rec.Code != 504 || rec.Body.String() != `{"message": "Endpoint request timed out"}` {
			t.Errorf("got %d %s", rec.Code, rec.Body)
		}
	}
}

// An exported integration's httpMethod ANY sends the client's method, as
// the HTTP proxy does; a named method replaces it.
func TestCustomHTTPMethodANY(t *testing.T) {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"m":"` + r.Method + `"}`))
	}))
	defer backend.Close()
	for method, want := range map[string]string{"ANY": "DELETE", "any": "DELETE", "": "DELETE", "POST": "POST"} {
		h, err := integration.NewCustomHTTP(integration.CustomHTTPConfig{URI: backend.URL + "/x", Method: method})
		if err != nil {
			t.Fatal(err)
		}
		rec := serve(restAPI(t, "DELETE /x", h), httptest.NewRequest("DELETE", "/x", nil))
		if rec.Code != 200 || rec.Body.String() != `{"m":"`+want+`"}` {
			t.Errorf("Method %q: %d %s, want %s", method, rec.Code, rec.Body, want)
		}
	}
}
