"""One parsed Go file and the questions every Go detector asks of it.

`GoFile` runs the `.scm` queries once, qualifies callees through the file's imports
(`bo.Retry` with `bo "github.com/cenkalti/backoff/v4"` is `backoff.Retry`; `retry.Do` on a
local variable named `retry` is nobody's), finds what a local name was bound to, and turns
Go value syntax into `contract_discovery.values` expressions (durations in ms). Detectors
stay a few lines long because the walking lives here.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Iterator

from contract_discovery.model import Finding, Pending, Target
from contract_discovery.values import (BinOp, Call, Env, Expr, Num, Ref, Str, Unknown, evaluate,
                                       normalise_ms)
from extractors import treesitter as ts
from extractors.go.values import UNIT_MS, parse_go_duration, parse_go_number, unquote

LANGUAGE = "go"
QUERIES = Path(__file__).parent / "queries"

# Import paths (version segments removed) -> the name detectors use for the package.
KNOWN_PACKAGES = {
    "net/http": "http",
    "context": "context",
    "time": "time",
    # round 19 (gubernator): mailgun/holster's clock mirrors package time (`clock.Second`, `clock.After`,
    # `clock.NewTimer`) so that tests can freeze it
    "github.com/mailgun/holster/clock": "time",
    "net": "net",
    "crypto/tls": "tls",
    "os": "os",
    "fmt": "fmt",
    "strconv": "strconv",
    "database/sql": "sql",
    "github.com/jmoiron/sqlx": "sqlx",
    "github.com/jackc/pgx/pgxpool": "pgxpool",
    "github.com/jackc/pgx": "pgx",
    "google.golang.org/grpc": "grpc",
    "github.com/cenkalti/backoff": "backoff",
    "github.com/grafana/dskit/backoff": "dskitbackoff",
    "github.com/avast/retry-go": "retry",
    "github.com/sethvargo/go-retry": "goretry",
    "github.com/hashicorp/go-retryablehttp": "retryablehttp",
    "github.com/google/uuid": "uuid",
    "github.com/gofrs/uuid": "uuid",
    "github.com/satori/go.uuid": "uuid",
    "github.com/segmentio/ksuid": "ksuid",
    "github.com/rs/xid": "xid",
    "github.com/oklog/ulid": "ulid",
    "github.com/sony/gobreaker": "gobreaker",
    "github.com/go-pkgz/repeater": "repeater",
}
# Standard-library names trusted even in a snippet that forgot its import block.
_STDLIB = {"http", "context", "time", "net", "os", "fmt", "strconv", "sql"}

FUNCTION_TYPES = ("function_declaration", "method_declaration", "func_literal")
_STRING_TYPES = ("interpreted_string_literal", "raw_string_literal")
_SPACE = re.compile(r"\s+")
# go-flags/envconfig `default:"5s"`, caarlos0/env `envDefault:"5s"`, sethvargo/go-envconfig
# `env:"RPC_TIMEOUT, default=10m"` (options after the variable name, comma-separated).
# round 18: any other tag with comma-separated options, keda's `keda:"name=minConnectTimeout, order=triggerMetadata,
# default=5"`, the third form.
_TAG_DEFAULT = re.compile(r'\b(?:default|envDefault):"([^"]*)"|\benv:"[^",]*(?:,[^",]*)*?,\s*default=([^",]*)"?'
                          r'|\b[a-z]\w*:"[^"]*?,\s*default=([^",]*)"?')
_ENV_TAG = re.compile(r'\benv:"([A-Za-z_][A-Za-z0-9_]*)')
# Libraries' exported defaults a service hands back to them (import path, name) -> value (counts, or
# durations in ms).
_LIBRARY_CONSTANTS = {
    ("github.com/aws/aws-sdk-go/aws/client", "DefaultRetryerMaxNumRetries"): 3.0,
    ("github.com/aws/aws-sdk-go-v2/aws/retry", "DefaultMaxAttempts"): 3.0,
    ("github.com/aws/aws-sdk-go-v2/aws/retry", "DefaultMaxBackoff"): 20000.0,
    # round 21 (rekor): Pub/Sub's publish settings, `pubsub.DefaultPublishSettings.Timeout` (60 s)
    ("cloud.google.com/go/pubsub", "DefaultPublishSettings.Timeout"): 60000.0,
    ("cloud.google.com/go/pubsub/v2", "DefaultPublishSettings.Timeout"): 60000.0,
}
_FLAG_VAR = re.compile(r"(Duration|Int|Int64|Int32|Uint|Uint64|Float64|Float32)Var")
# Flags by their command-line name: `fs.Duration("timeout", d, "usage")` (std flag, pflag), `...P`
# with a shorthand, `...Var(&v, ...)`; the name's and the default's positions for each form.
_FLAG_KIND = r"(?:Duration|Int|Int64|Int32|Uint|Uint64|Uint32|Float64|Float32)"
_FLAG_FORMS = ((re.compile(_FLAG_KIND), 3, 0, 1), (re.compile(_FLAG_KIND + "P"), 4, 0, 2),
               (re.compile(_FLAG_KIND + "Var"), 4, 1, 2), (re.compile(_FLAG_KIND + "VarP"), 5, 1, 3))
# Reading a flag's value by its name: urfave/cli `c.Duration("forge-timeout")`, viper
# `v.GetInt("timeout")`, cobra `cmd.Flags().GetDuration("timeout")`.
_FLAG_READ = re.compile(r"(?:Get|Must)?" + _FLAG_KIND)  # viper GetDuration, gotenberg flags.MustDuration
# round 22 (cerbos): a project's environment reader's method giving a variable's value or a default
_ENV_OR_DEFAULT_R22 = re.compile(r"(?:Get|Lookup)?(?:Env)?(?:OrDefault|WithDefault|Or)")

# round 22: library functions returning a pointer to their one argument (`ptr.To(d)`, `lo.ToPtr(d)`,
# `pointer.Of(d)`): the value is the argument's.
_POINTER_HELPERS_R22 = frozenset({"To", "ToPtr", "Ptr", "Of", "Pointer", "PtrTo"})

# Functions that build a config's defaults: `DefaultConfig()`, `NewDefaultOptions()`, `defaults()`.
_DEFAULTS_FUNCTION = re.compile(r"(?i)default")
# a constructor of a config value (`NewConfig`, `NewRedisConfig`, `NewClientOptions`) and the types it builds
_CONFIG_CONSTRUCTOR = re.compile(r"[Nn]ew\w*(?:Config|Configuration|Options|Opts|Settings|Conf)")
_CONFIG_TYPE = re.compile(r"(?:Config|Configuration|Options|Opts|Settings|Conf)$")
# round 11: a field name of two words or more (`RequestTimeout`, `MaxRetries`; not `Timeout`), distinct
# enough that the one default a service gives a field of that name stands for it (`$go-field.<name>`)
_ZERO_OFF = re.compile(r"(?i)timeout|deadline")
_DISTINCT_FIELD = re.compile(r"[A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*)+")
# round 19 (gofix2): a value holding a service's whole config (`server.config`, `s.cfg`), and a type named for one
_CONFIG_HOLDER_G2 = re.compile(r"(?i)config|cfg|conf|settings")
_CONFIG_TYPE_G2 = re.compile(r"Config$|Settings$|Options$")
# The fields of a config type a type alias stands for (see GoFile.alias_symbols): the names that
# carry timeouts and retry limits.
_ALIASED_FIELDS = ("Timeout", "ConnectTimeout", "DialTimeout", "ReadTimeout", "RequestTimeout", "IOTimeout",
                   "CallTimeout", "QueryTimeout", "ResponseTimeout", "HandshakeTimeout", "TLSHandshakeTimeout",
                   "ResponseHeaderTimeout", "PoolTimeout", "MaxRetries", "Retries", "RetryCount", "MaxAttempts",
                   "Attempts", "RetryMax", "MaxRetry")
_GO_BUILTINS = frozenset({"append", "cap", "clear", "close", "complex", "copy", "delete", "imag", "len", "make",
                          "max", "min", "new", "panic", "print", "println", "real", "recover"})
_BINDING_TYPES = ("short_var_declaration", "assignment_statement", "var_spec", "const_spec", "range_clause")
_INDEX_QUERY = "[" + " ".join(f"({t})" for t in ("field_declaration", "parameter_declaration", *_BINDING_TYPES)) + "] @node"


# Fields named for a wait or a retry bound, whatever their type says.
_DSN_ARGUMENT = re.compile(r"(?i)dsn|database_?url|db_?url|conn(?:ection)?_?str")
_URL_ARGUMENT = re.compile(r"(?i)(?:url|uri|endpoint|addr(?:ess)?|host)\b|(?:URL|Url|Endpoint|Addr|Host)\b|^\"[a-z][a-z0-9+.-]*://")
_DURATION_FIELD = re.compile(r"(?i)timeout|deadline|retr|attempt|dial|handshake|readheader|responseheader|"
                             r"^(read|write|connect)$")


# a decoding tag's key: `yaml:"read_timeout,omitempty"`, `mapstructure:"dial"`, `json:"retries"`, `toml:"t"`
_CONFIG_TAG = re.compile(r'\b(yaml|json|mapstructure|toml|koanf|config)\s*:\s*"([A-Za-z_][\w.-]*)')
# the names a value holding a service's config goes by (`cfg.Timeout` may be a key of the file's top)
_CONFIG_HOLDER = re.compile(r"(?i)cfg|conf|configs?|configuration|settings|options|opts|\w*(?:config|conf|cfg)")


def normalise_config_key(key: str) -> str:
    """As extractors/goconfig normalises a config file's keys: lower case, no `_` or `-`."""
    return key.replace("_", "").replace("-", "").lower()


def _unset_fallback(statements: list[ts.Node]) -> ts.Node | None:
    """`if c == nil || c.Field == 0 { return D }; return c.Field` -> D: what a getter answers when its
    setting is unset."""
    if len(statements) != 2 or statements[0].type != "if_statement" or statements[1].type != "return_statement" \
            or statements[0].child_by_field_name("alternative") is not None:
        return None
    returned = statements[1].named_children[0] if statements[1].named_child_count == 1 else None
    if returned is not None and returned.type == "expression_list" and returned.named_child_count == 1:
        returned = returned.named_children[0]
    if returned is None or returned.type != "selector_expression":
        return None
    field = re.escape(node_text(returned))
    condition = node_text(statements[0].child_by_field_name("condition"))
    if not re.search(rf"\b{field}\s*(==|<=)\s*(0\b|0\s*\*\s*time\.\w+)", condition):
        return None
    consequence = statements[0].child_by_field_name("consequence")
    inner = [c for c in consequence.named_children if c.type != "comment"] if consequence is not None else []
    if len(inner) == 1 and inner[0].type == "statement_list":
        inner = [c for c in inner[0].named_children if c.type != "comment"]
    if len(inner) != 1 or inner[0].type != "return_statement" or inner[0].named_child_count != 1:
        return None
    value = inner[0].named_children[0]
    if value.type == "expression_list" and value.named_child_count == 1:
        value = value.named_children[0]
    return value


# A config reader taking a key and the value to answer while it is unset: `DurationF(key, d)`,
# `GetDurationOrDefault(key, d)`, `DurationOr(key, d)`.
_CONFIG_FALLBACK_READER = re.compile(r"(?:Get)?Duration(?:F|Or|OrDefault|Default)")


_PARSES_SETTING = re.compile(r"\b(strconv\.(Atoi|ParseInt|ParseUint|ParseFloat)|time\.ParseDuration)\(")


def _parsed_setting_fallback(fn: ts.Node, body: ts.Node, name: str) -> ts.Node | None:
    """`func (c *Container) PreUpdateTimeout() int { val := c.label(key); if val == "" { return 1 };
    minutes, err := strconv.Atoi(val); if err != nil { return 1 }; return minutes }`: a getter named for a
    bound that parses a label or setting and answers one literal while it is unset or invalid: that
    literal, in the getter's own unit (round-12 request, watchtower's lifecycle timeouts; round 13)."""
    if not _numeric_bound_getter(fn, name) or not _PARSES_SETTING.search(node_text(body)):
        return None
    returned = _returned_values(body)
    if returned is None:
        return None
    literals, others = [], 0
    for value in returned:
        if _literal_number_or_duration(value):
            literals.append(value)
        else:
            others += 1
    if not literals or not others or len({node_text(v) for v in literals}) != 1:
        return None
    return literals[0]


def _numeric_bound_getter(fn: ts.Node, name: str) -> bool:
    """A function named for a bound (timeout, retries, attempts, deadline) answering a number or a duration."""
    return bool(re.search(r"(?i)timeout|retries|attempts|deadline", name)) and node_text(
        fn.child_by_field_name("result")) in ("int", "int32", "int64", "uint", "uint32", "uint64", "float64",
                                              "time.Duration")


def _returned_values(body: ts.Node) -> list[ts.Node] | None:
    """The value of each return statement of a function body (closures left out), or None when one returns
    other than exactly one value."""
    out = []
    for node in descendants(body, skip_functions=True):
        if node.type != "return_statement":
            continue
        values = [c for v in node.named_children for c in (v.named_children if v.type == "expression_list" else [v])]
        if len(values) != 1:
            return None
        out.append(inner_expression(values[0]))
    return out


def _literal_number_or_duration(value: ts.Node) -> bool:
    """`5`, `1.5`, `30 * time.Second`, `time.Minute * 2`."""
    return value.type in ("int_literal", "float_literal") or (
        value.type == "binary_expression" and re.fullmatch(r"[\d.\s*]+time\.\w+|time\.\w+[\s*]+[\d.]+",
                                                           node_text(value)) is not None)


def _returns_own_config(fn: ts.Node) -> bool:
    """`func Get() *IngressConfig { ...; return &IngressConfig{Timeout: time.Duration(options.GetInt("T"))} }`:
    a function without parameters that builds and returns a config type of its package; its constant
    fields (a viper key's SetDefault) are the defaults, like a `NewConfig()`'s (round 13, insights-ingress)."""
    params, result = fn.child_by_field_name("parameters"), fn.child_by_field_name("result")
    if params is None or params.named_child_count or result is None:
        return False
    text = node_text(result).lstrip("*")
    return text.isidentifier() and bool(_CONFIG_TYPE.search(text))


def _fallback_of_function_r21(gf: "GoFile", fn: ts.Node, body: ts.Node, name: str) -> ts.Node | None:
    """Round 21 (netbird's `idpTimeout()`): a package function (no receiver, no parameters) named for a
    bound that reads a setting and answers one constant while it is unset or does not parse: `func
    idpTimeout() time.Duration { s, ok := os.LookupEnv(K); if !ok || s == "" { return defaultTimeout };
    t, err := time.ParseDuration(s); if err != nil { return defaultTimeout }; return t }` -> defaultTimeout.
    Literals count as in `_parsed_setting_fallback`; so does a name the function does not bind itself
    (a package constant); every other answer must be a value the function bound from the setting."""
    if not _numeric_bound_getter(fn, name):
        return None
    text = node_text(body)
    if not (_PARSES_SETTING.search(text) or re.search(r"\bos\.(Getenv|LookupEnv)\(", text)):
        return None
    bound: set[str] = set()
    for node in descendants(body, skip_functions=True):
        if node.type in ("short_var_declaration", "var_spec"):
            left = node.child_by_field_name("left") if node.type == "short_var_declaration" else node
            names = left.named_children if node.type == "short_var_declaration" else node.children_by_field_name("name")
            bound.update(node_text(n) for n in names if n.type == "identifier")
    returned = _returned_values(body)
    if returned is None:
        return None
    fallbacks, others = [], 0
    for value in returned:
        if _literal_number_or_duration(value) or \
                (value.type == "identifier" and node_text(value) not in bound and node_text(value) in gf.declarations):
            fallbacks.append(value)
        elif value.type == "identifier" and node_text(value) in bound:
            others += 1
        else:
            return None
    if not fallbacks or not others or len({node_text(v) for v in fallbacks}) != 1:
        return None
    return fallbacks[0]


def _default_unless_set(statements: list[ts.Node]) -> ts.Node | None:
    """`duration := 15 * time.Second; if in.Spec.Timeout != nil { duration = in.Spec.Timeout.Duration };
    return duration` -> the default the getter answers while the setting is left out (Flux's CRD
    getters; round 12)."""
    if len(statements) != 3 or statements[0].type != "short_var_declaration" or \
            statements[1].type != "if_statement" or statements[2].type != "return_statement" or \
            statements[1].child_by_field_name("alternative") is not None or \
            statements[1].child_by_field_name("initializer") is not None:
        return None
    left, right = statements[0].child_by_field_name("left"), statements[0].child_by_field_name("right")
    if left is None or right is None or left.named_child_count != 1 or right.named_child_count != 1:
        return None
    name = node_text(left.named_children[0])
    returned = statements[2].named_children[0] if statements[2].named_child_count == 1 else None
    if returned is not None and returned.type == "expression_list" and returned.named_child_count == 1:
        returned = returned.named_children[0]
    if returned is None or node_text(returned) != name:
        return None
    consequence = statements[1].child_by_field_name("consequence")
    inner = [c for c in consequence.named_children if c.type != "comment"] if consequence is not None else []
    if len(inner) == 1 and inner[0].type == "statement_list":
        inner = [c for c in inner[0].named_children if c.type != "comment"]
    if len(inner) != 1 or inner[0].type != "assignment_statement" or \
            node_text(inner[0].child_by_field_name("operator")) != "=" or \
            node_text(inner[0].child_by_field_name("left")) != name:
        return None
    condition = node_text(statements[1].child_by_field_name("condition"))
    if not re.search(r"!=\s*nil|!=\s*0\b|>\s*0\b|!=\s*\"\"", condition):
        return None  # the override must be "when the setting is given", not some other case
    return right.named_children[0]


def _held_field_return_r20(statements: list[ts.Node]) -> ts.Node | None:
    """round 20 (gh-ost): `mctx.throttleMutex.Lock(); defer mctx.throttleMutex.Unlock(); retries :=
    mctx.defaultNumRetries; return retries`: a getter that reads its field under a lock answers the field
    (the selector), or None for any other body."""
    core = [st for st in statements if st.type != "defer_statement" and not (
        st.type == "expression_statement" and re.fullmatch(r"[\w.]+\.R?(Lock|Unlock)\(\)", node_text(st).strip()))]
    if len(core) != 2 or len(core) == len(statements) or core[0].type != "short_var_declaration" or \
            core[1].type != "return_statement" or core[1].named_child_count != 1:
        return None
    left, right = core[0].child_by_field_name("left"), core[0].child_by_field_name("right")
    if left is None or right is None or left.named_child_count != 1 or right.named_child_count != 1:
        return None
    returned = inner_expression(core[1].named_children[0])
    if returned.type == "expression_list" and returned.named_child_count == 1:
        returned = inner_expression(returned.named_children[0])
    value = inner_expression(right.named_children[0])
    if node_text(returned) != node_text(left.named_children[0]) or value.type != "selector_expression":
        return None
    return value


def _receiver_named(method: ts.Node, selector: ts.Node) -> bool:
    """`p.maxRetries` in `func (p *Postgres) ...`: a field of the method's own receiver."""
    receiver = method.child_by_field_name("receiver")
    decl = receiver.named_children[0] if receiver is not None and receiver.named_children else None
    name = decl.child_by_field_name("name") if decl is not None else None
    operand = inner_expression(selector.child_by_field_name("operand"))
    return name is not None and operand.type == "identifier" and node_text(operand) == node_text(name)


def _returned_unless_set(statements: list[ts.Node]) -> ts.Node | None:
    """`if in.Spec.Timeout != nil { return in.Spec.Timeout.Duration }; return time.Minute` -> the
    default the getter answers while the setting is left out (Flux's HelmRepository.GetTimeout; round 18)."""
    if len(statements) != 2 or statements[0].type != "if_statement" or statements[1].type != "return_statement" \
            or statements[0].child_by_field_name("alternative") is not None \
            or statements[0].child_by_field_name("initializer") is not None:
        return None
    condition = node_text(statements[0].child_by_field_name("condition"))
    found = re.fullmatch(r"\s*([\w.]+)\s*(?:!=\s*nil|!=\s*0|>\s*0|!=\s*\"\")\s*", condition)
    consequence = statements[0].child_by_field_name("consequence")
    inner = [c for c in consequence.named_children if c.type != "comment"] if consequence is not None else []
    if len(inner) == 1 and inner[0].type == "statement_list":
        inner = [c for c in inner[0].named_children if c.type != "comment"]
    if found is None or len(inner) != 1 or inner[0].type != "return_statement" or inner[0].named_child_count != 1:
        return None
    given = node_text(inner[0].named_children[0])
    if given != found.group(1) and not given.startswith(found.group(1) + "."):
        return None  # the setting itself (or its `.Duration`) when given, else the default
    fallback = statements[1].named_children[0] if statements[1].named_child_count == 1 else None
    if fallback is not None and fallback.type == "expression_list" and fallback.named_child_count == 1:
        fallback = fallback.named_children[0]
    return fallback


# round 22 (playbook-dispatcher, `module playbook-dispatcher`): the first element of a standard library import
# path. A dot-less first element that is none of these is a module of the service's own (`go.mod`'s `module
# app`, `module playbook-dispatcher`), not the standard library.
_STDLIB_ROOTS = frozenset({
    "archive", "bufio", "builtin", "bytes", "cmp", "compress", "container", "context", "crypto", "database",
    "debug", "embed", "encoding", "errors", "expvar", "flag", "fmt", "go", "hash", "html", "image", "index", "io",
    "iter", "log", "maps", "math", "mime", "net", "os", "path", "plugin", "reflect", "regexp", "runtime", "slices",
    "sort", "strconv", "strings", "structs", "sync", "syscall", "testing", "text", "time", "unicode", "unique",
    "unsafe", "weak", "internal", "vendor", "C"})


def outside_stdlib(import_path: str) -> bool:
    """A third-party or project import path: its first element has a dot (`github.com/...`) or is no
    standard library root (`playbook-dispatcher/internal/common/utils`)."""
    first = import_path.split("/", 1)[0]
    return "." in first or first not in _STDLIB_ROOTS


def _package_folder(import_path: str) -> str:
    """The folder a Go import path names: its last element, below a major-version suffix."""
    parts = [p for p in import_path.split("/") if p]
    if len(parts) > 1 and re.fullmatch(r"v\d+", parts[-1]):
        parts = parts[:-1]
    return parts[-1] if parts else import_path


def _without_comments(node: ts.Node) -> str:
    """A node's text without the comments inside it (a builder chain annotated line by line)."""
    comments = [c for c in ts.walk(node) if c.type == "comment"]
    if not comments:
        return node_text(node)
    data = node.text or b""
    out, at = [], node.start_byte
    for c in comments:
        out.append(data[at - node.start_byte:c.start_byte - node.start_byte])
        at = c.end_byte
    out.append(data[at - node.start_byte:])
    return b"".join(out).decode("utf-8", "replace")


def fills_zero(assignment) -> bool:
    """`if c.Timeout == 0 { c.Timeout = d }` (or `<= 0`): the assignment fills in a missing value."""
    node = assignment.node.parent
    while node is not None and node.type not in ("if_statement", "function_declaration", "method_declaration",
                                                   "func_literal"):
        node = node.parent
    if node is None or node.type != "if_statement":
        return False
    condition = node_text(node.child_by_field_name("condition"))
    target = re.escape(node_text(assignment.operand)) + r"\s*\.\s*" + re.escape(assignment.field)
    return re.search(target + r"\s*(<=|==)\s*0\b", condition) is not None


def _unset_branch_r19b(assignment) -> bool:
    """`if metric.Provider.Prometheus == nil || metric.Provider.Prometheus.Timeout == nil { provider.timeout =
    30 * time.Second; return provider, nil }` (round 19, second wave): the field set in the branch taken
    when the setting of that name is unset (nil or zero), not in its else: the field's default."""
    node, child = assignment.node.parent, assignment.node
    while node is not None and node.type not in ("if_statement", "function_declaration", "method_declaration",
                                                   "func_literal"):
        node, child = node.parent, node
    if node is None or node.type != "if_statement" or child != node.child_by_field_name("consequence"):
        return False
    condition = node_text(node.child_by_field_name("condition"))
    field = re.escape(assignment.field)
    return re.search(rf"(?i)\.\s*{field}\s*(==\s*nil\b|(<=|==)\s*0\b)", condition) is not None and \
        not re.search(r"&&", condition)


_OR_HELPER = re.compile(r"(?i)(?:\w*Or|coalesce|firstNonZero|valueOrDefault|withDefault|defaultIfZero)")


