"""Driver options: timeouts and retry limits that only one database, queue or cloud library spells.

What it does: reads the settings of libraries that the generic client-options reading does not
know by their words (found by the library survey in docs/libraries/javascript.md):

- MongoDB / Mongoose: a cursor's or an operation's ``maxTimeMS`` (``find(q).maxTimeMS(2000)``,
  ``{ maxTimeMS: 2000 }`` in an operation's or a client's options: the server aborts the
  operation) and the pool wait ``waitQueueTimeoutMS`` (connect phase);
- mysql / mysql2: ``query({ sql, timeout })`` (the query's bound);
- knex: a query's ``.timeout(ms)`` / ``.timeout(ms, { cancel: true })`` on a query builder chain;
- undici: ``request(url, { headersTimeout, bodyTimeout })`` (and ``stream``/``pipeline``/``fetch``
  of undici: read phase) and an Agent's ``connect: { timeout }`` (connect phase);
- AWS SDK v2 clients: ``new AWS.S3({ maxRetries: 3 })`` (retries after the first try);
- Google Cloud clients (``new Storage({ retryOptions: { maxRetries: 4 } })`` from ``@google-cloud/*``:
  retries after the first try; ``autoRetry: false`` is one try);
- Azure SDK: ``retryOptions: { maxTries, tryTimeoutInMs }`` (every try counted; each try's bound);
- cassandra-driver: ``socketOptions: { readTimeout }`` (read phase);
- Typesense: ``connectionTimeoutSeconds`` (seconds) and ``numRetries`` (retries after the first try)
  beside ``nodes``;
- NATS (a file importing ``nats``): ``connect({ servers, timeout })`` (connect phase) and
  ``nc.request(subject, data, { timeout })`` (the reply's deadline);
- Bull / BullMQ / Bee-Queue (a file importing one of them): ``anyQueue.add(name, data, { attempts })``
  whatever the queue variable is named (every run counted);
- Sequelize: ``new Sequelize(url, { retry: { max: 3 } })`` (retry-as-promised: 3 tries);
- kafkajs ``producer.send({ topic, messages, timeout })`` (the request's bound) and Prisma's
  interactive transaction options through a project wrapper (``transaction(async (tx) => ..., {
  timeout: 30000 })``);
- p-timeout: ``pTimeout(promise, { milliseconds })`` (ofetch has its own detector); the AWS SDK v3 retry
  strategies ``new ConfiguredRetryStrategy(4, delay)`` (every try); socket.io-client's
  ``io(url, { timeout })`` (connect phase);
- node's ``new dns.Resolver({ timeout, tries })`` (tries: every try), whoiser's ``whoisDomain(d, {
  timeout })``, Puppeteer/Playwright ``page.setDefaultNavigationTimeout(ms)``;
- Effect (``effect``, ``@effect/*``): ``Effect.retry({ times })``, ``HttpClient.retry({ schedule,
  times })``, ``Activity.retry({ times })`` (retries after the first try), ``Effect.retry(
  Schedule.recurs(n))``, ``Effect.timeout("1 hour")`` / ``Effect.timeout(Duration.seconds(5))``;
- GameDig's ``attemptTimeout`` (a file importing ``gamedig``) and the ``ping`` package's
  ``ping.promise.probe(host, { timeout })`` (seconds);
- (round 8) rxjs ``timeout(ms)`` / ``retry(n)`` / ``retryWhen(... take(n))``, Algolia request
  options (``index.saveObjects(objs, { timeout })``), NestJS Terminus probes (``pingCheck(key, {
  timeout })``), pixl-request (``setTimeout``/``setIdleTimeout``/``setConnectTimeout`` and a client
  kept on the instance, ``self.request.json(url, data, { timeout }, cb)``), Segment's
  ``closeAndFlush({ timeout })``, graphile-worker ``addJob(..., { maxAttempts })``, pg-boss
  ``retryLimit`` and a queue's ``add(data, { retries })``.

Never: a key in a string or a comment, an object written out (``JSON.stringify``), ``null`` /
``undefined`` (the library's default applies, nothing is set here), a wrapper handing its own
parameter on (``find(query, { maxTimeMS }) { cursor.maxTimeMS(maxTimeMS) }``: set by its callers), a ``.timeout()`` of something
that is not a query builder, ``set.add(x)``.

Each finding sits on the line of the key (or of the call) that sets the value.

Why it matters: these bound or multiply the calls to a database, a queue or a cloud API as an
HTTP client's timeout does, in words only that library uses.

Example::

    await users.find({ active: true }).maxTimeMS(2000).toArray();   // timeout 2000 ms
    await db("users").select("*").timeout(1000, { cancel: true });   // timeout 1000 ms
"""

from __future__ import annotations

import re

from extractors import treesitter as ts
from extractors.javascript.detectors.client_options import _forwarded, package_timeouts
from extractors.javascript.context import (FUNCTION_TYPES, FileContext, dotted, js_detector, key_name, object_props,
                                           string_value, unwrap)

ID = "javascript.driver_options"

_WORDS = (b"maxTimeMS", b"waitQueueTimeoutMS", b"timeout", b"sql", b".timeout(", b"headersTimeout", b"bodyTimeout",
          b"retryOptions", b"readTimeout", b"connectionTimeoutSeconds", b"numRetries", b"nats", b"attempts",
          b"Sequelize", b"connect", b"attemptTimeout", b"probe", b"ofetch", b"maxRetries", b"p-timeout", b"RetryStrategy", b"socket.io", b"tries", b"setDefault", b"effect", b"rxjs", b"algolia", b"pingCheck",
          b"checkService", b"closeAndFlush", b"maxAttempts", b"retryLimit", b"retries", b"setIdleTimeout",
          b"setConnectTimeout", b"httpRequestTimeout", b"requestsTimeout", b"queryTimeout",
          b"rejoinAttempts", b"WithTimeout")
_KNEX_METHODS = {"select", "from", "where", "whereIn", "whereNot", "andWhere", "orWhere", "insert", "update", "del",
                 "delete", "first", "raw", "join", "leftJoin", "innerJoin", "orderBy", "returning", "pluck", "count",
                 "table", "into", "limit", "offset", "groupBy", "increment", "decrement", "onConflict", "merge",
                 "ignore", "whereRaw", "havingRaw", "distinct", "sum", "max", "min", "forUpdate", "upsert"}
_UNDICI_CALLS = {"request", "stream", "pipeline", "fetch"}
_SOCKET_IO_ADAPTERS = ("@socket.io/redis-adapter.", "@socket.io/redis-streams-adapter.", "@socket.io/postgres-adapter.",
                       "@socket.io/mongo-adapter.", "@socket.io/cluster-adapter.", "socket.io-redis.")
_QUEUE_MODULES = ("bull", "bullmq", "bee-queue", "@nestjs/bull", "@nestjs/bullmq")


