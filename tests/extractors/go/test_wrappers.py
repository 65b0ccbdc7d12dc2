"""Values handed to the project's own Go helpers in another package (go.wrapper_call): proposed at
the call, kept and valued only when the helper's file publishes that parameter as a timeout or a
retry bound."""

from __future__ import annotations

import shutil
from pathlib import Path

from contract_discovery.pipeline import scan
from contract_discovery.values import BinOp, Num, Ref, Str
from extractors.go.extractor import EXTRACTOR
from tests.extractors.go.conftest import FIXTURES

WRAPPERS = FIXTURES / "wrappers"


def _service(tmp_path: Path) -> Path:
    shop = tmp_path / "shop"
    shutil.copytree(WRAPPERS, shop)
    (shop / "go.mod").write_text("module example.com/shop\n\ngo 1.22\n")
    # no word the prefilter knows: read because it mentions a published helper (Retry)
    (shop / "orders" / "sync.go").write_text(
        "package orders\n\nimport \"example.com/shop/httputil\"\n\n"
        "func Sync(op func() error) error { return httputil.Retry(op, 5, 0) }\n")
    return tmp_path


def _got(tmp_path: Path, monkeypatch=None) -> list[tuple]:
    result = scan(_service(tmp_path), jobs=1, cache_dir=tmp_path / ".cache")
    return sorted((f.path.split("/", 1)[1], f.line, f.kind,
                   f.attributes.get("timeout_ms", f.attributes.get("max_attempts")), f.detector)
                  for f in result.findings if f.kind in ("timeout", "retry"))


def test_helper_calls_across_packages_carry_the_values_they_hand_over(tmp_path: Path, monkeypatch) -> None:
    # the helpers' own forwarding lines are listed too: kept (marked) where the pipeline drops forwarders
    monkeypatch.setenv("CD_MARK_FORWARDERS", "1")
    assert _got(tmp_path) == [
        ("cache/cache.go", 25, "timeout", None, "go.context_timeout"),  # fields the constructor fills
        ("cache/cache.go", 28, "retry", None, "go.retry"),
        ("cache/live.go", 25, "timeout", None, "go.http_client"),  # a clamped parameter is still the caller's
        ("cache/live.go", 33, "retry", None, "go.retry"),
        ("cache/ready.go", 21, "timeout", None, "go.select_timeout"),  # the first of a variadic parameter ...
        ("cache/ready.go", 28, "timeout", 2000, "go.wrapper_call"),  # ... is what the caller hands it
        ("httputil/httputil.go", 15, "timeout", None, "go.http_client"),  # the helpers' own lines: callers decide
        ("httputil/httputil.go", 25, "timeout", None, "go.http_client"),
        ("httputil/httputil.go", 32, "retry", None, "go.retry"),
        ("httputil/httputil.go", 53, "timeout", None, "go.context_timeout"),
        ("httputil/httputil.go", 62, "retry", None, "go.retry"),
        ("httputil/httputil.go", 73, "timeout", None, "go.context_timeout"),
        ("httputil/httputil.go", 83, "timeout", None, "go.http_client"),  # a default filled in when none is handed
        ("orders/chain.go", 13, "timeout", 2000, "go.wrapper_call"),  # GetJSON only hands it on to Post
        ("orders/chain.go", 14, "timeout", 4000, "go.wrapper_call"),  # seconds, made a duration two helpers down
        ("orders/chain.go", 15, "retry", 3, "go.wrapper_call"),  # RetryTwice hands Retry retries + 1
        ("orders/chain.go", 21, "retry", 4, "go.wrapper_call"),  # NewCache's fields bound Get's loop ...
        ("orders/chain.go", 21, "timeout", 3000, "go.wrapper_call"),  # ... and its deadline
        ("orders/chain.go", 35, "retry", None, "go.wrapper_call"),  # flag values (their defaults are elsewhere)
        ("orders/chain.go", 35, "timeout", None, "go.wrapper_call"),
        ("orders/chain.go", 46, "retry", 3, "go.wrapper_call"),  # NewLive's loop tries once more than it is told
        ("orders/chain.go", 46, "timeout", 2000, "go.wrapper_call"),  # ms per unit
        ("orders/chain.go", 47, "retry", None, "go.wrapper_call"),  # settings handed over, converted: null here
        ("orders/chain.go", 47, "timeout", None, "go.wrapper_call"),
        ("orders/orders.go", 28, "timeout", 3000, "go.wrapper_call"),  # a duration literal, ms per ms
        ("orders/orders.go", 29, "timeout", 1500, "go.wrapper_call"),  # a duration constant of the caller's package
        ("orders/orders.go", 30, "timeout", 250, "go.wrapper_call"),  # an int of ms: GetMs's 1 ms per unit
        ("orders/orders.go", 31, "retry", 3, "go.wrapper_call"),  # Retry's loop counts every try
        ("orders/orders.go", 33, "timeout", 2000, "go.wrapper_call"),  # a method through a value, by its bare name
        ("orders/orders.go", 34, "timeout", None, "go.wrapper_call"),  # a setting field handed on (value unknown here)
        ("orders/orders.go", 54, "retry", 2, "go.wrapper_call"),  # two delays handed to the variadic schedule
        ("orders/orders.go", 55, "retry", 3, "go.wrapper_call"),  # a slice literal of three, spread
        ("orders/orders.go", 61, "timeout", 2000, "go.wrapper_call"),  # a one-word method on a typed field (round 12)
        ("orders/orders.go", 66, "timeout", 4000, "go.wrapper_call"),  # the caller's value, not the helper's fallback
("orders/remaining.go", 16, "timeout", None, "go.wrapper_call"),  # what is left of a deadline: null
                ("orders/sync.go", 5, "retry", 5, "go.wrapper_call"),  # a file the prefilter skips, read for `Retry`
    ]  # Page publishes nothing (its 50 is a page size), nor NewLimiter (its fields bound no call), nor
    #    Unused (a forwarder nobody hands a value); fields not named as settings, non-constants, strings and the
    #    forwarders were never proposed; Retry's pause is no timeout parameter


