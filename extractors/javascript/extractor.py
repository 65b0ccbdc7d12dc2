"""The JavaScript/TypeScript extractor: one parse per file, every detector in one pass.

`.ts`/`.mts`/`.cts` parse with the TypeScript grammar, `.tsx` with TSX, the rest (`.js`, `.mjs`,
`.cjs`, `.jsx`) with JavaScript. Detectors run in order because later ones read what earlier
ones learnt: the HTTP client detectors record outbound calls (whose targets the retry detectors
attach), the retry detectors record the code that runs once per attempt (where the fresh-ID
detector looks).
"""

from __future__ import annotations

import re

from contract_discovery.model import ErrorEntry, FileResult
from extractors import treesitter as ts
from extractors.base import Extractor
from extractors.javascript.context import LANGUAGE, FileContext
from extractors.javascript import new_id_helpers_r22
from extractors.javascript.detectors import (_clients, axios, circuit_breaker, client_options, deadlines, drivers, fallback, fetch,
                                             fresh_ids, got, grpc, idempotency, ky, nestjs_http, node_http, libcurl_js1, ofetch, options_helper_js1, retry_libraries,
                                             retry_loops, superagent, urllib, wrapper_call)
from extractors.javascript.detectors import (factory_class_r18fix, flag_counter_loop_r18fix, member_timeout_r18fix,
                                             merged_driver_options_r18fix, redelivery_budget_r18fix, connect_rerun_r18fix,
                                             got_hook_retry_r18fix)
from extractors.javascript.detectors import assigned_connect_js2, call_waits_js2, infra_constructs_js2
from extractors.javascript.detectors import callback_retry_js1, redis_retry_strategy_js1, sequelize_config_js1, wreck_js1
from extractors.javascript.detectors import option_body_default_js1
from extractors.javascript.detectors import (attempt_cap_js3, client_ctor_js3, counted_recursion_js3, mongo_reconnect_js3,
                                             nil_argument_js3, request_lib_js3, retry_promise_js3)
from extractors.javascript.detectors import handler_resend_js3, redelivered_flag_js3, sql_statement_timeout_js3

DETECTORS = (
    axios.detect, nestjs_http.detect, fetch.detect, got.detect, ky.detect, ofetch.detect, node_http.detect, superagent.detect, urllib.detect,
    options_helper_js1.detect, libcurl_js1.detect, grpc.detect, retry_libraries.detect, retry_promise_js3.detect, attempt_cap_js3.detect, deadlines.detect, request_lib_js3.detect, option_body_default_js1.detect, client_options.detect, client_ctor_js3.detect, mongo_reconnect_js3.detect, merged_driver_options_r18fix.detect, drivers.detect, retry_loops.detect, counted_recursion_js3.detect, handler_resend_js3.detect, flag_counter_loop_r18fix.detect, redelivery_budget_r18fix.detect, connect_rerun_r18fix.detect, got_hook_retry_r18fix.detect, circuit_breaker.detect, fallback.detect, fresh_ids.detect,
    idempotency.detect, member_timeout_r18fix.detect, wrapper_call.detect, factory_class_r18fix.detect,
    infra_constructs_js2.detect, call_waits_js2.detect, assigned_connect_js2.detect,
    wreck_js1.detect, sequelize_config_js1.detect, callback_retry_js1.detect, redis_retry_strategy_js1.detect,
    nil_argument_js3.detect, sql_statement_timeout_js3.detect, redelivered_flag_js3.detect,
)
# (round 19, js4) shapes of the second-wave TypeScript sets (shelf, passport, akash-console)
from extractors.javascript.detectors import (connect_call_js4, cosmjs_js4, http_client_field_js4,  # noqa: E402
                                             poll_policy_js4, pulumi_js4, same_signal_js4)

DETECTORS = (http_client_field_js4.register,) + DETECTORS + (pulumi_js4.detect, cosmjs_js4.detect, connect_call_js4.detect,
                                                             poll_policy_js4.detect, same_signal_js4.detect)
