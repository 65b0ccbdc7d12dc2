"""The Go extractor: one parse per file, every Go detector over it, then targets linked.

Detectors return drafts; a timeout or retry draft that names its client (`client` key) or
its scope (the function a context deadline bounds, the body a retry repeats) gets the target
of the calls made through that client or in that scope, when they all go to one place.
"""

from __future__ import annotations

import posixpath
import re

from contract_discovery.model import ErrorEntry, FileResult, Finding
from contract_discovery.values import Expr, Unknown
from extractors import treesitter as ts
from extractors.base import Extractor
from extractors.go.detectors import (circuit_breaker, client_config, context_timeout, grpc, http_client, idempotency,
                                     libraries, libraries_gofix2, new_id, options_retry_gofix2, retry, retry_options_r21,
                                     select_timeout, sql, struct_defaults_gofix2, transport, wrapper_call)
from extractors.go.detectors.http_client import OutboundCall, outbound_calls
from extractors.go.gofile import Draft, GoFile, TargetRef, node_text, with_target, within

DETECTORS = (http_client, transport, context_timeout, grpc, sql, retry, new_id, circuit_breaker, idempotency,
             client_config, libraries, select_timeout, wrapper_call, struct_defaults_gofix2, libraries_gofix2,
             options_retry_gofix2, retry_options_r21)


def _targets(calls: list[OutboundCall]) -> TargetRef | None:
    """The one destination of these calls; none when they go to several, or when one of them goes
    somewhere unknown (a shared client used for payment, whose URL a function builds, and for
    notifications is not notifications' client)."""
    if any(c.target is None for c in calls):
        return None
    found = {c.target.key: c.target for c in calls}
    return next(iter(found.values())) if len(found) == 1 else None


def link_targets(gf: GoFile, drafts: list[Draft]) -> list[Finding]:
    calls = [c for c in outbound_calls(gf) + grpc.grpc_outbound(gf)]
    file_target = _targets(calls)
    out = []
    for draft in drafts:
        finding = draft.finding
        if draft.linkable and finding.target is None:
            target = None
            kind = draft.link[0] if draft.link else None
            if kind == "client":
                keys = set(draft.link[1])
                via = [c for c in calls if c.keys & keys]
                target = _targets(via) if via else file_target
            elif kind == "scope":
                _, start, end = draft.link
                target = _targets([c for c in calls if within(c.node, start, end)])
            else:
                target = file_target
            if target is not None:
                finding = with_target(finding, target)
        out.append(finding)
    return out


def symbols_of(gf: GoFile) -> dict[str, Expr]:
    """Package-level constants and variables, durations in ms, for the package-wide resolver; and
    the defaults of config fields registered as flags (`$flag:HTTP/Timeout`)."""
    out: dict[str, Expr] = {}
    for name, node in gf.declarations.items():
        if node is None:
            continue
        expr = gf.to_expr(node)
        if not isinstance(expr, Unknown):
            out[name] = expr
    for name, expr in gf.flag_symbols().items():
        out.setdefault(name, expr)
    for name, expr in gf.getter_symbols().items():
        out.setdefault(name, expr)
    for name, expr in gf.constructed_symbols_r21().items():  # round 21: an options object's defaults
        out.setdefault(name, expr)
    return out


def _unread_proposals(findings: list[Finding]) -> list[Finding]:
    """A helper call's proposals only where no other detector reads that kind on that line (a
    same-file helper a detector already follows, a library call read by its detector)."""
    read: dict[tuple, list[Finding]] = {}
    for f in findings:
        if f.detector != wrapper_call.ID:
            read.setdefault((f.line, f.kind), []).append(f)

    def overlaps(a: Finding, b: Finding) -> bool:
        start_a, end_a = (a.line, a.column), (a.end_line or a.line, a.end_column or a.column)
        start_b, end_b = (b.line, b.column), (b.end_line or b.line, b.end_column or b.column)
        return start_a <= end_b and start_b <= end_a

    # ... a read of another part of the line leaves the helper call beside it its own proposals:
    # `&http.Client{Transport: http_api.NewDeadlineTransport(*connect, *request), Timeout: *request}` (round 18)
    return [f for f in findings if f.detector != wrapper_call.ID or
            not any(overlaps(f, other) for other in read.get((f.line, f.kind), ()))]


_TEST_PARAM_R22 = re.compile(r"\btesting\.(T|TB|B|F|M)\b")


