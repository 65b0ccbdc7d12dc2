"""(round 18, second-wave fixes) A loop repeating an attempt until it succeeds, within a count.

`let retries = 5; let ok = false; while (retries-- > 0 && !ok) { ok = await this.trySetMode(message, delay) }`
(ring-mqtt's security and modes panels), `let loop = 3; while (!snapshot && loop > 0) { try { snapshot =
await device.getNextSnapshot() } catch { await sleep(1) } loop-- }` (its cameras), `while (NO_ERROR !== res &&
count++ < tenDownloadAttemptMaxCount) { try { ...; res = NO_ERROR } catch { ...; await sleep(d) } }` (ONLYOFFICE's
converter, the bound read from node-config through `ctx.getCfg(key, cfgDefault)`): the loop's condition joins a
counter within a bound and a not-yet-succeeded flag the body sets from an awaited (or yielded) call. The
retry's tries are the counter's: `n-- > 0` / `n > 0` (stepped in the body) from N make N, `n++ < B` / `n < B`
from s make B - s, `<=` one more.

Not a retry: a walk over items (a bound read from `.length`, or the counter indexing something in the body), a
loop without an await / yield in its body, a flag the body never sets, a counter that is not a local `let`/`var`
with a number start."""

from __future__ import annotations

import re

from contract_discovery.values import BinOp, Num, Ref, Unknown
from extractors import treesitter as ts
from extractors.javascript.context import FUNCTION_TYPES, FileContext, RetryScope, descendants, unwrap

ID = "javascript.retry_loop"
_IDENT = r"[A-Za-z_$][\w$]*"


def _parts(condition: ts.Node) -> list[ts.Node] | None:
    node = unwrap(condition)
    if node is None or node.type != "binary_expression" or ts.text(node.child_by_field_name("operator")) != "&&":
        return None
    left, right = unwrap(node.child_by_field_name("left")), unwrap(node.child_by_field_name("right"))
    if left is None or right is None:
        return None
    if left.type == "binary_expression" and ts.text(left.child_by_field_name("operator")) in ("&&", "||") or \
            right.type == "binary_expression" and ts.text(right.child_by_field_name("operator")) in ("&&", "||"):
        return None
    return [left, right]


def _flag(part: ts.Node) -> str | None:
    text = re.sub(r"\s+", "", ts.text(part))
    m = re.fullmatch(rf"!\(?({_IDENT})\)?", text)
    if m:
        return m.group(1)
    m = re.fullmatch(rf"({_IDENT})!==?((?:{_IDENT}\.)*{_IDENT})", text) or \
        re.fullmatch(rf"((?:{_IDENT}\.)*{_IDENT})!==?({_IDENT})", text)
    if m:
        # `res !== constants.NO_ERROR`, `constants.NO_ERROR !== res`: the flag is the plain name
        a, b = m.group(1), m.group(2)
        return a if "." not in a and "." in b else b if "." in a and "." not in b else None
    return None


def _counter(part: ts.Node):
    """(name, op, bound node or None, in-condition step) of `n-- > 0`, `--n > 0`, `n > 0`, `n++ < B`, `n < B`."""
    if part.type != "binary_expression":
        return None
    op = ts.text(part.child_by_field_name("operator"))
    left, right = unwrap(part.child_by_field_name("left")), unwrap(part.child_by_field_name("right"))
    if left is None or right is None:
        return None
    ltext = re.sub(r"\s+", "", ts.text(left))
    m = re.fullmatch(rf"(\+\+|--)?({_IDENT})(\+\+|--)?", ltext)
    if m is None or (m.group(1) and m.group(3)):
        return None
    step = (m.group(1) and "pre" + m.group(1)) or (m.group(3) and "post" + m.group(3)) or ""
    name = m.group(2)
    if op in (">", ">=") and ts.text(right) == "0" and "++" not in step:
        return name, op, None, step
    if op in ("<", "<=") and "--" not in step and right.type in ("identifier", "member_expression", "number") \
            and not ts.text(right).endswith(".length"):
        return name, op, right, step
    return None


