"""Round 11 (infra): a container's command-line flags naming a call's bound
(`- "--fetch-timeout=1h"`), not a server's own listener flags."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan

DEPLOYMENT = '''\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: gitter
spec:
  template:
    spec:
      containers:
      - name: gitter
        image: gitter
        args:
          - "--port=8888"
          - "--fetch-timeout=1h"
          - "--repo-cache-ttl=1h"
          - --read-timeout=60s
          - --write-timeout=60s
          - --request-timeout=30s
          - --upstream-max-retries=3
          - --timeout=5s
          - "--retry-backoff=2s"
          - --dial-timeout={{ .Values.dial }}
          # - "--clone-timeout=10m"
        env:
          - name: TIMEOUT_NOTE
            value: "--fetch-timeout=9s"
'''

PATCH = '''\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: gitter
spec:
  template:
    spec:
      containers:
      - name: gitter
        args:
          - '--clone-timeout=90s'
          - "--clone-max-attempts=4"
'''


def test_container_flags(tmp_path: Path) -> None:
    (tmp_path / "base").mkdir()
    (tmp_path / "base" / "gitter.yaml").write_text(DEPLOYMENT)
    (tmp_path / "env").mkdir()
    (tmp_path / "env" / "gitter.yaml").write_text(PATCH)
    found = set()
    for f in scan(tmp_path).findings:
        value = f.attributes.get("timeout_ms") if f.kind == "timeout" else f.attributes.get("max_attempts")
        found.add((f.path, f.line, f.kind, value))
    assert found == {
        ("base/gitter.yaml", 13, "timeout", 3600000),
        ("base/gitter.yaml", 18, "retry", 4),
        ("base/gitter.yaml", 21, "timeout", None),  # a placeholder no values.yaml settles: unresolved
        ("env/gitter.yaml", 11, "timeout", 90000),
        ("env/gitter.yaml", 12, "retry", 4),
    }


CHART_VALUES = '''\
gateway:
  upstreamTimeout: "1m"
  readTimeout: "1m05s"
queueWorker:
  ackWait: "60s"
  maxRetryAttempts: "100"
visibilityTimeout: 30s
'''

CHART_TEMPLATE = '''\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ template "chart.name" . }}-gateway
spec:
  template:
    spec:
      containers:
      - name: gateway
        image: gateway
        command:
          - "/usr/bin/connector"
          - "--visibility-timeout={{ .Values.visibilityTimeout }}"
          - "-confirm-timeout=30s"
          - "-port=8080"
        env:
        - name: read_timeout
          value: "{{ .Values.gateway.readTimeout }}"
        - name: upstream_timeout
          value: "{{ .Values.gateway.upstreamTimeout }}"
        - name: ack_wait
          value: "{{ .Values.queueWorker.ackWait }}"
        - name: "max_retry_attempts"
          value: "{{ .Values.queueWorker.maxRetryAttempts }}"
        - name: max_retry_wait
          value: "120s"
        - name: retry_note
          value: "3"
        volumeMounts:
        - name: ack_wait_volume
          mountPath: /tmp
'''


def test_chart_lower_case_env_and_flags(tmp_path: Path) -> None:
    chart = tmp_path / "chart"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: chart\nversion: 0.1.0\n")
    (chart / "values.yaml").write_text(CHART_VALUES)
    (chart / "templates" / "deployment.yml").write_text(CHART_TEMPLATE)
    found = set()
    for f in scan(tmp_path).findings:
        value = f.attributes.get("timeout_ms") if f.kind == "timeout" else f.attributes.get("max_attempts")
        found.add((f.path, f.line, f.kind, value))
    path = "chart/templates/deployment.yml"
    # read_timeout (the service's own HTTP server), max_retry_wait (spacing), retry_note, a volume: nothing
    assert found == {
        (path, 13, "timeout", 30000),
        (path, 14, "timeout", 30000),
        (path, 19, "timeout", 60000),
        (path, 21, "timeout", 60000),
        (path, 23, "retry", 100),
    }


OPERATOR_VS = '''\
apiVersion: networking.istio.io/v1alpha3
kind: VirtualService
metadata:
  name: {{ .Spec.App.SvcName }}
  namespace: {{ .Namespace }}
  labels:
    {{- range $k, $v := .Spec.Labels }}
    {{$k}}: "{{$v}}"
    {{- end }}
spec:
  hosts:
  - "{{ .Spec.App.SvcName }}.{{ .Spec.ClusterDomain }}"
  http:
  - retries:
      attempts: 3
      perTryTimeout: 60s
    timeout: 300s
    route:
    - destination:
        host: "{{ .Spec.App.SvcName }}.{{ .Namespace }}.svc.cluster.local"
'''

OPERATOR_INGRESS = '''\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {{ .Spec.App.SvcName }}
  annotations:
    nginx.ingress.kubernetes.io/proxy-read-timeout: 18000s
spec:
  rules: []
'''

NOT_A_MANIFEST = '''\
# timeout: 5s is a comment in a text template
Hello {{ .Name }}, retries: 3
'''


def test_operator_manifest_templates(tmp_path: Path) -> None:
    tmpl = tmp_path / "pkg" / "app" / "tmpl"
    tmpl.mkdir(parents=True)
    (tmpl / "vs.tpl").write_text(OPERATOR_VS)
    (tmpl / "ingress.tpl").write_text(OPERATOR_INGRESS)
    (tmpl / "mail.tpl").write_text(NOT_A_MANIFEST)
    (tmp_path / ".env.tpl").write_text("UPSTREAM_TIMEOUT_MS=2500\n")
    found = set()
    for f in scan(tmp_path).findings:
        value = f.attributes.get("timeout_ms") if f.kind == "timeout" else f.attributes.get("max_attempts")
        found.add((f.path, f.line, f.kind, value))
    assert found == {
        ("pkg/app/tmpl/vs.tpl", 14, "retry", 4),
        ("pkg/app/tmpl/vs.tpl", 17, "timeout", 300000),
        ("pkg/app/tmpl/ingress.tpl", 6, "timeout", 18000000),
    }
