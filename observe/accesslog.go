// Package observe records what a gateway serves: access logs in API
// Gateway's $context formats, metrics with API Gateway's names, and
// OpenTelemetry traces. All three are gateway.Observers (pass them to
// gateway.WithObserver), so they see every request a stage serves,
// including those the gateway answers itself and aborted ones; all three
// also work as middleware around any http.Handler.
package observe

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/gatewaykit/gateway"
)

// The access log formats the API Gateway console offers, for REST APIs
// and, with $context.routeKey for the resource path and without caller and
// user, for HTTP APIs.
const (
	FormatCLF  = `$context.identity.sourceIp $context.identity.caller $context.identity.user [$context.requestTime] "$context.httpMethod $context.resourcePath $context.protocol" $context.status $context.responseLength $context.requestId $context.extendedRequestId`
	FormatJSON = `{ "requestId":"$context.requestId", "extendedRequestId":"$context.extendedRequestId", "ip": "$context.identity.sourceIp", "caller":"$context.identity.caller", "user":"$context.identity.user", "requestTime":"$context.requestTime", "httpMethod":"$context.httpMethod", "resourcePath":"$context.resourcePath", "status":"$context.status", "protocol":"$context.protocol", "responseLength":"$context.responseLength" }`
	FormatXML  = `<request id="$context.requestId"> <extendedRequestId>$context.extendedRequestId</extendedRequestId> <ip>$context.identity.sourceIp</ip> <caller>$context.identity.caller</caller> <user>$context.identity.user</user> <requestTime>$context.requestTime</requestTime> <httpMethod>$context.httpMethod</httpMethod> <resourcePath>$context.resourcePath</resourcePath> <status>$context.status</status> <protocol>$context.protocol</protocol> <responseLength>$context.responseLength</responseLength> </request>`
	FormatCSV  = `$context.identity.sourceIp,$context.identity.caller,$context.identity.user,$context.requestTime,$context.httpMethod,$context.resourcePath,$context.protocol,$context.status,$context.responseLength,$context.requestId,$context.extendedRequestId`

	FormatHTTPCLF  = `$context.identity.sourceIp - - [$context.requestTime] "$context.httpMethod $context.routeKey $context.protocol" $context.status $context.responseLength $context.requestId`
	FormatHTTPJSON = `{ "requestId":"$context.requestId", "ip": "$context.identity.sourceIp", "requestTime":"$context.requestTime", "httpMethod":"$context.httpMethod", "routeKey":"$context.routeKey", "status":"$context.status", "protocol":"$context.protocol", "responseLength":"$context.responseLength" }`
	FormatHTTPXML  = `<request id="$context.requestId"> <ip>$context.identity.sourceIp</ip> <requestTime>$context.requestTime</requestTime> <httpMethod>$context.httpMethod</httpMethod> <routeKey>$context.routeKey</routeKey> <status>$context.status</status> <protocol>$context.protocol</protocol> <responseLength>$context.responseLength</responseLength> </request>`
	FormatHTTPCSV  = `$context.identity.sourceIp,$context.requestTime,$context.httpMethod,$context.routeKey,$context.protocol,$context.status,$context.responseLength,$context.requestId`
)

// MaxFormatBytes is the largest access log format, API Gateway's limit for
// HTTP APIs (3 KB).
const MaxFormatBytes = 3 << 10

// AccessLogConfig configures an access log.
type AccessLogConfig struct {
	// Format is the line: text with $context.* variables, such as one of
	// the Format constants. Empty means FormatHTTPCLF.
	Format string
	// Writer receives one line per request, each in a single Write. Nil
	// means os.Stdout. Writes are serialised.
	Writer io.Writer
	// Missing is written for a variable without a value. Empty means "-",
	// as API Gateway is commonly observed to log unset variables (AWS does
	// not document it).
	Missing string
}

