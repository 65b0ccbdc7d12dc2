"""SQS queue visibility timeout and redelivery (``aws_sqs_queue``)."""

from __future__ import annotations

import posixpath
import re
from dataclasses import replace

from contract_discovery.model import Finding, Pending
from contract_discovery.resolve import KEEP_IF
from contract_discovery.values import BinOp, Call, Expr, Num, Ref
from extractors import treesitter as ts
from extractors.base import detector
from extractors.terraform.context import TerraformFile, _symbolic, timeout_finding
from extractors.terraform.detectors.lambda_function import ARCHIVE_SUFFIX
from extractors.terraform.hcl import Block, object_items, references, to_expr

ID = "terraform.sqs_queue"
RESOURCE_TYPES = ("aws_sqs_queue", "aws_sqs_queue_redrive_policy")
MODULE_SOURCES = ("terraform-aws-modules/sqs", "terraform-aws-modules/terraform-aws-sqs")
DEFAULT_VISIBILITY_MS = 30000

# `maxReceiveCount = 5` (jsonencode), `"maxReceiveCount": 5` / `\"maxReceiveCount\":5` (JSON in a
# string or heredoc), with a number or an interpolated `var.x` / `local.x`.
_MAX_RECEIVE = re.compile(r"""\\?["']?maxReceiveCount\\?["']?\s*[=:]\s*\\?"?(\d+)""")
_MAX_RECEIVE_REF = re.compile(
    r"""\\?["']?maxReceiveCount\\?["']?\s*[=:]\s*\\?"?(?:\$\{\s*)?((?:var|local)\.[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*)""")


def receive_count_expr(redrive) -> Expr | None:
    """The ``maxReceiveCount`` of a ``jsonencode({ ... })`` redrive policy written as an expression
    of variables (`var.max_retries + 1`, `local.retries * 2`): as written, for the resolver; None
    when it is a number, absent, or not in a ``jsonencode`` object (a JSON string is read by the
    regular expressions above)."""
    node = redrive.value
    while node is not None and node.type in ("expression", "template_expr") and node.named_child_count == 1:
        node = node.named_children[0]
    if node is None or node.type != "function_call" or not ts.text(node).lstrip().startswith("jsonencode"):
        return None
    args = next((c for c in node.named_children if c.type == "function_arguments"), None)
    first = args.named_children[0] if args is not None and args.named_children else None
    for key, attr in object_items(first):
        if key == "maxReceiveCount":
            expr = to_expr(attr.value)
            return expr if _symbolic(expr) and not isinstance(expr, Num) else None
    return None


def _role_key(role: str, module: str, address: str) -> str:
    return f"$sqs-{role}:{module}:{address}"


# round 13: a queue whose own name says it is a dead-letter queue (`stream_dead_letter_queue`,
# `name = "${prefix}-orders-dlq.fifo"`) is one even when nothing in the tree redrives to it (the
# services' code sends its failures there): its default visibility holds only if it is consumed
_DEAD_LETTER_NAME = re.compile(r"(?:^|[^a-z0-9])(?:dlq|dead[-_]?letters?)(?:$|[^a-z0-9])", re.I)


def _named_dead_letter(block: Block) -> bool:
    name = block.attributes.get("name")
    texts = [block.labels[-1] if block.labels else "", name.text if name is not None else ""]
    return any(_DEAD_LETTER_NAME.search(text) for text in texts)


