"""net/http clients: their timeouts, the calls that have none, and where each call goes.

What it does: reports `http.Client{Timeout: d}` and `client.Timeout = d` (phase `total`; also on a
client made by `google.DefaultClient`, `oauth2.NewClient`, an oauth2 config's `Client(ctx)` or
go-cleanhttp, or go-retryablehttp's `rc.StandardClient()`),
`http.Get/Post/Head/PostForm`, `http.DefaultClient.Do` and calls through an `http.Client{}`
without a Timeout (`missing_timeout`, net/http waits forever), and every request it can see
(`outbound_call` from `http.NewRequest*`, `http.Get`, `client.Get`...) with its URL. A client's
timeout set to a literal 0 (`c.HTTPClient.Timeout = 0`, `&http.Client{Timeout: 0}`: switched off, the
caller's context bounds the call) is no contract (rounds 11 and 16). A copy of the default client (`httpClient := *http.DefaultClient;
httpClient.Timeout = d`) is a client of its own (round 13).

Why it matters: a caller's timeout is its latency budget for the callee; a call without one
turns a slow dependency into a hung caller.

Example: `client := &http.Client{Timeout: 2 * time.Second}` -> timeout 2000 ms, total.
"""

from __future__ import annotations

import re
from dataclasses import replace

from contract_discovery.model import Target
from contract_discovery.values import BinOp, Str
from extractors import treesitter as ts
from extractors.base import detector
from extractors.go.gofile import (Draft, GoCall, GoFile, TargetRef, _Opaque, descendants, inner_expression,
                                  node_text, within)

ID = "go.http_client"

_PACKAGE_CALLS = {"http.Get": "GET", "http.Post": "POST", "http.Head": "HEAD", "http.PostForm": "POST"}
_CLIENT_METHODS = {"Do": None, "Get": "GET", "Post": "POST", "Head": "HEAD", "PostForm": "POST"}
_NEW_REQUEST = {"http.NewRequest": 0, "http.NewRequestWithContext": 1,
                "retryablehttp.NewRequest": 0, "retryablehttp.NewRequestWithContext": 1}
CLIENT_TYPES = ("http.Client",)
# Constructors that return a ready *http.Client (import path, function): `client, err :=
# google.DefaultClient(ctx, scope); client.Timeout = 5 * time.Second` sets that client's timeout.
_CLIENT_CONSTRUCTORS = {
    ("golang.org/x/oauth2/google", "DefaultClient"), ("golang.org/x/oauth2", "NewClient"),
    ("github.com/hashicorp/go-cleanhttp", "DefaultClient"), ("github.com/hashicorp/go-cleanhttp", "DefaultPooledClient"),
}


# oauth2 configs whose `Client(ctx)` method returns the *http.Client that fetches tokens itself.
_OAUTH2_CONFIGS = ("golang.org/x/oauth2",)


def _client_constructor(gf: GoFile, call) -> bool:
    if call.receiver is None or call.receiver.type != "identifier":
        return False
    name = node_text(call.receiver)
    if call.name == "StandardClient" and not call.args:
        # `rc := retryablehttp.NewClient(); client := rc.StandardClient()`: an *http.Client over rc
        return "github.com/hashicorp/go-retryablehttp" in gf.imports.values()
    if call.name == "Client" and len(call.args) in (1, 2):
        # `cfg := clientcredentials.Config{...}; client := cfg.Client(ctx)`
        bound = gf.lookup_local(name, call.node)
        value = inner_expression(bound) if bound is not None and hasattr(bound, "type") else None
        if value is not None and value.type == "composite_literal" and len(call.args) == 1:
            package = gf.type_name(value.child_by_field_name("type")).partition(".")[0]
            return gf.imports.get(package, "").startswith(_OAUTH2_CONFIGS)
        declared = gf.parameter_type(name, call.node) or ""
        if declared.endswith(".Config") and len(call.args) == 2:
            # round 20 (supabase auth): `func makeRequest(ctx, tok *oauth2.Token, g *oauth2.Config, ...) { client :=
            # g.Client(ctx, tok); client.Timeout = defaultTimeout`: the token's client of an oauth2 config parameter
            return gf.imports.get(declared.partition(".")[0], "").startswith(_OAUTH2_CONFIGS)
        return False
    path = gf.imports.get(name, "")
    return (path, call.name) in _CLIENT_CONSTRUCTORS


