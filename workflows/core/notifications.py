"""Reminders, overdue notices and escalations: a state-based scan writes due notifications to the
outbox, a sender delivers them by e-mail and in-app.

Scan. Each open task with a due date has a `TaskAlarm` row: the instant of its next notification
(reminder → due date → escalation), under one index. A run reads the alarms whose instant has
passed, in batches; per batch, in one transaction, it inserts the outbox rows with ON CONFLICT DO
NOTHING over the unique key (task, kind, due date) and advances each alarm (or deletes it when
nothing is left to send). So:
- a worker killed mid-batch rolls the whole batch back and the next run redoes it;
- two beats, or a state update lost after the outbox rows committed, meet the unique key and
  write nothing twice;
- a run with nothing due reads one empty index range.

Delivery runs in two steps, so that nothing outside the database happens inside a transaction.
1. Per batch, in one transaction: take undelivered outbox rows under a row lock (SKIP LOCKED on
   PostgreSQL), resolve the recipients, create the in-app notifications (unique per outbox row
   and user) and one `OutboxEmail` row per recipient with an address, and mark the outbox row
   delivered. In-app notifications are therefore created exactly once. A message whose task has
   closed, or whose due date has moved since, is marked skipped instead.
2. After that has committed: send the pending e-mails one by one. Each is claimed by a
   conditional UPDATE (so two workers never send the same row), sent, and marked sent; a
   failure counts an attempt on that row only and retries it after a growing pause
   (`EMAIL_RETRY_BASE` × 2ⁿ); after `MAX_ATTEMPTS` the row is marked failed and an error logged.
   E-mail is at-least-once: a worker killed between sending and marking resends that one letter,
   with the same Message-ID (`message_id`), so the copy is recognisable.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.urls import NoReverseMatch, get_resolver, reverse
from django.utils import timezone
from viewflow.workflow.fields import import_flow_by_ref, import_task_by_ref

from orgstructure import access
from orgstructure.models import Membership, Role

from .calendar import WorkCalendar, is_overdue, local_date, overdue_from, overdue_working_days
from .models import (
    Digest,
    DigestLine,
    Notification,
    OutboxEmail,
    OutboxKind,
    OutboxMessage,
    ProcessDeadline,
    TaskAlarm,
    TaskDeadline,
)

logger = logging.getLogger(__name__)

SCAN_BATCH = 2000
DELIVERY_BATCH = 200
MAX_ATTEMPTS = 5
# The pause before the n-th retry of an e-mail is EMAIL_RETRY_BASE × 2ⁿ⁻¹ (5, 10, 20, 40 minutes),
# which spans a mail server's usual restart; beat runs the delivery every 5 minutes.
EMAIL_RETRY_BASE = dt.timedelta(minutes=5)
Stage = TaskAlarm.Stage

# The role above each role, for escalation, unless the regional profile says otherwise
# (RegulationProfile.escalation_map) or the node names one (Due.escalation_role).
DEFAULT_SUPERVISOR_ROLES = {
    Role.TEACHER: Role.SCHOOL_HEAD,
    Role.SCHOOL_HEAD: Role.MUNI_AUTHORITY,
    Role.MMS_METHODIST: Role.MUNI_AUTHORITY,
    Role.RMA_MEMBER: Role.RMA_MUNI_COORDINATOR,
    Role.RMA_MUNI_COORDINATOR: Role.CNPPM_COORDINATOR,
    Role.MUNI_AUTHORITY: Role.MINISTRY_OFFICER,
    Role.CNPPM_METHODIST: Role.CNPPM_COORDINATOR,
    Role.CNPPM_COORDINATOR: Role.MINISTRY_OFFICER,
    Role.COPMKP_ASSESSOR: Role.CNPPM_COORDINATOR,
    Role.IRO_STAFF: Role.MINISTRY_OFFICER,
    Role.MINISTRY_OFFICER: Role.MINISTRY_SIGNATORY,
}


@dataclass
class ScanResult:
    batches: int = 0
    tasks: int = 0
    messages: int = 0  # outbox rows offered; conflicts (already written) are silently skipped


def plan_stage(alarm, now: dt.datetime) -> tuple[int, list[str], dt.datetime | None]:
    """(new stage, notification kinds due now, next instant or None) for one alarm. A task first
    seen after its due date gets the overdue notice without a stale reminder."""
    stage, kinds = alarm.stage, []
    if not is_overdue(alarm.due_at, now):
        if stage < Stage.REMINDED and alarm.remind_at is not None and alarm.remind_at <= now:
            kinds.append(OutboxKind.REMINDER)
            stage = Stage.REMINDED
    else:
        if stage < Stage.OVERDUE:
            kinds.append(OutboxKind.OVERDUE)
            stage = Stage.OVERDUE
        if stage < Stage.ESCALATED and alarm.escalate_at is not None and alarm.escalate_at <= now:
            kinds.append(OutboxKind.ESCALATION)
            stage = Stage.ESCALATED
    if stage < Stage.REMINDED and alarm.remind_at is not None and alarm.remind_at > now:
        next_at = alarm.remind_at
    elif stage < Stage.OVERDUE:
        next_at = overdue_from(alarm.due_at)
    elif stage < Stage.ESCALATED and alarm.escalate_at is not None:
        next_at = alarm.escalate_at
    else:
        next_at = None
    return stage, kinds, next_at


class _Alarm(NamedTuple):
    task_id: int
    due_at: dt.datetime
    remind_at: dt.datetime | None
    escalate_at: dt.datetime | None
    stage: int


def _due_alarms(now: dt.datetime, batch_size: int) -> list[_Alarm]:
    queryset = TaskAlarm.objects.filter(next_at__lte=now).order_by("next_at", "task_id")
    if connection.features.has_select_for_update_skip_locked:
        queryset = queryset.select_for_update(skip_locked=True)
    rows = queryset.values_list("task_id", "due_at", "remind_at", "escalate_at", "stage")[:batch_size]
    return [_Alarm(*row) for row in rows]


def _insert_outbox(rows: list[tuple[int, str, dt.datetime]], now: dt.datetime) -> None:
    """INSERT … ON CONFLICT DO NOTHING over the unique key: one statement per batch."""
    if not rows:
        return
    table = OutboxMessage._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO {table} (task_id, kind, due_at, created_at, attempts, result) "
                "SELECT t, k, d, %s, 0, '' FROM unnest(%s::bigint[], %s::varchar[], %s::timestamptz[]) AS x(t, k, d) "
                "ON CONFLICT (task_id, kind, due_at) DO NOTHING",
                [now, [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]],
            )
        else:
            cursor.executemany(
                f"INSERT INTO {table} (task_id, kind, due_at, created_at, attempts, result) "
                "VALUES (%s, %s, %s, %s, 0, '') ON CONFLICT (task_id, kind, due_at) DO NOTHING",
                [(task_id, kind, due, now) for task_id, kind, due in rows],
            )


def scan_due_notifications(*, now: dt.datetime | None = None, batch_size: int = SCAN_BATCH,
                           after_batch=None) -> ScanResult:
    """Write every notification that has come due to the outbox. `after_batch(n)` is called
    inside each batch's transaction after its writes (tests use it to simulate a crash)."""
    now = now or timezone.now()
    result = ScanResult()
    while True:
        with transaction.atomic():
            alarms = _due_alarms(now, batch_size)
            if not alarms:
                break
            messages = []
            finished: list[int] = []
            groups: dict[tuple[int, dt.datetime], list[int]] = defaultdict(list)
            for alarm in alarms:
                stage, kinds, next_at = plan_stage(alarm, now)
                messages += [(alarm.task_id, kind, alarm.due_at) for kind in kinds]
                if next_at is None:
                    finished.append(alarm.task_id)
                else:
                    groups[(stage, next_at)].append(alarm.task_id)
            _insert_outbox(messages, now)
            if finished:
                TaskAlarm.objects.filter(task_id__in=finished).delete()
            for (stage, next_at), task_ids in groups.items():
                TaskAlarm.objects.filter(task_id__in=task_ids).update(stage=stage, next_at=next_at)
            result.batches += 1
            result.tasks += len(alarms)
            result.messages += len(messages)
            if after_batch is not None:
                after_batch(result.batches)
    return result


