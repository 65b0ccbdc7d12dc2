"""The service dependency graph, from declared contracts and the code, and its renderings.

An edge is "consumer -> provider" with the attributes that matter at the boundary:
timeout and attempts (contract, else code), latency budget, required freshness, and the
problems found on it (drift, check results), which the pictures mark in red.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from contract_discovery.adoption.contracts import evidence_of, match_entry, render_scalar
from contract_discovery.adoption.initializer import own_items
from contract_discovery.adoption.state import State


@dataclass
class Edge:
    source: str
    target: str
    kind: str = "call"  # call, data, access
    operations: list[str] = field(default_factory=list)
    timeout: str | None = None
    attempts: str | None = None
    budget: str | None = None
    freshness: str | None = None
    declared: bool = False
    inferred: bool = False
    evidence: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def violating(self) -> bool:
        return bool(self.problems)

    def label_parts(self) -> list[str]:
        parts = []
        if self.operations:
            parts.append(", ".join(self.operations))
        for name, value in (("timeout", self.timeout), ("attempts", self.attempts), ("budget", self.budget),
                            ("freshness", self.freshness)):
            if value:
                parts.append(f"{name} {value}")
        return parts

    def to_json(self) -> dict:
        return {"from": self.source, "to": self.target, "kind": self.kind, "operations": self.operations,
                "timeout": self.timeout, "attempts": self.attempts, "budget": self.budget,
                "freshness": self.freshness, "declared": self.declared, "inferred": self.inferred,
                "evidence": self.evidence, "problems": self.problems}


@dataclass
class Graph:
    nodes: list[str]
    external: set[str]
    edges: list[Edge]

    def to_json(self) -> dict:
        return {"nodes": [{"id": n, "external": n in self.external} for n in self.nodes],
                "edges": [e.to_json() for e in self.edges]}


def _budget_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dict):
        for key in ("acceptable", "maximum", "target"):
            if value.get(key):
                return str(value[key])
        return render_scalar(value)
    return str(value)


def _attempts(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dict):
        value = value.get("max_attempts", value.get("attempts"))
        if value is None:
            return None
    text = str(value).strip().lower()
    if text in ("none", "false", "0", "1", "no"):
        return "1"
    match = re.match(r"(\d+)", text)
    return match.group(1) if match else text


def _provider_name(name: str, services: list[str]) -> str:
    """``orders-db`` -> ``orders`` when orders is a service; otherwise the name itself."""
    if name in services:
        return name
    for service in sorted(services, key=len, reverse=True):
        if name.startswith(service + "-") or name.startswith(service + "_") or name.startswith(service + "."):
            return service
    return name


def build_graph(state: State, problems: dict[tuple[str, str], list[str]] | None = None) -> Graph:
    services = list(state.services)
    edges: dict[tuple[str, str, str], Edge] = {}

    def edge(source: str, target: str, kind: str) -> Edge:
        key = (source, target, kind)
        if key not in edges:
            edges[key] = Edge(source, target, kind)
        return edges[key]

    for service in services:
        declared = state.declared.get(service)
        inferred = state.inferred.get(service, {})
        for entry in declared.section("depends_on") if declared else []:
            if not entry.data.get("service"):
                continue
            e = edge(service, str(entry.data["service"]), "call")
            e.declared = True
            op = entry.data.get("operation") or entry.data.get("endpoint")
            if op and str(op) not in e.operations:
                e.operations.append(str(op))
            e.timeout = e.timeout or (str(entry.data["timeout"]) if entry.data.get("timeout") is not None else None)
            e.attempts = e.attempts or _attempts(entry.data.get("retry"))
            e.budget = e.budget or _budget_text(entry.data.get("latency_budget"))
            e.evidence.append(f"{entry.path}:{entry.line}")
        for item in own_items(service, "depends_on", inferred.get("depends_on")):
            if not item.get("service"):
                continue
            target = str(item["service"])
            existing = [x for x in edges.values() if x.source == service and x.target == target and x.kind == "call"]
            e = existing[0] if existing else edge(service, target, "call")
            e.inferred = True
            if not e.declared and item.get("operation") and str(item["operation"]) not in e.operations:
                e.operations.append(str(item["operation"]))
            if e.timeout is None and item.get("timeout") is not None:
                e.timeout = str(item["timeout"])
            if e.attempts is None:
                e.attempts = _attempts(item.get("retry"))
            e.evidence.extend(x for x in evidence_of(item) if x not in e.evidence)
        data_items = [(d.data, f"{d.path}:{d.line}", True) for d in (declared.section("data_dependencies") if declared else [])]
        data_items += [(i, (evidence_of(i) or [""])[0], False)
                       for i in own_items(service, "data_dependencies", inferred.get("data_dependencies"))
                       if match_entry("data_dependencies", i, [d for d, _, _ in data_items]) is None]
        for data, where, is_declared in data_items:
            if not data.get("source"):
                continue
            provider = str(data["service"]) if data.get("service") else _provider_name(str(data["source"]), services)
            e = edge(service, provider, "data")
            if data.get("dataset") and str(data["dataset"]) not in e.operations:
                e.operations.append(str(data["dataset"]))
            e.freshness = e.freshness or (str(data["freshness_required"]) if data.get("freshness_required") else None)
            e.declared = e.declared or is_declared
            e.inferred = e.inferred or not is_declared
            if where:
                e.evidence.append(where)
        for entry in declared.section("requires") if declared else []:
            if entry.data.get("from"):
                e = edge(service, str(entry.data["from"]), "access")
                e.declared = True
                if entry.data.get("data"):
                    e.operations.append(str(entry.data["data"]))
                e.evidence.append(f"{entry.path}:{entry.line}")
    for (source, target), messages in (problems or {}).items():
        matching = [e for e in edges.values() if e.source == source and e.target == target]
        if not matching and source in services and target in services:
            matching = [edge(source, target, "call")]
        for e in matching:
            e.problems.extend(m for m in messages if m not in e.problems)
    names = set(services)
    for e in edges.values():
        names.update((e.source, e.target))
    nodes = sorted(names)
    return Graph(nodes, names - set(services), sorted(edges.values(), key=lambda e: (e.source, e.target, e.kind)))


# --- renderings ------------------------------------------------------------------------------------

def _dot_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


_DOT_NL = "\\n"  # a line break inside a Graphviz label


def render_dot(graph: Graph) -> str:
    out = ["digraph services {", "  rankdir=LR;", '  node [shape=box, style="rounded"];']
    for node in graph.nodes:
        style = ' [style="rounded,dashed"]' if node in graph.external else ""
        out.append(f"  {_dot_quote(node)}{style};")
    for e in graph.edges:
        attrs = ['label="' + _DOT_NL.join(_dot_quote(p)[1:-1] for p in e.label_parts()) + '"']
        if e.kind != "call" or not e.declared:
            attrs.append("style=dashed")
        if e.violating:
            attrs.append('color="red"')
            attrs.append('fontcolor="red"')
            attrs.append("penwidth=2")
        out.append(f"  {_dot_quote(e.source)} -> {_dot_quote(e.target)} [{', '.join(attrs)}];")
    out.append("}")
    return "\n".join(out) + "\n"


_MERMAID_RESERVED = {"end", "graph", "flowchart", "subgraph", "style", "class", "classdef", "click", "linkstyle",
                     "direction", "default"}


def _mermaid_id(name: str) -> str:
    ident = re.sub(r"[^A-Za-z0-9_]", "_", name) or "_"
    if ident.lower() in _MERMAID_RESERVED or ident[0].isdigit() or ident.startswith(("o", "x")) and ident[1:2] == "_":
        ident = "svc_" + ident  # `end` closes a block; `o_`/`x_` after `--` read as circle/cross arrows
    return ident


def backstage_name(name: str) -> str:
    """A valid entity name: ``[a-zA-Z0-9]`` separated by ``-_.``, at most 63 characters."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", name)
    cleaned = re.sub(r"[-_.]{2,}", "-", cleaned).strip("-_.")[:63].strip("-_.")
    return cleaned or "unnamed"


