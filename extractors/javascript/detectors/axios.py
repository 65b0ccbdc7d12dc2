"""axios: per-call `timeout`, `axios.create({timeout})` instance defaults, `x.defaults.timeout = ...`,
and calls that can wait forever.

What it does: reports each axios request as an ``outbound_call`` (with its URL, joined to the
instance's ``baseURL``), the timeout that applies to it, and ``missing_timeout`` when neither the
call nor a default visible in the file sets one.

Why it matters: axios's default timeout is 0, which means no timeout at all. A caller that
assumes its dependency answers in 200 ms and never says so will hang with it.

Example::

    const risk = axios.create({ baseURL: "http://risk:8080", timeout: 200 });  // timeout 200 ms
    await axios.post("http://risk:8080/score", body);                          // missing_timeout
"""

from __future__ import annotations

import re

from extractors import treesitter as ts
from extractors.javascript.context import (FUNCTION_TYPES, CallInfo, FileContext, Outbound, dotted, inside,
                                           is_disabled_value, js_detector, query, string_value, unwrap)
from extractors.javascript.detectors._clients import instance_for
from extractors.javascript.detectors._package_options import _abort_timeout_ms

ID = "javascript.axios"

_CONFIG_INDEX = {"get": 1, "delete": 1, "head": 1, "options": 1, "post": 2, "put": 2, "patch": 2,
                 "postForm": 2, "putForm": 2, "patchForm": 2, "request": 0}


def _axios_call(ctx: FileContext, call: CallInfo):
    """(library, instance or None, method name) when ``call`` is an axios request, else None."""
    if call.is_new:
        return None
    if call.qualified == "axios" or call.qualified == "axios.default":
        return "axios", None, "request"
    if call.qualified.startswith("axios.") and call.name in _CONFIG_INDEX and call.qualified.count(".") == 1:
        return "axios", None, call.name
    receiver = call.receiver[: -len(".axiosRef")] if call.receiver.endswith(".axiosRef") else call.receiver
    instance = instance_for(ctx, receiver)
    if instance is not None and instance.library in ("axios", "nestjs-axios") and call.name in _CONFIG_INDEX:
        return instance.library, instance, call.name
    instance = instance_for(ctx, call.callee)
    if instance is not None and instance.library == "axios":
        return "axios", instance, "request"
    if instance is None and call.name in _CONFIG_INDEX and b"= axios" in ctx.data:
        from extractors.javascript.detectors.injected_client_js1 import injected_default
        if injected_default(ctx, call, "axios"):  # (round 21, js1) `(opts, axiosInstance = axios) => ...request(`
            return "axios", None, call.name
    fn = call.node.child_by_field_name("function")
    if fn is not None and fn.type == "await_expression" and fn.named_children:
        fn = fn.named_children[0]  # TypeScript's `await a.create().post<T>(...)` parse
    made = unwrap(fn.child_by_field_name("object")) if fn is not None and fn.type == "member_expression" else None
    if made is not None and made.type == "call_expression" and call.name in _CONFIG_INDEX:
        instance = ctx.instances.get(f"<anonymous@{made.start_byte}>")  # `axios.create().post(url)`
        if instance is not None and instance.library == "axios":
            return "axios", instance, call.name
    return None


@js_detector(ID, ["timeout", "missing_timeout", "outbound_call"],
          valid=['// the word timeout in a comment: axios.get(url, { timeout: 5 })',
                 'const message = "axios.get(url) timed out: timeout";',
                 'router.get("/health", handler);'],
          invalid=['axios.get("http://risk:8080/score", { timeout: 200 });',
                   'axios.post("http://risk:8080/score", body);'])
