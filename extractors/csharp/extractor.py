"""The C# extractor: parses a file once with tree-sitter-c-sharp and runs every C# detector.

Durations are read as TimeSpans and normalised to ms; ``const`` and ``static readonly``
fields go to ``FileResult.symbols`` (TimeSpans in ms, numbers as written) under their bare
and type-qualified names, and so do the timeout / retry-bound parameters of the file's helper
methods (``extractors.wrappers``: ``HttpHelper.PostJsonAsync.$timeout_param:3``);
``FileResult.module`` is the namespace.
"""

from __future__ import annotations

import logging

from contract_discovery.model import ErrorEntry, FileResult, Finding
from contract_discovery.values import Num, ref_names
from extractors import treesitter as ts
from extractors.base import Extractor
from extractors.common import dedupe, parse_checked, run_detectors
from extractors.appsettings.bindings import bound_sections
from extractors.csharp import options_binders
from extractors.csharp import syntax
from extractors.csharp.context import GRAMMAR, LANGUAGE, CsFile
from extractors.csharp.detectors import (cancellation, ef_core, http_client, idempotency, job_retry, library_options,
                                         loop_deadline, new_id_per_attempt, polly, retry_loop, retry_option,
                                         standard_resilience, timeout_option, wrapper_call)

log = logging.getLogger(__name__)

DETECTORS = (http_client.detect, polly.detect, standard_resilience.detect, cancellation.detect,
             retry_loop.detect, new_id_per_attempt.detect, ef_core.detect, timeout_option.detect,
             job_retry.detect, loop_deadline.detect, retry_option.detect, library_options.detect,
             wrapper_call.detect, idempotency.detect)


