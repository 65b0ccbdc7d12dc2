"""Round 13 (kubernetes): Envoy's file-based resources (cds / lds files of typed clusters and
listeners, without `static_resources`) and proxy configurations kept as templates (`cds.tmpl`,
`envoy.yaml.j2`); Kong's declarative configuration (`kong.yml`, DB-less)."""

from __future__ import annotations


from tests.extractors.scan_support import found as _found, write as _write


CDS = '''\
resources:
{{- if .AuthCluster.Enabled }}
  - '@type': type.googleapis.com/envoy.config.cluster.v3.Cluster
    name: auth
    connect_timeout: 5s
    type: STRICT_DNS
    load_assignment:
      cluster_name: auth
      endpoints:
        - lb_endpoints:
            - endpoint:
                address:
                  socket_address:
                    address: {{ .AuthCluster.Address }}
                    port_value: {{ .AuthCluster.Port }}
    health_checks:
      - timeout: 2s
        interval: 5s
{{- end }}
'''

LDS = '''\
resources:
  - '@type': type.googleapis.com/envoy.config.listener.v3.Listener
    name: http
    filter_chains:
      - filters:
          - name: envoy.filters.network.http_connection_manager
            typed_config:
              '@type': type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
              stream_idle_timeout: 300s
              route_config:
                virtual_hosts:
                  - name: supabase
                    routes:
                      - match:
                          prefix: /functions/v1/
                        route:
                          cluster: functions
                          timeout: 150s
                      - match:
                          prefix: /rest/v1/
                        route:
                          cluster: rest
                          timeout: 0s
                          retry_policy:
                            num_retries: 2
'''

# a Go template that is no Envoy configuration: nothing, even with the word timeout in it
PAGE = '''\
<html><body>
{{ if .Timeout }}<p>timeout: {{ .Timeout }}</p>{{ end }}
<p>connect_timeout: 5s</p>
</body></html>
'''


def test_envoy_resource_files_kept_as_templates(tmp_path):
    found = _found(_write(tmp_path, {"internal/assets/envoy/cds.tmpl": CDS,
                                     "internal/assets/envoy/lds.tmpl": LDS,
                                     "deploy/envoy/lds.yaml.j2": LDS,
                                     "web/templates/page.tmpl": PAGE}))
    assert ("internal/assets/envoy/cds.tmpl", 5, "timeout", "connect", 5000) in found
    assert ("internal/assets/envoy/lds.tmpl", 18, "timeout", "total", 150000) in found
    assert ("internal/assets/envoy/lds.tmpl", 25, "retry", None, 3) in found
    assert ("deploy/envoy/lds.yaml.j2", 18, "timeout", "total", 150000) in found
    # the health check's timeout (probing), the idle stream timeout and `0s` (no timeout) are not read
    assert not [c for c in found if c[0] == "internal/assets/envoy/cds.tmpl" and c[1] != 5]
    assert not [c for c in found if c[0] == "internal/assets/envoy/lds.tmpl" and c[1] not in (18, 25)]
    assert not [c for c in found if c[0] == "web/templates/page.tmpl"]


def test_envoy_resource_file_as_yaml(tmp_path):
    found = _found(_write(tmp_path, {"envoy/cds.yaml": CDS.replace("{{- if .AuthCluster.Enabled }}\n", "")
                                     .replace("{{- end }}\n", "")}))
    assert found == [("envoy/cds.yaml", 4, "timeout", "connect", 5000)]


KONG = '''\
_format_version: '2.1'
_transform: true

services:
  - name: auth-v1
    _comment: 'GoTrue: /auth/v1/* -> http://auth:9999/*'
    url: http://auth:9999/
    routes:
      - name: auth-v1-all
        strip_path: true
        paths:
          - /auth/v1/
    plugins:
      - name: cors
{{- if .Values.deployment.functions.enabled }}
  - name: functions-v1
    url: http://functions:9000/
    read_timeout: 150000
    connect_timeout: {{ .Values.kong.connectTimeout }}
    retries: 2
    routes:
      - name: functions-v1-all
        paths:
          - /functions/v1/
{{- end }}
  - name: meta
    url: http://meta:8080/
    write_timeout: 0

plugins:
  - name: rate-limiting
    config:
      retries: 3
      timeout: 1000
'''

