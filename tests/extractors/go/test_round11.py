"""Round 11 (held-out sets redpanda-console, aws-ebs-csi-driver, nats-surveyor, stickerlandia-award,
flux-notification-controller, keda-http-add-on): config defaults reached through other packages' types
and viper keys, sarama and aws-sdk-go-v2 options, retry loops that exit through their condition or
on a named error, replies gathered after a publish, helpers kept in a local, kmsg request timeouts,
and the traps beside each."""

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


CONNECT_CONFIG = '''package config

import "time"

type KafkaConnect struct {
	Enabled        bool
	ReadTimeout    time.Duration `yaml:"readTimeout"`
	RequestTimeout time.Duration `yaml:"requestTimeout"`
}

func (c *KafkaConnect) SetDefaults() {
	c.ReadTimeout = 6 * time.Second
	c.RequestTimeout = 7 * time.Second
}
'''

CONNECT_SERVICE = '''package connect

import "example.com/svc/config"

type Service struct {
	Cfg config.KafkaConnect
}
'''

CONNECT_HANDLER = '''package api

import (
	"context"
	"net/http"

	"example.com/svc/connect"
)

type API struct {
	ConnectSvc *connect.Service
	client     *http.Client
}

func (api *API) handle(r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), api.ConnectSvc.Cfg.RequestTimeout)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", "http://connect:8083/connectors", nil)
	_, err := api.client.Do(req)
	return err
}
'''


def test_a_field_reached_through_types_of_other_packages_takes_the_one_default_of_its_name(tmp_path: Path) -> None:
    """`api.ConnectSvc.Cfg.RequestTimeout` (Redpanda Console's Kafka Connect handlers): the types on the
    way are declared in two other packages; `SetDefaults` gives RequestTimeout 7 s, the only default a
    field of that name has in the service."""
    got = _scan(tmp_path, {"config/connect.go": CONNECT_CONFIG, "connect/service.go": CONNECT_SERVICE,
                           "api/handle.go": CONNECT_HANDLER})
    assert ("api/handle.go", 16, "timeout", 7000) in got


def test_two_different_defaults_of_a_field_name_give_no_value(tmp_path: Path) -> None:
    other = '''package other

import "time"

type Limits struct {
	RequestTimeout time.Duration
}

func (l *Limits) SetDefaults() {
	l.RequestTimeout = 9 * time.Second
}
'''
    got = _scan(tmp_path, {"config/connect.go": CONNECT_CONFIG, "connect/service.go": CONNECT_SERVICE,
                           "api/handle.go": CONNECT_HANDLER, "other/limits.go": other})
    assert ("api/handle.go", 16, "timeout", None) in got


def test_a_local_built_from_a_known_type_does_not_borrow_another_types_default(tmp_path: Path) -> None:
    """`cfg := &ClientOptions{}` then `rpadmin.MaxRetries(cfg.MaxRetries)`: ClientOptions has no default
    for MaxRetries; the startup options' `MaxRetries = 5` elsewhere is another field."""
    startup = '''package config

type Startup struct {
	MaxRetries int
}

func (s *Startup) SetDefaults() {
	s.MaxRetries = 5
}
'''
    factory = '''package factory

import "github.com/redpanda-data/common-go/rpadmin"

type ClientOptions struct {
	MaxRetries int
}

func build(opts ...func(*ClientOptions)) []rpadmin.Opt {
	cfg := &ClientOptions{}
	for _, o := range opts {
		o(cfg)
	}
	return []rpadmin.Opt{rpadmin.MaxRetries(cfg.MaxRetries)}
}
'''
    got = _scan(tmp_path, {"config/startup.go": startup, "factory/client.go": factory})
    assert [g for g in got if g[0] == "factory/client.go"] == [("factory/client.go", 14, "retry", None)]


