"""Round 21 (Go helper): library options and DSN timeouts from the held-out sets sftpgo, rekor,
cloudnative-pg, clair, argo-events, netbird and goalert, each with its traps: DSN timeouts written as
literals in a Sprintf format or in a struct tag's default (polyglot17's open request), go-grpc-middleware's
timeout interceptor, Pub/Sub's publish settings, go-containerregistry's retrying transport, NATS Streaming's
AckWait, a JetStream pull's long poll (no contract), a failover over broker URIs, an RPC of a client named
Stop* (a call, not a drain), and a read made again once the missing row was created (no retry)."""

from __future__ import annotations

from extractors.go.extractor import EXTRACTOR


def _found(source: str, path: str = "svc/pkg/client/x.go") -> list[tuple]:
    result = EXTRACTOR.extract(path, source.encode("utf-8"))
    return sorted((f.line, f.kind, f.attributes.get("timeout_ms", f.attributes.get("max_attempts")),
                   f.attributes.get("phase"))
                  for f in result.findings if f.kind in ("timeout", "retry") and f.detector != "go.wrapper_call")


# --- DSN timeouts written as literals in a Sprintf format (sftpgo) ---------------------------------------

DSN_FORMAT = '''package dataprovider

import "fmt"

func getMySQLConnectionString(user, pwd, host string, port int, name, tls string) string {
	return fmt.Sprintf("%s:%s@tcp([%s]:%d)/%s?parseTime=true&timeout=10s&tls=%s&writeTimeout=60s&readTimeout=60s",
		user, pwd, host, port, name, tls)
}

func getPGSQLConnectionString(host, port, name, user, pwd, mode string) string {
	return fmt.Sprintf("host='%s' port='%s' dbname='%s' user='%s' password='%s' sslmode=%s connect_timeout=10",
		host, port, name, user, pwd, mode)
}

func apiURL(base string) string {
	return fmt.Sprintf("%s/search?timeout=10s&q=%s", base, "x")
}

func redactedDSN(host string) string {
	return fmt.Sprintf("postgres://%s/db?connect_timeout=10", host)
}
'''


def test_literal_timeouts_in_a_dsn_format_are_read_at_the_sprintf_with_their_phases():
    got = _found(DSN_FORMAT)
    assert (6, "timeout", 10000, "connect") in got
    assert (6, "timeout", 60000, "read") in got
    assert (6, "timeout", 60000, "write") in got
    assert (11, "timeout", 10000, "connect") in got
    # an HTTP API's query parameter is no DSN, and a DSN made for the logs is not opened
    assert not [g for g in got if g[0] in (16, 20)]


# --- a DSN default in a config struct's tag (polyglot17's open request) ----------------------------------

DSN_TAG = '''package config

import "time"

type Config struct {
	ReplicaDSN   string        `envconfig:"ORDERS_REPLICA_DSN" default:"postgres://orders@replica/orders?sslmode=disable&connect_timeout=3"`
	SearchURL    string        `envconfig:"SEARCH_URL" default:"http://search:9200/?timeout=5s"`
	PaymentRetry time.Duration `envconfig:"PAYMENT_TIMEOUT" default:"3s"`
}
'''


def test_a_dsn_default_in_a_struct_tag_is_a_connect_timeout_at_the_field():
    got = _found(DSN_TAG, "svc/internal/config/config.go")
    assert (6, "timeout", 3000, "connect") in got
    assert not [g for g in got if g[0] == 7]  # an HTTP URL's query parameter is no DSN


# --- library options -----------------------------------------------------------------------------------

LIBRARIES = '''package plugin

import (
	"context"
	"time"

	"cloud.google.com/go/pubsub"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
	"github.com/grpc-ecosystem/go-grpc-middleware/v2/interceptors/timeout"
	"github.com/nats-io/nats.go"
	"google.golang.org/grpc"
)

const defaultNetworkCallTimeout = 30 * time.Second

func dial(addr string) (*grpc.ClientConn, error) {
	return grpc.NewClient(addr,
		grpc.WithUnaryInterceptor(timeout.UnaryClientInterceptor(defaultNetworkCallTimeout)))
}

func publish(ctx context.Context, res *pubsub.PublishResult) error {
	cctx, cancel := context.WithTimeout(ctx, pubsub.DefaultPublishSettings.Timeout)
	defer cancel()
	_, err := res.Get(cctx)
	return err
}

func registry(rt http.RoundTripper) http.RoundTripper {
	return transport.NewRetry(rt)
}

func pull(sub *nats.Subscription, js nats.JetStreamContext) {
	for {
		msgs, err := sub.Fetch(1, nats.MaxWait(time.Second))
		_ = msgs
		_ = err
	}
	js2, _ := nc.JetStream(nats.MaxWait(5 * time.Second))
	_ = js2
}
'''


