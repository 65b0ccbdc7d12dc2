"""Kubernetes/Istio extractor: annotated fixtures, non-manifest YAML, contracts folders, YAML
errors, alias bombs, Helm templates and the detector examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from contract_discovery.model import FileResult, Pending
from contract_discovery.values import Call, Num, Ref, Str
from extractors.base import DETECTORS
from extractors.kubernetes import manifest
from extractors.kubernetes.context import service_of_host
from extractors.kubernetes.extractor import EXTRACTOR
from extractors.kubernetes.manifest import duration_ms
from tests.annotations import check_annotations, read_annotations

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "fixtures" / "kubernetes"
YAML_FILES = sorted(p for p in (FIXTURES.rglob("*.y*ml")) if p.suffix in (".yaml", ".yml")) + sorted(
    p for p in (ROOT / "fixtures" / "polyglot" / "mesh").rglob("*.yaml"))


def extract(path: Path) -> FileResult:
    rel = path.relative_to(ROOT).as_posix()
    return EXTRACTOR.extract(rel, path.read_bytes())


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_annotated_fixture(path: Path) -> None:
    result = extract(path)
    assert check_annotations(result.findings, path, path.relative_to(ROOT).as_posix()) == []


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_prefilter_passes_every_file_with_an_expected_finding(path: Path) -> None:
    expects, _ = read_annotations(path)
    if expects:
        assert EXTRACTOR.prefilter(path.read_bytes())


def test_fixture_errors() -> None:
    errors = {p.relative_to(FIXTURES).as_posix(): [(e.kind, e.line) for e in extract(p).errors]
              for p in FIXTURES.rglob("*.y*ml")}
    assert errors == {
        "broken/partly-broken.yaml": [("yaml_error", 19)],
        "istio/risk-virtualservice.yaml": [], "istio/payment-destinationrule.yaml": [], "istio/list.yaml": [],
        "traps/workflow.yml": [], "traps/configmap.yaml": [], "traps/other-crd.yaml": [], "ingress/route.yaml": [],
        "contracts-folder/contracts/risk.yaml": [], "helm/templates/virtualservice.yaml": [],
        "gateway-api/httproutes.yaml": [], "ingress/ingress.yaml": [], "proxies/policies.yaml": [],
        "helm-nginx/web/Chart.yaml": [], "helm-nginx/web/values.yaml": [],
        "helm-nginx/web/templates/nginx-configmap.yaml": [], "helm-nginx/web/templates/virtualservice.yaml": [],
        "helm-nginx/web/templates/httpproxy.yaml": [],
        "helm-nginx/worker/Chart.yaml": [], "helm-nginx/worker/values.yaml": [],
        "helm-nginx/worker/templates/nginx-configmap.yaml": [], "gateways/gateways.yaml": [],
        "envoy/configmap.yaml": [], "envoy/envoy.yaml": [],
        "helm-envoy/mesh/Chart.yaml": [], "helm-envoy/mesh/values.yaml": [],
        "helm-requests/feeds/Chart.yaml": [], "helm-requests/feeds/values.yaml": [],
        "helm-requests/feeds/templates/_config.yaml": [],
        "helm-settings/registry/Chart.yaml": [], "helm-settings/registry/values.yaml": [],
        "helm-settings/registry/templates/jobs-env.yaml": [], "helm-settings/registry/templates/scanner-sts.yaml": [],
        "helm-settings/registry/templates/registry-cm.yaml": [],
        "kustomize/overlays/prod/kustomization.yaml": [], "kustomize/overlays/prod/httproute-timeouts.yaml": [],
        "helm-config-files/chat/Chart.yaml": [], "helm-config-files/chat/values.yaml": [],
        "helm-config-files/chat/templates/relay-cm.yaml": [], "helm-config-files/chat/templates/db-secret.yaml": [],
        "helm-values/web/Chart.yaml": [], "helm-values/web/values.yaml": [],
        "helm-values/web/values-production.yaml": [], "helm-values/web/templates/ingress.yaml": [],
        "dapr/resiliency.yaml": [],
    }


def test_non_manifest_yaml_is_never_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args, **kwargs):
        raise AssertionError("parsed a file that is not a manifest")

    monkeypatch.setattr(manifest.yaml, "compose_all", boom)
    for data in (b"name: ci\njobs:\n  test:\n    timeout-minutes: 30\n",
                 b"apiVersion: v1\nkind: ConfigMap\ndata:\n  timeout: 2s\n",
                 b"services:\n  web:\n    image: nginx # VirtualService\n"):
        result = EXTRACTOR.extract("ci.yml", data)
        assert (result.findings, result.errors) == ((), ())
    big = b"key: value\n" * 200_000  # 2 MB of YAML without apiVersion/kind
    assert EXTRACTOR.extract("big.yaml", big).findings == ()


def test_contracts_folder_is_skipped_even_when_it_looks_like_a_manifest() -> None:
    data = (FIXTURES / "contracts-folder" / "contracts" / "risk.yaml").read_bytes()
    assert EXTRACTOR.extract("services/risk/contracts/risk.yaml", data).findings == ()
    assert EXTRACTOR.extract("contracts/risk.yaml", data).findings == ()
    # The same bytes elsewhere are read (the fixture's kind and apiVersion are Istio's).
    assert [f.kind for f in EXTRACTOR.extract("deploy/risk.yaml", data).findings] == ["timeout"]


def test_alias_bomb_stays_small_and_fast() -> None:
    lines = ["apiVersion: networking.istio.io/v1beta1", "kind: VirtualService", "metadata: {name: bomb}",
             'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 12):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    lines += ["spec:", "  http:", "    - timeout: 2s", "      route:", "        - destination: {host: risk}"]
    result = EXTRACTOR.extract("bomb.yaml", "\n".join(lines).encode())
    assert [(f.kind, f.line, f.attributes["timeout_ms"]) for f in result.findings] == [("timeout", 18, 2000)]


def test_huge_manifest_is_an_error_not_a_hang() -> None:
    data = b"apiVersion: v1\nkind: VirtualService\n" + b"# padding\n" * (manifest.MAX_BYTES // 10 + 1)
    result = EXTRACTOR.extract("huge.yaml", data)
    assert result.findings == ()
    assert [e.kind for e in result.errors] == ["yaml_error"]


@pytest.mark.parametrize("data", [b"\xff\xfe\x00apiVersion kind VirtualService", b"apiVersion: [kind VirtualService",
                                  b"apiVersion: v1\nkind: VirtualService\n---\n- a\n- b\n",
                                  b"apiVersion: v1\nkind: VirtualService\nspec: !!python/object:os.system {}\n",
                                  b"apiVersion: networking.istio.io/v1\nkind: VirtualService\nspec:\n  http: 5\n",
                                  b"apiVersion: networking.istio.io/v1\nkind: VirtualService\nspec:\n  http:\n  - retries: 3\n    timeout: [1]\n"])
def test_garbage_never_raises(data: bytes) -> None:
    result = EXTRACTOR.extract("x.yaml", data)
    assert isinstance(result, FileResult)


def test_unsafe_tag_is_a_yaml_error_and_runs_nothing() -> None:
    data = b"apiVersion: v1\nkind: VirtualService\nspec: !!python/object/apply:os.system ['echo hi']\n"
    result = EXTRACTOR.extract("x.yaml", data)
    assert result.findings == ()  # composing does not construct: the tag is inert, nothing is reported


@pytest.mark.parametrize("text,ms", [("2s", 2000), ("500ms", 500), ("1.5s", 1500), ("1m30s", 90000), ("1h", 3600000),
                                     ("250us", 0.25), ("", None), ("2", None), ("s", None), ("2x", None), (None, None)])
def test_durations(text, ms) -> None:
    assert duration_ms(text) == ms


@pytest.mark.parametrize("host,service", [("risk", "risk"), ("risk.default", "risk"),
                                          ("risk.default.svc.cluster.local", "risk"), ("risk.default.svc", "risk"),
                                          ("api.stripe.com", None), ("stripe.com", None), ("*.example.com", None),
                                          ("", None)])
def test_service_of_host(host, service) -> None:
    assert service_of_host(host) == service


def test_detector_examples() -> None:
    ours = {k: v for k, v in DETECTORS.items() if k.startswith("kubernetes.")}
    assert set(ours) == {"kubernetes.istio_virtual_service", "kubernetes.istio_destination_rule",
                         "kubernetes.gateway_httproute", "kubernetes.ingress_annotations",
                         "kubernetes.proxy_policies", "kubernetes.nginx_config", "kubernetes.gateways",
                         "kubernetes.envoy_config", "kubernetes.request_templates",
                         "kubernetes.service_settings", "kubernetes.kustomize_patches",
                         "kubernetes.dapr_resiliency", "kubernetes.container_commands",
                         "kubernetes.kong_config", "kubernetes.haproxy_config", "kubernetes.traefik_config"}
    for info in ours.values():
        assert info.doc and info.valid and info.invalid
        for example in info.invalid:
            kinds = {f.kind for f in EXTRACTOR.extract("x.yaml", example.encode()).findings if f.detector == info.id}
            assert kinds & set(info.kinds), (info.id, example)
        for example in info.valid:
            assert [f for f in EXTRACTOR.extract("x.yaml", example.encode()).findings if f.detector == info.id] == []


def test_claims_yaml() -> None:
    assert EXTRACTOR.claims("k8s/vs.yaml") and EXTRACTOR.claims("k8s/vs.yml")
    assert not EXTRACTOR.claims("k8s/vs.json")


def test_helm_template_keeps_lines_and_the_written_expression() -> None:
    result = extract(FIXTURES / "helm" / "templates" / "virtualservice.yaml")
    assert [(f.kind, f.line, f.attributes.get("expression")) for f in result.findings] == [
        ("timeout", 13, "{{ .Values.timeout }}"), ("retry", 14, None)]
    assert result.errors == ()


def test_helm_template_that_is_not_yaml_after_blanking_is_skipped_quietly() -> None:
    data = (b"apiVersion: networking.istio.io/v1beta1\nkind: VirtualService\nspec:\n  http:\n"
            b"  {{ toYaml .Values.routes | nindent 2 }}\n  - timeout: {{ .Values.t }}\n    x: [\n")
    result = EXTRACTOR.extract("chart/templates/vs.yaml", data)
    assert (result.findings, result.errors) == ((), ())


def test_the_same_text_without_templates_is_a_yaml_error() -> None:
    data = b"apiVersion: networking.istio.io/v1beta1\nkind: VirtualService\nspec:\n  http:\n  - x: [\n"
    result = EXTRACTOR.extract("vs.yaml", data)
    assert [(e.kind, e.line) for e in result.errors] == [("yaml_error", 6)]


@pytest.mark.parametrize("text,ms", [("60", 60000), ("60s", 60000), ("1m", 60000), ("500ms", 500), ("1m30s", 90000),
                                     ("", None), ("sixty", None), ("60 s", None), ("1.5s", None)])
def test_nginx_time_values(text, ms) -> None:
    from extractors.kubernetes.detectors.ingress_annotations import nginx_time_ms
    assert nginx_time_ms(text) == ms


def test_ingress_annotation_from_a_helm_placeholder_is_unresolved() -> None:
    source = ("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n  annotations:\n"
              "    nginx.ingress.kubernetes.io/proxy-read-timeout: {{ .Values.readTimeout | quote }}\n"
              "    nginx.ingress.kubernetes.io/proxy-next-upstream-tries: \"0\"\n")
    result = EXTRACTOR.extract("chart/templates/ingress.yaml", source.encode())
    got = [(f.line, f.kind, f.attributes.get("timeout_ms", f.attributes.get("max_attempts")),
            f.attributes.get("expression"), f.confidence) for f in result.findings]
    # unresolved in the file; pending on the chart's values.yaml (chart/values.yaml: readTimeout)
    assert got == [(6, "timeout", None, "{{ .Values.readTimeout | quote }}", "medium"),
                   (7, "retry", None, "0", "high")]
    assert result.findings[0].pending == (Pending("timeout_ms", Call(
        "duration_ms", (Ref("helm:chart:Values.readTimeout"),), (("bare", Num(1000.0)),)), 1.0),)


def test_nginx_in_configmaps_and_helm_values_resolved_per_chart(tmp_path) -> None:
    """Round 6: nginx.conf in a ConfigMap (a Helm template) and in a chart's templates/*.tpl helper;
    `{{ .Values.x }}` settled from the chart's own values.yaml, never another chart's."""
    import shutil

    from contract_discovery.pipeline import scan
    shutil.copytree(FIXTURES / "helm-nginx", tmp_path / "helm-nginx")
    result = scan(tmp_path)
    got = {(f.path.split("helm-nginx/", 1)[1], f.line, f.kind, f.attributes.get("timeout_ms", f.attributes.get("max_attempts")),
            f.attributes.get("phase"), f.attributes.get("resolved_from"))
           for f in result.findings if f.kind in ("timeout", "retry")}
    cm, worker = "web/templates/nginx-configmap.yaml", "worker/templates/nginx-configmap.yaml"
    assert got == {
        ("web/templates/_gateway.tpl", 4, "timeout", 50000, "read", "literal"),   # line 3 is commented out
        (cm, 17, "timeout", 3000, "connect", "config"),     # values.yaml: 3 (a bare number: seconds)
        (cm, 18, "timeout", 45000, "read", "config"),       # values.yaml: 45s
        (cm, 19, "timeout", 10000, "write", "literal"),
        (cm, 20, "retry", 2, None, "literal"),
        (cm, 22, "timeout", 120000, "read", "literal"),     # | default "120s": no such value
        (cm, 26, "timeout", None, "read", "unresolved"),    # no such value, no default
        ("web/templates/virtualservice.yaml", 11, "timeout", 4000, "total", "config"),
        ("web/templates/virtualservice.yaml", 12, "retry", 3, None, None),  # Istio attempts: 2 retries
        ("web/templates/httpproxy.yaml", 9, "timeout", 4000, "total", "config"),
        ("web/templates/httpproxy.yaml", 11, "retry", 3, None, None),    # retries: 2, + the first try
        ("web/templates/httpproxy.yaml", 18, "retry", 3, None, None),    # nginx tries: 3, as written
        (worker, 8, "timeout", 7000, "read", "config"),     # the worker chart's own 7s, not web's 45s
        (worker, 9, "timeout", None, "connect", "unresolved"),  # web's connectTimeout is not the worker's
    }


def test_a_value_environments_values_files_override_is_theirs_when_they_agree(tmp_path) -> None:
    """values-prod.yaml / values.staging.yaml beside the chart's values.yaml: each environment gets
    its own value or the default; one value when all agree (as tfvars files), unknown when not."""
    import shutil

    from contract_discovery.pipeline import scan

    def read_timeout(envs):
        root = tmp_path / str(len(list(tmp_path.iterdir())))
        shutil.copytree(FIXTURES / "helm-nginx", root / "helm-nginx")
        for name, text in envs.items():
            (root / "helm-nginx" / "web" / name).write_text(text)
        return [(f.attributes["timeout_ms"], f.attributes["resolved_from"]) for f in scan(root).findings
                if f.path.endswith("web/templates/nginx-configmap.yaml") and f.line == 18]

    prod = "proxy:\n  readTimeout: 60s\n"
    assert read_timeout({}) == [(45000, "config")]
    assert read_timeout({"values-prod.yaml": prod}) == [(60000, "config")]
    assert read_timeout({"values-prod.yaml": prod, "values.staging.yaml": prod}) == [(60000, "config")]
    # staging sets another timeout and keeps the 45 s default for this one: the environments differ
    assert read_timeout({"values-prod.yaml": prod, "values.staging.yaml": "proxy:\n  connectTimeout: 9\n"}) == [
        (None, "unresolved")]
    assert read_timeout({"values-prod.yaml": prod, "values-dev.yaml": "proxy:\n  readTimeout: 5s\n"}) == [
        (None, "unresolved")]


def test_helm_values_symbols_and_placeholders() -> None:
    from extractors.kubernetes import helm
    symbols = helm.values_symbols("charts/web/values.yaml", b"proxy:\n  readTimeout: 45s\n  tries: 3\n"
                                                            b"list: [1, 2]\nnothing: null\n")
    assert symbols == {"helm:charts/web:Values.proxy.readTimeout": Str("45s"),
                       "helm:charts/web:Values.proxy.tries": Num(3.0)}
    assert helm.values_symbols("charts/web/values.yaml", b"a: [unclosed\n") == {}
    assert helm.placeholder_expr("charts/web/templates/cm.yaml", "{{ $.Values.nginx.read | quote }}") == Ref(
        "helm:charts/web:Values.nginx.read")
    for text in ("{{ .port }}", "{{ tpl .Values.x . }}", "60s", "{{ include \"x\" .Values.y }}",
                 "{{ default .Values.a .Values.b }}"):
        assert helm.placeholder_expr("charts/web/templates/cm.yaml", text) is None, text
    # an included helper's value (published by the helper's define_symbols), a function before the
    # reference, a default written first
    assert helm.placeholder_expr("charts/web/templates/cm.yaml", "{{ include \"x\" . }}") == Ref(
        "helm-define:charts/web:x")
    assert helm.placeholder_expr("charts/web/templates/cm.yaml", "{{ int64 .Values.t | quote }}") == Ref(
        "helm:charts/web:Values.t")
    assert helm.placeholder_expr("charts/web/templates/cm.yaml", "{{ default 1000 .Values.t | int64 }},") == Call(
        "coalesce", (Ref("helm:charts/web:Values.t"), Num(1000.0)))
    assert helm.placeholder_expr("k8s/cm.yaml", "{{ .Values.x }}") is None  # not in a chart's templates/


def test_workload_env_from_a_config_map_in_the_same_file() -> None:
    """envFrom.configMapRef (every key, with its prefix) and valueFrom.configMapKeyRef give a
    workload's environment from a ConfigMap beside it; a literal env entry wins; a ConfigMap
    elsewhere, a Secret and a multi-line value give nothing."""
    source = ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: checkout-config\ndata:\n"
              "  PAYMENTS_TIMEOUT_MS: \"2500\"\n  RETRIES: \"3\"\n  app.properties: |\n    a=b\n---\n"
              "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: checkout\nspec:\n  template:\n    spec:\n"
              "      containers:\n        - name: web\n          envFrom:\n            - configMapRef: {name: checkout-config}\n"
              "            - configMapRef: {name: elsewhere}\n            - secretRef: {name: checkout-secrets}\n"
              "          env:\n            - name: RETRIES\n              value: \"5\"\n"
              "            - name: LEDGER_TIMEOUT_MS\n              valueFrom:\n"
              "                configMapKeyRef: {name: checkout-config, key: PAYMENTS_TIMEOUT_MS}\n")
    symbols = EXTRACTOR.extract("k8s/checkout.yaml", source.encode()).symbols
    assert {k: v.value for k, v in symbols.items() if k.startswith("$deploy-env:checkout:")} == {
        "$deploy-env:checkout:PAYMENTS_TIMEOUT_MS": "2500", "$deploy-env:checkout:RETRIES": "5",
        "$deploy-env:checkout:LEDGER_TIMEOUT_MS": "2500"}


def test_envoy_in_a_helm_helper_resolved_from_the_chart_values(tmp_path) -> None:
    """Round 7: an Envoy configuration in a chart's templates/*.tpl helper (a service mesh
    sidecar): route timeouts and cluster connect timeouts as written; `{{ .Values.x | default }}`
    settled from the chart's values.yaml; a template comment's example and the admin cluster are
    not read; a placeholder on a define's own argument stays unresolved."""
    import shutil

    from contract_discovery.pipeline import scan
    shutil.copytree(FIXTURES / "helm-envoy", tmp_path / "helm-envoy")
    result = scan(tmp_path)
    got = {(f.path.split("helm-envoy/", 1)[1], f.line, f.kind, f.attributes.get("timeout_ms"),
            f.attributes.get("phase"), f.attributes.get("resolved_from"))
           for f in result.findings if f.kind in ("timeout", "retry")}
    tpl = "mesh/templates/_mesh.tpl"
    assert got == {
        (tpl, 11, "timeout", 1000, "connect", "literal"),
        (tpl, 28, "timeout", 180000, "total", "config"),      # values.yaml: "180.0s"
        (tpl, 41, "timeout", None, "total", "unresolved"),    # {{ .Listener.timeout }}: the caller's data
    }


