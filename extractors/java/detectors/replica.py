"""Reads routed to a database replica (Java / Spring).

What it does: reports ``@Transactional(readOnly = true)`` as a replica read when the service
routes data sources: medium confidence when the file itself routes (``AbstractRoutingDataSource``)
or names a replica; otherwise only when another file of the service does (it publishes
``$java.replica_routing``; low confidence), since a read-only transaction without routing reads
the primary. Also ``@Bean`` methods and ``@Qualifier`` names that say replica/reader, and JDBC URL
literals whose host names a replica or reader.

Why it matters: a replica lags its primary; a consumer that needs fresh data (fraud velocity
checks) must not read from it.

Example: ``@Qualifier("readerDataSource") DataSource ds`` -> replica_read alias=readerDataSource.
"""

from __future__ import annotations

import re

from contract_discovery.model import Pending
from contract_discovery.resolve import KEEP_IF
from contract_discovery.values import Num, Ref
from extractors import treesitter as ts
from extractors.base import detector
from extractors.java.jvm import documented
from extractors.java.jvm import REPLICA_WORDS
from extractors.java.syntax import JavaFile, annotation_args, enclosing, string_of

ID = "java.replica_read"
_NAMES_REPLICA = re.compile(r"replica|reader|secondary|slave", re.IGNORECASE)
_JDBC = re.compile(r"^jdbc:[a-z0-9:]+//", re.IGNORECASE)
# published by a file that routes reads to a replica, for read-only transactions elsewhere
ROUTING = "$java.replica_routing"
_ROUTERS = ("AbstractRoutingDataSource", "ReplicationRoutingDataSource", "LazyConnectionDataSourceProxy")


@detector(ID, "java", ["replica_read"],
          valid=['@Transactional public void save(Order o) {}', 'String s = "the replica is lagging";'],
          invalid=['@Qualifier("replicaDataSource") DataSource ds;',
                   'String url = "jdbc:postgresql://orders-replica:5432/orders";'])
@documented(__doc__)
def detect(jf: JavaFile) -> None:
    hints: list[bool] = []  # (routing or a replica-ish name), worked out once, when first needed

    def replica_hint() -> bool:
        if not hints:
            names = {ts.text(n) for n in ts.walk(jf.tree.root_node)
                     if n.type in ("identifier", "type_identifier", "string_fragment")}
            hints.append("AbstractRoutingDataSource" in names or any(_NAMES_REPLICA.search(n) for n in names))
        return hints[0]

    for site in jf.annotations:
        args = annotation_args(site.node)
        if site.name == "Transactional" and ts.text(args.get("readOnly")) == "true":
            local = replica_hint()
            jf.sink.add("replica_read", ts.location(site.node), ID,
                        {"alias": "readOnly", "mechanism": "transactional_read_only"},
                        jf.evidence(site.node), "medium" if local else "low",
                        pending=() if local else (Pending(KEEP_IF, Ref(ROUTING), None),))
        elif site.name == "Qualifier":
            name = string_of(args.get("value")) or ""
            if REPLICA_WORDS.search(name):
                jf.sink.add("replica_read", ts.location(site.node), ID,
                            {"alias": name, "mechanism": "qualifier"}, jf.evidence(site.node), "medium")
        elif site.name == "Bean":
            method = enclosing(site.node, ("method_declaration",))
            if method is None or "DataSource" not in ts.text(method.child_by_field_name("type")):
                continue
            name = string_of(args.get("name") or args.get("value")) or ts.text(method.child_by_field_name("name"))
            if REPLICA_WORDS.search(name):
                jf.sink.add("replica_read", ts.location(site.node), ID,
                            {"alias": name, "mechanism": "datasource_bean"}, jf.evidence(site.node), "medium")
    for node in jf.strings:
        value = string_of(node) or ""
        if _JDBC.match(value) and REPLICA_WORDS.search(value):
            jf.sink.add("replica_read", ts.location(node), ID,
                        {"alias": REPLICA_WORDS.search(value).group(0).lower(), "mechanism": "jdbc_url", "url": value},
                        jf.evidence(node), "medium")
    routes = any(f.detector == ID and f.attributes.get("mechanism") in ("qualifier", "datasource_bean", "jdbc_url")
                 for f in jf.sink.findings)
    if routes or any(r.encode() in jf.data for r in _ROUTERS):
        jf.symbols[ROUTING] = Num(1)
