"""Deployment environment files (docker compose, .env) resolve the variables code reads."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.model import FileResult, Service
from contract_discovery.pipeline import deployment_env, scan
from contract_discovery.values import Str, Unknown
from extractors.deployenv.extractor import EXTRACTOR, parse_dotenv


def test_claims_compose_and_dotenv_files_only() -> None:
    claimed = ["docker-compose.yml", "deploy/docker-compose.prod.yaml", "compose.yaml", "svc/.env",
               "svc/.env.production", "svc/.env.example"]
    not_claimed = ["values.yaml", "config/environment.yml", "svc/env.py", "svc/.envrc", "composer.json"]
    assert [p for p in claimed if EXTRACTOR.claims(p)] == claimed
    assert [p for p in not_claimed if EXTRACTOR.claims(p)] == []


def test_compose_environment_mapping_list_defaults_and_build_context() -> None:
    data = b"""\
services:
  checkout:
    build: ./services/checkout
    environment:
      RISK_TIMEOUT_MS: "800"
      EMPTY:
  risk:
    build:
      context: services/risk
    environment:
      - VENDOR_TIMEOUT=${VENDOR_TIMEOUT:-2.5}
      - SECRET=${SECRET}
      - PLAIN=$HOME
"""
    result = EXTRACTOR.extract("docker-compose.yml", data)
    assert result.errors == ()
    assert result.symbols == {
        "$deploy-env:checkout:RISK_TIMEOUT_MS": Str("800"),
        "$deploy-env:checkout:EMPTY": Str("${EMPTY}"),  # passed through from compose's environment
        "$deploy-build:checkout": Str("./services/checkout"),
        "$deploy-env:risk:VENDOR_TIMEOUT": Str("${VENDOR_TIMEOUT:-2.5}"),
        "$deploy-env:risk:SECRET": Str("${SECRET}"),
        "$deploy-env:risk:PLAIN": Str("$HOME"),
        "$deploy-build:risk": Str("services/risk"),
    }


def test_compose_templates_are_filled_from_the_env_file_beside_them() -> None:
    compose = _file("docker-compose.yml", **{
        "$deploy-env:cart:CART_ADDR": "${CART_ADDR}", "$deploy-env:cart:URL": "http://${HOST:-risk}:${PORT}/v1",
        "$deploy-env:cart:T": "${T:-2.5}", "$deploy-env:cart:SECRET": "${SECRET}", "$deploy-env:cart:COST": "$$5"})
    beside = _file(".env", **{"$dotenv:CART_ADDR": "cart:7070", "$dotenv:PORT": "8000"})
    elsewhere = _file("other/.env", **{"$dotenv:SECRET": "x"})
    assert deployment_env(Service("cart", "src/cart"), [compose, beside, elsewhere]) == {
        "CART_ADDR": Str("cart:7070"), "URL": Str("http://risk:8000/v1"), "T": Str("2.5"), "COST": Str("$5")}


def test_dotenv_comments_quotes_export_and_interpolation() -> None:
    text = '# a comment\nexport RISK_TIMEOUT=2 # seconds\nURL="http://risk:8000"\nHOST=${OTHER}\nbad line\n9X=1\n'
    assert parse_dotenv(text) == {"RISK_TIMEOUT": "2", "URL": "http://risk:8000"}
    # a value built from variables set above it (compose interpolates .env files), or a default
    text = "CATALOG_PORT=3550\nCATALOG_ADDR=product-catalog:${CATALOG_PORT}\nT=${RISK_T:-2.5}\nLATE=${LATER}\nLATER=1\n"
    assert parse_dotenv(text) == {"CATALOG_PORT": "3550", "CATALOG_ADDR": "product-catalog:3550", "T": "2.5", "LATER": "1"}
    example = EXTRACTOR.extract("svc/.env.example", b"RISK_TIMEOUT=4\n")
    assert example.symbols == {"$dotenv-example:RISK_TIMEOUT": Str("4")}


def test_broken_and_hostile_compose_files_give_an_error_with_the_line() -> None:
    broken = EXTRACTOR.extract("docker-compose.yml", b"services:\n  a:\n    environment: [\n")
    assert [(e.kind, e.line) for e in broken.errors] == [("yaml_error", 4)]
    bomb = b'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n' \
           b'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\nservices: {x: {environment: *d}}\n'
    assert EXTRACTOR.extract("docker-compose.yml", bomb).symbols == {}  # aliases are never expanded


def _file(path: str, **symbols: str) -> FileResult:
    return FileResult(path=path, language="deployenv", symbols={k: Str(v) for k, v in symbols.items()},
                      imports={"$deployenv": path})


def test_a_service_takes_its_compose_services_and_its_own_env_files() -> None:
    compose = _file("deploy/docker-compose.yml", **{
        "$deploy-build:web": "../services/checkout", "$deploy-env:web:RISK_TIMEOUT_MS": "800",
        "$deploy-env:risk:VENDOR_TIMEOUT": "2.5", "$deploy-env:other:RISK_TIMEOUT_MS": "9"})
    dotenv = _file("services/checkout/.env", **{"$dotenv:RETRIES": "3"})
    example = _file("services/checkout/.env.example", **{"$dotenv-example:RETRIES": "9", "$dotenv-example:ONLY": "1"})
    elsewhere = _file("services/risk/.env", **{"$dotenv:RETRIES": "7"})
    files = [compose, dotenv, example, elsewhere]
    assert deployment_env(Service("checkout", "services/checkout"), files) == {
        "RISK_TIMEOUT_MS": Str("800"), "RETRIES": Str("3"), "ONLY": Str("1")}
    assert deployment_env(Service("risk", "services/risk"), files) == {"VENDOR_TIMEOUT": Str("2.5"), "RETRIES": Str("7")}


def test_stages_that_disagree_leave_the_variable_unknown() -> None:
    dev = _file("docker-compose.yml", **{"$deploy-env:risk:VENDOR_TIMEOUT": "30"})
    prod = _file("docker-compose.prod.yml", **{"$deploy-env:risk:VENDOR_TIMEOUT": "2"})
    env = deployment_env(Service("risk", "services/risk"), [dev, prod])
    assert isinstance(env["VENDOR_TIMEOUT"], Unknown)


def test_scan_resolves_env_reads_from_compose_and_env_files(tmp_path: Path) -> None:
    (tmp_path / "services" / "risk").mkdir(parents=True)
    (tmp_path / "docker-compose.yml").write_text(
        "services:\n  risk:\n    build: ./services/risk\n    environment:\n      VENDOR_TIMEOUT: '2.5'\n")
    (tmp_path / "services" / "risk" / "pyproject.toml").write_text('[project]\nname = "risk"\n')
    (tmp_path / "services" / "risk" / ".env").write_text("OTHER_TIMEOUT=4\nMAPPED_TIMEOUT=6\n")
    (tmp_path / "services" / "risk" / "vendor.py").write_text(
        "import os\nimport requests\n\n"
        "def check(p):\n    return requests.post('https://v.example.com/a', json=p, timeout=float(os.environ['VENDOR_TIMEOUT']))\n\n"
        "def other(p):\n    return requests.post('https://v.example.com/b', json=p, timeout=float(os.getenv('OTHER_TIMEOUT', '1')))\n\n"
        "def unset(p):\n    return requests.post('https://v.example.com/c', json=p, timeout=float(os.getenv('NOT_SET', '1')))\n\n"
        "def must_map_env(key):\n    value = os.environ.get(key)\n    if value is None:\n        raise KeyError(key)\n    return value\n\n"
        "def mapped(p):\n    return requests.post('https://v.example.com/d', json=p, timeout=float(must_map_env('MAPPED_TIMEOUT')))\n")
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    timeouts = sorted((f.line, f.attributes["timeout_ms"], f.attributes["resolved_from"])
                      for f in result.findings if f.kind == "timeout")
    assert timeouts == [(5, 2500, "config"), (8, 4000, "config"), (11, 1000, "env_default"), (20, 6000, "config")]
    assert [s.languages for s in result.services] == [("python",)]  # a .env file adds no language


def test_kubernetes_workloads_publish_their_containers_env() -> None:
    from extractors.kubernetes.extractor import EXTRACTOR as K8S

    data = b"""\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout-deployment
  labels: {app: checkout}
