"""CloudFormation, SAM and Serverless Framework files (extractors/cloudformation): the function,
API Gateway and SQS settings with their defaults, and the infrastructure checks they feed."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from contract_discovery.pipeline import scan
from contract_discovery.values import Str
from extractors.cloudformation.extractor import EXTRACTOR

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "cloudformation"


def _found(root: Path):
    result = scan(root)
    return result, {(f.path, f.line, f.kind, f.attributes.get("timeout_ms", f.attributes.get("max_attempts")),
                     f.attributes.get("phase"), f.attributes.get("resolved_from"), f.attributes.get("resource"))
                    for f in result.findings if f.language == "cloudformation" and f.kind in ("timeout", "retry")}


def test_sam_globals_events_and_queue(tmp_path):
    shutil.copytree(FIXTURES / "refunds-sam", tmp_path / "refunds")
    result, got = _found(tmp_path)
    assert got == {
        ("refunds/template.yaml", 5, "timeout", 60000, "function", "literal", "RefundsFunction"),
        ("refunds/template.yaml", 13, "timeout", 29000, "total", "library_default", "RefundsFunction.Events.Api"),
        ("refunds/template.yaml", 26, "timeout", 120000, "visibility", "literal", "RefundsQueue"),
    }
    mapping = [f for f in result.findings if f.kind == "outbound_call" and f.language == "cloudformation"]
    assert [(f.line, f.attributes["source"], f.attributes["function"], f.attributes["batch_size"]) for f in mapping] == [
        (18, "RefundsQueue", "RefundsFunction", 10)]
    assert [s.languages for s in result.services] == [("cloudformation", "python")]


def test_serverless_provider_default_variables_events_and_resources(tmp_path):
    shutil.copytree(FIXTURES / "payouts-serverless", tmp_path / "payouts")
    result, got = _found(tmp_path)
    assert got == {
        ("payouts/serverless.yml", 10, "timeout", 20000, "function", "literal", "functions.api"),
        ("payouts/serverless.yml", 16, "timeout", 29000, "total", "library_default", "functions.api.events.http"),
        ("payouts/serverless.yml", 17, "timeout", 30000, "total", "library_default", "functions.api.events.httpApi"),
        ("payouts/serverless.yml", 22, "timeout", 90000, "function", "config", "functions.worker"),
        ("payouts/serverless.yml", 30, "timeout", 25000, "function", "env_default", "functions.reconcile"),
        ("payouts/serverless.yml", 39, "timeout", 300000, "visibility", "literal", "PayoutsQueue"),
        ("payouts/serverless.yml", 42, "retry", 4, None, "literal", "PayoutsQueue"),
        ("payouts/serverless.yml", 43, "timeout", 30000, "visibility", "library_default", "ReconcileQueue"),
        # PayoutsDlq (line 47): a dead-letter queue nothing consumes, no VisibilityTimeout: no contract
    }
    mappings = {(f.line, f.attributes["source"], f.attributes["function"], f.attributes["batching_window_ms"])
                for f in result.findings if f.kind == "outbound_call"}
    # an ARN's queue name finds the queue resource with that QueueName
    assert mappings == {(24, "PayoutsQueue", "functions.worker", 10000), (32, "ReconcileQueue", "functions.reconcile", None)}
    assert [s.name for s in result.services] == ["payouts"]


def test_plain_cloudformation_parameters_mapping_and_method(tmp_path):
    shutil.copytree(FIXTURES / "ledger-cfn", tmp_path / "ledger")
    result, got = _found(tmp_path)
    assert got == {
        ("ledger/stack.template.yaml", 14, "timeout", 40000, "function", "config", "LedgerWriter"),
        ("ledger/stack.template.yaml", 19, "timeout", 30000, "visibility", "literal", "LedgerQueue"),
        ("ledger/stack.template.yaml", 31, "timeout", 10000, "total", "literal", "PostEntry"),
    }
    api = next(f for f in result.findings if f.line == 31)
    assert api.attributes["integration_target"] == "LedgerWriter" and api.attributes["route"] == "POST"
    # traps: the Description string, the SNS topic's comment and display name
    assert not [f for f in result.findings if f.line in (2, 33, 34, 36)]


def _check(root: Path) -> list[dict]:
    proc = subprocess.run([sys.executable, "-m", "contract_discovery", "check", str(root), "--format", "json",
                           "--no-cache", "--quiet", "--fail-on", "never"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)["results"]


def test_the_infrastructure_checks_read_templates(tmp_path):
    for name in ("refunds-sam", "payouts-serverless", "ledger-cfn"):
        shutil.copytree(FIXTURES / name, tmp_path / name)
    got = sorted((r["rule"], r["status"], r["consumer"], r["provider"]) for r in _check(tmp_path))
    assert got == [
        # CloudFormation: 40 s (the parameter's default) behind a 10 s integration
        ("infra-lambda-apigw-timeout", "BLOCKS_INTEGRATION", "PostEntry", "LedgerWriter"),
        # SAM: 60 s behind the REST API's default 29 s
        ("infra-lambda-apigw-timeout", "BLOCKS_INTEGRATION", "RefundsFunction.Events.Api", "RefundsFunction"),
        # a 30 s queue for a 40 s function: AWS refuses the mapping
        ("infra-sqs-visibility-timeout", "BLOCKS_INTEGRATION", "LedgerWriter", "LedgerQueue"),
        ("infra-sqs-visibility-timeout", "WARNING", "RefundsFunction", "RefundsQueue"),
        ("infra-sqs-visibility-timeout", "WARNING", "functions.reconcile", "ReconcileQueue"),
        ("infra-sqs-visibility-timeout", "WARNING", "functions.worker", "PayoutsQueue"),
    ]
    # the Serverless api function (20 s) fits its http events (29 s / 30 s): nothing reported for it
    results = _check(tmp_path)
    action = next(r["action"] for r in results if r["consumer"] == "PostEntry")
    assert "TimeoutInMillis of PostEntry" in action


@pytest.mark.parametrize("data", [
    b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {timeout: '30'}\n",
    b"Resources: [1, 2]\n",
    b"- just\n- a list\n",
    b"",
    # OpenFaaS' stack.yml and Serverless on another cloud: provider + functions, not AWS Lambda
    b"version: 1.0\nprovider:\n  name: openfaas\nfunctions:\n  fn: {lang: go, handler: ./fn}\n",
    b"service: x\nprovider:\n  name: google\nfunctions:\n  fn: {handler: h}\n",
])
def test_other_yaml_gives_nothing(data):
    result = EXTRACTOR.extract("svc/template.yaml", data)
    assert result.findings == () and result.errors == ()


def test_broken_hostile_and_huge_files():
    broken = EXTRACTOR.extract("svc/template.yaml", b"Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n  - bad\n")
    assert broken.errors[0].kind == "parse_error" and broken.errors[0].line == 4
    bomb = b"a: &a [x, x, x, x, x, x, x, x, x]\n" + b"".join(
        b"%s: &%s [*%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s]\n" % ((chr(98 + i).encode(), chr(98 + i).encode())
                                                                  + (chr(97 + i).encode(),) * 9) for i in range(8))
    bomb += b"Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: {Timeout: *i}\n"
    out = EXTRACTOR.extract("svc/template.yaml", bomb)
    assert [(f.kind, f.attributes["timeout_ms"], f.attributes["resolved_from"]) for f in out.findings] == [
        ("timeout", None, "unresolved")]
    huge = EXTRACTOR.extract("svc/template.yaml", b"#" * (3 * 1024 * 1024))
    assert huge.errors[0].kind == "too_large"


def test_claims():
    for path in ("svc/template.yaml", "svc/serverless.yml", "infra/cfn/queues.yaml", "x/stack.template.json",
                 "x/api-sam.yml", "x/cloudformation/main.json"):
        assert EXTRACTOR.claims(path), path
    for path in ("svc/templates.py", "charts/x/templates/deployment.yaml.bak"):
        assert not EXTRACTOR.claims(path), path
    # any YAML/JSON is claimed (templates go by any name, `handlers/x/cfn.yaml`): the content decides
    assert EXTRACTOR.claims("handlers/x/cfn.yaml") and EXTRACTOR.claims("svc/config.yaml")
    not_templates = {
        "svc/config.yaml": b"Resources:\n  limits: {cpu: 1}\nTimeout: 30\n",
        "charts/app/templates/job.yaml": b"apiVersion: batch/v1\nkind: Job\nspec:\n  x: {{ .Values.y }}\n"
                                          b"# Type: AWS::Lambda::Function\n  Resources:\n",
        "svc/broken.yaml": b"Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n  - {{ bad\n",
    }
    for path, data in not_templates.items():
        out = EXTRACTOR.extract(path, data)
        assert out.findings == () and out.errors == (), path


def test_templates_by_content_retries_state_machines_and_websocket_defaults(tmp_path):
    """Round 6: a template named `cfn.yaml` (any YAML/JSON with `Resources:` and an `AWS::` type is
    read), Lambda's own retries (async invoke config, stream mappings), EventBridge / Scheduler
    retry policies, Step Functions definitions and the WebSocket integration default."""
    shutil.copytree(FIXTURES / "billing-cfn", tmp_path / "billing")
    result, got = _found(tmp_path)
    t, s, e = "billing/infra/cfn.yaml", "billing/serverless.yml", "billing/infra/edge.yml"
    g = "billing/infra/stages.yaml"
    assert got == {
        (t, 8, "timeout", 120000, "function", "literal", "InvoiceFunction"),
        (t, 14, "retry", 1, None, "literal", "InvoiceInvokeConfig"),       # MaximumRetryAttempts 0: one attempt
        (t, 20, "retry", 6, None, "literal", "InvoiceStream"),
        (t, 26, "retry", None, None, "literal", "AuditStream"),            # -1: until the records expire
        (t, 35, "retry", 5, None, "literal", "NightlyRule"),               # the Audit target has no policy: nothing
        (t, 48, "retry", 3, None, "literal", "ReminderSchedule"),
        (t, 52, "timeout", 30000, "function", "literal", "AuditFunction"),
        (t, 54, "retry", 2, None, "literal", "AuditFunction"),
        (t, 61, "retry", 4, None, "literal", "AuditFunction.Events.Changes"),
        (t, 71, "retry", 7, None, "literal", "AuditFunction.Events.Daily"),  # the Schedule event has none
        (t, 78, "timeout", 3600000, "total", "literal", "ExportMachine"),
        (t, 83, "timeout", 300000, "total", "literal", "ExportMachine"),
        (t, 84, "retry", 4, None, "literal", "ExportMachine"),
        (t, 101, "retry", 1, None, "literal", "SamMachine"),              # the commented-out MaxAttempts: 7 is not
        (t, 111, "timeout", 29000, "total", "library_default", "SocketIntegration"),  # WebSocket API: 29 s
        (t, 121, "timeout", 30000, "total", "library_default", "HttpIntegration"),
        (s, 4, "timeout", 20000, "function", "literal", "functions.sweep"),
        (s, 8, "retry", 2, None, "literal", "functions.sweep"),
        (s, 12, "retry", 11, None, "literal", "functions.sweep.events.stream"),
        (s, 16, "retry", 3, None, "literal", "functions.sweep.events.eventBridge"),
        # the Terraform survey's other AWS limits, CloudFormation forms (infra/edge.yml)
        (e, 10, "timeout", 120000, "idle", "literal", "Balancer"),     # target group health/deregistration: not read
        (e, 22, "timeout", 300000, "idle", "literal", "Classic"),
        (e, 30, "timeout", 45000, "read", "literal", "Cdn"),           # keepalive and the S3 origin: not read
        (e, 39, "retry", 6, None, "literal", "Webhook"),              # a JSON string policy; the email one is not
        (e, 49, "retry", 3, None, "literal", "Reconcile"),            # Batch attempts count every attempt
        (e, 51, "timeout", 600000, "per_try", "literal", "Reconcile"),
        (e, 55, "retry", 3, None, "literal", "Export"),
        (e, 56, "timeout", 1800000, "function", "literal", "Export"),  # Glue: minutes
        (e, 61, "timeout", 15000, "connect", "literal", "ProxyTargets"),
        (e, 62, "timeout", 29000, "total", "library_default", "Legacy"),  # HTTP_PROXY; the MOCK method is not
        (e, 79, "timeout", 60000, "visibility", "literal", "Jobs"),
        (e, 80, "retry", 4, None, "literal", "Jobs"),                 # RedrivePolicy as a JSON string
        # files that are no template: an Amazon States Language file (a DefinitionUri), an OpenAPI
        # document's written integration timeout (the POST without one: the default is the SAM
        # event's), the serverless-step-functions plugin's definitions
        ("billing/statemachine/settle.asl.json", 4, "timeout", 900000, "total", "literal", "settle.asl.json"),
        ("billing/statemachine/settle.asl.json", 13, "retry", 6, None, "literal", "settle.asl.json"),
        # a Terraform templatefile() definition: `${refund_timeout}` is not JSON, the text is still read
        ("billing/statemachine/refund.asl.json", 8, "retry", 2, None, "literal", "refund.asl.json"),
        ("billing/api/openapi.yaml", 11, "timeout", 12000, "total", "literal", "GET /invoices"),
        # round 8: a Lambda-proxy integration no SAM event declares carries the default itself
        ("billing/api/openapi.yaml", 13, "timeout", 29000, "total", "library_default", "POST /invoices"),
        (s, 27, "timeout", 60000, "total", "literal", "stepFunctions.stateMachines.nightly"),
        (s, 30, "retry", 3, None, "literal", "stepFunctions.stateMachines.nightly"),
        # values that depend on the stage: one value when every choice agrees, else unresolved
        (g, 16, "retry", 2, None, "literal", "Inherits"),             # Globals.Function.EventInvokeConfig
        (g, 21, "timeout", 30000, "function", "config", "Agreed"),    # FindInMap: 30 in CODE and PROD
        (g, 27, "retry", None, None, "unresolved", "PerStage"),       # 0 in CODE, 2 in PROD
        (g, 31, "timeout", None, "visibility", "unresolved", "Queue"),  # !If [IsProd, 180, 60]
        (g, 35, "timeout", 60000, "visibility", "config", "Fixed"),   # the CODE entry named outright
        (g, 39, "timeout", 10000, "function", "literal", "Inherits"),
        ("billing/jobs/serverless.yml", 13, "timeout", 120000, "function", "config", "functions.report"),
        ("billing/jobs/serverless.yml", 16, "timeout", None, "function", "unresolved", "functions.export"),  # 30 / 300
    }
    legacy = next(f for f in result.findings if f.path == e and f.line == 62)
    assert legacy.target.url == "https://legacy.billing.example.com/invoices"
    # traps: the Description string (line 2), the S3-stored definition, config/settings.yaml (not a
    # template although it names a resource type), package.json
    assert not [f for f in result.findings if f.language == "cloudformation"
                and (f.line == 2 or "config/" in f.path or f.path.endswith("package.json"))]
    # stream mappings are not queue -> function calls
    assert {f.line for f in result.findings if f.kind == "outbound_call" and f.path == t} == set()


def test_function_environment_is_the_deployment_environment_of_its_code(tmp_path):
    """A SAM function's Environment.Variables (and Globals') reach the code in its CodeUri: the
    Python client's `os.environ.get("PAYMENTS_TIMEOUT_S", "3")` takes the template's 12 s; a
    parameter's default counts; a variable the template does not set keeps the code's default."""
    shutil.copytree(FIXTURES / "orders-sam", tmp_path / "orders")
    result = scan(tmp_path)
    got = {(f.line, f.attributes["timeout_ms"], f.attributes["resolved_from"]) for f in result.findings
           if f.path == "orders/src/checkout/app.py" and f.kind == "timeout"}
    assert got == {(12, 12000, "config"), (13, 8000, "config"), (14, 4000, "env_default")}
    template = EXTRACTOR.extract("orders/template.yaml", (FIXTURES / "orders-sam" / "template.yaml").read_bytes())
    assert template.symbols["$deploy-build:CheckoutFunction"] == Str("src/checkout/")
    assert "$deploy-env:CheckoutFunction:TABLE" not in template.symbols  # !Ref of a resource: not a value
    assert template.symbols["$deploy-env:CheckoutFunction:PAYMENTS_URL"] == Str("https://payments.internal.example.com")


def test_state_machine_events_and_service_integrations_of_an_openapi_document(tmp_path):
    """Round 7: an SAM state machine's `Api` / `HttpApi` events are API Gateway integrations (29 s /
    30 s by default) and its schedule / EventBridge events take a RetryPolicy; in an included
    OpenAPI document a service integration (S3, SQS, an HTTP backend) gets its default where it is
    written, while Lambda and state-machine integrations (their SAM events carry it) and mocks
    give nothing."""
    shutil.copytree(FIXTURES / "journey-sam", tmp_path / "journey")
    result, got = _found(tmp_path)
    t, o = "journey/template.yaml", "journey/api/openapi.yaml"
    assert got == {
        (t, 20, "timeout", 29000, "total", "library_default", "JourneyMachine.Events.Journey"),
        (t, 26, "timeout", 30000, "total", "library_default", "JourneyMachine.Events.Status"),
        (t, 36, "retry", 3, None, "literal", "JourneyMachine.Events.Nightly"),  # Audit: no RetryPolicy
        (o, 6, "timeout", 29000, "total", "library_default", "GET /.well-known/jwks.json"),  # S3
        (o, 18, "timeout", 5000, "total", "literal", "POST /events"),
        (o, 40, "timeout", 30000, "total", "library_default", "GET /legacy"),  # HTTP API (payloadFormatVersion)
        # round 8: Lambda-proxy integrations: /session has no SAM event (the default here), /profile's
        # is declared by ProfileFunction's Api event (reported there, not twice)
        (o, 21, "timeout", 29000, "total", "library_default", "POST /session"),
        (t, 46, "timeout", 10000, "function", "literal", "ProfileFunction"),
        (t, 48, "timeout", 29000, "total", "library_default", "ProfileFunction.Events.Profile"),
        # round 9: a Step Functions StartExecution integration no SAM event declares: here (the
        # /journey one is JourneyMachine's Api event, reported there)
        (o, 54, "timeout", 29000, "total", "library_default", "PUT /orders/{id}"),
    }
    legacy = next(f for f in result.findings if f.path == o and f.line == 40)
    assert legacy.target.url == "https://legacy.journey.example.com/v1"


def test_a_callback_tasks_heartbeat_bounds_the_other_services_answer(tmp_path):
    """Round 9: a `.waitForTaskToken` task's HeartbeatSeconds, when it writes no TimeoutSeconds,
    is the bound on the other service's SendTaskSuccess; with a TimeoutSeconds that one counts, and
    an activity's heartbeat (a worker's liveness) is not a call's bound."""
    shutil.copytree(FIXTURES / "callbacks-sam", tmp_path / "callbacks")
    _, got = _found(tmp_path)
    asl = "callbacks/statemachine/order.asl.json"
    assert {g for g in got if g[0] == asl} == {
        (asl, 9, "timeout", 300000, "total", "literal", "order.asl.json"),
        (asl, 17, "timeout", 900000, "total", "literal", "order.asl.json"),
    }
