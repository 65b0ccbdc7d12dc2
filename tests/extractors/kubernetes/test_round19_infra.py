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
