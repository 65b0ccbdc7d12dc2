"""Terraform variable files: the symbols they publish and which of them Terraform loads by itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from contract_discovery.pipeline import scan
from contract_discovery.values import Num, Str
from extractors.tfvars.extractor import EXTRACTOR, loaded_by


@pytest.mark.parametrize("path,kind", [
    ("infra/terraform.tfvars", "auto"), ("infra/prod.auto.tfvars", "auto"), ("terraform.tfvars", "auto"),
    ("infra/prod.tfvars", "environment"), ("env/dev/dev.tfvars", "environment"),
    ("infra/terraform.tfvars.d/x.tfvars", "environment"),
])
def test_which_files_terraform_loads_by_itself(path, kind) -> None:
    assert loaded_by(path) == kind
    assert EXTRACTOR.extract(path, b"timeout = 10\n").imports == {"$tfvars": kind}


def test_literals_and_object_members_are_published() -> None:
    result = EXTRACTOR.extract("infra/terraform.tfvars",
                               b'timeout = 10\nname = "risk"\nq = { visibility = 60, nested = { x = 1 } }\n'
                               b'# timeout = 99\nlist = [1, 2]\n')
    assert dict(result.symbols) == {"var.timeout": Num(10.0), "var.name": Str("risk"),
                                    "var.q.visibility": Num(60.0), "var.q.nested.x": Num(1.0)}
    assert result.module == "infra" and result.errors == ()


def test_a_syntax_error_is_reported_with_its_line() -> None:
    result = EXTRACTOR.extract("infra/terraform.tfvars", b"timeout = 10\nbroken = {\n")
    assert [(e.kind, e.line) for e in result.errors] == [("parse_error", 3)]  # the missing `}` at the end
    assert result.symbols["var.timeout"] == Num(10.0)


def _lambda_timeout(tmp_path: Path, files: dict[str, str]) -> object:
    infra = tmp_path / "infra"
    infra.mkdir()
    (infra / "main.tf").write_text('resource "aws_lambda_function" "f" {\n  function_name = "f"\n'
                                   '  timeout       = var.timeout\n}\nvariable "timeout" {\n  default = 30\n}\n')
    for name, text in files.items():
        (infra / name).write_text(text)
    findings = [f for f in scan(tmp_path).findings if f.kind == "timeout"]
    assert len(findings) == 1
    return findings[0].attributes["timeout_ms"]


def test_an_automatic_variables_file_wins_over_the_default(tmp_path) -> None:
    assert _lambda_timeout(tmp_path, {"terraform.tfvars": "timeout = 12\n"}) == 12000


def test_environment_files_that_agree_give_their_value(tmp_path) -> None:
    assert _lambda_timeout(tmp_path, {"dev.tfvars": "timeout = 10\n", "prod.tfvars": "timeout = 10\n"}) == 10000


def test_environment_files_that_differ_leave_the_value_unresolved(tmp_path) -> None:
    assert _lambda_timeout(tmp_path, {"dev.tfvars": "timeout = 10\n", "prod.tfvars": "timeout = 60\n"}) is None


def test_files_terraform_loads_itself_win_and_auto_files_load_last(tmp_path) -> None:
    (tmp_path / "a").mkdir()
    assert _lambda_timeout(tmp_path / "a", {"terraform.tfvars": "timeout = 20\n", "prod.tfvars": "timeout = 60\n"}) == 20000
    (tmp_path / "b").mkdir()
    assert _lambda_timeout(tmp_path / "b", {"terraform.tfvars": "timeout = 20\n", "a.auto.tfvars": "timeout = 25\n"}) == 25000
