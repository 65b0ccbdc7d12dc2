"""The shared HTTP engine: finds outbound HTTP calls and the timeout that applies to each.

Run once per file (memoised on the ``PyFile``); the per-library detector modules
(``requests_client``, ``httpx_client``...) pick their own findings from it, and the
retry / new-id detectors read its ``outbound`` map to know which calls leave the process.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from contract_discovery.model import Finding, Pending, Target
from contract_discovery.values import Unknown
from extractors import treesitter as T
from extractors.python.analysis import (CLIENT_CTORS, HTTP_VERBS, ClientRef, PyCall, PyFile, clientish_call, dotted,
                                        is_none, string_value, unwrap)
from extractors.python.targets import url_of
from extractors.treesitter import Node

REQUESTS_FUNCS = {f"requests.{v}" for v in (*HTTP_VERBS, "request")} | {
    f"requests.api.{v}" for v in (*HTTP_VERBS, "request")} | {
    f"requests.Session.{v}" for v in (*HTTP_VERBS, "request")}
HTTPX_FUNCS = {f"httpx.{v}" for v in (*HTTP_VERBS, "request", "stream")}
# requests' module functions in requests-compatible libraries: advocate (also vendored under a
# project's package: `from . import cw_advocate`), niquests, curl_cffi.requests, grequests
REQUESTS_LIKE = re.compile(r"^(?:(?:[\w.]*\.)?(?:\w+_)?advocate|niquests|curl_cffi\.requests|grequests)\.(?:%s|request)$"
                           % "|".join(HTTP_VERBS))
URLOPEN_FUNCS = {"urllib.request.urlopen", "urllib2.urlopen", "six.moves.urllib.request.urlopen",
                 "urlopen"}
CLIENT_METHODS = {
    "requests.Session": {*HTTP_VERBS, "request", "send"},  # send(prepared, timeout=...): round 13
    "httpx.Client": {*HTTP_VERBS, "request", "stream"},
    "aiohttp.ClientSession": {*HTTP_VERBS, "request", "ws_connect"},
    "urllib3.PoolManager": {"request", "urlopen", "request_encode_url", "request_encode_body"},
}
ANY_CLIENT_METHOD = frozenset(m for methods in CLIENT_METHODS.values() for m in methods)
LIBRARY_OF = {"requests.Session": "requests", "httpx.Client": "httpx",
              "aiohttp.ClientSession": "aiohttp", "urllib3.PoolManager": "urllib3"}
TIMEOUT_CTORS = {
    "httpx.Timeout": "httpx", "aiohttp.ClientTimeout": "aiohttp", "aiohttp.client.ClientTimeout": "aiohttp",
    "urllib3.Timeout": "urllib3", "urllib3.util.Timeout": "urllib3", "urllib3.util.timeout.Timeout": "urllib3",
    "requests.packages.urllib3.util.Timeout": "urllib3",
}
LIBRARY_DEFAULT_MS = {"httpx": 5000, "aiohttp": 300000}
WRAPPER_NAMES = ("send_request", "make_request", "_request", "request", "do_request", "_make_request",
                 "call_api", "_call_api", "api_request", "http_request", "_http_request", "fetch", "_send")
HTTP_METHOD_NAMES = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})
HEURISTIC_RECEIVER = ("session", "http", "client", "api", "sess", "conn")


def detector_of(library: str) -> str:
    return {"requests": "python.requests", "httpx": "python.httpx", "aiohttp": "python.aiohttp",
            "urllib": "python.urllib", "urllib3": "python.urllib3",
            "heuristic": "python.http_client"}[library]


@dataclass
class Outbound:
    call: PyCall
    library: str
    protocol: str
    method: str | None
    target: Target | None
    pending: list[Pending]
    url: str | None
    url_text: str


@dataclass
class HttpResult:
    findings: list[Finding] = field(default_factory=list)
    outbound: dict[int, Outbound] = field(default_factory=dict)


# Every outbound call and client setting this engine reports needs one of these in the file: a
# library's name, a timeout, or a receiver named like a client calling an HTTP verb.
_TOKENS = (b"timeout", b"requests", b"httpx", b"aiohttp", b"urlopen", b"urllib3", b"httpadapter")


def relevant(f: PyFile) -> bool:
    return f.has_any(*_TOKENS) or clientish_call(f.low)


def analyse(f: PyFile) -> HttpResult:
    if "http" not in f._memo:
        if not relevant(f):
            f._memo["http"] = HttpResult()
            return f._memo["http"]
        engine = _Engine(f)
        try:
            engine.run()
        except Exception as exc:  # never let one bad construct sink the file
            f.note_error("python.http", exc)
        f._memo["http"] = engine.result
    return f._memo["http"]


def _receiver_node(call: PyCall) -> Node | None:
    func = call.node.child_by_field_name("function")
    if func is not None and func.type == "attribute":
        return func.child_by_field_name("object")
    return None


class _Engine:
    def __init__(self, f: PyFile):
        self.f = f
        self.result = HttpResult()
        self.handled: set[int] = set()  # Timeout-constructor calls reported with their call's target
        self.reported: set[int] = set()
        self.emitted_lines: set[tuple[str, int, str]] = set()
        # a Timeout object built into a variable and handed to calls: the calls' destination, when
        # they agree (`t = aiohttp.ClientTimeout(total=2)` ... `session.post(url, timeout=t)`)
        self.ctor_targets: dict[int, tuple[Target | None, list[Pending]] | None] = {}
        # the destinations of the calls made through each client constructor (node id): a session made
        # without base_url takes them for its own settings when they agree (round 20, polyglot16)
        self.client_call_targets: dict[int, list[tuple[Target | None, list[Pending]]]] = {}

    def emit(self, findings: list[Finding]) -> None:
        for fd in findings:
            key = (fd.kind, fd.line, str(fd.attributes.get("phase")) + fd.detector)
            if key in self.emitted_lines:
                continue
            self.emitted_lines.add(key)
            self.result.findings.append(fd)

    # ------------------------------------------------------------------ main pass
    def run(self) -> None:
        f = self.f
        for call in f.calls:
            try:
                self._outbound(call)
            except Exception as exc:
                f.note_error("python.http", exc)
        for call in f.calls:
            try:
                self._constructors(call)
            except Exception as exc:
                f.note_error("python.http", exc)
        for cls in f.classes.values():
            try:
                self._client_class(cls)
            except Exception as exc:
                f.note_error("python.http", exc)

    def _classify(self, call: PyCall) -> tuple[str, ClientRef | None, str] | None:
        """(library, client ref, method name) when the call is an outbound HTTP request."""
        q = call.qualified
        name = q.rsplit(".", 1)[-1]
        if q in REQUESTS_FUNCS or REQUESTS_LIKE.match(q):
            return "requests", None, name
        if q in HTTPX_FUNCS:
            return "httpx", None, name
        if q in ("aiohttp.request", "aiohttp.client.request"):
            return "aiohttp", None, "request"
        if q in URLOPEN_FUNCS and (q != "urlopen" or "urlopen" in self.f.imports):
            return "urllib", None, "urlopen"
        if q == "urllib3.request":
            return "urllib3", None, "request"
        if name in WRAPPER_NAMES and "timeout" in call.kwargs and not _passes_parameter_on(self.f, call) and any(
                _looks_like_url(self.f, a.node) for a in [*call.args[:2], *(call.kwargs[k] for k in ("url", "endpoint")
                                                                             if k in call.kwargs)]):
            recv = _receiver_node(call)
            if recv is None or self.f.client_of(recv) is None:
                return "heuristic", None, name
        if name not in ANY_CLIENT_METHOD:
            return None
        recv = _receiver_node(call)
        if recv is None:
            return None
        ref = self.f.client_of(recv)
        if ref is not None:
            if ref.kind in CLIENT_METHODS and name in CLIENT_METHODS[ref.kind]:
                return LIBRARY_OF[ref.kind], ref, name
            return None
        rtext = (dotted(recv) or "").lower()

        last = rtext.rsplit(".", 1)[-1]
        if name in (*HTTP_VERBS, "request") and any(h in last for h in HEURISTIC_RECEIVER) and (
                call.args or "url" in call.kwargs):
            first = call.args[0].node if call.args else call.kwargs["url"].node
            verb = string_value(call.args[0].node) if name == "request" and len(call.args) > 1 else None
            if verb:
                first = call.args[1].node
            if _looks_like_url(self.f, first):
                return "heuristic", None, name
            if name == "request" and not verb and len(call.args) > 1 and _looks_like_url(self.f, call.args[1].node):
                # `sess.request(method, url, **kw)`: the verb held in a variable, the URL second (round 13)
                return "heuristic", None, name
            path = string_value(first)
            if verb and verb.upper() in HTTP_METHOD_NAMES and path and "/" in path and " " not in path:
                # `api_client.request("POST", "v2/companies/search/", timeout=3.0)`: a verb and an API
                # path relative to the client's base URL
                return "heuristic", None, name
        return None

    def _partial(self, call: PyCall) -> None:
        """``functools.partial(requests.get, timeout=5)`` / ``partial(session.request, timeout=5)``."""
        f = self.f
        if not call.args or "timeout" not in call.kwargs:
            return
        func = unwrap(call.args[0].node)
        name = dotted(func) or ""
        q = f.qualify(name)
        library = ("requests" if q in REQUESTS_FUNCS else "httpx" if q in HTTPX_FUNCS else None)
        if library is None and func is not None and func.type == "attribute":
            ref = f.client_of(func.child_by_field_name("object"))
            method = name.rsplit(".", 1)[-1]
            if ref is not None and ref.kind in CLIENT_METHODS and method in CLIENT_METHODS[ref.kind]:
                library = LIBRARY_OF[ref.kind]
        if library is None:
            return
        arg = call.kwargs["timeout"].node
        if is_none(unwrap(arg)):
            return
        self.emit(f.duration(arg, 1000.0, "total", detector_of(library), call.node, None))

    def _outbound(self, call: PyCall) -> None:
        f = self.f
        if call.qualified in ("functools.partial", "partial"):
            self._partial(call)
            return
        kind = self._classify(call)
        if kind is None:
            return
        library, ref, name = kind
        method: str | None
        url_node: Node | None
        if library == "heuristic" and name not in HTTP_VERBS:
            first = string_value(call.args[0].node) if call.args else None
            if first is not None and first.upper() in (*(v.upper() for v in HTTP_VERBS), "PUT"):
                method = first.upper()
                u = call.arg("url", 1)
            else:
                m = call.kwargs.get("method")
                method = (string_value(m.node) or "").upper() or None if m else None
                u = call.arg("url", 0)
                if m is None and len(call.args) > 1 and not _looks_like_url(self.f, call.args[0].node) \
                        and _looks_like_url(self.f, call.args[1].node):
                    u = call.arg("url", 1)  # `sess.request(method, url)`: the verb in a variable (round 13)
            url_node = u.node if u else None
        elif name in ("request", "stream", "urlopen", "request_encode_url", "request_encode_body") and library != "urllib":
            m = call.arg("method", 0)
            method = (string_value(m.node) or "").upper() or None if m else None
            u = call.arg("url", 1)
            url_node = u.node if u else None
        elif library == "urllib":
            u = call.arg("url", 0)
            url_node, method = self._urllib_url(u.node if u else None)
            if "data" in call.kwargs or len(call.args) > 1:
                method = method or "POST"
            method = method or "GET"
        else:
            method = name.upper() if name in HTTP_VERBS else ("GET" if name == "ws_connect" else None)
            u = call.arg("url", 0)
            url_node = u.node if u else None
        base = None
        if ref is not None and ref.ctor is not None:
            ctor = f.call_of(ref.ctor)
            if ctor is not None and "base_url" in ctor.kwargs:
                base = ctor.kwargs["base_url"].node
        target, pending, url, url_text = url_of(f, url_node, base)
        det = detector_of(library)
        protocol = "http"
        out = Outbound(call, library, protocol, method, target, pending, url, url_text)
        self.result.outbound[call.node.id] = out
        if ref is not None and ref.ctor is not None:
            self.client_call_targets.setdefault(ref.ctor.id, []).append((target, pending))
        conf = "low" if library == "heuristic" else ("high" if url else "medium")
        attrs = {"protocol": protocol, "method": method, "url": url, "url_expression": url_text or None,
                 "library": None if library == "heuristic" else library}
        self.emit([f.finding("outbound_call", call.node, det, attrs, conf, target, pending)])
        self._call_timeout(call, library, ref, target, pending, det)

    def _urllib_url(self, node: Node | None) -> tuple[Node | None, str | None]:
        f = self.f
        inner = unwrap(node)
        if inner is not None and inner.type == "identifier":
            found = f.binding(T.text(inner), inner)
            if found is not None:
                inner = unwrap(found[0])
        c = f.call_of(inner)
        if c is not None and c.qualified.rsplit(".", 1)[-1] == "Request":
            u = c.arg("url", 0)
            m = c.kwargs.get("method")
            return (u.node if u else None), (string_value(m.node) or "").upper() or None if m else None
        return node, None

    # ------------------------------------------------------------------ per-call timeout
    def _timeout_arg(self, call: PyCall, library: str) -> tuple[str, Node | None]:
        """('value', node) | ('none', node) | ('absent', None) | ('unknown', None)."""
        arg = call.kwargs.get("timeout")
        if arg is None and library == "urllib" and len(call.args) > 2:
            arg = call.args[2]
        if arg is not None:
            return ("none", arg.node) if is_none(unwrap(arg.node)) else ("value", arg.node)
        state = "absent"
        for splat in call.dict_splats:
            inner = next((c for c in splat.named_children), None)
            injected = self._injected_timeout(inner, call.node)
            if injected is not None:
                return ("none", injected) if is_none(unwrap(injected)) else ("value", injected)
            d = self._dict_node(inner, splat)
            if d is None:
                state = "unknown"
                continue
            value = _dict_get(d, "timeout")
            if value is not None:
                return ("none", value) if is_none(value) else ("value", value)
        if call.splats and state == "absent" and library != "requests":
            state = "unknown"
        return state, None

    def _injected_timeout(self, node: Node | None, at: Node) -> Node | None:
        """``kwargs.setdefault("timeout", 10)`` / ``kwargs["timeout"] = 10`` before ``**kwargs`` is passed on."""
        node = unwrap(node)
        if node is None or node.type != "identifier":
            return None
        fn = self.f.enclosing_function(at)
        if fn is None:
            return None
        name = T.text(node)
        found = None
        for n in T.walk(fn):
            if n.start_byte >= at.start_byte:
                break
            if n.type == "call":
                c = self.f.call_of(n)
                if c is not None and c.callee == f"{name}.setdefault" and len(c.args) > 1 and \
                        string_value(c.args[0].node) == "timeout":
                    found = c.args[1].node
            elif n.type == "assignment":
                left = n.child_by_field_name("left")
                if left is not None and left.type == "subscript" and T.text(left.child_by_field_name("value")) == name \
                        and string_value(left.child_by_field_name("subscript")) == "timeout":
                    found = n.child_by_field_name("right")
        return found

    def _dict_node(self, node: Node | None, at: Node) -> Node | None:
        node = unwrap(node)
        if node is None:
            return None
        if node.type == "dictionary":
            return node
        if node.type == "identifier":
            found = self.f.binding(T.text(node), at)
            if found is not None and unwrap(found[0]) is not None and unwrap(found[0]).type == "dictionary":
                return unwrap(found[0])
            if found is not None:
                c = self.f.call_of(found[0])
                if c is not None and c.callee == "dict":
                    return None if "timeout" in c.kwargs else found[0]
        return None

    def _timeout_ctor(self, node: Node | None, depth: int = 0) -> PyCall | None:
        node = unwrap(node)
        if node is None or depth > 3:
            return None
        c = self.f.call_of(node)
        if c is not None:
            return c if c.qualified in TIMEOUT_CTORS else None
        if node.type == "identifier":
            found = self.f.binding(T.text(node), node)
            if found is not None:
                return self._timeout_ctor(found[0], depth + 1)
        if node.type == "attribute" and T.text(node.child_by_field_name("object")) == "self":
            # `self.timeout = httpx.Timeout(10.0)` in __init__, `AsyncClient(timeout=self.timeout)` in
            # another method: the object's own line holds the setting (round 16, astrbot)
            cls = self.f.enclosing_class(node)
            values = self.f.self_attr_values(cls, T.text(node.child_by_field_name("attribute"))) \
                if cls is not None else []
            if len(values) == 1:
                return self._timeout_ctor(values[0], depth + 1)
        return None

    def _call_timeout(self, call: PyCall, library: str, ref: ClientRef | None, target: Target | None,
                      pending: list[Pending], det: str) -> None:
        f = self.f
        state, node = self._timeout_arg(call, library)
        if state == "value":
            ctor = self._timeout_ctor(node)
            if ctor is not None:
                if unwrap(node) == ctor.node:  # built right here: report it with this call's target
                    self._timeout_object(ctor, target, pending)
                elif target is not None or pending:
                    self._adopt_target(ctor, target, pending)
                return
            self.emit(f.duration(node, 1000.0, "total", det, call.node, target, pending))
            return
        if state == "unknown" or library == "heuristic":
            return
        if state == "none":
            self.emit([f.finding("missing_timeout", call.node, "python.missing_timeout",
                                 {"library": library, "library_default_ms": None}, "high", target, pending)])
            return
        # absent
        if ref is not None:
            if self._client_has_default(ref) != "no":
                return
        elif library in LIBRARY_DEFAULT_MS:
            self.emit([self._library_default(call.node, library, target, pending)])
            return
        if library == "urllib" and any(c.qualified == "socket.setdefaulttimeout" for c in f.calls):
            return
        if library in ("requests", "urllib", "urllib3"):
            conf = "high" if ref is None or ref.ctor is not None else "medium"
            self.emit([f.finding("missing_timeout", call.node, "python.missing_timeout",
                                 {"library": library, "library_default_ms": None}, conf, target, pending)])

    def _library_default(self, at: Node, library: str, target: Target | None, pending: list[Pending]) -> Finding:
        return self.f.finding("timeout", at, detector_of(library), {
            "timeout_ms": LIBRARY_DEFAULT_MS[library], "phase": "total",
            "resolved_from": "library_default", "expression": f"{library} default"}, "medium", target, pending)

    # ------------------------------------------------------------------ client defaults
    def _client_has_default(self, ref: ClientRef) -> str:
        """'yes' / 'no' / 'unknown' / 'none' (explicit None) for a client's default timeout."""
        f = self.f
        if ref.ctor is None:
            return "unknown"
        if ref.cls is not None and self._class_timeout_values(ref.cls)[1]:
            return "yes"
        ctor = f.call_of(ref.ctor)
        if ref.kind in ("httpx.Client", "aiohttp.ClientSession", "urllib3.PoolManager"):
            if ctor is not None and "timeout" in ctor.kwargs:
                return "none" if is_none(unwrap(ctor.kwargs["timeout"].node)) else "yes"
            if ctor is not None and ctor.dict_splats:
                return "unknown"
            if ref.kind in ("httpx.Client", "aiohttp.ClientSession"):
                return "yes"  # the library default applies; reported at the constructor
            return "no"
        if ref.kind == "requests.Session":
            if self._session_patched(ref):
                return "yes"
            return "no"
        return "unknown"

    def _session_patched(self, ref: ClientRef) -> bool:
        """A mounted adapter that sets a timeout, or ``s.request = partial(..., timeout=...)``."""
        f = self.f
        scope = ref.owner or f.root
        name = ref.name
        if not name:
            return False
        for call in f.calls:
            if call.name != "mount" or call.receiver != name:
                continue
            if scope is not f.root and not _inside(call.node, scope):
                continue
            adapter = call.arg("adapter", 1)
            if adapter is None:
                continue
            verdict = self._adapter_sets_timeout(adapter.node)
            if verdict:
                return True
        for target, value, _ in f.scope_assignments(scope) if scope is not None else []:
            if target.startswith(name + ".") and target.rsplit(".", 1)[-1] in (*HTTP_VERBS, "request"):
                c = f.call_of(value)
                if c is not None and "timeout" in c.kwargs:
                    return True
        return False

    def _adapter_sets_timeout(self, node: Node, depth: int = 0) -> bool:
        f = self.f
        node = unwrap(node)
        if node is None or depth > 3:
            return False
        if node.type == "identifier":
            found = f.binding(T.text(node), node)
            return self._adapter_sets_timeout(found[0], depth + 1) if found else True
        c = f.call_of(node)
        if c is None:
            return True  # unknown object: assume it may set one
        if "timeout" in c.kwargs:
            return True
        local = f.classes.get(c.callee)
        if local is not None:
            return self._class_timeout_values(local)[1]
        return c.qualified.rsplit(".", 1)[-1] != "HTTPAdapter"

    def _class_timeout_values(self, cls: Node) -> tuple[list[Node], bool]:
        """Value nodes a client/adapter subclass uses as its default timeout, and whether the
        class injects a timeout into requests at all."""
        key = f"cls:{cls.id}"
        if key in self.f._memo:
            return self.f._memo[key]
        f = self.f
        values: list[Node] = []
        injects = False
        used_attrs: set[str] = {"timeout", "default_timeout", "_timeout", "DEFAULT_TIMEOUT"}
        injected_at: dict[str, Node] = {}  # attribute -> the statement in send()/request() that applies it

        def take(value: Node | None) -> None:
            inner = unwrap(value)
            name = dotted(inner) if inner is not None else None
            if name is not None and name.startswith("self.") and name.count(".") == 1:
                used_attrs.add(name[5:])
                fn = f.enclosing_function(value)
                if fn is not None and T.text(fn.child_by_field_name("name")) in ("send", "request"):
                    injected_at.setdefault(name[5:], _statement(value))
            elif value is not None:
                values.append(value)

        assigns: list[tuple[str, Node]] = []
        for node in T.walk(cls):
            if node.type == "call":
                c = f.call_of(node)
                if c is None:
                    continue
                if c.name == "setdefault" and c.args and string_value(c.args[0].node) == "timeout":
                    injects = True
                    if len(c.args) > 1:
                        take(c.args[1].node)
                elif c.name == "update" and c.receiver and (c.args or "timeout" in c.kwargs) and \
                        f.enclosing_function(node) is not None and \
                        T.text(f.enclosing_function(node).child_by_field_name("name")) in ("send", "request"):
                    # `kwargs.update({"timeout": 5})` / `kwargs.update(timeout=5)` in send(): every request's
                    d = unwrap(c.args[0].node) if c.args else None
                    value = c.kwargs["timeout"].node if "timeout" in c.kwargs else (
                        _dict_get(d, "timeout") if d is not None and d.type == "dictionary" else None)
                    if value is not None:
                        injects = True
                        take(value)
                elif c.callee.startswith("super()") and "timeout" in c.kwargs:
                    injects = True
                    take(c.kwargs["timeout"].node)
            elif node.type == "assignment":
                left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
                if left is None or right is None:
                    continue
                if left.type == "subscript" and string_value(left.child_by_field_name("subscript")) == "timeout":
                    injects = True
                    take(right)
                else:
                    name = dotted(left)
                    if name is not None:
                        assigns.append((name, right))
            elif node.type in ("default_parameter", "typed_default_parameter"):
                pname = T.text(node.child_by_field_name("name"))
                fn = f.enclosing(node, ("function_definition",))
                fname = T.text(fn.child_by_field_name("name")) if fn is not None else ""
                if pname == "timeout" and fname in ("request", "send", *HTTP_VERBS):
                    injects = True
                    values.append(node.child_by_field_name("value"))
        at_map: dict[int, Node] = f._memo.setdefault("cls-at", {})
        for name, right in assigns:
            attr = name[5:] if name.startswith("self.") and name.count(".") == 1 else name
            if attr in used_attrs and "." not in attr:
                values.append(right)
                stmt = right.parent.parent if right.parent is not None else None
                if attr in injected_at and name == attr and stmt is not None and stmt.parent is not None and \
                        stmt.parent.parent is not None and stmt.parent.parent.type == "class_definition":
                    # (round 19, libretime) a class attribute default (`timeout: int = DEFAULT_TIMEOUT`) that send()
                    # applies (`kwargs["timeout"] = self.timeout`): at the line applying it, as a field's default is
                    at_map[right.id] = injected_at[attr]
        result = (values, injects)
        f._memo[key] = result
        return result

    # ------------------------------------------------------------------ constructors and classes
    def _constructors(self, call: PyCall) -> None:
        f = self.f
        q = call.qualified
        if q in TIMEOUT_CTORS:
            if call.node.id not in self.handled:
                target, pending = self._ctor_target(call)
                self._timeout_object(call, target, pending)
            return
        cheap = q in CLIENT_CTORS or call.callee in f.classes or call.name == "mount" or (
            call.name.endswith("Stub") and call.name[:1].isupper())
        ref = f.client_of(call.node) if cheap else None
        if ref is None or ref.ctor != call.node:
            # an adapter instance of an imported class mounted with a timeout
            if call.name == "mount":
                adapter = call.arg("adapter", 1)
                c = f.call_of(adapter.node) if adapter else None
                if adapter is not None and adapter.node.type == "identifier":
                    found = f.binding(adapter.text, adapter.node)
                    c = f.call_of(found[0]) if found else None
                if c is not None and "timeout" in c.kwargs and c.qualified not in CLIENT_CTORS:
                    self.emit(f.duration(c.kwargs["timeout"].node, 1000.0, "total", "python.requests", c.node, None))
            return
        kind = ref.kind
        base = call.kwargs.get("base_url")
        target, pending = (None, [])
        if base is not None:
            target, pending, _, _ = url_of(f, base.node)
        else:
            target, pending = self._calls_target(call)
        library = {"httpx.Client": "httpx", "aiohttp.ClientSession": "aiohttp", "urllib3.PoolManager": "urllib3",
                   "requests.HTTPAdapter": "requests", "requests.Session": "requests"}.get(kind)
        if library is None:
            return
        det = detector_of(library)
        arg = call.kwargs.get("timeout")
        splat_timeout = None
        if arg is None and call.dict_splats:
            # `kwargs = {"timeout": t, ...}` (or `kwargs["timeout"] = t`) then `httpx.AsyncClient(**kwargs)`:
            # the dict's entry is the client's setting, reported at the constructor (round 16)
            state, node = self._timeout_arg(call, library)
            if state in ("value", "none") and node is not None:
                splat_timeout = node
        if splat_timeout is not None:
            if not is_none(unwrap(splat_timeout)) and self._timeout_ctor(splat_timeout) is None:
                self.emit(f.duration(splat_timeout, 1000.0, "total", det, call.node, target, pending))
            return
        if arg is not None:
            if is_none(unwrap(arg.node)):
                if library in ("httpx", "aiohttp"):
                    self.emit([f.finding("missing_timeout", call.node, "python.missing_timeout",
                                         {"library": library, "library_default_ms": None}, "high", target, pending)])
                return
            ctor = self._timeout_ctor(arg.node)
            if ctor is not None:
                if unwrap(arg.node) == ctor.node:
                    self.handled.add(ctor.node.id)
                    self._timeout_object(ctor, target, pending)
                elif target is not None or pending:
                    self._adopt_target(ctor, target, pending)  # `t = ClientTimeout(...)`, then Session(timeout=t)
                return
            self.emit(f.duration(arg.node, 1000.0, "total", det, call.node, target, pending))
            return
        if call.dict_splats:
            return
        if ref.cls is not None and self._class_timeout_values(ref.cls)[1]:
            return
        transport = call.kwargs.get("transport")
        tc = f.call_of(transport.node) if transport is not None else None
        if transport is not None and not (tc is not None and tc.qualified.startswith("httpx.")):
            return  # a custom transport may set its own timeouts: the library default is not known to apply
        if library in LIBRARY_DEFAULT_MS and not self._every_request_bounded(call) and \
                not self._handed_to_sdk(call):
            self.emit([self._library_default(call.node, library, target, pending)])

    def _handed_to_sdk(self, call: PyCall) -> bool:
        """(round 20, chatgpt-telegram-bot) `http_client = httpx.AsyncClient(proxy=p)` then `openai.AsyncOpenAI(
        http_client=http_client)`: the SDK sends every request with its own timeout, so httpx's default is not
        the one that applies."""
        f = self.f
        node = call.node.parent
        while node is not None and node.type in ("conditional_expression", "parenthesized_expression"):
            node = node.parent
        if node is not None and node.type == "keyword_argument":
            name = node.child_by_field_name("name")
            return name is not None and T.text(name) == "http_client"
        if node is None or node.type != "assignment":
            return False
        left = node.child_by_field_name("left")
        if left is None or left.type not in ("identifier", "attribute"):
            return False
        bound = T.text(left)
        return any("http_client" in c.kwargs and c.kwargs["http_client"].text == bound for c in f.calls)

    def _every_request_bounded(self, call: PyCall) -> bool:
        """`async with aiohttp.ClientSession() as session:` (or `session = httpx.Client()`) whose every
        request in the function passes its own `timeout=`: the session's library default never applies."""
        f = self.f
        node, name = call.node, None
        parent = node.parent
        if parent is not None and parent.type == "as_pattern":
            alias = parent.child_by_field_name("alias")
            name = T.text(alias).strip() if alias is not None else None
        elif parent is not None and parent.type == "assignment" and parent.child_by_field_name("right") == node:
            left = parent.child_by_field_name("left")
            name = T.text(left) if left is not None and left.type == "identifier" else None
        scope = f.enclosing_function(node)
        if not name or scope is None:
            return False
        uses = [c for c in f.calls if c.receiver == name and scope.start_byte <= c.node.start_byte < scope.end_byte]
        requests_ = [c for c in uses if c.name in HTTP_VERBS or c.name == "request"]
        return bool(requests_) and len(requests_) == len(uses) and all(
            "timeout" in c.kwargs and not is_none(unwrap(c.kwargs["timeout"].node)) for c in requests_)

    def _adopt_target(self, ctor: PyCall, target: Target | None, pending: list[Pending]) -> None:
        """A call bounded by a Timeout object built earlier into a variable gives it its destination
        (when every such call goes to the same place)."""
        key = ctor.node.id
        if key in self.ctor_targets and self.ctor_targets[key] != (target, pending):
            self.ctor_targets[key] = None  # calls to different places: no single destination
        else:
            self.ctor_targets.setdefault(key, (target, pending))
        adopted = self.ctor_targets[key]
        line = ctor.node.start_point[0] + 1
        for i, fd in enumerate(self.result.findings):
            if fd.line == line and fd.kind == "timeout" and fd.target is None and \
                    not any(p.attribute == "url" for p in fd.pending):
                if adopted is not None:
                    self.result.findings[i] = dataclasses.replace(
                        fd, target=adopted[0], pending=(*fd.pending, *adopted[1]))
            elif fd.line == line and fd.kind == "timeout" and adopted is None:
                self.result.findings[i] = dataclasses.replace(
                    fd, target=None, pending=tuple(p for p in fd.pending if p.attribute != "url"))

    def _calls_target(self, ctor: PyCall) -> tuple[Target | None, list[Pending]]:
        """The one destination of the calls made through a client constructed without base_url
        (`async with aiohttp.ClientSession(timeout=t) as s: s.get("http://bureau/...")`), else none."""
        seen = self.client_call_targets.get(ctor.node.id, [])
        if not seen or any(t != seen[0] for t in seen[1:]) or (seen[0][0] is None and not seen[0][1]):
            return None, []
        return seen[0][0], list(seen[0][1])

    def _ctor_target(self, call: PyCall) -> tuple[Target | None, list[Pending]]:
        adopted = self.ctor_targets.get(call.node.id)
        if adopted is not None:
            return adopted[0], list(adopted[1])
        parent = call.node.parent
        if parent is not None and parent.type == "keyword_argument":
            outer = parent.parent.parent if parent.parent is not None else None
            oc = self.f.call_of(outer) if outer is not None else None
            if oc is not None:
                out = self.result.outbound.get(oc.node.id)
                if out is not None:
                    return out.target, list(out.pending)
                if "base_url" in oc.kwargs:
                    t, p, _, _ = url_of(self.f, oc.kwargs["base_url"].node)
                    return t, p
        return None, []

    def _timeout_object(self, call: PyCall, target: Target | None, pending: list[Pending]) -> None:
        """httpx.Timeout / aiohttp.ClientTimeout / urllib3.Timeout: one finding per phase given."""
        f = self.f
        if call.node.id in self.reported:
            return
        self.reported.add(call.node.id)
        self.handled.add(call.node.id)
        library = TIMEOUT_CTORS[call.qualified]
        det = detector_of(library)
        phases: list[tuple[str, Node]] = []
        k = call.kwargs
        if library == "httpx":
            default = call.args[0].node if call.args else (k["timeout"].node if "timeout" in k else None)
            explicit = [p for p in ("connect", "read") if p in k]
            if explicit:
                for p in ("connect", "read"):
                    node = k[p].node if p in k else default
                    if node is not None and not is_none(unwrap(node)):
                        phases.append((p, node))
            elif default is not None and not is_none(unwrap(default)):
                phases.append(("total", default))
            if not phases and (default is not None or not k):
                self.emit([f.finding("missing_timeout", call.node, "python.missing_timeout",
                                     {"library": "httpx", "library_default_ms": None}, "high", target, pending)])
                return
        elif library == "aiohttp":
            if "total" in k:
                phases.append(("total", k["total"].node))
            elif call.args:
                phases.append(("total", call.args[0].node))
            conn = k.get("sock_connect") or k.get("connect")
            if conn is not None:
                phases.append(("connect", conn.node))
            if "sock_read" in k:
                phases.append(("read", k["sock_read"].node))
            phases = [(p, n) for p, n in phases if not is_none(unwrap(n))]
            if not phases:
                self.emit([f.finding("missing_timeout", call.node, "python.missing_timeout",
                                     {"library": "aiohttp", "library_default_ms": None}, "high", target, pending)])
                return
        else:
            total = k.get("total") or (call.args[0] if call.args else None)
            if total is not None:
                phases.append(("total", total.node))
            for p in ("connect", "read"):
                if p in k:
                    phases.append((p, k[p].node))
            phases = [(p, n) for p, n in phases if not is_none(unwrap(n))]
        at = call.node
        holder = at.parent
        if holder is not None and holder.type == "keyword_argument" and holder.parent is not None \
                and holder.parent.parent is not None and holder.parent.parent.type == "call":
            at = holder.parent.parent  # ClientConfig(url, timeout=Timeout(...)): the call it bounds
        for phase, node in phases:
            self.emit(f.duration(node, 1000.0, phase, det, at, target, pending))

    def _client_class(self, cls: Node) -> None:
        f = self.f
        kind = f.class_kind(cls)
        if kind not in ("requests.Session", "requests.HTTPAdapter", "httpx.Client", "aiohttp.ClientSession"):
            return
        values, injects = self._class_timeout_values(cls)
        if not injects:
            # a mixin of this file injecting it (`class TimeoutHTTPAdapter(TimeoutAdapter, HTTPAdapter)`
            # with `TimeoutAdapter.send` setting the timeout): reported in the mixin, where it is set
            for base in f.class_bases(cls):
                local = f.classes.get(base)
                if local is not None and local is not cls and f.class_kind(local) is None:
                    more, sets = self._class_timeout_values(local)
                    if sets:
                        values, injects = [*values, *more], True
        if not injects and kind in ("requests.Session", "requests.HTTPAdapter"):
            return
        library = {"requests.Session": "requests", "requests.HTTPAdapter": "requests",
                   "httpx.Client": "httpx", "aiohttp.ClientSession": "aiohttp"}[kind]
        for node in values:
            if node is None or is_none(unwrap(node)):
                continue
            if self._timeout_ctor(node) is not None:
                continue
            value = f.expr(node)
            if isinstance(value, Unknown):
                continue
            stmt = f._memo.get("cls-at", {}).get(node.id) or _statement(node)
            self.emit(f.duration(node, 1000.0, "total", detector_of(library), stmt, None))


