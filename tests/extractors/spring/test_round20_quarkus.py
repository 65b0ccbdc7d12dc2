"""Round 20 (Java helper): Quarkus settings sbomer's application files hold (OIDC connection retries, the JDBC
driver's own limits handed through additional-jdbc-properties)."""

from __future__ import annotations

from extractors.spring.extractor import EXTRACTOR
from tests.extractors.java.support import resolve


def _found(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    findings = resolve([EXTRACTOR.extract(path.as_posix(), path.read_bytes())])
    return {(f.kind, f.line, f.attributes.get("max_attempts") if f.kind == "retry" else f.attributes.get("timeout_ms"),
             f.attributes.get("phase")) for f in findings}


def test_oidc_connection_retry_count(tmp_path):
    # n retries of a lost connection to the provider: n + 1 tries; the connection delay is no count
    assert _found(tmp_path, "application-prod.yaml",
                  "quarkus:\n  oidc:\n    connection-delay: 30S\n    connection-retry-count: 10\n"
                  "  oidc-client:\n    connection-retry-count: 3\n") == {
        ("retry", 4, 11, None), ("retry", 6, 4, None)}


def test_postgresql_driver_limits_are_seconds(tmp_path):
    text = ("quarkus:\n  datasource:\n    db-kind: postgresql\n    jdbc:\n      acquisition-timeout: 45\n"
            "      additional-jdbc-properties:\n        connectTimeout: 20\n        socketTimeout: 30\n"
            "        prepareThreshold: 0\n")
    assert _found(tmp_path, "application.yaml", text) == {
        ("timeout", 5, 45000, "connect"), ("timeout", 7, 20000, "connect"), ("timeout", 8, 30000, "read")}


def test_driver_limits_need_a_known_db_kind(tmp_path):
    # MySQL's are ms; a datasource whose driver the file does not name is not read
    mysql = ("quarkus.datasource.db-kind=mysql\n"
             "quarkus.datasource.jdbc.additional-jdbc-properties.socketTimeout=60000\n")
    assert _found(tmp_path, "application.properties", mysql) == {("timeout", 2, 60000, "read")}
    unknown = "quarkus.datasource.jdbc.additional-jdbc-properties.socketTimeout=60\n"
    assert _found(tmp_path, "application.properties", unknown) == set()
