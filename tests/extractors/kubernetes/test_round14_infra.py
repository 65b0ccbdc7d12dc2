"""Round 14 (infra), Kubernetes: OpenShift's HAProxy router timeout annotation on an Ingress and in
a values file's ingress annotations."""

from __future__ import annotations

from pathlib import Path

from tests.extractors.scan_support import contracts as _contracts, write as _write


OVERRIDE = '''\
frontend:
  ingress:
    annotations:
      kubernetes.io/ingress.class: null
      # haproxy.router.openshift.io/timeout: 9m
      haproxy.router.openshift.io/timeout: 5m
      haproxy.router.openshift.io/timeout-tunnel: 1h
      route.openshift.io/termination: edge
'''

INGRESS = '''\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  annotations:
    haproxy.router.openshift.io/timeout: 90s
spec:
  rules:
  - http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 80
'''


def test_openshift_router_timeout_on_ingress_and_values(tmp_path: Path) -> None:
    _write(tmp_path, {"examples/openshift/override.yaml": OVERRIDE, "k8s/ingress.yaml": INGRESS})
    found = _contracts(tmp_path)
    assert ("examples/openshift/override.yaml", 6, "timeout", 300000) in found
    assert ("k8s/ingress.yaml", 6, "timeout", 90000) in found
    lines = {(p, line) for p, line, _, _ in found}
    assert ("examples/openshift/override.yaml", 5) not in lines  # a comment
    assert ("examples/openshift/override.yaml", 7) not in lines  # an idle tunnel, not a call's bound


VALUES = '''\
ingress:
  enabled: true
extraDeploy:
  - apiVersion: cloud.google.com/v1
    kind: BackendConfig
    metadata:
      name: web-backend
    spec:
      timeoutSec: 120
      healthCheck:
        timeoutSec: 5
  - |
    apiVersion: cloud.google.com/v1
    kind: BackendConfig
    spec:
      timeoutSec: 77
extraObjects:
  vs:
    apiVersion: networking.istio.io/v1beta1
    kind: VirtualService
    metadata:
      name: web
    spec:
      hosts: [web]
      http:
      - route:
        - destination:
            host: web
        timeout: 20s
        retries:
          attempts: 2
notAManifest:
  kind: BackendConfig
  timeoutSec: 60
'''

EXAMPLE = '''\
# values for GKE
extraResources:
  - apiVersion: cloud.google.com/v1
    kind: BackendConfig
    metadata:
      name: platform-backend-config
    spec:
      timeoutSec: 3600
      connectionDraining:
        drainingTimeoutSec: 60
'''


def test_manifests_carried_by_values_files(tmp_path: Path) -> None:
    _write(tmp_path, {"charts/web/values.yaml": VALUES, "charts/web/examples/gke.yaml": EXAMPLE})
    found = _contracts(tmp_path)
    assert ("charts/web/values.yaml", 9, "timeout", 120000) in found  # extraDeploy list item
    assert ("charts/web/values.yaml", 29, "timeout", 20000) in found  # extraObjects map value
    assert ("charts/web/values.yaml", 30, "retry", 3) in found  # at `retries:`, as in a manifest
    assert ("charts/web/examples/gke.yaml", 8, "timeout", 3600000) in found
    lines = {(p, line) for p, line, _, _ in found}
    assert ("charts/web/values.yaml", 11) not in lines  # the health check's timeoutSec (a probe)
    assert ("charts/web/values.yaml", 16) not in lines  # a string item (a template): not read
    assert ("charts/web/values.yaml", 35) not in lines  # no apiVersion: not a manifest
    assert ("charts/web/examples/gke.yaml", 10) not in lines  # connection draining


ENV_VALUES = '''\
sandbox:
  extraEnv:
  # - name: LANG
  #   value: "C.UTF-8"
  - name: WORKER_TIMEOUT
    value: "15"
  - name: UPSTREAM_TIMEOUT_MS
    value: "2500"
  - name: REDIS_IDLE_TIMEOUT
    value: "300"
  - name: WEBHOOK_MAX_RETRY
    value: "3"
  - name: LOG_LEVEL
    value: info
  volumes:
  - name: REQUEST_TIMEOUT
    value: "30"
'''


