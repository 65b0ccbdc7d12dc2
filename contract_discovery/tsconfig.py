"""TypeScript path aliases (``compilerOptions.paths`` of tsconfig files), so that
``import { TIMEOUT } from '@acme/common/config'`` resolves to ``libs/common/src/lib/config.ts``.

Only the aliases are read: ``baseUrl`` and ``paths`` of ``tsconfig.base.json`` / ``tsconfig.json``
at the root and in each service folder (the files an Nx or a plain TypeScript monorepo keeps
them in), with ``extends`` followed within the tree. tsconfig is JSON with comments and trailing
commas; a file that cannot be read is skipped (it only costs resolution, never the scan).
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path
from typing import Iterable

_NAMES = ("tsconfig.base.json", "tsconfig.json",
          # (round 14, js1) a server whose sources keep their own tsconfig (`server/src/tsconfig.json` with
          # `paths: { "coral-server/*": ["./core/server/*"] }`, extending the package's): the aliases are there
          "src/tsconfig.json")
_COMMENTS = re.compile(r'("(?:\\.|[^"\\])*")|//[^\n]*|/\*.*?\*/', re.S)
_TRAILING = re.compile(r",(\s*[}\]])")


def _load(path: Path) -> dict | None:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    text = _COMMENTS.sub(lambda m: m.group(1) or "", text)
    text = _TRAILING.sub(r"\1", text)
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _options(root: Path, rel: str, depth: int = 0) -> tuple[str | None, dict]:
    """(baseUrl relative to the root, paths) of one tsconfig, following ``extends`` in the tree."""
    data = _load(root / rel)
    if data is None:
        return None, {}
    base_url, paths = None, {}
    parent = data.get("extends")
    here = posixpath.dirname(rel)
    if isinstance(parent, str) and parent.startswith(".") and depth < 5:
        target = posixpath.normpath(posixpath.join(here, parent))
        if not target.endswith(".json"):
            target += ".json"
        if not target.startswith(".."):
            base_url, paths = _options(root, target, depth + 1)
    options = data.get("compilerOptions") if isinstance(data.get("compilerOptions"), dict) else {}
    if isinstance(options.get("baseUrl"), str):
        base_url = posixpath.normpath(posixpath.join(here, options["baseUrl"]))
    if isinstance(options.get("paths"), dict):
        paths = {**paths, **options["paths"]}
    return base_url, paths


def path_aliases(root: Path, folders: Iterable[str]) -> list[tuple[str, list[str]]]:
    """[(alias pattern, [root-relative target patterns])], longest alias first; ``*`` kept."""
    found: dict[str, list[str]] = {}
    by_base: dict[str, set[str]] = {}  # round 12: `import { X } from 'src/shared/const'` under baseUrl "./"
    for folder in sorted(set(folders)):
        for name in _NAMES:
            rel = name if folder in ("", ".") else f"{folder}/{name}"
            if not (root / rel).is_file():
                continue
            base_url, paths = _options(root, rel)
            base = base_url if base_url is not None else posixpath.dirname(rel) or "."
            for alias, targets in paths.items():
                if not isinstance(alias, str) or not isinstance(targets, list):
                    continue
                resolved = [posixpath.normpath(posixpath.join(base, t)) for t in targets if isinstance(t, str)]
                found.setdefault(alias, [t for t in resolved if not t.startswith("..")])
            if base_url is not None and not paths and not base_url.startswith(".."):
                for alias, target in _base_url_folders(root, base_url):
                    by_base.setdefault(alias, set()).add(target)
    for alias, targets in by_base.items():
        if len(targets) == 1:  # two services' baseUrl folders of one name: which one is meant is unknown
            found.setdefault(alias, sorted(targets))
    return sorted(found.items(), key=lambda item: -len(item[0]))


_NOT_SOURCE = {"node_modules", "dist", "build", "out", "coverage", "test", "tests", "__tests__"}


def _base_url_folders(root: Path, base_url: str) -> list[tuple[str, str]]:
    """A tsconfig's ``baseUrl`` without ``paths`` makes its folders importable by name (NestJS's
    ``baseUrl: "./"`` with ``import ... from 'src/shared/const'``): ``src/*`` -> ``<base>/src/*`` for
    each source folder."""
    folder = root / base_url if base_url not in ("", ".") else root
    out = []
    try:
        entries = sorted(p.name for p in folder.iterdir() if p.is_dir())
    except OSError:
        return out
    for entry in entries:
        if entry.startswith((".", "@")) or entry in _NOT_SOURCE:
            continue
        target = entry if base_url in ("", ".") else f"{base_url}/{entry}"
        out.append((f"{entry}/*", f"{target}/*"))
    return out


def expand(module: str, aliases: list[tuple[str, list[str]]]) -> list[str]:
    """The root-relative module paths (no extension) an aliased import may name."""
    out = []
    for alias, targets in aliases:
        if alias.endswith("*"):
            prefix = alias[:-1]
            if not module.startswith(prefix):
                continue
            rest = module[len(prefix):]
            out.extend(t.replace("*", rest) for t in targets)
        elif module == alias:
            out.extend(targets)
    cleaned = []
    for target in out:
        target = re.sub(r"\.(tsx?|jsx?|mjs|cjs)$", "", target)
        if target.endswith("/index"):
            target = target[: -len("/index")]  # a folder's index file is the folder's module
        cleaned.extend([target, f"{target}/index"])
    return cleaned


def _export_subpaths(exports) -> list[tuple[str, str]]:
    """The subpaths a package.json ``exports`` map names (``"./race": "./src/race.ts"``, or a
    conditions object ``{"import": ..., "types": ...}``), without extensions; no patterns (``./*``)."""
    if not isinstance(exports, dict):
        return []
    out = []
    for key, value in exports.items():
        if not isinstance(key, str) or not key.startswith("./") or key == "." or "*" in key:
            continue
        if isinstance(value, dict):
            value = value.get("import") or value.get("default") or value.get("types") or value.get("require")
        if isinstance(value, str) and value.startswith("./") and "*" not in value:
            target = re.sub(r"\.(d\.ts|tsx?|mts|cts|jsx?|mjs|cjs)$", "", value[2:])
            out.append((key[2:], target))
    return out


def workspace_aliases(root: Path, folders: Iterable[str]) -> list[tuple[str, list[str]]]:
    """npm/yarn/pnpm workspace packages of the scan as aliases: ``@acme/http-kit`` -> the module of
    its entry file (``main`` / ``module`` / ``types`` / ``exports["."]``, else ``src/index`` or
    ``index``), and ``@acme/http-kit/*`` -> files under the package folder (and its ``src/``)."""
    found: dict[str, list[str]] = {}
    for folder in folders:
        data = _load(Path(root) / folder / "package.json") if folder else None
        name = data.get("name") if data else None
        if not isinstance(name, str) or not name or folder in (".", ""):
            continue
        entry = None
        exports = data.get("exports")
        for subpath, target in _export_subpaths(exports):
            # `"exports": {"./race": "./src/race.ts"}`: `@saleor/apps-shared/race` is that file
            built = [f"{folder}/src/" + target.split("/", 1)[1]] if target.startswith(("dist/", "lib/", "build/")) else []
            found.setdefault(f"{name}/{subpath}", [f"{folder}/{target}", *built])
        if isinstance(exports, dict):
            exports = exports.get(".", exports.get("import", exports.get("default")))
            if isinstance(exports, dict):
                exports = exports.get("import") or exports.get("default") or exports.get("types")
        for candidate in (exports, data.get("types"), data.get("module"), data.get("main")):
            if isinstance(candidate, str) and candidate:
                entry = candidate
                break
        targets = []
        if entry:
            entry = re.sub(r"^\./", "", entry)
            # a built entry (dist/index.js) has its source under src/
            targets.append(f"{folder}/{entry}")
            if entry.startswith(("dist/", "lib/", "build/")):
                targets.append(f"{folder}/src/" + entry.split("/", 1)[1])
        targets += [f"{folder}/src/index", f"{folder}/index"]
        found.setdefault(name, targets)
        for built in ("lib", "dist", "build"):
            # (round 22, js2) `import { withTimeout } from "@skandha/utils/lib"`: the build output folder
            # named in the import has its source under src/ (skandha's, Lodestar's packages)
            found.setdefault(f"{name}/{built}", [f"{folder}/src/index", f"{folder}/{built}/index"])
            found.setdefault(f"{name}/{built}/*", [f"{folder}/src/*", f"{folder}/{built}/*"])
        found.setdefault(name + "/*", [f"{folder}/src/*", f"{folder}/*"])
    return sorted(found.items(), key=lambda item: -len(item[0]))
