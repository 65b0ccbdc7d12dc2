"""Round 10, second wave (held-out sets achgateway, archer, model-backend): settings read through another
package's settings variable, loop and getter shapes, and what is no contract."""

from __future__ import annotations

from contract_discovery.resolve import Resolver, ServiceIndex, resolve_finding
from extractors.go.extractor import EXTRACTOR
from extractors.goconfig.extractor import EXTRACTOR as GOCONFIG


def _resolved(results, index: int, kind: str):
    found = [f for f in results[index].findings if f.kind == kind]
    return [resolve_finding(f, results[index], Resolver(results), ServiceIndex([])) for f in found]


FLAGS = b'''package config

import "time"

var (
	Version = "dev"
	Global  Archer
)

type Archer struct {
	Agent Agent `group:"agent"`
}

type Agent struct {
	MaxRetries  uint64        `long:"max-retries" description:"retries" default:"3"`
	MaxDuration time.Duration `long:"max-duration" default:"1.5m"`
	Devices     []string      `long:"device"`
}
'''

BIGIP = b'''package bigip

import (
	"context"
	"time"

	"github.com/acme/archer/internal/config"
	"github.com/sethvargo/go-retry"
)

func post(call func() error) error {
	r := retry.WithMaxDuration(config.Global.Agent.MaxDuration,
		retry.WithMaxRetries(config.Global.Agent.MaxRetries,
			retry.NewExponential(5*time.Second)))
	return retry.Do(context.Background(), r, func(ctx context.Context) error {
		return retry.RetryableError(call())
	})
}
'''


def test_a_field_of_another_packages_settings_variable_gets_its_tag_default():
    """`retry.WithMaxRetries(config.Global.Agent.MaxRetries, b)` with `var Global Archer` and go-flags'
    `default:"3"` on Agent.MaxRetries in package config (archer's F5 agent): 4 tries."""
    results = [EXTRACTOR.extract("internal/config/config.go", FLAGS),
               EXTRACTOR.extract("internal/agent/f5/bigip/bigip.go", BIGIP)]
    assert results[0].symbols.get("$field:config.Global/Agent/MaxRetries") is not None
    [retry] = _resolved(results, 1, "retry")
    assert retry.line == 15
    assert retry.attributes["max_attempts"] == 4


KOANF = b'''package config

type ServerConfig struct {
	PublicPort int `koanf:"publicport"`
	Workflow   struct {
		MaxWorkflowTimeout int32 `koanf:"maxworkflowtimeout"`
		MaxActivityRetry   int32 `koanf:"maxactivityretry"`
		MaxWorkflowRetry   int32 `koanf:"maxworkflowretry"`
	}
}

type AppConfig struct {
	Server ServerConfig `koanf:"server"`
}

var Config AppConfig
'''

YAML = b'''server:
  publicport: 8083
  workflow:
    maxworkflowtimeout: 3600 # in seconds
    maxactivityretry: 3
'''

WORKFLOW = b'''package worker

import (
	"time"

	"github.com/acme/model-backend/config"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

func (w *worker) TriggerWorkflow(ctx workflow.Context) error {
	ao := workflow.ActivityOptions{
		StartToCloseTimeout: time.Duration(config.Config.Server.Workflow.MaxWorkflowTimeout) * time.Second,
		RetryPolicy: &temporal.RetryPolicy{
			MaximumAttempts: config.Config.Server.Workflow.MaxActivityRetry,
		},
	}
	ctx = workflow.WithActivityOptions(ctx, ao)
	return workflow.ExecuteActivity(ctx, w.Activity).Get(ctx, nil)
}

func (w *worker) Other(ctx workflow.Context) error {
	ao := workflow.ActivityOptions{
		StartToCloseTimeout: time.Minute,
		RetryPolicy: &temporal.RetryPolicy{
			MaximumAttempts: config.Config.Server.Workflow.MaxWorkflowRetry,
		},
	}
	ctx = workflow.WithActivityOptions(ctx, ao)
	return workflow.ExecuteActivity(ctx, w.Activity).Get(ctx, nil)
}
'''


