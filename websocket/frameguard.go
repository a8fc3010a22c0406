package websocket

import (
	"bufio"
	"encoding/binary"
	"io"
	"net"
	"net/http"
)

// guardedWriter hands coder/websocket a connection whose reads pass
// through a frameGuard, so that the gateway sees each frame header the
// client sends before the library does.
type guardedWriter struct {
	http.ResponseWriter
	limit  int64
	tooBig func()
}

// Hijack implements http.Hijacker. The guard reads through the server's
// own buffered reader, so bytes the server had already read past the
// request (a client may send its first frames at once) go through it too.
func (g *guardedWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	nc, brw, err := http.NewResponseController(g.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, err
	}
	guarded := &guardedConn{Conn: nc, guard: frameGuard{r: brw.Reader, limit: g.limit, tooBig: g.tooBig}}
	return guarded, bufio.NewReadWriter(bufio.NewReader(guarded), brw.Writer), nil
}

// canHijack reports whether w, or a writer it wraps, can be hijacked, as
// coder/websocket looks for one: without one the library answers 501
// before the upgrade, and the guard must not hide that.
func canHijack(w http.ResponseWriter) bool {
	for {
		switch x := w.(type) {
		case http.Hijacker:
			return true
		case interface{ Unwrap() http.ResponseWriter }:
			w = x.Unwrap()
		default:
			return false
		}
	}
}

// Unwrap lets http.ResponseController reach the server's writer.
func (g *guardedWriter) Unwrap() http.ResponseWriter { return g.ResponseWriter }

// guardedConn is a client connection read through a frameGuard.
type guardedConn struct {
	net.Conn
	guard frameGuard
}

func (c *guardedConn) Read(p []byte) (int, error) { return c.guard.Read(p) }

// frameGuard passes a client's WebSocket frames through unchanged, except
// a data frame whose payload is longer than limit: that frame is dropped
// whole (its header included, so the library never sees it) and tooBig is
// called, to close the connection with 1009 as API Gateway does. From
// then on only control frames pass (close, ping, pong: at most 125 bytes
// by the protocol, never limited), so that the close handshake can finish
// without the library seeing the rest of a message it never saw begin.
type frameGuard struct {
	r      *bufio.Reader
	limit  int64
	tooBig func()
	fired  bool

	hdr  [14]byte // the header being read: 2 bytes, the extended length, the mask
	hn   int      // header bytes read
	out  []byte   // header bytes to hand on
	left int64    // payload bytes of the current frame still to pass or drop
	drop bool
}

// frameHeaderLen returns the length of a frame header from its first two
// bytes: the extended payload length and the masking key follow them.
func frameHeaderLen(b1 byte) int {
	n := 2
	switch b1 & 0x7f {
	case 126:
		n += 2
	case 127:
		n += 8
	}
	if b1&0x80 != 0 {
		n += 4
	}
	return n
}

// payloadLen reads the payload length of a complete header.
func payloadLen(h []byte) int64 {
	switch n := h[1] & 0x7f; n {
	case 126:
		return int64(binary.BigEndian.Uint16(h[2:4]))
	case 127:
		v := binary.BigEndian.Uint64(h[2:10])
		if v > 1<<62 {
			return 1 << 62 // the protocol forbids the top bit; too big either way
		}
		return int64(v)
	default:
		return int64(n)
	}
}

func (g *frameGuard) Read(p []byte) (int, error) {
	for {
		if len(g.out) > 0 {
			n := copy(p, g.out)
			g.out = g.out[n:]
			return n, nil
		}
		if g.left > 0 {
			if g.drop {
				n, err := g.r.Discard(int(min(g.left, 1<<20)))
				g.left -= int64(n)
				if err != nil {
					return 0, err
				}
				continue
			}
			if int64(len(p)) > g.left {
				p = p[:g.left]
			}
			n, err := g.r.Read(p)
			g.left -= int64(n)
			return n, err
		}
		// A frame header: read it whole before handing any of it on.
		need := 2
		if g.hn >= 2 {
			need = frameHeaderLen(g.hdr[1])
		}
		if g.hn < need {
			n, err := io.ReadAtLeast(g.r, g.hdr[g.hn:need], 1)
			g.hn += n
			if err != nil {
				if g.hn > 0 && err == io.EOF {
					err = io.ErrUnexpectedEOF
				}
				return 0, err
			}
			continue
		}
		h := g.hdr[:g.hn]
		g.hn = 0
		g.left = payloadLen(h)
		control := h[0]&0x08 != 0
		g.drop = !control && (g.fired || g.left > g.limit)
		if g.drop {
			if !g.fired {
				g.fired = true
				g.tooBig()
			}
			continue
		}
		g.out = h
	}
}
