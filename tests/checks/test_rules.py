"""Each rule, positive and negative, on small contracts and hand-made findings."""

from tests.checks.util import check, rows, write
from tests.contracts.factories import finding

PROVIDER = {"risk/contracts/sla.yaml": """
    service: risk
    provides:
      - operation: scoreTransaction
        latency: {current: "p50=40ms, p95=90ms, p99=400ms", target: "p95=50ms"}
    """}


def dep(extra: str) -> dict:
    return {"checkout/contracts/deps.yaml": """
    service: checkout
    depends_on:
      - service: risk
        operation: scoreTransaction
    """.rstrip(" ") + "".join("        " + line.strip() + "\n" for line in extra.strip("\n").splitlines())}


def test_latency_within_budget_is_silent(tmp_path):
    write(tmp_path, {**PROVIDER, **dep("    latency_budget: {acceptable: p95 < 200ms, maximum: p99 < 500ms}")})
    assert rows(check(tmp_path)) == set()


def test_latency_missing_only_the_target_tier_is_a_warning(tmp_path):
    write(tmp_path, {**PROVIDER, **dep("    latency_budget: {target: p50 < 20ms, acceptable: p95 < 200ms}")})
    report = check(tmp_path)
    assert rows(report) == {("latency-budget", "WARNING", "checkout", "risk")}
    assert (report.results[0].expected, report.results[0].actual) == ("p50 < 20ms", "p50 = 40ms (current)")


def test_p99_bound_checked_against_a_lower_percentile(tmp_path):
    write(tmp_path, {"risk/contracts/sla.yaml": "service: risk\nprovides:\n  - operation: op\n    latency: p95=900ms\n",
                     **dep("    latency_budget: {maximum: p99 < 500ms}").__class__(
                         {"checkout/contracts/deps.yaml": "service: checkout\ndepends_on:\n  - service: risk\n"
                                                          "    operation: op\n    latency_budget: {maximum: p99 < 500ms}\n"})})
    report = check(tmp_path)
    assert rows(report) == {("latency-budget", "BLOCKS_INTEGRATION", "checkout", "risk")}
    assert report.results[0].actual == "p95 = 900ms (current), so p99 >= 900ms"
    assert report.results[0].action == ("Risk must bring p99 < 500ms within budget, or checkout must relax its budget, "
                                        "before integration")


def test_timeout_below_provider_p99(tmp_path):
    write(tmp_path, {**PROVIDER, **dep("    timeout: 300ms")})
    report = check(tmp_path)
    assert rows(report) == {("timeout-below-provider-latency", "WARNING", "checkout", "risk")}
    assert report.results[0].action.startswith("Checkout's timeout will fire on more than 1% of calls (p99 = 400ms)")
    write(tmp_path, dep("    timeout: 450ms"))
    assert rows(check(tmp_path)) == set()


def test_timeout_from_code_below_provider_p99(tmp_path):
    write(tmp_path, PROVIDER)
    findings = [finding("timeout", "checkout", "checkout/client.py", 7, target="risk.scoreTransaction",
                        timeout_ms=100, phase="total", resolved_from="literal", expression="0.1")]
    report = check(tmp_path, findings, services=["checkout", "risk"])
    assert rows(report) == {("timeout-below-provider-latency", "WARNING", "checkout", "risk")}
    assert ("checkout/client.py", 7) in [(l.path, l.line) for l in report.results[0].locations]
    assert report.results[0].expected == "timeout 100ms (code)"


def test_timeout_beyond_own_budget(tmp_path):
    write(tmp_path, {**PROVIDER, **dep("    latency_budget: {acceptable: p95 < 200ms, maximum: p99 < 500ms}\n    timeout: 5s")})
    report = check(tmp_path)
    assert rows(report) == {("timeout-exceeds-budget", "WARNING", "checkout", "risk")}
    assert (report.results[0].expected, report.results[0].actual) == ("p99 < 500ms", "timeout 5s")


def test_retry_amplification_against_own_budget(tmp_path):
    write(tmp_path, {**PROVIDER, **dep("    latency_budget: {maximum: p99 < 500ms}\n    timeout: 450ms\n"
                                       "    retry: {max_attempts: 3, backoff: fixed, base_delay: 100ms}")})
    report = check(tmp_path)
    assert rows(report) == {("retry-amplification", "WARNING", "checkout", "risk")}
    assert report.results[0].actual == "3 x 450ms + 200ms backoff = 1550ms"
    write(tmp_path, dep("    latency_budget: {maximum: p99 < 500ms}\n    timeout: 450ms\n    retry: none"))
    assert rows(check(tmp_path)) == set()


