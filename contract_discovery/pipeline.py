"""The scan: walk, prefilter, extract in parallel (with a content-hash cache), resolve, assemble.

Each file is read once and parsed at most once per extractor that claims it; a
file whose bytes contain none of an extractor's prefilter tokens is never parsed
by it. Extraction runs in worker processes (``--jobs``), results stream back
and are reduced to small records, so memory stays bounded. Output order is
deterministic whatever the number of workers.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import posixpath
import re
import signal
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

from contract_discovery import __version__, resident
from contract_discovery.cache import ScanCache
from contract_discovery.config import Config, load_config
from contract_discovery.contracts.names import norm
from contract_discovery.envfiles import render
from contract_discovery.discovery import ServiceLocator, classify_bytes, discover_services, read_limited, walk
from contract_discovery.errors import ToolError
from contract_discovery.links import project_links
from contract_discovery.model import ErrorEntry, FileResult, Finding, ScanResult, ScanStats, Service
from contract_discovery.registry import extractors, extractors_for, is_claimed
from contract_discovery.resolve import KEEP_IF, Resolver, ServiceIndex, published_names, resolve_findings
from contract_discovery.tsconfig import path_aliases, workspace_aliases
from contract_discovery.values import Expr, Ref, Str, Unknown, evaluate, ref_names
from extractors import wrappers
from extractors.wrappers import propose_for

PARALLEL_FROM = 64  # fewer files to extract than this: in this process, no workers
PER_FILE_SECONDS = float(os.environ.get("CONTRACT_DISCOVERY_FILE_BUDGET", "20"))
_SUPPRESS = re.compile(rb"contract-discovery:\s*ignore(?:\[([A-Za-z0-9_,\-. ]*)\])?")


@dataclass(frozen=True)
class FileOutcome:
    path: str
    results: tuple[FileResult, ...]
    errors: tuple[ErrorEntry, ...]
    suppressions: dict[int, frozenset[str]]
    languages: tuple[str, ...]
    parsed: bool
    prefiltered_out: bool
    cached: bool = False


# --- the per-file work (runs in workers) -------------------------------------------------------

@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Identifies the extraction code: tool version plus the extractors' files (for the cache)."""
    digest = hashlib.blake2b(__version__.encode(), digest_size=12)
    base = Path(__file__).resolve().parent.parent / "extractors"
    core = Path(__file__).resolve().parent
    for folder in (base, core):
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".py", ".scm"):
                try:
                    st = path.stat()
                except OSError:
                    continue
                digest.update(f"{path.name}:{st.st_size}:{st.st_mtime_ns}".encode())
    return digest.hexdigest()


def find_suppressions(data: bytes) -> dict[int, frozenset[str]]:
    if b"contract-discovery:" not in data:
        return {}
    out: dict[int, frozenset[str]] = {}
    for match in _SUPPRESS.finditer(data):
        line = data.count(b"\n", 0, match.start()) + 1
        ids = match.group(1)
        rules = frozenset(r.strip().decode() for r in ids.split(b",") if r.strip()) if ids else frozenset({"*"})
        out[line] = out.get(line, frozenset()) | rules
    return out


_TYPESCRIPT = (".ts", ".tsx", ".mts", ".cts")


# Extractors of files that only give values to other files' settings: never a language of a service.
_VALUE_SOURCES = frozenset({"deployenv", "nodeconfig", "appsettings", "goconfig", "ckanconfig"})


def deployment_env(service: Service, files: list[FileResult]) -> dict[str, Expr]:
    """The environment a service runs with, from the scan's deployment files (see
    extractors/deployenv; Kubernetes workloads' container env from extractors/kubernetes): its
    compose services and workloads (same name up to a `-service`-style suffix, an `app` label or
    container name, or a compose build context inside its folder)
    and the ``.env`` files in its folder; ``.env.example``-style files only for variables nothing
    else sets. Sources that disagree (one compose file per stage) leave the variable Unknown."""
    prefix = "" if service.path in ("", ".") else service.path.rstrip("/") + "/"
    own = norm(service.name)
    # compose interpolates from the `.env` file beside the compose file
    beside: dict[str, dict[str, str]] = {}
    for f in files:
        if posixpath.basename(f.path) == ".env":
            beside[posixpath.dirname(f.path)] = {k.split(":", 1)[1]: v.value for k, v in f.symbols.items()
                                                 if k.startswith("$dotenv:") and isinstance(v, Str)}
    found: dict[str, set[str]] = {}
    examples: dict[str, set[str]] = {}
    for f in files:
        folder = posixpath.dirname(f.path)
        names = set()
        for key, value in f.symbols.items():
            if key.startswith("$deploy-build:") and isinstance(value, Str):
                context = posixpath.normpath(posixpath.join(folder, value.value)) if folder else posixpath.normpath(value.value)
                if context == service.path or (prefix and (context + "/").startswith(prefix)):
                    names.add(key.split(":", 1)[1])
        for key, value in f.symbols.items():
            if not isinstance(value, Str):
                continue
            if key.startswith("$deploy-env:"):
                _, compose_service, var = key.split(":", 2)
                if compose_service in names or compose_service == service.name or norm(compose_service) == own:
                    text = render(value.value, beside.get(folder, {})) if "$" in value.value else value.value
                    if text is not None:
                        found.setdefault(var, set()).add(text)
            elif key.startswith(("$dotenv:", "$dotenv-example:")) and (not prefix or f.path.startswith(prefix)):
                target = examples if key.startswith("$dotenv-example:") else found
                target.setdefault(key.split(":", 1)[1], set()).add(value.value)
    out: dict[str, Expr] = {}
    for var, values in {**examples, **found}.items():
        out[var] = Str(next(iter(values))) if len(values) == 1 else Unknown(
            f"{var} differs between deployment files: {', '.join(sorted(values))}")
    return out


