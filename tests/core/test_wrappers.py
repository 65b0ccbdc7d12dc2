"""The helper-parameter mechanism shared by every language (extractors/wrappers.py): what a
helper's file publishes, and what the pipeline keeps of its callers' proposals."""

import shutil
from dataclasses import replace as dataclass_replace
from pathlib import Path

from contract_discovery.model import Finding, Pending
from contract_discovery.pipeline import scan
from contract_discovery.resolve import published_names
from contract_discovery.values import BinOp, Num, Ref, Str
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
    published = wrappers.publish([POST], [pending_ms])
    assert {k: v for k, v in published.items() if "$timeout_param" in k} == {
        "post.$timeout_param:2": Num(1000.0), "post.$timeout_param:timeout": Num(1000.0),
        "HttpUtil.post.$timeout_param:2": Num(1000.0), "HttpUtil.post.$timeout_param:timeout": Num(1000.0)}
    # the default (5, in seconds) is what a call passing two or fewer positional arguments gets
    assert {k: v for k, v in published.items() if k.startswith("post.") and "$timeout_param" not in k} == {
        **{f"post.$timeout_omitted:{k}": Num(1) for k in range(3)},
        **{f"post.$timeout_default:{k}": BinOp("*", Num(5), Num(1000.0)) for k in range(3)}}


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
        # fetch_json hands on its defaulted parameter: its own line carries the 5 s default (rule (a)),
        # each call passes a value (rule (c)) or, passing none, gets the default (rule (b))
        assert got == [("app/client.py", 7, 5000), ("app/client.py", 12, 10000), ("app/scoring.py", 7, 500), ("app/scoring.py", 8, 250),
                       ("app/scoring.py", 11, 5000), ("pricing.py", 7, 2000)], use_prefilter


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
    # llm.completion's own line carries its 10 s default (rule (a)); litellm's completion(text, 30) is
    # not the project's helper
    assert got == [("app/llm.py", 5, 10000), ("app/summary.py", 7, 45000)]


class _Call:
    """The parts of a tree-sitter call node that a proposal reads."""

    def __init__(self, line: int, text: str = "WithAutoRetryAsync(() => Get(url))"):
        self.start_point, self.end_point, self.text = (line - 1, 8), (line - 1, 40), text.encode()


_AUTO_RETRY = wrappers.Function(names=("WithAutoRetryAsync", "CircuitBreaker.WithAutoRetryAsync"), first_line=20,
                                last_line=40, params=("action", "maxRetries"),
                                defaults={"maxRetries": Ref("DEFAULT_RETRIES")})


def _helper_file(findings):
    from contract_discovery.model import FileResult
    symbols = {"CircuitBreaker.DEFAULT_RETRIES": Num(5), "DEFAULT_RETRIES": Num(5),
               **wrappers.publish([_AUTO_RETRY], findings)}
    return FileResult(path="Common/CircuitBreaker.cs", language="csharp", symbols=symbols, module="Acme.Common")


def _resolved(helper, call_line, positional, keywords=()):
    from contract_discovery.model import FileResult
    from contract_discovery.resolve import Resolver, ServiceIndex, resolve_findings
    proposal = wrappers.omitted_retry_proposal(
        path="Api/Client.cs", language="csharp", node=_Call(call_line), detector="csharp.wrapper_call",
        callee="CircuitBreaker.WithAutoRetryAsync", positional=positional, keywords=keywords)
    if proposal is None:
        return []
    caller = FileResult(path="Api/Client.cs", language="csharp", findings=(proposal,), module="Acme.Api")
    return resolve_findings(proposal, caller, Resolver([caller], linked=[helper]), ServiceIndex([]))


def test_a_call_leaving_the_attempts_parameter_out_gets_its_default_plus_the_first_try():
    loop = finding("retry", 25, {"max_attempts": None, "attempts_expression": "maxRetries + 1"})
    helper = _helper_file([loop])
    assert helper.symbols["CircuitBreaker.WithAutoRetryAsync.$attempts_default:1"] == BinOp(
        "+", Ref("DEFAULT_RETRIES"), Num(1.0))
    out = _resolved(helper, 12, positional=1)
    assert [(f.line, f.kind, f.attributes["max_attempts"], f.attributes["via"]) for f in out] == [
        (12, "retry", 6, "CircuitBreaker.WithAutoRetryAsync")]


