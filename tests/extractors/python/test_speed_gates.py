"""The shortcuts that make the Python extractor fast never change what it finds.

Two kinds: the prefilter (a file without any sign of a finding is never parsed; constants of
skipped files come from the pipeline's symbol pass) and the per-detector gates (a detector or
engine runs only when the file holds its tokens). Every gate goes through ``PyFile.has_any``, so
forcing that to True runs every detector on everything: the findings must be the same.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.base import DETECTORS
from extractors.python import detectors
from extractors.python.analysis import PyFile, clientish_call
from extractors.python.extractor import EXTRACTOR

detectors.load()  # registers the detectors and their examples

ROOT = Path(__file__).resolve().parents[3]
FILES = sorted(p for p in (ROOT / "fixtures").rglob("*.py") if p.stat().st_size < 1_000_000)
EXAMPLES = [(id_, i, src) for id_, info in sorted(DETECTORS.items()) if id_.startswith("python.")
            for i, src in enumerate((*info.invalid, *info.valid))]


def _facts(result):
    return (result.findings, result.errors, result.symbols, result.imports, result.module)


def _ungated(monkeypatch, path: str, data: bytes):
    with monkeypatch.context() as m:
        m.setattr(PyFile, "has_any", lambda self, *tokens: True)
        m.setattr("extractors.python.detectors._http.clientish_call", lambda low: True)
        return EXTRACTOR.extract(path, data)


@pytest.mark.parametrize("path", FILES, ids=[p.relative_to(ROOT).as_posix() for p in FILES])
def test_gates_change_nothing_on_fixtures(path: Path, monkeypatch) -> None:
    rel = path.relative_to(ROOT).as_posix()
    data = path.read_bytes()
    assert _facts(EXTRACTOR.extract(rel, data)) == _facts(_ungated(monkeypatch, rel, data))


@pytest.mark.parametrize("detector,index,source", EXAMPLES, ids=[f"{d}-{i}" for d, i, _ in EXAMPLES])
def test_gates_change_nothing_on_detector_examples(detector: str, index: int, source: str, monkeypatch) -> None:
    data = source.encode()
    assert _facts(EXTRACTOR.extract("example.py", data)) == _facts(_ungated(monkeypatch, "example.py", data))


def test_gates_are_in_force() -> None:
    """Without any token the HTTP engine does not even classify calls (and finds nothing)."""
    from extractors.python.detectors import _http

    f = PyFile("plain.py", b"def total(items):\n    return sum(i.price for i in items)\n")
    assert _http.relevant(f) is False
    assert _http.analyse(f).findings == []


# --- the prefilter: shapes that must pass, and the broad words that no longer let a file in ----------

PASSES = {
    "heuristic client": b"def score(self, url):\n    return self.api_client.post(url, json={})\n",
    "client call split over lines": b"r = self.http_session \\\n    .get(\n        base + '/x')\n",
    "django replica alias": b"rows = Purchase.objects.using('replica').filter(user_id=uid)\n",
    "replica alias in a nested call": b"rows = Order.objects.using(pick('read_only')).all()\n",
    "read-only setting": b"qs = Model.objects.db_manager(settings.READ_DB).all()\n",
    "sqlalchemy session bound to a reader": b"Session = sessionmaker(bind=reader_engine)\n",
    "replica attribute": b"rows = db.replica.execute(q)\n",
    "read attribute of a database": b"rows = self.database.read.execute(q)\n",
    "cache lookup": b"def charge(tx_id):\n    if cache.get(tx_id):\n        return None\n",
    "set if absent": b"r.set(key, 1, nx=True, ex=60)\n",
    "orm keyed lookup": b"event, created = Event.objects.get_or_create(event_id=payload['id'])\n",
    "orm idempotency filter": b"done = Charge.objects.filter(\n    idempotency_key=key).first()\n",
    "sqlalchemy keyed filter_by": b"row = Transfer.query.filter_by(request_id=body['requestId']).first()\n",
    "retry loop with an attempt counter": b"for attempt in range(3):\n    try:\n        push()\n    except E:\n        pass\n",
    "retry loop with a sleep": b"while True:\n    try:\n        return push()\n    except E:\n        time.sleep(1)\n",
    "retry library": b"from tenacity import retry\n",
    "backoff decorator": b"@backoff.on_exception(backoff.expo, E)\ndef f():\n    pass\n",
    "dramatiq actor": b"@dramatiq.actor\ndef f():\n    pass\n",
    "asyncio wait_for": b"await asyncio.wait_for(call(), 5)\n",
    "socket": b"s = socket.create_connection(addr, 3)\n",
    "grpc stub": b"stub = RiskStub(channel)\n",
    "timeout keyword": b"c = SMTP(host, timeout=10)\n",
    "circuit breaker": b"breaker = pybreaker.CircuitBreaker(fail_max=5)\n",
}

SKIPPED = {
    "settings and environment": b"import os\nfrom django.conf import settings\nDEBUG = os.environ.get('DEBUG')\n"
                                b"X = settings.SOMETHING\nY = os.getenv('Y')\n",
    "urls and config": b"API_URL = config('API_URL')\nurl = reverse('home')\nhttp_status = 200\n",
    "django ORM without a request id": b"if Order.objects.filter(name=name).exists():\n    pass\n",
    "sqlalchemy filter_by without a request id": b"user = User.query.filter_by(email=email).first()\n",
    "a cache that is only named": b"cache_key = 'k'\n_cache = {}\n",
    "countries and entries": b"COUNTRIES = ['PL']\nentries = []\n",
    "a loop over items with a try": b"for item in items:\n    try:\n        handle(item)\n    except ValueError:\n        continue\n",
    "file and csv reads": b"data = fh.read()\nrows = csv.reader(fh)\n",
    "dict get on a plain name": b"value = options.get('x')\nname = data.get('name')\n",
    "using a default alias": b"rows = qs.using(database_name).all()\n",
}


@pytest.mark.parametrize("name", sorted(PASSES))
def test_prefilter_passes_every_shape_that_can_hold_a_finding(name: str) -> None:
    assert EXTRACTOR.prefilter(PASSES[name])


@pytest.mark.parametrize("name", sorted(SKIPPED))
def test_prefilter_skips_files_that_cannot_hold_a_finding(name: str) -> None:
    assert not EXTRACTOR.prefilter(SKIPPED[name])
    assert EXTRACTOR.extract("x.py", SKIPPED[name]).findings == ()


def test_clientish_call_needs_a_client_name_before_the_verb() -> None:
    assert clientish_call(b"resp = self.client.get(url)")
    assert clientish_call(b"resp = api.request('get', url)")
    assert not clientish_call(b"value = options.get('x')")
    assert not clientish_call(b"client = make()\nvalue = data.get('client')")


def test_method_calls_are_the_calls_with_that_attribute_name() -> None:
    f = PyFile("m.py", b"from cache import get as fetch\n"
                       b"a = store.get(k)\nb = fetch(k)\nc = store.items()\nd = cache.client().get(k)\n")
    picked = [(c.callee, c.name) for c in f.method_calls({"get"})]
    assert picked == [("store.get", "get"), ("cache.client().get", "get")]
    assert picked == [(c.callee, c.name) for c in f.calls if c.name == "get" and c.receiver]
