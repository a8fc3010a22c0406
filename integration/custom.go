package integration

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/transform"
	"github.com/gatewaykit/gateway/transform/vtl"
)

// The non-proxy ("custom") integrations of REST APIs: HTTP, AWS (Lambda)
// and MOCK with mapping templates. Each is a transform.Mapping around a
// backend; see transform.MappingConfig for the request templates,
// passthrough behaviour, parameter mappings and integration responses.

// CustomHTTPConfig configures a non-proxy HTTP integration. URI is
// required.
type CustomHTTPConfig struct {
	// URI is the backend URL template, http or https. {name} is replaced
	// by the integration.request.path.name parameter (path-escaped) and
	// ${stageVariables.name} by the stage variable.
	URI string
	// Method is the integration's HTTP method. Empty or ANY (an exported
	// integration's httpMethod) sends the client's.
	Method string
	// Mapping is the request and response mapping.
	Mapping transform.MappingConfig
	// Timeout bounds the backend call, within the route's integration
	// timeout. Zero means the route's timeout alone.
	Timeout time.Duration
	// Transport makes the backend calls. Nil means a clone of
	// http.DefaultTransport.
	Transport http.RoundTripper
	// MaxResponseBytes bounds the backend's response body, which is read
	// whole for the response mapping; a larger one is an integration
	// failure (502). Zero means 10 MB, API Gateway's payload limit.
	MaxResponseBytes int64
}

