"""Client options: timeouts and retry limits written as keys of a client's options object.

What it does: reads the options of clients that have no detector of their own, by the keys that
only mean one thing there:

- ``maxRetriesPerRequest: 20`` (ioredis: retries after the first try; ``null`` retries without
  limit) and ``retryStrategy``/``clusterRetryStrategy``/``reconnectStrategy`` (reconnects: without a
  limit we can count);
- ``retryCount: 15`` beside ``retryDelay``/``retryJitter`` (Redlock: 16 tries);
- ``maxRetries`` of a client (``new OpenAI({ apiKey, maxRetries: 2 })``, Elasticsearch's ``new
  Client({ node, maxRetries })``: retries after the first try), ``retryConfig: { retries }`` (Slack)
  and ``retryOptions: { maxRetries }`` (Google Cloud), an AWS SDK v3 client's ``maxAttempts`` (every
  try); never ``fs.rm``'s ``maxRetries`` nor a job's ``maxAttempts``;
- ioredis's ``commandTimeout`` (each command's bound);
- undici dispatchers: ``new Agent({ headersTimeout, bodyTimeout })`` (read phase) and the retry
  interceptor ``interceptors.retry({ maxRetries })`` / ``new RetryAgent(agent, { maxRetries })`` (on the call);
- ``retry: { retries: 0 }`` (kafkajs and alike: 1 try), ``retry: { max: 3, match: [...] }``
  (Sequelize's retry-as-promised: 3 tries) and ``retry: { maximumAttempts: 3 }`` (Temporal: 3 tries,
  0 without a limit);
- Temporal's ``startToCloseTimeout``/``scheduleToCloseTimeout`` (``'10 minute'``, ms notation);
- ``retries: 1`` beside ``timeout`` in one options object (net-snmp, RADIUS and other socket
  clients): both are reported;
- ``connectionTimeout``/``connectTimeout``/``handshakeTimeout``/``greetingTimeout`` (connect phase),
  ``socketTimeout`` (idle) and ioredis's ``slotsRefreshTimeout`` in an options object that reaches a
  client constructor or factory (``new Kafka({...})``, ``nodemailer.createTransport({...})``,
  ``const options = {...}; new Redis.Cluster(nodes, options)``, nested as ``redisOptions``, or
  returned by a config builder of the file whose result reaches the client through a destructured
  rest or a spread), never
  a server (``createServer``, ``listen``, Fastify) or a helper of the project;
- a timeout read from an optional options object with the code's own default
  (``connectionTimeoutMillis: parsed.connectTimeout ?? 10000``) is that default;
- (never options written out: ``JSON.stringify({ connectionTimeoutMillis })``, a log line)
- pg's ``connectionTimeoutMillis`` and the MongoDB driver's ``connectTimeoutMS``/``socketTimeoutMS``/
  ``serverSelectionTimeoutMS`` in any object (only those drivers spell them: an options builder's
  returned object counts);
- ``options.handshakeTimeout = ms`` on an options object the function declared;
- ``requestTimeout``/``request_timeout`` (MSSQL, ClickHouse), pg's ``query_timeout``/``statement_timeout``
  under the same rule, and a bare
  ``timeout`` when the call is named as a client (``new Client({...})``, ``client.init({...})``,
  ``new OpenAI({ apiKey, timeout })`` from a package, ``chromium.connect(url, {...})``: connect phase)
  and no library detector has read that call;
- ``timeout`` beside ``keepAlive``/``maxSockets`` (an HTTP agent's socket timeout), or in the options
  of agentkeepalive's ``new HttpsAgent({ timeout })``;
- (round 11) a configuration object describing a remote API, one naming where to call (``url``,
  ``baseUrl``, ``endpoint``...) or sitting under ``apis``/``services``/``clients`` (the HMPPS
  template's ``apis: { prisonApi: { url, timeout: { response, deadline }, agent } }``): superagent's
  ``timeout: { response, deadline }`` shape (read, total: each on its own line) or a bare
  ``timeout: ms`` (total); never a call's own options, a session's, a UI's, a server's or a test's
  object, nor a message; and the template's ``agent: new AgentConfig(ms)`` (the keep-alive agent's
  socket timeout); both in milliseconds whatever the environment variable is called;
- ``client[custom.http_options] = () => ({ timeout })`` (openid-client);
- a timeout key (``timeout``, ``timeoutMs``, ``maxTimeMs``, ``requestTimeout``) in the options
  handed to a request or connection helper imported from the project (named for a request, a
  connection, HTTP, an API or RPC: ``httpGet``, ``callApi``; not ``waitFor``)
  (``cancellableFetch(url, init, { maxTimeMs: 30000 })``, ``request.get(url, { timeout: 5000 })`` on the
  project's own request module), or to a package's function named as a request
  (``secureAxiosRequest({ url, timeout: 10000 })``), reported on the helper call; likewise a
  time-bound signal handed to any function of the project (``cscInfo({ signal:
  AbortSignal.timeout(10000) })``);
- a value handed to a request function of this file at the position of its timeout parameter
  (``checkHeader(url, 1000 * 60)`` where ``checkHeader = async (url, timeout) => request.head(url,
  { timeout })``), on the call;
- ``requestTimeout: ms('30 seconds')`` handed to a method of a service or client
  (``this.dataProviderService.getQuotes({ items, requestTimeout })``: the timeout of the requests it
  makes), unless the value is a parameter handed on or the call is a server's;
- the AI SDK's ``generateText({ timeout, maxRetries })`` (and streamText, generateObject, ...);
- OpenTelemetry's ``new BatchSpanProcessor(exporter, { exportTimeoutMillis })`` (one export to the
  collector, round 11);
- Prisma's interactive ``$transaction(fn, { timeout })`` and the client-wide default
  ``new PrismaClient({ transactionOptions: { timeout } })``;
- Octokit's throttle callbacks, ``onRateLimit: (after, opts, octokit, retryCount) => retryCount < 1``
  (re-sent while they return true: ``< N`` is N + 1 tries, ``true`` without a limit);
- ``httpOptions: { timeout, connectTimeout }`` in any object (AWS SDK v2 clients, next-auth providers);
- a client's wait for a remote task, ``index.waitForTask(uid, { timeOutMs })`` (Meilisearch);
- ``socket.setTimeout(ms)`` on a socket from ``net.connect``/``tls.connect``/``net.Socket()``, also
  one kept in a member (``clients[id].client = net.Socket()``), one from any connect-named call or
  socket getter (``tls_socket.connect({...})``, ``this.get_socket()``), or one the file listens to
  for ``'timeout'``; never an inbound connection (a server's connection handler's socket), a server,
  nor a socket wrapper's own ``setTimeout(ms)`` method handing its caller's value on;
- an options object typed by its package (TypeScript: ``const o: RedisOptions = {...}``, ``{...}
  satisfies Options``, ``as ClientConfig``): its connect/request keys, and a bare ``timeout``, are
  that client's wherever the object goes (not a process's ``SpawnOptions``, not the project's types);
  ClickHouse's ``max_execution_time`` (seconds) in ``clickhouse_settings`` or a ``ClickHouseSettings``;
- an Elasticsearch / OpenSearch request's ``timeout: '10s'`` beside ``index``/``body``/``query``;
- (run after the library detectors) a ``timeout`` written as a number or constant in the options
  handed to any function imported from a package that no detector read (``urlMetadata(url, {
  timeout: 500 })``), on the call; never a process, a lock, a wait, a test, a server;
- never a schema that validates a setting (``timeout: Joi.number()``, ``z.number()``);
- ``page.goto(url, { timeout })``, ``page.reload({ timeout })`` (Playwright/Puppeteer navigation);
- Stripe's ``timeout`` and ``maxNetworkRetries`` (retries after the first try) given to
  ``new Stripe(key, {...})`` or as a request's options on that client
  (``stripe.subscriptions.retrieve(id, { timeout: 5000 })``, on the call line);
- a queue job's ``attempts`` (Bull/BullMQ: every run counted, a failed job runs again):
  ``defaultJobOptions: { attempts: 3, backoff }``, ``queue.add(name, data, { attempts: 2 })``, or
  beside ``backoff``/``removeOnComplete``/``jobId``; never a counter (``{ attempts: 3, failures }``);
- a connect key written as a number or constant beside ``host`` and ``port``/``auth`` (``config: {
  host, port, connectionTimeout: 30 * 1000 }`` built for a mail or database driver a framework
  creates), and an agent's ``autoSelectFamilyAttemptTimeout`` (each address's connection attempt);
- a connect key in an object that also holds keys only ioredis reads (``maxRetriesPerRequest``,
  ``enableReadyCheck``, ``retryStrategy``, ``enableOfflineQueue``): ioredis options wherever they
  go (``return { host, port, maxRetriesPerRequest: null, connectTimeout: 15000 }`` for BullMQ);
- tus-js-client's ``retryDelays: [0, 1000, 3000]`` (one retry per delay: 4 tries) in a file
  importing it, and the Kubernetes API's ``timeoutSeconds`` on a list / watch / deleteCollection
  call (``core.deleteCollectionNamespacedPod({ namespace, timeoutSeconds: 30 })``, on the call).
  (A deadline built from ``setTimeout(() => reject(new Error("timed out")), ms)`` is not read: the
  label sets count it as no client setting.)

Each finding sits on the line of the key (or the call) that sets the value.

Why it matters: these settings bound or multiply the calls to a dependency just like an HTTP
client's timeout or an axios-retry policy, only in another library's words.

Example::

    const redis = new Redis(url, { maxRetriesPerRequest: 20 });   // retry: 21 attempts
    const kafka = new Kafka({ brokers, connectionTimeout: 3000 }); // timeout 3000 ms, connect
"""

from __future__ import annotations

import re

from contract_discovery.values import normalise_ms
from extractors import treesitter as ts
from extractors.javascript.context import (FUNCTION_TYPES, HTTP_METHODS, FileContext, descendants, dotted,
                                           js_detector, key_name,
                                           ms_string,
                                           object_props, string_value, unwrap)
from extractors.javascript.detectors import (_client_shapes_r17_js2, _package_options, _sdk_request_options_js2,
                                             _socket_promise_waits_js2, _stripe)

ID = "javascript.client_options"

_CONNECT_KEYS = {"connectionTimeout": "connect", "connectTimeout": "connect", "connectTimeoutMS": "connect",
                 "connectionTimeoutMillis": "connect", "handshakeTimeout": "connect",
                 # round 13: ssh2 / node-ssh / ssh2-sftp-client `conn.connect({ host, readyTimeout })`
                 "readyTimeout": "connect",
                 "greetingTimeout": "connect", "serverSelectionTimeoutMS": "connect",
                 "authenticationTimeout": "connect",
                 "socketTimeout": "idle", "socketTimeoutMS": "idle", "slotsRefreshTimeout": "total",
                 "requestTimeout": "total", "request_timeout": "total", "query_timeout": "total",
                 "statement_timeout": "total", "statementTimeout": "total",
                 # round 9: the `...Ms` spellings (Baileys' socket config, @atproto/aws's S3 blob store,
                 # many SDKs' option objects): the same phases, in milliseconds
                 "connectTimeoutMs": "connect", "connectionTimeoutMs": "connect", "requestTimeoutMs": "total",
                 "uploadTimeoutMs": "total", "downloadTimeoutMs": "total", "responseTimeoutMs": "read",
                 "defaultQueryTimeoutMs": "total", "queryTimeoutMs": "total",
                 # round 11: OpenTelemetry's BatchSpanProcessor / PeriodicExportingMetricReader bound on
                 # one export to the collector
                 "exportTimeoutMillis": "total"}
# spelled by one database driver alone (pg, the MongoDB driver), never by a server: an object with one
# is that driver's options wherever it goes (`getConnectionOptions() { return { connectTimeoutMS } }`)
_DRIVER_KEYS = {"connectionTimeoutMillis", "connectTimeoutMS", "socketTimeoutMS", "serverSelectionTimeoutMS"}
# (round 22, js2) terminus / lightship: `createTerminus(server, { timeout })` is the server's own shutdown grace
_SERVERISH = re.compile(r"server|listen|fastify|express|koa|hapi|graceful|terminus|lightship|app$", re.I)
_CLIENT_FACTORY = re.compile(r"^(create\w*|connect\w*|open|register|client|producer|consumer|admin|transport|setup|"
                             r"init\w*|configure)$", re.I)
_AGENT_KEYS = {"keepAlive", "keepAliveMsecs", "maxSockets", "maxFreeSockets"}
_WORDS = (b"maxRetriesPerRequest", b"retryStrategy", b"retryCount", b"retries", b"retry", b"Retries", b"Retry",
          b"Timeout", b"timeOut", b"timeout", b"RateLimit", b"maxAttempts", b"attempts", b"max_execution_time")


@js_detector(ID, ["timeout", "retry"],
             valid=['const retries = 3; // a variable named retries',
                    'const options = { timeout: 5000 }; // a bare timeout key without a client',
                    'const server = http.createServer({ connectionTimeout: 5000 });',
                    'execFile("pm2", ["list"], { timeout: 5000 });'],
             invalid=['const redis = new Redis(url, { maxRetriesPerRequest: 20 });',
                      'const kafka = new Kafka({ brokers, connectionTimeout: 3000 });'])
def detect(ctx: FileContext) -> None:
    _stripe.detect(ctx)
    _sdk_request_options_js2.detect(ctx)
    _socket_promise_waits_js2.detect(ctx)  # ZeroMQ socket timeouts, Bluebird .timeout, LaunchDarkly init (round 15)
    _client_shapes_r17_js2.detect(ctx)  # ws client handshake timeouts, super({ timeout }) of a package's class (round 17)
    if not any(word in ctx.data for word in _WORDS):
        return
    taken = {(f.line, f.kind) for f in ctx.findings}
    for match in ctx.query_matches("client_options"):
        pair = match["pair"][0]
        key = key_name(match["key"][0])
        if key is None:
            continue
        try:
            _pair(ctx, pair, key, taken)
        except Exception:  # one odd object must not cost the file's other findings
            continue
    for call in ctx.calls:
        try:
            if call.name == "setTimeout" and "." in call.callee:
                _socket_timeout(ctx, call, taken)
            elif call.name in _NAVIGATIONS and "." in call.callee:
                _navigation(ctx, call, taken)
            elif call.qualified in _AI_SDK_CALLS:
                _ai_sdk(ctx, call, taken)
            elif call.name == "$transaction" and "." in call.callee:
                _transaction(ctx, call, taken)
            elif call.name in _TASK_WAITS and "." in call.callee:
                _task_wait(ctx, call, taken)
            elif _K8S_API_CALL.match(call.name) and "." in call.callee:
                _k8s_timeout_seconds(ctx, call, taken)
        except Exception:
            continue
    _agent_configs(ctx, taken)
    try:
        _retry_policy_objects(ctx, taken)
    except Exception:  # an odd declaration costs only this finding
        pass
    _http_options(ctx, taken)
    _assigned_options(ctx, taken)
    try:
        _assigned_timeout_handed_js1(ctx, taken)
    except Exception:  # an odd assignment costs only this finding
        pass
    _helper_timeouts(ctx, taken)
    try:
        _positional_timeouts(ctx, taken)
    except Exception:  # an odd call costs only this finding
        pass
    if b"://" in ctx.data and b"imeout" in ctx.data or b"connect_timeout" in ctx.data:
        try:
            _connection_url_timeouts_js2(ctx, taken)
        except Exception:  # an odd string costs only this finding
            pass