VALUES = '''\
kong:
  connectTimeout: 5000
'''

CONFIGMAP = '''\
apiVersion: v1
kind: ConfigMap
metadata:
  name: kong-declarative
data:
  kong.yml: |
    _format_version: "3.0"
    services:
      - name: orders
        url: http://orders:8080
        read_timeout: 20000
        retries: 0
'''


def test_kong_declarative_configuration(tmp_path):
    found = _found(_write(tmp_path, {"charts/supabase/Chart.yaml": "name: supabase\nversion: 1.0.0\n",
                                     "charts/supabase/values.yaml": VALUES,
                                     "charts/supabase/files/kong/kong.yml": KONG,
                                     "k8s/kong.yaml": CONFIGMAP}))
    kong = [c for c in found if c[0] == "charts/supabase/files/kong/kong.yml"]
    assert kong == [("charts/supabase/files/kong/kong.yml", 18, "timeout", "read", 150000),
                    # a placeholder outside templates/ (a file the chart renders with tpl): its
                    # chart is not known from the path, the value stays unresolved
                    ("charts/supabase/files/kong/kong.yml", 19, "timeout", "connect", None),
                    ("charts/supabase/files/kong/kong.yml", 20, "retry", None, 3)]
    # `write_timeout: 0` and the plugin's own `timeout` / `retries` (not a service's) are not read
    assert [c for c in found if c[0] == "k8s/kong.yaml"] == [
        ("k8s/kong.yaml", 11, "timeout", "read", 20000), ("k8s/kong.yaml", 12, "retry", None, 1)]


JICOFO = '''\
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "jitsi-meet.jicofo.fullname" . }}
data:
  JIBRI_PENDING_TIMEOUT: {{ .Values.jibri.timeout | quote }}
  UPSTREAM_TIMEOUT: {{ .Values.upstream.timeout | quote }}
  LLM_TIMEOUT: {{ .Values.llm.timeout | quote }}
  JICOFO_RETRY_COUNT: {{ .Values.jibri.breweryMuc | quote }}
'''

JITSI_VALUES = '''\
jibri:
  breweryMuc: jibribrewery
  timeout: 90
upstream:
  timeout: 2500
llm:
  timeout: 30  # in minutes
'''


def test_unitless_environment_timeout_from_values(tmp_path):
    found = _found(_write(tmp_path, {"chart/Chart.yaml": "name: jitsi\nversion: 1.0.0\n",
                                     "chart/values.yaml": JITSI_VALUES,
                                     "chart/templates/jicofo/configmap.yaml": JICOFO}))
    ours = [c for c in found if c[0] == "chart/templates/jicofo/configmap.yaml"]
    # a bare number no name or comment gives a unit for: seconds below 1000, else ms; a unit the
    # values.yaml comment gives wins
    assert ("chart/templates/jicofo/configmap.yaml", 6, "timeout", "total", 90000) in ours
    assert ("chart/templates/jicofo/configmap.yaml", 7, "timeout", "total", 2500) in ours
    assert ("chart/templates/jicofo/configmap.yaml", 8, "timeout", "total", 1800000) in ours


HAPROXY = '''\
global
  maxconn 4096
  # timeout connect 9s

defaults
  mode http
  retries 3
  # wait for 5s when connecting to a server
  timeout connect 5s
  timeout queue 60s
  timeout client 900s
  timeout http-keep-alive 900s
  timeout http-request 10s
  timeout server 180s
  timeout check 2s

frontend http
  bind *:8008
  timeout client 30s
  default_backend synapse

resolvers kubedns
  timeout resolve 1s

backend synapse
{{- if eq .workerType "initial-synchrotron" }}
  timeout server {{ .Values.haproxy.serverTimeout }}
{{- end }}
  timeout tunnel 1h
  server main synapse:8008
'''

