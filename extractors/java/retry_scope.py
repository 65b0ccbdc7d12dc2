"""Where Java code retries: hand-written retry loops, lambdas handed to a retry executor, and
methods carrying a retry annotation. Shared by the retry-loop and fresh-ID detectors."""

from __future__ import annotations

import re

from contract_discovery.values import BinOp, Expr, Num, Ref, Unknown
from extractors import treesitter as ts
from extractors.java.jvm import ATTEMPT_NAME
from extractors.java.syntax import JavaFile, annotation_name, arguments, expr_of, method_annotations, unparenthesized

RETRY_ANNOTATIONS = {"Retry", "Retryable"}
# Calls that run their lambda argument once per attempt.
_EXECUTORS = {"executeSupplier", "executeCallable", "executeRunnable", "executeCheckedSupplier",
              "executeCompletionStage", "decorateSupplier", "decorateCallable", "decorateRunnable",
              "decorateCheckedSupplier", "decorateFunction", "execute", "executeSuspendFunction"}
_SKIP_SCOPES = ("method_declaration", "constructor_declaration", "lambda_expression", "class_body")


def _has_try(body: ts.Node) -> bool:
    """A try statement in the loop body (not inside a nested loop, lambda or class)."""
    stack = list(body.named_children)
    while stack:
        node = stack.pop()
        if node.type == "try_statement" or node.type == "try_with_resources_statement":
            return True
        if node.type in ("for_statement", "while_statement", "do_statement", "enhanced_for_statement",
                         "lambda_expression", "class_body"):
            continue
        stack.extend(node.named_children)
    return False


def _identifiers(node: ts.Node | None) -> list[str]:
    if node is None:
        return []
    return [ts.text(n) for n in ts.walk(node) if n.type == "identifier"]


# What a failover loop walks: the instances of one service, tried in turn.
_INSTANCES = re.compile(r"(servers?|services?|serviceDTOs?|hosts?|endpoints?|instances?|urls?|uris?|nodes?|replicas?|"
                        r"address(es)?|brokers?|mirrors?|backends?|upstreams?)(List|Set|Array)?$", re.IGNORECASE)
_LOCAL_ADDRESSES = re.compile(r"getInetAddresses|getInterfaceAddresses|NetworkInterface")
_NESTED = ("lambda_expression", "class_body", "for_statement", "while_statement", "do_statement",
           "enhanced_for_statement")


def is_failover_loop(loop: ts.Node) -> bool:
    """``for (Server s : servers) { try { return call(s); } catch (IOException e) { log } } throw ...``:
    the same request tried on each instance until one answers. A for-each over items whose try
    does not return (process each, log failures) is not one."""
    if loop.type != "enhanced_for_statement":
        return False
    iterable, variable = loop.child_by_field_name("value"), loop.child_by_field_name("name")
    if iterable is not None and _LOCAL_ADDRESSES.search(ts.text(iterable)):
        return False  # the host's own interface addresses (probing which one reaches out), not a service's instances
    if _only_parse_failures(loop.child_by_field_name("body")):
        return False  # round 19: `for (String uri : uriList) { try { if (new URI(uri).equals(t)) return true; }
        # catch (URISyntaxException e) { log } }` (keywhiz): items parsed and compared in turn, no call tried again
    names = [ts.text(variable)] if variable is not None else []
    if iterable is not None:
        names.append(ts.text(iterable).rstrip("()").rsplit(".", 1)[-1].removeprefix("get"))
    body = loop.child_by_field_name("body")
    if not any(_INSTANCES.search(n) for n in names if n):
        # `for (AdminBiz admin : admins) { try { Response r = admin.callback(req); if (r.isSuccess()) break; }
        # catch (...) { log } }`: each element called in turn until one answers with success.
        return body is not None and variable is not None and (_first_success(body, ts.text(variable))
                                                              or _queried_in_turn(body, ts.text(variable)))
    return _tries_until_success(body) or (
        variable is not None and iterable is not None and _INSTANCES.search(_collection_name(iterable))
        and _until_answer(body, ts.text(variable)))


_PARSE_FAILURES = re.compile(r"(?:\w+\.)*(URISyntaxException|MalformedURLException|NumberFormatException|"
                             r"DateTimeParseException|ParseException|PatternSyntaxException|UnsupportedEncodingException)")


def _only_parse_failures(body: ts.Node | None) -> bool:
    """Every catch of the loop body's tries catches only a parse failure (a malformed URI, number or date)."""
    tries = [c for c in (body.named_children if body is not None else ())
             if c.type in ("try_statement", "try_with_resources_statement")]
    types = [t for tr in tries for c in tr.named_children if c.type == "catch_clause"
             for p in c.named_children if p.type == "catch_formal_parameter"
             for t in ts.text(next((x for x in p.named_children if x.type == "catch_type"), p)).split("|")]
    types = [t.strip() for t in types if t.strip()]
    return bool(types) and all(_PARSE_FAILURES.fullmatch(t) for t in types)


# A call that asks something remote by its verb (`queryDiscoveryForInstances(request)`, `fetchFrom(url)`).
_REMOTE_VERB = re.compile(r"(query|fetch|request|send|call|invoke|contact|exchange|download)([A-Z]\w*)?")


def _queried_in_turn(body: ts.Node, variable: str) -> bool:
    """Round 19 (zowe-api-layer): ``for (EurekaServiceInstanceRequest request : requests) { try { String body =
    queryDiscoveryForInstances(request); return extract(body); } catch (Exception e) { log } }``: the loop variable
    handed to a call named for asking something remote, the answer returned from the try, the catch moving on (the
    same request tried against each discovery service until one answers)."""
    for try_node in body.named_children:
        if try_node.type not in ("try_statement", "try_with_resources_statement"):
            continue
        block = try_node.child_by_field_name("body")
        if block is None or not _returns(block):
            continue
        clauses = [c for c in try_node.named_children if c.type == "catch_clause"]
        if not clauses or all(_ends_in_throw(c) for c in clauses):
            continue
        for node in ts.walk(block):
            if node.type != "method_invocation" or not _REMOTE_VERB.fullmatch(ts.text(node.child_by_field_name("name"))):
                continue
            args = node.child_by_field_name("arguments")
            if args is not None and any(a.type == "identifier" and ts.text(a) == variable for a in args.named_children):
                return True
    return False


def _collection_name(iterable: ts.Node) -> str:
    """``config.getServerAddress()`` -> ``ServerAddress``; ``servers`` -> ``servers``."""
    return ts.text(iterable).rstrip("()").rsplit(".", 1)[-1].removeprefix("get")


def _until_answer(body: ts.Node | None, variable: str) -> bool:
    """``for (String server : servers) { if (isEmpty(result)) { result = acquire(server); } else { break; } }``: each
    instance asked in turn (the call handles its own failures) until one gave an answer: a call on or with the loop
    variable assigned to a name declared outside the loop, and a break/return under a condition on that name."""
    if body is None:
        return False
    answers = set()
    for node in _outside_nested_loops(body):
        if node.type == "assignment_expression":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if left is not None and left.type == "identifier" and ts.text(left) != variable and right is not None and \
                    right.type == "method_invocation" and variable in _identifiers(right):
                answers.add(ts.text(left))
    if not answers:
        return False
    for node in _outside_nested_loops(body):
        if node.type not in ("break_statement", "return_statement"):
            continue
        guard = next((a for a in ts.ancestors(node) if a.type == "if_statement"), None)
        if guard is not None and guard.start_byte >= body.start_byte and \
                answers & set(_identifiers(guard.child_by_field_name("condition"))):
            return True
    return False


def _outside_nested_loops(body: ts.Node) -> list[ts.Node]:
    """Round 18: the nodes of a loop body not inside a loop, lambda or class nested in it (a ``break`` of an inner
    ``for`` over patterns leaves that loop, not the one over nodes: reaper's NodesStatus)."""
    out, stack = [], list(body.named_children)
    while stack:
        node = stack.pop()
        out.append(node)
        if node.type not in _NESTED:
            stack.extend(node.named_children)
    return sorted(out, key=lambda n: n.start_byte)


def _tries_until_success(body: ts.Node | None) -> bool:
    """A try in the loop body that leaves the loop on success, whose catch moves on (does not throw)."""
    if body is None:
        return False
    tries = [c for c in body.named_children if c.type in ("try_statement", "try_with_resources_statement")]
    for try_node in tries:
        block = try_node.child_by_field_name("body")
        if block is None:
            continue
        # Success leaves the loop: a return or break in the try, or after it (`try { r = beat(a); }
        # catch (...) { r = fail(e); } if (r.isSuccess()) return r;`).
        after = [c for c in body.named_children if c.start_byte > try_node.end_byte]
        if not (_returns(block) or _leaves_on_success(block) or any(_leaves_on_success(c) for c in after)):
            continue
        clauses = [c for c in try_node.named_children if c.type == "catch_clause"]
        if any(not _ends_in_throw(c) for c in clauses):
            return True
    return False


_SUCCESS = re.compile(r"success|isOk\b|\bok\(\)", re.IGNORECASE)


def _first_success(body: ts.Node, variable: str) -> bool:
    """A try in the loop body that calls a method on the loop variable and leaves the loop under a
    success check of the answer, while its catch moves on."""
    for try_node in body.named_children:
        if try_node.type not in ("try_statement", "try_with_resources_statement"):
            continue
        block = try_node.child_by_field_name("body")
        if block is None or not any(n.type == "method_invocation" and ts.text(n.child_by_field_name("object")) == variable
                                    for n in ts.walk(block)):
            continue
        leaves = any(n.type == "if_statement" and _SUCCESS.search(ts.text(n.child_by_field_name("condition")))
                     and _breaks(n.child_by_field_name("consequence")) for n in ts.walk(block))
        clauses = [c for c in try_node.named_children if c.type == "catch_clause"]
        if leaves and clauses and all(not _ends_in_throw(c) for c in clauses):
            return True
    return False


