"""Two officials completing the same task at once: exactly one completion, the other is told
«Задача уже обработана». Real parallel requests on PostgreSQL.

How the test makes the race real: the step's service waits (up to a second) for the other request
to arrive in it too. With a conditional claim the other request is held at the claim until the
first commits and then finds the task closed, so the wait simply times out. An implementation
that checks the status in memory (stock viewflow under `no_lock`) lets both requests into the
service together: the test then sees two completions, two audit events or a form error instead of
«Задача уже обработана», and fails.

SQLite cannot run this: its in-memory test database is not shared between threads, and it
serialises writing transactions anyway (IMMEDIATE mode) — the CI's PostgreSQL pass runs it."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from viewflow.workflow.models import Task

from common.errors import AlreadyProcessed
from orgstructure.models import Role
from tests.factories import make_user
from workflows.core import flowkit
from workflows.core.models import AuditEvent
from workflows.rma import flows, links, services
from workflows.rma.flows import RmaFlow
from workflows.rma.models import RmaApplication, Status

from .conftest import required_files

pytestmark = pytest.mark.django_db(transaction=True)


def skip_on_sqlite():
    if connection.vendor == "sqlite":
        pytest.skip("needs PostgreSQL: the SQLite test database is not shared between threads (CI runs it)")


def overlapping(monkeypatch, name, parties):
    """Make `services.<name>` wait for `parties` callers at once (1 s at most)."""
    original = getattr(services, name)
    barrier = threading.Barrier(parties, timeout=1.0)
    entered = []

    def waiting(**kwargs):
        entered.append(threading.get_ident())
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            pass
        return original(**kwargs)

    monkeypatch.setattr(services, name, waiting)
    return entered


def run_in_threads(functions):
    results, errors = [None] * len(functions), []
    start = threading.Barrier(len(functions))

    def run(index, function):
        try:
            start.wait()
            results[index] = function()
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results, errors


def queued_verification(perm):
    second = make_user("rma_coord_2", role=Role.RMA_MUNI_COORDINATOR, organization=perm.orgs.uo_berezniki)
    application = flows.application_start(
        actor=perm.users.school_head,
        person=perm.persons.eligible,
        subjects=[perm.subjects.math],
        files=required_files(),
    )
    task = Task.objects.get(flow_task=RmaFlow.verify)
    assert task.owner is None  # two coordinators: the task waits in their queue
    return application, task, second


def test_two_coordinators_post_the_same_task_at_once(perm, monkeypatch):
    skip_on_sqlite()
    application, task, second = queued_verification(perm)
    entered = overlapping(monkeypatch, "application_verify", 2)
    url = links.task_action_url(task, "execute")

    def post_as(user):
        def post():
            client = Client()
            client.force_login(user)
            response = client.post(url, {"decision": "verify", "comment": ""})
            return response.status_code, response.content.decode()

        return post

    results, errors = run_in_threads([post_as(perm.users.rma_coord), post_as(second)])
    assert errors == []
    statuses = sorted(status for status, _ in results)
    assert statuses == [302, 409], results
    loser = next(body for status, body in results if status == 409)
    assert "Задача уже обработана" in loser
    assert len(entered) == 1  # the loser never reached the service
    application.refresh_from_db()
    assert application.status == Status.DOCUMENTS_VERIFIED
    assert AuditEvent.objects.filter(event="rma.verified", object_id=str(application.pk)).count() == 1
    task.refresh_from_db()
    assert task.status == "DONE"
    assert Task.objects.filter(flow_task=RmaFlow.assess).count() == 1


def test_eight_officials_one_completion(perm, monkeypatch):
    skip_on_sqlite()
    application, task, second = queued_verification(perm)
    others = [
        make_user(f"rma_coord_{n}", role=Role.RMA_MUNI_COORDINATOR, organization=perm.orgs.uo_berezniki)
        for n in range(3, 9)
    ]
    officials = [perm.users.rma_coord, second, *others]
    entered = overlapping(monkeypatch, "application_return", len(officials))

    def complete_as(user):
        def complete():
            application_now = RmaApplication.objects.get(pk=application.pk)
            try:
                flowkit.task_complete(
                    actor=user,
                    task_id=task.pk,
                    perform=lambda activation: services.application_return(
                        actor=user, application=application_now, comment=f"Замечания от {user.username}"
                    ),
                )
            except AlreadyProcessed as exc:
                return str(exc)
            return "done"

        return complete

    results, errors = run_in_threads([complete_as(user) for user in officials])
    assert errors == []
    assert sorted(results) == ["done"] + ["Задача уже обработана"] * 7
    assert len(entered) == 1
    assert AuditEvent.objects.filter(event="rma.returned", object_id=str(application.pk)).count() == 1
    assert Task.objects.filter(flow_task=RmaFlow.correct).count() == 1


# --- the same POST replayed (issue 11's drill): one change, whatever the client resends ---------


@pytest.mark.parametrize("times", [2, 5])
def test_the_same_post_replayed_makes_one_change(perm, times):
    """A double click, a browser's «resend», a proxy's retry: the same form POST again and again
    from the same session. The first completes the task; every replay is told «Задача уже
    обработана» (409) and changes nothing. Runs on SQLite too: no threads."""
    application, task, _ = queued_verification(perm)
    client = Client()
    client.force_login(perm.users.rma_coord)
    url = links.task_action_url(task, "execute")

    responses = [client.post(url, {"decision": "verify", "comment": ""}) for _ in range(times)]

    assert [response.status_code for response in responses] == [302] + [409] * (times - 1)
    assert all("Задача уже обработана" in r.content.decode() for r in responses[1:])
    application.refresh_from_db()
    assert application.status == Status.DOCUMENTS_VERIFIED
    assert AuditEvent.objects.filter(event="rma.verified", object_id=str(application.pk)).count() == 1
    assert Task.objects.filter(flow_task=RmaFlow.assess).count() == 1


def test_the_same_post_replayed_in_parallel_makes_one_change(perm, monkeypatch):
    """Six copies of one official's POST at the same instant (one session, six connections)."""
    skip_on_sqlite()
    application, task, _ = queued_verification(perm)
    entered = overlapping(monkeypatch, "application_verify", 6)
    url = links.task_action_url(task, "execute")
    client = Client()
    client.force_login(perm.users.rma_coord)
    cookies = client.cookies

    def replay():
        copy = Client()
        copy.cookies = cookies
        response = copy.post(url, {"decision": "verify", "comment": ""})
        return response.status_code

    results, failures = run_in_threads([replay for _ in range(6)])

    assert failures == []
    assert sorted(results) == [302] + [409] * 5
    assert len(entered) == 1
    assert AuditEvent.objects.filter(event="rma.verified", object_id=str(application.pk)).count() == 1
    assert Task.objects.filter(flow_task=RmaFlow.assess).count() == 1


def test_the_same_api_submission_replayed_creates_one_application(perm):
    """POST /api/v1/rma/applications/ sent twice (a client that retries on a timeout): one
    application, one formal check, one task; the replay answers 409 in Russian."""
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(perm.users.school_head)

    def submit():
        return api.post(
            "/api/v1/rma/applications/",
            {"person": perm.persons.eligible.pk, "subjects": [perm.subjects.math.pk], **required_files()},
            format="multipart",
        )

    first, replay = submit(), submit()

    assert first.status_code == 201, first.content
    assert replay.status_code == 409, replay.content
    assert replay.json()["detail"]
    assert RmaApplication.objects.filter(person=perm.persons.eligible).count() == 1
    assert Task.objects.filter(flow_task=RmaFlow.verify).count() == 1