PARTIAL = '''\
{{- if eq $workerType "synchrotron" }}
  balance hdr(X-Access-Token)
  timeout queue 5s
{{- end }}
'''

SETUP_CFG = '''\
[tool:pytest]
timeout = 30

[flake8]
max-line-length = 100
'''


def test_haproxy_configuration_files(tmp_path):
    found = _found(_write(tmp_path, {"charts/app/configs/haproxy/haproxy.cfg.tpl": HAPROXY,
                                     "charts/app/configs/synapse/partial-haproxy.cfg.tpl": PARTIAL,
                                     "deploy/haproxy.cfg": HAPROXY.replace("{{- if eq .workerType \"initial-synchrotron\" }}\n", "")
                                     .replace("{{- end }}\n", ""),
                                     "setup.cfg": SETUP_CFG}))
    tpl = "charts/app/configs/haproxy/haproxy.cfg.tpl"
    assert [c for c in found if c[0] == tpl] == [
        (tpl, 7, "retry", None, 4), (tpl, 9, "timeout", "connect", 5000), (tpl, 10, "timeout", "queue", 60000),
        (tpl, 14, "timeout", "read", 180000), (tpl, 27, "timeout", "read", None)]
    assert [c for c in found if c[0] == "charts/app/configs/synapse/partial-haproxy.cfg.tpl"] == [
        ("charts/app/configs/synapse/partial-haproxy.cfg.tpl", 3, "timeout", "queue", 5000)]
    assert len([c for c in found if c[0] == "deploy/haproxy.cfg"]) == 5
    assert not [c for c in found if c[0] == "setup.cfg"]


HAPROXY_CONFIGMAP = '''\
apiVersion: v1
kind: ConfigMap
metadata:
  name: haproxy
data:
  haproxy.cfg: |
    defaults
      timeout connect 5000
      timeout server 50s
    frontend http-in
      bind *:80
      timeout client 50s
  notes.txt: |
    timeout server 10s
'''


def test_haproxy_in_a_configmap(tmp_path):
    found = _found(_write(tmp_path, {"k8s/haproxy.yaml": HAPROXY_CONFIGMAP}))
    assert found == [("k8s/haproxy.yaml", 8, "timeout", "connect", 5000),
                     ("k8s/haproxy.yaml", 9, "timeout", "read", 50000)]


INGRESS = '''\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
{{- $extraAnnotations := dict }}
{{- if .sfu.enabled }}
{{- $_ := set $extraAnnotations "nginx.ingress.kubernetes.io/proxy-send-timeout" "120" }}
{{- $_ := set $extraAnnotations "nginx.ingress.kubernetes.io/proxy-read-timeout" "120" }}
{{- $_ := set $extraAnnotations "nginx.ingress.kubernetes.io/proxy-buffering" "off" }}
{{- $_ := set $labels "timeout" "120" }}
{{- end }}
{{- include "lib.ingress.annotations" (dict "extraAnnotations" $extraAnnotations) | nindent 2 }}
  name: {{ $.Release.Name }}-rtc
spec:
  rules: []
'''


def test_annotations_set_in_a_template_dict(tmp_path):
    found = _found(_write(tmp_path, {"chart/Chart.yaml": "name: c\nversion: 1.0.0\n",
                                     "chart/templates/ingress.yaml": INGRESS}))
    assert found == [("chart/templates/ingress.yaml", 6, "timeout", "write", 120000),
                     ("chart/templates/ingress.yaml", 7, "timeout", "read", 120000)]


