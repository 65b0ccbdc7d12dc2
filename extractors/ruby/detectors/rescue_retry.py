"""``retry`` inside ``rescue``: a hand-written retry loop, with its bound read from the counter.

What it does: for each ``retry`` keyword inside a ``rescue`` clause, finds the condition
that guards it (``retry if attempts < 3``, ``retry if (tries -= 1) > 0``,
``raise if attempts >= 3`` before an unconditional ``retry``), the counter's starting
value and where it is bumped, and counts the total tries (first try included). A
``sleep`` in the rescue gives the backoff. A ``retry`` with no counter is unbounded
(``max_attempts`` null).
``redo`` in a ``rescue`` inside a block re-runs the block's iteration, the failed call included:
the same reading (round 21). Not reported: a retried region that reads what a person types
(``$stdin.gets``, directly or through a method of the file): a prompt asked again.

Why it matters: the callee sees every attempt; a retried body that builds a fresh
request ID each time defeats the callee's idempotency.

Example: ``attempts += 1; retry if attempts < 3`` -> retry max_attempts 3, mechanism loop.

Not reported: a ``retry`` that only rescues local, non-blocking I/O or child-process conditions
(``IO::WaitReadable``, ``Errno::EAGAIN``, ``Errno::EIO``...): it waits for data, no call is re-made;
one that only rescues local file-system conditions (``Errno::EEXIST`` after racing another process to
create a directory, ``Errno::ENOTEMPTY``...): the disk work is re-run, no other service is called;
one that only rescues errors of local work a library does in this process (``PDF::``, ``Prawn::``, ``INotify::``,
``Encoding::``, ``Zip::``, ``MiniMagick::``, ``Nokogiri::``...: a page re-rendered, a file watch restarted);
one that only rescues errors of the program's own code (``NameError``, ``LoadError``, ``NoMethodError``...:
``rescue NameError; require(path) ? retry : raise`` loads a file and looks the constant up again);
one that only rescues a local port already in use (``Errno::EADDRINUSE``, ``PortInUse``): another
port is tried;
an unbounded ``retry`` that only rescues an absent record or part (``ActiveRecord::RecordNotFound``,
``MissingAttachment``): the work is re-run on another path, no failed call is repeated;
an unbounded ``retry`` of a random value drawn again while its own table already holds it
(``SecureRandom`` then ``raise if X.exists?(..)``, or a uniqueness validation's ``RecordInvalid``);
one that only rescues a row of its own database not there yet (``ActiveRecord::RecordNotFound``, bounded
or not: ``FIND_TRIES`` with a sleep waits for another process to write it): a poll of its own store.
"""

from __future__ import annotations

import re
from typing import Iterable

from contract_discovery.model import Finding, Pending
from contract_discovery.values import BinOp, Num, Ref
from extractors.ruby.context import ruby_detector
from extractors.ruby import syntax
from extractors.ruby.context import RubyFile, query
from extractors import treesitter as ts
from extractors.treesitter import Node, text, walk

ID = "ruby.rescue_retry"
# Rescued conditions of local, non-blocking I/O and child processes: `rescue IO::WaitReadable;
# IO.select([io]); retry` waits for data to arrive, it does not try a call again.
LOCAL_IO = frozenset({"IO::WaitReadable", "IO::WaitWritable", "IO::EAGAINWaitReadable", "IO::EAGAINWaitWritable",
                      "IO::EWOULDBLOCKWaitReadable", "IO::EWOULDBLOCKWaitWritable", "Errno::EAGAIN",
                      "Errno::EWOULDBLOCK", "Errno::EINTR", "Errno::EIO", "Errno::ECHILD", "Errno::ESRCH"})
# Conditions of the local file system (`rescue Errno::EEXIST; retry` after racing another process to
# create a directory): the work is re-run on the disk, no call to another service is made again.
LOCAL_FS = frozenset({"Errno::EEXIST", "Errno::ENOTEMPTY", "Errno::EISDIR", "Errno::ENOTDIR", "Errno::EXDEV"})
# A local port already taken (`rescue PortInUse; port += 1; retry` when starting a proxy or a server on a
# free port): another port is tried, no call to another service is made again.
PORT_TAKEN = re.compile(r"(?:EADDRINUSE|PortInUse|Port(?:Already)?Taken|AddressInUse|AddrInUse)$")
# Errors of local work done by a library in this process (rendering a PDF, watching a file, decoding text or an
# archive, resizing an image): `rescue PDF::Core::Errors::EmptyGraphicStateStack; prepare_retry; retry` re-renders,
# `rescue INotify::QueueOverflowError; sleep 60; retry` restarts a file watch; no other service is called again.
LOCAL_WORK = re.compile(r"^(?:PDF|Prawn|HexaPDF|CombinePDF|INotify|RbInotify|Listen|Encoding|Zip|Zlib|MiniMagick|"
                        r"Magick|Vips|ChunkyPNG|Nokogiri|Psych|CSV)(?:::|$)")
