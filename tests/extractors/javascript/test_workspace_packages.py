"""Helpers of an npm workspace package are read at their callers; a library function of the same
name is not."""

import json
from pathlib import Path

from contract_discovery.pipeline import scan

KIT = """import axios from "axios";

export function createClient(baseURL: string, timeoutMs: number) {
  return axios.create({ baseURL, timeout: timeoutMs });
}
"""


def _write(root: Path, files: dict) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text if isinstance(text, str) else json.dumps(text))


def test_a_workspace_package_helper_is_read_where_it_is_called_and_a_library_namesake_is_not(tmp_path: Path) -> None:
    _write(tmp_path, {
        "package.json": {"name": "acme", "private": True, "workspaces": ["packages/*", "services/*"]},
        "packages/http-kit/package.json": {"name": "@acme/http-kit", "main": "src/index.ts"},
        "packages/http-kit/src/index.ts": KIT,
        "services/checkout/package.json": {"name": "checkout", "dependencies": {"@acme/http-kit": "workspace:*"}},
        "services/checkout/src/risk.ts": 'import { createClient } from "@acme/http-kit";\n\n'
                                         'export const risk = createClient("http://risk:8000", 250);\n',
        # a library function named like the checkout's own helper below: never confirmed by it
        "services/checkout/src/cache.ts": 'import { createClient } from "@redis/client";\n\n'
                                          'export const cache = createClient("redis://cache:6379", 900);\n',
        "services/checkout/src/own/createClient.ts": KIT,
    })
    got = sorted((f.path, f.line, f.attributes.get("timeout_ms")) for f in scan(tmp_path).findings
                 if f.kind == "timeout" and f.path.startswith("services/checkout/src/") and "/own/" not in f.path)
    assert got == [("services/checkout/src/risk.ts", 3, 250)]