// NewCustomHTTP returns a non-proxy HTTP integration: the request goes
// through the mapping to the backend, only with the mapped headers and
// query parameters, and the backend's status code selects the integration
// response.
func NewCustomHTTP(cfg CustomHTTPConfig) (http.Handler, error) {
	cfg.Method = backendMethod(cfg.Method)
	parts, err := parseURITemplate(cfg.URI)
	if err != nil {
		return nil, fmt.Errorf("custom http integration %q: %w", cfg.URI, err)
	}
	var probe strings.Builder
	for _, p := range parts {
		if p.kind == partLiteral {
			probe.WriteString(p.text)
		} else {
			probe.WriteString("x")
		}
	}
	u, err := url.Parse(probe.String())
	if err != nil {
		return nil, fmt.Errorf("custom http integration %q: %w", cfg.URI, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("custom http integration %q: want an absolute http or https URL", cfg.URI)
	}
	if cfg.Timeout != 0 && cfg.Timeout < gateway.MinIntegrationTimeout {
		return nil, fmt.Errorf("custom http integration %q: timeout %v is below %v", cfg.URI, cfg.Timeout, gateway.MinIntegrationTimeout)
	}
	m, err := transform.NewMapping(cfg.Mapping)
	if err != nil {
		return nil, fmt.Errorf("custom http integration %q: %w", cfg.URI, err)
	}
	b := &customHTTP{cfg: cfg, parts: parts, pathSources: map[string]string{}}
	for dst, src := range cfg.Mapping.RequestParameters {
		name, isPath := strings.CutPrefix(dst, "integration.request.path.")
		if from, ok := strings.CutPrefix(src, "method.request.path."); isPath && ok {
			b.pathSources[name] = from
		}
	}
	if b.cfg.Transport == nil {
		b.cfg.Transport = http.DefaultTransport.(*http.Transport).Clone()
	}
	if b.cfg.MaxResponseBytes <= 0 {
		b.cfg.MaxResponseBytes = gateway.DefaultMaxRequestBytes
	}
	return m.Handler(b), nil
}

type customHTTP struct {
	cfg   CustomHTTPConfig
	parts []uriPart
	// pathSources names, for each integration path parameter mapped from
	// a method path parameter, that parameter.
	pathSources map[string]string
}

// HandlesTimeout reports that the backend call honours the context's
// deadline, so the integration answers its own timeouts.
func (b *customHTTP) HandlesTimeout() bool { return true }

func (b *customHTTP) Invoke(ctx context.Context, req *transform.BackendRequest) (*transform.BackendResponse, error) {
	target, err := b.target(ctx, req)
	if err != nil {
		return nil, err
	}
	method := b.cfg.Method
	if method == "" {
		method = req.MethodRequest.Method
	}
	if b.cfg.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, b.cfg.Timeout)
		defer cancel()
	}
	out, err := http.NewRequestWithContext(ctx, method, target.String(), bytes.NewReader(req.Body))
	if err != nil {
		return nil, gateway.Errorf(gateway.ResponseAPIConfigurationError, "", err)
	}
	for k, vs := range req.Header {
		out.Header[k] = append([]string(nil), vs...)
	}
	if req.ContentType != "" && out.Header.Get("Content-Type") == "" && len(req.Body) > 0 {
		out.Header.Set("Content-Type", req.ContentType)
	}
	resp, err := b.cfg.Transport.RoundTrip(out)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, b.cfg.MaxResponseBytes+1))
	if err != nil {
		return nil, err
	}
	if int64(len(body)) > b.cfg.MaxResponseBytes {
		return nil, fmt.Errorf("backend response over %d bytes", b.cfg.MaxResponseBytes)
	}
	return &transform.BackendResponse{StatusCode: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

func (b *customHTTP) target(ctx context.Context, req *transform.BackendRequest) (*url.URL, error) {
	rc := gateway.RequestContextFrom(ctx)
	var s strings.Builder
	for _, p := range b.parts {
		switch p.kind {
		case partLiteral:
			s.WriteString(p.text)
		case partStageVar:
			v, ok := "", false
			if rc != nil {
				v, ok = rc.StageVariables[p.text]
			}
			if !ok {
				return nil, gateway.Errorf(gateway.ResponseAPIConfigurationError, "", fmt.Errorf("stage variable %q is not set", p.text))
			}
			s.WriteString(v)
		case partParam:
			v, ok := req.Path[p.text]
			if !ok {
				return nil, gateway.Errorf(gateway.ResponseAPIConfigurationError, "", fmt.Errorf("integration.request.path.%s is not mapped", p.text))
			}
			if p.inQuery {
				// In the query string the value is data, never syntax: a
				// value holding '&' or '=' must not add parameters.
				s.WriteString(url.QueryEscape(v))
				continue
			}
			// Only the route's greedy parameter, mapped as it is, keeps
			// its slashes: any other value is one segment, even one that
			// happens to equal it.
			greedy, gv, hasGreedy := greedyParam(rc)
			escaped, err := escapePathValue(v, hasGreedy && b.pathSources[p.text] == greedy && v == gv)
			if err != nil {
				return nil, &gateway.Error{Type: gateway.ResponseDefault4XX, Message: "Bad Request",
					Err: fmt.Errorf("integration.request.path.%s: %w", p.text, err)}
			}
			s.WriteString(escaped)
		}
	}
	u, err := url.Parse(s.String())
	if err != nil {
		return nil, gateway.Errorf(gateway.ResponseAPIConfigurationError, "", fmt.Errorf("integration URI: %w", err))
	}
	if len(req.Query) > 0 {
		q := u.Query()
		for k, vs := range req.Query {
			q[k] = append(q[k], vs...)
		}
		u.RawQuery = q.Encode()
	}
	return u, nil
}

// escapePathValue escapes a path parameter value for the URI's path. The
// value may come encoded (a REST path parameter keeps the client's
// encoding: b%20c) or not (one mapped from a header: b c), so what is
// already a %XX escape is kept and only what a path cannot hold is
// escaped, which sends either as b%20c. A '/' is escaped too (the value
// is one segment), but for the route's greedy parameter (greedy), whose
// slashes separate segments as the client sent them. Once decoded, no
// piece may be a dot segment, a backslash around one included, nor hold
// NUL: a backend that cleans its path would resolve it into another path.
func escapePathValue(v string, greedy bool) (string, error) {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == '%' && i+2 < len(v) && isHex(v[i+1]) && isHex(v[i+2]):
			b.WriteString(v[i : i+3])
			i += 2
		case c == '/' && greedy:
			b.WriteByte('/')
		case pathByte(c):
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	out := b.String()
	dec, err := url.PathUnescape(out)
	if err != nil {
		return "", fmt.Errorf("path value %q: %w", v, err)
	}
	if strings.ContainsRune(dec, 0) {
		return "", errors.New("NUL in a path value")
	}
	for piece := range strings.FieldsFuncSeq(dec, func(r rune) bool { return r == '/' || r == '\\' }) {
		if piece == "." || piece == ".." {
			return "", errors.New("dot segment in a path value")
		}
	}
	return out, nil
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// pathByte reports whether a path segment may hold c unescaped (RFC 3986
// pchar, but for '%').
func pathByte(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-._~!$&'()*+,;=:@", c) >= 0
}

// greedyParam returns the name and value of the route's greedy path
// parameter ({name+}), if it has one.
func greedyParam(rc *gateway.RequestContext) (name, value string, ok bool) {
	if rc == nil {
		return "", "", false
	}
	i := strings.LastIndex(rc.RouteKey, "{")
	if i < 0 || !strings.HasSuffix(rc.RouteKey, "+}") {
		return "", "", false
	}
	name = rc.RouteKey[i+1 : len(rc.RouteKey)-2]
	value, ok = rc.PathParameters.Get(name)
	return name, value, ok
}

// LambdaFunc is a Lambda function called in process by a non-proxy Lambda
// integration: it receives the integration request body (the rendered
// request template) and returns its result payload, or fails.
type LambdaFunc func(ctx context.Context, payload []byte) ([]byte, error)

// Invoke calls f; with it a LambdaFunc is also an aws-lambda-go
// lambda.Handler, so the same function serves Lambda proxy routes.
func (f LambdaFunc) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	return f(ctx, payload)
}

// NewCustomLambda returns a non-proxy Lambda integration (type AWS) that
// invokes fn. A result is the integration response body and takes the
// default integration response; an error becomes the body
// {"errorMessage":"...","errorType":"..."}, as Lambda reports it, and its
// message is what selection patterns match, so
// SelectionPattern "Not found.*" can answer 404. errorType is the Go type
// name of the error, as aws-lambda-go reports it.
func NewCustomLambda(fn LambdaFunc, mapping transform.MappingConfig) (http.Handler, error) {
	if fn == nil {
		return nil, errors.New("custom lambda integration: nil function")
	}
	m, err := transform.NewMapping(mapping)
	if err != nil {
		return nil, fmt.Errorf("custom lambda integration: %w", err)
	}
	return m.Handler(transform.BackendFunc(func(ctx context.Context, req *transform.BackendRequest) (*transform.BackendResponse, error) {
		out, err := callRecovering(ctx, fn, req.Body)
		if err == nil {
			return &transform.BackendResponse{StatusCode: 200, Body: out, Lambda: true}, nil
		}
		body, _ := json.Marshal(struct {
			ErrorMessage string `json:"errorMessage"`
			ErrorType    string `json:"errorType"`
		}{err.Error(), errorType(err)})
		return &transform.BackendResponse{StatusCode: 200, Body: body, Lambda: true, ErrorMessage: err.Error()}, nil
	})), nil
}

// callRecovering calls fn, turning a panic into a function error whose
// errorMessage is the panic's value, so a panicking function answers
// through the integration responses instead of aborting the connection.
func callRecovering(ctx context.Context, fn LambdaFunc, payload []byte) (out []byte, err error) {
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, panicError{fmt.Sprint(p)}
		}
	}()
	return fn(ctx, payload)
}

