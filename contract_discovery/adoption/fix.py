"""``fix``: write what a contract declares back into Python code, losslessly (libcst).

Two rewrites, each only where the contract speaks and the rewrite is certain:

- ``timeout`` (check ``missing-timeout``): an outbound ``requests``/``httpx``/``urllib`` call
  with no timeout (or ``timeout=None``) gets the ``timeout`` of the caller's matching
  ``depends_on`` entry, in seconds (``timeout: 500ms`` -> ``timeout=0.5``).
- ``stable-id`` (check ``idempotency``): an ID sent to a provider whose contract dedupes by an
  idempotency key is made once instead of once per attempt: moved before the retry loop, or,
  when it is made at the top of a retried function (``@retry``), that function keeps its name
  and signature, makes the ID and calls the retried body, now ``_<name>_attempt(..., *, id)``.

Everything else in the file (formatting, comments, line endings) is untouched; a case
that is not certain (the call spreads ``**kwargs``, the ID depends on the attempt or the
arguments, a method or a function with other decorators, the consumer's own contract
declares a new ID per attempt, several entries could match) is reported and left alone.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import libcst as cst
from libcst.metadata import MetadataWrapper, ParentNodeProvider, PositionProvider

from contract_discovery.adoption.contracts import Declared, duration_ms, match_entry
from contract_discovery.model import Finding

RULES = {
    "timeout": ("timeout", "missing-timeout", "missing_timeout"),
    "stable-id": ("stable-id", "idempotency", "new-id-per-attempt", "new_id_per_attempt"),
}
TIMEOUT_LIBRARIES = ("requests", "httpx", "urllib", "urllib.request", "urllib3")
STABLE_EXPECTATIONS = ("stable_across_retries", "stable", "same_across_retries", "stable_per_transaction")


def rule_for(name: str) -> str | None:
    for rule, aliases in RULES.items():
        if name in aliases:
            return rule
    return None


@dataclass(frozen=True)
class Edit:
    rule: str
    path: str
    line: int
    message: str


@dataclass(frozen=True)
class Skip:
    rule: str
    path: str
    line: int
    reason: str

    def render(self) -> str:
        return f"{self.path}:{self.line}: {self.rule}: not fixed: {self.reason}"


@dataclass
class FileFix:
    path: str
    old: bytes
    new: bytes
    edits: list[Edit] = field(default_factory=list)

    def diff(self) -> str:
        old = self.old.decode("utf-8", errors="replace").splitlines(keepends=True)
        new = self.new.decode("utf-8", errors="replace").splitlines(keepends=True)
        return "".join(difflib.unified_diff(old, new, fromfile=f"a/{self.path}", tofile=f"b/{self.path}"))


@dataclass
class FixPlan:
    files: list[FileFix] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)


# --- what the contracts say --------------------------------------------------------------------------

def declared_timeout(declared: Declared | None, provider: str, operation: str | None) -> tuple[float | None, str]:
    """The caller's declared timeout (ms) for ``provider``; (None, why) when silent or ambiguous."""
    if declared is None:
        return None, "the caller has no contract"
    entries = [e for e in declared.section("depends_on") if str(e.data.get("service") or "").lower() == provider.lower()]
    if not entries:
        return None, f"the contract declares no dependency on {provider}"
    item = {"service": provider, "operation": operation}
    match = match_entry("depends_on", item, entries, data_of=lambda e: e.data)
    if match is None:
        timeouts = {str(e.data.get("timeout")) for e in entries if e.data.get("timeout") is not None}
        if len(timeouts) != 1:
            return None, f"the contract has several {provider} entries and none names {operation or 'this operation'}"
        match = next(e for e in entries if e.data.get("timeout") is not None)
    value = match.data.get("timeout")
    if value is None:
        return None, f"the contract declares no timeout for {provider}"
    ms = duration_ms(value)
    if ms is None or ms <= 0:
        return None, f"the declared timeout {value!r} is not a duration"
    return ms, f"{match.path}:{match.field_lines.get('timeout') or match.line}"


