"""Round 20, Kubernetes/Helm (held-out sets airbyte-platform-chart, openwhisk-deploy-kube, jenkins-helm-charts):
an env entry reading a ConfigMap key the same file writes (a helper's `.env` define beside its `configVars`
define), a singular MAX_ATTEMPT and a DAYS unit, mixed-case environment names (Lightbend config overrides,
`CONFIG_whisk_runtime_delete_timeout: "30 seconds"`), a Kubernetes API client's block (`- kubernetes:
{connectTimeout: ..}`), and the curl calls of a shell script a ConfigMap holds."""

from __future__ import annotations

from pathlib import Path

from tests.extractors.scan_support import contracts as _contracts, write as _write


HELPERS = '''\
{{- define "app.worker.rpcTimeout" }}
    {{- .Values.worker.rpcTimeout | default "120s" }}
{{- end }}

{{- define "app.worker.rpcTimeout.env" }}
- name: WORKER_RPC_TIMEOUT
  valueFrom:
    configMapKeyRef:
      name: {{ .Release.Name }}-env
      key: WORKER_RPC_TIMEOUT
{{- end }}

{{- define "app.worker.envs" }}
- name: WORKER_CALL_TIMEOUT
  valueFrom:
    configMapKeyRef:
      name: user-provided
      key: WORKER_CALL_TIMEOUT
- name: ACTIVITY_MAX_ATTEMPT
  valueFrom:
    configMapKeyRef: {name: env, key: ACTIVITY_MAX_ATTEMPT}
{{- end }}

{{- define "app.worker.configVars" }}
WORKER_RPC_TIMEOUT: {{ include "app.worker.rpcTimeout" . | quote }}
ACTIVITY_MAX_ATTEMPT: {{ .Values.worker.activityMaxAttempt | quote }}
SYNC_JOB_MAX_TIMEOUT_DAYS: {{ .Values.worker.syncDays | default 3 | quote }}
LOGIN_MAX_ATTEMPT: "5"
MAX_ATTEMPT_DELAY_SECONDS: "10"
{{- end }}
'''


def test_env_entry_naming_a_key_the_file_writes_is_no_setting_of_its_own(tmp_path: Path) -> None:
    _write(tmp_path, {"charts/app/templates/config/_worker.tpl": HELPERS,
                      "charts/app/values.yaml": "worker:\n  activityMaxAttempt: \"\"\n  syncDays: 2\n"})
    found = _contracts(tmp_path)
    t = "charts/app/templates/config/_worker.tpl"
    assert (t, 25, "timeout", 120000) in found  # the data line, with the define's default
    assert (t, 26, "retry", None) in found  # ACTIVITY_MAX_ATTEMPT (singular), left empty in values.yaml
    assert (t, 27, "timeout", 2 * 86400000) in found  # a DAYS unit
    assert (t, 14, "timeout", None) in found  # a key no line here writes: the setting is the env entry (round 15)
    lines = {line for p, line, _, _ in found if p == t}
    assert not lines & {6, 19, 28, 29}  # refs to keys written here (block and inline); a login's; a delay


OPENWHISK = '''\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: invoker
spec:
  template:
    spec:
      containers:
        - name: invoker
          env:
            - name: "CONFIG_whisk_runtime_delete_timeout"
              value: "{{ .Values.invoker.runtimeDeleteTimeout }}"
            - name: "CONFIG_akka_coordinatedShutdown_phases_actorSystemTerminate_timeout"
              value: "30 s"
            - name: "CONFIG_whisk_scheduler_queue_gracefulShutdownTimeout"
              value: "5 seconds"
            - name: "CONFIG_whisk_timeLimit_std"
              value: "1m"
            - name: "CONFIG_whisk_loadbalancer_timeoutFactor"
              value: "2"
            - name: "CONFIG_whisk_couchdb_request_timeout"
              value: "20 seconds"
'''


