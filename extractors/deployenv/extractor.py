"""Deployment environment: the values a service's environment variables take where it is run.

Code often reads a setting with no default (``os.environ["RISK_TIMEOUT_MS"]``,
``process.env.RISK_TIMEOUT_MS``, ``os.Getenv``) or with a default the deployment overrides. This
extractor finds no settings of its own; it publishes what the deployment files of the scan set:

- ``docker-compose*.yml`` / ``compose*.yml``: each compose service's ``environment`` (mapping or
  ``KEY=value`` list) as ``$deploy-env:<compose service>:<VAR>`` (as written: ``${VAR}`` and
  ``${VAR:-default}`` references, and bare ``- VAR`` pass-throughs, are filled by the pipeline
  from the ``.env`` file beside the compose file, as compose does), and its ``build`` context (a
  folder relative to the compose file) as ``$deploy-build:<compose service>``, so the pipeline can
  tell which scanned service each compose service runs;
- ``.env`` files (``.env``, ``.env.defaults``, ``.env.production`` ...) as ``$dotenv:<VAR>``, and
  example files (``.env.example``, ``.env.sample``, ``.env.template``, ``.env.dist``) as
  ``$dotenv-example:<VAR>``: they hold the values a service runs with.

A reference no ``.env`` beside the compose file sets, and that has no default, leaves the variable
out (its value is not in the files). Compose files are composed
node by node with PyYAML's safe C loader: aliases are never expanded, nothing is constructed.
"""

from __future__ import annotations

import re

import yaml

from contract_discovery.envfiles import render
from contract_discovery.model import ErrorEntry, FileResult
from contract_discovery.values import Expr, Str
from extractors.base import Extractor
from extractors.kubernetes.extractor import EXTRACTOR as KUBERNETES
from extractors.kubernetes.extractor import helm_helper, is_helm_helper, is_manifest_template
from extractors.kubernetes.manifest import looks_like_manifest

try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader  # type: ignore[misc]

MAX_BYTES = 1024 * 1024
_COMPOSE = re.compile(r"^(docker-)?compose([.-][\w.-]+)?\.ya?ml$")
_DOTENV = re.compile(r"^\.env(\.[\w.-]+)?$")
_EXAMPLE = re.compile(r"\.(example|sample|template|dist|tpl)$")
_VAR = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")
_DEFAULT = re.compile(r"^\$\{([A-Za-z_][A-Za-z0-9_]*):?-([^}]*)\}$")
_TEMPLATE = re.compile(r"(?:[^$]|\$\$|\$\{[A-Za-z_][A-Za-z0-9_]*(?::?-[^}$]*)?\}|\$[A-Za-z_][A-Za-z0-9_]*)*")


def is_compose(name: str) -> bool:
    return bool(_COMPOSE.match(name))


def _value(text: str) -> str | None:
    """The literal a compose or .env value stands for, None when it depends on the environment."""
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1]
    default = _DEFAULT.match(text)
    if default:
        text = default.group(2)
    if "${" in text or text.startswith("$"):
        return None
    return text


def _template(text: str) -> str | None:
    """A compose value as written: a literal, or a template of ``${VAR}`` / ``${VAR:-default}``
    references that the pipeline fills from the ``.env`` file beside the compose file (compose's
    own interpolation); None for what cannot be told (``$VAR`` forms with modifiers)."""
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1]
    if "$" not in text:
        return text
    if _TEMPLATE.fullmatch(text):
        return text
    return None


