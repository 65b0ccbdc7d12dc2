"""Round 16 (held-out sets pterodactyl-wings, smokescreen, outpost, buildkite-agent; second-wave diun):
Go 1.26's `new(expr)` in a config type's SetDefaults method read as that value; with the traps beside
each."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan
from extractors.go.extractor import EXTRACTOR


def _scan(tmp_path: Path, files: dict[str, str]) -> list[tuple]:
    svc = tmp_path / "svc"
    for rel, text in files.items():
        target = svc / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    (svc / "go.mod").write_text("module example.com/svc\n\ngo 1.26\n")
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    return sorted((f.path.split("/", 1)[1], f.line, f.kind,
                   f.attributes.get("timeout_ms", f.attributes.get("max_attempts")))
                  for f in result.findings if f.kind in ("timeout", "retry"))


NOTIF_MODEL = '''package model

import "time"

type NotifWebhook struct {
	Endpoint string         `yaml:"endpoint"`
	Timeout  *time.Duration `yaml:"timeout,omitempty"`
}

func (s *NotifWebhook) GetDefaults() *NotifWebhook {
	n := &NotifWebhook{}
	n.SetDefaults()
	return n
}

func (s *NotifWebhook) SetDefaults() {
	s.Timeout = new(10 * time.Second)
}
'''

NOTIF_CLIENT = '''package webhook

import (
	"context"
	"net/http"

	"example.com/svc/model"
)

type Client struct {
	cfg *model.NotifWebhook
}

func (c *Client) Send() error {
	timeoutCtx, cancel := context.WithTimeout(context.Background(), *c.cfg.Timeout)
	defer cancel()
	req, _ := http.NewRequestWithContext(timeoutCtx, "POST", c.cfg.Endpoint, nil)
	_, err := http.DefaultClient.Do(req)
	return err
}
'''


def test_go126_new_expression_default_in_set_defaults_values_the_bound(tmp_path):
    found = _scan(tmp_path, {"model/webhook.go": NOTIF_MODEL, "notif/webhook/client.go": NOTIF_CLIENT})
    assert ("notif/webhook/client.go", 15, "timeout", 10000) in found


def test_go126_new_expression_parses_without_error():
    result = EXTRACTOR.extract("svc/model/webhook.go", NOTIF_MODEL.encode())
    assert not result.errors


def test_new_of_a_type_is_left_alone_and_no_default_is_made_up(tmp_path):
    # trap: `new(time.Duration)` is a zero value, no default; the bound stays unresolved
    model = NOTIF_MODEL.replace("new(10 * time.Second)", "new(time.Duration)")
    found = _scan(tmp_path, {"model/webhook.go": model, "notif/webhook/client.go": NOTIF_CLIENT})
    assert ("notif/webhook/client.go", 15, "timeout", None) in found
    assert not EXTRACTOR.extract("svc/model/webhook.go", model.encode()).errors


REQ_CLIENT = '''package scraper

import (
	"time"

	"github.com/imroc/req/v3"
)

type Scraper struct {
	client *req.Client
}

func New() *Scraper {
	client := req.C().SetCommonHeader("Accept", "text/css").EnableAutoDecompress().
		SetCommonRetryCount(3).SetTLSHandshakeTimeout(20 * time.Second)
	return &Scraper{client: client}
}

func (s *Scraper) Fetch(url string) error {
	retries := 3 // trap: a variable named for retries, no setter
	_ = retries
	_, err := s.client.R().Get(url)
	return err
}
'''


def test_imroc_req_common_retry_count_and_tls_handshake_timeout(tmp_path):
    found = _scan(tmp_path, {"scraper/scraper.go": REQ_CLIENT})
    assert ("scraper/scraper.go", 15, "retry", 4) in found
    assert ("scraper/scraper.go", 15, "timeout", 20000) in found
    assert [f for f in found if f[2] == "retry"] == [("scraper/scraper.go", 15, "retry", 4)]


LANCET = '''package events

import (
	"context"

	"github.com/duke-git/lancet/v2/retry"
)

type Searcher interface{ Index(ctx context.Context, doc string) error }

func Register(ctx context.Context, s Searcher, doc string) {
	retry.Retry(func() error {
		return s.Index(ctx, doc)
	})
	retry.Retry(func() error {
		return s.Index(ctx, doc)
	}, retry.RetryTimes(3), retry.Context(ctx))
}
'''


def test_lancet_retry_default_and_retry_times(tmp_path):
    found = _scan(tmp_path, {"events/events.go": LANCET})
    assert ("events/events.go", 12, "retry", 5) in found
    assert ("events/events.go", 15, "retry", 3) in found


def test_own_retry_package_runner_stays_without_a_count(tmp_path):
    # trap: a project's own `retry` package is no lancet: its runner has no count we know
    own = LANCET.replace("github.com/duke-git/lancet/v2/retry", "github.com/acme/lib/retry").replace(
        ", retry.RetryTimes(3), retry.Context(ctx)", "")
    found = _scan(tmp_path, {"events/events.go": own})
    assert ("events/events.go", 12, "retry", None) in found
    assert ("events/events.go", 12, "retry", 5) not in found


VIPER_LOOP = '''package config

import (
	"net/http"
	"time"

	"github.com/spf13/viper"
)

type Config struct {
	Client ClientConfig `mapstructure:"client"`
}

type ClientConfig struct {
	Timeout time.Duration `mapstructure:"timeout"`
}

func Load() Config {
	defaults := map[string]any{
		"client.timeout": 7 * time.Second,
		"log.level":      "info",
	}
	for key, value := range defaults {
		viper.SetDefault(key, value)
	}
	c := Config{}
	_ = viper.Unmarshal(&c)
	return c
}

func NewClient(c Config) *http.Client {
	return &http.Client{Timeout: c.Client.Timeout}
}
'''


def test_viper_defaults_kept_in_a_map_looped_into_set_default(tmp_path):
    found = _scan(tmp_path, {"config/config.go": VIPER_LOOP})
    assert ("config/config.go", 32, "timeout", 7000) in found


def test_viper_loop_over_something_else_gives_no_default(tmp_path):
    # trap: the loop hands SetDefault another pair than the range's key and value
    other = VIPER_LOOP.replace("viper.SetDefault(key, value)", "viper.SetDefault(key, 1)")
    found = _scan(tmp_path, {"config/config.go": other})
    assert ("config/config.go", 32, "timeout", 7000) not in found


LOCAL_COMMAND = '''package config

import (
	"context"
	"net/http"
	"os/exec"
	"time"
)

func Timezone() (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second*5)
	defer cancel()
	out, err := exec.CommandContext(ctx, "timedatectl").Output()
	return string(out), err
}

func Fetch(url string) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second*7)
	defer cancel()
	cmd := exec.CommandContext(ctx, "true")
	_ = cmd.Run()
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	_, err := http.DefaultClient.Do(req)
	return err
}
'''


def test_context_bound_of_a_local_command_only_is_no_contract(tmp_path):
    found = _scan(tmp_path, {"config/config.go": LOCAL_COMMAND})
    assert not [f for f in found if f[1] == 11]
    # trap: the same context also bounds an HTTP request: reported
    assert ("config/config.go", 18, "timeout", 7000) in found


STOP_HELPER = '''package docker

import (
	"context"
	"time"
)

type Client interface {
	ContainerStop(ctx context.Context, id string) error
	Fetch(ctx context.Context, id string) error
}

type Environment struct {
	client Client
	id     string
}

func (e *Environment) WaitForStop(ctx context.Context, duration time.Duration, terminate bool) error {
	tctx, cancel := context.WithTimeout(context.Background(), duration)
	defer cancel()
	return e.client.ContainerStop(tctx, e.id)
}

func (e *Environment) FetchWithin(ctx context.Context, limit time.Duration) error {
	tctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	return e.client.Fetch(tctx, e.id)
}
'''

STOP_CALLER = '''package server

import (
	"context"
	"time"

	"example.com/svc/docker"
)

func Restart(ctx context.Context, e *docker.Environment) error {
	if err := e.WaitForStop(ctx, time.Minute*10, true); err != nil {
		return err
	}
	return e.FetchWithin(ctx, 3*time.Second)
}
'''


def test_stop_grace_handed_to_a_stop_helper_is_no_contract(tmp_path):
    found = _scan(tmp_path, {"docker/env.go": STOP_HELPER, "server/power.go": STOP_CALLER})
    assert not [f for f in found if f[0] == "server/power.go" and f[1] == 11]
    assert not [f for f in found if f[0] == "docker/env.go" and f[1] == 19]
    # trap: a helper not named for stopping keeps its proposal
    assert ("server/power.go", 14, "timeout", 3000) in found


REPEAT_AFTER_MKDIR = '''package ufs

import (
	"errors"
	"net/http"
)

var ErrNotExist = errors.New("not exist")

type FS struct{}

func (fs *FS) safePath(p string) (int, error) { return 0, nil }
func (fs *FS) MkdirAll(p string) error         { return nil }

func (fs *FS) Rename(newpath string) error {
	fd, err := fs.safePath(newpath)
	if err != nil {
		if !errors.Is(err, ErrNotExist) {
			return err
		}
		if err := fs.MkdirAll(newpath); err != nil {
			return err
		}
		fd, err = fs.safePath(newpath)
		if err != nil {
			return err
		}
	}
	_ = fd
	return nil
}

func Send(c *http.Client, req *http.Request) error {
	_, err := c.Do(req)
	if err != nil {
		_, err = c.Do(req)
	}
	return err
}
'''


def test_call_made_again_after_creating_what_was_missing_is_no_retry(tmp_path):
    found = _scan(tmp_path, {"ufs/fs.go": REPEAT_AFTER_MKDIR})
    assert not [f for f in found if f[2] == "retry" and f[1] == 24]
    # trap: the plain repeat of a failed request stays a retry of 2 tries
    assert ("ufs/fs.go", 36, "retry", 2) in found


GETTER_CONFIG = '''package config

type RemoteQueryConfiguration struct {
	Timeout int `default:"30" yaml:"timeout"`
}

type Configuration struct {
	RemoteQuery RemoteQueryConfiguration `yaml:"remote_query"`
}

var current *Configuration

func Get() *Configuration {
	c := *current
	return &c
}
'''

GETTER_READER = '''package cmd

import (
	"net/http"
	"time"

	"example.com/svc/config"
)

func client() *http.Client {
	return &http.Client{
		Timeout: time.Second * time.Duration(config.Get().RemoteQuery.Timeout),
	}
}
'''


def test_field_read_through_a_package_getter_chain_gets_its_tag_default(tmp_path):
    found = _scan(tmp_path, {"config/config.go": GETTER_CONFIG, "cmd/root.go": GETTER_READER})
    assert ("cmd/root.go", 12, "timeout", 30000) in found


def test_getter_chain_without_a_default_stays_unresolved(tmp_path):
    # trap: no tag default, no value made up
    found = _scan(tmp_path, {"config/config.go": GETTER_CONFIG.replace('default:"30" ', ""),
                             "cmd/root.go": GETTER_READER})
    assert ("cmd/root.go", 12, "timeout", None) in found

