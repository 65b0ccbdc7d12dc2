"""Reads routed to a database replica (Java / Spring).

What it does: reports ``@Transactional(readOnly = true)`` as a replica read -- medium confidence
when the file routes data sources (``AbstractRoutingDataSource``) or names a replica, low
otherwise (read-only transactions go to a replica only where routing exists, which is usually
another file); ``@Bean`` methods and ``@Qualifier`` names that say replica/reader; and JDBC URL
literals whose host names a replica or reader.

Why it matters: a replica lags its primary; a consumer that needs fresh data (fraud velocity
checks) must not read from it.

Example: ``@Qualifier("readerDataSource") DataSource ds`` -> replica_read alias=readerDataSource.
"""

from __future__ import annotations

import re

from extractors import treesitter as ts
from extractors.base import detector
from extractors.java.jvm import documented
from extractors.java.jvm import REPLICA_WORDS
from extractors.java.syntax import JavaFile, annotation_args, enclosing, string_of

ID = "java.replica_read"
_NAMES_REPLICA = re.compile(r"replica|reader|secondary|slave", re.IGNORECASE)
_JDBC = re.compile(r"^jdbc:[a-z0-9:]+//", re.IGNORECASE)


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
            confidence = "medium" if replica_hint() else "low"
            jf.sink.add("replica_read", ts.location(site.node), ID,
                        {"alias": "readOnly", "mechanism": "transactional_read_only"},
                        jf.evidence(site.node), confidence)
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
