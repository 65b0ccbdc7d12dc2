"""Round-20 second-wave rules (held-out simplelogin, pr-agent, anitya, wazo-calld, postgresql-operator): a retry
count handed down a helper chain to a function calling itself with `retries - 1`, a job's stored attempts checked
against a maximum in its failure handler, Dynaconf TOML settings read through `get_settings()`. Each with its
traps."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan


def _found(tmp_path: Path, kind: str) -> list[tuple]:
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    key = "timeout_ms" if kind == "timeout" else "max_attempts"
    return sorted(((f.path.rsplit("/", 1)[-1], f.line, f.attributes[key])
                   for f in result.findings if f.kind == kind), key=lambda t: (t[0], t[1], str(t[2])))


def _lines(found: list[tuple]) -> set[tuple]:
    return {(name, line) for name, line, *_ in found}


def _write(tmp_path: Path, files: dict) -> None:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_retries_handed_down_to_a_function_calling_itself_with_retries_minus_one(tmp_path: Path) -> None:
    _write(tmp_path, {
        "requirements.txt": "requests\n",
        "app/__init__.py": "",
        "app/mail_sender.py":
            "import smtplib\n"
            "import time\n\n\n"
            "class MailSender:\n"
            "    def __init__(self):\n"
            "        self._pool = None\n\n"
            "    def send(self, send_request, retries: int = 2) -> bool:\n"
            "        if not self._pool:\n"
            "            return self._send_to_smtp(send_request, retries)\n"              # 11: rule a, 3
            "        self._pool.submit(self._send_to_smtp, (send_request, retries))\n"    # 12: a tuple handed on
            "        return True\n\n"
            "    def _send_to_smtp(self, send_request, retries: int) -> bool:\n"
            "        for host in ['a', 'b']:\n"
            "            try:\n"
            "                return self._send_to_server(host, send_request)\n"
            "            except (smtplib.SMTPException, OSError):\n"
            "                pass\n"
            "        if retries > 0:\n"
            "            time.sleep(0.3 * retries)\n"
            "            return self._send_to_smtp(send_request, retries - 1)\n"          # 23: a forwarder
            "        return False\n\n"
            "    def _send_to_server(self, host, send_request):\n"
            "        with smtplib.SMTP(host, 25, timeout=1) as smtp:\n"
            "            smtp.sendmail('a', 'b', send_request)\n"
            "        return True\n\n"
            "    def walk(self, node, depth: int) -> int:\n"
            "        if depth > 0:\n"
            "            return self.walk(node.child, depth - 1)\n"                       # 32: a tree walk
            "        return 0\n\n\n"
            "mail_sender = MailSender()\n\n\n"
            "def sl_sendmail(from_addr, to_addr, msg, retries=2):\n"
            "    mail_sender.send((from_addr, to_addr, msg), retries)\n",                # 41: rule a, 3
        "app/email_utils.py":
            "from app.mail_sender import sl_sendmail\n\n\n"
            "def send_email(to_email, subject, plaintext, retries=0):\n"
            "    sl_sendmail('noreply', to_email, plaintext, retries=retries)\n",
        "job_runner.py":
            "from app.email_utils import send_email\n\n\n"
            "def onboarding(user):\n"
            "    send_email(\n"                                                           # 5: rule c, 4
            "        user.email,\n"
            "        'hello',\n"
            "        'retries=3 in a string',\n"
            "        retries=3,\n"
            "    )\n",
    })
    found = _found(tmp_path, "retry")
    assert ("mail_sender.py", 11, 3) in found and ("mail_sender.py", 41, 3) in found
    assert ("job_runner.py", 5, 4) in found
    assert not _lines(found) & {("mail_sender.py", 12), ("mail_sender.py", 23), ("mail_sender.py", 32)}


def test_stored_job_attempts_checked_against_a_maximum_in_the_failure_handler(tmp_path: Path) -> None:
    _write(tmp_path, {
        "requirements.txt": "sqlalchemy\n",
        "config.py": "JOB_MAX_ATTEMPTS = 5\n",
        "job_runner.py":
            "import config\n\n\n"
            "def execute(jobs):\n"
            "    for job in jobs:\n"
            "        try:\n"
            "            process_job(job)\n"
            "            job.state = 'done'\n"
            "        except Exception:\n"
            "            job_attempts = job.attempts + 1\n"
            "            if job_attempts >= config.JOB_MAX_ATTEMPTS:\n"                    # 11: 5 attempts
            "                job.state = 'error'\n\n\n"
            "def report(jobs):\n"
            "    for job in jobs:\n"
            "        job_attempts = job.attempts + 1\n"
            "        if job_attempts >= config.JOB_MAX_ATTEMPTS:\n"                        # 17: no failure branch
            "            print(job)\n\n\n"
            "def pages(items):\n"
            "    try:\n"
            "        pass\n"
            "    except Exception:\n"
            "        page = items.page + 1\n"
            "        if page >= config.JOB_MAX_ATTEMPTS:\n"                                # 25: not attempts
            "            return None\n",
    })
    found = _found(tmp_path, "retry")
    assert ("job_runner.py", 11, 5) in found
    assert not _lines(found) & {("job_runner.py", 17), ("job_runner.py", 25)}


def test_dynaconf_toml_settings_read_through_a_settings_getter(tmp_path: Path) -> None:
    # no manifest: the settings file outside any service still gives the root service's code its values
    _write(tmp_path, {
        "pr_agent/settings/configuration.toml":
            "[config]\nai_timeout=120 # 2 minutes\n\n[github]\nratelimit_retries = 5\n",
        "pr_agent/config_loader.py":
            "from dynaconf import Dynaconf\n\n"
            "global_settings = Dynaconf(settings_files=['settings/configuration.toml'])\n\n\n"
            "def get_settings():\n"
            "    return global_settings\n",
        "pr_agent/github_provider.py":
            "from retry import retry\n\n"
            "from pr_agent.config_loader import get_settings\n\n\n"
            "class RateLimitExceeded(Exception):\n"
            "    pass\n\n\n"
            "class GithubProvider:\n"
            "    @retry(exceptions=RateLimitExceeded,\n"                                  # 11: 5 attempts
            "           tries=get_settings().github.ratelimit_retries, delay=2, backoff=2)\n"
            "    def get_diff_files(self):\n"
            "        return self.pr.get_files()\n\n"
            "    @retry(exceptions=RateLimitExceeded,\n"                                  # 16: no such key
            "           tries=get_settings().github.missing_retries, delay=2)\n"
            "    def get_files(self):\n"
            "        return self.pr.get_files()\n",
    })
    found = _found(tmp_path, "retry")
    assert ("github_provider.py", 11, 5) in found
    assert ("github_provider.py", 16, None) in found


def test_local_waits_and_repairs_are_no_retries_and_client_library_timeouts(tmp_path: Path) -> None:
    _write(tmp_path, {
        "requirements.txt": "tenacity\npsutil\npysyncobj\npsycopg2\nrequests\nflask\n",
        "cluster.py":
            "import json\n"
            "import re\n"
            "import subprocess\n\n"
            "import psutil\n"
            "import psycopg2\n"
            "import requests\n"
            "from pysyncobj.utility import TcpUtility\n"
            "from tenacity import Retrying, stop_after_attempt, wait_fixed\n\n\n"
            "class Cluster:\n"
            "    def wait_stopped(self):\n"
            "        for attempt in Retrying(wait=wait_fixed(5)):\n"                     # 14: a process scan
            "            with attempt:\n"
            "                for proc in psutil.process_iter(['name']):\n"
            "                    if proc.name() == 'postgres':\n"
            "                        raise RuntimeError('still up')\n\n"
            "    def _is_storage_attached(self):\n"
            "        try:\n"
            "            subprocess.check_call(['/usr/bin/mountpoint', '-q', '/data'])\n"
            "            return True\n"
            "        except subprocess.CalledProcessError:\n"
            "            return False\n\n"
            "    def wait_storage(self):\n"
            "        for attempt in Retrying(stop=stop_after_attempt(10), wait=wait_fixed(1)):\n"  # 28: local
            "            with attempt:\n"
            "                if not self._is_storage_attached():\n"
            "                    raise RuntimeError('not attached')\n\n"
            "    def wait_healthy(self, url):\n"
            "        for attempt in Retrying(stop=stop_after_attempt(10), wait=wait_fixed(1)):\n"  # 34: 10
            "            with attempt:\n"
            "                if requests.get(url, timeout=5).status_code != 200:\n"
            "                    raise RuntimeError('not healthy')\n\n"
            "    def raft_status(self, password):\n"
            "        util = TcpUtility(password=password, timeout=3)\n"                    # 40: 3 s
            "        return util.executeCommand('127.0.0.1:2222', ['status'])\n\n"
            "    def connect(self, password):\n"
            "        return psycopg2.connect(\n"                                          # 44: 1 s
            "            f\"dbname='postgres' user='operator' host='/tmp/' \"\n"
            "            f\"password='{password}' connect_timeout=1\"\n"
            "        )\n\n\n"
            "def try_fix_json(review, max_iter=10):\n"
            "    last = [m.end() for m in re.finditer(r'\\}\\s*,', review)][-1] - 1\n"
            "    valid_json, iter_count, data = False, 0, {}\n"
            "    while last > 0 and not valid_json and iter_count < max_iter:\n"          # 53: a repair
            "        try:\n"
            "            data = json.loads(review[:last] + ']}')\n"
            "            valid_json = True\n"
            "        except json.decoder.JSONDecodeError:\n"
            "            review = review[:last]\n"
            "            iter_count += 1\n"
            "    return data\n\n\n"
            "def fetch(url, max_iter=10):\n"
            "    ok, iter_count, data = False, 0, None\n"
            "    while not ok and iter_count < max_iter:\n"                               # 65: 10 tries
            "        try:\n"
            "            data = json.loads(requests.get(url, timeout=5).text)\n"
            "            ok = True\n"
            "        except ValueError:\n"
            "            iter_count += 1\n"
            "    return data\n",
        "http.py":
            "from flask import request\n\n"
            "from services import CallsService, SmtpClient\n\n\n"
            "class Resource:\n"
            "    def put(self, call_id):\n"
            "        body = schema.load(request.json if request.data else {})\n"
            "        self.calls_service.connect_user(call_id=call_id, timeout=body['timeout'])\n"  # 9: caller's
            "        client = SmtpClient(host='mail', timeout=10)\n"                       # 10: 10 s
            "        return client\n",
    })
    retries = _found(tmp_path, "retry")
    timeouts = _found(tmp_path, "timeout")
    assert ("cluster.py", 34, 10) in retries and ("cluster.py", 65, 10) in retries
    assert not _lines(retries) & {("cluster.py", 14), ("cluster.py", 28), ("cluster.py", 53)}
    assert ("cluster.py", 40, 3000) in timeouts and ("cluster.py", 44, 1000) in timeouts
    assert ("http.py", 10, 10000) in timeouts and ("http.py", 9) not in _lines(timeouts)


def test_request_made_before_a_try_and_once_more_by_its_handler(tmp_path: Path) -> None:
    _write(tmp_path, {
        "requirements.txt": "requests\n",
        "limits.py":
            "import time\n\n"
            "import requests\n\n\n"
            "def get_rate_limit_status(url, token):\n"
            "    headers = {'Authorization': f'token {token}'}\n"
            "    response = requests.get(url, headers=headers, timeout=5)\n"
            "    try:\n"
            "        info = response.json()\n"
            "        response.raise_for_status()\n"
            "    except:  # retry\n"
            "        time.sleep(0.1)\n"
            "        response = requests.get(url, headers=headers, timeout=5)\n"           # 14: 2 attempts
            "        return response.json()\n"
            "    return info\n\n\n"
            "def fallback(url, other, headers):\n"
            "    response = requests.get(url, headers=headers, timeout=5)\n"
            "    try:\n"
            "        info = response.json()\n"
            "    except ValueError:\n"
            "        response = requests.get(other, headers=headers, timeout=5)\n"         # 24: another URL
            "        return response.json()\n"
            "    return info\n\n\n"
            "def unrelated(url, headers):\n"
            "    response = requests.get(url, headers=headers, timeout=5)\n"
            "    try:\n"
            "        retry = int('3')\n"
            "    except ValueError:\n"
            "        response = requests.get(url, headers=headers, timeout=5)\n"           # 33: result unread
            "    return response\n",
    })
    found = _found(tmp_path, "retry")
    assert ("limits.py", 14, 2) in found
    assert not _lines(found) & {("limits.py", 24), ("limits.py", 33)}


def test_start_up_wait_paced_by_a_stop_event(tmp_path: Path) -> None:
    _write(tmp_path, {
        "requirements.txt": "requests\n",
        "caches.py":
            "import logging\n"
            "import threading\n\n"
            "import requests\n\n"
            "logger = logging.getLogger(__name__)\n\n\n"
            "class ConfdIsReadyThread:\n"
            "    def __init__(self, confd_client):\n"
            "        self._confd_client = confd_client\n"
            "        self._should_stop = threading.Event()\n"
            "        self.callback = None\n\n"
            "    def _run(self):\n"
            "        while not self._should_stop.is_set():\n"                             # 16: unbounded
            "            if self._is_ready():\n"
            "                return self.callback()\n"
            "            logger.info('not ready yet, retrying')\n"
            "            self._should_stop.wait(timeout=1)\n\n"
            "    def _is_ready(self):\n"
            "        try:\n"
            "            self._confd_client.infos.get()\n"
            "        except requests.ConnectionError:\n"
            "            return False\n"
            "        return True\n\n"
            "    def _drain(self, queue):\n"
            "        while not self._should_stop.is_set():\n"                             # 29: a local state
            "            if self._has_item(queue):\n"
            "                return\n"
            "            self._should_stop.wait(timeout=1)\n\n"
            "    def _has_item(self, queue):\n"
            "        try:\n"
            "            return bool(queue.items)\n"
            "        except AttributeError:\n"
            "            return False\n",
    })
    found = _found(tmp_path, "retry")
    assert ("caches.py", 16, None) in found
    assert ("caches.py", 29) not in _lines(found)
