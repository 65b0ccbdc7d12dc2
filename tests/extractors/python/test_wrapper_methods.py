"""Cross-file helpers that are methods: a class's methods (called through the class, a module-level
instance, an instance made by the caller or kept on `self`) and its constructor publish the parameters
that become a timeout or bound a retry; the calls in another file are kept and valued only for those."""

from __future__ import annotations

import shutil
from pathlib import Path

from contract_discovery.pipeline import scan
from extractors.python.extractor import EXTRACTOR

ROOT = Path(__file__).resolve().parents[3]
PAIR = ROOT / "fixtures" / "python" / "wrappers" / "methods"


def _service(tmp_path: Path) -> Path:
    shop = tmp_path / "svc" / "shop"
    shop.mkdir(parents=True)
    (tmp_path / "svc" / "pyproject.toml").write_text('[project]\nname = "shop"\n')
    (shop / "__init__.py").write_text("")
    for name in ("billing_client.py", "checkout_calls.py"):
        shutil.copy(PAIR / name, shop / name)
    return tmp_path / "svc"


def test_method_helpers_of_another_file_carry_their_callers_values(tmp_path: Path) -> None:
    result = scan(_service(tmp_path), jobs=1, cache_dir=tmp_path / ".cache")
    got = sorted((f.path.rsplit("/", 1)[-1], f.line, f.kind,
                  f.attributes.get("timeout_ms") if f.kind == "timeout" else f.attributes.get("max_attempts"))
                 for f in result.findings if f.kind in ("timeout", "retry") and f.path.endswith("checkout_calls.py"))
    assert got == [
        ("checkout_calls.py", 11, "timeout", 3000),    # billing.get(timeout=BILLING_TIMEOUT): module-level instance
        ("checkout_calls.py", 12, "timeout", 7000),    # billing_client.billing.get("/charge", 7)
        ("checkout_calls.py", 13, "timeout", 500),     # BillingClient.fetch(url, 0.5): a static method, no default
        ("checkout_calls.py", 14, "timeout", 4000),    # BillingClient(url, timeout=4): the constructor keeps it
        ("checkout_calls.py", 15, "timeout", 2000),    # ledger = BillingClient(...); ledger.get(timeout=2)
        ("checkout_calls.py", 19, "retry", 5),         # ledger.with_retries(retries=5): range(retries)
        ("checkout_calls.py", 20, "retry", 7),         # sync_with_backoff(load, 6): max_tries + 1
        ("checkout_calls.py", 21, "timeout", None),    # timeout=pick_timeout(order): bounded, value unknown
        ("checkout_calls.py", 23, "timeout", 30000),   # ask(..., timeout=30): t = timeout if not None else ...
        ("checkout_calls.py", 24, "timeout", 2000),    # ask(..., 2): the same parameter by position
        ("checkout_calls.py", 25, "timeout", 4000),    # get_json(url, timeout=4): forwarded as **kwargs to requests
        ("checkout_calls.py", 27, "timeout", 20000),   # http.request_json(url, timeout=20): two forwarders deep
        ("checkout_calls.py", 28, "timeout", 1500),    # http.send_frames(..., timeout=1.5): **options read as
                                                       # options.get("timeout") by a helper of the file
        ("checkout_calls.py", 33, "timeout", 5000),    # BillingClient(url): the constructor's default is left
        ("checkout_calls.py", 36, "timeout", 6000),    # self.ledger.get("/place", 6)
    ]  # page_size (16), a forwarded parameter (17), a string (18) and None (22) give nothing


def test_a_method_publishes_under_its_class_and_module_instances_never_its_bare_name() -> None:
    path = PAIR / "billing_client.py"
    symbols = EXTRACTOR.extract("shop/billing_client.py", path.read_bytes()).symbols
    # a defaulted bound left out by a caller is published too (`$attempts_default`), under the same names
    assert symbols["billing.with_retries.$attempts_default:0"].value == 3.0
    assert not any(k.startswith("with_retries.") for k in symbols)
    published = {k: v.value for k, v in symbols.items() if ("$timeout_param" in k or "$attempts_param" in k)
                 and not k.startswith("$typename:")  # (the folded-class aliases: test_round13_rules)
                 and hasattr(v, "value")}  # (a `**kwargs` forwarder's keywords, Refs to its inner helper: round 17)
    assert symbols["$typename:billingclient.get.$timeout_param:1"].value == 1000.0
    assert published == {
        "BillingClient.get.$timeout_param:1": 1000.0, "BillingClient.get.$timeout_param:timeout": 1000.0,
        "billing.get.$timeout_param:1": 1000.0, "billing.get.$timeout_param:timeout": 1000.0,
        "BillingClient.fetch.$timeout_param:1": 1000.0, "BillingClient.fetch.$timeout_param:seconds": 1000.0,
        "billing.fetch.$timeout_param:1": 1000.0, "billing.fetch.$timeout_param:seconds": 1000.0,
        "BillingClient.with_retries.$attempts_param:1": 1.0,
        "BillingClient.with_retries.$attempts_param:retries": 1.0,
        "billing.with_retries.$attempts_param:1": 1.0, "billing.with_retries.$attempts_param:retries": 1.0,
        # a two-word method name: also for a receiver whose class a caller cannot tell
        "$any.with_retries.$attempts_param:1": 1.0, "$any.with_retries.$attempts_param:retries": 1.0,
        "BillingClient.$timeout_param:1": 1000.0, "BillingClient.$timeout_param:timeout": 1000.0,
        "sync_with_backoff.$attempts_param:1": 2.0, "sync_with_backoff.$attempts_param:max_tries": 2.0,
        "ask.$timeout_param:2": 1000.0, "ask.$timeout_param:timeout": 1000.0,
        "get_json.$timeout_param:timeout": 1000.0,
        "request_response.$timeout_param:timeout": 1000.0, "request_json.$timeout_param:timeout": 1000.0,
        "send_frame.$timeout_param:timeout": 1000.0, "send_frames.$timeout_param:timeout": 1000.0,
    }


def test_a_bound_that_is_a_parameter_names_it_settled_or_not() -> None:
    result = EXTRACTOR.extract("shop/billing_client.py", (PAIR / "billing_client.py").read_bytes())
    got = sorted((f.line, f.attributes["max_attempts"], f.attributes.get("attempts_expression"))
                 for f in result.findings if f.kind == "retry")
    assert got == [(34, 3, "retries"), (48, 5, "max_tries + 1")]