# a database connection URL's timeout parameter: (name, phase, ms per unit)
_URL_TIMEOUTS_JS2 = {"connect_timeout": ("connect", 1000.0), "connectTimeout": ("connect", 1.0),
                     "connectTimeoutMS": ("connect", 1.0), "socketTimeoutMS": ("read", 1.0),
                     "serverSelectionTimeoutMS": ("connect", 1.0)}
_DB_URL_JS2 = re.compile(r"^[`'\"](postgres(?:ql)?|mysql2?|mariadb|mongodb(?:\+srv)?)://[^`'\"\s]*?[?&]"
                         r"(connect_timeout|connectTimeout|connectTimeoutMS|socketTimeoutMS|serverSelectionTimeoutMS)"
                         r"=(\d+)\b")


def _connection_url_timeouts_js2(ctx: FileContext, taken) -> None:
    """`const connectionString = `postgresql://${user}:${pw}@${host}:${port}/${db}?connect_timeout=300``
    (round 16, runtipi): a database URL written in the code carries its driver's timeout (libpq's
    connect_timeout in seconds, MySQL's connectTimeout and MongoDB's *TimeoutMS in ms), on the string's
    line. Test files are not read (their URLs point at throwaway databases)."""
    if _TEST_CONFIG.search(ctx.path):
        return
    text = ctx.data.decode("utf-8", "replace")
    for found in re.finditer(r"[`'\"](?:postgres|mysql|mariadb|mongodb)", text):
        start = len(text[:found.start()].encode("utf-8"))
        node = ctx.tree.root_node.descendant_for_byte_range(start, start + 1)
        while node is not None and node.type not in ("template_string", "string"):
            node = node.parent
        match = _DB_URL_JS2.match(ts.text(node)) if node is not None else None
        if match is None:
            continue
        phase, scale = _URL_TIMEOUTS_JS2[match.group(2)]
        ms = float(match.group(3)) * scale
        if not ms:
            continue
        line = node.start_point[0] + 1
        if (line, "timeout") in taken:
            continue
        attrs = {"expression": f"{match.group(2)}={match.group(3)}", "timeout_ms": normalise_ms(ms),
                 "resolved_from": "literal", "phase": phase, "scope": "client"}
        _emit(ctx, "timeout", node, attrs, "high", (), taken)


def _emit(ctx: FileContext, kind: str, node: ts.Node, attrs: dict, confidence: str, pending, taken) -> None:
    line = node.start_point[0] + 1
    if (line, kind) in taken and not (kind == "timeout" and _other_phase(ctx, line, attrs.get("phase"))):
        return  # a library detector already reported this setting
    taken.add((line, kind))
    ctx.finding(kind, node, ID, attrs, confidence, None, pending)


def _other_phase(ctx: FileContext, line: int, phase) -> bool:
    """`new NodeHttpHandler({ connectionTimeout: 300, requestTimeout: 1500 })`: a second bound on a
    line that holds one of another phase is a setting of its own."""
    here = [f for f in ctx.findings if f.kind == "timeout" and f.line == line]
    return bool(here) and phase is not None and all(f.attributes.get("phase") != phase for f in here)


_SMITHY_HANDLERS = re.compile(r"(^|\.)(NodeHttpHandler|NodeHttp2Handler)$")


def _smithy_handler(obj: ts.Node) -> bool:
    """`requestHandler: new NodeHttpHandler({ connectionTimeout, requestTimeout })`: the AWS SDK v3's
    HTTP handler (from @smithy/node-http-handler or @aws-sdk/node-http-handler)."""
    args = obj.parent
    call = args.parent if args is not None and args.type == "arguments" else None
    return call is not None and call.type == "new_expression" and \
        bool(_SMITHY_HANDLERS.search(ts.text(call.child_by_field_name("constructor"))))


_LOG_CALL = re.compile(r"^(?:(?:this\.)?(?:log|logger|_logger|console|\w*[lL]ogger)\.)"
                       r"(?:trace|debug|info|warn|warning|error|fatal|log|verbose|silly|child)$")


def _logged_object_js1(obj: ts.Node) -> bool:
    """An object literal handed straight to a logger's method (round 14, js1: snyk broker's web server logs
    its `requestTimeout`): the fields of a log line, no client's options."""
    args = obj.parent
    call = args.parent if args is not None and args.type == "arguments" else None
    if call is None or call.type != "call_expression":
        return False
    return bool(_LOG_CALL.match(dotted(call.child_by_field_name("function"))))


def _retry(ctx: FileContext, node: ts.Node, value: ts.Node | None, offset: float, library: str | None,
           taken, backoff: str | None = None, retry_on: str | None = None, zero_unbounded: bool = False) -> None:
    value = unwrap(value)
    if value is not None and value.type in ("array", "regex"):
        return  # `retries: [RE_TYPE_NUM, RE_POS_INT]`: a validation rule for the key, no setting
    # (`maxRetriesPerRequest: -1`: a negative count is no limit)
    if value is not None and (value.type in ("null", "undefined") or ts.text(value).replace(" ", "").startswith("-") or
                              (zero_unbounded and ts.text(value) in ("0", "Infinity"))):
        attempts, confidence, pending = None, "high", ()  # no limit
    else:
        attempts, confidence, pending = ctx.count_value(value, offset)
    attrs = {"max_attempts": attempts, "backoff": backoff, "retry_on": retry_on, "mechanism": "client_config",
             "library": library}
    _emit(ctx, "retry", node, attrs, confidence if attempts is not None or not pending else "medium", pending,
          taken)


_REDIS_ONLY_KEYS = frozenset({"maxRetriesPerRequest", "enableReadyCheck", "retryStrategy", "enableOfflineQueue",
                              "reconnectStrategy",  # (round 20, js2) node-redis socket options (nango)
                              "enableAutoPipelining", "sentinelRetryStrategy"})
_SECONDS_NAME = re.compile(r"(_SECS?|_SECONDS|Seconds|Secs?|_S)\b")


def _timeout(ctx: FileContext, node: ts.Node, value: ts.Node, phase: str, taken, unit_by_name: bool = True) -> None:
    if unwrap(value) is None or unwrap(value).type in ("null", "undefined"):
        return  # sets nothing
    if unwrap(value).type in ("array", "regex"):
        return  # `timeout: [RE_TYPE_NUM, RE_POS_INT]`: a validation rule for the key, no setting
    raw = ts.text(value)
    literal = ms_string(string_value(value))
    if literal is not None:  # `'10 minute'`, `"30s"`: the ms package's notation (Temporal, others)
        attrs = {"expression": raw, "timeout_ms": normalise_ms(literal), "resolved_from": "literal",
                 "phase": phase, "scope": "client"}
        _emit(ctx, "timeout", node, attrs, "high", (), taken)
        return
    # `timeout: DEFAULT_TIMEOUT_SEC`: the name says seconds (unless the expression converts them)
    # (not where the library fixes the unit: superagent's and AgentConfig's milliseconds, whatever the
    # environment variable is called, `get('COMPONENT_API_TIMEOUT_SECONDS', 5000)`)
    scale = 1000.0 if unit_by_name and _SECONDS_NAME.search(raw) and not re.search(r"1000|1e3|1_000", raw) else 1.0
    attrs, confidence, pending = ctx.timeout_value(value, scale)
    attrs["phase"] = phase
    attrs["scope"] = "client"
    _emit(ctx, "timeout", node, attrs, confidence, pending, taken)


