"""Timeouts and retry bounds handed to a local Terraform module (a wrapper module of the project).

Terraform projects wrap their queues, functions and subscriptions in modules of their own
(`module "orders_queue" { source = "../queue"  visibility_timeout_seconds = 900 }`, the module's
`aws_sqs_queue` or vendor module using `var.visibility_timeout_seconds`, default 300). The round-8
rule for a helper parameter (the same for every language, extractors/wrappers.py) applies to such
a module's variables:

- (a) the module's own setting (`visibility_timeout_seconds = var.visibility_timeout_seconds`) is
  reported where it is, as before;
- (b) each call that leaves a defaulted variable out is reported at its `module "..." {` line with
  the variable's default;
- (c) each call that passes a value is reported at the argument's line with that value.

A module is another directory, so the two halves meet in the pipeline, as for helper functions:

- **publish** (the module's files): a finding whose pending value is exactly a variable
  (`var.x`, or `var.x + 1` for retries counted from 0) publishes ``$tfparam:timeout:var.x`` (ms per
  unit), ``$tfparam:phase:var.x``, ``$tfparam:attempts:var.x`` / ``$tfparam:attempts_offset:var.x``,
  and what a call that leaves it out gets (``$tfomit:timeout:var.x`` = the variable's default in ms,
  ``$tfomit:attempts:var.x``; the default is published by the variable's own file as
  ``$vardefault:var.x``, so no call's input or tfvars value is taken for it).
- **propose** (the calling file): every argument of a local module call becomes a timeout and a
  retry proposal holding ``Pending("$keep_if", …)`` on the child's published names (reached through
  the file's ``imports``: ``$tfmod:<label>`` -> the child's directory); the pipeline keeps the ones
  the child published and values them. Variables a call leaves out are proposed for the option
  names wrapper modules use (the settings' own names: `visibility_timeout_seconds`, `timeout`,
  `max_receive_count` ...); (round 11) a module's other defaulted setting variables
  (`max_sync_retries`) are published as numbered slots (``$tfslot:<kind>:<i>``: the name, and what
  a call leaving it out gets), which every call proposes at its `module` line unless it passes that
  input (``when(not_in(name, *passed), value)``).
"""

from __future__ import annotations

import posixpath

from contract_discovery.model import Finding, Pending
from contract_discovery.resolve import KEEP_IF
from contract_discovery.values import BinOp, Call, Expr, Num, Ref, Str
from extractors.base import detector
from extractors.terraform.context import TerraformFile
from extractors.terraform.hcl import Block, to_expr

ID = "terraform.module_input"

_META_ARGUMENTS = {"source", "version", "providers", "count", "for_each", "depends_on"}

# Names wrapper modules give the variables they hand to a timeout / retry option (the options' own
# names, as the detectors of this extractor read them): a call leaving one out is proposed at its
# `module` line, kept only when the child module publishes that variable as a defaulted setting.
OMITTED_NAMES = (
    "timeout", "timeout_seconds", "timeout_milliseconds", "lambda_timeout", "function_timeout",
    "visibility_timeout_seconds", "visibility_timeout", "message_visibility_timeout",
    "max_receive_count", "maximum_retry_attempts", "max_retry_attempts", "retry_attempts",
    "max_retries", "ack_deadline_seconds", "max_delivery_attempts", "max_delivery_count",
    "lock_duration", "idle_timeout", "integration_timeout_milliseconds",
    "request_timeout_seconds", "request_timeout", "timeout_sec", "attempt_deadline", "task_timeout",
    "execution_timeout", "max_attempts", "retry_count", "ack_deadline",
    # the same settings under the names wrapper modules often give them
    "lambda_timeout_seconds", "function_timeout_seconds", "timeout_in_seconds", "timeout_ms",
    "request_timeout_ms", "visibility_timeout_sec", "queue_visibility_timeout_seconds",
    "sqs_visibility_timeout_seconds", "max_receive", "dlq_max_receive_count", "redrive_max_receive_count",
    "ack_deadline_sec", "idle_timeout_seconds", "integration_timeout",
)


def import_key(label: str) -> str:
    return f"$tfmod:{label}"


def _name(label: str, key: str) -> str:
    return f"{import_key(label)}.{key}"


def _var(expr: Expr) -> str | None:
    return expr.name if isinstance(expr, Ref) and expr.name.startswith("var.") and expr.name.count(".") == 1 else None


