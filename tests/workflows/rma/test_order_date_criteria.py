"""Criteria on the day of the приказ: a candidate whose высшая категория lapses while on the draft
list is held back with the reason when the list is signed (the rest is admitted), and the
signatory sees who and why on the sign step before signing; the ministry may take a candidate off
the draft before signing, with a reason; signing asks to confirm the number of candidates."""

import datetime as dt

import pytest
from viewflow.workflow.models import Task

from common import errors
from workflows.core.flowkit import task_complete
from workflows.core.models import AuditEvent
from workflows.rma import links, services
from workflows.rma.flows import RmaListFlow
from workflows.rma.models import ListStatus, RmaApplication, Status

from .conftest import today
from .test_batch import draft_list

pytestmark = pytest.mark.django_db


def lapse(application, on):
    person = application.person
    person.category_valid_until = on - dt.timedelta(days=1)
    person.save()


def test_a_lapse_between_listing_and_signing_holds_the_candidate_back(perm):
    rma_list = draft_list(perm, size=5)
    lapsed = rma_list.applications.order_by("id")[2]
    lapse(lapsed, today(perm.region))

    held = services.list_held_back(rma_list=rma_list)
    assert [(a.pk, [r.code for r in refusals]) for a, refusals in held] == [(lapsed.pk, ["category_expired"])]

    services.list_approve(actor=perm.users.signatory, rma_list=rma_list)
    rma_list.refresh_from_db()
    lapsed.refresh_from_db()
    assert rma_list.status == ListStatus.APPROVED
    assert lapsed.status == Status.REJECTED and lapsed.admitted_on is None
    assert [r["code"] for r in lapsed.refusals] == ["category_expired"]
    assert lapsed.check_date == rma_list.order_date
    event = AuditEvent.objects.for_object(lapsed).order_by("id").last()
    assert event.event == "rma.held_back" and "истекла" in event.comment and event.actor == perm.users.signatory
    others = RmaApplication.objects.filter(rma_list=rma_list).exclude(pk=lapsed.pk)
    assert set(others.values_list("status", flat=True)) == {Status.ADMITTED}
    approved = AuditEvent.objects.for_object(rma_list).get(event="rma_list.approved")
    assert approved.data["members"] == 4


def test_when_nobody_meets_the_criteria_nothing_is_signed(perm):
    rma_list = draft_list(perm, size=2)
    for application in rma_list.applications.all():
        lapse(application, today(perm.region))
    with pytest.raises(errors.ActionRefused, match="ни один кандидат"):
        services.list_approve(actor=perm.users.signatory, rma_list=rma_list)
    rma_list.refresh_from_db()
    assert rma_list.status == ListStatus.SIGNING and not rma_list.order_number
    assert set(rma_list.applications.values_list("status", flat=True)) == {Status.IN_DRAFT_LIST}


def _sign_task(perm, rma_list):
    RmaListFlow.start.run(rma_list=rma_list)
    prepare = Task.objects.get(flow_task=RmaListFlow.prepare)
    task_complete(
        actor=perm.users.ministry,
        task_id=prepare.pk,
        perform=lambda a: services.list_send_to_signing(
            actor=perm.users.ministry, rma_list=rma_list, academic_year="2026/2027"
        ),
    )
    return Task.objects.get(flow_task=RmaListFlow.sign, status__in=["NEW", "ASSIGNED"])


def test_the_signatory_sees_who_is_held_back_and_confirms_the_count(perm, client_as):
    rma_list = draft_list(perm, size=3, status=ListStatus.DRAFT)
    lapsed = rma_list.applications.order_by("id").first()
    lapse(lapsed, today(perm.region))
    sign = _sign_task(perm, rma_list)
    signatory = client_as(perm.users.signatory)
    page = signatory.get(links.task_action_url(sign, "execute"))
    body = page.content.decode()
    assert page.status_code == 200
    assert 'id="held-back"' in body and lapsed.person.full_name in body and "истекла" in body
    assert "войдут кандидатов — 2" in body and "checked" not in body.split('name="decision"')[1][:200]

    unconfirmed = signatory.post(links.task_action_url(sign, "execute"), {"decision": "approve", "expected": 2})
    assert unconfirmed.status_code == 200
    assert "Подтвердите подписание" in str(unconfirmed.context["form"].errors)
    rma_list.refresh_from_db()
    assert rma_list.status == ListStatus.SIGNING and not rma_list.order_number  # no number taken

    stale = signatory.post(
        links.task_action_url(sign, "execute"), {"decision": "approve", "expected": 3, "confirm": "on"}
    )
    assert "Состав списка изменился" in str(stale.context["form"].errors)

    done = signatory.post(
        links.task_action_url(sign, "execute"), {"decision": "approve", "expected": 2, "confirm": "on"}
    )
    assert done.status_code == 302
    rma_list.refresh_from_db()
    assert rma_list.status == ListStatus.APPROVED
    assert RmaApplication.objects.get(pk=lapsed.pk).status == Status.REJECTED


def test_the_ministry_removes_a_candidate_before_signing_with_a_reason(perm, client_as):
    rma_list = draft_list(perm, size=3)
    removed = rma_list.applications.order_by("id").first()
    officer = client_as(perm.users.ministry)
    url = links.list_remove_url(rma_list.pk, removed.pk)
    assert url in officer.get(links.list_url(rma_list.pk)).content.decode()
    short = officer.post(url, {"reason": "нет"})
    assert short.status_code == 200 and "не короче" in str(short.context["form"].errors)
    assert officer.post(url, {"reason": "Кандидат переведён в другой регион"}).status_code == 302
    removed.refresh_from_db()
    assert removed.status == Status.REMOVED_FROM_LIST and removed.removal_reason.startswith("Кандидат переведён")
    assert AuditEvent.objects.for_object(removed).order_by("id").last().event == "rma.removed_from_list"
    assert AuditEvent.objects.for_object(rma_list).filter(event="rma.removed_from_list").count() == 1
    # outsiders cannot, and after signing nobody can
    assert (
        client_as(perm.users.rma_coord).post(url, {"reason": "Кандидат переведён в другой регион"}).status_code == 404
    )
    services.list_approve(actor=perm.users.signatory, rma_list=rma_list)
    rma_list.refresh_from_db()
    assert rma_list.applications.filter(status=Status.ADMITTED).count() == 2
    other = rma_list.applications.filter(status=Status.ADMITTED).first()
    with pytest.raises(errors.ActionError):
        services.list_remove_candidate(actor=perm.users.ministry, application=other, reason="После подписания нельзя")
