"""Round 21 (TypeScript, js2): an options parameter merged over a defaults object, handed on in a spread,
and a retry loop whose counter is stepped inside its condition (metriport's @metriport/shared helpers)."""

from __future__ import annotations

from contract_discovery.values import Num, Ref
from extractors.javascript.extractor import JavascriptExtractor


def _result(path: str, source: str):
    return JavascriptExtractor().extract(path, source.encode())


def _retries(path: str, source: str):
    return {f.line: f.attributes.get("max_attempts") for f in _result(path, source).findings
            if f.kind == "retry" and not any(p.attribute == "$keep_if" for p in f.pending)}


# ------------------------------------------------------------------ a merged defaults object

MERGED = """export const defaultOptions = {
  initialDelay: 10,
  maxAttempts: 5,
};

export async function executeWithRetries<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions<T> = defaultOptions
): Promise<T> {
  const actualOptions = { ...defaultOptions, ...options };
  const { initialDelay, maxAttempts: _maxAttempts } = actualOptions;
  const maxAttempts = Math.max(_maxAttempts, 1);
  let attempt = 0;
  while (++attempt <= maxAttempts) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= maxAttempts) throw error;
      await sleep(initialDelay * attempt);
    }
  }
  throw new Error("unreachable");
}

// the defaults spread last win over the caller's: no option of the caller's
export async function pinnedRetries<T>(fn: () => Promise<T>, options: RetryOptions<T> = {}) {
  const actual = { ...options, ...defaultOptions };
  const { maxAttempts } = actual;
  for (let i = 0; i < maxAttempts; i++) {
    try {
      return await fn();
    } catch (e) {
      await sleep(10);
    }
  }
}
"""


def test_a_member_of_an_options_object_merged_over_defaults_is_the_callers_option_with_its_default():
    symbols = _result("src/common/retry.ts", MERGED).symbols
    # rule (c): a call naming maxAttempts gives the tries; rule (b): leaving it (or the object) out, 5
    assert symbols["executeWithRetries.$attempts_param:1.maxAttempts"] == Num(1.0)
    assert symbols["executeWithRetries.$attempts_default:1"] == Num(5.0)
    assert symbols["executeWithRetries.$attempts_default:2"] == Num(5.0)
    assert symbols["executeWithRetries.$attempts_omitted:2"] == Num(1)
    # the caller's object spread first is overridden by the defaults: nothing of the caller's to publish
    assert not any(k.startswith("pinnedRetries.$attempts") for k in symbols)


def test_a_counter_stepped_in_the_loop_condition_counts_one_pass_fewer():
    source = """const MAX_TRIES = 3;
export async function load(url: string) {
  let attempt = 0;
  while (++attempt <= MAX_TRIES) {
    try {
      return await fetch(url);
    } catch (e) {
      await sleep(100);
    }
  }
}
export async function save(url: string) {
  let attempt = 0;
  while (attempt++ < MAX_TRIES) {
    try {
      return await fetch(url, { method: "POST" });
    } catch (e) {
      await sleep(100);
    }
  }
}
export async function send(url: string) {
  let attempt = 0;
  while (attempt <= MAX_TRIES) {
    try {
      return await fetch(url, { method: "PUT" });
    } catch (e) {
      attempt++;
      await sleep(100);
    }
  }
}
"""
    found = _retries("src/load.ts", source)
    assert found[4] == 3   # ++attempt <= 3 from 0: passes 1, 2, 3
    assert found[14] == 3  # attempt++ < 3 from 0: passes 0, 1, 2
    assert found[24] == 4  # attempt <= 3, stepped in the body: 0..3


# ------------------------------------------------------------------ the merged object handed on in a spread

NETWORK = """import { executeWithRetries, defaultOptions as defaultRetryOptions } from "../common/retry";

const defaultOptions = {
  ...defaultRetryOptions,
  initialDelay: 1000,
  retryOnTimeout: false,
};

export async function executeWithNetworkRetries<T>(fn: () => Promise<T>, options?: Partial<NetworkOptions>) {
  const actualOptions = { ...defaultOptions, ...options };
  return executeWithRetries(fn, {
    ...actualOptions,
    shouldRetry: (_, error) => isNetworkError(error),
  });
}
"""

