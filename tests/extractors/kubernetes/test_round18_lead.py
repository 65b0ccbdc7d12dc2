"""Round 18 (lead), Kubernetes/Helm (held-out sets compass, netbox-chart from the second wave): a subchart's
`.Values.global.x` takes the parent chart's `global:` value and its `.Values.x` the parent's `<subchart>.x`
(Helm hands them down; compass' 20 env timeouts had no value); a values.yaml comment saying the unit outright
("in seconds") wins over a nearer line naming a unit in passing ("Default value 300 is 5 minutes"); an OAuth
token request timeout is a call's; a read-header timeout is a server's."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan
from tests.extractors.scan_support import write as _write


def _timeouts(root: Path) -> dict[tuple[str, int], object]:
    return {(f.path, f.line): f.attributes["timeout_ms"] for f in scan(root).findings if f.kind == "timeout"}


def _chart(name: str) -> str:
    return f"apiVersion: v2\nname: {name}\nversion: 0.1.0\n"


PARENT_VALUES = """\
global:
  adapter:
    requestTimeout: 30s
    tokenRequestTimeout: 12s
adapter:
  clientTimeout: 4s
"""

SUB_VALUES = """\
global:
  adapter:
    requestTimeout: 99s
clientTimeout: 1s
ownTimeout: 7s
"""

SUB_DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: adapter
spec:
  template:
    spec:
      containers:
        - name: adapter
          env:
            - name: APP_TENANT_REQUEST_TIMEOUT
              value: {{ .Values.global.adapter.requestTimeout }}
            - name: APP_CLIENT_TIMEOUT
              value: {{ .Values.clientTimeout }}
            - name: APP_OWN_TIMEOUT
              value: {{ .Values.ownTimeout }}
            - name: APP_OAUTH_TOKEN_REQUEST_TIMEOUT
              value: {{ .Values.global.adapter.tokenRequestTimeout | quote }}
            - name: APP_TOKEN_TIMEOUT
              value: "60s"
            - name: APP_READ_REQUEST_HEADERS_TIMEOUT
              value: "30s"
            - name: APP_READ_HEADER_TIMEOUT
              value: "10s"
"""


def test_subchart_values_come_from_the_parent_chart(tmp_path: Path) -> None:
    root = _write(tmp_path / "repo", {
        "chart/app/Chart.yaml": _chart("app"), "chart/app/values.yaml": PARENT_VALUES,
        "chart/app/charts/adapter/Chart.yaml": _chart("adapter"),
        "chart/app/charts/adapter/values.yaml": SUB_VALUES,
        "chart/app/charts/adapter/templates/deployment.yaml": SUB_DEPLOYMENT})
    got = {line: ms for (path, line), ms in _timeouts(root).items() if path.endswith("deployment.yaml")}
    assert got[11] == 30000   # the parent's global:, over the subchart's own global default (99s)
    assert got[13] == 4000    # the parent's adapter.clientTimeout over the subchart's 1s
    assert got[15] == 7000    # nothing in the parent: the subchart's own value
    assert got[17] == 12000   # an OAuth token request is a call (through `| quote`)
    assert 19 not in got      # a token's lifetime
    assert 21 not in got and 23 not in got  # a server's read-header timeouts


def test_a_chart_that_is_no_subchart_keeps_its_own_values(tmp_path: Path) -> None:
    root = _write(tmp_path / "repo", {
        "chart/adapter/Chart.yaml": _chart("adapter"), "chart/adapter/values.yaml": SUB_VALUES,
        "chart/adapter/templates/deployment.yaml": SUB_DEPLOYMENT})
    got = {line: ms for (path, line), ms in _timeouts(root).items() if path.endswith("deployment.yaml")}
    assert got[11] == 99000 and got[13] == 1000 and got[15] == 7000


NETBOX_VALUES = """\
# Maximum execution time for background tasks, in seconds.
# Default value 300 is 5 minutes
rqDefaultTimeout: 300

# Default value 5 is 5 minutes
otherTimeout: 5
"""

NETBOX_CONFIGMAP = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: netbox
data:
  RQ_DEFAULT_TIMEOUT: {{ .Values.rqDefaultTimeout | int }}
  OTHER_TIMEOUT: {{ .Values.otherTimeout | int }}
"""


def test_an_explicit_unit_in_the_comment_wins_over_a_nearer_mention(tmp_path: Path) -> None:
    root = _write(tmp_path / "repo", {"netbox/Chart.yaml": _chart("netbox"), "netbox/values.yaml": NETBOX_VALUES,
                                      "netbox/templates/configmap.yaml": NETBOX_CONFIGMAP})
    got = {line: ms for (path, line), ms in _timeouts(root).items() if path.endswith("configmap.yaml")}
    assert got == {6: 300000, 7: 300000}   # seconds (said outright); minutes (the only unit named)