def _statement(node: Node) -> Node:
    cur = node
    while cur.parent is not None and cur.type not in (
            "expression_statement", "default_parameter", "typed_default_parameter", "return_statement"):
        cur = cur.parent
    return cur


def _inside(node: Node, scope: Node) -> bool:
    return scope.start_byte <= node.start_byte and node.end_byte <= scope.end_byte


def _dict_get(d: Node, key: str) -> Node | None:
    for pair in d.named_children:
        if pair.type == "pair" and string_value(pair.child_by_field_name("key")) == key:
            return pair.child_by_field_name("value")
    return None


def _looks_like_url(f: PyFile, node: Node | None) -> bool:
    node = unwrap(node)
    if node is None:
        return False
    s = string_value(node)
    if s is not None:
        return s.startswith(("/", "http://", "https://"))
    if node.type in ("string", "concatenated_string", "binary_operator"):
        text_ = T.text(node).lower()
        return "http" in text_ or "/" in text_ or "url" in text_
    if node.type in ("identifier", "attribute", "call", "subscript"):
        text_ = T.text(node).lower()
        return bool(re.search(r"(url|uri|endpoint|href|link)", text_))
    return False


def _passes_parameter_on(f: PyFile, call: PyCall) -> bool:
    """``def get(url, timeout=None): return request("get", url, timeout=timeout)`` with ``request``
    defined in the same file: a wrapper handing its own parameter to the helper beside it sets
    nothing; its callers do (and are reported)."""
    value = unwrap(call.kwargs["timeout"].node)
    if value is None or value.type != "identifier":
        return False
    func = call.node.child_by_field_name("function")
    if func is None or func.type != "identifier" or not any(
            d.type == "function_definition" and T.text(d.child_by_field_name("name")) == T.text(func)
            for d in f.root.named_children):
        return False  # only a helper defined right here: its own call is reported inside it
    fn = f.enclosing_function(call.node)
    params = fn.child_by_field_name("parameters") if fn is not None else None
    if params is None:
        return False
    wanted = T.text(value)
    for p in params.named_children:
        name = p if p.type == "identifier" else p.child_by_field_name("name")
        if name is None and p.named_children:
            name = p.named_children[0]  # typed_parameter: the identifier comes first
        if name is not None and T.text(name) == wanted:
            return True
    return False
