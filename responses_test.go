package gateway_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/integration"
)

func rejectWith(err error) gateway.RouteOption {
	return gateway.WithMiddleware(gateway.PhaseAuthorize, func(http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { gateway.WriteError(w, r, err) })
	})
}

// TestDefaultGatewayResponses checks every type's default status, body and
// x-amzn-ErrorType against AWS's table, for both profiles.
func TestDefaultGatewayResponses(t *testing.T) {
	type want struct {
		status    int
		key, msg  string
		errorType string
	}
	rest := map[gateway.ResponseType]want{
		gateway.ResponseAccessDenied:                 {403, "Message", "User is not authorized to access this resource", "AccessDeniedException"},
		gateway.ResponseAPIConfigurationError:        {500, "message", "Internal server error", ""},
		gateway.ResponseAuthorizerConfigurationError: {500, "message", "", "AuthorizerConfigurationException"},
		gateway.ResponseAuthorizerFailure:            {500, "message", "Internal server error", "AuthorizerFailureException"},
		gateway.ResponseBadRequestParameters:         {400, "message", "Missing required request parameters: []", "BadRequestException"},
		gateway.ResponseBadRequestBody:               {400, "message", "Invalid request body", "BadRequestException"},
		gateway.ResponseDefault4XX:                   {400, "message", "Bad Request", ""},
		gateway.ResponseDefault5XX:                   {500, "message", "Internal server error", ""},
		gateway.ResponseExpiredToken:                 {403, "message", "The security token included in the request is expired", "ExpiredTokenException"},
		gateway.ResponseIntegrationFailure:           {502, "message", "Internal server error", ""},
		gateway.ResponseIntegrationTimeout:           {504, "message", "Endpoint request timed out", ""},
		gateway.ResponseInvalidAPIKey:                {403, "message", "Forbidden", "ForbiddenException"},
		gateway.ResponseInvalidSignature:             {403, "message", "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.", "InvalidSignatureException"},
		gateway.ResponseMissingAuthenticationToken:   {403, "message", "Missing Authentication Token", "MissingAuthenticationTokenException"},
		gateway.ResponseQuotaExceeded:                {429, "message", "Limit Exceeded", "LimitExceededException"},
		gateway.ResponseRequestTooLarge:              {413, "message", "Request Too Long", "RequestTooLongException"},
		gateway.ResponseResourceNotFound:             {404, "message", "Not Found", "NotFoundException"},
		gateway.ResponseThrottled:                    {429, "message", "Too Many Requests", "TooManyRequestsException"},
		gateway.ResponseUnauthorized:                 {401, "message", "Unauthorized", "UnauthorizedException"},
		gateway.ResponseUnsupportedMediaType:         {415, "message", "Unsupported Media Type", "UnsupportedMediaTypeException"},
		gateway.ResponseWAFFiltered:                  {403, "message", "Forbidden", "WAFFilteredException"},
	}
	httpAPI := map[gateway.ResponseType]want{
		gateway.ResponseUnauthorized:       {401, "message", "Unauthorized", ""},
		gateway.ResponseAccessDenied:       {403, "message", "Forbidden", ""},
		gateway.ResponseResourceNotFound:   {404, "message", "Not Found", ""},
		gateway.ResponseThrottled:          {429, "message", "Too Many Requests", ""},
		gateway.ResponseDefault5XX:         {500, "message", "Internal Server Error", ""},
		gateway.ResponseIntegrationTimeout: {503, "message", "Service Unavailable", ""},
		gateway.ResponseIntegrationFailure: {502, "message", "Bad Gateway", ""},
		gateway.ResponseRequestTooLarge:    {413, "message", "Request Entity Too Large", ""},
	}
	if len(rest) != len(gateway.ResponseTypes()) {
		t.Fatalf("REST table covers %d of %d types", len(rest), len(gateway.ResponseTypes()))
	}
	for profile, table := range map[gateway.Profile]map[gateway.ResponseType]want{gateway.RESTAPI: rest, gateway.HTTPAPI: httpAPI} {
		for typ, w := range table {
			t.Run(profile.String()+"/"+string(typ), func(t *testing.T) {
				api := gateway.New("t", gateway.Config{Profile: profile})
				mustHandle(t, api, "GET /", integration.Mock(200, ""), rejectWith(typ))
				s := mustDeploy(t, api, "prod", nil)
				rec := serve(s, "GET", "/", nil)
				body := jsonBody(t, rec)
				msg, present := body[w.key]
				if rec.Code != w.status || !present || (w.msg == "" && msg != nil) || (w.msg != "" && msg != w.msg) {
					t.Errorf("got %d %s, want %d {%q: %q}", rec.Code, rec.Body, w.status, w.key, w.msg)
				}
				if got := rec.Header().Get("X-Amzn-Errortype"); got != w.errorType {
					t.Errorf("x-amzn-ErrorType = %q, want %q", got, w.errorType)
				}
				if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
					t.Errorf("Content-Type = %q", ct)
				}
			})
		}
	}
}

