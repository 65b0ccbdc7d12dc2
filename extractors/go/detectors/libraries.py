"""Timeouts and retry limits of libraries whose knobs have their own shape (docs/libraries/go.md).

What it does: reads the settings of client libraries that the generic option-struct reading
(go.client_config) cannot tell apart by field or function name alone, each only in a file that
imports that library:

- NATS (`github.com/nats-io/nats.go`): `nc.Request(subj, data, d)` / `nc.RequestMsg(msg, d)` wait
  `d` for the reply (total), `nc.FlushTimeout(d)` (total); `nats.MaxDeliver(n)` and a
  `ConsumerConfig{MaxDeliver: n}` deliver a JetStream message at most n times (a retry of the
  handler, n attempts; -1 is unlimited). `nats.MaxReconnects(n)` is left out: the library's reconnects of
  a lost connection, not a retry of a call (the Go sets' convention since anycable-go).
- RabbitMQ (`amqp091-go`, `streadway/amqp`): `amqp.DefaultDial(d)` bounds the connect (connect); the
  queue arguments `x-consumer-timeout` (ms, or a duration's `Milliseconds()`: the consumer's ack
  deadline, total) and `x-delivery-limit` (a quorum queue's redeliveries: limit + 1 deliveries), in an
  `amqp.Table{...}` literal or `args["x-consumer-timeout"] = v`.
- asynq: `asynq.MaxRetry(n)` retries a task n times after the first run (n + 1 attempts).
- franz-go (`github.com/twmb/franz-go/pkg/kgo`, round 15): `kgo.ProduceRequestTimeout(d)`,
  `kgo.RecordDeliveryTimeout(d)`, `kgo.RetryTimeout(d)` (total), `kgo.DialTimeout(d)` (connect),
  `kgo.RecordRetries(n)` / `kgo.RequestRetries(n)` (franz-go counts tries: n attempts).
- Temporal (`go.temporal.io/sdk`): `StartToCloseTimeout` / `ScheduleToCloseTimeout` of activity
  options and `WorkflowExecutionTimeout` / `WorkflowRunTimeout` of workflow options (total);
  `temporal.RetryPolicy{MaximumAttempts: n}` (n attempts; 0 means unlimited: no bound).
- go-grpc-middleware retry: `grpc_retry.WithMax(n)` (n calls in all: the interceptor's loop counts
  the first call) and `WithPerRetryTimeout(d)` (per_try).
- gRPC: `grpc.ConnectParams{MinConnectTimeout: d}` (connect).
- quic-go: `quic.Config{HandshakeIdleTimeout: d}` (connect; round 14).
- gorilla/websocket: `websocket.Dialer{HandshakeTimeout: d}` and `dialer.HandshakeTimeout = d`
  (connect); the `Upgrader`'s handshake timeout is the server's and is left out.
- failsafe-go: `timeout.With(d)` / `timeout.Builder(d)` of its timeout package (total).
- hystrix-go: `hystrix.CommandConfig{Timeout: n}` and `hystrix.DefaultTimeout = n` (milliseconds,
  total).
- fasthttp: `client.DoTimeout(req, resp, d)` (total).
- pgx: `cfg.ConnConfig.ConnectTimeout = d` on a config parsed by pgx/pgxpool (connect).
- olivere/elastic: `elastic.SetMaxRetries(n)` (n retries after the first try).
- aws-sdk-go-v2: `o.Retryer = aws.NopRetryer{}` (one try, no retry; round 11).
- Round 12: Kitex (`github.com/cloudwego/kitex`): `client.WithFailureRetry(p)` with `p` Kitex's
  `retry.NewFailurePolicy()` (MaxRetryTimes 2 by default: 3 tries), changed by `p.WithMaxRetryTimes(n)`
  in the same function (n + 1 tries); a `temporal.RetryPolicy{...}` without `MaximumAttempts`
  (unlimited: no bound, reported without a value; `HeartbeatTimeout` stays out: a liveness setting); olivere/elastic's `elastic.SetRetrier(r)` (the retrier's backoff
  decides the tries: no static count) and an update's `.RetryOnConflict(n)` (Elasticsearch's
  retry_on_conflict: n retries after the first try; read on any builder chain, the client is often a
  field typed in another file); redsync's `redsync.WithTries(n)` (n tries to take the lock); bsm/redislock's
  `redislock.LimitRetry(strategy, n)` (n retries after the first try: n + 1 tries; round 17); gocql's
  `query.RetryPolicy(nil)` (no retry policy: one try). ory/x's resilient client
  (`github.com/ory/x/httpx`, go-retryablehttp underneath): `httpx.NewResilientClient(opts...)` without
  a `ResilientClientWithMaxRetry` option keeps its default 4 retries (5 tries) and without a
  `ResilientClientWithConnectionTimeout` its 1 min http.Client timeout, reported at the call (the
  options of a local slice spread into it count); `ResilientClientWithConnectionTimeout(d)` is that
  client's total timeout whatever `d` is (null when it comes from a parsed setting).
- Kubernetes: a `wait.Poll*(..., cond)` whose condition answers `false, nil` after its call failed (`if err != nil
  { return false, nil }`) runs that call again until the poll's time ends: a retry without a count (round 14),
  and the poll's timeout argument bounds it (a timeout at the call; a helper's parameter handed there is
  valued at the helper's calls; round 17); one that stops on an error waits for a state and is left out.
- Kubernetes: a workqueue's `if q.NumRequeues(key) < n { q.AddRateLimited(key) }` processes a failed item
  again until n requeues (n + 1 tries; `<=` one more; the give-up side `>= n` the same; round 14).
- Kubernetes: `wait.Backoff{Steps: n}` of k8s.io/apimachinery (wait.ExponentialBackoff and client-go's
  retry.OnError try at most Steps times: n attempts; not when every ExponentialBackoff of the file using it
  polls a state, its condition never answering `false, nil` after an error: round 11) and client-go's `retry.RetryOnConflict(
  retry.DefaultRetry, fn)` / `retry.OnError(retry.DefaultBackoff, ...)` (5 and 4 attempts), also through a
  local copy whose Steps the function sets before the call (`backoff.Steps = 3`; round 11).
- confluent-kafka-go: librdkafka properties of a `kafka.ConfigMap` literal or `m.SetKey(key, v)`, in ms:
  `socket.timeout.ms` (read), `request.timeout.ms` / `message.timeout.ms` / `delivery.timeout.ms` /
  `transaction.timeout.ms` (total), `socket.connection.setup.timeout.ms` (connect); `retries` /
  `message.send.max.retries` (n retries after the first send); `GetMetadata(topic, all, ms)` (a
  duration's `Milliseconds()` read as that duration) and `kafka.SetAdminOperationTimeout(d)` /
  `SetAdminRequestTimeout(d)` (total).

Left out: a method of the same name on a value of another library or of the project in a file not
importing the library, a value of 0 meaning "no timeout" where the library says so (Temporal,
hystrix), and names only mentioned in strings or comments (the syntax tree sees none).

Why it matters: these are the knobs real services set on their queues, workflows and sockets; a
caller's budget and retry count are products of them.

Example: `nc.Request("orders.get", data, 2*time.Second)` -> timeout 2000 ms, total.
"""

from __future__ import annotations

import re

from extractors.base import detector
from extractors.go.detectors.client_config import _NOT_A_CALL_BOUND, _reads_as_duration
from extractors.go.detectors.http_client import storage_keys
from contract_discovery.model import Pending
from contract_discovery.values import Unknown
from extractors import treesitter as ts
from extractors.go.gofile import OPAQUE, Draft, GoFile, descendants, inner_expression, node_text, within

