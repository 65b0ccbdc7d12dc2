"""A container's own timeout and retry settings handed to it by an ECS task definition: the
``environment`` entries of ``container_definitions`` (a heredoc or a string of JSON, or
``jsonencode([...])``) whose names say a call's bound, read with the rules of the Kubernetes
``service_settings`` detector (``UPSTREAM_TIMEOUT_MS``, ``WEBHOOK_MAX_RETRY``, word by word
``Worker__MaxTaskTimeout``). The service's code may live in another repository (an image): these
lines are then the only evidence of its limits.

Values: a number or a duration written there (``"2500"`` with a ``_MS`` name, ``"30s"``); a
``var.x`` / ``local.x`` (``"${var.task_timeout}"``, ``value = var.task_timeout``) resolved in the
module, its unit from the name or else from the variable's description (``"The max amount of
seconds ..."``: the ``$tfunit:var.x`` symbol a variable with such a description publishes). A bare
number whose unit nothing says is not reported; a reference nothing settles (another module's
output) is reported unresolved."""

from __future__ import annotations

import re
from typing import Any

from contract_discovery.model import Finding, Pending
from contract_discovery.values import BinOp, Call, Expr, Num, Ref, duration_text_ms, normalise_ms
from extractors.base import detector
from extractors.kubernetes.detectors.service_settings import setting_kind
from extractors.kubernetes.helm import unit_of_text
from extractors.terraform.context import LANGUAGE, TerraformFile
from extractors.terraform.hcl import Block

ID = "terraform.container_settings"
RESOURCE_TYPES = ("aws_ecs_task_definition",)

_NAME = re.compile(r'"?name"?\s*[:=]\s*"([^"]+)"')
_VALUE = re.compile(r'"?value"?\s*[:=]\s*("(?:[^"\\]|\\.)*"|[A-Za-z_][\w.()\[\]"]*|\d+(?:\.\d+)?)')
# round 10: or a local module's output, `module.<label>.<output>` (resolved through the child's `output`)
_INTERPOLATION = re.compile(r'^"\$\{\s*((?:var|local)\.[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)?'
                            r'|module\.[A-Za-z_][\w-]*\.[A-Za-z_][\w-]*)\s*\}"$')
_REFERENCE = re.compile(r"^(?:tostring\()?((?:var|local)\.[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)?"
                        r"|module\.[A-Za-z_][\w-]*\.[A-Za-z_][\w-]*)\)?$")
MAX_LINES = 5000


def variable_units(block: Block) -> dict[str, Expr]:
    """``$tfunit:var.x`` -> ms per unit, for a variable whose description names its unit."""
    if block.type != "variable" or not block.labels or "description" not in block.attributes:
        return {}
    unit = unit_of_text(block.attributes["description"].text)
    return {f"$tfunit:var.{block.labels[0]}": Num(unit)} if unit is not None else {}


def _finding(tf: TerraformFile, block: Block, number: int, line: str, name: str, value: str) -> Finding | None:
    kind = setting_kind(name)
    if kind is None:
        return None
    column = len(line) - len(line.lstrip()) + 1
    attrs: dict[str, Any] = {"resource": block.address, "setting": name, "expression": value}
    text = value.strip()
    literal = text[1:-1] if text.startswith('"') and text.endswith('"') else text
    ref = _INTERPOLATION.match(text) or _REFERENCE.match(text)
    pending: tuple[Pending, ...] = ()
    confidence = "high"
    if kind[0] == "timeout":
        attrs.update(phase=kind[3], timeout_ms=None, resolved_from="unresolved")
        if ref is not None:
            expr: Expr = Ref(ref.group(1))
            bare: Expr = Num(kind[2]) if kind[2] is not None else Ref(f"$tfunit:{ref.group(1)}")
            pending = (Pending("timeout_ms", Call("duration_ms", (expr,), (("bare", bare),)), 1.0),)
            confidence = "medium"
        elif "${" in literal or "(" in literal:
            confidence = "low"  # another module's output, a function: nothing to settle here
        else:
            ms = duration_text_ms(literal) if not literal.replace(".", "", 1).isdigit() else (
                float(literal) * kind[2] if kind[2] is not None else None)
            if ms is None or ms <= 0:
                return None  # a number whose unit nothing says, or no timeout
            attrs.update(timeout_ms=normalise_ms(ms), resolved_from="literal")
    else:
        attrs.update(max_attempts=None, mechanism="client_config", library=None)
        if ref is not None:
            pending = (Pending("max_attempts", BinOp("+", Ref(ref.group(1)), Num(kind[1])), 1.0),)
            confidence = "medium"
        elif literal.isdigit():
            attrs["max_attempts"] = int(literal) + int(kind[1])
        else:
            return None
    return Finding(kind=kind[0], path=tf.path, line=number, column=column, end_line=number,
                   end_column=len(line) + 1, language=LANGUAGE, detector=ID, confidence=confidence,
                   attributes=attrs, evidence=line.strip()[:200], pending=pending)


@detector(ID, "terraform", ["timeout", "retry"],
          valid=['resource "aws_ecs_task_definition" "t" {\n  container_definitions = jsonencode([{\n'
                 '    name = "app"\n    environment = [{ name = "REDIS_IDLE_TIMEOUT_SECONDS", value = "300" },\n'
                 '      { name = "LOG_LEVEL", value = "info" }]\n  }])\n}'],
          invalid=['resource "aws_ecs_task_definition" "t" {\n  container_definitions = jsonencode([{\n'
                   '    name = "app"\n    environment = [{ name = "UPSTREAM_TIMEOUT_MS", value = "2500" }]\n  }])\n}'])
def detect(block: Block, tf: TerraformFile) -> list[Finding]:
    """Timeout and retry settings an ECS task definition hands to its containers.

    What it does: reads the ``environment`` entries of ``container_definitions`` (heredoc or string
    JSON, ``jsonencode``) line by line; an entry whose name says a call's timeout or retry bound
    (``UPSTREAM_TIMEOUT_MS``, ``WEBHOOK_MAX_RETRY``, ``Worker__MaxTaskTimeout``) is reported at its
    name's line, valued from the literal, or from the ``var.x`` / ``local.x`` it reads, with the unit
    its name or the variable's description gives. Idle, keep-alive, session, backoff, interval,
    log and health-check names are not read, nor a bare number whose unit nothing says.

    Why it matters: when the service's image is built elsewhere, the task definition is the only
    place its limits are written.

    Example: ``{ name = "UPSTREAM_TIMEOUT_MS", value = "2500" }`` -> ``timeout timeout_ms=2500``."""
    attr = block.attributes.get("container_definitions")
    if attr is None:
        return []
    text = attr.text
    if "environment" not in text:
        return []
    first = attr.value.start_point[0] + 1
    lines = text.splitlines()[:MAX_LINES]
    out: list[Finding] = []
    pending_name: tuple[int, str, str] | None = None
    for offset, line in enumerate(lines):
        number = first + offset
        name = _NAME.search(line)
        value = _VALUE.search(line)
        if name is not None:
            pending_name = (number, line, name.group(1))
        if value is not None and pending_name is not None and (name is None or value.start() > name.start()):
            found = _finding(tf, block, pending_name[0], pending_name[1], pending_name[2], value.group(1))
            if found is not None:
                out.append(found)
            pending_name = None
    return out
