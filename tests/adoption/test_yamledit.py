"""The text splicer behind ``init``: additions land at the end of their block; old bytes never move."""

from __future__ import annotations

import pytest
import yaml

from contract_discovery.adoption.yamledit import EditError, Editor, Line, scalar_text


def test_fields_go_after_the_entry_and_its_own_comments_before_the_next_entry():
    text = ("service: a   # keep me\n"
            "depends_on:\n"
            "- service: b\n"
            "  timeout: 1s # why: vendor SLA\n"
            "  # a note about b\n"
            "- service: c\n")
    ed = Editor(text)
    ed.add_fields(0, "depends_on", 0, [Line("retry: none", "from x.py:3")])
    assert ed.result() == ("service: a   # keep me\n"
                           "depends_on:\n"
                           "- service: b\n"
                           "  timeout: 1s # why: vendor SLA\n"
                           "  # a note about b\n"
                           "  retry: none  # from x.py:3\n"
                           "- service: c\n")


def test_an_entry_follows_the_list_layout_and_a_missing_newline_is_added():
    text = "service: a\ndepends_on:\n    -   service: b\n        timeout: 1s"
    ed = Editor(text)
    ed.add_entry(0, "depends_on", [Line("service: c", "from y.py:9"), Line("", "TODO latency_budget")])
    assert ed.result() == ("service: a\ndepends_on:\n    -   service: b\n        timeout: 1s\n"
                           "    -   service: c  # from y.py:9\n"
                           "        # TODO latency_budget\n")


def test_a_new_section_is_appended_to_the_document_it_belongs_to():
    text = "service: a\nrequires:\n  - {from: b, data: x}\n---\nservice: other\n"
    ed = Editor(text)
    ed.add_entry(0, "depends_on", [Line("service: b")])
    out = ed.result()
    assert out == "service: a\nrequires:\n  - {from: b, data: x}\ndepends_on:\n  - service: b\n---\nservice: other\n"
    assert [d["service"] for d in yaml.safe_load_all(out)] == ["a", "other"]


def test_a_one_line_mapping_gets_the_field_inside_its_braces():
    text = "service: r\noperations:\n  - {name: op, idempotency_key: id}  # mine\n"
    ed = Editor(text)
    ed.add_fields(0, "operations", 0, [Line.field("window", "5m"), Line.field("note", "a, b")])
    assert ed.result() == "service: r\noperations:\n  - {name: op, idempotency_key: id, window: 5m, note: 'a, b'}  # mine\n"


def test_a_block_scalar_is_not_split():
    text = "service: a\ndepends_on:\n  - service: b\n    note: |\n      line one\n      line two\n"
    ed = Editor(text)
    ed.add_fields(0, "depends_on", 0, [Line("timeout: 1s")])
    out = ed.result()
    assert yaml.safe_load(out)["depends_on"][0] == {"service": "b", "note": "line one\nline two\n", "timeout": "1s"}


def test_crlf_files_get_crlf_lines():
    ed = Editor("service: a\r\ndepends_on:\r\n  - service: b\r\n")
    ed.add_fields(0, "depends_on", 0, [Line("timeout: 1s")])
    assert ed.result() == "service: a\r\ndepends_on:\r\n  - service: b\r\n    timeout: 1s\r\n"


def test_a_one_line_list_takes_a_one_line_entry():
    ed = Editor("service: a\ndepends_on: []  # none yet\nrequires: [{from: b, data: x}]\n")
    ed.add_entry(0, "depends_on", [Line.field("service", "b", "from x.py:1"), Line("", "TODO budget"),
                                   Line.field("latency_budget", "p95 < 200ms, p99 < 1s")])
    ed.add_entry(0, "requires", [Line.field("from", "c"), Line.field("data", "y")])
    out = ed.result()
    assert out == ("service: a\ndepends_on: [{service: b, latency_budget: 'p95 < 200ms, p99 < 1s'}]  # none yet\n"
                   "requires: [{from: b, data: x}, {from: c, data: y}]\n")
    assert yaml.safe_load(out)["depends_on"] == [{"service": "b", "latency_budget": "p95 < 200ms, p99 < 1s"}]


