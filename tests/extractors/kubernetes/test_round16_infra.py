"""Round 16 (infra), Kubernetes/Helm: a bare `timeout` of a client or connection-pool block in a
configuration file a chart renders (Authelia's ldap / storage / smtp); template variables bound
to a values map (`{{- with $auth := .Values.configMap.auth }}` ... `$auth.ldap.timeout`); a
placeholder wrapped in a quoting helper (`include "x.dquote" (... | default "5 seconds")`); the root
context handed to a helper in a dict (`.dot.Values.x`)."""

from __future__ import annotations

from pathlib import Path

from tests.extractors.scan_support import contracts as _contracts, write as _write


VALUES = '''\
configMap:
  authentication_backend:
    ldap:
      enabled: true
      timeout: '5 seconds'
      pooling:
        timeout: '10 seconds'
  storage:
    postgres:
      enabled: true
      timeout: '7 seconds'
  notifier:
    smtp:
      timeout: '5 seconds'
  session:
    # a session's own lifetime, and a cache's TTL: no call
    expiration: '1 hour'
  server:
    timeouts:
      read: '6 seconds'
  webauthn:
    timeout: '60 seconds'
'''

CONFIGMAP = '''\
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "app.name" . }}
data:
  configuration.yaml: |
    server:
      timeouts:
        read: {{ .Values.configMap.server.timeouts.read | default "6 seconds" | squote }}
    webauthn:
      timeout: {{ .Values.configMap.webauthn.timeout | default "1 minute" }}
    {{- with $auth := .Values.configMap.authentication_backend }}
    authentication_backend:
      ldap:
        timeout: {{ include "app.func.dquote" ($auth.ldap.timeout | default "5 seconds") }}
        pooling:
          timeout: {{ include "app.func.dquote" ($auth.ldap.pooling.timeout | default "10 seconds") }}
    {{- end }}
    {{- with $storage := .Values.configMap.storage }}
    storage:
      postgres:
        timeout: {{ $storage.postgres.timeout | default "5 seconds" | quote }}
    {{- end }}
    notifier:
      smtp:
        timeout: "5 seconds"
    cache:
      timeout: 300s
    retry_note: "timeout: 30s"
'''


def test_bare_timeout_of_client_and_pool_blocks(tmp_path: Path) -> None:
    root = _write(tmp_path, {"charts/app/values.yaml": VALUES, "charts/app/templates/configMap.yaml": CONFIGMAP})
    found = {c for c in _contracts(root) if c[0].endswith("configMap.yaml")}
    path = "charts/app/templates/configMap.yaml"
    assert (path, 15, "timeout", 5000) in found  # ldap, through the $auth alias and the dquote wrapper
    assert (path, 17, "timeout", 10000) in found  # the LDAP pool's wait for a free connection
    assert (path, 22, "timeout", 7000) in found  # values.yaml's 7 seconds, not the template default
    assert (path, 26, "timeout", 5000) in found  # smtp, literal
    lines = {c[1] for c in found}
    assert 9 not in lines  # the server's own read timeout
    assert 11 not in lines  # webauthn: a wait for a person
    assert 28 not in lines  # a cache's timeout is a TTL
    assert 29 not in lines  # the word in a string


def test_values_file_does_not_repeat_the_client_blocks(tmp_path: Path) -> None:
    root = _write(tmp_path, {"charts/app/values.yaml": VALUES, "charts/app/templates/configMap.yaml": CONFIGMAP})
    assert not {c for c in _contracts(root) if c[0].endswith("values.yaml")}


POD_HELPER = '''\
{{- define "app.podtemplate" }}
spec:
  containers:
    - name: useradm
      env:
        - name: USERADM_REDIS_TIMEOUT_SEC
          value: {{ .dot.Values.useradm.env.USERADM_REDIS_TIMEOUT_SEC | default "1" | quote }}
        - name: USERADM_REDIS_KEY_PREFIX
          value: {{ .dot.Values.useradm.env.USERADM_REDIS_KEY_PREFIX | default "useradm:v1" | quote }}
{{- end }}
'''


def test_root_context_in_a_dict_reads_the_values(tmp_path: Path) -> None:
    values = "useradm:\n  env:\n    USERADM_REDIS_KEY_PREFIX: x\n"
    root = _write(tmp_path, {"charts/app/values.yaml": values, "charts/app/templates/_podtemplate.yaml": POD_HELPER})
    found = {c for c in _contracts(root) if c[0].endswith("_podtemplate.yaml")}
    assert found == {("charts/app/templates/_podtemplate.yaml", 6, "timeout", 1000)}


def test_an_alias_bound_twice_is_not_guessed() -> None:
    from extractors.kubernetes.helm import expand_aliases, values_aliases
    aliases = values_aliases(["{{- with $c := .Values.a }}", "{{- end }}", "{{- with $c := .Values.b }}",
                              "{{- range $k, $v := .Values.list }}", "{{- $d := .Values.d.e }}"])
    assert aliases == {"d": "d.e"}
    assert expand_aliases("{{ $d.timeout }}", aliases) == "{{ .Values.d.e.timeout }}"
    assert expand_aliases("{{ $c.timeout }}", aliases) == "{{ $c.timeout }}"


JUPYTERHUB_VALUES = '''\
jupyterhub:
  singleuser:
    defaultUrl: "/lab"
    startTimeout: 600
  cull:
    enabled: true
    timeout: 10800   # idle culling, no call
  hub:
    config:
      KubeSpawner:
        http_timeout: 60
  proxy:
    startTimeout: 30
    # startTimeout: 900
'''


def test_jupyterhub_spawner_timeouts_in_values(tmp_path: Path) -> None:
    root = _write(tmp_path, {"charts/hub/values.yaml": JUPYTERHUB_VALUES,
                             "charts/hub/templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\ndata: {}\n"})
    found = _contracts(root)
    assert ("charts/hub/values.yaml", 4, "timeout", 600000) in found
    assert ("charts/hub/values.yaml", 11, "timeout", 60000) in found
    assert not {c for c in found if c[1] in (7, 13, 14)}  # the culler, another parent's key, a comment


SECRET_QUOTED_KIND = '''\
---
apiVersion: "v1"
kind: "Secret"
metadata:
  name: "{{ include "app.fullname" . }}-core"
data: # reset
stringData:
  {{- if .Values.postgresql.options.connectTimeout }}
  APP_DB_CONNECT_TIMEOUT: {{ .Values.postgresql.options.connectTimeout | toString }}
  {{- end }}
  POSTGRES_STATEMENT_TIMEOUT: {{ .Values.app.postgresStatementTimeout | quote }}
  APP_DB_KEEPALIVES_IDLE: {{ .Values.postgresql.options.keepalivesIdle | toString }}
'''


def test_a_secret_whose_kind_is_quoted_is_read(tmp_path: Path) -> None:
    values = "app:\n  postgresStatementTimeout: 120s\npostgresql:\n  options:\n    connectTimeout:\n    keepalivesIdle: 30\n"
    root = _write(tmp_path, {"charts/app/values.yaml": values, "charts/app/templates/secret_core.yaml": SECRET_QUOTED_KIND})
    found = {c for c in _contracts(root) if c[0].endswith("secret_core.yaml")}
    assert ("charts/app/templates/secret_core.yaml", 9, "timeout", None) in found  # left to the user
    assert ("charts/app/templates/secret_core.yaml", 11, "timeout", 120000) in found
    assert not {c for c in found if c[1] == 12}  # keepalive idle: no call's bound