# --- delivery ----------------------------------------------------------------------------------


def supervisor_role(deadline: TaskDeadline, escalation_map: dict) -> str:
    return (
        deadline.escalation_role
        or (escalation_map or {}).get(deadline.role, "")
        or DEFAULT_SUPERVISOR_ROLES.get(deadline.role, "")
    )


def next_supervisor_role(role: str, escalation_map: dict) -> str:
    """The role above `role`: the regional profile's map first, then the default chain."""
    return (escalation_map or {}).get(role, "") or DEFAULT_SUPERVISOR_ROLES.get(role, "")


class _Recipients:
    """Resolves and caches, for one delivery batch, who receives what."""

    def __init__(self):
        self.cache: dict[tuple, list] = {}

    def role_holders(self, role: str, organization_id: int | None) -> list:
        key = ("org", role, organization_id)
        if key not in self.cache:
            self.cache[key] = list(_users(Membership.objects.filter(role=role, organization_id=organization_id)))
        return self.cache[key]

    def supervisors(self, role: str, deadline: TaskDeadline, escalation_map: dict | None = None) -> list:
        """Holders of `role` nearest to the task who act over it; when there are none, the same
        search for the role above it (escalation_map, then the default chain)."""
        seen = set()
        while role and role not in seen:
            seen.add(role)
            found = self._holders_over(role, deadline)
            if found:
                return found
            role = next_supervisor_role(role, escalation_map or {})
        return []

    def _holders_over(self, role: str, deadline: TaskDeadline) -> list:
        """Holders of `role` at the nearest level — the task's organization, its municipality,
        the regional bodies of its region — whose acting scope (orgstructure.access.ROLE_SCOPES)
        reaches that level. A school head acts over their own school only, so a school without
        a head is never escalated to the head of the school next door."""
        key = ("sup", role, deadline.organization_id, deadline.municipality_id, deadline.region_id)
        if key in self.cache:
            return self.cache[key]
        scope = access.ROLE_SCOPES.get(role)
        reach = scope.act if scope is not None else access.Level.NONE
        memberships = Membership.objects.filter(role=role, is_active=True)
        levels = []
        if deadline.organization_id and reach >= access.Level.ORGANIZATION:
            levels.append(memberships.filter(organization_id=deadline.organization_id))
        if deadline.municipality_id and reach >= access.Level.MUNICIPALITY:
            levels.append(memberships.filter(organization__municipality_id=deadline.municipality_id))
        if deadline.region_id and reach >= access.Level.REGION:
            levels.append(
                memberships.filter(organization__region_id=deadline.region_id, organization__municipality__isnull=True)
            )
        found: list = []
        for level in levels:
            found = list(_users(level))
            if found:
                break
        self.cache[key] = found
        return found


