"""Scaling curve: synthetic monorepos of 1k, 10k and 100k files, one cold scan each.

    python benchmarks/scaling.py [--sizes 1000 10000 100000] [--jobs 2]

Prints files, seconds, files/s, seconds per 1k files and peak RSS (largest process).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import measure  # noqa: E402
from synth import generate  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--tool", default=f"{sys.executable} -m contract_discovery.cli")
    args = parser.parse_args()
    print(f"{'files':>8} {'seconds':>8} {'files/s':>8} {'s/1k files':>10} {'peak MB':>8}")
    for size in args.sizes:
        out = Path(tempfile.mkdtemp(prefix=f"cd-synth-{size}-"))
        try:
            generate(out, size, max(1, size // 100), seed=1)
            seconds, rss, code = measure([*args.tool.split(), "scan", str(out), "--no-cache", "-q", "--format", "json",
                                          "-j", str(args.jobs)])
            print(f"{size:8} {seconds:8.2f} {size / seconds:8.0f} {seconds / size * 1000:10.3f} {rss:8.0f}"
                  + ("" if code == 0 else f"  (exit {code})"))
        finally:
            shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