VIPER_CONFIG = '''package config

import "github.com/spf13/viper"

type Config struct {
	Kafka     KafkaConfig     `mapstructure:"kafka"`
	Catalogue CatalogueConfig `mapstructure:"catalogue"`
}

type KafkaConfig struct {
	ProducerTimeout int `mapstructure:"producer_timeout"`
	ProducerRetries int `mapstructure:"producer_retries"`
}

type CatalogueConfig struct {
	BaseURL string `mapstructure:"base_url"`
	Timeout int    `mapstructure:"timeout"`
}

func Load() (*Config, error) {
	viper.SetDefault("kafka.producer_timeout", 5000)
	viper.SetDefault("kafka.producer_retries", 3)
	viper.SetDefault("catalogue.timeout", 30)
	var c Config
	err := viper.Unmarshal(&c)
	return &c, err
}
'''

SARAMA = '''package kafka

import (
	"time"

	"github.com/IBM/sarama"
	"example.com/svc/config"
)

func ConfigureProducer(config *sarama.Config, cfg *config.KafkaConfig) {
	config.Producer.Return.Successes = true
	config.Producer.Retry.Max = cfg.ProducerRetries
	config.Producer.Timeout = time.Duration(cfg.ProducerTimeout) * time.Millisecond
	config.Net.WriteTimeout = 10 * time.Second
}

func apply(settings *config.Config, d time.Duration) {
	settings.Kafka.ProducerTimeoutSetting = d
	settings.Catalogue.RequestTimeout = d
}
'''


def test_sarama_options_of_a_parameter_take_the_viper_defaults_of_their_keys(tmp_path: Path) -> None:
    """Stickerlandia: `ConfigureProducer(config *sarama.Config, cfg *config.KafkaConfig)` sets the
    producer's retries and timeout from fields whose mapstructure keys viper.SetDefault gives 3 and
    5000 (ms); the write timeout is a setting too. The service's own settings handed in as a
    parameter (`settings *config.Config`, tg-spam's form handler) are no client's options."""
    got = _scan(tmp_path, {"config/config.go": VIPER_CONFIG, "kafka/config.go": SARAMA})
    assert [g for g in got if g[0] == "kafka/config.go"] == [
        ("kafka/config.go", 12, "retry", 4), ("kafka/config.go", 13, "timeout", 5000),
        ("kafka/config.go", 14, "timeout", 10000)]


def test_a_setting_scaled_to_a_duration_is_handed_to_a_helper_of_another_package(tmp_path: Path) -> None:
    """`catalogue.NewClient(cfg.Catalogue.BaseURL, time.Duration(cfg.Catalogue.Timeout)*time.Second)`
    with NewClient forwarding its parameter to http.Client.Timeout: the call holds the contract, 30 s
    from viper's default. A local computed from a setting (`hard := ...`) is not proposed."""
    client = '''package catalogue

import (
	"net/http"
	"time"
)

type Client struct{ http *http.Client }

func NewClient(baseURL string, timeout time.Duration) *Client {
	return &Client{http: wrap(&http.Client{Timeout: timeout})}
}

func wrap(c *http.Client) *http.Client { return c }

func (c *Client) Get(url string) error {
	_, err := c.http.Get(url)
	return err
}
'''
    main = '''package main

import (
	"time"

	"example.com/svc/catalogue"
	"example.com/svc/config"
)

func main() {
	cfg, _ := config.Load()
	client := catalogue.NewClient(cfg.Catalogue.BaseURL, time.Duration(cfg.Catalogue.Timeout)*time.Second)
	hard := time.Duration(cfg.Catalogue.Timeout)*time.Second + 5*time.Second
	other := catalogue.NewClient(cfg.Catalogue.BaseURL, hard)
	_, _ = client, other
}
'''
    got = _scan(tmp_path, {"config/config.go": VIPER_CONFIG, "catalogue/client.go": client, "cmd/main.go": main})
    assert [g for g in got if g[0] != "config/config.go"] == [("cmd/main.go", 12, "timeout", 30000)]


