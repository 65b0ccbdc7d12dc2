"""AWS CloudFormation / SAM templates and Serverless Framework files: the Lambda, API Gateway and
SQS settings that are contracts between services, in the shape the Terraform extractor gives them,
so the infrastructure checks (contract_discovery/checks/infra.py) join them the same way:

- a function's timeout (``phase: function``; 3 s by default in CloudFormation and SAM, or SAM's
  ``Globals.Function.Timeout``; 6 s in the Serverless Framework, or ``provider.timeout``);
- the API Gateway integration in front of it (an SAM ``Api``/``HttpApi`` event, a Serverless
  ``http``/``httpApi`` event, an ``AWS::ApiGateway::Method``/``AWS::ApiGatewayV2::Integration``):
  ``TimeoutInMillis``, else 29 s (REST) / 30 s (HTTP API), with ``integration_target`` = the function;
- an SQS queue's visibility timeout (``phase: visibility``, 30 s by default) and its redrive
  ``maxReceiveCount`` (a ``retry`` by redelivery);
- the queue -> function wiring (an SAM ``SQS`` event, a Serverless ``sqs`` event, an
  ``AWS::Lambda::EventSourceMapping``) as an ``outbound_call`` with ``method: event_source_mapping``.

``resource`` is the template's logical id (``RefundsFunction``; a Serverless function is
``functions.<name>``). Values: literals; ``!Ref Param`` / ``{"Ref": "Param"}`` of a template
parameter with a ``Default`` (``resolved_from: config``); Serverless ``${self:path}`` within the file
and ``${env:X, 30}`` / ``${opt:x, 30}`` defaults (``env_default``). Anything else is unresolved.

Intrinsic-function tags (``!Ref``, ``!GetAtt``, ``!Sub``...) are read as nodes, never constructed:
the file is composed with PyYAML's safe composer (aliases are shared nodes, not copies), and only
fixed paths are visited. Never raises; a file that is not a template gives nothing.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import yaml

from contract_discovery.model import ErrorEntry, FileResult, Finding, Pending, Target
from contract_discovery.resolve import KEEP_IF
from contract_discovery.values import BinOp, Call, Expr, Num, Ref, Str, normalise_ms
from extractors.base import Extractor, detector
from extractors.terraform.endpoints import looks_like_service_config, service_config_findings
from extractors.terraform.workflows import looks_like_workflow, workflow_findings

LANGUAGE = "cloudformation"
MAX_BYTES = 2 * 1024 * 1024
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

ID_LAMBDA = "cloudformation.lambda_function"
ID_API = "cloudformation.api_gateway"
ID_SQS = "cloudformation.sqs_queue"
ID_MAPPING = "cloudformation.event_source_mapping"
ID_RETRY = "cloudformation.lambda_retry"
ID_EVENT_TARGET = "cloudformation.event_target"
ID_STEP_FUNCTIONS = "cloudformation.step_functions"
ID_OTHER = "cloudformation.aws_limits"

CFN_LAMBDA_DEFAULT_MS = 3000
SERVERLESS_LAMBDA_DEFAULT_MS = 6000
REST_DEFAULT_MS = 29000
HTTP_API_DEFAULT_MS = 30000
WEBSOCKET_DEFAULT_MS = 29000
SQS_VISIBILITY_DEFAULT_MS = 30000

_TEMPLATE_NAME = re.compile(r"^(?:serverless|template|cfn|sam|cloudformation|.*[.-]template|.*[.-]cfn|.*[.-]sam)"
                            r"\.(?:ya?ml|json|template)$", re.I)
_TEMPLATE_DIRS = {"cloudformation", "cfn", "sam", "templates", "stacks"}
# Content of a template whatever its name: a CloudFormation template's top-level keys (YAML or JSON)
# with a resource type, or a Serverless Framework file's `provider:` and `functions:`.
_CFN_KEYS = re.compile(rb'(?m)^(?:(?:AWSTemplateFormatVersion|Resources)|[{\s]*"(?:AWSTemplateFormatVersion|Resources)")\s*:')
_RESOURCE_TYPE = re.compile(rb'(?:^|[\s{,])"?Type"?\s*:\s*["\']?AWS::[A-Za-z0-9]+::')
_SLS_PROVIDER = re.compile(rb"(?m)^provider\s*:")
_SLS_FUNCTIONS = re.compile(rb"(?m)^functions\s*:")


def _is_template_name(path: str) -> bool:
    parts = path.rsplit("/", 2)
    if _TEMPLATE_NAME.match(parts[-1]):
        return True
    folder = parts[-2].lower() if len(parts) >= 2 else ""
    return folder in _TEMPLATE_DIRS and parts[-1].lower().endswith((".yaml", ".yml", ".json", ".template"))


def _looks_like_template(data: bytes) -> bool:
    """A file not named like a template is read when its content is one: `Resources:` (or
    `AWSTemplateFormatVersion`) at the top level and an `AWS::` resource type, or a Serverless file."""
    if b"AWS::" in data and _CFN_KEYS.search(data) and _RESOURCE_TYPE.search(data):
        return True
    return bool(_SLS_PROVIDER.search(data) and _SLS_FUNCTIONS.search(data))

_EXAMPLE_FUNCTION = """\
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Timeout: 60
"""
_EXAMPLE_NOT = """\
AWSTemplateFormatVersion: '2010-09-09'
Description: "Timeout: 60 is in a string"
Resources:
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      DisplayName: timeout   # Timeout: 60
"""


@detector(ID_LAMBDA, LANGUAGE, ["timeout"], valid=[_EXAMPLE_NOT], invalid=[_EXAMPLE_FUNCTION])
def _doc_lambda():
    """Lambda function timeout in CloudFormation, SAM and Serverless Framework files.

    What it does: reports how long a function may run (``Timeout`` of ``AWS::Lambda::Function`` /
    ``AWS::Serverless::Function``, SAM ``Globals.Function.Timeout``, Serverless ``timeout`` /
    ``provider.timeout``), including the default when none is written (3 s; 6 s in the Serverless
    Framework), as ``phase: function`` with ``resource`` = the logical id. (Round 11) The warmer
    Lambda serverless-plugin-warmup adds: ``custom.warmup.<warmer>.timeout`` when written.

    Why it matters: API Gateway and SQS in front of the function have limits of their own; a
    function allowed to run longer breaks them (the ``infra-*`` checks).

    Example: ``Timeout: 60`` -> ``timeout timeout_ms=60000 phase=function``."""


@detector(ID_API, LANGUAGE, ["timeout"], valid=[_EXAMPLE_NOT], invalid=["""\
service: refunds
provider:
  name: aws
functions:
  refund:
    handler: handler.refund
    events:
      - http: POST /refunds
"""])
def _doc_api():
    """API Gateway integration timeout in front of a Lambda (SAM ``Api``/``HttpApi`` events,
    Serverless ``http``/``httpApi`` events, ``AWS::ApiGateway::Method``, ``AWS::ApiGatewayV2::Integration``).

    What it does: reports how long API Gateway waits for the function (``TimeoutInMillis``, else
    29 s for REST APIs and 30 s for HTTP APIs), with ``integration_target`` naming the function.

    Why it matters: a function that may run longer than this returns a 504 to the client while it
    goes on (``infra-lambda-apigw-timeout``)."""


@detector(ID_SQS, LANGUAGE, ["timeout", "retry"], valid=[_EXAMPLE_NOT], invalid=["""\
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 120
"""])
def _doc_sqs():
    """SQS queue visibility timeout and redelivery (``AWS::SQS::Queue``).

    What it does: reports ``VisibilityTimeout`` (30 s by default) as ``phase: visibility`` and a
    ``RedrivePolicy``'s ``maxReceiveCount`` as a ``retry`` by redelivery.

    Why it matters: a message still in work when its visibility ends is handed out again
    (``infra-sqs-visibility-timeout``)."""


@detector(ID_MAPPING, LANGUAGE, ["outbound_call"], valid=[_EXAMPLE_NOT], invalid=["""\
Resources:
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      EventSourceArn: !GetAtt Queue.Arn
      FunctionName: !Ref Fn
"""])
def _doc_mapping():
    """Queue -> function wiring: SAM ``SQS`` events, Serverless ``sqs`` events,
    ``AWS::Lambda::EventSourceMapping``, as an ``outbound_call`` (``method: event_source_mapping``,
    ``source``, ``function``, ``batch_size``, ``batching_window_ms``)."""


@detector(ID_RETRY, LANGUAGE, ["retry"], valid=[_EXAMPLE_NOT, """\
Resources:
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      EventSourceArn: !GetAtt Queue.Arn
      FunctionName: !Ref Fn
"""], invalid=["""\
Resources:
  Invoke:
    Type: AWS::Lambda::EventInvokeConfig
    Properties:
      FunctionName: !Ref Fn
      Qualifier: $LATEST
      MaximumRetryAttempts: 0