def _default_visibility(tf: TerraformFile, address: str,
                        named_dead_letter: bool = False) -> tuple[int, tuple[Pending, ...]]:
    """AWS's 30 s for a queue that does not set its visibility timeout, and when it holds.

    The default of a dead-letter queue nothing consumes is nobody's contract (noise). What makes a
    queue one may be in another file of its module (the queue in sqs.tf, its mapping or the queue
    that redrives to it in lambda.tf): unless this file decides (a mapping here consumes it), the
    finding keeps only if the module's files, asked in the pipeline, leave it consumed or no
    dead-letter queue (a ``$keep_if`` of 1 keeps it, 0 drops it)."""
    module = posixpath.dirname(tf.path) or "."
    said: dict = {}
    for other in tf.blocks:
        if other.address != address:
            said.update(roles(other, module))
    consumed = _role_key("consumed", module, address)
    dead_letter = _role_key("dead-letter", module, address)
    received, sent = _role_key("received", module, address), _role_key("sent", module, address)
    if consumed in said:
        return DEFAULT_VISIBILITY_MS, ()
    if dead_letter in said or named_dead_letter:
        keep = Call("coalesce", (Ref(consumed), Num(0)))
    else:
        # round 18: a queue the module only sends to (an SNS subscription, an EventBridge target, a policy granting
        # sqs:SendMessage on it) and that nothing of it may read (no mapping, no grant to receive, no module handed
        # it) has no reader in the stack: its default visibility is nobody's contract, as the CloudFormation
        # extractor decided in round 17; a dead-letter queue nothing consumes stays out as before
        not_dead_letter = BinOp("-", Num(1), Call("coalesce", (Ref(dead_letter), Num(0))))
        may_be_read = Call("coalesce", (Ref(received), BinOp("-", Num(1), Call("coalesce", (Ref(sent), Num(0))))))
        keep = Call("coalesce", (Ref(consumed), BinOp("*", not_dead_letter, may_be_read)))
    return DEFAULT_VISIBILITY_MS, (Pending(KEEP_IF, keep),)


_RECEIVE_TEXT = re.compile(r"sqs:(?:ReceiveMessage|Receive\*|\*)", re.I)
_RECEIVE = re.compile(r'^"?(?:sqs:(?:ReceiveMessage|Receive\*|\*)|\*)"?$', re.I)
_SEND = re.compile(r'^"?sqs:(?:SendMessage|SendMessageBatch|Send\*)"?$', re.I)


def _grants(block) -> tuple[set[str], set[str]]:
    """The queues an ``aws_iam_policy_document``'s statements let someone receive from / send to
    (``actions = ["sqs:ReceiveMessage", ..]``, ``resources = [aws_sqs_queue.q.arn]``)."""
    received: set[str] = set()
    sent: set[str] = set()
    for statement in block.blocks:
        if statement.type != "statement":
            continue
        effect = statement.attributes.get("effect")
        if effect is not None and "deny" in effect.text.lower():
            continue
        actions = statement.attributes.get("actions")
        resources = statement.attributes.get("resources")
        if actions is None or resources is None:
            continue
        words = [w.strip() for w in re.split(r"[\[\],\s]+", actions.text) if w.strip()]
        queues = {a for a in references(resources.value) if a.startswith("aws_sqs_queue.")}
        if any(_RECEIVE.match(w) for w in words):
            received |= queues
        if any(_SEND.match(w) for w in words):
            sent |= queues
    return received, sent


def roles(block, module: str) -> dict:
    """What a block says of the queues of its module, for the queues' files: `$sqs-consumed:…`
    (an event source mapping reads it) and `$sqs-dead-letter:…` (a redrive policy or an
    on_failure destination sends failures to it)."""
    out = {}
    if block.type == "data" and block.resource_type == "aws_iam_policy_document":
        received, sent = _grants(block)  # round 18: who may read the queue, and who only sends to it
        for address in received:
            out[_role_key("received", module, address)] = Num(1)
        for address in sent:
            out[_role_key("sent", module, address)] = Num(1)
        return out
    if block.type == "module" or block.type == "resource" and block.resource_type not in RESOURCE_TYPES \
            and _RECEIVE_TEXT.search(ts.text(block.node)):
        # a grant to receive written inline (`jsonencode({Statement = [{Action = ["sqs:ReceiveMessage"] ..}]})`), or a
        # module handed the queue (it may read it): the queue may have a reader, its default holds
        for address in references(block.node):
            if address.startswith("aws_sqs_queue."):
                out[_role_key("received", module, address)] = Num(1)
        if block.type == "module":
            return out
    if block.type != "resource":
        return out
    if block.resource_type == "aws_lambda_event_source_mapping":
        source = block.attributes.get("event_source_arn")
        for address in references(source.value) if source is not None else ():
            if address.startswith("aws_sqs_queue."):
                out[_role_key("consumed", module, address)] = Num(1)
    redrive = block.attributes.get("redrive_policy") if block.resource_type in RESOURCE_TYPES else None
    targets = list(references(redrive.value)) if redrive is not None else []
    for config in block.blocks:
        if config.type == "destination_config":
            for target in config.blocks:
                arn = target.attributes.get("destination_arn")
                if target.type == "on_failure" and arn is not None:
                    targets.extend(references(arn.value))
    # round 10: a `dead_letter_config { arn / target_arn }` of any resource (an EventBridge rule's
    # target, a Scheduler schedule's target, a Lambda function) sends what failed to the queue
    stack = list(block.blocks)
    while stack:
        nested = stack.pop()
        stack.extend(nested.blocks)
        if nested.type == "dead_letter_config":
            for key in ("arn", "target_arn"):
                arn = nested.attributes.get(key)
                if arn is not None:
                    targets.extend(references(arn.value))
    for address in targets:
        if address.startswith("aws_sqs_queue."):
            out[_role_key("dead-letter", module, address)] = Num(1)
    # round 18: who may read the queue, and who only sends to it
    sent: set[str] = set()
    if block.resource_type == "aws_sns_topic_subscription":
        protocol = block.attributes.get("protocol")
        endpoint = block.attributes.get("endpoint")
        if protocol is not None and "sqs" in protocol.text and endpoint is not None:
            sent = set(references(endpoint.value))
    elif block.resource_type in ("aws_cloudwatch_event_target", "aws_s3_bucket_notification"):
        for attr in ("arn", "queue_arn"):
            if attr in block.attributes:
                sent |= set(references(block.attributes[attr].value))
        for nested in block.blocks:
            if nested.type == "queue" and "queue_arn" in nested.attributes:
                sent |= set(references(nested.attributes["queue_arn"].value))
    for address in sent:
        if address.startswith("aws_sqs_queue."):
            out[_role_key("sent", module, address)] = Num(1)
    return out


