"""Round-13 rules (held-out defectdojo, hypothesis-lms), through the pipeline: django-environ's schema
defaults (`env = environ.Env(DD_REQUESTS_TIMEOUT=(int, 30))` then `env("DD_REQUESTS_TIMEOUT")`), a
`getattr(settings, "X", default)` lookup's default (a (connect, read) pair too), Celery's
`app.conf.update(broker_transport_options={"max_retries": n})`, and a helper method with a (connect, read)
pair default reached through `*args, **kwargs` forwarding methods and through objects handed in with a
type annotation. Each with its traps."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan


def _found(tmp_path: Path, kind: str) -> list[tuple]:
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    key = "timeout_ms" if kind == "timeout" else "max_attempts"
    return sorted((f.path.rsplit("/", 1)[-1], f.line, f.attributes.get("phase") if kind == "timeout" else None,
                   f.attributes[key]) for f in result.findings if f.kind == kind)


def test_django_environ_schema_default_reaches_the_setting_user(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("django\ndjango-environ\n")
    app = tmp_path / "app"
    app.mkdir()
    (app / "settings.py").write_text(
        "import environ\n\n"
        "env = environ.FileAwareEnv(\n"
        "    DD_REQUESTS_TIMEOUT=(int, 30),\n"
        "    DD_NAME=(str, 'timeout'),\n"
        ")\n"
        "REQUESTS_TIMEOUT = env('DD_REQUESTS_TIMEOUT')\n"
        "GIVEN_TIMEOUT = env('DD_GIVEN_TIMEOUT', default=5)\n"
        "UNKNOWN_TIMEOUT = env('DD_UNKNOWN_TIMEOUT')  # ok: no schema entry, no default\n")
    (app / "client.py").write_text(
        "import requests\n"
        "from django.conf import settings\n\n\n"
        "def fetch(url):\n"
        "    return requests.get(url, timeout=settings.REQUESTS_TIMEOUT)\n"   # 6
        "\n\n"
        "def given(url):\n"
        "    return requests.get(url, timeout=settings.GIVEN_TIMEOUT)\n")     # 10
    assert _found(tmp_path, "timeout") == [("client.py", 6, "total", 30000), ("client.py", 10, "total", 5000)]


def test_environ_schema_of_another_object_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("django\n")
    (tmp_path / "settings.py").write_text(
        "import requests\n\n"
        "schema = dict(DD_TIMEOUT=(int, 30))  # ok: not django-environ\n"
        "def env(name):\n"
        "    return name\n\n"
        "TIMEOUT = env('DD_TIMEOUT')\n\n\n"
        "def fetch(url):\n"
        "    return requests.get(url, timeout=TIMEOUT)\n")
    assert all(value != 30000 for *_, value in _found(tmp_path, "timeout"))


def test_getattr_settings_default_gives_jira_timeout_pair_and_retries(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("django\njira\n")
    (tmp_path / "helper.py").write_text(
        "from django.conf import settings\n"
        "from jira import JIRA\n\n\n"
        "def connect_to_jira(server, user, password):\n"
        "    max_retries = getattr(settings, 'JIRA_MAX_RETRIES', 3)\n"
        "    timeout = getattr(settings, 'JIRA_TIMEOUT', (10, 30))\n"
        "    return JIRA(\n"                                                       # 8
        "        server=server,\n"
        "        basic_auth=(user, password),\n"
        "        max_retries=max_retries,\n"
        "        timeout=timeout,\n"
        "    )\n\n\n"
        "def label(obj):\n"
        "    return getattr(obj, 'timeout_label', 'none')  # ok: not a settings object, not a call's bound\n")
    assert _found(tmp_path, "timeout") == [("helper.py", 8, "connect", 10000), ("helper.py", 8, "read", 30000)]
    assert _found(tmp_path, "retry") == [("helper.py", 8, None, 4)]


def test_celery_conf_update_broker_transport_options(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("celery\n")
    (tmp_path / "tasks.py").write_text(
        "import os\n"
        "from celery import Celery\n\n"
        "app = Celery('lms')\n"
        "app.conf.update(\n"
        "    broker_url=os.environ.get('BROKER_URL'),\n"
        "    broker_transport_options={\n"
        "        # the max_retries of publishing\n"
        "        'max_retries': 2,\n"                                              # 9
        "        'interval_start': 0.2,\n"
        "    },\n"
        ")\n"
        "other = dict(broker_transport_options={'max_retries': 9})  # ok: not Celery's config call\n")
    assert _found(tmp_path, "retry") == [("tasks.py", 9, None, 3)]


def _http_service(tmp_path: Path) -> Path:
    (tmp_path / "requirements.txt").write_text("requests\n")
    svc = tmp_path / "svc"
    svc.mkdir()
    (svc / "__init__.py").write_text("")
    (svc / "http.py").write_text(
        "from requests import Response, Session\n\n\n"
        "class HTTPService:\n"
        "    def __init__(self):\n"
        "        self.session = Session()\n\n"
        "    def request(self, method, url, timeout=(10, 30), **kwargs) -> Response:\n"
        "        response = self.session.request(method, url, timeout=timeout, **kwargs)\n"   # 9
        "        response.raise_for_status()\n"
        "        return response\n\n"
        "    def get(self, *args, **kwargs):\n"
        "        return self.request('GET', *args, **kwargs)\n\n"
        "    def post(self, *args, **kwargs):\n"
        "        \"\"\"Send a POST request.\"\"\"\n"
        "        return self.request('POST', *args, **kwargs)\n\n"
        "    def log(self, *args, **kwargs):\n"
        "        print(*args, **kwargs)  # ok: forwards to no helper of the class\n")
    return svc


def test_pair_default_through_splat_methods_and_annotated_objects(tmp_path: Path) -> None:
    svc = _http_service(tmp_path)
    (svc / "users.py").write_text(
        "from svc.http import HTTPService\n\n\n"
        "class Books:\n"
        "    def __init__(self, api):\n"
        "        self._api = api\n"
        "        self._http = HTTPService()\n\n"
        "    def book(self, doi):\n"
        "        return self._http.get(url=self._api + doi, params={'a': 1})\n"          # 10
        "\n"
        "    def direct(self, doi):\n"
        "        return self._http.request('GET', self._api + doi)\n"                     # 13
        "\n"
        "    def given(self, doi):\n"
        "        return self._http.request('GET', self._api + doi, timeout=3)\n"          # 16
        "\n\n"
        "class Moodle:\n"
        "    def __init__(self, http: HTTPService, other):\n"
        "        self._http = http\n"
        "        self._other = other\n\n"
        "    def page(self, url):\n"
        "        return self._http.post(url, params={})\n"                                 # 25
        "\n"
        "    def other(self, url):\n"
        "        return self._other.post(url)  # ok: an object of unknown class\n"
        "\n\n"
        "def typed(http: HTTPService, url):\n"
        "    return http.get(url)\n"                                                       # 32
        "\n\n"
        "def untyped(http, url):\n"
        "    return http.get(url)  # ok: an object of unknown class\n"
        "\n\n"
        "def logged(http: HTTPService):\n"
        "    http.log('timeout')  # ok: log hands nothing to request\n")
    found = [row for row in _found(tmp_path, "timeout") if row[0] == "users.py"]
    pairs = [(line, phase, value) for _, line, phase, value in found]
    for line in (10, 13, 25, 32):
        assert (line, "connect", 10000) in pairs and (line, "read", 30000) in pairs, line
    assert {line for line, _, _ in pairs} == {10, 13, 16, 25, 32}
    assert [(phase, value) for line, phase, value in pairs if line == 16] == [("total", 3000)]


def test_phase_item_of_default_pair_unit() -> None:
    from contract_discovery.values import Num, Ref, Tuple
    from extractors.wrappers import phase_item_of_default_pair

    pair = Tuple((Num(10.0), Ref("READ")))
    assert phase_item_of_default_pair(pair, "connect") == 10.0
    assert phase_item_of_default_pair(pair, "read") == Ref("READ")
    assert phase_item_of_default_pair(pair, "total") is pair  # a pair for a total: left as it is
    assert phase_item_of_default_pair(5.0, "connect") == 5.0


def test_object_handed_in_under_its_class_name_and_session_or_default(tmp_path: Path) -> None:
    """`def __init__(self, basic_client): self._client = basic_client` (no annotation): the class named
    like the parameter (BasicClient); its `send` hands a session made as `session or Session()` a
    timeout parameter (a forwarder), and AuthenticatedClient.send's (10, 30) pair default is rule (a) at
    its hand-over and rule (b) at each call leaving it out."""
    (tmp_path / "requirements.txt").write_text("requests\n")
    api = tmp_path / "api"
    api.mkdir()
    (api / "__init__.py").write_text("")
    (api / "basic.py").write_text(
        "import requests\n"
        "from requests import Session\n\n\n"
        "class BasicClient:\n"
        "    def __init__(self, host, session=None):\n"
        "        self._session = session or Session()\n"
        "        self._host = host\n\n"
        "    def send(self, method, path, timeout, params=None):\n"
        "        request = requests.Request(method, self._host + path, params=params).prepare()\n"
        "        return self._session.send(request, timeout=timeout)  # ok: its callers' value (a forwarder)\n")
    (api / "authenticated.py").write_text(
        "import logging\n\n"
        "DEFAULT_TIMEOUT = (10, 30)\n\n\n"
        "class AuthenticatedClient:\n"
        "    def __init__(self, basic_client, token_service):\n"
        "        self._client = basic_client\n"
        "        self._tokens = token_service\n\n"
        "    def send(self, method, path, timeout=DEFAULT_TIMEOUT, params=None):\n"
        "        return self._client.send(method, path, timeout, params)\n"            # 12: rule (a)
        "\n"
        "    def token(self):\n"
        "        return self._tokens.send('POST', '/token')  # ok: a token_service names no class here\n")
    (api / "canvas.py").write_text(
        "import logging\n\n\n"
        "class CanvasAPIClient:\n"
        "    def __init__(self, authenticated_client, http):\n"
        "        self._client = authenticated_client\n"
        "        self._http = http\n\n"
        "    def courses(self):\n"
        "        return self._client.send('GET', 'courses')\n"                        # 10: rule (b)
        "\n"
        "    def groups(self):\n"
        "        return self._client.send('GET', 'groups', (31, 31))\n"               # 13: rule (c)
        "\n"
        "    def plain(self):\n"
        "        return self._http.send('GET', 'x')  # ok: `http` names no class\n")
    found = _found(tmp_path, "timeout")
    assert [row for row in found if row[0] == "basic.py"] == []
    assert [row for row in found if row[0] == "authenticated.py"] == [
        ("authenticated.py", 12, "connect", 10000), ("authenticated.py", 12, "read", 30000)]
    canvas = [row[1:] for row in found if row[0] == "canvas.py"]
    assert (10, "connect", 10000) in canvas and (10, "read", 30000) in canvas
    assert {line for line, _, _ in canvas} <= {10, 13}
    assert all(value == 31000 for line, _, value in canvas if line == 13)


def test_wait_for_ready_deadline_loop_and_port_search(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("httpx\n")
    (tmp_path / "sandbox.py").write_text(
        "import asyncio\n"
        "import socket\n"
        "import time\n\n\n"
        "class ProcessSandbox:\n"
        "    def __init__(self, httpx_client, sandbox_service, base_port=8000):\n"
        "        self.httpx_client = httpx_client\n"
        "        self.sandbox_service = sandbox_service\n"
        "        self.base_port = base_port\n"
        "        self.startup_timeout = 120\n\n"
        "    async def _wait_for_server_ready(self, port, timeout=30):\n"
        "        start_time = time.time()\n"
        "        while time.time() - start_time < timeout:\n"                            # 15: rule (a)
        "            try:\n"
        "                response = await self.httpx_client.get(f'http://localhost:{port}/alive')\n"
        "                if response.status_code == 200:\n"
        "                    return True\n"
        "            except Exception:\n"
        "                pass\n"
        "            await asyncio.sleep(1)\n"
        "        return False\n\n"
        "    async def start(self, port):\n"
        "        return await self._wait_for_server_ready(port)\n"                       # 26: rule (b)
        "\n"
        "    async def wait_started(self, sid):\n"
        "        start = time.time()\n"
        "        while time.time() - start <= self.startup_timeout:\n"                  # 30
        "            await asyncio.sleep(2)\n"
        "            if await self.sandbox_service.get_sandbox(sid):\n"
        "                return\n\n"
        "    def spin(self, limit=10):\n"
        "        start = time.time()\n"
        "        while time.time() - start < limit:  # ok: a local poll, nothing asked of another service\n"
        "            time.sleep(0.1)\n"
        "            self.counter = self.compute()\n\n"
        "    def free_port(self):\n"
        "        port = self.base_port\n"
        "        while port < self.base_port + 10000:  # ok: a search for a free local port, not a retry\n"
        "            try:\n"
        "                with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:\n"
        "                    s.bind(('', port))\n"
        "                    return port\n"
        "            except OSError:\n"
        "                port += 1\n")
    timeouts = [(line, value) for _, line, _, value in _found(tmp_path, "timeout")]
    assert (15, 30000) in timeouts and (26, 30000) in timeouts and (30, 120000) in timeouts
    assert not [line for line, _ in timeouts if line >= 35]
    assert _found(tmp_path, "retry") == []


def test_kwargs_forwarding_wrapper_of_a_handed_in_service(tmp_path: Path) -> None:
    svc = _http_service(tmp_path)
    (svc / "oauth.py").write_text(
        "import logging\n\n\n"
        "class OAuthHTTPService:\n"
        "    def __init__(self, http_service, tokens):\n"
        "        self._http_service = http_service\n"
        "        self._tokens = tokens\n\n"
        "    def get(self, *args, **kwargs):\n"
        "        return self.request('GET', *args, **kwargs)\n\n"
        "    def request(self, method, url, headers=None, **kwargs):\n"
        "        headers = headers or {}\n"
        "        return self._http_service.request(method, url, headers=headers, **kwargs)  # ok: a forward\n"
        "\n\n"
        "class Blackboard:\n"
        "    def __init__(self, oauth_http_service):\n"
        "        self._oauth_http_service = oauth_http_service\n\n"
        "    def request(self, method, path):\n"
        "        return self._oauth_http_service.request(method, 'https://bb/' + path)\n"     # 22
        "\n"
        "    def page(self, url):\n"
        "        return self._oauth_http_service.get(url, allow_redirects=True)\n"           # 25
        "\n"
        "    def quick(self, url):\n"
        "        return self._oauth_http_service.get(url, timeout=2)\n")                     # 28
    rows = [row[1:] for row in _found(tmp_path, "timeout") if row[0] == "oauth.py"]
    assert (22, "connect", 10000) in rows and (22, "read", 30000) in rows
    assert (25, "connect", 10000) in rows and (25, "read", 30000) in rows
    assert {line for line, _, _ in rows} == {22, 25, 28}
    assert [value for line, _, value in rows if line == 28] == [2000]


def test_generic_class_name_defaults_not_guessed_from_a_parameter_name(tmp_path: Path) -> None:
    """Two BasicClient classes (one per API): `self._api = basic_client` cannot tell which, so what a call
    leaving a default out gets is not taken from the other one's."""
    svc = _http_service(tmp_path)
    (svc / "d2l.py").write_text(
        "import logging\n\n\n"
        "class BasicClient:\n"
        "    def __init__(self, oauth_http_service):\n"
        "        self._oauth_http_service = oauth_http_service\n\n"
        "    def request(self, method, path, **kwargs):\n"
        "        return self._oauth_http_service.request(method, path, **kwargs)\n")
    (svc / "oauth.py").write_text(
        "import logging\n\n\n"
        "class OAuthHTTPService:\n"
        "    def __init__(self, http_service):\n"
        "        self._http_service = http_service\n\n"
        "    def request(self, method, url, headers=None, **kwargs):\n"
        "        return self._http_service.request(method, url, headers=headers, **kwargs)\n")
    (svc / "blackboard.py").write_text(
        "import logging\n\n\n"
        "class BasicClient:\n"
        "    def request(self, method, path):\n"
        "        return method, path\n\n\n"
        "class BlackboardClient:\n"
        "    def __init__(self, basic_client):\n"
        "        self._api = basic_client\n\n"
        "    def files(self):\n"
        "        return self._api.request('GET', 'files')  # ok: this package's BasicClient sends nothing\n")
    assert [row for row in _found(tmp_path, "timeout") if row[0] == "blackboard.py"] == []


