"""`@Transactional(readOnly = true)` reads a replica only where the service routes data sources."""

from pathlib import Path

from contract_discovery.pipeline import scan

SERVICE = """@Service
public class LedgerService {
    @Transactional(readOnly = true)
    public long unsettled() { return payments.countByStatus("UNSETTLED"); }
}
"""

ROUTING = """public class ReadWriteRoutingDataSource extends AbstractRoutingDataSource {
    @Override
    protected Object determineCurrentLookupKey() {
        return TransactionSynchronizationManager.isCurrentTransactionReadOnly() ? "replica" : "primary";
    }
}
"""


def _service(root: Path, with_routing: bool) -> None:
    src = root / "payment" / "src" / "main" / "java" / "com" / "acme" / "payment"
    src.mkdir(parents=True)
    (root / "payment" / "pom.xml").write_text("<project><artifactId>payment</artifactId></project>\n")
    (src / "LedgerService.java").write_text("package com.acme.payment;\n\n" + SERVICE)
    if with_routing:
        (src / "config").mkdir()
        (src / "config" / "ReadWriteRoutingDataSource.java").write_text("package com.acme.payment.config;\n\n" + ROUTING)


def _replica_reads(root: Path):
    return sorted((f.path.rsplit("/", 1)[-1], f.line, f.attributes["mechanism"], f.confidence)
                  for f in scan(root).findings if f.kind == "replica_read")


def test_a_read_only_transaction_is_a_replica_read_when_another_file_routes(tmp_path: Path) -> None:
    _service(tmp_path, with_routing=True)
    assert _replica_reads(tmp_path) == [("LedgerService.java", 5, "transactional_read_only", "low")]


def test_a_read_only_transaction_without_routing_reads_the_primary(tmp_path: Path) -> None:
    _service(tmp_path, with_routing=False)
    assert _replica_reads(tmp_path) == []