def _timeout_param(expr: Expr, scale: float) -> tuple[str, float] | None:
    """(variable, ms per unit of a bare number) of a timeout's pending value that is one variable:
    `var.x` (scale), `var.x * 1000`, `duration_ms(var.x, bare=1000)` (a duration string or seconds),
    `float(var.x)`."""
    if _var(expr):
        return _var(expr), scale
    if isinstance(expr, BinOp) and expr.op == "*" and _var(expr.left) and isinstance(expr.right, Num):
        return _var(expr.left), scale * float(expr.right.value)
    if isinstance(expr, Call) and expr.func == "coalesce" and len(expr.args) == 2 and _var(expr.args[0]) \
            and isinstance(expr.args[1], Num):
        return _var(expr.args[0]), scale  # round 16: the variable, or a CLI's default when it is null
    if isinstance(expr, Call) and len(expr.args) == 1 and _var(expr.args[0]):
        if expr.func == "duration_ms":
            bare = dict(expr.kwargs).get("bare")
            return (_var(expr.args[0]), scale * float(bare.value)) if isinstance(bare, Num) else None
        if expr.func in ("float", "int"):
            return _var(expr.args[0]), scale
    return None


def _param_of(expr: Expr) -> tuple[str, float] | None:
    """`var.x` -> ("var.x", 0); `var.x + 1` / `1 + var.x` -> ("var.x", 1)."""
    if isinstance(expr, Ref) and expr.name.startswith("var.") and expr.name.count(".") == 1:
        return expr.name, 0.0
    if isinstance(expr, BinOp) and expr.op == "+":
        left, right = expr.left, expr.right
        if isinstance(right, Ref) and isinstance(left, Num):
            left, right = right, left
        if isinstance(left, Ref) and isinstance(right, Num) and left.name.startswith("var.") \
                and left.name.count(".") == 1:
            return left.name, float(right.value)
    return None


def publish(findings: list[Finding]) -> dict[str, Expr]:
    """What a module's findings say of its variables, for the calls of the module (see above)."""
    out: dict[str, Expr] = {}
    for finding in findings:
        if finding.detector == ID:
            out.update(_chain(finding))  # a module handing its own variable on to another module
            continue
        for pending in finding.pending:
            if finding.kind == "timeout" and pending.attribute == "timeout_ms":
                found = _timeout_param(pending.expr, pending.scale if pending.scale is not None else 1.0)
                if found is None:
                    continue
                name, unit = found
                out.setdefault(f"$tfparam:timeout:{name}", Num(unit))
                out.setdefault(f"$tfparam:phase:{name}", Str(str(finding.attributes.get("phase") or "total")))
                omitted: Expr = Ref(f"$vardefault:{name}")
                if isinstance(pending.expr, Call) and pending.expr.func == "coalesce":
                    omitted = Call("coalesce", (omitted, pending.expr.args[1]))  # round 16: null -> the default
                out.setdefault(f"$tfomit:timeout:{name}", _as_ms(omitted, Num(unit)))
                continue
            param = _param_of(pending.expr)
            if param is None:
                continue
            name, offset = param
            if finding.kind == "retry" and pending.attribute == "max_attempts":
                out.setdefault(f"$tfparam:attempts:{name}", Num(1))
                out.setdefault(f"$tfparam:attempts_offset:{name}", Num(offset))
                out.setdefault(f"$tfomit:attempts:{name}", BinOp("+", Ref(f"$vardefault:{name}"), Num(offset)))
                for key in ("mechanism", "library"):
                    value = finding.attributes.get(key)
                    if isinstance(value, str):
                        out.setdefault(f"$tfparam:{key}:{name}", Str(value))
    out.update(_slots(out))
    return out


# (round 11) a module's defaulted setting variables under names OMITTED_NAMES does not list
# (`max_sync_retries`): numbered slots a call leaving them out is proposed for (see propose)
OMITTED_SLOTS = 4


def _slots(published: dict[str, Expr]) -> dict[str, Expr]:
    """``$tfslot:<kind>:<i>`` = the variable's name and ``$tfslot:<kind>:<i>:<what>`` = what a call
    leaving it out gets, for the published settings' variables not named in OMITTED_NAMES, in name
    order (the first OMITTED_SLOTS of each kind)."""
    out: dict[str, Expr] = {}
    for kind, parts in (("timeout", ("phase",)), ("attempts", ("mechanism", "library"))):
        names = sorted(key[len(f"$tfomit:{kind}:"):] for key in published if key.startswith(f"$tfomit:{kind}:"))
        names = [n for n in names if n.startswith("var.") and n[len("var."):] not in OMITTED_NAMES]
        for index, name in enumerate(names[:OMITTED_SLOTS]):
            slot = f"$tfslot:{kind}:{index}"
            out[slot] = Str(name[len("var."):])
            out[f"{slot}:value"] = published[f"$tfomit:{kind}:{name}"]
            for part in parts:
                value = published.get(f"$tfparam:{part}:{name}")
                if value is not None:
                    out[f"{slot}:{part}"] = value
    return out