def test_dynaconf_validator_defaults_reach_settings_users(tmp_path: Path) -> None:
    """Round 12's request (bazarr): `Validator('sonarr.http_timeout', default=60)` registered on
    `settings = Dynaconf(...)`, also through the project's own Validator subclass."""
    (tmp_path / "requirements.txt").write_text("dynaconf\nrequests\n")
    app = tmp_path / "app"
    app.mkdir()
    (app / "__init__.py").write_text("")
    (app / "config.py").write_text(
        "from dynaconf import Dynaconf, Validator as OriginalValidator\n\n\n"
        "class Validator(OriginalValidator):\n"
        "    pass\n\n\n"
        "validators = [\n"
        "    Validator('general.ip', default='*'),\n"
        "    Validator('sonarr.http_timeout', must_exist=True, default=60, is_in=[60, 120]),\n"
        "    Validator('radarr.http_timeout', must_exist=True),  # ok: no default\n"
        "]\n\n"
        "settings = Dynaconf(settings_file='config.yaml')\n"
        "settings.validators.register(*validators)\n")
    (tmp_path / "sonarr.py").write_text(
        "import requests\n\n"
        "from app.config import settings\n\n\n"
        "def status(url):\n"
        "    return requests.get(url, timeout=int(settings.sonarr.http_timeout))\n"      # 7
        "\n\n"
        "def radarr(url):\n"
        "    return requests.get(url, timeout=int(settings.radarr.http_timeout))\n")     # 11
    assert _found(tmp_path, "timeout") == [("sonarr.py", 7, "total", 60000), ("sonarr.py", 11, "total", None)]