def _pair(ctx: FileContext, pair: ts.Node, key: str, taken) -> None:
    obj = pair.parent
    if obj is None or obj.type != "object":
        return
    if _logged_object_js1(obj):
        return  # `logger.info({ port, requestTimeout: server.requestTimeout }, "listening")`: a log line's fields
    siblings = object_props(obj) or {}
    if pair.type == "shorthand_property_identifier":
        value = pair  # `{ connectionTimeout }`: the name is the value
    else:
        value = pair.child_by_field_name("value") if pair.type == "pair" else None
    if pair.type == "pair" and _SCHEMA_BUILDER.match(ts.text(unwrap(value)) if unwrap(value) is not None else ""):
        return  # `timeout: Joi.number().min(0)`, `retries: z.number()`: a schema that validates a setting
    if pair.type == "pair" and _orm_column_js2(value):
        return  # `attempts: integer('attempts').notNull().default(0)`: a table's column, not a setting (round 15)
    if _package_options.handled(ctx, pair, key, value, obj, taken):
        return  # Upstash, better-fetch, pacote options (round 12)
    if key in ("timeoutMillis", "timeoutMs"):
        # `opentelemetry: { url, headers, timeoutMillis: parseOptionalInt(env.X) }` (round 12): a remote
        # API's configuration spelling its timeout in ms, as `timeout` there
        if pair.type == "pair" and value is not None and _api_config(ctx, obj, siblings):
            _api_timeout(ctx, value, taken)
        return
    if key in ("signal", "fetchRetries"):
        return
    if key == "generateTimeout":
        # (round 18, js1) hapi's server-method / catbox policy cache `{ expiresIn, generateTimeout: ONE_MINUTE }`
        # around a token request (DEFRA's water-abstraction-system): how long a caller waits for the generate
        # function's (remote) answer before failing; `false` waits without a bound
        if value is not None and pair.type == "pair" and siblings.keys() & {"expiresIn", "expiresAt", "staleIn",
                                                                            "segment", "generateFunc", "cache"} \
                and unwrap(value) is not None and unwrap(value).type not in ("false", "object"):
            # (an object is a configuration schema's entry: convict `generateTimeout: { default: '11 seconds',
            # format: 'duration' }` next to `expiresIn: {...}`, round 19, js1: fxa-profile-server)
            _timeout(ctx, pair, value, "total", taken)
        return
    if key in ("onRateLimit", "onSecondaryRateLimit"):
        _octokit_throttle(ctx, pair, value if pair.type == "pair" else pair, taken)
    elif key == "retry" and pair.type == "pair" and _octokit_retry_options_r16(ctx, unwrap(value)):
        _octokit_retry_r16(ctx, pair, unwrap(value), taken)
    elif key == "retries" and pair.type == "pair" and _octokit_request_options_r16(ctx, obj):
        # Octokit's per-request `request: { retries: 1 }`: n + 1 tries, at the called name (a request call's option)
        call = _call_of_argument(obj.parent.parent)
        func = call.child_by_field_name("function") if call is not None else None
        where = func.child_by_field_name("property") if func is not None and func.type == "member_expression" else call
        if where is not None:
            _retry(ctx, where, value, 1.0, "octokit", taken)
    elif key == "maxRetriesPerRequest" and not ("connection" in siblings and pair.type == "pair"):
        # (round 22, js2) next to a `connection:` (BullMQ's queue / worker options: `{ connection: this._connection,
        # maxRetriesPerRequest: null }`) the key is no ioredis option: BullMQ does not read it (grist's GristJobs)
        _retry(ctx, pair, value, 1.0, "ioredis", taken)
    elif key in ("headersTimeout", "bodyTimeout") and value is not None and _undici_options(ctx, obj):
        # undici's Agent/Pool/Client: the wait for response headers, and between body chunks
        _timeout(ctx, pair, value, "read", taken)
    elif key == "maxRetries" and value is not None and _undici_retry(ctx, obj):
        # a retry policy call, reported on the call as axios-retry's is
        _retry(ctx, _call_of_argument(obj), value, 1.0, "undici", taken, backoff="exponential")
    elif key == "maxRetries" and value is not None and siblings.keys() & {"autoReconnect", "reconnect"}:
        return  # Bun's RedisClient `{ autoReconnect: true, maxRetries: 20 }`: reconnects, not a call's retries
    elif key == "maxRetries" and value is not None and _named_client(ctx, obj):
        # `new OpenAI({ apiKey, maxRetries: 2 })`, `new Client({ node, maxRetries: 5 })` (Elasticsearch):
        # retries after the first try
        _retry(ctx, pair, value, 1.0, None, taken)
    elif key == "maxAttempts" and value is not None and _named_client(ctx, obj, aws=True):
        _retry(ctx, pair, value, 0.0, "aws-sdk", taken)  # AWS SDK v3 clients: every try counted
    elif key in ("retryConfig", "retryOptions") and _named_client(ctx, obj):
        inner = object_props(unwrap(value)) if unwrap(value) is not None and unwrap(value).type == "object" else {}
        count = (inner or {}).get("retries") or (inner or {}).get("maxRetries")
        if count is not None:  # Slack WebClient retryConfig.retries, Google Cloud retryOptions.maxRetries
            _retry(ctx, pair, count, 1.0, None, taken)
    elif key == "commandTimeout" and value is not None and (_client_argument(ctx, obj) or (
            siblings.keys() & _REDIS_ONLY_KEYS and not _serialised(obj))):  # (round 20, js2) a spread base object
        _timeout(ctx, pair, value, "total", taken)  # ioredis: each command's bound
    elif key in ("retryStrategy", "clusterRetryStrategy", "reconnectStrategy"):
        if pair.type == "shorthand_property_identifier":
            # `const retryStrategy = (times) => ...; new Redis({ host, retryStrategy })` (round 10): a
            # strategy function of the file's, handed by name
            made = unwrap(ctx.local_value(key, pair))
            if made is None or made.type not in ("arrow_function", "function_expression", "function"):
                return
            from extractors.javascript.shared_policy_ts2 import shared_definition_ts2
            shared = shared_definition_ts2(ctx, key, made)
            if shared is not None:
                # (round 21, ts2) one strategy handed to several clients (grist's PubSubManager: `new
                # IORedis(url, { retryStrategy })` twice): a policy used in several places, at its definition
                _retry(ctx, shared, None, 0.0, "ioredis", taken, backoff=None, retry_on="connection")
                return
        if unwrap(value) is not None and unwrap(value).type == "new_expression":
            return  # the AWS SDK v3's `retryStrategy: new ConfiguredRetryStrategy(4)`: read by driver_options
        if key == "retryStrategy" and unwrap(value) is not None and unwrap(value).type in ("identifier",
                                                                                        "member_expression"):
            # (round 19, js2) `new LambdaClient({ retryStrategy: RETRY_STRATEGY })`: a strategy object made
            # elsewhere (sst-console's `new StandardRetryStrategy(async () => 10000, ..)` in util/aws.ts),
            # reported once where it is made (drivers); not an ioredis reconnect function at each client
            made = unwrap(ctx.local_value(ts.text(unwrap(value)), pair)) if unwrap(value).type == "identifier" else None
            if made is not None and made.type == "new_expression" or made is None and _named_client(ctx, obj, aws=True):
                return
        from extractors.javascript.ternary_js2 import reconnect_switched_off_js2
        if reconnect_switched_off_js2(value):  # (round 20, js2) `reconnectStrategy: () => false`: no reconnect
            _emit(ctx, "retry", pair, {"max_attempts": 1, "backoff": None, "retry_on": "connection",
                                       "mechanism": "client_config", "library": "ioredis"}, "high", (), taken)
            return
        _retry(ctx, pair, None, 0.0, "ioredis", taken, backoff=None, retry_on="connection")
    elif key == "retryDelays" and unwrap(value) is not None and unwrap(value).type == "array" and \
            _imports_module(ctx, "tus-js-client"):
        # tus-js-client's `retryDelays: [0, 1000, 3000, 5000]` (round 10): one retry after each delay
        delays = [e for e in unwrap(value).named_children if e.type != "comment"]
        attrs = {"max_attempts": len(delays) + 1, "backoff": "fixed" if len({ts.text(e) for e in delays}) == 1
                 else "exponential", "retry_on": None, "mechanism": "client_config", "library": "tus-js-client"}
        _emit(ctx, "retry", pair, attrs, "high", (), taken)
    elif key == "transactionOpts" and value is not None and _client_argument(ctx, obj):
        # Baileys' socket config `transactionOpts: { maxCommitRetries: 10, delayBetweenTriesMs }`
        # (round 9): the signal-key store commit is tried that many times in all
        inner = object_props(unwrap(value)) if unwrap(value) is not None and unwrap(value).type == "object" else {}
        if (inner or {}).get("maxCommitRetries") is not None:
            _retry(ctx, pair, inner["maxCommitRetries"], 0.0, "baileys", taken)
    elif key == "retryCount" and (siblings.keys() & {"retryDelay", "retryJitter"} or _redlock_options(ctx, obj)):
        _retry(ctx, pair, value, 1.0, "redlock", taken, backoff="fixed")
    elif key == "retry":
        inner = object_props(unwrap(value)) if unwrap(value) is not None and unwrap(value).type == "object" \
            else _conditional_object(value)
        if not inner:
            return
        if "maximumAttempts" in inner:  # Temporal's RetryPolicy: total tries, 0 = without a limit
            coefficient = unwrap(inner.get("backoffCoefficient"))
            _retry(ctx, pair, inner["maximumAttempts"], 0.0, "temporal", taken,
                   backoff="fixed" if coefficient is not None and ts.text(coefficient) in ("1", "1.0") else "exponential",
                   zero_unbounded=True)
        elif "retries" in inner:
            _retry(ctx, pair, inner["retries"], 1.0, None, taken,
                   backoff="exponential" if inner.keys() & {"initialRetryTime", "factor", "multiplier"} else None)
        elif "max" in inner and inner.keys() & {"match", "backoffBase", "backoffExponent"}:
            _retry(ctx, pair, inner["max"], 0.0, "sequelize", taken,
                   backoff="exponential" if "backoffExponent" in inner else None)
        elif "limit" in inner and inner.keys() & {"calculateDelay", "maxRetryAfter", "statusCodes", "errorCodes",
                                                    "backoffLimit"} and not _read_by_call(ctx, pair):
            # got's retry options in an object the file merges into its client's defaults (round 12, renovate:
            # `this.options = merge(options, { retry: { limit: retryLimit, calculateDelay, maxRetryAfter: 0 } })`):
            # retries after the first try
            _retry(ctx, inner["limit"].parent or pair, inner["limit"], 1.0, "got", taken, backoff="exponential")
    elif key == "retries" and "timeout" in siblings and _client_pair(ctx, obj):
        _retry(ctx, pair, value, 1.0, None, taken)
    elif key == "timeout" and _es_duration(value) is not None and siblings.keys() & {"body", "index", "q", "query"} \
            and _imports_module(ctx, "elasticsearch", "@elastic/elasticsearch", "@opensearch-project/opensearch"):
        # an Elasticsearch / OpenSearch request's `timeout: '10s'`: the search's time limit
        attrs = {"expression": ts.text(value), "timeout_ms": _es_duration(value), "resolved_from": "literal",
                 "phase": "total", "scope": "call"}
        _emit(ctx, "timeout", pair, attrs, "high", (), taken)
    elif key == "timeout" and _es_templated(value) is not None and siblings.keys() & {"body", "index", "q", "query"} \
            and (_imports_module(ctx, "elasticsearch", "@elastic/elasticsearch", "@opensearch-project/opensearch")
                 or _es_request_call(obj)):
        # `client.search({ timeout: `${timeoutInSeconds}s`, index, body })` (round 12, a client the file
        # is handed): the search's time limit, the substitution in the unit the template names
        inner, unit = _es_templated(value)
        attrs, confidence, pending = ctx.timeout_value(inner, unit)
        attrs["phase"] = "total"
        attrs["scope"] = "call"
        _emit(ctx, "timeout", pair, attrs, confidence, pending, taken)
    elif key == "timeout":
        holder = obj.parent
        if holder is not None and holder.type == "pair" and \
                key_name(holder.child_by_field_name("key")) == "transactionOptions" and value is not None:
            # `new PrismaClient({ transactionOptions: { maxWait, timeout } })`: every interactive
            # transaction's default bound (maxWait only bounds getting a connection)
            _timeout(ctx, pair, value, "total", taken)
        elif "retries" in siblings and _client_pair(ctx, obj):
            _timeout(ctx, pair, value, "total", taken)
        elif siblings.keys() & _AGENT_KEYS or _keepalive_agent(ctx, obj):
            _timeout(ctx, pair, value, "idle", taken)
        elif value is not None and _TEST_CONFIG.search(ctx.path) is None:
            phase = _timeout_of_client(ctx, obj) or (
                "total" if _typed_options(ctx, obj) and not _read_at_call(ctx, obj) else None)
            if phase:
                _timeout(ctx, pair, value, phase, taken)
            elif pair.type == "pair" and _api_config(ctx, obj, siblings):
                _api_timeout(ctx, value, taken)
    elif key in ("startToCloseTimeout", "scheduleToCloseTimeout") and value is not None:
        _timeout(ctx, pair, value, "total", taken)  # Temporal activity options: only Temporal spells these
    elif key in _DRIVER_KEYS and value is not None and _TEST_CONFIG.search(ctx.path) is None and \
            not _serialised(obj):
        _timeout(ctx, pair, value, _CONNECT_KEYS[key], taken)  # only a driver's options spell these
    elif key in _CONNECT_KEYS and value is not None and (_client_argument(ctx, obj) or _package_sdk_call(ctx, obj)):
        _timeout(ctx, pair, value, _CONNECT_KEYS[key], taken)
    elif key in ("query_timeout", "statement_timeout", "idle_in_transaction_session_timeout") and value is not None \
            and (siblings.keys() & {"connectionTimeoutMillis"} or _typeorm_extra_js2(obj) or _reaches_pg_js2r22(ctx, obj)) \
            and _TEST_CONFIG.search(ctx.path) is None and not _serialised(obj):
        # `{ connectionTimeoutMillis, query_timeout }` (round 11): pg's own spelling beside a key only pg reads
        # makes the object pg's options wherever it goes (a DEFAULT_POOL_CONFIG spread into each pool)
        _timeout(ctx, pair, value, _CONNECT_KEYS.get(key, "total"), taken)
    elif key in _CONNECT_KEYS and value is not None and siblings.keys() & _REDIS_ONLY_KEYS and not _serialised(obj):
        # `return { host, port, maxRetriesPerRequest: null, connectTimeout: 15000 }` (round 10): keys
        # only ioredis reads make the object its options, wherever it is handed (BullMQ's
        # `connection: getRedisConnection()` in another file)
        _timeout(ctx, pair, value, _CONNECT_KEYS[key], taken)
    elif key in ("requestTimeout", "request_timeout") and value is not None and not _forwarded(value) and \
            _request_method_argument(ctx, obj):
        _timeout(ctx, pair, value, "total", taken)
    elif key in ("requestTimeout", "socketTimeout") and value is not None and not _forwarded(value) and \
            _smithy_handler(obj):
        _timeout(ctx, pair, value, "total", taken)  # the AWS SDK v3 handler: each request's bound
    elif key in _CONNECT_KEYS and pair.type == "pair" and _literal_setting(value) and "host" in siblings and \
            siblings.keys() & {"port", "auth", "user", "password", "secure"} and not _serialised(obj):
        # `config: { host, port, connectionTimeout: 30 * 1000, auth }` built for a mail or database
        # driver elsewhere (a factory's return value): where to connect says it is a client's
        _timeout(ctx, pair, value, _CONNECT_KEYS[key], taken)
    elif key == "max_execution_time" and value is not None and _clickhouse_settings(ctx, obj):
        # ClickHouse's per-query time limit, in seconds (`clickhouse_settings: { max_execution_time }`)
        attrs, confidence, pending = ctx.timeout_value(value, 1000.0)
        attrs["phase"], attrs["scope"] = "total", "client"
        _emit(ctx, "timeout", pair, attrs, confidence, pending, taken)
    elif key in ("maxRetryDuration", "maxRetryTime", "retryDuration") and value is not None and \
            not siblings.keys() & {"retries", "maxRetries", "retry", "attempts", "maxAttempts", "numOfAttempts"} and \
            _reaching_call(ctx, obj) is not None and _not_call_options_of_retry_fn(ctx, obj):
        # a client's retry budget in time (`Client({ username, maxRetryDuration: 32 })`): retries
        # without a count, until that much time has passed
        _retry(ctx, pair, None, 0.0, None, taken)
    elif key == "connect_timeout" and value is not None and _libpq_params(ctx, obj, siblings):
        # libpq's connection parameter (a Postgres URL's `?connect_timeout=10`, postgres.js' option):
        # seconds to wait for the connection
        attrs, confidence, pending = ctx.timeout_value(value, 1000.0)
        attrs["phase"], attrs["scope"] = "connect", "client"
        _emit(ctx, "timeout", pair, attrs, confidence, pending, taken)
    elif key == "autoSelectFamilyAttemptTimeout" and value is not None:
        # node's net/http agents: each address's connection attempt (Happy Eyeballs)
        _timeout(ctx, pair, value, "connect", taken)
    elif key == "attempts" and value is not None and _job_options(ctx, obj, siblings):
        delay = unwrap(siblings.get("backoff"))
        kind = None
        if delay is not None:
            if delay.type == "object":
                kind = string_value((object_props(delay) or {}).get("type"))
            elif delay.type == "number":
                kind = "fixed"
        _retry(ctx, pair, value, 0.0, "bullmq", taken, backoff=kind if kind in ("fixed", "exponential") else None)


_RETRY_POLICY_NAME = re.compile(r"^(retry_?(default_?)?(policy|options|config|settings)|default_?retry_?(policy|options|config)|"
                                r"[a-z]*RetryPolicy|[a-z]*RetryOptions|[a-z]*RetryConfig)$", re.I)


_RETRY_LIBRARY_CALLS_R18FIX = frozenset({"promise-retry", "promise-retry.default", "p-retry", "p-retry.default",
                                          "async-retry", "async-retry.default"})


def _retry_policy_objects(ctx: FileContext, taken) -> None:
    """`export const retryDefaultPolicy: retryPolicy = { retries: MESSAGES_RETRY_COUNT, delays }` (round 12,
    Jitsu's rotor): an object declared as a retry policy (by its name or its type) whose `retries` /
    `maxRetries` count the tries after the first (`maxAttempts` / `attempts` all of them), on the key's
    line; not when a call of this file that a library detector read is handed the object."""
    if b"etr" not in ctx.data:
        return
    for decl in ctx.nodes_of("variable_declarator"):
        name, value = decl.child_by_field_name("name"), unwrap(decl.child_by_field_name("value"))
        if name is None or value is None or value.type != "object" or name.type != "identifier":
            continue
        type_node = decl.child_by_field_name("type")
        type_text = ts.text(type_node).lstrip(": ").strip() if type_node is not None else ""
        if not (_RETRY_POLICY_NAME.match(ts.text(name)) or re.fullmatch(r"[\w.]*retry_?(policy|options|config)",
                                                                         type_text, re.I)):
            continue
        handed = [c for c in ctx.calls if any(unwrap(a) is not None and ts.text(unwrap(a)) == ts.text(name)
                                               for a in c.args)]
        if any(f.kind == "retry" and any(c.node.start_point[0] + 1 <= f.line <= c.node.end_point[0] + 1
                                         for c in handed) for f in ctx.findings):
            continue
        if any(c.qualified in _RETRY_LIBRARY_CALLS_R18FIX for c in handed):
            continue  # (round 18 fixes) the library's detector decides (a promise-retry status poll is none)
        props = object_props(value) or {}
        for key, offset in (("retries", 1.0), ("maxRetries", 1.0), ("maxAttempts", 0.0), ("attempts", 0.0)):
            member = props.get(key)
            if member is not None and member.parent is not None:
                _retry(ctx, member.parent if member.parent.type == "pair" else member, member, offset, None, taken)
                break


# round 11: the object describing one remote API in a service's configuration module (the HMPPS
# template's `apis: { prisonApi: { url, timeout: { response, deadline }, agent } }`), known by where to
# call (`url`, `baseUrl`, `endpoint`...) or by the key holding it (`apis: { name: {...} }`)
_API_URL_KEYS = re.compile(r"^(url|uri|baseUrl|baseURL|baseUri|apiUrl|apiURL|apiBaseUrl|serviceUrl|endpoint|"
                           r"endpointUrl|rootUrl|serverUrl|serverURL)$")  # (serverUrl: dynamics-web-api, round 18)
_API_HOLDERS = re.compile(r"^(apis|services|clients|upstreams|backends|remotes|integrations|dependencies)$", re.I)
_NOT_A_CLIENT_HOLDER = re.compile(r"server|listen|session|cookie|cache|ui|page|toast|modal|animation|test|mock|"
                                  r"job|worker|lock|poll", re.I)


# tests, mocks, seed data and fixtures: sample records, not the service's settings
_NOT_A_CONFIG_PATH = re.compile(r"(^|/)(__mocks__|__tests__|tests?|e2e|mocks?|fixtures?|seeds?)/|\.(test|spec|stories)\.\w+$|"
                                r"(^|/)[\w.-]*(mock|seed|fixture|stub|fake)[\w.-]*\.\w+$", re.I)


def _from_record(value: ts.Node) -> bool:
    """`timeout: row.timeout`, `timeout: this.timeout * 1000`, `BigInt(dbMon.timeout)`: a value copied
    from a record (a monitor's row, the object's own field, a parameter), not a setting written here."""
    for node in [value, *descendants(value)]:
        if node.type == "this":
            return True
        if node.type == "identifier" and _forwarded(node):
            return True
        if node.type == "member_expression":
            root = node
            while root.type in ("member_expression", "subscript_expression") and root.child_by_field_name("object") is not None:
                root = root.child_by_field_name("object")
            if root.type == "identifier" and _function_local(root):
                return True  # `const m = await getMonitor(..); return { url: m.url, timeout: m.timeout }`
    return False


def _function_local(name_node: ts.Node) -> bool:
    """The name is a variable a function around it declares (`const m = ...`, `for (const row of rows)`)."""
    pattern = re.compile(r"\b(const|let|var)\s+" + re.escape(ts.text(name_node)) + r"\b")
    return any(parent.type in FUNCTION_TYPES and pattern.search(ts.text(parent.child_by_field_name("body") or parent))
               for parent in ts.ancestors(name_node))


def _api_config(ctx: FileContext, obj: ts.Node, siblings: dict) -> bool:
    """An object literal of configuration describing a remote API: it names where to call (a `url`,
    `baseUrl`, `endpoint` member) or sits under `apis`/`services`/`clients`; a configuration object,
    not a call's own options (those are read at the call by the client's detector) nor a server's,
    a session's or a test's."""
    if _TEST_CONFIG.search(ctx.path) or _NOT_A_CONFIG_PATH.search(ctx.path):
        return False
    if _call_of_argument(obj) is not None or _serialised(obj) or _read_at_call(ctx, obj) or \
            _handed_to_request_helper_js1(ctx, obj):
        return False  # a call's own options: read at the call by its client's detector
    holder = obj.parent
    while holder is not None and holder.type in ("satisfies_expression", "as_expression", "parenthesized_expression"):
        holder = holder.parent
    name = None
    if holder is not None and holder.type == "pair":
        name = key_name(holder.child_by_field_name("key"))
    elif holder is not None and holder.type == "variable_declarator":
        name = ts.text(holder.child_by_field_name("name"))
    if name and _NOT_A_CLIENT_HOLDER.search(name) and not _API_HOLDERS.match(name):
        return False
    if any(_API_URL_KEYS.match(k) for k in siblings):
        return True
    outer = holder.parent if holder is not None and holder.type == "pair" else None
    grand = outer.parent if outer is not None and outer.type == "object" else None
    return grand is not None and grand.type == "pair" and bool(_API_HOLDERS.match(key_name(grand.child_by_field_name("key")) or ""))


