"""The Spring configuration extractor: ``application*.yml|yaml|properties`` and other ``*.properties``.

What it gives the scan:

* Every property as a symbol under its flattened dotted key (``resilience4j.retry.instances.
  gateway.maxAttempts -> Num(3)``), also under its camelCase and kebab-case spellings (relaxed
  binding: ``max-attempts`` / ``maxAttempts``). Durations (``500ms``, ``2s``, ``PT2S``; plain numbers are ms) become ms;
  ``${name:default}`` placeholders become Ref/Env expressions. Only the default profile
  publishes symbols (``application.yml`` and its first, profile-less documents), so a value
  never has two competing definitions; profile files still report their findings.
* For every Resilience4j instance, the *effective* settings it inherits (instance ->
  ``baseConfig`` -> ``configs.default`` -> library default) are published under the
  instance's own keys, plus a derived ``...instances.<n>.backoff`` (exponential / random / fixed).

Findings (detector ``spring.config``):

* ``feign.client.config.<client>.connectTimeout|readTimeout`` and
  ``spring.cloud.openfeign.client.config.*`` -> timeout findings for target service ``<client>``;
  ``spring.http.client[s].connect-timeout|read-timeout`` (and ``spring.http.reactiveclients.*``) -> timeout findings.
* Hystrix ``hystrix.command.<cmd>.execution.isolation.thread.timeoutInMilliseconds`` (total),
  Ribbon ``[<client>.]ribbon.ReadTimeout|ConnectTimeout``, Zuul ``zuul.host.*-timeout-millis``,
  Spring Cloud Gateway ``spring.cloud.gateway.httpclient.connect-timeout|response-timeout``,
  ``spring.mvc.async.request-timeout`` (the handler's async limit, total), Redis
  ``spring.[data.]redis.timeout|connect-timeout`` and Hikari ``spring.datasource.hikari.connection-timeout``
  (waiting for a pooled connection: connect), ``validation-timeout`` (the validation query: read) and
  ``initialization-fail-timeout`` (startup waiting for the first connection: connect), Elasticsearch ``spring.elasticsearch.connection-timeout|
  socket-timeout``, ``management.health.<store>.response-timeout|timeout`` (the health check's call),
  RabbitMQ ``spring.rabbitmq.connection-timeout``, Cassandra connect/request timeouts, Druid
  ``spring.datasource.druid.max-wait`` (waiting for a pooled connection: connect; -1, the default, waits
  forever and is not reported) and its ``connect-timeout``/``socket-timeout``; a Gateway route's own
  ``metadata.response-timeout|connect-timeout`` (ms; ``-1`` switches the limit off and is not reported).
* Retries set by properties alone: ``spring.ai.retry.max-attempts`` (Spring AI's model-call
  RetryTemplate) and ``spring.rabbitmq.listener.simple|direct|template.retry.max-attempts`` when
  that section's ``enabled`` is true (Spring AMQP), ``spring.cloud.config.retry.max-attempts`` when
  ``spring.cloud.config.fail-fast`` is true (the config client towards the config server) and
  ``spring.cloud.stream.bindings.<b>|default.consumer.max-attempts`` (message handler retries) -> retry
  findings (``maxAttempts`` counts the first try in all of them). Druid's ``connection-error-retry-attempts: n``
  -> a retry of the pool's connect: n + 1 tries when ``break-after-acquire-failure`` is true, else unbounded
  (max_attempts null: the pool keeps trying).
* ``spring.datasource.*replica*`` / reader URLs -> replica_read (mechanism ``spring_datasource``).
* Spring Kafka: ``spring.kafka.producer.retries: n`` -> retry n + 1 (library kafka), and the client properties
  ``request.timeout.ms``/``delivery.timeout.ms``/``max.block.ms``/``default.api.timeout.ms`` under
  ``spring.kafka[.producer|.consumer|.admin|.streams].properties`` -> timeouts (phase total).
* Spring Cloud Gateway ``Retry`` filters (``filters: [{name: Retry, args: {retries: 2}}]`` or the
  shortcut ``Retry=2``, in routes or ``default-filters``) -> a retry finding at ``retries``
  (``max_attempts = retries + 1``; the filter's default is 3 retries).

Besides ``application*``/``bootstrap*``, any other YAML file whose top level is Spring
configuration (``spring:``, ``hystrix:``, ``ribbon:``, ``zuul:``, ``feign:``, ``resilience4j:``,
``<client>.ribbon``) is read too: a Spring Cloud Config server keeps each service's settings in
``<service>.yml``. Those files report findings and publish their keys under the application
they serve (``$spring-app:<service>:<key>``): only the service whose ``spring.application.name``
(or name) is ``<service>`` reads them, wherever the config repository sits in the scan. Such a file
directly in a service's ``src/main/resources/`` (loaded under a custom ``spring.config.name`` or by
import, e.g. ``zipkin-server-shared.yml``) publishes its keys as the service's own as well.

Resilience4j retry and time-limiter *instances* are deliberately not findings here: the
``@Retry``/``@TimeLimiter`` annotation (or the Kotlin/Java ``Retry.of``) is the one finding for
a retry, located where it applies and carrying its target; it reads ``maxAttempts`` /
``timeoutDuration`` from these symbols. Emitting them here too would count each retry twice.
"""

from __future__ import annotations

import dataclasses
import re

from contract_discovery.model import ErrorEntry, FileResult, Pending, Target
from contract_discovery.resolve import KEEP_IF
from contract_discovery.values import BinOp, Call, Env, Expr, Num, Ref, Str, duration_text_ms
from extractors.base import Extractor, detector
from extractors.java.jvm import REPLICA_WORDS, FindingSink, documented, parse_config_scalar, settle, settle_count
from extractors.java.syntax import VALUE_READ
from extractors.spring.config import Entry, camel, kebab, read_properties, read_yaml

ID = "spring.config"
_NAME = re.compile(r"^(application|bootstrap)(-[\w.-]+)?\.(ya?ml|properties)$")
# .properties files that are never service configuration: i18n bundles, build and logging setup.
_NOT_CONFIG = re.compile(r"^(messages|ValidationMessages|gradle|gradle-wrapper|log4j2?|logging|simplelogger|"
                         r"git|build-info|maven-wrapper|sonar-project|local)\b|_[a-z]{2}(_[A-Z]{2})?\.properties$")
# YAML names that are never Spring configuration (compose, CI, charts, API descriptions, lock files).
_NOT_SPRING_YAML = re.compile(r"^(docker-compose|compose|\.gitlab-ci|\.travis|mkdocs|pubspec|openapi|swagger|values|Chart|"
                              r"kustomization|pnpm-lock|pnpm-workspace|\.pre-commit|dependabot|codecov|action|"
                              r"serverless|template|samconfig|buildspec|appveyor|azure-pipelines|bitbucket-pipelines|"
                              r"catalog-info|\.golangci|\.yamllint|environment|conda|netlify|vercel|fly)\b", re.IGNORECASE)
# The top level of a Spring configuration document (for YAML files not named application*/bootstrap*).
_SPRING_ROOT = re.compile(r"^(spring|hystrix|ribbon|zuul|feign|resilience4j|dubbo|[\w-]+\.ribbon)(\.[\w.-]+)?\s*:", re.MULTILINE)
_NOT_SPRING_ROOT = re.compile(r"^(apiVersion|kind|services|jobs|on|steps|stages|Resources|AWSTemplateFormatVersion)\s*:",
                              re.MULTILINE)
_FEIGN = re.compile(r"^(?:feign\.client|spring\.cloud\.openfeign\.client)\.config\.(?P<client>[^.]+)\."
                    r"(?P<prop>connectTimeout|connect-timeout|readTimeout|read-timeout)$")
