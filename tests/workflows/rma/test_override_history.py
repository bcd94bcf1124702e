"""History after «Допущен вопреки критериям» (issue 9): every row from the override on credits the
official who acted — the coordinator who overrode, then whoever did each step — never «система»
or the applicant; an уведомление об отказе whose job ran only after the override is put out of
force at once, credited to the one who overrode."""

import datetime as dt

import pytest
from viewflow.workflow.models import Task

from documents.models import IssuedDocument
from tests.factories import make_person
from workflows.core.models import AuditEvent
from workflows.rma import flows, links
from workflows.rma.flows import RmaFlow
from workflows.rma.models import Status

from .conftest import required_files, today

pytestmark = pytest.mark.django_db

REASON = "Категория продлена приказом № 77, выписка в пути"


def lapsed(perm):
    return make_person(perm.orgs.school, category_valid_until=today(perm.region) - dt.timedelta(days=3))


def rows_after_override(application):
    events = list(AuditEvent.objects.for_object(application).order_by("occurred_at", "id"))
    start = next(n for n, event in enumerate(events) if event.event == "rma.overridden")
    return events[:start], events[start:]


def test_every_row_after_the_override_credits_the_official_who_acted(
    perm, client_as, django_capture_on_commit_callbacks, settings
):
    settings.PROFROST_DOCUMENTS_PDF = False
    with django_capture_on_commit_callbacks(execute=True):
        refused = flows.application_start(
            actor=perm.users.school_head, person=lapsed(perm), subjects=[perm.subjects.math], files=required_files()
        )
    assert refused.status == Status.REJECTED
    coordinator = client_as(perm.users.rma_coord)
    with django_capture_on_commit_callbacks(execute=True):
        assert coordinator.post(links.override_url(refused.pk), {"reason": REASON}).status_code == 302
    task = Task.objects.get(flow_task=RmaFlow.verify, status__in=["NEW", "ASSIGNED"])
    with django_capture_on_commit_callbacks(execute=True):
        done = coordinator.post(links.task_action_url(task, "execute"), {"decision": "verify", "comment": ""})
    assert done.status_code == 302

    before, after = rows_after_override(refused)
    assert [event.event for event in after] == ["rma.overridden", "rma.refusal_superseded", "rma.verified"]
    assert all(event.actor == perm.users.rma_coord for event in after), [(e.event, e.actor) for e in after]
    assert [event.actor for event in before] == [perm.users.school_head] * 3  # nominated, refused, its letter
    overridden = after[0]
    assert (overridden.from_state, overridden.to_state, overridden.comment) == ("rejected", "eligible", REASON)

    page = coordinator.get(links.application_url(refused.pk)).content.decode()
    history = page.split('id="history"')[1].split("</table>")[0]
    for event in after:
        row = history.split(f'data-event="{event.event}"')[1].split("</tr>")[0]
        assert "Татьяна Ефимова" in row and "система" not in row, event.event


def test_a_refusal_letter_issued_after_the_override_is_out_of_force_at_once(
    perm, django_capture_on_commit_callbacks, settings
):
    """The worker was behind: the уведомление об отказе is issued only after the coordinator
    admitted the candidate. It must not stand as the document in force."""
    settings.PROFROST_DOCUMENTS_PDF = False
    with django_capture_on_commit_callbacks() as queued:  # the refusal's job waits in the queue
        refused = flows.application_start(
            actor=perm.users.school_head, person=lapsed(perm), subjects=[perm.subjects.math], files=required_files()
        )
    flows.application_override_start(actor=perm.users.rma_coord, application=refused, reason=REASON)
    assert not IssuedDocument.objects.exists()
    for callback in queued:  # the worker catches up
        callback()

    notice = IssuedDocument.objects.get(kind="rma_refusal")
    assert notice.superseded_at is not None
    _, after = rows_after_override(refused)
    assert [event.event for event in after] == ["rma.overridden", "rma.document_issued", "rma.refusal_superseded"]
    superseded = after[-1]
    assert superseded.actor == perm.users.rma_coord
    assert superseded.comment == (
        f"Уведомление об отказе № {notice.number} утратило силу: допуск вопреки критериям ({REASON})"
    )
    refused.refresh_from_db()
    assert refused.status == Status.ELIGIBLE