def test_retry_amplification_along_a_chain(tmp_path):
    write(tmp_path, {
        "a/contracts/c.yaml": "service: a\ndepends_on:\n  - {service: b, timeout: 1s, retry: 2}\n",
        "b/contracts/c.yaml": "service: b\ndepends_on:\n  - {service: c, timeout: 400ms, retry: {max_attempts: 3, backoff: none}}\n",
        "c/contracts/c.yaml": "service: c\nprovides:\n  - operation: x\n",
    })
    report = check(tmp_path)
    assert rows(report) == {("retry-amplification", "WARNING", "a", "c")}
    r = report.results[0]
    assert r.details["chain"] == ["a", "b", "c"] and r.details["attempts"] == 6
    assert r.actual == "b retries c: 3 x 400ms = 1200ms"


def test_freshness_met_is_silent_and_violated_blocks(tmp_path):
    files = {
        "risk/contracts/data.yaml": "service: risk\ndata_dependencies:\n  - {source: orders-db, dataset: user_purchases, freshness_required: <10s}\n",
        "orders/contracts/data.yaml": "service: orders\nprovides:\n  - {dataset: user_purchases, via: event_stream, freshness: 2s max}\n",
    }
    write(tmp_path, files)
    assert rows(check(tmp_path)) == set()
    write(tmp_path, {"orders/contracts/data.yaml": "service: orders\nprovides:\n  - {dataset: user_purchases, via: event_stream, freshness: 5-12s}\n"})
    report = check(tmp_path)
    assert rows(report) == {("data-freshness", "BLOCKS_INTEGRATION", "risk", "orders")}
    assert report.results[0].actual == "5-12s (stream lag)"


def test_replica_read_without_declared_lag_is_a_warning(tmp_path):
    write(tmp_path, {"risk/contracts/data.yaml": "service: risk\ndata_dependencies:\n  - {source: orders-db, freshness_required: <10s}\n",
                     "orders/contracts/x.yaml": "service: orders\nprovides:\n  - {operation: list}\n"})
    findings = [finding("replica_read", "risk", "risk/q.py", 12, alias="orders_replica", mechanism="django_using")]
    report = check(tmp_path, findings, services=["risk", "orders"])
    assert rows(report) == {("data-freshness", "WARNING", "risk", "orders")}
    assert ("risk/q.py", 12) in [(l.path, l.line) for l in report.results[0].locations]
    assert rows(check(tmp_path, [], services=["risk", "orders"])) == set()


IDEMPOTENT_PROVIDER = {"risk/contracts/i.yaml": "service: risk\noperations:\n  - {name: scoreTransaction, idempotency_key: transaction_id, expects: stable_across_retries}\n"}


def test_idempotency_declared_both_sides(tmp_path):
    write(tmp_path, {**IDEMPOTENT_PROVIDER, "checkout/contracts/r.yaml":
                     "service: checkout\nretry_policies:\n  - target: risk.scoreTransaction\n    on_timeout: {generates_new_request_id: false}\n"})
    assert rows(check(tmp_path)) == set()


def test_idempotency_from_code_new_id_per_attempt(tmp_path):
    write(tmp_path, IDEMPOTENT_PROVIDER)
    findings = [
        finding("retry", "checkout", "checkout/c.py", 10, end_line=20, max_attempts=3, mechanism="loop"),
        finding("new_id_per_attempt", "checkout", "checkout/c.py", 11, generator="uuid.uuid4", variable="tx", retry_line=10),
        finding("timeout", "checkout", "checkout/c.py", 12, target="risk.score", timeout_ms=200, phase="total"),
    ]
    report = check(tmp_path, findings, services=["checkout", "risk"])
    assert rows(report) == {("idempotency", "BLOCKS_INTEGRATION", "checkout", "risk")}
    assert report.results[0].actual == "generates new transaction_id on retry"
    # an ID made once outside the loop is no finding, hence no result
    assert rows(check(tmp_path, findings[::2], services=["checkout", "risk"])) == set()


