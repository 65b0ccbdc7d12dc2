"""Duration strings of cloud providers, and a timeout finding for a setting written as one.

GCP writes protobuf durations (``"300s"``, ``"3.5s"``); Azure writes ISO 8601 durations
(``"PT1M"``, ``"PT30S"``, ``"P0DT0H1M0S"``). A literal string settles here; a ``var.x`` holding a
duration string is pending on ``Call("duration_ms", ...)``, which the core evaluator reads once the
variable is resolved."""

from __future__ import annotations

import re
from typing import Any, Callable, Mapping

from contract_discovery.model import Finding, Pending
from contract_discovery.values import BinOp, Call, Num, Ref, Str, normalise_ms
from extractors.terraform.context import TerraformFile, _symbolic, each_value, timeout_finding
from extractors.terraform.hcl import Block, to_expr
from extractors.terraform.hcl import unit_template as hcl_unit_template

_PROTO = re.compile(r"\s*(\d+(?:\.\d+)?)s\s*")
_ISO = re.compile(r"\s*P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?\s*",
                  re.IGNORECASE)


def proto_ms(text: str) -> float | None:
    """``"300s"`` -> 300000.0; anything else -> None."""
    m = _PROTO.fullmatch(text)
    return float(m.group(1)) * 1000.0 if m else None


def iso_ms(text: str) -> float | None:
    """``"PT1M30S"`` -> 90000.0, ``"P1D"`` -> 86400000.0; ``"P"`` / ``"PT"`` / other text -> None."""
    m = _ISO.fullmatch(text)
    if not m or not any(m.groups()):
        return None
    days, hours, minutes, seconds = (float(g) if g else 0.0 for g in m.groups())
    return ((days * 24 + hours) * 60 + minutes) * 60000.0 + seconds * 1000.0


_UNIT_TEMPLATE = re.compile(r'"\$\{\s*((?:var|local)\.[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)?)\s*\}(ms|s|m|h)"')
_TEMPLATE_UNITS = {"ms": 1.0, "s": 1000.0, "m": 60000.0, "h": 3600000.0}
# round 15: `format("%ds", var.autoscaler_timeout)`: a variable formatted with the unit appended
_FORMAT_UNIT = re.compile(r'format\(\s*"%[dv](?P<unit>ms|s|m|h)"\s*,\s*(?P<ref>(?:var|local)\.[A-Za-z_][\w-]*)\s*\)')


def duration_finding(tf: TerraformFile, block: Block, attribute: str, parse: Callable[[str], float | None], *,
                     phase: str, detector: str, default_ms: float | None,
                     extra: Mapping[str, Any]) -> Finding | None:
    """A timeout finding for ``block.<attribute>`` written as a duration string (or absent: the
    provider's default when ``default_ms`` is given)."""
    attr = block.attributes.get(attribute)
    if attr is None:
        return timeout_finding(tf, block, attribute, scale=1.0, phase=phase, detector=detector,
                               default_ms=default_ms, extra=extra)
    expr = (each_value(tf, block, attr) if isinstance(block, Block) else None) or to_expr(attr.value)
    attrs: dict[str, Any] = {"resource": block.address, "setting": attribute, "phase": phase,
                             "expression": attr.text}
    attrs.update(extra)
    ms = parse(expr.value) if isinstance(expr, Str) else None
    if ms is None and isinstance(expr, Num):
        ms = expr.value * 1000.0  # a bare number where a duration is expected: seconds
    if ms is not None:
        attrs.update(timeout_ms=normalise_ms(ms), resolved_from="literal")
        return tf.finding("timeout", attr.node, detector, attrs)
    attrs.update(timeout_ms=None, resolved_from="unresolved")
    template = _UNIT_TEMPLATE.fullmatch(attr.text.strip())
    formatted = _FORMAT_UNIT.fullmatch(attr.text.strip())
    if template is None and formatted is not None:
        settled = BinOp("*", Ref(formatted.group("ref")), Num(_TEMPLATE_UNITS[formatted.group("unit")]))
        return tf.finding("timeout", attr.node, detector, attrs, confidence="medium",
                          pending=(Pending("timeout_ms", settled, 1.0),))
    if template is not None:
        # `"${var.request_timeout_seconds}s"`: a variable with the unit appended
        ref = Ref(template.group(1))
        settled = BinOp("*", ref, Num(_TEMPLATE_UNITS[template.group(2)]))
        return tf.finding("timeout", attr.node, detector, attrs, confidence="medium",
                          pending=(Pending("timeout_ms", settled, 1.0),))
    unit_template = hcl_unit_template(attr.value)
    if unit_template is not None and _symbolic(unit_template[0]):
        # `"${google_cloud_run_service.app.template[0].spec[0].timeout_seconds + 60}s"`: an
        # expression of references (another resource's written attribute, a variable) and a unit
        settled = BinOp("*", unit_template[0], Num(_TEMPLATE_UNITS[unit_template[1]]))
        return tf.finding("timeout", attr.node, detector, attrs, confidence="medium",
                          pending=(Pending("timeout_ms", settled, 1.0),))
    if _symbolic(expr):
        # `var.lock` holding "PT2M" / "300s": the core's duration_ms reads the text once resolved (a
        # bare number where a duration is expected counts seconds, as above)
        settled = Call("duration_ms", (expr,), (("bare", Num(1000.0)),))
        return tf.finding("timeout", attr.node, detector, attrs, confidence="medium",
                          pending=(Pending("timeout_ms", settled, 1.0),))
    return tf.finding("timeout", attr.node, detector, attrs, confidence="low")