# Spring Boot's HTTP client settings: `spring.http.client.*` (3.4), `spring.http.clients.*` and
# `spring.http.reactiveclients.*` (3.5+).
_HTTP_CLIENT = re.compile(r"^spring\.http\.(?:client|clients|reactiveclients)\.(?P<prop>connectTimeout|readTimeout)$")
_HYSTRIX = re.compile(r"^hystrix\.command\.(?P<client>[^.]+)\.execution\.isolation\.thread\.(?P<prop>timeoutInMilliseconds)$")
_RIBBON = re.compile(r"^(?:(?P<client>[^.]+)\.)?ribbon\.(?P<prop>ReadTimeout|ConnectTimeout)$")
_ZUUL = re.compile(r"^zuul\.host\.(?P<prop>connectTimeoutMillis|socketTimeoutMillis)$")
# Spring Cloud Gateway: the shared HTTP client, or one route's `metadata` (ms, -1 disables), also under the
# 4.3+ prefix `spring.cloud.gateway.server.webflux`.
_GATEWAY = re.compile(r"^spring\.cloud\.gateway(?:\.server\.webflux)?\.(?:httpclient|routes\[\d+\]\.metadata)\."
                      r"(?P<prop>connectTimeout|responseTimeout)$")
_MVC_ASYNC = re.compile(r"^spring\.mvc\.async\.(?P<prop>requestTimeout)$")
_REDIS = re.compile(r"^spring\.(?:data\.)?redis\.(?P<prop>timeout|connectTimeout)$")
# Hikari: waiting for a pooled connection (connect), the validation query's limit (read), and how
# long startup waits for the first connection (initializationFailTimeout: connect).
_HIKARI = re.compile(r"^spring\.datasource\.hikari\.(?P<prop>connectionTimeout|validationTimeout|initializationFailTimeout)$")
# Alibaba Druid's pool: waiting for a pooled connection (maxWait; -1 waits forever), and the driver's
# connect/socket timeouts (Druid 1.2.12+), under any datasource (`spring.datasource.druid.*`, dynamic ones).
_DRUID = re.compile(r"^spring\.datasource\.(?:[\w-]+\.)*druid\.(?P<prop>maxWait|connectTimeout|socketTimeout)$")
# Round 12: the R2DBC pool's wait for a pooled connection (`spring.r2dbc.pool.max-acquire-time: 30s`, as Hikari's
# connectionTimeout: connect).
_R2DBC_POOL = re.compile(r"^spring\.r2dbc\.pool\.(?P<prop>maxAcquireTime)$")
# Spring Boot's own client settings for data stores and brokers (camelCase keys).
_BOOT_CLIENTS = re.compile(r"^(?:spring\.(?:elasticsearch|data\.elasticsearch\.client\.reactive)\.(?P<es>connectionTimeout|socketTimeout)"
                           r"|management\.health\.(?P<health>[a-z]+)\.(?P<hprop>responseTimeout|timeout)"
                           r"|spring\.rabbitmq\.(?P<rabbit>connectionTimeout)"
                           r"|spring\.cassandra\.(?:connection\.(?P<cass>connectTimeout)|request\.(?P<cassreq>timeout)))$")
# Round 17 (Java): Spring Cloud Vault's client to the Vault server (`spring.cloud.vault.connection-timeout` /
# `read-timeout`, ms), in bootstrap/application files.
_VAULT = re.compile(r"^spring\.cloud\.vault\.(?P<prop>connectionTimeout|readTimeout)$")
# Round 20 (second wave): the JPA query timeout hint given to every query through Spring's JPA properties
# (`spring.jpa.properties.jakarta.persistence.query.timeout: 5000`, ms): the database's limit on a query (read).
_JPA_QUERY = re.compile(r"^spring\.jpa\.properties\.(?:jakarta|javax)\.persistence\.query\.(?P<prop>timeout)$")
_TIMEOUT_KEYS = ((_FEIGN, "feign"), (_HTTP_CLIENT, "spring-http-client"), (_HYSTRIX, "hystrix"),
                 (_RIBBON, "ribbon"), (_ZUUL, "zuul"), (_GATEWAY, "spring-cloud-gateway"), (_MVC_ASYNC, "spring-mvc"),
                 (_REDIS, "redis"), (_HIKARI, "hikari"), (_DRUID, "druid"), (_R2DBC_POOL, "r2dbc-pool"),
                 (_VAULT, "spring-cloud-vault"), (_JPA_QUERY, "jpa"))
# Libraries whose one setting bounds the whole call (or request), not a connect/read phase.
_TOTAL = ("hystrix", "spring-mvc")
_R4J = re.compile(r"^resilience4j\.(?P<section>retry|timelimiter|circuitbreaker|bulkhead)\."
                  r"(?P<group>instances|backends|configs)\.(?P<name>[^.]+)\.(?P<prop>.+)$")
_DEFAULTS = {"retry": {"maxAttempts": Num(3.0), "waitDuration": Num(500.0)},
             "timelimiter": {"timeoutDuration": Num(1000.0)}}


class SpringExtractor(Extractor):
    name = "spring"
    language = "spring"
    # Any *.yml may be a config-server file: only Spring configuration (findings or settings
    # read from it) makes a service list "spring".
    claims_language = False
    extensions = (".properties",)
    filenames = ("application.yml", "application.yaml")
    prefilter_tokens = (b"timeout", b"retry", b"retries", b"resilience4j", b"feign", b"datasource", b"replica", b"reader",
                        b"url", b"uri", b"http", b"jdbc", b"attempt", b"duration", b"max", b"delay", b"ms")

    def claims(self, path: str) -> bool:
        base = path.rsplit("/", 1)[-1]
        if _NAME.match(base) or _HOCON_NAME.match(base):
            return True
        if base.endswith((".yml", ".yaml")):
            # Config-server files are named after their service; extract() reads only the ones
            # whose top level is Spring configuration.
            return not _NOT_SPRING_YAML.search(base)
        return base.endswith(".properties") and not _NOT_CONFIG.search(base)

    def extract(self, path: str, data: bytes) -> FileResult:
        try:
            return _extract(path, data)
        except Exception as exc:  # noqa: BLE001 - extraction never raises
            return FileResult(path=path, language="spring",
                              errors=(ErrorEntry(path, "parse_error", f"spring: {exc!r}"),))


# The classpath root of a service's main code (not a subfolder such as resources/shared/ or config-repo/).
_CLASSPATH_ROOT = re.compile(r"(^|/)src/main/resources/[^/]+$")


def _is_spring_yaml(path: str, text: str) -> bool:
    """A YAML file not named application*/bootstrap* counts when its top level is Spring config."""
    return bool(_SPRING_ROOT.search(text)) and not _NOT_SPRING_ROOT.search(text)


def _is_profile_file(path: str) -> bool:
    m = _NAME.match(path.rsplit("/", 1)[-1])
    return bool(m and m.group(2))


@detector(ID, "spring", ["timeout", "retry", "replica_read"],
          valid=["risk:\n  description: the timeout is in the risk team's runbook\n",
                 "spring:\n  cloud:\n    gateway:\n      routes:\n        - id: risk\n          filters:\n"
                 "            - name: RetryAfterHeader # ok: not the Retry filter\n            - StripPrefix=1\n",
                 "spring:\n  datasource:\n    url: jdbc:postgresql://orders-primary:5432/orders\n"],
          invalid=["feign:\n  client:\n    config:\n      risk:\n        readTimeout: 500\n",
                   "spring:\n  cloud:\n    gateway:\n      routes:\n        - id: risk\n          uri: http://risk:8080\n"
                   "          filters:\n            - name: Retry\n              args:\n                retries: 2\n",
                   "spring:\n  datasource:\n    replica:\n      url: jdbc:postgresql://orders-replica:5432/orders\n"])
