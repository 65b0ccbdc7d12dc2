"""RDS Proxy connection borrow timeout (``aws_db_proxy_default_target_group``)."""

from __future__ import annotations

from contract_discovery.model import Finding
from extractors.base import detector
from extractors.terraform.context import TerraformFile, timeout_finding
from extractors.terraform.hcl import Block, references

ID = "terraform.rds_proxy"
RESOURCE_TYPES = ("aws_db_proxy_default_target_group",)


@detector(ID, "terraform", ["timeout"],
          valid=['resource "aws_db_proxy" "p" {\n  idle_client_timeout = 1800\n}'],
          invalid=['resource "aws_db_proxy_default_target_group" "t" {\n  connection_pool_config {\n'
                   '    connection_borrow_timeout = 30\n  }\n}'])
def detect(block: Block, tf: TerraformFile) -> list[Finding]:
    """RDS Proxy connection borrow timeout (``aws_db_proxy_default_target_group``).

    What it does: ``connection_pool_config { connection_borrow_timeout = n }`` (seconds) is a
    timeout with ``phase: connect``: how long a client's request waits for a database connection of
    the proxy's pool before it fails. Written values only (the 120 s default is not reported);
    ``aws_db_proxy.idle_client_timeout`` (how long an idle client connection is kept) is not read.

    Why it matters: a service whose own query timeout is shorter than the borrow timeout gives up
    while the proxy still queues it; a longer one waits out the proxy's failure.
    """
    if block.type != "resource":
        return []
    proxy = block.attributes.get("db_proxy_name")
    extra = {"resource": block.address,
             "proxy": next(iter(references(proxy.value)), None) if proxy is not None else None}
    found = []
    for config in block.nested("connection_pool_config"):
        finding = timeout_finding(tf, config, "connection_borrow_timeout", scale=1000.0, phase="connect",
                                  detector=ID, default_ms=None, extra=extra)
        if finding is not None:
            found.append(finding)
    return found
