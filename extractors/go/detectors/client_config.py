"""Timeouts and retry limits in the option structs of third-party clients.

What it does: a composite literal of a type imported from another module (`swift.Connection{...}`,
`redis.Options{...}`, `policy.RetryOptions{...}`, `blob.RetryReaderOptions{...}`) with a keyed
field named like a client timeout or retry limit is a setting of that client:
`Timeout`/`RequestTimeout`/`CallTimeout`/`OperationTimeout`/`QueryTimeout` (also prefixed:
`LLMRequestTimeout`) -> `total`, `ConnectTimeout`/
`DialTimeout`/`ConnTimeout` -> `connect`, `ReadTimeout`/`ResponseTimeout` -> `read`,
`TryTimeout`/`PerTryTimeout` -> `per_try`, rueidis' `ConnWriteTimeout` (how long pipelined commands wait
for their responses) -> `read`, `PoolTimeout`/`PoolWaitTimeout` (go-redis, smtppool: how long a
call waits for a pooled connection) -> `connect` (field names in any case: go-pkgz's `TimeOut`); `MaxRetries`/`Retries`/`NumRetries` (gocql's SimpleRetryPolicy)/`RetryMax`/`MaxRetryRequests` (azblob) -> retry with
`max_attempts = n + 1`, `MaxAttempts`/`MaxTries` -> `n` (and gocql's `ConstantReconnectionPolicy{MaxRetries: n}`: n connect tries). A value must read as a duration
(`time.` units, a duration constant or config field); a bare number or a field named `...Sec` /
`...Ms` has no unit we can trust and is left out. Server and standard-library types are left to
their own detectors, and so is the file-lock wait of embedded bolt/bbolt databases
(`bolt.Options{Timeout: d}`). A default filled into a parameter of such a type
(`if p.TimeOut <= 0 { p.TimeOut = defaultTimeout }`) is a setting too, and so is a field set on a
local the same function built from such a type (`req := email.Server{}; req.PoolWaitTimeout =
2 * time.Second`) or got from such a package's constructor (`cluster := gocql.NewCluster(hosts...);
cluster.Timeout = d`). Left out: types named for a stop or shutdown (`ContainerStopOptions{Timeout:
&grace}` is how long a stop waits before it kills), a protobuf getter of the same field copied over
(`Timeout: res.GetWorkflow().GetTimeout()` is a message's data), options copied field by field into
a `...Config`/`...Settings` struct (`config.CASSettings{Timeout: opts.CAS.Timeout}`), and the literals of a function that
builds defaults (`func DefaultConfig() Config {...}`: the values become the config's defaults, see
gofile.field_defaults, and the client that reads the field reports them). A type named `...Server` describes a server and is skipped, except for the
pool-wait fields: only a client waits for a pooled connection (smtppool's `email.Server` is the
SMTP server a client sends to). The method `cfg.WithMaxRetries(n)` (aws-sdk-go v1 and its forks) is a retry
limit too, and so are functional options of such packages: `pkg.WithTimeout(d)`,
`pkg.WithConnectTimeout(d)`, Kitex's `client.WithRPCTimeout(d)` / `callopt.WithRPCTimeout(d)` (total),
redigo's `redis.DialConnectTimeout(d)` / `DialReadTimeout(d)` / `DialWriteTimeout(d)` (connect / read / write;
round 12), `pkg.Timeout(connectSec, readWriteSec)` (phase from the argument's
name when the function takes several), `pkg.WithMaxRetries(n)`, `pkg.WithMaxAttempts(n)`,
`config.WithRetryMaxAttempts(n)` and `retry.AddWithMaxAttempts(r, n)` (aws-sdk-go-v2, n tries),
`pkg.Attempts(n)` / `pkg.WithAttempts(n)` (n tries) and `pkg.Retries(n)` (n + 1); a circuit breaker
package's options (`circuitbreaker.WithTimeout(d)`: how long it stays open) are not. Options a
library parsed from a URL count like a constructor's (`opts, _ := redis.ParseURL(u); opts.DialTimeout
= d`, `ch.ParseDSN(dsn)`), and so does aws-sdk-go-v2's `retry.NewStandard(func(o
*retry.StandardOptions) { o.MaxAttempts = n })` (n tries). A type of a package below this file's
folder (`svc/frontline/routes` from `svc/frontline/run.go`) is the project's own.
Nested fields of a value built by such a package's constructor count too: `config :=
sarama.NewConfig(); config.Net.DialTimeout = d; config.Producer.Retry.Max = 5` (5 retries -> 6), and so
do those of a parameter of such a type (`func ConfigureProducer(config *sarama.Config)`), and the fields
of a local the function returns as such a type (`cfg, _ := c.newConfig(ctx); cfg.MaxRetries = 0; return c,
cfg, nil` in a function returning `*vault.Config`; round 11). A value
whose name ends in `Sec`/`Seconds` is in seconds, `Ms`/`Millis` in milliseconds. A builder or
client value's own setter, `fetcher.NewRequestBuilder().WithTimeout(d)` / `client.SetTimeout(d)`
(resty), with one duration argument is that client's total timeout; resty's
`SetRetryCount(n)` retries n times after the first try (n + 1 attempts), and so does imroc/req v3's
`req.C().SetCommonRetryCount(n)` (its `SetTLSHandshakeTimeout(d)` / `SetResponseHeaderTimeout(d)` are
setters like resty's; round 16). A request's `TimeoutMillis`
(franz-go's `req := kmsg.NewDeleteTopicsRequest(); req.TimeoutMillis = 30 * 1000`) is its total timeout
in milliseconds. In a file that makes HTTP or
network calls, an option struct declared in the same file with a `time.Duration` field named like a
client timeout (`Options{Timeout: defaultRequestTimeout}`, `&RequestBuilder{clientTimeout: d}`)
is a default chosen there, when its value settles to a constant; a value handed on from elsewhere
is left to the client it reaches, and so is a fallback literal whose field the same function reads
into the client afterwards (`config = &ClientConfig{Timeout: 60s}; ...; http.Client{Timeout:
config.Timeout}`: reported once, at the client). gocloud kafkapubsub's `WaitForJoin` and go-bigip's
`APICallRetries` (n tries) are read too; `pgconn.Timeout(err)` asks about an error and sets nothing. A timeout handed by position to a client's or connection's
constructor (`config.NewForge(timeout, retries)`, `pool.borrowConnection(addr, DefaultTCPTimeout)`),
named as a timeout and chosen there (a constant, a flag default), is that client's total timeout
(medium confidence); idle/keepalive/shutdown/backlog/poll/session/write timeouts and parameters
passed through are left out. Round 13: any other `...Timeout` field of another module's options type
(a type named `...Options`/`Config`/`Settings`/`Params`/`Conn`/`Client`/`Dialer`/`Pool`/`Transport`/
`Session`: go-deluge's `Settings{ReadWriteTimeout: d}`, `SocketTimeout`) is that client's timeout, its
phase read from its words; not the fields that bound something else (idle, keep-alive, session,
heartbeat, probe, lease, lock, batch, flush, poll, history, ...), not an API request's data
(`ec2types.ConnectionTrackingSpecificationRequest{UdpTimeout: ..}`), not the project's own config types.

Why it matters: SDK clients (object stores, caches, cloud APIs) carry their own timeouts and
retries; a caller's budget is their product.

Example: `swift.Connection{Retries: 3, Timeout: 5 * time.Second}` -> retry 4, timeout 5000 ms.
"""

from __future__ import annotations

import re

from contract_discovery.resolve import KEEP_IF
from contract_discovery.values import duration_text_ms, normalise_ms, ref_names
from extractors import treesitter as ts
from extractors.base import detector
from extractors.go.detectors.http_client import storage_keys
from extractors.go.gofile import (_CONFIG_HOLDER, _STDLIB, OPAQUE, Draft, GoFile, ValueInfo, _without_comments, fills_zero,
                                  descendants, inner_expression, node_text)

ID = "go.client_config"

