"""Load balancer idle timeout (``aws_lb`` / ``aws_alb`` / ``aws_elb`` ``idle_timeout``, seconds)."""

from __future__ import annotations

from contract_discovery.model import Finding
from extractors.base import detector
from extractors.terraform.context import TerraformFile, timeout_finding
from extractors.terraform.hcl import Block

ID = "terraform.load_balancer"
RESOURCE_TYPES = ("aws_lb", "aws_alb", "aws_elb")


@detector(ID, "terraform", ["timeout"],
          valid=['resource "aws_lb" "lb" {\n  name = "idle_timeout"\n}'],
          invalid=['resource "aws_lb" "lb" {\n  idle_timeout = 120\n}'])
def detect(block: Block, tf: TerraformFile) -> list[Finding]:
    """Load balancer idle timeout (``aws_lb`` / ``aws_alb`` / ``aws_elb`` ``idle_timeout``, seconds).

    What it does: reports an explicit ``idle_timeout`` with ``phase: idle``: how long the load
    balancer keeps a connection with no bytes flowing before closing it (60 s default, not reported
    when absent: no check needs it, and every load balancer would otherwise show up).

    Why it matters: a backend that takes longer than the idle timeout to answer a request that sends
    nothing meanwhile is cut off with a 504, whatever the client's own timeout says.

    """
    found = timeout_finding(tf, block, "idle_timeout", scale=1000.0, phase="idle", detector=ID,
                            default_ms=None, extra={})
    return [found] if found else []
