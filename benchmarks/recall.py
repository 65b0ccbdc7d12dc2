"""Recall and precision of the extractors on real, hand-labelled open-source code.

Each ``benchmarks/recall/<name>.yaml`` names a public repository, the commit and
sub-paths that were read by hand, and every timeout/retry contract a person found
there (file, line, kind, value). This script exports that commit from a local git
mirror (``--mirrors``, default ``/work/.mirror``; bring one with the ``fetch`` tool
or ``git clone --mirror``), runs ``contract-discovery scan`` on it and compares:

- recall    = labelled contracts the scan reports / labelled contracts
- precision = reported findings that are labelled / reported findings (of the
  kinds the label file covers, under its paths)
- values    = found contracts whose value equals the label / found contracts

No fetched code is stored in this repository: only paths, lines and values.

    python benchmarks/recall.py                 # every label file
    python benchmarks/recall.py javascript-uptime-kuma --verbose

Label file format::

    repo: louislam/uptime-kuma          # owner/name, the mirror folder is owner+name
    commit: 0123abcd...                 # the commit that was read
    language: javascript
    paths: [server/]                    # what was read by hand (prefixes)
    context: [package.json, config/]    # optional: exported with the paths for the values they hold
                                        # (manifests, settings), never scored (not read by hand)
    kinds: [timeout, retry]             # kinds labelled exhaustively
    method: how the candidates were found (e.g. grep -n timeout|retry, then read)
    expected:                           # every true contract in those paths
      - {path: server/model/monitor.js, line: 412, kind: timeout, value: 48000}
      - {path: server/x.js, line: 9, kind: retry, value: 3}
      - {path: server/y.js, line: 20, kind: timeout, value: null}   # unresolvable: found = enough
    ignore:                             # findings that are right but out of scope (optional)
      - {path: server/z.js, line: 4, kind: timeout, why: "test helper"}
    first_scan:                         # held-out sets: the score before any fix made for them
      {expected: 12, found: 9, reported: 10, true_reported: 9, values_right: 9, tool_commit: 0123abc}

Sets labelled after the extractors were tuned on them overstate what unseen code gets; a
``first_scan`` entry records the score of the tool as it was when the set was first run
(``--first`` prints that entry for a new set). ``--held-out`` shows those scores only.

``--cache DIR`` keeps each set's score under a key made of the label file's bytes and the
tool's code (the git trees of ``extractors/`` and ``contract_discovery/`` at HEAD plus any
uncommitted change to them): a later run with the same DIR re-scans only the sets whose
label file or whose tool changed (a regeneration after new sets were added).

``--patch-doc FILE`` re-scores only the named sets and puts their rows into the now-table of FILE
(replacing or adding them, dropping rows of removed label files, summing the total again from every
row, and naming the re-scored sets under the table's heading), and rewrites the held-out tables from
the label files: for a session that cannot fetch every mirror again.

``value`` is ``timeout_ms`` for timeouts and ``max_attempts`` for retries. A
line may carry one contract per kind and phase; ``phase`` may be given to tell
apart connect/read timeouts on one line.
"""

from __future__ import annotations

import argparse
from concurrent.futures import ThreadPoolExecutor
import dataclasses
import hashlib
import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
LABELS = HERE / "recall"
VALUE_KEY = {"timeout": "timeout_ms", "retry": "max_attempts", "missing_timeout": "library"}


@dataclass
class Score:
    name: str
    expected: int = 0
    found: int = 0
    reported: int = 0
    true_reported: int = 0
    values_right: int = 0
    misses: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)
    wrong_values: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.true_reported / self.reported if self.reported else 1.0

    @property
    def value_rate(self) -> float:
        return self.values_right / self.found if self.found else 1.0


