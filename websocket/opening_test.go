package websocket_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gatewaykit/gateway/websocket"
)

// TestPostWaitsForOpening: a post to a connection whose upgrade is under
// way waits for it instead of answering gone at once; it is gone only if
// the upgrade fails, and a caller whose context ends gets its error.
func TestPostWaitsForOpening(t *testing.T) {
	api := websocket.MustNew("opening", websocket.Config{})
	stage, err := api.Deploy("prod", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer stage.Close()

	opened := stage.MarkOpening("conn-1")
	result := make(chan error, 1)
	go func() { result <- stage.PostToConnection(context.Background(), "conn-1", []byte("hi")) }()
	select {
	case err := <-result:
		t.Fatalf("the post answered %v while the connection was still opening", err)
	case <-time.After(50 * time.Millisecond): // still waiting, as it should
	}
	opened() // the upgrade failed: nothing was registered
	if err := <-result; !errors.Is(err, websocket.ErrGone) {
		t.Fatalf("after a failed upgrade: %v, want ErrGone", err)
	}

	// A caller whose context ends while it waits gets its context's error.
	defer stage.MarkOpening("conn-2")()
	ctx, cancel := context.WithCancel(context.Background())
	go func() { result <- stage.PostToConnection(ctx, "conn-2", []byte("hi")) }()
	select {
	case err := <-result:
		t.Fatalf("the second post answered %v while the connection was still opening", err)
	case <-time.After(50 * time.Millisecond): // waiting on the opening connection
	}
	cancel()
	if err := <-result; !errors.Is(err, context.Canceled) {
		t.Fatalf("with a context ended while waiting: %v, want context.Canceled", err)
	}
}
