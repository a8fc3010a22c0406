package transform

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"regexp"
	"sort"
	"strings"

	"github.com/gatewaykit/gateway"
	querystring "github.com/gatewaykit/gateway/internal/query"
	"github.com/gatewaykit/gateway/internal/reqheader"
)

// ValidationConfig is a REST API method's request validation: which checks
// its request validator turns on (validateRequestBody,
// validateRequestParameters), the parameters it declares and the models of
// its request bodies.
type ValidationConfig struct {
	// Body turns on body validation: the body must satisfy the model
	// RequestModels names for its content type.
	Body bool `json:"validateRequestBody,omitempty"`
	// Parameters turns on parameter validation: every parameter declared
	// required in RequestParameters must be present and not empty.
	Parameters bool `json:"validateRequestParameters,omitempty"`
	// RequestParameters declares the method's parameters, keyed
	// method.request.{path|querystring|header}.NAME; true marks a required
	// one. Nil declares none.
	RequestParameters map[string]bool `json:"requestParameters,omitempty"`
	// RequestModels maps a request content type (MIME type only, such as
	// application/json) to the name of a model in Models. The key
	// "$default" applies to content types with no entry of their own; a
	// content type with neither is not validated. A request without
	// Content-Type is application/json, as on AWS.
	RequestModels map[string]string `json:"requestModels,omitempty"`
	// Models are the API's models. Nil means only AWS's built-in Empty and
	// Error models.
	Models *Models `json:"-"`
	// MaxBodyBytes bounds the body read for validation; a larger body
	// gets 413. Zero means gateway.DefaultMaxRequestBytes (10 MB).
	MaxBodyBytes int64 `json:"-"`
}

// Validator is API Gateway's request validator for one method, as
// middleware: a request that fails is answered 400 through
// gateway.WriteError and never reaches the integration. Parameters are
// checked before the body:
//
//   - missing parameters: BAD_REQUEST_PARAMETERS,
//     {"message": "Missing required request parameters: [a, b]"}, names
//     ordered by their full key (header < path < querystring);
//   - a body that is not JSON or breaks its model: BAD_REQUEST_BODY,
//     {"message": "Invalid request body"}.
//
// The detail goes to $context.error.validationErrorString. A Validator is
// immutable and safe for concurrent use.
type Validator struct {
	body, params bool
	required     []paramKey
	models       *Models
	byType       map[string]string
	maxBody      int64
}

type paramKey struct {
	key, loc, name string
}

var paramKeyRE = regexp.MustCompile(`^method\.request\.(path|querystring|header)\.([a-zA-Z0-9._$-]+)$`)

// NewValidator checks cfg and compiles it. Parameter keys must be
// method.request.{path|querystring|header}.NAME with NAME matching
// [a-zA-Z0-9._$-]+, and every model named must exist.
func NewValidator(cfg ValidationConfig) (*Validator, error) {
	v := &Validator{body: cfg.Body, params: cfg.Parameters, models: cfg.Models, maxBody: cfg.MaxBodyBytes}
	if v.maxBody <= 0 {
		v.maxBody = gateway.DefaultMaxRequestBytes
	}
	if v.models == nil {
		m, err := NewModels()
		if err != nil {
			return nil, err
		}
		v.models = m
	}
	for key, required := range cfg.RequestParameters {
		m := paramKeyRE.FindStringSubmatch(key)
		if m == nil {
			return nil, fmt.Errorf("request parameter %q: want method.request.{path|querystring|header}.NAME", key)
		}
		if required {
			v.required = append(v.required, paramKey{key: key, loc: m[1], name: m[2]})
		}
	}
	sort.Slice(v.required, func(i, j int) bool { return v.required[i].key < v.required[j].key })
	v.byType = make(map[string]string, len(cfg.RequestModels))
	for ct, model := range cfg.RequestModels {
		if !v.models.Has(model) {
			return nil, fmt.Errorf("request model for %q: no model %q", ct, model)
		}
		key := ct
		if ct != "$default" {
			mt, _, err := mime.ParseMediaType(ct)
			if err != nil {
				return nil, fmt.Errorf("request model content type %q: %w", ct, err)
			}
			key = mt
		}
		v.byType[key] = model
	}
	return v, nil
}

