"""The resident daemon: same answers as a one-shot run, kept current as files change."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from contract_discovery import client, daemon, resident
from contract_discovery.client import recv_frame, send_frame
from contract_discovery.config import Config
from contract_discovery.discovery import walk

REPO = Path(__file__).resolve().parents[2]
MONOREPO = REPO / "fixtures" / "monorepo"


@pytest.fixture
def runtime(monkeypatch):
    # A short private folder for the sockets (AF_UNIX paths are limited to ~100 bytes).
    folder = tempfile.mkdtemp(prefix="cd-rt-", dir="/tmp")
    monkeypatch.setenv("XDG_RUNTIME_DIR", folder)
    monkeypatch.delenv("CONTRACT_DISCOVERY_NO_DAEMON", raising=False)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def served(tmp_path, runtime):
    root = tmp_path / "mono"
    shutil.copytree(MONOREPO, root)
    daemon.start(root, idle_timeout=120, wait=60)
    yield root
    daemon.stop(root)


def cli(*args: str, cwd: Path | None = None, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, **(env_extra or {}))
    return subprocess.run([sys.executable, "-m", "contract_discovery", *args], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=120)


def findings(stdout: str) -> list[tuple]:
    data = json.loads(stdout)
    return sorted((f["path"], f["line"], f["kind"], json.dumps(f["attributes"], sort_keys=True))
                  for f in data["findings"])


def requests_served(root: Path) -> int:
    return daemon.ask(root, "status")["requests"]


def test_daemon_answers_like_a_one_shot_run_and_follows_edits(served):
    root = served
    before = requests_served(root)
    by_daemon = cli("scan", str(root), "--format", "json")
    assert by_daemon.returncode == 0, by_daemon.stderr
    assert requests_served(root) == before + 1  # the daemon answered, not the local process
    alone = cli("scan", str(root), "--format", "json", "--no-daemon")
    assert findings(by_daemon.stdout) == findings(alone.stdout)
    assert requests_served(root) == before + 1  # --no-daemon never asks it

    # An edit, a new file in a new folder, and a deletion are all seen on the next request.
    client_py = root / "checkout" / "checkout" / "risk_client.py"
    text = client_py.read_text()
    client_py.write_text(text.replace("timeout=0.2", "timeout=0.75"))
    (root / "risk" / "risk" / "extra").mkdir()
    (root / "risk" / "risk" / "extra" / "late.py").write_text(
        "import requests\n\n\ndef ping():\n    return requests.get('http://ledger:8080/ping', timeout=4)\n")
    now = findings(cli("scan", str(root), "--format", "json").stdout)
    assert requests_served(root) == before + 2
    timeouts = {(p, v) for p, _, k, v in now if k == "timeout"}
    assert ("risk/risk/extra/late.py", json.dumps({"expression": "4", "phase": "total", "resolved_from": "literal",
                                                   "timeout_ms": 4000}, sort_keys=True)) in timeouts
    assert any(p.endswith("risk_client.py") and json.loads(v)["timeout_ms"] == 750 for p, v in timeouts)
    assert not any(p.endswith("risk_client.py") and json.loads(v)["timeout_ms"] == 200 for p, v in timeouts)
    (root / "risk" / "risk" / "extra" / "late.py").unlink()
    again = findings(cli("scan", str(root), "--format", "json").stdout)
    assert not any(p == "risk/risk/extra/late.py" for p, *_ in again)
    assert again == findings(cli("scan", str(root), "--format", "json", "--no-daemon").stdout)


def test_check_exit_code_and_wording_come_through(served):
    root = served
    by_daemon = cli("check", str(root))
    alone = cli("check", str(root), "--no-daemon")
    assert by_daemon.returncode == alone.returncode == 1
    assert "Status: BLOCKS_INTEGRATION" in by_daemon.stdout
    assert by_daemon.stdout == alone.stdout


def test_usage_errors_and_relative_roots(served):
    root = served
    bad = cli("scan", str(root), "--format", "nope")
    assert bad.returncode == 2 and "nope" in bad.stderr
    # A relative root is the client's working directory's, not the daemon's.
    rel = cli("scan", ".", "--format", "json", cwd=root)
    assert rel.returncode == 0
    assert findings(rel.stdout) == findings(cli("scan", str(root), "--format", "json", "--no-daemon").stdout)


def test_environment_variable_turns_it_off(served):
    root = served
    before = requests_served(root)
    cli("scan", str(root), "--format", "json", env_extra={"CONTRACT_DISCOVERY_NO_DAEMON": "1"})
    assert requests_served(root) == before


def test_stop_removes_the_socket_and_commands_still_work(tmp_path, runtime):
    root = tmp_path / "mono"
    shutil.copytree(MONOREPO, root)
    info = daemon.start(root, idle_timeout=120, wait=60)
    assert info["root"] == str(root.resolve())
    assert daemon.start(root, idle_timeout=120)["already"] is True
    status = cli("daemon", "status", str(root))
    assert status.returncode == 0 and f"daemon for {root.resolve()}: pid {info['pid']}" in status.stdout
    assert daemon.stop(root)
    assert not os.path.exists(client.socket_path(str(root)))
    gone = cli("daemon", "status", str(root))
    assert gone.returncode == 1 and "no daemon runs" in gone.stdout
    assert cli("scan", str(root), "--format", "json").returncode == 0


def test_a_stale_socket_is_ignored(tmp_path, runtime):
    root = tmp_path / "mono"
    shutil.copytree(MONOREPO, root)
    path = client.socket_path(str(root))
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(path)
    stale.close()  # the file stays, nobody listens
    result = cli("scan", str(root), "--format", "json")
    assert result.returncode == 0 and findings(result.stdout)


def _pair_request(d: daemon.Daemon, payload: dict) -> dict:
    ours, theirs = socket.socketpair()
    with ours, theirs:
        send_frame(ours, payload)
        d._handle(theirs)
        return recv_frame(ours)


def test_declines_other_protocols_and_a_changed_tool(tmp_path):
    d = daemon.Daemon(tmp_path, idle_timeout=0)
    assert _pair_request(d, {"protocol": 999, "argv": ["scan"]})["status"] == "decline"
    assert _pair_request(d, {"protocol": client.PROTOCOL, "argv": "scan"})["status"] == "decline"
    d.code = {}  # as if the tool's files changed since start
    reply = _pair_request(d, {"protocol": client.PROTOCOL, "argv": ["scan", str(tmp_path)], "cwd": str(tmp_path),
                              "env": {}})
    assert reply["status"] == "decline" and "changed" in reply["reason"]
    assert d.stopping


def test_client_only_hands_over_reading_commands(monkeypatch):
    asked = []
    monkeypatch.setattr(client, "_candidate_roots", lambda args: asked.append(args) or [])
    monkeypatch.delenv("CONTRACT_DISCOVERY_NO_DAEMON", raising=False)
    for args in (["init", "."], ["fix", "."], ["scan", "-", "--from-scan"], ["scan", "--help"], []):
        assert client._ask_daemon(args) is None
    assert asked == []
    assert client._ask_daemon(["scan", "."]) is None  # no daemon found
    assert asked == [["scan", "."]]


# --- the remembered walk ---------------------------------------------------------------------

def _age(root: Path, seconds: float = 60) -> None:
    """Backdate every directory and file so the memo trusts them (fresh ones are re-listed)."""
    past = time.time() - seconds
    for dirpath, dirnames, filenames in os.walk(root):
        for name in filenames:
            os.utime(os.path.join(dirpath, name), (past, past))
        os.utime(dirpath, (past, past))


def _files(root: Path, memo=None, config=Config()):
    return walk(root, config, wanted=lambda p: p.endswith(".py"), memo=memo).files


def test_walk_memo_gives_the_same_files_as_a_fresh_walk(tmp_path):
    root = tmp_path / "r"
    (root / "svc" / "app").mkdir(parents=True)
    (root / "svc" / "app" / "a.py").write_text("x = 1\n")
    (root / "svc" / "app" / "b.py").write_text("y = 2\n")
    (root / "svc" / "gen").mkdir()
    (root / "svc" / "gen" / "c.py").write_text("z = 3\n")
    _age(root)
    memo: dict = {}
    assert _files(root, memo) == _files(root) == ("svc/app/a.py", "svc/app/b.py", "svc/gen/c.py")
    assert set(memo) == {"", "svc", "svc/app", "svc/gen"}
    # Unchanged: served from the memo (a poisoned entry shows it is used), same answer.
    key = memo["svc/gen"]
    memo["svc/gen"] = key[:3] + (("svc/gen/only-in-memo.py",),) + key[4:]
    assert "svc/gen/only-in-memo.py" in _files(root, memo)
    memo["svc/gen"] = key

    # A new file changes the directory's mtime: listed again.
    (root / "svc" / "gen" / "d.py").write_text("w = 4\n")
    assert _files(root, memo) == _files(root)
    assert "svc/gen/d.py" in _files(root, memo)

    # A .gitignore added above changes what is below, though the folders below did not change.
    _age(root)
    _files(root, memo)
    (root / "svc" / ".gitignore").write_text("gen/\n")
    os.utime(root / "svc", (time.time() - 60,) * 2)  # even with the folder's own mtime unchanged
    assert _files(root, memo) == _files(root) == ("svc/app/a.py", "svc/app/b.py")
    # ... and editing it (same folder mtime) is seen too.
    _age(root)
    _files(root, memo)
    (root / "svc" / ".gitignore").write_text("app/b.py\n")
    os.utime(root / "svc", (time.time() - 60,) * 2)
    assert _files(root, memo) == _files(root) == ("svc/app/a.py", "svc/gen/c.py", "svc/gen/d.py")


def test_resident_state_is_off_for_one_shot_runs():
    assert resident.active is False
    assert resident.walk_memo(("x",)) is None
    assert resident.later(lambda: None) is False


def test_resident_state_keeps_only_the_latest_caches(monkeypatch):
    monkeypatch.setattr(resident, "active", True)
    try:
        made = [resident.cache(("dir", salt), lambda salt=salt: {"salt": salt}) for salt in range(10)]
        assert resident.cache(("dir", 9), lambda: {"salt": "new"}) is made[9]  # reused
        assert len(resident._caches) == resident._KEEP
        assert resident.cache(("dir", 0), lambda: {"salt": "again"}) == {"salt": "again"}  # evicted, made anew
        memo = resident.walk_memo(("root", True))
        assert resident.walk_memo(("root", True)) is memo
    finally:
        resident.forget()
