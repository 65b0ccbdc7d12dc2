"""(round 21, ts2) An environment variable read through the project's own parsing helper, with the code's
fallback: `const REQUEST_TIMEOUT = optIntegerParam(process.env.GRIST_TEST_UPDATE_REQUEST_TIMEOUT, "") ?? 10000`
(grist's UpdateManager), `envInt(process.env.X) || 5000`, `toNumber(process.env.X) ?? 30_000`. The helper is
unknown here (another file's), but its first argument is the variable and the fallback is what runs when it is
unset: read as that variable with the fallback as its default (a deployment's value wins, as for
`parseInt(process.env.X) || N`)."""

from __future__ import annotations

import re

from contract_discovery.values import Env, Num, Unknown
from extractors import treesitter as ts
from extractors.javascript.context import unwrap

_PARSE_NAME = re.compile(r"(int|integer|num|number|float|parse|env|param|ms|duration|seconds|millis)", re.I)


def env_helper_fallback(left_node: ts.Node | None, left, right):
    """Env(NAME, right) for `helper(process.env.NAME, ...) ?? N` with a helper named for parsing; else None."""
    if not isinstance(left, Unknown) or not isinstance(right, Num) or not right.value:
        return None
    node = unwrap(left_node)
    if node is None or node.type != "call_expression":
        return None
    fn = node.child_by_field_name("function")
    name = ts.text(fn).rsplit(".", 1)[-1] if fn is not None else ""
    if not name or not _PARSE_NAME.search(name):
        return None
    args = node.child_by_field_name("arguments")
    items = [a for a in (args.named_children if args is not None else []) if a.type != "comment"]
    first = unwrap(items[0]) if items else None
    text = ts.text(first) if first is not None else ""
    match = re.fullmatch(r"process\.env(?:\.([A-Za-z_][A-Za-z0-9_]*)|\[\s*['\"]([A-Za-z_][A-Za-z0-9_]*)['\"]\s*\])", text)
    if match is None:
        return None
    return Env(match.group(1) or match.group(2), right)
