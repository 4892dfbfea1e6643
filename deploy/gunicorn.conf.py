"""gunicorn settings for medlead's app servers (README, "Deploying"). Each value may be set from the environment."""

import os
import ssl
from collections.abc import Callable
from typing import Any

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Worker processes per app server: about two per core (README, "Deploying", for the sizing).
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))  # a PDF may take seconds; nothing should take a minute
graceful_timeout = 30
# Recycle workers now and then so that no slow leak grows without bound.
max_requests = 2000
max_requests_jitter = 200
# The addresses of the load balancers allowed to say the request came over HTTPS (X-Forwarded-Proto).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# medlead writes one JSON line per request itself (medlead.core.logs), with the request id: no second access log.
accesslog = None
errorlog = "-"
# Workers heartbeat through a file: in memory, as gunicorn advises for containers, whose /tmp may be on a slow disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108

_TLS_CONTEXT: list[ssl.SSLContext] = []  # this worker's, once made


def ssl_context(conf: Any, default_ssl_context_factory: Callable[[], ssl.SSLContext]) -> ssl.SSLContext:
    """One TLS context a worker, made at its first connection, where gunicorn would make one a connection: loading the
    certificate and key again each time cost about 4% of a worker's time under `make loadtest` (ADR 0038), and a
    context kept lets a client resume its TLS session with the same worker. A new certificate is read when the
    workers restart (`kill -HUP`)."""
    if not _TLS_CONTEXT:
        _TLS_CONTEXT.append(default_ssl_context_factory())
    return _TLS_CONTEXT[0]
