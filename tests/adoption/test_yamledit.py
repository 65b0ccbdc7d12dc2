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
