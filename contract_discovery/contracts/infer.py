"""Inferred contracts: what each service's code shows, in the contract shape of SPEC.md section 3.

``infer_contracts(services, findings)`` groups a service's findings by the service
they concern: timeouts, retries and circuit breakers become ``depends_on``
entries; a fresh ID made per retry attempt becomes a ``retry_policies`` entry with
``generates_new_request_id: true``; a provider that dedupes by a key becomes an
``operations`` entry expecting ``stable_across_retries``; a read from a replica
becomes a ``data_dependencies`` entry ``via: database_replica``. Every value keeps
the code location behind it (``x-evidence``). ``contract_to_dict`` writes the
YAML/JSON shape used by ``scan --format json|yaml``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any, Iterable

from contract_discovery.contracts.model import SECTIONS, Contract, Entry
from contract_discovery.contracts.names import match_service
from contract_discovery.contracts.notation import format_ms
from contract_discovery.model import Finding, Location

__all__ = ["infer_contracts", "contract_to_dict"]

# Mesh routes and cloud resources describe the platform between services, not a caller's code;
# the infrastructure checks (checks/infra.py) compare them with the code.
INFRA_LANGUAGES = frozenset({"kubernetes", "terraform", "hcl", "cloudformation", "helm", "istio", "envoy"})
_CALL_KINDS = ("timeout", "missing_timeout", "retry", "outbound_call", "circuit_breaker", "fallback")
_TOTAL_PHASES = ("total", "deadline", "per_try", "function")


def _loc(finding: Finding) -> Location:
    return Location(finding.path, finding.line)


def _service_of(finding: Finding, known: list[str]) -> str | None:
    target = finding.target
    if target is None or not target.service:
        return None
    return match_service(target.service, known) or target.service


def _enclosed_targets(anchor: Finding, findings: list[Finding], known: list[str]) -> list[Finding]:
    """Findings with a target inside ``anchor``'s lines (a retry loop), same file."""
    return [f for f in findings if f is not anchor and f.path == anchor.path and _service_of(f, known)
            and anchor.line <= f.line <= max(anchor.end_line, anchor.line)]


def _attach_targets(findings: list[Finding], known: list[str]) -> dict[int, list[tuple[str, str | None]]]:
    """For each finding (by id), the (service, operation) pairs it applies to."""
    out: dict[int, list[tuple[str, str | None]]] = {}
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        by_file[f.path].append(f)
    for f in findings:
        service = _service_of(f, known)
        if service:
            out[id(f)] = [(service, _operation_label(f.target))]
    for f in findings:
        if id(f) in out:
            continue
        if f.kind == "timeout":
            # A client's timeout configured apart from its calls (RestTemplateBuilder in
            # RiskClient.java): only when the file is named after the one service it talks to.
            named = _service_in_file_name(f.path, [k for k in known if k != f.service])
            talks_to = {p[0] for g in by_file[f.path] for p in out.get(id(g), [])}
            if named and talks_to <= {named}:
                out[id(f)] = [(named, None)]
            continue
        if f.kind not in ("retry", "new_id_per_attempt", "circuit_breaker", "fallback"):
            continue
        same_file = by_file[f.path]
        anchors = [f]
        retry_line = f.attributes.get("retry_line") if f.kind == "new_id_per_attempt" else None
        if isinstance(retry_line, int):
            anchors = [r for r in same_file if r.kind == "retry" and r.line == retry_line] or anchors
        pairs: list[tuple[str, str | None]] = []
        for anchor in anchors:
            if id(anchor) in out and anchor is not f:
                pairs.extend(out[id(anchor)])
                continue
            for g in _enclosed_targets(anchor, same_file, known):
                pairs.extend(out.get(id(g), []))
        # A retry configured on a client object (a session's Retry, a client's policy) applies to
        # the calls made through that client, which the file alone does not tell.
        guess = not (f.kind == "retry" and f.attributes.get("mechanism") == "client_config")
        if not pairs and guess:
            # the file's one destination, when every call it makes goes there (a call to an
            # unknown or outside host leaves the retry's destination open)
            services = {p for g in same_file for p in out.get(id(g), [])}
            elsewhere = any(g.kind == "outbound_call" and id(g) not in out for g in same_file)
            if len({s for s, _ in services}) == 1 and not elsewhere:
                pairs = sorted(services, key=lambda p: (p[0], p[1] or ""))
        if not pairs and guess:
            named = _service_in_file_name(f.path, [k for k in known if k != f.service])
            if named:
                pairs = [(named, None)]
        if pairs:
            out[id(f)] = list(dict.fromkeys(pairs))
    return out