def provider_expects_stable(declared: Declared | None, operation: str | None) -> tuple[bool, str]:
    if declared is None:
        return False, "the provider has no contract"
    ops = declared.section("operations")
    keyed = [e for e in ops if e.data.get("idempotency_key") and (
        str(e.data.get("expects") or "").lower() in STABLE_EXPECTATIONS or not e.data.get("expects"))]
    if not keyed:
        return False, "the provider's contract declares no idempotency key expected stable across retries"
    if len(keyed) > 1 and operation:
        wanted = operation.lower().strip("/")
        named = [e for e in keyed if str(e.data.get("name") or "").lower().startswith(wanted)
                 or wanted.startswith(str(e.data.get("name") or "").lower() or "\0")]
        if len(named) != 1:
            return False, "several idempotent operations and none matches this call"
        keyed = named
    return True, f"{keyed[0].path}:{keyed[0].line}"


# --- libcst helpers -----------------------------------------------------------------------------------

def _seconds(ms: float) -> str:
    text = f"{ms / 1000:.6f}".rstrip("0").rstrip(".")
    return text or "0"


class _Locate(cst.CSTVisitor):
    METADATA_DEPENDENCIES = (PositionProvider, ParentNodeProvider)

    def __init__(self) -> None:
        self.calls: list[tuple[cst.Call, int, int]] = []

    def visit_Call(self, node: cst.Call) -> None:
        pos = self.get_metadata(PositionProvider, node)
        self.calls.append((node, pos.start.line, pos.start.column))


def _call_at(calls: list[tuple[cst.Call, int, int]], line: int, column: int) -> cst.Call | None:
    exact = [c for c, ln, col in calls if ln == line and col == column - 1]
    if len(exact) == 1:
        return exact[0]
    on_line = [c for c, ln, _ in calls if ln == line and isinstance(c.func, cst.Attribute)
               and c.func.attr.value in ("get", "post", "put", "patch", "delete", "head", "options", "request",
                                         "urlopen", "stream")]
    return on_line[0] if len(on_line) == 1 else None


def _with_timeout(call: cst.Call, seconds: str) -> cst.Call | None:
    value = cst.Float(seconds) if "." in seconds else cst.Integer(seconds)
    args = list(call.args)
    for i, arg in enumerate(args):
        if arg.keyword is not None and arg.keyword.value == "timeout":
            if isinstance(arg.value, cst.Name) and arg.value.value == "None":
                args[i] = arg.with_changes(value=value)
                return call.with_changes(args=args)
            return None
        if arg.star:
            return None
    new_arg = cst.Arg(keyword=cst.Name("timeout"), value=value,
                      equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""),
                                            whitespace_after=cst.SimpleWhitespace("")))
    if not args:
        return call.with_changes(args=[new_arg])
    last = args[-1]
    if isinstance(last.comma, cst.Comma):
        # Trailing comma: the new argument takes the last one's place in the layout.
        between = args[-2].comma if len(args) > 1 and isinstance(args[-2].comma, cst.Comma) else None
        if between is None:
            between = cst.Comma(whitespace_after=call.whitespace_before_args) if isinstance(
                call.whitespace_before_args, cst.ParenthesizedWhitespace) else cst.Comma(
                whitespace_after=cst.SimpleWhitespace(" "))
        args[-1] = last.with_changes(comma=between)
        args.append(new_arg.with_changes(comma=last.comma))
    else:
        args[-1] = last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        args.append(new_arg)
    return call.with_changes(args=args)


