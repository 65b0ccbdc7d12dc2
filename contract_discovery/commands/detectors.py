"""``detectors``: list every registered detector (id, language, finding kinds, summary)."""

from __future__ import annotations

import json
from enum import Enum
from typing import Annotated

import typer

from contract_discovery.commands.common import OutputOpt, emit


class ListFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"


def _summary(doc: str) -> str:
    for line in doc.splitlines():
        line = line.strip()
        if line and not line.endswith(":") and not line.startswith("#"):
            return line
    return ""


def render(fmt: ListFormat) -> str:
    from contract_discovery.registry import extractors
    from extractors.base import DETECTORS

    for extractor in extractors():  # importing the extractors registers their detectors
        real = getattr(extractor, "real", extractor)
        load = getattr(real, "load_detectors", None)
        if callable(load):
            load()
    rows = [(d.id, d.language, ", ".join(d.kinds), _summary(d.doc)) for d in sorted(DETECTORS.values(), key=lambda d: d.id)]
    if fmt == ListFormat.json:
        return json.dumps([{"id": i, "language": lang, "kinds": k.split(", "), "summary": s} for i, lang, k, s in rows], indent=2)
    if fmt == ListFormat.markdown:
        lines = ["| detector | language | finding kinds | what it finds |", "|---|---|---|---|"]
        lines += [f"| `{i}` | {lang} | {k} | {s.replace('|', '/')} |" for i, lang, k, s in rows]
        return "\n".join(lines)
    width = max((len(r[0]) for r in rows), default=10)
    return "\n".join(f"{i:<{width}}  {k:<40}  {s}" for i, lang, k, s in rows)


def command(
    format: Annotated[ListFormat, typer.Option("--format", "-f", help="text, json or markdown (the README table).")] = ListFormat.text,
    output: OutputOpt = None,
) -> None:
    """List every detector: its id, language, the finding kinds it emits and what it finds."""
    emit(render(format), output)