# A local command that failed (round 22, the round-21 canine request: `rescue Cli::CommandFailedError; retry`
# around helm / kubectl uninstall commands): the process is run again here, a command-line retry.
LOCAL_COMMAND = re.compile(r"(?:^|::)(?:Cli|CLI|Shell|Subprocess)::|(?:^|::)(?:Command|Shell|Subprocess)"
                           r"(?:Failed|Failure|ExitError|ExecutionError)(?:Error)?$|^Open3(?:::|$)")
# (not `Redis::CommandError`: a command the Redis server refused)
# Errors of this program's own code (`rescue NameError; require(path) ? retry : raise` loads a file and
# tries the constant again): no other service is called again.
LOCAL_CODE = frozenset({"NameError", "LoadError", "NoMethodError", "ArgumentError", "TypeError", "KeyError",
                        "FrozenError", "ZeroDivisionError"})
COUNTER = re.compile(r"attempt|tries|retr|count", re.IGNORECASE)
# Errors saying a record or part is absent: an unbounded `retry` after one re-runs the work on another
# path (the record was deleted, a part was rebuilt), it does not repeat a failed call.
ABSENT = re.compile(r"(?:NotFound|Missing\w*|NoSuch\w+)$")
# The service's own database has no such row yet: `rescue ActiveRecord::RecordNotFound; sleep 1; retry`
# (bounded or not) waits for another process to write it, a poll of its own store, not a retried call.
OWN_ROW_ABSENT = frozenset({"ActiveRecord::RecordNotFound", "RecordNotFound", "Mongoid::Errors::DocumentNotFound",
                            "Sequel::NoMatchingRow"})
COMPARISONS = ("<", "<=", ">", ">=", "==", "!=")
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


def retry_nodes(f: RubyFile) -> list[tuple[Node, Node]]:
    """(retry keyword, its rescue clause) pairs, for every retry that is really inside a rescue."""
    found = []
    for node in sorted(ts.captures(query("retry"), f.root).get("retry", []), key=lambda n: n.start_byte):
        rescue = syntax.enclosing(node, ("rescue", "method", "singleton_method", "class", "module", "lambda"))
        if rescue is not None and rescue.type == "rescue":
            found.append((node, rescue))
    if b"redo" in f.data:
        # `loop.with_index.reduce([]) do ... begin page = get(list, i) rescue RateLimitedError; sleep 10;
        # redo end`: the block's iteration, the failed call included, run again (round 21, kitsu-server)
        for node in ts.captures(query("redo"), f.root).get("redo", []):
            rescue = syntax.enclosing(node, ("rescue", "method", "singleton_method", "class", "module", "lambda",
                                             "do_block", "block"))
            if rescue is not None and rescue.type == "rescue" and \
                    syntax.enclosing(rescue, ("do_block", "block", "method", "singleton_method")) is not None and \
                    syntax.enclosing(rescue, ("do_block", "block", "method", "singleton_method")).type in ("do_block", "block"):
                found.append((node, rescue))
        found.sort(key=lambda pair: pair[0].start_byte)
    return found


_STDIN = re.compile(r"\$stdin\b|\bSTDIN\b|(?<![\w.])gets\b")


def _console_prompt(f: RubyFile, rescue: Node) -> bool:
    """The retried statements read what a person types (``$stdin.gets``, ``STDIN``, ``gets``), directly
    or through a method of this file they call: ``User.find_or_create_by!(email: prompt_for_email) ...
    rescue => e; puts e; retry`` in a rake task asks again (round 21, hyku), no call is re-made."""
    region = attempt_region(rescue)
    if not region:
        return False
    methods = {text(n.child_by_field_name("name")): n for n in walk(f.root) if n.type == "method"}
    seen: set[str] = set()
    todo = list(region)
    while todo:
        node = todo.pop()
        if node.type != "comment" and any(
                n.type in ("identifier", "constant", "global_variable") and _STDIN.fullmatch(text(n))
                for n in walk(node)):
            return True  # not the word in a comment ("so the retry path gets a chance"; round 22, lievik)
        for inner in walk(node):
            name = text(inner.child_by_field_name("method")) if inner.type == "call" else \
                text(inner) if inner.type == "identifier" else ""
            if name in methods and name not in seen:
                seen.add(name)
                todo.append(methods[name])
    return False