@documented(__doc__)
def _extract(path: str, data: bytes) -> FileResult:
    text = data.decode("utf-8", errors="replace")
    if path.endswith(".conf"):
        return _hocon_extract(path, text)
    errors: list[ErrorEntry] = []
    named = bool(_NAME.match(path.rsplit("/", 1)[-1]))
    if not named and not path.endswith(".properties") and not _is_spring_yaml(path, text):
        if _is_dropwizard_yaml(path, text):
            return _dropwizard_extract(path, text)
        return FileResult(path=path, language="spring")
    if path.endswith(".properties"):
        entries = read_properties(text)
    else:
        entries, error = read_yaml(text)
        if error is not None:
            errors.append(ErrorEntry(path, "parse_error", str(error), line=error.line))
    sink = FindingSink(path, "spring")
    profile_file = _is_profile_file(path)
    symbols: dict[str, Expr] = {}
    served = not (named or path.endswith(".properties"))  # a config server's <application>.yml
    profile_name = _NAME.match(path.rsplit("/", 1)[-1]).group(2)[1:] if profile_file else None
    for entry in entries:
        # Profile values, under `$spring-profile:<profile>:<key>` (a profile file's own keys, or a document
        # activated on a profile): published for readers that pick a profile; the default profile's keys
        # (below) are the ones a plain `${key}` resolves to.
        profile = entry.profile or profile_name
        if profile is None or entry.value is None or served:
            continue
        expr = parse_config_scalar(entry.value)
        for spelling in (entry.key, camel(entry.key), kebab(entry.key)):
            symbols.setdefault(f"$spring-profile:{profile}:{spelling}", expr)
    if not profile_file:
        for entry in entries:
            if entry.profile is not None or entry.value is None:
                continue
            expr = parse_config_scalar(entry.value)
            for spelling in (entry.key, camel(entry.key), kebab(entry.key)):
                symbols.setdefault(spelling, expr)
            unit_ms = _FT_UNITS.get(str(entry.value).strip().upper()) if _FT_UNIT_KEY.search(entry.key) else None
            if unit_ms is not None:
                symbols.setdefault(entry.key + "$ms", Num(unit_ms))  # read by extractors/java's @Timeout
        symbols.update({k: v for k, v in _resilience4j_effective(symbols).items() if k not in symbols})
        if served:
            # Several services' files define the same keys: each is published under the
            # application it serves, and only that service reads it (see resolve.Resolver).
            app = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
            served_symbols = {f"$spring-app:{app}:{k}": v for k, v in symbols.items()}
            if _CLASSPATH_ROOT.search(path):
                # A service's own classpath root (src/main/resources/zipkin-server-shared.yml): config
                # the service loads under another spring.config.name or by import, so its keys are the
                # service's own as well (a config server's repository lives in a folder of its own).
                served_symbols.update(symbols)
            symbols = served_symbols
    for entry in entries:
        _findings(sink, entry)
    _gateway_retries(sink, entries)
    _config_retries(sink, entries)
    _druid_retries(sink, entries)
    _kafka_clients(sink, entries)
    _more_clients(sink, entries)
    _jdbc_driver_timeouts(sink, entries)
    _mongo_uri_and_aurora_kubernetes(sink, entries)
    _flat_pool_waits(sink, entries)
    _quarkus_micronaut_clients(sink, entries)
    sink.errors.extend(errors)
    findings = tuple(sorted(sink.findings, key=lambda f: f.sort_key()))
    return FileResult(path=path, language="spring", findings=findings, symbols=symbols,
                      errors=tuple(sink.errors))


# Round 13: MicroProfile Fault Tolerance's unit of a configured @Timeout (Quarkus `quarkus.fault-tolerance."C/m".timeout.unit
# =seconds`, MicroProfile `C/m/Timeout/unit=SECONDS`): published in ms per unit as `<key>$ms`.
_FT_UNIT_KEY = re.compile(r"(^quarkus\.fault-tolerance\..*\.timeout\.unit|/Timeout/unit)$")
_FT_UNITS = {"NANOS": 0.000001, "MICROS": 0.001, "MILLIS": 1.0, "SECONDS": 1000.0, "MINUTES": 60000.0,
             "HOURS": 3600000.0, "HALF_DAYS": 43200000.0, "DAYS": 86400000.0}


def _findings(sink: FindingSink, entry: Entry) -> None:
    key = camel(entry.key)
    evidence = f"{entry.key}: {entry.value}"
    extra = {"profile": entry.profile} if entry.profile else None
    loc = (entry.line, 1, entry.line, 1 + len(evidence))
    for pattern, library in _TIMEOUT_KEYS:
        m = pattern.match(key)
        if m:
            break
    boot = None if m else _BOOT_CLIENTS.match(key)
    if boot:
        groups = {k: v for k, v in boot.groupdict().items() if v}
        library = "elasticsearch" if "es" in groups else "rabbitmq" if "rabbit" in groups else \
            "cassandra" if ("cass" in groups or "cassreq" in groups) else f"{groups.get('health')}-health"
        prop = next(v for k, v in groups.items() if k != "health").lower()
        phase = "connect" if "connect" in prop else "read" if "socket" in prop else "total"
        _config_timeout(sink, entry, loc, evidence, extra, phase, None, library, None)
        return
    if m:
        client = m.groupdict().get("client")
        prop = m.group("prop").lower()
        phase = "connect" if "connect" in prop or prop in ("initializationfailtimeout", "maxwait", "maxacquiretime") \
            else "total" if library in _TOTAL else "read"
        if library == "druid" and prop == "maxwait" and str(entry.value).strip() in ("-1", ""):
            return  # Druid's default: wait for a pooled connection without limit (no setting to report)
        if library == "spring-cloud-gateway" and str(entry.value).strip() == "-1":
            return  # a route's `response-timeout: -1` switches the global limit off: no limit to report
        target = Target(service=client) if client and client != "default" else None
        if library == "hystrix" and client != "default":
            target = None  # a Hystrix command name is not a service name
        _config_timeout(sink, entry, loc, evidence, extra, phase, client, library, target)
        return
    lowered = key.lower()
    value = str(entry.value) if entry.value is not None else ""
    if "datasource" in lowered and re.search(r"(url|jdbcUrl|uri)$", key, re.IGNORECASE):
        match = REPLICA_WORDS.search(key) or (REPLICA_WORDS.search(value) if value.startswith("jdbc:") else None)
        alias = match.group(0).lower() if match else None
        if alias is None:
            # `spring.datasource.read.url` / `datasource.ro.url`: a segment that names the read side.
            alias = next((seg for seg in lowered.split(".") if seg in ("read", "ro", "readonly", "reads")), None)
        if alias:
            attrs = {"alias": alias, "mechanism": "spring_datasource", "url": value or None}
            if extra:
                attrs.update(extra)
            sink.add("replica_read", loc, ID, attrs, evidence, "high")


_GATEWAY_FILTER = re.compile(r"^(?P<filter>.*\bfilters\[\d+\])(?P<rest>\.name)?$", re.IGNORECASE)
_GATEWAY_DEFAULT_RETRIES = 3  # RetryGatewayFilterFactory.RetryConfig.retries


def _gateway_retries(sink: FindingSink, entries: list[Entry]) -> None:
    """Spring Cloud Gateway ``Retry`` filters: ``{name: Retry, args: {retries: n}}`` or ``Retry=n,...``."""
    by_key = {(e.profile, e.key): e for e in entries}
    for entry in entries:
        m = _GATEWAY_FILTER.match(entry.key)
        if not m or not isinstance(entry.value, str):
            continue
        value = entry.value.strip()
        filter_key = m.group("filter")
        if m.group("rest"):
            if value != "Retry":
                continue
            retries_entry = by_key.get((entry.profile, f"{filter_key}.args.retries"))
            anchor = retries_entry or entry
            expr = parse_config_scalar(retries_entry.value) if retries_entry else Num(float(_GATEWAY_DEFAULT_RETRIES))
            prefix = f"{filter_key}.args."
            backoff = "exponential" if any(k[1].startswith(prefix + "backoff") for k in by_key if k[0] == entry.profile) \
                else "none"
            statuses = by_key.get((entry.profile, f"{filter_key}.args.statuses"))
            retry_on = str(statuses.value) if statuses is not None and statuses.value is not None else None
        elif value.startswith("Retry="):
            anchor = entry
            first = value[len("Retry="):].split(",")[0].strip()
            expr = parse_config_scalar(first) if first else Num(float(_GATEWAY_DEFAULT_RETRIES))
            parts = [p.strip() for p in value[len("Retry="):].split(",")]
            backoff = "exponential" if len(parts) > 3 else "none"
            retry_on = parts[1] if len(parts) > 1 and parts[1] else None
        else:
            continue
        attempts = BinOp("+", expr, Num(1.0))
        count = settle_count(attempts)
        evidence = f"{anchor.key}: {anchor.value}"
        attrs = {"max_attempts": count, "backoff": backoff, "retry_on": retry_on, "mechanism": "client_config",
                 "library": "spring-cloud-gateway"}
        if anchor.profile:
            attrs["profile"] = anchor.profile
        sink.add("retry", (anchor.line, 1, anchor.line, 1 + len(evidence)), ID, attrs, evidence,
                 "high" if count is not None else "medium", None,
                 () if count is not None else (Pending("max_attempts", attempts, 1.0),))


