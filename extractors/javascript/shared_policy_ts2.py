"""(round 21, ts2) A reconnect / retry strategy function handed by name to several clients is one policy,
reported where it is defined (the convention for a retry policy object used in several places):
`const retryStrategy = (times: number) => Math.min(times ** 2 * 50, 10000); this._redisSub = new
IORedis(redisUrl, { retryStrategy }); this._redisPub = new IORedis(redisUrl, { retryStrategy });` (grist's
PubSubManager). Handed to one client, it stays at that client's option."""

from __future__ import annotations

from extractors import treesitter as ts
from extractors.javascript.context import descendants, enclosing_function


def shared_definition_ts2(ctx, name: str, made: ts.Node) -> ts.Node | None:
    """The declarator of ``made`` (the strategy function ``name`` holds) when ``name`` is handed as a
    client option (`{ name }`, `{ retryStrategy: name }`) at two places or more in its scope; else None."""
    declarator = made.parent
    while declarator is not None and declarator.type != "variable_declarator":
        if declarator.type in ("statement_block", "program"):
            return None
        declarator = declarator.parent
    if declarator is None or ts.text(declarator.child_by_field_name("name")) != name:
        return None
    scope = enclosing_function(declarator) or ctx.tree.root_node
    uses = 0
    for node in descendants(scope):
        if node.type == "shorthand_property_identifier" and ts.text(node) == name:
            uses += 1
        elif node.type == "pair":
            value = node.child_by_field_name("value")
            if value is not None and value.type == "identifier" and ts.text(value) == name:
                uses += 1
    return declarator if uses >= 2 else None
