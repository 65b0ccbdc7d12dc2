"""Round 21 (Go helper): values through a project's own layers and its own retry helpers, from the held-out
sets netbird, rekor, goalert and argo-events, each with its traps: a package function answering a setting
or its fallback (netbird's idpTimeout()), an options object's default made by a function of another file
(rekor's makeOptions), a project option bounding a retry helper's attempts (goalert's retry.Limit(n), also
through a helper handing it its own parameter), a project retry loop run by the backoff policy its caller
hands in (netbird's nbgrpc.Retry: the loop a forwarder, the calls the retries) and a retry helper handed a
policy struct that it defaults when nil (argo-events' DoWithRetry: rule a at the helper, its Steps or the
default at each call)."""

from __future__ import annotations

from pathlib import Path  # noqa: F401  (tmp_path fixtures are typed Path)

from tests.extractors.go.test_round18 import _scan


def _own(got: list[tuple], path: str) -> list[tuple]:
    return [g[1:] for g in got if g[0] == path]


# --- a package function answering a setting or its fallback (netbird's idpTimeout) -----------------------

IDP_UTIL = '''package idp

import (
	"os"
	"time"
)

const (
	idpTimeoutEnv  = "NB_IDP_TIMEOUT"
	defaultTimeout = 10 * time.Second
)

func idpTimeout() time.Duration {
	timeoutStr, ok := os.LookupEnv(idpTimeoutEnv)
	if !ok || timeoutStr == "" {
		return defaultTimeout
	}
	timeout, err := time.ParseDuration(timeoutStr)
	if err != nil {
		return defaultTimeout
	}
	return timeout
}

// pageSize is no bound: not read as one
func pageSize() int {
	v, err := strconv.Atoi(os.Getenv("PAGE"))
	if err != nil {
		return 100
	}
	return v
}

// a computed answer that is no fallback
func requestTimeout() time.Duration {
	return time.Duration(len(os.Getenv("X"))) * time.Second
}
'''

IDP_OKTA = '''package idp

import "net/http"

func NewOkta() *http.Client {
	return &http.Client{
		Timeout: idpTimeout(),
	}
}

func NewOther() *http.Client {
	return &http.Client{
		Timeout: requestTimeout(),
	}
}
'''


def test_a_package_function_answering_an_env_setting_or_its_fallback_values_the_client(tmp_path):
    got = _scan(tmp_path, {"idp/util.go": IDP_UTIL, "idp/okta.go": IDP_OKTA})
    okta = _own(got, "idp/okta.go")
    assert (7, "timeout", 10000) in okta
    # requestTimeout() answers no constant while a setting is unset: no value
    assert (13, "timeout", None) in okta


def test_a_function_that_is_no_fallback_getter_publishes_nothing():
    from extractors.go.extractor import symbols_of
    from extractors.go.gofile import GoFile
    symbols = symbols_of(GoFile("idp/util.go", IDP_UTIL.encode()))
    assert "$getter.idpTimeout" in symbols
    assert "$getter.pageSize" not in symbols  # not named for a bound
    assert "$getter.requestTimeout" not in symbols  # no fallback constant


# --- a project option bounding a retry helper's attempts (goalert's retry.Limit) -------------------------

RETRY_PKG = '''package retry

import "time"

type Option func(int, error) bool

func Do(fn func(attempt int) (bool, error), opts ...Option) error {
	var n int
	var err error
	var retry bool
	var opt Option
	for {
		for _, opt = range opts {
			if !opt(n, err) {
				return err
			}
		}
		retry, err = fn(n)
		if !retry {
			return err
		}
		n++
	}
}

func Limit(n int) Option {
	return func(a int, _ error) bool {
		return a < n
	}
}

func LimitInclusive(n int) Option {
	return func(a int, _ error) bool { return n >= a }
}

func FibBackoff(d time.Duration) Option {
	return func(a int, _ error) bool {
		time.Sleep(d)
		return true
	}
}

// a page size option, no bound on tries
func PageSize(n int) Option {
	return func(a int, _ error) bool { return true }
}
'''

RETRY_CALLERS = '''package handler

import (
	"time"

	"example.com/svc/retry"
)

func (h *Handler) create(ctx context.Context) error {
	err := retry.Do(func(int) (bool, error) {
		return true, h.store.Create(ctx)
	},
		retry.Limit(10),
		retry.FibBackoff(time.Second),
	)
	if err != nil {
		return err
	}
	opts := []retry.Option{
		retry.LimitInclusive(4),
		retry.FibBackoff(time.Second),
	}
	_ = retry.Do(func(int) (bool, error) { return true, h.a() }, opts...)
	_ = retry.Do(func(int) (bool, error) { return true, h.b() }, opts...)
	_ = retry.Do(func(int) (bool, error) { return true, h.c() }, retry.PageSize(50))
	limit := retry.Limit(3)
	_ = limit
	return retry.Do(func(int) (bool, error) { return true, h.d() }, retry.Limit(h.cfg.Retries))
}
'''


