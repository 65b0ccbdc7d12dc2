"""(round 19, js2) A connect / socket / statement timeout assigned field by field on a driver config that is
then handed to the driver's pool or connection factory.

Snapshot's sequencer: `const hubConfig = parse(process.env.HUB_DATABASE_URL); hubConfig.connectTimeout = 60e3;
... const hubDB = mysql.createPool(hubConfig)`: the object is no literal of this file (a parsed connection
string), so the options-object rule (client_options, which wants `const options = {}`) does not see it. The
assignment is that pool's setting when the same scope later hands the variable to a package's
`createPool` / `createConnection` / `createClient` / `connect` / `new Pool(..)` / `new Client(..)`. Not a
field of `this`, of a parameter, nor an object handed to nothing (a parser building a config another file
uses)."""

from __future__ import annotations

import re

from extractors import treesitter as ts
from extractors.javascript.context import FileContext, descendants, unwrap

_FACTORY = re.compile(r"(^|\.)(createPool|createConnection|createClient|createPoolCluster|connect|Pool|Client)$")


def detect(ctx: FileContext) -> None:
    from extractors.javascript.detectors.client_options import _CONNECT_KEYS, _timeout

    if not any(key.encode() in ctx.data for key in _CONNECT_KEYS):
        return
    taken = {(f.line, f.kind) for f in ctx.findings}
    for assign in ctx.nodes_of("assignment_expression"):
        left = assign.child_by_field_name("left")
        if left is None or left.type != "member_expression":
            continue
        key = ts.text(left.child_by_field_name("property"))
        obj = left.child_by_field_name("object")
        if key not in _CONNECT_KEYS or obj is None or obj.type != "identifier":
            continue
        if (assign.start_point[0] + 1, "timeout") in taken:
            continue
        name = ts.text(obj)
        scope = next((p for p in ts.ancestors(assign) if p.type in ("statement_block", "program")), None)
        if scope is None:
            continue
        declared = next((d for d in descendants(scope, stop_at_functions=True)
                         if d.type == "variable_declarator" and ts.text(d.child_by_field_name("name")) == name), None)
        if declared is None:
            continue
        value = unwrap(declared.child_by_field_name("value"))
        if value is not None and value.type == "object":
            continue  # an object literal: client_options' rule
        for call in ctx.calls_in(scope):
            if call.node.start_byte < assign.end_byte or not any(
                    unwrap(a) is not None and unwrap(a).type == "identifier" and ts.text(unwrap(a)) == name
                    for a in call.args):
                continue
            head = call.callee.split(".", 1)[0]
            module = ctx.imports.get(head, "")
            if not module or module.startswith(".") or not _FACTORY.search(call.callee):
                continue
            _timeout(ctx, assign, assign.child_by_field_name("right"), _CONNECT_KEYS[key], taken)
            break
