"""Round 10, second wave (held-out sets mod-patron and spring-boot-microservices-series-v2): an overload chain
handing a fixed timeout on through several overloads, a Kafka client setting written as a numeric string, and
JobRunr's @Job(retries = n)."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan
from extractors.java.extractor import EXTRACTOR
from tests.extractors.java.support import resolve

CLIENT = """package org.acme.http;

import io.vertx.ext.web.client.WebClient;
import java.util.Map;

public class OkapiClient {
  private static final long DEFAULT_TIMEOUT_MS = 5000;
  private final WebClient client;

  public OkapiClient(WebClient client) { this.client = client; }

  public Response get(String path, Map<String, String> headers) {
    return get(path, Map.of(), headers);
  }

  public Response get(String path, Map<String, String> params, Map<String, String> headers) {
    return get(path, params, headers, DEFAULT_TIMEOUT_MS);
  }

  public Response get(String path, Map<String, String> params, Map<String, String> headers, long timeout) {
    return client.get(80, "host", path).timeout(timeout).send();
  }
}
"""

CALLER = """package org.acme.repo;

import java.util.Map;
import org.acme.http.OkapiClient;

public class UserRepository {
  private final OkapiClient client;

  public UserRepository(OkapiClient client) { this.client = client; }

  public Object user(String id, Map<String, String> headers) {
    return client.get("/users/" + id, headers);
  }

  public Object users(Map<String, String> query, Map<String, String> headers) {
    return client.get("/users", query, headers);
  }

  public Object slow(Map<String, String> headers) {
    return client.get("/users", Map.of(), headers, 60000);
  }

  public Object retry(Map<String, String> headers) {
    String timeout = "get";  // a word, not a call
    return timeout;
  }
}
"""


def _service(tmp_path: Path) -> Path:
    root = tmp_path / "svc"
    for rel, text in (("src/main/java/org/acme/http/OkapiClient.java", CLIENT),
                      ("src/main/java/org/acme/repo/UserRepository.java", CALLER)):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    (root / "pom.xml").write_text("<project><artifactId>svc</artifactId></project>\n")
    return root


def test_calls_of_an_overload_chain_get_the_default_the_shortest_hands_on(tmp_path: Path):
    result = scan(_service(tmp_path), jobs=1, cache_dir=tmp_path / ".cache")
    got = sorted((Path(f.path).name, f.line, f.attributes.get("timeout_ms")) for f in result.findings
                 if f.kind == "timeout")
    # the two-argument overload two hops from the timeout (13: the chain's own hand-on, a call leaving it out),
    # the three-argument one (17: rule a), the callers of both (rule b) and the one passing 60 s (rule c)
    assert ("UserRepository.java", 12, 5000) in got
    assert ("UserRepository.java", 16, 5000) in got
    assert ("UserRepository.java", 20, 60000) in got
    assert ("OkapiClient.java", 17, 5000) in got
    assert not any(name == "UserRepository.java" and line > 20 for name, line, _ in got)
    # the helper's own `.timeout(timeout)` forwards its parameter: no contract there
    assert not any(name == "OkapiClient.java" and line == 21 for name, line, _ in got)


def _timeouts(source: str):
    result = EXTRACTOR.extract("src/main/java/org/acme/T.java", source.encode())
    return sorted((f.line, f.attributes.get("timeout_ms")) for f in resolve([result]) if f.kind == "timeout")


def test_kafka_setting_written_as_a_numeric_string():
    source = """package org.acme;
import java.util.Map;
import java.util.HashMap;
import org.apache.kafka.streams.StreamsConfig;
class C {
    Map<String, Object> props() {
        Map<String, Object> p = new HashMap<>();
        p.put(StreamsConfig.REQUEST_TIMEOUT_MS_CONFIG, "60000");
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "1000");
        p.put("client.id", "60000");
        return p;
    }
}
"""
    assert _timeouts(source) == [(8, 60000)]


def _retries(source: str):
    result = EXTRACTOR.extract("src/main/java/org/acme/T.java", source.encode())
    return sorted((f.line, f.attributes.get("max_attempts"), f.attributes.get("library")) for f in resolve([result])
                  if f.kind == "retry")


def test_jobrunr_job_retries_are_runs_after_the_first():
    source = """package org.acme;
import org.jobrunr.jobs.annotations.Job;
class Jobs {
    @Job(name = "reprocess", retries = 2)
    public void reprocess() { }

    @Job(name = "plain")
    public void plain() { }

    @Job(name = "never", retries = 0)
    public void never() { }
}
"""
    # round 15: `retries = 0` turns JobRunr's default of 10 retries off: one run, a setting worth reporting
    assert _retries(source) == [(4, 3, "jobrunr"), (10, 1, "jobrunr")]
    # another library's @Job (Quartz-like, a project's own) is not JobRunr's
    assert _retries(source.replace("org.jobrunr.jobs.annotations.Job", "org.acme.scheduling.Job")) == []


RESOURCE = """package org.acme.repo;

import java.util.Map;
import org.acme.http.OkapiClient;
import org.acme.http.ClientFactory;

public class Resource {
  public Object accounts(OkapiClient httpClient, Map<String, String> headers) {
    return httpClient.get("/accounts", headers);
  }

  public Object renew(Object vertx, Map<String, String> headers) {
    var httpClient = ClientFactory.getHttpClient(vertx);
    return httpClient.get("/renew", headers);
  }
}
"""


def test_a_var_local_takes_the_type_the_file_writes_for_that_name(tmp_path: Path):
    root = _service(tmp_path)
    (root / "src/main/java/org/acme/repo/Resource.java").write_text(RESOURCE)
    result = scan(root, jobs=1, cache_dir=tmp_path / ".cache")
    got = {(Path(f.path).name, f.line, f.attributes.get("timeout_ms")) for f in result.findings if f.kind == "timeout"}
    assert ("Resource.java", 9, 5000) in got and ("Resource.java", 14, 5000) in got
    # two written types for the name: the var's is not known
    (root / "src/main/java/org/acme/repo/Resource.java").write_text(
        RESOURCE.replace("  public Object renew(", "  public Object other(String httpClient) { return httpClient; }\n\n"
                                                 "  public Object renew("))
    result = scan(root, jobs=1, cache_dir=tmp_path / ".cache2")
    got = {(Path(f.path).name, f.line) for f in result.findings if f.kind == "timeout"}
    assert ("Resource.java", 9) in got and ("Resource.java", 16) not in got