TRAEFIK_DYNAMIC = '''\
http:
  routers:
    api:
      rule: "PathPrefix(`/api`)"
      service: api
      middlewares: [retry-api]
  middlewares:
    retry-api:
      retry:
        attempts: 4
        initialInterval: 100ms
    limit:
      rateLimit:
        average: 100
  services:
    api:
      loadBalancer:
        serversTransport: slow
        servers:
          - url: http://api:8080
  serversTransports:
    slow:
      forwardingTimeouts:
        dialTimeout: 5s
        responseHeaderTimeout: 60
        idleConnTimeout: 90s
'''

TRAEFIK_STATIC = '''\
entryPoints:
  web:
    address: ":80"
    transport:
      respondingTimeouts:
        readTimeout: 30s
serversTransport:
  forwardingTimeouts:
    responseHeaderTimeout: 2m
providers:
  file:
    directory: /etc/traefik/dynamic
'''

COMPOSE = '''\
services:
  api:
    image: example/api
    labels:
      - "traefik.enable=true"
      - "traefik.http.routers.api.middlewares=api-retry"
      - "traefik.http.middlewares.api-retry.retry.attempts=3"
      - "traefik.http.serverstransports.api-st.forwardingtimeouts.responseheadertimeout=45s"
      - "traefik.http.serverstransports.api-st.forwardingtimeouts.idleconntimeout=90s"
    environment:
      RETRY_ATTEMPTS: "7"
'''


def test_traefik_outside_custom_resources(tmp_path):
    found = _found(_write(tmp_path, {"deploy/traefik/dynamic/api.yml": TRAEFIK_DYNAMIC,
                                     "deploy/traefik/traefik.yml": TRAEFIK_STATIC,
                                     "docker-compose.yml": COMPOSE}))
    assert [c for c in found if c[0] == "deploy/traefik/dynamic/api.yml"] == [
        ("deploy/traefik/dynamic/api.yml", 10, "retry", None, 4),
        ("deploy/traefik/dynamic/api.yml", 24, "timeout", "connect", 5000),
        ("deploy/traefik/dynamic/api.yml", 25, "timeout", "read", 60000)]
    assert [c for c in found if c[0] == "deploy/traefik/traefik.yml"] == [
        ("deploy/traefik/traefik.yml", 9, "timeout", "read", 120000)]
    assert [c for c in found if c[0] == "docker-compose.yml"] == [
        ("docker-compose.yml", 7, "retry", None, 3), ("docker-compose.yml", 8, "timeout", "read", 45000)]


NGINX_CONF = '''\
upstream app {
    server app:8000;
}

server {
    listen 80;
    # proxy_read_timeout 999s;
    location /api/ {
        proxy_pass http://app;
        proxy_connect_timeout 5s;
        proxy_read_timeout 300s;
    }
    location /ws/ {
        proxy_pass http://app;
        proxy_read_timeout ${WS_TIMEOUT};
    }
    keepalive_timeout 65;
}
'''

HOCON = '''\
akka {
  http.client.connecting-timeout = 10s
}
'''


def test_standalone_nginx_configuration(tmp_path):
    found = _found(_write(tmp_path, {"nginx/conf.d/default.conf": NGINX_CONF,
                                     "docker/nginx/default.conf.template": NGINX_CONF,
                                     "src/main/resources/application.conf": HOCON,
                                     "docs/notes.template": "proxy_read_timeout is not set here\n"}))
    conf = [c for c in found if c[0] == "nginx/conf.d/default.conf"]
    assert ("nginx/conf.d/default.conf", 10, "timeout", "connect", 5000) in conf
    assert ("nginx/conf.d/default.conf", 11, "timeout", "read", 300000) in conf
    assert not [c for c in conf if c[1] in (7, 18)]  # a comment, the client keepalive
    assert ("docker/nginx/default.conf.template", 11, "timeout", "read", 300000) in found
    assert not [c for c in found if c[0] in ("docs/notes.template",)]
