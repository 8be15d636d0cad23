"""A real SMTP server for the tests and the benchmark: aiosmtpd on 127.0.0.1, recording each
accepted message by its Message-ID.

SMTPServer runs it in a thread of the calling process; hooks let a test act at exact moments of
the conversation, e.g. kill the worker while the server holds a message it has not yet
acknowledged. SMTPServerProcess runs it in a process of its own (the benchmark: the server's
Python then neither shares the measuring process's GIL nor is counted in it); it appends each
Message-ID to a file, which the caller reads.

    python -m tests.reminders.smtp_server PORT FILE
"""

import contextlib
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from email import message_from_bytes
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.policy import default as default_policy
from pathlib import Path

from aiosmtpd.controller import Controller

logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command at INFO


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Recorder:
    """aiosmtpd handler: keeps every accepted message; optional hooks and refusals."""

    def __init__(self, *, keep_messages=True):
        self.lock = threading.Lock()
        self.message_ids: list[str] = []
        self.messages = []
        self.keep_messages = keep_messages
        self.conversations = 0  # MAIL commands seen
        self.on_rcpt = None  # callable(conversation number) run before answering RCPT
        self.on_data = None  # callable(accepted count) run after a message is kept, before answering
        self.rcpt_reply = None  # e.g. "451 4.3.0 Try again later" to refuse every recipient
        self.data_reply = None  # e.g. "554 5.6.0 Message refused" to refuse at the final "."

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # noqa: N802
        with self.lock:
            self.conversations += 1
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if self.on_rcpt is not None:
            self.on_rcpt(self.conversations)
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.data_reply:
            return self.data_reply
        content = envelope.original_content or envelope.content
        if self.keep_messages:
            message = message_from_bytes(content, policy=default_policy)
        else:  # only counted: the headers are enough, and far cheaper to read
            message = BytesHeaderParser(policy=compat32).parsebytes(content)
        message_id = str(message.get("Message-ID", ""))
        with self.lock:
            self.message_ids.append(message_id)
            if self.keep_messages:
                self.messages.append((envelope.rcpt_tos[:], message))
            count = len(self.message_ids)
        self.received(message_id)
        if self.on_data is not None:
            self.on_data(count)
        return "250 2.0.0 Message accepted for delivery"

    def received(self, message_id: str):
        """Called for every accepted message (the server process writes it down)."""

    # what the tests read

    @property
    def count(self) -> int:
        with self.lock:
            return len(self.message_ids)

    def counts(self) -> Counter:
        with self.lock:
            return Counter(self.message_ids)

    def wait_for(self, n: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.count >= n:
                return True
            time.sleep(0.05)
        return self.count >= n


class SMTPServer:
    """with SMTPServer() as server: … server.port, server.recorder …"""

    def __init__(self, recorder: Recorder | None = None):
        self.recorder = recorder or Recorder()
        self.port = free_port()
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port, ready_timeout=10)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()


class _FileRecorder(Recorder):
    def __init__(self, path: Path):
        super().__init__(keep_messages=False)
        self.file = path.open("a", encoding="utf-8")

    def received(self, message_id: str):
        self.file.write(message_id.replace("\n", " ") + "\n")
        self.file.flush()


class SMTPServerProcess:
    """with SMTPServerProcess(folder) as server: … server.url, server.count, server.counts() …"""

    def __init__(self, folder):
        self.port = free_port()
        self.path = Path(folder) / f"smtp-{self.port}.txt"
        self.process = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def __enter__(self):
        self.path.write_text("")
        root = Path(__file__).resolve().parents[2]
        command = [sys.executable, "-m", "tests.reminders.smtp_server", str(self.port), str(self.path)]
        self.process = subprocess.Popen(command, cwd=root)  # noqa: S603
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return self
            time.sleep(0.05)
        self.__exit__()
        raise RuntimeError("the SMTP server process did not start")

    def __exit__(self, *exc):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def _lines(self) -> list[str]:
        return self.path.read_text(encoding="utf-8").splitlines()

    @property
    def count(self) -> int:
        return len(self._lines())

    def counts(self) -> Counter:
        return Counter(self._lines())

    def wait_for(self, n: int, timeout: float, poll: float = 0.1) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.count >= n:
                return True
            time.sleep(poll)
        return self.count >= n

    def cpu_seconds(self) -> float:
        """User + system CPU the server process has used so far (Linux)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main(argv):
    port, path = int(argv[0]), Path(argv[1])
    controller = Controller(_FileRecorder(path), hostname="127.0.0.1", port=port, ready_timeout=10)
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    while not stop.wait(0.5):
        pass
    controller.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
