"""Round 18 (infra), Kubernetes/Helm (held-out sets signoz-charts, gravitee-helm-charts, airflow-helm-charts): an
OpenTelemetry Collector exporter writing into a database (a `dsn` in its block) bounds each write with its
`timeout`, an exporter sending telemetry on does not; a connection string's timeout parameter given by a Helm
placeholder (`&connectTimeoutMS={{ .Values.mongo.connectTimeoutMS }}`) takes the chart's value in the driver's
unit; the git-sync sidecar's `GIT_SYNC_TIMEOUT` (a checkout of the DAGs) is no call's bound."""

from __future__ import annotations

from pathlib import Path

from tests.extractors.scan_support import contracts as _contracts, write as _write


CHART = 'apiVersion: v2\nname: obs\nversion: 0.1.0\n'

COLLECTOR_VALUES = '''\
otelCollector:
  config:
    processors:
      batch:
        send_batch_size: 50000
        timeout: 1s
    exporters:
      clickhousetraces:
        datasource: tcp://${env:CLICKHOUSE_HOST}:9000/traces
        use_new_schema: true
      clickhouselogsexporter:
        dsn: tcp://${env:CLICKHOUSE_HOST}:9000/logs
        timeout: 10s
      signozclickhousemeter:
        timeout: 45s
        dsn: tcp://${env:CLICKHOUSE_HOST}:9000/meter
      otlp:
        endpoint: collector:4317
        timeout: 5s
'''


def test_collector_exporter_writing_to_a_database(tmp_path: Path) -> None:
    root = _write(tmp_path / "charts", {"obs/Chart.yaml": CHART, "obs/values.yaml": COLLECTOR_VALUES})
    got = {c for c in _contracts(root) if c[0].endswith("values.yaml")}
    assert ("obs/values.yaml", 13, "timeout", 10000) in got   # dsn above the timeout
    assert ("obs/values.yaml", 15, "timeout", 45000) in got   # dsn below it
    assert not [c for c in got if c[1] in (6, 19)]  # a batch flush period; telemetry sent on over OTLP


MONGO_VALUES = '''\
mongo:
  dbhost: mongo-headless
  dbname: gravitee
  connectTimeoutMS: 30000
'''

MONGO_CONFIGMAP = '''\
apiVersion: v1
kind: ConfigMap
metadata:
  name: api-config
data:
  gravitee.yml: |
    management:
      mongodb:
        uri: mongodb://{{ .Values.mongo.dbhost }}:27017/{{ .Values.mongo.dbname }}?{{- if .Values.mongo.connectTimeoutMS }}&connectTimeoutMS={{ .Values.mongo.connectTimeoutMS }}{{- end }}
        # a comment: mongodb://h/db?connectTimeoutMS={{ .Values.mongo.other }}
'''


def test_connection_string_parameter_from_a_placeholder(tmp_path: Path) -> None:
    root = _write(tmp_path / "charts", {"api/Chart.yaml": CHART, "api/values.yaml": MONGO_VALUES,
                                        "api/templates/configmap.yaml": MONGO_CONFIGMAP})
    got = {c for c in _contracts(root) if c[0].endswith("configmap.yaml")}
    assert got == {("api/templates/configmap.yaml", 9, "timeout", 30000)}


GIT_SYNC = '''\
{{- define "airflow.git_sync_env" }}
- name: GIT_SYNC_REV
  value: {{ .Values.dags.gitSync.revision | quote }}
- name: GIT_SYNC_TIMEOUT
  value: {{ .Values.dags.gitSync.syncTimeout | quote }}
- name: GITSYNC_SYNC_TIMEOUT
  value: "120s"
- name: UPSTREAM_TIMEOUT
  value: "15s"
{{- end }}
'''


def test_git_sync_timeout_is_not_a_call(tmp_path: Path) -> None:
    root = _write(tmp_path / "charts", {"af/Chart.yaml": CHART,
                                        "af/values.yaml": "dags:\n  gitSync:\n    syncTimeout: 120\n",
                                        "af/templates/_helpers/pods.tpl": GIT_SYNC})
    got = {c for c in _contracts(root) if c[0].endswith("pods.tpl")}
    assert got == {("af/templates/_helpers/pods.tpl", 8, "timeout", 15000)}


OPERATOR_CONFIGMAP = '''\
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "clickhouseOperator.fullname" . }}-files
data:
  config.yaml: |
    clickhouse:
      access:
        username: "clickhouse_operator"
        port: 8123
        # Timeouts used to limit connection and queries from the operator to ClickHouse instances
        # Specified in seconds.
        timeouts:
          connect: 2
          query: 5
      metrics:
        timeouts:
          collect: 9
    reconcile:
      statefulSet:
        update:
          timeout: 900
    other:
      access:
        timeouts:
          connect: 4
'''


def test_clickhouse_operator_access_timeouts(tmp_path: Path) -> None:
    root = _write(tmp_path / "charts", {"ch/Chart.yaml": CHART, "ch/values.yaml": "a: 1\n",
                                        "ch/templates/operator-files.yaml": OPERATOR_CONFIGMAP})
    got = {c for c in _contracts(root) if c[0].endswith("operator-files.yaml")}
    assert got == {("ch/templates/operator-files.yaml", 14, "timeout", 2000),
                   ("ch/templates/operator-files.yaml", 15, "timeout", 5000)}
