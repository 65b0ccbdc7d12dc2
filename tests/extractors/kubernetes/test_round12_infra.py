"""Round 12 (kubernetes): admission webhooks' timeoutSeconds; curl / wget bounds on a workload
container's own command line; a Dapr Resiliency's `maxRetries` written as a Helm placeholder."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan
from tests.extractors.scan_support import found as _found, write as _write


WEBHOOKS = '''\
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata:
  name: cache-webhook
webhooks:
  - name: cache-server.kubeflow.svc
    clientConfig:
      service:
        name: cache-server
        namespace: kubeflow
        path: /mutate
    failurePolicy: Ignore
    sideEffects: None
    timeoutSeconds: 5
  - name: other.kubeflow.svc
    clientConfig:
      service:
        name: other
        namespace: kubeflow
    sideEffects: None
---
apiVersion: example.com/v1
kind: ValidatingWebhookConfiguration
metadata:
  name: not-kubernetes
webhooks:
  - name: x
    timeoutSeconds: 7
'''


def test_admission_webhook_timeout_seconds(tmp_path: Path) -> None:
    root = _write(tmp_path, {"deploy/webhooks.yaml": WEBHOOKS})
    findings = scan(root).findings
    timeouts = [(f.line, f.attributes["timeout_ms"], f.target.service if f.target else None)
                for f in findings if f.kind == "timeout"]
    # the written one only (the second webhook takes Kubernetes' 10 s default: not written), and
    # not a document of another API group that happens to use the same kind name
    assert timeouts == [(14, 5000, "cache-server")]


CRONJOB = '''\
apiVersion: batch/v1
kind: CronJob
metadata:
  name: retry-dlqs
spec:
  schedule: "*/10 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          initContainers:
            - name: wait-for-api
              args:
                - /bin/sh
                - -c
                - curl --max-time 2 http://api/health
          containers:
            - name: retry-all-dlqs
              image: devops-tools
              args:
                - /bin/sh
                - -c
                - curl -XPUT --connect-timeout 5 --max-time 10 --retry 5 --retry-delay 0 --retry-max-time 40 http://api/queue-admin/retry-all-dlqs
              env:
                - name: NOTE
                  value: "curl --max-time 99 is only words here"
              livenessProbe:
                exec:
                  command: [wget, --timeout=3, --tries=2, http://localhost/health]
          restartPolicy: Never
'''

SPLIT = '''\
apiVersion: batch/v1
kind: Job
metadata:
  name: warm-cache
spec:
  template:
    spec:
      containers:
        - name: warm
          command:
            - curl
            - -m
            - "30"
            - --retry
            - "2"
            - http://search.default.svc.cluster.local/warm
          args: []
      restartPolicy: Never
'''

SCRIPT = '''\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: poller
spec:
  template:
    spec:
      containers:
        - name: poller
          command:
            - /bin/sh
            - -c
            - |
              until curl --max-time 2 http://db:5432; do
                sleep 5
              done
        - name: fetch
          command: ["/bin/sh", "-c", "wget --timeout=15 --tries=3 -O /tmp/x http://config/x && run"]
        - name: templated
          args: ["sh", "-c", "curl --max-time {{ .Values.timeout }} http://api/x"]
'''


def test_curl_bounds_on_a_cronjobs_command_line(tmp_path: Path) -> None:
    found = _found(_write(tmp_path, {"cron.yaml": CRONJOB}))
    assert found == [("cron.yaml", 23, "retry", None, 6),
                     ("cron.yaml", 23, "timeout", "connect", 5000),
                     ("cron.yaml", 23, "timeout", "total", 10000)]


def test_curl_tokens_one_per_list_item(tmp_path: Path) -> None:
    found = _found(_write(tmp_path, {"job.yaml": SPLIT}))
    assert found == [("job.yaml", 12, "timeout", "total", 30000), ("job.yaml", 14, "retry", None, 3)]
    target = [f.target.service for f in scan(tmp_path).findings if f.target]
    assert target == ["search", "search"]


def test_polls_are_not_calls_wget_tries_and_placeholders(tmp_path: Path) -> None:
    found = _found(_write(tmp_path, {"deploy.yaml": SCRIPT}))
    # the until-loop container is a poll for a dependency; a placeholder's value is not read here
    assert found == [("deploy.yaml", 18, "retry", None, 3), ("deploy.yaml", 18, "timeout", "total", 15000)]


RESILIENCY = '''\
apiVersion: dapr.io/v1alpha1
kind: Resiliency
metadata:
  name: {{ .Release.Name }}-resiliency
scopes:
{{- range .Values.scopes }}
  - {{ . }}
{{- end }}
spec:
  policies:
    retries:
      defaultRetry:
        policy: constant
        duration: {{ .Values.dapr.resiliency.retries.duration | quote }}
        maxRetries: {{ .Values.dapr.resiliency.retries.maxRetries }}
      literalRetry:
        policy: constant
        maxRetries: -1
    timeouts:
      defaultTimeout: {{ .Values.dapr.resiliency.timeout | quote }}
  targets:
    apps:
      billing:
        timeout: defaultTimeout
        retry: defaultRetry
    components:
      pubsub:
        outbound:
          retry: literalRetry
'''

VALUES = '''\
dapr:
  resiliency:
    timeout: 10s
    retries:
      maxRetries: 4
      duration: 2s
scopes:
  - orders
'''


def test_dapr_max_retries_placeholder_is_read_from_the_charts_values(tmp_path: Path) -> None:
    root = _write(tmp_path, {"chart/Chart.yaml": "apiVersion: v2\nname: orders\nversion: 0.1.0\n",
                             "chart/values.yaml": VALUES, "chart/templates/resiliency.yaml": RESILIENCY})
    found = _found(root)
    assert ("chart/templates/resiliency.yaml", 24, "timeout", "total", 10000) in found
    assert ("chart/templates/resiliency.yaml", 25, "retry", None, 5) in found     # maxRetries 4 -> 5 attempts
    assert ("chart/templates/resiliency.yaml", 29, "retry", None, None) in found  # -1: unbounded, as before


NEXTCLOUD_VALUES = '''\
nginx:
  enabled: true
  config:
    default: true
    serverBlockCustom: |
      client_max_body_size 512M;
      client_body_timeout 300s;
      keepalive_timeout 65;
      # fastcgi_read_timeout 10s;
      fastcgi_read_timeout 3600s;
      uwsgi_connect_timeout 5;
proxy:
  proxy_read_timeout: 60
  note: "proxy_read_timeout 30s; in a string"
'''


def test_nginx_directives_in_a_values_block(tmp_path: Path) -> None:
    root = _write(tmp_path, {"chart/Chart.yaml": "apiVersion: v2\nname: nc\nversion: 1.0.0\n",
                             "chart/values.yaml": NEXTCLOUD_VALUES})
    found = _found(root)
    # the FastCGI / uwsgi upstreams' timeouts; not client_body / keepalive, a comment, a YAML key or
    # a quoted string
    assert found == [("chart/values.yaml", 10, "timeout", "read", 3600000),
                     ("chart/values.yaml", 11, "timeout", "connect", 5000)]


ONYX_NGINX = '''\
apiVersion: v1
kind: ConfigMap
metadata:
  name: nginx-conf
data:
  nginx.conf: |
    server {
        location / {
            proxy_connect_timeout {{ .Values.nginx.timeouts.connect }}s;
            proxy_read_timeout {{ .Values.nginx.timeouts.read }}s;
            proxy_send_timeout {{ .Values.nginx.timeouts.sendMs }}ms;
            proxy_pass http://api;
        }
    }
'''

ONYX_VALUES = '''\
nginx:
  timeouts:
    connect: 300
    read: 900
    sendMs: 1500
configMap:
  LLM_SOCKET_READ_TIMEOUT: "60"
  UPSTREAM_TIMEOUT: "30000"
  DOCUMENT_PUSH_TIMEOUT_SECONDS: ""
  LOCK_TIMEOUT: "300"
  TEMPLATED_TIMEOUT: "{{ .Values.other }}"
  request_timeout: "45"
env:
  RAFT_BOOTSTRAP_TIMEOUT: 600
  API_RETRIES: "3"
config:
  public:
    MEDIAWIKI_REQUEST_TIMEOUT: 3000
'''


def test_a_unit_after_a_placeholder_and_environment_keys_in_values(tmp_path: Path) -> None:
    root = _write(tmp_path, {"chart/Chart.yaml": "apiVersion: v2\nname: onyx\nversion: 1.0.0\n",
                             "chart/values.yaml": ONYX_VALUES, "chart/templates/nginx-conf.yaml": ONYX_NGINX})
    found = _found(root)
    template = "chart/templates/nginx-conf.yaml"
    assert (template, 9, "timeout", "connect", 300000) in found    # {{ ... }}s: seconds the value gives
    assert (template, 10, "timeout", "read", 900000) in found
    assert (template, 11, "timeout", "write", 1500) in found       # {{ ... }}ms
    values = sorted(c for c in found if c[0] == "chart/values.yaml")
    # configMap / env keys: "60" seconds, "30000" ms, API_RETRIES 3 retries = 4 attempts; not an empty
    # value, a lock, a placeholder, a lower-case option, a cluster bootstrap window, or a key under
    # another mapping (config.public: a template names it where it is used)
    assert values == [("chart/values.yaml", 7, "timeout", "total", 60000),
                      ("chart/values.yaml", 8, "timeout", "total", 30000),
                      ("chart/values.yaml", 15, "retry", None, 4)]
