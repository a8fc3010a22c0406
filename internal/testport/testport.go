// Package testport finds free loopback ports for the peers tests start
// (redis-server, the Lambda Runtime Interface Emulator).
package testport

import (
	"net"
	"testing"
)

// Free returns n distinct free loopback ports: every listener stays open
// until all n are found, so no port is handed out twice.
func Free(t testing.TB, n int) []int {
	t.Helper()
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	ports := make([]int, 0, n)
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatalf("finding a free port: %v", err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports
}