@detector(ID, "terraform", ["timeout", "retry"],
          valid=['resource "aws_sns_topic" "t" {\n  name = "visibility_timeout_seconds"\n  # redrive_policy = maxReceiveCount\n}'],
          invalid=['resource "aws_sqs_queue" "q" {\n  visibility_timeout_seconds = 40\n}'])
def detect(block: Block, tf: TerraformFile) -> list[Finding]:
    """SQS queue visibility timeout and redelivery (``aws_sqs_queue``).

    What it does: reports ``visibility_timeout_seconds`` as a timeout with ``phase: visibility``
    (30 s default when absent, except on a dead-letter queue nothing of the file consumes): how long
    a received message stays hidden before SQS hands it to another consumer. A ``redrive_policy`` (on the queue or in ``aws_sqs_queue_redrive_policy``)
    with ``maxReceiveCount`` is a retry: SQS redelivers a failed message up to that many times in
    total (``max_attempts = maxReceiveCount``, ``mechanism: redelivery``, ``library: aws_sqs``).
    The ``terraform-aws-modules/sqs/aws`` module's inputs are read the same way.

    Why it matters: a consumer still working when the visibility timeout ends sees its message
    delivered a second time; AWS asks for a visibility timeout of at least six times the consuming
    Lambda's timeout.

    """
    findings: list[Finding] = []
    queue = block.address
    if block.resource_type != "aws_sqs_queue_redrive_policy":
        default, keep = DEFAULT_VISIBILITY_MS, ()
        if "visibility_timeout_seconds" not in block.attributes and block.type == "resource":
            default, keep = _default_visibility(tf, block.address, _named_dead_letter(block))
        found = timeout_finding(tf, block, "visibility_timeout_seconds", scale=1000.0, phase="visibility",
                                detector=ID, default_ms=default, extra={})
        if found and keep:
            found = replace(found, pending=found.pending + keep)
        if found:
            findings.append(found)
    else:
        queue = next(iter(references(block.attributes["queue_url"].value)), block.address) \
            if "queue_url" in block.attributes else block.address
    redrive = block.attributes.get("redrive_policy")
    if redrive is not None:
        m = _MAX_RECEIVE.search(redrive.text)
        ref = None if m else _MAX_RECEIVE_REF.search(redrive.text)
        if m or ref:
            dlq = next((r for r in references(redrive.value) if r.startswith("aws_sqs_queue.")), None)
            attrs = {"max_attempts": int(m.group(1)) if m else None, "backoff": "fixed",
                     "retry_on": "visibility_timeout_expired", "mechanism": "redelivery", "library": "aws_sqs",
                     "resource": queue, "dead_letter_target": dlq}
            written = None if m else receive_count_expr(redrive)
            pending = (Pending("max_attempts", written if written is not None else Ref(ref.group(1)), 1.0),) \
                if ref else ()
            findings.append(tf.finding("retry", redrive.node, ID, attrs, confidence="high" if m else "medium",
                                       pending=pending))
    return findings


