"""Spring configuration: flattened symbols, effective Resilience4j settings, Feign/HTTP client
timeouts and replica data sources as findings, profiles, broken YAML."""

from __future__ import annotations

import pytest

from contract_discovery.values import Env, Num, Ref, Str
from extractors.spring.extractor import EXTRACTOR
from tests.annotations import check_annotations, read_annotations
from tests.extractors.java.support import FIXTURES, ROOT, extract_file, resolve

YAML_FIXTURES = sorted((FIXTURES / "spring").rglob("*.yml"))


@pytest.mark.parametrize("path", YAML_FIXTURES, ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_yaml_fixture_annotations(path):
    result = extract_file(EXTRACTOR, path)
    assert check_annotations(resolve([result]), path, path.relative_to(ROOT).as_posix()) == []
    expects, _ = read_annotations(path)
    if expects:
        assert EXTRACTOR.prefilter(path.read_bytes())


def test_claims():
    assert EXTRACTOR.claims("svc/src/main/resources/application.yml")
    assert EXTRACTOR.claims("svc/application.yaml")
    assert EXTRACTOR.claims("svc/application-prod.yml")
    assert EXTRACTOR.claims("svc/bootstrap.yml")
    assert EXTRACTOR.claims("svc/risk-client.properties")
    assert not EXTRACTOR.claims("svc/docker-compose.yml")
    assert not EXTRACTOR.claims("svc/src/main/resources/messages.properties")
    assert not EXTRACTOR.claims("svc/src/main/resources/i18n/labels_de.properties")
    assert not EXTRACTOR.claims("svc/src/main/resources/labels_pt_BR.properties")
    assert not EXTRACTOR.claims("gradle/wrapper/gradle-wrapper.properties")
    assert not EXTRACTOR.claims("gradle.properties")
    # Other YAML is claimed by name (config-server files are named after their service) and read
    # only when its top level is Spring configuration.
    assert EXTRACTOR.claims("config/src/main/resources/shared/account-service.yml")
    assert EXTRACTOR.claims("svc/.github/workflows/ci.yml")
    assert not EXTRACTOR.claims("svc/compose.yaml")
    assert not EXTRACTOR.claims("deploy/values.yaml")


def test_yaml_not_named_application_needs_a_spring_top_level_and_publishes_under_its_application():
    shared = extract_file(EXTRACTOR, FIXTURES / "spring" / "configserver" / "shared" / "gateway.yml")
    assert {(f.kind, f.line, f.attributes["timeout_ms"]) for f in shared.findings} == {
        ("timeout", 8, 20000), ("timeout", 11, 15000), ("timeout", 12, 3000), ("timeout", 16, 2000),
        ("timeout", 17, 20000)}
    # Only under the application the file serves: a bare key would collide with every other
    # service's file of the config repository.
    assert shared.symbols and all(k.startswith("$spring-app:gateway:") for k in shared.symbols)
    ci = extract_file(EXTRACTOR, FIXTURES / "spring" / "configserver" / "ci.yml")
    assert ci.findings == () and ci.symbols == {}
    workflow = b"on: push\njobs:\n  build:\n    timeout-minutes: 30\n"
    assert EXTRACTOR.extract("svc/.github/workflows/ci.yml", workflow).findings == ()


def test_yaml_at_a_services_classpath_root_is_its_own_config_too():
    # spring.config.name=collector + spring.profiles.include: shared -> src/main/resources/collector-shared.yml
    text = (b"collector:\n  rabbitmq:\n    connection-timeout: ${RABBIT_CONNECTION_TIMEOUT:60000}\n"
            b"spring:\n  main:\n    banner-mode: off\n")
    own = EXTRACTOR.extract("collector/src/main/resources/collector-shared.yml", text)
    assert own.symbols["collector.rabbitmq.connection-timeout"] == Env("RABBIT_CONNECTION_TIMEOUT", Num(60000.0))
    assert own.symbols["collector.rabbitmq.connectionTimeout"] == Env("RABBIT_CONNECTION_TIMEOUT", Num(60000.0))
    assert own.symbols["$spring-app:collector-shared:collector.rabbitmq.connection-timeout"] == \
        Env("RABBIT_CONNECTION_TIMEOUT", Num(60000.0))
    # A config server's repository folder (resources/shared/, config-repo/) serves other applications only.
    for path in ("config/src/main/resources/shared/collector.yml", "config-repo/collector.yml"):
        served = EXTRACTOR.extract(path, text)
        assert served.symbols and all(k.startswith("$spring-app:collector:") for k in served.symbols)


def test_settings_class_reads_its_property_from_a_classpath_root_yaml():
    from extractors.java.extractor import EXTRACTOR as JAVA

    props = JAVA.extract("collector/src/main/java/c/RabbitProps.java", (
        b'package c;\n@ConfigurationProperties("collector.rabbitmq")\nclass RabbitProps {\n'
        b'  private Integer connectionTimeout;\n'
        b'  void applyTo(ConnectionFactory f) {\n'
        b'    if (connectionTimeout != null) f.setConnectionTimeout(connectionTimeout);\n  }\n}\n'))
    yml = EXTRACTOR.extract("collector/src/main/resources/collector-shared.yml",
                            b"collector:\n  rabbitmq:\n    connection-timeout: ${RABBIT_CONNECTION_TIMEOUT:60000}\n"
                            b"spring:\n  main:\n    banner-mode: off\n")
    (finding,) = [f for f in resolve([props, yml]) if f.kind == "timeout"]
    assert (finding.line, finding.attributes["timeout_ms"], finding.attributes["phase"]) == (6, 60000, "connect")


def test_gateway_retry_filter_placeholder_is_pending():
    text = b"spring:\n  cloud:\n    gateway:\n      routes:\n        - id: risk\n          filters:\n" \
           b"            - name: Retry\n              args:\n                retries: ${RISK_RETRIES:2}\n"
    (finding,) = EXTRACTOR.extract("svc/application.yml", text).findings
    assert (finding.kind, finding.line, finding.attributes["max_attempts"]) == ("retry", 9, 3)
    text = text.replace(b"${RISK_RETRIES:2}", b"${risk.retries}")
    (finding,) = EXTRACTOR.extract("svc/application.yml", text).findings
    assert finding.attributes["max_attempts"] is None
    assert [p.attribute for p in finding.pending] == ["max_attempts"]


def test_resilience4j_defaults_for_instances_named_only_in_code():
    text = b"resilience4j.retry:\n  configs:\n    default:\n      maxAttempts: 4\n" \
           b"resilience4j.timelimiter:\n  instances:\n    a:\n      timeoutDuration: 1s\n"
    s = EXTRACTOR.extract("svc/application.yml", text).symbols
    assert s["resilience4j.retry.configs.default.maxAttempts"] == Num(4.0)
    assert s["resilience4j.retry.configs.default.waitDuration"] == Num(500.0)  # library default
    assert s["resilience4j.timelimiter.configs.default.timeoutDuration"] == Num(1000.0)  # library default
    assert "resilience4j.bulkhead.configs.default.maxConcurrentCalls" not in s


def test_properties_findings_and_symbols():
    path = FIXTURES / "spring" / "props" / "application.properties"
    result = extract_file(EXTRACTOR, path)
    assert {(f.kind, f.line, f.attributes.get("timeout_ms"), f.attributes.get("alias"), f.target and f.target.service)
            for f in result.findings} == {
        ("replica_read", 3, None, "replica", None),
        ("timeout", 4, 750, None, "risk"),
    }
    assert result.symbols["resilience4j.retry.instances.risk.maxAttempts"] == Num(4.0)
    assert result.symbols["resilience4j.timelimiter.instances.risk.timeoutDuration"] == Num(2000.0)
    assert result.symbols["risk.timeout-ms"] == Env("RISK_TIMEOUT_MS", Num(500.0))
    assert result.symbols["resilience4j.retry.instances.risk.backoff"] == Str("fixed")


def test_effective_resilience4j_settings_follow_base_config_and_defaults():
    result = extract_file(EXTRACTOR, FIXTURES / "spring" / "basic" / "application.yml")
    s = result.symbols
    assert s["resilience4j.retry.instances.risk.maxAttempts"] == Num(5.0)  # from configs.aggressive
    assert s["resilience4j.retry.instances.risk.waitDuration"] == Num(100.0)  # from configs.default
    assert s["resilience4j.retry.instances.risk.backoff"] == Str("exponential")
    assert s["resilience4j.retry.instances.gateway.maxAttempts"] == Num(3.0)  # kebab-case, relaxed binding
    assert s["resilience4j.retry.instances.gateway.waitDuration"] == Num(500.0)
    assert s["resilience4j.retry.instances.gateway.backoff"] == Str("fixed")
    assert s["resilience4j.timelimiter.instances.risk.timeoutDuration"] == Num(800.0)
    assert s["risk.url"] == Str("http://risk:8080")
    # Resilience4j instances are settings, not findings (the annotation is the finding).
    assert not [f for f in result.findings if f.kind == "retry"]


def test_profile_files_publish_only_profile_symbols_and_report_findings():
    result = extract_file(EXTRACTOR, FIXTURES / "spring" / "profiles" / "application-prod.yml")
    assert all(k.startswith("$spring-profile:") for k in result.symbols)  # never a plain `${key}`'s value
    assert result.symbols["$spring-profile:prod:spring.cloud.openfeign.client.config.ledger.connectTimeout"] == Num(300.0)
    assert {(f.kind, f.line) for f in result.findings} == {("timeout", 7), ("timeout", 8), ("replica_read", 16),
                                                          ("replica_read", 24)}


def test_profile_document_does_not_override_default_symbols():
    result = EXTRACTOR.extract("application.yml", b"""
risk:
  timeout-ms: 200
---
spring:
  config:
    activate:
      on-profile: slow
risk:
  timeout-ms: 5000
""")
    assert result.symbols["risk.timeout-ms"] == Num(200.0)
    assert result.symbols["$spring-profile:slow:risk.timeout-ms"] == Num(5000.0)
    assert result.symbols["$spring-profile:slow:risk.timeoutMs"] == Num(5000.0)
    assert "$spring-profile:slow:risk.timeout-ms" not in EXTRACTOR.extract("application.yml", b"risk:\n  timeout-ms: 200\n").symbols


def test_placeholders_become_refs_and_env_lookups():
    result = EXTRACTOR.extract("application.yml", b"""
risk:
  url: ${RISK_URL:http://risk:8080}
  base: ${gateway.url}
  plain: ${GATEWAY_HOST}
""")
    assert result.symbols["risk.url"] == Env("RISK_URL", Str("http://risk:8080"))
    assert result.symbols["risk.base"] == Ref("gateway.url")
    assert result.symbols["risk.plain"] == Env("GATEWAY_HOST", None)


@pytest.mark.parametrize("text,ms", [("500ms", 500), ("2s", 2000), ("PT2S", 2000), ("PT0.5S", 500), ("1m", 60000),
                                     ("750", 750), ("PT1M30S", 90000)])
def test_durations_in_ms(text, ms):
    result = EXTRACTOR.extract("application.yml", f"feign.client.config.x.readTimeout: {text}\n".encode())
    assert [f.attributes["timeout_ms"] for f in result.findings] == [ms]


def test_broken_yaml_keeps_intact_lines_and_reports_the_error():
    result = extract_file(EXTRACTOR, FIXTURES / "spring" / "broken" / "application.yml")
    assert [(e.kind, e.line) for e in result.errors] == [("parse_error", 7)]
    assert [(f.kind, f.line, f.attributes["timeout_ms"]) for f in result.findings] == [("timeout", 5, 400)]


def test_garbage_never_raises():
    for data in (b"", b"\x00\xff", b": : :", b"a: [" * 500, b"- - - -", b"key: *alias"):
        assert EXTRACTOR.extract("application.yml", data).path == "application.yml"
        assert EXTRACTOR.extract("x.properties", data).path == "x.properties"


def test_detector_examples():
    from extractors.base import DETECTORS
    info = DETECTORS["spring.config"]
    assert info.doc.startswith("The Spring configuration extractor")
    for example in info.valid:
        assert EXTRACTOR.extract("application.yml", example.encode()).findings == ()
    for example in info.invalid:
        assert EXTRACTOR.extract("application.yml", example.encode()).findings


def test_relaxed_binding_spellings():
    result = EXTRACTOR.extract("application.yml", b"risk:\n  timeoutMs: 250\n  read-timeout: 2s\n")
    assert result.symbols["risk.timeoutMs"] == result.symbols["risk.timeout-ms"] == Num(250.0)
    assert result.symbols["risk.read-timeout"] == result.symbols["risk.readTimeout"] == Num(2000.0)


def test_max_retry_attempts_is_the_old_name_of_max_attempts():
    text = b"resilience4j:\n  retry:\n    configs:\n      default:\n        maxAttempts: 5\n    instances:\n" \
           b"      old:\n        maxRetryAttempts: 6\n      both:\n        maxRetryAttempts: 6\n        maxAttempts: 2\n" \
           b"      plain:\n        waitDuration: 1s\n"
    s = EXTRACTOR.extract("svc/application.yml", text).symbols
    assert s["resilience4j.retry.instances.old.maxAttempts"] == Num(6.0)
    assert s["resilience4j.retry.instances.both.maxAttempts"] == Num(2.0)
    assert s["resilience4j.retry.instances.plain.maxAttempts"] == Num(5.0)


def test_resilience4j_instance_names_keep_their_dashes():
    """``@Retry(name = "catalog-service")`` reads ``...instances.catalog-service.maxAttempts``:
    the legacy ``backends`` group and kebab-case properties bind to it."""
    result = extract_file(EXTRACTOR, FIXTURES / "spring" / "boot35" / "application.yml")
    assert result.symbols["resilience4j.retry.instances.catalog-service.maxAttempts"] == Num(2.0)
    assert result.symbols["resilience4j.retry.instances.catalog-service.backoff"] == Str("fixed")
    assert {(f.line, f.attributes["library"], f.attributes["max_attempts"], f.attributes["backoff"])
            for f in result.findings if f.kind == "retry"} == {
        (17, "spring-ai", 2, "exponential"),
        (25, "spring-amqp", 4, "fixed"),
        (43, "spring-cloud-config", 20, "exponential"),
        (48, "spring-cloud-stream", 3, "fixed"),  # backOffMultiplier: 1.0
    }


def test_maven_filtering_tokens_do_not_break_yaml_parsing():
    """`name: @artifactId@` is Spring Boot's resource-filtering delimiter, not plain YAML: quoted before
    parsing, the file keeps its list indices (a line reader would lose `routes[1]`)."""
    from extractors.spring.config import read_yaml
    text = ("spring:\n  application:\n    name: @artifactId@\n  cloud:\n    gateway:\n      routes:\n"
            "        - id: a\n        - id: b\n          metadata:\n            response-timeout: 100\n"
            "  mail: \"x@y.z\" # an address is not a token\n")
    entries, error = read_yaml(text)
    assert error is None
    got = {(e.key, e.value, e.line) for e in entries}
    assert ("spring.application.name", "@artifactId@", 3) in got
    assert ("spring.cloud.gateway.routes[1].metadata.response-timeout", 100, 10) in got
    assert ("spring.mail", "x@y.z", 11) in got