class OutboundCall:
    """A request this file makes: where it goes and through which client handle."""

    def __init__(self, node, protocol, method, target, keys, emit, library, stub=None):
        self.node, self.protocol, self.method, self.target = node, protocol, method, target
        self.keys, self.emit, self.library, self.stub = set(keys), emit, library, stub


def storage_keys(gf: GoFile, node: ts.Node) -> set[str]:
    """The names a value is kept under: `client := X` -> {client}, `http: X` -> {http},
    `s.client = X` -> {client}, `return X` in func newClient -> {func:newClient}."""
    child = node
    parent = node.parent
    while parent is not None and parent.type in ("unary_expression", "parenthesized_expression", "literal_element"):
        child, parent = parent, parent.parent
    if parent is None:
        return set()
    if parent.type == "keyed_element":
        key = parent.child_by_field_name("key")
        return {node_text(key).strip()} if key is not None else set()
    if parent.type == "expression_list":
        holder = parent.parent
        if holder is not None and holder.type == "return_statement":
            fns = gf.enclosing_functions(holder)
            name = fns[0].child_by_field_name("name") if fns else None
            return {"func:" + node_text(name)} if name is not None else set()
        if holder is not None and holder.type in ("short_var_declaration", "assignment_statement", "var_spec"):
            index = [c.id for c in parent.named_children].index(child.id)
            if holder.type == "var_spec":
                lefts = holder.children_by_field_name("name")
            else:
                left_list = holder.child_by_field_name("left")
                lefts = left_list.named_children if left_list is not None else []
            if index < len(lefts):
                left = lefts[index]
                if left.type == "selector_expression":
                    return {node_text(left.child_by_field_name("field"))}
                return {gf.scoped(node_text(left), left)}
    return set()


def receiver_keys(gf: GoFile, receiver: ts.Node | None) -> set[str]:
    if receiver is None:
        return set()
    receiver = inner_expression(receiver)
    text = re.sub(r"\s+", "", node_text(receiver))
    if receiver.type == "selector_expression":
        head = receiver.child_by_field_name("operand")
        field_name = node_text(receiver.child_by_field_name("field"))
        if head is not None and head.type == "identifier" and gf.package_of(node_text(head), receiver) == "http":
            return {"http." + field_name}
        return {field_name}
    if receiver.type == "call_expression":
        fn = receiver.child_by_field_name("function")
        return {"func:" + node_text(fn).rsplit(".", 1)[-1]} if fn is not None else set()
    if receiver.type == "identifier":
        keys = {gf.scoped(text, receiver)}
        bound = gf.lookup_local(text, receiver)
        if bound is not None and not isinstance(bound, _Opaque) and \
                inner_expression(bound).type in ("identifier", "selector_expression", "call_expression"):  # type: ignore[arg-type]
            keys |= receiver_keys(gf, bound)  # type: ignore[arg-type]
        return keys
    return set()


def _method_of(gf: GoFile, node: ts.Node | None) -> str | None:
    if node is None:
        return None
    node = inner_expression(node)
    value = gf.string_value(node)
    if value is not None:
        return value[0].upper()
    m = re.fullmatch(r"http\.Method(\w+)", node_text(node))
    return m.group(1).upper() if m else None


def new_request_of(gf: GoFile, node: ts.Node | None) -> GoCall | None:
    if node is None:
        return None
    call = gf.call_at(gf.resolve_name(inner_expression(node)))
    return call if call is not None and call.qualified in _NEW_REQUEST else None


def client_literals(gf: GoFile) -> dict[str, list]:
    """Client handle key -> list of (node, has_timeout, has_transport) for http.Client values."""
    cached = getattr(gf, "_go_clients", None)
    if cached is None:
        cached = gf._go_clients = _client_literals(gf)  # type: ignore[attr-defined]
    return cached


