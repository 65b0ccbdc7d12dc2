"""Round 18 (held-out sets coredns, openfga, jitsu-bulker, flux-source-controller, nsq,
distribution-registry, permify): a CRD field's `+kubebuilder:default` marker and a getter that returns
the setting when given else a default (Flux), deadlines on a connection field a dial filled, delay
schedules whose sleep scales the delay, `for range N` re-sends without a sleep; with the traps beside
each."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan
from extractors.go.extractor import EXTRACTOR


def _found(source: str, path: str = "svc/pkg/client/x.go") -> list[tuple]:
    result = EXTRACTOR.extract(path, source.encode("utf-8"))
    return sorted((f.line, f.kind, f.attributes.get("timeout_ms", f.attributes.get("max_attempts")))
                  for f in result.findings if f.kind in ("timeout", "retry") and f.detector != "go.wrapper_call")


def _scan(tmp_path: Path, files: dict[str, str]) -> list[tuple]:
    svc = tmp_path / "svc"
    for rel, text in files.items():
        target = svc / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    (svc / "go.mod").write_text("module example.com/svc\n\ngo 1.26\n")
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    return sorted((f.path.split("/", 1)[1], f.line, f.kind,
                   f.attributes.get("timeout_ms", f.attributes.get("max_attempts")))
                  for f in result.findings if f.kind in ("timeout", "retry"))


CRD_TYPES = '''package v1

import (
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

type BucketSpec struct {
	// Timeout for fetch operations, defaults to 60s.
	// +kubebuilder:default="60s"
	// +kubebuilder:validation:Type=string
	// +optional
	Timeout *metav1.Duration `json:"timeout,omitempty"`

	// Interval at which the bucket is reconciled.
	// +required
	Interval metav1.Duration `json:"interval"`
}

type Bucket struct {
	Spec BucketSpec `json:"spec,omitempty"`
}

type HelmRepositorySpec struct {
	// +optional
	Timeout *metav1.Duration `json:"timeout,omitempty"`
}

type HelmRepository struct {
	Spec HelmRepositorySpec `json:"spec,omitempty"`
}

// GetTimeout returns the timeout of the repository's operations.
func (in HelmRepository) GetTimeout() time.Duration {
	if in.Spec.Timeout != nil {
		return in.Spec.Timeout.Duration
	}
	return time.Minute
}

// GetInterval returns the interval, or zero: no default to read.
func (in HelmRepository) GetInterval() time.Duration {
	if in.Spec.Timeout != nil {
		return 0
	}
	return time.Hour
}
'''

CRD_CONTROLLER = '''package controller

import (
	"context"

	v1 "example.com/svc/api/v1"
)

func (r *BucketReconciler) reconcileSource(ctx context.Context, obj *v1.Bucket) error {
	ctxTimeout, cancel := context.WithTimeout(ctx, obj.Spec.Timeout.Duration)
	defer cancel()
	return r.provider.List(ctxTimeout, obj)
}

func (r *HelmReconciler) build(ctx context.Context, repo *v1.HelmRepository) error {
	ctxTimeout, cancel := context.WithTimeout(ctx, repo.GetTimeout())
	defer cancel()
	return r.getter.Get(ctxTimeout, repo)
}

func (r *HelmReconciler) wait(ctx context.Context, repo *v1.HelmRepository) error {
	ctxTimeout, cancel := context.WithTimeout(ctx, repo.GetInterval())
	defer cancel()
	return r.getter.Get(ctxTimeout, repo)
}
'''


def test_kubebuilder_default_marker_values_a_spec_timeout_and_a_getter_values_its_fallback(tmp_path):
    found = _scan(tmp_path, {"api/v1/types.go": CRD_TYPES, "internal/controller/c.go": CRD_CONTROLLER})
    assert ("internal/controller/c.go", 10, "timeout", 60000) in found  # +kubebuilder:default="60s"
    assert ("internal/controller/c.go", 16, "timeout", 60000) in found  # GetTimeout(): time.Minute unless set
    # the trap: a getter whose branch answers something else than the setting gives no default
    assert ("internal/controller/c.go", 22, "timeout", 3600000) not in found


def test_a_field_without_a_marker_or_with_another_marker_gets_no_default(tmp_path):
    types = CRD_TYPES.replace('// +kubebuilder:default="60s"', "// +kubebuilder:validation:Pattern=s")
    found = _scan(tmp_path, {"api/v1/types.go": types, "internal/controller/c.go": CRD_CONTROLLER})
    assert ("internal/controller/c.go", 10, "timeout", 60000) not in found
    # a marker in a comment that is not right above the field (a blank line between) is not the field's
    detached = CRD_TYPES.replace('\t// +optional\n\tTimeout *metav1.Duration `json:"timeout,omitempty"`\n\n\t// Interval',
                                 '\t// +optional\n\n\tTimeout *metav1.Duration `json:"timeout,omitempty"`\n\n\t// Interval', 1)
    assert detached != CRD_TYPES
    found = _scan(tmp_path / "b", {"api/v1/types.go": detached, "internal/controller/c.go": CRD_CONTROLLER})
    assert ("internal/controller/c.go", 10, "timeout", 60000) not in found


PEER = '''package nsqd

import (
	"net"
	"time"
)

type lookupPeer struct {
	addr string
	conn net.Conn
}

func (lp *lookupPeer) Connect() error {
	conn, err := net.DialTimeout("tcp", lp.addr, time.Second)
	if err != nil {
		return err
	}
	lp.conn = conn
	return nil
}

func (lp *lookupPeer) Read(data []byte) (int, error) {
	lp.conn.SetReadDeadline(time.Now().Add(2 * time.Second))
	return lp.conn.Read(data)
}

func (lp *lookupPeer) Write(data []byte) (int, error) {
	lp.conn.SetWriteDeadline(time.Now().Add(3 * time.Second))
	return lp.conn.Write(data)
}
'''

POOLED = '''package proxy

import "time"

func (p *Proxy) Connect(proto string, msg []byte) error {
	pc, cached, err := p.transport.Dial(proto)
	if err != nil {
		return err
	}
	_ = cached
	pc.c.SetWriteDeadline(time.Now().Add(2 * time.Second))
	if _, err := pc.c.Write(msg); err != nil {
		return err
	}
	pc.c.SetReadDeadline(time.Now().Add(4 * time.Second))
	_, err = pc.c.Read(msg)
	return err
}
'''

SERVER_SIDE = '''package nsqd

import (
	"net"
	"time"
)

type client struct {
	conn net.Conn
}

func (p *protocol) IOLoop(listener net.Listener) error {
	conn, err := listener.Accept()
	if err != nil {
		return err
	}
	c := &client{}
	c.conn = conn
	c.conn.SetReadDeadline(time.Now().Add(60 * time.Second))
	return nil
}

func (s *session) Flush(t time.Duration) {
	s.conn.SetWriteDeadline(time.Now().Add(t))
}
'''


def test_deadlines_on_a_connection_field_a_dial_filled_are_read_and_write_timeouts():
    assert _found(PEER) == [(14, "timeout", 1000), (23, "timeout", 2000), (28, "timeout", 3000)]
    assert _found(POOLED) == [(11, "timeout", 2000), (15, "timeout", 4000)]


def test_deadlines_on_an_accepted_or_unknown_connection_field_are_not_reported():
    # the traps: a field filled from an accepted connection (an inbound client), one never filled here
    assert _found(SERVER_SIDE) == []


SCHEDULE = '''package api_based

import (
	"bytes"
	"net/http"
	"time"
)

var retryDelaysMs = [5]int{100, 200, 200, 500, 0}

func (mp *Mixpanel) send(body []byte) (status int, err error) {
	for _, retryDelayMs := range retryDelaysMs {
		var res *http.Response
		res, err = mp.httpClient.Post(mp.url, "application/json", bytes.NewReader(body))
		if err != nil {
			time.Sleep(time.Duration(retryDelayMs) * time.Millisecond)
			continue
		}
		if res.StatusCode == 502 || res.StatusCode == 503 {
			time.Sleep(time.Duration(retryDelayMs) * time.Millisecond)
			continue
		}
		return res.StatusCode, nil
	}
	return 0, err
}

func (mp *Mixpanel) sendAll(batches [][]byte, pauses []int) {
	for _, batch := range batches {
		if _, err := mp.send(batch); err == nil {
			return
		}
		time.Sleep(time.Duration(len(batch)) * time.Millisecond)
	}
	for _, retryDelayMsX := range pauses {
		_ = mp.flush()
		time.Sleep(time.Duration(retryDelayMs) * time.Millisecond)
		_ = retryDelayMsX
	}
}
'''


def test_a_delay_schedule_whose_sleep_scales_the_delay_tries_once_per_delay():
    found = _found(SCHEDULE)
    assert (12, "retry", 5) in found
    # the traps: a walk over items that sleeps by the item's size, a loop whose sleep names another variable
    assert [f for f in found if f[0] in (29, 35)] == []


NOTIFY = '''package transfer

import "github.com/miekg/dns"

func sendNotify(c *dns.Client, m *dns.Msg, s string) error {
	var err error
	var ret *dns.Msg
	code := dns.RcodeServerFailure
	for range 3 {
		ret, _, err = c.Exchange(m, s)
		if err != nil {
			continue
		}
		code = ret.Rcode
		if code == dns.RcodeSuccess {
			return nil
		}
	}
	return err
}

func readAll(c *dns.Client, m *dns.Msg, servers []string) int {
	n := 0
	for range 3 {
		ret, _, err := c.Exchange(m, servers[n])
		if err != nil {
			continue
		}
		if ret.Rcode == dns.RcodeRefused {
			return n
		}
	}
	return n
}
'''


def test_a_counted_resend_that_goes_round_on_error_and_leaves_on_an_accepted_answer_is_a_retry():
    found = _found(NOTIFY)
    assert (9, "retry", 3) in found
    # the trap: a last branch that gives up on a refusal is no exit on success
    assert [f for f in found if f[0] == 23] == []


HTTP_API = '''package http_api

import (
	"net"
	"net/http"
	"time"
)

func NewDeadlineTransport(connectTimeout time.Duration, requestTimeout time.Duration) *http.Transport {
	return &http.Transport{
		DialContext: (&net.Dialer{
			Timeout: connectTimeout,
		}).DialContext,
		ResponseHeaderTimeout: requestTimeout,
	}
}

type Client struct {
	c *http.Client
}

func NewClient(connectTimeout time.Duration, requestTimeout time.Duration) *Client {
	transport := NewDeadlineTransport(connectTimeout, requestTimeout)
	return &Client{
		c: &http.Client{
			Transport: transport,
			Timeout:   requestTimeout,
		},
	}
}
'''

HTTP_API_CALLERS = '''package main

import (
	"flag"
	"net/http"
	"time"

	"example.com/svc/internal/http_api"
)

var (
	httpConnectTimeout = flag.Duration("http-client-connect-timeout", 2*time.Second, "connect")
	httpRequestTimeout = flag.Duration("http-client-request-timeout", 20*time.Second, "request")
)

func main() {
	flag.Parse()
	client := http_api.NewClient(3*time.Second, 7*time.Second)
	publisher := &http.Client{Transport: http_api.NewDeadlineTransport(*httpConnectTimeout, *httpRequestTimeout), Timeout: *httpRequestTimeout}
	_, _ = client, publisher
}
'''


def _phased(tmp_path: Path, files: dict[str, str]) -> list[tuple]:
    svc = tmp_path / "svc"
    for rel, text in files.items():
        target = svc / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    (svc / "go.mod").write_text("module example.com/svc\n\ngo 1.26\n")
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    return sorted((f.path.split("/", 1)[1], f.line, f.attributes.get("phase"), f.attributes.get("timeout_ms"))
                  for f in result.findings if f.kind == "timeout" and f.path.endswith("main.go"))


def test_a_helper_parameter_that_is_also_a_client_timeout_is_total_and_a_helper_beside_a_read_keeps_its_proposals(tmp_path):
    found = _phased(tmp_path, {"internal/http_api/api.go": HTTP_API, "cmd/main.go": HTTP_API_CALLERS})
    # NewClient's requestTimeout is its http.Client's Timeout (total), not only the transport's header wait
    assert ("cmd/main.go", 18, "connect", 3000) in found
    assert ("cmd/main.go", 18, "total", 7000) in found
    assert ("cmd/main.go", 18, "read", 7000) not in found
    # the transport helper called beside the client's own Timeout field, with flag pointers read
    assert ("cmd/main.go", 19, "connect", 2000) in found
    assert ("cmd/main.go", 19, "read", 20000) in found
    assert ("cmd/main.go", 19, "total", 20000) in found


def test_a_helper_call_a_detector_reads_itself_gets_no_proposal_beside_it():
    # the trap: `context.WithTimeout(ctx, d)` is read by its own detector; a project call on another line
    # is proposed as before, and the same line's read keeps the proposal out only where they overlap
    source = '''package p

import (
	"context"
	"time"
)

func f(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	_ = ctx
}
'''
    result = EXTRACTOR.extract("svc/p/x.go", source.encode())
    assert [(f.line, f.detector) for f in result.findings if f.kind == "timeout"] == [(9, "go.context_timeout")]


DRIVER_PARAMS = '''package sql

import "example.com/svc/utils"

func (c *ClickHouseConfig) defaults(config *Config, headers Header, log Logger) {
	utils.MapPutIfAbsent(config.Parameters, "dial_timeout", "60s")
	utils.MapPutIfAbsent(config.Parameters, "read_timeout", "30s")
	utils.MapPutIfAbsent(config.Parameters, "timeout", "10s")
	minute := "60"
	utils.MapPutIfAbsent(config.Parameters, "loginTimeout", &minute)
	utils.MapPutIfAbsent(config.Parameters, "timeout", config.Timeout)
	headers.Set("timeout", "5s")
	log.Infof("config.Parameters", "timeout", "7s")
	utils.MapPutIfAbsent(config.Parameters, "dial_timeout", "soon")
}
'''


def test_driver_timeout_parameters_put_into_a_dsn_parameter_map_are_timeouts():
    found = _found(DRIVER_PARAMS)
    assert (6, "timeout", 60000) in found
    assert (7, "timeout", 30000) in found
    assert (8, "timeout", 10000) in found
    assert (10, "timeout", 60000) in found  # snowflake counts seconds
    # the traps: a value the file cannot read, a header, a log line, a value that is no duration
    assert [f for f in found if f[0] in (11, 12, 13, 14)] == []


DB_TYPE = '''package postgres

const _defaultMaxRetries = 10

type Postgres struct {
	maxRetries     int
	maxConnections int
}

func New(opts ...Option) *Postgres {
	pg := &Postgres{
		maxRetries:     _defaultMaxRetries,
		maxConnections: 20,
	}
	for _, opt := range opts {
		opt(pg)
	}
	return pg
}

func (p *Postgres) GetMaxRetries() int {
	return p.maxRetries
}

func (p *Postgres) GetMaxConnections() int {
	return p.maxConnections
}
'''

DB_WRITER = '''package storage

import (
	"context"
	"errors"

	"example.com/svc/pkg/database/postgres"
)

var errSerialization = errors.New("serialization")

type DataWriter struct {
	database *postgres.Postgres
}

func (w *DataWriter) Write(ctx context.Context) error {
	for i := 0; i <= w.database.GetMaxRetries(); i++ {
		err := w.write(ctx)
		if err != nil {
			if errors.Is(err, errSerialization) {
				continue
			}
			return err
		}
		return nil
	}
	return errors.New("max retries")
}
'''


def test_a_getter_of_a_receiver_field_answers_the_constructor_default(tmp_path):
    found = _scan(tmp_path, {"pkg/database/postgres/postgres.go": DB_TYPE, "internal/storage/writer.go": DB_WRITER})
    assert ("internal/storage/writer.go", 17, "retry", 11) in found  # 10 retries after the first try
    # the trap: a getter of a field not named for timeouts or retries publishes nothing
    from extractors.go.extractor import EXTRACTOR as X
    symbols = X.extract("svc/pkg/database/postgres/postgres.go", DB_TYPE.encode()).symbols
    assert "$getter.GetMaxRetries" in symbols and "$getter.GetMaxConnections" not in symbols


NOT_RETRIES = '''package app

import (
	"context"
	"errors"
	"time"
)

func (t *Topic) GenerateID() MessageID {
	var i int64 = 0
	for {
		id, err := t.idFactory.NewGUID()
		if err == nil {
			return id.Hex()
		}
		if i%10000 == 0 {
			t.nsqd.logf(LOG_ERROR, "failed to create guid - %s", err)
		}
		time.Sleep(time.Millisecond)
		i++
	}
}

func (d *driver) Move(ctx context.Context, ref *BlobClient) error {
	copyStatus := Pending
	retryCount := 1
	for copyStatus == Pending {
		props, err := ref.GetProperties(ctx, nil)
		if err != nil {
			return err
		}
		if retryCount >= d.maxRetries {
			return errors.New("max retries for copy polling reached")
		}
		copyStatus = props.CopyStatus
		if copyStatus == Pending {
			time.Sleep(d.retryDelay * time.Duration(retryCount))
		}
		retryCount++
	}
	return nil
}

func (bc *BatchConsumer) processRetries(retryBatchSize int) (counters Counters, err error) {
	reachedEnd := false
	for !reachedEnd {
		if err = bc.producer.BeginTransaction(); err != nil {
			return counters, err
		}
		for i := 0; i < retryBatchSize; i++ {
			message, err := bc.consumer.ReadMessage(bc.wait)
			if err != nil {
				if errors.Is(err, errRetriable) {
					time.Sleep(10 * time.Second)
					continue
				}
				return counters, err
			}
			counters.retryScheduled++
			if message.Last {
				reachedEnd = true
				break
			}
		}
	}
	return counters, nil
}

func (p *Publisher) Publish(ctx context.Context, msg []byte) error {
	for {
		err := p.client.Publish(ctx, msg)
		if err == nil {
			return nil
		}
		p.logger.logf(LOG_ERROR, "publish failed: %s", err)
		time.Sleep(time.Second)
	}
}
'''


def test_local_id_generation_a_polled_copy_status_and_a_batch_read_are_no_retries():
    found = _found(NOT_RETRIES)
    assert [f for f in found if f[0] in (11, 27, 46, 50)] == []
    # the control: a publish re-sent until it works, a log line between the tries, stays a retry
    assert (70, "retry", None) in found


DNS_CLIENT = '''package forward

import (
	"time"

	"github.com/miekg/dns"
)

func lookup(name, server string) (*dns.Msg, error) {
	c := new(dns.Client)
	c.ReadTimeout = 2 * time.Second
	c.WriteTimeout = 3 * time.Second
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), dns.TypeA)
	r, _, err := c.Exchange(m, server)
	return r, err
}

func setDefaultTimeout(c *dns.Client) {
	c.ReadTimeout = 1 * time.Second
}

var tcp = &dns.Client{Net: "tcp", DialTimeout: 500 * time.Millisecond, Timeout: 4 * time.Second}
'''

OTHER_DNS = '''package cloud

import (
	"time"

	"example.com/svc/dns"
)

func configure(c *dns.Client) {
	c.ReadTimeout = 1 * time.Second
	d := new(dns.Client)
	d.WriteTimeout = 2 * time.Second
}
'''


def test_miekg_dns_client_timeouts_are_read_by_phase():
    assert _found(DNS_CLIENT) == [(11, "timeout", 2000), (12, "timeout", 3000), (20, "timeout", 1000),
                                  (23, "timeout", 500), (23, "timeout", 4000)]
    # the trap: a project package that happens to be named dns
    assert _found(OTHER_DNS) == []


DEADLINE_LOOPS = '''package forward

import (
	"context"
	"os"
	"time"
)

const defaultTimeout = 5 * time.Second

func (f *Forward) serve(ctx context.Context, list []*Proxy) error {
	deadline := time.Now().Add(defaultTimeout)
	i := 0
	for time.Now().Before(deadline) && ctx.Err() == nil {
		if i >= len(list) {
			break
		}
		proxy := list[i]
		i++
		if _, err := proxy.Connect(ctx); err != nil {
			continue
		}
		return nil
	}
	return errNoHealthy
}

func waitForSocket(path string) bool {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if _, err := os.Stat(path); err == nil {
			return true
		}
		time.Sleep(100 * time.Millisecond)
	}
	return false
}

func (c *Client) drain(ctx context.Context) {
	start := time.Now()
	for time.Since(start) < 3*time.Second {
		if err := c.api.Flush(ctx); err == nil {
			return
		}
	}
}
'''


def test_a_loop_trying_remote_calls_until_a_deadline_is_a_timeout_at_its_check():
    found = [f for f in _found(DEADLINE_LOOPS) if f[1] == "timeout"]
    assert (14, "timeout", 5000) in found
    assert (41, "timeout", 3000) in found
    # the trap: a wait for a local file until a deadline bounds no call
    assert [f for f in found if f[0] == 30] == []


ORAS = '''package registry

import (
	"net/http"

	"oras.land/oras-go/v2/registry/remote/auth"
	retryhttp "oras.land/oras-go/v2/registry/remote/retry"
)

func NewClient(base http.RoundTripper, useDefault bool) *auth.Client {
	hc := retryhttp.DefaultClient
	if !useDefault {
		hc = &http.Client{
			Transport: retryhttp.NewTransport(base),
		}
	}
	return &auth.Client{Client: hc}
}
'''

NOT_ORAS = '''package registry

import (
	"net/http"

	"example.com/svc/retry"
)

func NewClient(base http.RoundTripper) *http.Client {
	_ = retry.DefaultClient
	return &http.Client{Transport: retry.NewTransport(base)}
}
'''

SINKS = '''package notifications

import (
	"time"

	events "github.com/docker/go-events"
)

func NewEndpoint(sink events.Sink, threshold int, backoff time.Duration) events.Sink {
	return events.NewRetryingSink(sink, events.NewBreaker(threshold, backoff))
}
'''

TRANSFER = '''package secondary

import (
	"log"
	"time"
)

func (s *Secondary) transferAndUpdate(origin string, shutdown chan bool) {
	dur := time.Millisecond * 250
	max := time.Second * 10
	for {
		err := s.transferIn(origin)
		if err == nil {
			break
		}
		log.Printf("transfer of %s failed, retrying in %s: %s", origin, dur, err)
		if waitForTransferRetry(shutdown, dur) {
			return
		}
		dur <<= 1
		if dur > max {
			dur = max
		}
	}
}

func waitForTransferRetry(shutdown <-chan bool, dur time.Duration) bool {
	timer := time.NewTimer(dur)
	defer timer.Stop()
	select {
	case <-timer.C:
		return false
	case <-shutdown:
		return true
	}
}

func (s *Secondary) drain(items []string) {
	for {
		if s.flush(items) {
			break
		}
		if recordFailure(items) {
			return
		}
	}
}

func recordFailure(items []string) bool {
	log.Printf("failed: %d", len(items))
	return len(items) == 0
}
'''


def test_oras_retry_transport_and_default_client_keep_the_default_policy_tries():
    assert _found(ORAS) == [(11, "retry", 6), (14, "retry", 6)]
    assert _found(NOT_ORAS) == []  # the trap: a project package named retry


def test_a_go_events_retrying_sink_retries_without_a_bound():
    assert _found(SINKS) == [(10, "retry", None)]


def test_a_wait_helper_of_the_file_paces_a_retry_loop_like_a_sleep():
    found = _found(TRANSFER)
    assert (11, "retry", None) in found
    # the trap: a helper of the file that waits for nothing paces nothing
    assert [f for f in found if f[0] == 38] == []


PGX_POOL = '''package postgres

import (
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

func parseConfig(uri string, other *Settings) (*pgxpool.Config, error) {
	c, err := pgxpool.ParseConfig(uri)
	if err != nil {
		return nil, err
	}
	c.PingTimeout = 2 * time.Second
	other.PingTimeout = 3 * time.Second
	return c, nil
}
'''


def test_a_pgx_pool_config_ping_timeout_is_a_timeout():
    assert _found(PGX_POOL) == [(14, "timeout", 2000)]  # not another type's field of that name


DEAD_LETTER = '''package app

type Config struct {
	MessagesRetryCount int `mapstructure:"MESSAGES_RETRY_COUNT" default:"5"`
}

func (sc *StreamConsumer) handle(message *Message, err error) {
	retries, _ := GetIntHeader(message, retriesCountHeader)
	failedTopic := sc.retryTopic
	if retries >= sc.config.MessagesRetryCount {
		// no attempts left - send to dead-letter topic
		failedTopic = sc.config.DeadLetterTopicName
	} else {
		retries++
	}
	sc.producer.Produce(failedTopic, message, retries)
}

func (c *Consumer) onMessage(msg *Msg) {
	if msg.NumDelivered >= c.maxDeliveries {
		c.publish(c.dlq, msg)
		return
	}
	if msg.retries >= c.maxRetries {
		c.metrics.Inc("gave_up")
		return
	}
}
'''


def test_a_retry_count_checked_before_a_dead_letter_topic_is_a_retry_budget(tmp_path):
    found = _scan(tmp_path, {"app/consumer.go": DEAD_LETTER})
    assert ("app/consumer.go", 10, "retry", 6) in found  # 5 retries after the first try (the struct tag's default)
    assert ("app/consumer.go", 20, "retry", None) in found  # deliveries count the first one: maxDeliveries tries
    # the trap: a count checked with no dead-letter hand-off in its branch
    assert [f for f in found if f[1] == 24] == []
