"""Round 22 (kubernetes, held-out sets radar-helm-charts and dimpact-podiumd): Kafka client properties in a YAML map
(`retries: 15` beside `request.timeout.ms`), a Kafka Connect connector's `errors.retry.timeout`, a Spring Boot property
given through its environment name (`SPRING_DATASOURCE_HIKARI_CONNECTION_TIMEOUT`), client timeouts a template
writes only when set, a Fluent Bit output's `Retry_Limit` in a wrapper chart's values and a Grafana datasource's
timeout; with their traps."""

from __future__ import annotations

from contract_discovery.pipeline import scan


def _chart(tmp_path, files: dict[str, str]):
    for rel, text in files.items():
        path = tmp_path / "chart" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return {(f.path.split("chart/", 1)[1], f.line, f.kind,
             f.attributes.get("timeout_ms") if f.kind == "timeout" else f.attributes.get("max_attempts"))
            for f in scan(tmp_path).findings if f.kind in ("timeout", "retry")}


_CHART = "apiVersion: v2\nname: radar\nversion: 1.0.0\n"

_BACKEND = """apiVersion: v1
kind: ConfigMap
metadata:
  name: backend
data:
  radar.yml: |
    stream:
      properties:
        max.request.size: 3500042
        retries: 15
        request.timeout.ms: 10860000
    monitor:
      retries: 3
"""

_CONNECTOR = """apiVersion: v1
kind: ConfigMap
metadata:
  name: s3-connector
data:
  sink.properties: |
    errors.tolerance=all
    errors.retry.delay.max.ms=60000
    errors.retry.timeout=300000
  other.properties: |
    errors.retry.timeout=0
"""

_PORTAL = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: portal
spec:
  template:
    spec:
      containers:
        - name: portal
          image: portal
          env:
          - name: SPRING_DATASOURCE_HIKARI_CONNECTION_TIMEOUT
            value: "15000"
          - name: SPRING_DATASOURCE_HIKARI_VALIDATION_TIMEOUT
            value: "15000"
          - name: CACHE_TIMEOUT
            value: "15000"
"""

_OUTPUT = """apiVersion: v1
kind: ConfigMap
metadata:
  name: output
data:
  config.yaml: |
    {{- with .Values.source }}
    source:
      s3:
        endpoint: "{{ .s3.endpoint }}"
        {{- if .s3.connectTimeout }}
        connectTimeout: {{ .s3.connectTimeout | int }}
        {{- end }}
        {{- if .s3.other }}
        readTimeout: {{ .s3.readTimeout | int }}
        {{- end }}
    {{- end }}
"""


def test_kafka_properties_connect_errors_spring_env_and_guarded_settings(tmp_path) -> None:
    found = _chart(tmp_path, {"Chart.yaml": _CHART, "values.yaml": "source:\n  s3:\n    endpoint: x\n",
                              "templates/backend.yaml": _BACKEND, "templates/connector.yaml": _CONNECTOR,
                              "templates/portal.yaml": _PORTAL, "templates/output.yaml": _OUTPUT})
    assert ("templates/backend.yaml", 10, "retry", 16) in found            # Kafka retries 15: 16 tries
    assert ("templates/backend.yaml", 11, "timeout", 10860000) in found
    assert not any(f == "templates/backend.yaml" and line == 13 for f, line, *_ in found)  # not a Kafka map
    assert ("templates/connector.yaml", 9, "retry", None) in found         # retried for 5 minutes: no count
    assert ("templates/connector.yaml", 11, "retry", 1) in found           # 0: never retried
    assert not any(f == "templates/connector.yaml" and line == 8 for f, line, *_ in found)  # spacing
    assert ("templates/portal.yaml", 12, "timeout", 15000) in found        # Spring: a bare number is ms
    assert not any(f == "templates/portal.yaml" and line in (14, 16) for f, line, *_ in found)  # check, cache
    assert ("templates/output.yaml", 12, "timeout", None) in found         # written only when set: no value
    assert not any(f == "templates/output.yaml" and line == 15 for f, line, *_ in found)  # another value's guard


_FLUENT_VALUES = """fluent-bit:
  config:
    outputs: |
      [OUTPUT]
          Name gelf
          Host graylog-tcp
          Retry_Limit False

      [OUTPUT]
          Name es
          Retry_Limit 5
    filters: |
      [FILTER]
          Retry_Limit 9