class _Rewrite(cst.CSTTransformer):
    def __init__(self) -> None:
        self.calls: dict[cst.Call, cst.Call] = {}
        self.moves: list[tuple[cst.BaseCompoundStatement, cst.SimpleStatementLine]] = []
        self.splits: dict[cst.FunctionDef, tuple[int, str, str]] = {}

    def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef):
        plan = self.splits.get(original_node)
        return _split(updated_node, *plan) if plan is not None else updated_node

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        replacement = self.calls.get(original_node)
        return replacement if replacement is not None else updated_node

    def _rebuild(self, original_body: Iterable[cst.CSTNode], updated_body: list) -> list:
        out = []
        moved_out = {id(stmt) for _, stmt in self.moves}
        carry: tuple = ()
        pairs: list[tuple] = []
        position = 0
        for orig in original_body:
            width = 2 if orig in self.splits else 1  # a split function became two statements
            pairs.extend((orig if k == 0 else None, updated_body[position + k]) for k in range(width))
            position += width
        for orig, upd in pairs:
            if orig is not None and id(orig) in moved_out:
                carry = carry + tuple(orig.leading_lines)
                continue
            if carry:
                upd = upd.with_changes(leading_lines=carry + tuple(upd.leading_lines))
                carry = ()
            for loop, stmt in self.moves:
                if orig is not None and orig is loop:
                    out.append(stmt.with_changes(leading_lines=()))
            out.append(upd)
        return out

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock) -> cst.IndentedBlock:
        return updated_node.with_changes(body=self._rebuild(original_node.body, list(updated_node.body)))

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        return updated_node.with_changes(body=self._rebuild(original_node.body, list(updated_node.body)))


def _names_in(node: cst.CSTNode) -> set[str]:
    found: set[str] = set()

    class V(cst.CSTVisitor):
        def visit_Name(self, n: cst.Name) -> None:
            found.add(n.value)

    node.visit(V())
    return found


def _bound_in(loop: cst.CSTNode) -> set[str]:
    """Names a loop binds: its target and every assignment, for-target, with-target or walrus inside."""
    bound: set[str] = set()

    class V(cst.CSTVisitor):
        def visit_AssignTarget(self, n: cst.AssignTarget) -> None:
            bound.update(_names_in(n.target))

        def visit_AugAssign(self, n: cst.AugAssign) -> None:
            bound.update(_names_in(n.target))

        def visit_AnnAssign(self, n: cst.AnnAssign) -> None:
            bound.update(_names_in(n.target))

        def visit_For(self, n: cst.For) -> None:
            bound.update(_names_in(n.target))

        def visit_NamedExpr(self, n: cst.NamedExpr) -> None:
            bound.update(_names_in(n.target))

        def visit_AsName(self, n: cst.AsName) -> None:
            bound.update(_names_in(n.name))

    loop.visit(V())
    return bound


def _assignments_of(loop: cst.CSTNode, name: str) -> int:
    count = 0

    class V(cst.CSTVisitor):
        def visit_AssignTarget(self, n: cst.AssignTarget) -> None:
            nonlocal count
            if isinstance(n.target, cst.Name) and n.target.value == name:
                count += 1

    loop.visit(V())
    return count


# --- the plan -------------------------------------------------------------------------------------------

def _suppressed(f: Finding, suppressions) -> bool:
    """``# contract-discovery: ignore[...]`` on the finding's line silences the fix as it silences the check."""
    ids = (suppressions or {}).get(f.path, {}).get(f.line) or frozenset()
    rule = "timeout" if f.kind == "missing_timeout" else "stable-id"
    return "*" in ids or any(rule_for(i) == rule for i in ids)


def plan_fixes(root: Path, findings: Iterable[Finding], declared: dict[str, Declared],
               rules: set[str] | None = None, suppressions=None) -> FixPlan:
    plan = FixPlan()
    by_path: dict[str, list[Finding]] = {}
    for f in findings:
        if f.language == "python" and f.kind in ("missing_timeout", "new_id_per_attempt") and f.path.endswith(".py"):
            if _suppressed(f, suppressions):
                plan.skipped.append(Skip(rule_for(f.kind) or f.kind, f.path, f.line, "suppressed by a comment"))
                continue
            by_path.setdefault(f.path, []).append(f)
    for path in sorted(by_path):
        fix = _fix_file(root, path, by_path[path], declared, rules, plan.skipped)
        if fix is not None:
            plan.files.append(fix)
    return plan


