"""The Python extractor: parse once with tree-sitter, run every detector on the shared view.

A pure function of the file's bytes. A syntax error still yields the findings of the
intact parts plus an ``ErrorEntry(kind="parse_error")`` at the first error line; one
failing detector never sinks the others.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import replace

from contract_discovery.model import ErrorEntry, FileResult, Finding, Pending
from contract_discovery.resolve import KEEP_IF
from contract_discovery.values import Unknown
from extractors import treesitter as T
from extractors import wrappers
from extractors.base import Extractor
from extractors.python import detectors
from extractors.python.analysis import PyFile, attempts_expression, clientish_call

_CODING = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")


def source_encoding(data: bytes) -> str:
    """The PEP 263 declared encoding (first two lines), else utf-8."""
    for line in data.splitlines()[:2]:
        m = _CODING.match(line)
        if m:
            name = m.group(1).decode("ascii", "replace")
            try:
                return codecs.lookup(name).name
            except LookupError:
                return "utf-8"
    return "utf-8"


def to_utf8(data: bytes) -> bytes:
    """Re-encode a file declared in another encoding (latin-1...) so strings read right.
    Tree-sitter columns then count bytes of the UTF-8 form."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:]
    encoding = source_encoding(data)
    if encoding in ("utf-8", "ascii"):
        return data
    try:
        return data.decode(encoding).encode("utf-8")
    except (UnicodeDecodeError, LookupError):
        return data


# Detectors that read generic shapes rank after library-specific ones when both see one setting.
_GENERIC = {"python.db": 1, "python.sdk_client": 1, "python.client_timeout": 2, "python.http_client": 3,
            "python.wrapper_timeout": 9}  # a proposal yields to any detector that reads the setting itself
_HEURISTIC = ("python.client_timeout", "python.http_client")


