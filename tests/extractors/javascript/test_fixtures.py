"""Every annotated fixture file: the findings are exactly the `// expect:` lines, none on `// ok:` lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.javascript.extractor import EXTRACTOR
from tests.annotations import check_annotations, read_annotations

ROOT = Path(__file__).resolve().parents[3]
EXTENSIONS = EXTRACTOR.extensions
FIXTURE_DIRS = [ROOT / "fixtures" / "javascript", ROOT / "fixtures" / "polyglot" / "checkout"]
FILES = sorted(p for d in FIXTURE_DIRS for p in d.rglob("*") if p.is_file() and p.name.endswith(EXTENSIONS))


def test_fixtures_exist():
    names = {p.relative_to(ROOT).as_posix() for p in FILES}
    assert "fixtures/javascript/axios/risk_client.ts" in names
    assert "fixtures/polyglot/checkout/src/riskClient.ts" in names


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_annotated_fixture(path: Path):
    rel = path.relative_to(ROOT).as_posix()
    result = EXTRACTOR.extract(rel, path.read_bytes())
    assert check_annotations(result.findings, path, rel) == []
    assert [e for e in result.errors if e.kind != "parse_error"] == []


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_prefilter_misses_nothing(path: Path):
    expects, _ = read_annotations(path)
    if expects:
        assert EXTRACTOR.prefilter(path.read_bytes()), f"prefilter would skip {path}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_finding_words_gate_misses_nothing(path: Path):
    # A file without any FINDING_WORDS is read for constants only; every file with an expected
    # finding must hold one of them.
    from extractors.javascript.extractor import may_hold_finding

    expects, _ = read_annotations(path)
    if expects:
        assert may_hold_finding(path.read_bytes()), f"the detectors would not run on {path}"


def test_detector_examples_hold_a_finding_word():
    from extractors.base import DETECTORS
    from extractors.javascript.extractor import may_hold_finding

    for info in DETECTORS.values():
        if info.language == "javascript":
            for example in info.invalid:
                assert may_hold_finding(example.encode()), (info.id, example)


def test_constants_only_file_keeps_symbols_and_imports_but_runs_no_detector():
    source = b'import { base } from "./base";\nexport const LIMIT_MS = 1500;\nexport const URL = base + "/v1";\n'
    result = EXTRACTOR.extract("src/limits.ts", source)
    from contract_discovery.values import BinOp, Num, Ref, Str

    assert result.symbols == {"LIMIT_MS": Num(1500.0), "URL": BinOp("+", Ref("base"), Str("/v1"))}
    assert result.imports == {"base": "src/base.base"} and result.findings == ()


def test_grpc_client_script_without_other_words_passes_prefilter_and_is_found():
    # `new XClient(address, credentials)`: no export, no http, no timeout in the file.
    source = (b'const { ScoreClient } = require("./gen/score_grpc_pb");\n'
              b'const grpc = require("@grpc/grpc-js");\n'
              b'const client = new ScoreClient("risk:50051", grpc.credentials.createInsecure());\n'
              b'client.score({ id: 1 }, (err, res) => console.log(res));\n')
    assert EXTRACTOR.prefilter(source)
    result = EXTRACTOR.extract("src/score.js", source)
    # (the calls of the project's generated client also carry the core's left-out-default
    # proposals, which the scan drops unless that file publishes a default)
    assert {(f.kind, f.line) for f in result.findings
            if f.attributes.get("expression") != "(default)"} == {("outbound_call", 4), ("missing_timeout", 4)}


def test_gate_changes_no_result_on_fixtures_and_examples(monkeypatch):
    """Every fixture and detector example gives the same result with the detectors forced to run."""
    from extractors.base import DETECTORS
    from extractors.javascript import extractor as js

    inputs = [(p.relative_to(ROOT).as_posix(), p.read_bytes()) for p in FILES]
    inputs += [("example.ts", e.encode()) for info in DETECTORS.values() if info.language == "javascript"
               for e in (*info.valid, *info.invalid)]
    gated = [EXTRACTOR.extract(path, data) for path, data in inputs]
    monkeypatch.setattr(js, "may_hold_finding", lambda data: True)
    assert [EXTRACTOR.extract(path, data) for path, data in inputs] == gated