def test_a_fresh_idempotency_key_per_attempt_warns_even_when_the_provider_declares_nothing(tmp_path):
    findings = [
        finding("retry", "orders", "orders/pay.go", 10, end_line=20, max_attempts=4, mechanism="library"),
        finding("new_id_per_attempt", "orders", "orders/pay.go", 14, generator="uuid.NewString",
                variable="Idempotency-Key", retry_line=10),
        finding("timeout", "orders", "orders/pay.go", 12, target="payment.captures", timeout_ms=2000, phase="total"),
    ]
    report = check(tmp_path, findings, services=["orders", "payment"])
    assert rows(report) == {("idempotency", "WARNING", "orders", "payment")}
    assert (report.results[0].actual, report.results[0].expected) == (
        "generates new Idempotency-Key on retry", "dedupes by Idempotency-Key (nothing declared)")
    assert [(l.path, l.line) for l in report.results[0].locations] == [("orders/pay.go", 14)]
    # a fresh tracing ID per attempt to a provider that declares nothing is no conflict
    tracing = [*findings[:1], finding("new_id_per_attempt", "orders", "orders/pay.go", 14, generator="uuid.NewString",
                                      variable="X-Request-ID", retry_line=10), findings[2]]
    assert rows(check(tmp_path, tracing, services=["orders", "payment"])) == set()


def test_idempotency_provider_from_code_idempotency_key(tmp_path):
    write(tmp_path, {"checkout/contracts/r.yaml": "service: checkout\nretry_policies:\n  - target: risk\n    on_timeout: {generates_new_request_id: true}\n"})
    findings = [finding("idempotency_key", "risk", "risk/h.py", 5, key="tx_id", window_ms=60000)]
    report = check(tmp_path, findings, services=["checkout", "risk"])
    assert rows(report) == {("idempotency", "BLOCKS_INTEGRATION", "checkout", "risk")}
    assert report.results[0].expected == "expects stable tx_id"


def test_access_open_at_my_level_is_silent(tmp_path):
    write(tmp_path, {"support/contracts/n.yaml": "service: support\nrequires:\n  - {from: risk, data: fraud_breakdown, access_level: support_tier_2}\n",
                     "risk/contracts/e.yaml": "service: risk\nprovides:\n  - {endpoint: /summary, returns: sanitized_breakdown, access: [support_tier_2, risk_team_only]}\n"})
    assert rows(check(tmp_path)) == set()


def test_drift_declared_500ms_code_5s(tmp_path):
    write(tmp_path, dep("    timeout: 500ms"))
    findings = [finding("timeout", "checkout", "checkout/client.py", 33, target="risk.scoreTransaction",
                        timeout_ms=5000, phase="total", resolved_from="literal", expression="5")]
    report = check(tmp_path, findings, services=["checkout", "risk"])
    drift = [r for r in report.results if r.rule == "contract-drift"]
    assert [(r.status, r.expected, r.actual) for r in drift] == [("WARNING", "timeout 500ms", "timeout 5s")]
    assert [(l.path, l.line) for l in drift[0].locations] == [("checkout/contracts/deps.yaml", 5), ("checkout/client.py", 33)]


def test_drift_declared_no_retry_code_retries(tmp_path):
    write(tmp_path, dep("    retry: none"))
    findings = [finding("retry", "checkout", "checkout/c.py", 10, end_line=14, target="risk", max_attempts=3, mechanism="loop")]
    report = check(tmp_path, findings, services=["checkout", "risk"])
    assert [(r.rule, r.status, r.expected, r.actual) for r in report.results] == [
        ("contract-drift", "WARNING", "no retry", "3 attempts"),
        ("missing-provider-contract", "WARNING", "a contract for risk", "only what the scan inferred from its code")]


def test_undeclared_dependency_and_missing_provider(tmp_path):
    write(tmp_path, {"checkout/contracts/d.yaml": "service: checkout\ndepends_on:\n  - {service: ledger, timeout: 1s}\n"})
    findings = [finding("timeout", "checkout", "checkout/p.py", 4, target="payment", timeout_ms=1000, phase="total")]
    report = check(tmp_path, findings, services=["checkout", "payment"])
    assert rows(report) == {("undeclared-dependency", "WARNING", "checkout", "payment"),
                            ("missing-provider-contract", "WARNING", "checkout", "ledger")}


def test_no_undeclared_dependency_for_a_service_that_declares_none(tmp_path):
    write(tmp_path, {"checkout/contracts/d.yaml": "service: checkout\nretry_policies: []\n"})
    findings = [finding("timeout", "checkout", "checkout/p.py", 4, target="payment", timeout_ms=1000, phase="total")]
    assert rows(check(tmp_path, findings, services=["checkout", "payment"])) == set()


def test_missing_timeout_to_another_service(tmp_path):
    findings = [finding("missing_timeout", "support", "support/d.py", 12, target="risk", library="requests", library_default_ms=None),
                finding("missing_timeout", "support", "support/d.py", 20, library="requests", library_default_ms=None)]
    report = check(tmp_path, findings, services=["support", "risk"])
    assert rows(report) == {("missing-timeout", "WARNING", "support", "risk"), ("missing-timeout", "WARNING", "support", None)}