@pytest.mark.parametrize("text, ms", [("0.25s", 250), ("1.0s", 1000), ("60s", 60000), ("'5s'", 5000),
                                      ("750ms", 750), ("2m", 120000), ("15", None), ("fast", None)])
def test_envoy_durations(text, ms) -> None:
    from extractors.kubernetes.detectors.envoy_config import envoy_ms
    assert envoy_ms(text) == ms


def test_envoy_needs_an_envoy_marker() -> None:
    """A YAML with `route:` / `timeout:` keys that is no Envoy configuration is not read."""
    data = (b"static_resources:\n  routes:\n  - route:\n      timeout: 5s\n"
            b"  clusters:\n  - name: x\n    connect_timeout: 1s\n")
    assert EXTRACTOR.extract("ops/envoyish.yaml", data).findings == ()
    helper = b'{{- define "x" }}\nroute:\n  timeout: 5s\n{{- end }}\n'
    from extractors.kubernetes.extractor import helm_helper
    assert helm_helper("chart/templates/_x.tpl", helper).findings == ()


def test_request_templates_in_a_helm_partial_resolved_from_the_chart_values(tmp_path) -> None:
    """Round 7: a chart's templates/_config.yaml partial (no manifest: Helm renders none from a
    file named `_*`) holding a service-runner configuration: each `method` + `uri` request
    template's `timeout` (ms), `{{ .Values.x }}` settled from the chart's values.yaml."""
    import shutil

    from contract_discovery.pipeline import scan
    shutil.copytree(FIXTURES / "helm-requests", tmp_path / "helm-requests")
    result = scan(tmp_path)
    got = {(f.path.split("helm-requests/", 1)[1], f.line, f.attributes.get("timeout_ms"), f.attributes.get("resolved_from"))
           for f in result.findings if f.kind == "timeout"}
    cfg = "feeds/templates/_config.yaml"
    assert got == {(cfg, 18, 60000, "literal"), (cfg, 21, 20000, "config"), (cfg, 34, 9000, "literal")}