def _client_literals(gf: GoFile) -> dict[str, list]:
    out: dict[str, list] = {"http.DefaultClient": []}
    for comp in gf.composites_of(*CLIENT_TYPES):
        for key in storage_keys(gf, comp.node):
            out.setdefault(key, []).append((comp.node, "Timeout" in comp.fields,
                                            _transport_bounds(gf, comp.fields.get("Transport"))))
    for call in gf.calls:
        if call.callee == "new" and call.args and gf.type_name(call.args[0]) in CLIENT_TYPES:
            for key in storage_keys(gf, call.node):
                out.setdefault(key, []).append((call.node, False, False))
        elif _client_constructor(gf, call):
            for key in storage_keys(gf, call.node):
                out.setdefault(key, []).append((call.node, False, False))
    for field_name, type_name in gf.struct_field_types.items():
        if type_name in CLIENT_TYPES:
            out.setdefault(field_name, [])
    if b"DefaultClient" in gf.data:
        # `httpClient := *http.DefaultClient; httpClient.Timeout = d`: a copy of the default client, a client
        # of its own (round 13, cert-manager's DNS-over-HTTPS client)
        for node in descendants(gf.root):
            if node.type not in ("short_var_declaration", "assignment_statement"):
                continue
            right = node.child_by_field_name("right")
            values = right.named_children if right is not None else []
            if len(values) == 1 and values[0].type == "unary_expression" and \
                    node_text(values[0].child_by_field_name("operator")) == "*":
                operand = values[0].child_by_field_name("operand")
                if operand is not None and operand.type == "selector_expression" and \
                        node_text(operand.child_by_field_name("field")) == "DefaultClient" and \
                        gf.imports.get(node_text(operand.child_by_field_name("operand"))) == "net/http":
                    for key in storage_keys(gf, values[0]):
                        out.setdefault(key, []).append((values[0], False, False))
    data = gf.data
    for node in gf.declarations_of_fields_and_parameters["parameter_declaration"]:  # func f(c *http.Client)
        if node.type == "parameter_declaration":
            type_node = node.child_by_field_name("type")
            if type_node is None or b"Client" not in data[type_node.start_byte:type_node.end_byte]:
                continue  # no type named ...Client: not one of CLIENT_TYPES
            while type_node is not None and type_node.type == "pointer_type" and type_node.named_child_count:
                type_node = type_node.named_children[0]
            if type_node is not None and gf.type_name(type_node) in CLIENT_TYPES:
                for name in node.children_by_field_name("name"):
                    out.setdefault(gf.scoped(node_text(name), name), [])
    # Follow values into other names: `client, err = newClient()` (func:newClient -> client@f),
    # then `Spinnaker{client: client}` / `s.client = client` (client@f -> client).
    for call in gf.calls:
        source = "func:" + call.name
        if call.package is None and source in out:
            for key in storage_keys(gf, call.node):
                out.setdefault(key, []).extend(out[source])
    bases = {key.split("@", 1)[0] for key in out}  # gf.scoped gives `name` or `name@<fn>`
    for field_name, values in gf.keyed_values.items():
        for value in values:
            if value.type == "identifier" and node_text(value) in bases:
                scoped = gf.scoped(node_text(value), value)
                if scoped in out and scoped != field_name:
                    out.setdefault(field_name, []).extend(out[scoped])
                    bases.add(field_name.split("@", 1)[0])
    for assignment in gf.field_assignments:
        if assignment.field in ("Timeout", "Transport"):
            for key in receiver_keys(gf, assignment.operand):
                if key in out:
                    out[key].append((assignment.node, assignment.field == "Timeout", assignment.field == "Transport"))
    return out


def _timeout_overwritten(gf: GoFile, literal: ts.Node, clients: dict[str, list]) -> bool:
    """`httpClient := &http.Client{Timeout: 60 * time.Second}; c := &Parser{http: httpClient}; c.http.Timeout =
    timeout`: the literal's timeout is set again, unconditionally, later in the same function: the first
    value never bounds a call (round 13, autobrr's feed parser)."""
    functions = gf.enclosing_functions(literal)
    if not functions:
        return False
    body = functions[0].child_by_field_name("body")
    own = set(storage_keys(gf, literal))
    for assignment in gf.field_assignments:
        node = assignment.node
        if assignment.field != "Timeout" or node.start_byte <= literal.end_byte or body is None or \
                not (body.start_byte <= node.start_byte < body.end_byte):
            continue
        statement = node if node.type == "assignment_statement" else next(
            (a for a in ts.ancestors(node) if a.type == "assignment_statement"), None)
        if statement is None or statement.parent is None or statement.parent.id != body.id and not (
                statement.parent.type == "statement_list" and statement.parent.parent is not None
                and statement.parent.parent.id == body.id):
            continue  # set inside an `if`: the literal's value stays the default
        keys = receiver_keys(gf, inner_expression(assignment.operand))
        if keys & own or any(n.id == literal.id for k in keys for n, _, _ in clients.get(k, [])):
            return True
    return False