def test_aws_sdk_v2_options_kept_in_a_variable_and_the_nop_retryer(tmp_path: Path) -> None:
    """The EBS CSI driver: `ec2Options := func(o *ec2.Options) { o.RetryMaxAttempts = retryMaxAttempt }`
    (50 tries) and the dry-run's `o.Retryer = aws.NopRetryer{}` (one try). A func literal over the
    project's own options type is no client setting."""
    src = '''package cloud

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
)

const retryMaxAttempt = 50

type localOptions struct{ RetryMaxAttempts int }

func newEC2(cfg aws.Config) *ec2.Client {
	ec2Options := func(o *ec2.Options) {
		o.RetryMaxAttempts = retryMaxAttempt
	}
	own := func(o *localOptions) {
		o.RetryMaxAttempts = 3
	}
	_ = own
	return ec2.NewFromConfig(cfg, ec2Options)
}

func dryRun(ctx context.Context, c *ec2.Client) error {
	_, err := c.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{DryRun: aws.Bool(true)},
		func(o *ec2.Options) {
			o.Retryer = aws.NopRetryer{}
		})
	return err
}
'''
    got = _scan(tmp_path, {"cloud/cloud.go": src})
    assert got == [("cloud/cloud.go", 16, "retry", 50), ("cloud/cloud.go", 28, "retry", 1)]


def test_a_loop_whose_condition_the_calls_success_fills_is_a_retry(tmp_path: Path) -> None:
    """`for c.accountID == "" { resp, err := sts.GetCallerIdentity(...); if err != nil { sleep } else {
    c.accountID = *resp.Account } }`: tried until it works (null). A loop that only reads a state its
    condition names (`for st.State != "ready" { sleep; st, _ = get() }`) is a poll."""
    src = '''package cloud

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sts"
)

type cloud struct {
	accountID string
	sts       *sts.Client
}

type status struct{ State string }

func (c *cloud) account() {
	for c.accountID == "" {
		resp, err := c.sts.GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
		if err != nil {
			time.Sleep(30 * time.Second)
		} else {
			c.accountID = *resp.Account
		}
	}
}

func (c *cloud) wait(get func() (status, error)) {
	st, _ := get()
	for st.State != "ready" {
		time.Sleep(time.Second)
		st, _ = get()
	}
}
'''
    got = _scan(tmp_path, {"cloud/cloud.go": src})
    assert got == [("cloud/cloud.go", 18, "retry", None)]


def test_a_dial_retried_on_a_ticker_until_it_works_is_a_retry(tmp_path: Path) -> None:
    """KEDA's DialContextWithRetry: `for { select { case <-ctx.Done(): return ...; case <-ticker.C: conn,
    lastErr = dial(); if lastErr == nil { return conn, nil } } }` (an error named for its step). A
    periodic job on the same ticker shape is not."""
    src = '''package kedanet

import (
	"context"
	"net"
	"time"
)

func DialContextWithRetry(ctx context.Context, addr string) (net.Conn, error) {
	dialer := net.Dialer{}
	conn, lastErr := dialer.DialContext(ctx, "tcp", addr)
	if lastErr == nil {
		return conn, nil
	}
	ticker := time.NewTicker(50 * time.Millisecond)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil, lastErr
		case <-ticker.C:
			conn, lastErr = dialer.DialContext(ctx, "tcp", addr)
			if lastErr == nil {
				return conn, nil
			}
		}
	}
}

func refresh(ctx context.Context, run func() error) {
	ticker := time.NewTicker(time.Minute)
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			if runErr := run(); runErr != nil {
				continue
			}
		}
	}
}
'''
    got = _scan(tmp_path, {"net/dial.go": src})
    assert got == [("net/dial.go", 17, "retry", None)]


