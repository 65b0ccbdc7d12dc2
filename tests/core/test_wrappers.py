"""The helper-parameter mechanism shared by every language (extractors/wrappers.py): what a
helper's file publishes, and what the pipeline keeps of its callers' proposals."""

import shutil
from pathlib import Path

from contract_discovery.model import Finding, Pending
from contract_discovery.pipeline import scan
from contract_discovery.resolve import published_names
from contract_discovery.values import BinOp, Num, Ref
from extractors import wrappers
from extractors.python.extractor import EXTRACTOR as PYTHON
from tests.annotations import check_annotations

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "wrappers" / "python"


def finding(kind, line, attributes, pending=()):
    return Finding(kind=kind, path="app/http.py", line=line, column=1, end_line=line, end_column=2,
                   language="go", detector="go.http_client", attributes=attributes, pending=tuple(pending))


POST = wrappers.Function(names=("post", "HttpUtil.post"), first_line=10, last_line=20,
                         params=("url", "body", "timeout"), defaults={"timeout": 5})


def test_a_timeout_from_a_parameter_is_published_under_every_name_by_index_and_name():
    pending_ms = finding("timeout", 12, {"timeout_ms": None, "expression": "timeout"},
                         [Pending("timeout_ms", Ref("timeout"), 1000.0)])
    assert wrappers.publish([POST], [pending_ms]) == {
        "post.$timeout_param:2": Num(1000.0), "post.$timeout_param:timeout": Num(1000.0),
        "HttpUtil.post.$timeout_param:2": Num(1000.0), "HttpUtil.post.$timeout_param:timeout": Num(1000.0)}


def test_a_settled_timeout_takes_its_unit_from_the_parameter_default():
    settled = finding("timeout", 12, {"timeout_ms": 5000, "expression": "timeout"})
    assert wrappers.publish([POST], [settled])["post.$timeout_param:2"] == Num(1000.0)


def test_nothing_is_published_for_a_literal_a_finding_outside_the_body_or_a_proposal():
    literal = finding("timeout", 12, {"timeout_ms": 3000, "expression": "3000"})
    outside = finding("timeout", 25, {"timeout_ms": None, "expression": "timeout"},
                      [Pending("timeout_ms", Ref("timeout"), 1.0)])
    proposal = Finding(kind="timeout", path="app/http.py", line=12, column=1, end_line=12, end_column=2,
                       language="go", detector="go.wrapper_call", attributes={"expression": "timeout"},
                       pending=(Pending("timeout_ms", Ref("timeout"), 1.0),))
    assert wrappers.publish([POST], [literal, outside, proposal], own_detectors=("go.wrapper_call",)) == {}


def test_an_attempts_bound_publishes_one_plus_its_offset():
    fn = wrappers.Function(names=("withRetry",), first_line=1, last_line=9, params=("fn", "retries"))
    plus_one = finding("retry", 3, {"max_attempts": None}, [Pending("max_attempts", BinOp("+", Ref("retries"), Num(1)), 1.0)])
    assert wrappers.publish([fn], [plus_one])["withRetry.$attempts_param:1"] == Num(2.0)
    written = finding("retry", 3, {"max_attempts": 3, "attempts_expression": "retries"})
    assert wrappers.publish([fn], [written])["withRetry.$attempts_param:retries"] == Num(1.0)
    other = finding("retry", 3, {"max_attempts": 3, "attempts_expression": "len(items)"})
    assert wrappers.publish([fn], [other]) == {}


def test_published_names_are_the_helpers_last_component():
    assert published_names({"HttpUtil.post.$timeout_param:2": Num(1.0), "withRetry.$attempts_param:1": Num(1.0),
                            "TIMEOUT": Num(3.0)}) == {"post", "withRetry"}


def test_callers_in_other_files_get_the_value_they_pass_even_a_file_the_prefilter_skips(tmp_path):
    root = tmp_path / "svc"
    shutil.copytree(FIXTURE, root)
    assert not PYTHON.prefilter((root / "pricing.py").read_bytes())  # only the helper's name brings it in
    for use_prefilter in (True, False):
        result = scan(root, use_prefilter=use_prefilter)
        for relpath in ("app/client.py", "app/scoring.py"):
            timeouts = [f for f in result.findings if f.kind == "timeout"]
            assert check_annotations(timeouts, root / relpath, relpath) == [], (use_prefilter, relpath)
        got = sorted((f.path, f.line, f.attributes.get("timeout_ms")) for f in result.findings
                     if f.kind == "timeout")
        assert got == [("app/client.py", 7, 5000), ("app/client.py", 12, 10000), ("app/scoring.py", 7, 500),
                       ("app/scoring.py", 8, 250), ("pricing.py", 7, 2000)], use_prefilter


def test_a_library_function_is_not_confirmed_by_a_project_helper_of_the_same_name(tmp_path):
    root = tmp_path / "svc"
    (root / "app").mkdir(parents=True)
    (root / "app" / "llm.py").write_text(
        "import requests\n\n\ndef completion(prompt, timeout=10):\n"
        "    return requests.post('http://llm/complete', json=prompt, timeout=timeout)\n")
    (root / "app" / "summary.py").write_text(
        "from litellm import completion\nfrom app import llm\n\n\ndef summarise(text):\n"
        "    completion(text, 30)\n    return llm.completion(text, 45)\n")
    got = sorted((f.path, f.line, f.attributes.get("timeout_ms")) for f in scan(root).findings if f.kind == "timeout")
    assert got == [("app/llm.py", 5, 10000), ("app/summary.py", 7, 45000)]
