"""Kotlin helpers of the project (extractors/kotlin/detectors/wrapper_call.py): a helper's file
publishes the parameters that become a timeout or bound a retry; calls in other files that pass a
number, a constant or a duration get the contract, through the pipeline."""

import shutil
from pathlib import Path

import pytest

from contract_discovery.pipeline import scan
from contract_discovery.values import Ref
from extractors.kotlin.extractor import EXTRACTOR
from tests.annotations import check_annotations

FIXTURE = Path(__file__).resolve().parents[3] / "fixtures" / "kotlin" / "wrappers"
SRC = "src/main/kotlin/com/acme"


@pytest.mark.parametrize("use_prefilter", [True, False])
def test_calls_in_other_files_get_the_values_they_pass(tmp_path, use_prefilter):
    root = tmp_path / "svc"
    shutil.copytree(FIXTURE, root)
    # no timeout or retry word: only the helpers' names bring this file into the scan
    assert not EXTRACTOR.prefilter((root / SRC / "shipping/Shipping.kt").read_bytes())
    result = scan(root, use_prefilter=use_prefilter)
    contracts = [f for f in result.findings if f.kind in ("timeout", "retry")]
    for rel in ("net/HttpUtil.kt", "net/RiskClient.kt", "net/Coroutines.kt", "orders/OrderClient.kt"):
        relpath = f"{SRC}/{rel}"
        assert check_annotations(result.findings, root / relpath, relpath) == [], relpath
    got = sorted((f.path.removeprefix(SRC + "/"), f.line, f.kind,
                  f.attributes.get("timeout_ms") if f.kind == "timeout" else f.attributes.get("max_attempts"))
                 for f in contracts)
    assert got == [
        ("net/Coroutines.kt", 6, "retry", 2),
        ("net/HttpUtil.kt", 23, "timeout", 10000),
        # a helper handing its DEFAULTED count on (convention (a)): the default, at the helper's line
        ("net/HttpUtil.kt", 46, "retry", 3),
        ("orders/OrderClient.kt", 12, "timeout", 3000),
        ("orders/OrderClient.kt", 13, "timeout", 1500),
        ("orders/OrderClient.kt", 14, "timeout", 2000),
        # fetchStatus leaves its defaulted readSeconds (10 s) out: the default at each such call (convention (b))
        ("orders/OrderClient.kt", 15, "timeout", 10000),
        ("orders/OrderClient.kt", 20, "timeout", 10000),
        ("orders/OrderClient.kt", 21, "retry", 4),
        ("orders/OrderClient.kt", 21, "timeout", 10000),
        ("orders/OrderClient.kt", 22, "retry", 5),
        ("orders/OrderClient.kt", 22, "timeout", 10000),
        # read by name as a retry helper (3 tries), valued by the helper's published meaning: 3 re-tries
        ("shipping/Marking.kt", 6, "retry", 4),
        ("shipping/Shipping.kt", 9, "timeout", 800),
        ("shipping/Shipping.kt", 11, "retry", 2),
        ("shipping/Shipping.kt", 11, "timeout", 10000),  # fetchStatus's default (convention (b))
        ("shipping/Shipping.kt", 15, "timeout", 750),  # a constructor's parameter
    ]