def _operation_label(target: Any) -> str | None:
    """The operation a call targets: as the resolver named it, else from the URL's path
    (``http://ledger:8080/v1/entries/{id}`` -> ``entries``), placeholders and versions left out."""
    if target is None:
        return None
    if target.operation:
        return target.operation
    url = target.url
    if not url:
        return None
    from urllib.parse import urlsplit

    try:
        path = urlsplit(url).path if "://" in url else url.split("?", 1)[0]
    except ValueError:
        return None
    parts = [p for p in path.split("/") if p and not p.startswith(("{", ":", "<", "$")) and not p.isdigit()
             and not re.fullmatch(r"v\d+(\.\d+)?|api", p)]
    return "/".join(parts) or None


def _service_in_file_name(path: str, known: list[str]) -> str | None:
    """``Clients/PaymentClient.cs`` -> payment, ``risk_client.py`` -> risk: a client module named
    after the one service it talks to (used only when nothing else tells the target)."""
    from contract_discovery.contracts.names import norm, tokens

    stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    words = tokens(stem)
    if not ({"client", "api", "gateway", "service", "adapter", "proxy"} & set(words)):
        return None
    hits = {name for name in known if norm(name) and tokens(norm(name)) and
            all(t in words for t in tokens(norm(name)))}
    return hits.pop() if len(hits) == 1 else None


def _effective_timeout(findings: list[Finding]) -> tuple[float | None, Finding | None, bool]:
    """The timeout a call runs under: a total/deadline one, else the read one; (ms, finding, missing).
    A timeout set on the call itself overrides one set on the client it goes through."""
    calls = {(f.path, f.line) for f in findings if f.kind == "outbound_call"}
    timeouts = [f for f in findings if f.kind == "timeout" and isinstance(f.attributes.get("timeout_ms"), (int, float))]
    on_call = [f for f in timeouts if (f.path, f.line) in calls]
    if on_call:
        timeouts = on_call
    total = [f for f in timeouts if f.attributes.get("phase") in _TOTAL_PHASES]
    if total:
        best = min(total, key=lambda f: f.attributes["timeout_ms"])
        return float(best.attributes["timeout_ms"]), best, False
    if timeouts:
        # Without a total, the read timeout is what a contract's "timeout" means (how long to wait
        # for an answer); the connect timeout only bounds reaching the host.
        read = [f for f in timeouts if f.attributes.get("phase") == "read"]
        if read:
            best = min(read, key=lambda f: f.attributes["timeout_ms"])
            return float(best.attributes["timeout_ms"]), best, False
        best = max(timeouts, key=lambda f: f.attributes["timeout_ms"])
        return float(best.attributes["timeout_ms"]), best, False
    missing = [f for f in findings if f.kind == "missing_timeout"]
    if missing and not any(f.kind == "timeout" for f in findings):
        return None, missing[0], True
    return None, None, False


def infer_contracts(services: Iterable[Any], findings: Iterable[Finding]) -> list[Contract]:
    """One inferred contract per service that shows anything (services with nothing are left out)."""
    service_names = [s.name if hasattr(s, "name") else str(s) for s in services]
    all_findings = sorted(findings, key=lambda f: f.sort_key())
    per_service: dict[str, list[Finding]] = defaultdict(list)
    for f in all_findings:
        if f.service and f.language not in INFRA_LANGUAGES:
            per_service[f.service].append(f)
    contracts = []
    for name in service_names:
        contract = _infer_one(name, per_service.get(name, []), service_names)
        if not contract.is_empty():
            contracts.append(contract)
    return contracts


