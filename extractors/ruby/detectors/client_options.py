"""Timeout and retry options of any client: ``Client.new(read_timeout: 3, max_retries: 2)``, ``s.timeout = 10``.

What it does: reports a timeout-named option (``timeout``, ``read_timeout``, ``open_timeout``,
``connect_timeout``, ``socket_timeout``, ``write_timeout``, ``request_timeout``, ``ssl_timeout``: the TLS
handshake, phase connect) wherever a client
or its settings take it: a key of a hash passed to a call or stored in a setting
(``config.cache_store = :mem_cache_store, url, { socket_timeout: 1.5 }``), an attribute writer
(``sponge.timeout = 10``; also ``self.lock_timeout = 20``, a job's or lock's wait for a lock
held elsewhere, e.g. in Redis: not on StrongMigrations, whose lock timeout bounds migrations), a hash writer (``config[:read_timeout] = ...``), or an instance
variable a client sets from a constant or literal (``@timeout = MAX_TIME``). Values are seconds
(Ruby's convention); a duration string (``timeout: "2s"``, Elasticsearch style) is read as written.
The libraries with their own detector (Net::HTTP, Faraday, HTTParty, RestClient...) keep theirs;
this one only adds what they do not cover.

Retry options: ``max_retries: 2`` -> 3 attempts (it counts retries; also Sidekiq's global
``Sidekiq.default_configuration[:max_retries] = 4`` / ``Sidekiq.options[:max_retries] = 4`` -> 5); Excon's ``retry_limit: 4``
-> 4 attempts (Excon counts every try), but the AWS SDK's ``retry_limit: 3`` -> 4 (retries);
redis-rb's ``reconnect_attempts: 0`` -> 1 attempt (it counts reconnects after a failure);
the Elasticsearch/OpenSearch transport's ``retry_on_failure: 2`` -> 3 attempts and
``retry_on_failure: true`` -> 4 (the transport's default of 3 retries; ``false`` retries nothing).

Library options learnt in the survey of docs/libraries/ruby.md: the AWS SDK's
``http_open_timeout``/``http_read_timeout`` (seconds) and ``max_attempts`` (standard retry mode, counts
every try; only on an ``Aws::`` client), Stripe's ``max_network_retries`` (key or
``Stripe.max_network_retries = 2`` -> 3 attempts), Net::HTTP's ``http.max_retries = 0`` (1 attempt),
google-api-client's ``*_timeout_sec`` and ``request_options.retries = N`` (N + 1),
``Retriable.configure { |c| c.tries = 5 }`` (5), Bunny's ``connection_timeout``,
``continuation_timeout`` (milliseconds) and ``recovery_attempts`` (N + 1), mongo's
``server_selection_timeout``, Sidekiq's Redis ``network_timeout`` (also from a local hash handed to
``config.redis = settings``), ``write_timeout`` in phase write, and the Ruby 3.1 shorthand
``Client.new(url, timeout:)`` inside ``def self.client(timeout)`` (the parameter: its default, or its
callers' value through the published helper parameter).

Also: rack-timeout's ``service_timeout:`` (the request budget of the app's own handlers, phase
total), Resolv::DNS's ``dns.timeouts = 3`` / ``= [3, 3, 3]`` (each try's timeout: the first) and
Selenium's page-load timeout ``driver.manage.timeouts.page_load = 30`` (seconds, phase total;
``implicit_wait`` only polls the loaded page for elements and is not reported), Truemail's SMTP
check (``config.connection_timeout = 1``, ``config.response_timeout = 1`` in seconds, and
``config.connection_attempts = 3``, every try counted), kubeclient's ``timeouts: { open: 10, read: 60 }``
(seconds: connect and read) and zendesk_api's ``config.retry = true``
(its middleware sends a rate-limited or unavailable request once more: 2 attempts).
Round 21: Net::Telnet's ``'Timeout' => 5`` (seconds); an Elasticsearch duration built by
interpolation (``timeout: "#{user.statement_timeout || 3_000}ms"``: the value, in the unit); a
``SET statement_timeout`` run in an ``ensure`` to the value read back before the block (``show
statement_timeout``) puts the session's limit back, no setting of its own.
A remaining budget handed down (``datum[:read_timeout] = time_left`` with ``time_left =
datum[:deadline] - Time.zone.now``) is no setting: the deadline is reported where it is made.

A hash kept in a local counts once the local is passed to a call later in the same method
(``options = { timeout: 10 }; HTTParty.put(url, with_ssl(options))``, ``Geocoder.configure(settings)``),
also through a copy (``defaults = { connect_timeout: 5 }; options = defaults.dup; Redis.new(options)``),
and a hash filled key by key before it is passed (``opts = {}; opts[:timeout] = 15; Client.post(url, opts)``).

PostgreSQL session settings of a Rails connection (``establish_connection(variables: {
statement_timeout: ENV["DB_STATEMENT_TIMEOUT"] || "15s", lock_timeout: 10_000 })``): each query's and
each lock wait's limit, phase total; an integer is milliseconds, a string may carry a unit (``"15s"``,
``"1min"``). Only inside ``variables:`` (``StrongMigrations.statement_timeout = 1.hour`` is migration
tooling).

Round 17: ``[CONNECT_TIMEOUT, remaining].min`` over what is left of a deadline is the call's own cap;
``SET statement_timeout`` run through a project helper (``execute_compat(conn, "SET ...")``) counts at
the called name. Not reported: a connection pool's options kept apart (``redis_pool_options: { size: 5,
timeout: 3 }``: a checkout wait), an option copied from another options hash
(``@excon[:read_timeout] = @extra[:read_timeout]``: handed on, its source holds the setting).

Not reported: a ``timeout:`` handed to a method of the same file (``cancel(timeout: 1)``): that
method's body says what it is (a kill wait, a client's timeout), and ``ruby.wrapper_call`` carries the
value to the call when it is a timeout there. Sorbet signatures (``sig { params(timeout: Integer) }``), a forwarded variable (``fetch(url, timeout: timeout)`` passes a value on, it
does not set one), ``Regexp.new(..., timeout: 0.1)`` (regex matching, not a call), a headless browser's
render options (``{ print_background: true, launch_args: [..], timeout: 60_000 }``: Grover, Ferrum: local
rendering), a circuit breaker's open window (``circuit_breaker: { threshold: 5, timeout: 5.minutes }``), a local
file lock's wait (``Futex.new(path, timeout: 1)``), Sinatra's ``set :server_settings, timeout: 25`` (the
app's own web server), options in a branch only the test environment runs (``if ENV['RACK_ENV'] ==
'test'``: every Ruby detector leaves those out), keys that
only look alike (``worker_timeout``, ``shutdown_timeout``), and the word in strings or comments.

Why it matters: the gems a Rails app talks to (memcache, Elasticsearch, HIBP, a home-made
HTTP wrapper) each take their own timeout option; missing them leaves the contract unknown.

Example: ``Pwned::Password.new(pw, request_options: { read_timeout: 3 })`` -> timeout 3000 ms, read.
"""

from __future__ import annotations

from dataclasses import replace

import re
from typing import Iterable

from contract_discovery.model import Finding, Pending
from contract_discovery.values import BinOp, Env, Num, Ref, Str, normalise_ms
from extractors.ruby import syntax
from extractors.ruby.context import RubyFile, fallback_default, field_default, max_attempts, ruby_detector
from extractors.ruby.detectors.loop_deadline import NOW
from extractors.treesitter import Node, text, walk

ID = "ruby.client_options"

KEYS = {
    "timeout": "total", "request_timeout": "total", "read_timeout": "read", "socket_timeout": "read",
    "write_timeout": "write", "open_timeout": "connect", "connect_timeout": "connect",
    "service_timeout": "total", "ssl_timeout": "connect",
    # aws-sdk (Seahorse) HTTP handler: http_open_timeout / http_read_timeout (seconds)
    "http_open_timeout": "connect", "http_read_timeout": "read",
    # Sidekiq's Redis config (`config.redis = { url:, network_timeout: 5 }`): every Redis command
    "network_timeout": "total",
    # mongo driver: the wait for a suitable server before each operation
    "server_selection_timeout": "connect",
    # Bunny (RabbitMQ): the TCP connect
    "connection_timeout": "connect",
    # google-api-client ClientOptions (seconds)
    "open_timeout_sec": "connect", "read_timeout_sec": "read", "send_timeout_sec": "write", "timeout_sec": "total",
    # httpx: `HTTPX.with(timeout: { operation_timeout: 10 })`, each read/write operation
    "operation_timeout": "read",
    # Truemail's SMTP check (`config.response_timeout = 1`, seconds) and similar: the wait for the reply
    "response_timeout": "read",
    # httpclient gem: `client.receive_timeout = 60`, `client.send_timeout = 120` (seconds)
    "receive_timeout": "read", "send_timeout": "write",
    # cf-uaa-lib and similar SDK options: `http_timeout: 10` (seconds, each request)
    "http_timeout": "total",
    # aws-sdk: the instance-metadata (IMDS) credential fetch, and the ECS container credentials
    "instance_profile_credentials_timeout": "total", "container_credentials_timeout": "total",
    # Typhoeus / Ethon (libcurl) options handed to a project's wrapper or kept in a defaults hash
    # (`http_client.get(url, connecttimeout: 60, timeout: 600)`, `DEFAULT_CURL_OPTIONS = {
    # connecttimeout: 30 }`): the connect phase, seconds
    "connecttimeout": "connect",
    # ruby-oci8 (Oracle): `OCI8.properties[:tcp_connect_timeout] = 10`, `[:recv_timeout] = 20` (seconds;
    # round 22, caseflow)
    "tcp_connect_timeout": "connect", "recv_timeout": "read",
}
# Options in milliseconds: Bunny's continuation_timeout (the wait for the broker's reply to a
# channel/queue operation, 15000 by default).
MS_KEYS = {"continuation_timeout": "read"}
# libcurl's millisecond connect option (Typhoeus / Ethon): `connecttimeout_ms: 500`
CURL_MS_KEYS = {"connecttimeout_ms": "connect"}
# Sphinx/Manticore search options (Thinking Sphinx's `Model.search(q, max_query_time: 1000)`, Riddle's
# `client.max_query_time = ...`): the query's time budget on the search daemon, milliseconds.
SEARCH_MS_KEYS = {"max_query_time": "total"}
RETRY_KEYS = ("max_retries", "retry_limit", "reconnect_attempts", "retry_on_failure", "max_network_retries",
              "max_attempts", "recovery_attempts", "instance_profile_credentials_retries",
              "container_credentials_retries", "max_reconnect_attempts")
