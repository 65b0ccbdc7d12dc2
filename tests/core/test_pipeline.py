import json

from contract_discovery.config import Config
from contract_discovery.pipeline import scan
from contract_discovery.reports import scan_json

from .conftest import write


def monorepo(tmp_path, n=80):
    files = {
        "checkout/pyproject.toml": "[project]\nname='checkout'\n",
        "risk/go.mod": "module risk\n",
        "checkout/consts.fake": 'RISK_URL = "http://risk:8080"\nTIMEOUT = 0.2\n',
        "checkout/client.fake": "x\nCALL(RISK_URL, TIMEOUT)\nCALL(\"http://payment-service/x\", 2)\n",
        "risk/a.fake": "nothing to see\n",
    }
    for i in range(n):
        files[f"risk/gen/f{i:03}.fake"] = f"CALL(\"http://checkout/{i}\", {i % 5 + 1})\n"
    return write(tmp_path, files)


def key(result):
    return [json.dumps(f.to_json(), sort_keys=True) for f in result.findings]


def test_resolution_targets_and_services(tmp_path, fake_extractor):
    result = scan(monorepo(tmp_path, 0), jobs=1)
    assert [(s.name, s.path, s.languages) for s in result.services] == [("checkout", "checkout", ("fake",)), ("risk", "risk", ("fake",))]
    first, second = [f for f in result.findings if f.path == "checkout/client.fake"]
    assert (first.line, first.attributes["timeout_ms"], first.attributes["resolved_from"], first.target.service) == (2, 200, "constant", "risk")
    assert (second.line, second.attributes["timeout_ms"], second.target.service) == (3, 2000, "payment")
    assert result.stats.files_skipped_prefilter == 1  # risk/a.fake holds no token


def test_same_findings_with_one_or_two_jobs_and_with_or_without_prefilter(tmp_path, fake_extractor):
    root = monorepo(tmp_path)
    one = scan(root, jobs=1)
    two = scan(root, jobs=2)
    unfiltered = scan(root, jobs=2, use_prefilter=False)
    assert key(one) == key(two) == key(unfiltered)
    assert len(one.findings) == 82


def test_cache_reuses_unchanged_files(tmp_path, fake_extractor):
    import os
    import time

    root = monorepo(tmp_path, 10)
    past = time.time() - 3600
    for path in root.rglob("*"):
        os.utime(path, (past, past))
    cache = tmp_path / "cache"
    cold = scan(root, cache_dir=cache)
    assert cold.stats.files_cached == 0
    (root / "risk/gen/f003.fake").write_text('CALL("http://checkout/3", 9)\n')
    os.utime(root / "risk/gen/f003.fake", (past + 1, past + 1))  # same size; only the mtime tells
    warm = scan(root, cache_dir=cache)
    assert warm.stats.files_cached == warm.stats.files_seen - 1
    assert key(warm) != key(cold)
    changed = [f for f in warm.findings if f.path == "risk/gen/f003.fake"]
    assert changed[0].attributes["timeout_ms"] == 9000


def test_shards_partition_by_service_and_merge_to_the_whole(tmp_path, fake_extractor):
    root = monorepo(tmp_path, 30)
    for name in ("orders", "payment", "support", "ledger"):
        write(root, {f"{name}/go.mod": "", f"{name}/c.fake": f'U = "http://risk/{name}"\nCALL(U, 1)\n'})
    whole = set(key(scan(root)))
    parts = [set(key(scan(root, shard=(i, 3)))) for i in (1, 2, 3)]
    assert set().union(*parts) == whole
    assert sum(len(p) for p in parts) == len(whole)


def test_bad_files_are_reported_and_the_rest_is_scanned(tmp_path, fake_extractor):
    root = write(tmp_path, {
        "svc/pyproject.toml": "", "svc/ok.fake": "CALL(\"http://a/\", 1)\n", "svc/bin.fake": b"\x00\x01CALL",
        "svc/crash.fake": "CRASH", "svc/broken.fake": "BROKEN\nCALL(\"http://b/\", 2)\n",
        "svc/big.fake": "CALL(\"http://c/\", 1)\n" + "#" * 3000,
    })
    result = scan(root, config=Config(max_file_size=2000))
    assert {(e.path, e.kind) for e in result.errors} == {
        ("svc/bin.fake", "binary"), ("svc/crash.fake", "extractor_error"), ("svc/broken.fake", "parse_error"),
        ("svc/big.fake", "too_large")}
    assert [f.path for f in result.findings] == ["svc/broken.fake", "svc/ok.fake"]
    data = json.loads(scan_json.render(result))
    assert set(data) == {"schema_version", "tool", "root", "services", "findings", "contracts", "errors", "stats",
                         "suppressions"}
    assert data["errors"][0] == {"path": "svc/big.fake", "kind": "too_large",
                                 "message": "3021 bytes is over the 2000-byte limit (max_file_size): skipped"}