def _leaves_on_success(node: ts.Node) -> bool:
    """A break/return that runs unconditionally or under a success check (``if (r.isSuccess()) break;``);
    one under a setting (``if (this.registerOnce) break;``) is a choice, not the end of a failover."""
    stack = [node]
    while stack:
        item = stack.pop()
        if item.type in ("break_statement", "return_statement"):
            conditions = [a.child_by_field_name("condition") for a in ts.ancestors(item)
                          if a.type == "if_statement" and a.start_byte >= node.start_byte]
            if all(c is not None and _SUCCESS.search(ts.text(c)) and not _negated(c) for c in conditions):
                return True
        if item.type not in _NESTED + ("switch_expression", "switch_block"):
            stack.extend(item.named_children)
    return False


def _negated(condition: ts.Node) -> bool:
    """Round 18: ``if (!isOk) break;`` / ``if (r.isSuccess() == false)``: leaving on failure (a loop doing the same
    step on every node, stopping at the first that fails), not on success."""
    inner = unparenthesized(condition)
    text = ts.text(inner).replace(" ", "")
    return inner is not None and (inner.type == "unary_expression" and text.startswith("!")
                                  or text.endswith(("==false", "!=true")))


def _breaks(node: ts.Node) -> bool:
    stack = [node]
    while stack:
        item = stack.pop()
        if item.type in ("break_statement", "return_statement"):
            return True
        if item.type not in _NESTED + ("switch_expression", "switch_block"):
            stack.extend(item.named_children)
    return False


def _returns(block: ts.Node) -> bool:
    stack = list(block.named_children)
    while stack:
        node = stack.pop()
        if node.type == "return_statement":
            return True
        if node.type not in _NESTED:
            stack.extend(node.named_children)
    return False


def _ends_in_throw(clause: ts.Node) -> bool:
    block = clause.child_by_field_name("body")
    statements = block.named_children if block is not None else []
    statements = [s for s in statements if s.type not in ("line_comment", "block_comment")]
    return bool(statements) and statements[-1].type in ("throw_statement", "return_statement")


# Round 21 (alfresco-transform-core): a resource that opens a file on the local disk.
_LOCAL_FILE_OPEN = re.compile(r"new\s+(?:File(?:InputStream|Reader)|RandomAccessFile)\s*\(|\bFiles\s*\.\s*new(?:InputStream|"
                              r"BufferedReader|ByteChannel)\s*\(")
# A call in the try that hands something to another system (the local read would feed a send, which is retried).
_HANDS_ON = re.compile(r"\.\s*(?:post|put|send|upload|execute|exchange|publish|invoke|request|call|submit|deliver|"
                       r"transfer)\w*\s*\(", re.IGNORECASE)


def _local_file_reread(body: ts.Node) -> bool:
    """Round 21: every try of the loop is a try-with-resources over a file of the local disk and hands nothing on
    (Alfresco's ``while (tries < 3) { try (InputStream in = new FileInputStream(sourceFile)) { parser.parse(..);
    break; } catch (ChangedCharSetException e) { tries++; charset = ..; } }``): the file read again another way,
    local work, not a retry of a call."""
    tries = [n for n in ts.walk(body) if n.type in ("try_statement", "try_with_resources_statement")]
    if not tries or any(t.type != "try_with_resources_statement" for t in tries):
        return False
    for t in tries:
        resources = t.child_by_field_name("resources")
        if resources is None or not _LOCAL_FILE_OPEN.search(ts.text(resources)) \
                or _HANDS_ON.search(ts.text(t.child_by_field_name("body") or t)):
            return False
    return True


def is_retry_loop(loop: ts.Node) -> bool:
    """A for/while/do loop whose counter or bound names attempts/retries and whose body catches
    failures, or a failover loop over instances; a for-each over items never is."""
    if is_failover_loop(loop):
        return True
    if loop.type not in ("for_statement", "while_statement", "do_statement"):
        return False
    if _acquires_lock(loop):
        return False
    body = loop.child_by_field_name("body")
    if body is None:
        return False
    if not _has_try(body):
        return resend_loop(loop) or _sends_until_true(loop) or retried_until_answer(loop) or _flagged_again(loop)
    if _waits_only(body):
        return False
    if _local_file_reread(body):
        return False
    header = []
    for field in ("init", "condition", "update"):
        for child in loop.children_by_field_name(field):
            header.extend(_identifiers(child))
    if any(ATTEMPT_NAME.search(name) for name in header):
        return True
    if counted_failover(loop) or _counter_guard(body):
        return True
    if flag_counter(loop) is not None:
        return True
    return _forever(loop) and (_catch_guard(body) is not None or _catch_continue_guard(body) is not None
                               or _time_budget_guard(loop))


# A condition that compares the clock with a budget (`end - System.currentTimeMillis() < ..`, `deadline.isBefore(now())`)
_CLOCK = re.compile(r"currentTimeMillis|nanoTime|Instant\.now|\bnow\(\)|deadline|endTime|[oO]perationTimeout")


def _time_budget_guard(loop: ts.Node) -> bool:
    """Round 19: an endless loop whose try leaves on success (``return call();`` / ``call(); break;``) and which gives up
    when a time budget is spent: a check of the clock that breaks, returns or throws, in the loop after the try
    (orion's ``if (end - System.currentTimeMillis() < RETRY_SLEEP_MS + MIN_SOCKET_TIME_MS) break;``) or in a method of
    the class its catch calls (Terra's ``TpsRetry``: ``catch (ApiException ex) { if (isRetryable(ex))
    sleepOrTimeoutBeforeRetrying(ex); else throw ex; }`` with ``if (operationTimeout.minus(retryDuration).isBefore(
    now())) throw previousException;``): a retry bounded by time, tries unknown."""
    body = loop.child_by_field_name("body")
    tries = [n for n in ts.walk(body) if n.type == "try_statement"]
    if not tries or not any(n.type in ("return_statement", "break_statement")
                            for t in tries for n in ts.walk(t.child_by_field_name("body"))):
        return False
    if re.search(r"\bnextBackOff\s*\(|BackOffExecution", ts.text(body)):
        return False  # fiat's Synchronizer: a Spring BackOff counts the tries; it is reported where it is configured
    caught = [ts.text(n).strip() for t in tries for c in t.named_children if c.type == "catch_clause"
              for n in ts.walk(c) if n.type == "catch_type"]
    if not caught or all(c == "InterruptedException" for c in caught):
        return False  # a poll that only lets an interrupt end it: nothing failed and is tried again

    def gives_up(scope: ts.Node) -> bool:
        for guard in (n for n in ts.walk(scope) if n.type == "if_statement"):
            condition = guard.child_by_field_name("condition")
            consequence = guard.child_by_field_name("consequence")
            if condition is not None and consequence is not None and _CLOCK.search(ts.text(condition)) \
                    and any(n.type in ("throw_statement", "break_statement", "return_statement")
                            for n in ts.walk(consequence)):
                return True
        return False

    outside = [c for c in body.named_children if c.type != "try_statement"]
    if any(gives_up(c) for c in outside) or any(gives_up(c) for t in tries for c in t.named_children
                                                if c.type == "catch_clause"):
        return True
    cls = next((a for a in ts.ancestors(loop) if a.type in ("class_body", "enum_body")), None)
    if cls is None:
        return False
    called = {ts.text(n.child_by_field_name("name")) for t in tries for c in t.named_children if c.type == "catch_clause"
              for n in ts.walk(c) if n.type == "method_invocation"
              and (n.child_by_field_name("object") is None or ts.text(n.child_by_field_name("object")) == "this")}
    return any(m.type == "method_declaration" and ts.text(m.child_by_field_name("name")) in called
               and m.child_by_field_name("body") is not None and gives_up(m.child_by_field_name("body"))
               for m in cls.named_children)


# Calls a waiting loop makes besides the wait itself: logging, reading state, counting.
_WAIT_ONLY_CALLS = re.compile(r"^(sleep|debug|info|warn|warning|error|trace|log|printf?|println|interrupt|"
                              r"currentThread|increment\w*)$")
# ..and reading a setting or a flag: a getter without arguments (`config.getWaitInterval()`, `breaker.isOpen()`)
_STATE_READ = re.compile(r"^(get|is|has)[A-Z]\w*$")


# A check that another system is up (a readiness poll's only call): `health()`, `ping()`, `isReady()`.
_READINESS_CHECK = re.compile(r"^(health|healthCheck|checkHealth|ping|isReady|isAlive|isHealthy|isUp|isOk)$")


