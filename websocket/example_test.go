package websocket_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	ws "github.com/coder/websocket"

	"github.com/gatewaykit/gateway/websocket"
)

// A chat API: an aws-lambda-go handler answers "greet" messages (the
// route has a route response), a plain Go function handles the rest, and
// the stage pushes a message through the @connections API.
func Example() {
	api := websocket.MustNew("chat", websocket.Config{}) // routes on $request.body.action

	greet, err := websocket.Lambda(func(ctx context.Context, ev events.APIGatewayWebsocketProxyRequest) (events.APIGatewayProxyResponse, error) {
		return events.APIGatewayProxyResponse{StatusCode: 200, Body: `{"hello":"` + ev.RequestContext.RouteKey + `"}`}, nil
	})
	if err != nil {
		panic(err)
	}
	if err := api.Handle("greet", greet, websocket.WithRouteResponse()); err != nil {
		panic(err)
	}
	connections := make(chan string, 1)
	_ = api.Handle("$default", websocket.IntegrationFunc(func(ctx context.Context, req *websocket.Request) (*websocket.Response, error) {
		connections <- req.ConnectionID // one-way: nothing is sent back
		return nil, nil
	}))

	stage, err := api.Deploy("prod", nil)
	if err != nil {
		panic(err)
	}
	defer stage.Close()
	srv := httptest.NewServer(stage)
	defer srv.Close()

	ctx := context.Background()
	c, _, err := ws.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http"), nil)
	if err != nil {
		panic(err)
	}
	defer c.CloseNow()

	_ = c.Write(ctx, ws.MessageText, []byte(`{"action":"greet"}`))
	_, reply, _ := c.Read(ctx)
	fmt.Println(string(reply))

	_ = c.Write(ctx, ws.MessageText, []byte("not JSON, so $default"))
	id := <-connections
	_ = stage.PostToConnection(ctx, id, []byte("pushed"))
	_, pushed, _ := c.Read(ctx)
	fmt.Println(string(pushed))

	_ = c.Close(ws.StatusNormalClosure, "")
	// Output:
	// {"hello":"greet"}
	// pushed
}

// ConnectionsHandler serves the @connections API; on AWS it requires
// SigV4, which auth.NewSigV4's Middleware adds.
func ExampleStage_ConnectionsHandler() {
	api := websocket.MustNew("chat", websocket.Config{})
	stage, _ := api.Deploy("prod", nil)
	defer stage.Close()

	mux := http.NewServeMux()
	mux.Handle("/prod", stage)
	mux.Handle("/prod/@connections/", stage.ConnectionsHandler()) // wrap with iam.Middleware on a real deployment

	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest("GET", "/prod/%40connections/R1kmxc2VNjMCFIA%3D", nil))
	fmt.Println(rec.Code, rec.Header().Get("X-Amzn-ErrorType"))
	// Output:
	// 410 GoneException
}

// A route selection expression can join several values of the message.
func ExampleSelectionExpression() {
	e := websocket.MustParseSelectionExpression("${request.body.service}/${request.body.action}")
	key, _ := e.Evaluate([]byte(`{"service":"chat","action":"join"}`))
	fmt.Println(key)
	_, isJSON := e.Evaluate([]byte("plain text"))
	fmt.Println(isJSON)
	// Output:
	// chat/join
	// false
}
