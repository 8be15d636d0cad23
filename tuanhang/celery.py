"""The Celery app. Configuration, broker and the beat schedule come from settings (CELERY_*):
Redis when REDIS_URL is set, kombu's filesystem transport under var/ otherwise."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuanhang.settings")

app = Celery("tuanhang")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
