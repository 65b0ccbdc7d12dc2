"""Google Cloud Workflows written in place (``google_workflows_workflow`` ``source_contents``)."""

from __future__ import annotations

from contract_discovery.model import Finding
from extractors import treesitter as ts
from extractors.base import detector
from extractors.terraform.context import TerraformFile
from extractors.terraform.hcl import Block
from extractors.terraform.workflows import ID, workflow_findings

RESOURCE_TYPES = ("google_workflows_workflow",)


@detector(ID, "terraform", ["retry", "timeout"],
          valid=['resource "google_workflows_workflow" "w" {\n  name = "w"\n'
                 '  source_contents = templatefile("workflows/w.yaml", {})\n}',
                 'resource "google_workflows_workflow" "w" {\n  source_contents = <<-EOF\n  main:\n    steps:\n'
                 '      - get:\n          call: http.get\n          args:\n            url: https://x\n'
                 '          result: r\n  EOF\n}'],
          invalid=['resource "google_workflows_workflow" "w" {\n  source_contents = <<-EOF\n  main:\n    steps:\n'
                   '      - get:\n          try:\n            call: http.get\n            args:\n'
                   '              url: https://x\n              timeout: 30\n          retry: $${http.default_retry}\n'
                   '  EOF\n}'])
def detect(block: Block, tf: TerraformFile) -> list[Finding]:
    """Google Cloud Workflows: retries and timeouts of the workflow's calls.

    What it does: in a Workflows definition (``google_workflows_workflow``'s ``source_contents``
    written in place as a heredoc or string, or a definition file: any YAML whose steps ``call:
    http.*`` / ``googleapis.*``, e.g. the file a ``templatefile()`` reads), a step's ``retry:``
    beside its ``try:`` is a ``retry``: ``${http.default_retry}`` and
    ``${http.default_retry_non_idempotent}`` give 6 attempts (5 retries, documented), a custom
    policy ``max_retries: n`` gives n + 1; a call's ``args.timeout`` (seconds) is a timeout with
    ``phase: total`` (300 s when none is written, not reported).

    Why it matters: a workflow polling a third-party API retries it on 429/5xx and on timeouts;
    the endpoint gets the same request again.

    Example: ``retry: ${http.default_retry}`` -> ``retry max_attempts=6``."""
    if block.type != "resource":
        return []
    attr = block.attributes.get("source_contents")
    if attr is None:
        return []
    raw = ts.text(attr.value)
    start = attr.value.start_point[0]  # 0-based line of the value's first character
    if raw.startswith("<<"):
        body = raw.split("\n", 1)[1] if "\n" in raw else ""
        body = body.rsplit("\n", 1)[0] if "\n" in body else ""
        return workflow_findings(tf.path, body, line_offset=start + 1, resource=block.address)
    return []  # templatefile()/file(): the definition file is read on its own; a one-line string: not read
