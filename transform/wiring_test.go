package transform_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/integration"
	"github.com/gatewaykit/gateway/transform"
)

// wiringCase returns the template and the oracle's output (Apache
// Velocity 1.7) of testdata/wiring/NAME.json. The requests the tests build
// carry the same parameters, $context and $stageVariables as the case.
func wiringCase(t testing.TB, name string) (template, expected string) {
	t.Helper()
	c, err := transform.ReadCase(filepath.Join("testdata", "wiring", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	if !c.HasExpected {
		t.Fatalf("%s: no expected output", name)
	}
	return c.Template, c.Expected
}

// caseRequest builds the method request of the wiring cases: stage
// "test", requestId r-1, source IP 192.0.2.1, stage variable env=prod,
// path parameter id=7 unless path says otherwise.
func caseRequest(method, target, contentType, body string, path ...gateway.Param) *http.Request {
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	if path == nil {
		path = []gateway.Param{{Name: "id", Value: "7", Raw: "7"}}
	}
	rc := &gateway.RequestContext{
		RequestID:      "r-1",
		Stage:          "test",
		Identity:       gateway.Identity{SourceIP: "192.0.2.1"},
		StageVariables: gateway.StageVariables{"env": "prod"},
		PathParameters: path,
	}
	return r.WithContext(gateway.NewContext(r.Context(), rc))
}

func TestMapRequestTemplate(t *testing.T) {
	tmpl, want := wiringCase(t, "request-basic")
	m := transform.MustNewMapping(transform.MappingConfig{RequestTemplates: map[string]string{"application/json": tmpl}})
	r := caseRequest("POST", "/pets/7?q=dogs", "application/json; charset=UTF-8", `{"a": [1, 2], "s": "x"}`)
	breq, err := m.MapRequest(r)
	if err != nil {
		t.Fatal(err)
	}
	if string(breq.Body) != want {
		t.Errorf("body\n got %s\nwant %s", breq.Body, want)
	}
	if breq.ContentType != "application/json" {
		t.Errorf("content type %q", breq.ContentType)
	}
	if len(breq.Header) != 0 || len(breq.Query) != 0 {
		t.Errorf("unmapped parameters forwarded: %v %v", breq.Header, breq.Query)
	}
}

func TestMapRequestOverrides(t *testing.T) {
	tmpl, want := wiringCase(t, "request-override")
	m := transform.MustNewMapping(transform.MappingConfig{
		RequestTemplates: map[string]string{"application/json": tmpl},
		RequestParameters: map[string]string{
			"integration.request.header.X-Trace":     "'from-mapping'",
			"integration.request.querystring.page":   "'1'",
			"integration.request.path.id":            "method.request.path.id",
			"integration.request.header.X-Untouched": "'kept'",
		},
	})
	breq, err := m.MapRequest(caseRequest("POST", "/pets/7", "", ""))
	if err != nil {
		t.Fatal(err)
	}
	if string(breq.Body) != want {
		t.Errorf("body %q, want %q", breq.Body, want)
	}
	if got := breq.Header.Get("X-Trace"); got != "t-7" {
		t.Errorf("X-Trace %q: the override must win over the mapping", got)
	}
	if got := breq.Header.Get("X-Untouched"); got != "kept" {
		t.Errorf("X-Untouched %q", got)
	}
	if got := breq.Query.Get("page"); got != "2" {
		t.Errorf("page %q", got)
	}
	if got := breq.Path["id"]; got != "99" {
		t.Errorf("path id %q", got)
	}
}

func TestPassthroughBehavior(t *testing.T) {
	const (
		transformed = "transformed"
		passed      = "passed"
		refused     = "415"
	)
	jsonOnly := map[string]string{"application/json": transformed}
	xmlOnly := map[string]string{"application/xml": transformed}
	// The table of the API Gateway documentation
	// (integration-passthrough-behaviors).
	tests := []struct {
		templates   map[string]string
		contentType string
		want        [3]string // WHEN_NO_MATCH, WHEN_NO_TEMPLATES, NEVER
	}{
		{jsonOnly, "", [3]string{transformed, transformed, transformed}},
		{jsonOnly, "application/json", [3]string{transformed, transformed, transformed}},
		{jsonOnly, "Application/JSON; charset=UTF-8", [3]string{transformed, transformed, transformed}},
		{jsonOnly, "application/xml", [3]string{passed, refused, refused}},
		{xmlOnly, "", [3]string{passed, refused, refused}},
		{xmlOnly, "application/json", [3]string{passed, refused, refused}},
		{nil, "application/json", [3]string{passed, passed, refused}},
		{nil, "text/plain", [3]string{passed, passed, refused}},
	}
	behaviors := []transform.PassthroughBehavior{transform.WhenNoMatch, transform.WhenNoTemplates, transform.Never}
	for _, tt := range tests {
		for i, b := range behaviors {
			m := transform.MustNewMapping(transform.MappingConfig{RequestTemplates: tt.templates, PassthroughBehavior: b})
			breq, err := m.MapRequest(caseRequest("POST", "/", tt.contentType, passed))
			got := ""
			switch {
			case err == nil:
				got = string(breq.Body)
			case isType(err, gateway.ResponseUnsupportedMediaType):
				got = refused
			default:
				got = err.Error()
			}
			if got != tt.want[i] {
				t.Errorf("templates %v, Content-Type %q, %s: got %s, want %s", tt.templates, tt.contentType, b, got, tt.want[i])
			}
		}
	}
	// And through a stage: 415 with AWS's body.
	m := transform.MustNewMapping(transform.MappingConfig{RequestTemplates: jsonOnly, PassthroughBehavior: transform.Never})
	st := restAPI(t, "POST /x", m.Handler(echoBackend()))
	r := httptest.NewRequest("POST", "/x", strings.NewReader("<a/>"))
	r.Header.Set("Content-Type", "application/xml")
	rec := httptest.NewRecorder()
	st.ServeHTTP(rec, r)
	if rec.Code != 415 || rec.Body.String() != `{"message":"Unsupported Media Type"}` {
		t.Errorf("got %d %s", rec.Code, rec.Body)
	}
}

func isType(err error, t gateway.ResponseType) bool {
	ge, ok := err.(*gateway.Error)
	return ok && ge.Type == t
}

// echoBackend answers 200 with the integration request body.
func echoBackend() transform.Backend {
	return transform.BackendFunc(func(_ context.Context, req *transform.BackendRequest) (*transform.BackendResponse, error) {
		return &transform.BackendResponse{StatusCode: 200, Body: req.Body, Header: http.Header{"Content-Type": {req.ContentType}}}, nil
	})
}

func TestRequestParameterMappings(t *testing.T) {
	m := transform.MustNewMapping(transform.MappingConfig{RequestParameters: map[string]string{
		"integration.request.header.x-q":                   "method.request.querystring.q",
		"integration.request.header.x-agent":               "method.request.header.User-Agent",
		"integration.request.header.x-id":                  "method.request.path.id",
		"integration.request.header.x-literal":             "'static value'",
		"integration.request.header.x-request-id":          "context.requestId",
		"integration.request.header.x-source-ip":           "context.identity.sourceIp",
		"integration.request.header.x-env":                 "stageVariables.env",
		"integration.request.header.x-name":                "method.request.body.pet.name",
		"integration.request.header.x-tags":                "method.request.body.pet.tags",
		"integration.request.header.x-missing":             "method.request.querystring.nope",
		"integration.request.querystring.all":              "method.request.multivaluequerystring.tag",
		"integration.request.querystring.one":              "method.request.querystring.tag",
		"integration.request.multivaluequerystring.copies": "method.request.multivaluequerystring.tag",
		"integration.request.multivalueheader.x-accept":    "method.request.multivalueheader.Accept",
		"integration.request.path.petId":                   "method.request.path.id",
		"integration.request.querystring.raw":              "method.request.body",
	}})
	body := `{"pet":{"name":"Rex","tags":["a","b"]}}`
	r := caseRequest("POST", "/pets/7?q=dogs&tag=a&tag=b", "application/json", body)
	r.Header.Set("User-Agent", "test-agent")
	r.Header.Add("Accept", "text/html")
	r.Header.Add("Accept", "application/json")
	breq, err := m.MapRequest(r)
	if err != nil {
		t.Fatal(err)
	}
	wantHeader := map[string][]string{
		"X-Q": {"dogs"}, "X-Agent": {"test-agent"}, "X-Id": {"7"}, "X-Literal": {"static value"},
		"X-Request-Id": {"r-1"}, "X-Source-Ip": {"192.0.2.1"}, "X-Env": {"prod"}, "X-Name": {"Rex"},
		"X-Tags": {`["a","b"]`}, "X-Accept": {"text/html", "application/json"},
	}
	for k, want := range wantHeader {
		if got := breq.Header.Values(k); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("header %s = %q, want %q", k, got, want)
		}
	}
	if _, ok := breq.Header["X-Missing"]; ok {
		t.Error("a source without value must leave the parameter unset")
	}
	if got := breq.Query["all"]; len(got) != 1 {
		t.Errorf("single-value destination from a multivalue source: %q", got)
	}
	if got := breq.Query["copies"]; strings.Join(got, ",") != "a,b" {
		t.Errorf("multivalue destination: %q", got)
	}
	if got := breq.Query.Get("one"); got != "b" {
		t.Errorf("single-value querystring source takes the last value, got %q", got)
	}
	if got := breq.Query.Get("raw"); got != body {
		t.Errorf("method.request.body = %q", got)
	}
	if got := breq.Path["petId"]; got != "7" {
		t.Errorf("path petId %q", got)
	}
	if string(breq.Body) != body {
		t.Errorf("no templates: the body passes through, got %q", breq.Body)
	}
}

func TestResponseSelectionAndMapping(t *testing.T) {
	listTmpl, listWant := wiringCase(t, "response-list")
	ovTmpl, ovWant := wiringCase(t, "response-override")
	m := transform.MustNewMapping(transform.MappingConfig{Responses: []transform.IntegrationResponse{
		{StatusCode: 200, ResponseTemplates: map[string]string{"application/json": listTmpl}},
		{SelectionPattern: "40", StatusCode: 418}, // must not match 404: whole-string match
		{SelectionPattern: `4\d{2}`, StatusCode: 400, ResponseTemplates: map[string]string{"application/json": `{"error": "bad request"}`}},
		{SelectionPattern: "5.*", StatusCode: 502,
			ResponseParameters: map[string]string{
				"method.response.header.X-Backend":  "integration.response.header.X-Server",
				"method.response.header.X-All":      "integration.response.multivalueheader.X-Multi",
				"method.response.header.X-Code":     "integration.response.body.error.code",
				"method.response.header.X-Body":     "integration.response.body",
				"method.response.header.X-Literal":  "'fixed'",
				"method.response.header.X-Request":  "context.requestId",
				"method.response.header.X-Env":      "stageVariables.env",
				"method.response.header.X-Nothing":  "integration.response.header.Absent",
				"method.response.header.Set-Cookie": "'a=b'",
			}},
		{SelectionPattern: "201", StatusCode: 200, ResponseTemplates: map[string]string{"application/json": ovTmpl}},
	}})
	var backend transform.BackendFunc = func(_ context.Context, req *transform.BackendRequest) (*transform.BackendResponse, error) {
		status := req.MethodRequest.URL.Query().Get("status")
		h := http.Header{"X-Server": {"s1"}, "X-Multi": {"a", "b"}, "Content-Type": {"application/json"}}
		switch status {
		case "404":
			return &transform.BackendResponse{StatusCode: 404, Header: h, Body: []byte(`{"x":1}`)}, nil
		case "503":
			return &transform.BackendResponse{StatusCode: 503, Header: h, Body: []byte(`{"error":{"code":"E42"}}`)}, nil
		case "201":
			return &transform.BackendResponse{StatusCode: 201, Header: h, Body: []byte(`{"id":"p-1"}`)}, nil
		}
		return &transform.BackendResponse{StatusCode: 200, Header: h, Body: []byte(`{"items":[{"name":"Rex"},{"name":"Tom"}]}`)}, nil
	}
	h := m.Handler(backend)
	tests := []struct {
		status     string
		wantStatus int
		wantBody   string
		wantHeader map[string]string
	}{
		{"200", 200, listWant, map[string]string{"Content-Type": "application/json"}},
		{"404", 400, `{"error": "bad request"}`, nil},
		{"503", 502, `{"error":{"code":"E42"}}`, map[string]string{
			"X-Backend": "s1", "X-All": "a", "X-Code": "E42", "X-Body": `{"error":{"code":"E42"}}`,
			"X-Literal": "fixed", "X-Request": "r-1", "X-Env": "prod", "X-Nothing": "", "Set-Cookie": "a=b",
		}},
		{"201", 201, ovWant, map[string]string{"X-Done": "yes"}},
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, caseRequest("GET", "/pets/7?q=dogs&status="+tt.status, "", ""))
		if rec.Code != tt.wantStatus || rec.Body.String() != tt.wantBody {
			t.Errorf("backend %s: got %d %s\nwant %d %s", tt.status, rec.Code, rec.Body, tt.wantStatus, tt.wantBody)
		}
		if tt.status == "503" && strings.Join(rec.Header().Values("X-All"), ",") != "a,b" {
			t.Errorf("multivalueheader source: %q", rec.Header().Values("X-All"))
		}
		for k, v := range tt.wantHeader {
			if got := rec.Header().Get(k); got != v {
				t.Errorf("backend %s: header %s = %q, want %q", tt.status, k, got, v)
			}
		}
	}
}