# (round 20, js1) first-contact shapes of the round-20 JavaScript sets (zenbot, pterodactyl-daemon, storj-bridge,
# nightscout-connect)
from extractors.javascript.detectors import (failover_loop_js1, handed_bounds_js1, request_inline_js1,  # noqa: E402
                                             rerun_retry_js1, resend_once_js1, deadline_helper_js1, retry_budget_js1)

DETECTORS = DETECTORS + (rerun_retry_js1.detect, request_inline_js1.detect, handed_bounds_js1.detect,
                         failover_loop_js1.detect, resend_once_js1.detect, deadline_helper_js1.detect,
                         retry_budget_js1.detect)
# (round 20, ts second wave) libp2p's per-operation signals and DHT query bounds (ocean-node)
from extractors.javascript.detectors import assigned_axios_timeout_ts2, es_ping_ts2, fetch_retry_ts2, libp2p_ts2  # noqa: E402

from extractors.javascript.detectors import promise_timer_ts2  # noqa: E402

DETECTORS = DETECTORS + (libp2p_ts2.detect, fetch_retry_ts2.detect, es_ping_ts2.detect, assigned_axios_timeout_ts2.detect,
                         promise_timer_ts2.detect)

# (round 22, js2) Temporal workflow start options (crowd.dev), @api3/promise-utils go() (airseeker), a budget
# rejected in a resending promise handler (skandha's relays), a race against a local sleep-then-throw timer
from extractors.javascript.detectors import (elapsed_reject_js2r22, promise_utils_js2r22, race_helper_js2r22,  # noqa: E402
                                             temporal_workflow_js2r22)

DETECTORS = DETECTORS + (temporal_workflow_js2r22.detect, promise_utils_js2r22.detect, elapsed_reject_js2r22.detect,
                         race_helper_js2r22.detect)

from extractors.javascript import nconf_js1r22  # noqa: E402
from extractors.javascript.detectors import ldap_cb_js1r22, proxy_js1r22, retry_request_js1r22, unreachable_js1r22  # noqa: E402,E501
from extractors.javascript.detectors import pa11y_js1r22  # noqa: E402

# (round 22, js1) unreachable_js1r22 runs last: it drops what the others found after a `return`
DETECTORS = DETECTORS + (nconf_js1r22.publish, retry_request_js1r22.detect, ldap_cb_js1r22.detect,
                         proxy_js1r22.detect, pa11y_js1r22.detect, unreachable_js1r22.detect)

# A file that may hand a number to a helper of another file (`callApi(url, 2000)`): it imports
# something and passes a number or a constant somewhere. Read for calls even without any other word.
_HELPER_CALL = re.compile(rb"[(,]\s*(?:\d|[A-Z][A-Z0-9_]{2,}\b)|:\s*\d")
# a module named as the project's test suite (`lib/test.js`, `tests.ts`): test code, whatever its folder
_TEST_MODULE = re.compile(r"(^|/)tests?\.(js|mjs|cjs|ts|mts|cts)$")
_CONSTRUCTION = re.compile(rb"\bnew [A-Z][A-Za-z0-9_$]*\(|\bawait\s|=>\s*[\w$.]+\.\w+\(|\breturn\s+[\w$.]+\.\w+\(")


# Words one of which every finding needs: the prefilter's tokens less those kept only for constants,
# plus `credentials` (a gRPC client is `new XClient(address, credentials.createInsecure())`), the
# attempt-counter names of retry_loops.RETRYISH, and (case-sensitive, see ``may_hold_finding``) `set`,
# which every store of the idempotency detector is named with. A file without any is read for its
# constants and imports only: no call is collected, no detector runs.
FINDING_WORDS = (b"axios", b"fetch", b"got", b"ky", b"http", b"request", b"superagent", b"deadline", b"retr",
                 b"attempt", b"tries", b"tried", b"trycount", b"try_count", b"catch", b"timeout", b"uuid", b"nanoid",
                 b"circuit", b"opossum", b"cockatiel", b"idempot", b"credentials", b"maxtimems")


def may_hold_finding(data: bytes) -> bool:
    if b"set" in data:
        return True
    lower = data.lower()  # ASCII case-insensitive, like the prefilter; `in` beats one big regex 7x
    return any(word in lower for word in FINDING_WORDS)


