"""Round 19, second-wave fixes (gofix): the shapes the held-out sets' first scans still missed after the
first wave: fabio's package-wide defaults variable and argo-rollouts' constructor default."""

from __future__ import annotations

from pathlib import Path  # noqa: F401  (tmp_path fixtures are typed Path)

from tests.extractors.go.test_round18 import _found, _scan  # noqa: F401  (shared helpers)

# --- package-wide defaults: `var defaultConfig = &Config{...}` handed to flags as their defaults -----------

FABIO_TYPES = '''package config

import "time"

type Config struct {
	Proxy    Proxy
	Registry Registry
}

type Proxy struct {
	DialTimeout           time.Duration
	ResponseHeaderTimeout time.Duration
}

type Registry struct {
	Timeout time.Duration
	Custom  Custom
}

type Custom struct {
	Timeout time.Duration
}
'''

FABIO_DEFAULTS = '''package config

import "time"

var defaultConfig = &Config{
	Proxy: Proxy{
		DialTimeout: 30 * time.Second,
	},
	Registry: Registry{
		Timeout: 10 * time.Second,
		Custom: Custom{
			Timeout: 5 * time.Second,
		},
	},
}
'''

FABIO_LOAD = '''package config

import "flag"

func Load(args []string) (*Config, error) {
	cfg := &Config{}
	f := flag.NewFlagSet("fabio", flag.ExitOnError)
	f.DurationVar(&cfg.Proxy.DialTimeout, "proxy.dialtimeout", defaultConfig.Proxy.DialTimeout, "connection timeout")
	f.DurationVar(&cfg.Proxy.ResponseHeaderTimeout, "proxy.responseheadertimeout", defaultConfig.Proxy.ResponseHeaderTimeout, "response header timeout")
	f.DurationVar(&cfg.Registry.Custom.Timeout, "registry.custom.timeout", defaultConfig.Registry.Custom.Timeout, "custom back end timeout")
	if err := f.Parse(args); err != nil {
		return nil, err
	}
	return cfg, nil
}
'''

FABIO_TRANSPORT = '''package transport

import (
	"net"
	"net/http"

	"example.com/svc/config"
)

var (
	cfg *config.Config = &config.Config{}
)

func NewTransport() *http.Transport {
	return &http.Transport{
		ResponseHeaderTimeout: cfg.Proxy.ResponseHeaderTimeout,
		Dial: (&net.Dialer{
			Timeout: cfg.Proxy.DialTimeout,
		}).Dial,
	}
}

func SetConfig(ncfg *config.Config) {
	cfg = ncfg
}
'''

FABIO_CUSTOM = '''package custom

import (
	"net/http"

	"example.com/svc/config"
)

func fetch(cfg *config.Custom, url string) (*http.Response, error) {
	client := &http.Client{
		Timeout: cfg.Timeout,
	}
	return client.Get(url)
}
'''


def test_a_package_defaults_variable_values_the_flags_and_the_package_vars_reading_it(tmp_path):
    got = _scan(tmp_path, {"config/config.go": FABIO_TYPES, "config/default.go": FABIO_DEFAULTS,
                           "config/load.go": FABIO_LOAD, "transport/transport.go": FABIO_TRANSPORT,
                           "registry/custom/custom.go": FABIO_CUSTOM})
    # the package variable of the config package's type: the default of its path
    assert ("transport/transport.go", 18, "timeout", 30000) in got
    # the nested type's field read on a parameter of that type (`cfg *config.Custom`)
    assert ("registry/custom/custom.go", 11, "timeout", 5000) in got
    # a field the defaults leave unset (0: no bound) stays unknown, never another field's value
    assert ("transport/transport.go", 16, "timeout", None) in got


# --- a field set in a constructor's branch for an unset setting is the field's default ------------------

PROVIDER = '''package prometheus

import (
	"context"
	"errors"
	"time"
)

type Provider struct {
	api     API
	timeout time.Duration
	limit   int
}

func (p *Provider) Run(query string) error {
	ctx, cancel := context.WithTimeout(context.Background(), p.timeout)
	defer cancel()
	return p.api.Query(ctx, query)
}

func NewProvider(api API, metric Metric) (*Provider, error) {
	provider := &Provider{api: api}
	if metric.Prometheus == nil || metric.Prometheus.Timeout == nil {
		provider.timeout = 30 * time.Second
		return provider, nil
	}
	if *metric.Prometheus.Timeout < 0 {
		return nil, errors.New("timeout should not be negative")
	}
	provider.timeout = time.Duration(*metric.Prometheus.Timeout * int64(time.Second))
	return provider, nil
}
'''


def test_a_field_set_in_the_unset_settings_branch_of_a_constructor_is_its_default():
    assert (16, "timeout", 30000) in _found(PROVIDER, "svc/metricproviders/prometheus/prometheus.go")


def test_a_field_set_in_the_else_or_under_an_unrelated_condition_is_no_default():
    other = PROVIDER.replace("if metric.Prometheus == nil || metric.Prometheus.Timeout == nil {",
                             'if metric.Prometheus == nil || metric.Prometheus.Address == "" {')
    assert (16, "timeout", None) in _found(other, "svc/metricproviders/prometheus/prometheus.go")
    both = PROVIDER.replace("if metric.Prometheus == nil || metric.Prometheus.Timeout == nil {",
                            "if metric.Prometheus.Timeout == nil && metric.Strict {")
    assert (16, "timeout", None) in _found(both, "svc/metricproviders/prometheus/prometheus.go")
