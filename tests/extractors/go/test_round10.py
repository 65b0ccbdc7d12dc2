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
