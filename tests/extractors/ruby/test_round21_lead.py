"""Round 21 (lead, polyglot19): a config_for file whose only top-level section is Rails 7's `shared:`."""

from __future__ import annotations

from contract_discovery.pipeline import scan


def _scan(tmp_path, yaml_text: str):
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "risk.yml").write_text(yaml_text)
    (tmp_path / "Gemfile").write_text("source 'https://rubygems.org'\ngem 'rails'\n")
    (tmp_path / "app.rb").write_text("RISK = Rails.application.config_for(:risk)\n")
    return sorted((f.path, f.line, f.kind, f.attributes.get("timeout_ms") if f.kind == "timeout"
                   else f.attributes.get("max_attempts")) for f in scan(tmp_path).findings if f.kind in ("timeout", "retry"))


def test_a_shared_only_config_for_file_is_read(tmp_path):
    found = _scan(tmp_path, "shared:\n  url: http://risk:8000\n  timeout: 4\n  open_timeout: 1\n  max_retries: 2\n")
    assert found == [("config/risk.yml", 3, "timeout", 4000), ("config/risk.yml", 4, "timeout", 1000),
                     ("config/risk.yml", 5, "retry", 3)]


def test_a_yaml_whose_top_level_is_no_environment_is_not_a_config_for_file(tmp_path):
    assert _scan(tmp_path, "risk:\n  timeout: 4\n") == []