def test_mixed_case_environment_names_read_word_by_word(tmp_path: Path) -> None:
    _write(tmp_path, {"helm/ow/templates/invoker-pod.yaml": OPENWHISK,
                      "helm/ow/values.yaml": "invoker:\n  runtimeDeleteTimeout: \"30 seconds\"\n"})
    found = _contracts(tmp_path)
    d = "helm/ow/templates/invoker-pod.yaml"
    assert (d, 11, "timeout", 30000) in found  # "30 seconds" from values.yaml
    assert (d, 21, "timeout", 20000) in found
    lines = {line for p, line, _, _ in found if p == d}
    assert not lines & {13, 15, 17, 19}  # shutdown phases, a graceful shutdown, a time limit, a factor


JCASC = '''\
{{- define "jenkins.casc.defaults" -}}
jenkins:
  clouds:
  - kubernetes:
      containerCapStr: "{{ .Values.agent.containerCap }}"
      connectTimeout: "{{ .Values.agent.kubernetesConnectTimeout }}"
      readTimeout: "{{ .Values.agent.kubernetesReadTimeout }}"
      retentionTimeout: {{ .Values.agent.retentionTimeout | quote }}
  kubernetes:
    livenessProbe:
      timeoutSeconds: 5
{{- end }}
'''

JCASC_VALUES = '''\
agent:
  # -- The connection timeout in seconds for connections to Kubernetes API
  kubernetesConnectTimeout: 5
  # -- The read timeout in seconds for connections to Kubernetes API
  kubernetesReadTimeout: 15
  retentionTimeout: 5
'''


def test_a_kubernetes_api_clients_block(tmp_path: Path) -> None:
    _write(tmp_path, {"charts/jenkins/templates/_helpers.tpl": JCASC, "charts/jenkins/values.yaml": JCASC_VALUES})
    found = _contracts(tmp_path)
    t = "charts/jenkins/templates/_helpers.tpl"
    assert (t, 6, "timeout", 5000) in found  # seconds: the values.yaml comment's unit
    assert (t, 7, "timeout", 15000) in found
    lines = {line for p, line, _, _ in found if p == t}
    assert not lines & {8, 11}  # idle agents' clean-up; a probe


SCRIPTS = '''\
apiVersion: v1
kind: ConfigMap
metadata:
  name: grafana-download
data:
  download_dashboards.sh: |
    #!/usr/bin/env sh
    {{- range $index, $url := .Values.grafana.dashboards }}
      curl -sk \\
      --connect-timeout 60 \\
      --max-time 60 \\
      {{ $url }}  > /var/lib/grafana/dashboards/{{ $index }}.json
    {{- end }}
  health.sh: |
    #!/bin/sh
    curl --max-time 2 http://localhost:8080/health
  wait.sh: |
    until curl --max-time 2 http://db:5432; do sleep 1; done
  notes.txt: |
    run curl --max-time 30 http://api/x by hand
  config.yaml: |
    retries: 3
'''


def test_curl_calls_of_a_configmap_script(tmp_path: Path) -> None:
    _write(tmp_path, {"helm/ow/templates/grafana-cm-download.yaml": SCRIPTS,
                      "helm/ow/values.yaml": "grafana:\n  dashboards: {}\n"})
    found = _contracts(tmp_path)
    c = "helm/ow/templates/grafana-cm-download.yaml"
    assert (c, 10, "timeout", 60000) in found  # --connect-timeout 60
    assert (c, 11, "timeout", 60000) in found  # --max-time 60
    lines = {line for p, line, _, _ in found if p == c}
    assert not lines & {16, 18, 20, 22}  # the pod's own health check, a wait loop, not a script, a config


JOBS_VALUES = '''\
background-worker:
  config:
    backgroundJobs:
      concurrency: 8
      # Per-attempt timeout in seconds
      jobTimeout: 60s
      # Total attempts, including the first try
      maxAttempts: 3
    cleanup:
      jobTimeout: 30
      maxAttempts: 0
    loginPolicy:
      maxAttempts: 5
    startupProbe:
      maxAttempts: 10
    importer:
      maxAttempts: "{{ .Values.x }}"
'''


def test_a_job_consumers_attempts_and_time_bound_in_values(tmp_path: Path) -> None:
    _write(tmp_path, {"charts/wire-server/values.yaml": JOBS_VALUES,
                      "charts/wire-server/templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"})
    found = _contracts(tmp_path)
    v = "charts/wire-server/values.yaml"
    assert (v, 6, "timeout", 60000) in found
    assert (v, 8, "retry", 3) in found  # attempts in all
    lines = {line for p, line, _, _ in found if p == v}
    assert not lines & {10, 11, 13, 15, 17}  # a bare number (no unit), zero, a login's, a probe's, a placeholder