def test_library_options_of_round_21():
    got = _found(LIBRARIES, "svc/internal/plugin/x.go")
    assert (18, "timeout", 30000, "total") in got  # timeout.UnaryClientInterceptor(d)
    assert (22, "timeout", 60000, "deadline") in got  # pubsub.DefaultPublishSettings.Timeout
    assert (29, "retry", 3.0, None) in got  # transport.NewRetry: 3 steps
    # a pull subscription's Fetch wait is its long poll; the JetStream context's MaxWait is a bound
    assert not [g for g in got if g[0] == 34]
    assert (38, "timeout", 5000, "total") in got

STAN_SUBSCRIBE = '''package worker

import (
	"time"

	stan "github.com/nats-io/stan.go"
)

func subscribe(sc stan.Conn, h stan.MsgHandler) error {
	_, err := sc.QueueSubscribe("jobs", "workers", h,
		stan.DurableName("jobs"),
		stan.AckWait(30*time.Second),
		stan.MaxInflight(5),
	)
	return err
}
'''


def test_a_nats_streaming_subscription_ack_wait_is_a_timeout_and_its_other_options_are_not():
    got = _found(STAN_SUBSCRIBE, "svc/worker/worker.go")
    assert got == [(12, "timeout", 30000, "total")]


# --- a failover over broker URIs (clair) and an RPC named Stop* (netbird) ---------------------------------

FAILOVER_URIS = '''package amqp

import (
	"context"
	"fmt"
	"net/url"

	amqp "github.com/rabbitmq/amqp091-go"
)

type failOver struct{ uris []*url.URL }

func (f *failOver) Connection(ctx context.Context) (*amqp.Connection, error) {
	for _, uri := range f.uris {
		conn, err := amqp.Dial(uri.String())
		if err != nil {
			continue
		}
		return conn, nil
	}
	return nil, fmt.Errorf("all failover URIs failed to connect")
}

func (f *failOver) check(ctx context.Context, securityGroups []string) error {
	for _, group := range securityGroups {
		if err := f.describe(ctx, group); err != nil {
			continue
		}
		return nil
	}
	return nil
}
'''


def test_a_walk_over_broker_uris_is_a_failover_and_one_over_security_groups_is_not():
    got = _found(FAILOVER_URIS, "svc/notifier/amqp/failover.go")
    assert (14, "retry", None, None) in got
    assert not [g for g in got if g[0] == 24]


STOP_RPC = '''package client

import (
	"context"
	"net/http"
	"time"
)

func (c *GrpcClient) StopExpose(ctx context.Context, domain string) error {
	mgmCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	_, err := c.realClient.StopExpose(mgmCtx, &Request{Domain: domain})
	return err
}

func shutdown(srv *http.Server) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(ctx)
}

func stopWorkers(w *Workers) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	w.stopAll(ctx)
}
'''


def test_an_rpc_of_a_client_named_stop_is_a_call_and_stopping_own_work_is_not():
    got = _found(STOP_RPC, "svc/client/grpc.go")
    assert (10, "timeout", 10000, "deadline") in got
    assert not [g for g in got if g[0] in (17, 23)]


# --- a read made again once the missing row was created is a get-or-create (goalert) ---------------------