# elasticsearch-transport's DEFAULT_MAX_RETRIES, used when retry_on_failure is `true`.
ES_DEFAULT_RETRIES = 3
# Writers only: Resolv::DNS#timeouts= (seconds, or one per try).
SETTER_KEYS = {**KEYS, "timeouts": "total", "lock_timeout": "total"}
# Writers of these receivers configure tooling, not the app's calls (migrations' lock waits).
TOOLING = ("Regexp", "Timeout", "StrongMigrations", "ActiveRecord.Base", "ActiveRecord.Migration")
TYPE_NAMES = {"Integer", "Float", "Numeric", "String", "Symbol", "Object"}
NOT_CALLS = {"Regexp.new", "Regexp.timeout", "Timeout.timeout"}
# ActiveRecord writes and lookups: their keys are a model's columns (an inventory parser storing a load
# balancer's health check `timeout`), no option of a call.
COLUMN_WRITES = frozenset({"assign_attributes", "update_attributes", "update_attributes!", "update_columns",
                           "update_column", "find_or_create_by", "find_or_create_by!", "find_or_initialize_by",
                           "create_with", "where", "find_by", "find_by!", "insert_all", "upsert_all", "upsert"})
# A child process of the machine, not a service call: a command runner (`ExternalCommand.run("unrtf",
# path, timeout: 120)`, `Open3.capture2(...)`, `POSIX::Spawn::Child.new(...)`) running a program that
# is no network client, or options that only a child process takes (`memory_limit:`, `chdir:`).
COMMAND_RUNNER = re.compile(r"(?:Command|Shell|ShellOut|Spawn|Popen|Open3|Subprocess|Terrapin|Cocaine)|"
                            r"(?:^|\.)(?:system|spawn|popen\d?|capture[23]e?|run_command|execute_command|"
                            r"exec_command|sh)$")
# Work done inside this process, whatever its options say (round 18, discourse-ai): an embedded
# JavaScript engine's script bound (`MiniRacer::Context.new(timeout: 500, max_memory: ..)`) and the
# wait for a local thread pool to drain (`pool.wait_for_termination(timeout: 30)`, concurrent-ruby).
# Round 18 (second wave): an in-process queue's wait for an item (`@input_queue.pop(timeout: 0.5)`,
# Thread::Queue / SizedQueue) and a headless browser rendering locally (`Ferrum::Browser.new(timeout: 30)`,
# Cuprite) are no calls to another service either.
# Round 20 (sixnines): a local file lock's wait (`Futex.new(path, timeout: 1)`, `Filelock`).
IN_PROCESS = re.compile(r"^(?:MiniRacer|ExecJS|Schmooze|Ferrum|Capybara\.Cuprite|Cuprite|Futex|Filelock|FileLock)\.|"
                        r"(?:^|\.)wait_for_termination$|[a-z_]*queue\.(?:pop|shift|deq)$", re.IGNORECASE)
NETWORK_PROGRAMS = frozenset({
    "gcloud", "gsutil", "kubectl", "helm", "aws", "az", "curl", "wget", "git", "ssh", "scp", "sftp", "rsync",
    "docker", "podman", "terraform", "psql", "pg_dump", "pg_restore", "mysql", "mysqldump", "redis-cli", "nc",
    "ping", "dig", "nslookup", "host", "heroku", "openssl", "ldapsearch", "smbclient", "ftp", "lftp", "rclone",
    "s3cmd", "mongo", "mongosh", "mongodump", "kafka-console-producer", "vault", "consul", "nomad", "ansible",
})
PROCESS_KEYS = frozenset({"memory_limit", "binary_output", "chdir", "unsetenv_others", "umask", "pgroup",
                          "stdin_data", "stdin_string", "append_to", "rlimit_as", "rlimit_cpu"})
# A headless browser rendering a page to PDF or an image in this process (Grover, Ferrum, puppeteer-ruby:
# `{ format: "A4", print_background: true, launch_args: [...], timeout: 60_000 }`): local rendering work.
RENDER_KEYS = frozenset({"launch_args", "print_background", "prefer_css_page_size", "emulate_media",
                         "display_header_footer", "page_ranges", "viewport", "full_page"})
# A circuit breaker's settings (`circuit_breaker: { threshold: 5, timeout: 5.minutes }`): its `timeout`
# is how long the breaker stays open before a trial call, not a bound on a call. (Semian's
# `register(tickets: 3, timeout: 0.5, error_threshold: 3)` keeps its `timeout`: the bulkhead's wait
# for a ticket; its open window is `error_timeout`.)
BREAKER_KEYS = frozenset({"threshold", "failure_threshold", "volume_threshold", "half_open_requests"})
DURATION_TEXT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)\s*$")
UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def _callee(f: RubyFile, call: Node) -> str:
    receiver = f.receiver_of(call)
    method = f.method_of(call)
    return f"{receiver}.{method}" if receiver else method


def _forwarded(value: Node, key: str | None = None) -> bool:
    """``timeout: timeout``, ``timeout: timeout.to_i``, ``timeout: @timeout``: a value passed on
    (a local, a parameter, an instance variable, or a reader named like the key)."""
    node = value
    while node.type == "call" and f"{text(node.child_by_field_name('method'))}" in ("to_i", "to_f") \
            and node.child_by_field_name("receiver") is not None:
        node = node.child_by_field_name("receiver")
    if node.type in ("instance_variable", "class_variable"):
        # a field the constructor fills from a defaulted parameter is the helper's own default
        # (convention (a)); one filled from a parameter without default is handed on
        return node.type == "class_variable" or field_default(text(node), node) is None
    if node.type != "identifier":
        return False
    name = text(node)
    if syntax.local_assignment(name, node) is not None or _is_parameter(name, node):
        return True
    if name == key:
        # a reader named like the key: the constructor's own parameter kept in a field is handed
        # on (its constructions hold the contract); a field set from configuration is a setting
        if _initialize_writes(name, node):
            return True  # `self.timeout = arguments.fetch(:timeout, 60)` in initialize: reported there
        return _constructor_field(name, node) and field_default(name, node) is None
    return False


def _initialize_writes(name: str, use: Node) -> bool:
    """``attr_accessor :timeout`` with ``self.timeout = arguments.fetch(:timeout, DEFAULT_TIMEOUT)``
    in the class's ``initialize``: the writer's line is the setting (reported there, as a
    constructor's ``@timeout = options[:timeout] || 45``); a reader handing it to a request is no
    second one."""
    klass = syntax.enclosing(use, ("class",))
    if klass is None:
        return False
    for method in walk(klass):
        if method.type != "method" or text(method.child_by_field_name("name")) != "initialize":
            continue
        for node in walk(method):
            if node.type != "assignment":
                continue
            left = node.child_by_field_name("left")
            if left is not None and left.type == "call" and text(left.child_by_field_name("receiver") or left) == "self" \
                    and text(left.child_by_field_name("method") or left) == name:
                return True
    return False


def _constructor_field(name: str, use: Node) -> bool:
    """``attr_reader :timeout`` with ``@timeout = timeout`` (a parameter) in ``initialize``, or no
    class around to tell: the reader hands a constructor's parameter on."""
    from extractors.ruby.wrappers import _ivar_sources

    klass = syntax.enclosing(use, ("class",))
    if klass is None:
        return True
    return f"@{name}" in _ivar_sources(klass)


def _is_parameter(name: str, use: Node) -> bool:
    for scope in syntax.ancestors_of(use):
        if scope.type in ("method", "singleton_method", "block", "do_block", "lambda"):
            params = scope.child_by_field_name("parameters")
            if params is not None:
                for param in params.named_children:
                    own = param.child_by_field_name("name") if param.type != "identifier" else param
                    if own is not None and text(own) == name:
                        return True
        if scope.type in ("method", "singleton_method"):
            return False
    return False


def _parameter_to_client(f: RubyFile, pair: Node, value: Node) -> bool:
    """``def self.es(timeout: 5) Elasticsearch::Client.new(request_timeout: timeout)``: a method's
    parameter that configures the client it constructs is that method's timeout (its default, or
    its callers' value through the published helper parameter), not a value merely passed on."""
    if value.type != "identifier" or syntax.pair_key(pair) not in KEYS or not _is_parameter(text(value), value):
        return False
    return _client_constructor(f, pair) or _library_request(f, pair)  # not a local ConnectionPool's checkout wait


# Library namespaces whose calls take a request's timeout (`URI.open(url, read_timeout: timeout)`).
REQUEST_LIBRARIES = frozenset({"URI", "Net", "Faraday", "HTTParty", "RestClient", "Excon", "HTTP", "HTTPX",
                               "Typhoeus", "OpenURI", "Kernel"})


def _library_request(f: RubyFile, pair: Node) -> bool:
    """``def quietly_try_to_open(url, timeout = 60) URI.open(url, read_timeout: timeout)``: the
    method's parameter bounds a library's request (its default, or its callers' value through the
    published helper parameter)."""
    holder = pair.parent
    if holder is None or holder.type != "argument_list" or holder.parent is None or holder.parent.type != "call":
        return False
    receiver = holder.parent.child_by_field_name("receiver")
    if receiver is None or receiver.type not in ("constant", "scope_resolution"):
        return False
    return syntax.callee_text(receiver).split(".", 1)[0] in REQUEST_LIBRARIES


def _client_constructor(f: RubyFile, pair: Node) -> bool:
    """The pair is an option of ``Const.new(...)`` (directly or in a nested hash), not of a local pool."""
    holder = pair.parent
    if holder is not None and holder.type == "hash":
        holder = holder.parent.parent if holder.parent is not None and holder.parent.type == "pair" else holder.parent
    if holder is None or holder.type != "argument_list" or holder.parent is None or holder.parent.type != "call":
        return False
    call = holder.parent
    receiver = call.child_by_field_name("receiver")
    return f.method_of(call) == "new" and receiver is not None and receiver.type in ("constant", "scope_resolution") \
        and not syntax.callee_text(receiver).endswith("ConnectionPool")


def _shorthand(f: RubyFile, pair: Node, key: str) -> Finding | None:
    """``GdsApi::PublishingApi.new(url, timeout:)`` (Ruby 3.1 shorthand for ``timeout: timeout``)
    inside ``def self.client_with_timeout(timeout)``: the method's parameter configures the client it
    builds (its default, else the callers' value through the published helper parameter). A local
    of that name is a value passed on, as ``timeout: timeout`` is."""
    if not _client_constructor(f, pair) or _excluded_call(f, pair):
        return None
    if not _is_parameter(key, pair):
        # `http_read_timeout = config.aws_http_timeout + wait; Aws::SQS::Client.new(http_read_timeout:)`:
        # a local computed in this method is the client's value (not one handed on from a caller)
        bound = syntax.local_assignment(key, pair)
        if bound is None or bound.type == "identifier":
            return None
        return f.timeout(pair, bound, KEYS[key], ID, "client")
    return _shorthand_parameter(f, pair, key, KEYS[key])


def _shorthand_parameter(f: RubyFile, pair: Node, key: str, phase: str) -> Finding:
    """``timeout:`` naming the enclosing method's parameter: its default, else the callers' value."""
    method = syntax.enclosing(pair, ("method", "singleton_method"))
    params = method.child_by_field_name("parameters") if method is not None else None
    for param in params.named_children if params is not None else ():
        own = param.child_by_field_name("name") if param.type != "identifier" else param
        if own is None or text(own) != key:
            continue
        default = param.child_by_field_name("value") if param.type != "identifier" else None
        number = syntax.settle(syntax.to_expr(default)) if default is not None else None
        if number is not None:
            attrs = {"timeout_ms": normalise_ms(number * 1000.0), "phase": phase, "resolved_from": "default",
                     "expression": key}
            return f.finding("timeout", pair, ID, attrs, "medium")
    attrs = {"timeout_ms": None, "phase": phase, "resolved_from": "unresolved", "expression": key}
    return f.finding("timeout", pair, ID, attrs, "medium", pending=(Pending("timeout_ms", Ref(key), 1000.0),))


