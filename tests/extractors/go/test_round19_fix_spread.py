"""Round 19, second-wave fixes (gofix): rule (b) for options handed as a local slice the function builds
(buildkite-agent's api.NewClient: an option appended only when its value is set)."""

from __future__ import annotations

from pathlib import Path  # noqa: F401  (tmp_path fixtures are typed Path)

from tests.extractors.go.test_round18 import _scan
from tests.extractors.go.test_round19_fix_fps import AGENTHTTP

SPREAD = '''package api

import (
	"net/http"
	"time"

	"example.com/svc/internal/agenthttp"
)

type Config struct {
	Token   string
	Timeout time.Duration
}

func NewClient(conf Config) *http.Client {
	opts := []agenthttp.ClientOption{agenthttp.WithAuthToken(conf.Token)}
	if conf.Timeout != 0 {
		opts = append(opts, agenthttp.WithTimeout(conf.Timeout))
	}
	return agenthttp.NewClient(opts...)
}

func NewPinger(token string) *http.Client {
	timeout := 5 * time.Second
	opts := []agenthttp.ClientOption{agenthttp.WithAuthToken(token)}
	if timeout != 0 {
		opts = append(opts, agenthttp.WithTimeout(timeout))
	}
	return agenthttp.NewClient(opts...)
}

func NewOther(extra agenthttp.ClientOption) *http.Client {
	opts := []agenthttp.ClientOption{extra}
	return agenthttp.NewClient(opts...)
}
'''


def test_options_spread_from_a_local_slice_leaving_the_timeout_option_to_an_unset_value_get_the_default(tmp_path):
    got = _scan(tmp_path, {"internal/agenthttp/client.go": AGENTHTTP, "api/client.go": SPREAD})
    mine = [g for g in got if g[0] == "api/client.go"]
    # the option is appended only when conf.Timeout is set, which nothing sets: the helper's 60 s
    assert ("api/client.go", 20, "timeout", 60000) in mine
    # a value that is set appends the option: its own value at its line, no default at the call
    assert ("api/client.go", 27, "timeout", 5000) in mine
    assert not [g for g in mine if g[1] == 29]
    # a slice holding an option the function was handed may hold the timeout option: nothing
    assert not [g for g in mine if g[1] == 34]