func TestGatewayResponseOverrides(t *testing.T) {
	api := gateway.New("t", gateway.Config{Profile: gateway.RESTAPI, Responses: map[gateway.ResponseType]gateway.GatewayResponse{
		gateway.ResponseThrottled: {
			StatusCode: 503,
			Headers: map[string]string{
				"Retry-After":                 "'1'",
				"Access-Control-Allow-Origin": "method.request.header.Origin",
				"X-Stage-Env":                 "stageVariables.env",
				"X-Pet":                       "method.request.path.id",
				"X-Q":                         "method.request.querystring.q",
			},
			Template: `{"error":"$context.error.responseType","msg":$context.error.messageString,"id":"$context.requestId","env":"$stageVariables.env","raw":"$context.error.message"}`,
		},
		gateway.ResponseDefault4XX: {Headers: map[string]string{"Access-Control-Allow-Origin": "'*'"}},
		gateway.ResponseDefault5XX: {StatusCode: 599, Template: `{"oops":true}`},
	}})
	mustHandle(t, api, "GET /t/{id}", integration.Mock(200, ""), rejectWith(gateway.ResponseThrottled))
	mustHandle(t, api, "GET /u", integration.Mock(200, ""), rejectWith(gateway.Errorf(gateway.ResponseUnauthorized, "", nil)))
	mustHandle(t, api, "GET /big", integration.Mock(200, ""), rejectWith(gateway.ResponseRequestTooLarge))
	mustHandle(t, api, "GET /five", integration.Mock(200, ""), rejectWith(errors.New("secret detail")))
	mustDeploy(t, api, "prod", gateway.StageVariables{"env": "prod"})

	req := httptest.NewRequest("GET", "/prod/t/7?q=x", nil)
	req.Header.Set("Origin", "https://app.example\r\nSet-Cookie: evil=1")
	rec := httptest.NewRecorder()
	api.ServeHTTP(rec, req)
	h := rec.Header()
	if rec.Code != 503 || h.Get("Retry-After") != "1" || h.Get("X-Stage-Env") != "prod" || h.Get("X-Pet") != "7" || h.Get("X-Q") != "x" {
		t.Errorf("override: %d %v", rec.Code, h)
	}
	if got := h.Get("Access-Control-Allow-Origin"); got != "https://app.exampleSet-Cookie: evil=1" || h.Get("Set-Cookie") != "" {
		t.Errorf("header injection not neutralised: %q", got)
	}
	b := jsonBody(t, rec)
	if b["error"] != "THROTTLED" || b["msg"] != "Too Many Requests" || b["env"] != "prod" || b["raw"] != "Too Many Requests" || b["id"] != h.Get("X-Amzn-Requestid") {
		t.Errorf("template: %s", rec.Body)
	}

	// A type without its own configuration inherits DEFAULT_4XX's headers.
	rec = serve(api, "GET", "/prod/u", nil)
	if rec.Code != 401 || rec.Header().Get("Access-Control-Allow-Origin") != "*" || jsonBody(t, rec)["message"] != "Unauthorized" {
		t.Errorf("DEFAULT_4XX inheritance: %d %v %s", rec.Code, rec.Header(), rec.Body)
	}
	// REQUEST_TOO_LARGE cannot be customised, as on AWS.
	if rec = serve(api, "GET", "/prod/big", nil); rec.Code != 413 || rec.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("REQUEST_TOO_LARGE customised: %d %v", rec.Code, rec.Header())
	}
	// Unknown errors are DEFAULT_5XX and never leak their text.
	if rec = serve(api, "GET", "/prod/five", nil); rec.Code != 599 || rec.Body.String() != `{"oops":true}` {
		t.Errorf("DEFAULT_5XX override: %d %s", rec.Code, rec.Body)
	}

	bad := gateway.New("t", gateway.Config{Responses: map[gateway.ResponseType]gateway.GatewayResponse{gateway.ResponseThrottled: {StatusCode: 42}}})
	mustHandle(t, bad, "GET /", integration.Mock(200, ""))
	if _, err := bad.Deploy("prod", nil); err == nil {
		t.Error("deployed a gateway response with status 42")
	}
}

