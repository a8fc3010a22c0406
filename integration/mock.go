package integration

import (
	"net/http"
	"strconv"

	"github.com/gatewaykit/gateway"
)

// MockResponse is a MOCK integration: it answers every request with a
// fixed status, headers and body, without calling any backend.
type MockResponse struct {
	// StatusCode is the status; 0 means 200.
	StatusCode int
	// Header holds the response headers; Content-Type defaults to
	// application/json when a body is set.
	Header http.Header
	// Body is the response body.
	Body string
}

// Mock returns a MOCK integration answering status and body.
func Mock(status int, body string) *MockResponse {
	return &MockResponse{StatusCode: status, Body: body}
}

// WithHeader adds a response header and returns m.
func (m *MockResponse) WithHeader(name, value string) *MockResponse {
	if m.Header == nil {
		m.Header = make(http.Header)
	}
	m.Header.Add(name, value)
	return m
}

// HandlesTimeout reports that a mock needs no timeout guard: it never
// blocks.
func (m *MockResponse) HandlesTimeout() bool { return true }

// ServeHTTP writes the fixed response.
func (m *MockResponse) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	status := m.StatusCode
	if status == 0 {
		status = http.StatusOK
	}
	if status < 200 || status > 599 {
		gateway.WriteError(w, r, gateway.Errorf(gateway.ResponseAPIConfigurationError, "", errInvalidStatus(status)))
		return
	}
	h := w.Header()
	for k, vs := range m.Header {
		h[k] = append([]string(nil), vs...)
	}
	if m.Body != "" && h.Get("Content-Type") == "" {
		h.Set("Content-Type", "application/json")
	}
	h.Set("Content-Length", strconv.Itoa(len(m.Body)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write([]byte(m.Body))
	}
}

type errInvalidStatus int

func (e errInvalidStatus) Error() string {
	return "mock integration: invalid status " + strconv.Itoa(int(e))
}
