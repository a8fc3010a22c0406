// Command chat is AWS's "simple WebSockets chat app" on gatewaykit: three
// aws-lambda-go handlers behind a WebSocket API — onconnect and
// ondisconnect keep the connection ids, sendmessage posts a message to every
// connection — run in-process, with no Lambda, DynamoDB or AWS account.
//
//	go run ./examples/chat
//	wscat -c ws://127.0.0.1:8080/prod          # in two terminals (npm i -g wscat)
//	> {"action":"sendmessage","data":"hello"}  # both terminals print hello
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sort"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gatewaykit/gateway/websocket"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to serve the API on")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *addr, os.Stdout, nil, &connections{ids: map[string]bool{}}); err != nil {
		log.Fatal(err)
	}
}

// connections is the sample's DynamoDB table: the ids of open connections.
type connections struct {
	mu  sync.Mutex
	ids map[string]bool
}

func (c *connections) add(id string)    { c.mu.Lock(); c.ids[id] = true; c.mu.Unlock() }
func (c *connections) remove(id string) { c.mu.Lock(); delete(c.ids, id); c.mu.Unlock() }

func (c *connections) list() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	ids := make([]string, 0, len(c.ids))
	for id := range c.ids {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// newAPI builds the chat API: the sample's template.yaml, in Go.
func newAPI(table *connections) (*websocket.API, error) {
	api, err := websocket.New("simple-websockets-chat-app", websocket.Config{}) // routes on $request.body.action
	if err != nil {
		return nil, err
	}
	onConnect, err := websocket.Lambda(func(ctx context.Context, ev events.APIGatewayWebsocketProxyRequest) (events.APIGatewayProxyResponse, error) {
		table.add(ev.RequestContext.ConnectionID)
		return events.APIGatewayProxyResponse{StatusCode: 200, Body: "Connected."}, nil
	})
	if err != nil {
		return nil, err
	}
	onDisconnect, err := websocket.Lambda(func(ctx context.Context, ev events.APIGatewayWebsocketProxyRequest) (events.APIGatewayProxyResponse, error) {
		table.remove(ev.RequestContext.ConnectionID)
		return events.APIGatewayProxyResponse{StatusCode: 200, Body: "Disconnected."}, nil
	})
	if err != nil {
		return nil, err
	}
	sendMessage, err := websocket.Lambda(func(ctx context.Context, ev events.APIGatewayWebsocketProxyRequest) (events.APIGatewayProxyResponse, error) {
		var msg struct {
			Data string `json:"data"`
		}
		if err := json.Unmarshal([]byte(ev.Body), &msg); err != nil {
			return events.APIGatewayProxyResponse{StatusCode: 400, Body: "the message is not JSON"}, nil
		}
		// The sample posts through the API Gateway Management API; in
		// process, the stage's own @connections methods do the same.
		stage := websocket.StageFrom(ctx)
		for _, id := range table.list() {
			if err := stage.PostToConnection(ctx, id, []byte(msg.Data)); errors.Is(err, websocket.ErrGone) {
				table.remove(id) // stale, as the sample deletes on GoneException
			} else if err != nil {
				return events.APIGatewayProxyResponse{StatusCode: 500, Body: err.Error()}, nil
			}
		}
		return events.APIGatewayProxyResponse{StatusCode: 200, Body: "Data sent."}, nil
	})
	if err != nil {
		return nil, err
	}
	for key, integration := range map[string]websocket.Integration{
		websocket.ConnectRoute: onConnect, websocket.DisconnectRoute: onDisconnect, "sendmessage": sendMessage,
	} {
		if err := api.Handle(key, integration); err != nil {
			return nil, err
		}
	}
	return api, nil
}

// run serves the chat, with table as its connection table, until ctx is
// done. ready, when not nil, receives the address once the listener is
// open.
func run(ctx context.Context, addr string, out io.Writer, ready chan<- string, table *connections) error {
	api, err := newAPI(table)
	if err != nil {
		return err
	}
	stage, err := api.Deploy("prod", nil)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("/prod", stage)
	mux.Handle("/prod/@connections/", stage.ConnectionsHandler()) // unprotected here: protect it with auth.SigV4 in earnest
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(out, "chat on ws://%s/prod\n  wscat -c ws://%s/prod\n  > {\"action\":\"sendmessage\",\"data\":\"hello\"}\n", ln.Addr(), ln.Addr())
	if ready != nil {
		ready <- ln.Addr().String()
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = stage.Shutdown(shutdown)
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
