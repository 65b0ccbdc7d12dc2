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


def test_a_config_for_constant_read_at_a_clients_options_takes_the_files_values_and_url(tmp_path):
    (tmp_path / "config" / "initializers").mkdir(parents=True)
    (tmp_path / "config" / "risk.yml").write_text(
        "shared:\n  url: http://risk:8000\n  timeout: 4\n  max_retries: 2\ntest:\n  timeout: 1\n")
    (tmp_path / "config" / "initializers" / "risk.rb").write_text("RISK_CONFIG = Rails.application.config_for(:risk)\n")
    (tmp_path / "Gemfile").write_text("source 'https://rubygems.org'\ngem 'rails'\ngem 'faraday'\n")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "risk.rb").write_text(
        "class Risk\n"
        "  def self.connection\n"
        "    Faraday.new(url: RISK_CONFIG[:url], request: { timeout: RISK_CONFIG[:timeout] })\n"
        "  end\n"
        "  def self.other\n"
        "    Faraday.new(url: OTHER[:url], request: { timeout: OTHER[:timeout] })\n"
        "  end\n"
        "end\n")
    found = sorted((f.path, f.line, f.attributes.get("timeout_ms"), f.target.service if f.target else None)
                   for f in scan(tmp_path).findings if f.kind == "timeout" and f.path == "app/risk.rb")
    assert (("app/risk.rb", 3, 4000, "risk")) in found
    # a constant no file assigns from config_for stays without a value
    assert [f[2] for f in found if f[1] == 6] in ([], [None])
