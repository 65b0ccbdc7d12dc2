"""Step Functions task timeouts and retriers (``aws_sfn_state_machine`` ``definition``)."""

from __future__ import annotations

import re

from contract_discovery.model import Finding, Pending
from contract_discovery.values import BinOp, Num, Ref, normalise_ms
from extractors import treesitter as ts
from extractors.base import detector
from extractors.terraform.context import LANGUAGE, TerraformFile
from extractors.terraform.hcl import Block

ID = "terraform.step_functions"
RESOURCE_TYPES = ("aws_sfn_state_machine",)
MODULE_SOURCES = ("terraform-aws-modules/step-functions", "terraform-aws-modules/terraform-aws-step-functions")

# `TimeoutSeconds = 30` (jsonencode) or `"TimeoutSeconds": 30` (JSON in a heredoc or string).
_SETTING = re.compile(r'(?<![\w$])\\?"?(TimeoutSeconds|MaxAttempts)\\?"?\s*[=:]\s*(\d+)\b')
_COMMENT = re.compile(r"(#|//)[^\n]*")
_HEARTBEAT = re.compile(r'(?<![\w$])\\?"?HeartbeatSeconds\\?"?\s*[=:]\s*(\d+)\b')
# round 10: `MaxAttempts = var.max_retries` / `TimeoutSeconds = var.timeout` (jsonencode only: a
# module's variable, valued by the resolver: the callers' input or the default)
_SETTING_VAR = re.compile(r'(?<![\w$."])(TimeoutSeconds|MaxAttempts)\s*=\s*(var\.[A-Za-z_][\w-]*)(?![\w.\[])')
_LOCAL_REF = re.compile(r'(?<![\w.])local\.([A-Za-z_][\w-]*)')


def _enclosing_object(text: str, index: int) -> str | None:
    """The text of the innermost ``{ ... }`` holding ``index`` (braces counted, strings ignored)."""
    depth, start = 0, None
    for i in range(index, -1, -1):
        if text[i] == "}":
            depth += 1
        elif text[i] == "{":
            if depth == 0:
                start = i
                break
            depth -= 1
    if start is None:
        return None
    depth = 0
    for j in range(start, len(text)):
        if text[j] == "{":
            depth += 1
        elif text[j] == "}":
            depth -= 1
            if depth == 0:
                return text[start:j + 1]
    return None


def _callback_heartbeats(text: str):
    """(match, seconds) of each callback task's (``...waitForTaskToken``) ``HeartbeatSeconds`` in a
    state with no ``TimeoutSeconds``: the bound on the other service's ``SendTaskSuccess``."""
    for match in _HEARTBEAT.finditer(text):
        state = _enclosing_object(text, match.start())
        if state and "waitForTaskToken" in state and "TimeoutSeconds" not in state:
            yield match, int(match.group(1))


