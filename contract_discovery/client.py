"""The console entry point: hand the command to a resident daemon if one runs, else run it here.

This module imports only the standard library's lightest parts, so a command that a running
daemon (``contract-discovery daemon start``) answers costs one short Python start-up and a
socket round trip instead of importing the tool and re-reading the tree: the daemon keeps
the scan cache, the parsed grammars and the directory walk in memory.

Nothing changes for users without a daemon: the command runs in this process as always.
``CONTRACT_DISCOVERY_NO_DAEMON=1`` (or ``--no-daemon``) never uses one.
"""

from __future__ import annotations

import json
import os
import socket
import struct
import sys

# Commands a daemon answers: they read the tree and print. Everything else runs here.
DAEMON_COMMANDS = frozenset({"scan", "check", "drift"})
PROTOCOL = 1


try:  # the hash alone, without importing OpenSSL's bindings (start-up time is the point here)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import blake2b


def runtime_dir() -> str:
    base = os.environ.get("XDG_RUNTIME_DIR") or os.environ.get("TMPDIR") or "/tmp"
    return base


def socket_path(root: str) -> str:
    """Where the daemon for ``root`` listens: short (AF_UNIX paths are limited to ~100 bytes),
    per user, and derived from the root's real path only."""
    real = os.path.realpath(root)
    digest = blake2b(real.encode("utf-8", "surrogateescape"), digest_size=8).hexdigest()
    uid = os.getuid() if hasattr(os, "getuid") else 0
    return os.path.join(runtime_dir(), f"contract-discovery-{uid}-{digest}.sock")


def send_frame(sock: socket.socket, payload: dict) -> None:
    data = json.dumps(payload).encode("utf-8", "surrogateescape")
    sock.sendall(struct.pack(">I", len(data)) + data)


def recv_frame(sock: socket.socket) -> dict | None:
    head = _recv_exact(sock, 4)
    if head is None:
        return None
    (size,) = struct.unpack(">I", head)
    body = _recv_exact(sock, size)
    if body is None:
        return None
    return json.loads(body.decode("utf-8", "surrogateescape"))


def _recv_exact(sock: socket.socket, size: int) -> bytes | None:
    chunks = []
    while size:
        chunk = sock.recv(min(size, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _candidate_roots(args: list[str]) -> list[str]:
    """Every existing directory named on the command line, then the working directory. The
    daemon parses the arguments for real; this only finds which socket to try."""
    seen = []
    for arg in args[1:]:
        if not arg.startswith("-") and os.path.isdir(arg):
            seen.append(arg)
    seen.append(".")
    return seen


def _ask_daemon(args: list[str]) -> int | None:
    """The exit code of the command as the daemon ran it, or None to run it here."""
    if os.environ.get("CONTRACT_DISCOVERY_NO_DAEMON") or not args or args[0] not in DAEMON_COMMANDS:
        return None
    if not hasattr(socket, "AF_UNIX"):
        return None  # no Unix sockets (older Windows): always in-process
    if "-" in args or "--help" in args or "--debug" in args:
        return None  # stdin is not forwarded; help and tracebacks are the local process's job
    uid = os.getuid() if hasattr(os, "getuid") else None
    for root in _candidate_roots(args):
        path = socket_path(root)
        try:
            st = os.stat(path)
        except OSError:
            continue
        if uid is not None and st.st_uid != uid:
            continue  # someone else's socket: never talk to it
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(path)
            send_frame(sock, {"protocol": PROTOCOL, "argv": args, "cwd": os.getcwd(), "env": dict(os.environ)})
            reply = recv_frame(sock)
        except OSError:
            continue  # a stale socket (the daemon died): run here
        finally:
            sock.close()
        if not reply or reply.get("status") != "ok":
            return None
        out, err = reply.get("stdout", ""), reply.get("stderr", "")
        if out:
            sys.stdout.write(out)
            sys.stdout.flush()
        if err:
            sys.stderr.write(err)
            sys.stderr.flush()
        return int(reply.get("code", 0))
    return None


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if "--no-daemon" in args:
        args.remove("--no-daemon")
    else:
        code = _ask_daemon(args)
        if code is not None:
            sys.exit(code)
    from contract_discovery.cli import main as run_here

    run_here(args)


if __name__ == "__main__":  # pragma: no cover
    main()