def test_replies_gathered_after_a_publish_are_bounded_by_the_timer(tmp_path: Path) -> None:
    """NATS Surveyor's requestMany: publish with a reply inbox, then collect until `time.After(d)` and
    return what came. Without a publish before it, `return res, nil` on a timer is a fallback answer."""
    src = '''package surveyor

import (
	"time"

	"github.com/nats-io/nats.go"
)

const pollTimeout = 3 * time.Second

func requestMany(nc *nats.Conn, subject string) ([]*nats.Msg, error) {
	inbox := nats.NewInbox()
	msgs := make(chan *nats.Msg, 100)
	sub, _ := nc.Subscribe(inbox, func(m *nats.Msg) { msgs <- m })
	defer sub.Unsubscribe()
	if err := nc.PublishMsg(&nats.Msg{Subject: subject, Reply: inbox}); err != nil {
		return nil, err
	}
	var res []*nats.Msg
	for {
		select {
		case m := <-msgs:
			res = append(res, m)
		case <-time.After(pollTimeout):
			return res, nil
		}
	}
}

func drain(msgs chan *nats.Msg) []*nats.Msg {
	var res []*nats.Msg
	for {
		select {
		case m := <-msgs:
			res = append(res, m)
		case <-time.After(pollTimeout):
			return res
		}
	}
}
'''
    got = _scan(tmp_path, {"surveyor/many.go": src})
    assert got == [("surveyor/many.go", 24, "timeout", 3000)]


def test_a_helper_kept_in_a_local_takes_its_timeout_at_the_call(tmp_path: Path) -> None:
    """Redpanda Console's `testConnection := func(cl *kgo.Client, timeout time.Duration) error {
    ctx, cancel := context.WithTimeout(ctx, timeout) ... }` then `testConnection(cl, time.Second*15)`:
    the call holds the contract, the literal's own line only forwards its parameter. A func value
    handed in as a parameter is no helper."""
    src = '''package console

import (
	"context"
	"net/http"
	"time"
)

func check(ctx context.Context, url string, run func(string, time.Duration) error) error {
	probe := func(u string, timeout time.Duration) error {
		c, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		req, _ := http.NewRequestWithContext(c, "GET", u, nil)
		_, err := http.DefaultClient.Do(req)
		return err
	}
	if err := run(url, 2*time.Second); err != nil {
		return err
	}
	return probe(url, time.Second*15)
}
'''
    got = _scan(tmp_path, {"console/check.go": src})
    assert got == [("console/check.go", 20, "timeout", 15000)]


def test_a_kmsg_requests_timeout_millis_and_an_own_field_of_that_name(tmp_path: Path) -> None:
    """franz-go: `req := kmsg.NewDeleteTopicsRequest(); req.TimeoutMillis = 30 * 1000` (30 s); the
    project's own struct with a TimeoutMillis field is its data."""
    src = '''package console

import (
	"context"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

type job struct{ TimeoutMillis int }

func deleteTopic(ctx context.Context, cl *kgo.Client, topic string) error {
	req := kmsg.NewDeleteTopicsRequest()
	req.TopicNames = []string{topic}
	req.TimeoutMillis = 30 * 1000
	j := job{}
	j.TimeoutMillis = 5
	_ = j
	_, err := req.RequestWith(ctx, cl)
	return err
}
'''
    got = _scan(tmp_path, {"console/delete.go": src})
    assert got == [("console/delete.go", 15, "timeout", 30000)]


def test_a_client_timeout_switched_off_is_no_contract(tmp_path: Path) -> None:
    """Flux's `httpClient.HTTPClient.Timeout = 0` (the context bounds the call); a value set is one."""
    src = '''package notifier

import (
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

func newClient() *retryablehttp.Client {
	c := retryablehttp.NewClient()
	c.HTTPClient.Timeout = 0
	c.RetryMax = 4
	return c
}

func newOther() *retryablehttp.Client {
	c := retryablehttp.NewClient()
	c.HTTPClient.Timeout = 15 * time.Second
	return c
}
'''
    got = _scan(tmp_path, {"notifier/client.go": src})
    assert ("notifier/client.go", 11, "timeout", 0) not in got
    assert ("notifier/client.go", 12, "retry", 5) in got
    assert ("notifier/client.go", 18, "timeout", 15000) in got


