"""(Round 16) Cloud Functions / Cloud Run services deployed, and Pub/Sub subscriptions patched, by the
``gcloud`` CLI in a ``local-exec`` provisioner of a ``terraform_data`` / ``null_resource`` (when the
provider's resource lacks an option the project needs, it shells out): the flags that bound the
service's work or the redelivery of its events.

- ``gcloud functions deploy`` / ``gcloud run deploy`` with ``--timeout=<value>``: the function's or
  service's request timeout (seconds or a duration). The value written in the command is reported
  at the command's line; a shell variable (``--timeout=$TIMEOUT_SECONDS``) that the provisioner's
  ``environment`` map sets is reported at that map entry, valued from its expression (``var.x``, or
  ``var.x == null ? "" : tostring(var.x)``: the variable, and when it is null the CLI's default).
  A deploy command with no ``--timeout`` gets the platform default at the resource line (Cloud
  Functions 60 s, Cloud Run 300 s), as a ``google_cloudfunctions2_function`` written without one.
- ``gcloud pubsub subscriptions create|update`` with ``--max-delivery-attempts``: the deliveries
  before the dead-letter topic (a retry count, the first delivery included), likewise.

Words in comments (``# --timeout=...``) are not read."""

from __future__ import annotations

import re

from contract_discovery.model import Finding, Pending
from contract_discovery.values import Call, Expr, Num, Ref, duration_text_ms, normalise_ms
from extractors.base import detector
from extractors.terraform.context import TerraformFile
from extractors.terraform.hcl import Block, object_items

ID = "terraform.cli_deploy"
RESOURCE_TYPES = ("terraform_data", "null_resource")

_DEPLOY = re.compile(r"\b(?P<product>functions|run)\s+deploy\b")
_SUBSCRIPTION = re.compile(r"\bpubsub\s+subscriptions\s+(?:create|update)\b")
_DEFAULT_MS = {"functions": 60000.0, "run": 300000.0}
_FLAG = re.compile(r"(?<![\w-])--(?P<flag>timeout|max-delivery-attempts)(?:=|\s+)[\"']?(?P<value>\$\{?[A-Za-z_]\w*\}?"
                   r"|[0-9][0-9a-z.]*)")
_VAR = re.compile(r"\bvar\.([A-Za-z_][\w-]*)\b")


def _commands(block: Block):
    for provisioner in block.nested("provisioner"):
        if provisioner.labels and provisioner.labels[0] != "local-exec":
            continue
        command = provisioner.attributes.get("command")
        if command is not None:
            yield provisioner, command


def _value_expr(text: str) -> Expr | None:
    """The environment entry's value as the one variable it reads (`var.x`, `tostring(var.x)`,
    `var.x == null ? "" : tostring(var.x)`), None when it reads none or several."""
    names = set(_VAR.findall(text))
    if len(names) != 1:
        return None
    return Ref(f"var.{names.pop()}")


def _finding(tf: TerraformFile, block: Block, node, kind: str, flag: str, value: str, env: dict,
             default_ms: float | None) -> Finding | None:
    attrs: dict = {"resource": block.address, "setting": f"--{flag}", "expression": value,
                   "library": "gcloud_cli"}
    if kind == "timeout":
        attrs.update(timeout_ms=None, phase="function", resolved_from="unresolved")
    else:
        attrs.update(max_attempts=None, mechanism="redelivery", retry_on="error")
    if value.startswith("$"):
        name = value.strip("${}")
        entry = env.get(name)
        if entry is None:
            return tf.finding(kind, node, ID, attrs, confidence="low")
        text = entry.text
        expr = _value_expr(text)
        attrs["expression"] = text.split("=", 1)[-1].strip()
        if expr is None:
            return tf.finding(kind, entry.node, ID, attrs, confidence="low")
        if kind == "timeout":
            if "null" in text and default_ms is not None:
                expr = Call("coalesce", (expr, Num(default_ms / 1000.0)))  # null: the CLI's default
            return tf.finding(kind, entry.node, ID, attrs, confidence="medium",
                              pending=(Pending("timeout_ms", expr, 1000.0),))
        return tf.finding(kind, entry.node, ID, attrs, confidence="medium", pending=(Pending("max_attempts", expr, 1.0),))
    if kind == "timeout":
        ms = float(value) * 1000.0 if value.replace(".", "", 1).isdigit() else duration_text_ms(value)
        if ms is None or ms <= 0:
            return None
        attrs.update(timeout_ms=normalise_ms(ms), resolved_from="literal")
    else:
        if not value.isdigit():
            return None
        attrs["max_attempts"] = int(value)
    return tf.finding(kind, node, ID, attrs)


