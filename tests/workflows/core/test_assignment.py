"""Handing a task to a colleague of the same role and organization; substitutes for absent
officials. Both audited."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task

from orgstructure.models import Role
from tests.factories import make_organization, make_user
from workflows.core import assignment
from workflows.core.audit import history
from workflows.core.models import Substitution, TaskDeadline

from .conftest import at, grant_sample_permissions, start_sample


@pytest.fixture
def colleague(territory):
    user = make_user("colleague", role=Role.MMS_METHODIST, organization=territory["mms"])
    grant_sample_permissions(user)
    return user


@pytest.fixture
def admin_user(territory):
    return make_user("pd-admin", role=Role.PD_ADMIN, organization=territory["authority"])


def start(territory, methodist):
    process = start_sample(assignee=methodist, region=territory["region"], organization=territory["mms"],
                           started_at=at("2025-12-01"))
    return Task.objects.get(process=process, flow_task_type="HUMAN")


@pytest.mark.django_db
class TestReassign:
    def test_owner_hands_task_to_colleague_through_the_page(self, client, territory, methodist, colleague):
        task = start(territory, methodist)
        client.force_login(methodist)
        url = reverse("workflow:task_reassign", args=[task.pk])
        page = client.get(url).content.decode()
        assert "colleague" in page and "methodist" not in page.split("<select")[1].split("</select>")[0]
        response = client.post(url, {"colleague": colleague.pk, "reason": "Отпуск с понедельника"})
        assert response.status_code == 302
        task.refresh_from_db()
        assert task.owner == colleague and task.status == "ASSIGNED"
        assert TaskDeadline.objects.get(task=task).owner == colleague
        event = history(task).get(event="task.reassigned")
        assert event.actor == methodist and event.comment == "Отпуск с понедельника"
        assert event.data == {"from_user_id": methodist.pk, "to_user_id": colleague.pk}

    def test_only_same_role_and_organization(self, territory, methodist):
        task = start(territory, methodist)
        other_role = make_user("head", role=Role.SCHOOL_HEAD, organization=territory["mms"])
        other_org = make_user("elsewhere", role=Role.MMS_METHODIST, organization=make_organization(territory["region"]))
        for user in (other_role, other_org):
            with pytest.raises(assignment.AssignmentError):
                assignment.task_reassign(actor=methodist, task_id=task.pk, colleague=user, reason="x")

    def test_strangers_get_404_and_admin_may_move(self, client, territory, methodist, colleague, admin_user):
        task = start(territory, methodist)
        client.force_login(colleague)
        assert client.get(reverse("workflow:task_reassign", args=[task.pk])).status_code == 404
        assignment.task_reassign(actor=admin_user, task_id=task.pk, colleague=colleague, reason="Болезнь")
        task.refresh_from_db()
        assert task.owner == colleague


@pytest.mark.django_db
class TestSubstitution:
    def test_new_tasks_of_the_absent_go_to_the_substitute(self, territory, methodist, colleague, admin_user):
        today = timezone.localdate()
        substitution = assignment.substitution_create(
            actor=admin_user, absent=methodist, substitute=colleague,
            starts_on=today - dt.timedelta(days=1), ends_on=today + dt.timedelta(days=10), reason="Отпуск",
        )
        assert history(substitution).get(event="substitution.created").actor == admin_user
        task = start(territory, methodist)
        assert task.owner == colleague
        assert TaskDeadline.objects.get(task=task).owner == colleague
        event = history(task).get(event="task.substituted")
        assert (event.from_state, event.to_state) == (str(methodist.pk), str(colleague.pk))

    def test_outside_the_dates_or_cancelled_tasks_stay_with_the_official(self, territory, methodist, colleague,
                                                                        admin_user):
        today = timezone.localdate()
        assignment.substitution_create(
            actor=admin_user, absent=methodist, substitute=colleague,
            starts_on=today + dt.timedelta(days=5), ends_on=today + dt.timedelta(days=10), reason="Отпуск",
        )
        current = assignment.substitution_create(
            actor=admin_user, absent=methodist, substitute=colleague,
            starts_on=today, ends_on=today, reason="Командировка",
        )
        assignment.substitution_cancel(actor=admin_user, substitution_id=current.pk)
        assert start(territory, methodist).owner == methodist

    def test_only_administrators_and_colleagues(self, territory, methodist, colleague, admin_user):
        today = timezone.localdate()
        with pytest.raises(assignment.AssignmentError):
            assignment.substitution_create(actor=methodist, absent=methodist, substitute=colleague,
                                           starts_on=today, ends_on=today, reason="x")
        stranger = make_user("stranger", role=Role.MMS_METHODIST, organization=make_organization(territory["region"]))
        with pytest.raises(assignment.AssignmentError):
            assignment.substitution_create(actor=admin_user, absent=methodist, substitute=stranger,
                                           starts_on=today, ends_on=today, reason="x")
        assert not Substitution.objects.exists()

    def test_page_for_administrators_only(self, client, territory, methodist, colleague, admin_user):
        client.force_login(methodist)
        assert client.get(reverse("workflow:substitutions")).status_code == 404
        client.force_login(admin_user)
        today = timezone.localdate()
        response = client.post(reverse("workflow:substitutions"), {
            "absent": methodist.pk, "substitute": colleague.pk, "starts_on": today.isoformat(),
            "ends_on": (today + dt.timedelta(days=3)).isoformat(), "reason": "Отпуск",
        })
        assert response.status_code == 302
        substitution = Substitution.objects.get()
        assert "Отпуск" in client.get(reverse("workflow:substitutions")).content.decode()
        client.post(reverse("workflow:substitutions"), {"cancel": substitution.pk})
        substitution.refresh_from_db()
        assert not substitution.is_active
