"""Round 18 (lead): undici `request(url, { headersTimeout, bodyTimeout })` puts a request's options at the called
name's line (js2's round-18 change); when both are given, the headers' wait holds that line and the body's
inactivity bound stays at its own key's line, so neither is lost (one read-phase timeout per line)."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan

BOTH = """\
import { request } from 'undici';

export async function book(id) {
  const { statusCode } = await request('http://shipping:8080/v2/bookings', {
    method: 'POST',
    headersTimeout: 3_000,
    bodyTimeout: 10_000,
  });
  return statusCode;
}

export async function quote(id) {
  const res = await request('http://shipping:8080/v2/quotes', {
    bodyTimeout: 7_000,
  });
  return res;
}
"""


def test_undici_headers_and_body_timeouts_both_kept(tmp_path: Path) -> None:
    (tmp_path / "shipping.js").write_text(BOTH)
    got = {(f.line, f.attributes["timeout_ms"]) for f in scan(tmp_path).findings if f.kind == "timeout"}
    assert got == {(4, 3000), (7, 10000), (13, 7000)}
