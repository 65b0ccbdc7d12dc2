"""The human notation of contract files: the seed's strings, and what is refused."""

import pytest

from contract_discovery.contracts.notation import (
    NotationError, Point, format_ms, format_range, parse_duration, parse_freshness, parse_latency, parse_retry)


@pytest.mark.parametrize("text, ms", [
    ("500ms", 500.0), ("5m", 300_000.0), ("2s", 2000.0), ("1.5s", 1500.0), ("1h", 3_600_000.0),
    ("0.2s", 200.0), (" 10 s ", 10_000.0), ("250 milliseconds", 250.0), ("3 minutes", 180_000.0),
])
def test_durations(text, ms):
    assert parse_duration(text) == ms


def test_none_is_a_duration_only_where_allowed():
    assert parse_duration("none", allow_none=True) is None
    with pytest.raises(NotationError):
        parse_duration("none")


@pytest.mark.parametrize("bad, words", [
    ("500", "has no unit"), (500, "has no unit"), ("5 parsecs", "invalid duration"), ("fast", "invalid duration"),
    (True, "expected a duration"), ([1], "expected a duration"), ("", "invalid duration"),
])
def test_bad_durations_say_what_was_expected(bad, words):
    with pytest.raises(NotationError, match=words):
        parse_duration(bad)


def test_seed_budget_tiers():
    assert parse_latency("p50 < 100ms").points == (Point("p50", "<", 100.0),)
    assert parse_latency("p95 < 200ms").points == (Point("p95", "<", 200.0),)
    assert parse_latency("p99 < 500ms").points == (Point("p99", "<", 500.0),)


def test_seed_provided_latency_with_note():
    current = parse_latency("p50=2800ms, p95=3200ms")
    assert current.points == (Point("p50", "=", 2800.0), Point("p95", "=", 3200.0))
    target = parse_latency("p50=80ms, p95=150ms (requires caching)")
    assert target.points == (Point("p50", "=", 80.0), Point("p95", "=", 150.0))
    assert target.notes == ("requires caching",)


def test_latency_forms():
    assert parse_latency("200ms").points == (Point(None, "=", 200.0),)
    assert parse_latency("< 1s").points == (Point(None, "<", 1000.0),)
    assert parse_latency("p99.9 <= 2s").points == (Point("p99.9", "<=", 2000.0),)
    assert parse_latency({"p50": "80ms", "p95": "150ms"}).points == (Point("p50", "=", 80.0), Point("p95", "=", 150.0))
    assert Point("p95", "<", 200.0).text() == "p95 < 200ms"
    assert Point("p95", "=", 3200.0).text() == "p95 = 3200ms"


@pytest.mark.parametrize("bad", ["p95 < fast", "q95 < 200ms", "p95 < 200", "p50=1s, p50=2s", "", 5])
def test_bad_latency(bad):
    with pytest.raises(NotationError):
        parse_latency(bad)


def test_seed_freshness():
    required = parse_freshness("<10s")
    assert (required.bound_ms, required.bound_op, required.worst_ms()) == (10_000.0, "<", 10_000.0)
    provided = parse_freshness("15-30s typical, 60s max")
    assert provided.typical == (15_000.0, 30_000.0)
    assert provided.max_ms == 60_000.0
    assert provided.worst_ms() == 60_000.0
    assert format_range(*provided.typical) == "15-30s"


def test_freshness_forms():
    assert parse_freshness("30s").worst_ms() == 30_000.0
    assert parse_freshness("500ms-2s").typical == (500.0, 2000.0)
    assert parse_freshness("real-time").worst_ms() == 0.0
    with pytest.raises(NotationError):
        parse_freshness("soon")
    with pytest.raises(NotationError):
        parse_freshness("30-15s")


def test_retry_forms():
    assert parse_retry("none").max_attempts == 1
    assert parse_retry(3).max_attempts == 3
    policy = parse_retry({"max_attempts": 3, "backoff": "exponential", "base_delay": "100ms"})
    assert (policy.max_attempts, policy.backoff, policy.backoff_total_ms()) == (3, "exponential", 300.0)
    assert parse_retry({"max_attempts": 4, "backoff": "fixed", "base_delay": "1s"}).backoff_total_ms() == 3000.0
    assert parse_retry({"max_attempts": 3, "backoff": "exponential"}).backoff_total_ms() is None
    with pytest.raises(NotationError):
        parse_retry("sometimes")
    with pytest.raises(NotationError):
        parse_retry({"max_attempts": "three"})


def test_format_ms():
    assert [format_ms(x) for x in (200.0, 3200.0, 2000.0, 60_000.0, 300_000.0, 0.5, 7_200_000.0)] == \
        ["200ms", "3200ms", "2s", "60s", "5m", "0.5ms", "2h"]
