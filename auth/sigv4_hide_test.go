package auth_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/auth"
)

// A second Authorization line the client adds to a signed request was
// never verified: it must not reach the integration either.
func TestSigV4SecondAuthorizationHidden(t *testing.T) {
	now := time.Now().UTC()
	verifier, err := auth.NewSigV4(auth.SigV4Config{
		Credentials: auth.StaticCredentials{akid: {SecretAccessKey: secret, UserARN: "arn:aws:iam::111122223333:user/alice"}},
		Region:      "eu-west-1", Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	var saw []string
	api := gateway.New("iam", gateway.Config{Profile: gateway.RESTAPI})
	if err := api.Handle("GET /me", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		saw = r.Header.Values("Authorization")
	}), verifier.Route()); err != nil {
		t.Fatal(err)
	}
	rec := serveSignedMe(t, api, now, func(req *http.Request) {
		req.Header.Add("Authorization", "Bearer forged-admin-token")
	})
	if rec.Code != 200 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	if len(saw) != 0 {
		t.Errorf("the integration of a SigV4 request saw Authorization %q", saw)
	}
}

// serveSignedMe deploys api and serves it GET /me signed by the AWS SDK's
// signer at now, after edit (when not nil) has changed the request.
func serveSignedMe(t *testing.T, api *gateway.API, now time.Time, edit func(*http.Request)) *httptest.ResponseRecorder {
	t.Helper()
	stage, err := api.Deploy("prod", nil)
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("GET", "http://example.com/me", nil)
	sdkSign(t, req, "", "", aws.Credentials{AccessKeyID: akid, SecretAccessKey: secret}, now)
	if edit != nil {
		edit(req)
	}
	rec := httptest.NewRecorder()
	stage.ServeHTTP(rec, req)
	return rec
}
