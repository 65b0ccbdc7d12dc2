"""Round 20 (Go helper): shapes from the held-out sets cauldron, gh-ost and mev-boost."""

from __future__ import annotations

from pathlib import Path  # noqa: F401  (tmp_path fixtures are typed Path)

from tests.extractors.go.test_round18 import _scan  # noqa: F401  (shared helper)

# --- a field the same function set earlier, read where the client is configured (cauldron) ---------------

KAFKA_CONSUMER = '''package kafkaconsumer

import (
	"fmt"
	"time"

	"github.com/IBM/sarama"
)

const (
	DefaultDialTimeout = 30 * time.Second
	DefaultMaxRetries  = 10
	DefaultBackoff     = 2 * time.Second
)

type Consumer struct {
	DialTimeout    time.Duration
	SessionTimeout time.Duration
	MaxRetries     uint8
	Backoff        time.Duration
}

type Option func(*Consumer) error

func New(options ...Option) (*Consumer, error) {
	consumer := new(Consumer)
	consumer.DialTimeout = DefaultDialTimeout
	consumer.SessionTimeout = 30 * time.Second
	consumer.MaxRetries = DefaultMaxRetries
	consumer.Backoff = DefaultBackoff

	for _, option := range options {
		if err := option(consumer); err != nil {
			return nil, err
		}
	}

	config := sarama.NewConfig()
	config.Net.DialTimeout = consumer.DialTimeout
	config.Consumer.Group.Session.Timeout = consumer.SessionTimeout

	var err error
	backoff := consumer.Backoff
	for i := range consumer.MaxRetries {
		_, err = sarama.NewConsumer([]string{"kafka:9092"}, config)
		if err == nil {
			break
		}
		fmt.Println("retry", i)
		time.Sleep(backoff)
		backoff *= 2
	}
	return consumer, err
}
'''


def _own(got: list[tuple], path: str) -> list[tuple]:
    return [g[1:] for g in got if g[0] == path]


def test_a_field_set_earlier_in_the_function_values_the_client_setting_and_the_loop(tmp_path):
    got = _own(_scan(tmp_path, {"kafkaconsumer/consumer.go": KAFKA_CONSUMER}), "kafkaconsumer/consumer.go")
    assert (39, "timeout", 30000) in got  # config.Net.DialTimeout = consumer.DialTimeout
    assert (44, "retry", 10) in got  # for i := range consumer.MaxRetries
    # the consumer group's session timeout bounds its membership, not a call
    assert not [g for g in got if g[0] == 40]


def test_a_field_set_only_in_a_branch_or_in_an_option_closure_gives_no_value(tmp_path):
    branch = KAFKA_CONSUMER.replace("\tconsumer.DialTimeout = DefaultDialTimeout\n",
                                    "\tif len(options) == 0 {\n\t\tconsumer.DialTimeout = DefaultDialTimeout\n\t}\n")
    got = _own(_scan(tmp_path, {"kafkaconsumer/consumer.go": branch}), "kafkaconsumer/consumer.go")
    assert (41, "timeout", None) in got
    closure = KAFKA_CONSUMER.replace(
        "\tconsumer.MaxRetries = DefaultMaxRetries\n",
        "\tset := func(c *Consumer) { c.MaxRetries = DefaultMaxRetries }\n\tset(consumer)\n")
    got = _own(_scan(tmp_path / "b", {"kafkaconsumer/consumer.go": closure}), "kafkaconsumer/consumer.go")
    assert (45, "retry", None) in got  # `c.MaxRetries` in the closure is another value's field


def test_a_field_set_after_the_read_or_from_a_parameter_gives_no_value(tmp_path):
    late = KAFKA_CONSUMER.replace("\tconsumer.DialTimeout = DefaultDialTimeout\n", "").replace(
        "\treturn consumer, err\n", "\tconsumer.DialTimeout = DefaultDialTimeout\n\treturn consumer, err\n")
    got = _own(_scan(tmp_path, {"kafkaconsumer/consumer.go": late}), "kafkaconsumer/consumer.go")
    assert (38, "timeout", None) in got
    param = KAFKA_CONSUMER.replace("func New(options ...Option)", "func New(dial time.Duration, options ...Option)") \
        .replace("consumer.DialTimeout = DefaultDialTimeout", "consumer.DialTimeout = dial")
    got = _own(_scan(tmp_path / "b", {"kafkaconsumer/consumer.go": param}), "kafkaconsumer/consumer.go")
    assert (39, "timeout", None) in got  # the caller's value, not known here