func TestResponseTemplateByAccept(t *testing.T) {
	m := transform.MustNewMapping(transform.MappingConfig{Responses: []transform.IntegrationResponse{{
		ResponseTemplates: map[string]string{"application/xml": "<xml/>", "text/plain": "text", "application/json": "json"},
	}}})
	onlyXML := transform.MustNewMapping(transform.MappingConfig{Responses: []transform.IntegrationResponse{{
		ResponseTemplates: map[string]string{"text/plain": "text", "application/xml": "<xml/>"},
	}}})
	tests := []struct {
		m                 *transform.Mapping
		accept, body, ctp string
	}{
		{m, "", "json", "application/json"},
		{m, "application/xml", "<xml/>", "application/xml"},
		{m, "text/plain; q=0.9, application/xml", "text", "text/plain"},
		{m, "image/png", "json", "application/json"},
		{onlyXML, "image/png", "<xml/>", "application/xml"}, // the first by content type
	}
	for _, tt := range tests {
		r := caseRequest("GET", "/", "", "")
		if tt.accept != "" {
			r.Header.Set("Accept", tt.accept)
		}
		rec := httptest.NewRecorder()
		tt.m.Handler(echoBackend()).ServeHTTP(rec, r)
		if rec.Body.String() != tt.body || rec.Header().Get("Content-Type") != tt.ctp {
			t.Errorf("Accept %q: got %s (%s), want %s (%s)", tt.accept, rec.Body, rec.Header().Get("Content-Type"), tt.body, tt.ctp)
		}
	}
}