RECORD_WRITES = {"create", "create!", "new", "update", "update!", "update_columns", "update_column", "assign_attributes",
                 "where", "find_or_create_by", "find_or_create_by!", "insert", "upsert", "build", "merge", "set"}
NOW = {"Time.now", "Time.now.utc", "Time.current", "Time.zone.now", "Process.clock_gettime"}


def _grpc_deadline(f: RubyFile, pair: Node) -> Finding | None:
    """A gRPC call's ``deadline: Time.now + 5`` (an absolute time: the relative part is the call's
    budget, seconds), or ``deadline: GRPC::Core::TimeConsts.from_relative_time(5)``. Only in a file
    that talks gRPC (``GRPC``/``Stub`` named): elsewhere ``deadline: Time.now + 3.days`` is a date."""
    if b"GRPC" not in f.data and b"Stub" not in f.data:
        return None
    value = pair.child_by_field_name("value")
    holder = pair.parent
    call = holder.parent if holder is not None and holder.type == "argument_list" else None
    if value is None or call is None or call.type != "call":
        return None
    receiver = call.child_by_field_name("receiver")
    if receiver is None or receiver.type in ("constant", "scope_resolution") or f.method_of(call) in RECORD_WRITES:
        return None  # `Task.create(deadline: ...)`, `task.update(deadline: ...)`: a date, not a stub's call
    if value.type == "binary" and _operator_text(value) == "+":
        left, right = value.child_by_field_name("left"), value.child_by_field_name("right")
        if left is None or right is None or syntax.callee_text(left) not in NOW:
            return None
        return f.timeout(pair, right, "deadline", ID, "grpc")
    if value.type == "call" and syntax.callee_text(value).endswith("TimeConsts.from_relative_time"):
        site = syntax.call_site(value)
        if site.args:
            return f.timeout(pair, site.args[0].node, "deadline", ID, "grpc")
    return None


def _own_method_call(f: RubyFile, pair: Node) -> bool:
    """The pair is a keyword argument of a call, without receiver (or on ``self``), of a method this
    file defines: whether the value is a timeout is for that method's body to say."""
    holder = pair.parent
    if holder is None or holder.type != "argument_list" or holder.parent is None or holder.parent.type != "call":
        return False
    call = holder.parent
    receiver = call.child_by_field_name("receiver")
    return (receiver is None or receiver.type == "self") and f.method_of(call) in f.defined_methods


DATA_BAGS = ("OpenStruct.new", "Struct.new", "Hash.new", "ActiveSupport.OrderedOptions.new")


def _data_bag(receiver: Node) -> bool:
    """``options = OpenStruct.new; options.timeout = 5``: a value bag, not a client."""
    if receiver.type != "identifier":
        return False
    bound = syntax.local_assignment(text(receiver), receiver)
    if bound is None:
        return False
    if bound.type == "hash":
        return True
    return bound.type == "call" and syntax.callee_text(bound) in DATA_BAGS


def _hash_handed_on(f: RubyFile, receiver: Node, assign: Node) -> bool:
    """``opts = {}; opts[:timeout] = 5; Client.get(url, opts)``: an options hash filled key by key
    and then passed to a call configures that call."""
    left = assign.child_by_field_name("left")
    if left is None or left.type != "element_reference" or receiver.type != "identifier":
        return False
    bound = syntax.local_assignment(text(receiver), receiver)
    if bound is None or bound.type != "hash" or bound.parent is None or bound.parent.type != "assignment":
        return False
    return _passed_on(f, text(receiver), bound.parent)


LOGGING = {"puts", "p", "pp", "print", "inspect", "to_s", "to_json", "info", "debug", "warn", "error", "log"}


def _local_hash(f: RubyFile, pair: Node) -> bool:
    """``config = { read_timeout: 5 }``: a hash kept in a local, not (yet) given to any client.
    Passed on later in the same scope (``HTTParty.put(url, ssl_options(options))``,
    ``Geocoder.configure(settings)``), it configures that call."""
    hash_node = pair.parent
    parent = hash_node.parent if hash_node is not None else None
    if parent is None or parent.type != "assignment":
        return False
    left = parent.child_by_field_name("left")
    if left is None or left.type != "identifier":
        return False
    return not _passed_on(f, text(left), parent)


COPIES = {"dup", "clone", "deep_dup", "merge", "reverse_merge", "with_indifferent_access", "symbolize_keys",
          "transform_keys", "compact"}


def _passed_on(f: RubyFile, name: str, assignment: Node, _depth: int = 0) -> bool:
    scope = syntax.scope_of(assignment)
    for node in walk(scope):
        if node.start_byte < assignment.end_byte:
            continue
        if node.type == "pair" and node.child_by_field_name("value") is None and syntax.pair_key(node) == name:
            # `Execute.call(options:, message:)` (Ruby 3.1 shorthand): the local handed on by its name
            if any(h.type == "argument_list" and h.parent is not None and h.parent.type == "call"
                   and f.method_of(h.parent) not in LOGGING for h in syntax.ancestors_of(node)
                   if h.start_byte >= scope.start_byte):
                return True
            continue
        if node.type != "identifier" or text(node) != name:
            continue
        copy = _copied_into(f, node)
        if copy is not None and _depth < 3 and _passed_on(f, text(copy.child_by_field_name("left")), copy, _depth + 1):
            return True  # `options = defaults.dup` ... `Redis.new(options)`
        writer = node.parent
        if writer is not None and writer.type == "assignment" and writer.child_by_field_name("right") == node \
                and getattr(writer.child_by_field_name("left"), "type", None) == "call":
            return True  # `config.redis = redis_settings`: a client's setting
        if _returned_to_caller(f, node):
            return True  # `def initialize_params(endpoint) params = {...}; ...; params end` (round 22)
        for holder in syntax.ancestors_of(node):
            if holder.type in ("method", "singleton_method", "class", "module", "program"):
                break
            if holder.type == "argument_list" and holder.parent is not None and holder.parent.type == "call":
                if f.method_of(holder.parent) not in LOGGING:
                    return True
                break
    return False


def _returned_to_caller(f: RubyFile, use: Node) -> bool:
    """The local is the last statement of its method (its value) and the file calls that method
    (``@ec2_params = initialize_params(endpoint); Aws::EC2::Client.new(@ec2_params)``; round 22,
    bosh-aws-cpi)."""
    body = use.parent
    method = body.parent if body is not None else None
    if body is None or method is None or method.type != "method" or body.type != "body_statement" or \
            not body.named_children or body.named_children[-1] != use:
        return False
    name = text(method.child_by_field_name("name"))
    return any(f.method_of(call) == name and call is not use for call in f.calls) or any(
        n.type == "identifier" and text(n) == name and n.parent is not None and n.parent.type != "method"
        for n in walk(f.root))


def _copied_into(f: RubyFile, use: Node) -> Node | None:
    """``other = name.dup`` / ``name.merge(url: x)``: the assignment of a copy of the hash to another
    local, or None."""
    call = use.parent
    if call is None or call.type != "call" or call.child_by_field_name("receiver") != use or \
            f.method_of(call) not in COPIES:
        return None
    assignment = call.parent
    if assignment is None or assignment.type != "assignment" or assignment.child_by_field_name("right") != call:
        return None
    left = assignment.child_by_field_name("left")
    return assignment if left is not None and left.type == "identifier" else None


def _unused_return(f: RubyFile, pair: Node) -> bool:
    """``def settings; { timeout: 30 }; end`` with ``settings`` used nowhere else in the file: a
    hash a method returns configures a client only where something passes it on."""
    node = pair.parent
    while node is not None and node.type in ("hash", "pair", "array"):
        node = node.parent
    if node is None or node.type != "body_statement" or node.parent is None or node.parent.type not in (
            "method", "singleton_method"):
        return False
    name = node.parent.child_by_field_name("name")
    if name is None:
        return False
    uses = re.findall(rb"(?<![\w@$:])" + re.escape(text(name).encode()) + rb"\b", f.data)
    return len(uses) <= 1  # the definition itself


def _interpolated_only(f: RubyFile, pair: Node, key: str) -> bool:
    """``def defaults; { :timeout => 120 }; end`` merged into attributes whose reader ``timeout`` the
    file only interpolates into a string (``"websockify --timeout=#{timeout} ..."``: a command line, a
    log): the value configures no call of this code (round 19: foreman's ws_proxy)."""
    node = pair.parent
    while node is not None and node.type in ("hash", "pair", "array"):
        node = node.parent
    if node is None or node.type != "body_statement" or node.parent is None or node.parent.type not in (
            "method", "singleton_method"):
        return False
    reads = []
    for use in walk(f.root):
        if use.type == "identifier" and text(use) == key:
            parent = use.parent
            if parent is not None and parent.type == "call" and parent.child_by_field_name("method") == use \
                    and parent.child_by_field_name("receiver") is not None:
                continue  # `Timeout.timeout(5)`: another method of that name
            if parent is not None and parent.type in ("method", "singleton_method") \
                    and parent.child_by_field_name("name") == use:
                continue
            reads.append(use)
        elif use.type == "instance_variable" and text(use) == "@" + key:
            reads.append(use)
    return bool(reads) and all(any(a.type == "interpolation" for a in syntax.ancestors_of(r)) for r in reads)


# Redis's blocking pops: the timeout is how long the worker waits for work to arrive on its queue (queue
# long-polling, not counted), not a bound on a call that failed to answer.
REDIS_BLOCKING_POPS = frozenset({"blpop", "brpop", "brpoplpush", "blmove", "bzpopmin", "bzpopmax", "blmpop",
                                 "bzmpop"})


