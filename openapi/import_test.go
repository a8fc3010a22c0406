package openapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/auth"
	"github.com/gatewaykit/gateway/gatewaytest"
	"github.com/gatewaykit/gateway/integration"
	"github.com/gatewaykit/gateway/openapi"
	"github.com/gatewaykit/gateway/throttle"
)

func readDoc(t *testing.T, name string, replace ...string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return []byte(strings.NewReplacer(replace...).Replace(string(b)))
}

// TestImportHTTPAPI: an HTTP API definition with a Lambda route behind a
// JWT authorizer, an HTTP proxy ANY route and CORS imports and serves; a
// route secured by a custom authorizer this import cannot build is left
// out with a warning, not served unprotected.
func TestImportHTTPAPI(t *testing.T) {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Stage") != "prod" && strings.HasPrefix(r.URL.Path, "/a") {
			http.Error(w, "no X-Stage", 400)
			return
		}
		fmt.Fprintf(w, "backend %s %s", r.Method, r.URL.Path)
	}))
	defer backend.Close()
	iss := gatewaytest.NewIssuer(t)
	doc := readDoc(t, "http-api.json", "BACKEND", backend.URL, "ISSUER", iss.URL)

	var lambdaURI, lambdaVersion string
	im := importDoc(t, context.Background(), doc, openapi.ImportConfig{
		LambdaProxy: func(target openapi.LambdaTarget) (http.Handler, error) {
			lambdaURI, lambdaVersion = target.URI, target.PayloadFormatVersion
			return integration.Lambda(func(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
				return events.APIGatewayV2HTTPResponse{StatusCode: 200, Body: "order " + ev.PathParameters["id"] + " for " + ev.RequestContext.Authorizer.JWT.Claims["sub"]}, nil
			})
		},
	})
	if lambdaURI != "arn:aws:lambda:eu-west-1:123456789012:function:get-order" || lambdaVersion != "2.0" {
		t.Errorf("LambdaProxy got %q %q", lambdaURI, lambdaVersion)
	}
	if len(im.Warnings) != 1 || !strings.Contains(im.Warnings[0], "custom-lambda") {
		t.Errorf("warnings %q, want one about the custom authorizer", im.Warnings)
	}
	if im.API.Name() != "orders-http" {
		t.Errorf("API name %q", im.API.Name())
	}
	stage, err := im.API.Deploy("prod", nil)
	if err != nil {
		t.Fatal(err)
	}
	token := iss.Token(gatewaytest.Claims{"aud": "orders", "sub": "alice", "scope": "orders:read"})
	for _, c := range []struct {
		method, target string
		opts           []gatewaytest.Option
		status         int
		body           string
	}{
		{"GET", "/orders/7", []gatewaytest.Option{gatewaytest.Bearer(token)}, 200, "order 7 for alice"},
		{"GET", "/orders/7", nil, 401, `{"message":"Unauthorized"}`},
		{"GET", "/orders/7", []gatewaytest.Option{gatewaytest.Bearer(iss.Token(gatewaytest.Claims{"aud": "orders"}))}, 403, `{"message":"Forbidden"}`},
		{"DELETE", "/legacy/a/b", nil, 200, "backend DELETE /a/b"},
		{"GET", "/admin", nil, 500, `{"message":"Internal Server Error"}`}, // not imported, and refusing
	} {
		res := gatewaytest.Call(stage, c.method, c.target, c.opts...)
		if res.Code != c.status || res.Text() != c.body {
			t.Errorf("%s %s: %d %q, want %d %q", c.method, c.target, res.Code, res.Text(), c.status, c.body)
		}
	}
	if res := gatewaytest.Call(stage, "GET", "/legacy/a"); res.Header().Get("X-Served-By") != "gatewaykit" {
		t.Errorf("response parameter mapping: %v", res.Header())
	}
	pre := gatewaytest.Call(stage, "OPTIONS", "/orders/7", gatewaytest.Header("Origin", "https://app.example.com"), gatewaytest.Header("Access-Control-Request-Method", "GET"))
	if pre.Code != 204 || pre.Header().Get("Access-Control-Max-Age") != "300" {
		t.Errorf("preflight: %d %v", pre.Code, pre.Header())
	}
}

