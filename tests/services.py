"""Real services for end-to-end tests: an aiosmtpd server in-process, a Celery worker process."""

import os
import subprocess
import sys
import threading
import time
from email import message_from_bytes, policy
from pathlib import Path

from aiosmtpd.controller import Controller

REPO = Path(__file__).resolve().parent.parent


class SMTPSink:
    """Keeps every message it receives; can refuse for a while to simulate an outage."""

    def __init__(self):
        self.messages = []
        #: An SMTP reply code to refuse recipients with (451: try later, 550: never), or None.
        self.refuse_code: int | None = None
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if self.refuse_code:
            return f"{self.refuse_code} Refused by the test"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 30.0) -> list:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.1)
        raise AssertionError(f"expected {count} messages, got {len(self.messages)} in {timeout}s")


def start_smtp(port: int) -> tuple[Controller, SMTPSink]:
    sink = SMTPSink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, sink


class WorkerProcess:
    """`celery -A worker worker` in a subprocess, with the tests' environment."""

    def __init__(self, extra_env: dict | None = None):
        self.env = {**os.environ, **(extra_env or {})}
        self.process = None
        self.output: list[str] = []
        self._ready = threading.Event()

    def start(self, timeout: float = 60.0) -> "WorkerProcess":
        command = [sys.executable, "-m", "celery", "-A", "worker", "worker",
                   "--loglevel", "INFO", "--pool", "solo", "--without-heartbeat",
                   "--without-gossip", "--without-mingle"]
        self.process = subprocess.Popen(  # noqa: S603
            command, cwd=REPO, env=self.env, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, bufsize=1,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        if not self._ready.wait(timeout):
            self.stop()
            raise AssertionError("worker did not start:\n" + "".join(self.output[-50:]))
        return self

    def _read(self):
        for line in self.process.stdout:
            self.output.append(line)
            if " ready." in line:
                self._ready.set()

    def stop(self):
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._reader.join(timeout=5)
        self.process.stdout.close()
