"""A retry library's options object named, not written (round 22, js2).

`retry(helper, ASYNC_RETRY_OPTIONS)` with `ASYNC_RETRY_OPTIONS = { retries: 3, ... }` exported by
another file of the project (supaglue's lib/constants.ts, reached through the `lib` index), or
`retry(helper, retryOptions)` inside a helper whose parameter defaults to that constant
(`retryOptions = ASYNC_RETRY_OPTIONS`): the options member is read where the constant is
declared (`ASYNC_RETRY_OPTIONS.retries`, resolved through the imports), and the library's own
default only when that object has no such member. Before, an options object the file could not
see counted as the library's default (async-retry: 10 retries, 11 tries).
"""

from __future__ import annotations

import re

from extractors import treesitter as ts
from contract_discovery.values import Call, Expr, Num, Ref

_PLAIN = re.compile(r"[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*")


def named_options_member(ctx, arg: ts.Node | None, key: str, default: float | None) -> Expr | None:
    """`Ref("<constant>.<key>")` (with the library's default as the fallback) for an options argument
    that names a project constant imported from another file, directly or as a parameter's default;
    None when the argument is an object this file declares (read as before) or names anything else
    (a parameter without a default, a local, a package's export)."""
    from extractors.javascript.context import dotted, unwrap
    from extractors.javascript.detectors.client_options import _project_module
    node = unwrap(arg)
    for _ in range(4):
        if node is None or node.type != "identifier":
            break
        local = unwrap(ctx.local_value(ts.text(node), node))
        if local is None:
            break
        if local.type == "object":
            return None  # a literal this file declares: ctx.props reads it
        node = local
    if node is None or node.type not in ("identifier", "member_expression"):
        return None
    name = dotted(node) if node.type == "member_expression" else ts.text(node)
    if not name or not _PLAIN.fullmatch(name) or name.startswith("this."):
        return None
    head = name.split(".", 1)[0]
    module = ctx.imports.get(head)
    if module is None or not _project_module(ctx, module) or ctx.shadowed(head, node):
        return None
    member = Ref(f"{name}.{key}")
    return Call("coalesce", (member, Num(default))) if default is not None else member


# the retry libraries whose options argument (second) bounds the tries: (key, added to it, default)
_LIBRARIES = {"async-retry": ("retries", 1.0, 10.0), "async-retry.default": ("retries", 1.0, 10.0),
              "p-retry": ("retries", 1.0, 10.0), "p-retry.default": ("retries", 1.0, 10.0),
              "exponential-backoff.backOff": ("numOfAttempts", 0.0, 10.0),
              "exponential-backoff.default.backOff": ("numOfAttempts", 0.0, 10.0)}


def publish_options_defaults(ctx) -> dict[str, Expr]:
    """`retryWhenRateLimited(operation, retryOptions = ASYNC_RETRY_OPTIONS)` handing `retryOptions` to
    async-retry / p-retry / exponential-backoff (rule a there): a call leaving the options out
    (`retryWhenRateLimited(() => client.get(url))`, in this file or another) gets the default's
    tries, published as `<helper>.$attempts_omitted:<k>` / `$attempts_default:<k>` for the calls
    handing k positional arguments (rule b at those calls). A call handing an options object names
    its own count (`_wrapper_counts`, rule c)."""
    from contract_discovery.model import Pending  # noqa: F401  (kept for symmetry with the detectors)
    from contract_discovery.values import BinOp
    from extractors.javascript.context import FUNCTION_TYPES, _parameter_default, unwrap
    from extractors.javascript.detectors.wrapper_call import _helpers
    from extractors.wrappers import ATTEMPTS_DEFAULT, ATTEMPTS_OMITTED
    out: dict[str, Expr] = {}
    calls = [c for c in ctx.calls if not c.is_new and c.qualified in _LIBRARIES and len(c.args) >= 2]
    if not calls:
        return out
    for names, fn in _helpers(ctx):
        if fn.type not in FUNCTION_TYPES:
            continue
        params = fn.child_by_field_name("parameters")
        if params is None:
            continue
        positions = [p for p in params.named_children if p.type != "comment"]
        for call in calls:
            if not (fn.start_byte <= call.node.start_byte and call.node.end_byte <= fn.end_byte):
                continue
            arg = unwrap(call.arg(1))
            if arg is None or arg.type != "identifier":
                continue
            found, default = _parameter_default(fn, ts.text(arg))
            default = unwrap(default)
            if not found or default is None:
                continue
            index = next((i for i, p in enumerate(positions)
                          if ts.text(p.child_by_field_name("pattern") or p.child_by_field_name("left") or p)
                          == ts.text(arg)), None)
            if index is None:
                continue
            key, offset, library_default = _LIBRARIES[call.qualified]
            count: Expr | None = None
            obj = ctx.resolve_object(default)
            if obj is not None:
                props = ctx.props(obj) or {}
                count = ctx.to_expr(props[key]) if key in props else Num(library_default)
            else:
                count = named_options_member(ctx, default, key, library_default)
            if count is None:
                continue
            made = BinOp("+", count, Num(offset)) if offset else count
            for name in names:
                for k in range(index + 1):
                    out.setdefault(f"{name}.{ATTEMPTS_OMITTED}:{k}", Num(1))
                    out.setdefault(f"{name}.{ATTEMPTS_DEFAULT}:{k}", made)
    return out
