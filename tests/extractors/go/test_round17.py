"""Round 17 (held-out sets consul-esm, bark-server, adguardhome-sync, ddns-updater, athens, vela-worker,
postgres-operator): condition functions handed to a project's retry runner, goto retries without a
counter, consul/api's MonitorRetries, bsm/redislock's LimitRetry, configs assembled field by field,
gofiber's server config; with the traps beside each."""

from __future__ import annotations

from extractors.go.extractor import EXTRACTOR


def _found(source: str, path: str = "svc/pkg/cluster/x.go") -> list[tuple]:
    result = EXTRACTOR.extract(path, source.encode("utf-8"))
    return sorted((f.line, f.kind, f.attributes.get("timeout_ms", f.attributes.get("max_attempts")))
                  for f in result.findings if f.kind in ("timeout", "retry") and f.detector != "go.wrapper_call")


RUNNER = '''package cluster

import (
	"context"
	"net"
	"time"

	"github.com/acme/operator/pkg/util/retryutil"
)

func (c *Cluster) connect() error {
	return retryutil.Retry(15*time.Second, 2*time.Minute,
		func() (bool, error) {
			conn, err := open()
			if err == nil {
				err = conn.Ping()
			}
			if err == nil {
				return true, nil
			}
			if _, ok := err.(*net.OpError); ok {
				return false, nil
			}
			return false, nil
		})
}

func (c *Cluster) switchover() error {
	return retryutil.Retry(1*time.Minute, 5*time.Minute,
		func() (bool, error) {
			err := c.Switchover()
			if err != nil {
				c.logger.Errorf("could not switchover: %v", err)
				return false, nil
			}
			return true, nil
		},
	)
}

func (c *Cluster) patchPod() error {
	return retryutil.Retry(1*time.Second, 5*time.Second,
		func() (bool, error) {
			_, err2 := c.KubeClient.Pods("ns").Patch(context.TODO(), "name")
			if err2 != nil {
				return false, err2
			}
			return true, nil
		})
}

func (c *Cluster) waitStatefulsetReady() error {
	return retryutil.Retry(c.OpConfig.ResourceCheckInterval, c.OpConfig.ResourceCheckTimeout,
		func() (bool, error) {
			ss, err := c.KubeClient.StatefulSets("ns").List(context.TODO())
			if err != nil {
				return false, err
			}
			return ss.Items[0].Spec.Replicas == ss.Items[0].Status.Replicas, nil
		})
}

func (c *Cluster) waitSecret() error {
	return retryutil.Retry(c.OpConfig.ResourceCheckInterval, c.OpConfig.ResourceCheckTimeout,
		func() (bool, error) {
			_, err := c.KubeClient.Secrets("ns").Get(context.TODO(), "name")
			if err != nil {
				if apierrors.IsNotFound(err) {
					return false, nil
				}
				return false, err
			}
			return true, nil
		},
	)
}
'''


def test_condition_runner_retries_only_what_answers_false_nil_after_a_failure():
    # connect (line 12: `if err == nil { return true, nil }` then `false, nil`) and switchover (line 29:
    # `if err != nil { return false, nil }`) try again; the patch stops on its error (one call), the
    # statefulset and secret waits poll a state (a NotFound answers `false, nil`): none of those
    found = _found(RUNNER)
    assert [(line, kind) for line, kind, _ in found] == [(12, "retry"), (29, "retry")]


def test_condition_runner_with_an_error_only_work_keeps_the_round_10_rule():
    # `retry.Retry(func() error {...})` of a project's retry package: retried until its budget (null)
    source = '''package p

import "github.com/acme/app/lib/retry"

func f() error {
	return retry.Retry(func() error { return deleteManifest() })
}
'''
    assert _found(source, "svc/app/x.go") == [(6, "retry", None)]


GOTO = '''package main

import (
	"strings"
	"time"
)

func (a *Agent) runLeaderLoop() {
LEADER_WAIT:
	select {
	case <-a.shutdownCh:
		return
	default:
	}
	lock, err := a.client.LockKey(a.config.KVPath)
	if err != nil {
		a.logger.Error("Error trying to create leader lock (will retry)", "error", err)
		time.Sleep(retryTime)
		goto LEADER_WAIT
	}
	_ = lock
}

func (a *Agent) verify() error {
VERIFY:
	svs, err := a.client.Catalog().Service("consul")
	if err != nil {
		if strings.Contains(err.Error(), "429") {
			time.Sleep(retryTime)
			goto VERIFY
		}
		return err
	}
	_ = svs
	return nil
}

func (a *Agent) runRegister() {
	for {
	REGISTER_CHECK:
		select {
		case <-a.shutdownCh:
			return
		case <-time.After(agentTTL):
			if err := a.register(); err != nil {
				time.Sleep(retryTime)
				goto REGISTER_CHECK
			}
		}
	}
}

func (a *Agent) lost() {
RESTART:
	ch := a.client.Watch()
	<-ch
	if a.stopped {
		time.Sleep(retryTime)
		goto RESTART
	}
}

func (a *Agent) nowait() {
AGAIN:
	err := a.client.Put()
	if err != nil {
		goto AGAIN
	}
}
'''


