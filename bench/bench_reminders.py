"""Reminders and reports on the bench PostgreSQL database with Redis.

reminders_10000_seconds: 10,000 due reminders, from the sweep until the local SMTP server (aiosmtpd
on 127.0.0.1, in a process of its own so that its Python neither slows nor is counted in this
one) has accepted all of them, through ONE Celery worker (prefork pool of two processes, DEBUG
off, as in production), each message locked, recorded and sent as in production. Also
reminders_per_second, reminders_duplicates (Message-IDs received more than once; must be 0), the
CPU per message of the worker and of the SMTP server, and the machine's load when it started
(figures taken while other work loads the 2 cores are only indicative). Target ≤ 30 s (issue 21;
how the earlier 60 s was reached: docs/DECISIONS.md, 2026-12-03). reminders_timed_out is 1 when the SMTP server had not
received the 10,000 within WAIT_SECONDS (then reminders_10000_seconds is that wait, not met).

Report figures on a fair of 1,000 participants: report_page_ms (the charts page, median of 10, DEBUG off),
report_page_queries, and the build time of each report file (the daily summary with its sheet,
the closing report as PDF and as .xlsx with every participant's figures).
"""

import contextlib
import datetime as dt
import os
import signal
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

from bench import fixtures
from bench.run import debug_off, figure
from tuanhang.office.reminders.models import ReminderRule

BENCHMARK = "reminders"  # its tax-code prefix: fixtures.TAX_PREFIXES
SLUG, REPORT_SLUG = "bench-reminders", "bench-reports"
N_REMINDERS, N_PARTICIPANTS = 10_000, 1_000
WORKER_PROCESSES = 2  # one worker, its pool one process per core of the 2-core bench machine
WAIT_SECONDS = 240
TARGET_SECONDS = 30  # issue 21 (was 60)
FIGURES = (
    *("reminders_10000_seconds", "reminders_per_second", "reminders_received", "reminders_duplicates"),
    *("reminders_timed_out", "reminders_worker_cpu_ms", "reminders_smtp_server_cpu_ms", "reminders_load_average"),
    *("report_page_ms", "report_page_queries", "report_daily_summary_seconds"),
    *("report_closing_xlsx_seconds", "report_closing_pdf_seconds"),
)


def run(ctx):
    cleanup()
    try:
        rows = reminders_figures(ctx)
        rows += report_figures()
    finally:
        cleanup()
    return rows


