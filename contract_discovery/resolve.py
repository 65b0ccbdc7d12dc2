"""Cross-file value resolution and the mapping of URLs and names to services.

Extraction is per file; a value such as ``settings.RISK_TIMEOUT`` or a Go
package constant lives elsewhere. For each service this module indexes the
symbols every file defines and evaluates each finding's ``Pending`` values in
the scope of the file that made the finding: the file itself, what it imports,
files of the same module/package, settings files, then any file of the service
that defines exactly that (dotted) name, e.g. a Spring property.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Iterable, Mapping
from urllib.parse import urlsplit

from contract_discovery.model import FileResult, Finding, Pending, Service, Target
from contract_discovery.tsconfig import expand
from contract_discovery.values import BinOp, Call, Env, Expr, Num, Ref, Str, Unknown, evaluate, normalise_ms, ref_names

_SETTINGS_FILE = re.compile(r"(^|/)(settings|config|conf|constants|defaults)(/[^/]+)?\.py$|(^|/)settings_[^/]+\.py$")
_CONFIG_LANGS = {"spring", "yaml", "properties", "kubernetes", "nodeconfig", "appsettings", "goconfig"}
_MODULE_SCOPED_LANGS = {"terraform"}
# Service-wide names that stand for "the one definition of this": two files defining them differently
# make them unknown, not the first file's (Kotlin's `$kotlin-setting.connectTimeout`: the field of
# whichever settings class a receiver of unknown type is).
# A Go service's config-file keys likewise (`$go-config:redis.timeout`): two config files of the
# service setting a key differently (config.dev.yaml, config.prod.yaml) leave it unknown, as tfvars do.
# (round 18, lead) a subchart under its parent's charts/ folder (`chart/compass/charts/ias-adapter`)
_SUBCHART = re.compile(r"^(?P<parent>.+)/charts/(?P<sub>[^/]+)$")


def _helm_parent_name(name: str) -> str | None:
    """The parent chart's symbol that sets a subchart's value (``helm:<parent>/charts/<sub>:Values.x``):
    ``.Values.global.x`` is the parent's ``global.x`` (Helm hands the parent's globals down to every
    subchart), any other ``.Values.x`` the parent's ``<sub>.x`` (a parent's values override its
    subchart's defaults); None for a chart that is no subchart. The same for ``helm-unit:`` symbols."""
    prefix, _, rest = name.partition(":")
    chart, _, key = rest.partition(":")
    m = _SUBCHART.match(chart)
    if m is None or not key.startswith("Values."):
        return None
    key = key[len("Values."):]
    key = key if key.startswith("global.") else f"{m.group('sub')}.{key}"
    return f"{prefix}:{m.group('parent')}:Values.{key}"


# (round 18, Go: a constructor's argument `$go-arg.`, a project backoff type's counted field
# `$go-retry-type.`, a settings table's seeded key `$go-setting-key.`: the files of a service must agree)
_UNIQUE_PREFIXES = ("$kotlin-setting.", "$go-config:", "$go-config~", "$go-field.", "$go-arg.", "$go-retry-type.",
                    "$go-setting-key.")
_OPTIONS_SECTION = "$options-section:"
# Go names whose value is a setting's default, not a constant of the code: `$flag:` / `$flagname:`
# (a command-line flag's default), `$field:` (a config struct field's default), `$getter:` (a
# config getter's value): provenance "config", as a config file's.
_CONFIG_NAMES = ("$flag:", "$flagname:", "$field:", "$getter:", "$getter.", "$go-field.")
# Words that name a role, not a service: a URL variable built from one names no dependency.
_GENERIC_SERVICE_WORDS = frozenset({
    "remote", "base", "api", "backend", "upstream", "downstream", "external", "internal", "target", "default",
    "local", "server", "host", "endpoint", "main", "primary", "public", "private", "http", "https", "web", "my",
    "the", "self", "other", "this", "root", "current", "next", "proxy", "app", "service", "services"})
_NAME_SUFFIXES = re.compile(
    r"(_?(SERVICE|SVC|API)?_?(BASE_?)?(URL|URI|HOST|ENDPOINT|ADDR|ADDRESS)S?|(Service|Svc|Api)?(Base)?(Url|Uri|URL|Host|Endpoint|Addr|Address))$"
)


def _norm(name: str) -> str:
    name = name.lower().replace("_", "-")
    for suffix in ("-service", "-svc", "-api", "-server", "-srv", "service"):
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)].rstrip("-")
            break
    return name


class ServiceIndex:
    """Maps hosts, URLs and variable names to the services of the scan (plus config's service_map)."""

    def __init__(self, services: Iterable[Service], service_map: Mapping[str, str] | None = None):
        self.by_norm: dict[str, str] = {}
        for service in services:
            self.by_norm.setdefault(_norm(service.name), service.name)
            if service.path not in (".", ""):
                self.by_norm.setdefault(_norm(service.path.rsplit("/", 1)[-1]), service.name)
        self.explicit = {k.lower(): v for k, v in (service_map or {}).items()}

    def from_host(self, host: str) -> tuple[str | None, bool]:
        """(service, known): ``known`` is True when the name matches a service of this scan or the map."""
        host = host.lower().strip()
        if not host:
            return None, False
        if host in self.explicit:
            return self.explicit[host], True
        if host in ("localhost", "0.0.0.0") or host.startswith("127.") or ":" in host.strip("[]"):
            return None, False  # loopback, any-address, an IPv6 literal (`[::]:8080`): no service
        first = host.split(".", 1)[0]
        cluster_local = ".svc" in host or host.endswith(".local") or host.endswith(".internal")
        candidate = _norm(first)
        if candidate in self.by_norm:
            return self.by_norm[candidate], True
        if "." not in host or cluster_local:
            return candidate, False
        return None, False

    def from_url(self, url: str) -> tuple[str | None, bool]:
        url = url.strip()
        if "://" not in url:
            if url.startswith("/") or not url:
                return None, False
            url = "http://" + url
        try:
            host = urlsplit(url).hostname or ""
        except ValueError:
            return None, False
        if "{" in host or "$" in host or "%" in host:
            return None, False
        return self.from_host(host)

    def from_name(self, name: str) -> tuple[str | None, bool]:
        """``RISK_SERVICE_URL`` / ``settings.RISK_URL`` / ``riskServiceUrl`` -> risk."""
        last = name.rsplit(".", 1)[-1]
        if last.lower() in self.explicit:
            return self.explicit[last.lower()], True
        stripped = _NAME_SUFFIXES.sub("", last)
        if not stripped or stripped == last:
            return None, False
        # camelCase -> kebab
        stripped = re.sub(r"(?<=[a-z0-9])([A-Z])", r"-\1", stripped)
        candidate = _norm(stripped.strip("_-"))
        if candidate in self.by_norm:
            return self.by_norm[candidate], True
        explicit_service = bool(re.search(r"(SERVICE|SVC|Service|Svc)", last))
        if candidate in _GENERIC_SERVICE_WORDS:
            return None, False  # remoteServiceBaseUrl, BACKEND_SERVICE_URL: says nothing of which service
        return (candidate, False) if explicit_service else (None, False)


