"""Round 19, second-wave fixes (gofix2): a helper's settings struct whose timeout field gets its
default in the helper's body (rule b at each call leaving it out, formance payments), and struct-tag
defaults read through a parsed twin field (file.d's `default:"5s" parse:"duration"` -> `X_`)."""

from __future__ import annotations

from pathlib import Path  # noqa: F401  (tmp_path fixtures are typed Path)

from tests.extractors.go.test_round18 import _scan

HTTPWRAPPER_CONFIG = '''package httpwrapper

import (
	"net/http"
	"time"
)

type Config struct {
	Timeout   time.Duration
	Transport http.RoundTripper
}
'''

HTTPWRAPPER = '''package httpwrapper

import (
	"net/http"
	"time"
)

const defaultTimeout = 10 * time.Second

type client struct{ httpClient *http.Client }

func NewClient(config *Config) *client {
	if config.Timeout == 0 {
		config.Timeout = defaultTimeout
	}
	httpClient := &http.Client{
		Timeout:   config.Timeout,
		Transport: config.Transport,
	}
	return &client{httpClient: httpClient}
}
'''

CALLERS = '''package acme

import (
	"net/http"
	"time"

	"example.com/svc/httpwrapper"
)

func New() {
	config := &httpwrapper.Config{
		Transport: http.DefaultTransport,
	}
	_ = httpwrapper.NewClient(config)
}

func Inline() {
	_ = httpwrapper.NewClient(&httpwrapper.Config{Transport: http.DefaultTransport})
}

func Given() {
	_ = httpwrapper.NewClient(&httpwrapper.Config{Timeout: 3 * time.Second})
}

func SetLater() {
	config := &httpwrapper.Config{}
	config.Timeout = 2 * time.Second
	_ = httpwrapper.NewClient(config)
}

func Other(timeout string) {
	_ = httpwrapper.Describe(&httpwrapper.Config{Transport: http.DefaultTransport}, "timeout")
}
'''

DESCRIBE = '''package httpwrapper

import "fmt"

func Describe(config *Config, label string) string {
	if config.Timeout == 0 {
		fmt.Println("no timeout")
	}
	return label
}
'''


def test_a_call_whose_settings_struct_leaves_the_timeout_out_gets_the_helpers_default(tmp_path):
    got = _scan(tmp_path, {"httpwrapper/config.go": HTTPWRAPPER_CONFIG, "httpwrapper/client.go": HTTPWRAPPER,
                           "httpwrapper/describe.go": DESCRIBE, "acme/client.go": CALLERS})
    mine = [g for g in got if g[0] == "acme/client.go"]
    # rule (a): the helper's own line (its value here taken from the one caller giving Timeout)
    assert [g for g in got if g[:3] == ("httpwrapper/client.go", 17, "timeout")]
    # rule (b): a local holding the literal, and the literal handed inline
    assert ("acme/client.go", 14, "timeout", 10000) in mine
    assert ("acme/client.go", 18, "timeout", 10000) in mine
    # rule (c): the literal gives Timeout (read where it is), no default at the call
    assert ("acme/client.go", 22, "timeout", 3000) in mine
    assert not [g for g in mine if g[1] == 22 and g[3] == 10000]
    # the field set on the local before the call: no default proposed there
    assert not [g for g in mine if g[1] == 28 and g[3] == 10000]
    # a helper that checks the field but sets no default and bounds no call: nothing (the word timeout
    # in a string is no setting)
    assert not [g for g in mine if g[1] == 32]


PLUGIN = '''package http

import (
	"time"

	"example.com/svc/cfg"
)

type Config struct {
	ConnectionTimeout  cfg.Duration `json:"connection_timeout" default:"5s" parse:"duration"`
	ConnectionTimeout_ time.Duration

	FlushTimeout cfg.Duration `json:"flush_timeout" default:"200ms"`
	FlushTimeout_ time.Duration
}

type Plugin struct {
	config *Config
	client *Client
}

func (p *Plugin) send(body []byte) error {
	return p.client.DoTimeout(body, p.config.ConnectionTimeout_)
}

func (p *Plugin) dial() {
	d := net.Dialer{Timeout: p.config.ConnectionTimeout_}
	_ = d
	f := net.Dialer{Timeout: p.config.FlushTimeout_}
	_ = f
}
'''

CFG = '''package cfg

import "time"

type Duration string
'''


def test_a_struct_tag_default_is_read_through_the_parsed_twin_field(tmp_path):
    got = _scan(tmp_path, {"plugin/http/http.go": PLUGIN, "cfg/cfg.go": CFG})
    mine = [g for g in got if g[0] == "plugin/http/http.go"]
    assert ("plugin/http/http.go", 27, "timeout", 5000) in mine
    # a field without `parse:` is not parsed into its twin: its default is not the twin's
    assert not [g for g in mine if g[1] == 29 and g[3] == 200]


