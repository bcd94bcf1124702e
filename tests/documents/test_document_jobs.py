"""An issue job is not lost when the broker cannot take it at commit (issue 11, the drill found
it: Redis restarting while a справка was due — the request answered 500 after it had committed
and the job was never queued). The job is a DocumentJob row written in the caller's transaction;
the beat task enqueues again what no worker started."""

import datetime as dt

import pytest
from django.utils import timezone

from documents.kinds import get_spec
from documents.models import DocumentJob, IssuedDocument
from project.celery import app
from tests.documents.kinds import DocumentKind

from .conftest import ISSUED_ON

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down():
    """A real, unreachable broker (nothing listens on port 1), not a stub: publishing fails."""
    # broker_write_url: publishing reads it first, and broker_url yields to a CELERY_BROKER_URL
    # in the environment (CI's PostgreSQL run points it at the real Redis)
    saved = {key: app.conf.get(key) for key in ("task_always_eager", "broker_write_url", "task_publish_retry")}
    app.conf.update(task_always_eager=False, broker_write_url="redis://127.0.0.1:1/0", task_publish_retry=False)
    fresh_pool()
    yield
    app.conf.update(saved)
    fresh_pool()


def fresh_pool():
    """Connections to the broker now configured (the pool keeps the URL it was made with)."""
    app._pool = None
    app.amqp._producer_pool = None


def issue_later(ministry, school):
    from documents.tasks import document_issue_later

    document_issue_later(
        kind=DocumentKind.RMA_CERTIFICATE,
        issuing_organization=ministry,
        artefact=school,
        context=get_spec(DocumentKind.RMA_CERTIFICATE).sample(ministry),
        signatory=None,
        issued_on=ISSUED_ON,
        actor=None,
    )


def test_a_job_the_broker_refused_is_issued_by_the_sweep(
    ministry, school, django_capture_on_commit_callbacks, settings, broker_down
):
    from documents.tasks import requeue_document_jobs

    settings.PROFROST_DOCUMENTS_PDF = False
    with django_capture_on_commit_callbacks(execute=True):
        issue_later(ministry, school)  # commits; the broker is down: no exception reaches the caller
    job = DocumentJob.objects.get()
    assert job.enqueued_at is None and job.started_at is None and not IssuedDocument.objects.exists()

    app.conf.update(task_always_eager=True)  # the broker is back (the eager worker runs the job)
    assert requeue_document_jobs() == 0  # too fresh: a busy queue is not flooded with copies
    DocumentJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(minutes=6))
    assert requeue_document_jobs() == 1
    job.refresh_from_db()
    assert job.started_at and job.finished_at
    assert IssuedDocument.objects.get().artefact == school
    assert requeue_document_jobs() == 0  # done: never enqueued again


def test_a_delivered_job_is_finished_and_not_run_twice(ministry, school, django_capture_on_commit_callbacks, settings):
    from documents.tasks import issue_document

    settings.PROFROST_DOCUMENTS_PDF = False
    with django_capture_on_commit_callbacks(execute=True):
        issue_later(ministry, school)
    job = DocumentJob.objects.get()
    assert job.enqueued_at and job.finished_at
    assert issue_document.delay(**job.kwargs, job_id=job.pk).get() is None  # a late copy does nothing
    assert IssuedDocument.objects.count() == 1


def test_a_job_whose_worker_died_is_enqueued_again_and_given_up_after_the_last_attempt(
    ministry, school, django_capture_on_commit_callbacks, settings, broker_down
):
    """Started and never finished (kill -9 after the broker forgot the delivery): enqueued again
    after restart_after(); a job that keeps failing this way is given up and announced."""
    from documents.signals import document_failed
    from documents.tasks import MAX_ATTEMPTS, requeue_document_jobs, restart_after

    settings.PROFROST_DOCUMENTS_PDF = False
    with django_capture_on_commit_callbacks(execute=True):
        issue_later(ministry, school)
    job = DocumentJob.objects.get()
    started = timezone.now() - restart_after() - dt.timedelta(minutes=1)
    DocumentJob.objects.filter(pk=job.pk).update(started_at=started, created_at=started)
    app.conf.update(task_always_eager=True)
    assert requeue_document_jobs() == 1
    assert IssuedDocument.objects.get().artefact == school

    failures = []

    def receiver(sender, **kwargs):
        failures.append(kwargs)

    document_failed.connect(receiver, weak=False)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            issue_later(ministry, school)
        dying = DocumentJob.objects.latest("id")
        DocumentJob.objects.filter(pk=dying.pk).update(
            started_at=started, created_at=started, finished_at=None, attempts=MAX_ATTEMPTS
        )
        assert requeue_document_jobs() == 0
    finally:
        document_failed.disconnect(receiver)
    dying.refresh_from_db()
    assert dying.finished_at is not None
    assert len(failures) == 1 and "прервано 5 раз" in failures[0]["reason"]


def test_an_eager_jobs_own_error_is_not_taken_for_a_broker_outage(
    ministry, region, municipality, django_capture_on_commit_callbacks, settings
):
    """Only the broker's connection errors are caught at enqueue: a job that fails otherwise
    (here its artefact is gone by the time it runs) still surfaces in eager mode."""
    from orgstructure.models import Organization
    from tests.factories import make_organization

    settings.PROFROST_DOCUMENTS_PDF = False
    gone = make_organization(region, municipality=municipality, name="МАОУ «СОШ № 99»")
    with pytest.raises(Organization.DoesNotExist), django_capture_on_commit_callbacks(execute=True):
        issue_later(ministry, gone)
        gone.delete()
    assert DocumentJob.objects.get().finished_at is None  # left for the sweep, which reports it in the end


def test_a_job_waiting_in_a_long_queue_is_not_copied(ministry, school, django_capture_on_commit_callbacks, settings):
    """The drill found it: with a backlog, every sweep copied each job not yet started, and the
    copies used up its attempts — the job was given up and its справка never issued. A job the
    broker took is enqueued again only after restart_after(), and that costs no attempt."""
    from documents.tasks import requeue_document_jobs, restart_after

    settings.PROFROST_DOCUMENTS_PDF = False
    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            issue_later(ministry, school)
    finally:
        app.conf.task_always_eager = saved
    job = DocumentJob.objects.get()
    long_ago = timezone.now() - dt.timedelta(hours=1)
    # as if still queued behind others: taken by the broker a moment ago, never started
    DocumentJob.objects.filter(pk=job.pk).update(
        created_at=long_ago, enqueued_at=timezone.now(), started_at=None, finished_at=None
    )
    for _ in range(10):
        assert requeue_document_jobs() == 0
    DocumentJob.objects.filter(pk=job.pk).update(enqueued_at=timezone.now() - restart_after() - dt.timedelta(seconds=1))
    assert requeue_document_jobs() == 1  # lost by the broker: enqueued again (the eager worker runs it)
    job.refresh_from_db()
    assert job.attempts == 0 and job.finished_at is not None