// TestImportRESTAPI: a REST definition (YAML) with a mock CORS OPTIONS
// method, a validated mock POST whose template picks the integration
// response, a custom gateway response and a resource policy.
func TestImportRESTAPI(t *testing.T) {
	_, stage := importDeploy(t, context.Background(), readDoc(t, "rest-api.yaml"), openapi.ImportConfig{Profile: gateway.RESTAPI, FailOnWarnings: true})
	pet := func(v any) gatewaytest.Option { return gatewaytest.JSON(v) }
	for _, c := range []struct {
		name, method, target string
		opts                 []gatewaytest.Option
		status               int
		body                 string
	}{
		{"created", "POST", "/pets?store=north", []gatewaytest.Option{pet(map[string]any{"name": "rex", "price": 50})}, 201, `{"created": "north"}`},
		{"selected by pattern", "POST", "/pets?store=north", []gatewaytest.Option{pet(map[string]any{"name": "rex", "price": 500})}, 402, `{"message": "too expensive"}`},
		{"missing parameter", "POST", "/pets", []gatewaytest.Option{pet(map[string]any{"name": "rex", "price": 5})}, 400, `{"message":"Missing required request parameters: [store]"}`},
		{"model refused", "POST", "/pets?store=north", []gatewaytest.Option{pet(map[string]any{"name": "rex", "price": -1})}, 422, ""},
		{"denied by the policy", "POST", "/pets?store=north", []gatewaytest.Option{pet(map[string]any{"name": "rex", "price": 5}), gatewaytest.RemoteAddr("198.51.100.7:1000")}, 403, ""},
	} {
		res := gatewaytest.Call(stage, c.method, c.target, c.opts...)
		if res.Code != c.status || c.body != "" && res.Text() != c.body {
			t.Errorf("%s: %d %q, want %d %q", c.name, res.Code, res.Text(), c.status, c.body)
		}
		if c.name == "model refused" {
			var m map[string]string
			if err := json.Unmarshal(res.Body.Bytes(), &m); err != nil || m["error"] != "Invalid request body" || !strings.Contains(m["detail"], "minimum") || res.Header().Get("Access-Control-Allow-Origin") != "*" {
				t.Errorf("custom gateway response: %q %v", res.Text(), res.Header())
			}
		}
	}
	opt := gatewaytest.Call(stage, "OPTIONS", "/pets", gatewaytest.Body("application/json", nil))
	if opt.Code != 200 || opt.Header().Get("Access-Control-Allow-Methods") != "GET,POST,OPTIONS" {
		t.Errorf("mock OPTIONS: %d %v", opt.Code, opt.Header())
	}
}

// TestImportRefuses: documents this import cannot honour are refused with
// the reason, or, with FailOnWarnings, with their warnings.
func TestImportRefuses(t *testing.T) {
	minimal := func(integ string) string {
		return `{"openapi":"3.0.1","info":{"title":"x","version":"1"},"paths":{"/a":{"get":{"x-amazon-apigateway-integration":` + integ + `}}}}`
	}
	for name, c := range map[string]struct {
		doc, reason string
		cfg         openapi.ImportConfig
	}{
		"not OpenAPI":              {`{"swagger":`, "openapi", openapi.ImportConfig{}},
		"aws_proxy without Lambda": {minimal(`{"type":"aws_proxy","uri":"arn:aws:lambda:x"}`), "LambdaProxy", openapi.ImportConfig{}},
		"mock on an HTTP API":      {minimal(`{"type":"mock"}`), "mock", openapi.ImportConfig{}},
		"unknown type":             {minimal(`{"type":"carrier_pigeon"}`), "carrier_pigeon", openapi.ImportConfig{}},
		"timeout out of range":     {minimal(`{"type":"http_proxy","uri":"http://x","timeoutInMillis":90000}`), "at most 30000", openapi.ImportConfig{}},
		"timeout too short":        {minimal(`{"type":"http_proxy","uri":"http://x","timeoutInMillis":49}`), "at least 50", openapi.ImportConfig{}},
		"warnings":                 {minimal(`{"type":"http_proxy","uri":"http://x","connectionType":"VPC_LINK"}`), "VPC_LINK", openapi.ImportConfig{FailOnWarnings: true}},
		"bad template":             {minimal(`{"type":"mock","requestTemplates":{"application/json":"#if("}}`), "template", openapi.ImportConfig{Profile: gateway.RESTAPI}},
	} {
		im, err := openapi.Import(context.Background(), []byte(c.doc), c.cfg)
		if err == nil {
			im.Close()
			t.Errorf("%s: imported", name)
			continue
		}
		if !strings.Contains(err.Error(), c.reason) {
			t.Errorf("%s: refused with %q, want a reason naming %q", name, err, c.reason)
		}
	}
}

