"""The Ruby / Rails extractor: parses a file once with tree-sitter-ruby and runs every Ruby detector.

Values are read in seconds (Ruby's unit) and normalised to ms; constants the file
defines (``TIMEOUT = 5``, ``RISK_URL = ENV.fetch("RISK_URL")``) go to
``FileResult.symbols`` in seconds, under their bare and their class-qualified name
(``RiskClient.TIMEOUT``), since Ruby constants are reachable from anywhere once loaded.
Every Ruby file reports ``module = "Object"`` (Ruby's top-level namespace, where a Rails
app's constants live), so a constant from ``config/initializers/*.rb`` resolves in any
file of the same service.

A retry (``begin/rescue/retry``, ``Retriable.retriable``) and a fresh ID made inside the
retried code take the target of the outbound calls made there (when they all go to one place),
see ``attach_retry_targets``; a background job that retries counts (its ``perform``). Each class
whose calls all go to one place publishes it as ``<Class>.$url`` (``PaymentApi.$url``), so retried
code that only calls such a client class of another file (``PaymentApi.refund(...)``, a class named
``*Api``/``*Client``/``*Gateway``...) takes that URL, resolved by the pipeline.

A Rails app's own ``config/<name>.yml`` (``Rails.application.config_for(:name)``) is read by
``rails_yaml``: its timeouts are reported at their lines there. The registry's hints for this
extractor list ``.rb``/``.rake``/``Gemfile`` only, so scans route such YAML files here once the
core adds ``.yml`` for it (``claims`` already says which YAML files are Rails app config).
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace

from contract_discovery.model import ErrorEntry, FileResult, Finding, Pending, Target
from contract_discovery.values import BinOp, Call, Ref, Str, Tuple, Unknown, as_number, evaluate, normalise_ms
from extractors import treesitter as ts
from extractors.treesitter import Node
from extractors.base import Extractor
from extractors.common import dedupe, parse_checked, run_detectors
from extractors.ruby import rails_config_x, rails_yaml, syntax, wrappers
from extractors.ruby.context import GRAMMAR, LANGUAGE, RubyFile, query
from extractors.ruby.detectors import (active_record_replica, faraday, http_gems, httparty, idempotency_key,
                                       job_retry, loop_deadline, net_http, new_id_per_attempt, rescue_retry, retriable,
                                       timeout_block, client_options, retry_loop, socket_wait, repeat_call, wrapper_call,
                                       cli_flags)

log = logging.getLogger(__name__)

RUBY_NAMESPACE = "Object"

DETECTORS = (
    net_http.detect, faraday.detect, httparty.detect, http_gems.detect, rescue_retry.detect,
    retriable.detect, job_retry.detect, active_record_replica.detect, new_id_per_attempt.detect,
    idempotency_key.detect, timeout_block.detect, client_options.detect,
    loop_deadline.detect, retry_loop.detect, socket_wait.detect, repeat_call.detect, wrapper_call.detect,
    cli_flags.detect,
)


class RubyExtractor(Extractor):
    name = "ruby"
    language = LANGUAGE
    extensions = (".rb", ".rake")
    filenames = ("Gemfile",)
    prefilter_tokens = (
        b"timeout", b"retry", b"ActiveJob::Retry", b"retriable", b"retry_on", b"sidekiq_options", b"connected_to", b"connects_to",
        b"SecureRandom", b"Digest::UUID", b"ULID", b"Faraday", b"HTTParty", b"Net::HTTP", b"RestClient",
        b"Typhoeus", b"HTTP.", b"Excon", b"idempoten", b"ENV[", b"ENV.fetch", b"config_for", b".yml", b".yaml",
        b"max_attempts", b"attempts", b"tries", b"attempt >", b"attempt >=", b"attempt <", b"max_run_time", b"sleep", b"IO.select", b"wait_writable", b"wait_readable", b"ConnectTimeout", b"--max-time", b"Time.now", b"Time.zone.now", b"Time.current", b"clock_gettime",
    )

    def claims(self, path: str) -> bool:
        """Ruby files, and a Rails app's own ``config/<name>.yml`` (read with ``config_for``). The
        YAML files reach this extractor only where the registry routes ``.yml`` names to it."""
        return super().claims(path) or rails_yaml.claims(path)

    def extract(self, path: str, data: bytes) -> FileResult:
        if path.endswith((".yml", ".yaml")):
            return rails_yaml.extract(path, data, self.language)
        syntax.reset_caches()
        tree, errors = parse_checked(GRAMMAR, path, data, "ruby")
        if tree is None:
            return FileResult(path=path, language=self.language, errors=tuple(errors))
        file = RubyFile(path=path, data=data, tree=tree)
        findings = client_options.drop_covered(
            wrapper_call.drop_duplicates(run_detectors(DETECTORS, file, path, "ruby", errors, log)))
        symbols = {}
        try:
            symbols = dict(file.constants)
        except Exception as exc:  # pragma: no cover - defensive
            errors.append(ErrorEntry(path, "extractor_error", f"ruby constants: {exc}"))
        try:
            for name, value in default_hash_keys(file).items():
                symbols.setdefault(name, value)
        except Exception as exc:  # pragma: no cover - defensive
            errors.append(ErrorEntry(path, "extractor_error", f"ruby default hashes: {exc}"))
        try:
            for name, value in setting_defaults(file).items():
                symbols.setdefault(name, value)
        except Exception as exc:  # pragma: no cover - defensive
            errors.append(ErrorEntry(path, "extractor_error", f"ruby setting defaults: {exc}"))
        symbols.update(rails_yaml.config_readers(data))  # the config/<name>.yml files this one reads
        try:
            # (round 20, lead) `config.x.risk.timeout = 5`: read as `Rails.configuration.x.risk.timeout`
            for name, value in rails_config_x.publish(file, path).items():
                symbols.setdefault(name, value)
            findings = rails_config_x.drop_config_x_setters(file, path, findings)
        except Exception as exc:  # pragma: no cover - defensive
            errors.append(ErrorEntry(path, "extractor_error", f"ruby config.x: {exc}"))
        try:
            symbols.update(client_urls(file, findings))
        except Exception as exc:  # pragma: no cover - defensive
            errors.append(ErrorEntry(path, "extractor_error", f"ruby client urls: {exc}"))
        try:
            # this file's helpers whose parameter is a timeout or an attempts bound (callers propose)
            symbols.update(wrappers.publish(file, findings, own_detectors=(wrapper_call.ID,)))
            for name, value in wrappers.ivar_defaults(file).items():
                symbols.setdefault(name, value)
            symbols.update(wrappers.retry_switches(file, findings))
            for name, value in wrappers.field_defaults(file).items():
                symbols.setdefault(name, value)
            # the helpers' own parameters handed on are no contracts: their callers' values are
            findings = wrappers.drop_forwarders(file, findings, own_detectors=(wrapper_call.ID,))
        except Exception as exc:  # pragma: no cover - defensive
            errors.append(ErrorEntry(path, "extractor_error", f"ruby helper parameters: {exc}"))
        try:
            findings = constant_parameter_defaults(file, findings)
        except Exception as exc:  # pragma: no cover - defensive
            errors.append(ErrorEntry(path, "extractor_error", f"ruby constant defaults: {exc}"))
        try:
            findings = inline_readers(file, findings)
        except Exception as exc:  # pragma: no cover - defensive
            errors.append(ErrorEntry(path, "extractor_error", f"ruby readers: {exc}"))
        try:
            findings = attach_retry_targets(file, findings)
        except Exception as exc:  # pragma: no cover - defensive
            errors.append(ErrorEntry(path, "extractor_error", f"ruby retry targets: {exc}"))
        try:
            local = _local_env_branches(file)
            if local:
                # `if Rails.env.local? ... Geocoder.configure(lookup: :fake, timeout: 5) else ... end`: the
                # developer's machine and the test run (round 19, placecal)
                findings = [fd for fd in findings if fd.kind not in ("timeout", "retry")
                            or not any(first <= fd.line <= last for first, last in local)]
        except Exception as exc:  # pragma: no cover - defensive
            errors.append(ErrorEntry(path, "extractor_error", f"ruby local branches: {exc}"))
        if LOCAL_ENVIRONMENT.search(path):
            # a Rails app's development / test environment: the developer's machine and the test
            # run, not the service's calls (round 18, pupilfirst: `config.slowpoke.timeout` there)
            findings = [fd for fd in findings if fd.kind not in ("timeout", "retry")]
        findings = dedupe(findings, sort=True)
        syntax.reset_caches()
        return FileResult(path=path, language=self.language, findings=tuple(findings), symbols=symbols,
                          module=RUBY_NAMESPACE, errors=tuple(errors))


_LOCAL_ENV = re.compile(r"^!?\s*Rails\.env\.(?:development|test|local)\?(?:\s*(?:\|\||or)\s*Rails\.env\.(?:development|test|local)\?)*$")
_NOT_PRODUCTION = re.compile(r"^Rails\.env\.production\?$")


def _local_env_branches(file: RubyFile) -> list[tuple[int, int]]:
    """Line spans of the branches only a local environment runs: ``if Rails.env.development?`` /
    ``test?`` / ``local?`` (their consequence), ``unless Rails.env.production?``."""
    if b"Rails.env" not in file.data:
        return []
    spans = []
    for node in ts.walk(file.root):
        if node.type not in ("if", "unless", "if_modifier", "unless_modifier"):
            continue
        condition = node.child_by_field_name("condition")
        words = ts.text(condition).strip() if condition is not None else ""
        local = (_LOCAL_ENV.match(words) and not words.startswith("!")) if node.type.startswith("if") \
            else _NOT_PRODUCTION.match(words)
        if not local:
            continue
        branch = node.child_by_field_name("consequence") or node.child_by_field_name("body")
        if node.type.endswith("_modifier"):
            branch = node.named_children[0] if node.named_children else None
        if branch is not None:
            spans.append((branch.start_point[0] + 1, branch.end_point[0] + 1))
    return spans


_READER_NAME = re.compile(r"^[a-z_]\w*$")
LOCAL_ENVIRONMENT = re.compile(r"(?:^|/)config/environments/(?:development|test)\.rb$")


_DEFAULTS_HOLDER = re.compile(r"default", re.I)


def default_hash_keys(file: RubyFile) -> dict:
    """A project's defaults hash (``DEFAULTS = { fetch_timeout: 20, open_timeout: 2 }.freeze``,
    ``default_settings = { :rest_client_timeout => 30 }``: a hash literal kept in a constant or a
    local whose name says default) publishes each timeout / retry key with a number as
    ``$default_key.<key>``, for the reads of the configuration built from it
    (``config[:fetch_timeout]``, ``SETTINGS[:katello][:rest_client_timeout]``; ``syntax.to_expr``).
    A key the file's defaults hashes give two values is left out (round 18: gemstash, katello)."""
    out: dict = {}
    clashes: set[str] = set()
    for node in ts.walk(file.root):
        if node.type not in ("assignment", "operator_assignment"):
            continue
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None or left.type not in ("constant", "identifier", "instance_variable") \
                or not _DEFAULTS_HOLDER.search(ts.text(left)):
            continue
        while right.type == "call" and file.method_of(right) in ("freeze", "with_indifferent_access") \
                and right.child_by_field_name("receiver") is not None:
            right = right.child_by_field_name("receiver")
        if right.type != "hash":
            continue
        for pair in right.named_children:
            if pair.type != "pair":
                continue
            key = syntax.pair_key(pair)
            value = pair.child_by_field_name("value")
            if not key or value is None or not syntax.DEFAULT_KEY_NAME.search(key):
                continue
            expr = syntax.to_expr(value)
            if as_number(evaluate(expr).value) is None:
                continue
            name = f"{syntax.DEFAULT_KEY}.{key}"
            if name in out and out[name] != expr:
                clashes.add(name)
            out.setdefault(name, expr)
    return {name: expr for name, expr in out.items() if name not in clashes}


