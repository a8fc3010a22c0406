package auth

import (
	"bytes"
	"context"
	"crypto/hmac"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gatewaykit/gateway"
)

// Credentials are what a CredentialsProvider knows about an access key:
// its secret and who it belongs to ($context.identity.*).
type Credentials struct {
	// SecretAccessKey signs the caller's requests.
	SecretAccessKey string
	// SessionToken, when set, must arrive as X-Amz-Security-Token.
	SessionToken string
	// AccountID, Caller, User and UserARN fill $context.identity.
	AccountID, Caller, User, UserARN string
}

// ErrUnknownAccessKey is returned by providers for access keys they do not
// know.
var ErrUnknownAccessKey = errors.New("auth: unknown access key")

// CredentialsProvider looks up the credentials of an access key id.
type CredentialsProvider interface {
	Credentials(ctx context.Context, accessKeyID string) (Credentials, error)
}

// StaticCredentials is a CredentialsProvider over a fixed map.
type StaticCredentials map[string]Credentials

// Credentials returns the credentials of accessKeyID.
func (s StaticCredentials) Credentials(_ context.Context, accessKeyID string) (Credentials, error) {
	c, ok := s[accessKeyID]
	if !ok {
		return Credentials{}, ErrUnknownAccessKey
	}
	return c, nil
}

// SigV4Config configures a SigV4 ("AWS_IAM") authorizer. Credentials is
// required.
type SigV4Config struct {
	// Credentials resolves access key ids.
	Credentials CredentialsProvider
	// Region the credential scope must name. Empty means us-east-1.
	Region string
	// Service the credential scope must name. Empty means execute-api.
	Service string
	// Skew is the allowed clock difference. Zero means 5 minutes, as AWS.
	Skew time.Duration
	// SingleEncodePath canonicalises the decoded path encoded once, as the
	// generic SigV4 test suite does. The default encodes the escaped path
	// again, as execute-api and the AWS SDKs do.
	SingleEncodePath bool
	// NormalizePath removes dot segments and repeated slashes before
	// signing. The default (off) matches the AWS SDKs.
	NormalizePath bool
	// AllowReplays turns off replay protection. By default a header-signed
	// request whose signature was already seen inside the skew window is
	// refused (AWS accepts such replays; a gateway in front of
	// non-idempotent backends should not). Presigned URLs may always be
	// reused until they expire.
	AllowReplays bool
	// ReplayCacheSize bounds the signatures remembered, each until its
	// X-Amz-Date plus Skew, after which it cannot pass the clock check.
	// Zero means 1,000,000 (about 50 MB when full). A signature is never
	// forgotten inside its window (forgetting one would let it be
	// replayed): while the cache is full of live ones, new header-signed
	// requests are refused with 429.
	ReplayCacheSize int
	// ReplayCachePerKey bounds the signatures of one access key in the
	// cache, so that one caller cannot fill it and shut the others out:
	// past it, that key's new requests are refused with 429. Zero means a
	// tenth of ReplayCacheSize (100,000 by default: about 330 signed
	// requests a second, sustained, from one key with a 5-minute skew).
	ReplayCachePerKey int
	// MaxBodyBytes bounds the body read to check its hash. Zero means 10 MB.
	MaxBodyBytes int64
	// Now tells the time. Nil means time.Now.
	Now func() time.Time
}

// SigV4 verifies AWS Signature Version 4 requests, in the Authorization
// header or presigned in the query string.
type SigV4 struct {
	cfg     SigV4Config
	replays *replayCache
}