ID = "go.libraries"

# client-go's retry policies: DefaultRetry (conflicts) tries 5 times, DefaultBackoff 4 times.
_K8S_RETRY_STEPS = {"DefaultRetry": 5, "DefaultBackoff": 4}

_TEMPORAL_TIMEOUTS = ("StartToCloseTimeout", "ScheduleToCloseTimeout", "WorkflowExecutionTimeout",
                      "WorkflowRunTimeout")


def _imports(gf: GoFile, *fragments: str) -> set[str]:
    """Aliases of this file's imports whose path contains one of `fragments`."""
    return {alias for alias, path in gf.imports.items() if any(f in path for f in fragments)}


def _timeout(gf: GoFile, node, value, phase: str, library: str, *, unit_ms: bool = False) -> Draft | None:
    if unit_ms:
        info = gf.count(inner_expression(value), attribute="timeout_ms")
    else:
        if not _reads_as_duration(gf, inner_expression(value)):
            return None
        info = gf.duration(value)
    if info.value is not None and info.value <= 0:
        return None  # 0: no timeout
    return Draft(gf.finding("timeout", node, ID,
                            {"timeout_ms": info.value, "phase": phase, "resolved_from": info.resolved_from,
                             "expression": info.expression, "client_type": library},
                            confidence=info.confidence, pending=info.pending),
                 link=("client", frozenset(storage_keys(gf, node))), linkable=True)


def _adjusted_default_policy(gf: GoFile, call, policy, k8s_retry: set[str]) -> Draft | None:
    """`backoff := retry.DefaultBackoff; backoff.Steps = 3; retry.OnError(backoff, is403, op)` (1Password's
    retry on a 403): the default policy's Steps as the function last set them before the call (round 11);
    a Steps set under a condition (`if r.maxRetries > 0 { backoff.Steps = r.maxRetries }`) leaves the
    tries unknown."""
    name = node_text(policy)
    bound = gf.lookup_local(name, call.node)
    value = inner_expression(bound) if bound is not None and hasattr(bound, "type") else None
    if value is None or value.type != "selector_expression" or \
            node_text(value.child_by_field_name("operand")) not in k8s_retry:
        return None
    steps = _K8S_RETRY_STEPS.get(node_text(value.child_by_field_name("field")))
    if steps is None:
        return None
    fns = gf.enclosing_functions(call.node)
    scope = fns[0] if fns else None
    sets = [a for a in gf.field_assignments if a.field == "Steps" and node_text(a.operand) == name and
            scope is not None and scope.start_byte <= a.node.start_byte and a.node.end_byte <= call.node.start_byte]
    info_value, expression, pending = steps, node_text(value), ()
    if sets:
        last = sets[-1]
        conditional = any(a.type == "if_statement" for a in ts.ancestors(last.node)
                          if scope.start_byte < a.start_byte)
        info = gf.count(inner_expression(last.value))
        info_value, expression, pending = (None, node_text(last.node), ()) if conditional else \
            (info.value, info.expression, info.pending)
    return Draft(gf.finding("retry", call.node, ID,
                            {"max_attempts": info_value, "backoff": "exponential", "retry_on": "error",
                             "mechanism": "client_config", "library": "k8s.io/client-go/util/retry",
                             "expression": expression},
                            confidence="high" if info_value is not None else "medium", pending=pending),
                 link=("client", frozenset()), linkable=True)


def _backoff_name(comp) -> str | None:
    """The name a wait.Backoff literal is kept under: `creationBackoff: wait.Backoff{...}` (a field of a
    literal), `backoff := wait.Backoff{...}` (a local)."""
    node = comp.node
    parent = node.parent
    if parent is not None and parent.type == "literal_element":
        parent = parent.parent
    if parent is not None and parent.type == "keyed_element" and parent.named_child_count == 2:
        return node_text(parent.named_children[0]).strip()
    if parent is not None and parent.type == "expression_list" and parent.parent is not None and \
            parent.parent.type in ("short_var_declaration", "assignment_statement", "var_spec"):
        left = parent.parent.child_by_field_name("left")
        names = left.named_children if left is not None else parent.parent.children_by_field_name("name")
        if len(names) == 1:
            return node_text(names[0])
    return None


# The argument of a `wait.Poll*` form that bounds the whole poll in time.
_POLL_TIMEOUT_ARGUMENT = {"PollUntilContextTimeout": 2, "PollWithContext": 2, "PollImmediateWithContext": 2,
                          "Poll": 1, "PollImmediate": 1}


def _tries_again_on_error(gf: GoFile, call, condition) -> bool:
    """The condition a `wait.Poll*` runs answers `false, nil` (try again) in a branch that saw its call
    fail (`if err != nil { log; return false, nil }`): a retry of that call, not a wait for a state."""
    condition = inner_expression(condition)
    if condition.type == "identifier":
        bound = gf.lookup_local(node_text(condition), call.node)
        condition = inner_expression(bound) if bound is not None and hasattr(bound, "type") else condition
    if condition.type != "func_literal":
        return False
    for n in ts.walk(condition):
        if n.type != "return_statement" or not re.fullmatch(r"return\s+false\s*,\s*nil", node_text(n).strip()):
            continue
        for a in ts.ancestors(n):
            if a is condition or a.id == condition.id:
                break
            consequence = a.child_by_field_name("consequence") if a.type == "if_statement" else None
            if consequence is not None and re.fullmatch(r"\s*(err|\w+Err|\w+Error)\s*!=\s*nil\s*",
                                                        node_text(a.child_by_field_name("condition"))) and \
                    within(n, consequence.start_byte, consequence.end_byte):
                return True
    return False


def _only_polls(gf: GoFile, comp, k8s_wait: set[str]) -> bool:
    """Every `wait.ExponentialBackoff*(..., b, cond)` of this file using the literal hands it a condition
    that only polls a state: it never answers `false, nil` (try again) after an error, it stops on one
    (`if err != nil { return true, err }`). Waiting for a volume to become available is no retry of a
    failed call (round 11, the EBS CSI driver's creation and modification waits)."""
    name = _backoff_name(comp)
    if name is None:
        return False
    uses = [c for c in gf.calls if c.name.startswith("ExponentialBackoff") and c.receiver is not None and
            node_text(c.receiver) in k8s_wait and len(c.args) >= 2 and
            re.fullmatch(rf"(?:[\w.]+\.)?{re.escape(name)}", node_text(c.args[-2]).strip())]
    if not uses:
        return False
    for use in uses:
        condition = inner_expression(use.args[-1])
        if condition.type == "identifier":
            bound = gf.lookup_local(node_text(condition), use.node)
            condition = inner_expression(bound) if bound is not None and hasattr(bound, "type") else condition
        if condition.type != "func_literal":
            return False
        again = [n for n in ts.walk(condition) if n.type == "return_statement" and
                 re.fullmatch(r"return\s+false\s*,\s*nil", node_text(n).strip())]
        if not again:
            return False
        for n in again:
            for a in ts.ancestors(n):
                if a is condition:
                    break
                if a.type == "if_statement" and re.search(r"\berr\s*!=\s*nil", node_text(a.child_by_field_name("condition"))) \
                        and within(n, a.child_by_field_name("consequence").start_byte,
                                   a.child_by_field_name("consequence").end_byte):
                    return False  # `if err != nil { log; return false, nil }`: the call is tried again
    return True


