"""Round 22 (Go helper): shapes from the held-out sets atlantis, cerbos, synthetic-monitoring-agent,
playbook-dispatcher and AdGuard Home, each with its traps: a client's `Timeout` set on a local made by a
call named for a client, a pointer helper's argument (`pd(d)`, `ptr.To(d)`) as a field's default, an
`*conf.X` duration handed to a setter, hand-written retry loops counted down from a literal or a
parameter, numbered by a backoff's `Attempt()`, or waiting in a `select` before going round again, a
default set to a constant of another file, a module whose name has no dot, a clamped fill-in, an override
made only when a config switch is on, a shutdown context cancelled before the name is used again, and
test helpers in a file without the `_test.go` suffix."""

from __future__ import annotations

from pathlib import Path  # noqa: F401  (tmp_path fixtures are typed Path)

from contract_discovery.pipeline import scan
from tests.extractors.go.test_round18 import _scan


def _own(got: list[tuple], path: str) -> list[tuple]:
    return [g[1:] for g in got if g[0] == path]


# --- a client's Timeout set on a local made by a call named for a client -------------------------------

CLIENTS = '''package vcs

import (
	"context"
	"net/http"
	"time"
)

func NewAzure(token string) *http.Client {
	tp := BasicAuthTransport{Password: token}
	httpClient := tp.Client()
	httpClient.Timeout = time.Second * 10
	return httpClient
}

func openGS(ctx context.Context, conf *Conf) error {
	client, err := gcp.NewHTTPClient(gcp.DefaultTransport(), nil)
	if err != nil {
		return err
	}
	client.Timeout = *conf.RequestTimeout
	return nil
}

type settings struct{ Timeout int }

func (s *settings) Client(ctx context.Context) *settings { return s }

func traps(s *settings) {
	c := s.Client(context.Background())
	c.Timeout = 5
	cfg := loadConfig()
	cfg.Timeout = 5 * time.Second
	rc := redisClient()
	rc.Timeout = retries
}
'''


def test_timeout_on_a_client_made_by_a_client_call(tmp_path):
    got = _own(_scan(tmp_path, {"vcs/clients.go": CLIENTS}), "vcs/clients.go")
    assert (12, "timeout", 10000) in got
    assert any(line == 21 and kind == "timeout" for line, kind, _ in got)
    assert not [g for g in got if g[0] >= 30]  # a project type's Client(), a config, a count: none


# --- a pointer helper's argument as a field's default; `*conf.X` handed to a setter ----------------------

BLOB_CONF = '''package blob

import (
	"context"
	"time"
)

const (
	defaultDownloadTimeout = 60 * time.Second
	defaultRequestTimeout  = 5 * time.Second
)

type Conf struct {
	DownloadTimeout *time.Duration `yaml:"downloadTimeout,omitempty"`
	RequestTimeout  *time.Duration `yaml:"requestTimeout,omitempty"`
}

func pd(d time.Duration) *time.Duration {
	return &d
}

func (conf *Conf) SetDefaults() {
	if conf.RequestTimeout == nil {
		conf.RequestTimeout = pd(defaultRequestTimeout)
	}
	if conf.DownloadTimeout == nil {
		conf.DownloadTimeout = pd(defaultDownloadTimeout)
	}
}

func (conf *Conf) getCloneCtx(parent context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(parent, *conf.DownloadTimeout)
}
'''

BLOB_STORE = '''package blob

import (
	"context"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

func openS3(ctx context.Context, conf *Conf) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx)
	cfg.HTTPClient = awshttp.NewBuildableClient().WithTimeout(*conf.RequestTimeout)
	return s3.NewFromConfig(cfg)
}
'''

# the trap: a helper that returns the address of something else than its parameter
DOUBLED_CONF = BLOB_CONF.replace("func pd(d time.Duration) *time.Duration {\n\treturn &d\n}",
                                 "func pd(d time.Duration) *time.Duration {\n\tx := 2 * d\n\treturn &x\n}")


def test_pointer_helper_default_and_dereferenced_setter_argument(tmp_path):
    got = _scan(tmp_path, {"blob/conf.go": BLOB_CONF, "blob/store.go": BLOB_STORE})
    assert (32, "timeout", 60000) in _own(got, "blob/conf.go")
    assert (13, "timeout", 5000) in _own(got, "blob/store.go")


def test_a_helper_returning_another_address_gives_no_default(tmp_path):
    got = _own(_scan(tmp_path, {"blob/conf.go": DOUBLED_CONF}), "blob/conf.go")
    assert got == [(33, "timeout", None)]


