"""Finds the extractors: the ``contract_discovery.extractors`` entry-point group, one line per
language, so a third party can ship an extractor as its own package."""

from __future__ import annotations

import sys
from functools import lru_cache
from importlib import metadata

GROUP = "contract_discovery.extractors"

# Used when the package metadata is not installed (running from a source tree).
_BUILTIN = {
    "python": "extractors.python.extractor:EXTRACTOR",
    "javascript": "extractors.javascript.extractor:EXTRACTOR",
    "go": "extractors.go.extractor:EXTRACTOR",
    "java": "extractors.java.extractor:EXTRACTOR",
    "kotlin": "extractors.kotlin.extractor:EXTRACTOR",
    "ruby": "extractors.ruby.extractor:EXTRACTOR",
    "csharp": "extractors.csharp.extractor:EXTRACTOR",
    "terraform": "extractors.terraform.extractor:EXTRACTOR",
    "kubernetes": "extractors.kubernetes.extractor:EXTRACTOR",
    "spring": "extractors.spring.extractor:EXTRACTOR",
    "tfvars": "extractors.tfvars.extractor:EXTRACTOR",
    "deployenv": "extractors.deployenv.extractor:EXTRACTOR",
    "railsconfig": "extractors.ruby.rails_yaml:EXTRACTOR",
    "nodeconfig": "extractors.nodeconfig.extractor:EXTRACTOR",
    "appsettings": "extractors.appsettings.extractor:EXTRACTOR",
    "cloudformation": "extractors.cloudformation.extractor:EXTRACTOR",
    "goconfig": "extractors.goconfig.extractor:EXTRACTOR",
    "ckanconfig": "extractors.ckanconfig.extractor:EXTRACTOR",
}


# Which file names each built-in extractor could possibly claim (a superset of its claims()):
# a file matching none of these never costs the import of that extractor, so a warm scan of a
# Python repository loads only what it needs. tests/core/test_registry.py keeps this honest.
_BUILTIN_HINTS: dict[str, tuple[str, ...]] = {
    "python": (".py", ".pyi"),
    "javascript": (".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx"),
    "go": (".go",),
    "java": (".java",),
    "kotlin": (".kt", ".kts"),
    "ruby": (".rb", ".rake", "Gemfile"),
    "csharp": (".cs",),
    "terraform": (".tf", ".hcl"),  # .hcl: Terragrunt (round 15)
    "kubernetes": (".yaml", ".yml", ".tmpl", ".j2", ".cfg", ".conf", ".template"),  # a proxy's config: envoy.yaml.tmpl, cds.tmpl, haproxy.cfg, nginx.conf(.template) (round 13)
    "spring": (".yml", ".yaml", ".properties", ".conf"),  # .conf: a HOCON application.conf (round 12)
    "tfvars": (".tfvars",),
    # .env, .env.<stage>, docker-compose*.yml: claims() tells them apart by the whole name
    "deployenv": (".env", ".yml", ".yaml", ".example", ".sample", ".template", ".dist", ".tpl", ".local",
                  ".defaults", ".development", ".dev", ".production", ".prod", ".staging", ".test", ".docker"),
    # config/<name>.yml of a Rails app (and application.yml.default/.example/.sample): claims() looks at the folder
    "railsconfig": (".yml", ".yaml", ".default", ".example", ".sample"),
    "nodeconfig": (".json", ".yml", ".yaml"),  # config/default.json of the node-config package
    "appsettings": (".json",),  # appsettings.json of an ASP.NET Core service
    "cloudformation": (".yaml", ".yml", ".json", ".tftpl", ".tpl", ".tmpl"),  # template.yaml, serverless.yml, cfn/*.yaml, sfn.json.tpl
    "goconfig": (".yaml", ".yml", ".json", ".toml"),  # config.yaml a Go service loads into its config struct
    "ckanconfig": (".yaml", ".yml", ".json"),  # config_declaration.yaml of CKAN and its extensions (round 12)
}


# Built-ins whose claims() is exactly "the name ends with one of the hints": they can answer
# without being imported at all (a warm scan of unchanged files imports no extractor).
_EXACT_HINTS = frozenset({"python", "javascript", "go", "java", "ruby", "csharp", "terraform", "kubernetes", "tfvars"})


class LazyExtractor:
    """Stands for a built-in extractor until a file it may claim shows up."""

    def __init__(self, name: str, spec: str, hints: tuple[str, ...], exact: bool = False):
        self.name = name
        self._spec = spec
        self._hints = hints
        self._exact = exact
        self._real = None

    @property
    def real(self):
        if self._real is None:
            self._real = _load(self._spec)
        return self._real

    def claims(self, path: str) -> bool:
        if not path.endswith(self._hints):
            return False
        if self._exact:
            return True
        return self.real.claims(path)

    def __getattr__(self, attr):
        return getattr(self.real, attr)

    def __reduce__(self):
        return (_load, (self._spec,))


def _load(spec: str):
    module_name, _, attr = spec.partition(":")
    module = __import__(module_name, fromlist=[attr])
    return getattr(module, attr)


@lru_cache(maxsize=1)
def extractors() -> tuple:
    """All extractors, sorted by name. One that fails to import is reported on stderr and skipped."""
    specs = {ep.name: ep.value for ep in metadata.entry_points(group=GROUP)}
    for name, spec in _BUILTIN.items():
        specs.setdefault(name, spec)
    found = []
    for name in sorted(specs):
        if specs[name] == _BUILTIN.get(name):
            found.append(LazyExtractor(name, specs[name], _BUILTIN_HINTS[name], name in _EXACT_HINTS))
            continue
        try:
            found.append(_load(specs[name]))
        except Exception as exc:  # noqa: BLE001 - a broken plugin must not stop the scan
            sys.stderr.write(f"contract-discovery: warning: extractor {name!r} failed to load: {exc}\n")
    return tuple(found)


_memo: dict = {"owner": None, "by_name": {}}


def _memo_key(relpath: str) -> str:
    """Claims depend on the file name and the name of its folder (``config/<name>.yml``)."""
    return "/".join(relpath.rsplit("/", 2)[-2:])


def extractors_for(relpath: str) -> tuple:
    """The extractors that claim a file; memoised per folder and file name (what claims read)."""
    name = _memo_key(relpath)
    all_extractors = extractors()
    if _memo["owner"] is not all_extractors:
        _memo["owner"], _memo["by_name"] = all_extractors, {}
    by_name = _memo["by_name"]
    found = by_name.get(name)
    if found is None:
        found = by_name[name] = tuple(_unwrap(e) for e in all_extractors if e.claims(relpath))
    return found


def is_claimed(relpath: str) -> bool:
    """Whether any extractor reads this file, without importing the extractors that can tell by name."""
    name = _memo_key(relpath)
    all_extractors = extractors()
    if _memo.get("claimed_owner") is not all_extractors:
        _memo["claimed_owner"], _memo["claimed"] = all_extractors, {}
    claimed = _memo["claimed"]
    found = claimed.get(name)
    if found is None:
        found = claimed[name] = any(e.claims(relpath) for e in all_extractors)
    return found


def _unwrap(extractor):
    return extractor.real if isinstance(extractor, LazyExtractor) else extractor