def _or_default(gf: "GoFile", assignment) -> ts.Node | None:
    """`c.Timeout = cmp.Or(c.Timeout, 5*time.Second)` / `util.EmptyOr(c.Timeout, 10)`: the field kept
    when set, else the default: that default's node."""
    value = inner_expression(assignment.value)
    if value.type != "call_expression":
        return None
    call = gf.call_at(value)
    if call is None or len(call.args) != 2 or not _OR_HELPER.fullmatch(call.name):
        return None
    target = _SPACE.sub("", node_text(assignment.operand)) + "." + assignment.field
    if _SPACE.sub("", node_text(call.args[0])) != target:
        return None
    return call.args[1]


def _fills_zero_parameter(assignment: ts.Node, name_node: ts.Node, bound: dict) -> bool:
    """`if timeout <= 0 { timeout = defaultTimeout }` on a parameter: a fallback for callers that hand
    no value; the caller's value is what the parameter holds (a helper publishes it as such)."""
    if assignment.type != "assignment_statement" or name_node.type != "identifier":
        return False
    name = node_text(name_node)
    if [e[0] for e in bound.get(name, [])] != [-1]:
        return False  # not a parameter, or rebound already
    node = assignment.parent
    while node is not None and node.type not in ("if_statement", "function_declaration", "method_declaration",
                                                   "func_literal"):
        node = node.parent
    if node is None or node.type != "if_statement":
        return False
    condition = node_text(node.child_by_field_name("condition"))
    return re.fullmatch(rf"\s*{re.escape(name)}\s*(<=|==)\s*0\s*", condition) is not None


class _Opaque:
    """A name bound to something unknowable here (a parameter, a range variable)."""


OPAQUE = _Opaque()


def _normalise_import(path: str) -> str:
    return re.sub(r"/v\d+(?=/|$)", "", path)


@dataclass
class GoCall:
    node: ts.Node
    callee: str  # source text of the function expression, whitespace removed
    qualified: str  # package alias replaced by its canonical name; "~callee" for a method on a local value
    package: str | None  # canonical package when the callee is pkg.Func
    args: list[ts.Node]

    @cached_property
    def name(self) -> str:
        return self.callee.rsplit(".", 1)[-1]

    @cached_property
    def receiver(self) -> ts.Node | None:
        fn = self.node.child_by_field_name("function")
        return fn.child_by_field_name("operand") if fn is not None and fn.type == "selector_expression" else None

    @property
    def line(self) -> int:
        return self.node.start_point[0] + 1


@dataclass
class Composite:
    node: ts.Node  # the composite_literal
    type_name: str  # canonical: "http.Client", "gobreaker.Settings", "Settings"
    fields: dict[str, ts.Node]  # key -> value expression
    elements: dict[str, ts.Node]  # key -> keyed_element node


@dataclass
class FieldAssignment:
    node: ts.Node
    operand: ts.Node
    field: str
    value: ts.Node


@dataclass(frozen=True)
class TargetRef:
    """Where a call goes: a literal URL (target) or an expression still to resolve (pending)."""

    target: Target | None = None
    pending: Pending | None = None
    path: str | None = None  # the literal path after a base still to resolve: base + "/v1/charges"

    @property
    def key(self) -> str:
        if self.target is not None:
            return "t:" + (self.target.url or "")
        return "p:" + repr(self.pending.expr if self.pending else None)


@dataclass
class Draft:
    """A finding plus what the linker needs to give it a target later."""

    finding: Finding
    link: tuple | None = None  # ("client", keys) | ("scope", start, end) | None
    linkable: bool = False  # may receive a target from its link


@dataclass
class ValueInfo:
    """A setting's value as far as this file can tell."""

    value: float | None
    resolved_from: str
    expression: str
    pending: tuple[Pending, ...] = ()

    @property
    def confidence(self) -> str:
        return {"literal": "high", "constant": "high", "env_default": "medium",
                "config": "medium"}.get(self.resolved_from, "medium")


def _lower_first(name: str) -> str:
    """The Go name of a field named after its type: Config -> config, RPCGroup -> rpcGroup."""
    m = re.match(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]+", name)
    return name[:m.end()].lower() + name[m.end():] if m else name


def node_text(node: ts.Node | None) -> str:
    return ts.text(node)


def inner_expression(node: ts.Node) -> ts.Node:
    """Strip literal_element / parenthesized / address-of (`&T{}`) wrappers."""
    while True:
        if node.type in ("literal_element", "parenthesized_expression") and node.named_child_count == 1:
            node = node.named_children[0]
        elif node.type == "unary_expression" and ts.text(node.child_by_field_name("operator")) == "&" \
                and node.child_by_field_name("operand") is not None:
            node = node.child_by_field_name("operand")
        else:
            return node


_QUERY_NAMES = ("imports", "calls", "composites_all", "keyed_elements", "field_assignments", "loops", "declarations")
_COMBINED: list = []


def _combined_query() -> tuple[ts.ts.Query, list[str]]:
    """All our queries as one (a tree is walked once, not once per query): the query and, per
    pattern index, the name of the `.scm` it came from."""
    if not _COMBINED:
        sources, owners = [], []
        for name in _QUERY_NAMES:
            source = (QUERIES / f"{name}.scm").read_text(encoding="utf-8")
            count = ts.compile_query(LANGUAGE, source).pattern_count
            sources.append(source)
            owners.extend([name] * count)
        sources.append(_INDEX_QUERY)
        owners.extend(["_index"] * ts.compile_query(LANGUAGE, _INDEX_QUERY).pattern_count)
        _COMBINED.append((ts.compile_query(LANGUAGE, "\n".join(sources)), owners))
    return _COMBINED[0]


_TERNARY = re.compile(r"(?i)ternary|iif|if_?else|cond(itional)?")


def _only_numbers(expr) -> bool:
    """`expr` is made of numbers only (`3 * 1000`), no name or unknown in it."""
    if isinstance(expr, Num):
        return True
    if isinstance(expr, BinOp):
        return _only_numbers(expr.left) and _only_numbers(expr.right)
    return False


_GO126_NEW = "nEw"  # how a Go 1.26 `new(expr)` call is spelled in the tree (see `_respell_go126_new`)


def _respell_go126_new(root: ts.Node, data: bytes) -> bytes | None:
    """`data` with each `new(` whose argument the grammar could not read as a type (an ERROR in its
    argument list: `new(10 * time.Second)`, `new("x")`) spelled `nEw(`, or None when there is none."""
    spots = []
    for node in descendants(root):
        if node.type != "call_expression":
            continue
        function = node.child_by_field_name("function")
        arguments = node.child_by_field_name("arguments")
        if function is None or arguments is None or node_text(function) != "new":
            continue
        if any(n.type == "ERROR" or n.is_missing for n in [arguments, *descendants(arguments)]):
            spots.append(function.start_byte)
    if not spots:
        return None
    out = bytearray(data)
    for at in spots:
        out[at:at + 3] = _GO126_NEW.encode()
    return bytes(out)