func TestNoIntegrationResponseSelected(t *testing.T) {
	m := transform.MustNewMapping(transform.MappingConfig{Responses: []transform.IntegrationResponse{
		{SelectionPattern: "2\\d\\d", StatusCode: 200},
	}})
	st := restAPI(t, "GET /x", m.Handler(transform.BackendFunc(func(context.Context, *transform.BackendRequest) (*transform.BackendResponse, error) {
		return &transform.BackendResponse{StatusCode: 500}, nil
	})))
	rec := httptest.NewRecorder()
	st.ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
	if rec.Code != 500 || rec.Body.String() != `{"message": "Internal server error"}` {
		t.Errorf("got %d %s", rec.Code, rec.Body)
	}
}

func TestBackendErrors(t *testing.T) {
	m := transform.MustNewMapping(transform.MappingConfig{})
	for _, tt := range []struct {
		err  error
		want int
	}{
		{io.ErrUnexpectedEOF, 502},
		{context.DeadlineExceeded, 504},
		{gateway.ResponseThrottled, 429},
	} {
		st := restAPI(t, "GET /x", m.Handler(transform.BackendFunc(func(context.Context, *transform.BackendRequest) (*transform.BackendResponse, error) {
			return nil, tt.err
		})))
		rec := httptest.NewRecorder()
		st.ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
		if rec.Code != tt.want {
			t.Errorf("%v: got %d, want %d", tt.err, rec.Code, tt.want)
		}
	}
}

