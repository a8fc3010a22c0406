package cors_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/gatewaykit/gateway/cors"
)

// Middleware applies a CORS configuration around any handler: preflights
// are answered, and actual requests get the configured headers.
func ExampleCORS_Middleware() {
	c, err := cors.New(cors.Config{
		AllowOrigins: []string{"https://app.example.com"},
		AllowMethods: []string{"GET", "POST"},
		AllowHeaders: []string{"Authorization", "Content-Type"},
		MaxAge:       300,
	})
	if err != nil {
		panic(err)
	}
	h := c.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "pets")
	}))

	pre := httptest.NewRequest(http.MethodOptions, "/pets", nil)
	pre.Header.Set("Origin", "https://app.example.com")
	pre.Header.Set("Access-Control-Request-Method", "POST")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, pre)
	fmt.Println(rec.Code, rec.Header().Get("Access-Control-Allow-Methods"), rec.Header().Get("Access-Control-Max-Age"))

	get := httptest.NewRequest(http.MethodGet, "/pets", nil)
	get.Header.Set("Origin", "https://app.example.com")
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, get)
	fmt.Println(rec.Code, rec.Body.String(), rec.Header().Get("Access-Control-Allow-Origin"))
	// Output:
	// 204 GET,POST 300
	// 200 pets https://app.example.com
}