def _api_timeout(ctx: FileContext, value: ts.Node, taken) -> None:
    """`timeout: { response: 10000, deadline: 10000 }` (superagent's shape: the wait for the response,
    the whole request), each on its own line, or `timeout: 5000` (the request's bound)."""
    inner = unwrap(value)
    if inner is None:
        return
    if inner.type == "identifier":
        resolved = ctx.resolve_object(inner)
        if resolved is not None and resolved.type == "object":
            inner = resolved
    if inner.type == "object":
        start = len(ctx.findings)
        for member in inner.named_children:
            if member.type != "pair":
                continue
            phase = {"response": "read", "deadline": "total"}.get(key_name(member.child_by_field_name("key")) or "")
            if phase is not None and member.child_by_field_name("value") is not None and \
                    not _from_record(member.child_by_field_name("value")):
                _timeout(ctx, member, member.child_by_field_name("value"), phase, taken, unit_by_name=False)
        if inner == unwrap(value):  # (round 20, jsfix2) a block the project's own helper is handed
            from extractors.javascript.detectors.superagent_spec_jsfix2 import unless_handed
            unless_handed(ctx, value, start)
        return
    if inner.type in ("string", "template_string") and ms_string(string_value(inner)) is None:
        return  # `timeout: 'The service timed out'`: a message, not a bound
    if inner.type in FUNCTION_TYPES or inner.type in ("true", "false", "array") or _from_record(inner):
        return
    _timeout(ctx, value.parent, value, "total", taken)


def _keepalive_agent(ctx: FileContext, obj: ts.Node) -> bool:
    """`new HttpsAgent({ timeout })` with the agent from agentkeepalive: the socket's idle bound."""
    call = _call_of_argument(obj)
    if call is None or call.type != "new_expression":
        return False
    constructor = dotted(call.child_by_field_name("constructor"))
    head = constructor.split(".", 1)[0]
    return ctx.imports.get(head, "").split(".", 1)[0] == "agentkeepalive"


def _agent_configs(ctx: FileContext, taken) -> None:
    """`agent: new AgentConfig(Number(get('X_TIMEOUT_RESPONSE', 10000)))` (round 11, the HMPPS
    template; @ministryofjustice/hmpps-rest-client or the project's own class): the keep-alive
    agent's socket timeout its clients are built with."""
    if b"AgentConfig" not in ctx.data:
        return
    for call in ctx.calls:
        if not call.is_new or call.name != "AgentConfig" or not call.args:
            continue
        value = call.arg(0)
        if unwrap(value) is None or unwrap(value).type not in ("number", "identifier", "member_expression",
                                                                 "call_expression", "binary_expression"):
            continue
        if _forwarded(value):
            continue
        _timeout(ctx, call.node, value, "idle", taken, unit_by_name=False)


_SCHEMA_BUILDER = re.compile(r"(Joi|joi|z|yup|Yup|Type|t|v|S|Schema|schema)\.[A-Za-z]+\(")

# round 15 (js2): a database table's column or a document schema's field named like a setting
# (drizzle `attempts: integer('attempts').notNull()`, Sequelize `retries: DataTypes.INTEGER` /
# `{ type: DataTypes.INTEGER, defaultValue: 0 }`, mongoose `{ type: Number, default: 0 }`)
_ORM_COLUMN_BUILDER_JS2 = re.compile(
    r"^(integer|int|bigint|smallint|tinyint|mediumint|serial|bigserial|smallserial|numeric|decimal|real|"
    r"doublePrecision|double|float|text|varchar|char|boolean|timestamp|datetime|date|json|jsonb|"
    r"uuid)\(\s*['\"`]")
_ORM_TYPE_JS2 = re.compile(r"^(DataTypes|Sequelize|DataType|Schema\.Types)\.[A-Z]\w*(\(|$)|^(Number|String|Boolean|Date)$")


def _orm_column_js2(value: ts.Node | None) -> bool:
    value = unwrap(value)
    if value is None:
        return False
    if value.type in ("call_expression", "member_expression", "identifier"):
        text = ts.text(value)
        return bool(_ORM_COLUMN_BUILDER_JS2.match(text) or
                    value.type == "member_expression" and _ORM_TYPE_JS2.match(text))
    if value.type == "object":
        kind = unwrap((object_props(value) or {}).get("type"))
        return kind is not None and bool(_ORM_TYPE_JS2.match(ts.text(kind)))
    return False


_ES_UNITS = {"d": 86400000.0, "h": 3600000.0, "m": 60000.0, "s": 1000.0, "ms": 1.0, "micros": 1e-3, "nanos": 1e-6}


def _es_duration(value: ts.Node | None) -> float | None:
    """Elasticsearch's time units: `'10s'`, `'1m'`, `'500ms'`."""
    text = string_value(unwrap(value)) if unwrap(value) is not None else None
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(d|h|m|s|ms|micros|nanos)", text or "")
    return float(m.group(1)) * _ES_UNITS[m.group(2)] if m else None


def _es_templated(value: ts.Node | None):
    """`${timeoutInSeconds}s`: (the substitution, ms per unit) of a template that is one value and an
    Elasticsearch time unit; None otherwise."""
    node = unwrap(value)
    if node is None or node.type != "template_string":
        return None
    subs = [c for c in node.named_children if c.type == "template_substitution"]
    m = re.fullmatch(r"`\$\{[^}]*\}(d|h|m|s|ms)`", ts.text(node))
    if len(subs) != 1 or m is None or not subs[0].named_children:
        return None
    return subs[0].named_children[0], _ES_UNITS[m.group(1)]


_ES_REQUESTS = frozenset(("search", "msearch", "count", "deleteByQuery", "updateByQuery", "searchTemplate", "reindex"))


def _es_request_call(obj: ts.Node) -> bool:
    """`client.search({...})`: the request object handed to a search API method of a client."""
    args = obj.parent
    call = args.parent if args is not None and args.type == "arguments" else None
    fn = unwrap(call.child_by_field_name("function")) if call is not None and call.type == "call_expression" else None
    return fn is not None and fn.type == "member_expression" and \
        ts.text(fn.child_by_field_name("property")) in _ES_REQUESTS


def _read_by_call(ctx: FileContext, node: ts.Node) -> bool:
    """A library detector already reported a retry on the call whose arguments hold ``node``."""
    line = node.start_point[0] + 1
    return any(f.kind == "retry" and f.line <= line <= (f.end_line or f.line) for f in ctx.findings)


def _imports_module(ctx: FileContext, *modules: str) -> bool:
    return any(target == m or target.startswith(m + ".") or target.startswith(m + "/")
               for target in ctx.imports.values() for m in modules)


def _read_at_call(ctx: FileContext, obj: ts.Node) -> bool:
    """`const options: AxiosRequestConfig = { timeout }; axios(url, options)`: a library detector
    reports the timeout at the call the options variable is handed to."""
    declarator = obj.parent
    if declarator is not None and declarator.type == "assignment_expression" and \
            (declarator.child_by_field_name("left") or declarator).type == "identifier":
        name = ts.text(declarator.child_by_field_name("left"))  # (round 22, js1) `req = {...}; axios(req)`
    elif declarator is None or declarator.type != "variable_declarator":
        return False
    else:
        name = ts.text(declarator.child_by_field_name("name"))
    scope = next((p for p in ts.ancestors(declarator) if p.type in FUNCTION_TYPES), None) or ctx.tree.root_node
    for call in ctx.calls_in(scope):
        if any(unwrap(a) is not None and ts.text(unwrap(a)) == name for a in call.args):
            first, last = call.node.start_point[0] + 1, call.node.end_point[0] + 1
            if any(f.kind == "timeout" and first <= f.line <= last for f in ctx.findings):
                return True
    return False


def _clickhouse_settings(ctx: FileContext, obj: ts.Node) -> bool:
    """ClickHouse query settings: the value of `clickhouse_settings`, or typed `ClickHouseSettings`."""
    holder = obj.parent
    if holder is not None and holder.type == "pair" and key_name(holder.child_by_field_name("key")) == "clickhouse_settings":
        return True
    module = _typed_options(ctx, obj)
    return bool(module) and "clickhouse" in module


_RETRY_COUNT = re.compile(r"retr|count|attempt|times", re.I)
_JOB_KEYS = {"backoff", "removeOnComplete", "removeOnFail", "jobId", "priority", "lifo", "deduplication", "repeat"}


def _job_options(ctx: FileContext, obj: ts.Node, siblings) -> bool:
    """A queue job's options (Bull/BullMQ: `attempts` counts every try): `defaultJobOptions: {...}`,
    the options argument of `queue.add(name, data, {...})`, or an object beside `backoff`,
    `removeOnComplete`, `jobId`..."""
    if siblings.keys() & _JOB_KEYS:
        return True
    holder = obj.parent
    if holder is not None and holder.type == "pair" and \
            key_name(holder.child_by_field_name("key")) in ("defaultJobOptions", "jobOptions"):
        return True
    args = obj.parent
    call = args.parent if args is not None and args.type == "arguments" else None
    if call is None or call.type != "call_expression":
        return False
    fn = unwrap(call.child_by_field_name("function"))
    if fn is None or fn.type != "member_expression":
        return False
    method = ts.text(fn.child_by_field_name("property"))
    receiver = dotted(fn.child_by_field_name("object")).rsplit(".", 1)[-1]
    return method in ("add", "addBulk") and bool(re.search(r"queue", receiver, re.I)) and \
        [a for a in args.named_children if a.type != "comment"][-1:] == [obj]


def _octokit_throttle(ctx: FileContext, pair: ts.Node, fn: ts.Node | None, taken) -> None:
    """Octokit's throttling plugin: `throttle: { onRateLimit: (retryAfter, options, octokit,
    retryCount) => retryCount < 1 }` re-sends a rate-limited request while the callback returns
    true: `retryCount < N` is N retries (N + 1 tries), `<= N` one more, `true` without a limit;
    a callback that never returns true retries nothing (not reported)."""
    fn = unwrap(fn)
    if fn is None or fn.type not in FUNCTION_TYPES:
        return
    body = unwrap(fn.child_by_field_name("body"))
    if body is None:
        return
    returned = [body] if body.type != "statement_block" else [
        unwrap(n.named_children[0]) for n in descendants(body, stop_at_functions=True)
        if n.type == "return_statement" and n.named_children]
    if body.type == "statement_block":
        # `if (retryCount < 3) { return true; }` (lead, round 16: taskcluster): the guard of a `return true`
        for node in descendants(body, stop_at_functions=True):
            if node.type != "if_statement":
                continue
            consequence = node.child_by_field_name("consequence")
            gives = [n for n in ([consequence] if consequence is not None and consequence.type == "return_statement"
                                 else descendants(consequence, stop_at_functions=True) if consequence is not None else [])
                     if n.type == "return_statement" and n.named_children and unwrap(n.named_children[0]) is not None
                     and unwrap(n.named_children[0]).type == "true"]
            if gives:
                # checked before the bare `return true` inside it, which alone would read as unbounded
                returned.insert(0, unwrap(node.child_by_field_name("condition")))
    for value in returned:
        if value is not None and value.type == "parenthesized_expression" and value.named_child_count == 1:
            value = unwrap(value.named_children[0])
        if value is None:
            continue
        if value.type == "true":
            _retry(ctx, pair, None, 0.0, "octokit", taken, retry_on="rate_limit")
            return
        if value.type != "binary_expression":
            continue
        op = ts.text(value.child_by_field_name("operator"))
        if op == "&&":
            # `retryCount < 1 && !isWrite`: the part of the conjunction that counts (lead, round 16)
            parts = [unwrap(value.child_by_field_name("left")), unwrap(value.child_by_field_name("right"))]
            value = next((p for p in parts if p is not None and p.type == "binary_expression"
                          and ts.text(p.child_by_field_name("operator")) in ("<", "<=")
                          and unwrap(p.child_by_field_name("left")) is not None
                          and _RETRY_COUNT.search(ts.text(unwrap(p.child_by_field_name("left"))))), None)
            if value is None:
                continue
            op = ts.text(value.child_by_field_name("operator"))
        left, right = unwrap(value.child_by_field_name("left")), value.child_by_field_name("right")
        if op in ("<", "<=") and left is not None and left.type == "identifier" and \
                _RETRY_COUNT.search(ts.text(left)) and right is not None:
            _retry(ctx, pair, right, 1.0 if op == "<" else 2.0, "octokit", taken, retry_on="rate_limit")
            return


_OCTOKIT_FILE = re.compile(rb"octokit|probot", re.I)
OCTOKIT_RETRY_DEFAULT = 3  # @octokit/plugin-retry: retries after the first try


def _octokit_retry_options_r16(ctx: FileContext, value: ts.Node | None) -> bool:
    """`retry: { doNotRetry: [..] }` / `{ enabled: false }` / `{ retries: n }` in a file using Octokit or
    probot: @octokit/plugin-retry's options (lead, round 16: taskcluster)."""
    if value is None or value.type != "object" or not _OCTOKIT_FILE.search(ctx.data):
        return False
    props = object_props(value) or {}
    return bool(props) and set(props) <= {"doNotRetry", "enabled", "retries", "retryAfterBaseValue"} and \
        bool(set(props) & {"doNotRetry", "enabled", "retries"})


def _octokit_retry_r16(ctx: FileContext, pair: ts.Node, value: ts.Node, taken) -> None:
    """The retry plugin: `enabled: false` 1 try, `retries: n` n + 1, else its default 3 retries (4 tries)."""
    props = object_props(value) or {}
    enabled = unwrap(props.get("enabled"))
    retries = props.get("retries")
    if not (enabled is not None and enabled.type == "false") and retries is not None:
        _retry(ctx, pair, retries, 1.0, "octokit", taken)
        return
    attempts = 1.0 if enabled is not None and enabled.type == "false" else float(OCTOKIT_RETRY_DEFAULT + 1)
    _emit(ctx, "retry", pair, {"max_attempts": attempts, "backoff": "exponential", "retry_on": None,
                               "mechanism": "client_config", "library": "octokit"}, "high", (), taken)


def _octokit_request_options_r16(ctx: FileContext, obj: ts.Node) -> bool:
    """`request: { retries: 1 }` inside a call's options object, in a file using Octokit or probot."""
    holder = obj.parent
    if holder is None or holder.type != "pair":
        return False
    key = holder.child_by_field_name("key")
    outer = holder.parent
    if key is None or ts.text(key) != "request" or outer is None or outer.type != "object":
        return False
    call = _call_of_argument(outer)
    if call is None:
        return False
    if _OCTOKIT_FILE.search(ctx.data):
        return True
    # `github.repos.listCommitStatusesForRef({.., request: { retries: 1 }})` on a client handed in: a method
    # of one of Octokit's REST namespaces
    func = call.child_by_field_name("function")
    holder_obj = func.child_by_field_name("object") if func is not None and func.type == "member_expression" else None
    namespace = holder_obj.child_by_field_name("property") if holder_obj is not None and \
        holder_obj.type == "member_expression" else None
    return namespace is not None and ts.text(namespace) in _OCTOKIT_NAMESPACES_R16