def _retry(gf: GoFile, node, value, offset: int, library: str, *, zero_unbounded: bool = False) -> Draft:
    info = gf.count(inner_expression(value), offset=offset)
    attempts = info.value
    if attempts is not None and (attempts < 1 or (zero_unbounded and attempts - offset == 0)):
        attempts = None if zero_unbounded or attempts - offset < 0 else 1  # unlimited, or switched off
    return Draft(gf.finding("retry", node, ID,
                            {"max_attempts": attempts, "backoff": None, "retry_on": "error",
                             "mechanism": "client_config", "library": library, "expression": info.expression},
                            confidence=info.confidence if attempts is not None else "medium", pending=info.pending),
                 link=("client", frozenset(storage_keys(gf, node))), linkable=True)


_DURATION_NAME = re.compile(r"(?i)timeout|deadline|wait|duration|dur$|ttl|^d$")


# `q.NumRequeues(key) < n`: how many requeues the comparison still allows, as tries (the first
# processing counts); the bound may sit on either side.
_REQUEUE_OFFSET = {"<": 1, "<=": 2, ">=": 1, ">": 2}
_REQUEUE_FLIPPED = {">": "<", ">=": "<=", "<": ">", "<=": ">="}


def _requeue_budget(gf: GoFile, call) -> Draft | None:
    """client-go workqueue's `if q.NumRequeues(key) < maxRetries { q.AddRateLimited(key); return }` (or
    `>= maxRetries` on the give-up branch): a failed item is processed again until the bound, bound + 1
    tries (round 14, NACK's controller). Only in a comparison: `n := q.NumRequeues(key)` alone is a log."""
    parent = call.node.parent
    while parent is not None and parent.type == "parenthesized_expression":
        parent = parent.parent
    if parent is None or parent.type != "binary_expression":
        return None
    op = node_text(parent.child_by_field_name("operator"))
    left, right = parent.child_by_field_name("left"), parent.child_by_field_name("right")
    if left is not None and within(call.node, left.start_byte, left.end_byte):
        bound = right
    else:
        bound, op = left, _REQUEUE_FLIPPED.get(op, op)
    if op not in _REQUEUE_OFFSET or bound is None:
        return None
    info = gf.count(inner_expression(bound), offset=_REQUEUE_OFFSET[op])
    return Draft(gf.finding("retry", call.node, ID,
                            {"max_attempts": info.value, "backoff": "exponential", "retry_on": "error",
                             "mechanism": "redelivery", "library": "k8s.io/client-go/util/workqueue",
                             "expression": node_text(parent)},
                            confidence=info.confidence if info.value is not None else "medium", pending=info.pending),
                 link=("client", frozenset()), linkable=False)


def _named_duration(gf: GoFile, value) -> bool:
    """A duration by its value or its name: `2*time.Second`, a constant that settles, `replyTimeout`
    (not `r`, a request a project method of the same name takes)."""
    value = inner_expression(value)
    if "time." in node_text(value) or gf.duration(value).value is not None:
        return True
    return _DURATION_NAME.search(node_text(value).rsplit(".", 1)[-1]) is not None


def _method(call, gf: GoFile) -> bool:
    """`x.Request(...)` on a value, not `pkg.Request(...)`."""
    receiver = call.receiver
    if receiver is None or call.package is not None:
        return False
    return not (receiver.type == "identifier" and node_text(receiver) in gf.imports
                and gf.lookup_local(node_text(receiver), call.node) is None)


# franz-go (`github.com/twmb/franz-go/pkg/kgo`) client options: kind and phase. Left out: SessionTimeout,
# RebalanceTimeout, HeartbeatInterval (a group member's liveness), TransactionTimeout (the broker's bound on
# an open transaction), RequestTimeoutOverhead (added to each request's own timeout), MetadataMinAge (a cache).
_FRANZ_OPTIONS = {
    "ProduceRequestTimeout": ("timeout", "total"),
    "RecordDeliveryTimeout": ("timeout", "total"),
    "RetryTimeout": ("timeout", "total"),
    "DialTimeout": ("timeout", "connect"),
    "RecordRetries": ("retry", None),
    "RequestRetries": ("retry", None),
}


def _package_call(call, aliases: set[str], gf: GoFile) -> bool:
    receiver = call.receiver
    return receiver is not None and receiver.type == "identifier" and node_text(receiver) in aliases and \
        gf.lookup_local(node_text(receiver), call.node) is None


# A helper's parameter named as a timeout, with the unit its name gives (none: seconds for a number).
_TIMEOUT_PARAMETER = re.compile(r"(?i)^(?:\w*_)?(?:\w*timeout|deadline)(?:_?(ms|millis|milliseconds|secs?|seconds))?$")
_INT_TYPE = re.compile(r"^u?int(8|16|32|64)?$")
# Calls that only record or convert a value: logging, metrics, timers of the process itself.
_RECORDS = re.compile(r"(?i)^(z?(debug|info|warn|warning|error|fatal|trace)f?w?|print\w*|log\w*|with|str|string|"
                      r"observe|set\w*|add|inc|record|reset|stop|sleep|after|tick|newtimer|newticker|afterfunc|"
                      # a sync.Map keyed by the timeout (`tp.transports.Load(responseHeaderTimeout)`): a key, no bound
                      r"load|loadorstore|loadanddelete|store|delete|swap|compareandswap|compareanddelete)$")
_LOGGERS = re.compile(r"(?i)^(log|logger|logging|slog|zap|zerolog|logrus|klog|glog|l|lg|metrics?|stats|span|tracer)$")


def _timeout_parameters_handed_to_libraries(gf: GoFile) -> list[Draft]:
    """`func (g *Client) postReturn(ctx, url string, ..., timeout int) error { return
    g.httpClient.PostReturn(ctx, url, header, input, output, timeout) }`: a helper hands its own
    parameter named as a timeout to a call of a library (a package of another module, or a method of
    a value this file does not define) that no detector knows; a package's function is left to
    the wrapper chain (go.wrapper_call follows the project's own packages). The call is where that parameter
    bounds a request, so the helper publishes it (go.wrapper_call) and its callers' values are kept:
    `g.postReturn(ctx, u, h, in, out, 3)` -> 3 s. A number takes the unit its name gives
    (`timeoutMs`: ms) and is seconds without one (the unit Go SDKs give an int timeout); a
    time.Duration is a duration. This line itself only hands the parameter on (a forwarder: never
    reported by the pipeline). Left out: logging and metrics, setters (`m.SetKey("session.timeout.ms",
    timeoutMs)`: the key decides), process timers (`t.Reset(timeout)`), names of bounds on no call
    (`backlogTimeout`, `idleTimeout`), the file's own functions and methods (the wrapper chain
    follows them)."""
    if b"imeout" not in gf.data and b"eadline" not in gf.data:
        return []
    own = {node_text(n.child_by_field_name("name")) for n in gf.root.named_children
           if n.type in ("function_declaration", "method_declaration") and n.child_by_field_name("name") is not None}
    drafts = []
    for call in gf.calls:
        if not call.args or call.name in own or _RECORDS.match(call.name or ""):
            continue
        if call.package is not None:
            continue  # the standard library and the libraries other detectors know
        receiver = call.receiver
        if receiver is None:
            continue  # a plain function of this package: the project's own
        root = receiver
        while root.type in ("selector_expression", "call_expression"):
            inner = root.child_by_field_name("operand") if root.type == "selector_expression" else \
                root.child_by_field_name("function")
            if inner is None:
                break
            root = inner
        if root.type == "identifier" and _LOGGERS.match(node_text(root)):
            continue
        if receiver.type == "identifier" and node_text(receiver) in gf.imports and \
                gf.lookup_local(node_text(receiver), call.node) is None:
            continue  # `pkg.Func(...)`: a package's function, followed by the wrapper chain (go.wrapper_call)
        for arg in call.args:
            node = inner_expression(arg)
            if node.type != "identifier":
                continue
            name = node_text(node)
            m = _TIMEOUT_PARAMETER.match(name)
            if m is None or _NOT_A_CALL_BOUND.search(name) or gf.lookup_local(name, call.node) is not OPAQUE:
                continue
            declared = gf.parameter_type(name, call.node)
            if declared in ("time.Duration", "Duration"):
                scale = 1.0
            elif declared is not None and _INT_TYPE.match(declared):
                unit = (m.group(1) or "s").lower()
                scale = 1.0 if unit.startswith("m") else 1000.0
            else:
                continue
            drafts.append(Draft(gf.finding("timeout", call.node, ID,
                                           {"timeout_ms": None, "phase": "total", "resolved_from": "unresolved",
                                            "expression": name, "client_type": node_text(receiver)[:60]},
                                           confidence="low", pending=(Pending("timeout_ms", Unknown(name), scale),)),
                                linkable=True))
            break
    return drafts