# --- hand-written retry loops ---------------------------------------------------------------------------

LOOPS = '''package pusher

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/jpillora/backoff"
)

type Client struct {
	http          *http.Client
	StatusRetries bool
}

func (c *Client) push(req *http.Request) error {
	for retry := 2; retry > 0; retry-- {
		resp, err := c.http.Do(req)
		if err != nil {
			return err
		}
		if resp.StatusCode == http.StatusUnauthorized {
			continue
		}
		return nil
	}
	return errors.New("exhausted")
}

func (c *Client) countdown(req *http.Request) {
	for i := 3; i > 0; i-- {
		c.http.Do(req)
	}
}

func (c *Client) update(req *http.Request, interval time.Duration) error {
	maxAttempts := 2
	if c.StatusRetries {
		maxAttempts = 5
	}
	retryer := &backoff.Backoff{Jitter: true, Max: interval}
	for {
		attempt := int(retryer.Attempt()) + 1
		_, err := c.http.Do(req)
		if err == nil {
			return nil
		}
		if attempt == maxAttempts {
			return err
		}
		time.Sleep(retryer.Duration())
	}
}

func (c *Client) report(ctx context.Context, req *http.Request) {
	wait := time.Second
	for {
		err := func() error {
			reqCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			_, err := c.http.Do(req.WithContext(reqCtx))
			return err
		}()
		if err != nil {
			select {
			case <-ctx.Done():
				return
			case <-time.After(wait):
				wait = min(wait*2, time.Minute)
				continue
			}
		}
		return
	}
}

func (c *Client) ticks(ctx context.Context) {
	for {
		c.flush()
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
			continue
		}
	}
}

func (c *Client) flush() {}
'''


def test_hand_written_retry_loops(tmp_path):
    got = _own(_scan(tmp_path, {"pusher/loops.go": LOOPS}), "pusher/loops.go")
    retries = [(line, value) for line, kind, value in got if kind == "retry"]
    assert (18, 2) in retries  # `for retry := 2; retry > 0; retry--`
    assert (43, 2) in retries  # numbered by Attempt() + 1, the value chosen before the switch's override
    assert (58, None) in retries  # waits in a select, then goes round again: unbounded
    assert not [r for r in retries if r[0] in (32, 79)]  # a countdown of something else; a ticking flush


HELPER = '''package utils

import "net/http"

type Doer interface {
	Do(req *http.Request) (*http.Response, error)
}

func DoGetWithRetry(client Doer, url string, retries int) (resp *http.Response, err error) {
	for ; retries > 0; retries-- {
		resp, err = doGet(client, url)
		if err == nil {
			break
		}
	}
	return
}

func Drain(client Doer, url string, n int) {
	for ; n > 0; n-- {
		doGet(client, url)
	}
}

func doGet(client Doer, url string) (*http.Response, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	return client.Do(req)
}
'''

CALLER = '''package validator

import (
	"playbook-dispatcher/internal/common/utils"
)

type storage struct {
	client utils.Doer
}

func (s *storage) fetch(url string) error {
	_, err := utils.DoGetWithRetry(s.client, url, 3)
	utils.Drain(s.client, url, 4)
	return err
}
'''


def _scan_module(tmp_path, module: str, files: dict[str, str]) -> list[tuple]:
    svc = tmp_path / "svc"
    for rel, text in files.items():
        target = svc / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    (svc / "go.mod").write_text(f"module {module}\n\ngo 1.22\n")
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    return sorted((f.path.split("/", 1)[1], f.line, f.kind,
                   f.attributes.get("timeout_ms", f.attributes.get("max_attempts")))
                  for f in result.findings if f.kind in ("timeout", "retry"))


def test_parameter_counted_down_in_a_module_without_a_dot(tmp_path):
    got = _scan_module(tmp_path, "playbook-dispatcher", {"internal/common/utils/http.go": HELPER,
                                                          "internal/validator/storage.go": CALLER})
    assert ("internal/validator/storage.go", 12, "retry", 3) in got
    assert not [g for g in got if g[0] == "internal/common/utils/http.go"]  # the helper only forwards
    assert not [g for g in got if g[1] == 13]  # a count named for nothing tried


# --- defaults: a constant of another file, a clamped fill-in, an override behind a switch -----------------

DNS_CONST = '''package dnsforward

const pageSize = 100
'''

DNS_CONFIG = '''package dnsforward

import "time"

type ServerConfig struct {
	UpstreamTimeout time.Duration
	PageSize        int
}

type Server struct {
	conf ServerConfig
}

func (s *Server) initDefaultSettings() {
	if s.conf.UpstreamTimeout == 0 {
		s.conf.UpstreamTimeout = DefaultTimeout
	}
	if s.conf.PageSize == 0 {
		s.conf.PageSize = pageSize
	}
}
'''

