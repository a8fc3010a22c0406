// Package hostport splits the host from "host:port" addresses (Host
// headers, remote addresses) the way every package of the gateway needs.
package hostport

import (
	"net"
	"strings"
)

// Host returns hostport without its port; a value without a port (or one
// net.SplitHostPort cannot read) is returned as it is.
func Host(hostport string) string {
	if strings.IndexByte(hostport, ':') < 0 {
		return hostport
	}
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		return h
	}
	return hostport
}
