package transform_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gatewaykit/gateway/transform"
)

var (
	blob    = []byte{0x89, 'P', 'N', 'G', 0x00, 0xff, 0x10}
	blob64  = base64.StdEncoding.EncodeToString(blob)
	textRaw = []byte(`{"a":1}`)
)

// TestRequestContentHandling follows AWS's request table: a binary body
// (its Content-Type a binary media type) is base64-encoded by
// CONVERT_TO_TEXT, a text body base64-decoded by CONVERT_TO_BINARY;
// otherwise the body passes as it is.
func TestRequestContentHandling(t *testing.T) {
	for _, c := range []struct {
		name        string
		types       []string
		contentType string
		handling    transform.ContentHandling
		body, want  []byte
	}{
		{"text, no types, unset", nil, "application/json", "", textRaw, textRaw},
		{"text, no types, to binary", nil, "text/plain", transform.ConvertToBinary, []byte(blob64), blob},
		{"text, no types, to text", nil, "application/json", transform.ConvertToText, textRaw, textRaw},
		{"text type, types set, unset", []string{"image/png"}, "application/json", "", textRaw, textRaw},
		{"text type, types set, to binary", []string{"image/png"}, "text/plain", transform.ConvertToBinary, []byte(blob64), blob},
		{"text type, types set, to text", []string{"image/png"}, "application/json", transform.ConvertToText, textRaw, textRaw},
		{"binary, unset", []string{"image/png"}, "image/png", "", blob, blob},
		{"binary, to binary", []string{"image/*"}, "image/png", transform.ConvertToBinary, blob, blob},
		{"binary, to text", []string{"*/*"}, "image/png", transform.ConvertToText, blob, []byte(blob64)},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := transform.MustNewMapping(transform.MappingConfig{ContentHandling: c.handling, BinaryMediaTypes: c.types})
			var got []byte
			h := m.Handler(transform.BackendFunc(func(_ context.Context, req *transform.BackendRequest) (*transform.BackendResponse, error) {
				got = req.Body
				return &transform.BackendResponse{StatusCode: 200}, nil
			}))
			r := httptest.NewRequest("POST", "/", bytes.NewReader(c.body))
			r.Header.Set("Content-Type", c.contentType)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			if rec.Code != 200 || !bytes.Equal(got, c.want) {
				t.Fatalf("status %d, integration body %q, want %q", rec.Code, got, c.want)
			}
		})
	}
}

// TestRequestContentHandlingTemplate: a template reads the base64 text of
// a binary body converted to text; a body that is not base64 cannot be
// converted to binary (500, API configuration error).
func TestRequestContentHandlingTemplate(t *testing.T) {
	m := transform.MustNewMapping(transform.MappingConfig{ContentHandling: transform.ConvertToText, BinaryMediaTypes: []string{"image/png"},
		RequestTemplates: map[string]string{"image/png": `{"data": "$input.body"}`}})
	var got string
	h := m.Handler(transform.BackendFunc(func(_ context.Context, req *transform.BackendRequest) (*transform.BackendResponse, error) {
		got = string(req.Body)
		return &transform.BackendResponse{StatusCode: 200}, nil
	}))
	r := httptest.NewRequest("POST", "/", bytes.NewReader(blob))
	r.Header.Set("Content-Type", "image/png")
	h.ServeHTTP(httptest.NewRecorder(), r)
	if got != `{"data": "`+blob64+`"}` {
		t.Fatalf("template output %q", got)
	}

	bad := transform.MustNewMapping(transform.MappingConfig{ContentHandling: transform.ConvertToBinary})
	rec := httptest.NewRecorder()
	bad.Handler(transform.BackendFunc(func(context.Context, *transform.BackendRequest) (*transform.BackendResponse, error) {
		t.Error("the backend was called with a body that did not convert")
		return nil, nil
	})).ServeHTTP(rec, httptest.NewRequest("POST", "/", bytes.NewReader([]byte("not base64!"))))
	if rec.Code != 500 {
		t.Fatalf("status %d, want 500", rec.Code)
	}
}

