"""Ruby syntax helpers: call sites, value expressions and scopes, shared by the Ruby detectors.

Values are translated into ``contract_discovery.values`` expressions in **seconds**
(Ruby's unit for every HTTP client setting); ActiveSupport durations
(``5.seconds``, ``500.milliseconds``) are folded into seconds as well, so a
constant ``TIMEOUT = 500.milliseconds`` becomes ``Num(0.5)`` and every timeout
Pending uses ``scale=1000``.
"""

from __future__ import annotations

import re

from typing import Iterator

from contract_discovery.values import BinOp, Call, Env, Expr, Num, Ref, Str, Unknown, evaluate, as_number
from extractors.treesitter import Arg, CallSite, Node, ancestors, text, walk

# ActiveSupport duration methods -> seconds per unit.
DURATIONS = {
    "second": 1.0, "seconds": 1.0, "minute": 60.0, "minutes": 60.0, "hour": 3600.0, "hours": 3600.0,
    "day": 86400.0, "days": 86400.0, "millisecond": 0.001, "milliseconds": 0.001,
    "in_milliseconds": None,  # handled specially: converts a duration to a number of ms
}

NIL = Unknown("nil")  # a literal nil: "no timeout" for every Ruby HTTP client

SCOPE_TYPES = ("method", "singleton_method", "class", "module", "program", "lambda", "block", "do_block")


MAX_LINKS = 16  # longer chains are cut at the root end: no detector reads that far


def reset_caches() -> None:
    """Kept for the extractor's per-file hook; names are not cached (node ids repeat across trees)."""


# Settings registries read as `Setting[:name]` (Foreman's settings DSL, rails-settings-cached).
SETTING_STORES = frozenset({"Setting", "Settings", "SiteSetting", "AppSetting", "AppSettings"})
DEFAULT_KEY = "$default_key"
DEFAULT_KEY_NAME = re.compile(r"timeout|retries|retry|attempts|tries", re.I)


def callee_text(node: Node | None) -> str:
    """Dotted form of a receiver/constant path: ``Net::HTTP`` -> ``Net.HTTP``.

    Iterative and cut after ``MAX_LINKS`` links: a 3000-link method chain must neither hit
    Python's recursion limit nor cost quadratic time."""
    if node is None:
        return ""
    chain: list[Node] = []
    base = ""
    current: Node | None = node
    while current is not None:
        if len(chain) >= MAX_LINKS:
            base = "…"
            break
        if current.type == "scope_resolution":
            chain.append(current)
            current = current.child_by_field_name("scope")
        elif current.type == "call":
            chain.append(current)
            current = current.child_by_field_name("receiver")
        else:
            if current.type == "parenthesized_statements":
                base = "(" + text(current)[1:-1].strip() + ")"
            else:
                base = text(current)
            break
    for link in reversed(chain):
        part = text(link.child_by_field_name("name" if link.type == "scope_resolution" else "method"))
        base = f"{base}.{part}" if base and part else (base or part)
    return base


def call_site(node: Node) -> CallSite:
    """A ``CallSite`` for a tree-sitter-ruby ``call`` node; ``key: value`` pairs become kwargs."""
    receiver = node.child_by_field_name("receiver")
    method = text(node.child_by_field_name("method"))
    left = callee_text(receiver)
    callee = f"{left}.{method}" if left else method
    site = CallSite(node=node, callee=callee, qualified=callee)
    arguments = node.child_by_field_name("arguments")
    if arguments is not None:
        for child in arguments.named_children:
            if child.type == "pair":
                key = pair_key(child)
                value = child.child_by_field_name("value")
                if key is not None and value is not None:
                    site.kwargs[key] = Arg(node=value, text=text(value), keyword=key)
                    continue
                if key is not None and child.child_by_field_name("key").type == "hash_key_symbol":
                    # round 11: Ruby 3.1's shorthand `new(name, timeout_seconds:)` passes the local, parameter
                    # or reader of that name (it was read as a positional argument)
                    shorthand = Shorthand(child.child_by_field_name("key"))
                    site.kwargs[key] = Arg(node=shorthand, text=key, keyword=key)
                    continue
            if child.type in ("comment",):
                continue
            site.args.append(Arg(node=child, text=text(child)))
    return site