def _users(memberships):
    user_ids = memberships.filter(is_active=True).values("user_id")
    return get_user_model().objects.filter(pk__in=user_ids, is_active=True).order_by("pk")


def _display(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else "не назначен"


def task_path(node, deadline: TaskDeadline) -> str:
    """The task's page. Outside a request (a Celery worker) the URLconf is loaded first: flow
    URL namespaces exist only once the site has been built."""
    if node is None:
        return ""
    get_resolver().url_patterns  # noqa: B018 — imports ROOT_URLCONF, which builds the site
    try:
        return node.reverse("index", args=[deadline.process_id, deadline.task_id])
    except NoReverseMatch:
        return ""


def compose(message: OutboxMessage, deadline: TaskDeadline, *, overdue_days: int = 0) -> tuple[str, str, str]:
    """(title, body, path) of a notification, in Russian."""
    node = import_task_by_ref(deadline.flow_task)
    flow_class = import_flow_by_ref(deadline.flow_class)
    step = (node.task_title or node.name) if node else deadline.flow_task
    # A flow about an artefact names it (TaskDeadline.subject: its own number and whom it concerns,
    # e.g. «Заявка № 12: Голубев Максим Юрьевич, …»); the process's number only where it does not.
    title_of_process = flow_class.process_title if flow_class else deadline.flow_class
    if deadline.subject:
        process = f"{title_of_process}: {deadline.subject}"
    else:
        process = f"{title_of_process} №{deadline.process_id}"
    due = f"{local_date(message.due_at, deadline.timezone):%d.%m.%Y}"
    path = task_path(node, deadline)
    where = f" ({deadline.organization})" if deadline.organization_id else ""
    if message.kind == OutboxKind.REMINDER:
        title = f"Напоминание: срок шага «{step}» — {due}"
        body = (
            f"Срок выполнения шага «{step}» процесса «{process}» истекает {due} "
            "в 23:59 по местному времени."
        )
    elif message.kind == OutboxKind.OVERDUE:
        title = f"Уведомление о нарушении срока: «{step}»"
        body = (
            f"Срок выполнения шага «{step}» процесса «{process}» истёк {due}; шаг не выполнен. "
            "Выполните его как можно скорее или обратитесь к руководителю за продлением срока."
        )
    else:
        # The supervisor does not act on the task: the notice leads to the process's page.
        from .selectors import process_page_url

        path = process_page_url(flow_class, deadline.process_id) or path
        title = f"Эскалация: просрочен шаг «{step}»{where}"
        body = (
            f"Шаг «{step}» процесса «{process}»{where} просрочен на {overdue_days} раб. дн. (срок — {due}). "
            f"Исполнитель: {_display(deadline.owner)}. Уведомление направлено вам как руководителю."
        )
    return title, body, path


def escalation_path(user, deadline: TaskDeadline, path: str) -> str:
    """Where an escalation leads its recipient: the process's page if they may open it, else the
    overdue report (a supervisor watches deadlines of cases they do not all handle, 152-ФЗ)."""
    from .flowkit.routing import visible_process_ids

    flow_class = import_flow_by_ref(deadline.flow_class)
    if flow_class is not None and deadline.process_id in visible_process_ids(user, flow_class, [deadline.process_id]):
        return path
    try:
        return reverse("workflow:overdue")
    except NoReverseMatch:
        return path


def deliver_outbox(*, batch_size: int = DELIVERY_BATCH, now: dt.datetime | None = None) -> int:
    """Deliver undelivered outbox rows; returns how many rows were processed. A job entry point:
    call it outside a transaction, since the e-mails of step 2 go out after step 1 has committed."""
    now = now or timezone.now()
    processed = 0
    while True:
        with transaction.atomic():
            count = _deliver_batch(batch_size=batch_size, now=now)
        processed += count
        if count < batch_size:
            break
    compose_digests(now=now)
    send_pending_emails(now=now, batch_size=batch_size)
    return processed


def _deliver_batch(*, batch_size: int, now: dt.datetime) -> int:
    """Step 1: in-app notifications and the e-mails to send, for one batch; no I/O but the database."""
    queryset = OutboxMessage.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS).order_by(
        "created_at", "id"
    )
    if connection.features.has_select_for_update_skip_locked:
        queryset = queryset.select_for_update(skip_locked=True)
    batch = list(queryset[:batch_size])
    if not batch:
        return 0
    deadlines = TaskDeadline.objects.select_related("owner", "organization").in_bulk(
        [message.task_id for message in batch]
    )
    maps = dict(
        ProcessDeadline.objects.filter(process_id__in={d.process_id for d in deadlines.values()})
        .order_by("process_id", "id")
        .values_list("process_id", "escalation_map")
    )
    recipients = _Recipients()
    calendar = WorkCalendar.load()
    site_url = getattr(settings, "PROFROST_SITE_URL", "").rstrip("/")
    emails, notifications, lines = [], [], []
    for message in batch:
        message.attempts += 1
        deadline = deadlines.get(message.task_id)
        if deadline is None or not deadline.is_open:
            message.sent_at, message.result = now, "пропущено: задача завершена"
            continue
        if deadline.due_at != message.due_at:
            message.sent_at, message.result = now, "пропущено: срок изменён"
            continue
        if message.kind == OutboxKind.ESCALATION:
            escalation_map = maps.get(deadline.process_id, {})
            role = supervisor_role(deadline, escalation_map)
            users = recipients.supervisors(role, deadline, escalation_map) if role else []
        elif deadline.owner is not None:
            users = [deadline.owner]
        else:
            users = recipients.role_holders(deadline.role, deadline.organization_id) if deadline.role else []
        overdue_days = overdue_working_days(deadline.due_at, deadline.timezone, now, calendar)
        title, body, path = compose(message, deadline, overdue_days=overdue_days)
        if digests(deadline):
            lines += [DigestLine(outbox=message, user=user, kind=message.kind, text=body, url=path,
                                 timezone=deadline.timezone, created_at=now) for user in users]
            message.sent_at = now
            message.result = f"в сводку получателям: {len(users)}" if users else "нет получателей"
            continue
        for user in users:
            url = path if message.kind != OutboxKind.ESCALATION else escalation_path(user, deadline, path)
            notifications.append(
                Notification(user=user, outbox=message, kind=message.kind, title=title, body=body, url=url,
                             created_at=now)
            )
            if user.email:
                emails.append(
                    OutboxEmail(outbox=message, user=user, address=user.email, subject=title,
                                body=f"{body}\n\n{site_url}{url}", next_attempt_at=now, created_at=now)
                )
        message.sent_at = now
        message.result = f"получателей: {len(users)}" if users else "нет получателей"
    Notification.objects.bulk_create(notifications, ignore_conflicts=True)
    OutboxEmail.objects.bulk_create(emails, ignore_conflicts=True)
    DigestLine.objects.bulk_create(lines, ignore_conflicts=True)
    OutboxMessage.objects.bulk_update(batch, ["sent_at", "attempts", "result"])
    return len(batch)