def attempt_region(rescue: Node) -> list[Node]:
    """The statements a retry re-runs: the protected body before the first rescue/else/ensure."""
    parent = rescue.parent
    if parent is None:
        return []
    region = []
    for child in parent.named_children:
        if child.type in ("rescue", "else", "ensure"):
            break
        if child.type in ("parameters", "method_parameters", "block_parameters", "identifier") and child == parent.child_by_field_name("name"):
            continue
        region.append(child)
    return region


@ruby_detector(ID, ("retry",),
          valid=("items.each do |item|\n  begin\n    item.save!\n  rescue => e\n    log(e)\n  end\nend\n",
                 "retry_count = 3  # a variable named retry\n",
                 "begin\n  Pathname(druid.content_dir(true))\nrescue Errno::EEXIST\n  retry\nend\n"),
          invalid=("begin\n  call\nrescue Timeout::Error\n  attempts += 1\n  retry if attempts < 3\nend\n",))
def detect(f: RubyFile) -> Iterable[Finding]:
    for node, rescue in retry_nodes(f):
        statement = node.parent if node.parent is not None and node.parent.type in (
            "if_modifier", "unless_modifier") else node
        exceptions = rescue.child_by_field_name("exceptions")
        retry_on = [syntax.ruby_name(e) for e in exceptions.named_children] if exceptions is not None else None
        if retry_on and all(name in LOCAL_IO or name in LOCAL_FS or name in LOCAL_CODE or PORT_TAKEN.search(name)
                            or LOCAL_WORK.search(name) or LOCAL_COMMAND.search(name) for name in retry_on):
            continue  # waiting for a non-blocking read, a child process or the disk: no call is re-made
        if retry_on and all(name in OWN_ROW_ABSENT for name in retry_on):
            continue  # waiting for a row of its own database to appear: a poll, no call is re-made
        if b"gets" in f.data or b"STDIN" in f.data or b"$stdin" in f.data:
            if _console_prompt(f, rescue):
                continue  # a prompt asked again after a bad answer
        _CONSTANTS.clear()
        _CONSTANTS.update(f.constants)
        attempts, pending, backoff = analyse(node, rescue)
        _CONSTANTS.clear()
        if attempts is None and not pending and retry_on and all(ABSENT.search(name) for name in retry_on):
            continue  # `rescue RecordNotFound; job.action = "destroy"; retry`: another path, no failed call again
        if attempts is None and not pending and _random_redraw(rescue, retry_on):
            continue  # a random token drawn again until one's own table does not hold it yet
        attrs = {"max_attempts": attempts, "backoff": backoff, "retry_on": retry_on,
                 "mechanism": "loop", "library": None}
        confidence = "high" if attempts is not None else "medium"
        yield f.finding("retry", statement, ID, attrs, confidence, pending=pending)


RANDOM_DRAW = re.compile(r"\bSecureRandom\.|\bRandom\.|(?<![\w.])rand\(")


def _random_redraw(rescue: Node, retry_on: list[str] | None) -> bool:
    """``id = SecureRandom.alphanumeric(12); raise if Room.exists?(friendly_id: id) ... rescue
    StandardError; retry`` (or ``update!(token: digest(SecureRandom.hex)) ... rescue
    ActiveRecord::RecordInvalid; retry``, a uniqueness validation): a new random value drawn until
    one's own table does not hold it yet, no failed call made again (round 18, greenlight). A write
    the database itself rejects (``RecordNotUnique``) stays a retry of a write that lost a race."""
    region = " ".join(text(n) for n in attempt_region(rescue))
    if not RANDOM_DRAW.search(region):
        return False
    if retry_on and any("NotUnique" in name or "UniqueViolation" in name for name in retry_on):
        return False
    return ".exists?" in region or bool(retry_on) and all(name == "ActiveRecord::RecordInvalid" for name in retry_on)


# --- counter analysis ------------------------------------------------------------------------

# The constants of the file being read (``WAIT = 2.seconds``, ``BUDGET = 90.seconds``): a step or a
# bound written as one of them settles too.
_CONSTANTS: dict = {}


def _settle(expr) -> float | None:
    number = syntax.settle(expr)
    if number is None and isinstance(expr, Ref) and expr.name in _CONSTANTS:
        number = syntax.settle(_CONSTANTS[expr.name])
    return number