def _declared_start(loop: ts.Node, name: str) -> int | None:
    """The number a `let`/`var` counter starts from, declared before the loop in a block enclosing it
    (within its function)."""
    for block in ts.ancestors(loop):
        if block.type in FUNCTION_TYPES or block.type == "method_definition":
            return None
        if block.type not in ("statement_block", "program"):
            continue
        for stmt in block.named_children:
            if stmt.start_byte >= loop.start_byte:
                break
            if stmt.type not in ("lexical_declaration", "variable_declaration") or ts.text(stmt).startswith("const"):
                continue
            for decl in stmt.named_children:
                if decl.type == "variable_declarator" and ts.text(decl.child_by_field_name("name")) == name:
                    value = unwrap(decl.child_by_field_name("value"))
                    if value is not None and value.type == "number" and re.fullmatch(r"\d+", ts.text(value)):
                        return int(ts.text(value))
                    return None
    return None


def _assigned(body: ts.Node, name: str) -> list[ts.Node]:
    return [n for n in descendants(body, stop_at_functions=True)
            if n.type == "assignment_expression" and ts.text(n.child_by_field_name("left")) == name]


def _stepped(body: ts.Node, name: str, sign: str) -> bool:
    pattern = re.compile(rf"^(?:{re.escape(name)}\s*{re.escape(sign * 2)}|{re.escape(sign * 2)}\s*{re.escape(name)}|"
                         rf"{re.escape(name)}\s*{re.escape(sign)}=\s*1)$")
    return any(n.type in ("update_expression", "augmented_assignment_expression") and pattern.match(ts.text(n))
               for n in descendants(body, stop_at_functions=True))


def detect(ctx: FileContext) -> None:
    reported = {f.line for f in ctx.findings if f.kind == "retry"}
    for loop in descendants(ctx.tree.root_node):
        if loop.type != "while_statement":
            continue
        try:
            _loop(ctx, loop, reported)
        except Exception:  # an odd loop costs only this finding
            continue


def _loop(ctx: FileContext, loop: ts.Node, reported: set) -> None:
    line = loop.start_point[0] + 1
    vague = [f for f in ctx.findings if f.kind == "retry" and f.line == line and
             f.attributes.get("max_attempts") is None and not any(p.attribute == "max_attempts" for p in f.pending)]
    if line in reported and not vague:
        return
    if not vague and any(s.node.start_byte <= loop.start_byte < s.node.end_byte for s in ctx.retry_scopes):
        return
    condition, body = loop.child_by_field_name("condition"), loop.child_by_field_name("body")
    parts = _parts(condition) if condition is not None else None
    if parts is None or body is None:
        return
    for counter_part, flag_part in (parts, parts[::-1]):
        counter, flag = _counter(counter_part), _flag(flag_part)
        if counter is not None and flag is not None:
            break
    else:
        return
    name, op, bound, step = counter
    if name == flag:
        return
    start = _declared_start(loop, name)
    if start is None:
        return
    if re.search(rf"\[\s*{re.escape(name)}\s*[\]+\-]", ts.text(body)):
        return  # the counter indexes something: a walk over items
    if not any(n.type in ("await_expression", "yield_expression") for n in descendants(body, stop_at_functions=True)):
        return
    sets = _assigned(body, flag)
    if not sets:
        return
    if bound is None:  # counting down to 0
        if step not in ("post--", "pre--") and not _stepped(body, name, "-"):
            return
        tries = start - 1 if step == "pre--" else start
        if op == ">=":
            tries += 1
        expr = Num(float(tries))
    else:
        if step not in ("post++", "pre++") and not _stepped(body, name, "+"):
            return
        offset = (1 if op == "<=" else 0) - start - (1 if step == "pre++" else 0)
        base = ctx.to_expr(bound)
        if isinstance(base, Unknown):
            from extractors.javascript.detectors.member_timeout_r18fix import _config_key
            key = _config_key(ctx, bound, loop)
            if key is None:
                return
            base = Ref(f"$node-config:{key}")
        expr = base if offset == 0 else BinOp("+", base, Num(float(offset)))
    from extractors.javascript.detectors.retry_loops import _backoff
    attempts, confidence, pending = ctx.count_from_expr(expr)
    target, upending = ctx.first_target_in(body)
    attrs = {"max_attempts": attempts, "backoff": _backoff(ctx, body), "retry_on": None,
             "mechanism": "loop", "library": None}
    if vague:
        # another detector saw the loop but not its count: the counter's tries
        from dataclasses import replace
        for old in vague:
            index = ctx.findings.index(old)
            ctx.findings[index] = replace(old, attributes={**old.attributes, "max_attempts": attempts},
                                          pending=tuple(old.pending) + tuple(pending))
        return
    found = ctx.finding("retry", loop, ID, attrs, "medium", target, pending + upending)
    ctx.retry_scopes.append(RetryScope(body, found.line, target, upending))
    reported.add(found.line)
