"""Round 20 (lead, polyglot17): Faraday options read from a Rails app's custom settings
(`config.x.risk.timeout = 5` in config/application.rb, read as `Rails.configuration.x.risk.timeout`)."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan

APPLICATION = '''require_relative "boot"
require "rails/all"

module Support
  class Application < Rails::Application
    config.load_defaults 8.0
    config.x.risk.url = ENV.fetch("RISK_URL", "http://risk.internal:8000")
    config.x.risk.timeout = 5
    config.x.risk.open_timeout = 2
  end
end
'''

CLIENT = '''class RiskBreakdown
  def self.connection
    @connection ||= Faraday.new(url: Rails.configuration.x.risk.url, request: { timeout: Rails.configuration.x.risk.timeout, open_timeout: Rails.application.config.x.risk.open_timeout })
  end

  def self.for(customer_id)
    connection.get("/v1/breakdown/#{customer_id}").body
  end
end
'''


def _scan(tmp_path: Path, files: dict[str, str]) -> list[tuple]:
    (tmp_path / "Gemfile").write_text('source "https://rubygems.org"\ngem "rails"\ngem "faraday"\n')
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    return sorted((f.path, f.line, f.attributes.get("timeout_ms"), f.attributes.get("phase"),
                   f.target.url if f.target else None)
                  for f in result.findings if f.kind == "timeout")


def test_faraday_options_read_from_rails_config_x(tmp_path: Path) -> None:
    got = _scan(tmp_path, {"config/application.rb": APPLICATION, "app/services/risk_breakdown.rb": CLIENT})
    assert got == [("app/services/risk_breakdown.rb", 3, 2000, "connect", "http://risk.internal:8000"),
                   ("app/services/risk_breakdown.rb", 3, 5000, "total", "http://risk.internal:8000")]


def test_a_development_environment_value_is_not_the_deployed_one(tmp_path: Path) -> None:
    dev = 'Rails.application.configure do\n  config.x.risk.timeout = 60\nend\n'
    got = _scan(tmp_path, {"config/environments/development.rb": dev, "app/services/risk_breakdown.rb": CLIENT})
    assert all(value != 60000 for _, _, value, _, _ in got)
    assert [path for path, *_ in got if path.startswith("config/")] == []


def test_config_x_lines_are_not_client_settings_of_their_own(tmp_path: Path) -> None:
    got = _scan(tmp_path, {"config/application.rb": APPLICATION})
    assert got == []


def test_a_client_setter_named_like_config_is_still_read(tmp_path: Path) -> None:
    # `http.open_timeout = 2` on a Net::HTTP object stays a setting; only `config.x.` lines are custom settings
    code = ('require "net/http"\n\nclass Carrier\n  def fetch\n    http = Net::HTTP.new("carrier.example.com", 443)\n'
            '    http.open_timeout = 2\n    http.get("/v1/labels")\n  end\nend\n')
    got = _scan(tmp_path, {"app/services/carrier.rb": code})
    assert ("app/services/carrier.rb", 6, 2000, "connect", None) in [(p, l, v, ph, None) for p, l, v, ph, _ in got]