def _fix_file(root: Path, path: str, findings: list[Finding], declared: dict[str, Declared],
              rules: set[str] | None, skipped: list[Skip]) -> FileFix | None:
    try:
        data = (root / path).read_bytes()
        module = cst.parse_module(data)
    except (OSError, cst.ParserSyntaxError) as exc:
        skipped.append(Skip("fix", path, 0, f"cannot parse: {exc}"))
        return None
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    locate = _Locate()
    wrapper.visit(locate)
    positions = wrapper.resolve(PositionProvider)
    parents = wrapper.resolve(ParentNodeProvider)
    rewrite = _Rewrite()
    edits: list[Edit] = []
    for f in sorted(findings, key=lambda f: (f.line, f.column)):
        if f.kind == "missing_timeout" and (rules is None or "timeout" in rules):
            _plan_timeout(f, locate.calls, declared, rewrite, edits, skipped)
        elif f.kind == "new_id_per_attempt" and (rules is None or "stable-id" in rules):
            _plan_stable_id(f, locate.calls, positions, parents, declared, rewrite, edits, skipped)
    if not edits:
        return None
    new = module.visit(rewrite).bytes
    if new == data:
        return None
    return FileFix(path, data, new, edits)


def _plan_timeout(f: Finding, calls, declared, rewrite: _Rewrite, edits: list[Edit], skipped: list[Skip]) -> None:
    library = str(f.attributes.get("library") or "")
    if library not in TIMEOUT_LIBRARIES:
        skipped.append(Skip("timeout", f.path, f.line, f"{library or 'this client'} takes its timeout in another form"))
        return
    provider = f.target.service if f.target else None
    if not provider:
        skipped.append(Skip("timeout", f.path, f.line, "the call's target service is unknown"))
        return
    ms, where = declared_timeout(declared.get(f.service or ""), provider, f.target.operation if f.target else None)
    if ms is None:
        skipped.append(Skip("timeout", f.path, f.line, where))
        return
    call = _call_at(calls, f.line, f.column)
    if call is None:
        skipped.append(Skip("timeout", f.path, f.line, "cannot tell which call on this line is meant"))
        return
    updated = _with_timeout(call, _seconds(ms))
    if updated is None:
        skipped.append(Skip("timeout", f.path, f.line, "the call passes **kwargs or a timeout expression"))
        return
    rewrite.calls[call] = updated
    edits.append(Edit("timeout", f.path, f.line, f"timeout={_seconds(ms)} from {where}"))