def language_of(relpath: str, language: str) -> str:
    """The language to show for a file: one extractor reads JavaScript and TypeScript alike."""
    if language == "javascript" and relpath.endswith(_TYPESCRIPT):
        return "typescript"
    return language


class _Budget(Exception):
    pass


def _alarm(signum, frame):  # pragma: no cover - timing dependent
    raise _Budget()


def process_file(root: str, relpath: str, max_size: int, use_prefilter: bool = True,
                 helpers: frozenset[str] | None = frozenset()) -> FileOutcome:
    """Read, classify, prefilter and extract one file. Never raises. ``helpers``: the helper names
    whose calls are proposed for (``extractors.wrappers.propose_for``; the first pass knows none,
    ``_helper_pass`` extracts the files calling one again)."""
    claimed = extractors_for(relpath)
    # Extractors of generic formats (any *.yaml may be a Kubernetes manifest) name a language
    # only for files they found relevant; a .py file is Python whatever it holds.
    languages = tuple(sorted({language_of(relpath, e.language) for e in claimed if e.claims_language}))
    loaded = read_limited(Path(root) / relpath, max_size)
    if isinstance(loaded, ErrorEntry):
        return FileOutcome(relpath, (), (replace(loaded, path=relpath),), {}, languages, False, False)
    data, problem = classify_bytes(relpath, loaded)
    if data is None:
        return FileOutcome(relpath, (), (problem,) if problem else (), {}, languages, False, False)
    suppressions = find_suppressions(data)
    wanted = [e for e in claimed if not use_prefilter or e.prefilter(data)]
    if not wanted:
        return FileOutcome(relpath, (), (), suppressions, languages, False, True)
    results: list[FileResult] = []
    errors: list[ErrorEntry] = []
    use_alarm = PER_FILE_SECONDS > 0 and hasattr(signal, "setitimer") and _in_main_thread()
    for extractor in wanted:
        previous = None
        try:
            if use_alarm:
                previous = signal.signal(signal.SIGALRM, _alarm)
                signal.setitimer(signal.ITIMER_REAL, PER_FILE_SECONDS)
            with propose_for(helpers):
                results.append(extractor.extract(relpath, data))
        except _Budget:
            errors.append(ErrorEntry(relpath, "timeout",
                                     f"{extractor.name} extractor exceeded the {PER_FILE_SECONDS:g}s per-file budget: skipped"))
        except RecursionError:
            errors.append(ErrorEntry(relpath, "parse_error", f"{extractor.name}: nesting too deep to analyse"))
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop the scan
            errors.append(ErrorEntry(relpath, "extractor_error", f"{extractor.name} extractor failed: {type(exc).__name__}: {exc}"))
        finally:
            if use_alarm:
                signal.setitimer(signal.ITIMER_REAL, 0)
                if previous is not None:
                    signal.signal(signal.SIGALRM, previous)
    for r in results:
        errors.extend(r.errors)
    languages = tuple(sorted(set(languages) | {language_of(relpath, r.language) for r in results
                                               if (r.findings or r.symbols) and r.language not in _VALUE_SOURCES}))
    return FileOutcome(relpath, tuple(results), tuple(errors), suppressions, languages, True, False)