def test_no_default_proposal_when_the_call_passes_the_bound_or_the_helper_has_no_default():
    loop = finding("retry", 25, {"max_attempts": None, "attempts_expression": "maxRetries + 1"})
    helper = _helper_file([loop])
    assert _resolved(helper, 12, positional=2) == []  # the bound is passed: a retry_proposal reads it
    assert _resolved(helper, 12, positional=1, keywords=("maxRetries",)) == []
    assert _resolved(helper, 12, positional=1, keywords=("token",))[0].attributes["max_attempts"] == 6
    no_default = wrappers.Function(names=("CircuitBreaker.WithAutoRetryAsync",), first_line=20, last_line=40,
                                   params=("action", "maxRetries"))
    from contract_discovery.model import FileResult
    bare = FileResult(path="Common/CircuitBreaker.cs", language="csharp",
                      symbols=wrappers.publish([no_default], [loop]), module="Acme.Common")
    assert not any("$attempts_omitted" in k for k in bare.symbols)
    assert _resolved(bare, 12, positional=1) == []
    # a helper whose loop is not bounded by the parameter publishes nothing for omitted calls
    unbounded = finding("retry", 25, {"max_attempts": 3, "attempts_expression": "3"})
    assert _resolved(_helper_file([unbounded]), 12, positional=1) == []


# --- helper chains, constructor parameters, omitted timeouts -------------------------------------

def _file(path, symbols=None, findings=(), module="app"):
    from contract_discovery.model import FileResult
    return FileResult(path=path, language="go", symbols=symbols or {}, findings=tuple(findings), module=module)


def _resolve(caller, files):
    from contract_discovery.resolve import Resolver, ServiceIndex, resolve_findings
    resolver = Resolver([caller, *files])
    return [one for f in caller.findings for one in resolve_findings(f, caller, resolver, ServiceIndex([]))]


def _post_file():
    """`post(url, body, timeout)` whose timeout (seconds) becomes the request's."""
    sink = finding("timeout", 12, {"timeout_ms": None, "expression": "timeout"}, [Pending("timeout_ms", Ref("timeout"), 1000.0)])
    fn = wrappers.Function(names=("post",), first_line=10, last_line=20, params=("url", "body", "timeout"))
    return _file("app/http.go", wrappers.publish([fn], [sink]))


def _forwarder(value, callee="post", key=2, params=("url", "timeout")):
    """`get(url, timeout)` lines 30-35 handing `value` (in terms of its own parameter) to `callee`."""
    fn = wrappers.Function(names=("get", "Client.get"), first_line=30, last_line=35, params=params)
    fwd = wrappers.forward_proposal(path="app/get.go", language="go", node=_Call(32, "post(url, nil, timeout)"),
                                    detector="go.wrapper_call", callee=callee, key=key, value=value)
    return fwd, _file("app/get.go", wrappers.publish([fn], [fwd], own_detectors=("go.wrapper_call",)), [fwd])


def _caller(callee, key, value, line=7):
    proposal = wrappers.timeout_proposal(path="app/main.go", language="go", node=_Call(line, "get(url, 2)"),
                                         detector="go.wrapper_call", callee=callee, key=key, value=value,
                                         expression="2")
    return _file("app/main.go", findings=[proposal])


def test_a_helper_forwarding_its_parameter_to_another_helper_publishes_it_in_the_inner_ones_unit():
    fwd, outer = _forwarder(Ref("timeout"))
    assert outer.symbols["get.$timeout_param:1"] == Ref("post.$timeout_param:2")
    assert outer.symbols["Client.get.$timeout_param:timeout"] == Ref("post.$timeout_param:2")
    got = _resolve(_caller("get", 1, Num(2)), [_post_file(), outer])
    assert [(f.line, f.attributes["timeout_ms"], f.attributes["via"]) for f in got] == [(7, 2000, "get")]
    # the forwarder's own call is never a finding
    assert _resolve(outer, [_post_file()]) == []