def test_helper_file_publishes_its_parameters_under_the_names_callers_use() -> None:
    path = WRAPPERS / "httputil" / "httputil.go"
    symbols = EXTRACTOR.extract("shop/httputil/httputil.go", path.read_bytes()).symbols
    published = {k: v for k, v in symbols.items() if "$" in k and not k.startswith("$forwarder:")}
    assert published == {
        "Post.$timeout_param:2": Num(1.0), "Post.$timeout_param:timeout": Num(1.0),
        "httputil.Post.$timeout_param:2": Num(1.0), "httputil.Post.$timeout_param:timeout": Num(1.0),
        "GetMs.$timeout_param:1": Num(1.0), "GetMs.$timeout_param:ms": Num(1.0),
        "httputil.GetMs.$timeout_param:1": Num(1.0), "httputil.GetMs.$timeout_param:ms": Num(1.0),
        "Retry.$attempts_param:1": Num(1.0), "Retry.$attempts_param:attempts": Num(1.0),
        "httputil.Retry.$attempts_param:1": Num(1.0), "httputil.Retry.$attempts_param:attempts": Num(1.0),
        "FetchStock.$timeout_param:2": Num(1.0), "FetchStock.$timeout_param:wait": Num(1.0),  # no receiver argument
        "Client.FetchStock.$timeout_param:2": Num(1.0), "Client.FetchStock.$timeout_param:wait": Num(1.0),
        "Client.Get.$timeout_param:2": Num(1.0), "Client.Get.$timeout_param:wait": Num(1.0),  # not bare: a common verb
        # a context deadline bounds the call from where it is set: its phase goes to the callers too
        "FetchStock.$timeout_phase:2": Str("deadline"), "FetchStock.$timeout_phase:wait": Str("deadline"),
        "Client.FetchStock.$timeout_phase:2": Str("deadline"), "Client.FetchStock.$timeout_phase:wait": Str("deadline"),
        "Client.Get.$timeout_phase:2": Str("deadline"), "Client.Get.$timeout_phase:wait": Str("deadline"),
        # Get also hands `wait` on to FetchStock (a helper chain, named by its receiver type): a bound only if FetchStock's is one
        "Client.Get.$attempts_param:2": Ref("Client.FetchStock.$attempts_param:2"),
        "Client.Get.$attempts_param:wait": Ref("Client.FetchStock.$attempts_param:2"),
        # ... and, being a common verb, under its package for calls through a value that package made (round 20)
        "httputil.(*).Get.$timeout_param:2": Num(1.0), "httputil.(*).Get.$timeout_param:wait": Num(1.0),
        "httputil.(*).Get.$timeout_phase:2": Str("deadline"), "httputil.(*).Get.$timeout_phase:wait": Str("deadline"),
        "httputil.(*).Get.$attempts_param:2": Ref("Client.FetchStock.$attempts_param:2"),
        "httputil.(*).Get.$attempts_param:wait": Ref("Client.FetchStock.$attempts_param:2"),
        "RetryAfter.$attempts_param:*1": Num(1.0), "httputil.RetryAfter.$attempts_param:*1": Num(1.0),  # per delay
        "NewClient.$timeout_param:0": Num(1.0), "NewClient.$timeout_param:timeout": Num(1.0),  # `if timeout <= 0 {...}`
        "httputil.NewClient.$timeout_param:0": Num(1.0), "httputil.NewClient.$timeout_param:timeout": Num(1.0),
    }


