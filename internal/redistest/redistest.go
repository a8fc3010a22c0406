// Package redistest starts real redis-server processes for tests, each on a
// free loopback port with persistence off.
//
// When redis-server is not installed, Start skips the test with a loud
// reason, except under CI=true, where it fails it: CI installs redis-server
// (apt-get install -y redis-server), so a missing one there is a broken
// environment, not a reason to pass.
package redistest

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gatewaykit/gateway/internal/testport"
)

// Server is one redis-server process. Stop and Restart let tests simulate an
// outage; the process is stopped when the test ends.
type Server struct {
	// Addr is the server's host:port on 127.0.0.1.
	Addr string

	t       testing.TB
	path    string
	port    int
	cluster bool
	busPort int
	dir     string
	cmd     *exec.Cmd
	done    chan struct{}
}

// Start starts a redis-server for t on a free port and waits until it
// answers PING.
func Start(t testing.TB) *Server {
	t.Helper()
	path := tool(t, "redis-server", "redis-server", "this Redis test")
	port := testport.Free(t, 1)[0]
	s := &Server{t: t, path: path, port: port, dir: t.TempDir(), Addr: "127.0.0.1:" + strconv.Itoa(port)}
	s.start()
	t.Cleanup(s.Stop)
	return s
}

// Cluster is a Redis Cluster of masters without replicas, every slot
// assigned; it is stopped when the test ends.
type Cluster struct {
	// Addrs are the masters' host:port on 127.0.0.1.
	Addrs []string
}

// StartCluster starts n (at least 3) redis-server processes in cluster
// mode, joins them with redis-cli --cluster create, and waits until the
// cluster is ok. It skips or fails like Start when redis-server or
// redis-cli is missing.
func StartCluster(t testing.TB, n int) *Cluster {
	t.Helper()
	cli := tool(t, "redis-cli", "redis-tools", "this Redis Cluster test")
	path := tool(t, "redis-server", "redis-server", "this Redis Cluster test")
	c := &Cluster{}
	n = max(n, 3)
	ports := testport.Free(t, 2*n) // every node's port and bus port, all distinct
	for i := range n {
		port, bus := ports[2*i], ports[2*i+1]
		s := &Server{t: t, path: path, port: port, dir: t.TempDir(), Addr: "127.0.0.1:" + strconv.Itoa(port), cluster: true, busPort: bus}
		s.start()
		t.Cleanup(s.Stop)
		c.Addrs = append(c.Addrs, s.Addr)
	}
	args := append([]string{"--cluster", "create"}, c.Addrs...)
	args = append(args, "--cluster-replicas", "0", "--cluster-yes")
	if out, err := exec.Command(cli, args...).CombinedOutput(); err != nil {
		t.Fatalf("redistest: redis-cli --cluster create: %v: %s", err, out)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		ok := true
		for _, a := range c.Addrs {
			host, port, _ := net.SplitHostPort(a)
			out, err := exec.Command(cli, "-h", host, "-p", port, "cluster", "info").Output()
			if err != nil || !strings.Contains(string(out), "cluster_state:ok") {
				ok = false
			}
		}
		if ok {
			return c
		}
		if time.Now().After(deadline) {
			t.Fatalf("redistest: the cluster on %v did not become ok within 20s", c.Addrs)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// tool returns the path of the program name, from the Debian package pkg;
// without it the test skips, or fails under CI=true.
func tool(t testing.TB, name, pkg, what string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		msg := "redistest: " + name + " NOT FOUND on PATH; install it (apt-get install -y " + pkg + ") to run " + what
		if os.Getenv("CI") == "true" {
			t.Fatal(msg + " (CI=true: failing instead of skipping)")
		}
		t.Skip("SKIPPED: " + msg)
	}
	return path
}

func (s *Server) start() {
	s.t.Helper()
	args := []string{"--port", strconv.Itoa(s.port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", s.dir, "--protected-mode", "no"}
	if s.cluster {
		// The cluster bus defaults to port+10000, which may be out of
		// range or taken: give it a free port of its own.
		args = append(args, "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "5000",
			"--cluster-port", strconv.Itoa(s.busPort))
	}
	s.cmd = exec.Command(s.path, args...)
	var out strings.Builder
	s.cmd.Stdout, s.cmd.Stderr = &out, &out
	if err := s.cmd.Start(); err != nil {
		s.t.Fatalf("redistest: starting redis-server: %v", err)
	}
	s.done = make(chan struct{})
	go func(cmd *exec.Cmd, done chan struct{}) {
		_ = cmd.Wait()
		close(done)
	}(s.cmd, s.done)
	deadline := time.Now().Add(10 * time.Second)
	for {
		if ping(s.Addr) == nil {
			return
		}
		select {
		case <-s.done:
			s.t.Fatalf("redistest: redis-server exited: %s", out.String())
		default:
		}
		if time.Now().After(deadline) {
			s.Stop()
			s.t.Fatalf("redistest: redis-server on %s did not answer PING within 10s", s.Addr)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Stop kills the server and waits for it to exit. It may be called twice.
func (s *Server) Stop() {
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	<-s.done
	s.cmd = nil
}

// Restart starts the server again on the same port (with empty data).
func (s *Server) Restart() {
	s.t.Helper()
	s.Stop()
	s.start()
}

func ping(addr string) error {
	c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(500 * time.Millisecond))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if !strings.HasPrefix(line, "+PONG") {
		return fmt.Errorf("PING answered %q", line)
	}
	return nil
}
