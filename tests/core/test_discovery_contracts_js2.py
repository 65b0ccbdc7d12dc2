"""Round 14 (js2): a `contracts/` folder of code is a module of its service, not a service marker."""

from __future__ import annotations

from contract_discovery.config import Config
from contract_discovery.discovery import discover_services, walk


def _services(root):
    config = Config()
    return sorted(s.path for s in discover_services(root, config, walk(root, config)))


def test_contracts_folder_of_code_is_no_service(tmp_path):
    (tmp_path / "package.json").write_text('{"name": "gateway"}')
    code = tmp_path / "src" / "modules" / "contracts"
    (code / "domain" / "decoders").mkdir(parents=True)
    (code / "contracts.module.ts").write_text("export class ContractsModule {}\n")
    (code / "domain" / "decoders" / "x.helper.ts").write_text("export const x = 1;\n")
    nested = tmp_path / "src" / "modules" / "bridge" / "domain" / "contracts" / "decoders"
    nested.mkdir(parents=True)
    (nested / "lifi.helper.ts").write_text("export const y = 2;\n")
    assert _services(tmp_path) == ["."]


def test_contracts_folder_with_contract_files_still_marks_a_service(tmp_path):
    (tmp_path / "package.json").write_text('{"name": "shop"}')
    folder = tmp_path / "services" / "checkout" / "contracts"
    folder.mkdir(parents=True)
    (folder / "deps.yaml").write_text("service: checkout\n")
    (folder / "notes.ts").write_text("export {};\n")  # a stray source file does not unmake it
    assert "services/checkout" in _services(tmp_path)