def test_seconds_parameter_publishes_1000_ms_per_unit(extract) -> None:
    source = ('package h\nimport ("net"; "time")\n'
              'func Dial(addr string, sec int) (net.Conn, error) {\n'
              '\treturn net.DialTimeout("tcp", addr, time.Duration(sec)*time.Second)\n}\n')
    symbols = extract(source, "svc/h/h.go").symbols
    assert symbols["h.Dial.$timeout_param:1"] == Num(1000.0)
    assert symbols["Dial.$timeout_param:sec"] == Num(1000.0)


def test_no_proposal_where_a_detector_reads_the_call(extract) -> None:
    # a library call its detector reads (net.DialTimeout), builtins and conversions: no proposals
    source = ('package h\nimport ("net"; "time")\n'
              'func f(addr string) { net.DialTimeout("tcp", addr, 3*time.Second); _ = make([]int, 5); _ = int64(7) }\n')
    findings = extract(source, "svc/h/h.go").findings
    assert [(f.line, f.kind, f.detector) for f in findings if f.kind in ("timeout", "retry")] == \
        [(3, "timeout", "go.transport")]


def test_forwarders_and_constructors_publish_for_their_callers() -> None:
    chain = EXTRACTOR.extract("shop/httputil/chain.go", (WRAPPERS / "httputil" / "chain.go").read_bytes())
    assert [(f.line, f.kind) for f in chain.findings if f.detector != "go.wrapper_call"] == []  # nothing of its own
    published = {k: v for k, v in chain.symbols.items() if "$timeout_param:" in k and k.startswith("GetJSON")}
    assert published == {
        "GetJSON.$timeout_param:2": Ref("Post.$timeout_param:2"),
        "GetJSON.$timeout_param:timeout": Ref("Post.$timeout_param:2"),
        "GetJSONSeconds.$timeout_param:2": BinOp("*", Num(1000.0), Ref("GetJSON.$timeout_param:2")),
        "GetJSONSeconds.$timeout_param:seconds": BinOp("*", Num(1000.0), Ref("GetJSON.$timeout_param:2")),
    }
    assert chain.symbols["RetryTwice.$attempts_param:1"] == BinOp("+", Num(1.0), Ref("Retry.$attempts_param:1"))
    assert not any(k.startswith("Label.") for k in chain.symbols)  # a string handed on: no forward
    cache = EXTRACTOR.extract("shop/cache/cache.go", (WRAPPERS / "cache" / "cache.go").read_bytes())
    assert {k: v for k, v in cache.symbols.items() if "$" in k and not k.startswith("$forwarder:")} == {
        "NewCache.$timeout_param:1": Num(1.0), "NewCache.$timeout_param:timeout": Num(1.0),
        "cache.NewCache.$timeout_param:1": Num(1.0), "cache.NewCache.$timeout_param:timeout": Num(1.0),
        "NewCache.$attempts_param:2": Num(1.0), "NewCache.$attempts_param:retries": Num(1.0),
        "cache.NewCache.$attempts_param:2": Num(1.0), "cache.NewCache.$attempts_param:retries": Num(1.0),
        "NewCache.$timeout_phase:1": Str("deadline"), "NewCache.$timeout_phase:timeout": Str("deadline"),
        "cache.NewCache.$timeout_phase:1": Str("deadline"), "cache.NewCache.$timeout_phase:timeout": Str("deadline"),
        # round 18: the fields the constructor fills from its parameters hold what its callers hand it
        "$field:cache.Cache/timeout": Ref("$go-arg.cache.NewCache:1"),
        "$field:cache.Cache/retries": Ref("$go-arg.cache.NewCache:2"),
    }  # NewLimiter: its fields are used for arithmetic, no timeout or bound