def setting_defaults(file: RubyFile) -> dict:
    """The defaults an application's settings registry declares, published as ``Setting.<name>`` for
    the ``Setting[:name]`` reads of every file: Foreman's DSL (``setting('ssh_timeout', type:
    :integer, default: 60 * 2)``) and rails-settings-cached (``field :api_timeout, default: 30`` in a
    ``class Setting < RailsSettings::Base``). A default that does not fold to a value is left out."""
    out: dict = {}
    for call in file.calls_named("setting", "field"):
        if call.child_by_field_name("receiver") is not None:
            continue
        site = file.site(call)
        if not site.args or "default" not in site.kwargs:
            continue
        name = syntax.symbol_name(site.args[0].node) or syntax.string_literal(site.args[0].node)
        if not name or not name.isidentifier():
            continue
        if file.method_of(call) == "field":
            klass = syntax.enclosing(call, ("class",))
            if klass is None or syntax.callee_text(klass.child_by_field_name("name")) not in syntax.SETTING_STORES:
                continue
            stores = (syntax.callee_text(klass.child_by_field_name("name")),)
        elif "type" in site.kwargs or "full_name" in site.kwargs or "description" in site.kwargs:
            stores = ("Setting",)
        else:
            continue
        node = site.kwargs["default"].node
        if node.type == "array":
            expr = Tuple(tuple(syntax.to_expr(item) for item in node.named_children))
        else:
            expr = syntax.to_expr(node)
        if isinstance(expr, Unknown):
            continue
        for store in stores:
            out[f"{store}.{name}"] = expr
            if isinstance(expr, Tuple) and expr.items:
                out[f"{store}.{name}.$first"] = expr.items[0]  # `default: [5, 10, 15, 20]`
    return out


