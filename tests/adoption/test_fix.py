"""``fix``: declared values into Python code, only where the contract speaks and the rewrite is certain."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from contract_discovery.checks.engine import run_check
from contract_discovery.pipeline import scan

from .conftest import run

CLIENT = '''\
import uuid

import requests
from tenacity import retry, stop_after_attempt

API = "http://api:8080"


def multi(order):
    return requests.post(
        f"{API}/charge",
        json={"order": order},
    )


def explicit_none(order):
    return requests.get(f"{API}/status", timeout=None)  # keep this comment


def per_attempt(order):
    for attempt in range(3):
        key = str(uuid.uuid4()) + str(attempt)
        try:
            return requests.post(f"{API}/charge", json={"key": key}, timeout=1)
        except requests.Timeout:
            continue


def stable_loop(order):
    while True:
        # why: each attempt is logged apart
        request_id = uuid.uuid4().hex
        try:
            return requests.post(f"{API}/charge", json={"id": request_id}, timeout=1)
        except requests.Timeout:
            pass


@retry(stop=stop_after_attempt(3))
def retried(order):
    request_id = str(uuid.uuid4())
    return requests.post(f"{API}/charge", json={"id": request_id}, timeout=1)
'''


def _service(root: Path, name: str, files: dict[str, str]) -> None:
    (root / name).mkdir(parents=True, exist_ok=True)
    (root / name / "pyproject.toml").write_text(f'[project]\nname = "{name}"\nversion = "1"\n')
    for rel, text in files.items():
        path = root / name / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


@pytest.fixture
def two_services(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    _service(root, "web", {"web/__init__.py": "", "web/client.py": CLIENT,
                           "contracts/deps.yaml": "service: web\ndepends_on:\n  - service: api\n    timeout: 1500ms\n"})
    _service(root, "api", {"api/__init__.py": "", "contracts/api.yaml":
                           "service: api\noperations:\n  - {name: charge, idempotency_key: id, expects: stable_across_retries}\n"})
    return root


def _changed_lines(old: str, new: str) -> list[str]:
    return [l for l in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0)
            if l[:1] in "+-" and not l.startswith(("+++", "---"))]


def test_fix_adds_declared_timeouts_and_moves_ids_out_of_retry_loops_only_when_certain(two_services: Path):
    client = two_services / "web/web/client.py"
    proc = run("fix", two_services, "--dry-run")
    assert proc.returncode == 0, proc.stderr
    assert client.read_text() == CLIENT  # --dry-run writes nothing
    assert proc.stdout.startswith("--- a/web/web/client.py\n+++ b/web/web/client.py\n")

    proc = run("fix", two_services)
    assert proc.returncode == 0, proc.stderr
    new = client.read_text()
    assert _changed_lines(CLIENT, new) == [
        "+        timeout=1.5,",
        '-    return requests.get(f"{API}/status", timeout=None)  # keep this comment',
        '+    return requests.get(f"{API}/status", timeout=1.5)  # keep this comment',
        "+    request_id = uuid.uuid4().hex",
        "-        request_id = uuid.uuid4().hex",
        "-@retry(stop=stop_after_attempt(3))",
        "+    return _retried_attempt(order, request_id=request_id)",
        "+",
        "+",
        "+@retry(stop=stop_after_attempt(3))",
        "+def _retried_attempt(order, *, request_id):",
    ]
    # The comment above the moved line stays where it was (it now describes the try).
    assert "        # why: each attempt is logged apart\n        try:" in new
    skipped = sorted(l for l in proc.stderr.splitlines() if "not fixed" in l)
    assert skipped == ["web/web/client.py:22: stable-id: not fixed: the ID depends on a value the loop changes"]
    # Fixed code is clean: nothing left to fix, and a second run changes nothing.
    again = run("fix", two_services)
    assert client.read_text() == new
    assert "nothing to fix" in again.stderr


def test_nothing_is_written_where_the_contract_is_silent(two_services: Path):
    (two_services / "web/contracts/deps.yaml").write_text("service: web\ndepends_on:\n  - service: api\n")
    (two_services / "api/contracts/api.yaml").write_text("service: api\n")
    proc = run("fix", two_services)
    assert proc.returncode == 0
    assert (two_services / "web/web/client.py").read_text() == CLIENT
    assert "web/web/client.py:10: timeout: not fixed: the contract declares no timeout for api" in proc.stderr
    assert ("web/web/client.py:32: stable-id: not fixed: the provider's contract declares no idempotency key "
            "expected stable across retries") in proc.stderr


def test_rule_option_selects_one_fix(two_services: Path):
    proc = run("fix", two_services, "--rule", "missing-timeout", "--dry-run")
    assert "timeout=1.5" in proc.stdout and "request_id = uuid" not in proc.stdout
    assert run("fix", two_services, "--rule", "bogus").returncode == 2


def _conflicts(root: Path) -> set[tuple[str, str, str]]:
    report = run_check(root, scan_fn=scan)
    return {(r.rule, r.consumer, r.provider) for r in report.results if r.rule in ("idempotency", "missing-timeout")}


def test_fix_turns_the_seed_timeout_and_idempotency_conflicts_into_passing_checks(monorepo: Path):
    # Support fills in the timeout `init` left as a TODO for its calls to risk.
    (monorepo / "support/contracts/dependencies.yaml").write_text(
        "service: support\ndepends_on:\n  - service: risk\n    timeout: 500ms\n")
    assert _conflicts(monorepo) == {("idempotency", "checkout", "risk"), ("missing-timeout", "support", "risk")}
    before = {p: p.read_text() for p in (monorepo / "checkout/checkout/risk_client.py", monorepo / "support/support/disputes.py")}

    proc = run("fix", monorepo)
    assert proc.returncode == 0, proc.stderr
    assert _conflicts(monorepo) == set()
    risk_client, disputes = before
    assert _changed_lines(before[disputes], disputes.read_text()) == [
        '-    response = requests.get(f"{RISK_URL}/fraud-signals-detailed", params={"tx": tx_id})  '
        "# expect: outbound_call target.service=risk; missing_timeout library=requests",
        '+    response = requests.get(f"{RISK_URL}/fraud-signals-detailed", params={"tx": tx_id}, timeout=0.5)  '
        "# expect: outbound_call target.service=risk; missing_timeout library=requests",
    ]
    moved = "tx_id = str(uuid.uuid4())  # expect: new_id_per_attempt generator=uuid.uuid4 variable=tx_id"
    assert _changed_lines(before[risk_client], risk_client.read_text()) == ["+    " + moved, "-        " + moved]


@pytest.mark.parametrize("source, expected", [
    ("requests.get(\n    url,\n)\n", "requests.get(\n    url,\n    timeout=0.5,\n)\n"),
    ("requests.get(\n    url,\n    params=p,\n)\n", "requests.get(\n    url,\n    params=p,\n    timeout=0.5,\n)\n"),
    ("requests.get(url)\n", "requests.get(url, timeout=0.5)\n"),
    ("requests.get(\n    url, params=p)\n", "requests.get(\n    url, params=p, timeout=0.5)\n"),
    ("requests.get(url, timeout = None)\n", "requests.get(url, timeout = 0.5)\n"),
    ("requests.get(url,)\n", "requests.get(url, timeout=0.5,)\n"),
    ("requests.get(url)\r\n", "requests.get(url, timeout=0.5)\r\n"),
])
def test_timeout_argument_follows_the_call_layout(source, expected):
    import libcst as cst

    from contract_discovery.adoption.fix import _with_timeout

    module = cst.parse_module(source.encode())
    statement = module.body[0]
    call = statement.body[0].value
    new = module.with_changes(body=[statement.with_changes(body=[statement.body[0].with_changes(
        value=_with_timeout(call, "0.5"))])])
    assert new.bytes == expected.encode()


@pytest.mark.parametrize("source", ["requests.get(url, **options)\n", "requests.get(url, timeout=TIMEOUT)\n",
                                    "requests.get(url, *args)\n"])
def test_a_call_that_may_already_carry_a_timeout_is_left_alone(source):
    import libcst as cst

    from contract_discovery.adoption.fix import _with_timeout

    call = cst.parse_module(source).body[0].body[0].value
    assert _with_timeout(call, "0.5") is None


def test_seconds_are_written_the_way_people_write_them():
    from contract_discovery.adoption.fix import _seconds

    assert [_seconds(ms) for ms in (500, 2000, 1500, 250, 100, 30000)] == ["0.5", "2", "1.5", "0.25", "0.1", "30"]


RETRIED = '''\
import uuid

import requests
from tenacity import retry, stop_after_attempt

API = "http://api:8080"


@retry(stop=stop_after_attempt(3))
async def charge(order, /, amount, *items, currency="EUR", **extra):
    """Charge an order."""
    request_id = str(uuid.uuid4())
    return requests.post(f"{API}/charge", json={"id": request_id, "order": order}, timeout=1)


@retry(stop=stop_after_attempt(3))
def per_order(order):
    request_id = f"{order}-{uuid.uuid4()}"
    return requests.post(f"{API}/charge", json={"id": request_id}, timeout=1)
'''


def test_an_id_made_in_a_retried_function_is_made_once_by_a_wrapper_with_the_same_signature(two_services: Path):
    client = two_services / "web/web/client.py"
    client.write_text(RETRIED)
    proc = run("fix", two_services, "--rule", "stable-id")
    assert proc.returncode == 0, proc.stderr
    new = client.read_text()
    assert new.split("API = \"http://api:8080\"\n\n\n")[1].startswith(
        "async def charge(order, /, amount, *items, currency=\"EUR\", **extra):\n"
        "    \"\"\"Charge an order.\"\"\"\n"
        "    request_id = str(uuid.uuid4())\n"
        "    return await _charge_attempt(order, amount, *items, currency=currency, request_id=request_id, **extra)\n"
        "\n\n"
        "@retry(stop=stop_after_attempt(3))\n"
        "async def _charge_attempt(order, /, amount, *items, currency=\"EUR\", request_id, **extra):\n"
        "    \"\"\"Charge an order.\"\"\"\n"
        "    return requests.post(")
    compile(new, "client.py", "exec")
    # The ID built from the order cannot move out: it is left alone and reported.
    assert "def per_order(order):\n    request_id = f\"{order}-{uuid.uuid4()}\"" in new
    assert ("web/web/client.py:18: stable-id: not fixed: the ID depends on the function's arguments or locals"
            in proc.stderr)
    findings = [f for f in scan(two_services).findings if f.kind == "new_id_per_attempt"]
    assert [(f.path, f.line) for f in findings] == [("web/web/client.py", 23)]  # per_order only


def test_a_suppression_comment_silences_the_fix(two_services: Path):
    client = two_services / "web/web/client.py"
    text = CLIENT.replace('timeout=None)  # keep this comment',
                          'timeout=None)  # contract-discovery: ignore[missing-timeout] streams for minutes')
    client.write_text(text)
    proc = run("fix", two_services, "--rule", "timeout")
    assert "web/web/client.py:17: timeout: not fixed: suppressed by a comment" in proc.stderr
    assert 'requests.get(f"{API}/status", timeout=None)  # contract-discovery: ignore' in client.read_text()
    assert "        timeout=1.5,\n    )" in client.read_text()  # the other call is still fixed