// AccessLog writes a line per request. Values are escaped so that no
// request can forge a line or, in a format that starts with '{', break the
// JSON: control characters always (as \n, \t, \u0001), and '"' and '\' in
// JSON formats. Other formats are not escaped further: a value holding a
// comma, a quote or '<' (a user agent, a path, a claim) can add a field to
// a CSV, CLF or XML line, so parse such logs with that in mind, or log the
// client's values in JSON. Build it with NewAccessLog; it is safe for
// concurrent use.
type AccessLog struct {
	parts   []part
	w       io.Writer
	missing string
	json    bool

	mu   sync.Mutex
	pool sync.Pool // *bytes.Buffer
}

// part is literal text, or the $context variable named by name.
type part struct {
	text string
	name string // "" for text
}

// NewAccessLog parses cfg.Format once. It refuses a format over
// MaxFormatBytes or without any $context variable, and a variable whose
// name is empty ("$context." followed by nothing).
func NewAccessLog(cfg AccessLogConfig) (*AccessLog, error) {
	format := cfg.Format
	if format == "" {
		format = FormatHTTPCLF
	}
	if len(format) > MaxFormatBytes {
		return nil, fmt.Errorf("observe: access log format of %d bytes exceeds %d", len(format), MaxFormatBytes)
	}
	parts, err := parseFormat(format)
	if err != nil {
		return nil, err
	}
	l := &AccessLog{parts: parts, w: cfg.Writer, missing: cfg.Missing, json: strings.HasPrefix(strings.TrimSpace(format), "{")}
	if l.w == nil {
		l.w = os.Stdout
	}
	if l.missing == "" {
		l.missing = "-"
	}
	l.pool.New = func() any { return new(bytes.Buffer) }
	return l, nil
}

const contextPrefix = "$context."

// parseFormat splits a format into text and variables. A variable is
// $context. followed by letters, digits, '_', '-', ':' and '.', without
// trailing dots ("$context.status." ends a sentence).
func parseFormat(format string) ([]part, error) {
	var parts []part
	vars := 0
	for rest := format; rest != ""; {
		i := strings.Index(rest, contextPrefix)
		if i < 0 {
			parts = append(parts, part{text: rest})
			break
		}
		if i > 0 {
			parts = append(parts, part{text: rest[:i]})
		}
		rest = rest[i+len(contextPrefix):]
		n := 0
		for n < len(rest) && isNameByte(rest[n]) {
			n++
		}
		name := strings.TrimRight(rest[:n], ".")
		if name == "" {
			return nil, fmt.Errorf("observe: access log format: %q names no variable", contextPrefix+rest[:min(n, 20)])
		}
		parts = append(parts, part{name: name})
		rest = rest[len(name):]
		vars++
	}
	if vars == 0 {
		return nil, errors.New("observe: access log format has no $context variable")
	}
	return parts, nil
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == ':' || c == '.'
}

// ObserveRequest writes rc's line. It implements gateway.Observer.
func (l *AccessLog) ObserveRequest(rc *gateway.RequestContext) {
	buf := l.pool.Get().(*bytes.Buffer)
	buf.Reset()
	l.appendLine(buf, rc)
	l.mu.Lock()
	_, _ = l.w.Write(buf.Bytes())
	l.mu.Unlock()
	if buf.Cap() <= 64<<10 {
		l.pool.Put(buf)
	}
}

// Line returns rc's line, without the newline.
func (l *AccessLog) Line(rc *gateway.RequestContext) string {
	var buf bytes.Buffer
	l.appendLine(&buf, rc)
	return strings.TrimSuffix(buf.String(), "\n")
}

func (l *AccessLog) appendLine(buf *bytes.Buffer, rc *gateway.RequestContext) {
	for _, p := range l.parts {
		if p.name == "" {
			buf.WriteString(p.text)
			continue
		}
		v, ok := rc.Value(p.name)
		if !ok {
			v = l.missing
		}
		l.appendValue(buf, v)
	}
	buf.WriteByte('\n')
}