RETRY_WRAP = '''package retry

import (
	"context"
	"time"
)

func Wrap(fn func(context.Context, string) error, attempts int, backoff time.Duration) func(context.Context, string) error {
	return func(ctx context.Context, a string) error {
		return Do(func(int) (bool, error) {
			err := fn(ctx, a)
			return err != nil, err
		},
			Limit(attempts),
			FibBackoff(backoff),
		)
	}
}
'''

RETRY_WRAP_CALLER = '''package sqldrv

import (
	"net"
	"time"

	"example.com/svc/retry"
)

func SetConfigRetries(cfg *Config) {
	cfg.LookupFunc = retry.Wrap(lookup, 12, 100*time.Millisecond)
}
'''


def test_a_helper_handing_its_parameter_to_the_option_is_bounded_by_its_callers(tmp_path):
    got = _scan(tmp_path, {"retry/retry.go": RETRY_PKG, "retry/wrap.go": RETRY_WRAP,
                           "sqldrv/sqldrv.go": RETRY_WRAP_CALLER})
    assert ("retry", 12) in [g[1:3] for g in _own(got, "sqldrv/sqldrv.go") if g[0] == 11]
    # Wrap's own Do(...) forwards `attempts`: no finding there (its callers hold the bound)
    assert not [g for g in _own(got, "retry/wrap.go") if g[1] == "retry"]


def test_a_project_attempt_limit_option_is_a_retry_at_the_call_it_is_handed_to(tmp_path):
    got = _scan(tmp_path, {"retry/retry.go": RETRY_PKG, "handler/handler.go": RETRY_CALLERS})
    handler = _own(got, "handler/handler.go")
    assert (10, "retry", 10) in handler  # at retry.Do(, the helper call holding retry.Limit(10)
    assert (19, "retry", 5) in handler  # an options list used twice: at its definition (n >= a: n + 1)
    assert (28, "retry", None) in handler  # a config field without default
    assert not [g for g in handler if g[0] in (13, 20, 23, 24, 25, 26)]  # the options themselves, PageSize,
    # an option made and never handed on
    # Do's own loop stops when an option handed in says so: its callers' bound, no finding of its own
    assert not [g for g in _own(got, "retry/retry.go") if g[1] == "retry"]


# --- a project retry loop run by the backoff policy its caller hands in (netbird's nbgrpc.Retry) ----------

POLICY_LOOP = '''package nbgrpc

import (
	"context"
	"time"

	"github.com/cenkalti/backoff/v4"
)

func Retry(ctx context.Context, operation backoff.Operation, bo backoff.BackOff) error {
	bo.Reset()
	for {
		err := operation()
		if err == nil {
			return nil
		}
		next := bo.NextBackOff()
		if next == backoff.Stop {
			return err
		}
		time.Sleep(next)
	}
}

func connectOwn(ctx context.Context, operation backoff.Operation) error {
	b := backoff.NewExponentialBackOff()
	for {
		err := operation()
		if err == nil {
			return nil
		}
		next := b.NextBackOff()
		if next == backoff.Stop {
			return err
		}
		time.Sleep(next)
	}
}
'''

POLICY_CALLER = '''package client

import (
	"context"

	"example.com/svc/nbgrpc"
)

func (c *Client) Sync(ctx context.Context) error {
	operation := func() error { return c.stream(ctx) }
	return nbgrpc.Retry(ctx, operation, c.backoff(ctx))
}

func (c *Client) Other(ctx context.Context) error {
	return nbgrpc.Connect(ctx, c.addr, c.backoff(ctx))
}
'''


def test_a_retry_loop_run_by_a_handed_in_policy_is_its_callers_retry(tmp_path):
    got = _scan(tmp_path, {"nbgrpc/retry.go": POLICY_LOOP, "client/client.go": POLICY_CALLER})
    own = _own(got, "nbgrpc/retry.go")
    assert not [g for g in own if g[0] == 12]  # the handed-in policy's loop: a forwarder
    assert (27, "retry", None) in own  # a loop on its own policy stays
    caller = _own(got, "client/client.go")
    assert (11, "retry", None) in caller  # at the call handing the policy
    assert not [g for g in caller if g[0] == 15]  # a helper that publishes nothing


# --- a project retry helper handed a policy struct, defaulted when nil (argo-events' DoWithRetry) ---------