def test_service_settings_handed_to_a_chart_s_service(tmp_path) -> None:
    """Round 8: the settings a chart hands to a service whose code is elsewhere (a published image):
    env-style keys of a ConfigMap or a container's env, a helper's env lines, and the client blocks
    of a configuration file in a ConfigMap; `{{ .Values.x }}` settled from values.yaml, a bare
    number's unit from the comment beside the key (minutes, seconds), else (round 13) seconds below
    1000 and ms above for an environment-style name."""
    import shutil

    from contract_discovery.pipeline import scan
    shutil.copytree(FIXTURES / "helm-settings", tmp_path / "helm-settings")
    got = {(f.path.split("helm-settings/registry/", 1)[1], f.line, f.kind,
            f.attributes.get("timeout_ms") if f.kind == "timeout" else f.attributes.get("max_attempts"))
           for f in scan(tmp_path).findings if f.kind in ("timeout", "retry")}
    env, sts, cm = "templates/jobs-env.yaml", "templates/scanner-sts.yaml", "templates/registry-cm.yaml"
    assert got == {
        (env, 7, "timeout", 1800000),  # 30, "in minutes" in the comment above the key
        (env, 8, "retry", 4),  # MAX_RETRY: 3 retries
        (env, 9, "timeout", 3000),  # "# in seconds" beside the value
        (env, 10, "timeout", 7000),  # 7, no unit anywhere: seconds below 1000 (round 13, as values_env_findings)
        (env, 11, "timeout", 2500), (env, 12, "timeout", 90000), (env, 13, "retry", 4),
        (sts, 11, "timeout", 300000),  # "5m0s" in values.yaml
        (sts, 13, "timeout", 15000),
        (cm, 13, "timeout", 10000), (cm, 14, "timeout", 10000), (cm, 15, "timeout", 2000), (cm, 20, "retry", 3),
        ("templates/_helpers.tpl", 3, "timeout", 10000),  # "# timeout is in seconds"
    }