def test_temporal_options_read_from_the_config_file_through_the_settings_variable():
    """`time.Duration(config.Config.Server.Workflow.MaxWorkflowTimeout) * time.Second` with koanf tags and
    config/config.yaml (model-backend's trigger workflow): 3600 s and 3 tries; a key the file leaves
    out stays unknown."""
    results = [EXTRACTOR.extract("config/config.go", KOANF), GOCONFIG.extract("config/config.yaml", YAML),
               EXTRACTOR.extract("pkg/worker/workflow.go", WORKFLOW)]
    timeouts = {f.line: f.attributes["timeout_ms"] for f in _resolved(results, 2, "timeout")}
    retries = {f.line: f.attributes["max_attempts"] for f in _resolved(results, 2, "retry")}
    assert timeouts[13] == 3600000
    assert retries[15] == 3
    assert retries[26] is None  # maxworkflowretry is not in the file


def test_an_error_handed_to_a_timeout_predicate_is_no_setting(extract):
    """`if pgconn.Timeout(err) { continue }` asks whether an error was a timeout (archer's LISTEN loop);
    an option call handed a duration still is one."""
    result = extract('''package agent
import (
	"time"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/acme/lib/client"
)
func wait(err error) bool {
	if pgconn.Timeout(err) {
		return true
	}
	return false
}
func dial() *client.Client {
	return client.New(client.WithTimeout(5 * time.Second))
}
''')
    timeouts = [(f.line, f.attributes["timeout_ms"]) for f in result.findings if f.kind == "timeout"]
    assert timeouts == [(14, 5000)]


def test_kafka_wait_for_join_and_bigip_api_call_retries(extract):
    """gocloud kafkapubsub's SubscriptionOptions.WaitForJoin bounds joining the consumer group;
    go-bigip's ConfigOptions.APICallRetries is its APICall loop's number of tries."""
    result = extract('''package kafka
import (
	"time"
	"github.com/f5devcentral/go-bigip"
	"gocloud.dev/pubsub/kafkapubsub"
)
func open(brokers []string) {
	kafkapubsub.OpenSubscription(brokers, nil, "g", nil, &kafkapubsub.SubscriptionOptions{
		WaitForJoin: 10 * time.Second,
	})
	bigip.NewSession(&bigip.Config{ConfigOptions: &bigip.ConfigOptions{
		APICallTimeout: 60 * time.Second,
		APICallRetries: 3,
	}})
}
''')
    found = {(f.line, f.kind): f.attributes.get("timeout_ms", f.attributes.get("max_attempts")) for f in result.findings}
    assert found[(9, "timeout")] == 10000
    assert found[(12, "timeout")] == 60000
    assert found[(13, "retry")] == 3


def test_a_counted_loop_going_round_while_the_call_fails(extract):
    """`db, err := database.New(cfg); for i := 0; err != nil && i < 22; i++ { sleep; db, err =
    database.New(cfg) }` (achgateway's database connect): a first try and 22 more. A counted loop whose
    condition joins another test with its count and makes no call again is no retry."""
    result = extract('''package svc
import "time"
func connect(cfg Config) (*DB, error) {
	db, err := database.New(cfg)
	for i := 0; err != nil && i < 22; i++ {
		time.Sleep(time.Second * 5)
		db, err = database.New(cfg)
	}
	return db, err
}
func walk(items []string, ok bool) {
	for i := 0; ok && i < 10; i++ {
		time.Sleep(time.Second)
		ok = visit(items[i])
	}
}
''')
    retries = [(f.line, f.attributes["max_attempts"]) for f in result.findings if f.kind == "retry"]
    assert retries == [(5, 23)]


def test_a_loop_waiting_for_a_state_and_a_count_of_replicas_is_no_retry(extract):
    """`for *state != ACTIVE || replicas <= 0 { if state, replicas, err = ready(); err != nil { return };
    sleep }` (model-backend's wait for a model to scale up) polls a state; a `for {` loop that tries
    a call again until it works still retries."""
    result = extract('''package worker
import "time"
func (w *worker) waitReady(name string) error {
	state, replicas, err := w.ray.ModelReady(name)
	for *state != StateActive || replicas <= 0 {
		if state, replicas, err = w.ray.ModelReady(name); err != nil {
			return err
		} else {
			time.Sleep(time.Millisecond * 500)
		}
	}
	return nil
}
func (w *worker) send(msg string) {
	for {
		if err := w.client.Send(msg); err == nil {
			return
		}
		time.Sleep(time.Second)
	}
}
''')
    retries = [f.line for f in result.findings if f.kind == "retry"]
    assert retries == [15]


