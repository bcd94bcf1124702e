"""Approving a batch is one transaction: one приказ numbered in the ministry's register, every
candidate admitted with one audit event each, a справка queued per member after the commit. A
failure — in rendering or after the number was taken — leaves every application as it was and
consumes no number."""

import datetime as dt
from decimal import Decimal

import pytest
from viewflow.workflow.models import Task

from common import errors
from documents.errors import TemplateRenderError
from documents.models import IssuedDocument, NumberingRegister
from orgstructure.models import Person
from tests.documents.kinds import DocumentKind
from tests.factories import make_person
from workflows.core.models import AuditEvent
from workflows.rma import links, services
from workflows.rma.flows import RmaListFlow
from workflows.rma.models import ListStatus, RmaApplication, RmaList, Status

from .conftest import today

pytestmark = pytest.mark.django_db

BATCH = 25


def draft_list(perm, size=BATCH, status=ListStatus.SIGNING) -> RmaList:
    """`size` candidates already on a list (the steps before are covered by the flow tests)."""
    rma_list = RmaList.objects.create(region=perm.region, status=status, academic_year="2026/2027")
    day = today(perm.region)
    for n in range(size):
        school = perm.orgs.school if n % 2 else perm.orgs.school_kungur
        person = make_person(school, last_name=f"Кандидатова{n:03d}", position="учитель математики")
        application = RmaApplication.objects.create(
            person=person,
            kind="nomination",
            submitted_by=perm.users.school_head,
            check_date=day,
            status=Status.IN_DRAFT_LIST,
            rma_list=rma_list,
            subject_score=Decimal("80"),
            methodical_score=Decimal("75"),
            subject_pass_mark=Decimal("70"),
            methodical_pass_mark=Decimal("70"),
            assessed_on=day,
        )
        application.subjects.add(perm.subjects.math if n % 3 else perm.subjects.physics)
    return rma_list


def statuses(rma_list):
    return set(RmaApplication.objects.filter(rma_list=rma_list).values_list("status", flat=True))


def assert_nothing_changed(rma_list):
    rma_list.refresh_from_db()
    assert rma_list.status == ListStatus.SIGNING and rma_list.order is None
    assert statuses(rma_list) == {Status.IN_DRAFT_LIST}
    assert not IssuedDocument.objects.exists()
    assert not NumberingRegister.objects.filter(next_number__gt=1).exists()
    assert not AuditEvent.objects.filter(event__in=["rma.admitted", "rma_list.approved"]).exists()


def test_render_failure_leaves_everything_as_it_was(perm, monkeypatch, django_capture_on_commit_callbacks):
    rma_list = draft_list(perm, size=500)  # the figure: a batch of 500 is one transaction

    def broken(*args, **kwargs):
        raise TemplateRenderError("Шаблон «Приказ об утверждении списка РМА» не заполнен: ошибка в поле {{ members }}")

    monkeypatch.setattr("documents.issuing.render_docx", broken)
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(errors.ActionError) as error:
        services.list_approve(actor=perm.users.signatory, rma_list=rma_list)
    assert "Приказ не сформирован, список не утверждён" in str(error.value)
    assert callbacks == []  # no справка queued
    assert_nothing_changed(rma_list)


def test_a_failure_after_the_number_was_taken_returns_the_number(perm, monkeypatch):
    rma_list = draft_list(perm)

    def fail(**kwargs):
        raise RuntimeError("сбой при переводе заявок")

    monkeypatch.setattr(services, "_admit_all", fail)
    with pytest.raises(RuntimeError):
        services.list_approve(actor=perm.users.signatory, rma_list=rma_list)
    assert_nothing_changed(rma_list)
    assert not NumberingRegister.objects.exists()


def test_a_changed_member_rolls_the_whole_batch_back(perm, monkeypatch):
    rma_list = draft_list(perm)
    original = services._admit_all

    def meanwhile(**kwargs):
        RmaApplication.objects.filter(pk=kwargs["applications"][0].pk).update(status=Status.QUALIFIED)
        return original(**kwargs)

    monkeypatch.setattr(services, "_admit_all", meanwhile)
    with pytest.raises(errors.ActionError, match="Состав списка изменился"):
        services.list_approve(actor=perm.users.signatory, rma_list=rma_list)
    assert not IssuedDocument.objects.exists()


def test_the_batch_is_admitted_by_one_order_and_each_member_gets_a_certificate(
    perm, django_capture_on_commit_callbacks
):
    rma_list = draft_list(perm)
    with django_capture_on_commit_callbacks(execute=True):
        services.list_approve(actor=perm.users.signatory, rma_list=rma_list, issued_on=dt.date(2026, 11, 24))
    rma_list.refresh_from_db()
    assert rma_list.status == ListStatus.APPROVED
    assert (rma_list.order_number, rma_list.order_date) == ("1/ОД", dt.date(2026, 11, 24))
    assert statuses(rma_list) == {Status.ADMITTED}
    assert set(RmaApplication.objects.values_list("admitted_on", flat=True)) == {dt.date(2026, 11, 24)}
    order = IssuedDocument.objects.get(kind=DocumentKind.RMA_LIST_ORDER)
    assert order.organization == perm.orgs.ministry and order.signatory_name == "Тарасов Андрей Викторович"
    assert len(order.data["members"]) == BATCH and {m["municipality"] for m in order.data["members"]} == {
        "Березники",
        "Кунгур",
    }
    assert NumberingRegister.objects.get(kind=DocumentKind.RMA_LIST_ORDER).next_number == 2
    certificates = IssuedDocument.objects.filter(kind=DocumentKind.RMA_CERTIFICATE)
    assert certificates.count() == BATCH
    assert set(certificates.values_list("person_id", flat=True)) == set(
        Person.objects.filter(last_name__startswith="Кандидатова").values_list("pk", flat=True)
    )
    assert certificates.first().data["order_number"] == "1/ОД"
    assert AuditEvent.objects.filter(event="rma.admitted").count() == BATCH
    assert AuditEvent.objects.filter(event="rma_list.approved").count() == 1