_TIMEOUT_FIELDS = {
    "Timeout": "total", "RequestTimeout": "total", "CallTimeout": "total", "OperationTimeout": "total",
    "QueryTimeout": "total", "ConnectTimeout": "connect", "TCPTimeout": "connect", "DialTimeout": "connect", "ConnTimeout": "connect",
    "ConnectionTimeout": "connect", "ReadTimeout": "read", "ResponseTimeout": "read", "WriteTimeout": "write",
    "TryTimeout": "per_try", "PerTryTimeout": "per_try",
    # certmagic/lego DNS-01: how long to wait for the challenge record to be seen by the resolvers
    "PropagationTimeout": "total",
    "PoolTimeout": "connect", "PoolWaitTimeout": "connect",
    # rueidis: the deadline a connection's pipelined commands wait for their responses
    "ConnWriteTimeout": "read",
    # xhit/go-simple-mail: how long sending the message may take once connected (round 10)
    "SendTimeout": "write",
    # gocloud.dev kafkapubsub SubscriptionOptions: how long opening a subscription waits to join the group
    "WaitForJoin": "connect",
    # redigo-style pool parameters (`redislib.PoolParam{DialConnectionTimeout: d, DialReadTimeout: d}`,
    # Harbor's lib/redis; round 12)
    "DialConnectionTimeout": "connect", "DialConnectTimeout": "connect", "DialReadTimeout": "read",
    "DialWriteTimeout": "write",
}
# Fields whose phase their type documents otherwise: ssh's Timeout bounds the TCP connect (so does a
# library's `Dialer{Timeout}`, kafka-go's: round 18).
_TYPE_PHASES = {("ssh.ClientConfig", "Timeout"): "connect"}
# Waiting for a pooled connection: a client's bound even on a type named after the server it dials.
_POOL_FIELDS = ("PoolTimeout", "PoolWaitTimeout")
_RETRY_FIELDS = {"MaxRetries": 1, "Retries": 1, "NumRetries": 1, "NumMaxRetries": 1, "RetryMax": 1, "MaxRetry": 1, "MaxRetryRequests": 1, "MaxAttempts": 0, "MaxTries": 0,
                 "RetryMaxAttempts": 0,
                 # f5devcentral/go-bigip ConfigOptions: APICall loops `for i := 0; i < APICallRetries`: n tries
                 "APICallRetries": 0,
                 # hashicorp/consul/api LockOptions / SemaphoreOptions: how often the lock's session monitor
                 # retries a failed (500) read before the lock counts as lost: n retries, n + 1 tries (round 17)
                 "MonitorRetries": 1}
# round 22 (cerbos): libraries whose attempts-named field is handed to go-retryablehttp's RetryMax (retries
# after the first try): github.com/cerbos/cloud-api's `base.ClientConf{RetryMaxAttempts: n}` -> n + 1 tries
_RETRIES_AFTER_FIRST_R22 = {"github.com/cerbos/cloud-api/base": "RetryMaxAttempts"}
# Field names as spelled in the wild: `TimeOut` (go-pkgz/notify, go-pkgz/auth) is `Timeout`.
_CANONICAL = {name.lower(): name for name in (*_TIMEOUT_FIELDS, *_RETRY_FIELDS)}
# Embedded stores whose Options.Timeout is how long to wait for the database file's lock.
_FILE_LOCK_PACKAGES = ("go.etcd.io/bbolt", "github.com/boltdb/bolt")
# Types read by other detectors, or that describe a server rather than a client.
_SKIP_PACKAGES = set(_STDLIB) | {"http", "grpc", "retryablehttp", "backoff", "retry", "gobreaker", "sql",
                                 "sqlx", "pgx", "pgxpool"}
# Types whose timeout is a grace period before something is stopped, not a bound on a call.
_GRACE_TYPE = re.compile(r"Stop|Shutdown|Kill|Grace|Drain|Idle")  # ...and idle bounds (`IdleDeadline{Timeout}`)
# Functions that build a config's defaults: the client that reads the config reports the value.
_DEFAULTS_FUNCTION = re.compile(r"(?i)default")
_CONFIG_RESULT = re.compile(r"(?i)config|option|setting|opts|params|cfg|conf\b")
_UNITLESS = re.compile(r"(?i)(sec|secs|seconds|ms|millis|milliseconds|mins|minutes)$")


# Web frameworks whose root package's config describes the server (gofiber's `fiber.Config` read and write
# timeouts bound the requests it answers; its client lives in another package): inbound (round 17, bark-server).
_SERVER_FRAMEWORK = re.compile(r"github\.com/gofiber/fiber(/v\d+)?")


def _third_party_type(gf: GoFile, type_name: str, server_ok: bool = False) -> bool:
    if "." not in type_name:
        return False  # a type of this package: the application's own config
    package, name = type_name.split(".", 1)
    if package not in gf.imports or ("Server" in name and not server_ok):
        return False
    if package in _SKIP_PACKAGES and not gf.imports[package].startswith(_OWN_OPTIONS_PACKAGES):
        return False
    if "keepalive" in (package + name).lower():
        return False  # keepalive pings: how long to wait for a ping's answer, not for a request
    if _GRACE_TYPE.search(name):
        return False  # `ContainerStopOptions{Timeout: d}`: how long a stop waits before it kills
    path = gf.imports[package]
    if path.startswith(_FILE_LOCK_PACKAGES) or any(f in path for f in _NOT_A_CALL_PACKAGES):
        return False
    if _SERVER_FRAMEWORK.fullmatch(path):
        return False  # `fiber.New(fiber.Config{ReadTimeout: d})`: the web framework's server settings (inbound)
    if project_package(gf, path):
        return False  # `discovery.URLMapper{Timeout: t}`: the project's own type in another package
    return "." in path.split("/", 1)[0]  # a module path (github.com/...), not the standard library


# Types whose MaxRetries counts every try: gocql's Constant/ExponentialReconnectionPolicy, whose connect
# loop runs `for i := 0; i < policy.GetMaxRetries(); i++` (round 12).
_TRIES_TYPES = (("gocql", "ReconnectionPolicy"),)


def _counts_tries(gf: GoFile, type_name: str) -> bool:
    package, _, name = type_name.partition(".")
    path = gf.imports.get(package, "")
    return any(fragment in path and name.endswith(suffix) for fragment, suffix in _TRIES_TYPES)


# Skipped names that are another library's own: aws-sdk-go-v2's `retry.StandardOptions{MaxAttempts}`.
_OWN_OPTIONS_PACKAGES = ("github.com/aws/aws-sdk-go-v2/aws/retry",)
# A circuit breaker's timeout is how long it stays open, not a bound on a call (`circuitbreaker.WithTimeout(d)`).
_BREAKER = re.compile(r"(?i)breaker|circuit")

# Libraries whose timeouts bound no outbound call: go-webauthn's TimeoutConfig is the browser ceremony's;
# a JWT middleware's `Timeout` is how long a token it signs stays valid (appleboy/gin-jwt, round 10).
_NOT_A_CALL_PACKAGES = ("go-webauthn/webauthn", "gin-jwt", "/jwt", "jwt-go", "-jwt")


def project_package(gf: GoFile, import_path: str) -> bool:
    """Whether an import is a package of the scanned project: its path ends with a folder above this
    file by two segments at least (`github.com/umputun/reproxy/app/discovery` imported from
    `app/discovery/provider/docker.go`; one segment, `redis/` importing go-redis, proves nothing)."""
    folders = gf.path.split("/")[:-1]
    segments = import_path.strip("/").split("/")
    if len(segments) < 3:
        return False
    # ... or a package below this file's folder: `.../svc/frontline/routes` from `svc/frontline/run.go`
    joined = "/" + "/".join(segments) + "/"
    for start in range(len(folders) - 1):
        if "/" + "/".join(folders[start:]) + "/" in joined and len(folders) - start >= 2:
            return True
    for size in range(len(folders), 0, -1):
        prefix = folders[:size]
        if size >= 2 and segments[-size:] == prefix and len(segments) > size:
            return True
    return False


_DIALS_WITH = re.compile(r"(?i)dial\w*|connect\w*|open|newclient\w*")


def _dial_argument(gf: GoFile, node) -> bool:
    """`ssh.Dial("tcp", addr, &ssh.ClientConfig{Timeout: cfg.Timeout})`: a config literal handed straight
    to the dial is that connection's setting, whatever it copies its value from."""
    holder = node.parent
    if holder is not None and holder.type == "unary_expression":
        holder = holder.parent
    if holder is None or holder.type != "argument_list" or holder.parent is None:
        return False
    call = gf.call_at(holder.parent)
    return call is not None and _DIALS_WITH.fullmatch(call.name) is not None


