"""Round 19 (Kotlin / infra helper), Kubernetes/Helm (held-out set pagopa-event-dispatcher-helm): a chart pulled in
as a dependency leaves the deployment's settings to an environment's values file (PagoPA's
aks-microservice-chart-blueprint: `microservice-chart.envConfig: {NPG_READ_TIMEOUT: "10000"}` in
`values-prod.yaml`); those environment keys are read where written, as a default values.yaml's are. The Mongo
driver's serverSelectionTimeoutMS (`MONGO_SERVER_SELECTION_TIMEOUT_MS`) is the client's wait, not a server's."""

from __future__ import annotations

from pathlib import Path

from tests.extractors.scan_support import contracts as _contracts, write as _write


CHART = '''\
apiVersion: v2
name: pagopa-svc
version: 1.0.0
dependencies:
  - name: microservice-chart
    version: 7.5.0
    repository: "https://pagopa.github.io/aks-microservice-chart-blueprint"
'''

VALUES_PROD = '''\
microservice-chart:
  namespace: "ecommerce"
  livenessProbe:
    timeoutSeconds: 5
  envConfig:
    NODO_READ_TIMEOUT: "14000"
    MONGO_SERVER_SELECTION_TIMEOUT_MS: "30000"
    MONGO_MAX_IDLE_TIMEOUT_MS: "600000"
    REDIS_TIMEOUT: "2s"
    CLOSE_PAYMENT_RETRY_EVENT_MAX_ATTEMPTS: "3"
    CLOSE_PAYMENT_RETRY_EVENT_BASE_INTERVAL_SECONDS: "30"
    TIMEOUT_NOTE: "see the wiki"
  other:
    UPSTREAM_TIMEOUT_MS: "2500"
  envSecret:
    REDIS_PASSWORD: redis-access-key
'''


def test_environment_values_env_config(tmp_path: Path) -> None:
    root = _write(tmp_path / "repo", {"helm/Chart.yaml": CHART, "helm/values-prod.yaml": VALUES_PROD})
    got = {c for c in _contracts(root) if c[0].endswith("values-prod.yaml")}
    assert ("helm/values-prod.yaml", 6, "timeout", 14000) in got    # a bare number >= 1000: ms
    assert ("helm/values-prod.yaml", 7, "timeout", 30000) in got    # server selection: the client's wait
    assert ("helm/values-prod.yaml", 9, "timeout", 2000) in got
    assert ("helm/values-prod.yaml", 10, "retry", 3) in got
    # the probe, an idle timeout, an interval, a value that is no number, a key under another mapping: nothing
    assert not [c for c in got if c[1] in (4, 8, 11, 12, 14)], got


SERVER_CONFIGMAP = '''\
apiVersion: v1
kind: ConfigMap
metadata:
  name: app
data:
  MONGO_SERVER_SELECTION_TIMEOUT_MS: "5000"
  SERVER_READ_TIMEOUT: "30s"
'''


def test_server_selection_is_a_client_wait(tmp_path: Path) -> None:
    root = _write(tmp_path / "repo", {"k8s/configmap.yaml": SERVER_CONFIGMAP})
    got = _contracts(root)
    assert ("k8s/configmap.yaml", 6, "timeout", 5000) in got
    assert not [c for c in got if c[1] == 7]   # a server's own read timeout stays out


# --- Grafana Tempo / Loki configuration rendered from a chart's values -------------------------------------------

TEMPO_VALUES = '''\
querier:
  config:
    trace_by_id:
      query_timeout: 10s
    search:
      query_timeout: 30s
      prefer_self: 10
queryFrontend:
  config:
    max_outstanding_per_tenant: 2000
    max_retries: 2
server:
  http_server_read_timeout: 30s
cache:
  caches:
    - memcached:
        host: tempo-memcached
        timeout: 500ms
memberlist:
  stream_timeout: "10s"
  max_join_retries: 10
loki:
  config: |
    query_range:
      max_retries: 5
other:
  max_retries: 7
'''


