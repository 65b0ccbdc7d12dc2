"""Round 12 (held-out sets convoy, one-api, overdoll, kitex-book-shop): Kitex client options, redigo
dial options, Temporal heartbeat and unbounded retry policies, olivere/elastic retriers and
RetryOnConflict, redsync tries, gocql's reconnection policy and RetryPolicy(nil), a project's own env
package, count-down retry loops, counted polls, and a shutdown budget raced in a select; with the
traps beside each."""

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


KITEX_CLIENT = '''package client

import (
	"time"

	"github.com/cloudwego/kitex/client"
	"github.com/cloudwego/kitex/pkg/retry"
)

func NewUserClient() {
	_, _ = userservice.NewClient("user",
		client.WithRPCTimeout(3*time.Second),
		client.WithConnectTimeout(50*time.Millisecond),
		client.WithFailureRetry(retry.NewFailurePolicy()),
	)
}

func NewItemClient() {
	fp := retry.NewFailurePolicy()
	fp.WithMaxRetryTimes(4)
	_, _ = itemservice.NewClient("item", client.WithFailureRetry(fp))
}
'''


def test_kitex_rpc_timeout_and_failure_retry(tmp_path):
    found = _scan(tmp_path, {"client/user.go": KITEX_CLIENT})
    assert ("client/user.go", 12, "timeout", 3000) in found
    assert ("client/user.go", 13, "timeout", 50) in found
    # Kitex's default failure policy: MaxRetryTimes 2, so 3 tries
    assert ("client/user.go", 14, "retry", 3) in found
    # fp.WithMaxRetryTimes(4): 4 retries after the first try
    assert ("client/user.go", 21, "retry", 5) in found


KITEX_TRAP = '''package client

import "time"

type Options struct{}

// WithFailureRetry of the project's own options: no Kitex import, no retry contract.
func (o *Options) WithFailureRetry(p interface{}) *Options { return o }

func build(o *Options, retryPolicy interface{}) {
	o.WithFailureRetry(retryPolicy)
	_ = "client.WithRPCTimeout(3*time.Second)"
	_ = time.Second
}
'''


def test_kitex_trap_own_method_and_string(tmp_path):
    assert _scan(tmp_path, {"client/opts.go": KITEX_TRAP}) == []


REDIGO = '''package redis

import (
	"time"

	redigo "github.com/gomodule/redigo/redis"
)

var pool = &redigo.Pool{
	Dial: func() (redigo.Conn, error) {
		return redigo.Dial("tcp", "localhost:6379",
			redigo.DialConnectTimeout(500*time.Millisecond),
			redigo.DialReadTimeout(2*time.Second),
			redigo.DialWriteTimeout(time.Second))
	},
	IdleTimeout: 240 * time.Second,
}
'''


def test_redigo_dial_options(tmp_path):
    found = _scan(tmp_path, {"redis/client.go": REDIGO})
    assert ("redis/client.go", 12, "timeout", 500) in found
    assert ("redis/client.go", 13, "timeout", 2000) in found
    assert ("redis/client.go", 14, "timeout", 1000) in found
    assert not any(line == 16 for _, line, _, _ in found)  # the pool's idle timeout bounds no call


TEMPORAL = '''package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

func ProcessMedia(ctx workflow.Context) error {
	options := workflow.ActivityOptions{
		StartToCloseTimeout: time.Hour * 24,
		HeartbeatTimeout:    time.Minute * 80,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    time.Second,
			BackoffCoefficient: 10.0,
		},
	}
	ctx = workflow.WithActivityOptions(ctx, options)
	return nil
}

var bounded = workflow.ActivityOptions{
	StartToCloseTimeout: time.Minute,
	RetryPolicy: &temporal.RetryPolicy{
		MaximumAttempts: 3,
	},
}
'''


