"""Append-only audit trail shared by every process."""

import calendar as pycalendar
import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.utils.timezone import now as timezone_now


class AuditImmutableError(Exception):
    """Raised on any attempt to change or remove an audit row."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditImmutableError("Журнал аудита нельзя изменять")

    def delete(self):
        raise AuditImmutableError("Записи журнала аудита нельзя удалять")

    def for_object(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk)
        ).order_by("occurred_at", "id")


class AuditEvent(models.Model):
    """One state change: who, when, on what, which event, from → to, why, in which request.
    Rows are written only by `workflows.core.audit.record_event` and never updated or deleted
    (on PostgreSQL a trigger refuses UPDATE and DELETE as well)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="кто",
    )
    occurred_at = models.DateTimeField("когда", auto_now_add=True, db_index=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField("объект (id)", max_length=64)
    object_repr = models.CharField("объект", max_length=300)
    event = models.CharField("событие", max_length=100)
    from_state = models.CharField("из состояния", max_length=64, blank=True)
    to_state = models.CharField("в состояние", max_length=64, blank=True)
    comment = models.TextField("комментарий", blank=True)
    request_id = models.CharField("запрос", max_length=64, blank=True)
    data = models.JSONField("данные", default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = "событие аудита"
        verbose_name_plural = "журнал аудита"
        ordering = ["-occurred_at", "-id"]
        base_manager_name = "objects"  # `_base_manager` refuses updates and deletes as well
        indexes = [models.Index(fields=["content_type", "object_id", "occurred_at"])]
        default_permissions = ("view",)

    def __str__(self):
        transition = f" {self.from_state} → {self.to_state}" if self.from_state or self.to_state else ""
        return f"{self.occurred_at:%d.%m.%Y %H:%M} {self.event}{transition}: {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditImmutableError("Журнал аудита нельзя изменять")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutableError("Записи журнала аудита нельзя удалять")


# ---------------------------------------------------------------------------------------------
# Deadlines: production calendar overrides, regional regulation profiles, per-process snapshots,
# per-task due dates, the reminder outbox, in-app notifications and substitutions.
# ---------------------------------------------------------------------------------------------

# Tasks without a due date sort after every dated one; keyset pagination needs a non-null key.
NO_DUE_DATE_SORT_KEY = dt.datetime(9999, 12, 31, tzinfo=dt.UTC)


class CalendarOverride(models.Model):
    """A day the `holidays` package gets wrong or does not know yet (a new decree on transfers, a
    regional day off). Wins over the package."""

    date = models.DateField("дата", unique=True)
    is_working = models.BooleanField("рабочий день")
    reason = models.CharField("основание", max_length=300, help_text="например, постановление № … от …")
    updated_at = models.DateTimeField("изменено", auto_now=True)

    class Meta:
        verbose_name = "исключение производственного календаря"
        verbose_name_plural = "производственный календарь: исключения"
        ordering = ["-date"]

    def __str__(self):
        kind = "рабочий" if self.is_working else "выходной"
        return f"{self.date:%d.%m.%Y} — {kind} ({self.reason})"


class DeadlineKind(models.TextChoices):
    FIXED_ANNUAL = "fixed_annual", "Ежегодно до даты (ДД.ММ)"
    MONTH_WINDOW = "month_window", "В период месяцев (до конца последнего месяца)"
    PERIODIC = "periodic", "N раз в год (до конца периода)"
    WORKING_DAYS = "working_days", "N рабочих дней после события"
    CALENDAR_DAYS = "calendar_days", "N календарных дней после события"
    ONE_OFF = "one_off", "Разовая дата"


class DeadlineAnchor(models.TextChoices):
    TASK_CREATED = "task_created", "Создание задачи (поступление шага)"
    PROCESS_STARTED = "process_started", "Запуск процесса"


class RegulationProfile(models.Model):
    """A region's deadline regulation, one version of it. A new приказ makes a new version
    (valid from its date); running processes keep the deadlines they snapshotted at start."""

    region_code = models.CharField(
        "код региона", max_length=10, db_index=True, help_text="код субъекта РФ, как в справочнике регионов"
    )
    municipality = models.ForeignKey(
        "orgstructure.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="муниципальное образование",
        help_text="пусто — профиль региона; указано — свой календарь муниципалитета поверх регионального",
    )
    name = models.CharField("наименование", max_length=300)
    version = models.PositiveIntegerField("версия", default=1)
    valid_from = models.DateField("действует с")
    is_default = models.BooleanField(
        "профиль по умолчанию", default=False, help_text="для регионов без своего профиля (демо)"
    )
    legal_basis = models.TextField("нормативное основание", blank=True)
    escalation_map = models.JSONField(
        "кому эскалировать",
        default=dict,
        blank=True,
        help_text='роль исполнителя → роль руководителя, например {"mms_methodist": "muni_authority"}; '
        "не указанные роли берутся из общей схемы",
    )
    created_at = models.DateTimeField("создан", auto_now_add=True)

    class Meta:
        verbose_name = "профиль регламента"
        verbose_name_plural = "профили регламентов (сроки)"
        ordering = ["region_code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["region_code", "version"],
                condition=Q(municipality__isnull=True),
                name="regulation_profile_unique_version",
            ),
            models.UniqueConstraint(
                fields=["municipality", "version"],
                condition=Q(municipality__isnull=False),
                name="regulation_profile_unique_municipal_version",
            ),
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="regulation_profile_one_default"
            ),
        ]

    def __str__(self):
        return f"{self.name}, версия {self.version} (с {self.valid_from:%d.%m.%Y})"


