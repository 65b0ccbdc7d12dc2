"""The traps every detector must survive, each as its own named case: nothing of the listed
kinds may be reported on these snippets."""

from __future__ import annotations

import pytest

from extractors.python.extractor import EXTRACTOR

TRAPS = {
    "timeout in a comment": ("# set the timeout to 5 seconds\nx = 1\n", ("timeout", "missing_timeout")),
    "timeout in a string": ('msg = "requests.get(url, timeout=5) and retry 3 times"\n', ("timeout", "retry")),
    "variable named retry": ("retry = 3\nretries = [1, 2]\nfor r in retries:\n    print(r)\n", ("retry",)),
    "loop over items with try/except continue": (
        "import requests\ndef sync(items):\n    for item in items:\n        try:\n"
        "            requests.post('http://s/i', json=item, timeout=1)\n        except ValueError:\n            continue\n",
        ("retry",)),
    "uuid made once outside the loop": (
        "import uuid, time, requests\ndef f(p):\n    rid = str(uuid.uuid4())\n    for attempt in range(3):\n        try:\n"
        "            return requests.post('http://r/s', json=p, headers={'X-Id': rid}, timeout=1)\n"
        "        except requests.Timeout:\n            time.sleep(1)\n",
        ("new_id_per_attempt",)),
    "queue wait": ("import queue\nq = queue.Queue()\nq.get(timeout=1)\n", ("timeout", "missing_timeout")),
    "thread join and subprocess": (
        "import subprocess, threading\ndef f(t: threading.Thread):\n    t.join(timeout=5)\n"
        "    subprocess.run(['ls'], timeout=3)\n", ("timeout",)),
    "session with a timeout adapter": (
        "import requests\nfrom requests.adapters import HTTPAdapter\n"
        "class TimeoutAdapter(HTTPAdapter):\n    def send(self, request, **kwargs):\n"
        "        kwargs.setdefault('timeout', 5)\n        return super().send(request, **kwargs)\n"
        "s = requests.Session()\ns.mount('https://', TimeoutAdapter())\ns.get('https://a/b')\n",
        ("missing_timeout",)),
    "session subclass with a default": (
        "import requests\nclass S(requests.Session):\n    def request(self, method, url, **kw):\n"
        "        kw.setdefault('timeout', 3)\n        return super().request(method, url, **kw)\n"
        "S().get('http://a/b')\n", ("missing_timeout",)),
    "session request patched with partial": (
        "import functools, requests\ns = requests.Session()\ns.request = functools.partial(s.request, timeout=4)\n"
        "s.get('http://a/b')\n", ("missing_timeout",)),
    "unknown kwargs may carry a timeout": (
        "import requests\ndef f(url, **kwargs):\n    return requests.get(url, **kwargs)\n", ("missing_timeout",)),
    "sqlalchemy session is not an HTTP session": (
        "def f(session, record):\n    session.delete(record)\n    session.get(Customer, 1)\n", ("outbound_call",)),
    "socket set to blocking": ("import socket\ns = socket.socket()\ns.settimeout(None)\n", ("timeout",)),
    "cache ttl": ("from django.core.cache import cache\ncache.set('k', 1, timeout=300)\n", ("timeout",)),
    "local decorator named retry": (
        "def retry(fn):\n    return fn\n@retry\ndef f():\n    pass\n", ("retry",)),
    "replica word in a string": ('x = "read from the replica"\n', ("replica_read",)),
}


@pytest.mark.parametrize("name", sorted(TRAPS))
def test_trap_reports_nothing(name: str) -> None:
    source, kinds = TRAPS[name]
    result = EXTRACTOR.extract("trap.py", source.encode())
    assert result.errors == ()
    assert [(f.kind, f.line, dict(f.attributes)) for f in result.findings if f.kind in kinds] == []