def _transport_bounds(gf: GoFile, node: ts.Node | None) -> bool:
    """Whether a client's Transport may bound a response: unknown transports are given the
    benefit of the doubt; a visible http.Transport needs a ResponseHeaderTimeout."""
    if node is None:
        return False
    resolved = gf.resolve_name(inner_expression(node))
    if resolved.type == "composite_literal":
        fields = next((c.fields for c in gf.composites if c.node.id == resolved.id), {})
        return "ResponseHeaderTimeout" in fields
    return True


def _named_client(gf: GoFile, operand: ts.Node, value: ts.Node) -> bool:
    """`feedbackClient.Timeout = time.Duration(timeout) * time.Second` on a client declared in another
    file of the package: a value named for an HTTP client, in a file making HTTP requests, given a
    duration built with package time."""
    if "net/http" not in gf.imports.values() or "time." not in node_text(value):
        return False
    name = node_text(operand).rsplit(".", 1)[-1]
    if not re.search(r"(?i)client$", name) or re.match(r"(?i)(grpc|redis|sql|db|mongo|ldap|smtp|mail|s3|kafka)", name):
        return False
    if operand.type == "identifier" and gf.lookup_local(name, operand) is not None:
        return False  # a local of another type would have been read above when it is an http.Client
    return "http.NewRequest" in gf.data.decode("utf-8", "replace") or \
        "http.NewRequestWithContext" in gf.data.decode("utf-8", "replace")


_CLIENT_CALL_R22 = re.compile(r"(?i)^(new)?\w*client$")


def _made_by_client_call_r22(gf: GoFile, operand: ts.Node, value: ts.Node) -> bool:
    """`httpClient := tp.Client(); httpClient.Timeout = time.Second * 10` (round 22, atlantis's Azure DevOps
    client), `client, err := gcp.NewHTTPClient(tr, ts); client.Timeout = *conf.RequestTimeout` (cerbos's GCS
    bucket): a local the function got from a call named for a client (`Client()`, `NewHTTPClient(...)`) in a
    file that imports net/http, given a duration: that client's bound, whatever package made it. Not a local
    holding anything else (`cfg := loadConfig(); cfg.Timeout = d`), nor a value that is no duration (`c.Timeout =
    5` on a project type's `Client()`)."""
    if operand.type != "identifier":
        return False
    bound = gf.lookup_local(node_text(operand), operand)
    if not hasattr(bound, "type"):
        return False
    call = inner_expression(bound)  # type: ignore[arg-type]
    if call.type != "call_expression":
        return False
    function = call.child_by_field_name("function")
    name = node_text(function).rsplit(".", 1)[-1] if function is not None else ""
    if not _CLIENT_CALL_R22.match(name) or ("net/http" not in gf.imports.values() and "HTTP" not in name.upper()):
        return False  # (a file without net/http: only a call named for an HTTP client, `gcp.NewHTTPClient`)
    return gf._is_duration_r20(value) or bool(re.search(r"(?i)(timeout|duration)", node_text(value)))


def _embeds_client_r21(gf: GoFile, operand: ts.Node) -> bool:
    """`r.Timeout = defaultRequestTimeout` in a method of `type instanceClientImpl struct { *http.Client }`
    (round 21, cloudnative-pg): the receiver is an http.Client by embedding, its Timeout the client's."""
    if operand.type != "identifier" or b"http.Client" not in gf.data:
        return False
    for fn in gf.enclosing_functions(operand)[-1:]:
        receiver = fn.child_by_field_name("receiver") if fn.type == "method_declaration" else None
        decl = receiver.named_children[0] if receiver is not None and receiver.named_children else None
        names = [node_text(n) for n in decl.children_by_field_name("name")] if decl is not None else []
        type_node = decl.child_by_field_name("type") if decl is not None else None
        if node_text(operand) not in names or type_node is None:
            return False
        type_name = node_text(type_node).lstrip("*").strip()
        body = gf._struct_bodies[0].get(type_name)
        if body is None:
            return False
        return bool(re.search(r"(?m)^\s*\*?http\.Client\s*(//.*)?$", node_text(body)))
    return False