def _excluded_call(f: RubyFile, pair: Node) -> bool:
    """The pair sits in a call that takes it for something else than a service call, or in a
    Sorbet signature (``sig { params(timeout: Integer) }``)."""
    value = pair.child_by_field_name("value")
    if value is not None and (text(value) in TYPE_NAMES or text(value).startswith("T.")):
        return True
    if pair.parent is not None and any(c.type == "pair" and syntax.pair_key(c) in PROCESS_KEYS
                                       for c in pair.parent.named_children):
        return True  # `{ memory_limit: 512.megabytes, timeout: 120 }`: a child process's limits
    if pair.parent is not None and any(c.type == "pair" and syntax.pair_key(c) in RENDER_KEYS | BREAKER_KEYS
                                       for c in pair.parent.named_children):
        return True  # a headless browser's render options, or a circuit breaker's open window
    holder = pair.parent.parent if pair.parent is not None else None
    if holder is not None and holder.type == "pair" and re.search(r"(?:circuit|breaker)", syntax.pair_key(holder) or ""):
        return True  # `circuit_breaker: { timeout: 300 }`
    if holder is not None and holder.type == "pair" and syntax.pair_key(holder) == "dependencies":
        return True  # `CommandClass.new(dependencies: { timeout: ENV[..] })`: an injected default, applied where it is read
    if _pool_checkout_options(pair, holder):
        return True  # `redis_pool_options: { size: 5, timeout: 3 }`: a ConnectionPool's checkout wait
    if _local_geocoder(f, pair):
        return True
    first = True
    for parent in syntax.ancestors_of(pair):
        if parent.type == "call":
            if first and f.method_of(parent) in LOGGING and "log" in f.receiver_of(parent).lower():
                return True  # `Travis.logger.debug("drained", timeout: "#{t}s")`: a log line's field
            if first and f.method_of(parent) in REDIS_BLOCKING_POPS:
                return True  # `@redis.blpop(*queues, timeout: 60)`: a queue's long poll (round 22, apisonator)
            if first and _server_settings(f, parent):
                return True  # Sinatra's `set :server_settings, timeout: 25`: the app's own web server
            if first and f.method_of(parent) in COLUMN_WRITES:
                return True  # `record.assign_attributes(timeout: check['timeout'])`: a model's column
            if first and (_callee(f, parent) in NOT_CALLS or _local_process(f, parent)
                          or _callee(f, parent).endswith(("ConnectionPool.new", "ConnectionPool.Wrapper.new"))
                          or _twiml_verb(f, parent)):
                return True  # (a ConnectionPool's `timeout:` is the checkout wait for a pooled object)
            first = False
            if f.method_of(parent) in ("sig", "enum") and parent.child_by_field_name("receiver") is None:
                return True  # a Sorbet signature, or `enum :status, { ok: 0, timeout: 3 }` (a column's values)
        if parent.type in ("method", "singleton_method", "class", "module", "program", "assignment"):
            return False
    return False


def _server_settings(f: RubyFile, call: Node) -> bool:
    """Sinatra's ``set :server_settings, timeout: 25`` (or ``set :server_settings, { ... }``): options of
    the web server the app runs in (Puma, Thin: its idle connection timeout), no call the app makes
    (round 20, 0pdd)."""
    if f.method_of(call) != "set" or call.child_by_field_name("receiver") is not None:
        return False
    args = f.site(call).args
    return bool(args) and text(args[0].node) in (":server_settings", "'server_settings'", '"server_settings"')


# Geocoder lookups that read a local database file (no request): MaxMind's GeoLite2 / GeoIP2 files,
# ip2location's LITE file (`:maxmind_geoip2` is MaxMind's web service and not one of them)
LOCAL_GEOCODER = re.compile(r"^(?:\w*_)?geoip2$|^maxmind_local$|_local$|^ip2location_lite$")


def _local_geocoder(f: RubyFile, pair: Node) -> bool:
    """``Geocoder.configure(timeout: 15, ip_lookup: :geoip2, geoip2: { file: path })`` with no street
    ``lookup:``: the only lookup reads a local database, the timeout bounds no request (round 19,
    hackatime)."""
    if syntax.pair_key(pair) != "timeout" or pair.parent is None:
        return False
    call = pair.parent.parent if pair.parent.type == "argument_list" else (
        pair.parent.parent.parent if pair.parent.parent is not None else None)
    if call is None or call.type != "call" or _callee(f, call) != "Geocoder.configure":
        return False
    keys = {syntax.pair_key(c): c for c in pair.parent.named_children if c.type == "pair"}
    if "lookup" in keys or "ip_lookup" not in keys:
        return False
    lookup = syntax.symbol_name(keys["ip_lookup"].child_by_field_name("value"))
    return lookup is not None and LOCAL_GEOCODER.search(lookup) is not None and lookup != "maxmind_geoip2"


def _pool_checkout_options(pair: Node, holder: Node | None) -> bool:
    """``timeout:`` of a connection pool's options kept apart from ``ConnectionPool.new`` (config
    ``redis_pool_options: { size: 5, timeout: 3 }``, ``pool: { timeout: 5 }``, a local ``{ size: 5,
    timeout: 5 }``): the wait for a pooled object, no bound on a call."""
    if syntax.pair_key(pair) != "timeout" or pair.parent is None or pair.parent.type != "hash":
        return False
    if holder is not None and holder.type == "pair" and re.search(r"pool", syntax.pair_key(holder) or "", re.I):
        return True
    keys = {syntax.pair_key(c) for c in pair.parent.named_children if c.type == "pair"}
    return keys == {"size", "timeout"}


def _copied_option(value: Node, key: str) -> bool:
    """``@excon_options[:read_timeout] = @extra_options[:read_timeout]`` (also ``opts.fetch(:read_timeout)``
    without a default): the same option copied from a hash the method was handed, a value passed on
    (its source holds the setting), not one set here."""
    node = value
    if node.type == "call" and text(node.child_by_field_name("method")) in ("to_i", "to_f") \
            and node.child_by_field_name("receiver") is not None:
        node = node.child_by_field_name("receiver")
    if node.type == "element_reference":
        source = node.child_by_field_name("object")
        keys = [c for c in node.named_children if c != source]
    elif node.type == "call" and text(node.child_by_field_name("method")) in ("fetch", "dig"):
        source = node.child_by_field_name("receiver")
        args = node.child_by_field_name("arguments")
        keys = list(args.named_children) if args is not None else []
        if text(node.child_by_field_name("method")) == "fetch" and len(keys) != 1:
            return False  # `opts.fetch(:timeout, 5)`: a default of its own
    else:
        return False
    if source is None or source.type not in ("identifier", "instance_variable") or len(keys) != 1:
        return False
    return text(keys[-1]).lstrip(":").strip("'\"") == key


# Twilio's TwiML verbs: instructions the app returns to Twilio for a phone call (`<Gather
# timeout="15">` waits for the caller's digits, `<Dial timeout>` rings the callee, `<Record timeout>`
# waits for silence): a wait on a person, not a bound on a call the app makes.
TWIML_VERBS = frozenset({"gather", "dial", "record", "pause", "enqueue", "queue", "say", "play", "connect", "pay"})


def _twiml_verb(f: RubyFile, call: Node) -> bool:
    if f.method_of(call) not in TWIML_VERBS or b"twiml" not in f.data.lower():
        return False
    receiver = f.receiver_of(call)
    return bool(receiver) and not receiver[:1].isupper()  # `twiml.gather(...)`, `response.dial(...)`


def _headless_browser(pair: Node) -> bool:
    """``{ headless: true, window_size: [W, H], timeout: 30 }``: a headless browser's options (Ferrum,
    Cuprite), rendering on this machine (round 18, rubyevents)."""
    hash_node = pair.parent
    if hash_node is None or hash_node.type not in ("hash", "argument_list"):
        return False
    keys = {text(p.child_by_field_name("key") or p).rstrip(":").lstrip(":") for p in hash_node.named_children
            if p.type == "pair"}
    return "headless" in keys


def _local_process(f: RubyFile, call: Node) -> bool:
    """A command runner whose program (its first text argument) is no network client; also work an
    embedded engine or a local thread pool does (``IN_PROCESS``)."""
    if IN_PROCESS.search(_callee(f, call)):
        return True
    if not COMMAND_RUNNER.search(_callee(f, call)):
        return False
    args = f.site(call).args
    program = syntax.string_literal(args[0].node) if args else None
    if not program and args:
        program = _command_array_program(args[0].node)
    if not program:
        return False  # `execute(*cmd, timeout: 10)`: the program is not known here
    name = program.strip().split()[0].rsplit("/", 1)[-1] if program.strip() else ""
    return bool(name) and name not in NETWORK_PROGRAMS


def _command_array_program(arg: Node) -> str | None:
    """``execute_command(*command, timeout: 20)`` with ``command = ["tesseract", path, out]`` built
    before it in the same method: the program is the array's first text element (round 18)."""
    inner = arg.named_children[0] if arg.type == "splat_argument" and arg.named_child_count == 1 else arg
    if inner.type != "identifier":
        return None
    bound = syntax.local_assignment(text(inner), inner)
    if bound is None or bound.type != "array" or not bound.named_children:
        return None
    return syntax.string_literal(bound.named_children[0])


AWS_CLIENT_KEYS = frozenset({"credentials", "region", "endpoint", "stub_responses", "use_dualstack_endpoint",
                             "ssl_ca_bundle", "http_open_timeout", "http_read_timeout", "retry_mode"})


def _aws_call(f: RubyFile, pair: Node) -> bool:
    for parent in syntax.ancestors_of(pair):
        if parent.type == "call":
            return f.receiver_of(parent).startswith("Aws.")
        if parent.type == "hash" and re.search(rb"\bAws::\w+(?:::\w+)*::(?:Client|Resource)\.new\b", f.data):
            # (round 22, bosh-aws-cpi) `params = { credentials: ..., retry_limit: ..., region: ... }` built by
            # a method whose hash the file hands to `Aws::EC2::Client.new(params)`: the SDK client's options
            keys = {syntax.pair_key(p) for p in parent.named_children if p.type == "pair"}
            if keys & AWS_CLIENT_KEYS:
                return True
        if parent.type in ("method", "singleton_method", "class", "module", "program"):
            return False
    return False


def _keyword_of_own_method_r16(f: RubyFile, pair: Node) -> bool:
    """``pair`` is a keyword argument of a receiver-less call of a method this file defines."""
    parent = pair.parent
    if parent is None or parent.type != "argument_list":
        return False
    call = parent.parent
    if call is None or call.type != "call" or call.child_by_field_name("receiver") is not None:
        return False
    return text(call.child_by_field_name("method")) in f.defined_methods