def test_a_forward_in_other_units_scales_and_an_attempts_bound_adds_its_offset():
    _, outer = _forwarder(BinOp("*", Ref("timeout"), Num(1000)))  # get(url, seconds) -> post(url, nil, ms?)
    assert outer.symbols["get.$timeout_param:1"] == BinOp("*", Num(1000.0), Ref("post.$timeout_param:2"))
    _, retrying = _forwarder(BinOp("+", Ref("timeout"), Num(1)))
    assert retrying.symbols["get.$attempts_param:1"] == BinOp("+", Num(1.0), Ref("post.$attempts_param:2"))


def test_a_chain_to_a_helper_that_publishes_nothing_keeps_nothing():
    _, outer = _forwarder(Ref("timeout"), callee="log")  # `log(url, timeout)`: no timeout inside
    assert _resolve(_caller("get", 1, Num(2)), [_post_file(), outer]) == []
    # an argument that is not the helper's parameter forwards nothing
    _, other = _forwarder(Ref("retries"))
    assert not any("$timeout_param" in k or "$attempts_param" in k for k in other.symbols)


def test_a_direct_use_of_the_parameter_wins_over_a_forward():
    fn = wrappers.Function(names=("get",), first_line=30, last_line=35, params=("url", "timeout"))
    direct = finding("timeout", 31, {"timeout_ms": None, "expression": "timeout"}, [Pending("timeout_ms", Ref("timeout"), 1.0)])
    fwd = wrappers.forward_proposal(path="app/get.go", language="go", node=_Call(33), detector="go.wrapper_call",
                                    callee="post", key=2, value=Ref("timeout"))
    assert wrappers.publish([fn], [direct, fwd], own_detectors=("go.wrapper_call",))["get.$timeout_param:1"] == Num(1.0)


def test_a_constructor_parameter_stored_in_a_field_is_published_for_construction_calls():
    cls = wrappers.Function(names=("Cache",), first_line=1, last_line=40, params=("client", "timeoutMs", "retries"),
                            aliases={"this.timeoutMs": "timeoutMs", "this.retries": "retries"})
    uses = finding("timeout", 25, {"timeout_ms": None, "expression": "this.timeoutMs"},
                   [Pending("timeout_ms", Ref("this.timeoutMs"), 1.0)])
    loop = finding("retry", 30, {"max_attempts": None, "attempts_expression": "this.retries + 1"})
    published = wrappers.publish([cls], [uses, loop])
    assert published["Cache.$timeout_param:1"] == Num(1.0)
    assert published["Cache.$attempts_param:2"] == Num(2.0)
    # a field the constructor does not fill from a parameter publishes nothing
    other = finding("timeout", 25, {"timeout_ms": None, "expression": "this.ttl"}, [Pending("timeout_ms", Ref("this.ttl"), 1.0)])
    assert wrappers.publish([cls], [other]) == {}


def _omitted(helper, positional, keywords=()):
    proposal = wrappers.omitted_timeout_proposal(path="app/main.go", language="go", node=_Call(9, "post(url, body)"),
                                                 detector="go.wrapper_call", callee="post", positional=positional,
                                                 keywords=keywords)
    return [] if proposal is None else _resolve(_file("app/main.go", findings=[proposal]), [helper])


def test_a_call_leaving_a_defaulted_timeout_out_gets_the_default_in_ms():
    sink = finding("timeout", 12, {"timeout_ms": None, "expression": "timeout"}, [Pending("timeout_ms", Ref("timeout"), 1000.0)])
    helper = _file("app/http.go", wrappers.publish([POST], [sink]))
    assert [(f.line, f.attributes["timeout_ms"], f.attributes["expression"]) for f in _omitted(helper, 2)] == [
        (9, 5000, "(default)")]
    assert _omitted(helper, 3) == []  # the timeout is passed: a timeout_proposal reads it
    assert _omitted(helper, 2, keywords=("timeout",)) == []
    assert _omitted(helper, 2, keywords=("timeoutMs",)) == [] and _omitted(helper, 2, keywords=("read_ms",)) == []
    # a keyword that merely ends in "ms" (`params=`, `items=`) may not be the timeout: the default applies
    assert [f.attributes["timeout_ms"] for f in _omitted(helper, 2, keywords=("params", "items"))] == [5000]
    no_bound = wrappers.Function(names=("post",), first_line=10, last_line=20, params=("url", "body", "timeout"),
                                 defaults={"timeout": 0})
    assert _omitted(_file("app/http.go", wrappers.publish([no_bound], [sink])), 2) == []
    no_default = wrappers.Function(names=("post",), first_line=10, last_line=20, params=("url", "body", "timeout"))
    assert _omitted(_file("app/http.go", wrappers.publish([no_default], [sink])), 2) == []


