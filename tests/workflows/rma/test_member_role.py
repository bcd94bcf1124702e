"""The register is the asset: a signed приказ gives each member with an account the role «Член РМА»
(Membership at their school, carrying the application's subjects) in the same transaction,
audited; exclusion after a confirmed lapse takes it away; a failed approval grants nothing."""

import datetime as dt

import pytest

from orgstructure import memberships
from orgstructure.models import Membership, Role
from tests.factories import make_user
from workflows.core.models import AuditEvent
from workflows.rma import services
from workflows.rma.models import RmaApplication, RmaEvent, Status

from .conftest import today
from .test_batch import draft_list

pytestmark = pytest.mark.django_db


def with_accounts(rma_list):
    """Give every candidate on the list a user account (Person.user)."""
    users = {}
    for application in rma_list.applications.select_related("person"):
        users[application.pk] = make_user(person=application.person)
    return users


def test_approval_grants_the_role_with_the_school_and_the_subjects(perm):
    rma_list = draft_list(perm, size=4)
    users = with_accounts(rma_list)
    services.list_approve(actor=perm.users.signatory, rma_list=rma_list)
    rma_list.refresh_from_db()
    for application in rma_list.applications.select_related("person__organization").prefetch_related("subjects"):
        membership = Membership.objects.get(user=users[application.pk], role=Role.RMA_MEMBER)
        assert membership.is_active
        assert membership.organization == application.person.organization
        assert set(membership.subjects.all()) == set(application.subjects.all())
        assert rma_list.order_number in membership.basis
        granted = AuditEvent.objects.for_object(membership).get()
        assert granted.event == memberships.MembershipEvent.GRANTED
        assert granted.actor == perm.users.signatory
    # ИОМ's question, answered from orgstructure alone: the math members of Березники
    math_in_berezniki = memberships.holders(Role.RMA_MEMBER).filter(
        organization__municipality=perm.berezniki, subjects=perm.subjects.math
    )
    expected = rma_list.applications.filter(
        person__organization__municipality=perm.berezniki, subjects=perm.subjects.math
    ).values_list("person__user_id", flat=True)
    assert sorted(m.user_id for m in math_in_berezniki) == sorted(expected)


def test_a_failure_after_the_grant_takes_the_role_back_with_the_whole_approval(perm, monkeypatch):
    rma_list = draft_list(perm, size=3)
    with_accounts(rma_list)
    real = services.record_event

    def fail_on_admission(**kwargs):
        if kwargs["event"] == RmaEvent.ADMITTED:
            raise RuntimeError("сбой после назначения роли")
        return real(**kwargs)

    monkeypatch.setattr(services, "record_event", fail_on_admission)
    with pytest.raises(RuntimeError):
        services.list_approve(actor=perm.users.signatory, rma_list=rma_list)
    assert not Membership.objects.filter(role=Role.RMA_MEMBER).exists()
    assert set(rma_list.applications.values_list("status", flat=True)) == {Status.IN_DRAFT_LIST}


def test_a_member_without_an_account_gets_the_role_when_it_is_linked(perm):
    rma_list = draft_list(perm, size=2)
    services.list_approve(actor=perm.users.signatory, rma_list=rma_list)
    assert not Membership.objects.filter(role=Role.RMA_MEMBER).exists()
    application = rma_list.applications.first()
    user = make_user(person=application.person)
    assert services.member_roles_sync() == {"granted": 1, "revoked": 0}
    assert Membership.objects.get(user=user, role=Role.RMA_MEMBER).is_active
    assert services.member_roles_sync() == {"granted": 0, "revoked": 0}


def test_exclusion_after_a_confirmed_lapse_takes_the_role_away(perm):
    rma_list = draft_list(perm, size=2)
    users = with_accounts(rma_list)
    services.list_approve(actor=perm.users.signatory, rma_list=rma_list)
    member = rma_list.applications.filter(person__organization=perm.orgs.school).first()
    person = member.person
    person.category_valid_until = today(perm.region) - dt.timedelta(days=1)
    person.save()
    services.membership_flag(application=member, on_date=today(perm.region))
    member.refresh_from_db()
    assert member.status == Status.UNDER_REVIEW
    # on review the member keeps the role until the coordinator decides
    assert Membership.objects.get(user=users[member.pk], role=Role.RMA_MEMBER).is_active

    services.membership_exclude(
        actor=perm.users.rma_coord, application=member, reason="Высшая категория истекла, аттестация не пройдена"
    )
    membership = Membership.objects.get(user=users[member.pk], role=Role.RMA_MEMBER)
    assert not membership.is_active
    assert "Исключена из РМА" in membership.basis
    revoked = AuditEvent.objects.for_object(membership).order_by("id").last()
    assert revoked.event == memberships.MembershipEvent.REVOKED and revoked.actor == perm.users.rma_coord
    # the other member keeps hers; the role and the register agree
    other = RmaApplication.objects.filter(rma_list=rma_list).exclude(pk=member.pk).get()
    assert Membership.objects.get(user=users[other.pk], role=Role.RMA_MEMBER).is_active
    assert services.member_roles_sync() == {"granted": 0, "revoked": 0}


def test_the_sync_takes_the_role_from_someone_outside_the_register(perm):
    stray = make_user(role=Role.RMA_MEMBER, organization=perm.orgs.school)
    assert services.member_roles_sync() == {"granted": 0, "revoked": 1}
    assert not Membership.objects.get(user=stray, role=Role.RMA_MEMBER).is_active