def test_a_default_overridden_by_a_setting_when_it_is_given(extract):
    """`maxRetries := 3; if cfg.MaxRetries > 0 { maxRetries = cfg.MaxRetries }` (achgateway's e-mail
    sender): 3 tries unless configured."""
    result = extract('''package notify
import "time"
func send(cfg *Email, d *Dialer, m *Message) error {
	maxRetries := 3
	if cfg.MaxRetries > 0 {
		maxRetries = cfg.MaxRetries
	}
	var outErr error
	for tries := 1; tries <= maxRetries; tries++ {
		outErr = d.DialAndSend(m)
		if outErr != nil {
			time.Sleep(250 * time.Millisecond)
			continue
		}
		return nil
	}
	return outErr
}
''')
    [retry] = [f for f in result.findings if f.kind == "retry"]
    assert (retry.line, retry.attributes["max_attempts"]) == (9, 3)


def test_a_getter_falling_back_on_a_default_when_its_setting_is_unset():
    """`func (cfg *FTP) Timeout() time.Duration { if cfg == nil || cfg.DialTimeout == 0*time.Second {
    return 10 * time.Second }; return cfg.DialTimeout }` read as `Timeout: cfg.FTP.Timeout()` (achgateway's
    FTP agent): 10 s. A getter that answers something else when the setting is unset is no default."""
    model = b'''package service
import "time"
type FTP struct { DialTimeout time.Duration; ReadWait time.Duration }
func (cfg *FTP) Timeout() time.Duration {
	if cfg == nil || cfg.DialTimeout == 0*time.Second {
		return 10 * time.Second
	}
	return cfg.DialTimeout
}
func (cfg *FTP) Wait() time.Duration {
	if cfg.ReadWait > time.Minute {
		return time.Minute
	}
	return cfg.ReadWait
}
'''
    agent = b'''package service
import "github.com/moov-io/go-ftp"
func newAgent(cfg *Agent) (*ftp.Client, error) {
	return ftp.NewClient(ftp.ClientConfig{
		Hostname: cfg.FTP.Hostname,
		Timeout:  cfg.FTP.Timeout(),
	})
}
'''
    results = [EXTRACTOR.extract("internal/service/model_upload.go", model),
               EXTRACTOR.extract("internal/service/ftp.go", agent)]
    assert "$getter.Wait" not in results[0].symbols
    [timeout] = _resolved(results, 1, "timeout")
    assert (timeout.line, timeout.attributes["timeout_ms"]) == (6, 10000)


def test_a_fallback_settings_literal_read_by_the_client_it_builds_is_not_reported_twice(extract):
    """`if config == nil { config = &ClientConfig{Timeout: 60s} }; return &http.Client{Timeout: config.Timeout}`
    (achgateway's internal client): the client's timeout only. An options literal nothing reads later in
    its function is still reported."""
    result = extract('''package service
import (
	"net/http"
	"time"
)
type ClientConfig struct { Timeout time.Duration }
func NewInternalClient(config *ClientConfig) *http.Client {
	if config == nil {
		config = &ClientConfig{
			Timeout: 60 * time.Second,
		}
	}
	return &http.Client{
		Timeout: config.Timeout,
	}
}
func Defaults() ClientConfig {
	return ClientConfig{Timeout: 5 * time.Second}
}
''')
    timeouts = sorted((f.line, f.attributes["timeout_ms"]) for f in result.findings if f.kind == "timeout")
    assert (10, 60000) not in timeouts
    assert (14, 60000) in timeouts or any(line == 14 for line, _ in timeouts)