// TestImportSwagger2: a Swagger 2.0 export with a TOKEN Lambda authorizer
// and an API key route imports with the functions and plans given.
func TestImportSwagger2(t *testing.T) {
	ctx := context.Background()
	plans, err := throttle.NewPlans(throttle.PlansConfig{})
	if err != nil {
		t.Fatal(err)
	}
	var authorizerURI string
	im := importDoc(t, ctx, readDoc(t, "rest-swagger2.json"), openapi.ImportConfig{
		Profile: gateway.RESTAPI,
		Plans:   plans,
		Authorizer: func(target openapi.AuthorizerTarget) (auth.AuthorizeFunc, error) {
			authorizerURI = target.URI
			return auth.TokenHandler(func(ctx context.Context, ev events.APIGatewayCustomAuthorizerRequest) (events.APIGatewayCustomAuthorizerResponse, error) {
				if ev.AuthorizationToken != "Bearer alice" {
					return events.APIGatewayCustomAuthorizerResponse{}, errors.New("Unauthorized")
				}
				return events.APIGatewayCustomAuthorizerResponse{PrincipalID: "alice", PolicyDocument: events.APIGatewayCustomAuthorizerPolicy{
					Version:   "2012-10-17",
					Statement: []events.IAMPolicyStatement{{Action: []string{"execute-api:Invoke"}, Effect: "Allow", Resource: []string{ev.MethodArn}}},
				}}, nil
			}), nil
		},
		FailOnWarnings: true,
	})
	if !strings.HasSuffix(authorizerURI, "function:token-auth/invocations") {
		t.Errorf("authorizer uri %q", authorizerURI)
	}
	key, value, err := plans.CreateKey(ctx, "partner")
	if err != nil {
		t.Fatal(err)
	}
	plan, err := plans.CreatePlan(ctx, throttle.UsagePlan{Name: "p"})
	if err != nil {
		t.Fatal(err)
	}
	if err := plans.AddKey(ctx, plan.ID, key.ID); err != nil {
		t.Fatal(err)
	}
	stage, err := im.API.Deploy("prod", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, target string
		opts         []gatewaytest.Option
		status       int
		body         string
	}{
		{"authorized", "/reports", []gatewaytest.Option{gatewaytest.Header("Authorization", "Bearer alice")}, 200, `{"principal": "alice"}`},
		{"refused by the function", "/reports", []gatewaytest.Option{gatewaytest.Header("Authorization", "Bearer bob")}, 401, ""},
		{"refused by the expression", "/reports", []gatewaytest.Option{gatewaytest.Header("Authorization", "Basic x")}, 401, ""},
		{"with the API key", "/partner", []gatewaytest.Option{gatewaytest.APIKey(value)}, 200, `{"partner": true}`},
		{"without it", "/partner", nil, 403, ""},
	} {
		res := gatewaytest.Call(stage, "GET", c.target, c.opts...)
		if res.Code != c.status || c.body != "" && res.Text() != c.body {
			t.Errorf("%s: %d %q, want %d %q", c.name, res.Code, res.Text(), c.status, c.body)
		}
	}
}

// TestImportSharedIntegrations: an HTTP API operation may name one of the
// reusable integrations under components.
func TestImportSharedIntegrations(t *testing.T) {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "shared ", r.URL.Path) }))
	defer backend.Close()
	doc := `{"openapi":"3.0.1","info":{"title":"s","version":"1"},
	  "paths":{"/a":{"get":{"x-amazon-apigateway-integration":{"$ref":"#/components/x-amazon-apigateway-integrations/back"}}},
	           "/b":{"get":{"x-amazon-apigateway-integration":{"$ref":"#/components/x-amazon-apigateway-integrations/missing"}}}},
	  "components":{"x-amazon-apigateway-integrations":{"back":{"type":"http_proxy","uri":"` + backend.URL + `/x","httpMethod":"GET","payloadFormatVersion":"1.0"}}}}`
	if _, err := openapi.Import(context.Background(), []byte(doc), openapi.ImportConfig{}); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Fatalf("a reference to no integration: %v", err)
	}
	doc = strings.Replace(doc, `,
	           "/b":{"get":{"x-amazon-apigateway-integration":{"$ref":"#/components/x-amazon-apigateway-integrations/missing"}}}`, "", 1)
	_, stage := importDeploy(t, context.Background(), []byte(doc), openapi.ImportConfig{FailOnWarnings: true})
	if res := gatewaytest.Call(stage, "GET", "/a"); res.Code != 200 || res.Text() != "shared /x" {
		t.Fatalf("%d %q", res.Code, res.Text())
	}
}

// TestImportRESTProxyResource: the export of a REST proxy resource maps
// its path parameter to itself, which imports without a warning, and so
// do header and query string mappings, which apply; a path parameter
// mapped from elsewhere is a warning.
func TestImportRESTProxyResource(t *testing.T) {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, r.URL.Path, r.Header.Get("X"))
	}))
	defer backend.Close()
	doc := func(params string) []byte {
		return []byte(`{"swagger":"2.0","info":{"title":"p","version":"1"},"paths":{"/{proxy+}":{"x-amazon-apigateway-any-method":{
		  "parameters":[{"name":"proxy","in":"path","required":true,"type":"string"}],
		  "x-amazon-apigateway-integration":{"type":"http_proxy","httpMethod":"ANY","uri":"` + backend.URL + `/{proxy}","requestParameters":` + params + `}}}}}`)
	}
	_, stage := importDeploy(t, context.Background(), doc(`{"integration.request.path.proxy":"method.request.path.proxy"}`), openapi.ImportConfig{Profile: gateway.RESTAPI, FailOnWarnings: true})
	if res := gatewaytest.Call(stage, "GET", "/a/b"); res.Code != 200 || res.Text() != "/a/b" {
		t.Fatalf("%d %q", res.Code, res.Text())
	}
	_, stage = importDeploy(t, context.Background(), doc(`{"integration.request.path.proxy":"method.request.path.proxy","integration.request.header.x":"method.request.header.y"}`),
		openapi.ImportConfig{Profile: gateway.RESTAPI, FailOnWarnings: true})
	if res := gatewaytest.Call(stage, "GET", "/a/b", gatewaytest.Header("y", "!")); res.Code != 200 || res.Text() != "/a/b!" {
		t.Fatalf("header mapping: %d %q", res.Code, res.Text())
	}
	im2 := importDoc(t, context.Background(), doc(`{"integration.request.path.proxy":"method.request.querystring.p"}`), openapi.ImportConfig{Profile: gateway.RESTAPI})
	if len(im2.Warnings) != 1 {
		t.Fatalf("warnings %q", im2.Warnings)
	}
	// A Lambda proxy's event is the method request: its mappings are a
	// warning, and the event's headers stay the client's.
	lambdaDoc := []byte(`{"swagger":"2.0","info":{"title":"p","version":"1"},"paths":{"/f":{"get":{
	  "x-amazon-apigateway-integration":{"type":"aws_proxy","httpMethod":"POST","uri":"arn:aws:lambda:eu-west-1:1:function:f",
	    "requestParameters":{"integration.request.header.x":"'mapped'"}}}}}}`)
	im3, stage := importDeploy(t, context.Background(), lambdaDoc, openapi.ImportConfig{Profile: gateway.RESTAPI,
		LambdaProxy: func(openapi.LambdaTarget) (http.Handler, error) {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "x="+r.Header.Get("X")) }), nil
		}})
	if len(im3.Warnings) != 1 || !strings.Contains(im3.Warnings[0], "Lambda proxy") {
		t.Fatalf("warnings %q", im3.Warnings)
	}
	if res := gatewaytest.Call(stage, "GET", "/f", gatewaytest.Header("X", "client")); res.Text() != "x=client" {
		t.Fatalf("Lambda proxy: %d %q", res.Code, res.Text())
	}
}