class GoFile:
    def __init__(self, path: str, data: bytes):
        self._filling: set[str] = set()  # fields whose constructor value is being read (no cycles)
        self._unsettled_fills: set[int] = set()  # ids of fill-ins (`if t <= 0 { t = d }`) over an unsettled setting
        self.path = path
        self.data = data
        self.tree = ts.parse(LANGUAGE, data)
        if self.tree.root_node.has_error and b"new(" in data:
            # Go 1.26's `new(expr)` (`s.Timeout = new(10 * time.Second)`) is no type to the grammar: read
            # such a call as one of `nEw` (same length, so lines and columns stay), which `_call_expr` reads
            # as its argument (round 16, diun)
            respelled = _respell_go126_new(self.tree.root_node, data)
            if respelled is not None:
                self.tree = ts.parse(LANGUAGE, respelled)
        self.root = self.tree.root_node
        self.imports: dict[str, str] = {}
        self.packages: dict[str, str] = {}
        self._read_imports()
        self._bindings_cache: dict[int, dict[str, list[tuple[int, object]]]] = {}

    # --- queries ---------------------------------------------------------------------------

    def _query(self, name: str):
        return ts.load_query(LANGUAGE, str(QUERIES / f"{name}.scm"))

    @cached_property
    def _combined(self) -> dict[str, list[dict[str, list[ts.Node]]]]:
        """The matches of every `.scm` of ours (and of the node index), from one pass over the tree."""
        query, owners = _combined_query()
        out: dict[str, list[dict[str, list[ts.Node]]]] = {name: [] for name in _QUERY_NAMES + ("_index",)}
        for index, match in ts.ts.QueryCursor(query).matches(self.root):
            out[owners[index]].append(match)
        return out

    def _matches(self, name: str) -> list[dict[str, list[ts.Node]]]:
        return self._combined[name]

    def _read_imports(self) -> None:
        for m in self._matches("imports"):
            path = unquote(node_text(m["path"][0])) or ""
            alias_nodes = m.get("alias")
            alias = node_text(alias_nodes[0]) if alias_nodes else path.rstrip("/").rsplit("/", 1)[-1]
            if re.fullmatch(r"v\d+", alias) and not alias_nodes:  # "github.com/cenkalti/backoff/v4" is package
                # backoff; an alias the file gives (`v1 "github.com/fatedier/frp/pkg/config/v1"`) stays
                alias = path.rstrip("/").rsplit("/", 2)[-2]
            alias = {"go.uuid": "uuid", "retry-go": "retry", "go-retryablehttp": "retryablehttp"}.get(alias, alias)
            if not alias.isidentifier():  # "go-redis" is package redis, "yaml.v3" is yaml
                alias = re.sub(r"^go[-.]|[-.]go$|\.v\d+$", "", alias)
            if alias in ("_", "."):
                continue
            self.imports[alias] = path
            canonical = KNOWN_PACKAGES.get(_normalise_import(path))
            if canonical:
                self.packages[alias] = canonical

    def package_of(self, name: str, at: ts.Node | None = None) -> str | None:
        """The canonical package a leading identifier stands for, or None for a local name."""
        if name in self.packages:
            return self.packages[name]
        if name in self.imports:
            return None
        if name in _STDLIB and not self.imports.get(name) and (at is None or self.lookup_local(name, at) is None):
            return name
        return None

    @cached_property
    def calls(self) -> list[GoCall]:
        out = []
        for m in self._matches("calls"):
            node, callee_node, args = m["call"][0], m["callee"][0], m["args"][0]
            callee = node_text(callee_node)
            if "/" in callee:
                callee = _without_comments(callee_node)  # `resty.New(). // why\n SetTimeout(d)`
            if _SPACE.search(callee):
                callee = _SPACE.sub("", callee)
            qualified, package = callee, None
            if callee_node.type == "selector_expression":
                operand = callee_node.child_by_field_name("operand")
                qualified = "~" + callee  # a method on a local value: never a library function
                if operand is not None and operand.type == "identifier":
                    package = self.package_of(node_text(operand), node)
                    if package:
                        qualified = package + "." + node_text(callee_node.child_by_field_name("field"))
                # http.DefaultClient.Do -> "http.DefaultClient.Do"
                elif operand is not None and operand.type == "selector_expression":
                    head = operand.child_by_field_name("operand")
                    if head is not None and head.type == "identifier":
                        pkg = self.package_of(node_text(head), node)
                        if pkg:
                            qualified = pkg + callee[len(node_text(head)):]
            out.append(GoCall(node, callee, qualified, package,
                              [c for c in args.named_children if c.type != "comment"]))
        out.sort(key=lambda c: c.node.start_byte)
        return out

    def type_name(self, node: ts.Node) -> str:
        if node.type == "generic_type":
            node = node.child_by_field_name("type") or node
        if node.type == "qualified_type":
            pkg = node_text(node.child_by_field_name("package"))
            name = node_text(node.child_by_field_name("name"))
            canonical = self.packages.get(pkg) or (pkg if pkg in _STDLIB and pkg not in self.imports else pkg)
            return f"{canonical}.{name}"
        return node_text(node)

    @cached_property
    def composites(self) -> list[Composite]:
        out = []
        for m in self._matches("composites_all"):
            node, type_node, body = m["literal"][0], m["type"][0], m["body"][0]
            fields, elements = {}, {}
            for element in body.named_children:
                if element.type != "keyed_element":
                    continue
                key, value = element.child_by_field_name("key"), element.child_by_field_name("value")
                if key is None or value is None:
                    continue
                fields[node_text(key).strip()] = inner_expression(value)
                elements[node_text(key).strip()] = element
            out.append(Composite(node, self.type_name(type_node), fields, elements))
        out.sort(key=lambda c: c.node.start_byte)
        return out

    def composites_of(self, *type_names: str) -> list[Composite]:
        return [c for c in self.composites if c.type_name in type_names]

    @cached_property
    def field_assignments(self) -> list[FieldAssignment]:
        out = []
        for m in self._matches("field_assignments"):
            right = m["right"][0].named_children
            if not right:
                continue
            out.append(FieldAssignment(m["assignment"][0], m["operand"][0], node_text(m["field"][0]), right[0]))
        return out

    @cached_property
    def keyed_values(self) -> dict[str, list[ts.Node]]:
        """Every `Key: value` in any struct literal, by key: the field-value heuristic's source."""
        out: dict[str, list[ts.Node]] = {}
        for m in self._matches("keyed_elements"):
            out.setdefault(node_text(m["key"][0]).strip(), []).append(inner_expression(m["value"][0]))
        for a in self.field_assignments:
            out.setdefault(a.field, []).append(a.value)
        return out

    @cached_property
    def loops(self) -> list[ts.Node]:
        return sorted((m["loop"][0] for m in self._matches("loops")),
                      key=lambda n: n.start_byte)

    @cached_property
    def declarations(self) -> dict[str, ts.Node | None]:
        """Package-level const/var name -> value expression (None for iota or typed-only)."""
        out: dict[str, ts.Node | None] = {}
        for m in self._matches("declarations"):
            spec = m["spec"][0]
            names = [c for c in spec.children_by_field_name("name")]
            value_list = spec.child_by_field_name("value")
            values = value_list.named_children if value_list is not None else []
            for i, name in enumerate(names):
                value = values[i] if len(values) == len(names) else None
                if value is not None and "iota" in node_text(value):
                    value = None
                out[node_text(name)] = value
        # `var timeout time.Duration` given its value by an `init()` (`timeout = 3 * time.Second`, then an
        # override read from the environment under an `if`): the unconditional assignment is the value
        typed_only = {node_text(n) for m in self._matches("declarations") if m["spec"][0].type == "var_spec"
                      and m["spec"][0].child_by_field_name("value") is None
                      for n in m["spec"][0].children_by_field_name("name")}
        for fn in self.root.named_children:
            if fn.type != "function_declaration" or node_text(fn.child_by_field_name("name")) != "init":
                continue
            body = fn.child_by_field_name("body")
            statements = [s for c in (body.named_children if body is not None else [])
                          for s in (c.named_children if c.type == "statement_list" else [c])]
            for statement in statements:
                if statement.type == "if_statement" and statement.child_by_field_name("initializer") is None:
                    # `blobRetryCnt, _ = strconv.Atoi(os.Getenv("COPY_BLOB_RETRY_COUNT")); if blobRetryCnt <= 0 {
                    # blobRetryCnt = 5 }`: the fill-in is the value when the environment gives none
                    m = re.fullmatch(r"\s*(\w+)\s*(<=|==)\s*0\s*", node_text(statement.child_by_field_name("condition")))
                    block = statement.child_by_field_name("consequence")
                    inner = [s for c in (block.named_children if block is not None else [])
                             for s in (c.named_children if c.type == "statement_list" else [c])]
                    if m and m.group(1) in typed_only and out.get(m.group(1)) is None and len(inner) == 1 and \
                            inner[0].type == "assignment_statement" and \
                            node_text(inner[0].child_by_field_name("left")).strip() == m.group(1) and \
                            inner[0].child_by_field_name("right").named_child_count == 1:
                        out[m.group(1)] = inner[0].child_by_field_name("right").named_children[0]
                    continue
                if statement.type != "assignment_statement" or \
                        node_text(statement.child_by_field_name("operator")) != "=":
                    continue
                left, right = statement.child_by_field_name("left"), statement.child_by_field_name("right")
                if left is None or right is None or left.named_child_count != 1 or right.named_child_count != 1:
                    continue
                name = node_text(left.named_children[0])
                if name in typed_only and out.get(name) is None:
                    out[name] = right.named_children[0]
        # `var timeout time.Duration` bound to a flag (`cmd.Flags().DurationVar(&timeout, "timeout",
        # 5*time.Second, "...")`, flag/pflag/cobra): the flag's default is the value; several commands
        # registering the one variable must agree on it (round 14, podinfo's podcli)
        if typed_only and b"Var(" in self.data:
            bound: dict[str, ts.Node | None] = {}
            for call in self.calls:
                if not _FLAG_VAR.fullmatch(call.name) or len(call.args) < 3:
                    continue
                target = call.args[0]
                if target.type != "unary_expression" or node_text(target.child_by_field_name("operator")) != "&":
                    continue
                name = node_text(target.child_by_field_name("operand")).strip()
                if name not in typed_only or out.get(name) is not None:
                    continue
                if name in bound and (bound[name] is None or node_text(bound[name]) != node_text(call.args[2])):
                    bound[name] = None
                else:
                    bound.setdefault(name, call.args[2])
            for name, default in bound.items():
                if default is not None:
                    out[name] = default
        return out

    @cached_property
    def functions(self) -> dict[str, ts.Node]:
        out = {}
        for node in self.root.named_children:
            if node.type in ("function_declaration", "method_declaration"):
                name = node.child_by_field_name("name")
                if name is not None:
                    out.setdefault(node_text(name), node)
        return out

    @cached_property
    def declarations_of_fields_and_parameters(self) -> dict[str, list[ts.Node]]:
        """field_declaration and parameter_declaration nodes, gathered in one walk."""
        out: dict[str, list[ts.Node]] = {"field_declaration": [], "parameter_declaration": []}
        for node in self._indexed:
            if node.type in out:
                out[node.type].append(node)
        return out

    @cached_property
    def _indexed(self) -> list[ts.Node]:
        """Every node of ``_INDEXED_TYPES`` in source (pre-)order: one query in C, not Python walks."""
        nodes = [m["node"][0] for m in self._matches("_index")]
        nodes.sort(key=lambda n: (n.start_byte, -n.end_byte))
        return nodes

    @cached_property
    def _binding_nodes(self) -> tuple[list[int], list[ts.Node]]:
        """(start bytes, nodes) of the statements that bind names, in source order."""
        nodes = [n for n in self._indexed if n.type in _BINDING_TYPES]
        return [n.start_byte for n in nodes], nodes

    @cached_property
    def struct_field_types(self) -> dict[str, str]:
        out = {}
        for node in self.declarations_of_fields_and_parameters["field_declaration"]:
            if node.type == "field_declaration":
                type_node = node.child_by_field_name("type")
                if type_node is None:
                    continue
                while type_node.type == "pointer_type" and type_node.named_child_count:
                    type_node = type_node.named_children[0]
                for name in node.children_by_field_name("name"):
                    out[node_text(name)] = self.type_name(type_node)
        return out

    # --- scopes and bindings ---------------------------------------------------------------

    @staticmethod
    def enclosing_functions(node: ts.Node) -> list[ts.Node]:
        return [a for a in ts.ancestors(node) if a.type in FUNCTION_TYPES]

    def _bindings(self, fn: ts.Node) -> dict[str, list[tuple[int, object]]]:
        cached = self._bindings_cache.get(fn.id)
        if cached is not None:
            return cached
        out: dict[str, list[tuple[int, object]]] = {}

        def bind(name_node: ts.Node, value: object) -> None:
            if name_node.type == "identifier" and node_text(name_node) != "_":
                out.setdefault(node_text(name_node), []).append((name_node.start_byte, value))

        for params_field in ("receiver", "parameters"):
            params = fn.child_by_field_name(params_field)
            if params is None:
                continue
            for p in params.named_children:
                for n in p.children_by_field_name("name"):
                    out.setdefault(node_text(n), []).append((-1, OPAQUE))
        body = fn.child_by_field_name("body")
        if body is not None:
            starts, nodes = self._binding_nodes
            lo, hi = bisect.bisect_left(starts, body.start_byte), bisect.bisect_left(starts, body.end_byte)
            for node in nodes[lo:hi]:
                if node.end_byte <= body.end_byte:
                    if node.type == "assignment_statement" and node_text(node.child_by_field_name("operator")) != "=":
                        continue
                    lefts = node.child_by_field_name("left")
                    spec = node.type in ("var_spec", "const_spec")  # `const d = 30 * time.Second` in a body
                    left = lefts.named_children if lefts is not None and not spec else \
                        node.children_by_field_name("name")
                    right_list = node.child_by_field_name("right" if not spec else "value")
                    rights = right_list.named_children if right_list is not None and right_list.type == "expression_list" else []
                    if node.type == "range_clause" or (node.parent is not None and node.parent.type == "for_clause"):
                        for n in left:
                            bind(n, OPAQUE)  # a loop counter: its first value is not its value
                    elif len(rights) == len(left):
                        for n, v in zip(left, rights):
                            if len(left) == 1 and _fills_zero_parameter(node, n, out):
                                continue  # `if timeout <= 0 { timeout = d }`: the parameter stays the value
                            bind(n, v)
                    elif len(rights) == 1 and rights[0].type == "call_expression":
                        bind(left[0], rights[0])  # d, err := time.ParseDuration("1s")
                        for n in left[1:]:
                            bind(n, OPAQUE)
                    else:
                        for n in left:
                            bind(n, OPAQUE)
        self._bindings_cache[fn.id] = out
        return out

    def lookup_local(self, name: str, at: ts.Node) -> object | None:
        """What `name` was last bound to before `at` in the enclosing functions, OPAQUE, or None."""
        for fn in self.enclosing_functions(at):
            # round 15 (version-checker): `search := search.New(log, d)` binds `search` after its right side:
            # there `search` is still the package, not the local being made
            entries = [e for e in self._bindings(fn).get(name, []) if e[0] < at.start_byte and not (
                hasattr(e[1], "start_byte") and e[1].start_byte <= at.start_byte < e[1].end_byte)]
            if entries:
                return entries[-1][1]
        return None

    def default_binding(self, name: str, at: ts.Node) -> object | None:
        """`lookup_local`, except that an assignment made only in a branch that `at` is not in (`maxRetry
        := 3; if v, ok := os.LookupEnv("AWS_MAX_ATTEMPTS"); ok { maxRetry = m }`) overrides a value
        the code chose before it: the value is that default."""
        for fn in self.enclosing_functions(at):
            entries = [e for e in self._bindings(fn).get(name, []) if e[0] < at.start_byte]
            if not entries:
                continue
            while len(entries) > 1 and self._in_other_branch(entries[-1][1], at):
                entries = entries[:-1]
            return entries[-1][1]
        return None

    def _substitute_fill(self, expr: Call, at: ts.Node) -> Expr:
        return Call("coalesce", tuple(self._substitute(a, at=at) for a in expr.args))

    def _filled_local(self, name: str, at: ts.Node, depth: int) -> Expr | None:
        """`timeout := r.fetchTimeout; if timeout <= 0 { timeout = 30 * time.Second }`, read after the `if`:
        the value it was given, or the fill-in when that is unset (the setting first, not the fallback)."""
        for fn in self.enclosing_functions(at):
            entries = [e for e in self._bindings(fn).get(name, []) if e[0] < at.start_byte]
            if not entries:
                continue
            entries = self._without_clamps_r22(name, entries)
            if len(entries) < 2 or isinstance(entries[-1][1], _Opaque) or isinstance(entries[-2][1], _Opaque) or \
                    not hasattr(entries[-1][1], "type") or not hasattr(entries[-2][1], "type"):
                return None
            for a in ts.ancestors(entries[-1][1]):  # type: ignore[arg-type]
                if a.type in FUNCTION_TYPES:
                    return None
                if a.type == "block" and a.parent is not None and a.parent.type == "if_statement":
                    if a.start_byte <= at.start_byte < a.end_byte:
                        return None
                    condition = node_text(a.parent.child_by_field_name("condition"))
                    if not re.fullmatch(rf"\s*{re.escape(name)}\s*(<=|==)\s*0\s*", condition):
                        return None
                    first = self.to_expr(entries[-2][1], depth + 1)  # type: ignore[arg-type]
                    filled = Call("coalesce", (first, self.to_expr(entries[-1][1], depth + 1)))  # type: ignore[arg-type]
                    if self.settle(first)[0] is None:
                        self._unsettled_fills.add(id(filled))  # the setting may be known service-wide
                    return filled
            return None
        return None

    @staticmethod
    def _without_clamps_r22(name: str, entries: list) -> list:
        """round 22 (playbook-dispatcher's Kessel client): `tokenTimeout := cfg.TokenTimeout; if tokenTimeout <= 0
        { tokenTimeout = DefaultTokenTimeout } else if tokenTimeout < MinTokenTimeout { tokenTimeout =
        MinTokenTimeout } else if tokenTimeout > timeout { tokenTimeout = timeout }`: the `else if` branches clamp
        a value that was given; the value unset gets the fill-in of the chain's first branch. The bindings up to
        that fill-in."""
        if len(entries) < 3 or not hasattr(entries[-1][1], "type"):
            return entries
        branch = next((a for a in ts.ancestors(entries[-1][1]) if a.type == "if_statement"), None)  # type: ignore[arg-type]
        root = branch
        while root is not None and root.parent is not None and root.parent.type == "if_statement" and \
                root.parent.child_by_field_name("alternative") is not None and \
                root.parent.child_by_field_name("alternative").id == root.id:
            root = root.parent
        if root is None or root.id == branch.id:  # type: ignore[union-attr]
            return entries
        condition = node_text(root.child_by_field_name("condition"))
        consequence = root.child_by_field_name("consequence")
        if consequence is None or not re.fullmatch(rf"\s*{re.escape(name)}\s*(<=|==)\s*0\s*", condition):
            return entries
        for i, (_, value) in enumerate(entries):
            if hasattr(value, "type") and consequence.start_byte <= value.start_byte < consequence.end_byte:
                later = entries[i + 1:]
                if later and all(hasattr(v, "type") and root.start_byte <= v.start_byte < root.end_byte for _, v in later):
                    return entries[:i + 1]
                return entries
        return entries

    @staticmethod
    def _in_other_branch(value: object, at: ts.Node) -> bool:
        if isinstance(value, _Opaque) or not hasattr(value, "type"):
            return False
        inner_seen = False
        for a in ts.ancestors(value):  # type: ignore[arg-type]
            if a.type in FUNCTION_TYPES:
                return False
            if a.type == "block" and a.parent is not None and a.parent.type == "if_statement":
                if a.start_byte <= at.start_byte < a.end_byte:
                    return False
                condition = node_text(a.parent.child_by_field_name("condition"))
                alternative = a.parent.child_by_field_name("alternative")
                # round 22 (atlantis, playbook-dispatcher): `if g.StatusRetryEnabled { maxAttempts = 5 }`, `if
                # cfg.TokenMaxRetriesSet { ... tokenMaxRetries = cfg.TokenMaxRetries }`: an override made only when
                # a switch of the config is on (a bare field), at any depth of the branches under it
                flagged = re.fullmatch(r"\s*\w+(\.\w+)+\s*", condition) is not None and \
                    (alternative is None or alternative.id != a.id)
                if flagged:
                    return True
                if inner_seen:
                    continue
                inner_seen = True
                # only an override read from the environment (`if v, ok := os.LookupEnv(k); ok {`) or from a
                # setting when it is given (`if c.Timeout != "" {`, `if cfg.Wait != nil {`, round 10)
                test = a.parent.child_by_field_name("initializer") or a.parent.child_by_field_name("condition")
                condition = node_text(a.parent.child_by_field_name("condition"))
                alternative = a.parent.child_by_field_name("alternative")
                if alternative is not None and alternative.id == a.id:
                    # round 19 (argo-rollouts webmetric): `if m.TimeoutSeconds <= 0 { timeout = 10 * time.Second }
                    # else { timeout = time.Duration(m.TimeoutSeconds) * time.Second }`: the else is the setting
                    # when it is given, the default is the branch taken when it is unset
                    if re.fullmatch(r"\s*\w+(\.\w+)+\s*(<=\s*0|==\s*(0|nil|\"\"))\s*", condition) is not None:
                        return True
                    continue
                if re.search(r"\b(LookupEnv|Getenv)\(", node_text(test)) or \
                        re.fullmatch(r"\s*[\w.]+\s*!=\s*(\"\"|nil)\s*", condition) is not None or \
                        re.fullmatch(r"\s*\w+(\.\w+)+\s*(>|!=)\s*0\s*", condition) is not None:  # `if cfg.MaxRetries > 0 {`
                    return True
        return False

    def scoped(self, name: str, at: ts.Node) -> str:
        """A handle name made unique per function for locals (`client@<fn>`); plain for
        package-level variables and struct fields."""
        for fn in self.enclosing_functions(at):
            if any(e[0] <= at.start_byte for e in self._bindings(fn).get(name, [])):
                return f"{name}@{fn.id}"
        return name

    def resolve_name(self, node: ts.Node, depth: int = 0) -> ts.Node:
        """Follow an identifier through local bindings to the expression it holds."""
        while node.type == "identifier" and depth < 8:
            bound = self.lookup_local(node_text(node), node)
            if isinstance(bound, _Opaque) or bound is None:
                return node
            node = inner_expression(bound)  # type: ignore[arg-type]
            depth += 1
        return inner_expression(node)

    @cached_property
    def _call_starts(self) -> list[int]:
        return [c.node.start_byte for c in self.calls]

    def calls_within(self, start: int, end: int) -> list[GoCall]:
        """The calls inside [start, end], in source order (a bisect, not a scan)."""
        calls = self.calls
        lo, hi = bisect.bisect_left(self._call_starts, start), bisect.bisect_right(self._call_starts, end)
        return [c for c in calls[lo:hi] if c.node.end_byte <= end]

    @cached_property
    def _calls_by_id(self) -> dict[int, GoCall]:
        return {c.node.id: c for c in self.calls}

    def call_at(self, node: ts.Node) -> GoCall | None:
        node = inner_expression(node)
        if node.type != "call_expression":
            return None
        return self._calls_by_id.get(node.id)

    # --- values ----------------------------------------------------------------------------

    def is_env_helper(self, call: GoCall) -> bool:
        """`getEnv("X", "5s")`, `envOr("X", 5)`, `config.GetEnvDuration("X", 2*time.Second)`."""
        if len(call.args) >= 2 and call.args[0].type in _STRING_TYPES and call.receiver is not None and \
                call.receiver.type == "identifier" and not call.name.startswith(("Set", "Must")):
            # `env.Int("USER_CONTENT_REQUEST_TIMEOUT", 30)`: a project's own env package (its import path
            # ends in .../env), whose functions take the variable's name and its default (round 12)
            path = self.imports.get(node_text(call.receiver), "")
            if path.rsplit("/", 1)[-1].lower() in ("env", "envs", "envutil", "envutils") and "." in path.split("/", 1)[0] \
                    and self.lookup_local(node_text(call.receiver), call.node) is None:
                return True
        return (call.package is None and "env" in call.name.lower() and len(call.args) >= 2
                and call.args[0].type in _STRING_TYPES)

    def to_expr(self, node: ts.Node | None, depth: int = 0, duration: bool = False) -> Expr:
        """Go expression -> value expression; `time.<Unit>` in ms. Never raises."""
        if node is None or depth > 12:
            return Unknown("")
        node = inner_expression(node)
        t = node.type
        d = depth + 1
        if t in ("int_literal", "float_literal"):
            number = parse_go_number(node_text(node))
            return Num(number) if number is not None else Unknown(node_text(node))
        if t in _STRING_TYPES:
            return Str(unquote(node_text(node)) or "")
        if t == "unary_expression":
            op = node_text(node.child_by_field_name("operator"))
            inner = self.to_expr(node.child_by_field_name("operand"), d)
            if op == "*" and isinstance(inner, Num | BinOp | Ref | Str):
                return inner  # `*dialTimeout` of `dialTimeout = flag.Duration("dial-timeout", 3*time.Second, "")`
            return BinOp("-", Num(0), inner) if op == "-" else inner if op == "+" else Unknown(node_text(node))
        if t == "binary_expression":
            op = node_text(node.child_by_field_name("operator"))
            left = self.to_expr(node.child_by_field_name("left"), d)
            right = self.to_expr(node.child_by_field_name("right"), d)
            if op == "/" and node_text(node.child_by_field_name("right")).strip() in ("1000000", "1e6", "1_000_000") \
                    and self._is_duration_r20(node.child_by_field_name("left")):
                # round 20 (supabase auth): `int(defaultTimeout / 1000000)`: a duration's nanoseconds made a count
                # of milliseconds, the duration itself in this ms scale
                return left
            if op in ("+", "-", "*", "/", "%"):
                return BinOp(op, left, right)
            if op == "<<":
                return BinOp("*", left, BinOp("**", Num(2), right))
            return Unknown(node_text(node))
        if t == "selector_expression":
            operand = node.child_by_field_name("operand")
            field_name = node_text(node.child_by_field_name("field"))
            if operand is not None and operand.type == "identifier":
                pkg = self.package_of(node_text(operand), node)
                if pkg == "time" and field_name in UNIT_MS:
                    return Num(UNIT_MS[field_name])
                known = _LIBRARY_CONSTANTS.get((self.imports.get(node_text(operand), ""), field_name))
                if known is not None and self.lookup_local(node_text(operand), node) is None:
                    return Num(known)  # `client.DefaultRetryerMaxNumRetries` of aws-sdk-go (round 14)
                if pkg:
                    return Unknown(node_text(node))
            if operand is not None and operand.type == "identifier" and _DURATION_FIELD.search(field_name):
                made = self._constructor_default_r21(node_text(operand), field_name, node)
                if made is not None:
                    return made
            elif operand is not None and operand.type == "selector_expression":
                root = operand.child_by_field_name("operand")
                if root is not None and root.type == "identifier" and self.lookup_local(node_text(root), node) is None:
                    dotted = node_text(operand.child_by_field_name("field")) + "." + field_name
                    known = _LIBRARY_CONSTANTS.get((self.imports.get(node_text(root), ""), dotted))
                    if known is not None:
                        return Num(known)  # `pubsub.DefaultPublishSettings.Timeout` (round 21)
            return Ref(re.sub(r"\s+", "", node_text(node)))
        if t == "identifier":
            name = node_text(node)
            filled = self._filled_local(name, node, d)
            if filled is not None:
                return filled
            bound = self.default_binding(name, node)
            if isinstance(bound, _Opaque):
                return Unknown(name)
            if bound is not None:
                return self.to_expr(bound, d)  # type: ignore[arg-type]
            return Ref(name)
        if t in ("call_expression", "type_conversion_expression"):
            return self._call_expr(node, d)
        return Unknown(node_text(node))

    def _package_constant_r22(self, expr: Expr, at: ts.Node) -> bool:
        """round 22 (AdGuard Home): `if s.conf.UpstreamTimeout == 0 { s.conf.UpstreamTimeout = DefaultTimeout }`
        with `const DefaultTimeout = 10 * time.Second` in another file of the package: a name neither local nor
        a parameter nor declared here, written like a constant (`DefaultTimeout`, `defaultTimeout`,
        `DEFAULT_TIMEOUT`), for the package's resolver to value."""
        if not isinstance(expr, Ref) or not expr.name.isidentifier() or expr.name in self.declarations:
            return False
        if self.lookup_local(expr.name, at) is not None or self.parameter_type(expr.name, at):
            return False
        return bool(re.search(r"(?i)default|timeout|retr|attempt|max|limit", expr.name)) and \
            expr.name not in self.imports

    @cached_property
    def _bool_switch_functions_r22(self) -> dict[str, tuple[ts.Node, ts.Node]]:
        """This file's functions of one bool parameter answering one of two values by it: `func f(proxy bool)
        time.Duration { if proxy { return A }; return B }` -> {f: (A, B)} (`if !proxy` swaps them)."""
        out: dict[str, tuple[ts.Node, ts.Node]] = {}
        if b" bool)" not in self.data:
            return out
        for fn in self.root.named_children:
            if fn.type != "function_declaration":
                continue
            params = fn.child_by_field_name("parameters")
            decls = [c for c in params.named_children if c.type == "parameter_declaration"] if params is not None else []
            names = [node_text(n) for d in decls for n in d.children_by_field_name("name")]
            if len(decls) != 1 or len(names) != 1 or node_text(decls[0].child_by_field_name("type")).strip() != "bool":
                continue
            body = fn.child_by_field_name("body")
            statements = [c for c in body.named_children if c.type != "comment"] if body is not None else []
            if len(statements) == 1 and statements[0].type == "statement_list":
                statements = [c for c in statements[0].named_children if c.type != "comment"]
            if len(statements) != 2 or statements[0].type != "if_statement" or statements[1].type != "return_statement":
                continue
            branch = statements[0]
            condition = node_text(branch.child_by_field_name("condition")).strip()
            consequence = branch.child_by_field_name("consequence")
            inner = [c for c in consequence.named_children if c.type != "comment"] if consequence is not None else []
            if len(inner) == 1 and inner[0].type == "statement_list":
                inner = [c for c in inner[0].named_children if c.type != "comment"]
            if branch.child_by_field_name("alternative") is not None or branch.child_by_field_name("initializer") \
                    is not None or len(inner) != 1 or inner[0].type != "return_statement":
                continue
            then_values = [c for c in inner[0].named_children if c.type != "comment"]
            else_values = [c for c in statements[1].named_children if c.type != "comment"]
            if len(then_values) != 1 or len(else_values) != 1 or \
                    then_values[0].type != "expression_list" and then_values[0].named_child_count > 1:
                continue
            then_value = then_values[0].named_children[0] if then_values[0].type == "expression_list" else then_values[0]
            else_value = else_values[0].named_children[0] if else_values[0].type == "expression_list" else else_values[0]
            if condition == names[0]:
                out[node_text(fn.child_by_field_name("name"))] = (then_value, else_value)
            elif re.fullmatch(rf"!\s*{re.escape(names[0])}", condition):
                out[node_text(fn.child_by_field_name("name"))] = (else_value, then_value)
        return out

    @cached_property
    def _address_of_param_functions_r22(self) -> frozenset[str]:
        """This file's functions of one parameter that return its address: `func pd(d time.Duration)
        *time.Duration { return &d }`, `func ptr[T any](v T) *T { return &v }`."""
        out = set()
        if b"return &" not in self.data:
            return frozenset()
        for fn in self.root.named_children:
            if fn.type != "function_declaration":
                continue
            params = fn.child_by_field_name("parameters")
            decls = [c for c in params.named_children if c.type == "parameter_declaration"] if params is not None else []
            names = [node_text(n) for d in decls for n in d.children_by_field_name("name")]
            body = fn.child_by_field_name("body")
            statements = [c for c in body.named_children if c.type != "comment"] if body is not None else []
            if len(statements) == 1 and statements[0].type == "statement_list":
                statements = [c for c in statements[0].named_children if c.type != "comment"]
            if len(names) != 1 or len(statements) != 1 or statements[0].type != "return_statement":
                continue
            returned = re.sub(r"\s+", "", node_text(statements[0]))
            if returned == "return&" + names[0]:
                out.add(node_text(fn.child_by_field_name("name")))
        return frozenset(out)

    def _is_duration_r20(self, node: ts.Node | None) -> bool:
        """A `time.` duration written there or in the package-level declaration of the name it is."""
        if node is None:
            return False
        node = inner_expression(node)
        if "time." in node_text(node):
            return True
        if node.type == "identifier" and self.lookup_local(node_text(node), node) is None:
            declared = self.declarations.get(node_text(node))
            return declared is not None and "time." in node_text(declared)
        return False

    def _call_expr(self, node: ts.Node, depth: int) -> Expr:
        if node.type == "type_conversion_expression":
            return self.to_expr(node.child_by_field_name("operand"), depth)
        call = self.call_at(node)
        if call is None:
            return Unknown(node_text(node))
        q = call.qualified
        if q in ("time.Duration", "float64", "float32", "int", "int64", "int32", "uint", "uint64") and call.args:
            return self.to_expr(call.args[0], depth)
        if q == _GO126_NEW and len(call.args) == 1:
            return self.to_expr(call.args[0], depth)  # Go 1.26 `new(10 * time.Second)`: a pointer to that value
        if len(call.args) == 1 and call.receiver is None and call.name in self._bool_switch_functions_r22:
            # round 22 (kuberay): `Timeout: rayHTTPClientTimeout(useKubernetesProxy)` with `func
            # rayHTTPClientTimeout(useKubernetesProxy bool) time.Duration { if useKubernetesProxy { return
            # ProxyTimeout }; return DirectTimeout }`: the value the switch gives; a switch not known here is
            # off (a bool's zero value), its default branch
            on, off = self._bool_switch_functions_r22[call.name]
            switch = node_text(inner_expression(call.args[0])).strip()
            chosen = on if switch == "true" else off
            return self.to_expr(chosen, depth)
        if len(call.args) == 1 and (
                (call.receiver is not None and call.receiver.type == "identifier" and node_text(call.receiver)
                 in self.imports and call.name in _POINTER_HELPERS_R22)
                or (call.receiver is None and call.name in self._address_of_param_functions_r22)):
            # round 22 (cerbos): `conf.RequestTimeout = pd(defaultRequestTimeout)` with `func pd(d time.Duration)
            # *time.Duration { return &d }`, k8s `ptr.To(30 * time.Second)`, `lo.ToPtr(d)`: a pointer to that value
            return self.to_expr(call.args[0], depth)
        if len(call.args) == 1 and call.receiver is not None and call.receiver.type == "identifier" \
                and node_text(call.receiver) in self.imports and \
                (call.name in ("Duration", "Int", "Int32", "Int64", "Float64", "Uint32", "Uint64")
                 or (call.name == "New" and self.imports.get(node_text(call.receiver), "").endswith("/durationpb"))):
            return self.to_expr(call.args[0], depth)  # model.Duration(d), aws.Int64(3), durationpb.New(d)
        if call.receiver is not None and call.args and inner_expression(call.args[-1]).type in _STRING_TYPES:
            for pattern, arity, _, default_at in _FLAG_FORMS[:2]:
                if len(call.args) == arity and pattern.fullmatch(call.name):
                    return self.to_expr(call.args[default_at], depth)  # `flag.Duration("t", 5*time.Second, "usage")`
        if not call.args and call.receiver is not None and re.fullmatch(_FLAG_KIND, call.name):
            made = self.call_at(call.receiver)
            if made is not None and made.name == "Default" and len(made.args) == 1:
                raw = unquote(node_text(inner_expression(made.args[0]))) or ""
                value = parse_go_duration(raw) if call.name == "Duration" else parse_go_number(raw)
                if value is not None:
                    return Num(float(value))  # kingpin `.Flag("timeout", "").Default("5s").Duration()`
        if not call.args and call.receiver is not None and call.receiver.type == "selector_expression" and \
                re.fullmatch(r"Get(?:Int|Int32|Int64|Uint|Float64)", call.name):
            alias = call.receiver.child_by_field_name("operand")
            key = node_text(call.receiver.child_by_field_name("field"))
            if alias is not None and alias.type == "identifier" and node_text(alias) in self.imports and key.isidentifier():
                # round 20 (vikunja): `config.OutgoingRequestsTimeoutSeconds.GetInt()` on a project `Key` type
                # whose default is set by `OutgoingRequestsTimeoutSeconds.setDefault(30)` in that package
                return Ref(f"$field:{_package_folder(self.imports[node_text(alias)])}.{key}/$keydefault")
        if len(call.args) == 1 and call.receiver is not None and _FLAG_READ.fullmatch(call.name) and \
                inner_expression(call.args[0]).type not in _STRING_TYPES:
            # `viper.SetDefault(configRoot+".timeout", 5)` then `viper.GetDuration(configRoot+".timeout")` in
            # the same function: a key built at run time, its default given just before (round 10)
            key = re.sub(r"\s+", "", node_text(call.args[0]))
            receiver = node_text(call.receiver)
            fns = self.enclosing_functions(node)
            for other in (self.calls_within(fns[0].start_byte, node.start_byte) if fns else []):
                if other.name == "SetDefault" and len(other.args) == 2 and other.receiver is not None and \
                        node_text(other.receiver) == receiver and re.sub(r"\s+", "", node_text(other.args[0])) == key:
                    return self.to_expr(other.args[1], depth)
        if len(call.args) == 1 and call.receiver is not None and _FLAG_READ.fullmatch(call.name):
            flag = self.string_value(call.args[0])
            if flag is not None:
                return Ref("$flagname:" + flag[0].lower())  # the flag's default, wherever the package registers it
            held = inner_expression(call.args[0])
            operand = held.child_by_field_name("operand") if held.type == "selector_expression" else None
            if operand is not None and operand.type == "identifier" and \
                    node_text(held.child_by_field_name("field")) == "Name" and \
                    self.lookup_local(node_text(operand), held) is None:
                # round 20 (mev-boost): `cmd.Int(timeoutGetHeaderFlag.Name)` with `timeoutGetHeaderFlag =
                # &cli.IntFlag{Name: ..., Value: 950}` in another file of the package: that flag's default
                return Ref("$flagvar:" + node_text(operand))
        if q == "time.ParseDuration" and call.args:
            arg = inner_expression(call.args[0])
            if arg.type in _STRING_TYPES:
                ms = parse_go_duration(unquote(node_text(arg)) or "")
                return Num(ms) if ms is not None else Unknown(node_text(node))
            inner = self.to_expr(arg, depth)
            if isinstance(inner, Env):  # time.ParseDuration(getEnv("X", "250ms"))
                default = inner.default
                if isinstance(default, Str):
                    ms = parse_go_duration(default.value)
                    default = Num(ms) if ms is not None else None
                return Env(inner.var, default)
            return Unknown(node_text(node))
        if q in ("os.Getenv",) and call.args and call.args[0].type in _STRING_TYPES:
            return Env(unquote(node_text(call.args[0])) or "")
        if not call.args and call.name in ("ToDuration", "Std", "AsDuration") and call.receiver is not None and \
                inner_expression(call.receiver).type == "selector_expression":
            # `p.config.Timeout.ToDuration()`: a config package's own Duration type converted, the field's value
            return self.to_expr(call.receiver, depth)
        if (not call.args or (len(call.args) == 1 and node_text(call.args[0]) == "ctx")) and call.receiver is not None \
                and call.name[:1].isupper() and re.fullmatch(r"[A-Za-z_][\w.]*", call.callee or ""):
            # `config.Opts.HTTPClientTimeout()`: a getter; its package may publish `$getter.<Name>` (round 18: also
            # a settings provider's `settings.ChunkRetryLimit(ctx)`)
            root = call.callee.split(".", 1)[0]
            if root in self.imports and self.lookup_local(root, node) is None:
                return Ref(f"{root}.$getter.{call.name}")
            return Ref(f"$getter.{call.name}")
        if not call.args and call.receiver is None and call.callee == call.name and call.name and \
                re.search(r"(?i)timeout|retries|attempts|deadline", call.name) and \
                self.lookup_local(call.name, node) is None:
            # round 21 (netbird): `Timeout: idpTimeout()`, a package function answering a setting or its
            # fallback: the package may publish `$getter.<name>` (`_fallback_of_function_r21`)
            return Ref(f"$getter.{call.name}")
        if len(call.args) == 3 and _TERNARY.fullmatch(call.name or ""):
            # `ternary(req.Timeout > 0, time.Duration(req.Timeout), 3*time.Second)`, `lo.Ternary(...)`: a
            # setting given or the literal fallback; the fallback is the value the code chooses (round 13)
            branches = [self.to_expr(a, depth) for a in call.args[1:]]
            literal = [b for b in branches if _only_numbers(b)]
            if len(literal) == 1:
                return literal[0]
            return Unknown(node_text(node))
        if q in ("strconv.Atoi", "strconv.ParseInt", "strconv.ParseUint", "strconv.ParseFloat") and call.args:
            # round 22 (cerbos): `timeout, err := strconv.Atoi(env.GetOrDefault(MetricsExportTimeoutEV, "30000"))`:
            # the number the text holds (an environment setting's default read as a number)
            inner = self.to_expr(call.args[0], depth)
            if isinstance(inner, Str):
                number = parse_go_number(inner.value.strip())
                return Num(number) if number is not None else Unknown(node_text(node))
            if isinstance(inner, Env):
                default = inner.default
                if isinstance(default, Str):
                    number = parse_go_number(default.value.strip())
                    default = Num(number) if number is not None else None
                return Env(inner.var, default)
            return Unknown(node_text(node))
        if len(call.args) == 2 and call.receiver is not None and _ENV_OR_DEFAULT_R22.fullmatch(call.name or "") and \
                inner_expression(call.args[1]).type in _STRING_TYPES and \
                re.search(r"(?i)env", node_text(call.receiver) + " " + node_text(call.args[0])):
            # round 22 (cerbos): `env.GetOrDefault(MetricsExportTimeoutEV, "30000")` on the project's own
            # environment reader, the variable named by a value of its own type: the default it gives
            raw = unquote(node_text(inner_expression(call.args[1]))) or ""
            ms = parse_go_duration(raw) if re.search(r"[a-zµ]$", raw.strip()) else None
            name = unquote(node_text(call.args[0])) if call.args[0].type in _STRING_TYPES else node_text(call.args[0])
            return Env(name or "", Num(ms) if ms is not None else Str(raw))
        if self.is_env_helper(call):
            var = unquote(node_text(call.args[0])) or ""
            default = inner_expression(call.args[1])
            if default.type in _STRING_TYPES:
                raw = unquote(node_text(default)) or ""
                ms = parse_go_duration(raw) if re.search(r"[a-zµ]$", raw.strip()) else None
                return Env(var, Num(ms) if ms is not None else Str(raw))
            return Env(var, self.to_expr(default, depth))
        return Unknown(node_text(node))

    @cached_property
    def flag_name_defaults(self) -> dict[str, ts.Node]:
        """Flags this file registers, by command-line name, with their default: urfave/cli
        `&cli.DurationFlag{Name: "forge-timeout", Value: 5 * time.Second}`, std flag/pflag
        `fs.Duration("timeout", 5*time.Second, "usage")`, `flags.Int(timeoutName, 120, "usage")`,
        `fs.DurationP(name, "t", d, "usage")`, `fs.DurationVar(&d, name, d, "usage")` (the usage
        string last tells a registration from other calls). A name given two defaults is dropped."""
        out: dict[str, ts.Node] = {}
        ambiguous: set[str] = set()

        def add(name_node: ts.Node | None, default: ts.Node | None) -> None:
            found = self.string_value(name_node) if name_node is not None and default is not None else None
            if found is None or not found[0]:
                return
            name = found[0].lower()  # viper keys are case-insensitive; flag names are lower case by custom
            if name in out and node_text(out[name]) != node_text(default):
                ambiguous.add(name)
            out[name] = default  # type: ignore[assignment]

        if b"Flag" in self.data:
            for comp in self.composites:
                package, _, type_name = comp.type_name.rpartition(".")
                if package and "urfave/cli" in self.imports.get(package, "") and \
                        re.fullmatch(_FLAG_KIND + "Flag", type_name):
                    add(comp.fields.get("Name"), comp.fields.get("Value"))
        for call in self.calls:
            if call.name == "SetDefault" and len(call.args) == 2 and call.receiver is not None:
                looped = self._ranged_map_defaults(call)
                if looped is not None:
                    for key, value in looped:
                        add(key, value)
                    continue
                add(call.args[0], call.args[1])  # viper.SetDefault("http.timeout", 5*time.Second)
                continue
            if call.receiver is None or not call.args or inner_expression(call.args[-1]).type not in _STRING_TYPES:
                continue
            if call.name in ("Var", "VarP") and len(call.args) == (3 if call.name == "Var" else 4):
                # round 22 (rekor): `rootCmd.PersistentFlags().Var(NewFlagValue(timeoutFlag, "30s"), "timeout", "HTTP
                # timeout")`: a custom pflag.Value made with its default, the last text its constructor is given
                # (`fmt.Sprintf("%d", client.DefaultRetryCount)`: the value formatted)
                made = self.call_at(inner_expression(call.args[0]))
                default = self._value_constructor_default_r22(made) if made is not None else None
                if default is not None:
                    add(call.args[1], default)
                continue
            for pattern, arity, name_at, default_at in _FLAG_FORMS:
                if len(call.args) == arity and pattern.fullmatch(call.name):
                    add(call.args[name_at], call.args[default_at])
                    break
        for name in ambiguous:
            out.pop(name, None)
        return out

    def _value_constructor_default_r22(self, made) -> ts.Node | None:
        """The default handed to a custom flag value's constructor: its last argument written as text
        (`NewFlagValue(timeoutFlag, "30s")` -> "30s") or formatted from a value (`fmt.Sprintf("%d", n)` -> n)."""
        for arg in reversed(made.args):
            arg = inner_expression(arg)
            if arg.type in _STRING_TYPES:
                return arg if (unquote(node_text(arg)) or "").strip() else None
            formatted = self.call_at(arg)
            if formatted is not None and formatted.qualified == "fmt.Sprintf" and len(formatted.args) == 2 and \
                    re.fullmatch(r'"%[dvs]"', node_text(formatted.args[0]).strip()):
                return formatted.args[1]
            if formatted is not None and formatted.qualified in ("strconv.Itoa", "strconv.FormatInt", "strconv.FormatUint") \
                    and formatted.args:
                return formatted.args[0]
            return None
        return None

    def _flag_vars_r20(self) -> dict[str, str]:
        """round 20 (mev-boost): `var timeoutGetHeaderFlag = &cli.IntFlag{Name: "request-timeout-getheader", ...}`:
        the package variable holding a urfave/cli flag, with the flag's command-line name."""
        out: dict[str, str] = {}
        if b"Flag" not in self.data:
            return out
        for comp in self.composites:
            package, _, type_name = comp.type_name.rpartition(".")
            if not package or "urfave/cli" not in self.imports.get(package, "") or \
                    not re.fullmatch(_FLAG_KIND + "Flag", type_name) or self.enclosing_functions(comp.node):
                continue
            name = self.string_value(comp.fields.get("Name")) if comp.fields.get("Name") is not None else None
            spec = next((a for a in ts.ancestors(comp.node) if a.type in ("var_spec", "assignment_statement",
                                                                           "short_var_declaration")), None)
            if name is None or spec is None or spec.type != "var_spec":
                continue
            names = spec.children_by_field_name("name")
            if len(names) == 1:
                out[node_text(names[0])] = name[0].lower()
        return out

    def _ranged_map_defaults(self, call) -> list[tuple[ts.Node, ts.Node]] | None:
        """`for key, value := range defaults { viper.SetDefault(key, value) }` over `defaults :=
        map[string]any{"telegram.retry.max_attempts": 5, ...}`: each entry's key and value node (round 16,
        manyacg); None when the call's arguments are not the range's key and value over such a map."""
        key_arg, value_arg = (inner_expression(a) for a in call.args)
        if key_arg.type != "identifier" or value_arg.type != "identifier":
            return None
        loop = call.node.parent
        while loop is not None and loop.type != "for_statement":
            loop = loop.parent
        clause = next((c for c in loop.named_children if c.type == "range_clause"), None) if loop is not None else None
        left = clause.child_by_field_name("left") if clause is not None else None
        if left is None or [node_text(n) for n in left.named_children] != [node_text(key_arg), node_text(value_arg)]:
            return None
        ranged = clause.child_by_field_name("right")
        if ranged is not None and ranged.type == "identifier":
            ranged = self.resolve_name(ranged)
        ranged = inner_expression(ranged) if ranged is not None else None
        kind = ranged.child_by_field_name("type") if ranged is not None and ranged.type == "composite_literal" else None
        body = ranged.child_by_field_name("body") if kind is not None and kind.type == "map_type" else None
        if body is None:
            return None
        return [(inner_expression(e.named_children[0]), inner_expression(e.named_children[1]))
                for e in body.named_children if e.type == "keyed_element" and e.named_child_count == 2]

    def _flag_by_name(self, name: str) -> Expr | None:
        node = self.flag_name_defaults.get(name)
        if node is None:
            return None
        expr = self.to_expr(node)
        if isinstance(expr, Str) and re.fullmatch(r"\s*[0-9.]+[a-zµ]+(?:[0-9.]+[a-zµ]+)*\s*", expr.value):
            # round 15 (headscale): `viper.SetDefault("cli.timeout", "5s")` read by GetDuration in another
            # package: the duration string as ms, the unit a Num carries everywhere else (a string
            # published as is was never a number to the pipeline)
            ms = parse_go_duration(expr.value.strip())
            if ms is not None:
                expr = Num(float(ms))
        value = evaluate(expr, lambda n: None).value
        if isinstance(value, (int, float)) and value == 0:
            return None  # a zero default switches the setting off; it is no 0 ms timeout
        return expr

    def _in_defaults_function(self, node: ts.Node) -> bool:
        for fn in self.enclosing_functions(node)[-1:]:
            name = fn.child_by_field_name("name")
            if name is not None and _DEFAULTS_FUNCTION.search(node_text(name)):
                return True
        return False

    def _inline(self, expr: Expr, depth: int = 0) -> Expr:
        """This file's package constants and flag defaults put into `expr` (not config fields:
        `field_defaults` is what those are read from)."""
        if depth > 8:
            return expr
        if isinstance(expr, Ref):
            if expr.name.startswith("$flagname:"):
                found = self._flag_by_name(expr.name[len("$flagname:"):])
                return self._inline(found, depth + 1) if found is not None else expr
            decl = self.declarations.get(expr.name)
            return self._inline(self.to_expr(decl), depth + 1) if decl is not None else expr
        if isinstance(expr, BinOp):
            return BinOp(expr.op, self._inline(expr.left, depth + 1), self._inline(expr.right, depth + 1))
        return expr

    @cached_property
    def field_defaults(self) -> dict[tuple[str, ...], Expr]:
        # a config constructor's check of its values reads `_lookup`, which reads these defaults: while
        # they are being gathered, `_lookup` goes without them (a NewConfig() beside defaultConfig
        # recursed without end, round 10)
        self._gathering_field_defaults = True
        try:
            return self._field_defaults()
        finally:
            self._gathering_field_defaults = False

    def _field_defaults(self) -> dict[tuple[str, ...], Expr]:
        """Defaults of config fields this file sets outside struct tags, by (type, *path) and, for
        paths of two names or more, by the path alone (like `tag_defaults`):
        - a function that builds the defaults, `func DefaultConfig() Config { return Config{Query:
          Query{MaxRetryAttempts: 3}} }` -> {("Config", "Query", "MaxRetryAttempts"): 3,
          ("Query", "MaxRetryAttempts"): 3};
        - a field read from a flag by name in a method of the type, `func (c *Config)
          InitFromViper(v *viper.Viper) { c.Timeout = v.GetInt(timeoutFlag) }` -> the flag's default.
        A path given two different values is dropped."""
        out: dict[tuple[str, ...], Expr] = {}
        ambiguous: set[tuple[str, ...]] = set()

        def put(key: tuple[str, ...], expr: Expr) -> None:
            if key in out and out[key] != expr:
                ambiguous.add(key)
            out[key] = expr

        def literal(node: ts.Node, type_name: str, prefix: tuple[str, ...], depth: int) -> None:
            body = node.child_by_field_name("body")
            for element in body.named_children if body is not None and depth < 5 else ():
                if element.type != "keyed_element" or element.named_child_count != 2:
                    continue
                key = node_text(element.named_children[0]).strip()
                value = inner_expression(element.named_children[1])
                if value.type == "unary_expression" and node_text(value.child_by_field_name("operator")) == "&":
                    value = inner_expression(value.child_by_field_name("operand"))
                if value.type == "composite_literal":
                    inner_type = self.type_name(value.child_by_field_name("type"))
                    literal(value, type_name, (*prefix, key), depth + 1)
                    if "." not in inner_type:
                        literal(value, inner_type, (), depth + 1)
                    continue
                if value.type == "identifier" and self.parameter_type(node_text(value), value):
                    continue  # `&Live{retryCount: retryCount}` in NewLive(..., retryCount int): the caller's value
                expr = self._inline(self.to_expr(value))
                if isinstance(expr, Unknown) or not key.isidentifier():
                    continue
                put((type_name, *prefix, key), expr)
                if prefix:
                    put((*prefix, key), expr)

        if b"efault" in self.data or b"func New" in self.data or b"func new" in self.data:
            for fn in self.root.named_children:
                name = fn.child_by_field_name("name") if fn.type in ("function_declaration", "method_declaration") else None
                constructor = name is not None and fn.type == "function_declaration" and \
                    (bool(_CONFIG_CONSTRUCTOR.fullmatch(node_text(name))) or _returns_own_config(fn))
                if name is None or not (_DEFAULTS_FUNCTION.search(node_text(name)) or constructor):
                    continue
                for node in descendants(fn):
                    if node.type != "composite_literal" or (node.parent is not None and
                                                            node.parent.type in ("keyed_element", "literal_element")):
                        continue
                    type_name = self.type_name(node.child_by_field_name("type"))
                    if constructor and not (type_name.isidentifier() and _CONFIG_TYPE.search(type_name)):
                        continue  # `NewRedisConfig()` builds its config; other literals in it are not defaults
                    if constructor:
                        # a config constructor's literal (`func NewConfig() Config { return Config{Timeout:
                        # 3000} }`): its constant fields are the defaults, not what it copies from parameters
                        before = dict(out)
                        literal(node, type_name, (), 0)
                        for key in [k for k in out if k not in before or out[k] != before[k]]:
                            if evaluate(out[key], self._lookup).value is None:
                                if key in before:
                                    out[key] = before[key]
                                else:
                                    del out[key]
                            elif len(key) == 2 and key[0] == type_name and _returns_own_config(fn):
                                # `cfg := config.Get(); cfg.HTTPClientTimeout` in another package reads
                                # `config.$flag:HTTPClientTimeout`: the getter's config is the package's
                                put((key[1],), out[key])
                    elif type_name.isidentifier():
                        literal(node, type_name, (), 0)
                    elif "." in type_name and type_name.split(".", 1)[0] in self.imports:
                        alias, own = type_name.split(".", 1)
                        literal(node, f"$default:{self.imports[alias]}.{own}", (), 0)
            # `var DefaultRedisConfiguration = SessionRedis{Timeout: 5 * time.Second}`: defaults kept in
            # a package variable (a validator fills them into unset fields)
            for var_name, value in self.declarations.items():
                node = inner_expression(value) if value is not None else None
                if node is None or node.type != "composite_literal" or not _DEFAULTS_FUNCTION.search(var_name):
                    continue
                type_name = self.type_name(node.child_by_field_name("type"))
                if type_name.isidentifier():
                    literal(node, type_name, (), 0)
        for assignment in self.field_assignments if b"efault" in self.data or b"== 0" in self.data or \
                b"Or(" in self.data or b"== nil" in self.data else ():
            # `func (c *Config) setDefaults() { c.Timeout = 10 * time.Second }` and
            # `if c.Timeout == 0 { c.Timeout = 10 * time.Second }`: a default filled in.
            operand = node_text(assignment.operand)
            owners = self.receiver_struct_types.get(operand, [])[:1]
            if not owners and operand.isidentifier() and fills_zero(assignment):
                # round 20 (second wave, ghostferry): `func (c *Config) ValidateConfig() { if c.DBWriteRetries == 0
                # { c.DBWriteRetries = 5 } }` where other types' methods of the file also name their receiver `c`
                owners = self._method_receiver_type(assignment.node, operand)
            if not owners:
                param = self.parameter_type(operand, assignment.node)
                owners = [param] if param and param.isidentifier() and param in self._struct_names else []
            filled = _or_default(self, assignment)
            if filled is not None and not owners:
                owners = self._method_receiver_type(assignment.node, operand)
            nested: tuple[str, ...] = ()
            if not owners and operand.isidentifier() and filled is None:
                owners = self._alias_of_receiver(assignment.node, operand)
            unset_branch = filled is None and _unset_branch_r19b(assignment)
            if not owners and unset_branch and operand.isidentifier():
                # round 19 (second wave, argo-rollouts): `provider := &Provider{...}; if metric.Timeout == nil {
                # provider.timeout = 30 * time.Second; return provider, nil }` in a constructor: the field's default
                made = self._made_type(operand, assignment.node)
                owners = [made] if made else []
            if not owners and "." in operand and filled is None:
                # `if l.Config.WaitForReady == 0 { l.Config.WaitForReady = 10 * time.Second }` in a method of
                # Source: the default of (Source, Config, WaitForReady), read as `l.Config.WaitForReady`
                # in the type's other files (round 10)
                head, _, rest = operand.partition(".")
                if all(p.isidentifier() for p in rest.split(".")):
                    owners = self.receiver_struct_types.get(head, [])[:1] or \
                        self._method_receiver_type(assignment.node, head, own_file=False)
                    if not owners and self._in_defaults_function(assignment.node):
                        # round 18: `config := &Config{...}; config.ActivityStream.PublishTimeout = d` in
                        # NewDefaultConfig(): the default of (Config, ActivityStream, PublishTimeout)
                        made = self._made_type(head, assignment.node)
                        owners = [made] if made else []
                    nested = tuple(rest.split(".")) if owners else ()
            if owners and filled is not None:
                # `c.DialTimeout = util.EmptyOr(c.DialTimeout, 10)`, `c.Timeout = cmp.Or(c.Timeout, 5*time.Second)`
                expr = self._inline(self.to_expr(filled))
                if evaluate(expr, lambda n: None).value is not None:
                    put((owners[0], assignment.field), expr)
                continue
            if not owners or not (self._in_defaults_function(assignment.node) or fills_zero(assignment) or unset_branch):
                continue
            expr = self._inline(self.to_expr(assignment.value))
            if evaluate(expr, lambda n: None).value is not None or self._package_constant_r22(expr, assignment.node):
                put((owners[0], *nested, assignment.field), expr)
        for key, expr in self._setter_defaults_r19():
            put(key, expr)
        if self.flag_name_defaults or b"Get" in self.data:
            for assignment in self.field_assignments:
                owners = self.receiver_struct_types.get(node_text(assignment.operand), [])[:1]
                call = self.call_at(assignment.value)
                if not owners or call is None or not _FLAG_READ.fullmatch(call.name):
                    continue
                expr = self._inline(self.to_expr(assignment.value))
                if not isinstance(expr, (Ref, Unknown)) or (isinstance(expr, Ref) and expr.name.startswith("$flagname:")):
                    put((owners[0], assignment.field), expr)
            # `a.cfg = downloadConfig{maxRetry: flags.MustInt("max-retry")}`: a struct of this file built
            # from flags, its fields read elsewhere in the package (`cfg.maxRetry`)
            for comp in self.composites:
                if not comp.type_name.isidentifier() or comp.type_name not in self._struct_names:
                    continue
                for field_name, value in comp.fields.items():
                    call = self.call_at(value)
                    if call is None or not _FLAG_READ.fullmatch(call.name) or not field_name.isidentifier():
                        continue
                    expr = self._inline(self.to_expr(value))
                    if not isinstance(expr, (Ref, Unknown)) or (isinstance(expr, Ref) and expr.name.startswith("$flagname:")):
                        put((comp.type_name, field_name), expr)
        for key in ambiguous:
            out.pop(key, None)
        if not out:
            return out
        # A struct of this file holding one with defaults: `type Session struct{ Redis *SessionRedis }`
        # -> ("Session", "Redis", "Timeout") from ("SessionRedis", "Timeout").
        for holder, fields in self._struct_fields.items():
            for field_name, field_type in fields:
                for key, expr in list(out.items()):
                    if key[0] == field_type and len(key) >= 2 and field_type != holder:
                        out.setdefault((holder, field_name, *key[1:]), expr)
        return out

    @cached_property
    def _struct_fields(self) -> dict[str, list[tuple[str, str]]]:
        """Struct types of this file -> their named fields and the (unqualified, pointer-stripped) types."""
        out: dict[str, list[tuple[str, str]]] = {}
        for node in ts.walk(self.root):
            if node.type != "type_spec":
                continue
            name, body = node.child_by_field_name("name"), node.child_by_field_name("type")
            if name is None or body is None or body.type != "struct_type":
                continue
            listing = next((c for c in body.named_children if c.type == "field_declaration_list"), None)
            fields = []
            for decl in listing.named_children if listing is not None else []:
                type_node = decl.child_by_field_name("type") if decl.type == "field_declaration" else None
                while type_node is not None and type_node.type == "pointer_type" and type_node.named_child_count:
                    type_node = type_node.named_children[0]
                if type_node is None or type_node.type != "type_identifier":
                    continue
                fields.extend((node_text(n), node_text(type_node)) for n in decl.children_by_field_name("name"))
            out[node_text(name)] = fields
        return out

    @cached_property
    def flag_defaults(self) -> dict[tuple[str, ...], ts.Node]:
        """Config fields registered as flags in this file, by their path below the config value:
        `f.DurationVar(&cfg.HTTP.Timeout, "s3.http.timeout", 30*time.Second, "...")` ->
        {("HTTP", "Timeout"): <30*time.Second>} (flag, pflag, kingpin-style `*Var` registrations)."""
        out: dict[tuple[str, ...], ts.Node] = {}
        ambiguous: set[tuple[str, ...]] = set()
        if b"Var(" not in self.data:
            return out
        for call in self.calls:
            if not _FLAG_VAR.fullmatch(call.name) or len(call.args) < 3:
                continue
            target = call.args[0]
            if target.type != "unary_expression" or node_text(target.child_by_field_name("operator")) != "&":
                continue
            path = _SPACE.sub("", node_text(target.child_by_field_name("operand"))).split(".")[1:]
            if not path or not all(p.isidentifier() for p in path):
                continue
            key = tuple(path)
            if key in out and node_text(out[key]) != node_text(call.args[2]):
                ambiguous.add(key)
            out[key] = call.args[2]
        for key in ambiguous:
            out.pop(key, None)
        return out

    @cached_property
    def _struct_bodies(self) -> tuple[dict[str, ts.Node], dict[str, ts.Node]]:
        """The struct bodies of this file, one walk: named types (`type Opts struct {...}`) and
        package-level variables of an anonymous struct type (`var opts struct { Timeouts struct {...} }`,
        go-flags' usual options value), each by name."""
        named: dict[str, ts.Node] = {}
        anonymous: dict[str, ts.Node] = {}
        for node in ts.walk(self.root):
            if node.type == "type_spec":
                name, body = node.child_by_field_name("name"), node.child_by_field_name("type")
                if name is not None and body is not None and body.type == "struct_type":
                    named[node_text(name)] = body
            elif node.type == "var_spec" and node.parent is not None and node.parent.type in ("var_declaration",
                                                                                            "source_file"):
                body = node.child_by_field_name("type")
                names = node.children_by_field_name("name")
                if body is not None and body.type == "struct_type" and len(names) == 1:
                    anonymous.setdefault(node_text(names[0]), body)
        return named, anonymous

    @cached_property
    def tag_defaults(self) -> dict[tuple[str, ...], Expr]:
        """Config fields whose struct tag gives the default (go-flags, envconfig, env: a field
        `Timeout time.Duration` tagged `long:"timeout" default:"5s"`), by their path below each struct
        type of this file that holds them: `type RPCGroup struct{ TimeOut ... default:"5s" }` and
        `type Opts struct{ Store StoreGroup }` with `StoreGroup{ RPC RPCGroup }` ->
        {("RPC", "TimeOut"): 5000, ("Store", "RPC", "TimeOut"): 5000}. Durations in ms. Only
        paths of two names or more (a bare field name is too common to tell groups apart);
        a path that two structs give different defaults is dropped."""
        if b"default:" not in self.data and b"envDefault:" not in self.data and b"default=" not in self.data:
            return {}  # (a `+kubebuilder:default=` marker holds "default=" too)
        named, anonymous = self._struct_bodies
        structs = {**anonymous, **named}  # a named type first, as the walk gave them

        def fields(struct: ts.Node, depth: int) -> Iterator[tuple[tuple[str, ...], Expr]]:
            if depth > 5:
                return
            declared = {n for _, ns, _ in _field_declarations(struct) for n in ns}
            for decl, names, type_node in _field_declarations(struct):
                if type_node is None:
                    continue
                tag = decl.child_by_field_name("tag")
                found = _TAG_DEFAULT.search(node_text(tag)) if tag is not None else None
                if found is None:
                    found = _marker_default(decl)  # `// +kubebuilder:default="60s"` above a CRD field
                type_text = node_text(type_node)
                if found is not None and names:
                    value: Expr | None = None
                    default = found.group(1) if found.group(1) is not None else \
                        (found.group(2) if found.group(2) is not None else found.group(3) or "").strip()
                    if type_text == "time.Duration" or type_text.rsplit(".", 1)[-1] == "Duration":
                        # also a config package's own `type Duration time.Duration` (`Timeout Duration \`default:"1s"\``)
                        number = parse_go_duration(default)
                        value = Num(float(number)) if number is not None else None
                    elif type_text in ("int", "int32", "int64", "uint", "uint32", "uint64"):
                        number = parse_go_number(default)
                        value = Num(float(number)) if number is not None else None
                    elif type_text == "string" and default:
                        value = Str(default)  # `PaymentURL string envDefault:"http://payment:8080"`
                    env = _ENV_TAG.search(node_text(tag)) if tag is not None else None
                    if value is not None and env is not None and not found.group(0).startswith("default:"):
                        # caarlos0/env `env:"X" envDefault:"..."`, sethvargo `env:"X,default=..."`: the
                        # variable's default (go-flags' `default:` stays config: its env name has a prefix)
                        value = Env(env.group(1), value)
                    if value is not None:
                        for name in names:
                            yield (name,), value
                            if 'parse:"' in node_text(tag) and name + "_" in declared:
                                # round 19 (gofix2, file.d): `Timeout cfg.Duration \`default:"5s" parse:"duration"\``
                                # parsed into its twin `Timeout_ time.Duration`, the field the code reads
                                yield (name + "_",), value
                            if type_text == "metav1.Duration":
                                # `obj.Spec.Timeout.Duration`: the time.Duration a metav1.Duration holds
                                yield (name, "Duration"), value
                    continue
                inner = type_node if type_node.type == "struct_type" else structs.get(type_text)
                if inner is None:
                    continue
                for path, value in fields(inner, depth + 1):
                    if names:
                        for name in names:
                            yield (name, *path), value
                    else:
                        yield path, value  # an embedded struct: its fields are promoted

        out: dict[tuple[str, ...], Expr] = {}
        ambiguous: set[tuple[str, ...]] = set()
        for type_name, struct in structs.items():
            for path, value in fields(struct, 0):
                given = value.default if isinstance(value, Env) else value
                if isinstance(given, Num) and given.value == 0 and any(_ZERO_OFF.search(p) for p in (type_name, *path)):
                    continue  # `Request time.Duration `envDefault:"0s"`` in Timeouts: no deadline unless set (round 11)
                out[(type_name, *path)] = value  # `SupportCmdOpts/Timeout`: a type's own field, unambiguous
                if len(path) < 2:
                    continue
                if path in out and out[path] != value:
                    ambiguous.add(path)
                out[path] = value
        for path in ambiguous:
            out.pop(path, None)
        return out

    @cached_property
    def receiver_struct_types(self) -> dict[str, list[str]]:
        """Method receiver names bound to one struct type of this file, with the types that
        struct embeds: `func (ec *BackupCommand)` with `BackupCommand{ ...; SupportCmdOpts }`
        -> {"ec": ["BackupCommand", "SupportCmdOpts"]}."""
        structs: dict[str, ts.Node] = {}
        receivers: dict[str, set[str]] = {}
        for node in ts.walk(self.root):
            if node.type == "type_spec":
                name, body = node.child_by_field_name("name"), node.child_by_field_name("type")
                if name is not None and body is not None and body.type == "struct_type":
                    structs[node_text(name)] = body
            elif node.type == "method_declaration":
                params = node.child_by_field_name("receiver")
                decl = params.named_children[0] if params is not None and params.named_children else None
                if decl is None or decl.type != "parameter_declaration":
                    continue
                type_node = decl.child_by_field_name("type")
                while type_node is not None and type_node.type == "pointer_type" and type_node.named_child_count:
                    type_node = type_node.named_children[0]
                for name in decl.children_by_field_name("name"):
                    if type_node is not None:
                        receivers.setdefault(node_text(name), set()).add(node_text(type_node))
        out: dict[str, list[str]] = {}
        for name, types in receivers.items():
            if len(types) != 1 or next(iter(types)) not in structs:
                continue
            own = next(iter(types))
            listing = next((c for c in structs[own].named_children if c.type == "field_declaration_list"), None)
            embedded = [node_text(d.child_by_field_name("type")).lstrip("*") for d in
                        (listing.named_children if listing is not None else [])
                        if d.type == "field_declaration" and not d.children_by_field_name("name")
                        and d.child_by_field_name("type") is not None]
            out[name] = [own, *embedded]
        return out

    def _alias_of_receiver(self, node: ts.Node, name: str) -> list[str]:
        """[T] for `aux := raw{}` with `type raw T` in a method of T (an UnmarshalYAML that decodes into
        an alias of its own type, fills unset fields, then `*pc = T(aux)`: round 10), else []."""
        bound = self.lookup_local(name, node)
        value = inner_expression(bound) if bound is not None and hasattr(bound, "type") else None
        if value is None or value.type != "composite_literal":
            return []
        alias = self.type_name(value.child_by_field_name("type"))
        fns = self.enclosing_functions(node)
        if not alias.isidentifier() or not fns or fns[-1].type != "method_declaration":
            return []
        receiver = self._method_receiver_type(node, self._receiver_name(fns[-1]), own_file=False)
        for spec in descendants(fns[-1]):
            if spec.type == "type_spec" and node_text(spec.child_by_field_name("name")) == alias and \
                    node_text(spec.child_by_field_name("type")) in receiver:
                return receiver
        return []

    @staticmethod
    def _receiver_name(fn: ts.Node) -> str:
        receiver = fn.child_by_field_name("receiver")
        decl = receiver.named_children[0] if receiver is not None and receiver.named_children else None
        names = decl.children_by_field_name("name") if decl is not None else []
        return node_text(names[0]) if names else ""

    def _method_receiver_type(self, node: ts.Node, name: str, own_file: bool = True) -> list[str]:
        """[the struct type] when `name` is the receiver of the method around `node` (`func (c
        *TransportConfig) Complete()`), whatever other methods of the file name their receiver."""
        for fn in self.enclosing_functions(node)[-1:]:
            receiver = fn.child_by_field_name("receiver") if fn.type == "method_declaration" else None
            decl = receiver.named_children[0] if receiver is not None and receiver.named_children else None
            if decl is None or decl.type != "parameter_declaration" or \
                    not any(node_text(n) == name for n in decl.children_by_field_name("name")):
                return []
            type_node = decl.child_by_field_name("type")
            while type_node is not None and type_node.type == "pointer_type" and type_node.named_child_count:
                type_node = type_node.named_children[0]
            type_name = node_text(type_node) if type_node is not None else ""
            if not own_file:  # a type of the package, declared in this file or another
                return [type_name] if type_name.isidentifier() else []
            return [type_name] if type_name in self._struct_names else []
        return []

    def flag_default(self, name: str) -> ts.Node | None:
        """The flag default of a config field reference (`s.cfg.HTTP.Timeout`): the registration
        whose path is the longest tail of the reference's path (at least its field name)."""
        parts = name.split(".")
        if len(parts) < 2 or not self.flag_defaults:
            return None
        for length in range(len(parts) - 1, 0, -1):
            found = self.flag_defaults.get(tuple(parts[-length:]))
            if found is not None:
                return found
        return None

    @cached_property
    def config_defaults(self) -> dict[tuple[str, ...], Expr]:
        """Struct-tag defaults over the defaults this file sets in code (`field_defaults`)."""
        if not self.field_defaults:
            return self.tag_defaults
        return {**self.field_defaults, **self.tag_defaults}

    def _lookup(self, name: str):
        if name.startswith("$flagname:"):
            expr = self._flag_by_name(name[len("$flagname:"):])
            return (expr, "config") if expr is not None else None
        decl = self.declarations.get(name, "absent")
        if decl == "absent" or decl is None:
            flag = self.flag_default(name) if "." in name else None
            if flag is not None:
                expr = self.to_expr(flag)
                if isinstance(evaluate(expr, lambda n: None).value, (int, float)) and \
                        evaluate(expr, lambda n: None).value == 0:
                    return None  # a zero default switches the setting off; it is no 0 ms timeout
                return expr, "config"
            if "." in name and not getattr(self, "_gathering_field_defaults", False) and self.config_defaults:
                parts = name.split(".")
                for owner in self.receiver_struct_types.get(parts[0], []):
                    tagged = self.config_defaults.get((owner, *parts[1:]))
                    if tagged is not None:
                        return tagged, "config"
                for length in range(len(parts) - 1, 1, -1):
                    tagged = self.config_defaults.get(tuple(parts[-length:]))
                    if tagged is not None:
                        return tagged, "config"
            if "." in name:
                # `l.limit`: the one value this file gives that field of its own struct types
                # (`&limited{limit: cfg.Retry.Limit}`); fields of imported types are not guessed at.
                field_name = name.rsplit(".", 1)[-1]
                values = [c.fields[field_name] for c in self.composites
                          if "." not in c.type_name and field_name in c.fields] \
                    if field_name in self.struct_field_types else []
                if len({node_text(v) for v in values}) == 1 and node_text(values[0]) != name:
                    if values[0].type == "identifier" and self.parameter_type(node_text(values[0]), values[0]):
                        # `&Client{retryCount: retryCount}` in `NewClient(..., retryCount int)`: the
                        # caller's value (published to the constructor's callers), not a clamp made in
                        # a branch (`if retryCount < 0 { retryCount = 0 }`)
                        return None
                    expr = self.to_expr(values[0])
                    root = values[0]
                    while root.type == "selector_expression" and root.child_by_field_name("operand") is not None:
                        root = root.child_by_field_name("operand")
                    declared = self.parameter_type(node_text(root), values[0]) \
                        if root is not values[0] and root.type == "identifier" and isinstance(expr, Ref) else None
                    if declared and declared.isidentifier() and "/" in self.path:
                        # `&Resyncer{fetchTimeout: config.RepoFetchTimeout}` in NewResyncer(config *TapConfig):
                        # what the service gives TapConfig's field (a flag default, a construction in main)
                        rest = "/".join(expr.name.split(".")[1:])
                        folder = _package_folder(Path(self.path).parent.as_posix())
                        expr = Call("coalesce", (expr, Ref(f"$flag:{declared}/{rest}"),
                                                 Ref(f"$field:{folder}.{declared}/{rest}")))
                    elif declared and self._imported_field(declared, expr.name.split(".")[1:]) is not None:
                        # round 18: `&SqlConnectionRegistrar{queryTimeout: cfg.ConnectionDatabaseQueryTimeout}` in
                        # NewSqlConnectionRegistrar(cfg *config.Config): the default that package gives the field
                        expr = Call("coalesce", (expr, self._imported_field(declared, expr.name.split(".")[1:])))
                    owners = set(self.receiver_struct_types.get(name.split(".", 1)[0], [])[:1])
                    own = [c.fields[field_name] for c in self.composites if c.type_name in owners and
                           field_name in c.fields]
                    if len(own) == 1 and not self._filling and \
                            not isinstance(evaluate(expr, lambda n: None).value, (int, float)):
                        # `&Monitor{timeout: time.Duration(cfg.TimeoutSeconds) * time.Second}` after `if
                        # cfg.TimeoutSeconds <= 0 { cfg.TimeoutSeconds = 3 }` in the constructor: its fill-in
                        self._filling.add(name)
                        try:
                            filled = self._zero_filled(self.to_expr(own[0]), own[0])
                        finally:
                            self._filling.discard(name)
                        if filled is not None:
                            return filled, "constant"
                    return expr, "constant"
            return None
        return self.to_expr(decl), "constant"  # type: ignore[arg-type]

    def _settings_table_read(self, body: ts.Node) -> Expr | None:
        """round 18: `func (s *settingProvider) ChunkRetryLimit(ctx context.Context) int { return s.getInt(ctx,
        "chunk_retries", 3) }`: a settings provider's getter reading its table by key with a fallback:
        the table's seeded value for the key (`$go-setting-key.chunk_retries`, see `settings_table_defaults`),
        else the fallback."""
        statements = [c for c in body.named_children if c.type != "comment"]
        if len(statements) == 1 and statements[0].type == "statement_list":
            statements = [c for c in statements[0].named_children if c.type != "comment"]
        if len(statements) != 1 or statements[0].type != "return_statement" or statements[0].named_child_count != 1:
            return None
        returned = inner_expression(statements[0].named_children[0])
        if returned.type == "expression_list" and returned.named_child_count == 1:
            returned = inner_expression(returned.named_children[0])
        call = self.call_at(returned) if returned.type == "call_expression" else None
        if call is None or call.receiver is None or len(call.args) < 2 or not re.match(r"(?i)get", call.name):
            return None
        keys = [a for a in call.args if a.type in _STRING_TYPES]
        if len(keys) != 1 or call.args[-1].type in _STRING_TYPES:
            return None
        fallback = self.to_expr(call.args[-1])
        if isinstance(fallback, Unknown):
            return None
        return Call("coalesce", (Ref("$go-setting-key." + (unquote(node_text(keys[0])) or "")), fallback))

    def settings_table_defaults(self) -> dict[str, Expr]:
        """The other half of `_settings_table_read`: a seeded settings table (`var DefaultSettings =
        map[string]string{"chunk_retries": `5`, ...}`): each key named for a wait or a retry bound with
        a number, as `$go-setting-key.<key>`."""
        out: dict[str, Expr] = {}
        if b"map[string]string" not in self.data:
            return out
        for node in ts.walk(self.root):
            if node.type != "composite_literal" or node.child_by_field_name("body") is None or \
                    _SPACE.sub("", node_text(node.child_by_field_name("type"))) != "map[string]string":
                continue
            for element in node.child_by_field_name("body").named_children:
                if element.type != "keyed_element" or element.named_child_count != 2:
                    continue
                key, value = (inner_expression(c.named_children[0] if c.type == "literal_element" and c.named_child_count
                                               else c) for c in element.named_children)
                if key.type not in _STRING_TYPES or value.type not in _STRING_TYPES:
                    continue
                name = unquote(node_text(key)) or ""
                number = parse_go_number((unquote(node_text(value)) or "").strip())
                if number is None or not re.search(r"(?i)timeout|retr|attempt|tries|deadline", name):
                    continue
                out.setdefault("$go-setting-key." + name, Num(float(number)))
        return out

    def getter_symbols(self) -> dict[str, Expr]:
        """Getters whose value this file settles, as `$getter.<Name>`: a method with no parameters
        that returns one entry of an options map (`return c.options["HTTP_CLIENT_TIMEOUT"].parsedDuration`)
        whose literal this file writes (`"HTTP_CLIENT_TIMEOUT": {parsedDuration: 20 * time.Second}`),
        or returns a duration of its own (`func (c *Config) Timeout() time.Duration { return
        30 * time.Second }`)."""
        out: dict[str, Expr] = {}
        entries: dict[str, ts.Node] = {}
        def element(node: ts.Node) -> ts.Node:
            return node.named_children[0] if node.type == "literal_element" and node.named_child_count else node

        for node in descendants(self.root) if b'"' in self.data else ():
            if node.type == "keyed_element" and node.named_child_count == 2:
                key = inner_expression(element(node.named_children[0]))
                if key.type in _STRING_TYPES:
                    entries.setdefault(node_text(key), element(node.named_children[1]))
        for fn in self.root.named_children:
            if fn.type == "function_declaration":
                name, params, body = (fn.child_by_field_name(k) for k in ("name", "parameters", "body"))
                if name is not None and body is not None and params is not None and not params.named_child_count:
                    fallback = _fallback_of_function_r21(self, fn, body, node_text(name))
                    expr = self.to_expr(fallback) if fallback is not None else None
                    if expr is not None and not isinstance(expr, Unknown):
                        out["$getter." + node_text(name)] = expr
                continue
            if fn.type != "method_declaration":
                continue
            name, params, body = (fn.child_by_field_name(k) for k in ("name", "parameters", "body"))
            if name is not None and body is not None and params is not None and params.named_child_count == 1 and \
                    node_text(params.named_children[0].child_by_field_name("type")) == "context.Context":
                setting = self._settings_table_read(body)
                if setting is not None:
                    out["$getter." + node_text(name)] = setting
                continue
            if name is None or body is None or (params is not None and params.named_child_count):
                continue
            statements = [c for c in body.named_children if c.type != "comment"]
            if len(statements) == 1 and statements[0].type == "statement_list":
                statements = [c for c in statements[0].named_children if c.type != "comment"]
            fallback = _unset_fallback(statements)
            if fallback is None:
                fallback = _default_unless_set(statements)
            if fallback is None:
                fallback = _returned_unless_set(statements)
            if fallback is None:
                fallback = _parsed_setting_fallback(fn, body, node_text(name))
                if fallback is not None:
                    expr = self.to_expr(fallback)
                    if not isinstance(expr, Unknown):
                        out["$getter." + node_text(name)] = expr
                    continue
            if fallback is not None and node_text(fn.child_by_field_name("result")) == "time.Duration":
                # `func (cfg *FTP) Timeout() time.Duration { if cfg == nil || cfg.DialTimeout == 0 { return
                # 10 * time.Second }; return cfg.DialTimeout }`: the fallback, when the setting is left out
                expr = self.to_expr(fallback)
                if not isinstance(expr, Unknown):
                    out["$getter." + node_text(name)] = expr
                continue
            held = _held_field_return_r20(statements)
            if held is not None:
                returned = held
            elif len(statements) != 1 or statements[0].type != "return_statement" or \
                    statements[0].named_child_count != 1:
                continue
            else:
                returned = inner_expression(statements[0].named_children[0])
            if returned.type == "expression_list" and returned.named_child_count == 1:
                returned = inner_expression(returned.named_children[0])
            value = None
            if returned.type == "selector_expression" and _receiver_named(fn, returned):
                # `func (p *Postgres) GetMaxRetries() int { return p.maxRetries }` with `pg := &Postgres{maxRetries:
                # _defaultMaxRetries, ...}` in the constructor: the default the getter answers (round 18, Permify)
                value = self._constructed_default(fn, node_text(returned.child_by_field_name("field")))
            elif returned.type == "selector_expression":
                operand = inner_expression(returned.child_by_field_name("operand"))
                field = node_text(returned.child_by_field_name("field"))
                index = operand.child_by_field_name("index") if operand.type == "index_expression" else None
                entry = entries.get(node_text(inner_expression(index))) if index is not None else None
                if entry is not None:
                    literal = entry if entry.type == "literal_value" else entry.child_by_field_name("body")
                    for pair in literal.named_children if literal is not None else ():
                        if pair.type == "keyed_element" and pair.named_child_count == 2 and \
                                node_text(element(pair.named_children[0])) == field:
                            value = element(pair.named_children[1])
            elif returned.type in ("binary_expression", "int_literal", "float_literal", "identifier") and \
                    node_text(fn.child_by_field_name("result")) == "time.Duration":
                value = returned  # `func (c *Config) Timeout() time.Duration { return 30 * time.Second }`
            elif returned.type == "call_expression" and node_text(fn.child_by_field_name("result")) == "time.Duration":
                # `return v.source.DurationF(AuthenticatorJwtJwkMaxWait, 1*time.Second)`: a config reader's
                # fallback, what the getter answers while the key is unset (koanf/ory configx; round 12)
                called = self.call_at(returned)
                if called is not None and len(called.args) == 2 and called.receiver is not None and \
                        _CONFIG_FALLBACK_READER.fullmatch(called.name):
                    value = called.args[1]
            if value is not None:
                expr = self.to_expr(value)
                if not isinstance(expr, Unknown):
                    out["$getter." + node_text(name)] = expr
        return out

    def _constructed_default(self, method: ts.Node, field: str) -> ts.Node | None:
        """The one value this file's literals of a method's receiver type give a field named for timeouts or
        retries (`&Postgres{maxRetries: _defaultMaxRetries}`), None if none or they differ."""
        if not _DURATION_FIELD.search(field):
            return None
        receiver = method.child_by_field_name("receiver")
        decl = receiver.named_children[0] if receiver is not None and receiver.named_children else None
        type_node = decl.child_by_field_name("type") if decl is not None else None
        type_name = node_text(type_node).lstrip("*").strip() if type_node is not None else ""
        values = [c.fields[field] for c in self.composites if c.type_name == type_name and field in c.fields]
        if not type_name.isidentifier() or len({node_text(v) for v in values}) != 1:
            return None
        return values[0]

    @cached_property
    def tagged_config_keys(self) -> dict[tuple[str, ...], tuple[str, ...]]:
        """Fields of this file's config structs whose decoding tags name a config key other than the
        field names do (a field `Payment` tagged `yaml:"payment"` holding `Timeout` tagged `yaml:"timeout_ms"`)
        -> {("Data", "Payment", "Timeout"): ("payment", "timeoutms")}: the key a reader of
        `cfg.Payment.Timeout` cannot tell from the names (goconfig's normalised keys). Paths of two
        keys or more, to fields named for a timeout or a retry."""
        if b"`" not in self.data:
            return {}
        structs = self._struct_bodies[0]
        out: dict[tuple[str, ...], tuple[str, ...]] = {}

        def walk(struct: ts.Node, path: tuple[str, ...], keys: tuple[str, ...], renamed: bool, depth: int) -> None:
            listing = next((c for c in struct.named_children if c.type == "field_declaration_list"), None)
            for decl in listing.named_children if listing is not None and depth < 5 else []:
                if decl.type != "field_declaration":
                    continue
                type_node = decl.child_by_field_name("type")
                while type_node is not None and type_node.type == "pointer_type" and type_node.named_child_count:
                    type_node = type_node.named_children[0]
                tag = decl.child_by_field_name("tag")
                found = _CONFIG_TAG.search(node_text(tag)) if tag is not None else None
                for name_node in decl.children_by_field_name("name"):
                    name = node_text(name_node)
                    key = normalise_config_key(found.group(2)) if found is not None else normalise_config_key(name)
                    again = renamed or key != normalise_config_key(name)
                    inner = type_node if type_node is not None and type_node.type == "struct_type" else \
                        structs.get(node_text(type_node)) if type_node is not None else None
                    if inner is not None:
                        walk(inner, (*path, name), (*keys, key), again, depth + 1)
                    elif again and len(keys) >= 1 and _DURATION_FIELD.search(name):
                        out[(*path, name)] = (*keys, key)

        for type_name, struct in structs.items():
            walk(struct, (type_name,), (), False, 0)
        return out

    def flag_symbols(self) -> dict[str, Expr]:
        """This file's flag defaults for the package-wide resolver, as `$flag:Retry/Limit`."""
        out: dict[str, Expr] = {}
        folder_ = _package_folder(Path(self.path).parent.as_posix()) if "/" in self.path else ""
        for path, keys in self.tagged_config_keys.items():
            # the service's config file first, this file's default for the field second
            default = self.config_defaults.get(path)
            expr = Ref("$go-config~" + ".".join(keys))
            if default is not None:
                expr = Call("coalesce", (expr, default))
            out["$flag:" + "/".join(path)] = expr
            if folder_:
                out[f"$field:{folder_}." + "/".join(path)] = expr
        for path, node in self.flag_defaults.items():
            expr = self.to_expr(node)
            value = evaluate(expr, lambda n: None).value
            if isinstance(value, (int, float)) and value == 0:
                continue
            out["$flag:" + "/".join(path)] = expr
            for i, part in enumerate(path[:-1]):
                # round 18: `flag.IntVar(&conf.DNSConfig.Timeout, "dnstimeout", 3, ...)` with `DNSConfig dns.Config`:
                # the default of that package's type's field, for its files reading `c.config.Timeout`
                typed = self._imported_field(self.struct_field_types.get(part, ""), list(path[i + 1:]))
                if typed is not None and isinstance(typed, Call):
                    for ref in typed.args:
                        if isinstance(ref, Ref) and ref.name.startswith("$field:"):
                            out.setdefault(ref.name, expr)
        for path, expr in self.tag_defaults.items():
            out.setdefault("$flag:" + "/".join(path), expr)
        for name in self.flag_name_defaults:
            expr = self._flag_by_name(name)
            if expr is not None:
                out.setdefault("$flagname:" + name, self._substitute(expr))
        for var, name in self._flag_vars_r20().items():
            out.setdefault("$flagvar:" + var, Ref("$flagname:" + name))
        for path, expr in self.field_defaults.items():
            key = "/".join(path)
            out.setdefault(key if key.startswith("$default:") else "$flag:" + key, expr)
        structs = self._struct_names
        folder = _package_folder(Path(self.path).parent.as_posix()) if "/" in self.path else ""
        for path, expr in self.config_defaults.items():
            # `$field:config.Config/QueryTimeout`: a default of a type declared here, for the files of the
            # service that import this package (found by the folder's name, see `_imported_field`)
            if folder and len(path) >= 2 and path[0] in structs:
                out.setdefault(f"$field:{folder}." + "/".join(path), expr)
        for key, expr in self.alias_symbols().items():
            out.setdefault(key, expr)
        for path, expr in self.tag_defaults.items():
            # Go's idiom names a field after its type (`config *Config`): a handler in another
            # file reads `s.config.Timeout`, and its tail `config/Timeout` finds Config's default.
            if len(path) >= 2 and path[0] in structs and path[0][:1].isupper():
                alias = _lower_first(path[0])
                out.setdefault("$flag:" + "/".join((alias, *path[1:])), expr)
        for key, expr in self.constructed_fields().items():
            out.setdefault(key, expr)
        for key, expr in self.constructor_argument_fields().items():
            out.setdefault(key, expr)
        for key, expr in self.zero_filled_fields().items():
            out.setdefault(key, expr)
        for key, expr in self.counted_retry_types().items():
            out.setdefault(key, expr)
        for key, expr in self.settings_table_defaults().items():
            out.setdefault(key, expr)
        for key, expr in self.constructor_arguments().items():
            out.setdefault(key, expr)
        for key, expr in self.nested_fields().items():
            out.setdefault(key, expr)
        for key, expr in self.getter_field_defaults().items():
            out.setdefault(key, expr)
        for key, expr in self._default_var_fields_r19b().items():
            out.setdefault(key, expr)
        for key, expr in self.viper_field_defaults.items():
            out.setdefault(key, expr)
        for key, expr in self._key_type_defaults_r20().items():
            out.setdefault(key, expr)
        # round 11: `api.ConnectSvc.Cfg.RequestTimeout` reaches its config type through types declared in
        # other packages: the default this file gives a field of that distinct name (SetDefaults, a flag
        # registration), for the resolver to use when every file of the service that gives one agrees
        # (`$go-field.` is one of resolve.py's unique prefixes); two different ones here give none.
        named: dict[str, Expr] = {}
        clashing: set[str] = set()
        flagged = [(path, self.to_expr(node)) for path, node in self.flag_defaults.items()]
        for path, expr in [*self.config_defaults.items(), *flagged]:
            if not path or not _DISTINCT_FIELD.fullmatch(path[-1]) or isinstance(expr, Unknown):
                continue
            value = evaluate(expr, lambda n: None).value
            if isinstance(value, (int, float)) and value == 0:
                continue  # a zero default switches the setting off
            if named.setdefault(path[-1], expr) != expr:
                clashing.add(path[-1])
        for name, expr in named.items():
            out.setdefault("$go-field." + name, Unknown(f"{name}: defaults differ") if name in clashing else expr)
        for key, expr in self._go_field_pairs_g2(flagged).items():
            out.setdefault(key, expr)
        for var, type_name in self.package_var_types.items():
            # `var Global Archer` holding the service's settings: another package reads
            # `config.Global.Agent.MaxRetries`, asking `$field:config.Global/Agent/MaxRetries`
            for path, expr in [*self.tag_defaults.items(), *self.config_defaults.items()]:
                if len(path) >= 2 and path[0] == type_name:
                    out.setdefault("$flag:" + "/".join((var, *path[1:])), expr)
                    if folder:
                        out.setdefault(f"$field:{folder}." + "/".join((var, *path[1:])), expr)
        return out

    def _go_field_pairs_g2(self, flagged: list) -> dict[str, Expr]:
        """Round 19 (gofix2, nats-kafka): `$go-field.<Field>/<Leaf>` for a nested field's default
        (`NATSKafkaBridgeConfig{NATS: NATSConfig{ConnectTimeout: 5000}}` -> `$go-field.NATS/ConnectTimeout`),
        and `$go-field.^/<Leaf>` for a field of the outermost config type (a type no other struct of
        this file holds) where a name alone clashes; two different defaults for one key give none."""
        out: dict[str, Expr] = {}
        clashing: set[str] = set()
        structs = self._struct_bodies[0]
        held = {w for body in structs.values() for _, _, t in _field_declarations(body) if t is not None
                for w in re.findall(r"\w+", node_text(t))}  # `[]ConnectorConfig`, `map[string]*X` too
        for path, expr in [*self.config_defaults.items(), *flagged]:
            if len(path) < 2 or not _DISTINCT_FIELD.fullmatch(path[-1]) or isinstance(expr, Unknown):
                continue
            value = evaluate(expr, lambda n: None).value
            if not isinstance(value, (int, float)) or value == 0:
                continue
            parent = path[-2]
            if parent in structs:
                if len(path) != 2 or parent in held or not _CONFIG_TYPE_G2.search(parent):
                    continue
                key = f"$go-field.^/{path[-1]}"
            elif parent.isidentifier() and parent[:1].isupper():
                key = f"$go-field.{parent}/{path[-1]}"
            else:
                continue
            if out.setdefault(key, expr) != expr:
                clashing.add(key)
        return {k: v for k, v in out.items() if k not in clashing}

    def _default_var_fields_r19b(self) -> dict[str, Expr]:
        """Round 19 (second wave, fabio): a package variable holding the defaults, `var defaultConfig =
        &Config{Proxy: Proxy{DialTimeout: 30 * time.Second}}`, read by another file of the package
        (`f.DurationVar(&cfg.Proxy.DialTimeout, "proxy.dialtimeout", defaultConfig.Proxy.DialTimeout, ...)`)
        and, through the nested field's type, by the package's readers (`$field:config.Proxy/DialTimeout`,
        what a type declared in another file of the package forwards to): each constant field by the
        variable's path (`defaultConfig.Proxy.DialTimeout`) and by its own type's field. The types need
        not be declared in this file (an unqualified type name is this package's)."""
        out: dict[str, Expr] = {}
        if b"efault" not in self.data or "/" not in self.path:
            return out
        folder = _package_folder(Path(self.path).parent.as_posix())
        clashing: set[str] = set()
        top = ""

        def put(key: str, expr: Expr) -> None:
            if out.setdefault(key, expr) != expr:
                clashing.add(key)

        def walk(node: ts.Node, type_name: str, path: tuple[str, ...], depth: int) -> None:
            body = node.child_by_field_name("body")
            for element in body.named_children if body is not None and depth < 5 else ():
                if element.type != "keyed_element" or element.named_child_count != 2:
                    continue
                key = node_text(element.named_children[0]).strip()
                if not key.isidentifier():
                    continue
                value = inner_expression(element.named_children[1])
                if value.type == "unary_expression" and node_text(value.child_by_field_name("operator")) == "&":
                    value = inner_expression(value.child_by_field_name("operand"))
                if value.type == "composite_literal":
                    inner = self.type_name(value.child_by_field_name("type"))
                    walk(value, inner if inner.isidentifier() else "", (*path, key), depth + 1)
                    continue
                if not re.search(r"(?i)timeout|deadline|retr|attempt|tries", key):
                    continue  # timeouts and retry bounds only
                expr = self._inline(self.to_expr(value))
                number = evaluate(expr, lambda n: None).value
                if not isinstance(number, (int, float)) or isinstance(number, bool) or number == 0:
                    continue  # a constant only; zero switches the setting off
                put(".".join((*path, key)), expr)
                if type_name:
                    put(f"$field:{folder}.{type_name}/{key}", expr)
                if len(path) > 1:
                    put(f"$field:{folder}." + "/".join((top, *path[1:], key)), expr)

        for var_name, value in self.declarations.items():
            node = inner_expression(value) if value is not None else None
            if node is not None and node.type == "unary_expression" and \
                    node_text(node.child_by_field_name("operator")) == "&":
                node = inner_expression(node.child_by_field_name("operand"))
            if node is None or node.type != "composite_literal" or not _DEFAULTS_FUNCTION.search(var_name) or \
                    not var_name.isidentifier():
                continue
            if self.enclosing_functions(node):
                continue  # a local of a function, not the package's variable
            type_name = self.type_name(node.child_by_field_name("type"))
            if not type_name.isidentifier():
                continue
            top = type_name
            walk(node, type_name, (var_name,), 0)
        return {k: v for k, v in out.items() if k not in clashing}

    @cached_property
    def viper_field_defaults(self) -> dict[str, Expr]:
        """`viper.SetDefault("kafka.producer_retries", 3)` beside `type Config struct { Kafka KafkaConfig
        `mapstructure:"kafka"` }` holding `ProducerRetries int `mapstructure:"producer_retries"``: the
        default of the field the key decodes into, for readers of the struct (round 11): by the type
        that holds it (`$flag:KafkaConfig/ProducerRetries`, `$field:config.KafkaConfig/ProducerRetries`),
        by its path from the outer type (`$flag:Config/Kafka/ProducerRetries`) and by the path alone
        (`$flag:Kafka/ProducerRetries`). Fields named for a timeout or a retry only."""
        if b"SetDefault" not in self.data or not self.flag_name_defaults:
            return {}
        defaults = {".".join(normalise_config_key(k) for k in name.split(".")): name for name in self.flag_name_defaults}
        structs = self._struct_bodies[0]
        folder = _package_folder(Path(self.path).parent.as_posix()) if "/" in self.path else ""
        out: dict[str, Expr] = {}

        def walk(struct: ts.Node, owner: str, path: tuple[str, ...], keys: tuple[str, ...], depth: int) -> None:
            listing = next((c for c in struct.named_children if c.type == "field_declaration_list"), None)
            for decl in listing.named_children if listing is not None and depth < 5 else []:
                if decl.type != "field_declaration":
                    continue
                type_node = decl.child_by_field_name("type")
                while type_node is not None and type_node.type == "pointer_type" and type_node.named_child_count:
                    type_node = type_node.named_children[0]
                tag = decl.child_by_field_name("tag")
                found = _CONFIG_TAG.search(node_text(tag)) if tag is not None else None
                for name_node in decl.children_by_field_name("name"):
                    name = node_text(name_node)
                    key = normalise_config_key(found.group(2)) if found is not None else normalise_config_key(name)
                    inner = structs.get(node_text(type_node)) if type_node is not None else None
                    if inner is not None:
                        walk(inner, node_text(type_node), (*path, name), (*keys, key), depth + 1)
                        continue
                    flag = defaults.get(".".join((*keys, key))) if _DURATION_FIELD.search(name) else None
                    expr = self._flag_by_name(flag) if flag is not None else None
                    if expr is None:
                        continue
                    out.setdefault(f"$flag:{owner}/{name}", expr)
                    if folder:
                        out.setdefault(f"$field:{folder}.{owner}/{name}", expr)
                    out.setdefault("$flag:" + "/".join((*path, name)), expr)
                    if len(path) >= 2:
                        out.setdefault("$flag:" + "/".join((*path[1:], name)), expr)

        for type_name, struct in structs.items():
            walk(struct, type_name, (type_name,), (), 0)
        return out

    @cached_property
    def package_var_types(self) -> dict[str, str]:
        """Package-level variables of a struct type declared in this file (`var Global Archer`,
        `var Config AppConfig`): the service's settings, loaded once and read by other packages."""
        structs = self._struct_bodies[0]
        if not structs:
            return {}
        out: dict[str, str] = {}
        for node in self.root.named_children:
            if node.type != "var_declaration":
                continue
            specs = [c for c in node.named_children if c.type == "var_spec"]
            for spec_list in (c for c in node.named_children if c.type == "var_spec_list"):
                specs += [c for c in spec_list.named_children if c.type == "var_spec"]
            for spec in specs:
                type_node = spec.child_by_field_name("type")
                while type_node is not None and type_node.type == "pointer_type" and type_node.named_child_count:
                    type_node = type_node.named_children[0]
                names = spec.children_by_field_name("name")
                if type_node is None and len(names) == 1:
                    # round 19 (orchestrator): `var Config = newConfiguration()`, a constructor of this file
                    # returning `*Configuration`: the variable holds that type's defaults
                    type_node = self._constructed_type_r19(spec.child_by_field_name("value"))
                if type_node is None or len(names) != 1 or node_text(type_node) not in structs:
                    continue
                out[node_text(names[0])] = node_text(type_node)
        return out

    def _setter_defaults_r19(self) -> list[tuple[tuple[str, ...], Expr]]:
        """mailgun/holster's `setter.SetDefault(&c.Behaviors.BatchTimeout, time.Millisecond*500)` in `func (c
        *Config) SetDefaults()` (gubernator): the field's default is the last value handed (SetDefault keeps
        the first non-zero one), keyed by the receiver's type and by the nested field's own type
        (`Behaviors BehaviorConfig` -> (BehaviorConfig, BatchTimeout))."""
        out: list[tuple[tuple[str, ...], Expr]] = []
        setters = {alias for alias, path in self.imports.items()
                   if re.fullmatch(r"github\.com/mailgun/holster(/v\d+)?/setter", path)}
        if not setters or b"SetDefault(" not in self.data:
            return out
        for call in self.calls:
            if call.name != "SetDefault" or len(call.args) < 2 or (call.callee or "").split(".", 1)[0] not in setters:
                continue
            if not node_text(call.args[0]).lstrip().startswith("&"):
                continue
            target = inner_expression(call.args[0])  # (`&` unwrapped)
            if target.type == "unary_expression":
                target = inner_expression(target.child_by_field_name("operand"))
            if target.type != "selector_expression":
                continue
            parts = re.sub(r"\s+", "", node_text(target)).split(".")
            if len(parts) < 2 or not all(p.isidentifier() for p in parts) or not self._in_defaults_function(call.node):
                continue
            owners = self.receiver_struct_types.get(parts[0], [])[:1] or \
                self._method_receiver_type(call.node, parts[0])
            if not owners:
                continue
            expr = self._inline(self.to_expr(call.args[-1]))
            if evaluate(expr, lambda n: None).value is None:
                continue
            out.append(((owners[0], *parts[1:]), expr))
            if len(parts) >= 3:
                inner = self.struct_field_types.get(parts[-2])
                if inner:
                    out.append(((inner, parts[-1]), expr))
        return out

    def _constructed_type_r19(self, value: ts.Node | None) -> ts.Node | None:
        """The struct type a package variable's initializer `newConfiguration()` returns (a function of
        this file without arguments), or None."""
        items = value.named_children if value is not None and value.type == "expression_list" else [value]
        if len(items) != 1 or items[0] is None or items[0].type != "call_expression":
            return None
        function = items[0].child_by_field_name("function")
        arguments = items[0].child_by_field_name("arguments")
        if function is None or function.type != "identifier" or arguments is None or arguments.named_child_count:
            return None
        fn = self.functions.get(node_text(function))
        result = fn.child_by_field_name("result") if fn is not None and fn.type == "function_declaration" else None
        while result is not None and result.type == "pointer_type" and result.named_child_count:
            result = result.named_children[0]
        return result if result is not None and result.type == "type_identifier" else None

    def getter_field_defaults(self) -> dict[str, Expr]:
        """`func (c *config) GetSatori() *SatoriConfig { return c.Satori }` with `func NewSatoriConfig()
        *SatoriConfig { return &SatoriConfig{HttpTimeoutMs: 10_000} }`: a reader elsewhere of
        `config.GetSatori().HttpTimeoutMs` gets the default constructor's value, published as
        `$getter:GetSatori/HttpTimeoutMs` (fields named for timeouts and retries; a getter two types
        answer differently is left out)."""
        if b"func New" not in self.data and b"func Default" not in self.data and b"func default" not in self.data:
            return {}
        defaults: dict[str, dict[str, ts.Node]] = {}  # type -> field -> value of its default constructor
        getters: dict[str, set[str]] = {}  # getter name -> the types it returns
        for fn in self.root.named_children:
            if fn.type not in ("function_declaration", "method_declaration"):
                continue
            name, params, result, body = (fn.child_by_field_name(k) for k in ("name", "parameters", "result", "body"))
            if name is None or body is None or result is None or (params is not None and params.named_child_count):
                continue
            returned_type = node_text(result).lstrip("*").strip()
            if not returned_type.isidentifier():
                continue
            statements = [c for c in body.named_children if c.type != "comment"]
            if len(statements) == 1 and statements[0].type == "statement_list":
                statements = [c for c in statements[0].named_children if c.type != "comment"]
            if not statements or statements[-1].type != "return_statement" or not statements[-1].named_child_count:
                continue
            returned = inner_expression(statements[-1].named_children[0])
            if returned.type == "expression_list" and returned.named_child_count == 1:
                returned = inner_expression(returned.named_children[0])
            if fn.type == "function_declaration" and re.match(r"(New|Default|default|new)", node_text(name)):
                if returned.type == "unary_expression":
                    returned = inner_expression(returned.child_by_field_name("operand"))
                comp = next((c for c in self.composites if c.node.id == returned.id), None)
                if comp is not None and comp.type_name == returned_type and len(statements) == 1:
                    defaults.setdefault(returned_type, comp.fields)
            elif fn.type == "method_declaration" and node_text(name).startswith("Get") and \
                    returned.type == "selector_expression":
                getters.setdefault(node_text(name), set()).add(returned_type)
        out: dict[str, Expr] = {}
        structs = self._struct_bodies[0]
        for getter, types in getters.items():
            if len(types) != 1 or next(iter(types)) not in defaults:
                continue
            type_name = next(iter(types))
            for field, value in defaults[type_name].items():
                if field.isidentifier() and _DURATION_FIELD.search(field):
                    expr = self.to_expr(value)
                    if not isinstance(expr, (Unknown, Str)):
                        out[f"$getter:{getter}/{field}"] = self._substitute(expr, at=value)
            # a retry count the default leaves out is Go's zero: no retries (`RetryCount int`)
            listing = next((c for c in structs[type_name].named_children if c.type == "field_declaration_list"),
                           None) if type_name in structs else None
            for decl in listing.named_children if listing is not None else []:
                type_node = decl.child_by_field_name("type") if decl.type == "field_declaration" else None
                if type_node is None or not re.fullmatch(r"u?int(8|16|32|64)?", node_text(type_node)):
                    continue
                for name_node in decl.children_by_field_name("name"):
                    field = node_text(name_node)
                    if re.search(r"(?i)retr|attempt", field) and field not in defaults[type_name]:
                        out.setdefault(f"$getter:{getter}/{field}", Num(0))
        return out

    def nested_fields(self) -> dict[str, Expr]:
        """`type Engine struct { Config EngineConfig }` with `EngineConfig{ OzoneEventTimeout time.Duration }`:
        another file of the package reads `eng.Config.OzoneEventTimeout` without seeing the field's type,
        so `$flag:Engine/Config/OzoneEventTimeout` stands for what the service gives EngineConfig's field
        where it builds one (`$field:engine.EngineConfig/OzoneEventTimeout`, see `constructed_fields`)."""
        folder = _package_folder(Path(self.path).parent.as_posix()) if "/" in self.path else ""
        if not folder:
            return {}
        structs = self._struct_bodies[0]
        out: dict[str, Expr] = {}

        def fields(struct: ts.Node) -> Iterator[tuple[str, ts.Node | None]]:
            for _, names, type_node in _field_declarations(struct):
                for name in names:
                    yield name, type_node

        by_path: dict[str, Expr] = {}
        clashing: set[str] = set()
        for outer, body in structs.items():
            for field, type_node in fields(body):
                inner = node_text(type_node) if type_node is not None and type_node.type == "type_identifier" else ""
                if inner not in structs or inner == outer:
                    continue
                for leaf, _ in fields(structs[inner]):
                    if _DURATION_FIELD.search(leaf):
                        out[f"$flag:{outer}/{field}/{leaf}"] = Ref(f"$field:{folder}.{inner}/{leaf}")
                        # round 15 (headscale): `cfg, _ := types.LoadCLIConfig(); cfg.CLI.Timeout` in another
                        # package asks `types.$flag:CLI/Timeout` (the loader's return type unseen there): the
                        # path alone, as viper_field_defaults publishes it, when one type holds it
                        ref = Ref(f"$field:{folder}.{inner}/{leaf}")
                        if by_path.setdefault(f"$flag:{field}/{leaf}", ref) != ref:
                            clashing.add(f"$flag:{field}/{leaf}")
        for key, ref in by_path.items():
            if key not in clashing:
                out.setdefault(key, ref)
        return out

    def constructed_fields(self) -> dict[str, Expr]:
        """`proxy.Timeouts{Dial: opts.Timeouts.Dial}` in main.go: the value the service gives a field
        of another package's type where it builds it, as `$field:proxy.Timeouts/Dial`, for that
        package's files reading `h.Timeouts.Dial` (durations and counts only, not strings or values
        of other types; the first construction found wins)."""
        out: dict[str, Expr] = {}
        if b"{" not in self.data:
            return out
        own_folder = self._own_folder_r20()
        clashing: set[str] = set()
        for comp in self.composites:
            alias, _, own = comp.type_name.partition(".")
            if not own and own_folder and alias.isidentifier() and (alias[:1].isupper() or alias not in _GO_BUILTINS):
                # (round 20, zoekt: an unexported type too, `gitIndexConfig{timeout: s.timeout}` read in index.go)
                # `NewServer(Config{RecordEventTimeout: cmd.Duration("record-event-timeout")})` in main.go: a
                # type of this package, read in another of its files (`config.RecordEventTimeout` on a
                # parameter `config Config`); built in a function (package-level `Default...` values
                # are read as defaults elsewhere), and only where every construction agrees
                if not self.enclosing_functions(comp.node):
                    continue
                folder, own = own_folder, alias
                local = True
            else:
                local = False
                path = self.imports.get(alias)
                if not own or path is None or not outside_stdlib(path) or alias in self.packages:
                    continue  # the standard library's and known libraries' types are read by their detectors
                folder = _package_folder(path)
            for field, value in comp.fields.items():
                if not field.isidentifier() or value.type in ("composite_literal", "unary_expression", "func_literal"):
                    continue
                if local and value.type == "identifier" and self.parameter_type(node_text(value), value):
                    continue  # `&Live{retryCount: retryCount}` in NewLive(..., retryCount int): the caller's value
                expr = self.to_expr(value)
                if not local and own == "Duration" and field == "Duration":
                    # round 20 (unpackerr): `cnfg.Duration{Duration: time.Minute + time.Second}` for one setting,
                    # `cnfg.Duration{Duration: defaultTimeout}` for another: a duration wrapper type's own field is
                    # no setting's default (every setting of that type would read the first one built)
                    continue
                if isinstance(expr, (Unknown, Str)) or not ("time." in node_text(value) or _DURATION_FIELD.search(field)
                                                              or isinstance(self._substitute(expr, at=value), Num)):
                    continue
                substituted = self._substitute(expr, at=value)
                if isinstance(substituted, Call) and substituted.func == "coalesce" and \
                        all(isinstance(a, Ref) for a in substituted.args) and not _DURATION_FIELD.search(field):
                    continue  # a value this file cannot tell is a duration or a count
                key = f"$field:{folder}.{own}/{field}"
                if local and key in out and out[key] != substituted:
                    clashing.add(key)
                out.setdefault(key, substituted)
        for key in clashing:
            out.pop(key, None)
        return out

    def _constructor_parameters(self, fn: ts.Node) -> dict[str, tuple[int, str]]:
        """A function's parameters by name: (position, type text); a variadic one ends the list."""
        out: dict[str, tuple[int, str]] = {}
        params = fn.child_by_field_name("parameters")
        index = 0
        for decl in params.named_children if params is not None else []:
            if decl.type != "parameter_declaration":
                break
            type_node = decl.child_by_field_name("type")
            names = decl.children_by_field_name("name") or [None]
            for name in names:
                if name is not None:
                    out[node_text(name)] = (index, node_text(type_node))
                index += 1
        return out

    def _key_type_defaults_r20(self) -> dict[str, Expr]:
        """round 20 (vikunja): `OutgoingRequestsTimeoutSeconds.setDefault(30)` on a package constant of a
        project key type (`OutgoingRequestsTimeoutSeconds Key = "outgoingrequests.timeoutseconds"`) whose
        getters read viper: `$field:config.OutgoingRequestsTimeoutSeconds/$keydefault` = 30, for the
        packages reading `config.OutgoingRequestsTimeoutSeconds.GetInt()`. Numbers only; two differ: none."""
        out: dict[str, Expr] = {}
        if b"etDefault(" not in self.data or b"viper" not in self.data:
            return out
        folder = self._own_folder_r20()
        clashing: set[str] = set()
        for call in self.calls:
            if call.name not in ("setDefault", "SetDefault") or len(call.args) != 1 or call.receiver is None or \
                    call.receiver.type != "identifier":
                continue
            name = node_text(call.receiver)
            if not name[:1].isupper() or name not in self.declarations:
                continue
            expr = self._inline(self.to_expr(call.args[0]))
            if not isinstance(evaluate(expr, lambda n: None).value, (int, float)):
                continue
            key = f"$field:{folder}.{name}/$keydefault"
            if out.setdefault(key, expr) != expr:
                clashing.add(key)
        return {k: v for k, v in out.items() if k not in clashing}

    def _own_folder_r20(self) -> str:
        """The folder of this file's package for `$field:` keys; `.` for a package at the scanned root
        (round 20, ghostferry: `&BatchWriter{WriteRetries: f.Config.DBWriteRetries}` in ferry.go, read in
        batch_writer.go)."""
        return _package_folder(Path(self.path).parent.as_posix()) if "/" in self.path else "."

    def _embedded_types_r20(self, type_name: str) -> list[str]:
        """The types a struct of this file embeds (`type Cursor struct { CursorConfig; ... }`)."""
        body = self._struct_bodies[0].get(type_name)
        if body is None:
            return []
        return [node_text(t).lstrip("*") for _, names, t in _field_declarations(body)
                if not names and t is not None and node_text(t).lstrip("*").isidentifier()]

    def _made_type(self, name: str, at: ts.Node) -> str | None:
        """The struct type of this file a local was made as (`config := &Config{...}`)."""
        bound = self.lookup_local(name, at)
        if not hasattr(bound, "type"):
            return None
        made = inner_expression(bound)
        if made.type == "unary_expression" and made.named_child_count:
            made = inner_expression(made.named_children[-1])
        type_node = made.child_by_field_name("type") if made.type == "composite_literal" else None
        type_name = self.type_name(type_node) if type_node is not None else ""
        return type_name if type_name.isidentifier() and type_name in self._struct_names else None

    def constructor_argument_fields(self) -> dict[str, Expr]:
        """round 18: `func NewScaleHandler(c client.Client, ..., globalHTTPTimeout time.Duration) ScaleHandler
        { return &scaleHandler{globalHTTPTimeout: globalHTTPTimeout} }`: the field holds what the
        constructor's callers hand it, `$field:scaling.scaleHandler/globalHTTPTimeout` =
        `$go-arg.scaling.NewScaleHandler:3`, which each call publishes (`constructor_arguments`; the
        callers must agree). Durations and fields named for a wait or a retry bound only."""
        out: dict[str, Expr] = {}
        folder = _package_folder(Path(self.path).parent.as_posix()) if "/" in self.path else ""
        if not folder or b"{" not in self.data:
            return out
        for comp in self.composites:
            if "." in comp.type_name or not comp.type_name.isidentifier():
                continue
            fns = self.enclosing_functions(comp.node)
            fn = fns[-1] if fns else None  # the outermost: a closure reads its constructor's parameters
            if fn is None or fn.type != "function_declaration":
                continue
            params = self._constructor_parameters(fn)
            fname = node_text(fn.child_by_field_name("name"))
            for field, value in comp.fields.items():
                if value.type != "identifier" or node_text(value) not in params or not field.isidentifier():
                    continue
                index, type_text = params[node_text(value)]
                if type_text.lstrip("*") != "time.Duration" and not _DURATION_FIELD.search(field):
                    continue
                out.setdefault(f"$field:{folder}.{comp.type_name}/{field}", Ref(f"$go-arg.{folder}.{fname}:{index}"))
        return out

    def zero_filled_fields(self) -> dict[str, Expr]:
        """round 18: `meta := &datadogMetadata{}; ...; if meta.Timeout == 0 { meta.Timeout = config.GlobalHTTPTimeout }`:
        the value a field of a package type is given when it is unset, as that type's field
        (`$field:scalers.datadogMetadata/Timeout`), for the functions the value is handed to
        (`newDatadogAPIClient(s *datadogMetadata)` reading `s.Timeout`); two fills that differ give none."""
        out: dict[str, Expr] = {}
        folder = _package_folder(Path(self.path).parent.as_posix()) if "/" in self.path else ""
        if not folder or b"== 0" not in self.data and b"<= 0" not in self.data:
            return out
        clashing: set[str] = set()
        for assignment in self.field_assignments:
            if assignment.operand.type != "identifier" or not fills_zero(assignment):
                continue
            bound = self.lookup_local(node_text(assignment.operand), assignment.node)
            if not hasattr(bound, "type"):
                continue
            made = inner_expression(bound)
            if made.type == "unary_expression" and made.named_child_count:
                made = inner_expression(made.named_children[-1])
            type_node = made.child_by_field_name("type") if made.type == "composite_literal" else None
            type_name = self.type_name(type_node) if type_node is not None else ""
            if not type_name.isidentifier() or not (_DURATION_FIELD.search(assignment.field) or "time." in
                                                    node_text(assignment.value)):
                continue
            value = self.to_expr(assignment.value)
            if isinstance(value, (Unknown, Str)):
                continue
            key = f"$field:{folder}.{type_name}/{assignment.field}"
            expr = self._substitute(value, 1, at=assignment.value)
            if out.setdefault(key, expr) != expr:
                clashing.add(key)
        for key in clashing:
            out.pop(key, None)
        return out

    def counted_retry_types(self) -> dict[str, Expr]:
        """round 18: a project backoff type whose method counts its tries against one of its fields and
        stops (`func (c *ConstantBackoff) Next(err error) bool { c.tried++; if c.tried > c.Max { return
        false }; time.Sleep(c.Sleep); return true }`): `$go-retry-type.<folder>.<Type>/<Field>` = the
        tries a value of the field allows beyond it, plus one (`>`: Max re-tries, Max + 1 tries: 2; `>=`:
        1), for the files that build one (`&backoff.ConstantBackoff{Max: n}`, detectors/retry.py)."""
        out: dict[str, Expr] = {}
        folder = _package_folder(Path(self.path).parent.as_posix()) if "/" in self.path else ""
        if not folder or b"++" not in self.data or b"return false" not in self.data:
            return out
        for fn in self.root.named_children:
            if fn.type != "method_declaration":
                continue
            receiver, body = fn.child_by_field_name("receiver"), fn.child_by_field_name("body")
            decl = receiver.named_children[0] if receiver is not None and receiver.named_children else None
            names = decl.children_by_field_name("name") if decl is not None else []
            type_node = decl.child_by_field_name("type") if decl is not None else None
            if not names or type_node is None or body is None or "Sleep" not in node_text(body):
                continue
            recv = re.escape(node_text(names[0]))
            type_name = node_text(type_node).lstrip("*")
            text = node_text(body)
            for counted in re.finditer(rf"\b{recv}\.(\w+)\s*\+\+", text):
                for m in re.finditer(rf"if\s+{recv}\.{counted.group(1)}\s*(>=?)\s*{recv}\.(\w+)\s*\{{\s*return\s+false\b",
                                     text):
                    out.setdefault(f"$go-retry-type.{folder}.{type_name}/{m.group(2)}", Num(2.0 if m.group(1) == ">" else 1.0))
        return out

    def _published_argument(self, arg: ts.Node, name: str) -> Expr | None:
        """What a call of the project function ``name`` publishes for one argument (`constructor_arguments`): a
        DSN handed to a function that opens it (`events.OpenReplica(ctx, viper.GetString("replica.dsn"))`, round
        21: its text, for the DSN's timeouts in detectors/sql.py), a URL handed to a constructor that keeps it in
        a field (`_constructor_url_argument`, round 21: a literal, a flag's or an env value's default), or a
        wait-like value (`time.` in it, or a name for a timeout or a retry bound)."""
        if arg.type == "variadic_argument":
            return None
        text = node_text(arg)
        if _DSN_ARGUMENT.search(text) and inner_expression(arg).type not in _STRING_TYPES:
            expr = self.config_string(arg) or self._flag_string_default(arg) or \
                self._substitute(self.to_expr(arg), at=arg)
            return expr if isinstance(expr, (Str, Env)) or isinstance(expr, Call) and expr.func == "coalesce" else None
        if _URL_ARGUMENT.search(text) and name[:3] in ("New", "new"):
            chained = self._parameter_chain(arg)
            if chained is not None:
                return chained
            expr = self._flag_string_default(arg) or self._substitute(self.to_expr(arg), at=arg)
            return expr if isinstance(expr, Str) and "://" in expr.value or isinstance(expr, Env) else None
        if not ("time." in text or _DURATION_FIELD.search(text)):
            return None
        expr = self._substitute(self.to_expr(arg), at=arg)
        return None if isinstance(expr, (Unknown, Str)) else expr

    def _parameter_chain(self, arg: ts.Node) -> Expr | None:
        """(round 22) A URL argument that is the enclosing constructor's own parameter (`func NewPaymentClient(
        baseURL string) *PaymentClient { return &PaymentClient{baseClient: newBaseClient(baseURL, ...)} }`): what
        that constructor's callers hand it (`$go-arg.<folder>.NewPaymentClient:<i>`, published by their files)."""
        inner = inner_expression(arg)
        if inner.type != "identifier" or "/" not in self.path:
            return None
        fn = arg.parent
        while fn is not None and fn.type not in ("function_declaration", "method_declaration", "func_literal"):
            fn = fn.parent
        if fn is None or fn.type != "function_declaration":
            return None
        fn_name = node_text(fn.child_by_field_name("name"))
        if fn_name[:3] not in ("New", "new"):
            return None
        params = fn.child_by_field_name("parameters")
        index, wanted = 0, node_text(inner)
        for decl in params.named_children if params is not None else ():
            if decl.type not in ("parameter_declaration", "variadic_parameter_declaration"):
                continue
            names = decl.children_by_field_name("name") or [None]
            for one in names:
                if one is not None and node_text(one) == wanted:
                    folder = _package_folder(Path(self.path).parent.as_posix())
                    return Ref(f"$go-arg.{folder}.{fn_name}:{index}") if folder else None
                index += 1
        return None

    def constructor_arguments(self) -> dict[str, Expr]:
        """The other half of `constructor_argument_fields`: each call of a project function, pkg.NewX(..., d)
        or a same-package NewX(..., d), publishes its wait-like arguments (`time.` in them, or a name
        for a timeout or a retry bound) as `$go-arg.<folder>.<Func>:<position>`; two calls of this file
        handing different values give none."""
        out: dict[str, Expr] = {}
        clashing: set[str] = set()
        own_folder = _package_folder(Path(self.path).parent.as_posix()) if "/" in self.path else ""
        for call in self.calls:
            fn = call.node.child_by_field_name("function")
            if fn is None:
                continue
            if fn.type == "identifier":
                folder, name = own_folder, node_text(fn)
            elif fn.type == "selector_expression":
                operand = fn.child_by_field_name("operand")
                alias = node_text(operand) if operand is not None and operand.type == "identifier" else ""
                path = self.imports.get(alias)
                if path is None or not outside_stdlib(path) or alias in self.packages:
                    continue
                folder, name = _package_folder(path), node_text(fn.child_by_field_name("field"))
            else:
                continue
            if not folder or not name[:1].isalpha() or (fn.type == "identifier" and name in _GO_BUILTINS):
                continue
            for index, arg in enumerate(call.args):
                expr = self._published_argument(arg, name)
                if expr is None:
                    continue
                key = f"$go-arg.{folder}.{name}:{index}"
                if out.setdefault(key, expr) != expr:
                    clashing.add(key)
        for key in clashing:
            out[key] = Unknown(f"{key}: calls differ")
        return out

    def alias_symbols(self) -> dict[str, Expr]:
        """`type Config = configtypes.Proxy`: the package's files read `s.config.Timeout` of the alias
        (`$flag:Config/Timeout`); the aliased type's defaults are published by its own package, so
        the alias stands for them, field by field, for the fields that carry timeouts and retries."""
        if b"=" not in self.data or b"type" not in self.data:
            return {}
        out: dict[str, Expr] = {}
        for node in self.root.named_children:
            if node.type != "type_declaration":
                continue
            for alias in node.named_children:
                if alias.type != "type_alias":
                    continue
                name, target = alias.child_by_field_name("name"), alias.child_by_field_name("type")
                if name is None or target is None or target.type != "qualified_type":
                    continue
                type_name = node_text(target)
                for field_name in _ALIASED_FIELDS:
                    expr = self._imported_field(type_name, [field_name])
                    if expr is not None:
                        out[f"$flag:{node_text(name)}/{field_name}"] = expr
        return out

    @cached_property
    def _struct_names(self) -> set[str]:
        return {node_text(n.child_by_field_name("name")) for n in ts.walk(self.root)
                if n.type == "type_spec" and n.child_by_field_name("name") is not None
                and n.child_by_field_name("type") is not None
                and n.child_by_field_name("type").type == "struct_type"}

    def settle(self, expr: Expr, as_duration: bool = True) -> tuple[float | None, str]:
        result = evaluate(expr, self._lookup)
        value = result.value
        if isinstance(value, str):
            number = parse_go_duration(value) if as_duration else None
            if number is None:
                try:
                    number = float(value)
                except ValueError:
                    return None, "unresolved"
            value = number
        if not isinstance(value, (int, float)):
            return None, "unresolved"
        return float(value), result.resolved_from

    def duration(self, node: ts.Node | None) -> ValueInfo:
        """A duration setting: ms if this file settles it, else a Pending for the pipeline."""
        if node is None:
            return ValueInfo(None, "unresolved", "")
        node = inner_expression(node)
        expression = re.sub(r"\s+", " ", node_text(node)).strip()
        expr = self.to_expr(node)
        if node.type in ("int_literal", "float_literal"):
            expr = BinOp("/", expr, Num(1_000_000))  # a bare number is nanoseconds
        if id(expr) in self._unsettled_fills:
            # `timeout := r.fetchTimeout; if timeout <= 0 { timeout = d }`: the pipeline values the setting
            # first (its default elsewhere), the fill-in only when the setting stays unknown
            return ValueInfo(None, "unresolved", expression, (Pending("timeout_ms", self._substitute_fill(expr, node), 1.0),))
        value, source = self.settle(expr)
        if value is not None:
            # an env default stays pending: the deployment (compose, .env, Kubernetes env, the
            # user's env: config) may set the variable, and the pipeline evaluates it again
            pending = (Pending("timeout_ms", self._substitute(expr, at=node), 1.0),) if source == "env_default" else ()
            return ValueInfo(normalise_ms(value), source, expression, pending)  # type: ignore[arg-type]
        return ValueInfo(None, "unresolved", expression, (Pending("timeout_ms", self._substitute(expr, at=node), 1.0),))

    def count(self, node: ts.Node | None, offset: float = 0.0, attribute: str = "max_attempts") -> ValueInfo:
        """A count (retries, attempts) plus `offset` (retries + 1 = attempts)."""
        if node is None:
            return ValueInfo(None, "unresolved", "")
        expression = re.sub(r"\s+", " ", node_text(node)).strip()
        expr = self.to_expr(node)
        if offset:
            expr = BinOp("+", expr, Num(offset))
        value, source = self.settle(expr, as_duration=False)
        if value is not None:
            return ValueInfo(normalise_ms(value), source, expression)  # type: ignore[arg-type]
        return ValueInfo(None, "unresolved", expression, (Pending(attribute, self._substitute(expr, at=node), 1.0),))

    def parameter_type(self, name: str, at: ts.Node | None) -> str | None:
        """The declared type of parameter `name` of the function around `at` (pointers stripped), or
        of a function enclosing it (a closure reads its outer function's `w *Webhook`)."""
        for fn in self.enclosing_functions(at) if at is not None else []:
            params = fn.child_by_field_name("parameters")
            for decl in params.named_children if params is not None else []:
                if decl.type != "parameter_declaration":
                    continue
                if any(node_text(n) == name for n in decl.children_by_field_name("name")):
                    type_node = decl.child_by_field_name("type")
                    while type_node is not None and type_node.type == "pointer_type" and type_node.named_child_count:
                        type_node = type_node.named_children[0]
                    return self.type_name(type_node) if type_node is not None else None
        return None

    @cached_property
    def field_config_tags(self) -> dict[str, str]:
        """Fields of this file's structs -> the key their decoding tag gives (a field
        `ReadTimeout` tagged `yaml:"read_ms"` -> readms), normalised like goconfig's keys; a field two
        structs tag differently is left out (its name then stands for the key)."""
        out: dict[str, str] = {}
        clashing: set[str] = set()
        if b"`" not in self.data:
            return out
        for node in self.declarations_of_fields_and_parameters["field_declaration"]:
            tag = node.child_by_field_name("tag") if node.type == "field_declaration" else None
            found = _CONFIG_TAG.search(node_text(tag)) if tag is not None else None
            if found is None:
                continue
            key = normalise_config_key(found.group(2))
            for name in node.children_by_field_name("name"):
                field_name = node_text(name)
                if field_name in out and out[field_name] != key:
                    clashing.add(field_name)
                out[field_name] = key
        for name in clashing:
            out.pop(name, None)
        return out

    def config_keys(self, parts: list[str], at: ts.Node | None = None) -> tuple[Expr, ...]:
        """A config field reference (`s.conf.Redis.ReadTimeout`) -> the keys of the service's config
        files (extractors/goconfig) its value may be loaded from, longest first: the exported tail
        of the path (Go's decoders fill exported fields only: `conf` above is where the struct is
        kept, not a key) as a key from the file's top (`$go-config:redis.readtimeout`) and as the
        tail of a deeper key (`$go-config~redis.readtimeout` of `data.redis.read_timeout`), down to
        two names; one name alone only on a value named like a config (`cfg.Timeout`)."""
        fields: list[str] = []
        for part in reversed(parts[1:]):
            if not part[:1].isupper():
                break
            fields.insert(0, part)
        if not fields:
            return ()
        holder = parts[len(parts) - len(fields) - 1]
        keys = [self.field_config_tags.get(f) or normalise_config_key(f) for f in fields]
        out: list[Expr] = []
        for i in range(len(keys)):
            tail = keys[i:]
            if len(tail) >= 2:
                # from the file's top (a sub-struct may be loaded from a file of its own:
                # `WebhooksConfig` from webhooks.yml), then as the tail of a deeper key
                out.append(Ref("$go-config:" + ".".join(tail)))
                out.append(Ref("$go-config~" + ".".join(tail)))
            elif i == 0 and _CONFIG_HOLDER.fullmatch(holder):
                out.append(Ref("$go-config:" + tail[0]))
        if len(parts) == 2 and at is not None:
            # round 18: `c.DialTimeout` on `c *conf.Redis`: Go names a config section's field after its type
            # (`Redis *Redis` loaded from `[redis]`), so the section's key is the type's name (goim)
            declared = self.parameter_type(parts[0], at) or ""
            own = declared.rsplit(".", 1)[-1]
            if own[:1].isupper() and own.isidentifier() and not _CONFIG_TYPE.search(own) and \
                    (declared.split(".", 1)[0] in self.imports or own in self._struct_names):
                key = normalise_config_key(own) + "." + keys[-1]
                out.append(Ref("$go-config:" + key))
                out.append(Ref("$go-config~" + key))
        return tuple(out)

    def _substitute(self, expr: Expr, depth: int = 0, at: ts.Node | None = None) -> Expr:
        """Inline this file's constants so the pipeline only has to look up what is elsewhere."""
        if depth > 12:
            return expr
        if isinstance(expr, Ref):
            found = self._lookup(expr.name)
            if found:
                return self._substitute(found[0], depth + 1)
            if expr.name.startswith("$flagname:"):
                # viper.GetDuration("redis.timeout") with its default elsewhere: the config file first
                key = ".".join(normalise_config_key(k) for k in expr.name[len("$flagname:"):].split("."))
                return Call("coalesce", (Ref("$go-config:" + key), expr))
            parts = expr.name.split(".")
            assigned = self._assigned_field_r20(expr.name, at) if at is not None and len(parts) > 1 else None
            if assigned is not None:
                # round 20 (cauldron): `consumer.DialTimeout = DefaultDialTimeout` earlier in the function
                return self._substitute(self.to_expr(assigned), depth + 1, at=assigned)
            aliased = self._local_selector_alias(parts, at) if depth < 6 else None
            if aliased is not None:
                # round 15 (keel): `cfg := appConfig.Bots.Hipchat` then `cfg.ConnectionAttempts`: the field
                # of the struct the local names, read where it was taken (its parameter's type is known there)
                return self._substitute(Ref(node_text(aliased) + "." + ".".join(parts[1:])), depth + 1, at=aliased)
            getter = re.fullmatch(r"(Get\w*)\(\)", parts[1]) if len(parts) == 3 else None
            if getter is not None and parts[2].isidentifier():
                # `config.GetSatori().HttpTimeoutMs`: the default its type's constructor gives the field
                return Call("coalesce", (expr, Ref(f"$getter:{getter.group(1)}/{parts[2]}")))
            if len(parts) >= 4 and parts[0] in self.imports and re.fullmatch(r"[A-Z]\w*\(\)", parts[1]) and \
                    all(p.isidentifier() for p in parts[2:]) and (at is None or self.lookup_local(parts[0], at) is None):
                # `config.Get().RemoteQuery.Timeout`: the settings that package's getter answers, read like
                # `cfg := config.Get(); cfg.RemoteQuery.Timeout` (its struct tags' and defaults' paths; round 16, wings)
                rest = "/".join(parts[2:])
                return Call("coalesce", (expr, Ref(f"{parts[0]}.$flag:{rest}"), Ref(f"$flag:{rest}")))
            shadowed = at is not None and parts[0] in self.imports and (
                self.parameter_type(parts[0], at) is not None)  # `conf *conf.Data`: the parameter, not the package
            if len(parts) > 1 and (parts[0] not in self.imports or shadowed) and all(p.isidentifier() for p in parts):
                # A config field set elsewhere in the package: its flag default, by the longest tail.
                tails = tuple(Ref("$flag:" + "/".join(parts[i:])) for i in range(1, len(parts)))
                owners = self.receiver_struct_types.get(parts[0], [])
                if not owners and at is not None:
                    # `eng.Config.Timeout` in a method of Engine declared in another file of the package
                    owners = self._method_receiver_type(at, parts[0], own_file=False)
                    if len(owners) == 1:
                        # round 20 (second wave, ghostferry): `func (c *Cursor)` with Cursor embedding
                        # CursorConfig: `c.ReadRetries` is CursorConfig's field too
                        owners = owners + self._embedded_types_r20(owners[0])
                tails = tuple(Ref("$flag:" + "/".join((owner, *parts[1:]))) for owner in owners) + tails
                if owners:
                    # ... or the value its constructor in another file of the package gives it
                    # (`return &Controller{lockTimeout: defaultLockTimeout}`, `$field:controller.Controller/lockTimeout`;
                    # `.` for the scanned folder's own package, round 20)
                    home = self._own_folder_r20()
                    tails = tails + tuple(Ref(f"$field:{home}." + "/".join((owner, *parts[1:]))) for owner in owners)
                # `s.config.Timeout` with `config *Config` declared in this file: Config's own field.
                typed = tuple(Ref("$flag:" + "/".join((self.struct_field_types[parts[i]], *parts[i + 1:])))
                              for i in range(1, len(parts) - 1)
                              if "." not in self.struct_field_types.get(parts[i], "."))
                # ... and the value another package gives that field where it builds the type
                # (`proxy.Timeouts{Dial: d}` in main.go, see `constructed_fields`)
                own_folder = self._own_folder_r20()
                if own_folder:
                    typed += tuple(Ref(f"$field:{own_folder}." + "/".join((self.struct_field_types[parts[i]],
                                                                           *parts[i + 1:])))
                                   for i in range(1, len(parts) - 1)
                                   if "." not in self.struct_field_types.get(parts[i], "."))
                # `s.cfg.QueryTimeout` with `cfg config.Config`: Config's default in the package it is
                # imported from (its struct tag or DefaultConfig()), looked up through the import.
                typed += tuple(self._imported_field(self.struct_field_types[parts[i]], parts[i + 1:])
                               for i in range(1, len(parts) - 1)
                               if self._imported_field(self.struct_field_types.get(parts[i], ""), parts[i + 1:]))
                tails = typed + tails
                # `config.Timeout` on a parameter `config *StackdriverConfig`: that type's own field.
                param_type = self.parameter_type(parts[0], at)
                if param_type and "." not in param_type:
                    tails = (Ref("$flag:" + "/".join((param_type, *parts[1:]))),) + tails
                    if own_folder:  # ... or the value another file of the package gives it where it builds one
                        tails = tails + (Ref(f"$field:{own_folder}." + "/".join((param_type, *parts[1:]))),)
                elif param_type and param_type.split(".", 1)[0] in self.imports:
                    # `c.ConnectTimeout` on `c *config.Configuration`: the default that package's
                    # (or another's) `DefaultConfig()` gives that field, keyed by the import path.
                    alias, own = param_type.split(".", 1)
                    imported = self._imported_field(param_type, parts[1:])
                    tails = ((imported,) if imported else ()) + \
                        (Ref(f"$default:{self.imports[alias]}.{own}/" + "/".join(parts[1:])),) + tails
                filled = self._zero_fill(expr.name, at)
                if filled is not None:
                    tails = tails + (filled,)
                made_by = self._made_by_package(parts[0], at) if at is not None and not param_type else None
                if made_by is None and not param_type and not owners and (at is None or self.lookup_local(parts[0], at) is None):
                    # round 19 (second wave, fabio): `var cfg *config.Config = &config.Config{}` replaced by
                    # SetConfig: a package variable of another package's config type, read as that package's
                    # defaults for the path (`config.$flag:Config/Proxy/DialTimeout`)
                    typed_var = self._imported_var_type_r19b(parts[0])
                    if typed_var is not None:
                        alias, own = typed_var
                        tails = tails + (Ref(f"{alias}.$flag:" + "/".join((own, *parts[1:]))),
                                         Ref(f"$field:{_package_folder(self.imports[alias])}." + "/".join((own, *parts[1:]))))
                if made_by is None and not param_type and not owners and (at is None or self.lookup_local(parts[0], at) is None):
                    own_type = self.package_var_types.get(parts[0])
                    own_folder_ = self._own_folder_r20()
                    if own_type and own_folder_:
                        # round 22 (sftpgo): `var httpConfig Config` set by `Initialize(c)` from the config package,
                        # whose defaults build `httpclient.Config{Timeout: 20, RetryMax: 3}`: the value the service
                        # gives that type's field where it builds one (`$field:httpclient.Config/Timeout`)
                        tails = tails + (Ref("$flag:" + "/".join((own_type, *parts[1:]))),
                                         Ref(f"$field:{own_folder_}." + "/".join((own_type, *parts[1:]))))
                if made_by is not None:
                    # `cfg, _ := config.Load(); cfg.Catalogue.Timeout`: a value that package builds, so the
                    # defaults it publishes for that path (`config.$flag:Catalogue/Timeout`, round 11)
                    tails = tails + (Ref(f"{made_by}.$flag:" + "/".join(parts[1:])),)
                unknown_head = len(parts) > 2 or (at is not None and not owners and not param_type and
                                                   self.lookup_local(parts[0], at) is None)
                if unknown_head and _DISTINCT_FIELD.fullmatch(parts[-1]):
                    if len(parts) >= 3 and parts[-2].isidentifier():
                        # round 19 (gofix2, nats-kafka): `server.config.NATS.ConnectTimeout` on a type of
                        # another file: the one default the service gives the pair (`$go-field.NATS/ConnectTimeout`),
                        # and `x.config.ConnectTimeout` its outermost config type's own field (`^`)
                        tails = tails + (Ref(f"$go-field.{parts[-2]}/{parts[-1]}"),) if parts[-2][:1].isupper() else \
                            tails + ((Ref(f"$go-field.^/{parts[-1]}"),) if _CONFIG_HOLDER_G2.fullmatch(parts[-2]) else ())
                    # last: the one default the service gives a field of that distinct name (round 11)
                    tails = tails + (Ref("$go-field." + parts[-1]),)
                # the service's config files (config.yaml ...) before the defaults the code gives
                return Call("coalesce", (expr, *self.config_keys(parts, at), *tails))
            if len(parts) >= 3 and parts[0] in self.imports and all(p.isidentifier() and p[:1].isupper()
                                                                    for p in parts[1:]):
                # `config.Global.Agent.MaxRetries`: a field of another package's settings variable: the
                # service's config files, then the default that package gives it (`package_var_types`)
                folder = _package_folder(self.imports[parts[0]])
                rest = "/".join(parts[1:])
                return Call("coalesce", (expr, *self.config_keys(parts), Ref(f"{parts[0]}.$flag:{rest}"),
                                         Ref(f"$field:{folder}.{rest}")))
            return expr
        if isinstance(expr, BinOp):
            return BinOp(expr.op, self._substitute(expr.left, depth + 1, at), self._substitute(expr.right, depth + 1, at))
        if isinstance(expr, Env) and expr.default is not None:
            return Env(expr.var, self._substitute(expr.default, depth + 1, at))
        if isinstance(expr, Call) and expr.func == "coalesce" and expr.args and isinstance(expr.args[0], Ref):
            # a constructor's field read through its parameter's type (see `_lookup`): the field's own
            # tails first, then the type's
            return Call("coalesce", (self._substitute(expr.args[0], depth + 1, at), *expr.args[1:]))
        return expr

    def _local_selector_alias(self, parts: list[str], at: ts.Node | None) -> ts.Node | None:
        """The selector a local was bound to (`cfg := appConfig.Bots.Hipchat`), for a read of one of its
        fields (`cfg.ConnectionAttempts`): a chain of names only (no call, no index), bound once."""
        if at is None or len(parts) < 2 or parts[0] in self.imports or not all(p.isidentifier() for p in parts):
            return None
        if self.parameter_type(parts[0], at) is not None:
            return None
        found = [e for fn in self.enclosing_functions(at)[:1] for e in self._bindings(fn).get(parts[0], [])]
        if len(found) != 1 or not hasattr(found[0][1], "type"):
            return None
        bound = inner_expression(found[0][1])  # type: ignore[arg-type]
        if bound.type != "selector_expression" or bound.start_byte >= at.start_byte or \
                not re.fullmatch(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+", node_text(bound)) or \
                node_text(bound).split(".", 1)[0] in (parts[0], *self.imports):
            return None
        return bound

    def _imported_var_type_r19b(self, name: str) -> tuple[str, str] | None:
        """(alias, type) of a package-level variable of this file declared with another project package's
        type (`var cfg *config.Config = &config.Config{}`, `var cfg = config.Config{}`), else None."""
        for node in self.root.named_children:
            if node.type != "var_declaration":
                continue
            specs = [c for c in node.named_children if c.type == "var_spec"]
            for spec_list in (c for c in node.named_children if c.type == "var_spec_list"):
                specs += [c for c in spec_list.named_children if c.type == "var_spec"]
            for spec in specs:
                names = spec.children_by_field_name("name")
                if len(names) != 1 or node_text(names[0]) != name:
                    continue
                type_node = spec.child_by_field_name("type")
                while type_node is not None and type_node.type == "pointer_type" and type_node.named_child_count:
                    type_node = type_node.named_children[0]
                text = node_text(type_node) if type_node is not None else ""
                if not text:
                    value = spec.child_by_field_name("value")
                    made = inner_expression(value.named_children[0]) if value is not None and value.named_children else None
                    if made is not None and made.type == "unary_expression":
                        made = inner_expression(made.child_by_field_name("operand"))
                    text = self.type_name(made.child_by_field_name("type")) if made is not None and \
                        made.type == "composite_literal" else ""
                alias, _, own = text.partition(".")
                path = self.imports.get(alias, "")
                if own.isidentifier() and "/" in path and alias not in self.packages:
                    return alias, own
        return None

    def _constructed_fields_r21(self, fn: ts.Node) -> dict[str, ts.Node]:
        """`func makeOptions(opts ...Option) *options { o := &options{RetryCount: DefaultRetryCount}; ...;
        return o }`: the fields of the literal a function makes and returns (its object's defaults)."""
        body = fn.child_by_field_name("body")
        if body is None:
            return {}
        statements = [c for c in body.named_children if c.type != "comment"]
        if len(statements) == 1 and statements[0].type == "statement_list":
            statements = [c for c in statements[0].named_children if c.type != "comment"]
        last = statements[-1] if statements else None
        if last is None or last.type != "return_statement" or last.named_child_count != 1:
            return {}
        returned = node_text(last.named_children[0]).strip()
        for statement in statements[:-1]:
            if statement.type != "short_var_declaration" or \
                    node_text(statement.child_by_field_name("left")).strip() != returned:
                continue
            right = statement.child_by_field_name("right")
            literal = inner_expression(right.named_children[0]) if right is not None and right.named_children else None
            if literal is not None and literal.type == "unary_expression":
                literal = inner_expression(literal.child_by_field_name("operand"))
            if literal is None or literal.type != "composite_literal":
                return {}
            return dict(next((c.fields for c in self.composites if c.node.id == literal.id), {}))
        return {}

    def constructed_symbols_r21(self) -> dict[str, Expr]:
        """`$constructed.<Func>/<Field>` for the timeout / retry fields of the object a function makes and
        returns (read where a local of another file of the package holds its result)."""
        out: dict[str, Expr] = {}
        for fn in self.root.named_children:
            if fn.type != "function_declaration" or fn.child_by_field_name("name") is None:
                continue
            for field, value in self._constructed_fields_r21(fn).items():
                if _DURATION_FIELD.search(field):
                    expr = self.to_expr(value)
                    if not isinstance(expr, Unknown):
                        out[f"$constructed.{node_text(fn.child_by_field_name('name'))}/{field}"] = expr
        return out

    def _constructor_default_r21(self, name: str, field: str, at: ts.Node) -> Expr | None:
        """Round 21 (rekor's GetRekorClient): `o := makeOptions(opts...)` then `retryableClient.RetryMax =
        int(o.RetryCount)`, `makeOptions` making `&options{RetryCount: DefaultRetryCount}`, applying the options
        and returning it: the options object's default for the field (rule a; the options a caller gives
        are its own contracts). In another file of the package: through `$constructed.<Func>/<Field>`."""
        bound = self.lookup_local(name, at)
        if not hasattr(bound, "type") or bound.type != "call_expression":
            return None
        holder = bound.parent.parent if bound.parent is not None and bound.parent.type == "expression_list" else None
        if holder is None or holder.type != "short_var_declaration" or \
                node_text(holder.child_by_field_name("left")).strip() != name:
            return None  # only `o := makeOptions(opts...)`, not a fill-in of a parameter left nil (`cfg = Default()`)
        function = bound.child_by_field_name("function")
        if function is None or function.type != "identifier" or self.lookup_local(node_text(function), at) is not None \
                or node_text(function) in ("new", "make", "append", "len", "min", "max"):
            return None
        fns = self.enclosing_functions(at)
        if fns and re.search(rf"\b{re.escape(name)}\.\w+(\.\w+)*\s*=[^=]", node_text(fns[-1])):
            return None  # the function fills the object's fields itself: read as it does
        fn = next((f for f in self.root.named_children if f.type == "function_declaration"
                   and node_text(f.child_by_field_name("name")) == node_text(function)), None)
        if fn is None:
            return Call("coalesce", (Ref(f"$constructed.{node_text(function)}/{field}"), Ref(f"{name}.{field}")))
        value = self._constructed_fields_r21(fn).get(field)
        expr = self.to_expr(value) if value is not None else None
        return None if expr is None or isinstance(expr, Unknown) else expr

    def _made_by_package(self, name: str, at: ts.Node) -> str | None:
        """The import alias of the project package whose function built local `name` (`cfg, err :=
        config.Load()` -> "config"), or None."""
        bound = self.lookup_local(name, at)
        if bound is None or not hasattr(bound, "type") or inner_expression(bound).type != "call_expression":
            return None
        function = inner_expression(bound).child_by_field_name("function")
        operand = function.child_by_field_name("operand") if function is not None and \
            function.type == "selector_expression" else None
        if operand is None or operand.type != "identifier":
            return None
        alias = node_text(operand)
        path = self.imports.get(alias, "")
        return alias if "/" in path and alias not in self.packages else None

    def _zero_filled(self, expr: Expr, at: ts.Node, depth: int = 0) -> Expr | None:
        """`expr` with each config field in it replaced by the value the function around `at` fills
        in when it is unset (`_zero_fill`); None when no field of it is filled in there."""
        if depth > 6:
            return None
        if isinstance(expr, Ref):
            return self._zero_fill(expr.name, at)
        if isinstance(expr, BinOp):
            left = self._zero_filled(expr.left, at, depth + 1)
            right = self._zero_filled(expr.right, at, depth + 1)
            if left is None and right is None:
                return None
            return BinOp(expr.op, left if left is not None else expr.left, right if right is not None else expr.right)
        return None

    def _assigned_field_r20(self, name: str, at: ts.Node) -> ts.Node | None:
        """round 20 (cauldron): `consumer := new(Consumer); consumer.DialTimeout = DefaultDialTimeout; ...;
        config.Net.DialTimeout = consumer.DialTimeout`: the value the same function gave the field
        earlier, unconditionally (in a block around the read, not in a branch or a closure of its own;
        options applied in between may replace it, so it is the default), or None."""
        fns = self.enclosing_functions(at)
        if not fns or b"." not in self.data:
            return None
        fn = fns[0]
        found = None
        for assignment in self.field_assignments:
            node = assignment.node
            if not (fn.start_byte <= node.start_byte and node.end_byte <= at.start_byte):
                continue
            if len(assignment.node.child_by_field_name("left").named_children) != 1 or \
                    node_text(node.child_by_field_name("operator")) != "=" or fills_zero(assignment):
                continue
            if re.sub(r"\s+", "", node_text(assignment.operand)) + "." + assignment.field != name:
                continue
            inner = self.enclosing_functions(node)
            if not inner or inner[0].id != fn.id:
                continue
            block = next((a for a in ts.ancestors(node) if a.type == "block"), None)
            if block is None or not (block.start_byte <= at.start_byte < block.end_byte):
                found = None  # set again in a branch: no single value
                continue
            found = assignment.value
        if found is None or isinstance(self.to_expr(found), Unknown):
            return None
        return found

    def _zero_fill(self, name: str, at: ts.Node | None) -> Expr | None:
        """`if conf.IOTimeout == 0 { conf.IOTimeout = defaultRedisIOTimeout }` earlier in the function
        that reads `conf.IOTimeout`: the default it fills in, when nothing else gives the field a value."""
        fns = self.enclosing_functions(at) if at is not None else []
        if not fns:
            return None
        fn = fns[-1]
        for assignment in self.field_assignments:
            if not (fn.start_byte <= assignment.node.start_byte and assignment.node.end_byte <= at.start_byte):
                continue
            target = re.sub(r"\s+", "", node_text(assignment.operand)) + "." + assignment.field
            if target == name and fills_zero(assignment):
                value = self.to_expr(assignment.value)
                return None if isinstance(value, Unknown) else self._substitute(value, 1, at=assignment.value)
        return None

    def _imported_field(self, type_name: str, path: list[str]) -> Expr | None:
        """`config.Config` + [QueryTimeout] -> the field's default as the imported package publishes
        it: through the import (`config.$flag:Config/QueryTimeout`), or by the package's folder name
        (`$field:config.Config/QueryTimeout`, see `field_symbols`) when the service's folders do not
        end with the import path (a module `github.com/acme/orders` kept in `services/orders/`)."""
        alias, _, own = type_name.partition(".")
        if not own or alias not in self.imports or not path or not own.isidentifier():
            return None
        folder = _package_folder(self.imports[alias])
        return Call("coalesce", (Ref(f"{alias}.$flag:{own}/" + "/".join(path)),
                                 Ref(f"$field:{folder}.{own}/" + "/".join(path))))

    def string_value(self, node: ts.Node | None) -> tuple[str, str] | None:
        """A string this file settles: literal, constant, or env default -> (value, provenance)."""
        if node is None:
            return None
        result = evaluate(self.to_expr(node), self._lookup)
        if isinstance(result.value, str):
            return result.value, result.resolved_from
        return None

    # --- URLs ------------------------------------------------------------------------------

    def url_ref(self, node: ts.Node | None, depth: int = 0) -> TargetRef | None:
        """Where a URL expression points: a literal URL, or a Pending("url") on its base."""
        if node is None or depth > 8:
            return None
        node = inner_expression(node)
        t = node.type
        d = depth + 1
        if t in _STRING_TYPES:
            value = unquote(node_text(node)) or ""
            return TargetRef(target=Target(url=value)) if value else None
        if t == "binary_expression" and node_text(node.child_by_field_name("operator")) == "+":
            left = node.child_by_field_name("left")
            base = self.url_ref(left, d)
            suffix = self.string_value(node.child_by_field_name("right"))
            if base is not None and base.target is not None and suffix is not None:
                return TargetRef(target=Target(url=(base.target.url or "") + suffix[0]))
            if base is not None and base.target is not None and re.fullmatch(r"[a-z+]*:?/*", base.target.url or ""):
                return self.url_ref(node.child_by_field_name("right"), d)  # "http://" + addr: the host is addr
            if base is not None and base.pending is not None and suffix is not None and suffix[0].startswith("/"):
                return replace(base, path=(base.path or "") + suffix[0])
            return base
        if t == "call_expression":
            call = self.call_at(node)
            if call is None:
                return None
            if call.qualified in ("fmt.Sprintf",) and call.args:
                fmt_value = self.string_value(call.args[0])
                if fmt_value is None:
                    return None
                fmt = fmt_value[0]
                if fmt.startswith(("%s", "%v")) and len(call.args) > 1:
                    base = self.url_ref(call.args[1], d)
                    rest = fmt[2:]
                    if base is not None and base.pending is not None and rest.startswith("/"):
                        return replace(base, path=re.sub(r"%[-+#0-9.]*[sdvq]", "{}", rest))
                    return base
                if re.match(r"[a-z+]+://%[sv]", fmt) and len(call.args) > 1:
                    return self.url_ref(call.args[1], d)  # "http://%s/score": the host is the argument
                return TargetRef(target=Target(url=re.sub(r"%[-+#0-9.]*[sdvq]", "{}", fmt)))
            if call.qualified in ("url.JoinPath",) and call.args:
                return self.url_ref(call.args[0], d)
            if call.qualified == "os.Getenv" or self.is_env_helper(call):
                expr = self.to_expr(node)
                return TargetRef(pending=Pending("url", expr, None))
            configured = self.config_string(node)
            if configured is not None:  # (round 21, lead) `viper.GetString("payment.url")`: the config file's value
                return TargetRef(pending=Pending("url", configured, None))
            return self._returned_url(node, d)
        if t == "identifier":
            bound = self.lookup_local(node_text(node), node)
            if isinstance(bound, _Opaque):
                return None
            if bound is not None:
                return self.url_ref(bound, d)  # type: ignore[arg-type]
            decl = self.declarations.get(node_text(node), "absent")
            if decl not in ("absent", None):
                return self.url_ref(decl, d)  # type: ignore[arg-type]
            return TargetRef(pending=Pending("url", Ref(node_text(node)), None))
        if t == "selector_expression":
            operand = node.child_by_field_name("operand")
            field_name = node_text(node.child_by_field_name("field"))
            if operand is not None and operand.type == "identifier" and self.package_of(node_text(operand), node):
                return TargetRef(pending=Pending("url", Ref(node_text(node)), None))
            # c.baseURL: the one value this file ever gives that field
            values = self.keyed_values.get(field_name, [])
            handed = self._constructor_url_argument(values[0]) if len(values) == 1 else None
            if handed is not None:
                return handed
            refs = {r.key: r for r in (self.url_ref(v, d) for v in values) if r is not None}
            if len(refs) == 1:
                return next(iter(refs.values()))
            # `cfg.PaymentURL` on `cfg config.Config`: also the field's default where Config is declared
            return TargetRef(pending=Pending("url", self._substitute(Ref(re.sub(r"\s+", "", node_text(node))),
                                                                     at=node), None))
        return None

    def config_string(self, node: ts.Node | None) -> Expr | None:
        """`viper.GetString("payment.url")` (any receiver's GetString with a literal key): the config file's value
        (`$go-config:`), else the flag's default (round 21, lead)."""
        call = self.call_at(inner_expression(node)) if node is not None else None
        if call is None or call.name != "GetString" or call.receiver is None or len(call.args) != 1:
            return None
        key = self.string_value(call.args[0])
        if key is None:
            return None
        dotted = ".".join(normalise_config_key(k) for k in key[0].lower().split("."))
        return Call("coalesce", (Ref("$go-config:" + dotted), Ref("$flagname:" + key[0].lower())))

    def _flag_string_default(self, arg: ts.Node) -> Str | None:
        """`*paymentURL` of `paymentURL := flag.String("payment-url", "http://payment:8080", "usage")` (or
        pflag's `StringP`): the flag's default string."""
        arg = inner_expression(arg)
        if arg.type != "unary_expression" or node_text(arg.child_by_field_name("operator")) != "*":
            return None
        operand = arg.child_by_field_name("operand")
        bound = self.lookup_local(node_text(operand), arg) if operand is not None and operand.type == "identifier" else None
        call = self.call_at(inner_expression(bound)) if hasattr(bound, "type") else None
        if call is None or call.receiver is None or call.name not in ("String", "StringP"):
            return None
        at = 1 if call.name == "String" else 2
        if len(call.args) != at + 2 or inner_expression(call.args[at]).type not in _STRING_TYPES:
            return None
        return Str(unquote(node_text(inner_expression(call.args[at]))) or "")

    def _constructor_url_argument(self, value: ts.Node) -> TargetRef | None:
        """round 21 (lead, polyglot18): `func NewClient(baseURL string, opts Options) *Client { return
        &Client{baseURL: baseURL, ...} }` read as `c.baseURL`: the URL is what the constructor's callers
        hand it (`payment.NewClient(*paymentURL, ...)` with a flag default, an env value), published by
        each call as `$go-arg.<folder>.<Func>:<position>` (`constructor_arguments`)."""
        if value.type != "identifier" or "/" not in self.path:
            return None
        fns = self.enclosing_functions(value)
        fn = fns[-1] if fns else None
        if fn is None or fn.type != "function_declaration":
            return None
        param = self._constructor_parameters(fn).get(node_text(value))
        if param is None or param[1] != "string":
            return None
        folder = _package_folder(Path(self.path).parent.as_posix())
        fname = node_text(fn.child_by_field_name("name"))
        if not folder or not fname:
            return None
        return TargetRef(pending=Pending("url", Ref(f"$go-arg.{folder}.{fname}:{param[0]}"), None))

    def _returned_url(self, call: ts.Node, depth: int) -> TargetRef | None:
        """`baseURL()`, a function of this file without arguments that returns the service's URL: an env
        value or a literal default (`if u := os.Getenv("PAYMENT_URL"); u != "" { return u }; return
        "http://payment:8080"`) points where the literal does, as an env variable's default does."""
        function = call.child_by_field_name("function")
        arguments = call.child_by_field_name("arguments")
        if function is None or function.type != "identifier" or arguments is None or arguments.named_child_count:
            return None
        fn = self.functions.get(node_text(function))
        body = fn.child_by_field_name("body") if fn is not None and fn.type == "function_declaration" else None
        if body is None:
            return None
        refs = []
        for node in descendants(body, skip_functions=True):
            if node.type == "return_statement" and node.named_child_count == 1:
                values = node.named_children[0]
                value = values.named_children[0] if values.type == "expression_list" and values.named_child_count == 1 else values
                ref = self.url_ref(value, depth)
                if ref is not None:
                    refs.append(ref)
        concrete = {r.target.url for r in refs if r.target is not None and r.target.url}
        if len(concrete) == 1:
            return next(r for r in refs if r.target is not None)
        return refs[0] if len(refs) == 1 else None

    # --- findings --------------------------------------------------------------------------

    def finding(self, kind: str, node: ts.Node, detector: str, attributes: dict, *,
                confidence: str = "high", target: TargetRef | None = None,
                pending: tuple[Pending, ...] = (), evidence_node: ts.Node | None = None) -> Finding:
        line, column, end_line, end_column = ts.location(node)
        evidence = node_text(evidence_node or node).strip().splitlines()
        all_pending = tuple(pending)
        if target is not None and target.pending is not None:
            all_pending += (target.pending,)
        return Finding(kind=kind, path=self.path, line=line, column=column, end_line=end_line,
                       end_column=end_column, language=LANGUAGE, detector=detector,
                       confidence=confidence, attributes=dict(attributes),
                       evidence=(evidence[0].strip() if evidence else "")[:200],
                       target=target.target if target is not None else None, pending=all_pending)


def with_target(finding: Finding, target: TargetRef) -> Finding:
    if finding.target is not None or any(p.attribute == "url" for p in finding.pending):
        return finding
    if target.target is not None:
        return replace(finding, target=target.target)
    return replace(finding, pending=finding.pending + ((target.pending,) if target.pending else ()))


# A Kubernetes API type's default marker in the comment above a field (controller-gen writes it into the
# CRD's OpenAPI schema, so the API server fills it in): `// +kubebuilder:default="60s"`, `// +default="60s"`.
_MARKER_DEFAULT = re.compile(r'^//\s*\+(?:kubebuilder:)?default(?::)?=\s*"?([^"\s]*)"?\s*$')


def _marker_default(decl: ts.Node) -> re.Match | None:
    """The kubebuilder default marker among the comment lines right above a struct field (round 18,
    Flux's source-controller: `Timeout *metav1.Duration` marked `+kubebuilder:default="60s"`)."""
    below, comment = decl, decl.prev_named_sibling
    while comment is not None and comment.type == "comment" and comment.end_point[0] + 1 >= below.start_point[0]:
        found = _MARKER_DEFAULT.match(node_text(comment).strip())
        if found is not None:
            return found
        below, comment = comment, comment.prev_named_sibling
    return None


def _field_declarations(struct: ts.Node) -> Iterator[tuple[ts.Node, list[str], ts.Node | None]]:
    """A struct type's field declarations: (declaration, its field names (none for an embedded type), its
    type with pointers stripped). The one walk `tag_defaults` and `nested_fields` share."""
    listing = next((c for c in struct.named_children if c.type == "field_declaration_list"), None)
    for decl in listing.named_children if listing is not None else []:
        if decl.type != "field_declaration":
            continue
        type_node = decl.child_by_field_name("type")
        while type_node is not None and type_node.type == "pointer_type" and type_node.named_child_count:
            type_node = type_node.named_children[0]
        yield decl, [node_text(n) for n in decl.children_by_field_name("name")], type_node


def within(node: ts.Node, start: int, end: int) -> bool:
    return start <= node.start_byte and node.end_byte <= end


def descendants(node: ts.Node, skip_functions: bool = False) -> Iterator[ts.Node]:
    """Nodes under `node`; with skip_functions, nested func literals are not entered. The named
    nodes of a whole tree are kept for the next walk of that tree (a file's detectors walk it
    many times)."""
    if not skip_functions and node.parent is None:
        return iter(ts.tree_memo(node, "go.named", lambda root: list(_descendants(root, False))))
    return _descendants(node, skip_functions)


def _descendants(node: ts.Node, skip_functions: bool) -> Iterator[ts.Node]:
    stack = list(reversed(node.named_children))
    while stack:
        n = stack.pop()
        yield n
        if skip_functions and n.type == "func_literal":
            continue
        stack.extend(reversed(n.named_children))
