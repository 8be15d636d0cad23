# Image for docker-compose.yml: the same image runs web (gunicorn), worker and beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    TUANHANG_VAR_DIR=/app/var \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/media

# gettext for compilemessages; Pango and the DejaVu fonts for the PDF prints (WeasyPrint, ReportLab);
# poppler-utils (pdftoppm) for the page previews of uploaded PDFs in the staff review;
# postgresql-client (pg_dump, pg_restore 15, as the db service) for manage.py backup and restore.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
        poppler-utils postgresql-client \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# Build-time only: settings refuse DEBUG off without a key, and these steps need no real one.
RUN mkdir -p tuanhang/locale \
    && DEBUG=off SECRET_KEY=build-only-not-secret python manage.py compilemessages --ignore='.venv*' --ignore=var \
    && DEBUG=off SECRET_KEY=build-only-not-secret python manage.py collectstatic --noinput \
    && useradd --system --home-dir /app --shell /usr/sbin/nologin tuanhang \
    && mkdir -p /app/var /app/media \
    && rm -rf /app/var/* \
    && chown -R tuanhang:tuanhang /app/var /app/media /app/staticfiles

USER tuanhang
EXPOSE 8000
# The web server's health (database, cache, broker); worker and beat override it in docker-compose.yml.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=5)"
CMD ["gunicorn", "tuanhang.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