# --- a one-word method of a value a project package made, handed a retry bound (cauldron) -----------------

STORAGE = '''package githubstorage

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

type GitHubStorage struct {
	Pool *pgxpool.Pool
}

func New(ctx context.Context, dsn string) (*GitHubStorage, error) {
	pool, err := pgxpool.New(ctx, dsn)
	return &GitHubStorage{Pool: pool}, err
}

func (s GitHubStorage) Ping(ctx context.Context, maxRetries uint8, backoff time.Duration) error {
	var pingErr error
	for i := range maxRetries {
		pingErr = s.Pool.Ping(ctx)
		if pingErr == nil {
			break
		}
		_ = i
		time.Sleep(backoff)
		backoff *= 2
	}
	return pingErr
}
'''

CONSUMER_MAIN = '''package main

import (
	"context"
	"time"

	"example.com/svc/githubstorage"
)

const DefaultDBPingMaxRetries = 10

func main() {
	ctx := context.Background()
	db, err := githubstorage.New(ctx, "postgres://db/app")
	if err != nil {
		panic(err)
	}
	if err = db.Ping(ctx, DefaultDBPingMaxRetries, 2*time.Second); err != nil {
		panic(err)
	}
	other := newThing()
	_ = other.Ping(ctx, 3, time.Second)
}

type thing struct{}

func newThing() thing { return thing{} }

func (thing) Ping(ctx context.Context, n int, d time.Duration) error { return nil }
'''


def test_a_one_word_method_of_a_value_a_project_package_made_takes_the_callers_bound(tmp_path):
    got = _scan(tmp_path, {"githubstorage/storage.go": STORAGE, "cmd/consumer/main.go": CONSUMER_MAIN})
    main = _own(got, "cmd/consumer/main.go")
    assert (18, "retry", 10) in main  # db.Ping(ctx, DefaultDBPingMaxRetries, d): GitHubStorage.Ping's loop bound
    # a Ping of a value this file made (no loop of its own) and the helper's own loop (a forwarder) are no contract
    assert not [g for g in main if g[0] == 22]
    assert not [g for g in _own(got, "githubstorage/storage.go") if g[1] == "retry"]


# --- a getter reading its field under a lock; a counted loop from `int64(0)` retrying one error class (gh-ost) ---

CONTEXT = '''package base

import "sync"

type MigrationContext struct {
	defaultNumRetries int64
	throttleMutex     *sync.Mutex
}

func NewMigrationContext() *MigrationContext {
	return &MigrationContext{defaultNumRetries: 60, throttleMutex: &sync.Mutex{}}
}

func (mctx *MigrationContext) MaxRetries() int64 {
	mctx.throttleMutex.Lock()
	defer mctx.throttleMutex.Unlock()
	retries := mctx.defaultNumRetries
	return retries
}
'''

MIGRATOR = '''package logic

import (
	"errors"
	"time"

	drivermysql "github.com/go-sql-driver/mysql"

	"example.com/svc/base"
)

var RetrySleepFn = time.Sleep

type Migrator struct {
	migrationContext *base.MigrationContext
}

func (m *Migrator) retryOperation(operation func() error) (err error) {
	maxRetries := int(m.migrationContext.MaxRetries())
	for i := 0; i < maxRetries; i++ {
		if i != 0 {
			RetrySleepFn(time.Second)
		}
		if err = operation(); err == nil {
			return nil
		}
	}
	return err
}

func retryOnLockWaitTimeout(operation func() error, maxRetries int64) error {
	var err error
	for i := int64(0); i < maxRetries; i++ {
		if i != 0 {
			RetrySleepFn(time.Duration(i) * 5 * time.Second)
		}
		err = operation()
		if err == nil {
			return nil
		}
		var mysqlErr *drivermysql.MySQLError
		if !errors.As(err, &mysqlErr) || mysqlErr.Number != 1205 {
			return err
		}
	}
	return err
}

func (m *Migrator) instantDDL(exec func() error) error {
	return retryOnLockWaitTimeout(func() error {
		return exec()
	}, m.migrationContext.MaxRetries())
}

func walk(names []string, open func(string) error) error {
	var err error
	for i := int64(0); i < int64(len(names)); i++ {
		if err = open(names[i]); err == nil {
			return nil
		}
		if !errors.Is(err, errors.ErrUnsupported) {
			return err
		}
	}
	return err
}
'''