class JavascriptExtractor(Extractor):
    name = "javascript"
    language = LANGUAGE
    extensions = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx")
    filenames = ()
    # Any of these must appear for a file to hold a finding. "catch" keeps the seed's try/catch
    # retry. Constant-only files (config modules) are read by the pipeline's symbol pass when a
    # finding names one of their constants, so they need no token of their own.
    prefilter_tokens = (
        b"axios", b"fetch", b"got", b"ky", b"http", b"request", b"superagent", b"deadline", b"retr", b"attempt",
        b"tries", b"catch", b"timeout", b"uuid", b"nanoid", b"circuit", b"opossum", b"cockatiel",
        b"idempot", b"credentials", b"maxtimems",
    )

    def extract(self, path: str, data: bytes) -> FileResult:
        detect = may_hold_finding(data) and not _TEST_MODULE.search(path)
        # (also a construction or a call awaited or returned: `new MetadataManager(settings)`, `() =>
        # indicator.isHealthy(key)` may leave a defaulted timeout out, rule (b))
        helper_calls = not detect and not _TEST_MODULE.search(path) and (b"import" in data or b"require" in data) and (
            _HELPER_CALL.search(data) is not None or _CONSTRUCTION.search(data) is not None)
        try:
            ctx = FileContext.build(path, data, calls=detect or helper_calls)
        except Exception as exc:  # never raise: a file we cannot read is an error entry
            return FileResult(path=path, language=self.language,
                              errors=(ErrorEntry(path=path, kind="parse_error",
                                                 message=f"could not parse: {type(exc).__name__}: {exc}"),))
        errors: list[ErrorEntry] = []
        position = ts.first_error(ctx.tree)
        if position is not None:
            errors.append(ErrorEntry(path=path, kind="parse_error", line=position[0],
                                     message=f"syntax error at line {position[0]}, column {position[1]} "
                                             f"({ctx.grammar} grammar); findings come from the intact parts"))
        if not detect:
            if helper_calls:  # only proposals at calls of another file's helpers
                try:
                    wrapper_call.detect(ctx)
                except Exception as exc:
                    errors.append(_detector_error(path, wrapper_call.ID, exc))
                try:  # (round 18 fixes) a factory's returned constructor handing its options on
                    factory_class_r18fix.detect(ctx)
                except Exception as exc:
                    errors.append(_detector_error(path, factory_class_r18fix.ID, exc))
            # (a proposal at a call of this file's own helper: nothing is published here, none holds)
            kept = wrapper_call.settle_same_file(ctx, ctx.findings, ctx.symbols)
            return FileResult(path=path, language=self.language, findings=tuple(sorted(kept, key=lambda f: f.sort_key())),
                              symbols=dict(ctx.symbols), imports=dict(ctx.imports), module=ctx.module, errors=tuple(errors))
        try:
            _clients.collect_instances(ctx)
        except Exception as exc:
            errors.append(_detector_error(path, "instances", exc))
        for run in DETECTORS:
            try:
                run(ctx)
            except Exception as exc:
                errors.append(_detector_error(path, getattr(run, "detector_id", run.__module__), exc))
        findings = tuple(sorted(ctx.findings, key=lambda f: f.sort_key()))
        # (round 15, js1) a timeout of 0 is no bound in Node's clients (http's setTimeout(0), axios,
        # got, agentkeepalive's `timeout: 0`, a helper's `timeout = 0` default): not a contract
        findings = tuple(f for f in findings if not _zero_timeout_js1(f))
        factory = getattr(ctx, "config_factory_lines_js2", None)
        if factory is not None:
            # (round 14) a leaf of an @nestjs/config factory (`export default () => ({ queue: { attempts:
            # parseInt(process.env.X ?? '3') } })`) is a setting: its contract is where a client reads it
            # (`configService.get('queue.attempts')`, which now resolves to it), not at the definition
            findings = tuple(f for f in findings if not (f.detector == "javascript.client_options" and
                                                         f.kind in ("timeout", "retry") and
                                                         factory[0] <= f.line <= factory[1]))
        symbols = dict(ctx.symbols)
        try:  # the parameters of this file's helpers that its callers elsewhere hand a value to
            for name, expr in wrapper_call.publish(ctx, findings).items():
                symbols.setdefault(name, expr)
        except Exception as exc:
            errors.append(_detector_error(path, "publish", exc))
        try:  # (round 22) helpers minting a fresh ID per attempt, for the calls proposing their retries
            for name, expr in new_id_helpers_r22.publish(ctx, findings).items():
                symbols.setdefault(name, expr)
        except Exception as exc:
            errors.append(_detector_error(path, "publish", exc))
        try:  # (round 19, js4) an options member's fallback handed to a retry helper of this file
            from extractors.javascript.detectors.fallback_member_js4 import publish as fallback_publish_js4
            for name, expr in fallback_publish_js4(ctx, symbols).items():
                symbols.setdefault(name, expr)
        except Exception as exc:
            errors.append(_detector_error(path, "publish", exc))
        try:  # (round 19, js3) a parameter defaulted in the body, handed null; a helper exported under another name
            for name, expr in nil_argument_js3.publish(ctx, findings).items():
                symbols.setdefault(name, expr)
            for name, expr in nil_argument_js3.export_aliases(ctx, symbols).items():
                symbols.setdefault(name, expr)
        except Exception as exc:
            errors.append(_detector_error(path, "publish", exc))
        try:  # a function returning request options, for the requests spreading them (round 13)
            for name, expr in options_helper_js1.publish(ctx).items():
                symbols.setdefault(name, expr)
        except Exception as exc:
            errors.append(_detector_error(path, "publish", exc))
        try:  # a retry function a package's factory made here, for its callers elsewhere
            for name, expr in retry_libraries.package_retry_symbols(ctx).items():
                symbols.setdefault(name, expr)
        except Exception as exc:
            errors.append(_detector_error(path, "publish", exc))
        try:  # (round 22, js2) a retry helper's options parameter defaulting to an options object, for calls leaving it out
            from extractors.javascript.options_member_js2r22 import publish_options_defaults
            for name, expr in publish_options_defaults(ctx).items():
                symbols.setdefault(name, expr)
            from extractors.javascript.keyed_config_js2r22 import publish_registered
            for name, expr in publish_registered(ctx).items():  # `registerConfig(env, Enum.KEY, () => value)`
                symbols.setdefault(name, expr)
        except Exception as exc:
            errors.append(_detector_error(path, "publish", exc))
        try:  # a DI container's constant bindings, for the parameters it fills (`@inject(TYPES.X)`)
            for name, expr in wrapper_call.di_bindings(ctx).items():
                symbols.setdefault(name, expr)
        except Exception as exc:
            errors.append(_detector_error(path, "publish", exc))
        from extractors.javascript.typed_required_jsfix2 import keep_unless_handed  # (round 20, jsfix2)
        findings = keep_unless_handed(findings, symbols)
        # a proposal at a call of this file's own helper holds only when this file published the parameter
        findings = tuple(wrapper_call.settle_same_file(ctx, findings, symbols))
        try:  # (round 19, js3) `config.reputationService.timeout` of a config handed in: the convict schema's default
            from extractors.javascript.config_param_js3 import with_schema_defaults
            findings = with_schema_defaults(findings)
        except Exception as exc:
            errors.append(_detector_error(path, "config_param", exc))
        return FileResult(path=path, language=self.language, findings=findings, symbols=symbols,
                          imports=dict(ctx.imports), module=ctx.module, errors=tuple(errors))


def _detector_error(path: str, name: str, exc: Exception) -> ErrorEntry:
    return ErrorEntry(path=path, kind="detector_error", message=f"{name}: {type(exc).__name__}: {exc}")


EXTRACTOR = JavascriptExtractor()


def _zero_timeout_js1(finding) -> bool:
    """A timeout the file itself resolves to 0 ms (disabled), with nothing left to resolve elsewhere."""
    if finding.kind != "timeout" or finding.pending:
        return False
    value = finding.attributes.get("timeout_ms")
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == 0
