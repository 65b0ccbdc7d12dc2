"""Round 15 (held-out sets gotify-server, keel, wakapi, headscale, kminion, chatgpt-dingtalk): a viper
duration-string default read through a loader's struct in another package, a local naming a nested
config struct, a `for { select { case <-ctx.Done(): ...; default: try } }` connect loop bounded by its
context, a cenkalti/backoff Retry that only re-finds a local file; with the traps beside each."""

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


VIPER_TYPES = '''package types

import (
	"time"

	"github.com/spf13/viper"
)

type Config struct {
	UnixSocket string
	CLI        CLIConfig
	Cache      CacheConfig
}

type CLIConfig struct {
	Address string
	Timeout time.Duration
}

type CacheConfig struct {
	Timeout time.Duration
}

func LoadConfig() {
	viper.SetDefault("cli.timeout", "5s")
	viper.SetDefault("cli.address", "localhost:50443")
	viper.SetDefault("cache.timeout", "1m30s")
}

func LoadCLIConfig() (*Config, error) {
	return &Config{
		CLI: CLIConfig{
			Address: viper.GetString("cli.address"),
			Timeout: viper.GetDuration("cli.timeout"),
		},
	}, nil
}
'''

VIPER_CLI = '''package cli

import (
	"context"

	"example.com/svc/types"
)

func newClient() error {
	cfg, err := types.LoadCLIConfig()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), cfg.CLI.Timeout)
	defer cancel()
	return call(ctx, cfg.CLI.Address)
}

func call(ctx context.Context, addr string) error { return nil }
'''


def test_viper_duration_string_default_reaches_a_field_read_through_a_loaders_struct(tmp_path):
    found = _scan(tmp_path, {"types/config.go": VIPER_TYPES, "cli/utils.go": VIPER_CLI})
    assert ("cli/utils.go", 14, "timeout", 5000) in found
    # the string defaults themselves are no findings, and the address string is no duration
    assert not [f for f in found if f[0] == "types/config.go"]


HIPCHAT_CONFIG = '''package config

type Config struct {
	Bots BotConfig
}

type BotConfig struct {
	Hipchat HipchatBotConfig
}

type HipchatBotConfig struct {
	UserName           string `envconfig:"HIPCHAT_USER"`
	ConnectionAttempts int    `envconfig:"HIPCHAT_CONNECTION_ATTEMPTS" default:"5"`
}
'''

HIPCHAT_BOT = '''package hipchat

import (
	"errors"
	"time"

	"example.com/svc/config"
)

type Bot struct {
	userName string
}

func (b *Bot) Configure(appConfig config.Config) bool {
	cfg := appConfig.Bots.Hipchat
	b.userName = cfg.UserName
	if cfg.ConnectionAttempts > 0 {
		if err := connect(b.userName, cfg.ConnectionAttempts); err != nil {
			return false
		}
	}
	return true
}

func connect(username string, connAttempts int) error {
	attempts := connAttempts
	for {
		if attempts == 0 {
			return errors.New("cannot reach the server")
		}
		err := dial(username)
		if err == nil {
			return nil
		}
		time.Sleep(30 * time.Second)
		attempts--
	}
}

func dial(username string) error { return nil }
'''


def test_a_local_naming_a_nested_config_struct_reads_its_fields_default(tmp_path):
    found = _scan(tmp_path, {"config/config.go": HIPCHAT_CONFIG, "hipchat/hipchat.go": HIPCHAT_BOT})
    assert ("hipchat/hipchat.go", 18, "retry", 5) in found


SELECT_CONNECT = '''package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

func New(uri string) (*sql.DB, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Second)
	defer cancel()
	return connect(ctx, uri)
}

func connect(ctx context.Context, uri string) (*sql.DB, error) {
	for {
		select {
		case <-ctx.Done():
			return nil, errors.New("startup deadline exceeded")
		default:
			db, err := sql.Open("postgres", uri)
			if err != nil {
				time.Sleep(1 * time.Second)
				continue
			}
			return db, nil
		}
	}
}

func drain(ctx context.Context, jobs chan int) {
	for {
		select {
		case <-ctx.Done():
			return
		default:
			job := <-jobs
			if job < 0 {
				time.Sleep(time.Second)
				continue
			}
			process(job)
		}
	}
}

func ticks(ctx context.Context, t *time.Ticker) error {
	for {
		select {
		case <-t.C:
			if err := ping(); err != nil {
				time.Sleep(time.Second)
				continue
			}
			return nil
		default:
			time.Sleep(time.Millisecond)
		}
	}
}

func process(job int) {}
func ping() error    { return nil }
'''


def test_a_select_default_connect_loop_bounded_by_its_context_is_a_retry(tmp_path):
    found = _scan(tmp_path, {"store/sql.go": SELECT_CONNECT})
    assert ("store/sql.go", 11, "timeout", 300000) in found
    assert ("store/sql.go", 17, "retry", None) in found
    # a queue drain whose default case never leaves, and a select without a ctx.Done() case: no retry
    assert not [f for f in found if f[2] == "retry" and f[1] > 30]


