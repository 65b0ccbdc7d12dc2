"""Options of a few packages whose keys say nothing on their own (round 12), read by client_options.

- Upstash Redis's REST client: ``new Redis({ url, token, signal: () => AbortSignal.timeout(1500) })``
  (each command's request is aborted after that long; ``@upstash/redis``, also its ``/cloudflare``
  and ``/nodejs`` entry points);
- Upstash Ratelimit: ``new Ratelimit({ redis, limiter, timeout: 1000 })`` (the Redis round trip's
  bound: the request is let through after that long);
- better-fetch: ``createFetch({ baseURL, retry: { type: "linear", attempts: 1 } })`` /
  ``betterFetch(url, { retry: 2, timeout: 5000 })`` (attempts are retries after the first try; a
  number is the attempts);
- poolee: ``new Poolee(http, nodes, { timeout: 5000, maxRetries: 0 })`` (retries after the first try; round 18
  fixes);
- pacote / npm-registry-fetch: ``packument(name, { fetchRetries: 2, timeout: 30000 })`` (retries
  after the first try; the request's timeout in ms).

Each on the option's own line, as client options are. Never the same keys of an object handed to
anything else (a `signal` of a fetch's init is the fetch detector's; a `timeout` of an unknown call is
client_options' general rule).
"""

from __future__ import annotations

from extractors import treesitter as ts
from extractors.javascript.context import FUNCTION_TYPES, FileContext, dotted, object_props, unwrap

_UPSTASH_REDIS = ("@upstash/redis",)
_UPSTASH_RATELIMIT = ("@upstash/ratelimit",)
_BETTER_FETCH = ("@better-fetch/fetch",)
_POOLEE = ("poolee",)
_NPM_FETCH = ("pacote", "npm-registry-fetch", "libnpmaccess", "libnpmpublish", "libnpmsearch")


def _owner_call(ctx: FileContext, obj: ts.Node) -> str:
    """The qualified name of the call or construction ``obj`` is an argument of ('' when none)."""
    parent = obj.parent
    call = parent.parent if parent is not None and parent.type == "arguments" else None
    if call is None or call.type not in ("call_expression", "new_expression"):
        return ""
    fn = call.child_by_field_name("function") if call.type == "call_expression" else \
        call.child_by_field_name("constructor")
    name = dotted(unwrap(fn)) if fn is not None else ""
    return ctx.qualify(name) if name else ""


def _from(qualified: str, modules: tuple[str, ...]) -> bool:
    return any(qualified == m or qualified.startswith(m + ".") or qualified.startswith(m + "/") for m in modules)


def _abort_timeout_ms(node: ts.Node | None) -> ts.Node | None:
    """`() => AbortSignal.timeout(1500)` / `AbortSignal.timeout(1500)`: the ms node."""
    node = unwrap(node)
    if node is not None and node.type in FUNCTION_TYPES:
        node = unwrap(node.child_by_field_name("body"))
    if node is None or node.type != "call_expression" or \
            dotted(node.child_by_field_name("function")) != "AbortSignal.timeout":
        return None
    args = node.child_by_field_name("arguments")
    given = [a for a in (args.named_children if args is not None else []) if a.type != "comment"]
    return given[0] if len(given) == 1 else None


def handled(ctx: FileContext, pair: ts.Node, key: str, value: ts.Node | None, obj: ts.Node, taken) -> bool:
    """Report ``pair`` when it is one of the options above; True when it was (or is such an option
    that sets nothing), False to let client_options' own rules read it."""
    if key not in ("signal", "timeout", "retry", "fetchRetries", "maxRetries") or value is None or pair.type != "pair":
        return False
    from extractors.javascript.detectors.client_options import _retry, _timeout
    owner = _owner_call(ctx, obj)
    if not owner:
        return False
    if key == "maxRetries" and _from(owner, _POOLEE):
        # (round 18 fixes) poolee's `new Poolee(http, nodes, { timeout, maxRetries: 0 })`: retries after the first try
        _retry(ctx, pair, value, 1.0, "poolee", taken)
        return True
    if key == "signal" and _from(owner, _UPSTASH_REDIS):
        ms = _abort_timeout_ms(value)
        if ms is not None:
            _timeout(ctx, pair, ms, "total", taken)
        return True
    if key == "timeout" and _from(owner, _UPSTASH_RATELIMIT):
        _timeout(ctx, pair, value, "total", taken)
        return True
    if _from(owner, _BETTER_FETCH):
        if key == "timeout":
            _timeout(ctx, pair, value, "total", taken)
            return True
        if key == "retry":
            inner = unwrap(value)
            if inner is not None and inner.type == "number":
                _retry(ctx, pair, inner, 1.0, "better-fetch", taken)
                return True
            attempts = (object_props(inner) or {}).get("attempts") if inner is not None and inner.type == "object" \
                else None
            if attempts is not None:
                holder = attempts.parent if attempts.parent is not None and attempts.parent.type == "pair" else pair
                _retry(ctx, holder, attempts, 1.0, "better-fetch", taken)
                return True
        return False
    if _from(owner, _NPM_FETCH):
        if key == "fetchRetries":
            _retry(ctx, pair, value, 1.0, "npm-registry-fetch", taken)
            return True
        if key == "timeout":
            _timeout(ctx, pair, value, "total", taken)
            return True
    return False