def test_a_call_leaving_out_a_connect_and_a_read_default_gets_both_phases():
    fn = wrappers.Function(names=("post",), first_line=10, last_line=20, params=("url", "connectMs", "readMs"),
                           defaults={"connectMs": 1000, "readMs": 5000})
    sinks = [finding("timeout", 12, {"timeout_ms": None, "phase": "connect", "expression": "connectMs"},
                     [Pending("timeout_ms", Ref("connectMs"), 1.0)]),
             finding("timeout", 13, {"timeout_ms": None, "phase": "read", "expression": "readMs"},
                     [Pending("timeout_ms", Ref("readMs"), 1.0)])]
    helper = _file("app/http.go", wrappers.publish([fn], sinks))
    got = sorted((f.attributes["phase"], f.attributes["timeout_ms"]) for f in _omitted(helper, 1))
    assert got == [("connect", 1000), ("read", 5000)]
    # passing the connect bound leaves only the read default: one finding, a read timeout
    assert [(f.attributes["phase"], f.attributes["timeout_ms"]) for f in _omitted(helper, 2)] == [("read", 5000)]


def test_a_call_leaving_out_defaults_of_other_phases_gets_each_with_its_phase():
    # `def get(url, timeout: 10, open_timeout: 2)` handing `Timeout.new(timeout, connect: open_timeout)`:
    # a total and a connect default, not a (connect, read) pair; both reach a call leaving them out
    fn = wrappers.Function(names=("get",), first_line=10, last_line=20, params=("url", "timeout", "open_timeout"),
                           defaults={"timeout": 10, "open_timeout": 2})
    sinks = [finding("timeout", 12, {"timeout_ms": None, "phase": "total", "expression": "timeout"},
                     [Pending("timeout_ms", Ref("timeout"), 1000.0)]),
             finding("timeout", 12, {"timeout_ms": None, "phase": "connect", "expression": "open_timeout"},
                     [Pending("timeout_ms", Ref("open_timeout"), 1000.0)])]
    helper = _file("app/http.go", wrappers.publish([dataclass_replace(fn, names=("post",))], sinks))
    assert sorted((f.attributes["phase"], f.attributes["timeout_ms"]) for f in _omitted(helper, 1)) == [
        ("connect", 2000), ("total", 10000)]
    assert [(f.attributes["phase"], f.attributes["timeout_ms"]) for f in _omitted(helper, 2)] == [("connect", 2000)]
    # three phases left out: three findings
    three = wrappers.Function(names=("post",), first_line=10, last_line=20, params=("url", "c", "r", "w"),
                              defaults={"c": 1, "r": 5, "w": 7})
    sinks = [finding("timeout", 12, {"timeout_ms": None, "phase": phase, "expression": name},
                     [Pending("timeout_ms", Ref(name), 1000.0)]) for phase, name in (("connect", "c"), ("read", "r"), ("write", "w"))]
    helper = _file("app/http.go", wrappers.publish([three], sinks))
    assert sorted((f.attributes["phase"], f.attributes["timeout_ms"]) for f in _omitted(helper, 1)) == [
        ("connect", 1000), ("read", 5000), ("write", 7000)]


