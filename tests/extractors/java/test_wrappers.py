"""Timeouts and retry bounds handed to a project's own helper methods in another file: proposed
at the call (java.wrapper_call), kept and valued by the pipeline only when the helper's file
publishes that parameter."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from contract_discovery.pipeline import scan
from contract_discovery.values import BinOp, Num, Ref, Str
from extractors.java.extractor import EXTRACTOR
from tests.annotations import check_annotations
from tests.extractors.java.support import FIXTURES, ROOT, extract_file

PAIR = FIXTURES / "java" / "wrappers"
PACKAGE = Path("src/main/java/com/example/shop")
_ANNOTATION = re.compile(r"\s*//\s*(expect|ok):.*$")


def _copy_service(tmp_path: Path) -> Path:
    """The fixture pair as one Maven service; NightlySync without its annotations (it then holds no
    word the prefilter knows, so only the symbol pass reads it)."""
    root = tmp_path / "shop"
    shutil.copytree(PAIR, root / PACKAGE)
    (root / "pom.xml").write_text("<project><artifactId>shop</artifactId></project>\n")
    sync = root / PACKAGE / "orders" / "NightlySync.java"
    sync.write_text("\n".join(_ANNOTATION.sub("", line) for line in sync.read_text().splitlines()) + "\n")
    assert not EXTRACTOR.prefilter(sync.read_bytes())
    return root


def test_fixture_pair_matches_its_annotations_through_the_pipeline(tmp_path: Path, monkeypatch) -> None:
    # the helpers' own settings of their parameters are annotated as the extractor reports them; the core may
    # leave such forwarders out of a scan (the round-6 convention): kept here so the annotations read them
    monkeypatch.setenv("CD_KEEP_FORWARDERS", "1")
    monkeypatch.setenv("CD_MARK_FORWARDERS", "1")
    root = _copy_service(tmp_path)
    result = scan(root, jobs=1, cache_dir=tmp_path / ".cache")
    files = sorted(PAIR.rglob("*.java"))
    assert files
    for path in files:
        relpath = (PACKAGE / path.relative_to(PAIR)).as_posix()
        contracts = [f for f in result.findings if f.kind in ("timeout", "retry", "missing_timeout")]
        assert check_annotations(contracts, path, relpath) == [], relpath


def test_calls_read_exactly_the_values_handed_to_published_parameters(tmp_path: Path) -> None:
    root = _copy_service(tmp_path)
    result = scan(root, jobs=1, cache_dir=tmp_path / ".cache")
    got = sorted((f.path.rsplit("/", 1)[-1], f.line, f.kind,
                  f.attributes.get("timeout_ms") if f.kind == "timeout" else f.attributes.get("max_attempts"),
                  f.attributes.get("via"))
                 for f in result.findings if f.detector == "java.wrapper_call")
    assert got == [
        # a field set from the settings with a default in code, through a fluent configurator of the project
        ("ConnectClients.java", 20, "timeout", 20000, "ClientConfigurator.buildClient"),
        ("Gateway.java", 19, "retry", None, "ResendPolicy.execute"),  # settings read per request, through the
        ("Gateway.java", 19, "timeout", 3000, "ResendPolicy.execute"),  # interface the strategy is held by (the default)
        ("HttpHelper.java", 38, "timeout", 9000, "HttpHelper.post"),  # a method calling post with its own value
        ("HttpHelper.java", 58, "timeout", 4000, "HttpHelper.post"),  # a same-file overload's value
        ("HttpHelper.java", 75, "retry", 3, "HttpHelper.executeWithRetry"),  # an overload fixing the tries
        ("NightlySync.java", 8, "timeout", 30000, "HttpHelper.post"),  # read only because it calls a helper
        ("OrderClient.java", 19, "timeout", 3000, "HttpHelper.post"),
        ("OrderClient.java", 23, "timeout", 800, "HttpHelper.post"),
        ("OrderClient.java", 27, "timeout", 2000, "HttpHelper.post"),
        ("OrderClient.java", 32, "timeout", 5000, "HttpHelper.get"),  # seconds: the helper multiplies by 1000
        ("OrderClient.java", 36, "retry", 3, "HttpHelper.withRetry"),
        ("OrderClient.java", 40, "timeout", 1500, "Notifier.send"),  # the interface the field is declared as
        ("OrderClient.java", 57, "timeout", 700, "HttpHelper.post"),
        ("OrderClient.java", 66, "retry", 3, "HttpHelper.executeWithRetry0"),  # the tries that overload fixes
        ("OrderClient.java", 70, "timeout", 4000, "HttpHelper.postDefault"),  # the timeout that overload fixes
        ("QuoteClient.java", 12, "timeout", 2500, "QuoteClient.get"),  # a zero-argument overload's own value (rule a)
        ("QuoteDesk.java", 12, "timeout", 2500, "QuoteClient.get"),  # ..and a call leaving it out (rule b, round 9)
        ("StockClients.java", 8, "retry", 6, "RetryingClient"),  # a subclass's super(..) fixing the tries
        ("StockClients.java", 18, "retry", 7, "TunableClient"),  # ..or forwarding them from its own constructor
        ("StockClients.java", 30, "retry", 3, "WebClientUtils"),  # a Lombok constructor's parameter (its final fields)
        ("Warehouse.java", 19, "timeout", 2500, "MetadataClient.fetch"),  # a helper chain: fetch forwards to post
        ("Warehouse.java", 23, "timeout", 3000, "MetadataClient.fetchSeconds"),  # ..scaling its parameter
        ("Warehouse.java", 27, "timeout", 45000, "MetadataClient.fetch"),  # a setting: the interface's implementation
        ("Warehouse.java", 31, "timeout", 1000, "MetadataClient.read"),  # phase connect, by the argument's name
        ("Warehouse.java", 35, "retry", 4, "RetryingClient"),  # a constructor parameter the class loops over
        ("Warehouse.java", 40, "retry", 3, "RetryingClient"),  # the tries a telescoping constructor fixes
    ]  # not: the forwarded parameter (44), the computed local (49), fetchPage's page/size (53), library calls,
    # the cache's capacity (Warehouse 40), a method forwarding its own parameter (Warehouse 45), MetadataClient.unused


def test_helpers_publish_the_parameters_that_become_timeouts_or_bounds() -> None:
    symbols = extract_file(EXTRACTOR, PAIR / "helpers" / "HttpHelper.java").symbols
    phases = {k: v for k, v in symbols.items() if "$timeout_phase" in k and k.endswith(":1")}
    assert phases == {"HttpHelper.get.$timeout_phase:1": Str("connect")}  # post's (index 2) is read
    assert symbols["HttpHelper.post.$timeout_phase:2"] == Str("read")
    published = {k: v for k, v in symbols.items() if "$timeout_param" in k or "$attempts_" in k}
    assert published == {
        "HttpHelper.post.$timeout_param:2": Num(1.0), "HttpHelper.post.$timeout_param:timeoutMs": Num(1.0),
        "HttpHelper.get.$timeout_param:1": Num(1000.0), "HttpHelper.get.$timeout_param:seconds": Num(1000.0),
        "HttpHelper.withRetry.$attempts_param:0": Num(1.0), "HttpHelper.withRetry.$attempts_param:maxTries": Num(1.0),
        "HttpHelper.executeWithRetry.$attempts_param:1": Num(1.0),
        "HttpHelper.executeWithRetry.$attempts_param:tryTimes": Num(1.0),
        "HttpHelper.executeWithRetry0.$attempts_omitted:1": Num(1.0),
        "HttpHelper.executeWithRetry0.$attempts_default:1": BinOp("-", BinOp("+", Num(3.0), Num(1.0)), Num(1)),
    }
    notifier = extract_file(EXTRACTOR, PAIR / "helpers" / "SocketNotifier.java").symbols
    assert {k for k in notifier if "$timeout_param" in k} == {
        "SocketNotifier.send.$timeout_param:2", "SocketNotifier.send.$timeout_param:timeoutMs",
        "Notifier.send.$timeout_param:2", "Notifier.send.$timeout_param:timeoutMs"}


def test_unconfirmed_proposals_are_dropped(tmp_path: Path) -> None:
    """Without the helper files no proposal of the callers survives."""
    root = _copy_service(tmp_path)
    shutil.rmtree(root / PACKAGE / "helpers")
    result = scan(root, jobs=1, cache_dir=tmp_path / ".cache")
    assert [f for f in result.findings if f.detector == "java.wrapper_call"] == []


def test_constructor_fields_and_forwarders_publish_for_their_callers() -> None:
    client = extract_file(EXTRACTOR, PAIR / "helpers" / "RetryingClient.java").symbols
    assert {k: v for k, v in client.items() if "$timeout_param" in k or "$attempts_" in k} == {
        "RetryingClient.$attempts_param:1": Num(1.0), "RetryingClient.$attempts_param:maxAttempts": Num(1.0),
        # the telescoping constructor `RetryingClient(name) { this(name, 3); }`: one argument gets 3 tries
        "RetryingClient.$attempts_omitted:1": Num(1.0), "RetryingClient.$attempts_default:1": BinOp(
            "-", BinOp("+", Num(3.0), Num(1.0)), Num(1))}
    cache = extract_file(EXTRACTOR, PAIR / "helpers" / "LruCache.java").symbols
    assert [k for k in cache if "$timeout_param" in k or "$attempts_" in k] == []  # a capacity is no timeout or bound
    chain = extract_file(EXTRACTOR, PAIR / "helpers" / "MetadataClient.java")
    # forwards are never findings (a call leaving a timeout to an overload's default is proposed, kept only when
    # the callee publishes that default: `HttpHelper.post` fixes none)
    assert [f for f in chain.findings if f.detector == "java.wrapper_call"
            and f.attributes.get("expression") != "(default)"] == []
    published = {k: v for k, v in chain.symbols.items() if "$timeout_param:1" in k and "phase" not in k}
    assert published == {
        "MetadataClient.fetch.$timeout_param:1": Ref("HttpHelper.post.$timeout_param:2"),
        "MetadataClient.fetchSeconds.$timeout_param:1": BinOp("*", Num(1000.0), Ref("HttpHelper.post.$timeout_param:2")),
        "MetadataClient.unused.$timeout_param:1": Ref("HttpHelper.post.$timeout_param:2"),
        "MetadataClient.read.$timeout_param:1": BinOp("*", Num(0.001), Ref("HttpHelper.get.$timeout_param:1")),
    }


def test_interface_getters_publish_the_implementations_defaults() -> None:
    symbols = extract_file(EXTRACTOR, PAIR / "helpers" / "DefaultShopSettings.java").symbols
    assert symbols["ShopSettings.connectTimeoutMs"] == Num(1000.0)
    assert symbols["ShopSettings.exportTimeoutMs"] == Ref("EXPORT_TIMEOUT_MS")
    assert symbols["DefaultShopSettings.connectTimeoutMs"] == Num(1000.0)
