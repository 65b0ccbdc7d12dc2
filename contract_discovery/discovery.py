"""Finding the files to read and the services they belong to.

The walk honours ``.gitignore`` files (nested ones too), the config's ``exclude``
patterns and a list of directories nobody wants scanned (``node_modules``,
``.venv``, ``vendor``...). It never follows symlinked directories, so loops and
links out of the tree cannot trap it; an unreadable directory becomes an
``errors`` entry and the walk goes on. Test code is left out unless asked for.
"""

from __future__ import annotations

import fnmatch
import os
import re
import stat
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import yaml

from contract_discovery.config import Config
from contract_discovery.model import ErrorEntry, Service

SKIP_DIRS = frozenset({
    ".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".nox",
    ".mypy_cache", ".pytest_cache", ".ruff_cache", "site-packages", "vendor", "third_party",
    ".terraform", ".contract-discovery-cache", "bower_components", ".gradle", ".idea", ".next",
    ".nuxt", "target", "bin", "obj", ".bundle", ".hypothesis", ".eggs",
    # build output, as semgrep's default ignores have it
    "dist", "build", "coverage", ".serverless", ".aws-sam", ".svelte-kit", ".turbo",
})

# Build-output names that are also legal package names: below a JVM source root
# (``src/main/java/com/acme/build``) such a folder is a package, not output.
_OUTPUT_NAMES = frozenset({"dist", "build", "target", "bin", "obj", "coverage"})
_JVM_SOURCE_LANGS = frozenset({"java", "kotlin", "scala", "groovy"})


def _in_jvm_sources(rel_dir: str) -> bool:
    parts = rel_dir.split("/")
    if "src" not in parts:
        return False
    below = parts[parts.index("src") + 1:]
    return any(p in _JVM_SOURCE_LANGS for p in below[:2])


_TS_SOURCE = (".ts", ".tsx", ".mts", ".cts")


def _jvm_module_r20(path: str) -> bool:
    """Round 20 (java, ab2d): a folder named like build output that is a Maven or Gradle module of its own (its build
    file beside a ``src`` folder, or a ``src/main/java`` tree: CMS AB2D's ``coverage/pom.xml`` + ``coverage/src/main/java``),
    not a coverage report or build output (those never hold a build file or a source tree of their own)."""
    try:
        with os.scandir(path) as entries:
            names = {e.name for e in entries}
    except OSError:
        return False
    return "src" in names and (bool(names & {"pom.xml", "build.gradle", "build.gradle.kts"})
                               or any(os.path.isdir(os.path.join(path, "src", "main", lang)) for lang in ("java", "kotlin")))


def _holds_typescript(path: str) -> bool:
    """Whether a folder named like build output holds TypeScript sources (compilers emit .js and
    .d.ts, never .ts): a route or command group named ``build`` (``src/build/credentials.ts``)."""
    try:
        with os.scandir(path) as entries:
            return any(e.name.endswith(_TS_SOURCE) and not e.name.endswith((".d.ts", ".d.mts", ".d.cts"))
                       for e in entries if e.is_file(follow_symlinks=False))
    except OSError:
        return False


def _holds_terraform(path: str) -> bool:
    """Whether a folder holds Terraform configuration itself (`terraform/test/main.tf`: an
    environment named test, beside production/ and staging/)."""
    try:
        with os.scandir(path) as entries:
            return any(e.name.endswith(".tf") for e in entries if e.is_file(follow_symlinks=False))
    except OSError:
        return False


