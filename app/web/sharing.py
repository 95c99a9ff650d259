"""How the workers of one server share new connections: by who has a slot free.

Gunicorn's workers all listen on one socket and each accepts as long as it holds fewer than
``worker_connections``: a worker already computing searches takes the next connection as
readily as an idle one, and the request then waits for the busy worker's interpreter while
another core has nothing to do. Here a worker computing ``RUNNING_PER_WORKER`` requests stops
listening until one of them has its answer (before the answer is written, so a client slow
to read holds no slot); new connections wait in the kernel's queue for the first worker
with a slot free. Requests on connections it already holds (kept alive, or still arriving)
it serves as before.
"""

from __future__ import annotations

import threading


class SharedListening:
    """A mixin for gunicorn's ``ThreadWorker`` (of the version ``pyproject.toml`` pins): it
    listens for new connections only while it computes fewer than its slots' requests."""

    running = 0  # requests handed to a thread and not yet answered by the application
    running_limit = 1

    def share_slots(self, limit: int) -> None:
        """Compute at most ``limit`` requests at once before leaving new connections to others."""
        self.running_limit = limit
        self._running_lock = threading.Lock()
        self._handling = threading.local()  # the connection a thread is handling

    def load_wsgi(self) -> None:
        """The application, wrapped to free its slot once it has made its answer. (An answer
        streamed from a generator is computed while written, after that: exports are.)"""
        super().load_wsgi()
        application = self.wsgi

        def counted(environ, start_response):
            try:
                return application(environ, start_response)
            finally:
                self._computed(self._handling.conn)

        self.wsgi = counted

    def set_accept_enabled(self, enabled: bool) -> None:
        """Listen for new connections only while a slot is free, whatever gunicorn asks."""
        super().set_accept_enabled(enabled and self.running < self.running_limit)

    def enqueue_req(self, conn) -> None:
        """Count the request among those computing, and stop listening at the limit, before a
        thread takes it (so no connection is accepted meanwhile)."""
        with self._running_lock:
            self.running += 1
        conn.computing = True
        if self.running >= self.running_limit:
            self.set_accept_enabled(False)
        super().enqueue_req(conn)

    def handle(self, conn):
        """Gunicorn's handling in a thread; the slot is freed when it ends, if not before."""
        self._handling.conn = conn
        try:
            return super().handle(conn)
        finally:
            self._computed(conn)

    def _computed(self, conn) -> None:
        """In a thread: the request of ``conn`` no longer computes; listen again if that frees
        a slot (in the event loop, which owns the poller)."""
        if not getattr(conn, "computing", False):
            return
        conn.computing = False
        with self._running_lock:
            self.running -= 1
            free = self.running < self.running_limit
        if free:
            self.method_queue.defer(self._listen_if_free)

    def _listen_if_free(self) -> None:
        """Listen again, unless gunicorn's own bound on connections says otherwise."""
        self.set_accept_enabled(self.nr_conns < self.worker_connections)
