"""Round 21 (kubernetes): the configuration files a chart's templates render for their service, with snake_case
keys: an INI / oslo.config file (sapcc designate, manila), a Logstash pipeline (sapcc hermes), a YAML configuration
document (apisix-ingress-controller's exec_adc_timeout); a chain of `| default` fallbacks; a per-item placeholder's
literal default; the traps: a DNS SOA field, heartbeats and spacing, nginx's and MySQL's server-side timeouts, a
NATS server's cluster block, commented defaults, a values.yaml (the values' source), an Envoy configuration."""

from __future__ import annotations

from contract_discovery.pipeline import scan


def _chart(tmp_path, files: dict[str, str]):
    for rel, text in files.items():
        path = tmp_path / "chart" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return {(f.path.split("chart/", 1)[1], f.line, f.kind,
             f.attributes.get("timeout_ms") if f.kind == "timeout" else f.attributes.get("max_attempts"))
            for f in scan(tmp_path).findings if f.kind in ("timeout", "retry")}


_CHART = "apiVersion: v2\nname: dns\nversion: 1.0.0\n"

_VALUES = """global:
  is_global_region: false
worker_poll_timeout: '30'
rate_limit:
  enabled: true
  backend_timeout_seconds: 1
external_scheduler_timeout:
shares:
  - name: a
"""

_CONF = """[DEFAULT]
default_soa_retry = 600
rpc_response_timeout = {{ .Values.rpc_response_timeout | default .Values.global.rpc_response_timeout | default 300 }}
heartbeat_timeout_threshold = 30
rabbit_retry_backoff = 1
#xfr_timeout = 10
{{- if .Values.external_scheduler_timeout }}
external_scheduler_timeout = {{ .Values.external_scheduler_timeout }}
{{- end }}

[keystone]
connect_retries = 20
connect_retry_delay = 0.5
status_code_retries = 20

[service:worker]
poll_max_retries = 100

[network_api:neutron]
timeout = 30

[coordination]
timeout = 5

[storage:sqlalchemy]
retry_interval = 1

[filter:rate_limit]
backend_timeout_seconds = {{ .Values.rate_limit.backend_timeout_seconds }}
{{- range $share := .Values.shares }}
netapp_volume_move_cutover_timeout = {{ $share.volume_move_cutover_timeout | default 7200 }}
{{- end }}
"""

_LOGSTASH = """input {
  rabbitmq {
    host => "rabbit"
    subscription_retry_interval_seconds => 60
    connection_timeout => 1000
    heartbeat => 5
  }
}
output {
  http {
    url => "https://audit"
    automatic_retries => 60
    retry_max_interval => 10
  }
}
"""

_CONFIGMAP = """apiVersion: v1
kind: ConfigMap
metadata:
  name: ingress-config
data:
  config.yaml: |
    exec_adc_timeout: {{ .Values.execADCTimeout | default "15s" }}
    leader_election:
      retry_period: 2s
    nginx_config:
      client_header_timeout: 60s
      send_timeout: 10s
      keepalive_timeout: 60s
  my.cnf: |
    [mysqld]
    net_read_timeout = 300
  nats.conf: |
    cluster {
      port: 6222
      connect_retries: {{ .Values.connectRetries }}
    }
    upstream_request_timeout: 5s
"""


