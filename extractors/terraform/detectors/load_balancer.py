"""Load balancer idle timeout (``aws_lb`` / ``aws_alb`` / ``aws_elb`` ``idle_timeout``, seconds)."""

from __future__ import annotations

import re

from contract_discovery.model import Finding
from extractors.base import detector
from extractors.terraform.context import TerraformFile, timeout_finding
from extractors.terraform.detectors.lambda_function import ARCHIVE_SUFFIX
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


# round 12: a module named for a load balancer (`./org-modules/alb`, `terraform-aws-modules/alb/aws`,
# `git::.../terraform-aws-lb.git`): its `idle_timeout` input when written (its own default unknown)
_LB_MODULE = re.compile(r"(?:^|[-_])(?:alb|nlb|elb|lb|load[-_]?balancer)$")
_NOT_A_LB = re.compile(r"listener|target|rule|alarm|monitor|dns|record|cert|waf|log", re.I)


def other_lb_module(source: str, local: bool = False) -> bool:
    """A module whose name says it makes a load balancer: another organisation's, or (``local``) a
    local path the scanned tree does not hold (a git submodule)."""
    if source.startswith(("./", "../")) and not local:
        return False  # a local module: its own aws_lb is read where it is declared
    path = source.split("?", 1)[0].rstrip("/")
    if path.endswith(".git"):
        path = path[:-4]
    path = ARCHIVE_SUFFIX.sub("", path)  # round 12: a module released as an archive (`.../terraform-lambda.zip`)
    path = path.split("://", 1)[-1]
    repo, _, sub = path.partition("//")
    parts = [p for p in (sub or repo).split("/") if p]
    if not sub and len(parts) >= 3 and parts[-1] == "aws":
        parts = parts[:-1]  # registry form `org/name/provider`
    name = re.sub(r"^terraform-aws-", "", parts[-1].lower()) if parts else ""
    return bool(_LB_MODULE.search(name)) and not _NOT_A_LB.search(name)


def detect_other_module(block: Block, tf: TerraformFile) -> list[Finding]:
    """Another organisation's load-balancer module: its written ``idle_timeout`` (seconds)."""
    found = timeout_finding(tf, block, "idle_timeout", scale=1000.0, phase="idle", detector=ID,
                            default_ms=None, extra={})
    return [found] if found else []