def _waits_only(body: ts.Node) -> bool:
    """Round 12: a loop body whose tries catch only ``InterruptedException`` and whose calls only sleep, log and read
    state (``while (breaker.isOpen() && retries < max) { try { Thread.sleep(interval); retries++; } catch
    (InterruptedException e) { .. } }``) waits for something of this process: a poll, not a retry of a call."""
    catches = [ts.text(t) for n in ts.walk(body) if n.type == "catch_clause"
               for t in ts.walk(n) if t.type == "catch_type"]
    calls = [n for n in ts.walk(body) if n.type == "method_invocation"]
    others = [ts.text(n.child_by_field_name("name")) for n in calls
              if not _WAIT_ONLY_CALLS.match(ts.text(n.child_by_field_name("name")))
              and not (_STATE_READ.match(ts.text(n.child_by_field_name("name"))) and not arguments(n))]
    if others and all(_READINESS_CHECK.match(name) for name in others):
        return True  # `while (retries < 3) { try { if (client.health().isOk()) return; } catch (E e) {} sleep }`
    if not catches or any(c.strip() != "InterruptedException" for c in catches):
        return False
    return all(_WAIT_ONLY_CALLS.match(ts.text(n.child_by_field_name("name")))
               or (_STATE_READ.match(ts.text(n.child_by_field_name("name"))) and not arguments(n))
               or _collection_read(n)
               for n in ts.walk(body) if n.type == "method_invocation")


# In-memory collections of the process: reading one again is a wait for another thread, not a call.
_COLLECTION_TYPE = re.compile(r"^(?:Concurrent|Hash|Linked|Tree|Sorted|Navigable|Blocking|Array)*(?:Map|Set|List|Queue|Deque)\b")


def _collection_read(call: ts.Node) -> bool:
    """Round 20 (second wave): ``storage.get(key)`` on a field or local declared as an in-memory collection
    (Buildfarm's ``ConcurrentMap<String, Entry> storage``, polled for an entry another thread inserts)."""
    from extractors.java.syntax import declared_type

    receiver = call.child_by_field_name("object")
    if receiver is None or not re.fullmatch(r"(?:this\.)?\w+", ts.text(receiver)) \
            or ts.text(call.child_by_field_name("name")) not in ("get", "getOrDefault", "containsKey", "contains", "peek"):
        return False
    kind = declared_type(call, ts.text(receiver).removeprefix("this."), raw=True)
    return bool(kind and _COLLECTION_TYPE.match(kind.strip()))


def flag_counter(loop: ts.Node) -> str | None:
    """``while (!saved && times < 5) { try { save(..); saved = true; } catch (E e) { times++; } }``: a loop that runs
    until a success flag its try sets, bounded by a counter the body raises (any name): the counter's name, else None."""
    if loop.type not in ("while_statement", "do_statement", "for_statement"):
        return None
    condition = loop.child_by_field_name("condition")
    body = loop.child_by_field_name("body")
    if condition is None or body is None:
        return None
    parts = _conjuncts(condition)
    flags = [ts.text(p.named_children[0]) for p in parts if p.type == "unary_expression"
             and ts.text(p).lstrip().startswith("!") and p.named_children and p.named_children[0].type == "identifier"]
    counters = [ts.text(p.child_by_field_name("left")) for p in parts if p.type == "binary_expression"
                and ts.text(p.child_by_field_name("operator")) in ("<", "<=")
                and p.child_by_field_name("left") is not None and p.child_by_field_name("left").type == "identifier"]
    if len(flags) != 1 or len(counters) != 1:
        return None
    flag, counter = flags[0], counters[0]
    set_in_try = any(n.type == "assignment_expression" and ts.text(n.child_by_field_name("left")) == flag
                     and ts.text(n.child_by_field_name("right")) == "true" and enclosing_try_body(n, body)
                     for n in ts.walk(body))
    raised = any((n.type == "update_expression" and ts.text(n).replace("+", "").strip() == counter)
                 or (n.type == "assignment_expression" and ts.text(n.child_by_field_name("left")) == counter
                     and ts.text(n).replace(" ", "").startswith(counter + "+="))
                 for n in ts.walk(body))
    return counter if set_in_try and raised else None


def enclosing_try_body(node: ts.Node, stop: ts.Node) -> bool:
    """Is ``node`` inside the body block of a ``try`` (not its catch) below ``stop``?"""
    for parent in ts.ancestors(node):
        if parent == stop:
            return False
        if parent.type == "block" and parent.parent is not None and parent.parent.type in (
                "try_statement", "try_with_resources_statement") and parent.parent.child_by_field_name("body") == parent:
            return True
    return False


def counted_failover(loop: ts.Node) -> bool:
    """``for (int i = 0; i < servers.size(); i++) { try { return call(servers.get(i)); } catch (E e) { log } }``:
    the request tried on each instance in turn (a counted failover loop)."""
    if loop.type != "for_statement":
        return False
    condition = loop.child_by_field_name("condition")
    right = condition.child_by_field_name("right") if condition is not None and condition.type == "binary_expression" else None
    m = re.fullmatch(r"(\w+)\.(size\(\)|length)", ts.text(right).replace(" ", "")) if right is not None else None
    if m is None or not _INSTANCES.search(m.group(1)):
        return False
    return _tries_until_success(loop.child_by_field_name("body"))


def _counter_guard(body: ts.Node) -> bool:
    """A retry counter changed in the loop (``maxRetry--``) under a guard that gives up
    (``if (maxRetry < 0) { throw ... }``): the loop tries again until the count runs out."""
    changed = {ts.text(n).replace("+", "").replace("-", "").strip() for n in ts.walk(body) if n.type == "update_expression"}
    changed = {n for n in changed if ATTEMPT_NAME.search(n) and re.fullmatch(r"[A-Za-z_]\w*", n)}
    if not changed:
        return False
    for node in ts.walk(body):
        if node.type != "if_statement":
            continue
        condition = node.child_by_field_name("condition")
        consequence = node.child_by_field_name("consequence")
        if condition is None or consequence is None or not set(_identifiers(condition)) & changed:
            continue
        if any(n.type == "throw_statement" for n in ts.walk(consequence)):
            return True
        if any(n.type == "return_statement" for n in ts.walk(consequence)) \
                and any(a.type == "catch_clause" for a in ts.ancestors(node)):
            return True  # round 12: `catch (E e) { --retryCount; if (retryCount == 0) return false; }`: gives up
    return False


# Calls that send the request again (a reactive chain of re-sends to other upstreams).
_RESEND_CALL = re.compile(r"^(resend|retry|reattempt|redo|tryAgain)([A-Z]\w*)?$")


def resend_loop(loop: ts.Node) -> bool:
    """``for (int i = 0; i < retryTimes; i++) { result = resend(result, exchange); }``: a counted loop
    bounded by a retry count that chains re-sends after the first try (no try/catch: the resend
    handles the failure itself)."""
    if loop.type != "for_statement":
        return False
    condition = loop.child_by_field_name("condition")
    right = condition.child_by_field_name("right") if condition is not None and condition.type == "binary_expression" else None
    body = loop.child_by_field_name("body")
    if right is None or body is None or not ATTEMPT_NAME.search(ts.text(right)):
        return False
    return any(n.type == "method_invocation" and _RESEND_CALL.match(ts.text(n.child_by_field_name("name")))
               for n in ts.walk(body)) or _until_success(body)


def _until_success(body: ts.Node) -> bool:
    """``for (int i = 0; i <= retryCount; i++) { if (initSubscriptions()) return; }``: the body leaves the loop
    as soon as a call reports success (the call catches its own failure and answers false)."""
    for node in ts.walk(body):
        if node.type != "if_statement":
            continue
        condition = unparenthesized(node.child_by_field_name("condition"))
        consequence = node.child_by_field_name("consequence")
        if condition is None or consequence is None or condition.type != "method_invocation":
            continue
        if any(n.type in ("return_statement", "break_statement") for n in ts.walk(consequence)):
            return True
    return False


# Methods that take a (distributed) lock: a loop in them that tries again waits for a lock someone
# else holds (`while (!result && retryTimes-- > 0) { sleep; result = setNx(key) }`), not a failed call.
_LOCK_METHOD = re.compile(r"^(try)?(lock|acquire)([A-Z]\w*)?$|Lock$")


def _acquires_lock(loop: ts.Node) -> bool:
    method = next((a for a in ts.ancestors(loop) if a.type in ("method_declaration", "lambda_expression",
                                                                "constructor_declaration")), None)
    if method is None or method.type != "method_declaration":
        return False
    return bool(_LOCK_METHOD.search(ts.text(method.child_by_field_name("name"))))


def _sends_until_true(loop: ts.Node) -> bool:
    """``while (!recordSent(record)) { attempts++; if (attempts >= max) throw ..; sleep(..); }``: a call that reports
    its own failure as false, made again until it succeeds under a counted guard that gives up."""
    condition = unparenthesized(loop.child_by_field_name("condition"))
    if loop.type != "while_statement" or condition is None or condition.type != "unary_expression" \
            or not ts.text(condition).startswith("!"):
        return False
    inner = unparenthesized(condition.named_children[0]) if condition.named_children else None
    return inner is not None and inner.type == "method_invocation" and throw_guard(loop) is not None


def _answers(body: ts.Node) -> set[str]:
    """The locals a loop body sets from a call (``r = doQuery(..)``, ``result = supplier.get()``), outside nested
    loops, lambdas and classes."""
    names = set()
    for node in _outside_nested_loops(body):
        if node.type == "assignment_expression" and ts.text(node.child_by_field_name("operator")) == "=":
            left, right = node.child_by_field_name("left"), unparenthesized(node.child_by_field_name("right"))
        elif node.type == "variable_declarator":
            left, right = node.child_by_field_name("name"), unparenthesized(node.child_by_field_name("value"))
        else:
            continue
        if left is not None and left.type == "identifier" and right is not None \
                and right.type in ("method_invocation", "cast_expression"):
            names.add(ts.text(left))
    return names