def _readers(file: RubyFile) -> dict[tuple[int, int, str], Node]:
    """Zero-argument methods whose body is one expression (``def timeout; 60; end``, ``def timeout
    = IdentityConfig.store.trueid_timeout``): (class first line, class last line, name) -> body.
    The file's top level counts as a class spanning the whole file."""
    out: dict[tuple[int, int, str], Node] = {}
    for method in ts.walk(file.root):
        if method.type != "method":
            continue
        params = method.child_by_field_name("parameters")
        if params is not None and params.named_child_count:
            continue
        body = method.child_by_field_name("body")
        statements = [c for c in (body.named_children if body is not None else ()) if c.type != "comment"]
        if body is not None and body.type != "body_statement":
            statements = [body]  # an endless method: `def timeout = 60`
        if len(statements) != 1:
            continue
        klass = syntax.enclosing(method, ("class", "module"))
        first, last = (klass.start_point[0] + 1, klass.end_point[0] + 1) if klass is not None else (0, 1 << 30)
        out.setdefault((first, last, ts.text(method.child_by_field_name("name"))), statements[0])
    return out


def _substitute(expr, readers: dict, line: int, depth: int = 0):
    """``expr`` with each bare name that is a reader of the class around ``line`` (innermost first)
    replaced by the reader's value expression."""
    if depth > 3:
        return expr
    if isinstance(expr, Ref) and _READER_NAME.match(expr.name):
        spans = sorted(((first, last) for first, last, name in readers if name == expr.name and first <= line <= last),
                       key=lambda span: span[1] - span[0])
        if spans:
            body = readers[(*spans[0], expr.name)]
            inner = syntax.to_expr(body)
            if not isinstance(inner, Unknown) and inner != expr:
                return _substitute(inner, readers, body.start_point[0] + 1, depth + 1)
        return expr
    if isinstance(expr, BinOp):
        return BinOp(expr.op, _substitute(expr.left, readers, line, depth), _substitute(expr.right, readers, line, depth))
    if isinstance(expr, Call):
        return Call(expr.func, tuple(_substitute(a, readers, line, depth) for a in expr.args), expr.kwargs)
    return expr