@detector(
    ID, "go", ("timeout", "retry"),
    valid=('package p\nimport "time"\nfunc f(c *Client) { c.Request("s", nil, 2*time.Second) }\n',),
    invalid=('package p\nimport ("time"; "github.com/nats-io/nats.go")\n'
             'func f(nc *nats.Conn) { nc.Request("s", nil, 2*time.Second) }\n',),
)
def detect(gf: GoFile) -> list[Draft]:
    """Settings of NATS, RabbitMQ, asynq, Temporal, grpc retry, websocket, failsafe-go, hystrix, fasthttp, pgx."""
    drafts: list[Draft | None] = list(_timeout_parameters_handed_to_libraries(gf))
    drafts.extend(_round12_library_calls(gf))
    drafts.extend(_round18_library_calls(gf))
    drafts.extend(_round19_library_calls(gf))
    drafts.extend(_ory_resilient_clients(gf))
    nats = _imports(gf, "github.com/nats-io/nats.go")
    amqp = _imports(gf, "rabbitmq/amqp091-go", "streadway/amqp")
    asynq = _imports(gf, "github.com/hibiken/asynq")
    temporal = _imports(gf, "go.temporal.io/sdk")
    grpc_retry = _imports(gf, "go-grpc-middleware/retry", "go-grpc-middleware/v2/interceptors/retry")
    failsafe_timeout = _imports(gf, "failsafe-go/failsafe-go/timeout")
    hystrix = _imports(gf, "afex/hystrix-go/hystrix")
    fasthttp = _imports(gf, "github.com/valyala/fasthttp")
    elastic = _imports(gf, "github.com/olivere/elastic")
    pgx = _imports(gf, "github.com/jackc/pgx")
    websocket = _imports(gf, "github.com/gorilla/websocket")
    quic = _imports(gf, "github.com/quic-go/quic-go", "github.com/lucas-clemente/quic-go")
    confluent = _imports(gf, "confluentinc/confluent-kafka-go")
    k8s_wait = _imports(gf, "k8s.io/apimachinery/pkg/util/wait")
    k8s_retry = _imports(gf, "k8s.io/client-go/util/retry")
    k8s_rest = _imports(gf, "k8s.io/client-go/rest", "k8s.io/client-go/tools/clientcmd")
    aws_v2 = {alias for alias, path in gf.imports.items() if path == "github.com/aws/aws-sdk-go-v2/aws"}
    requeues = b"NumRequeues" in gf.data
    franz = _imports(gf, "github.com/twmb/franz-go/pkg/kgo")
    if not (franz or requeues or quic or aws_v2 or k8s_wait or k8s_retry or k8s_rest or confluent or nats or amqp or asynq or temporal or grpc_retry or failsafe_timeout or hystrix or fasthttp or elastic
            or pgx or websocket or "grpc" in gf.packages.values()):
        return [d for d in drafts if d is not None]
    for call in gf.calls:
        name, args = call.name, call.args
        if nats and _method(call, gf) and (name, len(args)) in (("Request", 3), ("RequestMsg", 2), ("FlushTimeout", 1)) \
                and _named_duration(gf, args[-1]):
            drafts.append(_timeout(gf, call.node, args[-1], "total", "nats.Conn"))
        elif nats and name == "MaxDeliver" and len(args) == 1 and _package_call(call, nats, gf):
            drafts.append(_retry(gf, call.node, args[0], 0, "nats", zero_unbounded=True))
        elif k8s_wait and name.startswith("Poll") and args and call.receiver is not None and \
                node_text(call.receiver) in k8s_wait and _tries_again_on_error(gf, call, args[-1]):
            # `wait.PollUntilContextCancel(ctx, 2*time.Second, true, func(ctx) (bool, error) { if err := op();
            # err != nil { return false, nil }; return true, nil })`: the poll runs a failed call again until
            # its context or timeout ends: a retry without a count (round 14, the termination handler's uncordon)
            drafts.append(Draft(gf.finding("retry", call.node, ID,
                                           {"max_attempts": None, "backoff": "fixed", "retry_on": "error",
                                            "mechanism": "loop", "library": "k8s.io/apimachinery/pkg/util/wait",
                                            "expression": "until the poll's time runs out"},
                                           confidence="medium"),
                                link=("client", frozenset()), linkable=False))
            # ... and the poll's own time bound is that retry's timeout: `wait.PollUntilContextTimeout(ctx,
            # sleep, timeout, true, cond)` inside `GetDaemonSet(sleep, timeout)` hands the helper's parameter
            # on, so its callers' values are the contracts (round 17, the round-16 kured request)
            position = _POLL_TIMEOUT_ARGUMENT.get(name)
            if position is not None and len(args) > position + 1:
                drafts.append(_timeout(gf, call.node, args[position], "total", "k8s.io/apimachinery/pkg/util/wait"))
        elif requeues and name == "NumRequeues" and len(args) == 1 and _method(call, gf):
            found = _requeue_budget(gf, call)
            if found is not None:
                drafts.append(found)
        elif amqp and name == "DefaultDial" and len(args) == 1 and _package_call(call, amqp, gf):
            drafts.append(_timeout(gf, call.node, args[0], "connect", "amqp"))
        elif franz and name in _FRANZ_OPTIONS and len(args) == 1 and _package_call(call, franz, gf):
            # round 15 (kminion): franz-go's client options, `kgo.ProduceRequestTimeout(3 * time.Second)`,
            # `kgo.RecordRetries(3)` (franz-go counts tries: "the number of tries for producing records")
            kind, phase = _FRANZ_OPTIONS[name]
            drafts.append(_retry(gf, call.node, args[0], 0, "franz-go") if kind == "retry"
                          else _timeout(gf, call.node, args[0], phase, "franz-go"))
        elif asynq and name == "MaxRetry" and len(args) == 1 and _package_call(call, asynq, gf):
            drafts.append(_retry(gf, call.node, args[0], 1, "asynq"))
        elif grpc_retry and name == "WithMax" and len(args) == 1 and _package_call(call, grpc_retry, gf):
            drafts.append(_retry(gf, call.node, args[0], 0, "grpc_retry"))
        elif grpc_retry and name == "WithPerRetryTimeout" and len(args) == 1 and _package_call(call, grpc_retry, gf):
            drafts.append(_timeout(gf, call.node, args[0], "per_try", "grpc_retry"))
        elif failsafe_timeout and name in ("With", "Builder", "New") and len(args) == 1 and \
                _package_call(call, failsafe_timeout, gf):
            drafts.append(_timeout(gf, call.node, args[0], "total", "failsafe-go"))
        elif fasthttp and name == "DoTimeout" and len(args) == 3 and _method(call, gf):
            drafts.append(_timeout(gf, call.node, args[2], "total", "fasthttp.Client"))
        elif confluent and _method(call, gf) and name == "SetKey" and len(args) == 2 and \
                args[0].type == "interpreted_string_literal":
            key = node_text(args[0]).strip('"')
            if key in _RDKAFKA_TIMEOUTS:
                drafts.append(_timeout(gf, call.node, args[1], _RDKAFKA_TIMEOUTS[key], "confluent-kafka-go", unit_ms=True))
            elif key in _RDKAFKA_RETRIES:
                drafts.append(_retry(gf, call.node, args[1], 1, "confluent-kafka-go"))
        elif confluent and _method(call, gf) and name == "GetMetadata" and len(args) == 3:
            drafts.append(_milliseconds_argument(gf, call.node, args[2]))
        elif confluent and name in ("SetAdminOperationTimeout", "SetAdminRequestTimeout") and len(args) == 1 and \
                _package_call(call, confluent, gf):
            drafts.append(_timeout(gf, call.node, args[0], "total", "confluent-kafka-go"))
        elif elastic and name == "SetMaxRetries" and len(args) == 1 and _package_call(call, elastic, gf):
            drafts.append(_retry(gf, call.node, args[0], 1, "elastic"))
        elif k8s_retry and name in ("RetryOnConflict", "OnError") and args and _package_call(call, k8s_retry, gf):
            # client-go's retry.RetryOnConflict(retry.DefaultRetry, fn): the policy's Steps count every try
            policy = inner_expression(args[0])
            steps = _K8S_RETRY_STEPS.get(node_text(policy).rsplit(".", 1)[-1]) \
                if policy.type == "selector_expression" and node_text(policy.child_by_field_name("operand")) in k8s_retry \
                else None
            if steps is None and policy.type == "identifier":
                found = _adjusted_default_policy(gf, call, policy, k8s_retry)
                if found is not None:
                    drafts.append(found)
                    continue
            if steps is not None:
                drafts.append(Draft(gf.finding("retry", call.node, ID,
                                               {"max_attempts": steps, "backoff": "exponential", "retry_on": "error",
                                                "mechanism": "client_config", "library": "k8s.io/client-go/util/retry",
                                                "expression": node_text(policy)}),
                                    link=("client", frozenset()), linkable=True))
    if failsafe_timeout:
        drafts.extend(_generic_timeouts(gf, failsafe_timeout))
    for comp in gf.composites:
        package, _, type_name = comp.type_name.partition(".")
        if temporal and package in temporal:
            for field in _TEMPORAL_TIMEOUTS:
                if field in comp.fields:
                    drafts.append(_timeout(gf, comp.elements[field], comp.fields[field], "total", comp.type_name))
            if type_name == "RetryPolicy" and "MaximumAttempts" in comp.fields:
                drafts.append(_retry(gf, comp.elements["MaximumAttempts"], comp.fields["MaximumAttempts"], 0,
                                     "temporal", zero_unbounded=True))
            elif type_name == "RetryPolicy" and comp.fields:
                # `RetryPolicy: &temporal.RetryPolicy{InitialInterval: ...}`: no MaximumAttempts, Temporal
                # retries without limit (round 12)
                drafts.append(Draft(gf.finding("retry", comp.node, ID,
                                               {"max_attempts": None, "backoff": "exponential", "retry_on": "error",
                                                "mechanism": "client_config", "library": "temporal",
                                                "expression": "MaximumAttempts unset (unlimited)"},
                                               confidence="medium"),
                                    link=("client", frozenset(storage_keys(gf, comp.node))), linkable=True))
        elif nats and package in nats | _imports(gf, "nats.go/jetstream") and type_name == "ConsumerConfig" and \
                "MaxDeliver" in comp.fields:
            drafts.append(_retry(gf, comp.elements["MaxDeliver"], comp.fields["MaxDeliver"], 0, "nats",
                                 zero_unbounded=True))
        elif aws_v2 and package in aws_v2 and type_name == "NopRetryer":
            # aws-sdk-go-v2's `o.Retryer = aws.NopRetryer{}`: the call is tried once, never again (round 11)
            drafts.append(Draft(gf.finding("retry", comp.node, ID,
                                           {"max_attempts": 1, "backoff": None, "retry_on": "error",
                                            "mechanism": "client_config", "library": "aws-sdk-go-v2",
                                            "expression": node_text(comp.node)}),
                                link=("client", frozenset(storage_keys(gf, comp.node))), linkable=True))
        elif (k8s_wait and package in k8s_wait) and type_name == "Backoff" and "Steps" in comp.fields:
            # wait.Backoff{Steps: 5, Duration: d, Factor: 2}: ExponentialBackoff / retry.OnError try at most Steps times
            if not _only_polls(gf, comp, k8s_wait):
                drafts.append(_retry(gf, comp.elements["Steps"], comp.fields["Steps"], 0, "k8s.io/apimachinery/wait"))
        elif confluent and package in confluent and type_name == "ConfigMap":
            drafts.extend(_librdkafka(gf, comp))
        elif hystrix and package in hystrix and type_name == "CommandConfig" and "Timeout" in comp.fields:
            drafts.append(_timeout(gf, comp.elements["Timeout"], comp.fields["Timeout"], "total", "hystrix",
                                   unit_ms=True))
        elif comp.type_name == "grpc.ConnectParams" and "MinConnectTimeout" in comp.fields:
            drafts.append(_timeout(gf, comp.elements["MinConnectTimeout"], comp.fields["MinConnectTimeout"],
                                   "connect", "grpc"))
        elif quic and package in quic and type_name == "Config" and "HandshakeIdleTimeout" in comp.fields:
            # quic-go's `quic.Config{HandshakeIdleTimeout: d}`: the bound on the QUIC handshake (connect);
            # MaxIdleTimeout is the connection's liveness, left out (round 14, cloudflared's edge dial)
            drafts.append(_timeout(gf, comp.elements["HandshakeIdleTimeout"], comp.fields["HandshakeIdleTimeout"],
                                   "connect", "quic.Config"))
        elif websocket and package in websocket and type_name == "Dialer" and "HandshakeTimeout" in comp.fields:
            drafts.append(_timeout(gf, comp.elements["HandshakeTimeout"], comp.fields["HandshakeTimeout"],
                                   "connect", "websocket.Dialer"))
    if amqp:
        drafts.extend(_amqp_arguments(gf, amqp))
    for assignment in gf.field_assignments:
        operand = node_text(assignment.operand)
        if hystrix and assignment.field == "DefaultTimeout" and operand in hystrix:
            drafts.append(_timeout(gf, assignment.node, assignment.value, "total", "hystrix", unit_ms=True))
        elif pgx and assignment.field == "ConnectTimeout" and _pgx_config(gf, assignment, pgx):
            drafts.append(_timeout(gf, assignment.node, assignment.value, "connect", "pgx"))
        elif pgx and assignment.field == "PingTimeout" and _pgx_config(gf, assignment, pgx):
            # pgxpool's `c.PingTimeout = d`: the bound on the pool's health ping of a connection (round 18)
            drafts.append(_timeout(gf, assignment.node, assignment.value, "total", "pgx"))
        elif websocket and assignment.field == "HandshakeTimeout" and _bound_to(gf, assignment, websocket, "Dialer"):
            drafts.append(_timeout(gf, assignment.node, assignment.value, "connect", "websocket.Dialer"))
        elif k8s_rest and assignment.field == "Timeout" and _rest_config(gf, assignment, k8s_rest):
            drafts.append(_timeout(gf, assignment.node, assignment.value, "total", "client-go rest.Config"))
    if k8s_rest:
        for comp in gf.composites:
            package, _, type_name = comp.type_name.partition(".")
            if package in k8s_rest and type_name == "Config" and "Timeout" in comp.fields:
                drafts.append(_timeout(gf, comp.elements["Timeout"], comp.fields["Timeout"], "total",
                                       "client-go rest.Config"))
    return [d for d in drafts if d is not None]


