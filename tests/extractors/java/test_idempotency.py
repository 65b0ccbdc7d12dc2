"""Provider dedupe in Java (fixtures/java/idempotency holds the annotated cases): key sources,
window units and the shapes that are not a dedupe."""

from __future__ import annotations

from extractors.java.extractor import EXTRACTOR


def _dedupes(body: str):
    code = f"class C {{ {body} }}".encode()
    return [(f.line, f.attributes["key"], f.attributes["window_ms"], f.attributes["handler"])
            for f in EXTRACTOR.extract("C.java", code).findings if f.kind == "idempotency_key"]


def test_header_map_with_timeunit_window():
    body = '''
String pay(@RequestHeader("Idempotency-Key") String k) {
    if (seen.containsKey(k)) { return seen.get(k); }
    store.set(k, "paid", 10, TimeUnit.MINUTES);
    return "paid";
}'''
    assert _dedupes(body) == [(3, "Idempotency-Key", 600000, "pay")]


def test_lookup_by_a_local_not_from_the_request_is_no_dedupe():
    body = '''
String pay(@RequestHeader("Idempotency-Key") String k) {
    String day = today();
    if (seen.containsKey(day)) { return seen.get(day); }
    return "paid";
}'''
    assert _dedupes(body) == []


def test_key_named_accessor_on_a_local_object_is_no_request_key():
    body = '''
String pay() {
    Command cmd = build();
    if (repo.existsByTransactionId(cmd.getTransactionId())) { return "dup"; }
    return "ok";
}'''
    assert _dedupes(body) == []


def test_lookup_without_an_early_answer_is_no_dedupe():
    body = '''
String pay(@RequestHeader("Idempotency-Key") String k) {
    repo.findByKey(k);
    return "paid";
}'''
    assert _dedupes(body) == []


def test_operation_is_the_route_with_the_class_prefix():
    code = b'''@RestController @RequestMapping("/billing")
class C {
    @PostMapping("/charges")
    Charge create(@RequestHeader("Idempotency-Key") String k) {
        Optional<Charge> old = repo.findByIdempotencyKey(k);
        if (old.isPresent()) { return old.get(); }
        return repo.save(new Charge(k));
    }
    Charge plain(@RequestHeader("Idempotency-Key") String k) {
        if (repo.existsByIdempotencyKey(k)) { return null; }
        return repo.save(new Charge(k));
    }
}'''
    found = {f.line: (f.attributes["operation"], f.attributes["handler"])
             for f in EXTRACTOR.extract("C.java", code).findings if f.kind == "idempotency_key"}
    assert found == {5: ("POST /billing/charges", "create"), 10: (None, "plain")}


# --- Micronaut's @Header and JAX-RS's @HeaderParam bind the key too (round 20, lead: polyglot17) ---

def test_micronaut_header_parameter_with_a_redis_lookup():
    body = '''
@Post
public String capture(@Header("Idempotency-Key") String idempotencyKey, @Body Map<String, Object> body) {
    String seen = redis.sync().get("capture:" + idempotencyKey);
    if (seen != null) {
        return seen;
    }
    return charge(body);
}'''
    assert _dedupes(body) == [(4, "Idempotency-Key", None, "capture")]


def test_jaxrs_header_param_with_a_repository_lookup():
    body = '''
@POST
public Response create(@HeaderParam("Idempotency-Key") String key, Order order) {
    Optional<Order> existing = orders.findByIdempotencyKey(key);
    if (existing.isPresent()) { return Response.ok(existing.get()).build(); }
    return Response.ok(orders.save(order)).build();
}'''
    assert _dedupes(body) == [(4, "Idempotency-Key", None, "create")]


def test_header_that_is_not_a_key_is_no_dedupe():
    body = '''
@Post
public String capture(@Header("Accept-Language") String language) {
    String seen = cache.get(language);
    if (seen != null) { return seen; }
    return "ok";
}'''
    assert _dedupes(body) == []


def test_retrofit_style_header_on_a_client_interface_is_no_dedupe():
    body = '''
@POST("/v1/captures")
Call<String> capture(@Header("Idempotency-Key") String key, @Body Capture body);'''
    assert _dedupes(body) == []
