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
        ("env/gitter.yaml", 11, "timeout", 90000),
        ("env/gitter.yaml", 12, "retry", 4),
    }