CONF = '''package conf

type NATSConfig struct {
	Servers        []string
	ConnectTimeout int
}

type HTTPConfig struct {
	ReadTimeout int
}

type ConnectorConfig struct {
	ConnectTimeout int
}

type BridgeConfig struct {
	ConnectTimeout int
	Monitoring     HTTPConfig
	NATS           NATSConfig
	Connect        []ConnectorConfig
}

func DefaultBridgeConfig() BridgeConfig {
	return BridgeConfig{
		ConnectTimeout: 10000,
		Monitoring:     HTTPConfig{ReadTimeout: 5000},
		NATS:           NATSConfig{ConnectTimeout: 5000},
	}
}
'''

SERVER = '''package core

import "example.com/svc/conf"

type Bridge struct {
	config conf.BridgeConfig
}

func New() *Bridge {
	return &Bridge{config: conf.DefaultBridgeConfig()}
}
'''

READERS = '''package core

import (
	"net"
	"time"

	"github.com/nats-io/nats.go"
)

func (server *Bridge) connect() {
	config := server.config.NATS
	_, _ = nats.Connect("nats://x", nats.Timeout(time.Duration(config.ConnectTimeout)*time.Millisecond))
}

type conn struct{ bridge *Bridge }

func (c *conn) dial() {
	d := net.Dialer{Timeout: time.Duration(c.bridge.config.ConnectTimeout) * time.Millisecond}
	_ = d
	e := net.Dialer{Timeout: time.Duration(c.bridge.other.ConnectTimeout) * time.Millisecond}
	_ = e
}
'''


def test_a_nested_config_default_reaches_a_reader_of_a_type_declared_in_another_file(tmp_path):
    got = _scan(tmp_path, {"conf/conf.go": CONF, "core/server.go": SERVER, "core/nats.go": READERS})
    mine = [g for g in got if g[0] == "core/nats.go"]
    assert ("core/nats.go", 12, "timeout", 5000) in mine  # NATS' ConnectTimeout, not the bridge's 10 s
    assert ("core/nats.go", 18, "timeout", 10000) in mine  # the outermost config type's own field
    # a value not named for a config: the clashing name alone gives nothing
    assert not [g for g in mine if g[1] == 20 and g[3] is not None]


PROVIDER = '''package aws

import (
	"context"
	"time"
)

type Config struct {
	Region           string
	CollectorTimeout time.Duration
}

type AWS struct {
	ctx              context.Context
	collectorTimeout time.Duration
	client           Client
}

func New(ctx context.Context, config *Config) *AWS {
	return &AWS{
		ctx:              ctx,
		collectorTimeout: config.CollectorTimeout,
	}
}

func (a *AWS) Collect() {
	collectCtx, cancel := context.WithTimeout(a.ctx, a.collectorTimeout)
	defer cancel()
	_ = a.client.Describe(collectCtx)
}
'''

XHTTP = '''package xhttp

import (
	"time"

	"github.com/valyala/fasthttp"
)

type ClientConfig struct {
	Endpoints         []string
	ConnectionTimeout time.Duration
	DialTimeout       time.Duration
}

func NewClient(cfg *ClientConfig) *fasthttp.Client {
	return &fasthttp.Client{
		ReadTimeout:  cfg.ConnectionTimeout,
		WriteTimeout: cfg.ConnectionTimeout,
	}
}
'''

MAIN = '''package main

import (
	"context"
	"time"

	"example.com/svc/aws"
	"example.com/svc/xhttp"
)

func main() {
	collectorTimeout := time.Minute
	_ = aws.New(context.Background(), &aws.Config{
		Region:           "eu-west-1",
		CollectorTimeout: collectorTimeout,
	})
	_ = xhttp.NewClient(&xhttp.ClientConfig{
		Endpoints:         []string{"http://sink"},
		ConnectionTimeout: 5 * time.Second,
	})
}
'''


def test_a_settings_field_is_the_contract_where_its_package_uses_it_else_where_the_service_fills_it(tmp_path):
    got = _scan(tmp_path, {"aws/aws.go": PROVIDER, "xhttp/client.go": XHTTP, "main.go": MAIN})
    # the provider bounds its calls with the stored field: reported there, valued by main's literal ...
    assert ("aws/aws.go", 27, "timeout", 60000) in got
    # ... so the literal filling it is no contract of its own
    assert not [g for g in got if g[0] == "main.go" and g[1] == 15]
    # the client helper only hands its parameter's field to fasthttp: the Go sets disagree on where that
    # one is counted (file.d: the literal; autobrr: the helper); both lines stay reported
    assert ("main.go", 19, "timeout", 5000) in got
    assert [g for g in got if g[0] == "xhttp/client.go" and g[1] == 17]


def test_a_helpers_forwarded_field_stays_when_no_literal_of_the_service_gives_it(tmp_path):
    got = _scan(tmp_path, {"xhttp/client.go": XHTTP})
    assert [g for g in got if g[0] == "xhttp/client.go" and g[1] == 17]