def parse_dotenv(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export "):].lstrip()
        key, sep, value = line.partition("=")
        key = key.strip()
        if not sep or not _VAR.match(key):
            continue
        value = value.strip()
        if value[:1] not in "'\"" and " #" in value:
            value = value.split(" #", 1)[0].rstrip()  # KEY=5 # seconds
        literal = _value(value)
        if literal is None and "$" in value:
            # `PRODUCT_CATALOG_ADDR=product-catalog:${PRODUCT_CATALOG_PORT}`: compose interpolates a
            # .env value from the variables set above it (or the reference's own default)
            template = _template(value)
            literal = render(template, out) if template is not None else None
        if literal is not None:
            out[key] = literal
    return out


def _mapping(node, key: str):
    if not isinstance(node, yaml.MappingNode):
        return None
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return v
    return None


def compose_symbols(data: bytes) -> dict[str, Expr]:
    root = yaml.compose(data, Loader=_Loader)
    services = _mapping(root, "services")
    if services is None and isinstance(root, yaml.MappingNode):
        services = root  # compose file format v1: services at the top level
    out: dict[str, Expr] = {}
    if not isinstance(services, yaml.MappingNode):
        return out
    for key, spec in services.value:
        if not isinstance(key, yaml.ScalarNode) or not isinstance(spec, yaml.MappingNode):
            continue
        name = key.value
        env = _mapping(spec, "environment")
        pairs: list[tuple[str, str | None]] = []
        if isinstance(env, yaml.MappingNode):
            for k, v in env.value:
                if not isinstance(k, yaml.ScalarNode) or not isinstance(v, yaml.ScalarNode):
                    continue
                # `KEY:` with no value passes the variable through from compose's environment
                raw = "${" + k.value + "}" if v.tag == "tag:yaml.org,2002:null" else v.value
                pairs.append((k.value, _template(raw)))
        elif isinstance(env, yaml.SequenceNode):
            for item in env.value:
                if isinstance(item, yaml.ScalarNode):
                    k, eq, v = item.value.partition("=")
                    pairs.append((k.strip(), _template(v if eq else "${" + k.strip() + "}")))
        for var, value in pairs:
            if value is not None and _VAR.match(var):
                out[f"$deploy-env:{name}:{var}"] = Str(value)
        build = _mapping(spec, "build")
        context = build if isinstance(build, yaml.ScalarNode) else _mapping(build, "context")
        if isinstance(context, yaml.ScalarNode) and context.value:
            out[f"$deploy-build:{name}"] = Str(context.value)
    return out


def _proxy_config(path: str, data: bytes) -> bool:
    """(round 13) An HAProxy configuration kept as a template (the Kubernetes extractor reads it)."""
    from extractors.kubernetes.detectors.haproxy_config import has_haproxy  # noqa: PLC0415 - lazy
    return has_haproxy(path, data)


class DeployEnvExtractor(Extractor):
    name = "deployenv"
    language = "deployenv"
    extensions = ()
    claims_language = False  # a service does not become "deployenv" for having a .env file

    def claims(self, path: str) -> bool:
        base = path.rsplit("/", 1)[-1]
        return bool(_DOTENV.match(base) or _COMPOSE.match(base)) or is_helm_helper(path) or is_manifest_template(path)

    def extract(self, path: str, data: bytes) -> FileResult:
        base = path.rsplit("/", 1)[-1]
        if is_helm_helper(path) and not _DOTENV.match(base):
            return helm_helper(path, data)  # a chart's templates/*.tpl: the Kubernetes extractor reads it
        if is_manifest_template(path) and not _DOTENV.match(base):
            # (round 11) another .tpl: a manifest's Go template is the Kubernetes extractor's, else nothing
            # (round 13) or a proxy's configuration template (`configs/haproxy/haproxy.cfg.tpl`)
            return KUBERNETES.extract(path, data) if looks_like_manifest(data) or _proxy_config(path, data) \
                else FileResult(path=path, language=self.language)
        if len(data) > MAX_BYTES:
            return FileResult(path=path, language=self.language, errors=(
                ErrorEntry(path, "too_large", f"deployment file larger than {MAX_BYTES} bytes, not read"),))
        try:
            if _COMPOSE.match(base):
                symbols = compose_symbols(data)
            else:
                prefix = "$dotenv-example:" if _EXAMPLE.search(base) else "$dotenv:"
                symbols = {prefix + k: Str(v) for k, v in parse_dotenv(data.decode("utf-8", "replace")).items()}
        except yaml.MarkedYAMLError as exc:
            line = exc.problem_mark.line + 1 if exc.problem_mark is not None else None
            return FileResult(path=path, language=self.language,
                              errors=(ErrorEntry(path, "yaml_error", str(exc.problem or exc), line=line),))
        except Exception as exc:  # a deployment file must never take the scan down
            return FileResult(path=path, language=self.language,
                              errors=(ErrorEntry(path, "yaml_error", f"{type(exc).__name__}: {exc}"),))
        if not symbols:
            return FileResult(path=path, language=self.language)
        return FileResult(path=path, language=self.language, symbols=symbols, imports={"$deployenv": path})


EXTRACTOR = DeployEnvExtractor()