class Shorthand:
    """The key of a shorthand pair (``timeout:``) standing for its value, the identifier of that name: a
    tree-sitter node in every respect but its type (``identifier``) and its parent (the pair's)."""

    type = "identifier"

    def __init__(self, key: Node):
        self._key = key

    def __getattr__(self, name: str):
        return getattr(self._key, name)

    @property
    def text(self) -> bytes:
        return self._key.text.rstrip(b":")

    @property
    def named_children(self) -> list:
        return []

    @property
    def named_child_count(self) -> int:
        return 0

    def child_by_field_name(self, name: str):
        return None


def pair_key(pair: Node) -> str | None:
    key = pair.child_by_field_name("key")
    if key is None:
        return None
    if key.type == "hash_key_symbol":
        return text(key)
    if key.type == "simple_symbol":
        return text(key)[1:]
    if key.type == "string":
        return string_literal(key)
    return None


def hash_items(node: Node | None) -> dict[str, Node]:
    """The ``key => value`` items of a hash literal (symbol and plain-string keys)."""
    items: dict[str, Node] = {}
    if node is None or node.type != "hash":
        return items
    for child in node.named_children:
        if child.type == "pair":
            key = pair_key(child)
            value = child.child_by_field_name("value")
            if key is not None and value is not None:
                items[key] = value
    return items


def string_literal(node: Node | None) -> str | None:
    """The text of a string without interpolation, else None."""
    if node is None or node.type not in ("string", "simple_symbol", "bare_string"):
        return None
    if node.type == "simple_symbol":
        return text(node)[1:]
    parts = []
    for child in node.named_children:
        if child.type == "string_content":
            parts.append(text(child))
        elif child.type == "escape_sequence":
            parts.append(text(child))
        else:
            return None
    return "".join(parts)


def symbol_name(node: Node | None) -> str | None:
    if node is None:
        return None
    if node.type == "simple_symbol":
        return text(node)[1:]
    if node.type in ("string",):
        return string_literal(node)
    return None


def enclosing(node: Node, types: tuple[str, ...]) -> Node | None:
    for parent in ancestors(node):
        if parent.type in types:
            return parent
    return None


def scope_of(node: Node) -> Node:
    """The method (or class/module/program) body that a local variable lives in."""
    for parent in ancestors(node):
        if parent.type in ("method", "singleton_method", "class", "module", "program"):
            return parent
    return node


def is_inside(node: Node, container: Node) -> bool:
    return container.start_byte <= node.start_byte and node.end_byte <= container.end_byte


def destructured_fallback(name: str, use: Node) -> tuple[str, Node] | None:
    """``open, read = if timeout then [timeout, timeout] else [CONFIG_OPEN, CONFIG_READ] end`` (round 18,
    portus): (the parameter tested, the fallback item of ``name``'s position) when one branch hands on a
    parameter of the method and the other gives the values used when a caller passes nothing."""
    scope = scope_of(use)
    found = None
    for node in walk(scope):
        if node.start_byte >= use.start_byte:
            break
        if node.type == "assignment":
            left = node.child_by_field_name("left")
            if left is not None and left.type == "left_assignment_list":
                names = [text(c) for c in left.named_children]
                if name in names:
                    found = (names.index(name), len(names), node.child_by_field_name("right"))
    if found is None or found[2] is None or found[2].type not in ("if", "conditional"):
        return None
    index, size, right = found
    condition = right.child_by_field_name("condition")
    first = right.child_by_field_name("consequence")
    second = right.child_by_field_name("alternative")
    if second is not None and second.type == "else":
        second = next((c for c in second.named_children if c.type != "comment"), None)
    if first is not None and first.type == "then":
        first = next((c for c in first.named_children if c.type != "comment"), None)
    if condition is None or first is None or second is None or condition.type != "identifier":
        return None
    param = text(condition)
    method = enclosing(use, ("method", "singleton_method"))
    params = method.child_by_field_name("parameters") if method is not None else None
    if params is None or param not in {text(p.child_by_field_name("name") or p) for p in params.named_children}:
        return None
    arrays = [b for b in (first, second) if b.type == "array" and b.named_child_count == size]
    if len(arrays) != 2:
        return None
    passed, fallback = arrays[0].named_children[index], arrays[1].named_children[index]
    if text(passed) != param:
        return None
    return param, fallback