def test_a_getter_under_a_lock_and_a_helper_retrying_one_error_class_take_the_constructed_default(tmp_path):
    got = _own(_scan(tmp_path, {"base/context.go": CONTEXT, "logic/migrator.go": MIGRATOR}), "logic/migrator.go")
    assert (20, "retry", 60) in got  # for i := 0; i < maxRetries (the getter's field, 60 in the constructor)
    assert (50, "retry", 60) in got  # retryOnLockWaitTimeout(..., MaxRetries()): its `int64(0)` loop bound
    # the helper's own loop forwards its parameter; a walk over a list is no retry
    assert not [g for g in got if g[0] in (33, 57)]


# --- a urfave/cli flag read through its variable's Name in another file of the package (mev-boost) -------

FLAGS = '''package cli

import "github.com/urfave/cli/v3"

var (
	timeoutGetHeaderFlag = &cli.IntFlag{
		Name:  "request-timeout-getheader",
		Usage: "timeout for getHeader requests to the relay [ms]",
		Value: 950,
	}
	relaysFlag = &cli.StringFlag{Name: "relays", Value: "https://relay.example"}
)
'''

RUN = '''package cli

import (
	"context"
	"net/http"
	"time"

	"github.com/urfave/cli/v3"
)

func run(_ context.Context, cmd *cli.Command) error {
	client := &http.Client{
		Timeout: time.Duration(cmd.Int(timeoutGetHeaderFlag.Name)) * time.Millisecond,
	}
	_, err := client.Get(cmd.String(relaysFlag.Name))
	return err
}
'''


def test_a_flag_read_through_its_variables_name_takes_the_flags_default(tmp_path):
    got = _own(_scan(tmp_path, {"cli/flags.go": FLAGS, "cli/run.go": RUN}), "cli/run.go")
    assert (13, "timeout", 950) in got


def test_a_name_field_of_another_value_is_no_flag(tmp_path):
    run = RUN.replace("cmd.Int(timeoutGetHeaderFlag.Name)", "cmd.Int(other.Name)").replace(
        "func run(_ context.Context, cmd *cli.Command) error {",
        "func run(_ context.Context, cmd *cli.Command, other *cli.IntFlag) error {")
    got = _own(_scan(tmp_path, {"cli/flags.go": FLAGS, "cli/run.go": run}), "cli/run.go")
    assert (13, "timeout", None) in got


# --- a `for {` loop counting the try before making it, bound by the helper's parameter (mev-boost) ---------

RELAY = '''package server

import (
	"context"
	"errors"
	"net/http"
	"time"
)

var errMaxRetriesExceeded = errors.New("max retries exceeded")

func SendHTTPRequestWithRetries(ctx context.Context, client http.Client, url string, maxRetries int) (int, error) {
	attempts := 0
	for {
		attempts++
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		if attempts > maxRetries {
			return 0, errMaxRetriesExceeded
		}
		resp, err := client.Get(url)
		if err != nil {
			time.Sleep(100 * time.Millisecond)
			continue
		}
		return resp.StatusCode, nil
	}
}
'''

SERVICE = '''package server

import (
	"context"
	"net/http"
)

const requestMaxRetries = 5

func getPayload(ctx context.Context, url string) error {
	_, err := SendHTTPRequestWithRetries(ctx, http.Client{}, url, requestMaxRetries)
	return err
}
'''


def test_a_counted_forever_loop_bound_by_a_parameter_is_valued_at_the_call(tmp_path):
    got = _scan(tmp_path, {"server/utils.go": RELAY, "server/service.go": SERVICE})
    assert ("server/service.go", 11, "retry", 5) in got  # 5 tries: each counted before it is made
    assert not [g for g in got if g[0] == "server/utils.go" and g[2] == "retry"]  # the helper forwards its bound


