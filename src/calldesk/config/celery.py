"""Celery app. Embedded runs tasks eagerly in-process; scaled out, workers read Redis."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "calldesk.config.settings.base")

app = Celery("calldesk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