DNS_USE = '''package dnsforward

import (
	"time"

	"github.com/AdguardTeam/dnsproxy/proxy"
	"github.com/AdguardTeam/dnsproxy/upstream"
)

// DefaultTimeout is the default upstream timeout
const DefaultTimeout = 10 * time.Second

func (s *Server) prepare(upstreams []string) (*proxy.UpstreamConfig, error) {
	return proxy.ParseUpstreamsConfig(upstreams, &upstream.Options{
		Bootstrap:  nil,
		Timeout:    s.conf.UpstreamTimeout,
		PreferIPv6: true,
	})
}
'''


def test_default_filled_with_a_constant_of_another_file(tmp_path):
    # (the const beside its use, the fill-in in the file of the defaults, as AdGuard Home has them; a third
    # file reading the field is not valued yet: dnsforward/http.go:735)
    got = _scan(tmp_path, {"dns/const.go": DNS_CONST, "dns/config.go": DNS_CONFIG, "dns/dnsforward.go": DNS_USE})
    assert _own(got, "dns/dnsforward.go") == [(16, "timeout", 10000)]


RBAC = '''package kessel

import (
	"context"
	"net/http"
	"time"
)

const (
	DefaultTokenTimeout    = 3 * time.Second
	MinTokenTimeout        = 1 * time.Second
	DefaultTokenMaxRetries = 2
)

type Config struct {
	TokenTimeout       time.Duration
	TokenMaxRetries    int
	TokenMaxRetriesSet bool
}

type rbacClient struct {
	client          *http.Client
	tokenTimeout    time.Duration
	tokenMaxRetries int
}

func NewRbacClient(timeout time.Duration, cfg Config) *rbacClient {
	tokenTimeout := cfg.TokenTimeout
	if tokenTimeout <= 0 {
		tokenTimeout = DefaultTokenTimeout
	} else if tokenTimeout < MinTokenTimeout {
		tokenTimeout = MinTokenTimeout
	} else if tokenTimeout > timeout {
		tokenTimeout = timeout
	}
	tokenMaxRetries := DefaultTokenMaxRetries
	if cfg.TokenMaxRetriesSet {
		if cfg.TokenMaxRetries < 0 {
			tokenMaxRetries = DefaultTokenMaxRetries
		} else {
			tokenMaxRetries = cfg.TokenMaxRetries
		}
	}
	return &rbacClient{
		client:          &http.Client{Timeout: timeout},
		tokenTimeout:    tokenTimeout,
		tokenMaxRetries: tokenMaxRetries,
	}
}
'''

TOKEN = '''package kessel

import (
	"context"
	"time"
)

func (r *rbacClient) acquire(ctx context.Context) (string, error) {
	var err error
	for tokenAttempt := 0; tokenAttempt <= r.tokenMaxRetries; tokenAttempt++ {
		tokenCtx, cancel := context.WithTimeout(ctx, r.tokenTimeout)
		token, e := r.fetch(tokenCtx)
		cancel()
		if e == nil {
			return token, nil
		}
		err = e
		time.Sleep(100 * time.Millisecond)
	}
	return "", err
}

func (r *rbacClient) fetch(ctx context.Context) (string, error) { return "", nil }
'''


def test_clamped_fill_in_and_an_override_behind_a_switch(tmp_path):
    got = _own(_scan(tmp_path, {"kessel/rbac.go": RBAC, "kessel/token.go": TOKEN}), "kessel/token.go")
    assert (10, "retry", 3) in got  # DefaultTokenMaxRetries 2 (the switch off) + the first try
    assert (11, "timeout", 3000) in got  # unset: DefaultTokenTimeout, the clamps apply to a value given


# --- contexts that bound no call; test helpers -----------------------------------------------------------

WEB = '''package home

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

const shutdownTimeout = 5 * time.Second

type auth struct{}

func (a *auth) close(ctx context.Context) {}

type webAPI struct {
	server *http.Server
	auth   *auth
	logger *slog.Logger
	client *http.Client
}

func shutdownSrv(ctx context.Context, srv *http.Server) {
	_ = srv.Shutdown(ctx)
}

func (web *webAPI) reconfigure(ctx context.Context) {
	if web.server != nil {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, shutdownTimeout)
		shutdownSrv(ctx, web.server)

		cancel()
	}
	web.start(ctx)
}

func (web *webAPI) close(ctx context.Context) {
	var cancel context.CancelFunc
	ctx, cancel = context.WithTimeout(ctx, shutdownTimeout)
	defer cancel()

	shutdownSrv(ctx, web.server)
	if web.auth != nil {
		web.auth.close(ctx)
	}
	web.logger.InfoContext(ctx, "stopped http server")
}

func (web *webAPI) fetch(ctx context.Context, req *http.Request) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	web.client.Do(req.WithContext(ctx))
	cancel()
	web.start(ctx)
}

func (web *webAPI) start(ctx context.Context) {}
'''