def _in_defaults_function(gf: GoFile, node) -> bool:
    """Inside `func DefaultConfig() Config {...}`, or the value of `var defaultConfig = Config{...}`:
    defaults kept for the client that reads them."""
    for fn in gf.enclosing_functions(node)[-1:]:
        name = fn.child_by_field_name("name")
        result = fn.child_by_field_name("result")
        if name is not None and _DEFAULTS_FUNCTION.search(node_text(name)) and \
                (result is None or _CONFIG_RESULT.search(node_text(result))):
            return True  # not `func NewDefaultRouter(opts) (*message.Router, error)`: that builds the client
    holder = node.parent
    while holder is not None and holder.type in ("unary_expression", "expression_list", "parenthesized_expression"):
        holder = holder.parent
    if holder is not None and holder.type in ("var_spec", "const_spec"):
        names = holder.children_by_field_name("name")
        return any(_DEFAULTS_FUNCTION.search(node_text(n)) for n in names)
    return False


def _receiver_setting(gf: GoFile, value) -> bool:
    """`func (m *Mongo) Build() *mongoutil.Config { return &mongoutil.Config{MaxRetry: m.MaxRetry} }`:
    the service's own settings type (read from its config file) builds the library's config from its
    fields: the setting reaches the library here, so it is reported here (null unless its default is
    known), unlike a config handed along from a parameter."""
    operand = value.child_by_field_name("operand")
    if operand is None or operand.type != "identifier":
        return False
    for fn in gf.enclosing_functions(value)[:1]:
        if fn.type != "method_declaration":
            return False
        receiver = fn.child_by_field_name("receiver")
        for decl in receiver.named_children if receiver is not None else []:
            if any(node_text(n) == node_text(operand) for n in decl.children_by_field_name("name")):
                return True
    return False


def _message_getter(value, field_name: str) -> bool:
    """A protobuf getter of the same field, `x.GetTimeout()`: a message's value, no setting."""
    return value.type == "call_expression" and \
        re.search(rf"\.Get{re.escape(field_name)}\(\s*\)$", node_text(value).strip()) is not None


# `LLMRequestTimeout`, `HTTPCallTimeout`: a request timeout named for what it bounds.
_PREFIXED_TOTAL = re.compile(r"[A-Z][A-Za-z0-9]*(Request|Call|Operation|Query)Timeout")


# A request's timeout counted in milliseconds (franz-go kmsg requests' `TimeoutMillis`).
_MILLIS_FIELD = re.compile(r"(?:Request|Operation|Call)?Timeout(?:Millis|Ms)")


# Any other `...Timeout` field of a client's option struct (go-deluge's `ReadWriteTimeout`, `SocketTimeout`,
# `RPCTimeout`) bounds that client's calls, read by its phase words (round 13); not the fields that
# bound something else: idle and keep-alive, stop and grace, locks, leases, sessions, batching and flushes,
# heartbeats, elections, polls, caches, intervals.
_ANY_TIMEOUT_FIELD = re.compile(r"[A-Z][A-Za-z0-9]*Time[Oo]ut")
_NOT_A_CALL_FIELD = re.compile(r"(?i)idle|keep_?alive|shutdown|stop|grace|drain|kill|lock|lease|session|ttl|expir|"
                               r"batch|flush|linger|heartbeat|election|poll|cache|interval|refresh|health|handshake|"
                               r"continue|visibility|ack|commit|wait|sleep|delay|backoff|startup|liveness|readiness|history|"
                               r"retention|window|age$|token|cookie|cooldown|debounce|inactiv|cleanup|gc|probe|ping|gossip|suspicion")


def _generic_timeout_field(field_name: str) -> str | None:
    if not _ANY_TIMEOUT_FIELD.fullmatch(field_name) or _NOT_A_CALL_FIELD.search(field_name[:-len("Timeout")]):
        return None
    head = field_name[:-len("Timeout")]
    if re.search(r"Read|Response|Recv|Receive", head):
        return "ReadTimeout"
    if re.search(r"Connect|Dial|Conn", head):
        return "ConnectTimeout"
    if re.search(r"Write|Send", head):
        return "WriteTimeout"
    return "RequestTimeout"


# The generic `...Timeout` fields count on a client's options only (`deluge.Settings`, `kv.Options`), not
# on an API's request or resource data (`ec2types.ConnectionTrackingSpecificationRequest{UdpTimeout: ..}`).
_OPTIONS_TYPE = re.compile(r"(?:Options?|Opts|Config|Cfg|Settings|Params|Parameters|Conn|Connection|Client|Dialer|"
                           r"Pool|Transport|Session)$")


def _generic_only(gf: GoFile, field_name: str, type_name: str | None) -> bool:
    """`field_name` is a client timeout only through the generic rule, and `type_name` is no options type
    of another module: a type of the project's own packages (`ruler_config.AlertManagerConfig` imported
    as `.../pkg/ruler/config` from `pkg/ruler/base/notifier.go`) holds its settings, read elsewhere."""
    if _CANONICAL.get(field_name.lower()) is not None or _PREFIXED_TOTAL.fullmatch(field_name) or \
            _generic_timeout_field(field_name) is None:
        return False
    if not _OPTIONS_TYPE.search(type_name or ""):
        return True
    package = (type_name or "").split(".", 1)[0]
    folders = gf.path.split("/")[:-1]
    path = "/" + gf.imports.get(package, "").strip("/") + "/"
    return len(folders) >= 2 and "/" + "/".join(folders[:2]) + "/" in path


def _canonical(field_name: str) -> str:
    found = _CANONICAL.get(field_name.lower())
    if found is None and _PREFIXED_TOTAL.fullmatch(field_name):
        return "RequestTimeout"
    if found is None:
        found = _generic_timeout_field(field_name)
    return found or field_name


def _reads_as_duration(gf: GoFile, value) -> bool:
    value = inner_expression(value)  # `&timeout`: an optional duration given by pointer
    text = node_text(value)
    if value.type in ("int_literal", "float_literal"):
        return text.strip() == "0"
    last = re.split(r"[.\s()]", text.strip().rstrip(")"))[-1]
    if _UNITLESS.search(last):
        return False
    return "time." in text or value.type in ("identifier", "selector_expression", "call_expression",
                                             "binary_expression")