def _chain(proposal: Finding) -> dict[str, Expr]:
    """A call passing this module's own variable (`request_timeout_seconds =
    var.request_timeout_seconds`) to a module that uses it as a setting: this module's variable is
    such a setting too (as the child's, one level up), so the calls of this module are proposed
    and valued the same way (helper chains, as extractors/wrappers.py does for functions)."""
    if proposal.attributes.get("given") != "passed":
        return {}
    value = next((p.expr for p in proposal.pending if p.attribute in ("timeout_ms", "max_attempts")), None)
    passed = value.args[0] if isinstance(value, Call) and value.args else (
        value.left if isinstance(value, BinOp) else None)
    name = _var(passed) if passed is not None else None
    resource = str(proposal.attributes.get("resource") or "")
    setting = str(proposal.attributes.get("setting") or "")
    if name is None or not resource.startswith("module.") or not setting:
        return {}
    label, child = resource[len("module."):], f"var.{setting}"
    if proposal.kind == "timeout":
        unit = Ref(_name(label, f"$tfparam:timeout:{child}"))
        return {f"$tfparam:timeout:{name}": unit,
                f"$tfparam:phase:{name}": Ref(_name(label, f"$tfparam:phase:{child}")),
                f"$tfomit:timeout:{name}": _as_ms(Ref(f"$vardefault:{name}"), unit)}
    offset = Ref(_name(label, f"$tfparam:attempts_offset:{child}"))
    out: dict[str, Expr] = {f"$tfparam:attempts:{name}": Ref(_name(label, f"$tfparam:attempts:{child}")),
                            f"$tfparam:attempts_offset:{name}": offset,
                            f"$tfomit:attempts:{name}": BinOp("+", Ref(f"$vardefault:{name}"), offset)}
    for key in ("mechanism", "library"):
        out[f"$tfparam:{key}:{name}"] = Ref(_name(label, f"$tfparam:{key}:{child}"))
    return out


def _as_ms(value: Expr, unit: Expr) -> Expr:
    """A value handed to a timeout setting, in ms: a duration string (`"600s"`) as it says, a
    number in the setting's unit."""
    return Call("duration_ms", (value,), (("bare", unit),))


def child_dir(block: Block, module: str) -> str | None:
    """The directory of a local module call's child (relative to the scan root), else None."""
    source_attr = block.attributes.get("source")
    source = to_expr(source_attr.value) if source_attr is not None else None
    if not isinstance(source, Str) or not source.value.startswith(("./", "../")):
        return None
    child = posixpath.normpath(posixpath.join(module, source.value))
    return child if child != module else None


