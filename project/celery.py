"""The Celery app. Periodic jobs are declared here, each with the reason for its schedule."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings.dev")

app = Celery("profrost")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic jobs (django-celery-beat's DatabaseScheduler reads this on start and keeps it in the
# database, where an administrator may pause a job). Each later process adds its scans here.
app.conf.beat_schedule = {
    # A heartbeat so that an operator sees in the log and in the admin that beat and a worker
    # are alive; cheap, every 5 minutes.
    "core-heartbeat": {"task": "workflows.core.tasks.heartbeat", "schedule": 300.0},
}