def _flagged_again(loop: ts.Node) -> bool:
    """Round 21 (heroic's Kafka consumer): a ``while`` loop whose call answers whether to try again (``final boolean
    retry = consumeOne(body); if (retry) { handleRetry(sleep); sleep = Math.min(sleep * 2, MAX); continue; } break;``):
    the call made again while it asks for it (no try: the call catches its own failure and answers true)."""
    if loop.type != "while_statement":
        return False
    body = loop.child_by_field_name("body")
    flags = {n for n in _answers(body) if re.search(r"(?i)retry|again", n)}
    if not flags or not any(n.type == "break_statement" for n in _outside_nested_loops(body)):
        return False
    for node in _outside_nested_loops(body):
        if node.type != "if_statement":
            continue
        condition = unparenthesized(node.child_by_field_name("condition"))
        consequence = node.child_by_field_name("consequence")
        if condition is not None and consequence is not None and ts.text(condition) in flags \
                and any(n.type == "continue_statement" for n in ts.walk(consequence)):
            return True
    return False


def retried_until_answer(loop: ts.Node) -> bool:
    """Round 20: a ``do``/``while`` loop without a try that makes a call again while its answer is missing or is a
    retryable failure, bounded by a count of tries named so (a ``for`` too: ``for (i = 0; i < maxRetryCnt; ++i) { r =
    call(); if (r == null) { continue; } return ..; }``): knowstreaming's ES helper ``do { r = doQuery(..); }
    while (tryTimes-- > 0 && null == r);`` (the query answers null on failure) and ab2d's ``int attempts = 0; do {
    attempts++; result = supplier.get(); if (!retryableStates.contains(result)) return result; Thread.sleep(..); }
    while (attempts <= maxNumAttempts);``. The answer is checked for null in the loop's condition, or the body leaves
    under a check of the answer that names a retry or a success (a poll waiting for a state, ``if (status == DONE)
    return``, is not one)."""
    if loop.type not in ("do_statement", "while_statement", "for_statement"):
        return False
    condition = unparenthesized(loop.child_by_field_name("condition"))
    body = loop.child_by_field_name("body")
    if condition is None or body is None:
        return False
    parts = _conjuncts(condition)
    if not any(p.type == "binary_expression" and ts.text(p.child_by_field_name("operator")) in ("<", "<=", ">", ">=")
               and any(ATTEMPT_NAME.search(n) for n in _identifiers(p)) for p in parts):
        return False
    answers = _answers(body)
    if not answers:
        return False
    if any(_until_present(p) and set(_identifiers(p)) & answers for p in parts):
        return True
    if any(_not_succeeded(p, answers) for p in parts):
        return True
    for node in _outside_nested_loops(body):
        if node.type != "if_statement":
            continue
        guard, consequence = node.child_by_field_name("condition"), node.child_by_field_name("consequence")
        if guard is None or consequence is None or not set(_identifiers(guard)) & answers:
            continue
        if (ATTEMPT_NAME.search(ts.text(guard)) or _SUCCESS.search(ts.text(guard))) and _breaks(consequence):
            return True
        if _until_present(unparenthesized(guard)) and any(n.type == "continue_statement" for n in ts.walk(consequence)):
            return True  # `response = call(); if (response == null) { continue; }`: tried again while no answer came
    return False


def _not_succeeded(part: ts.Node, answers: set[str]) -> bool:
    """Round 20 (second wave): ``!response.indicatesSuccess()`` / ``!result.isSuccessful()``: the loop goes on while the
    answer the body got from a call says it failed (GOV.UK One Login's Nimbus OAuth ``do { count++; r =
    request.toHTTPRequest().send(); } while (!r.indicatesSuccess() && count < maxTries);``)."""
    part = unparenthesized(part)
    if part is None or part.type != "unary_expression" or not ts.text(part).startswith("!") or not part.named_children:
        return False
    call = unparenthesized(part.named_children[0])
    if call is None or call.type != "method_invocation":
        return False
    receiver, name = call.child_by_field_name("object"), call.child_by_field_name("name")
    return receiver is not None and receiver.type == "identifier" and ts.text(receiver) in answers \
        and name is not None and bool(_SUCCEEDED.fullmatch(ts.text(name)))


_SUCCEEDED = re.compile(r"(indicates|is|was)?Success(ful)?|isOk|ok|succeeded|isSucce(ss|eded)\w*|is2xxSuccessful")


def throw_guard(loop: ts.Node) -> ts.Node | None:
    """In a loop whose condition is no counter (``while (!sent(..))`` / ``while (notSuccessful)``), the
    ``if (attempts >= N) throw`` guard on a counter the loop counts up (``attempts++``) from 0, declared before it."""
    body = loop.child_by_field_name("body")
    if body is None:
        return None
    counted = {ts.text(n).replace("+", "").strip() for n in ts.walk(body)
               if n.type == "update_expression" and ts.text(n).replace(" ", "").strip("+") != ts.text(n).replace(" ", "")
               and "-" not in ts.text(n)}
    counted = {n for n in counted if ATTEMPT_NAME.search(n) and re.fullmatch(r"[A-Za-z_]\w*", n)
               and _declared_before(loop, n) == Num(0)}
    for node in ts.walk(body):
        if node.type != "if_statement":
            continue
        condition = unparenthesized(node.child_by_field_name("condition"))
        consequence = node.child_by_field_name("consequence")
        if condition is None or consequence is None or condition.type != "binary_expression" \
                or ts.text(condition.child_by_field_name("operator")) not in (">=", ">", "=="):
            continue
        left = condition.child_by_field_name("left")
        if left is None or left.type != "identifier" or ts.text(left) not in counted:
            continue
        if any(n.type == "throw_statement" for n in ts.walk(consequence)):
            return condition
    return None


def _forever(loop: ts.Node) -> bool:
    """``while (true)`` / ``for (;;)`` / ``do { } while (true)``."""
    condition = unparenthesized(loop.child_by_field_name("condition"))
    return condition is None or ts.text(condition) == "true"


def _countdown_catch_guard(loop: ts.Node) -> Expr | None:
    """Round 19: an endless loop whose catch goes on while a count of tries left, declared before the loop, is above a
    floor and throws otherwise, counting it down in the catch (orion's ``int retries = 3; while (true) { try { ..;
    break; } catch (Exception e) { if (retries > 0) { log } else { throw e; } retries--; } }``): start - floor + 1
    tries for ``>`` (start - floor + 2 for ``>=``), one fewer when the count is lowered before it is compared
    (``if (--retries > 0)``)."""
    body = loop.child_by_field_name("body")
    for clause in (n for n in ts.walk(body) if n.type == "catch_clause"):
        for guard in (n for n in ts.walk(clause) if n.type == "if_statement"):
            condition = unparenthesized(guard.child_by_field_name("condition"))
            if condition is None or condition.type != "binary_expression":
                continue
            op = ts.text(condition.child_by_field_name("operator"))
            left, right = condition.child_by_field_name("left"), condition.child_by_field_name("right")
            if op not in (">", ">=") or left is None or right is None:
                continue
            written = ts.text(left).replace(" ", "")
            lowered_first = written.startswith("--")
            counter = written.strip("-")
            if not re.fullmatch(r"\w+", counter) or not ATTEMPT_NAME.search(counter):
                continue
            alternative = guard.child_by_field_name("alternative")
            consequence = guard.child_by_field_name("consequence")
            if alternative is None or not any(n.type == "throw_statement" for n in ts.walk(alternative)) \
                    or any(n.type in ("throw_statement", "break_statement", "return_statement")
                           for n in ts.walk(consequence)):
                continue
            decremented = lowered_first or written.endswith("--") or any(
                n.type == "update_expression" and ts.text(n).replace(" ", "") in (counter + "--", "--" + counter)
                or n.type == "assignment_expression" and ts.text(n).replace(" ", "") == counter + "-=1"
                for n in ts.walk(clause))
            start = _declared_before(loop, counter)
            floor = expr_of(right)
            if not decremented or start is None or isinstance(start, Unknown) or isinstance(floor, Unknown):
                continue
            total: Expr = start if floor == Num(0) else BinOp("-", start, floor)
            extra = (1 if op == ">" else 2) - (1 if lowered_first else 0)
            return BinOp("+", total, Num(extra)) if extra else total
    return None


def _catch_guard(body: ts.Node) -> ts.Node | None:
    """In an endless loop, the ``if (++attempts >= MAX) throw`` guard in a catch block (round 14: also
    ``retry++; if (retry == retrys) throw e;``, the count of failures reaching the bound)."""
    for node in ts.walk(body):
        if node.type != "catch_clause":
            continue
        for inner in ts.walk(node):
            if inner.type == "binary_expression" and ts.text(inner.child_by_field_name("operator")) in (">=", ">"):
                left = inner.child_by_field_name("left")
                if left is not None and any(ATTEMPT_NAME.search(n) for n in _identifiers(left)):
                    return inner
                if left is not None and left.type == "identifier" and _FAILURE_COUNT.search(ts.text(left)) \
                        and _counted_in(node, ts.text(left), inner):
                    # round 18: `storageFailures++; if (storageFailures > 60) throw ..;` (reaper's start-up loop)
                    return inner
                right = inner.child_by_field_name("right")
                if left is not None and left.type == "identifier" and right is not None \
                        and right.type in ("identifier", "field_access") and ATTEMPT_NAME.search(ts.text(right)) \
                        and _counted_in(body, ts.text(left), inner):
                    # round 20 (second wave): `try { count++; return send(..); } catch (TimeoutException e) {
                    # if (count >= MAX_TRIES) throw ..; }` (a plain counter under a bound named for tries)
                    return inner
            if inner.type == "binary_expression" and _equality_throw_guard(inner):
                return inner
            if inner.type == "unary_expression" and _policy_refusal(inner):
                return inner
    return None


