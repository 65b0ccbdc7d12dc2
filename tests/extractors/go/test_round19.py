"""Round 19 (held-out sets gubernator, nats-queue-worker, fabio, hydra, argo-rollouts-metrics, kraken,
orchestrator, answer): the shapes their first scans missed."""

from __future__ import annotations

from pathlib import Path  # noqa: F401  (tmp_path fixtures are typed Path)

from tests.extractors.go.test_round18 import _found, _scan  # noqa: F401  (shared helpers)

# --- functional options of a request helper (kraken's utils/httputil) -------------------------------

HTTPUTIL = '''package httputil

import (
	"net/http"
	"time"
)

type sendOptions struct {
	timeout time.Duration
	retries int
	label   string
}

type SendOption func(*sendOptions)

func SendTimeout(timeout time.Duration) SendOption {
	return func(o *sendOptions) { o.timeout = timeout }
}

func SendLabel(label string) SendOption {
	return func(o *sendOptions) { o.label = label }
}

func Send(method, url string, options ...SendOption) (*http.Response, error) {
	opts := &sendOptions{timeout: 60 * time.Second}
	for _, o := range options {
		o(opts)
	}
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		return nil, err
	}
	client := &http.Client{
		Timeout: opts.timeout,
	}
	return client.Do(req)
}
'''

CALLER = '''package tagclient

import (
	"time"

	"example.com/svc/httputil"
)

func Get(addr string) error {
	_, err := httputil.Send("GET", addr,
		httputil.SendTimeout(5*time.Second),
		httputil.SendLabel("tags"))
	return err
}

func Put(addr string) error {
	_, err := httputil.Send("PUT", addr,
		httputil.SendTimeout(30*time.Second))
	return err
}
'''


def test_a_functional_option_storing_a_timeout_field_is_valued_where_it_is_handed(tmp_path):
    got = _scan(tmp_path, {"httputil/httputil.go": HTTPUTIL, "tagclient/client.go": CALLER})
    assert ("tagclient/client.go", 11, "timeout", 5000) in got
    assert ("tagclient/client.go", 18, "timeout", 30000) in got
    # the helper's own default stays where it is handed to the client
    assert ("httputil/httputil.go", 34, "timeout", 60000) in got
    # the label option stores a field no timeout reads: nothing at its line
    assert not [g for g in got if g[0] == "tagclient/client.go" and g[1] == 12]


UNUSED_OPTION = HTTPUTIL.replace("Timeout: opts.timeout,", "Timeout: 10 * time.Second,")


def test_an_option_whose_field_no_timeout_reads_publishes_nothing(tmp_path):
    got = _scan(tmp_path, {"httputil/httputil.go": UNUSED_OPTION, "tagclient/client.go": CALLER})
    assert not [g for g in got if g[0] == "tagclient/client.go"]


# --- failover across replicas: go on to the next one when the call failed ---------------------------

FAILOVER = '''package blobclient

import "errors"

type Client interface {
	Stat(d string) (int64, error)
	GetMetaInfo(d string) ([]byte, error)
}

func Stat(clients []Client, d string) (size int64, err error) {
	for _, client := range clients {
		size, err = client.Stat(d)
		if err != nil {
			continue
		}
		break
	}
	return size, err
}

func Announce(ring Ring, d string) ([]byte, error) {
	var err error
	for _, addr := range ring.Locations(d) {
		body, err := send(addr, d)
		if err != nil {
			if isNetworkError(err) {
				ring.Failed(addr)
				continue
			}
			return nil, err
		}
		if err := decode(body); err != nil {
			return nil, err
		}
		return body, nil
	}
	return nil, err
}

var errNone = errors.New("none")
'''


def test_a_range_over_replicas_that_moves_on_after_a_failed_call_is_a_failover():
    got = _found(FAILOVER)
    assert (11, "retry", None) in got
    assert (23, "retry", None) in got


NOT_FAILOVER = '''package blobclient

import "os"

func Process(items []string) error {
	for _, item := range items {
		err := handle(item)
		if err != nil {
			continue
		}
		break
	}
	return nil
}

func Open(paths []string) (*os.File, error) {
	for _, path := range paths {
		f, err := os.Open(path)
		if err != nil {
			continue
		}
		return f, nil
	}
	return nil, os.ErrNotExist
}

func NotifyAll(clients []Client, d string) {
	for _, client := range clients {
		err := client.Notify(d)
		if err != nil {
			continue
		}
		log(d)
	}
}

func FirstAnswer(nameservers []string, q string) (v string, err error) {
	for _, nameserver := range nameservers {
		v, err = ask(nameserver, q)
		if err == nil {
			return v, nil
		}
	}
	return
}
'''