func TestTemplateRenderErrorIs500(t *testing.T) {
	m := transform.MustNewMapping(transform.MappingConfig{
		RequestTemplates: map[string]string{"application/json": `#foreach($i in [1..5000])x#end`},
	})
	st := restAPI(t, "POST /x", m.Handler(echoBackend()))
	rec := httptest.NewRecorder()
	st.ServeHTTP(rec, httptest.NewRequest("POST", "/x", strings.NewReader("{}")))
	if rec.Code != 500 {
		t.Errorf("got %d %s", rec.Code, rec.Body)
	}
}

func TestNewMappingErrors(t *testing.T) {
	for name, cfg := range map[string]transform.MappingConfig{
		"passthrough":       {PassthroughBehavior: "SOMETIMES"},
		"template syntax":   {RequestTemplates: map[string]string{"application/json": "#if("}},
		"duplicate type":    {RequestTemplates: map[string]string{"application/json": "a", "Application/JSON": "b"}},
		"param key":         {RequestParameters: map[string]string{"integration.request.body.x": "'a'"}},
		"param key prefix":  {RequestParameters: map[string]string{"method.request.header.x": "'a'"}},
		"param name":        {RequestParameters: map[string]string{"integration.request.header.a b": "'a'"}},
		"param source":      {RequestParameters: map[string]string{"integration.request.header.x": "method.request.cookie.y"}},
		"response source":   {RequestParameters: map[string]string{"integration.request.header.x": "integration.response.body"}},
		"body path":         {RequestParameters: map[string]string{"integration.request.header.x": "method.request.body.[["}},
		"pattern":           {Responses: []transform.IntegrationResponse{{SelectionPattern: "(", StatusCode: 400}}},
		"java pattern":      {Responses: []transform.IntegrationResponse{{SelectionPattern: "a**", StatusCode: 400}}},
		"two defaults":      {Responses: []transform.IntegrationResponse{{StatusCode: 200}, {StatusCode: 201}}},
		"status":            {Responses: []transform.IntegrationResponse{{StatusCode: 99}}},
		"response key":      {Responses: []transform.IntegrationResponse{{ResponseParameters: map[string]string{"method.response.body": "'x'"}}}},
		"response template": {Responses: []transform.IntegrationResponse{{ResponseTemplates: map[string]string{"application/json": "$"}}}},
		"request source in response": {Responses: []transform.IntegrationResponse{{ResponseParameters: map[string]string{
			"method.response.header.x": "method.request.header.y"}}}},
	} {
		if _, err := transform.NewMapping(cfg); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
}

func TestContextAuthorizerAndEpoch(t *testing.T) {
	tmpl, want := wiringCase(t, "context-authorizer")
	m := transform.MustNewMapping(transform.MappingConfig{RequestTemplates: map[string]string{"application/json": tmpl}})
	r := httptest.NewRequest("GET", "/", nil)
	rc := &gateway.RequestContext{
		RequestTime: time.UnixMilli(1700000000000),
		Authorizer: &gateway.AuthorizerOutput{
			PrincipalID: "user-1",
			Claims:      map[string]any{"sub": "abc"},
			Context:     map[string]any{"tier": "gold"},
		},
	}
	breq, err := m.MapRequest(r.WithContext(gateway.NewContext(r.Context(), rc)))
	if err != nil {
		t.Fatal(err)
	}
	if string(breq.Body) != want {
		t.Errorf("got  %s\nwant %s", breq.Body, want)
	}
}

// A Mapping works without a gateway stage: $context and $stageVariables
// are then empty.
func TestMappingStandalone(t *testing.T) {
	tmpl, want := wiringCase(t, "standalone")
	m := transform.MustNewMapping(transform.MappingConfig{RequestTemplates: map[string]string{"application/json": tmpl}})
	rec := serve(m.Handler(echoBackend()), httptest.NewRequest("GET", "/?q=x", nil))
	if rec.Code != 200 || rec.Body.String() != want {
		t.Errorf("got %d %s, want %s", rec.Code, rec.Body, want)
	}
}

// Mapping as PhaseMapping middleware around a plain handler integration.
func TestMappingMiddleware(t *testing.T) {
	reqTmpl, reqWant := wiringCase(t, "request-basic")
	listTmpl, listWant := wiringCase(t, "response-list")
	m := transform.MustNewMapping(transform.MappingConfig{
		RequestTemplates: map[string]string{"application/json": reqTmpl},
		RequestParameters: map[string]string{
			"integration.request.header.X-Q":    "method.request.querystring.q",
			"integration.request.path.petId":    "method.request.path.id",
			"integration.request.querystring.s": "'1'",
		},
		Responses: []transform.IntegrationResponse{
			{StatusCode: 200, ResponseTemplates: map[string]string{"application/json": listTmpl}},
			{SelectionPattern: `4\d\d`, StatusCode: 400, ResponseParameters: map[string]string{"method.response.header.X-Why": "integration.response.header.X-Why"}},
		},
	})
	var seen string
	backend := integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		seen = fmt.Sprintf("%s|%s|%s|%s|%s|%s", b, r.Header.Get("X-Q"), r.Header.Get("X-Client"), r.URL.RawQuery, r.PathValue("petId"), r.Header.Get("Content-Type"))
		if r.Header.Get("X-Q") == "bad" {
			w.Header().Set("X-Why", "no")
			w.WriteHeader(404)
			return
		}
		if r.Header.Get("X-Q") == "slow" {
			<-r.Context().Done()
			return
		}
		_, _ = io.WriteString(w, `{"items":[{"name":"Rex"},{"name":"Tom"}]}`)
	})
	api := gateway.New("t", gateway.Config{Profile: gateway.RESTAPI})
	if err := api.Handle("POST /pets/{id}", backend,
		gateway.WithMiddleware(gateway.PhaseMapping, m.Middleware), gateway.WithTimeout(50*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	st, err := api.Deploy("test", gateway.StageVariables{"env": "prod"})
	if err != nil {
		t.Fatal(err)
	}
	post := func(q string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("POST", "/pets/7?q="+q, strings.NewReader(`{"a": [1, 2], "s": "x"}`))
		r.Header.Set("X-Client", "dropped")
		return serve(st, r)
	}
	rec := post("dogs")
	if rec.Code != 200 || rec.Body.String() != listWant {
		t.Errorf("got %d %s\nwant %s", rec.Code, rec.Body, listWant)
	}
	// $context.requestId differs from the case's: compare the rest.
	if want := "|dogs||s=1|7|application/json"; !strings.HasSuffix(seen, want) || !strings.HasPrefix(seen, reqWant[:40]) {
		t.Errorf("handler saw %q", seen)
	}
	rec = post("bad")
	if rec.Code != 400 || rec.Header().Get("X-Why") != "no" {
		t.Errorf("404 → 400: got %d %v", rec.Code, rec.Header())
	}
	rec = post("slow")
	if rec.Code != 504 || rec.Body.String() != `{"message": "Endpoint request timed out"}` {
		t.Errorf("timeout passes through: got %d %s", rec.Code, rec.Body)
	}
}

// Without a default response, a pattern that matches the empty string
// (".*") serves a Lambda function that succeeded.
func TestSelectionDotStarForLambdaSuccess(t *testing.T) {
	m := transform.MustNewMapping(transform.MappingConfig{Responses: []transform.IntegrationResponse{
		{SelectionPattern: "Error.*", StatusCode: 500},
		{SelectionPattern: ".*", StatusCode: 202},
	}})
	for _, tt := range []struct {
		msg  string
		want int
	}{{"", 202}, {"Error: x", 500}, {"other", 202}} {
		rec := serve(m.Handler(transform.BackendFunc(func(context.Context, *transform.BackendRequest) (*transform.BackendResponse, error) {
			return &transform.BackendResponse{Lambda: true, ErrorMessage: tt.msg, Body: []byte(`{}`)}, nil
		})), caseRequest("GET", "/", "", ""))
		if rec.Code != tt.want {
			t.Errorf("errorMessage %q: got %d, want %d", tt.msg, rec.Code, tt.want)
		}
	}
}

// Selection patterns are Java patterns: lookahead picks a response by
// what the error message does not say, '.' stops at a carriage return
// as Java's does (RE2's would not), and a backreference holds.
func TestSelectionPatternsAreJava(t *testing.T) {
	m := transform.MustNewMapping(transform.MappingConfig{Responses: []transform.IntegrationResponse{
		{SelectionPattern: `(?s)(?!.*Timeout).*not found.*`, StatusCode: 404},
		{SelectionPattern: `(?s).*Timeout.*`, StatusCode: 504},
		{SelectionPattern: `code (\d+) again \1`, StatusCode: 409},
		{SelectionPattern: `line.break`, StatusCode: 400},
		{StatusCode: 500},
	}})
	for _, tt := range []struct {
		msg  string
		want int
	}{
		{"Error: item not found\n    at handler (index.js:3)", 404},
		{"Timeout: item not found in time", 504},
		{"code 7 again 7", 409},
		{"code 7 again 8", 500},
		{"line break", 400},
		{"line\rbreak", 500}, // Java's '.' stops at \r
		{"line\nbreak", 500},
	} {
		rec := serve(m.Handler(transform.BackendFunc(func(context.Context, *transform.BackendRequest) (*transform.BackendResponse, error) {
			return &transform.BackendResponse{Lambda: true, ErrorMessage: tt.msg, Body: []byte(`{}`)}, nil
		})), caseRequest("GET", "/", "", ""))
		if rec.Code != tt.want {
			t.Errorf("errorMessage %q: got %d, want %d", tt.msg, rec.Code, tt.want)
		}
	}
}

// With SelectionPrefixMatch a pattern needs to match only the start of
// the selector; by default it must match all of it.
func TestSelectionPrefixMatch(t *testing.T) {
	responses := []transform.IntegrationResponse{
		{SelectionPattern: `Not found`, StatusCode: 404},
		{SelectionPattern: `4\d`, StatusCode: 400},
		{StatusCode: 200},
	}
	for _, tt := range []struct {
		prefix bool
		msg    string
		want   int
	}{
		{false, "Not found: pet 7", 200}, {true, "Not found: pet 7", 404},
		{false, "Not found", 404}, {true, "Error: Not found", 200},
		{false, "42 apples", 200}, {true, "42 apples", 400},
	} {
		m := transform.MustNewMapping(transform.MappingConfig{Responses: responses, SelectionPrefixMatch: tt.prefix})
		rec := serve(m.Handler(transform.BackendFunc(func(context.Context, *transform.BackendRequest) (*transform.BackendResponse, error) {
			return &transform.BackendResponse{Lambda: true, ErrorMessage: tt.msg, Body: []byte(`{}`)}, nil
		})), caseRequest("GET", "/", "", ""))
		if rec.Code != tt.want {
			t.Errorf("prefix %v, errorMessage %q: got %d, want %d", tt.prefix, tt.msg, rec.Code, tt.want)
		}
	}
}

// Mapped values cannot inject headers.
func TestMappedHeadersSanitised(t *testing.T) {
	m := transform.MustNewMapping(transform.MappingConfig{
		RequestParameters: map[string]string{"integration.request.header.X-In": "method.request.body.v"},
		Responses: []transform.IntegrationResponse{{
			ResponseParameters: map[string]string{"method.response.header.X-Out": "integration.response.body.v"},
		}},
	})
	var got string
	h := m.Handler(transform.BackendFunc(func(_ context.Context, req *transform.BackendRequest) (*transform.BackendResponse, error) {
		got = req.Header.Get("X-In")
		return &transform.BackendResponse{Body: []byte(`{"v":"a\r\nSet-Cookie: x=1"}`)}, nil
	}))
	rec := serve(h, caseRequest("POST", "/", "application/json", `{"v":"b\r\nX-Evil: 1"}`))
	if got != "bX-Evil: 1" {
		t.Errorf("request header %q", got)
	}
	if v := rec.Header().Get("X-Out"); v != "aSet-Cookie: x=1" || rec.Header().Get("Set-Cookie") != "" {
		t.Errorf("response header %q", v)
	}
}

// A backend that answers nothing, and a template that overrides the
// status with a 1xx, get a 5xx and the selected status, not a panic or an
// interim answer whose body a 200 would carry.
func TestNoResponseAndInterimOverride(t *testing.T) {
	m := transform.MustNewMapping(transform.MappingConfig{})
	rec := serve(m.Handler(transform.BackendFunc(func(context.Context, *transform.BackendRequest) (*transform.BackendResponse, error) {
		return nil, nil
	})), caseRequest("GET", "/", "", ""))
	if rec.Code < 500 {
		t.Errorf("no response: %d %s", rec.Code, rec.Body)
	}
	m = transform.MustNewMapping(transform.MappingConfig{Responses: []transform.IntegrationResponse{{StatusCode: 201,
		ResponseTemplates: map[string]string{"application/json": `#set($context.responseOverride.status = 100)made`}}}})
	rec = serve(m.Handler(transform.BackendFunc(func(context.Context, *transform.BackendRequest) (*transform.BackendResponse, error) {
		return &transform.BackendResponse{StatusCode: 200, Body: []byte(`{}`)}, nil
	})), caseRequest("GET", "/", "", ""))
	if rec.Code != 201 || rec.Body.String() != "made" {
		t.Errorf("1xx override: %d %q, want 201", rec.Code, rec.Body)
	}
}

// Behind Middleware, a mapped Content-Type (the SQS form pattern) reaches
// the handler instead of the template's; an answer over 10 MB is an
// integration failure, not an unbounded buffer.
func TestMappingMiddlewareContentTypeAndLimit(t *testing.T) {
	m := transform.MustNewMapping(transform.MappingConfig{
		RequestTemplates:  map[string]string{"application/json": `Action=SendMessage&MessageBody=$util.urlEncode($input.body)`},
		RequestParameters: map[string]string{"integration.request.header.Content-Type": `'application/x-www-form-urlencoded'`},
	})
	var seen string
	api := gateway.New("t", gateway.Config{Profile: gateway.RESTAPI})
	if err := api.Handle("POST /q", integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = r.Header.Get("Content-Type")
		if b, _ := io.ReadAll(r.Body); strings.Contains(string(b), "big") { // only mapped parameters pass: the body tells
			chunk := make([]byte, 1<<20)
			for range 11 {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		}
	}), gateway.WithMiddleware(gateway.PhaseMapping, m.Middleware)); err != nil {
		t.Fatal(err)
	}
	st, err := api.Deploy("test", nil)
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("POST", "/q", strings.NewReader(`{"a":1}`))
	r.Header.Set("Content-Type", "application/json")
	if rec := serve(st, r); rec.Code != 200 || seen != "application/x-www-form-urlencoded" {
		t.Errorf("handler saw Content-Type %q (status %d)", seen, rec.Code)
	}
	r = httptest.NewRequest("POST", "/q", strings.NewReader(`{"big":1}`))
	r.Header.Set("Content-Type", "application/json")
	if rec := serve(st, r); rec.Code < 500 || rec.Body.Len() > 1<<10 {
		t.Errorf("an 11 MB answer: %d, %d bytes", rec.Code, rec.Body.Len())
	}
}

