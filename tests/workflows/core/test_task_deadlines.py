"""Due dates on human tasks: set at creation from the node's declaration, kept in step with the
task, shown in the inbox/queue/archive (filters, sorting, keyset pages, constant query count),
and extended by an authorized official with a reason."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task

from orgstructure.models import Role
from tests.factories import make_municipality, make_organization, make_region, make_user
from workflows.core import clock, deadlines
from workflows.core.audit import history
from workflows.core.calendar import WorkCalendar, deadline_instant, local_date, timezone_label
from workflows.core.models import TaskAlarm, TaskDeadline

from .conftest import at, bulk_open_tasks, complete_task, grant_sample_permissions, start_sample

D = dt.date.fromisoformat


@pytest.mark.django_db
class TestDueDateAtCreation:
    def test_every_human_task_gets_a_row_and_it_follows_the_task(self, territory, methodist):
        authority_user = make_user("authority", role=Role.MUNI_AUTHORITY, organization=territory["authority"])
        process = start_sample(assignee=methodist, region=territory["region"], organization=territory["mms"],
                               started_at=at("2025-12-01"))
        collect = Task.objects.get(process=process, flow_task_type="HUMAN")
        row = TaskDeadline.objects.get(task=collect)
        assert (row.owner, row.status, row.is_open) == (methodist, "ASSIGNED", True)

        complete_task(collect, methodist)
        row.refresh_from_db()
        assert (row.status, row.is_open) == ("DONE", False) and row.finished is not None

        review = Task.objects.get(process=process, flow_task_type="HUMAN", status="NEW")
        review_row = TaskDeadline.objects.get(task=review)
        # inline rule: 3 working days after the day the task arrived, end of day in the region
        calendar = WorkCalendar.load()
        arrived = local_date(review.created, "Asia/Yekaterinburg")
        assert review_row.due_at == deadline_instant(calendar.add_working_days(arrived, 3), "Asia/Yekaterinburg")
        assert review_row.rule_code == "" and review_row.role == Role.MUNI_AUTHORITY
        assert review_row.owner is None and review_row.status == "NEW"
        # reminder 1 working day before, escalation 2 working days after
        assert local_date(review_row.remind_at, "Asia/Yekaterinburg") == calendar.add_working_days(
            local_date(review_row.due_at, "Asia/Yekaterinburg"), -1
        )
        assert TaskAlarm.objects.get(task=review).next_at == review_row.remind_at
        assert not TaskAlarm.objects.filter(task=collect).exists()  # done: out of the queue
        assert authority_user  # the queue test below uses the same setup

    def test_node_without_declaration_gets_a_row_without_due_date(self, territory, methodist, monkeypatch):
        from tests.workflows.core.sampleflow.flows import SampleFlow

        monkeypatch.setattr(SampleFlow, "deadlines", {})
        process = start_sample(assignee=methodist, region=territory["region"])
        row = TaskDeadline.objects.get(process=process)
        assert row.due_at is None and row.sort_due.year == 9999
        assert not TaskAlarm.objects.filter(task_id=row.task_id).exists()

    def test_a_rule_missing_from_the_profile_falls_back_to_the_nodes_working_days(
        self, territory, methodist, monkeypatch
    ):
        from tests.workflows.core.sampleflow.flows import SampleFlow

        declared = deadlines.Due(rule="no.such.rule", fallback_working_days=4, role=Role.MMS_METHODIST)
        monkeypatch.setattr(SampleFlow, "deadlines", {"collect": declared})
        process = start_sample(assignee=methodist, region=territory["region"], organization=territory["mms"])
        row = TaskDeadline.objects.get(process=process)
        arrived = local_date(row.created, "Asia/Yekaterinburg")
        assert row.due_at == deadline_instant(WorkCalendar.load().add_working_days(arrived, 4), "Asia/Yekaterinburg")
        assert row.rule_code == "no.such.rule"
        assert TaskAlarm.objects.filter(task_id=row.task_id).exists()

    def test_without_a_fallback_a_missing_rule_leaves_no_due_date(self, territory, methodist, monkeypatch):
        from tests.workflows.core.sampleflow.flows import SampleFlow

        monkeypatch.setattr(SampleFlow, "deadlines", {"collect": deadlines.Due(rule="no.such.rule")})
        process = start_sample(assignee=methodist, region=territory["region"], organization=territory["mms"])
        assert TaskDeadline.objects.get(process=process).due_at is None

    def test_a_fallback_needs_a_rule(self):
        with pytest.raises(ValueError):
            deadlines.Due(fallback_working_days=3)


@pytest.mark.django_db
class TestSubject:
    """«Кого/что касается»: the flow's optional `deadline_subject(task)`, asked once at creation."""

    def test_a_flow_without_the_hook_leaves_the_subject_blank(self, client, territory, methodist):
        from tests.workflows.core.sampleflow.flows import SampleFlow

        assert not hasattr(SampleFlow, "deadline_subject")
        process = start_sample(assignee=methodist, region=territory["region"], organization=territory["mms"])
        row = TaskDeadline.objects.get(process=process)
        assert row.subject == ""
        client.force_login(methodist)
        body = _inbox(client).content.decode()
        assert "Кого/что касается" in body
        cell = body.split(f'data-task="{row.task_id}"')[1].split("</tr>")[0].split('class="pf-subject">')[1]
        assert cell.startswith('<span class="pf-muted">—</span></td>')

    def test_the_hook_fills_the_subject_once_cut_to_the_column(self, client, territory, methodist, monkeypatch):
        from tests.workflows.core.sampleflow.flows import SampleFlow

        calls = []

        def deadline_subject(self, task):
            calls.append(task.pk)
            return "Иванова  Анна\nПетровна, " + "Школа " * 100

        monkeypatch.setattr(SampleFlow, "deadline_subject", deadline_subject, raising=False)
        process = start_sample(assignee=methodist, region=territory["region"], organization=territory["mms"])
        row = TaskDeadline.objects.get(process=process)
        assert calls == [row.task_id]
        assert row.subject.startswith("Иванова Анна Петровна, Школа Школа")
        assert len(row.subject) == TaskDeadline._meta.get_field("subject").max_length and row.subject.endswith("…")
        client.force_login(methodist)
        assert "Иванова Анна Петровна" in _inbox(client).content.decode()
        complete_task(Task.objects.get(pk=row.task_id), methodist)
        row.refresh_from_db()
        assert calls == [row.task_id, TaskDeadline.objects.get(process=process, is_open=True).task_id]
        assert row.subject.startswith("Иванова Анна")  # kept when the task closes (archive)
        archive = client.get(reverse("workflow:archive")).content.decode()
        assert "Иванова Анна Петровна" in archive


