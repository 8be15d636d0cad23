"""make audit: Lighthouse (mobile preset) on the public and business pages of the seeded demo fair.

A report, not a test: the scores move with the machine's load. The site runs as in production:
gunicorn with DEBUG off, whitenoise serving the collected, compressed (gzip + brotli) static files,
on a SQLite database of its own in a temporary folder, seeded with `seed_demo`; a business login
(its session cookie sent by Lighthouse) sees the apply page. Lighthouse 12.2.3 (pinned in
tools/audit/package-lock.json, installed by `npm ci --prefix tools/audit`) drives Debian's chromium.
Writes tools/audit/results.json and the table between the audit markers in README.md."""

import json
import os
import secrets
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[2]
AUDIT = ROOT / "tools" / "audit"
LIGHTHOUSE = AUDIT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run"
CATEGORIES = {"performance": "Performance", "accessibility": "Accessibility", "best-practices": "Best practices"}
TARGETS = {"performance": 90, "accessibility": 98, "best-practices": 100}
README_START, README_END = "<!-- audit:start -->", "<!-- audit:end -->"


def pages(event, second, shown):
    """(name, path, logged in as the business?) for every page audited."""
    from django.urls import reverse

    return [
        ("Home", reverse("home"), False),
        ("Fair page", reverse("public:fair", kwargs={"slug": event.slug}), False),
        ("Directory", reverse("vendors:exhibitors", kwargs={"slug": event.slug}), False),
        (
            "Business page",
            reverse("vendors:exhibitor", kwargs={"event_slug": event.slug, "vendor_id": shown.vendor_id}),
            False,
        ),
        ("Booth map", reverse("booths:map_public", kwargs={"slug": event.slug}), False),
        ("Sign-up", reverse("vendors:signup"), False),
        ("Apply", reverse("vendors:application_create", kwargs={"slug": second.slug}), True),
    ]


def main():
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    tmp = tempfile.TemporaryDirectory(prefix="audit-")
    env = {
        "DATABASE_URL": f"sqlite:///{tmp.name}/audit.sqlite3",
        "DEBUG": "off",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "off",
        "SECURE_COOKIES": "off",
        "STATIC_ROOT": f"{tmp.name}/static",
        "MEDIA_ROOT": f"{tmp.name}/media",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "tuanhang.settings",
    }
    os.environ.update(env)
    run_env = {**os.environ}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], env=run_env, check=True)
    subprocess.run([sys.executable, "manage.py", "compilemessages", "--ignore=.venv*", "-v", "0"], check=True)

    import django

    django.setup()
    from bench.server import Server
    from tuanhang.office.demo import seed_demo

    summary = seed_demo()
    event, second = summary.event, summary.second_event
    cookie, business = _business_session(event, second)
    shown = event.applications.filter(status="approved").order_by("-pk").first()
    results = []
    ctx = SimpleNamespace(env=run_env, root=ROOT)
    with Server(ctx, workers=2, threads=4) as server:
        base = f"http://127.0.0.1:{server.port}"
        for name, path, logged_in in pages(event, second, shown):
            print(f"==> Lighthouse: {name} {path}", flush=True)
            scores = _lighthouse(base + path, cookie if logged_in else None, Path(tmp.name))
            results.append({"page": name, "path": path, **scores})
    publish(results, business)
    tmp.cleanup()


def _business_session(event, second):
    """A business with an approved application at the demo fair and none at the second fair, its
    owner logged in: the session cookie Lighthouse sends."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from vendors.models import VendorMember

    application = (
        event.applications.filter(status="approved")
        .exclude(vendor__in=second.applications.values("vendor"))
        .order_by("pk")
        .first()
    )
    user, _ = get_user_model().objects.get_or_create(username="audit.business", defaults={"email": "a@example.vn"})
    VendorMember.objects.get_or_create(vendor=application.vendor, defaults={"user": user, "role": "owner"})
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}", application.vendor


def _lighthouse(url, cookie, tmp: Path) -> dict:
    out = tmp / "report.json"
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={out}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--only-categories=" + ",".join(CATEGORIES),
        "--quiet",
    ]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": CHROMIUM}, timeout=300)  # noqa: S603
    report = json.loads(out.read_text(encoding="utf-8"))
    scores = {key: round(report["categories"][key]["score"] * 100) for key in CATEGORIES}
    below = {
        key: [
            audit_id
            for audit_id in (ref["id"] for ref in report["categories"][key]["auditRefs"] if ref["weight"] > 0)
            if (report["audits"][audit_id].get("score") is not None and report["audits"][audit_id]["score"] < 0.9)
        ]
        for key in CATEGORIES
    }
    details = {
        audit_id: [json.dumps(item, ensure_ascii=False)[:300] for item in _items(report["audits"][audit_id])[:5]]
        for ids in below.values()
        for audit_id in ids
    }
    return {"scores": scores, "failing_audits": below, "details": details, "final_url": report["finalDisplayedUrl"]}


def _items(audit) -> list:
    return (audit.get("details") or {}).get("items") or []


def publish(results, business):
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    summary = {
        "when": when,
        "lighthouse": "12.2.3",
        "preset": "mobile (Lighthouse default: Moto G Power, simulated slow 4G, 4x CPU slowdown)",
        "server": "gunicorn, DEBUG off, whitenoise compressed static files, SQLite, seed_demo",
        "targets": TARGETS,
        "pages": results,
    }
    (AUDIT / "results.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    lines = [
        f"Lighthouse {summary['lighthouse']}, mobile preset, {when}; one run on a shared 2-core machine "
        "(scores move by several points from run to run). Targets: performance ≥ 90, accessibility ≥ 98, "
        "best practices 100.",
        "",
        "| Page | Path | Performance | Accessibility | Best practices |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for row in results:
        cells = [f"{row['scores'][key]}" + ("" if row["scores"][key] >= TARGETS[key] else " ✗") for key in CATEGORIES]
        lines.append(f"| {row['page']} | `{row['path']}` | " + " | ".join(cells) + " |")
    table = "\n".join(lines) + "\n"
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    if README_START in text and README_END in text:
        head, rest = text.split(README_START, 1)
        _, tail = rest.split(README_END, 1)
        readme.write_text(f"{head}{README_START}\n{table}{README_END}{tail}", encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()
