"""Connection-level timeouts: `net.Dialer{Timeout}`, `net.DialTimeout`, `http.Transport{...}`.

What it does: `net.Dialer.Timeout`, `net.DialTimeout` and `http.Transport.TLSHandshakeTimeout`
are `connect` timeouts; `http.Transport.ResponseHeaderTimeout` is a `read` timeout (time to the
first response byte). Set in a literal or assigned afterwards on a local built in the same function
(`rt := &http.Transport{...}; rt.TLSHandshakeTimeout = d`), or on a client option's field named `Dialer`
(`result.ClientOption.Dialer.Timeout = d`: rueidis, go-redis hold a `net.Dialer` there). A deadline set on a connection the
same function dialed or connected (`net.Dial`, the project's `helper.ConnectServer()`), or one a
function of the client side is handed (`func (d *sessionDialer) exchangeLogin(conn net.Conn)`),
`conn.SetDeadline(time.Now().Add(d))` (total) / `SetReadDeadline` (read) / `SetWriteDeadline` (write; also
`start.Add(d)` on a `start := time.Now()`: round 14), bounds that exchange;
deadlines on other connections handed in or accepted (inbound clients) are left out. `IdleConnTimeout`, `ExpectContinueTimeout` and `KeepAlive` bound no
request and are not reported.

Why it matters: a connect timeout without a total one still lets a slow response hang the caller;
the contract check needs to know which phase a number bounds.

Example: `&net.Dialer{Timeout: 500 * time.Millisecond}` -> timeout 500 ms, connect.
"""

from __future__ import annotations

import re

from extractors import treesitter as ts
from extractors.base import detector
from extractors.go.detectors.http_client import storage_keys
from extractors.go.gofile import OPAQUE, Draft, GoFile, inner_expression, node_text

ID = "go.transport"

_FIELDS = {
    "net.Dialer": {"Timeout": "connect"},
    "http.Transport": {"TLSHandshakeTimeout": "connect", "ResponseHeaderTimeout": "read"},
    # miekg/dns' client (round 18, CoreDNS' forward resolver and health checker): its exchange's phases
    "dns.Client": {"Timeout": "total", "DialTimeout": "connect", "ReadTimeout": "read", "WriteTimeout": "write"},
}


def _known_type(gf: GoFile, type_name: str | None) -> bool:
    """dns.Client only as miekg/dns' (another package named dns may have a Client of its own)."""
    if type_name != "dns.Client":
        return True
    return any(path.rstrip("/").endswith("miekg/dns") for path in gf.imports.values())


def owner_client_keys(gf: GoFile, node: ts.Node) -> frozenset[str]:
    """The http.Client a transport or dialer ends up in: by nesting, or through a variable
    (`tr := &http.Transport{...}; client := &http.Client{Transport: tr}`)."""
    current = node
    for _ in range(4):
        for ancestor in ts.ancestors(current):
            if ancestor.type == "composite_literal" and \
                    gf.type_name(ancestor.child_by_field_name("type")) == "http.Client":
                return frozenset(storage_keys(gf, ancestor))
        holder = None
        for comp in gf.composites:
            if comp.node.id == current.id:
                continue
            for value in comp.fields.values():
                if value.type == "identifier" and gf.resolve_name(value).id == inner_expression(current).id:
                    holder = comp.node
        if holder is None:
            break
        current = holder
    return frozenset()


# Deadlines on a connection this function dialed (a write deadline alone has no phase of its own).
_CONN_DEADLINES = {"SetDeadline": "total", "SetReadDeadline": "read", "SetWriteDeadline": "write"}


def _now_plus(gf: GoFile, offset) -> bool:
    """`time.Now().Add(d)`, or `start.Add(d)` on a `start := time.Now()` of the same function (a probe
    timing its own round trip: round 14)."""
    if offset is None or offset.name != "Add" or not offset.args:
        return False
    if offset.callee.endswith("Now().Add") or re.fullmatch(r"\w+\.\w*(?:Now|Time)\(\)\.Add", offset.callee):
        return True  # round 19 (gofix2, file.d): a project clock, `xtime.GetInaccurateTime().Add(d)`
    receiver = offset.receiver
    if receiver is None or receiver.type != "identifier":
        return False
    bound = gf.lookup_local(node_text(receiver), offset.node)
    made = gf.call_at(bound) if bound is not None and hasattr(bound, "type") else None
    return made is not None and made.qualified == "time.Now"
_DIALS = {"net.Dial", "net.DialTimeout", "net.DialTCP", "net.DialUDP", "tls.Dial", "tls.DialWithDialer"}


