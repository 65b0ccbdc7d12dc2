"""Hand-written retry loops in Java.

What it does: reports a ``for``/``while``/``do`` loop whose counter or bound is named for
attempts or retries (``attempt``, ``retries``, ``MAX_TRIES``) and whose body catches failures
(``try``/``catch``), with the number of tries when the bounds say it
(``for (int attempt = 0; attempt < 3; attempt++)`` -> 3) and the backoff its sleeps show.
A for-each over items, or a loop without a try, is not a retry; a for-each over a service's
instances whose try returns on success and whose catch moves on to the next one
(``for (Server s : servers) { try { return call(s); } catch (IOException e) { log } }``) is a
failover retry: ``max_attempts`` is the number of instances (null), ``failover: true``.

Why it matters: hand loops hide retry amplification from every config file.

Also the seed's single retry in a catch block: ``try { return risk.score(id); } catch
(TimeoutException e) { return risk.score(newId); }`` -> retry max_attempts=2, mechanism catch.

Also the resends that are not loops: an OkHttp interceptor that proceeds again with the same
request after looking at the first answer (``Response r = chain.proceed(req); if (r.code() == 401)
return chain.proceed(req.newBuilder()...build());`` -> 2 tries), an OkHttp ``Authenticator`` whose
``authenticate(route, response)`` returns ``response.request().newBuilder()...`` (OkHttp sends it
again: tries unknown), and a WorkManager worker that returns ``Result.retry()`` under
``getRunAttemptCount() < 3`` (4 runs).

Example: ``for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) { try { ... } catch ... }``
-> retry max_attempts=MAX_ATTEMPTS (pending), mechanism loop.
"""

from __future__ import annotations

import re

from contract_discovery.model import Pending
from extractors import treesitter as ts
from extractors.base import detector
from extractors.java.jvm import documented
from extractors.java.detectors.outbound import target_within
from extractors.java.jvm import settle_count
from extractors.java.retry_scope import backoff_of, catch_repeat, is_retry_loop, loop_attempts
from extractors.java.syntax import JavaFile, arguments, expr_of, name_location
from extractors.jvm_common import FLIPPED, bound_of, request_key

ID = "java.retry_loop"


@detector(ID, "java", ["retry"],
          valid=['for (Item item : items) { try { send(item); } catch (Exception e) { log(e); } }',
                 'for (String host : hosts) { try { return InetAddress.getByName(host); } catch (Exception e) { throw e; } }',
                 'for (int i = 0; i < items.size(); i++) { try { send(items.get(i)); } catch (Exception e) {} }'],
          invalid=['for (int attempt = 0; attempt < 3; attempt++) { try { call(); break; } catch (Exception e) {} }',
                   'try { return riskClient.score(id); } catch (Exception e) { return riskClient.score(newId); }'])
@documented(__doc__)
def detect(jf: JavaFile) -> None:
    for loop in jf.loops:
        if not is_retry_loop(loop):
            continue
        expr = loop_attempts(loop)
        max_attempts = settle_count(expr) if expr is not None else None
        pending = (Pending("max_attempts", expr, 1.0),) if expr is not None and max_attempts is None else ()
        body = loop.child_by_field_name("body")
        catches = [ts.text(t) for n in ts.walk(body) if n.type == "catch_clause"
                   for t in ts.walk(n) if t.type == "catch_type"]
        target, target_pending = target_within(jf, body)
        line, column = loop.start_point[0] + 1, loop.start_point[1] + 1
        loc = (line, column, line, column + len(ts.text(loop).splitlines()[0]))
        attrs = {"max_attempts": max_attempts, "backoff": backoff_of(body), "retry_on": catches or None,
                 "mechanism": "loop", "library": None}
        if loop.type == "enhanced_for_statement":
            attrs["failover"] = True
        jf.sink.add("retry", loc, ID, attrs,
                    jf.evidence(loop), "high" if max_attempts is not None else "medium", target,
                    pending + target_pending)
    for try_node in jf.tries:
        block = catch_repeat(try_node)
        if block is None:
            continue
        if any(a.type in ("for_statement", "while_statement", "do_statement", "enhanced_for_statement") and is_retry_loop(a)
               for a in ts.ancestors(try_node)):
            continue  # the loop around it is the retry
        clause = block.parent
        catches = [ts.text(t) for t in ts.walk(clause) if t.type == "catch_type"]
        target, target_pending = target_within(jf, try_node.child_by_field_name("body"))
        line, column = try_node.start_point[0] + 1, try_node.start_point[1] + 1
        jf.sink.add("retry", (line, column, line, column + 3), ID,
                    {"max_attempts": 2, "backoff": backoff_of(block), "retry_on": catches or None,
                     "mechanism": "catch", "library": None},
                    jf.evidence(try_node), "medium", target, target_pending)
    _interceptor_resends(jf)
    _authenticators(jf)
    _work_manager(jf)