@js_detector(ID, ["timeout", "retry"],
             valid=['const options = { maxTimeMs: 500 }; // not the driver\'s spelling',
                    'const seen = new Set(); seen.add(id);',
                    'cy.get("#x").timeout(1000);',
                    'const text = "maxTimeMS: 2000";'],
             invalid=['await users.find({ active: true }).maxTimeMS(2000).toArray();',
                      'await db("users").select("*").timeout(1000, { cancel: true });'])
def detect(ctx: FileContext) -> None:
    if not any(word in ctx.data for word in _WORDS):
        return
    taken = {(f.line, f.kind) for f in ctx.findings}
    for match in ctx.query_matches("driver_options"):
        try:
            _pair(ctx, match["pair"][0], taken)
        except Exception:  # one odd object must not cost the file's other findings
            continue
    for call in ctx.calls:
        try:
            _call(ctx, call, taken)
        except Exception:
            continue
    package_timeouts(ctx)  # a package's own `{ timeout }` no library reading above knew
    if b"statement_timeout" in ctx.data:
        try:
            _set_statement_timeouts(ctx, taken)
        except Exception:
            pass


_SET_STATEMENT_TIMEOUT = re.compile(r"^\s*SET\s+(?:LOCAL\s+|SESSION\s+)?statement_timeout\s*(?:=|TO)\s*(.*?)\s*;?\s*$",
                                    re.I | re.S)
_PG_UNITS = {"ms": 1.0, "s": 1000.0, "min": 60000.0, "h": 3600000.0, "d": 86400000.0}


def _set_statement_timeouts(ctx: FileContext, taken) -> None:
    """Postgres' `SET statement_timeout = 5000` sent as a query (`client.query(...)`, a `sql` tagged
    template, knex `raw`) (round 9): every later statement of that session is bounded, in ms unless
    the quoted value names a unit (`'5s'`, `'1min'`); a `${ms}` substitution is that expression.
    Reported on the call that sends it. Not `lock_timeout` (a wait for a lock)."""
    for info in ctx.calls:
        call = info.node
        args = call.child_by_field_name("arguments")
        node = args if args is not None and args.type == "template_string" else unwrap(info.arg(0))
        fn = call.child_by_field_name("function")
        if (node is None or node.type not in ("string", "template_string")) and fn is not None and \
                fn.type == "member_expression":
            # kysely's sql`SET LOCAL statement_timeout = '5s'`.execute(db): the tagged template sent
            tagged = fn.child_by_field_name("object")
            inner = tagged.child_by_field_name("arguments") if tagged is not None and \
                tagged.type == "call_expression" else None
            node = inner if inner is not None and inner.type == "template_string" else node
        if node is None or node.type not in ("string", "template_string"):
            continue
        m = _SET_STATEMENT_TIMEOUT.match(ts.text(node)[1:-1])
        if m is None:
            continue
        value = m.group(1).strip().strip("'\"")
        subs = [c for c in node.named_children if c.type == "template_substitution"]
        if subs and value == ts.text(subs[0]) and subs[0].named_children:
            _timeout(ctx, call, subs[0].named_children[0], "total", taken)
            continue
        unit = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(ms|s|min|h|d)?", value)
        if unit is None:
            continue
        ms = float(unit.group(1)) * _PG_UNITS[unit.group(2) or "ms"]
        attrs = {"timeout_ms": ms, "phase": "total", "resolved_from": "literal", "expression": value, "scope": "client"}
        _emit(ctx, "timeout", call, attrs, "high", (), taken)


def _emit(ctx: FileContext, kind: str, node: ts.Node, attrs: dict, confidence: str, pending, taken,
          target=None) -> None:
    line = node.start_point[0] + 1
    if (line, kind) in taken:
        return
    taken.add((line, kind))
    ctx.finding(kind, node, ID, attrs, confidence, target, pending)


def _timeout(ctx: FileContext, node: ts.Node, value: ts.Node | None, phase: str, taken, scale: float = 1.0,
             target=None, extra=()) -> None:
    value = unwrap(value)
    if value is None or value.type in ("null", "undefined"):
        return  # nothing set: the library's default applies
    attrs, confidence, pending = ctx.timeout_value(value, scale)
    attrs["phase"] = phase
    attrs["scope"] = "call" if target is not None or extra else "client"
    _emit(ctx, "timeout", node, attrs, confidence, (*pending, *extra), taken, target)


def _retry(ctx: FileContext, node: ts.Node, value: ts.Node | None, offset: float, library: str, taken) -> None:
    value = unwrap(value)
    if value is None or value.type in ("null", "undefined"):
        return
    attempts, confidence, pending = ctx.count_value(value, offset)
    attrs = {"max_attempts": attempts, "backoff": None, "retry_on": None, "mechanism": "client_config",
             "library": library}
    _emit(ctx, "retry", node, attrs, confidence if attempts is not None or not pending else "medium", pending, taken)


_RABBIT_FACTORIES_JS2 = frozenset(("createPublisher", "createRPCClient"))


def _rabbitmq_client_js2(ctx: FileContext, call, taken) -> None:
    """`rabbit.createPublisher({ confirm: true, maxAttempts: 3 })`, `rabbit.createRPCClient({ timeout,
    maxAttempts: 3 })` (round 16, runtipi) of the `rabbitmq-client` package: `maxAttempts` counts every
    publish / request try (the library's default is 1), `timeout` bounds an RPC's wait for its reply
    (ms); each on its key's line, as a client's options are. A `timeout` that is only a parameter of the
    function around (a forwarder) is left to the calls handing it a value."""
    options = object_props(call.arg(0)) or {}
    if "maxAttempts" in options:
        _retry(ctx, _pair_of(options["maxAttempts"]) or call.node, options["maxAttempts"], 0.0, "rabbitmq-client", taken)
    value = unwrap(options.get("timeout"))
    if value is not None and call.name == "createRPCClient":
        attrs, _confidence, pending = ctx.timeout_value(value)
        if attrs.get("timeout_ms") is not None or value.type not in ("identifier", "shorthand_property_identifier"):
            _timeout(ctx, _pair_of(options["timeout"]) or call.node, options["timeout"], "total", taken)


def _socket_io_reconnection_js2(ctx: FileContext, call, options: dict, taken) -> None:
    """`io(url, { reconnection: false })` (round 16, dockge): socket.io-client reconnects without end by
    default; `reconnection: false` makes the connection's first try its only one (1 attempt),
    `reconnectionAttempts: n` gives up after n tries more (n + 1). On the call, as its `timeout` is
    (a constructor's option on its own line)."""
    value = options.get("reconnection")
    node = lambda v: (_pair_of(v) or call.node) if call.is_new else call.node  # noqa: E731
    if value is not None and unwrap(value) is not None and ts.text(unwrap(value)) == "false":
        attrs = {"max_attempts": 1, "backoff": None, "retry_on": None, "mechanism": "client_config",
                 "library": "socket.io-client"}
        _emit(ctx, "retry", node(value), attrs, "high", (), taken)
        return
    attempts = options.get("reconnectionAttempts")
    if attempts is not None and (value is None or ts.text(unwrap(value)) == "true"):
        _retry(ctx, node(attempts), attempts, 1.0, "socket.io-client", taken)