def constant_parameter_defaults(file: RubyFile, findings: list[Finding]) -> list[Finding]:
    """``def self.with_http_retries(ctx, max_retries: HTTP_MAX_RETRIES) ... raise if attempt > max_retries``:
    a retry bounded by the helper's own parameter whose default is a constant is that constant
    (rule a, at the helper's check; round 19, placecal). Run after the helper published the
    parameter for its callers (rule b at the calls leaving it out, rule c at those passing one)."""
    methods = [m for m in ts.walk(file.root) if m.type in ("method", "singleton_method")]
    out = []
    for fd in findings:
        pending = next((p for p in fd.pending if p.attribute == "max_attempts"), None)
        if fd.kind != "retry" or fd.detector == wrapper_call.ID or fd.attributes.get("max_attempts") is not None \
                or pending is None:
            out.append(fd)
            continue
        around = [m for m in methods if m.start_point[0] + 1 <= fd.line <= m.end_point[0] + 1]
        method = min(around, key=lambda m: m.end_point[0] - m.start_point[0]) if around else None
        defaults = {}
        params = method.child_by_field_name("parameters") if method is not None else None
        for param in params.named_children if params is not None else ():
            value = param.child_by_field_name("value") if param.type in ("keyword_parameter", "optional_parameter") else None
            if value is not None and value.type in ("constant", "scope_resolution"):
                defaults[ts.text(param.child_by_field_name("name"))] = Ref(syntax.callee_text(value))
        expr = _with_defaults(pending.expr, defaults) if defaults else pending.expr
        if expr == pending.expr:
            out.append(fd)
            continue
        shown = str(fd.attributes.get("attempts_expression") or "") or _shown(pending.expr)
        attrs = {**fd.attributes, **({"attempts_expression": shown} if shown else {})}
        out.append(replace(fd, attributes=attrs, pending=tuple(
            replace(p, expr=expr) if p is pending else p for p in fd.pending)))
    return out