# --- daily digests ---------------------------------------------------------------------------------
#
# A flow whose notifications come by the hundred to the same official (a monitoring campaign: a
# reminder to each of 1,100 school heads, escalations of every late school to its municipality's
# authority, review tasks of a whole municipality to one methodist) sets `notification_digest =
# True`. Delivery then writes a DigestLine per message and recipient instead of a notification and
# a letter; once a day, from DIGEST_HOUR local time, each official's pending lines become ONE
# in-app notification and ONE letter (Digest, unique per user and day). Lines that arrive after
# the day's digest wait for the next day's.

DIGEST_KIND_TITLES = {
    OutboxKind.REMINDER: "Скоро срок",
    OutboxKind.OVERDUE: "Срок истёк",
    OutboxKind.ESCALATION: "Просрочено у подчинённых организаций",
}


def digests(deadline: TaskDeadline) -> bool:
    flow_class = import_flow_by_ref(deadline.flow_class)
    return bool(getattr(flow_class, "notification_digest", False))


def digest_hour() -> int:
    return int(getattr(settings, "PROFROST_DIGEST_HOUR", 8))


def _digest_text(lines: list[DigestLine], site_url: str) -> tuple[str, str]:
    counts = defaultdict(int)
    for line in lines:
        counts[line.kind] += 1
    parts = [f"{DIGEST_KIND_TITLES.get(kind, kind)}: {counts[kind]}" for kind in DIGEST_KIND_TITLES if counts[kind]]
    title = "Сводка по срокам — " + "; ".join(parts)
    sections = []
    for kind, heading in DIGEST_KIND_TITLES.items():
        own = [line for line in lines if line.kind == kind]
        if own:
            sections.append(f"{heading} ({len(own)}):\n" + "\n".join(
                f"— {line.text}" + (f" {site_url}{line.url}" if line.url else "") for line in own))
    return title[:300], "\n\n".join(sections)


