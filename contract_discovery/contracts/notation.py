"""The human notation of contract files: durations, percentiles, bounds, ranges and notes.

Contract authors write what they would say in a design review (``p95 < 200ms``,
``p50=2800ms, p95=3200ms``, ``15-30s typical, 60s max``, ``<10s``, ``5m``, ``none``);
these parsers turn that into numbers in milliseconds and keep the words around
them (``(requires caching)``) for the messages. Every parser raises
``NotationError`` with a message meant for the author, never anything else.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from contract_discovery.values import normalise_ms


class NotationError(ValueError):
    """A value does not follow the contract notation; the message says what was expected."""


_UNITS = {
    "us": 0.001, "µs": 0.001,
    "ms": 1.0, "msec": 1.0, "msecs": 1.0, "millisecond": 1.0, "milliseconds": 1.0,
    "s": 1000.0, "sec": 1000.0, "secs": 1000.0, "second": 1000.0, "seconds": 1000.0,
    "m": 60_000.0, "min": 60_000.0, "mins": 60_000.0, "minute": 60_000.0, "minutes": 60_000.0,
    "h": 3_600_000.0, "hr": 3_600_000.0, "hrs": 3_600_000.0, "hour": 3_600_000.0, "hours": 3_600_000.0,
    "d": 86_400_000.0, "day": 86_400_000.0, "days": 86_400_000.0,
}
_UNIT_RE = "|".join(sorted((re.escape(u) for u in _UNITS), key=len, reverse=True))
_NUMBER = r"\d+(?:\.\d+)?|\.\d+"
_DURATION_RE = re.compile(rf"^\s*({_NUMBER})\s*({_UNIT_RE})\s*$", re.IGNORECASE)
_RANGE_RE = re.compile(
    rf"^\s*({_NUMBER})\s*({_UNIT_RE})?\s*(?:-|–|to)\s*({_NUMBER})\s*({_UNIT_RE})\s*$", re.IGNORECASE)
_NOTE_RE = re.compile(r"\(([^()]*)\)")
_PERCENTILE_RE = re.compile(r"^(?:p(\d{1,2}(?:\.\d+)?|100)|(max|min|avg|mean|median))$", re.IGNORECASE)
_OPS = {"<": "<", "<=": "<=", "≤": "<=", "=": "=", "==": "=", ":": "=", "~": "~", "≈": "~"}
_OP_RE = r"<=|≤|<|==|=|:|~|≈"
DURATION_PATTERN = rf"^\s*(none|({_NUMBER})\s*({_UNIT_RE}))\s*$"
"""For the JSON Schema (editors): a duration or ``none``."""

NONE_WORDS = ("none", "never", "no", "off", "disabled", "infinite", "unbounded")


def format_ms(ms: float | None) -> str:
    """``3200 -> '3200ms'``, ``10000 -> '10s'``, ``300000 -> '5m'``: the way people write them."""
    if ms is None:
        return "none"
    if ms >= 7_200_000 and ms % 3_600_000 == 0:
        return f"{int(ms // 3_600_000)}h"
    if ms >= 120_000 and ms % 60_000 == 0:
        return f"{int(ms // 60_000)}m"
    if ms >= 1000 and ms % 1000 == 0:
        return f"{int(ms // 1000)}s"
    return f"{normalise_ms(ms)}ms"


def parse_duration(text: object, allow_none: bool = False) -> float | None:
    """``"500ms"`` -> 500.0, ``"5m"`` -> 300000.0; ``"none"`` -> None when ``allow_none``."""
    if isinstance(text, bool) or text is None:
        raise NotationError(f"expected a duration such as 500ms or 2s, got {_show(text)}")
    if isinstance(text, (int, float)):
        if text == 0:
            return 0.0
        raise NotationError(f"{_show(text)} has no unit: write {text}ms or {text}s")
    if not isinstance(text, str):
        raise NotationError(f"expected a duration such as 500ms or 2s, got {_show(text)}")
    stripped = text.strip()
    if stripped.lower() in NONE_WORDS:
        if allow_none:
            return None
        raise NotationError(f"expected a duration such as 500ms or 2s, got {text!r}")
    match = _DURATION_RE.match(stripped)
    if not match:
        if re.fullmatch(_NUMBER, stripped):
            raise NotationError(f"{text!r} has no unit: write {stripped}ms or {stripped}s")
        raise NotationError(f"invalid duration {text!r}: expected a number and a unit (ms, s, m, h), e.g. 500ms")
    value = float(match.group(1)) * _UNITS[match.group(2).lower()]
    if not math.isfinite(value):
        raise NotationError(f"invalid duration {text!r}")
    return value


def _show(value: object) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return repr(value)


def _split_notes(text: str) -> tuple[str, tuple[str, ...]]:
    notes = tuple(n.strip() for n in _NOTE_RE.findall(text) if n.strip())
    return _NOTE_RE.sub(" ", text).strip(), notes


def _split_parts(text: str) -> list[str]:
    return [p.strip() for p in re.split(r",|;|\band\b|\bOR\b", text) if p.strip()]


# --- latency -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Point:
    """One statement about a percentile: ``p95 < 200ms`` or ``p95 = 3200ms``."""

    percentile: str | None  # "p95", "max", or None when the author gave none
    op: str  # "<", "<=", "=", "~"
    ms: float

    def text(self) -> str:
        value = format_ms(self.ms)
        if self.percentile is None:
            return f"{self.op} {value}" if self.op in ("<", "<=") else value
        return f"{self.percentile} {self.op} {value}"


@dataclass(frozen=True)
class Latency:
    """A latency statement: its points (one per percentile) and any notes in parentheses."""

    points: tuple[Point, ...]
    notes: tuple[str, ...] = ()
    text: str = ""

    def get(self, percentile: str) -> Point | None:
        for point in self.points:
            if point.percentile == percentile:
                return point
        return None

    def percentiles(self) -> dict[str, float]:
        return {p.percentile or "": p.ms for p in self.points}


def percentile_rank(name: str | None) -> float:
    """Order percentiles: p50 < p95 < p99 < p99.9 < max; unnamed counts as max."""
    if not name:
        return 100.0
    if name in ("max",):
        return 100.0
    if name in ("median",):
        return 50.0
    if name in ("min",):
        return 0.0
    if name in ("avg", "mean"):
        return 50.0
    try:
        return float(name[1:])
    except ValueError:
        return 100.0


def _parse_percentile(token: str) -> str:
    match = _PERCENTILE_RE.match(token.strip())
    if not match:
        raise NotationError(f"unknown percentile {token!r}: write p50, p95, p99 or p99.9")
    if match.group(2):
        word = match.group(2).lower()
        return {"median": "p50"}.get(word, word)
    number = float(match.group(1))
    if number <= 0 or number > 100:
        raise NotationError(f"percentile {token!r} out of range (p1..p100)")
    if number == 100:
        return "max"
    text = match.group(1)
    return "p" + (text.rstrip("0").rstrip(".") if "." in text else text)


def parse_latency(value: object) -> Latency:
    """``p50 < 100ms``, ``p50=2800ms, p95=3200ms``, ``p95=150ms (requires caching)``, ``200ms``,
    or a mapping ``{p50: 80ms, p95: 150ms}``."""
    if isinstance(value, dict):
        if not value:
            raise NotationError("empty latency mapping: expected e.g. {p50: 80ms, p95: 150ms}")
        points = []
        for key, item in value.items():
            percentile = _parse_percentile(str(key))
            ms = parse_duration(item)
            points.append(Point(percentile, "=", ms))  # type: ignore[arg-type]
        return Latency(tuple(points), (), ", ".join(f"{k}={v}" for k, v in value.items()))
    if not isinstance(value, str):
        raise NotationError(f"expected a latency such as 'p95 < 200ms' or 'p50=80ms, p95=150ms', got {_show(value)}")
    body, notes = _split_notes(value)
    points: list[Point] = []
    seen: set[str | None] = set()
    for part in _split_parts(body):
        match = re.match(rf"^\s*([A-Za-z]+[0-9.]*)?\s*({_OP_RE})?\s*(.+?)\s*$", part)
        if not match:
            raise NotationError(f"cannot read latency {part!r}: expected e.g. 'p95 < 200ms'")
        label, op, rest = match.group(1), match.group(2), match.group(3)
        if label and not _PERCENTILE_RE.match(label):
            # A bare duration such as "200ms" matches the label group with its unit; retry as one.
            rest = part.strip()
            label, op = None, None
            m2 = re.match(rf"^\s*({_OP_RE})\s*(.+)$", rest)
            if m2:
                op, rest = m2.group(1), m2.group(2)
        percentile = _parse_percentile(label) if label else None
        try:
            ms = parse_duration(rest)
        except NotationError as exc:
            raise NotationError(f"cannot read latency {part!r}: {exc}") from None
        if percentile in seen:
            raise NotationError(f"percentile {percentile or '(none)'} given twice in {value!r}")
        seen.add(percentile)
        points.append(Point(percentile, _OPS.get(op or "=", "="), ms))  # type: ignore[arg-type]
    if not points:
        raise NotationError(f"empty latency {value!r}: expected e.g. 'p95 < 200ms'")
    return Latency(tuple(points), notes, value.strip())


# --- freshness -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Freshness:
    """How stale data may be (a requirement: ``<10s``) or is (a guarantee: ``15-30s typical, 60s max``)."""

    text: str
    bound_ms: float | None = None  # "<10s": must be under this
    bound_op: str = "<"
    typical: tuple[float, float] | None = None  # "15-30s typical" or a bare "15-30s"
    max_ms: float | None = None  # "60s max"
    notes: tuple[str, ...] = ()
    headline: str = ""  # the first statement, as written, without qualifiers ("15-30s")

    def worst_ms(self) -> float | None:
        """The stalest the data can be, as far as the statement says."""
        for value in (self.max_ms, self.typical[1] if self.typical else None, self.bound_ms):
            if value is not None:
                return value
        return None

    def best_ms(self) -> float | None:
        if self.typical:
            return self.typical[0]
        return self.worst_ms()


_QUALIFIER_TYPICAL = ("typical", "typically", "usually", "normally", "avg", "average", "p50", "median")
_QUALIFIER_MAX = ("max", "maximum", "worst", "worst case", "at most", "up to", "p99", "p100")


def parse_freshness(value: object) -> Freshness:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        ms = parse_duration(value)
        return Freshness(text=str(value), max_ms=ms, headline=format_ms(ms))
    if not isinstance(value, str):
        raise NotationError(f"expected a freshness such as '<10s' or '15-30s typical, 60s max', got {_show(value)}")
    body, notes = _split_notes(value)
    if body.strip().lower() in ("realtime", "real-time", "real time", "immediate", "strong", "strongly consistent", "0s", "0"):
        return Freshness(text=value.strip(), bound_ms=0.0, bound_op="<=", max_ms=0.0, notes=notes, headline=body.strip())
    bound = None
    bound_op = "<"
    typical = None
    max_ms = None
    headline = ""
    for part in _split_parts(body):
        words = part.lower()
        qualifier = None
        for q in _QUALIFIER_MAX + _QUALIFIER_TYPICAL:
            pattern = rf"(^|\s){re.escape(q)}(\s|$)"
            if re.search(pattern, words):
                qualifier = "max" if q in _QUALIFIER_MAX else "typical"
                part = re.sub(pattern, " ", part, flags=re.IGNORECASE).strip()
                break
        match = re.match(rf"^({_OP_RE}|under|below|within)?\s*(.+)$", part.strip(), re.IGNORECASE)
        op = (match.group(1) or "").lower() if match else ""
        rest = match.group(2) if match else part
        if not headline:
            headline = part.strip()
        range_match = _RANGE_RE.match(rest)
        if range_match:
            unit = range_match.group(4).lower()
            lo = float(range_match.group(1)) * _UNITS[(range_match.group(2) or unit).lower()]
            hi = float(range_match.group(3)) * _UNITS[unit]
            if lo > hi:
                raise NotationError(f"range {rest!r} goes backwards")
            if qualifier == "max":
                max_ms = hi
            else:
                typical = (lo, hi)
            continue
        try:
            ms = parse_duration(rest)
        except NotationError as exc:
            raise NotationError(f"cannot read freshness {part!r}: {exc}") from None
        assert ms is not None
        if op in ("<", "<=", "≤", "under", "below", "within"):
            if qualifier == "typical":
                typical = (0.0, ms)
            else:
                bound, bound_op = ms, "<=" if op in ("<=", "≤", "within") else "<"
        elif qualifier == "typical":
            typical = (ms, ms)
        else:
            max_ms = ms
    if bound is None and typical is None and max_ms is None:
        raise NotationError(f"empty freshness {value!r}: expected e.g. '<10s'")
    return Freshness(text=value.strip(), bound_ms=bound, bound_op=bound_op, typical=typical,
                     max_ms=max_ms, notes=notes, headline=headline)


def format_range(lo: float, hi: float) -> str:
    """``(15000, 30000) -> '15-30s'``."""
    if lo == hi:
        return format_ms(lo)
    lo_text, hi_text = format_ms(lo), format_ms(hi)
    unit = re.sub(r"^[\d.]+", "", hi_text)
    if lo_text.endswith(unit) and re.sub(r"^[\d.]+", "", lo_text) == unit:
        return f"{lo_text[: -len(unit)]}-{hi_text}"
    return f"{lo_text}-{hi_text}"


# --- retry -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Retry:
    """A retry policy: total attempts (counting the first try), backoff and delays."""

    max_attempts: int | None  # 1 = no retry; None = unbounded/unknown
    backoff: str | None = None
    base_delay_ms: float | None = None
    max_delay_ms: float | None = None
    per_try_timeout_ms: float | None = None

    def backoff_total_ms(self) -> float | None:
        """The sum of the waits between attempts, or None when the policy does not say."""
        if self.max_attempts is None:
            return None
        waits = max(self.max_attempts - 1, 0)
        if waits == 0 or self.backoff in ("none", None) and self.base_delay_ms is None:
            return 0.0 if waits == 0 or self.backoff == "none" else None
        base = self.base_delay_ms
        if base is None:
            return None
        total = 0.0
        for i in range(waits):
            delay = base * (2 ** i) if self.backoff == "exponential" else base * (i + 1) if self.backoff == "linear" else base
            if self.max_delay_ms is not None:
                delay = min(delay, self.max_delay_ms)
            total += delay
        return total


def parse_retry(value: object) -> Retry:
    """``none``, a number of attempts (``3``), or ``{max_attempts: 3, backoff: exponential, base_delay: 100ms}``."""
    if value is None or value is False:
        return Retry(1, "none")
    if isinstance(value, str):
        if value.strip().lower() in NONE_WORDS + ("0",):
            return Retry(1, "none")
        match = re.fullmatch(r"\s*(\d+)\s*(?:x|times|attempts?|tries)?\s*", value, re.IGNORECASE)
        if match:
            return Retry(max(int(match.group(1)), 1))
        raise NotationError(f"expected 'none', a number of attempts or a mapping, got {value!r}")
    if isinstance(value, bool):
        return Retry(None) if value else Retry(1, "none")
    if isinstance(value, int):
        if value < 0:
            raise NotationError(f"attempts cannot be negative ({value})")
        return Retry(max(value, 1), "none" if value <= 1 else None)
    if isinstance(value, dict):
        attempts = value.get("max_attempts", value.get("attempts"))
        if attempts is None and "retries" in value:
            retries = value["retries"]
            attempts = retries + 1 if isinstance(retries, int) and not isinstance(retries, bool) else None
        if attempts is not None and (isinstance(attempts, bool) or not isinstance(attempts, int) or attempts < 0):
            raise NotationError(f"max_attempts must be a whole number, got {_show(attempts)}")
        backoff = value.get("backoff")
        if backoff is not None and not isinstance(backoff, str):
            raise NotationError(f"backoff must be a word (exponential, fixed, linear, none), got {_show(backoff)}")
        return Retry(
            max(attempts, 1) if isinstance(attempts, int) else None,
            backoff.lower() if isinstance(backoff, str) else None,
            _opt_duration(value.get("base_delay", value.get("delay"))),
            _opt_duration(value.get("max_delay")),
            _opt_duration(value.get("per_try_timeout")),
        )
    raise NotationError(f"expected 'none', a number of attempts or a mapping, got {_show(value)}")


def _opt_duration(value: object) -> float | None:
    if value is None:
        return None
    return parse_duration(value)