def rule_parameter_errors(rule: dict) -> dict[str, str]:
    """Field → message for parameters a rule of its kind lacks or cannot have."""
    kind = rule.get("kind")
    errors: dict[str, str] = {}

    def month_ok(name):
        value = rule.get(name)
        if value is None or not 1 <= int(value) <= 12:
            errors[name] = "Укажите месяц от 1 до 12"

    if kind == DeadlineKind.FIXED_ANNUAL:
        month_ok("month")
        day = rule.get("day")
        if day is None or not 1 <= int(day) <= 31:
            errors["day"] = "Укажите число от 1 до 31"
        elif "month" not in errors and int(day) > _max_day(int(rule["month"])):
            errors["day"] = "В этом месяце нет такого числа"
    elif kind == DeadlineKind.MONTH_WINDOW:
        month_ok("month")
        month_ok("end_month")
    elif kind == DeadlineKind.PERIODIC:
        if rule.get("periods_per_year") not in (1, 2, 3, 4, 6, 12):
            errors["periods_per_year"] = "Допустимо 1, 2, 3, 4, 6 или 12 периодов в году"
    elif kind in (DeadlineKind.WORKING_DAYS, DeadlineKind.CALENDAR_DAYS):
        if not rule.get("days"):
            errors["days"] = "Укажите число дней"
    elif kind == DeadlineKind.ONE_OFF:
        if not rule.get("one_off_date"):
            errors["one_off_date"] = "Укажите дату"
    else:
        errors["kind"] = "Неизвестный вид срока"
    return errors


def _max_day(month: int) -> int:
    """The longest a month gets (29 for February: "29.02" is a valid annual date)."""
    return 29 if month == 2 else pycalendar.monthrange(2001, month)[1]


