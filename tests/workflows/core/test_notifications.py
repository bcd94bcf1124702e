"""Reminders, overdue notices and escalations: the state-based scan into a unique-keyed outbox
(crash and re-run safety), and delivery by e-mail and in-app with an unread badge."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.mail import get_connection
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task

from orgstructure.models import Role
from tests.factories import make_municipality, make_organization, make_user
from workflows.core import deadlines
from workflows.core.models import Notification, OutboxEmail, OutboxKind, OutboxMessage, TaskAlarm, TaskDeadline
from workflows.core.notifications import (
    EMAIL_RETRY_BASE,
    MAX_ATTEMPTS,
    _send_one,
    deliver_outbox,
    email_retry_delay,
    plan_stage,
    scan_due_notifications,
    send_pending_emails,
)

from .conftest import at, bulk_open_tasks, start_sample

NOW = dt.datetime(2026, 3, 10, 6, 0, tzinfo=dt.UTC)
H = dt.timedelta(hours=1)


def row(due, remind=None, escalate=None, stage=0):
    return TaskAlarm(due_at=due, remind_at=remind, escalate_at=escalate, stage=stage)


class TestPlanStage:
    def test_reminder_then_due_date_next(self):
        # next: the first overdue instant, one second after the due instant (calendar.overdue_from)
        assert plan_stage(row(NOW + 48 * H, NOW - H, NOW + 96 * H), NOW) == (
            1,
            ["reminder"],
            NOW + 48 * H + dt.timedelta(seconds=1),
        )

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

    def test_mail_failure_is_retried_without_touching_in_app(self, territory, methodist, monkeypatch):
        # Was test_mail_failure_rolls_back_and_is_retried: a mail failure used to roll back the
        # in-app notifications of the whole batch too. Now in-app goes out at once and only the
        # e-mail is retried (defect 1 of the review).
        self.start_overdue(territory, methodist)
        scan_due_notifications()
        from django.core.mail.backends.locmem import EmailBackend

        def broken(self, messages):
            raise ConnectionError("SMTP недоступен")

        monkeypatch.setattr(EmailBackend, "send_messages", broken)
        assert deliver_outbox(now=NOW) == 2
        assert Notification.objects.count() == 1  # escalation had no one to go to
        assert set(OutboxMessage.objects.values_list("attempts", "sent_at")) == {(1, NOW)}
        email = OutboxEmail.objects.get()
        assert (email.status, email.attempts, email.sent_at) == ("pending", 1, None)
        assert "SMTP недоступен" in email.error and email.next_attempt_at == NOW + EMAIL_RETRY_BASE
        monkeypatch.undo()
        assert deliver_outbox(now=NOW + H) == 0  # no outbox row left; the pending e-mail goes out
        assert Notification.objects.count() == 1 and len(mail.outbox) == 1
        assert OutboxEmail.objects.get().status == "sent"

    def test_beat_task_scans_and_delivers(self, territory, methodist, monkeypatch):
        from workflows.core import tasks

        # run the task bodies in-process: an eager Celery call would cache a result backend that
        # the real-worker test (tests/test_celery.py) later needs to choose for itself
        monkeypatch.setattr(tasks.deliver_notifications, "delay", tasks.deliver_notifications.run)
        self.start_overdue(territory, methodist)
        assert tasks.scan_deadlines.run()["messages"] == 2
        assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 0
        assert Notification.objects.filter(user=methodist).count() == 1


def refusing(*addresses):
    """A locmem send_messages that refuses the given recipients, as an SMTP server does."""
    import smtplib

    from django.core.mail.backends.locmem import EmailBackend

    original = EmailBackend.send_messages

    def send_messages(self, messages):
        for message in messages:
            refused = {address: (550, b"no such mailbox") for address in message.to if address in addresses}
            if refused:
                raise smtplib.SMTPRecipientsRefused(refused)
        return original(self, messages)

    return send_messages


@pytest.mark.django_db
class TestDeliveryIsolation:
    """Defect 1: one refused address used to roll back the whole batch — good recipients got the
    same letter again on every retry, nobody got the in-app notice, and the rows stuck silently."""

    def start_overdue(self, territory, methodist, head_email):
        head = make_user("authority-head", role=Role.MUNI_AUTHORITY, organization=territory["authority"])
        head.email = head_email
        head.save()
        start_sample(assignee=methodist, region=territory["region"], organization=territory["mms"],
                     started_at=at("2025-12-01"))
        assert scan_due_notifications(now=NOW).messages == 2  # overdue → methodist, escalation → head
        return head

    def test_a_refused_address_affects_only_its_own_letter(self, territory, methodist, monkeypatch, caplog):
        from django.core.mail.backends.locmem import EmailBackend

        head = self.start_overdue(territory, methodist, "refused@example.test")
        monkeypatch.setattr(EmailBackend, "send_messages", refusing("refused@example.test"))

        assert deliver_outbox(now=NOW) == 2
        # in-app: both, at once; the good letter: once
        assert set(Notification.objects.values_list("user__username", "kind")) == {
            ("methodist", "overdue"), ("authority-head", "escalation")
        }
        assert [m.to for m in mail.outbox] == [["methodist@example.test"]]
        assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 0
        bad = OutboxEmail.objects.get(user=head)
        assert (bad.status, bad.attempts) == ("pending", 1) and "refused@example.test" in bad.error
        assert OutboxEmail.objects.get(user=methodist).status == "sent"

        # retries with a growing pause, then gives up loudly; nothing else is sent again
        moment = NOW
        for attempt in range(2, MAX_ATTEMPTS + 1):
            assert deliver_outbox(now=moment) == 0
            bad.refresh_from_db()
            assert bad.attempts == attempt - 1, "no retry before its pause has passed"
            moment = bad.next_attempt_at
            with caplog.at_level("WARNING", logger="workflows.core.notifications"):
                deliver_outbox(now=moment)
            bad.refresh_from_db()
            assert bad.attempts == attempt
        assert bad.status == "failed"
        errors = [r for r in caplog.records if r.levelname == "ERROR"]
        assert len(errors) == 1 and "refused@example.test" in errors[0].getMessage()
        deliver_outbox(now=moment + dt.timedelta(days=1))
        bad.refresh_from_db()
        assert bad.attempts == MAX_ATTEMPTS
        assert len(mail.outbox) == 1 and Notification.objects.count() == 2

    def test_pauses_double(self):
        assert [email_retry_delay(n) for n in range(1, 5)] == [EMAIL_RETRY_BASE * k for k in (1, 2, 4, 8)]

    def test_mail_goes_out_after_the_delivery_transaction(self, territory, methodist, monkeypatch):
        from django.core.mail.backends.locmem import EmailBackend
        from django.db import connection

        self.start_overdue(territory, methodist, "head@example.test")
        depth_here = len(connection.atomic_blocks)  # the test's own wrapping transaction(s)
        depths = []
        original = EmailBackend.send_messages

        def spy(self, messages):
            depths.append(len(connection.atomic_blocks))
            return original(self, messages)

        monkeypatch.setattr(EmailBackend, "send_messages", spy)
        deliver_outbox(now=NOW)
        assert depths == [depth_here, depth_here]  # one letter per call, none inside a transaction

    def test_a_letter_is_claimed_once(self, territory, methodist):
        self.start_overdue(territory, methodist, "head@example.test")
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("workflows.core.notifications.send_pending_emails", lambda **kwargs: 0)
            deliver_outbox(now=NOW)  # step 1 only: as if the worker died before sending
        assert not mail.outbox and OutboxEmail.objects.filter(status="pending").count() == 2
        stale = list(OutboxEmail.objects.all())
        assert send_pending_emails(now=NOW) == 2
        # a second worker that read the same rows before the first claimed them sends nothing
        assert sum(_send_one(row, mailer=get_connection(), now=NOW) for row in stale) == 0
        assert len(mail.outbox) == 2


@pytest.mark.django_db
class TestEscalationStaysInScope:
    """Defect 6: a school without a head escalated to the heads of every other school of its
    municipality. A level counts only if the role acts over it; otherwise the chain moves up."""

    def test_headless_school_escalates_to_the_municipality_not_to_the_school_next_door(self, territory):
        school = territory["school"]
        next_door = make_organization(territory["region"], municipality=territory["municipality"])
        make_user("head-next-door", role=Role.SCHOOL_HEAD, organization=next_door)
        authority = make_user("authority-head", role=Role.MUNI_AUTHORITY, organization=territory["authority"])
        teacher = make_user("teacher", role=Role.TEACHER, organization=school)
        rows = bulk_open_tasks(teacher, 1, due_at=NOW - 72 * H, organization=school, role=Role.TEACHER)
        TaskAlarm.objects.filter(task_id=rows[0].task_id).update(escalate_at=NOW - H, next_at=NOW - 72 * H)

        scan_due_notifications(now=NOW)
        deliver_outbox(now=NOW)
        escalated = set(Notification.objects.filter(kind="escalation").values_list("user__username", flat=True))
        assert escalated == {authority.username}

    def test_the_school_own_head_comes_first(self, territory):
        school = territory["school"]
        head = make_user("own-head", role=Role.SCHOOL_HEAD, organization=school)
        make_user("authority-head", role=Role.MUNI_AUTHORITY, organization=territory["authority"])
        teacher = make_user("teacher", role=Role.TEACHER, organization=school)
        rows = bulk_open_tasks(teacher, 1, due_at=NOW - 72 * H, organization=school, role=Role.TEACHER)
        TaskAlarm.objects.filter(task_id=rows[0].task_id).update(escalate_at=NOW - H, next_at=NOW - 72 * H)

        scan_due_notifications(now=NOW)
        deliver_outbox(now=NOW)
        escalated = set(Notification.objects.filter(kind="escalation").values_list("user__username", flat=True))
        assert escalated == {head.username}