S3 = """import { executeWithRetries } from "@acme/shared";

const defaultS3RetriesConfig = {
  maxAttempts: 4,
  initialDelay: 500,
};

export async function executeWithRetriesS3<T>(fn: () => Promise<T>, options?: RetryOptions<T>): Promise<T> {
  return await executeWithRetries(fn, {
    ...defaultS3RetriesConfig,
    ...options,
    shouldRetry: (_, error) => isRetriable(error),
  });
}

export async function copyOnce(fn: () => Promise<void>) {
  const local = { initialDelay: 5 };
  return await executeWithRetries(fn, { ...local, shouldRetry: () => true });
}
"""


def test_a_merged_options_object_handed_on_in_a_spread_is_a_chain_with_the_inner_default():
    result = _result("src/net/retry.ts", NETWORK)
    symbols = result.symbols
    assert symbols["executeWithNetworkRetries.$attempts_param:1.maxAttempts"] == \
        Ref("executeWithRetries.$attempts_param:1.maxAttempts")
    # a call leaving maxAttempts out gets executeWithRetries' own default (its object lacks the member)
    assert symbols["executeWithNetworkRetries.$attempts_default:1"] == Ref("executeWithRetries.$attempts_default:2")
    assert symbols["executeWithNetworkRetries.$attempts_omitted:2"] == Ref("executeWithRetries.$attempts_omitted:2")
    # the inner call hands the caller's options on: no rule-(b) proposal of its own at it
    assert not [f for f in result.findings if f.kind == "retry" and f.line == 11]


def test_a_defaults_object_spread_before_the_callers_options_gives_the_default():
    result = _result("src/aws/s3.ts", S3)
    symbols = result.symbols
    assert symbols["executeWithRetriesS3.$attempts_default:1"] == Num(4.0)
    assert symbols["executeWithRetriesS3.$attempts_omitted:1"] == Ref("executeWithRetries.$attempts_omitted:2")
    assert not [f for f in result.findings if f.kind == "retry" and f.line == 9]
    # a local object spread in is no caller's option: the call leaves the inner default in place (rule b)
    proposals = [f for f in result.findings if f.kind == "retry" and f.line == 18]
    assert proposals and any(p.expr == Ref("executeWithRetries.$attempts_default:2") for p in proposals[0].pending)


# ------------------------------------------------------------------ a re-call after waiting out a rate limit

def test_a_function_calling_itself_after_waiting_out_a_429_retries_without_a_count():
    source = """import { sleep } from '~/server/utils/errorHandling';
export async function createContact(user: User) {
  const response = await fetch(`${env.FRESHDESK_URL}/contacts`, { method: 'POST', body: JSON.stringify(user) });
  if (!response.ok) {
    if (response.status === 429) {
      const retryAfter = Number(response.headers.get('Retry-After'));
      await sleep(retryAfter * 1000);
      return createContact(user);
    }
    return;
  }
  return response.json();
}
export async function nextPage(cursor: string): Promise<Item[]> {
  const response = await fetch(`${env.API}/items?cursor=${cursor}`);
  const body = await response.json();
  if (body.status === 'partial') {
    await sleep(100);
    return [...body.items, ...(await nextPage(body.next))];
  }
  return body.items;
}
export async function walk(node: TreeNode): Promise<number> {
  let total = node.size;
  for (const child of node.children) {
    total += await walk(child);
  }
  return total;
}
"""
    found = {f.line: f.attributes.get("max_attempts") for f in _result("src/server/integrations/freshdesk.ts",
                                                                        source).findings
             if f.kind == "retry" and f.detector == "javascript.retry_loop"}
    assert found == {8: None}  # unbounded; paging on a non-retry status and a tree walk are no retries


# ------------------------------------------------------------------ a retry helper re-invoking its callback

RETRIER = """export const waitMs = async (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const resultRetryer = async ({
    maxTries = 3,
    delayMs = 1000,
    getData,
    dataLoopCondition = null
}: {
    maxTries?: number;
    delayMs?: number;
    getData: (previousData: any | null) => any;
    dataLoopCondition?: (data: any | null) => boolean;
}): Promise<any | null> => {
    if (!dataLoopCondition) {
        dataLoopCondition = _ => !data;
    }
    let data = await getData(null);
    let attempt = 1;
    while (dataLoopCondition(data) && attempt < maxTries) {
        await waitMs(delayMs);
        data = await getData(data);
        attempt += 1;
    }
    return data;
};

export const resultAwaiter = async ({ maxWaitMs = 30000, getData }: { maxWaitMs?: number; getData: () => any }) => {
    let data = await getData();
    let waited = 0;
    while (!data && waited < maxWaitMs) {
        await waitMs(250);
        waited += 250;
        data = await getData();
    }
    return data;
};
"""