@detector(
    ID, "go", ("timeout", "retry"),
    valid=('package p\nimport "github.com/ncw/swift"\nvar c = swift.Connection{UserName: "timeout", Timeout: 30}\n',
           'package p\ntype Options struct{ Timeout int }\nvar o = Options{Timeout: 5}\n'),
    invalid=('package p\nimport ("time"; "github.com/ncw/swift")\nvar c = swift.Connection{Retries: 3, Timeout: 5 * time.Second}\n',),
)
def detect(gf: GoFile) -> list[Draft]:
    """Timeouts and retry limits in third-party client option structs."""
    drafts = []
    for comp in gf.composites:
        if not ({_canonical(f) for f in comp.fields} & (set(_TIMEOUT_FIELDS) | set(_RETRY_FIELDS))):
            continue
        server_ok = bool({_canonical(f) for f in comp.fields} & set(_POOL_FIELDS))
        if not _third_party_type(gf, comp.type_name, server_ok):
            continue
        if _in_defaults_function(gf, comp.node):
            continue
        keys = frozenset(storage_keys(gf, comp.node))
        for own_name, value in comp.fields.items():
            field_name = _canonical(own_name)
            if "Server" in comp.type_name and field_name not in _POOL_FIELDS:
                continue
            if _generic_only(gf, own_name, comp.type_name):
                continue
            if _message_getter(value, own_name):
                continue  # `Timeout: res.GetWorkflow().GetTimeout()`: a message's data copied over
            if comp.type_name.endswith(("Config", "Cfg", "Settings")) and value.type == "selector_expression" and \
                    node_text(value.child_by_field_name("field")).lower() == own_name.lower() and \
                    not _dial_argument(gf, comp.node) and not _receiver_setting(gf, value):
                continue  # `base.Config{MaxRetries: cfg.MaxRetries}`: config copied along, set elsewhere
            if field_name in _TIMEOUT_FIELDS and _reads_as_duration(gf, value):
                info = gf.duration(value)
                if info.value == 0 and info.resolved_from == "literal":
                    continue  # 0: no timeout
                drafts.append(Draft(
                    gf.finding("timeout", comp.elements[own_name], ID,
                               {"timeout_ms": info.value,
                                "phase": _TYPE_PHASES.get((comp.type_name, field_name), "connect" if (
                                    field_name == "Timeout" and comp.type_name.endswith(".Dialer")) else
                                    _TIMEOUT_FIELDS[field_name]),
                                "resolved_from": info.resolved_from, "expression": info.expression,
                                "client_type": comp.type_name},
                               confidence=info.confidence, pending=info.pending),
                    link=("client", keys), linkable=True))
            elif field_name in _RETRY_FIELDS:
                offset = _RETRY_FIELDS[field_name]
                if _counts_tries(gf, comp.type_name):
                    offset = 0  # gocql's reconnection policies: MaxRetries is the number of connect tries
                if field_name == "RetryMaxAttempts" and _RETRIES_AFTER_FIRST_R22.get(
                        gf.imports.get(comp.type_name.partition(".")[0], "")) == field_name:
                    offset = 1  # cerbos cloud-api's ClientConf: go-retryablehttp's RetryMax, retries after the first
                drafts.append(_retry(gf, comp.elements[own_name], value, offset, comp.type_name, keys))
    drafts.extend(_assigned(gf))
    drafts.extend(_own_option_structs(gf))
    if b"SetDefault(" in gf.data and b"holster" in gf.data:
        drafts.extend(_holster_library_defaults_r19b(gf))
    if b"AgentServiceCheck" in gf.data:
        drafts.extend(_consul_checks_r19b(gf))
    if b"func(" in gf.data:
        drafts.extend(_functional_option_defaults_r17(gf))
    for call in gf.calls:
        if call.name == "WithMaxRetries" and len(call.args) == 1 and call.package is None and call.receiver is not None \
                and not _package_function(gf, call):
            drafts.append(_retry(gf, call.node, call.args[0], 1, "aws.Config",
                                 frozenset(storage_keys(gf, call.node))))
        elif _package_function(gf, call):
            drafts.extend(_functional_option(gf, call))
        elif _setter_on_value(gf, call):
            drafts.append(_setter_timeout(gf, call))
        if _HANDS_TO.fullmatch(call.name) and not _NOT_A_CLIENT.search(call.name) and \
                not (_OPTION_TIMEOUT.fullmatch(call.name) and _package_function(gf, call)):
            # (`redis.DialReadTimeout(timeout)` is read once, as the option it is, with its phase)
            drafts.extend(_handed_timeouts(gf, call))
        if call.name in ("SetRetryWrites", "SetRetryReads") and len(call.args) == 1 and \
                node_text(call.args[0]).strip() == "false" and call.receiver is not None and \
                any(p.startswith("go.mongodb.org/mongo-driver") for p in gf.imports.values()):
            # round 20 (tinode): mongo-driver `opts.SetRetryWrites(false)`: the driver's one retry switched off,
            # 1 try (`true` is the driver's default, not reported)
            drafts.append(Draft(gf.finding("retry", call.node, ID,
                                           {"max_attempts": 1, "backoff": None, "retry_on": "error",
                                            "mechanism": "client_config", "library": "mongo",
                                            "client_type": "options.ClientOptions", "expression": "false"}),
                                link=("client", frozenset(storage_keys(gf, call.node))), linkable=True))
        if call.name in ("SetRetryCount", "SetCommonRetryCount") and len(call.args) == 1 and \
                call.receiver is not None and call.package is None and not _package_function(gf, call):
            # resty: `resty.New().SetRetryCount(2)` retries twice after the first try -> 3 attempts; imroc/req
            # v3 likewise: `req.C().SetCommonRetryCount(2)` (every request of the client), `req.R().SetRetryCount(2)`
            function = call.node.child_by_field_name("function")
            at = function.child_by_field_name("field") if function is not None else None
            drafts.append(_retry(gf, at or call.node, call.args[0], 1,
                                 "req.Client" if call.name == "SetCommonRetryCount" else "resty.Client",
                                 frozenset(storage_keys(gf, call.node))))
    return drafts


_CONSUL_API = re.compile(r"github\.com/hashicorp/consul/api")
_CONSUL_ACTIVE_CHECK = frozenset({"HTTP", "GRPC", "TCP", "H2PING", "UDP", "OSService"})


def _consul_check_type(gf: GoFile, body) -> bool:
    """Whether a literal's body is a hashicorp/consul/api AgentServiceCheck (typed, or an element of a
    `[]*api.AgentServiceCheck{...}` / `api.AgentServiceChecks{...}` literal)."""
    literal = body.parent
    if literal is None:
        return False
    if literal.type == "composite_literal":
        type_name = gf.type_name(literal.child_by_field_name("type"))
    elif literal.type == "literal_element" and literal.parent is not None and literal.parent.parent is not None \
            and literal.parent.parent.type == "composite_literal":
        type_name = node_text(literal.parent.parent.child_by_field_name("type")).replace("[]", "").replace("*", "")
    else:
        return False
    alias, _, own = type_name.partition(".")
    return own in ("AgentServiceCheck", "AgentServiceChecks", "AgentCheckRegistration") and \
        bool(_CONSUL_API.fullmatch(gf.imports.get(alias, "")))


def _consul_checks_r19b(gf: GoFile) -> list[Draft]:
    """hashicorp/consul/api's `&api.AgentServiceCheck{HTTP: checkURL, Interval: "1s", Timeout:
    cfg.CheckTimeout.String()}` (round 19, second wave, fabio): the health check the Consul agent makes of
    the service is bounded by its Timeout, a duration string (`"3s"`, or a duration's `.String()`): a total
    timeout at the field. TTL checks (no call made) and the check's Interval / DeregisterCriticalServiceAfter
    are none."""
    if not any(_CONSUL_API.fullmatch(p) for p in gf.imports.values()):
        return []
    drafts = []
    for node in ts.walk(gf.root):
        if node.type != "literal_value" or not _consul_check_type(gf, node):
            continue
        elements = {}
        for element in node.named_children:
            if element.type == "keyed_element" and element.named_child_count == 2:
                elements[node_text(element.named_children[0]).strip()] = element
        if "Timeout" not in elements or not (set(elements) & _CONSUL_ACTIVE_CHECK):
            continue
        element = elements["Timeout"]
        value = inner_expression(element.named_children[1])
        if value.type == "literal_element" and value.named_child_count:
            value = inner_expression(value.named_children[0])
        if value.type == "interpreted_string_literal":
            ms = duration_text_ms(node_text(value).strip('"'))
            if ms is None or ms == 0:
                continue
            info = ValueInfo(ms, "literal", node_text(value))
        else:
            call = gf.call_at(value) if value.type == "call_expression" else None
            if call is None or call.name != "String" or call.args or call.receiver is None:
                continue
            info = gf.duration(call.receiver)
            if info.value == 0:
                continue
        drafts.append(Draft(
            gf.finding("timeout", element, ID,
                       {"timeout_ms": info.value, "phase": "total", "resolved_from": info.resolved_from,
                        "expression": info.expression, "client_type": "api.AgentServiceCheck"},
                       confidence=info.confidence, pending=info.pending),
            linkable=False))
    return drafts


def _holster_library_defaults_r19b(gf: GoFile) -> list[Draft]:
    """mailgun/holster's `setter.SetDefault(&conf.EtcdPoolConf.EtcdConfig, &etcd.Config{})` then
    `setter.SetDefault(&conf.EtcdPoolConf.EtcdConfig.DialTimeout, getEnvDuration(log, "GUBER_ETCD_DIAL_TIMEOUT"),
    clock.Second*5)` (round 19, second wave, gubernator): a timeout field of a library's client config made
    in this file, given its value by SetDefault (the first non-zero of the values: the environment's, else
    the last one, the default): that client's timeout, at the SetDefault line, valued by the default. The
    project's own config fields (`&conf.Behaviors.BatchTimeout`) are read where they are used."""
    setters = {alias for alias, path in gf.imports.items()
               if re.fullmatch(r"github\.com/mailgun/holster(/v\d+)?/setter", path)}
    if not setters:
        return []
    calls = [c for c in gf.calls if c.name == "SetDefault" and len(c.args) >= 2 and
             (c.callee or "").split(".", 1)[0] in setters and node_text(c.args[0]).lstrip().startswith("&")]
    made: dict[str, str] = {}  # path -> library type
    for call in calls:
        value = inner_expression(call.args[-1])
        if value.type == "unary_expression":
            value = inner_expression(value.child_by_field_name("operand"))
        if value.type == "composite_literal":
            type_name = gf.type_name(value.child_by_field_name("type"))
            if "." in type_name and _third_party_type(gf, type_name):
                made["".join(node_text(call.args[0]).split()).lstrip("&")] = type_name
    drafts = []
    for call in calls:
        path = "".join(node_text(call.args[0]).split()).lstrip("&")
        holder, _, field = path.rpartition(".")
        field_name = _canonical(field)
        type_name = made.get(holder)
        if type_name is None or field_name not in _TIMEOUT_FIELDS or not _reads_as_duration(gf, call.args[-1]):
            continue
        info = gf.duration(call.args[-1])
        if info.value == 0:
            continue
        drafts.append(Draft(
            gf.finding("timeout", call.node, ID,
                       {"timeout_ms": info.value, "phase": _TIMEOUT_FIELDS[field_name],
                        "resolved_from": info.resolved_from, "expression": info.expression,
                        "client_type": type_name},
                       confidence="medium", pending=info.pending),
            link=("client", frozenset({holder})), linkable=True))
    return drafts


