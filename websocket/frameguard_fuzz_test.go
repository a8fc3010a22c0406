package websocket

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"io"
	"testing"
	"testing/iotest"
)

// refGuard splits a byte stream into frames the plain way, keeping
// control frames, and data frames whose payload is at most limit until
// the first that is not; it also returns how many were dropped. A frame
// cut short by the end of the stream is kept as far as it goes.
func refGuard(b []byte, limit int64) (kept []byte, dropped int) {
	for len(b) > 0 {
		if len(b) < 2 || len(b) < frameHeaderLen(b[1]) {
			return kept, dropped // an incomplete header is never handed on
		}
		hl := frameHeaderLen(b[1])
		n := payloadLen(b[:hl])
		end := int64(len(b))
		if int64(hl)+n < end {
			end = int64(hl) + n
		}
		if b[0]&0x08 == 0 && (dropped > 0 || n > limit) {
			dropped++
		} else {
			kept = append(kept, b[:end]...)
		}
		b = b[end:]
	}
	return kept, dropped
}

// FuzzFrameGuard checks the frame guard against refGuard, reading in
// big and in one-byte steps.
func FuzzFrameGuard(f *testing.F) {
	frame := func(n int, masked bool) []byte {
		var b bytes.Buffer
		b.WriteByte(0x82)
		m := byte(0)
		if masked {
			m = 0x80
		}
		switch {
		case n < 126:
			b.WriteByte(m | byte(n))
		case n < 1<<16:
			b.WriteByte(m | 126)
			_ = binary.Write(&b, binary.BigEndian, uint16(n))
		default:
			b.WriteByte(m | 127)
			_ = binary.Write(&b, binary.BigEndian, uint64(n))
		}
		if masked {
			b.Write([]byte{9, 8, 7, 6})
		}
		b.Write(bytes.Repeat([]byte{'p'}, n))
		return b.Bytes()
	}
	f.Add(append(frame(10, true), frame(300, true)...), int64(100))
	f.Add(append(frame(70000, false), frame(0, true)...), int64(65535))
	f.Add(frame(5, true)[:4], int64(3))
	f.Add([]byte{0x81, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, int64(1))
	f.Fuzz(func(t *testing.T, stream []byte, limit int64) {
		if limit < 0 {
			limit = -limit
		}
		want, dropped := refGuard(stream, limit)
		for _, oneByte := range []bool{false, true} {
			var src io.Reader = bytes.NewReader(stream)
			if oneByte {
				src = iotest.OneByteReader(src)
			}
			calls := 0
			g := &frameGuard{r: bufio.NewReader(src), limit: limit, tooBig: func() { calls++ }}
			var r io.Reader = g
			if oneByte {
				r = iotest.OneByteReader(g)
			}
			got, err := io.ReadAll(r)
			if err != nil && err != io.ErrUnexpectedEOF {
				t.Fatalf("read: %v", err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("oneByte=%v: %d bytes through, want %d", oneByte, len(got), len(want))
			}
			if wantCalls := min(dropped, 1); calls != wantCalls {
				t.Fatalf("tooBig called %d times for %d dropped frames", calls, dropped)
			}
		}
	})
}