# Round 21: a retry policy object asked whether another try is allowed (Nessie's `TryLoopState.retry(t)`).
_MAY_RETRY = re.compile(r"(?:retry|shouldRetry|canRetry|mayRetry|allowRetry|retryAllowed|tryAgain|shouldTryAgain)")


def _policy_refusal(node: ts.Node) -> bool:
    """Round 21: ``if (!tls.retry(t1)) { throw new RetryTimeoutException(..); }`` in a catch of an endless loop (Nessie's
    CommitRetry): the loop goes on while a retry policy object allows another try (its bounds are its own)."""
    if ts.text(node).lstrip()[:1] != "!":
        return False
    call = unparenthesized(node.named_children[0]) if node.named_children else None
    if call is None or call.type != "method_invocation" or call.child_by_field_name("object") is None \
            or not _MAY_RETRY.fullmatch(ts.text(call.child_by_field_name("name"))):
        return False
    guard = node.parent
    while guard is not None and guard.type in ("parenthesized_expression", "condition"):
        guard = guard.parent
    if guard is None or guard.type != "if_statement":
        return False
    consequence = guard.child_by_field_name("consequence")
    return consequence is not None and any(n.type in ("throw_statement", "return_statement") for n in ts.walk(consequence))


# A count of failures so far (`storageFailures`, `failureCount`, `errorCount`): the bound in a catch is a retry's
_FAILURE_COUNT = re.compile(r"(?:^|[a-z])(?:fail(?:ure|ed)?s?|Fail(?:ure|ed)?s?)(?:Count|Cnt|Num|Times)?$|errors?(?:Count|Cnt)$",
                            re.IGNORECASE)


def _counted_in(clause: ts.Node, name: str, guard: ts.Node) -> bool:
    """``name++`` (or ``+= 1``) in the catch clause before the guard, and the guard's if throws."""
    raised = any(n.type == "update_expression" and ts.text(n).replace(" ", "") in (name + "++", "++" + name)
                 and n.start_byte < guard.start_byte for n in ts.walk(clause))
    holder = guard.parent
    while holder is not None and holder.type == "parenthesized_expression":
        holder = holder.parent
    consequence = holder.child_by_field_name("consequence") if holder is not None and holder.type == "if_statement" \
        else None
    return raised and consequence is not None and any(n.type == "throw_statement" for n in ts.walk(consequence))


def _catch_continue_guard(body: ts.Node | None) -> Expr | None:
    """Round 14: in an endless loop, a catch that counts the failure (``retry++``) and then goes on only while the
    count allows, its last ``else`` throwing (``if (delay < max && retry <= maxRetries) { sleep } else if (..) {
    sleep } else { throw e; }``): ``retry <= N`` -> N + 1 tries, ``retry < N`` -> N."""
    for clause in (n for n in ts.walk(body) if n.type == "catch_clause") if body is not None else ():
        block = clause.child_by_field_name("body")
        statements = list(block.named_children) if block is not None else []
        counted: set[str] = set()
        for statement in statements:
            if statement.type == "expression_statement" and statement.named_child_count \
                    and statement.named_children[0].type == "update_expression" and "++" in ts.text(statement):
                name = ts.text(statement).replace("+", "").replace(";", "").strip()
                if ATTEMPT_NAME.search(name):
                    counted.add(name)
                continue
            if statement.type != "if_statement" or not counted:
                continue
            last, node = None, statement
            while node is not None and node.type == "if_statement":
                last = node.child_by_field_name("alternative")
                node = last
            if last is None or not any(n.type == "throw_statement" for n in ts.walk(last)):
                return None
            condition = unparenthesized(statement.child_by_field_name("condition"))
            for part in (_conjuncts(condition) if condition is not None else []):
                if part.type != "binary_expression" or ts.text(part.child_by_field_name("operator")) not in ("<", "<="):
                    continue
                left = part.child_by_field_name("left")
                if left is None or ts.text(left) not in counted:
                    continue
                bound = expr_of(part.child_by_field_name("right"))
                if isinstance(bound, Unknown):
                    return None
                return BinOp("+", bound, Num(1)) if ts.text(part.child_by_field_name("operator")) == "<=" else bound
            return None
    return None


def _equality_throw_guard(condition: ts.Node) -> bool:
    """Round 14: ``if (attempts == MAX_ATTEMPTS) throw e;`` (a counter of failed tries compared for equality with
    its bound, the guard's branch throwing): it stops the tries like ``>=``."""
    if ts.text(condition.child_by_field_name("operator")) != "==":
        return False
    left, right = condition.child_by_field_name("left"), condition.child_by_field_name("right")
    if left is None or right is None or left.type != "identifier" or not ATTEMPT_NAME.search(ts.text(left)) \
            or right.type in ("null_literal", "decimal_integer_literal") and ts.text(right) in ("null", "0"):
        return False
    guard = condition.parent
    while guard is not None and guard.type == "parenthesized_expression":
        guard = guard.parent
    consequence = guard.child_by_field_name("consequence") if guard is not None and guard.type == "if_statement" \
        else None
    return consequence is not None and any(n.type == "throw_statement" for n in ts.walk(consequence))


def _until_present(condition: ts.Node) -> bool:
    """Round 14: ``result == null`` / ``null == result``: a loop that runs until an answer is there."""
    if condition.type != "binary_expression" or ts.text(condition.child_by_field_name("operator")) != "==":
        return False
    sides = (condition.child_by_field_name("left"), condition.child_by_field_name("right"))
    return any(n is not None and n.type == "null_literal" for n in sides) \
        and any(n is not None and n.type == "identifier" for n in sides)


def _conjuncts(node: ts.Node) -> list[ts.Node]:
    """The operands of a chain of ``&&`` (parentheses removed)."""
    while node.type == "parenthesized_expression" and node.named_child_count:
        node = node.named_children[0]
    if node.type == "binary_expression" and ts.text(node.child_by_field_name("operator")) == "&&":
        return _conjuncts(node.child_by_field_name("left")) + _conjuncts(node.child_by_field_name("right"))
    return [node]


def loop_attempts(loop: ts.Node) -> Expr | None:
    """Total tries of ``for (int i = 0; i < N; i++)``-shaped loops: N - start (+1 for ``<=``)."""
    if loop.type == "enhanced_for_statement":
        return None  # a failover loop: as many tries as instances
    if _forever(loop):
        counted_down = _countdown_catch_guard(loop)
        if counted_down is not None:
            return counted_down
        guard = _catch_guard(loop.child_by_field_name("body"))
        if guard is None:
            return _catch_continue_guard(loop.child_by_field_name("body"))
        bound = expr_of(guard.child_by_field_name("right"))
        if isinstance(bound, Unknown):
            return None
        # `++attempts >= N` after N failed tries (counter from 0): N tries; `>` allows one more.
        return bound if ts.text(guard.child_by_field_name("operator")) in (">=", "==") else BinOp("+", bound, Num(1))
    condition = unparenthesized(loop.child_by_field_name("condition"))
    if condition is not None and condition.type in ("unary_expression", "identifier", "method_invocation") \
            and loop.type in ("while_statement", "do_statement"):
        counted = _countdown_in_catch(loop)
        if counted is not None:
            return counted
    if condition is not None and (condition.type in ("unary_expression", "identifier", "method_invocation")
                                  and loop.type == "while_statement" or _until_present(condition)
                                  and loop.type in ("while_statement", "do_statement")):
        # `while (!sent(..))` / `while (notSuccessful)` with `if (attempts >= N) throw` on a counter from 0: N tries
        # (round 14: also `do { .. } while (result == null)` and the `if (attempts == N) throw` guard)
        guard = throw_guard(loop)
        if guard is not None:
            bound = expr_of(guard.child_by_field_name("right"))
            if isinstance(bound, Unknown):
                return None
            return bound if ts.text(guard.child_by_field_name("operator")) in (">=", "==") \
                else BinOp("+", bound, Num(1))
    if condition is None or condition.type != "binary_expression":
        return None
    if re.search(r"currentTimeMillis|nanoTime|Instant\.now|deadline|endTime", ts.text(condition)):
        return None  # tries until a time budget runs out: as many as fit
    if ts.text(condition.child_by_field_name("operator")) == "&&":
        # `while (attempt < maxRetryAttempts && running && !connected)`: the conjunct that counts tries
        flagged = flag_counter(loop)
        condition = next((c for c in _conjuncts(condition) if c.type == "binary_expression"
                          and ts.text(c.child_by_field_name("operator")) in ("<", "<=", ">", ">=")
                          and (any(ATTEMPT_NAME.search(n) for n in _identifiers(c))
                               or (flagged is not None and ts.text(c.child_by_field_name("left")) == flagged))), None)
        if condition is None:
            return None
    if counted_failover(loop):
        return None  # as many tries as instances
    op = ts.text(condition.child_by_field_name("operator"))
    left, right = condition.child_by_field_name("left"), condition.child_by_field_name("right")
    if op in ("<", "<=") and left is not None and right is not None and left.type == "update_expression" \
            and ts.text(left).replace(" ", "").endswith("++") and loop.type in ("while_statement", "do_statement"):
        # round 15: `int tryCount = 0; do { .. } while (retry && (tryCount++ < maxRetries));`: the count is compared
        # before it is raised; a do-loop has run once before its first check (maxRetries + 1 tries from 0)
        counter = ts.text(left).replace(" ", "")[:-2]
        start = _declared_before(loop, counter) or Num(0)
        bound = expr_of(right)
        if isinstance(bound, Unknown) or isinstance(start, Unknown):
            return None
        total = BinOp("-", bound, start) if start != Num(0) else bound
        if op == "<=":
            total = BinOp("+", total, Num(1))
        return BinOp("+", total, Num(1)) if loop.type == "do_statement" else total
    if left is not None and right is not None and right.type == "identifier" and left.type != "identifier" \
            and op in FLIPPED_OPS:
        op, left, right = FLIPPED_OPS[op], right, left  # `0 < attemptsLeft`
    if op in (">", ">=") and left is not None and right is not None and left.type == "identifier":
        return _countdown_attempts(loop, ts.text(left), op, right)
    if op == ">" and left is not None and right is not None and left.type == "update_expression" \
            and ts.text(left).replace(" ", "").endswith("--") and loop.type in ("while_statement", "do_statement"):
        # `int tries = config.getNumRetries(); while (tries-- > 0) { try { ..; break; } catch .. }`: tries passes
        counter = ts.text(left).replace(" ", "")[:-2]
        start = _declared_before(loop, counter)
        if start is None and loop.type == "do_statement" and counter in _method_parameters(loop):
            start = Ref(counter)  # round 20: a helper's count of tries handed in (rule c at its calls)
        floor = expr_of(right)
        if start is None or isinstance(start, Unknown) or isinstance(floor, Unknown) or any(
                n.type == "assignment_expression" and ts.text(n.child_by_field_name("left")) == counter
                for n in ts.walk(loop)):
            return None
        total = start if floor == Num(0) else BinOp("-", start, floor)
        # round 20: a do-loop runs once before its first check (`do { .. } while (tryTimes-- > 0 && ..)`: one more)
        return BinOp("+", total, Num(1)) if loop.type == "do_statement" else total
    if op not in ("<", "<=") or left is None or right is None or left.type != "identifier":
        return None
    counter = ts.text(left)
    start: Expr = Num(0)
    init = loop.child_by_field_name("init")
    if init is not None:
        for n in ts.walk(init):
            if n.type == "variable_declarator" and ts.text(n.child_by_field_name("name")) == counter:
                start = expr_of(n.child_by_field_name("value"))
    elif loop.type == "while_statement":
        start = _declared_before(loop, counter) or Num(0)
    bound = expr_of(right)
    if right.type == "identifier":
        initial = _local_value(loop, ts.text(right))  # `int retryTimes = 10; for (... time <= retryTimes ...)`
        if initial is not None:
            bound = initial
    if isinstance(bound, Unknown) or isinstance(start, Unknown):
        return None
    total: Expr = BinOp("-", bound, start) if start != Num(0) else bound
    if op == "<=":
        total = BinOp("+", total, Num(1))
    if body_is_resend(loop):
        total = BinOp("+", total, Num(1))  # re-sends after the first try
    return total