def test_a_postgres_lock_timeout_set_per_transaction():
    """`tx.Exec(ctx, fmt.Sprintf("SET LOCAL lock_timeout = %d", c.lockTimeout.Milliseconds()))` with the
    constructor in another file giving `lockTimeout: defaultLockTimeout` (archer's controller): 5 s; a
    helper doing it with its own parameter only forwards it, its call holds the contract. A SET of
    something else, or a log line naming the setting, is none."""
    controller = b'''package controller
import "time"
const defaultLockTimeout = 5 * time.Second
type Controller struct {
	pool        Pool
	lockTimeout time.Duration
}
func New(pool Pool) *Controller {
	return &Controller{pool: pool, lockTimeout: defaultLockTimeout}
}
'''
    service = b'''package controller
import (
	"context"
	"fmt"
	"github.com/jackc/pgx/v5"
	"github.com/acme/archer/internal/db"
)
func (c *Controller) Update(ctx context.Context) error {
	return pgx.BeginFunc(ctx, c.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, fmt.Sprintf("SET LOCAL lock_timeout = %d", c.lockTimeout.Milliseconds())); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, fmt.Sprintf("SET LOCAL search_path = %d", 3))
		log.Printf("lock_timeout = %d", c.lockTimeout.Milliseconds())
		return err
	})
}
func (c *Controller) Delete(ctx context.Context) error {
	tx, err := db.BeginWithLockTimeout(ctx, c.pool, c.lockTimeout)
	if err != nil {
		return err
	}
	return tx.Commit(ctx)
}
'''
    locks = b'''package db
import (
	"context"
	"fmt"
	"time"
	"github.com/jackc/pgx/v5"
)
func BeginWithLockTimeout(ctx context.Context, pool PgxIface, timeout time.Duration) (pgx.Tx, error) {
	tx, err := pool.Begin(ctx)
	if err != nil {
		return nil, err
	}
	ms := timeout.Milliseconds()
	if _, err := tx.Exec(ctx, fmt.Sprintf("SET LOCAL lock_timeout = %d", ms)); err != nil {
		return nil, err
	}
	return tx, nil
}
'''
    results = [EXTRACTOR.extract("internal/controller/controller.go", controller),
               EXTRACTOR.extract("internal/controller/service.go", service),
               EXTRACTOR.extract("internal/db/locks.go", locks)]
    timeouts = {f.line: f.attributes["timeout_ms"] for f in _resolved(results, 1, "timeout")}
    assert timeouts == {10: 5000, 19: 5000}
    helper = [f for f in results[2].findings if f.kind == "timeout"]
    assert [f.line for f in helper] == [14]
    assert any(p.expr is not None and "timeout" in repr(p.expr) for p in helper[0].pending)


def test_a_job_that_counts_its_failures_and_schedules_itself_again(extract):
    """`run = func() error { err := w.Process(ctx); if err == nil { return nil }; attempt++; if attempt >=
    maxRetries || ctx.Err() != nil { return err }; reschedule(delay); return err }` with `reschedule`
    handing `run` to gocron (archer's ProcessServices task): 20 tries at the check. A counter checked the
    same way whose function schedules other work, or nothing, is no retry."""
    result = extract('''package agent
import (
	"context"
	"time"
	"github.com/go-co-op/gocron/v2"
)
var (
	retryDelay = 10 * time.Second
	maxRetries = 20
)
func task(ctx context.Context, s gocron.Scheduler, w Worker) func() error {
	var attempt int
	var run func() error
	reschedule := func(delay time.Duration) {
		s.NewJob(gocron.OneTimeJob(gocron.OneTimeJobStartDateTime(time.Now().Add(delay))), gocron.NewTask(run))
	}
	run = func() error {
		err := w.Process(ctx)
		if err == nil {
			return nil
		}
		attempt++
		if attempt >= maxRetries || ctx.Err() != nil {
			return err
		}
		reschedule(retryDelay)
		return err
	}
	return run
}
func other(ctx context.Context, s gocron.Scheduler, w Worker) func() error {
	var attempts int
	notify := func(delay time.Duration) { s.NewJob(gocron.NewTask(w.Report)) }
	check := func() error {
		err := w.Process(ctx)
		attempts++
		if attempts >= maxRetries {
			return err
		}
		notify(retryDelay)
		return err
	}
	return check
}
''')
    retries = [(f.line, f.attributes["max_attempts"]) for f in result.findings if f.kind == "retry"]
    assert retries == [(23, 20)]