def test_timeout_below_provider_median_blocks(tmp_path):
    write(tmp_path, {**PROVIDER, **dep("timeout: 30ms")})
    report = check(tmp_path)
    assert rows(report) == {("timeout-below-provider-latency", "BLOCKS_INTEGRATION", "checkout", "risk")}
    assert report.results[0].action.startswith("Checkout's timeout will fire on more than 50% of calls (p50 = 40ms)")
    assert report.results[0].actual == "p50 = 40ms (current)"


def test_retries_outlasting_the_callers_own_function_timeout(tmp_path):
    findings = [
        finding("retry", "checkout", "checkout/h.py", 3, end_line=9, max_attempts=3, backoff="none", mechanism="loop"),
        finding("timeout", "checkout", "checkout/h.py", 5, target="risk", timeout_ms=2000, phase="total"),
        finding("timeout", "checkout", "checkout/serverless.yml", 7, timeout_ms=3000, phase="function"),
    ]
    report = check(tmp_path, findings, services=["checkout", "risk"])
    amp = [r for r in report.results if r.rule == "retry-amplification"]
    assert [(r.status, r.expected, r.actual) for r in amp] == [
        ("WARNING", "checkout itself stops after 3s", "3 x 2s = 6s")]
    assert ("checkout/serverless.yml", 7) in [(l.path, l.line) for l in amp[0].locations]


def test_budget_as_a_percentile_mapping(tmp_path):
    write(tmp_path, {**PROVIDER, **dep("latency_budget: {p95: 50ms}")})
    report = check(tmp_path)
    assert rows(report) == {("latency-budget", "BLOCKS_INTEGRATION", "checkout", "risk")}
    assert (report.results[0].expected, report.results[0].actual) == ("p95 < 50ms", "p95 = 90ms (current)")


def test_a_fresh_tracing_id_against_another_dedupe_key_is_only_a_warning(tmp_path):
    write(tmp_path, {"payment/contracts/i.yaml": "service: payment\noperations:\n  - {name: charge, idempotency_key: order_id, expects: stable_across_retries}\n"})
    findings = [
        finding("retry", "orders", "orders/p.go", 50, end_line=70, max_attempts=3, mechanism="loop"),
        finding("new_id_per_attempt", "orders", "orders/p.go", 57, generator="uuid.NewString", variable="X-Request-ID", retry_line=50),
        finding("timeout", "orders", "orders/p.go", 37, target="payment", timeout_ms=2000, phase="total"),
        finding("outbound_call", "orders", "orders/p.go", 51, target="payment.charges", protocol="http"),
    ]
    report = check(tmp_path, findings, services=["orders", "payment"])
    assert rows(report) == {("idempotency", "WARNING", "orders", "payment")}
    # the same shape with the dedupe key itself made per attempt blocks
    findings[1] = finding("new_id_per_attempt", "orders", "orders/p.go", 57, generator="uuid.NewString",
                          variable="orderId", retry_line=50)
    assert rows(check(tmp_path, findings, services=["orders", "payment"])) == {
        ("idempotency", "BLOCKS_INTEGRATION", "orders", "payment")}


def test_tracing_id_warning_names_the_tracing_id(tmp_path):
    write(tmp_path, {"payment/contracts/i.yaml": "service: payment\noperations:\n  - {name: charge, idempotency_key: order_id}\n"})
    findings = [finding("new_id_per_attempt", "orders", "orders/payment_client.go", 57, generator="uuid.NewString",
                        variable="X-Request-ID", retry_line=50)]
    report = check(tmp_path, findings, services=["orders", "payment"])
    assert [(r.status, r.actual, r.expected) for r in report.results] == [
        ("WARNING", "generates new X-Request-ID on retry", "expects stable order_id")]


def test_a_dataset_through_a_stream_and_a_replica(tmp_path):
    write(tmp_path, {
        "risk/contracts/data.yaml": "service: risk\ndata_dependencies:\n  - {source: orders-db, dataset: user_purchases, freshness_required: <10s}\n",
        "orders/contracts/data.yaml": "service: orders\nprovides:\n"
                                      "  - {dataset: user_purchases, via: database_replica, freshness: 15-30s}\n"
                                      "  - {dataset: user_purchases, via: event_stream, freshness: <1s}\n",
    })
    assert rows(check(tmp_path, [], services=["risk", "orders"])) == set()
    replica = [finding("replica_read", "risk", "risk/q.py", 12, alias="orders_replica", mechanism="django_using")]
    report = check(tmp_path, replica, services=["risk", "orders"])
    assert rows(report) == {("data-freshness", "BLOCKS_INTEGRATION", "risk", "orders")}
    assert report.results[0].actual == "15-30s (replica lag)"


