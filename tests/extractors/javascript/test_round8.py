"""Round 8 of the held-out measurement: rules found on unseen JS/TS services (Cronicle, Vendure,
saleor/apps, PostHog's plugin-server), checked across files by a scan (the per-file annotations
are checked by test_fixtures)."""

from __future__ import annotations

from pathlib import Path

from extractors.javascript.context import FileContext
from extractors.javascript.detectors.wrapper_call import _key_of

ROOT = Path(__file__).resolve().parents[3]
SERVICE = ROOT / "fixtures" / "javascript" / "round8" / "service"


def _scan(root: Path):
    from contract_discovery.pipeline import scan

    return {(f.path, f.line, f.kind, f.attributes.get("phase")): f.attributes.get("timeout_ms")
            for f in scan(root).findings if f.kind in ("timeout", "retry")}


def test_helper_calls_defaults_and_forwarders_across_the_service():
    assert _scan(SERVICE) == {
        # a connection helper handed a connect and a request bound: both, on the call, with the
        # env schema's defaults
        ("src/main-table.ts", 5, "timeout", "connect"): 2000,
        ("src/main-table.ts", 5, "timeout", "total"): 5000,
        # the same read from a settings object handed in by the environment variables' names
        ("src/main-table.ts", 12, "timeout", "connect"): 2000,
        ("src/main-table.ts", 12, "timeout", "total"): 5000,
        # (createOther hands its options parameter's own member on: a forwarder, dropped; so are the
        # helpers' own `opts.requestTimeout` and the race helper's `timeout`)
        # a class field handed to another file's race helper: the field's default and value
        ("src/metadata-manager.ts", 12, "timeout", "total"): 3000,
        ("src/metadata-manager.ts", 16, "timeout", "total"): 4000,
        # rule (b): a construction leaving the defaulted parameter out gets the default; (c) one passing a value
        ("src/register.ts", 5, "timeout", "total"): 3000,
        ("src/register.ts", 6, "timeout", "total"): 1500,
        # a pause raced against a client's connection, with a defaulted bound (rule (a)) ...
        ("src/lib/health-indicator.ts", 8, "timeout", "total"): 5000,
        # ... and the calls leaving it out (rule (b)): returned from an arrow on a module variable
        # typed as the class, awaited on an instance a DI container hands out
        ("src/health-check.ts", 13, "timeout", "total"): 5000,
        ("src/health-check.ts", 18, "timeout", "total"): 5000,
        # (mmdb-server.ts: a timer around a server's listen is no contract)
    }


def test_an_env_named_member_of_a_parameter_is_a_config_field_not_an_option():
    params = {"dynamoEnv": ("dynamoEnv", 0), "opts": ("opts", 1)}
    assert _key_of("dynamoEnv.DYNAMODB_REQUEST_TIMEOUT_MS", params) is None
    assert _key_of("opts.requestTimeout", params) == ("1.requestTimeout", None)
    assert _key_of("opts.TIMEOUT", params) == ("1.TIMEOUT", None)  # no underscore: an option's name


def test_an_env_named_member_of_a_parameter_reads_the_variable_with_the_schema_default():
    from contract_discovery.values import Env, Ref

    ctx = FileContext.build("a.ts", b"export function f(dynamoEnv) {\n"
                                    b"  return make({ requestTimeout: dynamoEnv.DYNAMODB_REQUEST_TIMEOUT_MS });\n}\n"
                                    b"export const g = settings.DYNAMODB_REQUEST_TIMEOUT_MS;\n")
    from extractors import treesitter as ts

    members = [n for n in ts.walk(ctx.tree.root_node) if n.type == "member_expression" and n.text.endswith(b"TIMEOUT_MS")]
    assert ctx.to_expr(members[0]) == Env("DYNAMODB_REQUEST_TIMEOUT_MS", Ref("$envdefault.DYNAMODB_REQUEST_TIMEOUT_MS"))
    assert ctx.to_expr(members[1]) == Ref("settings.DYNAMODB_REQUEST_TIMEOUT_MS")  # not a parameter: a module's


def test_a_scoped_workspace_package_subpath_is_the_projects():
    from extractors.javascript.detectors.wrapper_call import _SCOPED

    assert _SCOPED.match("@saleor/apps-shared/race.race")
    assert _SCOPED.match("@acme/http-kit.callApi")
    assert not _SCOPED.match("axios.get")