# Retries Spring Boot configures from properties alone: Spring AI's RetryTemplate for model calls
# (on unless disabled), Spring AMQP listener/template retries (only when `enabled: true`).
# `maxAttempts` counts the first try in both.
_CONFIG_RETRY = re.compile(r"^(?P<prefix>spring\.ai\.retry"
                           r"|spring\.rabbitmq\.(?:listener\.(?:simple|direct|stream)|template)\.retry"
                           r"|spring\.cloud\.config\.retry"
                           r"|spring\.cloud\.stream\.(?:bindings\.[^.]+|default)\.consumer)\.maxAttempts$")
_CONFIG_RETRY_LIBRARY = {"spring.ai.retry": "spring-ai", "spring.cloud.config.retry": "spring-cloud-config"}


def _config_retries(sink: FindingSink, entries: list[Entry]) -> None:
    flags = {(e.profile, camel(e.key)): str(e.value).strip().lower() for e in entries if e.value is not None}
    for entry in entries:
        m = _CONFIG_RETRY.match(camel(entry.key))
        if not m or entry.value is None:
            continue
        prefix = m.group("prefix")
        library = "spring-cloud-stream" if prefix.startswith("spring.cloud.stream") else \
            _CONFIG_RETRY_LIBRARY.get(prefix, "spring-amqp")
        if library == "spring-amqp" and flags.get((entry.profile, f"{prefix}.enabled")) != "true":
            continue  # Spring AMQP retries are off unless enabled
        if library == "spring-cloud-config" and flags.get((entry.profile, "spring.cloud.config.failFast")) != "true":
            continue  # the config client retries only when it fails fast
        expr = parse_config_scalar(entry.value)
        count = settle_count(expr)
        multiplier = flags.get((entry.profile, f"{prefix}.backoff.multiplier")) \
            or flags.get((entry.profile, f"{prefix}.multiplier")) or flags.get((entry.profile, f"{prefix}.backOffMultiplier"))
        # Spring AI, the config client (x1.1) and Stream consumers (x2.0) back off exponentially by default.
        backoff = "fixed" if multiplier in ("1", "1.0") or (library == "spring-amqp" and multiplier is None) \
            else "exponential"
        evidence = f"{entry.key}: {entry.value}"
        attrs = {"max_attempts": count, "backoff": backoff, "retry_on": None, "mechanism": "client_config",
                 "library": library}
        if entry.profile:
            attrs["profile"] = entry.profile
        sink.add("retry", (entry.line, 1, entry.line, 1 + len(evidence)), ID, attrs, evidence,
                 "high" if count is not None else "medium", None,
                 () if count is not None else (Pending("max_attempts", expr, 1.0),))


_DRUID_RETRY = re.compile(r"^(?P<prefix>spring\.datasource\.(?:[\w-]+\.)*druid)\.connectionErrorRetryAttempts$")


def _druid_retries(sink: FindingSink, entries: list[Entry]) -> None:
    """Druid's ``connection-error-retry-attempts: n``: the pool's create thread tries a failed connect
    n more times; with ``break-after-acquire-failure: true`` it then gives up (n + 1 tries), else it
    keeps trying every ``time-between-connect-error-millis`` (unbounded: max_attempts null)."""
    flags = {(e.profile, camel(e.key)): str(e.value).strip().lower() for e in entries if e.value is not None}
    for entry in entries:
        m = _DRUID_RETRY.match(camel(entry.key))
        if not m or entry.value is None:
            continue
        bounded = flags.get((entry.profile, f"{m.group('prefix')}.breakAfterAcquireFailure")) == "true"
        expr = BinOp("+", parse_config_scalar(entry.value), Num(1.0))
        count = settle_count(expr) if bounded else None
        evidence = f"{entry.key}: {entry.value}"
        attrs = {"max_attempts": count, "backoff": "fixed", "retry_on": None, "mechanism": "client_config",
                 "library": "druid"}
        if entry.profile:
            attrs["profile"] = entry.profile
        pending = (Pending("max_attempts", expr, 1.0),) if bounded and count is None else ()
        sink.add("retry", (entry.line, 1, entry.line, 1 + len(evidence)), ID, attrs, evidence,
                 "high" if count is not None or not bounded else "medium", None, pending)


# Spring Kafka: the producer's retries (n more sends: n + 1 tries), and the Kafka client properties that bound a
# call, passed through `spring.kafka[.producer|.consumer|.admin|.streams].properties.<name>` (ms).
_KAFKA_RETRIES = re.compile(r"^spring\.kafka\.producer\.retries$")
_KAFKA_PROPERTY = re.compile(r"^spring\.kafka\.(?:(?:producer|consumer|admin|streams)\.)?properties\.\[?"
                             r"(?P<prop>request\.timeout\.ms|delivery\.timeout\.ms|max\.block\.ms|default\.api\.timeout\.ms)\]?$")


# The same client properties under any other prefix that names Kafka (a worker's own consumer settings map,
# `canal.conf.consumerProperties.kafka.request.timeout.ms`, a Stream binder's `configuration.*`).
_KAFKA_ANY_PROPERTY = re.compile(r"(?:kafka(?:\.[\w\[\]-]+)*?|(?:^|\.)(?:producer|consumer|admin|streams)\.properties)"
                                 r"\.\[?(?P<prop>request\.timeout\.ms|delivery\.timeout\.ms|"
                                 r"max\.block\.ms|default\.api\.timeout\.ms)\]?$", re.IGNORECASE)
# round 10: also a Kafka tool's client defaults under its own prefix (`akhq.clients-defaults.consumer.properties.
# default.api.timeout.ms`): a consumer/producer/admin/streams `properties` map holding a client key


def _kafka_clients(sink: FindingSink, entries: list[Entry]) -> None:
    for entry in entries:
        if entry.value is None:
            continue
        evidence = f"{entry.key}: {entry.value}"
        loc = (entry.line, 1, entry.line, 1 + len(evidence))
        extra = {"profile": entry.profile} if entry.profile else None
        if _KAFKA_RETRIES.match(entry.key):
            expr = BinOp("+", parse_config_scalar(entry.value), Num(1.0))
            count = settle_count(expr)
            if count is not None and count <= 1:
                continue  # retries: 0, one try
            attrs = {"max_attempts": count, "backoff": "fixed", "retry_on": None, "mechanism": "client_config",
                     "library": "kafka", **(extra or {})}
            sink.add("retry", loc, ID, attrs, evidence, "high" if count is not None else "medium", None,
                     () if count is not None else (Pending("max_attempts", expr, 1.0),))
        elif _KAFKA_PROPERTY.match(entry.key):
            _config_timeout(sink, entry, loc, evidence, extra, "total", None, "kafka", None)
        elif _KAFKA_ANY_PROPERTY.search(entry.key):
            _config_timeout(sink, entry, loc, evidence, extra, "total", None, "kafka", None)
            _unless_read_by_code(sink, entry.key)


def _unless_read_by_code(sink: FindingSink, key: str) -> None:
    """Keep the last finding only if no code of the service reads ``key`` itself (``@Value("${nakadi.kafka.request.
    timeout.ms}")``, published by the Java/Kotlin extractors as ``$value-read:<key>``): the code then applies the
    setting (``props.put(REQUEST_TIMEOUT_MS_CONFIG, settings.getRequestTimeoutMs())``), and that call is the contract."""
    last = sink.findings[-1]
    keep = Pending(KEEP_IF, Call("coalesce", (Ref(VALUE_READ + key), Num(1.0))), None)
    sink.findings[-1] = dataclasses.replace(last, pending=tuple(last.pending) + (keep,))


