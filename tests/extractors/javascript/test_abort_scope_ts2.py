"""Round 21 (TypeScript, js2): an AbortController's timer read where the fetch using its signal runs in a
callback (civitai's BitDex client: `withSpan(name, attrs, () => fetch(url, { signal: controller.signal }))`)."""

from __future__ import annotations

from extractors.javascript.extractor import JavascriptExtractor

SOURCE = """const BITDEX_TIMEOUT_MS = 30000;
export async function documents(url: string) {
  const controller = new AbortController();
  const timeout = setTimeout(() => controller.abort(), BITDEX_TIMEOUT_MS);
  try {
    const res = await withSpan('bitdex:http', { url }, () =>
      fetch(url, {
        method: 'POST',
        signal: controller.signal,
      })
    );
    return res.json();
  } finally {
    clearTimeout(timeout);
  }
}
export async function handed(url: string, controller: AbortController) {
  const res = await withSpan('x', {}, () => fetch(url, { signal: controller.signal }));
  return res;
}
export async function spinner(url: string) {
  const controller = new AbortController();
  setTimeout(() => showSpinner(), 200);
  return await withSpan('y', {}, async () => {
    // the comment says setTimeout(() => controller.abort(), 5000) but nothing aborts it
    return fetch(url, { signal: controller.signal });
  });
}
"""


def _timeouts():
    result = JavascriptExtractor().extract("src/server/bitdex/client.ts", SOURCE.encode())
    return {f.line: f.attributes.get("timeout_ms") for f in result.findings if f.kind == "timeout"
            and not any(p.attribute == "$keep_if" for p in f.pending)}


def test_the_timer_of_a_controller_declared_outside_the_callback_bounds_the_fetch():
    assert _timeouts().get(7) == 30000


def test_a_controller_handed_in_or_never_aborted_by_a_timer_is_no_bound():
    found = _timeouts()
    assert 18 not in found  # the caller's controller: its timer (if any) is the caller's
    assert 26 not in found  # a spinner timer and a comment abort nothing