def test_the_helper_file_publishes_parameters_under_the_names_callers_use():
    path = FIXTURE / SRC / "net/HttpUtil.kt"
    symbols = EXTRACTOR.extract("HttpUtil.kt", path.read_bytes()).symbols
    published = {k: v.value for k, v in symbols.items() if "_param:" in k and hasattr(v, "value")
                 and "$url_param" not in k}
    # (round 22) the URL parameter of a helper that publishes a bound: a call's URL argument is its destination
    assert {k for k in symbols if "$url_param" in k} >= {"HttpUtil.post.$url_param:0", "HttpUtil.fetchStatus.$url_param:0"}
    # a forwarder publishes its parameter as the inner helper's (valued where the pipeline reads it)
    assert symbols["withinTries.$attempts_param:0"] == Ref("tryTimes.$attempts_param:0")
    assert published == {
        # `post` is too common a name to publish bare: `*.post` is what a call on a receiver of unknown type
        # proposes, only when it hands the member a field named for a timeout (`client.post(u, cfg.readTimeout)`)
        "HttpUtil.post.$timeout_param:2": 1.0, "HttpUtil.post.$timeout_param:timeoutMs": 1.0,
        "*.post.$timeout_param:2": 1.0, "*.post.$timeout_param:timeoutMs": 1.0,
        # seconds: 1000 ms per unit of the argument (from the default 10 and the settled 10000 ms)
        "HttpUtil.fetchStatus.$timeout_param:1": 1000.0, "HttpUtil.fetchStatus.$timeout_param:readSeconds": 1000.0,
        "fetchStatus.$timeout_param:1": 1000.0, "fetchStatus.$timeout_param:readSeconds": 1000.0,
        "tryTimes.$attempts_param:0": 1.0, "tryTimes.$attempts_param:times": 1.0,
    }


def test_a_local_function_or_a_variable_argument_publishes_and_proposes_nothing():
    source = b"""package a
fun outer() {
    fun local(timeoutMs: Long) = client.newBuilder().callTimeout(timeoutMs, TimeUnit.MILLISECONDS)
    val n = readTries()
    helper(n)
    helper(null)
    helper(true)
}
"""
    result = EXTRACTOR.extract("A.kt", source)
    assert {k for k in result.symbols if "$" in k} == set()
    assert [f for f in result.findings if f.detector == "kotlin.wrapper_call"] == []


def test_a_retry_spec_helper_gives_callers_that_leave_the_bound_out_its_fallback(tmp_path):
    """``fun backoffSpec(maxRetries: Long? = null) = Retry.backoff(maxRetries ?: this.maxRetries, ..)``:
    a call without the bound, or with null (a setting defaulting to ``#{null}``), gets the fallback; a
    call that passes a number gets that number; the helper's own finding is valued with the fallback."""
    root = tmp_path / "svc"
    shutil.copytree(FIXTURE.parent / "wrappers_specs", root)
    result = scan(root)
    for rel in ("retry/RetrySpecs.kt", "ledger/LedgerApi.kt"):
        relpath = f"{SRC}/{rel}"
        assert check_annotations(result.findings, root / relpath, relpath) == [], relpath


CHAIN = Path(__file__).resolve().parents[3] / "fixtures" / "kotlin" / "wrappers_chain"


