"""The Celery app: configured from Django settings (CELERY_*), tasks discovered per app."""

import os

from celery import Celery

from annotator.settings.env import settings_module

os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module())

app = Celery("annotator")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