def _retry(f: RubyFile, pair: Node, key: str, value: Node) -> Finding | None:
    """``max_retries: 2`` -> 3 attempts; Excon ``retry_limit: 4`` -> 4 attempts (AWS SDK: 4 -> 5)."""
    if key == "max_retries" and _keyword_of_own_method_r16(f, pair):
        # `execute_with_retry([..], max_retries: 10) { }` where this file defines execute_with_retry: the
        # project helper's own parameter, counted by what the helper does with it (rule c, wrapper calls)
        return None
    if key == "retry_limit":
        if _aws_call(f, pair):
            add, library = 1.0, "aws-sdk"
        elif b"Excon" in f.data:
            add, library = 0.0, "excon"
        else:
            return None
    elif key == "retry_on_failure":
        if value.type == "false":
            return None
        if value.type == "true":
            attrs = {"max_attempts": normalise_ms(ES_DEFAULT_RETRIES + 1), "backoff": None, "retry_on": None,
                     "mechanism": "client_config", "library": "elasticsearch-transport"}
            return f.finding("retry", pair, ID, attrs, "medium")
        add, library = 1.0, "elasticsearch-transport"
    elif key == "max_attempts":
        if not _aws_call(f, pair):
            return None  # a word many gems and apps use for their own counters
        add, library = 0.0, "aws-sdk"  # the standard/adaptive retry modes count every try
    elif key == "recovery_attempts":
        if b"Bunny" not in f.data:
            return None
        add, library = 1.0, "bunny"  # reconnects after the connection is lost
    elif key == "max_reconnect_attempts":
        if not re.search(rb"\bNATS\b", f.data):
            return None  # round 19 (bosh): nats-pure's reconnects after the connection is lost
        if value.type == "unary" and text(value).replace(" ", "") == "-1":
            attrs = {"max_attempts": None, "backoff": "fixed", "retry_on": None, "mechanism": "client_config",
                     "library": "nats"}
            return f.finding("retry", pair, ID, attrs, "medium")  # -1: reconnect forever
        add, library = 1.0, "nats"
    elif key == "max_network_retries":
        add, library = 1.0, "stripe"
    elif key in ("instance_profile_credentials_retries", "container_credentials_retries"):
        add, library = 1.0, "aws-sdk"  # retries of the credential fetch after the first
    else:
        add, library = 1.0, None
    if value.type == "nil" and key in ("max_retries", "max_network_retries"):
        return None
    if key == "reconnect_attempts" and value.type == "array":
        # redis-rb 5 / redis-client: `reconnect_attempts: [0, 0.25, 1]` is the list of delays before
        # each reconnect: as many reconnects as delays, after the first try
        attempts, pending = normalise_ms(len(value.named_children) + 1.0), ()
    else:
        attempts, pending = max_attempts(value, add=add)
        if attempts is None and not pending and value.type == "call" and library == "aws-sdk":
            # `retry_limit: @aws_config.max_retries` (round 22, bosh-aws-cpi): the config object's field,
            # its class's published default when it has one, else a retry of unknown count
            from extractors.ruby.wrappers import field_reference

            reference = field_reference(value)
            if reference is not None:
                pending = (Pending("max_attempts", BinOp("+", reference, Num(add)) if add else reference, 1.0),)
    if attempts is None and not pending and not (value.type == "element_reference" and key == "reconnect_attempts"):
        # (`reconnect_attempts: ::Redis::Client::DEFAULTS[:reconnect_attempts]`: set, to a value
        # the library holds: a retry of unknown count)
        return None
    attrs = {"max_attempts": attempts, "backoff": None, "retry_on": None, "mechanism": "client_config",
             "library": library}
    return f.finding("retry", pair, ID, attrs, "high" if not pending else "medium", pending=pending)


PG_SESSION_KEYS = ("statement_timeout", "lock_timeout")
PG_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|h|d)?\s*$")
PG_UNIT_MS = {None: 1.0, "ms": 1.0, "s": 1000.0, "min": 60000.0, "h": 3600000.0, "d": 86400000.0}


def _pg_duration_ms(value: Node) -> float | None:
    """A PostgreSQL duration: an integer is milliseconds, a string may carry a unit ("15s", "1min")."""
    if value.type == "integer":
        literal = text(value).replace("_", "")
    else:
        literal = syntax.string_literal(value)
    match = PG_DURATION.match(literal) if literal is not None else None
    if match is None:
        return None
    return float(match.group(1)) * PG_UNIT_MS[match.group(2)]


def _pg_session_timeout(f: RubyFile, pair: Node) -> Finding | None:
    """``establish_connection(..., variables: { statement_timeout: ENV["X"] || "15s" })``: the
    PostgreSQL session settings a Rails connection sets on every connection bound each query
    (statement) and each lock wait. Only inside a ``variables:`` hash; the migration tooling's
    ``StrongMigrations.statement_timeout = 1.hour`` is no session of the app."""
    holder = pair.parent.parent if pair.parent is not None and pair.parent.type == "hash" else None
    if holder is None or holder.type != "pair" or syntax.pair_key(holder) != "variables":
        return None
    value = pair.child_by_field_name("value")
    if value is None:
        return None
    ms = _pg_duration_ms(value)
    if ms is not None:
        attrs = {"timeout_ms": normalise_ms(ms), "phase": "total", "resolved_from": "literal",
                 "expression": text(value)}
        return f.finding("timeout", pair, ID, attrs, "high")
    env = syntax.to_expr(value)
    fallback = value.child_by_field_name("right") if value.type == "binary" and _operator_text(value) == "||" else None
    if fallback is None and value.type == "call" and f.method_of(value) == "fetch":
        site = syntax.call_site(value)
        fallback = site.args[1].node if len(site.args) > 1 else None
    default_ms = _pg_duration_ms(fallback) if fallback is not None else None
    if isinstance(env, Env) and default_ms is not None:
        pending = (Pending("timeout_ms", Env(env.var, Num(default_ms)), 1.0),)
        attrs = {"timeout_ms": None, "phase": "total", "resolved_from": "unresolved", "expression": text(value)}
        return f.finding("timeout", pair, ID, attrs, "medium", pending=pending)
    return None


SQL_CALLS = ("execute", "exec_query", "exec", "async_exec", "exec_params", "select_value", "select_one",
             "select_all", "query", "run")
SQL_SET = re.compile(r"\bSET\s+(?:LOCAL\s+|SESSION\s+)?(statement_timeout|lock_timeout)\s*(?:=|TO)\s*(.*)$",
                     re.IGNORECASE | re.DOTALL)
SQL_VALUE = re.compile(r"^['\"]?\s*(\d+(?:\.\d+)?)?\s*(ms|s|min|h)?\s*['\"]?\s*;?\s*$", re.IGNORECASE)


LIBPQ_OPTION = re.compile(r"-c\s*(statement_timeout|lock_timeout)\s*=\s*")


DATABASE_CONNECTION_KEYS = frozenset({"max_connections", "sslmode", "adapter", "encoding", "driver_options",
                                      "connect_max_retries", "database", "sql_log_level"})


def _database_connection_hash(pair: Node) -> bool:
    """The pair sits in a hash of a database connection's options (two of its keys name one)."""
    holder = pair.parent
    if holder is None or holder.type not in ("hash", "argument_list"):
        return False
    keys = {syntax.pair_key(p) for p in holder.named_children if p.type == "pair"}
    return len(keys & DATABASE_CONNECTION_KEYS) >= 2


def _libpq_option_strings(f: RubyFile) -> Iterable[Finding]:
    """libpq's connection ``options`` (``{ options: "-c statement_timeout=#{database_statement_timeout}s" }``
    handed to Sequel / pg as driver options, round 22 for pact-broker's round-21 request): the session's
    bound on each statement, a number (ms) or an interpolated value with its unit."""
    if b"statement_timeout=" not in f.data and b"lock_timeout=" not in f.data:
        return
    for node in walk(f.root):
        if node.type != "string" or _in_migration(f, node):
            continue
        raw = text(node)
        match = LIBPQ_OPTION.search(raw)
        if match is None or re.search(r"\bpsql\b|PGOPTIONS=", raw):
            continue  # `"PGOPTIONS='-c statement_timeout=60s' psql ..."` run over ssh: a command line (ubicloud)
        start = node.start_byte + match.end()
        rest = raw[match.end():]
        literal = re.match(r"^(\d+(?:\.\d+)?)\s*(ms|s|min|h)?\b", rest)
        if literal is not None:
            ms = float(literal.group(1)) * SQL_UNIT_MS[(literal.group(2) or "ms").lower()]
            if ms:
                attrs = {"timeout_ms": normalise_ms(ms), "phase": "total", "resolved_from": "literal",
                         "expression": rest.split()[0] if rest.split() else rest}
                yield f.finding("timeout", node, ID, attrs, "high")
            continue
        part = next((c for c in node.named_children if c.type == "interpolation" and c.start_byte == start), None)
        if part is None or not part.named_children:
            continue
        after = raw[part.end_byte - node.start_byte:]
        unit = re.match(r"^\s*(ms|s|min|h)\b", after, re.IGNORECASE)
        scale = SQL_UNIT_MS[unit.group(1).lower()] if unit else 1.0
        found = f.timeout(node, part.named_children[0], "total", ID, "pg", scale=scale)
        if found.kind == "timeout" and (found.attributes.get("timeout_ms") is not None or found.pending):
            yield found


def _sql_session_timeouts(f: RubyFile) -> Iterable[Finding]:
    """``connection.execute("SET LOCAL statement_timeout = '5s'")`` (also ``= 5000``, ``TO '1min'``,
    an interpolated ``'#{seconds}s'`` or ``#{quoted}``): the PostgreSQL session's bound on each
    statement (or lock wait) of the transaction/connection that follows. An integer is ms."""
    for call, node in _sql_set_sites(f):
        if _in_migration(f, call) or _restores_previous(call, node):
            continue
        raw = text(node)
        match = SQL_SET.search(raw.strip("'\""))
        if match is None:
            continue
        rest = match.group(2).strip().rstrip("\"").strip()
        interpolations = [c for c in node.named_children if c.type == "interpolation"]
        literal = SQL_VALUE.match(rest) if not interpolations else None
        if literal is not None and literal.group(1):
            unit = (literal.group(2) or "ms").lower()
            ms = float(literal.group(1)) * SQL_UNIT_MS[unit]
            if not ms:
                continue  # `SET statement_timeout = 0`: no bound (a task lifting it)
            attrs = {"timeout_ms": normalise_ms(ms), "phase": "total", "resolved_from": "literal", "expression": rest}
            yield f.finding("timeout", call, ID, attrs, "high")
            continue
        if len(interpolations) != 1:
            continue
        inner = interpolations[0].named_children[0] if interpolations[0].named_children else None
        if inner is None:
            continue
        after = raw[interpolations[0].end_byte - node.start_byte:]
        unit = re.match(r"^\s*(ms|s|min|h)\b", after, re.IGNORECASE)
        scale = SQL_UNIT_MS[unit.group(1).lower()] if unit else 1.0
        if inner.type == "call" and f.method_of(inner) == "quote" and f.site(inner).args:
            inner = f.site(inner).args[0].node  # `#{connection.quote statement_timeout_ms}`: the quoted value
        bound = syntax.local_assignment(text(inner), inner) if inner.type == "identifier" else None
        if bound is not None and bound.type == "call" and f.method_of(bound) == "quote":
            quoted = f.site(bound).args  # `quoted = connection.quote(x)` ... `= #{quoted}`
            inner = quoted[0].node if quoted else inner
            parts = [c for c in inner.named_children if c.type == "interpolation"] if inner.type == "string" else []
            if len(parts) == 1 and parts[0].named_children:
                # `connection.quote("#{timeout.seconds}s")`: the interpolated value, with its unit
                after = text(inner)[parts[0].end_byte - inner.start_byte:]
                quoted_unit = re.match(r"^\s*(ms|s|min|h)\b", after, re.IGNORECASE)
                scale = SQL_UNIT_MS[quoted_unit.group(1).lower()] if quoted_unit else 1.0
                inner = parts[0].named_children[0]
        source = text(inner)
        if inner.type == "identifier":
            local = syntax.local_assignment(source, inner)
            source += " " + (text(local) if local is not None else "")
        if DURATION_CALL.search(source):
            scale = 1000.0  # `timeout.in_milliseconds`, `10.minutes`: a duration, read in seconds
        yield f.timeout(call, inner, "total", ID, "postgres", scale=scale)


_READ_BACK = re.compile(r"\bshow\s+(?:statement|lock)_timeout\b|current_setting\(", re.IGNORECASE)