// panicError is a recovered panic of a LambdaFunc; its type name is what
// errorType reports.
type panicError struct{ msg string }

func (e panicError) Error() string { return e.msg }

func errorType(err error) string {
	t := reflect.TypeOf(err)
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Name()
}

// NewCustomMock returns a MOCK integration driven by templates, as REST
// APIs use it (for example to answer CORS preflight requests): the
// request template must render a JSON object whose statusCode selects the
// integration response, {"statusCode": 200}, and the integration
// response's templates and responseParameters make the answer. A request
// whose mapped body has no valid statusCode gets 500.
func NewCustomMock(mapping transform.MappingConfig) (http.Handler, error) {
	m, err := transform.NewMapping(mapping)
	if err != nil {
		return nil, fmt.Errorf("mock integration: %w", err)
	}
	return m.Handler(mockBackend{}), nil
}

// mockBackend answers with the status the request template chose. It
// never blocks, so it needs no timeout guard.
type mockBackend struct{}

func (mockBackend) HandlesTimeout() bool { return true }

func (mockBackend) Invoke(_ context.Context, req *transform.BackendRequest) (*transform.BackendResponse, error) {
	doc, err := transform.ParseJSON(string(req.Body))
	if err != nil {
		return nil, gateway.Errorf(gateway.ResponseAPIConfigurationError, "", fmt.Errorf("mock integration: request body is not JSON: %w", err))
	}
	obj, _ := doc.(*vtl.Map)
	var status int
	if obj != nil {
		if v, ok := obj.Get("statusCode"); ok && v != nil {
			status, err = strconv.Atoi(vtl.ToString(v))
		}
	}
	if status < 100 || status > 599 || err != nil {
		return nil, gateway.Errorf(gateway.ResponseAPIConfigurationError, "", errors.New("mock integration: the request template must render {\"statusCode\": NNN}"))
	}
	return &transform.BackendResponse{StatusCode: status, Header: http.Header{}}, nil
}