class PythonExtractor(Extractor):
    name = "python"
    language = "python"
    extensions = (".py", ".pyi")
    filenames = ()
    # A file is parsed only if it may hold a finding (constants of skipped files are still read by
    # the pipeline's symbol pass when a pending value names them). Plain tokens are tested with
    # ``in`` on the lowered bytes; the few shapes a word cannot tell are regular expressions.
    # tests/test_prefilter.py checks that every annotated fixture passes.
    prefilter_tokens = (
        # timeouts of every kind (HTTP, DB, sockets, SDKs, asyncio) and retry libraries (tenacity,
        # stamina, botocore... all say retry)
        b"timeout", b"retry", b"retries", b"backoff", b"dramatiq", b"remoulade", b"wait_for", b"fail_after",
        b"move_on_after",
        # a deadline handed to a library (`deadline = datetime.now() + timedelta(seconds=90)`)
        b"deadline",
        # task time limits (celery time_limit / soft_time_limit, dramatiq time_limit), ZeroMQ's
        # RCVTIMEO / SNDTIMEO socket options
        b"time_limit", b"rcvtimeo", b"sndtimeo",
        # HTTP / gRPC (generated stubs) / socket clients
        b"requests", b"httpx", b"aiohttp", b"urlopen", b"urllib3", b"httpadapter", b"stub", b"socket",
        # read replicas (the names and calls that route to one are shapes below)
        b"db_for_read", b"create_engine", b"create_async_engine", b"connections[",
        # idempotency, circuit breakers (pybreaker's CircuitBreaker too)
        b"idempot", b"dedup", b"redis", b"nonce", b"circuit",
        # connection retry budgets without a retry word (pika's connection_attempts=, aioapns' pool
        # max_connection_attempts; round 12)
        b"connection_attempts",
        # a re-connect-and-send-again once (`self._send(msg, reconnect=False)`; round 18, intelmq)
        b"reconnect=false",
    )
    # The shapes below run on the lower-cased bytes, each behind a cheap ``in`` guard: a case-blind
    # alternation scanned over every byte of every file would cost more than parsing.
    _RO = re.compile(rb"replica|reader|read[_-]?only|readonly|\bread\b|_read\b|\bread_|\bro\b|_ro\b|\bro_|slave|"
                     rb"secondary|follower|standby")
    _ROUTED = (re.compile(rb"using\s*\("), re.compile(rb"db_manager\s*\("))
    _BIND = re.compile(rb"\bbind\s*=[^,)\n]*(?:" + _RO.pattern + rb")")
    _DOT_READ = re.compile(rb"\.(?:reader|ro|read)\b")
    _DRIVER_CALLS = (re.compile(rb"\.connect\s*\("), re.compile(rb"create_pool\s*\("), re.compile(rb"connectionpool\s*\("))
    _DB_NAME = re.compile(rb"db|database|pool|engine|conn")
    _REPLICA_ATTR = re.compile(rb"\.(?:replica|read_replica|replica_db|readonly_db|read_db|reader_db)\b")
    _CACHE_LOOKUP = (re.compile(rb"cache\w*\s*\.\s*(?:exists|get|has_key|__contains__|hget|hexists|contains|fetch|"
                                rb"get_or_none)\s*\("), re.compile(rb"\bin\s+[\w.]*cache\b"))
    _NX = re.compile(rb"\bnx\s*=")
    _TRIES = re.compile(rb"(?:^|_|\b)tries\b")  # max_tries (not "countries")
    # one pattern per name: a literal prefix is found at memory speed, an alternation is not
    _ORM_CALLS = (re.compile(rb"filter(?:_by)?\s*\("), re.compile(rb"get(?:_or_create)?\s*\("),
                  re.compile(rb"update_or_create\s*\("))
    _ORM_KEY = re.compile(rb"(?:idempoten|dedup|request_id|transaction_id|tx_id|event_id|message_id)\w*\s*="
                          rb"|(?:\b|_)key\s*=")  # a keyword naming a request id, or *_key=
    _ORM_KEY_WORDS = (b"key", b"idempoten", b"dedup", b"request_id", b"transaction_id", b"tx_id", b"event_id",
                      b"message_id")
    _PAREN = re.compile(rb"[()]")

    @staticmethod
    def _args(low: bytes, start: int, limit: int = 4000) -> bytes:
        """The text of a call's arguments from just after its ``(`` to the matching ``)``."""
        depth = 1
        end = min(len(low), start + limit)
        for m in PythonExtractor._PAREN.finditer(low, start, end):
            if low[m.start()] == 40:  # (
                depth += 1
            else:
                depth -= 1
                if depth == 0:
                    return low[start:m.start()]
        return low[start:end]

    def _shapes(self, low: bytes) -> bool:
        # (round 20, loopchain) a module star-importing another (`from .configure_default import *`): read, so
        # the names it re-exports resolve through it (`conf.GRPC_TIMEOUT` with `import configure as conf`)
        if b"import *" in low:
            return True
        # the heuristic client: a receiver named like a client calling an HTTP verb
        if clientish_call(low):
            return True
        # read replicas: .using("ro") / .db_manager(read_db), Session(bind=read_engine), db.replica, db.read
        if b"using" in low or b"db_manager" in low:
            for pattern in self._ROUTED:
                for m in pattern.finditer(low):
                    if self._RO.search(self._args(low, m.end())):
                        return True
        if b"bind" in low and self._BIND.search(low):
            return True
        # (round 21, lead) a driver's own connection or pool to a replica: `psycopg2.connect(settings.REPLICA_DSN)`
        if b"connect" in low or b"pool" in low:
            for pattern in self._DRIVER_CALLS:
                for m in pattern.finditer(low):
                    if self._RO.search(self._args(low, m.end(), 400)):
                        return True
        if b".r" in low:
            if self._REPLICA_ATTR.search(low):
                return True
            for m in self._DOT_READ.finditer(low):
                s = m.start()
                seg = low[max(low.rfind(c, 0, s) for c in (b" ", b"\t", b"\n", b"\r", b"\f", b"\v", b"=")) + 1:s]
                if self._DB_NAME.search(seg):
                    return True
        # idempotency: a cache lookup (if cache.get(key): ...), a set-if-absent, an ORM lookup by a request id
        if b"cache" in low and any(p.search(low) for p in self._CACHE_LOOKUP):
            return True
        if b"nx" in low and self._NX.search(low):
            return True
        if (b".objects" in low or b"filter_by" in low) and any(t in low for t in self._ORM_KEY_WORDS):
            for pattern in self._ORM_CALLS:
                for m in pattern.finditer(low):
                    if self._ORM_KEY.search(self._args(low, m.end())):
                        return True
        # a hand-written retry loop: a ``try`` and an attempt counter or a sleep
        if b"try" in low and (b"attempt" in low or b"sleep" in low or (b"tries" in low and self._TRIES.search(low))):
            return True
        return False

    def prefilter(self, data: bytes) -> bool:
        low = data.lower()
        if any(token in low for token in self._tokens_lower):
            return True
        return self._shapes(low)

    def load_detectors(self) -> None:
        """Import (and so register) every detector; extraction does it on its first file."""
        detectors.load()

    def extract(self, path: str, data: bytes) -> FileResult:
        try:
            return self._extract(path, data)
        except Exception as exc:  # the contract: never raise
            return FileResult(path=path, language=self.language, errors=(
                ErrorEntry(path=path, kind="extractor_error", message=f"{type(exc).__name__}: {exc}"),))

    def _extract(self, path: str, data: bytes) -> FileResult:
        f = PyFile(path, to_utf8(data))
        errors: list[ErrorEntry] = []
        first = T.first_error(f.tree)
        if first is not None:
            errors.append(ErrorEntry(path=path, kind="parse_error", line=first[0],
                                     message=f"syntax error at line {first[0]}, column {first[1]}"))
        findings: list[Finding] = []
        for detect in detectors.load():
            try:
                findings.extend(detect(f))
            except Exception as exc:
                errors.append(ErrorEntry(path=path, kind="detector_error",
                                         message=f"{getattr(detect, 'detector_id', detect.__module__)}: "
                                                 f"{type(exc).__name__}: {exc}"))
        errors.extend(ErrorEntry(path=path, kind="detector_error", message=m) for m in f.internal_errors)
        if f.count_params:
            findings = [_with_attempts_expression(f, fd) for fd in findings]
        # A heuristic detection is at most medium confidence, however literal its value.
        findings = [replace(fd, confidence="medium") if fd.detector in _HEURISTIC and fd.confidence == "high" else fd
                    for fd in findings]
        unique: dict[tuple, Finding] = {}
        for fd in sorted(findings, key=lambda x: _GENERIC.get(x.detector, 0)):
            if fd.kind == "timeout":  # two detectors reading the same setting: keep the specific one
                key: tuple = ("timeout", fd.line, fd.attributes.get("phase"), fd.attributes.get("expression"))
            else:
                key = fd.sort_key()
                if fd.detector == "python.wrapper_timeout":
                    # retry proposals of one call differ only in the parameter they ask for
                    # (`job_scheduler(queue_name=Q, max_retries=5)`): keep each, the callee tells which holds
                    key = (*key, tuple(repr(p.expr) for p in fd.pending if p.attribute == KEEP_IF))
            unique.setdefault(key, fd)
        # (round 21, flexget) a helper's retry proposal at a call a library detector already reads the same
        # way (`RequestSession(max_retries=3)`, a requests.Session subclass: python.sdk_client reads the keyword,
        # the constructor's publication proposes it too): the direct reading stands alone
        direct = {(fd.line, fd.column) for fd in unique.values()
                  if fd.kind == "retry" and fd.detector == "python.sdk_client"
                  and fd.attributes.get("max_attempts") is not None}
        ordered = tuple(sorted((fd for fd in unique.values() if not (
            fd.kind == "retry" and fd.detector == "python.wrapper_timeout"
            and (fd.line, fd.column) in direct)), key=lambda fd: fd.sort_key()))
        symbols = dict(f.symbols)
        try:
            from extractors.python.detectors import wrapper_timeout
            symbols.update(wrapper_timeout.publish(f, ordered))
            # forward proposals served the publication above (helper chains): never reported
            ordered = tuple(fd for fd in _unreported_forwarders(f, ordered) if not fd.attributes.get("forward"))
        except Exception as exc:  # noqa: BLE001 - publishing is an extra, never a failure
            errors.append(ErrorEntry(path=path, kind="detector_error", message=f"python.wrapper_timeout: {exc}"))
        calls, proposed_for = None, frozenset()
        if wrappers.proposing_for() is not None:
            from extractors.python.detectors import wrapper_timeout
            calls = wrapper_timeout.called_names(f)
            proposed_for = calls & wrappers.proposing_for()
        return FileResult(path=path, language=self.language, findings=ordered, symbols=symbols,
                          imports=dict(f.imports), module=f.module, errors=tuple(errors),
                          calls=calls, proposed_for=proposed_for)