# The project's own ways to open a connection to another service: `v.helper.ConnectServer()`,
# `connector.Connect()`, `dialBackend(addr)`, `d.DialContext(ctx, ...)`.
_CONNECTS = re.compile(r"(?i)^(?:dial|connect|reconnect)(?!ion)\w*$|\w*(?:Dial|Connect)(?:Server|Upstream|Backend|Remote)?$")
# A function or type on the client side of a connection: `dialRawVisitorConn`, `controlSessionDialer`.
_CLIENT_SIDE = re.compile(r"(?i)dial|connect(?!ion)|client")
_SERVER_SIDE = re.compile(r"(?i)accept|serve|handle|listen|server|inbound|upgrade")


_LISTENS = re.compile(r"NewServer|Listen\w*|Serve\w*")
_WRITES = frozenset({"Write", "WriteTo", "WriteMsgUDP", "WriteToUDP"})


def _dials_own_listener(gf: GoFile, comp) -> bool:
    """`d := net.Dialer{Timeout: 3s}; d.DialContext(ctx, "udp", config.DNS)` where the same file starts a
    server on that address (`dns.NewServer(config.DNS, ...)`): the process dials its own listener."""
    fns = gf.enclosing_functions(comp.node)
    scope = fns[0] if fns else None
    if scope is None:
        return False
    addresses = {node_text(c.args[-1]) for c in gf.calls_within(scope.start_byte, scope.end_byte)
                 if c.name in ("Dial", "DialContext") and c.receiver is not None and len(c.args) >= 2}
    if not addresses:
        return False
    listened = {node_text(a) for c in gf.calls if _LISTENS.fullmatch(c.name or "") for a in c.args}
    return addresses <= listened


def _closes_next(call) -> bool:
    """`conn.SetWriteDeadline(time.Now().Add(time.Second)); conn.WriteMessage(websocket.CloseMessage, ...)`: the
    bound on a close frame sent at shutdown, no call's timeout (round 18, cloudreve's aria2 websocket)."""
    statement = call.node.parent
    following = statement.next_named_sibling if statement is not None else None
    while following is not None and following.type == "comment":
        following = following.next_named_sibling
    return following is not None and "CloseMessage" in node_text(following)


def _relays(gf: GoFile, call) -> bool:
    """`for { dstPC.SetReadDeadline(time.Now().Add(t)); n, addr, err := dstPC.ReadFrom(buf); ...;
    srcPC.WriteTo(buf[:n], session.src) }`: a relay loop handing on what it reads to another
    connection; the read deadline ends an idle session, it bounds no call (round 18, glider's tproxy)."""
    receiver = node_text(call.receiver) if call.receiver is not None else ""
    for loop in ts.ancestors(call.node):
        if loop.type in ("function_declaration", "method_declaration", "func_literal"):
            return False
        if loop.type == "for_statement":
            body = loop.child_by_field_name("body")
            return body is not None and any(
                c.name in _WRITES and c.receiver is not None and node_text(c.receiver) != receiver
                for c in gf.calls_within(body.start_byte, body.end_byte))
    return False


def _dialed_here(gf: GoFile, call) -> bool:
    """The receiver is a connection the same function dialed or connected (`net.Dial`,
    `helper.ConnectServer()`), or one handed to a function of the client side (`func (d
    *sessionDialer) exchangeLogin(conn net.Conn)`, `dialRawConn`): an outbound connection (a conn
    handed in or accepted elsewhere is someone else's, often an inbound client's)."""
    receiver = call.receiver
    if receiver is not None and receiver.type == "selector_expression":
        return _dialed_field(gf, call, receiver)
    if receiver is None or receiver.type != "identifier":
        return False
    bound = gf.lookup_local(ts.text(receiver), call.node)
    made = gf.call_at(bound) if bound is not None and hasattr(bound, "type") else None
    if made is not None:
        return _a_dial(made)
    if bound is OPAQUE:  # a parameter of the function around the call
        fns = gf.enclosing_functions(call.node)
        outer = fns[-1] if fns else None
        if outer is None or outer.type == "func_literal":
            return False
        names = [ts.text(outer.child_by_field_name("name"))]
        receiver_list = outer.child_by_field_name("receiver")
        if receiver_list is not None:
            names.append(ts.text(receiver_list))
        return any(_CLIENT_SIDE.search(n or "") for n in names) and not any(_SERVER_SIDE.search(n or "") for n in names)
    return False


