"""Python detectors: one module per detector, each exposing ``detect(pyfile) -> list[Finding]``.

Modules whose name starts with ``_`` are shared engines (the HTTP client engine, the gRPC
engine, retry context) that several detectors read.
"""

from __future__ import annotations

import importlib
import sys

MODULES = (
    "requests_client", "httpx_client", "aiohttp_client", "urllib_client", "urllib3_client",
    "http_client_heuristic", "missing_timeout", "grpc_client", "botocore_config", "pynamodb_model", "socket_timeout",
    "db_timeout", "settings_timeout", "client_timeout", "elapsed_deadline", "wrapper_timeout", "sdk_clients", "asyncio_timeout", "tenacity_retry", "backoff_retry", "retrying_retry",
    "urllib3_retry", "task_retry", "task_timeout", "grpc_service_config", "google_api_core", "retry_loop", "replica_read", "new_id_per_attempt", "idempotency_key",
    "circuit_breaker", "fallback", "temporal_activity", "arq_worker", "airflow_task", "hatchet_task",
)


_LOADED: list = []


def load():
    """The detector functions, in a stable order (importing registers them)."""
    if _LOADED:
        return list(_LOADED)
    out = []
    for name in MODULES:
        try:
            module = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"{__name__}.{name}":
                continue
            raise
        out.append(module.detect)
    _LOADED.extend(out)
    return out


def module_doc(fn):
    """Give a detector function its module's docstring (the user documentation the registry shows)."""
    fn.__doc__ = sys.modules[fn.__module__].__doc__
    return fn
