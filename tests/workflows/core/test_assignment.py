"""Handing a task to a colleague of the same role and organization; substitutes for absent
officials. Both audited."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task

from orgstructure.models import Membership, Role
from tests.factories import make_organization, make_region, make_user
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


@pytest.fixture
def foreign_admin(db):
    """A regional administrator of another region."""
    region = make_region(name="Чужой край (тест)", code="98", timezone="Europe/Moscow")
    return make_user("foreign-admin", role=Role.PD_ADMIN,
                     organization=make_organization(region, kind="ministry", name="Чужое министерство"))


@pytest.mark.django_db
class TestManagersActInTheirScope:
    """Defect 3: a PD_ADMIN of one region could reassign tasks and set substitutions in another
    (the role was checked anywhere, not within its acting scope)."""

    def test_foreign_admin_cannot_reassign(self, client, territory, methodist, colleague, foreign_admin):
        task = start(territory, methodist)
        deadline = TaskDeadline.objects.get(task=task)
        assert not assignment.can_reassign(foreign_admin, deadline)
        with pytest.raises(assignment.AssignmentError):
            assignment.task_reassign(actor=foreign_admin, task_id=task.pk, colleague=colleague, reason="x")
        client.force_login(foreign_admin)
        url = reverse("workflow:task_reassign", args=[task.pk])
        assert client.get(url).status_code == 404  # as for a missing task
        assert client.post(url, {"colleague": colleague.pk, "reason": "x"}).status_code == 404
        assert client.get(reverse("workflow:task_reassign", args=[999999])).status_code == 404
        task.refresh_from_db()
        assert task.owner == methodist

    def test_admin_of_the_region_still_may(self, territory, methodist, colleague, admin_user):
        deadline = TaskDeadline.objects.get(task=start(territory, methodist))
        assert assignment.can_reassign(admin_user, deadline)

    def test_foreign_admin_cannot_set_or_cancel_substitutions(self, territory, methodist, colleague, admin_user,
                                                              foreign_admin):
        today = timezone.localdate()
        with pytest.raises(assignment.AssignmentError):
            assignment.substitution_create(actor=foreign_admin, absent=methodist, substitute=colleague,
                                           starts_on=today, ends_on=today, reason="x")
        assert not Substitution.objects.exists()
        mine = assignment.substitution_create(actor=admin_user, absent=methodist, substitute=colleague,
                                              starts_on=today, ends_on=today, reason="Отпуск")
        with pytest.raises(assignment.AssignmentError):
            assignment.substitution_cancel(actor=foreign_admin, substitution_id=mine.pk)
        mine.ends_on = today + dt.timedelta(days=30)
        with pytest.raises(assignment.AssignmentError):
            assignment.substitution_save(actor=foreign_admin, substitution=mine)
        mine.refresh_from_db()
        assert mine.is_active and mine.ends_on == today
        with pytest.raises(assignment.AssignmentError):
            assignment.substitution_cancel(actor=admin_user, substitution_id=999999)

    def test_own_people_only_even_with_a_foreign_substitute(self, territory, methodist, foreign_admin):
        # someone working both here and in the foreign region: the foreign admin reaches them,
        # but not the absent official, so the pair is refused
        both = make_user("both-regions", role=Role.MMS_METHODIST, organization=territory["mms"])
        Membership.objects.create(user=both, role=Role.MMS_METHODIST,
                                  organization=Membership.objects.get(user=foreign_admin).organization)
        today = timezone.localdate()
        with pytest.raises(assignment.AssignmentError):
            assignment.substitution_create(actor=foreign_admin, absent=methodist, substitute=both,
                                           starts_on=today, ends_on=today, reason="x")
        assert set(assignment.managed_users(foreign_admin)) == {foreign_admin, both}

    def test_substitution_page_is_scoped(self, client, territory, methodist, colleague, admin_user, foreign_admin):
        today = timezone.localdate()
        mine = assignment.substitution_create(actor=admin_user, absent=methodist, substitute=colleague,
                                              starts_on=today, ends_on=today + dt.timedelta(days=3), reason="Отпуск")
        client.force_login(foreign_admin)
        page = client.get(reverse("workflow:substitutions")).content.decode()
        assert "methodist" not in page and "Отпуск" not in page
        response = client.post(reverse("workflow:substitutions"), {
            "absent": methodist.pk, "substitute": colleague.pk, "starts_on": today.isoformat(),
            "ends_on": today.isoformat(), "reason": "Чужое",
        })
        assert response.status_code == 200 and Substitution.objects.count() == 1  # not a choice for them
        assert client.post(reverse("workflow:substitutions"), {"cancel": mine.pk}).status_code == 404
        assert client.post(reverse("workflow:substitutions"), {"cancel": 999999}).status_code == 404
        mine.refresh_from_db()
        assert mine.is_active

    def test_seeing_a_region_is_not_managing_it(self, client, territory, methodist, colleague, foreign_admin):
        # an administrator of their own region who may also *view* this one (a ЦНППМПР methodist
        # role: view = region, act = none) still may not set substitutions here
        Membership.objects.create(user=foreign_admin, role=Role.CNPPM_METHODIST,
                                  organization=make_organization(territory["region"], kind="cnppmpr"))
        client.force_login(foreign_admin)
        assert "methodist" not in client.get(reverse("workflow:substitutions")).content.decode()
        today = timezone.localdate()
        response = client.post(reverse("workflow:substitutions"), {
            "absent": methodist.pk, "substitute": colleague.pk, "starts_on": today.isoformat(),
            "ends_on": today.isoformat(), "reason": "Чужое",
        })
        assert response.status_code == 200 and not Substitution.objects.exists()


@pytest.mark.django_db
class TestSubstitutionUsesTheRegionsDate:
    """Defect 7: whether a substitution is in force was judged by Moscow's date (the server's),
    not by the date in the task's region."""

    @pytest.mark.parametrize(
        ("tz", "now", "starts_on", "ends_on"),
        [
            # 15:00 UTC: 18:00 on 10.03 in Moscow, already 03:00 on 11.03 in Kamchatka
            ("Asia/Kamchatka", dt.datetime(2026, 3, 10, 15, 0, tzinfo=dt.UTC), "2026-03-11", "2026-03-20"),
            # 21:30 UTC: 00:30 on 11.03 in Moscow, still 23:30 on 10.03 in Kaliningrad
            ("Europe/Kaliningrad", dt.datetime(2026, 3, 10, 21, 30, tzinfo=dt.UTC), "2026-03-01", "2026-03-10"),
        ],
    )
    def test_substitution_in_force_in_the_tasks_region(self, monkeypatch, tz, now, starts_on, ends_on):
        region = make_region(name=f"Регион {tz}", code=tz[-3:], timezone=tz)
        mms = make_organization(region, kind="mms", name="ММС региона")
        absent = make_user("absent-official", role=Role.MMS_METHODIST, organization=mms)
        substitute = make_user("substitute-official", role=Role.MMS_METHODIST, organization=mms)
        Substitution.objects.create(absent=absent, substitute=substitute, starts_on=dt.date.fromisoformat(starts_on),
                                    ends_on=dt.date.fromisoformat(ends_on), reason="Отпуск")
        monkeypatch.setattr(timezone, "now", lambda: now)

        process = start_sample(assignee=absent, region=region, organization=mms, started_at=now)
        assert Task.objects.get(process=process, flow_task_type="HUMAN").owner == substitute

    def test_no_substitution_nearby_costs_one_query(self, territory, methodist, django_assert_num_queries):
        from workflows.core.deadlines import on_task_pre_save

        task = Task(flow_task_type="HUMAN", owner=methodist)
        with django_assert_num_queries(1):
            on_task_pre_save(Task, task)
        assert task.owner == methodist