def test_a_zero_timeout_tag_default_is_no_deadline(tmp_path: Path) -> None:
    """KEDA: `Request time.Duration `env:"KEDA_HTTP_REQUEST_TIMEOUT" envDefault:"0s"`` handed to a
    constructor that keeps it (`NewRouting(next, cfg.Timeouts.Request)`): null, not a 0 ms timeout;
    `Connect` with `envDefault:"500ms"` keeps its value."""
    config = '''package config

import "time"

type Timeouts struct {
	Request time.Duration `env:"KEDA_HTTP_REQUEST_TIMEOUT" envDefault:"0s"`
	Connect time.Duration `env:"KEDA_HTTP_CONNECT_TIMEOUT" envDefault:"500ms"`
}
'''
    routing = '''package middleware

import (
	"context"
	"net/http"
	"time"
)

type Routing struct {
	next           http.Handler
	client         *http.Client
	requestTimeout time.Duration
}

func NewRouting(next http.Handler, requestTimeout time.Duration) *Routing {
	return &Routing{next: next, requestTimeout: requestTimeout, client: &http.Client{}}
}

func (rm *Routing) forward(ctx context.Context, url string) error {
	ctx, cancel := context.WithTimeout(ctx, rm.requestTimeout)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	_, err := rm.client.Do(req)
	return err
}
'''
    proxy = '''package interceptor

import (
	"net/http"

	"example.com/svc/config"
	"example.com/svc/middleware"
)

func build(cfg config.Timeouts, next http.Handler) http.Handler {
	return middleware.NewRouting(next, cfg.Request)
}
'''
    got = _scan(tmp_path, {"config/timeouts.go": config, "middleware/routing.go": routing,
                           "interceptor/proxy.go": proxy})
    assert ("interceptor/proxy.go", 11, "timeout", 0) not in got


def test_a_backoff_whose_condition_only_polls_a_state_is_no_retry(tmp_path: Path) -> None:
    """The EBS CSI driver's waits: `creationBackoff` used with a condition that stops on an error and
    answers `false, nil` only while the volume is not ready (a poll, not reported); `attachmentBackoff`
    whose condition answers `false, nil` after a DescribeVolumes error (the call tried again: 13 tries)."""
    src = '''package cloud

import (
	"context"
	"time"

	"k8s.io/apimachinery/pkg/util/wait"
)

type params struct {
	creationBackoff   wait.Backoff
	attachmentBackoff wait.Backoff
}

var vwp = params{
	creationBackoff: wait.Backoff{
		Duration: 500 * time.Millisecond,
		Steps:    11,
	},
	attachmentBackoff: wait.Backoff{
		Duration: time.Second,
		Steps:    13,
	},
}

type volume struct{ State string }

func waitForVolume(ctx context.Context, get func(context.Context) (*volume, error)) error {
	return wait.ExponentialBackoffWithContext(ctx, vwp.creationBackoff, func(ctx context.Context) (bool, error) {
		v, err := get(ctx)
		if err != nil {
			return true, err
		}
		if v.State == "available" {
			return true, nil
		}
		return false, nil
	})
}

func waitForAttachment(ctx context.Context, get func(context.Context) (*volume, error)) error {
	verify := func(ctx context.Context) (bool, error) {
		v, err := get(ctx)
		if err != nil {
			return false, nil
		}
		return v.State == "attached", nil
	}
	return wait.ExponentialBackoffWithContext(ctx, vwp.attachmentBackoff, verify)
}
'''
    got = _scan(tmp_path, {"cloud/wait.go": src})
    assert got == [("cloud/wait.go", 22, "retry", 13)]