def test_a_line_without_a_pair_is_refused_by_a_one_line_list():
    with pytest.raises(EditError, match="one-line list"):
        Editor("service: a\ndepends_on: []\n").add_entry(0, "depends_on", [Line("service: b")])


@pytest.mark.parametrize("value, text", [("p95 < 200ms", "p95 < 200ms"), ("15-30s typical, 60s max", "15-30s typical, 60s max"),
                                         ("yes", "'yes'"), ("3", "'3'"), (True, "true"), ("a: b", "'a: b'"),
                                         ({"max_attempts": 3}, "{max_attempts: 3}")])
def test_scalars_are_quoted_only_when_yaml_needs_it(value, text):
    assert scalar_text(value) == text
    assert yaml.safe_load(f"k: {text}")["k"] == value


def _is_insertion_only(old: str, new: str) -> bool:
    """Every character of ``old`` is still there, in order: the edit only inserted text."""
    import difflib

    ops = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    return all(tag in ("equal", "insert") for tag, *_ in ops)


def _block(data: dict, dash: int, gap: int) -> str:
    """``data`` (top-level scalars and lists of flat mappings) as block YAML, list dashes at column
    ``dash`` and entry keys ``gap`` columns after the dash."""
    out = []
    for key, value in data.items():
        if not isinstance(value, list):
            out.append(f"{key}: {scalar_text(value)}")
            continue
        out.append(f"{key}:")
        for item in value:
            for i, (k, v) in enumerate(item.items()):
                lead = " " * dash + "-" + " " * (gap - 1) if i == 0 else " " * (dash + gap)
                out.append(f"{lead}{k}: {scalar_text(v)}")
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("layout", ["indented", "flush", "wide", "commented", "crlf", "no-final-newline"])
def test_any_layout_only_gains_lines(layout):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    words = st.text(alphabet="abcdefghij-_ <>:,#0123456789", min_size=1, max_size=12).map(str.strip).filter(bool)
    dash, gap = {"flush": (0, 2), "wide": (4, 4)}.get(layout, (2, 2))

    @settings(max_examples=40, deadline=None)
    @given(st.lists(st.dictionaries(st.sampled_from(["service", "operation", "timeout", "retry", "note"]), words,
                                    min_size=1, max_size=4), min_size=1, max_size=3), words, words)
    def check(entries, key_value, other):
        data = {"service": "a", "depends_on": entries, "requires": [{"from": "b", "data": "x"}]}
        text = _block(data, dash, gap)
        if layout == "commented":
            text = "# header\n" + text.replace("\n", "  # c\n", 3) + "  # trailing, indented\n# trailing\n"
        if layout == "crlf":
            text = text.replace("\n", "\r\n")
        if layout == "no-final-newline":
            text = text.rstrip("\n")
        before = yaml.safe_load(text)
        assert before["depends_on"] == entries and before["requires"] == [{"from": "b", "data": "x"}]
        ed = Editor(text)
        ed.add_fields(0, "depends_on", len(entries) - 1, [Line.field("x-added", key_value, "from t.py:1")])
        ed.add_entry(0, "depends_on", [Line.field("service", other), Line("", "TODO budget")])
        ed.add_entry(0, "data_dependencies", [Line.field("source", other)])
        out = ed.result()
        assert _is_insertion_only(text, out)
        after = yaml.safe_load(out)
        assert after["depends_on"][:-1] == entries[:-1] + [{**entries[-1], "x-added": key_value}]
        assert after["depends_on"][-1] == {"service": other}
        assert after["data_dependencies"] == [{"source": other}]
        assert after["requires"] == before["requires"]
        if layout == "crlf":
            assert out.count("\n") == out.count("\r\n")

    check()