def _retry_at(gf: GoFile, node, attempts, expression: str, library: str, pending=()) -> Draft:
    return Draft(gf.finding("retry", node, ID,
                            {"max_attempts": attempts, "backoff": None, "retry_on": "error",
                             "mechanism": "client_config", "library": library, "expression": expression},
                            confidence="high" if attempts is not None else "medium", pending=pending),
                 link=("client", frozenset(storage_keys(gf, node))), linkable=True)


def _method_name_node(call):
    """The `.Name(` part of a chained call, so a builder chain's finding is on that line."""
    function = call.node.child_by_field_name("function")
    return function.child_by_field_name("field") if function is not None and function.type == "selector_expression" \
        else None


# Kitex's failure policy: retry.NewFailurePolicy() stops after MaxRetryTimes 2 retries (3 tries).
_KITEX_POLICIES = {"NewFailurePolicy": 2, "NewFailurePolicyWithResultRetry": 2}


def _kitex_failure_retry(gf: GoFile, call, kitex_retry: set[str]) -> Draft | None:
    """`client.WithFailureRetry(retry.NewFailurePolicy())`, or a local policy
    `fp := retry.NewFailurePolicy(); fp.WithMaxRetryTimes(3)` handed to it (round 12)."""
    policy = inner_expression(call.args[0])
    made, name = policy, None
    if policy.type == "identifier":
        name = node_text(policy)
        bound = gf.lookup_local(name, call.node)
        made = inner_expression(bound) if bound is not None and hasattr(bound, "type") else None
    constructor = gf.call_at(made) if made is not None else None
    if constructor is None or constructor.name not in _KITEX_POLICIES or \
            not _package_call(constructor, kitex_retry, gf):
        return _retry_at(gf, call.node, None, node_text(policy), "kitex")
    retries, expression, pending = float(_KITEX_POLICIES[constructor.name]), node_text(constructor.node), ()
    if name is not None:
        fns = gf.enclosing_functions(call.node)
        scope = fns[0] if fns else None
        sets = [c for c in gf.calls if c.name == "WithMaxRetryTimes" and len(c.args) == 1 and c.receiver is not None
                and node_text(c.receiver) == name and scope is not None
                and scope.start_byte <= c.node.start_byte < call.node.start_byte]
        if sets:
            info = gf.count(inner_expression(sets[-1].args[0]), offset=1)
            return _retry_at(gf, call.node, info.value, info.expression, "kitex", info.pending)
    return _retry_at(gf, call.node, retries + 1, expression, "kitex", pending)