def _evidence(findings: Iterable[Finding]) -> tuple[Location, ...]:
    return tuple(dict.fromkeys(_loc(f) for f in sorted(findings, key=lambda f: (f.path, f.line))))


def _infer_one(service: str, findings: list[Finding], known: list[str]) -> Contract:
    targets = _attach_targets(findings, known)
    sections: dict[str, list[Entry]] = {s: [] for s in SECTIONS}

    # depends_on: group by target service, then operation (an operation-less finding joins the
    # service's only operation, if it has one).
    groups: dict[str, dict[str | None, list[Finding]]] = defaultdict(lambda: defaultdict(list))
    for f in findings:
        if f.kind not in _CALL_KINDS:
            continue
        for target_service, operation in targets.get(id(f), []):
            if match_service(target_service, [service]) == service:
                continue
            groups[target_service][operation or None].append(f)
    call_lines = {(f.path, f.line) for f in findings if f.kind == "outbound_call"}
    for target_service in sorted(groups):
        ops = groups[target_service]
        named = [op for op in ops if op]
        if None in ops and named:
            # A setting on a client (a session's timeout, a retry policy) applies to every call made
            # with it; a setting on one call whose operation is unknown stays with that call.
            kept = []
            for f in ops.pop(None):
                if f.kind in ("timeout", "missing_timeout", "outbound_call") and (f.path, f.line) in call_lines:
                    kept.append(f)
                else:
                    for op in named:
                        ops[op].append(f)
            if kept:
                ops[None] = kept
        for operation in sorted(ops, key=lambda o: o or ""):
            sections["depends_on"].append(_dependency_entry(target_service, operation, ops[operation]))

    # retry_policies: a fresh ID per attempt, per target.
    # one entry per target and ID variable: a fresh X-Request-ID and a fresh transaction ID are
    # different statements (only the second defeats deduplication by transaction ID)
    new_ids: dict[tuple[str, str | None, str], list[Finding]] = defaultdict(list)
    for f in findings:
        if f.kind == "new_id_per_attempt":
            for service_name, operation in targets.get(id(f), [("", None)]):
                new_ids[(service_name, operation, str(f.attributes.get("variable") or ""))].append(f)
    for (target_service, operation, _variable), group in sorted(new_ids.items(), key=lambda kv: (kv[0][0], kv[0][1] or "", kv[0][2])):
        first = group[0]
        data: dict[str, Any] = {
            "target": f"{target_service}.{operation}" if target_service and operation else (target_service or "unknown"),
            "on_timeout": {"generates_new_request_id": True},
        }
        variable = first.attributes.get("variable")
        if variable:
            data["x-request-id"] = variable
        if first.attributes.get("generator"):
            data["x-generator"] = first.attributes.get("generator")
        sections["retry_policies"].append(Entry(
            "retry_policies", data, "inferred", _loc(first),
            {"target": _loc(first), "on_timeout": _loc(first)}, _evidence(group)))

    # operations: a provider that dedupes by a key.
    for f in findings:
        if f.kind != "idempotency_key":
            continue
        attrs = f.attributes
        name = attrs.get("operation") or attrs.get("function") or attrs.get("handler") \
            or (f.target.operation if f.target else None) or "unknown"
        data = {"name": name, "idempotency_key": attrs.get("key") or "unknown", "expects": "stable_across_retries"}
        if isinstance(attrs.get("window_ms"), (int, float)):
            data["window"] = format_ms(float(attrs["window_ms"]))
        loc = _loc(f)
        sections["operations"].append(Entry("operations", data, "inferred", loc,
                                            {k: loc for k in data}, (loc,)))

    # data_dependencies: reads from a replica.
    replicas: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        if f.kind == "replica_read":
            replicas[str(f.attributes.get("alias") or "replica")].append(f)
    for alias in sorted(replicas):
        group = replicas[alias]
        data = {"source": alias, "via": "database_replica"}
        # An alias naming no other service is the service's own database, as far as the code tells.
        data["service"] = match_service(_alias_name(alias), known) or service
        loc = _loc(group[0])
        sections["data_dependencies"].append(Entry(
            "data_dependencies", data, "inferred", loc, {k: loc for k in data}, _evidence(group)))

    return Contract(service=service, origin="inferred", **{s: tuple(v) for s, v in sections.items()})


