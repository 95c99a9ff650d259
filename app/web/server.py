"""Serving with gunicorn: bounded workers, request timeouts, workers replaced when they die."""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication

from . import create_app


class ArchiveServer(BaseApplication):
    """A gunicorn application that serves ``create_app(settings)``."""

    def __init__(self, settings: dict[str, Any]) -> None:
        self.settings = settings
        super().__init__()

    def load_config(self) -> None:
        """Gunicorn's settings, from the archive's own (``config.py`` bounds the workers)."""
        options = {
            "bind": f"{self.settings['HOST']}:{self.settings['PORT']}",
            "workers": self.settings["WORKERS"],
            "worker_class": "sync",
            "timeout": self.settings["TIMEOUT"],
            "graceful_timeout": 10,
            "keepalive": 2,
            # Recycle workers now and then so no leak can grow without bound.
            "max_requests": 5000,
            "max_requests_jitter": 500,
            "limit_request_line": 8190,
            "accesslog": "-",
            "errorlog": "-",
            "loglevel": "info",
            "proc_name": "archive-search",
        }
        # Newer gunicorn opens a control socket in $HOME; the service does not use it.
        if "control_socket_disable" in self.cfg.settings:
            options["control_socket_disable"] = True
        for key, value in options.items():
            self.cfg.set(key, value)

    def load(self):
        """The WSGI app, made in each worker."""
        return create_app(self.settings)


def serve(settings: dict[str, Any]) -> None:
    """Serve until stopped."""
    ArchiveServer(settings).run()