class Resolver:
    """Symbol tables of one service's files and the evaluation of pending values."""

    def __init__(self, results: list[FileResult], env: Mapping[str, str] | None = None,
                 var_files: Iterable[FileResult] = (), app_files: Iterable[FileResult] = (),
                 service: str | None = None, ts_aliases: list[tuple[str, list[str]]] | None = None,
                 all_modules: Mapping[str, list[FileResult]] | None = None,
                 deploy_env: Mapping[str, Expr] | None = None, linked: Iterable[FileResult] = (),
                 dependents: Iterable[Iterable[FileResult]] = (), tf_dirs: Iterable[str] = ()):
        self.by_path = {r.path: r for r in results}
        # (round 18, js2) node-config files by themselves: config/default.yaml is claimed by several
        # extractors (spring, railsconfig, kubernetes...) and by_path keeps only one result per path
        self.node_configs = sorted((r for r in results if r.language == "nodeconfig"), key=lambda r: r.path)
        # round 10: the names of the scan's Terraform directories (stacks/etl_ods -> "etl_ods"): a
        # variable file named after one of them (etl_ods.tfvars) is that root module's, not another's
        self.tf_dir_names = {d.rstrip("/").rsplit("/", 1)[-1] for d in tf_dirs if d and d != "."}
        # TypeScript path aliases (tsconfig "paths") and the modules of the whole scan they may
        # point into (an Nx monorepo's libs/ belong to no service).
        self.ts_aliases = ts_aliases or []
        self.all_modules = all_modules or {}
        # Spring Cloud Config server files of the whole scan (config-repo/<app>.yml): their keys
        # are published as "$spring-app:<app>:<key>" and serve the service whose
        # spring.application.name (or service name) is <app>.
        self.app_files = [r for r in app_files if any(k.startswith("$spring-app:") for k in r.symbols)]
        self.service = service
        self._apps: list[str] | None = None
        # Terraform variable files of the whole scan (env/prod.tfvars beside no service at all):
        # candidates for a root module's var.x that no file of its own folder sets.
        self.var_files = sorted({r.path: r for r in [*results, *var_files] if "$tfvars" in r.imports}.values(),
                                key=lambda r: r.path)
        self.by_module: dict[str, list[FileResult]] = {}
        self.by_suffix: dict[str, list[FileResult]] = {}
        self.settings: list[FileResult] = []
        self.global_symbols: dict[str, tuple[Expr, FileResult]] = {}
        self.env = dict(env or {})
        # What the deployment files give this service's environment (compose, .env): after the
        # user's own `env:` configuration.
        self.deploy_env = dict(deploy_env or {})
        # Terraform: the calls of each local module, child directory -> [(calling file, call label)].
        self.module_calls: dict[str, list[tuple[FileResult, str]]] = {}
        for r in sorted(results, key=lambda r: r.path):
            if r.module:
                self.by_module.setdefault(r.module, []).append(r)
                parts = r.module.split(".")
                for i in range(len(parts)):
                    self.by_suffix.setdefault(".".join(parts[i:]), []).append(r)
            if r.language == "python" and _SETTINGS_FILE.search(r.path):
                self.settings.append(r)
            if r.language in _MODULE_SCOPED_LANGS:
                for name, expr in r.symbols.items():
                    if name.startswith("$module:") and name.count(":") == 2 and isinstance(expr, Str):
                        self.module_calls.setdefault(name.split(":")[1], []).append((r, expr.value))
                    elif name.startswith("$tftemplate:"):
                        # round 12: a templatefile() call's variables, for the template read as a file of
                        # its own (extractors/cloudformation: a state machine's `${max_attempts}`)
                        first = self.global_symbols.setdefault(name, (expr, r))
                        if first[0] != expr and first[1] is not r:
                            self.global_symbols[name] = (Unknown(f"{name}: two templatefile() calls differ"), first[1])
                continue  # Terraform's var.x/local.x belong to their module (directory) alone.
            for name, expr in r.symbols.items():
                if "." in name or r.language in _CONFIG_LANGS:
                    first = self.global_symbols.setdefault(name, (expr, r))
                    if first[0] != expr and name.startswith(_UNIQUE_PREFIXES) and first[1] is not r:
                        why = (f"{name[name.index('.') + 1:]}: more than one settings class has this field"
                               if name.startswith("$kotlin-setting.") else
                               f"{name.split(':', 1)[-1].split('~', 1)[-1]}: {first[1].path} and {r.path} set it differently")
                        self.global_symbols[name] = (Unknown(why), first[1])
        # .NET: options classes bound to a configuration section (`Configure<RiskOptions>(
        # config.GetSection("Risk"))`, extractors/appsettings/bindings.py) and the configuration
        # keys of appsettings.json, which .NET looks up ignoring case.
        self.option_sections: dict[str, tuple[Expr, FileResult]] = {}
        self.dotnet_config: dict[str, tuple[Expr, FileResult]] = {}
        self._sections_open: set[str] = set()
        self._supers_open: set[str] = set()  # round 11 (Kotlin): `$super` look-ups under way
        for r in sorted([*results, *linked], key=lambda r: r.path):
            if r.language == "appsettings":
                for name, expr in r.symbols.items():
                    if not name.startswith("$"):
                        self.dotnet_config.setdefault(name.lower(), (expr, r))
                continue
            for name, expr in r.symbols.items():
                if name.startswith(_OPTIONS_SECTION):
                    self.option_sections.setdefault(name[len(_OPTIONS_SECTION):], (expr, r))
        # The projects this one references (links.py: a .csproj's ProjectReference, Gradle's
        # project(":common")): their packages and service-wide names, after this service's own.
        for r in sorted(linked, key=lambda r: r.path):
            if r.language in _MODULE_SCOPED_LANGS and r.module in self.module_calls and r.path not in self.by_path:
                # (round 22) a local Terraform module outside every service that this service calls
                self.by_module.setdefault(r.module, []).append(r)
                continue
            if r.language in _MODULE_SCOPED_LANGS or r.language in _CONFIG_LANGS or r.path in self.by_path:
                continue
            if r.module:
                self.by_module.setdefault(r.module, []).append(r)
                parts = r.module.split(".")
                for i in range(len(parts)):
                    self.by_suffix.setdefault(".".join(parts[i:]), []).append(r)
            for name, expr in r.symbols.items():
                if "." in name:
                    self.global_symbols.setdefault(name, (expr, r))
        self._dependents_config(dependents)

    def _dependents_config(self, dependents: Iterable[Iterable[FileResult]]) -> None:
        """A library project's configuration keys read from the config files of the projects that
        reference it (an app's application.yml or appsettings.json serves the code of the modules it
        is built with), after the service's own and its references': a key the dependents set to
        different values stays unknown (one per app)."""
        seen: dict[str, tuple[Expr, FileResult]] = {}
        differ: set[str] = set()
        for files in dependents:
            for r in sorted(files, key=lambda r: r.path):
                if r.language not in _CONFIG_LANGS or r.language == "kubernetes":
                    continue
                for name, expr in r.symbols.items():
                    if name.startswith("$") or ("." not in name and ":" not in name):
                        continue
                    key = name.lower() if r.language == "appsettings" else name
                    if key in seen and seen[key][0] != expr:
                        differ.add(key)
                    seen.setdefault(key, (expr, r))
        for key, (expr, r) in seen.items():
            value = (Unknown(f"{key}: the projects that use this one set it differently"), r) if key in differ else (expr, r)
            if r.language == "appsettings":
                self.dotnet_config.setdefault(key, value)
            else:
                self.global_symbols.setdefault(key, value)
        # round 11 (.NET): an options class of this library bound to a section in an app that uses it
        # (`Configure<WaitAndRetryConfiguration>(configuration.GetSection(..))` in the API's Program.cs):
        # the library's `IOptions<WaitAndRetryConfiguration>` reads that section; apps binding it differently: unknown
        sections: dict[str, list[tuple[Expr, FileResult]]] = {}
        for files in dependents:
            for r in sorted(files, key=lambda r: r.path):
                if r.language in _CONFIG_LANGS:
                    continue
                for name, expr in r.symbols.items():
                    if name.startswith(_OPTIONS_SECTION):
                        sections.setdefault(name[len(_OPTIONS_SECTION):], []).append((expr, r))
        for type_name, bound in sections.items():
            values = {repr(evaluate(expr, self.lookup_for(r)).value) for expr, r in bound}
            if len(values) == 1:
                self.option_sections.setdefault(type_name, bound[0])
        # round 10 (Java): an interface of this library implemented in an app that uses it (`class DefaultConfig
        # implements ServiceConfig` publishes `$implements:ServiceConfig.timeout`): the library's code holding the
        # interface (`serviceConfig.getTimeout()`) reads the app's implementation
        for files in dependents:
            for r in sorted(files, key=lambda r: r.path):
                for name, expr in r.symbols.items():
                    if name.startswith("$implements:"):
                        self.global_symbols.setdefault(name[len("$implements:"):], (expr, r))

    def _provenance(self, defining: FileResult, name: str = "") -> str:
        # Config files, and Terraform variables (a default any tfvars or module input may override).
        if defining.language in _CONFIG_LANGS or (defining.language == "terraform" and name.startswith("var.")):
            return "config"
        if name.startswith(_CONFIG_NAMES):
            return "config"  # a setting's declared default: a flag's, a config struct field's, a getter's
        return "constant"

    def lookup_for(self, result: FileResult, _seen: frozenset[str] = frozenset()):
        def lookup(name: str):
            if name.startswith("$env:"):
                var = name[5:]
                if var in self.env:
                    return Str(self.env[var]), "config"
                return (self.deploy_env[var], "config") if var in self.deploy_env else None
            found = self._dropwizard_setting(result, name)
            if found is None:
                found = self._find(result, name)
            if found is None:
                found = self._spring_profiles_only_kotlin16(result, name)
            if found is None:
                return None
            expr, defining = found
            # the definition entered: `name` in that file, or (a module input, a tfvars value) another
            # of its symbols that gives `name` its value (`lambda_timeout = var.lambda_timeout`)
            key = f"{defining.path}:{name}" + ("" if defining.symbols.get(name) is expr else "#given")
            if key in _seen:
                return None  # a cycle: TIMEOUT = TIMEOUT * 2 across files
            return expr, self._provenance(defining, name), self.lookup_for(defining, _seen | {key})

        return lookup

    def _spring_profiles_only_kotlin16(self, result: FileResult, name: str) -> tuple[Expr, FileResult] | None:
        """Round 16 (round-15 request, cakk-server): a Spring key (``@Value("${spring.mail.properties.mail.smtp.
        timeout}")``) that no default-profile file sets but profile files do (extractors/spring publishes them as
        ``$spring-profile:<profile>:<key>``): the value they all give; unknown when they differ. Only for a JVM
        file's dotted lower-case key, and only when the scan holds profile values at all."""
        if result.language not in ("kotlin", "java") or "." not in name or not name[:1].islower() or name.startswith("$"):
            return None
        if name.startswith("resilience4j."):
            # an instance key only a profile sets (`application-local.properties`): the resilience4j reader falls
            # back to the shared `configs.default` and the library default itself, which the deployed
            # configuration holds (spring-boot-microservices-series-v2: a local profile's 10 s beat config's 2 s)
            return None
        if name.startswith("quarkus.fault-tolerance.") or "/" in name:
            # round 19 (java): a MicroProfile Fault Tolerance override (`<pkg.Class>/<method>/Retry/maxRetries`) only a
            # profile sets (stargate's application-dev.yaml turning a retry off): the annotation's own value holds
            return None
        profiles = self.__dict__.get("_spring_profile_names_kotlin16")
        if profiles is None:
            profiles = self._spring_profile_names_kotlin16 = sorted(
                {k.split(":", 2)[1] for k in self.global_symbols if k.startswith("$spring-profile:")})
        got = [f for f in (self._find(result, f"$spring-profile:{p}:{name}") for p in profiles) if f is not None]
        if not got:
            return None
        if all(g[0] == got[0][0] for g in got):
            return got[0]
        return Unknown(f"{name}: the Spring profiles set it differently and the default profile does not"), got[0][1]

    def _dropwizard_setting(self, result: FileResult, name: str) -> tuple[Expr, FileResult] | None:
        """Round 13 (java): a getter chain on a Dropwizard service's configuration object (``Ref("LedgerConfig.
        reportingConfig.searchQueryTimeoutInSeconds")``) reads the key its configuration file sets, published by
        extractors/spring as ``$dropwizard:reportingConfig.searchQueryTimeoutInSeconds``: the file's value wins over
        the class's own field default (Jackson binds the file over it). Only when the scan holds such a file."""
        if result.language != "java" or "." not in name or not name[:1].isupper():
            return None
        has = self.__dict__.get("_has_dropwizard")
        if has is None:
            has = self._has_dropwizard = any(k.startswith("$dropwizard:") for k in self.global_symbols)
        if not has:
            return None
        return self._find(result, "$dropwizard:" + name.split(".", 1)[1])

    def _node_config(self, key: str) -> tuple[Expr, FileResult] | None:
        """``config.get("risk.timeoutMs")`` of the node-config package: the variable
        custom-environment-variables maps the key to (with the default file's value as its
        default), else the default file's value; this service's config/ folder only."""
        default = env = None
        for r in self.node_configs:
            if default is None and f"$node-config:{key}" in r.symbols:
                default = (r.symbols[f"$node-config:{key}"], r)
            if env is None and isinstance(r.symbols.get(f"$node-config-env:{key}"), Str):
                env = (r.symbols[f"$node-config-env:{key}"], r)
        if env is not None:
            return Env(env[0].value, default[0] if default is not None else None), env[1]
        return default

    def _helm_value(self, name: str) -> tuple[Expr, FileResult] | None:
        """A chart's value (``helm:<chart>:Values.x``) when environments' values files beside the
        chart's (values-prod.yaml, values.staging.yaml) set it: the value every environment gets (its
        own, else the chart's default) when they agree, else unknown; None when none sets it."""
        envs = self.__dict__.get("_helm_envs")
        if envs is None:
            envs = {}
            for r in self.by_path.values():
                if r.language == "kubernetes" and any(k.startswith("helm-env:") for k in r.symbols):
                    chart = next(k for k in r.symbols if k.startswith("helm-env:")).split(":")[1]
                    envs.setdefault(chart, []).append(r)
            self._helm_envs = envs
        files = envs.get(name.split(":")[1]) if name.count(":") >= 2 else None
        key = "helm-env:" + name[len("helm:"):]
        if not files or not any(key in r.symbols for r in files):
            return None
        default = self.global_symbols.get(name)
        got = [(r.symbols[key], r) if key in r.symbols else default for r in files]
        if all(g is not None and g[0] == got[0][0] for g in got):
            return got[0]
        first = next(g for g in got if g is not None)
        return Unknown(f"{name.split(':', 2)[2]} differs between the chart's {len(files)} environments' values files"), first[1]

    def _helm_library_value(self, name: str) -> tuple[Expr, FileResult] | None:
        """(round 19, linkerd2) a library chart without values of its own (``charts/partials``, whose
        ``_proxy.tpl`` the control plane includes): ``.Values.x`` is the value of the chart that includes it,
        a sibling chart beside it (``charts/linkerd-control-plane``) setting ``x``, when those that set it agree."""
        charts = self.__dict__.get("_helm_charts")
        if charts is None:
            charts = {k.split(":", 2)[1] for k in self.global_symbols if k.startswith("helm:") and k.count(":") >= 2}
            self._helm_charts = charts
        prefix, _, rest = name.partition(":")
        chart, _, key = rest.partition(":")
        if not chart or chart in charts or not key.startswith("Values."):
            return None
        parent = chart.rsplit("/", 1)[0] if "/" in chart else ""
        got = [self.global_symbols[f"{prefix}:{c}:{key}"] for c in sorted(charts)
               if c != chart and (c.rsplit("/", 1)[0] if "/" in c else "") == parent
               and f"{prefix}:{c}:{key}" in self.global_symbols]
        if got and all(g[0] == got[0][0] for g in got):
            return got[0]
        return None

    def _find(self, result: FileResult, name: str) -> tuple[Expr, FileResult] | None:
        if name.startswith("helm:"):
            found = self._helm_value(name)
            if found is not None:
                return found
        if name.startswith(("helm:", "helm-unit:")):
            above = _helm_parent_name(name)
            if above is not None:
                found = self._find(result, above)
                if found is not None:
                    return found
            found = self._helm_library_value(name)
            if found is not None:
                return found
        if name.startswith(_UNIQUE_PREFIXES):
            return self.global_symbols.get(name)
        if name.startswith("$node-config:"):
            return self._node_config(name[len("$node-config:"):])
        if name.startswith(("module.", "$tfunit:module.")) and result.language == "terraform" and name.count(".") >= 2:
            # round 10: `module.<label>.<output>` of a local module call: the child's `output` block
            # (extractors/terraform: `output.<name>`, its unit `$tfunit:output.<name>`), evaluated in
            # the child's scope; round 18: a member of an output object (`module.x.config.timeout`), as the
            # child publishes it (`output.config.timeout`) or read through the variable / local it hands out
            unit, _, rest = name.rpartition("module.")
            parts = ("module." + rest).split(".")
            label, output = parts[1], ".".join(parts[2:])
            key = f"$tfmod:{label}"
            child = result.imports.get(key) or next(
                (o.imports[key] for o in self.by_module.get(result.module, ()) if key in o.imports), None)
            if child:
                found = self._find_in_package_path(child, unit + "output." + output)
                if found is not None:
                    return found
                if len(parts) > 3 and not unit:
                    base = self._find_in_package_path(child, "output." + parts[2])
                    if base is not None and isinstance(base[0], Ref) and base[0].name.startswith(("var.", "local.")):
                        return Ref(base[0].name + "." + ".".join(parts[3:])), base[1]
        if name.startswith("var.") and result.language == "terraform" and result.module:
            # A tfvars file's value wins over the variable's default, wherever that is declared:
            # one Terraform loads itself (terraform.tfvars, *.auto.tfvars) first; per-environment
            # files (dev.tfvars, prod.tfvars) only when they agree (which one runs is not in the code).
            here = [o for o in self.by_module.get(result.module, ()) if "$tfvars" in o.imports and name in o.symbols]
            auto = sorted((o for o in here if o.imports.get("$tfvars") == "auto"),
                          key=lambda o: (not o.path.endswith("/terraform.tfvars") and o.path != "terraform.tfvars", o.path))
            if auto:
                return auto[-1].symbols[name], auto[-1]  # *.auto.tfvars load after terraform.tfvars, by name
            if here:
                first = here[0]
                if all(o.symbols[name] == first.symbols[name] for o in here):
                    return first.symbols[name], first
                return Unknown(f"{name} differs between {len(here)} variable files"), first
            passed = self._module_input(result.module, name)
            if passed is not None:
                return passed
            if result.module not in self.module_calls:
                # A root module fed by variable files elsewhere (env/prod.tfvars, -var-file=...).
                found = self._tfvars_elsewhere(name, result.module)
                if found is not None:
                    return found
        if self.dotnet_config and not name.startswith("$"):
            found = self._dotnet_config(name)
            if found is not None:
                return found
        if name in result.symbols:
            return result.symbols[name], result
        head, _, rest = name.partition(".")
        if head in result.imports and "/" in result.imports[head] and rest:
            found = self._find_in_package_path(result.imports[head], rest)
            if found is not None:
                return found
        if head in result.imports:
            qualified = result.imports[head] + ("." + rest if rest else "")
            found = self._find_qualified(qualified, result)
            if found is not None:
                return found
            if result.language == "python" and "$" in name and any(m in name for m in MARKERS):
                # a helper imported from elsewhere (`from litellm import completion`) is not a
                # same-named helper some project file publishes
                return None
            if result.language == "javascript" and "$" in name and any(m in name for m in MARKERS) and \
                    self._bare_package(result.imports[head]):
                return None  # `createClient` from the `redis` package is no project helper of that name
        if result.module:
            for other in self.by_module.get(result.module, ()):
                if other is not result and name in other.symbols:
                    return other.symbols[name], other
        setting = name
        if head == "settings" and rest:
            setting = rest
        elif head in result.imports and result.imports[head].endswith("settings") and rest:
            setting = rest
        elif result.language == "python" and head in result.imports and rest and "." not in rest and \
                rest.isupper() and result.imports[head].rsplit(".", 1)[-1] in ("config", "conf", "app_config"):
            # round 19 (python, external-domain-broker): `from broker.extensions import config` with `config =
            # config_from_env()` picking one of the settings file's classes: an upper-case field they set
            setting = rest
        else:
            setting = ""
        if setting:
            for other in self.settings:
                if setting in other.symbols:
                    return other.symbols[setting], other
            if "." not in setting:
                # `settings = get_app_settings()`: a pydantic/dataclass settings class's field default
                # (AppSettings.OPENAI_REQUEST_TIMEOUT), when one class of the settings files has it.
                fields = [(other.symbols[key], other) for other in self.settings for key in other.symbols
                          if key.endswith("." + setting) and key.count(".") == 1]
                if len(fields) > 1 and result.language == "python":
                    # (round 19) one of several configuration classes picked at run time: the classes that set
                    # the field themselves (not those inheriting it: `Ref("Config.X")`), a test or local
                    # configuration's override (`class TestConfig(DockerConfig)`) not the deployed value
                    fields = [(other.symbols[key], other) for other in self.settings for key in other.symbols
                              if key.endswith("." + setting) and key.count(".") == 1
                              and not re.search(r"Test|Debug|Local", key.split(".", 1)[0])
                              and not (isinstance(other.symbols[key], Ref) and other.symbols[key].name.endswith(
                                  "." + setting) and other.symbols[key].name.count(".") == 1)]
                if len(fields) == 1:
                    return fields[0]
        if name in self.global_symbols:
            return self.global_symbols[name]
        if self.app_files and "." in name and not name.startswith("$"):
            for app in self._app_names():
                key = f"$spring-app:{app}:{name}"
                for other in self.app_files:
                    if key in other.symbols:
                        return other.symbols[key], other
        if name.count(".") >= 2 and not name.startswith("$"):
            # round 11 (C#): a nested options object, `PolicyOptions.RetryPolicyOptions.Count`: the
            # member of the property's class (`PolicyOptions.RetryPolicyOptions.$type` = "RetryPolicyOptions")
            outer, _, member = name.partition(".")
            prop, _, rest = member.partition(".")
            typed = self.global_symbols.get(f"{outer}.{prop}.$type")
            if typed is not None and isinstance(typed[0], Str) and typed[0].value not in (outer, ""):
                found = self._find(result, f"{typed[0].value}.{rest}")
                if found is not None or f"{outer}.$prefix" not in self.global_symbols:
                    return found
                # round 21 (Java, Dropwizard): the member's class has no default of its own; the outer class is bound to
                # a configuration key (`FHIRClientConfiguration.$prefix`), tried next
        if "." in name and not name.startswith("$"):
            # round 19 (Java): a type a Spring @Bean method binds to a prefix (`@Bean @ConfigurationProperties("drshub")
            # DrsHubConfig config()`: `DrsHubConfig.$prefix` = "drshub"): its member is that configuration key
            owner, _, member = name.partition(".")
            bound = self.global_symbols.get(f"{owner}.$prefix")
            if bound is not None and isinstance(bound[0], Str) and bound[0].value and bound[0].value != owner \
                    and name not in self._supers_open:
                self._supers_open.add(name)
                try:
                    found = self._find(result, f"{bound[0].value}.{member}")
                finally:
                    self._supers_open.discard(name)
                if found is not None:
                    return found
        if "." in name and not name.startswith("$") and name not in self._supers_open:
            # round 11 (Kotlin): a member the class does not declare is its superclass's
            # (`ResourceCheckConfig.timeoutDuration` with `ResourceCheckConfig.$super` = "BaseSchedulerConfig")
            owner, _, member = name.partition(".")
            parent = self.global_symbols.get(f"{owner}.$super")
            if member.startswith("$") and result.language == "java":
                parent = None  # round 20 (java): a class's own markers (its constructor's `$attempts_param:k`) are not inherited
            if parent is not None and isinstance(parent[0], Str) and parent[0].value not in (owner, ""):
                self._supers_open.add(name)
                try:
                    return self._find(result, f"{parent[0].value}.{member}")
                finally:
                    self._supers_open.discard(name)
        return None

    def _dotnet_config(self, name: str) -> tuple[Expr, FileResult] | None:
        """``Risk:TimeoutSeconds`` (Configuration["..."], GetValue) from appsettings.json, and
        ``RiskOptions.TimeoutSeconds`` of an options class bound to section ``Risk``: the file's
        value wins over the property's default in the class."""
        if ":" in name:
            return self.dotnet_config.get(name.lower())
        head, _, rest = name.partition(".")
        bound = self.option_sections.get(head) if rest else None
        if bound is None:
            return None
        if head in self._sections_open:
            return None  # the section's own name (`RiskOptions.SectionName`) is the class's constant
        expr, defining = bound
        self._sections_open.add(head)
        try:
            section = evaluate(expr, self.lookup_for(defining)).value
        finally:
            self._sections_open.discard(head)
        if not isinstance(section, str) or not section:
            return None
        return self.dotnet_config.get(f"{section}:{rest.replace('.', ':')}".lower())

    def _app_names(self) -> list[str]:
        if self._apps is None:
            names = []
            for r in self.by_path.values():
                value = r.symbols.get("spring.application.name")
                if isinstance(value, Str) and value.value not in names:
                    names.append(value.value)
            if self.service and self.service not in names:
                names.append(self.service)
            self._apps = names
        return self._apps

    def _tfvars_elsewhere(self, name: str, module: str | None = None) -> tuple[Expr, FileResult] | None:
        """``var.x`` of a root module from variable files outside its folder (the scan's): the
        value when every file that sets it agrees, Unknown when they differ (one per environment),
        None when none sets it (the default applies). Round 10: files named after the module's
        folder (``etl_ods.tfvars`` for ``stacks/etl_ods``, ``-var-file=$STACK.tfvars``) are its own
        and win; a file named after another Terraform folder of the scan is that one's, not this."""
        setting = [(r.symbols[name], r) for r in self.var_files if name in r.symbols]
        if module and setting and self.tf_dir_names:
            own = module.rstrip("/").rsplit("/", 1)[-1]

            def stem(r: FileResult) -> str:
                return r.path.rsplit("/", 1)[-1].split(".", 1)[0]
            named = [(e, r) for e, r in setting if stem(r) == own]
            setting = named or [(e, r) for e, r in setting if stem(r) not in self.tf_dir_names]
        if not setting:
            return None
        first_expr, first_file = setting[0]
        if all(expr == first_expr for expr, _ in setting):
            return first_expr, first_file
        return Unknown(f"{name} differs between {len(setting)} variable files"), first_file

    def _module_input(self, module: str, name: str) -> tuple[Expr, FileResult] | None:
        """What the callers of a local Terraform module pass for ``var.x``: the input when every call
        passes the same expression, None (the default applies) when no call passes it, Unknown when
        the calls differ (each instance has its own value)."""
        calls = self.module_calls.get(module)
        if not calls:
            return None
        passed = []
        base, _, member = name[len("var."):].partition(".") if name.startswith("var.") else ("", "", "")
        for caller, label in calls:
            key = f"$module:{module}:{label}:{name}"
            if key in caller.symbols:
                passed.append((caller.symbols[key], caller))
                continue
            whole = caller.symbols.get(f"$module:{module}:{label}:var.{base}") if member else None
            if isinstance(whole, Ref) and whole.name.startswith("module.") and whole.name.count(".") == 1 \
                    and "." not in member:
                # round 10: `cfg = module.config` hands a module's outputs over as an object:
                # var.cfg.timeout is that module's output `timeout`, in the caller's scope
                passed.append((Ref(f"{whole.name}.{member}"), caller))
            elif isinstance(whole, Ref) and whole.name.startswith(("local.", "var.")):
                # round 16 (infra): `cfg = local.config` hands an object over whole: var.cfg.queue.timeout
                # is local.config.queue.timeout in the caller's scope
                passed.append((Ref(f"{whole.name}.{member}"), caller))
        if not passed:
            return None
        first_expr, first_caller = passed[0]
        if len(passed) == len(calls) and all(expr == first_expr and (
                caller.module == first_caller.module or isinstance(expr, (Num, Str))) for expr, caller in passed):
            return first_expr, first_caller  # one expression everywhere (a literal may come from any folder)
        if len(passed) == len(calls):
            # each environment's root passes its own `var.lambda_timeout`: one value if they all agree
            values = {self._settled_in(expr, caller) for expr, caller in passed}
            if len(values) == 1 and None not in values:
                value = values.pop()
                return (Str(value) if isinstance(value, str) else Num(value)), first_caller
        return Unknown(f"{name} differs between the {len(calls)} calls of module {module}"), first_caller

    def _settled_in(self, expr: Expr, caller: FileResult):
        """The number or string an expression of a calling file comes to, or None."""
        if isinstance(expr, (Num, Str)):
            return expr.value
        value = evaluate(expr, self.lookup_for(caller)).value
        return value if isinstance(value, (int, float, str)) and not isinstance(value, bool) else None

    def _find_in_package_path(self, import_path: str, symbol: str) -> tuple[Expr, FileResult] | None:
        """Go-style imports (``example.com/orders/internal/config``) against modules that are folders
        (``orders/internal/config``): the longest folder the import path ends with."""
        for other in self._package_files(import_path):
            if symbol in other.symbols:
                return other.symbols[symbol], other
        return None

    def _package_files(self, import_path: str) -> list[FileResult]:
        """The files of the folder an import path names (``_find_in_package_path``), once per path: a
        tree of thousands of modules asks for the same few paths thousands of times."""
        memo = self.__dict__.setdefault("_package_memo", {})
        if import_path not in memo:
            memo[import_path] = self._package_files_of(import_path)
        return memo[import_path]

    def _package_files_of(self, import_path: str) -> list[FileResult]:
        # Both ways below need the module's last folder to be the import path's last segment.
        by_last = self.__dict__.get("_modules_by_last")
        if by_last is None:
            by_last = {}
            for module in self.by_module:
                by_last.setdefault(module.rsplit("/", 1)[-1], []).append(module)
            self._modules_by_last = by_last
        candidates = by_last.get(import_path.rsplit("/", 1)[-1], ())
        best: list[FileResult] = []
        best_len = -1
        for module in candidates:
            if (import_path == module or import_path.endswith("/" + module)) and len(module) > best_len:
                best, best_len = self.by_module[module], len(module)
        if not best:
            # A service checked out under another folder than its module path says
            # (github.com/acme/orders/internal/config in services/orders/internal/config): the folder
            # sharing the most trailing segments with the import path, two at least, and only one.
            wanted = import_path.split("/")
            scores: dict[int, list[list[FileResult]]] = {}
            for module in candidates:
                if "/" not in module:
                    continue
                have = module.split("/")
                common = 0
                while common < min(len(have), len(wanted)) and have[-1 - common] == wanted[-1 - common]:
                    common += 1
                if common >= 2:
                    scores.setdefault(common, []).append(self.by_module[module])
            if scores:
                top = scores[max(scores)]
                best = top[0] if len(top) == 1 else []
        return best

    def _bare_package(self, module: str) -> bool:
        """An import of a package from node_modules, not of the project: not relative, not a module
        of the scan (imports are resolved against the importing file's folder), not a tsconfig path
        alias or a workspace package."""
        if module.startswith((".", "/", "~", "#", "@/")):
            return False
        folders = getattr(self, "_module_folders", None)
        if folders is None:  # every module of the scan and the folders above it
            folders = set()
            for key in [*self.by_module, *self.all_modules, *(path.rsplit(".", 1)[0] for path in self.by_path)]:
                while key and key not in folders:
                    folders.add(key)
                    key = key.rpartition("/")[0]
            self._module_folders = folders
        parts = module.split(".")  # `<module>.<name>`; a module name may hold dots itself (socket.io)
        for i in range(len(parts), 0, -1):
            prefix = ".".join(parts[:i])
            if prefix in folders or expand(prefix, self.ts_aliases):
                return False
        return True

    def _find_qualified(self, qualified: str, origin: FileResult, hops: int = 3) -> tuple[Expr, FileResult] | None:
        if qualified.startswith("django.conf.settings."):
            key = qualified[len("django.conf.settings."):]
            for other in self.settings:
                if key in other.symbols:
                    return other.symbols[key], other
            return None
        parts = qualified.split(".")
        reexports = []
        for i in range(len(parts) - 1, 0, -1):
            module, symbol = ".".join(parts[:i]), ".".join(parts[i:])
            candidates = self.by_module.get(module) or self.by_suffix.get(module) or []
            if not candidates and origin.language == "javascript" and "/" in module and not module.startswith("."):
                # a relative import reaching into another service's folder (Egg/tegg modules, each
                # with a package.json of its own; round 10): the scan-wide module of that path
                candidates = self.all_modules.get(module) or []
            for other in candidates:
                if other is not origin and symbol in other.symbols:
                    return other.symbols[symbol], other
                head, _, rest = symbol.partition(".")
                if hops and other is not origin and other.language == "python" and head in other.imports:
                    # a package re-exporting a name (`from .abstract_connector import get_data` in
                    # connectors/__init__.py): looked up where it comes from, after direct definitions
                    reexports.append((other.imports[head] + ("." + rest if rest else ""), other))
                if hops and other is not origin and other.language == "python" and symbol.isidentifier():
                    # (round 20, loopchain) a module star-importing another (`from .configure_default import *`,
                    # recorded by the Python extractor as the import "*<module>"): the name may come from there
                    reexports += [(module + "." + symbol, other) for key, module in other.imports.items()
                                  if key.startswith("*")]
            if self.ts_aliases and origin.language == "javascript" and not module.startswith("."):
                for path in expand(module, self.ts_aliases):
                    for other in self.by_module.get(path) or self.all_modules.get(path) or []:
                        if other is not origin and symbol in other.symbols:
                            return other.symbols[symbol], other
        for target, via in reexports:
            if target != qualified:
                found = self._find_qualified(target, via, hops - 1)
                if found is not None:
                    return found
        if origin.language == "javascript":
            return self._find_in_js_folder(parts, origin)
        return None

    def _find_in_js_folder(self, parts: list[str], origin: FileResult) -> tuple[Expr, FileResult] | None:
        """An import of a folder whose index file re-exports its modules (``import { DataService }
        from '@app/data'`` with ``export * from './data.service'`` in data/index.ts): the one file
        under that folder that defines the name. Two or more: none (which one the barrel exports
        cannot be told here)."""
        folders = getattr(self, "_js_folders", None)
        if folders is None:  # folder -> the JavaScript files below it
            folders = {}
            for module, files in self.by_module.items():
                key = module.rpartition("/")[0]
                while key:
                    folders.setdefault(key, []).extend(f for f in files if f.language == "javascript")
                    key = key.rpartition("/")[0]
            self._js_folders = folders
        for i in range(len(parts) - 1, 0, -1):
            module, symbol = ".".join(parts[:i]), ".".join(parts[i:])
            paths = [module] if module.startswith(".") or not self.ts_aliases else [module, *expand(module, self.ts_aliases)]
            for path in paths:
                path = path[: -len("/index")] if path.endswith("/index") else path
                hits = [f for f in folders.get(path, ()) if f is not origin and symbol in f.symbols]
                if len(hits) == 1:
                    return hits[0].symbols[symbol], hits[0]
        return None