_TIMEOUT_HELPER_JS1 = re.compile(r"^(?:fetch|get|post|put|patch|delete|request|call|query|send)WithTimeout$")
_TIMEOUT_ARG_JS1 = re.compile(r"(?i)time_?out|deadline|(?<![a-z])ms$|(?-i:[a-z]Ms)$|millis")


def _named_timeout_helper_js1(ctx: FileContext, call, taken) -> bool:
    """(round 17, js1) a request function of a package named for its bound, `fetchWithTimeout(url, params,
    headers, this.apiResponseTimeout)` / `postWithTimeout(url, body, {}, headers, 5000)` (the Across SDK's,
    imported directly or through a project file that re-exports it): its last argument, a number or a name
    saying it is a timeout, is the request's timeout (ms), on the call. A function the project defines is
    wrapper_call's (its body says which parameter is the timeout)."""
    name = call.callee.rsplit(".", 1)[-1]
    if call.is_new or not _TIMEOUT_HELPER_JS1.match(name) or len(call.args) < 2:
        return False
    head = call.callee.split(".", 1)[0]
    if head in ctx.functions or (head not in ctx.imports and "." not in call.callee):
        return False
    last = unwrap(call.args[-1])
    if last is None or last.type == "object":
        return False
    written = ts.text(last)
    if last.type != "number" and not _TIMEOUT_ARG_JS1.search(written.rsplit(".", 1)[-1]):
        return False
    if any(f.kind == "timeout" and f.line == call.node.start_point[0] + 1 for f in ctx.findings):
        return True
    _timeout(ctx, call.node, last, "total", taken)
    return True


_PARKING_CALLS_JS1 = frozenset(("set", "get", "has", "delete", "push", "resolve", "reject"))


def _parked_promise_js1(node: ts.Node | None) -> bool:
    """(round 17, js1) `pTimeout(new Promise((resolve, reject) => { ...; this.pending.set(key, { resolve, reject })
    }), { milliseconds: ttl })` (jsDelivr's cross-process promise lock): a promise whose executor only parks its
    resolve/reject for a message from a sibling process to settle sends nothing: no call is bounded (a wait for
    the service's own workers, as polls of its own database are not labelled)."""
    inner = unwrap(node)
    if inner is None or inner.type != "new_expression" or \
            ts.text(inner.child_by_field_name("constructor")) != "Promise":
        return False
    args = inner.child_by_field_name("arguments")
    executor = next((unwrap(a) for a in (args.named_children if args is not None else []) if a.type != "comment"), None)
    if executor is None or executor.type not in FUNCTION_TYPES:
        return False
    calls = [n for n in ts.walk(executor) if n.type in ("call_expression", "await_expression")]
    if any(c.type == "await_expression" for c in calls) or not any(
            "set" == dotted(c.child_by_field_name("function")).rsplit(".", 1)[-1] for c in calls):
        return False
    return all(dotted(c.child_by_field_name("function")).rsplit(".", 1)[-1] in _PARKING_CALLS_JS1 for c in calls)


_REJOIN_GUARD_JS1 = re.compile(r"\.rejoinAttempts\s*(<=?)\s*(\d+)\s*$")


def _discord_voice_js1(ctx: FileContext, call, taken) -> bool:
    """(round 17, js1) @discordjs/voice, the voice layer of Discord bots: the library's reconnect recipe `if
    (connection.rejoinAttempts < 5) { await wait(...); connection.rejoin() }` rejoins at most 5 times after the
    first join (6 attempts, on the if line). (Its `entersState(connection, status, ms)` wait is js2's
    _client_shapes_r17_js2.)"""
    if call.name != "rejoin" or not call.receiver or not _imports_any(ctx, "@discordjs/voice"):
        return False
    for parent in ts.ancestors(call.node):
        if parent.type in FUNCTION_TYPES:
            break
        condition = parent.child_by_field_name("condition") if parent.type == "if_statement" else None
        text = ts.text(unwrap(condition)) if condition is not None else ""
        guard = _REJOIN_GUARD_JS1.search(text)
        if guard is None:
            continue
        attempts = int(guard.group(2)) + (2 if guard.group(1) == "<=" else 1)
        attrs = {"max_attempts": attempts, "backoff": None, "retry_on": None, "mechanism": "loop",
                 "library": "@discordjs/voice"}
        _emit(ctx, "retry", parent, attrs, "high", (), taken)
        return True
    return False


def _imports_any(ctx: FileContext, *modules: str) -> bool:
    return any(target == m or target.startswith(m + ".") or target.startswith(m + "/")
               for target in ctx.imports.values() for m in modules)


def _serialised(obj: ts.Node) -> bool:
    """`JSON.stringify({ maxTimeMS })`, `logger.info({ ... })`: options written out, not set."""
    for parent in ts.ancestors(obj):
        if parent.type == "call_expression":
            callee = dotted(parent.child_by_field_name("function"))
            return bool(re.search(r"(^|\.)(stringify|log|info|debug|warn|error|trace)$", callee))
        if parent.type in ("statement_block", "program"):
            return False
    return False


def _holder_key(obj: ts.Node) -> str | None:
    """`retryOptions: { ... }`: the key the object is the value of."""
    holder = obj.parent
    if holder is not None and holder.type == "pair":
        return key_name(holder.child_by_field_name("key"))
    return None


def _constructor_of(obj: ts.Node) -> str | None:
    """The `new X(...)` or `X.fromY(...)` call an options object (maybe nested) is handed to."""
    node = obj
    for _ in range(4):
        parent = node.parent
        if parent is None:
            return None
        if parent.type == "pair":
            node = parent.parent
            continue
        if parent.type == "arguments":
            call = parent.parent
            if call is not None and call.type == "new_expression":
                return dotted(call.child_by_field_name("constructor"))
            if call is not None and call.type == "call_expression":
                return dotted(call.child_by_field_name("function"))
        return None
    return None