_OCTOKIT_NAMESPACES_R16 = frozenset({"repos", "checks", "issues", "pulls", "git", "users", "apps", "orgs", "actions",
                                     "teams", "search", "reactions", "gists", "activity", "rest"})


def _typeorm_extra_js2(obj: ts.Node) -> bool:
    """(round 20, js2) `{ type: 'postgres', ..., extra: { max: 15, statement_timeout: 10000 } }` (TypeORM's
    options, 0x-api's ormconfig): `extra` is handed to the pg driver's pool as its options."""
    pair = obj.parent
    if pair is None or pair.type != "pair" or ts.text(pair.child_by_field_name("key")) != "extra":
        return False
    outer = object_props(pair.parent) if pair.parent is not None else None
    kind = string_value(unwrap((outer or {}).get("type"))) if outer else None
    return bool(outer) and (kind in ("postgres", "cockroachdb", "aurora-postgres") or
                            bool(outer.keys() & {"entities", "migrations", "synchronize", "migrationsRun"}))


def _conditional_object(value: ts.Node | None):
    """`retry: isReadOnly ? undefined : { max: 3 }`: the object branch."""
    value = unwrap(value)
    if value is None or value.type != "ternary_expression":
        return None
    for branch in ("consequence", "alternative"):
        node = unwrap(value.child_by_field_name(branch))
        if node is not None and node.type == "object":
            return object_props(node)
    return None


_TEST_CONFIG = re.compile(r"(^|/)(playwright|jest|vitest|cypress|karma|wdio|mocha)[.\w-]*\.config\.\w+$|"
                          r"(^|/)\.mocharc\.\w+$")


def _request_method_argument(ctx: FileContext, obj: ts.Node) -> bool:
    """`this.dataProviderService.getQuotes({ items, requestTimeout: ms('30 seconds') })`: the key names
    a request's timeout, handed to a method of a service or client (passed on to its requests); not
    a server's options (`http.createServer({ requestTimeout })`) nor a retry library's."""
    call = _call_of_argument(obj)
    declarator = obj.parent
    if call is None and declarator is not None and declarator.type == "variable_declarator":
        # `const dataSettings: OtaDataSettings = { requestTimeout }; ...; this.#update(source, dataSettings)`
        name = ts.text(declarator.child_by_field_name("name"))
        scope = next((p for p in ts.ancestors(declarator) if p.type in FUNCTION_TYPES), None)
        call = next((c.node for c in (ctx.calls_in(scope) if scope is not None else [])
                     if c.node.start_byte > declarator.end_byte and "." in c.callee and
                     any(unwrap(a) is not None and unwrap(a).type == "identifier" and ts.text(unwrap(a)) == name
                         for a in c.args)), None)
    if call is None or call.type != "call_expression":
        return False
    fn = unwrap(call.child_by_field_name("function"))
    if fn is None or fn.type != "member_expression":
        return False
    name = ts.text(fn.child_by_field_name("property"))
    receiver = dotted(fn.child_by_field_name("object")).rsplit(".", 1)[-1]
    return not _SERVERISH.search(name) and not _SERVERISH.search(receiver or "") and \
        _not_call_options_of_retry_fn(ctx, obj)


def _forwarded(value: ts.Node) -> bool:
    """`getQuotes({ requestTimeout, symbols })`, `{ requestTimeout: timeout }`: a parameter of the
    function around it handed on, the setting is made by whoever called it."""
    value = unwrap(value)
    if value is None or value.type not in ("identifier", "shorthand_property_identifier"):
        return False
    name = ts.text(value)
    for parent in ts.ancestors(value):
        if parent.type in FUNCTION_TYPES:
            params = parent.child_by_field_name("parameters") or parent.child_by_field_name("parameter")
            if params is not None and re.search(r"(?<![\w$.])" + re.escape(name) + r"(?![\w$])", ts.text(params)):
                return True
    return False


# Vercel's AI SDK: one model call with its own `timeout` (ms) and `maxRetries` (retries after the first try)
_AI_SDK_CALLS = {"ai.generateText", "ai.streamText", "ai.generateObject", "ai.streamObject", "ai.embed",
                 "ai.embedMany"}


def _ai_sdk(ctx: FileContext, call, taken) -> None:
    """`generateText({ model, prompt, timeout: 30000, maxRetries: 1 })` imported from `ai`."""
    obj = unwrap(call.arg(0))
    if obj is None or obj.type != "object":
        return
    for pair in obj.named_children:
        if pair.type != "pair":
            continue
        key, value = key_name(pair.child_by_field_name("key")), pair.child_by_field_name("value")
        if key == "timeout" and value is not None:
            _timeout(ctx, pair, value, "total", taken)
        elif key == "maxRetries" and value is not None:
            _retry(ctx, pair, value, 1.0, "ai-sdk", taken, backoff="exponential")
        elif key == "abortSignal" and value is not None and "timeout" not in (ctx.props(obj) or {}):
            _ai_sdk_abort_signal_js2(ctx, call, pair, value, taken)


def _ai_sdk_abort_signal_js2(ctx: FileContext, call, pair: ts.Node, value: ts.Node, taken) -> None:
    """`generateText({ model, abortSignal: AbortSignal.timeout(AI_REQUEST_TIMEOUT_MS), messages })` (round
    16, rallly): the AI SDK call gives up when its signal fires; a signal bounded by time (also a
    controller a setTimeout aborts) is the call's timeout, on the key's line as `timeout:` is."""
    from contract_discovery.values import Expr
    from extractors.javascript.detectors.fetch import _UNKNOWN, signal_timeout
    ms = signal_timeout(ctx, value, call.node)
    if ms is _UNKNOWN or ms is None or (pair.start_point[0] + 1, "timeout") in taken:
        return
    if isinstance(ms, Expr):
        attrs, confidence, pending = ctx.timeout_from_expr(ms, getattr(ms, "name", "") or str(ms))
    else:
        attrs, confidence, pending = ctx.timeout_value(ms)
    attrs["phase"] = "total"
    attrs["scope"] = "call"
    _emit(ctx, "timeout", pair, attrs, confidence, pending, taken)


def _transaction(ctx: FileContext, call, taken) -> None:
    """Prisma's interactive transaction: `prisma.$transaction(async (tx) => {...}, { timeout: 10000 })`
    (the transaction is rolled back after that long; `maxWait` only bounds getting a connection)."""
    for arg in call.args[1:]:
        obj = unwrap(arg)
        if obj is None or obj.type != "object":
            continue
        for pair in obj.named_children:
            if pair.type == "pair" and key_name(pair.child_by_field_name("key")) == "timeout" and \
                    pair.child_by_field_name("value") is not None:
                _timeout(ctx, pair, pair.child_by_field_name("value"), "total", taken)


# a client's wait for a task it started on the remote side (Meilisearch `index.waitForTask(uid, { timeOutMs })`)
_TASK_WAITS = {"waitForTask", "waitForTasks"}
_TASK_WAIT_KEYS = {"timeOutMs", "timeoutMs", "timeout"}


def _task_wait(ctx: FileContext, call, taken) -> None:
    """`client.index("links").waitForTask(task.taskUid, { timeOutMs: 10000 })`: the client polls the
    task and gives up after that long (the bound of the remote operation, on the key's line)."""
    for arg in call.args[1:]:
        obj = unwrap(arg)
        if obj is None or obj.type != "object":
            continue
        for pair in obj.named_children:
            if pair.type == "pair" and key_name(pair.child_by_field_name("key")) in _TASK_WAIT_KEYS and \
                    pair.child_by_field_name("value") is not None:
                _timeout(ctx, pair, pair.child_by_field_name("value"), "total", taken)


def _client_pair(ctx: FileContext, obj: ts.Node) -> bool:
    """`{ timeout, retries }` of a client, not a test runner's config (`defineConfig({ retries: 2 })`)
    nor a retry library's call options (the retry library detector reads those)."""
    if _TEST_CONFIG.search(ctx.path):
        return False
    call = _call_of_argument(obj)
    if call is not None:
        fn = call.child_by_field_name("function")
        if fn is not None and re.search(r"(^|\.)define\w*Config$|^config$", ts.text(fn)):
            return False
        if _own_function_call_r17_js2(ctx, call):
            return False
    elif _settings_report_r17_js2(obj):
        return False
    return _not_call_options_of_retry_fn(ctx, obj)


# a variable holding a reply or a report of settings (`const response: ResponseSchema = { retries:
# config.getRetries(), timeout: config.getTimeout() }; return jsonResponse(res, 200, response)`)
_REPORT_HOLDER_R17_JS2 = re.compile(r"^(response|res|reply|body|payload|report|summary)$|"
                                    r"(Response|Reply|Body|Payload|Schema|Report|Dto|DTO)$", re.I)


def _settings_report_r17_js2(obj: ts.Node) -> bool:
    """(round 17, js2: browserless's config route) an object held by a variable named or typed as a
    reply, a response body or a report (`const response: ResponseSchema = { retries, timeout }`):
    settings written out for a caller to read, not handed to a client."""
    holder = obj.parent
    while holder is not None and holder.type in ("satisfies_expression", "as_expression", "parenthesized_expression"):
        holder = holder.parent
    if holder is None or holder.type != "variable_declarator":
        return False
    name = holder.child_by_field_name("name")
    typed = holder.child_by_field_name("type")
    words = [ts.text(name) if name is not None else ""]
    if typed is not None:
        words.append(ts.text(typed).lstrip(": ").strip())
    return any(_REPORT_HOLDER_R17_JS2.search(w) for w in words if w)


def _own_function_call_r17_js2(ctx: FileContext, call: ts.Node) -> bool:
    """(round 17, js2: browserless's getPageContent) `{ retries: retries - 1, timeout }` handed to a
    function this file defines (the enclosing function calling itself, a local helper): that
    function's own options, read where it uses them, not a client's."""
    if call.type != "call_expression":
        return False
    fn = unwrap(call.child_by_field_name("function"))
    if fn is None:
        return False
    if fn.type == "identifier":
        name = ts.text(fn)
    elif fn.type == "member_expression" and ts.text(fn.child_by_field_name("object")) == "this":
        name = ts.text(fn.child_by_field_name("property"))
    else:
        return False
    return name in ctx.functions and name not in ctx.imports


def _not_call_options_of_retry_fn(ctx: FileContext, obj: ts.Node) -> bool:
    """`pRetry(fn, { retries, ... })` is the retry library detector's; `{timeout, retries}` elsewhere is ours."""
    call = _call_of_argument(obj)
    if call is None:
        return True
    fn = call.child_by_field_name("function") or call.child_by_field_name("constructor")
    name = ts.text(fn) if fn is not None else ""
    return not re.search(r"retry", name, re.I)


def _reaches_pg_js2r22(ctx: FileContext, obj: ts.Node) -> bool:
    from extractors.javascript.keyed_config_js2r22 import reaches_pg
    return reaches_pg(ctx, obj)  # (round 22, js2) pg's options built in pieces (`{ ...defaultOptions }`)


def _call_of_argument(obj: ts.Node) -> ts.Node | None:
    parent = obj.parent
    if parent is not None and parent.type == "arguments":
        call = parent.parent
        if call is not None and call.type in ("call_expression", "new_expression"):
            return call
    return None


_DB_HOLDER = re.compile(r"(db|pg|postgres|database|sql|conn)\w*(params|options|opts|config|settings)?$", re.I)


def _libpq_params(ctx: FileContext, obj: ts.Node, siblings: dict) -> bool:
    """An object of Postgres connection parameters: handed to a client, beside other libpq/postgres.js
    keys, or held by a variable named for the database (`const defaultDbParams = { connect_timeout }`)."""
    if siblings.keys() & {"sslmode", "application_name", "idle_timeout", "max_lifetime", "prepare"}:
        return True
    if _client_argument(ctx, obj) or _postgres_js_call_js2(ctx, obj):
        return True
    holder = obj.parent
    if holder is not None and holder.type in ("satisfies_expression", "as_expression"):
        holder = holder.parent
    if holder is not None and holder.type in ("variable_declarator", "pair"):
        name = holder.child_by_field_name("name") or holder.child_by_field_name("key")
        return name is not None and bool(_DB_HOLDER.search(ts.text(name)))
    return False


def _postgres_js_call_js2(ctx: FileContext, obj: ts.Node) -> bool:
    """(round 18, js2: hollo's db.ts) `import createPostgres from "postgres"; createPostgres(url, { max: 20,
    connect_timeout: 5 })`: postgres.js' default export is its client factory, under any local name."""
    call = _call_of_argument(obj)
    fn = unwrap(call.child_by_field_name("function")) if call is not None and call.type == "call_expression" else None
    return fn is not None and fn.type == "identifier" and ctx.imports.get(ts.text(fn)) == "postgres"


def _client_argument(ctx: FileContext, obj: ts.Node) -> bool:
    return _reaching_call(ctx, obj) is not None or _typed_options(ctx, obj) is not None


# a package's options type: `RedisOptions` (ioredis), `NodeClickHouseClientConfigOptions`, ky's
# `Options`, `ClickHouseSettings`, `PoolConfig` (pg), `ClientOptions` (openai)
_OPTIONS_TYPE = re.compile(r"(Options|Config|ConfigOptions|Configuration|Settings|Init|Params)$")
# packages whose options bound no call to a dependency: processes, workers, test runners, UI
_NOT_A_CLIENT_PACKAGE = re.compile(r"^(node:)?(child_process|worker_threads|vm|cluster)$|^(execa|cross-spawn|shelljs|"
                                   r"jest|vitest|@jest/|@playwright/test|cypress|@testing-library/|react|vue|svelte)")


def _typed_options(ctx: FileContext, obj: ts.Node) -> str | None:
    """The package whose options type an object literal is declared or asserted as (`const options:
    RedisOptions = {...}`, `{...} satisfies Options`, `{...} as ClientConfig`), outermost object
    first: its keys are that package's options wherever the object goes (TypeScript)."""
    for _ in range(4):  # `{ keep_alive: {...}, request_timeout }`: the outermost options object
        pair = obj.parent
        if pair is not None and pair.type == "pair" and pair.parent is not None and pair.parent.type == "object":
            obj = pair.parent
            continue
        break
    holder = obj.parent
    type_node = None
    if re.search(r"(^|/)(__mocks__|__tests__|tests?|e2e|mocks?)/|\.(test|spec)\.\w+$", ctx.path):
        return None  # a test's fixture values
    if holder is not None and holder.type in ("satisfies_expression", "as_expression"):
        type_node = next((c for c in holder.named_children if c.start_byte != obj.start_byte), None)
    elif holder is not None and holder.type == "variable_declarator":
        annotation = holder.child_by_field_name("type")
        type_node = annotation.named_children[0] if annotation is not None and annotation.named_children else None
    if type_node is None:
        return None
    names = [ts.text(n) for n in ([type_node] + list(descendants(type_node)))
             if n.type in ("type_identifier", "nested_type_identifier")]
    for name in names:
        head = name.split(".", 1)[0]
        imported = ctx.imports.get(head, "")
        if not imported or not _OPTIONS_TYPE.search(name):
            continue
        module = imported.rsplit(".", 1)[0] if imported.endswith("." + head) else imported
        # (a scope named as a folder of this file is still a package here: `@clickhouse/client` seen
        # from db/src/clickhouse/; a type of the project comes relative or through a source alias)
        if _PROJECT_MODULE.search(module) or module.startswith(".") or _NOT_A_CLIENT_PACKAGE.search(module) or \
                any(module == m or module.startswith(m + ".") for m in ctx.local_modules) or \
                ("/" in ctx.path and module.split("/", 1)[0] == ctx.path.split("/", 1)[0]):
            continue
        return module
    return None


