"""``drift``: declared vs inferred, the baseline, and the self-contained HTML report."""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import pytest

from .conftest import run

SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def adopted(bare_monorepo: Path) -> Path:
    """The monorepo after `init`: contracts say what the code does, so there is no drift yet."""
    assert run("init", bare_monorepo, "-q").returncode == 0
    return bare_monorepo


def _change_code(root: Path) -> None:
    client = root / "checkout/checkout/risk_client.py"
    client.write_text(client.read_text().replace("timeout=0.2,", "timeout=0.3,"))
    (root / "support/support/disputes.py").write_text('"""No more calls to risk."""\n\n\ndef fraud_breakdown(tx_id):\n    return {}\n')
    gateway = root / "payment/payment/gateway.py"
    gateway.write_text(gateway.read_text() + '\n\ndef fraud_hint(order_id):\n    import requests\n'
                       '    return requests.get("http://risk:8080/hint", params={"o": order_id}, timeout=1)\n')


def _items(proc: subprocess.CompletedProcess) -> dict:
    return json.loads(proc.stdout)


def test_no_drift_right_after_init(adopted: Path):
    proc = run("drift", adopted, "--format", "json", "--fail-on-drift")
    assert proc.returncode == 0, proc.stderr
    assert _items(proc)["items"] == []


def test_drift_since_the_baseline_lists_exactly_the_code_changes(adopted: Path):
    assert run("drift", adopted, "--write-baseline", "-q").returncode == 0
    baseline = adopted / ".contract-discovery-drift.json"
    assert json.loads(baseline.read_text())["items"] == []
    _change_code(adopted)

    proc = run("drift", adopted, "--format", "json")
    assert proc.returncode == 0
    data = _items(proc)
    got = {(i["kind"], i["service"], i["entry"], i["field"], str(i["declared"]), str(i["inferred"]),
            json.dumps(i["declared_at"]), json.dumps(i["inferred_at"])) for i in data["items"]}
    assert got == {
        ("drifted", "checkout", "depends_on risk.score", "timeout", "200ms", "300ms",
         json.dumps({"path": "checkout/contracts/checkout.yaml", "line": 13}),
         json.dumps({"path": "checkout/checkout/risk_client.py", "line": 20})),
        ("undeclared", "payment", "depends_on risk.hint", None, "None", "None", "null",
         json.dumps({"path": "payment/payment/gateway.py", "line": 21})),
        ("stale", "support", "depends_on risk.fraud-signals-detailed", None, "None", "None",
         json.dumps({"path": "support/contracts/support.yaml", "line": 6}), "null"),
    }
    assert sorted(data["new"]) == sorted(i["id"] for i in data["items"])
    assert data["resolved"] == []

    # Tonight's run becomes the baseline; the code goes back for the timeout: one resolved, nothing new.
    assert run("drift", adopted, "--write-baseline", "-q").returncode == 0
    client = adopted / "checkout/checkout/risk_client.py"
    client.write_text(client.read_text().replace("timeout=0.3,", "timeout=0.2,"))
    later = _items(run("drift", adopted, "--format", "json"))
    assert later["new"] == []
    assert [(r["kind"], r["service"], r["message"]) for r in later["resolved"]] == [
        ("drifted", "checkout", "depends_on risk.score timeout: declared 200ms, the code does 300ms")]

    md = run("drift", adopted).stdout
    assert "- **resolved** checkout: depends_on risk.score timeout: declared 200ms, the code does 300ms" in md


def test_fail_on_drift_counts_only_new_drift_when_there_is_a_baseline(adopted: Path):
    _change_code(adopted)
    assert run("drift", adopted, "--fail-on-drift", "-q").returncode == 1
    assert run("drift", adopted, "--write-baseline", "-q").returncode == 0
    assert run("drift", adopted, "--fail-on-drift", "-q").returncode == 0
    assert run("drift", adopted, "--baseline", adopted / "missing.json").returncode == 2


def _html(root: Path, tmp_path: Path) -> Path:
    (root / "contract-discovery.yaml").write_text(
        'url_template: "https://github.com/acme/mono/blob/main/{path}#L{line}"\n')
    out = tmp_path / "drift.html"
    proc = run("drift", root, "--format", "html", "--output", out)
    assert proc.returncode == 0, proc.stderr
    return out


