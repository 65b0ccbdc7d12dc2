"""Shared by the Kotlin tests."""

from __future__ import annotations

from contract_discovery.resolve import Resolver, ServiceIndex, resolve_findings


def resolve_kept(results):
    """Every finding of ``results`` as the pipeline keeps and values it: a proposal at a call of a
    helper that no file here publishes (kotlin.wrapper_call's ``$keep_if``) is dropped."""
    resolver, index = Resolver(results), ServiceIndex([])
    return [g for r in results for f in r.findings for g in resolve_findings(f, r, resolver, index)]
