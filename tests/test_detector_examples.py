"""One harness for every registered detector's own examples (Fixit-style): each INVALID example
must make that detector report, each VALID example must leave it silent (outbound_call findings
aside: they are facts, not verdicts, unless recording calls is the detector's whole job)."""

from __future__ import annotations

import pytest

from contract_discovery.registry import extractors
from extractors.base import DETECTORS

EXTRACTOR_BY_LANGUAGE = {}
for _e in extractors():
    _e.load_detectors()  # registers detectors that an extractor imports lazily
    EXTRACTOR_BY_LANGUAGE.setdefault(_e.name, _e)
for _e in extractors():
    # a language's own extractor (ruby), not another that reports in it (railsconfig's YAML)
    EXTRACTOR_BY_LANGUAGE.setdefault(_e.language, EXTRACTOR_BY_LANGUAGE.get(_e.language, _e))

SUFFIX = {"python": ".py", "javascript": ".ts", "typescript": ".ts", "go": ".go", "java": ".java", "kotlin": ".kt",
          "ruby": ".rb", "csharp": ".cs", "terraform": ".tf", "hcl": ".tf", "kubernetes": ".yaml", "spring": ".properties"}


def cases(kind: str):
    for detector_id, info in sorted(DETECTORS.items()):
        examples = info.invalid if kind == "invalid" else info.valid
        for i, example in enumerate(examples):
            yield pytest.param(detector_id, example, id=f"{detector_id}-{kind}-{i}")


def run(detector_id: str, example: str):
    info = DETECTORS[detector_id]
    extractor = EXTRACTOR_BY_LANGUAGE[info.language]
    path = f"svc/example{SUFFIX.get(info.language, '.txt')}"
    if info.language == "spring" and example.lstrip().startswith(("spring:", "resilience4j:", "feign:")):
        path = "svc/application.yml"
    if info.language == "kubernetes" or "apiVersion:" in example:
        path = "svc/example.yaml"
    # a helper-chain forward (extractors/wrappers.forward_proposal) is never reported: the pipeline drops it
    return [f for f in extractor.extract(path, example.encode()).findings
            if f.detector == detector_id and not f.attributes.get("forward")]


def test_every_detector_has_examples_both_ways():
    missing = [d for d, info in sorted(DETECTORS.items()) if not info.invalid or not info.valid]
    assert not missing, f"detectors without VALID and INVALID examples: {missing}"


@pytest.mark.parametrize("detector_id,example", list(cases("invalid")))
def test_invalid_example_is_reported(detector_id, example):
    assert run(detector_id, example), f"{detector_id} stayed silent on:\n{example}"


@pytest.mark.parametrize("detector_id,example", list(cases("valid")))
def test_valid_example_is_not_reported(detector_id, example):
    found = run(detector_id, example)
    # An outbound call is a neutral fact a detector may record beside its real subject.
    if set(DETECTORS[detector_id].kinds) != {"outbound_call"}:
        found = [f for f in found if f.kind != "outbound_call"]
    assert not found, f"{detector_id} fired on a valid example: {[(f.kind, f.line, dict(f.attributes)) for f in found]}"
