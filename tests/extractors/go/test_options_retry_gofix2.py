"""Round 19, second-wave fixes (gofix2): a retry count handed in an options struct (file.d's
`pipeline.BackoffOpts{AttemptNum: cfg.Retry}`) or to a cenkalti policy builder (`GetBackoff(.., retry)`)
is the contract of the line that hands it (rule c); the project loop reading it, and `backoff.Retry`
of a policy handed in as a parameter, are forwarders."""

from __future__ import annotations

from pathlib import Path  # noqa: F401  (tmp_path fixtures are typed Path)

from tests.extractors.go.test_round18 import _scan

PIPELINE = '''package pipeline

import (
	"time"

	"github.com/cenkalti/backoff/v4"
)

type BackoffOpts struct {
	MinRetention time.Duration
	AttemptNum   int
}

type RetriableBatcher struct {
	outFn       func() error
	backoffOpts BackoffOpts
}

func NewRetriableBatcher(outFn func() error, opts BackoffOpts) *RetriableBatcher {
	return &RetriableBatcher{outFn: outFn, backoffOpts: opts}
}

func (b *RetriableBatcher) Out() {
	exp := backoff.ExponentialBackOff{InitialInterval: b.backoffOpts.MinRetention}
	exp.Reset()
	numTries := 0
	for {
		err := b.outFn()
		if err == nil {
			return
		}
		next := exp.NextBackOff()
		if next == backoff.Stop || numTries > b.backoffOpts.AttemptNum {
			return
		}
		numTries++
		time.Sleep(next)
	}
}

func GetBackoff(minRetention time.Duration, attemptNum uint64) backoff.BackOff {
	exp := backoff.NewExponentialBackOff()
	exp.InitialInterval = minRetention
	return backoff.WithMaxRetries(exp, attemptNum)
}
'''

OUTPUT = '''package http

import (
	"time"

	"github.com/cenkalti/backoff/v4"
	"example.com/svc/pipeline"
)

type Config struct {
	Retry int `json:"retry" default:"10"`
}

type Plugin struct {
	config *Config
}

func (p *Plugin) Start() {
	opts := pipeline.BackoffOpts{
		MinRetention: time.Second,
		AttemptNum:   p.config.Retry,
	}
	_ = pipeline.NewRetriableBatcher(p.send, opts)
	go p.upload(pipeline.GetBackoff(
		time.Second,
		uint64(p.config.Retry),
	))
}

func (p *Plugin) send() error { return nil }

func (p *Plugin) upload(workerBackoff backoff.BackOff) {
	_ = backoff.Retry(func() error {
		return p.send()
	}, workerBackoff)
}

func (p *Plugin) own() {
	retries := 3
	_ = backoff.Retry(func() error { return p.send() }, backoff.WithMaxRetries(backoff.NewExponentialBackOff(), uint64(retries)))
}
'''


def test_a_retry_count_handed_in_an_options_struct_is_reported_where_it_is_handed(tmp_path):
    got = _scan(tmp_path, {"pipeline/backoff.go": PIPELINE, "plugin/http/http.go": OUTPUT})
    # rule (c): the line handing the count, Retry (default 10) + 2 tries (numTries > AttemptNum)
    assert ("plugin/http/http.go", 21, "retry", 12) in got
    # the loop reading the options' field forwards it: not reported
    assert not [g for g in got if g[0] == "pipeline/backoff.go" and g[2] == "retry"]
    # the policy builder's call: WithMaxRetries(retry) = retry + 1 tries
    assert ("plugin/http/http.go", 24, "retry", 11) in got
    # backoff.Retry of a policy handed in as a parameter: the builder's call holds the count
    assert not [g for g in got if g[0] == "plugin/http/http.go" and g[1] == 33]
    # backoff.Retry with its own policy stays
    assert ("plugin/http/http.go", 40, "retry", 4) in got