def _pair(ctx: FileContext, pair: ts.Node, taken) -> None:
    key = key_name(pair.child_by_field_name("key"))
    value = pair.child_by_field_name("value")
    obj = pair.parent
    if key is None or value is None or obj is None or obj.type != "object" or _serialised(obj):
        return
    siblings = object_props(obj) or {}
    if key == "maxTimeMS" and (_imports_any(ctx, "mongodb", "mongoose") or _mongo_operation_options(obj)) \
            and not _forwarded(value):
        _timeout(ctx, pair, value, "total", taken)
    elif key == "waitQueueTimeoutMS" and _imports_any(ctx, "mongodb", "mongoose"):
        _timeout(ctx, pair, value, "connect", taken)
    elif key == "timeout" and "sql" in siblings and _imports_any(ctx, "mysql", "mysql2"):
        _timeout(ctx, pair, value, "total", taken)
    elif key in ("headersTimeout", "bodyTimeout") and _undici_request_options(ctx, obj):
        # per request: the call's URL is where the bound applies
        call = obj.parent.parent
        args = [a for a in obj.parent.named_children if a.type != "comment"]
        target, url_pending, _ = ctx.url_target(args[0]) if args and args[0] is not obj else (None, (), None)
        # (round 18, js2) at the called name's line, as every multi-line call's options are labelled
        site = call.child_by_field_name("function") if call is not None and call.type == "call_expression" else None
        if key == "bodyTimeout" and "headersTimeout" in siblings:
            site = None  # (round 18, lead) both given: the headers' wait holds the call's line, the body's its own key's
        _timeout(ctx, site if site is not None else pair, value, "read", taken, target=target, extra=url_pending)
    elif key == "timeout" and _holder_key(obj) == "connect" and _undici_constructor(ctx, obj.parent.parent):
        _timeout(ctx, pair, value, "connect", taken)
    elif key == "retryOptions":
        _retry_options(ctx, pair, unwrap(value), obj, taken)
    elif key == "readTimeout" and _holder_key(obj) == "socketOptions":
        _timeout(ctx, pair, value, "read", taken)
    elif key == "connectionTimeoutSeconds" and "nodes" in siblings:
        _timeout(ctx, pair, value, "total", taken, scale=1000.0)
    elif key == "numRetries" and "nodes" in siblings:
        _retry(ctx, pair, value, 1.0, "typesense", taken)
    elif key == "timeout" and {"topic", "messages"} <= siblings.keys() and _method_argument(obj, ("send", "sendBatch")):
        _timeout(ctx, pair, value, "total", taken)  # kafkajs `producer.send({ topic, messages, timeout })`
    elif key == "timeout" and siblings.keys() & {"topics", "topicPartitions"} and \
            _method_argument(obj, _KAFKA_ADMIN_CALLS):
        # kafkajs admin requests (`admin.createTopics({ topics, timeout })`, the admin client often
        # made in another file): the broker request's bound, on the call (as per-call options are labelled)
        _timeout(ctx, obj.parent.parent, value, "total", taken)
    elif key == "timeout" and _transaction_options(obj):
        _timeout(ctx, pair, value, "total", taken)
    elif key == "timeout" and _imports_any(ctx, "nats"):
        _nats_timeout(ctx, pair, value, obj, taken)
    elif key == "attempts" and _imports_any(ctx, *_QUEUE_MODULES):
        _queue_add(ctx, pair, value, obj, taken)
    elif key == "maxRetries" and ctx.qualify(_constructor_of(obj) or "").startswith("aws-sdk."):
        _retry(ctx, pair, value, 1.0, "aws-sdk", taken)  # AWS SDK v2 clients: retries after the first try
    elif key == "tries" and (_constructor_of(obj) or "").rsplit(".", 1)[-1] == "Resolver" and \
            ctx.qualify(_constructor_of(obj) or "").split(".", 1)[0] in ("dns", "node:dns", "dns/promises",
                                                                          "node:dns/promises"):
        _retry(ctx, pair, value, 0.0, "dns", taken)  # node's dns.Resolver: tries per name server
    elif key == "timeout" and ctx.qualify(_constructor_of(obj) or "").startswith("whoiser"):
        _timeout(ctx, pair, value, "total", taken)  # whoiser: `whoisDomain(domain, { timeout })`
    elif key == "attemptTimeout" and ctx.qualify(_constructor_of(obj) or "").startswith("gamedig"):
        _timeout(ctx, pair, value, "total", taken)  # GameDig: each query attempt's bound
    elif key == "acquire" and _holder_key(obj) == "pool" and \
            (_constructor_of(obj) or "").split(".")[-1] == "Sequelize":
        # (round 13) `new Sequelize(url, { pool: { acquire: 30000 } })`: how long a query waits for a
        # pooled connection before it fails (the connect phase of each query)
        _timeout(ctx, pair, value, "connect", taken)
    elif key == "queryTimeout" and ctx.qualify(_constructor_of(obj) or "").startswith("@gitbeaker"):
        # (round 13) gitbeaker's `new Gitlab({ host, token, queryTimeout })`: each API request's bound (ms)
        _timeout(ctx, pair, value, "total", taken)
    elif key == "retry" and _holder_key(obj) is None:
        inner = object_props(unwrap(value))
        constructor = _constructor_of(obj) or ""
        if inner and "max" in inner and constructor.split(".")[-1] == "Sequelize":
            _retry(ctx, pair, inner["max"], 0.0, "sequelize", taken)


_KAFKA_ADMIN_CALLS = ("createTopics", "deleteTopics", "createPartitions", "deleteTopicRecords")


# A MongoDB collection's operations: `{ maxTimeMS }` among their options (after the filter / update /
# pipeline) is the driver's server-side time limit even in a file that only receives the database
# (`this.users.collection('addresses').findOne(q, { maxTimeMS: consts.DB_MAX_TIME_USERS })`).
_MONGO_OPERATIONS = frozenset((
    "find", "findOne", "findOneAndUpdate", "findOneAndDelete", "findOneAndReplace", "updateOne", "updateMany",
    "deleteOne", "deleteMany", "replaceOne", "insertOne", "insertMany", "countDocuments", "count", "distinct",
    "aggregate", "bulkWrite", "estimatedDocumentCount", "watch"))


def _mongo_operation_options(obj: ts.Node) -> bool:
    """`coll.findOne(filter, { maxTimeMS })`: the options argument (not the first) of a collection
    operation called on something (a receiver, never a bare function of the file)."""
    args = obj.parent
    call = args.parent if args is not None and args.type == "arguments" else None
    if call is None or call.type != "call_expression":
        return False
    fn = unwrap(call.child_by_field_name("function"))
    if fn is None or fn.type != "member_expression" or ts.text(fn.child_by_field_name("property")) not in _MONGO_OPERATIONS:
        return False
    given = [a for a in args.named_children if a.type != "comment"]
    return bool(given) and given[0].start_byte != obj.start_byte


def _method_argument(obj: ts.Node, names) -> bool:
    args = obj.parent
    call = args.parent if args is not None and args.type == "arguments" else None
    if call is None or call.type != "call_expression":
        return False
    fn = unwrap(call.child_by_field_name("function"))
    name = ts.text(fn.child_by_field_name("property")) if fn is not None and fn.type == "member_expression" else \
        ts.text(fn) if fn is not None else ""
    return name in names


_TRANSACTION_WRAPPER = re.compile(r"^(\$?tx|(with|run|in)(Db|Prisma)?Transaction|(run|exec|execute)InTransaction)$")


def _transaction_options(obj: ts.Node) -> bool:
    """`transaction(async (tx) => {...}, { timeout: 30000 })`: Prisma's interactive transaction options,
    also through the project's own `transaction` wrapper (`const { transaction } = prisma`) or
    `$transaction` on any client; the work is a function handed beside them. A project method named
    for a transaction (`this.prismaService.$tx(fn, { timeout })`, `withTransaction(fn, { timeout })`,
    round 12: the service's PrismaService wrapper handing its options on to `$transaction`) takes the
    same options."""
    args = obj.parent
    call = args.parent if args is not None and args.type == "arguments" else None
    if call is None or call.type != "call_expression":
        return False
    fn = unwrap(call.child_by_field_name("function"))
    name = dotted(fn).rsplit(".", 1)[-1] if fn is not None else ""
    if name not in ("transaction", "$transaction", "runTransaction") and not _TRANSACTION_WRAPPER.match(name):
        return False
    given = [unwrap(a) for a in args.named_children if a.type != "comment"]
    return len(given) == 2 and given[1] == obj and given[0] is not None and given[0].type in FUNCTION_TYPES