def compose_digests(*, now: dt.datetime | None = None) -> int:
    """Turn each official's pending digest lines into that day's digest, where their local time
    has reached DIGEST_HOUR and they have none yet today. Returns how many digests were made.
    Idempotent: the unique (user, day) lets a second worker, or a re-run, make none twice."""
    now = now or timezone.now()
    site_url = getattr(settings, "PROFROST_SITE_URL", "").rstrip("/")
    pending = defaultdict(list)
    for line in DigestLine.objects.filter(digest__isnull=True).order_by("user_id", "created_at", "id"):
        pending[line.user_id].append(line)
    users = get_user_model().objects.in_bulk(list(pending))
    made = 0
    for user_id, lines in pending.items():
        local = now.astimezone(ZoneInfo(lines[0].timezone))
        if local.hour < digest_hour():
            continue
        with transaction.atomic():
            digest, created = Digest.objects.get_or_create(user_id=user_id, day=local.date(),
                                                           defaults={"created_at": now})
            if not created:
                continue  # today's digest is out; these lines go into tomorrow's
            claimed = DigestLine.objects.filter(pk__in=[line.pk for line in lines], digest__isnull=True).update(
                digest=digest)
            if not claimed:
                digest.delete()
                continue
            lines = list(DigestLine.objects.filter(digest=digest).order_by("created_at", "id"))
            title, body = _digest_text(lines, site_url)
            notification = Notification.objects.create(user_id=user_id, kind=OutboxKind.DIGEST, title=title,
                                                       body=body, url=_notifications_path(), created_at=now)
            digest.notification = notification
            digest.save(update_fields=["notification"])
            user = users.get(user_id)
            if user is not None and user.email:
                OutboxEmail.objects.create(digest=digest, user=user, address=user.email, subject=title, body=body,
                                           next_attempt_at=now, created_at=now)
            made += 1
    return made


