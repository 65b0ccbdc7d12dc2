"""Round 20, second wave (Java helper): the JPA query timeout hint set through Spring's JPA properties (the Kotlin
helper's monitorfish miss)."""

from __future__ import annotations

from tests.extractors.spring.test_round20_quarkus import _found


def test_jpa_query_timeout_property(tmp_path):
    text = ("spring:\n  jpa:\n    properties:\n      jakarta:\n        persistence:\n          query:\n"
            "            timeout: ${DATABASE_QUERY_TIMEOUT}\n      hibernate:\n        jdbc:\n          time_zone: UTC\n")
    assert _found(tmp_path, "application.yml", text) == {("timeout", 7, None, "read")}
    flat = "spring.jpa.properties.javax.persistence.query.timeout=5000\nspring.jpa.open-in-view=false\n"
    assert _found(tmp_path, "application.properties", flat) == {("timeout", 1, 5000, "read")}


def test_other_timeouts_under_jpa_properties_are_not_the_query_hint(tmp_path):
    text = "spring.jpa.properties.javax.persistence.lock.timeout=3000\nlog.query.timeout.message=slow\n"
    assert _found(tmp_path, "application.properties", text) == set()