def _with_defaults(expr, defaults: dict):
    if isinstance(expr, Ref):
        return defaults.get(expr.name, expr)
    if isinstance(expr, BinOp):
        return BinOp(expr.op, _with_defaults(expr.left, defaults), _with_defaults(expr.right, defaults))
    return expr


def _shown(expr) -> str | None:
    """``max_retries + 1`` for the expression a helper publishes its parameter from."""
    from contract_discovery.values import Num

    if isinstance(expr, Ref):
        return expr.name
    if isinstance(expr, BinOp) and expr.op in ("+", "-") and isinstance(expr.left, Ref) and isinstance(expr.right, Num):
        return f"{expr.left.name} {expr.op} {int(expr.right.value)}"
    return None


def _names(expr) -> set[str]:
    if isinstance(expr, Ref):
        return {expr.name}
    if isinstance(expr, BinOp):
        return _names(expr.left) | _names(expr.right)
    if isinstance(expr, Call):
        return set().union(*(_names(a) for a in expr.args)) if expr.args else set()
    return set()


def _names_in_scope(file: RubyFile, line: int) -> set[str]:
    """Parameters and locals of the innermost method around ``line``: a name there is no reader."""
    best = None
    for method in ts.walk(file.root):
        if method.type in ("method", "singleton_method") and method.start_point[0] + 1 <= line <= method.end_point[0] + 1:
            if best is None or method.start_byte >= best.start_byte:
                best = method
    if best is None:
        return set()
    names = set()
    for node in ts.walk(best):
        if node.type in ("identifier",) and node.parent is not None and (
                node.parent.type in ("method_parameters", "optional_parameter", "keyword_parameter", "block_parameters")
                or node.parent.type == "assignment" and node.parent.child_by_field_name("left") == node):
            names.add(ts.text(node))
    return names


def inline_readers(file: RubyFile, findings: list[Finding]) -> list[Finding]:
    """A timeout or bound read from a zero-argument method of its own class (``f.options.timeout =
    timeout`` with ``def timeout; 60; end`` or ``def timeout; IdentityConfig.store.x; end``; ``(config.x
    || 5).to_f``): the method's value, settled here when it is made of literals only."""
    readers = None
    out = []
    for finding in findings:
        if finding.kind not in ("timeout", "retry") or not finding.pending:
            out.append(finding)
            continue
        if readers is None:
            readers = _readers(file)
        if not readers:
            return findings
        pending = []
        changed = False
        shadowed = _names_in_scope(file, finding.line)
        for p in finding.pending:
            if p.attribute in ("timeout_ms", "max_attempts") and not _names(p.expr) & shadowed:
                new = _substitute(p.expr, readers, finding.line)
                if new != p.expr:
                    changed = True
                    p = Pending(p.attribute, new, p.scale)
            pending.append(p)
        if not changed:
            out.append(finding)
            continue
        attrs = dict(finding.attributes)
        kept = []
        for p in pending:
            value = evaluate(p.expr) if p.attribute in ("timeout_ms", "max_attempts") else None
            number = as_number(value.value) if value is not None and value.resolved_from == "literal" else None
            if number is not None and attrs.get(p.attribute) is None:
                attrs[p.attribute] = normalise_ms(number * (p.scale or 1.0)) if p.attribute == "timeout_ms" \
                    else normalise_ms(number * (p.scale or 1.0))
                if p.attribute == "timeout_ms":
                    attrs["resolved_from"] = "constant"
                continue
            kept.append(p)
        out.append(replace(finding, attributes=attrs, pending=tuple(kept)))
    return out


_URL_SOURCES = ("outbound_call", "timeout", "missing_timeout")


def _url_source(finding: Finding) -> tuple | None:
    """What a finding knows of where its call goes: a literal URL and/or a pending URL expression."""
    url = finding.target.url if finding.target is not None else None
    pending = tuple(p for p in finding.pending if p.attribute == "url")
    if url is None and not pending:
        return None
    return url, pending


URL_SYMBOL = "$url"
# A class or module named for a client of another service (PaymentApi, RiskClient, Stripe::Gateway).
_CLIENT_NAME = re.compile(r"(?:Api|API|Client|Gateway|Service|Http|HTTP|Sdk|SDK|Connector|Adapter)$")