def _reaching_call(ctx: FileContext, obj: ts.Node) -> ts.Node | None:
    """The client constructor or factory call the options object reaches (not a server, not our
    helper): as an argument, nested in one (`redisOptions: {...}`), or as a `const` passed on."""
    for _ in range(4):  # `{ redisOptions: { connectTimeout } }`: the outermost options object
        pair = obj.parent
        if pair is not None and pair.type == "pair" and pair.parent is not None and pair.parent.type == "object":
            obj = pair.parent
            continue
        spread = _spread_into(obj)  # `{ ...conditional(x !== undefined && { statementTimeout }) }`
        if spread is None:
            break
        obj = spread
    call = _call_of_argument(obj)
    if call is not None and call.type == "call_expression" and \
            dotted(call.child_by_field_name("function")) == "Object.assign":
        # `let imapConfig = Object.assign({ greetingTimeout: 90000 }, account.imap); new ImapFlow(imapConfig)`
        # (round 13, EmailEngine): the merged object goes where the assign's result goes
        obj, call = call, _call_of_argument(call)
    if call is not None:
        return call if _client_call(call, ctx) else None
    declarator = obj.parent
    if declarator is not None and declarator.type in ("return_statement", "parenthesized_expression", "arrow_function"):
        return _returned_to_client(ctx, obj)
    if declarator is None or declarator.type != "variable_declarator":
        return None
    name = ts.text(declarator.child_by_field_name("name"))
    scope = next((p for p in ts.ancestors(declarator) if p.type in FUNCTION_TYPES), None) or ctx.tree.root_node
    for other in ctx.calls_in(scope):
        if any(unwrap(a) is not None and unwrap(a).type == "identifier" and ts.text(unwrap(a)) == name
               for a in other.args) and _client_call(other.node, ctx):
            return other.node
    return None


def _returned_to_client(ctx: FileContext, obj: ts.Node) -> ts.Node | None:
    """`getRedisProviderConfig = () => { ...; return { host, connectTimeout } }`, then `const { port,
    ...configOptions } = getRedisProviderConfig(); new Redis(port, host, { ...configOptions })`: the
    options a config builder of this file returns, followed to the client call they reach."""
    fn = next((p for p in ts.ancestors(obj) if p.type in FUNCTION_TYPES), None)
    if fn is None:
        return None
    holder = fn.parent
    name = ""
    if fn.type in ("function_declaration", "method_definition") and fn.child_by_field_name("name") is not None:
        name = ts.text(fn.child_by_field_name("name"))
    elif holder is not None and holder.type == "variable_declarator":
        name = ts.text(holder.child_by_field_name("name"))
    if not name:
        return None
    for call in ctx.calls:
        if call.callee not in (name, f"this.{name}"):
            continue
        node = call.node
        while node.parent is not None and node.parent.type in ("await_expression", "parenthesized_expression"):
            node = node.parent
        declarator = node.parent
        if declarator is not None and declarator.type == "arguments" and declarator.parent is not None and \
                declarator.parent.type in ("call_expression", "new_expression") and \
                _client_call(declarator.parent, ctx):
            return declarator.parent  # `new Client(getOptions(env))`
        if declarator is None or declarator.type != "variable_declarator":
            continue
        pattern = declarator.child_by_field_name("name")
        names = [ts.text(pattern)] if pattern is not None and pattern.type == "identifier" else [
            ts.text(n.named_children[0]) for n in (pattern.named_children if pattern is not None else [])
            if n.type == "rest_pattern" and n.named_children]
        scope = next((p for p in ts.ancestors(declarator) if p.type in FUNCTION_TYPES), None) or ctx.tree.root_node
        for held in names:
            found = _name_to_client(ctx, held, scope, 0)
            if found is not None:
                return found
    return None


def _name_to_client(ctx: FileContext, name: str, scope: ts.Node, depth: int) -> ts.Node | None:
    """The client call a local options name reaches: handed to it, or spread into an object that is."""
    for other in ctx.calls_in(scope):
        if any(unwrap(a) is not None and unwrap(a).type == "identifier" and ts.text(unwrap(a)) == name
               for a in other.args) and _client_call(other.node, ctx):
            return other.node
    if depth >= 2:
        return None
    for node in descendants(scope):
        if node.type != "spread_element" or not node.named_children or ts.text(node.named_children[0]) != name:
            continue
        outer = node.parent
        if outer is None or outer.type != "object":
            continue
        call = _call_of_argument(outer)
        if call is not None and _client_call(call, ctx):
            return call
        if outer.parent is not None and outer.parent.type == "variable_declarator":
            found = _name_to_client(ctx, ts.text(outer.parent.child_by_field_name("name")), scope, depth + 1)
            if found is not None:
                return found
    return None


def _spread_into(obj: ts.Node) -> ts.Node | None:
    """The object an object literal is spread into through `&&`, `?:` or a one-argument helper call."""
    node = obj.parent
    for _ in range(5):
        if node is None:
            return None
        if node.type == "spread_element":
            return node.parent if node.parent is not None and node.parent.type == "object" else None
        if node.type in ("binary_expression", "ternary_expression", "parenthesized_expression", "arguments") or \
                (node.type == "call_expression" and len(node.child_by_field_name("arguments").named_children) == 1):
            node = node.parent
            continue
        return None
    return None


_CLIENT_CLASS = re.compile(r"(Client|Pool|Connection|Cluster|Session|Transport|Sdk|SDK|Resolver)$")
_CLIENT_RECEIVER = re.compile(r"client|sdk", re.I)


def _timeout_of_client(ctx: FileContext, obj: ts.Node) -> str | None:
    """The phase of a bare `timeout` key in the options of something named as a client
    (`new Client({...})`, `client.init({ timeout })`: total; `chromium.connect(url, {...})`:
    connect) that no library detector has read already; None elsewhere."""
    call = _reaching_call(ctx, obj)
    if call is None:
        return None
    phase = "total"
    fn = unwrap(call.child_by_field_name("function"))
    if call.type == "new_expression":
        constructor = dotted(call.child_by_field_name("constructor"))
        named = _CLIENT_CLASS.search(constructor.split(".")[-1]) or _sdk_client(ctx, constructor, obj)
    elif fn is not None and fn.type == "identifier":
        named = re.search(r"client|connection|pool", ts.text(fn), re.I)  # `createClient({ timeout })`
    else:
        fn = unwrap(call.child_by_field_name("function"))
        receiver = dotted(fn.child_by_field_name("object")) if fn is not None else ""
        method = ts.text(fn.child_by_field_name("property")) if fn is not None else ""
        # `client.init({ timeout })`, `chromium.connect(url, { timeout })`
        named = _CLIENT_RECEIVER.search(receiver.split(".")[-1] if receiver else "")
        if re.match(r"connect", method or "", re.I):
            named, phase = True, "connect"
    if not named:
        return None
    first, last = call.start_point[0] + 1, call.end_point[0] + 1
    if any(f.kind in ("timeout", "missing_timeout") and first <= f.line <= last for f in ctx.findings):
        return None
    return phase


_SDK_KEYS = {"apiKey", "baseURL", "baseUrl", "host", "url", "endpoint", "region", "credentials", "accessToken",
             "token", "servers", "auth", "node", "nodes", "projectId"}


def _serialised(obj: ts.Node) -> bool:
    """`JSON.stringify({ connectionTimeoutMillis: config.connectionTimeoutMillis, ... })`: the options
    written out (a signature, a log line), not handed to a driver."""
    call = _call_of_argument(obj)
    if call is None or call.type != "call_expression":
        return False
    callee = dotted(call.child_by_field_name("function"))
    return bool(re.search(r"(^JSON\.stringify|\.(log|debug|info|warn|error|trace)|hash\w*|signature\w*)$", callee, re.I))


def _undici_options(ctx: FileContext, obj: ts.Node) -> bool:
    """`new Agent({ headersTimeout, bodyTimeout })` with Agent (Pool, Client, ProxyAgent...) from undici."""
    call = _call_of_argument(obj)
    if call is None or call.type != "new_expression":
        return False
    constructor = dotted(call.child_by_field_name("constructor"))
    return ctx.qualify(constructor).startswith("undici.")


def _undici_retry(ctx: FileContext, obj: ts.Node) -> bool:
    """`interceptors.retry({ maxRetries })`, `new RetryAgent(agent, { maxRetries })` (undici)."""
    call = _call_of_argument(obj)
    if call is None:
        return False
    if call.type == "new_expression":
        return ctx.qualify(dotted(call.child_by_field_name("constructor"))) == "undici.RetryAgent"
    return ctx.qualify(dotted(call.child_by_field_name("function"))) in ("undici.interceptors.retry",
                                                                          "undici.RetryHandler")


def _named_client(ctx: FileContext, obj: ts.Node, aws: bool = False) -> bool:
    """The options reach something named as a client: `new S3Client({...})`, `new OpenAI({ apiKey })`
    from a package, `createClient({...})`, `client.init({...})`; with ``aws``, only a constructor
    named `...Client` (AWS SDK v3 `maxAttempts`; a job's `maxAttempts` is a policy, not a client's)."""
    call = _reaching_call(ctx, obj)
    if call is None:
        return False
    if call.type == "new_expression":
        constructor = dotted(call.child_by_field_name("constructor")).split(".")[-1]
        if aws:
            return constructor.endswith("Client")
        return bool(_CLIENT_CLASS.search(constructor)) or _sdk_client(ctx, constructor, obj)
    if aws:
        return False
    fn = unwrap(call.child_by_field_name("function"))
    if fn is not None and fn.type == "identifier":
        return bool(re.search(r"client|connection|pool", ts.text(fn), re.I))
    receiver = dotted(fn.child_by_field_name("object")) if fn is not None and fn.type == "member_expression" else ""
    return bool(_CLIENT_RECEIVER.search(receiver.split(".")[-1] if receiver else ""))


def _package_sdk_call(ctx: FileContext, obj: ts.Node) -> bool:
    """`S3BlobStore.creator({ bucket, endpoint, credentials, uploadTimeoutMs })` (round 9): the options
    of a package's function or class method handed where to connect (an endpoint, host, URL, region
    or credentials): that package's client, whatever its factory is called. Not the project's own
    helpers (read where they build their client), not a server."""
    if _TEST_CONFIG.search(ctx.path) is not None:
        return False
    call = _call_of_argument(obj)
    if call is None or call.type != "call_expression":
        return False
    fn = unwrap(call.child_by_field_name("function"))
    head = dotted(fn).split(".", 1)[0] if fn is not None else ""
    module = ctx.imports.get(head, "")
    if not module or _project_module(ctx, module) or _NOT_A_CLIENT_PACKAGE.search(module) or \
            _SERVERISH.search(dotted(fn)):
        return False
    return bool(set(object_props(obj) or {}) & (_SDK_KEYS | {"bucket", "brokers", "nodes", "servers", "uri"}))


def _sdk_client(ctx: FileContext, constructor: str, obj: ts.Node) -> bool:
    """`new OpenAI({ apiKey, baseURL, timeout })`: a class from a package, handed where to connect."""
    module = ctx.imports.get(constructor.split(".")[0], "")
    if not module or _project_module(ctx, module):
        return False
    outer = obj
    while outer.parent is not None and outer.parent.type == "pair" and outer.parent.parent is not None \
            and outer.parent.parent.type == "object":
        outer = outer.parent.parent
    return bool(set(object_props(outer) or {}) & _SDK_KEYS)


_PROJECT_MODULE = re.compile(r"^(\.|@/|~/|#|src/)|/src/")


def _redlock_options(ctx: FileContext, obj: ts.Node) -> bool:
    """`new Redlock([redis], { retryCount: 0 })`: the options handed to Redlock's constructor."""
    args = obj.parent
    call = args.parent if args is not None and args.type == "arguments" else None
    if call is not None and call.type == "call_expression" and \
            any(m.split(".", 1)[0] == "redlock" for m in ctx.imports.values()):
        # (round 13) `redlock.using([key], 15_000, { retryCount: 0 }, fn)` / `.acquire([key], ttl, {...})`
        # in a file importing Redlock: the settings of that one lock acquisition
        fn = dotted(call.child_by_field_name("function"))
        return fn.rsplit(".", 1)[-1] in ("using", "acquire") and "." in fn
    if call is None or call.type != "new_expression":
        return False
    return ctx.qualify(dotted(call.child_by_field_name("constructor"))).split(".", 1)[0] == "redlock"


def _project_module(ctx: FileContext, module: str) -> bool:
    """An import of the project itself: relative (resolved against this file's folder, so it starts
    with the file's top folder), or a path alias into sources (`@/lib`, `back-end/src/util`)."""
    if _PROJECT_MODULE.search(module) or module.startswith("..") or \
            any(module == m or module.startswith(m + ".") for m in ctx.local_modules):
        return True  # (relative imports of a file at the scan's root resolve to bare paths)
    top = ctx.path.split("/", 1)[0]
    if "/" in ctx.path and module.split("/", 1)[0] == top:
        return True
    # `@server/api/plexapi`, `~lib/http`: a path alias named as a folder this file sits in
    first = module.split("/", 1)[0]
    return first[:1] in ("@", "~") and "/" in module and first[1:] in ctx.path.split("/")[:-1]


def _client_call(call: ts.Node, ctx: FileContext | None = None) -> bool:
    if call.type == "new_expression":
        callee = dotted(call.child_by_field_name("constructor"))
        return bool(callee) and not _SERVERISH.search(callee.split(".")[-1])
    fn = unwrap(call.child_by_field_name("function"))
    if fn is not None and fn.type == "identifier" and ctx is not None and ts.text(fn) not in ctx.imports and \
            _injected_constructor_js2(ctx, ts.text(fn), call):
        return True
    if fn is not None and fn.type == "identifier" and ctx is not None:
        # `createClient({...})` imported from a package; `kafkaProducerAsync(brokers, {...})` from
        # the project is a helper, read where it builds its client.
        module = ctx.imports.get(ts.text(fn), "")
        return bool(module) and not _project_module(ctx, module) and \
            bool(_CLIENT_FACTORY.match(module.rsplit(".", 1)[-1])) and not _SERVERISH.search(ts.text(fn))
    if fn is None or fn.type != "member_expression":
        return False
    name = ts.text(fn.child_by_field_name("property"))
    receiver = dotted(fn.child_by_field_name("object"))
    return bool(_CLIENT_FACTORY.match(name)) and not _SERVERISH.search(name) \
        and not _SERVERISH.search(receiver.split(".")[-1] if receiver else "")