def detect(ctx: FileContext) -> None:
    global_default = _global_default(ctx)
    _instance_defaults(ctx)
    used: set[str] = set()
    for call in ctx.calls:
        found = _axios_call(ctx, call)
        if found is None:
            continue
        library, instance, method = found
        if instance is not None:
            used.add(instance.name.removeprefix("this."))
        _request(ctx, call, library, instance, method, global_default)
    for instance in {id(i): i for i in ctx.all_instances}.values():
        if instance.library != "axios" or instance.create is None:
            continue
        target, pending, _ = ctx.url_target(None, instance.base_url)
        props = ctx.props(instance.config) or {}
        timeout = props.get("timeout")
        if timeout is not None and not is_disabled_value(timeout):
            attrs, confidence, tpending = ctx.timeout_value(timeout)
            attrs["phase"] = "total"
            attrs["scope"] = "instance"
            ctx.finding("timeout", instance.create, ID, attrs, confidence, target, tpending + pending)
        elif instance.name.removeprefix("this.") not in used and instance.known_defaults \
                and not instance.has_timeout and not global_default:
            ctx.finding("missing_timeout", instance.create, ID,
                        {"library": "axios", "library_default_ms": None}, "medium", target, pending)


def _global_default(ctx: FileContext) -> bool:
    """`axios.defaults.timeout = N` anywhere in the file (reported as a timeout finding)."""
    found = False
    for assign in _timeout_assignments(ctx):
        left = dotted(assign.child_by_field_name("left"))
        if ctx.qualify(left) == "axios.defaults.timeout":
            found = True
            right = assign.child_by_field_name("right")
            if not is_disabled_value(right):
                attrs, confidence, pending = ctx.timeout_value(right)
                attrs["phase"] = "total"
                attrs["scope"] = "global"  # every bare axios call of the process, in any file
                ctx.finding("timeout", assign, ID, attrs, confidence, None, pending)
    return found


def _instance_defaults(ctx: FileContext) -> None:
    """`client.defaults.timeout = N` on an instance of this file."""
    for assign in _timeout_assignments(ctx):
        left = dotted(assign.child_by_field_name("left"))
        receiver = left[: -len(".defaults.timeout")]
        instance = instance_for(ctx, receiver)
        if instance is None or instance.library not in ("axios", "nestjs-axios"):
            continue
        right = assign.child_by_field_name("right")
        if is_disabled_value(right):
            instance.has_timeout = False
            continue
        instance.has_timeout = True
        target, pending, _ = ctx.url_target(None, instance.base_url)
        attrs, confidence, tpending = ctx.timeout_value(right)
        attrs["phase"] = "total"
        attrs["scope"] = "instance"
        ctx.finding("timeout", assign, ID, attrs, confidence, target, tpending + pending)


def _timeout_assignments(ctx: FileContext):
    if b"defaults" not in ctx.data or b"timeout" not in ctx.data:
        return  # `x.defaults.timeout` (or `x["defaults"]["timeout"]`) spells both words
    q = query(ctx.grammar, "assignments")
    for match in ts.matches(q, ctx.tree.root_node):
        left = dotted(match["left"][0])
        if left.endswith(".defaults.timeout"):
            yield match["assign"][0]


