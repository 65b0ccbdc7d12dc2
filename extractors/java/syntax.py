"""The Java view the detectors read: one parse, the file's sites (calls, constructions, annotations,
loops), its constants and imports, and the translation of Java expressions into value Exprs."""

from __future__ import annotations

import re

from dataclasses import dataclass, field
from pathlib import Path

from contract_discovery.values import BinOp, Call, Env, Expr, Num, Ref, Str, Unknown, duration_text_ms
from extractors import treesitter as ts
from extractors.java.jvm import DURATION_FACTORIES, UNIT_CONSTANTS, FindingSink, spring_placeholder
from extractors.jvm_common import SourceLines, load_query, name_location, parse_number  # noqa: F401 - re-exported

QUERIES = Path(__file__).parent / "queries"
# A configuration key the code reads itself (`@Value("${key}")`): `$value-read:<key>` (see JavaFile._value_reads).
VALUE_READ = "$value-read:"

# Classes that hold settings by their name (their field defaults are what the getters return).
_SETTINGS_CLASS = re.compile(r"(Properties|Property|Config|Configuration|Settings|Options)$")
SETTINGS_CLASS = _SETTINGS_CLASS
# Types of the JDK's java.lang and of everyday libraries a call on which is never a project helper.
LIBRARY_TYPES = frozenset({
    "String", "Integer", "Long", "Double", "Float", "Short", "Byte", "Boolean", "Character", "Math", "StrictMath",
    "System", "Thread", "Object", "Objects", "Optional", "List", "Map", "Set", "Arrays", "Collections", "TimeUnit",
    "Duration", "Instant", "CompletableFuture", "Executors", "Runtime", "Class", "StringBuilder", "Stream",
    "IntStream", "Collectors", "Pattern", "UUID", "Assert", "Preconditions", "StringUtils", "CollectionUtils",
    "Mono", "Flux", "ResponseEntity", "Logger", "LoggerFactory", "Properties", "HashMap", "ArrayList",
    "ConcurrentHashMap", "AtomicInteger", "AtomicLong", "AtomicBoolean", "ThreadPoolExecutor",
})
LIBRARY_PACKAGES = ("java.", "javax.", "jakarta.", "kotlin.", "android.", "androidx.", "org.springframework.",
                    "okhttp3.", "retrofit2.", "io.netty.", "io.grpc.", "reactor.", "io.github.resilience4j.",
                    "com.google.", "org.apache.", "com.fasterxml.", "lombok.", "org.slf4j.", "io.vertx.",
                    "feign.", "com.netflix.hystrix.", "software.amazon.", "com.amazonaws.", "redis.clients.",
                    "io.lettuce.", "org.redisson.", "cn.hutool.", "com.alibaba.fastjson", "org.junit.")
GRAMMAR = "java"
# Builder chains longer than this are not followed further (real ones have a few dozen links).
MAX_CHAIN = 64


# A class that holds settings, by its name (a field of this type is a settings object: `$type` published)
_SETTINGS_TYPE = re.compile(r"[a-z](Config|Configuration|Properties|Settings)$")


# Library constants a client setting may name, by the class the file imports: (package, value in ms).
LIBRARY_CONSTANTS = {
    "Protocol.DEFAULT_TIMEOUT": ("redis.clients.jedis.", Num(2000.0)),  # Jedis connect/socket timeout
    "Protocol.DEFAULT_MAX_ATTEMPTS": ("redis.clients.jedis.", Num(5.0)),
    # round 16 (index-management): OpenSearch / Elasticsearch write requests' `.timeout(IndexRequest.DEFAULT_TIMEOUT)`
    # (ReplicationRequest.DEFAULT_TIMEOUT, 1 min); imported from org.opensearch.action.* or org.elasticsearch.action.*
    "IndexRequest.DEFAULT_TIMEOUT": (("org.opensearch.", "org.elasticsearch."), Num(60000.0)),
    "BulkRequest.DEFAULT_TIMEOUT": (("org.opensearch.", "org.elasticsearch."), Num(60000.0)),
    "DeleteRequest.DEFAULT_TIMEOUT": (("org.opensearch.", "org.elasticsearch."), Num(60000.0)),
    "ReplicationRequest.DEFAULT_TIMEOUT": (("org.opensearch.", "org.elasticsearch."), Num(60000.0)),
}


def project_type(jf, name: str, strict: bool = False) -> bool:
    """A class of the project, as far as the file tells: not java.lang or an everyday library type, and
    either imported from a package sharing the file's first two package segments or not imported at all
    (the file's own package). ``strict``: a file with wildcard imports may take an unimported name from a
    library, so such a name does not count."""
    if not name[:1].isupper() or name in LIBRARY_TYPES:
        return False
    full = jf.imports.get(name)
    if full is None:
        return not (strict and re.search(rb"^import\s+[\w.]+\.\*\s*;", jf.data, re.M))
    if full.startswith(LIBRARY_PACKAGES):
        return False
    own = (jf.package or "").split(".")[:2]
    return len(own) == 2 and full.split(".")[:2] == own


def query(name: str):
    return load_query(GRAMMAR, QUERIES, name)


def strip_number(text: str) -> float | None:
    return parse_number(text, "lLfFdD", "lL")


def string_of(node: ts.Node | None) -> str | None:
    if node is None or node.type != "string_literal":
        return None
    parts = []
    for child in node.named_children:
        if child.type == "string_fragment":
            parts.append(ts.text(child))
        elif child.type == "escape_sequence":
            parts.append(ts.text(child)[1:])
        else:
            return None
    return "".join(parts)


_TYPED_GETTERS = frozenset({"getInteger", "getInt", "getLong", "getDouble", "getFloat", "getDuration", "getConfig"})
# Archaius dynamic properties: `factory.getIntProperty(name, default).get()`.
_DYNAMIC_PROPERTIES = frozenset({"getIntProperty", "getLongProperty", "getFloatProperty", "getDoubleProperty",
                                 "getBooleanProperty", "getStringProperty"})
# Typed configuration keys that carry their name and default: `new IntegerConfigKey("client.timeout", .., 5000)`.
_CONFIG_KEY_TYPE = re.compile(r"\w*(ConfigKey|ConfigOption|Key|Option)$")


_ENV_PARAMETER_TYPE = re.compile(r"\w*Config(Parameter|Param|Variable|Var)$")


def config_key(node: ts.Node) -> Expr | None:
    """``new IntegerConfigKey("client.connectTimeout", List.of(KeyType.CONFIG), 5000)`` -> the setting
    with its default (``coalesce(Ref("client.connectTimeout"), 5000)``); the key alone without a number."""
    kind = ts.text(node.child_by_field_name("type")).split("<")[0].rsplit(".", 1)[-1]
    args = arguments(node)
    if _ENV_PARAMETER_TYPE.fullmatch(kind) and args and args[0].type == "string_literal" \
            and re.fullmatch(r"[A-Z][A-Z0-9_]+", string_of(args[0]) or ""):
        # round 22 (strimzi): an operator's environment parameter with its default as text, `new ConfigParameter<>(
        # "STRIMZI_OPERATION_TIMEOUT_MS", LONG, "300000", CONFIG_VALUES)`: the variable, else the first numeric text
        default = next((Num(strip_number(string_of(a) or "")) for a in args[1:] if a.type == "string_literal"
                        and re.fullmatch(r"\s*-?\d+(\.\d+)?\s*", string_of(a) or "")), None)
        return Env(string_of(args[0]), default) if default is not None else None
    if not _CONFIG_KEY_TYPE.fullmatch(kind) or not args:
        return None
    key = string_of(args[0])
    if not key or not re.fullmatch(r"[\w-]+(\.[\w-]+)+", key):
        return None
    default = expr_of(args[-1]) if len(args) > 1 else None
    if isinstance(default, Num):
        return Call("coalesce", (Ref(key), default))
    return Ref(key)


