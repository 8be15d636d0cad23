"""docker-compose.yml and the Dockerfile, checked offline (no Docker engine needed)."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"
APP_SERVICES = ("web", "worker", "beat")


@pytest.fixture(scope="module")
def services():
    return YAML(typ="safe").load(COMPOSE.read_text())["services"]


def test_compose_file_valid_against_compose_spec():
    check_jsonschema = Path(sys.executable).parent / "check-jsonschema"
    result = subprocess.run(
        [str(check_jsonschema), "--builtin-schema", "vendor.compose-spec", str(COMPOSE)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok -- validation done" in result.stdout


def test_compose_services_named_in_issue_exist(services):
    assert {"web", "worker", "beat", "db", "redis"} <= set(services)


def test_compose_db_is_postgres_15_with_pg_isready_healthcheck(services):
    db = services["db"]
    assert db["image"] == "postgres:15"
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert "pgdata:/var/lib/postgresql/data" in db["volumes"]


def test_compose_redis_is_redis_7_with_ping_healthcheck(services):
    redis = services["redis"]
    assert redis["image"] == "redis:7"
    assert redis["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]


def test_compose_app_services_share_one_image(services):
    images = {(services[name]["image"], services[name]["build"]) for name in APP_SERVICES}
    assert images == {("tuanhang:latest", ".")}


@pytest.mark.parametrize("name", APP_SERVICES)
def test_compose_app_service_waits_for_healthy_db_and_redis(services, name):
    service = services[name]
    assert service["depends_on"] == {
        "db": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
    }
    assert service["env_file"] == ".env"
    assert service["environment"]["DEBUG"] == "off"
    assert service["environment"]["REDIS_URL"] == "redis://redis:6379/0"
    assert service["environment"]["DATABASE_URL"].startswith("postgres://tuanhang:")
    assert "media:/app/media" in service["volumes"]


def test_compose_web_migrates_collects_static_and_serves_with_gunicorn(services):
    command = " ".join(services["web"]["command"].split())
    migrate, collectstatic, gunicorn = (
        command.index("manage.py migrate --noinput"),
        command.index("manage.py collectstatic --noinput"),
        command.index("gunicorn tuanhang.wsgi"),
    )
    assert migrate < collectstatic < gunicorn
    assert services["web"]["ports"] == ["8000:8000"]


def test_compose_worker_and_beat_run_celery_with_database_scheduler(services):
    assert services["worker"]["command"].startswith("celery -A tuanhang worker")
    assert services["beat"]["command"].startswith("celery -A tuanhang beat")
    assert "--scheduler django_celery_beat.schedulers:DatabaseScheduler" in services["beat"]["command"]


def test_compose_interpolated_variables_documented_in_env_example():
    used = set(re.findall(r"\$\{([A-Z_]+)", COMPOSE.read_text()))
    documented = set(re.findall(r"^#?\s*([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
    assert used == {"SECRET_KEY", "POSTGRES_PASSWORD"}
    assert used <= documented


def test_dockerfile_builds_python_311_slim_with_translations_and_static():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert dockerfile.startswith("# ") and "\nFROM python:3.11-slim\n" in dockerfile
    assert "install -y --no-install-recommends gettext" in dockerfile
    assert "pip install -r requirements.txt" in dockerfile
    assert "manage.py compilemessages" in dockerfile
    assert "manage.py collectstatic --noinput" in dockerfile
    assert "\nUSER tuanhang\n" in dockerfile


def test_dockerignore_keeps_env_file_out_of_image():
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    assert ".env" in ignored
    assert "var/" in ignored


def test_compose_web_is_health_checked_through_healthz(services):
    check = services["web"]["healthcheck"]
    assert "http://127.0.0.1:8000/healthz" in " ".join(check["test"])
    assert {services[name]["healthcheck"].get("disable") for name in ("worker", "beat")} == {True}


def test_dockerfile_has_pg_dump_for_backups_and_a_healthcheck():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "postgresql-client" in dockerfile
    assert re.search(r"^HEALTHCHECK .*\n.*/healthz", dockerfile, re.MULTILINE)
