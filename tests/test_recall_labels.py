"""The hand-labelled recall sets (benchmarks/recall/*.yaml) are well-formed, so that
`python benchmarks/recall.py` scores what their authors meant. Scoring itself needs the
repositories' git mirrors and runs outside the test suite."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

LABELS = sorted((Path(__file__).resolve().parents[1] / "benchmarks" / "recall").glob("*.yaml"))
KINDS = {"timeout", "retry", "missing_timeout", "replica_read", "new_id_per_attempt", "idempotency_key",
         "circuit_breaker", "outbound_call"}


def test_there_are_label_sets_for_every_polyglot_language():
    languages = {yaml.safe_load(p.read_text()).get("language") for p in LABELS}
    assert {"go", "java", "kotlin", "ruby", "csharp", "terraform"} <= languages
    assert languages & {"javascript", "typescript"}


@pytest.mark.parametrize("path", LABELS, ids=lambda p: p.stem)
def test_label_file_is_well_formed(path):
    spec = yaml.safe_load(path.read_text())
    assert set(spec) >= {"repo", "commit", "language", "paths", "kinds", "method", "expected"}, path.name
    assert len(spec["repo"].split("/")) == 2
    assert len(spec["commit"]) == 40 and int(spec["commit"], 16) >= 0
    assert set(spec["kinds"]) <= KINDS
    assert path.stem.startswith(spec["language"] + "-") or path.stem.split("-", 1)[0] in ("typescript", "javascript")
    seen = set()
    prefixes = [p.rstrip("/") for p in spec["paths"]]
    # `context:` files are exported for their values only: a set with no `paths` exports everything
    assert not spec.get("context") or (prefixes and all(isinstance(c, str) and c for c in spec["context"])), spec.get("context")
    for item in spec["expected"] or []:
        assert item["kind"] in spec["kinds"], item
        assert isinstance(item["line"], int) and item["line"] > 0, item
        assert not prefixes or any(item["path"] == p or item["path"].startswith(p + "/") for p in prefixes), item
        value = item.get("value")
        assert value is None or isinstance(value, (int, float, str)), item
        key = (item["path"], item["line"], item["kind"], item.get("phase"))
        assert key not in seen, f"labelled twice: {key}"
        seen.add(key)
    if spec.get("first_scan"):
        assert {"expected", "found", "reported", "true_reported", "values_right", "tool_commit"} <= set(spec["first_scan"])
    for item in spec.get("ignore") or []:
        assert {"path", "line", "kind"} <= set(item), item