# JDBC drivers' own connect/socket limits, given in the datasource URL's query (`jdbc:postgresql://db/orders?
# socketTimeout=30`) or a pool's driver properties (`spring.datasource.tomcat.connection-properties:
# socketTimeout=2;connectTimeout=2`, `spring.datasource.hikari.data-source-properties.socketTimeout: 30`). Units are
# the driver's: PostgreSQL seconds, MySQL/MariaDB milliseconds, SQL Server's socketTimeout milliseconds.
_JDBC_PHASES = {"connecttimeout": "connect", "sockettimeout": "read"}
_JDBC_UNITS = {"postgresql": {"connect": 1000.0, "read": 1000.0}, "mysql": {"connect": 1.0, "read": 1.0},
               "mariadb": {"connect": 1.0, "read": 1.0}, "sqlserver": {"read": 1.0}}
_DATASOURCE_URL = re.compile(r"^spring\.datasource\.(?:[\w-]+\.)*(?:url|jdbc-?url)$", re.IGNORECASE)
_DRIVER_PROPERTIES = re.compile(r"^spring\.datasource\.(?:[\w-]+\.)*connection-?properties$", re.IGNORECASE)
_DATA_SOURCE_PROPERTY = re.compile(r"^spring\.datasource\.(?:[\w-]+\.)*data-?source-?properties\.\[?(?P<prop>\w+)\]?$",
                                   re.IGNORECASE)


def _jdbc_driver(entries: list[Entry]) -> str | None:
    for entry in entries:
        text = str(entry.value or "")
        if _DATASOURCE_URL.match(entry.key) or re.search(r"driver-?class-?name$", entry.key, re.IGNORECASE):
            m = re.search(r"jdbc:(postgresql|mysql|mariadb|sqlserver)|\b(postgresql|mysql|mariadb|sqlserver)\b", text,
                          re.IGNORECASE)
            if m:
                return (m.group(1) or m.group(2)).lower()
    return None


def _jdbc_driver_timeouts(sink: FindingSink, entries: list[Entry]) -> None:
    driver = _jdbc_driver(entries)
    units = _JDBC_UNITS.get(driver or "")
    if not units:
        return
    for entry in entries:
        if entry.value is None:
            continue
        text = str(entry.value)
        pairs: list[tuple[str, str]] = []
        if _DATASOURCE_URL.match(entry.key) and "?" in text:
            pairs = [tuple(p.split("=", 1)) for p in re.split(r"[&;]", text.split("?", 1)[1]) if "=" in p]
        elif _DRIVER_PROPERTIES.match(entry.key):
            pairs = [tuple(p.split("=", 1)) for p in re.split(r"[;&]", text) if "=" in p]
        elif _DATA_SOURCE_PROPERTY.match(entry.key):
            pairs = [(_DATA_SOURCE_PROPERTY.match(entry.key).group("prop"), text)]
        for name, value in pairs:
            phase = _JDBC_PHASES.get(name.strip().lower())
            value = value.strip()
            if phase is None or phase not in units or not re.fullmatch(r"\d+", value) or int(value) == 0:
                continue  # 0: the driver waits forever (not a bound)
            evidence = f"{entry.key}: {text}"
            loc = (entry.line, 1, entry.line, 1 + len(evidence))
            extra = {"library": f"jdbc-{driver}", **({"profile": entry.profile} if entry.profile else {})}
            sink.timeout(loc, ID, phase, Num(float(value)), units[phase], f"{name.strip()}={value}", evidence,
                         extra=extra)
            last = sink.findings[-1]  # a number written in the config file: its provenance is the config
            sink.findings[-1] = dataclasses.replace(last, attributes={**last.attributes, "resolved_from": "config"})


# Round 12 (Kotlin sets pagopa-event-dispatcher / pagopa-cdc / mokey): a MongoDB connection string's timeout options
# (`spring.data.mongodb.uri: mongodb://h/?connectTimeoutMS=${MONGO_CONNECTION_TIMEOUT_MS}&socketTimeoutMS=..`: ms,
# serverSelectionTimeoutMS a connect-phase wait; 0 means no limit), and Skatteetaten's Aurora kubernetes client bound
# from the `kubernetes` prefix (`kubernetes.timeout.connect|read`, `kubernetes.retry.times`: Reactor re-tries, + 1).
_MONGO_URI = re.compile(r"^(?:[\w-]+\.)*mongodb\.uri$", re.IGNORECASE)
_MONGO_PHASES = {"connecttimeoutms": "connect", "serverselectiontimeoutms": "connect", "sockettimeoutms": "read"}
_AURORA_KUBERNETES = re.compile(r"^kubernetes\.(?:timeout\.(?P<phase>connect|read)|retry\.(?P<times>times))$")


def _mongo_uri_and_aurora_kubernetes(sink: FindingSink, entries: list[Entry]) -> None:
    for entry in entries:
        if entry.value is None:
            continue
        text = str(entry.value)
        evidence = f"{entry.key}: {text}"
        loc = (entry.line, 1, entry.line, 1 + min(len(evidence), 200))
        extra = {"profile": entry.profile} if entry.profile else None
        if _MONGO_URI.match(entry.key) and "?" in text:
            for part in re.split(r"[&;]", text.split("?", 1)[1]):
                name, _, raw = part.partition("=")
                phase = _MONGO_PHASES.get(name.strip().lower())
                if phase is None or not raw.strip() or raw.strip() == "0":
                    continue
                _config_timeout(sink, dataclasses.replace(entry, value=raw.strip()), loc, evidence, extra, phase,
                                None, "mongodb", None)
            continue
        aurora = _AURORA_KUBERNETES.match(entry.key)
        if aurora is None:
            continue
        if aurora.group("phase"):
            _config_timeout(sink, entry, loc, evidence, extra, aurora.group("phase"), None, "aurora-kubernetes", None)
            continue
        expr = BinOp("+", parse_config_scalar(entry.value), Num(1.0))
        count = settle_count(expr)
        sink.add("retry", loc, ID, {"max_attempts": count, "backoff": "exponential", "retry_on": None,
                                    "mechanism": "client_config", "library": "aurora-kubernetes", **(extra or {})},
                 evidence, "high" if count is not None else "medium", None,
                 () if count is not None else (Pending("max_attempts", expr, 1.0),))


# RabbitTemplate's request/reply wait; Jakarta Mail's socket limits passed through spring.mail.properties (ms);
# Dubbo's consumer defaults (timeout in ms, retries after the first try).
_RABBIT_REPLY = re.compile(r"^spring\.rabbitmq\.template\.replyTimeout$")
_MAIL_PROPERTY = re.compile(r"^spring\.mail\.properties\.\[?mail\.smtps?\.(?P<prop>connectiontimeout|timeout|writetimeout)\]?$",
                            re.IGNORECASE)
_DUBBO = re.compile(r"^dubbo\.consumer\.(?P<prop>timeout|retries)$")