@detector(ID, "terraform", ["timeout", "retry"],
          valid=['resource "terraform_data" "d" {\n  provisioner "local-exec" {\n'
                 '    command = "gcloud storage cp a b  # --timeout=30"\n  }\n}'],
          invalid=['resource "terraform_data" "d" {\n  provisioner "local-exec" {\n'
                   '    command = "gcloud functions deploy f --gen2 --timeout=540s"\n  }\n}'])
def detect(block: Block, tf: TerraformFile) -> list[Finding]:
    """Timeouts and delivery attempts set by ``gcloud`` commands in a ``local-exec`` provisioner.

    What it does: in a ``terraform_data`` / ``null_resource`` whose ``local-exec`` command runs
    ``gcloud functions deploy`` or ``gcloud run deploy``, reports ``--timeout`` (the literal at the
    command's line; a shell variable at the provisioner's ``environment`` entry setting it, valued
    from the Terraform variable it reads), or the platform default at the resource line when the
    command writes none (functions 60 s, Cloud Run 300 s); for ``gcloud pubsub subscriptions
    create|update``, ``--max-delivery-attempts`` likewise (deliveries before dead-lettering).

    Why it matters: projects that deploy with the CLI write these bounds nowhere else.

    Example: ``gcloud functions deploy f --timeout=540s`` -> ``timeout timeout_ms=540000``."""
    out: list[Finding] = []
    for provisioner, command in _commands(block):
        env = {key: attr for key, attr in object_items(
            provisioner.attributes["environment"].value if "environment" in provisioner.attributes else None) if key}
        raw = command.text
        lines = [line.split(" #", 1)[0] if not line.lstrip().startswith("#") else "" for line in raw.splitlines()]
        flat = " ".join(line.replace('"', " ").replace("'", " ") for line in lines)
        deploy = _DEPLOY.search(flat) if "gcloud" in flat else None
        subscription = _SUBSCRIPTION.search(flat) if "gcloud" in flat else None
        if deploy is None and subscription is None:
            continue
        first = command.value.start_point[0] + 1
        default_ms = _DEFAULT_MS[deploy.group("product")] if deploy is not None else None
        timed = False
        for offset, line in enumerate(lines):
            for m in _FLAG.finditer(line):
                flag = m.group("flag")
                if flag == "timeout" and deploy is None or flag == "max-delivery-attempts" and subscription is None:
                    continue
                kind = "timeout" if flag == "timeout" else "retry"
                node = command.value if offset == 0 else None
                found = _finding(tf, block, node if node is not None else command.value, kind, flag,
                                 m.group("value"), env, default_ms)
                if found is None:
                    continue
                if node is None and found.line == first and not m.group("value").startswith("$"):
                    found = _at_line(found, first + offset, line)
                out.append(found)
                timed = timed or kind == "timeout"
        if deploy is not None and not timed:
            attrs = {"resource": block.address, "setting": "--timeout", "expression": "", "library": "gcloud_cli",
                     "timeout_ms": normalise_ms(default_ms), "phase": "function", "resolved_from": "library_default"}
            out.append(tf.finding("timeout", block.node, ID, attrs, confidence="medium"))
    return out


def _at_line(found: Finding, line: int, text: str) -> Finding:
    """A finding moved to one line of a multi-line command."""
    from dataclasses import replace
    column = len(text) - len(text.lstrip()) + 1
    return replace(found, line=line, column=column, end_line=line, end_column=len(text) + 1,
                   evidence=text.strip()[:200])