def _mermaid_text(text: str) -> str:
    return (text.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
            .replace("|", "#124;"))


def render_mermaid(graph: Graph) -> str:
    out = ["flowchart LR"]
    for node in graph.nodes:
        shape = f'(["{_mermaid_text(node)}"])' if node in graph.external else f'["{_mermaid_text(node)}"]'
        out.append(f"  {_mermaid_id(node)}{shape}")
    red = []
    for i, e in enumerate(graph.edges):
        arrow = "-.->" if e.kind != "call" else "-->"
        label = "<br/>".join(_mermaid_text(p) for p in e.label_parts())
        if e.violating:
            label = ("⚠ " + label) if label else "⚠"
            red.append(i)
        text = f'|"{label}"|' if label else ""
        out.append(f"  {_mermaid_id(e.source)} {arrow}{text} {_mermaid_id(e.target)}")
    for i in red:
        out.append(f"  linkStyle {i} stroke:#d00,stroke-width:3px,color:#d00")
    return "\n".join(out) + "\n"


def render_json(graph: Graph) -> str:
    return json.dumps(graph.to_json(), indent=2) + "\n"


def render_backstage(graph: Graph, owner: str = "unknown", system: str | None = None) -> str:
    """One Backstage ``Component`` per service with ``spec.dependsOn`` (external names as ``resource:``)."""
    docs = []
    for node in graph.nodes:
        if node in graph.external:
            continue
        depends = []
        for e in graph.edges:
            if e.source != node:
                continue
            ref = (f"resource:default/{backstage_name(e.target)}" if e.target in graph.external
                   else f"component:default/{backstage_name(e.target)}")
            if ref not in depends:
                depends.append(ref)
        spec: dict[str, Any] = {"type": "service", "lifecycle": "production", "owner": owner}
        if system:
            spec["system"] = system
        if depends:
            spec["dependsOn"] = depends
        docs.append({"apiVersion": "backstage.io/v1alpha1", "kind": "Component",
                     "metadata": {"name": backstage_name(node), "title": node,
                                  "annotations": {"contract-discovery/generated": "true"}},
                     "spec": spec})
    for node in sorted(graph.external):
        docs.append({"apiVersion": "backstage.io/v1alpha1", "kind": "Resource",
                     "metadata": {"name": backstage_name(node), "title": node},
                     "spec": {"type": "dependency", "owner": owner}})
    return yaml.safe_dump_all(docs, sort_keys=False, explicit_start=True)