def _more_clients(sink: FindingSink, entries: list[Entry]) -> None:
    for entry in entries:
        if entry.value is None:
            continue
        key = camel(entry.key)
        evidence = f"{entry.key}: {entry.value}"
        loc = (entry.line, 1, entry.line, 1 + len(evidence))
        extra = {"profile": entry.profile} if entry.profile else None
        mail = _MAIL_PROPERTY.match(entry.key)
        dubbo = _DUBBO.match(key)
        if key == "spring.transaction.defaultTimeout":
            # a Duration whose plain numbers are seconds (@DurationUnit(SECONDS)): every transaction's limit
            expr = parse_config_scalar(entry.value)
            plain = not re.fullmatch(r"(\d+(\.\d+)?\s*(ns|us|ms|s|m|h|d)|P\w+)", str(entry.value).strip(), re.IGNORECASE)
            value, _ = settle(expr, 1000.0 if plain else 1.0)
            if value is not None and value <= 0:
                continue  # -1 / 0: no limit
            sink.timeout(loc, ID, "total", expr, 1000.0 if plain else 1.0, str(entry.value), evidence,
                         extra={**(extra or {}), "library": "spring-tx"})
            if value is not None:
                last = sink.findings[-1]
                sink.findings[-1] = dataclasses.replace(last, attributes={**last.attributes, "resolved_from": "config"})
        elif _RABBIT_REPLY.match(key):
            _config_timeout(sink, entry, loc, evidence, extra, "total", None, "rabbitmq", None)
        elif mail:
            prop = mail.group("prop").lower()
            phase = {"connectiontimeout": "connect", "timeout": "read", "writetimeout": "write"}[prop]
            _config_timeout(sink, entry, loc, evidence, extra, phase, None, "mail", None)
        elif dubbo and dubbo.group("prop") == "timeout":
            _config_timeout(sink, entry, loc, evidence, extra, "total", None, "dubbo", None)
        elif dubbo:
            expr = BinOp("+", parse_config_scalar(entry.value), Num(1.0))
            count = settle_count(expr)
            if count is not None and count <= 1:
                continue  # retries: 0, one try
            attrs = {"max_attempts": count, "backoff": None, "retry_on": None, "mechanism": "client_config",
                     "library": "dubbo", **(extra or {})}
            sink.add("retry", loc, ID, attrs, evidence, "high" if count is not None else "medium", None,
                     () if count is not None else (Pending("max_attempts", expr, 1.0),))


# A pool's wait for a free connection given flat under the datasource (`spring.datasource.maxWait=60000`: a
# DruidDataSource or DBCP/Tomcat pool bound to `spring.datasource` itself, Spring Boot 1.x's Tomcat pool), or under
# Tomcat's and DBCP2's own prefixes. Druid's `...druid.max-wait` is _DRUID's; Hikari has no such key; -1 waits forever.
_FLAT_POOL_WAIT = re.compile(r"^spring\.datasource\.(?:(?P<pool>[\w-]+)\.)?(?P<prop>maxWait|maxWaitMillis)$")


def _flat_pool_waits(sink: FindingSink, entries: list[Entry]) -> None:
    druid = any("druid" in e.key.lower() or "druid" in str(e.value or "").lower() for e in entries)
    for entry in entries:
        m = _FLAT_POOL_WAIT.match(camel(entry.key))
        if not m or entry.value is None or str(entry.value).strip() in ("-1", "", "0"):
            continue
        pool = (m.group("pool") or "").lower()
        if pool in ("druid", "hikari"):
            continue  # _DRUID's key; Hikari has no maxWait
        library = pool if pool in ("tomcat", "dbcp2") else "druid" if druid else "jdbc-pool"
        evidence = f"{entry.key}: {entry.value}"
        extra = {"profile": entry.profile} if entry.profile else None
        _config_timeout(sink, entry, (entry.line, 1, entry.line, 1 + len(evidence)), evidence, extra, "connect",
                        None, library, None)


# Quarkus and Micronaut client settings in application.properties/yml (a Quarkus profile key `%dev.x` is read under
# its profile). Quarkus Durations read a plain number as SECONDS (`quarkus.redis.timeout=10`); the REST client's
# connect/read timeouts are plain milliseconds. Micronaut durations are written with units (`read-timeout: 10s`).
_QUARKUS_MS = re.compile(r'^quarkus\.rest-client\.(?:"[^"]+"\.|[^."]+\.)?(?P<prop>connect-timeout|read-timeout)$')
_MP_REST = re.compile(r"^[\w.$]+/mp-rest/(?P<prop>connectTimeout|readTimeout)$")
_QUARKUS_DURATION = re.compile(
    r'^quarkus\.(?:'
    r'langchain4j\.(?:[\w-]+\.)*?(?P<llm>timeout)'
    r'|grpc\.clients\.(?:"[^"]+"|[^."]+)\.(?P<grpc>deadline)'
    r'|redis\.(?:(?:"[^"]+"|[^."]+)\.)?(?P<redis>timeout)'
    r'|mongodb\.(?:(?:"[^"]+"|[^."]+)\.)?(?P<mongo>connect-timeout|read-timeout|server-selection-timeout)'
    r'|datasource\.(?:(?:"[^"]+"|[^."]+)\.)?jdbc\.(?P<agroal>acquisition-timeout)'
    r'|transaction-manager\.(?P<tx>default-transaction-timeout)'
    r'|oidc(?:-client)?\.(?:(?:"[^"]+"|[^."]+)\.)?(?P<oidc>connection-timeout)'
    r')$')
_QUARKUS_RETRIES = re.compile(r"^quarkus\.langchain4j\.(?:[\w-]+\.)*?max-retries$")
# Round 20 (sbomer): the OIDC extensions' retries of a lost connection to the provider (n retries: n + 1 tries), and
# the JDBC driver's own limits handed through `additional-jdbc-properties` (PostgreSQL's in seconds, MySQL's and
# MariaDB's in ms; read only when the datasource's db-kind says which driver it is).
_QUARKUS_OIDC_RETRIES = re.compile(r'^quarkus\.oidc(?:-client)?\.(?:(?:"[^"]+"|[^."]+)\.)?connection-retry-count$')
_QUARKUS_JDBC_PROPS = re.compile(r'^quarkus\.datasource\.(?:(?P<name>"[^"]+"|[^."]+)\.)?jdbc\.additional-jdbc-properties\.'
                                 r'(?P<prop>connect-timeout|socket-timeout|login-timeout)$')
_JDBC_PROP_SCALE = {"postgresql": 1000.0, "pgsql": 1000.0, "mysql": 1.0, "mariadb": 1.0}
# SmallRye Reactive Messaging's AMQP/RabbitMQ connectors: reconnection attempts after a lost connection (round 10),
# global (`amqp-reconnect-attempts`, `rabbitmq-reconnect-attempts`) or per channel
_SMALLRYE_RECONNECTS = re.compile(r"^(?:amqp|rabbitmq)-reconnect-attempts$|^mp\.messaging\.(?:incoming|outgoing)\."
                                  r"[^.]+\.reconnect-attempts$")
_MICRONAUT = re.compile(r"^micronaut\.http\.(?:client|services\.(?P<service>[^.]+))\.(?P<prop>connect-timeout|read-timeout)$")
# Round 20 (lead, polyglot17): a Micronaut app's data stores: the Hikari pool of `datasources.<name>` (its wait for a
# pooled connection, plain milliseconds) and micronaut-redis's command timeout (`redis.timeout: 750ms`, read only in a
# file that configures Micronaut).
_MICRONAUT_STORES = re.compile(r"^(?:datasources\.[^.]+\.(?P<pool>connection-timeout)"
                               r"|redis\.(?:servers\.[^.]+\.)?(?P<redis>timeout))$")
_QUARKUS_LIBRARY = {"llm": "langchain4j", "grpc": "grpc", "redis": "redis", "mongo": "mongodb", "agroal": "agroal",
                    "tx": "quarkus-narayana", "oidc": "oidc"}


