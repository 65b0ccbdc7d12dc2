"""`while (true)` / `for (;;)` retries that give up in the catch: the attempt count for each counter
form (bumped before or after the check, prefix or postfix in the condition, `>=`, `>`, `===`,
counting down), and NestJS HttpModule's baseURL as the target of its timeout."""

from __future__ import annotations

import pytest

from contract_discovery.values import Env, Str
from tests.extractors.javascript.conftest import extract_text


def _loop(init: str, before: str, check: str, after: str = "", header: str = "while (true)") -> str:
    return (f"async function send(body) {{\n  {init}\n  {header} {{\n    {before}\n    try {{\n"
            f"      return await post(body);\n    }} catch (err) {{\n      if ({check}) throw err;\n"
            f"      {after}\n    }}\n  }}\n}}\n")


def _attempts(source: str):
    return {(f.line, f.attributes["max_attempts"]) for f in extract_text(source).findings if f.kind == "retry"}


@pytest.mark.parametrize("init, before, check, after, header, expected", [
    ("let attempts = 0;", "attempts += 1;", "attempts >= 4", "", "while (true)", 4),
    ("let attempts = 0;", "attempts++;", "attempts >= 4", "", "while (true)", 4),
    ("let attempts = 0;", "++attempts;", "attempts > 3", "", "while (true)", 4),
    ("let attempts = 0;", "attempts = attempts + 1;", "attempts === 4", "", "while (true)", 4),
    ("let attempts = 0;", "", "attempts >= 4", "attempts += 1;", "while (true)", 5),
    ("let attempts = 0;", "", "attempts > 3", "attempts++;", "while (true)", 5),
    ("let attempts = 1;", "", "attempts === 3", "attempts++;", "while (true)", 3),
    ("let attempts = 0;", "", "++attempts >= 3", "", "while (true)", 3),
    ("let attempts = 0;", "", "++attempts > 3", "", "while (true)", 4),
    ("let attempts = 0;", "", "attempts++ >= 3", "", "while (true)", 4),
    ("let attempts = 0;", "", "attempts++ === 2", "", "while (true)", 3),
    ("let retriesLeft = 3;", "", "--retriesLeft === 0", "", "while (true)", 3),
    ("let retriesLeft = 3;", "retriesLeft -= 1;", "retriesLeft <= 0", "", "while (true)", 3),
    ("let retriesLeft = 3;", "", "retriesLeft-- <= 0", "", "while (true)", 4),
    ("", "", "attempt >= 2", "", "for (let attempt = 0; ; attempt++)", 3),
])
def test_give_up_in_catch_counts_attempts(init, before, check, after, header, expected):
    assert _attempts(_loop(init, before, check, after, header)) == {(3, expected)}


def test_symbolic_bound_resolves_through_a_constant():
    source = "const MAX_ATTEMPTS = 5;\n" + _loop("let attempts = 0;", "attempts += 1;", "attempts >= MAX_ATTEMPTS")
    assert _attempts(source) == {(4, 5)}


@pytest.mark.parametrize("before, after", [
    ("attempts++;", "attempts++;"),     # bumped twice per attempt
    ("attempts += 2;", ""),             # a step other than one
])
def test_counters_it_cannot_read_give_no_count(before, after):
    assert _attempts(_loop("let attempts = 0;", before, "attempts >= 4", after)) == {(3, None)}


def test_items_loop_and_retry_flag_are_not_retries():
    source = ("async function all(items) {\n  for (const item of items) {\n    try { await post(item); }"
              " catch (err) { console.error('timeout', err); }\n  }\n  let retry = true;\n}\n")
    assert _attempts(source) == set()


def test_nestjs_register_base_url_from_env_is_pending():
    source = ('import { HttpModule } from "@nestjs/axios";\n'
              'export const m = HttpModule.register({ baseURL: process.env.PAY_URL ?? "http://pay:8080", '
              'timeout: 3000 });\n')
    found = [(f.line, f.attributes["timeout_ms"], f.target, f.pending)
             for f in extract_text(source).findings if f.kind == "timeout"]
    assert len(found) == 1
    line, ms, target, pending = found[0]
    assert (line, ms, target) == (2, 3000, None)
    assert [p.attribute for p in pending] == ["url"]
    assert isinstance(pending[0].expr, Env) and pending[0].expr.var == "PAY_URL"
    assert pending[0].expr.default == Str("http://pay:8080")


def test_nestjs_register_literal_base_url_and_none():
    source = ('import { HttpModule } from "@nestjs/axios";\n'
              'const a = HttpModule.register({ baseURL: "http://pay:8080", timeout: 3000 });\n'
              'const b = HttpModule.register({ timeout: 1000 });\n'
              'const c = HttpModule.register({ baseURL: "http://pay:8080" });\n')
    found = {(f.line, f.attributes["timeout_ms"], f.target.url if f.target else None, f.pending)
             for f in extract_text(source).findings if f.kind == "timeout"}
    assert found == {(2, 3000, "http://pay:8080", ()), (3, 1000, None, ())}


def test_requeue_counts_from_the_counter_first_value():
    from .conftest import extract_text

    def attempts(start: str, op: str):
        source = (
            f'const jobs = [{{ id: 1, tries: {start} }}];\n'
            'async function run(job) {\n'
            '  try {\n'
            '    await api.send(job);\n'
            '  } catch (e) {\n'
            f'    if (job.tries {op} MAX) queue.push({{ ...job, tries: job.tries + 1 }});\n'
            '  }\n'
            '}\n'
            'const MAX = 5;\n'
        )
        return {(f.kind, f.line, f.attributes["max_attempts"]) for f in extract_text(source, "svc/q.js").findings
                if f.kind == "retry"}

    assert attempts("1", "<") == {("retry", 6, 5)}    # tries 1..5
    assert attempts("0", "<") == {("retry", 6, 6)}    # tries 0..5
    assert attempts("0", "<=") == {("retry", 6, 7)}   # tries 0..6
