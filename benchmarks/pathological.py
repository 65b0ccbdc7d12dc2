"""Pathological inputs: how the time of one extraction grows with the input, measured in one process.

    python benchmarks/pathological.py [--repeat 3]

Each case builds the same shape at a base size and at 4x that size and reports the median seconds of both and
their ratio: a linear scan gives a ratio near 4, a quadratic one near 16. The YAML alias bombs are reported
in absolute seconds (they must be refused before expansion: milliseconds, whatever the depth). The tests
assert what these inputs yield (findings, errors); how long they take is measured here, never in a test.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _javascript_retry_functions(count: int) -> tuple[str, bytes]:
    parts = ['import axios from "axios";\nimport { v4 } from "uuid";\n']
    for i in range(count):
        parts.append(
            f"export async function f{i}(x) {{\n"
            f"  for (let attempt = 0; attempt < 3; attempt++) {{\n"
            f"    const id = v4();\n"
            f'    try {{ return await axios.post("http://s{i}:8080/x", {{ id, x }}, {{ timeout: {i + 1} }}); }}\n'
            f"    catch (e) {{ await riskApi.score(x); }}\n"
            f"  }}\n"
            f"  try {{ return await riskApi.get(x); }} catch (e) {{ return await riskApi.get(x); }}\n"
            f"}}\n")
    return "big.ts", "".join(parts).encode()


def _plain_yaml(count: int) -> tuple[str, bytes]:
    return "big.yaml", b"key: value\n" * count


def _python_retry_functions(count: int) -> tuple[str, bytes]:
    parts = ["import requests, uuid\n"]
    for i in range(count):
        parts.append(
            f"def f{i}(x):\n"
            f"    for attempt in range(3):\n"
            f"        rid = uuid.uuid4()\n"
            f"        try:\n"
            f'            return requests.post("http://s{i}/x", json={{"id": str(rid)}}, timeout={i + 1})\n'
            f"        except requests.RequestException:\n"
            f"            continue\n")
    return "big.py", "".join(parts).encode()


def _extractor_for(path: str):
    if path.endswith(".ts"):
        from extractors.javascript.extractor import EXTRACTOR
    elif path.endswith(".py"):
        from extractors.python.extractor import EXTRACTOR
    else:
        from extractors.kubernetes.extractor import EXTRACTOR
    return EXTRACTOR


def _median_seconds(func, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _alias_bomb(depth: int) -> bytes:
    lines = ["apiVersion: networking.istio.io/v1beta1", "kind: VirtualService", "metadata: {name: bomb}",
             'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, depth):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    lines += ["spec:", "  http:", "    - timeout: 2s", "      route:", "        - destination: {host: risk}"]
    return "\n".join(lines).encode()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    cases = [("javascript: retry functions", _javascript_retry_functions, 150),
             ("python: retry functions", _python_retry_functions, 150),
             ("yaml: plain keys, no manifest", _plain_yaml, 50_000)]
    print(f"{'case':32} {'base n':>8} {'base s':>8} {'4x s':>8} {'ratio':>6}")
    for name, build, base in cases:
        timings = []
        for n in (base, base * 4):
            path, data = build(n)
            extractor = _extractor_for(path)
            timings.append(_median_seconds(lambda: extractor.extract(path, data), args.repeat))
        print(f"{name:32} {base:8} {timings[0]:8.3f} {timings[1]:8.3f} {timings[1] / max(timings[0], 1e-9):6.1f}")
    from contract_discovery.contracts.loader import parse_contract_text
    from extractors.kubernetes.extractor import EXTRACTOR as KUBERNETES
    for depth in (8, 12):
        manifest = _alias_bomb(depth)
        contract = b"\n".join(manifest.splitlines()[3:3 + depth])
        seconds = _median_seconds(lambda: KUBERNETES.extract("bomb.yaml", manifest), args.repeat)
        refused = _median_seconds(lambda: parse_contract_text(contract.decode() + "\nservice: x\n", "bomb.yaml"),
                                  args.repeat)
        print(f"{'yaml alias bomb, depth ' + str(depth):32} {'':8} manifest {seconds:.4f} s, contract {refused:.4f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
