"""TypeScript path aliases: an import through a tsconfig "paths" alias resolves into the file it
names, also in a libs/ folder that belongs to no service."""

from __future__ import annotations

import json
from pathlib import Path

from contract_discovery.pipeline import scan
from contract_discovery.tsconfig import expand, path_aliases


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


BASE = """{
  // comments and trailing commas, as tsconfig allows
  "compilerOptions": {
    "baseUrl": ".",
    "paths": {
      "@acme/common/*": ["libs/common/src/lib/*"],
      "@acme/common": ["libs/common/src/index.ts"],
    },
  },
}
"""


def test_aliases_read_with_comments_and_extends(tmp_path):
    write(tmp_path, {"tsconfig.base.json": BASE,
                     "apps/api/tsconfig.json": json.dumps({"extends": "../../tsconfig.base.json"})})
    aliases = path_aliases(tmp_path, [".", "apps/api"])
    assert dict(aliases) == {"@acme/common/*": ["libs/common/src/lib/*"], "@acme/common": ["libs/common/src/index.ts"]}
    assert expand("@acme/common/config", aliases)[:1] == ["libs/common/src/lib/config"]
    assert "libs/common/src" in expand("@acme/common", aliases)
    assert expand("axios", aliases) == []
    write(tmp_path, {"broken/tsconfig.json": "{ not json"})
    assert dict(path_aliases(tmp_path, ["broken"])) == {}


def test_values_resolve_through_aliases(tmp_path):
    write(tmp_path, {
        "tsconfig.base.json": BASE,
        "apps/api/package.json": '{"name": "api"}',
        "libs/common/src/lib/config.ts": "export const DEFAULT_TIMEOUT = 60000;\n",
        "libs/common/src/index.ts": "export const OTHER_TIMEOUT = 5000;\n",
        "apps/api/src/market.ts": (
            "import axios from 'axios';\n"
            "import { DEFAULT_TIMEOUT } from '@acme/common/config';\n"
            "import { OTHER_TIMEOUT } from '@acme/common';\n"
            "import { NOWHERE } from '@other/lib';\n"
            "export async function quotes(url: string) {\n"
            "  await axios.get(url, { timeout: OTHER_TIMEOUT });\n"
            "  await axios.get(url, { timeout: NOWHERE });\n"
            "  return axios.get(url, { timeout: DEFAULT_TIMEOUT });\n"
            "}\n"),
    })
    result = scan(tmp_path)
    got = {f.line: (f.attributes["timeout_ms"], f.attributes["resolved_from"])
           for f in result.findings if f.kind == "timeout"}
    assert got == {6: (5000, "constant"), 7: (None, "unresolved"), 8: (60000, "constant")}


def test_a_workspace_packages_exports_subpaths_are_aliases_of_their_files(tmp_path):
    from contract_discovery.tsconfig import workspace_aliases
    pkg = tmp_path / "packages" / "shared"
    pkg.mkdir(parents=True)
    (pkg / "package.json").write_text(json.dumps({
        "name": "@saleor/apps-shared", "main": "./src/index.ts",
        "exports": {".": "./src/index.ts", "./race": "./src/race.ts",
                    "./flush": {"types": "./src/flush.d.ts", "import": "./dist/flush.mjs"}, "./utils/*": "./src/utils/*.ts"}}))
    aliases = dict(workspace_aliases(tmp_path, ["packages/shared"]))
    assert expand("@saleor/apps-shared/race", list(aliases.items()))[0] == "packages/shared/src/race"
    # a built file's source is under src/
    assert aliases["@saleor/apps-shared/flush"] == ["packages/shared/dist/flush", "packages/shared/src/flush"]
    assert "@saleor/apps-shared/utils/*" not in aliases  # a pattern: the package's `/*` alias covers it
    assert aliases["@saleor/apps-shared"][0] == "packages/shared/src/index.ts"


def test_base_url_folders_resolve_bare_imports(tmp_path):
    """Round 12: NestJS's tsconfig `baseUrl: "./"` without paths lets `import { X } from 'src/shared/const'`
    name the service's own folder; a folder name two services' baseUrls both offer is left out."""
    write(tmp_path, {
        "web/crux/tsconfig.json": '{"compilerOptions": {"baseUrl": "./", "outDir": "./dist"}}',
        "web/crux/package.json": '{"name": "crux", "dependencies": {"rxjs": "7"}}',
        "web/crux/src/shared/const.ts": "export const AGENT_STREAM_TIMEOUT = 60_000;\n",
        "web/crux/src/domain/agent-tunnel.ts": (
            "import { Observable, timeout } from 'rxjs';\n"
            "import { AGENT_STREAM_TIMEOUT } from 'src/shared/const';\n"
            "export function watch(stream: Observable<unknown>) {\n"
            "  return stream.pipe(timeout({ first: AGENT_STREAM_TIMEOUT }));\n"
            "}\n"),
        "web/crux/dist/shared/const.js": "exports.AGENT_STREAM_TIMEOUT = 1;\n",
    })
    aliases = dict(path_aliases(tmp_path, [".", "web/crux"]))
    assert aliases["src/*"] == ["web/crux/src/*"]
    assert "dist/*" not in aliases
    found = {(f.path, f.line): f.attributes.get("timeout_ms") for f in scan(tmp_path).findings if f.kind == "timeout"}
    assert found[("web/crux/src/domain/agent-tunnel.ts", 4)] == 60000
    write(tmp_path, {"web/other/tsconfig.json": '{"compilerOptions": {"baseUrl": "."}}',
                     "web/other/src/index.ts": "export const A = 1;\n"})
    assert "src/*" not in dict(path_aliases(tmp_path, [".", "web/crux", "web/other"]))