def _in_main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _prepare_cache(folder: Path) -> None:
    """Create the cache folder with a .gitignore and a CACHEDIR.TAG, as ruff and pytest do."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        ignore = folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# Created by contract-discovery automatically.\n*\n")
        tag = folder / "CACHEDIR.TAG"
        if not tag.exists():
            tag.write_text("Signature: 8a477f597d28d172789f06886806bc55\n# contract-discovery cache\n")
    except OSError:
        pass  # a read-only tree: the scan runs without a cache


class _Pool:
    """One worker pool for the whole scan (extraction, then the symbol pass), made on first use."""

    def __init__(self, jobs: int):
        self.jobs = jobs
        self._pool: ProcessPoolExecutor | None = None

    def get(self) -> ProcessPoolExecutor:
        if self._pool is None:
            import multiprocessing

            context = multiprocessing.get_context("fork") if sys.platform != "win32" else None
            self._pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=context, initializer=_worker_init)
        return self._pool

    def prewarm(self) -> None:
        """Start the workers now (with fork, all of them at the first task)."""
        try:
            self.get().submit(_noop)
        except (OSError, RuntimeError):
            self.discard(wait=False)

    def discard(self, wait: bool = True) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=wait, cancel_futures=True)
            self._pool = None


def _noop() -> None:
    return None


def _process_batch(args: tuple) -> list[FileOutcome]:
    root, relpaths, max_size, use_prefilter = args
    return [process_file(root, p, max_size, use_prefilter) for p in relpaths]


def _worker_init() -> None:
    # Ctrl-C is handled by the parent, which shuts the pool down.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    extractors()


# --- the scan ---------------------------------------------------------------------------------

def _shard_of(relpath: str, count: int) -> int:
    return int.from_bytes(hashlib.sha1(relpath.encode()).digest()[:4], "big") % count


def changed_files(root: Path, rev: str) -> set[str]:
    """Files changed since ``rev`` (committed, staged, unstaged and untracked), root-relative."""
    def git(*args: str) -> list[str]:
        proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            raise ToolError(f"git {' '.join(args)} failed: {proc.stderr.strip() or proc.returncode}")
        return [line for line in proc.stdout.splitlines() if line]

    prefix = git("rev-parse", "--show-prefix")
    prefix_str = prefix[0] if prefix else ""
    names = git("diff", "--name-only", "--relative", rev) + git("ls-files", "--others", "--exclude-standard")
    return {n[len(prefix_str):] if prefix_str and n.startswith(prefix_str) else n for n in names}


def scan(root: Path | str, config: Config | None = None, jobs: int | None = 1, include_tests: bool = False,
         quiet: bool = True, use_prefilter: bool = True, cache_dir: Path | str | None = None,
         shard: tuple[int, int] | None = None, changed_since: str | None = None,
         on_progress: Callable[[int, int], None] | None = None) -> ScanResult:
    """Scan ``root`` and return services, resolved findings, inferred contracts and errors.

    ``jobs``: worker processes (None = all cores). ``shard``: (index, count), 1-based index;
    only the files of the shard's services are extracted. ``changed_since``: only services with files changed
    since that git revision are extracted.
    """
    started = time.perf_counter()
    root = Path(root)
    if not root.is_dir():
        raise ToolError(f"root {str(root)!r} is not a directory")
    config = config or load_config(root)
    cache = None
    if cache_dir:
        _prepare_cache(Path(cache_dir))
        salt = code_fingerprint() + config.fingerprint()
        cache = resident.cache((str(cache_dir), salt, use_prefilter),
                               lambda: ScanCache(Path(cache_dir), salt, use_prefilter))
    pool = _Pool(jobs or os.cpu_count() or 1)
    try:
        return _scan(root, config, pool, cache, include_tests, use_prefilter, shard, changed_since, on_progress,
                     jobs, started)
    finally:
        pool.discard()


def _scan(root: Path, config: Config, pool: "_Pool", cache: ScanCache | None, include_tests: bool,
          use_prefilter: bool, shard, changed_since, on_progress, jobs, started: float) -> ScanResult:
    memo = resident.walk_memo((os.path.realpath(root), include_tests, config.include_tests, tuple(config.exclude)))
    # A cold scan of a tree big enough to extract in parallel: the workers start (fork, load the
    # grammars and detectors) while the walk goes on.
    cold = pool.jobs > 1 and (cache is None or not cache.files) and not resident.active
    walked = walk(root, config, include_tests=include_tests, wanted=is_claimed, memo=memo,
                  on_many=(PARALLEL_FROM, pool.prewarm) if cold else None)
    services = discover_services(root, config, walked)
    files = list(walked.files)
    locator = ServiceLocator(services)
    if shard is not None:
        # Whole services go to one shard (by the hash of the service's path), so values that
        # cross files of a service resolve exactly as in an unsharded scan.
        index, count = shard
        files = [f for f in files if _shard_of((s.path if (s := locator.owner(f)) else "."), count) == index - 1]
    if changed_since:
        touched = changed_files(root, changed_since)
        touched_services = {s.name for p in touched if (s := locator.owner(p)) is not None}
        files = [f for f in files if (s := locator.owner(f)) is not None and s.name in touched_services
                 or (s is None and f in touched)]
    stat_keys: dict[str, tuple[int, int] | None] = {}
    outcomes: list[FileOutcome] = []
    todo = files
    if cache is not None:
        todo = []
        for relpath in files:
            stat_keys[relpath] = key = ScanCache.stat_key(str(root), relpath)
            hit = cache.lookup(relpath, key)
            if hit is not None:
                outcomes.append(hit)
            else:
                todo.append(relpath)
    outcomes.extend(_run(str(root), todo, config, jobs, use_prefilter, on_progress, len(files) - len(todo),
                         pool=pool))
    symbols: dict[str, bytes] = {}
    if use_prefilter:
        outcomes, symbols = _symbol_pass(str(root), outcomes, services, config, cache, jobs, pool=pool)
    else:
        outcomes, _ = _helper_pass(str(root), outcomes, config, jobs, pool)
    if cache is not None and (todo or symbols != cache.symbols or len(cache.files) != len(outcomes)
                              or any(not o.cached for o in outcomes)):
        cache.save(str(root), outcomes, stat_keys, symbols)
    result = assemble(root, config, services, outcomes, list(walked.errors), len(walked.files), started)
    if shard is not None:
        # A shard reports its own services only (the others are another shard's).
        mine = tuple(s for s in result.services if _shard_of(s.path if s.path not in ("", ".") else ".", shard[1]) == shard[0] - 1)
        result = replace(result, services=mine, contracts=tuple(c for c in result.contracts
                                                                 if getattr(c, "service", None) in {s.name for s in mine}))
    return result


def _run(root: str, files: list[str], config: Config, jobs: int | None, use_prefilter: bool,
         on_progress, already_done: int = 0, parallel_from: int | None = None, pool: "_Pool | None" = None) -> list[FileOutcome]:
    jobs = jobs or os.cpu_count() or 1
    parallel_from = PARALLEL_FROM if parallel_from is None else parallel_from
    total = len(files) + already_done
    done = already_done
    outcomes: list[FileOutcome] = []
    if jobs <= 1 or len(files) < parallel_from:
        for relpath in files:
            outcomes.append(process_file(root, relpath, config.max_file_size, use_prefilter))
            done += 1
            if on_progress:
                on_progress(done, total)
        return outcomes
    size = max(8, min(128, len(files) // (jobs * 16) or 8))
    batches = [files[i:i + size] for i in range(0, len(files), size)]
    failed: list[list[str]] = []
    own = pool is None
    holder = pool or _Pool(jobs)
    try:
        executor = holder.get()
        futures = {executor.submit(_process_batch, (root, b, config.max_file_size, use_prefilter)): b
                   for b in batches}
        for future in as_completed(futures):
            try:
                outcomes.extend(future.result())
            except (BrokenProcessPool, OSError, pickle.PickleError):
                failed.append(futures[future])
            done += len(futures[future])
            if on_progress:
                on_progress(done, total)
    except KeyboardInterrupt:
        holder.discard(wait=False)
        raise
    finally:
        if own:
            holder.discard()
    if failed:
        holder.discard()  # a dead worker breaks the pool: the next phase gets a fresh one
    # A worker that died: its files are retried once, one by one, each in its own process.
    for batch in failed:
        for relpath in batch:
            outcomes.append(_retry_isolated(root, relpath, config, use_prefilter))
    return outcomes


def _symbol_pass(root: str, outcomes: list[FileOutcome], services: list[Service], config: Config,
                 cache: ScanCache | None, jobs: int | None = 1, rounds: int = 3, pool: "_Pool | None" = None) -> tuple[list[FileOutcome], dict[str, bytes]]:
    """The prefilter only lets through files that may hold a finding; a constant that a finding
    refers to (``settings.VENDOR_TIMEOUT``) may live in a file it skipped. For each service, the
    names that do not resolve yet are looked for in its skipped files, and only the files that
    mention one are extracted: the result is the same as parsing every file. A skipped file that
    is unchanged since the last scan is not searched again for the same names."""
    searched: dict[str, bytes] = {}
    looked_for: dict[str, set[bytes]] = {}  # per service: tokens already searched in its skipped files
    locator = ServiceLocator(services)
    path_of = {s.name: s.path for s in services}
    links = {path_of[name]: tuple(path_of[o] for o in others)
             for name, others in project_links(Path(root), services).items()}
    for _ in range(rounds):
        outcomes, helpers = _helper_pass(root, outcomes, config, jobs, pool)
        by_key: dict[str, list[FileOutcome]] = {}
        for outcome in outcomes:
            owner = locator.owner(outcome.path)
            by_key.setdefault(owner.path if owner else ".", []).append(outcome)
        replacements: dict[str, FileOutcome] = {}
        candidates: list[tuple[str, frozenset[bytes]]] = []
        for key, group in by_key.items():
            skipped = [o for o in group if o.prefiltered_out]
            if not skipped:
                continue
            results = [r for o in group for r in o.results]
            linked = [r for other in links.get(key, ()) for o in by_key.get(other, ()) for r in o.results]
            all_tokens = _unresolved_tokens(results, linked) | _wrapper_tokens(results + linked)
            tokens = frozenset(all_tokens - looked_for.get(key, set()))
            if not tokens:
                continue
            looked_for.setdefault(key, set()).update(tokens)
            digest = hashlib.blake2b(b"\0".join(sorted(looked_for[key])), digest_size=16).digest()
            previous = cache.symbols.get(key) if cache is not None else None
            searched[key] = digest
            # A referenced project's skipped files may define what this one needs (links.py).
            linked_skipped = [o for other in links.get(key, ()) for o in by_key.get(other, ()) if o.prefiltered_out]
            for outcome in skipped + linked_skipped:
                if outcome.cached and previous == digest:
                    continue  # unchanged, and it did not mention these names last time
                candidates.append((outcome.path, tokens))
        if links:  # a file searched for two services' names is read once
            merged: dict[str, frozenset[bytes]] = {}
            for relpath, tokens in candidates:
                merged[relpath] = merged.get(relpath, frozenset()) | tokens
            candidates = list(merged.items())
        for outcome in _search_and_extract(root, candidates, config, jobs, pool, helpers):
            replacements[outcome.path] = outcome
        if not replacements:
            break
        outcomes = [replacements.get(o.path, o) for o in outcomes]
    else:
        outcomes, _ = _helper_pass(root, outcomes, config, jobs, pool)
    return outcomes, searched


def _helper_pass(root: str, outcomes: list[FileOutcome], config: Config, jobs: int | None,
                 pool: "_Pool | None" = None) -> tuple[list[FileOutcome], frozenset[str]]:
    """Extract again, proposing for the helpers that exist, each file that calls one (its
    ``FileResult.calls`` meet the names the scan's files published) and was extracted for another
    set (the first pass, or a cached scan before a helper appeared or went): see
    ``extractors.wrappers``. A file whose second extraction fails keeps its first. Returns the
    outcomes and the helper names."""
    for _ in range(3):  # a second extraction publishes nothing new (forwards are first-pass work)
        names: set[str] = set()
        for outcome in outcomes:
            for result in outcome.results:
                if result.symbols:
                    names |= published_names(result.symbols)
        todo: list[tuple[str, frozenset[str]]] = []
        for outcome in outcomes:
            pairs = [(r.calls & names, r.proposed_for) for r in outcome.results if r.calls is not None]
            if any(wanted != had for wanted, had in pairs):
                todo.append((outcome.path, frozenset().union(*(wanted for wanted, _ in pairs))))
        if not todo:
            return outcomes, frozenset(names)
        redone = {o.path: o for o in _extract_for_helpers(root, todo, config, jobs, pool)
                  if o.results and not any(e.kind in ("worker_crash", "timeout") for e in o.errors)}
        if not redone:
            return outcomes, frozenset(names)
        outcomes = [redone.get(o.path, o) for o in outcomes]
    return outcomes, frozenset(names)


def _helpers_batch(args: tuple) -> list[FileOutcome]:
    root, items, max_size = args
    return [process_file(root, relpath, max_size, False, helpers) for relpath, helpers in items]


def _extract_for_helpers(root: str, todo: list[tuple[str, frozenset[str]]], config: Config, jobs: int | None,
                         pool: "_Pool | None" = None) -> list[FileOutcome]:
    # a dead pool leaves the first pass's outcomes (proposals for no helper): never a lost file
    return _in_batches(_helpers_batch, root, todo, config, jobs, pool, smallest=64, least=8,
                       fallback=lambda: [])


def _in_batches(work: Callable[[tuple], list[FileOutcome]], root: str, items: list, config: Config,
                jobs: int | None, pool: "_Pool | None", smallest: int, least: int, fallback,
                *extra) -> list[FileOutcome]:
    """``work((root, batch, max_size, *extra))`` over ``items``: in this process when one job or
    fewer than ``smallest`` items, else in batches (of ``least`` items or more) in the worker pool;
    ``fallback()`` when the pool breaks."""
    jobs = jobs or os.cpu_count() or 1
    if jobs <= 1 or len(items) < smallest:
        return work((root, items, config.max_file_size, *extra))
    size = max(least, len(items) // (jobs * 4))
    batches = [items[i:i + size] for i in range(0, len(items), size)]
    found: list[FileOutcome] = []
    own = pool is None
    holder = pool or _Pool(jobs)
    try:
        for batch_result in holder.get().map(work, [(root, b, config.max_file_size, *extra) for b in batches]):
            found.extend(batch_result)
    except (BrokenProcessPool, OSError, pickle.PickleError):
        holder.discard()
        found = fallback()
    finally:
        if own:
            holder.discard()
    return found


def _local_to_file(result: FileResult, name: str) -> bool:
    """A Python or JavaScript/TypeScript name that the file neither defines nor imports (a
    parameter, a local, an attribute of one: ``url``, ``this.baseUrl``) cannot come from another
    file, unless a star import could have brought it. (Not so in Go, Java, Kotlin, C# or Ruby,
    where a package, class hierarchy or autoload shares names without an import.)"""
    if result.language not in ("python", "javascript"):
        return False
    head = name.split(".", 1)[0]
    if head in result.imports or head in result.symbols or any(k == "*" or k.endswith(".*") for k in result.imports):
        return False
    return not any(v.endswith(".*") for v in result.imports.values())


def _search_one(root: str, relpath: str, tokens: frozenset[bytes], max_size: int,
                helpers: frozenset[str] = frozenset()) -> FileOutcome | None:
    try:
        with open(Path(root) / relpath, "rb") as handle:
            data = handle.read(max_size + 1)
    except OSError:
        return None
    if not any(token in data for token in tokens):
        return None
    return process_file(root, relpath, max_size, False, helpers)


def _search_batch(args: tuple) -> list[FileOutcome]:
    root, items, max_size, helpers = args
    return [o for relpath, tokens in items if (o := _search_one(root, relpath, tokens, max_size, helpers)) is not None]


def _search_and_extract(root: str, candidates: list[tuple[str, frozenset[bytes]]], config: Config,
                        jobs: int | None, pool: "_Pool | None" = None,
                        helpers: frozenset[str] = frozenset()) -> list[FileOutcome]:
    """Read each candidate, and extract (without prefilter) those that mention one of its tokens;
    in the worker pool when there are many (in this process again if the pool breaks)."""
    return _in_batches(_search_batch, root, candidates, config, jobs, pool, 256, 32,
                       lambda: _search_batch((root, candidates, config.max_file_size, helpers)), helpers)


# The languages whose helpers' forwarding settings are not reported (the round-6 convention: the
# contract is at each call that passes a value). Every language since round 7; the set stays so that
# a language can be exempted while its label sets move.
_FORWARDERS_DROPPED = frozenset({"go", "csharp", "python", "ruby", "java", "kotlin", "javascript", "typescript"})


def _wrapper_tokens(results: list[FileResult]) -> set[bytes]:
    """The names of the service's helpers that take a timeout or an attempts bound
    (``extractors.wrappers``): a file that calls one (`callApi(url, 2000)`) may hold no word the
    prefilter knows, so the skipped files that mention one are extracted too."""
    names: set[bytes] = set()
    for result in results:
        if result.symbols:
            names.update(n.encode() for n in published_names(result.symbols) if len(n) >= 4)
    return names


def _unresolved_tokens(results: list[FileResult], linked: list[FileResult] = ()) -> set[bytes]:
    """The last component of every name that a pending value of these files needs and that no
    file read so far defines, following names through the constants that do resolve (TIMEOUT =
    BASE * 2 with BASE elsewhere). Only names a finding needs are chased: a plain alias elsewhere
    in the service is not a reason to read more files."""
    resolver = Resolver(results, linked=linked)
    tokens: set[bytes] = set()

    def chase(expr, lookup, depth: int, origin: FileResult | None = None) -> None:
        for name in ref_names(expr):
            if origin is not None and _local_to_file(origin, name):
                continue
            found = lookup(name)
            if found is None:
                last = name.rsplit(".", 1)[-1]
                if len(last) >= 2:
                    tokens.add(last.encode())
            elif depth < 8:
                chase(found[0], found[2] if len(found) > 2 else lookup, depth + 1)

    for result in results:
        lookup = resolver.lookup_for(result)
        for finding in result.findings:
            if any(p.attribute == KEEP_IF and evaluate(p.expr, lookup).value is None for p in finding.pending):
                continue  # a proposal no file confirms (its callee's file is never a skipped one): dropped
            for pending in finding.pending:
                if evaluate(pending.expr, lookup).value is None:
                    chase(pending.expr, lookup, 0, result)
    return tokens


def _retry_isolated(root: str, relpath: str, config: Config, use_prefilter: bool) -> FileOutcome:
    import multiprocessing

    context = multiprocessing.get_context("fork") if sys.platform != "win32" else None
    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=_worker_init) as pool:
            return pool.submit(process_file, root, relpath, config.max_file_size, use_prefilter).result(
                timeout=PER_FILE_SECONDS * 3 + 10)
    except Exception as exc:  # noqa: BLE001
        return FileOutcome(relpath, (), (ErrorEntry(relpath, "worker_crash",
                                                    f"the worker analysing this file died ({type(exc).__name__}); retried once: skipped"),),
                           {}, (), False, False)


_ROUTING_LANGUAGES = frozenset({"kubernetes", "terraform"})


def _fresh_id_of_helper(retry: Finding, result: FileResult, resolver: Resolver, seen: set) -> list[Finding]:
    """(round 22) A retry kept at a call of a project helper (attribute ``via``) whose body mints a fresh ID per
    attempt (the helper published ``<via>.$new_id``, extractors/wrappers.py): a ``new_id_per_attempt`` at the
    call, with the call's destination, for the idempotency check (one per call line and helper)."""
    via = retry.attributes.get("via")
    key = (retry.path, retry.line, via)
    if key in seen:
        return []
    if evaluate(Ref(f"{via}.{wrappers.NEW_ID}"), resolver.lookup_for(result)).value in (None, 0, False, ""):
        return []
    seen.add(key)
    return [replace(retry, kind="new_id_per_attempt", attributes={"via": via, "expression": "(helper)"},
                    detector=retry.detector, confidence="medium")]


def _route_to_destinations(results, services, index: ServiceIndex, by_service: dict, languages: dict):
    """Mesh routes kept outside every service folder (``deploy/istio/``) belong to the service
    they route to: a VirtualService for host ``payment`` describes payment's inbound calls.
    Returns what is left for the root."""
    left = []
    for result in results:
        if result.language not in _ROUTING_LANGUAGES or not result.findings:
            left.append(result)
            continue
        routed: dict[str, list[Finding]] = {}
        rest: list[Finding] = []
        for finding in result.findings:
            name = finding.target.service if finding.target else None
            service, known = index.from_host(name) if name else (None, False)
            if known and any(s.name == service for s in services):
                routed.setdefault(service, []).append(finding)
            else:
                rest.append(finding)
        for service, found in routed.items():
            by_service.setdefault(service, []).append(replace(result, findings=tuple(found), symbols={}))
            languages.setdefault(service, set()).add(result.language)
        if rest or result.symbols or not routed:
            left.append(replace(result, findings=tuple(rest)))
    return tuple(left)


def _apply_process_defaults(findings: list[Finding]) -> list[Finding]:
    """A process-wide default set in one file (``axios.defaults.timeout = 5000``: a timeout with
    ``scope: global``) covers the calls of every file of the service: their ``missing_timeout``
    findings from the same detector are dropped."""
    covered = {(f.service, f.detector) for f in findings
               if f.kind == "timeout" and f.attributes.get("scope") == "global" and f.attributes.get("timeout_ms")}
    if not covered:
        return findings
    return [f for f in findings if not (f.kind == "missing_timeout" and (f.service, f.detector) in covered)]


def assemble(root: Path, config: Config, services: list[Service], outcomes: Iterable[FileOutcome],
             walk_errors: list[ErrorEntry], files_seen: int, started: float) -> ScanResult:
    outcomes = sorted(outcomes, key=lambda o: o.path)
    errors = list(walk_errors)
    by_service: dict[str, list[FileResult]] = {}
    languages: dict[str, set[str]] = {}
    suppressions: dict[str, dict[int, frozenset[str]]] = {}
    root_service: Service | None = None
    all_services = list(services)
    early_index = ServiceIndex(services, config.service_map)
    locator = ServiceLocator(services)
    parsed = prefiltered = cached = 0
    # (round 22) a local Terraform module outside every service (`infra/modules/function`) that services'
    # own Terraform calls serves its callers: their `module` blocks carry its settings (rules b/c of
    # extractors/terraform/detectors/module_inputs.py), so it reads as their linked files and makes no root
    # service of its own.
    module_callers: dict[str, set[str]] = {}
    for outcome in outcomes:
        caller = locator.owner(outcome.path)
        for r in outcome.results if caller is not None else ():
            if r.language == "terraform":
                for name in r.symbols:
                    if name.startswith("$module:") and name.count(":") == 2:
                        module_callers.setdefault(name.split(":")[1], set()).add(caller.name)
    shared_modules: dict[str, list[FileResult]] = {}
    for outcome in outcomes:
        errors.extend(outcome.errors)
        parsed += outcome.parsed
        prefiltered += outcome.prefiltered_out
        cached += outcome.cached
        if outcome.suppressions:
            suppressions[outcome.path] = outcome.suppressions
        owner = locator.owner(outcome.path)
        if owner is None and outcome.results and all(
                r.language == "terraform" and r.module in module_callers for r in outcome.results):
            for r in outcome.results:
                for name in module_callers[r.module]:
                    shared_modules.setdefault(name, []).append(r)
            continue
        if owner is None:
            results = _route_to_destinations(outcome.results, services, early_index, by_service, languages)
            outcome = replace(outcome, results=results)
            has_findings = any(r.findings for r in outcome.results)
            # (round 20) a settings file outside any service still gives values to the root service's code
            # (pr-agent's settings/configuration.toml in a tree without a manifest)
            if not has_findings and not outcome.languages and \
                    not any(r.symbols and r.language in _VALUE_SOURCES for r in outcome.results):
                continue
            if root_service is None:
                root_service = Service(name=Path(root).resolve().name or "root", path=".", origin="root")
            owner = root_service
        languages.setdefault(owner.name, set()).update(outcome.languages)
        by_service.setdefault(owner.name, []).extend(outcome.results)
    if root_service is not None and any(r.findings for r in by_service.get(root_service.name, [])):
        all_services.append(root_service)
    elif root_service is not None:
        by_service.pop(root_service.name, None)
    index = ServiceIndex(all_services, config.service_map)
    findings: list[Finding] = []
    # Scan-wide sources a service may read beyond its own files: Terraform variable files, Spring
    # config-server files, and JS/TS modules that path aliases lead into.
    var_files: list[FileResult] = []
    app_files: list[FileResult] = []
    js_modules: dict[str, list[FileResult]] = {}
    deploy_files: list[FileResult] = []
    tf_dirs: set[str] = set()
    node_config_files: list[FileResult] = []
    for o in outcomes:
        for r in o.results:
            if r.language == "nodeconfig":
                node_config_files.append(r)
            if r.language == "terraform" and r.module:
                tf_dirs.add(r.module)  # round 10: variable files named after a Terraform folder
            if "$deployenv" in r.imports:
                deploy_files.append(r)
            elif "$tfvars" in r.imports:
                var_files.append(r)
            elif r.language == "spring" and r.symbols:
                app_files.append(r)
            elif r.language == "javascript" and r.module:
                js_modules.setdefault(r.module, []).append(r)
    ts_aliases = (path_aliases(Path(root), [".", *(s.path for s in all_services)])
                  + workspace_aliases(Path(root), [s.path for s in all_services])) if js_modules else []
    links = project_links(Path(root), all_services)
    fresh_seen: set[tuple] = set()
    for service in all_services:
        results = by_service.get(service.name, [])
        linked = [r for other in links.get(service.name, ()) for r in by_service.get(other, [])]
        linked += shared_modules.get(service.name, [])
        # the projects that reference this one (its apps): their config files serve its code too
        dependents = [by_service.get(other.name, []) for other in all_services
                      if other.name != service.name and service.name in links.get(other.name, ())]
        resolver = Resolver(results, config.env, var_files, app_files, service.name, ts_aliases, js_modules,
                            deploy_env=deployment_env(service, deploy_files) if deploy_files else None,
                            linked=linked, dependents=dependents, tf_dirs=tf_dirs)
        if not resolver.node_configs and len({r.path.rpartition("/")[0] for r in node_config_files}) == 1:
            # (round 18, js fixes) a service without a node-config folder of its own reads the scan's only
            # one (ONLYOFFICE's DocService and FileConverter run with NODE_CONFIG_DIR=../Common/config)
            resolver.node_configs = sorted(node_config_files, key=lambda r: r.path)
        for result in results:
            for finding in result.findings:
                if f"$forwarder:{finding.line}:{finding.column}:{finding.kind}" in result.symbols and \
                        result.language in _FORWARDERS_DROPPED:
                    # a helper's setting that only forwards its caller's value (extractors/wrappers.py): the
                    # calls that pass a value hold the contract. CD_MARK_FORWARDERS=1 keeps it, marked.
                    if not os.environ.get("CD_MARK_FORWARDERS"):
                        continue
                    finding = replace(finding, attributes={**finding.attributes, "x-forwarder": True})
                resolved = resolve_findings(finding, result, resolver, index) if finding.pending or (
                    finding.target and finding.target.url and not finding.target.service) else [finding]
                if resolved and finding.kind == "retry" and finding.attributes.get("via") and finding.pending:
                    resolved = resolved + _fresh_id_of_helper(resolved[0], result, resolver, fresh_seen)
                findings.extend(replace(one, service=service.name, language=language_of(one.path, one.language))
                                for one in resolved)
    findings = _apply_process_defaults(findings)
    # A call is not its own dependency: drop targets that point back at the calling service
    # (mesh routes and infrastructure describe the service they belong to: they keep theirs).
    findings = [replace(f, target=replace(f.target, service=None))
                if f.target and f.target.service == f.service and f.language not in _ROUTING_LANGUAGES else f
                for f in findings]
    findings.sort(key=Finding.sort_key)
    final_services = tuple(sorted((replace(s, languages=tuple(sorted(languages.get(s.name, ()))))
                                   for s in all_services), key=lambda s: (s.path, s.name)))
    errors.sort(key=lambda e: (e.path, e.line or 0, e.kind, e.message))
    contracts: tuple = ()
    try:
        from contract_discovery.contracts.infer import infer_contracts

        contracts = tuple(infer_contracts(list(final_services), findings))
    except ImportError:
        contracts = ()
    stats = ScanStats(files_seen=files_seen, files_parsed=parsed, files_skipped_prefilter=prefiltered,
                      files_cached=cached, duration_s=round(time.perf_counter() - started, 3))
    return ScanResult(root=str(root), services=final_services, findings=tuple(findings), errors=tuple(errors),
                      stats=stats, contracts=contracts, suppressions=suppressions)
