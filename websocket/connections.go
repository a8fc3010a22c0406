package websocket

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// isoMillis is the ISO 8601 form of @connections timestamps.
const isoMillis = "2006-01-02T15:04:05.000Z"

// ConnectionsHandler returns the stage's @connections management API as
// an http.Handler, answering as API Gateway's
// https://{api-id}.execute-api.{region}.amazonaws.com/{stage}/@connections/{id}
// does (the AWS SDK's apigatewaymanagementapi client works against it):
//
//   - POST .../@connections/{id} sends the request body to the client: 200;
//   - GET returns {"connectedAt": ..., "identity": {"sourceIp": ...,
//     "userAgent": ...}, "lastActiveAt": ...} with ISO 8601 times: 200;
//   - DELETE closes the connection: 204.
//
// An unknown connection is 410 GoneException, a body over
// Config.MaxMessageBytes 413 PayloadTooLargeException, a post beyond
// Config.MaxQueuedPosts 429 LimitExceededException (the exception
// names travel in the X-Amzn-ErrorType header, as AWS sends them). The
// handler matches any path ending in /@connections/{id}, so it can be
// mounted under a stage or a custom domain's base path.
//
// The handler does not authenticate: on AWS the API requires SigV4
// (IAM), which is one middleware away:
//
//	iam, err := auth.NewSigV4(auth.SigV4Config{Credentials: creds, Region: "eu-west-1"})
//	http.Handle("/prod/@connections/", iam.Middleware(stage.ConnectionsHandler()))
func (s *Stage) ConnectionsHandler() http.Handler {
	return http.HandlerFunc(s.serveConnections)
}

func (s *Stage) serveConnections(w http.ResponseWriter, r *http.Request) {
	id, ok := connectionIDFromPath(r.URL.EscapedPath())
	if !ok {
		noRoute(w, r)
		return
	}
	switch r.Method {
	case http.MethodPost:
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.api.cfg.MaxMessageBytes))
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				writeException(w, http.StatusRequestEntityTooLarge, "PayloadTooLargeException", "Request entity too large")
				return
			}
			writeException(w, http.StatusBadRequest, "BadRequestException", "Could not read the request body")
			return
		}
		if err := s.PostToConnection(r.Context(), id, body); err != nil {
			writeConnError(w, err)
			return
		}
		w.WriteHeader(http.StatusOK)
	case http.MethodGet:
		info, err := s.GetConnection(r.Context(), id)
		if err != nil {
			writeConnError(w, err)
			return
		}
		b, _ := json.Marshal(connectionJSON{
			ConnectedAt:  info.ConnectedAt.UTC().Format(isoMillis),
			Identity:     identityJSON{SourceIP: info.SourceIP, UserAgent: info.UserAgent},
			LastActiveAt: info.LastActiveAt.UTC().Format(isoMillis),
		})
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(b)
	case http.MethodDelete:
		if err := s.DeleteConnection(r.Context(), id); err != nil {
			writeConnError(w, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	default:
		noRoute(w, r)
	}
}

// connectionIDFromPath returns the id of a path ending in
// /@connections/{id} (the '@' and the id percent-encoded or not).
func connectionIDFromPath(p string) (string, bool) {
	i := strings.LastIndex(p, "/@connections/")
	n := len("/@connections/")
	if j := strings.LastIndex(p, "/%40connections/"); j > i {
		i, n = j, len("/%40connections/")
	}
	if i < 0 {
		return "", false
	}
	raw := p[i+n:]
	if raw == "" || strings.Contains(raw, "/") {
		return "", false
	}
	id, err := url.PathUnescape(raw)
	return id, err == nil && id != ""
}

type connectionJSON struct {
	ConnectedAt  string       `json:"connectedAt"`
	Identity     identityJSON `json:"identity"`
	LastActiveAt string       `json:"lastActiveAt"`
}

type identityJSON struct {
	SourceIP  string `json:"sourceIp"`
	UserAgent string `json:"userAgent"`
}

// ParseConnectionTime parses a connectedAt or lastActiveAt value of the
// @connections GET answer.
func ParseConnectionTime(s string) (time.Time, error) {
	return time.Parse(isoMillis, s)
}

func writeConnError(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, ErrGone):
		writeException(w, http.StatusGone, "GoneException", "")
	case errors.Is(err, ErrPayloadTooLarge):
		writeException(w, http.StatusRequestEntityTooLarge, "PayloadTooLargeException", "Request entity too large")
	case errors.Is(err, ErrLimitExceeded):
		writeException(w, http.StatusTooManyRequests, "LimitExceededException", "")
	default:
		writeException(w, http.StatusInternalServerError, "InternalServerErrorException", "Internal server error")
	}
}

// writeException answers with an AWS JSON error: the exception name in
// X-Amzn-ErrorType, the message (null when empty) in the body.
func writeException(w http.ResponseWriter, status int, name, msg string) {
	w.Header().Set("X-Amzn-Errortype", name)
	body := `{"message":null}`
	if msg != "" {
		b, _ := json.Marshal(map[string]string{"message": msg})
		body = string(b)
	}
	writeJSON(w, status, body)
}

// noRoute is API Gateway's answer to a path or method the management API
// does not have.
func noRoute(w http.ResponseWriter, r *http.Request) {
	b, _ := json.Marshal(map[string]string{"message": "No method found matching route " + strings.TrimPrefix(r.URL.Path, "/") + " for http method " + r.Method + "."})
	writeJSON(w, http.StatusNotFound, string(b))
}