// TestImportBinaryMediaTypes: a REST API's binary media types reach the
// Lambda proxy integrations it builds.
func TestImportBinaryMediaTypes(t *testing.T) {
	doc := `{"openapi":"3.0.1","info":{"title":"b","version":"1"},"x-amazon-apigateway-binary-media-types":["image/png","application/octet-stream"],
	  "paths":{"/img":{"post":{"x-amazon-apigateway-integration":{"type":"aws_proxy","httpMethod":"POST",
	    "uri":"arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:1:function:img/invocations"}}}}}`
	var got openapi.LambdaTarget
	_ = importDoc(t, context.Background(), []byte(doc), openapi.ImportConfig{Profile: gateway.RESTAPI, FailOnWarnings: true,
		LambdaProxy: func(target openapi.LambdaTarget) (http.Handler, error) {
			got = target
			return integration.Mock(200, "{}"), nil
		}})
	if strings.Join(got.BinaryMediaTypes, ",") != "image/png,application/octet-stream" || got.FunctionARN != "arn:aws:lambda:eu-west-1:1:function:img" {
		t.Fatalf("target %+v", got)
	}
}

// TestImportReviewCases: x-amazon-apigateway-auth is honoured (AWS_IAM
// without a verifier leaves the route refusing every request; NONE
// serves it), a null path
// item and an unquoted YAML swagger version with numeric response keys
// import, AWS service integrations and root security are warnings, and
// gateway responses are a REST setting.
func TestImportReviewCases(t *testing.T) {
	ctx := context.Background()
	doc := `{"openapi":"3.0.1","info":{"title":"r","version":"1"},"security":[{"x":[]}],
	  "x-amazon-apigateway-gateway-responses":{"DEFAULT_4XX":{"statusCode":418}},
	  "paths":{
	    "/iam":{"get":{"x-amazon-apigateway-auth":{"type":"AWS_IAM"},"x-amazon-apigateway-integration":{"type":"http_proxy","uri":"http://127.0.0.1:1/iam"}}},
	    "/open":{"get":{"x-amazon-apigateway-auth":{"type":"NONE"},"x-amazon-apigateway-integration":{"type":"http_proxy","uri":"http://127.0.0.1:1/open"}}},
	    "/sqs":{"post":{"x-amazon-apigateway-integration":{"type":"aws_proxy","integrationSubtype":"SQS-SendMessage","requestParameters":{"MessageBody":"$request.body"}}}}}}`
	im, stage := importDeploy(t, ctx, []byte(doc), openapi.ImportConfig{Options: []gateway.Option{gateway.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))}})
	if res := gatewaytest.Call(stage, "GET", "/iam"); res.Code != 500 {
		t.Errorf("AWS_IAM route without a verifier served: %d", res.Code)
	}
	if res := gatewaytest.Call(stage, "GET", "/open"); res.Code == 404 {
		t.Errorf("NONE route not served")
	}
	if res := gatewaytest.Call(stage, "POST", "/sqs"); res.Code != 500 {
		t.Errorf("AWS service integration served: %d", res.Code)
	}
	all := strings.Join(im.Warnings, "\n")
	for _, want := range []string{"AWS_IAM needs ImportConfig.SigV4", "integrationSubtype", "root-level security", "gateway-responses is a REST API setting"} {
		if !strings.Contains(all, want) {
			t.Errorf("no warning with %q in:\n%s", want, all)
		}
	}

	yamlDoc := "swagger: 2.0\ninfo: {title: y, version: '1'}\npaths:\n  /a: null\n  /b:\n    get:\n      responses:\n        200: {description: ok}\n      x-amazon-apigateway-integration:\n        type: mock\n        requestTemplates: {application/json: '{\"statusCode\": 200}'}\n"
	_, stage2 := importDeploy(t, ctx, []byte(yamlDoc), openapi.ImportConfig{Profile: gateway.RESTAPI})
	if res := gatewaytest.Call(stage2, "GET", "/b"); res.Code != 200 {
		t.Errorf("swagger YAML route: %d %q", res.Code, res.Text())
	}
}