def _restores_previous(call: Node, sql: Node) -> bool:
    """``ensure connection.execute("SET statement_timeout = '#{current}'")`` with ``current = execute("show
    statement_timeout")`` read before the block: the session's earlier limit put back (round 21,
    pact-broker), no limit of its own. A restore to a configured value (``SET statement_timeout =
    #{Panoptes.pg_statement_timeout}`` in an ensure) sets that value for the connection's next
    queries and stays a setting (panoptes, e621ng)."""
    if not any(parent.type == "ensure" for parent in syntax.ancestors_of(call)):
        return False
    for interpolation in (c for c in sql.named_children if c.type == "interpolation"):
        inner = interpolation.named_children[0] if interpolation.named_children else None
        if inner is None or inner.type not in ("identifier", "instance_variable"):
            continue
        bound = syntax.local_assignment(text(inner), inner)
        if bound is not None and _READ_BACK.search(text(bound)):
            return True
    return False


def _in_migration(f: RubyFile, call: Node) -> bool:
    """A schema migration, or a project's migration base class (``class Efolder::Migration <
    ActiveRecord::Migration[5.2]`` raising statement_timeout around ``add_index``): migration tooling,
    as StrongMigrations' timeouts are (round 19: caseflow-efolder)."""
    if "db/migrate/" in f.path:
        return True
    for parent in syntax.ancestors_of(call):
        if parent.type == "class":
            superclass = parent.child_by_field_name("superclass")
            if superclass is not None and "ActiveRecord::Migration" in text(superclass):
                return True
    return False


def _sql_set_sites(f: RubyFile) -> Iterable[tuple[Node, Node]]:
    """The SQL text of ``connection.execute("SET ...")`` (its first argument), and of a project helper
    running it on a connection it is handed (``execute_compat(conn, "SET statement_timeout = ...")``:
    a string argument that is itself a ``SET statement_timeout``/``lock_timeout`` statement)."""
    for call in f.calls_named(*SQL_CALLS):
        args = f.site(call).args
        if args and args[0].node.type in ("string", "heredoc_body"):
            yield call, args[0].node
    for node in walk(f.root):
        if node.type != "call" or f.method_of(node) in SQL_CALLS:
            continue
        args = f.site(node).args
        for arg in args[1:]:
            if arg.node.type == "string" and SQL_SET.search(text(arg.node).strip("'\"")) \
                    and text(arg.node).lstrip("'\"").upper().startswith("SET"):
                yield node, arg.node
                break


DURATION_CALL = re.compile(r"\.(?:seconds?|minutes?|hours?|days?|in_milliseconds|in_seconds)\b")
SQL_UNIT_MS = {"ms": 1.0, "s": 1000.0, "min": 60000.0, "h": 3600000.0}


def _operator_text(node: Node) -> str:
    operator = node.child_by_field_name("operator")
    return text(operator) if operator is not None else ""


# `auth_request_timeout:`, `verification_request_timeout:`, `lookup_timeout_in_seconds:`: a client's own
# name for a request timeout, handed to a constructor (`Proofer.new(auth_request_timeout: 5)`).
NAMED_TIMEOUT = re.compile(r"^(?:(\w+)_)?timeout(?:_in)?(?:_(seconds|secs?|s|ms|millis|milliseconds))?$")
# Timeouts of something else than a call: a user's session, an idle pooled connection, a lock or a
# queue message's invisibility, a cache entry's life.
NOT_CALL_TIMEOUTS = re.compile(r"session|idle|keep_?alive|inactiv|pool|checkout|lock|visibility|cache|ttl|expir|"
                               r"lease|heartbeat|ui|page|animation|job|worker|shutdown|kill|cancel|grace|boot|spawn|stale|"
                               r"wait_polling|polling|otp|sms|login|password|token|link|invite|confirm", re.IGNORECASE)


# Constructors of settings bags, not clients.
SETTINGS_HOLDERS = re.compile(r"(?:Mash|OpenStruct|OrderedOptions|InheritableOptions|Struct|Hash|Data|Config|"
                              r"Configuration|Settings|Options)$")


def _named_timeout(f: RubyFile, pair: Node, key: str) -> Finding | None:
    """A ``<what>_timeout:`` keyword of ``Client.new(...)`` (a project or SDK class) other than the
    names every gem shares: that client's request timeout (connect / read when its name says so)."""
    match = NAMED_TIMEOUT.match(key) if key else None
    if match is None or not match.group(1) or NOT_CALL_TIMEOUTS.search(key) or not _client_constructor(f, pair):
        return None
    holder = pair.parent
    while holder is not None and holder.type != "call":
        holder = holder.parent
    if holder is not None and SETTINGS_HOLDERS.search(f.receiver_of(holder)):
        return None  # `Hashie::Mash.new(answer_timeout_in_seconds: 120)`: a settings bag, read elsewhere
    value = pair.child_by_field_name("value")
    if value is None or _excluded_call(f, pair) or (_forwarded(value, key) and not _parameter_to_client(f, pair, value)):
        return None
    words = match.group(1)
    phase = "connect" if re.search(r"open|connect", words) else "read" if "read" in words else \
        "write" if "write" in words else "total"
    unit = match.group(2) or ""
    if unit.startswith("m"):
        return f.timeout(pair, value, phase, ID, "client", scale=1.0)
    return _finding(f, pair, value, phase)


def _finding(f: RubyFile, anchor: Node, value: Node, phase: str) -> Finding | None:
    literal = syntax.string_literal(value)
    resolved = "literal"
    if literal is None and value.type in ("constant", "scope_resolution"):
        # `timeout: TIMEOUT` with `TIMEOUT = '400ms'.freeze` in this file: Elasticsearch/OpenSearch's
        # duration text, read as written (a number constant stays for the pipeline, in seconds)
        own = f.constants.get(syntax.callee_text(value))
        if isinstance(own, Str) and DURATION_TEXT.match(own.value):
            literal, resolved = own.value, "constant"
    if literal is not None:
        match = DURATION_TEXT.match(literal)
        if match is None:
            return None
        ms = normalise_ms(float(match.group(1)) * UNIT_SECONDS[match.group(2)] * 1000.0)
        attrs = {"timeout_ms": ms, "phase": phase, "resolved_from": resolved, "expression": text(value)}
        return f.finding("timeout", anchor, ID, attrs, "high")
    interpolated = _interpolated_duration(value)
    if interpolated is not None:
        # `timeout: "#{CurrentUser.user.try(:statement_timeout) || 3_000}ms"` (round 21, e621ng): an
        # Elasticsearch/OpenSearch duration built from one value and a unit: that value, in the unit
        inner, unit = interpolated
        return f.timeout(anchor, inner, phase, ID, "client", scale=UNIT_SECONDS[unit] * 1000.0)
    if value.type in ("true", "false", "simple_symbol", "hash", "array", "lambda", "regex"):
        return None
    if value.type == "call" and f.method_of(value) in TEXT_HELPERS:
        return None  # `t("...", timeout: distance_of_time_in_words(...))`: a text for a page
    value = _cap_over_remaining(f, value) or value
    return f.timeout(anchor, value, phase, ID, "client")


def _telnet_option(f: RubyFile, pair: Node) -> bool:
    """The pair is an option of ``Net::Telnet.new(...)``."""
    holder = pair.parent
    while holder is not None and holder.type in ("argument_list", "hash"):
        holder = holder.parent
    return holder is not None and holder.type == "call" and f.method_of(holder) == "new" \
        and f.receiver_of(holder) in ("Net.Telnet", "Telnet")


def _interpolated_duration(value: Node) -> tuple[Node, str] | None:
    """``"#{expr}ms"``: a string of one interpolation followed by a duration unit -> (expr, unit)."""
    if value.type != "string" or value.named_child_count != 2:
        return None
    interpolation, rest = value.named_children
    if interpolation.type != "interpolation" or rest.type != "string_content":
        return None
    unit = text(rest).strip()
    inner = [c for c in interpolation.named_children if c.type != "comment"]
    if unit not in UNIT_SECONDS or len(inner) != 1:
        return None
    return inner[0], unit


def _cap_over_remaining(f: RubyFile, value: Node) -> Node | None:
    """``[CONNECT_TIMEOUT, remaining].min`` with ``remaining`` what is left of a deadline: the call's
    own cap (the deadline is reported where it is checked), or None."""
    if value.type != "call" or f.method_of(value) != "min" or value.child_by_field_name("arguments") is not None:
        return None
    receiver = value.child_by_field_name("receiver")
    if receiver is None or receiver.type != "array":
        return None
    kept = [item for item in receiver.named_children if not _time_left(item)]
    return kept[0] if len(kept) == 1 and len(receiver.named_children) > 1 else None


# Helpers that make text for a page or a message: an interpolation value named `timeout`, no bound.
TEXT_HELPERS = frozenset({"distance_of_time_in_words", "time_ago_in_words", "distance_of_time_in_words_to_now",
                          "pluralize", "number_to_human", "humanize", "to_sentence", "strftime", "l", "t"})


@ruby_detector(ID, ("timeout", "missing_timeout", "retry"),
               valid=("fetch(url, timeout: timeout)\n", "Regexp.new(pattern, timeout: 0.1)\n",
                      "# client.timeout = 5\n", "worker_timeout 60\n", "msg = 'read_timeout: 5'\n",
                      "def initialize(timeout)\n  @timeout = timeout\nend\n",
                      "sig { params(timeout: Integer).void }\n", "def initialize(max_retries: 3)\nend\n",
                      "def settings\n  { timeout: 30, retries: 0 }\nend\n",
                      "options = { timeout: 5 }\nputs(options)\n"),
               invalid=("Pwned::Password.new(pw, request_options: { read_timeout: 3 })\n",
                        "s = Sponge.new\ns.timeout = 10\n", "config[:open_timeout] = 5\n",
                        "search(body: q.merge(timeout: '2s'))\n", "Client.new(max_retries: 2)\n",
                        "def options\n  { read_timeout: 3 }\nend\n\ndef client\n  Sponge.new(options)\nend\n",
                        "settings = { timeout: 5 }\nGeocoder.configure(settings)\n"))
