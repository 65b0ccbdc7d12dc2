"""A setting read by key from the project's configuration object, with the code's own fallback (round
22, js2): `ConfigManagerV2.getInstance().get('0x.requestTimeout') || 30000` (hummingbot gateway's 0x
client), `config.get('http.timeoutMs') ?? 5000`, `this.configService.getNumber('RETRY_COUNT') || 3`.

The left side is optional: the key may be missing from the files the getter reads, and the code
then runs with the fallback. Read as the fallback (as `options?.timeout || 5000` is) when the key
names a timeout or a retry bound; a getter the project resolves elsewhere (node-config, an env
schema) keeps its own reading."""

from __future__ import annotations

import re

from extractors import treesitter as ts

_GETTERS = {"get", "getNumber", "getInt", "getValue", "getOrDefault", "getOptional", "getConfig", "getSetting"}
_BOUND_KEY = re.compile(r"(?i)time_?out|ttl|deadline|ms$|millis|retr(y|ies)|attempts|tries")


def optional_config_read(node: ts.Node | None) -> bool:
    """``node`` is `<object>.get('<key>')` (a getter of the project's configuration) whose key names a
    timeout or a retry bound."""
    from extractors.javascript.context import string_value, unwrap
    node = unwrap(node)
    if node is None or node.type != "call_expression":
        return False
    fn = node.child_by_field_name("function")
    if fn is None or fn.type != "member_expression":
        return False
    prop = fn.child_by_field_name("property")
    if prop is None or ts.text(prop) not in _GETTERS:
        return False
    args = node.child_by_field_name("arguments")
    given = [a for a in (args.named_children if args is not None else []) if a.type != "comment"]
    if len(given) != 1:
        return False  # `get('key', 5000)`: a default of its own, read by the getter's detector
    key = string_value(given[0])
    return bool(key) and bool(_BOUND_KEY.search(key.rsplit(".", 1)[-1]))