_OPTION_TIMEOUT_FIELD_R17 = re.compile(r"(?i)^(?:\w*_)?(?:request|client|http|dial|connect|conn|call)?_?timeout$")
_OPTION_TRIES_FIELD_R17 = re.compile(r"(?i)^(?:max_?)?(retries|retry_?count|max_?retry|attempts|tries|max_?attempts)$")


def _functional_option_defaults_r17(gf: GoFile) -> list[Draft]:
    """Functional options with their defaults in one file: `func SetTimeout(timeout time.Duration)
    Option { return func(s *settings) error { s.timeout = timeout; return nil } }` beside `func
    newDefaultSettings() settings { const defaultTimeout = 5 * time.Second; return settings{timeout:
    defaultTimeout} }`: the package's own default is what a caller leaving the option out gets (rule
    (a): reported at the default's key; a caller's option, `dns.SetTimeout(d)`, is rule (c)). Only a
    field an option function of this file sets from its parameter, and only in a function named for
    defaults or a constructor; a retry field (`retries`, `maxAttempts`) counts like the options structs'
    (round 17, ddns-updater's public-IP fetchers; the round-16 request for functional-option defaults)."""
    fields: dict[str, str] = {}
    for fn in gf.root.named_children:
        if fn.type != "function_declaration":
            continue
        params = fn.child_by_field_name("parameters")
        body = fn.child_by_field_name("body")
        if params is None or body is None:
            continue
        names = {node_text(n) for d in params.named_children if d.type == "parameter_declaration"
                 for n in d.children_by_field_name("name")}
        literals = [n for n in descendants(body) if n.type == "func_literal"]
        for literal in literals:
            inner = literal.child_by_field_name("body")
            for n in descendants(inner) if inner is not None else ():
                if n.type != "assignment_statement":
                    continue
                left, right = n.child_by_field_name("left"), n.child_by_field_name("right")
                if left is None or right is None or left.named_child_count != 1 or right.named_child_count != 1:
                    continue
                target = left.named_children[0]
                if target.type != "selector_expression" or node_text(right.named_children[0]) not in names:
                    continue
                field = node_text(target.child_by_field_name("field"))
                if _OPTION_TIMEOUT_FIELD_R17.match(field):
                    fields[field] = "timeout"
                elif _OPTION_TRIES_FIELD_R17.match(field):
                    fields[field] = "retry"
    if not fields:
        return []
    drafts = []
    for comp in gf.composites:
        if "." in comp.type_name:
            continue  # the option functions set this package's own settings
        functions = [f for f in gf.enclosing_functions(comp.node) if f.type == "function_declaration"]
        name = node_text(functions[0].child_by_field_name("name")) if functions else ""
        if not re.search(r"(?i)default|^new", name):
            continue
        holder = comp.node.parent
        while holder is not None and holder.type in ("unary_expression", "expression_list"):
            holder = holder.parent
        local = None
        if holder is not None and holder.type in ("short_var_declaration", "assignment_statement", "var_spec"):
            left = holder.child_by_field_name("left") or holder.child_by_field_name("name")
            local = node_text(left.named_children[0] if left is not None and left.named_children else left)
        body_text = node_text(functions[0].child_by_field_name("body"))[comp.node.end_byte - functions[0].child_by_field_name("body").start_byte:]
        for own_name, value in comp.fields.items():
            kind = fields.get(own_name)
            if local and re.search(rf"\b{re.escape(local)}\.{re.escape(own_name)}\b", body_text):
                continue  # `conf := clientConfig{Timeout: 60s}; ...; http.Client{Timeout: conf.Timeout}`: at the client
            if kind == "timeout" and _reads_as_duration(gf, value):
                info = gf.duration(value)
                if info.value is None or info.value <= 0:
                    continue
                drafts.append(Draft(
                    gf.finding("timeout", comp.elements[own_name], ID,
                               {"timeout_ms": info.value, "phase": "total", "resolved_from": info.resolved_from,
                                "expression": info.expression, "client_type": comp.type_name},
                               confidence="medium", pending=info.pending),
                    linkable=False))
            elif kind == "retry":
                offset = 0 if re.search(r"(?i)attempt|^(max_?)?tries$", own_name) else 1
                drafts.append(_retry(gf, comp.elements[own_name], value, offset, comp.type_name, frozenset()))
    return drafts


# A constructor or dial function of a client or connection: `config.NewForge(timeout, retries, ...)`,
# `pool.borrowConnection(addr, DefaultTCPTimeout)`.
_HANDS_TO = re.compile(r"(?i)(new|dial|connect|borrow|open)\w*|\w*(client|conn|connection)")
# A timeout handed on positionally: its name says what it bounds (not a wait, a lifetime or a grace).
_HANDED_NAME = re.compile(r"(?i)\w*timeout")
_NOT_A_CALL_BOUND = re.compile(r"(?i)idle|keepalive|shutdown|grace|backlog|poll|ttl|lock|interval|session|expir|write")


def _handed_timeouts(gf: GoFile, call) -> list[Draft]:
    """`config.NewForge(timeout, retries, ...)`: a timeout handed by position to a client's or
    connection's constructor, named as one, with a value chosen here (a constant or a flag default;
    a parameter passed through is left to where it comes from)."""
    if call.receiver is not None and call.receiver.type == "identifier" and \
            gf.package_of(node_text(call.receiver), call.node) is not None:
        return []  # the standard library's own calls are read by their detectors
    drafts = []
    for arg in call.args:
        value = inner_expression(arg)
        if value.type not in ("identifier", "selector_expression"):
            continue
        name = node_text(value).rsplit(".", 1)[-1]
        if not _HANDED_NAME.fullmatch(name) or _NOT_A_CALL_BOUND.search(name):
            continue
        if value.type == "identifier" and gf.lookup_local(name, call.node) is not None and \
                not hasattr(gf.lookup_local(name, call.node), "type"):
            continue  # a parameter handed on
        info = gf.duration(value)
        if info.value is None and not info.pending:
            continue
        if info.value is None and all(_only_fields(p.expr) for p in info.pending):
            continue  # `c.timeout` of a struct: where it was set reports it
        drafts.append(Draft(
            gf.finding("timeout", call.node, ID,
                       {"timeout_ms": info.value, "phase": "total", "resolved_from": info.resolved_from,
                        "expression": info.expression, "client_type": call.name},
                       confidence="medium", pending=info.pending),
            linkable=True))
    return drafts


def _only_fields(expr) -> bool:
    """A value read from a field (`f.timeout`) or other unresolvable source, no constant or flag."""
    names = list(ref_names(expr, include_env=True))
    return not names or all("." in n and not n.startswith("$") for n in names[:1])


_SETTERS = ("WithTimeout", "SetTimeout", "SetReadTimeout", "SetConnectTimeout", "SetDialTimeout",
            "SetSocketTimeout", "SetServerSelectionTimeout",
            # imroc/req v3's client setters (round 16): `req.C().SetTLSHandshakeTimeout(20 * time.Second)`
            "SetTLSHandshakeTimeout", "SetResponseHeaderTimeout")
# Receivers whose timeout bounds no outbound call: servers, locks, test helpers.
_NOT_A_CLIENT = re.compile(r"(?i)server|lock|mutex|test|mock|listener|session|cache")


