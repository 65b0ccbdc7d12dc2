"""Rails read replicas: ``connected_to(role: :reading) { ... }`` and ``connects_to database: {reading: ...}``.

What it does: reports a block run on a reading role (mechanism ``rails_connected_to``,
alias = the role) and a model that declares a reading database (mechanism
``rails_connects_to``, alias = the replica's database key). ``role: :writing`` is not
a replica read.

Why it matters: a replica lags the primary (seconds, sometimes a minute); a dependent
that needs fresh data (a dispute just opened, a purchase just made) reads stale rows.

Example: ``ActiveRecord::Base.connected_to(role: :reading) { Dispute.find(id) }`` -> replica_read alias reading.
"""

from __future__ import annotations

from typing import Iterable

from contract_discovery.model import Finding
from extractors.ruby.context import ruby_detector
from extractors.ruby import syntax
from extractors.ruby.context import RubyFile
from extractors.treesitter import Node, text

ID = "ruby.active_record_replica"


def _role(node: Node) -> str | None:
    name = syntax.symbol_name(node)
    if name is not None:
        return name
    raw = text(node)
    if raw.endswith("reading_role"):
        return "reading"
    if raw.endswith("writing_role"):
        return "writing"
    return None


def _reading_aliases(node: Node) -> list[str]:
    aliases = []
    for key, value in syntax.hash_items(node).items():
        if value.type == "hash":
            aliases.extend(_reading_aliases(value))
        elif key == "reading":
            name = syntax.symbol_name(value)
            if name:
                aliases.append(name)
    return aliases


@ruby_detector(ID, ("replica_read",),
          valid=("ActiveRecord::Base.connected_to(role: :writing) { Order.create! }\n",
                 "connects_to database: { writing: :primary }\n"),
          invalid=("ActiveRecord::Base.connected_to(role: :reading) { Dispute.find(1) }\n",
                   "connects_to database: { writing: :primary, reading: :primary_replica }\n"))
def detect(f: RubyFile) -> Iterable[Finding]:
    for call in f.calls_named("connected_to", "connects_to"):
        site = f.site(call)
        method = f.method_of(call)
        if method == "connected_to":
            role = _role(site.kwargs["role"].node) if "role" in site.kwargs else None
            if role is None or role == "writing":
                continue
            yield f.finding("replica_read", call, ID, {"alias": role, "mechanism": "rails_connected_to"})
        else:
            for key in ("database", "shards"):
                if key in site.kwargs:
                    for alias in _reading_aliases(site.kwargs[key].node):
                        yield f.finding("replica_read", call, ID, {"alias": alias, "mechanism": "rails_connects_to"})