class DeadlineRule(models.Model):
    """One deadline of a profile, addressed by a code that flows refer to
    ("monitoring.collection"), never by a literal date."""

    profile = models.ForeignKey(RegulationProfile, on_delete=models.CASCADE, related_name="rules")
    code = models.CharField("код", max_length=64)
    title = models.CharField("наименование", max_length=300)
    kind = models.CharField("вид срока", max_length=20, choices=DeadlineKind.choices)
    position = models.PositiveSmallIntegerField(
        "порядок", default=0, help_text="годовые сроки идут цепочкой в этом порядке (20.01 → 30.03 → …)"
    )
    month = models.PositiveSmallIntegerField("месяц", null=True, blank=True)
    day = models.PositiveSmallIntegerField("число", null=True, blank=True)
    end_month = models.PositiveSmallIntegerField("последний месяц периода", null=True, blank=True)
    periods_per_year = models.PositiveSmallIntegerField("периодов в году", null=True, blank=True)
    days = models.PositiveSmallIntegerField("дней", null=True, blank=True)
    one_off_date = models.DateField("дата", null=True, blank=True)
    anchor = models.CharField(
        "отсчёт от", max_length=20, choices=DeadlineAnchor.choices, default=DeadlineAnchor.TASK_CREATED
    )
    moves_to_working_day = models.BooleanField(
        "переносить с нерабочего дня", default=True, help_text="ГК РФ ст. 193"
    )
    reminder_days = models.PositiveSmallIntegerField(
        "напомнить за (рабочих дней)", null=True, blank=True, default=3
    )
    escalation_after_days = models.PositiveSmallIntegerField(
        "эскалация через (рабочих дней просрочки)", null=True, blank=True, default=2
    )
    escalation_role = models.CharField(
        "роль для эскалации", max_length=32, blank=True, help_text="пусто — руководящая роль по схеме профиля"
    )
    source = models.CharField("источник", max_length=200, blank=True, help_text="ссылка на пункт документа")

    class Meta:
        verbose_name = "правило срока"
        verbose_name_plural = "правила сроков"
        ordering = ["profile", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "code"], name="deadline_rule_unique_code_in_profile")
        ]

    def __str__(self):
        return f"{self.code}: {self.title}"

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = rule_parameter_errors(self.snapshot())
        if errors:
            raise ValidationError(errors)

    def snapshot(self) -> dict:
        """The rule as plain data: what a process keeps when it starts."""
        return {
            "code": self.code,
            "title": self.title,
            "kind": self.kind,
            "position": self.position,
            "month": self.month,
            "day": self.day,
            "end_month": self.end_month,
            "periods_per_year": self.periods_per_year,
            "days": self.days,
            "one_off_date": self.one_off_date.isoformat() if self.one_off_date else None,
            "anchor": self.anchor,
            "moves_to_working_day": self.moves_to_working_day,
            "reminder_days": self.reminder_days,
            "escalation_after_days": self.escalation_after_days,
            "escalation_role": self.escalation_role,
        }