def propose(block: Block, tf: TerraformFile, module: str) -> tuple[list[Finding], dict[str, str]]:
    """The proposals of one local module call and the import that leads to its child."""
    if block.type != "module" or not block.labels:
        return [], {}
    child = child_dir(block, module)
    if child is None:
        return [], {}
    label = block.labels[0]
    resource = f"module.{label}"
    found: list[Finding] = []
    passed = set()
    for arg, attr in block.attributes.items():
        if arg in _META_ARGUMENTS:
            continue
        passed.add(arg)
        value = to_expr(attr.value)
        var = f"var.{arg}"
        scale = Ref(_name(label, f"$tfparam:timeout:{var}"))
        found.append(tf.finding("timeout", attr.node, ID, {
            "timeout_ms": None, "phase": None, "resolved_from": "unresolved", "expression": attr.text,
            "resource": resource, "setting": arg, "module_source": child, "given": "passed"},
            confidence="medium", pending=(
                Pending(KEEP_IF, scale), Pending("timeout_ms", _as_ms(value, scale), 1.0),
                Pending("phase", Ref(_name(label, f"$tfparam:phase:{var}")), None))))
        found.append(tf.finding("retry", attr.node, ID, {
            "max_attempts": None, "mechanism": None, "library": None, "expression": attr.text,
            "resource": resource, "setting": arg, "module_source": child, "given": "passed"},
            confidence="medium", pending=(
                Pending(KEEP_IF, Ref(_name(label, f"$tfparam:attempts:{var}"))),
                Pending("max_attempts", BinOp("+", value, Ref(_name(label, f"$tfparam:attempts_offset:{var}"))), 1.0),
                Pending("mechanism", Ref(_name(label, f"$tfparam:mechanism:{var}")), None),
                Pending("library", Ref(_name(label, f"$tfparam:library:{var}")), None))))
    for arg in OMITTED_NAMES:
        if arg in passed:
            continue
        var = f"var.{arg}"
        omitted = Ref(_name(label, f"$tfomit:timeout:{var}"))
        found.append(tf.finding("timeout", block.node, ID, {
            "timeout_ms": None, "phase": None, "resolved_from": "unresolved", "expression": "",
            "resource": resource, "setting": arg, "module_source": child, "given": "default"},
            confidence="medium", pending=(
                Pending(KEEP_IF, omitted),
                Pending("timeout_ms", omitted, 1.0),
                Pending("phase", Ref(_name(label, f"$tfparam:phase:{var}")), None))))
        found.append(tf.finding("retry", block.node, ID, {
            "max_attempts": None, "mechanism": None, "library": None, "expression": "",
            "resource": resource, "setting": arg, "module_source": child, "given": "default"},
            confidence="medium", pending=(
                Pending(KEEP_IF, Ref(_name(label, f"$tfomit:attempts:{var}"))),
                Pending("max_attempts", Ref(_name(label, f"$tfomit:attempts:{var}")), 1.0),
                Pending("mechanism", Ref(_name(label, f"$tfparam:mechanism:{var}")), None),
                Pending("library", Ref(_name(label, f"$tfparam:library:{var}")), None))))
    not_passed = tuple(Str(arg) for arg in sorted(passed))
    for index in range(OMITTED_SLOTS):
        slot = f"$tfslot:timeout:{index}"
        value = Ref(_name(label, f"{slot}:value"))
        found.append(tf.finding("timeout", block.node, ID, {
            "timeout_ms": None, "phase": None, "resolved_from": "unresolved", "expression": "",
            "resource": resource, "setting": None, "module_source": child, "given": "default"},
            confidence="medium", pending=(
                Pending(KEEP_IF, Call("when", (Call("not_in", (Ref(_name(label, slot)), *not_passed)), value))),
                Pending("timeout_ms", value, 1.0),
                Pending("setting", Ref(_name(label, slot)), None),
                Pending("phase", Ref(_name(label, f"{slot}:phase")), None))))
        slot = f"$tfslot:attempts:{index}"
        value = Ref(_name(label, f"{slot}:value"))
        found.append(tf.finding("retry", block.node, ID, {
            "max_attempts": None, "mechanism": None, "library": None, "expression": "",
            "resource": resource, "setting": None, "module_source": child, "given": "default"},
            confidence="medium", pending=(
                Pending(KEEP_IF, Call("when", (Call("not_in", (Ref(_name(label, slot)), *not_passed)), value))),
                Pending("max_attempts", value, 1.0),
                Pending("setting", Ref(_name(label, slot)), None),
                Pending("mechanism", Ref(_name(label, f"{slot}:mechanism")), None),
                Pending("library", Ref(_name(label, f"{slot}:library")), None))))
    return found, {import_key(label): child}


@detector(ID, "terraform", ["timeout", "retry"],
          valid=['module "q" {\n  source = "terraform-aws-modules/sqs/aws"\n  visibility_timeout_seconds = 60\n}\n'],
          invalid=['module "orders_queue" {\n  source = "./modules/queue"\n  visibility_timeout_seconds = 900\n}\n'])
def detect(block: Block, tf: TerraformFile) -> list[Finding]:
    """Timeouts and retry bounds handed to the project's own Terraform modules.

    What it does: a call of a local module (`module "orders_queue" { source = "../queue"
    visibility_timeout_seconds = 900 }`) whose module hands that variable to a timeout or retry
    setting (an SQS queue's visibility timeout or maxReceiveCount, a Lambda's timeout, a Pub/Sub
    ack deadline ...) is reported at the argument's line with the value it passes; a call that leaves
    a defaulted variable out is reported at its `module` line with the variable's default. The
    module's own setting is reported where it is, as before. The calls' findings are proposals the
    pipeline keeps only when the module's files say the variable is such a setting.

    Why it matters: each instance of a wrapper module is its own queue or function with its own
    limit; the module's line alone has no single value when the instances differ.

    Example: `visibility_timeout_seconds = 900` in a call of `../queue` -> `timeout timeout_ms=900000
    phase=visibility`."""
    return propose(block, tf, posixpath.dirname(tf.path) or ".")[0]