class CsharpExtractor(Extractor):
    name = "csharp"
    language = LANGUAGE
    extensions = (".cs",)
    filenames = ()
    prefilter_tokens = (
        b"Timeout", b"Retry", b"HttpClient", b"Polly", b"Policy.", b"Policy<", b"PolicyHandler", b"CircuitBreaker",
        b"Resilience", b"CommandTimeout", b"AutomaticRetry", b"UtcNow", b"Elapsed", b"GetUtcNow",
        b"CancellationTokenSource", b"CancelAfter", b"NewGuid", b"NewUlid", b"CreateVersion7", b"GetAsync",
        b"PostAsync", b"SendAsync", b"PutAsync", b"DeleteAsync", b"JsonAsync", b"TimeSpan", b"GetEnvironmentVariable",
        b"Login", b"LogIn", b"SignIn", b"Authenticat", b"TokenAsync(", b"Retries", b"retries", b"Attempts", b"attempts",
        b"GetSection", b"BindConfiguration",
        b"MaxErrorRetry", b"deadline:", b"WithDeadline", b"NumberOfRetries", b"Immediate(", b"Interval(", b"Intervals(",
        b"WithAutomaticReconnect", b"ConnectRetry", b"WhenAny",  # options bound to appsettings.json (symbols only)
        b"SendPing", b"NamedPipeClientStream",
        b"SectionName",  # round 12: an options section's name (`const string SectionName = "DicomFunctions"`)
        # round 14: a do loop repeating a call until it answers (`} while (secret == null);`, `TrySaveAsync`), a
        # pause between tries, Wolverine's error chains (`RetryWithCooldown`, caught by "Retry")
        b"} while", b"TrySave", b"Task.Delay", b"Thread.Sleep",
        b".DequeueCount",  # round 18 (sui-matcher): a queue consumer's poison guard on a message's DequeueCount
        b"Idempotency", b"idempotency",  # round 21: a handler deduping by a request key (detectors/idempotency.py)
        # round 22 (agileconfig): a project's own retry helper whose bound is a parameter named for tries and
        # nothing else a token above catches (`static async Task<T> TRYAsync<T>(Func<Task<T>> func, int
        # tryCount) { for (i < tryCount) try { return await func(); } catch .. }`): its file publishes the
        # bound for the callers (`FunctionUtil.TRYAsync(() => post(..), 5)`)
        b"tryCount", b"TryCount", b"tryTimes", b"TryTimes", b"maxTries", b"MaxTries", b"retryCount", b"maxRetr",
        b"retryTimes", b"retryLimit",
        # round 22 (symbol-collector): an options registration binding its section in a Configure lambda
        # (`AddOptions<T>().Configure<IConfiguration>((o, f) => f.Bind("Section", o))`), in a file naming nothing else
        b"AddOptions<",
        b"BasicNack",  # round 22 (docspace-server): a RabbitMQ consumer requeueing a failed message once
    )

    def prefilter(self, data: bytes) -> bool:
        # round 12: a partial class's file that takes an options class (`IOptions<DataCleanupOptions>` kept in
        # `_options`) publishes its field's type for the class's other files (context._partial_option_fields)
        return super().prefilter(data) or (b"partial class" in data and b"IOptions<" in data)

    def extract(self, path: str, data: bytes) -> FileResult:
        syntax.reset_caches()
        tree, errors = parse_checked(GRAMMAR, path, data, "c#")
        if tree is None:
            return FileResult(path=path, language=self.language, errors=tuple(errors))
        file = CsFile(path=path, data=data, tree=tree)
        findings = run_detectors(DETECTORS, file, path, "csharp", errors, log)
        # proposals may yet be dropped by the pipeline: they never hide another detector's finding
        proposals = [f for f in findings if f.detector == wrapper_call.ID]
        findings = wrapper_call.drop_covered(
            timeout_option.drop_covered([f for f in findings if f.detector != wrapper_call.ID]) + proposals)
        symbols: dict = {}
        module = None
        try:
            symbols = dict(file.constants)
            module = syntax.namespace_of(tree.root_node)
        except Exception as exc:  # pragma: no cover - defensive
            errors.append(ErrorEntry(path, "extractor_error", f"c# constants: {exc}"))
        # round 22 (symbol-collector): `.Configure<IConfiguration>((o, f) => f.Bind("SymbolClient", o))` names no
        # GetSection: the round-21 pattern of bindings.py was never reached for such a file
        if b"GetSection" in data or b"BindConfiguration" in data or (b".Bind(" in data and b"AddOptions<" in data):
            try:
                # options classes bound to an appsettings.json section (extractors/appsettings)
                symbols.update(bound_sections(data.decode("utf-8", "replace")))
                # round 12: a project's generic binder (`AddFunctionsOptions<T>(config, T.SectionName)`)
                symbols.update(options_binders.binder_sections(tree.root_node))
            except Exception as exc:  # pragma: no cover - defensive
                errors.append(ErrorEntry(path, "extractor_error", f"c# options sections: {exc}"))
        if b"TaskRetryOptions" in data or b"TaskOptions" in data:
            try:
                # round 12: retry options a Durable Task step class is constructed with (`new Step(ctx, _retry)`)
                symbols.update(library_options.durable_task_constructor_symbols(file))
            except Exception as exc:  # pragma: no cover - defensive
                errors.append(ErrorEntry(path, "extractor_error", f"c# durable task constructors: {exc}"))
        if b"RetryOptions" in data or b"RetryPolicy" in data:
            try:
                # round 15: a Durable Functions retry policy held by a field other files hand to `Call..WithRetryAsync`
                symbols.update(library_options.durable_retry_field_symbols(file))
            except Exception as exc:  # pragma: no cover - defensive
                errors.append(ErrorEntry(path, "extractor_error", f"c# durable retry fields: {exc}"))
        if b"StrategyOptions" in data:
            try:
                # round 15: strategy options an options class initializes (`Retry { get; init; } = new() {..}`)
                symbols.update(polly.published_strategy_defaults(file))
            except Exception as exc:  # pragma: no cover - defensive
                errors.append(ErrorEntry(path, "extractor_error", f"c# strategy defaults: {exc}"))
        try:
            # the project's own *Timeout properties, and the ones this file applies as timeouts
            symbols.update(timeout_option.published_timeout_members(file, findings))
        except Exception as exc:  # pragma: no cover - defensive
            errors.append(ErrorEntry(path, "extractor_error", f"{timeout_option.ID} members: {exc}"))
        # round 18 (sui-matcher): the settings a retry of this file reads (`message.DequeueCount >
        # options.Value.MaxDequeueCount`), so an options class's default of the same setting is not reported again
        for found in findings:
            if found.kind == "retry" and found.detector not in (retry_option.ID, wrapper_call.ID):
                for item in found.pending:
                    if item.attribute == "max_attempts":
                        for name in ref_names(item.expr):
                            if "." in name and not name.startswith("$"):
                                symbols.setdefault(f"{retry_option.READ_SETTING_R18}{name}", Num(0.0))
        try:
            # the helpers of this file whose parameters are timeouts or retry bounds, for their callers
            symbols.update(wrapper_call.publish(file, findings))
        except Exception as exc:  # pragma: no cover - defensive
            errors.append(ErrorEntry(path, "extractor_error", f"{wrapper_call.ID}: {type(exc).__name__}: {exc}"))
        syntax.reset_caches()
        return FileResult(path=path, language=self.language, findings=tuple(dedupe(findings, sort=True)), symbols=symbols,
                          module=module, errors=tuple(errors))


EXTRACTOR = CsharpExtractor()