def _a_dial(made) -> bool:
    """`net.Dial(...)`, `d.DialContext(...)`, `t.Dial(proto)`, the project's `helper.ConnectServer()`."""
    if made.qualified in _DIALS or made.name in ("DialContext", "Dial") and \
            made.receiver is not None and made.qualified not in ("net.Listen",):
        return True
    return bool(_CONNECTS.fullmatch(made.name)) and made.package not in ("net", "http")


def _dialed_field(gf: GoFile, call, receiver: ts.Node) -> bool:
    """A deadline on a connection held in a field (round 18): `pc.c.SetReadDeadline(...)` on a `pc` the
    function dialed (`pc, cached, err := p.transport.Dial(proto)`: CoreDNS' pooled connection), or
    `lp.conn.SetReadDeadline(...)` where this file fills that field with a connection it dialed
    (`conn, err := net.DialTimeout(...); lp.conn = conn`: NSQ's lookupd peer). A field filled from an
    accepted or handed-in connection is someone else's (an inbound client's)."""
    operand = inner_expression(receiver.child_by_field_name("operand"))
    field = ts.text(receiver.child_by_field_name("field"))
    if operand is None or not field:
        return False
    if operand.type == "identifier":
        bound = gf.lookup_local(ts.text(operand), call.node)
        made = gf.call_at(bound) if bound is not None and hasattr(bound, "type") else None
        if made is not None:
            return _a_dial(made)
    if operand.type not in ("identifier", "selector_expression"):
        return False
    filled = False
    for assignment in gf.field_assignments:
        if assignment.field != field or assignment.value is None:
            continue
        value = inner_expression(assignment.value)
        if value.type == "nil":
            continue  # `data.conn = nil` after a Close: a reset, no connection (round 19, gofix2)
        if value.type == "call_expression":
            made = gf.call_at(value)
        elif value.type == "identifier":
            bound = gf.lookup_local(ts.text(value), assignment.node)
            made = gf.call_at(bound) if bound is not None and hasattr(bound, "type") else None
        else:
            made = None
        if made is None or not _a_dial(made):
            return False  # one filling from somewhere else (an accepted connection) and it is not ours to say
        filled = True
    return filled


def _declared_zero_value(gf: GoFile, assignment) -> str | None:
    """`var netDialer net.Dialer` declared in the function before `netDialer.Timeout = timeout`: a zero
    value of that type set field by field (round 14, envoy ratelimit's Redis dialer)."""
    fns = gf.enclosing_functions(assignment.node)
    if not fns:
        return None
    name = re.escape(ts.text(assignment.operand))
    before = gf.data[fns[0].start_byte:assignment.node.start_byte].decode("utf-8", "replace")
    found = re.findall(rf"(?m)^\s*var\s+{name}\s+(\w+)\.(\w+)\s*$", before)
    if not found:
        return None
    alias, type_name = found[-1]
    package = gf.package_of(alias)
    return f"{package}.{type_name}" if package else None


def _local_type(gf: GoFile, assignment) -> str | None:
    """http.Transport / net.Dialer when the assigned value is a local built from one in the same
    function (`&http.Transport{}`, `http.DefaultTransport.(*http.Transport).Clone()`, the Clone() of a
    field or parameter typed *http.Transport)."""
    if assignment.operand.type != "identifier":
        return None
    bound = gf.lookup_local(ts.text(assignment.operand), assignment.node)
    if bound is not None and not hasattr(bound, "type"):
        declared = _declared_zero_value(gf, assignment)
        if declared is None and bound is OPAQUE:
            # `func setDefaultTimeout(c *dns.Client) { c.ReadTimeout = 1 * time.Second }`: a parameter's type
            declared = gf.parameter_type(ts.text(assignment.operand), assignment.node)
            declared = declared if declared in _FIELDS and declared != "http.Transport" else None
        return declared
    if bound is None:
        return None
    value = inner_expression(bound)
    if value.type == "call_expression" and ts.text(value.child_by_field_name("function")) == "new":
        # `c := new(dns.Client)`: a zero value set field by field
        arguments = value.child_by_field_name("arguments")
        type_node = arguments.named_children[0] if arguments is not None and arguments.named_children else None
        return gf.type_name(type_node) if type_node is not None and type_node.type == "qualified_type" else None
    if value.type == "composite_literal":
        return gf.type_name(value.child_by_field_name("type"))
    if value.type == "call_expression" and "(*http.Transport)" in ts.text(value).replace(" ", ""):
        return "http.Transport"
    call = gf.call_at(value) if value.type == "call_expression" else None
    if call is not None and call.name == "Clone" and not call.args and call.receiver is not None:
        # `transport := tp.baseTransport.Clone()` of a field (or a parameter) this file types as an
        # *http.Transport (KEDA's transport pool; round 12)
        held = inner_expression(call.receiver)
        declared = gf.struct_field_types.get(ts.text(held.child_by_field_name("field"))) \
            if held.type == "selector_expression" else \
            gf.parameter_type(ts.text(held), value) if held.type == "identifier" else None
        if declared == "http.Transport":
            return "http.Transport"
    return None


