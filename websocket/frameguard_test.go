package websocket_test

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	ws "github.com/coder/websocket"

	"github.com/gatewaykit/gateway/websocket"
)

// TestFrameLimit checks API Gateway's 32 KB frame limit: a message of
// that size in one frame passes, a longer one must come in fragments, and
// a bigger frame closes the connection with 1009, which $disconnect hears.
func TestFrameLimit(t *testing.T) {
	rec := newRecorder()
	api := websocket.MustNew("frames", websocket.Config{})
	must(t, api.Handle("$default", echo, websocket.WithRouteResponse()))
	must(t, api.Handle("$disconnect", rec.integration(t)))
	_, _, url := serve(t, api)
	c := dial(t, url, nil)
	c.SetReadLimit(-1)

	at := strings.Repeat("a", websocket.DefaultMaxFrameBytes)
	send(t, c, at) // one frame of exactly 32 KB
	if got := read(t, c); got != at {
		t.Fatalf("echo of a 32 KB frame: %d bytes", len(got))
	}
	// 40 KB in two frames: one message.
	w, err := c.Writer(guardCtx(t), ws.MessageText)
	must(t, err)
	_, err = w.Write([]byte(strings.Repeat("b", 20<<10)))
	must(t, err)
	_, err = w.Write([]byte(strings.Repeat("c", 20<<10)))
	must(t, err)
	must(t, w.Close())
	if got := read(t, c); len(got) != 40<<10 || got[0] != 'b' || got[len(got)-1] != 'c' {
		t.Fatalf("fragmented message: %d bytes", len(got))
	}
	send(t, c, at+"x") // one frame over the limit
	_, _, err = c.Read(guardCtx(t))
	if ws.CloseStatus(err) != ws.StatusMessageTooBig {
		t.Fatalf("read after an oversized frame: %v, want close 1009", err)
	}
	ev := rec.next(t)
	if reason := ev.RequestContext.DisconnectReason; ev.RequestContext.DisconnectStatusCode != 1009 || reason == nil || *reason != "Message too big" {
		t.Errorf("$disconnect: %d %v", ev.RequestContext.DisconnectStatusCode, reason)
	}
}

// TestFrameLimitOff checks that a negative MaxFrameBytes lifts the limit.
func TestFrameLimitOff(t *testing.T) {
	api := websocket.MustNew("frames", websocket.Config{MaxFrameBytes: -1})
	must(t, api.Handle("$default", echo, websocket.WithRouteResponse()))
	_, _, url := serve(t, api)
	c := dial(t, url, nil)
	c.SetReadLimit(-1)
	big := strings.Repeat("a", 100<<10)
	send(t, c, big)
	if got := read(t, c); got != big {
		t.Fatalf("echo of a 100 KB frame: %d bytes", len(got))
	}
}

// clientFrame builds a masked client text frame.
func clientFrame(payload []byte) []byte { return rawFrame(0x81, payload) }

// rawFrame builds a masked client frame with the given first byte (FIN
// and opcode).
func rawFrame(first byte, payload []byte) []byte {
	var b bytes.Buffer
	b.WriteByte(first)
	switch n := len(payload); {
	case n < 126:
		b.WriteByte(0x80 | byte(n))
	case n < 1<<16:
		b.WriteByte(0x80 | 126)
		_ = binary.Write(&b, binary.BigEndian, uint16(n))
	default:
		b.WriteByte(0x80 | 127)
		_ = binary.Write(&b, binary.BigEndian, uint64(n))
	}
	mask := [4]byte{1, 2, 3, 4}
	b.Write(mask[:])
	for i, c := range payload {
		b.WriteByte(c ^ mask[i%4])
	}
	return b.Bytes()
}

// TestFrameLimitEarlyFrames sends the handshake and the frames in one
// write, so that the server has read them before the upgrade: they are
// guarded too.
func TestFrameLimitEarlyFrames(t *testing.T) {
	rawClose(t, clientFrame([]byte("small")), clientFrame(bytes.Repeat([]byte("x"), 65)))
}

// TestFrameLimitFragment checks an oversized first fragment of a message:
// the client still gets 1009, not a protocol error for the continuation
// frame the library would otherwise see alone.
func TestFrameLimitFragment(t *testing.T) {
	for range 5 {
		rawClose(t, rawFrame(0x01, bytes.Repeat([]byte("x"), 65)), rawFrame(0x80, []byte("y")), clientFrame([]byte("small")))
	}
}

// rawClose opens a connection to a stage limiting frames to 64 bytes,
// sending frames right after the handshake, and checks that the server
// closes with 1009 without echoing anything but "small".
func rawClose(t *testing.T, frames ...[]byte) {
	t.Helper()
	api := websocket.MustNew("frames", websocket.Config{MaxFrameBytes: 64})
	must(t, api.Handle("$default", echo, websocket.WithRouteResponse()))
	_, srv, _ := serve(t, api)
	nc, err := net.Dial("tcp", srv.Listener.Addr().String())
	must(t, err)
	defer nc.Close()
	must(t, nc.SetDeadline(time.Now().Add(guard)))
	req := "GET /prod HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
	msg := []byte(req)
	for _, f := range frames {
		msg = append(msg, f...)
	}
	_, err = nc.Write(msg)
	must(t, err)
	br := bufio.NewReader(nc)
	resp, err := http.ReadResponse(br, nil)
	must(t, err)
	if resp.StatusCode != http.StatusSwitchingProtocols {
		t.Fatalf("status %d", resp.StatusCode)
	}
	// Frames until the close: 1009, and no echo of anything over the
	// limit (the echo of "small" may or may not come first: messages
	// still queued when the gateway closes are dropped).
	for {
		var h [2]byte
		_, err := readFull(br, h[:])
		must(t, err)
		payload := make([]byte, h[1]&0x7f)
		_, err = readFull(br, payload)
		must(t, err)
		switch h[0] & 0x0f {
		case 0x1:
			if string(payload) != "small" {
				t.Fatalf("echo %q: an oversized frame got through", payload)
			}
		case 0x8:
			if code := binary.BigEndian.Uint16(payload); code != 1009 {
				t.Fatalf("close %d %q, want 1009", code, payload[2:])
			}
			return
		}
	}
}

func readFull(br *bufio.Reader, p []byte) (int, error) {
	n := 0
	for n < len(p) {
		m, err := br.Read(p[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}
