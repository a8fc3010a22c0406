package openapi_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"testing"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/auth"
	"github.com/gatewaykit/gateway/integration"
	"github.com/gatewaykit/gateway/openapi"
)

type refuse struct{}

func (refuse) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, errors.New("no network in fuzzing")
}

// FuzzImport: any document is imported or refused with an error, never a
// panic, as either profile.
func FuzzImport(f *testing.F) {
	for _, name := range []string{"http-api.json", "rest-api.yaml", "rest-swagger2.json"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, false)
		f.Add(b, true)
	}
	f.Add([]byte(`{"swagger":"2.0","info":{"title":"t","version":"1"},"paths":{"/a":null}}`), true)
	f.Add([]byte("swagger: 2.0\npaths:\n  /a:\n    get:\n      responses:\n        200: {description: ok}\n"), true)
	f.Add([]byte(`{"openapi":"3.0.0","info":{"title":"t","version":"1"},"paths":{"/$default":{"x-amazon-apigateway-any-method":{"isDefaultRoute":true,"x-amazon-apigateway-integration":{"type":"http_proxy","uri":"http://127.0.0.1:1"}}}}}`), false)
	cfg := func(rest bool) openapi.ImportConfig {
		c := openapi.ImportConfig{
			LambdaProxy: func(openapi.LambdaTarget) (http.Handler, error) { return integration.Mock(200, "ok"), nil },
			LambdaFunc: func(string) (integration.LambdaFunc, error) {
				return func(context.Context, []byte) ([]byte, error) { return []byte("{}"), nil }, nil
			},
		}
		// No key fetch may leave the machine, or wait on one.
		c.JWT = func(_ string, jc *auth.JWTConfig) {
			jc.HTTPClient = &http.Client{Transport: refuse{}}
		}
		if rest {
			c.Profile = gateway.RESTAPI
		}
		return c
	}
	f.Fuzz(func(t *testing.T, doc []byte, rest bool) {
		im, err := openapi.Import(context.Background(), doc, cfg(rest))
		if err != nil {
			return
		}
		_ = im.Close()
	})
}
