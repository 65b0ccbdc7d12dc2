"""Per-request options and retry policies reach the destination of the call they bound."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan

CLIENT = """\
import { ExponentialBackoff, handleAll, retry } from 'cockatiel';
import { nanoid } from 'nanoid';
import { request } from 'undici';

const RISK_URL = process.env.RISK_URL ?? 'http://risk:8000';
const riskRetry = retry(handleAll, { maxAttempts: 2, backoff: new ExponentialBackoff() });
const mixed = retry(handleAll, { maxAttempts: 4 });

export async function score(order) {
  return riskRetry.execute(async () => {
    const res = await request(`${RISK_URL}/v1/score`, {
      method: 'POST',
      headersTimeout: 800,
      headers: { 'Idempotency-Key': nanoid() },
      body: JSON.stringify(order),
    });
    return res.body.json();
  });
}

export async function both(order) {
  await mixed.execute(() => request('http://risk:8000/v1/a', { bodyTimeout: 900 }));
  await mixed.execute(() => request('http://ledger:8080/v1/b'));
}
"""


def test_undici_request_options_and_a_cockatiel_policy_get_the_calls_destination(tmp_path: Path) -> None:
    root = tmp_path / "checkout"
    (root / "src").mkdir(parents=True)
    (root / "package.json").write_text('{"name": "checkout", "dependencies": {"undici": "6", "cockatiel": "3"}}')
    (root / "src" / "risk.js").write_text(CLIENT)
    got = sorted((f.line, f.kind, f.attributes.get("timeout_ms") or f.attributes.get("max_attempts"),
                  f.target.service if f.target else None)
                 for f in scan(root, jobs=1).findings if f.kind in ("timeout", "retry", "new_id_per_attempt"))
    assert got == [
        (6, "retry", 3, "risk"),  # the policy executed around risk's call only
        (7, "retry", 5, None),  # one policy, two destinations: none named
        (11, "timeout", 800, "risk"),  # undici's per-request bound: the request's URL (an env default),
        # at the called name's line (round 18: multi-line calls' options are labelled there)
        (14, "new_id_per_attempt", None, "risk"),
        (22, "timeout", 900, "risk"),
    ]


def test_an_aws_sdk_handlers_connect_and_request_bounds_on_one_line_are_two_settings(tmp_path: Path) -> None:
    root = tmp_path / "checkout"
    (root / "src").mkdir(parents=True)
    (root / "package.json").write_text('{"name": "checkout"}')
    (root / "src" / "ledger.ts").write_text(
        "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\n"
        "import { NodeHttpHandler } from '@smithy/node-http-handler';\n\n"
        "const dynamo = new DynamoDBClient({\n"
        "  maxAttempts: 4,\n"
        "  requestHandler: new NodeHttpHandler({ connectionTimeout: 300, requestTimeout: 1500 }),\n"
        "});\n"
        "// requestTimeout is the handler's, connectionTimeout too\n")
    got = sorted((f.line, f.kind, f.attributes.get("timeout_ms") or f.attributes.get("max_attempts"),
                  f.attributes.get("phase")) for f in scan(root, jobs=1).findings if f.kind in ("timeout", "retry"))
    assert got == [(5, "retry", 4, None), (6, "timeout", 300, "connect"), (6, "timeout", 1500, "total")]
