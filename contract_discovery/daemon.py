"""The resident daemon: one warm process per root that answers ``scan``, ``check`` and ``drift``.

``contract-discovery daemon start ROOT`` runs :func:`serve` in a detached process. It scans
ROOT once, then listens on a Unix socket (see :func:`contract_discovery.client.socket_path`).
The console script (:mod:`contract_discovery.client`) sends each command's arguments, working
directory and environment; the daemon runs the very same command code with its output
captured and sends back stdout, stderr and the exit code. What it keeps warm: the imported
tool and grammars, the scan cache in memory, the directory walk (see
:mod:`contract_discovery.resident`). Requests are served one at a time.

The daemon declines (the client then runs the command itself) when the tool's own code
changed since it started (it then exits), or when the request speaks another protocol.
It exits after ``--idle-timeout`` seconds without a request, on ``daemon stop``, or on
SIGTERM/SIGINT, removing its socket.
"""

from __future__ import annotations

import gc
import io
import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from contract_discovery import __version__, resident
from contract_discovery.client import PROTOCOL, recv_frame, send_frame, socket_path


def _code_paths() -> list[str]:
    here = Path(__file__).resolve().parent
    found = []
    for folder in (here, here.parent / "extractors"):
        found.append(str(folder))
        for path in folder.rglob("*"):
            if path.suffix in (".py", ".scm", ".json") or path.is_dir():
                found.append(str(path))
    return sorted(found)


def _code_files(paths: list[str] | None = None) -> dict[str, tuple[int, int]]:
    """Size and mtime of the tool's own files and folders (a folder's mtime moves when a file
    is added, removed or replaced), to notice an upgrade or an edit while the daemon runs."""
    found = {}
    for path in paths if paths is not None else _code_paths():
        try:
            st = os.stat(path)
        except OSError:
            continue
        found[path] = (st.st_size, st.st_mtime_ns)
    return found


class Daemon:
    def __init__(self, root: Path, idle_timeout: float, log=None):
        self.root = Path(root).resolve()
        self.idle_timeout = idle_timeout
        self.path = socket_path(str(self.root))
        self.started = time.time()
        self.requests = 0
        self.code_paths = _code_paths()
        self.code = _code_files(self.code_paths)
        self.log = log or sys.stderr
        self.stopping = False

    # -- lifecycle -------------------------------------------------------------------------

    def warm_up(self) -> None:
        """Run one quiet scan of the root so the first request is already warm."""
        self._run(["scan", str(self.root), "--quiet", "--format", "json"], str(self.root), dict(os.environ))

    def _bind(self) -> socket.socket:
        if os.path.exists(self.path):
            probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                probe.connect(self.path)
            except OSError:
                os.unlink(self.path)  # stale: its daemon is gone
            else:
                probe.close()
                raise SystemExit(f"a daemon already serves {self.root} ({self.path})")
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old = os.umask(0o177)  # the socket is the owner's only
        try:
            server.bind(self.path)
        finally:
            os.umask(old)
        server.listen(16)
        return server

    def serve(self) -> None:
        resident.active = True
        self.warm_up()
        self._settle()
        server = self._bind()
        self._say(f"serving {self.root} on {self.path} (pid {os.getpid()})")
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)
        last = time.monotonic()
        try:
            while not self.stopping:
                server.settimeout(max(1.0, min(60.0, self.idle_timeout)))
                try:
                    conn, _ = server.accept()
                except socket.timeout:
                    if self.idle_timeout and time.monotonic() - last > self.idle_timeout:
                        self._say(f"idle for {self.idle_timeout:.0f} s: exiting")
                        break
                    continue
                except InterruptedError:
                    continue
                last = time.monotonic()
                with conn:
                    conn.settimeout(None)
                    gc.disable()  # the cache is large: a full collection mid-request costs more than the scan
                    try:
                        self._handle(conn)
                    except (OSError, ValueError) as exc:
                        self._say(f"request failed: {exc}")
                    finally:
                        gc.enable()
                resident.run_deferred()
                self._settle()
        finally:
            server.close()
            try:
                os.unlink(self.path)
            except OSError:
                pass
            resident.run_deferred()
            self._say("stopped")

    @staticmethod
    def _settle() -> None:
        """Between requests: collect, then move what survives (the cache, the grammars) out of the
        collector's sight, so requests do not pay for scanning it again and again."""
        gc.collect()
        gc.freeze()

    def _on_signal(self, signum, frame) -> None:
        self.stopping = True
        raise InterruptedError

    def _say(self, message: str) -> None:
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S")
        try:
            self.log.write(f"{stamp} contract-discovery daemon: {message}\n")
            self.log.flush()
        except (OSError, ValueError):
            pass

    # -- requests --------------------------------------------------------------------------

    def _handle(self, conn: socket.socket) -> None:
        request = recv_frame(conn)
        if request is None:
            return
        command = request.get("command")
        if command == "status":
            send_frame(conn, {"status": "ok", **self.status()})
            return
        if command == "stop":
            send_frame(conn, {"status": "ok", "pid": os.getpid()})
            self.stopping = True
            return
        if request.get("protocol") != PROTOCOL or not isinstance(request.get("argv"), list):
            send_frame(conn, {"status": "decline", "reason": "protocol"})
            return
        if _code_files(self.code_paths) != self.code:
            send_frame(conn, {"status": "decline", "reason": "the tool's code changed; restart the daemon"})
            self._say("the tool's code changed since start: exiting")
            self.stopping = True
            return
        self.requests += 1
        code, out, err = self._run([str(a) for a in request["argv"]], str(request.get("cwd") or "/"),
                                   dict(request.get("env") or {}))
        send_frame(conn, {"status": "ok", "code": code, "stdout": out, "stderr": err})

    def _run(self, argv: list[str], cwd: str, env: dict[str, str]) -> tuple[int, str, str]:
        from contract_discovery.cli import main

        saved_cwd, saved_env = os.getcwd(), dict(os.environ)
        out, err = io.StringIO(), io.StringIO()
        code: int = 0
        try:
            os.chdir(cwd)
            os.environ.clear()
            os.environ.update(env)
            with redirect_stdout(out), redirect_stderr(err):
                try:
                    main(argv)
                except SystemExit as exc:
                    if isinstance(exc.code, int) or exc.code is None:
                        code = exc.code or 0
                    else:
                        err.write(f"{exc.code}\n")
                        code = 1
        except OSError as exc:
            err.write(f"contract-discovery: error: {exc}\n")
            code = 2
        finally:
            os.environ.clear()
            os.environ.update(saved_env)
            try:
                os.chdir(saved_cwd)
            except OSError:
                pass
        return code, out.getvalue(), err.getvalue()

    def status(self) -> dict:
        rss_kb = 0
        try:
            with open(f"/proc/{os.getpid()}/status") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        rss_kb = int(line.split()[1])
        except OSError:
            pass
        return {"pid": os.getpid(), "root": str(self.root), "version": __version__,
                "uptime_s": round(time.time() - self.started, 1), "requests": self.requests,
                "rss_mb": round(rss_kb / 1024, 1), "socket": self.path}


