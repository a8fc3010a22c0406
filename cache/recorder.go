package cache

import (
	"bufio"
	"net"
	"net/http"
	"slices"
	"time"
)

const storeTimeout = 2 * time.Second

// recorder passes the integration's response to the client while keeping
// a copy for the cache, until the copy is known to be uncacheable.
type recorder struct {
	http.ResponseWriter
	limit  int64
	before http.Header // headers already set by outer layers: not the integration's

	status      int
	wroteHeader bool
	stored      http.Header
	body        []byte
	skip        bool // not cacheable: stop copying
	hijacked    bool
}

// hopHeaders are never stored.
var hopHeaders = map[string]bool{
	"Connection": true, "Keep-Alive": true, "Proxy-Authenticate": true, "Proxy-Authorization": true,
	"Te": true, "Trailer": true, "Transfer-Encoding": true, "Upgrade": true,
	"Apigw-Requestid": true, "X-Amzn-Requestid": true, "X-Amz-Apigw-Id": true, "Date": true,
}

func (rec *recorder) WriteHeader(code int) {
	if rec.wroteHeader {
		return
	}
	if code >= 100 && code < 200 {
		rec.ResponseWriter.WriteHeader(code)
		return
	}
	rec.status, rec.wroteHeader = code, true
	h := rec.Header()
	if code < 200 || code > 299 || code == http.StatusPartialContent || len(h.Values("Set-Cookie")) > 0 {
		// Only successful, whole answers (not 206, the part of one a
		// Range asked for), never one that sets cookies.
		rec.skip = true
	} else {
		rec.stored = make(http.Header, len(h))
		for k, vs := range h {
			if hopHeaders[k] || slices.Equal(rec.before[k], vs) {
				continue // set around the integration (CORS, warnings, ids): per request, not cached
			}
			rec.stored[k] = append([]string(nil), vs...)
		}
	}
	rec.ResponseWriter.WriteHeader(code)
}

func (rec *recorder) Write(p []byte) (int, error) {
	if !rec.wroteHeader {
		rec.WriteHeader(http.StatusOK)
	}
	if !rec.skip {
		if int64(len(rec.body)+len(p)) > rec.limit {
			rec.skip, rec.body = true, nil
		} else {
			rec.body = append(rec.body, p...)
		}
	}
	return rec.ResponseWriter.Write(p)
}

// Flush passes a flush through.
func (rec *recorder) Flush() {
	if !rec.wroteHeader {
		rec.WriteHeader(http.StatusOK)
	}
	_ = http.NewResponseController(rec.ResponseWriter).Flush()
}

// Unwrap returns the underlying writer for http.ResponseController.
func (rec *recorder) Unwrap() http.ResponseWriter { return rec.ResponseWriter }

// Hijack passes a hijack through; the connection is the handler's then,
// and nothing of it is kept.
func (rec *recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	rec.hijacked, rec.skip, rec.body = true, true, nil
	return http.NewResponseController(rec.ResponseWriter).Hijack()
}

func (rec *recorder) cacheable() bool {
	if rec.hijacked {
		return false
	}
	if !rec.wroteHeader {
		// An integration that wrote nothing answered an implicit 200 with
		// whatever headers it set; that is cacheable like any 200.
		rec.WriteHeader(http.StatusOK)
	}
	return !rec.skip
}
