"""Real Celery workers for the reminder tests: started as other processes on the broker in force
(Redis when REDIS_URL is set, else the filesystem transport in a temporary folder) and the test
database, each in its own process group so that a test can SIGKILL it whole.

`variant` starts tests/reminders/control_worker.py instead, which swaps the sending order for a
naive one before starting the same worker: the controls of the crash tests."""

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from django.conf import settings

from tests.celery_support import database_url_of_tests, filesystem_transport_options
from tuanhang.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


class Workers:
    """Start, kill and restart workers that share one broker, database and SMTP server."""

    def __init__(self, tmp_path: Path, smtp_url: str, *, variant: str = "", extra_env: dict | None = None):
        self.var_dir = tmp_path / "var"
        self.logs = tmp_path
        self.smtp_url = smtp_url
        self.variant = variant
        self.extra_env = extra_env or {}
        self.started = 0
        self.current: subprocess.Popen | None = None
        if settings.REDIS_URL:
            self.broker = celery_app.connection_for_write()
        else:
            self.broker = celery_app.connection_for_write(
                settings.CELERY_BROKER_URL, transport_options=filesystem_transport_options(self.var_dir)
            )
        self.purge()

    def purge(self):
        """Drop task messages left in the queue by earlier tests."""
        with self.broker.channel() as channel, contextlib.suppress(Exception):  # no queue yet: nothing to purge
            channel.queue_purge("celery")

    def env(self) -> dict:
        env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST_"))}
        env.update(
            DJANGO_SETTINGS_MODULE="tuanhang.settings",
            TUANHANG_VAR_DIR=str(self.var_dir),
            DATABASE_URL=database_url_of_tests(),
            CELERY_TASK_ALWAYS_EAGER="off",
            EMAIL_URL=self.smtp_url,
            REMINDERS_REQUEUE_AFTER_SECONDS="3",
            PYTHONPATH=str(ROOT),
        )
        env.update(self.extra_env)
        return env

    def start(self) -> subprocess.Popen:
        self.started += 1
        if self.variant:
            command = [sys.executable, "-m", "tests.reminders.control_worker", self.variant]
        else:
            command = [sys.executable, "-m", "celery", "-A", "tuanhang"]
        command += ["worker", "--pool", "solo", "--loglevel", "info", "--without-gossip", "--without-mingle"]
        command += ["--without-heartbeat", "--hostname", f"test-{uuid.uuid4()}@%h"]
        log = (self.logs / f"worker-{self.started}.log").open("w")
        self.current = subprocess.Popen(
            command, cwd=ROOT, env=self.env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        return self.current

    def kill(self, worker: subprocess.Popen | None = None):
        """SIGKILL the worker's whole process group and wait until it is gone."""
        worker = worker or self.current
        if worker is not None and worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=20)

    def stop(self):
        worker = self.current
        if worker is not None and worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill(worker)

    def sweep(self):
        """What beat does every minute: ask a worker to run the reminders sweep."""
        with self.broker:
            celery_app.send_task("reminders.sweep", connection=self.broker)

    def log(self) -> str:
        return "\n".join(
            f"--- worker-{n}.log ---\n{(self.logs / f'worker-{n}.log').read_text()[-4000:]}"
            for n in range(1, self.started + 1)
        )

    def run_until(self, done, *, timeout=120, sweep_every=2.0, restart=True) -> bool:
        """Sweep every few seconds (like beat), restart a worker that died, until done() or timeout."""
        deadline = time.monotonic() + timeout
        last_sweep = 0.0
        while time.monotonic() < deadline:
            if done():
                return True
            if self.current is None or (self.current.poll() is not None and restart):
                self.start()
            if time.monotonic() - last_sweep >= sweep_every:
                self.sweep()
                last_sweep = time.monotonic()
            time.sleep(0.2)
        return done()