# --- the client side of the lifecycle (used by the ``daemon`` command) ---------------------------

def ask(root: Path, command: str, timeout: float = 5.0) -> dict | None:
    path = socket_path(str(root))
    if not hasattr(socket, "AF_UNIX") or not os.path.exists(path):
        return None
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(path)
        send_frame(sock, {"command": command})
        return recv_frame(sock)
    except OSError:
        return None
    finally:
        sock.close()


def log_path(root: Path) -> str:
    return socket_path(str(root))[: -len(".sock")] + ".log"


def start(root: Path, idle_timeout: float, wait: float = 600.0) -> dict:
    """Start a detached daemon for ``root`` and wait until it answers (it scans ROOT first)."""
    root = Path(root).resolve()
    running = ask(root, "status")
    if running:
        return {"already": True, **running}
    log = log_path(root)
    with open(log, "ab") as handle:
        proc = subprocess.Popen(
            [sys.executable, "-m", "contract_discovery.daemon", str(root), "--idle-timeout", str(idle_timeout)],
            stdin=subprocess.DEVNULL, stdout=handle, stderr=handle, start_new_session=True, cwd=str(root),
        )
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        status = ask(root, "status")
        if status:
            return {"already": False, **status}
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    tail = ""
    try:
        with open(log, encoding="utf-8", errors="replace") as handle:
            tail = "".join(handle.readlines()[-5:])
    except OSError:
        pass
    raise RuntimeError(f"the daemon did not start (log {log}):\n{tail}".rstrip())


def stop(root: Path, wait: float = 10.0) -> bool:
    root = Path(root).resolve()
    reply = ask(root, "stop")
    if not reply:
        return False
    deadline = time.monotonic() + wait
    while os.path.exists(socket_path(str(root))) and time.monotonic() < deadline:
        time.sleep(0.05)
    return True


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m contract_discovery.daemon")
    parser.add_argument("root", type=Path)
    parser.add_argument("--idle-timeout", type=float, default=3 * 3600)
    args = parser.parse_args(argv)
    Daemon(args.root, args.idle_timeout, log=sys.stderr).serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
