"""What the Java and Kotlin extractors share: time units, settling values, building findings.

Both languages call the same libraries (OkHttp, Resilience4j, java.time), so the tables of
setter names and units live here once; each language supplies only its syntax walk.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Mapping

from contract_discovery.model import ErrorEntry, Finding, Pending, Target
from contract_discovery.values import BinOp, Call, Env, Expr, Num, Ref, Str, evaluate, normalise_ms

# Duration factories -> milliseconds per unit.
DURATION_FACTORIES = {
    "ofNanos": 0.000001, "ofMicros": 0.001, "ofMicroseconds": 0.001, "ofMillis": 1.0, "ofMilliseconds": 1.0, "ofSeconds": 1000.0,
    "ofMinutes": 60000.0, "ofHours": 3600000.0, "ofDays": 86400000.0,
}
# java.util.concurrent.TimeUnit / java.time.temporal.ChronoUnit constants -> ms.
UNIT_CONSTANTS = {
    "NANOSECONDS": 0.000001, "NANOS": 0.000001, "MICROSECONDS": 0.001, "MICROS": 0.001,
    "MILLISECONDS": 1.0, "MILLIS": 1.0, "SECONDS": 1000.0, "MINUTES": 60000.0,
    "HOURS": 3600000.0, "DAYS": 86400000.0,
}
# kotlin.time extension properties (2.seconds) -> ms.
KOTLIN_DURATION_PROPS = {
    "nanoseconds": 0.000001, "microseconds": 0.001, "milliseconds": 1.0, "seconds": 1000.0,
    "minutes": 60000.0, "hours": 3600000.0, "days": 86400000.0,
}

# Builder/setter method names that set a client-side timeout, with the phase they set.
TIMEOUT_SETTERS = {
    "setConnectTimeout": "connect", "connectTimeout": "connect",
    "setReadTimeout": "read", "readTimeout": "read", "setSocketTimeout": "read",
    "setResponseTimeout": "read", "responseTimeout": "read", "setSoTimeout": "read",
    "callTimeout": "total", "timeout": "total", "timeoutDuration": "total",
    "withConnectTimeout": "connect", "withReadTimeout": "read",
    # Azure SDK long-running operations: how long to wait for the remote operation (a blob copy).
    "waitForCompletion": "total",
    # Apache HttpClient: waiting for a connection from the pool (before any socket connect).
    "setConnectionRequestTimeout": "connect", "connectionRequestTimeout": "connect",
    # RESTEasy's client builder: waiting for a pooled connection (`connectionCheckoutTimeout(5000, MILLISECONDS)`).
    "connectionCheckoutTimeout": "connect",
    # Curator (ZooKeeper): establishing the connection; the AWS SDK's HTTP client builders.
    "connectionTimeoutMs": "connect", "connectionTimeout": "connect", "connectionAcquisitionTimeout": "connect",
    "socketTimeout": "read", "apiCallTimeout": "total", "apiCallAttemptTimeout": "per_try",
    # gRPC stubs: a per-call deadline.
    "withDeadlineAfter": "deadline",
    # Pulsar clients (`PulsarClient.builder().operationTimeout(30, SECONDS)`, a producer's `sendTimeout`) and
    # Apache Kudu's client builder (`defaultOperationTimeoutMs(60000)`, ms).
    "operationTimeout": "total", "sendTimeout": "total",
    "defaultOperationTimeoutMs": "total", "defaultAdminOperationTimeoutMs": "total",
    "defaultSocketReadTimeoutMs": "read", "connectionNegotiationTimeoutMs": "connect",
    # Round 14: Agroal's pool (Quarkus datasources): how long to wait for a connection from the pool.
    "acquisitionTimeout": "connect",
    # Round 17: a Hazelcast client's `ConnectionRetryConfig.setClusterConnectTimeoutMillis(5000)`: how long it keeps
    # trying to reach the cluster (ms).
    "setClusterConnectTimeoutMillis": "connect",
}

def wait_is_timeout(args_text: list[str], duration: bool) -> bool:
    """``poller.waitForCompletion(Duration.ofMinutes(5))`` bounds a remote operation; Hadoop's
    ``job.waitForCompletion(true)`` (a verbose flag) does not: a duration, a time unit after the
    amount, or a name that says timeout/wait."""
    if not args_text:
        return False
    return duration or (len(args_text) > 1 and "." in args_text[1] and args_text[1].rsplit(".", 1)[-1].isupper()) \
        or bool(re.search(r"timeout|wait|duration", args_text[0], re.IGNORECASE))


# Exceptions of a lost optimistic-lock update: a retry filtered to these re-reads and re-writes one's own record.
_CONFLICTS = re.compile(r"\b(ObjectOptimisticLockingFailureException|OptimisticLockingFailureException|"
                        r"OptimisticLockException|StaleObjectStateException|StaleStateException|"
                        r"ConcurrencyFailureException|OptimisticLockingException)\b")
_EXCEPTION_NAME = re.compile(r"\b[A-Z]\w*(Exception|Error)\b")


def conflict_only(text: str) -> bool:
    """Does a retry filter or ``retryFor`` list name only optimistic-lock conflict exceptions?"""
    names = {m.group(0) for m in _EXCEPTION_NAME.finditer(text)}
    return bool(names) and all(_CONFLICTS.fullmatch(n) for n in names)


# Names that say "this identifier counts attempts" (loop counters, bounds).
# `tryTimes`/`maxTryCount`/`TRY_TIMES` name tries too, but not `entryCount`/`backStackEntryCount` (a word that ends in "try"),
# and `tries`/`maxTries`/`MAX_TRIES` do, but not `entries`/`countries`/`COUNTRIES` (a word that ends in "tries").
ATTEMPT_NAME = re.compile(r"attempt|retr(y|ies)|(?-i:(?<![a-z])tries|Tries|(?<![A-Z])TRIES)|tried|(?-i:(?:(?<![A-Za-z])|(?<=[a-z0-9])(?=T))[Tt]ry_?(?:[Tt]imes|[Cc]ount|[Nn]um)"
                          r"|(?<![A-Z])TRY_?(?:TIMES|COUNT|NUM))", re.IGNORECASE)


# The constants of the file being extracted (set by the extractor for the duration of one file):
# values that only need a name of the same file are settled here, as "constant".
FILE_SYMBOLS: ContextVar[Mapping[str, Expr] | None] = ContextVar("FILE_SYMBOLS", default=None)


@contextmanager
def file_symbols(symbols: Mapping[str, Expr]):
    token = FILE_SYMBOLS.set(symbols)
    try:
        yield
    finally:
        FILE_SYMBOLS.reset(token)


def _file_lookup(name: str):
    symbols = FILE_SYMBOLS.get()
    if symbols is not None and name in symbols:
        return symbols[name], "constant"
    return None


def has_names(expr: Expr) -> bool:
    """Does the expression refer to anything the pipeline could still resolve (a name or env var)?"""
    if isinstance(expr, (Ref, Env)):
        return True
    if isinstance(expr, BinOp):
        return has_names(expr.left) or has_names(expr.right)
    if isinstance(expr, Call):
        return any(has_names(a) for a in expr.args) or any(has_names(v) for _, v in expr.kwargs)
    return False


def settle(expr: Expr, scale: float) -> tuple[float | int | None, str]:
    """Evaluate a value against literals and the file's own constants: (ms, "literal"/"constant"/
    "env_default"), or (None, "unresolved") when it needs other files."""
    result = evaluate(expr, _file_lookup)
    if result.value is None or isinstance(result.value, (str, tuple)):
        return None, "unresolved"
    return normalise_ms(float(result.value) * scale), result.resolved_from


def settle_count(expr: Expr) -> int | None:
    result = evaluate(expr, _file_lookup)
    if isinstance(result.value, (int, float)) and not isinstance(result.value, bool):
        return int(result.value)
    return None


def string_value(expr: Expr | None) -> str | None:
    if isinstance(expr, Str):
        return expr.value
    return None


_PLACEHOLDER = re.compile(r"^\$\{([^}:]+)(?::(.*))?\}$")


def spring_placeholder(value: str) -> Expr | None:
    """``${risk.url}`` -> Ref("risk.url"); ``${RISK_URL:http://x}`` -> Env("RISK_URL", Str(...)).

    Lower-case dotted names are Spring properties (the resolver finds them among the service's
    config symbols); a default makes it an external lookup with a known fallback.
    """
    m = _PLACEHOLDER.match(value.strip())
    if not m:
        return None
    name, default = m.group(1).strip(), m.group(2)
    if default is not None:
        return Env(name, parse_config_scalar(default))
    if name.isupper() or "_" in name and "." not in name:
        return Env(name, None)
    return Ref(name)


_DURATION_TEXT = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(ns|us|ms|s|m|h|d)\s*$", re.IGNORECASE)
_ISO_DURATION = re.compile(
    r"^P(?:(?P<d>\d+(?:\.\d+)?)D)?(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<m>\d+(?:\.\d+)?)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$",
    re.IGNORECASE)
_TEXT_UNITS = {"ns": 0.000001, "us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0, "h": 3600000.0, "d": 86400000.0}


def duration_text_ms(text: str) -> float | None:
    """Spring's duration notation in ms: "500ms", "2s", "PT2S"; None if not a duration with a unit."""
    t = text.strip()
    m = _DURATION_TEXT.match(t)
    if m:
        return float(m.group(1)) * _TEXT_UNITS[m.group(2).lower()]
    if t[:2].upper() == "PT" or (t[:1].upper() == "P" and len(t) > 1):
        m = _ISO_DURATION.match(t)
        if m and any(m.group(g) for g in "dhms"):
            total = 0.0
            for g, unit in (("d", 86400000.0), ("h", 3600000.0), ("m", 60000.0), ("s", 1000.0)):
                if m.group(g):
                    total += float(m.group(g)) * unit
            return total
    return None


def parse_config_scalar(value: Any) -> Expr:
    """A config value as an Expr: numbers and durations become Num (durations in ms), placeholders
    Ref/Env, everything else Str."""
    if isinstance(value, bool):
        return Str("true" if value else "false")
    if isinstance(value, (int, float)):
        return Num(float(value))
    text = "" if value is None else str(value).strip()
    placeholder = spring_placeholder(text)
    if placeholder is not None:
        return placeholder
    spel = re.fullmatch(r"#\{\s*(-?\d+(?:\.\d+)?|'[^']*')\s*\}", text)
    if spel is not None:
        # round 20 (ab2d): a SpEL literal as a placeholder's default (`${AB2D_OKTA_CONNECTION_TIMEOUT:#{5}}`)
        return parse_config_scalar(spel.group(1).strip("'"))
    try:
        return Num(float(text.replace("_", "")))
    except ValueError:
        pass
    ms = duration_text_ms(text)
    if ms is not None:
        return Num(ms)
    return Str(text)


@dataclass
class FindingSink:
    """Collects findings for one file; builds complete records with settled-or-pending values."""

    path: str
    language: str
    findings: list[Finding] = field(default_factory=list)
    errors: list[ErrorEntry] = field(default_factory=list)

    def add(self, kind: str, loc: tuple[int, int, int, int], detector: str, attributes: dict,
            evidence: str, confidence: str = "high", target: Target | None = None,
            pending: tuple[Pending, ...] = ()) -> Finding:
        line, col, end_line, end_col = loc
        finding = Finding(kind=kind, path=self.path, line=line, column=col, end_line=end_line,
                          end_column=end_col, language=self.language, detector=detector,
                          confidence=confidence, attributes=attributes, evidence=evidence[:200],
                          target=target, pending=tuple(pending))
        self.findings.append(finding)
        return finding

    def timeout(self, loc, detector: str, phase: str, expr: Expr, scale: float, expression: str,
                evidence: str, target: Target | None = None, target_pending: tuple[Pending, ...] = (),
                confidence: str | None = None, extra: dict | None = None,
                zero_disables: bool = True) -> Finding:
        """A timeout finding; a literal 0 where the library reads 0 as "no timeout" (OkHttp,
        URLConnection, Apache, RestTemplate factories) is a missing_timeout instead."""
        value, provenance = settle(expr, scale)
        raw = evaluate(expr, _file_lookup).value if value == 0 else None
        if raw == 0 and zero_disables and provenance in ("literal", "constant"):
            attributes = {"library": (extra or {}).get("library"), "library_default_ms": None,
                          "phase": phase, "expression": expression.strip()[:200], "reason": "zero_disables"}
            return self.add("missing_timeout", loc, detector, attributes, evidence, "high", target,
                            tuple(target_pending))
        pending: tuple[Pending, ...] = ()
        if value is None:
            provenance = "unresolved"
            if has_names(expr):
                pending = (Pending("timeout_ms", expr, scale),)
            elif confidence is None:
                confidence = "low"  # a method call or field of an object: nothing left to resolve
        elif provenance == "env_default":
            # the deployment (compose, .env, Kubernetes env, the user's env: config) may set the
            # variable: the pipeline evaluates it again
            pending = (Pending("timeout_ms", expr, scale),)
        attributes = {"timeout_ms": value, "phase": phase, "resolved_from": provenance,
                      "expression": expression.strip()[:200]}
        if extra:
            attributes.update(extra)
        if confidence is None:
            confidence = "high" if provenance in ("literal", "constant") else "medium"
        return self.add("timeout", loc, detector, attributes, evidence, confidence, target,
                        pending + tuple(target_pending))


def url_target(expr: Expr | None) -> tuple[Target | None, tuple[Pending, ...]]:
    """A Target for a literal URL, or a pending URL expression for the pipeline."""
    if expr is None:
        return None, ()
    if isinstance(expr, Str):
        return Target(url=expr.value), ()
    return None, (Pending("url", expr, None),)


def http_method_from_name(name: str) -> str | None:
    lowered = name.lower()
    for verb in ("get", "post", "put", "patch", "delete", "head", "options"):
        if lowered.startswith(verb):
            return verb.upper()
    return None


REPLICA_WORDS = re.compile(r"replica|reader|read[-_]?only|readonly|secondary|slave", re.IGNORECASE)


def documented(doc: str | None):
    """Give a detector function its module's docstring (the user doc ``@detector`` registers).
    Apply below ``@detector``: ``@detector(...)`` / ``@documented(__doc__)`` / ``def detect``."""

    def wrap(func):
        func.__doc__ = doc
        return func

    return wrap


def r4j_setting(section: str, instance: str, prop: str) -> Expr:
    """A Resilience4j instance's (effective) setting from Spring config, else what
    ``configs.default`` gives an instance that is named only in code (the spring extractor
    publishes both)."""
    return Call("coalesce", (Ref(f"resilience4j.{section}.instances.{instance}.{prop}"),
                             Ref(f"resilience4j.{section}.configs.default.{prop}")))
