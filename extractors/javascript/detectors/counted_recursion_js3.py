"""(round 19, js3) A self-call carrying a count its function bumps before giving up past a bound.

`CandleUploader.prototype.rawUpload = function(candles, count, next) { axios({...}).then(...).catch(e => {
count++; if (count > 10) { return next() } setTimeout(() => this.rawUpload(candles, count, next), 2000) }) }`
with the one outside call `this.rawUpload(this.candles, 0, ...)` (gekko's candle uploader): the count is the
failures so far; after the k-th failure it is start + k, and the function gives up once that passes the
bound: `> N` makes N - start + 1 tries (11 here), `>= N` N - start. Values the recursion finding
retry_loops left without a count (max_attempts unknown, nothing pending). The start is what every outside call
passes at that position (a number; all the same), or 0 when the parameter has a `= 0` default left out.
A count bumped after the check (before the self-call) is one behind: one more try. Not: a count the self-call
steps itself (`count + 1`: retry_loops reads those), a check that does not give up (no return / throw in its
branch, or a branch that calls the function again), a count never bumped.
"""

from __future__ import annotations

from dataclasses import replace

from extractors import treesitter as ts
from extractors.javascript.context import FileContext, descendants, inside, number_value, unwrap

ID = "javascript.retry_loop"


def detect(ctx: FileContext) -> None:
    open_ = [i for i, f in enumerate(ctx.findings) if f.kind == "retry" and f.detector == ID
             and f.attributes.get("mechanism") == "recursion" and f.attributes.get("max_attempts") is None
             and not any(p.attribute == "max_attempts" for p in f.pending)]
    if not open_:
        return
    from extractors.javascript.detectors.retry_loops import _prototype_methods_js1
    functions = [*ctx.functions.items(), *_prototype_methods_js1(ctx)]
    for index in open_:
        fd = ctx.findings[index]
        for name, fn in functions:
            try:
                tries = _tries(ctx, name, fn, fd.line)
            except Exception:  # noqa: BLE001 - an odd function costs only the count
                tries = None
            if tries is not None:
                ctx.findings[index] = replace(fd, attributes={**fd.attributes, "max_attempts": tries})
                break


def _tries(ctx: FileContext, name: str, fn, line: int) -> int | None:
    selves = [c for c in ctx.calls_in(fn) if c.name == name and c.receiver in ("", "this", "self", "that")
              and c.node.start_point[0] + 1 <= line <= c.node.end_point[0] + 1]
    if len(selves) != 1:
        return None
    again = selves[0]
    params = fn.child_by_field_name("parameters")
    names = [p for p in (params.named_children if params is not None else []) if p.type != "comment"]
    for position, param in enumerate(names):
        pattern = param.child_by_field_name("left") if param.type == "assignment_pattern" else param
        if pattern is None or pattern.type != "identifier":
            continue
        counter = ts.text(pattern)
        handed = unwrap(again.arg(position))
        if handed is None or handed.type != "identifier" or ts.text(handed) != counter:
            continue
        check = _give_up_check(fn, counter, again.node)
        if check is None:
            continue
        op, bound, before = check
        start = _start(ctx, name, fn, position, param)
        if start is None:
            return None
        # (bumped after the check: the k-th failure sees start + k - 1, one more try)
        tries = bound - start + (1 if op == ">" else 0) + (0 if before else 1)
        return int(tries) if tries >= 1 and tries == int(tries) else None
    return None


def _give_up_check(fn, counter: str, again):
    """(op, bound, bumped before) of `counter++; if (counter > N) { return ... }` before the self-call (or the
    check first and `counter++` between it and the self-call)."""
    bumps = [n for n in descendants(fn) if n.type in ("update_expression", "augmented_assignment_expression")
             and ts.text(n).replace(" ", "") in (f"{counter}++", f"++{counter}", f"{counter}+=1")]
    for node in descendants(fn):
        if node.type != "if_statement" or node.start_byte > again.start_byte:
            continue
        cond = unwrap(node.child_by_field_name("condition"))
        if cond is None or cond.type != "binary_expression":
            continue
        op = ts.text(cond.child_by_field_name("operator"))
        left, right = unwrap(cond.child_by_field_name("left")), unwrap(cond.child_by_field_name("right"))
        if left is None or right is None or op not in (">", ">=") or ts.text(left) != counter:
            continue
        bound = number_value(right)
        consequence = node.child_by_field_name("consequence")
        if bound is None or consequence is None or inside(again, consequence):
            continue
        if not any(n.type in ("return_statement", "throw_statement") for n in [consequence, *descendants(consequence)]):
            continue
        before = any(b.start_byte < node.start_byte for b in bumps)
        if not before and not any(node.end_byte <= b.start_byte < again.start_byte for b in bumps):
            continue
        return op, bound, before
    return None


def _start(ctx: FileContext, name: str, fn, position: int, param) -> float | None:
    outside = [c for c in ctx.calls if c.name == name and not inside(c.node, fn)]
    values = set()
    for call in outside:
        arg = unwrap(call.arg(position))
        if arg is None and param.type == "assignment_pattern":
            arg = unwrap(param.child_by_field_name("right"))
        value = number_value(arg)
        if value is None:
            return None
        values.add(value)
    return values.pop() if len(values) == 1 else None