LOOP_WITH_DEFAULT = '''package worker

import "time"

type Opts struct {
	MaxAttempts int
}

type Worker struct {
	opts Opts
	call func() error
}

func New(call func() error) *Worker {
	return &Worker{call: call, opts: Opts{MaxAttempts: 5}}
}

func (w *Worker) Run() {
	for attempt := 0; attempt < w.opts.MaxAttempts; attempt++ {
		if err := w.call(); err == nil {
			return
		}
		time.Sleep(time.Second)
	}
}
'''


def test_a_loop_whose_options_field_gets_a_default_in_its_own_file_stays(tmp_path):
    got = _scan(tmp_path, {"worker/worker.go": LOOP_WITH_DEFAULT})
    assert [g for g in got if g[:3] == ("worker/worker.go", 19, "retry")]


STREAMS = '''package sync

import (
	"context"
	"time"

	"connectrpc.com/connect"
	"github.com/fsnotify/fsnotify"
	syncv1grpc "example.com/gen/sync/v1/grpc"
)

type handler struct {
	deadline time.Duration
	watcher  *fsnotify.Watcher
	client   Client
}

func (s handler) SyncFlags(req *Request, server syncv1grpc.FlagSyncService_SyncFlagsServer) error {
	ctx := server.Context()
	if s.deadline != 0 {
		deadlineCtx, cancel := context.WithDeadline(ctx, time.Now().Add(s.deadline))
		ctx = deadlineCtx
		defer cancel()
	}
	<-ctx.Done()
	return nil
}

func (s handler) EventStream(ctx context.Context, req *connect.Request[Req], stream *connect.ServerStream[Resp]) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	<-ctx.Done()
	return nil
}

func (s handler) Fetch(ctx context.Context, req *Request) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	return s.client.Get(ctx, req)
}

func (s handler) reAdd(ctx context.Context, uri string) error {
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		if err = s.watcher.Add(uri); err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Second):
		}
	}
	return err
}

func (s handler) fetchAgain(ctx context.Context, req *Request) error {
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		if err = s.client.Get(ctx, req); err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Second):
		}
	}
	return err
}
'''


def test_a_server_streams_own_deadline_and_a_file_watch_re_add_are_no_contracts(tmp_path):
    got = _scan(tmp_path, {"sync/handler.go": STREAMS})
    # the lifetime a streaming handler gives its own inbound stream (grpc and connect)
    assert not [g for g in got if g[1] in (21, 30)]
    # a unary handler's bound on the call it makes stays
    assert ("sync/handler.go", 37, "timeout", 5000) in got
    # re-adding an inotify watch is local work; the same loop around a remote call is a retry
    assert not [g for g in got if g[1] == 44 and g[2] == "retry"]
    assert ("sync/handler.go", 59, "retry", 5) in got


TIMER = '''package core

import (
	"context"
	"time"
)

type Bridge struct {
	reconnectTimer *timer
	reconnect      map[string]Connector
	stan           Conn
}

func (server *Bridge) ensureReconnectTimer() {
	if server.reconnectTimer != nil {
		return
	}
	t := newReconnectTimer()
	server.reconnectTimer = t
	go func() {
		if !<-t.After(5 * time.Second) {
			return
		}
		if !server.CheckNATS() {
			server.reconnectTimer = nil
			server.ensureReconnectTimer()
			return
		}
		if err := server.connectToSTAN(); err != nil {
			server.reconnectTimer = nil
			server.ensureReconnectTimer()
			return
		}
		for id, c := range server.reconnect {
			if err := c.Start(); err != nil {
				continue
			}
			delete(server.reconnect, id)
		}
		server.reconnectTimer = nil
		if len(server.reconnect) > 0 {
			server.ensureReconnectTimer()
		}
	}()
}

func (server *Bridge) scan(ctx context.Context, c Client) error {
	timer := time.NewTimer(time.Minute)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-timer.C:
			return nil
		default:
		}
		page, hasMore, err := scanForOldest(func() (Page, error) {
			return c.List(ctx)
		})
		if err != nil {
			return err
		}
		server.handle(page)
		if hasMore {
			continue
		}
		return nil
	}
}

func (server *Bridge) Init() {
	go func() {
		defer func() {
			if err := recover(); err != nil {
				time.Sleep(10 * time.Second)
				server.Init()
			}
		}()
		server.run()
	}()
}
'''


