"""CloudFront origin read timeout (``aws_cloudfront_distribution`` ``custom_origin_config``, seconds)."""

from __future__ import annotations

from contract_discovery.model import Finding
from extractors.base import detector
from extractors.terraform.context import TerraformFile, timeout_finding
from contract_discovery.values import Ref
from extractors.terraform.hcl import Block, literal_string, references, to_expr

ID = "terraform.cloudfront"
RESOURCE_TYPES = ("aws_cloudfront_distribution",)


@detector(ID, "terraform", ["timeout"],
          valid=['resource "aws_cloudfront_distribution" "d" {\n  comment = "origin_read_timeout = 5"\n'
                 '  origin {\n    custom_origin_config {\n      origin_keepalive_timeout = 30\n    }\n  }\n}'],
          invalid=['resource "aws_cloudfront_distribution" "d" {\n  origin {\n    domain_name = aws_lb.api.dns_name\n'
                   '    custom_origin_config {\n      origin_read_timeout = 10\n    }\n  }\n}'])
def detect(block: Block, tf: TerraformFile) -> list[Finding]:
    """CloudFront origin read timeout (``aws_cloudfront_distribution`` ``custom_origin_config``, seconds).

    What it does: an ``origin { custom_origin_config { origin_read_timeout = 10 } }`` is a timeout
    with ``phase: read``: how long CloudFront waits for the origin (a load balancer, an API) to answer
    before it gives the viewer a 504. ``origin`` names the origin's ``domain_name`` (its address,
    ``aws_lb.api``, a ``var.x``, or the literal host) and ``origin_id``. Written values only (CloudFront's 30 s
    default is not reported, like a load balancer's idle timeout); ``origin_keepalive_timeout`` (how
    long an idle connection is kept for reuse) and S3 origins are not read.

    Why it matters: an API behind CloudFront that may take longer than the origin read timeout is cut
    off at the edge, whatever its own and its load balancer's timeouts allow.

    Example: ``origin_read_timeout = 10`` -> ``timeout timeout_ms=10000 phase=read``.
    """
    found = []
    for origin in block.nested("origin"):
        domain = origin.attributes.get("domain_name")
        refs = references(domain.value) if domain is not None else []
        named = to_expr(domain.value) if domain is not None else None
        where = refs[0] if refs else (named.name if isinstance(named, Ref) else
                                      literal_string(domain.value) if domain is not None else None)
        origin_id = origin.attributes.get("origin_id")
        extra = {"origin": where, "origin_id": literal_string(origin_id.value) if origin_id is not None else None}
        for config in origin.nested("custom_origin_config"):
            finding = timeout_finding(tf, config, "origin_read_timeout", scale=1000.0, phase="read", detector=ID,
                                      default_ms=None, extra=extra)
            if finding is not None:
                found.append(finding)
    return found
