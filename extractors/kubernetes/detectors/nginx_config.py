"""nginx configuration shipped in a Kubernetes ConfigMap (or a Helm template / ``.tpl`` helper that
renders one): the proxy's timeouts and tries towards the service behind it."""

from __future__ import annotations

import re
from typing import Any

from contract_discovery.model import Finding, Pending
from contract_discovery.values import normalise_ms
from extractors.base import detector
from extractors.kubernetes.context import LANGUAGE
from extractors.kubernetes.detectors.ingress_annotations import nginx_time_ms
from extractors.kubernetes.helm import duration_expr, placeholder_expr
from extractors.kubernetes.manifest import Document, configmap_texts

ID = "kubernetes.nginx_config"
KINDS = ("ConfigMap",)
TOKENS = (b"proxy_read_timeout", b"proxy_connect_timeout", b"proxy_send_timeout", b"proxy_next_upstream_tries",
          b"grpc_read_timeout", b"grpc_connect_timeout", b"grpc_send_timeout",
          # round 12: the FastCGI (PHP-FPM) and uwsgi upstreams' forms the directive pattern reads too
          b"fastcgi_read_timeout", b"fastcgi_connect_timeout", b"fastcgi_send_timeout",
          b"uwsgi_read_timeout", b"uwsgi_connect_timeout", b"uwsgi_send_timeout")

# `proxy_read_timeout 60s;` at the start of a line (a commented-out directive is not read)
_DIRECTIVE = re.compile(
    r"^[ \t]*((?:proxy|grpc|uwsgi|fastcgi)_(connect|read|send)_timeout|proxy_next_upstream_tries|"
    r"grpc_next_upstream_tries)[ \t]+([^;#\n]+?)[ \t]*;", re.MULTILINE)
_PHASE = {"connect": "connect", "read": "read", "send": "write"}


def has_directives(data: bytes) -> bool:
    return any(token in data for token in TOKENS)


def findings_in_lines(path: str, lines: list[str], first: int, last: int, resource: str | None) -> list[Finding]:
    """The directives on lines ``first``..``last`` (1-based, inclusive) of the file as written."""
    out: list[Finding] = []
    for number in range(max(first, 1), min(last, len(lines)) + 1):
        line = lines[number - 1]
        m = _DIRECTIVE.match(line)
        if m is None:
            continue
        directive, value = m.group(1), m.group(3).strip()
        column = m.start(1) + 1
        common: dict[str, Any] = {"setting": directive, "expression": value, "library": "nginx"}
        if resource:
            common["resource"] = resource
        templated = "{{" in value
        if directive.endswith("_tries"):
            tries = None if templated else (int(value) if value.isdigit() else None)
            pending = ()
            expr = placeholder_expr(path, value) if templated else None
            if expr is not None:
                pending = (Pending("max_attempts", expr, 1.0),)
            attrs = {"max_attempts": tries if tries else None, "backoff": None, "retry_on": "error",
                     "mechanism": "proxy", "resolved_from": "literal" if tries is not None else "unresolved",
                     **common}
            out.append(Finding(kind="retry", path=path, line=number, column=column, end_line=number,
                               end_column=len(line) + 1, language=LANGUAGE, detector=ID,
                               confidence="high" if tries is not None else "medium", attributes=attrs,
                               evidence=line.strip()[:200], pending=pending))
            continue
        ms = None if templated else nginx_time_ms(value)
        expr = duration_expr(path, value) if templated else None
        attrs = {"timeout_ms": normalise_ms(ms), "phase": _PHASE[m.group(2)],
                 "resolved_from": "literal" if ms is not None else "unresolved", **common}
        out.append(Finding(kind="timeout", path=path, line=number, column=column, end_line=number,
                           end_column=len(line) + 1, language=LANGUAGE, detector=ID,
                           confidence="high" if ms is not None else ("medium" if expr is not None else "low"),
                           attributes=attrs, evidence=line.strip()[:200],
                           pending=(Pending("timeout_ms", expr, 1.0),) if expr is not None else ()))
    return out


@detector(ID, "kubernetes", ["timeout", "retry"],
          valid=["apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  nginx.conf: |\n"
                 "    # proxy_read_timeout 5s;\n    keepalive_timeout 65;\n    resolver_timeout 2s;\n"
                 "    client_body_timeout 10s;\n    server {\n      location / {\n        proxy_pass http://app;\n"
                 "      }\n    }\n",
                 "apiVersion: v1\nkind: Secret\nmetadata:\n  name: web\nstringData:\n  nginx.conf: |\n"
                 "    proxy_read_timeout 5s;\n"],
          invalid=["apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  nginx.conf: |\n"
                   "    server {\n      proxy_read_timeout 30s;\n      location / {\n"
                   "        proxy_pass http://app:8080;\n      }\n    }\n"])
def detect(doc: Document, mf) -> list[Finding]:
    """nginx proxy timeouts and tries in a ConfigMap's nginx configuration.

    What it does: in a ConfigMap's ``data`` values (an ``nginx.conf`` mounted into an nginx
    sidecar or gateway), and in a Helm chart's ``.tpl`` helper that holds one, each
    ``proxy_connect_timeout`` / ``proxy_read_timeout`` / ``proxy_send_timeout`` (and the
    ``grpc_``/``uwsgi_``/``fastcgi_`` forms) is a timeout (``phase`` connect / read / write; nginx
    times: ``60`` = seconds, ``60s``, ``1m``, ``500ms``) and ``proxy_next_upstream_tries n`` a retry
    with ``max_attempts = n`` (tries, the first included; ``0`` = unlimited: null). A value from the
    chart's values (``{{ .Values.nginxProxyReadTimeout }}``) is resolved from its values.yaml.
    Commented-out directives, ``keepalive_timeout``, ``client_*_timeout``, ``resolver_timeout`` and
    ``send_timeout`` (client side, DNS) are not read.

    Why it matters: the proxy answers 504 when the service behind it takes longer than this; a
    client allowing more time never sees it.

    Example: ``proxy_read_timeout 30s;`` -> ``timeout timeout_ms=30000 phase=read``."""
    return [finding for resource, first, last, _text in configmap_texts(doc)
            for finding in findings_in_lines(mf.path, mf.lines, first, last, resource)]