def export(mirrors: Path, repo: str, commit: str, paths: list[str], into: Path) -> None:
    git_dir = mirrors / repo.replace("/", "+") / "repo"
    if (git_dir / ".git").is_dir():
        git_dir = git_dir / ".git"  # a mirror fetched as a checkout, not bare
    if not git_dir.exists():
        raise SystemExit(f"no mirror for {repo} at {git_dir} (fetch github:{repo} first)")
    archive = subprocess.run(
        ["git", f"--git-dir={git_dir}", "archive", commit, *[p.rstrip("/") for p in paths]],
        capture_output=True,
    )
    if archive.returncode == 0:
        subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
        return
    # A mirror without some large blobs (a generated data file left out of the snapshot): export
    # file by file and leave those out.
    listing = subprocess.run(
        ["git", f"--git-dir={git_dir}", "ls-tree", "-r", "-z", commit, "--", *[p.rstrip("/") for p in paths]],
        check=True, capture_output=True,
    ).stdout.split(b"\0")
    blobs = []
    for entry in listing:
        if not entry:
            continue
        meta, _, name = entry.partition(b"\t")
        mode, kind, sha = meta.split()
        if kind == b"blob" and mode != b"120000":
            blobs.append((sha.decode(), name.decode("utf-8", "surrogateescape")))
    batch = subprocess.run(["git", f"--git-dir={git_dir}", "cat-file", "--batch"], capture_output=True,
                           input=b"".join(sha.encode() + b"\n" for sha, _ in blobs)).stdout
    pos, skipped = 0, []
    for sha, name in blobs:
        header_end = batch.index(b"\n", pos)
        header = batch[pos:header_end].split()
        pos = header_end + 1
        if len(header) < 3 or header[1] != b"blob":
            skipped.append(name)
            continue
        size = int(header[2])
        target = into / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(batch[pos:pos + size])
        pos += size + 1
    if skipped:
        print(f"{repo}: {len(skipped)} file(s) missing from the mirror, left out: {', '.join(skipped[:5])}",
              file=sys.stderr)


def scan(root: Path) -> list[dict]:
    cmd = [sys.executable, "-m", "contract_discovery", "scan", str(root), "--format", "json",
           "--no-cache", "--quiet"]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode not in (0, 1):
        raise SystemExit(f"scan failed ({out.returncode}): {out.stderr[-2000:]}")
    return json.loads(out.stdout)["findings"]


def _same_value(kind: str, label, finding: dict) -> bool:
    got = finding["attributes"].get(VALUE_KEY.get(kind, ""))
    if label is None:
        return True
    if isinstance(label, (int, float)) and isinstance(got, (int, float)):
        return abs(float(label) - float(got)) < 1e-6
    return label == got


def score(label_file: Path, mirrors: Path) -> Score:
    spec = yaml.safe_load(label_file.read_text())
    result = Score(label_file.stem)
    kinds = set(spec.get("kinds") or ["timeout", "retry"])
    prefixes = [p.rstrip("/") for p in spec.get("paths") or [""]]
    with tempfile.TemporaryDirectory(prefix="recall-") as tmp:
        root = Path(tmp)
        export(mirrors, spec["repo"], spec["commit"], [*(spec.get("paths") or []), *(spec.get("context") or [])]
               if spec.get("paths") else [], root)
        findings = [
            f for f in scan(root)
            if f["kind"] in kinds and any(f["path"] == p or f["path"].startswith(p + "/") or not p
                                          for p in prefixes)
        ]

    def key(path, line, kind):
        return (path, int(line), kind)

    by_key: dict[tuple, list[dict]] = {}
    for f in findings:
        by_key.setdefault(key(f["path"], f["line"], f["kind"]), []).append(f)
    ignored = {key(i["path"], i["line"], i["kind"]) for i in spec.get("ignore") or []}
    labelled = set()
    for item in spec.get("expected") or []:
        k = key(item["path"], item["line"], item["kind"])
        labelled.add(k)
        result.expected += 1
        candidates = by_key.get(k, [])
        if item.get("phase"):
            candidates = [f for f in candidates if f["attributes"].get("phase") == item["phase"]]
        where = f"{item['path']}:{item['line']} {item['kind']}"
        if not candidates:
            result.misses.append(f"{where} (expected {item.get('value')})")
            continue
        result.found += 1
        if any(_same_value(item["kind"], item.get("value"), f) for f in candidates):
            result.values_right += 1
        else:
            got = [f["attributes"].get(VALUE_KEY[item["kind"]]) for f in candidates]
            result.wrong_values.append(f"{where}: expected {item.get('value')}, got {got}")
    for f in findings:
        k = key(f["path"], f["line"], f["kind"])
        if k in ignored:
            continue
        result.reported += 1
        if k in labelled:
            result.true_reported += 1
        else:
            value = f["attributes"].get(VALUE_KEY.get(f["kind"], ""))
            result.false.append(f"{f['path']}:{f['line']} {f['kind']}={value} [{f['detector']}] "
                                f"{f.get('evidence', '')[:80]}")
    return result