# A pending "attribute" that is a condition, not a value: the finding is kept only when its
# expression resolves to something truthy (see resolve_findings).
KEEP_IF = "$keep_if"

# What a file publishes about its helpers' parameters (`post_json.$timeout_param:2` -> ms per unit
# of the argument), for the proposals of their callers (extractors/wrappers.py).
TIMEOUT_PARAM = "$timeout_param"
ATTEMPTS_PARAM = "$attempts_param"
# A helper whose attempts parameter has a default (`maxRetries = DEFAULT_RETRIES`): a call passing
# only <k> positional arguments gets the default (`<name>.$attempts_omitted:<k>` says it may,
# `<name>.$attempts_default:<k>` is the max_attempts it then makes).
ATTEMPTS_OMITTED = "$attempts_omitted"
ATTEMPTS_DEFAULT = "$attempts_default"
# The same for a timeout parameter with a default (`post(url, timeout=5)` called as `post(url)`).
TIMEOUT_OMITTED = "$timeout_omitted"
TIMEOUT_DEFAULT = "$timeout_default"
# A helper that always calls one destination (`<name>.$url_fixed` = its URL or base): a proposal at its
# call without a destination of its own goes there (resolve_finding).
URL_FIXED = "$url_fixed"
MARKERS = (TIMEOUT_PARAM, ATTEMPTS_PARAM, ATTEMPTS_OMITTED, TIMEOUT_OMITTED)


