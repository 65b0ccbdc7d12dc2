"""Provider dedupe in Go (fixtures/go/idempotency holds the annotated cases): the route a handler is
registered under, and the shapes that are not a dedupe."""

from __future__ import annotations

from extractors.go.extractor import EXTRACTOR
from tests.extractors.go.conftest import REPO

FIXTURE = REPO / "fixtures" / "go" / "idempotency" / "handlers.go"


def _dedupes(path: str, data: bytes):
    return {(f.line, f.attributes["key"], f.attributes["operation"], f.attributes["handler"])
            for f in EXTRACTOR.extract(path, data).findings if f.kind == "idempotency_key"}


def test_operations_are_the_routes_the_handlers_are_registered_under():
    assert _dedupes("handlers.go", FIXTURE.read_bytes()) == {
        (27, "X-Idempotency-Key", "/transfers", "CreateTransfer"),
        (38, "Idempotency-Key", "POST /redeem", "Redeem"),
        (55, "TransactionId", None, "Capture"),
        (92, "Idempotency-Key", "POST /payouts", None),
    }


def test_key_named_field_of_a_local_value_is_no_request_key():
    code = b'''package p
func Settle(ctx context.Context) error {
	batch := nextBatch()
	if _, ok := done[batch.TransactionId]; ok {
		return nil
	}
	return nil
}
'''
    assert _dedupes("p.go", code) == set()


def test_store_lookup_through_a_sprintf_key_with_ttl():
    code = b'''package p
import "time"
func Post(w http.ResponseWriter, r *http.Request) {
	k := fmt.Sprintf("pay:%s", r.Header.Get("Idempotency-Key"))
	ok, _ := rdb.Exists(ctx, k).Result()
	if ok == 1 {
		return
	}
	rdb.Set(ctx, k, "1", 90*time.Second)
}
'''
    found = [(f.line, f.attributes["key"], f.attributes["window_ms"])
             for f in EXTRACTOR.extract("p.go", code).findings if f.kind == "idempotency_key"]
    assert found == [(5, "Idempotency-Key", 90000)]