def passes_over_instances(loop: ts.Node) -> Expr | None:
    """Round 18: a counted loop of passes over a service's instances (reaper's ``connectAny``: ``for (int i = 0; i < 2;
    i++) { for (Node node : nodeList) { if (..) { try { return connectImpl(node); } catch (E e) { log } } } } throw
    ..``): each pass tries every instance until one answers; the number of passes (``2``) is the retry's tries.
    Only a ``for`` whose body is one for-each over instances (named so) holding a try that returns and catches
    that do not throw."""
    if loop.type != "for_statement":
        return None
    condition = unparenthesized(loop.child_by_field_name("condition"))
    body = loop.child_by_field_name("body")
    if condition is None or condition.type != "binary_expression" or body is None \
            or ts.text(condition.child_by_field_name("operator")) not in ("<", "<="):
        return None
    statements = [c for c in body.named_children if c.type not in ("line_comment", "block_comment")] \
        if body.type == "block" else [body]
    if len(statements) != 1 or statements[0].type != "enhanced_for_statement":
        return None
    inner = statements[0]
    iterable, variable = inner.child_by_field_name("value"), inner.child_by_field_name("name")
    if iterable is None or variable is None or not (_INSTANCES.search(_collection_name(iterable))
                                                    or _INSTANCES.search(ts.text(variable))):
        return None
    tries = [n for n in _outside_nested_loops(inner.child_by_field_name("body"))
             if n.type in ("try_statement", "try_with_resources_statement")]
    if not any(_returns(t.child_by_field_name("body")) and (clauses := [c for c in t.named_children
                                                                          if c.type == "catch_clause"])
               and not any(_ends_in_throw(c) for c in clauses) for t in tries):
        return None
    total = loop_attempts_counted(loop)
    return total


def loop_attempts_counted(loop: ts.Node) -> Expr | None:
    """``for (int i = START; i < N; i++)``: N - START passes (+1 for ``<=``); None when the bounds are not numbers."""
    condition = unparenthesized(loop.child_by_field_name("condition"))
    left, right = condition.child_by_field_name("left"), condition.child_by_field_name("right")
    if left is None or right is None or left.type != "identifier":
        return None
    start: Expr = Num(0)
    init = loop.child_by_field_name("init")
    for n in (ts.walk(init) if init is not None else ()):
        if n.type == "variable_declarator" and ts.text(n.child_by_field_name("name")) == ts.text(left):
            start = expr_of(n.child_by_field_name("value"))
    bound = expr_of(right)
    if isinstance(bound, Unknown) or isinstance(start, Unknown):
        return None
    total: Expr = BinOp("-", bound, start) if start != Num(0) else bound
    return BinOp("+", total, Num(1)) if ts.text(condition.child_by_field_name("operator")) == "<=" else total


def field_countdown(loop: ts.Node) -> tuple[str, Expr] | None:
    """Round 18: a project retry class's own loop over a count of tries kept in an instance field (CacheCloud's
    ``IdempotentConfirmer``: ``private int retry = 3; protected IdempotentConfirmer(int retry) { this.retry = retry; }
    public IdempotentConfirmer() {} .. public boolean run() { while (retry-- > 0) { try { if (execute()) return true;
    } catch (..) {} } }``): (the field, its initializer), the tries a construction that leaves the count out gets
    (rule a at the loop; the constructor's parameter is published for the constructions that pass one). Only a field
    of the loop's class with a literal or constant initializer, assigned only in constructors, when some constructor
    (or none being declared) leaves it at that initializer."""
    if loop.type != "while_statement" or not _has_try(loop.child_by_field_name("body")):
        return None
    condition = unparenthesized(loop.child_by_field_name("condition"))
    if condition is None or condition.type != "binary_expression" \
            or ts.text(condition.child_by_field_name("operator")) != ">" \
            or ts.text(condition.child_by_field_name("right")).strip() != "0":
        return None
    left = condition.child_by_field_name("left")
    written = ts.text(left).replace(" ", "") if left is not None else ""
    if left is None or left.type != "update_expression" or not written.endswith("--"):
        return None
    counter = written[:-2].removeprefix("this.")
    if not re.fullmatch(r"\w+", counter) or _declared_before(loop, counter) is not None:
        return None
    method = next((a for a in ts.ancestors(loop) if a.type in ("method_declaration", "lambda_expression")), None)
    params = method.child_by_field_name("parameters") if method is not None else None
    if params is not None and counter in _identifiers(params):
        return None
    cls = next((a for a in ts.ancestors(loop) if a.type == "class_body"), None)
    if cls is None:
        return None
    initializer = None
    for member in cls.named_children:
        if member.type == "field_declaration" and "static" not in ts.text(member).split("=")[0].split():
            for d in member.named_children:
                if d.type == "variable_declarator" and ts.text(d.child_by_field_name("name")) == counter:
                    initializer = d.child_by_field_name("value")
    if initializer is None:
        return None
    value = expr_of(initializer)
    if not isinstance(value, Num) and not (isinstance(value, Ref) and re.fullmatch(r"(?:\w+\.)*[A-Z][A-Z0-9_]*",
                                                                                   value.name)):
        return None
    ctors = [m for m in cls.named_children if m.type == "constructor_declaration"]
    leaves = not ctors
    for member in cls.named_children:
        assigns = [n for n in ts.walk(member) if n.type == "assignment_expression"
                   and ts.text(n.child_by_field_name("left")).replace(" ", "").removeprefix("this.") == counter]
        if member.type == "constructor_declaration":
            leaves = leaves or not assigns
        elif assigns:
            return None  # set again elsewhere (a reset per run): not a fixed count
    for node in ts.walk(cls):
        if node.type == "update_expression" and ts.text(node).replace(" ", "").removeprefix("this.").strip(
                "+-") == counter and node != left:
            return None
    return (counter, value) if leaves else None


def body_is_resend(loop: ts.Node) -> bool:
    """A loop of re-sends after a first try made before it (not a loop whose body makes every try itself)."""
    body = loop.child_by_field_name("body")
    return body is not None and not _has_try(body) and resend_loop(loop) and not _until_success(body)


def _local_value(loop: ts.Node, name: str) -> Expr | None:
    """The literal or setting a local declared just before the loop starts with (``int retries =
    serverConfig.getBindRetries();``: a getter of a settings type, a constant), when nothing in the loop changes it."""
    value = _declared_before(loop, name)
    if value is None or not (isinstance(value, Num) or _setting_ref(value)):
        return None
    for n in ts.walk(loop):
        if n.type == "assignment_expression" and ts.text(n.child_by_field_name("left")) == name:
            return None
        if n.type == "update_expression" and ts.text(n).replace(name, "", 1).strip() in ("++", "--"):
            return None
    return value


