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

Example: ``for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) { try { ... } catch ... }``
-> retry max_attempts=MAX_ATTEMPTS (pending), mechanism loop.
"""

from __future__ import annotations

from contract_discovery.model import Pending
from extractors import treesitter as ts
from extractors.base import detector
from extractors.java.jvm import documented
from extractors.java.detectors.outbound import target_within
from extractors.java.jvm import settle_count
from extractors.java.retry_scope import backoff_of, catch_repeat, is_retry_loop, loop_attempts
from extractors.java.syntax import JavaFile

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
