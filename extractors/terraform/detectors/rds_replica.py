"""Read replicas and reader endpoints in RDS (``aws_db_instance``, ``aws_rds_cluster_endpoint``,"""

from __future__ import annotations

from contract_discovery.model import Finding
from extractors import treesitter as ts
from extractors.base import detector
from extractors.terraform.context import TerraformFile
from extractors.terraform.hcl import Block, literal_string, reference_with_attr, references

ID = "terraform.rds_replica"
RESOURCE_TYPES = ("aws_db_instance", "aws_rds_cluster_endpoint")


@detector(ID, "terraform", ["replica_read"],
          valid=['resource "aws_db_instance" "primary" {\n  engine = "postgres"\n  # replicate_source_db = x\n}'],
          invalid=['resource "aws_db_instance" "replica" {\n  replicate_source_db = aws_db_instance.primary.identifier\n}'])
def detect(block: Block, tf: TerraformFile) -> list[Finding]:
    """Read replicas and reader endpoints in RDS (``aws_db_instance``, ``aws_rds_cluster_endpoint``,
    ``aws_rds_cluster.<name>.reader_endpoint``).

    What it does: reports a ``replica_read`` for
    - an ``aws_db_instance`` with ``replicate_source_db`` (``alias``: the resource name,
      ``mechanism: terraform_read_replica``, ``source``: the primary's address);
    - an ``aws_rds_cluster_endpoint`` with ``custom_endpoint_type = "READER"``
      (``mechanism: terraform_reader_endpoint``);
    - every place a resource or module hands ``aws_rds_cluster.<name>.reader_endpoint`` to something,
      e.g. a Lambda environment variable (``alias``: the variable or attribute name, ``resource``: the
      block that receives it, ``cluster``: the cluster's address).

    Why it matters: whoever reads through a replica or reader endpoint reads data that lags the
    primary (replica lag), which breaks freshness contracts such as ``freshness_required: <10s``.

    Not reported: ``aws_rds_cluster_instance``; which instance of a cluster is the reader is decided
    at run time (and changes on failover), so the resource alone says nothing about reads.

    """
    if block.resource_type == "aws_db_instance":
        source = block.attributes.get("replicate_source_db")
        if source is None:
            return []
        return [tf.finding("replica_read", source.node, ID, {
            "alias": block.labels[1] if len(block.labels) > 1 else block.address,
            "mechanism": "terraform_read_replica",
            "resource": block.address,
            "source": next(iter(references(source.value)), None) or literal_string(source.value),
        })]
    kind = block.attributes.get("custom_endpoint_type")
    if kind is not None and (literal_string(kind.value) or "").upper() == "READER":
        cluster = block.attributes.get("cluster_identifier")
        return [tf.finding("replica_read", block.node, ID, {
            "alias": block.labels[1] if len(block.labels) > 1 else block.address,
            "mechanism": "terraform_reader_endpoint",
            "resource": block.address,
            "cluster": next(iter(references(cluster.value)), None) if cluster else None,
        })]
    return []


def detect_reader_endpoint_uses(block: Block, tf: TerraformFile) -> list[Finding]:
    """Uses of `aws_rds_cluster.<name>.reader_endpoint` inside a resource or module block,
    reported on the nearest `key = value` that carries them."""
    if block.type not in ("resource", "module"):
        return []
    findings: list[Finding] = []
    seen: set[tuple[int, str]] = set()
    for node in ts.walk(block.node):
        if node.type != "variable_expr" or ts.text(node) != "aws_rds_cluster" or node.parent is None:
            continue
        refs = reference_with_attr(node.parent)
        cluster = next((obj for obj, attr in refs
                        if attr == "reader_endpoint" and obj.startswith("aws_rds_cluster.")), None)
        if cluster is None:
            continue
        carrier = next((a for a in ts.ancestors(node) if a.type in ("attribute", "object_elem")), None)
        if carrier is None:
            continue
        key = (carrier.start_point[0], cluster)
        if key in seen:
            continue
        seen.add(key)
        findings.append(tf.finding("replica_read", carrier, ID, {
            "alias": _key_name(carrier),
            "mechanism": "terraform_reader_endpoint",
            "resource": block.address,
            "cluster": cluster,
        }))
    return findings


def _key_name(node: ts.Node) -> str:
    first = node.children[0] if node.children else None
    return ts.text(first).strip().strip('"') if first is not None else ""
