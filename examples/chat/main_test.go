package main

import (
	"context"
	"io"
	"testing"
	"time"

	ws "github.com/coder/websocket"
)

// TestChat: two clients connect; what one sends through sendmessage both
// receive; a client that leaves is no longer sent to.
func TestChat(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	table := &connections{ids: map[string]bool{}}
	go func() { done <- run(ctx, "127.0.0.1:0", io.Discard, ready, table) }()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("run: %v", err)
	}
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	}()

	dctx, dcancel := context.WithTimeout(context.Background(), 10*time.Second) // a hang guard, not a timing assertion
	defer dcancel()
	dial := func() *ws.Conn {
		c, _, err := ws.Dial(dctx, "ws://"+addr+"/prod", nil)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	alice, bob := dial(), dial()
	defer alice.CloseNow()
	defer bob.CloseNow()

	if err := alice.Write(dctx, ws.MessageText, []byte(`{"action":"sendmessage","data":"hello, chat"}`)); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]*ws.Conn{"alice": alice, "bob": bob} {
		_, msg, err := c.Read(dctx)
		if err != nil || string(msg) != "hello, chat" {
			t.Fatalf("%s read %q, %v", name, msg, err)
		}
	}

	// Bob leaves; Alice's next message reaches only her.
	_ = bob.Close(ws.StatusNormalClosure, "bye")
	if err := alice.Write(dctx, ws.MessageText, []byte(`{"action":"sendmessage","data":"still here?"}`)); err != nil {
		t.Fatal(err)
	}
	if _, msg, err := alice.Read(dctx); err != nil || string(msg) != "still here?" {
		t.Fatalf("alice read %q, %v", msg, err)
	}
	// The table no longer holds Bob: $disconnect (or the GoneException
	// the send met) removed him; only Alice is left to send to.
	for len(table.list()) != 1 {
		select {
		case <-dctx.Done():
			t.Fatalf("the table still holds %q after Bob left", table.list())
		case <-time.After(10 * time.Millisecond):
		}
	}
}