def local_assignment(name: str, use: Node) -> Node | None:
    """The right-hand side of the last ``name = ...`` before ``use`` in the same scope. A clamp written
    with a modifier (``tries = 1 if tries < 1`` after ``tries = (wait / interval).to_i``) does not hide
    the unconditional value before it (round 19, bosh)."""
    scope = scope_of(use)
    found = conditional = None
    for node in walk(scope):
        if node.start_byte >= use.start_byte:
            break
        if node.type == "assignment":
            left = node.child_by_field_name("left")
            if left is not None and text(left) == name:
                if node.parent is not None and node.parent.type in ("if_modifier", "unless_modifier") \
                        and _reads(node.parent.child_by_field_name("condition"), name):
                    conditional = node.child_by_field_name("right")
                else:
                    found, conditional = node.child_by_field_name("right"), None
    return found if found is not None else conditional


def _reads(condition: Node | None, name: str) -> bool:
    """Whether a modifier's condition reads the local it guards (``x = 1 if x < 1``: a clamp)."""
    return condition is not None and any(n.type == "identifier" and text(n) == name for n in walk(condition))


def method_hash(name: str, use: Node) -> Node | None:
    """The hash literal a method without parameters of ``use``'s class (or file) returns as its last
    statement: ``builder.request :retry, retry_options`` with ``def retry_options; { max: 3 }; end``."""
    scope = enclosing(use, ("class", "module"))
    if scope is None:
        scope = use
        while scope.parent is not None:
            scope = scope.parent
    for node in walk(scope):
        if node.type != "method" or text(node.child_by_field_name("name")) != name:
            continue
        params = node.child_by_field_name("parameters")
        if params is not None and params.named_children:
            continue
        body = node.child_by_field_name("body") or next(
            (c for c in node.named_children if c.type == "body_statement"), None)
        statements = [c for c in body.named_children if c.type != "comment"] if body is not None else []
        if statements and statements[-1].type == "hash":
            return statements[-1]
    return None


def constant_hash_literal(name: str, use: Node) -> Node | None:
    """The hash literal a constant holds (``RETRY = { max: 5 }.freeze``), looked up from ``use``'s
    innermost class/module outwards to the file: ``c.request :retry, RETRY``."""
    scope = enclosing(use, ("class", "module"))
    while True:
        root = scope
        if root is None:
            root = use
            while root.parent is not None:
                root = root.parent
        for node in walk(root):
            if node.type != "assignment":
                continue
            left = node.child_by_field_name("left")
            if left is None or left.type != "constant" or text(left) != name:
                continue
            value = node.child_by_field_name("right")
            # `{ ... }.freeze`
            while value is not None and value.type == "call" and \
                    text(value.child_by_field_name("method")) in ("freeze", "dup"):
                value = value.child_by_field_name("receiver")
            if value is not None and value.type == "hash":
                return value
        if scope is None:
            return None
        scope = enclosing(scope, ("class", "module"))


def parameter_default(name: str, use: Node) -> Node | None:
    """The default of the method parameter ``name`` that ``use`` reads, if it has one.

    ``def initialize(base_url: ENV.fetch("RISK_URL", "http://risk"))`` or ``def call(url = URL)``:
    when no caller passes the argument, the default is the value.
    """
    method = enclosing(use, ("method", "singleton_method"))
    if method is None:
        return None
    params = method.child_by_field_name("parameters")
    if params is None:
        return None
    for param in params.named_children:
        if param.type in ("keyword_parameter", "optional_parameter") and \
                text(param.child_by_field_name("name")) == name:
            return param.child_by_field_name("value")
    return None


def _duration(receiver: Expr, factor: float) -> Expr:
    if isinstance(receiver, Num):
        return Num(receiver.value * factor)
    return receiver if factor == 1.0 else BinOp("*", receiver, Num(factor))


