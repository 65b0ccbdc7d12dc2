"""Round 19 (second wave, gofix2): library settings the held-out sets showed.

- NATS Streaming (`github.com/nats-io/stan.go`): `stan.PubAckWait(d)` bounds each publish's wait for
  its ack (total), `stan.ConnectWait(d)` the connect request (connect).
- NATS JetStream (`github.com/nats-io/nats.go`): `nats.MaxWait(d)`, the JetStream context's wait for
  an API reply (total). (`nats.MaxReconnects(n)` stays out: the Go sets leave the library's
  reconnects of a live connection unlabelled since round 9.)
- matryer/try: `try.Do(func(attempt int) (bool, error) { ...; return attempt < n, err })` tries
  while the function says so and fails: n tries (`<=`: n + 1), at most try.MaxRetries (10, the
  default); a function that never compares `attempt` gets the 10.
- ClickHouse ch-go: `ch.Options{HandshakeTimeout: d}` bounds the server hello (connect).
- fiorix/go-smpp: `smpp.Transmitter{RespTimeout: d}` (also Receiver / Transceiver) bounds each
  submit's wait for its response (total).
- A message handler's failure branch that rejects a message already redelivered and otherwise
  nacks it for one redelivery (`if err := handle(); err != nil { if redelivered { msg.Reject();
  return }; msg.Nack() }`): 2 tries, at the `if redelivered` check.

Round 21:
- NATS Streaming's subscription option `stan.AckWait(d)`: the handler's time before the message is
  redelivered (total), as PubAckWait.
- go-grpc-middleware v2's timeout interceptor, `timeout.UnaryClientInterceptor(d)`: each unary call's
  deadline (total; cloudnative-pg's plugin connections).
- go-containerregistry's `transport.NewRetry(rt)` without options: its default backoff's 3 steps (3
  tries; clair's clairctl). With `transport.WithRetryBackoff(...)` / a predicate the count is the
  options': not read.
- JetStream's `nats.MaxWait(d)` handed to a pull subscription's `Fetch` / `FetchBatch` is the long poll of
  one fetch (the loop fetches again on `nats.ErrTimeout`): queue long-polling, no contract (argo-events).
"""

from __future__ import annotations

import re

from contract_discovery.values import BinOp, Call, Num
from extractors.go.gofile import Draft, GoFile, inner_expression, node_text

ID = "go.libraries"  # reported as library settings, like detectors/libraries.py's

_STAN = {"PubAckWait": "total", "ConnectWait": "connect",
         # round 21 (argo-events): a subscription's AckWait, how long NATS Streaming waits for the handler's
         # ack before it redelivers the message (nats-queue-worker labels it)
         "AckWait": "total"}
_TRY_DEFAULT = 10  # try.MaxRetries


def _imports(gf: GoFile, *fragments: str) -> set[str]:
    return {alias for alias, path in gf.imports.items() if any(f in path for f in fragments)}


def _package_call(gf: GoFile, call, aliases: set[str]) -> bool:
    receiver = call.receiver
    return receiver is not None and receiver.type == "identifier" and node_text(receiver) in aliases and \
        gf.lookup_local(node_text(receiver), call.node) is None


def _timeout(gf: GoFile, node, value, phase: str, library: str) -> Draft | None:
    info = gf.duration(value)
    if info.value is not None and info.value <= 0:
        return None  # 0: no timeout
    return Draft(gf.finding("timeout", node, ID,
                            {"timeout_ms": info.value, "phase": phase, "resolved_from": info.resolved_from,
                             "expression": info.expression, "client_type": library},
                            confidence=info.confidence, pending=info.pending),
                 link=("client", frozenset()), linkable=True)


def _try_do(gf: GoFile, call) -> Draft | None:
    fn = inner_expression(call.args[0]) if len(call.args) == 1 else None
    if fn is None or fn.type != "func_literal":
        return None
    params = fn.child_by_field_name("parameters")
    names = [node_text(n) for d in (params.named_children if params is not None else [])
             for n in d.children_by_field_name("name")]
    if len(names) != 1:
        return None
    attempt = re.escape(names[0])
    body = node_text(fn.child_by_field_name("body"))
    found = re.search(rf"return\s+{attempt}\s*(<=?)\s*([\w.]+)\s*,", body)
    pending = ()
    if found is None:
        attempts, expression = float(_TRY_DEFAULT), "try.MaxRetries (10)"
    else:
        bound = gf.to_expr(_bound_node(gf, fn, found.group(2)) or fn)
        if found.group(2).isdigit():
            bound = Num(float(found.group(2)))
        extra = 1.0 if found.group(1) == "<=" else 0.0
        expr = Call("min", (BinOp("+", bound, Num(extra)) if extra else bound, Num(float(_TRY_DEFAULT))))
        value, _ = gf.settle(expr, as_duration=False)
        attempts, expression = value, f"{names[0]} {found.group(1)} {found.group(2)}"
        if attempts is None:
            from contract_discovery.model import Pending
            pending = (Pending("max_attempts", gf._substitute(expr, at=call.node), 1.0),)
    return Draft(gf.finding("retry", call.node, ID,
                            {"max_attempts": attempts, "backoff": "none", "retry_on": "error",
                             "mechanism": "call", "library": "matryer/try", "expression": expression},
                            confidence="high" if attempts is not None else "medium", pending=pending),
                 link=("scope", fn.start_byte, fn.end_byte), linkable=True)


def _fetch_long_poll_r21(gf: GoFile, call) -> bool:
    """`sub.Fetch(1, nats.MaxWait(time.Second))`: the wait of one pull of a pull subscription."""
    parent = call.node.parent
    while parent is not None and parent.type in ("argument_list", "parenthesized_expression"):
        parent = parent.parent
    outer = gf.call_at(parent) if parent is not None and parent.type == "call_expression" else None
    return outer is not None and outer.receiver is not None and outer.name in ("Fetch", "FetchBatch")


