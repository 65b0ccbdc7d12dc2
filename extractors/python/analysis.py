"""One parsed Python file and the facts every detector shares.

``PyFile`` parses once and offers: the file's imports (local name -> qualified
name), its module name, its constants (``FileResult.symbols``), the call-site
view (``PyCall``: callee, qualified callee, args, kwargs, ``**`` splats), value
translation to ``contract_discovery.values`` expressions with same-file
settlement, local bindings (``x = ...`` in the enclosing function, ``self.x``
in the enclosing class) and finding construction. Nothing here runs scanned code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Iterable, Iterator

from contract_discovery.model import Finding, Pending, Target
from contract_discovery.values import (BinOp, Call, Env, Expr, Num, Ref, Str, Tuple, Unknown, as_number,
                                       evaluate, normalise_ms)
from extractors import treesitter as T
from extractors.treesitter import Arg, CallSite, Node

LANGUAGE = "python"
QUERIES = Path(__file__).parent / "queries"

SCOPES = ("function_definition", "lambda")
LOOPS = ("for_statement", "while_statement")
HTTP_VERBS = ("get", "post", "put", "patch", "delete", "head", "options")

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", "'": "'", '"': '"', "0": "\0"}
_ESCAPE_RE = re.compile(r"\\(.)", re.S)
_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


_HINTS = (b"http", b"client", b"api", b"sess", b"conn")
_VERB_CALL = re.compile(rb"\.[\s\\]*(?:get|post|put|patch|delete|head|options|request)[\s\\]*\(")
_CLIENTISH = re.compile(rb"(?:http|client|api|sess|conn)\w*[\s\\]*$")


def clientish_call(low: bytes) -> bool:
    """Whether lower-cased source calls an HTTP verb on a receiver named like a client
    (``self.api_client.post(``): what the heuristic HTTP detector needs. Finds the verb calls
    first and looks back: a case-blind alternation scanned over every byte costs more."""
    if not any(h in low for h in _HINTS):
        return False
    for m in _VERB_CALL.finditer(low):
        if _CLIENTISH.search(low, max(0, m.start() - 200), m.start()):
            return True
    return False


class LazyArg(Arg):
    """An ``Arg`` whose source text is decoded on first use (most arguments are never read as text)."""

    def __init__(self, node: Node, keyword: str | None = None):  # noqa: D107 - Arg's fields, text lazily
        self.node = node
        self.keyword = keyword

    @property
    def text(self) -> str:  # type: ignore[override]
        cached = self.__dict__.get("_text")
        if cached is None:
            cached = self.__dict__["_text"] = T.text(self.node)
        return cached


@dataclass
class PyCall(CallSite):
    """A call site plus the ``*args`` / ``**kwargs`` splats the generic view does not carry."""

    splats: list[Node] = field(default_factory=list)
    dict_splats: list[Node] = field(default_factory=list)

    # Memoised (every detector asks, for every call); a call site is never changed once built.
    @cached_property
    def name(self) -> str:  # type: ignore[override]
        """The last component of the qualified callee (``post`` for ``self.session.post``)."""
        return self.qualified.rsplit(".", 1)[-1]

    @cached_property
    def receiver(self) -> str:  # type: ignore[override]
        """Everything before the last component (``self.session`` for ``self.session.post``)."""
        return self.callee.rsplit(".", 1)[0] if "." in self.callee else ""


def module_name(path: str) -> str | None:
    """``services/risk/risk/config.py`` -> ``services.risk.risk.config`` (``__init__`` is the package)."""
    p = path.replace("\\", "/").lstrip("./")
    for ext in (".pyi", ".py"):
        if p.endswith(ext):
            p = p[: -len(ext)]
            break
    parts = [x for x in p.split("/") if x]
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    if not parts or not all(re.match(r"^[A-Za-z_][A-Za-z0-9_-]*$", x) for x in parts):
        return ".".join(parts) or None
    return ".".join(parts)


def string_value(node: Node | None) -> str | None:
    """The value of a plain string literal (no interpolation), else None."""
    if node is None:
        return None
    if node.type == "concatenated_string":
        parts = [string_value(c) for c in node.named_children if c.type == "string"]
        return None if any(p is None for p in parts) else "".join(parts)  # type: ignore[arg-type]
    if node.type != "string":
        return None
    start = next((c for c in node.children if c.type == "string_start"), None)
    prefix = T.text(start).lower() if start is not None else ""
    if "b" in prefix:
        return None
    pieces: list[str] = []
    for child in node.children:
        if child.type == "interpolation":
            return None
        if child.type == "string_content":
            raw = T.text(child)
            if "r" in prefix:
                pieces.append(raw)
            else:
                pieces.append(_ESCAPE_RE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(0)), raw))
    return "".join(pieces)


def number_value(node: Node | None) -> float | None:
    if node is None:
        return None
    if node.type == "unary_operator":
        arg = node.child_by_field_name("argument")
        op = T.text(node.child_by_field_name("operator"))
        inner = number_value(arg)
        if inner is None:
            return None
        return -inner if op == "-" else inner
    if node.type not in ("integer", "float"):
        return None
    raw = T.text(node).replace("_", "").lower().rstrip("lj")
    try:
        if node.type == "integer":
            return float(int(raw, 0))
        return float(raw)
    except ValueError:
        return None


# a value read from a configuration mapping (`config.get("TIMEOUT", 5)`, `options.get('poolTimeout')`)
# `<obj>.config.HTTP_TIMEOUT`: an upper-case setting read from a configuration object (round 16)
_DECLARED_CONFIG_READ = re.compile(r"\.(?:config|conf|cfg|settings|options)\.([A-Z][A-Z0-9_]{2,})$")
_CONFIG_READ = re.compile(r"\b(config|conf|cfg|options|opts|settings|params?)\s*\.\s*get\(", re.I)
# a project helper that coerces / bounds a setting and returns it (`coerce_int_config`, `clamp_timeout`,
# `ensure_positive`), with the keywords such helpers take besides the value (round 17)
_COERCER_NAME = re.compile(r"^_?(coerce|clamp|ensure|validate|normali[sz]e|sanitize|bound(ed)?)(_|$)", re.I)
_COERCER_KEYWORDS = frozenset({"default", "min_value", "max_value", "minimum", "maximum", "min", "max", "lo", "hi",
                               "field_name", "name", "source", "key", "label", "allow_none", "cast"})
_COERCER_LIBRARIES = frozenset({"pydantic", "marshmallow", "voluptuous", "cerberus", "jsonschema", "numpy", "np"})
# frameworks whose `settings` / `config` objects are no project configuration files' (Django's settings module)
_FRAMEWORK_SETTINGS = frozenset({"django", "flask", "fastapi", "starlette", "celery", "pydantic", "pydantic_settings",
                                 "decouple", "environ", "dynaconf_flask"})
# the object argparse hands back (`args = parser.parse_args()`), read as `args.timeout` (round 17)
_CLI_ARGS = re.compile(r"^(args|arguments|opts|options|cli_args|parsed_args|cmd_args|cmdline_args)$")
# a configuration key naming a timeout or a retry bound (`"slack_timeout"`, `"max_retries"`, `"es_conn_timeout"`)
_CONFIG_KEY_BOUND = re.compile(r"(time_?out|retries|retry_count|max_?attempts|max_tries)$", re.I)


def is_none(node: Node | None) -> bool:
    return node is not None and node.type == "none"


def unwrap(node: Node | None) -> Node | None:
    """Strip parentheses and ``await``."""
    while node is not None and node.type in ("parenthesized_expression", "await"):
        inner = [c for c in node.named_children if c.type != "comment"]
        node = inner[0] if inner else None
    return node


def dotted(node: Node | None) -> str | None:
    """``a.b.c`` for an identifier/attribute chain, else None (iterative: chains can be long)."""
    parts: list[str] = []
    while node is not None and node.type == "attribute":
        attr = node.child_by_field_name("attribute")
        if attr is None:
            return None
        parts.append(T.text(attr))
        node = node.child_by_field_name("object")
    if node is None or node.type != "identifier":
        return None
    parts.append(T.text(node))
    return ".".join(reversed(parts))


def body_statements(node: Node | None) -> list[Node]:
    if node is None:
        return []
    return [c for c in node.named_children if c.type != "comment"]


@dataclass
class ClientRef:
    """What an expression denotes when it is an HTTP/RPC client object."""

    kind: str  # requests.Session, httpx.Client, aiohttp.ClientSession, urllib3.PoolManager, grpc.Stub
    ctor: Node | None = None  # the constructing call, if seen
    cls: Node | None = None  # a class of this file that subclasses the client
    owner: Node | None = None  # scope (function/class/module) that holds the binding
    name: str = ""  # the receiver text (``session``, ``self.session``)


CLIENT_CTORS = {
    "requests.Session": "requests.Session",
    "requests.session": "requests.Session",
    "requests.sessions.Session": "requests.Session",
    "requests.sessions.session": "requests.Session",
    "httpx.Client": "httpx.Client",
    "httpx.AsyncClient": "httpx.Client",
    "aiohttp.ClientSession": "aiohttp.ClientSession",
    "aiohttp.client.ClientSession": "aiohttp.ClientSession",
    # aiohttp-retry wraps a ClientSession and hands it its keywords (timeout=) and verbs (round 20, polyglot16)
    "aiohttp_retry.RetryClient": "aiohttp.ClientSession",
    "aiohttp_retry.client.RetryClient": "aiohttp.ClientSession",
    "urllib3.PoolManager": "urllib3.PoolManager",
    "urllib3.ProxyManager": "urllib3.PoolManager",
    "urllib3.HTTPConnectionPool": "urllib3.PoolManager",
    "urllib3.HTTPSConnectionPool": "urllib3.PoolManager",
    "urllib3.connection_from_url": "urllib3.PoolManager",
    "urllib3.poolmanager.PoolManager": "urllib3.PoolManager",
    "requests.adapters.HTTPAdapter": "requests.HTTPAdapter",
    "requests.HTTPAdapter": "requests.HTTPAdapter",
    # requests-compatible sessions (the same `timeout=` / verbs): advocate (SSRF-safe requests),
    # niquests, curl_cffi, requests-cache, cloudscraper
    "advocate.Session": "requests.Session",
    "niquests.Session": "requests.Session",
    "niquests.AsyncSession": "requests.Session",
    "curl_cffi.requests.Session": "requests.Session",
    "curl_cffi.requests.AsyncSession": "requests.Session",
    "requests_cache.CachedSession": "requests.Session",
    "cloudscraper.create_scraper": "requests.Session",
    "cloudscraper.CloudScraper": "requests.Session",
}


# Every ClientRef comes from a constructor of CLIENT_CTORS (spelled with its library's name in
# the file, through its imports), a subclass of one or of an HTTPAdapter, or a generated ``*Stub``.
_CLIENT_TOKENS = (b"requests", b"httpx", b"aiohttp", b"urllib3", b"httpadapter", b"stub", b"advocate", b"niquests",
                  b"cloudscraper")


# A project's env helper named for what it reads: envint, env_int, get_env_float, getenv_str,
# get_int_from_env, int_from_env, read_env_float.
_ENV_HELPER = re.compile(r"^(?:get_?|read_?|parse_?)?(?:env(?:iron)?_?(int|integer|float|str|bool)|"
                         r"(int|integer|float|str|bool)_?(?:from_)?env(?:iron)?(?:_var)?)$")


# a settings lookup with a default: `get_settings_value("X", {...})`, `getattr(settings, "X", {...})`,
# `get_setting(...)`, `config.get_option(...)`
_SETTINGS_GETTER = re.compile(r"(^getattr$|get_?settings?(_value)?$|get_?config(_value)?$|get_?option$|setting$)", re.I)

# a receiver whose `.get(key, default)` reads configuration (as `config_default` tells it)
# a project's getter of a runtime option taking (name, default): get_option, get_config, get_setting
# (round 19, openfec: cfenv's `env.get_credential("GUNICORN_TIMEOUT", 300)`, a bound service's credential or its default)
_OPTION_GETTER = re.compile(r"^(?:get_?)?(?:runtime_)?(?:option|config|setting|conf|credential)(?:_value)?$", re.I)
_CONFIG_OWNER = re.compile(r"(config|conf|cfg|options|opts|settings|params|properties)")
_CKAN_KEY = re.compile(r"^[A-Za-z_][\w-]*(?:\.[\w-]+)*$")  # a CKAN option name: ckan.requests.timeout, solr_timeout

# class-body field factories whose `default=` is the field's value
# (round 19, mquery) typedconfig's `job_timeout = key(cast=int, default=300)`: the key's default
_FIELD_FACTORIES = frozenset({"typedconfig.key", "typedconfig.config.key",
                              "pydantic.Field", "pydantic.fields.Field", "dataclasses.field", "Field",
                              "sqlmodel.Field", "attr.ib", "attrs.field"})


# a lowercase field a constructor keeps that bounds a call (published as `Class.field`)
_BOUND_FIELD = re.compile(r"(timeout|deadline|retries|attempts|tries|wait_time)$", re.I)


class PyFile:
    """A parsed Python file with its shared facts, built once per extraction."""

    def __init__(self, path: str, data: bytes):
        self.path = path
        self.data = data
        self.low = data.lower()  # detectors gate on tokens with a cheap ``in``
        self._tokens: dict[bytes, bool] = {}
        self.tree = T.parse(LANGUAGE, data)
        self.root = self.tree.root_node
        self.module = module_name(path)
        self.imports: dict[str, str] = {}
        self.symbols: dict[str, Expr] = {}
        self._calls: list[PyCall] | None = None  # built on first use: most files need only a few
        self._call_nodes: list[Node] = []
        self._call_ids: set[int] = set()
        self.classes: dict[str, Node] = {}
        self.relative_names: set[str] = set()
        self.functions: list[Node] = []
        self.loops: list[Node] = []
        self.tries: list[Node] = []
        self._call_by_id: dict[int, PyCall] = {}
        self._scope_assign_cache: dict[int, list[tuple[str, Node, Node]]] = {}
        self._self_attr_cache: dict[int, dict[str, list[Node]]] = {}
        self._memo: dict[str, Any] = {}
        self.internal_errors: list[str] = []
        self._module_functions: dict[str, Node] | None = None
        self.ifs: list[Node] = []
        # (node, parameter, offset) of every count that is a parameter: max_attempts = parameter +
        # offset, for the finding's `attempts_expression` (a helper's published retry bound)
        self.count_params: list[tuple[Node, str, float]] = []
        # (line, parameter) -> scale of a timeout that is a parameter without a default
        self.param_scales: dict[tuple[int, str], float] = {}
        self._collect()

    # ------------------------------------------------------------------ collection
    def _collect(self) -> None:
        found = T.captures(T.load_query(LANGUAGE, str(QUERIES / "structure.scm")), self.root)
        by_pos = lambda n: n.start_byte  # noqa: E731 - captures are grouped by name, not ordered
        for node in sorted(found.get("import", []), key=by_pos):
            self._import(node)
        for node in sorted(found.get("import_from", []), key=by_pos):
            self._import_from(node)
        self._call_nodes = sorted(found.get("call", []), key=by_pos)
        self._call_ids = {n.id for n in self._call_nodes}
        for node in sorted(found.get("class", []), key=by_pos):
            name = node.child_by_field_name("name")
            if name is not None:
                self.classes.setdefault(T.text(name), node)
        self.functions = sorted(found.get("function", []), key=by_pos)
        self.loops = sorted(found.get("loop", []), key=by_pos)
        self.tries = sorted(found.get("try", []), key=by_pos)
        self.ifs = sorted(found.get("if", []), key=by_pos)
        self._collect_symbols()

    def _import(self, node: Node) -> None:
        for child in node.children_by_field_name("name"):
            if child.type == "aliased_import":
                name = T.text(child.child_by_field_name("name"))
                alias = T.text(child.child_by_field_name("alias"))
                self.imports[alias] = name
            elif child.type == "dotted_name":
                full = T.text(child)
                self.imports.setdefault(full.split(".")[0], full.split(".")[0])

    def _resolve_relative(self, rel: Node) -> str:
        prefix = next((c for c in rel.children if c.type == "import_prefix"), None)
        dots = T.text(prefix).count(".") if prefix is not None else 0
        rest = next((c for c in rel.children if c.type == "dotted_name"), None)
        package = (self.module or "").split(".")
        is_package = self.path.replace("\\", "/").rsplit("/", 1)[-1].startswith("__init__.")
        if not is_package:
            package = package[:-1]
        if dots > 1:
            package = package[: len(package) - (dots - 1)] if dots - 1 <= len(package) else []
        parts = [p for p in package if p]
        if rest is not None:
            parts.append(T.text(rest))
        return ".".join(parts)

    def _verb_alias(self, func: Node) -> str | None:
        """`requestor = requests.get` (then maybe `requestor = requests.post`) and `requestor(url, ...)`:
        the call is that library's request (the first verb bound; every binding must be one)."""
        scope = self.enclosing_function(func)
        if scope is None:
            return None
        name = T.text(func)
        values = [unwrap(v) for t, v, _ in self.scope_assignments(scope) if t == name]
        found = [self.qualify(T.text(v)) for v in values if v is not None and v.type == "attribute"]
        if not values or len(found) != len(values) or not all(
                re.match(r"^(requests|httpx)\.(get|post|put|patch|delete|head|options|request)$", q) for q in found):
            return None
        return found[0]

    def _import_from(self, node: Node) -> None:
        mod = node.child_by_field_name("module_name")
        if mod is None:
            return
        base = self._resolve_relative(mod) if mod.type == "relative_import" else T.text(mod)
        relative = mod.type == "relative_import"
        if base and any(c.type == "wildcard_import" for c in node.children):
            # (round 20, loopchain) `from loopchain.configure_default import *`: the names this module
            # re-exports from there (read by the resolver when the module itself does not define one)
            self.imports["*" + base] = base
        for child in node.children_by_field_name("name"):
            if child.type == "aliased_import":
                name = T.text(child.child_by_field_name("name"))
                alias = T.text(child.child_by_field_name("alias"))
            else:
                name = alias = T.text(child)
            self.imports[alias] = f"{base}.{name}" if base else name
            if relative:
                self.relative_names.add(alias)  # (round 22) a name of this project's own modules

    def _call(self, node: Node) -> PyCall:
        func = node.child_by_field_name("function")
        callee = "".join(T.text(func).split())  # no whitespace (str.split and \\s agree)
        qualified = self.qualify(callee)
        if func is not None and func.type == "identifier" and qualified == callee and self.has_any(
                b"= requests.", b"= httpx.") and callee not in self.classes:
            qualified = self._verb_alias(func) or qualified
        if callee.startswith("super(") and callee.endswith(").__init__"):
            # (round 17) `super(ElasticSearchClient, self).__init__(host=..., timeout=...)` in a subclass of an
            # imported library class: that class's constructor (elastalert's Elasticsearch client)
            qualified = self._library_base_of(node) or qualified
        call = PyCall(node=node, callee=callee, qualified=qualified)
        arglist = node.child_by_field_name("arguments")
        if arglist is not None and arglist.type == "argument_list":
            for child in arglist.named_children:
                if child.type == "comment":
                    continue
                if child.type == "keyword_argument":
                    name = T.text(child.child_by_field_name("name"))
                    value = child.child_by_field_name("value")
                    if value is not None:
                        call.kwargs[name] = LazyArg(value, name)
                elif child.type == "list_splat":
                    call.splats.append(child)
                elif child.type == "dictionary_splat":
                    call.dict_splats.append(child)
                else:
                    call.args.append(LazyArg(child))
        return call

    def effective_kwargs(self, call: PyCall) -> dict[str, Node]:
        """Keyword arguments including those of ``**{...}`` / ``**name`` splats of dict literals."""
        out: dict[str, Node] = {}
        for splat in call.dict_splats:
            inner = unwrap(next(iter(splat.named_children), None))
            if inner is not None and inner.type == "identifier":
                filled = self._filled_keys(T.text(inner), inner)
                found = self.binding(T.text(inner), inner)
                inner = unwrap(found[0]) if found else None
                for key, value in filled.items():
                    out.setdefault(key, value)
            if inner is not None and inner.type == "dictionary":
                for pair in inner.named_children:
                    if pair.type == "pair":
                        key = string_value(pair.child_by_field_name("key"))
                        value = pair.child_by_field_name("value")
                        if key and value is not None:
                            out[key] = value
            elif inner is not None and inner.type == "call" and T.text(inner.child_by_field_name("function")) == "dict":
                # params = dict(host=..., connect_timeout=60); MySQLdb.connect(**params)
                args = inner.child_by_field_name("arguments")
                for kw in (args.named_children if args is not None else ()):
                    if kw.type == "keyword_argument":
                        key, value = kw.child_by_field_name("name"), kw.child_by_field_name("value")
                        if key is not None and value is not None:
                            out[T.text(key)] = value
        out.update({k: a.node for k, a in call.kwargs.items()})
        return out

    def _filled_keys(self, name: str, at: Node) -> dict[str, Node]:
        """Keys a function puts into its local dict before handing it on as ``**name``: `kwargs["socket_timeout"]
        = 0.2`, `kwargs.setdefault("connect_timeout", 5)`, `kwargs.update(read_timeout=30)` (the last one
        before ``at`` wins; a setdefault only where nothing set the key earlier)."""
        fn = self.enclosing_function(at)
        if fn is None or not self.has_any(name.lower().encode() + b"[", name.lower().encode() + b".setdefault(",
                                          name.lower().encode() + b".update("):
            return {}
        out: dict[str, Node] = {}
        for node in T.walk(fn):
            if node.start_byte >= at.start_byte:
                break
            if node.type == "assignment":
                left = node.child_by_field_name("left")
                if left is not None and left.type == "subscript" and T.text(left.child_by_field_name("value")) == name:
                    key = string_value(left.child_by_field_name("subscript"))
                    value = node.child_by_field_name("right")
                    if key and value is not None:
                        out[key] = value
            elif node.type == "call":
                func = node.child_by_field_name("function")
                if func is None or func.type != "attribute" or T.text(func.child_by_field_name("object")) != name:
                    continue
                method = T.text(func.child_by_field_name("attribute"))
                args = node.child_by_field_name("arguments")
                items = args.named_children if args is not None else []
                if method == "setdefault" and len(items) == 2 and string_value(items[0]):
                    out.setdefault(string_value(items[0]), items[1])
                elif method == "update":
                    for item in items:
                        if item.type == "keyword_argument":
                            out[T.text(item.child_by_field_name("name"))] = item.child_by_field_name("value")
                        elif unwrap(item) is not None and unwrap(item).type == "dictionary":
                            for pair in unwrap(item).named_children:
                                key = string_value(pair.child_by_field_name("key")) if pair.type == "pair" else None
                                if key:
                                    out[key] = pair.child_by_field_name("value")
        return out

    def qualify(self, dotted_name: str) -> str:
        head, sep, rest = dotted_name.partition(".")
        paren = head.find("(")
        if paren >= 0:
            head, rest, sep = head[:paren], head[paren:] + (sep + rest if sep else ""), ""
            return self.imports.get(head, head) + rest
        if head in self.imports:
            return self.imports[head] + (sep + rest if sep else "")
        return dotted_name

    def _collect_symbols(self) -> None:
        self._django_environ_schema()
        for stmt in self.root.named_children:
            for left, right in self._assignments_in(stmt):
                value = self._symbol_expr(right, None)
                if value is not None:
                    self.symbols[left] = value
                table = unwrap(right)
                if table is not None and table.type == "dictionary":
                    self._dict_symbols(left, table, 0)
                elif table is not None and table.type == "call":
                    self._settings_getter_dict(left, table)
        for cls_name, cls in self.classes.items():
            if any(a.type in SCOPES for a in T.ancestors(cls)):
                continue
            prefix = self.class_path(cls)
            body = cls.child_by_field_name("body")
            for stmt in body_statements(body):
                for left, right in self._assignments_in(stmt):
                    value = self._symbol_expr(right, cls)
                    if value is not None:
                        self.symbols[f"{prefix}.{left}"] = value
            self._init_setting_symbols(cls, prefix)
        if b"self." in self.data:
            try:
                self._inherited_field_symbols()
            except Exception as exc:  # pragma: no cover - defensive
                self.note_error("python.symbols", exc)
        nested = self._nested_settings_symbols() if b"Settings" in self.data or b"default_factory" in self.data \
            or b"group_key(" in self.data else ()
        try:
            self._instance_symbols(nested)
        except Exception as exc:  # pragma: no cover - defensive
            self.note_error("python.symbols", exc)
        if b"Validator(" in self.data and b"dynaconf" in self.data:
            self._dynaconf_validator_defaults()
        if b"define(" in self.data or b"DEFINE_" in self.data:
            self._declared_config_defaults()
        if b"(dict)" in self.data or b"UserDict)" in self.data:
            self._dict_config_defaults()

    def _django_environ_schema(self) -> None:
        """django-environ's schema: ``env = environ.Env(DD_REQUESTS_TIMEOUT=(int, 30))`` (or FileAwareEnv)
        gives ``env("DD_REQUESTS_TIMEOUT")`` its default and cast (round 13, DefectDojo). Kept per
        object name in ``self.environ_schemas``: {name: {VAR: (cast, default node)}}."""
        self.environ_schemas: dict[str, dict[str, tuple[str, Node]]] = {}
        self.environ_objects: set[str] = set()  # every name bound to an Env() (round 18: `ENVIRONMENT = environ.Env()`)
        if b"environ" not in self.data:
            return
        for stmt in self.root.named_children:
            for left, right in self._assignments_in(stmt):
                call = unwrap(right)
                if call is None or call.type != "call" or "." in left:
                    continue
                func = dotted(call.child_by_field_name("function")) or ""
                if self.qualify(func) not in ("environ.Env", "environ.FileAwareEnv", "environ.environ.Env",
                                              "environ.environ.FileAwareEnv"):
                    continue
                self.environ_objects.add(left)
                table: dict[str, tuple[str, Node]] = {}
                arguments = call.child_by_field_name("arguments")
                for arg in arguments.named_children if arguments is not None else []:
                    if arg.type != "keyword_argument":
                        continue
                    value = unwrap(arg.child_by_field_name("value"))
                    parts = [c for c in value.named_children if c.type != "comment"] if value is not None and \
                        value.type == "tuple" else []
                    if len(parts) == 2 and parts[0].type in ("identifier", "attribute"):
                        table[T.text(arg.child_by_field_name("name"))] = (T.text(parts[0]), parts[1])
                if table:
                    self.environ_schemas[left] = table

    def _settings_getter_dict(self, prefix: str, node: Node) -> None:
        """``RETRY = get_settings_value("RETRY_OPTIONS", dict(max_retries=6))`` /
        ``getattr(settings, "X", {"timeout": 5})``: a settings lookup whose default is a dict defines
        that dict's keys (``RETRY.max_retries``), as the configuration that applies unless overridden."""
        call = self.call_of(node)
        if call is None or not _SETTINGS_GETTER.search(call.callee or ""):
            return
        default = call.kwargs["default"].node if "default" in call.kwargs else (call.args[-1].node if len(call.args) >= 2 else None)
        default = unwrap(default)
        if default is None:
            return
        if default.type == "dictionary":
            self._dict_symbols(prefix, default, 0)
            return
        inner = self.call_of(default)
        if inner is not None and inner.callee == "dict" and not inner.args:
            for key, arg in inner.kwargs.items():
                expr = self._symbol_expr(arg.node, None)
                if expr is not None and _KEY.match(key):
                    self.symbols[f"{prefix}.{key}"] = expr

    def _dict_symbols(self, prefix: str, table: Node, depth: int) -> None:
        """``TIMEOUTS = {"risk": 0.5}`` defines ``TIMEOUTS.risk`` (nested dicts too, a few levels)."""
        if depth > 3:
            return
        for pair in table.named_children:
            if pair.type != "pair":
                continue
            key = string_value(pair.child_by_field_name("key"))
            value = unwrap(pair.child_by_field_name("value"))
            if key is None or not _KEY.match(key) or value is None:
                continue
            if value.type == "dictionary":
                self._dict_symbols(f"{prefix}.{key}", value, depth + 1)
                continue
            expr = self._symbol_expr(value, None)
            if expr is not None:
                self.symbols[f"{prefix}.{key}"] = expr
            if prefix == "CONSTANCE_CONFIG" and depth == 0 and value.type in ("tuple", "list") and value.named_children:
                # (round 20, kobotoolbox-kpi) django-constance's `CONSTANCE_CONFIG = {"KEY": (default, "help")}`: the
                # default of `constance.config.KEY` (project-wide, as a declared configuration default)
                first = self._symbol_expr(value.named_children[0], None)
                if first is not None:
                    self.symbols.setdefault(f"$config-define.{key}", first)

    def _declared_config_defaults(self) -> None:
        """A configuration framework's declarations: derpconf ``Config.define("HTTP_TIMEOUT", 5, "doc",
        "group")``, tornado ``define("timeout", default=5)``, absl ``flags.DEFINE_integer("timeout", 5,
        ...)``: the default applies unless a config file overrides it. Published project-wide as
        ``$config-define.<NAME>``, read by ``context.config.HTTP_TIMEOUT`` / ``self.config.X`` /
        ``options.X`` whose object the file cannot follow (round 16, thumbor's request)."""
        for node in self._call_nodes:
            call = self.call_of(node)
            if call is None or not call.args:
                continue
            name = call.callee.rsplit(".", 1)[-1]
            if name != "define" and not re.fullmatch(r"DEFINE_(integer|float|string|bool|boolean)", name):
                continue
            key = string_value(call.args[0].node)
            if key is None or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
                continue
            default = call.kwargs.get("default") or (call.args[1] if len(call.args) > 1 else None)
            if default is None or is_none(unwrap(default.node)):
                continue
            value = self._symbol_expr(default.node, None)
            if value is not None:
                self.symbols.setdefault(f"$config-define.{key}", value)

    def _dict_config_defaults(self) -> None:
        """(round 22, jumpserver) A project's configuration class that is a dict with its defaults as a class
        table (`class Config(dict): defaults = {'AUTH_LDAP_CONNECT_TIMEOUT': 10, ...}`, loaded once as `CONFIG =
        ConfigManager.load_user_config()` and read as `CONFIG.AUTH_LDAP_CONNECT_TIMEOUT`): each capitalised key's
        default, published project-wide as ``$config-define.<KEY>`` (a config file may override it)."""
        for cls in self.classes.values():
            bases = self.class_bases(cls)
            if not any(b.rsplit(".", 1)[-1] in ("dict", "UserDict") for b in bases):
                continue
            for stmt in body_statements(cls.child_by_field_name("body")):
                for left, right in self._assignments_in(stmt):
                    table = unwrap(right)
                    if left.lower() not in ("defaults", "default_config", "default_settings") or table is None or \
                            table.type != "dictionary":
                        continue
                    for pair in table.named_children:
                        if pair.type != "pair":
                            continue
                        key = string_value(pair.child_by_field_name("key"))
                        if key is None or not re.fullmatch(r"[A-Z][A-Z0-9_]{2,}", key):
                            continue
                        value = self._symbol_expr(pair.child_by_field_name("value"), None)
                        if value is not None:
                            self.symbols.setdefault(f"$config-define.{key}", value)

    def _dynaconf_validator_defaults(self) -> None:
        """Dynaconf's validators give settings their defaults: ``settings = Dynaconf(...)`` with
        ``Validator('sonarr.http_timeout', default=60)`` makes ``settings.sonarr.http_timeout`` 60 unless
        the settings file says otherwise (round 12's request, bazarr). Published as ``settings.<key>``."""
        owners = [left for stmt in self.root.named_children for left, right in self._assignments_in(stmt)
                  if "." not in left and (lambda c: c is not None and self.qualify(c.callee) in (
                      "dynaconf.Dynaconf", "dynaconf.LazySettings"))(self.call_of(right))]
        if not owners:
            return
        validators = {"dynaconf.Validator", "dynaconf.validator.Validator"}
        for name, cls in self.classes.items():  # `class Validator(OriginalValidator)`: the project's subclass
            if any(self.qualify(base) in validators for base in self.class_bases(cls)):
                validators.add(name)
        for node in self._call_nodes:
            call = self.call_of(node)
            if call is None or (self.qualify(call.callee) not in validators and call.callee not in validators):
                continue
            default = call.kwargs.get("default")
            if default is None or is_none(unwrap(default.node)):
                continue
            value = self._symbol_expr(default.node, None)
            if value is None:
                continue
            for arg in call.args:
                key = string_value(arg.node)
                if key is None or not _KEY.match(key.replace(".", "_")):
                    continue
                for owner in owners:
                    self.symbols.setdefault(f"{owner}.{key}", value)
                    self.symbols.setdefault(f"{owner}.{key.lower()}", value)

    def _init_setting_symbols(self, cls: Node, prefix: str) -> None:
        """(round 18, aleph) a settings class filling upper-case fields in its constructor: `class Settings:
        def __init__(self): self.ELASTICSEARCH_TIMEOUT = env.to_int("ELASTICSEARCH_TIMEOUT", 60)`, then
        `SETTINGS = Settings()`: `Settings.ELASTICSEARCH_TIMEOUT` (read as `SETTINGS.X` through the instance)."""
        if b"self." not in self.data:
            return
        body = cls.child_by_field_name("body")
        init = next((st for st in body_statements(body) if st.type == "function_definition" and
                     T.text(st.child_by_field_name("name")) == "__init__"), None)
        if init is None:
            return
        for node in T.walk(init.child_by_field_name("body")):
            if node.type != "assignment" or self.enclosing_function(node) is None or \
                    self.enclosing_function(node).id != init.id:
                continue
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if left is None or right is None or left.type != "attribute" or \
                    T.text(left.child_by_field_name("object")) != "self":
                continue
            name = T.text(left.child_by_field_name("attribute"))
            if not (re.match(r"^[A-Z][A-Z0-9_]*$", name) or (_BOUND_FIELD.search(name) and self._a_base_class(cls))) \
                    or f"{prefix}.{name}" in self.symbols:
                continue
            value = self._symbol_expr(right, cls)
            if value is not None:
                self.symbols[f"{prefix}.{name}"] = value

    def _a_base_class(self, cls: Node) -> bool:
        """A class other classes extend: a local class names it as a base, or its name says so
        (`BaseProcessProxyABC`, `AbstractClient`)."""
        name = T.text(cls.child_by_field_name("name"))
        if re.search(r"(^Base|Base$|ABC$|^Abstract)", name):
            return True
        return any(name in [dotted(c) for c in (other.child_by_field_name("superclasses").named_children
                                               if other.child_by_field_name("superclasses") is not None else ())]
                   for other in self.classes.values() if other.id != cls.id)

    def _inherited_field_symbols(self) -> None:
        """(round 18, enterprise-gateway) `class RemoteProcessProxy(BaseProcessProxyABC)` with the base's
        `__init__` keeping `self.kernel_launch_timeout = default_kernel_launch_timeout`: a subclass in another
        file reads `RemoteProcessProxy.kernel_launch_timeout` (the base's, published under each local subclass)."""
        for _ in range(3):
            for cls_name, cls in self.classes.items():
                if any(a.type in SCOPES for a in T.ancestors(cls)):
                    continue
                for base in self.class_bases(cls):
                    if base not in self.classes:
                        continue
                    prefix = f"{base}."
                    for name in [n for n in self.symbols if n.startswith(prefix) and n.count(".") == 1
                                 and _BOUND_FIELD.search(n)]:
                        self.symbols.setdefault(f"{cls_name}.{name[len(prefix):]}", Ref(name))

    def _nested_settings_symbols(self) -> set[str]:
        """(round 19, hummingbot-api) a settings class holding another settings class of this file as a field
        (`market_data: MarketDataSettings = Field(default_factory=MarketDataSettings)`, or `= MarketDataSettings()`):
        `Settings.market_data.X` refers to `MarketDataSettings.X`. The names published."""
        out: set[str] = set()
        for cls_name, cls in self.classes.items():
            if any(a.type in SCOPES for a in T.ancestors(cls)):
                continue
            prefix = self.class_path(cls)
            for stmt in body_statements(cls.child_by_field_name("body")):
                for left, right in self._assignments_in(stmt):
                    call = self.call_of(unwrap(right))
                    if call is None:
                        continue
                    inner = None
                    if call.callee in self.classes and not call.args and not call.kwargs:
                        inner = call.callee
                    elif call.qualified in ("typedconfig.group_key", "typedconfig.config.group_key") and call.args:
                        made = T.text(unwrap(call.args[0].node))  # `rq = group_key(RqConfig)`
                        inner = made if made in self.classes else None
                    elif call.qualified in _FIELD_FACTORIES and "default_factory" in call.kwargs:
                        made = T.text(unwrap(call.kwargs["default_factory"].node))
                        inner = made if made in self.classes else None
                    if inner is None or inner == cls_name:
                        continue
                    head = f"{inner}."
                    for name in [n for n in self.symbols if n.startswith(head) and n.count(".") == 1]:
                        key = f"{prefix}.{left}.{name[len(head):]}"
                        if key not in self.symbols:
                            self.symbols[key] = Ref(name)
                            out.add(key)
        return out

    def _instance_symbols(self, nested=()) -> None:
        """``settings = Settings()`` (or ``= get_settings()`` returning one) of a class defined here:
        ``settings.X`` refers to the class attribute ``Settings.X`` (pydantic / dataclass settings); also
        ``settings.market_data.X`` of a nested settings class (``_nested_settings_symbols``)."""
        for stmt in self.root.named_children:
            for left, right in self._assignments_in(stmt):
                call = self.call_of(right)
                if call is None:
                    continue
                cls_name = call.callee if call.callee in self.classes else None
                if cls_name is None:
                    factory = self._local_function(call)
                    for ret in self._returns(factory) if factory is not None else []:
                        inner = self.call_of(ret)
                        if inner is not None and inner.callee in self.classes:
                            cls_name = inner.callee
                            break
                if cls_name is None:
                    continue
                prefix = f"{cls_name}."
                for name in [n for n in self.symbols if n.startswith(prefix) and (n.count(".") == 1 or n in nested)]:
                    self.symbols.setdefault(f"{left}.{name[len(prefix):]}", Ref(name))

    def class_path(self, cls: Node) -> str:
        names = [T.text(cls.child_by_field_name("name"))]
        for anc in T.ancestors(cls):
            if anc.type == "class_definition":
                names.append(T.text(anc.child_by_field_name("name")))
        return ".".join(reversed(names))

    def _assignments_in(self, stmt: Node) -> Iterator[tuple[str, Node]]:
        """Simple ``NAME = value`` / ``NAME: T = value`` bindings of a top-level statement
        (looking through ``if``/``try`` blocks at the same level)."""
        if stmt.type == "expression_statement":
            for child in stmt.named_children:
                if child.type == "assignment":
                    left, right = child.child_by_field_name("left"), child.child_by_field_name("right")
                    while right is not None and right.type == "assignment":  # a = b = 5
                        right = right.child_by_field_name("right")
                    if left is not None and left.type == "identifier" and right is not None:
                        yield T.text(left), right
        elif stmt.type in ("if_statement", "try_statement", "else_clause", "elif_clause", "block",
                           "except_clause", "finally_clause"):
            for child in stmt.named_children:
                if child.type in ("block", "else_clause", "elif_clause", "except_clause", "finally_clause"):
                    for inner in child.named_children:
                        yield from self._assignments_in(inner)
                elif child.type == "expression_statement":
                    yield from self._assignments_in(child)

    def _symbol_expr(self, node: Node, cls: Node | None) -> Expr | None:
        field_call = self.call_of(unwrap(node)) if cls is not None else None
        if field_call is not None and field_call.qualified in _FIELD_FACTORIES:
            # `api_timeout: float = Field(default=0.1, title=...)`: the field's default
            default = field_call.kwargs.get("default") or (
                field_call.args[0] if field_call.args and field_call.qualified.endswith("Field") else None)
            if default is None:
                return None
            node = default.node
        value = self.expr(node, symbol_context=cls, resolve_locals=False)
        if isinstance(value, Unknown):
            return None
        return value

    def _everett_default(self, node: Node, key: str) -> Expr | None:
        """The default of an everett `Option` named `key` in the enclosing class's nested `class Config`
        (or a base class's of this file): a number when the default text is one."""
        cls = self.enclosing_class(node)
        seen = 0
        while cls is not None and seen < 4:
            seen += 1
            body = cls.child_by_field_name("body")
            for stmt in body_statements(body):
                inner = stmt.child_by_field_name("definition") if stmt.type == "decorated_definition" else stmt
                if inner is None or inner.type != "class_definition" or T.text(inner.child_by_field_name("name")) != "Config":
                    continue
                value = self.class_attr_value(inner, key)
                if value is None:
                    break  # not declared here: a base class's Config may
                option = self.call_of(unwrap(value))
                if option is None or option.callee.rsplit(".", 1)[-1] != "Option" or "default" not in option.kwargs:
                    return None
                text = string_value(option.kwargs["default"].node)
                if text is None:
                    return None
                try:
                    return Num(float(text))
                except ValueError:
                    return Str(text)
            bases = [b for b in self.class_bases(cls) if b in self.classes]
            cls = self.classes[bases[0]] if bases else None
        return None

    def _coercer_cast(self, call: PyCall) -> str | None:
        """'int' / 'float' / '' when a module function of this file taking one parameter returns only that
        parameter, int()/float() of it, or a local bound to one of those (a validator of a config value);
        None otherwise."""
        fn = self._local_function(call)
        if fn is None or fn.id == getattr(self.enclosing_function(call.node), "id", None):
            return None
        params = list(self.function_params(fn))
        if len(params) != 1:
            return None
        param = params[0]
        returns = self._returns(fn.child_by_field_name("body")) if fn.child_by_field_name("body") is not None else []
        if not returns:
            return None
        casts = set()
        bound = {target: value for target, value, _ in self.scope_assignments(fn)}
        for r in returns:
            r = unwrap(r)
            if r is not None and r.type == "identifier" and T.text(r) != param:
                r = unwrap(bound.get(T.text(r)))
            if r is None:
                return None
            if r.type == "identifier" and T.text(r) == param:
                casts.add("")
                continue
            m = re.fullmatch(r"(int|float)\(\s*(\w+)\s*\)", T.text(r))
            if m is None or m.group(2) != param:
                return None
            casts.add(m.group(1))
        if len(casts) == 1:
            return casts.pop()
        return "int" if casts == {"", "int"} else None

    def _getter_return(self, call: PyCall) -> Node | None:
        """What a parameterless module function of this file returns, when its body (after a docstring) is one
        `return <expr>` (round 15)."""
        fn = self._local_function(call)
        plist = fn.child_by_field_name("parameters") if fn is not None else None
        if fn is None or plist is None or plist.named_children or fn.id == getattr(
                self.enclosing_function(call.node), "id", None):
            return None
        stmts = [s for s in body_statements(fn.child_by_field_name("body"))
                 if not (s.type == "expression_statement" and s.named_children and s.named_children[0].type == "string")]
        if len(stmts) == 1 and stmts[0].type == "return_statement" and stmts[0].named_children:
            return stmts[0].named_children[0]
        return None

    def _own_kwargs_param(self, node: Node, name: str) -> bool:
        """``name`` is the `**name` parameter of the function enclosing ``node`` (round 15)."""
        fn = self.enclosing_function(node)
        plist = fn.child_by_field_name("parameters") if fn is not None else None
        for p in plist.named_children if plist is not None else ():
            if p.type == "typed_parameter":  # **kwargs: Any
                p = next((c for c in p.named_children if c.type == "dictionary_splat_pattern"), p)
            if p.type == "dictionary_splat_pattern" and T.text(p) == f"**{name}":
                return True
        return False

    def _ckan_file(self) -> bool:
        """Whether this file uses CKAN (imports ckan or ckanext): its `config` is CKAN's declared configuration."""
        found = self._memo.get("ckan_file")
        if found is None:
            found = self._memo["ckan_file"] = self.has_any(b"ckan") and any(
                v == "ckan" or v.startswith(("ckan.", "ckanext.")) for v in self.imports.values())
        return found

    def has_any(self, *tokens: bytes) -> bool:
        """Whether the lower-cased source contains one of ``tokens`` (lower-case bytes)."""
        seen = self._tokens
        for t in tokens:
            found = seen.get(t)
            if found is None:
                found = seen[t] = t in self.low
            if found:
                return True
        return False

    def query(self, name: str) -> dict[str, list[Node]]:
        """Captures of ``queries/<name>.scm`` over the whole file, each list in source (pre-order) order."""
        found = T.captures(T.load_query(LANGUAGE, str(QUERIES / f"{name}.scm")), self.root)
        return {k: sorted(v, key=lambda n: (n.start_byte, -n.end_byte)) for k, v in found.items()}

    def note_error(self, where: str, exc: Exception) -> None:
        """Record a detector failure on one construct; the extractor reports it, the run goes on."""
        message = f"{where}: {type(exc).__name__}: {exc}"
        if message not in self.internal_errors:
            self.internal_errors.append(message)

    # ------------------------------------------------------------------ structure helpers
    def call_of(self, node: Node | None) -> PyCall | None:
        node = unwrap(node)
        if node is None or node.type != "call":
            return None
        call = self._call_by_id.get(node.id)
        if call is None and node.id in self._call_ids:
            call = self._call_by_id[node.id] = self._call(node)
        return call

    def method_calls(self, names: Iterable[str]) -> list[PyCall]:
        """The calls ``<receiver>.<name>(...)`` with ``name`` in ``names``, in source order, without
        building the others. For a call with a receiver ``PyCall.name`` is that attribute, whatever
        the imports (they only rename the head of a dotted name)."""
        names = set(names)
        out = []
        for node in self._call_nodes:
            func = node.child_by_field_name("function")
            if func is not None and func.type == "attribute" and T.text(func.child_by_field_name("attribute")) in names:
                call = self.call_of(node)
                if call is not None:
                    out.append(call)
        return out

    @property
    def calls(self) -> list[PyCall]:
        """Every call site of the file, in source order (the call-site view is built lazily)."""
        if self._calls is None:
            by_id = self._call_by_id
            out = []
            for node in self._call_nodes:
                call = by_id.get(node.id)
                if call is None:
                    call = by_id[node.id] = self._call(node)
                out.append(call)
            self._calls = out
        return self._calls

    def enclosing(self, node: Node, types: Iterable[str]) -> Node | None:
        types = tuple(types)
        for anc in T.ancestors(node):
            if anc.type in types:
                return anc
        return None

    def enclosing_function(self, node: Node) -> Node | None:
        return self.enclosing(node, ("function_definition",))

    def _flag_default_branch(self, node: Node, parts: list[Node]) -> Node | None:
        """`A if flag else B` where one branch is `None` and `flag` is a parameter of the enclosing
        function defaulting to False/None (`def client(no_timeout=False, ...)`): the other branch when
        the default makes it the one taken, else None (the conditional stays a `max`)."""
        value, cond, other = parts
        c = unwrap(cond)
        negated = c is not None and c.type == "not_operator"
        if negated:
            c = unwrap(c.child_by_field_name("argument"))
        if c is None or c.type != "identifier":
            return None
        fn = self.enclosing_function(node)
        default = self.function_params(fn).get(T.text(c)) if fn is not None else None
        if default is None or T.text(default) not in ("False", "None"):
            return None
        taken, dropped = (value, other) if negated else (other, value)
        return taken if T.text(dropped) == "None" else None

    def enclosing_class(self, node: Node) -> Node | None:
        """The class whose ``self`` a node sees: through nested functions (closures keep the
        method's ``self``), stopping at the first class."""
        for anc in T.ancestors(node):
            if anc.type == "class_definition":
                return anc
        return None

    def decorators(self, fn: Node) -> list[Node]:
        parent = fn.parent
        if parent is None or parent.type != "decorated_definition":
            return []
        out = []
        for child in parent.named_children:
            if child.type == "decorator":
                expr = next((c for c in child.named_children if c.type != "comment"), None)
                if expr is not None:
                    out.append(expr)
        return out

    def statement_line(self, node: Node) -> int:
        return node.start_point[0] + 1

    def function_params(self, fn: Node) -> dict[str, Node | None]:
        """Parameter name -> default value node (None when there is no default). Kept per function
        (asked for every argument of every call by the wrapper detectors): callers must not mutate it."""
        memo = self._memo.setdefault("function_params", {})
        params = memo.get(fn.id)
        if params is None:
            params = memo[fn.id] = self._function_params(fn)
        return params

    def _function_params(self, fn: Node) -> dict[str, Node | None]:
        params: dict[str, Node | None] = {}
        plist = fn.child_by_field_name("parameters")
        if plist is None:
            return params
        for p in plist.named_children:
            if p.type == "identifier":
                params[T.text(p)] = None
            elif p.type in ("default_parameter", "typed_default_parameter"):
                params[T.text(p.child_by_field_name("name"))] = p.child_by_field_name("value")
            elif p.type == "typed_parameter":
                ident = next((c for c in p.named_children if c.type == "identifier"), None)
                if ident is None:  # `*args: Any`, `**kwargs: Any`
                    splat = next((c for c in p.named_children
                                  if c.type in ("list_splat_pattern", "dictionary_splat_pattern")), None)
                    ident = next((c for c in splat.named_children if c.type == "identifier"), None) \
                        if splat is not None else None
                if ident is not None:
                    params[T.text(ident)] = None
            elif p.type in ("list_splat_pattern", "dictionary_splat_pattern"):
                ident = next((c for c in p.named_children if c.type == "identifier"), None)
                if ident is not None:
                    params[T.text(ident)] = None
        return params

    def param_annotation(self, fn: Node, name: str) -> str | None:
        plist = fn.child_by_field_name("parameters")
        if plist is None:
            return None
        for p in plist.named_children:
            if p.type in ("typed_parameter", "typed_default_parameter"):
                ident = p.child_by_field_name("name") or next(
                    (c for c in p.named_children if c.type == "identifier"), None)
                if ident is not None and T.text(ident) == name:
                    typ = p.child_by_field_name("type")
                    return re.sub(r"\s+", "", T.text(typ)) if typ is not None else None
        return None

    def scope_assignments(self, scope: Node) -> list[tuple[str, Node, Node]]:
        """(target text, value node, statement node) of the scope's own assignments, in order.
        Targets: identifiers and ``self.x`` attributes; ``with X as name`` counts too."""
        key = scope.id
        if key in self._scope_assign_cache:
            return self._scope_assign_cache[key]
        out: list[tuple[str, Node, Node]] = []
        stack = list(reversed(scope.named_children))
        while stack:
            node = stack.pop()
            if node.type in ("function_definition", "class_definition", "lambda") and node is not scope:
                continue
            if node.type == "assignment":
                left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
                while right is not None and right.type == "assignment":
                    right = right.child_by_field_name("right")
                if left is not None and right is not None:
                    name = dotted(left)
                    if name is not None:
                        out.append((name, right, node))
                    elif left.type in ("pattern_list", "tuple_pattern"):
                        out.extend((n, v, node) for n, v in self._unpacked(left, right))
            elif node.type == "as_pattern" and node.parent is not None and node.parent.type == "with_item":
                value = node.named_children[0] if node.named_children else None
                alias = node.child_by_field_name("alias")
                if value is not None and alias is not None:
                    target = next((c for c in alias.named_children), None)
                    name = dotted(target)
                    if name is not None:
                        out.append((name, value, node))
            stack.extend(reversed(node.named_children))
        self._scope_assign_cache[key] = out
        return out

    def _unpacked(self, left: Node, right: Node) -> list[tuple[str, Node]]:
        """(round 21, bugbug) `a, b, timeout = X, Y, Z` and `job, job_id, timeout = make_jobs(..)` with the module
        function `make_jobs` of this file returning one tuple literal of that length (`return (JobInfo(..), job_id,
        BUGZILLA_JOB_TIMEOUT)`): each name bound to its element. Nothing when the returns disagree."""
        names = [c for c in left.named_children if c.type != "comment"]
        if not names or any(c.type != "identifier" for c in names):
            return []
        right = unwrap(right) or right
        items = None
        if right.type in ("expression_list", "tuple"):
            items = [c for c in right.named_children if c.type != "comment"]
        elif right.type == "call":
            func = right.child_by_field_name("function")
            fn = next((g for g in self.functions if func is not None and func.type == "identifier"
                       and T.text(g.child_by_field_name("name")) == T.text(func)
                       and g.parent is not None and g.parent.type in ("module", "decorated_definition")
                       and (g.parent.type == "module" or g.parent.parent is not None and g.parent.parent.type == "module")),
                      None)
            if fn is not None:
                returns = [r for r in T.walk(fn.child_by_field_name("body")) if r.type == "return_statement"
                           and self.enclosing_function(r) is not None and self.enclosing_function(r).id == fn.id]
                shapes = []
                for r in returns:
                    value = unwrap(r.named_children[0]) if r.named_children else None
                    if value is None or value.type not in ("expression_list", "tuple"):
                        return []
                    shapes.append([c for c in value.named_children if c.type != "comment"])
                if len(shapes) == 1:
                    items = shapes[0]
        if items is None or len(items) != len(names):
            return []
        return [(T.text(n), v) for n, v in zip(names, items)]

    def _timeout_object_field(self, node: Node) -> Node | None:
        """(round 21, ha-supervisor) `_PROBE_TIMEOUT.total` with `_PROBE_TIMEOUT = aiohttp.ClientTimeout(total=30)`
        (also httpx.Timeout's `connect` / `read` / `write` / `pool`): the keyword the timeout object was made with."""
        obj, attr = node.child_by_field_name("object"), node.child_by_field_name("attribute")
        if obj is None or attr is None or obj.type != "identifier" or \
                T.text(attr) not in ("total", "connect", "sock_connect", "sock_read", "read", "write", "pool"):
            return None
        found = self.binding(T.text(obj), node)
        made = self.call_of(unwrap(found[0])) if found else None
        if made is None or made.qualified not in ("aiohttp.ClientTimeout", "httpx.Timeout"):
            return None
        given = made.kwargs.get(T.text(attr))
        return given.node if given is not None else None

    def binding(self, name: str, at: Node) -> tuple[Node, Node] | None:
        """The value node last bound to ``name`` before ``at`` in the enclosing scope (function,
        else module), with the scope node."""
        scope = self.enclosing_function(at) or self.root
        best = None
        for target, value, stmt in self.scope_assignments(scope):
            if target == name and stmt.start_byte <= at.start_byte and not (
                    value.start_byte <= at.start_byte < value.end_byte) and not self._none_guarded_default(
                    name, stmt, scope):
                best = value
        if best is None and scope is not self.root:
            for target, value, stmt in self.scope_assignments(self.root):
                if target == name:
                    best = value
            if best is not None:
                return best, self.root
        return (best, scope) if best is not None else None

    def _none_guarded_default(self, name: str, stmt: Node, scope: Node) -> bool:
        """`def http_query(self, path, timeout=300): if timeout is None: timeout = ONE_MONTH`: the assignment
        only runs for a caller handing None, so a call leaving the parameter out keeps its default (round 17,
        gns3-server's Docker client). Only for a parameter whose default is not None."""
        if scope is self.root or "." in name:
            return False
        default = self.function_params(scope).get(name)
        if default is None or is_none(unwrap(default)):
            return False
        parent = stmt.parent
        while parent is not None and parent.type in ("expression_statement", "block"):
            parent = parent.parent
        if parent is None or parent.type != "if_statement":
            return False
        cond = unwrap(parent.child_by_field_name("condition"))
        return cond is not None and re.sub(r"\s+", " ", T.text(cond)) == f"{name} is None"

    def self_attr_values(self, cls: Node, attr: str) -> list[Node]:
        key = cls.id
        if key not in self._self_attr_cache:
            found: dict[str, list[Node]] = {}
            body = cls.child_by_field_name("body")
            for stmt in body_statements(body):
                fn = stmt
                if fn.type == "decorated_definition":
                    fn = fn.child_by_field_name("definition") or fn
                if fn.type != "function_definition":
                    continue
                for target, value, _ in self.scope_assignments(fn):
                    if target.startswith("self.") and target.count(".") == 1:
                        found.setdefault(target[5:], []).append(value)
            self._self_attr_cache[key] = found
        return self._self_attr_cache[key].get(attr, [])

    def _self_attr_annotation(self, cls: Node, attr: str) -> str | None:
        """The class an instance field holds, as the class declares it: `self.config: CompletionConfig = config`
        in a method, `config: CompletionConfig` in the class body, or `self.config = config` with `config:
        CompletionConfig` a parameter of that method (round 22, r2r's providers). A capitalised, dotted name."""
        def ok(text: str | None) -> str | None:
            text = re.sub(r"\s+", "", text or "")
            return text if re.fullmatch(r"[A-Za-z_][\w.]*", text) and text.rsplit(".", 1)[-1][:1].isupper() else None
        body = cls.child_by_field_name("body")
        found: set[str] = set()
        for stmt in body_statements(body):
            fn = stmt.child_by_field_name("definition") if stmt.type == "decorated_definition" else stmt
            if fn is None:
                continue
            if fn.type == "expression_statement" and fn.named_children and \
                    fn.named_children[0].type == "assignment":
                a = fn.named_children[0]
                left, typ = a.child_by_field_name("left"), a.child_by_field_name("type")
                if left is not None and typ is not None and T.text(left) == attr and ok(T.text(typ)):
                    found.add(ok(T.text(typ)))  # type: ignore[arg-type]
                continue
            if fn.type != "function_definition":
                continue
            for target, value, st in self.scope_assignments(fn):
                if target != f"self.{attr}":
                    continue
                typ = st.child_by_field_name("type") if st.type == "assignment" else None
                if typ is not None and ok(T.text(typ)):
                    found.add(ok(T.text(typ)))  # type: ignore[arg-type]
                elif value is not None and value.type == "identifier" and \
                        ok(self.param_annotation(fn, T.text(value))):
                    found.add(ok(self.param_annotation(fn, T.text(value))))  # type: ignore[arg-type]
        return next(iter(found)) if len(found) == 1 else None

    def class_attr_value(self, cls: Node, attr: str) -> Node | None:
        body = cls.child_by_field_name("body")
        for stmt in body_statements(body):
            for left, right in self._assignments_in(stmt):
                if left == attr:
                    return right
        return None

    def _class_named(self, name: str) -> Node | None:
        """The file's first class definition of that name (one walk of the file, kept)."""
        classes = getattr(self, "_classes_by_name", None)
        if classes is None:
            classes = {}
            for k in T.walk(self.root):
                if k.type == "class_definition":
                    classes.setdefault(T.text(k.child_by_field_name("name")), k)
            self._classes_by_name = classes
        return classes.get(name)

    def _property_returns(self, cls: Node, attr: str) -> list[Node]:
        """What a `@property` of the class named ``attr`` returns, when its body is one return
        (`def slow_spawn_timeout(self): return self.settings.get("slow_spawn_timeout", 10)`)."""
        body = cls.child_by_field_name("body")
        for stmt in body.named_children if body is not None else ():
            if stmt.type != "decorated_definition":
                continue
            fn = stmt.child_by_field_name("definition")
            if fn is None or fn.type != "function_definition" or T.text(fn.child_by_field_name("name")) != attr:
                continue
            if not any(T.text(dec) in ("property", "cached_property", "functools.cached_property")
                       for dec in self.decorators(fn)):
                return []
            stmts = body_statements(fn.child_by_field_name("body"))
            stmts = [s for s in stmts if not (s.type == "expression_statement" and s.named_children
                                              and s.named_children[0].type == "string")]  # a docstring
            if len(stmts) == 1 and stmts[0].type == "return_statement" and stmts[0].named_children:
                return [stmts[0].named_children[0]]
            return []
        return []

    def _base_field(self, cls: Node, attr: str, depth: int = 0) -> Expr | None:
        """``self.timeout`` in a class that never sets it: the field its project base class keeps
        (``class LlamaCppClient(GenAIClient)`` with ``GenAIClient.__init__(self, cfg, timeout=120)``
        storing ``self.timeout = timeout``): read in this file for a base defined here, else the
        base's file publishes ``GenAIClient.timeout`` (python.wrapper_timeout)."""
        supers = cls.child_by_field_name("superclasses")
        for c in supers.named_children if supers is not None and depth < 3 else ():
            written = dotted(c)
            if written is None or written in ("object", "ABC", "Generic", "Protocol"):
                continue
            local = self._class_named(written) if "." not in written else None
            if local is not None:
                values = self.self_attr_values(local, attr)
                if len(values) == 1:
                    return self._expr(values[0], None, True, 0)
                if len(values) > 1:
                    # (round 18, enterprise-gateway) `self.kernel_launch_timeout = default_kernel_launch_timeout` in
                    # the base's __init__, overridden later only from a request's env: the first value that settles
                    for v in values:
                        value = self._expr(v, None, True, 0)
                        if as_number(self.settle(value)[0]) is not None:
                            return value
                if not values and self.class_attr_value(local, attr) is not None:
                    # a (dataclass / pydantic) field the base class declares: `backoff_max_tries: int =
                    # DEFAULT_BACKOFF_MAX_TRIES` read as `self.backoff_max_tries` in a subclass (round 12, seer)
                    return Ref(f"{self.class_path(local)}.{attr}")
                found = self._base_field(local, attr, depth + 1)
                if found is not None:
                    return found
                continue
            if written.split(".", 1)[0] in self.imports:
                return Ref(f"{written}.{attr}")
        return None

    def class_bases(self, cls: Node) -> list[str]:
        supers = cls.child_by_field_name("superclasses")
        if supers is None:
            return []
        out = []
        for c in supers.named_children:
            d = dotted(c)
            if d is not None:
                out.append(self.qualify(d))
        return out

    def class_kind(self, cls: Node, _depth: int = 0) -> str | None:
        """The client kind a class of this file inherits from (through local classes too)."""
        if _depth > 6:
            return None
        for base in self.class_bases(cls):
            if base in CLIENT_CTORS:
                return CLIENT_CTORS[base]
            if base.split(".")[-1] == "HTTPAdapter":
                return "requests.HTTPAdapter"
            local = self.classes.get(base)
            if local is not None and local is not cls:
                kind = self.class_kind(local, _depth + 1)
                if kind:
                    return kind
        return None

    # ------------------------------------------------------------------ client resolution
    def client_of(self, node: Node | None, _depth: int = 0) -> ClientRef | None:
        """What client object ``node`` denotes (a constructor call, or a name bound to one)."""
        node = unwrap(node)
        if node is None or _depth > 6:
            return None
        if not self.has_any(*_CLIENT_TOKENS):
            return None  # every client kind is named in the file: a library, HTTPAdapter or a *Stub class
        if node.type == "boolean_operator" and T.text(node.child_by_field_name("operator")) == "or":
            # `self._session = session or Session()`: a session handed in, else one made here (round 13)
            return self.client_of(node.child_by_field_name("right"), _depth + 1) or \
                self.client_of(node.child_by_field_name("left"), _depth + 1)
        if node.type == "call":
            call = self.call_of(node)
            if call is None:
                return None
            q = call.qualified
            if q in CLIENT_CTORS:
                return ClientRef(CLIENT_CTORS[q], ctor=node)
            local = self.classes.get(call.callee)
            if local is not None:
                kind = self.class_kind(local)
                if kind:
                    return ClientRef(kind, ctor=node, cls=local)
            last = call.qualified.rsplit(".", 1)[-1]
            if last.endswith("Stub") and last[:1].isupper():
                return ClientRef("grpc.Stub", ctor=node)
            factory = self._local_function(call)
            if factory is not None:
                for ret in self._returns(factory):
                    ref = self.client_of(ret, _depth + 1)
                    if ref is not None:
                        return ref
            return None
        name = dotted(node)
        if name is None:
            return None
        if name.startswith("self.") and name.count(".") == 1:
            cls = self.enclosing_class(node)
            if cls is None:
                return None
            for value in self.self_attr_values(cls, name[5:]):
                ref = self.client_of(value, _depth + 1)
                if ref is not None:
                    ref.owner, ref.name = cls, name
                    return ref
            value = self.class_attr_value(cls, name[5:])
            if value is not None:
                ref = self.client_of(value, _depth + 1)
                if ref is not None:
                    ref.owner, ref.name = cls, name
                    return ref
            return None
        found = self.binding(name, node)
        if found is not None:
            value, scope = found
            ref = self.client_of(value, _depth + 1)
            if ref is not None:
                ref.owner, ref.name = scope, name
            return ref
        fn = self.enclosing_function(node)
        if fn is not None and "." not in name:
            ann = self.param_annotation(fn, name)
            if ann:
                q = self.qualify(ann.strip("'\""))
                if q in CLIENT_CTORS:
                    return ClientRef(CLIENT_CTORS[q], owner=fn, name=name)
        return None

    def _local_function(self, call: PyCall) -> Node | None:
        """The function of this file a call invokes (``make_session()``, ``self._session()``)."""
        callee = call.callee
        if callee.startswith("self.") and callee.count(".") == 1:
            cls = self.enclosing_class(call.node)
            if cls is None:
                return None
            name = callee[5:]
            for fn in self.functions:
                if T.text(fn.child_by_field_name("name")) == name and self.enclosing(fn, ("class_definition",)) == cls:
                    return fn
            return None
        if "." in callee or "(" in callee:
            return None
        if self._module_functions is None:
            self._module_functions = {}
            for fn in self.functions:
                if fn.parent is not None and (fn.parent.type == "module" or fn.parent.type == "decorated_definition"
                                              and fn.parent.parent is not None and fn.parent.parent.type == "module"):
                    self._module_functions.setdefault(T.text(fn.child_by_field_name("name")), fn)
        return self._module_functions.get(callee)

    def _env_reader(self, call: PyCall) -> Expr | None:
        """For a call of a function of this file whose body reads the environment variable named by
        its first parameter (``value = os.environ.get(key)`` ... ``return value``): the default the
        function itself gives (a literal), ``Unknown`` for none; None when it is not such a function."""
        if call.callee in ("os.getenv", "getenv") or "." in call.callee:
            return None
        fn = self._local_function(call)
        if fn is None:
            return None
        params = fn.child_by_field_name("parameters")
        first = next((p for p in (params.named_children if params is not None else ()) if p.type in (
            "identifier", "typed_parameter", "default_parameter", "typed_default_parameter")), None)
        if first is None:
            return None
        name_node = first if first.type == "identifier" else (
            first.child_by_field_name("name") or next((c for c in first.named_children if c.type == "identifier"), None))
        if name_node is None:
            return None
        key = T.text(name_node)
        for n in T.walk(fn.child_by_field_name("body")):
            if n.type == "call":
                inner = self.call_of(n)
                if inner is not None and inner.qualified in ("os.getenv", "os.environ.get", "environ.get") and \
                        inner.args and T.text(inner.args[0].node) == key:
                    if len(inner.args) > 1 and string_value(inner.args[1].node) is not None:
                        return Str(string_value(inner.args[1].node))
                    return Unknown("no default")
            elif n.type == "subscript" and T.text(n.child_by_field_name("value")) in ("os.environ", "environ") and \
                    T.text(n.child_by_field_name("subscript")) == key:
                return Unknown("no default")
        return None

    def _returns(self, fn: Node) -> list[Node]:
        out = []
        stack = list(fn.named_children)
        while stack:
            n = stack.pop()
            if n.type in ("function_definition", "class_definition", "lambda"):
                continue
            if n.type == "return_statement":
                value = next(iter(n.named_children), None)
                if value is not None:
                    out.append(value)
                continue
            stack.extend(n.named_children)
        return out

    # ------------------------------------------------------------------ values
    def expr(self, node: Node | None, symbol_context: Node | None = None, resolve_locals: bool = True,
             _depth: int = 0) -> Expr:
        """Translate a value expression into a values.Expr (never raises)."""
        try:
            return self._expr(node, symbol_context, resolve_locals, _depth)
        except Exception:  # pragma: no cover - defensive
            return Unknown(T.text(node))

    def _expr(self, node: Node | None, ctx: Node | None, locals_: bool, depth: int) -> Expr:
        if node is None or depth > 12:
            return Unknown("")
        t = node.type
        d = depth + 1
        if t in ("integer", "float"):
            n = number_value(node)
            return Num(n) if n is not None else Unknown(T.text(node))
        if t == "unary_operator":
            inner = self._expr(node.child_by_field_name("argument"), ctx, locals_, d)
            op = T.text(node.child_by_field_name("operator"))
            if isinstance(inner, Num):
                return Num(-inner.value if op == "-" else inner.value)
            return BinOp("-", Num(0), inner) if op == "-" else inner
        if t in ("string", "concatenated_string"):
            value = string_value(node)
            if value is not None:
                return Str(value)
            return self._fstring(node, ctx, locals_, d)
        if t == "parenthesized_expression":
            inner = [c for c in node.named_children if c.type != "comment"]
            return self._expr(inner[0], ctx, locals_, d) if len(inner) == 1 else Unknown(T.text(node))
        if t in ("tuple", "list"):
            return Tuple(tuple(self._expr(c, ctx, locals_, d) for c in node.named_children
                               if c.type != "comment"))
        if t == "conditional_expression":
            # `3 if retry else 1`: the contract is the most it can be (a None branch stays
            # unresolved: no timeout at all is not "the larger timeout").
            parts = [c for c in node.named_children if c.type != "comment"]
            if len(parts) == 3:
                first = _none_fallback(parts)
                if first is not None:
                    # `timeout if timeout is not None else self.timeout` (also `D if t is None else t`):
                    # the value when given, else the fallback the code sets
                    given, fallback = first
                    return Call("coalesce", (self._expr(given, ctx, locals_, d), self._expr(fallback, ctx, locals_, d)))
                flagged = self._flag_default_branch(node, parts)
                if flagged is not None:
                    # `None if no_timeout else (timeout or D)` with `no_timeout=False`: the path a call
                    # leaving the flag out takes (only when the other branch is None: no bound at all)
                    return self._expr(flagged, ctx, locals_, d)
                return Call("max", (self._expr(parts[0], ctx, locals_, d), self._expr(parts[2], ctx, locals_, d)))
            return Unknown(T.text(node))
        if t == "boolean_operator" and T.text(node.child_by_field_name("operator")) == "or":
            return self._or_expr(node, ctx, locals_, d)
        if t == "binary_operator":
            op = T.text(node.child_by_field_name("operator"))
            if op in ("+", "-", "*", "/", "//", "%", "**"):
                return BinOp(op, self._expr(node.child_by_field_name("left"), ctx, locals_, d),
                             self._expr(node.child_by_field_name("right"), ctx, locals_, d))
            return Unknown(T.text(node))
        if t == "identifier":
            return self._name_expr(node, ctx, locals_, d)
        if t == "attribute":
            return self._attr_expr(node, ctx, locals_, d)
        if t == "call":
            return self._call_expr(node, ctx, locals_, d)
        if t == "subscript":
            value = node.child_by_field_name("value")
            sub = node.child_by_field_name("subscript")
            if value is not None and self.qualify(dotted(value) or "") in ("os.environ", "environ"):
                var = string_value(sub)
                if var is not None:
                    return Env(var, None)
            key = string_value(sub)
            base = dotted(value) if value is not None else None
            if base is not None and key is not None and re.match(r"^[A-Z][A-Z0-9_]*$", key) and (
                    base.endswith(".config") and base.count(".") == 1 and not base.startswith(("self.", "cls."))) \
                    and self.has_any(b"flask"):
                # (round 18, eq-questionnaire-runner) Flask's `app.config["X"]` / `current_app.config["X"]` /
                # `application.config["X"]` (also an app handed in as a parameter): the settings module's X
                return Ref(f"settings.{key}")
            if base is not None and key is not None and _KEY.match(key):
                # TIMEOUTS["risk"]: a function's own dict is read here; a module's (or another
                # file's, or settings') dict entry is the symbol "TIMEOUTS.risk".
                found = self.binding(base, node) if "." not in base else None
                table = unwrap(found[0]) if found else None
                if table is not None and table.type == "dictionary" and found[1] is not self.root:
                    for pair in table.named_children:
                        if pair.type == "pair" and string_value(pair.child_by_field_name("key")) == key:
                            return self._expr(pair.child_by_field_name("value"), ctx, locals_, d)
                fn = self.enclosing_function(node)
                if not (fn is not None and base.split(".")[0] in self.function_params(fn)) and \
                        base.split(".")[0] not in ("self", "cls"):
                    return Ref(f"{base}.{key}")
            return Unknown(T.text(node))
        return Unknown(T.text(node))

    def _fstring(self, node: Node, ctx: Node | None, locals_: bool, d: int) -> Expr:
        pieces: list[Expr] = []
        strings = [node] if node.type == "string" else [c for c in node.named_children if c.type == "string"]
        for s in strings:
            for child in s.children:
                if child.type == "string_content":
                    raw = T.text(child)
                    pieces.append(Str(_ESCAPE_RE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(0)), raw)))
                elif child.type == "interpolation":
                    inner = child.child_by_field_name("expression")
                    if any(c.type == "format_specifier" for c in child.children):
                        pieces.append(Unknown(T.text(child)))
                    else:
                        pieces.append(self._expr(inner, ctx, locals_, d))
        if not pieces:
            return Str("")
        result = pieces[0]
        for piece in pieces[1:]:
            result = BinOp("+", result, piece)
        return result

    def _name_expr(self, node: Node, ctx: Node | None, locals_: bool, d: int) -> Expr:
        name = T.text(node)
        if name in ("True", "False", "None"):
            return Unknown(name)
        if locals_:
            fn = self.enclosing_function(node)
            while fn is not None:
                for target, value, stmt in reversed(self.scope_assignments(fn)):
                    if target == name and stmt.start_byte < node.start_byte and not (
                            value.start_byte <= node.start_byte < value.end_byte) and \
                            not self._none_guarded_default(name, stmt, fn):
                        return self._expr(value, ctx, locals_, d)
                params = self.function_params(fn)
                if name in params:
                    default = params[name]
                    if default is None or is_none(default):
                        return Unknown(name)
                    return self._expr(default, ctx, locals_, d)
                if any(target == name for target, _, _ in self.scope_assignments(fn)):
                    break  # bound later in this scope: not the outer one's
                fn = self.enclosing_function(fn)  # a closure sees its outer function's parameters
        if ctx is not None:  # inside a class body: a sibling class attribute
            if self.class_attr_value(ctx, name) is not None:
                return Ref(f"{self.class_path(ctx)}.{name}")
        return Ref(name)

    def _attr_expr(self, node: Node, ctx: Node | None, locals_: bool, d: int) -> Expr:
        name = dotted(node)
        read_back = self._timeout_object_field(node)
        if read_back is not None:
            return self._expr(read_back, ctx, locals_, d)
        if name is None:
            getter = _SETTINGS_GETTER_READ.fullmatch(T.text(node))
            if getter is not None:
                # (round 20, pr-agent) `get_settings().github.ratelimit_retries`: a Dynaconf settings getter
                # over TOML files ([github] ratelimit_retries = 5), the config files' leaves as for
                # `settings.redis.x` below
                leaf_keys = ".".join(k.replace("_", "").replace("-", "").lower() for k in getter.group(1).split("."))
                return Call("coalesce", (Ref(f"$go-config:default.{leaf_keys}"), Ref(f"$go-config:{leaf_keys}"),
                                         Unknown(T.text(node))))
            return Unknown(T.text(node))
        if name.startswith(("self.", "cls.")) and name.count(".") == 1:
            cls = self.enclosing_class(node)
            attr = name.split(".", 1)[1]
            if cls is None:
                return Unknown(name)
            if self.class_attr_value(cls, attr) is not None:
                return Ref(f"{self.class_path(cls)}.{attr}")
            values = self.self_attr_values(cls, attr)
            if len(values) > 1 and locals_:
                # `self.pool_timeout = 120` in __init__, then `self.pool_timeout = int(config.get(
                # 'poolTimeout') or 10)` where the configuration loads: the configured default holds
                configured = [v for v in values if _CONFIG_READ.search(T.text(v))]
                for v in configured:
                    value = self._expr(v, ctx, locals_, d)
                    if as_number(self.settle(value)[0]) is not None:
                        return value
            if len(values) >= 1 and locals_:
                return self._expr(values[0], ctx, locals_, d)
            returned = self._property_returns(cls, attr) if locals_ else []
            if len(returned) == 1:
                return self._expr(returned[0], ctx, locals_, d)
            inherited = self._base_field(cls, attr) if locals_ else None
            return inherited if inherited is not None else Unknown(name)
        head = name.split(".")[0]
        constance = re.fullmatch(r"constance\.config\.([A-Za-z_]\w*)", self.qualify(name))
        if constance:
            # (round 20, kobotoolbox-kpi) `constance.config.HOOK_MAX_RETRIES` / `from constance import config`:
            # django-constance's value, its CONSTANCE_CONFIG default unless an admin changes it
            return Ref(f"$config-define.{constance.group(1)}")
        declared = _DECLARED_CONFIG_READ.search(name)
        if name.count(".") >= 2 and head in ("settings", "config", "conf") and head in self.imports and \
                self.imports[head].split(".", 1)[0] not in _FRAMEWORK_SETTINGS and \
                not any(a.type in ("call", "subscript") for a in [node]):
            # (round 17) `settings.redis.socket_connect_timeout_sec` on a settings object imported from the project
            # (Dynaconf over configs/*.toml, environments under [default]): the config files' leaves, which
            # extractors/goconfig publishes for any service (`$go-config:default.redis.socketconnecttimeoutsec`),
            # else what the name resolves to as before (merino)
            leaf_keys = ".".join(k.replace("_", "").replace("-", "").lower() for k in name.split(".")[1:])
            return Call("coalesce", (Ref(f"$go-config:default.{leaf_keys}"), Ref(f"$go-config:{leaf_keys}"),
                                     Ref(name)))
        if name.count(".") == 1 and head in ("settings", "config", "conf") and head in self.imports and \
                name.split(".", 1)[1].isupper() and \
                self.imports[head].split(".", 1)[0] not in _FRAMEWORK_SETTINGS and \
                self.imports[head].rsplit(".", 1)[-1] == head and \
                not any(a.type in ("default_parameter", "typed_default_parameter") for a in T.ancestors(node)):
            # (not a helper parameter's default, `timeout=settings.QUERY_TIMEOUT`: wrapper_timeout publishes that
            # default for its callers as the name itself: bookwyrm's get_data)
            # (round 21, lead: polyglot19) `settings.LEDGER_TIMEOUT` on a settings object imported from the project
            # (`from .config import settings`, a Dynaconf over settings.toml: keys are case-insensitive, environments
            # under [default]; read in capitals, not a pydantic model's fields): what the name resolves to first (a
            # module constant), else the config files' leaf
            leaf = name.split(".", 1)[1].replace("_", "").replace("-", "").lower()
            return Call("coalesce", (Ref(name), Ref(f"$go-config:default.{leaf}"), Ref(f"$go-config:{leaf}")))
        if name.count(".") == 1 and head in ("CONFIG", "CONF", "CFG") and head in self.imports \
                and re.fullmatch(r"[A-Z][A-Z0-9_]{2,}", name.split(".", 1)[1]) and \
                self.imports[head].split(".", 1)[0] not in _FRAMEWORK_SETTINGS:
            # (round 22, jumpserver) `CONFIG.AUTH_LDAP_CONNECT_TIMEOUT` on the project's loaded configuration object:
            # what the name resolves to, else the default its dict configuration class declares
            return Call("coalesce", (Ref(name), Ref(f"$config-define.{name.split('.', 1)[1]}")))
        if name.count(".") == 1 and _CLI_ARGS.match(head) and locals_:
            # (round 17) `timeout = args.timeout` with `parser.add_argument('--timeout', default=60, type=int)` in this
            # file: the command line's default (elastalert's create-index)
            default = self._argparse_default(name.split(".", 1)[1])
            if default is not None:
                return self._expr(default, ctx, locals_, d)
        if head in ("self", "cls"):
            # `self.context.config.HTTP_LOADER_CONNECT_TIMEOUT`: a declared configuration default
            if declared:
                return Ref(f"$config-define.{declared.group(1)}")
            cls = self.enclosing_class(node) if name.count(".") == 2 and locals_ else None
            annotation = self._self_attr_annotation(cls, name.split(".")[1]) if cls is not None else None
            if annotation is not None:
                # (round 22, r2r) `self.config.max_retries` with `self.config: CompletionConfig = config` (or
                # `def __init__(self, config: CompletionConfig): self.config = config`): that configuration
                # class's field default, as for an annotated parameter (`Class.field`)
                return Ref(f"{annotation}.{name.split('.')[2]}")
            return Unknown(name)
        if locals_ and self.enclosing_function(node) is not None:
            fn = self.enclosing_function(node)
            if head in self.function_params(fn) and declared and name.count(".") >= 2:  # type: ignore[arg-type]
                return Ref(f"$config-define.{declared.group(1)}")
            if head in self.function_params(fn):  # type: ignore[arg-type]
                # `detector_config.api_timeout` with `detector_config: DeepstackConfig`: the field's
                # default in that (pydantic / dataclass) class
                annotation = self.param_annotation(fn, head)
                if annotation and name.count(".") == 1 and re.fullmatch(r"[A-Za-z_][\w.]*", annotation) \
                        and annotation.rsplit(".", 1)[-1][:1].isupper():
                    return Ref(f"{annotation}.{name.split('.', 1)[1]}")
                return Unknown(name)
            annotation = self._local_annotation(fn, head) if name.count(".") == 1 else None  # type: ignore[arg-type]
            if annotation is not None:
                # `throttler: ThrottlerManager = self.throttler` then `throttler.retry_attempts`: the
                # field that class's constructor keeps (its default, `Class.field`, wrapper_timeout)
                return Ref(f"{annotation}.{name.split('.', 1)[1]}")
        return Ref(name)

    def _library_base_of(self, node: Node) -> str | None:
        """The imported class a class (the one enclosing ``node``) derives from, qualified, when it has one base
        (`class ElasticSearchClient(Elasticsearch)` -> `elasticsearch.Elasticsearch`)."""
        cls = next((a for a in T.ancestors(node) if a.type == "class_definition"), None)
        supers = cls.child_by_field_name("superclasses") if cls is not None else None
        bases = [c for c in supers.named_children if c.type in ("identifier", "attribute")] if supers is not None else []
        if len(bases) != 1:
            return None
        written = T.text(bases[0])
        qualified = self.qualify(written)
        return qualified if qualified != written and written.split(".", 1)[0] in self.imports else None

    def _argparse_default(self, dest: str) -> Node | None:
        """The `default=` of the one `add_argument(...)` of this file whose destination is `dest` (`'--timeout'`,
        `'--es-timeout'` -> es_timeout, or `dest='timeout'`)."""
        if not self.has_any(b"add_argument("):
            return None
        found = []
        for call in self.calls:
            if call.name != "add_argument" or "default" not in call.kwargs:
                continue
            named = string_value(call.kwargs["dest"].node) if "dest" in call.kwargs else None
            if named is None:
                flags = [string_value(a.node) or "" for a in call.args]
                long = [x for x in flags if x.startswith("--")]
                named = long[0][2:].replace("-", "_") if long else (
                    flags[0].lstrip("-").replace("-", "_") if flags and not flags[0].startswith("-") else None)
            if named == dest:
                found.append(call.kwargs["default"].node)
        return found[0] if len(found) == 1 else None

    def _local_annotation(self, fn: Node, name: str) -> str | None:
        """The class a local is annotated with where it is bound (`client: ApiClient = ...`)."""
        for target, _, stmt in self.scope_assignments(fn):
            typ = stmt.child_by_field_name("type") if target == name and stmt.type == "assignment" else None
            if typ is not None:
                annotation = re.sub(r"\s+", "", T.text(typ))
                if re.fullmatch(r"[A-Za-z_][\w.]*", annotation) and annotation.rsplit(".", 1)[-1][:1].isupper():
                    return annotation
        return None

    def _or_expr(self, node: Node, ctx: Node | None, locals_: bool, d: int) -> Expr:
        """`get_option("batch_timeout", 0) or settings.BATCH_TIMEOUT`, `self.timeout or DEFAULT`: the
        first side when it is known (and not a falsy default), else the fallback. A parameter on the
        left (`timeout or DEFAULT` in a helper) stays unknown: its callers decide (wrapper_timeout)."""
        left, right = unwrap(node.child_by_field_name("left")), node.child_by_field_name("right")
        if left is None or right is None:
            return Unknown(T.text(node))
        if left.type == "identifier":
            fn = self.enclosing_function(node)
            params = self.function_params(fn) if fn is not None else {}
            if T.text(left) in params:
                if is_none(params[T.text(left)]):
                    # `timeout or self.timeout` with `timeout=None`: a call leaving it out gets the
                    # fallback (the helper publishes the parameter for the calls that pass one)
                    return self._expr(right, ctx, locals_, d)
                default = unwrap(params[T.text(left)])
                if default is not None and locals_ and (number_value(default) or string_value(default)):
                    # (round 22, jumpserver) `self.timeout = int(timeout or 10)` in `def __init__(self, timeout=10)`:
                    # a truthy default holds where the helper's own line hands it on (rule a), as a plain
                    # `self.timeout = timeout` does; its callers' values are still theirs (wrapper_timeout)
                    return self._expr(default, ctx, locals_, d)
                return Unknown(T.text(node))
        first = self._expr(left, ctx, locals_, d)
        fallback = self._expr(right, ctx, locals_, d)
        if isinstance(first, Env) and (first.default is None or (
                isinstance(first.default, Num) and not first.default.value) or (
                isinstance(first.default, Str) and not first.default.value)):
            # a lookup whose own default is falsy (`get_option(name, 0)`): unset, the fallback applies
            return fallback
        return Call("coalesce", (first, fallback))

    def _call_expr(self, node: Node, ctx: Node | None, locals_: bool, d: int) -> Expr:
        call = self.call_of(node)
        if call is None:
            return Unknown(T.text(node))
        q = call.qualified
        last = q.rsplit(".", 1)[-1]
        args = [a.node for a in call.args]
        if q in ("float", "int", "str", "max", "min", "round") or (q == "len" and len(args) == 1 and not call.kwargs):
            return Call(q, tuple(self._expr(a, ctx, locals_, d) for a in args))
        if q in ("pydantic.Field", "pydantic.fields.Field", "dataclasses.field", "Field", "field", "attr.ib",
                 "attrs.field"):
            default = call.kwargs.get("default") or (call.args[0] if call.args and q.endswith("Field") else None)
            if default is not None and T.text(default.node) != "...":
                return self._expr(default.node, ctx, locals_, d)
            return Unknown(T.text(node))
        owner = (call.receiver or "").rsplit(".", 1)[-1]
        if call.callee == "self.config" and len(args) == 1 and string_value(args[0]) and not call.kwargs:
            # everett components: `self.config("timeout")` reads the Option the class declares in its nested
            # `class Config: timeout = Option(default="5", parser=float)` (round 12, antenna)
            declared = self._everett_default(node, string_value(args[0]))
            if declared is not None:
                return declared
        if call.name in ("pop", "get", "setdefault") and len(args) == 2 and not call.kwargs and \
                call.receiver and "." not in call.receiver and _KEY.match(string_value(args[0]) or "") and \
                not is_none(args[1]) and self._own_kwargs_param(node, call.receiver):
            # `timeout = kwargs.pop("timeout", DEFAULT_TIMEOUT)` of the function's own `**kwargs`: the helper's
            # default, which a caller's `timeout=` overrides (rule a at the helper; round 15, opencve)
            return self._expr(args[1], ctx, locals_, d)
        if not args and not call.kwargs and call.callee and "." not in call.callee and d < 8:
            returned = self._getter_return(call)
            if returned is not None:
                # `timeout = _try_timeout_seconds()` with `def _try_timeout_seconds(): return int(getattr(
                # settings, "NOTIFICATION_TRY_TIMEOUT", 30))`: a getter of this file, what it returns (round 15)
                return self._expr(returned, returned, locals_, d)
        if args and call.callee and "(" not in call.callee and d < 8 and _COERCER_NAME.search(last) and \
                not (len(args) == 1 and not call.kwargs and "." not in call.callee) and \
                all(k in _COERCER_KEYWORDS for k in call.kwargs) and q.split(".", 1)[0] not in _COERCER_LIBRARIES:
            # (round 17) `coerce_int_config(max_attempts if max_attempts is not None else DEFAULT, default=DEFAULT,
            # min_value=1, field_name=...)`: a project coercion helper of any file keeps its first argument's value
            return self._expr(args[0], ctx, locals_, d + 1)
        if len(args) == 1 and not call.kwargs and call.callee and "." not in call.callee and d < 8:
            cast = self._coercer_cast(call)
            if cast is not None:
                # `timeout = _normalize_timeout(config.get("timeout", 20))` with a function of this file that
                # validates its one parameter and returns it (or int()/float() of it): the argument (round 16)
                inner = self._expr(args[0], ctx, locals_, d + 1)
                return Call(cast, (inner,)) if cast in ("int", "float") else inner
        if call.name in ("get", "get_value") and owner == "config" and args and self._ckan_file() and \
                _CKAN_KEY.match(string_value(args[0]) or ""):
            # CKAN's `config.get("ckan.requests.timeout")` / `toolkit.config.get(...)`: the ini file's value,
            # else the option's declared default (config_declaration.yaml: extractors/ckanconfig; round 12)
            item = Ref(f"$ckan-config.{string_value(args[0])}")
            fallback = call.kwargs["default"].node if "default" in call.kwargs else (args[1] if len(args) > 1 else None)
            if fallback is not None and not is_none(fallback):
                return Call("coalesce", (item, self._expr(fallback, ctx, locals_, d)))
            return item
        if call.name == "get" and call.receiver and args and string_value(args[0]) is not None \
                and (_KEY.match(string_value(args[0]) or "") or (len(args) > 1 and not owner.isupper() and
                                                                 _CKAN_KEY.match(string_value(args[0]) or ""))) and (
                    (owner.isupper() and len(owner) > 1) or _CONFIG_OWNER.search(owner.lower())):
            # `RETRY_OPTIONS.get("max_retries")` of a settings dict: its key (`RETRY_OPTIONS.max_retries`);
            # `self.settings.get("slow_spawn_timeout", 10)`: the default unless the key is known
            item: Expr = Ref(f"{call.receiver}.{string_value(args[0])}")
            fallback = call.kwargs["default"].node if "default" in call.kwargs else (args[1] if len(args) > 1 else None)
            if fallback is not None and not is_none(fallback):
                item = Call("coalesce", (item, self._expr(fallback, ctx, locals_, d)))
            elif not owner.isupper():
                return Unknown(T.text(node))
            return item
        if q == "getattr" and len(args) == 3 and string_value(args[1]) is not None and \
                re.search(r"(settings|config|conf|cfg|options)$", T.text(args[0]).lower()) and not is_none(args[2]):
            # `getattr(settings, "JIRA_MAX_RETRIES", 3)`: the setting, else the default (round 13)
            return Call("coalesce", (Ref(f"{T.text(args[0])}.{string_value(args[1])}"),
                                     self._expr(args[2], ctx, locals_, d)))
        if q in ("datetime.timedelta", "timedelta"):
            return Call("timedelta", tuple(self._expr(a, ctx, locals_, d) for a in args),
                        tuple((k, self._expr(v.node, ctx, locals_, d)) for k, v in call.kwargs.items()))
        env_funcs = ("os.getenv", "os.environ.get", "environ.get", "os.environ.setdefault")
        if q in env_funcs or q.endswith((".getenv",)) or (
                call.callee in ("env", "env.int", "env.float", "env.str", "env.bool", "config", "decouple.config")
                or (call.callee or "").split(".", 1)[0] in getattr(self, "environ_schemas", {})
                or ((call.callee or "").split(".", 1)[0] in getattr(self, "environ_objects", ()) and (
                    "." not in call.callee or last in ("int", "float", "str", "bool", "get_value")))
                or ((call.callee or "").count(".") == 1 and call.callee.split(".")[0].lower() in ("env", "environment")
                    and last in ("int", "float", "get_value") and self.has_any(b"environ"))
                or (call.callee in ("env.to_int", "env.to_float") and self.imports.get("env") == "servicelayer.env")
                or (call.callee in ("self.env", "self.env.int", "self.env.float", "self.env.str") and any(
                    v.startswith("environs") for v in self.imports.values()))  # (round 19) `self.env = Env()`
                or q in ("decouple.config",) or (call.callee == "_config" and "default" in call.kwargs)):
            var = string_value(args[0]) if args else None
            if var is None:
                return Unknown(T.text(node))
            default_node = call.kwargs["default"].node if "default" in call.kwargs else (
                args[1] if len(args) > 1 else None)
            schema = getattr(self, "environ_schemas", {}).get((call.callee or "").split(".", 1)[0], {}).get(var)
            if default_node is None and schema is not None:
                default_node = schema[1]  # django-environ's Env(VAR=(int, 30)) schema default
            default = None if default_node is None or is_none(default_node) else self._expr(
                default_node, ctx, locals_, d)
            result: Expr = Env(var, default)
            if schema is not None and schema[0] in ("int", "float") and "." not in (call.callee or ""):
                return Call(schema[0], (result,))
            # decouple's cast=int; everett's `_config("X", default="5", parser=int)`
            cast = call.kwargs.get("cast") or call.kwargs.get("parser")
            if cast is not None and cast.text in ("int", "float"):
                result = Call(cast.text, (result,))
            elif last in ("int", "float") and (call.callee.startswith(("env.", "self.env.")) or call.callee.split(".", 1)[0] in
                                               getattr(self, "environ_objects", ()) or
                                               call.callee.split(".", 1)[0].lower() in ("env", "environment")):
                result = Call(last, (result,))
            elif last in ("to_int", "to_float"):  # servicelayer's env.to_int("X", 60) (round 18, aleph)
                result = Call(last[3:], (result,))
            return result
        reader = self._env_reader(call) if args and string_value(args[0]) is not None and len(args) <= 2 else None
        if reader is not None:
            # must_map_env("PRODUCT_CATALOG_ADDR"): a function of this file that returns
            # os.environ.get(key) / os.getenv(key, default) of its first parameter
            default_node = args[1] if len(args) > 1 else None
            default = reader if default_node is None else self._expr(default_node, ctx, locals_, d)
            return Env(string_value(args[0]), None if isinstance(default, Unknown) else default)
        if _OPTION_GETTER.match(last) and args and string_value(args[0]) is not None and (
                len(args) == 2 or "default" in call.kwargs):
            # a runtime option with its default in the code (`get_option("query_retries", 2)`,
            # `options.get_config("timeout", 30)`): the default, as for an environment variable
            default_node = call.kwargs["default"].node if "default" in call.kwargs else args[1]
            return Env(string_value(args[0]), None if is_none(default_node) else self._expr(
                default_node, ctx, locals_, d))
        if call.callee in ("get_int", "get_float", "get_string", "get_str") and \
                re.search(r"(^|\.)envs?($|\.)", self.imports.get(call.callee, "")):
            # mitol's `get_int(name="EDX_API_CLIENT_TIMEOUT", default=60, description=...)` (from
            # mitol.common.envs; round 12's request, mitxonline): the environment variable, else the default
            name_node = call.kwargs["name"].node if "name" in call.kwargs else (args[0] if args else None)
            default_node = call.kwargs["default"].node if "default" in call.kwargs else (
                args[1] if len(args) > 1 else None)
            if name_node is not None and string_value(name_node) is not None:
                default = None if default_node is None or is_none(default_node) else self._expr(
                    default_node, ctx, locals_, d)
                result = Env(string_value(name_node), default)
                cast = {"get_int": "int", "get_float": "float"}.get(call.callee)
                return Call(cast, (result,)) if cast else result
        helper = _ENV_HELPER.match(call.callee or "")
        if helper is not None and args and string_value(args[0]) is not None and len(args) <= 2:
            # A settings module's own helper: envint("S3_TIMEOUT", "60"), env_float("X", 2.5)
            default_node = args[1] if len(args) > 1 else (call.kwargs["default"].node if "default" in call.kwargs
                                                          else None)
            default = None if default_node is None or is_none(default_node) else self._expr(
                default_node, ctx, locals_, d)
            result = Env(string_value(args[0]), default)
            cast = {"integer": "int"}.get(helper.group(1) or helper.group(2), helper.group(1) or helper.group(2))
            return Call(cast, (result,)) if cast in ("int", "float") else result
        return Unknown(T.text(node))

    def settle(self, value: Expr) -> tuple[Any, str]:
        """Evaluate with this file's constants only: (value or None, resolved_from)."""
        def lookup(name: str):
            if name in self.symbols:
                return self.symbols[name], "constant"
            return None
        result = evaluate(value, lookup)
        if result.value is None:
            return None, "unresolved"
        return result.value, result.resolved_from

    # ------------------------------------------------------------------ findings
    def finding(self, kind: str, node: Node, detector: str, attributes: dict[str, Any],
                confidence: str = "high", target: Target | None = None,
                pending: Iterable[Pending] = (), evidence_node: Node | None = None) -> Finding:
        line, col, end_line, end_col = T.location(node)
        ev_node = evidence_node if evidence_node is not None else node
        evidence = T.text(ev_node).splitlines()[0].strip()[:200] if ev_node.text else ""
        return Finding(kind=kind, path=self.path, line=line, column=col, end_line=end_line,
                       end_column=end_col, language=LANGUAGE, detector=detector,
                       confidence=confidence, attributes=dict(attributes), evidence=evidence,
                       target=target, pending=tuple(pending))

    def duration(self, node: Node, scale: float, phase: str, detector: str, at: Node,
                 target: Target | None, target_pending: Iterable[Pending] = (),
                 kind: str = "timeout", extra: dict | None = None) -> list[Finding]:
        """Timeout finding(s) for a value node: literal/constant settled here, names left Pending.
        A 2-tuple gives two findings, phase connect and read."""
        node = unwrap(node) or node
        default = self.config_default(node)
        value = self.expr(default if default is not None else node)
        settled, source = self.settle(value)
        lookup = self.call_of(node) if default is not None else None
        if default is not None and lookup is None:  # through a local: the call it is bound to
            found = self.binding(T.text(node), node)
            lookup = self.call_of(unwrap(found[0])) if found else None
        from_kwargs = lookup is not None and lookup.receiver in ("kwargs", "kw", "options_kwargs")
        if default is not None and settled is not None and not from_kwargs:
            source = "config"
        via_param = self._via_param(node)
        if isinstance(value, Tuple) and len(value.items) == 2 and phase == "total" and not isinstance(settled, tuple):
            settled = tuple(self.settle(item)[0] for item in value.items)
        if isinstance(settled, tuple) and len(settled) == 2 and phase == "total":
            items = value.items if isinstance(value, Tuple) else (None, None)
            out = []
            for ph, v, sub in zip(("connect", "read"), settled, items):
                if isinstance(sub, Unknown) and sub.text == "None":
                    continue  # (3.05, None): no bound on that phase
                out.extend(self._duration_one(node, sub, v, source, scale, ph, detector, at, target,
                                              target_pending, via_param, kind, extra))
            return out
        return self._duration_one(node, value, settled, source, scale, phase, detector, at, target,
                                  target_pending, via_param, kind, extra)

    def config_default(self, node: Node) -> Node | None:
        """The default of a configuration lookup: ``self.configuration.get("timeout", 600)``,
        ``options.get("timeout", 5)``, ``config.getint("http", "timeout", fallback=5)``; also
        through a local bound once to one (``timeout = self.configuration.get("timeout", 30)``)."""
        if node.type == "identifier":
            found = self.binding(T.text(node), node)
            bound = unwrap(found[0]) if found else None
            return self.config_default(bound) if bound is not None and bound.type == "call" else None
        if node.type == "attribute" and T.text(node).startswith("self.") and T.text(node).count(".") == 1:
            # `self._timeout` set once in the class: `self._timeout = self._config["hook"].get("timeout", 10)`
            cls = self.enclosing_class(node)
            values = self.self_attr_values(cls, T.text(node)[5:]) if cls is not None else []
            if not values and cls is not None:
                values = self._property_returns(cls, T.text(node)[5:])
            bound = unwrap(values[0]) if len(values) == 1 else None
            return self.config_default(bound) if bound is not None and bound.type == "call" else None
        call = self.call_of(node)
        if call is not None and call.qualified in ("int", "float") and len(call.args) == 1:
            inner = unwrap(call.args[0].node)  # `int(config.get("TIMEOUT", 5))`, not an env lookup
            return self.config_default(inner) if inner is not None and inner.type == "call" and not re.search(
                r"environ|getenv", T.text(inner.child_by_field_name("function") or inner)) else None
        if call is not None and call.qualified == "getattr" and len(call.args) == 3 and \
                string_value(call.args[1].node) is not None and \
                re.search(r"(settings|config|conf|cfg|options)$", T.text(call.args[0].node).lower()):
            # `getattr(settings, "JIRA_TIMEOUT", (10, 30))`: the default the code states (round 13)
            return call.args[2].node
        if call is None or not call.receiver:
            return None
        owner_name = call.receiver.rsplit(".", 1)[-1]
        owner = owner_name.lower()
        key = string_value(call.args[0].node) if call.args else None
        if not re.search(r"(config|conf|cfg|options|opts|settings|params?$|extra|properties|env|kwargs|^kw$)", owner) \
                and not (owner_name.isupper() and len(owner_name) > 1) \
                and not (call.name == "get" and len(call.args) == 2 and key and _CONFIG_KEY_BOUND.search(key)
                         and unwrap(call.args[1].node) is not None
                         and unwrap(call.args[1].node).type in ("integer", "float")):
            # (round 17) `self.rule.get("slack_timeout", 10)`: a key naming a timeout or a retry bound with a
            # number as its default reads a configuration, whatever the mapping is called (elastalert's rules)
            return None
        if call.name in ("get", "getint", "getfloat") and call.args and string_value(call.args[0].node) is not None:
            if "fallback" in call.kwargs:
                return call.kwargs["fallback"].node
            if "default" in call.kwargs:
                return call.kwargs["default"].node
            if call.name == "get" and len(call.args) == 2:
                return call.args[1].node
            if call.name == "get" and len(call.args) == 1 and (b"'default'" in self.data or b'"default"' in self.data):
                # (round 22, the round-21 request: flexget) `config.get('broker_timeout')` with the plugin's own
                # JSON schema in this file (`'broker_timeout': {'type': 'integer', 'default': 30}`): the
                # validated configuration holds that default when the user gives none
                return self._schema_default(key) if key else None
        return None

    def _schema_default(self, key: str) -> Node | None:
        """The `default` of the one schema entry for ``key`` in this file (`'key': {'type': ..., 'default': N}`)."""
        found = []
        for n in T.walk(self.root):
            if n.type != "pair" or string_value(n.child_by_field_name("key")) != key:
                continue
            table = unwrap(n.child_by_field_name("value"))
            if table is None or table.type != "dictionary":
                continue
            pairs = {string_value(p.child_by_field_name("key")): p.child_by_field_name("value")
                     for p in table.named_children if p.type == "pair"}
            if "type" in pairs and pairs.get("default") is not None:
                found.append(pairs["default"])
        return found[0] if len(found) == 1 else None

    def _via_param(self, node: Node) -> bool:
        call = self.call_of(node)
        if call is not None and call.receiver in ("kwargs", "kw") and call.name == "get":
            return True  # kwargs.get("timeout", 5): the caller may override the default
        if node.type != "identifier":
            return False
        fn = self.enclosing_function(node)
        if fn is None:
            return False
        name = T.text(node)
        if any(t == name and s.start_byte < node.start_byte for t, _, s in self.scope_assignments(fn)):
            return False
        return name in self.function_params(fn)

    def _duration_one(self, node: Node, value: Expr | None, settled: Any, source: str, scale: float,
                      phase: str, detector: str, at: Node, target: Target | None,
                      target_pending: Iterable[Pending], via_param: bool, kind: str,
                      extra: dict | None) -> list[Finding]:
        number = as_number(settled) if not isinstance(settled, tuple) else None
        if node.type == "identifier" or (node.type == "boolean_operator" and unwrap(
                node.child_by_field_name("left")) is not None and unwrap(node.child_by_field_name("left")).type
                == "identifier") or (node.type == "call" and T.text(node.child_by_field_name("function")) in (
                "float", "int") and len(node.child_by_field_name("arguments").named_children) == 1):
            # a parameter, or a local standing for one (`t = timeout if timeout is not None else D`,
            # `t = kwargs.get("timeout", 5)`), also `timeout or self.timeout` and `float(timeout)`:
            # the unit its callers' values are read in (wrappers)
            self.param_scales[(at.start_point[0] + 1, T.text(node))] = scale
        elif node.type == "conditional_expression":
            parts = [c for c in node.named_children if c.type != "comment"]
            taken = unwrap(self._flag_default_branch(node, parts)) if len(parts) == 3 else None
            if taken is not None and taken.type == "boolean_operator":
                # `None if no_timeout else (timeout or D)`: the parameter of the branch a call takes
                self.param_scales[(at.start_point[0] + 1, T.text(node))] = scale
        attrs: dict[str, Any] = {"phase": phase, "expression": T.text(node)}
        pending = list(target_pending)
        if number is not None:
            attrs["timeout_ms"] = normalise_ms(number * scale)
            attrs["resolved_from"] = source
            confidence = "high" if source in ("literal", "constant") and not via_param else "medium"
            if source == "env_default" and value is not None and not isinstance(value, Unknown):
                # the default is what this file says; the deployment (.env, compose, the user's
                # `env:` config) may set the variable: the pipeline evaluates it again
                pending.append(Pending("timeout_ms", value, scale))
        else:
            attrs["timeout_ms"] = None
            attrs["resolved_from"] = "unresolved"
            confidence = "medium"
            if value is not None and not isinstance(value, Unknown) and _has_ref_or_env(value):
                pending.append(Pending("timeout_ms", value, scale))
            else:
                confidence = "low"
        if extra:
            attrs.update(extra)
        ordered = {"timeout_ms": attrs.pop("timeout_ms"), "phase": attrs.pop("phase"),
                   "resolved_from": attrs.pop("resolved_from"), "expression": attrs.pop("expression")}
        ordered.update(attrs)
        return [self.finding(kind, at, detector, ordered, confidence, target, pending)]

    def param_named_by(self, node: Node | None) -> str | None:
        """The parameter an expression is, when it is just one: of the enclosing function, or of an
        outer one a closure sees (a decorator factory's ``retries``), never a name rebound first."""
        node = unwrap(node)
        if node is None or node.type != "identifier":
            return None
        name = T.text(node)
        fn = self.enclosing_function(node)
        while fn is not None:
            rebound = [(v, s) for t, v, s in self.scope_assignments(fn) if t == name and s.start_byte < node.start_byte]
            if rebound and not (len(rebound) == 1 and name in self.function_params(fn)
                                and self._param_fallback_of(rebound[0][0], name)):
                return None
            if name in self.function_params(fn):
                return name
            fn = self.enclosing_function(fn)
        return None

    def param_through_local(self, node: Node | None) -> tuple[str, float] | None:
        """(parameter, step) of a local bound once to a parameter plus a number, in a closure of the
        function whose parameter it is: a project decorator factory's `tries = retries + 1` in
        `def wrap(retries, delay): def decorator(func): tries = retries + 1; ... for n in range(1, tries + 1)`
        (round 18, clusterfuzz's retry.wrap); None when the name is a parameter or is bound more than once."""
        node = unwrap(node)
        if node is None or node.type != "identifier":
            return None
        name = T.text(node)
        fn = self.enclosing_function(node)
        while fn is not None:
            if name in self.function_params(fn):
                return None
            bound = [v for t, v, _ in self.scope_assignments(fn) if t == name]
            if bound:
                if len(bound) != 1 or bound[0].start_byte > node.start_byte:
                    return None
                value = unwrap(bound[0])
                if value is None:
                    return None
                named = self.param_named_by(value)
                if named is not None:
                    return named, 0.0
                if value.type == "binary_operator" and T.text(value.child_by_field_name("operator")) in ("+", "-"):
                    named = self.param_named_by(value.child_by_field_name("left"))
                    step = number_value(unwrap(value.child_by_field_name("right")))
                    if named is not None and step is not None:
                        return named, (step if T.text(value.child_by_field_name("operator")) == "+" else -step)
                return None
            fn = self.enclosing_function(fn)
        return None

    def _param_fallback_of(self, value: Node, name: str) -> bool:
        """`max_attempts = max_attempts if max_attempts is not None else DEFAULT` (or `max_attempts or DEFAULT`),
        also inside a coercion helper (`coerce_int_config(<that>, default=DEFAULT)`): the parameter, falling back
        on a default when a caller leaves it out (round 17, astrbot's tenacity helper chain)."""
        value = unwrap(value)
        call = self.call_of(value) if value is not None and value.type == "call" else None
        if call is not None and call.args and _COERCER_NAME.search(call.callee.rsplit(".", 1)[-1]):
            value = unwrap(call.args[0].node)
        if value is None:
            return False
        if value.type == "boolean_operator" and T.text(value.child_by_field_name("operator")) == "or":
            left = unwrap(value.child_by_field_name("left"))
            return left is not None and T.text(left) == name
        if value.type == "conditional_expression" and len(value.named_children) == 3:
            found = _none_fallback(list(value.named_children))
            return found is not None and T.text(unwrap(found[0])) == name
        return False

    def count(self, node: Node | None, offset: float = 0.0) -> tuple[Any, list[Pending], str]:
        """A count (max_attempts): (value or None, pendings, confidence); ``offset`` added."""
        if node is None:
            return None, [], "low"
        param = self.param_named_by(node)
        inner = unwrap(node)
        if param is None and inner is not None and inner.type == "binary_operator" and \
                T.text(inner.child_by_field_name("operator")) in ("+", "-"):
            # `range(max_retries + 1)`: the parameter, one more
            step = number_value(unwrap(inner.child_by_field_name("right")) or inner)
            left = inner.child_by_field_name("left")
            named, base = self.param_named_by(left), 0.0
            through = self.param_through_local(left) if named is None else None
            if through is not None:
                named, base = through
            if named is not None and step is not None:
                self.count_params.append((unwrap(left), named, base + offset + (
                    step if T.text(inner.child_by_field_name("operator")) == "+" else -step)))
            elif named is None and step is not None and unwrap(left) is not None and \
                    re.match(r"^self\.\w+$", T.text(unwrap(left))):
                # `range(1, self.max_attempts + 1)`: a field a constructor may keep from its parameter (round 19)
                self.count_params.append((unwrap(left), T.text(unwrap(left)), offset + (
                    step if T.text(inner.child_by_field_name("operator")) == "+" else -step)))
        elif param is None and self.param_through_local(node) is not None:
            through = self.param_through_local(node)
            self.count_params.append((unwrap(node), through[0], through[1] + offset))
        if param is not None:
            self.count_params.append((unwrap(node), param, offset))
        elif unwrap(node) is not None and unwrap(node).type == "attribute" and re.match(r"^self\.\w+$", T.text(unwrap(node))):
            # `while tries < self.max_retries`: a field a constructor may keep from its parameter (wrappers)
            self.count_params.append((unwrap(node), T.text(unwrap(node)), offset))
        value = self.expr(node)
        settled, source = self.settle(value)
        number = as_number(settled)
        if number is not None:
            if number + offset <= 0:  # e.g. range(max_retries) with a parameter defaulting to 0
                return None, [], "low"
            conf = "high" if source in ("literal", "constant") and not self._via_param(node) else "medium"
            return normalise_ms(number + offset), [], conf
        if _has_ref_or_env(value):
            expr = value if not offset else BinOp("+", value, Num(offset))
            return None, [Pending("max_attempts", expr, 1.0)], "medium"
        return None, [], "low"


