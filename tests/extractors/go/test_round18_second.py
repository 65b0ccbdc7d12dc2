"""Round 18, second wave (held-out sets keda-scalers, goim, node-problem-detector, glider,
cloud-connector, cloudreve, liftbridge): values handed through a constructor's parameter into a
field, a field filled when unset in one function and read in another, keda's `default=` tag
option; with the traps beside each."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan
from extractors.go.extractor import EXTRACTOR


def _found(source: str, path: str = "svc/pkg/client/x.go") -> list[tuple]:
    result = EXTRACTOR.extract(path, source.encode("utf-8"))
    return sorted((f.line, f.kind, f.attributes.get("timeout_ms", f.attributes.get("max_attempts")))
                  for f in result.findings if f.kind in ("timeout", "retry") and f.detector != "go.wrapper_call")


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


MAIN = '''package main

import (
	"time"

	"example.com/svc/pkg/scaling"
	"example.com/svc/pkg/util"
)

func main() {
	timeoutMS, _ := util.ResolveOsEnvInt("HTTP_DEFAULT_TIMEOUT", 3000)
	globalHTTPTimeout := time.Duration(timeoutMS) * time.Millisecond
	h := scaling.NewScaleHandler(nil, globalHTTPTimeout, 5)
	h.Run()
}
'''

UTIL = '''package util

import (
	"net/http"
	"os"
	"strconv"
	"time"
)

func ResolveOsEnvInt(name string, def int) (int, error) {
	if v, ok := os.LookupEnv(name); ok {
		return strconv.Atoi(v)
	}
	return def, nil
}

func CreateHTTPClient(timeout time.Duration) *http.Client {
	return &http.Client{Timeout: timeout}
}
'''

HANDLER = '''package scaling

import (
	"time"

	"example.com/svc/pkg/config"
)

type scaleHandler struct {
	client            interface{}
	globalHTTPTimeout time.Duration
	workers           int
}

func NewScaleHandler(client interface{}, globalHTTPTimeout time.Duration, workers int) *scaleHandler {
	return &scaleHandler{client: client, globalHTTPTimeout: globalHTTPTimeout, workers: workers}
}

func (h *scaleHandler) Run() {
	cfg := &config.ScalerConfig{GlobalHTTPTimeout: h.globalHTTPTimeout, Workers: h.workers}
	build(cfg)
}

func build(cfg *config.ScalerConfig) {}
'''

CONFIG = '''package config

import "time"

type ScalerConfig struct {
	GlobalHTTPTimeout time.Duration
	Workers           int
}
'''

SCALER = '''package scalers

import (
	"net/http"
	"time"

	"example.com/svc/pkg/config"
	"example.com/svc/pkg/util"
)

type promMetadata struct {
	Timeout           time.Duration `keda:"name=timeout,       order=triggerMetadata, optional"`
	MinConnectTimeout int           `keda:"name=minConnectTimeout, order=triggerMetadata, default=5"`
	Name              string        `keda:"name=name, order=triggerMetadata, default=x"`
}

func NewPromScaler(cfg *config.ScalerConfig) *http.Client {
	meta := &promMetadata{}
	timeout := cfg.GlobalHTTPTimeout
	if meta.Timeout > 0 {
		timeout = meta.Timeout // the trigger's own value, when given
	}
	return util.CreateHTTPClient(timeout)
}

func NewDatadogScaler(cfg *config.ScalerConfig) *http.Client {
	meta := &promMetadata{}
	if meta.Timeout == 0 {
		meta.Timeout = cfg.GlobalHTTPTimeout
	}
	first := util.CreateHTTPClient(meta.Timeout)
	_ = first
	return newAPIClient(meta)
}

func newAPIClient(s *promMetadata) *http.Client {
	return util.CreateHTTPClient(s.Timeout)
}

func dialParams(meta *promMetadata) time.Duration {
	return time.Duration(meta.MinConnectTimeout) * time.Second
}
'''


def test_a_value_handed_through_a_constructor_parameter_into_a_field_reaches_the_readers(tmp_path):
    found = _scan(tmp_path, {"cmd/main.go": MAIN, "pkg/util/http.go": UTIL, "pkg/scaling/handler.go": HANDLER,
                             "pkg/config/config.go": CONFIG, "pkg/scalers/prom.go": SCALER})
    assert ("pkg/scalers/prom.go", 23, "timeout", 3000) in found  # the env default, through the handler
    # filled when unset in one function, read in the function it is handed to
    assert ("pkg/scalers/prom.go", 31, "timeout", 3000) in found
    assert ("pkg/scalers/prom.go", 37, "timeout", 3000) in found


def test_two_callers_handing_different_values_give_no_value(tmp_path):
    other = MAIN.replace("func main() {", "func other() {\n\tscaling.NewScaleHandler(nil, 10*time.Second, 1)\n}\n\nfunc main() {")
    found = _scan(tmp_path, {"cmd/main.go": other, "pkg/util/http.go": UTIL, "pkg/scaling/handler.go": HANDLER,
                             "pkg/config/config.go": CONFIG, "pkg/scalers/prom.go": SCALER})
    assert ("pkg/scalers/prom.go", 23, "timeout", None) in found
    assert not any(f[3] in (3000, 10000) for f in found if f[0] == "pkg/scalers/prom.go")


def test_a_keda_tag_default_option_values_the_field():
    result = EXTRACTOR.extract("svc/pkg/scalers/prom.go", SCALER.encode())
    assert result.symbols.get("$flag:promMetadata/MinConnectTimeout") is not None
    assert result.symbols["$flag:promMetadata/MinConnectTimeout"].value == 5.0
    # `optional` without a default, and a string's default, give no duration
    assert "$flag:promMetadata/Timeout" not in result.symbols


BACKOFF = '''package backoff

import "time"

type ConstantBackoff struct {
	Sleep time.Duration
	Max   int

	tried int
}

func (c *ConstantBackoff) Next(err error) bool {
	c.tried++
	if c.tried > c.Max {
		return false
	}
	time.Sleep(c.Sleep)
	return true
}

type Pager struct {
	MaxPages int
	page     int
}

func (p *Pager) More() bool {
	p.page++
	return p.page < p.MaxPages
}
'''

SETTINGS = '''package setting

import "context"

type provider struct{}

func (s *provider) getInt(ctx context.Context, name string, def int) int { return def }

func (s *provider) ChunkRetryLimit(ctx context.Context) int {
	return s.getInt(ctx, "chunk_retries", 3)
}
'''

SEED = '''package inventory

var DefaultSettings = map[string]string{
	"site_name":     `Cloud`,
	"chunk_retries": `5`,
}
'''

DRIVER = '''package cos

import (
	"context"
	"time"

	"example.com/svc/pkg/backoff"
	"example.com/svc/pkg/setting"
)

type Driver struct {
	settings *setting.Provider
}

func (d *Driver) Put(ctx context.Context, chunk func() error) error {
	bo := &backoff.ConstantBackoff{
		Max:   d.settings.ChunkRetryLimit(ctx),
		Sleep: 5 * time.Second,
	}
	presign := &backoff.ConstantBackoff{}
	pages := &backoff.Pager{MaxPages: 10}
	_, _, _ = bo, presign, pages
	return nil
}

func (d *Driver) process(ctx context.Context, bo *backoff.ConstantBackoff, send func() error) error {
	err := send()
	if err != nil {
		if err != context.Canceled && bo.Next(err) {
			return d.process(ctx, bo, send)
		}
		return err
	}
	return nil
}
'''


def test_a_project_backoff_type_counting_tries_against_a_field_is_a_retry_where_it_is_built(tmp_path):
    found = _scan(tmp_path, {"pkg/backoff/backoff.go": BACKOFF, "pkg/setting/provider.go": SETTINGS,
                             "inventory/setting.go": SEED, "pkg/cos/cos.go": DRIVER})
    retries = [f for f in found if f[2] == "retry"]
    # Max re-tries after the first (`>`): the seeded 5 (not the getter's fallback 3) + 1 = 6, at the Max line
    assert retries == [("pkg/cos/cos.go", 17, "retry", 6)]
    # traps: the empty backoff (no bound set), the pager's MaxPages (no sleep, no `return false` stop),
    # the recursion guarded by bo.Next(err) (the bound is the backoff's)


def test_a_settings_getter_without_a_seeded_value_answers_its_fallback(tmp_path):
    found = _scan(tmp_path, {"pkg/backoff/backoff.go": BACKOFF, "pkg/setting/provider.go": SETTINGS,
                             "pkg/cos/cos.go": DRIVER})
    assert [f for f in found if f[2] == "retry"] == [("pkg/cos/cos.go", 17, "retry", 4)]