def _go_e2e_package_imported_r15(root: str, rel: str) -> bool:
    """Round 15 (go, kminion): a Go package in a folder named e2e that the module's own code imports
    (`import "github.com/cloudhut/kminion/v2/e2e"` in main.go) is the service's end-to-end prober,
    built into its binary, not tests (an e2e suite's helpers are imported by _test.go files only)."""
    try:
        with os.scandir(os.path.join(root, rel)) as entries:
            if not any(e.name.endswith(".go") and not e.name.endswith("_test.go") for e in entries):
                return False
    except OSError:
        return False
    parts = rel.split("/")
    for i in range(len(parts) - 1, -1, -1):
        mod_dir = os.path.join(root, *parts[:i])
        try:
            with open(os.path.join(mod_dir, "go.mod"), encoding="utf-8", errors="replace") as handle:
                m = re.search(r"^module\s+(\S+)", handle.read(4096), re.MULTILINE)
        except OSError:
            continue
        if m is None:
            return False
        needle = ('"' + "/".join((m.group(1).strip('"'), *parts[i:])) + '"').encode()
        seen = 0
        for dirpath, dirnames, filenames in os.walk(mod_dir):
            dirnames[:] = [d for d in dirnames if d not in SKIP_DIRS and d not in TEST_DIRS and not d.startswith(".")]
            for name in filenames:
                if not name.endswith(".go") or name.endswith("_test.go"):
                    continue
                seen += 1
                if seen > 5000:
                    return False
                try:
                    with open(os.path.join(dirpath, name), "rb") as handle:
                        if needle in handle.read(16384):
                            return True
                except OSError:
                    continue
        return False
    return False


_SOURCE_SUFFIXES_JS2 = (".ts", ".js", ".mjs", ".cjs", ".tsx", ".jsx", ".sol", ".go", ".py", ".java", ".kt", ".cs", ".rb")


def _holds_source_only_js2(path: str) -> bool:
    """A `contracts/` folder of code, no contract file (round 14: a NestJS app's `src/modules/contracts`,
    a Solidity project's `contracts/*.sol`): a module of its service, not the marker of a service of its
    own. A folder holding a `.yaml`/`.yml` (the tool's contract files) or nothing of either stays one."""
    source = False
    folders = [(path, 0)]
    while folders:  # two levels down (`contracts/decoders/x.helper.ts`), no further
        folder, depth = folders.pop()
        try:
            with os.scandir(folder) as entries:
                listed = [(e.name, e.is_dir(follow_symlinks=False)) for e in entries]
        except OSError:
            continue
        for name, is_dir in listed:
            if name.endswith((".yaml", ".yml")):
                return False
            source = source or (not is_dir and name.endswith(_SOURCE_SUFFIXES_JS2))
            if is_dir and depth < 2:
                folders.append((os.path.join(folder, name), depth + 1))
    return source


_API_SPEC_NAMES = ("spec", "specs")
_API_SPEC_FILES = (".yaml", ".yml", ".json")
_API_SPEC_HEAD = re.compile(rb"""^\s*\{?\s*["']?(?:openapi|swagger)["']?\s*:""", re.MULTILINE)


def _holds_api_specs(path: str) -> bool:
    """Round 10: whether a folder named spec/specs holds OpenAPI documents (an API's specification,
    `src/specs/api.yaml` that a template AWS::Include's), not tests: no subfolder, only YAML / JSON
    (and Markdown) files, one of them an OpenAPI or Swagger document."""
    try:
        with os.scandir(path) as entries:
            listed = list(entries)
    except OSError:
        return False
    if not listed or any(e.is_dir(follow_symlinks=False) for e in listed):
        return False
    files = [e for e in listed if e.is_file(follow_symlinks=False)]
    if any(not e.name.endswith((*_API_SPEC_FILES, ".md")) for e in files):
        return False
    for e in files[:20]:
        if e.name.endswith(_API_SPEC_FILES):
            try:
                with open(e.path, "rb") as fh:
                    if _API_SPEC_HEAD.search(fh.read(4096)):
                        return True
            except OSError:
                continue
    return False


def _in_helm_templates(root: str, rel_dir: str) -> bool:
    """Whether ``rel_dir`` is (below) a Helm chart's ``templates/`` folder (beside a Chart.yaml or a
    values.yaml): all of it is rendered and deployed, a ``vendor/`` folder included (charts keep
    shared partials there)."""
    parts = rel_dir.split("/") if rel_dir else []
    for i in range(len(parts) - 1, -1, -1):
        if parts[i] == "templates":
            chart = os.path.join(root, *parts[:i])
            return any(os.path.isfile(os.path.join(chart, name)) for name in ("Chart.yaml", "values.yaml"))
    return False


TEST_DIRS = frozenset({"tests", "test", "__tests__", "spec", "specs", "testdata", "test_helpers", "e2e"})
_TEST_FILE = re.compile(
    r"(^test_.*\.py$|.*_test\.py$|^conftest\.py$|.*_test\.go$|.*\.(test|spec)\.[cm]?[jt]sx?$"
    r"|.*(Test|Tests|IT)\.(java|kt|cs)$|.*_spec\.rb$|.*_test\.rb$)"
)