def _guard_owner(node: Node, rescue: Node) -> tuple[Node | None, bool, Node | None]:
    """(condition, retry-when-true, the branch holding the retry when it is an ``if`` block)."""
    body = rescue.child_by_field_name("body")
    child = node
    for parent in syntax.ancestors_of(node):
        if parent.type == "conditional" and child != parent.child_by_field_name("condition"):
            # `waited > BUDGET ? raise : retry`
            return parent.child_by_field_name("condition"), child == parent.child_by_field_name("consequence"), None
        if parent.type in ("if_modifier", "if", "elsif") and child != parent.child_by_field_name("condition"):
            consequence = parent.child_by_field_name("consequence") or parent.child_by_field_name("body")
            in_then = consequence is not None and syntax.is_inside(node, consequence)
            return parent.child_by_field_name("condition"), in_then, child if parent.type != "if_modifier" else None
        if parent.type in ("unless_modifier", "unless") and child != parent.child_by_field_name("condition"):
            consequence = parent.child_by_field_name("consequence") or parent.child_by_field_name("body")
            in_then = consequence is not None and syntax.is_inside(node, consequence)
            return parent.child_by_field_name("condition"), not in_then, child if parent.type != "unless_modifier" else None
        if parent == body or parent == rescue:
            break
        child = parent
    # unconditional retry: look for an earlier `raise ... if <cond>` guard in the rescue body; a guard
    # that tests a try counter wins over an earlier one that does not (`raise_error(e) unless overlimit`
    # then `raise_error(e) unless retries < MAX_RETRIES`; round 22, bosh-openstack-cpi)
    guards = []
    if body is not None:
        for statement in body.named_children:
            if statement.start_byte >= node.start_byte:
                break
            if statement.type in ("if_modifier", "unless_modifier"):
                inner = statement.child_by_field_name("body")
                if _gives_up(inner):
                    guards.append((statement.child_by_field_name("condition"), statement.type == "unless_modifier", None))
            if statement.type in ("if", "unless") and statement.child_by_field_name("alternative") is None:
                consequence = statement.child_by_field_name("consequence")
                if consequence is not None and consequence.named_child_count == 1 and \
                        _gives_up(consequence.named_children[0]):
                    guards.append((statement.child_by_field_name("condition"), statement.type == "unless", None))
    for guard in guards:
        part = _counter_part(guard[0], guard[1])
        parsed = _comparison(part) if part is not None else None
        if parsed is not None and (_counter_name(parsed[0]) or _counter_name(parsed[2])):
            return guard
    if guards:
        return guards[0]
    return None, True, None


def _gives_up(node: Node | None) -> bool:
    """``raise ...`` / ``fail`` / ``return`` / ``abort`` / ``exit``: the rescue stops retrying here."""
    if node is None:
        return False
    if node.type == "call" and node.child_by_field_name("receiver") is None:
        name = text(node.child_by_field_name("method"))
        return name in ("raise", "fail", "abort", "exit", "exit!") or _raising_helper(name, node)
    if node.type == "identifier":
        return text(node) in ("raise", "fail", "abort", "exit", "exit!")
    return node.type in ("return", "break", "next")


def _raising_helper(name: str, node: Node) -> bool:
    """A project method that raises for its caller (round 22, bosh-openstack-cpi's
    ``raise_openstack_error(e) unless retries < MAX_RETRIES``): named ``raise_*`` / ``fail_with*``, or a
    method of the file whose body ends in ``raise`` / ``fail``."""
    if re.match(r"^(?:raise_\w+|fail_with\w*)$", name):
        return True
    root = node
    while root.parent is not None:
        root = root.parent
    for method in walk(root):
        if method.type != "method" or text(method.child_by_field_name("name")) != name:
            continue
        body = method.child_by_field_name("body")
        last = body.named_children[-1] if body is not None and body.named_children else None
        if last is not None and last.type in ("call", "identifier") and \
                text(last.child_by_field_name("method") if last.type == "call" else last) in ("raise", "fail"):
            return True
    return False


def _comparison(cond: Node) -> tuple[Node, str, Node] | None:
    if cond is None:
        return None
    if cond.type == "parenthesized_statements" and cond.named_child_count == 1:
        return _comparison(cond.named_children[0])
    if cond.type == "call" and cond.child_by_field_name("arguments") is None:
        # (tries -= 1).zero? / attempts.positive?
        predicate = {"zero?": "==", "positive?": ">", "negative?": "<"}.get(text(cond.child_by_field_name("method")))
        receiver = cond.child_by_field_name("receiver")
        if predicate is None or receiver is None:
            return None
        return receiver, predicate, _ZERO
    if cond.type != "binary":
        return None
    op = text(cond.child_by_field_name("operator")) if cond.child_by_field_name("operator") else ""
    if op not in COMPARISONS:
        return None
    return cond.child_by_field_name("left"), op, cond.child_by_field_name("right")