def test_helper_chains_constructor_fields_and_omitted_defaults(tmp_path):
    """Core wrapper mechanisms: a forwarder's callers get the value they pass (helper chain, also
    scaled: seconds * 1000), a construction gets the timeout its field carries, a call leaving a
    defaulted deadline out gets the default; forwarders, a field that is no timeout and a forwarder
    nobody calls with a value give nothing."""
    root = tmp_path / "svc"
    shutil.copytree(CHAIN, root)
    result = scan(root)
    for rel in ("net/Api.kt", "net/Gateway.kt", "net/Cache.kt", "net/RiskSettings.kt", "orders/Checkout.kt",
                "net/HttpUtils.kt", "orders/Vault.kt", "net/BlobStore.kt", "orders/Reports.kt", "net/Repeats.kt",
                "orders/Ledger.kt"):
        relpath = f"{SRC}/{rel}"
        assert check_annotations(result.findings, root / relpath, relpath) == [], relpath
    got = sorted((f.path.removeprefix(SRC + "/"), f.line, f.kind,
                  f.attributes.get("timeout_ms") if f.kind == "timeout" else f.attributes.get("max_attempts"))
                 for f in result.findings if f.kind in ("timeout", "retry"))
    assert got == [
        ("net/Api.kt", 21, "timeout", 3000),
        # an env-defaulted retry count: at the helper (a), at a call from the same object leaving it out (b)
        ("net/BlobStore.kt", 15, "retry", 6),
        ("net/BlobStore.kt", 22, "retry", 6),  # the helper's own deadline, valued at its default (convention (a))
        # a companion object's chain: each helper handing its defaulted timeout on, valued at the default
        ("net/HttpUtils.kt", 20, "timeout", 130000),
        ("net/HttpUtils.kt", 24, "timeout", 130000),
        ("net/HttpUtils.kt", 27, "timeout", 130000),
        ("net/HttpUtils.kt", 35, "timeout", 130000),
        ("net/Repeats.kt", 7, "retry", 100),
        ("net/Repeats.kt", 18, "retry", 50),  # hands its defaulted bound on (a)
        ("orders/Checkout.kt", 11, "timeout", 2500),
        ("orders/Checkout.kt", 13, "timeout", 4000),
        ("orders/Checkout.kt", 15, "timeout", 10000),
        ("orders/Checkout.kt", 19, "timeout", 3000),
        ("orders/Checkout.kt", 23, "timeout", 800),
        ("orders/Checkout.kt", 29, "timeout", 1200),  # a settings field handed to the forwarder
        ("orders/Ledger.kt", 6, "retry", 50),  # leaves maxRepeats out (b), found by the helper's name
        ("orders/Ledger.kt", 7, "retry", 2),
        ("orders/Reports.kt", 6, "retry", 6),  # leaves the retry count out (b)
        ("orders/Reports.kt", 7, "retry", 3),  # passes 2 re-reads (c)
        # (Vault.kt 9: Ktor's own submitForm on an HttpClient, not the project's helper of that name: nothing)
        ("orders/Vault.kt", 12, "timeout", 130000),  # leaves the companion helper's default out (rule (b))
        ("orders/Vault.kt", 15, "timeout", 5000),
        ("orders/Vault.kt", 17, "timeout", 700),  # through a forwarder without a default
    ]


IFACE = Path(__file__).resolve().parents[3] / "fixtures" / "kotlin" / "wrappers_iface"


def test_calls_through_an_interface_an_unknown_receiver_and_a_default_constant(tmp_path):
    """A member that overrides an interface's is published under the interface's name (callers hold a
    `RemoteClient`); a receiver of unknown type handing a field named for a timeout meets the member as
    `*.head` (valued, when the field's own name does not resolve, by a settings class's field of that name);
    a local named for a timeout is the call's contract (valued null); a defaulted parameter
    whose default is another file's constant gives the calls that leave it out that constant (with the
    parameter's phase); a test double forwarding to a lambda shadows nothing; google-http-client's
    HttpRequest properties are read."""
    root = tmp_path / "svc"
    shutil.copytree(IFACE, root)
    result = scan(root)
    for rel in ("mirror/Mirror.kt", "mirror/Cards.kt", "mirror/Fetch.kt", "net/HttpRemoteClient.kt", "net/Settings.kt",
                "net/RemoteClient.kt", "net/Suggestions.kt", "net/ProxyClient.kt", "net/MirrorSettings.kt",
                "mirror/MirrorClients.kt", "net/RetryingClient.kt"):
        relpath = f"{SRC}/{rel}"
        assert check_annotations(result.findings, root / relpath, relpath) == [], relpath
    got = sorted((f.path.removeprefix(SRC + "/"), f.line, f.kind, f.attributes.get("phase"),
                  f.attributes.get("timeout_ms") if f.kind == "timeout" else f.attributes.get("max_attempts"))
                 for f in result.findings if f.kind in ("timeout", "retry"))
    assert got == [
        ("mirror/Cards.kt", 7, "retry", None, 21),  # leaves retryLimit out: the default bound
        ("mirror/Cards.kt", 8, "retry", None, 5),
        ("mirror/Fetch.kt", 6, "timeout", "total", 5250),  # through the file's extension of HttpClient
        ("mirror/Mirror.kt", 14, "timeout", "connect", 3000),
        ("mirror/Mirror.kt", 14, "timeout", "read", 15000),
        # a destructured value of unknown type: the settings class's field of that name (seconds)
        ("mirror/Mirror.kt", 17, "timeout", "connect", 3000),
        ("mirror/Mirror.kt", 17, "timeout", "read", 15000),
        ("mirror/Mirror.kt", 22, "timeout", "connect", None),
        ("mirror/Mirror.kt", 22, "timeout", "read", 5000),
        ("mirror/Mirror.kt", 31, "timeout", "read", 20000),
        ("mirror/Mirror.kt", 32, "timeout", "read", 60000),
        ("mirror/MirrorClients.kt", 11, "retry", None, 3),  # a property read by key: application.yml's 2 retries
        ("net/HttpRemoteClient.kt", 27, "retry", None, 3),
        ("net/HttpRemoteClient.kt", 33, "timeout", "read", 15000),
        # getContent hands its defaulted requestTimeoutAfter on: a default set in code (convention (a))
        ("net/ProxyClient.kt", 12, "timeout", "total", 3000),
        ("net/Settings.kt", 9, "timeout", "read", 20000),
        ("net/Suggestions.kt", 10, "retry", None, 21),
    ]


