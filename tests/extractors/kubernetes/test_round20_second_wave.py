"""Round 20, Kubernetes/Helm second wave (held-out sets apisix-helm-chart, concourse-chart, fluent/helm-charts): an
admission webhook's timeoutSeconds inside `{{- with .Values.x }}` ({{ . }} reads x), Concourse's build-step and
resource-check timeouts and a worker's own container-runtime timeouts (not calls), a RETRY_MAX beside a
RETRY_INITIAL (a backoff's largest interval), and Fluent Bit's `Retry_Limit` in a values [OUTPUT] string; each with a trap."""

from __future__ import annotations

from pathlib import Path

from tests.extractors.scan_support import contracts as _contracts, write as _write


WEBHOOK = '''\
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata:
  name: app-webhook
webhooks:
- name: vroute.example.org
  clientConfig:
    service:
      name: app-webhook
      namespace: {{ .Release.Namespace }}
  failurePolicy: {{ .Values.webhook.failurePolicy }}
  {{- with .Values.webhook.timeoutSeconds }}
  timeoutSeconds: {{ . }}
  {{- end }}
  sideEffects: None
- name: vother.example.org
  clientConfig:
    service:
      name: app-webhook
  {{- with .Values.webhook.other }}
  labels: {{ toYaml . }}
  {{- end }}
  timeoutSeconds: {{ .Values.webhook.slow }}
'''


def test_a_bare_dot_in_a_with_block_reads_the_values_key(tmp_path: Path) -> None:
    _write(tmp_path, {"charts/app/templates/webhook.yaml": WEBHOOK,
                      "charts/app/values.yaml": "webhook:\n  failurePolicy: Ignore\n  timeoutSeconds: 10\n"
                                                "  slow: 25\n  other: {a: b}\n"})
    found = _contracts(tmp_path)
    t = "charts/app/templates/webhook.yaml"
    assert (t, 13, "timeout", 10000) in found  # {{ . }} of `with .Values.webhook.timeoutSeconds`
    assert (t, 23, "timeout", 25000) in found  # after the other with block: its own placeholder
    assert not {x for x in found if x[0] == t and x[1] in (12, 20, 21, 22)}


CONCOURSE_WEB = '''\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          env:
            {{- if .Values.concourse.web.defaultTaskTimeout }}
            - name: CONCOURSE_DEFAULT_TASK_TIMEOUT
              value: {{ .Values.concourse.web.defaultTaskTimeout | quote }}
            {{- end }}
            {{- if .Values.concourse.web.globalResourceCheckTimeout }}
            - name: CONCOURSE_GLOBAL_RESOURCE_CHECK_TIMEOUT
              value: {{ .Values.concourse.web.globalResourceCheckTimeout | quote }}
            {{- end }}
            {{- if .Values.concourse.web.gardenRequestTimeout }}
            - name: CONCOURSE_GARDEN_REQUEST_TIMEOUT
              value: {{ .Values.concourse.web.gardenRequestTimeout | quote }}
            {{- end }}
            {{- if .Values.concourse.worker.garden.requestTimeout }}
            - name: CONCOURSE_GARDEN_REQUEST_TIMEOUT
              value: {{ .Values.concourse.worker.garden.requestTimeout | quote }}
            {{- end }}
            {{- if .Values.concourse.web.vault.retryInitial }}
            - name: CONCOURSE_VAULT_RETRY_INITIAL
              value: {{ .Values.concourse.web.vault.retryInitial | quote }}
            {{- end }}
            {{- if .Values.concourse.web.vault.retryMax }}
            - name: CONCOURSE_VAULT_RETRY_MAX
              value: {{ .Values.concourse.web.vault.retryMax | quote }}
            {{- end }}
            - name: CONCOURSE_UPLOAD_RETRY_MAX
              value: "4"
'''

CONCOURSE_VALUES = '''\
concourse:
  web:
    defaultTaskTimeout: 1h
    globalResourceCheckTimeout: 1h
    gardenRequestTimeout: 5m
    vault:
      retryInitial: 1s
      retryMax: 5m
  worker:
    garden:
      requestTimeout: 5m
'''


def test_concourse_own_work_and_a_backoff_interval_are_no_contracts(tmp_path: Path) -> None:
    _write(tmp_path, {"charts/ci/templates/web-deployment.yaml": CONCOURSE_WEB, "charts/ci/values.yaml": CONCOURSE_VALUES})
    found = _contracts(tmp_path)
    t = "charts/ci/templates/web-deployment.yaml"
    assert (t, 20, "timeout", 300000) in found  # the web node's requests to the workers' Garden: a call
    assert (t, 35, "retry", 5) in found  # a RETRY_MAX without an initial interval beside it: a count
    lines = {line for p, line, _, _ in found if p == t}
    assert not lines & {12, 16, 24, 28, 32}  # a task step, a resource check, the worker's own Garden, Vault's backoff


FLUENT_VALUES = '''\
config:
  service: |
    [SERVICE]
        Flush 1
  outputs: |
    [OUTPUT]
        Name es
        Match kube.*
        Retry_Limit False

    [OUTPUT]
        Name forward
        Match host.*
        Retry_Limit 3
  filters: |
    [FILTER]
        Name kubernetes
        Retry_Limit 7
'''


def test_fluent_bit_retry_limit_in_a_values_output_section(tmp_path: Path) -> None:
    _write(tmp_path, {"charts/fluent-bit/values.yaml": FLUENT_VALUES,
                      "charts/fluent-bit/Chart.yaml": "apiVersion: v2\nname: fluent-bit\nversion: 1.0.0\n"})
    found = _contracts(tmp_path)
    v = "charts/fluent-bit/values.yaml"
    assert (v, 9, "retry", None) in found  # False: without limit
    assert (v, 14, "retry", 4) in found  # 3 re-tries after the first flush
    assert not {x for x in found if x[0] == v and x[1] == 18}  # not an [OUTPUT] section


WRAPPED = '''\
{{- if .Values.migration.enabled }}
apiVersion: v1
kind: ConfigMap
metadata:
  name: migration-env
data:
  MIGRATION_RETRY_MAXRETRIES: {{ .Values.migration.maxRetries | quote }}
{{- end }}
'''


def test_a_switch_wrapping_a_whole_resource_keeps_its_settings(tmp_path: Path) -> None:
    _write(tmp_path, {"charts/app/templates/migration.yaml": WRAPPED,
                      "charts/app/values.yaml": "migration:\n  enabled: false\n  maxRetries: 5\n"})
    found = _contracts(tmp_path)
    assert ("charts/app/templates/migration.yaml", 7, "retry", 6) in found  # a component a deployment turns on
