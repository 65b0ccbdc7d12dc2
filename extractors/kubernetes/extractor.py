"""The Kubernetes extractor: service-mesh settings (Istio VirtualService / DestinationRule,
Gateway API HTTPRoute, Envoy Gateway / Traefik / Linkerd policies) and proxy annotations (ingress-nginx / NGINX Ingress on an Ingress, AWS load
balancer idle timeouts) that are contracts between services, read from manifests.

It claims every ``.yaml``/``.yml`` file but leaves at once, with no findings and no parsing, any
file that is not a manifest (no ``apiVersion`` and ``kind``), that names no kind it reads, or that
lives in a ``contracts/`` folder. Manifests are composed with PyYAML's safe C loader (see
``manifest.py``); a syntax error yields ``ErrorEntry(kind="yaml_error", line=...)`` and the
documents before it are still read.
"""

from __future__ import annotations

import re

import yaml

from dataclasses import replace

from contract_discovery.model import ErrorEntry, FileResult, Finding, Pending
from contract_discovery.values import BinOp, Expr, Num, Str
from extractors.base import Extractor
from extractors.kubernetes.context import ManifestFile
from extractors.kubernetes import helm
from extractors.kubernetes.detectors import (container_commands, dapr_resiliency, envoy_config, gateway_httproute, gateways,
                                            haproxy_config, ingress_annotations, istio_destination_rule,
                                            istio_virtual_service, kong_config, kustomize_patches, nginx_config,
                                            proxy_policies, request_templates, service_settings, traefik_config)
from extractors.kubernetes.manifest import (expand_lists, get, is_contract_path, items, load_documents,
                                           looks_like_manifest, scalar)

_DETECTORS = {}
for _module in (istio_virtual_service, istio_destination_rule, gateway_httproute, ingress_annotations,
                proxy_policies, nginx_config, envoy_config, request_templates, gateways, dapr_resiliency,
                container_commands, kong_config, haproxy_config):
    for _kind in _module.KINDS:
        _DETECTORS.setdefault(_kind, []).append(_module.detect)

# Workloads whose containers' `env` is the environment the service's code runs with.
_WORKLOADS = {"Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Rollout", "DeploymentConfig"}
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")


def config_maps(documents) -> dict[str, dict[str, str]]:
    """The literal ``data`` of the ConfigMaps in one file, by name (for the workloads beside them)."""
    out: dict[str, dict[str, str]] = {}
    for doc in documents:
        if doc.kind != "ConfigMap" or not doc.name or "TEMPLATED" in doc.name:
            continue
        data = get(doc.root, "data")
        if isinstance(data, yaml.MappingNode):
            out[doc.name] = {k.value: v.value for k, v in data.value if isinstance(k, yaml.ScalarNode)
                             and isinstance(v, yaml.ScalarNode) and _ENV_NAME.match(k.value)
                             and "TEMPLATED" not in v.value and "\n" not in v.value}
    return out


def workload_env(doc, maps: dict[str, dict[str, str]] | None = None) -> dict[str, Expr]:
    """``$deploy-env:<workload>:<VAR>`` for each container env entry with a literal ``value``, or a
    ``valueFrom.configMapKeyRef`` / ``envFrom.configMapRef`` of a ConfigMap in the same file, under
    the workload's name, its ``app`` / ``app.kubernetes.io/name`` label and each container's name:
    the names a scanned service may go by (see pipeline.deployment_env)."""
    maps = maps or {}
    spec = get(doc.root, "spec")
    if doc.kind == "CronJob":
        spec = get(get(get(spec, "jobTemplate"), "spec"), "template")
        spec = get(spec, "spec")
    else:
        spec = get(get(spec, "template"), "spec")
    names = {doc.name} if doc.name else set()
    labels = get(get(doc.root, "metadata"), "labels")
    for key in ("app", "app.kubernetes.io/name"):
        label = scalar(get(labels, key))
        if label:
            names.add(label)
    out: dict[str, Expr] = {}
    for container in items(get(spec, "containers")):
        cname = scalar(get(container, "name"))
        values: dict[str, str] = {}
        for source in items(get(container, "envFrom")):  # every key of the ConfigMap, env entries win
            ref = get(source, "configMapRef")
            prefix = scalar(get(source, "prefix")) or ""
            for key, text in maps.get(scalar(get(ref, "name")) or "", {}).items():
                values[prefix + key] = text
        for env in items(get(container, "env")):
            var, value = scalar(get(env, "name")), scalar(get(env, "value"))
            ref = get(get(env, "valueFrom"), "configMapKeyRef")
            if value is None and ref is not None:
                value = maps.get(scalar(get(ref, "name")) or "", {}).get(scalar(get(ref, "key")) or "")
            if var and value is not None:
                values[var] = value
        for var, value in values.items():
            if _ENV_NAME.match(var) and "$(" not in value:
                for name in names | ({cname} if cname else set()):
                    out[f"$deploy-env:{name}:{var}"] = Str(value)
    return out


