"""Round 20 (js2): shapes met on unseen TypeScript services (0x-api, Reservoir's indexer, Nango, Latitude,
Portkey's gateway, Snapshot's score API, Farcaster's Shuttle)."""

from __future__ import annotations

from extractors.javascript.extractor import JavascriptExtractor


def _found(path: str, source: str, detector: str | None = None):
    result = JavascriptExtractor().extract(path, source.encode())
    return {(f.line, f.kind): f.attributes.get("timeout_ms" if f.kind == "timeout" else "max_attempts")
            for f in result.findings if f.kind in ("timeout", "retry")
            and not any(p.attribute == "$keep_if" for p in f.pending)
            and (detector is None or f.detector == detector)}


# ------------------------------------------------------------------ ternary defaults (0x-api, reservoir)

ENV_EMPTY = """import * as _ from 'lodash';
import axios from 'axios';

const RFQT_REQUEST_MAX_RESPONSE_MS: number = _.isEmpty(process.env.RFQT_REQUEST_MAX_RESPONSE_MS)
    ? 600
    : assertEnvVarType('RFQT_REQUEST_MAX_RESPONSE_MS', process.env.RFQT_REQUEST_MAX_RESPONSE_MS, EnvVarType.Integer);
const OTHER_MS = _.isEmpty(process.env.OTHER_MS) ? 700 : SOMETHING_ELSE;

export async function prices(url: string, request: unknown) {
    await axios.post(url, request, {
        timeout: RFQT_REQUEST_MAX_RESPONSE_MS + 150,
    });
    await axios.post(url, request, { timeout: OTHER_MS });
}
"""


def test_env_empty_check_ternary_takes_the_code_default():
    found = _found("src/utils/rfq_client.ts", ENV_EMPTY)
    assert found[(10, "timeout")] == 750
    # the other branch does not read the variable the condition checks: no default is claimed
    assert found[(13, "timeout")] is None


FLAG_OFF = """import PgPromise from "pg-promise";
const pgp = PgPromise();

export const edb = pgp({
  connectionString: config.databaseUrl,
  connectionTimeoutMillis: 10 * 1000,
  statement_timeout: config.disableDatabaseStatementTimeout ? undefined : 10 * 1000,
  query_timeout: config.enableQueryTimeout ? 5 * 1000 : undefined,
});
"""


def test_switched_off_flag_ternary_keeps_the_setting():
    found = _found("src/common/db.ts", FLAG_OFF)
    assert found[(6, "timeout")] == 10000
    assert found[(7, "timeout")] == 10000
    # `flag ? value : undefined`: applied only when configured, so no value
    assert found.get((8, "timeout")) is None