def test_grafana_stack_configuration_in_values(tmp_path: Path) -> None:
    root = _write(tmp_path / "charts", {"tempo/Chart.yaml": 'apiVersion: v2\nname: tempo\nversion: 1.0.0\n',
                                        "tempo/values.yaml": TEMPO_VALUES})
    got = {c for c in _contracts(root) if c[0].endswith("values.yaml")}
    assert ("tempo/values.yaml", 4, "timeout", 10000) in got
    assert ("tempo/values.yaml", 6, "timeout", 30000) in got
    assert ("tempo/values.yaml", 11, "retry", 3) in got      # Tempo: retries after the first
    assert ("tempo/values.yaml", 18, "timeout", 500) in got
    assert ("tempo/values.yaml", 25, "retry", 5) in got      # Loki / Cortex: tries per request
    # a server's read timeout, memberlist gossip settings, a max_retries under another key: nothing
    assert not [c for c in got if c[1] in (13, 20, 21, 27)], got


# --- Envoy's x-envoy-* limit headers set by an Istio EnvoyFilter's Lua code ---------------------------------------

FILTER_VALUES = '''\
oathkeeper:
  timeout_ms: 120000
'''

FILTER = '''\
apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata:
  name: {{ .Chart.Name }}-limits
spec:
  configPatches:
    - applyTo: HTTP_FILTER
      patch:
        operation: INSERT_BEFORE
        value:
          name: envoy.lua
          typed_config:
            "@type": "type.googleapis.com/envoy.extensions.filters.http.lua.v3.Lua"
            inlineCode: |
              function envoy_on_request(request_handle)
                request_handle:headers():add("x-envoy-max-retries", "0")
                -- request_handle:headers():add("x-envoy-upstream-rq-timeout-ms", "5")
                request_handle:headers():add("x-envoy-upstream-rq-timeout-ms", "{{ .Values.oathkeeper.timeout_ms }}")
                request_handle:headers():add("x-envoy-upstream-rq-per-try-timeout-ms", "2500")
                request_handle:headers():add("x-request-timeout", "9")
              end
'''


def test_envoy_filter_limit_headers(tmp_path: Path) -> None:
    root = _write(tmp_path / "charts", {"gw/Chart.yaml": 'apiVersion: v2\nname: gw\nversion: 1.0.0\n',
                                        "gw/values.yaml": FILTER_VALUES, "gw/templates/filter.yaml": FILTER})
    got = {c for c in _contracts(root) if c[0].endswith("filter.yaml")}
    assert ("gw/templates/filter.yaml", 16, "retry", 1) in got          # retries off
    assert ("gw/templates/filter.yaml", 18, "timeout", 120000) in got   # ms from the chart's values
    assert ("gw/templates/filter.yaml", 19, "timeout", 2500) in got
    assert not [c for c in got if c[1] in (17, 20)], got   # a Lua comment, another header


# --- a database pool's acquire wait in the app configuration a chart renders from values ---------------------------

POOL_VALUES = '''\
galley:
  config:
    postgresqlPool:
      size: 100
      acquisitionTimeout: 10s
      agingTimeout: 1d
      idlenessTimeout: 10m
    cache:
      acquisitionTimeout: 5s
'''


def test_pool_acquisition_timeout_in_values(tmp_path: Path) -> None:
    root = _write(tmp_path / "charts", {"ws/Chart.yaml": 'apiVersion: v2\nname: ws\nversion: 1.0.0\n',
                                        "ws/values.yaml": POOL_VALUES})
    got = {c for c in _contracts(root) if c[0].endswith("values.yaml")}
    assert ("ws/values.yaml", 5, "timeout", 10000) in got
    assert not [c for c in got if c[1] in (6, 7, 9)], got   # connection lifetimes; not under a pool
