"""Round 14 (js1, Node.js services: snyk broker, Zeppelin, AtlantaBot, Coral Talk, MiroTalk SFU): a base
class in another file whose constructor takes an options bag with defaults, convict settings, a path
alias kept in `src/tsconfig.json`, a retry's delay that is no deadline, local-state polls and log lines."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan


def _scan(tmp_path: Path, files: dict[str, str]):
    root = tmp_path / "svc"
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    return {(f.path.rsplit("/", 1)[-1], f.line, f.kind, f.attributes.get("timeout_ms" if f.kind == "timeout"
                                                                         else "max_attempts"))
            for f in result.findings if f.kind in ("timeout", "retry")}


# --- a job base class: constructor({ timeout = 30000, attempts = DEFAULT }) read by every `new Task({...})` ---

TASK = {
    "package.json": '{"name": "svc", "dependencies": {"bull": "3", "p-timeout": "3", "convict": "6", "ms": "2"}}\n',
    "src/tsconfig.json": '{ "compilerOptions": { "baseUrl": "./", "paths": { "svc-server/*": ["./core/*"] } } }\n',
    "src/core/queue/Task.ts": """import Queue from "bull";
import timeoutPromiseAfter from "p-timeout";

const DEFAULT_MAX_JOB_ATTEMPTS = 5 as const;

export default class Task<T, U = any> {
  private readonly timeout: number;
  private readonly options: any;
  constructor({
    jobName,
    timeout = 30000,
    attempts = DEFAULT_MAX_JOB_ATTEMPTS,
  }: TaskOptions<T, U>) {
    this.queue = new Queue(jobName);
    this.options = {
      removeOnComplete: true,
      attempts,
    };
    this.timeout = timeout;
  }
  public async add(data: T) {
    return this.queue.add(data, this.options);
  }
  public process() {
    this.queue.process(async (job) => {
      return await timeoutPromiseAfter(
        this.processor(job),
        this.timeout
      );
    });
  }
}
""",
    "src/core/config.ts": """import convict from "convict";
import ms from "ms";

const config = convict({
  mailer_job_timeout: {
    doc: "Maximum time a mailer job may take.",
    format: "ms",
    default: ms("30s"),
    env: "MAILER_JOB_TIMEOUT",
  },
  perspective_timeout: {
    doc: "The request timeout for perspective.",
    format: "ms",
    default: ms("800 milliseconds"),
    env: "PERSPECTIVE_TIMEOUT",
  },
  // ok: a setting without a timeout word is no timeout
  retry_label: { doc: "a label", format: String, default: "timeout" },
});

export default config;
""",
    "src/core/queue/tasks/jobs.ts": """import Task from "svc-server/queue/Task";

export function createA(queue: any) {
  return new Task({
    jobName: "a",
    queue,
  });
}
export function createB(queue: any) {
  return new Task({
    jobName: "b",
    attempts: 1,
    timeout: 2 * 60 * 1000,
  });
}
export function createMailer(options: any) {
  return new Task({
    jobName: "mailer",
    timeout: options.config.get("mailer_job_timeout"),
  });
}
// ok: a Task word in a comment, new Task({ timeout: 5 })
export const attempts = 3;
""",
}


def test_a_base_class_options_bag_defaults_reach_every_construction(tmp_path: Path) -> None:
    got = _scan(tmp_path, TASK)
    assert ("Task.ts", 17, "retry", 5) in got          # rule (a): bull job attempts = DEFAULT_MAX_JOB_ATTEMPTS
    assert ("Task.ts", 26, "timeout", 30000) in got    # rule (a): the job raced with p-timeout
    jobs = {g for g in got if g[0] == "jobs.ts"}
    assert ("jobs.ts", 4, "timeout", 30000) in jobs    # rule (b): both left out
    assert ("jobs.ts", 4, "retry", 5) in jobs
    assert ("jobs.ts", 12, "retry", 1) in jobs         # rule (c), on the key
    assert ("jobs.ts", 13, "timeout", 120000) in jobs
    assert ("jobs.ts", 17, "retry", 5) in jobs         # rule (b) for attempts
    assert ("jobs.ts", 19, "timeout", 30000) in jobs   # rule (c): convict's default ms("30s")
    assert not {g for g in jobs if g[1] in (9, 10, 22, 23)}


def test_convict_defaults_and_ms_spellings_are_settings(tmp_path: Path) -> None:
    from extractors.javascript.context import FileContext, ms_string

    assert ms_string("800 milliseconds") == 800.0
    assert ms_string("2 weeks") == 2 * 604800000.0
    assert ms_string("10 fortnights") is None
    ctx = FileContext.build("config.ts", TASK["src/core/config.ts"].encode())
    assert ctx.evaluate(ctx.symbols["$envdefault.mailer_job_timeout"]).value == 30000.0
    assert ctx.evaluate(ctx.symbols["$envdefault.perspective_timeout"]).value == 800.0
    assert "$envdefault.retry_label" not in ctx.symbols or \
        ctx.evaluate(ctx.symbols["$envdefault.retry_label"]).value == "timeout"


def test_a_bare_module_without_a_source_path_is_no_project_import() -> None:
    from extractors.javascript.detectors.wrapper_call import _ALIASED_SOURCE

    assert _ALIASED_SOURCE.match("coral-server/queue/Task")
    assert _ALIASED_SOURCE.match("app-server/services/http/client")
    assert not _ALIASED_SOURCE.match("lodash")
    assert not _ALIASED_SOURCE.match("lodash/get")
    assert not _ALIASED_SOURCE.match("date-fns/locale")


# --- a retry's wait scheduled by setTimeout is no deadline; a log line's fields are no options ---

RECURSIVE = {
    "package.json": '{"name": "svc"}\n',
    "lib/request.ts": """import http from "node:http";