def _request(ctx: FileContext, call: CallInfo, library: str, instance, method: str, global_default: bool) -> None:
    index = _CONFIG_INDEX[method]
    url_node = None
    if method == "request":
        first = ctx.resolve_object(call.arg(0))
        arg0 = unwrap(call.arg(0))
        if first is not None:
            config_node = call.arg(0)
        elif call.arg(1) is not None or (arg0 is not None and (
                arg0.type in ("string", "template_string", "binary_expression") or
                re.search(r"url|uri|endpoint|href", ts.text(arg0), re.I))):
            url_node, config_node = call.arg(0), call.arg(1)
        else:
            config_node = call.arg(0)  # `axios.request(options)`: options built elsewhere
    else:
        url_node, config_node = call.arg(0), call.arg(index)
    config = ctx.resolve_object(config_node)
    props = ctx.props(config) if config is not None else {}
    if url_node is None and props is not None:
        url_node = props.get("url")
    if method != "request":
        http_method = method.upper()
    elif config_node is not None and config is None:
        http_method = None  # `client(error.config)`: whatever the original request was
    else:
        http_method = (string_value((props or {}).get("method")) or "GET").upper()
    base = instance.base_url if instance is not None else None
    target, pending, literal = ctx.url_target(url_node, base)
    ctx.finding("outbound_call", call.node, ID, {"protocol": "http", "method": http_method, "url": literal},
                "high", target, pending)
    ctx.outbound[(call.node.start_byte, call.node.end_byte)] = Outbound(call.node, library, target, pending)
    timeout = (props or {}).get("timeout")
    if timeout is None and props:
        # `axios.get(url, { signal: AbortSignal.timeout(5000) })`: the request is aborted after 5 s
        timeout = _abort_timeout_ms((props or {}).get("signal"))
        if timeout is None and (props or {}).get("signal") is not None:
            # (round 13) `{ signal: controller.signal as any }` with `setTimeout(() => controller.abort(),
            # 120000)` before the request: the same reading as fetch's signal
            from extractors.javascript.detectors.fetch import _UNKNOWN, signal_timeout
            found = signal_timeout(ctx, props.get("signal"), call.node)
            timeout = None if found is _UNKNOWN else found
    if timeout is not None and not is_disabled_value(timeout):
        attrs, confidence, tpending = ctx.timeout_value(timeout)
        attrs["phase"] = "total"
        attrs["scope"] = "call"
        ctx.finding("timeout", call.node, ID, attrs, confidence, target, tpending + pending)
        return
    if timeout is None:
        if config is None and _through_helper(ctx, call, config_node, target, pending):
            return  # the helper's callers pass options with a timeout: reported at each caller
        if config_node is not None and (config is None or ctx.opaque(config)):
            return  # options built elsewhere: cannot tell
        if instance is None and global_default:
            return
        if instance is not None and (not instance.known_defaults or instance.has_timeout):
            return
    ctx.finding("missing_timeout", call.node, ID,
                {"library": "axios" if library == "axios" else library, "library_default_ms": None},
                "medium", target, pending)


def _parameter_index(fn: ts.Node, name: str) -> int | None:
    params = fn.child_by_field_name("parameters")
    if params is None:
        return None
    for index, param in enumerate(params.named_children):
        node = param.child_by_field_name("pattern") or param
        if node.type == "assignment_pattern":
            node = node.child_by_field_name("left")
        if node is not None and node.type == "identifier" and ts.text(node) == name:
            return index
    return None


def _through_helper(ctx: FileContext, call: CallInfo, config_node, target, pending) -> bool:
    """`makeRequest(options) { return axios.request(options); }` called as `this.makeRequest({timeout})`
    in this file: each caller's options carry the timeout, reported on the caller's line."""
    node = unwrap(config_node)
    if node is None or node.type != "identifier":
        return False
    name = ts.text(node)
    fn = next((p for p in ts.ancestors(call.node) if p.type in FUNCTION_TYPES), None)
    if fn is None or fn.type not in ("method_definition", "function_declaration"):
        return False
    fn_name = ts.text(fn.child_by_field_name("name"))
    index = _parameter_index(fn, name)
    if not fn_name or index is None:
        return False
    found = False
    for other in ctx.calls:
        if other.name != fn_name or other.callee not in (fn_name, f"this.{fn_name}") or inside(other.node, fn):
            continue
        props = ctx.props(ctx.resolve_object(other.arg(index))) or {}
        timeout = props.get("timeout")
        if timeout is None or is_disabled_value(timeout):
            continue
        attrs, confidence, tpending = ctx.timeout_value(timeout)
        attrs["phase"] = "total"
        attrs["scope"] = "call"
        ctx.finding("timeout", other.node, ID, attrs, confidence, target, tpending + pending)
        found = True
    return found
