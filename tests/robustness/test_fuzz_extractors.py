"""Property: every extractor survives random and mutated input. No exception escapes
``extract``; whatever it cannot read becomes an ``errors`` entry."""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from contract_discovery.model import FileResult
from contract_discovery.pipeline import process_file
from contract_discovery.registry import extractors

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
EXAMPLES = int(os.environ.get("CD_FUZZ_EXAMPLES", "25"))
SUFFIX = {"python": ".py", "javascript": ".ts", "go": ".go", "java": ".java", "kotlin": ".kt", "ruby": ".rb",
          "csharp": ".cs", "terraform": ".tf", "kubernetes": ".yaml", "spring": ".properties"}


@functools.lru_cache(maxsize=None)
def seeds_for(extractor) -> list[bytes]:
    out = []
    for path in sorted(FIXTURES.rglob("*")):
        rel = path.relative_to(FIXTURES).as_posix()
        if path.is_file() and extractor.claims(rel) and path.stat().st_size < 200_000:
            out.append(path.read_bytes())
    return out[:40] or [b"x = 1\n"]


def mutate(data: bytes, draw) -> bytes:
    ops = draw(st.lists(st.tuples(st.sampled_from(["delete", "insert", "duplicate", "truncate", "flip"]),
                                  st.integers(0, max(0, len(data))), st.integers(1, 64)), max_size=6))
    for op, pos, size in ops:
        pos = min(pos, len(data))
        if op == "delete":
            data = data[:pos] + data[pos + size:]
        elif op == "insert":
            data = data[:pos] + draw(st.binary(min_size=1, max_size=size)) + data[pos:]
        elif op == "duplicate":
            data = data[:pos] + data[pos:pos + size] * 3 + data[pos:]
        elif op == "truncate":
            data = data[:pos]
        elif op == "flip" and data:
            i = min(pos, len(data) - 1)
            data = data[:i] + bytes([data[i] ^ 0xFF]) + data[i + 1:]
    return data


EXTRACTORS = {e.name: e for e in extractors()}


@pytest.mark.parametrize("name", sorted(EXTRACTORS))
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_mutated_input_never_raises(name, data):
    extractor = EXTRACTORS[name]
    seed = data.draw(st.sampled_from(seeds_for(extractor)))
    blob = mutate(seed, data.draw)
    path = f"svc/file{SUFFIX.get(name, '.txt')}"
    if name == "spring":
        path = "svc/application.properties"
    result = extractor.extract(path, blob)
    assert isinstance(result, FileResult)
    for finding in result.findings:
        assert finding.path == path and finding.line >= 1


@pytest.mark.parametrize("name", sorted(EXTRACTORS))
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(blob=st.binary(max_size=2000))
def test_random_bytes_never_raise(name, blob):
    extractor = EXTRACTORS[name]
    result = extractor.extract(f"svc/x{SUFFIX.get(name, '.txt')}", blob)
    assert isinstance(result, FileResult)


@pytest.mark.parametrize("name,snippet", [
    ("python", b"x = " + b"(" * 5000 + b"1" + b")" * 5000 + b"\nrequests.get(u, timeout=1)\n"),
    ("python", b"def f():\n" + b"".join(b" " * i + b"if x:\n" for i in range(1, 400)) + b" " * 400 + b"pass\n"),
    ("python", b"a = " + b" + ".join([b"1"] * 20000) + b"\n"),
    ("javascript", b"const x = " + b"[" * 5000 + b"]" * 5000 + b";\nfetch(u);\n"),
    ("go", b"package x\nvar x = " + b"(" * 3000 + b"1" + b")" * 3000 + b"\n"),
    ("java", b"class A { int x = " + b"(" * 3000 + b"1" + b")" * 3000 + b"; }"),
])
def test_deeply_nested_code_becomes_a_finding_or_an_error_never_a_crash(tmp_path, name, snippet):
    suffix = SUFFIX[name]
    (tmp_path / f"deep{suffix}").write_bytes(snippet)
    outcome = process_file(str(tmp_path), f"deep{suffix}", 10_000_000)
    assert all(e.kind != "extractor_error" for e in outcome.errors), outcome.errors


def test_long_lines_and_nul_bytes(tmp_path):
    (tmp_path / "long.py").write_bytes(b"x = '" + b"a" * 3_000_000 + b"'\nrequests.get(u, timeout=3)\n")
    (tmp_path / "nul.py").write_bytes(b"import requests\n\x00\x00requests.get(u)\n")
    long = process_file(str(tmp_path), "long.py", 10_000_000)
    assert not long.errors
    assert any(f.kind == "timeout" and f.line == 2 for r in long.results for f in r.findings)
    nul = process_file(str(tmp_path), "nul.py", 10_000_000)
    assert [e.kind for e in nul.errors] == ["binary"]


@pytest.mark.fuzz
@pytest.mark.parametrize("name", sorted(EXTRACTORS))
@settings(max_examples=2000, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_long_fuzz_run(name, data):
    test_mutated_input_never_raises.hypothesis.inner_test(name, data)  # type: ignore[attr-defined]


def test_peer_folders_never_follow_links_out_or_in_loops(tmp_path):
    from contract_discovery.contracts.loader import load_peers

    peers = tmp_path / "peers"
    peers.mkdir()
    (peers / "risk.yaml").write_text("service: risk\nprovides:\n  - operation: score\n    latency: {current: p95=100ms}\n")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "evil.yaml").write_text("service: evil\n")
    os.symlink(outside, peers / "escape")
    os.symlink(peers, peers / "loop")
    os.symlink(outside / "evil.yaml", peers / "evil.yaml")
    loaded = load_peers([peers])
    assert sorted(loaded.contracts) == ["risk"]
    assert loaded.issues == []