def expr_of(node: ts.Node | None) -> Expr:
    """A Java expression as a value Expr (names become Refs; unknown shapes stay Unknown)."""
    if node is None:
        return Unknown("")
    t = node.type
    if t in ("decimal_integer_literal", "hex_integer_literal", "decimal_floating_point_literal"):
        number = strip_number(ts.text(node))
        return Num(number) if number is not None else Unknown(ts.text(node))
    if t == "string_literal":
        value = string_of(node)
        return Str(value) if value is not None else Unknown(ts.text(node))
    if t == "identifier":
        return Ref(own_field_name(node) or ts.text(node))
    if t == "field_access":
        if ts.text(node.child_by_field_name("object")) == "this":
            own = _own_this_field(node)  # `this.maxRetries` with the class's `maxRetries` default published
            if own is not None:
                return Ref(own)
        holder = node.child_by_field_name("object")
        if holder.type == "method_invocation" and not arguments(holder) \
                and re.fullmatch(r"get[A-Z]\w*", ts.text(holder.child_by_field_name("name"))) \
                and holder.child_by_field_name("object") is not None \
                and holder.child_by_field_name("object").type == "identifier":
            # round 18: `context.getConfig().pubsubTotalTimeout` on a holder of a declared type (`MaxwellContext
            # context`): `MaxwellContext.config.pubsubTotalTimeout`, followed through `MaxwellContext.config.$type`
            owner = holder.child_by_field_name("object")
            declared = declared_type(owner, ts.text(owner))
            getter = ts.text(holder.child_by_field_name("name"))
            if declared is not None:
                return Ref(f"{declared}.{getter[3].lower() + getter[4:]}.{ts.text(node.child_by_field_name('field'))}")
        return Ref(ts.text(node).replace(" ", ""))
    if t == "parenthesized_expression" and node.named_child_count:
        return expr_of(node.named_children[0])
    if t == "cast_expression":
        value = node.child_by_field_name("value")
        return expr_of(value)
    if t == "unary_expression" and ts.text(node).startswith("-"):
        inner = expr_of(node.named_children[0]) if node.named_children else Unknown("")
        return BinOp("-", Num(0), inner)
    if t == "ternary_expression":
        defaulted = _null_default(node)
        if defaulted is not None:
            return defaulted
        return Unknown(ts.text(node))
    if t == "binary_expression":
        op = node.child_by_field_name("operator")
        op_text = ts.text(op) if op is not None else ""
        if op_text in ("+", "-", "*", "/", "%"):
            return BinOp(op_text, expr_of(node.child_by_field_name("left")),
                         expr_of(node.child_by_field_name("right")))
        return Unknown(ts.text(node))
    if t == "method_invocation":
        duration = duration_of(node)
        if duration is not None:
            value, scale = duration
            return value if scale == 1.0 else BinOp("*", value, Num(scale))
        name = ts.text(node.child_by_field_name("name"))
        obj = ts.text(node.child_by_field_name("object"))
        args = arguments(node)
        if obj in ("Integer", "Long") and name in ("parseInt", "parseLong", "valueOf") and args:
            return Call("int", (expr_of(args[0]),))
        if obj in ("Duration", "java.time.Duration") and name == "parse" and len(args) == 1 \
                and args[0].type == "string_literal" and duration_text_ms(string_of(args[0]) or "") is not None:
            return Num(duration_text_ms(string_of(args[0])))  # round 20 (second wave): `Duration.parse("PT3S")`
        if obj in ("Duration", "java.time.Duration") and name == "parse" and len(args) == 1 \
                and args[0].type in ("identifier", "field_access") \
                and re.fullmatch(r"[A-Z][A-Z0-9_]*", ts.text(args[0]).rsplit(".", 1)[-1]):
            # round 20 (second wave): `Duration.parse(DEFAULT_DML_TIMEOUT)` over a String constant `"PT3S"`
            return Call("duration_ms", (expr_of(args[0]),))
        if obj in ("Duration", "java.time.Duration") and name == "parse" and len(args) == 1 \
                and args[0].type in ("identifier", "field_access"):
            # round 19: `Duration.parse(hazelcastConnectionTimeout)` over an `@Value` String field holding `PT30S`: the
            # setting, which the configuration publishes in ms
            return local_value(args[0])
        if name in ("longValue", "intValue") and not args and node.child_by_field_name("object") is not None:
            return expr_of(node.child_by_field_name("object"))  # round 11: `Optional..orElse(DEFAULT).longValue()`
        if obj in ("Integer", "Long") and name in ("getInteger", "getLong") and args and string_of(args[0]):
            # `Integer.getInteger("com.acme.naming.rtimeout", 50000)`: a JVM system property with its default
            key = Ref(string_of(args[0]))
            return Call("coalesce", (key, expr_of(args[1]))) if len(args) > 1 else key
        if name in ("toInt", "toLong", "toInteger") and args and re.search(r"(Convert|Number|Numeric|Parse)\w*Utils?$", obj):
            # `ConvertUtils.toInt(text, 3)` / `NumberUtils.toInt(text)`: the number the text holds, else the default
            value = Call("int", (expr_of(args[0]),))
            return Call("coalesce", (value, expr_of(args[1]))) if len(args) > 1 else value
        if name in ("getProperty", "getOrDefault") and len(args) == 2 and args[0].type in ("identifier", "field_access") \
                and re.fullmatch(r"[A-Z][A-Z0-9_]*", ts.text(args[0]).rsplit(".", 1)[-1]):
            # `properties.getProperty(PropertyKeyConst.RETRY_COUNT, "3")`: a key kept in a constant (another
            # module, often); the default applies unless the deployment sets it (round 12: also a settings map's
            # `MODULE_SPECIFIC_ARGS.getOrDefault(LOOKUP_TIMEOUT, DEFAULT_TIMEOUT)`)
            return Call("coalesce", (expr_of(args[1]),))
        if name == "orElse" and len(args) == 1 and target_is_optional_of(node):
            # `Optional.ofNullable(config.getReadTimeout()).orElse(DEFAULT_TIMEOUT_SECONDS)`: the setting, else the default
            inner = arguments(node.child_by_field_name("object"))[0]
            return Call("coalesce", (expr_of(inner), expr_of(args[0])))
        if name == "orElse" and len(args) == 1 and obj and node.child_by_field_name("object").type == "method_invocation":
            # `optionallyGet(() -> config.getDuration(KEY)).orElse(Duration.ofSeconds(10))`: an optional setting read
            # some other way; the default applies unless the deployment sets it
            default = expr_of(args[0])
            if not isinstance(default, Unknown):
                return Call("coalesce", (default,))
        if name in ("orElse", "orElseGet") and len(args) == 1 and node.child_by_field_name("object") is not None \
                and node.child_by_field_name("object").type == "identifier":
            # round 19: `this.timeoutMs = timeoutMs.orElse(DEFAULT_TIMEOUT_MILLISECONDS);` on an Optional parameter or
            # field (web3signer's ConnectionParameters): the default unless the builder was given a value
            fallback = args[0]
            if name == "orElseGet" and fallback.type == "lambda_expression" \
                    and fallback.child_by_field_name("body") is not None \
                    and fallback.child_by_field_name("body").type != "block":
                fallback = fallback.child_by_field_name("body")
            default = expr_of(fallback) if name == "orElse" or fallback.type != "lambda_expression" else Unknown("")
            if not isinstance(default, Unknown):
                return Call("coalesce", (default,))
        if name in ("get", "orElseThrow") and not args and node.child_by_field_name("object") is not None \
                and node.child_by_field_name("object").type == "method_invocation" \
                and not arguments(node.child_by_field_name("object")):
            # round 19: `grpcConfig.callDeadline().get()` on a configuration accessor returning an Optional
            # (`@WithDefault("PT30S") Optional<Duration> callDeadline();`): the accessor's setting
            inner = expr_of(node.child_by_field_name("object"))
            if isinstance(inner, Ref) and "." in inner.name:
                return inner
        if name in ("requireNonNullElse", "defaultIfNull", "firstNonNull") and len(args) == 2 \
                and obj.rsplit(".", 1)[-1] in ("Objects", "ObjectUtils", "MoreObjects"):
            return Call("coalesce", (expr_of(args[0]), expr_of(args[1])))  # `Objects.requireNonNullElse(x, 3000)`
        if re.fullmatch(r"get[A-Z]\w*", name) and len(args) == 1 and args[0].type in (
                "decimal_integer_literal", "decimal_floating_point_literal") \
                and re.search(r"(?i)(config|configuration|properties|props|settings)$", obj.rsplit(".", 1)[-1]):
            # round 18: `polarisConfig.getMaxHoldFetchingRetry(10)`: a settings getter handed the default it returns
            # when the setting is absent (dcb-service's `valueWithDefault(this.x, Integer.class, defaultMaxRetry)`)
            return Call("coalesce", (expr_of(args[0]),))
        if re.fullmatch(r"get\w*(Value|OrDefault)\w*", name) and len(args) == 2 and args[1].type in (
                "decimal_integer_literal", "decimal_floating_point_literal") \
                and re.fullmatch(r"(?:\w+\.)*[A-Z][A-Z0-9_]*", obj):
            # round 18: `GET_HOLDS_RETRY_ATTEMPTS_PROPERTY.getOptionalValueFrom(clientConfig, 25)`: a typed property
            # constant read from a settings map with its default
            return Call("coalesce", (expr_of(args[1]),))
        if re.fullmatch(r"fetch\w*Option", name) and len(args) >= 3 and args[0].type == "string_literal" \
                and args[-1].type in ("decimal_integer_literal", "decimal_floating_point_literal"):
            # round 18: Maxwell's `fetchLongOption("pubsub_total_timeout", options, properties, 600L)`: the command
            # line's or config file's value, else the default
            return Call("coalesce", (expr_of(args[-1]),))
        if obj in ("Math", "StrictMath", "Integer", "Long") and name in ("max", "min") and len(args) == 2:
            # (round 20, second wave: also `Integer.max(2000, backplane.getTimeout())`)
            return Call(name, (expr_of(args[0]), expr_of(args[1])))
        if obj == "Math" and name == "floorDiv" and len(args) == 2:
            # round 19: `Math.floorDiv(this.syncDelayTimeoutMs, this.retryIntervalMs) + 1` (spinnaker-fiat)
            return Call("int", (BinOp("/", expr_of(args[0]), expr_of(args[1])),))
        if obj == "String" and name == "valueOf" and len(args) == 1:
            return expr_of(args[0])  # `String.valueOf(provider.getInteger(KEY))`: the number as text
        if name in _TYPED_GETTERS and len(args) == 2 and node.child_by_field_name("object") is not None \
                and args[0].type == "string_literal" and args[1].type != "string_literal" \
                and not isinstance(expr_of(args[1]), (Unknown, Str)):
            # round 18 (the round-17 nrtsearch request): a settings reader given its key as text and a default
            # (`configReader.getInteger("maxS3ClientRetries", DEFAULT_MAX_S3_CLIENT_RETRIES)`): the default applies
            # unless the deployment's file sets the key
            return Call("coalesce", (expr_of(args[1]),))
        if name in _TYPED_GETTERS and len(args) == 2 and args[0].type in ("identifier", "field_access") \
                and re.fullmatch(r"[A-Z][A-Z0-9_]*", ts.text(args[0]).rsplit(".", 1)[-1]):
            # `conf.getLong(P_NAME_MUC_JOIN_TIMEOUT, MUC_JOIN_TIMEOUT_DEFAULT_VALUE)`: a key kept in a constant and its
            # default; the default applies unless the deployment sets the key
            return Call("coalesce", (expr_of(args[1]),))
        receiver = node.child_by_field_name("object")
        if receiver is None or ts.text(receiver) == "this":
            returned = _own_method_return(node, name, len(args))
            if returned is not None:
                # `getMucJoinWaitTimeout()`: what the class's own one-line method returns; with arguments
                # (`durationOrFallback(() -> config.getDuration(KEY))` returning `...orElse(Duration.ofSeconds(10))`)
                # only when that value names none of its parameters
                return returned
        if name in ("get", "getValue") and not args and receiver is not None and receiver.type == "method_invocation" \
                and ts.text(receiver.child_by_field_name("name")) in _DYNAMIC_PROPERTIES and len(arguments(receiver)) == 2:
            # Archaius `configInstance.getIntProperty(namespace + "readTimeout", 8).get()`: the deployment's value,
            # else the default
            return Call("coalesce", (expr_of(arguments(receiver)[1]),))
        if name in _TYPED_GETTERS and len(args) == 1 and args[0].type in ("identifier", "field_access") \
                and re.fullmatch(r"[A-Z][A-Z0-9_]*", ts.text(args[0]).rsplit(".", 1)[-1]):
            # `config.getInteger(Keys.CLIENT_CONNECT_TIMEOUT)`: what the key constant stands for
            # (a typed config key with its default, `new IntegerConfigKey("client.connectTimeout", .., 5000)`)
            return expr_of(args[0])
        if obj in ("Double", "Float") and name in ("parseDouble", "parseFloat", "valueOf") and args:
            return Call("float", (expr_of(args[0]),))
        target = node.child_by_field_name("object")
        if name == "toMilliseconds" and not args and target is not None:
            return expr_of(target)  # round 13: Dropwizard's `io.dropwizard.util.Duration.toMilliseconds()` (ms held)
        if obj == "Math" and name in ("toIntExact", "abs") and len(args) == 1:
            return expr_of(args[0])  # `Math.toIntExact(config.getRequestTimeout().toMilliseconds())`
        if name == "toMillis" and target is not None:
            unit = unit_of(target)
            if unit is not None and args:  # TimeUnit.SECONDS.toMillis(2)
                amount = expr_of(args[0])
                return amount if unit == 1.0 else BinOp("*", amount, Num(unit))
            if target.type == "identifier" and not args:
                # round 19: `Duration deadline = grpcConfig.callDeadline().get(); .. deadline.toMillis()`: the local's value
                return local_value(target)
            return expr_of(target)  # duration.toMillis()
        if name in ("toSeconds", "getSeconds") and target is not None and duration_of(target) is not None:
            value, scale = duration_of(target)
            return BinOp("/", BinOp("*", value, Num(scale)), Num(1000.0))
        if name in ("toSeconds", "getSeconds") and not args and target is not None and target.type == "field_access" \
                and re.fullmatch(r"[A-Z][A-Z0-9_]*", ts.text(target.child_by_field_name("field"))):
            # round 18: `ICassandraManagementProxy.DEFAULT_JMX_CONNECTION_TIMEOUT.getSeconds()`: a Duration constant of
            # another class (only a Duration has a no-argument getSeconds/toSeconds; constants hold it in ms)
            return BinOp("/", expr_of(target), Num(1000.0))
        if name in ("toSeconds", "getSeconds") and not args and target is not None and target.type == "identifier" \
                and declared_type(target, ts.text(target)) == "Duration":
            # `SEND_TIMEOUT.getSeconds()` on a Duration constant (constants hold durations in ms)
            return BinOp("/", expr_of(target), Num(1000.0))
        if name == "getOrDefault" and obj.replace(" ", "") == "System.getenv()" and len(args) == 2:
            var = string_of(args[0])
            if var:  # System.getenv().getOrDefault("RISK_URL", "http://risk:8000")
                from contract_discovery.values import Env
                return Env(var, expr_of(args[1]))
        if name == "getOrDefault" and len(args) == 2 and args[0].type == "string_literal" \
                and obj.replace(" ", "") != "System.getenv()" and args[1].type in ("string_literal",
                                                                               "decimal_integer_literal",
                                                                               "decimal_floating_point_literal"):
            # round 19: a settings map read by its key with a literal default (orion's `Integer.parseInt(agentConfigs
            # .getOrDefault("describeClusterTimeoutMs", "10000"))`): the default unless the deployment sets the key
            return Call("coalesce", (expr_of(args[1]),))
        if name == "getProperty" and args and args[0].type == "string_literal" and obj not in ("System",):
            key = string_of(args[0]) or ""
            if re.fullmatch(r"[\w-]+(\.[\w-]+)+", key):
                # `props.getProperty("xxl.job.admin.timeout")` / `env.getProperty("risk.timeout", "500")`: the setting
                ref = Ref(key)
                return Call("coalesce", (ref, expr_of(args[1]))) if len(args) > 1 else ref
        if obj == "System" and name == "getenv" and args:
            var = string_of(args[0])
            if var:
                from contract_discovery.values import Env
                return Env(var, expr_of(args[1]) if len(args) > 1 else None)
        if not args and re.fullmatch(r"get[A-Z]\w*", name) and _own_instance(target, node):
            # `getTimeout()` / `Bootstrap.getInstance().getTimeout()` inside Bootstrap: its own field
            # `timeout` (a constant or an @Value property of the file, else unresolved).
            return Ref(name[3].lower() + name[4:])
        if target is not None and target.type == "field_access" and ts.text(target.child_by_field_name("object")) == "this":
            target = target.child_by_field_name("field")  # `this.nettyClientConfig.getConnectTimeoutMillis()`
        if not args and re.fullmatch(r"get[A-Z]\w*", name) and target is not None and target.type == "method_invocation" \
                and ts.text(target.child_by_field_name("name")) in ("get", "orElseThrow") and not arguments(target) \
                and target.child_by_field_name("object") is not None \
                and target.child_by_field_name("object").type == "identifier":
            # `configuration.get().getAwsElbClientRetries()` on an `Optional<ElbConfiguration> configuration`: the
            # wrapped settings class's field
            holder = target.child_by_field_name("object")
            # round 19: also a CDI `Instance<KafkaSqlConfiguration> configuration` (apicurio), a `Provider<..>`/`Supplier<..>`
            wrapped = re.fullmatch(r"(?:[\w.]+\.)?(?:Optional|Instance|Provider|Supplier|ObjectProvider)\s*<\s*(?:[\w.]+\.)?"
                                   r"([A-Z]\w*)\s*>",
                                   declared_type(holder, ts.text(holder), raw=True) or "")
            if wrapped is not None:
                return Ref(f"{wrapped.group(1)}.{name[3].lower() + name[4:]}")
        if not args and re.fullmatch(r"get[A-Z]\w*", name) and target is not None and target.type == "method_invocation":
            path = getter_path(node)  # `props.getClient().getTimeout()` -> IgorProperties.client.timeout
            if path is not None:
                return Ref(path)
        if not args and target is not None and target.type in ("method_invocation", "identifier"):
            path = accessor_path(node)  # `config.httpClient().connectTimeout()` -> CommaFeedConfiguration.httpClient..
            if path is not None:
                return Ref(path)
        if not args and re.fullmatch(r"get[A-Z]\w*", name) and target is not None and target.type == "field_access" \
                and target.child_by_field_name("object").type == "identifier":
            # round 18: `context.config.getJmxConnectionTimeoutInSeconds()` on a holder of a declared project type
            # (`AppContext context`): `AppContext.config.jmxConnectionTimeoutInSeconds`, which the resolver follows
            # through the field's type (`AppContext.config.$type`, published by AppContext's file)
            holder = target.child_by_field_name("object")
            declared = declared_type(holder, ts.text(holder))
            if declared is not None:
                return Ref(f"{declared}.{ts.text(target.child_by_field_name('field'))}.{name[3].lower() + name[4:]}")
        if len(args) == 1 and args[0].type == "identifier" and re.search(r"(?i)(context|ctx)$", ts.text(args[0])) \
                and re.fullmatch(r"get[A-Z]\w*", name) and target is not None and target.type == "identifier":
            # round 18: a per-tenant settings read (Kill Bill's `paymentConfig.getPluginFailureRetryMaxAttempts(
            # internalContext)`): the settings interface's value (`PaymentConfig.pluginFailureRetryMaxAttempts`)
            declared = declared_type(target, ts.text(target))
            if declared is not None and re.search(r"(Config|Configuration|Properties|Settings)$", declared):
                return Ref(f"{declared}.{name[3].lower() + name[4:]}")
        if not args and re.fullmatch(r"get[A-Z]\w*", name) and target is not None and target.type == "identifier":
            # `restTemplateProperties.getReadTimeout()` on a field/parameter/local of a declared type:
            # that class's field (`RestTemplateProperties.readTimeout`, published by its own file).
            declared = declared_type(target, ts.text(target))
            if declared is not None:
                path = _local_getter_path(target)
                if path is not None:
                    # round 21: a local the method took from a settings object's getter (dpc-app's `TimeoutConfiguration
                    # timeouts = this.bbClientConfiguration.getTimeouts(); ..timeouts.getSocketTimeout()`): the member
                    # along that path first (`BBClientConfiguration.timeouts.socketTimeout`: the YAML key under the
                    # class's `$prefix`), else the local's own class
                    return Call("coalesce", (Ref(f"{path}.{name[3].lower() + name[4:]}"),
                                             Ref(f"{declared}.{name[3].lower() + name[4:]}")))
                return Ref(f"{declared}.{name[3].lower() + name[4:]}")
            inherited = _inherited_holder(target)
            if inherited is not None:
                # round 19: a settings field the class inherits (orion's `KafkaAgent extends BaseAgent` reading
                # `config.getDescribeClusterTimeoutMs()`, `protected OrionAgentConfig config;` in BaseAgent):
                # `BaseAgent.config.describeClusterTimeoutMs`, which the resolver follows through `BaseAgent.config.$type`
                return Ref(f"{inherited}.{ts.text(target)}.{name[3].lower() + name[4:]}")
        if not args and re.fullmatch(r"get[A-Z]\w*", name) and target is not None and target.type == "method_invocation" \
                and not arguments(target) and re.fullmatch(r"get[A-Z]\w*", ts.text(target.child_by_field_name("name"))) \
                and (target.child_by_field_name("object") is None
                     or ts.text(target.child_by_field_name("object")) in ("this", "super")):
            # round 19: the class's own (or inherited) getter of its settings object (orion's BaseAgent
            # `getConfig().getMetricsCallTimeoutSec()`): `BaseAgent.config.metricsCallTimeoutSec`, resolved through
            # `BaseAgent.config.$type` (the getter's or the field's type, published by the declaring file)
            cls = next((a for a in ts.ancestors(node) if a.type in ("class_declaration", "enum_declaration")), None)
            holder = ts.text(target.child_by_field_name("name"))
            if cls is not None and cls.child_by_field_name("name") is not None:
                return Ref(f"{ts.text(cls.child_by_field_name('name'))}.{holder[3].lower() + holder[4:]}."
                           f"{name[3].lower() + name[4:]}")
        return Unknown(ts.text(node))
    return Unknown(ts.text(node))



_INLINING: list[str] = []


def _own_method_return(call: ts.Node, name: str, arity: int = 0) -> Expr | None:
    """The expression a method of the enclosing class returns, when its body is that one return
    (``static long getMucJoinWaitTimeout() { return conf.getLong(KEY, DEFAULT); }``); None otherwise. A method
    with parameters (``arity`` of them) only when the value names none of them (``private Duration
    orFallback(Supplier<Duration> s) { return optionallyGet(s).orElse(Duration.ofSeconds(DEFAULT)); }``)."""
    if name in _INLINING or len(_INLINING) > 3:
        return None
    classes = [a for a in ts.ancestors(call) if a.type in ("class_declaration", "enum_declaration")]
    members = [m for cls in classes if cls.child_by_field_name("body") is not None
               for m in cls.child_by_field_name("body").named_children]  # the nearest class first, then outer ones
    for member in members:
        if member.type != "method_declaration" or ts.text(member.child_by_field_name("name")) != name:
            continue
        params = member.child_by_field_name("parameters")
        block = member.child_by_field_name("body")
        declared = [p for p in (params.named_children if params is not None else ()) if p.type == "formal_parameter"]
        if len(declared) != arity or (params is not None and params.named_child_count != arity):
            continue  # another overload
        if block is None:
            return None
        statements = [s for s in block.named_children if s.type not in ("line_comment", "block_comment")]
        defaulted = _defaulted_local_return(statements)
        if defaulted is None and (len(statements) != 1 or statements[0].type != "return_statement"
                                  or not statements[0].named_child_count):
            return None
        _INLINING.append(name)
        try:
            if defaulted is not None:
                value = expr_of(defaulted)
                value = value if isinstance(value, Unknown) else Call("coalesce", (value,))
            else:
                value = expr_of(statements[0].named_children[0])
        finally:
            _INLINING.pop()
        if arity:
            names = {ts.text(p.child_by_field_name("name")) for p in declared}
            if any(isinstance(part, (Unknown, Str)) or (isinstance(part, Ref) and part.name in names)
                   for part in _names(value)):
                return None
        return None if isinstance(value, Unknown) else value
    return None