def test_a_counted_forever_loop_with_a_number_counts_by_where_it_gives_up(tmp_path):
    before = RELAY.replace("if attempts > maxRetries {", "if attempts > 3 {")
    got = _scan(tmp_path, {"server/utils.go": before})
    assert ("server/utils.go", 14, "retry", 3) in got  # counted, checked, then tried: 3 tries
    after = before.replace("\t\tif attempts > 3 {\n\t\t\treturn 0, errMaxRetriesExceeded\n\t\t}\n", "").replace(
        "\t\tif err != nil {\n\t\t\ttime.Sleep", "\t\tif err != nil && attempts > 3 {\n\t\t\treturn 0, err\n\t\t}\n"
        "\t\tif err != nil {\n\t\t\ttime.Sleep")
    got = _scan(tmp_path / "b", {"server/utils.go": after})
    assert ("server/utils.go", 14, "retry", 4) in got  # tried before the bound is looked at: 3 + 1


# --- a duration wrapper type of another package built with different values is no field's default (unpackerr) ---

UNPACKERR_START = '''package unpackerr

import (
	"time"

	"golift.io/cnfg"
)

const defaultTimeout = 10 * time.Second

type Config struct {
	Timeout   cnfg.Duration
	LogQueues cnfg.Duration
}

func New() *Config {
	return &Config{
		LogQueues: cnfg.Duration{Duration: time.Minute + time.Second},
		Timeout:   cnfg.Duration{Duration: defaultTimeout},
	}
}
'''

UNPACKERR_WEBHOOK = '''package unpackerr

import (
	"context"
	"net/http"
	"time"

	"golift.io/cnfg"
)

type WebhookConfig struct {
	URL     string
	Timeout cnfg.Duration
}

func (w *WebhookConfig) Send() error {
	ctx, cancel := context.WithTimeout(context.Background(), w.Timeout.Duration+time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, nil)
	_, err := http.DefaultClient.Do(req)
	return err
}
'''


def test_a_duration_wrapper_built_with_two_values_gives_no_default_to_another_setting(tmp_path):
    got = _scan(tmp_path, {"unpackerr/start.go": UNPACKERR_START, "unpackerr/webhook.go": UNPACKERR_WEBHOOK})
    # not LogQueues' 61 s + 1 s (the first cnfg.Duration built): the default of a `Timeout` setting, + 1 s
    assert ("unpackerr/webhook.go", 17, "timeout", 11000) in got
    other = UNPACKERR_START.replace("Timeout   cnfg.Duration", "Wait      cnfg.Duration").replace(
        "Timeout:   cnfg.Duration", "Wait:      cnfg.Duration")
    got = _scan(tmp_path / "b", {"unpackerr/start.go": other, "unpackerr/webhook.go": UNPACKERR_WEBHOOK})
    assert ("unpackerr/webhook.go", 17, "timeout", None) in got  # nothing says what the webhook's is


# --- a session timeout set in SQL built in a local first (gh-ost's MySQL lock waits, pop's RawQuery) -------

APPLIER = '''package logic

import (
	"database/sql"
	"fmt"
	"log"
)

const cutOverLockTimeoutSeconds = 3

type Applier struct {
	db *sql.DB
}

func (apl *Applier) lockTables(tx *sql.Tx) error {
	tableLockTimeoutSeconds := cutOverLockTimeoutSeconds * 2
	query := fmt.Sprintf(`set /* gh-ost */ session lock_wait_timeout:=%d`, tableLockTimeoutSeconds)
	if _, err := tx.Exec(query); err != nil {
		return err
	}
	log.Printf("lock_wait_timeout is %d", tableLockTimeoutSeconds)
	path := fmt.Sprintf("set search_path to %d", 1)
	_, err := tx.Exec(path)
	return err
}

func (apl *Applier) runHook(tx interface{ RawQuery(string, ...any) interface{ Exec() error } }, ms int) error {
	q1 := fmt.Sprintf("set local statement_timeout TO '%d';", 2000)
	return tx.RawQuery(q1).Exec()
}
'''


def test_a_session_timeout_built_in_a_local_is_a_timeout_where_its_value_is_written(tmp_path):
    got = _own(_scan(tmp_path, {"logic/applier.go": APPLIER}), "logic/applier.go")
    assert (17, "timeout", 6000) in got  # MySQL's lock_wait_timeout is in seconds: 2 x 3 s
    assert (28, "timeout", 2000) in got  # Postgres' statement_timeout in ms, sent through pop's RawQuery
    assert not [g for g in got if g[0] in (21, 22, 23)]  # a log line naming the setting, another SET


# --- a failover over a slice literal of the package; an oauth2 config parameter's token client -----------