def _notifications_path() -> str:
    get_resolver().url_patterns  # noqa: B018 — the site's namespaces exist once the URLconf is built
    try:
        return reverse("workflow:notifications")
    except NoReverseMatch:
        return ""


def email_retry_delay(attempts: int) -> dt.timedelta:
    """The pause after the `attempts`-th failed try (PROFROST_EMAIL_RETRY_SECONDS, EMAIL_RETRY_BASE
    by default)."""
    seconds = getattr(settings, "PROFROST_EMAIL_RETRY_SECONDS", None)
    base = dt.timedelta(seconds=seconds) if seconds else EMAIL_RETRY_BASE
    return base * 2 ** max(attempts - 1, 0)


def message_id(row: OutboxEmail) -> str:
    """The same Message-ID on every attempt of one letter: a letter sent again after a worker
    died between sending and marking it sent is recognisably the same letter (mail clients and
    servers drop the copy; the drill counts letters by it)."""
    domain = urlsplit(getattr(settings, "PROFROST_SITE_URL", "")).hostname or "profrost.local"
    return f"<profrost-notification-{row.pk}@{domain}>"


def send_pending_emails(*, now: dt.datetime | None = None, batch_size: int = DELIVERY_BATCH) -> int:
    """Step 2: send the e-mails that are due, each on its own; returns how many went out. Rows
    are read in batches in (next attempt, id) order; a row retried later in this run is not
    picked again, as its next attempt lies after `now`."""
    now = now or timezone.now()
    sent = 0
    seen: set[int] = set()
    mailer = get_connection()
    try:
        while True:
            rows = list(
                OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING, next_attempt_at__lte=now)
                .order_by("next_attempt_at", "id")[:batch_size]
            )
            fresh = [row for row in rows if row.pk not in seen]
            for row in fresh:
                seen.add(row.pk)
                sent += _send_one(row, mailer=mailer, now=now)
            if len(rows) < batch_size or not fresh:
                return sent
    finally:
        try:
            mailer.close()
        except Exception:  # closing a broken connection must not hide the run's result
            logger.warning("closing the mail connection failed", exc_info=True)


def _send_one(row: OutboxEmail, *, mailer, now: dt.datetime) -> int:
    attempts = row.attempts + 1
    # Claim the row: the attempt is counted and the next one scheduled before the letter goes
    # out, so a second worker skips it and a crash mid-send leaves it for a later retry.
    claimed = OutboxEmail.objects.filter(
        pk=row.pk, status=OutboxEmail.Status.PENDING, attempts=row.attempts
    ).update(attempts=attempts, next_attempt_at=now + email_retry_delay(attempts))
    if not claimed:
        return 0
    message = EmailMessage(subject=row.subject, body=row.body, to=[row.address],
                           headers={"Message-ID": message_id(row)})
    try:
        mailer.open()  # reuses the session of the previous letter (returns at once when open)
        mailer.send_messages([message])
    except Exception as exc:  # any transport error fails this letter only
        error = f"{type(exc).__name__}: {exc}"[:300]
        if attempts >= MAX_ATTEMPTS:
            OutboxEmail.objects.filter(pk=row.pk).update(status=OutboxEmail.Status.FAILED, error=error)
            logger.error(
                "notification e-mail %s to %s not delivered after %s attempts: %s",
                row.pk, row.address, attempts, error,
            )
        else:
            OutboxEmail.objects.filter(pk=row.pk).update(error=error)
            logger.warning("notification e-mail %s to %s failed (attempt %s): %s", row.pk, row.address, attempts,
                           error)
        # A broken SMTP session would fail every following letter: start the next one afresh.
        try:
            mailer.close()
        except Exception:
            logger.debug("closing the mail connection after a failure failed", exc_info=True)
        return 0
    OutboxEmail.objects.filter(pk=row.pk).update(status=OutboxEmail.Status.SENT, sent_at=now, error="")
    return 1