// NewSigV4 builds a SigV4 authorizer.
func NewSigV4(cfg SigV4Config) (*SigV4, error) {
	if cfg.Credentials == nil {
		return nil, errors.New("auth: SigV4Config.Credentials is required")
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if cfg.Service == "" {
		cfg.Service = "execute-api"
	}
	if cfg.Skew == 0 {
		cfg.Skew = 5 * time.Minute
	}
	if cfg.MaxBodyBytes == 0 {
		cfg.MaxBodyBytes = 10 << 20
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &SigV4{cfg: cfg}
	if !cfg.AllowReplays {
		size := cfg.ReplayCacheSize
		if size <= 0 {
			size = 1_000_000
		}
		perKey := cfg.ReplayCachePerKey
		if perKey <= 0 {
			perKey = max(size/10, 1)
		}
		s.replays = newReplayCache(size, perKey, cfg.Now())
	}
	return s, nil
}

// sigv4Auth is a parsed signature, from the header or the query.
type sigv4Auth struct {
	accessKey, date, region, service string
	signedHeaders                    []string
	signature                        string
	amzDate                          string
	expires                          time.Duration // presigned only
	presigned                        bool
	securityToken                    string
}

// parseAuthorization parses "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...".
// Problems are reported with AWS's wording.
func parseAuthorization(h string) (sigv4Auth, error) {
	var a sigv4Auth
	rest, ok := strings.CutPrefix(h, "AWS4-HMAC-SHA256 ")
	if !ok {
		return a, incompleteSignature(h)
	}
	var cred, signed, sig string
	for part := range strings.SplitSeq(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "Credential":
			cred = v
		case "SignedHeaders":
			signed = v
		case "Signature":
			sig = v
		}
	}
	if cred == "" || signed == "" || sig == "" {
		return a, incompleteSignature(h)
	}
	if err := a.setCredential(cred); err != nil {
		return a, err
	}
	a.signedHeaders = strings.Split(signed, ";")
	a.signature = sig
	return a, nil
}

func (a *sigv4Auth) setCredential(cred string) error {
	parts := strings.Split(cred, "/")
	if len(parts) != 5 || parts[4] != "aws4_request" || parts[0] == "" {
		return &gateway.Error{Type: gateway.ResponseInvalidSignature, Message: "Credential should be scoped to a valid region, not '" + cred + "'. "}
	}
	a.accessKey, a.date, a.region, a.service = parts[0], parts[1], parts[2], parts[3]
	return nil
}

func incompleteSignature(h string) error {
	return &gateway.Error{
		Type:    gateway.ResponseMissingAuthenticationToken,
		Message: "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=" + h,
		Header:  http.Header{"X-Amzn-Errortype": {"IncompleteSignatureException"}},
	}
}

// parsePresigned reads the X-Amz-* query parameters.
func parsePresigned(r *http.Request) (sigv4Auth, error) {
	q := r.URL.Query()
	var a sigv4Auth
	if q.Get("X-Amz-Algorithm") != "AWS4-HMAC-SHA256" {
		return a, &gateway.Error{Type: gateway.ResponseInvalidSignature, Message: "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\""}
	}
	if err := a.setCredential(q.Get("X-Amz-Credential")); err != nil {
		return a, err
	}
	// X-Amz-Expires is optional (the AWS SDKs' PresignHTTP leaves it to the
	// caller); without it the URL lives as long as the clock-skew window.
	if v := q.Get("X-Amz-Expires"); v != "" {
		exp, err := strconv.Atoi(v)
		if err != nil || exp < 1 || exp > 604800 {
			return a, &gateway.Error{Type: gateway.ResponseInvalidSignature, Message: "X-Amz-Expires must be between 1 and 604800 seconds"}
		}
		a.expires = time.Duration(exp) * time.Second
	}
	a.signedHeaders = strings.Split(q.Get("X-Amz-SignedHeaders"), ";")
	a.signature = q.Get("X-Amz-Signature")
	a.amzDate = q.Get("X-Amz-Date")
	a.securityToken = q.Get("X-Amz-Security-Token")
	a.presigned = true
	if a.signature == "" || a.amzDate == "" {
		return a, &gateway.Error{Type: gateway.ResponseInvalidSignature, Message: "Missing required presigned query parameters"}
	}
	return a, nil
}

const amzDateFormat = "20060102T150405Z"

// Verify checks r's signature and returns the caller's credentials. r's
// body, when read to check its hash, is replaced by an equal reader.
func (s *SigV4) Verify(r *http.Request) (Credentials, string, error) {
	var a sigv4Auth
	var err error
	h := r.Header.Get("Authorization")
	switch {
	case h != "":
		if a, err = parseAuthorization(h); err != nil {
			return Credentials{}, "", err
		}
		a.amzDate = r.Header.Get("X-Amz-Date")
		if a.amzDate == "" {
			if d := r.Header.Get("Date"); d != "" {
				if t, err := http.ParseTime(d); err == nil {
					a.amzDate = t.UTC().Format(amzDateFormat)
				}
			}
		}
		if a.amzDate == "" {
			return Credentials{}, "", incompleteSignature(h)
		}
		a.securityToken = r.Header.Get("X-Amz-Security-Token")
	case r.URL.Query().Get("X-Amz-Signature") != "":
		if a, err = parsePresigned(r); err != nil {
			return Credentials{}, "", err
		}
	default:
		return Credentials{}, "", gateway.ResponseMissingAuthenticationToken
	}

	t, err := time.Parse(amzDateFormat, a.amzDate)
	if err != nil || a.date != a.amzDate[:min(8, len(a.amzDate))] {
		return Credentials{}, "", &gateway.Error{Type: gateway.ResponseInvalidSignature, Message: "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '" + a.date + "' != '" + a.amzDate + "'"}
	}
	if a.region != s.cfg.Region || a.service != s.cfg.Service {
		return Credentials{}, "", &gateway.Error{Type: gateway.ResponseInvalidSignature, Message: "Credential should be scoped to correct service: '" + s.cfg.Service + "' and region '" + s.cfg.Region + "'. "}
	}
	now := s.cfg.Now().UTC()
	if a.presigned {
		if a.expires == 0 {
			a.expires = s.cfg.Skew
		}
		if now.After(t.Add(a.expires)) {
			return Credentials{}, "", &gateway.Error{Type: gateway.ResponseInvalidSignature, Message: "Request has expired."}
		}
		if t.After(now.Add(s.cfg.Skew)) {
			return Credentials{}, "", notYetCurrent(t, now, s.cfg.Skew)
		}
	} else {
		if t.Before(now.Add(-s.cfg.Skew)) {
			return Credentials{}, "", &gateway.Error{Type: gateway.ResponseInvalidSignature, Message: fmt.Sprintf("Signature expired: %s is now earlier than %s (%s - %d min.)",
				a.amzDate, now.Add(-s.cfg.Skew).Format(amzDateFormat), now.Format(amzDateFormat), int(s.cfg.Skew/time.Minute))}
		}
		if t.After(now.Add(s.cfg.Skew)) {
			return Credentials{}, "", notYetCurrent(t, now, s.cfg.Skew)
		}
	}
	if !contains(a.signedHeaders, "host") {
		return Credentials{}, "", &gateway.Error{Type: gateway.ResponseInvalidSignature, Message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."}
	}
	if !wellFormedSignedHeaders(a.signedHeaders) {
		// Signers list each header once, lower-case and sorted; a list
		// that repeats a large header thousands of times would make the
		// canonical request (and the mismatch answer quoting it) huge.
		return Credentials{}, "", &gateway.Error{Type: gateway.ResponseInvalidSignature,
			Message: "SignedHeaders must list at most " + strconv.Itoa(maxSignedHeaders) + " lower-case header names, sorted, each once."}
	}

	creds, err := s.cfg.Credentials.Credentials(r.Context(), a.accessKey)
	if err != nil {
		if errors.Is(err, ErrUnknownAccessKey) {
			return Credentials{}, "", &gateway.Error{Type: gateway.ResponseInvalidSignature, Message: "The security token included in the request is invalid.", Header: http.Header{"X-Amzn-Errortype": {"UnrecognizedClientException"}}, Err: err}
		}
		return Credentials{}, "", &gateway.Error{Type: gateway.ResponseAuthorizerFailure, Err: err}
	}
	if creds.SessionToken != "" && !hmac.Equal([]byte(creds.SessionToken), []byte(a.securityToken)) {
		return Credentials{}, "", &gateway.Error{Type: gateway.ResponseInvalidSignature, Message: "The security token included in the request is invalid.", Header: http.Header{"X-Amzn-Errortype": {"UnrecognizedClientException"}}}
	}

	headers, ok := canonicalHeaders(r, a.signedHeaders)
	if !ok {
		return Credentials{}, "", &gateway.Error{Type: gateway.ResponseInvalidSignature, Message: "A signed header is missing from the request."}
	}
	payloadHash, err := s.payloadHash(r)
	if err != nil {
		return Credentials{}, "", err
	}
	uri := canonicalURI(requestPath(r), s.cfg.SingleEncodePath, s.cfg.NormalizePath)
	scope := a.date + "/" + a.region + "/" + a.service + "/aws4_request"
	key := signingKey(creds.SecretAccessKey, a.date, a.region, a.service)
	check := func(query, hash string) (string, string, bool) {
		canonical := r.Method + "\n" + uri + "\n" + query + "\n" + headers + "\n" + strings.Join(a.signedHeaders, ";") + "\n" + hash
		sts := stringToSign(a.amzDate, scope, canonical)
		want := hex.EncodeToString(hmacSHA256(key, sts))
		return canonical, sts, hmac.Equal([]byte(want), []byte(a.signature))
	}
	// A presigned URL may have been signed over an unsigned payload, and
	// with the session token added after signing; the token itself was
	// checked against the credentials above.
	queries := []string{canonicalQuery(r.URL.RawQuery, a.presigned, false)}
	hashes := []string{payloadHash}
	if a.presigned {
		if a.securityToken != "" {
			queries = append(queries, canonicalQuery(r.URL.RawQuery, true, true))
		}
		if payloadHash != unsignedPayload {
			hashes = append(hashes, unsignedPayload)
		}
	}
	canonical, sts, good := check(queries[0], hashes[0])
	for _, q := range queries {
		for _, h := range hashes {
			if !good {
				_, _, good = check(q, h)
			}
		}
	}
	if !good {
		return Credentials{}, "", &gateway.Error{Type: gateway.ResponseInvalidSignature, Message: "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\nThe Canonical String for this request should have been\n'" +
			canonical + "'\n\nThe String-to-Sign should have been\n'" + sts + "'\n"}
	}
	if s.replays != nil && !a.presigned {
		switch s.replays.check(a.accessKey, a.signature, t.Add(s.cfg.Skew), now) {
		case replayFull:
			// Forgetting a live signature would let it be replayed:
			// refuse instead.
			return Credentials{}, "", &gateway.Error{Type: gateway.ResponseThrottled, Message: "Too Many Requests",
				Err: errors.New("auth: the SigV4 replay cache is full of live signatures")}
		case replaySeen:
			return Credentials{}, "", &gateway.Error{Type: gateway.ResponseInvalidSignature, Message: "The request signature has already been used."}
		}
	}
	return creds, a.accessKey, nil
}

const unsignedPayload = "UNSIGNED-PAYLOAD"

// payloadHash returns the hash the signature covers, after checking that a
// declared X-Amz-Content-Sha256 matches the body actually sent.
func (s *SigV4) payloadHash(r *http.Request) (string, error) {
	declared := r.Header.Get("X-Amz-Content-Sha256")
	if declared == unsignedPayload {
		return unsignedPayload, nil
	}
	body := []byte{}
	if r.Body != nil && r.Body != http.NoBody {
		b, err := io.ReadAll(io.LimitReader(r.Body, s.cfg.MaxBodyBytes+1))
		if err != nil {
			return "", &gateway.Error{Type: gateway.ResponseBadRequestBody, Err: err}
		}
		if int64(len(b)) > s.cfg.MaxBodyBytes {
			return "", gateway.ResponseRequestTooLarge
		}
		_ = r.Body.Close()
		r.Body = io.NopCloser(bytes.NewReader(b))
		body = b
	}
	actual := hexSHA256(body)
	if declared != "" && declared != actual {
		return "", &gateway.Error{Type: gateway.ResponseInvalidSignature, Message: "The provided 'x-amz-content-sha256' header does not match what was computed."}
	}
	return actual, nil
}

func notYetCurrent(t, now time.Time, skew time.Duration) error {
	return &gateway.Error{Type: gateway.ResponseInvalidSignature, Message: fmt.Sprintf("Signature not yet current: %s is still later than %s (%s + %d min.)",
		t.Format(amzDateFormat), now.Add(skew).Format(amzDateFormat), now.Format(amzDateFormat), int(skew/time.Minute))}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Route returns the route option that requires SigV4 on a route.
func (s *SigV4) Route() gateway.RouteOption {
	return gateway.WithMiddleware(gateway.PhaseAuthorize, s.Middleware)
}

// Middleware requires a valid signature. The verified caller fills
// $context.identity (accessKey, accountId, caller, user, userArn), and the
// Authorization header is kept from the integration, as AWS does: inside
// a stage the later steps (the cache key, parameter mappings) still see
// it in the method request (gateway.RequestContext.HideHeader); around
// any other handler next gets a copy of the request without it.
func (s *SigV4) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		creds, accessKey, err := s.Verify(r)
		if err != nil {
			gateway.WriteError(w, r, err)
			return
		}
		rc := gateway.RequestContextFrom(r.Context())
		if rc != nil {
			rc.Identity.AccessKey = accessKey
			rc.Identity.AccountID = creds.AccountID
			rc.Identity.Caller = creds.Caller
			rc.Identity.User = creds.User
			rc.Identity.UserARN = creds.UserARN
		}
		// Every Authorization value is hidden, not only the one verified:
		// a second line the client adds was never checked.
		hidden := rc != nil
		for _, v := range r.Header.Values("Authorization") {
			hidden = hidden && rc.HideHeader("Authorization", v)
		}
		if !hidden {
			// No stage's integration runner ahead: next gets a copy
			// without it.
			r = r.WithContext(r.Context())
			r.Header = r.Header.Clone()
			r.Header.Del("Authorization")
		}
		next.ServeHTTP(w, r)
	})
}

// maxSignedHeaders bounds the SignedHeaders list: SDKs sign a handful.
const maxSignedHeaders = 64

// wellFormedSignedHeaders reports whether names are at most
// maxSignedHeaders non-empty lower-case header names in strictly
// increasing order (so none repeats), as SigV4 signers write them.
func wellFormedSignedHeaders(names []string) bool {
	if len(names) > maxSignedHeaders {
		return false
	}
	for i, n := range names {
		if n == "" || n != strings.ToLower(n) || i > 0 && n <= names[i-1] {
			return false
		}
	}
	return true
}
