"""How much one client may ask of a worker at once, and who the client is.

A search runs for milliseconds to a second; a client that sends fifty at once would take every
thread of a worker. Each client address may have ``SEARCHES_PER_CLIENT`` searches running in a
worker; more are refused at once with 429, which costs nothing. Behind a proxy the client is
the address the proxy names in X-Forwarded-For, believed only when the connection comes from a
proxy listed in ``FORWARDED_ALLOW_IPS``.

At the debug log level each search admitted or refused is logged with the number the client
then has running in the worker, so what the limit did under a flood can be read from the
server's own log.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections import Counter
from collections.abc import Iterator

log = logging.getLogger(__name__)
# What the debug log says of each search: admitted or refused, the client, and how many of its
# searches are then running in this worker (tests/system/test_attacks.py reads these lines).
_SAID = "search %s for %s: %d running in this worker (at most %d)"


class TooManySearches(Exception):
    """The client has as many searches running as it may."""


class ClientLimiter:
    """Counts the searches each client has running; thread-safe."""

    def __init__(self, per_client: int) -> None:
        self.per_client = per_client
        self._running: Counter[str] = Counter()
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def hold(self, client: str) -> Iterator[None]:
        """Run a search for ``client``, or raise ``TooManySearches`` at once."""
        with self._lock:
            running = self._running[client]
            if running >= self.per_client:
                log.debug(_SAID, "refused", client, running, self.per_client)
                raise TooManySearches(client)
            self._running[client] = running + 1
            log.debug(_SAID, "admitted", client, running + 1, self.per_client)
        try:
            yield
        finally:
            with self._lock:
                self._running[client] -= 1
                if not self._running[client]:
                    del self._running[client]


def client_address(remote: str | None, forwarded_for: str | None, trusted: str) -> str:
    """The client's address: the last address of X-Forwarded-For when the connection comes
    from a trusted proxy (``trusted``: comma-separated addresses, or ``*``), else the peer's."""
    proxies = {address.strip() for address in trusted.split(",") if address.strip()}
    if forwarded_for and remote and ("*" in proxies or remote in proxies):
        return forwarded_for.split(",")[-1].strip() or remote
    return remote or "unknown"
