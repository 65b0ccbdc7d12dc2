"""Round 20 (lead, polyglot17): a Rails app's custom settings, `config.x.risk.timeout = 5` in
config/application.rb (or an environment file, an initializer), read where a client is built:
`Faraday.new(request: { timeout: Rails.configuration.x.risk.timeout })`.

Each assignment publishes its value under the names a reader uses (`Rails.configuration.x.risk.timeout`,
`Rails.application.config.x.risk.timeout`), and the assignment itself is no client setting: the
setters' own findings there (`config.x.risk.open_timeout = 2` read as a client's `open_timeout=`) are
dropped. The development and test environments are not the deployed service's values.
"""

from __future__ import annotations

import re

from contract_discovery.model import Finding
from contract_discovery.values import Expr, Unknown
from extractors import treesitter as ts
from extractors.ruby import syntax

_CONFIG_X = re.compile(r"^\s*(?:Rails\.application\.)?config\.x\.(?P<path>[a-z_][\w.]*)\s*=[^=]")
_READER_PREFIXES = ("Rails.configuration.x.", "Rails.application.config.x.", "Rails.application.configuration.x.")


def _deployed_config_file(path: str) -> bool:
    if "/config/" not in f"/{path}":
        return False
    return not re.search(r"(?:^|/)config/environments/(?:development|test)\.rb$", path)


def publish(file, path: str) -> dict[str, Expr]:
    """`config.x.<path> = value` assignments of a config file: {reader name: value}."""
    if b"config.x." not in file.data or not _deployed_config_file(path):
        return {}
    out: dict[str, Expr] = {}
    stack = [file.root]
    while stack:
        node = stack.pop()
        stack.extend(node.named_children)
        if node.type != "assignment":
            continue
        left = node.child_by_field_name("left")
        text = re.sub(r"\s+", "", ts.text(left)) if left is not None else ""
        m = re.fullmatch(r"(?:Rails\.application\.)?config\.x\.([a-z_][\w.]*)", text)
        if m is None:
            continue
        expr = syntax.to_expr(node.child_by_field_name("right"))
        if isinstance(expr, Unknown):
            continue
        for prefix in _READER_PREFIXES:
            out.setdefault(prefix + m.group(1), expr)
    return out


def drop_config_x_setters(file, path: str, findings: list[Finding]) -> list[Finding]:
    """A finding made at a `config.x.<path> = value` line is the custom setting, not a client's."""
    if b"config.x." not in file.data:
        return findings
    lines = file.data.decode("utf-8", "replace").splitlines()
    def is_setter(f: Finding) -> bool:
        line = lines[f.line - 1] if 0 < f.line <= len(lines) else ""
        return f.kind in ("timeout", "retry") and bool(_CONFIG_X.match(line))
    return [f for f in findings if not is_setter(f)]