def tool_fingerprint() -> str:
    """The tool's code as scored: the git trees of extractors/ and contract_discovery/ at HEAD and
    any uncommitted change to them (so a dirty tree never reuses a clean tree's scores)."""
    root = HERE.parent
    parts = []
    for args in (["rev-parse", "HEAD:extractors", "HEAD:contract_discovery"],
                 ["diff", "HEAD", "--", "extractors", "contract_discovery"],
                 ["ls-files", "--others", "--exclude-standard", "--", "extractors", "contract_discovery"]):
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)
        if done.returncode != 0:
            return ""  # not a git checkout: no cache
        parts.append(done.stdout)
    for name in parts[2].split():
        path = root / name
        if path.is_file():
            parts.append(hashlib.sha256(path.read_bytes()).hexdigest())
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def cached_score(label_file: Path, mirrors: Path, cache: Path | None, tool: str) -> Score:
    """``score``, read from / written to ``cache`` when the tool fingerprint is known."""
    if cache is None or not tool:
        return score(label_file, mirrors)
    key = hashlib.sha256(label_file.read_bytes() + b"\0" + tool.encode()).hexdigest()
    entry = cache / f"{label_file.stem}.{key[:20]}.json"
    if entry.is_file():
        try:
            return Score(**json.loads(entry.read_text()))
        except (ValueError, TypeError):
            pass  # a damaged entry: score again
    result = score(label_file, mirrors)
    cache.mkdir(parents=True, exist_ok=True)
    partial = entry.with_suffix(".tmp")
    partial.write_text(json.dumps(dataclasses.asdict(result)))
    partial.replace(entry)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="label files (stems) to score; default all")
    parser.add_argument("--mirrors", type=Path, default=Path("/work/.mirror"))
    parser.add_argument("--verbose", "-v", action="store_true", help="list misses and false positives")
    parser.add_argument("--first", action="store_true", help="print the first_scan entry to record for each set")
    parser.add_argument("--held-out", action="store_true", help="the recorded first scans only (no scanning)")
    parser.add_argument("--round-since", metavar="COMMIT", help="with --held-out/--write-doc: pool the first scans "
                        "per language, split into sets first scanned before and after this tool commit")
    parser.add_argument("--write-doc", type=Path, help="also put both tables into this markdown file, between its "
                        "<!-- held-out --> and <!-- now --> markers and the <!-- end --> after each")
    parser.add_argument("--jobs", "-j", type=int, default=1, help="score this many sets at once (each scan is "
                        "its own process; rows still print in order)")
    parser.add_argument("--patch-doc", type=Path, metavar="FILE", help="like --write-doc, but re-score only the "
                        "named sets: their rows of the now-table are replaced (or added) and its total summed "
                        "again; the other rows stay as they were scored (when not every mirror can be had)")
    parser.add_argument("--cache", type=Path, metavar="DIR", help="reuse scores kept in DIR for sets whose label "
                        "file and tool code are unchanged; keep new ones there")
    args = parser.parse_args(argv)
    files = sorted(LABELS.glob("*.yaml"))
    if args.names:
        files = [f for f in files if f.stem in args.names]
    if args.held_out:
        print("\n".join(held_out(files)))
        print()
        print("\n".join(held_out_summary(files, args.round_since)))
        return 0
    table: list[str] = []
    def row(line: str) -> None:
        table.append(line)
        print(line, flush=True)

    row("| label set | expected | found | recall | reported | precision | values right |")
    row("|---|---:|---:|---:|---:|---:|---:|")
    totals = Score("total")
    scores = []
    pool = ThreadPoolExecutor(max_workers=max(1, args.jobs))
    tool = tool_fingerprint() if args.cache else ""
    for s in pool.map(lambda path: cached_score(path, args.mirrors, args.cache, tool), files):
        scores.append(s)
        row(f"| {s.name} | {s.expected} | {s.found} | {s.recall:.0%} | {s.reported} | "
            f"{s.precision:.0%} | {s.value_rate:.0%} |")
        for attr in ("expected", "found", "reported", "true_reported", "values_right"):
            setattr(totals, attr, getattr(totals, attr) + getattr(s, attr))
    pool.shutdown()
    if len(files) > 1:
        row(f"| **total** | {totals.expected} | {totals.found} | {totals.recall:.0%} | "
            f"{totals.reported} | {totals.precision:.0%} | {totals.value_rate:.0%} |")
    if args.patch_doc:
        if not args.names:
            parser.error("--patch-doc needs the names of the sets to re-score")
        commit = subprocess.run(["git", "-C", str(HERE), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True).stdout.strip()
        all_files = sorted(LABELS.glob("*.yaml"))
        first = [*held_out(all_files), "", "Pooled per language" + (
            f" (\"this round\": sets first scanned with a tool that descends from `{args.round_since}`)"
            if args.round_since else "") + ":", "", *held_out_summary(all_files, args.round_since)]
        text = replace_section(args.patch_doc.read_text(), "<!-- held-out -->", first)
        args.patch_doc.write_text(patch_now_table(text, scores, commit, {f.stem for f in all_files}))
    if args.write_doc:
        first = [*held_out(files), "", "Pooled per language" + (
            f" (\"this round\": sets first scanned with a tool that descends from `{args.round_since}`)"
            if args.round_since else "") + ":", "", *held_out_summary(files, args.round_since)]
        commit = subprocess.run(["git", "-C", str(HERE), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True).stdout.strip()
        text = args.write_doc.read_text()
        for marker, lines in (("<!-- held-out -->", first),
                              ("<!-- now -->", [f"All sets scored at tool commit `{commit}`:", "", *table])):
            start = text.index(marker) + len(marker)
            end = text.index("<!-- end -->", start)
            text = text[:start] + "\n" + "\n".join(lines) + "\n" + text[end:]
        args.write_doc.write_text(text)
    if args.first:
        commit = subprocess.run(["git", "-C", str(HERE), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True).stdout.strip()
        for s in scores:
            print(f"{s.name}: first_scan: {{expected: {s.expected}, found: {s.found}, reported: {s.reported}, "
                  f"true_reported: {s.true_reported}, values_right: {s.values_right}, tool_commit: {commit}}}")
    if args.verbose:
        for s in scores:
            for title, rows in (("missed", s.misses), ("false positive", s.false),
                                ("wrong value", s.wrong_values)):
                for row in rows:
                    print(f"{s.name}: {title}: {row}")
    return 0


def replace_section(text: str, marker: str, lines: list[str]) -> str:
    """``text`` with what lies between ``marker`` and the next ``<!-- end -->`` replaced by ``lines``."""
    start = text.index(marker) + len(marker)
    end = text.index("<!-- end -->", start)
    return text[:start] + "\n" + "\n".join(lines) + "\n" + text[end:]


def _count(percent: str, of: int) -> int:
    """The whole count of ``of`` that a table's rounded percentage stands for (closest to it)."""
    p = int(percent.rstrip("%"))
    fits = [n for n in range(of + 1) if f"{n / of:.0%}" == f"{p}%"] if of else [0]
    return min(fits or [round(p * of / 100)], key=lambda n: abs(n - p * of / 100))


def patch_now_table(text: str, scores: list[Score], commit: str, known: set[str]) -> str:
    """The now-table of ``text`` with the rows of ``scores`` put in (replaced, or added in name order),
    rows of label files that no longer exist dropped, the total summed again (true findings and right
    values of untouched rows read back from their rounded percentages), and its heading saying which
    rows were re-scored at ``commit``."""
    marker = "<!-- now -->"
    start = text.index(marker) + len(marker)
    end = text.index("<!-- end -->", start)
    section = text[start:end].strip("\n").splitlines()
    heading = [line for line in section if not line.startswith("|")]
    rows: dict[str, Score] = {}
    for line in section:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("|") or len(cells) != 7 or not cells[1].isdigit() or cells[0] == "**total**":
            continue
        name, expected, found, _, reported, precision, values = cells
        rows[name] = Score(name, expected=int(expected), found=int(found), reported=int(reported),
                           true_reported=_count(precision, int(reported)), values_right=_count(values, int(found)))
    for s in scores:
        rows[s.name] = s
    rows = {name: s for name, s in rows.items() if name in known}
    totals = Score("total")
    table = ["| label set | expected | found | recall | reported | precision | values right |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for name in sorted(rows):
        s = rows[name]
        table.append(f"| {s.name} | {s.expected} | {s.found} | {s.recall:.0%} | {s.reported} | "
                     f"{s.precision:.0%} | {s.value_rate:.0%} |")
        for attr in ("expected", "found", "reported", "true_reported", "values_right"):
            setattr(totals, attr, getattr(totals, attr) + getattr(s, attr))
    table.append(f"| **total** | {totals.expected} | {totals.found} | {totals.recall:.0%} | "
                 f"{totals.reported} | {totals.precision:.0%} | {totals.value_rate:.0%} |")
    names = ", ".join(sorted(s.name for s in scores))
    note = (f"Re-scored at tool commit `{commit}` ({len(scores)} sets; the other rows as scored before, "
            f"their mirrors not at hand): {names}.")
    heading = [line for line in heading if line.strip() and not line.startswith(f"Re-scored at tool commit `{commit}`")]
    return text[:start] + "\n" + "\n\n".join([*heading, note]) + "\n\n" + "\n".join(table) + "\n" + text[end:]


LANGUAGE_GROUPS = {"typescript": "javascript/typescript", "javascript": "javascript/typescript"}


def _descends(commit: str, since: str) -> bool:
    """Whether a set's first-scan tool commit came after ``since`` (git ancestry in this repo)."""
    return subprocess.run(["git", "-C", str(HERE), "merge-base", "--is-ancestor", since, commit],
                          capture_output=True).returncode == 0


def held_out_summary(files: list[Path], since: str | None = None) -> list[str]:
    """The first scans pooled per language (and, with ``since``, split into the sets first scanned
    before and after that tool commit: did fixes made for earlier sets carry over to new code?)."""
    groups: dict[tuple[str, str], Score] = {}
    for path in files:
        spec = yaml.safe_load(path.read_text()) or {}
        first = spec.get("first_scan")
        if not first:
            continue
        language = LANGUAGE_GROUPS.get(spec.get("language", ""), spec.get("language", "?"))
        when = ""
        if since:
            when = "after" if _descends(str(first.get("tool_commit", "")), since) else "before"
        for key in ((language, when), ("**all**", when)):
            s = groups.setdefault(key, Score(key[0]))
            for attr in ("expected", "found", "reported", "true_reported", "values_right"):
                setattr(s, attr, getattr(s, attr) + int(first.get(attr) or 0))
    head = "| language | first scanned | sets " if since else "| language | sets "
    rows = [head + "| expected | found | recall | reported | precision | values right |",
            "|---|" + ("---|" if since else "") + "---:|---:|---:|---:|---:|---:|---:|"]
    counts: dict[tuple[str, str], int] = {}
    for path in files:
        spec = yaml.safe_load(path.read_text()) or {}
        first = spec.get("first_scan")
        if first:
            language = LANGUAGE_GROUPS.get(spec.get("language", ""), spec.get("language", "?"))
            when = ("after" if _descends(str(first.get("tool_commit", "")), since) else "before") if since else ""
            for key in ((language, when), ("**all**", when)):
                counts[key] = counts.get(key, 0) + 1
    for (language, when), s in sorted(groups.items(), key=lambda kv: (kv[0][0] == "**all**", kv[0])):
        label = f"| {language} | " + (f"{'this round' if when == 'after' else 'earlier rounds'} | " if since else "")
        rows.append(label + f"{counts[(language, when)]} | {s.expected} | {s.found} | {s.recall:.0%} | {s.reported} | "
                    f"{s.precision:.0%} | {s.value_rate:.0%} |")
    return rows


def held_out(files: list[Path]) -> list[str]:
    """The recorded first scans as table rows: what the tool did on each set before anything was
    fixed for it."""
    rows = ["| held-out set (first scan) | expected | found | recall | reported | precision | values right | tool |",
            "|---|---:|---:|---:|---:|---:|---:|---|"]
    totals = Score("total")
    count = 0
    for path in files:
        first = (yaml.safe_load(path.read_text()) or {}).get("first_scan")
        if not first:
            continue
        s = Score(path.stem, **{k: int(first.get(k) or 0) for k in
                                ("expected", "found", "reported", "true_reported", "values_right")})
        count += 1
        rows.append(f"| {s.name} | {s.expected} | {s.found} | {s.recall:.0%} | {s.reported} | {s.precision:.0%} | "
                    f"{s.value_rate:.0%} | {first.get('tool_commit', '')} |")
        for attr in ("expected", "found", "reported", "true_reported", "values_right"):
            setattr(totals, attr, getattr(totals, attr) + getattr(s, attr))
    if count > 1:
        rows.append(f"| **total** | {totals.expected} | {totals.found} | {totals.recall:.0%} | {totals.reported} | "
                    f"{totals.precision:.0%} | {totals.value_rate:.0%} | |")
    return rows


if __name__ == "__main__":
    sys.exit(main())
