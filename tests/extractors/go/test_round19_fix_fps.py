"""Round 19, second-wave fixes (gofix): the shapes the held-out sets' first scans still missed after the
first wave: a grpc grace wait, a receiver's own config and an option forwarding a parameter's field."""

from __future__ import annotations

from pathlib import Path  # noqa: F401  (tmp_path fixtures are typed Path)

from tests.extractors.go.test_round18 import _found, _scan  # noqa: F401  (shared helpers)

# --- gRPC: a wait for a dropped connection's state change before closing it is a grace ----------------------

GRPC_POOL = '''package proxy

import (
	"context"
	"errors"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/connectivity"
)

func cleanup(cs *grpc.ClientConn, grace time.Duration) {
	go func(cs *grpc.ClientConn, state connectivity.State) {
		ctx, cancel := context.WithTimeout(context.Background(), grace*2)
		defer cancel()
		// wait for state to change, or timeout, before closing
		cs.WaitForStateChange(ctx, state)
		cs.Close()
	}(cs, cs.GetState())
}

func waitReady(cs *grpc.ClientConn) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for {
		state := cs.GetState()
		if state == connectivity.Ready {
			return nil
		}
		if !cs.WaitForStateChange(ctx, state) {
			return errors.New("timeout")
		}
	}
}
'''


def test_a_wait_for_a_state_change_before_closing_is_no_timeout_but_a_wait_for_ready_is():
    got = _found(GRPC_POOL, "svc/proxy/grpc_handler.go")
    assert not [g for g in got if g[0] == 14]
    assert (23, "timeout", 5000) in got


# --- buildkite-agent: a config the caller fills, handed on -------------------------------------------------

AGENTHTTP = '''package agenthttp

import (
	"net/http"
	"time"
)

type clientConfig struct {
	Timeout time.Duration
	Token   string
}

type ClientOption = func(*clientConfig)

func WithTimeout(d time.Duration) ClientOption { return func(c *clientConfig) { c.Timeout = d } }
func WithAuthToken(t string) ClientOption      { return func(c *clientConfig) { c.Token = t } }

func NewClient(opts ...ClientOption) *http.Client {
	conf := clientConfig{Timeout: 60 * time.Second}
	for _, opt := range opts {
		opt(&conf)
	}
	return &http.Client{Timeout: conf.Timeout}
}
'''

API_CLIENT = '''package api

import (
	"net/http"
	"time"

	"example.com/svc/internal/agenthttp"
)

type Config struct {
	Endpoint string
	Token    string
	Timeout  time.Duration
}

type Client struct {
	conf   Config
	client *http.Client
}

func NewClient(conf Config) *Client {
	opts := []agenthttp.ClientOption{agenthttp.WithAuthToken(conf.Token)}
	if conf.Timeout != 0 {
		opts = append(opts, agenthttp.WithTimeout(conf.Timeout))
	}
	return &Client{conf: conf, client: agenthttp.NewClient(opts...)}
}

func (c *Client) New(conf Config) *Client {
	return NewClient(conf)
}

func (c *Client) FromPing(endpoint string) *Client {
	conf := c.conf
	conf.Endpoint = endpoint
	return c.New(conf)
}

func ping() *http.Client {
	return agenthttp.NewClient(agenthttp.WithTimeout(5 * time.Second))
}
'''


def test_a_copy_of_the_receivers_config_and_an_option_forwarding_a_parameters_field_are_no_contracts(tmp_path):
    got = _scan(tmp_path, {"internal/agenthttp/client.go": AGENTHTTP, "api/client.go": API_CLIENT})
    mine = [g for g in got if g[0] == "api/client.go"]
    # `agenthttp.WithTimeout(conf.Timeout)`: forwards what NewClient's callers fill (no default)
    assert not [g for g in mine if g[1] == 24]
    # `c.New(conf)` with `conf := c.conf`: the config the client was built with
    assert not [g for g in mine if g[1] == 36]
    # an option of the same package given a value is that call's timeout (rule c)
    assert ("api/client.go", 40, "timeout", 5000) in mine