_ORY_RETRY_OPTION = "ResilientClientWithMaxRetry"
_ORY_TIMEOUT_OPTION = "ResilientClientWithConnectionTimeout"
# ory/x httpx newResilientOptions(): retryMax 4 (5 tries), http.Client{Timeout: time.Minute}
_ORY_DEFAULT_TRIES, _ORY_DEFAULT_TIMEOUT_MS = 5.0, 60_000.0


def _ory_options(gf: GoFile, call, ory: set[str]) -> list[str] | None:
    """The option names handed to `httpx.NewResilientClient(...)`, expanding a local slice literal spread
    into it (`clientOpts := []httpx.ResilientOptions{...}; NewResilientClient(clientOpts...)`); None when
    some option cannot be seen (a parameter spread on)."""
    names: list[str] = []
    for arg in call.args:
        if arg.type == "variadic_argument":
            held = inner_expression(arg.named_children[0]) if arg.named_children else None
            bound = gf.lookup_local(node_text(held), call.node) if held is not None and held.type == "identifier" else None
            value = inner_expression(bound) if bound is not None and hasattr(bound, "type") else None
            body = value.child_by_field_name("body") if value is not None and value.type == "composite_literal" else None
            if body is None:
                return None
            items = [inner_expression(c.named_children[0]) if c.type == "literal_element" and c.named_children else c
                     for c in body.named_children if c.type != "comment"]
        else:
            items = [inner_expression(arg)]
        for item in items:
            made = gf.call_at(item)
            if made is None or not _package_call(made, ory, gf):
                return None  # an option held in a variable: cannot tell which
            names.append(made.name)
    return names


def _ory_resilient_clients(gf: GoFile) -> list[Draft | None]:
    ory = {alias for alias, path in gf.imports.items() if path == "github.com/ory/x/httpx"}
    if not ory:
        return []
    out: list[Draft | None] = []
    for call in gf.calls:
        if call.name == _ORY_TIMEOUT_OPTION and len(call.args) == 1 and _package_call(call, ory, gf):
            info = gf.duration(call.args[0])
            out.append(Draft(gf.finding("timeout", call.node, ID,
                                        {"timeout_ms": info.value, "phase": "total", "resolved_from": info.resolved_from,
                                         "expression": info.expression, "client_type": "httpx.ResilientClient"},
                                        confidence=info.confidence if info.value is not None else "medium",
                                        pending=info.pending),
                             linkable=True))
        elif call.name == "NewResilientClient" and _package_call(call, ory, gf):
            names = _ory_options(gf, call, ory)
            if names is None:
                continue
            if _ORY_RETRY_OPTION not in names:
                out.append(_retry_at(gf, call.node, _ORY_DEFAULT_TRIES, "ory/x httpx default retryMax 4",
                                     "github.com/ory/x/httpx"))
            if _ORY_TIMEOUT_OPTION not in names:
                out.append(Draft(gf.finding("timeout", call.node, ID,
                                            {"timeout_ms": _ORY_DEFAULT_TIMEOUT_MS, "phase": "total",
                                             "resolved_from": "library_default",
                                             "expression": "ory/x httpx default http.Client{Timeout: time.Minute}",
                                             "client_type": "httpx.ResilientClient"}),
                                 link=("client", frozenset(storage_keys(gf, call.node))), linkable=True))
    return out


