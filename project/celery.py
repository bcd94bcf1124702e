"""The Celery app. Periodic jobs are declared here, each with the reason for its schedule."""

import os

from celery import Celery
from celery.schedules import crontab

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
    # PDF conversion is enqueued after each issue; this sweep picks up what an enqueue missed and
    # what a crashed worker left claimed (reclaimed after 30 min). Every 5 minutes is enough: the
    # .docx is the legal document, the PDF a convenience.
    "documents-pdf-pending": {"task": "documents.tasks.convert_pending_pdfs", "schedule": 300.0},
    # Issue jobs the broker lost or could not take at commit (documents.models.DocumentJob).
    # PROFROST_DOCUMENT_REQUEUE_EVERY_SECONDS shortens it for the drill.
    "documents-requeue-jobs": {
        "task": "documents.tasks.requeue_document_jobs",
        "schedule": float(os.environ.get("PROFROST_DOCUMENT_REQUEUE_EVERY_SECONDS", "180")),
    },
    # Stored document files that no issued document refers to (the caller's transaction rolled
    # back after issuing, e.g. a failed РМА list approval) are removed once older than an hour.
    # Hourly: such a file may hold personal data (a справка with a name), so it should not linger
    # for a day, and an orphan never blocks anything (stored names carry a random part). A run
    # lists the storage directories once and reads the referenced names per directory.
    "documents-orphan-files": {"task": "documents.tasks.sweep_issued_files", "schedule": 3600.0},
    # Deadline scan (workflows/core/notifications.py): open tasks whose next reminder, overdue
    # notice or escalation has come due go to the outbox. Every 15 minutes, so an overdue notice
    # follows 23:59:59 local time of any region within a quarter-hour; a run with nothing due
    # reads one empty index range, and a re-run or a second beat writes nothing twice.
    # `make run` sets PROFROST_DEADLINE_SCAN_SECONDS=60, so a demo shows its reminders at once.
    "core-deadline-scan": {
        "task": "workflows.core.tasks.scan_deadlines",
        "schedule": float(os.environ.get("PROFROST_DEADLINE_SCAN_SECONDS", "900")),
    },
    # Outbox delivery (e-mail + in-app). Each scan that wrote something triggers it at once; this
    # entry retries failed deliveries and picks up anything written by other means.
    # PROFROST_OUTBOX_DELIVER_SECONDS shortens it for the drill (scripts/drill/run.py), whose
    # killed workers leave deliveries for the next run.
    "core-outbox-deliver": {
        "task": "workflows.core.tasks.deliver_notifications",
        "schedule": float(os.environ.get("PROFROST_OUTBOX_DELIVER_SECONDS", "300")),
    },
    # РМА membership re-check (workflows/rma/tasks.py, a nightly scan of workflows/core/scans.py): a
    # member whose высшая категория is no longer in force is flagged and the municipal coordinator
    # gets a task. A category lapses by the calendar day, so once a night is enough; at 03:30 Moscow
    # time every region's day has begun. Every scan a process registers must have its entry here
    # (tests/workflows/core/test_processes.py checks it); `manage.py run_process_scan` runs one now.
    "rma-lapsed-categories": {
        "task": "workflows.rma.tasks.scan_lapsed_categories",
        "schedule": crontab(hour=3, minute=30),
    },
    # Internship sites whose term has ended leave the register's active entries (workflows/
    # internships/tasks.py): the status holds through its last day, so once a night, after every
    # region's day has begun, as for РМА.
    "internships-site-expiry": {
        "task": "workflows.internships.tasks.scan_site_expiry",
        "schedule": crontab(hour=3, minute=40),
    },
}
