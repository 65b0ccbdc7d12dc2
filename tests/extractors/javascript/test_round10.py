"""Round 10 of the held-out measurement: rules found on unseen JS/TS services (Midday's API and
worker, Trigger.dev's supervisor, Uppy Companion, Reactive Resume, BigBlueButton's webhooks),
checked across files by a scan (the per-file annotations are checked by test_fixtures)."""

from __future__ import annotations

from pathlib import Path

from extractors.javascript.context import FileContext

ROOT = Path(__file__).resolve().parents[3]
SERVICE = ROOT / "fixtures" / "javascript" / "round10" / "service"


def _scan(root: Path):
    from contract_discovery.pipeline import scan

    return {(f.path, f.line, f.kind, f.attributes.get("phase")):
            f.attributes.get("timeout_ms" if f.kind == "timeout" else "max_attempts")
            for f in scan(root).findings if f.kind in ("timeout", "retry")}


def test_retry_helpers_defaults_and_their_calls_across_the_service():
    assert _scan(SERVICE) == {
        # rule (a): `{ maxRetries = 3 }: {...} = {}`, a member of an options parameter with its
        # own default, bounds the helper's loop (3 retries: 4 tries)
        ("src/retry.ts", 7, "retry", None): 4,
        # a loop re-running an update while it matches no row (`if (result && result.length > 0)
        # return result`), waiting between tries: a retry without any exception (maxRetries = 2)
        ("src/retry.ts", 21, "retry", None): 2,
        # rule (b): a call leaving the options object out gets the member's default
        ("src/use.ts", 4, "retry", None): 4,
        # rule (c): a call passing `{ maxRetries: 5 }`
        ("src/use.ts", 8, "retry", None): 6,
        # rule (b) and (c) for a positional default
        ("src/use.ts", 12, "retry", None): 2,
        ("src/use.ts", 13, "retry", None): 4,
        # `const { maxRetries = 1 } = options || {}` in the helper's body: (a) on its loop, (b) on a
        # returned call leaving the options out
        ("src/db-retry.ts", 9, "retry", None): 2,
        ("src/use.ts", 22, "retry", None): 2,
        # an options object with only a flag (`{ retryOnNull: true }`) leaves the bound out too
        ("src/use.ts", 27, "retry", None): 2,
        # a loop retrying a Go-style `[error, data] = await tryCatch(...)` until no error
        ("src/compute.ts", 10, "retry", None): 3,
        # an object with keys only ioredis reads is its options wherever it goes; the production
        # branch of `isProduction ? 15000 : 5000` is what the service runs with
        ("src/redis.ts", 9, "retry", None): None,
        ("src/redis.ts", 12, "timeout", "connect"): 15000,
        # Bun's RedisClient: its connect bound counts, `maxRetries` beside `autoReconnect` does not
        ("src/redis.ts", 25, "timeout", "connect"): 5000,
        # tus-js-client's retryDelays: one retry per delay
        ("src/uploads.ts", 7, "retry", None): 5,
        # the Kubernetes API's timeoutSeconds on a collection call (seconds)
        ("src/k8s.ts", 5, "timeout", "total"): 30000,
        # a catch that sends a failure message is no retry of the try's request (the try's and
        # the catch's own bounds stay); a catch calling the same thing again is
        ("src/notify.ts", 4, "timeout", "total"): 5000,
        ("src/notify.ts", 7, "timeout", "total"): 5000,
        ("src/notify.ts", 12, "retry", None): 2,
        # a race between a pending connection (`p = client.connect()...`) and a timer settling
        # false: (a) on the race with `timeoutMs = 2_000`, (b) on a call leaving it out
        ("src/cache.ts", 10, "timeout", "total"): 2000,
        ("src/use.ts", 33, "timeout", "total"): 2000,
        # values through a settings object typed by the project's type, built in another file
        # (`const proxyCfg: ServerConfig['proxy'] = {...}`, read as `cfg.headersTimeout` of a
        # `cfg: ProxyConfig` parameter, ServerConfig's `proxy` member type): the code's defaults
        ("src/proxy.ts", 8, "timeout", "read"): 10000,
        ("src/proxy.ts", 9, "timeout", "read"): 30000,
        ("src/proxy.ts", 14, "timeout", "total"): 3000,
    }


def test_which_branch_of_an_environment_ternary_the_service_runs():
    from extractors import treesitter as ts

    def value(source: bytes, text: str):
        ctx = FileContext.build("a.ts", source)
        node = next(n for n in ts.walk(ctx.tree.root_node) if ts.text(n) == text)
        return ctx.evaluate(ctx.to_expr(node)).value

    assert value(b"const t = isProduction ? 15000 : 5000;", "isProduction ? 15000 : 5000") == 15000
    assert value(b"const t = config.isProd ? 15000 : 5000;", "config.isProd ? 15000 : 5000") == 15000
    assert value(b"const t = !isProduction ? 5000 : 15000;", "!isProduction ? 5000 : 15000") == 15000
    assert value(b"const t = isDev ? 5000 : 15000;", "isDev ? 5000 : 15000") == 15000
    assert value(b"const t = process.env.NODE_ENV === 'production' ? 15000 : 5000;",
                 "process.env.NODE_ENV === 'production' ? 15000 : 5000") == 15000
    assert value(b"const t = env !== 'development' ? 15000 : 5000;", "env !== 'development' ? 15000 : 5000") == 15000
    # any other condition: no branch is known
    assert value(b"const t = useFast ? 5000 : 15000;", "useFast ? 5000 : 15000") is None


def _param_default(source: bytes, text: str):
    from extractors import treesitter as ts

    ctx = FileContext.build("a.ts", source)
    node = next(n for n in ts.walk(ctx.tree.root_node) if ts.text(n) == text and n.type == "identifier"
                and n.parent is not None and n.parent.type == "binary_expression")
    return ctx.evaluate(ctx.to_expr(node)).value


def test_a_destructured_parameters_member_default_is_its_value():
    ts_source = (b"export function f(fn, { maxRetries = 3 }: { maxRetries?: number } = {}) {\n"
                 b"  return maxRetries + 1;\n}\n")
    assert _param_default(ts_source, "maxRetries") == 3
    js_source = b"export function f(fn, { retries = 2, delay } = {}) {\n  return retries + delay;\n}\n"
    assert _param_default(js_source, "retries") == 2
    # a member without a default stays unknown (a caller's value)
    assert _param_default(js_source, "delay") is None
