"""Round 19, second-wave fixes (gofix): the shapes the held-out sets' first scans still missed after the
first wave: holster wg.Until re-runs, a local draw, a policy kept in a field, a labelled failover."""

from __future__ import annotations

from pathlib import Path  # noqa: F401  (tmp_path fixtures are typed Path)

from tests.extractors.go.test_round18 import _found, _scan  # noqa: F401  (shared helpers)

# --- mailgun/holster: wg.Until re-running a failed call after a pause; SetDefault on a library config --------

UNTIL = '''package gubernator

import (
	"github.com/mailgun/holster/v4/clock"
	"github.com/mailgun/holster/v4/syncutil"
)

type Pool struct {
	wg   syncutil.WaitGroup
	hits chan int
}

func (e *Pool) watch() {
	e.wg.Until(func(done chan struct{}) bool {
		if err := e.watchPeers(); err != nil {
			e.log.Error("while attempting to restart watch")
			select {
			case <-clock.After(backOffTimeout):
				return true
			case <-done:
				return false
			}
		}
		return true
	})
}

func (e *Pool) send() {
	e.wg.Until(func(done chan struct{}) bool {
		select {
		case h := <-e.hits:
			if err := e.sendHits(h); err != nil {
				e.log.Error("retry later")
			}
			return true
		case <-done:
			return false
		}
	})
}
'''


def test_a_holster_until_re_running_a_failed_call_after_a_pause_is_a_retry():
    got = _found(UNTIL, "svc/etcd.go")
    assert (14, "retry", None) in got
    # a loop sending each batch, logging a failure without a pause before going on: no retry
    assert not [g for g in got if g[0] == 29]


def test_an_until_of_a_file_without_holster_is_not_holsters():
    other = UNTIL.replace('"github.com/mailgun/holster/v4/clock"', '"example.com/svc/clock"').replace(
        '"github.com/mailgun/holster/v4/syncutil"', '"example.com/svc/syncutil"')
    assert not [g for g in _found(other, "svc/etcd.go") if g[1] == "retry"]


SETTER = '''package gubernator

import (
	"os"

	"github.com/mailgun/holster/v4/clock"
	"github.com/mailgun/holster/v4/setter"
	etcd "go.etcd.io/etcd/client/v3"
)

func setup(conf *DaemonConfig) {
	setter.SetDefault(&conf.Behaviors.BatchTimeout, getEnvDuration("GUBER_BATCH_TIMEOUT"), clock.Millisecond*500)
	setter.SetDefault(&conf.EtcdPoolConf.EtcdConfig, &etcd.Config{})
	setter.SetDefault(&conf.EtcdPoolConf.EtcdConfig.DialTimeout, getEnvDuration("GUBER_ETCD_DIAL_TIMEOUT"), clock.Second*5)
	setter.SetDefault(&conf.EtcdPoolConf.EtcdConfig.Username, os.Getenv("GUBER_ETCD_USER"))
}
'''


def test_a_holster_default_of_a_library_configs_timeout_is_that_clients_setting():
    got = _found(SETTER, "svc/config.go")
    assert (14, "timeout", 5000) in got
    # the project's own setting is read where it is used; the library config's other fields are none
    assert not [g for g in got if g[0] in (12, 13, 15)]


# --- a value drawn again until it passes a local check is no retry ------------------------------------------

PASSWORD = '''package cli

import (
	"crypto/rand"
	"fmt"
	"math/big"
	"time"

	"github.com/apache/answer/pkg/checker"
)

const maxRetries = 10

func generateRandomPasswordWithRetry() (string, error) {
	var password string
	var err error
	for range maxRetries {
		password, err = generateRandomPassword(16)
		if err != nil {
			continue
		}
		if err := checker.CheckPassword(password); err == nil {
			return password, nil
		}
	}
	return "", fmt.Errorf("failed after %d retries: %v", maxRetries, err)
}

func generateRandomPassword(length int) (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(int64(length)))
	if err != nil {
		return "", err
	}
	return fmt.Sprint(n.Int64()), nil
}

func resetWithRetry(client *Client) error {
	var err error
	for range maxRetries {
		if err = client.ResetPassword(); err == nil {
			return nil
		}
		time.Sleep(time.Second)
	}
	return err
}
'''