def _counter_name(side: Node) -> tuple[str, float] | None:
    """``attempts`` -> ("attempts", 0); ``(attempts += 1)`` -> ("attempts", +1 applied in the condition)."""
    if side.type in ("identifier", "instance_variable"):
        return text(side), 0.0
    if side.type == "call" and text(side.child_by_field_name("method")) == "to_i" and \
            side.child_by_field_name("arguments") is None and side.child_by_field_name("receiver") is not None \
            and side.child_by_field_name("receiver").type in ("identifier", "instance_variable"):
        return text(side.child_by_field_name("receiver")), 0.0  # `@retries.to_i`: nil counts as 0
    if side.type == "parenthesized_statements" and side.named_child_count == 1:
        inner = side.named_children[0]
        if inner.type == "operator_assignment":
            step = _step(inner)
            if step is not None:
                return text(inner.child_by_field_name("left")), step
    return None


def _step(node: Node) -> float | None:
    op = _operator(node)
    value = _settle(syntax.to_expr(node.child_by_field_name("right")))
    if value is None or op not in ("+=", "-="):
        return None
    return value if op == "+=" else -value


def _operator(node: Node) -> str:
    operator = node.child_by_field_name("operator")
    if operator is not None:
        return text(operator)
    for child in node.children:
        if not child.is_named:
            return text(child)
    return ""


def analyse(node: Node, rescue: Node) -> tuple[float | None, tuple[Pending, ...], str]:
    backoff = _backoff(rescue)
    cond, when_true, branch = _guard_owner(node, rescue)
    cond = _counter_part(cond, when_true)
    flag = _unset_flag(cond)
    if flag is not None and when_true:
        # `if retried == false; retried = true; retry; end`: the flag allows one retry.
        return (2 if branch is not None and _sets_true(branch, flag) else None), (), backoff
    parsed = _comparison(cond) if cond is not None else None
    if parsed is None and cond is None:
        # `attempts = 0; begin; next if attempts > 3; call; rescue; attempts += 1; retry; end`: the
        # guard that gives up sits at the top of the re-run body
        counted = _region_guarded(node, rescue)
        if counted is not None:
            return counted, (), backoff
    if parsed is None and cond is not None and not when_true and _flag_give_up(node, rescue):
        return 2, (), backoff
    if parsed is None:
        cleared = _cleared_flag(cond, when_true, node, rescue)
        return (2 if cleared else _flag_guard(cond, when_true, branch)), (), backoff
    left, op, right = parsed
    counter = _counter_name(left)
    limit_node = right
    if counter is None:
        counter = _counter_name(right)
        limit_node = left
        op = _FLIP[op]
        if counter is None:
            return None, (), backoff
    name, inline_step = counter
    limit_expr = syntax.to_expr(limit_node)
    region = attempt_region(rescue)
    body = rescue.child_by_field_name("body")
    start_expr, reset = _initial(name, rescue, region)
    per_attempt = sum(_steps_in(name, region))
    in_rescue = inline_step + sum(_steps_in(name, [s for s in (body.named_children if body else [])
                                                   if s.end_byte <= (cond.start_byte if cond else node.start_byte)
                                                   and not syntax.is_inside(cond, s)]))
    after_check = sum(_steps_in(name, [branch])) if branch is not None else 0.0
    if branch is None and cond is not None:
        # `raise if @retries.to_i >= 3; sleep 0.5; @retries = @retries.to_i + 1; retry`: bumped after
        # the check, before the retry
        after_check += sum(_steps_in(name, [s for s in (body.named_children if body else [])
                                            if s.start_byte >= cond.end_byte and s.end_byte <= node.start_byte]))
    limit = syntax.settle(limit_expr)
    start = syntax.settle(start_expr) if start_expr is not None else 0.0
    folded_limit = limit if limit is not None else _settle(limit_expr)
    folded_start = start if start is not None else (_settle(start_expr) if start_expr is not None else None)
    if limit is not None and start is not None:
        return _simulate(start, reset, per_attempt, in_rescue, op, limit, when_true, after_check), (), backoff
    if folded_limit is not None and folded_start is not None and (per_attempt + in_rescue + after_check) not in (1, -1):
        # `waited += WAIT; waited > BUDGET ? raise : retry` with file constants (a step other than
        # one: no line to fit through sample values): the constants' values
        return _simulate(folded_start, reset, per_attempt, in_rescue, op, folded_limit, when_true, after_check), (), backoff
    # One symbolic side: fit tries as a line through sample values.
    symbolic = limit_expr if limit is None else start_expr
    if symbolic is None or isinstance(symbolic, syntax.Unknown):
        return None, (), backoff
    samples = []
    for value in (10.0, 11.0, 12.0):
        if limit is None:
            samples.append(_simulate(start or 0.0, reset, per_attempt, in_rescue, op, value, when_true, after_check))
        else:
            samples.append(_simulate(value, reset, per_attempt, in_rescue, op, limit, when_true, after_check))
    if any(s is None for s in samples):
        return None, (), backoff
    slope = samples[1] - samples[0]
    if slope not in (1, -1) or samples[2] - samples[1] != slope:
        return None, (), backoff
    offset = samples[0] - 10 * slope
    expr = symbolic if slope == 1 else BinOp("*", symbolic, Num(-1))
    if offset:
        expr = BinOp("+", expr, Num(offset))
    return _own_default(symbolic, limit_node if limit is None else rescue, slope, offset), \
        (Pending("max_attempts", expr, 1.0),), backoff