def _round12_library_calls(gf: GoFile) -> list[Draft | None]:
    """Kitex's failure retry, olivere/elastic's retrier and RetryOnConflict, redsync's tries and gocql's
    RetryPolicy(nil) (round 12)."""
    out: list[Draft | None] = []
    kitex_client = _imports(gf, "cloudwego/kitex/client")
    kitex_retry = _imports(gf, "cloudwego/kitex/pkg/retry")
    elastic = _imports(gf, "github.com/olivere/elastic")
    redsync = {alias for alias, path in gf.imports.items() if re.fullmatch(r"github\.com/go-redsync/redsync(/v\d+)?", path)}
    gocql = _imports(gf, "github.com/gocql/gocql", "scylladb/gocqlx")
    conflict = b"RetryOnConflict" in gf.data
    redislock = {alias for alias, path in gf.imports.items() if re.fullmatch(r"github\.com/bsm/redislock(/v\d+)?", path)}
    if not (kitex_client or elastic or redsync or gocql or conflict or redislock):
        return out
    for call in gf.calls:
        name, args = call.name, call.args
        if kitex_client and name == "WithFailureRetry" and len(args) == 1 and _package_call(call, kitex_client, gf):
            out.append(_kitex_failure_retry(gf, call, kitex_retry))
        elif elastic and name == "SetRetrier" and len(args) == 1 and _package_call(call, elastic, gf):
            out.append(_retry_at(gf, call.node, None, node_text(args[0]), "elastic"))
        elif conflict and name in ("RetryOnConflict", "WithRetryOnConflict") and len(args) == 1 and \
                call.receiver is not None and call.receiver.type == "call_expression":
            # `client.Update().Index(i).Id(id).RetryOnConflict(20).Doc(d).Do(ctx)`: retry_on_conflict=20
            info = gf.count(inner_expression(args[0]), offset=1)
            out.append(_retry_at(gf, _method_name_node(call) or call.node, info.value, info.expression,
                                 "elasticsearch", info.pending))
        elif redsync and name == "WithTries" and len(args) == 1 and _package_call(call, redsync, gf):
            info = gf.count(inner_expression(args[0]))
            out.append(_retry_at(gf, call.node, info.value, info.expression, "redsync", info.pending))
        elif redislock and name == "LimitRetry" and len(args) == 2 and _package_call(call, redislock, gf):
            # bsm/redislock: `redislock.LimitRetry(redislock.LinearBackoff(time.Second), n)` lets Obtain try
            # again n times after its first try: n + 1 tries to take the lock (round 17, athens)
            info = gf.count(inner_expression(args[1]), offset=1)
            out.append(_retry_at(gf, call.node, info.value, info.expression, "bsm/redislock", info.pending))
        elif gocql and name == "RetryPolicy" and len(args) == 1 and node_text(args[0]).strip() == "nil" and \
                call.receiver is not None:
            out.append(_retry_at(gf, _method_name_node(call) or call.node, 1.0, "RetryPolicy(nil)", "gocql"))
    return out


# oras-go v2's retry package: `retry.DefaultPolicy` (MaxRetry 5: 6 tries), used by `retry.NewTransport(base)` and
# `retry.DefaultClient` (round 18, Flux's source-controller: the Helm OCI registry client, notation's verifier).
_ORAS_DEFAULT_TRIES = 6.0


def _round18_library_calls(gf: GoFile) -> list[Draft | None]:
    """oras-go's retry transport left at its default policy; nats-on-a-log's Raft transport timeout;
    docker/go-events' RetryingSink (it writes an
    event again until the sink takes it, its breaker only spacing the tries: no bound; distribution's
    notification endpoints)."""
    out: list[Draft | None] = []
    oras = {alias for alias, path in gf.imports.items()
            if re.fullmatch(r"oras\.land/oras-go/v2/registry/remote/retry", path)}
    events = {alias for alias, path in gf.imports.items() if re.fullmatch(r"github\.com/docker/go-events", path)}
    natslog = {alias for alias, path in gf.imports.items() if path.startswith("github.com/liftbridge-io/nats-on-a-log")}
    if not (oras or events or natslog):
        return out
    for call in gf.calls:
        if natslog and call.name in ("NewNATSTransport", "NewNATSTransportWithLogger") and len(call.args) == 5 and \
                _package_call(call, natslog, gf):
            # nats-on-a-log: Raft over NATS request/reply; its timeout bounds each Raft RPC's request (round 18)
            out.append(_timeout(gf, call.node, call.args[3], "total", "nats-on-a-log"))
            continue
        if oras and call.name == "NewTransport" and len(call.args) == 1 and _package_call(call, oras, gf):
            out.append(_retry_at(gf, call.node, _ORAS_DEFAULT_TRIES, "retry.NewTransport: DefaultPolicy MaxRetry 5",
                                 "oras-go"))
        elif events and call.name == "NewRetryingSink" and len(call.args) == 2 and _package_call(call, events, gf):
            out.append(_retry_at(gf, call.node, None, node_text(call.node), "docker/go-events"))
    if oras:
        for node in ts.walk(gf.root):
            if node.type == "selector_expression" and node_text(node.child_by_field_name("field")) == "DefaultClient":
                operand = node.child_by_field_name("operand")
                if operand is not None and operand.type == "identifier" and node_text(operand) in oras and \
                        gf.lookup_local(node_text(operand), node) is None:
                    out.append(_retry_at(gf, node, _ORAS_DEFAULT_TRIES, "retry.DefaultClient: DefaultPolicy MaxRetry 5",
                                         "oras-go"))
    return out


# hashicorp/raft (round 19, orchestrator): the transport's timeout bounds each RPC to a peer, the Raft
# calls that replicate or change the cluster wait at most their timeout argument
_RAFT_TRANSPORTS = {"NewTCPTransport": 3, "NewTCPTransportWithLogger": 3, "NewNetworkTransport": 2,
                    "NewNetworkTransportWithLogger": 2}
_RAFT_METHODS = {"Apply": (2, 1), "ApplyLog": (2, 1), "Barrier": (1, 0), "AddVoter": (4, 3), "AddNonvoter": (4, 3),
                 "RemoveServer": (3, 2), "DemoteVoter": (3, 2)}


def _round19_library_calls(gf: GoFile) -> list[Draft | None]:
    """hashicorp/raft's transport timeout and the timeout of Apply/Barrier/AddVoter/RemoveServer (total);
    ory/x's `resilience.Retry(logger, wait, failAfter, f)` (f again every `wait` until `failAfter` has
    passed: a retry without a count and a timeout, both at the call); mailgun/holster's `retry.Until(ctx,
    backoff, f)` (again until f works or the context ends: no count)."""
    out: list[Draft | None] = []
    raft = {alias for alias, path in gf.imports.items() if re.fullmatch(r"github\.com/hashicorp/raft", path)}
    resilience = {alias for alias, path in gf.imports.items() if re.fullmatch(r"github\.com/ory/x/resilience", path)}
    holster = {alias for alias, path in gf.imports.items()
               if re.fullmatch(r"github\.com/mailgun/holster(/v\d+)?/retry", path)}
    if not (raft or resilience or holster):
        return out
    for call in gf.calls:
        if raft and call.name in _RAFT_TRANSPORTS and _package_call(call, raft, gf) and \
                len(call.args) > _RAFT_TRANSPORTS[call.name]:
            out.append(_timeout(gf, call.node, call.args[_RAFT_TRANSPORTS[call.name]], "total", "hashicorp/raft"))
        elif raft and call.name in _RAFT_METHODS and call.receiver is not None and not call.package and \
                len(call.args) == _RAFT_METHODS[call.name][0] and \
                not re.match(r"\s*time\.Until\(", node_text(call.args[_RAFT_METHODS[call.name][1]])):
            # (`r.Apply(data, time.Until(deadline))`: what is left of a deadline carried down, go-liftbridge)
            out.append(_timeout(gf, call.node, call.args[_RAFT_METHODS[call.name][1]], "total", "hashicorp/raft"))
        elif resilience and call.name == "Retry" and len(call.args) == 4 and _package_call(call, resilience, gf):
            out.append(_retry_at(gf, call.node, None, node_text(call.node)[:80], "ory/x resilience"))
            out.append(_timeout(gf, call.node, call.args[2], "total", "ory/x resilience"))
        elif holster and call.name == "Until" and len(call.args) == 3 and _package_call(call, holster, gf):
            policy = gf.call_at(inner_expression(call.args[1]))
            if policy is not None and policy.name == "Attempts" and policy.args:
                out.append(_retry(gf, call.node, policy.args[0], 0, "mailgun/holster retry"))
            else:
                out.append(_retry_at(gf, call.node, None, node_text(call.node)[:80], "mailgun/holster retry"))
    return out