MANIFESTS = ("pyproject.toml", "setup.py", "requirements.txt", "Pipfile", "package.json", "go.mod", "pom.xml",
             "build.gradle", "build.gradle.kts", "Gemfile", "catalog-info.yaml", "serverless.yml", "serverless.yaml")
# Folder names that say where code sits, not which service it is: named after the folder above.
_GENERIC_DIRS = frozenset({"src", "source", "app", "server", "service", "main", "backend", "code", "project"})
# Folders whose manifest describes tooling, not a service.
_NOT_SERVICES = frozenset({"docs", "doc", "scripts", "tools", "examples", "benchmarks"})


def _setup_script(path: str) -> bool:
    """Whether a ``setup.py`` is a packaging script (setuptools/distutils), not a module that happens
    to be named so (a Django app's ``views/setup.py``)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(65536)
    except OSError:
        return False
    return b"setup(" in head and (b"setuptools" in head or b"distutils" in head)


def is_test_path(relpath: str) -> bool:
    parts = relpath.split("/")
    if len(parts) >= 3 and parts[-2] == "test" and parts[-1].endswith((".tf", ".tfvars")) and \
            not any(p in TEST_DIRS for p in parts[:-2]):
        # `terraform/test/main.tf` beside `terraform/production/`: an environment named test, not a
        # test (a Terratest fixture sits deeper: `test/fixtures/main.tf`; native tests are .tftest.hcl)
        return False
    if len(parts) >= 2 and parts[-2] in _API_SPEC_NAMES and parts[-1].endswith(_API_SPEC_FILES) and \
            not any(p in TEST_DIRS for p in parts[:-2]):
        # round 10: an API specification folder's documents (the walk enters such a folder only when
        # it holds OpenAPI documents and nothing else, _holds_api_specs)
        return False
    if any(p in TEST_DIRS for p in parts[:-1]):
        return True
    if len(parts) >= 3 and parts[-3:-1] == ["management", "commands"]:
        return False  # a Django command (`manage.py test_email`) named like a test module is code
    return bool(_TEST_FILE.match(parts[-1]))


# --- .gitignore ---------------------------------------------------------------------------

@dataclass(frozen=True)
class _IgnoreRule:
    regex: re.Pattern[str]
    negated: bool
    dir_only: bool


def _translate_glob(pattern: str) -> str:
    """Translate a gitignore glob (``**``, ``*``, ``?``, ``[...]``) to a regex body."""
    out, i, n = [], 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "*":
            if pattern[i:i + 3] == "**/":
                out.append("(?:.*/)?")
                i += 3
                continue
            if pattern[i:i + 2] == "**":
                out.append(".*")
                i += 2
                continue
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            j = pattern.find("]", i + 1)
            if j == -1:
                out.append(re.escape(c))
            else:
                body = pattern[i + 1:j].replace("\\", "\\\\")
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                i = j
        elif c == "\\" and i + 1 < n:
            i += 1
            out.append(re.escape(pattern[i]))
        else:
            out.append(re.escape(c))
        i += 1
    return "".join(out)


def parse_ignore_lines(lines: Iterable[str]) -> list[_IgnoreRule]:
    rules = []
    for raw in lines:
        line = raw.rstrip("\n").rstrip("\r")
        if not line.strip() or line.startswith("#"):
            continue
        line = line.rstrip(" ") if not line.endswith("\\ ") else line
        negated = line.startswith("!")
        if negated:
            line = line[1:]
        dir_only = line.endswith("/")
        line = line.rstrip("/")
        if not line:
            continue
        anchored = "/" in line
        line = line.lstrip("/")
        body = _translate_glob(line)
        regex = re.compile(("^" if anchored else r"^(?:.*/)?") + body + r"(?:/.*)?$")
        rules.append(_IgnoreRule(regex, negated, dir_only))
    return rules


class IgnoreMatcher:
    """Stacked gitignore rules: each directory's rules apply to paths relative to it."""

    def __init__(self, extra_patterns: Iterable[str] = ()):
        self._layers: list[tuple[str, list[_IgnoreRule]]] = []
        extra = list(extra_patterns)
        if extra:
            self._layers.append(("", parse_ignore_lines(extra)))

    def push(self, base: str, rules: list[_IgnoreRule]) -> None:
        self._layers.append((base, rules))

    def layers_for(self, relpath: str) -> list[tuple[str, list[_IgnoreRule]]]:
        return [(b, r) for b, r in self._layers if not b or relpath == b or relpath.startswith(b + "/")]

    def ignored(self, relpath: str, is_dir: bool) -> bool:
        # The walk never enters an ignored directory, so a directory-only rule ("build/") can
        # only matter for directories: files below one are never seen.
        verdict = False
        for base, rules in self._layers:
            if base and not (relpath == base or relpath.startswith(base + "/")):
                continue
            sub = relpath[len(base) + 1:] if base else relpath
            for rule in rules:
                if rule.dir_only and not is_dir:
                    continue
                if rule.negated != verdict:
                    continue  # cannot change the verdict: skip the match
                if rule.regex.match(sub):
                    verdict = not rule.negated
        return verdict