def test_a_retry_helper_re_invoking_its_callback_counts_the_first_call_and_publishes_its_bound():
    result = _result("src/server/helpers/utils.ts", RETRIER)
    found = {f.line: f.attributes.get("max_attempts") for f in result.findings if f.kind == "retry"}
    assert found.get(19) == 3  # the first call, then at most maxTries - 1 more
    assert result.symbols["resultRetryer.$attempts_param:0.maxTries"] == Num(1.0)
    assert result.symbols["resultRetryer.$attempts_default:1"] == Num(3.0)
    assert 30 not in found  # a helper named for waiting polls: no retry


# ------------------------------------------------------------------ an options object the constructor keeps whole

KEPT_OPTIONS = """export class ChecksummedExternalStorage implements ExternalStorage {
  constructor(public readonly label: string, private _ext: ExternalStorage, private _options: {
    maxRetries: number,
    initialDelayMs: number,
  }) {
  }

  public async download(key: string) {
    return this._retry("download", () => this._ext.download(key));
  }

  private async _retry<T>(name: string, operation: () => Promise<T | undefined>): Promise<T> {
    let backoffCount = 1;
    let backoffFactor = this._options.initialDelayMs;
    while (backoffCount <= this._options.maxRetries) {
      const result = await operation();
      if (result !== undefined) { return result; }
      await delay(Math.round(backoffFactor));
      backoffCount++;
      backoffFactor *= 1.7;
    }
    throw new Error(`operation failed to achieve consistency: ${name}`);
  }
}
"""


def test_a_loop_bounded_by_a_member_of_an_options_object_kept_whole_is_proposed_at_constructions():
    result = _result("app/server/lib/ExternalStorage.ts", KEPT_OPTIONS)
    # the loop forwards the constructor's option (no default): the contract is at each construction
    assert result.symbols["ChecksummedExternalStorage.$attempts_param:2.maxRetries"] == Num(1.0)
    assert "$forwarder:15:5:retry" in result.symbols


# ------------------------------------------------------------------ an optional parameter handed to a defaulted one

OPTIONAL_FORWARD = """import { withSysReadDeadline } from './sys-read-deadline';
async function safeSysRead<T>(op: () => Promise<T>, fallback: T, fn: string, extra?: object, deadlineMs?: number) {
  try {
    return { value: await withSysReadDeadline(op(), deadlineMs), degraded: false };
  } catch (err) {
    return { value: fallback, degraded: true };
  }
}
async function scaled(op: () => Promise<unknown>, seconds?: number) {
  return await withSysReadDeadline(op(), seconds * 1000);
}
export async function bucket(key: string) {
  const { value } = await safeSysRead(() => sysRedis.get(key), null, 'get', { key });
  const { value: m } = await safeSysRead(() => sysRedis.sMembers(key), [], 'sm', { key }, 15000);
  return [value, m];
}
"""


def test_an_optional_parameter_handed_to_a_defaulted_one_leaves_the_inner_default_to_calls_omitting_it():
    result = _result("src/server/redis/queues.ts", OPTIONAL_FORWARD)
    symbols = result.symbols
    # undefined handed on: the inner parameter's default applies (held where the inner helper publishes one)
    assert symbols["safeSysRead.$timeout_default:4"] == Ref("withSysReadDeadline.$timeout_default:1")
    assert symbols["safeSysRead.$timeout_omitted:4"] == Ref("withSysReadDeadline.$timeout_omitted:1")
    # handed on scaled: no such chain (the unit would differ)
    assert "scaled.$timeout_default:1" not in symbols
    proposals = {f.line for f in result.findings if f.kind == "timeout"
                 and any(p.expr == Ref("safeSysRead.$timeout_omitted:4") for p in f.pending)}
    assert proposals == {13}


def test_a_plain_parameter_handed_on_mid_call_leaves_nothing_out_of_the_inner_call():
    source = """import { searchAudible } from './audible';
export class BookFinder {
  async search(libraryItem, provider, title, author, isbn, asin, options = {}) {
    return await searchAudible(title, author, asin, provider)
  }
}
"""
    symbols = _result("server/finders/BookFinder.js", source).symbols
    assert not any("omitted" in k and k.startswith("BookFinder.search") for k in symbols)
