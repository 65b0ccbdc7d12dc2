"""Round 13 (lead, from the liberapay measure set): `sess.request(method, url, **kw)` on a session of
unknown origin, the verb held in a variable and the URL second, is an HTTP call; its timeout is the
`kw.setdefault('timeout', ...)` made before it."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan


def _timeouts(tmp_path: Path) -> list[tuple]:
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    return sorted((f.path.rsplit("/", 1)[-1], f.line, f.attributes["timeout_ms"])
                  for f in result.findings if f.kind == "timeout")


def test_session_request_with_the_verb_in_a_variable(tmp_path: Path) -> None:
    (tmp_path / "base.py").write_text(
        "class Platform:\n"
        "    api_timeout = 20.0\n"
        "\n"
        "    def api_request(self, method, domain, path, sess=None, **kw):\n"
        "        url = self.api_url.format(domain=domain) + path\n"
        "        if not sess:\n"
        "            sess = self.get_app_session(domain)\n"
        "        kw.setdefault('timeout', self.api_timeout)\n"
        "        response = sess.request(method, url, **kw)\n"
        "        return response\n")
    assert _timeouts(tmp_path) == [("base.py", 9, 20000)]


def test_request_of_something_that_is_no_url_is_not_http(tmp_path: Path) -> None:
    (tmp_path / "cache.py").write_text(
        "def lookup(cache, key, method, **kw):\n"
        "    kw.setdefault('timeout', 5)  # the cache's own wait\n"
        "    return cache.request(method, key, **kw)\n"
        "def other(session, method, payload):\n"
        "    # 'timeout' in a comment; a session request whose second argument is a payload, not a URL\n"
        "    return session.request(method, payload)\n")
    assert _timeouts(tmp_path) == []
