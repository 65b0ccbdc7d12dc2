"""The dependency graph as an inline SVG, laid out here (no Graphviz, no JavaScript, no network).

A layered drawing, left to right: consumers before providers. Cycles are broken by
ignoring the edges DFS finds going back; each node's layer is its longest path from a
source; nodes within a layer are ordered by the mean position of their neighbours,
a few sweeps each way, to limit crossings. Edges are cubic curves with the contract's
attributes as a label; a violating edge is red, thicker, and carries its problems in
a ``<title>`` (the tooltip).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from contract_discovery.adoption.graph import Graph

NODE_H = 36
LAYER_GAP = 190
ROW_GAP = 34
MARGIN = 24
CHAR_W = 7.2


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2


def _layers(graph: Graph) -> dict[str, int]:
    succ: dict[str, list[str]] = {n: [] for n in graph.nodes}
    for e in graph.edges:
        if e.source != e.target:
            succ[e.source].append(e.target)
    state: dict[str, int] = {}
    back: set[tuple[str, str]] = set()

    def dfs(start: str) -> None:
        stack = [(start, iter(sorted(succ[start])))]
        state[start] = 1
        while stack:
            node, children = stack[-1]
            for child in children:
                if state.get(child) == 1:
                    back.add((node, child))
                elif child not in state:
                    state[child] = 1
                    stack.append((child, iter(sorted(succ[child]))))
                    break
            else:
                state[node] = 2
                stack.pop()

    for node in sorted(graph.nodes):
        if node not in state:
            dfs(node)
    layer = {n: 0 for n in graph.nodes}
    changed = True
    rounds = 0
    while changed and rounds <= len(graph.nodes):
        changed = False
        rounds += 1
        for source in graph.nodes:
            for target in succ[source]:
                if (source, target) in back:
                    continue
                if layer[target] < layer[source] + 1:
                    layer[target] = layer[source] + 1
                    changed = True
    return layer


def layout(graph: Graph) -> dict[str, Box]:
    layer = _layers(graph)
    columns: dict[int, list[str]] = {}
    for node in sorted(graph.nodes):
        columns.setdefault(layer[node], []).append(node)
    neighbours: dict[str, list[str]] = {n: [] for n in graph.nodes}
    for e in graph.edges:
        neighbours[e.source].append(e.target)
        neighbours[e.target].append(e.source)
    order = {n: i for col in columns.values() for i, n in enumerate(col)}
    keys = sorted(columns)
    for sweep in range(6):
        sequence = keys if sweep % 2 == 0 else list(reversed(keys))
        for k in sequence:
            col = columns[k]

            def centre(n: str) -> float:
                near = [order[m] for m in neighbours[n] if layer[m] != k]
                return sum(near) / len(near) if near else order[n]

            col.sort(key=lambda n: (centre(n), n))
            for i, n in enumerate(col):
                order[n] = i
    widths = {n: max(90.0, len(n) * CHAR_W + 28) for n in graph.nodes}
    col_width = {k: max(widths[n] for n in col) for k, col in columns.items()}
    tallest = max((len(col) for col in columns.values()), default=1)
    boxes: dict[str, Box] = {}
    x = MARGIN
    for k in keys:
        col = columns[k]
        height = len(col) * NODE_H + (len(col) - 1) * ROW_GAP
        full = tallest * NODE_H + (tallest - 1) * ROW_GAP
        y = MARGIN + 30 + (full - height) / 2
        for n in col:
            boxes[n] = Box(x + (col_width[k] - widths[n]) / 2, y, widths[n], NODE_H)
            y += NODE_H + ROW_GAP
        x += col_width[k] + LAYER_GAP
    return boxes


def _lane(a: Box, b: Box, boxes: dict[str, Box], offset: float) -> float | None:
    """For an edge that skips layers: a y clear of the boxes it would cross (None if none is in the way)."""
    between = [x for x in boxes.values() if x.x > a.x + a.w and x.x + x.w < b.x]
    mid = (a.cy + b.cy) / 2
    blocking = [x for x in between if x.y - 8 <= mid <= x.y + x.h + 8 or x.y - 8 <= a.cy <= x.y + x.h + 8
                or x.y - 8 <= b.cy <= x.y + x.h + 8]
    if not blocking:
        return None
    top = min(x.y for x in blocking) - 22 - offset
    bottom = max(x.y + x.h for x in blocking) + 22 + offset
    return top if abs(top - mid) <= abs(bottom - mid) else bottom


def render_svg(graph: Graph) -> str:
    boxes = layout(graph)
    width = max((b.x + b.w for b in boxes.values()), default=200) + MARGIN
    height = max((b.y + b.h for b in boxes.values()), default=80) + MARGIN + 60
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="dependency-graph" role="img" '
           f'aria-label="Service dependency graph" width="{width:.0f}" height="{height:.0f}" '
           f'viewBox="0 0 {width:.0f} {height:.0f}">',
           "<defs>",
           '<marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" markerWidth="11" markerHeight="11" '
           'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker>',
           '<marker id="arrow-bad" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" markerWidth="11" markerHeight="11" '
           'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#d00"/></marker>',
           "</defs>",
           f'<rect class="background" x="0" y="0" width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>']
    pair_count: dict[tuple[str, str], int] = {}
    for e in graph.edges:
        if e.source not in boxes or e.target not in boxes:
            continue
        a, b = boxes[e.source], boxes[e.target]
        nth = pair_count.get((e.source, e.target), 0)
        pair_count[(e.source, e.target)] = nth + 1
        offset = nth * 14
        lane = _lane(a, b, boxes, offset) if b.x > a.x else None
        if b.x > a.x and lane is not None:
            # Skips a layer with a box in the way: run along a lane above or below it.
            x1, y1, x2, y2 = a.x + a.w, a.cy + offset, b.x, b.cy + offset
            xa, xb = x1 + LAYER_GAP * 0.45, x2 - LAYER_GAP * 0.45
            d = (f"M{x1:.1f},{y1:.1f} C{x1 + 40:.1f},{y1:.1f} {xa - 40:.1f},{lane:.1f} {xa:.1f},{lane:.1f} "
                 f"L{xb:.1f},{lane:.1f} C{xb + 40:.1f},{lane:.1f} {x2 - 40:.1f},{y2:.1f} {x2:.1f},{y2:.1f}")
            lx, ly = (xa + xb) / 2, lane - 5
        elif b.x > a.x:
            x1, y1, x2, y2 = a.x + a.w, a.cy + offset, b.x, b.cy + offset
            dx = (x2 - x1) / 2
            d = f"M{x1:.1f},{y1:.1f} C{x1 + dx:.1f},{y1:.1f} {x2 - dx:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"
            # A second edge between the same pair runs just below the first: its label goes under it.
            lx, ly = (x1 + x2) / 2, (y1 + y2) / 2 + (14 if nth % 2 else -6)
        else:
            # Backward or same-layer edge: loop under both boxes.
            x1, y1, x2, y2 = a.cx + offset, a.y + a.h, b.cx + offset, b.y + b.h
            dip = max(y1, y2) + 40 + offset
            d = f"M{x1:.1f},{y1:.1f} C{x1:.1f},{dip:.1f} {x2:.1f},{dip:.1f} {x2:.1f},{y2:.1f}"
            lx, ly = (x1 + x2) / 2, dip - 8
        cls = "edge" + (" violating" if e.violating else "") + ("" if e.kind == "call" else f" {e.kind}")
        stroke = "#d00" if e.violating else "#555"
        dash = ' stroke-dasharray="6 4"' if e.kind != "call" else ""
        title = "; ".join(e.problems) if e.problems else " ".join(e.label_parts())
        out.append(f'<g class="{cls}" data-from="{escape(e.source)}" data-to="{escape(e.target)}">'
                   f"<title>{escape(e.source)} → {escape(e.target)}: {escape(title)}</title>"
                   f'<path d="{d}" fill="none" stroke="{stroke}" stroke-width="{3 if e.violating else 1.5}"{dash} '
                   f'marker-end="url(#{"arrow-bad" if e.violating else "arrow"})"/>')
        label = " · ".join(e.label_parts())
        if label:
            out.append(f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="middle" font-family="sans-serif" '
                       f'font-size="10" paint-order="stroke" stroke="#ffffff" stroke-width="3" fill="{"#b00" if e.violating else "#333"}">{escape(label)}</text>')
        out.append("</g>")
    for name in graph.nodes:
        box = boxes[name]
        external = name in graph.external
        bad = any(e.violating and name in (e.source, e.target) for e in graph.edges)
        fill = "#f4f4f4" if external else "#e8f0fe"
        stroke = "#d00" if bad else "#3367d6"
        dashed = ' stroke-dasharray="4 3"' if external else ""
        out.append(f'<g class="node{" external" if external else ""}" data-name="{escape(name)}">'
                   f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.w:.1f}" height="{box.h:.1f}" rx="8" '
                   f'fill="{fill}" stroke="{stroke}" stroke-width="1.5"{dashed}/>'
                   f'<text x="{box.cx:.1f}" y="{box.cy + 4:.1f}" text-anchor="middle" font-family="sans-serif" '
                   f'font-size="13" fill="#111">{escape(name)}</text></g>')
    legend_y = height - 14
    out.append(f'<g class="legend"><line x1="{MARGIN}" y1="{legend_y - 4}" x2="{MARGIN + 30}" y2="{legend_y - 4}" '
               f'stroke="#d00" stroke-width="3"/><text x="{MARGIN + 36}" y="{legend_y}" font-family="sans-serif" '
               f'font-size="11" fill="#333">violating edge (drift or a failed check)</text></g>')
    out.append("</svg>")
    return "\n".join(out)