def test_temporal_unbounded_policy_not_heartbeat(tmp_path):
    found = _scan(tmp_path, {"workflows/media.go": TEMPORAL})
    assert ("workflows/media.go", 12, "timeout", 86400000) in found
    # the heartbeat timeout is a liveness setting, not a bound on the activity's work
    assert not any(line == 13 for _, line, _, _ in found)
    # no MaximumAttempts: Temporal retries without limit (no value)
    assert ("workflows/media.go", 14, "retry", None) in found
    # MaximumAttempts given: that policy is read at its field, not also reported as unbounded
    assert ("workflows/media.go", 26, "retry", 3) in found
    assert not any(line == 25 and kind == "retry" for _, line, kind, _ in found)


ELASTIC = '''package search

import (
	"context"
	"time"

	"github.com/olivere/elastic/v7"
)

func NewClient() (*elastic.Client, error) {
	return elastic.NewClient(
		elastic.SetRetrier(
			elastic.NewBackoffRetrier(elastic.NewExponentialBackoff(100*time.Millisecond, 7*time.Second)),
		),
	)
}
'''

ELASTIC_REPO = '''package adapters

import "context"

type Repo struct{ client interface{ Update() updater } }

func (r *Repo) Bump(ctx context.Context, id string) error {
	_, err := r.client.
		Update().
		Index("posts").
		Id(id).
		RetryOnConflict(20).
		Doc(map[string]int{"views": 1}).
		Do(ctx)
	return err
}
'''

K8S_CONFLICT = '''package controller

import "k8s.io/client-go/util/retry"

func update() error {
	return retry.RetryOnConflict(retry.DefaultRetry, func() error { return nil })
}
'''


def test_elastic_retrier_and_retry_on_conflict(tmp_path):
    found = _scan(tmp_path, {"search/client.go": ELASTIC, "adapters/repo.go": ELASTIC_REPO,
                             "controller/update.go": K8S_CONFLICT})
    assert ("search/client.go", 12, "retry", None) in found
    # retry_on_conflict=20: 20 retries after the first try, on the line of `.RetryOnConflict(`
    assert ("adapters/repo.go", 12, "retry", 21) in found
    # client-go's RetryOnConflict(backoff, fn) keeps its own reading: DefaultRetry tries 5 times
    assert ("controller/update.go", 6, "retry", 5) in found
    assert len([f for f in found if f[0] == "controller/update.go"]) == 1


REDSYNC = '''package store

import (
	"context"
	"time"

	"github.com/go-redsync/redsync/v4"
)

func lock(ctx context.Context, rs *redsync.Redsync, key string) error {
	mutex := rs.NewMutex(key, redsync.WithExpiry(10*time.Second), redsync.WithTries(1))
	return mutex.LockContext(ctx)
}

type limiter struct{}

func (limiter) WithTries(n int) limiter { return limiter{} }

func own(l limiter) { l.WithTries(5) }
'''


def test_redsync_tries_not_a_project_method(tmp_path):
    found = _scan(tmp_path, {"store/lock.go": REDSYNC})
    assert ("store/lock.go", 11, "retry", 1) in found
    assert not any(line == 19 for _, line, _, _ in found)


GOCQL = '''package database

import (
	"context"
	"time"

	"github.com/gocql/gocql"
)

func Session(hosts []string) *gocql.ClusterConfig {
	cluster := gocql.NewCluster(hosts...)
	cluster.Timeout = 20 * time.Second
	cluster.ReconnectionPolicy = &gocql.ConstantReconnectionPolicy{MaxRetries: 30, Interval: 10 * time.Second}
	cluster.RetryPolicy = &gocql.ExponentialBackoffRetryPolicy{Min: time.Second, Max: 7 * time.Second, NumRetries: 5}
	return cluster
}

func Keyspace(ctx context.Context, s *gocql.Session) error {
	return s.Query("CREATE KEYSPACE k").WithContext(ctx).RetryPolicy(nil).Exec()
}
'''


def test_gocql_reconnection_tries_and_no_retry_policy(tmp_path):
    found = _scan(tmp_path, {"database/session.go": GOCQL})
    assert ("database/session.go", 12, "timeout", 20000) in found
    # the reconnect loop runs `for i := 0; i < MaxRetries; i++`: 30 tries, not 31
    assert ("database/session.go", 13, "retry", 30) in found
    # a query retry policy counts retries after the first try: 6
    assert ("database/session.go", 14, "retry", 6) in found
    # RetryPolicy(nil): no policy, one try
    assert ("database/session.go", 19, "retry", 1) in found