def test_a_default_policy_copied_and_given_steps_before_retry_on_error(tmp_path: Path) -> None:
    """1Password's `backoff := retry.DefaultBackoff; backoff.Steps = 3; retry.OnError(backoff, is403, op)`:
    3 tries. Steps set only under a condition leave the tries unknown; the default itself is 4."""
    src = '''package onepassword

import (
	"time"

	"k8s.io/client-go/util/retry"
)

func retryOn403(operation func() error, is403 func(error) bool) error {
	backoff := retry.DefaultBackoff
	backoff.Duration = 100 * time.Millisecond
	backoff.Steps = 3
	return retry.OnError(backoff, is403, operation)
}

func retryConfigured(operation func() error, maxRetries int) error {
	backoff := retry.DefaultBackoff
	if maxRetries > 0 {
		backoff.Steps = maxRetries
	}
	return retry.OnError(backoff, func(error) bool { return true }, operation)
}

func retryDefault(operation func() error) error {
	policy := retry.DefaultBackoff
	return retry.OnError(policy, func(error) bool { return true }, operation)
}
'''
    got = _scan(tmp_path, {"onepassword/retry.go": src})
    assert got == [("onepassword/retry.go", 13, "retry", 3), ("onepassword/retry.go", 21, "retry", None),
                   ("onepassword/retry.go", 26, "retry", 4)]


def test_a_job_that_may_fail_n_times_and_is_retried_is_run_n_times(tmp_path: Path) -> None:
    """Harbor's jobs: `MaxFails() uint { return 3 }` beside `ShouldRetry() bool { return true }` (3 runs,
    at the value), also a named result filled from the environment after `result = 3`; a job whose
    ShouldRetry is false, or whose MaxFails is 1, is run once."""
    src = '''package jobs

import (
	"os"
	"strconv"
)

type Webhook struct{}

func (w *Webhook) MaxFails() (result uint) {
	result = 3
	if v, ok := os.LookupEnv("JOB_MAX_RETRY"); ok {
		n, _ := strconv.ParseUint(v, 10, 32)
		result = uint(n)
	}
	return result
}

func (w *Webhook) ShouldRetry() bool {
	return true
}

type Replication struct{}

func (r *Replication) MaxFails() uint { return 3 }

func (r *Replication) ShouldRetry() bool { return true }

type Scan struct{}

func (s *Scan) MaxFails() uint { return 5 }

func (s *Scan) ShouldRetry() bool { return false }

type GC struct{}

func (g *GC) MaxFails() uint { return 1 }

func (g *GC) ShouldRetry() bool { return true }
'''
    got = _scan(tmp_path, {"jobs/jobs.go": src})
    assert got == [("jobs/jobs.go", 11, "retry", 3), ("jobs/jobs.go", 25, "retry", 3)]


def test_a_local_returned_as_a_library_config_is_that_config(tmp_path: Path) -> None:
    """External Secrets' Vault provider: `cfg, err := c.newConfig(ctx)` then `cfg.MaxRetries = 0` in a
    function returning `(*client, *vault.Config, error)` and `return c, cfg, nil`: vault's client tries
    once. A local returned as the project's own type, or one the function does not return, says nothing."""
    src = '''package vault

import (
	"context"

	vault "github.com/hashicorp/vault/api"
)

type client struct{}

type Settings struct{ MaxRetries int }

func (c *client) newConfig(ctx context.Context) (*vault.Config, error) { return vault.DefaultConfig(), nil }

func (c *client) settings() (*Settings, error) { return &Settings{}, nil }

func prepare(ctx context.Context, c *client, retries *int) (*client, *vault.Config, error) {
	cfg, err := c.newConfig(ctx)
	if err != nil {
		return nil, nil, err
	}
	if retries != nil {
		cfg.MaxRetries = *retries
	} else {
		cfg.MaxRetries = 0
	}
	return c, cfg, nil
}

func own(c *client) (*Settings, error) {
	s, err := c.settings()
	s.MaxRetries = 5
	return s, err
}

func unused(ctx context.Context, c *client) error {
	cfg, err := c.newConfig(ctx)
	cfg.MaxRetries = 7
	return err
}
'''
    got = _scan(tmp_path, {"vault/provider.go": src})
    assert got == [("vault/provider.go", 23, "retry", None), ("vault/provider.go", 25, "retry", 1)]