def _undici_constructor(ctx: FileContext, obj: ts.Node | None) -> bool:
    if obj is None or obj.type != "object":
        return False
    constructor = _constructor_of(obj)
    return bool(constructor) and ctx.qualify(constructor).startswith("undici.")


def _undici_request_options(ctx: FileContext, obj: ts.Node) -> bool:
    """`request(url, { headersTimeout })` with request (stream, pipeline, fetch) imported from undici."""
    args = obj.parent
    call = args.parent if args is not None and args.type == "arguments" else None
    if call is None or call.type != "call_expression":
        return False
    qualified = ctx.qualify(dotted(call.child_by_field_name("function")))
    return qualified.startswith("undici.") and qualified.rsplit(".", 1)[-1] in _UNDICI_CALLS


def _retry_options(ctx: FileContext, pair: ts.Node, value: ts.Node | None, obj: ts.Node, taken) -> None:
    inner = object_props(value)
    if not inner:
        return
    if "maxTries" in inner and inner.keys() & {"tryTimeoutInMs", "retryDelayInMs", "maxRetryDelayInMs",
                                                 "retryPolicyType"}:
        # Azure SDK (storage, service bus...): every try counted; each try's own bound
        _retry(ctx, _pair_of(inner["maxTries"]) or pair, inner["maxTries"], 0.0, "azure-sdk", taken)
        if "tryTimeoutInMs" in inner:
            node = _pair_of(inner["tryTimeoutInMs"]) or pair
            _timeout(ctx, node, inner["tryTimeoutInMs"], "total", taken)
        return
    constructor = _constructor_of(obj) or ""
    if not ctx.qualify(constructor).startswith("@google-cloud/"):
        return
    auto = unwrap(inner.get("autoRetry"))
    if auto is not None and auto.type == "false":
        attrs = {"max_attempts": 1, "backoff": None, "retry_on": None, "mechanism": "client_config",
                 "library": "google-cloud"}
        _emit(ctx, "retry", pair, attrs, "high", (), taken)
    elif "maxRetries" in inner:
        _retry(ctx, pair, inner["maxRetries"], 1.0, "google-cloud", taken)


def _pair_of(value: ts.Node) -> ts.Node | None:
    parent = value.parent
    return parent if parent is not None and parent.type == "pair" else None


def _nats_timeout(ctx: FileContext, pair: ts.Node, value: ts.Node, obj: ts.Node, taken) -> None:
    """NATS: `connect({ servers, timeout })` (connect), `nc.request(subject, data, { timeout })`."""
    args = obj.parent
    call = args.parent if args is not None and args.type == "arguments" else None
    if call is None or call.type != "call_expression":
        return
    fn = dotted(call.child_by_field_name("function"))
    name = fn.rsplit(".", 1)[-1]
    if ctx.qualify(fn) == "nats.connect":
        _timeout(ctx, pair, value, "connect", taken)
    elif name in ("request", "requestMany") and "." in fn:
        given = [a for a in args.named_children if a.type != "comment"]
        if len(given) == 3 and given[2] == obj:
            _timeout(ctx, pair, value, "total", taken)


def _queue_add(ctx: FileContext, pair: ts.Node, value: ts.Node, obj: ts.Node, taken) -> None:
    """`anyQueue.add(name, data, { attempts: 3 })` (BullMQ) / `queue.add(data, { attempts })` (Bull v3):
    the options are the last argument of an `.add`/`.createJob` call with two or more arguments."""
    args = obj.parent
    call = args.parent if args is not None and args.type == "arguments" else None
    if call is None or call.type != "call_expression":
        return
    fn = unwrap(call.child_by_field_name("function"))
    if fn is None or fn.type != "member_expression" or ts.text(fn.child_by_field_name("property")) not in ("add",):
        return
    given = [a for a in args.named_children if a.type != "comment"]
    if len(given) < 2 or given[-1] != obj:
        return
    _retry(ctx, pair, value, 0.0, "bullmq", taken)


_SMITHY_STRATEGIES = ("ConfiguredRetryStrategy", "StandardRetryStrategy", "AdaptiveRetryStrategy")


_EFFECT_UNITS = {"nano": 1e-6, "nanos": 1e-6, "micro": 1e-3, "micros": 1e-3, "milli": 1.0, "millis": 1.0,
                 "second": 1000.0, "seconds": 1000.0, "minute": 60000.0, "minutes": 60000.0, "hour": 3600000.0,
                 "hours": 3600000.0, "day": 86400000.0, "days": 86400000.0, "week": 604800000.0, "weeks": 604800000.0}
_EFFECT_RECEIVERS = re.compile(r"^(Effect|HttpClient|Activity|Stream|STM|Workflow|DurableClock|Micro|RpcClient)$")


def _effect_duration(ctx: FileContext, node: ts.Node | None) -> float | None:
    """Effect's DurationInput: `"1 hour"`, `"200 millis"`, `Duration.seconds(5)`, a number of ms."""
    node = unwrap(node)
    if node is None:
        return None
    text = string_value(node)
    if text is not None:
        m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s+([a-z]+)\s*", text)
        if m and m.group(2) in _EFFECT_UNITS:
            return float(m.group(1)) * _EFFECT_UNITS[m.group(2)]
        return None
    if node.type == "call_expression":
        fn = dotted(node.child_by_field_name("function"))
        args = node.child_by_field_name("arguments")
        first = args.named_children[0] if args is not None and args.named_children else None
        unit = fn.rsplit(".", 1)[-1] if fn.startswith("Duration.") else None
        value = ctx.evaluate(ctx.to_expr(first)).value if first is not None else None
        if unit in _EFFECT_UNITS and isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value) * _EFFECT_UNITS[unit]
    return None


def _effect_default(ctx: FileContext, node: ts.Node | None, depth: int = 0) -> ts.Node | None:
    """The duration an Effect bound runs with: `opts.timeout ?? DEFAULT_TIMEOUT` -> the code's default
    when the left side is an optional setting or parameter (round 9), a file's constant -> its value."""
    node = unwrap(node)
    if node is None or depth > 4:
        return node
    if node.type == "binary_expression" and ts.text(node.child_by_field_name("operator")) in ("??", "||"):
        left = node.child_by_field_name("left")
        if ctx._optional_operand(left, ctx.to_expr(left)):
            return _effect_default(ctx, node.child_by_field_name("right"), depth + 1)
        return node
    if node.type == "identifier":
        value = ctx.local_value(ts.text(node), node)
        if value is not None and (string_value(value) is not None or value.type in ("call_expression", "number")):
            return _effect_default(ctx, value, depth + 1)
    return node