# --- the walk -------------------------------------------------------------------------------

@dataclass(frozen=True)
class WalkResult:
    files: tuple[str, ...]  # root-relative, "/"-separated, sorted
    errors: tuple[ErrorEntry, ...]
    manifest_dirs: dict[str, tuple[str, ...]]  # dir -> manifest names found there
    contract_dirs: tuple[str, ...]  # dirs that have a contracts/ folder


def _stat_key(path: str) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size, st.st_ino


# A directory changed this close to when it was listed may change again without its mtime
# moving (coarse file-system clocks): such memo entries are listed again.
_RACY_NS = 2_000_000_000


def walk(root: Path, config: Config, include_tests: bool = False, wanted=None, memo: dict | None = None,
         on_many: tuple[int, Callable[[], None]] | None = None) -> WalkResult:
    """Walk ``root``; ``wanted(relpath) -> bool`` says which files an extractor claims.

    ``memo`` (kept by a resident daemon, for one root and one set of walk options): what each
    directory gave last time, reused while the directory's mtime, its .gitignore and the
    ignore files above it are unchanged. A file's content changing never changes the listing.
    ``on_many`` (count, callback): called once, as soon as that many files are found."""
    root = Path(root)
    matcher = IgnoreMatcher(config.exclude)
    files: list[str] = []
    errors: list[ErrorEntry] = []
    manifests: dict[str, tuple[str, ...]] = {}
    contract_dirs: list[str] = []
    include_tests = include_tests or config.include_tests
    root_real = os.path.realpath(root)
    kept_e2e_r15: list[str] = []  # Go e2e packages the service's own code imports (read as code)

    stack: list[tuple[str, tuple]] = [("", ())]  # (directory, the ignore files above it)
    now_ns = time.time_ns()
    while stack:
        if on_many is not None and len(files) >= on_many[0]:
            on_many[1]()
            on_many = None
        rel_dir, above = stack.pop()
        abs_dir = os.path.join(root, rel_dir) if rel_dir else str(root)
        gitignore = os.path.join(abs_dir, ".gitignore")
        memo_key = None
        if memo is not None:
            dir_key = _stat_key(abs_dir)
            if dir_key is not None:
                memo_key = (dir_key, _stat_key(gitignore), above)
                known = memo.get(rel_dir)
                if known is not None and known[0] == memo_key and dir_key[0] < known[1] - _RACY_NS:
                    _, _, rules, d_files, d_subdirs, d_manifests, d_contracts, d_errors = known
                    if rules is not None:
                        matcher.push(rel_dir, rules)
                    files.extend(d_files)
                    errors.extend(d_errors)
                    if d_manifests:
                        manifests[rel_dir or "."] = d_manifests
                    if d_contracts:
                        contract_dirs.append(rel_dir or ".")
                    below = above + ((rel_dir, memo_key[1]),) if rules is not None else above
                    stack.extend((d, below) for d in reversed(d_subdirs))
                    continue
        first_file, first_error = len(files), len(errors)
        has_contracts = False
        try:
            entries = sorted(os.scandir(abs_dir), key=lambda e: e.name)
        except OSError as exc:
            errors.append(ErrorEntry(rel_dir or ".", "unreadable", f"cannot list directory: {exc.strerror or exc}"))
            continue
        names = {e.name for e in entries}
        rules = None
        if ".gitignore" in names:
            try:
                with open(gitignore, encoding="utf-8", errors="replace") as handle:
                    rules = parse_ignore_lines(handle)
                matcher.push(rel_dir, rules)
            except OSError:
                rules = None
        found_manifests = tuple(n for n in MANIFESTS if n in names and (
            n != "setup.py" or _setup_script(os.path.join(abs_dir, n)))) + tuple(
            n for n in sorted(names) if n.endswith(".csproj"))
        if found_manifests:
            manifests[rel_dir or "."] = found_manifests
        subdirs = []
        for entry in entries:
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            try:
                is_link = entry.is_symlink()
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError as exc:
                errors.append(ErrorEntry(rel, "unreadable", str(exc)))
                continue
            if is_link:
                target = os.path.realpath(os.path.join(abs_dir, entry.name))
                inside = target == root_real or target.startswith(root_real + os.sep)
                if os.path.isdir(target):
                    # Directories behind links are never followed: loops and escapes are impossible.
                    if not inside:
                        errors.append(ErrorEntry(rel, "symlink", "symlink to a directory outside the root: not followed"))
                    continue
                if not inside:
                    if wanted is None or wanted(rel):
                        errors.append(ErrorEntry(rel, "symlink", "symlink to a file outside the root: not followed"))
                    continue
                if not os.path.exists(target):
                    continue
            if is_dir:
                if entry.name in SKIP_DIRS and not (entry.name == "node_modules" and "package.json" not in names) \
                        and not (entry.name in _OUTPUT_NAMES and (_in_jvm_sources(rel_dir)
                                                                  or _holds_typescript(entry.path)
                                                                  or _jvm_module_r20(entry.path))) \
                        and not (entry.name == "vendor" and _in_helm_templates(str(root), rel_dir)) \
                        and not (entry.name == "bin" and "package.json" in names):
                    # An installed node_modules sits beside its package.json; one without (node-red
                    # keeps its own packages in packages/node_modules) is the project's source. A
                    # Java package named build is source too, and a Helm chart's templates/vendor
                    # is rendered like the rest of its templates. A Node package's bin/ holds its
                    # command-line scripts (source), not build output.
                    continue
                if entry.name in ("lib", "libs") and rel_dir.rsplit("/", 1)[-1] == "wwwroot":
                    continue  # an ASP.NET app's bundled client libraries (libman, bower): not its code
                if entry.name == "contracts" and not _holds_source_only_js2(entry.path):
                    contract_dirs.append(rel_dir or ".")
                    has_contracts = True
                if not include_tests and entry.name in TEST_DIRS and not (
                        entry.name == "test" and not any(p in TEST_DIRS for p in rel_dir.split("/"))
                        and _holds_terraform(entry.path)) and not (
                        entry.name in _API_SPEC_NAMES and not any(p in TEST_DIRS for p in rel_dir.split("/"))
                        and _holds_api_specs(entry.path)) and not (
                        entry.name == "e2e" and not any(p in TEST_DIRS for p in rel_dir.split("/"))
                        and _go_e2e_package_imported_r15(str(root), rel) and not kept_e2e_r15.append(rel)):
                    continue  # (a Terraform environment named test is read: its other files stay tests;
                    # round 10: so is a specs/ folder of OpenAPI documents)
                if matcher.ignored(rel, True):
                    continue
                subdirs.append(rel)
                continue
            if wanted is not None and not wanted(rel):
                continue
            if not include_tests and is_test_path(rel) and not (
                    kept_e2e_r15 and not _TEST_FILE.match(entry.name) and any(
                        rel.startswith(k + "/") and not any(p in TEST_DIRS for p in rel[len(k) + 1:].split("/")[:-1])
                        for k in kept_e2e_r15)):
                continue  # (round 15: a Go e2e package the service imports is read, its _test.go files not)
            if matcher.ignored(rel, False):
                continue
            files.append(rel)
        below = above + ((rel_dir, memo_key[1] if memo_key else None),) if rules is not None else above
        stack.extend((d, below) for d in reversed(subdirs))
        if memo_key is not None:
            memo[rel_dir] = (memo_key, now_ns, rules, tuple(files[first_file:]), tuple(subdirs), found_manifests,
                             has_contracts, tuple(errors[first_error:]))
    files.sort()
    return WalkResult(tuple(files), tuple(errors), manifests, tuple(sorted(contract_dirs)))


