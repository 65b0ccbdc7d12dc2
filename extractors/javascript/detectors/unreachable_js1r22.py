"""(round 22, js1) Settings in code that never runs: the statements of a block after its `return`,
`throw`, `break` or `continue` (homebridge-nest's auth() keeps the retired username/password login
after `return false;` under `// eslint-disable-next-line`: its recaptcha request and login POST
are not contracts). Function and class declarations there are hoisted and stay; a statement of a
`switch` case is not looked at. Runs after every other detector and drops their timeout, retry and
outbound findings that start on such a line."""

from __future__ import annotations

from extractors import treesitter as ts
from extractors.javascript.assigned_local_js1r22 import _EXITS, _HOISTED
from extractors.javascript.context import FileContext

ID = "javascript.unreachable"
_KINDS = ("timeout", "retry", "outbound_call", "missing_timeout")


def dead_lines(root: ts.Node) -> set[int]:
    lines: set[int] = set()
    for block in ts.walk(root):
        if block.type not in ("statement_block", "program"):
            continue
        exited = False
        for stmt in block.named_children:
            if exited and stmt.type not in _HOISTED and stmt.type != "comment":
                lines.update(range(stmt.start_point[0] + 1, stmt.end_point[0] + 2))
            elif stmt.type in _EXITS:
                exited = True
    return lines


def detect(ctx: FileContext) -> None:
    if b"return" not in ctx.data and b"throw" not in ctx.data and b"continue" not in ctx.data \
            and b"break" not in ctx.data:
        return
    if not any(f.kind in _KINDS for f in ctx.findings):
        return
    dead = dead_lines(ctx.tree.root_node)
    if dead:
        ctx.findings[:] = [f for f in ctx.findings if not (f.kind in _KINDS and f.line in dead)]
