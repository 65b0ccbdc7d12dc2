"""Round 19, second-wave fixes, Kubernetes/Helm (held-out sets linkerd2-charts, camunda-platform-helm): a
controller's re-queue limit flag, a Spring-relaxed retry count in a ConfigMap (`..._RETRY_MAXRETRIES`), a wait
for the service's own importer (`..._IMPORTERFINISHEDTIMEOUT`), a sidecar's inbound side, a literal env entry
behind a values switch that is off, and a library chart (`charts/partials`) whose values are its includer's."""

from __future__ import annotations

from pathlib import Path

from tests.extractors.scan_support import contracts as _contracts, write as _write


MIRROR_VALUES = '''\
serviceMirrorRetryLimit: 3
logLevel: info
controllerDefaults:
  retryLimit: 5
'''

MIRROR = '''\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: service-mirror
spec:
  template:
    spec:
      containers:
      - args:
        - service-mirror
        - -log-level={{.Values.logLevel}}
        - -event-requeue-limit={{.Values.serviceMirrorRetryLimit}}
        - -requeue-interval=5s
        image: ghcr.io/linkerd/controller
{{- range .Values.links }}
      - args:
        - -event-requeue-limit={{ dig "retryLimit" $.Values.controllerDefaults.retryLimit . }}
{{- end }}
'''


def test_requeue_limit_flag(tmp_path: Path) -> None:
    root = _write(tmp_path, {"chart/values.yaml": MIRROR_VALUES, "chart/templates/mirror.yaml": MIRROR})
    got = {c for c in _contracts(root) if c[0].startswith("chart/templates")}
    assert ("chart/templates/mirror.yaml", 12, "retry", 4) in got   # 3 re-queues after the first try
    assert ("chart/templates/mirror.yaml", 17, "retry", 6) in got   # dig's default: the chart's value
    assert not [c for c in got if c[1] in (11, 13)]                  # trap: log level, a re-queue interval


MIGRATION_VALUES = '''\
migration:
  process:
    importerFinishedTimeout: PT1M
    retry:
      maxRetries: 5
      minRetryDelay: 1s
'''

MIGRATION = '''\
apiVersion: v1
kind: ConfigMap
metadata:
  name: migration-env-vars
data:
  MIGRATION_PROCESS_IMPORTERFINISHEDTIMEOUT: {{ .Values.migration.process.importerFinishedTimeout | quote }}
  MIGRATION_PROCESS_RETRY_MAXRETRIES: {{ .Values.migration.process.retry.maxRetries | quote }}
  MIGRATION_PROCESS_RETRY_MINRETRYDELAY: {{ .Values.migration.process.retry.minRetryDelay | quote }}
  UPSTREAM_MAXATTEMPTS: "2"
  CLIENT_CONNECTTIMEOUT: "3s"
'''


def test_spring_relaxed_retry_count_in_a_config_map(tmp_path: Path) -> None:
    root = _write(tmp_path, {"chart/values.yaml": MIGRATION_VALUES, "chart/templates/cm.yaml": MIGRATION})
    got = {c for c in _contracts(root) if c[0].startswith("chart/templates")}
    assert ("chart/templates/cm.yaml", 7, "retry", 6) in got
    assert ("chart/templates/cm.yaml", 9, "retry", 2) in got
    assert ("chart/templates/cm.yaml", 10, "timeout", 3000) in got
    # traps: a wait for the service's own importer to finish, a retry delay
    assert not [c for c in got if c[1] in (6, 8)]


PARENT_VALUES = '''\
proxy:
  outboundConnectTimeout: 1000ms
  inboundConnectTimeout: 100ms
  disableOutboundProtocolDetectTimeout: false
  enableRetries: true
  control:
    streams:
      initialTimeout: 3s
'''

PROXY_TPL = '''\
{{ define "partials.proxy" -}}
env:
- name: LINKERD2_PROXY_CONTROL_STREAM_INITIAL_TIMEOUT
  value: {{((.Values.proxy.control).streams).initialTimeout | default "" | quote}}
{{ if .Values.proxy.inboundConnectTimeout -}}
- name: LINKERD2_PROXY_INBOUND_CONNECT_TIMEOUT
  value: {{.Values.proxy.inboundConnectTimeout | quote}}
{{ end -}}
{{ if .Values.proxy.outboundConnectTimeout -}}
- name: LINKERD2_PROXY_OUTBOUND_CONNECT_TIMEOUT
  value: {{.Values.proxy.outboundConnectTimeout | quote}}
{{ end -}}
{{ if .Values.proxy.disableOutboundProtocolDetectTimeout -}}
- name: LINKERD2_PROXY_OUTBOUND_DETECT_TIMEOUT
  value: "365d"
{{ end -}}
{{ if .Values.proxy.enableRetries -}}
- name: LINKERD2_PROXY_OUTBOUND_MAX_RETRIES
  value: "2"
{{ else -}}
- name: LINKERD2_PROXY_OUTBOUND_WRITE_TIMEOUT
  value: "5s"
{{ end -}}
- name: LINKERD2_PROXY_INBOUND_ACCEPT_USER_TIMEOUT
  value: 30s
- name: LINKERD2_PROXY_OUTBOUND_CONNECT_USER_TIMEOUT
  value: 30s
{{- end }}
'''


def test_library_chart_values_and_switches(tmp_path: Path) -> None:
    root = _write(tmp_path, {"charts/control-plane/values.yaml": PARENT_VALUES,
                             "charts/partials/templates/_proxy.tpl": PROXY_TPL})
    got = {c for c in _contracts(root) if c[0].startswith("charts/partials")}
    tpl = "charts/partials/templates/_proxy.tpl"
    assert (tpl, 3, "timeout", 3000) in got     # a nil-safe path, valued from the including chart
    assert (tpl, 10, "timeout", 1000) in got
    assert (tpl, 18, "retry", 3) in got         # behind a switch that is on
    assert (tpl, 21, "timeout", 5000) in got    # an else branch: not the switch's
    assert (tpl, 26, "timeout", 30000) in got
    # traps: the inbound side (the proxy's own application, accepted connections); a literal behind a switch off
    assert not [c for c in got if c[1] in (6, 14, 24)]
