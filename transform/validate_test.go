package transform_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/integration"
	"github.com/gatewaykit/gateway/transform"
)

const petModel = `{
  "$schema": "http://json-schema.org/draft-04/schema#",
  "title": "Pet",
  "type": "object",
  "required": ["name", "type"],
  "additionalProperties": false,
  "properties": {
    "name":  {"type": "string", "pattern": "^[A-Za-z]+$", "minLength": 2},
    "type":  {"type": "string", "enum": ["dog", "cat", "fish"]},
    "price": {"type": "number", "minimum": 25, "maximum": 500},
    "age":   {"type": "integer"},
    "owner": {
      "type": "object",
      "required": ["id"],
      "properties": {"id": {"type": "integer", "minimum": 1}}
    },
    "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 2}
  }
}`

func petModels(t testing.TB) *transform.Models {
	t.Helper()
	m, err := transform.NewModels(
		transform.Model{Name: "Pet", Schema: petModel},
		transform.Model{Name: "Pets", Schema: `{"type":"array","items":{"$ref":"https://apigateway.amazonaws.com/restapis/abc123/models/Pet"}}`},
	)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestModelsValidate(t *testing.T) {
	m := petModels(t)
	tests := []struct {
		name, model, body string
		want              string // "" valid; else the validationErrorString
	}{
		{"valid", "Pet", `{"name":"Rex","type":"dog","price":30,"owner":{"id":7},"tags":["a"]}`, ""},
		{"required", "Pet", `{"type":"dog"}`, `[object has missing required properties (["name"])]`},
		{"required two", "Pet", `{}`, `[object has missing required properties (["name","type"])]`},
		{"empty body is {}", "Pet", ``, `[object has missing required properties (["name","type"])]`},
		{"type", "Pet", `{"name":"Rex","type":"dog","age":"old"}`, `[instance type (string) does not match any allowed primitive type (allowed: ["integer"])]`},
		{"type integer vs number", "Pet", `{"name":"Rex","type":"dog","age":1.5}`, `[instance type (number) does not match any allowed primitive type (allowed: ["integer"])]`},
		{"type of root", "Pet", `[1]`, `[instance type (array) does not match any allowed primitive type (allowed: ["object"])]`},
		{"enum", "Pet", `{"name":"Rex","type":"bird"}`, `[instance value ("bird") not found in enum (possible values: ["dog","cat","fish"])]`},
		{"pattern", "Pet", `{"name":"R2D2","type":"dog"}`, `[ECMA 262 regex "^[A-Za-z]+$" does not match input string "R2D2"]`},
		{"minLength", "Pet", `{"name":"R","type":"dog"}`, `[string "R" is too short (length: 1, required minimum: 2)]`},
		{"minimum", "Pet", `{"name":"Rex","type":"dog","price":10}`, `[numeric instance is lower than the required minimum (minimum: 25, found: 10)]`},
		{"maximum", "Pet", `{"name":"Rex","type":"dog","price":500.5}`, `[numeric instance is greater than the required maximum (maximum: 500, found: 500.5)]`},
		{"additionalProperties", "Pet", `{"name":"Rex","type":"dog","color":"red"}`, `[object instance has properties which are not allowed by the schema: ["color"]]`},
		{"nested object", "Pet", `{"name":"Rex","type":"dog","owner":{}}`, `[object has missing required properties (["id"])]`},
		{"nested minimum", "Pet", `{"name":"Rex","type":"dog","owner":{"id":0}}`, `[numeric instance is lower than the required minimum (minimum: 1, found: 0)]`},
		{"array items", "Pet", `{"name":"Rex","type":"dog","tags":["a",2]}`, `[instance type (integer) does not match any allowed primitive type (allowed: ["string"])]`},
		{"maxItems", "Pet", `{"name":"Rex","type":"dog","tags":["a","b","c"]}`, `[array is too long: must have at most 2 elements but instance has 3 elements]`},
		{"keywords by name, members not examined after an error", "Pet", `{"type":"bird","x":1,"y":2}`,
			`[object instance has properties which are not allowed by the schema: ["x","y"], object has missing required properties (["name"])]`},
		{"required sorted", "Pet", `{"age":1}`, `[object has missing required properties (["name","type"])]`},
		{"number allows integer", "Pet", `{"name":"Rex","type":"dog","price":"5"}`, `[instance type (string) does not match any allowed primitive type (allowed: ["integer","number"])]`},
		{"siblings all checked, no descent after an error", "Pet", `{"name":"Rex","type":"dog","age":"x","owner":{"id":"y"},"tags":["a","b","c"]}`,
			`[instance type (string) does not match any allowed primitive type (allowed: ["integer"]), array is too long: must have at most 2 elements but instance has 3 elements]`},
		{"members by name", "Pet", `{"type":"bird","name":"R"}`,
			`[string "R" is too short (length: 1, required minimum: 2), instance value ("bird") not found in enum (possible values: ["dog","cat","fish"])]`},
		{"ref to another model", "Pets", `[{"name":"Rex","type":"dog"},{"name":"Tom"}]`, `[object has missing required properties (["type"])]`},
		{"Empty model accepts objects", "Empty", `{"anything":[1,2]}`, ""},
		{"Empty model refuses arrays", "Empty", `[]`, `[instance type (array) does not match any allowed primitive type (allowed: ["object"])]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := m.Validate(tt.model, []byte(tt.body))
			if tt.want == "" {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			var se *transform.SchemaError
			if !errors.As(err, &se) {
				t.Fatalf("want *SchemaError, got %v", err)
			}
			if got := se.Error(); got != tt.want {
				t.Errorf("validationErrorString\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestModelsInvalidJSON(t *testing.T) {
	m := petModels(t)
	for _, body := range []string{`{"name":`, `name=Rex`, `{"a":1} x`} {
		if err := m.Validate("Pet", []byte(body)); !errors.Is(err, transform.ErrInvalidJSON) {
			t.Errorf("%q: got %v, want ErrInvalidJSON", body, err)
		}
	}
}

func TestNewModelsErrors(t *testing.T) {
	tests := []struct {
		name   string
		models []transform.Model
	}{
		{"bad json", []transform.Model{{Name: "A", Schema: `{`}}},
		{"bad schema", []transform.Model{{Name: "A", Schema: `{"type":"nothing"}`}}},
		{"duplicate", []transform.Model{{Name: "A", Schema: `{}`}, {Name: "A", Schema: `{}`}}},
		{"bad name", []transform.Model{{Name: "a/b", Schema: `{}`}}},
		{"unknown ref", []transform.Model{{Name: "A", Schema: `{"$ref":"https://apigateway.amazonaws.com/restapis/x/models/B"}`}}},
		{"network ref", []transform.Model{{Name: "A", Schema: `{"$ref":"https://example.com/schema.json"}`}}},
		{"pattern RE2 cannot compile", []transform.Model{{Name: "A", Schema: `{"pattern":"(?=a)"}`}}},
	}
	for _, tt := range tests {
		if _, err := transform.NewModels(tt.models...); err == nil {
			t.Errorf("%s: want an error", tt.name)
		}
	}
}

func TestNewValidatorErrors(t *testing.T) {
	m := petModels(t)
	for _, cfg := range []transform.ValidationConfig{
		{RequestParameters: map[string]bool{"method.request.body.x": true}},
		{RequestParameters: map[string]bool{"method.request.header.a b": true}},
		{RequestModels: map[string]string{"application/json": "Nope"}, Models: m},
		{RequestModels: map[string]string{"application/json": "Pet"}}, // no Models
		{RequestModels: map[string]string{";;": "Pet"}, Models: m},
	} {
		if _, err := transform.NewValidator(cfg); err == nil {
			t.Errorf("%+v: want an error", cfg)
		}
	}
}

// restAPI serves h at route behind opts on a REST API stage.
func restAPI(t testing.TB, route string, h http.Handler, opts ...gateway.RouteOption) http.Handler {
	t.Helper()
	api := gateway.New("t", gateway.Config{Profile: gateway.RESTAPI})
	if err := api.Handle(route, h, opts...); err != nil {
		t.Fatal(err)
	}
	st, err := api.Deploy("test", nil)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestValidatorOnRoute(t *testing.T) {
	v := transform.MustNewValidator(transform.ValidationConfig{
		Body:       true,
		Parameters: true,
		RequestParameters: map[string]bool{
			"method.request.querystring.qs1":       true,
			"method.request.header.x-header-param": true,
			"method.request.path.issuer":           true,
			"method.request.querystring.optional":  false,
		},
		RequestModels: map[string]string{"application/json": "Pet"},
		Models:        petModels(t),
	})
	echo := integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		_, _ = w.Write(append([]byte("ok "), b...))
	})
	api := gateway.New("t", gateway.Config{Profile: gateway.RESTAPI, Responses: map[gateway.ResponseType]gateway.GatewayResponse{
		gateway.ResponseBadRequestBody: {Template: `{"message": $context.error.messageString, "detail": "$context.error.validationErrorString"}`},
	}})
	if err := api.Handle("POST /issuers/{issuer}", echo, v.RouteOption()); err != nil {
		t.Fatal(err)
	}
	if err := api.Handle("POST /any", echo, v.RouteOption()); err != nil {
		t.Fatal(err)
	}
	st, err := api.Deploy("test", nil)
	if err != nil {
		t.Fatal(err)
	}
	const pet = `{"name":"Rex","type":"dog"}`
	tests := []struct {
		name, target, contentType, header, body string
		status                                  int
		want                                    string
	}{
		{"valid", "/issuers/acme?qs1=a", "application/json", "h", pet, 200, "ok " + pet},
		{"charset ignored", "/issuers/acme?qs1=a", "application/json; charset=UTF-8", "h", pet, 200, "ok " + pet},
		{"no content type is json", "/issuers/acme?qs1=a", "", "h", `{}`, 400,
			`{"message": "Invalid request body", "detail": "[object has missing required properties (["name","type"])]"}`},
		{"other content type is not validated", "/issuers/acme?qs1=a", "text/plain", "h", "hello", 200, "ok hello"},
		{"missing query and header", "/issuers/acme", "application/json", "", pet, 400,
			`{"message":"Missing required request parameters: [x-header-param, qs1]"}`},
		{"empty query value is missing", "/issuers/acme?qs1=", "application/json", "h", pet, 400,
			`{"message":"Missing required request parameters: [qs1]"}`},
		{"parameters before body", "/issuers/acme", "application/json", "h", `nope`, 400,
			`{"message":"Missing required request parameters: [qs1]"}`},
		{"path parameter missing on another route", "/any?qs1=a", "application/json", "h", pet, 400,
			`{"message":"Missing required request parameters: [issuer]"}`},
		{"not json", "/issuers/acme?qs1=a", "application/json", "h", `name=Rex`, 400,
			`{"message": "Invalid request body", "detail": "[Invalid JSON in request body]"}`},
		{"schema", "/issuers/acme?qs1=a", "application/json", "h", `{"name":"Rex","type":"bird"}`, 400,
			`{"message": "Invalid request body", "detail": "[instance value ("bird") not found in enum (possible values: ["dog","cat","fish"])]"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", tt.target, strings.NewReader(tt.body))
			if tt.contentType != "" {
				r.Header.Set("Content-Type", tt.contentType)
			}
			if tt.header != "" {
				r.Header.Set("X-Header-Param", tt.header)
			}
			rec := httptest.NewRecorder()
			st.ServeHTTP(rec, r)
			if rec.Code != tt.status || rec.Body.String() != tt.want {
				t.Errorf("got %d %s\nwant %d %s", rec.Code, rec.Body, tt.status, tt.want)
			}
			if tt.status == 400 && rec.Header().Get("X-Amzn-Errortype") != "BadRequestException" {
				t.Errorf("x-amzn-ErrorType %q", rec.Header().Get("X-Amzn-Errortype"))
			}
		})
	}
}

func TestValidatorRecordsValidationErrorString(t *testing.T) {
	v := transform.MustNewValidator(transform.ValidationConfig{
		Parameters:        true,
		RequestParameters: map[string]bool{"method.request.querystring.q": true},
	})
	var rc gateway.RequestContext
	r := httptest.NewRequest("GET", "/", nil)
	r = r.WithContext(gateway.NewContext(r.Context(), &rc))
	rec := httptest.NewRecorder()
	v.Middleware(http.NotFoundHandler()).ServeHTTP(rec, r)
	if rec.Code != 400 {
		t.Fatalf("status %d", rec.Code)
	}
	if got, _ := rc.Value("error.validationErrorString"); got != "Missing required request parameters: [q]" {
		t.Errorf("validationErrorString %q", got)
	}
	if rc.Error.ResponseType != gateway.ResponseBadRequestParameters {
		t.Errorf("responseType %q", rc.Error.ResponseType)
	}
}

func TestValidatorDefaultModelAndLimit(t *testing.T) {
	v := transform.MustNewValidator(transform.ValidationConfig{
		Body:          true,
		RequestModels: map[string]string{"$default": "Empty"},
		MaxBodyBytes:  16,
	})
	h := v.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) }))
	for _, tt := range []struct {
		ct, body string
		want     int
	}{
		{"text/xml", `{"a":1}`, 204},
		{"text/xml", `<a/>`, 400},
		{"application/json", `{"a":"0123456789abcdef"}`, 413},
	} {
		r := httptest.NewRequest("POST", "/", strings.NewReader(tt.body))
		r.Header.Set("Content-Type", tt.ct)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if rec.Code != tt.want {
			t.Errorf("%s %s: got %d, want %d", tt.ct, tt.body, rec.Code, tt.want)
		}
	}
}
