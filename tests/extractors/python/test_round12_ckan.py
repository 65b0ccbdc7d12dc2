"""Round-12 rules (held-out ckan), through the pipeline: CKAN's declared configuration
(`config.get("ckan.requests.timeout")` answered by the option's default in config_declaration.yaml,
extractors/ckanconfig), RQ's `queue.enqueue_call(func=fn, **rq_kwargs)` with the job timeout put in
`rq_kwargs["timeout"]` first, and PostgreSQL's `f"SET LOCAL statement_timeout TO {timeout}"`. With
the traps: a `config.get` in a file that does not use CKAN, an option without a default, an enqueue
without a timeout, an f-string that is not a SET."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan


def _found(tmp_path: Path, kind: str) -> list[tuple]:
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    key = "timeout_ms" if kind == "timeout" else "max_attempts"
    return sorted((f.path.rsplit("/", 1)[-1], f.line, f.attributes[key]) for f in result.findings if f.kind == kind)


def test_config_get_reads_the_declared_default(tmp_path: Path) -> None:
    (tmp_path / "setup.py").write_text("from setuptools import setup\nsetup(name='ckan')\n")
    (tmp_path / "ckan" / "config").mkdir(parents=True)
    (tmp_path / "ckan" / "__init__.py").write_text("")
    (tmp_path / "ckan" / "config" / "config_declaration.yaml").write_text(
        "version: 1\n"
        "groups:\n"
        "  - annotation: Network\n"
        "    options:\n"
        "      - key: ckan.requests.timeout\n"
        "        default: 5\n"
        "        type: int\n"
        "      - key: solr_timeout\n"
        "        type: int\n"
        "        default: 60\n"
        "      - key: ckan.site_url\n"
        "        placeholder: http://localhost\n")
    (tmp_path / "ckan" / "license.py").write_text(
        "import requests\n"
        "import pysolr\n"
        "from ckan.common import config\n\n\n"
        "def load(url):\n"
        "    timeout = config.get('ckan.requests.timeout')\n"
        "    return requests.get(url, timeout=timeout)\n\n\n"                    # 8
        "def solr(url):\n"
        "    return pysolr.Solr(url, timeout=config.get('solr_timeout'))\n\n\n"  # 12
        "def site():\n"
        "    return requests.get(config.get('ckan.site_url'), timeout=config.get('ckan.unknown.timeout', 7))\n")  # 16
    (tmp_path / "other.py").write_text(
        "import requests\n"
        "config = {}\n\n\n"
        "def load(url):\n"
        "    return requests.get(url, timeout=config.get('ckan.requests.timeout'))  # not a CKAN file\n")  # 6
    assert _found(tmp_path, "timeout") == [("license.py", 8, 5000), ("license.py", 12, 60000),
                                           ("license.py", 16, 7000), ("other.py", 6, None)]


def test_rq_enqueue_call_with_the_timeout_in_a_kwargs_dict(tmp_path: Path) -> None:
    (tmp_path / "jobs.py").write_text(
        "import rq\n\n"
        "DEFAULT_TIMEOUT = 180\n\n\n"
        "def get_queue(name):\n"
        "    return rq.Queue(name)\n\n\n"
        "def enqueue(fn, args=None, queue=None, rq_kwargs=None):\n"
        "    if rq_kwargs is None:\n"
        "        rq_kwargs = {}\n"
        "    rq_kwargs['timeout'] = rq_kwargs.get('timeout', DEFAULT_TIMEOUT)\n"
        "    return get_queue(queue).enqueue_call(func=fn, args=args, **rq_kwargs)\n\n\n"  # 14
        "def enqueue_plain(fn, queue=None, rq_kwargs=None):\n"
        "    return get_queue(queue).enqueue_call(func=fn, **(rq_kwargs or {}))  # ok: no timeout given\n")
    assert _found(tmp_path, "timeout") == [("jobs.py", 14, 180000)]


def test_set_local_statement_timeout_in_an_fstring(tmp_path: Path) -> None:
    (tmp_path / "backend.py").write_text(
        "import sqlalchemy as sa\n\n"
        "_TIMEOUT = 60000  # milliseconds\n\n\n"
        "def search(context, data_dict):\n"
        "    timeout = context.get('query_timeout', _TIMEOUT)\n"
        "    context['connection'].execute(sa.text(\n"                           # 8
        "        f\"SET LOCAL statement_timeout TO {timeout}\"))\n"
        "    context['connection'].execute(sa.text(f\"SELECT * FROM {data_dict['id']} LIMIT {timeout}\"))  # ok\n"
        "    context['connection'].execute(f\"SET LOCAL statement_timeout = '{data_dict['seconds']}s'\")\n")  # 11
    assert _found(tmp_path, "timeout") == [("backend.py", 8, 60000), ("backend.py", 11, None)]
