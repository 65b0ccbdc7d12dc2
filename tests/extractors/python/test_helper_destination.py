"""A call of a project helper whose URL parameter is its destination goes where its argument points."""

from pathlib import Path

from contract_discovery.pipeline import scan

HELPER = '''import requests

RISK_URL = "http://risk:8000/score"


def post_json(url, payload, timeout=2.0):
    return requests.post(url, json=payload, timeout=timeout).json()


def score(payload, timeout=1.0):
    return requests.post(RISK_URL, json=payload, timeout=timeout).json()
'''

CALLER = '''import os

from app.http import post_json, score

ML_URL = os.environ.get("ML_SCORING_URL", "http://ml-scoring:9000/predict")


def run(txn):
    post_json(ML_URL, txn)
    post_json("http://ledger:8080/holds", txn, timeout=0.5)
    score(txn, 0.3)
'''


def test_helper_calls_take_the_destination_of_their_url_argument(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "checkout"\n')
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "http.py").write_text(HELPER)
    (tmp_path / "app" / "main.py").write_text(CALLER)
    got = sorted((f.line, f.attributes["timeout_ms"], f.target.url if f.target else None)
                 for f in scan(tmp_path).findings if f.kind == "timeout" and f.path == "app/main.py")
    # score() always calls RISK_URL: its argument is no destination; the call goes where the helper goes
    assert got == [(9, 2000, "http://ml-scoring:9000/predict"), (10, 500, "http://ledger:8080/holds"),
                   (11, 300, "http://risk:8000/score")]
