"""(round 22, polyglot20) A fresh ID minted per attempt inside a project helper, carried to the helper's calls.

What it does: a helper of the project (a function, a class method, or a class whose constructor keeps its
parameters in fields: `abstract class BaseClient { constructor(private readonly baseUrl: string, { maxAttempts =
2 } = {}) ... post() { for (...) fetch(..., { headers: { 'Idempotency-Key': randomUUID() } }) } }`) that reports a
``new_id_per_attempt`` in its body publishes ``<name>.$new_id``; each retry the pipeline keeps at a call of that
helper in another file (`super(baseUrl, { maxAttempts: 3 })`, `postJson(RISK_URL, ...)`) gets a
``new_id_per_attempt`` beside it, with the call's destination (contract_discovery/pipeline.py).
Why it matters: the idempotency check needs the destination of the calls that mint a new key on every retry,
and in a base class that destination is only known at each subclass's construction.
"""

from __future__ import annotations

from extractors import wrappers

def publish(ctx, findings) -> dict:
    """``<helper>.$new_id`` for each helper (a class with a field-keeping constructor: its whole range)."""
    if not any(f.kind == "new_id_per_attempt" for f in findings):
        return {}
    from extractors import treesitter as ts
    from extractors.javascript.detectors.wrapper_call import _constructor_aliases, _helpers

    functions = []
    for names, fn in _helpers(ctx):
        first, last = fn.start_point[0] + 1, fn.end_point[0] + 1
        if fn.type == "method_definition" and ts.text(fn.child_by_field_name("name")) == "constructor":
            if not _constructor_aliases(fn):
                continue
            cls = fn.parent.parent if fn.parent is not None and fn.parent.parent is not None else fn
            first, last = cls.start_point[0] + 1, cls.end_point[0] + 1
        functions.append(wrappers.Function(names=tuple(names), first_line=first, last_line=last, params=()))
    return wrappers.new_id_publications(functions, findings)