const MAX_RETRY = 3;
export const makeRequest = async (req: any, retries = MAX_RETRY): Promise<any> => {
  return new Promise((resolve, reject) => {
    const request = http.request(req.url, { method: req.method }, (response) => {
      response.on("end", () => resolve(response));
    });
    request.on("error", (error) => {
      if (retries > 0) {
        setTimeout(() => {
          resolve(makeRequest(req, retries - 1));
        }, 500);
      } else {
        reject(error);
      }
    });
    request.end();
  });
};
export function listen(server: any, logger: any, port: number) {
  server.requestTimeout = 600000;
  logger.info({ port, requestTimeout: server.requestTimeout }, "listening");
}
""",
}


def test_a_timer_that_runs_the_request_again_is_a_retry_not_a_deadline(tmp_path: Path) -> None:
    got = _scan(tmp_path, RECURSIVE)
    assert ("request.ts", 11, "retry", 4) in got       # retries = 3 counted down: 4 tries, on the re-call
    assert not {g for g in got if g[2] == "timeout" and g[1] in (10, 11, 12)}   # the 500 ms wait
    assert not {g for g in got if g[1] == 21}          # a logger's fields


# --- a run scheduled again while a listener of the process is missing: a poll of its own state ---

LOCAL_POLL = {
    "package.json": '{"name": "svc"}\n',
    "loops/expiring.ts": """import { hasGuildEventListener, emitGuildEvent } from "../events";
const MAX_TRIES_PER_SERVER = 3;
const timeouts = new Map();
async function broadcastExpired(guildId: string, userId: string, tries = 0) {
  const mute = await repository.findMute(guildId, userId);
  if (!mute) return;
  if (!hasGuildEventListener(guildId, "expiredMute")) {
    if (tries < MAX_TRIES_PER_SERVER) {
      timeouts.set(userId, setTimeout(() => broadcastExpired(guildId, userId, tries + 1), 60000));
    }
    return;
  }
  emitGuildEvent(guildId, "expiredMute", [mute]);
}
async function sendReport(url: string, tries = 0) {
  try {
    await fetch(url, { method: "POST" });
  } catch (err) {
    if (tries < 3) {
      setTimeout(() => sendReport(url, tries + 1), 1000);
    }
  }
}
""",
}


def test_a_reschedule_waiting_for_local_state_is_no_retry(tmp_path: Path) -> None:
    got = _scan(tmp_path, LOCAL_POLL)
    assert not {g for g in got if g[1] == 9}           # waits for a listener of its own process
    assert {g for g in got if g[1] == 20 and g[2] == "retry"}   # a failed POST sent again: a retry


# --- an options parameter whose default is an object literal: its count is the helper's default ---

DEFAULT_OBJECT = {
    "package.json": '{"name": "svc"}\n',
    "lib/backoff.ts": """export const retry = async <T>(
  fn: () => Promise<T> | T,
  { retries, operation } = { retries: 30, operation: '' },
  attempt = 0,
) => {
  try {
    return await fn();
  } catch (error) {
    if (retries <= 0) {
      throw error;
    }
    await sleep(2 ** attempt * 100);
    return retry(fn, { retries: retries - 1, operation }, attempt + 1);
  }
};
const sleep = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));
""",
    "lib/check.ts": """import { retry } from "./backoff";
export async function check(url: string) {
  const response = await retry(
    () => fetch(url),
    { retries: 3, operation: 'health check' },
  );
  // ok: const retries = { retries: 30 } is a plain object, no call
  const options = { retries: 30, operation: "x" };
  return [response, options];
}
""",
}


def test_an_options_parameter_defaulting_to_an_object_gives_its_count(tmp_path: Path) -> None:
    got = _scan(tmp_path, DEFAULT_OBJECT)
    assert ("backoff.ts", 13, "retry", 31) in got      # rule (a): { retries: 30 } left out, 31 tries
    assert ("check.ts", 3, "retry", 4) in got          # rule (c): retries 3 passed
    assert not {g for g in got if g[0] == "check.ts" and g[1] in (7, 8)}