def _defaulted_local_return(statements: list) -> ts.Node | None:
    """Round 16: the default of a method that starts from a default and lets configuration override it
    (``int result = DEFAULT_DATASTORE_TIMEOUT; if (conf.containsKey(KEY)) { result = Integer.parseInt(..); }
    return result;``): the initializer, the value unless the deployment sets the key; None for any other shape."""
    if len(statements) < 3 or statements[0].type != "local_variable_declaration" \
            or statements[-1].type != "return_statement" or statements[-1].named_child_count != 1:
        return None
    returned = statements[-1].named_children[0]
    declarator = statements[0].child_by_field_name("declarator")
    if returned.type != "identifier" or declarator is None or declarator.child_by_field_name("value") is None \
            or ts.text(declarator.child_by_field_name("name")) != ts.text(returned):
        return None
    for middle in statements[1:-1]:
        if middle.type == "expression_statement" and re.match(r"(?i)(log|logger)\.\w+\(", ts.text(middle)):
            continue  # round 18: `log.info("retries set to {}", retries);` between the read and the return
        if middle.type not in ("if_statement", "try_statement") or re.search(r"\breturn\b", ts.text(middle)):
            return None
    return declarator.child_by_field_name("value")


def target_is_optional_of(node: ts.Node) -> bool:
    """Is ``node`` (an ``orElse`` call) made on ``Optional.ofNullable(x)`` / ``Optional.of(x)``?"""
    target = node.child_by_field_name("object")
    return target is not None and target.type == "method_invocation" \
        and ts.text(target.child_by_field_name("object")).rsplit(".", 1)[-1] == "Optional" \
        and ts.text(target.child_by_field_name("name")) in ("ofNullable", "of") and len(arguments(target)) == 1


def _null_default(node: ts.Node) -> Expr | None:
    """``x == null ? DEFAULT : x`` / ``x != null ? x : DEFAULT``: the value, else the default (coalesce)."""
    cond = node.child_by_field_name("condition")
    yes, no = node.child_by_field_name("consequence"), node.child_by_field_name("alternative")
    while cond is not None and cond.type == "parenthesized_expression" and cond.named_child_count:
        cond = cond.named_children[0]
    if cond is None or yes is None or no is None or cond.type != "binary_expression":
        return None
    op = ts.text(cond.child_by_field_name("operator"))
    left, right = cond.child_by_field_name("left"), cond.child_by_field_name("right")
    if right is None or left is None or op not in ("==", "!="):
        return None
    if left.type == "null_literal":
        left, right = right, left
    if right.type != "null_literal":
        return None
    value, default = (no, yes) if op == "==" else (yes, no)
    if re.sub(r"\s+", "", ts.text(value)) != re.sub(r"\s+", "", ts.text(left)):
        return None
    return Call("coalesce", (expr_of(value), expr_of(default)))


_TYPE_NAME = re.compile(r"[A-Z]\w*")


def _local_getter_path(local: ts.Node) -> str | None:
    """Round 21: ``Type.b`` for a local set once from a getter of a holder of a declared project type (``TimeoutConfiguration
    t = fhirClientConfiguration.getTimeouts();``, ``= this.bbClientConfiguration.getTimeouts();``); None otherwise (a
    field or parameter, an initializer that is no plain getter)."""
    if own_field_name(local) is not None:
        return None
    initializer = local_initializer(local)
    if initializer is None or initializer.type != "method_invocation" or arguments(initializer) \
            or not re.fullmatch(r"get[A-Z]\w*", ts.text(initializer.child_by_field_name("name"))):
        return None
    holder = initializer.child_by_field_name("object")
    if holder is not None and holder.type == "field_access" and ts.text(holder.child_by_field_name("object")) == "this":
        holder = holder.child_by_field_name("field")
    if holder is None or holder.type != "identifier":
        return None
    declared = declared_type(holder, ts.text(holder))
    getter = ts.text(initializer.child_by_field_name("name"))
    return f"{declared}.{getter[3].lower() + getter[4:]}" if declared and declared[:1].isupper() else None


def getter_path(node: ts.Node) -> str | None:
    """``Type.b.c`` for ``x.getB().getC()`` where ``x`` is declared ``Type`` (two or three getters)."""
    names: list[str] = []
    current = node
    while current is not None and current.type == "method_invocation" and len(names) < 4:
        name = ts.text(current.child_by_field_name("name"))
        if arguments(current) or not re.fullmatch(r"get[A-Z]\w*", name):
            return None
        names.append(name[3].lower() + name[4:])
        current = current.child_by_field_name("object")
    if current is not None and current.type == "field_access" and ts.text(current.child_by_field_name("object")) == "this":
        current = current.child_by_field_name("field")
    if current is None or current.type != "identifier" or not 2 <= len(names) <= 3:
        return None
    declared = declared_type(current, ts.text(current))
    return f"{declared}.{'.'.join(reversed(names))}" if declared else None


_ACCESSOR = re.compile(r"[a-z][A-Za-z0-9]*")
_NOT_ACCESSOR = re.compile(r"(build|create|get|is|has|to|as|new|open|close|start|stop|run|call|execute|send|size|"
                           r"length|hashCode|toString|iterator|stream|values|keys|entrySet|clone|copy|next)([A-Z]\w*)?")


# round 19: a setting named for a bound after a verb-like word (stargate's `grpcConfig.callDeadline()`, `sendTimeout()`)
_SETTING_ACCESSOR = re.compile(r"(?!(?:build|create|get|is|has|to|as|new)[A-Z])[a-z]\w*(Timeout|Deadline|Retries|Attempts)")


def accessor_path(node: ts.Node) -> str | None:
    """``Type.b.c`` for a chain of no-argument record/config-interface accessors ``x.b().c()`` where ``x`` is declared
    ``Type`` (one to three accessors, none a getter or a verb); the typed configuration's published defaults
    (``JavaFile._mapping_defaults``) resolve it."""
    names: list[str] = []
    current = node
    while current is not None and current.type == "method_invocation" and len(names) < 4:
        name = ts.text(current.child_by_field_name("name"))
        if arguments(current) or not _ACCESSOR.fullmatch(name) \
                or _NOT_ACCESSOR.fullmatch(name) and not _SETTING_ACCESSOR.fullmatch(name):
            return None
        names.append(name)
        current = current.child_by_field_name("object")
    if current is not None and current.type == "field_access" and ts.text(current.child_by_field_name("object")) == "this":
        current = current.child_by_field_name("field")
    if current is None or current.type != "identifier" or not 1 <= len(names) <= 3:
        return None
    declared = declared_type(current, ts.text(current))
    if not declared or not _TYPE_NAME.fullmatch(declared):
        return None
    return f"{declared}.{'.'.join(reversed(names))}"


def declared_type(use: ts.Node, name: str, generic: bool = False, raw: bool = False) -> str | None:
    """The declared class of ``name`` where ``use`` sits: a local variable or parameter of the
    enclosing method/constructor/lambda, else a field of an enclosing class (a plain, non-generic
    class name such as ``RestTemplateProperties``; ``var`` and primitives give None). ``raw``: the
    declaration's type text as written (``Optional<ElbConfiguration>``)."""
    for parent in ts.ancestors(use):
        found = None
        if parent.type in ("method_declaration", "constructor_declaration"):
            params = parent.child_by_field_name("parameters")
            for param in (params.named_children if params is not None else ()):
                if param.type == "formal_parameter" and ts.text(param.child_by_field_name("name")) == name:
                    found = param.child_by_field_name("type")
            body = parent.child_by_field_name("body")
            for node in (ts.walk(body) if body is not None and found is None else ()):
                if node.type == "local_variable_declaration" and node.start_byte < use.start_byte and any(
                        d.type == "variable_declarator" and ts.text(d.child_by_field_name("name")) == name
                        for d in node.named_children):
                    found = node.child_by_field_name("type")
                elif node.type == "resource" and node.start_byte < use.start_byte \
                        and ts.text(node.child_by_field_name("name") or node) == name:
                    # round 11: `try (SimpleExecutor executor = new SimpleExecutor(..)) { executor.wait(..) }`
                    found = node.child_by_field_name("type")
        elif parent.type == "class_body":
            for member in parent.named_children:
                if member.type == "field_declaration" and any(
                        d.type == "variable_declarator" and ts.text(d.child_by_field_name("name")) == name
                        for d in member.named_children):
                    found = member.child_by_field_name("type")
        elif parent.type == "record_declaration":
            # round 19: a record's component (`public record AsyncUtils(DrsHubConfig drsHubConfig)`)
            params = parent.child_by_field_name("parameters")
            for param in (params.named_children if params is not None else ()):
                if param.type == "formal_parameter" and ts.text(param.child_by_field_name("name")) == name:
                    found = param.child_by_field_name("type")
        if found is not None:
            text = ts.text(found)
            if raw:
                return text
            if generic:  # `RetryStrategy<R>`: the class a generic declaration names
                text = re.sub(r"<.*>$", "", text.strip())
            text = text.rsplit(".", 1)[-1]
            return text if _TYPE_NAME.fullmatch(text) else None
    return None


def _inherited_holder(use: ts.Node) -> str | None:
    """Round 19: the superclass's name when ``use`` (a lower-case identifier) is declared nowhere in scope (no local,
    parameter, lambda or catch variable of the enclosing methods, no field of the class) and the enclosing class
    extends another: a field it inherits from that class."""
    name = ts.text(use)
    if not re.fullmatch(r"[a-z]\w*", name):
        return None
    cls = next((a for a in ts.ancestors(use) if a.type == "class_declaration"), None)
    if cls is None or cls.child_by_field_name("superclass") is None or cls.child_by_field_name("name") is None:
        return None
    scopes = [a for a in ts.ancestors(use) if a.type in ("method_declaration", "constructor_declaration",
                                                         "lambda_expression", "static_initializer")]
    scopes += [m for m in cls.child_by_field_name("body").named_children if m.type == "field_declaration"]
    for scope in scopes:
        for node in ts.walk(scope):
            if node.type in ("variable_declarator", "formal_parameter", "catch_formal_parameter", "resource",
                             "enhanced_for_statement", "inferred_parameters", "lambda_expression", "spread_parameter") \
                    and any(c.type == "identifier" and ts.text(c) == name for c in node.children):
                return None
    superclass = cls.child_by_field_name("superclass")
    kind = next((c for c in superclass.named_children
                 if c.type in ("type_identifier", "generic_type", "scoped_type_identifier")), None)
    parent = re.sub(r"<.*$", "", ts.text(kind)).rsplit(".", 1)[-1].strip() if kind is not None else ""
    return parent if re.fullmatch(r"[A-Z]\w*", parent) else None