# --- services -------------------------------------------------------------------------------

def _name_from_contracts(root: Path, rel_dir: str) -> str | None:
    folder = root / rel_dir / "contracts" if rel_dir != "." else root / "contracts"
    try:
        files = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml"))
    except OSError:
        return None
    for path in files:
        if path.name.startswith("decisions"):
            continue
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                head = handle.read(4096)
        except OSError:
            continue
        m = re.search(r"^service:\s*['\"]?([A-Za-z0-9_.\-]+)", head, re.MULTILINE)
        if m:
            return m.group(1)
    return None


def _name_from_catalog(root: Path, rel_dir: str) -> str | None:
    path = root / rel_dir / "catalog-info.yaml"
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read(65536)
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        for doc in yaml.load_all(text, Loader=loader):  # noqa: S506 - safe loader
            if isinstance(doc, dict) and isinstance(doc.get("metadata"), dict):
                name = doc["metadata"].get("name")
                if isinstance(name, str):
                    return name
    except (OSError, yaml.YAMLError):
        return None
    return None


# Folders beside a service's code that hold its infrastructure (round 20, polyglot17: a Lambda's
# functions/notify/src/requirements.txt beside functions/notify/terraform/main.tf).
_INFRA_SIBLINGS = ("terraform", "infra", "infrastructure", "iac", "tf", "deploy", "deployment")