def _findings(tf: TerraformFile, block: Block, attr) -> list[Finding]:
    text = attr.text
    # blank comments (keep offsets) so that a commented-out retrier is not read
    # (a local's HCL object or merge(...) too; not a heredoc or string of JSON, where `//` is in URLs)
    hcl = "jsonencode" in text or (attr.name != "definition" and not text.lstrip().startswith(("<<", '"')))
    text = _COMMENT.sub(lambda m: " " * len(m.group(0)), text) if hcl else text
    start_line, start_column = attr.value.start_point[0] + 1, attr.value.start_point[1] + 1
    found = []
    for match in _SETTING.finditer(text):
        before = text[:match.start()]
        line = start_line + before.count("\n")
        column = (match.start() - before.rfind("\n")) if "\n" in before else start_column + match.start()
        name, value = match.group(1), int(match.group(2))
        common = {"resource": block.address, "setting": name, "expression": match.group(0)}
        if name == "TimeoutSeconds":
            kind = "timeout"
            attrs = {"timeout_ms": normalise_ms(value * 1000.0), "phase": "total", "resolved_from": "literal",
                     **common}
        else:
            kind = "retry"
            attrs = {"max_attempts": value + 1, "backoff": "exponential", "retry_on": "error",
                     "mechanism": "client_config", "library": "aws_step_functions", **common}
        found.append(Finding(kind=kind, path=tf.path, line=line, column=column, end_line=line,
                             end_column=column + len(match.group(0)), language=LANGUAGE, detector=ID,
                             confidence="high", attributes=attrs, evidence=match.group(0)))
    for match in _SETTING_VAR.finditer(text) if hcl else ():
        before = text[:match.start()]
        line = start_line + before.count("\n")
        column = (match.start() - before.rfind("\n")) if "\n" in before else start_column + match.start()
        name, var = match.group(1), Ref(match.group(2))
        common = {"resource": block.address, "setting": name, "expression": match.group(0)}
        if name == "TimeoutSeconds":
            kind = "timeout"
            attrs = {"timeout_ms": None, "phase": "total", "resolved_from": "unresolved", **common}
            pending = (Pending("timeout_ms", var, 1000.0),)
        else:
            kind = "retry"
            attrs = {"max_attempts": None, "backoff": "exponential", "retry_on": "error",
                     "mechanism": "client_config", "library": "aws_step_functions", **common}
            pending = (Pending("max_attempts", BinOp("+", var, Num(1)), 1.0),)
        found.append(Finding(kind=kind, path=tf.path, line=line, column=column, end_line=line,
                             end_column=column + len(match.group(0)), language=LANGUAGE, detector=ID,
                             confidence="medium", attributes=attrs, evidence=match.group(0), pending=pending))
    for match, seconds in _callback_heartbeats(text) if "waitForTaskToken" in text else ():
        before = text[:match.start()]
        line = start_line + before.count("\n")
        column = (match.start() - before.rfind("\n")) if "\n" in before else start_column + match.start()
        attrs = {"timeout_ms": normalise_ms(seconds * 1000.0), "phase": "total", "resolved_from": "literal",
                 "resource": block.address, "setting": "HeartbeatSeconds", "expression": match.group(0)}
        if seconds > 0:
            found.append(Finding(kind="timeout", path=tf.path, line=line, column=column, end_line=line,
                                 end_column=column + len(match.group(0)), language=LANGUAGE, detector=ID,
                                 confidence="high", attributes=attrs, evidence=match.group(0)))
    return found


@detector(ID, "terraform", ["timeout", "retry"],
          valid=['resource "aws_sfn_activity" "a" {\n  name = "TimeoutSeconds = 30"\n}',
                 'resource "aws_sfn_state_machine" "m" {\n  definition = jsonencode({\n'
                 '    # MaxAttempts = 3\n    StartAt = "A"\n  })\n}'],
          invalid=['resource "aws_sfn_state_machine" "m" {\n  definition = jsonencode({\n    States = {\n'
                   '      Call = {\n        TimeoutSeconds = 30\n      }\n    }\n  })\n}'])
def detect(block: Block, tf: TerraformFile) -> list[Finding]:
    """Step Functions task timeouts and retriers (``aws_sfn_state_machine`` ``definition``).

    What it does: in a state machine's ``definition`` written in place (``jsonencode({...})``, a
    heredoc or a string of Amazon States Language), each ``TimeoutSeconds = n`` is a timeout with
    ``phase: total`` (of a Task state, or of the whole execution at the top level) and each
    retrier's ``MaxAttempts = n`` a ``retry`` with ``max_attempts = n + 1`` (``library:
    aws_step_functions``; ``MaxAttempts = 0``: no retry, 1 attempt); a callback task's
    (``...waitForTaskToken``) ``HeartbeatSeconds`` in a state without ``TimeoutSeconds`` is its
    timeout (round 9: the bound on the other service's ``SendTaskSuccess``). The
    ``terraform-aws-modules/step-functions`` module's ``definition`` input is read the same way. Literal numbers only; a
    retrier without ``MaxAttempts`` (3 retries by default) and definitions read from another file
    (``templatefile("sfn.json", ...)``, ``file(...)``) are not read.

    Why it matters: a Task calling a Lambda function or an HTTP endpoint retries it up to n times;
    the callee sees the same input again and must be idempotent.

    Example: ``Retry = [{ ErrorEquals = ["States.ALL"], MaxAttempts = 2 }]`` -> ``retry max_attempts=3``.
    """
    if block.type not in ("resource", "module"):
        return []
    attr = block.attributes.get("definition")
    if attr is None:
        return []
    head = ts.text(attr.value).lstrip()
    found = [] if head.startswith(("templatefile", "file(", "data.", "var.", "local.")) else _findings(tf, block, attr)
    return found + _from_locals(tf, block, attr)