func TestErrorMatching(t *testing.T) {
	cause := errors.New("jwt: expired")
	err := fmt.Errorf("authorize: %w", gateway.Errorf(gateway.ResponseUnauthorized, "", cause))
	if !errors.Is(err, gateway.ResponseUnauthorized) || errors.Is(err, gateway.ResponseAccessDenied) || !errors.Is(err, cause) {
		t.Errorf("errors.Is on %v", err)
	}
	var ge *gateway.Error
	if !errors.As(err, &ge) || ge.Type != gateway.ResponseUnauthorized {
		t.Errorf("errors.As on %v", err)
	}
	if !errors.Is(fmt.Errorf("x: %w", gateway.ResponseThrottled), gateway.ResponseThrottled) {
		t.Error("bare ResponseType not matched")
	}
}

func TestErrorStatusCodeOverride(t *testing.T) {
	rec := httptest.NewRecorder()
	gateway.WriteError(rec, httptest.NewRequest("GET", "/", nil), &gateway.Error{Type: gateway.ResponseDefault5XX, StatusCode: 503, Message: "Service Unavailable"})
	if rec.Code != 503 || rec.Body.String() != `{"message":"Service Unavailable"}` {
		t.Errorf("got %d %s", rec.Code, rec.Body)
	}
	rec = httptest.NewRecorder()
	gateway.WriteError(rec, httptest.NewRequest("GET", "/", nil), gateway.ResponseQuotaExceeded)
	if rec.Code != 429 || rec.Body.String() != `{"message":"Limit Exceeded"}` {
		t.Errorf("quota on an HTTP API: %d %s", rec.Code, rec.Body)
	}
}

func TestWriteErrorOutsideAGateway(t *testing.T) {
	rec := httptest.NewRecorder()
	gateway.WriteError(rec, httptest.NewRequest("GET", "/", nil), &gateway.Error{Type: gateway.ResponseUnauthorized, Header: http.Header{"Www-Authenticate": {`Bearer error="invalid_token"`}}})
	if rec.Code != 401 || rec.Body.String() != `{"message":"Unauthorized"}` || rec.Header().Get("Www-Authenticate") == "" {
		t.Errorf("got %d %s %v", rec.Code, rec.Body, rec.Header())
	}
	rec = httptest.NewRecorder()
	gateway.WriteError(rec, httptest.NewRequest("HEAD", "/", nil), gateway.ResponseThrottled)
	if rec.Code != 429 || rec.Body.Len() != 0 {
		t.Errorf("HEAD: %d %q", rec.Code, rec.Body)
	}
}

