"""Outbound Java HTTP clients built without any timeout.

What it does: reports ``new RestTemplate()`` (no request factory, so the JDK default applies:
no connect or read timeout) when the file uses it for calls or publishes it as a ``@Bean`` and
never sets a request factory or timeout on it; and ``HttpClient.newHttpClient()`` when no
request in the file sets ``.timeout(...)`` (``java.net.http`` waits forever by default); and
``url.openConnection()`` in a method that never calls ``setConnectTimeout``/``setReadTimeout``
(``HttpURLConnection`` defaults to no timeout either).

Why it matters: a call without a timeout holds a thread for as long as the callee hangs; the
caller's latency contract is whatever the slowest dependency does.

Example: ``@Bean RestTemplate rest() { return new RestTemplate(); }`` -> missing_timeout.
"""

from __future__ import annotations

from extractors import treesitter as ts
from extractors.base import detector
from extractors.java.jvm import documented
from extractors.java.detectors.outbound import client_target, outbound_sites
from extractors.java.syntax import JavaFile, arguments, enclosing, method_annotations, annotation_name

ID = "java.missing_timeout"


@detector(ID, "java", ["missing_timeout"],
          valid=['RestTemplate r = new RestTemplate(factory);',
                 'RestTemplate r = builder.setReadTimeout(Duration.ofSeconds(1)).build();'],
          invalid=['@Bean RestTemplate rest() { return new RestTemplate(); }'])
@documented(__doc__)
def detect(jf: JavaFile) -> None:
    has_calls = bool(outbound_sites(jf))
    sets_factory = any(s.name in ("setRequestFactory", "requestFactory") for s in jf.calls)
    for site in jf.news:
        if site.name != "new RestTemplate" or arguments(site.node) or sets_factory:
            continue
        method = enclosing(site.node, ("method_declaration",))
        is_bean = method is not None and any(annotation_name(a) == "Bean" for a in method_annotations(method))
        if not (has_calls or is_bean):
            continue
        target, pending = client_target(jf, site.node)
        jf.sink.add("missing_timeout", ts.location(site.node), ID,
                    {"library": "spring-web", "library_default_ms": None},
                    jf.evidence(site.node), "medium" if is_bean and not has_calls else "high", target, pending)
    for site in jf.calls:
        if site.name != "openConnection" or site.node.child_by_field_name("object") is None:
            continue
        scope = enclosing(site.node, ("method_declaration", "constructor_declaration", "lambda_expression"))
        if scope is None or any(s.name in ("setConnectTimeout", "setReadTimeout") and jf.within(s.node, scope)
                                for s in jf.calls):
            continue
        jf.sink.add("missing_timeout", ts.location(site.node), ID,
                    {"library": "java.net.HttpURLConnection", "library_default_ms": None},
                    jf.evidence(site.node), "medium")
    request_timeout = any(s.name == "timeout" and "newBuilder" in ts.text(s.node) for s in jf.calls)
    for site in jf.calls:
        if site.name == "newHttpClient" and ts.text(site.node.child_by_field_name("object")) == "HttpClient" \
                and not request_timeout:
            target, pending = client_target(jf, site.node)
            jf.sink.add("missing_timeout", ts.location(site.node), ID,
                        {"library": "java.net.http", "library_default_ms": None},
                        jf.evidence(site.node), "medium", target, pending)
