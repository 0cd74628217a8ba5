// Command authburst measures what a burst of password hashing does to the
// server's memory: it starts `prospector serve` on a fresh SQLite data folder,
// fires 200 parallel wrong logins for one account, restarts the server, fires
// 150 parallel signups for that existing email, then repeats both with every
// request from its own loopback address (new emails for the signups), and
// reports for each burst the answers, the peak RSS (VmHWM) and the RSS 10 s
// after the burst ended. Each burst gets a fresh process, so its peak is its
// own.
//
// Usage: go run ./bench/authburst -bin PATH   (bench/auth_burst.sh builds PATH)
// It reports; it never fails on the numbers.
package main

import (
	"bytes"
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
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/prospectorhq/prospector/internal/burst"
)

const (
	account  = "burst@example.test"
	password = "the right password"
)

func main() {
	bin := flag.String("bin", "", "path of a built prospector binary")
	logins := flag.Int("logins", 200, "parallel wrong logins for one account")
	signups := flag.Int("signups", 150, "parallel signups for the existing email")
	settle := flag.Duration("settle", 10*time.Second, "wait after a burst before reading RSS again")
	flag.Parse()
	if *bin == "" {
		log.Fatal("authburst: -bin is required")
	}
	data, err := os.MkdirTemp("", "authburst-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(data)

	wrongLogin := func(int) any { return map[string]string{"email": account, "password": "not the password"} }
	takenSignup := func(int) any { return map[string]string{"email": account, "password": "another long password"} }
	newSignup := func(i int) any {
		return map[string]string{"email": fmt.Sprintf("new-%d-%d@example.test", time.Now().UnixNano(), i), "password": "another long password"}
	}

	srv := start(*bin, data)
	post(srv.base, "/api/auth/signup", map[string]string{"email": account, "password": password})
	srv.burst("wrong logins from one address", *logins, false, *settle, "/api/auth/login", wrongLogin)
	srv.stop()

	srv = start(*bin, data)
	srv.burst("signups of a taken email from one address", *signups, false, *settle, "/api/auth/signup", takenSignup)
	srv.stop()

	// From as many loopback addresses as requests, the per-address limits
	// no longer apply: what bounds the hashing is the per-account limit
	// for the logins and the hash limiter for new signups.
	srv = start(*bin, data)
	srv.burst("wrong logins from as many addresses", *logins, true, *settle, "/api/auth/login", wrongLogin)
	srv.stop()

	srv = start(*bin, data)
	srv.burst("signups of new emails from as many addresses", *signups, true, *settle, "/api/auth/signup", newSignup)
	srv.stop()
}

type server struct {
	cmd  *exec.Cmd
	base string
}

func start(bin, data string) *server {
	port := freePort()
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(), "DATA_DIR="+data, "LISTEN_ADDR=127.0.0.1:"+port, "LOG_LEVEL=error",
		"NOMINATIM_URL=http://127.0.0.1:1", "OVERPASS_URL=http://127.0.0.1:1/api/interpreter")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		log.Fatalf("start %s: %v", bin, err)
	}
	s := &server{cmd: cmd, base: "http://127.0.0.1:" + port}
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(s.base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s
			}
		}
		if time.Now().After(deadline) {
			s.stop()
			log.Fatal("server not ready after 60 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (s *server) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	_ = s.cmd.Wait()
}

// burst sends n requests at once, each on its own connection (from its own
// loopback address when spread), and reports the answers and the process's
// memory.
func (s *server) burst(name string, n int, spread bool, settle time.Duration, path string, body func(i int) any) {
	before := s.status("VmRSS")
	// Clients and bodies are made before the burst, so that the requests
	// leave together.
	clients := make([]*http.Client, n)
	payloads := make([][]byte, n)
	for i := range n {
		dialer := &net.Dialer{Timeout: time.Minute}
		if spread {
			dialer.LocalAddr = &net.TCPAddr{IP: net.IPv4(127, 0, byte(1+i/250), byte(1+i%250))}
		}
		clients[i] = &http.Client{Timeout: 5 * time.Minute, Transport: &http.Transport{DialContext: dialer.DialContext, DisableKeepAlives: true}}
		payloads[i], _ = json.Marshal(body(i))
	}
	t0 := time.Now()
	counts := burst.Tally(n, func(i int) string {
		resp, err := clients[i].Post(s.base+path, "application/json", bytes.NewReader(payloads[i]))
		if err != nil {
			return "error"
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return strconv.Itoa(resp.StatusCode)
	})
	took := time.Since(t0)
	peak := s.status("VmHWM")
	time.Sleep(settle)
	after := s.status("VmRSS")
	fmt.Printf("%d %s in %s: %s; RSS before %d MiB, peak %d MiB, %s after %d MiB\n",
		n, name, took.Round(time.Millisecond), summary(counts), before>>10, peak>>10, settle, after>>10)
}

// status reads a kB field of /proc/PID/status.
func (s *server) status(field string) int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		log.Fatalf("read status: %v", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return kb
		}
	}
	log.Fatalf("no %s in /proc status", field)
	return 0
}

func summary(counts map[string]int) string {
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%d × %s", counts[k], k)
	}
	return strings.Join(parts, ", ")
}

func post(base, path string, body any) {
	payload, _ := json.Marshal(body)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+path, bytes.NewReader(payload))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		log.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		b, _ := io.ReadAll(resp.Body)
		log.Fatal(errors.New("POST " + path + ": " + resp.Status + " " + string(b)))
	}
}

func freePort() string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer l.Close()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	return port
}