def test_env_name_value_lists_in_values(tmp_path: Path) -> None:
    _write(tmp_path, {"charts/app/values.yaml": ENV_VALUES})
    found = _contracts(tmp_path)
    assert ("charts/app/values.yaml", 5, "timeout", 15000) in found  # bare number below 1000: seconds
    assert ("charts/app/values.yaml", 7, "timeout", 2500) in found
    assert ("charts/app/values.yaml", 11, "retry", 4) in found
    lines = {line for _, line, _, _ in found}
    assert 9 not in lines  # an idle timeout
    assert 13 not in lines
    assert 16 not in lines  # not under an env list


WEB = '''\
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
        - name: "PERSISTENT_TIMEOUT"
          value: "20"
        - name: "UPSTREAM_TIMEOUT_MS"
          value: "2500"
'''


def test_persistent_connection_timeout_is_the_servers(tmp_path: Path) -> None:
    _write(tmp_path, {"k8s/web.yaml": WEB})
    found = _contracts(tmp_path)
    assert ("k8s/web.yaml", 13, "timeout", 2500) in found
    assert not any(line == 11 for _, line, _, _ in found)  # Puma's keep-alive wait: the server's own


ENVOY = '''\
static_resources:
  listeners:
  - name: ingress
    filter_chains:
    - filters:
      - name: envoy.filters.network.http_connection_manager
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
          route_config:
            virtual_hosts:
            - routes:
              - match: {prefix: /}
                route:
                  cluster: app
                  timeout: 30s
  clusters:
  - name: app
    connect_timeout: 1s
  - name: ratelimit
    connect_timeout: 0.25s
  - name: zipkin
    connect_timeout: 0.5s
  - name: jaeger-collector
    connect_timeout: 2s
  - name: ratings
    connect_timeout: 3s
'''


def test_envoy_own_clusters_are_not_the_services(tmp_path: Path) -> None:
    _write(tmp_path, {"proxy/envoy.yaml": ENVOY})
    found = _contracts(tmp_path)
    assert ("proxy/envoy.yaml", 15, "timeout", 30000) in found
    assert ("proxy/envoy.yaml", 18, "timeout", 1000) in found
    assert ("proxy/envoy.yaml", 26, "timeout", 3000) in found  # `ratings` is a service, not a rate limiter
    lines = {line for _, line, _, _ in found}
    assert not lines & {20, 22, 24}  # Envoy's rate-limit service and tracers


CONFIGMAP = '''\
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-vars
data:
  OUTBOX_POLLER_POOL_TIMEOUT: "30.0"
  OUTBOX_POLLER_POOL_RECONNECT_TIMEOUT: "5.0"
  CELERY_TASK_PUBLISH_RETRY: {{ .Values.env.celery_task_publish_retry | ternary "1" "0" | quote }}
  UPLOAD_RETRY: "true"
  DOWNLOAD_RETRY: "false"
  WEBHOOK_MAX_RETRY: "3"
  AUTO_RETRY: "1"
  SESSION_RECONNECT_TIMEOUT: "10"
'''


def test_reconnect_windows_and_retry_switches(tmp_path: Path) -> None:
    _write(tmp_path, {"charts/app/templates/configmap.yaml": CONFIGMAP,
                      "charts/app/values.yaml": "env:\n  celery_task_publish_retry: true\n"})
    found = _contracts(tmp_path)
    cm = "charts/app/templates/configmap.yaml"
    assert (cm, 7, "retry", None) in found  # a reconnect window: retries bounded by time
    assert (cm, 8, "retry", None) in found  # an on/off switch rendered by ternary
    assert (cm, 9, "retry", None) in found
    assert (cm, 11, "retry", 4) in found  # a count: retries + 1
    lines = {line for p, line, _, _ in found if p == cm}
    assert not lines & {10, 12, 13}  # switched off; "1" says no count nor switch; a session
    assert not any(line == 7 and kind == "timeout" for _, line, kind, _ in found)