def _unreported_forwarders(f: PyFile, findings: tuple[Finding, ...]) -> tuple[Finding, ...]:
    """A helper's timeout that is only its own parameter (`def fetch(url, timeout=5): return
    requests.get(url, timeout=timeout)`) is a forwarder, not a contract: it published that parameter
    (the calls passing a value, or leaving the default, are the contracts) and is not reported."""
    forwarders = f._memo.get("wrapper_forwarders") or set()
    if not forwarders:
        return findings
    never = Pending(KEEP_IF, Unknown("a forwarder of its function's own parameter: its callers hold the contract"),
                    None)
    def key(fd: Finding) -> tuple:
        if fd.kind == "retry":
            name = str(fd.attributes.get("attempts_expression") or "").strip().split(" ", 1)[0]
            return fd.line, fd.column, name
        return fd.line, fd.column, str(fd.attributes.get("expression") or "").strip()

    return tuple(replace(fd, pending=(*fd.pending, never)) if fd.kind in ("timeout", "retry") and key(fd) in forwarders
                 else fd for fd in findings)


def _with_attempts_expression(f: PyFile, fd: Finding) -> Finding:
    """A retry whose bound is a parameter (`for _ in range(retries)` in `def call(url, retries=3)`)
    names it (`attempts_expression: retries`), settled to its default or not: the function then
    publishes that parameter as its callers' retry bound (extractors/wrappers.py)."""
    if fd.kind != "retry" or fd.attributes.get("attempts_expression"):
        return fd
    start, end = (fd.line - 1, fd.column - 1), (fd.end_line - 1, fd.end_column - 1)
    for node, param, offset in f.count_params:
        if start <= node.start_point and node.end_point <= end:
            value = fd.attributes.get("max_attempts")
            default = _param_default(f, node, param)
            if isinstance(value, (int, float)) and default is not None and default + offset != value:
                continue  # another count inside the same span
            return replace(fd, attributes={**fd.attributes, "attempts_expression": attempts_expression(param, offset)})
    return fd


def _param_default(f: PyFile, node, param: str) -> float | None:
    fn = f.enclosing_function(node)
    while fn is not None:
        params = f.function_params(fn)
        if param in params:
            default = params[param]
            if default is None:
                return None
            number = f.settle(f.expr(default))[0]
            return float(number) if isinstance(number, (int, float)) and not isinstance(number, bool) else None
        fn = f.enclosing_function(fn)
    return None


PythonExtractor._tokens_lower = tuple(t.lower() for t in PythonExtractor.prefilter_tokens)

EXTRACTOR = PythonExtractor()
