package integration

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/internal/lambdafn"
)

// lambdaResult is what a function returned: a typed response (the
// in-process fast path, no JSON involved) or a JSON payload.
type lambdaResult struct {
	v1      *events.APIGatewayProxyResponse
	v2      *events.APIGatewayV2HTTPResponse
	payload []byte
}

// proxyResponse is a function's answer as API Gateway understood it.
type proxyResponse struct {
	status      int
	header      http.Header
	cookies     []string
	body        string
	base64      bool
	textDefault bool // 2.0 explicit form: text/plain when no Content-Type
}

// errMalformed is the cause logged for an unusable proxy response, in the
// words of API Gateway's execution log (lower-cased).
var errMalformed = errors.New("execution failed due to configuration error: malformed Lambda proxy response")

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errMalformed}, args...)...)
}

// readResponse turns a function result into a proxyResponse, reading it
// as API Gateway reads format v1 (strictly) or 2.0 (with inference).
func readResponse(res *lambdaResult, v1 bool) (*proxyResponse, error) {
	switch {
	case res.v1 != nil:
		// The JSON form of APIGatewayProxyResponse has only allowed keys and
		// a numeric statusCode, in both formats.
		return typedResponse(res.v1.StatusCode, res.v1.Headers, res.v1.MultiValueHeaders, nil, res.v1.Body, res.v1.IsBase64Encoded, v1)
	case res.v2 != nil:
		if v1 {
			// Its JSON form carries "cookies", a key format 1.0 refuses.
			return nil, malformed(`unexpected key "cookies"`)
		}
		return typedResponse(res.v2.StatusCode, res.v2.Headers, res.v2.MultiValueHeaders, res.v2.Cookies, res.v2.Body, res.v2.IsBase64Encoded, v1)
	case v1:
		return parseV1Response(res.payload)
	default:
		return parseV2Response(res.payload)
	}
}

func typedResponse(status int, headers map[string]string, multi map[string][]string, cookies []string, body string, b64, v1 bool) (*proxyResponse, error) {
	if status < 200 || status > 599 {
		return nil, malformed("statusCode %d", status)
	}
	pr := &proxyResponse{status: status, body: body, base64: b64, cookies: cookies, textDefault: !v1}
	pr.header = make(http.Header, len(headers)+len(multi)+2)
	if v1 { // format 2.0 ignores multiValueHeaders
		for k, vs := range multi {
			for _, v := range vs {
				lambdafn.AddHeader(pr.header, k, v, false)
			}
		}
	}
	for k, v := range headers {
		lambdafn.AddHeader(pr.header, k, v, true)
	}
	return pr, nil
}

// parseV1Response reads a format 1.0 response. API Gateway accepts only
// statusCode (a number or numeric string; absent means 200), headers
// (scalars, stringified), multiValueHeaders (lists), body (a string) and
// isBase64Encoded; anything else makes the response malformed.
func parseV1Response(payload []byte) (*proxyResponse, error) {
	trimmed := bytes.TrimSpace(payload)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, malformed("not a JSON object")
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(trimmed, &m); err != nil {
		return nil, malformed("%v", err)
	}
	pr := &proxyResponse{status: http.StatusOK, header: make(http.Header, 4)}
	for k := range m {
		switch k {
		case "statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded":
		default:
			return nil, malformed("unexpected key %q", k)
		}
	}
	if err := pr.readCommon(m, true); err != nil {
		return nil, err
	}
	return pr, nil
}

