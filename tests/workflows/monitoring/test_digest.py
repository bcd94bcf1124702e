"""Issue 12 §6: reminders before the collection deadline and escalation after it come from the
kit's deadline machinery (TaskAlarm → outbox → delivery) as ONE digest per official per day —
the municipality's authority gets one letter listing every late school, not one per school."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from orgstructure.models import OrganizationKind, Role
from tests.factories import make_organization, make_user
from workflows.core.models import Digest, DigestLine, Notification, OutboxKind, OutboxMessage, TaskAlarm, TaskDeadline
from workflows.core.notifications import deliver_outbox, scan_due_notifications
from workflows.monitoring.models import Submission
from workflows.monitoring.opening import campaign_open

pytestmark = pytest.mark.django_db
PERM = ZoneInfo("Asia/Yekaterinburg")


def _local(day, hour):
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=PERM)


@pytest.fixture
def late(world, settings):
    """Березники's three schools all late: due yesterday, escalation due this morning."""
    settings.PROFROST_DIGEST_HOUR = 8
    authority_org = make_organization(world.region, kind=OrganizationKind.MUNI_AUTHORITY,
                                      municipality=world.berezniki, name="УО Березники")
    world.authority = make_user("uo", role=Role.MUNI_AUTHORITY, organization=authority_org)
    world.authority.email = "uo@example.org"
    world.authority.save()
    campaign_open(actor=world.official, campaign=world.campaign)
    ids = list(Submission.objects.filter(campaign=world.campaign).values_list("pk", flat=True))
    deadlines = TaskDeadline.objects.filter(process__artifact_object_id__in=ids, is_open=True)
    world.today = dt.date(2027, 1, 21)
    due = _local(world.today - dt.timedelta(days=1), 23).replace(minute=59, second=59)
    deadlines.update(due_at=due)
    TaskAlarm.objects.filter(task_id__in=deadlines.values("task_id")).update(
        due_at=due, remind_at=None, escalate_at=_local(world.today, 0), stage=0, next_at=due)
    return world


def test_the_authority_gets_one_digest_of_all_late_schools_per_day(late):
    w = late
    night = _local(w.today, 3)
    scan_due_notifications(now=night)
    deliver_outbox(now=night)  # before DIGEST_HOUR: the lines wait
    assert OutboxMessage.objects.filter(kind=OutboxKind.ESCALATION).count() == 3  # the kit's machinery, per task
    assert DigestLine.objects.filter(user=w.authority, kind=OutboxKind.ESCALATION).count() == 3
    assert not Notification.objects.filter(user=w.authority).exists() and not mail.outbox

    morning = _local(w.today, 9)
    deliver_outbox(now=morning)
    notices = list(Notification.objects.filter(user=w.authority))
    assert len(notices) == 1 and notices[0].kind == OutboxKind.DIGEST
    assert notices[0].title == "Сводка по срокам — Просрочено у подчинённых организаций: 3"
    for school in w.schools:
        assert school.name in notices[0].body
    letters = [m for m in mail.outbox if m.to == ["uo@example.org"]]
    assert len(letters) == 1 and all(s.name in letters[0].body for s in w.schools)

    # the school heads too get one digest each (their overdue notice), not one letter per message
    assert Notification.objects.filter(user=w.head, kind=OutboxKind.DIGEST).count() == 1
    assert not Notification.objects.filter(kind__in=(OutboxKind.OVERDUE, OutboxKind.ESCALATION)).exists()

    deliver_outbox(now=_local(w.today, 15))  # again the same day: nothing new
    assert Notification.objects.filter(user=w.authority).count() == 1
    assert Digest.objects.filter(user=w.authority).count() == 1


def test_a_line_after_the_days_digest_waits_for_tomorrows(late):
    w = late
    scan_due_notifications(now=_local(w.today, 3))
    deliver_outbox(now=_local(w.today, 9))
    from workflows.core.notifications import compose_digests

    first = DigestLine.objects.filter(user=w.authority).first()
    DigestLine.objects.create(outbox=first.outbox, user=w.head, kind=OutboxKind.REMINDER, text="ещё одна",
                              timezone="Asia/Yekaterinburg")  # the head already had today's
    assert compose_digests(now=_local(w.today, 18)) == 0
    assert compose_digests(now=_local(w.today + dt.timedelta(days=1), 8)) == 1
    assert Notification.objects.filter(user=w.head, kind=OutboxKind.DIGEST).count() == 2