ENV_PACKAGE = '''package env

import (
	"os"
	"strconv"
)

func Int(env string, defaultValue int) int {
	if os.Getenv(env) == "" {
		return defaultValue
	}
	n, err := strconv.Atoi(os.Getenv(env))
	if err != nil {
		return defaultValue
	}
	return n
}
'''

ENV_CONFIG = '''package config

import "example.com/svc/common/env"

var UserContentRequestTimeout = env.Int("USER_CONTENT_REQUEST_TIMEOUT", 30)
var PageSize = env.Int("PAGE_SIZE", 50)
'''

ENV_CLIENT = '''package client

import (
	"net/http"
	"time"

	"example.com/svc/common/config"
)

var UserContentClient = &http.Client{
	Timeout: time.Second * time.Duration(config.UserContentRequestTimeout),
}
'''


def test_project_env_package_default(tmp_path):
    found = _scan(tmp_path, {"common/env/helper.go": ENV_PACKAGE, "common/config/config.go": ENV_CONFIG,
                             "common/client/init.go": ENV_CLIENT})
    assert ("common/client/init.go", 11, "timeout", 30000) in found
    assert not any(f[0] == "common/config/config.go" for f in found)  # a setting, not a contract by itself


COUNTDOWN = '''package controller

import "net/http"

var RetryTimes = 0

func relay(c *http.Client, url string) error {
	err := do(c, url)
	if err == nil {
		return nil
	}
	retryTimes := RetryTimes
	for i := retryTimes; i > 0; i-- {
		err = do(c, url)
		if err == nil {
			return nil
		}
	}
	return err
}

func fixed(c *http.Client, url string) error {
	var err error
	for i := maxRetries; i > 0; i-- {
		if err = do(c, url); err == nil {
			return nil
		}
	}
	return err
}

const maxRetries = 3

func backwards(c *http.Client, urls []string) {
	for i := len(urls) - 1; i >= 0; i-- {
		if err := do(c, urls[i]); err == nil {
			return
		}
	}
}

func do(c *http.Client, url string) error { _, err := c.Get(url); return err }
'''


def test_countdown_retry_loop(tmp_path):
    found = _scan(tmp_path, {"controller/relay.go": COUNTDOWN})
    # a count set at run time (an admin option, 0 as written): no static value
    assert ("controller/relay.go", 13, "retry", None) in found
    assert ("controller/relay.go", 24, "retry", 3) in found
    # walking a slice backwards is no retry
    assert not any(line == 35 for _, line, _, _ in found)


POLL = '''package ali

import (
	"fmt"
	"net/http"
	"time"
)

type TaskResponse struct{ Status string }

func asyncTask(c *http.Client, id string) (*TaskResponse, error) {
	_, err := c.Get("https://dashscope.example.com/tasks/" + id)
	return &TaskResponse{}, err
}

func asyncTaskWait(c *http.Client, id string) (*TaskResponse, error) {
	step := 0
	maxStep := 20
	for {
		step++
		rsp, err := asyncTask(c, id)
		if err != nil {
			return nil, err
		}
		switch rsp.Status {
		case "FAILED", "SUCCEEDED":
			return rsp, nil
		}
		if step >= maxStep {
			break
		}
		time.Sleep(2 * time.Second)
	}
	return nil, fmt.Errorf("timeout")
}

func sendWithRetries(c *http.Client, id string) error {
	attempts := 0
	for {
		_, err := asyncTask(c, id)
		if err == nil {
			return nil
		}
		attempts++
		if attempts >= 4 {
			return err
		}
		time.Sleep(time.Second)
	}
}
'''


def test_counted_poll_is_not_a_retry(tmp_path):
    found = _scan(tmp_path, {"ali/image.go": POLL})
    assert not any(line == 19 for _, line, _, _ in found)
    # the loop that goes round again after a failure stays a retry
    assert ("ali/image.go", 39, "retry", 4) in found