def outbound_calls(gf: GoFile) -> list[OutboundCall]:
    cached = getattr(gf, "_go_outbound", None)
    if cached is not None:
        return cached
    clients = client_literals(gf)
    retryable = _retryable_keys(gf)
    out: list[OutboundCall] = []
    for call in gf.calls:
        q = call.qualified
        if q in _PACKAGE_CALLS:
            out.append(OutboundCall(call.node, "http", _PACKAGE_CALLS[q],
                                    gf.url_ref(call.args[0]) if call.args else None,
                                    {"http.DefaultClient"}, True, "net/http"))
        elif q in _NEW_REQUEST:
            i = _NEW_REQUEST[q]
            if len(call.args) > i + 1:
                out.append(OutboundCall(call.node, "http", _method_of(gf, call.args[i]),
                                        gf.url_ref(call.args[i + 1]), set(), True, "net/http"))
        elif call.name in _CLIENT_METHODS and call.receiver is not None:
            keys = receiver_keys(gf, call.receiver)
            if not (keys & set(clients)) and "http.DefaultClient" not in keys and not (keys & retryable):
                continue
            if call.name == "Do":
                request = new_request_of(gf, call.args[0] if call.args else None)
                target = None
                if request is not None:
                    i = _NEW_REQUEST[request.qualified]
                    target = gf.url_ref(request.args[i + 1]) if len(request.args) > i + 1 else None
                out.append(OutboundCall(call.node, "http", None, target, keys, False, "net/http"))
            else:
                out.append(OutboundCall(call.node, "http", _CLIENT_METHODS[call.name],
                                        gf.url_ref(call.args[0]) if call.args else None, keys, True, "net/http"))
    if any("go-resty/resty" in path for path in gf.imports.values()):
        out.extend(_resty_calls(gf))
    gf._go_outbound = out  # type: ignore[attr-defined]
    return out


_RESTY_METHODS = {"Get": "GET", "Post": "POST", "Put": "PUT", "Patch": "PATCH", "Delete": "DELETE",
                  "Head": "HEAD", "Options": "OPTIONS"}


def _resty_calls(gf: GoFile) -> list[OutboundCall]:
    """go-resty: `c.rc.R().SetBody(b).Post("/v1/charges")` sends to the client's base URL
    (`resty.New().SetBaseURL(cfg.PaymentURL)`, when the file sets one) plus that path."""
    bases = {}
    for call in gf.calls:
        if call.name in ("SetBaseURL", "SetHostURL") and len(call.args) == 1 and call.receiver is not None:
            ref = gf.url_ref(call.args[0])
            if ref is not None:
                bases[ref.key] = ref
    base = next(iter(bases.values())) if len(bases) == 1 else None
    out = []
    for call in gf.calls:
        if call.name not in _RESTY_METHODS or len(call.args) != 1 or call.receiver is None:
            continue
        root, receiver = None, call.receiver
        for _ in range(12):  # the builder chain back to `.R()`
            made = gf.call_at(receiver) if receiver is not None else None
            if made is None:
                break
            if made.name == "R" and not made.args:
                root = made
                break
            receiver = made.receiver
        if root is None:
            continue
        path = _path_template(gf, call.args[0])
        target = gf.url_ref(call.args[0]) if path is None or not path.startswith("/") else None
        if target is None and base is not None:
            if base.target is not None and path is not None:
                target = TargetRef(target=Target(url=(base.target.url or "").rstrip("/") + path))
            elif base.pending is not None and path:
                # the base still to resolve, then this path: `cfg.PaymentURL + "/v1/authorizations/{}/capture"`
                pending = base.pending
                target = TargetRef(pending=replace(pending, expr=BinOp("+", pending.expr, Str(path))),
                                   path=(base.path or "") + path)
            else:
                target = base
        out.append(OutboundCall(call.node, "http", _RESTY_METHODS[call.name], target,
                                receiver_keys(gf, root.receiver), True, "go-resty"))
    return out