@detector(
    ID, "go", ("timeout",),
    valid=('package p\nimport ("net/http"; "time")\nvar t = &http.Transport{IdleConnTimeout: 90 * time.Second}\n',),
    invalid=('package p\nimport ("net"; "time")\nvar d = &net.Dialer{Timeout: 500 * time.Millisecond}\n',),
)
def detect(gf: GoFile) -> list[Draft]:
    """Dialer and transport timeouts, by phase."""
    drafts = []
    for comp in gf.composites_of(*_FIELDS):
        if not _known_type(gf, comp.type_name):
            continue
        if comp.type_name == "net.Dialer" and _dials_own_listener(gf, comp):
            continue  # the resolver dialing the DNS server this process runs (round 18, glider)
        for field_name, phase in _FIELDS[comp.type_name].items():
            if field_name not in comp.fields:
                continue
            info = gf.duration(comp.fields[field_name])
            drafts.append(Draft(
                gf.finding("timeout", comp.elements[field_name], ID,
                           {"timeout_ms": info.value, "phase": phase, "resolved_from": info.resolved_from,
                            "expression": info.expression},
                           confidence=info.confidence, pending=info.pending),
                link=("client", owner_client_keys(gf, comp.node)), linkable=True))
    for assignment in gf.field_assignments:
        # `rt := &http.Transport{...}; rt.TLSHandshakeTimeout = d`, `d := &net.Dialer{}; d.Timeout = t`
        type_name = _local_type(gf, assignment)
        operand = assignment.operand
        if type_name is None and operand.type == "selector_expression" and \
                ts.text(operand.child_by_field_name("field")) == "Dialer":
            type_name = "net.Dialer"  # `opts.ClientOption.Dialer.Timeout = d`: a client option's net.Dialer
        phase = _FIELDS.get(type_name or "", {}).get(assignment.field)
        if phase is None or not _known_type(gf, type_name):
            continue
        if type_name == "dns.Client" and node_text(inner_expression(assignment.value)).startswith("time.Until("):
            continue  # `client.Timeout = time.Until(deadline)`: what is left of the request's deadline, handed on
        info = gf.duration(assignment.value)
        bound = gf.lookup_local(ts.text(assignment.operand), assignment.node) \
            if assignment.operand.type == "identifier" else None
        drafts.append(Draft(
            gf.finding("timeout", assignment.node, ID,
                       {"timeout_ms": info.value, "phase": phase, "resolved_from": info.resolved_from,
                        "expression": info.expression},
                       confidence=info.confidence, pending=info.pending),
            link=("client", owner_client_keys(gf, bound) if hasattr(bound, "type") else frozenset()),
            linkable=True))
    for call in gf.calls:
        if call.name in _CONN_DEADLINES and len(call.args) == 1 and _dialed_here(gf, call) and not _relays(gf, call) \
                and not _closes_next(call):
            # `conn, err = net.Dial(...); conn.SetDeadline(time.Now().Add(5 * time.Second))`
            offset = gf.call_at(gf.resolve_name(inner_expression(call.args[0])))
            if not _now_plus(gf, offset):
                continue
            info = gf.duration(offset.args[0])
            drafts.append(Draft(
                gf.finding("timeout", call.node, ID,
                           {"timeout_ms": info.value, "phase": _CONN_DEADLINES[call.name],
                            "resolved_from": info.resolved_from, "expression": info.expression},
                           confidence=info.confidence, pending=info.pending), linkable=True))
            continue
        if call.qualified == "net.DialTimeout" and len(call.args) >= 3:
            info = gf.duration(call.args[2])
            target = gf.url_ref(call.args[1])
            drafts.append(Draft(
                gf.finding("timeout", call.node, ID,
                           {"timeout_ms": info.value, "phase": "connect", "resolved_from": info.resolved_from,
                            "expression": info.expression},
                           confidence=info.confidence, pending=info.pending, target=target)))
    return drafts
