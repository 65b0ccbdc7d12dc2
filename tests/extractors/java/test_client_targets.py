"""Settings take the target of the calls made through the same client or inside the retried method
(fixtures/java/targets holds the annotated cases); here the cross-file Feign case and the negatives."""

from __future__ import annotations

from contract_discovery.model import Pending
from contract_discovery.values import Ref
from extractors.java.extractor import EXTRACTOR
from tests.extractors.java.support import resolve

FEIGN = b'''package com.example.report;
@FeignClient(name = "stock", url = "http://stock:9100")
public interface StockApi {
    @GetMapping("/levels") List<Integer> levels();
}
'''
NAME_ONLY = b'''package com.example.report;
@FeignClient("warehouse")
public interface WarehouseApi { @GetMapping("/bins") List<String> bins(); }
'''
REPORT = b'''package com.example.report;
@Service
public class Report {
    private static final Logger log = LoggerFactory.getLogger(Report.class);
    private final StockApi stock;
    private final WarehouseApi warehouse;
    @Retryable(maxAttempts = 3)
    public int total() { log.info("total"); return stock.levels().size(); }
    @Retryable(maxAttempts = 2)
    public int bins() { return warehouse.bins().size(); }
    @Retryable(maxAttempts = 2)
    public int local() { String s = "x"; log.info(s); return s.length(); }
}
'''


def _extract(path: str, data: bytes):
    return EXTRACTOR.extract(path, data)


def _targets(findings, kind):
    return {(f.line, f.target.url if f.target else None) for f in findings if f.kind == kind}


def test_feign_interface_publishes_where_its_type_goes():
    api = _extract("StockApi.java", FEIGN)
    assert api.symbols["StockApi.$url"].value == "http://stock:9100"
    assert _extract("WarehouseApi.java", NAME_ONLY).symbols["WarehouseApi.$url"].value == "http://warehouse"


def test_retried_method_calling_a_feign_field_gets_its_url_across_files():
    report = _extract("Report.java", REPORT)
    retry = {f.line: f for f in report.findings if f.kind == "retry"}
    assert Pending("url", Ref("StockApi.$url"), None) in retry[7].pending
    findings = resolve([_extract("StockApi.java", FEIGN), _extract("WarehouseApi.java", NAME_ONLY), report])
    assert _targets(findings, "retry") == {(7, "http://stock:9100"), (9, "http://warehouse"), (11, None)}


def test_retried_method_without_a_client_call_has_no_target():
    report = _extract("Report.java", REPORT)
    local = next(f for f in report.findings if f.kind == "retry" and f.line == 11)
    assert (local.target, [p for p in local.pending if p.attribute == "url"]) == (None, [])


def test_setting_on_a_client_passed_elsewhere_has_no_target():
    code = b'''class C {
    private final RestTemplate a;
    private final RestTemplate b;
    C(RestTemplateBuilder builder) {
        this.a = builder.setReadTimeout(Duration.ofSeconds(1)).build();
        this.b = new RestTemplate(factory);
        register(builder.setConnectTimeout(Duration.ofMillis(5)).build());
    }
    String get() { return b.getForObject("http://other:1/x", String.class); }
}
'''
    findings = resolve([_extract("C.java", code)])
    assert _targets(findings, "timeout") == {(5, None), (7, None)}
    assert _targets(findings, "outbound_call") == {(9, "http://other:1/x")}


def test_interest_typed_receiver_is_not_a_rest_template():
    code = b'''class C {
    private final InterestCalculator calc;
    void m() { calc.put("http://x:1/a", 3); }
}
'''
    assert [f for f in _extract("C.java", code).findings if f.kind == "outbound_call"] == []


def test_retried_method_calling_a_local_service_type_gets_no_pending_url():
    code = b'''class Poller {
    private final MetaDomainService meta;
    @Retryable(maxAttempts = 3)
    public void poll() { meta.refresh(); }
}
'''
    retry = next(f for f in _extract("Poller.java", code).findings if f.kind == "retry")
    assert (retry.target, [p for p in retry.pending if p.attribute == "url"]) == (None, [])