"""])
def _doc_lambda_retry():
    """Lambda's own retries: asynchronous invocations and stream event sources.

    What it does: reports ``MaximumRetryAttempts`` of an ``AWS::Lambda::EventInvokeConfig``, of a
    SAM function's ``EventInvokeConfig`` and of a Serverless function's ``maximumRetryAttempts``
    (asynchronous invocations: 2 retries when not written, not reported), and of a stream event
    source (``AWS::Lambda::EventSourceMapping``, SAM ``DynamoDB``/``Kinesis`` events, Serverless
    ``stream`` events; ``-1`` = until the record expires: ``max_attempts`` null) as a ``retry``
    with ``max_attempts = n + 1`` (``mechanism: redelivery``).

    Why it matters: the function sees the same event again after a failure and must be idempotent.

    Example: ``MaximumRetryAttempts: 0`` -> ``retry max_attempts=1``."""


@detector(ID_EVENT_TARGET, LANGUAGE, ["retry"], valid=[_EXAMPLE_NOT, """\
Resources:
  Rule:
    Type: AWS::Events::Rule
    Properties:
      ScheduleExpression: rate(1 hour)
      Targets:
        - Arn: !GetAtt Fn.Arn
          Id: Fn
"""], invalid=["""\
Resources:
  Rule:
    Type: AWS::Events::Rule
    Properties:
      Targets:
        - Arn: !GetAtt Fn.Arn
          Id: Fn
          RetryPolicy:
            MaximumRetryAttempts: 4
"""])
def _doc_event_target():
    """EventBridge rule targets' and EventBridge Scheduler schedules' retry policies.

    What it does: reports ``RetryPolicy.MaximumRetryAttempts`` of an ``AWS::Events::Rule`` target,
    of an ``AWS::Scheduler::Schedule`` target and of SAM ``EventBridgeRule`` / ``CloudWatchEvent`` /
    ``Schedule`` / ``ScheduleV2`` events as a ``retry`` with ``max_attempts = n + 1``. A target
    without a policy (185 retries over 24 h by default) is not reported.

    Why it matters: the target (a function, a queue, an API destination) may get the same event
    several times.

    Example: ``RetryPolicy: {MaximumRetryAttempts: 4}`` -> ``retry max_attempts=5``."""


@detector(ID_STEP_FUNCTIONS, LANGUAGE, ["timeout", "retry"], valid=[_EXAMPLE_NOT, """\
Resources:
  Machine:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      DefinitionS3Location: {Bucket: b, Key: machine.json}