def _plan_stable_id(f: Finding, calls, positions, parents, declared, rewrite: _Rewrite, edits: list[Edit],
                    skipped: list[Skip]) -> None:
    provider = f.target.service if f.target else None
    if not provider:
        skipped.append(Skip("stable-id", f.path, f.line, "the ID's destination service is unknown"))
        return
    stable, where = provider_expects_stable(declared.get(provider), f.target.operation if f.target else None)
    if not stable:
        skipped.append(Skip("stable-id", f.path, f.line, where))
        return
    own = declared.get(f.service or "")
    for policy in own.section("retry_policies") if own else []:
        on_timeout = policy.data.get("on_timeout")
        if str(policy.data.get("target") or "").split(".")[0] == provider and isinstance(on_timeout, dict) \
                and on_timeout.get("generates_new_request_id") is True:
            skipped.append(Skip("stable-id", f.path, f.line, f"{f.service}'s contract declares generates_new_request_id: "
                                f"true ({policy.path}:{policy.line}); change the contract first"))
            return
    call = next((c for c, ln, col in calls if ln == f.line and col == f.column - 1), None)
    if call is None:
        call = next((c for c, ln, _ in calls if ln == f.line), None)
    if call is None:
        skipped.append(Skip("stable-id", f.path, f.line, "cannot find the ID's generator call"))
        return
    node: cst.CSTNode = call
    statement = None
    while node in parents:
        node = parents[node]
        if isinstance(node, cst.SimpleStatementLine):
            statement = node
            break
    if statement is None:
        skipped.append(Skip("stable-id", f.path, f.line, "the ID is not made by a statement of its own"))
        return
    block = parents.get(statement)
    loop = parents.get(block) if isinstance(block, cst.IndentedBlock) else None
    if isinstance(loop, cst.FunctionDef) and loop.body is block and loop.decorators:
        _plan_split(f, statement, loop, positions, parents, rewrite, edits, skipped, provider, where)
        return
    if not isinstance(loop, (cst.For, cst.While)) or loop.body is not block:
        reason = ("the ID is made inside a retried function, not at its top level" if _in_function(statement, parents)
                  else "the ID is not made directly in the retry loop's body")
        skipped.append(Skip("stable-id", f.path, f.line, reason))
        return
    retry_line = f.attributes.get("retry_line")
    if retry_line and positions[loop].start.line != retry_line:
        skipped.append(Skip("stable-id", f.path, f.line, "the loop around the ID is not the retry loop"))
        return
    body = statement.body
    variable = f.attributes.get("variable")
    if len(body) != 1 or not isinstance(body[0], cst.Assign) or len(body[0].targets) != 1 \
            or not isinstance(body[0].targets[0].target, cst.Name):
        skipped.append(Skip("stable-id", f.path, f.line, "not a simple assignment of the ID"))
        return
    name = body[0].targets[0].target.value
    if variable and name != variable:
        skipped.append(Skip("stable-id", f.path, f.line, f"the statement assigns {name}, not {variable}"))
        return
    if _names_in(body[0].value) & _bound_in(loop):
        skipped.append(Skip("stable-id", f.path, f.line, "the ID depends on a value the loop changes"))
        return
    if _assignments_of(loop, name) != 1:
        skipped.append(Skip("stable-id", f.path, f.line, f"{name} is assigned more than once in the loop"))
        return
    if len(block.body) < 2 or block.body[-1] is statement:
        skipped.append(Skip("stable-id", f.path, f.line, "the ID is the loop's last statement"))
        return
    if isinstance(parents.get(loop), (cst.IndentedBlock, cst.Module)) is False:
        skipped.append(Skip("stable-id", f.path, f.line, "the loop is not a statement of a block"))
        return
    rewrite.moves.append((loop, statement))
    edits.append(Edit("stable-id", f.path, f.line, f"{name} made once before the retry loop (line "
                      f"{positions[loop].start.line}); {provider} expects it stable ({where})"))


def _function_names(module_body: Iterable[cst.CSTNode]) -> set[str]:
    return {n.name.value for n in module_body if isinstance(n, (cst.FunctionDef, cst.ClassDef))}


def _has(node: cst.CSTNode, kinds: tuple) -> bool:
    found = False

    class V(cst.CSTVisitor):
        def on_visit(self, n: cst.CSTNode) -> bool:
            nonlocal found
            if isinstance(n, kinds):
                found = True
            return not found

    node.visit(V())
    return found


def _param_names(params: cst.Parameters) -> set[str]:
    names = {p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)}
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            names.add(star.name.value)
    return names


