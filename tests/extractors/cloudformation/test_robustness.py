"""CloudFormation / Serverless / Workflows / States Language / OpenAPI files, Helm values and
nginx-in-ConfigMap manifests never make an extractor raise: fixtures cut and spliced at random."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings, strategies as st

from contract_discovery.model import FileResult
from extractors.cloudformation.extractor import EXTRACTOR as CFN
from extractors.deployenv.extractor import EXTRACTOR as DEPLOY
from extractors.kubernetes.extractor import EXTRACTOR as K8S

ROOT = Path(__file__).resolve().parents[3]
FILES = sorted(p for p in (ROOT / "fixtures" / "cloudformation").rglob("*") if p.suffix in (".yaml", ".yml", ".json")) \
    + sorted((ROOT / "fixtures" / "terraform" / "gcp" / "workflows").rglob("*.yaml")) \
    + sorted((ROOT / "fixtures" / "kubernetes" / "helm-nginx").rglob("*.y*ml"))
SOURCES = [(p.relative_to(ROOT).as_posix(), p.read_bytes()) for p in FILES]
HELPERS = [p.read_bytes() for p in sorted((ROOT / "fixtures" / "kubernetes" / "helm-nginx").rglob("*.tpl"))]
JUNK = [b"", b"{", b"}", b"\"", b"${", b"{{", b"}}", b"- ", b": :", b"\x00", b"\t", b"&a *a", b"!Sub |\n", b";"]


@settings(max_examples=120, deadline=None)
@given(st.sampled_from(SOURCES), st.integers(min_value=0, max_value=6000), st.integers(min_value=0, max_value=6000),
       st.sampled_from(JUNK))
def test_mutated_files(source, cut: int, splice: int, junk: bytes) -> None:
    path, text = source
    data = text[:cut % (len(text) + 1)] + junk + text[splice % (len(text) + 1):]
    for extractor in (CFN, K8S):
        result = extractor.extract(path, data)
        assert isinstance(result, FileResult)
        assert all(f.line >= 1 for f in result.findings)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(HELPERS), st.integers(min_value=0, max_value=400), st.sampled_from(JUNK))
def test_mutated_helm_helpers(text: bytes, cut: int, junk: bytes) -> None:
    data = text[:cut] + junk + text[cut:]
    result = DEPLOY.extract("charts/web/templates/_gateway.tpl", data)
    assert isinstance(result, FileResult) and all(f.line >= 1 for f in result.findings)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=1500))
def test_random_bytes(data: bytes) -> None:
    for path in ("infra/cfn.yaml", "statemachine/x.asl.json", "wf/sync.yaml", "charts/web/values.yaml"):
        assert isinstance(CFN.extract(path, b"AWSTemplateFormatVersion: x\nResources:\n" + data), FileResult)
        assert isinstance(CFN.extract(path, b'{"StartAt": 1, "States": ' + data), FileResult)
        assert isinstance(K8S.extract(path, data), FileResult)