def published_names(symbols) -> set[str]:
    """The helper names (last component, e.g. `post_json`) whose parameters these symbols publish."""
    out = set()
    for key in symbols:
        if "$" not in key:
            continue
        for marker in MARKERS:
            cut = key.find("." + marker)
            if cut > 0:
                out.add(key[:cut].rsplit(".", 1)[-1])
    return out


def resolve_findings(finding: Finding, result: FileResult, resolver: Resolver, index: ServiceIndex) -> list[Finding]:
    """``resolve_finding``, except that a total timeout whose value turns out to be a pair defined
    elsewhere (``timeout=SUPPORT_TIMEOUT`` with ``SUPPORT_TIMEOUT = (2, 10)`` in settings: requests'
    (connect, read)) becomes two findings, phase connect and read, as a literal pair is reported."""
    keep_if = [p for p in finding.pending if p.attribute == KEEP_IF]
    if keep_if:
        # a finding an extractor could only propose (a call of a function of another file): it holds
        # when the callee's file says so (`post_json.$timeout_param:2`), else it is dropped
        lookup = resolver.lookup_for(result)
        if any(evaluate(p.expr, lookup).value in (None, 0, False, "") for p in keep_if):
            return []
        finding = replace(finding, pending=tuple(p for p in finding.pending if p.attribute != KEEP_IF))
    pending = next((p for p in finding.pending if p.attribute == "timeout_ms"), None)
    if pending is not None and finding.kind == "timeout" and finding.attributes.get("phase") == "total":
        lookup = resolver.lookup_for(result)
        evaluated = evaluate(pending.expr, lookup)
        phases: tuple[str, ...] = ("connect", "read")
        said = next((p for p in finding.pending if p.attribute == "phase"), None)
        named = evaluate(said.expr, lookup).value if said is not None else None
        if isinstance(named, str) and "," in named:
            # a helper's defaults of several phases left out (`wrappers._publish_default`): one each
            phases = tuple(named.split(","))
        if isinstance(evaluated.value, tuple) and len(evaluated.value) == len(phases):
            rest = tuple(p for p in finding.pending if p is not pending and p is not said)
            out = []
            for phase, item in zip(phases, evaluated.value):
                if not isinstance(item, (int, float)) or isinstance(item, bool):
                    continue  # (3.05, None): no bound on that phase
                one = resolve_finding(replace(finding, pending=rest), result, resolver, index)
                ms = normalise_ms(item * (pending.scale if pending.scale is not None else 1.0))
                confidence = "medium" if evaluated.resolved_from in ("env_default", "config") else one.confidence
                out.append(replace(one, confidence=confidence, attributes={
                    **one.attributes, "phase": phase, "timeout_ms": ms, "resolved_from": evaluated.resolved_from}))
            if out:
                return out
    resolved = resolve_finding(finding, result, resolver, index)
    if _zero_js_timeout_js1(resolved):
        return []
    return [resolved]