def test_walks_over_items_paths_or_every_client_and_a_last_error_check_are_no_failover():
    # items and paths are no replicas; NotifyAll goes on after a success too; FirstAnswer keeps the
    # last error only (alternatives, as go-cert-manager-acme's nameserver walk)
    assert [g for g in _found(NOT_FAILOVER) if g[1] == "retry"] == []


# --- DSN timeouts filled in by format verbs (orchestrator's go/db/db.go) ----------------------------

DSN_FORMAT = '''package db

import (
	"database/sql"
	"fmt"
	"time"
)

const connectSeconds = 2

func openBackend(host string, readSeconds int) (*sql.DB, error) {
	uri := fmt.Sprintf("%s:%s@tcp(%s:%d)/?timeout=%ds&readTimeout=%ds&interpolateParams=true",
		"user", "pass", host, 3306,
		connectSeconds,
		30,
	)
	return sql.Open("mysql", uri)
}

func openPg(d time.Duration) string {
	return fmt.Sprintf("host=db connect_timeout=%d statement_timeout=%d", 5, 250)
}

func safeMySQLURI(host string) string {
	return fmt.Sprintf("%s:?@tcp(%s:%d)/?timeout=%ds (incomplete dsn!)", "user", host, 3306, connectSeconds)
}

func describe(n int) string {
	return fmt.Sprintf("retrying in %ds, timeout=%d", n, n)
}
'''


def test_a_dsn_timeout_filled_by_a_format_verb_is_at_its_argument_with_the_verbs_unit():
    got = [g for g in _found(DSN_FORMAT) if g[1] == "timeout"]
    assert (14, "timeout", 2000) in got  # timeout=%ds <- connectSeconds
    assert (15, "timeout", 30000) in got  # readTimeout=%ds <- 30
    assert (21, "timeout", 5000) in got  # postgres connect_timeout counts seconds
    assert (21, "timeout", 250) in got  # statement_timeout counts ms
    # a DSN shown without its password (logs) and a sentence with `timeout=%d` are no settings
    assert not [g for g in got if g[0] in (25, 29)]


# --- holster's clock package mirrors package time ----------------------------------------------------

HOLSTER = '''package gubernator

import (
	"context"

	"github.com/mailgun/holster/v4/clock"
)

const etcdTimeout = clock.Second * 10

func get(ctx context.Context, c Client) error {
	ctx, cancel := context.WithTimeout(ctx, etcdTimeout)
	defer cancel()
	return c.Get(ctx)
}
'''


def test_holster_clock_units_are_time_units():
    assert (12, "timeout", 10000) in _found(HOLSTER)


# --- a package variable made by its config constructor (orchestrator's config.Config) ----------------

CONFIG_PKG = '''package config

type Configuration struct {
	MySQLConnectTimeoutSeconds int
	Name                       string
}

var Config = newConfiguration()

func newConfiguration() *Configuration {
	return &Configuration{
		MySQLConnectTimeoutSeconds: 2,
		Name:                       "orchestrator",
	}
}
'''

CONFIG_READER = '''package db

import (
	"net"
	"time"

	"example.com/svc/config"
)

func dial(addr string) (net.Conn, error) {
	return net.DialTimeout("tcp", addr, time.Duration(config.Config.MySQLConnectTimeoutSeconds)*time.Second)
}
'''


def test_a_package_variable_made_by_a_config_constructor_gives_its_fields_defaults(tmp_path):
    got = _scan(tmp_path, {"config/config.go": CONFIG_PKG, "db/db.go": CONFIG_READER})
    assert ("db/db.go", 11, "timeout", 2000) in got


# --- hashicorp/raft, ory/x resilience, holster retry (orchestrator, hydra, gubernator) --------------

RAFT = '''package raft

import (
	"os"
	"time"

	"github.com/hashicorp/raft"
	"github.com/mailgun/holster/v4/retry"
	"github.com/ory/x/resilience"
)

const raftTimeout = 10 * time.Second

func open(bind string, r *raft.Raft, b []byte) error {
	transport, err := raft.NewTCPTransport(bind, nil, 3, 10*time.Second, os.Stderr)
	_ = transport
	f := r.Apply(b, raftTimeout)
	_ = r.Barrier(time.Until(deadline))
	return f.Error()
}

func ping(l Logger, p Pinger) error {
	return resilience.Retry(l, 5*time.Second, 5*time.Minute, p.Ping)
}

func join(ctx context.Context, m Members) error {
	return retry.Until(ctx, retry.Interval(300*time.Millisecond), func(ctx context.Context, i int) error {
		return m.Join()
	})
}
'''