POLICY_UTIL = '''package sharedutil

import (
	"fmt"
	"time"

	"k8s.io/apimachinery/pkg/util/wait"

	aev1 "example.com/svc/apis"
)

var (
	defaultDuration = aev1.FromString("1s")

	DefaultBackoff = aev1.Backoff{
		Steps:    5,
		Duration: &defaultDuration,
	}
)

func Convert2WaitBackoff(backoff *aev1.Backoff) (*wait.Backoff, error) {
	result := wait.Backoff{}
	if backoff.Steps > 0 {
		result.Steps = backoff.GetSteps()
	} else {
		result.Steps = int(DefaultBackoff.Steps)
	}
	return &result, nil
}

func DoWithRetry(backoff *aev1.Backoff, f func() error) error {
	if backoff == nil {
		backoff = &DefaultBackoff
	}
	b, err := Convert2WaitBackoff(backoff)
	if err != nil {
		return fmt.Errorf("invalid backoff configuration, %w", err)
	}
	_ = wait.ExponentialBackoff(*b, func() (bool, error) {
		if err = f(); err != nil {
			return false, nil
		}
		return true, nil
	})
	return err
}

// a helper without a nil default: its callers' policies only
func DoEach(backoff *aev1.Backoff, f func() error) error {
	b, _ := Convert2WaitBackoff(backoff)
	return wait.ExponentialBackoff(*b, func() (bool, error) { return f() == nil, nil })
}
'''

POLICY_CALLERS = '''package sensors

import (
	"context"

	"k8s.io/apimachinery/pkg/util/wait"

	aev1 "example.com/svc/apis"
	"example.com/svc/sharedutil"
)

func (s *Sensor) listen(ctx context.Context, trigger aev1.Trigger) error {
	err := sharedutil.DoWithRetry(&sharedutil.DefaultBackoff, func() error {
		return s.bus.Initialize()
	})
	_ = sharedutil.DoWithRetry(nil, func() error { return s.bus.Connect() })
	retryStrategy := trigger.RetryStrategy
	if retryStrategy == nil {
		retryStrategy = &aev1.Backoff{Steps: 1}
	}
	_ = sharedutil.DoWithRetry(retryStrategy, func() error { return s.fire(ctx) })
	backoff := aev1.Backoff{Steps: 10}
	_ = sharedutil.DoWithRetry(&backoff, func() error { return s.listenOnce(ctx) })
	_ = sharedutil.DoWithRetry(s.spec.ConnectionBackoff, func() error { return s.dial() })
	_ = sharedutil.DoEach(&backoff, func() error { return s.dial() })
	waited, _ := sharedutil.Convert2WaitBackoff(&sharedutil.DefaultBackoff)
	_ = wait.ExponentialBackoff(*waited, func() (bool, error) { return s.ready(), nil })
	return err
}
'''


def test_a_retry_helper_handed_a_policy_struct_takes_its_steps_or_its_nil_default(tmp_path):
    got = _scan(tmp_path, {"sharedutil/retry.go": POLICY_UTIL, "sensors/listener.go": POLICY_CALLERS})
    util = _own(got, "sharedutil/retry.go")
    assert (39, "retry", 5) in util  # rule (a): the helper's own wait.ExponentialBackoff with its nil default
    assert not [g for g in util if g[0] == 51]  # DoEach has no default: its callers' policy, no value of its own
    callers = _own(got, "sensors/listener.go")
    assert (13, "retry", 5) in callers  # &sharedutil.DefaultBackoff
    assert (16, "retry", 5) in callers  # nil: the helper's default
    assert (21, "retry", 1) in callers  # the local default a nil strategy is given
    assert (23, "retry", 10) in callers  # a literal of the function
    assert (24, "retry", 5) in callers  # a spec's policy left unset: the default
    assert not [g for g in callers if g[0] == 25]  # DoEach publishes nothing
    assert (27, "retry", 5) in callers  # a library retry of a policy converted from the package variable



# --- an options object's default, made by a function of another file (rekor's makeOptions) ---------------

OPTIONS_GO = '''package client

const DefaultRetryCount = 3

type options struct {
	UserAgent  string
	RetryCount uint
}

type Option func(*options)

func makeOptions(opts ...Option) *options {
	o := &options{
		UserAgent:  "",
		RetryCount: DefaultRetryCount,
	}
	for _, opt := range opts {
		opt(o)
	}
	return o
}

func WithRetryCount(n uint) Option { return func(o *options) { o.RetryCount = n } }
'''

CLIENT_GO = '''package client

import retryablehttp "github.com/hashicorp/go-retryablehttp"

func GetClient(url string, opts ...Option) *retryablehttp.Client {
	o := makeOptions(opts...)
	c := retryablehttp.NewClient()
	c.RetryMax = int(o.RetryCount)
	return c
}

func GetOther(url string, build func() *options) *retryablehttp.Client {
	o := build()
	c := retryablehttp.NewClient()
	c.RetryMax = int(o.RetryCount)
	return c
}
'''


def test_an_options_object_default_made_in_another_file_values_the_setting(tmp_path):
    got = _own(_scan(tmp_path, {"client/options.go": OPTIONS_GO, "client/client.go": CLIENT_GO}), "client/client.go")
    assert (8, "retry", 4) in got  # RetryMax 3 retries: 4 tries
    assert (15, "retry", None) in got  # an object made by a func value: unknown
