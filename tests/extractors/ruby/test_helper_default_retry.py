"""A rescue/retry helper bounded by its own defaulted parameter is a retry with that default at its line (rule a);
its calls leaving it out get the default (rule b), calls passing a count get theirs (rule c)."""

from __future__ import annotations

from contract_discovery.pipeline import scan
from extractors.ruby.extractor import EXTRACTOR

HELPER = """module Retrying
  def with_retries(tries: 3)
    attempt = 0
    begin
      attempt += 1
      yield
    rescue Faraday::ConnectionFailed
      retry if attempt < tries
      raise
    end
  end
end
"""
CALLER = """class CrmClient
  include Retrying

  def create(payload)
    with_retries { @conn.post("/v1/tickets", payload) }
  end

  def close(id)
    with_retries(tries: 5) { @conn.post("/v1/tickets/#{id}/close") }
  end
end
"""


def test_the_helper_line_has_its_default_and_keeps_its_parameter():
    found = [(f.line, f.attributes["max_attempts"]) for f in EXTRACTOR.extract("app/retrying.rb", HELPER.encode()).findings
             if f.kind == "retry"]
    assert found == [(8, 3)]


def test_rules_a_b_c_across_files(tmp_path):
    (tmp_path / "Gemfile").write_text('source "https://rubygems.org"\ngem "faraday"\n')
    (tmp_path / "app").mkdir()
    (tmp_path / "app/retrying.rb").write_text(HELPER)
    (tmp_path / "app/crm_client.rb").write_text(CALLER)
    got = {(f.path, f.line): f.attributes.get("max_attempts") for f in scan(tmp_path).findings if f.kind == "retry"}
    assert got == {("app/retrying.rb", 8): 3, ("app/crm_client.rb", 5): 3, ("app/crm_client.rb", 9): 5}