// TestResponseContentHandling follows AWS's response table: the payload is
// binary when its Content-Type is a binary media type, the client asks for
// binary when the first Accept type is one.
func TestResponseContentHandling(t *testing.T) {
	png := []string{"image/png"}
	for _, c := range []struct {
		name      string
		types     []string
		accept    string
		payloadCT string
		handling  transform.ContentHandling
		payload   []byte
		want      []byte
	}{
		{"no types, unset", nil, "application/json", "application/json", "", textRaw, textRaw},
		{"no types, to binary", nil, "application/json", "text/plain", transform.ConvertToBinary, []byte(blob64), blob},
		{"no types, to text", nil, "application/json", "image/png", transform.ConvertToText, blob, blob},
		{"text, text accept, unset", png, "application/json", "application/json", "", textRaw, textRaw},
		{"text, text accept, to binary", png, "application/json", "text/plain", transform.ConvertToBinary, []byte(blob64), blob},
		{"text, text accept, to text", png, "application/json", "application/json", transform.ConvertToText, textRaw, textRaw},
		{"text, binary accept, unset", png, "image/png, */*", "text/plain", "", []byte(blob64), blob},
		{"text, binary accept, to binary", png, "image/png", "text/plain", transform.ConvertToBinary, []byte(blob64), blob},
		{"text, binary accept, to text", png, "image/png", "application/json", transform.ConvertToText, textRaw, textRaw},
		{"binary, text accept, unset", png, "application/json", "image/png", "", blob, []byte(blob64)},
		{"binary, text accept, to binary", png, "application/json", "image/png", transform.ConvertToBinary, blob, blob},
		{"binary, text accept, to text", png, "application/json", "image/png", transform.ConvertToText, blob, []byte(blob64)},
		{"binary, binary accept, unset", png, "image/png", "image/png", "", blob, blob},
		{"binary, binary accept, to binary", png, "image/png", "image/png", transform.ConvertToBinary, blob, blob},
		{"binary, binary accept, to text", png, "image/png", "image/png", transform.ConvertToText, blob, []byte(blob64)},
		{"only the first Accept type counts", png, "application/json, image/png", "image/png", "", blob, []byte(blob64)},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := transform.MustNewMapping(transform.MappingConfig{BinaryMediaTypes: c.types,
				Responses: []transform.IntegrationResponse{{ContentHandling: c.handling}}})
			h := m.Handler(transform.BackendFunc(func(context.Context, *transform.BackendRequest) (*transform.BackendResponse, error) {
				return &transform.BackendResponse{StatusCode: 200, Header: http.Header{"Content-Type": {c.payloadCT}}, Body: c.payload}, nil
			}))
			r := httptest.NewRequest("GET", "/", nil)
			r.Header.Set("Accept", c.accept)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			if rec.Code != 200 || !bytes.Equal(rec.Body.Bytes(), c.want) {
				t.Fatalf("status %d, body %q, want %q", rec.Code, rec.Body.Bytes(), c.want)
			}
		})
	}
}

func TestContentHandlingRefused(t *testing.T) {
	if _, err := transform.NewMapping(transform.MappingConfig{ContentHandling: "CONVERT_TO_JPEG"}); err == nil {
		t.Error("an unknown request contentHandling was accepted")
	}
	if _, err := transform.NewMapping(transform.MappingConfig{Responses: []transform.IntegrationResponse{{ContentHandling: "x"}}}); err == nil {
		t.Error("an unknown response contentHandling was accepted")
	}
}

// TestResponseWithoutContentType: with every type binary (*/*), a backend
// answer without Content-Type (a Lambda function's, a mock's) is JSON
// passed through, whatever Accept says; no Accept accepts anything.
func TestResponseWithoutContentType(t *testing.T) {
	m := transform.MustNewMapping(transform.MappingConfig{BinaryMediaTypes: []string{"*/*"}})
	h := m.Handler(transform.BackendFunc(func(context.Context, *transform.BackendRequest) (*transform.BackendResponse, error) {
		return &transform.BackendResponse{StatusCode: 200, Body: textRaw}, nil
	}))
	for _, accept := range []string{"", "*/*", "application/json", "image/png"} {
		r := httptest.NewRequest("GET", "/", nil)
		if accept != "" {
			r.Header.Set("Accept", accept)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if rec.Code != 200 || !bytes.Equal(rec.Body.Bytes(), textRaw) {
			t.Errorf("Accept %q: %d %q", accept, rec.Code, rec.Body.Bytes())
		}
	}
}