def _fair(slug, n, *, opens_in_hours):
    """A fair opening in `opens_in_hours` with a "fair opens" reminder 12 hours before, and `n`
    approved businesses with an e-mail address, from 5 provinces, in one of 8 categories."""
    opens = dt.timedelta(hours=opens_in_hours)
    event = fixtures.fair(
        slug,
        organiser=fixtures.organiser(email="bench@example.vn"),
        phase="closed",
        registration_opens_at=opens - dt.timedelta(days=30),
        registration_closes_at=opens - dt.timedelta(days=3),
        setup_at=opens - dt.timedelta(hours=18),
        opens_at=opens,
        closes_at=opens + dt.timedelta(days=4),
        booth_fee=5_000_000,
    )
    ReminderRule.objects.create(
        event=event,
        kind="fair_opens",
        anchor="opens_at",
        direction="before",
        hours=12,
        statuses=["approved"],
        subject_vi="{fair_name} khai mạc lúc {opens_at}",
        body_vi="Kính gửi {business_name},\n\nGian hàng: {booth_codes}. Phí: {fee_due}.",
        subject_en="{fair_name} opens",
        body_en="Dear {business_name}, your booth: {booth_codes}.",
    )
    now = event.opens_at - opens  # the fair's own "now"
    provinces = ["01", "31", "79", "48", "92"]
    vendors = fixtures.businesses(
        BENCHMARK,
        n,
        lambda i, number, _tax_code: {
            "name": f"Hợp tác xã Bench {number}",
            "kind": ("DN", "HTX", "HKD")[i % 3],
            "province_id": provinces[i % len(provinces)],
            "email": f"bench{number}@example.vn",
        },
    )
    applications = fixtures.applications(
        event, vendors, each=lambda i: {"submitted_at": now - dt.timedelta(days=i % 20)}
    )
    categories = fixtures.categories("bench-rem", [f"Bench nhóm {c}" for c in range(8)])
    fixtures.application_categories(applications, lambda i: [categories[i % 8]])
    return event, applications


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its live children (Linux /proc)."""
    stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    total = (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")
    children = Path(f"/proc/{pid}/task/{pid}/children")
    for child in children.read_text().split() if children.exists() else []:
        with contextlib.suppress(FileNotFoundError):
            total += _cpu_seconds(int(child))
    return total


def reminders_figures(ctx):
    import tempfile

    from django.conf import settings

    from tests.reminders.smtp_server import SMTPServerProcess
    from tuanhang.office.reminders.models import ReminderDelivery
    from tuanhang.office.reminders.services import reminders_sweep

    event, _apps = _fair(SLUG, N_REMINDERS, opens_in_hours=11)
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder, SMTPServerProcess(folder) as server:
        # The worker as in production: DEBUG off, the default prefork pool with one process per core.
        env = {**ctx.env, "EMAIL_URL": server.url, "DEBUG": "off", "SECRET_KEY": f"bench-{uuid.uuid4()}" * 2}
        command = [sys.executable, "-m", "celery", "-A", "tuanhang", "worker", "--pool", "prefork"]
        command += ["--concurrency", str(WORKER_PROCESSES), "--loglevel", "warning"]
        command += [
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--hostname",
            f"bench-{uuid.uuid4()}@%h",
        ]
        worker = subprocess.Popen(command, cwd=ctx.root, env=env, start_new_session=True)
        try:
            time.sleep(6)  # the worker and its pool processes connect before the clock starts
            assert settings.REDIS_URL
            worker_cpu, server_cpu = _cpu_seconds(worker.pid), server.cpu_seconds()
            start = time.perf_counter()
            reminders_sweep()
            timed_out = not server.wait_for(N_REMINDERS, timeout=WAIT_SECONDS)
            seconds = time.perf_counter() - start
            worker_cpu = _cpu_seconds(worker.pid) - worker_cpu
            server_cpu = server.cpu_seconds() - server_cpu
        finally:
            worker.send_signal(signal.SIGTERM)  # warm shutdown: the parent stops its pool itself
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait(timeout=10)
        counts = server.counts()
    sent = ReminderDelivery.objects.filter(event=event, status="sent").count()
    duplicates = sum(1 for n in counts.values() if n > 1)
    received = sum(counts.values())
    # A wait that ran out is not a time under the target, however short the wait.
    elapsed = figure("reminders_10000_seconds", round(seconds, 1), "s", target=("<=", TARGET_SECONDS))
    return [
        {**elapsed, "met": elapsed["met"] and not timed_out},
        figure("reminders_per_second", round(sent / seconds), "messages/s"),
        figure("reminders_received", received, "messages", target="= 10000", met=received == N_REMINDERS),
        figure("reminders_duplicates", duplicates, "messages", target=("<=", 0)),
        figure("reminders_timed_out", int(timed_out), f"waits of {WAIT_SECONDS} s that ran out", target=("<=", 0)),
        figure("reminders_worker_cpu_ms", round(1000 * worker_cpu / N_REMINDERS, 2), "ms CPU per message"),
        figure("reminders_smtp_server_cpu_ms", round(1000 * server_cpu / N_REMINDERS, 2), "ms CPU per message"),
        figure("reminders_load_average", round(load, 2), "1-min load at start"),
    ]


def _timed(fn, repeat=1):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def report_figures():
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from events.generated import get_builder
    from events.generated.header import fair_for_print
    from tuanhang.kernel.pdf import NO_PROGRESS
    from tuanhang.office.reports.models import DailySummary, SalesEntry
    from tuanhang.office.reports.selectors import fair_days
    from tuanhang.office.reports.services import _build_summary

    event, applications = _fair(REPORT_SLUG, N_PARTICIPANTS, opens_in_hours=-24 * 5)
    days = fair_days(event)
    SalesEntry.objects.bulk_create(
        SalesEntry(application=a, day=day, sales=1_000_000 + 1000 * i, visitors=20 + i % 50)
        for i, a in enumerate(applications)
        for day in days
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    user = fixtures.staff("bench-reports-staff", event.organiser)
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(user)
    url = reverse("reports:page", args=[event.slug])
    with debug_off():
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, f"reports page answered {response.status_code}"
        page_seconds, _ = _timed(lambda: client.get(url), repeat=10)
    summary = DailySummary.objects.create(event=event, day=timezone.localdate() - dt.timedelta(days=1))
    summary_seconds, _ = _timed(
        lambda: _build_summary(DailySummary.objects.select_related("event__organiser").get(pk=summary.pk))
    )

    def build(kind):
        # What the worker does for a GeneratedFile: read the fair, collect, render.
        builder = get_builder(kind)
        fair = fair_for_print(pk=event.pk)
        return builder.render(fair, builder.collect(fair, {}), {}, NO_PROGRESS)

    closing_pdf_seconds, _ = _timed(lambda: build("closing_report"))
    closing_xlsx_seconds, _ = _timed(lambda: build("closing_report_xlsx"))
    return [
        figure("report_page_ms", round(page_seconds * 1000, 1), "ms", target=("<=", 1000)),
        figure("report_page_queries", len(queries.captured_queries), "queries"),
        figure("report_daily_summary_seconds", round(summary_seconds, 3), "s", target=("<=", 1)),
        figure("report_closing_xlsx_seconds", round(closing_xlsx_seconds, 3), "s"),
        figure("report_closing_pdf_seconds", round(closing_pdf_seconds, 3), "s"),
    ]


def cleanup():
    fixtures.delete_fairs(SLUG, REPORT_SLUG)
    fixtures.delete_businesses(BENCHMARK, name__startswith="Hợp tác xã Bench")
