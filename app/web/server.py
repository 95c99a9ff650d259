"""Serving with gunicorn: threaded workers bounded in time, request timeouts, workers replaced
when they die.

Threads, not processes, serve requests in a worker: a search is short and mostly numpy, and a
thread blocked on a slow client costs little. Each client socket has a read timeout
(``worker.py``, which reads ``READ_TIMEOUT`` from this application's settings), so slow clients
cannot hold threads; each client address may run only a few searches at once (``limits.py``),
so one client cannot take every thread; each search is cut after ``SEARCH_SECONDS``. Behind a
proxy (deploy/nginx.conf), X-Forwarded-For is trusted only from ``FORWARDED_ALLOW_IPS``.
"""

from __future__ import annotations

import errno
import logging
import socket
from typing import Any

from gunicorn.app.base import BaseApplication

from . import create_app


class PortInUse(OSError):
    """The address ``serve`` would listen on is taken."""


class ArchiveServer(BaseApplication):
    """A gunicorn application that serves ``create_app(settings)``."""

    def __init__(self, settings: dict[str, Any]) -> None:
        self.settings = settings
        super().__init__()

    def load_config(self) -> None:
        """Gunicorn's settings, from the archive's own (``config.py`` bounds them)."""
        settings = self.settings
        options = {
            "bind": f"{settings['HOST']}:{settings['PORT']}",
            "workers": settings["WORKERS"],
            "worker_class": "app.web.worker.BoundedThreadWorker",
            "threads": settings["THREADS"],
            # Connections a worker keeps, idle or not: the threads plus as many waiting.
            "worker_connections": max(1000, 4 * settings["THREADS"]),
            "timeout": settings["TIMEOUT"],
            "graceful_timeout": 10,
            "keepalive": 5,
            # Recycle workers now and then so no leak can grow without bound.
            "max_requests": 5000,
            "max_requests_jitter": 500,
            "limit_request_line": 8190,
            "limit_request_fields": 50,
            "limit_request_field_size": 8190,
            "forwarded_allow_ips": settings["FORWARDED_ALLOW_IPS"],
            "accesslog": "-",
            "errorlog": "-",
            "loglevel": settings["LOG_LEVEL"],
            "proc_name": "archive-search",
        }
        # Newer gunicorn opens a control socket in $HOME; the service does not use it.
        if "control_socket_disable" in self.cfg.settings:
            options["control_socket_disable"] = True
        for key, value in options.items():
            self.cfg.set(key, value)

    def load(self):
        """The WSGI app, made in each worker (which opens and warms the index there); the
        archive's own log goes where gunicorn's error log goes, at the same level."""
        archive_log = logging.getLogger("app")
        archive_log.setLevel(self.settings["LOG_LEVEL"].upper())
        archive_log.handlers = list(logging.getLogger("gunicorn.error").handlers)
        archive_log.propagate = False
        return create_app(self.settings)


def check_port(host: str, port: int) -> None:
    """Raise ``PortInUse`` when nothing could listen on ``host:port`` now."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno in (errno.EADDRINUSE, errno.EACCES):
                raise PortInUse(error.errno, error.strerror) from None
            raise


def serve(settings: dict[str, Any]) -> None:
    """Serve until stopped."""
    ArchiveServer(settings).run()