def test_two_defaulted_parameters_of_one_phase_each_reach_a_call_leaving_them_out():
    # `fun client(url: String, readSeconds: Int = 10, responseSeconds: Long = 20)` with a Netty
    # ReadTimeoutHandler(readSeconds) and .responseTimeout(ofSeconds(responseSeconds)): both read
    # timeouts; `client(url)` gets both defaults (round 18, hmpps-interventions), not the first alone
    fn = wrappers.Function(names=("post",), first_line=10, last_line=20, params=("url", "readSeconds", "responseSeconds"),
                           defaults={"readSeconds": 10, "responseSeconds": 20})
    sinks = [finding("timeout", 12, {"timeout_ms": None, "phase": "read", "expression": "readSeconds"},
                     [Pending("timeout_ms", Ref("readSeconds"), 1000.0)]),
             finding("timeout", 14, {"timeout_ms": None, "phase": "read", "expression": "responseSeconds"},
                     [Pending("timeout_ms", Ref("responseSeconds"), 1000.0)])]
    helper = _file("app/http.go", wrappers.publish([fn], sinks))
    assert sorted((f.line, f.attributes["phase"], f.attributes["timeout_ms"]) for f in _omitted(helper, 1)) == [
        (9, "read", 10000), (9, "read", 20000)]
    # passing the read seconds leaves the response default alone
    assert [(f.attributes["phase"], f.attributes["timeout_ms"]) for f in _omitted(helper, 2)] == [("read", 20000)]
    # naming one by keyword leaves the other
    assert [(f.attributes["phase"], f.attributes["timeout_ms"]) for f in _omitted(helper, 1, ("readSeconds",))] == [
        ("read", 20000)]
    # one parameter used at two read sinks with one default stays one finding
    same = [sinks[0], finding("timeout", 15, {"timeout_ms": None, "phase": "read", "expression": "readSeconds"},
                              [Pending("timeout_ms", Ref("readSeconds"), 1000.0)])]
    one = wrappers.Function(names=("post",), first_line=10, last_line=20, params=("url", "readSeconds"),
                            defaults={"readSeconds": 10})
    helper = _file("app/http.go", wrappers.publish([one], same))
    assert [(f.attributes["phase"], f.attributes["timeout_ms"]) for f in _omitted(helper, 1)] == [("read", 10000)]


def test_a_call_naming_one_defaulted_timeout_gets_the_defaults_of_the_others_it_leaves_out():
    # `def conn(url, open_timeout: 2, read_timeout: 10)`; `conn(url, read_timeout: 5)` leaves the
    # open timeout to its default (the 5 s is a timeout_proposal of its own)
    fn = wrappers.Function(names=("conn",), first_line=10, last_line=20, params=("url", "open_timeout", "read_timeout"),
                           defaults={"open_timeout": 2, "read_timeout": 10})
    sinks = [finding("timeout", 12, {"timeout_ms": None, "phase": "connect", "expression": "open_timeout"},
                     [Pending("timeout_ms", Ref("open_timeout"), 1000.0)]),
             finding("timeout", 13, {"timeout_ms": None, "phase": "read", "expression": "read_timeout"},
                     [Pending("timeout_ms", Ref("read_timeout"), 1000.0)])]
    helper = _file("app/http.go", wrappers.publish([fn], sinks))

    def omitted(positional, keywords):
        proposal = wrappers.omitted_timeout_proposal(path="app/main.go", language="ruby", node=_Call(9, "conn(url)"),
                                                     detector="ruby.wrapper_call", callee="conn",
                                                     positional=positional, keywords=keywords)
        got = _resolve(_file("app/main.go", findings=[proposal]), [helper])
        return sorted((f.attributes["phase"], f.attributes["timeout_ms"]) for f in got)

    assert omitted(1, ("read_timeout",)) == [("connect", 2000)]
    assert omitted(1, ("open_timeout",)) == [("read", 10000)]
    assert omitted(1, ("open_timeout", "read_timeout")) == []  # both given: nothing left to default
    assert omitted(1, ()) == [("connect", 2000), ("read", 10000)]
    assert omitted(2, ("read_timeout",)) == []  # the open timeout passed by position
    # a timeout keyword the helper has no parameter for keeps nothing (it may be a **options hash)
    assert omitted(1, ("deadline",)) == []


