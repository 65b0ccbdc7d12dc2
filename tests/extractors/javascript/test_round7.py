"""Round 7 of the held-out measurement: rules found on unseen JS/TS services (capgo, dittofeed,
signalk-server, ioBroker, nightscout), each with a positive and a negative case."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.values import Env, Num, Ref

from extractors.javascript.context import FileContext
from extractors.javascript.context import descendants

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "fixtures" / "javascript" / "round7"


def _values(root: Path, kinds=("timeout", "retry")):
    from contract_discovery.pipeline import scan

    return {(f.path, f.line, f.kind): f.attributes.get("timeout_ms", f.attributes.get("max_attempts"))
            for f in scan(root).findings if f.kind in kinds}


def test_a_settings_singleton_built_by_a_transform_settles_its_reads_across_the_service():
    got = _values(FIXTURES / "config_loader")
    assert got == {
        ("clickhouse.ts", 10, "timeout"): 180000,      # config().queryTimeout: `raw.x ? parseInt(raw.x) : 180000`
        ("clickhouse.ts", 12, "timeout"): 300000,      # destructured from config(), 300 s of max_execution_time
        ("clickhouse.ts", 19, "timeout"): None,        # destructured from a parameter: unknown
        ("workflow.ts", 8, "timeout"): 60000,
        ("workflow.ts", 18, "timeout"): 300000,        # `initial.activityTimeout` of `await config([...])`
        ("workflow.ts", 19, "retry"): 5,               # parseAttempts(raw.x, 5): the defaultValue parameter
        ("workflow.ts", 24, "timeout"): 120000,
        ("workflow.ts", 25, "retry"): 10,              # the test-only branch (1) is not what runs
        ("workflow.ts", 30, "timeout"): 30000,
        ("workflow.ts", 31, "retry"): None,            # `: undefined` when unset: no default
        ("workflow.ts", 42, "timeout"): 120000,
        ("workflow.ts", 43, "retry"): 3,               # node.retryCount ?? 3
    }


def test_settings_members_published_by_the_transform_and_defaults_of_parse_helpers():
    path = FIXTURES / "config_loader" / "config.ts"
    ctx = FileContext.build("config.ts", path.read_bytes())
    published = {k: v for k, v in ctx.symbols.items() if k.startswith("config.$return.")}
    assert published["config.$return.queryTimeout"] == Num(180000)
    assert published["config.$return.sendMaxAttempts"] == Num(5)
    assert published["config.$return.pollMaxAttempts"] == Num(10)
    assert "config.$return.journeyMaxAttempts" not in published
    # a parse helper reading the environment keeps the variable, with the helper's default
    env = FileContext.build("limits.ts", b'function toInt(value: string | undefined, defaultValue: number) {\n'
                                        b'  return value ? parseInt(value) : defaultValue;\n}\n'
                                        b'export const RETRIES = toInt(process.env.RETRIES, 4);\n'
                                        b'export const OTHER = toInt(process.env.OTHER);\n'
                                        b'export const PLAIN = otherHelper(process.env.X, 4);\n')
    assert env.symbols == {"RETRIES": Env("RETRIES", Num(4))}


def test_a_function_not_named_for_settings_is_no_settings_read():
    ctx = FileContext.build("a.ts", b'import { buildThing } from "./lib";\n'
                                    b'export function f() {\n'
                                    b'  const { timeout } = buildThing();\n'
                                    b'  return fetchThing({ timeout: timeout, other: buildThing().retries });\n}\n')
    pairs = [n for n in descendants(ctx.tree.root_node) if n.type == "pair"]
    call = next(n for n in pairs if n.text.startswith(b"timeout"))
    other = next(n for n in pairs if n.text.startswith(b"other"))
    assert ctx.to_expr(call.child_by_field_name("value")) == Ref("timeout")
    assert not isinstance(ctx.to_expr(other.child_by_field_name("value")), Ref)


def test_calls_of_a_private_helper_of_the_same_file_hold_the_timeouts_it_forwards():
    got = _values(FIXTURES / "same_file_helper")
    # the helper's own fetch forwards its parameter (dropped); each call passing a value is the
    # contract: a constant, a setting with the code's default; a caller's own parameter is not
    assert got == {("registry.ts", 15, "timeout"): 5000, ("registry.ts", 16, "timeout"): 20000}