def _from_locals(tf: TerraformFile, block: Block, attr) -> list[Finding]:
    """Round 10: a definition built in the file's ``locals`` (``definition =
    local.state_machine_definition``, itself ``jsonencode({... States = merge(local.base_states,
    local.retry_states)})``): each local the definition reaches, directly or through other locals of
    the same file, is read as the definition is, at its own lines."""
    locals_of_file = {name: a for b in tf.blocks if b.type == "locals" for name, a in b.attributes.items()}
    if not locals_of_file:
        return []
    found: list[Finding] = []
    seen: set[str] = set()
    todo = _LOCAL_REF.findall(attr.text)
    while todo:
        name = todo.pop(0)
        if name in seen or name not in locals_of_file:
            continue
        seen.add(name)
        local = locals_of_file[name]
        text = local.text
        if not text.lstrip().startswith(("templatefile", "file(")):
            found.extend(_findings(tf, block, local))
        todo.extend(_LOCAL_REF.findall(text))
    return found


# round 13: a Step Functions retrier list built in Terraform and handed to a definition template
# (`retry_statement = jsonencode([{ ErrorEquals = ["States.ALL"], MaxAttempts = 6 }])`, the
# template writing `"Retry": ${retry_statement}`): the attempts it allows, published for the
# template's `"Retry"` line (extractors/cloudformation reads the template)
SFN_ATTEMPTS = "$sfn-attempts:"
_ENCODERS = ("jsonencode", "yamlencode", "tolist", "concat")
_STEP_FUNCTIONS_DEFAULT_MAX_ATTEMPTS = 3


def _inner(node):
    while node is not None and node.type in ("expression", "collection_value", "literal_value") \
            and node.named_child_count == 1:
        node = node.named_children[0]
    return node


def retrier_attempts(node) -> "Num | Ref | None":
    """The attempts (first try included) of a retrier list written in HCL: the largest
    ``MaxAttempts`` + 1 of its retriers (Step Functions' 3 when a retrier leaves it out), through
    ``jsonencode(...)``; a ``local.x`` gives the symbol that local publishes; anything else None."""
    node = _inner(node)
    if node is None:
        return None
    if node.type == "function_call":
        name = ts.text(node.named_children[0]).strip() if node.named_children else ""
        args = next((c for c in node.named_children if c.type == "function_arguments"), None)
        first = next((a for a in (args.named_children if args else ()) if a.type == "expression"), None)
        return retrier_attempts(first) if name in _ENCODERS and first is not None else None
    text = ts.text(node).strip()
    if re.fullmatch(r"local\.[A-Za-z_][\w-]*", text):
        return Ref(SFN_ATTEMPTS + text)
    if node.type != "tuple":
        return None
    from extractors.terraform.hcl import object_items, to_expr  # noqa: PLC0415 - avoid a cycle at import
    counts = []
    for element in node.named_children:
        items = dict(object_items(element))
        if "ErrorEquals" not in items:
            continue
        written = items.get("MaxAttempts")
        value = to_expr(written.value) if written is not None else Num(float(_STEP_FUNCTIONS_DEFAULT_MAX_ATTEMPTS))
        if not isinstance(value, Num):
            return None
        counts.append(int(value.value))
    return Num(float(max(counts) + 1)) if counts else None