def _zero_js_timeout_js1(finding: Finding) -> bool:
    """(round 15, js1) A JavaScript timeout that resolves to 0 ms (`const { timeout = 0 } = config;
    req.setTimeout(timeout)`): 0 disables Node's clients' timeouts, no bound (the extractor drops the
    ones it resolves itself)."""
    value = finding.attributes.get("timeout_ms")
    return finding.kind == "timeout" and finding.language == "javascript" and \
        isinstance(value, (int, float)) and not isinstance(value, bool) and value == 0


_HOST_PREFIX = re.compile(r"^[a-z][a-z0-9+.-]*://[^/?#{}\s]+[/?#]", re.I)


def _concat_parts(expr: Expr) -> list[Expr]:
    if isinstance(expr, Call) and expr.func == "concat":
        return [p for a in expr.args for p in _concat_parts(a)]
    if isinstance(expr, BinOp) and expr.op == "+":
        return _concat_parts(expr.left) + _concat_parts(expr.right)
    return [expr]


def _with_placeholders(expr: Expr, lookup) -> str | None:
    """A URL built from a literal scheme and host and some parts nobody can know
    (`http://orders:8080/orders/${orderId}/labels`): the URL with ``{orderId}`` for those parts,
    when everything up to the end of the host resolved; else None (no host is ever guessed)."""
    parts = _concat_parts(expr)
    if len(parts) < 2:
        return None
    text, known = [], True
    for part in parts:
        value = evaluate(part, lookup).value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(int(value)) if float(value).is_integer() else str(value)
        if isinstance(value, str):
            text.append(value)
            continue
        if known and not _HOST_PREFIX.match("".join(text)):
            return None  # the host itself depends on something unknown
        known = False
        text.append("{" + part.name.rsplit(".", 1)[-1] + "}" if isinstance(part, Ref) else "{}")
    return None if known else "".join(text)


