"""Benchmark contract-discovery against semgrep and ast-grep on one corpus, in the same run.

    python benchmarks/run.py CORPUS [--rounds 3] [--jobs 2] [--semgrep PATH] [--ast-grep PATH]

Each tool runs ``--rounds`` times (cold: no cache; the tools take turns in each round); we also measure a warm re-scan after
changing one file, once in a fresh process and once answered by a resident daemon
(``contract-discovery daemon start``). Prints medians, ratios against each peer, files/s, MB/s and peak RSS
(of the largest process of the tool's tree). Peers are skipped when not installed
(``pip install semgrep ast-grep-cli`` into any venv and pass their paths).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def measure(cmd: list[str], cwd: Path | None = None, env: dict | None = None) -> tuple[float, float, int]:
    """(seconds, peak RSS in MB of the largest process, exit code)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    return elapsed, usage.ru_maxrss / 1024.0, os.waitstatus_to_exitcode(status)


def corpus_size(root: Path, suffixes: tuple[str, ...]) -> tuple[int, int]:
    files = size = 0
    for path in root.rglob("*"):
        if path.suffix in suffixes and path.is_file() and not path.is_symlink():
            files += 1
            size += path.stat().st_size
    return files, size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--semgrep", default=shutil.which("semgrep"))
    parser.add_argument("--ast-grep", dest="ast_grep", default=shutil.which("ast-grep") or shutil.which("sg"))
    parser.add_argument("--no-daemon", action="store_true", help="Skip the warm re-scan through a daemon.")
    parser.add_argument("--tool", default=shutil.which("contract-discovery") or f"{sys.executable} -m contract_discovery")
    args = parser.parse_args()
    corpus = args.corpus.resolve()
    files, size = corpus_size(corpus, (".py", ".js", ".ts", ".tsx", ".go", ".java", ".rb", ".cs", ".kt", ".tf"))
    ours = args.tool.split()
    cache = Path(tempfile.mkdtemp(prefix="cd-bench-cache-"))
    runs: dict[str, list[tuple[float, float]]] = {}

    def record(name: str, cmd: list[str], cwd: Path | None = None, before=None, env=None) -> None:
        for _ in range(args.rounds):
            if before:
                before()
            seconds, rss, code = measure(cmd, cwd, env)
            if code not in (0, 1):
                print(f"warning: {name} exited {code}", file=sys.stderr)
            runs.setdefault(name, []).append((seconds, rss))

    base = [*ours, "scan", str(corpus), "--include-tests", "-q", "--format", "json", "-j", str(args.jobs)]
    no_daemon = {**os.environ, "CONTRACT_DISCOVERY_NO_DAEMON": "1"}
    # Cold runs of every tool take turns round by round, so a slow spell of a shared machine
    # falls on all of them alike.
    cold: list[tuple[str, list[str], Path | None, dict | None]] = [
        ("contract-discovery cold", [*base, "--no-cache"], None, no_daemon),
        ("contract-discovery cold, no prefilter", [*base, "--no-cache", "--no-prefilter"], None, no_daemon)]
    if args.semgrep:
        cold.append(("semgrep", [args.semgrep, "scan", "--config", str(HERE / "rules" / "semgrep.yaml"), "--jobs",
                                 str(args.jobs), "--metrics", "off", "--disable-version-check", "--quiet", "--json",
                                 "--no-git-ignore", str(corpus)], None, None))
    if args.ast_grep:
        cold.append(("ast-grep", [args.ast_grep, "scan", "--config", str(HERE / "rules" / "ast-grep" / "sgconfig.yml"),
                                  "-j", str(args.jobs), "--json", str(corpus)], HERE / "rules" / "ast-grep", None))
    for _ in range(args.rounds):
        for name, cmd, cwd, env in cold:
            seconds, rss, code = measure(cmd, cwd, env)
            if code not in (0, 1):
                print(f"warning: {name} exited {code}", file=sys.stderr)
            runs.setdefault(name, []).append((seconds, rss))
    # Warm: fill the cache once, then change one file before each timed re-scan.
    subprocess.run([*base, "--cache-dir", str(cache)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    victim = next((p for p in sorted(corpus.rglob("*.py")) if p.is_file()), None)
    original = victim.read_bytes() if victim else b""

    def touch() -> None:
        if victim:
            victim.write_bytes(original + f"\n# bench {time.time()}\n".encode())

    daemon_rss = None
    try:
        record("contract-discovery warm (1 file changed)", [*base, "--cache-dir", str(cache)], before=touch, env=no_daemon)
        # The same warm re-scan answered by a resident daemon (`contract-discovery daemon start`).
        if not args.no_daemon:
            subprocess.run([*ours, "daemon", "start", str(corpus)], stdout=subprocess.DEVNULL, check=True)
            try:
                subprocess.run([*base, "--cache-dir", str(cache)], stdout=subprocess.DEVNULL, check=False)  # its first request
                record("contract-discovery warm, daemon (1 file changed)", [*base, "--cache-dir", str(cache)], before=touch)
                status = subprocess.run([*ours, "daemon", "status", str(corpus)], capture_output=True, text=True).stdout
                daemon_rss = status.split(" MB")[0].rsplit(" ", 1)[-1] if " MB" in status else None
            finally:
                subprocess.run([*ours, "daemon", "stop", str(corpus)], stdout=subprocess.DEVNULL, check=False)
    finally:
        if victim:
            victim.write_bytes(original)
    shutil.rmtree(cache, ignore_errors=True)

    medians = {name: statistics.median(s for s, _ in values) for name, values in runs.items()}
    cold_median = medians["contract-discovery cold"]
    print(f"corpus: {corpus} - {files} source files, {size / 1e6:.1f} MB; rounds: {args.rounds}; jobs: {args.jobs}; "
          f"cores: {os.cpu_count()}")
    print(f"{'tool':45} {'median s':>9} {'files/s':>9} {'MB/s':>7} {'peak MB':>8} {'vs ours cold':>13}")
    for name, values in runs.items():
        median = medians[name]
        peak = max(r for _, r in values)
        print(f"{name:45} {median:9.2f} {files / median:9.0f} {size / 1e6 / median:7.1f} {peak:8.0f} "
              f"{median / cold_median:12.2f}x")
    if daemon_rss:
        print(f"(the daemon process itself: {daemon_rss} MB resident)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
