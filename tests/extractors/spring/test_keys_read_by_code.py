"""A custom-prefixed Kafka client key in application.yml is reported in the file only when no code reads it itself:
code that reads it with `@Value` applies it, and that call is the contract (one finding, not two)."""

from pathlib import Path

from contract_discovery.pipeline import scan

YAML = """bus:
  kafka:
    request.timeout.ms: 30000
    delivery.timeout.ms: 45000
"""

SETTINGS = """package com.acme.bus;

import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.springframework.beans.factory.annotation.Value;

public class BusProducer {
    private final int requestTimeoutMs;

    public BusProducer(@Value("${bus.kafka.request.timeout.ms}") final int requestTimeoutMs) {
        this.requestTimeoutMs = requestTimeoutMs;
    }

    Properties props() {
        Properties props = new Properties();
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, requestTimeoutMs);
        return props;
    }
}
"""


def _service(root: Path, with_code: bool) -> None:
    base = root / "bus"
    (base / "src" / "main" / "resources").mkdir(parents=True)
    (base / "pom.xml").write_text("<project><artifactId>bus</artifactId></project>\n")
    (base / "src" / "main" / "resources" / "application.yml").write_text(YAML)
    if with_code:
        src = base / "src" / "main" / "java" / "com" / "acme" / "bus"
        src.mkdir(parents=True)
        (src / "BusProducer.java").write_text(SETTINGS)


def _timeouts(root: Path):
    return sorted((f.path.rsplit("/", 1)[-1], f.line, f.attributes["timeout_ms"])
                  for f in scan(root).findings if f.kind == "timeout")


def test_a_key_the_code_reads_is_reported_where_the_code_applies_it(tmp_path: Path) -> None:
    _service(tmp_path, with_code=True)
    # request.timeout.ms: only the props.put line (with the file's value); delivery.timeout.ms nothing reads: the file
    assert _timeouts(tmp_path) == [("BusProducer.java", 16, 30000), ("application.yml", 4, 45000)]


def test_a_key_no_code_reads_is_reported_in_the_file(tmp_path: Path) -> None:
    _service(tmp_path, with_code=False)
    assert _timeouts(tmp_path) == [("application.yml", 3, 30000), ("application.yml", 4, 45000)]
