package gateway

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/gatewaykit/gateway/internal/hostport"
	"github.com/gatewaykit/gateway/internal/ids"
)

// Domain is a custom domain name with API mappings (base path mappings):
// each maps a base path to an API stage. A request goes to the mapping
// with the longest base path that is a whole-segment prefix of its path;
// the mapping with the empty base path, if any, catches the rest. The base
// path is not part of the route path, and the stage name does not appear
// in URLs through a domain.
//
// A Domain is an http.Handler; it serves whatever Host it is reached on.
// To serve several domains on one listener, put them in a DomainMux.
type Domain struct {
	name string

	mu       sync.Mutex
	mappings atomic.Pointer[[]mapping] // longest base path first
}

type mapping struct {
	base  string // without leading or trailing slash; "" for (none)
	stage *Stage
}

// basePathChars are the characters of a base path.
var basePathChars = newByteSet("$-_.+!*'()/", "AZ", "az", "09")

// NewDomain returns a domain called name (for example api.example.com)
// with no mappings. A final dot, as in the absolute form
// "api.example.com.", is not part of the name.
func NewDomain(name string) *Domain {
	d := &Domain{name: strings.TrimSuffix(strings.ToLower(name), ".")}
	d.mappings.Store(&[]mapping{})
	return d
}

// Name returns the domain name.
func (d *Domain) Name() string { return d.name }

// Map maps basePath ("" for the empty base path, or "orders/v1") to
// stage. Base paths use letters, digits and $-_.+!*'()/ as on AWS; mapping a
// base path twice is an error.
func (d *Domain) Map(basePath string, stage *Stage) error {
	base := strings.Trim(basePath, "/")
	if !basePathChars.spans(base, 0, 300) || strings.Contains(base, "//") {
		return fmt.Errorf("domain %s: invalid base path %q", d.name, basePath)
	}
	if stage == nil {
		return fmt.Errorf("domain %s: base path %q: nil stage", d.name, basePath)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	old := *d.mappings.Load()
	for _, m := range old {
		if m.base == base {
			return fmt.Errorf("domain %s: base path %q is already mapped", d.name, basePath)
		}
	}
	next := append(append([]mapping(nil), old...), mapping{base: base, stage: stage})
	sort.SliceStable(next, func(i, j int) bool { return len(next[i].base) > len(next[j].base) })
	d.mappings.Store(&next)
	return nil
}

// Unmap removes the mapping for basePath.
func (d *Domain) Unmap(basePath string) {
	base := strings.Trim(basePath, "/")
	d.mu.Lock()
	defer d.mu.Unlock()
	old := *d.mappings.Load()
	next := make([]mapping, 0, len(old))
	for _, m := range old {
		if m.base != base {
			next = append(next, m)
		}
	}
	d.mappings.Store(&next)
}

// ServeHTTP routes the request to the mapped stage. A request no mapping
// covers gets 403 {"message":"Forbidden"} with a request id: in the
// apigw-requestid header when every mapping is to an HTTP API, else in
// x-amzn-RequestId and x-amz-apigw-id as REST APIs send it.
func (d *Domain) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.EscapedPath()
	// "//v1/x" is "/v1/x", as AWS serves "//stage/x" [obs].
	lead := 0
	for lead+1 < len(path) && path[lead] == '/' && path[lead+1] == '/' {
		lead++
	}
	mappings := *d.mappings.Load()
	i, end := chooseMapping(mappings, path[lead:])
	// The mapping must be the one the path names once decoded and its
	// slashes collapsed (/%76%31/x is /v1/x, /v1//admin/x is /v1/admin/x):
	// a stage of another API must not route what a backend would read as
	// this one's path. When they differ, no mapping serves it.
	if norm := normalPath(path[lead:]); norm != path[lead:] {
		if j, _ := chooseMapping(mappings, norm); j != i {
			i = -1
		}
	}
	if i < 0 {
		writeNoMapping(w, r, profileOf(mappings))
		return
	}
	m := mappings[i]
	if m.base == "" {
		m.stage.serve(w, r, 0, "")
		return
	}
	m.stage.serve(w, r, lead+end, m.base)
}