def _outside_test_helpers_r22(gf: GoFile, findings: list[Finding]) -> list[Finding]:
    """round 22 (cerbos' storage/blob/tests.go): test helpers in a file without the `_test.go` suffix (`func
    StartMinio(t *testing.T) { ...; pool.Retry(...); context.WithTimeout(t.Context(), time.Second) }`): a
    timeout or retry inside a function taking a `*testing.T` / `testing.TB` is test code, no contract."""
    if "testing" not in gf.imports.values() or not findings:
        return findings
    spans = []
    for fn in gf.root.named_children:
        if fn.type not in ("function_declaration", "method_declaration"):
            continue
        params = fn.child_by_field_name("parameters")
        if params is not None and _TEST_PARAM_R22.search(node_text(params)):
            spans.append((fn.start_point[0] + 1, fn.end_point[0] + 1))
    if not spans:
        return findings
    return [f for f in findings if f.kind not in ("timeout", "retry") or
            not any(start <= f.line <= end for start, end in spans)]


def _one_per_line(findings: list[Finding]) -> list[Finding]:
    """One contract per line, kind and phase: two detectors that read the same setting
    (`client.Timeout = d` on a client both know) report it once, the first detector's."""
    seen: set[tuple] = set()
    out = []
    for f in findings:
        if f.kind in ("timeout", "retry") and f.detector != wrapper_call.ID:  # proposals: one per argument
            key = (f.line, f.kind, f.attributes.get("phase"))
            if key in seen:
                continue
            seen.add(key)
        out.append(f)
    return out


class GoExtractor(Extractor):
    name = "go"
    language = "go"
    extensions = (".go",)
    filenames = ()
    # A file without any of these holds no setting and no constant a setting could use.
    prefilter_tokens = (b"time.", b"http", b"grpc", b"sql", b"context.", b"backoff", b"retr", b"attempt",
                        b"uuid", b"ksuid", b"xid", b"ulid", b"gobreaker", b"Getenv", b"LookupEnv", b"const",
                        b"dsn", b"replica", b"idempoten", b"dedup", b"Var(", b"repeater",
                        # `type Config = configtypes.Proxy`: an alias standing for another package's defaults
                        b"Config =", b"Options =",
                        # round 21 (coredns' notify): `for range 3 { ret, _, err = c.Exchange(m, s) ... }`, a counted
                        # retry (Go 1.22) of a client no other token names
                        b"for range ")

    def extract(self, path: str, data: bytes) -> FileResult:
        module = posixpath.dirname(path) or "."
        try:
            gf = GoFile(path, data)
        except Exception as exc:  # noqa: BLE001 - a bad file must never stop the scan
            return FileResult(path=path, language=self.language, module=module,
                              errors=(ErrorEntry(path, "parse_error", f"cannot parse: {exc}"),))
        errors: list[ErrorEntry] = []
        first = ts.first_error(gf.tree)
        if first is not None:
            errors.append(ErrorEntry(path, "parse_error", f"syntax error at line {first[0]}, column {first[1]}",
                                     line=first[0]))
        drafts: list[Draft] = []
        for module_ in DETECTORS:
            try:
                drafts.extend(module_.detect(gf))
            except Exception as exc:  # noqa: BLE001 - one detector's bug costs only its findings
                errors.append(ErrorEntry(path, "extractor_error", f"{module_.ID}: {type(exc).__name__}: {exc}"))
        try:
            findings = link_targets(gf, drafts)
        except Exception as exc:  # noqa: BLE001
            errors.append(ErrorEntry(path, "extractor_error", f"go.link: {type(exc).__name__}: {exc}"))
            findings = [d.finding for d in drafts]
        try:
            symbols = symbols_of(gf)
        except Exception:  # noqa: BLE001
            symbols = {}
        findings = _one_per_line(_unread_proposals(sorted(findings, key=Finding.sort_key)))
        findings = _outside_test_helpers_r22(gf, findings)
        try:
            publishing = findings  # a forwarder dropped below still publishes its bound (round 19, gofix2)
            findings = struct_defaults_gofix2.literal_kept_if_unread(gf, options_retry_gofix2.adjust(gf, findings))
            findings = retry_options_r21.adjust(gf, findings)  # round 21: loops run by a handed-in policy
        except Exception as exc:  # noqa: BLE001
            errors.append(ErrorEntry(path, "extractor_error", f"options_retry_gofix2.adjust: {type(exc).__name__}: {exc}"))
        try:
            for name, expr in wrapper_call.publish(gf, findings).items():
                symbols.setdefault(name, expr)
        except Exception as exc:  # noqa: BLE001
            errors.append(ErrorEntry(path, "extractor_error", f"{wrapper_call.ID}.publish: {type(exc).__name__}: {exc}"))
        for extra in (struct_defaults_gofix2, options_retry_gofix2, retry_options_r21):  # round 19 (gofix2), 21: more publications
            try:
                for name, expr in extra.publish(gf, publishing).items():
                    symbols.setdefault(name, expr)
            except Exception as exc:  # noqa: BLE001
                errors.append(ErrorEntry(path, "extractor_error", f"{extra.__name__}.publish: {type(exc).__name__}: {exc}"))
        return FileResult(path=path, language=self.language, findings=tuple(findings), symbols=symbols,
                          imports=dict(gf.imports), module=module, errors=tuple(errors))


EXTRACTOR = GoExtractor()