def test_snake_case_configuration_keys_a_chart_renders(tmp_path) -> None:
    got = _chart(tmp_path, {
        "Chart.yaml": _CHART, "values.yaml": _VALUES + "execADCTimeout: 20s\nconnectRetries: 120\n",
        "templates/etc/_dns.conf.tpl": '{{- define "dns.conf" -}}\n' + _CONF + "{{- end }}\n",
        "templates/etc/_logstash.conf.tpl": '{{- define "logstash.conf" -}}\n' + _LOGSTASH + "{{- end }}\n",
        "templates/configmap.yaml": _CONFIGMAP,
    })
    conf, logstash, cm = "templates/etc/_dns.conf.tpl", "templates/etc/_logstash.conf.tpl", "templates/configmap.yaml"
    assert got == {
        (conf, 4, "timeout", 300000),    # rpc_response_timeout: the chain's literal 300 (seconds, as INI options are)
        (conf, 9, "timeout", None),      # external_scheduler_timeout: guarded, values leave it empty (null)
        (conf, 13, "retry", 21),         # connect_retries = 20: 21 tries
        (conf, 15, "retry", 21),         # status_code_retries = 20
        (conf, 21, "timeout", 30000),    # [network_api:neutron] timeout = 30: a client section's bare timeout
        (conf, 30, "timeout", 1000),     # backend_timeout_seconds from values.yaml
        (conf, 32, "timeout", 7200000),  # a per-share placeholder: the template's default 7200 s
        (logstash, 6, "timeout", 1000),  # connection_timeout => 1000 (a Logstash option: ms from 1000 up)
        (logstash, 13, "retry", 61),     # automatic_retries => 60
        (cm, 7, "timeout", 20000),       # exec_adc_timeout from values.yaml
        (cm, 22, "timeout", 5000),       # upstream_request_timeout outside the server's cluster block
    }


def test_not_read_outside_a_chart_s_templates_nor_in_an_envoy_configuration(tmp_path) -> None:
    """values.yaml holds the values' sources (its templates render them); an Envoy configuration's snake_case keys
    are the Envoy detector's (its admin cluster is no call)."""
    got = _chart(tmp_path, {
        "Chart.yaml": _CHART,
        "values.yaml": "config: |\n  rpc_response_timeout = 300\nworker_poll_timeout: '30'\n",
        "templates/_mesh.tpl": '{{- define "mesh.admin" }}\nstatic_resources:\n  listeners:\n  - filters:\n'
                               '    - name: envoy.filters.network.http_connection_manager\n'
                               '  clusters:\n  - name: admin_interface\n'
                               '    type: static\n    connect_timeout: 1.0s\n    lb_policy: round_robin\n{{- end -}}\n',
    })
    assert got == set()


def test_placeholder_default_chain() -> None:
    """`| default .Values.global.x | default 300`: the chart's value, then its global one, then the literal."""
    from contract_discovery.values import Call, Num, Ref
    from extractors.kubernetes.helm import placeholder_expr
    expr = placeholder_expr("c/templates/a.yaml",
                            "{{ .Values.t | default .Values.global.t | default 300 }}")
    assert expr == Call("coalesce", (Ref("helm:c:Values.t"), Ref("helm:c:Values.global.t"), Num(300.0)))


def test_jcasc_kubernetes_cloud_waits(tmp_path) -> None:
    """(round-20 request) The Jenkins Kubernetes plugin's waits in a JCasC cloud and pod template a chart's helper
    renders: waitForPodSec (the agent pod's start) and slaveConnectTimeoutStr (the agent connecting back), seconds;
    retentionTimeout (how long an idle pod is kept) and a pod's activeDeadlineSeconds are not calls' bounds."""
    got = _chart(tmp_path, {
        "Chart.yaml": _CHART,
        "values.yaml": "agent:\n  waitForPodSec: 600\n  connectTimeout: 100\n  retentionTimeout: 5\n",
        "templates/_helpers.tpl": """{{- define "jenkins.casc.defaults" -}}
jenkins:
  clouds:
  - kubernetes:
      retentionTimeout: {{ .Values.agent.retentionTimeout | quote }}
      waitForPodSec: {{ .Values.agent.waitForPodSec | quote }}
      templates:
      - name: default
        slaveConnectTimeoutStr: "{{ .Values.agent.connectTimeout }}"
        activeDeadlineSeconds: 120
{{- end }}
""",
    })
    assert got == {("templates/_helpers.tpl", 6, "timeout", 600000), ("templates/_helpers.tpl", 9, "timeout", 100000)}


def test_a_login_regulation_is_no_retry(tmp_path) -> None:
    """Authelia's `regulation: {max_retries: 3}`: the failed logins before a ban, no call retried."""
    got = _chart(tmp_path, {
        "Chart.yaml": _CHART, "values.yaml": "x: 1\n",
        "templates/configmap.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n"
                                    "  configuration.yaml: |\n    regulation:\n      max_retries: 3\n"
                                    "    notifier:\n      smtp_max_retries: 2\n",
    })
    assert got == {("templates/configmap.yaml", 10, "retry", 3)}
