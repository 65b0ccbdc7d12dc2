"""Helpers for the adoption commands' tests: a copy of the bundled monorepo and the CLI in a subprocess."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

MONOREPO = Path(__file__).resolve().parents[2] / "fixtures" / "monorepo"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "contract_discovery.cli", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, timeout=180)


@pytest.fixture
def monorepo(tmp_path: Path) -> Path:
    """The bundled monorepo with its declared contracts."""
    root = tmp_path / "mono"
    shutil.copytree(MONOREPO, root, ignore=shutil.ignore_patterns(".contract-discovery-cache", "__pycache__"))
    return root


@pytest.fixture
def bare_monorepo(monorepo: Path) -> Path:
    """The bundled monorepo without any contract file (a codebase adopting the tool)."""
    for folder in monorepo.glob("*/contracts"):
        shutil.rmtree(folder)
    return monorepo


def git(root: Path, *args: str) -> str:
    proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def git_repo(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q")
    git(root, "config", "user.email", "dev@example.com")
    git(root, "config", "user.name", "dev")
    git(root, "config", "commit.gpgsign", "false")
    return root


def commit_all(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
