"""node_redis (v2/v3) `retry_strategy` given to `redis.createClient({...})` (round 19, js1: Firefox Send).

What it does: in a file importing ``redis`` (or calling ``redis.createClient``), reports a ``retry`` at the ``retry_strategy`` key of the
options handed to ``createClient`` (a client constructor's option, at the key's line): the function the
client calls before each reconnect attempt, the initial connection's included. Its attempts are
``N + 1`` when the function gives up on ``options.attempt > N`` (``>= N``: N), else null (a bound by total
time only, `options.total_retry_time > 10000`, or none).

Never: a strategy that is no function of this file (`retry_strategy: this._redisRetry`, a member that
may be undefined), a ``retry_strategy`` in an object no ``createClient`` call receives (a config module's entry that
is never handed to a client), ioredis's ``retryStrategy`` (reported by client_options).

Why it matters: while the strategy returns a delay, every command waits for the reconnects.

Example::

    const client = redis.createClient({
      host,
      retry_strategy: options => (options.total_retry_time > 10000 ? new Error('exhausted') : 500)
    })
"""

from __future__ import annotations

import re

from extractors import treesitter as ts
from extractors.javascript.context import FileContext, js_detector, key_name, unwrap

ID = "javascript.redis_retry_strategy"
_ATTEMPT_BOUND = re.compile(r"\.attempt\s*(>=?)\s*(\d+)")


@js_detector(ID, ["retry"],
             valid=["const config = { redis: { retry_strategy: (o) => 500 } }",
                    "const redis = require('redis');\nconst c = redis.createClient({ host: 'x' })"],
             invalid=["const redis = require('redis');\nconst c = redis.createClient({\n  retry_strategy: (o) => 500\n})"])
def detect(ctx: FileContext) -> None:
    if b"retry_strategy" not in ctx.data or b"createClient" not in ctx.data:
        return
    names = ctx.local_names_for("redis")
    taken = {f.line for f in ctx.findings if f.kind == "retry"}
    for call in ctx.calls:
        if call.name != "createClient" or not (call.receiver in names or call.qualified.startswith("redis") or
                                               re.fullmatch(r"(?i)redis(_?lib)?", call.receiver or "")):
            # (`const redis = require(redis_lib)` with `redis_lib` 'redis' or 'redis-mock': named so)
            continue
        options = ctx.resolve_object(call.arg(0)) or unwrap(call.arg(0))
        if options is None or options.type != "object":
            continue
        for pair in options.named_children:
            if pair.type != "pair" or key_name(pair.child_by_field_name("key")) != "retry_strategy":
                continue
            line = pair.start_point[0] + 1
            if line in taken:
                continue
            strategy = unwrap(pair.child_by_field_name("value"))
            if strategy is not None and strategy.type == "identifier":
                strategy = unwrap(ctx.local_value(ts.text(strategy), pair)) or ctx.functions.get(ts.text(strategy))
            if strategy is None or strategy.type not in ("arrow_function", "function_expression", "function",
                                                         "function_declaration"):
                # (`retry_strategy: this._redisRetry`: a member that may not be there, bbb-webrtc-sfu reads a
                # static method off an instance: undefined, no strategy applied)
                continue
            bound = _ATTEMPT_BOUND.search(ts.text(strategy)) if strategy is not None else None
            attempts = (int(bound.group(2)) + (1 if bound.group(1) == ">" else 0)) if bound else None
            attrs = {"max_attempts": attempts, "backoff": None, "retry_on": "connection",
                     "mechanism": "client_config", "library": "redis"}
            ctx.finding("retry", pair, ID, attrs, "medium" if attempts is None else "high")
            taken.add(line)