def test_html_report_is_self_contained_with_graph_and_linked_tables(adopted: Path, tmp_path: Path):
    _change_code(adopted)
    html = _html(adopted, tmp_path).read_text()
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert "src=" not in html and "<link" not in html
    # Summary first, then the graph, then one table per service.
    assert html.index('id="summary"') < html.index('id="graph"') < html.index('id="service-checkout"')
    assert ('<a href="https://github.com/acme/mono/blob/main/checkout/checkout/risk_client.py#L20">'
            "checkout/checkout/risk_client.py:20</a>") in html
    svg = ET.fromstring(html[html.index("<svg"):html.index("</svg>") + 6])
    nodes = {g.get("data-name") for g in svg.iter(f"{SVG_NS}g") if "node" in (g.get("class") or "").split()}
    assert nodes == {"checkout", "orders", "payment", "risk", "support"}
    edges = {(g.get("data-from"), g.get("data-to")): "violating" in g.get("class").split()
             for g in svg.iter(f"{SVG_NS}g") if "edge" in (g.get("class") or "").split()}
    # checkout -> risk drifted and support -> risk is no longer called: both red; the rest are not.
    assert edges == {("checkout", "payment"): False, ("checkout", "risk"): True, ("payment", "risk"): False,
                     ("risk", "orders"): False, ("support", "risk"): True}
    # Every edge is a path with an arrow; boxes do not overlap.
    for g in svg.iter(f"{SVG_NS}g"):
        if "edge" in (g.get("class") or "").split():
            assert g.find(f"{SVG_NS}path").get("marker-end").startswith("url(#arrow")
    boxes = [tuple(float(r.get(k)) for k in ("x", "y", "width", "height"))
             for g in svg.iter(f"{SVG_NS}g") if "node" in (g.get("class") or "").split() for r in [g.find(f"{SVG_NS}rect")]]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert a[0] + a[2] <= b[0] or b[0] + b[2] <= a[0] or a[1] + a[3] <= b[1] or b[1] + b[3] <= a[1]


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _png_pixels(data: bytes) -> tuple[int, int, bytes, int]:
    """Width, height, raw scanlines (filter bytes included) and bytes per pixel of a PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    width = height = 0
    channels = 4
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, _, colour = struct.unpack(">IIBB", chunk[:10])
            channels = {2: 3, 6: 4, 0: 1, 4: 2}.get(colour, 4)
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    return width, height, zlib.decompress(idat), channels


@pytest.mark.skipif(_chromium() is None, reason="no chromium binary (apt-get install -y chromium)")
def test_html_report_renders_the_graph_in_a_headless_browser_without_network(adopted: Path, tmp_path: Path):
    _change_code(adopted)
    page = _html(adopted, tmp_path)
    shot = tmp_path / "shot.png"
    proc = subprocess.run([_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                           "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9",
                           f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1200,900",
                           f"--screenshot={shot}", page.as_uri()], capture_output=True, timeout=120)
    assert shot.is_file(), proc.stderr.decode(errors="replace")[-2000:]
    width, height, raw, channels = _png_pixels(shot.read_bytes())
    assert (width, height) == (1200, 900)
    stride = width * channels + 1
    # Unfiltered colours are not needed: a blank page is one value repeated; the graph's blue boxes and red
    # edges make many distinct byte values across the rows where the graph is drawn.
    distinct = {raw[r * stride + 1:(r + 1) * stride] for r in range(height)}
    assert len(distinct) > 50
    values = set()
    for r in range(0, height, 3):
        values.update(raw[r * stride + 1:(r + 1) * stride:channels])
    assert len(values) > 20


def test_html_report_lists_each_services_check_results(monorepo: Path, tmp_path: Path):
    html = _html(monorepo, tmp_path).read_text()
    checkout = html[html.index('id="service-checkout"'):html.index('id="service-orders"')]
    assert "Latency contract violation" in checkout and "p95 = 3200ms (current)" in checkout
    assert ('<a href="https://github.com/acme/mono/blob/main/checkout/contracts/dependencies.yaml#L'
            in checkout)
    svg = ET.fromstring(html[html.index("<svg"):html.index("</svg>") + 6])
    red = {(g.get("data-from"), g.get("data-to")) for g in svg.iter(f"{SVG_NS}g")
           if "violating" in (g.get("class") or "").split()}
    assert red == {("checkout", "risk"), ("risk", "orders"), ("support", "risk")}


def test_a_declared_dependency_called_under_other_operation_names_is_not_stale(tmp_path: Path):
    from contract_discovery.adoption.contracts import declared_from_texts
    from contract_discovery.adoption.drift import compute_drift
    from contract_discovery.adoption.state import State
    from contract_discovery.model import ScanResult, ScanStats, Service

    declared = declared_from_texts("risk", [("risk/contracts/d.yaml", "service: risk\ndepends_on:\n"
                                             "  - {service: orders, operation: orderHistory, timeout: 2s}\n")])
    inferred = {"service": "risk", "depends_on": [
        {"service": "orders", "operation": "history", "timeout": "2s", "x-evidence": ["risk/a.py:3"]},
        {"service": "orders", "operation": "chargebacks", "timeout": "1s", "x-evidence": ["risk/a.py:9"]}]}
    result = ScanResult(".", (Service("risk", "risk"),), (), (), ScanStats())
    report = compute_drift(State(tmp_path, result, {"risk": declared}, {"risk": inferred}, {}))
    # The chargebacks call's own timeout drifts; the dependency itself is still called, not stale.
    assert [(i.kind, i.entry, i.field, i.inferred) for i in report.items] == [
        ("drifted", "depends_on orders.orderHistory", "timeout", "1s")]


def test_no_stale_claims_about_code_the_scan_cannot_read(tmp_path: Path):
    from contract_discovery.adoption.contracts import declared_from_texts
    from contract_discovery.adoption.drift import compute_drift
    from contract_discovery.adoption.state import State
    from contract_discovery.model import ScanResult, ScanStats, Service

    text = "service: legacy\ndepends_on:\n  - {service: orders, timeout: 2s}\ndata_dependencies:\n  - {source: x-db}\n"
    declared = declared_from_texts("legacy", [("legacy/contracts/d.yaml", text)])
    for languages, expected in (((), []), (("python",), [("stale", "depends_on orders")])):
        result = ScanResult(".", (Service("legacy", "legacy", languages),), (), (), ScanStats())
        report = compute_drift(State(tmp_path, result, {"legacy": declared}, {"legacy": {"service": "legacy"}}, {}))
        assert [(i.kind, i.entry) for i in report.items] == expected