def resolve_finding(finding: Finding, result: FileResult, resolver: Resolver, index: ServiceIndex) -> Finding:
    """Fill a finding's pending values and its target's service."""
    attributes = dict(finding.attributes)
    target = finding.target
    confidence = finding.confidence
    lookup = resolver.lookup_for(result)
    for pending in finding.pending:
        evaluated = evaluate(pending.expr, lookup)
        if pending.attribute == "url":
            url = evaluated.value if isinstance(evaluated.value, str) else _with_placeholders(pending.expr, lookup)
            service, known = (None, False)
            if url:
                service, known = index.from_url(url)
            if not known:
                for name in ref_names(pending.expr, include_env=True):
                    hinted, hinted_known = index.from_name(name)
                    if hinted and (hinted_known or not service):
                        service, known = hinted, hinted_known
                        break
            base = target or Target()
            target = Target(service=base.service or service, operation=base.operation, url=base.url or url)
            if attributes.get("url") is None and url:
                attributes["url"] = url
            continue
        value = evaluated.value
        if pending.scale is not None:
            number = value if isinstance(value, (int, float)) and not isinstance(value, bool) else None
            if number is None and isinstance(value, str):
                try:
                    number = float(value)
                except ValueError:
                    number = None
            if number is not None:
                scaled = number * pending.scale
                value = normalise_ms(scaled) if pending.attribute.endswith("_ms") else (
                    int(scaled) if float(scaled).is_integer() else scaled)
            else:
                value = None
        if value is None:
            attributes.setdefault(pending.attribute, None)
            if attributes.get(pending.attribute) is None and "resolved_from" in attributes:
                attributes["resolved_from"] = "unresolved"
            continue
        attributes[pending.attribute] = value
        if "resolved_from" in attributes and pending.attribute in ("timeout_ms",):
            attributes["resolved_from"] = evaluated.resolved_from
        if evaluated.resolved_from in ("env_default", "config") and confidence == "high":
            confidence = "medium"
    via = attributes.get("via")
    if via and finding.kind in ("timeout", "retry") and (target is None or not (target.url or target.service)):
        # a proposal at a call of a helper that always calls one destination (`call_ml(path, payload)` posting to
        # settings.ML_URL + path): the helper's destination (URL_FIXED, published by extractors/wrappers.py)
        fixed = evaluate(Ref(f"{via}.{URL_FIXED}"), lookup).value
        if isinstance(fixed, str) and fixed:
            target = Target(operation=target.operation if target else None, url=fixed)
    if target is not None and target.url and not target.service:
        service, _known = index.from_url(target.url)
        if service:
            target = replace(target, service=service)
    return replace(finding, attributes=attributes, target=target, confidence=confidence, pending=())
