"""Calls of a project's own Terraform modules (round-8 helper rule, detectors/module_inputs.py):
a call passing a value is a contract at the argument's line, a call leaving a defaulted input out
is one at its `module` line with the default, and only inputs the module hands to a timeout or
retry setting count."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan
from extractors.terraform.detectors.sqs_queue import other_sqs_module
from extractors.terraform.extractor import EXTRACTOR

ROOT = Path(__file__).resolve().parents[3]
FIXTURE = ROOT / "fixtures" / "terraform" / "wrapper_modules"


def _contracts(root: Path) -> set[tuple]:
    out = set()
    for f in scan(root).findings:
        if f.kind == "timeout":
            out.add((f.path, f.line, "timeout", f.attributes["timeout_ms"], f.attributes.get("phase")))
        elif f.kind == "retry":
            out.add((f.path, f.line, "retry", f.attributes["max_attempts"], f.attributes.get("mechanism")))
    return out


def test_calls_of_a_wrapper_module_carry_their_values() -> None:
    assert _contracts(FIXTURE) == {
        # (c) values passed, at the argument's line (a caller's variable resolves in the caller)
        ("main.tf", 13, "timeout", 120000, "visibility"),
        ("main.tf", 14, "retry", 5, "redelivery"),
        ("main.tf", 25, "timeout", 900000, "visibility"),
        # (b) inputs left out, at the `module` line, with the module's defaults ("300": a quoted number)
        ("main.tf", 17, "timeout", 300000, "visibility"),
        ("main.tf", 17, "retry", 3, "redelivery"),
        ("main.tf", 22, "retry", 3, "redelivery"),
        # (a) the module's own settings (instances differ: no single value); another organisation's
        # SQS module read where written, its autoscaling submodule not
        ("modules/queue/main.tf", 6, "timeout", None, "visibility"),
        ("modules/queue/main.tf", 7, "retry", None, "redelivery"),
        ("modules/queue/main.tf", 18, "timeout", 45000, "visibility"),
        ("modules/queue/main.tf", 19, "retry", 4, "redelivery"),
        # Cloud Run through two wrappers: the outer module hands its own variable on (a helper chain),
        # so its calls are valued (omitted: its default 120 s; passed: 900 s); the hand-on line and
        # the service's own line have no single value (the instances differ)
        ("main.tf", 35, "timeout", 120000, "function"),
        ("main.tf", 41, "timeout", 900000, "function"),
        ("modules/go-run/main.tf", 8, "timeout", None, "function"),
        ("modules/run/main.tf", 9, "timeout", None, "function"),
        # a duration string passed as written; retries counted from 0 (+ 1); the job's own lines
        # take the one call's values
        ("main.tf", 46, "timeout", 1800000, "function"),
        ("main.tf", 47, "retry", 3, "redelivery"),
        ("modules/job/main.tf", 14, "retry", 3, "redelivery"),
        ("modules/job/main.tf", 15, "timeout", 1800000, "function"),
    }


def test_proposals_are_dropped_without_the_module() -> None:
    """A call whose module directory is not in the scan proposes nothing the pipeline keeps."""
    result = EXTRACTOR.extract("infra/main.tf", (FIXTURE / "main.tf").read_bytes())
    assert {f.detector for f in result.findings} == {"terraform.module_input"}
    assert result.imports["$tfmod:orders_queue"] == "infra/modules/queue"


def test_a_module_publishes_only_inputs_that_are_settings() -> None:
    queue = EXTRACTOR.extract("m/queue/main.tf", (FIXTURE / "modules" / "queue" / "main.tf").read_bytes())
    assert {k for k in queue.symbols if k.startswith("$tfparam:timeout:") or k.startswith("$tfparam:attempts:")} == {
        "$tfparam:timeout:var.visibility_timeout_seconds", "$tfparam:attempts:var.max_receive_count"}
    tagged = EXTRACTOR.extract("m/tagged/main.tf", (FIXTURE / "modules" / "tagged" / "main.tf").read_bytes())
    assert not [k for k in tagged.symbols if k.startswith("$tf")]


def test_other_sqs_modules_by_source() -> None:
    assert other_sqs_module("git::github.com/wellcomecollection/terraform-aws-sqs//queue?ref=v1.2.1")
    assert other_sqs_module("cloudposse/sqs-queue/aws")
    assert other_sqs_module("github.com/org/modules//sqs")
    assert not other_sqs_module("git::github.com/wellcomecollection/terraform-aws-sqs//autoscaling?ref=v1.3.0")
    assert not other_sqs_module("github.com/acme/sqs-alarms")
    assert not other_sqs_module("./modules/sqs")  # a local module: read in its own directory
    assert not other_sqs_module("github.com/org/lambda")
