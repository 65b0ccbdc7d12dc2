"""Round 15 (infra), Kubernetes: on/off retry switches named with ENABLED / ENABLE in a
container's env (Rocket.Chat's RETRY_ENABLED for the Moleculer broker's retry policy)."""

from __future__ import annotations

from pathlib import Path

from tests.extractors.scan_support import contracts as _contracts, write as _write


DEPLOYMENT = '''\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: presence
spec:
  template:
    spec:
      containers:
        - name: presence
          image: rocketchat/presence-service
          env:
            - name: RETRY_ENABLED
              value: 'yes'
            - name: ENABLE_RETRIES
              value: "true"
            - name: HTTP_RETRIES_ENABLED
              value: "false"
            - name: LOGIN_RETRY_ENABLED
              value: "true"
            - name: RETRY_ENABLED_NOTE
              value: "true"
            - name: RETRY_ENABLED
              value: {{ .Values.retry | quote }}
            # - name: RETRY_ENABLED
            #   value: 'yes'
'''


def test_retry_enabled_switches_in_env(tmp_path: Path) -> None:
    _write(tmp_path, {"charts/rc/templates/deployment.yaml": DEPLOYMENT,
                      "charts/rc/values.yaml": "retry: maybe\n"})
    found = _contracts(tmp_path)
    d = "charts/rc/templates/deployment.yaml"
    assert (d, 12, "retry", None) in found  # RETRY_ENABLED 'yes': the count is the code's
    assert (d, 14, "retry", None) in found  # ENABLE_RETRIES "true"
    lines = {line for p, line, _, _ in found if p == d}
    assert not lines & {16, 18, 20, 22, 24}  # off; a login's; not a switch name; no literal; a comment


FROM_REF = '''\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: server
spec:
  template:
    spec:
      containers:
        - name: server
          env:
            - name: APP_GIT_REQUEST_TIMEOUT_SECONDS
              valueFrom:
                configMapKeyRef:
                  name: app-params
                  key: git.request.timeout.seconds
                  optional: true
            - name: APP_K8SCLIENT_RETRY_MAX
              valueFrom:
                configMapKeyRef:
                  name: app-params
                  key: k8sclient.retry.max
                  optional: true
            - name: APP_RECONCILIATION_TIMEOUT
              valueFrom:
                configMapKeyRef:
                  name: app-params
                  key: timeout.reconciliation
            - name: APP_LOG_LEVEL
              valueFrom:
                configMapKeyRef:
                  name: app-params
                  key: log.level
            - name: APP_POD_TIMEOUT_SECONDS
              valueFrom:
                fieldRef:
                  fieldPath: metadata.name
'''


def test_env_values_from_a_configmap_key(tmp_path: Path) -> None:
    _write(tmp_path, {"charts/app/templates/deployment.yaml": FROM_REF, "charts/app/Chart.yaml": "name: app\n"})
    found = _contracts(tmp_path)
    d = "charts/app/templates/deployment.yaml"
    assert (d, 11, "timeout", None) in found  # a call's timeout whose value the chart leaves to the user
    assert (d, 17, "retry", None) in found  # the prefilter reads names going on after RETRY / TIMEOUT
    lines = {line for p, line, _, _ in found if p == d}
    assert not lines & {23, 28, 33}  # a refresh period; no setting; a fieldRef (no ConfigMap's key)


RUNNER = '''\
apiVersion: v1
kind: ConfigMap
metadata:
  name: runner-vars
data:
  EXECUTION_TIMEOUT_MS: {{ .Values.runner.execution_timeout_ms | default "10000" | quote }}
  INIT_TIMEOUT_MS: "5000"
  UPSTREAM_TIMEOUT_MS: "2500"
'''


def test_names_going_on_after_timeout_and_local_bounds(tmp_path: Path) -> None:
    _write(tmp_path, {"charts/app/templates/runner.yaml": RUNNER, "charts/app/values.yaml": "runner: {}\n"})
    found = _contracts(tmp_path)
    r = "charts/app/templates/runner.yaml"
    assert (r, 8, "timeout", 2500) in found  # the only hits go on after TIMEOUT: the file is read
    lines = {line for p, line, _, _ in found if p == r}
    assert not lines & {6, 7}  # a sandboxed script's run and init bounds: local


LEASES = '''\
java:
  environment:
    STORAGE_BLOB_LEASE_TIMEOUT_IN_MINUTES:  10
    ENVELOPE_STALE_TIMEOUT_HR: 48
    PROCESSOR_TIMEOUT_HR: 2
    TASK_SCAN_DELAY: "4000" # in millis
'''


def test_leases_and_stale_ages_are_no_call_bounds(tmp_path: Path) -> None:
    _write(tmp_path, {"charts/router/values.yaml": LEASES, "charts/router/Chart.yaml": "name: router\n"})
    found = _contracts(tmp_path)
    v = "charts/router/values.yaml"
    assert (v, 5, "timeout", 7200000) in found  # HR: hours
    lines = {line for p, line, _, _ in found if p == v}
    assert not lines & {3, 4, 6}  # a blob lease (a lock's life), a staleness age, a task's spacing