def _setter_on_value(gf: GoFile, call) -> bool:
    """`builder.WithTimeout(d)` / `client.SetTimeout(d)`: a method of a value, not a package function."""
    if call.name not in _SETTERS or len(call.args) != 1 or call.package is not None:
        return False
    receiver = call.receiver
    if receiver is None:
        return False
    if receiver.type == "identifier" and node_text(receiver) in gf.imports and \
            gf.lookup_local(node_text(receiver), call.node) is None:
        return False  # `pkg.WithTimeout(d)`: a package function, read above when third-party
    text = node_text(receiver)
    if receiver.type == "call_expression":
        text = re.sub(r"\.\s*Set\w+", ".", _without_comments(receiver))  # the chain's other setters (`SetServerSelectionTimeout`) name no server
    if _NOT_A_CLIENT.search(text.split("(", 1)[0] if receiver.type != "call_expression" else text):
        return False
    value = inner_expression(call.args[0])
    if value.type == "unary_expression" and node_text(value.child_by_field_name("operator")) == "*" and \
            value.child_by_field_name("operand") is not None and \
            value.child_by_field_name("operand").type == "selector_expression":
        # round 22 (cerbos): `awshttp.NewBuildableClient().WithTimeout(*conf.RequestTimeout)`, a config's
        # optional duration field (not `*flagValue` of a flag handed to a project option)
        value = inner_expression(value.child_by_field_name("operand"))
    return _reads_as_duration(gf, value)


def _setter_timeout(gf: GoFile, call) -> Draft:
    info = gf.duration(call.args[0])
    receiver = node_text(call.receiver)
    function = call.node.child_by_field_name("function")
    at = function.child_by_field_name("field") if function is not None else None  # the line of `.WithTimeout(`
    return Draft(
        gf.finding("timeout", at or call.node, ID,
                   {"timeout_ms": info.value, "phase": _phase_of(call.name, "total"), "resolved_from": info.resolved_from,
                    "expression": info.expression, "client_type": receiver.split("(", 1)[0][:60]},
                   confidence=info.confidence, pending=info.pending),
        link=("client", frozenset(storage_keys(gf, call.node))), linkable=True)


# Own option fields that name a client's timeout: `clientTimeout`, `httpClientTimeout`, `Timeout`.
_OWN_FIELD = re.compile(r"(?i)(?:http)?(?:client|request)?timeout")


def _own_option_structs(gf: GoFile) -> list[Draft]:
    """`Options{Timeout: defaultRequestTimeout}` of a struct this file declares, in a client file."""
    if not any(path in ("net/http", "net") for path in gf.imports.values()):
        return []
    drafts = []
    field_types = gf.struct_field_types
    for comp in gf.composites:
        if "." in comp.type_name or _NOT_A_CLIENT.search(comp.type_name) or _in_defaults_function(gf, comp.node):
            continue
        for own_name, value in comp.fields.items():
            if not _OWN_FIELD.fullmatch(own_name) or field_types.get(own_name) != "time.Duration":
                continue
            if not _reads_as_duration(gf, value):
                continue
            info = gf.duration(value)
            if info.value is None or info.value == 0:
                continue  # handed on from a parameter or config: the client it reaches reports it
            if _read_later(gf, comp.node, own_name):
                continue  # `config = &ClientConfig{Timeout: 60s}; ...; http.Client{Timeout: config.Timeout}`
            if _beside_real_client_r20(gf, comp, value):
                continue  # `HeartbeatClient{Timeout: timeout, httpClient: &http.Client{Timeout: timeout}}`
            drafts.append(Draft(
                gf.finding("timeout", comp.elements[own_name], ID,
                           {"timeout_ms": info.value, "phase": "total", "resolved_from": info.resolved_from,
                            "expression": info.expression, "client_type": comp.type_name},
                           confidence=info.confidence, pending=info.pending),
                link=("client", frozenset(storage_keys(gf, comp.node))), linkable=True))
    return drafts


def _beside_real_client_r20(gf: GoFile, comp, value) -> bool:
    """round 20 (litestream): the literal also builds a library's client (`httpClient: &http.Client{Timeout:
    timeout}`) given the same value: the project field is a stored copy, the client reports the setting."""
    text = node_text(value)
    for inner in gf.composites:
        if inner.node == comp.node or not (comp.node.start_byte <= inner.node.start_byte and
                                           inner.node.end_byte <= comp.node.end_byte):
            continue
        if "." in inner.type_name and any(node_text(v) == text for v in inner.fields.values()):
            return True
    return False


def _read_later(gf: GoFile, node, field: str) -> bool:
    """A literal assigned to a variable (`config = &ClientConfig{...}`, `cfg := Options{...}`) whose field
    the same function reads afterwards (`Timeout: config.Timeout`): the value of the setting that read
    is made at, not a contract of its own."""
    value = node
    while value.parent is not None and value.parent.type in ("unary_expression", "parenthesized_expression"):
        value = value.parent
    holder = value.parent
    if holder is not None and holder.type == "expression_list":
        holder = holder.parent
    if holder is None or holder.type not in ("assignment_statement", "short_var_declaration"):
        return False
    left = holder.child_by_field_name("left")
    if left is None or left.named_child_count != 1 or left.named_children[0].type != "identifier":
        return False
    name = node_text(left.named_children[0])
    fn = holder.parent
    while fn is not None and fn.type not in ("function_declaration", "method_declaration", "func_literal"):
        fn = fn.parent
    if fn is None:
        return False
    after = gf.data[holder.end_byte:fn.end_byte].decode("utf-8", "replace")
    return re.search(rf"\b{re.escape(name)}\.{re.escape(field)}\b", after) is not None


def _declared_var_type_r20(gf: GoFile, name: str, at) -> str | None:
    """round 20 (tinode): `var opts rdb.ConnectOpts` (a zero value of a library's options type, no initialiser)
    declared earlier in the function around `at`: that type."""
    fns = gf.enclosing_functions(at)
    if not fns:
        return None
    found = None
    for node in ts.walk(fns[0]):
        if node.start_byte >= at.start_byte:
            break
        if node.type != "var_spec" or node.child_by_field_name("value") is not None or \
                not any(node_text(n) == name for n in node.children_by_field_name("name")):
            continue
        type_node = node.child_by_field_name("type")
        if type_node is not None and type_node.type == "qualified_type":
            found = gf.type_name(type_node)
    return found


def _local_composite_type(gf: GoFile, assignment, operand=None) -> str | None:
    """The type of `x` in `x := pkg.T{...}` / `x := &pkg.T{}` bound earlier in the same function."""
    bound = gf.lookup_local(node_text(operand if operand is not None else assignment.operand), assignment.node)
    if bound is not None and not hasattr(bound, "type"):
        return _declared_var_type_r20(gf, node_text(operand if operand is not None else assignment.operand),
                                      assignment.node)
    if bound is None or not hasattr(bound, "type"):
        return None
    value = inner_expression(bound)
    if value.type == "unary_expression" and node_text(value.child_by_field_name("operator")) == "&":
        value = inner_expression(value.child_by_field_name("operand"))
    if value.type == "call_expression":
        # `cluster := gocql.NewCluster(hosts...)`, `cfg := memberlist.DefaultLANConfig()`: a value a
        # third-party constructor built (not `google.DefaultClient(ctx)`: an http.Client, read by go.http_client).
        call = gf.call_at(value)
        # `opts, err := redis.ParseURL(u)`, `ch.ParseDSN(dsn)`: the options the library parsed from a URL
        if call is not None and re.match(r"New|Parse|.*(Config|Options)$", call.name) and _package_function(gf, call):
            return f"{node_text(call.receiver)}.{call.name}"
        return None
    if value.type != "composite_literal":
        return None
    return gf.type_name(value.child_by_field_name("type"))


def _made_by_own_function(gf: GoFile, assignment) -> str | None:
    """`vreq, err := v.buildVReq(csr, d); vreq.Timeout = 60 * time.Second` with `func (v *Venafi)
    buildVReq(...) (*certificate.Request, error)` in this file: a local built by a function of this file
    whose first result is another module's type, typed by that result (round 13, cert-manager's Venafi
    pickup timeout)."""
    bound = gf.lookup_local(node_text(assignment.operand), assignment.node)
    if bound is None or not hasattr(bound, "type") or inner_expression(bound).type != "call_expression":
        return None
    call = gf.call_at(inner_expression(bound))
    if call is None or not call.name or (call.receiver is not None and node_text(call.receiver) in gf.imports):
        return None
    name = node_text(assignment.operand)
    functions = gf.enclosing_functions(assignment.node)
    later = gf.calls_within(assignment.node.end_byte, functions[0].end_byte) if functions else []
    if not any(node_text(inner_expression(a)) == name for c in later for a in c.args):
        return None  # set and never handed to a call: nothing reads it (the round-11 Vault trap)
    for fn in gf.root.named_children:
        if fn.type not in ("function_declaration", "method_declaration") or \
                node_text(fn.child_by_field_name("name")) != call.name:
            continue
        result = fn.child_by_field_name("result")
        if result is not None and result.type == "parameter_list":
            first = next((d.child_by_field_name("type") for d in result.named_children
                          if d.type == "parameter_declaration"), None)
        else:
            first = result
        while first is not None and first.type == "pointer_type" and first.named_child_count:
            first = first.named_children[0]
        type_name = gf.type_name(first) if first is not None else ""
        return type_name if "." in type_name else None
    return None