def _own_default(symbolic, use: Node, slope: float, offset: float) -> int | None:
    """``def with_retries(tries: 3) ... retry if attempt < tries``: the helper's own line is a retry with its
    parameter's default (convention (a)); the pending bound still names the parameter, so the helper publishes it
    for its callers."""
    if not isinstance(symbolic, Ref):
        return None
    default = syntax.parameter_default(symbolic.name, use)
    value = syntax.settle(syntax.to_expr(default)) if default is not None else None
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    count = slope * float(value) + offset
    return int(count) if count >= 1 and float(count).is_integer() else None


def _region_guarded(node: Node, rescue: Node) -> int | None:
    """Tries of an unconditional ``retry`` whose re-run body starts by giving up on a counter
    (``next if attempts > 3`` / ``return nil unless tries.positive?``): the check runs before each try."""
    region = attempt_region(rescue)
    guard = next((s for s in region if s.type in ("if_modifier", "unless_modifier")
                  and _gives_up(s.child_by_field_name("body"))), None)
    parsed = _comparison(guard.child_by_field_name("condition")) if guard is not None else None
    if parsed is None:
        return None
    left, op, right = parsed
    counter, limit_node = _counter_name(left), right
    if counter is None:
        counter, limit_node, op = _counter_name(right), left, _FLIP[op]
    if counter is None or counter[1]:
        return None
    name = counter[0]
    limit = _settle(syntax.to_expr(limit_node))
    start_expr, reset = _initial(name, rescue, region)
    start = _settle(start_expr) if start_expr is not None else 0.0
    if limit is None or start is None or reset is not None:
        return None
    before = sum(_steps_in(name, [s for s in region if s.end_byte <= guard.start_byte]))
    after = sum(_steps_in(name, [s for s in region if s.start_byte >= guard.end_byte]))
    body = rescue.child_by_field_name("body")
    in_rescue = sum(_steps_in(name, [s for s in (body.named_children if body else []) if s.end_byte <= node.start_byte]))
    if not before + after + in_rescue:
        return None
    counter_value, tries = start, 0
    for _ in range(1000):
        counter_value += before
        holds = _holds(counter_value, op, limit)
        if holds == (guard.type == "if_modifier"):
            return tries or None
        tries += 1
        counter_value += after + in_rescue
    return None


def _counter_part(cond: Node | None, when_true: bool) -> Node | None:
    """``retry if retryable?(e) && retries < 5``: the part of a conjunction that counts.

    Retrying when ``A && n < 5`` holds needs ``n < 5`` (giving up when ``A || n >= 5`` holds
    needs only ``n >= 5``), so that part alone bounds the attempts."""
    while cond is not None and cond.type == "parenthesized_statements" and cond.named_child_count == 1:
        cond = cond.named_children[0]
    if cond is None or cond.type != "binary":
        return cond
    op = _operator(cond)
    if (when_true and op in ("&&", "and")) or (not when_true and op in ("||", "or")):
        for side in (cond.child_by_field_name("left"), cond.child_by_field_name("right")):
            part = _counter_part(side, when_true)
            parsed = _comparison(part) if part is not None else None
            if parsed is not None and (_counter_name(parsed[0]) or _counter_name(parsed[2])):
                return part
    return cond


class _Zero:
    """Stands for the literal 0 of ``.zero?``/``.positive?`` (read by ``syntax.to_expr`` as a node)."""

    type = "integer"
    text = b"0"
    named_children: list = []
    children: list = []

    def child_by_field_name(self, name):
        return None


_ZERO = _Zero()


def _unset_flag(cond: Node | None) -> str | None:
    """``!retried``, ``not retried``, ``retried == false`` / ``== nil``, ``retried.nil?``: the
    flag's name when the condition holds while it is not set."""
    while cond is not None and cond.type == "parenthesized_statements" and cond.named_child_count == 1:
        cond = cond.named_children[0]
    if cond is None:
        return None
    if cond.type == "unary" and cond.named_child_count == 1 and text(cond).lstrip().startswith(("!", "not")):
        inner = cond.named_children[0]
        return text(inner) if inner.type in ("identifier", "instance_variable") else None
    if cond.type == "binary" and _operator(cond) == "==":
        left, right = cond.child_by_field_name("left"), cond.child_by_field_name("right")
        if left is not None and right is not None and left.type in ("identifier", "instance_variable") \
                and right.type in ("false", "nil"):
            return text(left)
    if cond.type == "call" and text(cond.child_by_field_name("method")) == "nil?":
        receiver = cond.child_by_field_name("receiver")
        return text(receiver) if receiver is not None and receiver.type in ("identifier", "instance_variable") else None
    return None