def _alias_name(alias: str) -> str:
    """A database alias or URL as a name: ``postgresql://orders-replica:5432/db`` -> ``orders-replica``."""
    if "://" in alias:
        from urllib.parse import urlsplit

        try:
            host = urlsplit(alias).hostname
        except ValueError:
            host = None
        if host:
            return host.split(".")[0]
    return alias


def _dependency_entry(target_service: str, operation: str | None, group: list[Finding]) -> Entry:
    data: dict[str, Any] = {"service": target_service}
    fields: dict[str, Location] = {}
    if operation:
        data["operation"] = operation
    ms, source, missing = _effective_timeout(group)
    if ms is not None and source is not None:
        data["timeout"] = format_ms(ms)
        fields["timeout"] = _loc(source)
    elif missing and source is not None:
        data["timeout"] = "none"
        fields["timeout"] = _loc(source)
    unresolved = [f.attributes.get("expression") for f in group
                  if f.kind == "timeout" and f.attributes.get("timeout_ms") is None and f.attributes.get("expression")]
    if unresolved and "timeout" not in data:
        data["x-timeout-unresolved"] = sorted({str(e) for e in unresolved})
    # A retry whose own target says this call beats one attached by its place in the file.
    retries = sorted((f for f in group if f.kind == "retry"),
                     key=lambda f: (not (f.target and f.target.service), f.line))
    if retries:
        retry = retries[0]
        attempts = retry.attributes.get("max_attempts")
        policy: dict[str, Any] = {}
        if isinstance(attempts, (int, float)) and not isinstance(attempts, bool):
            policy["max_attempts"] = int(attempts)
        backoff = retry.attributes.get("backoff")
        if isinstance(backoff, str):
            policy["backoff"] = backoff
        data["retry"] = policy
        fields["retry"] = _loc(retry)
    if any(f.kind == "circuit_breaker" for f in group):
        breaker = next(f for f in group if f.kind == "circuit_breaker")
        data["circuit_breaker"] = True
        fields["circuit_breaker"] = _loc(breaker)
    fallbacks = [f for f in group if f.kind == "fallback"]
    if fallbacks:
        data["fallback"] = str(fallbacks[0].attributes.get("strategy") or fallbacks[0].attributes.get("kind") or "present")
        fields["fallback"] = _loc(fallbacks[0])
    evidence = _evidence(group)
    fields.setdefault("service", evidence[0] if evidence else Location(""))
    return Entry("depends_on", data, "inferred", evidence[0] if evidence else None, fields, evidence)


def contract_to_dict(contract: Contract) -> dict[str, Any]:
    """The YAML/JSON shape of SPEC.md section 3; each entry of an inferred or peer contract
    carries ``x-evidence`` (path:line of each finding behind it)."""
    out: dict[str, Any] = {"service": contract.service}
    for key, value in contract.meta.items():
        out.setdefault(key, value)
    for section in SECTIONS:
        entries = contract.section(section)
        if not entries:
            continue
        items = []
        for entry in entries:
            item = {k: v for k, v in entry.data.items() if v is not None}
            if entry.evidence:
                item["x-evidence"] = [f"{loc.path}:{loc.line}" if loc.line is not None else loc.path
                                      for loc in entry.evidence]
            items.append(item)
        out[section] = items
    return out