def _injected_constructor_js2(ctx: FileContext, name: str, call: ts.Node) -> bool:
    """`const createClient = dependencies.createClient ?? ((options) => new OpenAI(options)); const client =
    createClient({ apiKey, maxRetries: 0, timeout: 15_000 })` (round 16, tianji): a local factory that
    hands its one argument to a client's constructor (the fallback of an injected dependency, or the
    arrow itself): the call's options are that constructor's."""
    value = unwrap(ctx.local_value(name, call))
    if value is None:
        return False
    if value.type == "binary_expression" and ts.text(value.child_by_field_name("operator")) in ("??", "||"):
        value = unwrap(value.child_by_field_name("right"))
    if value is None or value.type != "arrow_function":
        return False
    params = value.child_by_field_name("parameters") or value.child_by_field_name("parameter")
    names = [ts.text(p.child_by_field_name("pattern") or p) for p in
             (params.named_children if params is not None and params.type == "formal_parameters" else
              [params] if params is not None else [])]
    body = unwrap(value.child_by_field_name("body"))
    if len(names) != 1 or body is None or body.type != "new_expression":
        return False
    arguments = body.child_by_field_name("arguments")
    handed = [ts.text(unwrap(a)) for a in (arguments.named_children if arguments is not None else [])]
    return handed == names and _client_call(body, ctx)


_SOCKET_MAKERS = re.compile(r"\b(?:net|tls)\.(?:connect|createConnection)\s*\(|\bnew\s+(?:net\.)?Socket\s*\(|"
                            r"\bnet\.Socket\s*\(")


def _socket_timeout(ctx: FileContext, call, taken) -> None:
    """`socket.setTimeout(ms, onTimeout)` on a socket this function opened with net/tls."""
    receiver = call.receiver
    # `socket`, `this.socket`, `clients[id].client`: a variable or a member the function assigns
    if not re.fullmatch(r"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*|\[[\w$.]+\])*", receiver or "") or call.arg(0) is None:
        return
    scope = None
    for parent in ts.ancestors(call.node):
        if parent.type in FUNCTION_TYPES:
            scope = parent  # the outermost function: the socket may be made a closure up
    if scope is None:
        return
    own = next((p for p in ts.ancestors(call.node) if p.type in FUNCTION_TYPES), None)
    if own is not None and own.type == "method_definition" and ts.text(own.child_by_field_name("name")) == "setTimeout":
        return  # a socket wrapper's own `setTimeout(ms)` handing it to the socket it wraps: its callers set it
    last_name = receiver.rsplit(".", 1)[-1]
    if (_SERVERISH.search(last_name) and not re.search(r"(?i)socket|sock$|conn", last_name)) or \
            _inbound_socket(ctx, receiver, call.node):
        return  # `server.setTimeout(ms)`, the socket a server's connection handler was handed
    pattern = re.compile(r"(?<![\w$.])" + re.escape(receiver) + r"\s*=\s*(?:await\s+)?(?:" + _SOCKET_MAKERS.pattern + ")")
    # a socket from any connect-named call or socket getter (`tls_socket.connect({...})`, a project
    # wrapper; `this.get_socket()`), or a receiver the file listens to for `'timeout'` (only sockets
    # and requests emit it: `socket.once('timeout', ...)`, `client.socket.on('timeout', ...)`)
    made = re.compile(r"(?<![\w$.])" + re.escape(receiver) + r"\s*=\s*(?:await\s+)?(?:[\w$]+\.)*"
                      r"(?:\w*[cC]onnect\w*|createConnection|\w*[sS]ocket\w*)\s*\(")
    last = receiver.rsplit(".", 1)[-1]
    listened = re.compile(r"(?<![\w$])(?:[\w$]+\.)*" + re.escape(last) +
                          r"\s*\.\s*(?:on|once|addListener|prependListener)\(\s*['\"]timeout['\"]")
    text = ts.text(scope)
    if not (pattern.search(text) or made.search(text) or listened.search(ctx.data.decode("utf-8", "replace"))):
        return
    _timeout(ctx, call.node, call.arg(0), "idle", taken)


def _inbound_socket(ctx: FileContext, receiver: str, site: ts.Node) -> bool:
    """`createServer((client) => { client.setTimeout(ms) })`, `server.on('connection', (socket) =>
    ...)`: a connection someone else opened to us (an inbound timeout, not a client's)."""
    head = receiver.split(".", 1)[0]
    for fn in ts.ancestors(site):
        if fn.type not in FUNCTION_TYPES:
            continue
        params = fn.child_by_field_name("parameters") or fn.child_by_field_name("parameter")
        if params is None or head not in {ts.text(n) for n in ([params] + list(descendants(params)))
                                           if n.type == "identifier"}:
            continue
        holder = fn.parent
        call = holder.parent if holder is not None and holder.type == "arguments" else None
        callee = dotted(call.child_by_field_name("function")) if call is not None else ""
        if callee and (_SERVERISH.search(callee) or re.search(r"createServer|\.on$|\.once$", callee)) and (
                "Server" in callee or "connection" in ts.text(call) or "secureConnection" in ts.text(call)):
            return True
        name = fn.child_by_field_name("name")
        if name is not None and re.search(r"(?i)onconnect|connection_handler|handle_?connection", ts.text(name)):
            return True
        return False
    return False


def _literal_setting(value: ts.Node | None) -> bool:
    """`30 * 1000`, `5000`, `CONNECT_TIMEOUT_MS`: written here, not a variable handed on."""
    value = unwrap(value)
    if value is None:
        return False
    if value.type == "number":
        return True
    if value.type == "binary_expression":
        return all(_literal_setting(value.child_by_field_name(side)) for side in ("left", "right"))
    return value.type in ("identifier", "member_expression") and \
        re.fullmatch(r"[A-Z][A-Z0-9_]*", ts.text(value).rsplit(".", 1)[-1]) is not None


_NAVIGATIONS = {"goto": 1, "reload": 0, "goBack": 0, "goForward": 0}


# @kubernetes/client-node's list / watch / collection calls (`core.listNamespacedPod({ timeoutSeconds })`)
_K8S_API_CALL = re.compile(r"^(list|watch|deleteCollection)\w*(Namespaced\w*|ForAllNamespaces|Node|Namespace|"
                           r"PersistentVolume|CustomObject|ClusterCustomObject)$")


def _k8s_timeout_seconds(ctx: FileContext, call, taken) -> None:
    """`k8s.core.deleteCollectionNamespacedPod({ namespace, timeoutSeconds: 30 })` (round 10): the
    Kubernetes API's own bound on a list / watch call, in seconds, on the call."""
    options = ctx.props(ctx.resolve_object(call.arg(0))) or {}
    value = options.get("timeoutSeconds")
    if value is None or unwrap(value) is None or not _literal_setting(value):
        return  # (a local worked out from the caller's parameter: the caller's value is the contract)
    attrs, confidence, pending = ctx.timeout_value(value, 1000.0)
    attrs["phase"], attrs["scope"] = "total", "call"
    _emit(ctx, "timeout", call.node, attrs, confidence, pending, taken)


def _navigation(ctx: FileContext, call, taken) -> None:
    """`page.goto(url, { timeout })`, `page.reload({ timeout })`: a browser navigation (the page is
    requested again) with its own deadline."""
    if not re.search(r"page|tab|browser", call.receiver.split(".")[-1], re.I):
        return
    options = ctx.props(ctx.resolve_object(call.arg(_NAVIGATIONS[call.name]))) or {}
    value = options.get("timeout")
    if value is not None and unwrap(value).type not in ("null", "undefined"):
        _timeout(ctx, call.node, value, "total", taken)


def _http_options(ctx: FileContext, taken) -> None:
    """openid-client: `client[custom.http_options] = () => ({ timeout: 10000 })`; `httpOptions: { timeout,
    connectTimeout }` (the AWS SDK v2 client's and next-auth providers' options of their HTTP requests)."""
    if b"httpOptions" in ctx.data:
        stack = [ctx.tree.root_node]
        while stack:
            pair = stack.pop()
            stack.extend(pair.named_children)
            if pair.type != "pair" or key_name(pair.child_by_field_name("key")) != "httpOptions":
                continue
            inner = unwrap(pair.child_by_field_name("value"))
            if inner is None or inner.type != "object":
                continue
            for item in inner.named_children:
                key = key_name(item.child_by_field_name("key")) if item.type == "pair" else None
                if key in ("timeout", "connectTimeout") and item.child_by_field_name("value") is not None:
                    _timeout(ctx, item, item.child_by_field_name("value"),
                             "connect" if key == "connectTimeout" else "total", taken)
    if b"http_options" not in ctx.data:
        return
    for assign in ctx.nodes_of("assignment_expression"):
        left = assign.child_by_field_name("left")
        if left is None or left.type != "subscript_expression" or "http_options" not in ts.text(left):
            continue
        fn = unwrap(assign.child_by_field_name("right"))
        if fn is None or fn.type not in FUNCTION_TYPES:
            continue
        body = unwrap(fn.child_by_field_name("body"))
        props = object_props(body) if body is not None and body.type == "object" else None
        if props and "timeout" in props:
            _timeout(ctx, assign, props["timeout"], "total", taken)


def _assigned_options(ctx: FileContext, taken) -> None:
    """`options.handshakeTimeout = ms` on an options object this function declared (`const options = {}`);
    `settings.connection.options.retryStrategy = (times) => ...` on any options object (the reconnect
    policy of ioredis / node-redis, a name no other library spells): a retry without a count."""
    strategies = b"retryStrategy" in ctx.data or b"reconnectStrategy" in ctx.data
    if not strategies and not any(key.encode() in ctx.data for key in _CONNECT_KEYS):
        return
    for assign in ctx.nodes_of("assignment_expression"):
        left = assign.child_by_field_name("left")
        if left is None or left.type != "member_expression":
            continue
        key = ts.text(left.child_by_field_name("property"))
        obj = left.child_by_field_name("object")
        if key in ("retryStrategy", "clusterRetryStrategy", "reconnectStrategy") and strategies:
            fn = unwrap(assign.child_by_field_name("right"))
            if fn is not None and fn.type in FUNCTION_TYPES and obj is not None and ts.text(obj) != "this":
                _retry(ctx, assign, None, 0.0, "ioredis", taken, backoff=None, retry_on="connection")
            continue
        if key not in _CONNECT_KEYS or obj is None or obj.type != "identifier":
            continue
        if ctx.resolve_object(obj) is None:
            continue  # `this.connectTimeout = ...`, a parameter's field: not an options object of ours
        _timeout(ctx, assign, assign.child_by_field_name("right"), _CONNECT_KEYS[key], taken)


_LOCAL_MODULES_JS1 = {"url", "node:url", "path", "node:path", "util", "node:util", "fs", "node:fs", "querystring",
                      "node:querystring", "lodash", "underscore", "assert", "events", "node:events"}
_CLIENT_FACTORY_JS1 = re.compile(r"(^|\.)(http|https|tcp|tls|client|createClient|connect|create\w*Client)$")


def _assigned_timeout_handed_js1(ctx: FileContext, taken) -> None:
    """(round 18, js1) `let rpc = url.parse(config.bitcoind.rpc); rpc.timeout = 15000; module.exports =
    jayson.client.http(rpc)` (BlueWallet's LndHub): a timeout assigned on a local options object that is then
    handed to a package's client factory (`client.http`, `createClient`, `connect`): that client's timeout,
    on the assignment."""
    for assign in ctx.nodes_of("assignment_expression"):
        left = assign.child_by_field_name("left")
        if left is None or left.type != "member_expression" or ts.text(left.child_by_field_name("property")) != "timeout":
            continue
        obj = left.child_by_field_name("object")
        if obj is None or obj.type != "identifier" or (assign.start_point[0] + 1, "timeout") in taken:
            continue
        name = ts.text(obj)
        scope = next((p for p in ts.ancestors(assign) if p.type in ("statement_block", "program")), None)
        if scope is None or not any(
                d.type == "variable_declarator" and ts.text(d.child_by_field_name("name")) == name
                for d in descendants(scope, stop_at_functions=True)):
            continue  # a parameter's or an outer object's field: not an options object of ours
        for call in ctx.calls_in(scope):
            if call.node.start_byte < assign.end_byte or not any(
                    unwrap(a) is not None and unwrap(a).type == "identifier" and ts.text(unwrap(a)) == name
                    for a in call.args):
                continue
            head = call.callee.split(".", 1)[0]
            module = ctx.imports.get(head, "")
            if not module or module.startswith(".") or module.split(".")[0] in _LOCAL_MODULES_JS1 or \
                    _project_module(ctx, module) or not _CLIENT_FACTORY_JS1.search(call.callee):
                continue
            _timeout(ctx, assign, assign.child_by_field_name("right"), "total", taken)
            break


# request-ish names (`httpGet`, `callApi`, `apiRequest`, `rpcCall`), not `rapid`/`capital`
_HELPER_NAME = re.compile(r"(?i:fetch|request|connect|connection|client|pool|http|graphql|rpc)|"
                          r"(?<![A-Za-z])[Aa]pi|(?<=[a-z])Api|API")
_PACKAGE_HELPER = re.compile(r"fetch|request|axios", re.I)
# the libraries themselves, read by their own detectors (or, for `request`, a timeout they know)
_LIBRARY_ENTRIES = {"fetch", "axios", "got", "ky", "request", "superagent", "needle", "undici", "ofetch"}
_HELPER_TIMEOUT_KEYS = {"timeout", "timeoutMs", "timeoutMS", "timeoutMillis", "maxTimeMs", "requestTimeout",
                        "request_timeout"}


_TIMEOUT_PARAM_NAME = re.compile(r"^(timeout|timeoutMs|timeoutMS|timeoutMillis|deadlineMs|ms|millis|\w+Timeout(Ms|MS|Millis)?)$")


def _positional_timeouts(ctx: FileContext, taken) -> None:
    """`ActivityPub.checkHeader(url, 1000 * 60)` where this file defines `checkHeader = async (url,
    timeout) => { ... request.head(url, { timeout }) }`: a value handed to a function of this file
    at the position of a parameter named for a timeout, when that function makes a request bounded
    by something (an outbound call, a timeout finding in its body): the timeout of that call."""
    if b"imeout" not in ctx.data:
        return
    assigned: dict[str, ts.Node] = {}
    for node in ctx.nodes_of("assignment_expression"):
        right = unwrap(node.child_by_field_name("right"))
        left = node.child_by_field_name("left")
        if right is not None and left is not None and right.type in FUNCTION_TYPES:
            assigned.setdefault(dotted(left), right)
    for call in ctx.calls:
        if call.is_new or len(call.args) < 2:
            continue
        fn = assigned.get(call.callee) or (ctx.functions.get(call.callee) if "." not in call.callee else
                                           ctx.functions.get(call.name) if call.receiver == "this" else None)
        if fn is None:
            continue
        params = fn.child_by_field_name("parameters")
        names = []
        for param in (params.named_children if params is not None else []):
            pattern = param.child_by_field_name("pattern") or param.child_by_field_name("left") or param
            names.append(ts.text(pattern) if pattern is not None and pattern.type == "identifier" else "")
        index = next((i for i, n in enumerate(names) if _TIMEOUT_PARAM_NAME.match(n)), None)
        if index is None or index >= len(call.args):
            continue
        value = unwrap(call.args[index])
        if value is None or value.type in ("null", "undefined") or _callers_parameter(value):
            continue  # `helper(url, timeout)`: the caller's own parameter handed on (a forwarder)
        first, last = fn.start_point[0] + 1, fn.end_point[0] + 1
        if not ctx.outbound_in(fn) and not any(f.kind == "timeout" and first <= f.line <= last for f in ctx.findings):
            continue
        if not ctx.outbound_in(fn) and any(_local_work_js2(ctx, unwrap(a)) for i, a in enumerate(call.args) if i != index):
            continue  # `withTimeout(convertLibre(buf, '.pdf'), ms)`: a race around local work
        line = call.node.start_point[0] + 1
        if any(f.kind == "timeout" and f.line == line for f in ctx.findings):
            continue
        _timeout(ctx, call.node, value, "total", taken)