// TestImportContentHandling: a REST mock that answers an image from a
// base64 template converts it to binary, as the export says.
func TestImportContentHandling(t *testing.T) {
	doc := `{"openapi":"3.0.1","info":{"title":"img","version":"1"},"x-amazon-apigateway-binary-media-types":["image/gif"],
	  "paths":{"/pixel":{"get":{"x-amazon-apigateway-integration":{"type":"mock","requestTemplates":{"application/json":"{\"statusCode\": 200}"},
	    "responses":{"default":{"statusCode":"200","contentHandling":"CONVERT_TO_BINARY","responseParameters":{"method.response.header.Content-Type":"'image/gif'"},
	      "responseTemplates":{"image/gif":"R0lGODlhAQABAAAAACw="}}}}}}}}`
	_, stage := importDeploy(t, context.Background(), []byte(doc), openapi.ImportConfig{Profile: gateway.RESTAPI, FailOnWarnings: true})
	res := gatewaytest.Call(stage, "GET", "/pixel", gatewaytest.Header("Accept", "image/gif"))
	if res.Code != 200 || !strings.HasPrefix(res.Text(), "GIF89a") || res.Header().Get("Content-Type") != "image/gif" {
		t.Fatalf("%d %q %v", res.Code, res.Text(), res.Header())
	}
}

// TestImportAnyMethodRefs: references inside x-amazon-apigateway-any-method
// that the import cannot resolve are warnings, not silent gaps.
func TestImportAnyMethodRefs(t *testing.T) {
	doc := `{"openapi":"3.0.1","info":{"title":"a","version":"1"},"x-amazon-apigateway-request-validators":{"all":{"validateRequestBody":true,"validateRequestParameters":true}},
	  "components":{"parameters":{"q":{"name":"q","in":"query","required":true,"schema":{"type":"string"}}}},
	  "paths":{"/x":{"x-amazon-apigateway-any-method":{"x-amazon-apigateway-request-validator":"all","parameters":[{"$ref":"#/components/parameters/q"}],
	    "x-amazon-apigateway-integration":{"type":"mock","requestTemplates":{"application/json":"{\"statusCode\": 200}"}}}}}}`
	im := importDoc(t, context.Background(), []byte(doc), openapi.ImportConfig{Profile: gateway.RESTAPI})
	if !strings.Contains(strings.Join(im.Warnings, "\n"), "#/components/parameters/q is not resolved") {
		t.Fatalf("warnings %q", im.Warnings)
	}
}

// TestImportDefaultRoute: an ANY method marked isDefaultRoute is the HTTP
// API's $default route.
func TestImportDefaultRoute(t *testing.T) {
	doc := `{"openapi":"3.0.1","info":{"title":"d","version":"1"},"paths":{"/$default":{"x-amazon-apigateway-any-method":{"isDefaultRoute":true,
	  "x-amazon-apigateway-integration":{"type":"aws_proxy","uri":"arn:aws:lambda:eu-west-1:1:function:f","payloadFormatVersion":"2.0"}}}}}`
	_, stage := importDeploy(t, context.Background(), []byte(doc), openapi.ImportConfig{FailOnWarnings: true,
		LambdaProxy: func(openapi.LambdaTarget) (http.Handler, error) { return integration.Mock(200, "fallback"), nil }})
	if res := gatewaytest.Call(stage, "POST", "/any/path"); res.Code != 200 || res.Text() != "fallback" {
		t.Fatalf("%d %q", res.Code, res.Text())
	}
}

// importDoc imports doc, failing the test on an error, and closes the
// import when the test ends.
func importDoc(t *testing.T, ctx context.Context, doc []byte, cfg openapi.ImportConfig) *openapi.Imported {
	t.Helper()
	im, err := openapi.Import(ctx, doc, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = im.Close() })
	return im
}

// importDeploy is importDoc that also deploys the API to stage "prod".
func importDeploy(t *testing.T, ctx context.Context, doc []byte, cfg openapi.ImportConfig) (*openapi.Imported, *gateway.Stage) {
	t.Helper()
	im := importDoc(t, ctx, doc, cfg)
	stage, err := im.API.Deploy("prod", nil)
	if err != nil {
		t.Fatal(err)
	}
	return im, stage
}