def detect(f: RubyFile) -> Iterable[Finding]:
    # Hash keys: Client.new(read_timeout: 3), request_options: { open_timeout: 3 }, [:store, { socket_timeout: 1 }]
    for pair in walk(f.root):
        if pair.type != "pair":
            continue
        key = syntax.pair_key(pair)
        if key in ("open", "read") and _kubeclient_timeouts(f, pair):
            # kubeclient: `Kubeclient::Client.new(url, "v1", timeouts: { open: 10, read: 60 })` (seconds)
            value = pair.child_by_field_name("value")
            if value is not None and not _excluded_call(f, pair):
                found = f.timeout(pair, value, "connect" if key == "open" else "read", ID, "kubeclient")
                if found.kind == "timeout":
                    yield found
            continue
        if key == "Timeout" and _telnet_option(f, pair):
            # Net::Telnet's `'Timeout' => conf["timeout"] || 5` (seconds; the connect and each wait for
            # output), round 21 (cartodb's open request)
            value = pair.child_by_field_name("value")
            if value is not None:
                found = f.timeout(pair, value, "total", ID, "net-telnet")
                if found.kind == "timeout":
                    yield found
            continue
        if key in PG_SESSION_KEYS:
            found = _pg_session_timeout(f, pair)
            if found is not None:
                yield found
            continue
        if key == "deadline":
            found = _grpc_deadline(f, pair)
            if found is not None:
                yield found
            continue
        if key == "timeout_seconds":
            found = _advisory_lock(f, pair)
            if found is not None:
                yield found
            continue
        if key in REDLOCK_KEYS:
            found = _redlock_option(f, pair, key)
            if found is not None:
                yield found
            continue
        if key in SEARCH_MS_KEYS:
            value = pair.child_by_field_name("value")
            if value is not None and not _forwarded(value, key) and not _excluded_call(f, pair):
                found = f.timeout(pair, value, SEARCH_MS_KEYS[key], ID, "sphinx", scale=1.0)
                if found.kind == "timeout":
                    yield found
            continue
        if key in MS_KEYS:
            value = pair.child_by_field_name("value")
            if value is not None and not _forwarded(value, key) and not _excluded_call(f, pair) \
                    and not _local_hash(f, pair) and b"Bunny" in f.data:
                found = f.timeout(pair, value, MS_KEYS[key], ID, "client", scale=1.0)
                if found.kind == "timeout":
                    yield found
            continue
        if key in CURL_MS_KEYS:
            value = pair.child_by_field_name("value")
            if value is not None and not _forwarded(value, key) and not _excluded_call(f, pair) \
                    and not _local_hash(f, pair) and not _unused_return(f, pair):
                found = f.timeout(pair, value, CURL_MS_KEYS[key], ID, "client", scale=1.0)
                if found.kind == "timeout":
                    yield found
            continue
        if key == "pool_timeout" and _database_connection_hash(pair):
            # Sequel's connection option (`pool_timeout: database_pool_timeout` beside max_connections /
            # sslmode / driver_options; round 22, the round-21 pact-broker request): the wait for a connection
            # of the database driver's pool, as the conventions count pool acquire waits
            value = pair.child_by_field_name("value")
            if value is not None and not _forwarded(value, key):
                found = f.timeout(pair, value, "total", ID, "sequel")
                if found.kind == "timeout" and (found.attributes.get("timeout_ms") is not None or found.pending):
                    yield found
            continue
        if key not in KEYS and key not in RETRY_KEYS:
            found = _named_timeout(f, pair, key)
            if found is not None:
                yield found
            continue
        value = pair.child_by_field_name("value")
        if value is None and key in KEYS:
            found = _shorthand(f, pair, key)  # `timeout:` (Ruby 3.1): the parameter of that name
            if found is not None:
                yield found
            continue
        if key in KEYS and _own_method_call(f, pair):
            continue  # `cancel(timeout: 1)` of a method of this file: read there (ruby.wrapper_call)
        if value is None or (_forwarded(value, key) and not _parameter_to_client(f, pair, value)) \
                or _excluded_call(f, pair) or _local_hash(f, pair) or _unused_return(f, pair) \
                or _headless_browser(pair) or (key in KEYS and _interpolated_only(f, pair, key)):
            continue
        if key in RETRY_KEYS:
            found = _retry(f, pair, key, value)
            if found is not None:
                yield found
            continue
        found = _finding(f, pair, value, KEYS[key])
        if found is not None:
            yield found

    yield from _sql_session_timeouts(f)
    yield from _libpq_option_strings(f)
    yield from _timeout_hook_overrides(f)

    # Writers: sponge.timeout = 10, config[:read_timeout] = 5
    for match in f.setters:
        receiver = match.get("receiver", [None])[0]
        attr = match.get("attr", [None])[0]
        if receiver is None or attr is None:
            continue
        key = text(attr).lstrip(":")
        if key == "reconnect_attempts" and match["assign"][0].child_by_field_name("left") is not None \
                and match["assign"][0].child_by_field_name("left").type == "element_reference":
            # `config[:reconnect_attempts] = intervals`: a redis(-client) option built into a hash
            # (the key names no other client's setting); an array of sleeps makes len + 1 attempts
            attempts, pending = max_attempts(match["value"][0], add=1.0)
            attrs = {"max_attempts": attempts, "backoff": None, "retry_on": None,
                     "mechanism": "client_config", "library": "redis"}
            yield f.finding("retry", match["assign"][0], ID, attrs, "medium", pending=pending)
            continue
        if key == "recovery_attempts" and match["assign"][0].child_by_field_name("left") is not None \
                and match["assign"][0].child_by_field_name("left").type == "element_reference" \
                and re.search(rb"automatic_recovery|recover_from_connection_close|Bunny", f.data) \
                and not _copied_option(match["value"][0], key):
            # `options[:recovery_attempts] = settings[:amqp_recovery_attempts]` beside
            # `options[:automatic_recovery] = true`: Bunny's reconnects after a lost connection (N + 1)
            attempts, pending = max_attempts(match["value"][0], add=1.0)
            attrs = {"max_attempts": attempts, "backoff": "fixed", "retry_on": None,
                     "mechanism": "client_config", "library": "bunny"}
            yield f.finding("retry", match["assign"][0], ID, attrs, "medium", pending=pending)
            continue
        if key == "max_retries" and _sidekiq_config(receiver):
            # Sidekiq.default_configuration[:max_retries] = 4: every job's retries after its first run
            attempts, pending = max_attempts(match["value"][0], add=1.0)
            attrs = {"max_attempts": attempts, "backoff": "exponential", "retry_on": None,
                     "mechanism": "client_config", "library": "sidekiq"}
            yield f.finding("retry", match["assign"][0], ID, attrs, "high" if not pending else "medium",
                            pending=pending)
            continue
        if key == "retry" and match["value"][0].type == "true" and receiver.type == "identifier" \
                and _block_owner(receiver) == "ZendeskAPI.Client.new":
            # zendesk_api's Retry middleware: on 429/503 it sleeps for Retry-After and sends once more
            attrs = {"max_attempts": normalise_ms(2.0), "backoff": "fixed", "retry_on": None,
                     "mechanism": "client_config", "library": "zendesk_api"}
            yield f.finding("retry", match["assign"][0], ID, attrs, "high")
            continue
        setter_retry = _setter_retry(f, receiver, key, match["assign"][0])
        if setter_retry is not None:
            add, library = setter_retry
            attempts, pending = max_attempts(match["value"][0], add=add)
            if attempts is not None or pending:
                attrs = {"max_attempts": attempts, "backoff": None, "retry_on": None,
                         "mechanism": "client_config", "library": library}
                yield f.finding("retry", match["assign"][0], ID, attrs, "high" if not pending else "medium",
                                pending=pending)
            continue
        if key == "page_load" and text(receiver).endswith("timeouts"):
            key = "timeout"  # Selenium: driver.manage.timeouts.page_load = 30
        if key not in SETTER_KEYS or syntax.callee_text(receiver) in TOOLING:
            continue
        if _data_bag(receiver) and not _hash_handed_on(f, receiver, match["assign"][0]):
            continue
        value = match["value"][0]
        if _time_left(value):
            continue  # `datum[:read_timeout] = time_left` (deadline - now): a budget handed down, set where it is made
        if _copied_option(value, key) and match["assign"][0].child_by_field_name("left") is not None \
                and match["assign"][0].child_by_field_name("left").type == "element_reference":
            continue  # `opts[:read_timeout] = @extra_options[:read_timeout]`: handed on from another options hash
        if _restores_saved(match["assign"][0], value):
            continue  # `api.options[:timeout] = previous_timeout`, saved from that option: the old value put back
        if key == "timeouts" and value.type in ("constant", "scope_resolution"):
            value = _constant_array(f, value) or value  # TIMEOUTS = [0.5] in this file
        if key == "timeouts" and value.type == "array" and value.named_child_count:
            value = value.named_children[0]  # [3, 3, 3]: three tries of 3 s each
        found = _finding(f, match["assign"][0], value, SETTER_KEYS[key])
        if found is not None and key == "timeouts":
            # `resolver.timeouts = Setting[:dns_timeout]`: a list of per-try timeouts kept elsewhere,
            # the first try's (published as `<name>.$first` beside the list)
            found = replace(found, pending=tuple(replace(p, expr=_first_of(p.expr)) if p.attribute == "timeout_ms"
                                                 else p for p in found.pending))
        if found is not None:
            yield found

    # A client's own default: @timeout = MAX_TIME (a literal or a constant, not a parameter)
    for node in walk(f.root):
        if node.type != "assignment":
            continue
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if left is None or right is None or left.type != "instance_variable" or text(left)[1:] not in KEYS:
            continue
        if right.type == "binary":
            # `def initialize(name, options = {}) @timeout = options[:timeout] || 45`: the client's own
            # default when the options give none (round 19, bosh's agent client); in a constructor only
            method = syntax.enclosing(node, ("method",))
            if method is None or text(method.child_by_field_name("name")) != "initialize" \
                    or fallback_default(right) is None:
                continue
        elif right.type not in ("integer", "float", "constant", "scope_resolution", "call", "nil"):
            continue
        if right.type == "call" and syntax.settle(syntax.to_expr(right)) is None:
            continue  # @timeout = options.fetch(:timeout): plumbing, not a setting
        if _bounds_later_in_method(node, text(left)):
            continue  # `@timeout = 1 ... Timeout.timeout(@timeout) { }`: the bound is read where it is used
        found = _finding(f, node, right, KEYS[text(left)[1:]])
        if found is not None:
            yield found


def _bounds_later_in_method(assignment: Node, name: str) -> bool:
    """``@timeout = 1`` in a method (not a constructor) that then hands ``@timeout`` to
    ``Timeout.timeout``: a local value of that method, reported (with this value) at its use."""
    method = syntax.enclosing(assignment, ("method", "singleton_method"))
    if method is None or text(method.child_by_field_name("name")) == "initialize":
        return False
    for node in walk(method):
        if node.type != "instance_variable" or text(node) != name or node.start_byte < assignment.end_byte:
            continue
        args = node.parent
        call = args.parent if args is not None and args.type == "argument_list" else None
        if call is not None and call.type == "call" and text(call.child_by_field_name("method")) == "timeout" \
                and syntax.callee_text(call.child_by_field_name("receiver")) == "Timeout":
            return True
    return False


def _sidekiq_config(receiver: Node) -> bool:
    """``Sidekiq.default_configuration[...]`` or the ``config`` of ``Sidekiq.configure_server do |config|``
    (``configure_client``, ``configure_embed``)."""
    if "Sidekiq" in syntax.callee_text(receiver):
        return True
    if receiver.type != "identifier":
        return False
    block = syntax.enclosing(receiver, ("block", "do_block"))
    while block is not None:
        call = block.parent
        params = next((c for c in block.named_children if c.type == "block_parameters"), None)
        if call is not None and call.type == "call" and syntax.callee_text(call).startswith("Sidekiq.configure") \
                and params is not None and text(receiver) in [text(c) for c in params.named_children]:
            return True
        block = syntax.enclosing(block, ("block", "do_block"))
    return False


# redlock-rb: `Redlock::Client.new(servers, retry_count: 3, retry_delay: 200, redis_timeout: 0.1)`, also
# activejob-uniqueness's `config.redlock_options = { retry_count: 0 }`: retry_count counts the retries
# of a lock acquisition (N + 1 tries), redis_timeout bounds each Redis call (seconds).
REDLOCK_KEYS = ("retry_count", "redis_timeout")