def test_goto_back_after_a_failure_and_a_wait_is_an_unbounded_retry():
    # LEADER_WAIT (line 9) and VERIFY (line 25) retry until the call works (null); the periodic
    # REGISTER_CHECK select (a blocking wait for the next tick), a jump on a state that is no error
    # (RESTART) and a jump without a wait (AGAIN) are none
    assert _found(GOTO, "svc/leader.go") == [(9, "retry", None), (25, "retry", None)]


def test_consul_lock_monitor_retries_count_the_first_read():
    source = '''package main

import "github.com/hashicorp/consul/api"

func lockOpts(key string) *api.LockOptions {
	return &api.LockOptions{
		Key:            key,
		MonitorRetries: 6,
	}
}

type Options struct {
	MonitorRetries int
}

var own = Options{MonitorRetries: 3}
'''
    # the project's own Options type is no client's setting
    assert _found(source, "svc/agent.go") == [(8, "retry", 7)]


def test_redislock_limit_retry_counts_the_first_try():
    source = '''package stash

import (
	"time"

	"github.com/bsm/redislock"
)

func obtain(ctx context.Context, client redislock.RedisClient, key string) error {
	_, err := redislock.Obtain(ctx, client, key, time.Minute, &redislock.Options{
		RetryStrategy: redislock.LimitRetry(redislock.LinearBackoff(time.Second), 10),
	})
	limit := LimitRetry(nil, 4)
	_ = limit
	return err
}
'''
    # a function of this package named LimitRetry is no redislock option
    assert _found(source, "svc/pkg/stash/x.go") == [(11, "retry", 11)]


def test_config_assembled_field_by_field_is_no_client_setting():
    source = '''package controller

import (
	"time"

	"github.com/zalando/postgres-operator/pkg/util/config"
	"github.com/zalando/postgres-operator/pkg/util"
)

func (c *Controller) importConfigurationFromCRD(fromCRD *OperatorConfigurationData) *config.Config {
	result := &config.Config{}
	result.ResourceCheckInterval = util.CoalesceDuration(fromCRD.Timeouts.ResourceCheckInterval, "3s")
	result.ResourceCheckTimeout = util.CoalesceDuration(fromCRD.Timeouts.ResourceCheckTimeout, "10m")
	result.PodLabelWaitTimeout = util.CoalesceDuration(fromCRD.Timeouts.PodLabelWaitTimeout, "10m")
	return result
}

func lone(fromCRD *OperatorConfigurationData) *config.Config {
	result := &config.Config{}
	result.RequestTimeout = 30 * time.Second
	return result
}
'''
    # three fields copied from fromCRD: a conversion; a lone value chosen here stays a setting
    assert [(line, kind) for line, kind, _ in _found(source, "svc/pkg/controller/operator_config.go")] == \
        [(20, "timeout")]


def test_fiber_server_config_is_inbound():
    source = '''package main

import (
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/ncw/swift"
)

func app() *fiber.App {
	return fiber.New(fiber.Config{
		ReadTimeout:  3 * time.Second,
		WriteTimeout: 3 * time.Second,
	})
}

var conn = swift.Connection{Timeout: 5 * time.Second}
'''
    assert _found(source, "svc/main.go") == [(17, "timeout", 5000)]


KURED = '''package daemonsetlock

import (
	"context"
	"time"

	"k8s.io/apimachinery/pkg/util/wait"
)

const (
	k8sAPICallRetrySleep   = 5 * time.Second
	k8sAPICallRetryTimeout = 5 * time.Minute
)

type DaemonSetLock struct {
	client    Interface
	namespace string
}

type DaemonSetSingleLock struct {
	DaemonSetLock
	nodeID string
}

func (dsl *DaemonSetLock) GetDaemonSet(sleep, timeout time.Duration) (*DaemonSet, error) {
	var ds *DaemonSet
	var lastError error
	err := wait.PollUntilContextTimeout(context.Background(), sleep, timeout, true, func(ctx context.Context) (bool, error) {
		if ds, lastError = dsl.client.Get(ctx, dsl.namespace); lastError != nil {
			return false, nil
		}
		return true, nil
	})
	return ds, err
}

func (dsl *DaemonSetSingleLock) Holding() (bool, error) {
	ds, err := dsl.GetDaemonSet(k8sAPICallRetrySleep, k8sAPICallRetryTimeout)
	return ds != nil, err
}

func (dsl *DaemonSetSingleLock) waitReady(ctx context.Context) error {
	return wait.PollUntilContextTimeout(ctx, time.Second, time.Minute, true, func(ctx context.Context) (bool, error) {
		ds, err := dsl.client.Get(ctx, dsl.namespace)
		if err != nil {
			return false, err
		}
		return ds.Ready, nil
	})
}

func (dsl *DaemonSetSingleLock) Acquire() (bool, error) {
	for {
		ds, err := dsl.GetDaemonSet(k8sAPICallRetrySleep, k8sAPICallRetryTimeout)
		if err != nil {
			return false, err
		}
		_, err = dsl.client.Update(context.TODO(), ds)
		if err != nil {
			if se, ok := err.(*StatusError); ok && se.ErrStatus.Reason == StatusReasonConflict {
				time.Sleep(time.Second)
				continue
			}
			return false, err
		}
		return true, nil
	}
}

func (dsl *DaemonSetSingleLock) drain(items []string) error {
	for _, item := range items {
		if err := dsl.client.Evict(item); err != nil {
			if IsConflict(err) {
				continue
			}
			return err
		}
	}
	return nil
}
'''


