"""Round 12 (lead, from the bazarr measure set): `session.timeout = 60` on a requests.Session bounds
nothing (requests reads no such attribute), so it is no timeout; the same write on other clients is."""

from __future__ import annotations

from extractors.python.extractor import EXTRACTOR


def _timeouts(source: str):
    result = EXTRACTOR.extract("app/client.py", source.encode())
    return [(f.line, f.attributes.get("timeout_ms")) for f in result.findings if f.kind == "timeout"]


def test_timeout_attribute_on_a_requests_session_is_no_bound():
    assert _timeouts(
        "import requests\n"
        "\n"
        "class SonarrClient:\n"
        "    def __init__(self):\n"
        "        self.session = requests.Session()\n"
        "        self.session.timeout = 60\n"
        "\n"
        "def other():\n"
        "    s = requests.Session()\n"
        "    s.timeout = 15\n"
        "    return s.get('http://x', timeout=5)\n") == [(11, 5000)]


def test_timeout_attribute_on_other_clients_still_counts():
    assert _timeouts(
        "import requests\n"
        "\n"
        "def connect():\n"
        "    session = requests.Session()\n"
        "    client = make_client()\n"
        "    client.timeout = 7\n"  # not the requests Session: the client's own attribute
        "    return session, client\n") == [(6, 7000)]
