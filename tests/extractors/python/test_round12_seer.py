"""Round-12 rules (held-out seer), through the pipeline: a retry decorator factory whose loop is
`for num_tries in range(1, max_tries + 1)` publishes `max_tries` for its callers (rule a at the loop,
rule c at each call), a call passing `self.backoff_max_tries` reads the field a dataclass base class
declares, an SDK call's `timeout=timeout or openai.NOT_GIVEN` (a parameter defaulting to None) is no
setting of its own but its callers' values are, and a client call made again while its result lacks a
field (`for _ in range(max_retries + 1): ...; if response.parsed is not None: break`). With traps."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan


def _found(tmp_path: Path, kind: str) -> list[tuple]:
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    key = "timeout_ms" if kind == "timeout" else "max_attempts"
    return sorted((f.path.rsplit("/", 1)[-1], f.line, f.attributes[key]) for f in result.findings if f.kind == kind)


def _project(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'svc'\n")
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "__init__.py").write_text("")
    (tmp_path / "svc" / "utils.py").write_text(
        "import functools\n"
        "import time\n\n\n"
        "def backoff_on_exception(is_retryable, max_tries: int = 2):\n"
        "    def decorator(func):\n"
        "        @functools.wraps(func)\n"
        "        def wrapped(*args, **kwargs):\n"
        "            for num_tries in range(1, max_tries + 1):\n"                  # 9
        "                try:\n"
        "                    return func(*args, **kwargs)\n"
        "                except Exception as exc:\n"
        "                    if not is_retryable(exc):\n"
        "                        raise\n"
        "                    time.sleep(2 ** num_tries)\n"
        "            raise RuntimeError('max tries')\n"
        "        return wrapped\n"
        "    return decorator\n\n\n"
        "def pages(fetch, first: int = 1, last: int = 5):\n"
        "    for page in range(first, last + 1):  # ok: pages, not tries\n"
        "        fetch(page)\n")
    (tmp_path / "svc" / "client.py").write_text(
        "from dataclasses import dataclass\n\n"
        "import openai\n\n"
        "from svc.utils import backoff_on_exception\n\n"
        "DEFAULT_BACKOFF_MAX_TRIES = 3\n\n\n"
        "@dataclass\n"
        "class BaseProvider:\n"
        "    model_name: str\n"
        "    backoff_max_tries: int = DEFAULT_BACKOFF_MAX_TRIES\n\n\n"
        "@dataclass\n"
        "class OpenAiProvider(BaseProvider):\n"
        "    def generate(self, prompt, timeout: float | None = None):\n"
        "        @backoff_on_exception(lambda e: True, max_tries=self.backoff_max_tries)\n"  # 19
        "        def _do():\n"
        "            client = openai.Client()\n"
        "            return client.chat.completions.create(model=self.model_name, messages=[prompt],\n"
        "                                                  timeout=timeout or openai.NOT_GIVEN)\n"  # 23: ok
        "        return _do()\n\n\n"
        "def embed(model):\n"
        "    return backoff_on_exception(lambda e: True, max_tries=4)(model.embed)\n"  # 28
        "\n\n"
        "def structured(client, contents):\n"
        "    max_retries = 2\n"
        "    for _ in range(max_retries + 1):\n"                                  # 33
        "        response = client.models.generate_content(model='m', contents=contents)\n"
        "        if response.parsed is not None:\n"
        "            break\n"
        "    return response\n\n\n"
        "def listing(client, names):\n"
        "    for name in names:  # ok: data\n"
        "        item = client.items.get(name)\n"
        "        if item.ready:\n"
        "            break\n\n\n"
        "def chunks(client):\n"
        "    for _ in range(10):  # ok: neither a sleep nor a bound named for tries\n"
        "        batch = client.queue.pop()\n"
        "        if batch.items:\n"
        "            break\n")
    (tmp_path / "svc" / "app.py").write_text(
        "from svc.client import OpenAiProvider\n\n\n"
        "def handler(prompt):\n"
        "    return OpenAiProvider('gpt').generate(prompt, timeout=30)\n")


def test_a_decorator_factorys_range_from_one_and_its_callers(tmp_path: Path) -> None:
    _project(tmp_path)
    assert _found(tmp_path, "retry") == [("client.py", 19, 3), ("client.py", 28, 4), ("client.py", 33, 3),
                                         ("utils.py", 9, 2)]


def test_a_timeout_or_not_given_parameter_is_not_a_setting_of_its_own(tmp_path: Path) -> None:
    _project(tmp_path)
    assert [t for t in _found(tmp_path, "timeout") if t[0] == "client.py"] == []