def _kebab(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", lambda m: "-" + m.group(1).lower(), name)


def _bound_prefix(owner: ts.Node) -> str | None:
    """The prefix of a record's ``@ConfigurationProperties`` or an interface's ``@ConfigMapping``, else None."""
    for ann in method_annotations(owner):
        if annotation_name(ann) in ("ConfigurationProperties", "ConfigMapping"):
            args = annotation_args(ann)
            return string_of(args.get("prefix") or args.get("value")) or None
    return None


def properties_prefix(cls: ts.Node, depth: int = 0) -> str | None:
    """The configuration prefix a class is bound to: its ``@ConfigurationProperties(prefix = "x")``
    (``""`` without one), or, for a class nested in a bound class that holds it in a field
    (``private RpcProperties rpc;``), the outer prefix and the field's name (``x.rpc``); else None."""
    for ann in method_annotations(cls):
        if annotation_name(ann) == "ConfigurationProperties":
            args = annotation_args(ann)
            return string_of(args.get("prefix") or args.get("value")) or ""
    if depth > 4 or cls.parent is None or cls.parent.type != "class_body" or cls.parent.parent is None:
        return None
    outer = cls.parent.parent
    if outer.type != "class_declaration":
        return None
    outer_prefix = properties_prefix(outer, depth + 1)
    if outer_prefix is None:
        return None
    name = ts.text(cls.child_by_field_name("name"))
    for member in cls.parent.named_children:
        if member.type != "field_declaration":
            continue
        kind = member.child_by_field_name("type")
        if kind is None or ts.text(kind).rsplit(".", 1)[-1] != name:
            continue
        declarator = next((d for d in member.named_children if d.type == "variable_declarator"), None)
        if declarator is not None:
            field = _kebab(ts.text(declarator.child_by_field_name("name")))
            return f"{outer_prefix}.{field}" if outer_prefix else field
    return None


def _implemented_interfaces(field_node: ts.Node) -> list[str]:
    """Round 14: the interfaces the class directly around a field implements (``implements A, B<T>``: A, B)."""
    cls = field_node.parent.parent if field_node.parent is not None else None
    if cls is None or cls.type != "class_declaration":
        return []
    implemented = cls.child_by_field_name("interfaces")
    return [ts.text(n) for n in (ts.walk(implemented) if implemented is not None else ())
            if n.type == "type_identifier" and n.parent is not None and n.parent.type != "type_arguments"]


def _inside_settings_class(cls: ts.Node) -> bool:
    """A class nested in a settings class (``GitlabCiProperties.GitlabCiHost``, one entry of a list of hosts):
    its field defaults are settings too."""
    for outer in ts.ancestors(cls):
        if outer is not cls and outer.type == "class_declaration":
            if properties_prefix(outer) is not None or _SETTINGS_CLASS.search(ts.text(outer.child_by_field_name("name"))):
                return True
    return False


def _own_this_field(node: ts.Node) -> str | None:
    """``Cls.name`` for ``this.name`` when the file publishes that field of the class around it."""
    from extractors.java.jvm import FILE_SYMBOLS

    symbols = FILE_SYMBOLS.get()
    cls = enclosing(node, ("class_declaration", "record_declaration", "enum_declaration"))
    if not symbols or cls is None:
        return None
    key = f"{ts.text(cls.child_by_field_name('name'))}.{ts.text(node.child_by_field_name('field'))}"
    return key if key in symbols else None


def own_field_name(identifier: ts.Node) -> str | None:
    """``Cls.name`` for a bare identifier that is an instance field of the class around it, when
    the file publishes ``Cls.name`` and not ``name`` (a settings class's field default, a field
    set once in a constructor) and no parameter or local of the method shadows it; else None."""
    from extractors.java.jvm import FILE_SYMBOLS

    symbols = FILE_SYMBOLS.get()
    name = ts.text(identifier)
    if not symbols or name in symbols:
        return None
    parent = identifier.parent
    if parent is not None and parent.type in ("field_access", "method_invocation") and \
            parent.child_by_field_name("object") != identifier:
        return None
    for cls in ts.ancestors(identifier):  # the class around it, else an outer class (an inner class reads its fields)
        if cls.type not in ("class_declaration", "record_declaration", "enum_declaration"):
            continue
        key = f"{ts.text(cls.child_by_field_name('name'))}.{name}"
        if key not in symbols:
            body = cls.child_by_field_name("body")
            if body is not None and any(m.type == "field_declaration" and any(
                    d.type == "variable_declarator" and ts.text(d.child_by_field_name("name")) == name
                    for d in m.named_children) for m in body.named_children):
                return None  # its own field of that name, not published
            continue
        if _shadowed(identifier, name, cls):
            return None
        return key
    return None


def _shadowed(use: ts.Node, name: str, cls: ts.Node) -> bool:
    """Is ``name`` a parameter or local variable of a method/lambda between ``use`` and ``cls``?"""
    for parent in ts.ancestors(use):
        if parent == cls:
            return False
        if parent.type in ("method_declaration", "constructor_declaration", "lambda_expression"):
            params = parent.child_by_field_name("parameters")
            if params is not None:
                if params.type == "identifier" and ts.text(params) == name:
                    return True
                for param in params.named_children:
                    if ts.text(param.child_by_field_name("name") or param) == name:
                        return True
            body = parent.child_by_field_name("body")
            for node in (ts.walk(body) if body is not None else ()):
                if node.start_byte >= use.start_byte:
                    break
                if node.type == "variable_declarator" and ts.text(node.child_by_field_name("name")) == name:
                    return True
    return False


def _own_instance(target: ts.Node | None, node: ts.Node) -> bool:
    """No receiver, ``this``, or ``Cls.getInstance()`` / ``Cls.INSTANCE`` where Cls is the class around ``node``."""
    if target is None or ts.text(target) == "this":
        return True
    cls = next((a for a in ts.ancestors(node) if a.type in ("class_declaration", "enum_declaration")), None)
    if cls is None:
        return False
    own = ts.text(cls.child_by_field_name("name"))
    text = ts.text(target).replace(" ", "")
    return text in (f"{own}.getInstance()", f"{own}.INSTANCE", f"{own}.instance()")


def arguments(node: ts.Node) -> list[ts.Node]:
    args = node.child_by_field_name("arguments")
    if args is None:
        return []
    return [c for c in args.named_children if c.type not in ("line_comment", "block_comment")]


_PLAIN_DURATION_FACTORIES = {"nanoseconds": 0.000001, "microseconds": 0.001, "milliseconds": 1.0, "seconds": 1000.0,
                             "minutes": 60000.0, "hours": 3600000.0, "days": 86400000.0}


def duration_of(node: ts.Node) -> tuple[Expr, float] | None:
    """``Duration.ofSeconds(2)`` / ``Timeout.ofMilliseconds(x)`` / ``Duration.of(5, ChronoUnit.SECONDS)``
    -> (expr of the amount, ms per unit); None if the node is not a duration factory."""
    if node.type == "field_access" and re.sub(r"\s+", "", ts.text(node)) in ("Duration.ZERO", "java.time.Duration.ZERO"):
        return Num(0.0), 1.0  # OkHttp and others read a zero duration as "no timeout"
    if node.type == "object_creation_expression" and re.fullmatch(
            r"(?:[\w.]+\.)?Duration", ts.text(node.child_by_field_name("type") or node)) and node.child_by_field_name("body") is None:
        # round 21: a duration class built from an amount and a TimeUnit (heroic's `new Duration(30, TimeUnit.SECONDS)`)
        args = arguments(node)
        unit = unit_of(args[1]) if len(args) == 2 else None
        return (local_value(args[0]), unit) if unit is not None else None
    if node.type != "method_invocation":
        return None
    obj = node.child_by_field_name("object")
    name = ts.text(node.child_by_field_name("name"))
    if obj is None or ts.text(obj).rsplit(".", 1)[-1] not in ("Duration", "Timeout"):
        return None
    args = arguments(node)
    if name in DURATION_FACTORIES and args:
        return local_value(args[0]), DURATION_FACTORIES[name]
    if name in _PLAIN_DURATION_FACTORIES and len(args) == 1 and ts.text(obj).rsplit(".", 1)[-1] == "Duration":
        # round 21: Dropwizard's `io.dropwizard.util.Duration.seconds(20)` / `.milliseconds(2000L)` (verify-hub, the
        # pay services' configuration classes): java.time.Duration has no factory of these names
        return local_value(args[0]), _PLAIN_DURATION_FACTORIES[name]
    if name == "of" and len(args) == 2:
        unit = unit_of(args[1])
        if unit is not None:
            return local_value(args[0]), unit
    if name == "of" and len(args) == 1 and ts.text(obj).rsplit(".", 1)[-1] == "Timeout":
        return expr_of(args[0]), 1.0  # Apache HttpClient 5 `Timeout.of(Duration)`: the duration (in ms)
    return None


def local_value(node: ts.Node) -> Expr:
    """``expr_of``, except that a local variable set once earlier in the method stands for its initializer
    (round 11: ``int timeoutMillis = realmConfig.getConfig(AZURE_TIMEOUT_MILLIS); ..Duration.ofMillis(timeoutMillis)``)."""
    if node.type == "identifier" and own_field_name(node) is None:
        initializer = local_initializer(node)
        if initializer is not None and initializer.type != "null_literal":
            local = expr_of(initializer)
            if not isinstance(local, Unknown):
                return local
    if node.type == "binary_expression" and ts.text(node.child_by_field_name("operator")) in ("+", "-", "*", "/"):
        # round 18: `Retry.max(maxRetry + 1)` with `final var maxRetry = polarisConfig.getMaxHoldFetchingRetry(10);`
        return BinOp(ts.text(node.child_by_field_name("operator")), local_value(node.child_by_field_name("left")),
                     local_value(node.child_by_field_name("right")))
    if node.type == "parenthesized_expression" and node.named_child_count == 1:
        return local_value(node.named_children[0])
    return expr_of(node)


def unit_of(node: ts.Node) -> float | None:
    """``TimeUnit.SECONDS`` / ``ChronoUnit.MILLIS`` / a statically imported ``SECONDS`` -> ms."""
    last = ts.text(node).rsplit(".", 1)[-1].strip()
    if node.type in ("field_access", "identifier") and last in UNIT_CONSTANTS:
        return UNIT_CONSTANTS[last]
    return None


def timeout_value(args: list[ts.Node], int_scale: float = 1.0) -> tuple[Expr, float, str] | None:
    """The timeout a setter's arguments give: (expr, scale to ms, source text) or None.

    Handles ``(Duration)``, ``(5, TimeUnit.SECONDS)`` and ``(int)`` (``int_scale`` ms per unit;
    names keep scale 1.0 when the constant is a Duration, stored in ms by the constant pass)."""
    if not args:
        return None
    first = args[0]
    if len(args) >= 2:
        unit = unit_of(args[1])
        if unit is not None:
            amount = expr_of(first)
            if first.type == "identifier" and own_field_name(first) is None:
                initializer = local_initializer(first)  # `int s = cfg.getTimeoutSeconds(); f.get(s, SECONDS)`
                local = expr_of(initializer) if initializer is not None else None
                if local is not None and not isinstance(local, Unknown):
                    amount = local
            return amount, unit, f"{ts.text(first)}, {ts.text(args[1])}"
    duration = duration_of(first)
    if duration is not None:
        return duration[0], duration[1], ts.text(first)
    if first.type in ("null_literal",):
        return None
    if first.type == "identifier":
        initializer = local_initializer(first)
        if initializer is not None:
            if initializer.type == "null_literal":
                return None
            local = duration_of(initializer)
            if local is not None:
                return local[0], local[1], ts.text(first)
            value = expr_of(initializer)
            if not isinstance(value, Unknown):
                return value, int_scale, ts.text(first)
    return expr_of(first), int_scale, ts.text(first)


def _mapping_value(text: str, kind: str, quarkus: bool) -> Expr | None:
    """A typed configuration default's text as a value: a duration in ms (``"5s"``, ``"PT30S"``; a bare number is
    seconds for SmallRye/Quarkus and ms for Spring/Micronaut), a number, else None."""
    from extractors.java.jvm import duration_text_ms
    text = text.strip()
    base = kind.split("<")[0].rsplit(".", 1)[-1]
    if base == "Duration" or (base == "Optional" and "Duration" in kind):
        ms = duration_text_ms(text)
        if ms is not None:
            return Num(ms)
        number = strip_number(text)
        return Num(number * (1000.0 if quarkus else 1.0)) if number is not None else None
    if base in ("int", "long", "Integer", "Long", "short", "double", "float", "Double", "OptionalInt", "OptionalLong"):
        number = strip_number(text)
        return Num(number) if number is not None else None
    if base == "String":
        # round 22 (exhort): a duration kept as text for a consumer that parses it (`@ConfigProperty(name =
        # "api.snyk.timeout", defaultValue = "20s") String timeout;` .. Camel's `.timeoutDuration(timeout)`):
        # only text with a unit says how long (a bare number's unit is the consumer's)
        ms = duration_text_ms(text)
        return Num(ms) if ms is not None else None
    return None


def _config_property(mods: ts.Node, field_node: ts.Node) -> Expr | None:
    """MicroProfile Config ``@ConfigProperty(name = "horreum.mail.timeout", defaultValue = "15s") Duration t``: the
    property (application.properties), else the default (a Duration's bare number is seconds, as SmallRye reads it)."""
    for ann in mods.named_children:
        if ann.type != "annotation" or annotation_name(ann) != "ConfigProperty":
            continue
        args = annotation_args(ann)
        key = string_of(args.get("name"))
        named = args.get("name")
        setting: Expr | None = Ref(key) if key else None
        if setting is None and named is not None and named.type in ("identifier", "field_access"):
            # round 13: `@ConfigProperty(name = ConfigProperties.CONNECTIONS_FAILED_TIMEOUT)`: the key a constant holds
            setting = Call("config_at", (expr_of(named),))
        if setting is None:
            return None
        text = string_of(args.get("defaultValue"))
        kind = ts.text(field_node.child_by_field_name("type"))
        default = _mapping_value(text, kind, True) if text is not None else None
        if default is None and key:
            # round 20 (kogito-jobs-service): the key's default declared by a `@ConfigMapping` interface of the project
            # (`@ConfigMapping(prefix = "kogito.job.recipient.http") .. @WithDefault("180000") long timeoutInMillis();`)
            default = Ref(f"$mapping-default:{key}")
        if key and default is not None and not isinstance(default, Ref):
            # round 22: the key's value where the service's configuration sets it (application.properties), else the
            # default, as Spring's `${key:default}`: an external lookup the pipeline evaluates again
            return Env(key, default)
        return Call("coalesce", (setting, default)) if default is not None else setting
    return None


def _concatenated_placeholder(value: ts.Node | None) -> Expr | None:
    """``@Value("${" + GITHUB_RELEASE_INFO_TIMEOUT + ":10}")``: a key kept in a constant (of another class, often)
    with a literal default; the default holds unless the deployment sets the key (its name is not known here)."""
    if value is None or value.type != "binary_expression":
        return None
    m = re.search(r':(-?\d+(?:\.\d+)?)\}"\s*$', ts.text(value))
    return Call("coalesce", (Unknown(ts.text(value)), Num(float(m.group(1))))) if m else None


def local_initializer(identifier: ts.Node) -> ts.Node | None:
    """The initializer of a local variable declared earlier in the same method and never
    reassigned (``Duration timeout = Duration.ofSeconds(5); ...setConnectTimeout(timeout)``)."""
    name = ts.text(identifier)
    method = enclosing(identifier, ("method_declaration", "constructor_declaration", "lambda_expression"))
    if method is None:
        return None
    found = None
    for node in ts.walk(method):
        if node.start_byte >= identifier.start_byte:
            break
        if node.type == "variable_declarator" and ts.text(node.child_by_field_name("name")) == name \
                and node.parent is not None and node.parent.type == "local_variable_declaration":
            found = node.child_by_field_name("value")
        elif node.type == "assignment_expression" and ts.text(node.child_by_field_name("left")) == name:
            return None
    if found is None and method.type == "lambda_expression" and not _lambda_parameter(method, name):
        # a local the lambda captures (effectively final in Java): `int max = ..; filter((req, next) -> send(req, max))`
        outer = enclosing(method, ("method_declaration", "constructor_declaration", "lambda_expression"))
        if outer is not None:
            for node in ts.walk(outer):
                if node.start_byte >= method.start_byte:
                    break
                if node.type == "variable_declarator" and ts.text(node.child_by_field_name("name")) == name \
                        and node.parent is not None and node.parent.type == "local_variable_declaration":
                    found = node.child_by_field_name("value")
    return found


def _lambda_parameter(lam: ts.Node, name: str) -> bool:
    params = lam.child_by_field_name("parameters")
    if params is None:
        return False
    return name in {ts.text(n) for n in ts.walk(params) if n.type == "identifier"}


def _literal_only(expr: Expr) -> bool:
    """Numbers and arithmetic of numbers only (``10``, ``5 * 1000``)."""
    if isinstance(expr, Num):
        return True
    if isinstance(expr, BinOp):
        return _literal_only(expr.left) and _literal_only(expr.right)
    return False


def _names(expr: Expr) -> list[Expr]:
    if isinstance(expr, (Ref, Unknown, Num, Str)):
        return [expr]
    if isinstance(expr, BinOp):
        return _names(expr.left) + _names(expr.right)
    if isinstance(expr, Call):
        return [n for a in expr.args for n in _names(a)]
    return [expr]


_PARSED_TEXT = re.compile(r"^(Integer|Long|Short|Double|Float|Boolean)\.(parse\w+|valueOf)\(|^\w+\.getProperty\(")


def _inline_constants(expr: Expr, symbols: dict, depth: int = 0) -> Expr:
    """``expr`` with its bare UPPER_CASE constant names replaced by their values from ``symbols``."""
    if depth > 4:
        return expr
    if isinstance(expr, Ref) and re.fullmatch(r"[A-Z][A-Z0-9_]*", expr.name) and isinstance(symbols.get(expr.name), (
            Num, Call, BinOp)):
        return _inline_constants(symbols[expr.name], symbols, depth + 1)
    if isinstance(expr, BinOp):
        return BinOp(expr.op, _inline_constants(expr.left, symbols, depth + 1),
                     _inline_constants(expr.right, symbols, depth + 1))
    if isinstance(expr, Call):
        return Call(expr.func, tuple(_inline_constants(a, symbols, depth + 1) for a in expr.args), expr.kwargs)
    return expr


def _library_inlined(expr: Expr, symbols: dict) -> Expr:
    """Round 18: ``Protocol.DEFAULT_TIMEOUT * 5`` with the library constant the file imports (``LIBRARY_CONSTANTS``)
    replaced by its value, so an instance field's default made of one is a number."""
    if isinstance(expr, Ref) and expr.name in LIBRARY_CONSTANTS and isinstance(symbols.get(expr.name), Num):
        return symbols[expr.name]
    if isinstance(expr, BinOp):
        return BinOp(expr.op, _library_inlined(expr.left, symbols), _library_inlined(expr.right, symbols))
    return expr


def _constructor_only_methods(body: ts.Node) -> set[int]:
    """The ids of a class's methods that only its constructors call (``Config(Configuration c) { init(c); }``),
    by name, never elsewhere in the class; overloaded names are left out."""
    methods: dict[str, list[ts.Node]] = {}
    for member in body.named_children:
        if member.type == "method_declaration":
            methods.setdefault(ts.text(member.child_by_field_name("name")), []).append(member)
    callers: dict[str, set[str]] = {}  # method name -> the members calling it ("<init>" for a constructor)
    for member in body.named_children:
        if member.type not in ("constructor_declaration", "method_declaration", "field_declaration"):
            continue
        caller = "<init>" if member.type == "constructor_declaration" else (
            ts.text(member.child_by_field_name("name")) if member.type == "method_declaration" else "<field>")
        for node in ts.walk(member):
            if node.type != "method_invocation":
                continue
            receiver = node.child_by_field_name("object")
            if receiver is not None and ts.text(receiver) != "this":
                continue
            callers.setdefault(ts.text(node.child_by_field_name("name")), set()).add(caller)
    # round 18: also a method only such methods call (`MaxwellConfig(argv) { parse(argv); }` with `parse` calling
    # `setup(options, properties)`), a few levels deep
    init: set[str] = {"<init>"}
    for _ in range(3):
        init |= {name for name, ms in methods.items() if len(ms) == 1 and callers.get(name)
                 and callers[name] <= init and name not in callers[name]}
    return {ms[0].id for name, ms in methods.items() if name in init}


def _field_definition_default(node: ts.Node) -> Expr | None:
    """A configuration field defined by a builder chain with its default (Debezium/Kafka-Connect style
    ``Field.create("timeout.ms").withDisplayName(..).withDefault(60000L)``): the default, which applies unless the
    deployment sets the key (``config.getInteger(TIMEOUT_MS)`` reads the constant). Without a default: None."""
    items = chain(node)
    if len(items) < 2 or items[0].type != "identifier" or items[1].type != "method_invocation":
        return None
    if ts.text(items[0]) in ("Field", "ConfigDef") and ts.text(items[1].child_by_field_name("name")) in (
            "create", "createInternal"):
        defaults = ("withDefault",)
    elif ts.text(items[1].child_by_field_name("name")) == "builder" and any(
            item.type == "method_invocation" and ts.text(item.child_by_field_name("name")) == "key"
            and len(arguments(item)) == 1 and arguments(item)[0].type == "string_literal" for item in items[2:]):
        # round 11: a typed flag built with its key and default (Apache Polaris
        # `PolarisConfiguration.<Integer>builder().key("AZURE_TIMEOUT_MILLIS")..defaultValue(15000).buildFeatureConfiguration()`,
        # read with `realmConfig.getConfig(AZURE_TIMEOUT_MILLIS)`)
        defaults = ("defaultValue", "withDefault")
    else:
        return None
    for item in items[2:]:
        if item.type == "method_invocation" and ts.text(item.child_by_field_name("name")) in defaults:
            args = arguments(item)
            default = expr_of(args[-1]) if args else Unknown("")
            if isinstance(default, Str) and strip_number(default.value) is not None:
                default = Num(strip_number(default.value))
            return None if isinstance(default, (Unknown, Str)) else Call("coalesce", (default,))
    return None


def _only_configured(field_node: ts.Node, name: str) -> bool:
    """Is every other assignment of this instance field, in its class, from parsed configuration text
    (``this.x = Integer.parseInt(props.getProperty(KEY))``)? At least one such assignment, none else."""
    cls = enclosing(field_node, ("class_declaration",))
    body = cls.child_by_field_name("body") if cls is not None else None
    if body is None:
        return False
    seen = False
    for node in ts.walk(body):
        if node.type == "update_expression" and ts.text(node).replace("this.", "").strip("+- ") == name:
            return False
        if node.type != "assignment_expression":
            continue
        if ts.text(node.child_by_field_name("left")).replace(" ", "").removeprefix("this.") != name:
            continue
        if ts.text(node.child_by_field_name("operator")) != "=" or not _PARSED_TEXT.match(
                ts.text(node.child_by_field_name("right")).replace(" ", "")):
            return False
        seen = True
    return seen


def _picocli_default(modifiers: ts.Node, value: ts.Node | None, jf) -> Expr | None:
    """The default of a picocli ``@Option`` field: its ``defaultValue = "60"`` (a number or a duration's text), else the
    field's literal initializer; wrapped in ``coalesce`` (a setting the command line may override)."""
    from contract_discovery.values import Str as _Str
    for child in modifiers.named_children:
        if child.type != "annotation" or ts.text(child.child_by_field_name("name")).rsplit(".", 1)[-1] != "Option":
            continue
        given = annotation_args(child).get("defaultValue")
        if given is not None:
            text = (string_of(given) or "").strip()
            number = strip_number(text)
            return Call("coalesce", (Num(number),)) if number is not None else None
    if value is None:
        return None
    default = _library_inlined(jf.constant_expr(value), jf.symbols)
    if isinstance(default, (Unknown, _Str)) or not _literal_only(default):
        return None
    return Call("coalesce", (default,))


def _never_assigned(field_node: ts.Node, name: str) -> bool:
    """Round 18: a private instance field nothing in its class assigns or counts after its declaration
    (``private int defaultTimeout = Protocol.DEFAULT_TIMEOUT * 5;`` read by ``getAdminJedis(.., defaultTimeout,
    defaultTimeout)``): final in all but name. Not one assigned anywhere (a constructor's, a setter's, a counter)."""
    cls = enclosing(field_node, ("class_declaration", "enum_declaration"))
    body = cls.child_by_field_name("body") if cls is not None else None
    if body is None:
        return False
    mods = next((c for c in field_node.children if c.type == "modifiers"), None)
    if mods is not None and ("@" in ts.text(mods) or "volatile" in ts.text(mods)):
        return False  # injected or bound (`@Value`, `@JsonProperty`, `@Setter`), or shared between threads
    own = next((c for c in cls.children if c.type == "modifiers"), None)
    if own is not None and re.search(r"@(Data|Setter|ConfigurationProperties|ConfigMapping)\b", ts.text(own)):
        return False  # Lombok setters or configuration binding set it from outside
    for node in ts.walk(body):
        if node.type == "update_expression" and ts.text(node).replace("this.", "").strip("+- ") == name:
            return False
        if node.type == "assignment_expression" and ts.text(node.child_by_field_name("left")).replace(
                " ", "").removeprefix("this.") == name:
            return False
    return True


def _setter_default(field_node: ts.Node, name: str) -> bool:
    """Round 11: an instance field whose default only a setter replaces (``protected int connectTimeout = 5000;``
    with ``setConnectTimeoutMillis(int t) { this.connectTimeout = t; }``): the class's own default, what its calls
    use unless a caller sets it (whose setter call is a finding of its own). Not a field without a setter (a
    mutable field, unknown), counted up or down, or assigned anything else (a constructor's parameter, a computed
    value)."""
    cls = enclosing(field_node, ("class_declaration",))
    body = cls.child_by_field_name("body") if cls is not None else None
    if body is None:
        return False
    seen = False
    for node in ts.walk(body):
        if node.type == "update_expression" and ts.text(node).replace("this.", "").strip("+- ") == name:
            return False
        if node.type != "assignment_expression":
            continue
        if ts.text(node.child_by_field_name("left")).replace(" ", "").removeprefix("this.") != name:
            continue
        if ts.text(node.child_by_field_name("operator")) != "=" or not _setter_assignment(node):
            return False
        seen = True
    return seen


def _setter_assignment(assignment: ts.Node) -> bool:
    """``this.x = x`` as a one-parameter ``setX(..)`` method's assignment of that parameter."""
    method = enclosing(assignment, ("method_declaration", "constructor_declaration", "lambda_expression"))
    if method is None or method.type != "method_declaration" \
            or not re.match(r"set[A-Z]", ts.text(method.child_by_field_name("name"))):
        return False
    params = method.child_by_field_name("parameters")
    declared = [p for p in (params.named_children if params is not None else ()) if p.type == "formal_parameter"]
    return len(declared) == 1 and ts.text(assignment.child_by_field_name("right")).strip() == \
        ts.text(declared[0].child_by_field_name("name"))


def _null_fallback(returned: ts.Node) -> Expr | None:
    """Round 18: a settings getter's fallback when the field is unset (Dropwizard's ``return jmxConnectionTimeoutInSeconds
    != null ? jmxConnectionTimeoutInSeconds : 20;``, also ``x == null ? 20 : x``): ``coalesce(20)``, the default the
    deployment's YAML may override. Only a literal or constant fallback."""
    while returned is not None and returned.type == "parenthesized_expression" and returned.named_child_count:
        returned = returned.named_children[0]
    if returned is None or returned.type != "ternary_expression":
        return None
    condition = unparenthesized(returned.child_by_field_name("condition"))
    then, other = returned.child_by_field_name("consequence"), returned.child_by_field_name("alternative")
    if condition is None or condition.type != "binary_expression" or then is None or other is None:
        return None
    op = ts.text(condition.child_by_field_name("operator"))
    left, right = condition.child_by_field_name("left"), condition.child_by_field_name("right")
    if ts.text(right).strip() != "null" or op not in ("!=", "=="):
        return None
    held, fallback = (then, other) if op == "!=" else (other, then)
    if ts.text(held).replace("this.", "").strip() != ts.text(left).replace("this.", "").strip():
        return None
    value = expr_of(fallback)
    return Call("coalesce", (value,)) if _default_like(value) else None


def _default_like(expr: Expr) -> bool:
    """A getter's return worth publishing: a setting's default (``coalesce(.., 5000)``), a literal, or arithmetic of
    them and of constants (UPPER or dotted names); not a bare field, parameter or unknown call."""
    if isinstance(expr, Call) and expr.func == "coalesce":
        return bool(expr.args) and _default_like(expr.args[-1])
    if isinstance(expr, Call) and expr.func == "duration_ms" and len(expr.args) == 1:
        return _default_like(expr.args[0])
    if isinstance(expr, Call) and expr.func in ("int", "float") and len(expr.args) == 1:
        # round 19: `Integer.parseInt(map.getOrDefault("k", "10000"))`: a number parsed from a default's text
        inner = expr.args[0]
        if isinstance(inner, Call) and inner.func == "coalesce" and inner.args and isinstance(inner.args[-1], Str):
            return strip_number(inner.args[-1].value) is not None
        if isinstance(inner, Env) and isinstance(inner.default, Str):
            # round 20 (second wave): `Long.parseLong(System.getenv().getOrDefault("CALL_TIMEOUT", "3000"))`: the
            # environment's value, the written default unless the deployment sets it
            return strip_number(inner.default.value) is not None
        return _default_like(inner)
    if isinstance(expr, Num):
        return True
    if isinstance(expr, Ref):
        return bool(re.fullmatch(r"(?:[A-Z]\w*\.)*[A-Z][A-Z0-9_]*", expr.name))
    if isinstance(expr, BinOp):
        return _default_like(expr.left) and _default_like(expr.right)
    return False


def _usable_field_value(expr: Expr, ctor: ts.Node, symbols: dict) -> bool:
    """A constructor's right-hand side that names only settings (dotted getters, symbols of the
    file) or literals: not a bare constructor parameter (``this.timeout = timeout``), not an unknown shape."""
    params = ctor.child_by_field_name("parameters")
    param_names = {ts.text(p.child_by_field_name("name")) for p in (params.named_children if params is not None else ())
                   if p.child_by_field_name("name") is not None}
    parts = _names(expr)
    if not any(isinstance(p, (Ref, Num)) for p in parts):
        return False
    for part in parts:
        if isinstance(part, Unknown) or isinstance(part, Str):
            return False
        if isinstance(part, Ref) and "." not in part.name and part.name not in symbols \
                and not re.fullmatch(r"[A-Z][A-Z0-9_]*", part.name):
            # (round 20, second wave: a constant of another file, `orElse(DEFAULT_BULK_READ_TIMEOUT)` statically
            # imported, is a setting's default)
            return False
        if isinstance(part, Ref) and part.name in param_names and part.name not in symbols:
            return False
    return True


@dataclass
class Site:
    """A call (``name`` is the method), a construction (``name`` is ``new <Type>``) or an annotation."""

    node: ts.Node
    name: str
    name_node: ts.Node
    kind: str  # call, new, annotation


def chain(node: ts.Node) -> list[ts.Node]:
    """The receiver chain of a call, outermost-first: for ``a.b().c()`` at ``c`` -> [a, b(), c()]."""
    items = [node]
    current = node
    while current.type == "method_invocation" and len(items) < MAX_CHAIN:
        obj = current.child_by_field_name("object")
        if obj is None:
            break
        items.append(obj)
        current = obj
    items.reverse()
    return items


def chain_top(node: ts.Node) -> ts.Node:
    """The outermost call of the chain this call belongs to (``a.b().c()`` for ``b()``)."""
    current = node
    steps = 0
    while current.parent is not None and current.parent.type == "method_invocation" \
            and current.parent.child_by_field_name("object") == current and steps < MAX_CHAIN:
        current = current.parent
        steps += 1
    return current


def call_name(node: ts.Node) -> str:
    if node.type == "method_invocation":
        return ts.text(node.child_by_field_name("name"))
    if node.type == "object_creation_expression":
        return "new " + ts.text(node.child_by_field_name("type"))
    return ts.text(node)


def annotation_args(node: ts.Node) -> dict[str, ts.Node]:
    """``@Retry(name = "x")`` -> {"name": node}; ``@Foo("x")`` -> {"value": node}."""
    result: dict[str, ts.Node] = {}
    args = node.child_by_field_name("arguments")
    if args is None:
        return result
    for child in args.named_children:
        if child.type == "element_value_pair":
            key = child.child_by_field_name("key")
            value = child.child_by_field_name("value")
            if key is not None and value is not None:
                result[ts.text(key)] = value
        elif child.type not in ("line_comment", "block_comment"):
            result.setdefault("value", child)
    return result



def unparenthesized(node: ts.Node | None) -> ts.Node | None:
    """``((a < b))`` -> ``a < b``: an if's or loop's condition without its parentheses."""
    while node is not None and node.type == "parenthesized_expression" and node.named_child_count:
        node = node.named_children[0]
    return node

def enclosing(node: ts.Node, types: tuple[str, ...]) -> ts.Node | None:
    for parent in ts.ancestors(node):
        if parent.type in types:
            return parent
    return None


def method_annotations(method: ts.Node) -> list[ts.Node]:
    mods = next((c for c in method.children if c.type == "modifiers"), None)
    if mods is None:
        return []
    return [c for c in mods.named_children if c.type in ("annotation", "marker_annotation")]


def annotation_name(node: ts.Node) -> str:
    return ts.text(node.child_by_field_name("name")).rsplit(".", 1)[-1]


@dataclass
class JavaFile(SourceLines):
    """One parsed Java file and what the detectors share about it (``evidence``/``within`` from
    ``SourceLines``)."""

    path: str
    data: bytes
    tree: ts.Tree
    sink: FindingSink
    package: str | None = None
    imports: dict[str, str] = field(default_factory=dict)
    symbols: dict[str, Expr] = field(default_factory=dict)
    calls: list[Site] = field(default_factory=list)
    news: list[Site] = field(default_factory=list)
    annotations: list[Site] = field(default_factory=list)
    loops: list[ts.Node] = field(default_factory=list)
    strings: list[ts.Node] = field(default_factory=list)
    tries: list[ts.Node] = field(default_factory=list)
    # `@Value` constructor/method parameters: (declaring member's start byte, parameter name) -> the property
    value_params: dict = field(default_factory=dict)
    # `Cls.field` keys published from the injected constructor's `this(..)` delegation (round 11)
    delegated_fields: set = field(default_factory=set)
    _lines: list[bytes] | None = None

    @classmethod
    def parse(cls, path: str, data: bytes, sink: FindingSink) -> "JavaFile":
        tree = ts.parse(GRAMMAR, data)
        jf = cls(path=path, data=data, tree=tree, sink=sink)
        jf._header()
        jf._sites()
        jf._constants()
        jf._interface_constants()
        jf._static_wildcard_constants()
        jf._settings_field_types()
        jf._project_field_types()
        jf._settings_object_fields()
        jf._getter_types()
        jf._bean_prefixes()
        jf._dropwizard_prefixes()
        jf._skife_defaults()
        jf._mapping_defaults()
        jf._nested_paths()
        jf._value_parameters()
        jf._constructor_fields()
        jf._default_instance_fields()
        jf._getter_returns()
        jf._value_reads()
        return jf

    def _value_reads(self) -> None:
        """``@Value("${nakadi.kafka.request.timeout.ms}")`` / ``env.getProperty("x.timeout")``: the configuration keys the
        code reads itself, published as ``$value-read:<key>`` (0). The code applies them where the tool reports the
        contract; a config file's finding for the same key (a custom-prefixed client property) is then no second one
        (extractors/spring: its ``$keep_if``)."""
        keys: set[str] = set()
        for ann in self.annotations:
            if ann.name == "Value":
                text = string_of(annotation_args(ann.node).get("value")) or ""
                keys.update(re.findall(r"\$\{([\w.\[\]-]+)", text))
        for site in self.calls:
            if site.name == "getProperty":
                args = arguments(site.node)
                key = string_of(args[0]) if args and args[0].type == "string_literal" else None
                if key and re.fullmatch(r"[\w-]+(\.[\w-]+)+", key):
                    keys.add(key)
        for key in keys:
            self.symbols.setdefault(f"{VALUE_READ}{key}", Num(0.0))

    @property
    def text(self) -> str:
        return self.data.decode("utf-8", errors="replace")

    def _header(self) -> None:
        for child in self.tree.root_node.named_children:
            if child.type == "package_declaration":
                name = next((c for c in child.named_children if c.type in ("scoped_identifier", "identifier")), None)
                if name is not None:
                    self.package = ts.text(name)
            elif child.type == "import_declaration":
                body = ts.text(child).removeprefix("import").strip().rstrip(";").strip()
                body = body.removeprefix("static").strip()
                if body.endswith(".*") or not body:
                    continue
                self.imports[body.rsplit(".", 1)[-1]] = body
        for name, (package, value) in LIBRARY_CONSTANTS.items():
            if self.imports.get(name.split(".")[0], "").startswith(package):
                self.symbols.setdefault(name, value)

    def _static_wildcard_constants(self) -> None:
        """Round 20: a constant named bare under one static wildcard import of a project class (KnowStreaming's
        ``import static ...common.constant.ESConstant.*;`` then ``performRequest(.., DEFAULT_RETRY_TIME)``) is that
        class's: ``imports["DEFAULT_RETRY_TIME"] = "...ESConstant.DEFAULT_RETRY_TIME"``, as an explicit static import
        names it. Only upper-case names the file neither declares nor imports, and only with a single such import."""
        owners = []
        for child in self.tree.root_node.named_children:
            if child.type != "import_declaration":
                continue
            body = ts.text(child).removeprefix("import").strip().rstrip(";").strip()
            if not body.startswith("static") or not body.endswith(".*"):
                continue
            owner = body.removeprefix("static").strip()[:-2]
            if owner.rsplit(".", 1)[-1][:1].isupper():
                owners.append(owner)
        own = (self.package or "").split(".")[:2]
        if len(owners) != 1 or len(own) < 2 or owners[0].split(".")[:2] != own:
            return
        declared = {ts.text(n.child_by_field_name("name")) for n in ts.walk(self.tree.root_node)
                    if n.type in ("variable_declarator", "formal_parameter", "enum_constant")
                    and n.child_by_field_name("name") is not None}
        for node in ts.walk(self.tree.root_node):
            if node.type != "identifier" or (node.parent is not None and node.parent.type in (
                    "field_access", "method_invocation") and node.parent.child_by_field_name("object") is not None
                    and node.parent.child_by_field_name("object") != node):
                continue
            name = ts.text(node)
            if re.fullmatch(r"[A-Z][A-Z0-9]*_[A-Z0-9_]+", name) and name not in declared and name not in self.imports \
                    and name not in self.symbols:
                self.imports[name] = f"{owners[0]}.{name}"

    def _sites(self) -> None:
        for name, nodes in ts.captures(query("sites.scm"), self.tree.root_node).items():
            for node in nodes:
                if name == "call":
                    self.calls.append(Site(node, call_name(node), node.child_by_field_name("name"), "call"))
                elif name == "new":
                    self.news.append(Site(node, call_name(node), node.child_by_field_name("type"), "new"))
                elif name == "annotation":
                    self.annotations.append(Site(node, annotation_name(node), node.child_by_field_name("name"), "annotation"))
                elif name == "loop":
                    self.loops.append(node)
                elif name == "string":
                    self.strings.append(node)
                elif name == "try":
                    self.tries.append(node)
        # Query captures come in no reliable order: source order, outer node first, for every list.
        for lst in (self.calls, self.news, self.annotations):
            lst.sort(key=lambda s: (s.node.start_byte, -s.node.end_byte))
        for nodes in (self.loops, self.strings, self.tries):
            nodes.sort(key=lambda n: (n.start_byte, -n.end_byte))

    def class_path(self, node: ts.Node) -> list[str]:
        names = []
        for parent in ts.ancestors(node):
            if parent.type in ("class_declaration", "interface_declaration", "enum_declaration", "record_declaration"):
                names.append(ts.text(parent.child_by_field_name("name")))
        return list(reversed(names))

    def _settings_field_types(self) -> None:
        """Round 18: ``Owner.field.$type`` = the settings class an instance field holds (``public
        ReaperApplicationConfiguration config;`` in ``AppContext``), so ``context.config.getX()`` elsewhere
        (``AppContext.config.x``) resolves to that class's published default (``ReaperApplicationConfiguration.x``).
        Only types named for settings (``..Config``, ``..Configuration``, ``..Properties``, ``..Settings``)."""
        for node in ts.walk(self.tree.root_node):
            if node.type != "field_declaration" or node.parent is None or node.parent.type != "class_body":
                continue
            kind = node.child_by_field_name("type")
            if kind is None or kind.type != "type_identifier" or not _SETTINGS_TYPE.search(ts.text(kind)) \
                    or "static" in ts.text(next((c for c in node.children if c.type == "modifiers"), kind)).split():
                continue
            classes = self.class_path(node)
            if not classes:
                continue
            for declarator in (d for d in node.named_children if d.type == "variable_declarator"):
                self.symbols.setdefault(f"{classes[-1]}.{ts.text(declarator.child_by_field_name('name'))}.$type",
                                        Str(ts.text(kind)))

    def _settings_package(self) -> bool:
        """Round 20 (second wave): a file of a package that holds the service's settings (``..common.config``,
        ``..settings``): its classes are settings objects whatever their names (Buildfarm's ``Server``, ``Backplane``
        loaded from YAML into ``BuildfarmConfigs``), their field defaults what their getters return."""
        return bool(re.search(r"(?:^|\.)(?:configs?|configuration|settings)$", self.package or ""))

    def _settings_object_fields(self) -> None:
        """Round 20 (second wave): ``Owner.field.$type`` for a settings class's instance field holding another project
        settings object (``private Server server = new Server();`` in Buildfarm's ``BuildfarmConfigs``, a package of
        settings), so ``configs.getServer().getExpectTimeout()`` elsewhere (``BuildfarmConfigs.server.expectTimeout``)
        reaches ``Server.expectTimeout``."""
        if not self._settings_package():
            return
        for node in ts.walk(self.tree.root_node):
            if node.type != "field_declaration" or node.parent is None or node.parent.type != "class_body":
                continue
            kind = node.child_by_field_name("type")
            modifiers = ts.text(next((c for c in node.children if c.type == "modifiers"), kind)).split()
            if kind is None or kind.type != "type_identifier" or "static" in modifiers \
                    or ts.text(kind) in LIBRARY_TYPES or not project_type(self, ts.text(kind)):
                continue
            classes = self.class_path(node)
            for declarator in (d for d in node.named_children if d.type == "variable_declarator") if classes else ():
                self.symbols.setdefault(f"{classes[-1]}.{ts.text(declarator.child_by_field_name('name'))}.$type",
                                        Str(ts.text(kind)))

    def _project_field_types(self) -> None:
        """Round 20: ``Owner.field.$type`` for an inherited-looking instance field of a project type (not private:
        ``protected ESOpClient esOpClient;`` in KnowStreaming's ``BaseESDAO``) and ``Owner.$super`` for a class that
        extends a project class, so a subclass's call through the inherited field elsewhere
        (``esOpClient.performRequest(.., 3)`` in ``BrokerMetricESDAO extends BaseMetricESDAO``: callee
        ``BrokerMetricESDAO.esOpClient.performRequest``) reaches the helper the field's class publishes (the resolver
        follows ``$super`` to the declaring class, then ``$type``)."""
        for node in ts.walk(self.tree.root_node):
            if node.type == "class_declaration":
                parent = node.child_by_field_name("superclass")
                kind = next((n for n in ts.walk(parent) if n.type == "type_identifier"), None) if parent else None
                name = ts.text(node.child_by_field_name("name"))
                if kind is not None and project_type(self, ts.text(kind)) and ts.text(kind) != name:
                    self.symbols.setdefault(f"{name}.$super", Str(ts.text(kind)))
                continue
            if node.type != "field_declaration" or node.parent is None or node.parent.type != "class_body":
                continue
            kind = node.child_by_field_name("type")
            modifiers = ts.text(next((c for c in node.children if c.type == "modifiers"), kind)).split()
            if kind is None or kind.type != "type_identifier" or "static" in modifiers or "private" in modifiers \
                    or not project_type(self, ts.text(kind)):
                continue
            classes = self.class_path(node)
            if not classes:
                continue
            for declarator in (d for d in node.named_children if d.type == "variable_declarator"):
                self.symbols.setdefault(f"{classes[-1]}.{ts.text(declarator.child_by_field_name('name'))}.$type",
                                        Str(ts.text(kind)))

    def _skife_defaults(self) -> None:
        """Round 18: skife config interfaces (Kill Bill): ``@Config("org.killbill.payment.failure.retry.max.attempts")
        @Default("8") int getPluginFailureRetryMaxAttempts(..)`` publishes ``PaymentConfig.pluginFailureRetryMaxAttempts``
        (8; a ``TimeSpan``/``Duration`` in ms), and a list default (``@Default("8,8,8") List<Integer>
        getPaymentFailureRetryDays(..)``) its number of items as ``PaymentConfig.paymentFailureRetryDays.$size`` (3):
        the values unless the deployment sets the key."""
        from extractors.java.jvm import duration_text_ms

        if b"@Default(" not in self.data or b"@Config(" not in self.data:
            return
        for node in ts.walk(self.tree.root_node):
            if node.type != "method_declaration":
                continue
            mods = next((c for c in node.children if c.type == "modifiers"), None)
            if mods is None or not re.search(r"@Config\s*\(", ts.text(mods)):
                continue
            default = next((annotation_args(a).get("value") for a in mods.named_children
                            if a.type == "annotation" and annotation_name(a) == "Default"), None)
            text = string_of(default) if default is not None else None
            classes = self.class_path(node)
            name = ts.text(node.child_by_field_name("name"))
            if text is None or not classes:
                continue
            prop = name[3].lower() + name[4:] if re.fullmatch(r"get[A-Z]\w*", name) else name
            kind = ts.text(node.child_by_field_name("type")).replace(" ", "")
            base = kind.split("<")[0].rsplit(".", 1)[-1]
            if base in ("List", "Set", "Collection"):
                self.symbols.setdefault(f"{classes[-1]}.{prop}.$size",
                                        Num(float(len([x for x in text.split(",") if x.strip()]))))
            elif base in ("int", "long", "Integer", "Long") and strip_number(text) is not None:
                self.symbols.setdefault(f"{classes[-1]}.{prop}", Num(strip_number(text)))
            elif base in ("TimeSpan", "Duration") and duration_text_ms(text) is not None:
                self.symbols.setdefault(f"{classes[-1]}.{prop}", Num(duration_text_ms(text)))

    def _getter_types(self) -> None:
        """Round 18: ``Owner.prop.$type`` = the project class a no-argument getter returns (``public ConnectionPool
        getMaxwellConnectionPool()`` in ``MaxwellContext``), so a call through it elsewhere
        (``this.context.getMaxwellConnectionPool().withSQLRetry(1, ..)``: callee ``MaxwellContext.maxwellConnectionPool
        .withSQLRetry``) reaches the helper that class publishes (the resolver follows ``$type``)."""
        for node in ts.walk(self.tree.root_node):
            if node.type != "method_declaration" or node.parent is None or node.parent.type not in (
                    "class_body", "interface_body"):
                continue
            name, kind = ts.text(node.child_by_field_name("name")), node.child_by_field_name("type")
            params = node.child_by_field_name("parameters")
            if not re.fullmatch(r"get[A-Z]\w*", name) or kind is None or kind.type != "type_identifier" \
                    or (params is not None and params.named_child_count) or ts.text(kind) in LIBRARY_TYPES:
                continue
            classes = self.class_path(node)
            if classes:
                self.symbols.setdefault(f"{classes[-1]}.{name[3].lower() + name[4:]}.$type", Str(ts.text(kind)))

    def _dropwizard_prefixes(self) -> None:
        """Round 21: ``T.$prefix`` = the key a Dropwizard configuration class (``class DPCAPIConfiguration extends
        Configuration``, Jackson-bound from the service's YAML) reads a field of a project settings type from
        (``@JsonProperty("attributionClient") private final FHIRClientConfiguration fhirClientConfiguration``, else the
        field's name), so ``fhirClientConfiguration.getTimeouts().getSocketTimeout()`` elsewhere
        (``FHIRClientConfiguration.timeouts.socketTimeout``) is the YAML key ``attributionClient.timeouts.socketTimeout``
        (the resolver follows ``$prefix`` when the class has no default of its own)."""
        if b"io.dropwizard" not in self.data or b"extends Configuration" not in self.data:
            return
        for cls in ts.walk(self.tree.root_node):
            if cls.type != "class_declaration" or cls.child_by_field_name("superclass") is None \
                    or ts.text(cls.child_by_field_name("superclass")).split()[-1].rsplit(".", 1)[-1] != "Configuration":
                continue
            body = cls.child_by_field_name("body")
            for node in (body.named_children if body is not None else ()):
                kind = node.child_by_field_name("type") if node.type == "field_declaration" else None
                modifiers = next((c for c in node.children if c.type == "modifiers"), None)
                if kind is None or kind.type != "type_identifier" or ts.text(kind) in LIBRARY_TYPES \
                        or not project_type(self, ts.text(kind)) \
                        or (modifiers is not None and "static" in ts.text(modifiers).split()):
                    continue
                key = next((string_of(annotation_args(a).get("value")) for a in (modifiers.named_children
                            if modifiers is not None else ()) if a.type == "annotation"
                            and annotation_name(a) == "JsonProperty"), None)
                declarators = [d for d in node.named_children if d.type == "variable_declarator"]
                if len(declarators) != 1:
                    continue
                key = key or ts.text(declarators[0].child_by_field_name("name"))
                self.symbols.setdefault(f"{ts.text(kind)}.$prefix", Str(key))

    def _bean_prefixes(self) -> None:
        """Round 19: ``T.$prefix`` = the configuration prefix a ``@Bean`` method binds the type it returns to (Terra's
        ``@Bean @ConfigurationProperties(value = "drshub") public DrsHubConfig getDrshubConfig() { return
        DrsHubConfig.create(); }``), so ``drsHubConfig.getPencilsDownSeconds()`` elsewhere (``DrsHubConfig
        .pencilsDownSeconds``) is the key ``drshub.pencilsDownSeconds`` of the service's configuration (the resolver
        follows ``$prefix``). Only project-looking types (not the library's pools and clients)."""
        if b"@ConfigurationProperties" not in self.data or b"@Bean" not in self.data:
            return
        for node in ts.walk(self.tree.root_node):
            if node.type != "method_declaration":
                continue
            names = [annotation_name(a) for a in method_annotations(node)]
            kind = node.child_by_field_name("type")
            if "Bean" not in names or kind is None or kind.type != "type_identifier" or ts.text(kind) in LIBRARY_TYPES:
                continue
            prefix = _bound_prefix(node)
            if prefix:
                self.symbols.setdefault(f"{ts.text(kind)}.$prefix", Str(prefix))

    def _interface_constants(self) -> None:
        """Round 18: an interface's fields are constants whatever they write (``interface ICassandraManagementProxy {
        Duration DEFAULT_JMX_CONNECTION_TIMEOUT = Duration.ofSeconds(5); }``; tree-sitter's ``constant_declaration``):
        published as ``NAME`` and ``Iface.NAME`` (a Duration in ms), as ``static final`` fields are."""
        if b"interface" not in self.data:
            return
        for node in ts.walk(self.tree.root_node):
            if node.type != "constant_declaration":
                continue
            classes = self.class_path(node)
            for declarator in (d for d in node.named_children if d.type == "variable_declarator"):
                name, value = ts.text(declarator.child_by_field_name("name")), declarator.child_by_field_name("value")
                if value is None:
                    continue
                try:
                    expr = self.constant_expr(value)
                except RecursionError:
                    continue
                if isinstance(expr, Unknown):
                    continue
                self.symbols.setdefault(name, expr)
                if classes:
                    self.symbols.setdefault(f"{classes[-1]}.{name}", expr)
                    if len(classes) > 1:
                        self.symbols.setdefault(".".join(classes) + "." + name, expr)

    def _constants(self) -> None:
        seen: set[int] = set()
        for match in ts.matches(query("constants.scm"), self.tree.root_node):
            field_node = (match.get("field") or match.get("field.any") or [None])[0]
            if field_node is None or field_node.id in seen:
                continue
            mods = ts.text(match["modifiers"][0])
            name = ts.text(match["name"][0])
            value_nodes = match.get("value")
            expr: Expr | None = None
            try:
                if value_nodes and "static" in mods and "final" in mods:
                    expr = self.constant_expr(value_nodes[0])
                elif value_nodes and "static" in mods and "final" not in mods \
                        and _never_assigned(field_node, name):
                    # round 18: `private static int connectTimeout = 4000;` nothing assigns: a constant in all but name
                    expr = _library_inlined(self.constant_expr(value_nodes[0]), self.symbols)
                    expr = expr if _literal_only(expr) else None
                elif "@Value" in mods:
                    expr = self._value_annotation(match["modifiers"][0])
                elif "@ConfigProperty" in mods:
                    expr = _config_property(match["modifiers"][0], field_node)
            except RecursionError:
                continue  # a pathologically deep initializer: skip this constant, keep the file
            if expr is None and "static" not in mods:
                try:
                    declarator = next((d for d in field_node.named_children if d.type == "variable_declarator"
                                       and ts.text(d.child_by_field_name("name")) == name), None)
                    value = declarator.child_by_field_name("value") if declarator is not None else None
                    default = self._instance_default(field_node, name, value)
                    if default is None and re.search(r"@(?:CommandLine\.)?Option\s*\(", mods):
                        # round 19: a picocli option field (web3signer's `@Option(names = {"--azure-response-timeout"})
                        # private long timeout = 60;`): its `defaultValue`, else the initializer, unless the command
                        # line gives one
                        default = _picocli_default(match["modifiers"][0], value, self)
                    if default is None and value is not None and (re.search(r"\bfinal\b", mods)
                                                                  or _only_configured(field_node, name)
                                                                  or _setter_default(field_node, name)
                                                                  or re.search(r"\bprivate\b", mods)
                                                                  and _never_assigned(field_node, name)):
                        # `private final int connectTimeoutSec = 10;`: set once, here (a constant per instance);
                        # `private int maxRedeliveryCount = 128;` overridden only from parsed configuration text
                        # (`this.maxRedeliveryCount = Integer.parseInt(str)`): the default unless configured
                        default = _library_inlined(self.constant_expr(value), self.symbols)
                        if isinstance(default, Unknown) or not _literal_only(default):
                            default = None
                except Exception:  # noqa: BLE001 - an unreadable default costs the symbol, never the file
                    default = None
                classes = self.class_path(field_node)
                if default is not None and classes:
                    # Only under the class's name: a bare name in the file may be a local or parameter.
                    self.symbols.setdefault(f"{classes[-1]}.{name}", default)
                    for iface in _implemented_interfaces(field_node):
                        # round 14: `class Http1ClientProperties implements Http1ClientParameters { private Duration
                        # connectionTimeout = Duration.ofSeconds(15); }`: a caller holding the interface
                        # (`params.getConnectionTimeout()`) reads the settings class's default, as for fields a
                        # constructor sets (`_constructor_fields`)
                        self.symbols.setdefault(f"{iface}.{name}", default)
                        self.symbols.setdefault(f"$implements:{iface}.{name}", default)
                continue
            if expr is None or isinstance(expr, Unknown):
                continue
            seen.add(field_node.id)
            if expr != Ref(name):  # round 17: `@Value("${readTimeout}") int readTimeout`: the key is the name
                self.symbols.setdefault(name, expr)
            classes = self.class_path(field_node)
            if classes:
                self.symbols[f"{classes[-1]}.{name}"] = expr
                if len(classes) > 1:
                    self.symbols[".".join(classes) + "." + name] = expr

    def _mapping_defaults(self) -> None:
        """Defaults of typed configuration interfaces and records: SmallRye/Quarkus ``@ConfigMapping`` interface methods
        ``@WithDefault("5s") Duration connectTimeout();``, Micronaut ``@Bindable(defaultValue = "5s")``, Spring Boot
        record components ``record ClientProps(@DefaultValue("5s") Duration timeout)``: published as
        ``Owner.method`` (durations in ms; a bare number for a Quarkus ``Duration`` is seconds), and under the
        accessor that returns a nested interface of the file (``CommaFeedConfiguration.httpClient.connectTimeout``),
        so ``config.httpClient().connectTimeout()`` resolves (``expr_of``)."""
        if b"@WithDefault" not in self.data and b"@Bindable" not in self.data and b"@DefaultValue" not in self.data \
                and b"@ConfigurationProperties" not in self.data and b"@ConfigMapping" not in self.data:
            return
        owners: dict[str, dict[str, Expr]] = {}  # interface/record -> accessor -> default
        bound: dict[str, dict[str, str]] = {}  # a record/interface bound to a prefix -> accessor -> its property
        returns: dict[str, dict[str, str]] = {}  # interface -> accessor -> the nested type it returns
        for node in ts.walk(self.tree.root_node):
            member, kind = None, None
            if node.type == "method_declaration" and node.parent is not None and node.parent.parent is not None \
                    and node.parent.parent.type == "interface_declaration":
                member, owner_node = node, node.parent.parent
                kind = ts.text(node.child_by_field_name("type"))
                mods = next((c for c in node.children if c.type == "modifiers"), None)
                if not (node.child_by_field_name("parameters") is None or
                        not node.child_by_field_name("parameters").named_child_count):
                    continue
                owner = ts.text(owner_node.child_by_field_name("name"))
                # round 12: a nested type named through its owner (`Config.RetryConfig retry();`) is that type
                returns.setdefault(owner, {})[ts.text(node.child_by_field_name("name"))] = kind.split("<")[0].rsplit(".", 1)[-1]
            elif node.type == "formal_parameter" and node.parent is not None and node.parent.type == "formal_parameters" \
                    and node.parent.parent is not None and node.parent.parent.type == "record_declaration":
                member, owner_node = node, node.parent.parent
                kind = ts.text(node.child_by_field_name("type"))
                mods = next((c for c in node.children if c.type == "modifiers"), None)
                owner = ts.text(owner_node.child_by_field_name("name"))
            if member is None:
                continue
            prefix = _bound_prefix(owner_node)
            if prefix:
                # `@ConfigurationProperties(prefix = "clients.ledger") record LedgerProperties(Duration readTimeout)`,
                # `@ConfigMapping(prefix = "ledger") interface LedgerConfig { Duration readTimeout(); }`: the
                # accessor returns the property (`clients.ledger.read-timeout`), else its declared default
                accessor = ts.text(member.child_by_field_name("name"))
                bound.setdefault(owner, {})[accessor] = f"{prefix}.{_kebab(accessor)}"
            if mods is None:
                continue
            text, smallrye = None, False
            for ann in (c for c in mods.named_children if c.type == "annotation"):
                name = annotation_name(ann)
                args = annotation_args(ann)
                if name in ("WithDefault", "DefaultValue"):
                    text, smallrye = string_of(args.get("value")), name == "WithDefault"
                elif name == "Bindable":
                    text = string_of(args.get("defaultValue"))
            if text is None:
                continue
            value = _mapping_value(text, kind, quarkus=smallrye)
            if value is not None:
                owners.setdefault(owner, {})[ts.text(member.child_by_field_name("name"))] = value
        for owner, accessors in bound.items():
            for accessor, key in accessors.items():
                default = owners.get(owner, {}).get(accessor)
                if default is not None:
                    # round 20: for a `@ConfigProperty(name = key)` elsewhere that reads the same key without a default
                    self.symbols.setdefault(f"$mapping-default:{key}", default)
                refs = (Ref(key),) if key.endswith("." + accessor) else (Ref(key), Ref(key.rsplit(".", 1)[0] + "." + accessor))
                owners.setdefault(owner, {})[accessor] = Call("coalesce", refs + ((default,) if default is not None else ()))
        for owner, values in owners.items():
            for accessor, value in values.items():
                self.symbols.setdefault(f"{owner}.{accessor}", value)
        for _ in range(2):  # `Outer.inner().value()`, two levels of nesting
            for owner, accessors in returns.items():
                for accessor, inner in accessors.items():
                    for key, value in [(k, v) for k, v in self.symbols.items() if k.startswith(inner + ".")]:
                        if inner != owner:
                            self.symbols.setdefault(f"{owner}.{accessor}.{key[len(inner) + 1:]}", value)

    def _nested_paths(self) -> None:
        """``IgorProperties.client.timeout``: a field of a settings class typed as a class of this file
        (``private ClientProperties client = new ClientProperties();``) publishes that class's fields
        under the field's name too, so a getter chain ``props.getClient().getTimeout()`` finds them."""
        declared = {ts.text(n.child_by_field_name("name")) for n in ts.walk(self.tree.root_node)
                    if n.type in ("class_declaration", "record_declaration")}
        if len(declared) < 2:
            return
        for _ in range(2):  # two levels of nesting
            for cls in (n for n in ts.walk(self.tree.root_node) if n.type == "class_declaration"):
                body = cls.child_by_field_name("body")
                owner = ts.text(cls.child_by_field_name("name"))
                for member in (body.named_children if body is not None else ()):
                    kind = member.child_by_field_name("type") if member.type == "field_declaration" else None
                    inner = ts.text(kind).rsplit(".", 1)[-1] if kind is not None else ""
                    if inner not in declared or inner == owner:
                        continue
                    for declarator in (d for d in member.named_children if d.type == "variable_declarator"):
                        field = ts.text(declarator.child_by_field_name("name"))
                        for key in [k for k in self.symbols if k.startswith(inner + ".")]:
                            self.symbols.setdefault(f"{owner}.{field}.{key[len(inner) + 1:]}", self.symbols[key])

    def _instance_default(self, field_node: ts.Node, name: str, value: ts.Node | None) -> Expr | None:
        """A settings class's field default (``private int readTimeout = 35000;``) in a class bound
        to configuration (``@ConfigurationProperties(prefix = "x")``: the property, else the default;
        a field without a default is the property alone) or named for settings (``...Properties``,
        ``...Config``): what its getter returns unless set."""
        cls = enclosing(field_node, ("class_declaration", "record_declaration"))
        if cls is None or field_node.parent is None or field_node.parent.parent != cls:
            return None
        cls_name = ts.text(cls.child_by_field_name("name"))
        prefix = properties_prefix(cls)
        bound_field = re.search(r"@(Setter|JsonProperty)\b",
                                ts.text(next((c for c in field_node.children if c.type == "modifiers"), field_node))
                                if field_node.type == "field_declaration" else "")
        if prefix is None and not _SETTINGS_CLASS.search(cls_name) and not _inside_settings_class(cls) \
                and not self._settings_package() and not bound_field:
            # (round 20, second wave: a field the configuration sets, `@Getter @Setter private int connectRetries =
            # DEFAULT_CONNECT_RETRIES;` in Marquez's Dropwizard `FlywayFactory`, `@JsonProperty`: its default)
            return None
        default: Expr | None = None
        if value is not None:
            try:
                default = self.constant_expr(value)
            except RecursionError:
                return None
            if isinstance(default, Unknown):
                default = None
        if not prefix:
            return default
        kebab = re.sub(r"(?<=[a-z0-9])([A-Z])", lambda m: "-" + m.group(1).lower(), name)
        refs = (Ref(f"{prefix}.{kebab}"), Ref(f"{prefix}.{name}"))
        return Call("coalesce", refs + ((default,) if default is not None else ()))

    def _plain_parameter_names(self) -> set[str]:
        """The names of method parameters no annotation injects (a helper's parameters its callers pass)."""
        if getattr(self, "_plain_params_cache", None) is None:
            names = set()
            for node in ts.walk(self.tree.root_node):
                if node.type == "formal_parameter" and node.parent is not None \
                        and node.parent.parent is not None and node.parent.parent.type == "method_declaration":
                    mods = next((c for c in node.children if c.type == "modifiers"), None)
                    if mods is None or "@" not in ts.text(mods):
                        names.add(ts.text(node.child_by_field_name("name")))
            self._plain_params_cache = names
        return self._plain_params_cache

    def _value_parameters(self) -> None:
        """``RiskClient(@Value("${risk.timeout-ms:500}") int timeoutMs)``: the parameter's name
        stands for the property inside the file (constructor injection is the common Spring style)."""
        for ann in self.annotations:
            if ann.name not in ("Value", "ConfigProperty") or ann.node.parent is None or ann.node.parent.parent is None:
                continue
            param = ann.node.parent.parent
            if param.type != "formal_parameter":
                continue
            if ann.name == "ConfigProperty":
                # round 13: MicroProfile constructor injection, `Manager(@ConfigProperty(name = K) Duration failedTimeout)`
                expr = _config_property(ann.node.parent, param)
            else:
                value = annotation_args(ann.node).get("value")
                text = string_of(value)
                expr = spring_placeholder(text) if text else _concatenated_placeholder(value)
            if expr is not None:
                member = param.parent.parent if param.parent is not None else None
                if (member is None or member.type != "method_declaration"
                        or ts.text(param.child_by_field_name("name")) not in self._plain_parameter_names()) \
                        and expr != Ref(ts.text(param.child_by_field_name("name"))):
                    # (round 17: not `@Value("${jiraConnectionTimeout}") int jiraConnectionTimeout`, the property's own
                    # name: a symbol naming itself hides the properties file's value)
                    self.symbols.setdefault(ts.text(param.child_by_field_name("name")), expr)
                # else round 15: a helper of the file takes a parameter of that name from its callers
                # (`createPool(int connectTimeout)` next to `@Bean pool(@Value("${..:10000}") int connectTimeout)`): the
                # bare name is not that property inside the helper; the bean method's calls read `value_params`
                # (a constructor's injected parameter stays file-wide: constructor injection, often kept in a field)
                if member is not None:
                    self.value_params[(member.start_byte, ts.text(param.child_by_field_name("name")))] = expr

    def _delegated_argument(self, body: ts.Node, ctor: ts.Node, param: str) -> Expr | None:
        """What the class's other constructors hand, through ``this(..)``, to ``ctor``'s parameter ``param``: one
        usable value (settings, constants, literals) that they all agree on, else None. Only when the instances the
        service runs with come through that delegation: the delegating constructor is the injected one (``@Inject``,
        ``@Autowired``) or ``ctor`` is kept for tests (``@VisibleForTesting``) or private; a public primary
        constructor that other code calls with its own values (``new RetryingClient("x", 5)``) is not."""
        from extractors.java.jvm import file_symbols

        def marked(member: ts.Node, pattern: str) -> bool:
            mods = next((c for c in member.children if c.type == "modifiers"), None)
            return mods is not None and re.search(pattern, ts.text(mods)) is not None

        primary_only = marked(ctor, r"@VisibleForTesting\b|\bprivate\b")
        params = ctor.child_by_field_name("parameters")
        names = [ts.text(p.child_by_field_name("name")) for p in (params.named_children if params is not None else ())
                 if p.type == "formal_parameter"]
        if param not in names:
            return None
        index, found = names.index(param), []
        for other in body.named_children:
            if other.type != "constructor_declaration" or other == ctor:
                continue
            block = other.child_by_field_name("body")
            call = next((n for n in (block.named_children if block is not None else ())
                         if n.type == "explicit_constructor_invocation"
                         and ts.text(n.child_by_field_name("constructor")) == "this"), None)
            if call is None:
                continue
            other_params = other.child_by_field_name("parameters")
            jackson_default = (other_params is None or not other_params.named_child_count) \
                and b"@JsonProperty" in self.data
            if not primary_only and not marked(other, r"@(Inject|Autowired)\b") and not jackson_default:
                # (round 20, second wave: a Jackson-bound configuration's no-argument constructor, `this(3, 200L)` in
                # cassandra-sidecar's JmxConfigurationImpl, makes the instance a YAML file leaving the keys out gets)
                return None
            args = arguments(call)
            if len(args) != len(names):
                continue
            with file_symbols(self.symbols):
                expr = self.constant_expr(args[index])
            if isinstance(expr, Unknown) or not _usable_field_value(expr, other, self.symbols):
                return None
            found.append(_inline_constants(expr, self.symbols))
        return found[0] if found and all(e == found[0] for e in found) else None

    def _constructor_fields(self) -> None:
        """``this.timeoutMillis = es.getTimeout();`` in a constructor: an instance field set once from
        settings (a getter of a settings class, an ``@Value`` parameter, a literal) is published as
        ``Cls.timeoutMillis``; uses inside the class read it through ``own_field_name``. A field also
        assigned outside constructors, or set from a plain constructor parameter, is not."""
        from extractors.java.jvm import file_symbols

        for cls in (n for n in ts.walk(self.tree.root_node) if n.type == "class_declaration"):
            body = cls.child_by_field_name("body")
            if body is None:
                continue
            cls_name = ts.text(cls.child_by_field_name("name"))
            implemented = cls.child_by_field_name("interfaces")
            interfaces = [ts.text(n) for n in (ts.walk(implemented) if implemented is not None else ())
                          if n.type == "type_identifier" and n.parent is not None and n.parent.type != "type_arguments"]
            fields = {ts.text(d.child_by_field_name("name"))
                      for m in body.named_children if m.type == "field_declaration" and not re.search(
                          r"\bstatic\b", ts.text(next((c for c in m.children if c.type == "modifiers"), None)))
                      for d in m.named_children if d.type == "variable_declarator"}
            if not fields:
                continue
            assigned: dict[str, list[tuple[ts.Node, ts.Node]]] = {}
            # `Config(Configuration c) { init(c); }`: a method only the constructors call sets fields once too
            init_methods = _constructor_only_methods(body)
            for member in body.named_children:
                if member.type not in ("constructor_declaration", "method_declaration"):
                    continue
                for node in ts.walk(member):
                    if node.type != "assignment_expression":
                        continue
                    left = node.child_by_field_name("left")
                    text = ts.text(left).replace(" ", "")
                    name = text.removeprefix("this.")
                    if name in fields and (text.startswith("this.") or left.type == "identifier"):
                        assigned.setdefault(name, []).append((member, node))
            for name, sites in assigned.items():
                key = f"{cls_name}.{name}"
                if len(sites) != 1 or key in self.symbols:
                    continue
                member, node = sites[0]
                if (member.type != "constructor_declaration" and member.id not in init_methods) \
                        or ts.text(node.child_by_field_name("operator")) != "=":
                    continue
                right = node.child_by_field_name("right")
                injected = self.value_params.get((member.start_byte, ts.text(right))) \
                    if right is not None and right.type == "identifier" else None
                if injected is not None:
                    # `KafkaSettings(@Value("${kafka.request.timeout.ms}") int requestTimeoutMs) { this.requestTimeoutMs =
                    # requestTimeoutMs; }`: the field holds the property (the parameter's bare name is published too,
                    # for uses inside the constructor, and must not hide the field from other classes)
                    self.symbols[key] = injected
                    continue
                if name in self.symbols:
                    continue
                if right is not None and right.type == "identifier" and member.type == "constructor_declaration":
                    delegated = self._delegated_argument(body, member, ts.text(right))
                    if delegated is not None:
                        # round 11: `CatalogHandlerUtils(RealmConfig c) { this(c.getConfig(MAX_RETRIES), ..); }` and
                        # `CatalogHandlerUtils(int maxCommitRetries, ..) { this.maxCommitRetries = maxCommitRetries; }`:
                        # the field holds what the delegating constructor hands over
                        self.symbols[key] = delegated
                        self.delegated_fields.add(key)
                        for iface in interfaces:  # (round 20, second wave: also for a caller holding the interface)
                            self.symbols.setdefault(f"{iface}.{name}", delegated)
                        continue
                with file_symbols(self.symbols):
                    expr = self.constant_expr(right)
                if _usable_field_value(expr, member, self.symbols):
                    expr = _inline_constants(expr, self.symbols)  # read from other files: no bare names of this one
                    self.symbols[key] = expr
                    for iface in interfaces:
                        # `class DefaultConfig implements ServiceConfig`: a caller holding the interface
                        # (`serviceConfig.getConfigServiceTimeout()`) reads the implementation's field, also
                        # from a library module the app uses (the resolver's dependents: `$implements:`)
                        self.symbols.setdefault(f"{iface}.{name}", expr)
                        self.symbols.setdefault(f"$implements:{iface}.{name}", expr)

    def _getter_returns(self) -> None:
        """``public int getPeerNodeReadTimeoutMs() { return configInstance.getIntProperty(KEY, 5000).get(); }`` in a
        class implementing ``EurekaServerConfig``: what a no-argument getter returns, when that is a setting's
        default, a literal or a constant, is published as ``Cls.peerNodeReadTimeoutMs`` and under each interface
        the class implements (``EurekaServerConfig.peerNodeReadTimeoutMs``): a caller holding the interface
        (``config.getPeerNodeReadTimeoutMs()`` reads ``Ref("EurekaServerConfig.peerNodeReadTimeoutMs")``) gets the
        implementation's default. A getter returning a bare field or a parameter publishes nothing here."""
        from extractors.java.jvm import file_symbols

        for cls in (n for n in ts.walk(self.tree.root_node) if n.type in ("class_declaration", "enum_declaration",
                                                                            "interface_declaration")):
            body = cls.child_by_field_name("body")
            if body is None:
                continue
            owners = [ts.text(cls.child_by_field_name("name"))]
            interfaces = cls.child_by_field_name("interfaces")
            for node in (ts.walk(interfaces) if interfaces is not None else ()):
                if node.type == "type_identifier" and node.parent is not None and node.parent.type != "type_arguments":
                    owners.append(ts.text(node))
            for member in body.named_children:
                if member.type != "method_declaration":
                    continue
                name = ts.text(member.child_by_field_name("name"))
                params = member.child_by_field_name("parameters")
                block = member.child_by_field_name("body")
                modifiers = ts.text(next((c for c in member.children if c.type == "modifiers"), member))
                # round 20 (second wave): an Immutables / record-style accessor's default in an interface
                # (`@Value.Default default Duration dmlTimeout() { return Duration.parse(DEFAULT_DML_TIMEOUT); }`)
                accessor = cls.type == "interface_declaration" and re.search(r"@Value\.Default|\bdefault\b", modifiers)
                if cls.type == "interface_declaration" and not accessor:
                    continue
                if not (re.fullmatch(r"get[A-Z]\w*", name) or accessor and re.fullmatch(r"[a-z]\w*", name)) \
                        or block is None or (params is not None and params.named_child_count):
                    continue
                statements = [s for s in block.named_children if s.type not in ("line_comment", "block_comment")]
                if len(statements) != 1 or statements[0].type != "return_statement" or not statements[0].named_child_count:
                    continue
                try:
                    with file_symbols(self.symbols):
                        expr = expr_of(statements[0].named_children[0])
                except RecursionError:
                    continue
                if not _default_like(expr):
                    returned = statements[0].named_children[0]
                    if returned.type == "field_access" and ts.text(returned.child_by_field_name("object")) == "this":
                        returned = returned.child_by_field_name("field")
                    kept = self.symbols.get(f"{owners[0]}.{ts.text(returned)}") \
                        if returned is not None and returned.type == "identifier" else None
                    # round 19: `long getTimeoutMilliseconds() { return timeoutMs; }` over a field its constructor
                    # settles (`this.timeoutMs = timeoutMs.orElse(DEFAULT_TIMEOUT_MILLISECONDS)`): that field's value
                    expr = _null_fallback(statements[0].named_children[0]) \
                        or self._constructed_field(cls, statements[0].named_children[0]) \
                        or (kept if kept is not None and _default_like(kept) else None) \
                        or self._parameter_lookup(statements[0].named_children[0]) \
                        or self._settings_chain(owners[0], statements[0].named_children[0], expr)
                    if expr is None:
                        continue
                prop = name[3].lower() + name[4:] if re.fullmatch(r"get[A-Z]\w*", name) else name
                for owner in dict.fromkeys(owners):
                    self.symbols.setdefault(f"{owner}.{prop}", expr)

    def _settings_chain(self, owner: str, returned: ts.Node, expr: Expr) -> Expr | None:
        """Round 22 (metacat): ``long getElasticSearchCallTimeout() { return this.metacatProperties.getElasticsearch()
        .getTimeout(); }``, a getter that reads through a field of a settings type the file knows
        (``DefaultConfigImpl.metacatProperties.$type``) down a chain of getters: that path (``Ref("MetacatProperties.
        elasticsearch.timeout")``), which the settings classes' own defaults settle. A field of no known type, or a
        chain with arguments, is not one."""
        if not isinstance(expr, Ref) or returned.type != "method_invocation":
            return None
        node = returned
        while node is not None and node.type == "method_invocation":
            if arguments(node) or not re.fullmatch(r"get[A-Z]\w*", ts.text(node.child_by_field_name("name"))):
                return None
            node = node.child_by_field_name("object")
        if node is None:
            return None
        if node.type == "field_access" and ts.text(node.child_by_field_name("object")) == "this":
            node = node.child_by_field_name("field")
        if node is None or node.type != "identifier":
            return None
        held = self.symbols.get(f"{owner}.{ts.text(node)}.$type")
        if not isinstance(held, Str) or not expr.name.startswith(held.value + "."):
            return None
        return expr

    def _parameter_lookup(self, returned: ts.Node) -> Expr | None:
        """Round 22 (strimzi): ``long getOperationTimeoutMs() { return get(OPERATION_TIMEOUT_MS); }``, the class's own
        one-argument lookup of a parameter constant that carries its variable and default (`config_key`): that."""
        if returned.type != "method_invocation" or returned.child_by_field_name("object") is not None:
            return None
        args = arguments(returned)
        if len(args) != 1 or args[0].type not in ("identifier", "field_access"):
            return None
        held = self.symbols.get(ts.text(args[0]))
        return held if isinstance(held, Env) and held.default is not None else None

    def _default_instance_fields(self) -> None:
        """Round 22 (hypertrace config-service): a settings class that declares its own default instance, ``@Value
        class ClientConfig { Duration timeout; public static ClientConfig DEFAULT = new ClientConfig(Duration.ofSeconds(
        10)); }`` (a Lombok all-arguments constructor, or a record's components): each instance field's default is
        the argument that instance gives it, published as ``ClientConfig.timeout`` (Durations in ms) unless the file
        publishes the field otherwise. Only for a class the file creates once, with one argument per field."""
        from extractors.java.jvm import file_symbols

        for cls in (n for n in ts.walk(self.tree.root_node) if n.type in ("class_declaration", "record_declaration")):
            body = cls.child_by_field_name("body")
            if body is None:
                continue
            cls_name = ts.text(cls.child_by_field_name("name"))
            if cls.type == "record_declaration":
                params = cls.child_by_field_name("parameters")
                fields = [ts.text(p.child_by_field_name("name")) for p in (params.named_children if params else ())
                          if p.type == "formal_parameter"]
            else:
                mods = next((c for c in cls.children if c.type == "modifiers"), None)
                if mods is None or not re.search(r"@(Value|AllArgsConstructor)\b", ts.text(mods)):
                    continue
                fields = [ts.text(d.child_by_field_name("name"))
                          for m in body.named_children if m.type == "field_declaration" and not re.search(
                              r"\bstatic\b", ts.text(next((c for c in m.children if c.type == "modifiers"), None)))
                          for d in m.named_children if d.type == "variable_declarator"]
            if not fields:
                continue
            creations = [n for n in ts.walk(self.tree.root_node) if n.type == "object_creation_expression"
                         and ts.text(n.child_by_field_name("type")).split("<", 1)[0] == cls_name]
            if len(creations) != 1:
                continue
            creation = creations[0]
            holder = creation.parent
            if holder is None or holder.type != "variable_declarator" or holder.parent is None \
                    or holder.parent.type != "field_declaration" or enclosing(holder, (cls.type,)) != cls \
                    or not re.search(r"\bstatic\b", ts.text(next((c for c in holder.parent.children
                                                                  if c.type == "modifiers"), None))):
                continue
            args = arguments(creation)
            if len(args) != len(fields):
                continue
            for name, arg in zip(fields, args):
                key = f"{cls_name}.{name}"
                if key in self.symbols:
                    continue
                try:
                    with file_symbols(self.symbols):
                        value = self.constant_expr(arg)
                except (RecursionError, TypeError):
                    continue
                if not isinstance(value, Unknown):
                    self.symbols[key] = value

    def _constructed_field(self, cls: ts.Node, returned: ts.Node) -> Expr | None:
        """Round 13: ``Duration getTimeout() { return httpTimeout; }`` where a constructor keeps a parameter in that
        field (``this.httpTimeout = httpTimeout;``) and this file creates the class at one place only (a factory
        beside it: ``new AgentClient(target, rest, mapper, timeout)``): what that creation passes, read here (a
        setting of the factory). None when the file creates it at several places with different values."""
        from extractors.java.jvm import file_symbols

        if returned.type == "field_access" and ts.text(returned.child_by_field_name("object")) == "this":
            returned = returned.child_by_field_name("field")
        if returned is None or returned.type != "identifier":
            return None
        field = ts.text(returned)
        cls_name = ts.text(cls.child_by_field_name("name"))
        index = None
        for ctor in (n for n in cls.child_by_field_name("body").named_children if n.type == "constructor_declaration"):
            params = [ts.text(p.child_by_field_name("name")) for p in ctor.child_by_field_name("parameters").named_children
                      if p.type == "formal_parameter"]
            for node in ts.walk(ctor):
                if node.type == "assignment_expression" and ts.text(node.child_by_field_name("left")).replace(" ", "") \
                        in (f"this.{field}", field) and ts.text(node.child_by_field_name("right")) in params:
                    found = (len(params), params.index(ts.text(node.child_by_field_name("right"))))
                    if index is not None and index != found:
                        return None
                    index = found
        if index is None:
            return None
        exprs: set[Expr] = set()
        for node in ts.walk(self.tree.root_node):
            if node.type != "object_creation_expression" \
                    or ts.text(node.child_by_field_name("type")).split("<", 1)[0] != cls_name:
                continue
            args = arguments(node)
            if len(args) != index[0]:
                continue
            try:
                with file_symbols(self.symbols):
                    exprs.add(expr_of(args[index[1]]))
            except (RecursionError, TypeError):
                return None
        return next(iter(exprs)) if len(exprs) == 1 and not isinstance(next(iter(exprs)), Unknown) else None

    def constant_expr(self, node: ts.Node) -> Expr:
        """A constant's value; Durations are stored in ms so ``setConnectTimeout(TIMEOUT)`` uses scale 1."""
        if node.type == "object_creation_expression":
            key = config_key(node)
            if key is not None:
                return key
        if node.type == "method_invocation":
            default = _field_definition_default(node)
            if default is not None:
                return default
        duration = duration_of(node)
        if duration is not None:
            value, scale = duration
            return value if scale == 1.0 else BinOp("*", value, Num(scale))
        return expr_of(node)

    def _value_annotation(self, mods: ts.Node) -> Expr | None:
        for ann in mods.named_children:
            if ann.type == "annotation" and annotation_name(ann) == "Value":
                value = annotation_args(ann).get("value")
                text = string_of(value)
                if text:
                    return spring_placeholder(text)
                return _concatenated_placeholder(value)
        return None

    def calls_named(self, *names: str) -> list[Site]:
        return [s for s in self.calls if s.name in names]