def test_a_helper_parameter_that_bounds_one_phase_gives_its_callers_that_phase():
    fn = wrappers.Function(names=("HttpSupport.restTemplate",), first_line=10, last_line=20,
                           params=("connectMs", "readMs", "totalMs"))
    sinks = [finding("timeout", 12, {"timeout_ms": None, "phase": "connect", "expression": "connectMs"},
                     [Pending("timeout_ms", Ref("connectMs"), 1.0)]),
             finding("timeout", 13, {"timeout_ms": None, "phase": "read", "expression": "readMs"},
                     [Pending("timeout_ms", Ref("readMs"), 1.0)]),
             finding("timeout", 14, {"timeout_ms": None, "phase": "total", "expression": "totalMs"},
                     [Pending("timeout_ms", Ref("totalMs"), 1.0)])]
    helper = _file("common/HttpSupport.java", wrappers.publish([fn], sinks))
    calls = [wrappers.timeout_proposal(path="app/main.go", language="java", node=_Call(7, "restTemplate(400, 2500, 9000)"),
                                       detector="java.wrapper_call", callee="HttpSupport.restTemplate", key=i,
                                       value=Num(v), expression=str(v)) for i, v in enumerate((400, 2500, 9000))]
    got = _resolve(_file("app/main.go", findings=calls), [helper])
    assert sorted((f.attributes["phase"], f.attributes["timeout_ms"]) for f in got) == [
        ("connect", 400), ("read", 2500), ("total", 9000)]


def test_a_helper_call_goes_where_its_url_argument_points_when_the_helper_publishes_that_parameter():
    from contract_discovery.model import Service
    from contract_discovery.resolve import Resolver, ServiceIndex, resolve_findings
    fn = wrappers.Function(names=("post_json",), first_line=10, last_line=20, params=("url", "payload", "timeout"))
    sink = finding("timeout", 12, {"timeout_ms": None, "expression": "timeout"}, [Pending("timeout_ms", Ref("timeout"), 1000.0)])
    call = finding("outbound_call", 12, {"url": None}, [Pending("url", BinOp("+", Ref("url"), Str("/v1")), None)])
    helper = _file("app/http.py", wrappers.publish([fn], [sink, call]))
    assert helper.symbols["post_json.$url_param:0"] == Num(1)
    index = ServiceIndex([Service(name="ml-scoring", path="ml-scoring")])

    def proposed(helper_file):
        proposal = wrappers.timeout_proposal(
            path="app/main.py", language="python", node=_Call(7, "post_json(ML_URL, txn, 0.5)"),
            detector="python.wrapper_timeout", callee="post_json", key=2, value=Num(0.5), expression="0.5",
            args={0: Ref("ML_URL"), 1: Ref("txn")})
        caller = _file("app/main.py", {"ML_URL": Str("http://ml-scoring:9000/predict")}, [proposal])
        resolver = Resolver([caller, helper_file])
        return [(f.attributes["timeout_ms"], f.target.service if f.target else None)
                for f in resolve_findings(proposal, caller, resolver, index)]

    assert proposed(helper) == [(500, "ml-scoring")]
    # a helper that calls one fixed URL publishes no URL parameter: the argument says nothing
    fixed = finding("outbound_call", 12, {"url": None}, [Pending("url", Ref("RISK_URL"), None)])
    assert proposed(_file("app/http.py", wrappers.publish([fn], [sink, fixed]))) == [(500, None)]


def test_a_parameter_whose_default_no_expression_can_say_is_no_forwarder():
    # `getHistorical({ requestTimeout = this.config.get('REQUEST_TIMEOUT') })`: a call may leave it out
    fn = wrappers.Function(names=("getHistorical",), first_line=10, last_line=20, params=("requestTimeout",),
                           defaulted=frozenset({"requestTimeout"}))
    setting = finding("timeout", 12, {"timeout_ms": None, "expression": "requestTimeout"},
                      [Pending("timeout_ms", Ref("requestTimeout"), 1.0)])
    assert wrappers.forwarder_key(setting) not in wrappers.publish([fn], [setting])
    bare = wrappers.Function(names=("getHistorical",), first_line=10, last_line=20, params=("requestTimeout",))
    assert wrappers.forwarder_key(setting) in wrappers.publish([bare], [setting])