def _method_name(method: ts.Node) -> str:
    return ts.text(method.child_by_field_name("name"))


def _interceptor_resends(jf: JavaFile) -> None:
    by_scope: dict[int, list] = {}
    for site in jf.calls:
        receiver = site.node.child_by_field_name("object")
        if site.name != "proceed" or receiver is None or "chain" not in ts.text(receiver).lower() \
                or not arguments(site.node):
            continue
        scope = None
        for parent in ts.ancestors(site.node):
            if parent.type in ("for_statement", "while_statement", "do_statement", "enhanced_for_statement"):
                break
            if parent.type in ("method_declaration", "lambda_expression"):
                scope = parent
                break
        if scope is not None:
            by_scope.setdefault(scope.id, []).append(site)
    for sites in by_scope.values():
        for i, later in enumerate(sites):
            key = _request_key(arguments(later.node)[0], later.node)
            before = [s for s in sites[:i] if _runs_before(s.node, later.node)
                      and _request_key(arguments(s.node)[0], s.node) == key]
            if before:
                jf.sink.add("retry", name_location(later.node, later.name_node), ID,
                            {"max_attempts": len(before) + 1, "backoff": "none", "retry_on": None,
                             "mechanism": "interceptor", "library": "okhttp"}, jf.evidence(later.node), "medium")


def _request_key(arg: ts.Node, at: ts.Node) -> str:
    """Which request a ``proceed`` argument sends, following local variables back
    (``Request retried = original.newBuilder()...`` and ``Request original = chain.request()`` are both
    ``chain``); ``Api.refreshRequest(..)`` is another request."""
    scope = next((a for a in ts.ancestors(at) if a.type in ("method_declaration", "lambda_expression")), None)
    values: dict[str, str] = {}
    for node in ts.walk(scope) if scope is not None else ():
        if node.type == "variable_declarator" and node.start_byte < at.start_byte and node.child_by_field_name("value"):
            values.setdefault(ts.text(node.child_by_field_name("name")), ts.text(node.child_by_field_name("value")))
    return request_key(ts.text(arg), values)


def _runs_before(first: ts.Node, later: ts.Node) -> bool:
    statement = first
    while statement.parent is not None and statement.parent.type not in ("block", "lambda_expression"):
        statement = statement.parent
        if statement.type in ("return_statement", "throw_statement"):
            return False
    block = statement.parent
    return block is not None and block.start_byte <= later.start_byte and later.end_byte <= block.end_byte \
        and later.start_byte >= statement.end_byte


def _authenticators(jf: JavaFile) -> None:
    if b"Authenticator" not in jf.data:
        return
    for method in ts.walk(jf.tree.root_node):
        if method.type != "method_declaration" or _method_name(method) != "authenticate":
            continue
        params = method.child_by_field_name("parameters")
        body = method.child_by_field_name("body")
        if params is None or body is None or "Response" not in ts.text(params) \
                or ".newBuilder()" not in ts.text(body) or "request" not in ts.text(body):
            continue
        name = method.child_by_field_name("name")
        jf.sink.add("retry", ts.location(name), ID,
                    {"max_attempts": None, "backoff": "none", "retry_on": ["401"], "mechanism": "interceptor",
                     "library": "okhttp"}, jf.evidence(name), "medium")


def _work_manager(jf: JavaFile) -> None:
    for site in jf.calls:
        receiver = site.node.child_by_field_name("object")
        if site.name != "retry" or receiver is None or not ts.text(receiver).endswith("Result") \
                or arguments(site.node):
            continue
        for parent in ts.ancestors(site.node):
            if parent.type in ("method_declaration", "lambda_expression"):
                break
            if parent.type not in ("if_statement", "ternary_expression"):
                continue
            condition = parent.child_by_field_name("condition")
            bound = _run_count_bound(condition) if condition is not None else None
            if bound is None:
                continue
            anchor, expr = bound
            value = settle_count(expr)
            jf.sink.add("retry", ts.location(anchor), ID,
                        {"max_attempts": value, "backoff": None, "retry_on": None, "mechanism": "client_config",
                         "library": "workmanager"}, jf.evidence(anchor), "high" if value is not None else "medium",
                        None, () if value is not None else (Pending("max_attempts", expr, 1.0),))
            break


_FLIP = FLIPPED


def _run_count_bound(condition: ts.Node):
    for node in ts.walk(condition):
        if node.type != "binary_expression":
            continue
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        op = ts.text(node.child_by_field_name("operator"))
        if left is None or right is None or op not in _FLIP:
            continue
        if "RunAttemptCount" in ts.text(right) or "runAttemptCount" in ts.text(right):
            left, right, op = right, left, _FLIP[op]
        if not re.fullmatch(r"(this\.)?(getRunAttemptCount\(\)|runAttemptCount)", ts.text(left)) or op not in ("<", "<="):
            continue
        return node, bound_of(op, expr_of(right))
    return None