def test_a_dying_worker_is_reported_and_its_batch_retried(tmp_path, fake_extractor):
    root = monorepo(tmp_path, 70)
    (root / "risk/gen/f005.fake").write_text("DIE\n")
    result = scan(root, jobs=2)
    assert [(e.path, e.kind) for e in result.errors] == [("risk/gen/f005.fake", "worker_crash")]
    assert len(result.findings) == 2 + 69


def test_changed_since_scans_only_the_touched_services(tmp_path, fake_extractor):
    import subprocess

    root = monorepo(tmp_path, 3)
    git = lambda *a: subprocess.run(["git", "-C", str(root), *a], check=True, capture_output=True)  # noqa: E731
    git("init", "-q")
    git("-c", "user.email=a@b", "-c", "user.name=a", "add", "-A")
    git("-c", "user.email=a@b", "-c", "user.name=a", "commit", "-qm", "init")
    (root / "risk/gen/f001.fake").write_text('CALL("http://checkout/1", 7)\n')
    result = scan(root, changed_since="HEAD")
    assert {f.service for f in result.findings} == {"risk"}
    assert [f.attributes["timeout_ms"] for f in result.findings if f.path == "risk/gen/f001.fake"] == [7000]
    # Nothing changed: nothing scanned.
    git("-c", "user.email=a@b", "-c", "user.name=a", "commit", "-qam", "change")
    assert scan(root, changed_since="HEAD").findings == ()


def test_a_process_wide_default_in_one_file_covers_missing_timeouts_in_others(tmp_path):
    root = write(tmp_path, {
        "web/package.json": "{}",
        "web/src/setup.ts": 'import axios from "axios";\naxios.defaults.timeout = 5000;\n',
        "web/src/client.ts": 'import axios from "axios";\nexport const f = () => axios.post("http://risk:8080/score", {});\n',
        "other/package.json": "{}",
        "other/src/client.ts": 'import axios from "axios";\nexport const f = () => axios.post("http://risk:8080/score", {});\n',
    })
    result = scan(root)
    missing = [(f.service, f.path) for f in result.findings if f.kind == "missing_timeout"]
    assert missing == [("other", "other/src/client.ts")]
    assert [(f.path, f.attributes["timeout_ms"]) for f in result.findings if f.kind == "timeout"] == [("web/src/setup.ts", 5000)]


def test_constants_in_files_the_prefilter_skipped_are_still_resolved(tmp_path, fake_extractor, monkeypatch):
    # The fake prefilter needs CALL or '='; make the constants file pass neither, then prove
    # the symbol pass still reads it because a pending value names one of its constants.
    monkeypatch.setattr(type(fake_extractor), "prefilter_tokens", (b"CALL",))
    monkeypatch.setattr(type(fake_extractor), "_lowered_tokens", None)
    root = write(tmp_path, {"svc/go.mod": "", "svc/consts.fake": "RISK_TIMEOUT = 0.3\nOTHER = 1\n",
                            "svc/noise.fake": "nothing\n", "svc/client.fake": 'CALL("http://risk/", RISK_TIMEOUT)\n'})
    result = scan(root)
    assert [f.attributes["timeout_ms"] for f in result.findings] == [300]
    assert result.stats.files_parsed == 2 and result.stats.files_skipped_prefilter == 1
    assert key(result) == key(scan(root, use_prefilter=False))


def test_a_file_changed_right_after_the_scan_is_never_trusted_on_its_mtime(tmp_path, fake_extractor):
    root = monorepo(tmp_path, 2)
    cache = tmp_path / "cache"
    scan(root, cache_dir=cache)
    # Rewritten within the timestamp granularity: size and (maybe) mtime equal, content not.
    (root / "risk/gen/f001.fake").write_text('CALL("http://checkout/1", 8)\n')
    warm = scan(root, cache_dir=cache)
    assert [f.attributes["timeout_ms"] for f in warm.findings if f.path == "risk/gen/f001.fake"] == [8000]


