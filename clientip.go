package gateway

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// SourceIP is $context.identity.sourceIp: the TCP peer, unless the peer is
// a trusted proxy, in which case X-Forwarded-For is read from the right
// (the entry the nearest proxy appended) past every trusted address; the
// first untrusted address is the client. With no trusted proxies the
// header is ignored, because any client can send it. Stages use it with
// Config.TrustedProxies.
func SourceIP(r *http.Request, trusted []netip.Prefix) string {
	peer := r.RemoteAddr
	if h, _, err := net.SplitHostPort(peer); err == nil {
		peer = h
	}
	if len(trusted) == 0 {
		return peer
	}
	addr, err := netip.ParseAddr(peer)
	if err != nil || !isTrusted(addr, trusted) {
		return peer
	}
	values := r.Header.Values("X-Forwarded-For")
	client := peer
	for i := len(values) - 1; i >= 0; i-- {
		v := values[i]
		for v != "" {
			var part string
			if j := strings.LastIndexByte(v, ','); j >= 0 {
				part, v = v[j+1:], v[:j]
			} else {
				part, v = v, ""
			}
			part = strings.TrimSpace(part)
			a, err := netip.ParseAddr(part)
			if err != nil {
				return client // garbage: stop at the last address we could trust
			}
			client = a.Unmap().String()
			if !isTrusted(a, trusted) {
				return client
			}
		}
	}
	return client
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	a = a.Unmap()
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
