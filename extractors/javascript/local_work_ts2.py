"""(round 21, ts2) A retry library wrapped around local work is no contract with another service:
`pRetry(() => $`umount ...`, { retries: 5 })` (umbrel's external storage and RAID:
execa / zx `$` commands), `pRetry(() => execa('mount', args))`, `pRetry(async () => { await fs.rename(a, b) })`.
The retried function does nothing but run local processes or touch the local file system (nothing
outbound is seen in it): local processes, like builds and git checkout, are not counted."""

from __future__ import annotations

import re

from extractors import treesitter as ts
from extractors.javascript.context import descendants

_PROCESS_CALL = re.compile(r"^(\$|\$\.sync|\$\$|execa|execaCommand|execaSync|execa\.command|exec|execSync|execFile|"
                           r"execFileSync|spawn|spawnSync|fork|cp\.\w+|childProcess\.\w+|child_process\.\w+|"
                           r"shell\.exec|zx\.\$)$")
_FS_CALL = re.compile(r"^(fs|fse|fsp|fsPromises|fs\.promises|fsExtra)\.\w+$|^(move|copy|remove|rename|rm|mkdir|"
                      r"mkdirp|ensureDir|writeFile|readFile|unlink|rmdir|stat|lstat|readdir|symlink|chmod|chown)$")
_SAFE = re.compile(r"^(console|logger|log|this\.logger|this\.log)\.|^(JSON|Math|Object|Array|String|Number|path)\.")


def retries_local_work(ctx, fn: ts.Node | None) -> bool:
    """``fn`` (the retried function) runs only local processes or file-system calls."""
    if fn is None:
        return False
    body = fn.child_by_field_name("body") if fn.type != "call_expression" else fn
    if body is None:
        return False
    if ctx.outbound_in(body):
        return False
    calls = [n for n in [body, *descendants(body)] if n.type == "call_expression"]
    if not calls:
        return False
    local = 0
    for call in calls:
        callee = ts.text(call.child_by_field_name("function") or call).replace("?.", ".")
        if _PROCESS_CALL.match(callee) or _FS_CALL.match(callee):
            local += 1
        elif _SAFE.match(callee) or callee.endswith((".trim", ".split", ".join", ".map", ".filter", ".toString")):
            continue
        else:
            return False  # another call (a project helper, a client): not known to be local
    return local > 0


LOCAL_WORK = "$local_work"


def _process_result(node: ts.Node | None) -> bool:
    """`$`cmd``, `$({ env })`cmd``, `execa(cmd, args)`, `await $`...`` (as a returned / awaited value)."""
    from extractors.javascript.context import unwrap
    node = unwrap(node)
    if node is not None and node.type == "await_expression" and node.named_children:
        node = unwrap(node.named_children[0])
    if node is None or node.type != "call_expression":
        return False
    fn = node.child_by_field_name("function")
    while fn is not None and fn.type == "call_expression":  # `$({...})`cmd``: the tag is itself a call
        fn = fn.child_by_field_name("function")
    return fn is not None and bool(_PROCESS_CALL.match(ts.text(fn)))


def local_work_symbols(ctx) -> dict:
    """`<name>.$local_work` for each named function of the file that runs a local process as its result (it
    returns or awaits, last, an execa / zx command: umbrel's `appScript(...)` returning `$({ env })`${script}
    ${command}``, `getDirectorySize` running `du`) and calls nothing outbound: a retry library wrapped
    around a call of it retries local work (``retried_helper_pending``)."""
    from contract_discovery.values import Num
    out: dict = {}
    if b"execa" not in ctx.data and b"zx" not in ctx.data and b"child_process" not in ctx.data:
        return out
    for name, fn in ctx.functions.items():
        body = fn.child_by_field_name("body") if fn is not None else None
        if body is None or "." in name or ctx.outbound_in(body):
            continue
        if body.type != "statement_block":
            if _process_result(body):
                out[f"{name}.{LOCAL_WORK}"] = Num(1)
            continue
        statements = [s for s in body.named_children if s.type != "comment"]
        last = statements[-1] if statements else None
        if last is None:
            continue
        if last.type == "return_statement" and last.named_children and _process_result(last.named_children[0]) or \
                last.type == "expression_statement" and last.named_children and _process_result(last.named_children[0]):
            out[f"{name}.{LOCAL_WORK}"] = Num(1)
            continue
        # `const du = await $`du ...`; return parseInt(du.stdout...)`: a process whose output it parses
        if last.type == "return_statement" and any(
                d.type == "variable_declarator" and _process_result(d.child_by_field_name("value"))
                for s in statements[:-1] for d in ([s] + list(descendants(s, stop_at_functions=True)))):
            calls = [n for n in descendants(body, stop_at_functions=True) if n.type == "call_expression"]
            if all(_PROCESS_CALL.match(ts.text(c.child_by_field_name("function") or c)) or _FS_CALL.match(
                    ts.text(c.child_by_field_name("function") or c)) or _SAFE.match(ts.text(c.child_by_field_name("function") or c))
                   or re.match(r"^(parseInt|parseFloat|Number|String)$|\.(split|trim|join|map|filter|toString)$",
                               ts.text(c.child_by_field_name("function") or c)) for c in calls):
                out[f"{name}.{LOCAL_WORK}"] = Num(1)
    return out


def retried_helper_pending(ctx, fn: ts.Node | None) -> tuple:
    """A `$keep_if` for a retry library call whose retried function is one call of an imported project helper
    (`pRetry(() => appScript(umbreld, 'install', id))`): dropped where that helper's file publishes it as
    local work, kept otherwise."""
    from contract_discovery.model import Pending
    from contract_discovery.resolve import KEEP_IF
    from contract_discovery.values import Call, Num, Ref
    from extractors.javascript.context import unwrap
    if fn is None:
        return ()
    body = unwrap(fn.child_by_field_name("body"))
    if body is not None and body.type == "statement_block":
        statements = [s for s in body.named_children if s.type != "comment"]
        if len(statements) != 1 or statements[0].type not in ("return_statement", "expression_statement") or \
                not statements[0].named_children:
            return ()
        body = unwrap(statements[0].named_children[0])
    if body is not None and body.type == "await_expression" and body.named_children:
        body = unwrap(body.named_children[0])
    if body is None or body.type != "call_expression":
        return ()
    callee = body.child_by_field_name("function")
    if callee is None or callee.type != "identifier" or ts.text(callee) not in ctx.imports:
        return ()
    name = ts.text(callee)
    return (Pending(KEEP_IF, Call("coalesce", (Call("when", (Ref(f"{name}.{LOCAL_WORK}"), Num(0))), Num(1))), None),)
