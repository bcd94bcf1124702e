"""Reminders, overdue notices and escalations: the state-based scan into a unique-keyed outbox
(crash and re-run safety), and delivery by e-mail and in-app with an unread badge."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task

from orgstructure.models import Role
from tests.factories import make_municipality, make_organization, make_user
from workflows.core import deadlines
from workflows.core.models import Notification, OutboxKind, OutboxMessage, TaskAlarm, TaskDeadline
from workflows.core.notifications import deliver_outbox, plan_stage, scan_due_notifications

from .conftest import at, bulk_open_tasks, start_sample

NOW = dt.datetime(2026, 3, 10, 6, 0, tzinfo=dt.UTC)
H = dt.timedelta(hours=1)


def row(due, remind=None, escalate=None, stage=0):
    return TaskAlarm(due_at=due, remind_at=remind, escalate_at=escalate, stage=stage)


class TestPlanStage:
    def test_reminder_then_due_date_next(self):
        assert plan_stage(row(NOW + 48 * H, NOW - H, NOW + 96 * H), NOW) == (1, ["reminder"], NOW + 48 * H)

    def test_nothing_yet(self):
        assert plan_stage(row(NOW + 48 * H, NOW + H, NOW + 96 * H), NOW) == (0, [], NOW + H)

    def test_overdue_skips_the_stale_reminder_and_waits_for_escalation(self):
        assert plan_stage(row(NOW - H, NOW - 48 * H, NOW + 48 * H), NOW) == (2, ["overdue"], NOW + 48 * H)

    def test_overdue_and_escalation_at_once(self):
        assert plan_stage(row(NOW - 96 * H, None, NOW - H), NOW) == (3, ["overdue", "escalation"], None)

    def test_after_escalation_nothing_more(self):
        assert plan_stage(row(NOW - 96 * H, None, NOW - H, stage=3), NOW) == (3, [], None)


def overdue_tasks(owner, count):
    rows = bulk_open_tasks(owner, count, due_at=NOW - 72 * H)
    TaskAlarm.objects.filter(task_id__in=[r.task_id for r in rows]).update(escalate_at=NOW - H, next_at=NOW - 72 * H)
    return rows


def keys():
    return list(OutboxMessage.objects.values_list("task_id", "kind", "due_at"))


@pytest.mark.django_db
class TestScanReliability:
    def test_crash_mid_scan_then_rerun_leaves_exactly_one_row_per_task_and_kind(self, methodist):
        rows = overdue_tasks(methodist, 25)

        def crash(batch_number):
            if batch_number == 2:
                raise RuntimeError("worker killed")

        with pytest.raises(RuntimeError):
            scan_due_notifications(now=NOW, batch_size=10, after_batch=crash)
        assert OutboxMessage.objects.count() == 20  # batch 1 committed, batch 2 rolled back whole

        result = scan_due_notifications(now=NOW, batch_size=10)
        assert result.tasks == 15
        assert len(keys()) == len(set(keys())) == 50
        assert {(task_id, kind) for task_id, kind, _ in keys()} == {
            (r.task_id, kind) for r in rows for kind in (OutboxKind.OVERDUE, OutboxKind.ESCALATION)
        }

        again = scan_due_notifications(now=NOW, batch_size=10)
        assert (again.tasks, again.messages) == (0, 0)
        assert OutboxMessage.objects.count() == 50

    def test_lost_state_update_or_second_beat_never_duplicates(self, methodist):
        overdue_tasks(methodist, 7)
        scan_due_notifications(now=NOW, batch_size=3)
        # as if the alarm update had been lost, or another beat had read the same rows
        assert not TaskAlarm.objects.exists()  # escalated: nothing left to send
        TaskAlarm.objects.bulk_create(
            [TaskAlarm(task_id=d.task_id, due_at=d.due_at, escalate_at=NOW - H, next_at=NOW - 72 * H)
             for d in TaskDeadline.objects.all()]
        )
        result = scan_due_notifications(now=NOW, batch_size=3)
        assert result.messages == 14
        assert OutboxMessage.objects.count() == 14 and len(set(keys())) == 14

    def test_closed_tasks_are_not_scanned(self, methodist):
        rows = overdue_tasks(methodist, 3)
        task = Task.objects.get(pk=rows[0].task_id)
        task.status, task.finished = "DONE", timezone.now()
        task.save()  # the task's post_save takes it out of the queue
        assert scan_due_notifications(now=NOW).tasks == 2

    def test_reminder_then_overdue_over_time(self, methodist):
        rows = bulk_open_tasks(methodist, 1, due_at=NOW + 48 * H)
        TaskAlarm.objects.filter(task_id=rows[0].task_id).update(remind_at=NOW - H, next_at=NOW - H)
        scan_due_notifications(now=NOW)
        scan_due_notifications(now=NOW + H)  # nothing new
        scan_due_notifications(now=NOW + 49 * H)
        assert sorted(kind for _, kind, _ in keys()) == ["overdue", "reminder"]


@pytest.mark.django_db
class TestDelivery:
    def start_overdue(self, territory, methodist):
        # started 1 December 2025: data due 20 January 2026, long past — overdue and escalated
        process = start_sample(assignee=methodist, region=territory["region"], organization=territory["mms"],
                               started_at=at("2025-12-01"))
        return TaskDeadline.objects.get(process=process)

    def test_overdue_notice_to_assignee_and_escalation_to_supervising_role(self, client, territory, methodist):
        head = make_user("authority-head", role=Role.MUNI_AUTHORITY, organization=territory["authority"])
        head.email = "head@example.test"
        head.save()
        elsewhere = make_organization(territory["region"], kind="muni_authority",
                                      municipality=make_municipality(territory["region"]))
        make_user("authority-elsewhere", role=Role.MUNI_AUTHORITY, organization=elsewhere)
        deadline = self.start_overdue(territory, methodist)

        result = scan_due_notifications()
        assert result.messages == 2
        assert deliver_outbox() == 2

        kinds = dict(Notification.objects.values_list("kind", "user__username"))
        assert kinds == {"overdue": "methodist", "escalation": "authority-head"}
        subjects = sorted(message.subject for message in mail.outbox)
        assert subjects[0].startswith("Уведомление о нарушении срока") and subjects[1].startswith("Эскалация")
        assert {tuple(m.to) for m in mail.outbox} == {("methodist@example.test",), ("head@example.test",)}
        assert "20.01.2026" in mail.outbox[0].body and f"/{deadline.task_id}/" in mail.outbox[0].body
        assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 0

        # delivered once only
        assert scan_due_notifications().messages == 0 and deliver_outbox() == 0
        assert len(mail.outbox) == 2

        client.force_login(methodist)
        body = client.get(reverse("workflow:inbox")).content.decode()
        assert re.search(r'id="menu-unread-count"[^>]*>1</span>', body)
        client.post(reverse("workflow:notifications_read"))
        assert 'id="menu-unread-count"' not in client.get(reverse("workflow:inbox")).content.decode()

    def test_extended_or_closed_tasks_skip_stale_messages(self, territory, methodist):
        deadline = self.start_overdue(territory, methodist)
        official = make_user("official-n", role=Role.MUNI_AUTHORITY, organization=territory["authority"])
        scan_due_notifications()
        deadlines.task_deadline_extend(
            actor=official, task_id=deadline.task_id, new_due_date=timezone.localdate() + dt.timedelta(days=30),
            reason="продлено",
        )
        assert deliver_outbox() == 2
        assert set(OutboxMessage.objects.values_list("result", flat=True)) == {"пропущено: срок изменён"}
        assert Notification.objects.count() == 0 and len(mail.outbox) == 0

    def test_mail_failure_rolls_back_and_is_retried(self, territory, methodist, monkeypatch):
        self.start_overdue(territory, methodist)
        scan_due_notifications()
        from django.core.mail.backends.locmem import EmailBackend

        def broken(self, messages):
            raise ConnectionError("SMTP недоступен")

        monkeypatch.setattr(EmailBackend, "send_messages", broken)
        assert deliver_outbox() == 0
        assert Notification.objects.count() == 0
        assert set(OutboxMessage.objects.values_list("attempts", "sent_at")) == {(1, None)}
        monkeypatch.undo()
        assert deliver_outbox() == 2
        assert Notification.objects.count() == 1 and len(mail.outbox) == 1  # escalation had no one to go to

    def test_beat_task_scans_and_delivers(self, territory, methodist, monkeypatch):
        from workflows.core import tasks

        # run the task bodies in-process: an eager Celery call would cache a result backend that
        # the real-worker test (tests/test_celery.py) later needs to choose for itself
        monkeypatch.setattr(tasks.deliver_notifications, "delay", tasks.deliver_notifications.run)
        self.start_overdue(territory, methodist)
        assert tasks.scan_deadlines.run()["messages"] == 2
        assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 0
        assert Notification.objects.filter(user=methodist).count() == 1