// chooseMapping returns the index of the mapping (longest base path
// first) that covers path, and where its base path ends in path; -1 when
// none does.
func chooseMapping(mappings []mapping, path string) (int, int) {
	for i, m := range mappings {
		if m.base == "" {
			return i, 0
		}
		if len(path) > len(m.base) && path[0] == '/' && strings.HasPrefix(path[1:], m.base) {
			if end := 1 + len(m.base); end == len(path) || path[end] == '/' {
				return i, end
			}
		}
	}
	return -1, 0
}

// normalPath decodes an escaped path (when it decodes) and collapses its
// runs of slashes.
func normalPath(escaped string) string {
	p := escaped
	if strings.IndexByte(p, '%') >= 0 {
		if dec, err := url.PathUnescape(p); err == nil {
			p = dec
		}
	}
	for strings.Contains(p, "//") {
		p = strings.ReplaceAll(p, "//", "/")
	}
	return p
}

// profileOf is HTTPAPI when every mapping is to an HTTP API, else RESTAPI.
func profileOf(mappings []mapping) Profile {
	if len(mappings) == 0 {
		return RESTAPI
	}
	for _, m := range mappings {
		if m.stage.api.cfg.Profile != HTTPAPI {
			return RESTAPI
		}
	}
	return HTTPAPI
}

// DomainMux serves several custom domains on one listener, choosing by the
// request's Host (case-insensitive, port ignored, and a final dot too:
// "api.example.com." is the absolute form of the same name, which AWS's
// documentation does not address; nginx and Caddy serve it as the name
// without the dot, and so does DomainMux). Requests for other hosts
// go to Fallback, or get 403 {"message":"Forbidden"} when it is nil, with
// a request id in REST APIs' headers (x-amzn-RequestId, x-amz-apigw-id).
type DomainMux struct {
	// Fallback serves hosts that are not a known domain, such as an API
	// served execute-api style. Nil answers 403.
	Fallback http.Handler

	mu      sync.Mutex
	domains atomic.Pointer[map[string]*Domain]
}

// Add registers d; a second domain of the same name is an error.
func (m *DomainMux) Add(d *Domain) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	next := map[string]*Domain{}
	if old := m.domains.Load(); old != nil {
		for k, v := range *old {
			next[k] = v
		}
	}
	if _, dup := next[d.name]; dup {
		return fmt.Errorf("domain %s is already added", d.name)
	}
	next[d.name] = d
	m.domains.Store(&next)
	return nil
}

// ServeHTTP dispatches by Host.
func (m *DomainMux) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if ds := m.domains.Load(); ds != nil {
		host := strings.TrimSuffix(strings.ToLower(hostport.Host(r.Host)), ".")
		if d := (*ds)[host]; d != nil {
			d.ServeHTTP(w, r)
			return
		}
	}
	if m.Fallback != nil {
		m.Fallback.ServeHTTP(w, r)
		return
	}
	writeNoMapping(w, r, RESTAPI)
}

// writeNoMapping answers a request that no domain or base path mapping
// covers, as AWS does for custom domains, with a request id in the headers
// profile p sends it in. As on an API, a REST request id may come from the
// client's x-amzn-RequestId when that is a UUID.
func writeNoMapping(w http.ResponseWriter, r *http.Request, p Profile) {
	h := w.Header()
	if p == RESTAPI {
		id := r.Header.Get("X-Amzn-Requestid")
		if !isUUID(id) {
			id = NewUUID()
		}
		h.Set("X-Amzn-Requestid", id)
		h.Set("X-Amz-Apigw-Id", ids.Short())
	} else {
		h.Set("Apigw-Requestid", ids.Short())
	}
	h.Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusForbidden)
	_, _ = w.Write([]byte(`{"message":"Forbidden"}`))
}