def test_raft_timeouts_resilience_retry_and_holster_until():
    got = _found(RAFT)
    assert (15, "timeout", 10000) in got  # the TCP transport's RPC timeout
    assert (17, "timeout", 10000) in got  # Apply waits at most raftTimeout
    assert not [g for g in got if g[0] == 18]  # what is left of a deadline carried down
    assert (23, "retry", None) in got and (23, "timeout", 300000) in got  # until 5 min have passed
    assert (27, "retry", None) in got  # until it works or the context ends


NOT_RAFT = '''package store

import "time"

type Applier interface{ Apply(b []byte, d time.Duration) error }

func save(a Applier, b []byte) error {
	return a.Apply(b, 10*time.Second)
}

func until(ctx Context, r Retrier) error {
	return r.Until(ctx, nil, nil)
}
'''


def test_an_apply_or_until_of_a_file_without_those_libraries_is_not_theirs():
    assert not [g for g in _found(NOT_RAFT) if g[0] in (8, 12)]


# --- a local given its default in the `if unset` branch and the setting in the else ------------------

IF_ELSE = '''package webmetric

import (
	"net/http"
	"time"
)

func client(m Metric) *http.Client {
	var timeout time.Duration
	if m.Web.TimeoutSeconds <= 0 {
		timeout = time.Duration(10) * time.Second
	} else {
		timeout = time.Duration(m.Web.TimeoutSeconds) * time.Second
	}
	return &http.Client{Timeout: timeout}
}

func other(m Metric) *http.Client {
	var timeout time.Duration
	if m.Web.Fast {
		timeout = 2 * time.Second
	} else {
		timeout = 20 * time.Second
	}
	return &http.Client{Timeout: timeout}
}
'''


def test_the_unset_branch_gives_the_default_and_an_else_on_another_condition_reads_as_before():
    got = _found(IF_ELSE)
    assert (15, "timeout", 10000) in got
    assert (25, "timeout", 20000) in got  # a choice on another condition: the last value, as before round 19


# --- a `for {` loop that gives up once its deadline has passed (fabio's initBackend) ------------------

BODY_DEADLINE = '''package main

import (
	"log"
	"os"
	"time"
)

func initBackend(register func() error) {
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := register()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			log.Fatal("Timeout registering backend.")
		}
		time.Sleep(500 * time.Millisecond)
	}
}

func waitForFile() {
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := os.Stat("/tmp/ready"); err == nil {
			return
		}
		if time.Now().After(deadline) {
			return
		}
		time.Sleep(time.Second)
	}
}

func report(started time.Time) {
	for {
		if time.Now().After(started) {
			log.Println("late")
		}
		time.Sleep(time.Second)
	}
}
'''


def test_a_deadline_checked_inside_a_for_loop_bounds_its_remote_tries_at_the_check():
    got = [g for g in _found(BODY_DEADLINE) if g[1] == "timeout"]
    assert (16, "timeout", 10000) in got
    # a wait on a local file, and a check that does not leave the loop, are no timeout
    assert not [g for g in got if g[0] in (29, 38)]


SPIN_LOCK = '''package store

import "time"

func (s *Store) LockRoom(name string, duration time.Duration) (string, error) {
	startTime := time.Now()
	for {
		locked, err := s.rc.SetNX(s.ctx, name, "t", duration).Result()
		if err != nil {
			return "", err
		}
		if locked {
			return "t", nil
		}
		if time.Since(startTime) > duration {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	return "", errLocked
}
'''


def test_a_spin_wait_for_a_lock_that_gives_up_on_the_first_error_is_no_deadline_on_retries():
    assert not [g for g in _found(SPIN_LOCK) if g[1] == "timeout" and g[0] == 15]


# --- mailgun/holster setter.SetDefault in a defaults method (gubernator's Config.SetDefaults) --------

SETTER_CONFIG = '''package gubernator

import (
	"time"

	"github.com/mailgun/holster/v4/setter"
)

type BehaviorConfig struct {
	BatchTimeout time.Duration
	BatchLimit   int
}

type Config struct {
	Behaviors BehaviorConfig
}

func (c *Config) SetDefaults() error {
	setter.SetDefault(&c.Behaviors.BatchTimeout, time.Millisecond*500)
	setter.SetDefault(&c.Behaviors.BatchLimit, 1000)
	return nil
}
'''

SETTER_READER = '''package gubernator

import "context"

type PeerConfig struct {
	Behavior BehaviorConfig
}

type PeerClient struct {
	conf PeerConfig
}

func (c *PeerClient) send(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, c.conf.Behavior.BatchTimeout)
	defer cancel()
	return c.call(ctx)
}
'''


def test_a_holster_setter_default_values_the_field_of_its_nested_type(tmp_path):
    got = _scan(tmp_path, {"config.go": SETTER_CONFIG, "peer_client.go": SETTER_READER})
    assert ("peer_client.go", 14, "timeout", 500) in got