// appendValue writes v escaped: control characters always, and the
// characters JSON strings escape in JSON formats. Invalid UTF-8 becomes
// U+FFFD.
func (l *AccessLog) appendValue(buf *bytes.Buffer, v string) {
	for i := 0; i < len(v); {
		c := v[i]
		if c >= 0x20 && c != 0x7f && c < utf8.RuneSelf && !(l.json && (c == '"' || c == '\\')) {
			buf.WriteByte(c)
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(v[i:])
			switch {
			case r == utf8.RuneError && size == 1:
				buf.WriteRune(utf8.RuneError)
			case r >= 0x80 && r <= 0x9f || r == '\u2028' || r == '\u2029':
				// C1 controls and Unicode's line and paragraph
				// separators: readers that split on them would see a
				// forged line.
				fmt.Fprintf(buf, `\u%04x`, r)
			default:
				buf.WriteString(v[i : i+size])
			}
			i += size
			continue
		}
		switch c {
		case '"':
			buf.WriteString(`\"`)
		case '\\':
			buf.WriteString(`\\`)
		case '\n':
			buf.WriteString(`\n`)
		case '\r':
			buf.WriteString(`\r`)
		case '\t':
			buf.WriteString(`\t`)
		default:
			fmt.Fprintf(buf, `\u%04x`, c)
		}
		i++
	}
}

// Middleware logs the requests of any handler, outside a gateway stage:
// inside one, use gateway.WithObserver. The RequestContext it logs holds
// what a plain request shows: a request id (reused from the
// RequestContext when there is one), method, path, protocol, source IP
// (the TCP peer), user agent, request time, status, response length and
// latency.
func (l *AccessLog) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		serveObserved(l, next, w, r)
	})
}

// serveObserved runs next with a writer that counts the answer, then
// gives o the request's RequestContext.
func serveObserved(o gateway.Observer, next http.Handler, w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rc := gateway.RequestContextFrom(r.Context())
	plain := rc == nil
	if plain {
		rc = plainContext(r, start)
		r = r.WithContext(gateway.NewContext(r.Context(), rc))
	}
	cw := &countingWriter{ResponseWriter: w}
	defer func() {
		p := recover()
		cw.record(rc, r, plain, start, p)
		o.ObserveRequest(rc)
		if p != nil {
			panic(p) // observed; the server's to handle, as without us
		}
	}()
	next.ServeHTTP(cw, r)
}

func plainContext(r *http.Request, now time.Time) *gateway.RequestContext {
	rc := &gateway.RequestContext{
		RequestID:   gateway.NewUUID(),
		HTTPMethod:  r.Method,
		Path:        r.URL.Path,
		Protocol:    r.Proto,
		RequestTime: now,
	}
	rc.ExtendedRequestID = rc.RequestID
	setPattern(rc, r)
	rc.Identity.SourceIP = gateway.SourceIP(r, nil)
	rc.Identity.UserAgent = r.UserAgent()
	return rc
}

// setPattern makes the ServeMux pattern r matched (set on r by the mux
// once next has run) the route of a RequestContext made outside a stage.
func setPattern(rc *gateway.RequestContext, r *http.Request) {
	rc.RouteKey = r.Pattern
	rc.ResourcePath = r.Pattern
	if _, path, ok := strings.Cut(r.Pattern, " "); ok {
		rc.ResourcePath = path
	}
}

// countingWriter records the status and body bytes of an answer.
type countingWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

// record puts the answer's status, length and latency into rc, and, for a
// RequestContext made outside a stage (plain), the ServeMux pattern r
// matched. panicked is what the handler panicked with, if it did: the
// request is aborted then (the server cuts the connection), and an answer
// not begun counts as a 500.
func (w *countingWriter) record(rc *gateway.RequestContext, r *http.Request, plain bool, start time.Time, panicked any) {
	if plain {
		setPattern(rc, r)
	}
	if panicked != nil {
		rc.Aborted = true
		if w.status == 0 {
			w.status = http.StatusInternalServerError
		}
	}
	rc.Status = w.status
	if rc.Status == 0 {
		rc.Status = http.StatusOK
	}
	rc.ResponseLength = w.bytes
	rc.ResponseLatency = time.Since(start)
}

func (w *countingWriter) WriteHeader(code int) {
	if w.status == 0 && code >= 200 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *countingWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(p)
	w.bytes += int64(n)
	return n, err
}

func (w *countingWriter) Flush() { _ = http.NewResponseController(w.ResponseWriter).Flush() }

// Unwrap returns the underlying writer, for http.ResponseController.
func (w *countingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
