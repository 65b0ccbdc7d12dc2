"""Go value idioms turned into language-neutral expressions, with durations in milliseconds.

``2 * time.Second`` becomes ``BinOp("*", Num(2), Num(1000))``: every ``time.<Unit>`` is
replaced by its length in ms, so a duration expression evaluates straight to ms (scale 1.0).
Untyped numbers (retry counts, ``const timeoutSec = 2``) stay as they are, which keeps
``time.Duration(timeoutSec) * time.Second`` right.
"""

from __future__ import annotations

import re

UNIT_MS = {
    "Nanosecond": 1e-6,
    "Microsecond": 1e-3,
    "Millisecond": 1.0,
    "Second": 1000.0,
    "Minute": 60_000.0,
    "Hour": 3_600_000.0,
}

_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)")
_DURATION_UNIT_MS = {"ns": 1e-6, "us": 1e-3, "µs": 1e-3, "μs": 1e-3, "ms": 1.0, "s": 1000.0,
                     "m": 60_000.0, "h": 3_600_000.0}


def parse_go_duration(text: str) -> float | None:
    """``time.ParseDuration`` semantics, to ms: "1.5s" -> 1500, "1m30s" -> 90000, "0" -> 0."""
    s = text.strip()
    if not s:
        return None
    sign = 1.0
    if s[0] in "+-":
        sign = -1.0 if s[0] == "-" else 1.0
        s = s[1:]
    if s == "0":
        return 0.0
    pos, total = 0, 0.0
    while pos < len(s):
        m = _DURATION_PART.match(s, pos)
        if not m:
            return None
        total += float(m.group(1)) * _DURATION_UNIT_MS[m.group(2)]
        pos = m.end()
    return sign * total if pos else None


def parse_go_number(text: str) -> float | None:
    """An int or float literal as Go writes it (underscores, hex, octal, binary)."""
    t = text.replace("_", "").strip()
    try:
        if t.lower().startswith(("0x", "0o", "0b")):
            return float(int(t, 0))
        if len(t) > 1 and t.startswith("0") and t.isdigit():
            return float(int(t, 8))
        return float(t)
    except ValueError:
        return None


def unquote(text: str) -> str | None:
    """The value of a Go string literal's source text (interpreted or raw); None if not one."""
    if len(text) >= 2 and text[0] == text[-1] == "`":
        return text[1:-1]
    if len(text) >= 2 and text[0] == text[-1] == '"':
        body = text[1:-1]
        return re.sub(r'\\(["\\nt])', lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), body)
    return None


# --- DSN settings -----------------------------------------------------------------------------

_DSN_PARAM = re.compile(
    r"(?:^|[?&\s;])(timeout|readTimeout|writeTimeout|connect_timeout|statement_timeout)=([^&\s;]+)")

# parameter -> (phase, unit of a bare number in ms, or None when it must carry a Go unit)
DSN_TIMEOUTS = {
    "timeout": ("connect", None),  # go-sql-driver/mysql: dial timeout, Go duration
    "readTimeout": ("read", None),  # mysql: I/O read timeout, Go duration
    "connect_timeout": ("connect", 1000.0),  # libpq / pgx: whole seconds
    "statement_timeout": ("total", 1.0),  # postgres runtime parameter: ms
}


def dsn_timeouts(dsn: str) -> list[tuple[str, str, float, str]]:
    """Timeouts set in a DSN: (parameter, phase, ms, raw value). writeTimeout is not a
    request timeout for a reader and is left out."""
    found = []
    for m in _DSN_PARAM.finditer(dsn):
        name, raw = m.group(1), m.group(2)
        if name not in DSN_TIMEOUTS:
            continue
        phase, bare_unit = DSN_TIMEOUTS[name]
        ms = None
        number = parse_go_number(raw)
        if number is not None and bare_unit is not None:
            ms = number * bare_unit
        else:
            ms = parse_go_duration(raw)
        if ms is not None:
            found.append((name, phase, ms, raw))
    return found


def redact_dsn(dsn: str) -> str:
    """A DSN without its credentials: "postgres://u:p@host/db" -> "postgres://host/db"."""
    dsn = re.sub(r"(://)[^@/\s]*@", r"\1", dsn)
    dsn = re.sub(r"^[^@/\s:]+(:[^@/\s]*)?@", "", dsn)
    return re.sub(r"(password|pwd)=\S+", r"\1=***", dsn, flags=re.IGNORECASE)


def dsn_host(dsn: str) -> str:
    """The host part of a URL-style, mysql-style or key=value DSN ('' if none)."""
    m = re.search(r"://(?:[^@/\s]*@)?([^:/?\s]+)", dsn)
    if m:
        return m.group(1)
    m = re.search(r"@(?:tcp|unix)?\(([^:)]+)", dsn)
    if m:
        return m.group(1)
    m = re.search(r"(?:^|\s)host=([^\s]+)", dsn)
    return m.group(1) if m else ""


_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_REPLICA_WORDS = {"replica", "replicas", "reader", "readonly", "ro", "secondary", "follower",
                  "standby", "slave"}
_DB_WORDS = {"db", "sql", "conn", "pool", "store", "dsn", "database", "pg", "mysql"}


def name_words(name: str) -> list[str]:
    return [w.lower() for w in _WORDS.findall(name)]


def is_replica_name(name: str) -> bool:
    """`replicaDB`, `readerDSN`, `ORDERS_REPLICA_DSN`, `roPool`, `dbRO`, `readDB`; not `retry`."""
    words = name_words(name)
    if any(w in _REPLICA_WORDS for w in words):
        return True
    if "read" in words and any(w in _DB_WORDS for w in words):
        return True
    return "read_only" in name.lower() or "read-only" in name.lower()


def is_replica_host(host: str) -> bool:
    h = host.lower()
    return "replica" in h or "reader" in h or bool(re.search(r"(^|[-_.])ro($|[-_.])", h)) \
        or "read-only" in h or "readonly" in h
