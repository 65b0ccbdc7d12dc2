"""Round 19, second-wave fixes (gofix): the shapes the held-out sets' first scans still missed after the
first wave: Consul's service check timeout."""

from __future__ import annotations

from pathlib import Path  # noqa: F401  (tmp_path fixtures are typed Path)

from tests.extractors.go.test_round18 import _found, _scan  # noqa: F401  (shared helpers)

# --- Consul's agent check of the service: its Timeout bounds the HTTP probe -------------------------------

CONSUL = '''package consul

import (
	"time"

	"github.com/hashicorp/consul/api"
)

type Config struct {
	CheckInterval time.Duration
	CheckTimeout  time.Duration
}

func service(cfg *Config, checkURL string) *api.AgentServiceRegistration {
	return &api.AgentServiceRegistration{
		Name: "fabio",
		Checks: []*api.AgentServiceCheck{
			{
				CheckID: "fabio-ttl",
				TTL:     "15s",
				Timeout: "timeout",
			},
			{
				HTTP:     checkURL,
				Interval: cfg.CheckInterval.String(),
				Timeout:  cfg.CheckTimeout.String(),
			},
		},
		Check: &api.AgentServiceCheck{
			GRPC:    "localhost:9090",
			Timeout: "3s",
		},
	}
}
'''


def test_a_consul_service_checks_timeout_bounds_its_probe():
    got = _found(CONSUL, "svc/registry/consul/register.go")
    assert (26, "timeout", None) in got  # a duration's String(): the setting, read elsewhere
    assert (31, "timeout", 3000) in got
    # a TTL check makes no call (and the word in its string is no duration); Interval is a schedule
    assert not [g for g in got if g[0] in (21, 25)]


def test_a_timeout_key_of_another_packages_check_type_is_not_consuls():
    other = CONSUL.replace('"github.com/hashicorp/consul/api"', '"example.com/svc/api"')
    assert not [g for g in _found(other, "svc/registry/consul/register.go") if g[0] in (26, 31)]
