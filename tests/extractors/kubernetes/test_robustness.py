"""The Kubernetes extractor never raises: random bytes and manifests cut or spliced at random points."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings, strategies as st

from contract_discovery.model import FileResult
from extractors.kubernetes.extractor import EXTRACTOR

ROOT = Path(__file__).resolve().parents[3]
SOURCES = [p.read_bytes() for p in sorted((ROOT / "fixtures" / "kubernetes").rglob("*.yaml"))]


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes(data: bytes) -> None:
    prefix = b"apiVersion: networking.istio.io/v1\nkind: VirtualService\n"
    assert isinstance(EXTRACTOR.extract("fuzz.yaml", prefix + data), FileResult)


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(SOURCES), st.integers(min_value=0, max_value=5000), st.integers(min_value=0, max_value=5000),
       st.sampled_from([b"", b"&a ", b"*a", b"[", b"{", b"\t", b": :", b"\x00", b"---\n", b"!!binary x", b"{{ x }}"]))
def test_mutated_manifests(source: bytes, cut: int, splice: int, junk: bytes) -> None:
    data = source[:cut % (len(source) + 1)] + junk + source[splice % (len(source) + 1):]
    result = EXTRACTOR.extract("fuzz/vs.yaml", data)
    assert isinstance(result, FileResult)
    for error in result.errors:
        assert error.kind == "yaml_error"


HELPERS = [p.read_bytes() for p in sorted((ROOT / "fixtures" / "kubernetes").rglob("*.tpl"))] + [
    p.read_bytes() for p in sorted((ROOT / "fixtures" / "kubernetes").rglob("_*.yaml"))] + [
    (ROOT / "fixtures" / "kubernetes" / "envoy" / "envoy.yaml").read_bytes(),
    (ROOT / "fixtures" / "kubernetes" / "helm-values" / "web" / "values.yaml").read_bytes()]


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(HELPERS), st.integers(min_value=0, max_value=5000), st.integers(min_value=0, max_value=5000),
       st.sampled_from([b"", b"{{", b"}}", b"/*", b"*/", b"- ", b"timeout: ", b": {", b"\t", b"\x00", b"route:\n"]),
       st.sampled_from(["chart/templates/_mesh.tpl", "chart/templates/_config.yaml", "ops/envoy.yaml",
                        "chart/values-prod.yaml"]))
def test_mutated_helpers_envoy_and_values(source: bytes, cut: int, splice: int, junk: bytes, path: str) -> None:
    """Round 7: Helm helpers and partials, standalone Envoy files and values files cut or spliced
    at random points never raise (the deployenv extractor hands .tpl files to helm_helper)."""
    from extractors.kubernetes.extractor import helm_helper
    data = source[:cut % (len(source) + 1)] + junk + source[splice % (len(source) + 1):]
    assert isinstance(EXTRACTOR.extract(path, data), FileResult)
    assert isinstance(helm_helper(path, data), FileResult)