def _setting_ref(expr: Expr) -> bool:
    """A value named by a setting (``Cls.field`` from a typed getter, a constant, a property key), not a bare local."""
    return isinstance(expr, Ref) and ("." in expr.name or re.fullmatch(r"[A-Z][A-Z0-9_]*", expr.name) is not None)


FLIPPED_OPS = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}


def _countdown_attempts(loop: ts.Node, counter: str, op: str, floor: ts.Node) -> Expr | None:
    """``int attempts = 3; while (attempts > 0) { try { ...; return; } catch (..) { attempts--; } }``:
    a counter of tries left, one less per pass: start - floor tries (+1 for ``>=``). Only when the
    loop lowers that counter by one (``--``, ``-= 1``) and nothing else changes it."""
    start = None
    init = loop.child_by_field_name("init")
    if init is not None:
        for n in ts.walk(init):
            if n.type == "variable_declarator" and ts.text(n.child_by_field_name("name")) == counter:
                start = expr_of(n.child_by_field_name("value"))
    if start is None:
        start = _declared_before(loop, counter)
    if start is None or isinstance(start, Unknown):
        return None
    steps = []
    for n in ts.walk(loop):
        if n.type == "update_expression" and ts.text(n).replace(counter, "", 1).strip() in ("--", "++"):
            steps.append(ts.text(n).replace(counter, "", 1).strip())
        elif n.type == "assignment_expression" and ts.text(n.child_by_field_name("left")) == counter:
            steps.append(ts.text(n.child_by_field_name("operator")) + ts.text(n.child_by_field_name("right")).strip())
    if steps != ["--"] and steps != ["-=1"]:
        return None
    bound = expr_of(floor)
    if isinstance(bound, Unknown):
        return None
    total: Expr = start if bound == Num(0) else BinOp("-", start, bound)
    return BinOp("+", total, Num(1)) if op == ">=" else total


def _countdown_in_catch(loop: ts.Node) -> Expr | None:
    """Round 12: ``int retryCount = maxRetries; do { try { send(); ok = true; } catch (E e) { --retryCount; if
    (retryCount == 0) return false; } } while (!ok);``: a count of tries left, lowered on each failure and given up
    at 0: the start value's tries."""
    body = loop.child_by_field_name("body")
    for node in ts.walk(body):
        if node.type != "if_statement" or not any(a.type == "catch_clause" for a in ts.ancestors(node)):
            continue
        condition = unparenthesized(node.child_by_field_name("condition"))
        if condition is None or condition.type != "binary_expression" \
                or ts.text(condition.child_by_field_name("operator")) not in ("==", "<=") \
                or ts.text(condition.child_by_field_name("right")).strip() != "0" \
                or condition.child_by_field_name("left").type != "identifier":
            continue
        counter = ts.text(condition.child_by_field_name("left"))
        consequence = node.child_by_field_name("consequence")
        if not any(n.type in ("return_statement", "throw_statement", "break_statement") for n in ts.walk(consequence)):
            continue
        lowered = any(n.type == "update_expression" and ts.text(n).replace(" ", "") in ("--" + counter, counter + "--")
                      and n.start_byte < node.start_byte for n in ts.walk(body))
        start = _declared_before(loop, counter) if lowered else None
        if start is not None and not isinstance(start, Unknown):
            return start
    return None


def _declared_before(loop: ts.Node, name: str) -> Expr | None:
    """The initializer of the local ``name`` declared before ``loop`` in its block, or (round 19) in an enclosing block
    of the same method (``int retries = 3; try (Route53Client c = ..) { while (retries-- > 0) { .. } }``)."""
    node, block = loop, loop.parent
    while block is not None:
        for child in block.named_children:
            if child.start_byte >= node.start_byte:
                break
            if child.type == "local_variable_declaration":
                for d in child.named_children:
                    if d.type == "variable_declarator" and ts.text(d.child_by_field_name("name")) == name:
                        return expr_of(d.child_by_field_name("value"))
        if block.type in ("method_declaration", "constructor_declaration", "lambda_expression", "class_body",
                          "program"):
            return None
        node, block = block, block.parent
    return None


def backoff_of(body: ts.Node) -> str:
    """exponential / linear / fixed from the sleeps in a retry loop body; none without a sleep."""
    sleeps = [n for n in ts.walk(body) if n.type == "method_invocation"
              and ts.text(n.child_by_field_name("name")) in ("sleep", "parkNanos")]
    if not sleeps:
        return "none"
    text = ts.text(body)
    if re.search(r"Math\.pow|<<|\*=\s*\d|backoff\s*\*|\*\s*2\b", text):
        return "exponential"
    args = " ".join(ts.text(s.child_by_field_name("arguments")) for s in sleeps)
    if re.search(r"attempt|retr|tries|\bi\b", args, re.IGNORECASE) and "*" in args:
        return "linear"
    if "random" in args.lower():
        return "random"
    return "fixed"


_REMOTE_RECEIVER = re.compile(r"(api|client|service|svc|http|gateway|remote|rpc|stub|proxy|template|rest|feign)$",
                              re.IGNORECASE)


# Calls a catch block repeats without retrying anything: clean-up, lookups, logging helpers.
_NOT_A_REQUEST = re.compile(r"^(get|is|has|log|to|shutdown|close|cancel|stop|interrupt|release|dispose)|"
                            r"^new\w*Builder|ServerBuilder|^forPort$", re.IGNORECASE)
# Receivers that keep the service's own books (metrics, audit): calling them again in a catch records, not retries.
_BOOKKEEPING = re.compile(r"metric|stats|statistic|telemetry|audit|monitor|tracer|meter", re.IGNORECASE)


def _declared_remote(node: ts.Node, receiver: str) -> bool:
    """A receiver declared with a client's type, whatever it is named: ``BlobClient inputBlob = ...``,
    ``S3Client s3`` (a field, a parameter or a local of the file)."""
    if not receiver.isidentifier():
        return False
    root = node
    while root.parent is not None:
        root = root.parent
    for match in re.finditer(r"\b([A-Z]\w*)(?:<[^;(){}]*>)?\s+" + re.escape(receiver) + r"\s*[;=,)]", ts.text(root)):
        if _REMOTE_RECEIVER.search(match.group(1)):
            return True
    return False


def _callees(scope: ts.Node) -> list[tuple[str, ts.Node]]:
    """Remote-looking calls made as statements or for their value (not as another call's argument)."""
    out = []
    for node in ts.walk(scope):
        if node.type == "method_invocation" and node.child_by_field_name("object") is not None:
            receiver = ts.text(node.child_by_field_name("object"))
            name = ts.text(node.child_by_field_name("name"))
            if _NOT_A_REQUEST.search(name) or _BOOKKEEPING.search(receiver.rsplit(".", 1)[-1]) or not (
                    _REMOTE_RECEIVER.search(receiver.rsplit(".", 1)[-1]) or _declared_remote(node, receiver)):
                continue
            if node.parent is not None and node.parent.type == "argument_list":
                continue
            if _in_log_call(node, scope):
                continue  # round 11: `LOG.log(INFO, "failed: " + MQTTBrokerService.connectionToString(c), e)`: formatting
            out.append((receiver + "." + name, node))
    return out


# A logging call: `LOG.info(..)`, `logger.log(Level.INFO, ..)`, `log.warn(..)`, `LOGGER.atWarn()..`.
_LOG_RECEIVER = re.compile(r"^(log|logger|\w*Logger|\w*_LOG|LOG\w*)$", re.IGNORECASE)
_LOG_LEVELS = frozenset(("log", "info", "warn", "warning", "error", "debug", "trace", "fine", "finer", "finest",
                         "severe", "config"))


def _in_log_call(node: ts.Node, scope: ts.Node) -> bool:
    """Is this call part of a logging call's arguments (at any depth, within ``scope``)?"""
    for ancestor in ts.ancestors(node):
        if ancestor == scope:
            return False
        if ancestor.type != "method_invocation":
            continue
        receiver = ancestor.child_by_field_name("object")
        name = ts.text(ancestor.child_by_field_name("name"))
        if receiver is not None and name in _LOG_LEVELS \
                and _LOG_RECEIVER.match(ts.text(receiver).rsplit(".", 1)[-1]):
            return True
    return False


def catch_repeat(try_node: ts.Node) -> ts.Node | None:
    """The seed's shape: ``try { return risk.score(id); } catch (TimeoutException e) { return
    risk.score(newId); }`` -- a catch block that calls the same remote method again. Returns the
    catch block (the second attempt), or None."""
    if try_node.type not in ("try_statement", "try_with_resources_statement"):
        return None
    body = try_node.child_by_field_name("body")
    if body is None:
        return None
    first = {callee for callee, _ in _callees(body)}
    if not first:
        return None
    for clause in try_node.named_children:
        if clause.type != "catch_clause":
            continue
        block = clause.child_by_field_name("body")
        caught = _caught_name(clause)
        if block is not None and any(_COMPENSATION.match(callee) for callee, _ in _callees(block)):
            continue  # `catch (..) { restoreConfigs(old); remove(service); throw .. }`: undoing the try, not trying again
        if block is not None and any(callee in first and not _records_failure(call, caught)
                                     and not _LOCAL_FILE_STEP.match(callee.rsplit(".", 1)[-1])
                                     and not _saves_new_state(block, call)
                                     for callee, call in _callees(block)):
            return block
    return None