def _lift_to_infra_parent(root: Path, rel_dir: str, dirs: set[str]) -> str:
    """A service found at a generic code folder (`src`, `app`, ...) whose parent holds nothing else that is
    a service but a Terraform folder beside the code is the parent: its code and its infrastructure are one
    service (`functions/notify/src` + `functions/notify/terraform` -> `functions/notify`)."""
    if "/" not in rel_dir or rel_dir.rsplit("/", 1)[-1].lower() not in _GENERIC_DIRS:
        return rel_dir
    parent = rel_dir.rsplit("/", 1)[0]
    if parent in dirs or any(d != rel_dir and d.startswith(parent + "/") for d in dirs):
        return rel_dir
    for name in _INFRA_SIBLINGS:
        if _holds_terraform(os.path.join(str(root), parent, name)):
            return parent
    if _holds_function_template(os.path.join(str(root), parent)):
        return parent  # (round 21) `functions/receipts/template.yaml` (SAM) with its code in `src/`
    return rel_dir


_TEMPLATE_NAMES = ("template.yaml", "template.yml", "serverless.yml", "serverless.yaml")


def _holds_function_template(path: str) -> bool:
    """Whether a folder holds an SAM/CloudFormation template or a Serverless Framework file describing a
    function (whose `CodeUri: src/` is the code folder beside it)."""
    for name in _TEMPLATE_NAMES:
        try:
            with open(os.path.join(path, name), "rb") as handle:
                head = handle.read(65536)
        except OSError:
            continue
        if b"AWS::Serverless::Function" in head or b"AWS::Lambda::Function" in head or \
                name.startswith("serverless") and b"functions:" in head:
            return True
    return False


def discover_services(root: Path, config: Config, walk_result: WalkResult) -> list[Service]:
    """A service is a folder with contracts/, a manifest or a catalog-info.yaml; an explicit list in
    the config wins. Named by its contracts' ``service:``, its catalog name, or its folder."""
    root = Path(root)
    if config.services:
        return [Service(name=s.name, path=s.path, origin="config") for s in config.services]
    dirs = {d for d in walk_result.manifest_dirs if d.rsplit("/", 1)[-1] not in _NOT_SERVICES or d == "."}
    dirs |= set(walk_result.contract_dirs)
    dirs = {_lift_to_infra_parent(root, d, dirs) for d in dirs}
    services: list[Service] = []
    seen_names: set[str] = set()
    for rel_dir in sorted(dirs):
        name = _name_from_contracts(root, rel_dir)
        origin = "contracts" if name else "manifest"
        if not name and "catalog-info.yaml" in walk_result.manifest_dirs.get(rel_dir, ()):
            name, origin = _name_from_catalog(root, rel_dir), "catalog"
        if not name:
            parts = root.resolve().name if rel_dir == "." else rel_dir.split("/")
            if isinstance(parts, str):
                name = parts
            else:
                # "src/cart/src/cart.csproj" is the cart service, not "src"
                while len(parts) > 1 and parts[-1].lower() in _GENERIC_DIRS:
                    parts = parts[:-1]
                name = parts[-1]
        if name in seen_names:
            name = rel_dir.replace("/", "-")
        seen_names.add(name)
        services.append(Service(name=name, path=rel_dir, origin=origin))
    return services


