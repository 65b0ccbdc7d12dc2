"""Round 10 (infra): a chart's values.yaml that mentions apiVersion deep inside is still its values;
a fraction of a timeout written bare is seconds; ClickHouse's unit-less timeouts are seconds."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan
from extractors.kubernetes.detectors.service_settings import findings_in_lines
from tests.extractors.scan_support import write as _write


VALUES = '''\
api:
  otel:
    # OpenTelemetry batch export timeout in milliseconds
    batchExportTimeout: 10000
    # the exporter's queue (kind: a size, not a time)
    maxQueueSize: 2048
extraDeploy:
  - apiVersion: ""
    kind: ""
'''

CONFIG_TPL = '''\
{{- define "app.config" -}}
OTEL_BATCH_EXPORT_TIMEOUT: {{ .Values.api.otel.batchExportTimeout | toString | quote }}
REDIS_SENTINEL_SOCKET_TIMEOUT: "0.1"
REDIS_SOCKET_TIMEOUT: "5"
REQUEST_TIMEOUT: "1.0"
# CELERY_TIMEOUT: "0.5"
{{- end }}
'''


def _timeouts(root: Path) -> set[tuple]:
    return {(f.path, f.line, f.attributes["timeout_ms"]) for f in scan(root).findings if f.kind == "timeout"}


def test_values_naming_api_version_deep_inside_still_value_the_templates(tmp_path: Path) -> None:
    root = _write(tmp_path, {"chart/Chart.yaml": "apiVersion: v2\nname: app\nversion: 1.0.0\n",
                             "chart/values.yaml": VALUES, "chart/templates/config.tpl": CONFIG_TPL})
    assert _timeouts(root) == {
        ("chart/templates/config.tpl", 2, 10000),  # the values.yaml comment's milliseconds
        ("chart/templates/config.tpl", 3, 100),    # "0.1": seconds
        # "5" and "1.0": a bare number whose unit nothing says, not reported; the comment is not read
    }


def test_a_values_file_that_is_a_manifest_is_read_as_one(tmp_path: Path) -> None:
    manifest = ("apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: r\nspec:\n"
                "  hosts: [r]\n  http:\n  - route:\n    - destination:\n        host: r\n    timeout: 3s\n")
    root = _write(tmp_path, {"deploy/values.yaml": manifest})
    assert _timeouts(root) == {("deploy/values.yaml", 11, 3000)}


CLICKHOUSE = '''\
apiVersion: v1
kind: ConfigMap
metadata:
  name: clickhouse
data:
  users.xml: |
    <yandex>
      <profiles>
        <default>
          <http_connection_timeout>10</http_connection_timeout>
          <connect_timeout_with_failover_ms>1000</connect_timeout_with_failover_ms>
          <max_execution_time>0</max_execution_time>
        </default>
      </profiles>
    </yandex>
'''


def test_clickhouse_settings_without_a_unit_are_seconds() -> None:
    found = findings_in_lines("templates/clickhouse.yaml", CLICKHOUSE.splitlines())
    assert {(f.line, f.attributes["timeout_ms"], f.attributes["phase"]) for f in found} == {
        (10, 10000, "connect"), (11, 1000, "connect")}


def test_other_xml_keeps_unit_less_timeouts_unreported() -> None:
    other = CLICKHOUSE.replace("<yandex>", "<settings>").replace("</yandex>", "</settings>")
    found = findings_in_lines("templates/app.yaml", other.splitlines())
    assert {(f.line, f.attributes["timeout_ms"]) for f in found} == {(11, 1000)}
