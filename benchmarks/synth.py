"""Generate a synthetic monorepo for scaling curves.

    python benchmarks/synth.py OUT --files 10000 [--services 100] [--seed 1]

Each service gets a manifest and a mix of Python, TypeScript and Go files; about one file
in eight holds a contract-relevant pattern (timeouts, retries, replica reads, IDs per
attempt), the rest is ordinary code of similar size, as in a real monorepo.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

PY_PLAIN = '''"""Module {n} of {svc}."""

from dataclasses import dataclass


@dataclass
class Item{n}:
    name: str
    quantity: int = 0

    def total(self, price: float) -> float:
        return self.quantity * price


def transform_{n}(items):
    result = []
    for item in items:
        if item.quantity > {n} % 7:
            result.append(item.name.upper())
    return result
'''

PY_PATTERN = '''"""Client {n} of {svc} calling {dep}."""

import os
import uuid

import requests

{dep_upper}_URL = os.environ.get("{dep_upper}_SERVICE_URL", "http://{dep}:8080")
TIMEOUT = {timeout}


def call_{n}(payload):
    for attempt in range(3):
        request_id = str(uuid.uuid4())
        try:
            return requests.post({dep_upper}_URL + "/op", json=payload, headers={{"X-Request-Id": request_id}}, timeout=TIMEOUT)
        except requests.Timeout:
            if attempt == 2:
                raise
'''

TS_PLAIN = '''export interface Row{n} {{ id: string; qty: number }}

export function sum{n}(rows: Row{n}[]): number {{
  return rows.reduce((acc, r) => acc + r.qty, 0);
}}
'''

TS_PATTERN = '''import axios from "axios";

const client = axios.create({{ baseURL: "http://{dep}:8080", timeout: {timeout_ms} }});

export async function call{n}(body: unknown) {{
  return client.post("/op", body);
}}
'''

GO_PLAIN = '''package {pkg}

func Sum{n}(xs []int) int {{
	total := 0
	for _, x := range xs {{
		total += x
	}}
	return total
}}
'''

GO_PATTERN = '''package {pkg}

import (
	"net/http"
	"time"
)

var client{n} = &http.Client{{Timeout: {timeout_ms} * time.Millisecond}}

func Call{n}() (*http.Response, error) {{
	return client{n}.Get("http://{dep}:8080/op")
}}
'''


def generate(out: Path, files: int, services: int, seed: int) -> None:
    rng = random.Random(seed)
    names = [f"svc{i:04}" for i in range(services)]
    per_service = max(1, files // services)
    for s, svc in enumerate(names):
        base = out / svc
        base.mkdir(parents=True, exist_ok=True)
        (base / "pyproject.toml").write_text(f'[project]\nname = "{svc}"\n')
        for n in range(per_service):
            dep = names[(s + 1 + n) % services]
            kind = rng.random()
            pattern = rng.random() < 0.125
            timeout = rng.choice([0.2, 0.5, 1, 2, 5])
            ctx = dict(n=n, svc=svc, dep=dep, dep_upper=dep.upper(), timeout=timeout,
                       timeout_ms=int(timeout * 1000), pkg=svc)
            if kind < 0.7:
                path, text = base / "app" / f"mod{n}.py", (PY_PATTERN if pattern else PY_PLAIN).format(**ctx)
            elif kind < 0.85:
                path, text = base / "web" / f"mod{n}.ts", (TS_PATTERN if pattern else TS_PLAIN).format(**ctx)
            else:
                path, text = base / "go" / f"mod{n}.go", (GO_PATTERN if pattern else GO_PLAIN).format(**ctx)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--services", type=int, default=0, help="default: files / 100")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.out, args.files, args.services or max(1, args.files // 100), args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