def test_poll_helper_timeout_is_valued_at_calls_through_an_embedded_type(tmp_path):
    # the poll that retries its GET (line 28): a retry (null) and its timeout parameter, valued at the
    # calls of GetDaemonSet made through DaemonSetSingleLock, which embeds DaemonSetLock (lines 38 and 54:
    # 5 min); the update-conflict `for {` (line 53) retries until it works (null); the state poll
    # (line 43, stops on an error) and the eviction range (no wait, a range over items) are none
    from contract_discovery.pipeline import scan
    svc = tmp_path / "svc"
    (svc / "pkg" / "daemonsetlock").mkdir(parents=True)
    (svc / "pkg" / "daemonsetlock" / "daemonsetlock.go").write_text(KURED)
    (svc / "go.mod").write_text("module example.com/svc\n\ngo 1.26\n")
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    found = sorted((f.line, f.kind, f.attributes.get("timeout_ms", f.attributes.get("max_attempts")))
                   for f in result.findings if f.kind in ("timeout", "retry"))
    assert found == [(28, "retry", None), (38, "timeout", 300000.0), (53, "retry", None),
                     (54, "timeout", 300000.0)]


OPTIONS = '''package http

import "time"

type settings struct {
	providers []string
	timeout   time.Duration
	retries   int
	ttl       time.Duration
}

func newDefaultSettings() settings {
	const defaultTimeout = 5 * time.Second
	return settings{
		providers: []string{"ipify"},
		timeout:   defaultTimeout,
		retries:   2,
		ttl:       time.Hour,
	}
}

func testSettings() settings {
	return settings{timeout: time.Second}
}

type Option func(s *settings) error

func SetTimeout(timeout time.Duration) Option {
	return func(s *settings) error {
		s.timeout = timeout
		return nil
	}
}

func SetRetries(n int) Option {
	return func(s *settings) error {
		s.retries = n
		return nil
	}
}

func SetTTL(ttl time.Duration) Option {
	return func(s *settings) error {
		s.ttl = ttl
		return nil
	}
}
'''


def test_functional_option_defaults_are_reported_at_the_default_constructor():
    # the timeout (5 s) and retries (2 retries: 3 tries) the options set, in newDefaultSettings; not the
    # ttl (no bound on a call), not the literal of a function named for neither defaults nor construction
    assert _found(OPTIONS, "svc/pkg/publicip/http/options.go") == [(16, "timeout", 5000), (17, "retry", 3)]


def test_a_helper_sleeping_out_a_rate_limit_paces_a_retry_loop():
    source = '''package slack

func (b *Bslack) botInfo(id string) error {
	for {
		_, err := b.rtm.GetBotInfo(id)
		if err == nil {
			break
		}
		if err = handleRateLimit(b.Log, err); err != nil {
			return err
		}
	}
	return nil
}

func (b *Bslack) checked(id string) error {
	for {
		_, err := b.rtm.GetBotInfo(id)
		if err == nil {
			break
		}
		if err = checkRateLimit(b.Log, err); err != nil {
			return err
		}
	}
	return nil
}
'''
    # a helper named for checking a rate limit is no wait: that loop is not paced (not reported)
    assert _found(source, "svc/bridge/slack/slack.go") == [(4, "retry", None)]


def test_a_shutdown_budget_is_checked_at_every_later_use_of_its_context():
    source = '''package main

import (
	"context"
	"net/http"
	"time"
)

func stop(srv *http.Server) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		return
	}
	<-ctx.Done()
}

func stopAndCall(srv *http.Server, c *Client) {
	ctx, cancel := context.WithTimeout(context.Background(), 7*time.Second)
	defer cancel()
	_ = srv.Shutdown(ctx)
	_ = c.Deregister(ctx)
}
'''
    # waiting out the drain budget (`<-ctx.Done()`) keeps it a drain budget; handing the context to a
    # call after the stop (the first use no longer hides the later ones) makes it a call's deadline
    assert _found(source, "svc/main.go") == [(19, "timeout", 7000)]