SIDECAR = '''\
{{- define "jenkins.configReloadContainer" -}}
- name: config-reload
  env:
    - name: REQ_URL
      value: "http://localhost:8080/reload-configuration-as-code/"
    - name: REQ_RETRY_CONNECT
      value: "{{ .Values.controller.sidecars.configAutoReload.reqRetryConnect }}"
    - name: REQ_RETRY_TOTAL
      value: "5"
    - name: REQ_RETRY_BACKOFF_FACTOR
      value: "1.1"
    - name: RETRY_TOTAL
      value: "4"
{{- end }}
'''


def test_urllib3_retry_counts_in_env(tmp_path: Path) -> None:
    _write(tmp_path, {"charts/jenkins/templates/_helpers.tpl": SIDECAR,
                      "charts/jenkins/values.yaml": "controller:\n  sidecars:\n    configAutoReload:\n"
                                                    "      reqRetryConnect: 10\n"})
    found = _contracts(tmp_path)
    t = "charts/jenkins/templates/_helpers.tpl"
    assert (t, 6, "retry", 11) in found  # connect retries after the first try
    assert (t, 8, "retry", 6) in found
    lines = {line for p, line, _, _ in found if p == t}
    assert not lines & {10, 12}  # a backoff factor; a name saying no more than RETRY_TOTAL


ARGO = '''\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: argocd-server
spec:
  template:
    spec:
      containers:
        - name: server
          env:
            - name: ARGOCD_SERVER_REPO_SERVER_TIMEOUT_SECONDS
              valueFrom:
                configMapKeyRef:
                  name: argocd-cmd-params-cm
                  key: server.repo.server.timeout.seconds
                  optional: true
            - name: ARGOCD_SERVER_LDAP_SERVER_TIMEOUT
              value: "5s"
            - name: ARGOCD_SERVER_READ_TIMEOUT
              value: "30s"
            - name: ARGOCD_SERVER_TIMEOUT
              value: "30s"
'''


def test_a_server_the_service_calls_named_by_what_it_serves(tmp_path: Path) -> None:
    _write(tmp_path, {"charts/argo-cd/templates/argocd-server/deployment.yaml": ARGO,
                      "charts/argo-cd/Chart.yaml": "name: argo-cd\n"})
    found = _contracts(tmp_path)
    d = "charts/argo-cd/templates/argocd-server/deployment.yaml"
    assert (d, 11, "timeout", None) in found  # the repo server's calls, value left to the user
    assert (d, 17, "timeout", 5000) in found
    lines = {line for p, line, _, _ in found if p == d}
    assert not lines & {19, 21}  # the server's own


SCHEDULER = '''\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: scheduler
spec:
  template:
    spec:
      containers:
        - name: scheduler
          env:
            - name: "CONFIG_whisk_scheduler_queueManager_maxRetriesToGetQueue"
              value: {{ .Values.scheduler.queueManager.maxRetriesToGetQueue | quote }}
            - name: "CONFIG_whisk_loadbalancer_timeoutFactor"
              value: {{ .Values.whisk.loadbalancer.timeoutFactor | quote }}
            - name: "CONFIG_whisk_scheduler_maxAttemptsToSchedule"
              value: "3"
'''


def test_a_bound_named_for_what_is_tried(tmp_path: Path) -> None:
    _write(tmp_path, {"helm/ow/templates/scheduler-pod.yaml": SCHEDULER,
                      "helm/ow/values.yaml": "scheduler:\n  queueManager:\n    maxRetriesToGetQueue: \"13\"\n"
                                             "whisk:\n  loadbalancer:\n    timeoutFactor: 2\n"})
    found = _contracts(tmp_path)
    d = "helm/ow/templates/scheduler-pod.yaml"
    assert (d, 11, "retry", 14) in found  # 13 retries after the first try
    assert (d, 15, "retry", 3) in found  # attempts in all
    assert not {x for x in found if x[0] == d and x[1] == 13}  # a multiplier of another bound