def _sets_true(branch: Node, name: str) -> bool:
    return any(node.type == "assignment" and text(node.child_by_field_name("left")) == name
               and node.child_by_field_name("right") is not None
               and node.child_by_field_name("right").type == "true" for node in walk(branch))


def _cleared_flag(cond: Node | None, when_true: bool, node: Node, rescue: Node) -> bool:
    """``raise unless err.code == 401 && retry_connection; retry_connection = false; retry``: a flag
    that allows the retry (alone or in a conjunction), cleared in the rescue before the retry: one retry."""
    if cond is None or not when_true:
        return False
    flags = []
    stack = [cond]
    while stack:
        part = stack.pop()
        while part.type == "parenthesized_statements" and part.named_child_count == 1:
            part = part.named_children[0]
        if part.type in ("identifier", "instance_variable"):
            flags.append(text(part))
        elif part.type == "binary" and _operator(part) in ("&&", "and"):
            stack.extend(c for c in (part.child_by_field_name("left"), part.child_by_field_name("right")) if c is not None)
    body = rescue.child_by_field_name("body")
    if not flags or body is None:
        return False
    for statement in walk(body):
        if statement.type == "assignment" and statement.end_byte <= node.start_byte \
                and text(statement.child_by_field_name("left")) in flags \
                and statement.child_by_field_name("right") is not None \
                and statement.child_by_field_name("right").type in ("false", "nil"):
            return True
    return False


def _flag_give_up(node: Node, rescue: Node) -> bool:
    """``rescue RecordNotUnique; return nil if retried; retried = true; retry``: the rescue gives up
    once the flag it sets before retrying is set (``next``/``raise``/``return ... if retried``), one
    retry (round 19, e-petitions)."""
    body = rescue.child_by_field_name("body")
    statements = [c for c in (body.named_children if body is not None else []) if c.type != "comment"]
    given_up, flags = set(), set()
    for statement in statements:
        if statement.start_byte >= node.start_byte:
            break
        if statement.type == "if_modifier":
            cond = statement.child_by_field_name("condition")
            if cond is not None and cond.type in ("identifier", "instance_variable") \
                    and _gives_up(statement.named_children[0]):
                given_up.add(text(cond))
        elif statement.type == "assignment" and statement.child_by_field_name("right") is not None \
                and statement.child_by_field_name("right").type == "true" and \
                text(statement.child_by_field_name("left")) in given_up:
            flags.add(text(statement.child_by_field_name("left")))
    return bool(flags)


def _flag_guard(cond: Node | None, when_true: bool, branch: Node | None) -> float | None:
    """``if retried then raise else retried = true; retry end``: a boolean flag allows one retry."""
    if cond is None or branch is None or when_true or cond.type not in ("identifier", "instance_variable"):
        return None
    name = text(cond)
    for node in walk(branch):
        if node.type == "assignment" and text(node.child_by_field_name("left")) == name and \
                node.child_by_field_name("right") is not None and node.child_by_field_name("right").type == "true":
            return 2
    return None


def _initial(name: str, rescue: Node, region: list[Node]):
    """(start value expression, reset-per-attempt value or None)."""
    reset = None
    start = None
    for statement in region:
        for node in walk(statement):
            if node.type == "operator_assignment" and text(node.child_by_field_name("left")) == name and _operator(node) == "||=":
                right = node.child_by_field_name("right")
                # `retries ||= @num_retries`: the field (the constructor's default, or the
                # constructions' values through the published constructor parameter)
                start = Ref(text(right)) if right is not None and right.type == "instance_variable" \
                    else syntax.to_expr(right)
                if right is not None and right.type == "identifier" and _field_reader(text(right), right):
                    start = Ref("@" + text(right))  # `attr_reader :num_retries` of the constructor's field
            elif node.type == "assignment" and text(node.child_by_field_name("left")) == name:
                reset = syntax.settle(syntax.to_expr(node.child_by_field_name("right")))
    if start is not None:
        return start, reset
    protected = rescue.parent
    if protected is not None:
        bound = syntax.local_assignment(name, protected)
        if bound is not None:
            return syntax.to_expr(bound), reset
        if _parameter(name, protected):
            # `def with_retries(count) ... rescue; count -= 1; retry if count >= 0`: the caller's count
            return Ref(name), reset
        initial = _or_assigned_before(name, protected)
        if initial is not None:
            return syntax.to_expr(initial), reset
        if name.startswith("@") and _constructor_field(name, protected):
            # `def initialize(tries) @tries = tries end ... retry unless (@tries -= 1).zero?`: the count
            # each construction passes (`SocketErrorResponse.new(3)`, round 20, sixnines; rule a/c)
            return Ref(name), reset
    return None, reset