def test_drift_idempotency_window(tmp_path):
    write(tmp_path, IDEMPOTENT_PROVIDER)
    (tmp_path / "risk/contracts/i.yaml").write_text(
        "service: risk\noperations:\n  - {name: scoreTransaction, idempotency_key: transaction_id, window: 5m}\n")
    findings = [finding("idempotency_key", "risk", "risk/h.py", 16, key="tx_id", window_ms=60000)]
    report = check(tmp_path, findings, services=["risk"])
    assert [(r.rule, r.consumer, r.expected, r.actual) for r in report.results] == [
        ("contract-drift", "risk", "idempotency window 5m", "idempotency window 60s")]
    assert [(l.path, l.line) for l in report.results[0].locations] == [("risk/contracts/i.yaml", 3), ("risk/h.py", 16)]


def test_freshness_with_only_a_dataset_name(tmp_path):
    write(tmp_path, {
        "risk/contracts/data.yaml": "service: risk\ndata_dependencies:\n  - {dataset: user_purchases, freshness_required: <10s}\n",
        "orders/contracts/data.yaml": "service: orders\nprovides:\n  - {dataset: user_purchases, via: database_replica, freshness: 30s}\n",
    })
    assert rows(check(tmp_path)) == {("data-freshness", "BLOCKS_INTEGRATION", "risk", "orders")}


def test_a_fresh_id_sent_as_a_generic_idempotency_key_blocks(tmp_path):
    write(tmp_path, {"catalog/contracts/c.yaml": "service: catalog\noperations:\n  - {name: createReview, idempotency_key: Idempotency-Key}\n"})
    findings = [finding("new_id_per_attempt", "storefront", "storefront/src/catalog.ts", 15, target="catalog",
                        generator="crypto.randomUUID", variable="requestId", retry_line=13)]
    assert rows(check(tmp_path, findings, services=["storefront", "catalog"])) == {
        ("idempotency", "BLOCKS_INTEGRATION", "storefront", "catalog")}


def test_the_fresh_id_named_like_an_operations_key_picks_that_operation(tmp_path):
    write(tmp_path, {"inventory/contracts/c.yaml": "service: inventory\noperations:\n"
                                                   "  - {name: reserve, idempotency_key: reservation_id}\n"
                                                   "  - {name: release, idempotency_key: release_id}\n"})
    findings = [finding("new_id_per_attempt", "catalog", "catalog/app/inventory.py", 16, target="inventory.reservations",
                        generator="uuid.uuid4", variable="reservation_id", retry_line=14)]
    report = check(tmp_path, findings, services=["catalog", "inventory"])
    assert [(r.status, r.expected, r.details["operation"]) for r in report.results] == [
        ("BLOCKS_INTEGRATION", "expects stable reservation_id", "reserve")]


def test_several_deduplicating_operations_and_no_operation_in_the_code_is_a_warning(tmp_path):
    write(tmp_path, {"payment/contracts/c.yaml": "service: payment\noperations:\n"
                                                 "  - {name: capturePayment, idempotency_key: Idempotency-Key}\n"
                                                 "  - {name: voidPayment, idempotency_key: payment_id}\n"})
    findings = [finding("new_id_per_attempt", "orders", "orders/payments/client.go", 66, target="payment",
                        generator="uuid.New", variable="X-Request-ID", retry_line=61)]
    report = check(tmp_path, findings, services=["orders", "payment"])
    assert [(r.status, r.expected, r.actual) for r in report.results] == [
        ("WARNING", "expects stable payment_id", "generates new X-Request-ID on retry")]
    assert "does not say which operation" in report.results[0].details["note"]


def test_freshness_purpose_keeps_the_whole_reason_without_a_domain_vocabulary(tmp_path):
    write(tmp_path, {
        "risk/contracts/data.yaml": "service: risk\ndata_dependencies:\n  - {source: orders, dataset: p, freshness_required: <10s, reason: velocity_fraud_detection}\n",
        "orders/contracts/data.yaml": "service: orders\nprovides:\n  - {dataset: p, freshness: 30s}\n",
    })
    assert check(tmp_path).results[0].expected == "<10s for velocity fraud detection"


def test_missing_timeout_on_a_client_serving_one_service(tmp_path):
    findings = [finding("missing_timeout", "shipping", "shipping/ReturnsClient.java", 13, library="spring-web"),
                finding("outbound_call", "shipping", "shipping/ReturnsClient.java", 17, target="returns", protocol="http")]
    assert rows(check(tmp_path, findings, services=["shipping", "returns"])) == {
        ("missing-timeout", "WARNING", "shipping", "returns")}
