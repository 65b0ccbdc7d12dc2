"""Whatever the bytes, loading a contract never raises and notation parsers raise only NotationError."""

from hypothesis import given, settings, strategies as st

from contract_discovery.contracts.loader import parse_contract_text
from contract_discovery.contracts.notation import (
    NotationError, parse_duration, parse_freshness, parse_latency, parse_retry)

YAMLISH = st.text(alphabet=st.sampled_from(list("service:depnds_o[]{}-&*!|>'\"#\n pl95<=ms,0123()?")), max_size=200)


@settings(max_examples=300, deadline=None)
@given(YAMLISH)
def test_loading_never_raises(text):
    contracts, issues = parse_contract_text(text, "f.yaml")
    for issue in issues:
        assert issue.render().startswith("f.yaml")


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=40), st.integers(), st.floats(), st.none(), st.booleans(),
                 st.dictionaries(st.text(max_size=5), st.text(max_size=8), max_size=3)))
def test_notation_parsers_raise_only_notation_errors(value):
    for parser in (parse_duration, parse_latency, parse_freshness, parse_retry):
        try:
            parser(value)
        except NotationError:
            pass