SHUTDOWN = '''package bootstrap

import (
	"context"
	"net"
	"time"

	"google.golang.org/grpc"
)

func Serve(lis net.Listener, s *grpc.Server, sig chan struct{}) {
	go func() {
		_ = s.Serve(lis)
	}()
	<-sig
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	ok := make(chan struct{})
	go func() {
		s.GracefulStop()
		close(ok)
	}()
	select {
	case <-ok:
	case <-ctx.Done():
		s.Stop()
	}
}

func Fetch(c *grpc.ClientConn, call func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- call(ctx)
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}
'''


def test_shutdown_budget_raced_in_select(tmp_path):
    found = _scan(tmp_path, {"bootstrap/grpc.go": SHUTDOWN})
    assert not any(line == 16 for _, line, _, _ in found)
    # a goroutine making a call with the context: that call's deadline
    assert ("bootstrap/grpc.go", 31, "timeout", 5000) in found


CRD_TYPES = '''package v1beta3

import (
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

type ProviderSpec struct {
	Timeout *metav1.Duration `json:"timeout,omitempty"`
	Interval *metav1.Duration `json:"interval,omitempty"`
}

type Provider struct {
	Spec ProviderSpec `json:"spec,omitempty"`
}

// GetTimeout returns the timeout value with a default of 15s for this Provider.
func (in *Provider) GetTimeout() time.Duration {
	duration := 15 * time.Second
	if in.Spec.Timeout != nil {
		duration = in.Spec.Timeout.Duration
	}

	return duration
}

// GetInterval: the same shape for a schedule, never read by a call here.
func (in *Provider) GetInterval() time.Duration {
	duration := 10 * time.Minute
	if in.Spec.Interval != nil {
		duration = in.Spec.Interval.Duration
	}
	return duration
}
'''

CRD_HANDLER = '''package server

import (
	"context"
	"net/http"

	apiv1beta3 "example.com/svc/api/v1beta3"
)

type params struct {
	timeout time.Duration
}

func dispatch(c *http.Client, provider *apiv1beta3.Provider, url string) error {
	ctx, cancel := context.WithTimeout(context.Background(), provider.GetTimeout())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, nil)
	_, err := c.Do(req)
	return err
}
'''


def test_crd_getter_default_when_spec_field_is_nil(tmp_path):
    found = _scan(tmp_path, {"api/v1beta3/provider_types.go": CRD_TYPES, "server/handler.go": CRD_HANDLER})
    assert ("server/handler.go", 15, "timeout", 15000) in found
    assert not any(f[0].startswith("api/") for f in found)


WORKFLOW_LOOP = '''package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"
)

type SendCallbackPayload struct{ NotFound bool }

func ProcessMedia(ctx workflow.Context, id string) error {
	notFound, sent := false, false
	totalTimes := 2
	for i := 0; i < totalTimes; i++ {
		if notFound || sent {
			break
		}
		if i == 1 {
			if err := workflow.Sleep(ctx, time.Second*10); err != nil {
				return err
			}
		}
		var payload *SendCallbackPayload
		if err := workflow.ExecuteActivity(ctx, "SendCallback", id).Get(ctx, &payload); err != nil {
			return err
		}
		if payload.NotFound {
			if i == 1 {
				notFound = true
			}
		} else {
			sent = true
		}
	}
	return nil
}

type Status struct{ Ready bool }

func WaitReady(ctx workflow.Context, id string) error {
	for i := 0; i < 30; i++ {
		var st *Status
		if err := workflow.ExecuteActivity(ctx, "GetStatus", id).Get(ctx, &st); err != nil {
			return err
		}
		if st.Ready {
			return nil
		}
		_ = workflow.Sleep(ctx, time.Minute)
	}
	return nil
}
'''


def test_workflow_loop_sending_again_when_not_found(tmp_path):
    found = _scan(tmp_path, {"workflows/media.go": WORKFLOW_LOOP})
    # the callback is sent again (after a durable 10 s timer) when the receiver answers NotFound: 2 tries
    assert ("workflows/media.go", 14, "retry", 2) in found
    # a poll of a status that stops on the first error is no retry
    assert not any(line == 40 for _, line, _, _ in found)
