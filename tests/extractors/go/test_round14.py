"""Round 14 (held-out sets podinfo, envoy ratelimit, oauth2-proxy, cloudflared, go-zero-looklook,
temporal background-checks, aws-node-termination-handler, nats nack): a workqueue's requeue budget,
flag-bound variables, a check loop ending the process, local-only loops (pid files, signals, inotify,
lock files), a long poll leaving on the first error, library constants, quic-go's handshake, a bound
checked before the failure is counted, a recursive retry helper, a zero-valued net.Dialer, a connect
loop paced by a closure, a deadline on a loop polling a remote lock; with the traps beside each."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan


def _scan(tmp_path: Path, files: dict[str, str]) -> list[tuple]:
    svc = tmp_path / "svc"
    for rel, text in files.items():
        target = svc / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    (svc / "go.mod").write_text("module example.com/svc\n\ngo 1.22\n")
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    return sorted((f.path.split("/", 1)[1], f.line, f.kind,
                   f.attributes.get("timeout_ms", f.attributes.get("max_attempts")))
                  for f in result.findings if f.kind in ("timeout", "retry"))


REQUEUE = '''package controller

import (
	"k8s.io/client-go/util/workqueue"
)

const maxQueueRetries = 10

type Controller struct {
	queue workqueue.RateLimitingInterface
}

func (c *Controller) handleErr(err error, key interface{}) {
	if err == nil {
		c.queue.Forget(key)
		return
	}
	if c.queue.NumRequeues(key) < maxQueueRetries {
		c.queue.AddRateLimited(key)
		return
	}
	c.queue.Forget(key)
}

func (c *Controller) giveUp(err error, key interface{}) {
	if 5 <= c.queue.NumRequeues(key) {
		c.queue.Forget(key)
		return
	}
	c.queue.AddRateLimited(key)
}

func (c *Controller) logOnly(key interface{}) int {
	n := c.queue.NumRequeues(key)
	return n
}
'''


def test_workqueue_requeue_budget_counts_the_first_processing(tmp_path):
    found = _scan(tmp_path, {"controller.go": REQUEUE})
    assert ("controller.go", 18, "retry", 11) in found
    assert ("controller.go", 26, "retry", 6) in found
    assert not [f for f in found if f[1] == 35]  # the count read into a variable is no budget


NATS = '''package main

import (
	"github.com/nats-io/nats.go"
)

func connect(url string) (*nats.Conn, error) {
	return nats.Connect(url, nats.MaxReconnects(-1), nats.MaxReconnects(5))
}
'''


def test_nats_max_reconnects_are_the_librarys_reconnects_not_a_retry(tmp_path):
    found = _scan(tmp_path, {"main.go": NATS})
    assert not [f for f in found if f[2] == "retry"]


PODCLI = '''package main

import (
	"context"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/gorilla/websocket"
	"github.com/spf13/cobra"
)

var (
	retryCount int
	retryDelay time.Duration
	timeout    time.Duration
	unbound    time.Duration
)

var checkCmd = &cobra.Command{Use: "check"}
var checkTcpCmd = &cobra.Command{Use: "tcp"}

func init() {
	checkCmd.Flags().IntVar(&retryCount, "retry", 2, "times to retry")
	checkCmd.Flags().DurationVar(&retryDelay, "delay", 1*time.Second, "wait between retries")
	checkCmd.Flags().DurationVar(&timeout, "timeout", 5*time.Second, "timeout")
	checkTcpCmd.Flags().DurationVar(&timeout, "timeout", 5*time.Second, "timeout")
}

func runCheck(address string) error {
	for n := 0; n <= retryCount; n++ {
		if n != 0 {
			time.Sleep(retryDelay)
		}
		req, _ := http.NewRequest("GET", address, nil)
		ctx, cancel := context.WithTimeout(req.Context(), timeout)
		resp, err := http.DefaultClient.Do(req.WithContext(ctx))
		cancel()
		if err != nil {
			continue
		}
		if resp.StatusCode < 400 {
			os.Exit(0)
		}
	}
	os.Exit(1)
	return nil
}

func runWs(address string) error {
	conn, _, err := websocket.DefaultDialer.Dial(address, nil)
	if err != nil {
		return err
	}
	start := time.Now()
	conn.SetWriteDeadline(start.Add(timeout))
	if err := conn.WriteMessage(websocket.TextMessage, []byte("x")); err != nil {
		return err
	}
	conn.SetReadDeadline(time.Now().Add(timeout))
	_, _, err = conn.ReadMessage()
	return err
}

func runTcp(address string) error {
	c, err := net.DialTimeout("tcp", address, unbound)
	if err != nil {
		return err
	}
	return c.Close()
}

func watch(events chan bool) {
	for i := 0; i < 3; i++ {
		if <-events {
			os.Exit(0)
		}
	}
}
'''


def test_flag_bound_variables_and_a_check_loop_ending_the_process(tmp_path):
    found = _scan(tmp_path, {"main.go": PODCLI})
    assert ("main.go", 32, "retry", 3) in found  # --retry 2: three tries; the loop exits the process on success
    assert ("main.go", 37, "timeout", 5000) in found  # the flag's default, both registrations agree
    assert ("main.go", 57, "timeout", 5000) in found  # start.Add(timeout) on a start := time.Now()
    assert ("main.go", 61, "timeout", 5000) in found
    assert ("main.go", 67, "timeout", None) in found  # a variable no flag binds stays unresolved
    assert not [f for f in found if f[1] == 75]  # a loop over events that exits on one is no retry


RELOADER = '''package reloader

import (
	"fmt"
	"log"
	"os"
	"strconv"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"
)

type Reloader struct {
	PidFile    string
	MaxRetries int
	proc       *os.Process
}

func (r *Reloader) waitForProcess() error {
	attempts := 0
	for {
		pidfile, err := os.ReadFile(r.PidFile)
		if err == nil {
			pid, err := strconv.Atoi(string(pidfile))
			if err == nil {
				proc, err := os.FindProcess(pid)
				if err == nil && proc.Signal(syscall.Signal(0)) == nil {
					r.proc = proc
					return nil
				}
			}
		}
		attempts++
		if attempts > r.MaxRetries {
			return fmt.Errorf("too many errors")
		}
		time.Sleep(time.Second)
	}
}

func (r *Reloader) reload() error {
	attempts := 0
	for {
		err := r.waitForProcess()
		if err == nil {
			err = r.proc.Signal(syscall.SIGHUP)
			if err == nil {
				return nil
			}
		}
		log.Printf("retrying: %v", err)
		if attempts > r.MaxRetries {
			return err
		}
		time.Sleep(time.Second)
		attempts++
	}
}

func newWatcher() (*fsnotify.Watcher, error) {
	var lastErr error
	for attempt := 0; attempt <= 3; attempt++ {
		if attempt > 0 {
			time.Sleep(time.Second)
		}
		w, err := fsnotify.NewWatcher()
		if err == nil {
			return w, nil
		}
		lastErr = err
	}
	return nil, lastErr
}

func fetch(get func() error) error {
	attempts := 0
	for {
		err := get()
		if err == nil {
			return nil
		}
		attempts++
		if attempts > 3 {
			return err
		}
		time.Sleep(time.Second)
	}
}
'''


def test_loops_over_local_processes_and_files_retry_no_call(tmp_path):
    found = _scan(tmp_path, {"reloader.go": RELOADER})
    assert not [f for f in found if f[1] in (22, 44, 63)]  # pid file, signal, inotify: local work
    assert ("reloader.go", 78, "retry", 4) in found  # the same shape around a call of unknown reach


TRANSFER = '''package token

import (
	"errors"
	"net/http"
	"time"
)

func transfer(url string) ([]byte, error) {
	client := &http.Client{Timeout: 60 * time.Second}
	const pollAttempts = 10
	for i := 0; i < pollAttempts; i++ {
		buf, err := poll(client, url)
		if err != nil {
			return nil, err
		} else if len(buf) > 0 {
			return buf, nil
		}
	}
	return nil, errors.New("failed")
}

func fetchAgain(client *http.Client, url string) ([]byte, error) {
	const maxAttempts = 4
	var err error
	for i := 0; i < maxAttempts; i++ {
		var buf []byte
		buf, err = poll(client, url)
		if err != nil {
			time.Sleep(time.Second)
			continue
		} else if len(buf) > 0 {
			return buf, nil
		}
	}
	return nil, err
}

func poll(client *http.Client, url string) ([]byte, error) {
	resp, err := client.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return nil, nil
}
'''


def test_a_long_poll_that_leaves_on_the_first_error_is_no_retry(tmp_path):
    found = _scan(tmp_path, {"transfer.go": TRANSFER})
    assert ("transfer.go", 10, "timeout", 60000) in found
    assert not [f for f in found if f[1] == 12]  # waits for a person: an error ends it
    assert ("transfer.go", 26, "retry", 4) in found  # goes round again on the error


SQS = '''package sqsevent

import (
	"time"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/aws/client"
	"github.com/aws/aws-sdk-go/aws/session"
	"github.com/aws/aws-sdk-go/service/sqs"
)

func GetSqsClient(sess *session.Session) *sqs.SQS {
	return sqs.New(sess, &aws.Config{
		Retryer: client.DefaultRetryer{
			NumMaxRetries: client.DefaultRetryerMaxNumRetries,
			MaxRetryDelay: 1200 * time.Millisecond,
		},
	})
}
'''

QUIC = '''package supervisor

import (
	"time"

	"github.com/quic-go/quic-go"
)

const handshakeIdleTimeout = 5 * time.Second

func config() *quic.Config {
	return &quic.Config{
		HandshakeIdleTimeout: handshakeIdleTimeout,
		MaxIdleTimeout:       5 * time.Second,
		KeepAlivePeriod:      time.Second,
	}
}
'''


def test_library_constants_and_quic_handshake(tmp_path):
    found = _scan(tmp_path, {"sqs.go": SQS, "quic.go": QUIC})
    assert ("sqs.go", 15, "retry", 4) in found  # aws-sdk-go's DefaultRetryerMaxNumRetries: 3 retries
    assert ("quic.go", 13, "timeout", 5000) in found
    assert not [f for f in found if f[0] == "quic.go" and f[1] in (14, 15)]  # liveness and a period


SEND = '''package job

import (
	"net/http"
	"time"
)

func send() error { _, err := http.Get("http://wx/send"); return err }

func SendWxMini() {
	var maxRetryNum int64 = 5
	var retryNum int64
	for {
		time.Sleep(time.Second)
		err := send()
		if err != nil {
			if retryNum > maxRetryNum {
				return
			}
			retryNum++
			continue
		}
		return
	}
}

func countedFirst() {
	attempts := 0
	for {
		err := send()
		if err == nil {
			return
		}
		attempts++
		if attempts > 3 {
			return
		}
		time.Sleep(time.Second)
	}
}

func fromOne() {
	attempt := 1
	for {
		err := send()
		if err == nil {
			return
		}
		if attempt >= 3 {
			return
		}
		attempt++
		time.Sleep(time.Second)
	}
}
'''


def test_a_bound_checked_before_the_failure_is_counted(tmp_path):
    found = _scan(tmp_path, {"job.go": SEND})
    assert ("job.go", 13, "retry", 7) in found  # retryNum 0..6 tried: 7
    assert ("job.go", 29, "retry", 4) in found  # counted first: bound + 1
    assert ("job.go", 44, "retry", 3) in found  # from 1, checked first: the bound itself


IMDS = '''package ec2metadata

import (
	"math/rand"
	"net/http"
	"time"
)

type Service struct {
	tries      int
	httpClient http.Client
}

func (e *Service) Request(req *http.Request) (*http.Response, error) {
	return retry(e.tries, 2*time.Second, func() (*http.Response, error) { return e.httpClient.Do(req) })
}

func (e *Service) token(req *http.Request) (*http.Response, error) {
	return retry(1, 2*time.Second, func() (*http.Response, error) { return e.httpClient.Do(req) })
}

func fetch(req *http.Request) (*http.Response, error) {
	return retry(3, time.Second, func() (*http.Response, error) { return http.DefaultClient.Do(req) })
}

func retry(attempts int, sleep time.Duration, httpReq func() (*http.Response, error)) (*http.Response, error) {
	resp, err := httpReq()
	if err != nil {
		if attempts--; attempts > 0 {
			jitter := time.Duration(rand.Int63n(int64(sleep)))
			time.Sleep(sleep + jitter/2)
			return retry(attempts, 2*sleep, httpReq)
		}
	}
	return resp, err
}
'''


def test_a_recursive_retry_helper_counts_at_its_calls(tmp_path):
    found = _scan(tmp_path, {"imds.go": IMDS})
    assert ("imds.go", 19, "retry", 1) in found
    assert ("imds.go", 23, "retry", 3) in found
    assert not [f for f in found if f[1] == 32]  # the recursion itself is the helper's mechanism


REDIS = '''package redis

import (
	"context"
	"net"
	"time"

	"github.com/jpillora/backoff"
)

type Settings struct {
	RedisTimeout time.Duration `envconfig:"REDIS_TIMEOUT" default:"10s"`
}

func createDialer(timeout time.Duration) *net.Dialer {
	var netDialer net.Dialer
	if timeout > 0 {
		netDialer.Timeout = timeout
	}
	return &netDialer
}

func connectAll(ctx context.Context, s Settings, addr string) (net.Conn, error) {
	return connect(ctx, addr, s.RedisTimeout)
}

func connect(ctx context.Context, addr string, timeout time.Duration) (net.Conn, error) {
	dialer := createDialer(timeout)
	b := &backoff.Backoff{Min: time.Second, Max: 30 * time.Second, Factor: 2}
	retryOrDie := func(lastErr error) {
		select {
		case <-time.After(b.Duration()):
		case <-ctx.Done():
			panic(lastErr)
		}
	}
	var conn net.Conn
	for {
		var err error
		conn, err = dialer.DialContext(ctx, "tcp", addr)
		if err != nil {
			retryOrDie(err)
			continue
		}
		break
	}
	return conn, nil
}

func logEach(ctx context.Context, items []string) {
	note := func(s string) { println(s) }
	for {
		if len(items) == 0 {
			break
		}
		note(items[0])
		items = items[1:]
	}
}
'''


def test_a_zero_valued_dialer_and_a_connect_loop_paced_by_a_closure(tmp_path):
    found = _scan(tmp_path, {"redis.go": REDIS})
    assert ("redis.go", 24, "timeout", 10000) in found  # the settings' tag default, at the call handing it on
    assert ("redis.go", 38, "retry", None) in found  # until it connects
    assert not [f for f in found if f[1] == 18]  # the helper's own parameter: a forwarder
    assert not [f for f in found if f[1] == 51]  # a loop whose closure does not wait


LOCK = '''package middleware

import (
	"context"
	"errors"
	"os"
	"time"
)

type Session interface {
	ObtainLock(ctx context.Context, d time.Duration) error
}

var errNotObtained = errors.New("not obtained")

func refresh(s Session) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for obtained := false; !obtained; {
		select {
		case <-ctx.Done():
			return errors.New("timeout obtaining session lock")
		default:
			err := s.ObtainLock(context.Background(), 2*time.Second)
			if errors.Is(err, errNotObtained) {
				time.Sleep(10 * time.Millisecond)
				continue
			}
			obtained = true
		}
	}
	return nil
}

func waitForFile(path string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		default:
			if _, err := os.Stat(path); err == nil {
				return nil
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
}
'''


def test_a_deadline_on_a_loop_polling_a_remote_lock(tmp_path):
    found = _scan(tmp_path, {"lock.go": LOCK})
    assert ("lock.go", 17, "timeout", 5000) in found
    assert not [f for f in found if f[1] == 36]  # waits for a local file


ACTIVITIES = '''package activities

import (
	"bytes"
	"context"
	"net/http"
	"time"
)

const searchAPITimeout = 5 * time.Second

type PostJSONOptions struct {
	Timeout time.Duration
}

type ClientConfig struct {
	Timeout time.Duration
}

func postJSON(ctx context.Context, url string, body []byte, options PostJSONOptions) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	client := http.Client{
		Timeout: options.Timeout,
	}
	return client.Do(req)
}

func Search(ctx context.Context) (*http.Response, error) {
	return postJSON(ctx, "http://thirdparty:8082/search", nil, PostJSONOptions{Timeout: searchAPITimeout})
}

func newClient(cfg ClientConfig) *http.Client {
	return &http.Client{
		Timeout: cfg.Timeout,
	}
}
'''


def test_a_helper_reading_its_options_parameter_forwards_the_callers_value(tmp_path):
    found = _scan(tmp_path, {"activities.go": ACTIVITIES})
    assert ("activities.go", 32, "timeout", 5000) in found  # at the call, the literal it hands over
    assert not [f for f in found if f[1] == 26]  # the helper forwards it
    assert [f for f in found if f[1] == 37]  # a config no call of this file fills in stays where it is read


TOKEN = '''package token

import (
	"net/http"
	"os"
	"sync"
)

var mu sync.Mutex

func readToken(path string) (string, error) {
	b, err := os.ReadFile(path)
	return string(b), err
}

func acquireLockFile(path string) error { return nil }

func GetToken(path string) (string, error) {
	tok, err := readToken(path)
	if err != nil {
		if err := acquireLockFile(path + ".lock"); err != nil {
			return "", err
		}
		tok, err = readToken(path)
	}
	return tok, err
}

func ping(url string) error {
	_, err := http.Get(url)
	if err != nil {
		_, err = http.Get(url)
	}
	return err
}
'''


def test_a_call_made_again_once_a_lock_is_held_is_no_retry(tmp_path):
    found = _scan(tmp_path, {"token.go": TOKEN})
    assert not [f for f in found if f[1] == 24]  # double-checked locking
    assert ("token.go", 32, "retry", 2) in found  # the same call again on its failure


DEFAULTED = '''package license

import (
	"net/http"
	"time"
)

const DefaultTimeout = 10 * time.Second

type Config struct {
	Timeout time.Duration
}

func NewClient(cfg Config) *http.Client {
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultTimeout
	}
	return &http.Client{
		Timeout: cfg.Timeout,
	}
}

func fromSettings(t time.Duration) *http.Client {
	return NewClient(Config{Timeout: t})
}
'''


def test_an_options_parameter_the_helper_defaults_keeps_its_contract(tmp_path):
    found = _scan(tmp_path, {"license.go": DEFAULTED})
    assert ("license.go", 19, "timeout", 10000) in found  # rule (a): the helper's own default


POLL = '''package main

import (
	"context"
	"time"

	"k8s.io/apimachinery/pkg/util/wait"
)

func uncordon() error { return nil }
func ready() (bool, error) { return true, nil }

func startup() {
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Second)
	defer cancel()
	_ = wait.PollUntilContextCancel(ctx, 2*time.Second, true, func(context.Context) (bool, error) {
		if err := uncordon(); err != nil {
			return false, nil
		}
		return true, nil
	})
	_ = wait.PollUntilContextCancel(ctx, 2*time.Second, true, func(context.Context) (bool, error) {
		ok, err := ready()
		if err != nil {
			return false, err
		}
		return ok, nil
	})
}
'''


def test_a_kubernetes_poll_that_runs_a_failed_call_again_is_a_retry(tmp_path):
    found = _scan(tmp_path, {"main.go": POLL})
    assert ("main.go", 16, "retry", None) in found
    assert not [f for f in found if f[1] == 22 and f[2] == "retry"]  # waits for a state, stops on an error
