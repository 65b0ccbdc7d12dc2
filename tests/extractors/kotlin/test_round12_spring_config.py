"""Kotlin round 12 (held-out sets pagopa-event-dispatcher, pagopa-cdc; round-11 request from kotlin-mokey): a MongoDB
connection string's timeout options in a Spring config file, and the Aurora kubernetes client's settings bound from
the ``kubernetes`` prefix (extractors/spring)."""

from __future__ import annotations

from extractors.spring.extractor import EXTRACTOR


def _contracts(path: str, text: str):
    return set((f.kind, f.line, f.attributes.get("timeout_ms") if f.kind == "timeout" else f.attributes.get("max_attempts"),
                   f.attributes.get("phase"))
                  for f in EXTRACTOR.extract(path, text.encode()).findings if f.kind in ("timeout", "retry"))


def test_mongodb_uri_timeout_options_in_properties():
    found = _contracts("src/main/resources/application.properties", "\n".join([
        "spring.data.mongodb.uri=mongodb://${MONGO_USERNAME}:${MONGO_PASSWORD}@${MONGO_HOST}/?ssl=true&maxIdleTimeMS=${IDLE}"
        "&connectTimeoutMS=${MONGO_CONNECTION_TIMEOUT_MS}&socketTimeoutMS=10000&serverSelectionTimeoutMS=2000"
        "&heartbeatFrequencyMS=5000&retryWrites=false",
        "other.uri=http://x/?connectTimeoutMS=5",
        "spring.data.mongodb.database=db",
        "",
    ]))
    # an env var without a default stays unknown; heartbeat / idle / retryWrites are no bounds; another key's URI
    assert found == {("timeout", 1, 2000, "connect"), ("timeout", 1, 10000, "read"), ("timeout", 1, None, "connect")}


def test_mongodb_uri_zero_is_no_limit():
    assert _contracts("src/main/resources/application.yml",
                      "spring:\n  data:\n    mongodb:\n      uri: mongodb://h/?socketTimeoutMS=0\n") == set()


def test_aurora_kubernetes_client_settings_in_yaml():
    found = _contracts("src/main/resources/application.yaml", """spring:
  application:
    name: mokey
kubernetes:
    timeout:
        connect: 1s
        read: 10s
    retry:
        times: 3
        min: 100ms
""")
    assert found == {("retry", 9, 4, None), ("timeout", 6, 1000, "connect"), ("timeout", 7, 10000, "read")}
