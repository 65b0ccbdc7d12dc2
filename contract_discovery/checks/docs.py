"""docs/rules.md from the rule registry: one section per rule (id, title, default status, rationale,
documentation), so the docs cannot drift from the code. ``python -m contract_discovery.checks.docs``
rewrites the file; a test fails when it is stale."""

from __future__ import annotations

import sys
from pathlib import Path

from contract_discovery.checks.base import all_rules

HEADER = """# Check rules

`contract-discovery check` runs these rules over the merged contracts (declared in
`contracts/*.yaml`, exported by peers, inferred from code). Each result has a status:

| status | meaning | fails the run by default |
|---|---|---|
| `BLOCKS_INTEGRATION` | the two sides cannot work together as declared | yes (`--fail-on blocks`) |
| `DECISION_REQUIRED` | a real trade-off; the result names who decides | with `--fail-on decision` or `warning` |
| `WARNING` | likely trouble, or a gap that hides trouble | with `--fail-on warning` |
| `INFO` | context; also any result covered by an unexpired decision | with `--fail-on info` |

What the rules read, per service: the declared files (`<service>/contracts/*.yaml`, merged; a
file names its service with `service:`), contracts exported elsewhere (`--peers`, used for
services this repository does not declare) and what the scan infers from the code (timeouts,
retries, a fresh ID per retry attempt, a handler deduplicating by key, replica reads). Declared
values win; inferred ones fill the gaps (checkout declares only its latency budget: its 200ms
timeout and its retries come from the code) and, where both speak and disagree, the
`contract-drift` rule reports it with both locations.

Adjusting rules:

- Severity per rule, in `contract-discovery.yaml` (or `[tool.contract-discovery]`):
  `rules: {latency-budget: {severity: WARNING}, missing-timeout: off}`.
- A recorded trade-off in `contracts/decisions.yaml` (rule, parties, decision, owner, date,
  expires) turns a matching result into `INFO` until it expires; then it comes back.
- An inline comment on the reported line, in the file's comment form:
  `# contract-discovery: ignore[missing-timeout]`, `// contract-discovery: ignore[idempotency]`
  (a bare `ignore` covers every rule). In a contract YAML, a comment on the line above works too.
- A baseline: `check --write-baseline .contract-baseline.json` once, then
  `check --baseline .contract-baseline.json` fails only on results that are new (keyed by
  fingerprint: rule, the two services and the subject, never line numbers).

A decision, for example (`parties` must include both services of the result; `fingerprint:`,
from `--format json`, narrows it to one result):

```yaml
# contracts/decisions.yaml
decisions:
  - rule: data-access
    parties: [support, risk, security]
    decision: Support gets a PII-sanitised summary endpoint; full signals stay risk-only
    owner: security-team
    date: 2026-01-10
    expires: 2026-06-30
```

Contract files are checked by `contract-discovery validate` (errors as `path:line:column` with
the field). For editors: `contract-discovery schema > contract.schema.json`, then start a contract
file with `# yaml-language-server: $schema=./contract.schema.json` (VS Code's YAML extension and
other yaml-language-server clients then complete keys and flag mistakes as you type).

Exit codes: 0 nothing at or above `--fail-on`; 1 something is; 2 the tool could not do its job
or the run was incomplete (a contract file could not be read: every other service was still
checked, and the problems are listed with `path:line:column` and the field).
"""


def render() -> str:
    parts = [HEADER, "## Rules\n", "| id | title | default status |", "|---|---|---|"]
    rules = all_rules()
    for rule in rules:
        parts.append(f"| [`{rule.id}`](#{rule.id}) | {rule.title} | `{rule.default_status}` |")
    parts.append("")
    for rule in rules:
        parts.append(f'<a id="{rule.id}"></a>\n### `{rule.id}` — {rule.title}\n')
        parts.append(f"Default status: `{rule.default_status}`\n")
        parts.append(f"_{rule.rationale}_\n")
        if rule.doc and rule.doc != rule.rationale:
            parts.append(_paragraphs(rule.doc) + "\n")
    return "\n".join(parts).rstrip() + "\n"


def _paragraphs(doc: str) -> str:
    lines = [line.strip() for line in doc.splitlines()]
    return "\n".join(lines)


def main() -> None:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "docs" / "rules.md"
    target.write_text(render(), encoding="utf-8")


if __name__ == "__main__":
    main()