def test_a_timer_re_armed_after_failed_work_is_a_retry_and_a_page_loop_is_not(tmp_path):
    got = [g for g in _scan(tmp_path, {"core/server.go": TIMER}) if g[2] == "retry"]
    assert ("core/server.go", 31, "retry", None) in got  # the failed connect: re-armed
    assert ("core/server.go", 42, "retry", None) in got  # what failed is still left
    assert not [g for g in got if g[1] == 26]  # waiting for another component to reconnect: a poll
    assert not [g for g in got if 47 <= g[1] <= 70]  # the next page, never after a failure
    assert not [g for g in got if g[1] > 70]  # a restart after a panic (a deferred recover) is no retry


PAGES = '''package client

import (
	"context"
	"fmt"
	"time"
)

func (c *client) GetPayments(ctx context.Context, timeline Timeline, pageSize int64) (results []*Tx, _ Timeline, hasMore bool, err error) {
	timer := time.NewTimer(9 * time.Minute)
	defer timer.Stop()

	for {
		select {
		case <-ctx.Done():
			return results, timeline, false, fmt.Errorf("context closed")
		case <-timer.C:
			return results, timeline, true, nil
		default:
		}

		if timeline.IsCaughtUp() {
			break
		}

		var oldest interface{}
		oldest, timeline, hasMore, err = scanForOldest(timeline, pageSize, func(params ListParams) (ListContainer, error) {
			itr := c.txClient.List(params)
			return itr.List(), itr.Err()
		})
		if err != nil {
			return results, timeline, false, err
		}
		if hasMore {
			continue
		}
		if oldest == nil {
			return results, timeline, false, err
		}
		results = append(results, oldest.(*Tx))
	}
	return results, timeline, hasMore, nil
}
'''


def test_a_loop_going_round_again_only_for_the_next_page_is_no_retry():
    from extractors.go.extractor import EXTRACTOR
    result = EXTRACTOR.extract("svc/client/payments.go", PAGES.encode())
    assert not [f for f in result.findings if f.kind == "retry" and f.detector == "go.retry"]
    # the same loop going round again after a failed call is one
    failing = PAGES.replace("if err != nil {\n\t\t\treturn results, timeline, false, err\n\t\t}",
                            "if err != nil {\n\t\t\ttime.Sleep(time.Second)\n\t\t\tcontinue\n\t\t}")
    assert failing != PAGES
    result = EXTRACTOR.extract("svc/client/payments.go", failing.encode())
    assert [f for f in result.findings if f.kind == "retry" and f.line == 13]


PENDING = '''package clickhouse

import "time"

func (p *Plugin) checkPendingHosts() {
	ticker := time.NewTicker(p.interval)
	defer ticker.Stop()
	for {
		select {
		case <-p.ctx.Done():
			return
		case <-ticker.C:
			for addr := range p.pendingHosts {
				pool, err := p.createConnection(addr)
				if err != nil {
					p.logger.Error("failed to reconnect")
					continue
				}
				p.pools[addr] = pool
				delete(p.pendingHosts, addr)
			}
		}
	}
}

func (p *Plugin) checkBannedHosts() {
	ticker := time.NewTicker(p.interval)
	defer ticker.Stop()
	for {
		select {
		case <-p.ctx.Done():
			return
		case <-ticker.C:
			for addr, until := range p.bannedHosts {
				if time.Now().Before(until) {
					continue
				}
				delete(p.bannedHosts, addr)
			}
		}
	}
}
'''


def test_a_tick_retrying_what_failed_before_is_an_unbounded_retry_and_a_ban_expiry_is_not():
    from extractors.go.extractor import EXTRACTOR
    result = EXTRACTOR.extract("svc/clickhouse/x.go", PENDING.encode())
    retries = [(f.line, f.attributes.get("max_attempts")) for f in result.findings if f.kind == "retry"]
    assert (8, None) in retries
    assert not [r for r in retries if r[0] > 24]
