"""A real Celery worker (no eager mode) against the broker in force, and the beat schedule.

The worker is another process, so the test commits its data (transaction=True) and hands the
worker the test database: PostgreSQL's test database in CI, the file-based SQLite test database
(see DATABASES TEST NAME in settings) on the embedded default. The broker is Redis when REDIS_URL
is set, else kombu's filesystem transport in a temporary directory.
"""

import os
import re
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from events.models import Event, EventStatusChange
from tests.celery_support import database_url_of_tests, filesystem_transport_options
from tests.factories import EventFactory
from tuanhang.celery import app as celery_app

ROOT = Path(__file__).resolve().parent.parent
TASK = "events.advance_by_dates"
WAIT_SECONDS = 60


def _start_worker(var_dir: Path, log_path: Path) -> subprocess.Popen:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="tuanhang.settings",
        TUANHANG_VAR_DIR=str(var_dir),
        DATABASE_URL=database_url_of_tests(),
        CELERY_TASK_ALWAYS_EAGER="off",
    )
    command = [sys.executable, "-m", "celery", "-A", "tuanhang", "worker", "--pool", "solo", "--loglevel", "info"]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "--hostname", f"test-{uuid.uuid4()}@%h"]
    with log_path.open("w") as log:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def _stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=10)


@pytest.mark.django_db(transaction=True)
def test_worker_advances_published_fair_when_registration_opens(tmp_path):
    event = EventFactory(
        status=Event.Status.PUBLISHED,
        registration_opens_at=timezone.now() - timedelta(hours=1),
    )
    var_dir, log_path = tmp_path / "var", tmp_path / "worker.log"
    if settings.REDIS_URL:
        broker = celery_app.connection_for_write()
    else:
        broker = celery_app.connection_for_write(
            settings.CELERY_BROKER_URL, transport_options=filesystem_transport_options(var_dir)
        )

    worker = _start_worker(var_dir, log_path)
    try:
        with broker:
            celery_app.send_task(TASK, connection=broker)
        deadline = time.monotonic() + WAIT_SECONDS
        status = event.status
        while status != Event.Status.REGISTRATION_OPEN and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.5)
            status = Event.objects.values_list("status", flat=True).get(pk=event.pk)
    finally:
        _stop_worker(worker)

    log = log_path.read_text()
    assert status == Event.Status.REGISTRATION_OPEN, f"fair still {status!r}; worker log:\n{log}"
    assert f"Task {TASK}[" in log and "succeeded" in log, log
    assert re.search(r"transport:\s+" + ("redis://" if settings.REDIS_URL else "filesystem://"), log), log
    change = EventStatusChange.objects.get(event=event)
    assert (change.from_status, change.to_status, change.changed_by) == ("published", "registration_open", None)


def test_beat_schedule_advances_fairs_every_minute():
    entries = [entry for entry in settings.CELERY_BEAT_SCHEDULE.values() if entry["task"] == TASK]
    assert len(entries) == 1
    assert entries[0]["schedule"] == crontab(minute="*")
    assert celery_app.conf.beat_schedule == settings.CELERY_BEAT_SCHEDULE
    assert settings.CELERY_BEAT_SCHEDULER == "django_celery_beat.schedulers:DatabaseScheduler"


# The scheduler commits and closes connections as it does inside beat, so not in a test transaction.
@pytest.mark.django_db(transaction=True)
def test_beat_database_scheduler_copies_schedule_into_admin_tables():
    DatabaseScheduler(app=celery_app)

    task = PeriodicTask.objects.select_related("crontab").get(task=TASK)
    assert task.name == "advance fair statuses by dates"
    assert task.enabled is True
    assert str(task.crontab.minute) == "*"
    assert sorted(PeriodicTask.objects.values_list("task", flat=True)) == sorted(
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    )