// validateMapServe deploys GET /q behind a validator that requires param
// and a mapping that renders tmpl and maps param to the header X-Out,
// serves r, and returns the answer, the body the integration got and
// its X-Out.
func validateMapServe(t *testing.T, param, tmpl string, r *http.Request) (rec *httptest.ResponseRecorder, body, mapped string) {
	t.Helper()
	v, err := transform.NewValidator(transform.ValidationConfig{Parameters: true,
		RequestParameters: map[string]bool{param: true}})
	if err != nil {
		t.Fatal(err)
	}
	m := transform.MustNewMapping(transform.MappingConfig{
		RequestTemplates:  map[string]string{"application/json": tmpl},
		RequestParameters: map[string]string{"integration.request.header.X-Out": param},
	})
	api := gateway.New("t", gateway.Config{Profile: gateway.RESTAPI})
	if err := api.Handle("GET /q", integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		body, mapped = string(b), r.Header.Get("X-Out")
	}), gateway.WithMiddleware(gateway.PhaseValidate, v.Middleware), gateway.WithMiddleware(gateway.PhaseMapping, m.Middleware)); err != nil {
		t.Fatal(err)
	}
	st, err := api.Deploy("test", nil)
	if err != nil {
		t.Fatal(err)
	}
	return serve(st, r), body, mapped
}

