"""Terraform extractor: annotated fixtures, resolution of var./local. across a module's files,
syntax errors, prefilter, detector examples and the .scm queries."""

from __future__ import annotations

from pathlib import Path

import pytest

from contract_discovery.model import FileResult
from contract_discovery.resolve import Resolver, ServiceIndex, resolve_finding
from contract_discovery.values import BinOp, Num, Ref, Str, Unknown
from extractors import treesitter as ts
from extractors.base import DETECTORS
from extractors.terraform.extractor import EXTRACTOR
from tests.annotations import check_annotations, read_annotations

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "fixtures" / "terraform"
TF_FILES = sorted(FIXTURES.rglob("*.tf")) + sorted((ROOT / "fixtures" / "polyglot").rglob("*.tf"))


def extract(path: Path) -> FileResult:
    rel = path.relative_to(ROOT).as_posix()
    return EXTRACTOR.extract(rel, path.read_bytes())


def extract_source(source: str, path: str = "infra/main.tf") -> FileResult:
    return EXTRACTOR.extract(path, source.encode())


@pytest.mark.parametrize("path", TF_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_annotated_fixture(path: Path) -> None:
    result = extract(path)
    assert check_annotations(result.findings, path, path.relative_to(ROOT).as_posix()) == []


@pytest.mark.parametrize("path", TF_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_prefilter_passes_every_file_with_an_expected_finding(path: Path) -> None:
    expects, _ = read_annotations(path)
    if expects:
        assert EXTRACTOR.prefilter(path.read_bytes())


def test_prefilter_skips_unrelated_terraform() -> None:
    assert not EXTRACTOR.prefilter(b'resource "google_storage_bucket" "b" {\n  name = "x"\n}\n')
    assert EXTRACTOR.prefilter(b'variable "lambda_timeout" {\n  default = 30\n}\n')


def test_claims_only_tf_files() -> None:
    assert EXTRACTOR.claims("infra/main.tf")
    assert not EXTRACTOR.claims("infra/terraform.tfstate")
    assert not EXTRACTOR.claims("infra/main.tf.json")


def test_symbols_and_module_of_a_variables_file() -> None:
    result = extract(FIXTURES / "lambda_apigw" / "variables.tf")
    assert result.module == "fixtures/terraform/lambda_apigw"
    assert dict(result.symbols) == {
        "var.scoring_timeout": Num(45.0),
        "var.timeout": Num(12.0),
        # the defaults themselves, for the calls that leave an input out (detectors/module_inputs.py)
        "$vardefault:var.scoring_timeout": Num(45.0),
        "$vardefault:var.timeout": Num(12.0),
        "local.gateway_timeout_ms": BinOp("*", Num(10.0), Num(1000.0)),
        "local.environment": Str("prod"),
        # round 9: the unit the variable's description names ("... in seconds")
        "$tfunit:var.scoring_timeout": Num(1000.0),
        # round 12: every file says its directory is a module of the scan (extractor.MODULE_PRESENT)
        "$module-present": Num(1),
    }
    assert result.findings == ()


def _settings(result):
    """The findings of the settings themselves, without the proposals made at local module calls
    (terraform.module_input: kept or dropped by the pipeline, tested on their own)."""
    return [f for f in result.findings if f.detector != "terraform.module_input"]


def test_pending_values_resolve_across_the_files_of_one_module() -> None:
    results = [extract(p) for p in sorted((FIXTURES / "lambda_apigw").glob("*.tf"))]
    resolver = Resolver(results)
    index = ServiceIndex([])
    resolved = {}
    for result in results:
        for finding in _settings(result):
            final = resolve_finding(finding, result, resolver, index)
            resolved[final.attributes["resource"]] = (final.attributes["timeout_ms"], final.attributes["resolved_from"])
    assert resolved["aws_lambda_function.scoring"] == (45000, "config")  # a variable default: overridable
    assert resolved["aws_apigatewayv2_integration.scoring_fast"] == (10000, "constant")
    assert resolved["aws_lambda_function.risk"] == (60000, "literal")


def test_a_variable_without_default_does_not_borrow_another_modules_default() -> None:
    a = EXTRACTOR.extract("a/main.tf", b'variable "t" {}\nresource "aws_lambda_function" "f" {\n  timeout = var.t\n}\n')
    b = EXTRACTOR.extract("b/main.tf", b'variable "t" {\n  default = 99\n}\nlocals {\n  c = 5\n}\n')
    c = EXTRACTOR.extract("c/main.tf", b'locals {\n  c = var.prod ? 1 : 2\n}\n'
                                       b'resource "aws_sqs_queue" "q" {\n  visibility_timeout_seconds = local.c\n}\n')
    resolver = Resolver([a, b, c])
    got = [(f.path, resolve_finding(f, r, resolver, ServiceIndex([])).attributes["timeout_ms"])
           for r in (a, c) for f in _settings(r)]
    assert got == [("a/main.tf", None), ("c/main.tf", None)]
    assert {k: v for k, v in a.symbols.items() if k.startswith(("var.", "local."))} == {"var.t": Unknown("no default")}
    # the resource publishes what it writes, for other resources reading it
    assert a.symbols["aws_lambda_function.f.timeout"] == Ref("var.t")


def test_pending_carries_the_seconds_scale() -> None:
    result = extract_source('resource "aws_lambda_function" "f" {\n  timeout = var.t + 5\n}\n')
    (finding,) = result.findings
    assert finding.pending[0].expr == BinOp("+", Ref("var.t"), Num(5.0))
    assert finding.pending[0].scale == 1000.0
    assert finding.confidence == "medium"


def test_conditional_stays_unresolved_without_pending() -> None:
    result = extract_source('resource "aws_lambda_function" "f" {\n  timeout = var.prod ? 60 : 30\n}\n')
    (finding,) = result.findings
    assert (finding.line, finding.attributes["timeout_ms"], finding.attributes["resolved_from"]) == (2, None, "unresolved")
    assert finding.pending == ()
    assert finding.confidence == "low"


def test_quoted_number_is_a_literal() -> None:
    result = extract_source('resource "aws_sqs_queue" "q" {\n  visibility_timeout_seconds = "45"\n}\n')
    assert [(f.line, f.attributes["timeout_ms"], f.attributes["resolved_from"]) for f in result.findings] == [
        (2, 45000, "literal")]


def test_syntax_error_keeps_intact_blocks_and_reports_the_line() -> None:
    path = FIXTURES / "broken" / "main.tf"
    result = extract(path)
    assert [(e.kind, e.line) for e in result.errors] == [("parse_error", 8)]
    assert check_annotations(result.findings, path, path.relative_to(ROOT).as_posix()) == []


@pytest.mark.parametrize("data", [b"", b"\x00\xff\xfe", b"resource {{{{", b"}" * 1000, b"{" * 5000,
                                  "resource \"aws_lambda_function\" \"é\" {\n timeout = 1\n".encode()])
def test_garbage_never_raises(data: bytes) -> None:
    result = EXTRACTOR.extract("x.tf", data)
    assert isinstance(result, FileResult)


def test_unclosed_string_does_not_swallow_later_blocks() -> None:
    source = ('resource "aws_sqs_queue" "a" {\n  name = "unterminated\n}\n\n'
              'resource "aws_lambda_function" "b" {\n  timeout = 7\n}\n')
    result = extract_source(source)
    assert [(f.line, f.attributes["resource"], f.attributes["timeout_ms"]) for f in result.findings] == [
        (6, "aws_lambda_function.b", 7000)]
    assert result.errors and result.errors[0].kind == "parse_error"


def test_detector_examples() -> None:
    ours = {k: v for k, v in DETECTORS.items() if k.startswith("terraform.")}
    assert set(ours) == {"terraform.lambda_function", "terraform.api_gateway", "terraform.sqs_queue",
                         "terraform.load_balancer", "terraform.event_source_mapping", "terraform.rds_replica",
                         "terraform.event_target", "terraform.cloudfront", "terraform.step_functions",
                         "terraform.gcp", "terraform.azure", "terraform.sns_delivery", "terraform.rds_proxy",
                         "terraform.kubernetes_annotations", "terraform.aws_jobs", "terraform.gcp_workflows",
                         "terraform.module_input", "terraform.container_settings", "terraform.firehose",
                         "terraform.cli_deploy",
                         "terraform.connection_string"}
    for info in ours.values():
        assert info.doc and info.valid and info.invalid
        for example in info.invalid:
            kinds = {f.kind for f in extract_source(example).findings if f.detector == info.id}
            assert kinds & set(info.kinds), (info.id, example)
        for example in info.valid:
            fired = [f for f in extract_source(example).findings if f.detector == info.id]
            assert fired == [], (info.id, example)


def test_every_query_compiles() -> None:
    queries = sorted((ROOT / "extractors" / "terraform" / "queries").glob("*.scm"))
    assert queries
    for query in queries:
        ts.compile_query("hcl", query.read_text(encoding="utf-8"))


def test_openapi_integrations_name_their_route_and_resource() -> None:
    result = extract(FIXTURES / "openapi" / "main.tf")
    got = {(f.line, f.attributes["route"], f.attributes["resource"]) for f in result.findings
           if f.detector == "terraform.api_gateway"}
    assert got == {
        (21, "POST /orders", 'aws_api_gateway_rest_api.shop.body["POST /orders"]'),
        (34, "GET /quote", 'aws_api_gateway_rest_api.shop.body["GET /quote"]'),
    }


def test_module_inputs_give_the_child_module_its_values() -> None:
    """`module "x" { source = "./modules/fn"  timeout = 60 }` sets the child's `var.timeout`; a
    parent variable passed on resolves in the parent; instances that differ leave it unresolved;
    a call without the input keeps the default."""
    folder = FIXTURES / "module_inputs"
    results = [extract(p) for p in sorted(folder.rglob("*.tf"))]
    resolver = Resolver(results)
    resolved = {}
    for result in results:
        for finding in _settings(result):
            final = resolve_finding(finding, result, resolver, ServiceIndex([]))
            resolved[result.module.rsplit("/", 1)[-1]] = (final.attributes["timeout_ms"],
                                                          final.attributes["resolved_from"])
    assert resolved == {
        "fn": (60000, "config"),
        "report": (40000, "config"),
        "shared": (None, "unresolved"),
        "plain": (15000, "config"),
    }


def test_module_calls_publish_their_inputs_under_the_child_directory() -> None:
    result = extract(FIXTURES / "module_inputs" / "main.tf")
    child = "fixtures/terraform/module_inputs/modules/fn"
    assert {k: v for k, v in result.symbols.items() if k.startswith(f"$module:{child}:")} == {
        f"$module:{child}:scoring": Str("scoring"),
        f"$module:{child}:scoring:var.name": Str("scoring"),
        f"$module:{child}:scoring:var.timeout": Num(60.0),
    }
    # A registry module is not a local directory: nothing published.
    registry = extract_source('module "q" {\n  source  = "terraform-aws-modules/sqs/aws"\n  name = "q"\n}\n')
    assert not [k for k in registry.symbols if k.startswith("$module:")]


def test_other_lambda_modules_and_event_target_retries_resolve_their_variables() -> None:
    """A non-registry Lambda module's `timeout` and an EventBridge target's retry count come from
    variable defaults of the same module, like every other setting."""
    values = {}
    for folder in ("other_modules", "event_target"):
        result = extract(FIXTURES / folder / "main.tf")
        resolver = Resolver([result])
        for finding in _settings(result):
            final = resolve_finding(finding, result, resolver, ServiceIndex([]))
            key = "max_attempts" if final.kind == "retry" else "timeout_ms"
            values[(final.attributes["resource"], final.kind)] = final.attributes[key]
    assert values == {
        ("module.heartbeat", "timeout"): 60000,
        ("module.report", "timeout"): 45000,
        # round 12: ./modules/lambda is not in the fixture (a submodule the tree lacks): by its name
        ("module.local_fn", "timeout"): 30000,
        ("aws_cloudwatch_event_target.verdict_callback", "retry"): 25,
        ("aws_cloudwatch_event_target.nightly", "retry"): 1,
        ("aws_scheduler_schedule.recover", "retry"): 3,
    }


def test_root_module_takes_values_from_variable_files_elsewhere() -> None:
    """infra/ is a root module fed with -var-file=env/<name>.tfvars: the value every file agrees
    on, unresolved when environments differ, the default when no file sets it."""
    from extractors.tfvars.extractor import EXTRACTOR as TFVARS

    main = extract_source(
        'variable "timeout" {\n  default = 3\n}\n'
        'variable "visibility" {\n  default = 30\n}\n'
        'variable "memory" {\n  default = 128\n}\n'
        'resource "aws_lambda_function" "fn" {\n  function_name = "fn"\n  timeout = var.timeout\n}\n'
        'resource "aws_sqs_queue" "q" {\n  name = "q"\n  visibility_timeout_seconds = var.visibility\n}\n',
        "svc/infra/main.tf")
    prod = TFVARS.extract("svc/env/prod.tfvars", b"timeout = 20\nvisibility = 120\n")
    staging = TFVARS.extract("svc/env/staging.tfvars", b"timeout = 20\nvisibility = 60\n")
    resolver = Resolver([main, prod, staging])
    got = {}
    for finding in main.findings:
        if finding.kind == "timeout":
            final = resolve_finding(finding, main, resolver, ServiceIndex([]))
            got[finding.attributes.get("expression")] = final.attributes["timeout_ms"]
    assert got["var.timeout"] == 20000  # both environments agree
    assert got["var.visibility"] is None  # 120 s in prod, 60 s in staging: no one value
    alone = Resolver([main])
    lookup = alone.lookup_for(main)
    assert lookup("var.timeout")[0] == Num(3)  # no variable file: the default


def test_members_of_object_values_resolve() -> None:
    """`var.q.timeout` of a map variable filled by a variables file, `var.limits["timeout"]` of an
    object default, object locals handed to a module input member by member, an object input
    that replaces the child's default, lookup()/try()/coalesce() with a fallback; a list index and
    a computed lookup key stay unresolved."""
    from extractors.tfvars.extractor import EXTRACTOR as TFVARS

    folder = FIXTURES / "object_members"
    results = [extract(p) for p in sorted(folder.rglob("*.tf"))]
    results += [TFVARS.extract(p.relative_to(ROOT).as_posix(), p.read_bytes()) for p in folder.rglob("*.tfvars")]
    resolver = Resolver(results)
    got = {}
    for result in results:
        for finding in _settings(result):
            final = resolve_finding(finding, result, resolver, ServiceIndex([]))
            key = "max_attempts" if final.kind == "retry" else "timeout_ms"
            got[(final.attributes.get("resource"), final.kind)] = final.attributes[key]
    assert got == {
        ("aws_lambda_function.this", "timeout"): 15000,  # default.tfvars: q = { timeout = 15 }
        ("aws_lambda_function.indexed", "timeout"): 10000,  # the variable's object default
        ("aws_lambda_function.listed", "timeout"): None,  # var.timeouts[0]: a list index, not read
        ("aws_lambda_function_event_invoke_config.this", "retry"): 3,  # var.limits.retries = 2 -> 3 attempts
        ("aws_sqs_queue.short", "timeout"): 240000,  # local.visibility_timeout.shortlived
        ("aws_sqs_queue.long", "timeout"): 900000,  # local.visibility_timeout["longlived"]
        ("aws_sqs_queue.dlq", "timeout"): 60000,  # the caller's { dlq_visibility = 60 }, not the default 30
        ("aws_lambda_function.looked_up", "timeout"): 10000,  # lookup(var.limits, "timeout", 30): the member
        ("aws_lambda_function.fallback", "timeout"): 45000,  # coalesce(null default, 45)
        ("aws_lambda_function.tried", "timeout"): 15000,  # try(var.q.timeout, 50): default.tfvars has it
        ("aws_lambda_function.computed_key", "timeout"): None,  # lookup with a computed key: not read
        ("aws_lambda_function.worker", "timeout"): 30000,  # for_each members that all say 30
        ("aws_lambda_function.job", "timeout"): None,  # members that differ (600, 60)
        ("aws_sqs_queue.inbox", "timeout"): 90000,
        ("aws_sqs_queue.partial", "timeout"): None,  # a member without the key
        ("aws_lambda_function.tuned", "timeout"): 110000,  # lookup(var.tuning, "send", local.d).timeout
        ("aws_lambda_function.untuned", "timeout"): 900000,  # no "load" entry: the defaults' member
        ("aws_lambda_function.indexed_call", "timeout"): None,  # an index of the call: not read
    }


def test_variables_file_publishes_object_members() -> None:
    from extractors.tfvars.extractor import EXTRACTOR as TFVARS

    result = TFVARS.extract("infra/default.tfvars",
                            b'q = {\n  name = "fn"\n  timeout = 15\n  retry = { max = 2 }\n  list = [1]\n}\n'
                            b'# timeout = 99\nplain = 4\n')
    assert result.symbols == {"var.q.name": Str("fn"), "var.q.timeout": Num(15.0), "var.q.retry.max": Num(2.0),
                              "var.plain": Num(4.0)}


def test_redrive_count_read_from_a_variable_resolves_from_the_module_call() -> None:
    """`"maxReceiveCount":${var.max_redrives}` in a JSON string takes what the module call passes."""
    child = extract_source(
        'variable "max_redrives" {}\n'
        'resource "aws_sqs_queue" "queue" {\n  name = "q"\n  visibility_timeout_seconds = 30\n'
        '  redrive_policy = "{\\"deadLetterTargetArn\\":\\"${aws_sqs_queue.dlq.arn}\\",'
        '\\"maxReceiveCount\\":${var.max_redrives}}"\n}\n', "infra/modules/queue/main.tf")
    caller = extract_source('module "jobs" {\n  source = "../modules/queue"\n  max_redrives = 4\n}\n',
                            "infra/app/main.tf")
    resolver = Resolver([child, caller])
    retry = next(f for f in child.findings if f.kind == "retry")
    assert (retry.line, retry.attributes["max_attempts"]) == (5, None)
    assert resolve_finding(retry, child, resolver, ServiceIndex([])).attributes["max_attempts"] == 4


QUEUES_TF = '''resource "aws_sqs_queue" "work" {
  name = "work"
}

resource "aws_sqs_queue" "work_dlq" {
  name = "work-dlq"
}

resource "aws_sqs_queue" "orders" {
  name = "orders"
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.orders_dlq.arn
    maxReceiveCount     = 3
  })
}

resource "aws_sqs_queue" "orders_dlq" {
  name = "orders-dlq"
}

resource "aws_sqs_queue" "stream_failures" {
  name = "stream-failures"
}
'''

LAMBDA_TF = '''resource "aws_lambda_event_source_mapping" "work" {
  event_source_arn = aws_sqs_queue.work.arn
  function_name    = "worker"
}

resource "aws_lambda_event_source_mapping" "replay" {
  event_source_arn = aws_sqs_queue.orders_dlq.arn
  function_name    = "replayer"
}

resource "aws_lambda_event_source_mapping" "stream" {
  event_source_arn  = aws_dynamodb_table.t.stream_arn
  function_name     = "cleaner"
  starting_position = "LATEST"

  destination_config {
    on_failure {
      destination_arn = aws_sqs_queue.stream_failures.arn
    }
  }
}

resource "aws_sqs_queue_redrive_policy" "work" {
  queue_url = aws_sqs_queue.work.id
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.work_dlq.arn
    maxReceiveCount     = 5
  })
}
'''


def test_default_visibility_of_a_dead_letter_queue_is_decided_across_the_module_files(tmp_path) -> None:
    from contract_discovery.pipeline import scan

    module = tmp_path / "infra"
    module.mkdir()
    (module / "sqs.tf").write_text(QUEUES_TF)
    (module / "lambda.tf").write_text(LAMBDA_TF)
    result = scan(tmp_path)
    visibility = sorted((f.path, f.line, f.attributes["timeout_ms"]) for f in result.findings
                        if f.kind == "timeout" and f.attributes.get("phase") == "visibility")
    # work: consumed (lambda.tf); orders: no dead-letter queue; orders_dlq: redriven to in sqs.tf
    # but consumed by lambda.tf's replay mapping. Not reported: work_dlq (redriven to by lambda.tf's
    # redrive policy) and stream_failures (lambda.tf's on_failure destination), which nothing reads.
    assert visibility == [("infra/sqs.tf", 1, 30000), ("infra/sqs.tf", 9, 30000), ("infra/sqs.tf", 17, 30000)]


def test_a_module_input_that_each_environment_passes_from_its_own_variable_resolves_when_they_agree(tmp_path) -> None:
    from contract_discovery.pipeline import scan

    infra = tmp_path / "terraform"  # one service: its environments and its modules
    child = infra / "modules" / "fn"
    child.mkdir(parents=True)
    (child / "main.tf").write_text('resource "aws_lambda_function" "f" {\n  function_name = "f"\n'
                                   '  timeout       = var.lambda_timeout\n}\n\nvariable "lambda_timeout" {\n'
                                   '  default = 3\n}\n')
    for env, default in (("prod", 30), ("staging", 30)):
        root = infra / "environments" / env
        root.mkdir(parents=True)
        (root / "main.tf").write_text(f'module "fn" {{\n  source         = "../../modules/fn"\n'
                                      f'  lambda_timeout = var.lambda_timeout\n}}\n\nvariable "lambda_timeout" {{\n'
                                      f'  default = {default}\n}}\n')

    def timeouts():
        return [(f.path, f.line, f.attributes["timeout_ms"]) for f in scan(tmp_path).findings if f.kind == "timeout"]

    # the module's own setting, and each call's input at its line (detectors/module_inputs.py)
    assert sorted(timeouts()) == [("terraform/environments/prod/main.tf", 3, 30000),
                                  ("terraform/environments/staging/main.tf", 3, 30000),
                                  ("terraform/modules/fn/main.tf", 3, 30000)]
    staging = infra / "environments" / "staging" / "main.tf"
    staging.write_text(staging.read_text().replace("default = 30", "default = 10"))
    assert sorted(timeouts()) == [("terraform/environments/prod/main.tf", 3, 30000),
                                  ("terraform/environments/staging/main.tf", 3, 10000),
                                  ("terraform/modules/fn/main.tf", 3, None)]  # each environment its own value


@pytest.mark.parametrize("text,ms", [("300s", 300000.0), ("3.5s", 3500.0), (" 10s ", 10000.0), ("300", None),
                                     ("5m", None), ("", None)])
def test_gcp_durations(text, ms) -> None:
    from extractors.terraform.detectors.durations import proto_ms
    assert proto_ms(text) == ms


@pytest.mark.parametrize("text,ms", [("PT1M", 60000.0), ("PT30S", 30000.0), ("P0DT0H1M30S", 90000.0),
                                     ("P1D", 86400000.0), ("pt5m", 300000.0), ("P", None), ("PT", None),
                                     ("1M", None), ("PT1.5S", 1500.0)])
def test_iso_durations(text, ms) -> None:
    from extractors.terraform.detectors.durations import iso_ms
    assert iso_ms(text) == ms


def test_pubsub_and_service_bus_settings_resolve_from_their_variables() -> None:
    results = [extract(p) for p in (FIXTURES / "gcp" / "pubsub.tf", FIXTURES / "azure" / "main.tf")]
    resolver = Resolver(results)
    index = ServiceIndex([])
    got = {}
    for result in results:
        for finding in result.findings:
            if finding.pending:
                final = resolve_finding(finding, result, resolver, index)
                key = "timeout_ms" if final.kind == "timeout" else "max_attempts"
                got[(final.attributes["resource"], final.kind)] = final.attributes[key]
    assert got == {("google_pubsub_subscription.audit", "timeout"): 45000,
                   ("azurerm_servicebus_subscription.billing", "retry"): 8,
                   # lock_duration = var.lock, default "PT2M": a duration string read by the core
                   ("azurerm_servicebus_queue.from_variable", "timeout"): 120000}


def test_ingress_annotation_from_a_variable_resolves_in_seconds() -> None:
    result = extract(FIXTURES / "kubernetes" / "ingress.tf")
    resolver = Resolver([result])
    finding = next(f for f in result.findings if f.pending)
    final = resolve_finding(finding, result, resolver, ServiceIndex([]))
    assert (final.line, final.attributes["timeout_ms"], final.attributes["phase"], final.target.service) == \
        (8, 300000, "read", "storefront")


def test_workflows_definition_files() -> None:
    """A Google Cloud Workflows YAML (the file a templatefile() reads) is read by content, whatever
    extractor claims YAML first; a YAML that is no workflow gives nothing."""
    from extractors.cloudformation.extractor import EXTRACTOR as YAML_FILES
    path = FIXTURES / "gcp" / "workflows" / "sync.yaml"
    rel = path.relative_to(ROOT).as_posix()
    result = YAML_FILES.extract(rel, path.read_bytes())
    assert result.language == "terraform"
    assert check_annotations(result.findings, path, rel) == []
    assert [(f.line, f.detector) for f in result.findings] == [(13, "terraform.gcp_workflows"),
                                                               (19, "terraform.gcp_workflows")]
    for data in (b"steps:\n  - call: make\n    retry: 3\n",          # a CI file, not a workflow
                 b"main:\n  steps:\n    - a:\n        call: http.get\n        args: {url: x}\n",  # nothing set
                 b"main:\n  steps:\n    - a: [call: http.get, retry: {{ bad\n"):  # not YAML
        assert YAML_FILES.extract("svc/wf.yaml", data).findings == ()


def test_lambda_environment_is_the_deployment_environment_of_its_code(tmp_path) -> None:
    """An aws_lambda_function's literal environment variables reach the code its archive_file
    zips (source_dir, relative to the .tf file): the handler's env lookups take them."""
    import shutil

    from contract_discovery.pipeline import scan
    shutil.copytree(FIXTURES / "lambda_env", tmp_path / "quotes")
    result = scan(tmp_path)
    got = {(f.line, f.attributes["timeout_ms"], f.attributes["resolved_from"]) for f in result.findings
           if f.path == "quotes/src/quotes/app.py" and f.kind == "timeout"}
    assert got == {(11, 6000, "config"), (12, 9000, "config"), (13, 5000, "env_default")}
    tf = extract(FIXTURES / "lambda_env" / "infra" / "main.tf")
    assert tf.symbols["$deploy-build:api"] == Str("../src/quotes")
    assert tf.symbols["$deploy-env:quotes-api:RATES_TIMEOUT_S"] == Str("9")
    assert "$deploy-env:api:TABLE" not in tf.symbols  # a resource attribute, not a value
    assert tf.imports == {"$deployenv": "fixtures/terraform/lambda_env/infra/main.tf"}


def test_a_deadline_read_from_another_resources_written_attribute_resolves() -> None:
    # `"${google_cloud_run_service.sync.template[0].spec[0].timeout_seconds + 60}s"`: the service's
    # written 900 s + 60 s; a computed attribute (status) or a data source stays unknown
    result = extract(FIXTURES / "gcp" / "scheduler_run.tf")
    assert result.symbols["google_cloud_run_service.sync.template.spec.timeout_seconds"] == Num(900.0)
    resolver = Resolver([result])
    got = {(f.line, f.kind): resolve_finding(f, result, resolver, ServiceIndex([])).attributes.get("timeout_ms")
           for f in result.findings if f.kind == "timeout"}
    assert got == {(9, "timeout"): 900000, (20, "timeout"): 960000, (34, "timeout"): None, (43, "timeout"): None}


def test_ecs_container_settings_resolve_with_the_unit_a_variable_description_gives() -> None:
    # `"${var.task_timeout}"` with "The max amount of seconds ..." in the variable's description:
    # seconds; another module's output stays unresolved
    result = extract(FIXTURES / "containers" / "ecs.tf")
    resolver = Resolver([result])
    got = {f.line: resolve_finding(f, result, resolver, ServiceIndex([])).attributes.get("timeout_ms")
           for f in result.findings if f.kind == "timeout"}
    assert got == {22: 10800000, 26: None, 33: 2500, 50: 4000, 51: 90000}


def test_a_receive_count_written_as_an_expression_of_a_variable_keeps_the_expression() -> None:
    # `maxReceiveCount = var.max_retries + 1` in jsonencode: the deliveries are the retries + 1, at
    # the module's line and for a call leaving max_retries out (its default + 1)
    result = extract_source('variable "max_retries" {\n  default = 20\n}\n'
                            'resource "aws_sqs_queue" "dlq" {\n  name = "dlq"\n}\n'
                            'resource "aws_sqs_queue" "task" {\n  name = "task"\n  visibility_timeout_seconds = 180\n'
                            '  redrive_policy = jsonencode({\n    deadLetterTargetArn = aws_sqs_queue.dlq.arn\n'
                            '    maxReceiveCount     = var.max_retries + 1\n  })\n}\n', "modules/worker/main.tf")
    retry = next(f for f in result.findings if f.kind == "retry")
    assert (retry.line, retry.pending[0].expr) == (10, BinOp("+", Ref("var.max_retries"), Num(1.0)))
    assert result.symbols["$tfomit:attempts:var.max_retries"] == BinOp("+", Ref("$vardefault:var.max_retries"), Num(1.0))
    resolved = resolve_finding(retry, result, Resolver([result]), ServiceIndex([]))
    assert resolved.attributes["max_attempts"] == 21