_LOCAL_PACKAGES_JS2 = re.compile(r"^(node:)?(child_process|worker_threads|zlib|vm|fs|fs/promises)$|"
                                 r"^(libreoffice-convert|sharp|jimp|pdf-lib|pdfkit|fluent-ffmpeg|ffmpeg-static|"
                                 r"archiver|isolated-vm|canvas|gm|imagemagick|tesseract\.js|mammoth|exceljs|xlsx)$")


def _local_work_js2(ctx: FileContext, node: ts.Node | None) -> bool:
    """`withTimeout(convertLibre(req.file.buffer, '.pdf'), timeoutMs)` (round 16, OpenSign): the work a
    same-file race helper bounds is a call of a function of this file that makes no outbound call and
    runs a local tool (LibreOffice, a child process, image or PDF processing): a bound on local work,
    out of scope like the process timeouts."""
    if node is None or node.type == "await_expression":
        node = unwrap(node.named_children[0]) if node is not None and node.named_children else node
    if node is None or node.type != "call_expression":
        return False
    name = dotted(node.child_by_field_name("function"))
    if not name:
        return False
    head = name.split(".")[0]
    module = ctx.imports.get(head)
    if module is not None:
        return bool(_LOCAL_PACKAGES_JS2.match(module.split(".")[0]))
    fn = ctx.functions.get(name)
    if fn is None or ctx.outbound_in(fn):
        return False
    used = {c.callee.split(".")[0] for c in ctx.calls_in(fn)}
    modules = [ctx.imports.get(u) for u in used if ctx.imports.get(u) is not None]
    return any(_LOCAL_PACKAGES_JS2.match(m.split(".")[0]) for m in modules) and \
        all(_LOCAL_PACKAGES_JS2.match(m.split(".")[0]) or m.startswith(".") for m in modules)


def _callers_parameter(value: ts.Node) -> bool:
    """`budget`, `opts.timeout`: a parameter (or a member of one) of a function around the call, not a
    local `const` of the same name (`const timeoutMs = options.fetchTimeoutMs ?? 20000`)."""
    if value.type not in ("identifier", "member_expression"):
        return False
    head = dotted(value).split(".", 1)[0]
    if not head or head == "this":
        return False
    from extractors.javascript.context import _parameter_default
    for parent in ts.ancestors(value):
        if parent.type in FUNCTION_TYPES:
            if _parameter_default(parent, head)[0]:
                return True
        elif parent.type in ("statement_block", "program"):
            for stmt in parent.named_children:
                if stmt.type in ("lexical_declaration", "variable_declaration") and stmt.start_byte < value.start_byte:
                    for decl in stmt.named_children:
                        name = decl.child_by_field_name("name") if decl.type == "variable_declarator" else None
                        if name is not None and name.type == "identifier" and ts.text(name) == head:
                            return False  # a local binding shadows any parameter of that name
    return False


def _helper_signal(ctx: FileContext, call, taken) -> None:
    """`cscInfo({ baseUrl, signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS) })`: a function of the
    project handed a signal that aborts after a time: the call is bounded by it (whatever it does
    with the signal, only a request or a wait can use one), reported on the call."""
    # `return super.request(url, { ...init, signal }, attempt)` (round 14, lido-keys-api): an override
    # handing its parent's request method a signal the override aborts after a time
    parent_request_js2 = re.fullmatch(r"super\.(request|fetch|send|call|execute|query|get|post)\w*", call.callee)
    if parent_request_js2 is None and \
            ("." in call.callee or not _project_module(ctx, ctx.imports.get(call.callee, "") or "-")) and \
            not ("." not in call.callee and call.callee in _file_functions_js2(ctx)):
        return
    from extractors.javascript.detectors.fetch import _UNKNOWN, signal_timeout
    for arg in call.args:
        plain = unwrap(arg)
        if plain is not None and plain.type == "member_expression" and \
                ts.text(plain.child_by_field_name("property")) == "signal":
            # (round 18, js2: hollo's media proxy) `fetchProxyMedia(url, controller.signal)`: the signal handed
            # positionally, its controller aborted by a timer
            signal = plain
        else:
            obj = ctx.resolve_object(arg)
            signal = (ctx.props(obj) or {}).get("signal") if obj is not None else None
        if signal is None:
            continue
        ms = signal_timeout(ctx, signal, call.node)
        if ms is _UNKNOWN or ms is None or not isinstance(ms, ts.Node):
            return
        first, last = call.node.start_point[0] + 1, call.node.end_point[0] + 1
        if any(f.kind == "timeout" and first <= f.line <= last for f in ctx.findings):
            return  # the fetch detector read this call already
        outer = call.node.parent.parent if call.node.parent is not None and call.node.parent.type == "arguments" \
            else None
        if outer is not None and outer.type == "call_expression" and \
                any(f.kind == "timeout" and f.line == outer.start_point[0] + 1 for f in ctx.findings):
            return  # (round 20, js2) `fetch(url, withInternalTls({ ..., signal }))`: read at the fetch already
        _timeout(ctx, call.node, ms, "total", taken)
        return


def _file_functions_js2(ctx: FileContext) -> set[str]:
    """(round 18, js2) The functions this file declares at its top level (exported or not): a helper of the
    project as much as one imported from another of its files."""
    names = ctx.__dict__.get("_file_functions_js2")
    if names is None:
        names = set()
        for stmt in ctx.tree.root_node.named_children:
            node = stmt.child_by_field_name("declaration") if stmt.type == "export_statement" else stmt
            if node is not None and node.type == "function_declaration" and node.child_by_field_name("name") is not None:
                names.add(ts.text(node.child_by_field_name("name")))
        ctx.__dict__["_file_functions_js2"] = names
    return names


def _helper_timeouts(ctx: FileContext, taken) -> None:
    """`cancellableFetch(url, init, { maxTimeMs: 30000 })`, `findOrCreateConnection(id, { requestTimeout })`:
    a timeout handed to a request or connection helper of the project (imported from it), or to a
    package's function named as a request (`secureAxiosRequest({ url, timeout: 10000 })` from a
    workspace package), reported on the helper call; the helper's body is in another file."""
    for call in ctx.calls:
        if call.is_new or call.callee == "fetch":
            continue
        if any(unwrap(a) is not None and unwrap(a).type == "member_expression" and
               ts.text(unwrap(a).child_by_field_name("property")) == "signal" for a in call.args):
            try:  # (round 18, js2) a signal handed positionally to a helper: `fetchMedia(url, controller.signal)`
                _helper_signal(ctx, call, taken)
            except Exception:
                pass
            continue
        if not _HELPER_NAME.search(call.callee) or call.callee.startswith("super."):
            try:
                _helper_signal(ctx, call, taken)
            except Exception:
                pass
            continue
        if not _request_helper_call_js1(ctx, call):
            continue
        for arg in call.args:
            props = object_props(arg) or {}
            if not props and unwrap(arg) is not None and unwrap(arg).type == "identifier":
                # (round 15, js1) `const opts = { url, timeout }; await request.exec(opts)`: the options
                # object declared above and handed by name, reported on the call as an inline one
                props = object_props(ctx.resolve_object(arg)) or {}
            key = next((k for k in props if k in _HELPER_TIMEOUT_KEYS), None)
            if key is None or unwrap(props[key]).type in ("null", "undefined"):
                continue
            first, last = call.node.start_point[0] + 1, call.node.end_point[0] + 1
            if any(f.kind == "timeout" and first <= f.line <= last for f in ctx.findings):
                break  # the fetch detector read this call already
            try:
                from extractors.javascript.typed_required_jsfix2 import publish_handed
                if unwrap(arg) is not None and unwrap(arg).type == "object":  # (round 20, jsfix2)
                    publish_handed(ctx, call.callee, call.args.index(arg), key)
                from extractors.javascript.detectors.superagent_spec_jsfix2 import spec_timeouts
                if not spec_timeouts(ctx, call.node, key, props[key],  # (round 20, jsfix2) `{ response, deadline }`
                                     lambda n, v, phase: _timeout(ctx, n, v, phase, taken, unit_by_name=False),
                                     lambda n, attrs, confidence, pending: ctx.finding(
                                         "timeout", n, ID, attrs, confidence, None, pending)):
                    _timeout(ctx, call.node, props[key], "total", taken)
                _helper_connect_phase(ctx, call.node, props)
            except Exception:
                pass
            break


# (round 15, js1) a project request module's methods that make the request (`request.exec(opts)`,
# `api.call(...)`), beside the HTTP verbs
_HELPER_VERBS_JS1 = frozenset({"request", "exec", "execute", "call", "send", "fetch", "invoke"})


def _request_helper_call_js1(ctx: FileContext, call) -> bool:
    """The call is a request or connection helper of the project (imported from it), a method making
    the request on the project's own request module (`request.get(url, ...)`, `request.exec(opts)`),
    or a package's function named as a request (`secureAxiosRequest`)."""
    if call.is_new or call.callee == "fetch" or not _HELPER_NAME.search(call.callee) or \
            call.callee.startswith("super."):
        return False
    if "." in call.callee:
        # `request.get(url, { timeout: 5000 })`, `request` being the project's own request module
        head, _, method = call.callee.partition(".")
        module = ctx.imports.get(head, "")
        if "." in method or (method not in HTTP_METHODS and method not in _HELPER_VERBS_JS1) or \
                not _HELPER_NAME.search(head) or not module or not _project_module(ctx, module):
            return False
    else:
        module = ctx.imports.get(call.callee, "")
    if not module:
        return False
    if not _project_module(ctx, module) and (not _PACKAGE_HELPER.search(call.callee) or
                                             call.callee.lower() in _LIBRARY_ENTRIES):
        return False  # a package's request helper only when its name says so (`secureAxiosRequest`)
    return True


def _handed_to_request_helper_js1(ctx: FileContext, obj: ts.Node) -> bool:
    """`const requestConfig = { url, timeout: 30000 }; request(requestConfig)`: an options object
    declared in a function and handed by name to a project request helper (read at that call)."""
    declarator = obj.parent
    if declarator is None or declarator.type != "variable_declarator":
        return False
    name_node = declarator.child_by_field_name("name")
    if name_node is None or name_node.type != "identifier":
        return False
    name = ts.text(name_node)
    scope = next((p for p in ts.ancestors(declarator) if p.type in FUNCTION_TYPES), None)
    if scope is None:
        return False  # a module-level configuration object stays a configuration
    for call in ctx.calls_in(scope):
        if any(unwrap(a) is not None and unwrap(a).type == "identifier" and ts.text(unwrap(a)) == name
               for a in call.args) and _request_helper_call_js1(ctx, call):
            return True
    return False


def _helper_connect_phase(ctx: FileContext, node: ts.Node, props: dict) -> None:
    """`createDynamoDBClient({ connectionTimeout: env.A, requestTimeout: env.B })`: a connection
    helper handed both a request bound and a connection bound: the connection's is a contract of
    its own (phase connect), on the same call line beside the request's (phase total)."""
    key = next((k for k in props if _CONNECT_KEYS.get(k) == "connect"), None)
    if key is None or unwrap(props[key]) is None or unwrap(props[key]).type in ("null", "undefined"):
        return
    line = node.start_point[0] + 1
    if any(f.kind == "timeout" and f.line == line and f.attributes.get("phase") == "connect" for f in ctx.findings):
        return
    value = props[key]
    attrs, confidence, pending = ctx.timeout_value(value, 1.0)
    attrs["phase"] = "connect"
    attrs["scope"] = "client"
    ctx.finding("timeout", node, ID, attrs, confidence, None, pending)


# what a package function's `timeout` bounds when it is no call to a dependency: a local process,
# a lock, a wait, a browser it starts, a test
_LOCAL_PACKAGE_CALL = re.compile(r"(?i)^(launch\w*|spawn\w*|exec\w*|fork|lock\w*|acquire\w*|wait\w*|sleep|delay|"
                                 r"debounce|throttle|setTimeout|setInterval|retry\w*|expect|test|it|describe|"
                                 r"render\w*|use\w*|define\w*|create(Server|App|Router)|listen)$")


def package_timeouts(ctx: FileContext) -> None:
    """Run after the library detectors (driver_options reads NATS, socket.io, ... first)."""
    if b"timeout" not in ctx.data:
        return
    try:
        _package_timeouts(ctx, {(f.line, f.kind) for f in ctx.findings})
    except Exception:  # an odd call costs only this finding
        pass


def _package_timeouts(ctx: FileContext, taken) -> None:
    """`urlMetadata(url, { timeout: 500 })`, `whois.lookup(domain, { timeout: 3000 })`: a `timeout`
    written as a number (or a constant) in the options handed to a function imported from a package,
    that no library detector reads: the call's bound, on the call. Never a process, a lock, a wait,
    a test, a server, nor an object written out."""
    if _TEST_CONFIG.search(ctx.path) or re.search(r"(^|/)(__tests__|tests?|e2e)/|\.(test|spec)\.\w+$", ctx.path):
        return
    for call in ctx.calls:
        if call.is_new or not call.args:
            continue
        head = call.callee.split(".", 1)[0]
        module = ctx.imports.get(head, "")
        if not module or call.callee.count(".") > 1 or _project_module(ctx, module) or \
                _NOT_A_CLIENT_PACKAGE.search(module.split(".", 1)[0]) or _LOCAL_PACKAGE_CALL.match(call.name) or \
                _SERVERISH.search(call.callee):
            continue
        if not _names_a_remote(call):
            continue  # `generateRegistrationOptions({ rpName, timeout })`: nothing says it goes out
        for arg in call.args:
            inner = unwrap(arg)
            if inner is None or inner.type != "object" or _serialised(inner):
                continue
            props = object_props(inner) or {}
            value = props.get("timeout")
            if value is None or not _literal_setting(value):
                continue
            first, last = call.node.start_point[0] + 1, call.node.end_point[0] + 1
            if any(f.kind in ("timeout", "missing_timeout") and first <= f.line <= last for f in ctx.findings):
                break  # a library detector read this call already
            _timeout(ctx, call.node, value, "total", taken)
            break


_REMOTE_NAME = re.compile(r"(?i)(url|uri|href|host|hostname|domain|endpoint|address|addr|server|servers|ip|"
                          r"baseurl|origin|link)$")


def _names_a_remote(call) -> bool:
    """The call is handed where to go: a URL or host argument (`urlMetadata(url, ...)`, `whois(domain,
    ...)`, `"https://..."`) or an options member naming one (`{ host, timeout }`)."""
    for arg in call.args:
        inner = unwrap(arg)
        if inner is None:
            continue
        if inner.type in ("identifier", "member_expression"):
            if _REMOTE_NAME.search(ts.text(inner).rsplit(".", 1)[-1]):
                return True
        elif inner.type in ("string", "template_string"):
            if re.match(r"[`'\"](?:https?|wss?|tcp|grpc)://", ts.text(inner)):
                return True
        elif inner.type == "object":
            if any(_REMOTE_NAME.search(k) for k in (object_props(inner) or {})):
                return True
    return False