// Host is a header like any other to validators, templates and mappings,
// though Go's server keeps it in r.Host.
func TestHostHeaderIsAMethodRequestHeader(t *testing.T) {
	r := httptest.NewRequest("GET", "http://api.example.com/q", nil) // the Host is r.Host, not in r.Header
	rec, body, mapped := validateMapServe(t, "method.request.header.Host", `$input.params('Host')|$input.params().header.get('Host')`, r)
	if rec.Code != 200 || body != "api.example.com|api.example.com" || mapped != "api.example.com" {
		t.Errorf("%d %s: template %q, mapped %q", rec.Code, rec.Body, body, mapped)
	}
}

// A query value holding ';' (which Go's url.ParseQuery drops with its
// whole pair) reads the same to templates, mappings and validators.
func TestQuerySemicolonOneReading(t *testing.T) {
	rec, body, mapped := validateMapServe(t, "method.request.querystring.q", `$input.params('q')`, httptest.NewRequest("GET", "/q?q=a;b", nil))
	if rec.Code != 200 || body != "a;b" || mapped != "a;b" {
		t.Errorf("%d %s: template %q, mapped %q", rec.Code, rec.Body, body, mapped)
	}
}

// Overriding the same parameter twice fails the mapping (AWS answers
// 5XX); overriding two different ones, or reading one back, does not.
func TestOverrideTwiceFails(t *testing.T) {
	for tmpl, wantErr := range map[string]bool{
		`#set($context.requestOverride.header.X = 'a')#set($context.requestOverride.header.X = 'b')`:           true,
		`#set($context.requestOverride.querystring.q = 'a')$context.requestOverride.querystring.put('q', 'b')`: true,
		`#set($context.requestOverride.header.X = 'a')#set($context.requestOverride.header.Y = 'b')`:           false,
		`#set($context.requestOverride.header.X = 'a')$context.requestOverride.header.X`:                       false,
	} {
		m := transform.MustNewMapping(transform.MappingConfig{RequestTemplates: map[string]string{"application/json": tmpl}})
		_, err := m.MapRequest(caseRequest("POST", "/pets/7", "", ""))
		if (err != nil) != wantErr {
			t.Errorf("%s: err %v, want an error %v", tmpl, err, wantErr)
		}
	}
	m := transform.MustNewMapping(transform.MappingConfig{Responses: []transform.IntegrationResponse{{StatusCode: 200,
		ResponseTemplates: map[string]string{"application/json": `#set($context.responseOverride.status = 201)#set($context.responseOverride.status = 202)x`}}}})
	rec := serve(m.Handler(transform.BackendFunc(func(context.Context, *transform.BackendRequest) (*transform.BackendResponse, error) {
		return &transform.BackendResponse{StatusCode: 200, Body: []byte(`{}`)}, nil
	})), caseRequest("GET", "/", "", ""))
	if rec.Code < 500 {
		t.Errorf("status overridden twice: %d %s", rec.Code, rec.Body)
	}
}