def test_a_pathological_file_exceeds_its_budget_and_the_scan_goes_on(tmp_path, fake_extractor, monkeypatch):
    from contract_discovery import pipeline

    monkeypatch.setattr(pipeline, "PER_FILE_SECONDS", 0.5)
    root = write(tmp_path, {"svc/go.mod": "", "svc/slow.fake": "SLOW\n", "svc/ok.fake": 'CALL("http://a/", 1)\n'})
    result = scan(root)
    assert [(e.path, e.kind) for e in result.errors] == [("svc/slow.fake", "timeout")]
    assert [f.path for f in result.findings] == ["svc/ok.fake"]


HELPER = ("import requests\n\n\ndef post_json(url, body, timeout=5):\n"
          "    return requests.post(url, json=body, timeout=timeout)\n")
NOT_A_HELPER = "def post_json(url, body, timeout=5):\n    return {'url': url, 'body': body}\n"
CALLER = ('from app.http import post_json as post\nfrom app.util import tidy\n\nRISK_URL = "http://risk:8080/score"\n\n\n'
          "def score(cart):\n    tidy(cart, 3)\n    post(RISK_URL, cart)\n    return post(RISK_URL, cart, 0.5)\n")


def _helper_calls(result):
    return sorted((f.line, f.attributes["timeout_ms"], f.target.service if f.target else None)
                  for f in result.findings if f.path == "app/checkout.py" and f.kind == "timeout")


def test_calls_of_a_helper_in_another_file_are_proposed_in_the_second_pass(tmp_path):
    from extractors import wrappers
    from extractors.python.extractor import EXTRACTOR

    root = write(tmp_path, {"app/pyproject.toml": "[project]\nname='checkout'\n", "app/http.py": HELPER,
                            "app/util.py": "def tidy(cart, n):\n    return cart\n", "app/checkout.py": CALLER})
    # the first pass knows no helper: no proposal, and the names the file calls are recorded
    with wrappers.propose_for(frozenset()):
        first = EXTRACTOR.extract("app/checkout.py", CALLER.encode())
    assert [f for f in first.findings if f.kind == "timeout"] == []
    assert {"post_json", "tidy"} <= first.calls and first.proposed_for == frozenset()
    with wrappers.propose_for(frozenset({"post_json"})):
        second = EXTRACTOR.extract("app/checkout.py", CALLER.encode())
    assert second.proposed_for == frozenset({"post_json"})
    assert {f.line for f in second.findings if f.kind == "timeout"} == {9, 10}  # proposals, kept if published
    # an extractor called directly proposes at every call, as before
    assert EXTRACTOR.extract("app/checkout.py", CALLER.encode()).calls is None
    expected = [(9, 5000, "risk"), (10, 500, "risk")]  # the default left out; the value passed
    assert _helper_calls(scan(root, jobs=1)) == expected
    assert _helper_calls(scan(root, jobs=2, use_prefilter=False)) == expected


def test_a_cached_caller_follows_its_helper_appearing_and_going(tmp_path):
    import os
    import time

    root = write(tmp_path, {"app/pyproject.toml": "[project]\nname='checkout'\n", "app/http.py": NOT_A_HELPER,
                            "app/util.py": "def tidy(cart, n):\n    return cart\n", "app/checkout.py": CALLER})
    past = time.time() - 3600
    for path in root.rglob("*"):
        os.utime(path, (past, past))
    cache = tmp_path / "cache"
    assert _helper_calls(scan(root, cache_dir=cache)) == []
    (root / "app/http.py").write_text(HELPER)  # only the helper's file changes
    warm = scan(root, cache_dir=cache)
    assert _helper_calls(warm) == [(9, 5000, "risk"), (10, 500, "risk")]
    assert _helper_calls(scan(root, cache_dir=cache)) == [(9, 5000, "risk"), (10, 500, "risk")]
    (root / "app/http.py").write_text(NOT_A_HELPER)
    os.utime(root / "app/http.py", (past + 7, past + 7))
    assert _helper_calls(scan(root, cache_dir=cache)) == []
