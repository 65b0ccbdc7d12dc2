"""Values the code knows only through a field set once from a setting's default, settled the way
the pipeline settles them (round 9: TechnitiumSoftware/DnsServer's health checks)."""

from __future__ import annotations

from contract_discovery.values import Num

from extractors.csharp.extractor import EXTRACTOR
from tests.extractors.ruby.support import FIXTURES, extract_file, settle

PROBES = FIXTURES / "csharp" / "ConfiguredProbes.cs"


def _by_line():
    result = extract_file(EXTRACTOR, PROBES)
    return result, {(f.kind, f.line): f for f in result.findings}


def test_a_field_set_once_from_a_settings_default_is_that_default():
    result, found = _by_line()
    assert result.symbols["_timeout"] == Num(10000.0)
    assert result.symbols["_retries"] == Num(3.0)
    assert "_failures" not in result.symbols  # set twice: no one value
    assert settle(found[("timeout", 29)], [result])["timeout_ms"] == 10000
    assert settle(found[("retry", 41)], [result])["max_attempts"] == 3


def test_a_give_up_test_nested_in_a_catch_branch_bounds_the_loop():
    _, found = _by_line()
    assert found[("retry", 61)].attributes["max_attempts"] == 20


def test_a_getter_without_a_default_or_a_key_is_no_value():
    source = b"""class P {
    int _timeout;
    void Reload(Config c) { _timeout = c.GetPropertyValue(name, 10); }
    void Other(Config c) { var t = c.GetValueFor("timeout"); }
}
"""
    result = EXTRACTOR.extract("P.cs", source)
    assert "_timeout" not in result.symbols