_TOP_API_VERSION = re.compile(rb"(?m)^apiVersion[ \t]*:")
_TOP_KIND = re.compile(rb"(?m)^kind[ \t]*:")


def _values_manifest(data: bytes) -> bool:
    """Whether a file named like a chart's values file is a manifest after all: `apiVersion` and
    `kind` as top-level keys (round 10: a values.yaml naming `apiVersion: ""` of an extra object
    deep inside, or the word kind, is still the chart's values)."""
    return bool(looks_like_manifest(data) and _TOP_API_VERSION.search(data) and _TOP_KIND.search(data))


# (round 14) manifests a values file carries whole (Bitnami's `extraDeploy: [...]`, `extraObjects`,
# `extraResources`, `extraManifests`; a GKE BackendConfig in an example values file): the chart
# renders each item with `{{ toYaml . }}` as it is written, so the detectors of its kind read it there
EMBEDDED_MAX_DEPTH = 6


def embedded_manifests(root: yaml.Node) -> list:
    """The mappings with a scalar ``apiVersion`` and ``kind`` nested (not at the root) in a values
    tree: items of lists or values of maps, up to EMBEDDED_MAX_DEPTH levels down."""
    from extractors.kubernetes.manifest import Document
    out = []
    stack: list[tuple[yaml.Node, int]] = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > EMBEDDED_MAX_DEPTH:
            continue
        if isinstance(node, yaml.MappingNode):
            if depth > 0 and scalar(get(node, "kind")) and scalar(get(node, "apiVersion")):
                out.append(Document(len(out), node))
                continue
            stack.extend((value, depth + 1) for _key, value in node.value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((value, depth + 1) for value in node.value)
    out.sort(key=lambda doc: doc.root.start_mark.line)
    return out


def embedded_findings(path: str, data: bytes) -> list[Finding]:
    """Findings of the manifests a values file carries (see ``embedded_manifests``)."""
    if b"apiVersion" not in data or b"kind" not in data:
        return []
    documents, _errors = load_documents(path, data)
    mf = ManifestFile(path=path, lines=data.decode("utf-8", errors="replace").splitlines())
    out: list[Finding] = []
    for top in documents:
        if top.kind:
            continue  # a manifest itself: read as one
        for doc in embedded_manifests(top.root):
            for detect in _DETECTORS.get(doc.kind or "", ()):
                try:
                    out.extend(detect(doc, mf))
                except Exception:  # noqa: BLE001 - one odd item must not cost the others
                    continue
    return out


# (round 13) template files claimed for a standalone proxy configuration only
TEMPLATE_SUFFIXES = (".tmpl", ".j2", ".cfg", ".conf", ".template")
# (round 13) an nginx configuration file (`nginx.conf`, `conf.d/default.conf`, the nginx image's
# envsubst `default.conf.template`, an Ansible `site.conf.j2`)
NGINX_SUFFIXES = (".conf", ".conf.template", ".conf.tmpl", ".conf.j2")


class KubernetesExtractor(Extractor):
    name = "kubernetes"
    language = "kubernetes"
    # round 13: a proxy's configuration kept as a template (an operator's embedded `envoy/cds.tmpl`,
    # Ansible's `envoy.yaml.j2`): only a standalone proxy configuration is read in those (see extract)
    extensions = (".yaml", ".yml", *TEMPLATE_SUFFIXES)
    filenames = ()
    prefilter_tokens = (*(kind.encode() for kind in (*_DETECTORS, *_WORKLOADS) if kind != "ConfigMap"),
                        *nginx_config.TOKENS, *envoy_config.MARKERS, kong_config.MARKER,
                        # a chart's values.yaml holding a timeout or retry setting its templates use
                        b"timeout", b"retries", b"attempts",
                        # a service's configuration a chart renders (config.json, a DSN in a Secret)
                        b"Timeout",
                        # (round 22) a Fluent Bit [OUTPUT] section written as a values string (`Retry_Limit False`)
                        b"Retry_Limit")
    claims_language = False  # any YAML may be claimed; only manifests make a service "kubernetes"

    def extract(self, path: str, data: bytes) -> FileResult:
        empty = FileResult(path=path, language=self.language)
        if is_contract_path(path):
            return empty
        if path.endswith(NGINX_SUFFIXES):
            if len(data) <= MAX_TPL_BYTES and nginx_config.has_directives(data):
                lines = data.decode("utf-8", errors="replace").splitlines()
                try:
                    found = nginx_config.findings_in_lines(path, lines, 1, len(lines), None)
                except Exception as exc:  # noqa: BLE001 - never an exception
                    return FileResult(path=path, language=self.language, errors=(
                        ErrorEntry(path, "extractor_error", f"{type(exc).__name__}: {exc}"[:200]),))
                return FileResult(path=path, language=self.language, findings=tuple(found))
            if path.endswith((".conf", ".template")):
                return empty
        if path.endswith(".template"):
            return empty
        if path.endswith((".cfg", ".cfg.tpl", ".cfg.tmpl", ".cfg.j2")) or (
                path.endswith(".tpl") and not is_helm_helper(path) and not looks_like_manifest(data)):
            # (round 13) an HAProxy configuration: standalone, a chart's config template or partial
            if len(data) <= MAX_TPL_BYTES and haproxy_config.has_haproxy(path, data):
                lines = data.decode("utf-8", errors="replace").splitlines()
                try:
                    found = haproxy_config.findings_in_lines(path, lines, 1, len(lines), None)
                except Exception as exc:  # noqa: BLE001 - never an exception
                    return FileResult(path=path, language=self.language, errors=(
                        ErrorEntry(path, "extractor_error", f"{type(exc).__name__}: {exc}"[:200]),))
                return FileResult(path=path, language=self.language, findings=tuple(found))
            if path.endswith(".cfg"):
                return empty
        if path.endswith(".tpl") and (is_helm_helper(path) or not looks_like_manifest(data)):
            return helm_helper(path, data)
        # (round 11) else a manifest written as a Go text/template outside a chart (an operator's
        # embedded `tmpl/vs.tpl`): read like a chart's template, its placeholders left unresolved
        if is_helm_partial(path):
            partial = helm_helper(path, data)
            if partial.findings:
                return partial  # else it may still be a manifest template (read below)
        if (helm.is_values_file(path) or helm.is_environment_values_file(path)) and not _values_manifest(data):
            # a chart's default values, for its templates' {{ .Values.x }} (extractors/kubernetes/helm.py);
            # the ingress / service annotations a values file sets (a default or an environment's)
            small = len(data) <= 1024 * 1024
            symbols = helm.values_symbols(path, data, environment=not helm.is_values_file(path)) if small else {}
            try:
                found = ingress_annotations.values_findings(path, data.decode("utf-8", errors="replace")) \
                    if small and ingress_annotations.has_annotation_keys(data) else []
                if small and service_settings.has_settings(data):
                    # (round 12) environment settings its templates render (`configMap: {X_TIMEOUT: "60"}`);
                    # (round 19) also in an environment's values file (`values-prod.yaml` of a chart pulled in
                    # as a dependency: the deployment's own settings, reported where written as annotations are)
                    lines = data.decode("utf-8", errors="replace").splitlines()
                    found = [*found, *service_settings.values_env_findings(path, lines)]
                if small:
                    found = [*found, *embedded_findings(path, data)]  # (round 14) extraDeploy manifests
                    found = [*found, *service_settings.chart_option_findings(path, data)]  # (round 16)
                    if b"Retry_Limit" in data or b"retry_limit" in data:
                        # (round 20) a Fluent Bit [OUTPUT] section written as a values string
                        found = [*found, *service_settings.fluent_bit_retries(
                            path, data.decode("utf-8", errors="replace").splitlines())]
                if small and nginx_config.has_directives(data):
                    # (round 12) nginx directives in a values block the chart renders into its nginx
                    # configuration (`nginx.config.serverBlockCustom: | fastcgi_read_timeout 3600s;`)
                    lines = data.decode("utf-8", errors="replace").splitlines()
                    found = [*found, *nginx_config.findings_in_lines(path, lines, 1, len(lines), None)]
            except Exception:  # noqa: BLE001 - odd values give no findings, never an exception
                found = []
            return FileResult(path=path, language=self.language, symbols=symbols, findings=tuple(found))
        if path.endswith((".yaml", ".yml")) and len(data) <= 1024 * 1024 and not _values_manifest(data) \
                and ingress_annotations.has_annotation_keys(data):
            # (round 13) values a chart ships under another name (`examples/ingress/wildcard-tls.yaml`,
            # `ci/ha.yaml`), handed to `helm install -f`: the ingress / service annotations they set
            try:
                found = ingress_annotations.values_findings(path, data.decode("utf-8", errors="replace"))
                found = [*found, *embedded_findings(path, data)]  # (round 14) manifests it carries
            except Exception:  # noqa: BLE001 - odd values give no findings, never an exception
                found = []
            if found:
                return FileResult(path=path, language=self.language, findings=tuple(found))
        template = path.endswith(TEMPLATE_SUFFIXES)
        if not looks_like_manifest(data) and envoy_config.is_standalone(data) and envoy_config.has_envoy(data) \
                and len(data) <= MAX_TPL_BYTES:
            # a standalone Envoy configuration (envoy.yaml), read as written
            try:
                lines = data.decode("utf-8", errors="replace").splitlines()
                found = [_with_helm_value(path, f)
                         for f in envoy_config.findings_in_lines(path, lines, 1, len(lines), None)]
            except Exception as exc:  # noqa: BLE001 - never an exception
                return FileResult(path=path, language=self.language,
                                  errors=(ErrorEntry(path, "extractor_error", f"{type(exc).__name__}: {exc}"[:200]),))
            return FileResult(path=path, language=self.language, findings=tuple(found))
        if not looks_like_manifest(data) and kong_config.has_kong(data) and len(data) <= MAX_TPL_BYTES:
            # (round 13) Kong's declarative configuration (kong.yml, DB-less), read as written
            try:
                lines = data.decode("utf-8", errors="replace").splitlines()
                found = kong_config.findings_in_lines(path, lines, 1, len(lines), None)
            except Exception as exc:  # noqa: BLE001 - never an exception
                return FileResult(path=path, language=self.language,
                                  errors=(ErrorEntry(path, "extractor_error", f"{type(exc).__name__}: {exc}"[:200]),))
            return FileResult(path=path, language=self.language, findings=tuple(found))
        if not looks_like_manifest(data) and traefik_config.has_traefik(data) and len(data) <= MAX_TPL_BYTES:
            # (round 13) Traefik's file-provider / static configuration, or Compose labels for it
            try:
                lines = data.decode("utf-8", errors="replace").splitlines()
                found = traefik_config.findings_in_lines(path, lines)
            except Exception as exc:  # noqa: BLE001 - never an exception
                return FileResult(path=path, language=self.language,
                                  errors=(ErrorEntry(path, "extractor_error", f"{type(exc).__name__}: {exc}"[:200]),))
            if found:
                return FileResult(path=path, language=self.language, findings=tuple(found))
        if template:
            return empty  # (round 13) any other template: not read here
        base = path.rsplit("/", 1)[-1]
        if base in ("kustomization.yaml", "kustomization.yml") or b"kind: Kustomization" in data or (
                not looks_like_manifest(data) and kustomize_patches.looks_like_operations(data)):
            return self._kustomize(path, data)
        if not looks_like_manifest(data) or not self.prefilter(data):
            return empty
        if b"kind: ConfigMap" in data and not nginx_config.has_directives(data) and not envoy_config.has_envoy(data) \
                and not kong_config.has_kong(data) and not haproxy_config.has_haproxy("", data) \
                and not request_templates.has_request_templates(data) and not service_settings.has_settings(data) \
                and not container_commands.has_script_calls(data) \
                and not any(
                kind.encode() in data for kind in (*_DETECTORS, *_WORKLOADS) if kind != "ConfigMap"):
            return empty  # a ConfigMap without nginx proxy settings holds nothing read here
        try:
            documents, errors = load_documents(path, data)
        except Exception as exc:  # the loader must never take the scan down
            return FileResult(path=path, language=self.language,
                              errors=(ErrorEntry(path, "yaml_error", f"{type(exc).__name__}: {exc}"),))
        mf = ManifestFile(path=path, lines=data.decode("utf-8", errors="replace").splitlines())
        if b"with" in data and helm.chart_dir(path) is not None:
            mf.lines = helm.with_dots(mf.lines)  # (round 20) `{{ . }}` of a `with .Values.x` block reads x
        findings: list[Finding] = []
        symbols: dict[str, Expr] = {}
        maps = config_maps(expand_lists(documents)) if b"ConfigMap" in data else {}
        for doc in expand_lists(documents):
            if doc.kind in _WORKLOADS:
                try:
                    symbols.update(workload_env(doc, maps))
                except Exception as exc:  # one odd document must not cost the others
                    errors.append(ErrorEntry(path, "yaml_error", f"{doc.kind} {doc.name}: {type(exc).__name__}: {exc}",
                                             line=doc.root.start_mark.line + 1))
                if b"curl" not in data and b"wget" not in data:
                    continue  # (round 12) else its containers' own curl / wget calls (detectors/container_commands.py)
            for detect in _DETECTORS.get(doc.kind or "", ()):
                try:
                    findings.extend(detect(doc, mf))
                except Exception as exc:  # one odd document must not cost the others
                    errors.append(ErrorEntry(path, "yaml_error", f"{doc.kind} {doc.name}: {type(exc).__name__}: {exc}",
                                             line=doc.root.start_mark.line + 1))
        for top in documents:
            if top.kind is None and len(data) <= 1024 * 1024:
                # (round 14) a values-like file (an example's `extraResources:`) carrying manifests
                for doc in embedded_manifests(top.root):
                    for detect in _DETECTORS.get(doc.kind or "", ()):
                        try:
                            findings.extend(detect(doc, mf))
                        except Exception:  # noqa: BLE001 - one odd item must not cost the others
                            continue
        if not documents and b"kind: ConfigMap" in data and nginx_config.has_directives(data) and b"{{" in data:
            # a Helm template of a ConfigMap that is not YAML even blanked: its nginx lines as written
            findings.extend(nginx_config.findings_in_lines(path, mf.lines, 1, len(mf.lines), None))
        if not documents and b"kind: ConfigMap" in data and envoy_config.has_envoy(data) and b"{{" in data:
            findings.extend(envoy_config.findings_in_lines(path, mf.lines, 1, len(mf.lines), None))
        if b"set $" in data and b"{{" in data and ingress_annotations.has_annotation_keys(data):
            # (round 13) `{{- $_ := set $extraAnnotations "nginx.ingress.kubernetes.io/..." "120" }}`
            findings.extend(ingress_annotations.set_findings(path, mf.lines))
        if not documents and b"kind: ConfigMap" in data and kong_config.has_kong(data) and b"{{" in data:
            findings.extend(kong_config.findings_in_lines(path, mf.lines, 1, len(mf.lines), None))
        if not documents and b"kind: ConfigMap" in data and request_templates.has_request_templates(data) \
                and b"{{" in data:
            findings.extend(request_templates.findings_in_lines(path, mf.lines, 1, len(mf.lines), None))
        if envoy_config.has_envoy_headers(data) and (b"EnvoyFilter" in data or b"VirtualService" in data):
            # (round 19) Envoy's x-envoy-* limit headers an Istio EnvoyFilter's Lua code or a route adds
            findings.extend(envoy_config.header_findings(path, mf.lines))
        if service_settings.has_settings(data) and (b"ConfigMap" in data or b"kind: Secret" in data
                                                    or b'kind: "Secret"' in data or b"kind: 'Secret'" in data or any(
                kind.encode() in data for kind in _WORKLOADS)):
            try:
                # the service's own settings handed to it (env-style keys, config files' client blocks)
                findings.extend(service_settings.findings_in_lines(path, mf.lines))
            except Exception as exc:  # noqa: BLE001 - never an exception
                errors.append(ErrorEntry(path, "extractor_error", f"service settings: {type(exc).__name__}: {exc}"[:200]))
        findings = _once_per_line([_with_helm_value(path, f) for f in findings])
        if symbols:  # published for the pipeline's deployment environment, not a language of the service
            return FileResult(path=path, language="deployenv", symbols=symbols, imports={"$deployenv": path},
                              errors=tuple(errors)) if not findings else FileResult(
                path=path, language=self.language, findings=tuple(findings), errors=tuple(errors),
                symbols=symbols, imports={"$deployenv": path})
        return FileResult(path=path, language=self.language, findings=tuple(findings), errors=tuple(errors))


    def _kustomize(self, path: str, data: bytes) -> FileResult:
        """A Kustomize overlay's patches (``kustomization.yaml``) or a file of JSON 6902 operations
        (detectors/kustomize_patches.py); inline strategic-merge patches are read by this extractor."""
        empty = FileResult(path=path, language=self.language)
        if len(data) > MAX_TPL_BYTES or not (b"timeout" in data or b"Timeout" in data or b"retries" in data
                                              or b"tries" in data):
            return empty
        try:
            text = data.decode("utf-8", errors="replace")
            mf = ManifestFile(path=path, lines=text.splitlines())
            found: list[Finding] = []
            for root in yaml.compose_all(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
                if isinstance(root, yaml.SequenceNode):
                    found.extend(kustomize_patches.operation_findings(mf, root))
                elif isinstance(root, yaml.MappingNode):
                    found.extend(kustomize_patches.patch_findings(
                        root, mf, lambda p, d: list(self.extract(p + "#patch", d).findings)))
        except Exception as exc:  # noqa: BLE001 - a strange overlay gives an error entry, never an exception
            return FileResult(path=path, language=self.language,
                              errors=(ErrorEntry(path, "yaml_error", f"{type(exc).__name__}: {exc}"[:200]),))
        found = [replace(f, path=path) for f in found]
        found.sort(key=lambda f: (f.line, f.column, f.kind))
        return FileResult(path=path, language=self.language, findings=tuple(found))


MAX_TPL_BYTES = 2 * 1024 * 1024


def is_helm_helper(path: str) -> bool:
    """A Helm chart's ``templates/*.tpl`` helper (claimed for the pipeline by the deployenv
    extractor, the one whose registry hints include ``.tpl``)."""
    return path.endswith(".tpl") and "/templates/" in "/" + path


def is_manifest_template(path: str) -> bool:
    """(round 11) A ``.tpl`` file outside a chart's templates/ (an operator's Go text/template of a
    manifest, ``pkg/app/x/tmpl/vs.tpl``); the content decides whether it is a manifest."""
    return path.endswith(".tpl") and not is_helm_helper(path)


def is_helm_partial(path: str) -> bool:
    """A chart's ``templates/_name.yaml``: Helm renders no manifest from a file whose name starts
    with ``_``; it holds ``define`` blocks other templates include (a configuration file's text)."""
    base = path.rsplit("/", 1)[-1]
    return base.startswith("_") and base.endswith((".yaml", ".yml")) and "/templates/" in "/" + path


def _once_per_line(findings: list[Finding]) -> list[Finding]:
    """The findings sorted, without a service setting on a line another detector reports the same
    kind of (an Envoy or nginx setting, a request template): one contract, one finding."""
    others = {(f.line, f.kind) for f in findings if f.detector != service_settings.ID}
    kept = [f for f in findings if f.detector != service_settings.ID or (f.line, f.kind) not in others]
    kept.sort(key=lambda f: (f.line, f.column, f.kind))
    return kept


def helm_helper(path: str, data: bytes) -> FileResult:
    """A Helm ``.tpl`` helper (``{{- define "x.nginx-config" -}}`` ...): the nginx directives or the
    Envoy settings it holds, on their own lines (a proxy configuration some ConfigMap includes), the
    service settings of the configuration file it renders, and the value of each helper that renders
    one value (``helm.define_symbols``, for the templates that ``include`` it)."""
    if b"{{" not in data:
        # (round 12) no Go template at all: a Terraform templatefile() under a templates/ folder
        # (`templates/step_function/sfn.json.tpl`, its `${var}`s), read by its own extractor
        return FileResult(path=path, language="kubernetes")
    nginx = nginx_config.has_directives(data) and (b"proxy_pass" in data or b"grpc_pass" in data
                                                   or b"fastcgi_pass" in data or b"uwsgi_pass" in data)
    envoy = envoy_config.has_envoy(data)
    requests = request_templates.has_request_templates(data)
    settings = service_settings.has_settings(data)
    defines = b"define" in data
    if len(data) > MAX_TPL_BYTES or not (nginx or envoy or requests or settings or defines):
        return FileResult(path=path, language="kubernetes")
    try:
        lines = data.decode("utf-8", errors="replace").splitlines()
        symbols = helm.define_symbols(path, lines) if defines else {}
        found = nginx_config.findings_in_lines(path, lines, 1, len(lines), None) if nginx else []
        if envoy:
            found += envoy_config.findings_in_lines(path, lines, 1, len(lines), None)
        if requests:
            found += request_templates.findings_in_lines(path, lines, 1, len(lines), None)
        if settings:
            found += service_settings.findings_in_lines(path, lines)
        found = _once_per_line([_with_helm_value(path, f) for f in found])
    except Exception as exc:  # noqa: BLE001 - a strange helper gives an error entry, never an exception
        return FileResult(path=path, language="kubernetes",
                          errors=(ErrorEntry(path, "extractor_error", f"{type(exc).__name__}: {exc}"[:200]),))
    return FileResult(path=path, language="kubernetes", findings=tuple(found), symbols=symbols)


# retry settings whose value a placeholder may stand for: what to add to it for max_attempts
_RETRY_ADD = (("proxy-next-upstream-tries", 0), ("retry.numRetries", 1), ("retries.attempts", 1),
              ("retry.attempts", 0), ("maxRetries", 1))


def _with_helm_value(path: str, finding: Finding) -> Finding:
    """A timeout a Helm placeholder stands for (``timeout: {{ .Values.timeout }}``): pending on the
    chart's values.yaml. Durations (``"5s"``) or a bare number of seconds. A retry count likewise,
    for the settings whose meaning is known (tries, or retries after the first try)."""
    if finding.pending:
        return finding
    if finding.kind == "retry" and finding.attributes.get("max_attempts") is None:
        expression = str(finding.attributes.get("expression") or "")
        setting = str(finding.attributes.get("setting") or "")
        add = next((n for suffix, n in _RETRY_ADD if setting.endswith(suffix)), None)
        expr = helm.placeholder_expr(path, expression) if "{{" in expression and add is not None else None
        if expr is None:
            return finding
        return replace(finding, pending=(Pending("max_attempts", BinOp("+", expr, Num(float(add))), 1.0),),
                       confidence="medium")
    if finding.kind != "timeout" or finding.attributes.get("timeout_ms") is not None:
        return finding
    expression = str(finding.attributes.get("expression") or "")
    expr = helm.duration_expr(path, expression) if "{{" in expression else None
    if expr is None:
        return finding
    return replace(finding, pending=(Pending("timeout_ms", expr, 1.0),),
                   confidence="medium" if finding.confidence == "low" else finding.confidence)


EXTRACTOR = KubernetesExtractor()
