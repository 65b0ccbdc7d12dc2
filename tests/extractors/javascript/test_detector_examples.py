"""Each detector's own VALID / INVALID examples (from its @detector registration)."""

from __future__ import annotations

import pytest

from extractors.base import DETECTORS
from extractors.javascript import extractor  # noqa: F401  (registers the detectors)
from extractors.javascript.extractor import EXTRACTOR

JS = sorted((i for i in DETECTORS.values() if i.id.startswith("javascript.")), key=lambda i: i.id)
VALID = [(i.id, ex) for i in JS for ex in i.valid]
INVALID = [(i.id, ex) for i in JS for ex in i.invalid]


def test_every_detector_documents_itself():
    ids = {i.id for i in JS}
    assert ids == {"javascript.axios", "javascript.nestjs_http", "javascript.fetch", "javascript.got", "javascript.ky", "javascript.ofetch",
                   "javascript.node_http", "javascript.superagent", "javascript.urllib", "javascript.grpc",
                   "javascript.retry_library", "javascript.retry_loop", "javascript.circuit_breaker", "javascript.fallback",
                   "javascript.fresh_id", "javascript.idempotency", "javascript.client_options", "javascript.wrapper_call",
                   "javascript.driver_options", "javascript.deadline", "javascript.options_helper", "javascript.libcurl",
                   "javascript.wreck", "javascript.sequelize_config",
                   "javascript.callback_retry", "javascript.redis_retry_strategy",
                   # round 20, js1
                   "javascript.rerun_retry", "javascript.request_inline", "javascript.handed_bounds",
                   "javascript.failover_loop", "javascript.resend_once", "javascript.deadline_helper",
                   "javascript.retry_budget"}
    for info in JS:
        assert "Why it matters" in info.doc and "Example" in info.doc, info.id
        assert info.valid and info.invalid, info.id


@pytest.mark.parametrize("detector_id,example", VALID)
def test_valid_example_yields_nothing(detector_id: str, example: str):
    result = EXTRACTOR.extract("example.ts", example.encode())
    # a forwarder's call (a helper chain) and a left-out default are never reported by themselves:
    # the core keeps them only when another file publishes the helper's parameter
    assert [(f.kind, f.line) for f in result.findings if f.detector == detector_id
            and not f.attributes.get("forward") and f.attributes.get("expression") != "(default)"] == []


@pytest.mark.parametrize("detector_id,example", INVALID)
def test_invalid_example_fires(detector_id: str, example: str):
    result = EXTRACTOR.extract("example.ts", example.encode())
    kinds = {f.kind for f in result.findings if f.detector == detector_id}
    info = DETECTORS[detector_id]
    assert kinds and kinds <= set(info.kinds)