def test_google_http_client_properties_need_the_library():
    source = b"""package a
class Settings { var readTimeout = 0 }
fun f(s: Settings, request: Req) {
    s.readTimeout = 5
    request.connectTimeout = 3
    request.numberOfRetries = 4
}
"""
    result = EXTRACTOR.extract("A.kt", source)
    assert [(f.line, f.kind) for f in result.findings if f.kind in ("timeout", "retry")] == []


LAMBDA = Path(__file__).resolve().parents[3] / "fixtures" / "kotlin" / "wrappers_lambda"


def test_lambda_retry_helpers_extension_helpers_and_object_settings(tmp_path):
    """Round 9 (held-out helper misses): a helper that runs its lambda again after a failure (``retryOnce``)
    is a 2-try retry at each call in another file; an extension helper imported by name
    (``gateway.callWithin(GatewaySettings.operationTimeoutMs) { }``) gets the object's fallback (15 s) or,
    left out, its own default (60 s); a registry lookup is kept only when Spring config sets up resilience4j;
    a configured timeout (`environment.getRequiredProperty(key)`) handed to a forwarding helper is the call's contract."""
    root = tmp_path / "svc"
    shutil.copytree(LAMBDA, root)
    result = scan(root)
    for rel in ("net/Resilience.kt", "orders/Checkout.kt", "jobs/Jobs.kt", "net/Connectors.kt"):
        relpath = f"{SRC}/{rel}"
        assert check_annotations(result.findings, root / relpath, relpath) == [], relpath
    got = sorted((f.path.removeprefix(SRC + "/"), f.line, f.kind,
                  f.attributes.get("timeout_ms") if f.kind == "timeout" else f.attributes.get("max_attempts"))
                 for f in result.findings if f.kind in ("timeout", "retry"))
    assert got == [
        ("jobs/Jobs.kt", 11, "retry", 3),
        ("jobs/Jobs.kt", 18, "retry", 4),
        ("jobs/Jobs.kt", 22, "retry", 3),
        # a configured timeout handed to a helper whose knobs only forward it (no defaults): at the call,
        # valued from application.yml (3s) or unknown (a key built at run time); the helper's knobs are forwarders
        ("net/Connectors.kt", 12, "timeout", 3000),
        ("net/Connectors.kt", 16, "timeout", None),
        ("net/Resilience.kt", 35, "timeout", 60000),
        ("orders/Checkout.kt", 11, "timeout", 15000),
        ("orders/Checkout.kt", 13, "timeout", 60000),
        ("orders/Checkout.kt", 15, "retry", 2),
        ("orders/Checkout.kt", 19, "retry", 2),  # a member helper called through its receiver
    ]