LICENSE = '''package license

import (
	"bytes"
	"net/http"
)

var licenseServers = []string{
	"https://console.example.io/api/v1/check",
	"https://check.example.io/api/v1/check",
}

func check(body []byte) (*http.Response, error) {
	var lastErr error
	for _, server := range licenseServers {
		resp, err := http.Post(server, "application/json", bytes.NewReader(body))
		if err != nil {
			lastErr = err
			continue
		}
		return resp, nil
	}
	return nil, lastErr
}

func checkAll(body []byte, servers []string) (*http.Response, error) {
	var lastErr error
	for _, server := range servers {
		resp, err := http.Post(server, "application/json", bytes.NewReader(body))
		if err != nil {
			lastErr = err
			continue
		}
		return resp, nil
	}
	return nil, lastErr
}
'''


def test_a_failover_over_a_slice_literal_tries_each_of_its_items(tmp_path):
    got = _own(_scan(tmp_path, {"license/check.go": LICENSE}), "license/check.go")
    assert (15, "retry", 2) in got  # two servers written in the package
    assert (28, "retry", None) in got  # a list handed in: its length is unknown here


PROVIDER = '''package provider

import (
	"context"
	"time"

	"golang.org/x/oauth2"
)

var defaultTimeout = 10 * time.Second

func makeRequest(ctx context.Context, tok *oauth2.Token, g *oauth2.Config, url string) error {
	client := g.Client(ctx, tok)
	client.Timeout = defaultTimeout
	res, err := client.Get(url)
	if err != nil {
		return err
	}
	return res.Body.Close()
}

type Store struct{}

func (s *Store) Client(ctx context.Context, name string) *Store { return s }

func other(ctx context.Context, cfg *Store) {
	c := cfg.Client(ctx, "x")
	_ = c
}
'''


def test_the_token_client_of_an_oauth2_config_parameter_takes_its_timeout(tmp_path):
    got = _own(_scan(tmp_path, {"provider/provider.go": PROVIDER}), "provider/provider.go")
    assert (14, "timeout", 10000) in got
    assert [g for g in got if g[1] == "timeout"] == [(14, "timeout", 10000)]


# --- a duration's nanoseconds made milliseconds (`int(d / 1000000)`), set as a Postgres statement_timeout ---

PGFUNC = '''package hookspgfunc

import (
	"fmt"
	"time"
)

const defaultTimeout = time.Second * 2

const pageSize = 5000000

type Dispatcher struct {
	hookTimeoutMS int
}

func (o *Dispatcher) set(tx interface{ Exec(string) error }) error {
	ms := int(defaultTimeout / 1000000)
	q1 := fmt.Sprintf("set local statement_timeout TO '%d';", ms)
	if err := tx.Exec(q1); err != nil {
		return err
	}
	n := pageSize / 1000000
	q2 := fmt.Sprintf("set local statement_timeout TO '%d';", n)
	return tx.Exec(q2)
}
'''


def test_a_duration_divided_into_milliseconds_keeps_its_value(tmp_path):
    got = _own(_scan(tmp_path, {"hookspgfunc/hookspgfunc.go": PGFUNC}), "hookspgfunc/hookspgfunc.go")
    assert (18, "timeout", 2000) in got  # 2 s in ns / 1e6 = 2000 ms
    assert (23, "timeout", 5) in got  # a plain number divided stays a plain division


# --- a context handed at exit to a helper that waits for exporters to stop is a drain budget ---------------

EXIT = '''package main

import (
	"context"
	"net/http"
	"time"

	"example.com/svc/observability"
)

func main() {
	shutdownCtx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	observability.WaitForCleanup(shutdownCtx)

	readyCtx, cancelReady := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancelReady()
	req, _ := http.NewRequestWithContext(readyCtx, http.MethodGet, "http://payments:8080/ready", nil)
	_, _ = http.DefaultClient.Do(req)
}
'''

OBSERVABILITY = '''package observability

import "context"

func WaitForCleanup(ctx context.Context) { <-ctx.Done() }
'''


def test_a_context_handed_to_a_wait_for_cleanup_at_exit_is_no_call_timeout(tmp_path):
    got = _own(_scan(tmp_path, {"cmd/main.go": EXIT, "observability/o.go": OBSERVABILITY}), "cmd/main.go")
    assert [g for g in got if g[1] == "timeout"] == [(16, "timeout", 5000)]