def test_shutdown_contexts_and_a_cancelled_name(tmp_path):
    got = _own(_scan(tmp_path, {"home/web.go": WEB}), "home/web.go")
    assert got == [(51, "timeout", 3000)]  # the request's bound stays; the shutdown budgets are no calls


TESTS_HELPER = '''package blob

import (
	"context"
	"net/http"
	"testing"
	"time"
)

func StartServer(t *testing.T, c *http.Client, req *http.Request) {
	ctx, cancel := context.WithTimeout(t.Context(), 1*time.Second)
	defer cancel()
	c.Do(req.WithContext(ctx))
}

func Fetch(ctx context.Context, c *http.Client, req *http.Request) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	c.Do(req.WithContext(ctx))
}
'''


def test_test_helpers_outside_test_files(tmp_path):
    got = _own(_scan(tmp_path, {"blob/tests.go": TESTS_HELPER}), "blob/tests.go")
    assert got == [(17, "timeout", 2000)]


# --- a function answering one of two values by a bool; a deadline on a remote result ---------------------

RAY = '''package utils

import (
	"net/http"
	"time"
)

const (
	RayHTTPClientProxyTimeoutSeconds  = 30
	RayHTTPClientDirectTimeoutSeconds = 2
)

func rayHTTPClientTimeout(useKubernetesProxy bool) time.Duration {
	if useKubernetesProxy {
		return RayHTTPClientProxyTimeoutSeconds * time.Second
	}
	return RayHTTPClientDirectTimeoutSeconds * time.Second
}

func pageSize(big bool, n int) int {
	if big {
		return 100 * n
	}
	return 10
}

func NewDashboardClient(useKubernetesProxy bool) *http.Client {
	return &http.Client{
		Timeout: rayHTTPClientTimeout(useKubernetesProxy),
	}
}

func NewProxiedClient() *http.Client {
	return &http.Client{
		Timeout: rayHTTPClientTimeout(true),
	}
}
'''


def test_a_function_answering_by_a_switch(tmp_path):
    got = _own(_scan(tmp_path, {"utils/util.go": RAY}), "utils/util.go")
    assert (29, "timeout", 2000) in got  # the switch not known: off, the default branch
    assert (35, "timeout", 30000) in got  # `true` given: the other branch


POLL = '''package gitlab

import (
	"fmt"
	"time"

	gitlab "gitlab.com/gitlab-org/api/client-go"
)

type Client struct {
	Client          *gitlab.Client
	PollingInterval time.Duration
	PollingTimeout  time.Duration
	locks           *Locker
}

func New() *Client {
	return &Client{PollingInterval: time.Second, PollingTimeout: time.Second * 30}
}

func (g *Client) changes(repo string, num int) (*gitlab.MergeRequest, error) {
	pollingStart := time.Now()
	for {
		mr, _, err := g.Client.MergeRequests.GetMergeRequest(repo, num, nil)
		if err != nil {
			return nil, err
		}
		if mr.ChangesCount != "" {
			return mr, nil
		}
		if time.Since(pollingStart) > g.PollingTimeout {
			return nil, fmt.Errorf("giving up polling")
		}
		time.Sleep(g.PollingInterval)
	}
}

func (g *Client) lock(key string) error {
	start := time.Now()
	for {
		held, err := g.locks.TryLock(key)
		if err != nil {
			return err
		}
		if held.Acquired {
			return nil
		}
		if time.Since(start) > g.PollingTimeout {
			return fmt.Errorf("lock wait")
		}
		time.Sleep(g.PollingInterval)
	}
}
'''


def test_deadline_on_a_remote_result(tmp_path):
    got = _own(_scan(tmp_path, {"gitlab/client.go": POLL}), "gitlab/client.go")
    assert (31, "timeout", 30000) in got  # a bounded wait for the MR's computed changes
    assert not [g for g in got if g[0] == 48]  # a lock's wait: no remote result asked for


# --- a custom pflag.Value's default (rekor) --------------------------------------------------------------

