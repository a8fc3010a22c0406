package auth_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/gatewaykit/gateway/auth"
)

// BenchmarkSigV4Verify verifies a GET signed by the AWS SDK, beside the
// SDK signing the same request (the work a verifier repeats), in one run.
func BenchmarkSigV4Verify(b *testing.B) {
	now := time.Now().UTC()
	creds := aws.Credentials{AccessKeyID: akid, SecretAccessKey: secret}
	v, err := auth.NewSigV4(auth.SigV4Config{Credentials: auth.StaticCredentials{akid: {SecretAccessKey: secret}}, Region: "eu-west-1", AllowReplays: true, Now: func() time.Time { return now }})
	if err != nil {
		b.Fatal(err)
	}
	newReq := func() *http.Request {
		r, _ := http.NewRequest("GET", "https://abc123.execute-api.eu-west-1.amazonaws.com/prod/things/7?b=2&a=1", nil)
		return r
	}
	signer := v4.NewSigner()
	signed := newReq()
	if err := signer.SignHTTP(context.Background(), creds, signed, payloadHash(""), "execute-api", "eu-west-1", now); err != nil {
		b.Fatal(err)
	}
	b.Run("sdk-sign", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = signer.SignHTTP(context.Background(), creds, newReq(), payloadHash(""), "execute-api", "eu-west-1", now)
		}
	})
	b.Run("gatewaykit-verify", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := v.Verify(signed); err != nil {
				b.Fatal(err)
			}
		}
	})
}