def to_expr(node: Node | None, depth: int = 0) -> Expr:
    """Translate a Ruby expression into a value expression in seconds (durations folded).

    Returns ``NIL`` for a literal ``nil``; ``Unknown`` for anything it cannot follow.
    """
    if node is None or depth > 12:
        return Unknown("")
    kind = node.type
    raw = text(node)
    if kind == "integer":
        number = _int(raw)
        return Num(float(number)) if number is not None else Unknown(raw)
    if kind == "float":
        try:
            return Num(float(raw.replace("_", "")))
        except ValueError:
            return Unknown(raw)
    if kind == "nil":
        return NIL
    if kind == "string":
        literal = string_literal(node)
        return Str(literal) if literal is not None else Unknown(raw)
    if kind == "parenthesized_statements" and node.named_child_count == 1:
        return to_expr(node.named_children[0], depth + 1)
    if kind == "constant":
        return Ref(raw)
    if kind == "scope_resolution":
        return Ref(callee_text(node))
    if kind == "identifier":
        bound = local_assignment(raw, node)
        if bound is not None and bound.type != "identifier":
            return to_expr(bound, depth + 1)
        found = destructured_fallback(raw, node)
        if found is not None:
            return to_expr(found[1], depth + 1)
        return Ref(raw)
    if kind == "element_reference":
        obj = node.child_by_field_name("object")
        keys = [c for c in node.named_children if c != obj]
        if text(obj) == "ENV" and len(keys) == 1:
            name = string_literal(keys[0])
            if name is not None:
                return Env(name)
        if obj is not None and obj.type in ("constant", "scope_resolution") and len(keys) == 1 \
                and text(obj) in SETTING_STORES:
            # `Setting[:proxy_request_timeout]`: an application setting whose default another file
            # declares (`setting('proxy_request_timeout', default: 60)`): published as Setting.<name>
            name = symbol_name(keys[0]) or string_literal(keys[0])
            if name and name.isidentifier():
                return Ref(f"{callee_text(obj)}.{name}")
        path = app_config_path(node)
        if path is not None:
            # `APP_CONFIG["registry"]["timeout"]["value"]` (cconfig's config/config.yml, round 18: portus)
            return Ref(f"{APP_CONFIG_HASH}.{path}")
        loaded = config_for_key(node)  # (round 21) a config_for constant's key, else what follows
        if obj is not None and obj.type in ("call", "element_reference", "constant", "scope_resolution",
                                            "instance_variable") and len(keys) == 1:
            # `env.config[:fetch_timeout]`, `SETTINGS[:katello][:rest_client_timeout]`: an application
            # configuration hash's key whose default a defaults hash of the project gives
            # (`DEFAULTS = { fetch_timeout: 20 }`, `default_settings = { rest_client_timeout: 30 }`),
            # published as `$default_key.<name>` (round 18: gemstash, katello)
            name = symbol_name(keys[0]) or string_literal(keys[0])
            if name and DEFAULT_KEY_NAME.search(name) and name.isidentifier():
                default = Ref(f"{DEFAULT_KEY}.{name}")
                return Call("coalesce", (loaded, default)) if loaded is not None else default
        return Call("coalesce", (loaded, Unknown(raw))) if loaded is not None else Unknown(raw)
    if kind == "binary":
        op = text(node.child_by_field_name("operator")) if node.child_by_field_name("operator") else _operator(node)
        left = to_expr(node.child_by_field_name("left"), depth + 1)
        right = to_expr(node.child_by_field_name("right"), depth + 1)
        if op == "||" and isinstance(left, Env) and left.default is None:
            return Env(left.var, right)
        if op in ("||", "or") and isinstance(left, (Ref, Unknown, Call)) and (isinstance(right, Num) or (
                isinstance(right, Ref) and node.child_by_field_name("right").type in ("constant", "scope_resolution")
                and isinstance(left, (Unknown, Ref)))):
            # round 19 (bosh): `@mbus.connection_wait_timeout || DEFAULT_NATS_CONNECTION_WAIT_TIMEOUT`, the
            # fallback a constant (the pipeline reads it)
            # `config.timeout || 5`, `Settings.api_timeout || 30`: the setting when it is known, else
            # the code's own fallback
            return Call("coalesce", (left, right))
        if op in ("+", "-", "*", "/", "**", "%"):
            folded = BinOp(op, left, right)
            value = evaluate(folded)
            if value.resolved_from == "literal" and as_number(value.value) is not None:
                return Num(float(value.value))  # type: ignore[arg-type]
            return folded
        return Unknown(raw)
    if kind == "call":
        return _call_expr(node, depth)
    return Unknown(raw)


CONFIG_FOR_OF = "$config_for"
CONFIG_FOR_LEAF = "$config-for"


def config_for_name(node: Node | None) -> str | None:
    """The file a `Rails.application.config_for(:risk)` (or `Rails.configuration.config_for("risk")`) loads."""
    if node is None or node.type != "call" or text(node.child_by_field_name("method")) != "config_for":
        return None
    args = node.child_by_field_name("arguments")
    first = args.named_children[0] if args is not None and args.named_children else None
    return symbol_name(first) or string_literal(first) if first is not None else None