"""

_GRAFANA_VALUES = """grafana:
  datasources:
    datasources.yaml:
      datasources:
        - name: loki
          type: loki
          url: http://loki-gateway
          jsonData:
            timeout: 300
            maxLines: 1000
  cache:
    timeout: 300
"""


def test_fluent_bit_values_and_grafana_datasource_timeout(tmp_path) -> None:
    found = _chart(tmp_path, {"fluent/Chart.yaml": _CHART, "fluent/values.yaml": _FLUENT_VALUES,
                              "monitoring/Chart.yaml": _CHART, "monitoring/values.yaml": _GRAFANA_VALUES})
    assert ("fluent/values.yaml", 7, "retry", None) in found     # Retry_Limit False: without limit
    assert ("fluent/values.yaml", 11, "retry", 6) in found       # 5 re-tries
    assert not any(f == "fluent/values.yaml" and line == 14 for f, line, *_ in found)  # not an [OUTPUT]
    assert ("monitoring/values.yaml", 9, "timeout", 300000) in found  # Grafana's HTTP timeout, seconds
    assert not any(f == "monitoring/values.yaml" and line == 12 for f, line, *_ in found)  # a cache's


# --- round-21 requests: a camelCase Go flag (kyma), an INI key named for polling but documented as the wait for a
# server's answer (sapcc designate), service-runner's `{env(X)}` placeholders (wikimedia termbox) ---

_GATEWAY_VALUES = """deployment:
  args:
    proxyTimeout: 10
    requestTimeout: 10
    proxyCacheTTL: 120
"""

_GATEWAY = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: central-application-gateway
spec:
  template:
    spec:
      containers:
        - name: gateway
          image: gateway
          args:
            - "/app/applicationgateway"
            - "--proxyTimeout={{ .Values.deployment.args.proxyTimeout }}"
            - "--requestTimeout={{ .Values.deployment.args.requestTimeout }}"
            - "--proxyCacheTTL={{ .Values.deployment.args.proxyCacheTTL }}"
"""

_DESIGNATE_CONF = """apiVersion: v1
kind: ConfigMap
metadata:
  name: designate-etc
data:
  designate.conf: |
    [service:worker]
    # The time to wait for a response from a server
    poll_timeout = {{ .Values.worker_poll_timeout }}

    # The time between polls of the nameservers
    poll_interval_timeout = 20

    poll_max_timeout = 40
"""

_RUNNER_VALUES = """config:
  public:
    MEDIAWIKI_REQUEST_TIMEOUT: 3000
worker_poll_timeout: '30'
"""

_RUNNER_CONFIG = """{{- define "config.app" }}
services:
  - name: termbox
    conf:
      MEDIAWIKI_REQUEST_TIMEOUT: '{env(MEDIAWIKI_REQUEST_TIMEOUT)}'
      UPSTREAM_TIMEOUT: '{env(UPSTREAM_TIMEOUT, 5000)}'
      MESSAGES_CACHE_MAX_AGE: '{env(MESSAGES_CACHE_MAX_AGE)}'
{{- end }}
"""


def test_camel_case_flags_documented_poll_timeouts_and_service_runner_env(tmp_path) -> None:
    found = _chart(tmp_path, {"Chart.yaml": _CHART, "values.yaml": _GATEWAY_VALUES + _RUNNER_VALUES,
                              "templates/deployment.yaml": _GATEWAY, "templates/designate.yaml": _DESIGNATE_CONF,
                              "templates/_config.yaml": _RUNNER_CONFIG})
    assert ("templates/deployment.yaml", 13, "timeout", 10000) in found    # --proxyTimeout=10: seconds
    # a server's own request timeout flag; a cache TTL
    assert not any(f == "templates/deployment.yaml" and line in (14, 15) for f, line, *_ in found)
    assert ("templates/designate.yaml", 9, "timeout", 30000) in found      # documented as the wait for an answer
    assert not any(f == "templates/designate.yaml" and line in (12, 14) for f, line, *_ in found)  # polls
    assert ("templates/_config.yaml", 5, "timeout", 3000) in found         # config.public's value, ms
    assert ("templates/_config.yaml", 6, "timeout", 5000) in found         # the placeholder's own fallback
    assert not any(f == "templates/_config.yaml" and line == 7 for f, line, *_ in found)  # a cache's age