def test_a_helper_of_the_same_file_gives_each_value_its_phase(tmp_path: Path) -> None:
    svc = tmp_path / "svc"
    (svc / "counter").mkdir(parents=True)
    (svc / "go.mod").write_text("module example.com/svc\n\ngo 1.22\n")
    shutil.copy(FIXTURES / "client_config" / "parsed.go", svc / "counter" / "parsed.go")
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    got = sorted((f.line, f.attributes.get("phase"), f.attributes.get("timeout_ms"))
                 for f in result.findings if f.kind == "timeout" and f.detector == "go.wrapper_call")
    assert got == [(58, "connect", 1000), (58, "read", 500)]  # newCounter hands them to DialTimeout, ReadTimeout


def test_a_timeout_parameter_handed_to_an_unknown_library_is_kept_at_the_callers(tmp_path: Path) -> None:
    """Round 7: `postReturn(..., timeout int)` hands `timeout` to a library's `PostReturn`: the
    callers' values are the contracts (an int without a unit in its name: seconds; `timeoutMs`: ms),
    the helper's own lines only hand the parameter on (forwarders, dropped)."""
    service = tmp_path / "push"
    shutil.copytree(FIXTURES / "libraries" / "sdkhelper", service)
    (service / "go.mod").write_text("module example.com/push\n\ngo 1.22\n")
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    got = sorted((f.path.rsplit("/", 1)[-1], f.line, f.kind, f.attributes.get("timeout_ms", f.attributes.get("max_attempts")))
                 for f in result.findings if f.kind in ("timeout", "retry"))
    # line 64: the settings literal's default (7, seconds) under the decoded configuration
    assert got == [("push.go", 33, "timeout", 3000), ("push.go", 36, "timeout", 250), ("push.go", 64, "timeout", 7000)]


def test_a_settings_struct_handed_to_helpers_is_a_contract_where_it_is_named(tmp_path: Path) -> None:
    """Round 7: `h.beforePush(ctx, &h.cfg.Webhooks.BeforePush)` -> `SyncPost(..., before)` ->
    `post(..., before.Timeout)` -> a library's `Post(ctx, url, timeout)`: the call naming the
    settings struct is the contract (its value is in the service's configuration: null)."""
    service = tmp_path / "im"
    shutil.copytree(FIXTURES / "wrappers_struct", service)
    (service / "go.mod").write_text("module example.com/im\n\ngo 1.22\n")
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    got = sorted((f.path.split("/", 1)[1], f.line, f.kind, f.attributes.get("timeout_ms", f.attributes.get("max_attempts")))
                 for f in result.findings if f.kind in ("timeout", "retry"))
    # the helpers' lines handing a setting FIELD on are reported too (a setting handed to a helper is a
    # contract where handed, the round-6 convention); the one handing the whole struct on is not
    assert got == [("push/handler.go", 22, "timeout", None), ("push/handler.go", 23, "timeout", None),
                   ("webhook/client.go", 19, "timeout", None), ("webhook/client.go", 23, "timeout", None)]


def test_a_settings_struct_takes_its_timeout_from_the_config_file_it_is_loaded_from(tmp_path: Path) -> None:
    """Round 8: the same calls, with the settings in config/webhooks.yml (a file per settings struct,
    keys at its top, as OpenIM loads them): the struct's `timeout` (seconds, the helper's unit)."""
    service = tmp_path / "im"
    shutil.copytree(FIXTURES / "wrappers_struct", service)
    (service / "go.mod").write_text("module example.com/im\n\ngo 1.22\n")
    (service / "config").mkdir()
    (service / "config" / "webhooks.yml").write_text(
        "url: http://127.0.0.1:10006/callback\nbeforePush:\n  enable: true\n  timeout: 3\n"
        "afterPush:\n  enable: false\n  timeout: 5\n")
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    got = sorted((f.path.split("/", 1)[1], f.line, f.kind, f.attributes.get("timeout_ms", f.attributes.get("max_attempts")))
                 for f in result.findings if f.kind in ("timeout", "retry"))
    assert got == [("push/handler.go", 22, "timeout", 5000), ("push/handler.go", 23, "timeout", 3000),
                   ("webhook/client.go", 19, "timeout", None), ("webhook/client.go", 23, "timeout", None)]
