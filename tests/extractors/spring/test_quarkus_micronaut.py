"""Quarkus client settings in application.properties (profile keys `%dev.x`, Durations whose plain numbers are
seconds, the REST client's plain milliseconds), and pool waits given flat under `spring.datasource`.
Micronaut's YAML cases are annotated in fixtures/spring/micronaut/application.yml."""

from __future__ import annotations

from extractors.spring.config import read_properties
from extractors.spring.extractor import EXTRACTOR
from tests.extractors.java.support import FIXTURES, extract_file, resolve


def _found(path):
    findings = resolve([extract_file(EXTRACTOR, path)])
    out = set()
    for f in findings:
        value = f.attributes.get("timeout_ms") if f.kind == "timeout" else f.attributes.get("max_attempts")
        out.add((f.kind, f.line, value, f.attributes.get("phase"), f.attributes.get("library"),
                 f.attributes.get("profile")))
    return out


def test_quarkus_client_settings():
    assert _found(FIXTURES / "spring" / "quarkus" / "application.properties") == {
        ("timeout", 4, 1500, "read", "quarkus-rest-client", None),
        ("timeout", 5, 800, "connect", "quarkus-rest-client", None),
        ("timeout", 6, 2500, "read", "quarkus-rest-client", None),
        ("timeout", 7, 60000, "total", "langchain4j", None),
        ("retry", 8, 3, None, "langchain4j", None),  # max-retries counts every try
        # line 9: max-retries=1 is one try, no retry
        ("timeout", 10, 3000, "total", "langchain4j", "dev"),
        ("timeout", 11, 2000, "total", "grpc", None),  # a plain Quarkus Duration is seconds
        ("timeout", 12, 5000, "total", "redis", None),
        ("timeout", 13, 10000, "connect", "mongodb", None),
        ("timeout", 14, 5000, "connect", "agroal", None),
        ("timeout", 15, 30000, "total", "quarkus-narayana", None),
        # 16-20: the HTTP server's own read/idle limits, dev tooling, probes, a value that only names a key
    }


def test_flat_pool_waits():
    assert _found(FIXTURES / "spring" / "flatpool" / "application.properties") == {
        ("timeout", 3, 60000, "connect", "druid", None),
        ("timeout", 5, 10000, "connect", "tomcat", None),
        # dbcp2 -1 waits forever; a Redis pool's max-wait and Hikari's idle timeout are not a datasource pool wait
    }


def test_quarkus_profile_prefix_is_read_as_the_profile():
    entries = read_properties("%dev,test.quarkus.redis.timeout=3\nquarkus.redis.timeout=10\n%notakey\n")
    assert [(e.key, e.profile) for e in entries] == [("quarkus.redis.timeout", "dev,test"),
                                                    ("quarkus.redis.timeout", None), ("%notakey", None)]


def test_profile_values_do_not_replace_the_default_symbol():
    result = EXTRACTOR.extract("src/main/resources/application.properties",
                               b"%dev.quarkus.redis.timeout=3\nquarkus.redis.timeout=10\n")
    assert "%dev.quarkus.redis.timeout" not in result.symbols
    assert "$spring-profile:dev:quarkus.redis.timeout" in result.symbols


def test_smallrye_messaging_reconnect_attempts(tmp_path):
    path = tmp_path / "application.properties"
    path.write_text("%prod.amqp-reconnect-attempts=100\n"
                    "mp.messaging.incoming.orders.reconnect-attempts=5\n"
                    "mp.messaging.incoming.orders.reconnect-interval=10\n"
                    "app.reconnect-attempts-note=5\n")
    from extractors.spring.extractor import EXTRACTOR as spring
    findings = resolve([spring.extract(path.as_posix(), path.read_bytes())])
    got = {(f.kind, f.line, f.attributes.get("max_attempts"), f.attributes.get("profile")) for f in findings}
    # n reconnection attempts after the first connect: n + 1 tries; the interval and a look-alike key are not
    assert got == {("retry", 1, 101, "prod"), ("retry", 2, 6, None)}


def _yml(tmp_path, text):
    path = tmp_path / "application.yml"
    path.write_text(text)
    findings = resolve([EXTRACTOR.extract(path.as_posix(), path.read_bytes())])
    return {(f.kind, f.line, f.attributes.get("timeout_ms"), f.attributes.get("phase"), f.attributes.get("library"))
            for f in findings}


def test_micronaut_datasource_pool_and_redis_timeouts(tmp_path):
    # round 20 (lead, polyglot17): the Hikari pool of a Micronaut datasource (plain ms) and micronaut-redis
    assert _yml(tmp_path, "micronaut:\n  application:\n    name: payment\n  server:\n    idle-timeout: 5m\n"
                          "datasources:\n  default:\n    url: jdbc:postgresql://db/payment\n"
                          "    connection-timeout: 1500\n"
                          "redis:\n  uri: redis://cache:6379\n  timeout: 750ms\n") == {
        ("timeout", 9, 1500, "connect", "hikari"),
        ("timeout", 12, 750, "read", "micronaut-redis"),
        # line 5: the HTTP server's own idle limit
    }


def test_redis_timeout_outside_a_micronaut_app_is_not_read(tmp_path):
    # a top-level `redis.timeout` of an app that does not configure Micronaut is its own property
    assert _yml(tmp_path, "app:\n  name: payment\nredis:\n  timeout: 750ms\ncache:\n  timeout: 10s\n") == set()
