"""Round 10 (held-out sets CrowdSec, ExternalDNS, Harbor's job service, Burrow): value rules."""

from __future__ import annotations

from contract_discovery.values import Num
from extractors.go.extractor import EXTRACTOR
from extractors.go.gofile import GoFile

CONFIG = b'''package externaldns

import "time"

type Config struct {
	AzureMaxRetriesCount  int
	KubeAPIRequestTimeout time.Duration
	Name                  string
}

// The flag defaults kept in a package variable, beside a constructor that checks its own values.
var defaultConfig = &Config{
	AzureMaxRetriesCount:  3,
	KubeAPIRequestTimeout: time.Second * 30,
	Name:                  "timeout", // a string, no default of a bound
}

func NewConfig() *Config {
	return &Config{KubeAPIRequestTimeout: defaultConfig.KubeAPIRequestTimeout}
}
'''


def test_a_config_constructor_beside_a_defaults_variable_publishes_the_defaults():
    """`NewConfig()` checking its literal's values read the defaults being gathered: it recursed without
    end and the file's defaults were lost (ExternalDNS' types.go)."""
    gf = GoFile("pkg/apis/externaldns/types.go", CONFIG)
    defaults = gf.field_defaults
    assert defaults[("Config", "AzureMaxRetriesCount")] == Num(3)
    assert ("Config", "Name") not in defaults or defaults[("Config", "Name")] != Num(3)
    result = EXTRACTOR.extract("pkg/apis/externaldns/types.go", CONFIG)
    assert result.errors == ()
    assert result.symbols["$flag:Config/AzureMaxRetriesCount"] == Num(3)


def test_a_nested_config_field_filled_in_a_method_is_the_default_read_in_another_file():
    """`if l.Config.WaitForReady == 0 { l.Config.WaitForReady = 10 * time.Second }` in config.go, read as
    `context.WithTimeout(ctx, l.Config.WaitForReady)` in run.go (CrowdSec's Loki source)."""
    from contract_discovery.resolve import Resolver, ServiceIndex, resolve_finding

    source = b'''package loki
import "time"
type Configuration struct { WaitForReady time.Duration; Limit int }
type Source struct { Config Configuration }
'''
    config = b'''package loki
import "time"
func (l *Source) UnmarshalConfig(b []byte) error {
	if l.Config.WaitForReady == 0 {
		l.Config.WaitForReady = 10 * time.Second
	}
	if l.Config.Limit > 100 {
		l.Config.Limit = 100
	}
	return nil
}
'''
    run = b'''package loki
import "context"
func (l *Source) Stream(ctx context.Context, ready func(context.Context) error) error {
	readyCtx, cancel := context.WithTimeout(ctx, l.Config.WaitForReady)
	defer cancel()
	return ready(readyCtx)
}
'''
    results = [EXTRACTOR.extract("loki/source.go", source), EXTRACTOR.extract("loki/config.go", config),
               EXTRACTOR.extract("loki/run.go", run)]
    assert results[1].symbols.get("$flag:Source/Config/WaitForReady") is not None
    assert not any("Limit" in k for k in results[1].symbols)  # a cap, not a fill-in of an unset value
    [finding] = [f for f in results[2].findings if f.kind == "timeout"]
    resolved = resolve_finding(finding, results[2], Resolver(results), ServiceIndex([]))
    assert resolved.attributes["timeout_ms"] == 10000


def test_an_unmarshaller_filling_an_alias_of_its_type_publishes_the_default():
    """`type raw PluginConfig; aux := raw{}; ...; if aux.TimeOut == 0 { aux.TimeOut = time.Second * 5 }; *pc =
    PluginConfig(aux)` (CrowdSec's plugin broker): the default of PluginConfig.TimeOut, read as `cfg.TimeOut`."""
    from contract_discovery.resolve import Resolver, ServiceIndex, resolve_finding

    broker = b'''package csplugin
import "time"
type PluginConfig struct {
	TimeOut  time.Duration `yaml:"timeout,omitempty"`
	MaxRetry uint          `yaml:"max_retry,omitempty"`
}
func (pc *PluginConfig) UnmarshalYAML(unmarshal func(any) error) error {
	type raw PluginConfig
	aux := raw{}
	if err := unmarshal(&aux); err != nil {
		return err
	}
	if aux.TimeOut == 0 {
		aux.TimeOut = time.Second * 5
	}
	*pc = PluginConfig(aux)
	return nil
}
'''
    backoff = b'''package csplugin
import "context"
func attempt(ctx context.Context, cfg PluginConfig, fn func(context.Context) error) error {
	attemptCtx, cancel := context.WithTimeout(ctx, cfg.TimeOut)
	defer cancel()
	return fn(attemptCtx)
}
'''
    results = [EXTRACTOR.extract("pkg/csplugin/broker.go", broker), EXTRACTOR.extract("pkg/csplugin/backoff.go", backoff)]
    assert results[0].symbols.get("$flag:PluginConfig/TimeOut") is not None
    [finding] = [f for f in results[1].findings if f.kind == "timeout"]
    resolved = resolve_finding(finding, results[1], Resolver(results), ServiceIndex([]))
    assert resolved.attributes["timeout_ms"] == 5000