def _path_template(gf: GoFile, node, depth: int = 0) -> str | None:
    """A path with `{}` for what varies: `"/v1/authorizations/" + id + "/capture"` ->
    "/v1/authorizations/{}/capture"; None unless it starts with a literal."""
    node = inner_expression(node)
    if node.type == "binary_expression" and node_text(node.child_by_field_name("operator")) == "+" and depth < 12:
        left = _path_template(gf, node.child_by_field_name("left"), depth + 1)
        if left is None:
            return None
        right = gf.string_value(node.child_by_field_name("right"))
        return left + (right[0] if right is not None else "{}")
    found = gf.string_value(node)
    return found[0] if found is not None else None


def _retryable_keys(gf: GoFile) -> set[str]:
    keys: set[str] = set()
    for call in gf.calls:
        if call.qualified == "retryablehttp.NewClient":
            keys |= storage_keys(gf, call.node)
    for comp in gf.composites_of("retryablehttp.Client"):
        keys |= storage_keys(gf, comp.node)
    return keys


def _has_deadline(gf: GoFile, node: ts.Node) -> bool:
    """A context deadline set in the same function bounds the call even without a client Timeout."""
    fns = gf.enclosing_functions(node)
    if not fns:
        return False
    fn = fns[-1]
    return any(c.qualified.startswith(("context.WithTimeout", "context.WithDeadline")) and within(c.node, fn.start_byte, fn.end_byte)
               for c in gf.calls)


def _outbound_attributes(call: OutboundCall) -> dict:
    url = call.target.target.url if call.target is not None and call.target.target is not None else None
    attributes = {"protocol": call.protocol, "method": call.method, "url": url}
    if call.target is not None and call.target.path:
        attributes["path"] = call.target.path  # base URL still to resolve; this part is literal
    return attributes


def _options_parameter_field(gf: GoFile, value) -> bool:
    """`http.Client{Timeout: options.Timeout}` in a helper whose parameter `options` is a struct of this
    file that its callers fill in (`postJSON(ctx, url, in, PostJSONOptions{Timeout: apiTimeout})`, each
    literal read as a client option at its call): the helper forwards its caller's value, the contract
    is at the calls (round 14, Temporal's background-checks)."""
    value = inner_expression(value)
    if value.type != "selector_expression":
        return False
    operand, field = value.child_by_field_name("operand"), node_text(value.child_by_field_name("field"))
    if operand is None or operand.type != "identifier":
        return False
    type_name = gf.parameter_type(node_text(operand), value)
    if not type_name or "." in type_name or type_name not in gf._struct_bodies[0]:
        return False
    fns = gf.enclosing_functions(value)
    name = fns[0].child_by_field_name("name") if fns else None
    if name is None:
        return False
    helper = node_text(name)
    if re.search(rf"\b{re.escape(node_text(operand))}\s*\.\s*{re.escape(field)}\s*=[^=]", node_text(fns[0])):
        return False  # `if cfg.Timeout == 0 { cfg.Timeout = DefaultTimeout }`: the helper's own default (rule a)

    def handed_to_helper(node) -> bool:
        up = node.parent
        while up is not None and up.type in ("unary_expression", "parenthesized_expression"):
            up = up.parent
        call = up.parent if up is not None and up.type == "argument_list" else None
        function = call.child_by_field_name("function") if call is not None else None
        return function is not None and node_text(function).rsplit(".", 1)[-1] == helper

    return any(comp.type_name == type_name and field in comp.fields and handed_to_helper(comp.node)
               for comp in gf.composites)