_SQS_MODULE = re.compile(r"(?:^|[-_/])sqs(?:$|[-_/])", re.I)
_NOT_A_QUEUE = re.compile(r"(?:alarm|autoscal|scaling|policy|polic|monitor|dashboard)", re.I)


def other_sqs_module(source: str, local: bool = False) -> bool:
    """A module from outside this repository whose name says it makes an SQS queue
    (`git::github.com/org/terraform-aws-sqs//queue`, `cloudposse/sqs-queue/aws`,
    `github.com/org/modules//sqs`); not its alarm / autoscaling submodules. ``local=True`` (round
    12) names a local path too (a git submodule's `./org-modules/sqs` the tree does not hold)."""
    if source.startswith(("./", "../")) and not local:
        return False  # a local module: its own aws_sqs_queue is read where it is declared
    path = source.split("?", 1)[0].rstrip("/")
    if path.endswith(".git"):
        path = path[:-4]
    path = ARCHIVE_SUFFIX.sub("", path)  # round 12: a module released as an archive (`.../terraform-lambda.zip`)
    path = path.split("://", 1)[-1]
    repo, _, sub = path.partition("//")
    parts = [p for p in repo.split("/") if p]
    if parts and parts[-1] in ("aws",) and len(parts) >= 3:
        parts = parts[:-1]  # registry form `org/name/provider`
    name = parts[-1] if parts else ""
    if _NOT_A_QUEUE.search(name) or (sub and _NOT_A_QUEUE.search(sub)):
        return False
    return bool(_SQS_MODULE.search(name) or (sub and _SQS_MODULE.search(sub.split("/")[-1])))


_MAX_RECEIVE_INPUTS = ("max_receive_count", "redrive_maximum_receives", "redrive_max_receive_count",
                       "dlq_max_receive_count", "maximum_receives", "max_receives", "redrive_max_receives",
                       "dead_letter_max_receive_count", "dlq_max_receives")


def detect_other_module(block: Block, tf: TerraformFile) -> list[Finding]:
    """Another organisation's SQS module: its `visibility_timeout_seconds` and `max_receive_count`
    (or a `redrive_policy` with `maxReceiveCount`) inputs when written; its own defaults are
    unknown here, so none is assumed."""
    findings: list[Finding] = []
    # round 12: `visibility_timeout` / `visibility_timeout_sec` are the same input (seconds) elsewhere
    setting = next((n for n in ("visibility_timeout_seconds", "visibility_timeout", "visibility_timeout_sec")
                    if n in block.attributes), "visibility_timeout_seconds")
    found = timeout_finding(tf, block, setting, scale=1000.0, phase="visibility",
                            detector=ID, default_ms=None, extra={})
    if found:
        findings.append(found)
    attrs = {"max_attempts": None, "backoff": "fixed", "retry_on": "visibility_timeout_expired",
             "mechanism": "redelivery", "library": "aws_sqs", "resource": block.address,
             "dead_letter_target": None}
    # round 13: the deliveries before the dead-letter queue under the names organisations' modules
    # give that input (`redrive_maximum_receives = 5`)
    count = next((block.attributes[n] for n in _MAX_RECEIVE_INPUTS if n in block.attributes), None)
    if count is not None:
        expr = to_expr(count.value)
        if isinstance(expr, Num):
            findings.append(tf.finding("retry", count.node, ID, {**attrs, "max_attempts": int(expr.value)}))
        else:
            findings.append(tf.finding("retry", count.node, ID, attrs, confidence="medium",
                                       pending=(Pending("max_attempts", expr, 1.0),)))
        return findings
    redrive = block.attributes.get("redrive_policy")
    if redrive is not None:
        m = _MAX_RECEIVE.search(redrive.text)
        ref = None if m else _MAX_RECEIVE_REF.search(redrive.text)
        if m or ref:
            written = None if m else receive_count_expr(redrive)
            findings.append(tf.finding(
                "retry", redrive.node, ID, {**attrs, "max_attempts": int(m.group(1)) if m else None},
                confidence="high" if m else "medium",
                pending=(Pending("max_attempts", written if written is not None else Ref(ref.group(1)), 1.0),)
                if ref else ()))
    return findings