def test_a_password_drawn_again_until_it_passes_a_local_check_is_no_retry():
    got = _found(PASSWORD, "svc/internal/cli/reset_password.go")
    assert not [g for g in got if g[0] == 17]
    # the same loop around a call of a remote client is a retry
    assert (39, "retry", 10) in got


# --- a cenkalti policy kept in an options field bounds the loop that asks it for pauses ---------------------

STORED_POLICY = '''package httputil

import (
	"net/http"
	"time"

	"github.com/cenkalti/backoff"
)

type retryOptions struct {
	backoff backoff.BackOff
}

type sendOptions struct {
	retry retryOptions
}

type SendOption func(*sendOptions)

func SendRetry() SendOption {
	retry := retryOptions{
		backoff: backoff.WithMaxRetries(
			backoff.NewConstantBackOff(250*time.Millisecond),
			2),
	}
	return func(o *sendOptions) { o.retry = retry }
}

func Send(client *http.Client, req *http.Request, options ...SendOption) (*http.Response, error) {
	opts := &sendOptions{retry: retryOptions{backoff: &backoff.StopBackOff{}}}
	for _, o := range options {
		o(opts)
	}
	var resp *http.Response
	var err error
	for {
		resp, err = client.Do(req)
		if err != nil || resp.StatusCode >= 500 {
			d := opts.retry.backoff.NextBackOff()
			if d == backoff.Stop {
				break
			}
			time.Sleep(d)
			continue
		}
		break
	}
	return resp, err
}

func PollAccepted(client *http.Client, req *http.Request, b backoff.BackOff) (*http.Response, error) {
	limited := retryOptions{backoff: backoff.WithMaxRetries(b, 5)}
	_ = limited
	return client.Do(req)
}
'''


def test_a_policy_kept_in_an_options_field_is_the_retry_of_the_loop_asking_it():
    got = _found(STORED_POLICY, "svc/utils/httputil/httputil.go")
    assert (22, "retry", 3) in got
    assert not [g for g in got if g[0] == 36]  # the loop: the policy's tries, reported at the policy


def test_a_policy_in_a_field_no_loop_asks_is_not_reported_there():
    got = _found(STORED_POLICY.replace("opts.retry.backoff.NextBackOff()", "nextPause()"), "svc/utils/httputil/httputil.go")
    assert not [g for g in got if g[0] in (22, 52)]


# --- failover by the outer loop's label from an inner polling loop -----------------------------------------

LABELLED_FAILOVER = '''package blobclient

import (
	"time"

	"github.com/cenkalti/backoff"
)

func Poll(clients []Client, b backoff.BackOff, makeRequest func(Client) error) error {
ORIGINS:
	for _, client := range clients {
		b.Reset()
	POLL:
		for {
			if err := makeRequest(client); err != nil {
				if isAccepted(err) {
					d := b.NextBackOff()
					if d == backoff.Stop {
						break POLL
					}
					time.Sleep(d)
					continue POLL
				}
				continue ORIGINS
			}
			return nil
		}
	}
	return errNoOrigin
}

func Each(clients []Client, visit func(Client) error) error {
CLIENTS:
	for _, client := range clients {
		for {
			if skip(client) {
				continue CLIENTS
			}
			if err := visit(client); err != nil {
				return err
			}
			break
		}
	}
	return nil
}
'''


def test_an_inner_loop_moving_to_the_next_replica_by_the_outer_label_on_a_failure_is_a_failover():
    got = _found(LABELLED_FAILOVER, "svc/origin/blobclient/cluster_client.go")
    assert (11, "retry", None) in got
    # a walk that skips some clients and stops at the first failure: no failover
    assert not [g for g in got if g[0] == 34]