spec:
  template:
    spec:
      containers:
        - name: web
          env:
            - {name: RISK_TIMEOUT_MS, value: "800"}
            - name: SECRET
              valueFrom: {secretKeyRef: {name: s, key: k}}
            - {name: COMPOSED, value: "$(OTHER)/x"}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly}
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - name: job
              env: [{name: BATCH, value: "5"}]
"""
    result = K8S.extract("deploy/checkout.yaml", data)
    assert result.errors == () and result.findings == ()
    assert result.symbols == {
        f"$deploy-env:{name}:RISK_TIMEOUT_MS": Str("800") for name in ("checkout-deployment", "checkout", "web")
    } | {f"$deploy-env:{name}:BATCH": Str("5") for name in ("nightly", "job")}
    env = deployment_env(Service("checkout", "services/checkout"), [result])
    assert env == {"RISK_TIMEOUT_MS": Str("800")}
    # a workload named like a data store of the service is not the service
    assert deployment_env(Service("nightly-reports", "services/reports"), [result]) == {}


def test_a_javascript_env_default_gives_way_to_the_deployment(tmp_path: Path) -> None:
    (tmp_path / "web").mkdir()
    (tmp_path / "docker-compose.yml").write_text("services:\n  web:\n    build: ./web\n    environment:\n      RISK_TIMEOUT_MS: '800'\n")
    (tmp_path / "web" / "package.json").write_text('{"name": "web"}\n')
    (tmp_path / "web" / "a.js").write_text(
        'const axios = require("axios");\n'
        "const T = Number(process.env.RISK_TIMEOUT_MS || 3000);\n"
        "const U = Number(process.env.UNSET_TIMEOUT_MS || 2000);\n"
        'module.exports = () => [axios.get("http://risk/x", { timeout: T }), axios.get("http://risk/y", { timeout: U })];\n')
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    assert sorted((f.attributes["timeout_ms"], f.attributes["resolved_from"]) for f in result.findings
                  if f.kind == "timeout") == [(800, "config"), (2000, "env_default")]


def test_a_go_env_default_gives_way_to_the_deployment(tmp_path: Path) -> None:
    (tmp_path / "orders").mkdir()
    (tmp_path / "orders" / ".env").write_text("RISK_TIMEOUT_MS=800\n")
    (tmp_path / "orders" / "go.mod").write_text("module example.com/orders\n")
    (tmp_path / "orders" / "main.go").write_text(
        'package main\n\nimport (\n\t"net/http"\n\t"os"\n\t"strconv"\n\t"time"\n)\n\n'
        'func envInt(k string, d int) int {\n\tif v, err := strconv.Atoi(os.Getenv(k)); err == nil {\n\t\treturn v\n\t}\n\treturn d\n}\n\n'
        'var risk = &http.Client{Timeout: time.Duration(envInt("RISK_TIMEOUT_MS", 3000)) * time.Millisecond}\n'
        'var other = &http.Client{Timeout: time.Duration(envInt("OTHER_TIMEOUT_MS", 2000)) * time.Millisecond}\n')
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    assert sorted((f.line, f.attributes["timeout_ms"], f.attributes["resolved_from"]) for f in result.findings
                  if f.kind == "timeout") == [(17, 800, "config"), (18, 2000, "env_default")]


def test_a_java_env_default_gives_way_to_the_deployment(tmp_path: Path) -> None:
    src = tmp_path / "payment" / "src" / "main" / "java" / "acme"
    src.mkdir(parents=True)
    (tmp_path / "payment" / "pom.xml").write_text("<project></project>\n")
    (tmp_path / "docker-compose.yml").write_text(
        "services:\n  payment:\n    build: ./payment\n    environment:\n      - RISK_TIMEOUT_MS=800\n")
    (src / "Client.java").write_text(
        "package acme;\n\nimport java.net.http.HttpClient;\nimport java.time.Duration;\n\npublic class Client {\n"
        '    static final long T = Long.parseLong(System.getenv().getOrDefault("RISK_TIMEOUT_MS", "3000"));\n'
        '    static final long U = Long.parseLong(System.getenv().getOrDefault("UNSET_TIMEOUT_MS", "2000"));\n'
        "    HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(T)).build();\n"
        "    HttpClient d = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(U)).build();\n}\n")
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    assert sorted((f.line, f.attributes["timeout_ms"], f.attributes["resolved_from"]) for f in result.findings
                  if f.kind == "timeout") == [(9, 800, "config"), (10, 2000, "env_default")]


def test_helm_helpers_are_read_for_the_kubernetes_extractor() -> None:
    """The registry hands `.tpl` files to this extractor only: a chart's templates/*.tpl holding an
    nginx configuration gives the Kubernetes extractor's findings; other .tpl files nothing."""
    from extractors.deployenv.extractor import EXTRACTOR as DEPLOY
    helper = b'{{- define "x.nginx" -}}\nserver {\n  proxy_read_timeout 50s;\n  location / { proxy_pass http://x; }\n}\n'
    assert DEPLOY.claims("charts/web/templates/_nginx.tpl")
    result = DEPLOY.extract("charts/web/templates/_nginx.tpl", helper)
    assert [(f.line, f.detector, f.attributes["timeout_ms"], f.attributes["phase"]) for f in result.findings] == [
        (3, "kubernetes.nginx_config", 50000, "read")]
    # a Terraform templatefile() outside a chart: claimed since round 11 (a .tpl may be an operator's
    # manifest template, the content decides), but no manifest and no chart helper: nothing
    assert DEPLOY.claims("modules/ingress/values.tpl")
    assert DEPLOY.extract("modules/ingress/values.tpl", b"controller:\n  timeout: ${timeout}\n").findings == ()
    assert DEPLOY.extract("charts/web/templates/_helpers.tpl", b'{{- define "x" -}}\nproxy_read_timeout 5s;\n').findings == ()