def _effect_template(node: ts.Node | None) -> tuple[ts.Node, float] | None:
    """(number, unit in ms) of an Effect duration written as a template: `${ms} millis`, `${n} seconds`."""
    node = unwrap(node)
    if node is None or node.type != "template_string":
        return None
    subs = [c for c in node.named_children if c.type == "template_substitution"]
    if len(subs) != 1 or not subs[0].named_children:
        return None
    rest = ts.text(node)[1:-1].replace(ts.text(subs[0]), "", 1)
    m = re.fullmatch(r"\s*([a-z]+)\s*", rest)
    if m is None or m.group(1) not in _EFFECT_UNITS:
        return None
    return subs[0].named_children[0], float(_EFFECT_UNITS[m.group(1)])


def _effect(ctx: FileContext, call, taken) -> bool:
    """Effect (`effect`, `@effect/*`): `Effect.retry({ times: 2 })`, `HttpClient.retry({ schedule, times })`,
    `Activity.retry({ times: 3 })` (retries after the first try), `Effect.retry(Schedule.recurs(3))`,
    and `Effect.timeout("1 hour")` / `Effect.timeout(Duration.seconds(5))` (the effect's bound)."""
    receiver = call.receiver.rsplit(".", 1)[-1]
    if not _EFFECT_RECEIVERS.match(receiver or "") or not _imports_any(ctx, "effect", "@effect"):
        return False
    if call.name == "retry" and call.args:
        first = unwrap(call.arg(0))
        if first is not None and first.type == "identifier":
            # `const retryPolicy = { schedule, times: 3, while: isRetryable }; Effect.retry(retryPolicy)`
            # (round 9): the policy object the file declares
            first = ctx.resolve_object(first) or first
        if first is not None and first.type == "object":
            times = (object_props(first) or {}).get("times")
            if times is not None:
                _retry(ctx, call.node, times, 1.0, "effect", taken)
        elif first is not None and first.type == "call_expression" and \
                dotted(first.child_by_field_name("function")) == "Schedule.recurs":
            args = first.child_by_field_name("arguments")
            if args is not None and args.named_children:
                _retry(ctx, call.node, args.named_children[0], 1.0, "effect", taken)
        return True
    if call.name in ("timeout", "timeoutFail", "timeoutFailCause", "timeoutTo", "timeoutOption") and call.args:
        first = unwrap(call.arg(0))
        duration = first
        if first is not None and first.type == "object":
            duration = (object_props(first) or {}).get("duration")
        duration = _effect_default(ctx, duration)
        ms = _effect_duration(ctx, duration)
        templated = _effect_template(duration) if ms is None else None
        if templated is not None:
            # `` `${opts.timeoutMs} millis` ``: the number the template carries, in its unit (a
            # parameter's member handed on: a forwarder, its callers' values are the contract)
            _timeout(ctx, call.node, templated[0], "total", taken, scale=templated[1])
        elif ms is not None:
            attrs = {"timeout_ms": ms, "phase": "total", "resolved_from": "literal", "expression": ts.text(duration),
                     "scope": "call"}
            _emit(ctx, "timeout", call.node, attrs, "high", (), taken)
        elif duration is not None:
            _timeout(ctx, call.node, duration, "total", taken)
        return True
    return False


def _call(ctx: FileContext, call, taken) -> None:
    if call.name in ("retry", "timeout", "timeoutFail", "timeoutFailCause", "timeoutTo", "timeoutOption") and \
            _effect(ctx, call, taken):
        return
    if _round8_library(ctx, call, taken):
        return
    if _discord_voice_js1(ctx, call, taken):
        return
    if _named_timeout_helper_js1(ctx, call, taken):
        return
    if call.qualified in ("p-timeout", "p-timeout.default", "p-timeout.pTimeout") and len(call.args) >= 2 and \
            _parked_promise_js1(call.arg(0)):
        return
    if call.qualified in ("p-timeout", "p-timeout.default", "p-timeout.pTimeout") and len(call.args) >= 2:
        # `pTimeout(promise, { milliseconds: 5000 })` (v5+), `pTimeout(promise, 5000)` (earlier)
        second = unwrap(call.arg(1))
        ms = (object_props(second) or {}).get("milliseconds") if second is not None and second.type == "object" \
            else second
        if ms is not None:
            _timeout(ctx, call.node, ms, "total", taken)
        return
    if call.is_new and call.name in _SMITHY_STRATEGIES and \
            ctx.qualify(call.callee).startswith(("@smithy/util-retry", "@aws-sdk/util-retry", "@aws-sdk/middleware-retry")):
        # AWS SDK v3: `retryStrategy: new ConfiguredRetryStrategy(4, delay)`: every try counted
        if call.arg(0) is not None and unwrap(call.arg(0)).type != "arrow_function":
            _retry(ctx, call.node, call.arg(0), 0.0, "aws-sdk", taken)
        elif call.arg(0) is not None:
            # (round 19, js2) the max-attempts provider `new StandardRetryStrategy(async () => 10000, {..})`
            # (sst-console): a function answering one count is that count
            body = unwrap(unwrap(call.arg(0)).child_by_field_name("body"))
            if body is not None and body.type == "number":
                _retry(ctx, call.node, body, 0.0, "aws-sdk", taken)
        return
    if call.is_new and call.qualified in ("p-queue", "p-queue.default", "p-queue.PQueue") or \
            call.qualified in ("queue", "queue.default") and call.arg(0) is not None and \
            unwrap(call.arg(0)).type == "object" and _queue_package_js1(ctx, call.callee.split(".", 1)[0]):
        # (round 18, js1) the `queue` package (`const Queue = require('queue'); Queue({ concurrency, timeout,
        # autostart })`, bbb-webrtc-sfu's lifecycle queues): each job's bound, as p-queue's
        # p-queue: `new PQueue({ concurrency, timeout: 60_000, throwOnTimeout })` (round 9): each task's
        # bound, in ms (the tasks are the calls the queue runs), on the option's own line
        options = object_props(call.arg(0)) or {}
        if "timeout" in options:
            _timeout(ctx, _pair_of(options["timeout"]) or call.node, options["timeout"], "total", taken)
        return
    if call.name in _RABBIT_FACTORIES_JS2 and not call.is_new and call.receiver and _imports_any(ctx, "rabbitmq-client"):
        _rabbitmq_client_js2(ctx, call, taken)
        return
    if call.qualified in ("socket.io-client.io", "socket.io-client", "socket.io-client.connect", "socket.io-client.default"):
        options = object_props(call.arg(1)) or object_props(call.arg(0)) or {}
        if "timeout" in options:
            # the connection's bound; a constructor's option on its own line (`new SocketIOClient(url, {
            # ..., timeout: 5000 })`), as client constructors' options are reported
            node = (_pair_of(options["timeout"]) or call.node) if call.is_new else call.node
            _timeout(ctx, node, options["timeout"], "connect", taken)
        _socket_io_reconnection_js2(ctx, call, options, taken)
        return
    if call.name == "createAdapter" and call.qualified.startswith(_SOCKET_IO_ADAPTERS):
        # socket.io's Redis / Postgres / Mongo / cluster adapters (round 10): `createAdapter(pub, sub, {
        # requestsTimeout: 15000 })` bounds the requests one server makes to the others (fetchSockets,
        # serverSideEmit with an ack), in ms; the options are the last argument
        for arg in reversed(call.args):
            options = object_props(arg)
            if options is not None:
                if "requestsTimeout" in options:
                    _timeout(ctx, call.node, options["requestsTimeout"], "total", taken)
                break
        return
    if call.name in ("setDefaultNavigationTimeout", "setDefaultTimeout") and \
            re.search(r"page|browser|context|tab", call.receiver.split(".")[-1], re.I) and call.arg(0) is not None:
        # Puppeteer / Playwright: every navigation (and wait) of the page is bounded by it
        _timeout(ctx, call.node, call.arg(0), "total", taken)
        return
    if call.qualified in ("ping.promise.probe", "ping.sys.probe"):
        # the `ping` package: `ping.promise.probe(host, { timeout: 10 })`, seconds
        options = object_props(call.arg(2 if call.qualified == "ping.sys.probe" else 1)) or {}
        if "timeout" in options:
            _timeout(ctx, call.node, options["timeout"], "total", taken, scale=1000.0)
        return
    if call.name == "maxTimeMS" and _method_call(call.node, "maxTimeMS"):
        if call.arg(0) is not None and not _forwarded(call.arg(0)):
            _timeout(ctx, call.node, call.arg(0), "total", taken)
    elif call.name == "timeout" and _method_call(call.node, "timeout") and _knex_chain(call.node):
        if call.arg(0) is not None:
            _timeout(ctx, call.node, call.arg(0), "total", taken)