@detector(
    ID, "go", ("timeout", "missing_timeout", "outbound_call"),
    valid=(
        'package p\nimport "net/http"\n// the timeout is unset here\nvar s = "timeout"\n',
        'package p\nimport ("net/http"; "time")\nfunc f() { srv := &http.Server{ReadTimeout: 5 * time.Second}; _ = srv }\n',
    ),
    invalid=(
        'package p\nimport ("net/http"; "time")\nvar c = &http.Client{Timeout: 2 * time.Second}\n',
        'package p\nimport "net/http"\nfunc f() { http.Get("http://risk/score") }\n',
    ),
)
def detect(gf: GoFile) -> list[Draft]:
    """http.Client timeouts, calls without any timeout, and outbound HTTP requests."""
    drafts: list[Draft] = []
    clients = client_literals(gf)
    # Timeouts on client literals and on `client.Timeout = ...`.
    for comp in gf.composites_of(*CLIENT_TYPES):
        value_node = comp.fields.get("Timeout")
        if value_node is None:
            continue
        if _timeout_overwritten(gf, comp.node, clients):
            continue
        if _options_parameter_field(gf, value_node):
            continue
        if node_text(inner_expression(value_node)) == "0":
            continue  # `&http.Client{Timeout: 0}`: no bound (as `c.Timeout = 0`, round 11; lead, round 16)
        info = gf.duration(value_node)
        drafts.append(Draft(
            gf.finding("timeout", comp.elements["Timeout"], ID,
                       {"timeout_ms": info.value, "phase": "total", "resolved_from": info.resolved_from,
                        "expression": info.expression},
                       confidence=info.confidence, pending=info.pending),
            link=("client", frozenset(storage_keys(gf, comp.node))), linkable=True))
    for assignment in gf.field_assignments:
        if assignment.field != "Timeout":
            continue
        operand = inner_expression(assignment.operand)
        keys = receiver_keys(gf, operand)
        if operand.type == "selector_expression" and node_text(operand.child_by_field_name("field")) == "HTTPClient":
            keys = receiver_keys(gf, operand.child_by_field_name("operand"))  # retryablehttp: rc.HTTPClient.Timeout
        elif not (keys & set(clients)) and "http.DefaultClient" not in keys and \
                not _named_client(gf, operand, assignment.value) and not _embeds_client_r21(gf, operand) and \
                not _made_by_client_call_r22(gf, operand, assignment.value):
            continue
        if node_text(inner_expression(assignment.value)) == "0":
            continue  # `httpClient.HTTPClient.Timeout = 0`: the client's own bound switched off, the caller's
            # context bounds the call (round 11)
        info = gf.duration(assignment.value)
        if info.value == 0 and not (keys & set(clients)) and _embeds_client_r21(gf, operand):
            continue  # `r.Timeout = noRequestTimeout` (0): the embedded client's bound switched off (round 21)
        drafts.append(Draft(
            gf.finding("timeout", assignment.node, ID,
                       {"timeout_ms": info.value, "phase": "total", "resolved_from": info.resolved_from,
                        "expression": info.expression},
                       confidence=info.confidence, pending=info.pending),
            link=("client", frozenset(keys)), linkable=True))
    # Calls, and the ones nothing bounds.
    for call in outbound_calls(gf):
        if call.emit:
            drafts.append(Draft(gf.finding("outbound_call", call.node, ID, _outbound_attributes(call),
                                           target=call.target)))
        if "http.DefaultClient" in call.keys:
            package_call = gf.call_at(call.node) is not None and gf.call_at(call.node).qualified in _PACKAGE_CALLS  # type: ignore[union-attr]
            no_timeout = not _client_has_timeout(gf, clients, {"http.DefaultClient"}) and \
                (package_call or not _has_deadline(gf, call.node))
        else:
            matching = [c for k in call.keys for c in clients.get(k, [])]
            no_timeout = (bool(matching) and not any(has_timeout or has_transport for _, has_timeout, has_transport in matching)
                          and not _has_deadline(gf, call.node))
        if no_timeout:
            # A request carrying its caller's context may still get a deadline from the caller.
            fns = gf.enclosing_functions(call.node)
            caller_context = bool(fns) and "WithContext" in node_text(fns[-1])
            drafts.append(Draft(gf.finding("missing_timeout", call.node, ID,
                                           {"library": "net/http", "library_default_ms": None},
                                           confidence="medium" if caller_context else "high",
                                           target=call.target)))
    return drafts


def _client_has_timeout(gf: GoFile, clients: dict, keys: set[str]) -> bool:
    return any(has_timeout for k in keys for _, has_timeout, _ in clients.get(k, []))