def test_only_the_signatory_approves(perm):
    rma_list = draft_list(perm, size=2)
    for user in (perm.users.ministry, perm.users.cnppm, perm.users.rma_coord):
        with pytest.raises(errors.ActionForbidden):
            services.list_approve(actor=user, rma_list=rma_list)
    assert_nothing_changed(rma_list)


def test_the_sign_task_stays_open_when_the_order_cannot_be_made(perm, client_as, monkeypatch):
    rma_list = draft_list(perm, size=3, status=ListStatus.DRAFT)
    RmaListFlow.start.run(rma_list=rma_list)
    prepare = Task.objects.get(flow_task=RmaListFlow.prepare)
    officer = client_as(perm.users.ministry)
    assert officer.post(links.task_action_url(prepare, "execute"), {"academic_year": "2026/2027"}).status_code == 302
    sign = Task.objects.get(flow_task=RmaListFlow.sign)

    perm.orgs.ministry.head_name = ""
    perm.orgs.ministry.save()  # no signatory known: the приказ cannot be made
    signatory = client_as(perm.users.signatory)
    response = signatory.post(links.task_action_url(sign, "execute"), {"decision": "approve", "confirm": "on"})
    assert response.status_code == 200
    assert "Приказ не сформирован" in str(response.context["form"].non_field_errors())
    sign.refresh_from_db()
    assert sign.status == "ASSIGNED"
    rma_list.refresh_from_db()
    assert rma_list.status == ListStatus.SIGNING and statuses(rma_list) == {Status.IN_DRAFT_LIST}

    perm.orgs.ministry.head_name = "Тарасов Андрей Викторович"
    perm.orgs.ministry.save()
    assert (
        signatory.post(links.task_action_url(sign, "execute"), {"decision": "approve", "confirm": "on"}).status_code
        == 302
    )
    rma_list.refresh_from_db()
    assert rma_list.status == ListStatus.APPROVED and statuses(rma_list) == {Status.ADMITTED}


def test_the_signatory_may_return_the_draft_and_the_officer_sends_it_again(perm, client_as):
    rma_list = draft_list(perm, size=2, status=ListStatus.DRAFT)
    RmaListFlow.start.run(rma_list=rma_list)
    officer, signatory = client_as(perm.users.ministry), perm.users.signatory
    officer.post(
        links.task_action_url(Task.objects.get(flow_task=RmaListFlow.prepare), "execute"),
        {"academic_year": "2026/2027"},
    )
    sign = Task.objects.get(flow_task=RmaListFlow.sign)
    response = client_as(signatory).post(
        links.task_action_url(sign, "execute"), {"decision": "return", "comment": "Уточнить основание приказа"}
    )
    assert response.status_code == 302
    rma_list.refresh_from_db()
    assert rma_list.status == ListStatus.REVISION
    again = Task.objects.filter(flow_task=RmaListFlow.prepare, status="ASSIGNED").get()
    assert again.owner == perm.users.ministry
    page = client_as(perm.users.ministry).get(links.task_action_url(again, "execute"))
    assert "Уточнить основание приказа" in page.content.decode()


class TestTheOrderReachesThoseWhoseTeachersItNames:
    """Issue 10: «a school head and the municipal coordinator can't find the приказ that lists
    their people» — the приказ is issued by the ministry, so its own scope never reached them."""

    def test_heads_and_coordinators_of_listed_teachers_see_and_download_it(self, perm, client_as):
        from django.urls import reverse

        from documents.selectors import issued_document_list
        from orgstructure.models import OrganizationKind, Role
        from tests.factories import make_organization, make_user

        rma_list = draft_list(perm, size=4)  # two teachers of СОШ № 7 (Березники), two of Кунгур
        services.list_approve(actor=perm.users.signatory, rma_list=rma_list)
        order = RmaList.objects.get(pk=rma_list.pk).order
        assert order.listed.count() == 4
        elsewhere = make_organization(
            perm.region, kind=OrganizationKind.SCHOOL, municipality=perm.berezniki, name="МАОУ «СОШ № 1» г. Березники"
        )
        other_head = make_user("other_head", role=Role.SCHOOL_HEAD, organization=elsewhere)
        for user in (perm.users.school_head, perm.users.rma_coord, perm.users.kungur_coord):
            visible = list(issued_document_list(user=user).filter(kind=order.kind))
            assert visible == [order]  # once, however many of the user's teachers it names
            response = client_as(user).get(reverse("documents:download", args=[order.pk]))
            assert response.status_code == 200
        assert not issued_document_list(user=other_head).filter(pk=order.pk).exists()
        assert client_as(other_head).get(reverse("documents:download", args=[order.pk])).status_code == 404
        listed = RmaApplication.objects.filter(rma_list=rma_list).first().person
        member = make_user("member", role=Role.TEACHER, organization=listed.organization, person=listed)
        assert list(issued_document_list(user=member).filter(kind=order.kind)) == [order]