def _returned_type(gf: GoFile, assignment) -> str | None:
    """`cfg, err := c.newConfig(ctx); cfg.MaxRetries = n; return c, cfg, nil` in `func prepareConfig(...)
    (*client, *vault.Config, error)`: a local the function returns, typed by the result it is returned as
    (round 11, External Secrets' Vault provider). A local assigned from a parameter is not."""
    name = node_text(assignment.operand)
    bound = gf.lookup_local(name, assignment.node)
    if bound is None or not hasattr(bound, "type") or inner_expression(bound).type != "call_expression":
        return None
    functions = [fn for fn in gf.enclosing_functions(assignment.node)
                 if fn.type in ("function_declaration", "method_declaration")]
    if not functions:
        return None
    fn = functions[0]
    result = fn.child_by_field_name("result")
    if result is None or result.type != "parameter_list":
        return None
    types = []
    for decl in result.named_children:
        if decl.type != "parameter_declaration":
            continue
        type_node = decl.child_by_field_name("type")
        while type_node is not None and type_node.type == "pointer_type" and type_node.named_child_count:
            type_node = type_node.named_children[0]
        names = decl.children_by_field_name("name")
        types.extend([gf.type_name(type_node) if type_node is not None else ""] * max(1, len(names)))
    for node in ts.walk(fn.child_by_field_name("body")):
        if node.type != "return_statement" or not node.named_child_count:
            continue
        values = node.named_children[0].named_children if node.named_children[0].type == "expression_list" \
            else node.named_children
        for index, value in enumerate(values):
            if node_text(value).strip() == name and index < len(types) and len(values) == len(types):
                return types[index] or None
    return None


def _option_callback(gf: GoFile, assignment) -> bool:
    """`s3.NewFromConfig(cfg, func(o *s3.Options) { o.RetryMaxAttempts = 5 })`: the field is set on
    the options parameter of a function literal handed to a call (aws-sdk-go-v2's per-client
    options), a setting chosen here."""
    functions = gf.enclosing_functions(assignment.node)
    if not functions or functions[0].type != "func_literal":
        return False
    holder = functions[0].parent
    # ... or kept in a variable handed on later: `ec2Options := func(o *ec2.Options) { o.RetryMaxAttempts = n }`
    # (round 11)
    kept = holder is not None and holder.type == "expression_list" and holder.parent is not None and \
        holder.parent.type in ("short_var_declaration", "assignment_statement", "var_spec")
    if not kept and (holder is None or holder.type != "argument_list"):
        return False
    return gf.parameter_type(node_text(assignment.operand), assignment.node) is not None


def _copied_field_by_field(gf: GoFile, assignment) -> bool:
    """`result := &config.Config{}; result.ResourceCheckTimeout = util.CoalesceDuration(
    fromCRD.Timeouts.ResourceCheckTimeout, "10m")`: a config assembled field by field from another
    value (this field read from a field of the same name, and at least two more fields of the same
    local filled from that source in the function): settings converted along, read where a client
    uses them, like `base.Config{MaxRetries: cfg.MaxRetries}` (round 17, the postgres operator)."""
    value = inner_expression(assignment.value)
    sources = [value]
    if value.type == "call_expression" and value.child_by_field_name("arguments") is not None:
        sources = [inner_expression(a) for a in value.child_by_field_name("arguments").named_children]
    same = [s for s in sources if s.type == "selector_expression" and
            node_text(s.child_by_field_name("field")).lower() == assignment.field.lower()]
    if not same:
        return False
    source = same[0]
    while source.type == "selector_expression" and source.child_by_field_name("operand") is not None:
        source = source.child_by_field_name("operand")
    if source.type != "identifier":
        return False
    functions = gf.enclosing_functions(assignment.node)
    start, end = (functions[0].start_byte, functions[0].end_byte) if functions else (0, len(gf.data))
    operand, origin = node_text(assignment.operand), node_text(source)
    copies = [a for a in gf.field_assignments if start <= a.node.start_byte < end and node_text(a.operand) == operand
              and re.search(rf"\b{re.escape(origin)}\.", node_text(a.value))]
    return len(copies) >= 3


def _assigned(gf: GoFile) -> list[Draft]:
    """`params.TimeOut = defaultTimeout` on a parameter of a third-party options type, or any
    timeout field set on a local built from such a type in the same function."""
    drafts = []
    for assignment in gf.field_assignments:
        if _MILLIS_FIELD.fullmatch(assignment.field) and assignment.operand.type == "identifier":
            # franz-go's `req := kmsg.NewDeleteTopicsRequest(); req.TimeoutMillis = 30 * 1000`: a request's
            # own timeout, a number of milliseconds (round 11)
            type_name = _local_composite_type(gf, assignment)
            if type_name is not None and _third_party_type(gf, type_name):
                info = gf.count(inner_expression(assignment.value), attribute="timeout_ms")
                if info.value != 0:
                    drafts.append(Draft(
                        gf.finding("timeout", assignment.node, ID,
                                   {"timeout_ms": info.value, "phase": "total", "resolved_from": info.resolved_from,
                                    "expression": info.expression, "client_type": type_name},
                                   confidence=info.confidence, pending=info.pending),
                        link=("client", frozenset({node_text(assignment.operand)})), linkable=True))
            continue
        field_name = _canonical(assignment.field)
        operand = assignment.operand
        root = operand
        while root.type == "selector_expression" and root.child_by_field_name("operand") is not None:
            root = root.child_by_field_name("operand")
        # sarama: `config.Producer.Retry.Max = 5` retries after the first try
        retry_offset = _RETRY_FIELDS.get(field_name)
        if retry_offset is None and assignment.field == "Max" and node_text(operand).endswith("Retry"):
            retry_offset = 1
        if (field_name not in _TIMEOUT_FIELDS and retry_offset is None) or root.type != "identifier":
            continue
        if operand.type == "selector_expression" and _GROUP_MEMBERSHIP_R20.fullmatch(
                node_text(operand.child_by_field_name("field"))):
            continue  # sarama's `Consumer.Group.Session.Timeout` / `Rebalance.Timeout`: group membership (round 20)
        if field_name == "ConnWriteTimeout" and operand.type == "selector_expression":
            type_name = "rueidis.ClientOption"  # `result.ClientOption.ConnWriteTimeout = d`: the field is rueidis' own
        elif operand.type == "identifier":
            type_name = _local_composite_type(gf, assignment) or _returned_type(gf, assignment) or \
                _made_by_own_function(gf, assignment)
            if type_name is None:
                if not fills_zero(assignment) and not _option_callback(gf, assignment):
                    continue  # `route.Timeout = vsTimeout`: config copied or generated, not a default chosen here
                type_name = gf.parameter_type(node_text(assignment.operand), assignment.node)
        else:
            # `config := sarama.NewConfig(); config.Net.DialTimeout = d`: a nested field of such a value
            type_name = _local_composite_type(gf, assignment, root)
            if type_name is None:
                # `func ConfigureProducer(config *sarama.Config) { config.Producer.Retry.Max = n }`: a nested
                # field of a parameter of such a type, set by the function that configures it (round 11);
                # not the service's own settings (`settings *config.Settings`, a package named for config)
                declared = gf.parameter_type(node_text(root), assignment.node) or ""
                if "." in declared and not _CONFIG_HOLDER.fullmatch(declared.split(".", 1)[0]):
                    type_name = declared
        if type_name is None or not (type_name == "rueidis.ClientOption" or
                                     _third_party_type(gf, type_name, field_name in _POOL_FIELDS)) \
                or ("Server" in type_name and field_name not in _POOL_FIELDS) \
                or _generic_only(gf, assignment.field, type_name):
            continue
        if type_name.endswith(("Config", "Cfg", "Settings")) and operand.type == "identifier" and \
                _copied_field_by_field(gf, assignment):
            continue  # `result.ResourceCheckTimeout = util.CoalesceDuration(fromCRD.Timeouts.ResourceCheckTimeout, "10m")`
        if retry_offset is not None and field_name not in _TIMEOUT_FIELDS:
            drafts.append(_retry(gf, assignment.node, assignment.value, retry_offset, type_name,
                                 frozenset({node_text(root)})))
            continue
        if not _reads_as_duration(gf, assignment.value):
            continue
        info = gf.duration(assignment.value)
        if info.value == 0:
            continue
        drafts.append(Draft(
            gf.finding("timeout", assignment.node, ID,
                       {"timeout_ms": info.value, "phase": _TIMEOUT_FIELDS[field_name],
                        "resolved_from": info.resolved_from, "expression": info.expression,
                        "client_type": type_name},
                       confidence=info.confidence, pending=info.pending),
            link=("client", frozenset({node_text(root)})), linkable=True))
    return drafts


