"""Where a call goes: URL expressions to ``Target`` (literal) or ``Pending("url", ...)`` (names)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from contract_discovery.model import Pending, Target
from contract_discovery.values import BinOp, Expr, Str, Unknown
from extractors.python.analysis import PyFile, _has_ref_or_env, unwrap
from extractors.treesitter import Node

_ID_LIKE = re.compile(r"^(\d+|[0-9a-f-]{16,}|\{.*\}|:.*)$", re.I)


def operation_from_path(url: str) -> str | None:
    """The last meaningful path segment (``http://risk:8080/v1/score`` -> ``score``)."""
    try:
        path = urlsplit(url).path if "://" in url else url.split("?", 1)[0]
    except ValueError:
        return None
    segments = [s for s in path.split("/") if s and not _ID_LIKE.match(s)]
    if not segments:
        return None
    last = segments[-1]
    if re.match(r"^v\d+$", last) or "." in last and "://" not in url and last.count(".") > 1:
        return None
    return last


def _placeholders(value: Expr) -> Expr:
    """Inside a concatenation, unknown parts (parameters, call results) become ``{text}``
    placeholders, so the rest of the URL (host, path) still resolves."""
    if isinstance(value, BinOp) and value.op == "+":
        left, right = value.left, value.right
        left = Str("{" + left.text + "}") if isinstance(left, Unknown) else _placeholders(left)
        right = Str("{" + right.text + "}") if isinstance(right, Unknown) else _placeholders(right)
        return BinOp("+", left, right)
    return value


def _template(value: Expr) -> str:
    if isinstance(value, Str):
        return value.value
    if isinstance(value, BinOp) and value.op == "+":
        return _template(value.left) + _template(value.right)
    return "{x}"


def _leading_is_relative(value: Expr) -> bool:
    while isinstance(value, BinOp):
        value = value.left
    return isinstance(value, Str) and not re.match(r"^[a-z][a-z0-9+.-]*://", value.value)


def url_of(f: PyFile, node: Node | None, base: Node | None = None) -> tuple[Target | None, list[Pending], str | None, str]:
    """(target, pendings, literal url or None, source text) for the URL argument ``node``.

    ``base`` is a client's ``base_url`` when the call passes a relative path."""
    node = unwrap(node)
    if node is None:
        if base is None:
            return None, [], None, ""
        node, base = base, None
    value = f.expr(node)
    text_ = f"{node.text.decode('utf-8', 'replace')}" if node.text else ""
    if base is not None and _leading_is_relative(value):
        value = BinOp("+", f.expr(unwrap(base)), value)
    value = _placeholders(value)
    settled, source = f.settle(value)
    if isinstance(settled, str) and settled and source in ("literal", "constant"):
        return Target(url=settled, operation=operation_from_path(settled)), [], settled, text_
    if _has_ref_or_env(value):
        op = operation_from_path(_template(value))
        return (Target(operation=op) if op else None), [Pending("url", value, None)], None, text_
    if isinstance(value, Unknown):
        return None, [], None, text_
    op = operation_from_path(_template(value)) if isinstance(value, BinOp) else None
    return (Target(operation=op) if op else None), [], None, text_