def test_configuration_files_a_chart_renders_for_its_service(tmp_path) -> None:
    """Round 9: the service settings of the configuration files a chart renders, in other shapes
    than env-style keys: dotted Kafka properties (a Python dict, Relay's `- name:` / `value:`
    list), a JSON config's quoted keys (unit from the name: `...Sec`, `...Milliseconds`), XML
    elements, connection strings' timeout parameters; a helper's value reached through `include`
    (an if/else define choosing by a values flag). Bare numbers whose unit nothing says, logging,
    status, session, keep-alive and backoff names are not read."""
    import shutil

    from contract_discovery.pipeline import scan
    shutil.copytree(FIXTURES / "helm-config-files", tmp_path / "helm-config-files")
    got = {(f.path.split("helm-config-files/chat/", 1)[1], f.line, f.kind, f.attributes.get("phase"),
            f.attributes.get("timeout_ms") if f.kind == "timeout" else f.attributes.get("max_attempts"))
           for f in scan(tmp_path).findings if f.kind in ("timeout", "retry")}
    helpers, config, relay, secret = ("templates/_helpers.tpl", "templates/config.tpl", "templates/relay-cm.yaml",
                                      "templates/db-secret.yaml")
    assert got == {
        (helpers, 17, "timeout", "read", 1000),   # include -> the kafka.enabled branch: 1000
        (helpers, 20, "retry", None, 3),          # message.send.max.retries: 2 retries
        (config, 12, "timeout", "read", 30000), (config, 12, "timeout", "write", 30000),  # the DSN's
        (config, 16, "timeout", "total", 30000),  # SendTimeoutSec from values.yaml
        (config, 17, "timeout", "connect", 5000),
        (relay, 11, "timeout", "total", 30000), (relay, 17, "timeout", "total", 15000),
        (relay, 22, "timeout", "total", 10000),   # <operation_timeout_ms>, "10000" in values.yaml
        (relay, 38, "timeout", "write", 30000),   # remoteWriteTimeout (scrape / evaluation: not calls)
        (secret, 7, "timeout", "connect", 10000),  # libpq connect_timeout: seconds
        (secret, 10, "timeout", "connect", 2000), (secret, 10, "timeout", "read", 45000),
        # .NET-style environment variables in a container's env and a ConfigMap's data
        (secret, 24, "timeout", "total", 12000), (secret, 36, "timeout", "connect", 800),
    }