def _plan_split(f: Finding, statement: cst.SimpleStatementLine, func: cst.FunctionDef, positions, parents,
                rewrite: "_Rewrite", edits: list[Edit], skipped: list[Skip], provider: str, where: str) -> None:
    """An ID made at the top of a retried function: the function keeps its name and signature, makes the
    ID once and calls the retried body, now ``_<name>_attempt`` with the ID as a keyword-only argument."""
    def skip(reason: str) -> None:
        skipped.append(Skip("stable-id", f.path, f.line, reason))

    retry_line = f.attributes.get("retry_line")
    decorator_lines = [positions[d].start.line for d in func.decorators]
    if len(func.decorators) != 1 or (retry_line and retry_line not in decorator_lines + [positions[func].start.line]):
        skip("the retried function has other decorators; split it by hand")
        return
    parent = parents.get(func)
    if not isinstance(parent, cst.Module):
        skip("the retried function is a method or nested function; pass the ID in from the caller")
        return
    body = statement.body
    if len(body) != 1 or not isinstance(body[0], cst.Assign) or len(body[0].targets) != 1 \
            or not isinstance(body[0].targets[0].target, cst.Name):
        skip("not a simple assignment of the ID")
        return
    name = body[0].targets[0].target.value
    if f.attributes.get("variable") and name != f.attributes["variable"]:
        skip(f"the statement assigns {name}, not {f.attributes['variable']}")
        return
    if _names_in(body[0].value) & (_bound_in(func) | _param_names(func.params)) - {name}:
        skip("the ID depends on the function's arguments or locals")
        return
    if name in _param_names(func.params) or _assignments_of(func, name) != 1:
        skip(f"{name} is also an argument or assigned again in the function")
        return
    if _has(func.body, (cst.Yield, cst.Nonlocal, cst.Global)) or _has(func.body, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
        skip("the retried function yields, declares globals or defines functions")
        return
    inner = f"_{func.name.value}_attempt"
    if inner in _function_names(parent.body):
        skip(f"{inner} already exists")
        return
    rewrite.splits[func] = (func.body.body.index(statement), name, inner)
    edits.append(Edit("stable-id", f.path, f.line, f"{name} made once in {func.name.value}(), which now calls the "
                      f"retried {inner}(); {provider} expects it stable ({where})"))


def _docstring(statements: list) -> list:
    """The function's docstring statement (kept on both functions, so help() still reads it)."""
    if statements and isinstance(statements[0], cst.SimpleStatementLine) and len(statements[0].body) == 1 \
            and isinstance(statements[0].body[0], cst.Expr) \
            and isinstance(statements[0].body[0].value, (cst.SimpleString, cst.ConcatenatedString)):
        return [statements[0]]
    return []


def _split(updated: cst.FunctionDef, index: int, name: str, inner: str) -> cst.FlattenSentinel:
    statements = list(updated.body.body)
    statement = statements.pop(index)
    params = updated.params
    args: list[cst.Arg] = [cst.Arg(cst.Name(p.name.value)) for p in (*params.posonly_params, *params.params)]
    if isinstance(params.star_arg, cst.Param):
        args.append(cst.Arg(cst.Name(params.star_arg.name.value), star="*"))
    args += [cst.Arg(cst.Name(p.name.value), keyword=cst.Name(p.name.value),
                     equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")))
             for p in (*params.kwonly_params,)]
    args.append(cst.Arg(cst.Name(name), keyword=cst.Name(name),
                        equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace(""))))
    if isinstance(params.star_kwarg, cst.Param):
        args.append(cst.Arg(cst.Name(params.star_kwarg.name.value), star="**"))
    call: cst.BaseExpression = cst.Call(cst.Name(inner), args)
    if updated.asynchronous is not None:
        call = cst.Await(call)
    outer = updated.with_changes(
        decorators=[],
        leading_lines=tuple(updated.leading_lines) + tuple(updated.lines_after_decorators),
        lines_after_decorators=(),
        body=updated.body.with_changes(body=[*_docstring(statements), statement,
                                             cst.SimpleStatementLine([cst.Return(call)])]))
    extra = cst.Param(cst.Name(name))
    star = params.star_arg if isinstance(params.star_arg, cst.Param) else cst.ParamStar()
    inner_params = params.with_changes(star_arg=star, kwonly_params=[*params.kwonly_params, extra])
    if inner_params.kwonly_params[:-1]:
        inner_params = inner_params.with_changes(kwonly_params=[
            *[p.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))) if p.comma is cst.MaybeSentinel.DEFAULT else p
              for p in params.kwonly_params], extra])
    inner_func = updated.with_changes(
        name=cst.Name(inner), params=inner_params,
        leading_lines=(cst.EmptyLine(), cst.EmptyLine()),
        body=updated.body.with_changes(body=statements))
    return cst.FlattenSentinel([outer, inner_func])


def _in_function(node: cst.CSTNode, parents) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, (cst.For, cst.While)):
            return False
        if isinstance(node, cst.FunctionDef):
            return bool(node.decorators)
    return False