def _inbox(client, **params):
    return client.get(reverse("workflow:inbox"), params)


@pytest.mark.django_db
class TestInbox:
    def test_shows_due_dates_and_filters(self, client, territory, methodist):
        now = timezone.now()
        calendar = WorkCalendar.load()
        overdue, soon, later = (
            now - dt.timedelta(days=2),
            deadline_instant(calendar.add_working_days(timezone.localdate(), 1), "Asia/Yekaterinburg"),
            now + dt.timedelta(days=40),
        )
        rows = bulk_open_tasks(methodist, 4, due_at=[overdue, soon, later, None])
        client.force_login(methodist)

        body = _inbox(client).content.decode()
        assert "просрочено" in body and "без срока" in body and "скоро" in body
        assert body.index(f'data-task="{rows[0].task_id}"') < body.index(f'data-task="{rows[2].task_id}"')

        def shown(**params):
            page = _inbox(client, **params).content.decode()
            return {row.task_id for row in rows if f'data-task="{row.task_id}"' in page}

        assert shown(filter="overdue") == {rows[0].task_id}
        assert shown(filter="soon") == {rows[1].task_id}
        assert shown(filter="nodue") == {rows[3].task_id}
        assert shown() == {row.task_id for row in rows}

    def test_sorting_by_due_desc_and_by_arrival(self, client, methodist):
        now = timezone.now()
        rows = bulk_open_tasks(methodist, 3, due_at=[now + dt.timedelta(days=d) for d in (3, 1, 2)])
        client.force_login(methodist)
        body = _inbox(client, sort="-due").content.decode()
        positions = [body.index(f'data-task="{row.task_id}"') for row in rows]
        assert positions[0] < positions[2] < positions[1]
        body = _inbox(client, sort="created").content.decode()  # bulk rows: later index = earlier arrival
        positions = [body.index(f'data-task="{row.task_id}"') for row in rows]
        assert positions[2] < positions[1] < positions[0]

    def test_keyset_pages_cover_every_task_once(self, client, methodist, settings):
        from workflows.core import selectors

        now = timezone.now()
        # ties on the due date on purpose: the task id breaks them
        rows = bulk_open_tasks(methodist, 23, due_at=[now + dt.timedelta(days=i % 4) for i in range(23)])
        bulk_open_tasks(methodist, 4)  # and some without a due date, sorted last
        seen = []
        cursor = ""
        while True:
            page = selectors.task_list(user=methodist, box="inbox", flow_classes=_flows(), cursor=cursor, page_size=5)
            seen += [row.task_id for row in page.rows]
            if not page.next_cursor:
                break
            cursor = page.next_cursor
        assert len(seen) == len(set(seen)) == 27
        assert seen[:23] == [r.task_id for r in sorted(rows, key=lambda r: (r.due_at, r.task_id))]

    def test_next_page_link_uses_a_cursor_not_an_offset(self, client, methodist):
        bulk_open_tasks(methodist, 60, due_at=timezone.now() + dt.timedelta(days=5))
        client.force_login(methodist)
        body = _inbox(client).content.decode()
        assert 'id="next-page"' in body and "after=" in body and "page=" not in body
        next_href = body.split('id="next-page"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
        second = client.get(reverse("workflow:inbox") + next_href)
        assert second.content.decode().count("data-task=") == 10

    @pytest.mark.parametrize("count", [10, 200])
    def test_query_count_does_not_grow_with_tasks(self, client, methodist, django_assert_num_queries, count):
        bulk_open_tasks(methodist, count, due_at=timezone.now() + dt.timedelta(days=3), subject="Заявитель Тест")
        client.force_login(methodist)
        # session, user, permissions ×2, calendar overrides, the page, inbox badge, unread badge, and
        # the memberships (the menu shows «Контроль сроков» by role): constant at 10 and at 200 tasks
        with django_assert_num_queries(9):
            response = _inbox(client)
        assert response.status_code == 200
        body = response.content.decode()
        assert body.count("data-task=") == min(count, 50)
        assert body.count("Заявитель Тест") == min(count, 50)  # the subject is on the row: no query

    def test_other_users_tasks_are_not_shown(self, client, territory, methodist):
        other = make_user("other-methodist", role=Role.MMS_METHODIST, organization=territory["mms"])
        grant_sample_permissions(other)
        rows = bulk_open_tasks(methodist, 2)
        client.force_login(other)
        body = _inbox(client).content.decode()
        assert f'data-task="{rows[0].task_id}"' not in body and 'id="no-tasks"' in body

    def test_archive_lists_finished_tasks(self, client, territory, methodist):
        process = start_sample(assignee=methodist, region=territory["region"], started_at=at("2025-12-01"))
        task = Task.objects.get(process=process, flow_task_type="HUMAN")
        complete_task(task, methodist)
        client.force_login(methodist)
        assert f'data-task="{task.pk}"' in client.get(reverse("workflow:archive")).content.decode()
        assert f'data-task="{task.pk}"' not in _inbox(client).content.decode()


def _flows():
    from tests.workflows.core.sampleflow.flows import SampleFlow

    return [SampleFlow]


@pytest.mark.django_db
class TestQueue:
    def test_queue_shows_tasks_of_my_role_and_organization(self, client, territory, methodist):
        authority = make_user("authority-q", role=Role.MUNI_AUTHORITY, organization=territory["authority"])
        stranger_org = make_organization(territory["region"], municipality=territory["municipality"])
        stranger = make_user("authority-x", role=Role.MUNI_AUTHORITY, organization=stranger_org)
        for user in (authority, stranger):
            grant_sample_permissions(user)
        mine = bulk_open_tasks(None, 1, step="review", organization=territory["authority"], role=Role.MUNI_AUTHORITY)
        client.force_login(authority)
        assert f'data-task="{mine[0].task_id}"' in client.get(reverse("workflow:queue")).content.decode()
        client.force_login(stranger)
        assert f'data-task="{mine[0].task_id}"' not in client.get(reverse("workflow:queue")).content.decode()


@pytest.mark.django_db
class TestExtension:
    @pytest.fixture(autouse=True)
    def on_16_january(self):
        """The task is due on 20 January 2026: the tests run on a day before it (workflows.core.clock)."""
        with clock.set_now(at("2026-01-16")):
            yield

    def setup_task(self, territory, methodist):
        process = start_sample(assignee=methodist, region=territory["region"], organization=territory["mms"],
                               started_at=at("2025-12-01"))
        return TaskDeadline.objects.get(process=process)

    def test_authority_extends_with_reason_and_audit(self, client, territory, methodist):
        row = self.setup_task(territory, methodist)
        official = make_user("official", role=Role.MUNI_AUTHORITY, organization=territory["authority"])
        client.force_login(official)
        url = reverse("workflow:deadline_extend", args=[row.task_id])
        assert client.get(url).status_code == 200
        # 2026-01-25 is a Sunday: the new deadline moves to Monday 26 January
        response = client.post(url, {"new_due_date": "2026-01-25", "reason": "Продлено письмом № 5"})
        assert response.status_code == 302
        row.refresh_from_db()
        assert row.due_at == deadline_instant(D("2026-01-26"), "Asia/Yekaterinburg")
        assert row.original_due_at == deadline_instant(D("2026-01-20"), "Asia/Yekaterinburg")
        assert row.extension_count == 1
        alarm = TaskAlarm.objects.get(task_id=row.task_id)
        assert (alarm.due_at, alarm.stage, alarm.next_at) == (row.due_at, 0, row.remind_at)
        event = history(row).get(event="deadline.extended")
        assert event.actor == official and event.comment == "Продлено письмом № 5"

    def test_assignee_and_outsiders_get_404(self, client, territory, methodist):
        row = self.setup_task(territory, methodist)
        url = reverse("workflow:deadline_extend", args=[row.task_id])
        client.force_login(methodist)
        assert client.get(url).status_code == 404
        other_muni_org = make_organization(
            territory["region"], kind="muni_authority", municipality=make_municipality(territory["region"])
        )
        outsider = make_user("outsider", role=Role.MUNI_AUTHORITY, organization=other_muni_org)
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.get(reverse("workflow:deadline_extend", args=[999999])).status_code == 404

    def test_reason_required_and_date_must_be_later(self, territory, methodist):
        row = self.setup_task(territory, methodist)
        official = make_user("official2", role=Role.MINISTRY_OFFICER, organization=territory["authority"])
        extend = deadlines.task_deadline_extend
        with pytest.raises(deadlines.DeadlineError):
            extend(actor=official, task_id=row.task_id, new_due_date=D("2026-02-01"), reason=" ")
        with pytest.raises(deadlines.DeadlineError):
            extend(actor=official, task_id=row.task_id, new_due_date=D("2026-01-19"), reason="x")
        extended = deadlines.task_deadline_extend(
            actor=official, task_id=row.task_id, new_due_date=D("2026-02-02"), reason="x"
        )
        assert extended.due_at == deadline_instant(D("2026-02-02"), "Asia/Yekaterinburg")

    def test_a_day_already_past_is_refused_in_russian(self, client, territory, methodist):
        """An overdue task (due 20 January, today 3 February) extended to 2 February — later than
        its due date, yet still in the past — is refused; today itself is accepted."""
        row = self.setup_task(territory, methodist)
        official = make_user("official3", role=Role.MUNI_AUTHORITY, organization=territory["authority"])
        with clock.set_now(at("2026-02-03")):
            with pytest.raises(deadlines.DeadlineError, match=r"раньше сегодняшнего дня \(03\.02\.2026\)"):
                deadlines.task_deadline_extend(
                    actor=official, task_id=row.task_id, new_due_date=D("2026-02-02"), reason="письмо № 9"
                )
            client.force_login(official)
            page = client.post(
                reverse("workflow:deadline_extend", args=[row.task_id]),
                {"new_due_date": "2026-02-02", "reason": "письмо № 9"},
            )
            assert page.status_code == 200
            assert "Новый срок не может быть раньше сегодняшнего дня (03.02.2026)" in page.content.decode()
            row.refresh_from_db()
            assert row.extension_count == 0 and not history(row).filter(event="deadline.extended").exists()
            deadlines.task_deadline_extend(
                actor=official, task_id=row.task_id, new_due_date=D("2026-02-03"), reason="письмо № 9"
            )
        row.refresh_from_db()
        assert row.due_at == deadline_instant(D("2026-02-03"), "Asia/Yekaterinburg")


@pytest.mark.django_db
class TestQueueFailsClosed:
    """Defect 4: queue tasks without an organization were shown to permission holders of every
    region."""

    def test_task_without_organization_shows_only_in_its_region(self, client, territory):
        here = make_user("authority-here", role=Role.MUNI_AUTHORITY, organization=territory["authority"])
        foreign_region = make_region(name="Чужой край", code="97", timezone="Europe/Moscow")
        there = make_user("authority-there", role=Role.MUNI_AUTHORITY,
                          organization=make_organization(foreign_region, kind="muni_authority"))
        nobody = make_user("no-membership")
        superuser = get_user_model().objects.create_superuser("root", "root@example.test", "pass-Профрост-1")
        for user in (here, there, nobody):
            grant_sample_permissions(user)
        regional, homeless = bulk_open_tasks(None, 2, step="review", role=Role.MUNI_AUTHORITY)
        TaskDeadline.objects.filter(task_id=regional.task_id).update(region=territory["region"])

        def queue(user):
            client.force_login(user)
            body = client.get(reverse("workflow:queue")).content.decode()
            return {row.task_id for row in (regional, homeless) if f'data-task="{row.task_id}"' in body}

        assert queue(here) == {regional.task_id}
        assert queue(there) == set()
        assert queue(nobody) == set()
        assert queue(superuser) == {regional.task_id, homeless.task_id}


@pytest.mark.django_db
class TestLocalDatesInLists:
    """Defect 5: dates were rendered in the server's zone (Moscow): a Kaliningrad deadline of
    10.03.2026 23:59:59 read 11.03.2026."""

    def test_inbox_shows_the_regions_own_date_and_labels_times(self, client, methodist):
        kaliningrad_due = deadline_instant(D("2026-03-10"), "Europe/Kaliningrad")  # 00:59:59 on 11.03 in Moscow
        arrived = dt.datetime(2026, 3, 1, 22, 30, tzinfo=dt.UTC)  # 00:30 on 02.03 in Kaliningrad, 01:30 in Moscow
        row = bulk_open_tasks(methodist, 1, due_at=kaliningrad_due)[0]
        TaskDeadline.objects.filter(task_id=row.task_id).update(timezone="Europe/Kaliningrad", created=arrived)
        client.force_login(methodist)
        body = _inbox(client).content.decode()
        cell = body.split(f'data-task="{row.task_id}"')[1].split("</tr>")[0]
        assert "10.03.2026" in cell and "11.03.2026" not in cell
        assert "02.03.2026 00:30" in cell and "МСК−1" in cell

    def test_archive_shows_local_finish_time(self, client, methodist):
        row = bulk_open_tasks(methodist, 1, due_at=deadline_instant(D("2026-03-10"), "Asia/Yekaterinburg"))[0]
        finished = dt.datetime(2026, 3, 10, 20, 15, tzinfo=dt.UTC)  # 01:15 on 11.03 in Yekaterinburg
        TaskDeadline.objects.filter(task_id=row.task_id).update(is_open=False, status="DONE", finished=finished)
        client.force_login(methodist)
        cell = client.get(reverse("workflow:archive")).content.decode().split(f'data-task="{row.task_id}"')[1]
        assert "11.03.2026 01:15" in cell.split("</tr>")[0] and "МСК+2" in cell.split("</tr>")[0]

    def test_timezone_labels(self):
        assert [timezone_label(tz) for tz in ("Europe/Moscow", "Europe/Kaliningrad", "Asia/Yekaterinburg",
                                              "Asia/Kamchatka")] == ["МСК", "МСК−1", "МСК+2", "МСК+9"]
