"""The Ruby / Rails extractor: parses a file once with tree-sitter-ruby and runs every Ruby detector.

Values are read in seconds (Ruby's unit) and normalised to ms; constants the file
defines (``TIMEOUT = 5``, ``RISK_URL = ENV.fetch("RISK_URL")``) go to
``FileResult.symbols`` in seconds, under their bare and their class-qualified name
(``RiskClient.TIMEOUT``), since Ruby constants are reachable from anywhere once loaded.
Every Ruby file reports ``module = "Object"`` (Ruby's top-level namespace, where a Rails
app's constants live), so a constant from ``config/initializers/*.rb`` resolves in any
file of the same service.

A retry (``begin/rescue/retry``, ``Retriable.retriable``) and a fresh ID made inside the
retried code take the target of the outbound calls made there (when they all go to one place),
see ``attach_retry_targets``.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from contract_discovery.model import ErrorEntry, FileResult, Finding, Target
from contract_discovery.values import Unknown
from extractors import treesitter as ts
from extractors.base import Extractor
from extractors.ruby import syntax
from extractors.ruby.context import GRAMMAR, LANGUAGE, RubyFile, query
from extractors.ruby.detectors import (active_record_replica, faraday, http_gems, httparty, idempotency_key,
                                       job_retry, net_http, new_id_per_attempt, rescue_retry, retriable,
                                       timeout_block)

log = logging.getLogger(__name__)

RUBY_NAMESPACE = "Object"

DETECTORS = (
    net_http.detect, faraday.detect, httparty.detect, http_gems.detect, rescue_retry.detect,
    retriable.detect, job_retry.detect, active_record_replica.detect, new_id_per_attempt.detect,
    idempotency_key.detect, timeout_block.detect,
)


class RubyExtractor(Extractor):
    name = "ruby"
    language = LANGUAGE
    extensions = (".rb", ".rake")
    filenames = ("Gemfile",)
    prefilter_tokens = (
        b"timeout", b"retry", b"retriable", b"retry_on", b"sidekiq_options", b"connected_to", b"connects_to",
        b"SecureRandom", b"Digest::UUID", b"ULID", b"Faraday", b"HTTParty", b"Net::HTTP", b"RestClient",
        b"Typhoeus", b"HTTP.", b"Excon", b"idempoten", b"ENV[", b"ENV.fetch",
    )

    def extract(self, path: str, data: bytes) -> FileResult:
        syntax.reset_caches()
        try:
            tree = ts.parse(GRAMMAR, data)
        except Exception as exc:  # pragma: no cover - tree-sitter does not raise on bad input
            return FileResult(path=path, language=self.language,
                              errors=(ErrorEntry(path, "parse_error", f"ruby parser failed: {exc}"),))
        errors: list[ErrorEntry] = []
        problem = innermost_error(tree)
        if problem is not None:
            errors.append(ErrorEntry(path, "parse_error",
                                     f"syntax error at line {problem[0]}, column {problem[1]}", line=problem[0]))
        file = RubyFile(path=path, data=data, tree=tree)
        findings: list[Finding] = []
        for run in DETECTORS:
            try:
                findings.extend(run(file))
            except Exception as exc:  # a detector bug must not cost the other detectors' findings
                log.debug("ruby detector %s failed on %s", getattr(run, "detector_id", run), path, exc_info=True)
                errors.append(ErrorEntry(path, "extractor_error",
                                         f"{getattr(run, 'detector_id', 'ruby')}: {type(exc).__name__}: {exc}"))
        symbols = {}
        try:
            symbols = dict(file.constants)
        except Exception as exc:  # pragma: no cover - defensive
            errors.append(ErrorEntry(path, "extractor_error", f"ruby constants: {exc}"))
        try:
            findings = attach_retry_targets(file, findings)
        except Exception as exc:  # pragma: no cover - defensive
            errors.append(ErrorEntry(path, "extractor_error", f"ruby retry targets: {exc}"))
        findings = _dedupe(sorted(findings, key=Finding.sort_key))
        syntax.reset_caches()
        return FileResult(path=path, language=self.language, findings=tuple(findings), symbols=symbols,
                          module=RUBY_NAMESPACE, errors=tuple(errors))


_URL_SOURCES = ("outbound_call", "timeout", "missing_timeout")


def _url_source(finding: Finding) -> tuple | None:
    """What a finding knows of where its call goes: a literal URL and/or a pending URL expression."""
    url = finding.target.url if finding.target is not None else None
    pending = tuple(p for p in finding.pending if p.attribute == "url")
    if url is None and not pending:
        return None
    return url, pending


def attach_retry_targets(file: RubyFile, findings: list[Finding]) -> list[Finding]:
    """Give a retry (``begin/rescue/retry``, ``Retriable.retriable``) and a fresh ID made inside
    the retried code the target of the outbound call(s) that code makes.

    The calls, timeouts and missing timeouts inside the retried statements carry the URL; when
    they all name the same one, the retry and the IDs re-made per attempt go there too. Calls
    to two different places leave the target unknown rather than guess.
    """
    regions = new_id_per_attempt._regions(file)
    if not regions:
        return findings
    updates: dict[int, Finding] = {}
    for statements, retry_line in regions:
        if not statements:
            continue
        first, last = statements[0].start_point[0] + 1, statements[-1].end_point[0] + 1
        sources = {_url_source(f) for f in findings if f.kind in _URL_SOURCES and first <= f.line <= last}
        sources.discard(None)
        if len(sources) != 1:
            continue
        url, pending = next(iter(sources))
        for index, finding in enumerate(findings):
            if finding.target is not None and finding.target.url is not None or _url_source(finding):
                continue
            if finding.kind == "retry" and finding.detector in (rescue_retry.ID, retriable.ID) and \
                    finding.line == retry_line:
                pass
            elif finding.kind == "new_id_per_attempt" and finding.attributes.get("retry_line") == retry_line \
                    and first <= finding.line <= last:
                pass
            else:
                continue
            target = Target(url=url, operation=finding.target.operation if finding.target else None) \
                if url is not None else finding.target
            updates[index] = replace(finding, target=target, pending=(*finding.pending, *pending))
    return [updates.get(i, f) for i, f in enumerate(findings)]


def innermost_error(tree) -> tuple[int, int] | None:
    """1-based position of the first ERROR/MISSING node that holds no other one.

    tree-sitter-ruby often wraps a whole class in one ERROR node when a single ``(`` is
    left open; the innermost node points at the line that is actually broken.
    """
    root = tree.root_node
    if not root.has_error:
        return None
    stack = [root]
    while stack:  # pre-order, entering only subtrees that hold an error or a missing node
        node = stack.pop()
        if node.is_missing or (node.is_error and not any(c.has_error or c.is_missing for c in node.children)):
            return node.start_point[0] + 1, node.start_point[1] + 1
        stack.extend(c for c in reversed(node.children) if c.has_error or c.is_missing)
    return ts.first_error(tree)


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen, unique = set(), []
    for finding in findings:
        key = finding.sort_key()
        if key not in seen:
            seen.add(key)
            unique.append(finding)
    return unique


EXTRACTOR = RubyExtractor()