def test_a_setting_that_only_forwards_a_parameter_without_default_is_marked_and_not_reported(tmp_path):
    fn = wrappers.Function(names=("New",), first_line=10, last_line=20, params=("timeout", "retries"),
                           defaults={"retries": 3})
    forward = finding("timeout", 12, {"timeout_ms": None, "expression": "timeout"}, [Pending("timeout_ms", Ref("timeout"), 1.0)])
    defaulted = finding("retry", 14, {"max_attempts": 4, "attempts_expression": "retries + 1"})
    literal = finding("timeout", 16, {"timeout_ms": 3000, "expression": "3000"})
    published = wrappers.publish([fn], [forward, defaulted, literal])
    assert wrappers.forwarder_key(forward) in published
    # a bound settled from its default, and a literal, are this helper's own contracts
    assert wrappers.forwarder_key(defaulted) not in published and wrappers.forwarder_key(literal) not in published
    # end to end: Go's httpx.New(timeout) reports nothing itself; its caller's 3 s is the contract
    root = tmp_path / "orders"
    (root / "pkg" / "httpx").mkdir(parents=True)
    (root / "go.mod").write_text("module github.com/acme/orders\n\ngo 1.22\n")
    (root / "pkg" / "httpx" / "httpx.go").write_text(
        'package httpx\n\nimport (\n\t"net/http"\n\t"time"\n)\n\n'
        "func New(timeout time.Duration) *http.Client {\n\treturn &http.Client{Timeout: timeout}\n}\n")
    (root / "main.go").write_text(
        'package main\n\nimport (\n\t"time"\n\n\t"github.com/acme/orders/pkg/httpx"\n)\n\n'
        "var client = httpx.New(3 * time.Second)\n\nfunc main() { _ = client }\n")
    got = sorted((f.path, f.line, f.attributes.get("timeout_ms")) for f in scan(root).findings if f.kind == "timeout")
    assert got == [("main.go", 9, 3000)]


def test_a_forwarder_with_a_default_gives_the_calls_leaving_it_out_that_default_through_the_inner_helper():
    fn = wrappers.Function(names=("GetConnection",), first_line=30, last_line=35, params=("name", "timeoutSeconds"),
                           defaults={"timeoutSeconds": 5})
    fwd = wrappers.forward_proposal(path="app/get.cs", language="csharp", node=_Call(32), detector="csharp.wrapper_call",
                                    callee="post", key=2, value=Ref("timeoutSeconds"))
    outer = _file("app/get.cs", wrappers.publish([fn], [fwd], own_detectors=("csharp.wrapper_call",)), [fwd])
    assert outer.symbols["GetConnection.$timeout_default:1"] == BinOp("*", Num(5.0), Ref("post.$timeout_param:2"))

    def omitted(positional, inner_files):
        proposal = wrappers.omitted_timeout_proposal(path="app/main.cs", language="csharp", node=_Call(9),
                                                     detector="csharp.wrapper_call", callee="GetConnection",
                                                     positional=positional)
        return _resolve(_file("app/main.cs", findings=[proposal]), [outer, *inner_files])

    assert [f.attributes["timeout_ms"] for f in omitted(1, [_post_file()])] == [5000]  # post counts seconds
    assert omitted(2, [_post_file()]) == []  # the value is passed: a timeout_proposal reads it
    assert omitted(1, []) == []  # the inner helper publishes nothing: no default reaches the call


def test_a_helper_with_a_fixed_number_of_tries_publishes_it_for_every_call():
    """`fun <T> redoOnce(block: () -> T): T = try { block() } catch (e: IOException) { block() }`: whatever a
    call passes, its work runs at most twice (Function.fixed_attempts), and no finding of the body is needed."""
    fn = wrappers.Function(names=("redoOnce", "Net.redoOnce"), first_line=1, last_line=3, params=("block",),
                           fixed_attempts=2)
    published = wrappers.publish([fn], [])
    assert published == {**{f"{n}.$attempts_omitted:{k}": Num(1) for n in fn.names for k in range(2)},
                         **{f"{n}.$attempts_default:{k}": Num(2.0) for n in fn.names for k in range(2)}}
    assert wrappers.publish([wrappers.Function(names=("redoOnce",), first_line=1, last_line=3, params=("block",))], []) == {}