def _constructor_field(name: str, node: Node) -> bool:
    """``@tries`` filled by the class's ``initialize`` from its parameter and written nowhere else
    but by the countdown itself (``@tries -= 1``)."""
    from extractors.ruby.wrappers import _ivar_sources

    klass = syntax.enclosing(node, ("class",))
    if klass is None or name not in _ivar_sources(klass):
        return False
    writes = [n for n in walk(klass) if n.type == "assignment" and text(n.child_by_field_name("left")) == name]
    return len(writes) == 1


def _or_assigned_before(name: str, protected: Node) -> Node | None:
    """``tries ||= 5`` earlier in the method, before the ``begin`` the retry re-runs."""
    found = None
    for node in walk(syntax.scope_of(protected)):
        if node.start_byte >= protected.start_byte:
            break
        if node.type == "operator_assignment" and _operator(node) == "||=" and \
                text(node.child_by_field_name("left")) == name:
            found = node.child_by_field_name("right")
    return found


def _field_reader(name: str, node: Node) -> bool:
    """``retries ||= num_retries`` where ``num_retries`` is no local nor parameter but the class's
    reader of ``@num_retries``, filled by ``initialize`` from its parameter."""
    from extractors.ruby.wrappers import _ivar_sources

    if syntax.local_assignment(name, node) is not None or _parameter(name, node):
        return False
    klass = syntax.enclosing(node, ("class",))
    return klass is not None and f"@{name}" in _ivar_sources(klass)


def _parameter(name: str, node: Node) -> bool:
    """Whether ``name`` is a parameter of the method around ``node`` (not a block's)."""
    method = syntax.enclosing(node, ("method", "singleton_method"))
    if method is None and node.type in ("method", "singleton_method"):
        method = node
    params = method.child_by_field_name("parameters") if method is not None else None
    for param in params.named_children if params is not None else ():
        own = param if param.type == "identifier" else param.child_by_field_name("name")
        if own is not None and text(own) == name and param.type in (
                "identifier", "optional_parameter", "keyword_parameter"):
            return True
    return False


def _steps_in(name: str, statements: list[Node]) -> list[float]:
    steps = []
    for statement in statements:
        for node in walk(statement):
            if node.type == "operator_assignment" and text(node.child_by_field_name("left")) == name:
                step = _step(node)
                if step is not None:
                    steps.append(step)
            elif node.type == "assignment" and text(node.child_by_field_name("left")) == name:
                # `@retries = @retries.to_i + 1` / `tries = tries + 1`
                right = node.child_by_field_name("right")
                if right is not None and right.type == "binary" and _operator(right) in ("+", "-"):
                    left = right.child_by_field_name("left")
                    counted = _counter_name(left) if left is not None else None
                    value = syntax.settle(syntax.to_expr(right.child_by_field_name("right")))
                    if counted is not None and counted[0] == name and value is not None:
                        steps.append(value if _operator(right) == "+" else -value)
    return steps


def _holds(counter: float, op: str, limit: float) -> bool:
    return {"<": counter < limit, "<=": counter <= limit, ">": counter > limit, ">=": counter >= limit,
            "==": counter == limit, "!=": counter != limit}[op]


def _simulate(start, reset, per_attempt, in_rescue, op, limit, when_true, after_check=0.0, cap=1000):
    counter = start
    for attempt in range(1, cap + 1):
        if reset is not None:
            counter = reset
        counter += per_attempt
        counter += in_rescue
        holds = _holds(counter, op, limit)
        if holds != when_true:
            return attempt
        counter += after_check
    return None


def _backoff(rescue: Node) -> str:
    body = rescue.child_by_field_name("body")
    if body is None:
        return "none"
    for node in walk(body):
        if node.type == "call" and text(node.child_by_field_name("method")) == "sleep" and node.child_by_field_name("receiver") is None:
            site = syntax.call_site(node)
            if not site.args:
                return "fixed"
            arg = site.args[0].text
            if "**" in arg or "exponential" in arg:
                return "exponential"
            if "rand" in arg:
                return "random"
            names = [text(n) for n in walk(site.args[0].node) if n.type in ("identifier", "instance_variable")]
            if "*" in arg and any(COUNTER.search(n) for n in names):
                return "linear"
            return "fixed"
    return "none"
