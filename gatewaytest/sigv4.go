package gatewaytest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/gatewaykit/gateway/auth"
)

// SigV4 signs the request as the AWS SDK does (its own signer) for the
// execute-api service in region, with access key id and its credentials
// (the session token too, when set), at the current time. Give it last,
// after every option that changes the body or the headers. A request that
// cannot be signed panics: it is a mistake in the test.
func SigV4(accessKeyID string, creds auth.Credentials, region string) Option {
	return func(r *http.Request) {
		var body []byte
		if r.Body != nil {
			var err error
			if body, err = io.ReadAll(r.Body); err != nil {
				panic("gatewaytest.SigV4: reading the body: " + err.Error())
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		sum := sha256.Sum256(body)
		c := aws.Credentials{AccessKeyID: accessKeyID, SecretAccessKey: creds.SecretAccessKey, SessionToken: creds.SessionToken}
		if err := v4.NewSigner().SignHTTP(context.Background(), c, r, hex.EncodeToString(sum[:]), "execute-api", region, time.Now()); err != nil {
			panic("gatewaytest.SigV4: " + err.Error())
		}
	}
}