def config_for_key(node: Node) -> Expr | None:
    """(round 21, lead: polyglot19) `RISK_CONFIG[:timeout]` / `RISK_CONFIG[:http][:timeout]` on a constant another
    file assigns `Rails.application.config_for(:risk)`: that file's leaf (rails_yaml publishes
    `$config-for.<file>.<key path>` for the production, else shared/default, section; the constant publishes
    `RISK_CONFIG.$config_for` = the file's name)."""
    keys: list[str] = []
    current = node
    while current is not None and current.type == "element_reference":
        obj = current.child_by_field_name("object")
        idx = [c for c in current.named_children if c != obj]
        name = (symbol_name(idx[0]) or string_literal(idx[0])) if len(idx) == 1 else None
        if not name:
            return None
        keys.insert(0, name)
        current = obj
    if current is None or current.type not in ("constant", "scope_resolution") or text(current) in ("ENV",):
        return None
    holder = callee_text(current)
    return Call("config_at", (Call("concat", (Str(f"{CONFIG_FOR_LEAF}."), Ref(f"{holder}.{CONFIG_FOR_OF}"),
                                               Str("." + ".".join(keys)))),))


def _operator(node: Node) -> str:
    for child in node.children:
        if not child.is_named:
            return text(child)
    return ""


def _int(raw: str) -> int | None:
    try:
        return int(raw.replace("_", ""), 0)
    except ValueError:
        return None


def _call_expr(node: Node, depth: int) -> Expr:
    receiver = node.child_by_field_name("receiver")
    method = text(node.child_by_field_name("method"))
    if method == "freeze" and receiver is not None and node.child_by_field_name("arguments") is None:
        return to_expr(receiver, depth + 1)  # `TIMEOUT = '400ms'.freeze`: the same value
    site = call_site(node)
    raw = text(node)
    if receiver is not None and text(receiver) == "ENV" and method == "fetch" and site.args:
        name = string_literal(site.args[0].node)
        if name is None:
            return Unknown(raw)
        default: Expr | None = None
        if len(site.args) > 1:
            default = to_expr(site.args[1].node, depth + 1)
        else:
            block = node.child_by_field_name("block")
            if block is not None:
                body = block.child_by_field_name("body")
                if body is not None and body.named_child_count == 1:
                    default = to_expr(body.named_children[0], depth + 1)
        return Env(name, default)
    if receiver is not None and method == "fetch" and len(site.args) == 2 and \
            receiver.type in ("identifier", "instance_variable") and \
            re.search(r"timeout|tries|retr|attempt|deadline", (symbol_name(site.args[0].node) or
                                                                string_literal(site.args[0].node) or "")):
        # (round 22, bosh-aws-cpi) `tries = args.fetch(:tries, DEFAULT_TRIES).to_i`: an options hash's
        # key with the code's own default (no caller hands one: the default is the setting)
        return to_expr(site.args[1].node, depth + 1)
    if receiver is not None and method in DURATIONS:
        inner = to_expr(receiver, depth + 1)
        if isinstance(inner, Unknown):
            return Unknown(raw)
        factor = DURATIONS[method]
        if factor is None:  # 5.seconds.in_milliseconds: a number of ms; back to seconds
            return _duration(inner, 1.0)
        return _duration(inner, factor)
    if receiver is not None and method == "presence" and not site.args and text(receiver).startswith("ENV"):
        inner = to_expr(receiver, depth + 1)  # `ENV["X"].presence || 2`: the variable, then its fallback
        if isinstance(inner, Env):
            return inner
    if receiver is not None and method in ("to_i_with_method", "to_f_with_method") and not site.args:
        # ManageIQ's `Settings.ems.x.open_timeout.to_f_with_method`: the setting ("60.seconds") in seconds
        inner = to_expr(receiver, depth + 1)
        return Unknown(raw) if isinstance(inner, Unknown) else inner
    if receiver is not None and method in ("to_i", "to_f") and not site.args:
        inner = to_expr(receiver, depth + 1)
        if isinstance(inner, Unknown):
            return Unknown(raw)
        if isinstance(inner, Num):
            return Num(float(int(inner.value))) if method == "to_i" else inner
        return Call(method, (inner,))
    if receiver is None and method in ("Integer", "Float") and len(site.args) >= 1:
        inner = to_expr(site.args[0].node, depth + 1)
        if isinstance(inner, Unknown):
            return Unknown(raw)
        return Call("int" if method == "Integer" else "float", (inner,))
    if receiver is not None and text(receiver) in ("Rails.configuration", "Rails.application.config") or (
            receiver is not None and callee_text(receiver).startswith(("Rails.configuration", "Rails.application.config",
                                                                        "Settings", "Config"))):
        return Ref(callee_text(node))
    if receiver is not None and not site.args and node.child_by_field_name("block") is None:
        key = config_key(receiver, method)
        if key is not None:
            # `IdentityConfig.store.aws_http_timeout`, `Figaro.env.api_timeout`: a key of the app's
            # settings file (config/application.yml ...), published as `$appconfig.<key>`
            return Call("coalesce", (Ref(callee_text(node)), Ref(f"{APP_CONFIG}.{key}")))
    return Unknown(raw)


