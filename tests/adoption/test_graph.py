"""``graph``: the dependency graph from contracts and code, in dot, mermaid, json, svg and Backstage form."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml

from contract_discovery.adoption.graph import Edge, Graph, render_mermaid
from contract_discovery.adoption.svg import layout, render_svg

from .conftest import MONOREPO, run


def test_json_edges_carry_contract_and_code_attributes():
    proc = run("graph", MONOREPO, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert [n["id"] for n in data["nodes"]] == ["checkout", "orders", "payment", "risk", "support"]
    edges = {(e["from"], e["to"], e["kind"]): e for e in data["edges"]}
    assert set(edges) == {("checkout", "payment", "call"), ("checkout", "risk", "call"), ("risk", "orders", "data"),
                          ("support", "risk", "access"), ("support", "risk", "call")}
    risk = edges[("checkout", "risk", "call")]
    # budget from checkout's contract, timeout and attempts from checkout's code.
    assert (risk["budget"], risk["timeout"], risk["attempts"], risk["declared"], risk["inferred"]) == (
        "p95 < 200ms", "200ms", "3", True, True)
    assert edges[("risk", "orders", "data")]["freshness"] == "<10s"
    assert edges[("checkout", "payment", "call")]["declared"] is False  # only the code shows it
    # The seed's conflicts mark their edges; an undeclared call is not a violation.
    violating = {k for k, e in edges.items() if e["problems"]}
    assert violating == {("checkout", "risk", "call"), ("risk", "orders", "data"), ("support", "risk", "access"),
                         ("support", "risk", "call")}
    assert any("Latency contract violation" in p for p in risk["problems"])


def test_mermaid_escapes_labels_and_colours_violating_links():
    text = run("graph", MONOREPO).stdout
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    assert '  checkout -->|"⚠ scoreTransaction<br/>timeout 200ms<br/>attempts 3<br/>budget p95 #lt; 200ms"| risk' in lines
    assert '  checkout -->|"authorize<br/>timeout 2s"| payment' in lines
    links = [l for l in lines if "-->" in l or "-.->" in l]
    red = {int(l.split()[1]) for l in lines if l.strip().startswith("linkStyle")}
    assert red == {i for i, l in enumerate(links) if "⚠" in l}
    assert "<" not in text.replace("<br/>", "")


def test_mermaid_ids_are_safe_for_any_service_name():
    graph = Graph(["orders-db", "web app"], {"orders-db"}, [Edge("web app", "orders-db", "data", freshness="<10s")])
    assert render_mermaid(graph).splitlines() == [
        "flowchart LR",
        '  orders_db(["orders-db"])',
        '  web_app["web app"]',
        '  web_app -.->|"freshness #lt;10s"| orders_db',
    ]


def test_dot_is_a_digraph_with_escaped_labels():
    text = run("graph", MONOREPO, "--format", "dot").stdout
    assert text.startswith("digraph services {\n")
    assert ('  "checkout" -> "risk" [label="scoreTransaction\\ntimeout 200ms\\nattempts 3\\nbudget p95 < 200ms", '
            'color="red", fontcolor="red", penwidth=2];') in text.splitlines()


def test_backstage_components_depend_on_what_they_call():
    docs = list(yaml.safe_load_all(run("graph", MONOREPO, "--format", "backstage", "--owner", "team-fraud").stdout))
    components = {d["metadata"]["name"]: d for d in docs if d["kind"] == "Component"}
    assert set(components) == {"checkout", "orders", "payment", "risk", "support"}
    assert components["checkout"]["spec"]["dependsOn"] == ["component:default/payment", "component:default/risk"]
    assert components["support"]["spec"]["dependsOn"] == ["component:default/risk"]
    assert "dependsOn" not in components["orders"]["spec"]
    assert all(d["apiVersion"] == "backstage.io/v1alpha1" and d["spec"]["owner"] == "team-fraud" for d in docs)


def test_svg_layout_handles_cycles_and_keeps_boxes_apart():
    graph = Graph(["a", "b", "c", "d"], set(), [Edge("a", "b"), Edge("b", "c"), Edge("c", "a"), Edge("a", "d"),
                                                 Edge("d", "c", problems=["late"])])
    boxes = layout(graph)
    assert boxes["a"].x < boxes["b"].x < boxes["c"].x  # the back edge c -> a is drawn backwards, not as a layer
    items = list(boxes.values())
    for i, p in enumerate(items):
        for q in items[i + 1:]:
            assert p.x + p.w <= q.x or q.x + q.w <= p.x or p.y + p.h <= q.y or q.y + q.h <= p.y
    svg = ET.fromstring(render_svg(graph))
    ns = "{http://www.w3.org/2000/svg}"
    edges = [(g.get("data-from"), g.get("data-to"), "violating" in g.get("class")) for g in svg.iter(f"{ns}g")
             if g.get("class", "").startswith("edge")]
    assert sorted(edges) == [("a", "b", False), ("a", "d", False), ("b", "c", False), ("c", "a", False), ("d", "c", True)]


def test_svg_of_an_empty_repository_is_still_valid(tmp_path: Path):
    svg = ET.fromstring(render_svg(Graph([], set(), [])))
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"


def test_names_that_mermaid_or_backstage_would_misread_are_made_safe():
    from contract_discovery.adoption.graph import render_backstage

    graph = Graph(["end", "2fa", "o_auth", "aws_sqs_queue.order events"], {"aws_sqs_queue.order events"},
                  [Edge("end", "2fa"), Edge("o_auth", "aws_sqs_queue.order events", "data")])
    lines = render_mermaid(graph).splitlines()
    assert '  svc_end["end"]' in lines and '  svc_2fa["2fa"]' in lines and '  svc_o_auth["o_auth"]' in lines
    assert "  svc_end --> svc_2fa" in lines
    docs = list(yaml.safe_load_all(render_backstage(graph)))
    assert [(d["kind"], d["metadata"]["name"]) for d in docs] == [
        ("Component", "end"), ("Component", "2fa"), ("Component", "o_auth"), ("Resource", "aws_sqs_queue.order-events")]
    assert docs[2]["spec"]["dependsOn"] == ["resource:default/aws_sqs_queue.order-events"]