// parseV2Response reads a format 2.0 response. A JSON object with a
// statusCode is the explicit form: cookies, isBase64Encoded, statusCode,
// headers and body are read; other keys are ignored, multiValueHeaders too
// (format 2.0 has none: API Gateway's team, quoted in
// aws/serverless-java-container#377), and without a Content-Type header
// the client gets text/plain (reported by users of HTTP APIs; the charset
// parameter is our assumption). Any other valid JSON is inferred: status
// 200, Content-Type application/json, and the payload itself as the body
// (a JSON string is unquoted).
func parseV2Response(payload []byte) (*proxyResponse, error) {
	trimmed := bytes.TrimSpace(payload)
	if !json.Valid(trimmed) {
		return nil, malformed("not valid JSON")
	}
	infer := func(body string) *proxyResponse {
		h := make(http.Header, 2)
		h["Content-Type"] = []string{"application/json"}
		return &proxyResponse{status: http.StatusOK, header: h, body: body}
	}
	switch trimmed[0] {
	case '"':
		var s string
		if err := json.Unmarshal(trimmed, &s); err != nil {
			return nil, malformed("%v", err)
		}
		return infer(s), nil
	case '{':
	default:
		return infer(string(trimmed)), nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(trimmed, &m); err != nil {
		return nil, malformed("%v", err)
	}
	if sc, ok := m["statusCode"]; !ok || string(sc) == "null" {
		return infer(string(trimmed)), nil
	}
	pr := &proxyResponse{header: make(http.Header, 4), textDefault: true}
	if err := pr.readCommon(m, false); err != nil {
		return nil, err
	}
	if raw, ok := m["cookies"]; ok && string(raw) != "null" {
		var cookies []string
		if err := json.Unmarshal(raw, &cookies); err != nil {
			return nil, malformed("cookies: %v", err)
		}
		pr.cookies = cookies
	}
	return pr, nil
}

// readCommon reads the keys both formats share.
func (pr *proxyResponse) readCommon(m map[string]json.RawMessage, v1 bool) error {
	pr.status = http.StatusOK
	if raw, ok := m["statusCode"]; ok && string(raw) != "null" {
		code, err := parseStatusCode(raw, v1)
		if err != nil {
			return err
		}
		pr.status = code
	}
	if raw, ok := m["multiValueHeaders"]; ok && v1 && string(raw) != "null" {
		var mv map[string]json.RawMessage
		if err := json.Unmarshal(raw, &mv); err != nil {
			return malformed("multiValueHeaders: %v", err)
		}
		for name, list := range mv {
			if string(list) == "null" {
				continue
			}
			var vals []json.RawMessage
			if err := json.Unmarshal(list, &vals); err != nil {
				return malformed("multiValueHeaders[%q] is not a list", name)
			}
			for _, v := range vals {
				s, ok := scalarString(v)
				if !ok {
					return malformed("multiValueHeaders[%q]: value %s", name, v)
				}
				lambdafn.AddHeader(pr.header, name, s, false)
			}
		}
	}
	if raw, ok := m["headers"]; ok && string(raw) != "null" {
		var hs map[string]json.RawMessage
		if err := json.Unmarshal(raw, &hs); err != nil {
			return malformed("headers: %v", err)
		}
		for name, v := range hs {
			if string(v) == "null" {
				continue
			}
			s, ok := scalarString(v)
			if !ok {
				return malformed("headers[%q]: value %s", name, v)
			}
			lambdafn.AddHeader(pr.header, name, s, true)
		}
	}
	if raw, ok := m["body"]; ok && string(raw) != "null" {
		if err := json.Unmarshal(raw, &pr.body); err != nil {
			return malformed("body is not a string")
		}
	}
	if raw, ok := m["isBase64Encoded"]; ok && string(raw) != "null" {
		if err := json.Unmarshal(raw, &pr.base64); err != nil {
			return malformed("isBase64Encoded is not a boolean")
		}
	}
	return nil
}

// parseStatusCode accepts an integral number, or (format 1.0, as observed
// on REST APIs) a string holding one, from 200 to 599.
func parseStatusCode(raw json.RawMessage, v1 bool) (int, error) {
	var code float64
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil || !v1 {
			return 0, malformed("statusCode %s", raw)
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			return 0, malformed("statusCode %s", raw)
		}
		code = float64(n)
	} else if err := json.Unmarshal(raw, &code); err != nil {
		return 0, malformed("statusCode %s", raw)
	}
	if code != math.Trunc(code) || code < 200 || code > 599 {
		return 0, malformed("statusCode %s", raw)
	}
	return int(code), nil
}

// scalarString stringifies a header value: strings as they are, numbers
// and booleans in their JSON text.
func scalarString(raw json.RawMessage) (string, bool) {
	switch {
	case len(raw) == 0:
		return "", false
	case raw[0] == '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", false
		}
		return s, true
	case string(raw) == "true", string(raw) == "false":
		return string(raw), true
	case raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9':
		return string(raw), true
	}
	return "", false
}

// writeResponse sends pr to the client. Bodies marked isBase64Encoded are
// decoded on HTTP APIs always, and on REST APIs only when the request's
// first Accept type matches a binary media type (otherwise the client gets
// the base64 text, as on AWS). Format 1.0 responses without a Content-Type
// get application/json, explicit 2.0 ones text/plain.
func writeResponse(w http.ResponseWriter, r *http.Request, rc *gateway.RequestContext, pr *proxyResponse, binaryTypes []string) error {
	body := pr.body
	if pr.base64 && (rc.Profile == gateway.HTTPAPI || acceptsBinary(r, binaryTypes)) {
		dec, err := base64.StdEncoding.DecodeString(body)
		if err != nil {
			return malformed("body is not valid base64: %v", err)
		}
		body = string(dec)
	}
	h := w.Header()
	for k, vs := range pr.header {
		h[k] = vs
	}
	for _, c := range pr.cookies {
		lambdafn.AddHeader(h, "Set-Cookie", c, false)
	}
	if _, ok := h["Content-Type"]; !ok {
		if pr.textDefault {
			h["Content-Type"] = []string{"text/plain; charset=utf-8"}
		} else {
			h["Content-Type"] = []string{"application/json"}
		}
	}
	if !bodyAllowed(pr.status) {
		body = ""
		delete(h, "Content-Length")
	} else {
		h["Content-Length"] = []string{strconv.Itoa(len(body))}
	}
	w.WriteHeader(pr.status)
	if r.Method != http.MethodHead && body != "" {
		_, _ = io.WriteString(w, body)
	}
	return nil
}

func bodyAllowed(status int) bool {
	return status != http.StatusNoContent && status != http.StatusNotModified
}

// acceptsBinary applies REST's rule: only the first media type of Accept
// decides whether a binary response is decoded.
func acceptsBinary(r *http.Request, binaryTypes []string) bool {
	accept := r.Header.Get("Accept")
	first, _, _ := strings.Cut(accept, ",")
	mt, _, err := mime.ParseMediaType(strings.TrimSpace(first))
	if err != nil {
		return false
	}
	return matchMediaType(strings.ToLower(mt), binaryTypes)
}