def _none_fallback(parts: list[Node]) -> tuple[Node, Node] | None:
    """(given, fallback) of `x if x is not None else F`, `x if x else F`, `F if x is None else x`."""
    value, cond, other = parts
    c = unwrap(cond)
    if c is None:
        return None
    text = T.text(c).replace(" ", "")
    v, o = T.text(value).replace(" ", ""), T.text(other).replace(" ", "")
    if text in (f"{v}isnotNone", v):
        return value, other
    if text == f"{o}isNone" or (c.type == "not_operator" and text == f"not{o}"):
        return other, value
    # (round 21, ragflow) `DEFAULT if retries is None else max(retries, 0)` (also int(..) / float(..)): the
    # parameter, coerced when given, else the fallback
    o_node = unwrap(other)
    if o_node is not None and o_node.type == "call" and \
            T.text(o_node.child_by_field_name("function")) in ("max", "min", "int", "float", "abs"):
        args = o_node.child_by_field_name("arguments")
        for arg in (args.named_children if args is not None else ()):
            if arg.type == "identifier" and text == f"{T.text(arg)}isNone":
                return arg, value
    return None


# `get_settings().section.key` / `get_config().section.key`: a settings getter called with no arguments, two names on
_SETTINGS_GETTER_READ = re.compile(r"(?:[A-Za-z_]\w*\.)?get_(?:settings|config|conf)\(\)\.([A-Za-z_]\w*\.[A-Za-z_]\w*)")


def attempts_expression(param: str, offset: float) -> str:
    """max_attempts in terms of the parameter that bounds it: ``retries``, ``retries + 1``."""
    if not offset:
        return param
    step = int(offset) if float(offset).is_integer() else offset
    return f"{param} + {step}" if offset > 0 else f"{param} - {-step}"


def _has_ref_or_env(value: Expr) -> bool:
    if isinstance(value, (Ref, Env)):
        return True
    if isinstance(value, BinOp):
        return _has_ref_or_env(value.left) or _has_ref_or_env(value.right)
    if isinstance(value, Call):
        return any(_has_ref_or_env(a) for a in value.args) or any(_has_ref_or_env(v) for _, v in value.kwargs)
    if isinstance(value, Tuple):
        return any(_has_ref_or_env(i) for i in value.items)
    return False


def has_unknown(value: Expr) -> bool:
    if isinstance(value, Unknown):
        return True
    if isinstance(value, BinOp):
        return has_unknown(value.left) or has_unknown(value.right)
    if isinstance(value, Call):
        return any(has_unknown(a) for a in value.args)
    if isinstance(value, Tuple):
        return any(has_unknown(i) for i in value.items)
    return False