def _saves_new_state(block: ts.Node, call: ts.Node) -> bool:
    """Round 22 (wa-task-management-api): the catch sets a new state on what it hands the call, then makes it
    (``catch (TaskCancelException ex) { task.setState(TERMINATED); taskDatabaseService.saveTask(task); }``): it
    records the failure's outcome, not the same request tried again."""
    args = call.child_by_field_name("arguments")
    names = {ts.text(a) for a in (args.named_children if args is not None else ()) if a.type == "identifier"}
    if not names:
        return False
    return any(n.type == "method_invocation" and n.start_byte < call.start_byte
               and ts.text(n.child_by_field_name("object") or n) in names
               and re.match(r"set(State|Status)\b|set(State|Status)[A-Z]", ts.text(n.child_by_field_name("name")))
               for n in ts.walk(block))


# Round 20 (ab2d): steps on the local file system a catch does again after clearing the way (`catch (..) { if
# (alreadyExists) { deleteExistingDirectory(p); fileService.createDirectory(p); } }`): no call tried again.
_LOCAL_FILE_STEP = re.compile(r"^(create|make|delete|remove)(Directory|Directories|Dir|Dirs|TempFile|TempDirectory)$"
                              r"|^mkdirs?$")


# A catch that undoes what the try did (restores a backup, rolls back) repeats its calls as compensation.
_COMPENSATION = re.compile(r"^(restore|rollback|rollBack|revert|undo|compensate)([A-Z]\w*)?$")


# What a retry helper calls on the task it is handed: `task.run()`, `supplier.get()`, `callable.call()`.
_TASK_METHODS = frozenset(("run", "get", "call", "apply", "execute", "invoke", "perform"))


def _enclosing_method(node: ts.Node) -> ts.Node | None:
    return next((a for a in ts.ancestors(node) if a.type in ("method_declaration", "constructor_declaration")), None)


def _parameter_names(method: ts.Node) -> set[str]:
    """The method's parameters that may be a task handed to it (not an ``Optional<X>``, a future or a container, whose
    ``get()`` reads a value)."""
    params = method.child_by_field_name("parameters")
    return {ts.text(p.child_by_field_name("name")) for p in (params.named_children if params is not None else ())
            if p.type == "formal_parameter" and p.child_by_field_name("name") is not None
            and not _VALUE_HOLDER.match(ts.text(p.child_by_field_name("type")).rsplit(".", 1)[-1])}


# Parameter types whose `get()` reads a value (round 10: `Optional<BaragonService> maybeOldService` in a catch).
_VALUE_HOLDER = re.compile(r"^(Optional\w*|\w*Future|Atomic\w*|\w*(Map|List|Set|Collection|Reference))\b")


def _task_calls(scope: ts.Node, params: set[str]) -> set[str]:
    """``task.run()`` / ``supplier.get()``: the method's task parameters invoked (no arguments) in ``scope``."""
    out = set()
    for node in ts.walk(scope):
        if node.type != "method_invocation" or arguments_of(node):
            continue
        receiver = node.child_by_field_name("object")
        if receiver is not None and receiver.type == "identifier" and ts.text(receiver) in params \
                and ts.text(node.child_by_field_name("name")) in _TASK_METHODS:
            out.add(ts.text(receiver))
    return out


def arguments_of(call: ts.Node) -> list[ts.Node]:
    args = call.child_by_field_name("arguments")
    return [a for a in (args.named_children if args is not None else ()) if a.type not in ("line_comment", "block_comment")]


def task_retry(try_node: ts.Node, _depth: int = 0) -> tuple[ts.Node, int] | None:
    """A retry helper of the task it is handed: ``<P> P runWithRetry(HttpTask<P> task) { try { return task.run(); }
    catch (HttpStatusCodeException ex) { if (..) return task.run(); throw ex; } }`` -> (the catch block, 2 tries). A
    catch that hands the task to another such helper of the class (``return runWithRetry(task);``) makes one try more
    than that helper. None for anything else (a task run once, a catch that only logs)."""
    if try_node.type not in ("try_statement", "try_with_resources_statement") or _depth > 2:
        return None
    method = _enclosing_method(try_node)
    body = try_node.child_by_field_name("body")
    if method is None or body is None:
        return None
    tasks = _task_calls(body, _parameter_names(method))
    if not tasks:
        return None
    for clause in try_node.named_children:
        block = clause.child_by_field_name("body") if clause.type == "catch_clause" else None
        if block is None:
            continue
        if _task_calls(block, tasks):
            return block, 2
        handed = []
        for call in (n for n in ts.walk(block) if n.type == "method_invocation"):
            receiver = call.child_by_field_name("object")
            if (receiver is not None and ts.text(receiver) != "this") or \
                    not any(a.type == "identifier" and ts.text(a) in tasks for a in arguments_of(call)):
                continue
            helper = _sibling_method(method, ts.text(call.child_by_field_name("name")))
            inner = next((n for n in ts.walk(helper) if n.type in ("try_statement", "try_with_resources_statement")),
                         None) if helper is not None else None
            found = task_retry(inner, _depth + 1) if inner is not None else None
            if found is not None:
                handed.append(found[1] + 1)
        if handed:
            return block, max(handed)
    return None


def _sibling_method(method: ts.Node, name: str) -> ts.Node | None:
    """The method of that name declared in the same class body (the first with that name)."""
    body = method.parent
    if body is None or body.type != "class_body" or name == ts.text(method.child_by_field_name("name")):
        return None
    return next((m for m in body.named_children if m.type == "method_declaration"
                 and ts.text(m.child_by_field_name("name")) == name), None)


_FAILURE_WORDS = re.compile(r"error|fail", re.IGNORECASE)


def _caught_name(clause: ts.Node) -> str | None:
    for node in clause.named_children:
        if node.type == "catch_formal_parameter":
            name = node.child_by_field_name("name")
            return ts.text(name) if name is not None else None
    return None


def _records_failure(call: ts.Node, caught: str | None) -> bool:
    """``events.save(buildErrorEvent(order, e.getMessage()))`` / ``repo.updateStatus(id, Status.ERROR)``
    in a catch block: writing the failure down, not sending the request again."""
    args = call.child_by_field_name("arguments")
    if args is None:
        return False
    names = _identifiers(args)
    return (caught is not None and caught in names) or any(_FAILURE_WORDS.search(n) for n in names)


def retry_annotation(method: ts.Node) -> ts.Node | None:
    for ann in method_annotations(method):
        if annotation_name(ann) in RETRY_ANNOTATIONS:
            return ann
    return None


def executor_lambda_call(lam: ts.Node) -> ts.Node | None:
    """The retry executor call a lambda is passed to (``retry.executeSupplier(() -> ...)``)."""
    args = lam.parent
    if args is None or args.type != "argument_list" or args.parent is None:
        return None
    call = args.parent
    if call.type != "method_invocation":
        return None
    name = ts.text(call.child_by_field_name("name"))
    receiver = ts.text(call.child_by_field_name("object"))
    if name in _FAILSAFE_RUNS and receiver.startswith("Failsafe.with(") and "retry" in receiver.lower():
        return call  # Failsafe.with(retryPolicy, timeout).run(() -> ...): the lambda runs once per attempt
    if name not in _EXECUTORS:
        return None
    receiver_and_args = (receiver + " " + ts.text(args)).lower()
    if "retry" in receiver_and_args:
        return call
    return None


# Failsafe's executor methods: `Failsafe.with(retryPolicy).get(() -> ...)` runs its lambda per attempt
_FAILSAFE_RUNS = frozenset({"run", "get", "runAsync", "getAsync", "getStageAsync", "runAsyncExecution",
                            "getAsyncExecution", "compose"})


def retry_line(jf: JavaFile, node: ts.Node) -> tuple[int, ts.Node] | None:
    """The line of the retry that runs ``node`` once per attempt, with the retried scope node."""
    for parent in ts.ancestors(node):
        if parent.type in ("for_statement", "while_statement", "do_statement", "enhanced_for_statement") and is_retry_loop(parent):
            body = parent.child_by_field_name("body")
            if body is not None and jf.within(node, body):
                return parent.start_point[0] + 1, body
        if parent.type == "block" and parent.parent is not None and parent.parent.type == "catch_clause":
            try_node = parent.parent.parent
            if try_node is not None and catch_repeat(try_node) == parent:
                return try_node.start_point[0] + 1, parent
        if parent.type == "lambda_expression":
            call = executor_lambda_call(parent)
            if call is not None:
                return call.start_point[0] + 1, parent
        if parent.type in ("method_declaration",):
            ann = retry_annotation(parent)
            if ann is not None:
                return ann.start_point[0] + 1, parent
            cls = next((a for a in ts.ancestors(parent) if a.type == "class_declaration"), None)
            ann = retry_annotation(cls) if cls is not None else None
            if ann is not None and "public" in ts.text(next((c for c in parent.children if c.type == "modifiers"), None)):
                return ann.start_point[0] + 1, parent  # a class-level @Retry applies to its public methods
            return None
        if parent.type in ("class_body", "constructor_declaration"):
            return None
    return None


def _method_parameters(node: ts.Node) -> set[str]:
    """The parameter names of the method or constructor around ``node``."""
    method = next((a for a in ts.ancestors(node) if a.type in ("method_declaration", "constructor_declaration",
                                                                "lambda_expression")), None)
    params = method.child_by_field_name("parameters") if method is not None else None
    return {ts.text(p.child_by_field_name("name")) for p in (params.named_children if params is not None else ())
            if p.child_by_field_name("name") is not None}