GET_OR_CREATE = '''package app

import (
	"context"
	"database/sql"
	"errors"
)

func (app *App) regionIndex(ctx context.Context) (int, error) {
	var idx int
	err := app.db.QueryRowContext(ctx, `SELECT id FROM region_ids WHERE name = $1`, app.cfg.RegionName).Scan(&idx)
	if errors.Is(err, sql.ErrNoRows) {
		_, err = app.db.ExecContext(ctx, `INSERT INTO region_ids (name) VALUES ($1) ON CONFLICT DO NOTHING`, app.cfg.RegionName)
		if err != nil {
			return 0, err
		}
		err = app.db.QueryRowContext(ctx, `SELECT id FROM region_ids WHERE name = $1`, app.cfg.RegionName).Scan(&idx)
	}
	return idx, err
}

func (app *App) send(ctx context.Context, m Msg) error {
	err := app.client.Send(ctx, m)
	if err != nil {
		err = app.client.Send(ctx, m)
	}
	return err
}
'''


def test_a_read_again_after_creating_the_missing_row_is_no_retry_and_a_plain_resend_is():
    got = _found(GET_OR_CREATE, "svc/app/initengine.go")
    assert not [g for g in got if g[1] == "retry" and g[0] < 20]
    assert (25, "retry", 2, None) in got  # the same send made again in its failure branch



# --- a recursion on an iterator's next candidate walks alternatives (rekor's tryUpload) -------------------

NEXT_CANDIDATE = '''package app

import "context"

func tryUpload(ctx context.Context, c *Client, entry Entry) (*Created, error) {
	resp, err := c.Entries.CreateLogEntryContext(ctx, entry)
	if err != nil {
		if pei, ok := entry.(Iterator); ok && pei.HasNext() {
			return tryUpload(ctx, c, pei.GetNext())
		}
		return nil, err
	}
	return resp, nil
}

func putRecords(ctx context.Context, c *Client, data []Record) error {
	resp, err := c.Put(ctx, data)
	if err != nil {
		return err
	}
	if resp.FailedPutCount > 0 {
		return putRecords(ctx, c, resp.Failed)
	}
	return nil
}
'''


def test_a_recursion_on_the_next_candidate_is_no_retry_and_a_resend_of_what_failed_is():
    got = _found(NEXT_CANDIDATE, "svc/cmd/app/upload.go")
    assert not [g for g in got if g[0] == 9]
    assert (22, "retry", None, None) in got


# --- a Timeout set on a receiver that embeds http.Client (cloudnative-pg's instance client) ---------------

EMBEDDED_CLIENT = '''package remote

import (
	"context"
	"net/http"
	"time"
)

const (
	defaultRequestTimeout = 30 * time.Second
	noRequestTimeout      = 0
)

type instanceClientImpl struct {
	*http.Client
}

type statusCache struct {
	Timeout time.Duration
}

func (r *instanceClientImpl) status(ctx context.Context, req *http.Request) error {
	r.Timeout = defaultRequestTimeout
	_, err := r.Do(req)
	return err
}

func (r *instanceClientImpl) upgrade(ctx context.Context, req *http.Request) error {
	r.Timeout = noRequestTimeout
	_, err := r.Do(req)
	return err
}

func (c *statusCache) reset() {
	c.Timeout = 5 * time.Second
}
'''


def test_a_timeout_set_on_a_receiver_embedding_http_client_is_the_clients():
    got = _found(EMBEDDED_CLIENT, "svc/client/remote/instance.go")
    assert (23, "timeout", 30000, "total") in got
    assert not [g for g in got if g[0] in (29, 35)]  # switched off (0); a cache's field of another type


# --- a middleware's deadline handed only to the next handler is the inbound request's budget (goalert) -----

TIMEOUT_MIDDLEWARE = '''package app

import (
	"context"
	"net/http"
	"time"
)

func timeout(timeout time.Duration) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			ctx, cancel := context.WithTimeout(req.Context(), timeout)
			defer cancel()
			next.ServeHTTP(w, req.WithContext(ctx))
		})
	}
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	ctx, cancel := context.WithTimeout(req.Context(), 3*time.Second)
	defer cancel()
	resp, err := h.client.Do(req.WithContext(ctx))
	_ = resp
	_ = err
}
'''


def test_a_middleware_deadline_for_the_next_handler_is_inbound_and_one_for_a_call_is_not():
    got = _found(TIMEOUT_MIDDLEWARE, "svc/app/middleware.go")
    assert not [g for g in got if g[0] == 12]
    assert (20, "timeout", 3000, "deadline") in got