def _rest_config(gf: GoFile, assignment, aliases: set[str]) -> bool:
    """`config.Timeout = requestTimeout` on a client-go `*rest.Config`: made by `rest.InClusterConfig()`,
    clientcmd's `BuildConfigFromFlags` / `ClientConfig()`, a parameter of that type, or a function of this
    file that returns one (`config, err := buildRestConfig(kubeConfig, apiServerURL)`): every request of
    the clients built from it is bounded (round 10)."""
    made = _bound_type(gf, assignment)
    if made is None:
        return False
    if made.split(".", 1)[0] in aliases:
        return made.endswith((".Config", ".InClusterConfig", ".BuildConfigFromFlags", ".ClientConfig",
                              ".RESTConfigFromKubeConfig", ".CopyConfig"))
    fn = gf.functions.get(made)
    result = fn.child_by_field_name("result") if fn is not None else None
    return result is not None and any(re.search(rf"\b{re.escape(a)}\.Config\b", node_text(result)) for a in aliases)


# RabbitMQ queue arguments: the broker requeues a delivery not acked within x-consumer-timeout (ms: the
# consumer's handler deadline, like SQS's visibility timeout); a quorum queue drops or dead-letters a
# message returned more than x-delivery-limit times (limit + 1 deliveries).
_AMQP_TIMEOUT_ARGS = ("x-consumer-timeout",)
_AMQP_RETRY_ARGS = ("x-delivery-limit",)


def _amqp_arguments(gf: GoFile, aliases: set[str]) -> list[Draft | None]:
    """`amqp.Table{"x-consumer-timeout": 300000}` and `args["x-consumer-timeout"] = d.Milliseconds()` in a
    file importing amqp091-go / streadway/amqp."""
    out: list[Draft | None] = []
    found: list[tuple] = []
    for comp in gf.composites:
        package, _, type_name = comp.type_name.partition(".")
        if package in aliases and type_name == "Table":
            found.extend((comp.elements[k], k.strip('"`'), v) for k, v in comp.fields.items())
    if b"x-consumer-timeout" in gf.data or b"x-delivery-limit" in gf.data:
        for node in descendants(gf.root):
            if node.type != "assignment_statement" or node_text(node.child_by_field_name("operator")) != "=":
                continue
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if left is None or right is None or len(left.named_children) != 1 or len(right.named_children) != 1:
                continue
            target = left.named_children[0]
            index = target.child_by_field_name("index") if target.type == "index_expression" else None
            if index is not None and index.type in ("interpreted_string_literal", "raw_string_literal"):
                found.append((node, node_text(index).strip('"`'), right.named_children[0]))
    for node, key, value in found:
        if key in _AMQP_TIMEOUT_ARGS:
            out.append(_milliseconds(gf, node, value, "total", "amqp"))
        elif key in _AMQP_RETRY_ARGS:
            out.append(_retry(gf, node, value, 1, "amqp"))
    return out


def _milliseconds(gf: GoFile, node, value, phase: str, library: str) -> Draft | None:
    """A number of milliseconds, often written as a duration's `Milliseconds()`."""
    value = inner_expression(value)
    if value.type == "call_expression":
        function = value.child_by_field_name("function")
        if function is not None and function.type == "selector_expression" and \
                node_text(function.child_by_field_name("field")) == "Milliseconds":
            return _timeout(gf, node, function.child_by_field_name("operand"), phase, library)
    return _timeout(gf, node, value, phase, library, unit_ms=True)


def _generic_timeouts(gf: GoFile, aliases: set[str]) -> list[Draft | None]:
    """`timeout.With[any](10 * time.Second)`: a generic call the grammar reads as a conversion to
    `timeout.With[any]`."""
    out = []
    for node in descendants(gf.root):
        if node.type != "type_conversion_expression":
            continue
        generic = node.child_by_field_name("type")
        value = node.child_by_field_name("operand")
        if generic is None or value is None or generic.type != "generic_type":
            continue
        qualified = generic.child_by_field_name("type")
        if qualified is None or qualified.type != "qualified_type":
            continue
        package = node_text(qualified.child_by_field_name("package"))
        name = node_text(qualified.child_by_field_name("name"))
        if package in aliases and name in ("With", "Builder", "New"):
            out.append(_timeout(gf, node, value, "total", "failsafe-go"))
    return out


# librdkafka properties (milliseconds) of confluent-kafka-go's ConfigMap, and its retry counts.
_RDKAFKA_TIMEOUTS = {"socket.timeout.ms": "read", "request.timeout.ms": "total", "message.timeout.ms": "total",
                     "delivery.timeout.ms": "total", "socket.connection.setup.timeout.ms": "connect",
                     "transaction.timeout.ms": "total"}
_RDKAFKA_RETRIES = ("retries", "message.send.max.retries")


def _librdkafka(gf: GoFile, comp) -> list[Draft | None]:
    """`kafka.ConfigMap{"message.timeout.ms": 30000, "retries": 5}`: librdkafka's own property names;
    `message.timeout.ms: 0` is infinite (no bound)."""
    out: list[Draft | None] = []
    for key, value in comp.fields.items():
        name = key.strip('"`')
        if name in _RDKAFKA_TIMEOUTS:
            out.append(_timeout(gf, comp.elements[key], value, _RDKAFKA_TIMEOUTS[name], "confluent-kafka-go",
                                unit_ms=True))
        elif name in _RDKAFKA_RETRIES:
            out.append(_retry(gf, comp.elements[key], value, 1, "confluent-kafka-go"))
    return out


def _milliseconds_argument(gf: GoFile, node, value) -> Draft | None:
    """`consumer.GetMetadata(nil, true, int(timeout.Milliseconds()))`: a wait in ms, often written as a
    duration's Milliseconds()."""
    value = inner_expression(value)
    for candidate in [value, *descendants(value)]:
        if candidate.type != "call_expression":
            continue
        function = candidate.child_by_field_name("function")
        if function is not None and function.type == "selector_expression" and \
                node_text(function.child_by_field_name("field")) == "Milliseconds":
            return _timeout(gf, node, function.child_by_field_name("operand"), "total", "confluent-kafka-go")
    return _timeout(gf, node, value, "total", "confluent-kafka-go", unit_ms=True)


def _root(node):
    while node.type == "selector_expression" and node.child_by_field_name("operand") is not None:
        node = node.child_by_field_name("operand")
    return node


def _bound_type(gf: GoFile, assignment) -> str | None:
    """What the assignment's root variable was made from: `cfg, _ := pgxpool.ParseConfig(dsn)` ->
    "pgxpool.ParseConfig", `d := websocket.Dialer{}` -> "websocket.Dialer", a parameter -> its type."""
    root = _root(assignment.operand)
    if root.type != "identifier":
        return None
    bound = gf.lookup_local(node_text(root), assignment.node)
    if bound is not None and hasattr(bound, "type"):
        value = inner_expression(bound)
        if value.type == "unary_expression":
            value = inner_expression(value.child_by_field_name("operand"))
        if value.type == "call_expression":
            function = value.child_by_field_name("function")
            return node_text(function) if function is not None else None
        if value.type == "composite_literal":
            return gf.type_name(value.child_by_field_name("type"))
        return None
    return gf.parameter_type(node_text(root), assignment.node)


def _pgx_config(gf: GoFile, assignment, aliases: set[str]) -> bool:
    made = _bound_type(gf, assignment)
    return made is not None and made.split(".", 1)[0] in aliases


def _bound_to(gf: GoFile, assignment, aliases: set[str], type_name: str) -> bool:
    made = _bound_type(gf, assignment)
    return made is not None and made.split(".", 1)[0] in aliases and made.endswith("." + type_name)