func TestErrorRecordedInRequestContext(t *testing.T) {
	var seen *gateway.RequestContext
	api := gateway.New("t")
	mustHandle(t, api, "GET /", integration.Mock(200, ""),
		gateway.WithMiddleware(gateway.PhaseObserve, func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				next.ServeHTTP(w, r)
				seen = gateway.RequestContextFrom(r.Context())
			})
		}),
		rejectWith(&gateway.Error{Type: gateway.ResponseBadRequestBody, ValidationError: "[object has missing required properties ([\"name\"])]"}))
	s := mustDeploy(t, api, "prod", nil)
	serve(s, "GET", "/", nil)
	if seen == nil || seen.Error.ResponseType != gateway.ResponseBadRequestBody || seen.Error.Message != "Bad Request" || seen.Error.ValidationErrorString == "" {
		t.Fatalf("error info: %+v", seen)
	}
	if v, _ := seen.Value("error.messageString"); v != `"Bad Request"` {
		t.Errorf("messageString = %s", v)
	}
}

// $context.path in a gateway response template is the path as sent,
// percent-encoding kept as AWS keeps it: a %22 cannot close the string it
// is put in and add keys to the JSON.
func TestGatewayResponsePathIsNotDecoded(t *testing.T) {
	api := gateway.New("t", gateway.Config{Profile: gateway.RESTAPI, Responses: map[gateway.ResponseType]gateway.GatewayResponse{
		gateway.ResponseDefault4XX: {Template: `{"message":$context.error.messageString,"path":"$context.path"}`},
	}})
	mustHandle(t, api, "GET /x", integration.Mock(200, ""))
	mustDeploy(t, api, "prod", nil)
	rec := serve(api, "GET", `/prod/nope%22,%22admin%22:true,%22z%22:%22`, nil)
	b := jsonBody(t, rec)
	if len(b) != 2 || b["path"] != `/prod/nope%22,%22admin%22:true,%22z%22:%22` {
		t.Errorf("%d %s", rec.Code, rec.Body)
	}
}

// TestUnmatchedWithBearerToken: on a REST API a request no route matches
// that carries a non-SigV4 Authorization header gets the SigV4 parser's
// complaint, as AWS was observed answering; HTTP APIs and requests
// without the header keep their usual answers.
func TestUnmatchedWithBearerToken(t *testing.T) {
	rest := gateway.New("t", gateway.Config{Profile: gateway.RESTAPI})
	mustHandle(t, rest, "GET /x", integration.Mock(200, ""))
	mustDeploy(t, rest, "prod", nil)
	want := "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
		"Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a " +
		"'X-Amz-Date' or a 'Date' header. Authorization=Bearer abc"
	for _, target := range []string{"/prod/nope", "/other/nope"} {
		req := httptest.NewRequest("GET", target, nil)
		req.Header.Set("Authorization", "Bearer abc")
		rec := httptest.NewRecorder()
		rest.ServeHTTP(rec, req)
		if rec.Code != 403 || jsonBody(t, rec)["message"] != want {
			t.Errorf("%s: %d %s", target, rec.Code, rec.Body)
		}
	}
	if rec := serve(rest, "GET", "/prod/nope", nil); jsonBody(t, rec)["message"] != "Missing Authentication Token" {
		t.Errorf("without Authorization: %s", rec.Body)
	}
	httpAPI := gateway.New("h")
	mustHandle(t, httpAPI, "GET /x", integration.Mock(200, ""))
	mustDeploy(t, httpAPI, "prod", nil)
	req := httptest.NewRequest("GET", "/prod/nope", nil)
	req.Header.Set("Authorization", "Bearer abc")
	rec := httptest.NewRecorder()
	httpAPI.ServeHTTP(rec, req)
	if rec.Code != 404 {
		t.Errorf("HTTP API: %d %s", rec.Code, rec.Body)
	}
}
