"""The generated detector table in docs/ matches the registry."""

from pathlib import Path

from contract_discovery.commands.detectors import ListFormat, render

DOC = Path(__file__).resolve().parent.parent / "docs" / "detectors.md"


def test_detector_table_is_current():
    body = DOC.read_text(encoding="utf-8").split("\n\n", 2)[2].strip()
    assert body == render(ListFormat.markdown).strip(), (
        "docs/detectors.md is stale: regenerate it with the command at its top")