REKOR_ROOT = '''package app

import (
	"fmt"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

const DefaultRetryCount = 3

var rootCmd = &cobra.Command{Use: "rekor-cli"}

func NewFlagValue(flagType string, defaultVal string) pflag.Value { return nil }

func init() {
	rootCmd.PersistentFlags().Var(NewFlagValue("timeout", "30s"), "timeout", "HTTP timeout")
	rootCmd.PersistentFlags().Var(NewFlagValue("uint", fmt.Sprintf("%d", DefaultRetryCount)), "retry", "Number of times to retry HTTP requests")
	rootCmd.PersistentFlags().Var(NewFlagValue("format", "json"), "format", "Output format")
}
'''

REKOR_GET = '''package app

import (
	"net/http"

	"github.com/spf13/viper"
)

func get(req *http.Request) error {
	client := &http.Client{Timeout: viper.GetDuration("timeout")}
	_, err := client.Do(req)
	return err
}
'''


def test_custom_flag_value_default(tmp_path):
    got = _own(_scan(tmp_path, {"app/root.go": REKOR_ROOT, "app/get.go": REKOR_GET}), "app/get.go")
    assert got == [(10, "timeout", 30000)]


# --- a package variable of the package's own config type, filled by another package (sftpgo) --------------

HTTPCLIENT = '''package httpclient

import (
	"net/http"
	"time"
)

type Config struct {
	Timeout  float64 `json:"timeout" mapstructure:"timeout"`
	RetryMax int     `json:"retry_max" mapstructure:"retry_max"`
}

var httpConfig Config

func (c *Config) Initialize() error {
	httpConfig = *c
	return nil
}

func GetHTTPClient() *http.Client {
	return &http.Client{
		Timeout: time.Duration(httpConfig.Timeout * float64(time.Second)),
	}
}
'''

HTTPCLIENT_DEFAULTS = '''package config

import "example.com/svc/internal/httpclient"

type globalConfig struct {
	HTTPConfig httpclient.Config `json:"http" mapstructure:"http"`
}

var globalConf globalConfig

func Init() {
	globalConf = globalConfig{
		HTTPConfig: httpclient.Config{
			Timeout:  20,
			RetryMax: 3,
		},
	}
}
'''


def test_package_variable_of_own_config_type_filled_elsewhere(tmp_path):
    got = _scan(tmp_path, {"internal/httpclient/httpclient.go": HTTPCLIENT, "internal/config/config.go": HTTPCLIENT_DEFAULTS})
    assert _own(got, "internal/httpclient/httpclient.go") == [(22, "timeout", 20000)]


# --- a library's attempts-named field that counts retries (cerbos cloud-api) --------------------------

CLOUD_API = '''package hub

import (
	"time"

	"github.com/cerbos/cloud-api/base"
	"github.com/cerbos/cloud-api/hub"
)

func Get(numRetries uint) (*hub.Hub, error) {
	return hub.Get(base.ClientConf{
		RetryWaitMin:     time.Second,
		RetryMaxAttempts: 5,
	})
}
'''

OTHER_CLIENT = '''package other

import "github.com/example/sdk/client"

var conf = client.Options{RetryMaxAttempts: 5}
'''


def test_retries_named_as_attempts_in_cloud_api(tmp_path):
    got = _scan(tmp_path, {"hub/hub.go": CLOUD_API, "other/other.go": OTHER_CLIENT})
    assert _own(got, "hub/hub.go") == [(13, "retry", 6)]
    assert _own(got, "other/other.go") == [(5, "retry", 5)]


# --- a select-only retry loop counted by its header (round 21's request) --------------------------------

SELECT_LOOPS = '''package worker

import (
	"context"
	"errors"
	"net/http"
	"time"
)

func send(ctx context.Context, c *http.Client, req *http.Request) error {
	for i := 0; ; i++ {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Second):
			if _, err := c.Do(req); err == nil {
				return nil
			}
			if i >= 4 {
				return errors.New("gave up")
			}
		}
	}
}

func pages(c *http.Client, req *http.Request) error {
	for i := 0; ; i++ {
		resp, err := c.Do(req)
		if err != nil {
			return err
		}
		if resp.Header.Get("Link") == "" {
			return nil
		}
		if i >= 10 {
			return nil
		}
	}
}
'''


def test_select_only_retry_loop_counted_by_its_header(tmp_path):
    got = _own(_scan(tmp_path, {"worker/send.go": SELECT_LOOPS}), "worker/send.go")
    assert (11, "retry", 5) in got  # i = 0..4: five tries
    assert not [g for g in got if g[0] == 27]  # paging through results, no wait, no retry