def _quarkus_micronaut_clients(sink: FindingSink, entries: list[Entry]) -> None:
    is_micronaut = any(e.key.startswith("micronaut.") for e in entries)
    db_kinds = {}
    for entry in entries:
        kind = re.match(r'^quarkus\.datasource\.(?:(?P<name>"[^"]+"|[^."]+)\.)?db-kind$', kebab(entry.key))
        if kind is not None and entry.value is not None:
            db_kinds[kind.group("name")] = str(entry.value).strip().lower()
    for entry in entries:
        if entry.value is None or str(entry.value).strip() in ("", "-1", "0"):
            continue
        if entry.profile and all(p.strip() == "test" for p in entry.profile.split(",")):
            continue  # round 17: a Quarkus `%test.` key configures the test run, not the service
        key = kebab(entry.key)
        evidence = f"{entry.key}: {entry.value}"
        loc = (entry.line, 1, entry.line, 1 + len(evidence))
        extra = {"profile": entry.profile} if entry.profile else None
        ms = _QUARKUS_MS.match(key) or _MP_REST.match(entry.key)
        duration = None if ms else _QUARKUS_DURATION.match(key)
        micronaut = None if ms or duration else _MICRONAUT.match(key)
        if ms:
            phase = "connect" if "connect" in ms.group("prop").lower() else "read"
            _config_timeout(sink, entry, loc, evidence, extra, phase, None, "quarkus-rest-client", None)
        elif duration:
            group = next(k for k, v in duration.groupdict().items() if v)
            prop = duration.group(group)
            phase = "connect" if ("connect" in prop or prop in ("acquisition-timeout", "server-selection-timeout")) \
                else "read" if prop == "read-timeout" else "total"
            _config_timeout(sink, entry, loc, evidence, extra, phase, None, _QUARKUS_LIBRARY[group], None,
                            plain_scale=1000.0)
        elif is_micronaut and (store := _MICRONAUT_STORES.match(key)):
            if store.group("pool"):
                _config_timeout(sink, entry, loc, evidence, extra, "connect", None, "hikari", None)
            else:
                _config_timeout(sink, entry, loc, evidence, extra, "read", None, "micronaut-redis", None)
        elif micronaut:
            phase = "connect" if "connect" in micronaut.group("prop") else "read"
            service = micronaut.group("service")
            _config_timeout(sink, entry, loc, evidence, extra, phase, service, "micronaut-http-client",
                            Target(service=service) if service else None)
        elif _SMALLRYE_RECONNECTS.match(key):
            # n reconnection attempts after the first connect fails: n + 1 tries
            expr = BinOp("+", parse_config_scalar(entry.value), Num(1.0))
            count = settle_count(expr)
            attrs = {"max_attempts": count, "backoff": "fixed", "retry_on": None, "mechanism": "client_config",
                     "library": "smallrye-messaging", "reconnect": True, **(extra or {})}
            sink.add("retry", loc, ID, attrs, evidence, "high" if count is not None else "medium", None,
                     () if count is not None else (Pending("max_attempts", expr, 1.0),))
        elif _QUARKUS_OIDC_RETRIES.match(key):
            expr = BinOp("+", parse_config_scalar(entry.value), Num(1.0))
            count = settle_count(expr)
            attrs = {"max_attempts": count, "backoff": "fixed", "retry_on": None, "mechanism": "client_config",
                     "library": "oidc", "reconnect": True, **(extra or {})}
            sink.add("retry", loc, ID, attrs, evidence, "high" if count is not None else "medium", None,
                     () if count is not None else (Pending("max_attempts", expr, 1.0),))
        elif (jdbc := _QUARKUS_JDBC_PROPS.match(key)) and db_kinds.get(jdbc.group("name")) in _JDBC_PROP_SCALE:
            phase = "read" if jdbc.group("prop") == "socket-timeout" else "connect"
            _config_timeout(sink, entry, loc, evidence, extra, phase, None, "jdbc", None,
                            plain_scale=_JDBC_PROP_SCALE[db_kinds[jdbc.group("name")]])
        elif _QUARKUS_RETRIES.match(key):
            # quarkus-langchain4j's max-retries counts every try (1: no retry).
            expr = parse_config_scalar(entry.value)
            count = settle_count(expr)
            if count is not None and count <= 1:
                continue
            attrs = {"max_attempts": count, "backoff": "fixed", "retry_on": None, "mechanism": "client_config",
                     "library": "langchain4j", **(extra or {})}
            sink.add("retry", loc, ID, attrs, evidence, "high" if count is not None else "medium", None,
                     () if count is not None else (Pending("max_attempts", expr, 1.0),))


# Round 12: HOCON `application.conf` (Typesafe Config) of a JVM service: the DataStax Java driver's request, schema
# and connection timeouts (also per execution profile), Play WS's and Akka HTTP's client timeouts.
# Round 13: a Dropwizard service's configuration file (`config.yaml`, any name: the service's `server <file>`
# argument): Jackson binds it to the `Configuration` subclass, field by field. Recognised by Dropwizard's own
# sections: `server:` with application/admin connectors, or `database:` with a `driverClass`.
_DROPWIZARD_SECTIONS = re.compile(r"^\s+(applicationConnectors|adminConnectors|driverClass|maxWaitForConnection)\s*:",
                                  re.MULTILINE)
_DROPWIZARD_ROOT = re.compile(r"^(server|database|logging)\s*:", re.MULTILINE)
# Dropwizard's environment substitution: `${VAR:-default}` (bash style; `${VAR}` without a default).
_DROPWIZARD_ENV = re.compile(r"^\$\{(?P<var>[A-Za-z_][A-Za-z0-9_]*)(?::-(?P<default>[^}]*))?\}$")
# io.dropwizard.client.HttpClientConfiguration / JerseyClientConfiguration: a section holding these is a client's.
_DROPWIZARD_CLIENT_HINTS = frozenset(("connectionTimeout", "connectionRequestTimeout", "timeToLive", "maxConnectionsPerRoute",
                                      "keepAlive", "gzipEnabled", "gzipEnabledForRequests", "userAgent", "cookiesEnabled"))
# The client's timeouts: socket read (`timeout`), connect, and the wait for a pooled connection.
_DROPWIZARD_CLIENT_TIMEOUTS = {"timeout": "read", "connectionTimeout": "connect", "connectionRequestTimeout": "connect"}


def _is_dropwizard_yaml(path: str, text: str) -> bool:
    return bool(_DROPWIZARD_ROOT.search(text)) and bool(_DROPWIZARD_SECTIONS.search(text)) \
        and not _NOT_SPRING_ROOT.search(text)


def _dropwizard_scalar(value) -> Expr:
    """A Dropwizard config value: `${ENV:-55}` is the environment's value, else the default; `1s`, `25500ms`,
    `1 minute` are durations (ms)."""
    m = _DROPWIZARD_ENV.match(str(value).strip()) if isinstance(value, str) else None
    if m is not None:
        default = m.group("default")
        return Env(m.group("var"), _dropwizard_scalar(default) if default not in (None, "") else None)
    expr = parse_config_scalar(value)
    if isinstance(expr, Str):
        ms = duration_text_ms(expr.value)  # Dropwizard's own spellings: `1 minute`, `30 seconds`
        return Num(ms) if ms is not None else expr
    return expr


def _dropwizard_extract(path: str, text: str) -> FileResult:
    """A Dropwizard configuration file: every key is published as ``$dropwizard:<dotted key>`` (a getter chain on the
    service's ``Configuration`` object, ``config.getReportingConfig().getSearchQueryTimeoutInSeconds()``, reads it),
    and the settings Dropwizard's own factories read are findings at their line: a database pool's
    ``maxWaitForConnection`` (the wait for a pooled connection: connect), an HTTP/Jersey client section's
    ``timeout`` (read), ``connectionTimeout`` and ``connectionRequestTimeout`` (connect), and its ``retries: n``
    (n > 0: n + 1 tries, Apache HttpClient's retry handler)."""
    entries, error = read_yaml(text)
    sink = FindingSink(path, "spring")
    if error is not None:
        sink.errors.append(ErrorEntry(path, "parse_error", str(error), line=error.line))
    symbols: dict[str, Expr] = {}
    sections: dict[str, set[str]] = {}
    for entry in entries:
        if entry.profile is not None:
            continue
        if entry.value is not None:
            symbols.setdefault(f"$dropwizard:{entry.key}", _dropwizard_scalar(entry.value))
        section, _, leaf = entry.key.rpartition(".")
        sections.setdefault(section, set()).add(leaf)
    for entry in entries:
        if entry.profile is not None or entry.value is None:
            continue
        section, _, leaf = entry.key.rpartition(".")
        keys = sections.get(section, set())
        value = str(entry.value).strip()
        evidence = f"{entry.key}: {entry.value}"
        loc = (entry.line, 1, entry.line, 1 + len(evidence))
        expr = _dropwizard_scalar(entry.value)
        if leaf == "maxWaitForConnection" and ("driverClass" in keys or "url" in keys):
            value_ms, _ = settle(expr, 1.0)
            if value_ms is not None and value_ms <= 0:
                continue
            sink.timeout(loc, ID, "connect", expr, 1.0, value, evidence, extra={"library": "dropwizard-db"})
        elif section and keys & _DROPWIZARD_CLIENT_HINTS and leaf in _DROPWIZARD_CLIENT_TIMEOUTS:
            sink.timeout(loc, ID, _DROPWIZARD_CLIENT_TIMEOUTS[leaf], expr, 1.0, value, evidence,
                         extra={"library": "dropwizard-client", "client": section.rsplit(".", 1)[-1]})
        elif section and keys & _DROPWIZARD_CLIENT_HINTS and leaf == "retries":
            retries, _ = settle(expr, 1.0)
            if retries is None or retries <= 0:
                continue
            count = settle_count(BinOp("+", expr, Num(1.0)))
            attrs = {"max_attempts": count, "backoff": "none", "retry_on": None, "mechanism": "client_config",
                     "library": "dropwizard-client"}
            sink.add("retry", loc, ID, attrs, evidence, "high")
    findings = tuple(sorted(sink.findings, key=lambda f: f.sort_key()))
    return FileResult(path=path, language="spring", findings=findings, symbols=symbols, errors=tuple(sink.errors))