def _method_call(node: ts.Node, name: str) -> bool:
    fn = unwrap(node.child_by_field_name("function"))
    return fn is not None and fn.type == "member_expression" and ts.text(fn.child_by_field_name("property")) == name


def _knex_chain(node: ts.Node) -> bool:
    """`db("t").select("*").timeout(ms)`, `knex.raw(sql).timeout(ms, { cancel: true })`: a query
    builder's chain (a knex query method before it), or the `{ cancel }` options only knex takes."""
    args = node.child_by_field_name("arguments")
    given = [a for a in (args.named_children if args is not None else []) if a.type != "comment"]
    if len(given) == 2 and "cancel" in (object_props(given[1]) or {}):
        return True
    fn = unwrap(node.child_by_field_name("function"))
    current = unwrap(fn.child_by_field_name("object")) if fn is not None else None
    for _ in range(30):
        if current is None or current.type != "call_expression":
            return False
        inner = unwrap(current.child_by_field_name("function"))
        if inner is None:
            return False
        if inner.type == "member_expression":
            if ts.text(inner.child_by_field_name("property")) in _KNEX_METHODS:
                return True
            current = unwrap(inner.child_by_field_name("object"))
        else:
            return False
    return False


# ------------------------------------------------------------------ round 8 (held-out measurement)

_RXJS = ("rxjs", "rxjs/operators")
# Algolia's request options ride as the last argument of an index / client method
_ALGOLIA = ("algoliasearch", "@algolia")
_TERMINUS_CHECKS = ("pingCheck", "checkService", "responseCheck")
_PIXL_SETTERS = {"setTimeout": "total", "setIdleTimeout": "idle", "setConnectTimeout": "connect"}
_REQUEST_METHODS = {"get", "post", "put", "delete", "del", "head", "patch", "json", "xml", "download", "request"}


def _last_object(call) -> ts.Node | None:
    """The options: the last argument, or the one before a trailing callback (`request.json(url,
    data, { timeout }, callback)`)."""
    last = unwrap(call.args[-1]) if call.args else None
    if last is not None and (last.type in FUNCTION_TYPES or last.type == "identifier") and len(call.args) > 1:
        last = unwrap(call.args[-2])
    return last if last is not None and last.type == "object" else None


def _job_options_param_js2(ctx: FileContext, call, key: str, library: str, taken) -> bool:
    """(round 13) A project's enqueue helper handing its own options parameter to the job library
    (`export async function addJob(task, payload, options?) { return workerUtils.addJob(task, payload,
    options) }`): the run count is the caller's `options.<key>`, a retry whose pending bound names the
    parameter, so the helper publishes it (wrapper_call) and each call passing `{ maxAttempts: 1 }`
    is the contract (rule c); the helper's own line is a forwarder (no default) and is not kept."""
    from contract_discovery.model import Pending
    from contract_discovery.values import Ref
    last = unwrap(call.args[-1]) if call.args else None
    if last is None or last.type != "identifier" or len(call.args) < 2:
        return False
    fn = call.node.parent
    while fn is not None and fn.type not in FUNCTION_TYPES:
        fn = fn.parent
    params = fn.child_by_field_name("parameters") if fn is not None else None
    if params is None or not any(_param_name_js2(p) == ts.text(last) for p in params.named_children):
        return False
    attrs = {"max_attempts": None, "backoff": None, "retry_on": None, "mechanism": "client_config",
             "library": library}
    _emit(ctx, "retry", call.node, attrs, "medium", (Pending("max_attempts", Ref(f"{ts.text(last)}.{key}"), 1.0),),
          taken)
    return True


def _param_name_js2(param: ts.Node) -> str | None:
    """The name of a formal parameter (`options`, `options?: Opts`, `options = {}`)."""
    node = param.child_by_field_name("pattern") or param.child_by_field_name("left") or param
    return ts.text(node) if node is not None and node.type == "identifier" else None


def _any_object_with(call, key: str) -> tuple[ts.Node, dict] | None:
    for arg in call.args:
        inner = unwrap(arg)
        if inner is not None and inner.type == "object" and not _serialised(inner):
            props = object_props(inner) or {}
            if key in props:
                return inner, props
    return None