def _bound_node(gf: GoFile, fn, text: str):
    """The identifier or selector `text` as written in the func literal (for its value)."""
    for node in _walk(fn):
        if node.type in ("identifier", "selector_expression") and node_text(node) == text:
            return node
    return None


def _walk(node):
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(n.named_children))


def detect(gf: GoFile) -> list[Draft]:
    """NATS Streaming PubAckWait / ConnectWait, JetStream MaxWait, matryer/try's try.Do, ch-go's HandshakeTimeout."""
    stan = _imports(gf, "github.com/nats-io/stan.go")
    nats = {a for a, p in gf.imports.items() if p == "github.com/nats-io/nats.go"}
    tries = _imports(gf, "matryer/try")
    ch = {a for a, p in gf.imports.items() if p.rstrip("/") == "github.com/ClickHouse/ch-go"}
    smpp = {a for a, p in gf.imports.items() if p.rstrip("/") == "github.com/fiorix/go-smpp/smpp"}
    grpc_timeout = {a for a, p in gf.imports.items()
                    if p.rstrip("/") == "github.com/grpc-ecosystem/go-grpc-middleware/v2/interceptors/timeout"}
    ggcr = {a for a, p in gf.imports.items()
            if p.rstrip("/") == "github.com/google/go-containerregistry/pkg/v1/remote/transport"}
    drafts: list[Draft | None] = _redelivered_once(gf) if b"edelivered" in gf.data else []
    if not (stan or nats or tries or ch or smpp or grpc_timeout or ggcr):
        return [d for d in drafts if d is not None]
    for call in gf.calls:
        if stan and call.name in _STAN and len(call.args) == 1 and _package_call(gf, call, stan):
            drafts.append(_timeout(gf, call.node, call.args[0], _STAN[call.name], "stan"))
        elif nats and call.name == "MaxWait" and len(call.args) == 1 and _package_call(gf, call, nats):
            if _fetch_long_poll_r21(gf, call):
                continue
            drafts.append(_timeout(gf, call.node, call.args[0], "total", "nats.JetStream"))
        elif grpc_timeout and call.name in ("UnaryClientInterceptor", "TimeoutUnaryClientInterceptor") and \
                len(call.args) == 1 and _package_call(gf, call, grpc_timeout):
            drafts.append(_timeout(gf, call.node, call.args[0], "total", "go-grpc-middleware/timeout"))
        elif ggcr and call.name == "NewRetry" and len(call.args) == 1 and _package_call(gf, call, ggcr):
            drafts.append(Draft(gf.finding("retry", call.node, ID,
                                           {"max_attempts": 3.0, "backoff": "exponential", "retry_on": "error",
                                            "mechanism": "transport", "library": "go-containerregistry",
                                            "resolved_from": "library_default",
                                            "expression": "transport.NewRetry(rt): default backoff, 3 steps"},
                                           confidence="medium"),
                                link=("client", frozenset()), linkable=True))
        elif tries and call.name == "Do" and _package_call(gf, call, tries):
            drafts.append(_try_do(gf, call))
    for comp in gf.composites if ch else ():
        alias, _, own = comp.type_name.partition(".")
        if alias in ch and own == "Options" and "HandshakeTimeout" in comp.fields:
            drafts.append(_timeout(gf, comp.elements.get("HandshakeTimeout", comp.fields["HandshakeTimeout"]),
                                   comp.fields["HandshakeTimeout"], "connect", "ch-go"))
    for comp in gf.composites if smpp else ():
        alias, _, own = comp.type_name.partition(".")
        if alias in smpp and own in ("Transmitter", "Receiver", "Transceiver") and "RespTimeout" in comp.fields:
            drafts.append(_timeout(gf, comp.elements.get("RespTimeout", comp.fields["RespTimeout"]),
                                   comp.fields["RespTimeout"], "total", "go-smpp"))
    return [d for d in drafts if d is not None]


_FAILED = re.compile(r"\berr\w*\s*!=\s*nil\b")
_REDELIVERED = re.compile(r"!?\s*(?:\w+\.)*(?i:redelivered)")
_DROPS = re.compile(r"\.(?:Reject|Term|Discard|Ack)\(")
_REQUEUES = re.compile(r"\.(?:Nack|Nak|Requeue|NakWithDelay)\(")


def _redelivered_once(gf: GoFile) -> list[Draft]:
    drafts = []
    for node in _walk(gf.root):
        if node.type != "if_statement":
            continue
        condition = node.child_by_field_name("condition")
        text = node_text(condition).strip() if condition is not None else ""
        if not _REDELIVERED.fullmatch(text) or text.startswith("!"):
            continue
        outer = node.parent
        while outer is not None and outer.type != "if_statement":
            outer = outer.parent
        outer_condition = outer.child_by_field_name("condition") if outer is not None else None
        if outer_condition is None or not _FAILED.search(node_text(outer_condition)):
            continue  # only in the branch of a failed call
        consequence = outer.child_by_field_name("consequence")
        branch = node.child_by_field_name("consequence")
        if consequence is None or branch is None or not _DROPS.search(node_text(branch)):
            continue
        after = gf.data[node.end_byte:consequence.end_byte].decode("utf-8", "replace")
        if not _REQUEUES.search(after):
            continue
        drafts.append(Draft(gf.finding("retry", node, ID,
                                       {"max_attempts": 2.0, "backoff": None, "retry_on": "error",
                                        "mechanism": "redelivery", "library": None,
                                        "expression": f"{text}: one redelivery"},
                                       confidence="medium"),
                            link=None, linkable=False))
    return drafts
