"""(round 21, ts2) A function calling itself again after waiting out a rate limit: `if (response.status ===
429) { const retryAfter = Number(response.headers.get('Retry-After')); await sleep(retryAfter * 1000);
return createContact(user); }` (civitai's Freshdesk integration). Each call is an attempt; nothing counts
them, so the re-sends are unbounded (a retry with no count). Not a wait for the function's own state, nor a
re-call on success (paging): the branch tests a status that asks to try again."""

from __future__ import annotations

import re

from extractors import treesitter as ts
from extractors.javascript.context import unwrap

_RETRY_STATUS = re.compile(r"\b(429|408|425|500|502|503|504)\b|tooManyRequests|TOO_MANY_REQUESTS|rateLimit|"
                           r"RATE_LIMIT|ServiceUnavailable|SERVICE_UNAVAILABLE|retry-after|Retry-After", re.I)
_STATUS_READ = re.compile(r"status|statusCode|code|headers", re.I)
_WAIT = re.compile(r"(^|\.)(sleep|delay|wait|waitMs|pause|backoff|setTimeout|timeout)\w*$", re.I)


def recalled_after_status_wait(ctx, call: ts.Node, fn: ts.Node) -> bool:
    """``call`` (the function calling itself) is in the branch of an `if` testing a retryable status, after an
    awaited wait in that branch."""
    node = call
    while node is not None and node != fn:
        parent = node.parent
        if parent is not None and parent.type == "if_statement" and node == parent.child_by_field_name("consequence"):
            condition = ts.text(parent.child_by_field_name("condition") or parent)
            if not (_RETRY_STATUS.search(condition) and _STATUS_READ.search(condition)):
                return False
            block = node
            statements = list(block.named_children) if block.type == "statement_block" else [block]
            for statement in statements:
                if statement.start_byte >= call.start_byte:
                    break
                if _awaits_wait(ctx, statement):
                    return True
            return False
        node = parent
    return False


def _awaits_wait(ctx, statement: ts.Node) -> bool:
    text = ts.text(statement).strip()
    if not text.startswith("await") and "await " not in text:
        return False
    if re.search(r"new\s+Promise\s*\([^)]*=>\s*setTimeout", text):
        return True
    return any(_WAIT.search(c.callee or "") for c in ctx.calls_in(statement))