_HOCON_NAME = re.compile(r"^application(-[\w.-]+)?\.conf$")
_HOCON_TIMEOUTS = (
    (re.compile(r"^datastax-java-driver\.(?:profiles\.[^.]+\.)?(?:basic\.request\.timeout|"
                r"advanced\.metadata\.schema\.request-timeout|advanced\.control-connection\.timeout)$"),
     "datastax-driver", "total"),
    (re.compile(r"^datastax-java-driver\.(?:profiles\.[^.]+\.)?advanced\.connection\.(?:connect-timeout|"
                r"init-query-timeout)$"), "datastax-driver", "connect"),
    (re.compile(r"^play\.ws\.timeout\.(?P<prop>connection|idle|request)$"), "play-ws", None),
    (re.compile(r"^akka\.http\.(?:client|host-connection-pool\.client)\.connecting-timeout$"), "akka-http", "connect"),
)


def _hocon_extract(path: str, text: str) -> FileResult:
    """Timeouts of a HOCON ``application.conf`` (see ``extractors/spring/hocon.py``); durations such as
    ``20 seconds`` in ms."""
    from contract_discovery.values import duration_text_ms
    from extractors.spring.hocon import read_hocon

    sink = FindingSink(path, "spring")
    symbols: dict[str, Expr] = {}
    for entry in read_hocon(text):
        # round 13 (Kotlin, the round-12 HOCON request): every plain leaf is published under its dotted key, so a
        # read by key (Ktor `environment.config.property("app.timeout")`, Typesafe `config.getDuration("app.timeout")`)
        # resolves: a duration in ms, a number as written, text as text; substitutions (`${?X}`) are left out
        raw = str(entry.value).strip().strip('"')
        env_default = re.fullmatch(r"\$\{([A-Za-z_][A-Za-z0-9_]*):-([^}]*)\}", raw)
        if env_default is not None:
            # round 14 (Kotlin, hoplite): `maxRetries = "${RETRY_IN_MAX_TIMES:-32}"`, hoplite's environment
            # variable with a default inside a quoted value: the variable, else the default
            default = env_default.group(2).strip()
            default_ms = duration_text_ms(default) if not re.fullmatch(r"-?\d+(\.\d+)?", default) else None
            symbols.setdefault(entry.key, Env(env_default.group(1), Num(default_ms) if default_ms is not None
                                              else Num(float(default)) if re.fullmatch(r"-?\d+(\.\d+)?", default)
                                              else Str(default)))
        elif raw and not raw.startswith("${"):
            leaf_ms = duration_text_ms(raw) if not re.fullmatch(r"-?\d+(\.\d+)?", raw) else None
            symbols.setdefault(entry.key, Num(leaf_ms) if leaf_ms is not None
                               else Num(float(raw)) if re.fullmatch(r"-?\d+(\.\d+)?", raw) else Str(raw))
        for pattern, library, phase in _HOCON_TIMEOUTS:
            m = pattern.match(entry.key)
            if m is None:
                continue
            if phase is None:
                phase = {"connection": "connect", "idle": "read"}.get(m.group("prop"), "total")
            ms = duration_text_ms(str(entry.value))
            if ms is None and re.fullmatch(r"\d+", str(entry.value).strip()):
                ms = float(str(entry.value).strip())  # a bare number: Typesafe Config reads ms
            if ms is None:
                break
            evidence = f"{entry.key} = {entry.value}"
            loc = (entry.line, 1, entry.line, 1 + len(evidence))
            _config_timeout(sink, Entry(entry.key, ms, entry.line), loc, evidence, None, phase, None, library, None)
            break
    findings = tuple(sorted(sink.findings, key=lambda f: f.sort_key()))
    return FileResult(path=path, language="spring", findings=findings, symbols=symbols, errors=tuple(sink.errors))


def _config_timeout(sink: FindingSink, entry: Entry, loc, evidence: str, extra, phase: str, client, library: str,
                    target, plain_scale: float = 1.0) -> None:
    if plain_scale != 1.0 and re.fullmatch(r"\d+(\.\d+)?", str(entry.value).strip()):
        # a Duration whose plain numbers are in another unit (Quarkus: seconds)
        entry = dataclasses.replace(entry, value=float(str(entry.value).strip()) * plain_scale)
    expr = parse_config_scalar(entry.value)
    finding_extra = dict(extra or {})
    finding_extra["library"] = library
    if client:
        finding_extra["client"] = client
    value, provenance = settle(expr, 1.0)
    sink.timeout(loc, ID, phase, expr, 1.0, str(entry.value), evidence, target=target, extra=finding_extra)
    if value is not None and provenance == "literal":
        # A number written in the config file: its provenance is the config, not code.
        last = sink.findings[-1]
        sink.findings[-1] = dataclasses.replace(last, attributes={**last.attributes, "resolved_from": "config"})


def _resilience4j_effective(symbols: dict[str, Expr]) -> dict[str, Expr]:
    """Instance settings inherited from baseConfig / configs.default / library defaults, and the
    derived ``backoff`` label, under each instance's own keys."""
    props: dict[tuple[str, str, str], dict[str, Expr]] = {}
    for key, expr in symbols.items():
        m = _R4J.match(key)
        if m:
            # Instance names keep their spelling (`catalog-service` is what `@Retry(name = ...)` says);
            # the property binds relaxed (`max-attempts` -> `maxAttempts`).
            group = "configs" if m.group("group") == "configs" else "instances"
            props.setdefault((m.group("section"), group, m.group("name")), {}).setdefault(camel(m.group("prop")), expr)
    for own in props.values():
        # `maxRetryAttempts`: the property's name before resilience4j 1.x settled on `maxAttempts`.
        if "maxRetryAttempts" in own:
            own.setdefault("maxAttempts", own["maxRetryAttempts"])
    out: dict[str, Expr] = {}
    for section in {section for section, _, _ in props}:
        # What an instance named only in code gets: configs.default over the library defaults.
        for prop, expr in {**_DEFAULTS.get(section, {}), **props.get((section, "configs", "default"), {})}.items():
            out[f"resilience4j.{section}.configs.default.{prop}"] = expr
    for (section, group, name), own in props.items():
        if group != "instances":
            continue
        effective: dict[str, Expr] = dict(_DEFAULTS.get(section, {}))
        effective.update(props.get((section, "configs", "default"), {}))
        base = own.get("baseConfig")
        if isinstance(base, Str):
            effective.update(props.get((section, "configs", base.value), {}))
        effective.update(own)
        for prop, expr in effective.items():
            out[f"resilience4j.{section}.instances.{name}.{prop}"] = expr
        if section == "retry":
            def flag(p: str) -> bool:
                value = effective.get(p)
                return isinstance(value, Str) and value.value.lower() == "true"
            label = "exponential" if flag("enableExponentialBackoff") else "random" if flag("enableRandomizedWait") else "fixed"
            out[f"resilience4j.retry.instances.{name}.backoff"] = Str(label)
    return out


EXTRACTOR = SpringExtractor()
