// Command proxyload serves one side of the HTTP proxy CPU measurement in
// BENCHMARKS.md ("HTTP proxy"): run.sh starts a backend and, in turn, each
// proxy in a process of its own, loads it with wrk on loopback, and divides
// the proxy process's CPU time by the requests it served.
//
//	proxyload backend ADDR                       # answers {"id":"7"} to anything
//	proxyload reverseproxy ADDR BACKEND_URL      # httputil.ReverseProxy, the peer
//	proxyload gateway ADDR BACKEND_URL           # a stage with integration.HTTP
//	proxyload gateway-auth ADDR BACKEND_URL      # the same behind JWT (HS256, cached) and a throttle
//	proxyload token                              # prints the token gateway-auth accepts
package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"log"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/auth"
	"github.com/gatewaykit/gateway/integration"
	"github.com/gatewaykit/gateway/throttle"
)

var secret = []byte("proxyload-secret-0123456789abcdef")

func token() string {
	enc := base64.RawURLEncoding
	claims := fmt.Sprintf(`{"iss":"https://proxyload","aud":"load","sub":"u","exp":%d}`, time.Now().Add(24*time.Hour).Unix())
	input := enc.EncodeToString([]byte(`{"alg":"HS256","kid":"k"}`)) + "." + enc.EncodeToString([]byte(claims))
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(input))
	return input + "." + enc.EncodeToString(m.Sum(nil))
}

func transport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns, t.MaxIdleConnsPerHost = 1024, 256
	return t
}

func main() {
	if len(os.Args) == 2 && os.Args[1] == "token" {
		fmt.Println(token())
		return
	}
	if len(os.Args) < 3 {
		log.Fatal("usage: proxyload backend|reverseproxy|gateway|gateway-auth ADDR [BACKEND_URL] | token")
	}
	mode, addr := os.Args[1], os.Args[2]
	var h http.Handler
	switch mode {
	case "backend":
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"id":"7"}`))
		})
	case "reverseproxy":
		target, err := url.Parse(os.Args[3])
		if err != nil {
			log.Fatal(err)
		}
		h = &httputil.ReverseProxy{Transport: transport(), Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(target)
			pr.SetXForwarded()
		}}
	case "gateway", "gateway-auth":
		proxy, err := integration.NewHTTP(integration.HTTPConfig{URI: os.Args[3] + "/{proxy}", Transport: transport()})
		if err != nil {
			log.Fatal(err)
		}
		api := gateway.New("load")
		var opts []gateway.RouteOption
		if mode == "gateway-auth" {
			set := jwk.NewSet()
			k, err := jwk.Import(secret)
			if err != nil {
				log.Fatal(err)
			}
			_ = k.Set(jwk.KeyIDKey, "k")
			_ = set.AddKey(k)
			jwt, err := auth.NewJWT(context.Background(), auth.JWTConfig{Issuer: "https://proxyload", Audience: []string{"load"}, Algorithms: []string{auth.HS256}, KeySet: set})
			if err != nil {
				log.Fatal(err)
			}
			limits, err := throttle.New(throttle.Config{Account: &throttle.Limit{Rate: 1e9, Burst: 1e9}, Stage: &throttle.Limit{Rate: 1e9, Burst: 1e9}})
			if err != nil {
				log.Fatal(err)
			}
			api.Use(gateway.PhaseThrottle, limits.Middleware)
			opts = append(opts, jwt.Route())
		}
		if err := api.Handle("ANY /{proxy+}", proxy, opts...); err != nil {
			log.Fatal(err)
		}
		stage, err := api.Deploy("load", nil)
		if err != nil {
			log.Fatal(err)
		}
		h = stage
	default:
		log.Fatalf("unknown mode %q", mode)
	}
	srv := &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: 10 * time.Second}
	log.Fatal(srv.ListenAndServe())
}
