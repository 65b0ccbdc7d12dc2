"""What a Terraform detector sees: the file's blocks by address, and helpers that turn a setting
into a complete ``Finding`` (timeouts follow the value conventions of docs/architecture.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from contract_discovery.model import Finding, Pending, Target
from contract_discovery.values import BinOp, Call, Expr, Num, Ref, Str
from contract_discovery.values import normalise_ms
from extractors import treesitter as ts
from extractors.terraform.hcl import Attribute, Block, evidence, object_items, references, to_expr

LANGUAGE = "terraform"


@dataclass
class TerraformFile:
    path: str
    blocks: list[Block]
    by_address: dict[str, Block] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for block in self.blocks:
            self.by_address.setdefault(block.address, block)

    def finding(self, kind: str, node: ts.Node, detector: str, attributes: Mapping[str, Any],
                confidence: str = "high", target: Target | None = None,
                pending: tuple[Pending, ...] = ()) -> Finding:
        line, column, end_line, end_column = ts.location(node)
        return Finding(kind=kind, path=self.path, line=line, column=column, end_line=end_line,
                       end_column=end_column, language=LANGUAGE, detector=detector,
                       confidence=confidence, attributes=dict(attributes),
                       evidence=evidence(node), target=target, pending=pending)


def through_alias(tf: TerraformFile, address: str | None) -> str | None:
    """`aws_lambda_alias.live` -> the function it points at (`aws_lambda_function.risk`) when the
    alias is declared in the same file; other addresses are returned unchanged."""
    if address is None or not address.startswith("aws_lambda_alias."):
        return address
    alias = tf.by_address.get(address)
    target = alias.attributes.get("function_name") if alias is not None else None
    function = next((r for r in references(target.value if target else None)
                     if r.startswith("aws_lambda_function.")), None)
    return function or address


_EACH_VALUE = re.compile(r'each\.value(?:\.([A-Za-z_][\w-]*)|\[\s*"([A-Za-z_][\w-]*)"\s*\])')


def each_value(tf: TerraformFile, block: Block, attr: Attribute) -> Num | Str | None:
    """``timeout = each.value.timeout`` in a resource made ``for_each`` over an object (written in
    place, or a ``locals`` object of the same file) whose members all set that key to the same
    number: that number. Members that differ (one function per member, each its own timeout) or
    that cannot be read give None; the setting then stays unresolved. The resource block's own
    line is where the instances are declared, so one value is all a finding can carry."""
    match = _EACH_VALUE.fullmatch(attr.text.strip())
    holder = block
    if match is None or "for_each" not in holder.attributes:
        return None  # (a nested block's `each` belongs to its resource; not followed)
    key = match.group(1) or match.group(2)
    source = holder.attributes["for_each"].value
    members = object_items(source)
    if not members:
        named = to_expr(source)
        if isinstance(named, Ref) and named.name.startswith("local.") and named.name.count(".") == 1:
            local = named.name.split(".", 1)[1]
            for other in tf.blocks:
                if other.type == "locals" and local in other.attributes:
                    members = object_items(other.attributes[local].value)
                    break
    values = []
    for _, member in members:
        fields = {name: item for name, item in object_items(member.value)}
        value = to_expr(fields[key].value) if key in fields else None
        if not isinstance(value, (Num, Str)):
            return None
        values.append(value)
    if values and all(v == values[0] for v in values):
        return values[0]  # a number, or a string (a duration such as "PT5M") all members agree on
    return None


def _symbolic(expr: Expr) -> bool:
    """True if the expression can be settled by looking names up (var.x, local.x, arithmetic)."""
    if isinstance(expr, Ref):
        return True
    if isinstance(expr, Num):
        return True
    if isinstance(expr, BinOp):
        return _symbolic(expr.left) and _symbolic(expr.right)
    if isinstance(expr, Call):
        return all(_symbolic(a) for a in expr.args)
    return False


def timeout_finding(tf: TerraformFile, block: Block, attribute: str, *, scale: float, phase: str,
                    detector: str, default_ms: float | None, extra: Mapping[str, Any]) -> Finding | None:
    """A timeout finding for ``block.<attribute>`` (a number in units of ``1/scale`` ms).

    Literal -> settled here; `var.x` / `local.x` / arithmetic -> Pending for the core resolver;
    absent -> the provider's documented default (``library_default``) when ``default_ms`` is given.
    """
    attr: Attribute | None = block.attributes.get(attribute)
    attrs: dict[str, Any] = {"resource": block.address, "setting": attribute}
    if attr is None:
        if default_ms is None or block.node.has_error:
            return None  # in a broken block the setting may be there but unreadable
        attrs.update(timeout_ms=normalise_ms(default_ms), phase=phase,
                     resolved_from="library_default", expression="")
        attrs.update(extra)
        return tf.finding("timeout", block.node, detector, attrs, confidence="medium")
    expr = each_value(tf, block, attr) or to_expr(attr.value)
    attrs.update(phase=phase, expression=attr.text)
    attrs.update(extra)
    if isinstance(expr, Num):
        attrs.update(timeout_ms=normalise_ms(expr.value * scale), resolved_from="literal")
        return tf.finding("timeout", attr.node, detector, attrs)
    attrs.update(timeout_ms=None, resolved_from="unresolved")
    if _symbolic(expr):
        return tf.finding("timeout", attr.node, detector, attrs, confidence="medium",
                          pending=(Pending("timeout_ms", expr, scale),))
    return tf.finding("timeout", attr.node, detector, attrs, confidence="low")


def number(attr: Attribute | None) -> float | None:
    if attr is None:
        return None
    expr = to_expr(attr.value)
    return expr.value if isinstance(expr, Num) else None


Detect = Callable[[Block, TerraformFile], "list[Finding]"]
