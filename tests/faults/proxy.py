"""A TCP proxy between the app's processes and PostgreSQL that a test can cut, as a network or server failure would.

`cut()` closes every connection and refuses new ones until `restore()`.
`cut_after_commit(marker, action)` waits for a connection whose client sent
SQL containing `marker` (say the check-in's INSERT), lets its next COMMIT
through to the server, passes the server's "COMMIT done" answer on, and then
runs `action` (by default: cut everything). So the fault lands exactly
"right after the commit": the database has the data, the app has not yet
done anything after it.
"""

import contextlib
import socket
import threading
from collections.abc import Callable

# The server's answer to COMMIT: CommandComplete ('C'), length 11, tag "COMMIT".
COMMIT_DONE = b"C\x00\x00\x00\x0bCOMMIT\x00"


class _Link:
    def __init__(self, proxy: "PostgresProxy", client: socket.socket):
        self.proxy = proxy
        self.client = client
        self.server = socket.create_connection(proxy.upstream)
        self.saw_marker = False
        self.sent_commit = False

    def start(self) -> None:
        threading.Thread(target=self._pump, args=(self.client, self.server, True), daemon=True).start()
        threading.Thread(target=self._pump, args=(self.server, self.client, False), daemon=True).start()

    def close(self) -> None:
        for sock in (self.client, self.server):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _pump(self, source: socket.socket, target: socket.socket, from_client: bool) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                trigger = self.proxy.trigger
                if from_client and trigger is not None:
                    if trigger.marker in data:
                        self.saw_marker = True
                    if self.saw_marker and b"COMMIT" in data:
                        self.sent_commit = True
                target.sendall(data)
                if not from_client and self.sent_commit and COMMIT_DONE in data:
                    self.sent_commit = self.saw_marker = False
                    self.proxy.fire()
        except OSError:
            pass
        finally:
            self.close()
            self.proxy.forget(self)


class _Trigger:
    def __init__(self, marker: bytes, action: Callable[[], None]):
        self.marker = marker
        self.action = action


class PostgresProxy:
    def __init__(self, upstream: tuple[str, int] = ("127.0.0.1", 5432)):
        self.upstream = upstream
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.links: set[_Link] = set()
        self.lock = threading.Lock()
        self.down = threading.Event()
        self.trigger: _Trigger | None = None
        self.fired = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def port(self) -> int:
        return self.listener.getsockname()[1]

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.down.is_set():
                client.close()  # the database "cannot be reached"
                continue
            try:
                link = _Link(self, client)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.links.add(link)
            link.start()

    def forget(self, link: _Link) -> None:
        with self.lock:
            self.links.discard(link)

    def cut(self) -> None:
        self.down.set()
        with self.lock:
            links = list(self.links)
            self.links.clear()
        for link in links:
            link.close()

    def restore(self) -> None:
        self.down.clear()

    def cut_after_commit(self, marker: bytes, action: Callable[[], None] | None = None) -> None:
        self.fired.clear()
        self.trigger = _Trigger(marker, action or self.cut)

    def fire(self) -> None:
        trigger, self.trigger = self.trigger, None
        if trigger is not None:
            trigger.action()
            self.fired.set()

    def close(self) -> None:
        self.cut()
        self.listener.close()
