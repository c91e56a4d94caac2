"""A small SMTP server for the fault tests, which can hang where real mail servers hang.

Modes:
- "accept": a normal server; every message is delivered and confirmed.
- "hang_before_greeting": takes the connection but never says hello (the
  client times out before sending anything).
- "hang_after_data": receives the whole message, keeps it (the mail is in),
  and never confirms it (the client times out not knowing).
The mailbox de-duplicates by Message-ID, as mail services do: `delivered`
is what a recipient would see, `received` every copy that came in.
"""

import email
import socket
import socketserver
import threading
from dataclasses import dataclass, field


@dataclass
class Received:
    recipients: list[str]
    message_id: str
    subject: str


@dataclass
class Mailbox:
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, item: Received) -> None:
        with self.lock:
            self.received.append(item)

    @property
    def delivered(self) -> dict[tuple[str, str], Received]:
        """One entry per (recipient, Message-ID): what the recipients' mailboxes show."""
        with self.lock:
            return {(recipient, item.message_id): item for item in self.received for recipient in item.recipients}


class _Handler(socketserver.StreamRequestHandler):
    timeout = 30

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())
        self.wfile.flush()

    def hang(self) -> None:
        # Keep the connection open and say nothing until the client gives up.
        self.server.hung.set()
        while self.rfile.read(1):
            pass

    def handle(self) -> None:
        server = self.server
        mode = server.mode
        if mode == "hang_before_greeting":
            self.hang()
            return
        self.reply("220 faults.test ESMTP ready")
        recipients: list[str] = []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.decode(errors="replace").strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 faults.test")
            elif verb == "MAIL":
                recipients = []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip().strip("<>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while True:
                    data_line = self.rfile.readline()
                    if not data_line or data_line in (b".\r\n", b".\n"):
                        break
                    lines.append(data_line)
                message = email.message_from_bytes(b"".join(lines))
                server.mailbox.add(
                    Received(recipients=recipients, message_id=message["Message-ID"], subject=message["Subject"])
                )
                if mode == "hang_after_data":
                    self.hang()
                    return
                self.reply("250 OK: queued")
            elif verb == "RSET" or verb == "NOOP":
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")


class FaultySMTPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.mode = "accept"
        self.mailbox = Mailbox()
        self.hung = threading.Event()
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.server_address[1]

    def start(self) -> "FaultySMTPServer":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
