"""Which services' code another service compiles in: project references between the
services of one build.

A .NET solution makes every ``.csproj`` a service, and a Gradle multi-project build every
``build.gradle``; the HTTP helper with the retry loop often sits in a shared project
(``Acme.Common/Http.cs``, ``:common``) that the calling project references. A service may read
the constants and helper publications of the projects it references (transitively), after its
own. Only the build's declarations count: ``<ProjectReference Include="..\\Common\\Common.csproj"/>``
and ``project(":common")`` / ``project(path: ":libs:http")``, and a Maven ``<dependency>`` on the
``artifactId`` of another module of the scan; in the other ecosystems, a dependency naming
another service's own package: a ``package.json`` dependency on a workspace package's ``name``,
a ``pyproject.toml`` / ``requirements.txt`` dependency on another project's name (or a local path
to it), a ``go.mod`` ``require`` of another module of the scan (or its ``replace`` path), a
Gemfile ``gem "x", path: "../x"``. A manifest that cannot be read links nothing.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import tomllib
from pathlib import Path
from typing import Iterable

from contract_discovery.model import Service

__all__ = ["project_links"]

_PROJECT_REFERENCE = re.compile(r"<ProjectReference\s+Include\s*=\s*[\"']([^\"']+)[\"']", re.I)
_GRADLE_PROJECT = re.compile(r"\bproject\s*\(\s*(?:path\s*[:=]\s*)?[\"'](:[\w.\-:]*)[\"']")
# Gradle's type-safe project accessors (`implementation(projects.hypertraceGraphqlImpl)`, `projects.libs.http`):
# the project ":hypertrace-graphql-impl" / ":libs:http" (kebab-case folder names become camelCase accessors)
_GRADLE_ACCESSOR = re.compile(r"\bprojects\.([a-zA-Z]\w*(?:\.[a-zA-Z]\w*)*)")
_PROJECT_DIR = re.compile(r"""project\s*\(\s*["'](:?[\w.\-:]+)["']\s*\)\s*\.\s*projectDir\s*=\s*(?:new\s+File\s*\(\s*)?(?:file\s*\(\s*)?(?:settingsDir\s*,\s*|rootDir\s*,\s*)?["']([^"']+)["']""")
_MAX_MANIFEST = 1_000_000


def _read(path: Path) -> str:
    try:
        if path.stat().st_size > _MAX_MANIFEST:
            return ""
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _csproj_refs(root: Path, service: Service) -> list[str]:
    base = Path(root) / (service.path if service.path != "." else "")
    out = []
    try:
        names = sorted(n for n in os.listdir(base) if n.endswith(".csproj"))
    except OSError:
        return out
    for name in names:
        for include in _PROJECT_REFERENCE.findall(_read(base / name)):
            target = include.replace("\\", "/")
            joined = posixpath.normpath(posixpath.join("" if service.path == "." else service.path, target))
            out.append(posixpath.dirname(joined) or ".")
    return out


def _gradle_roots(root: Path, rel_dir: str) -> list[str]:
    """The folders at or above ``rel_dir`` with a settings.gradle(.kts), nearest first (a
    subproject may carry its own settings file for building alone)."""
    parts = [] if rel_dir == "." else rel_dir.split("/")
    out = []
    while True:
        here = "/".join(parts) or "."
        base = Path(root) / ("" if here == "." else here)
        if (base / "settings.gradle").is_file() or (base / "settings.gradle.kts").is_file():
            out.append(here)
        if not parts:
            return out
        parts.pop()


def _gradle_dirs(root: Path, settings_dir: str) -> dict[str, str]:
    """Gradle project path (":libs:http") -> folder, from settings' explicit projectDir lines."""
    base = Path(root) / ("" if settings_dir == "." else settings_dir)
    text = _read(base / "settings.gradle") + "\n" + _read(base / "settings.gradle.kts")
    out = {}
    for project, folder in _PROJECT_DIR.findall(text):
        joined = posixpath.normpath(posixpath.join("" if settings_dir == "." else settings_dir, folder))
        out[":" + project.lstrip(":")] = joined
    return out


def _gradle_refs(root: Path, service: Service, cache: dict, services: set[str]) -> list[str]:
    base = Path(root) / (service.path if service.path != "." else "")
    text = _read(base / "build.gradle") + "\n" + _read(base / "build.gradle.kts")
    projects = [p for p in _GRADLE_PROJECT.findall(text) if p != ":"]
    projects += [":" + ":".join(re.sub(r"(?<!^)([A-Z])", r"-\1", part).lower() for part in accessor.split("."))
                 for accessor in _GRADLE_ACCESSOR.findall(text)]
    if not projects:
        return []
    settings_dirs = _gradle_roots(root, service.path)
    out = []
    for project in projects:
        for settings_dir in settings_dirs:
            if settings_dir not in cache:
                cache[settings_dir] = _gradle_dirs(root, settings_dir)
            folder = posixpath.normpath(cache[settings_dir].get(project) or posixpath.join(
                "" if settings_dir == "." else settings_dir, project.strip(":").replace(":", "/")))
            if folder in services:
                out.append(folder)
                break
    return out


_POM_PARENT = re.compile(r"<parent>.*?</parent>", re.S)
_POM_ARTIFACT = re.compile(r"<artifactId>\s*([^<\s]+)\s*</artifactId>")
_POM_DEPENDENCY = re.compile(r"<dependency>(.*?)</dependency>", re.S)
_XML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_POM_MANAGED = re.compile(r"<dependencyManagement>.*?</dependencyManagement>", re.S)
_POM_TEST_SCOPE = re.compile(r"<scope>\s*test\s*</scope>")


def _pom(root: Path, service: Service) -> tuple[str | None, list[str]]:
    """(the module's own artifactId, the artifactIds it depends on) of a service's pom.xml; a
    BOM's managed versions (dependencyManagement) and test-scoped dependencies are no code it runs."""
    text = _read(Path(root) / (service.path if service.path != "." else "") / "pom.xml")
    if not text:
        return None, []
    text = _XML_COMMENT.sub("", text)
    own = _POM_ARTIFACT.search(_POM_PARENT.sub("", text, count=1))
    text = _POM_MANAGED.sub("", text)
    deps = [m.group(1) for block in _POM_DEPENDENCY.findall(text)
            if (m := _POM_ARTIFACT.search(block)) and not _POM_TEST_SCOPE.search(block)]
    return (own.group(1) if own else None), deps


_PEP508_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_REQ_PATH = re.compile(r"^\s*(?:-e\s+|--editable\s+)?(?:[A-Za-z0-9._-]+\s*@\s*)?(?:file:(?://)?)?(\.{1,2}/[^\s;#]*|/[^\s;#]+)")
_GO_MODULE = re.compile(r"^\s*module\s+(\S+)", re.M)
_GO_REQUIRE = re.compile(r"^\s*(?:require\s+)?([\w.\-]+(?:/[\w.\-~]+)+)\s+v[\w.\-+]+", re.M)
_GO_REPLACE = re.compile(r"^\s*(?:replace\s+)?[\w.\-/]+(?:\s+v\S+)?\s*=>\s*(\.{1,2}/\S*)", re.M)
_GEM_PATH = re.compile(r"""^\s*gem\s+["'][^"']+["'][^\n#]*?\bpath:\s*["']([^"']+)["']""", re.M)


def _norm_name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _package(root: Path, service: Service) -> tuple[dict[str, str], list[str], list[str]]:
    """(own names by ecosystem, dependency names, local paths it depends on) of a service's
    package.json / pyproject.toml / requirements.txt / go.mod / Gemfile."""
    base = Path(root) / (service.path if service.path != "." else "")
    rel = "" if service.path == "." else service.path
    own: dict[str, str] = {}
    deps: list[str] = []
    paths: list[str] = []
    text = _read(base / "package.json")
    if text:
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        if isinstance(data, dict):
            if isinstance(data.get("name"), str):
                own["npm"] = data["name"]
            for section in ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies"):
                block = data.get(section)
                if isinstance(block, dict):
                    deps += [f"npm:{k}" for k in block if isinstance(k, str)]
                    paths += [v[5:] for v in block.values() if isinstance(v, str) and v.startswith(("file:", "link:"))
                              and v[5:].startswith(".")]
    text = _read(base / "pyproject.toml")
    if text:
        try:
            data = tomllib.loads(text)
        except (tomllib.TOMLDecodeError, ValueError):
            data = {}
        project = data.get("project") if isinstance(data.get("project"), dict) else {}
        poetry = data.get("tool", {}).get("poetry", {}) if isinstance(data.get("tool"), dict) else {}
        name = project.get("name") or (poetry.get("name") if isinstance(poetry, dict) else None)
        if isinstance(name, str):
            own["py"] = _norm_name(name)
        for spec in project.get("dependencies") or []:
            if isinstance(spec, str) and (m := _PEP508_NAME.match(spec)):
                deps.append("py:" + _norm_name(m.group(1)))
        for group in (project.get("optional-dependencies") or {}).values() if isinstance(
                project.get("optional-dependencies"), dict) else ():
            deps += ["py:" + _norm_name(m.group(1)) for s in group if isinstance(s, str) and (m := _PEP508_NAME.match(s))]
        if isinstance(poetry, dict):
            for key in ("dependencies", "dev-dependencies"):
                block = poetry.get(key)
                if isinstance(block, dict):
                    for k, v in block.items():
                        deps.append("py:" + _norm_name(str(k)))
                        if isinstance(v, dict) and isinstance(v.get("path"), str):
                            paths.append(v["path"])
    for req in ("requirements.txt", "requirements.in"):
        for line in _read(base / req).splitlines():
            line = line.split("#", 1)[0].strip()
            if not line or line.startswith(("-r", "-c", "--")) and not line.startswith("--editable"):
                continue
            if (m := _REQ_PATH.match(line)):
                paths.append(m.group(1))
            elif (m := _PEP508_NAME.match(line)):
                deps.append("py:" + _norm_name(m.group(1)))
    text = _read(base / "go.mod")
    if text:
        if (m := _GO_MODULE.search(text)):
            own["go"] = m.group(1)
        deps += [f"go:{d}" for d in _GO_REQUIRE.findall(text)]
        paths += _GO_REPLACE.findall(text)
    paths += _GEM_PATH.findall(_read(base / "Gemfile"))
    joined = [posixpath.normpath(posixpath.join(rel, p)) for p in paths if not p.startswith("/")]
    return own, deps, [j if j not in ("", ".") else "." for j in joined]


def project_links(root: Path, services: Iterable[Service]) -> dict[str, tuple[str, ...]]:
    """Service name -> the names of the services it references, transitively, nearest first."""
    services = list(services)
    by_path = {s.path: s.name for s in services}
    direct: dict[str, list[str]] = {}
    gradle_cache: dict = {}
    poms = {s.name: _pom(root, s) for s in services}
    by_artifact: dict[str, list[str]] = {}
    for name, (artifact, _) in poms.items():
        if artifact:
            by_artifact.setdefault(artifact, []).append(name)
    packages = {s.name: _package(root, s) for s in services}
    by_package: dict[str, list[str]] = {}
    for name, (own, _, _) in packages.items():
        for ecosystem, package in own.items():
            by_package.setdefault(f"{ecosystem}:{package}", []).append(name)
    for service in services:
        refs = _csproj_refs(root, service) + _gradle_refs(root, service, gradle_cache, set(by_path))
        names = []
        own, deps, paths = packages[service.name]
        for dep in deps:
            owners = by_package.get(dep, [])
            if len(owners) == 1 and owners[0] != service.name and owners[0] not in names:
                names.append(owners[0])  # a workspace package / project / module of the same scan
        refs += paths
        for artifact in poms[service.name][1]:
            owners = by_artifact.get(artifact, [])
            if len(owners) == 1 and owners[0] != service.name and owners[0] not in names:
                names.append(owners[0])  # a Maven module of the same build
        for ref in refs:
            name = by_path.get(ref)
            if name and name != service.name and name not in names:
                names.append(name)
        if names:
            direct[service.name] = names
    out: dict[str, tuple[str, ...]] = {}
    for name in direct:
        seen: list[str] = []
        queue = list(direct[name])
        while queue:
            other = queue.pop(0)
            if other == name or other in seen:
                continue
            seen.append(other)
            queue.extend(direct.get(other, ()))
        out[name] = tuple(seen)
    return out