def test_sdk_api_class_timeout_and_mitol_env_helper(tmp_path: Path) -> None:
    """Round 12's requests (mitxonline): `EdxApi(creds, base_url, timeout=settings.EDX_API_CLIENT_TIMEOUT)`
    of an installed SDK, the setting read by mitol's `get_int(name=..., default=60)`."""
    (tmp_path / "requirements.txt").write_text("django\nedx-api-client\nmitol-django-common\n")
    main = tmp_path / "main"
    main.mkdir()
    (main / "__init__.py").write_text("")
    (main / "settings.py").write_text(
        "from mitol.common.envs import get_int, get_string\n\n"
        "EDX_API_CLIENT_TIMEOUT = get_int(\n"
        "    name='EDX_API_CLIENT_TIMEOUT',\n"
        "    default=60,\n"
        "    description='Timeout (in seconds) for requests made via the edX API client',\n"
        ")\n")
    openedx = tmp_path / "openedx"
    openedx.mkdir()
    (openedx / "__init__.py").write_text("")
    (openedx / "api.py").write_text(
        "from django.conf import settings\n"
        "from edx_api.client import EdxApi\n"
        "from orders.api import OrdersApi\n\n\n"
        "def client(auth):\n"
        "    return EdxApi(\n"                                                          # 7
        "        {'access_token': auth},\n"
        "        settings.OPENEDX_API_BASE_URL,\n"
        "        timeout=settings.EDX_API_CLIENT_TIMEOUT,\n"
        "    )\n\n\n"
        "def orders(auth):\n"
        "    return OrdersApi(auth, timeout=None)  # ok: no bound\n")
    assert _found(tmp_path, "timeout") == [("api.py", 7, "total", 60000)]