"""], invalid=["""\
Resources:
  Machine:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      DefinitionString: |
        {"StartAt": "Call", "States": {"Call": {"Type": "Task", "Resource": "arn",
          "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2}], "End": true}}}
"""])
def _doc_step_functions():
    """Step Functions task timeouts and retriers written in a template.

    What it does: in an ``AWS::StepFunctions::StateMachine``'s ``DefinitionString`` / ``Definition``
    and an ``AWS::Serverless::StateMachine``'s ``Definition`` (JSON text, ``!Sub``, or YAML), each
    ``TimeoutSeconds`` is a timeout (``phase: total``) and each retrier's ``MaxAttempts: n`` a
    ``retry`` with ``max_attempts = n + 1`` (``library: aws_step_functions``), at its own line.
    Literal numbers only; definitions in another file (``DefinitionS3Location``,
    ``DefinitionUri``) are not read.

    Why it matters: a Task calling a Lambda function or an HTTP endpoint retries it; the callee
    sees the same input again and must be idempotent.

    Example: ``"MaxAttempts": 2`` -> ``retry max_attempts=3``."""


@detector(ID_OTHER, LANGUAGE, ["timeout", "retry"], valid=[_EXAMPLE_NOT, """\
Resources:
  Targets:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      HealthCheckTimeoutSeconds: 5
      TargetGroupAttributes:
        - Key: deregistration_delay.timeout_seconds
          Value: "30"
"""], invalid=["""\
Resources:
  Balancer:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      LoadBalancerAttributes:
        - Key: idle_timeout.timeout_seconds
          Value: "120"
"""])
def _doc_aws_limits():
    """Other AWS resources' limits between services, as the Terraform survey lists them.

    What it does: reports, where written: a load balancer's idle timeout
    (``AWS::ElasticLoadBalancingV2::LoadBalancer`` ``idle_timeout.timeout_seconds``, a classic
    ELB's ``ConnectionSettings.IdleTimeout``; ``phase: idle``), a CloudFront custom origin's
    ``OriginReadTimeout`` (``phase: read``), an HTTP/S SNS subscription's
    ``healthyRetryPolicy.numRetries`` (+ 1), a Batch job's ``RetryStrategy.Attempts`` (every
    attempt) and ``Timeout.AttemptDurationSeconds`` (``phase: per_try``), a Glue job's
    ``MaxRetries`` (+ 1) and ``Timeout`` (minutes), an RDS proxy target group's
    ``ConnectionBorrowTimeout`` (``phase: connect``). Health checks and deregistration delays
    are not read (the platform probing or draining a target, not a call).

    Why it matters: a proxy or a job runner in front of a service cuts or repeats its calls.

    Example: ``idle_timeout.timeout_seconds: "120"`` -> ``timeout timeout_ms=120000 phase=idle``."""


# --- YAML nodes ----------------------------------------------------------------------------------

Node = yaml.Node


def _get(node: Node | None, key: str) -> Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return v
    return None


def _items(node: Node | None) -> list[tuple[str, Node, Node]]:
    if not isinstance(node, yaml.MappingNode):
        return []
    return [(k.value, k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)]


def _seq(node: Node | None) -> list[Node]:
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def _line(node: Node) -> int:
    return node.start_mark.line + 1


def _text(node: Node | None) -> str | None:
    """A plain scalar's text (not a tagged intrinsic)."""
    if isinstance(node, yaml.ScalarNode) and not node.tag.startswith("!"):
        return node.value
    return None


def _ref(node: Node | None) -> str | None:
    """The logical id an intrinsic names: ``!Ref X``, ``!GetAtt X.Arn``, ``{Ref: X}``,
    ``{Fn::GetAtt: [X, Arn]}``, ``!Sub "${X.Arn}"``."""
    if node is None:
        return None
    if isinstance(node, yaml.ScalarNode):
        if node.tag in ("!Ref", "!GetAtt"):
            return node.value.split(".", 1)[0] or None
        if node.tag == "!Sub":
            match = re.search(r"\$\{([A-Za-z0-9]+)(?:\.[A-Za-z]+)?\}", node.value)
            return match.group(1) if match else None
        return None
    if isinstance(node, yaml.SequenceNode) and node.tag == "!GetAtt" and node.value:
        return _text(node.value[0]) if isinstance(node.value[0], yaml.ScalarNode) else None
    for key in ("Ref", "Fn::GetAtt", "Fn::Sub"):
        inner = _get(node, key)
        if inner is None:
            continue
        if key == "Ref":
            return _text(inner)
        if key == "Fn::GetAtt":
            items = _seq(inner)
            if items:
                return _text(items[0])
            text = _text(inner)
            return text.split(".", 1)[0] if text else None
        text = _text(inner) or (_text(_seq(inner)[0]) if _seq(inner) else None)
        match = re.search(r"\$\{([A-Za-z0-9]+)(?:\.[A-Za-z]+)?\}", text or "")
        return match.group(1) if match else None
    return None


def _number(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return value if value == value and value not in (float("inf"), float("-inf")) else None


class _File:
    def __init__(self, path: str, root: Node, serverless: bool, lines: list[str], text: str = ""):
        self.path = path
        self.lines = lines
        self.text = text
        self.root = root
        self.serverless = serverless
        self.parameters = _get(root, "Parameters")
        self.findings: list[Finding] = []
        self.symbols: dict[str, Expr] = {}  # the functions' environment (``$deploy-env:``)
        self._sdk_seen: set[int] = set()  # AWS_MAX_ATTEMPTS nodes reported (a Globals mapping is shared)

    def environment(self, names: list[str], code: str | None, *variables: Node | None) -> None:
        """A function's environment variables as the deployment environment of the code it runs
        (``$deploy-env:<function>:<VAR>``, as Kubernetes workloads and compose services give theirs),
        and its code folder (``$deploy-build:<function>``: SAM ``CodeUri``, a Serverless service's
        folder): a Python/JS service in that folder reading ``os.environ["HTTP_TIMEOUT"]`` gets the
        template's value. Literal values and parameters' defaults; later mappings win."""
        merged: dict[str, str] = {}
        for mapping in variables:
            for var, _, node in _items(mapping):
                text = _text(node)
                if text is None:
                    ref = node.value if isinstance(node, yaml.ScalarNode) and node.tag == "!Ref" else _text(_get(node, "Ref"))
                    text = _text(_get(_get(self.parameters, ref), "Default")) if ref else None
                if text is not None and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", var) and "${" not in text:
                    merged[var] = text
        for name in dict.fromkeys(n for n in names if n):
            for var, text in merged.items():
                self.symbols[f"$deploy-env:{name}:{var}"] = Str(text)
            if code:
                self.symbols[f"$deploy-build:{name}"] = Str(code)
        # round 11: the AWS SDK's own retry bound (every SDK reads AWS_MAX_ATTEMPTS: total attempts
        # of each call, the first try included), reported where the environment writes it
        resource = next((n for n in names if n), None)
        for mapping in variables:
            for var, _, node in _items(mapping):
                if var == "AWS_MAX_ATTEMPTS" and id(node) not in self._sdk_seen:
                    self._sdk_seen.add(id(node))
                    self.retry(node, ID_RETRY, "aws_sdk", 0, {"resource": resource, "setting": var},
                               mechanism="client_config")

    # -- values --
    def value(self, node: Node | None, depth: int = 0) -> tuple[float | None, str, str]:
        """(number, resolved_from, expression) of a setting's node."""
        if node is None:
            return None, "unresolved", ""
        ref = _get(node, "Ref") if isinstance(node, yaml.MappingNode) else None
        name = node.value if isinstance(node, yaml.ScalarNode) and node.tag == "!Ref" else _text(ref)
        if name is not None:
            default = _text(_get(_get(self.parameters, name), "Default"))
            number = _number(default)
            return number, ("config" if number is not None else "unresolved"), f"!Ref {name}"
        if depth < 5:
            choice = self._choice(node, depth)
            if choice is not None:
                return choice
        text = _text(node)
        if text is None:
            return None, "unresolved", ""
        if self.serverless and "${" in text and depth < 5:
            return self._variable(text, depth)
        number = _number(text)
        return number, ("literal" if number is not None else "unresolved"), text

    def _choice(self, node: Node, depth: int) -> tuple[float | None, str, str] | None:
        """``!FindInMap [Map, key, name]`` and ``!If [cond, a, b]``: a value that depends on the
        stack's parameters (the stage, a condition). The one value when every choice agrees
        (``config``), else unresolved: which one applies is not in the code."""
        function, args = None, None
        if isinstance(node, yaml.SequenceNode) and node.tag in ("!FindInMap", "!If"):
            function, args = node.tag[1:], _seq(node)
        elif isinstance(node, yaml.MappingNode) and len(node.value) == 1:
            key = _text(node.value[0][0])
            if key in ("Fn::FindInMap", "Fn::If"):
                function, args = key[4:], _seq(node.value[0][1])
        if function is None:
            return None
        if function == "FindInMap" and len(args) == 3:
            mapping = _get(_get(self.root, "Mappings"), _text(args[0]) or "")
            first = _text(args[1])
            candidates = [_get(mapping, first)] if first is not None else [v for _, _, v in _items(mapping)]
            choices = [_get(c, _text(args[2]) or "") for c in candidates]
            expression = f"!FindInMap {_text(args[0])}"
        elif function == "If" and len(args) == 3:
            choices = [args[1], args[2]]
            expression = "!If"
        else:
            return None
        values = [self.value(c, depth + 1)[0] if c is not None else None for c in choices]
        if values and values[0] is not None and all(v == values[0] for v in values):
            return values[0], "config", expression
        return None, "unresolved", expression

    def _variable(self, text: str, depth: int) -> tuple[float | None, str, str]:
        match = re.fullmatch(r"\$\{\s*([a-z]+):([^,}]*)(?:,\s*([^}]*))?\}", text.strip())
        if match is None:
            return None, "unresolved", text
        source, path, default = match.group(1), match.group(2).strip(), match.group(3)
        if source == "self":
            node = self.root
            for part in path.split("."):
                node = _get(node, part)
                if node is None:
                    break
            if node is not None:
                number, how, _ = self.value(node, depth + 1)
                return number, ("config" if how == "literal" else how), text
        if source == "param":
            # Serverless v3 stage parameters: `params: {default: {t: 30}, prod: {t: 60}}`: one value
            # when every stage that sets it agrees, else unresolved (the stage is chosen at deploy)
            values = [self.value(_get(stage, path), depth + 1)[0]
                      for _, _, stage in _items(_get(self.root, "params")) if _get(stage, path) is not None]
            if values and values[0] is not None and all(v == values[0] for v in values):
                return values[0], "config", text
            if values:
                return None, "unresolved", text
        if default is not None:
            number = _number(default.strip().strip("'\""))
            if number is not None:
                return number, "env_default", text
        return None, "unresolved", text

    # -- findings --
    def add(self, kind: str, node: Node, detector_id: str, attributes: dict[str, Any], confidence: str = "high",
            target: Target | None = None) -> None:
        start, end = node.start_mark, node.end_mark
        evidence = self.lines[start.line].strip()[:200] if start.line < len(self.lines) else ""
        self.findings.append(Finding(
            kind=kind, path=self.path, line=start.line + 1, column=start.column + 1, end_line=end.line + 1,
            end_column=end.column + 1, language=LANGUAGE, detector=detector_id, confidence=confidence,
            attributes=attributes, evidence=evidence, target=target))

    def retry(self, node: Node | None, detector_id: str, library: str, add: int, extra: dict[str, Any],
              mechanism: str = "redelivery", backoff: str | None = None) -> None:
        """A retry bound from ``node``: ``n + add`` attempts (``-1``: unbounded, ``max_attempts``
        null); nothing when the node is absent."""
        if node is None:
            return
        number, how, expression = self.value(node)
        attempts = None if number is None or number < 0 else int(number) + add
        self.add("retry", node, detector_id, {
            "max_attempts": attempts, "backoff": backoff, "retry_on": "error", "mechanism": mechanism,
            "library": library, "expression": expression or (_text(node) or ""), "resolved_from": how, **extra},
            confidence="high" if how == "literal" else "medium")

    def timeout(self, node: Node, anchor: Node, detector_id: str, phase: str, scale: float, default_ms: float | None,
                extra: dict[str, Any]) -> None:
        """A timeout from ``node`` (the value), or the default at ``anchor`` when there is none."""
        if node is None:
            if default_ms is None:
                return
            self.add("timeout", anchor, detector_id, {
                "timeout_ms": normalise_ms(default_ms), "phase": phase, "resolved_from": "library_default",
                "expression": "", **extra}, confidence="medium")
            return
        number, how, expression = self.value(node)
        ms = normalise_ms(number * scale) if number is not None else None
        self.add("timeout", node, detector_id, {
            "timeout_ms": ms, "phase": phase, "resolved_from": how, "expression": expression, **extra},
            confidence="high" if how == "literal" else "medium")


# --- CloudFormation / SAM ------------------------------------------------------------------------

_DEAD_LETTER_NAME = re.compile(r"(?:DLQ|Dlq|DeadLetter|Deadletter|dead_letter|dead-letter)(?:Queue)?\d*$")


def _queue_roles(resources: Node | None) -> tuple[set[str], set[str]]:
    """(dead-letter queues, consumed queues) of a template's resources, by logical id: the
    ``deadLetterTargetArn`` of a queue's ``RedrivePolicy``; an event source mapping's or a SAM
    function's ``SQS`` event's queue."""
    dead_letters: set[str] = set()
    consumed: set[str] = set()
    for logical, _key, resource in _items(resources):
        kind = _text(_get(resource, "Type")) or ""
        props = _get(resource, "Properties")
        if kind == "AWS::SQS::Queue":
            target = _ref(_get(_json_or_node(_get(props, "RedrivePolicy")), "deadLetterTargetArn"))
            if target:
                dead_letters.add(target)
            if _DEAD_LETTER_NAME.search(logical):
                dead_letters.add(logical)  # round 12: `BookingsDLQ`, `OrdersDeadLetterQueue`: named for its role
        elif kind == "AWS::Lambda::EventSourceMapping":
            source = _ref(_get(props, "EventSourceArn"))
            if source:
                consumed.add(source)
        elif kind == "AWS::Serverless::Function":
            for _name, _ekey, event in _items(_get(props, "Events")):
                if (_text(_get(event, "Type")) or "") == "SQS":
                    source = _ref(_get(_get(event, "Properties"), "Queue"))
                    if source:
                        consumed.add(source)
    return dead_letters, consumed


_SQS_RECEIVE = re.compile(r"^sqs:(?:\*|Receive\*?|ReceiveMessage)$", re.IGNORECASE)
_SQS_SEND = re.compile(r"^sqs:Send(?:\*|Message(?:Batch)?)$", re.IGNORECASE)


def _queue_grants(root: Node | None) -> tuple[set[str], set[str]]:
    """(queues some IAM statement lets a reader receive from, queues some statement lets a writer
    send to), by logical id, over the whole template: a statement's ``Action`` and the logical ids its
    ``Resource`` names; SAM's ``SQSPollerPolicy`` / ``SQSSendMessagePolicy`` templates by their
    ``QueueName``. Round 17: a queue the template only sends to has its reader elsewhere or nowhere."""
    received: set[str] = set()
    sent: set[str] = set()
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
            continue
        if not isinstance(node, yaml.MappingNode):
            continue
        action = _get(node, "Action")
        if action is not None:
            actions = [_text(a) or "" for a in (_seq(action) or [action])]
            names = _resource_refs(_get(node, "Resource"))
            if any(_SQS_RECEIVE.match(a) for a in actions):
                received |= names
            if any(_SQS_SEND.match(a) for a in actions):
                sent |= names
        for template, into in (("SQSPollerPolicy", received), ("SQSSendMessagePolicy", sent)):
            queue = _ref(_get(_get(node, template), "QueueName"))
            if queue:
                into.add(queue)
        stack.extend(v for _, v in node.value)
    return received, sent


def _resource_refs(node: Node | None) -> set[str]:
    out: set[str] = set()
    for item in _seq(node) or ([node] if node is not None else []):
        name = _ref(item)
        if name:
            out.add(name)
    return out


_API_TYPES = ("AWS::Serverless::Api", "AWS::Serverless::HttpApi", "AWS::ApiGateway::RestApi", "AWS::ApiGatewayV2::Api")


def _cloudformation(f: _File) -> None:
    resources = _get(f.root, "Resources")
    dead_letters, consumed = _queue_roles(resources)
    received, sent = _queue_grants(resources)
    global_timeout = _get(_get(_get(f.root, "Globals"), "Function"), "Timeout")
    global_invoke = _get(_get(_get(_get(f.root, "Globals"), "Function"), "EventInvokeConfig"), "MaximumRetryAttempts")
    for logical, key_node, resource in _items(resources):
        kind = _text(_get(resource, "Type")) or ""
        props = _get(resource, "Properties")
        if kind in ("AWS::Lambda::Function", "AWS::Serverless::Function"):
            _function(f, logical, key_node, props, sam=kind == "AWS::Serverless::Function",
                      global_timeout=global_timeout, global_invoke=global_invoke)
        elif kind == "AWS::SQS::Queue":
            _queue(f, logical, key_node, props, unused_dead_letter=logical in dead_letters and logical not in consumed,
                   send_only=logical in sent and logical not in received and logical not in consumed)
        elif kind == "AWS::Lambda::EventSourceMapping":
            f.retry(_get(props, "MaximumRetryAttempts"), ID_RETRY, "aws_lambda_esm", 1,
                    {"resource": logical, "setting": "MaximumRetryAttempts",
                     "function": _ref(_get(props, "FunctionName")) or _text(_get(props, "FunctionName"))})
            source = _ref(_get(props, "EventSourceArn"))
            arn = _text(_get(props, "EventSourceArn")) or ""
            source_node = _get(props, "EventSourceArn")
            if isinstance(source_node, yaml.ScalarNode) and "StreamArn" in source_node.value:
                continue  # a DynamoDB / Kinesis stream, not a queue
            if source is None and ":sqs:" not in arn:
                continue
            _mapping(f, key_node, source or arn.rsplit(":", 1)[-1], _ref(_get(props, "FunctionName")),
                     _text(_get(props, "FunctionName")), _get(props, "BatchSize"),
                     _get(props, "MaximumBatchingWindowInSeconds"))
        elif kind in _API_TYPES:
            # round 10: an OpenAPI body written in place (not an AWS::Include of a file, read there)
            body = _get(props, "DefinitionBody") if kind.startswith("AWS::Serverless::") else _get(props, "Body")
            if isinstance(body, yaml.MappingNode) and _get(body, "paths") is not None:
                _openapi_paths(f, body, http_api=kind in ("AWS::Serverless::HttpApi", "AWS::ApiGatewayV2::Api"))
        elif kind == "AWS::ApiGateway::Method":
            integration = _get(props, "Integration")
            itype = (_text(_get(integration, "Type")) or "").upper()
            function = _ref(_get(integration, "Uri"))
            if integration is None or itype == "MOCK" or (function is None and itype in ("AWS_PROXY", "")):
                continue
            method = _text(_get(props, "HttpMethod"))
            _integration(f, _get(integration, "TimeoutInMillis"), key_node, logical, function,
                         REST_DEFAULT_MS, method, url=_text(_get(integration, "Uri")))
        elif kind == "AWS::ApiGatewayV2::Integration":
            function = _ref(_get(props, "IntegrationUri"))
            itype = (_text(_get(props, "IntegrationType")) or "").upper()
            if itype == "MOCK" or (function is None and itype not in ("HTTP_PROXY", "HTTP")):
                continue
            # the API's protocol sets the default: WebSocket 29 s, HTTP API 30 s
            api = _get(_get(resources, _ref(_get(props, "ApiId")) or ""), "Properties")
            websocket = (_text(_get(api, "ProtocolType")) or "").upper() == "WEBSOCKET"
            _integration(f, _get(props, "TimeoutInMillis"), key_node, logical, function,
                         WEBSOCKET_DEFAULT_MS if websocket else HTTP_API_DEFAULT_MS, None,
                         url=_text(_get(props, "IntegrationUri")))
        elif kind == "AWS::ElasticLoadBalancingV2::LoadBalancer":
            for attribute in _seq(_get(props, "LoadBalancerAttributes")):
                if _text(_get(attribute, "Key")) == "idle_timeout.timeout_seconds":
                    f.timeout(_get(attribute, "Value"), key_node, ID_OTHER, "idle", 1000.0, None,
                              {"resource": logical, "setting": "idle_timeout.timeout_seconds"})
        elif kind == "AWS::ElasticLoadBalancing::LoadBalancer":
            f.timeout(_get(_get(props, "ConnectionSettings"), "IdleTimeout"), key_node, ID_OTHER, "idle", 1000.0,
                      None, {"resource": logical, "setting": "ConnectionSettings.IdleTimeout"})
        elif kind == "AWS::CloudFront::Distribution":
            for origin in _seq(_get(_get(props, "DistributionConfig"), "Origins")):
                f.timeout(_get(_get(origin, "CustomOriginConfig"), "OriginReadTimeout"), key_node, ID_OTHER, "read",
                          1000.0, None, {"resource": logical, "setting": "OriginReadTimeout",
                                         "origin": _text(_get(origin, "DomainName"))})
        elif kind == "AWS::SNS::Subscription":
            if (_text(_get(props, "Protocol")) or "").lower() in ("http", "https"):
                f.retry(_get(_get(_json_or_node(_get(props, "DeliveryPolicy")), "healthyRetryPolicy"), "numRetries"),
                        ID_OTHER, "aws_sns", 1, {"resource": logical, "setting": "healthyRetryPolicy.numRetries"})
        elif kind == "AWS::Batch::JobDefinition":
            f.retry(_get(_get(props, "RetryStrategy"), "Attempts"), ID_OTHER, "aws_batch", 0,
                    {"resource": logical, "setting": "RetryStrategy.Attempts"})
            f.timeout(_get(_get(props, "Timeout"), "AttemptDurationSeconds"), key_node, ID_OTHER, "per_try", 1000.0,
                      None, {"resource": logical, "setting": "Timeout.AttemptDurationSeconds"})
        elif kind == "AWS::Glue::Job":
            f.retry(_get(props, "MaxRetries"), ID_OTHER, "aws_glue", 1, {"resource": logical, "setting": "MaxRetries"})
            f.timeout(_get(props, "Timeout"), key_node, ID_OTHER, "function", 60000.0, None,
                      {"resource": logical, "setting": "Timeout"})
        elif kind == "AWS::RDS::DBProxyTargetGroup":
            f.timeout(_get(_get(props, "ConnectionPoolConfigurationInfo"), "ConnectionBorrowTimeout"), key_node,
                      ID_OTHER, "connect", 1000.0, None, {"resource": logical, "setting": "ConnectionBorrowTimeout"})
        elif kind == "AWS::Lambda::EventInvokeConfig":
            f.retry(_get(props, "MaximumRetryAttempts"), ID_RETRY, "aws_lambda_async", 1,
                    {"resource": logical, "setting": "MaximumRetryAttempts",
                     "function": _ref(_get(props, "FunctionName")) or _text(_get(props, "FunctionName"))})
        elif kind == "AWS::Events::Rule":
            for target in _seq(_get(props, "Targets")):
                f.retry(_get(_get(target, "RetryPolicy"), "MaximumRetryAttempts"), ID_EVENT_TARGET,
                        "aws_eventbridge", 1, {"resource": logical, "setting": "MaximumRetryAttempts",
                                               "target": _ref(_get(target, "Arn"))})
        elif kind == "AWS::Scheduler::Schedule":
            target = _get(props, "Target")
            f.retry(_get(_get(target, "RetryPolicy"), "MaximumRetryAttempts"), ID_EVENT_TARGET, "aws_scheduler", 1,
                    {"resource": logical, "setting": "MaximumRetryAttempts", "target": _ref(_get(target, "Arn"))})
        elif kind in ("AWS::StepFunctions::StateMachine", "AWS::Serverless::StateMachine"):
            for key in ("DefinitionString", "Definition"):
                definition = _get(props, key)
                if definition is not None:
                    _state_machine(f, logical, definition)
            if kind == "AWS::Serverless::StateMachine":
                _state_machine_events(f, logical, props)


def _function(f: _File, logical: str, key_node: Node, props: Node | None, sam: bool, global_timeout: Node | None,
              global_invoke: Node | None = None) -> None:
    name = _text(_get(props, "FunctionName")) or logical
    code = _text(_get(props, "CodeUri")) if sam else None
    global_env = _get(_get(_get(_get(f.root, "Globals"), "Function"), "Environment"), "Variables") if sam else None
    f.environment([logical, name], code, global_env, _get(_get(props, "Environment"), "Variables"))
    timeout = _get(props, "Timeout")
    if timeout is None and sam and global_timeout is not None:
        timeout = global_timeout
    f.timeout(timeout, key_node, ID_LAMBDA, "function", 1000.0, CFN_LAMBDA_DEFAULT_MS,
              {"resource": logical, "setting": "Timeout", "function_name": name})
    if not sam:
        return
    invoke = _get(_get(props, "EventInvokeConfig"), "MaximumRetryAttempts")
    if invoke is None and global_invoke is not None:
        invoke = global_invoke  # Globals.Function.EventInvokeConfig
    f.retry(invoke, ID_RETRY, "aws_lambda_async", 1,
            {"resource": logical, "setting": "EventInvokeConfig.MaximumRetryAttempts", "function": logical})
    for event_name, event_key, event in _items(_get(props, "Events")):
        kind = _text(_get(event, "Type"))
        eprops = _get(event, "Properties")
        if kind in ("DynamoDB", "Kinesis"):
            f.retry(_get(eprops, "MaximumRetryAttempts"), ID_RETRY, "aws_lambda_esm", 1,
                    {"resource": f"{logical}.Events.{event_name}", "setting": "MaximumRetryAttempts",
                     "function": logical})
        elif kind in ("EventBridgeRule", "CloudWatchEvent", "Schedule", "ScheduleV2"):
            f.retry(_get(_get(eprops, "RetryPolicy"), "MaximumRetryAttempts"), ID_EVENT_TARGET,
                    "aws_scheduler" if kind == "ScheduleV2" else "aws_eventbridge", 1,
                    {"resource": f"{logical}.Events.{event_name}", "setting": "MaximumRetryAttempts",
                     "target": logical})
        if kind in ("Api", "HttpApi"):
            method = _text(_get(eprops, "Method"))
            path = _text(_get(eprops, "Path"))
            _integration(f, _get(eprops, "TimeoutInMillis"), event_key, f"{logical}.Events.{event_name}", logical,
                         REST_DEFAULT_MS if kind == "Api" else HTTP_API_DEFAULT_MS,
                         method, path)
        elif kind == "SQS":
            queue = _get(eprops, "Queue")
            source = _ref(queue) or (_text(queue) or "").rsplit(":", 1)[-1] or None
            if source:
                _mapping(f, event_key, source, logical, name, _get(eprops, "BatchSize"),
                         _get(eprops, "MaximumBatchingWindowInSeconds"))


def _state_machine_events(f: _File, logical: str, props: Node | None) -> None:
    """An SAM state machine's events: an ``Api`` / ``HttpApi`` event is an API Gateway integration
    that starts the execution (29 s / 30 s unless ``TimeoutInMillis``... which SAM state machine
    events do not take: the default); ``EventBridgeRule`` / ``Schedule`` / ``ScheduleV2`` /
    ``CloudWatchEvent`` events' ``RetryPolicy.MaximumRetryAttempts`` (retries)."""
    for event_name, event_key, event in _items(_get(props, "Events")):
        kind = _text(_get(event, "Type"))
        eprops = _get(event, "Properties")
        if kind in ("Api", "HttpApi"):
            _integration(f, _get(eprops, "TimeoutInMillis"), event_key, f"{logical}.Events.{event_name}", logical,
                         REST_DEFAULT_MS if kind == "Api" else HTTP_API_DEFAULT_MS,
                         _text(_get(eprops, "Method")), _text(_get(eprops, "Path")))
        elif kind in ("EventBridgeRule", "CloudWatchEvent", "Schedule", "ScheduleV2"):
            f.retry(_get(_get(eprops, "RetryPolicy"), "MaximumRetryAttempts"), ID_EVENT_TARGET,
                    "aws_scheduler" if kind == "ScheduleV2" else "aws_eventbridge", 1,
                    {"resource": f"{logical}.Events.{event_name}", "setting": "MaximumRetryAttempts",
                     "target": logical})


# `"TimeoutSeconds": 30` (JSON text) or `TimeoutSeconds: 30` (a YAML definition).
_SFN_SETTING = re.compile(r'(?<![\w$])"?(TimeoutSeconds|MaxAttempts)"?\s*:\s*(\d+)\b')
# round 12: a Terraform templatefile() variable in the definition (`"MaxAttempts": ${max_attempts}`),
# valued from the map the calling .tf file hands templatefile() (TEMPLATE_VAR symbols, see
# extractors/terraform/extractor.py); read only in files templatefile() renders
_SFN_SETTING_VAR = re.compile(r'(?<![\w$])"?(TimeoutSeconds|MaxAttempts)"?\s*:\s*\$\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}')
TEMPLATE_VAR = "$tftemplate:"
# round 13: a whole retrier list handed to the template (`"Retry": ${retry_statement}`, built with
# jsonencode() in the calling .tf file): the attempts that file publishes for it
# (extractors/terraform/detectors/step_functions.py retrier_attempts)
_SFN_RETRY_VAR = re.compile(r'(?<![\w$])"?Retry"?\s*:\s*\$\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}')
_SFN_ATTEMPTS = "$sfn-attempts:"


def template_var(path: str, name: str) -> str:
    """The symbol a templatefile() call publishes for one variable of the template at ``path``
    (relative to the scan root)."""
    return f"{TEMPLATE_VAR}{path}:{name}"
_YAML_COMMENT = re.compile(r"(?m)(?:^|(?<=\s))#[^\n]*")


def _state_machine(f: _File, logical: str, definition: Node) -> None:
    """Task timeouts and retriers of a definition written in the template, read in the template's
    own text between the definition's first and last character so that lines are the file's."""
    start, end = definition.start_mark.index, definition.end_mark.index
    comments = isinstance(definition, (yaml.MappingNode, yaml.SequenceNode)) or definition.style in (None, "|", ">")
    _state_machine_text(f, logical, f.text[start:end], definition.start_mark.line + 1,
                        definition.start_mark.column + 1, yaml_comments=comments)


def _state_machine_text(f: _File, logical: str, text: str, base_line: int, base_column: int,
                        yaml_comments: bool) -> None:
    if yaml_comments:
        # a YAML definition or a block scalar: YAML comments are not the definition
        text = _YAML_COMMENT.sub(lambda m: " " * len(m.group(0)), text)
    for match in _SFN_SETTING.finditer(text):
        before = text[:match.start()]
        line = base_line + before.count("\n")
        column = (match.start() - before.rfind("\n")) if "\n" in before else base_column + match.start()
        name, value = match.group(1), int(match.group(2))
        common = {"resource": logical, "setting": name, "expression": match.group(0), "resolved_from": "literal"}
        if name == "TimeoutSeconds":
            kind = "timeout"
            attrs = {"timeout_ms": normalise_ms(value * 1000.0), "phase": "total", **common}
        else:
            kind = "retry"
            attrs = {"max_attempts": value + 1, "backoff": "exponential", "retry_on": "error",
                     "mechanism": "client_config", "library": "aws_step_functions", **common}
        evidence = f.lines[line - 1].strip()[:200] if line - 1 < len(f.lines) else ""
        f.findings.append(Finding(kind=kind, path=f.path, line=line, column=column, end_line=line,
                                  end_column=column + len(match.group(0)), language=LANGUAGE,
                                  detector=ID_STEP_FUNCTIONS, confidence="high", attributes=attrs,
                                  evidence=evidence))
    if f.path.lower().endswith(_TEMPLATEFILE_SUFFIXES) and "${" in text:
        _state_machine_template_vars(f, logical, text, base_line, base_column)
    if "NumericLessThan" in text:
        _choice_retry_loops(f, logical, text, base_line, base_column)
    if "HeartbeatSeconds" in text and "waitForTaskToken" in text:
        _callback_heartbeats(f, logical, text, base_line)


# round 14: a retry loop built of states: a Choice comparing a retry counter (`"Variable":
# "$$.Execution.Input.retryCount"`, `$.attempts`, `$.retries`) with `NumericLessThan: 2` that goes
# back to run the work again (the counter counts the runs after the first: < 2 -> 3 runs)
_SFN_COUNTER_CHOICE = re.compile(
    r'"?Variable"?\s*:\s*"?(?P<var>\$[^"\n,}]*?(?:retry|retries|attempts?|tries)[_-]?(?:count|number|no)?)"?[ \t]*[,\n]'
    r'[^{}]{0,200}?"?(?P<op>NumericLessThan(?:Equals)?)"?\s*:\s*(?P<n>\d+)', re.I)


def _choice_retry_loops(f: _File, logical: str, text: str, base_line: int, base_column: int) -> None:
    """A Choice state continuing while a retry counter is below a bound: a retry of the states it
    goes back to, ``max_attempts`` = bound + 1 (``NumericLessThan``) or + 2 (``...Equals``), at the
    comparison's line."""
    for match in _SFN_COUNTER_CHOICE.finditer(text):
        start = match.start("op")
        before = text[:start]
        line = base_line + before.count("\n")
        column = (start - before.rfind("\n")) if "\n" in before else base_column + start
        bound = int(match.group("n"))
        attempts = bound + (2 if match.group("op").endswith("Equals") else 1)
        attrs = {"max_attempts": attempts, "backoff": None, "retry_on": "choice", "mechanism": "loop",
                 "library": "aws_step_functions", "resource": logical, "setting": match.group("var"),
                 "expression": text[match.start("op"):match.end()], "resolved_from": "literal"}
        evidence = f.lines[line - 1].strip()[:200] if line - 1 < len(f.lines) else ""
        f.findings.append(Finding(kind="retry", path=f.path, line=line, column=column, end_line=line,
                                  end_column=column + (match.end() - start), language=LANGUAGE,
                                  detector=ID_STEP_FUNCTIONS, confidence="medium", attributes=attrs,
                                  evidence=evidence))


def _state_machine_template_vars(f: _File, logical: str, text: str, base_line: int, base_column: int) -> None:
    """``"MaxAttempts": ${max_attempts}`` / ``"TimeoutSeconds": ${timeout}`` in a definition a
    Terraform templatefile() renders: pending on the value the calling file hands the template."""
    for match in _SFN_SETTING_VAR.finditer(text):
        before = text[:match.start()]
        line = base_line + before.count("\n")
        column = (match.start() - before.rfind("\n")) if "\n" in before else base_column + match.start()
        name, variable = match.group(1), Ref(template_var(f.path, match.group(2)))
        common = {"resource": logical, "setting": name, "expression": match.group(0), "resolved_from": "unresolved"}
        if name == "TimeoutSeconds":
            kind, pending = "timeout", Pending("timeout_ms", variable, 1000.0)
            attrs = {"timeout_ms": None, "phase": "total", **common}
        else:
            kind, pending = "retry", Pending("max_attempts", BinOp("+", variable, Num(1)), 1.0)
            attrs = {"max_attempts": None, "backoff": "exponential", "retry_on": "error",
                     "mechanism": "client_config", "library": "aws_step_functions", **common}
        evidence = f.lines[line - 1].strip()[:200] if line - 1 < len(f.lines) else ""
        f.findings.append(Finding(kind=kind, path=f.path, line=line, column=column, end_line=line,
                                  end_column=column + len(match.group(0)), language=LANGUAGE,
                                  detector=ID_STEP_FUNCTIONS, confidence="medium", attributes=attrs,
                                  evidence=evidence, pending=(pending,)))
    for match in _SFN_RETRY_VAR.finditer(text):
        before = text[:match.start()]
        line = base_line + before.count("\n")
        column = (match.start() - before.rfind("\n")) if "\n" in before else base_column + match.start()
        attempts = Ref(f"{template_var(f.path, match.group(1))}:{_SFN_ATTEMPTS}")
        attrs = {"max_attempts": None, "backoff": "exponential", "retry_on": "error",
                 "mechanism": "client_config", "library": "aws_step_functions", "resource": logical,
                 "setting": "Retry", "expression": match.group(0), "resolved_from": "unresolved"}
        evidence = f.lines[line - 1].strip()[:200] if line - 1 < len(f.lines) else ""
        f.findings.append(Finding(kind="retry", path=f.path, line=line, column=column, end_line=line,
                                  end_column=column + len(match.group(0)), language=LANGUAGE,
                                  detector=ID_STEP_FUNCTIONS, confidence="medium", attributes=attrs,
                                  evidence=evidence, pending=(Pending(KEEP_IF, attempts),
                                                              Pending("max_attempts", attempts, 1.0))))


def _callback_heartbeats(f: _File, logical: str, text: str, base_line: int) -> None:
    """A callback task's (``Resource: ...waitForTaskToken``) ``HeartbeatSeconds`` when it writes no
    ``TimeoutSeconds``: the only bound on the other service's ``SendTaskSuccess`` (nobody sends
    heartbeats for a token handed over in an event), caught as ``States.Timeout`` (round 9)."""
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except Exception:  # noqa: BLE001 - a definition that is not YAML/JSON text gives nothing more
        return
    stack, seen = [root], 0
    while stack and seen < 10000:
        node = stack.pop()
        seen += 1
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
            continue
        if not isinstance(node, yaml.MappingNode):
            continue
        keys = {k.value: (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}
        resource = _text(keys.get("Resource", (None, None))[1]) or ""
        if "HeartbeatSeconds" in keys and "TimeoutSeconds" not in keys and resource.endswith(".waitForTaskToken"):
            key, value = keys["HeartbeatSeconds"]
            seconds = _number(_text(value))
            if seconds is not None and seconds > 0:
                line = base_line + key.start_mark.line
                attrs = {"timeout_ms": normalise_ms(seconds * 1000.0), "phase": "total", "resource": logical,
                         "setting": "HeartbeatSeconds", "expression": f"HeartbeatSeconds: {_text(value)}",
                         "resolved_from": "literal", "callback": resource}
                evidence = f.lines[line - 1].strip()[:200] if line - 1 < len(f.lines) else ""
                f.findings.append(Finding(kind="timeout", path=f.path, line=line, column=key.start_mark.column + 1,
                                          end_line=line, end_column=value.end_mark.column + 1, language=LANGUAGE,
                                          detector=ID_STEP_FUNCTIONS, confidence="high", attributes=attrs,
                                          evidence=evidence))
        stack.extend(v for _, v in node.value)


def _queue(f: _File, logical: str, key_node: Node, props: Node | None, unused_dead_letter: bool = False,
           send_only: bool = False) -> None:
    """A queue's visibility timeout (AWS's 30 s when absent, except for a dead-letter queue nothing
    of the template consumes, or a queue the template only grants sending to: no reader of this stack,
    nobody's contract here; a written 0 on such a dead-letter queue bounds nothing either) and its
    redrive count."""
    visibility = _get(props, "VisibilityTimeout")
    if visibility is None and (unused_dead_letter or send_only):
        pass
    elif unused_dead_letter and (_text(visibility) or "").strip() == "0":
        pass
    else:
        f.timeout(visibility, key_node, ID_SQS, "visibility", 1000.0, SQS_VISIBILITY_DEFAULT_MS,
                  {"resource": logical, "setting": "VisibilityTimeout",
                   "queue_name": _text(_get(props, "QueueName"))})
    redrive = _json_or_node(_get(props, "RedrivePolicy"))
    count = _get(redrive, "maxReceiveCount")
    if count is not None:
        number, how, expression = f.value(count)
        f.add("retry", count, ID_SQS, {
            "max_attempts": int(number) if number is not None else None, "backoff": None, "retry_on": "error",
            "mechanism": "redelivery", "library": "aws_sqs", "resource": logical, "expression": expression,
            "resolved_from": how})


def _mapping(f: _File, anchor: Node, source: str, function: str | None, function_name: str | None,
             batch: Node | None, window: Node | None) -> None:
    batch_size, _, _ = f.value(batch) if batch is not None else (None, "", "")
    seconds, _, _ = f.value(window) if window is not None else (None, "", "")
    f.add("outbound_call", anchor, ID_MAPPING, {
        "protocol": "queue", "method": "event_source_mapping", "url": None, "source": source,
        "source_kind": "sqs", "function": function, "function_name": function_name,
        "batch_size": int(batch_size) if batch_size is not None else None,
        "batching_window_ms": normalise_ms(seconds * 1000) if seconds else None})


def _integration(f: _File, timeout: Node | None, anchor: Node, resource: str, function: str | None, default_ms: float,
                 method: str | None, path: str | None = None, url: str | None = None) -> None:
    route = " ".join(p for p in ((method or "").upper() or None, path) if p) or None
    if route and method and path and ".Events." in resource:
        # an SAM event declares this route: an OpenAPI document's Lambda-proxy integration of the
        # same route leaves its default to the event (see _openapi)
        f.symbols[route_symbol(method, path)] = Num(1)
    before = len(f.findings)
    f.timeout(timeout, anchor, ID_API, "total", 1.0, default_ms,
              {"resource": resource, "setting": "TimeoutInMillis", "integration_target": function, "route": route})
    if url and url.startswith(("http://", "https://")) and len(f.findings) > before:
        f.findings[-1] = replace(f.findings[-1], target=Target(url=url))


def route_symbol(method: str, path: str) -> str:
    """What a template publishes for each route an SAM Api / HttpApi event declares (global: a
    dotted name), for the OpenAPI documents of the same API in other folders."""
    method = method.upper().replace("X-AMAZON-APIGATEWAY-ANY-METHOD", "ANY")
    return f"$sam-api-route.{method} {path.rstrip('/') or '/'}"


def _json_or_node(node: Node | None) -> Node | None:
    """A policy written as a JSON string (``DeliveryPolicy: '{"healthyRetryPolicy": ...}'``) as
    nodes at the string's line, else the node itself."""
    if isinstance(node, yaml.ScalarNode) and node.value.lstrip().startswith("{"):
        try:
            inner = yaml.compose(node.value, Loader=_LOADER)
        except Exception:  # noqa: BLE001 - a policy that is not JSON gives nothing
            return None
        return _rebase(inner, node)
    return node


def _rebase(inner: Node | None, outer: Node) -> Node | None:
    """Nodes of a string's content placed at the string's own position (a one-line JSON policy)."""
    if inner is None:
        return None
    stack = [inner]
    while stack:
        node = stack.pop()
        node.start_mark, node.end_mark = outer.start_mark, outer.end_mark
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                stack.extend((k, v))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return inner


# --- Serverless Framework ------------------------------------------------------------------------

def _serverless(f: _File) -> None:
    provider = _get(f.root, "provider")
    default_timeout = _get(provider, "timeout")
    for name, key_node, function in _items(_get(f.root, "functions")):
        resource = f"functions.{name}"
        function_name = _text(_get(function, "name")) or name
        timeout = _get(function, "timeout")
        if timeout is None and default_timeout is not None:
            timeout = default_timeout
        f.timeout(timeout, key_node, ID_LAMBDA, "function", 1000.0, SERVERLESS_LAMBDA_DEFAULT_MS,
                  {"resource": resource, "setting": "timeout", "function_name": function_name})
        f.environment([name, function_name, _text(_get(f.root, "service"))], ".",
                      _get(provider, "environment"), _get(function, "environment"))
        f.retry(_get(function, "maximumRetryAttempts"), ID_RETRY, "aws_lambda_async", 1,
                {"resource": resource, "setting": "maximumRetryAttempts", "function": resource})
        for event in _seq(_get(function, "events")):
            for kind, event_key, spec in _items(event):
                if kind == "stream":
                    f.retry(_get(spec, "maximumRetryAttempts"), ID_RETRY, "aws_lambda_esm", 1,
                            {"resource": f"{resource}.events.stream", "setting": "maximumRetryAttempts",
                             "function": resource})
                elif kind == "eventBridge":
                    f.retry(_get(_get(spec, "retryPolicy"), "maximumRetryAttempts"), ID_EVENT_TARGET,
                            "aws_eventbridge", 1, {"resource": f"{resource}.events.eventBridge",
                                                   "setting": "maximumRetryAttempts", "target": resource})
                if kind in ("http", "httpApi"):
                    method = path = None
                    text = _text(spec)
                    if text:
                        parts = text.split(None, 1)
                        method, path = (parts[0], parts[1]) if len(parts) == 2 else (None, parts[0])
                    else:
                        method, path = _text(_get(spec, "method")), _text(_get(spec, "path"))
                    _integration(f, _get(spec, "timeout") if kind == "http" else None, event_key,
                                 f"{resource}.events.{kind}", resource,
                                 REST_DEFAULT_MS if kind == "http" else HTTP_API_DEFAULT_MS, method, path)
                elif kind == "sqs":
                    arn = _get(spec, "arn") if isinstance(spec, yaml.MappingNode) else spec
                    source = _ref(arn) or ((_text(arn) or "").rsplit(":", 1)[-1] or None)
                    if source is None:
                        continue
                    source = _queue_by_name(f, source)
                    _mapping(f, event_key, source, resource, function_name, _get(spec, "batchSize"),
                             _get(spec, "maximumBatchingWindow"))
    _warmup(f)
    for name, _, machine in _items(_get(_get(f.root, "stepFunctions"), "stateMachines")):
        definition = _get(machine, "definition")
        if definition is not None:  # the serverless-step-functions plugin
            _state_machine(f, f"stepFunctions.stateMachines.{name}", definition)
    resources = _get(_get(f.root, "resources"), "Resources")
    if resources is not None:
        dead_letters, consumed = _queue_roles(resources)
        consumed |= _serverless_queues(f)
        received, sent = _queue_grants(f.root)
        for logical, key_node, resource in _items(resources):
            if _text(_get(resource, "Type")) == "AWS::SQS::Queue":
                _queue(f, logical, key_node, _get(resource, "Properties"),
                       unused_dead_letter=logical in dead_letters and logical not in consumed,
                       send_only=logical in sent and logical not in received and logical not in consumed)


_WARMUP_PLUGIN = "serverless-plugin-warmup"


def _warmup(f: _File) -> None:
    """(round 11) serverless-plugin-warmup's warmer functions: the Lambda the plugin adds to invoke
    the service's functions on a schedule, whose ``timeout`` (seconds) is written under
    ``custom.warmup.<warmer>`` (v5+) or ``custom.warmup`` (v4). Reported when written, for a service
    that lists the plugin (its own default, 10 s, is not assumed)."""
    plugins = _get(f.root, "plugins")
    listed = _seq(_get(plugins, "modules") if isinstance(plugins, yaml.MappingNode) else plugins)
    if _WARMUP_PLUGIN not in {_text(p) for p in listed}:
        return
    warmup = _get(_get(f.root, "custom"), "warmup")
    if not isinstance(warmup, yaml.MappingNode):
        return
    direct = _get(warmup, "timeout")
    warmers = [("warmup", direct)] if direct is not None else [
        (name, _get(spec, "timeout")) for name, _, spec in _items(warmup) if isinstance(spec, yaml.MappingNode)]
    for name, node in warmers:
        if node is not None:
            f.timeout(node, node, ID_LAMBDA, "function", 1000.0, None,
                      {"resource": f"custom.warmup.{name}", "setting": "timeout", "function_name": f"warmup-{name}",
                       "library": _WARMUP_PLUGIN})


def _serverless_queues(f: _File) -> set[str]:
    """The queues a Serverless service's functions consume (``events: - sqs: arn``), by logical id."""
    out: set[str] = set()
    for _name, _key, function in _items(_get(f.root, "functions")):
        for event in (_get(function, "events").value if isinstance(_get(function, "events"), yaml.SequenceNode) else []):
            spec = _get(event, "sqs")
            if spec is None:
                continue
            arn = _get(spec, "arn") if isinstance(spec, yaml.MappingNode) else spec
            source = _ref(arn) or _queue_by_name(f, (_text(arn) or "").rsplit(":", 1)[-1])
            if source:
                out.add(source)
    return out


def _queue_by_name(f: _File, name: str) -> str:
    """An ARN's queue name -> the logical id of the queue resource with that QueueName, if any."""
    for logical, _, resource in _items(_get(_get(f.root, "resources"), "Resources")):
        if _text(_get(_get(resource, "Properties"), "QueueName")) == name:
            return logical
    return name


# --- the extractor -------------------------------------------------------------------------------

# round 10: files a Terraform templatefile() renders (`sfn.json.tpl`, `definition.asl.json.tftpl`):
# read for an Amazon States Language definition or an OpenAPI document only
_TEMPLATEFILE_SUFFIXES = (".tftpl", ".json.tpl", ".json.tmpl", ".yaml.tpl", ".yml.tpl", ".yaml.tmpl")


class CloudFormationExtractor(Extractor):
    name = "cloudformation"
    language = LANGUAGE
    claims_language = False
    # templates, Serverless files, and Google Cloud Workflows definitions (extractors/terraform/workflows.py)
    prefilter_tokens = (b"AWS::", b"functions:", b"\"functions\"", b"call: http.", b"call: googleapis.",
                        b"StartAt", b"x-amazon-apigateway-integration", b"google.api.Service", b"x-google-backend")

    def claims(self, path: str) -> bool:
        # Templates go by any name (`cfn.yaml`, `infra/stack.yml`, `deploy/api.json`): every YAML/JSON
        # file is claimed and the content decides (see _looks_like_template). (`.template` files are
        # not handed to this extractor by the registry's hints.)
        return path.lower().endswith((".yaml", ".yml", ".json", *_TEMPLATEFILE_SUFFIXES))

    def load_detectors(self) -> None:
        return None  # registered at import

    def extract(self, path: str, data: bytes) -> FileResult:
        if len(data) > MAX_BYTES:
            return FileResult(path=path, language=self.language, errors=(
                ErrorEntry(path, "too_large", f"template larger than {MAX_BYTES} bytes, not read"),))
        named = _is_template_name(path)
        maybe = b"AWS::" in data or b"functions" in data
        if not maybe or (not named and not _looks_like_template(data)) or \
                path.lower().endswith(_TEMPLATEFILE_SUFFIXES):
            return _other_definition(path, data)
        text = data.decode("utf-8", "replace")
        try:
            root = yaml.compose(text, Loader=_LOADER)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            if not named and b"AWSTemplateFormatVersion" not in data:
                return FileResult(path=path, language=self.language)  # a Helm template, a YAML of another tool
            return FileResult(path=path, language=self.language, errors=(ErrorEntry(
                path, "parse_error", str(exc).splitlines()[0][:200], line=mark.line + 1 if mark else None),))
        except Exception as exc:  # noqa: BLE001 - a template must never take the scan down
            return FileResult(path=path, language=self.language,
                              errors=(ErrorEntry(path, "parse_error", f"{type(exc).__name__}: {exc}"[:200]),))
        if not isinstance(root, yaml.MappingNode):
            return FileResult(path=path, language=self.language)
        provider = _get(root, "provider")
        # the Serverless Framework on AWS (`provider: aws` or `{name: aws}`); OpenFaaS' stack.yml and
        # Serverless on other clouds have `provider:` and `functions:` too, with other limits
        provider_name = (_text(provider) or _text(_get(provider, "name")) or "").lower()
        serverless = _get(root, "functions") is not None and provider is not None and provider_name == "aws"
        cloudformation = _get(root, "Resources") is not None
        if not serverless and not cloudformation:
            return FileResult(path=path, language=self.language)
        f = _File(path, root, serverless, text.splitlines(), text)
        errors: list[ErrorEntry] = []
        try:
            if serverless:
                _serverless(f)
            if cloudformation:
                _cloudformation(f)
        except Exception as exc:  # noqa: BLE001 - a strange template gives what it gave so far
            errors.append(ErrorEntry(path, "extractor_error", f"{type(exc).__name__}: {exc}"[:200]))
        findings = sorted(f.findings, key=lambda x: (x.line, x.column, x.kind, x.detector))
        if f.symbols:  # published for the pipeline's deployment environment (contract_discovery/pipeline.py)
            deploy = any(k.startswith("$deploy-") for k in f.symbols)
            return FileResult(path=path, language=self.language, findings=tuple(findings), errors=tuple(errors),
                              symbols=f.symbols, imports={"$deployenv": path} if deploy else {})
        return FileResult(path=path, language=self.language, findings=tuple(findings), errors=tuple(errors))


_ASL_JSON = re.compile(rb'"StartAt"\s*:[\s\S]*"States"\s*:|"States"\s*:[\s\S]*"StartAt"\s*:')
_ASL_YAML = re.compile(rb"(?m)^\s*StartAt\s*:")
_ASL_YAML_STATES = re.compile(rb"(?m)^\s*States\s*:")


def _other_definition(path: str, data: bytes) -> FileResult:
    """Files that are no template but hold the same contracts: a Google Cloud Workflows definition,
    an Amazon States Language file (``statemachine/x.asl.json``, the ``DefinitionUri`` of SAM or
    a Terraform ``templatefile()``), an OpenAPI document with API Gateway integrations."""
    lowered = path.lower()
    empty = FileResult(path=path, language=LANGUAGE)
    try:
        if lowered.endswith((".yaml", ".yml")) and looks_like_workflow(data):
            # a Google Cloud Workflows definition (deployed by Terraform's google_workflows_workflow)
            found = workflow_findings(path, data.decode("utf-8", "replace"))
            return FileResult(path=path, language="terraform" if found else LANGUAGE, findings=tuple(found))
        if looks_like_service_config(data):
            # (round 11) a Cloud Endpoints service config / an OpenAPI document with x-google-backend
            found = service_config_findings(path, data.decode("utf-8", "replace"))
            if found:
                return FileResult(path=path, language="terraform", findings=tuple(found))
        if b"StartAt" in data and (_ASL_JSON.search(data) or (_ASL_YAML.search(data) and _ASL_YAML_STATES.search(data))):
            text = data.decode("utf-8", "replace")
            # a Terraform templatefile() may hold `${...}` placeholders that are not JSON: read as text
            f = _File(path, yaml.MappingNode("tag:yaml.org,2002:map", []), False, text.splitlines(), text)
            _state_machine_text(f, path.rsplit("/", 1)[-1], text, 1, 1,
                                yaml_comments=not lowered.endswith(".json") and ".json." not in lowered)
            return FileResult(path=path, language=LANGUAGE, findings=tuple(f.findings))
        if b"x-amazon-apigateway-integration" in data:
            return _openapi(path, data)
    except Exception as exc:  # noqa: BLE001 - a strange file gives nothing, never an exception
        return FileResult(path=path, language=LANGUAGE,
                          errors=(ErrorEntry(path, "extractor_error", f"{type(exc).__name__}: {exc}"[:200]),))
    return empty


_HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "x-amazon-apigateway-any-method"}


_SERVICE_TYPES = {"aws", "http", "http_proxy"}


def _service_integration_key(operation: Node, integration: Node | None, uri: Node | None, text: str) -> Node | None:
    """The ``x-amazon-apigateway-integration`` key of an integration with an AWS service or an HTTP
    backend (``type: aws`` / ``http`` / ``http_proxy``), not a Lambda function's or a state
    machine's (their SAM events carry the default) and not a mock; else None."""
    kind = (_text(_get(integration, "type")) or "").lower()
    if kind not in _SERVICE_TYPES or uri is None:
        return None
    written = text[uri.start_mark.index:uri.end_mark.index]
    if ":lambda:path" in written or "/functions/" in written:
        return None
    for name, key, _value in _items(operation):
        if name == "x-amazon-apigateway-integration":
            return key
    return None


def _openapi(path: str, data: bytes) -> FileResult:
    """An OpenAPI document's ``x-amazon-apigateway-integration`` objects with a written
    ``timeoutInMillis`` (the default, 29 s, is reported where the API is declared: the SAM event,
    the Terraform resource)."""
    text = data.decode("utf-8", "replace")
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError:
        return FileResult(path=path, language=LANGUAGE)
    f = _File(path, root, False, text.splitlines(), text)
    _openapi_paths(f, root)
    return FileResult(path=path, language=LANGUAGE, findings=tuple(f.findings))


def _openapi_paths(f: "_File", root: Node | None, http_api: bool = False) -> None:
    """The integrations of an OpenAPI document's ``paths`` (a file of its own, or round 10: the
    inline ``DefinitionBody`` / ``Body`` of an API resource of a template)."""
    for route, _, operations in _items(_get(root, "paths")):
        for method, _, operation in _items(operations):
            if method.lower() not in _HTTP_METHODS:
                continue
            integration = _get(operation, "x-amazon-apigateway-integration")
            timeout = _get(integration, "timeoutInMillis")
            uri = _get(integration, "uri")
            anchor = timeout
            keep = None
            if timeout is None:
                # the default is reported where the API is declared (an SAM event of the function or
                # state machine); a service integration (S3, SQS, DynamoDB, an HTTP backend) has no
                # such event: its default is reported here
                anchor = _service_integration_key(operation, integration, uri, f.text)
                if anchor is not None and ":states:" in f.text[uri.start_mark.index:uri.end_mark.index]:
                    # Step Functions (StartExecution): here, unless an SAM event of a state machine
                    # declares the same route (round 9: an API's own StartExecution integration)
                    keep = BinOp("-", Num(1), Call("coalesce", (Ref(route_symbol(method, route)), Num(0))))
                if anchor is None:
                    # a Lambda-proxy integration: here too, unless an SAM event of the scan declares
                    # the same route (round 8: functions without events, functions of other stacks)
                    anchor = _proxy_integration_key(operation, integration)
                    if anchor is None:
                        continue
                    keep = BinOp("-", Num(1), Call("coalesce", (Ref(route_symbol(method, route)), Num(0))))
            function = _ref(uri) if uri is not None else None
            name = method.upper().replace("X-AMAZON-APIGATEWAY-ANY-METHOD", "ANY")
            default = HTTP_API_DEFAULT_MS if http_api or _get(integration, "payloadFormatVersion") is not None \
                else REST_DEFAULT_MS
            before = len(f.findings)
            _integration(f, timeout, anchor, f"{name} {route}", function, default, name, route,
                         url=_text(uri))
            if keep is not None and len(f.findings) > before:
                f.findings[-1] = replace(f.findings[-1], pending=f.findings[-1].pending + (Pending(KEEP_IF, keep),))


def _proxy_integration_key(operation: Node, integration: Node | None) -> Node | None:
    """The ``x-amazon-apigateway-integration`` key of a Lambda-proxy integration (``type:
    aws_proxy``), else None."""
    if (_text(_get(integration, "type")) or "").lower() != "aws_proxy":
        return None
    for name, key, _value in _items(operation):
        if name == "x-amazon-apigateway-integration":
            return key
    return None


EXTRACTOR = CloudFormationExtractor()
