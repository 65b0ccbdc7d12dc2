"""HTTParty calls with an interpolated path go to the class's base_uri."""

from extractors.ruby.extractor import EXTRACTOR

SOURCE = b'''require "httparty"

class RiskEngineClient
  include HTTParty
  base_uri "http://risk-engine:8000"
  default_timeout 4

  def timeline(case_id)
    self.class.get("/v1/cases/#{case_id}/timeline", timeout: 12)
  end

  def elsewhere(host)
    self.class.get("#{host}/v1/ping", timeout: 3)
  end
end
'''


def test_an_interpolated_path_joins_the_base_uri_and_a_full_interpolated_url_does_not():
    findings = EXTRACTOR.extract("app/services/risk_engine_client.rb", SOURCE).findings
    got = sorted((f.line, f.attributes["timeout_ms"], f.target.url if f.target else None)
                 for f in findings if f.kind == "timeout" and f.detector == "ruby.httparty")
    assert got == [(6, 4000, "http://risk-engine:8000"),
                   (9, 12000, "http://risk-engine:8000/v1/cases/{case_id}/timeline"),
                   (13, 3000, None)]