class ProcessDeadline(models.Model):
    """A process instance's own copy of one deadline rule, taken when the process starts. Later
    edits of the profile move it only through `regulation.process_deadlines_replan` (audited)."""

    process = models.ForeignKey("viewflow.Process", on_delete=models.CASCADE, related_name="deadlines")
    rule_code = models.CharField("код правила", max_length=64)
    title = models.CharField("наименование", max_length=300)
    rule = models.JSONField("правило (снимок)")
    due_at = models.DateTimeField("срок", null=True, blank=True, help_text="пусто — срок от события шага")
    profile = models.ForeignKey(
        RegulationProfile, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    profile_version = models.PositiveIntegerField("версия профиля", null=True, blank=True)
    region_code = models.CharField("код региона", max_length=10, blank=True)
    timezone = models.CharField("часовой пояс", max_length=64, default="Europe/Moscow")
    escalation_map = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField("снят", auto_now_add=True)
    replanned_at = models.DateTimeField("перепланирован", null=True, blank=True)

    class Meta:
        verbose_name = "срок процесса"
        verbose_name_plural = "сроки процессов"
        ordering = ["process", "due_at"]
        constraints = [
            models.UniqueConstraint(fields=["process", "rule_code"], name="process_deadline_unique_rule")
        ]

    def __str__(self):
        return f"#{self.process_id} {self.rule_code}"


class TaskDeadline(models.Model):
    """The due date of one human task and the task's denormalized listing row: owner, status,
    territory, process and step are copied here so that inboxes, the overdue scan and the
    overdue report each read one table over one index. Created by `deadlines.task_deadline_create`
    and kept in step with viewflow's Task by `deadlines.task_deadline_sync` (both called from the
    task post_save receiver `deadlines.on_task_post_save`)."""

    task = models.OneToOneField(
        "viewflow.Task", on_delete=models.CASCADE, primary_key=True, related_name="deadline"
    )
    process = models.ForeignKey("viewflow.Process", on_delete=models.CASCADE, related_name="+")
    flow_class = models.CharField("процесс", max_length=255)
    flow_task = models.CharField("шаг", max_length=255)
    # What the task is about (the applicant, the list…), as the flow's optional
    # `deadline_subject(task)` hook said when the task was created; shown in the inboxes and the
    # overdue report without reading the process's artefact.
    subject = models.CharField("кого/что касается", max_length=300, blank=True)
    # Foreign keys below are covered by the composite indexes of Meta (no single-column ones:
    # every index costs the deadline scan and each task save a write).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        db_index=False,
    )
    status = models.CharField("статус задачи", max_length=50)
    is_open = models.BooleanField("открыта", default=True)
    created = models.DateTimeField("поступила")
    finished = models.DateTimeField("завершена", null=True, blank=True)
    due_at = models.DateTimeField("срок", null=True, blank=True)
    sort_due = models.DateTimeField(default=NO_DUE_DATE_SORT_KEY, editable=False)
    original_due_at = models.DateTimeField("первоначальный срок", null=True, blank=True)
    rule_code = models.CharField("правило", max_length=64, blank=True)
    extension_count = models.PositiveSmallIntegerField("продлений", default=0)
    timezone = models.CharField("часовой пояс", max_length=64, default="Europe/Moscow")
    region = models.ForeignKey(
        "orgstructure.Region", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    municipality = models.ForeignKey(
        "orgstructure.Municipality", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    organization = models.ForeignKey(
        "orgstructure.Organization", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    role = models.CharField("роль исполнителя", max_length=32, blank=True)
    reminder_days = models.PositiveSmallIntegerField("напомнить за (рабочих дней)", null=True, blank=True)
    escalation_after_days = models.PositiveSmallIntegerField(
        "эскалация через (рабочих дней)", null=True, blank=True
    )
    remind_at = models.DateTimeField("напомнить", null=True, blank=True)
    escalate_at = models.DateTimeField("эскалировать", null=True, blank=True)
    escalation_role = models.CharField("роль для эскалации", max_length=32, blank=True)

    SCOPE_PATHS = {
        "region": "region_id",
        "municipality": "municipality_id",
        "organization": "organization_id",
    }

    class Meta:
        verbose_name = "срок задачи"
        verbose_name_plural = "сроки задач"
        ordering = ["sort_due", "task_id"]
        permissions = [
            ("extend_deadline", "Может продлевать сроки задач"),
            ("view_overdue_report", "Может смотреть контроль сроков"),
        ]
        indexes = [
            # inbox / archive, sorted by due date or by arrival, keyset (sort key, task_id)
            models.Index(fields=["owner", "is_open", "sort_due", "task"], name="core_td_owner_due"),
            models.Index(fields=["owner", "is_open", "created", "task"], name="core_td_owner_created"),
            # queue: unassigned tasks by due date
            models.Index(fields=["status", "sort_due", "task"], name="core_td_status_due"),
            # the overdue report: open tasks by territory and due date
            models.Index(fields=["region", "due_at"], name="core_td_region_due", condition=Q(is_open=True)),
            # the weekly trend of the report reads closed tasks too, by due date
            models.Index(fields=["region", "due_at"], name="core_td_region_due_all"),
            models.Index(
                fields=["municipality", "due_at"], name="core_td_muni_due", condition=Q(is_open=True)
            ),
            models.Index(fields=["organization", "due_at"], name="core_td_org_due", condition=Q(is_open=True)),
        ]

    def __str__(self):
        due = f"{self.due_at:%d.%m.%Y}" if self.due_at else "без срока"
        return f"задача #{self.task_id}: {due}"


class TaskAlarm(models.Model):
    """The next notification due for one open task with a due date: a narrow queue table read
    by the deadline scan over one index. Rows come and go with the due date (deadlines.
    schedule_alarm) and are deleted when the task closes or nothing is left to send, so the scan
    reads and rewrites only these few columns, never the wide, many-indexed TaskDeadline."""

    class Stage(models.IntegerChoices):
        NONE = 0, "уведомлений не было"
        REMINDED = 1, "напоминание"
        OVERDUE = 2, "уведомление о просрочке"
        ESCALATED = 3, "эскалация"

    task = models.OneToOneField("viewflow.Task", on_delete=models.CASCADE, primary_key=True, related_name="+")
    due_at = models.DateTimeField("срок")
    remind_at = models.DateTimeField("напомнить", null=True, blank=True)
    escalate_at = models.DateTimeField("эскалировать", null=True, blank=True)
    stage = models.PositiveSmallIntegerField(choices=Stage.choices, default=Stage.NONE)
    next_at = models.DateTimeField("следующее уведомление")

    class Meta:
        verbose_name = "будильник срока"
        verbose_name_plural = "будильники сроков"
        indexes = [models.Index(fields=["next_at", "task"], name="core_alarm_next")]

    def __str__(self):
        return f"задача #{self.task_id}: {self.next_at:%d.%m.%Y %H:%M}"


class OutboxKind(models.TextChoices):
    REMINDER = "reminder", "Напоминание о сроке"
    OVERDUE = "overdue", "Уведомление о нарушении срока"
    ESCALATION = "escalation", "Эскалация просрочки"
    DOCUMENT_FAILED = "document_failed", "Документ не выпущен"  # in-app only: no outbox row
    DIGEST = "digest", "Сводка по срокам"  # one per official per day: DigestLine / Digest


class OutboxMessage(models.Model):
    """A notification that is due. The scan writes rows with INSERT … ON CONFLICT DO NOTHING over
    the unique key (task, kind, due date), so a re-run, two beats or a worker killed mid-batch
    never make a second row; the sender delivers rows whose `sent_at` is empty."""

    # indexed by the unique key (task, kind, due_at)
    task = models.ForeignKey("viewflow.Task", on_delete=models.CASCADE, related_name="+", db_index=False)
    kind = models.CharField("вид", max_length=20, choices=OutboxKind.choices)
    due_at = models.DateTimeField("срок")
    created_at = models.DateTimeField("создано", default=timezone_now)
    sent_at = models.DateTimeField("отправлено", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("попыток", default=0)
    result = models.CharField("результат", max_length=300, blank=True)

    class Meta:
        verbose_name = "исходящее уведомление"
        verbose_name_plural = "исходящие уведомления (outbox)"
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "kind", "due_at"], name="outbox_unique_task_kind_due")
        ]
        indexes = [
            models.Index(fields=["created_at", "id"], name="core_outbox_pending", condition=Q(sent_at__isnull=True))
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: задача #{self.task_id}, срок {self.due_at:%d.%m.%Y}"


class Notification(models.Model):
    """An in-app notification (the bell with the unread badge)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    outbox = models.ForeignKey(
        OutboxMessage, on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications"
    )
    kind = models.CharField("вид", max_length=20, choices=OutboxKind.choices)
    title = models.CharField("заголовок", max_length=300)
    body = models.TextField("текст", blank=True)
    url = models.CharField("ссылка", max_length=500, blank=True)
    created_at = models.DateTimeField("создано", default=timezone_now)
    read_at = models.DateTimeField("прочитано", null=True, blank=True)

    class Meta:
        verbose_name = "уведомление"
        verbose_name_plural = "уведомления"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["outbox", "user"], name="notification_unique_outbox_user")
        ]
        indexes = [
            models.Index(fields=["user", "created_at"], name="core_notif_unread", condition=Q(read_at__isnull=True))
        ]

    def __str__(self):
        return self.title


class OutboxEmail(models.Model):
    """The e-mail of one outbox notification to one recipient. Written together with the in-app
    notification (same transaction, unique per outbox row and user); sent after that transaction
    has committed, one by one, so that a refused address or a dropped connection affects only
    its own row, which is retried with a growing pause up to `notifications.MAX_ATTEMPTS`."""

    class Status(models.TextChoices):
        PENDING = "pending", "ожидает отправки"
        SENT = "sent", "отправлено"
        FAILED = "failed", "не отправлено"

    # indexed by the unique key (outbox, user); a digest's letter has no outbox row of its own
    outbox = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="emails", db_index=False,
                               null=True, blank=True)
    digest = models.OneToOneField("Digest", on_delete=models.CASCADE, related_name="email", null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    address = models.EmailField("адрес", max_length=254)
    subject = models.CharField("тема", max_length=300)
    body = models.TextField("текст")
    status = models.CharField("состояние", max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField("попыток", default=0)
    next_attempt_at = models.DateTimeField("следующая попытка", default=timezone_now)
    sent_at = models.DateTimeField("отправлено", null=True, blank=True)
    error = models.CharField("ошибка", max_length=300, blank=True)
    created_at = models.DateTimeField("создано", default=timezone_now)

    class Meta:
        verbose_name = "письмо уведомления"
        verbose_name_plural = "письма уведомлений"
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["outbox", "user"], name="outbox_email_unique_outbox_user")]
        indexes = [
            models.Index(
                fields=["next_attempt_at", "id"], name="core_email_pending", condition=Q(status="pending")
            )
        ]

    def __str__(self):
        return f"{self.address}: {self.subject}"


class Digest(models.Model):
    """One official's daily digest of the reminders, overdue notices and escalations of the flows
    that ask for one (`notification_digest = True`, e.g. a monitoring campaign's 1,100 schools):
    one in-app notification and one letter per official per day, never one per school. The
    unique (user, day) is what makes «one per day» hold under two workers."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False)
    day = models.DateField("день")
    notification = models.OneToOneField(Notification, on_delete=models.SET_NULL, null=True, blank=True,
                                        related_name="digest")
    created_at = models.DateTimeField("создано", default=timezone_now)

    class Meta:
        verbose_name = "сводка по срокам"
        verbose_name_plural = "сводки по срокам"
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="digest_unique_user_day")]

    def __str__(self):
        return f"{self.user}: {self.day:%d.%m.%Y}"


class DigestLine(models.Model):
    """One notification of a digesting flow for one recipient, waiting for (or part of) their
    digest. Unique per outbox row and user, like the in-app notification it replaces."""

    outbox = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="+", db_index=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False)
    kind = models.CharField("вид", max_length=20, choices=OutboxKind.choices)
    text = models.TextField("текст")
    url = models.CharField("ссылка", max_length=500, blank=True)
    timezone = models.CharField("часовой пояс", max_length=64, default="Europe/Moscow")
    digest = models.ForeignKey(Digest, on_delete=models.SET_NULL, null=True, blank=True, related_name="lines")
    created_at = models.DateTimeField("создано", default=timezone_now)

    class Meta:
        verbose_name = "строка сводки"
        verbose_name_plural = "строки сводок"
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["outbox", "user"], name="digest_line_unique_outbox_user")]
        indexes = [models.Index(fields=["user", "created_at"], name="core_digest_pending",
                                condition=Q(digest__isnull=True))]

    def __str__(self):
        return self.text[:80]


class Substitution(models.Model):
    """While an official is absent (отпуск, командировка, болезнь), tasks that would be assigned
    to them go to the substitute."""

    absent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="отсутствующий"
    )
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="замещающий"
    )
    starts_on = models.DateField("с")
    ends_on = models.DateField("по")
    reason = models.CharField("основание", max_length=300)
    is_active = models.BooleanField("действует", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("создано", auto_now_add=True)

    class Meta:
        verbose_name = "замещение"
        verbose_name_plural = "замещения"
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="substitution_dates_ordered"),
            models.CheckConstraint(condition=~Q(absent=F("substitute")), name="substitution_not_self"),
        ]
        indexes = [models.Index(fields=["absent", "starts_on", "ends_on"], name="core_subst_absent")]

    def __str__(self):
        return f"{self.absent} → {self.substitute} ({self.starts_on:%d.%m.%Y}–{self.ends_on:%d.%m.%Y})"