// The request and response templates of one request each get their own
// $stageVariables and $context: what the request template sets there (a
// value, a #define block) is not seen by the response template.
func TestTemplatesDoNotShareVariableMaps(t *testing.T) {
	m := transform.MustNewMapping(transform.MappingConfig{
		RequestTemplates: map[string]string{"application/json": `#set($stageVariables.x = 'set')#set($context.y = 'set')#define($b)[$velocityCount]#end#set($stageVariables.b = $b)$stageVariables.x`},
		Responses: []transform.IntegrationResponse{{StatusCode: 200, ResponseTemplates: map[string]string{
			"application/json": `#foreach($i in [1])x=$!stageVariables.x y=$!context.y b=$!stageVariables.b#end env=$stageVariables.env`,
		}}},
	})
	var sent string
	var backend transform.BackendFunc = func(_ context.Context, req *transform.BackendRequest) (*transform.BackendResponse, error) {
		sent = string(req.Body)
		return &transform.BackendResponse{StatusCode: 200, Body: []byte(`{}`)}, nil
	}
	rec := httptest.NewRecorder()
	m.Handler(backend).ServeHTTP(rec, caseRequest("POST", "/pets/7", "application/json", `{}`))
	if sent != "set" {
		t.Errorf("request template rendered %q", sent)
	}
	if got, want := rec.Body.String(), "x= y= b= env=prod"; got != want {
		t.Errorf("response template rendered %q, want %q", got, want)
	}
}