APP_CONFIG = "$appconfig"
APP_CONFIG_HASH = "$appconfig-hash"
APP_CONFIG_ROOTS = ("APP_CONFIG", "APP_SETTINGS", "APPLICATION_CONFIG")


def app_config_path(node: Node) -> str | None:
    """``APP_CONFIG["ldap"]["timeout"]`` (or ``cfg["timeout"]`` with ``cfg = APP_CONFIG["ldap"]``): the
    dotted path of string or symbol keys into the app's configuration hash, else None."""
    keys: list[str] = []
    seen = 0
    while node is not None and seen < 8:
        seen += 1
        if node.type == "element_reference":
            obj = node.child_by_field_name("object")
            items = [c for c in node.named_children if c != obj]
            if len(items) != 1:
                return None
            key = symbol_name(items[0]) or string_literal(items[0])
            if not key or not re.fullmatch(r"[\w-]+", key):
                return None
            keys.insert(0, key)
            node = obj
        elif node.type == "identifier":
            bound = local_assignment(text(node), node)
            if bound is None or bound.type != "element_reference":
                return None
            node = bound
        elif node.type in ("constant", "scope_resolution"):
            return ".".join(keys) if keys and callee_text(node).split(".")[-1] in APP_CONFIG_ROOTS else None
        else:
            return None
    return None
# `<Const>.store.key` (a typed config object), `Figaro.env.key`, `AppConfig.key`: a settings-file key
_CONFIG_HOLDERS = ("store", "env", "settings")


def config_key(receiver: Node, method: str) -> str | None:
    """The settings-file key a reader names: ``IdentityConfig.store.aws_http_timeout`` ->
    "aws_http_timeout" (a constant's ``store``/``env``/``settings`` reader), ``AppConfig.timeout``
    -> "timeout"; else None."""
    if not method or not (method[0].islower() or method[0] == "_") or method.endswith(("?", "!", "=")):
        return None
    if receiver.type == "identifier":
        bound = local_assignment(text(receiver), receiver)  # `config = IdentityConfig.store` ... `config.x`
        if bound is None or bound.type != "call":
            return None
        receiver = bound
    if receiver.type == "call":
        inner = receiver.child_by_field_name("receiver")
        holder = text(receiver.child_by_field_name("method"))
        if holder in _CONFIG_HOLDERS and inner is not None and inner.type in ("constant", "scope_resolution") \
                and receiver.child_by_field_name("arguments") is None:
            return method
        return None
    if receiver.type in ("constant", "scope_resolution") and callee_text(receiver).endswith(
            ("AppConfig", "AppSettings", "APP_CONFIG", "APP_SETTINGS")):
        return method
    return None


def settle(expr: Expr) -> float | None:
    """The number an expression stands for when it is made of literals only, else None."""
    if isinstance(expr, (Ref, Env)):
        return None
    result = evaluate(expr)
    if result.resolved_from != "literal":
        return None
    return as_number(result.value)


def class_chain(node: Node) -> list[str]:
    """Names of the enclosing classes/modules, outermost first (``A::B`` counts as two)."""
    names: list[str] = []
    for parent in ancestors(node):
        if parent.type in ("class", "module"):
            name = parent.child_by_field_name("name")
            names.insert(0, callee_text(name))
    return [n for part in names for n in part.split(".") if n]


def enclosing_class(node: Node) -> Node | None:
    return enclosing(node, ("class", "module"))


def calls_in(node: Node) -> Iterator[Node]:
    for child in walk(node):
        if child.type == "call":
            yield child


def first_line(node: Node) -> str:
    lines = text(node).splitlines()
    return lines[0].strip()[:200] if lines else ""


def ancestors_of(node: Node) -> Iterator[Node]:
    return ancestors(node)


def ruby_name(node: Node | None) -> str:
    """Source spelling of a constant path (``Faraday::TimeoutError``), whitespace removed."""
    return "".join(text(node).split()) if node is not None else ""