# round 20 (cauldron): the timeout of a consumer group's session, rebalance or heartbeat bounds the group's
# membership, not a call (the Kafka sets leave session.timeout.ms and the rebalance timeout out)
_GROUP_MEMBERSHIP_R20 = re.compile(r"(?i)session|rebalance|heartbeat")
_OPTION_TIMEOUT = re.compile(r"(?:With)?(Connect|Connection|Conn|Dial|Read|Write|Request|Call|Operation|Response|HTTP|RPC)?Timeout"
                             # redigo's dial options: `redis.DialConnectTimeout(d)`, `DialReadTimeout(d)` (round 12)
                             r"|Dial(Connect|Read|Write)Timeout")
_OPTION_RETRY = {"WithMaxRetries": 1, "WithRetries": 1, "MaxRetries": 1, "WithMaxAttempts": 0, "MaxAttempts": 0,
                 "WithRetryMaxAttempts": 0, "WithRetryCount": 1, "Attempts": 0, "WithAttempts": 0, "Retries": 1}
# Options named for their client: `ResilientClientWithMaxRetry(n)`, `ClientWithMaxAttempts(n)`.
_OPTION_RETRY_SUFFIX = re.compile(r"[A-Z]\w*With(MaxRetry|MaxRetries|Retries|RetryCount|MaxAttempts|RetryMaxAttempts)")
_PHASE_WORDS = (("connect", "connect"), ("conn", "connect"), ("dial", "connect"), ("serverselection", "connect"),
                ("read", "read"), ("socket", "read"), ("response", "read"), ("try", "per_try"))


def _package_function(gf: GoFile, call) -> bool:
    """`pkg.Func(...)` where pkg is a third-party import this file names."""
    receiver = call.receiver
    if receiver is None or receiver.type != "identifier" or call.package is not None:
        return False
    alias = node_text(receiver)
    if alias not in gf.imports or alias in gf.packages or gf.lookup_local(alias, call.node) is not None:
        return False
    path = gf.imports[alias]
    if re.search(r"/(test|testing|testutil|testutils|mock|mocks)(/|$)", path):
        return False  # test helpers (`.../pkg/test/util/retry`): no contract of a service
    return "." in path.split("/", 1)[0]


def _phase_of(text: str, default: str) -> str:
    lowered = text.lower().rsplit(".", 1)[-1]
    return next((phase for word, phase in _PHASE_WORDS if word in lowered), default)


def _functional_option(gf: GoFile, call) -> list[Draft]:
    alias = node_text(call.receiver)
    if _BREAKER.search(alias) or _BREAKER.search(gf.imports.get(alias, "")):
        return []  # a circuit breaker's options: how long it stays open, how many calls trip it
    if call.name == "AddWithMaxAttempts" and len(call.args) == 2:
        # aws-sdk-go-v2: `retry.AddWithMaxAttempts(retry.NewStandard(), 5)` -> 5 tries
        return [_retry(gf, call.node, call.args[1], 0, node_text(call.receiver), frozenset())]
    if call.name in _OPTION_RETRY and len(call.args) == 1:
        return [_retry(gf, call.node, call.args[0], _OPTION_RETRY[call.name], node_text(call.receiver), frozenset())]
    suffix = _OPTION_RETRY_SUFFIX.fullmatch(call.name)
    if suffix is not None and len(call.args) == 1:
        # `httpx.ResilientClientWithMaxRetry(2)`: an option named for the client it configures
        offset = 0 if suffix.group(1).lower().endswith("attempts") else 1
        return [_retry(gf, call.node, call.args[0], offset, node_text(call.receiver), frozenset())]
    m = _OPTION_TIMEOUT.fullmatch(call.name)
    if m is None or not call.args or len(call.args) > 2:
        return []
    default_phase = _TIMEOUT_FIELDS.get(call.name.removeprefix("With"), "total")
    if m.group(2):
        default_phase = _TIMEOUT_FIELDS[m.group(2) + "Timeout"]  # redigo's DialReadTimeout: read
    drafts = []
    for position, arg in enumerate(call.args):
        value = inner_expression(arg)
        text = node_text(value).strip()
        name = re.split(r"[.\s()]", text.rstrip(")"))[-1]
        if re.fullmatch(r"err\w*|\w*Err(?:or)?|e", text):
            continue  # `pgconn.Timeout(err)`, `os.IsTimeout(err)`: asks whether an error was one, sets nothing
        unit = _UNITLESS.search(name)
        if unit is None and not _reads_as_duration(gf, value):
            continue
        info = gf.duration(value) if unit is None else gf.count(value)
        scale = 1.0
        if unit is not None:
            word = unit.group(1).lower()
            scale = 1000.0 if word.startswith("s") else 60_000.0 if word.startswith("min") else 1.0
        ms = normalise_ms(info.value * scale) if info.value is not None else None
        if ms == 0:
            continue
        pending = tuple(type(p)(p.attribute if p.attribute != "max_attempts" else "timeout_ms", p.expr, scale)
                        for p in info.pending)
        if ms is None and _forwards_parameter_field_r19b(gf, call, value):
            # `agenthttp.WithTimeout(conf.Timeout)` in `func NewClient(l logger.Logger, conf Config)`: an option of
            # the project's own package handed the field of this function's parameter; a contract only when that
            # field has a default (rule a), else it forwards what the callers fill (round 19, second wave)
            value_pending = next((p for p in pending if p.attribute == "timeout_ms"), None)
            if value_pending is None:
                continue
            pending = (*pending, type(value_pending)(KEEP_IF, value_pending.expr, None))
        # Two durations: (connect, read/write) unless their names say otherwise.
        phase = _phase_of(name, ("connect", "read")[position]) if len(call.args) > 1 else default_phase
        drafts.append(Draft(
            gf.finding("timeout", call.node, ID,
                       {"timeout_ms": ms, "phase": phase, "resolved_from": info.resolved_from,
                        "expression": text, "client_type": node_text(call.receiver)},
                       confidence=info.confidence, pending=pending),
            linkable=True))
    return drafts


def _forwards_parameter_field_r19b(gf: GoFile, call, value) -> bool:
    """The option is of a package of this project (Go's `internal/` packages are importable by their module
    only) and its argument is a field of the enclosing function's own parameter (`conf.Timeout`)."""
    path = gf.imports.get(node_text(call.receiver), "")
    if "/internal/" not in path + "/" and not project_package(gf, path):
        return False
    root = value
    while root.type == "selector_expression" and root.child_by_field_name("operand") is not None:
        root = inner_expression(root.child_by_field_name("operand"))
    return root is not value and root.type == "identifier" and gf.lookup_local(node_text(root), call.node) is OPAQUE


def _retry(gf: GoFile, node, value, offset: int, type_name: str, keys) -> Draft:
    info = gf.count(inner_expression(value), offset=offset)
    attempts = info.value
    if attempts is not None and attempts < 1:
        attempts = 1  # a negative limit (go-redis -1, azcore -1) disables retries
    return Draft(gf.finding("retry", node, ID,
                            {"max_attempts": attempts, "backoff": None, "retry_on": "error",
                             "mechanism": "client_config", "library": type_name.split(".", 1)[0],
                             "client_type": type_name, "expression": info.expression},
                            confidence=info.confidence if attempts is not None else "medium",
                            pending=info.pending),
                 link=("client", keys), linkable=True)