BACKOFF_FILE = '''package dns

import (
	"context"
	"os"

	"github.com/cenkalti/backoff/v5"
)

func rewatch(path string) error {
	_, err := backoff.Retry(context.Background(), func() (struct{}, error) {
		if _, err := os.Stat(path); err != nil {
			return struct{}{}, err
		}
		return struct{}{}, nil
	}, backoff.WithBackOff(backoff.NewExponentialBackOff()))
	return err
}

func fetch(ctx context.Context, url string) error {
	_, err := backoff.Retry(ctx, func() (string, error) {
		return get(url)
	}, backoff.WithBackOff(backoff.NewExponentialBackOff()))
	return err
}

func get(url string) (string, error) { return "", nil }
'''


def test_a_backoff_retry_that_only_refinds_a_local_file_is_no_retry(tmp_path):
    found = _scan(tmp_path, {"dns/records.go": BACKOFF_FILE})
    assert ("dns/records.go", 11, "retry", None) not in found
    assert ("dns/records.go", 21, "retry", None) in found


E2E_MAIN = '''package main

import (
	"context"

	"example.com/svc/e2e"
)

func main() {
	e2e.Start(context.Background())
}
'''

E2E_PROBE = '''package e2e

import (
	"context"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

func Start(ctx context.Context) {
	opts := []kgo.Opt{
		kgo.ProduceRequestTimeout(3 * time.Second),
		kgo.RecordRetries(3),
		kgo.SessionTimeout(45 * time.Second),
	}
	_ = opts
	child, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	_ = child
}
'''

E2E_PROBE_TEST = '''package e2e

import (
	"context"
	"testing"
	"time"
)

func TestStart(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	Start(ctx)
}
'''

E2E_SUITE_HELPER = '''package suite

import (
	"context"
	"time"
)

func Ready(ctx context.Context) {
	c, cancel := context.WithTimeout(ctx, 7*time.Second)
	defer cancel()
	_ = c
}
'''


def test_an_e2e_package_the_service_imports_is_its_code_and_franz_go_options_are_read(tmp_path):
    found = _scan(tmp_path, {"main.go": E2E_MAIN, "e2e/probe.go": E2E_PROBE, "e2e/probe_test.go": E2E_PROBE_TEST,
                             "test/e2e/suite/ready.go": E2E_SUITE_HELPER, "tools/e2e/ready.go": E2E_SUITE_HELPER})
    assert ("e2e/probe.go", 12, "timeout", 3000) in found
    assert ("e2e/probe.go", 13, "retry", 3) in found
    assert ("e2e/probe.go", 17, "timeout", 10000) in found
    # the session timeout is a group member's liveness; the package's _test.go, an e2e suite under test/ and
    # an e2e folder no code of the service imports stay tests
    assert not [f for f in found if f[0] == "e2e/probe.go" and f[1] == 14]
    assert not [f for f in found if "test" in f[0] or f[0].startswith("tools/")]


CACHE_PKG = '''package cache

import (
	"time"

	"github.com/patrickmn/go-cache"
)

type Cache struct {
	store *cache.Cache
}

func New(timeout time.Duration) *Cache {
	return &Cache{store: cache.New(timeout, timeout*2)}
}
'''

SEARCH_PKG = '''package search

import (
	"time"

	"example.com/svc/cache"
)

type Search struct {
	c *cache.Cache
}

func New(cacheTimeout time.Duration) *Search {
	return &Search{c: cache.New(cacheTimeout)}
}
'''

CONTROLLER_PKG = '''package controller

import (
	"time"

	"example.com/svc/search"
)

type Reconciler struct {
	s *search.Search
}

func NewReconciler(cacheTimeout time.Duration) *Reconciler {
	search := search.New(cacheTimeout)
	return &Reconciler{s: search}
}
'''

CACHE_MAIN = '''package main

import (
	"time"

	"example.com/svc/controller"
)

func main() {
	_ = controller.NewReconciler(30 * time.Minute)
}
'''


def test_a_cache_expiry_handed_down_through_a_shadowed_package_and_a_same_named_library_is_no_bound(tmp_path):
    found = _scan(tmp_path, {"cache/cache.go": CACHE_PKG, "search/search.go": SEARCH_PKG,
                             "controller/controller.go": CONTROLLER_PKG, "main.go": CACHE_MAIN})
    assert not [f for f in found if f[2] == "timeout"]


HELPER_UTILS = '''package utils

import (
	"net/http"
	"time"
)

func HttpRequest(url string, timeout time.Duration) (*http.Response, error) {
	client := &http.Client{Timeout: timeout}
	return client.Get(url)
}
'''

HELPER_CHECK = '''package services

import (
	"time"

	"example.com/svc/utils"
)

type Service struct {
	Domain  string
	Timeout int
}

func (s *Service) check() {
	timeout := time.Duration(s.Timeout) * time.Second
	utils.HttpRequest(s.Domain, timeout)
}

func (s *Service) checkPadded() {
	hard := time.Duration(s.Timeout)*time.Second + 5*time.Second
	utils.HttpRequest(s.Domain, hard)
}
'''


def test_a_local_holding_a_setting_in_another_unit_handed_to_a_helper_is_kept_with_null(tmp_path):
    found = _scan(tmp_path, {"utils/utils.go": HELPER_UTILS, "services/check.go": HELPER_CHECK})
    assert ("services/check.go", 16, "timeout", None) in found
    assert not [f for f in found if f[0] == "services/check.go" and f[1] == 21]
