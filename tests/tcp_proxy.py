"""A TCP proxy between the program and a database server, to make outages on demand.

``kill()`` closes every connection (the server restarted, the network dropped), ``down()``
also refuses new ones until ``up()``; ``stall()`` keeps the connections open but stops
forwarding (a hung server or a silently broken network) until ``resume()``;
``kill_after(marker)`` forwards the next client packet containing *marker* (``b"COMMIT"``)
and then closes that connection before any answer comes back.
"""

from __future__ import annotations

import contextlib
import select
import socket
import threading
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit


class TcpProxy:
    """Forwards 127.0.0.1:<port> to *target*; see the module for the outages it makes."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self.port = self._listener.getsockname()[1]
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._lock = threading.Lock()
        self._accepting = True
        self._stalled = threading.Event()
        self._closing = False
        self._marker: bytes | None = None
        threading.Thread(target=self._accept_loop, daemon=True).start()

    # ------------------------------------------------------------------ outages
    def kill(self) -> None:
        """Close every open connection, both ways."""
        with self._lock:
            pairs, self._pairs = self._pairs, []
        for pair in pairs:
            for sock in pair:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                with contextlib.suppress(OSError):
                    sock.close()

    def down(self) -> None:
        """Refuse new connections and close the open ones."""
        self._accepting = False
        self.kill()

    def up(self) -> None:
        """Accept connections again."""
        self._accepting = True

    def stall(self) -> None:
        """Stop forwarding in both directions; connections stay open."""
        self._stalled.set()

    def resume(self) -> None:
        """Forward again."""
        self._stalled.clear()

    def kill_after(self, marker: bytes) -> None:
        """Close the connection right after forwarding a client packet containing *marker*."""
        self._marker = marker

    def close(self) -> None:
        """Stop the proxy."""
        self._closing = True
        self.down()
        with contextlib.suppress(OSError):
            self._listener.close()

    def url_for(self, url: str) -> str:
        """*url* (of the real server) pointed at this proxy."""
        parts = urlsplit(url)
        netloc = parts.netloc.rsplit("@", 1)
        host = f"127.0.0.1:{self.port}"
        netloc_new = f"{netloc[0]}@{host}" if len(netloc) == 2 else host
        return urlunsplit(parts._replace(netloc=netloc_new))

    # ------------------------------------------------------------------ forwarding
    def _accept_loop(self) -> None:
        while not self._closing:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if not self._accepting:
                with contextlib.suppress(OSError):
                    client.close()
                continue
            try:
                server = socket.create_connection(self.target, timeout=5)
                server.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._pairs.append((client, server))
            threading.Thread(target=self._pump, args=(client, server), daemon=True).start()

    def _pump(self, client: socket.socket, server: socket.socket) -> None:
        sockets = [client, server]
        try:
            while True:
                if self._stalled.is_set():
                    self._stalled.wait(0.05)
                    if self._pair_gone(client):
                        return
                    continue
                readable, _, _ = select.select(sockets, [], [], 0.05)
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        raise OSError("closed")
                    other = server if sock is client else client
                    other.sendall(data)
                    marker = self._marker
                    if sock is client and marker is not None and marker in data:
                        self._marker = None
                        raise OSError("killed after the marker")
        except (OSError, ValueError):
            pass
        finally:
            for sock in sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                with contextlib.suppress(OSError):
                    sock.close()
            with self._lock:
                if (client, server) in self._pairs:
                    self._pairs.remove((client, server))

    def _pair_gone(self, client: socket.socket) -> bool:
        with self._lock:
            return all(pair[0] is not client for pair in self._pairs)


@contextlib.contextmanager
def server_database_through_proxy(backend: str) -> Iterator[tuple[TcpProxy, str]]:
    """A migrated database on the *backend* server and a proxy in front of it: (the proxy,
    the URL through it). The database is dropped afterwards. Open the URL once the test has
    set the timeouts it wants."""
    from cqms_desktop.store import db as dbmod
    from cqms_desktop.store import migrations
    from tests.external import create_server_database

    url, drop = create_server_database(backend)
    dbmod.open_database(url)
    migrations.migrate()
    dbmod.close_database()
    parts = urlsplit(url)
    proxy = TcpProxy(parts.hostname or "127.0.0.1", parts.port or 0)
    try:
        yield proxy, proxy.url_for(url)
    finally:
        proxy.close()
        dbmod.close_database()
        drop()