ADVISORY_LOCKS = frozenset({"with_advisory_lock", "with_advisory_lock!", "with_advisory_lock_result"})


def _advisory_lock(f: RubyFile, pair: Node) -> Finding | None:
    """``Model.with_advisory_lock(name, timeout_seconds: 30) { ... }`` (the with_advisory_lock gem): the
    wait for a database lock another process holds (seconds; 0 is one try without waiting: not reported). The Ruby 3.1 shorthand
    ``timeout_seconds:`` reads the method's parameter, else the class's field of that name (a constructor
    parameter its callers fill: the field, for ``wrappers``)."""
    args = pair.parent
    call = args.parent if args is not None and args.type == "argument_list" else None
    if call is None or call.type != "call" or f.method_of(call) not in ADVISORY_LOCKS:
        return None
    value = pair.child_by_field_name("value")
    if value is not None:
        found = f.timeout(pair, value, "total", ID, "with_advisory_lock")
    elif _is_parameter("timeout_seconds", pair):
        found = _shorthand_parameter(f, pair, "timeout_seconds", "total")
    else:
        default = field_default("timeout_seconds", pair)
        number = syntax.settle(syntax.to_expr(default)) if default is not None else None
        attrs = {"timeout_ms": normalise_ms(number * 1000.0) if number is not None else None, "phase": "total",
                 "resolved_from": "default" if number is not None else "unresolved", "expression": "@timeout_seconds"}
        found = f.finding("timeout", pair, ID, attrs, "medium")
    # `timeout_seconds: 0`: one try for the lock, no wait (a job skipping work another holds): no bound
    return None if found.attributes.get("timeout_ms") == 0 else found


def _redlock_option(f: RubyFile, pair: Node, key: str) -> Finding | None:
    container = pair.parent
    holder = container.parent if container is not None and container.type in ("hash", "argument_list") else None
    if holder is not None and holder.type == "argument_list":
        holder = holder.parent
    if holder is None:
        return None
    if holder.type == "assignment":
        if not text(holder.child_by_field_name("left")).endswith("redlock_options"):
            return None
    elif holder.type != "call" or not syntax.callee_text(holder).endswith("Redlock.Client.new"):
        return None
    value = pair.child_by_field_name("value")
    if value is None or _forwarded(value, key):
        return None
    if key == "redis_timeout":
        found = f.timeout(pair, value, "total", ID, "redlock")
        return found if found.kind == "timeout" else None
    attempts, pending = max_attempts(value, add=1.0)
    if attempts is None and not pending:
        return None
    attrs = {"max_attempts": attempts, "backoff": "fixed", "retry_on": None, "mechanism": "client_config",
             "library": "redlock"}
    return f.finding("retry", pair, ID, attrs, "high" if not pending else "medium", pending=pending)


def _constant_array(f: RubyFile, constant: Node) -> Node | None:
    """The array literal this file assigns to the constant (``TIMEOUTS = [0.50].freeze``)."""
    name = syntax.callee_text(constant).split(".")[-1]
    for node in walk(f.root):
        if node.type == "assignment" and text(node.child_by_field_name("left")) == name:
            right = node.child_by_field_name("right")
            while right is not None and right.type == "call" and f.method_of(right) == "freeze":
                right = right.child_by_field_name("receiver")
            return right if right is not None and right.type == "array" else None
    return None


def _first_of(expr):
    """A setting's name -> the name of its first element (``Setting.dns_timeout.$first``)."""
    from contract_discovery.values import Call, Ref

    if isinstance(expr, Ref) and "." in expr.name:
        return Call("coalesce", (Ref(expr.name + ".$first"), Call("first", (expr,))))
    if isinstance(expr, Ref) and expr.name[:1].isupper():
        return Call("first", (expr,))  # `resolver.timeouts = DNS_TIMEOUTS` with `DNS_TIMEOUTS = [2, 4]`
    if isinstance(expr, Call):
        return Call(expr.func, tuple(_first_of(a) for a in expr.args), expr.kwargs)
    return expr


def _restores_saved(assign: Node, value: Node) -> bool:
    """``previous = client.options[:timeout]; client.options[:timeout] = seconds; yield;
    client.options[:timeout] = previous``: the last write puts back what the method saved from the
    same option (a value set elsewhere, or the library's default), it sets nothing of its own."""
    left = assign.child_by_field_name("left")
    if value.type != "identifier" or left is None:
        return False
    saved = syntax.local_assignment(text(value), value)
    return saved is not None and text(saved) == text(left)


def _setter_retry(f: RubyFile, receiver: Node, key: str, assign: Node) -> tuple[float, str | None] | None:
    """(what to add to the written number, library) of a retry-count writer, or None:
    ``Stripe.max_network_retries = 2`` -> 3 attempts; ``http.max_retries = 0`` (Net::HTTP's retry of
    an idempotent request, 1 by default) -> 1; google-api-client's
    ``Google::Apis::RequestOptions.default.retries = 5`` / ``service.request_options.retries = 3`` ->
    N + 1; ``Retriable.configure { |c| c.tries = 5 }`` -> 5 (it counts every try). Attribute writers
    only: ``settings[:max_retries] = 4`` fills a hash of no known client."""
    value, left = assign.child_by_field_name("right"), assign.child_by_field_name("left")
    if value is None or value.type in ("nil", "true", "false") or left is None or left.type != "call" \
            or _data_bag(receiver):
        return None
    owner = syntax.callee_text(receiver)
    if key == "max_network_retries":
        return 1.0, "stripe"
    if key == "max_retries" and "Sidekiq" not in owner:
        return 1.0, None
    if key == "retries" and owner.endswith(("request_options", "RequestOptions.default")):
        return 1.0, "google-api-client"
    if key == "tries" and receiver.type == "identifier" and _block_owner(receiver).startswith("Retriable.configure"):
        return 0.0, "retriable"
    if key == "connection_attempts" and receiver.type == "identifier" and _block_owner(receiver) == "Truemail.configure":
        return 0.0, "truemail"  # "Total of connection attempts" (the gem's own words; 2 by default)
    return None


# `remaining_time(deadline)`, `time_left(deadline)`, `seconds_until(deadline)`: a helper computing what is
# left of a deadline it is handed.
REMAINING_HELPER = re.compile(r"remaining|time_?left|left_until|seconds_until|until_deadline", re.IGNORECASE)


def _time_left(value: Node) -> bool:
    """``time_left = datum[:deadline] - Time.zone.now``: what remains of a deadline kept elsewhere
    (also ``remaining = remaining_time(deadline)``, a helper handed the deadline)."""
    if value.type == "identifier":
        value = syntax.local_assignment(text(value), value) or value
    if value.type == "call" and REMAINING_HELPER.search(text(value.child_by_field_name("method")) or "") \
            and "deadline" in text(value.child_by_field_name("arguments") or value).lower():
        return True
    if value.type != "binary" or syntax._operator(value) != "-":
        return False
    right = value.child_by_field_name("right")
    return right is not None and right.type == "call" and syntax.callee_text(right) in NOW


def _block_owner(receiver: Node) -> str:
    """The call whose block ``receiver`` (the block's parameter) sits in, as callee text:
    ``Truemail.configure`` for ``Truemail.configure do |config| config.x = 1 end``, ``ZendeskAPI.Client.new``
    for ``ZendeskAPI::Client.new do |config| ... end``; "" outside a block."""
    block = syntax.enclosing(receiver, ("block", "do_block"))
    call = block.parent if block is not None else None
    return syntax.callee_text(call) if call is not None and call.type == "call" else ""


def drop_covered(findings: list[Finding]) -> list[Finding]:
    """This detector's findings minus those another detector already reports (same kind and
    phase, within the other finding's lines): the library detectors know more (target, default)."""
    # (not the keyword heuristics of repeat_call / wrapper_call: a `*_retries:` keyword of the same
    # call is no reading of this detector's option)
    others = [f for f in findings if f.detector not in (ID, "ruby.repeat_call", "ruby.wrapper_call")
              and f.kind in ("timeout", "missing_timeout", "retry")]
    kept = []
    for finding in findings:
        if finding.detector == ID and any(
                o.kind == finding.kind and o.path == finding.path and o.line <= finding.line <= o.end_line
                and o.attributes.get("phase") == finding.attributes.get("phase")
                and o.attributes.get("expression") in (None, finding.attributes.get("expression"))
                for o in others):
            continue
        kept.append(finding)
    return kept


HOOK_NAMES = ("timeout", "read_timeout", "open_timeout", "connect_timeout", "write_timeout", "request_timeout")


def _timeout_hook_overrides(f: RubyFile) -> Iterable[Finding]:
    """``class UserFilestoreAdapter; include Platform::Connection; def read_timeout; READ_TIMEOUT; end``:
    a class that takes its client from a mixin or a superclass (another file: ``conn.options.read_timeout
    = read_timeout``) and overrides the hook the client's timeout is read from, with a number, a
    duration or a constant. Reported at the def line (as Delayed Job's ``def max_attempts`` is). Not when
    this file reads the name itself (the setter there is reported with the value), nor in a module (the
    mixin's own default hook is read where its client takes it), nor for a method with parameters."""
    from extractors.ruby.detectors.job_retry import _only_value

    for node in walk(f.root):
        if node.type != "method":
            continue
        name = text(node.child_by_field_name("name"))
        if name not in HOOK_NAMES:
            continue
        klass = syntax.enclosing(node, ("class", "module"))
        if klass is None or klass.type != "class" or syntax.enclosing(node, ("method",)) is not None:
            continue
        value = _only_value(node)
        if value is None or value.type not in ("integer", "float", "constant", "scope_resolution", "call"):
            continue
        if value.type == "call" and (value.child_by_field_name("receiver") is None
                                     or value.child_by_field_name("receiver").type not in ("integer", "float")):
            continue  # only a duration (`90.seconds`), not another object's value
        if not _takes_client_from_elsewhere(klass):
            continue
        uses = re.findall(rb"(?<![\w@$:.])" + re.escape(name.encode()) + rb"\b(?!\s*[:=(])", f.data)
        if len(uses) > 1:
            continue  # read in this file too: the setter reading it is reported there
        found = f.timeout(node, value, KEYS[name], ID, "client")
        if found.kind == "timeout" and (found.attributes.get("timeout_ms") is not None or found.pending):
            yield found


def _takes_client_from_elsewhere(klass: Node) -> bool:
    """The class includes a module or has a superclass (where its client is built)."""
    if klass.child_by_field_name("superclass") is not None:
        return True
    return any(node.type == "call" and text(node.child_by_field_name("method") or node) in ("include", "prepend")
               and syntax.enclosing(node, ("method",)) is None for node in walk(klass))


def _kubeclient_timeouts(f: RubyFile, pair: Node) -> bool:
    """The pair sits in the ``timeouts:`` hash of a kubeclient client (``Kubeclient::Client.new``)."""
    holder = pair.parent.parent if pair.parent is not None else None
    return holder is not None and holder.type == "pair" and syntax.pair_key(holder) == "timeouts" \
        and b"Kubeclient" in f.data