// MustNewValidator is NewValidator that panics on error; for examples and
// tests.
func MustNewValidator(cfg ValidationConfig) *Validator {
	v, err := NewValidator(cfg)
	if err != nil {
		panic(err)
	}
	return v
}

// Middleware returns next behind the validator.
func (v *Validator) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := v.Validate(r); err != nil {
			gateway.WriteError(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// RouteOption attaches the validator to a route at gateway.PhaseValidate.
func (v *Validator) RouteOption() gateway.RouteOption {
	return gateway.WithMiddleware(gateway.PhaseValidate, v.Middleware)
}

// Validate checks r. When it reads the body it puts an identical one back
// in r.Body for the next handler. The error is nil or a *gateway.Error
// (BAD_REQUEST_PARAMETERS, BAD_REQUEST_BODY, REQUEST_TOO_LARGE) whose
// ValidationError is the detail.
func (v *Validator) Validate(r *http.Request) error {
	if v.params {
		if missing := v.missing(r); len(missing) > 0 {
			msg := "Missing required request parameters: [" + strings.Join(missing, ", ") + "]"
			return &gateway.Error{Type: gateway.ResponseBadRequestParameters, Message: msg, ValidationError: msg}
		}
	}
	if !v.body {
		return nil
	}
	model, ok := v.modelFor(r.Header.Get("Content-Type"))
	if !ok {
		return nil
	}
	body, err := readBody(r, v.maxBody)
	if err != nil {
		return err
	}
	err = v.models.Validate(model, body)
	if err == nil {
		return nil
	}
	ge := &gateway.Error{Type: gateway.ResponseBadRequestBody, Message: "Invalid request body", Err: err}
	var se *SchemaError
	switch {
	case errors.As(err, &se):
		ge.ValidationError = se.Error()
	case errors.Is(err, ErrInvalidJSON):
		ge.ValidationError = "[Invalid JSON in request body]"
	default:
		ge.Type = gateway.ResponseAPIConfigurationError
		ge.Message = ""
	}
	return ge
}

// missing returns the names of required parameters that are absent or
// empty, ordered by full key.
func (v *Validator) missing(r *http.Request) []string {
	var out []string
	var query map[string][]string
	for _, p := range v.required {
		present := false
		switch p.loc {
		case "header":
			present = nonEmpty(reqheader.Values(r, p.name))
		case "querystring":
			if query == nil {
				query = querystring.Values(r.URL.RawQuery)
			}
			present = nonEmpty(query[p.name])
		case "path":
			if rc := gateway.RequestContextFrom(r.Context()); rc != nil {
				val, ok := rc.PathParameters.Get(p.name)
				present = ok && val != ""
			} else {
				present = r.PathValue(p.name) != ""
			}
		}
		if !present {
			out = append(out, p.name)
		}
	}
	return out
}

func nonEmpty(vs []string) bool {
	for _, s := range vs {
		if s != "" {
			return true
		}
	}
	return false
}

// modelFor picks the model for a Content-Type header value.
func (v *Validator) modelFor(contentType string) (string, bool) {
	mt := mediaType(contentType)
	if m, ok := v.byType[mt]; ok {
		return m, true
	}
	m, ok := v.byType["$default"]
	return m, ok
}

// mediaType returns the lower-case MIME type of a Content-Type value, or
// application/json when there is none, as API Gateway does.
func mediaType(contentType string) string {
	if contentType == "" {
		return "application/json"
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt, _, _ = strings.Cut(contentType, ";")
		mt = strings.ToLower(strings.TrimSpace(mt))
	}
	if mt == "" {
		return "application/json"
	}
	return mt
}

// readBody reads r's body up to limit bytes and puts an identical reader
// back. A larger body is a REQUEST_TOO_LARGE rejection; a read error is
// returned as is (gateway.WriteError answers a body over the stage's
// limit with 413).
func readBody(r *http.Request, limit int64) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	_ = r.Body.Close()
	if err != nil {
		return nil, err
	}
	if int64(len(body)) > limit {
		return nil, gateway.Errorf(gateway.ResponseRequestTooLarge, "", fmt.Errorf("request body over %d bytes", limit))
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	return body, nil
}