class ServiceLocator:
    """The deepest service folder containing a path, in O(depth) per lookup."""

    def __init__(self, services: Iterable[Service]):
        self.by_path: dict[str, Service] = {}
        for service in services:
            self.by_path.setdefault(service.path if service.path not in ("", ".") else ".", service)
        self._dirs: dict[str, Service | None] = {}

    def owner(self, relpath: str) -> Service | None:
        folder = relpath.rsplit("/", 1)[0] if "/" in relpath else ""
        found = self._dirs.get(folder, False)
        if found is not False:
            return found  # type: ignore[return-value]
        probe = relpath
        result = None
        while True:
            if probe in self.by_path:
                result = self.by_path[probe]
                break
            if "/" not in probe:
                result = self.by_path.get(".")
                break
            probe = probe.rsplit("/", 1)[0]
        if probe != relpath:
            self._dirs[folder] = result
        return result


def owner_of(relpath: str, services: list[Service]) -> Service | None:
    """The deepest service whose folder contains ``relpath``."""
    best: Service | None = None
    best_depth = -1
    for service in services:
        if service.path == ".":
            depth = 0
        elif relpath == service.path or relpath.startswith(service.path + "/"):
            depth = service.path.count("/") + 1
        else:
            continue
        if depth > best_depth:
            best, best_depth = service, depth
    return best


def read_limited(path: Path, max_size: int) -> bytes | ErrorEntry:
    """Read a file's bytes, or say why not (too large, unreadable, not a regular file)."""
    try:
        st = os.stat(path)
    except OSError as exc:
        return ErrorEntry(str(path), "unreadable", exc.strerror or str(exc))
    if not stat.S_ISREG(st.st_mode):
        return ErrorEntry(str(path), "unreadable", "not a regular file")
    if st.st_size > max_size:
        return ErrorEntry(str(path), "too_large",
                          f"{st.st_size} bytes is over the {max_size}-byte limit (max_file_size): skipped")
    try:
        with open(path, "rb") as handle:
            return handle.read(max_size + 1)
    except OSError as exc:
        return ErrorEntry(str(path), "unreadable", exc.strerror or str(exc))


_GENERATED_WORDS = (b"@generated", b"do not edit", b"auto-generated by", b"autogenerated by")
# `@generated` as a word (a javadoc tag, `@Generated("protoc")`), never JPA's `@GeneratedValue` (round 21: entities
# were skipped as generated files)
_GENERATED = re.compile(rb"@generated(?![a-z0-9_])|code generated .* do not edit|do not edit[.!]|auto-generated by|"
                        rb"autogenerated by")


def classify_bytes(relpath: str, data: bytes) -> tuple[bytes | None, ErrorEntry | None]:
    """Decide whether bytes are worth parsing: binaries, generated and minified files are skipped.
    UTF-16 text (with a BOM) is transcoded to UTF-8."""
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16").encode("utf-8"), None
        except UnicodeDecodeError:
            return None, ErrorEntry(relpath, "decode_error", "UTF-16 byte-order mark but undecodable text: skipped")
    if b"\x00" in head:
        return None, ErrorEntry(relpath, "binary", "binary content (NUL bytes): skipped")
    head_lower = data[:2048].lower()
    if any(word in head_lower for word in _GENERATED_WORDS) and _GENERATED.search(head_lower):
        return None, ErrorEntry(relpath, "generated", "generated file (marked @generated / DO NOT EDIT): skipped")
    if len(data) > 200_000 and relpath.endswith((".js", ".mjs", ".cjs")):
        lines = data.count(b"\n") + 1
        if len(data) / lines > 1000:
            return None, ErrorEntry(relpath, "generated", "minified bundle (very long lines): skipped")
    return data, None


def matches_any(relpath: str, patterns: Iterable[str]) -> bool:
    return any(fnmatch.fnmatch(relpath, p) for p in patterns)