def _round8_library(ctx: FileContext, call, taken) -> bool:
    """Library knobs found on the round-8 held-out services (each rule is the library's, whatever
    the project): rxjs operators, Algolia request options, NestJS Terminus health checks,
    pixl-request clients, Segment, graphile-worker / pg-boss / named job queues."""
    module, _, name = call.qualified.rpartition(".")
    if module in _RXJS or call.qualified in ("rxjs.retry", "rxjs.timeout", "rxjs.retryWhen"):
        return _rxjs(ctx, call, name, taken)
    if "." not in call.callee:
        return False
    method = call.name
    if method in _TERMINUS_CHECKS and _imports_any(ctx, "@nestjs/terminus"):
        # `this.http.pingCheck("api", url, { timeout: 800 })`, `db.pingCheck("database", { timeout })`,
        # `grpc.checkService("svc", "name", { timeout })`: the probe's bound
        found = _any_object_with(call, "timeout")
        if found is not None:
            _timeout(ctx, call.node, found[1]["timeout"], "total", taken)
        return found is not None
    if _imports_any(ctx, *_ALGOLIA) and method not in _PIXL_SETTERS:
        options = _last_object(call) if len(call.args) >= 2 or call.name == "initIndex" else None
        props = object_props(options) or {} if options is not None else {}
        if "timeout" in props and not _forwarded(props["timeout"]):
            _timeout(ctx, call.node, props["timeout"], "total", taken)  # `index.saveObjects(objs, { timeout })`
            return True
        inner = object_props(unwrap(props.get("timeouts"))) if "timeouts" in props else None
        if inner:
            for key, phase in (("connect", "connect"), ("read", "read")):
                if key in inner:
                    _timeout_phase(ctx, call.node, inner[key], phase, scale=1000.0 if _algolia_seconds(ctx) else 1.0)
            return True
    if method in _PIXL_SETTERS and _imports_any(ctx, "pixl-request") and call.args:
        # pixl-request: `request.setTimeout(ms)`, `setIdleTimeout(ms)`, `setConnectTimeout(ms)`
        _timeout_phase(ctx, call.node, call.arg(0), _PIXL_SETTERS[method])
        return True
    if method in _REQUEST_METHODS and call.receiver.rsplit(".", 1)[-1] == "request" and \
            call.receiver.split(".", 1)[0] in ("this", "self", "that") and len(call.args) >= 2:
        # a request client kept on the instance (`self.request.json(url, data, { timeout: 8000 }, cb)`,
        # pixl-request, request): the per-request options' timeout
        options = _last_object(call)
        props = object_props(options) or {} if options is not None else {}
        if "timeout" in props:
            _timeout(ctx, call.node, props["timeout"], "total", taken)
            return True
        return False
    if method == "closeAndFlush" and _imports_any(ctx, "@segment"):
        found = _any_object_with(call, "timeout")  # Segment: the final flush's bound
        if found is not None:
            _timeout(ctx, call.node, found[1]["timeout"], "total", taken)
        return found is not None
    if method == "createFunction" and _imports_any(ctx, "inngest") and call.args:
        # (round 13) Inngest: `inngest.createFunction({ id, retries: 0 }, trigger, handler)`: the step
        # retries after the first run (the SDK's default is 4), on the createFunction call
        options = unwrap(call.args[0])
        props = object_props(options) or {} if options is not None and options.type == "object" else {}
        if "retries" in props:
            _retry(ctx, call.node, props["retries"], 1.0, "inngest", taken)
            return True
        return False
    if method in ("addJob", "quickAddJob") and _imports_any(ctx, "graphile-worker"):
        found = _any_object_with(call, "maxAttempts")  # graphile-worker: every run counted
        if found is not None:
            node = _pair_of(found[1]["maxAttempts"]) or call.node
            _retry(ctx, node, found[1]["maxAttempts"], 0.0, "graphile-worker", taken)
        elif _job_options_param_js2(ctx, call, "maxAttempts", "graphile-worker", taken):
            return True
        return found is not None
    if method in ("send", "sendAfter", "sendSingleton", "insert", "publish") and _imports_any(ctx, "pg-boss"):
        found = _any_object_with(call, "retryLimit")  # pg-boss: retries after the first run
        if found is not None:
            _retry(ctx, call.node, found[1]["retryLimit"], 1.0, "pg-boss", taken)
        return found is not None
    if method == "add" and len(call.args) >= 2 and _imports_any(ctx, *_QUEUE_MODULES) and \
            _job_options_param_js2(ctx, call, "attempts", "bullmq", taken):
        return True  # (round 13) an enqueue helper handing its options parameter to BullMQ's add
    if method == "add" and re.search(r"queue$", call.receiver.rsplit(".", 1)[-1], re.I) and len(call.args) >= 2:
        # a job queue's `add(data, { retries: 5 })` (Vendure's JobQueue, Bee-Queue-like APIs):
        # retries after the first run; BullMQ's `attempts` is read by `_queue_add`
        options = _last_object(call)
        props = object_props(options) or {} if options is not None else {}
        if "retries" in props and "attempts" not in props:
            _retry(ctx, call.node, props["retries"], 1.0, "job-queue", taken)
            return True
    return False


def _algolia_seconds(ctx: FileContext) -> bool:
    return False  # v4 and v5 both take `timeouts` in ms (v3 took seconds, long unsupported)


def _timeout_phase(ctx: FileContext, node: ts.Node, value: ts.Node | None, phase: str, scale: float = 1.0) -> None:
    """A timeout of one phase on a line that may carry another phase's already (Algolia's connect
    and read, pixl-request's three setters on their own lines)."""
    value = unwrap(value)
    if value is None or value.type in ("null", "undefined"):
        return
    line = node.start_point[0] + 1
    if any(f.kind == "timeout" and f.line == line and f.attributes.get("phase") == phase for f in ctx.findings):
        return
    attrs, confidence, pending = ctx.timeout_value(value, scale)
    attrs["phase"] = phase
    attrs["scope"] = "client"
    ctx.finding("timeout", node, ID, attrs, confidence, None, pending)


def _rxjs(ctx: FileContext, call, name: str, taken) -> bool:
    """rxjs operators: `retry(3)` / `retry({ count: 3, delay })` (retries after the first
    subscription), `retryWhen(errors => errors.pipe(delay(200), take(3)))` (take(n): n retries),
    `timeout(5000)` / `timeout({ each: 5000 })` / `timeout({ first: 5000 })` (the source's bound)."""
    if name == "retry" and call.args:
        first = unwrap(call.arg(0))
        count = (object_props(first) or {}).get("count") if first is not None and first.type == "object" else first
        if count is not None:  # (a parameter handed on is a forwarder: the pipeline keeps its callers')
            _retry(ctx, call.node, count, 1.0, "rxjs", taken)
        return True
    if name == "retryWhen" and call.args:
        for node in ts.walk(call.arg(0)) if hasattr(ts, "walk") else _walk(call.arg(0)):
            if node.type != "call_expression":
                continue
            fn = dotted(node.child_by_field_name("function"))
            if ctx.qualify(fn) in ("rxjs/operators.take", "rxjs.take"):
                args = node.child_by_field_name("arguments")
                given = [a for a in (args.named_children if args is not None else []) if a.type != "comment"]
                if given:
                    _retry(ctx, call.node, given[0], 1.0, "rxjs", taken)
                break
        return True
    if name == "timeout" and call.args:
        first = unwrap(call.arg(0))
        value = first
        if first is not None and first.type == "object":
            props = object_props(first) or {}
            value = props.get("each", props.get("first"))
        if value is not None and unwrap(value).type in ("number", "identifier", "member_expression",
                                                        "binary_expression", "call_expression"):
            _timeout(ctx, call.node, value, "total", taken)
        return True
    return False


def _walk(node: ts.Node | None):
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.named_children))


def _queue_package_js1(ctx: FileContext, name: str) -> bool:
    """`name` is bound to the npm `queue` package itself (`require('queue')`, `import Queue from 'queue'`), not
    to a project module of that name (`require('./queue')`)."""
    pattern = re.compile(rb"\b" + re.escape(name.encode()) + rb"""\s*=\s*require\(\s*['"]queue['"]\s*\)|"""
                         rb"""import\s+""" + re.escape(name.encode()) + rb"""\s+from\s+['"]queue['"]""")
    return pattern.search(ctx.data) is not None