def _top_classes(file: RubyFile) -> list[tuple[str, int, int]]:
    """(dotted name, first line, last line) of each class/module of the file, innermost included."""
    out = []
    for node in ts.walk(file.root):
        if node.type in ("class", "module"):
            name = syntax.callee_text(node.child_by_field_name("name"))
            chain = syntax.class_chain(node)
            if name:
                out.append((".".join([*chain, *name.split(".")]), node.start_point[0] + 1, node.end_point[0] + 1))
    return out


def _parameter_ref(expr) -> bool:
    """A method's own URL parameter (`Faraday.new(url: base_url)`, round 22): its callers' URL, no class's own."""
    return isinstance(expr, Ref) and "." not in expr.name and expr.name[:1].islower()


def client_urls(file: RubyFile, findings: list[Finding]) -> dict:
    """``<Class>.$url``: where a client class's calls go, when all of them name one place
    (``module PaymentApi ... Faraday.new(url: ENV.fetch("PAYMENT_API_URL", ...))``). A retried job in
    another file that calls ``PaymentApi.refund`` takes it as its target (``attach_retry_targets``)."""
    symbols: dict = {}
    for name, first, last in _top_classes(file):
        sources = {_url_source(f) for f in findings if f.kind in _URL_SOURCES and first <= f.line <= last
                   and f.detector != wrapper_call.ID}  # (a helper's proposal is no call of its own)
        sources.discard(None)
        if len(sources) != 1:
            continue
        url, pending = next(iter(sources))
        if url is not None:
            symbols[f"{name}.{URL_SYMBOL}"] = Str(url)
        elif len(pending) == 1 and not _parameter_ref(pending[0].expr):
            symbols[f"{name}.{URL_SYMBOL}"] = pending[0].expr
    return symbols


def _client_receivers(statements: list) -> set[str]:
    """Constant receivers named like clients that the statements call (``PaymentApi.refund``)."""
    names = set()
    for statement in statements:
        for node in ts.walk(statement):
            if node.type != "call":
                continue
            receiver = node.child_by_field_name("receiver")
            if receiver is not None and receiver.type in ("constant", "scope_resolution"):
                name = syntax.callee_text(receiver)
                if _CLIENT_NAME.search(name):
                    names.add(name)
    return names


def attach_retry_targets(file: RubyFile, findings: list[Finding]) -> list[Finding]:
    """Give a retry (``begin/rescue/retry``, ``Retriable.retriable``) and a fresh ID made inside
    the retried code the target of the outbound call(s) that code makes.

    The calls, timeouts and missing timeouts inside the retried statements carry the URL; when
    they all name the same one, the retry and the IDs re-made per attempt go there too. Calls
    to two different places leave the target unknown rather than guess.
    """
    regions = new_id_per_attempt._regions(file)
    if not regions:
        return findings
    updates: dict[int, Finding] = {}
    for statements, retry_line in regions:
        if not statements:
            continue
        first, last = statements[0].start_point[0] + 1, statements[-1].end_point[0] + 1
        sources = {_url_source(f) for f in findings if f.kind in _URL_SOURCES and first <= f.line <= last
                   and f.detector != wrapper_call.ID}  # (a helper's proposal is no call of its own)
        sources.discard(None)
        if not sources:
            # Only a client class of another file is called (PaymentApi.refund): its `$url`.
            clients = _client_receivers(statements)
            if len(clients) == 1:
                sources = {(None, (Pending("url", Ref(f"{next(iter(clients))}.{URL_SYMBOL}"), None),))}
        if len(sources) != 1:
            continue
        url, pending = next(iter(sources))
        # the path the retried calls go to (`Net::HTTP::Post.new("/v1/refunds")`): one, or none
        operations = {f.target.operation for f in findings if f.kind == "outbound_call" and first <= f.line <= last
                      and f.target is not None}
        operation = next(iter(operations)) if len(operations) == 1 else None
        for index, finding in enumerate(findings):
            if finding.target is not None and finding.target.url is not None or _url_source(finding):
                continue
            if finding.kind == "retry" and finding.detector in (rescue_retry.ID, retriable.ID) and \
                    finding.line == retry_line:
                pass
            elif finding.kind == "new_id_per_attempt" and finding.attributes.get("retry_line") == retry_line \
                    and first <= finding.line <= last:
                pass
            else:
                continue
            own = finding.target.operation if finding.target else None
            target = Target(url=url, operation=own or operation) if url is not None else \
                (Target(operation=operation) if operation and not own and finding.target is None else finding.target)
            updates[index] = replace(finding, target=target, pending=(*finding.pending, *pending))
    return [updates.get(i, f) for i, f in enumerate(findings)]


EXTRACTOR = RubyExtractor()