// TestImportSigV4Once: an operation that asks for AWS_IAM both through
// x-amazon-apigateway-auth and through an awsSigv4 security scheme is
// checked once, and a request the AWS SDK signed passes.
func TestImportSigV4Once(t *testing.T) {
	creds := auth.Credentials{SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", UserARN: "arn:aws:iam::123456789012:user/alice"}
	sig, err := auth.NewSigV4(auth.SigV4Config{Credentials: auth.StaticCredentials{"AKIDEXAMPLE": creds}, Region: "eu-west-1"})
	if err != nil {
		t.Fatal(err)
	}
	doc := `{"openapi":"3.0.1","info":{"title":"i","version":"1"},
	  "components":{"securitySchemes":{"sigv4":{"type":"apiKey","name":"Authorization","in":"header","x-amazon-apigateway-authtype":"awsSigv4"}}},
	  "paths":{"/iam":{"get":{"x-amazon-apigateway-auth":{"type":"AWS_IAM"},"security":[{"sigv4":[]}],
	    "x-amazon-apigateway-integration":{"type":"mock","requestTemplates":{"application/json":"{\"statusCode\": 200}"},
	      "responses":{"default":{"statusCode":"200","responseTemplates":{"application/json":"ok"}}}}}}}}`
	_, stage := importDeploy(t, context.Background(), []byte(doc), openapi.ImportConfig{Profile: gateway.RESTAPI, SigV4: sig, FailOnWarnings: true})
	if res := gatewaytest.Call(stage, "GET", "/iam", gatewaytest.SigV4("AKIDEXAMPLE", creds, "eu-west-1")); res.Code != 200 {
		t.Fatalf("signed request: %d %s", res.Code, res.Text())
	}
	if res := gatewaytest.Call(stage, "GET", "/iam"); res.Code != 403 {
		t.Fatalf("unsigned request: %d %s", res.Code, res.Text())
	}
}

// TestImportHTTPAPIIgnoresModels: an HTTP API never validates requests, so
// its components' schemas are not compiled, and one that Go's regexp
// engine cannot take does not refuse the import.
func TestImportHTTPAPIIgnoresModels(t *testing.T) {
	doc := `{"openapi":"3.0.1","info":{"title":"m","version":"1"},
	  "components":{"schemas":{"Pet":{"type":"string","pattern":"^(?!admin).*$"}}},
	  "paths":{"/a":{"get":{"x-amazon-apigateway-integration":{"type":"http_proxy","uri":"http://127.0.0.1:1/a","httpMethod":"GET","payloadFormatVersion":"1.0"}}}}}`
	if _, err := openapi.Import(context.Background(), []byte(doc), openapi.ImportConfig{}); err != nil {
		t.Fatalf("HTTP API: %v", err)
	}
	if _, err := openapi.Import(context.Background(), []byte(doc), openapi.ImportConfig{Profile: gateway.RESTAPI}); err == nil {
		t.Fatal("REST API: a model that cannot compile was accepted")
	}
}

func TestFunctionARN(t *testing.T) {
	for in, want := range map[string]string{
		"arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:1:function:f/invocations": "arn:aws:lambda:eu-west-1:1:function:f",
		"arn:aws:lambda:eu-west-1:1:function:f": "arn:aws:lambda:eu-west-1:1:function:f",
		"f":                                     "f",
	} {
		if got := openapi.FunctionARN(in); got != want {
			t.Errorf("FunctionARN(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestImportCognitoUserPools: a REST definition whose methods are secured
// by a COGNITO_USER_POOLS authorizer takes ID tokens of the pool on the
// method without scopes and access tokens with a scope on the method with
// scopes, and gives the claims to templates as $context.authorizer.claims;
// an authorizer this import cannot build leaves its routes out.
func TestImportCognitoUserPools(t *testing.T) {
	iss := gatewaytest.NewIssuer(t)
	const pool = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Pool1"
	doc := []byte(`{
  "openapi": "3.0.1",
  "info": {"title": "pets", "version": "1"},
  "paths": {
    "/me": {"get": {
      "security": [{"pool": []}],
      "x-amazon-apigateway-integration": {"type": "mock",
        "requestTemplates": {"application/json": "{\"statusCode\": 200}"},
        "responses": {"default": {"statusCode": "200",
          "responseTemplates": {"application/json": "$context.authorizer.claims.email"}}}}}},
    "/orders": {"get": {
      "security": [{"pool": ["orders/read"]}],
      "x-amazon-apigateway-integration": {"type": "mock",
        "requestTemplates": {"application/json": "{\"statusCode\": 200}"},
        "responses": {"default": {"statusCode": "200",
          "responseTemplates": {"application/json": "$context.authorizer.claims.client_id"}}}}}},
    "/pools": {"get": {
      "security": [{"pools": []}],
      "x-amazon-apigateway-integration": {"type": "mock",
        "requestTemplates": {"application/json": "{\"statusCode\": 200}"},
        "responses": {"default": {"statusCode": "200"}}}}},
    "/staged": {"get": {
      "security": [{"staged": []}],
      "x-amazon-apigateway-integration": {"type": "mock",
        "requestTemplates": {"application/json": "{\"statusCode\": 200}"},
        "responses": {"default": {"statusCode": "200"}}}}}
  },
  "components": {"securitySchemes": {
    "pool": {"type": "apiKey", "name": "X-Token", "in": "header",
      "x-amazon-apigateway-authtype": "cognito_user_pools",
      "x-amazon-apigateway-authorizer": {"type": "cognito_user_pools",
        "providerARNs": ["arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Pool1"]}},
    "pools": {"type": "apiKey", "name": "Authorization", "in": "header",
      "x-amazon-apigateway-authtype": "cognito_user_pools",
      "x-amazon-apigateway-authorizer": {"type": "cognito_user_pools",
        "providerARNs": ["arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Pool1",
                         "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Pool2"]}},
    "staged": {"type": "apiKey", "name": "Authorization", "in": "header",
      "x-amazon-apigateway-authtype": "cognito_user_pools",
      "x-amazon-apigateway-authorizer": {"type": "cognito_user_pools",
        "providerARNs": ["arn:aws:cognito-idp:eu-west-1:123456789012:userpool/${stageVariables.pool}"]}}
  }}
}`)
	var schemes []string
	im, stage := importDeploy(t, context.Background(), doc, openapi.ImportConfig{Profile: gateway.RESTAPI,
		JWT: func(scheme string, cfg *auth.JWTConfig) {
			schemes = append(schemes, scheme)
			if cfg.Issuer != pool || !cfg.CognitoUserPool {
				t.Errorf("scheme %s: issuer %q, CognitoUserPool %v", scheme, cfg.Issuer, cfg.CognitoUserPool)
			}
			// A hook that rebuilds the configuration cannot turn the
			// scheme's Cognito checks off.
			*cfg = auth.JWTConfig{Issuer: cfg.Issuer, Audience: []string{"web-client"}, IdentitySource: cfg.IdentitySource,
				JWKSURL: iss.URL + "/jwks.json"} // the test issuer stands in for the pool's keys
		}})
	if len(schemes) != 1 || len(im.Warnings) != 2 || !strings.Contains(strings.Join(im.Warnings, "\n"), "2 user pools") ||
		!strings.Contains(strings.Join(im.Warnings, "\n"), "stage variable") {
		t.Errorf("schemes built %q, warnings %q", schemes, im.Warnings)
	}
	idToken := iss.Token(gatewaytest.Claims{"iss": pool, "aud": "web-client", "token_use": "id", "email": "ann@example.com"})
	accessToken := iss.Token(gatewaytest.Claims{"iss": pool, "aud": nil, "client_id": "web-client", "token_use": "access", "scope": "orders/read"})
	foreign := iss.Token(gatewaytest.Claims{"aud": "web-client", "token_use": "id"}) // the test issuer's own iss
	for _, c := range []struct {
		target, token string
		status        int
		body          string
	}{
		{"/me", idToken, 200, "ann@example.com"},
		{"/me", accessToken, 401, `{"message":"Unauthorized"}`},
		{"/me", foreign, 401, `{"message":"Unauthorized"}`},
		{"/me", "", 401, `{"message":"Unauthorized"}`},
		{"/orders", accessToken, 200, "web-client"},
		{"/orders", idToken, 401, `{"message":"Unauthorized"}`},
		{"/pools", idToken, 500, `{"message": null}`},  // not imported: refuses (AUTHORIZER_CONFIGURATION_ERROR)
		{"/staged", idToken, 500, `{"message": null}`}, // likewise
	} {
		var opts []gatewaytest.Option
		if c.token != "" {
			opts = append(opts, gatewaytest.Header("X-Token", c.token)) // the scheme's header
		}
		res := gatewaytest.Call(stage, "GET", c.target, opts...)
		if res.Code != c.status || res.Text() != c.body {
			t.Errorf("GET %s: %d %q, want %d %q", c.target, res.Code, res.Text(), c.status, c.body)
		}
	}
}

// A route whose security cannot be built is not left to a broader route:
// with a catch-all {proxy+} beside it, its requests are still refused,
// never served unprotected.
func TestImportUnbuildableRouteIsNotOpenedByACatchAll(t *testing.T) {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "backend ", r.URL.Path) }))
	defer backend.Close()
	doc := []byte(`{"openapi":"3.0.1","info":{"title":"t","version":"1"},
	  "paths":{
	    "/admin":{"get":{"security":[{"lambda":[]}],
	      "x-amazon-apigateway-integration":{"type":"http_proxy","httpMethod":"GET","uri":"` + backend.URL + `/admin","payloadFormatVersion":"1.0"}}},
	    "/{proxy+}":{"x-amazon-apigateway-any-method":{
	      "x-amazon-apigateway-integration":{"type":"http_proxy","httpMethod":"ANY","uri":"` + backend.URL + `/{proxy}","payloadFormatVersion":"1.0"}}}},
	  "components":{"securitySchemes":{"lambda":{"type":"apiKey","name":"Authorization","in":"header",
	    "x-amazon-apigateway-authorizer":{"type":"request","identitySource":"$request.header.Authorization",
	      "authorizerUri":"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:1:function:f/invocations",
	      "authorizerPayloadFormatVersion":"2.0"}}}}}`)
	im, stage := importDeploy(t, context.Background(), doc, openapi.ImportConfig{}) // no Authorizer: the scheme cannot be built
	if len(im.Warnings) == 0 {
		t.Error("no warning for the unbuildable route")
	}
	if res := gatewaytest.Call(stage, "GET", "/admin"); res.Code < 500 || strings.Contains(res.Text(), "backend") {
		t.Errorf("GET /admin: %d %q", res.Code, res.Text())
	}
	if res := gatewaytest.Call(stage, "GET", "/other"); res.Code != 200 || res.Text() != "backend /other" {
		t.Errorf("GET /other: %d %q", res.Code, res.Text())
	}
}

// A TOKEN authorizer reads the header its security scheme names (AWS
// applies identitySource to REQUEST authorizers only); a REQUEST
// authorizer without identity sources and without caching is invoked for
// every request.
func TestImportLambdaAuthorizerSources(t *testing.T) {
	doc := []byte(`{"openapi":"3.0.1","info":{"title":"t","version":"1"},
	  "paths":{
	    "/token":{"get":{"security":[{"tok":[]}],
	      "x-amazon-apigateway-integration":{"type":"mock","requestTemplates":{"application/json":"{\"statusCode\": 200}"},
	        "responses":{"default":{"statusCode":"200","responseTemplates":{"application/json":"ok"}}}}}},
	    "/request":{"get":{"security":[{"req":[]}],
	      "x-amazon-apigateway-integration":{"type":"mock","requestTemplates":{"application/json":"{\"statusCode\": 200}"},
	        "responses":{"default":{"statusCode":"200","responseTemplates":{"application/json":"ok"}}}}}}},
	  "components":{"securitySchemes":{
	    "tok":{"type":"apiKey","name":"X-Auth-Token","in":"header","x-amazon-apigateway-authtype":"custom",
	      "x-amazon-apigateway-authorizer":{"type":"token","authorizerResultTtlInSeconds":0,
	        "authorizerUri":"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:1:function:tok/invocations"}},
	    "req":{"type":"apiKey","name":"Unused","in":"header","x-amazon-apigateway-authtype":"custom",
	      "x-amazon-apigateway-authorizer":{"type":"request","authorizerResultTtlInSeconds":0,
	        "authorizerUri":"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:1:function:req/invocations"}}}}}`)
	var mu sync.Mutex
	var tokens []string
	allow := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"*"}]}`
	_, stage := importDeploy(t, context.Background(), doc, openapi.ImportConfig{Profile: gateway.RESTAPI,
		Authorizer: func(target openapi.AuthorizerTarget) (auth.AuthorizeFunc, error) {
			return func(ctx context.Context, req *auth.AuthorizerRequest) (*auth.AuthorizerResponse, error) {
				mu.Lock()
				tokens = append(tokens, target.Type+":"+req.AuthorizationToken)
				mu.Unlock()
				p, err := auth.ParsePolicy([]byte(allow))
				return &auth.AuthorizerResponse{PrincipalID: "u", Policy: p}, err
			}, nil
		}})
	if res := gatewaytest.Call(stage, "GET", "/token", gatewaytest.Header("X-Auth-Token", "t")); res.Code != 200 {
		t.Errorf("TOKEN in the scheme's header: %d %s", res.Code, res.Text())
	}
	if res := gatewaytest.Call(stage, "GET", "/request"); res.Code != 200 {
		t.Errorf("REQUEST without sources or caching: %d %s", res.Code, res.Text())
	}
	if got := strings.Join(tokens, ","); got != "token:t,request:" {
		t.Errorf("authorizers saw %q", got)
	}
}

// A timeoutInMillis too large for a Duration is refused like any value
// past the limit, not wrapped around to an acceptable one.
func TestImportTimeoutOverflow(t *testing.T) {
	doc := []byte(`{"openapi":"3.0.1","info":{"title":"t","version":"1"},"paths":{"/x":{"get":{
	  "x-amazon-apigateway-integration":{"type":"http_proxy","httpMethod":"GET","uri":"http://127.0.0.1:1/x",
	    "payloadFormatVersion":"1.0","timeoutInMillis":288230376151721504}}}}}`)
	if _, err := openapi.Import(context.Background(), doc, openapi.ImportConfig{}); err == nil || !strings.Contains(err.Error(), "timeoutInMillis") {
		t.Errorf("err %v", err)
	}
}

// Swagger 2 body models validate: without consumes (the converter keys the
// body */*) and as a body parameter inside x-amazon-apigateway-any-method.
func TestImportSwagger2BodyValidation(t *testing.T) {
	for name, op := range map[string]string{
		"no consumes": `"/pets":{"post":{"parameters":[{"in":"body","name":"Pet","required":true,"schema":{"$ref":"#/definitions/Pet"}}],`,
		"any method":  `"/pets":{"x-amazon-apigateway-any-method":{"parameters":[{"in":"body","name":"Pet","required":true,"schema":{"$ref":"#/definitions/Pet"}}],`,
	} {
		doc := []byte(`{"swagger":"2.0","info":{"title":"p","version":"1"},
		  "x-amazon-apigateway-request-validators":{"all":{"validateRequestBody":true,"validateRequestParameters":true}},
		  "definitions":{"Pet":{"type":"object","required":["name"],"properties":{"name":{"type":"string"}}}},
		  "paths":{` + op + `
		    "x-amazon-apigateway-request-validator":"all",
		    "x-amazon-apigateway-integration":{"type":"mock","requestTemplates":{"application/json":"{\"statusCode\": 200}"},
		      "responses":{"default":{"statusCode":"200"}}}}}}}`)
		_, stage := importDeploy(t, context.Background(), doc, openapi.ImportConfig{Profile: gateway.RESTAPI})
		if res := gatewaytest.Call(stage, "POST", "/pets", gatewaytest.JSON(map[string]any{})); res.Code != 400 {
			t.Errorf("%s: a body without name: %d %s", name, res.Code, res.Text())
		}
		if res := gatewaytest.Call(stage, "POST", "/pets", gatewaytest.JSON(map[string]any{"name": "rex"})); res.Code != 200 {
			t.Errorf("%s: a valid body: %d %s", name, res.Code, res.Text())
		}
	}
}
